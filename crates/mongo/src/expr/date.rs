//! Date expression operators (manual: "Date Expression Operators"). Dates are UTC; a `timezone`
//! argument may be `UTC`/`GMT`, a fixed offset (`+04:30`, `-0500`, `+03`) or an Olson name of the
//! IANA time zone database, as the server accepts. Named zones come from [`crate::time_zones`]
//! (the database `jiff` bundles, or the host's files), so each instant gets the offset the zone
//! had then (New York's daylight time began in April until 2007, Moscow kept UTC+4 from 2011 to
//! 2014); a name the database does not hold (names are matched exactly, as the server does) is
//! rejected with the server's "unrecognized time zone identifier" error.

use bson::Bson;
use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::Timestamp;

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
    ("$isoWeek", Style::List { min: 1, max: 1 }, iso_week),
    (
        "$isoDayOfWeek",
        Style::List { min: 1, max: 1 },
        iso_day_of_week,
    ),
    (
        "$isoWeekYear",
        Style::List { min: 1, max: 1 },
        iso_week_year,
    ),
    ("$dateToString", Style::Named, date_to_string),
    ("$dateToParts", Style::Named, date_to_parts),
    ("$dateFromParts", Style::Named, date_from_parts),
    ("$dateFromString", Style::Named, date_from_string),
    ("$dateAdd", Style::Named, date_add),
    ("$dateSubtract", Style::Named, date_subtract),
    ("$dateDiff", Style::Named, date_diff),
    ("$dateTrunc", Style::Named, date_trunc),
];

const MS_PER_DAY: i64 = 86_400_000;

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

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil); the
/// month may be any number, carrying into the year.
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let months = year * 12 + (month - 1);
    let (y, m) = (months.div_euclid(12), months.rem_euclid(12) + 1);
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468 + (day - 1)
}

/// A `timezone`: a fixed offset, or a zone of the IANA database whose offset follows its history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tz {
    /// Milliseconds east of UTC.
    Fixed(i64),
    Named(TimeZone),
}

const HOUR: i64 = 3_600_000;

/// A UTC instant as jiff's timestamp, clamped to jiff's range (years -9999 to 9999); a zone's
/// rules at the ends of that range hold beyond it.
fn timestamp(utc: i64) -> Timestamp {
    Timestamp::from_millisecond(utc).unwrap_or(if utc < 0 {
        Timestamp::MIN
    } else {
        Timestamp::MAX
    })
}

impl Tz {
    pub const UTC: Tz = Tz::Fixed(0);

    /// The offset from UTC in force at a UTC instant.
    pub fn offset_at(&self, utc: i64) -> i64 {
        match self {
            Tz::Fixed(offset) => *offset,
            Tz::Named(zone) => i64::from(zone.to_offset(timestamp(utc)).seconds()) * 1000,
        }
    }

    /// The UTC instant of a local wall-clock time: the earlier one when the clock repeats it,
    /// the offset before the change when the clock skips it.
    pub fn to_utc(&self, local: i64) -> i64 {
        let zone = match self {
            Tz::Fixed(offset) => return local.saturating_sub(*offset),
            Tz::Named(zone) => zone,
        };
        let p = parts(local);
        let civil = i16::try_from(p.year).ok().and_then(|year| {
            DateTime::new(
                year,
                p.month as i8,
                p.day as i8,
                p.hour as i8,
                p.minute as i8,
                p.second as i8,
                p.millis as i32 * 1_000_000,
            )
            .ok()
        });
        let offset = civil
            .and_then(|dt| zone.to_ambiguous_timestamp(dt).compatible().ok())
            .map(|ts| local - ts.as_millisecond())
            // Beyond jiff's years: the offset the zone has at that end of time.
            .unwrap_or_else(|| self.offset_at(local));
        local.saturating_sub(offset)
    }

    /// The local wall-clock time of a UTC instant.
    pub fn to_local(&self, utc: i64) -> i64 {
        utc.saturating_add(self.offset_at(utc))
    }
}

