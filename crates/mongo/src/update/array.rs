//! Array update operators (manual: "Array Update Operators"): `$push` (with `$each $slice $sort
//! $position`), `$addToSet`, `$pop`, `$pull`, `$pullAll`.

use bson::{Bson, Document};

use super::{Action, Leaf, LeafCtx, PullCond, PushSort, PushSpec, UpdateOperatorFn};
use crate::error::{MongoError, Result};
use crate::query::{leaf_matches, parse_filter, parse_operator_doc, MatchDetails, ParseCtx};
use crate::sort::SortSpec;
use crate::value::{as_num, compare, shell, type_name, values_equal};

pub const OPERATORS: &[(&str, UpdateOperatorFn)] = &[
    ("$push", push),
    ("$addToSet", add_to_set),
    ("$pop", pop),
    ("$pull", pull),
    ("$pullAll", pull_all),
];

fn whole(v: &Bson) -> Option<i64> {
    as_num(v)
        .filter(|n| n.as_f64().fract() == 0.0)
        .map(|n| n.as_f64() as i64)
}

/// `$push`: manual page "$push".
fn push(_: &str, operand: &Bson) -> Result<Action> {
    let Bson::Document(d) = operand else {
        return Ok(Action::Push(Box::new(PushSpec::single(operand.clone()))));
    };
    if !d.contains_key("$each") {
        if d.keys().any(|k| k.starts_with('$'))
            && d.keys().next().is_some_and(|k| k.starts_with('$'))
        {
            return Err(MongoError::bad_value(format!(
                "Unrecognized clause in $push: {}",
                d.keys().next().map(String::as_str).unwrap_or("")
            )));
        }
        return Ok(Action::Push(Box::new(PushSpec::single(operand.clone()))));
    }
    let mut spec = PushSpec::single(Bson::Null);
    spec.values.clear();
    for (k, v) in d {
        match k.as_str() {
            "$each" => match v {
                Bson::Array(items) => spec.values = items.clone(),
                other => {
                    return Err(MongoError::bad_value(format!(
                        "The argument to $each in $push must be an array but it was of type: {}",
                        type_name(other)
                    )))
                }
            },
            "$slice" => {
                spec.slice = Some(whole(v).ok_or_else(|| {
                    MongoError::bad_value(format!(
                        "The value for $slice must be an integer value but was given type: {}",
                        type_name(v)
                    ))
                })?)
            }
            "$position" => {
                spec.position = Some(whole(v).ok_or_else(|| {
                    MongoError::bad_value(format!(
                        "The value for $position must be an integer value, not of type: {}",
                        type_name(v)
                    ))
                })?)
            }
            "$sort" => {
                spec.sort = Some(match v {
                    Bson::Document(s) => {
                        if s.is_empty() {
                            return Err(MongoError::bad_value(
                                "The $sort pattern is empty when it should be a set of fields.",
                            ));
                        }
                        PushSort::Fields(SortSpec::parse(s)?)
                    }
                    other => match whole(other) {
                        Some(1) => PushSort::Whole { descending: false },
                        Some(-1) => PushSort::Whole { descending: true },
                        _ => {
                            return Err(MongoError::bad_value(
                                "The $sort element value must be either 1 or -1",
                            ))
                        }
                    },
                })
            }
            other => {
                return Err(MongoError::bad_value(format!(
                    "Unrecognized clause in $push: {other}"
                )))
            }
        }
    }
    Ok(Action::Push(Box::new(spec)))
}

/// `$addToSet`: manual page "$addToSet".
fn add_to_set(_: &str, operand: &Bson) -> Result<Action> {
    if let Bson::Document(d) = operand {
        if let Some(each) = d.get("$each") {
            let Bson::Array(items) = each else {
                return Err(MongoError::type_mismatch(format!(
                    "The argument to $each in $addToSet must be an array but it was of type {}",
                    type_name(each)
                )));
            };
            return Ok(Action::AddToSet(items.clone()));
        }
    }
    Ok(Action::AddToSet(vec![operand.clone()]))
}

/// `$pop`: manual page "$pop"; 1 removes the last element, -1 the first.
fn pop(_: &str, operand: &Bson) -> Result<Action> {
    match whole(operand) {
        Some(1) => Ok(Action::Pop(false)),
        Some(-1) => Ok(Action::Pop(true)),
        _ => Err(MongoError::failed_to_parse(format!(
            "$pop expects 1 or -1, found: {}",
            shell(operand)
        ))),
    }
}

/// `$pull`: manual page "$pull"; a value, an operator document, or a query on elements.
fn pull(_: &str, operand: &Bson) -> Result<Action> {
    let mut ctx = ParseCtx::new(None);
    ctx.allow_text = false;
    let cond = match operand {
        Bson::Document(d)
            if d.keys().next().is_some_and(|k| k.starts_with('$'))
                && !matches!(
                    d.keys().next().map(String::as_str),
                    Some("$and" | "$or" | "$nor" | "$expr")
                ) =>
        {
            PullCond::Value(parse_operator_doc(d, &mut ctx)?)
        }
        Bson::Document(d) => PullCond::Doc(parse_filter(d, &mut ctx)?),
        Bson::RegularExpression(_) => {
            PullCond::Value(crate::query::parse_field_value(operand, &mut ctx)?)
        }
        other => PullCond::Equal(other.clone()),
    };
    Ok(Action::Pull(Box::new(cond)))
}

