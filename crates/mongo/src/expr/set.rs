//! Set expression operators (manual: "Set Expression Operators"): arrays read as sets, so
//! duplicates and order are ignored; members compare as `$eq` does (numbers by value).

use bson::Bson;

use super::{nullish, Args, Env, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::value::{type_name, values_equal};

const ANY: usize = usize::MAX;

pub const OPERATORS: &[OpEntry] = &[
    ("$setEquals", Style::List { min: 2, max: ANY }, set_equals),
    (
        "$setIntersection",
        Style::List { min: 0, max: ANY },
        set_intersection,
    ),
    ("$setUnion", Style::List { min: 0, max: ANY }, set_union),
    (
        "$setDifference",
        Style::List { min: 2, max: 2 },
        set_difference,
    ),
    (
        "$setIsSubset",
        Style::List { min: 2, max: 2 },
        set_is_subset,
    ),
    (
        "$anyElementTrue",
        Style::List { min: 1, max: 1 },
        any_element_true,
    ),
    (
        "$allElementsTrue",
        Style::List { min: 1, max: 1 },
        all_elements_true,
    ),
];

/// The members of an array without duplicates, in first-seen order.
fn distinct(items: Vec<Bson>) -> Vec<Bson> {
    let mut out: Vec<Bson> = Vec::with_capacity(items.len());
    for item in items {
        if !out.iter().any(|o| values_equal(o, &item)) {
            out.push(item);
        }
    }
    out
}

fn contains(set: &[Bson], v: &Bson) -> bool {
    set.iter().any(|s| values_equal(s, v))
}

/// Every argument as a set; `None` when one is null or missing (the operators that then
/// return null), an error naming the operator when one is not an array.
fn sets(name: &str, code: i32, args: &Args, env: &mut Env) -> Result<Option<Vec<Vec<Bson>>>> {
    let mut out = Vec::new();
    let mut saw_null = false;
    for v in env.all_args(args)? {
        match v {
            Bson::Array(items) => out.push(distinct(items)),
            v if nullish(&v) => saw_null = true,
            other => {
                return Err(MongoError::location(
                    code,
                    format!(
                        "All operands of {name} must be arrays. One argument is of type: {}",
                        type_name(&other)
                    ),
                ))
            }
        }
    }
    Ok(if saw_null { None } else { Some(out) })
}

/// Every argument as a set, where null and missing are errors too.
fn strict_sets(name: &str, code: i32, args: &Args, env: &mut Env) -> Result<Vec<Vec<Bson>>> {
    let mut out = Vec::new();
    for v in env.all_args(args)? {
        match v {
            Bson::Array(items) => out.push(distinct(items)),
            other => {
                return Err(MongoError::location(
                    code,
                    format!(
                        "All operands of {name} must be arrays. One argument is of type: {}",
                        type_name(&other)
                    ),
                ))
            }
        }
    }
    Ok(out)
}

/// `$setEquals`: true when every array holds the same distinct members.
fn set_equals(args: &Args, env: &mut Env) -> Result<Bson> {
    let all = strict_sets("$setEquals", 17044, args, env)?;
    let Some((first, rest)) = all.split_first() else {
        return Ok(Bson::Boolean(true));
    };
    Ok(Bson::Boolean(rest.iter().all(|s| {
        s.len() == first.len() && s.iter().all(|v| contains(first, v))
    })))
}

/// `$setIntersection`: the members common to every array; null if one argument is null.
fn set_intersection(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(all) = sets("$setIntersection", 17047, args, env)? else {
        return Ok(Bson::Null);
    };
    let mut iter = all.into_iter();
    let Some(mut acc) = iter.next() else {
        return Ok(Bson::Array(Vec::new()));
    };
    for s in iter {
        acc.retain(|v| contains(&s, v));
    }
    Ok(Bson::Array(acc))
}

/// `$setUnion`: the members of any array; null if one argument is null.
fn set_union(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(all) = sets("$setUnion", 17043, args, env)? else {
        return Ok(Bson::Null);
    };
    Ok(Bson::Array(distinct(all.into_iter().flatten().collect())))
}

/// `$setDifference`: the members of the first array absent from the second.
fn set_difference(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(all) = sets("$setDifference", 17048, args, env)? else {
        return Ok(Bson::Null);
    };
    let mut iter = all.into_iter();
    let (Some(mut a), Some(b)) = (iter.next(), iter.next()) else {
        return Ok(Bson::Null);
    };
    a.retain(|v| !contains(&b, v));
    Ok(Bson::Array(a))
}

/// `$setIsSubset`: true when every member of the first array is in the second.
fn set_is_subset(args: &Args, env: &mut Env) -> Result<Bson> {
    let all = strict_sets("$setIsSubset", 17046, args, env)?;
    let (Some(a), Some(b)) = (all.first(), all.get(1)) else {
        return Ok(Bson::Boolean(true));
    };
    Ok(Bson::Boolean(a.iter().all(|v| contains(b, v))))
}

fn elements(name: &str, args: &Args, env: &mut Env) -> Result<Vec<Bson>> {
    match env.arg(args, 0)? {
        Bson::Array(items) => Ok(items),
        other => Err(MongoError::location(
            5159200,
            format!(
                "{name}'s argument must be an array, but is {}",
                if matches!(other, Bson::Undefined) {
                    "missing"
                } else {
                    type_name(&other)
                }
            ),
        )),
    }
}

/// `$anyElementTrue`: an empty array gives false.
fn any_element_true(args: &Args, env: &mut Env) -> Result<Bson> {
    let items = elements("$anyElementTrue", args, env)?;
    Ok(Bson::Boolean(items.iter().any(crate::value::truthy)))
}

/// `$allElementsTrue`: an empty array gives true.
fn all_elements_true(args: &Args, env: &mut Env) -> Result<Bson> {
    let items = elements("$allElementsTrue", args, env)?;
    Ok(Bson::Boolean(items.iter().all(crate::value::truthy)))
}
