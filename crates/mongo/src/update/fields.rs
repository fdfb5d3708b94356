//! Field update operators (manual: "Field Update Operators"): `$set $unset $inc $mul $min $max
//! $rename $setOnInsert $currentDate`.

use std::cmp::Ordering;

use bson::{Bson, Timestamp};

use super::{Action, Leaf, LeafCtx, UpdateOperatorFn};
use crate::error::{MongoError, Result};
use crate::expr::arithmetic::{from_float, from_int, width, Width};
use crate::value::{as_num, compare, shell, type_name};

pub const OPERATORS: &[(&str, UpdateOperatorFn)] = &[
    ("$set", set),
    ("$unset", unset),
    ("$inc", inc),
    ("$mul", mul),
    ("$min", min),
    ("$max", max),
    ("$rename", rename),
    ("$setOnInsert", set_on_insert),
    ("$currentDate", current_date),
];

/// `$set`: manual page "$set".
fn set(_: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::Set(operand.clone()))
}

/// `$unset`: manual page "$unset"; the operand is ignored.
fn unset(_: &str, _: &Bson) -> Result<Action> {
    Ok(Action::Unset)
}

fn numeric_operand(path: &str, operand: &Bson, verb: &str) -> Result<Bson> {
    if width(operand).is_none() {
        return Err(MongoError::type_mismatch(format!(
            "Cannot {verb} with non-numeric argument: {{{path}: {}}}",
            shell(operand)
        )));
    }
    Ok(operand.clone())
}

/// `$inc`: manual page "$inc".
fn inc(path: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::Inc(numeric_operand(path, operand, "increment")?))
}

/// `$mul`: manual page "$mul".
fn mul(path: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::Mul(numeric_operand(path, operand, "multiply")?))
}

/// `$min`: manual page "$min".
fn min(_: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::Min(operand.clone()))
}

/// `$max`: manual page "$max".
fn max(_: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::Max(operand.clone()))
}

/// `$rename`: manual page "$rename"; the operand is the new name.
fn rename(path: &str, operand: &Bson) -> Result<Action> {
    let Bson::String(target) = operand else {
        return Err(MongoError::bad_value(format!(
            "The 'to' field for $rename must be a string: {path}: {}",
            shell(operand)
        )));
    };
    if target == path {
        return Err(MongoError::bad_value(format!(
            "The source and target field for $rename must differ: {path}: \"{target}\""
        )));
    }
    if target.starts_with(&format!("{path}.")) || path.starts_with(&format!("{target}.")) {
        return Err(MongoError::bad_value(format!(
            "The source and target field for $rename must not be on the same path: {path}: \"{target}\""
        )));
    }
    if target.contains('$') || path.contains('$') {
        return Err(MongoError::bad_value(format!(
            "The source field for $rename may not be dynamic: {path}"
        )));
    }
    Ok(Action::Rename(target.clone()))
}

/// `$setOnInsert`: manual page "$setOnInsert"; applies only when an upsert inserts.
fn set_on_insert(_: &str, operand: &Bson) -> Result<Action> {
    Ok(Action::SetOnInsert(operand.clone()))
}

/// `$currentDate`: manual page "$currentDate"; `true` or `{$type: "date" | "timestamp"}`.
fn current_date(_: &str, operand: &Bson) -> Result<Action> {
    match operand {
        Bson::Boolean(_) => Ok(Action::CurrentDate(false)),
        Bson::Document(d) => match d.get("$type") {
            Some(Bson::String(t)) if t == "date" => Ok(Action::CurrentDate(false)),
            Some(Bson::String(t)) if t == "timestamp" => Ok(Action::CurrentDate(true)),
            _ => Err(MongoError::bad_value(
                "The '$type' string field is required to be 'date' or 'timestamp': {$currentDate: {field : {$type: 'date'}}}",
            )),
        },
        other => Err(MongoError::bad_value(format!(
            "{} is not valid type for $currentDate. Please use a boolean ('true') or a $type expression ({{$type: 'timestamp/date'}}).",
            type_name(other)
        ))),
    }
}

