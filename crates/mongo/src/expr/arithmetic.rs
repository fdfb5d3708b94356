//! Arithmetic expression operators (manual: "Arithmetic Expression Operators").

use bson::{Bson, Decimal128};

use super::{nullish, Args, Env, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::value::{as_num, type_name, Num};

const ANY: usize = usize::MAX;

pub const OPERATORS: &[OpEntry] = &[
    ("$add", Style::List { min: 0, max: ANY }, add),
    ("$subtract", Style::List { min: 2, max: 2 }, subtract),
    ("$multiply", Style::List { min: 0, max: ANY }, multiply),
    ("$divide", Style::List { min: 2, max: 2 }, divide),
    ("$mod", Style::List { min: 2, max: 2 }, modulo),
    ("$abs", Style::List { min: 1, max: 1 }, abs),
    ("$ceil", Style::List { min: 1, max: 1 }, ceil),
    ("$floor", Style::List { min: 1, max: 1 }, floor),
    ("$sqrt", Style::List { min: 1, max: 1 }, sqrt),
    ("$exp", Style::List { min: 1, max: 1 }, exp),
    ("$ln", Style::List { min: 1, max: 1 }, ln),
    ("$log10", Style::List { min: 1, max: 1 }, log10),
    ("$log", Style::List { min: 2, max: 2 }, log),
    ("$pow", Style::List { min: 2, max: 2 }, pow),
    ("$round", Style::List { min: 1, max: 2 }, round),
    ("$trunc", Style::List { min: 1, max: 2 }, trunc),
];

/// The width of a numeric result: the widest of the operands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Width {
    Int,
    Long,
    Double,
    Decimal,
}

pub fn width(v: &Bson) -> Option<Width> {
    match v {
        Bson::Int32(_) => Some(Width::Int),
        Bson::Int64(_) => Some(Width::Long),
        Bson::Double(_) => Some(Width::Double),
        Bson::Decimal128(_) => Some(Width::Decimal),
        _ => None,
    }
}

/// Folds numbers in decimal arithmetic (integers exactly, doubles to 15 digits); `None` when an
/// operand is NaN or infinite, which the double path then handles.
pub fn decimal_fold(
    values: &[&Bson],
    op: fn(&crate::decimal::Exact, &crate::decimal::Exact) -> crate::decimal::Exact,
) -> Option<Bson> {
    let mut iter = values.iter();
    let mut acc = crate::decimal::Exact::operand(iter.next()?)?;
    for v in iter {
        acc = op(&acc, &crate::decimal::Exact::operand(v)?);
    }
    Some(acc.to_bson())
}

/// The mean of numbers as a decimal (exact sum, divided to decimal precision), when one of them
/// is a decimal; `None` otherwise.
pub fn decimal_mean(numbers: &[&Bson]) -> Option<Bson> {
    if !numbers.iter().any(|v| matches!(v, Bson::Decimal128(_))) {
        return None;
    }
    let mut sum = crate::decimal::Exact::of_int(0);
    for v in numbers {
        sum = sum.add(&crate::decimal::Exact::operand(v)?);
    }
    let count = crate::decimal::Exact::of_int(numbers.len() as i128);
    sum.div(&count).map(|m| m.to_bson())
}

pub fn decimal(f: f64) -> Bson {
    let text = if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{f:.0}")
    } else {
        f.to_string()
    };
    text.parse::<Decimal128>()
        .map(Bson::Decimal128)
        .unwrap_or(Bson::Double(f))
}

/// Builds a result of the given width from an exact integer, widening on overflow.
pub fn from_int(i: i128, w: Width) -> Bson {
    match w {
        Width::Int if i >= i128::from(i32::MIN) && i <= i128::from(i32::MAX) => {
            Bson::Int32(i as i32)
        }
        Width::Int | Width::Long if i >= i128::from(i64::MIN) && i <= i128::from(i64::MAX) => {
            Bson::Int64(i as i64)
        }
        Width::Decimal => decimal(i as f64),
        _ => Bson::Double(i as f64),
    }
}

