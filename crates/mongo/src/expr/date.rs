//! Date expression operators (manual: "Date Expression Operators"), in UTC.

use bson::Bson;

use super::{nullish, Args, Env, Expr, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::value::type_name;

pub const OPERATORS: &[OpEntry] = &[
    ("$year", Style::List { min: 1, max: 1 }, year),
    ("$month", Style::List { min: 1, max: 1 }, month),
    ("$dayOfMonth", Style::List { min: 1, max: 1 }, day_of_month),
    ("$hour", Style::List { min: 1, max: 1 }, hour),
    ("$minute", Style::List { min: 1, max: 1 }, minute),
    ("$second", Style::List { min: 1, max: 1 }, second),
    ("$millisecond", Style::List { min: 1, max: 1 }, millisecond),
    ("$dayOfWeek", Style::List { min: 1, max: 1 }, day_of_week),
    ("$dayOfYear", Style::List { min: 1, max: 1 }, day_of_year),
    ("$week", Style::List { min: 1, max: 1 }, week),
    ("$dateToString", Style::Named, date_to_string),
];

/// The calendar fields of a UTC instant.
#[derive(Debug, Clone, Copy)]
pub struct Parts {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
    /// 1 = Sunday ... 7 = Saturday.
    pub weekday: u32,
    pub day_of_year: u32,
}

/// Splits milliseconds since the epoch into calendar fields (proleptic Gregorian, UTC).
pub fn parts(ms: i64) -> Parts {
    let days = ms.div_euclid(86_400_000);
    let rem = ms.rem_euclid(86_400_000);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const CUM: [u32; 12] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
    let day_of_year =
        CUM.get(month as usize - 1).copied().unwrap_or(0) + day + u32::from(leap && month > 2);
    Parts {
        year,
        month,
        day,
        hour: (rem / 3_600_000) as u32,
        minute: (rem / 60_000 % 60) as u32,
        second: (rem / 1000 % 60) as u32,
        millis: (rem % 1000) as u32,
        weekday: ((days + 4).rem_euclid(7) + 1) as u32,
        day_of_year,
    }
}

fn date_arg(name: &str, args: &Args, env: &mut Env) -> Result<Option<Parts>> {
    let v = match args.list().first() {
        Some(Expr::Object(fields)) => match fields.iter().find(|(k, _)| k == "date") {
            Some((_, e)) => env.eval(e)?,
            None => {
                return Err(MongoError::location(
                    40539,
                    format!("{name} requires a 'date' argument"),
                ))
            }
        },
        _ => env.arg(args, 0)?,
    };
    match v {
        Bson::DateTime(d) => Ok(Some(parts(d.timestamp_millis()))),
        Bson::ObjectId(o) => Ok(Some(parts(
            (o.timestamp().timestamp_millis() / 1000) * 1000,
        ))),
        Bson::Timestamp(t) => Ok(Some(parts(i64::from(t.time) * 1000))),
        v if nullish(&v) => Ok(None),
        other => Err(MongoError::location(
            16006,
            format!("can't convert from BSON type {} to Date", type_name(&other)),
        )),
    }
}

fn part(name: &str, args: &Args, env: &mut Env, f: fn(&Parts) -> i64) -> Result<Bson> {
    Ok(match date_arg(name, args, env)? {
        Some(p) => Bson::Int32(f(&p) as i32),
        None => Bson::Null,
    })
}

/// `$year`.
fn year(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$year", args, env, |p| p.year)
}
/// `$month`.
fn month(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$month", args, env, |p| i64::from(p.month))
}
/// `$dayOfMonth`.
fn day_of_month(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$dayOfMonth", args, env, |p| i64::from(p.day))
}
/// `$hour`.
fn hour(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$hour", args, env, |p| i64::from(p.hour))
}
/// `$minute`.
fn minute(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$minute", args, env, |p| i64::from(p.minute))
}
/// `$second`.
fn second(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$second", args, env, |p| i64::from(p.second))
}
/// `$millisecond`.
fn millisecond(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$millisecond", args, env, |p| i64::from(p.millis))
}
/// `$dayOfWeek`: 1 (Sunday) to 7 (Saturday).
fn day_of_week(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$dayOfWeek", args, env, |p| i64::from(p.weekday))
}
/// `$dayOfYear`.
fn day_of_year(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$dayOfYear", args, env, |p| i64::from(p.day_of_year))
}
/// `$week`: weeks start on Sunday; days before the first Sunday are week 0.
fn week(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$week", args, env, |p| {
        let doy0 = i64::from(p.day_of_year) - 1;
        let wd0 = i64::from(p.weekday) - 1;
        (doy0 - wd0 + 7) / 7
    })
}

/// Formats a date with `%Y %m %d %H %M %S %L %j %u %%` specifiers.
pub fn format_date(ms: i64, format: &str) -> Result<String> {
    let p = parts(ms);
    let mut out = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('Y') => out.push_str(&format!("{:04}", p.year)),
            Some('m') => out.push_str(&format!("{:02}", p.month)),
            Some('d') => out.push_str(&format!("{:02}", p.day)),
            Some('H') => out.push_str(&format!("{:02}", p.hour)),
            Some('M') => out.push_str(&format!("{:02}", p.minute)),
            Some('S') => out.push_str(&format!("{:02}", p.second)),
            Some('L') => out.push_str(&format!("{:03}", p.millis)),
            Some('j') => out.push_str(&format!("{:03}", p.day_of_year)),
            Some('w') => out.push_str(&p.weekday.to_string()),
            Some('u') => {
                out.push_str(&(if p.weekday == 1 { 7 } else { p.weekday - 1 }).to_string())
            }
            Some('z') => out.push_str("+0000"),
            Some('Z') => out.push('0'),
            Some('%') => out.push('%'),
            Some(other) => {
                return Err(MongoError::location(
                    18536,
                    format!("Invalid format character '%{other}' in format string"),
                ))
            }
            None => {
                return Err(MongoError::location(
                    18535,
                    "Unmatched '%' at end of format string",
                ))
            }
        }
    }
    Ok(out)
}

/// `$dateToString`: `{date, format, timezone, onNull}`; the default format is ISO 8601.
fn date_to_string(args: &Args, env: &mut Env) -> Result<Bson> {
    let date = env.named(args, "date")?;
    let ms = match date {
        Bson::DateTime(d) => d.timestamp_millis(),
        v if nullish(&v) => {
            return match args.named("onNull") {
                Some(e) => env.eval(e),
                None => Ok(Bson::Null),
            }
        }
        other => {
            return Err(MongoError::location(
                16006,
                format!("can't convert from BSON type {} to Date", type_name(&other)),
            ))
        }
    };
    let format = match env.named(args, "format")? {
        Bson::String(f) => f,
        _ => "%Y-%m-%dT%H:%M:%S.%LZ".to_string(),
    };
    Ok(Bson::String(format_date(ms, &format)?))
}
