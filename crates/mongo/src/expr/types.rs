//! Type expression operators (manual: "Type Expression Operators"): `$type`, `$convert` and the
//! `$toX` shorthands.

use bson::oid::ObjectId;
use bson::Bson;

use super::{nullish, Args, Env, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::value::{as_num, format_double, is_number, type_name, Num};

pub const OPERATORS: &[OpEntry] = &[
    ("$type", Style::List { min: 1, max: 1 }, type_),
    ("$isNumber", Style::List { min: 1, max: 1 }, is_number_op),
    ("$convert", Style::Named, convert_op),
    ("$toString", Style::List { min: 1, max: 1 }, to_string),
    ("$toInt", Style::List { min: 1, max: 1 }, to_int),
    ("$toLong", Style::List { min: 1, max: 1 }, to_long),
    ("$toDouble", Style::List { min: 1, max: 1 }, to_double),
    ("$toDecimal", Style::List { min: 1, max: 1 }, to_decimal),
    ("$toBool", Style::List { min: 1, max: 1 }, to_bool),
    ("$toDate", Style::List { min: 1, max: 1 }, to_date),
    ("$toObjectId", Style::List { min: 1, max: 1 }, to_object_id),
];

/// `$type`: the alias of the value's type, `missing` for a missing value.
fn type_(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::String(type_name(&env.arg(args, 0)?).to_string()))
}

/// `$isNumber`.
fn is_number_op(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(is_number(&env.arg(args, 0)?)))
}

fn conversion_failure(from: &Bson, to: &str, why: &str) -> MongoError {
    MongoError::location(
        241,
        format!(
            "Failed to parse number '{}' in $convert with no onError value: {why}",
            match from {
                Bson::String(s) => s.clone(),
                other => format!("{} to {to}", type_name(other)),
            }
        ),
    )
}