pub fn from_float(f: f64, w: Width) -> Bson {
    if w == Width::Decimal {
        decimal(f)
    } else {
        Bson::Double(f)
    }
}

fn int_of(v: &Bson) -> Option<i128> {
    match v {
        Bson::Int32(i) => Some(i128::from(*i)),
        Bson::Int64(i) => Some(i128::from(*i)),
        _ => None,
    }
}

fn f(v: &Bson) -> f64 {
    as_num(v).map(Num::as_f64).unwrap_or(f64::NAN)
}

/// `$add`: numbers, or one date plus milliseconds.
fn add(args: &Args, env: &mut Env) -> Result<Bson> {
    let values = env.all_args(args)?;
    let mut date: Option<i64> = None;
    let mut w = Width::Int;
    let mut int_sum: i128 = 0;
    let mut float_sum = 0.0;
    let mut all_int = true;
    for v in &values {
        if nullish(v) {
            return Ok(Bson::Null);
        }
        match v {
            Bson::DateTime(d) => {
                if date.is_some() {
                    return Err(MongoError::location(
                        16612,
                        "only one date allowed in an $add expression",
                    ));
                }
                date = Some(d.timestamp_millis());
            }
            other => {
                let Some(vw) = width(other) else {
                    return Err(MongoError::type_mismatch(format!(
                        "$add only supports numeric or date types, not {}",
                        type_name(other)
                    )));
                };
                w = w.max(vw);
                match int_of(other) {
                    Some(i) => int_sum += i,
                    None => all_int = false,
                }
                float_sum += f(other);
            }
        }
    }
    if let Some(ms) = date {
        let total = if all_int { int_sum as f64 } else { float_sum };
        return Ok(Bson::DateTime(bson::DateTime::from_millis(
            ms.saturating_add(total.round() as i64),
        )));
    }
    if w == Width::Decimal {
        let nums: Vec<&Bson> = values.iter().collect();
        if let Some(d) = decimal_fold(&nums, crate::decimal::Exact::add) {
            return Ok(d);
        }
    }
    if all_int {
        Ok(from_int(int_sum, w))
    } else {
        Ok(from_float(float_sum, w))
    }
}

/// `$subtract`: numbers, two dates (milliseconds between), or a date minus milliseconds.
fn subtract(args: &Args, env: &mut Env) -> Result<Bson> {
    let a = env.arg(args, 0)?;
    let b = env.arg(args, 1)?;
    if nullish(&a) || nullish(&b) {
        return Ok(Bson::Null);
    }
    match (&a, &b) {
        (Bson::DateTime(x), Bson::DateTime(y)) => Ok(Bson::Int64(
            x.timestamp_millis().saturating_sub(y.timestamp_millis()),
        )),
        (Bson::DateTime(x), n) if width(n).is_some() => Ok(Bson::DateTime(
            bson::DateTime::from_millis(x.timestamp_millis().saturating_sub(f(n).round() as i64)),
        )),
        (x, y) => {
            let (Some(wx), Some(wy)) = (width(x), width(y)) else {
                return Err(MongoError::type_mismatch(format!(
                    "can't $subtract {} from {}",
                    type_name(y),
                    type_name(x)
                )));
            };
            let w = wx.max(wy);
            if w == Width::Decimal {
                if let Some(d) = decimal_fold(&[x, y], |a, b| a.add(&b.clone().negated())) {
                    return Ok(d);
                }
            }
            match (int_of(x), int_of(y)) {
                (Some(i), Some(j)) => Ok(from_int(i - j, w)),
                _ => Ok(from_float(f(x) - f(y), w)),
            }
        }
    }
}