/// Parses a `timezone` argument.
pub fn parse_timezone(v: &Bson) -> Result<Tz> {
    let Bson::String(tz) = v else {
        return Err(MongoError::location(
            40517,
            format!("timezone must evaluate to a string, found {}", type_name(v)),
        ));
    };
    if matches!(tz.as_str(), "UTC" | "GMT" | "Z" | "Etc/UTC" | "Etc/GMT") {
        return Ok(Tz::UTC);
    }
    let bad = || {
        MongoError::location(
            40485,
            format!("unrecognized time zone identifier: \"{tz}\""),
        )
    };
    let (sign, rest) = match tz.as_bytes().first() {
        Some(b'+') => (1, &tz[1..]),
        Some(b'-') => (-1, &tz[1..]),
        _ => {
            return crate::time_zones::find(tz).map(Tz::Named).ok_or_else(bad);
        }
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) || rest.matches(':').count() > 1 {
        return Err(bad());
    }
    let (h, m) = match digits.len() {
        2 => (&digits[..], "0"),
        4 => (&digits[..2], &digits[2..]),
        _ => return Err(bad()),
    };
    let (h, m): (i64, i64) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
    if m >= 60 {
        return Err(bad());
    }
    Ok(Tz::Fixed(sign * (h * HOUR + m * 60_000)))
}

/// An optional `timezone` argument (UTC when absent); `None` when it is null.
fn timezone_of(v: Bson) -> Result<Option<Tz>> {
    match v {
        Bson::Undefined => Ok(Some(Tz::UTC)),
        Bson::Null => Ok(None),
        other => parse_timezone(&other).map(Some),
    }
}

/// Milliseconds since the epoch of a date-like value (date, ObjectId, timestamp).
fn millis_of(v: &Bson) -> Option<i64> {
    match v {
        Bson::DateTime(d) => Some(d.timestamp_millis()),
        Bson::ObjectId(o) => Some((o.timestamp().timestamp_millis() / 1000) * 1000),
        Bson::Timestamp(t) => Some(i64::from(t.time) * 1000),
        _ => None,
    }
}

fn to_date_error(v: &Bson) -> MongoError {
    MongoError::location(
        16006,
        format!("can't convert from BSON type {} to Date", type_name(v)),
    )
}

/// The local instant (UTC milliseconds shifted by the time zone) of a date part operator's
/// argument, which is a date or `{date, timezone}`; `None` for null or missing.
fn local_millis(name: &str, args: &Args, env: &mut Env) -> Result<Option<i64>> {
    let (v, offset) = match args.list().first() {
        Some(Expr::Object(fields)) => {
            let get = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, e)| e.clone());
            let Some(date) = get("date") else {
                return Err(MongoError::location(
                    40539,
                    format!("{name} requires a 'date' argument"),
                ));
            };
            let date = env.eval(&date)?;
            let tz = match get("timezone") {
                Some(e) => env.eval(&e)?,
                None => Bson::Undefined,
            };
            (date, timezone_of(tz)?)
        }
        _ => (env.arg(args, 0)?, Some(Tz::UTC)),
    };
    if nullish(&v) {
        return Ok(None);
    }
    let ms = millis_of(&v).ok_or_else(|| to_date_error(&v))?;
    Ok(offset.map(|tz| tz.to_local(ms)))
}

fn date_arg(name: &str, args: &Args, env: &mut Env) -> Result<Option<Parts>> {
    Ok(local_millis(name, args, env)?.map(parts))
}

/// ISO 8601 day of the week: 1 (Monday) to 7 (Sunday).
fn iso_weekday(p: &Parts) -> u32 {
    if p.weekday == 1 {
        7
    } else {
        p.weekday - 1
    }
}

/// The number of ISO weeks (52 or 53) of a year.
fn iso_weeks_in(year: i64) -> i64 {
    let dow = |y: i64| (y + y.div_euclid(4) - y.div_euclid(100) + y.div_euclid(400)).rem_euclid(7);
    if dow(year) == 4 || dow(year - 1) == 3 {
        53
    } else {
        52
    }
}

/// ISO 8601 week-numbering year and week (weeks start on Monday; week 1 holds the first
/// Thursday).
fn iso_week_parts(p: &Parts) -> (i64, i64) {
    let w = (i64::from(p.day_of_year) - i64::from(iso_weekday(p)) + 10) / 7;
    if w < 1 {
        (p.year - 1, iso_weeks_in(p.year - 1))
    } else if w > iso_weeks_in(p.year) {
        (p.year + 1, 1)
    } else {
        (p.year, w)
    }
}