fn parse_int_str(s: &str) -> Option<i64> {
    let t = s.trim();
    if t.is_empty() || t != s {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Converts a value to the named type, as `$convert` does; null in, null out.
pub fn convert(value: &Bson, to: &str) -> Result<Bson> {
    if nullish(value) {
        return Ok(Bson::Null);
    }
    match to {
        "string" => Ok(Bson::String(match value {
            Bson::String(s) => s.clone(),
            Bson::Int32(i) => i.to_string(),
            Bson::Int64(i) => i.to_string(),
            Bson::Double(f) => {
                if f.fract() == 0.0 && f.abs() < 1e15 {
                    format!("{f:.0}")
                } else {
                    format_double(*f)
                }
            }
            Bson::Decimal128(d) => d.to_string(),
            Bson::Boolean(b) => b.to_string(),
            Bson::ObjectId(o) => o.to_hex(),
            Bson::DateTime(d) => crate::expr::date::format_date(d.timestamp_millis(), "%Y-%m-%dT%H:%M:%S.%LZ")?,
            other => {
                return Err(MongoError::location(
                    241,
                    format!("Unsupported conversion from {} to string in $convert with no onError value", type_name(other)),
                ))
            }
        })),
        "int" | "long" => {
            let long = to == "long";
            let n: i64 = match value {
                Bson::Boolean(b) => i64::from(*b),
                Bson::String(s) => parse_int_str(s).ok_or_else(|| conversion_failure(value, to, "Did not consume whole string."))?,
                Bson::DateTime(d) if long => d.timestamp_millis(),
                other => match as_num(other) {
                    Some(Num::Int(i)) => i,
                    Some(Num::Float(f)) if f.is_finite() => f.trunc() as i64,
                    Some(Num::Float(_)) => {
                        return Err(MongoError::location(241, "Attempt to convert NaN or infinity value to integer type in $convert with no onError value"))
                    }
                    None => {
                        return Err(MongoError::location(
                            241,
                            format!("Unsupported conversion from {} to {to} in $convert with no onError value", type_name(other)),
                        ))
                    }
                },
            };
            if long {
                Ok(Bson::Int64(n))
            } else {
                i32::try_from(n).map(Bson::Int32).map_err(|_| {
                    MongoError::location(241, format!("Conversion would overflow target type in $convert with no onError value: {n}"))
                })
            }
        }
        "decimal" if !matches!(value, Bson::Boolean(_) | Bson::DateTime(_)) => {
            // Exact from a string or a number; a double keeps 15 significant digits.
            let exact = match value {
                Bson::String(s) => crate::decimal::Exact::parse(s.trim()),
                other => crate::decimal::Exact::operand(other),
            };
            match exact {
                Some(e) => Ok(e.to_bson()),
                None => match value {
                    Bson::String(s) => s
                        .trim()
                        .parse::<bson::Decimal128>()
                        .map(Bson::Decimal128)
                        .map_err(|_| conversion_failure(value, to, "Failed to parse number")),
                    Bson::Double(f) => Ok(crate::expr::arithmetic::decimal(*f)),
                    Bson::Decimal128(_) => Ok(value.clone()),
                    other => Err(MongoError::location(
                        241,
                        format!(
                            "Unsupported conversion from {} to {to} in $convert with no onError value",
                            type_name(other)
                        ),
                    )),
                },
            }
        }
        "double" | "decimal" => {
            let f = match value {
                Bson::Boolean(b) => f64::from(u8::from(*b)),
                Bson::String(s) => s.trim().parse::<f64>().map_err(|_| conversion_failure(value, to, "Did not consume whole string."))?,
                Bson::DateTime(d) => d.timestamp_millis() as f64,
                other => as_num(other).map(Num::as_f64).ok_or_else(|| {
                    MongoError::location(
                        241,
                        format!("Unsupported conversion from {} to {to} in $convert with no onError value", type_name(other)),
                    )
                })?,
            };
            Ok(if to == "decimal" { crate::expr::arithmetic::decimal(f) } else { Bson::Double(f) })
        }
        "bool" => Ok(Bson::Boolean(match value {
            Bson::Boolean(b) => *b,
            other if is_number(other) => as_num(other).is_some_and(|n| n.as_f64() != 0.0),
            _ => true,
        })),
        "date" => match value {
            Bson::DateTime(_) => Ok(value.clone()),
            Bson::String(s) => crate::expr::date::parse_date_string(s, None, crate::expr::date::Tz::UTC)
                .map(|ms| Bson::DateTime(bson::DateTime::from_millis(ms)))
                .ok_or_else(|| MongoError::location(241, format!("Error parsing date string '{s}'"))),
            Bson::ObjectId(o) => Ok(Bson::DateTime(o.timestamp())),
            other => match as_num(other) {
                Some(n) => Ok(Bson::DateTime(bson::DateTime::from_millis(n.as_f64() as i64))),
                None => Err(MongoError::location(
                    241,
                    format!("Unsupported conversion from {} to date in $convert with no onError value", type_name(other)),
                )),
            },
        },
        "objectId" => match value {
            Bson::ObjectId(_) => Ok(value.clone()),
            Bson::String(s) => ObjectId::parse_str(s)
                .map(Bson::ObjectId)
                .map_err(|_| MongoError::location(241, format!("Failed to parse objectId '{s}' in $convert with no onError value: Invalid string length for parsing to OID, expected 24 but found {}", s.len()))),
            other => Err(MongoError::location(
                241,
                format!("Unsupported conversion from {} to objectId in $convert with no onError value", type_name(other)),
            )),
        },
        other => Err(MongoError::bad_value(format!("Unknown type name: {other}"))),
    }
}

fn type_alias(v: &Bson) -> Result<String> {
    match v {
        Bson::String(s) => Ok(s.clone()),
        other => match as_num(other).map(|n| n.as_f64() as i32) {
            Some(1) => Ok("double".into()),
            Some(2) => Ok("string".into()),
            Some(7) => Ok("objectId".into()),
            Some(8) => Ok("bool".into()),
            Some(9) => Ok("date".into()),
            Some(16) => Ok("int".into()),
            Some(18) => Ok("long".into()),
            Some(19) => Ok("decimal".into()),
            _ => Err(MongoError::bad_value(format!(
                "Unknown type name: {}",
                crate::value::shell(other)
            ))),
        },
    }
}

/// `$convert`: `{input, to, onError, onNull}`.
fn convert_op(args: &Args, env: &mut Env) -> Result<Bson> {
    let input = env.named(args, "input")?;
    let to = type_alias(&env.named(args, "to")?)?;
    if nullish(&input) {
        return match args.named("onNull") {
            Some(e) => env.eval(e),
            None => Ok(Bson::Null),
        };
    }
    match convert(&input, &to) {
        Ok(v) => Ok(v),
        Err(err) => match args.named("onError") {
            Some(e) => env.eval(e),
            None => Err(err),
        },
    }
}

fn shorthand(args: &Args, env: &mut Env, to: &str) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    convert(&v, to)
}

/// `$toString`.
fn to_string(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "string")
}
/// `$toInt`.
fn to_int(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "int")
}
/// `$toLong`.
fn to_long(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "long")
}
/// `$toDouble`.
fn to_double(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "double")
}
/// `$toDecimal`.
fn to_decimal(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "decimal")
}
/// `$toBool`.
fn to_bool(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "bool")
}
/// `$toDate`.
fn to_date(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "date")
}
/// `$toObjectId`.
fn to_object_id(args: &Args, env: &mut Env) -> Result<Bson> {
    shorthand(args, env, "objectId")
}