fn non_numeric(ctx: &LeafCtx, op: &str, current: &Bson) -> MongoError {
    MongoError::type_mismatch(format!(
        "Cannot apply {op} to a value of non-numeric type. {{_id: {}}} has the field '{}' of non-numeric type {}",
        shell(&ctx.id),
        ctx.field,
        type_name(current)
    ))
}

fn add_numbers(a: &Bson, b: &Bson) -> Bson {
    let w = width(a).max(width(b)).unwrap_or(Width::Double);
    if w == Width::Decimal {
        if let Some(d) = crate::expr::arithmetic::decimal_fold(&[a, b], crate::decimal::Exact::add)
        {
            return d;
        }
    }
    match (a, b) {
        (Bson::Int32(_) | Bson::Int64(_), Bson::Int32(_) | Bson::Int64(_)) => {
            let x = as_num(a).map_or(0, |n| match n {
                crate::value::Num::Int(i) => i128::from(i),
                crate::value::Num::Float(f) => f as i128,
            });
            let y = as_num(b).map_or(0, |n| match n {
                crate::value::Num::Int(i) => i128::from(i),
                crate::value::Num::Float(f) => f as i128,
            });
            from_int(x + y, w)
        }
        _ => from_float(
            as_num(a).map_or(0.0, |n| n.as_f64()) + as_num(b).map_or(0.0, |n| n.as_f64()),
            w,
        ),
    }
}

fn mul_numbers(a: &Bson, b: &Bson) -> Bson {
    let w = width(a).max(width(b)).unwrap_or(Width::Double);
    if w == Width::Decimal {
        if let Some(d) = crate::expr::arithmetic::decimal_fold(&[a, b], crate::decimal::Exact::mul)
        {
            return d;
        }
    }
    let int = |v: &Bson| match v {
        Bson::Int32(i) => Some(i128::from(*i)),
        Bson::Int64(i) => Some(i128::from(*i)),
        _ => None,
    };
    match (int(a), int(b)) {
        (Some(x), Some(y)) => from_int(x * y, w),
        _ => from_float(
            as_num(a).map_or(0.0, |n| n.as_f64()) * as_num(b).map_or(0.0, |n| n.as_f64()),
            w,
        ),
    }
}

/// Applies a field operator to the value at its path.
pub fn apply(action: &Action, current: Option<&Bson>, ctx: &LeafCtx) -> Result<Leaf> {
    Ok(match action {
        Action::Set(v) => Leaf::Set(v.clone()),
        Action::SetOnInsert(v) => {
            if ctx.inserting {
                Leaf::Set(v.clone())
            } else {
                Leaf::Keep
            }
        }
        Action::Unset => {
            if current.is_some() {
                Leaf::Remove
            } else {
                Leaf::Keep
            }
        }
        Action::Inc(by) => match current {
            None => Leaf::Set(by.clone()),
            Some(c) if width(c).is_some() => Leaf::Set(add_numbers(c, by)),
            Some(c) => return Err(non_numeric(ctx, "$inc", c)),
        },
        Action::Mul(by) => match current {
            None => Leaf::Set(match by {
                Bson::Int32(_) => Bson::Int32(0),
                Bson::Int64(_) => Bson::Int64(0),
                Bson::Decimal128(_) => crate::expr::arithmetic::decimal(0.0),
                _ => Bson::Double(0.0),
            }),
            Some(c) if width(c).is_some() => Leaf::Set(mul_numbers(c, by)),
            Some(c) => return Err(non_numeric(ctx, "$mul", c)),
        },
        Action::Min(v) | Action::Max(v) => {
            let want = if matches!(action, Action::Min(_)) {
                Ordering::Less
            } else {
                Ordering::Greater
            };
            match current {
                None => Leaf::Set(v.clone()),
                Some(c) if compare(v, c) == want => Leaf::Set(v.clone()),
                Some(_) => Leaf::Keep,
            }
        }
        Action::CurrentDate(timestamp) => Leaf::Set(if *timestamp {
            Bson::Timestamp(Timestamp {
                time: (ctx.now_millis / 1000).clamp(0, i64::from(u32::MAX)) as u32,
                increment: 1,
            })
        } else {
            Bson::DateTime(bson::DateTime::from_millis(ctx.now_millis))
        }),
        _ => return super::array::apply(action, current, ctx),
    })
}