/// `$multiply`: the product of numbers.
fn multiply(args: &Args, env: &mut Env) -> Result<Bson> {
    let values = env.all_args(args)?;
    let mut w = Width::Int;
    let mut int_prod: Option<i128> = Some(1);
    let mut float_prod = 1.0;
    for v in &values {
        if nullish(v) {
            return Ok(Bson::Null);
        }
        let Some(vw) = width(v) else {
            return Err(MongoError::type_mismatch(format!(
                "$multiply only supports numeric types, not {}",
                type_name(v)
            )));
        };
        w = w.max(vw);
        int_prod = match (int_prod, int_of(v)) {
            (Some(p), Some(i)) => p.checked_mul(i),
            _ => None,
        };
        float_prod *= f(v);
    }
    if w == Width::Decimal {
        let nums: Vec<&Bson> = values.iter().collect();
        if let Some(d) = decimal_fold(&nums, crate::decimal::Exact::mul) {
            return Ok(d);
        }
    }
    Ok(match int_prod {
        Some(p) if w <= Width::Long => from_int(p, w),
        _ => from_float(float_prod, w),
    })
}

fn two_numbers(name: &str, args: &Args, env: &mut Env) -> Result<Option<(Bson, Bson)>> {
    let a = env.arg(args, 0)?;
    let b = env.arg(args, 1)?;
    if nullish(&a) || nullish(&b) {
        return Ok(None);
    }
    for v in [&a, &b] {
        if width(v).is_none() {
            return Err(MongoError::type_mismatch(format!(
                "{name} only supports numeric types, not {} and {}",
                type_name(&a),
                type_name(&b)
            )));
        }
    }
    Ok(Some((a, b)))
}

/// `$divide`: always a double (or a decimal).
fn divide(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((a, b)) = two_numbers("$divide", args, env)? else {
        return Ok(Bson::Null);
    };
    if f(&b) == 0.0 {
        return Err(MongoError::bad_value("can't $divide by zero"));
    }
    let w = width(&a)
        .max(width(&b))
        .unwrap_or(Width::Double)
        .max(Width::Double);
    if w == Width::Decimal {
        if let (Some(x), Some(y)) = (
            crate::decimal::Exact::operand(&a),
            crate::decimal::Exact::operand(&b),
        ) {
            if let Some(q) = x.div(&y) {
                return Ok(q.to_bson());
            }
        }
    }
    Ok(from_float(f(&a) / f(&b), w))
}

/// `$mod`: the remainder, with the dividend's sign.
fn modulo(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((a, b)) = two_numbers("$mod", args, env)? else {
        return Ok(Bson::Null);
    };
    if f(&b) == 0.0 {
        return Err(MongoError::location(16610, "can't $mod by zero"));
    }
    let w = width(&a).max(width(&b)).unwrap_or(Width::Double);
    match (int_of(&a), int_of(&b)) {
        (Some(i), Some(j)) => Ok(from_int(i % j, w)),
        _ => Ok(from_float(f(&a) % f(&b), w)),
    }
}

fn unary(
    name: &str,
    args: &Args,
    env: &mut Env,
    op: fn(f64) -> f64,
    keep_int: bool,
) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    if nullish(&v) {
        return Ok(Bson::Null);
    }
    let Some(w) = width(&v) else {
        return Err(MongoError::type_mismatch(format!(
            "{name} only supports numeric types, not {}",
            type_name(&v)
        )));
    };
    if keep_int {
        if let Some(i) = int_of(&v) {
            return Ok(from_int(op(i as f64) as i128, w));
        }
    }
    Ok(from_float(op(f(&v)), w.max(Width::Double)))
}

/// `$abs`.
fn abs(args: &Args, env: &mut Env) -> Result<Bson> {
    unary("$abs", args, env, f64::abs, true)
}
/// `$ceil`.
fn ceil(args: &Args, env: &mut Env) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    if int_of(&v).is_some() {
        return Ok(v);
    }
    unary("$ceil", args, env, f64::ceil, true)
}
/// `$floor`.
fn floor(args: &Args, env: &mut Env) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    if int_of(&v).is_some() {
        return Ok(v);
    }
    unary("$floor", args, env, f64::floor, true)
}
/// `$sqrt`.
fn sqrt(args: &Args, env: &mut Env) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    if f(&v) < 0.0 {
        return Err(MongoError::location(
            28714,
            "$sqrt's argument must be greater than or equal to 0",
        ));
    }
    unary("$sqrt", args, env, f64::sqrt, false)
}
/// `$exp`.
fn exp(args: &Args, env: &mut Env) -> Result<Bson> {
    unary("$exp", args, env, f64::exp, false)
}
/// `$ln`.
fn ln(args: &Args, env: &mut Env) -> Result<Bson> {
    positive_argument("$ln", 28766, &env.arg(args, 0)?)?;
    unary("$ln", args, env, f64::ln, false)
}