/// `$week`'s number: weeks start on Sunday; days before the first Sunday are week 0.
fn sunday_week(p: &Parts) -> i64 {
    let doy0 = i64::from(p.day_of_year) - 1;
    let wd0 = i64::from(p.weekday) - 1;
    (doy0 - wd0 + 7) / 7
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
    part("$week", args, env, sunday_week)
}
/// `$isoWeek`: 1 to 53.
fn iso_week(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$isoWeek", args, env, |p| iso_week_parts(p).1)
}
/// `$isoDayOfWeek`: 1 (Monday) to 7 (Sunday).
fn iso_day_of_week(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$isoDayOfWeek", args, env, |p| i64::from(iso_weekday(p)))
}
/// `$isoWeekYear`.
fn iso_week_year(args: &Args, env: &mut Env) -> Result<Bson> {
    part("$isoWeekYear", args, env, |p| iso_week_parts(p).0)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Formats a UTC date with `$dateToString`'s specifiers.
pub fn format_date(ms: i64, format: &str) -> Result<String> {
    format_date_in(ms, 0, format)
}

/// Formats a date as seen at a UTC offset (milliseconds).
pub fn format_date_in(ms: i64, offset: i64, format: &str) -> Result<String> {
    let p = parts(ms.saturating_add(offset));
    let offset_minutes = offset / 60_000;
    let month_name = MONTHS.get(p.month as usize - 1).copied().unwrap_or("");
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
            Some('z') => out.push_str(&format!(
                "{}{:02}{:02}",
                if offset_minutes < 0 { '-' } else { '+' },
                offset_minutes.abs() / 60,
                offset_minutes.abs() % 60
            )),
            Some('Z') => out.push_str(&offset_minutes.to_string()),
            Some('U') => out.push_str(&format!("{:02}", sunday_week(&p))),
            Some('V') => out.push_str(&format!("{:02}", iso_week_parts(&p).1)),
            Some('G') => out.push_str(&format!("{:04}", iso_week_parts(&p).0)),
            Some('B') => out.push_str(month_name),
            Some('b') => out.push_str(month_name.get(..3).unwrap_or("")),
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
    let Some(tz) = timezone_of(env.named(args, "timezone")?)? else {
        return Ok(Bson::Null);
    };
    let offset = tz.offset_at(ms);
    let format = match env.named(args, "format")? {
        Bson::String(f) => f,
        Bson::Undefined if args.named("timezone").is_none() => "%Y-%m-%dT%H:%M:%S.%LZ".to_string(),
        Bson::Undefined => "%Y-%m-%dT%H:%M:%S.%L".to_string(),
        Bson::Null => return Ok(Bson::Null),
        other => {
            return Err(MongoError::location(
                18533,
                format!(
                    "$dateToString requires that 'format' be a string, found: {} with value {}",
                    type_name(&other),
                    crate::value::shell(&other)
                ),
            ))
        }
    };
    Ok(Bson::String(format_date_in(ms, offset, &format)?))
}

/// A named date argument (`date`, `startDate`, ...) and the `timezone` offset; `None` when either
/// is null or missing (the operator then returns null).
fn named_date(name: &str, field: &str, args: &Args, env: &mut Env) -> Result<Option<(i64, Tz)>> {
    if args.named(field).is_none() {
        return Err(MongoError::location(
            40539,
            format!("{name} requires a '{field}' argument"),
        ));
    }
    let v = env.named(args, field)?;
    let offset = timezone_of(env.named(args, "timezone")?)?;
    if nullish(&v) {
        return Ok(None);
    }
    let ms = millis_of(&v).ok_or_else(|| to_date_error(&v))?;
    Ok(offset.map(|o| (ms, o)))
}

/// `$dateToParts`: `{date, timezone, iso8601}` gives the calendar (or ISO week) fields.
fn date_to_parts(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((ms, tz)) = named_date("$dateToParts", "date", args, env)? else {
        return Ok(Bson::Null);
    };
    let iso = match env.named(args, "iso8601")? {
        Bson::Undefined => false,
        Bson::Boolean(b) => b,
        other => {
            return Err(MongoError::location(
                40521,
                format!(
                    "iso8601 must evaluate to a bool, found {}",
                    type_name(&other)
                ),
            ))
        }
    };
    let p = parts(tz.to_local(ms));
    let int = |v: i64| Bson::Int32(v as i32);
    let mut doc = bson::Document::new();
    if iso {
        let (year, week) = iso_week_parts(&p);
        doc.insert("isoWeekYear", int(year));
        doc.insert("isoWeek", int(week));
        doc.insert("isoDayOfWeek", int(i64::from(iso_weekday(&p))));
    } else {
        doc.insert("year", int(p.year));
        doc.insert("month", int(i64::from(p.month)));
        doc.insert("day", int(i64::from(p.day)));
    }
    doc.insert("hour", int(i64::from(p.hour)));
    doc.insert("minute", int(i64::from(p.minute)));
    doc.insert("second", int(i64::from(p.second)));
    doc.insert("millisecond", int(i64::from(p.millis)));
    Ok(Bson::Document(doc))
}

/// One `$dateFromParts` field: a whole number in range, its default when absent; `None` for null.
fn whole_part(
    args: &Args,
    env: &mut Env,
    field: &str,
    default: i64,
    range: (i64, i64),
) -> Result<Option<i64>> {
    let v = env.named(args, field)?;
    let n = match &v {
        Bson::Undefined => return Ok(Some(default)),
        Bson::Null => return Ok(None),
        other => match crate::value::as_num(other) {
            Some(n) if n.as_f64().fract() == 0.0 => n.as_f64() as i64,
            _ => {
                return Err(MongoError::location(
                    40515,
                    format!(
                        "'{field}' must evaluate to an integer, found {} with value {}",
                        type_name(other),
                        crate::value::shell(other)
                    ),
                ))
            }
        },
    };
    if n < range.0 || n > range.1 {
        return Err(MongoError::location(
            31034,
            format!(
                "'{field}' must evaluate to a value in the range [{}, {}]; value {n} is not in range",
                range.0, range.1
            ),
        ));
    }
    Ok(Some(n))
}

/// `$dateFromParts`: calendar fields (`year`, `month`, ...) or ISO week fields (`isoWeekYear`,
/// `isoWeek`, `isoDayOfWeek`); values beyond a field's range carry into the next field.
fn date_from_parts(args: &Args, env: &mut Env) -> Result<Bson> {
    const WIDE: (i64, i64) = (-32_768, 32_767);
    let iso = args.named("isoWeekYear").is_some();
    if iso && args.named("year").is_some() {
        return Err(MongoError::location(
            40489,
            "$dateFromParts does not allow mixing natural dates with ISO dates",
        ));
    }
    if !iso && args.named("year").is_none() {
        return Err(MongoError::location(
            40516,
            "$dateFromParts requires either 'year' or 'isoWeekYear' to be present",
        ));
    }
    let mut fields = Vec::new();
    let layout: [(&str, i64, (i64, i64)); 3] = if iso {
        [
            ("isoWeekYear", 0, (1, 9999)),
            ("isoWeek", 1, WIDE),
            ("isoDayOfWeek", 1, WIDE),
        ]
    } else {
        [("year", 0, (1, 9999)), ("month", 1, WIDE), ("day", 1, WIDE)]
    };
    for (field, default, range) in layout.into_iter().chain([
        ("hour", 0, WIDE),
        ("minute", 0, WIDE),
        ("second", 0, WIDE),
        ("millisecond", 0, WIDE),
    ]) {
        match whole_part(args, env, field, default, range)? {
            Some(n) => fields.push(n),
            None => return Ok(Bson::Null),
        }
    }
    let Some(tz) = timezone_of(env.named(args, "timezone")?)? else {
        return Ok(Bson::Null);
    };
    let [a, b, c, h, mi, sec, milli] = fields[..] else {
        return Ok(Bson::Null);
    };
    let days = if iso {
        // Monday of ISO week 1 is the Monday on or before January 4th.
        let jan4 = days_from_civil(a, 1, 4);
        let jan4_iso_dow = (jan4 + 3).rem_euclid(7) + 1;
        jan4 - (jan4_iso_dow - 1) + (b - 1) * 7 + (c - 1)
    } else {
        days_from_civil(a, b, c)
    };
    let local = days * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + sec * 1000 + milli;
    Ok(Bson::DateTime(bson::DateTime::from_millis(
        tz.to_utc(local),
    )))
}

/// Reads `digits` digits (exactly) from a string position.
fn take_digits(s: &[u8], pos: &mut usize, digits: usize) -> Option<i64> {
    let chunk = s.get(*pos..*pos + digits)?;
    if !chunk.iter().all(u8::is_ascii_digit) {
        return None;
    }
    *pos += digits;
    std::str::from_utf8(chunk).ok()?.parse().ok()
}

/// Reads a UTC offset (`Z`, `+hh`, `+hhmm`, `+hh:mm`) at a string position.
fn take_offset(s: &[u8], pos: &mut usize) -> Option<i64> {
    match s.get(*pos)? {
        b'Z' => {
            *pos += 1;
            Some(0)
        }
        b'+' | b'-' => {
            let sign = if s.get(*pos) == Some(&b'-') { -1 } else { 1 };
            *pos += 1;
            let h = take_digits(s, pos, 2)?;
            if s.get(*pos) == Some(&b':') {
                *pos += 1;
            }
            let m = take_digits(s, pos, 2).unwrap_or(0);
            Some(sign * (h * 3_600_000 + m * 60_000))
        }
        _ => None,
    }
}

/// Parses a date string: with a format, by its specifiers; without, as ISO 8601
/// (`2017-02-08`, `2017-02-08T12:10:40.787Z`, `2017-02-08 12:10:40+02:00`). Gives the UTC instant,
/// or `None` when the string does not parse.
pub fn parse_date_string(text: &str, format: Option<&str>, default_tz: Tz) -> Option<i64> {
    let s = text.as_bytes();
    let mut pos = 0;
    let (mut y, mut mo, mut d, mut h, mut mi, mut sec, mut ms) = (None, 1, 1, 0, 0, 0, 0);
    let mut offset = None;
    match format {
        Some(f) => {
            let mut spec = f.chars();
            while let Some(c) = spec.next() {
                if c != '%' {
                    let mut buf = [0u8; 4];
                    let lit = c.encode_utf8(&mut buf).as_bytes();
                    if s.get(pos..pos + lit.len())? != lit {
                        return None;
                    }
                    pos += lit.len();
                    continue;
                }
                match spec.next()? {
                    'Y' => y = Some(take_digits(s, &mut pos, 4)?),
                    'm' => mo = take_digits(s, &mut pos, 2)?,
                    'd' => d = take_digits(s, &mut pos, 2)?,
                    'H' => h = take_digits(s, &mut pos, 2)?,
                    'M' => mi = take_digits(s, &mut pos, 2)?,
                    'S' => sec = take_digits(s, &mut pos, 2)?,
                    'L' => ms = take_digits(s, &mut pos, 3)?,
                    'z' => offset = Some(take_offset(s, &mut pos)?),
                    '%' => {
                        if s.get(pos) != Some(&b'%') {
                            return None;
                        }
                        pos += 1;
                    }
                    _ => return None,
                }
            }
        }
        None => {
            y = Some(take_digits(s, &mut pos, 4)?);
            if s.get(pos) == Some(&b'-') {
                pos += 1;
                mo = take_digits(s, &mut pos, 2)?;
                if s.get(pos) == Some(&b'-') {
                    pos += 1;
                    d = take_digits(s, &mut pos, 2)?;
                }
            }
            if matches!(s.get(pos), Some(b'T' | b' ')) {
                pos += 1;
                h = take_digits(s, &mut pos, 2)?;
                if s.get(pos) == Some(&b':') {
                    pos += 1;
                    mi = take_digits(s, &mut pos, 2)?;
                }
                if s.get(pos) == Some(&b':') {
                    pos += 1;
                    sec = take_digits(s, &mut pos, 2)?;
                }
                if s.get(pos) == Some(&b'.') {
                    pos += 1;
                    let start = pos;
                    while s.get(pos).is_some_and(u8::is_ascii_digit) {
                        pos += 1;
                    }
                    let frac = std::str::from_utf8(s.get(start..pos)?).ok()?;
                    let padded = format!("{:0<3}", frac.get(..frac.len().min(3))?);
                    ms = padded.parse().ok()?;
                }
            }
            if pos < s.len() {
                offset = Some(take_offset(s, &mut pos)?);
            }
        }
    }
    if pos != s.len() {
        return None;
    }
    let y = y?;
    let days_in_month = days_from_civil(y, mo + 1, 1) - days_from_civil(y, mo, 1);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month || h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let local =
        days_from_civil(y, mo, d) * MS_PER_DAY + h * 3_600_000 + mi * 60_000 + sec * 1000 + ms;
    Some(match offset {
        Some(o) => local - o,
        None => default_tz.to_utc(local),
    })
}

/// `$dateFromString`: `{dateString, format, timezone, onError, onNull}`.
fn date_from_string(args: &Args, env: &mut Env) -> Result<Bson> {
    let text = env.named(args, "dateString")?;
    let text = match text {
        Bson::String(t) => t,
        v if nullish(&v) => {
            return match args.named("onNull") {
                Some(e) => env.eval(e),
                None => Ok(Bson::Null),
            }
        }
        other => {
            return match args.named("onError") {
                Some(e) => env.eval(e),
                None => Err(MongoError::new(
                    241,
                    "ConversionFailure",
                    format!(
                        "$dateFromString requires that 'dateString' be a string, found: {} with value {}",
                        type_name(&other),
                        crate::value::shell(&other)
                    ),
                )),
            }
        }
    };
    let format = match env.named(args, "format")? {
        Bson::String(f) => Some(f),
        Bson::Undefined => None,
        Bson::Null => return Ok(Bson::Null),
        other => {
            return Err(MongoError::location(
                40684,
                format!(
                    "$dateFromString requires that 'format' be a string, found: {}",
                    type_name(&other)
                ),
            ))
        }
    };
    let Some(tz) = timezone_of(env.named(args, "timezone")?)? else {
        return Ok(Bson::Null);
    };
    match parse_date_string(&text, format.as_deref(), tz) {
        Some(ms) => Ok(Bson::DateTime(bson::DateTime::from_millis(ms))),
        None => match args.named("onError") {
            Some(e) => env.eval(e),
            None => Err(MongoError::new(
                241,
                "ConversionFailure",
                format!("Error parsing date string '{text}'"),
            )),
        },
    }
}

/// A `unit` argument of `$dateAdd`, `$dateSubtract` and `$dateDiff`.
#[derive(Clone, Copy, PartialEq)]
enum Unit {
    Year,
    Quarter,
    Month,
    Week,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

/// The `unit` argument, or `None` when it is null or missing (the operator then returns null).
fn named_unit(name: &str, args: &Args, env: &mut Env) -> Result<Option<Unit>> {
    let unit = env.named(args, "unit")?;
    if nullish(&unit) {
        return Ok(None);
    }
    unit_arg(name, &unit).map(Some)
}

fn unit_arg(name: &str, v: &Bson) -> Result<Unit> {
    Ok(match v {
        Bson::String(u) => match u.as_str() {
            "year" => Unit::Year,
            "quarter" => Unit::Quarter,
            "month" => Unit::Month,
            "week" => Unit::Week,
            "day" => Unit::Day,
            "hour" => Unit::Hour,
            "minute" => Unit::Minute,
            "second" => Unit::Second,
            "millisecond" => Unit::Millisecond,
            other => {
                return Err(MongoError::location(
                    5439014,
                    format!(
                    "{name} parameter 'unit' value cannot be recognized as a time unit: {other}"
                ),
                ))
            }
        },
        other => {
            return Err(MongoError::location(
                5439013,
                format!(
                    "{name} requires 'unit' to be a string, but got {}",
                    type_name(other)
                ),
            ))
        }
    })
}

/// The length of a fixed unit in milliseconds (`None` for calendar units).
fn fixed_ms(unit: Unit) -> Option<i64> {
    match unit {
        Unit::Week => Some(7 * MS_PER_DAY),
        Unit::Day => Some(MS_PER_DAY),
        Unit::Hour => Some(3_600_000),
        Unit::Minute => Some(60_000),
        Unit::Second => Some(1000),
        Unit::Millisecond => Some(1),
        Unit::Year | Unit::Quarter | Unit::Month => None,
    }
}

/// Adds `amount` units to a date; a calendar step that lands past the end of a month lands on
/// its last day (`2021-01-31` plus one month is `2021-02-28`).
fn add_units(name: &str, args: &Args, env: &mut Env, sign: i64) -> Result<Bson> {
    let Some((ms, tz)) = named_date(name, "startDate", args, env)? else {
        return Ok(Bson::Null);
    };
    let Some(unit) = named_unit(name, args, env)? else {
        return Ok(Bson::Null);
    };
    let amount = match env.named(args, "amount")? {
        v if nullish(&v) => return Ok(Bson::Null),
        v => match crate::value::as_num(&v) {
            Some(n) if n.as_f64().fract() == 0.0 && n.as_f64().abs() < 1e15 => n.as_f64() as i64,
            _ => {
                return Err(MongoError::location(
                    5166402,
                    format!(
                        "{name} expects integer amount of time units, but got {}",
                        crate::value::shell(&v)
                    ),
                ))
            }
        },
    } * sign;
    let out = match fixed_ms(unit) {
        Some(len) => amount.checked_mul(len).and_then(|d| ms.checked_add(d)),
        None => {
            let months = match unit {
                Unit::Year => amount.checked_mul(12),
                Unit::Quarter => amount.checked_mul(3),
                _ => Some(amount),
            };
            // Beyond the dates BSON holds (about 290 million years either way) is an overflow.
            months
                .filter(|m| m.unsigned_abs() < 12 * 300_000)
                .map(|months| {
                    let local = tz.to_local(ms);
                    let p = parts(local);
                    let time = local.rem_euclid(MS_PER_DAY);
                    let target_month = i64::from(p.month) + months;
                    let last_day = days_from_civil(p.year, target_month + 1, 1)
                        - days_from_civil(p.year, target_month, 1);
                    let day = i64::from(p.day).min(last_day);
                    tz.to_utc(days_from_civil(p.year, target_month, day) * MS_PER_DAY + time)
                })
        }
    };
    match out {
        Some(ms) if (-(1i64 << 53)..(1i64 << 53)).contains(&ms) => {
            Ok(Bson::DateTime(bson::DateTime::from_millis(ms)))
        }
        _ => Err(MongoError::location(5166406, format!("{name} overflowed"))),
    }
}

/// `$dateAdd`: `{startDate, unit, amount, timezone}`.
fn date_add(args: &Args, env: &mut Env) -> Result<Bson> {
    add_units("$dateAdd", args, env, 1)
}

/// `$dateSubtract`: `{startDate, unit, amount, timezone}`.
fn date_subtract(args: &Args, env: &mut Env) -> Result<Bson> {
    add_units("$dateSubtract", args, env, -1)
}

/// `$dateDiff`: `{startDate, endDate, unit, timezone, startOfWeek}` counts the unit boundaries
/// crossed between the two dates (so 23:59 to 00:01 the next day is one day).
fn date_diff(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((start, tz)) = named_date("$dateDiff", "startDate", args, env)? else {
        return Ok(Bson::Null);
    };
    let Some((end, _)) = named_date("$dateDiff", "endDate", args, env)? else {
        return Ok(Bson::Null);
    };
    let Some(unit) = named_unit("$dateDiff", args, env)? else {
        return Ok(Bson::Null);
    };
    let week_start = start_of_week("$dateDiff", env.named(args, "startOfWeek")?)?;
    let (a, b) = (tz.to_local(start), tz.to_local(end));
    let months = |ms: i64| {
        let p = parts(ms);
        p.year * 12 + i64::from(p.month) - 1
    };
    let n = match unit {
        Unit::Year => parts(b).year.saturating_sub(parts(a).year),
        Unit::Quarter => months(b)
            .div_euclid(3)
            .saturating_sub(months(a).div_euclid(3)),
        Unit::Month => months(b).saturating_sub(months(a)),
        Unit::Week => {
            // 1970-01-01 was a Thursday (day 4 counting from Sunday).
            let week = |ms: i64| (ms.div_euclid(MS_PER_DAY) + 4 - week_start).div_euclid(7);
            week(b) - week(a)
        }
        other => {
            let len = fixed_ms(other).unwrap_or(1);
            b.div_euclid(len).saturating_sub(a.div_euclid(len))
        }
    };
    Ok(Bson::Int64(n))
}

/// A `startOfWeek` argument as a day number counted from Sunday (0), Sunday by default; full
/// names and three-letter abbreviations, any case.
fn start_of_week(name: &str, v: Bson) -> Result<i64> {
    match v {
        Bson::Undefined | Bson::Null => Ok(0),
        Bson::String(d) => {
            let names = [
                "sunday",
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
            ];
            let lower = d.to_ascii_lowercase();
            names
                .iter()
                .position(|n| lower == *n || (lower.len() == 3 && n.starts_with(&lower)))
                .map(|i| i as i64)
                .ok_or_else(|| {
                    MongoError::location(
                        5439018,
                        format!("{name} parameter 'startOfWeek' value cannot be recognized as a day of a week: {d}"),
                    )
                })
        }
        other => Err(MongoError::location(
            5439015,
            format!(
                "{name} requires 'startOfWeek' to be a string, but got {}",
                type_name(&other)
            ),
        )),
    }
}

/// The start of the bin of length `len` (counted from `origin`) holding `t`, in i128 so that
/// huge bins cannot overflow.
fn bin_start(t: i64, origin: i64, len: i128) -> i64 {
    let offset = i128::from(t) - i128::from(origin);
    let start = i128::from(origin) + offset.div_euclid(len.max(1)) * len.max(1);
    i64::try_from(start).unwrap_or(if start < 0 { i64::MIN } else { i64::MAX })
}

/// `$dateTrunc`: `{date, unit, binSize, timezone, startOfWeek}` rounds down to the start of a
/// bin of `binSize` units; bins are counted from 2000-01-01T00:00:00 in the time zone (for
/// weeks, from the first `startOfWeek` day on or after it).
fn date_trunc(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((ms, tz)) = named_date("$dateTrunc", "date", args, env)? else {
        return Ok(Bson::Null);
    };
    let Some(unit) = named_unit("$dateTrunc", args, env)? else {
        return Ok(Bson::Null);
    };
    let bin = match env.named(args, "binSize")? {
        Bson::Undefined => 1,
        Bson::Null => return Ok(Bson::Null),
        v => match crate::value::as_num(&v) {
            Some(n) if n.as_f64().fract() == 0.0 && n.as_f64() >= 1.0 && n.as_f64() < 1e12 => {
                n.as_f64() as i64
            }
            _ => {
                return Err(MongoError::location(
                    5439017,
                    format!(
                        "$dateTrunc requires 'binSize' to be a 64-bit integer greater than 0, but got {}",
                        crate::value::shell(&v)
                    ),
                ))
            }
        },
    };
    let week_start = start_of_week("$dateTrunc", env.named(args, "startOfWeek")?)?;
    let local = tz.to_local(ms);
    let reference = days_from_civil(2000, 1, 1) * MS_PER_DAY;
    let truncated = match unit {
        Unit::Year | Unit::Quarter | Unit::Month => {
            let p = parts(local);
            let per = match unit {
                Unit::Year => 12,
                Unit::Quarter => 3,
                _ => 1,
            } * bin;
            let months = (p.year - 2000) * 12 + i64::from(p.month) - 1;
            let start = months.div_euclid(per) * per;
            days_from_civil(2000, start + 1, 1).saturating_mul(MS_PER_DAY)
        }
        Unit::Week => {
            // 2000-01-01 was a Saturday (day 6 counting from Sunday).
            let first = reference + (week_start - 6).rem_euclid(7) * MS_PER_DAY;
            bin_start(local, first, i128::from(7 * MS_PER_DAY) * i128::from(bin))
        }
        other => bin_start(
            local,
            reference,
            i128::from(fixed_ms(other).unwrap_or(1)) * i128::from(bin),
        ),
    };
    Ok(Bson::DateTime(bson::DateTime::from_millis(
        tz.to_utc(truncated),
    )))
}

#[cfg(test)]
mod tests {
    use expect_test::{expect, Expect};

    use super::*;

    /// Local wall-clock times in a zone and the UTC instants they map to.
    fn check_to_utc(zone: &str, locals: &[i64], expect: Expect) {
        let tz = parse_timezone(&Bson::String(zone.to_string()))
            .unwrap_or_else(|e| panic!("{zone}: {e}"));
        let show = |ms: i64| {
            let p = parts(ms);
            format!(
                "{}-{:02}-{:02} {:02}:{:02}:{:02}",
                p.year, p.month, p.day, p.hour, p.minute, p.second
            )
        };
        let actual: Vec<String> = locals
            .iter()
            .map(|&local| format!("{} -> {}", show(local), show(tz.to_utc(local))))
            .collect();
        expect.assert_eq(&actual.join("\n"));
    }

    fn local(y: i64, mo: i64, d: i64, h: i64, mi: i64) -> i64 {
        days_from_civil(y, mo, d) * MS_PER_DAY + h * HOUR + mi * 60_000
    }

    #[test]
    fn local_times_to_utc() {
        check_to_utc(
            "America/New_York",
            &[
                // Skipped by the clock (spring forward): read with the offset before the change.
                local(2021, 3, 14, 2, 30),
                // Repeated (fall back): the earlier instant.
                local(2021, 11, 7, 1, 30),
                // Before 2007 daylight time began in April.
                local(2006, 3, 20, 7, 0),
                // Past the years jiff covers: the offset at that end of its range.
                local(20_000, 7, 1, 12, 0),
                local(-20_000, 1, 1, 0, 0),
            ],
            expect![[r#"
                2021-03-14 02:30:00 -> 2021-03-14 07:30:00
                2021-11-07 01:30:00 -> 2021-11-07 05:30:00
                2006-03-20 07:00:00 -> 2006-03-20 12:00:00
                20000-07-01 12:00:00 -> 20000-07-01 17:00:00
                -20000-01-01 00:00:00 -> -20000-01-01 04:56:02"#]],
        );
        check_to_utc(
            "-03:30",
            &[local(2021, 3, 14, 2, 30)],
            expect!["2021-03-14 02:30:00 -> 2021-03-14 06:00:00"],
        );
    }

    #[test]
    fn zone_names_are_exact() {
        let parse = |name: &str| match parse_timezone(&Bson::String(name.to_string())) {
            Ok(_) => "ok".to_string(),
            Err(e) => e.to_string(),
        };
        expect!["ok"].assert_eq(&parse("Asia/Kathmandu"));
        expect![[
            r#"unrecognized time zone identifier: "asia/kathmandu" (Location40485, code 40485)"#
        ]]
        .assert_eq(&parse("asia/kathmandu"));
        expect![[
            r#"unrecognized time zone identifier: "Mars/Olympus" (Location40485, code 40485)"#
        ]]
        .assert_eq(&parse("Mars/Olympus"));
    }
}