/// `$pullAll`: manual page "$pullAll".
fn pull_all(_: &str, operand: &Bson) -> Result<Action> {
    match operand {
        Bson::Array(items) => Ok(Action::PullAll(items.clone())),
        other => Err(MongoError::bad_value(format!(
            "$pullAll requires an array argument but was given a {}",
            type_name(other)
        ))),
    }
}

fn not_array(ctx: &LeafCtx, op: &str, current: &Bson) -> MongoError {
    let _ = op;
    MongoError::bad_value(format!(
        "The field '{}' must be an array but is of type {} in document {{_id: {}}}",
        ctx.field,
        type_name(current),
        shell(&ctx.id)
    ))
}

fn pull_matches(cond: &PullCond, item: &Bson) -> bool {
    match cond {
        PullCond::Equal(v) => values_equal(item, v),
        PullCond::Value(c) => leaf_matches(c, Some(item), None, &mut MatchDetails::default()),
        PullCond::Doc(f) => match item {
            Bson::Document(d) => f.matches(d, &mut MatchDetails::default()),
            _ => false,
        },
    }
}

/// Applies an array operator to the value at its path.
pub fn apply(action: &Action, current: Option<&Bson>, ctx: &LeafCtx) -> Result<Leaf> {
    Ok(match action {
        Action::Push(spec) => {
            let mut items = match current {
                None => Vec::new(),
                Some(Bson::Array(items)) => items.clone(),
                Some(other) => return Err(not_array(ctx, "$push", other)),
            };
            let at = match spec.position {
                None => items.len(),
                Some(p) if p < 0 => (items.len() as i64).saturating_add(p).max(0) as usize,
                Some(p) => (p as usize).min(items.len()),
            };
            for (i, v) in spec.values.iter().enumerate() {
                items.insert(at + i, v.clone());
            }
            if let Some(sort) = &spec.sort {
                items = sort_elements(items, sort);
            }
            if let Some(n) = spec.slice {
                if n >= 0 {
                    items.truncate(n as usize);
                } else {
                    let keep = n.unsigned_abs() as usize;
                    if items.len() > keep {
                        items.drain(..items.len() - keep);
                    }
                }
            }
            Leaf::Set(Bson::Array(items))
        }
        Action::AddToSet(values) => {
            let mut items = match current {
                None => Vec::new(),
                Some(Bson::Array(items)) => items.clone(),
                Some(other) => return Err(not_array(ctx, "$addToSet", other)),
            };
            let before = items.len();
            for v in values {
                if !items.iter().any(|i| {
                    values_equal(i, v) && crate::value::type_rank(i) == crate::value::type_rank(v)
                }) {
                    items.push(v.clone());
                }
            }
            if current.is_some() && items.len() == before {
                Leaf::Keep
            } else {
                Leaf::Set(Bson::Array(items))
            }
        }
        Action::Pop(first) => match current {
            None => Leaf::Keep,
            Some(Bson::Array(items)) => {
                if items.is_empty() {
                    Leaf::Keep
                } else {
                    let mut items = items.clone();
                    if *first {
                        items.remove(0);
                    } else {
                        items.pop();
                    }
                    Leaf::Set(Bson::Array(items))
                }
            }
            Some(other) => {
                return Err(MongoError::type_mismatch(format!(
                    "Path '{}' contains an element of non-array type '{}'",
                    ctx.field,
                    type_name(other)
                )))
            }
        },
        Action::Pull(cond) => remove_where(current, "$pull", |i| pull_matches(cond, i))?,
        Action::PullAll(values) => remove_where(current, "$pullAll", |i| {
            values.iter().any(|v| values_equal(i, v))
        })?,
        _ => Leaf::Keep,
    })
}

/// `$sort` inside `$push`: by whole elements (`1`/`-1`) or by fields of document elements.
fn sort_elements(mut items: Vec<Bson>, sort: &PushSort) -> Vec<Bson> {
    match sort {
        PushSort::Whole { descending: false } => {
            items.sort_by(compare);
            items
        }
        PushSort::Whole { descending: true } => {
            items.sort_by(|a, b| compare(b, a));
            items
        }
        PushSort::Fields(spec) => {
            let empty = Document::new();
            spec.sort(items, |item| match item {
                Bson::Document(d) => spec.key(d, None),
                _ => spec.key(&empty, None),
            })
        }
    }
}

/// `$pull` and `$pullAll`: the array without the elements `matches` picks; a missing field
/// stays missing and any other type is MongoDB's error naming the operator.
fn remove_where(current: Option<&Bson>, op: &str, matches: impl Fn(&Bson) -> bool) -> Result<Leaf> {
    match current {
        None => Ok(Leaf::Keep),
        Some(Bson::Array(items)) => {
            let kept: Vec<Bson> = items.iter().filter(|i| !matches(i)).cloned().collect();
            Ok(if kept.len() == items.len() {
                Leaf::Keep
            } else {
                Leaf::Set(Bson::Array(kept))
            })
        }
        Some(_) => Err(MongoError::bad_value(format!(
            "Cannot apply {op} to a non-array value"
        ))),
    }
}