/// The logarithms take positive numbers only (NaN passes through).
fn positive_argument(name: &str, code: i32, v: &Bson) -> Result<()> {
    if width(v).is_some() && f(v) <= 0.0 {
        return Err(MongoError::location(
            code,
            format!(
                "{name}'s argument must be a positive number, but is {}",
                crate::value::shell(v)
            ),
        ));
    }
    Ok(())
}
/// `$log10`.
fn log10(args: &Args, env: &mut Env) -> Result<Bson> {
    positive_argument("$log10", 28761, &env.arg(args, 0)?)?;
    unary("$log10", args, env, f64::log10, false)
}
/// `$log`: `[number, base]`.
fn log(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((a, b)) = two_numbers("$log", args, env)? else {
        return Ok(Bson::Null);
    };
    positive_argument("$log", 28758, &a)?;
    if f(&b) <= 0.0 || f(&b) == 1.0 {
        return Err(MongoError::location(
            28759,
            format!(
                "$log's base must be a positive number not equal to 1, but is {}",
                crate::value::shell(&b)
            ),
        ));
    }
    Ok(Bson::Double(f(&a).ln() / f(&b).ln()))
}
/// `$pow`: integers stay integers while exact.
fn pow(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((a, b)) = two_numbers("$pow", args, env)? else {
        return Ok(Bson::Null);
    };
    let w = width(&a).max(width(&b)).unwrap_or(Width::Double);
    if let (Some(base), Some(e)) = (int_of(&a), int_of(&b)) {
        if (0..=64).contains(&e) {
            if let Some(p) = base.checked_pow(e as u32) {
                return Ok(from_int(p, w));
            }
        }
        if base == 0 && e < 0 {
            return Err(MongoError::location(
                28764,
                "$pow cannot take a base of 0 and a negative exponent",
            ));
        }
    }
    Ok(from_float(f(&a).powf(f(&b)), w.max(Width::Double)))
}

fn places(args: &Args, env: &mut Env) -> Result<i32> {
    let p = env.arg(args, 1)?;
    if matches!(p, Bson::Undefined) {
        return Ok(0);
    }
    match as_num(&p) {
        Some(n) if (-20.0..=100.0).contains(&n.as_f64()) && n.as_f64().fract() == 0.0 => {
            Ok(n.as_f64() as i32)
        }
        _ => Err(MongoError::location(
            51082,
            "place value must be an integer between -20 and 100",
        )),
    }
}

fn round_with(args: &Args, env: &mut Env, name: &str, op: fn(f64) -> f64) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    if nullish(&v) {
        return Ok(Bson::Null);
    }
    let Some(w) = width(&v) else {
        return Err(MongoError::type_mismatch(format!(
            "{name} only supports numeric types, not {}",
            type_name(&v)
        )));
    };
    let p = places(args, env)?;
    let scale = 10f64.powi(p);
    let r = op(f(&v) * scale) / scale;
    if int_of(&v).is_some() {
        if p >= 0 {
            return Ok(v);
        }
        return Ok(from_int(r as i128, w));
    }
    Ok(from_float(r, w))
}

/// Rounds half to even, as MongoDB does.
fn round_half_even(x: f64) -> f64 {
    let r = x.round();
    if (x - x.trunc()).abs() == 0.5 {
        2.0 * (x / 2.0).round()
    } else {
        r
    }
}

/// `$round`: half to even.
fn round(args: &Args, env: &mut Env) -> Result<Bson> {
    round_with(args, env, "$round", round_half_even)
}
/// `$trunc`.
fn trunc(args: &Args, env: &mut Env) -> Result<Bson> {
    round_with(args, env, "$trunc", f64::trunc)
}
