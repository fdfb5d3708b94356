//! Comparison query operators (manual: "Comparison Query Operators"): `$eq $ne $gt $gte $lt $lte
//! $in $nin`. Values of different BSON types never compare (type bracketing), except that null
//! also stands for a missing field.

use std::cmp::Ordering;

use bson::{Bson, Document};

use super::{evaluation, CmpOp, Cond, FieldOperatorFn, InItem, InList, ParseCtx};
use crate::error::{MongoError, Result};
use crate::value::{as_num, compare, type_rank, values_equal, Num};

pub const OPERATORS: &[(&str, FieldOperatorFn)] = &[
    ("$eq", eq),
    ("$ne", ne),
    ("$gt", gt),
    ("$gte", gte),
    ("$lt", lt),
    ("$lte", lte),
    ("$in", in_),
    ("$nin", nin),
];

/// `$eq`: manual page "$eq".
fn eq(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    Ok(Some(ctx.collate(Cond::Eq(operand.clone()))))
}

/// `$ne`: manual page "$ne"; the negation of `$eq` over the whole field.
fn ne(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    Ok(Some(Cond::Not(Box::new(
        ctx.collate(Cond::Eq(operand.clone())),
    ))))
}

/// `$gt`: manual page "$gt".
fn gt(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    range(CmpOp::Gt, operand, ctx)
}

/// `$gte`: manual page "$gte".
fn gte(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    range(CmpOp::Gte, operand, ctx)
}

/// `$lt`: manual page "$lt".
fn lt(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    range(CmpOp::Lt, operand, ctx)
}

/// `$lte`: manual page "$lte".
fn lte(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    range(CmpOp::Lte, operand, ctx)
}

fn range(op: CmpOp, operand: &Bson, ctx: &ParseCtx) -> Result<Option<Cond>> {
    if let Bson::RegularExpression(_) = operand {
        return Err(MongoError::bad_value(format!(
            "Can't have RegEx as arg to predicate over field: {}",
            op_name(op)
        )));
    }
    Ok(Some(ctx.collate(Cond::Cmp(op, operand.clone()))))
}

pub fn op_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Gt => "$gt",
        CmpOp::Gte => "$gte",
        CmpOp::Lt => "$lt",
        CmpOp::Lte => "$lte",
    }
}

/// `$in`: manual page "$in".
fn in_(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    Ok(Some(
        ctx.collate(Cond::In(InList::new(in_items(operand, "$in")?))),
    ))
}

/// `$nin`: manual page "$nin"; the negation of `$in` over the whole field.
fn nin(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    Ok(Some(Cond::Not(Box::new(ctx.collate(Cond::In(
        InList::new(in_items(operand, "$nin")?),
    ))))))
}

fn in_items(operand: &Bson, name: &str) -> Result<Vec<InItem>> {
    let Bson::Array(items) = operand else {
        return Err(MongoError::bad_value(format!("{name} needs an array")));
    };
    items
        .iter()
        .map(|item| match item {
            Bson::RegularExpression(r) => Ok(InItem::Regex(Box::new(evaluation::compile_regex(
                r.pattern.as_str(),
                r.options.as_str(),
            )?))),
            Bson::Document(d) if d.keys().next().is_some_and(|k| k.starts_with('$')) => {
                Err(MongoError::bad_value(format!("cannot nest $ under {name}")))
            }
            other => Ok(InItem::Value(other.clone())),
        })
        .collect()
}

/// Equality of one value (not looking into arrays); null also matches a missing field, but
/// not `undefined` (MongoDB 8.0, manual: "Migrate Undefined Data and Queries").
pub fn eq_matches(expected: &Bson, value: Option<&Bson>) -> bool {
    match value {
        None => matches!(expected, Bson::Null),
        Some(v) => match (v, expected) {
            // The common cases first, without the general comparison.
            (Bson::String(a), Bson::String(b)) => crate::value::str_eq(a, b),
            (Bson::Int32(a), Bson::Int32(b)) => a == b,
            (Bson::Boolean(a), Bson::Boolean(b)) => a == b,
            (_, Bson::Null) => matches!(v, Bson::Null),
            _ => type_rank(v) == type_rank(expected) && values_equal(v, expected),
        },
    }
}

/// `$gt`-style comparison of one value, within its type bracket.
pub fn cmp_matches(op: CmpOp, bound: &Bson, value: Option<&Bson>) -> bool {
    let value = match value {
        Some(v) => v,
        None if matches!(bound, Bson::Null) => &Bson::Null,
        None => return false,
    };
    // Since 8.0 `undefined` no longer compares equal to null (null_query_semantics.js).
    if matches!((value, bound), (Bson::Undefined, Bson::Null)) {
        return false;
    }
    let bracketed =
        type_rank(value) == type_rank(bound) || matches!(bound, Bson::MinKey | Bson::MaxKey);
    if !bracketed {
        return false;
    }
    // NaN sorts below every number but a range never reaches it: only `$gte`/`$lte` NaN match
    // NaN itself (jstests/core/nan.js, nan_comparison.js).
    match (is_nan(value), is_nan(bound)) {
        (false, false) => {}
        (nan_value, nan_bound) => {
            return nan_value && nan_bound && matches!(op, CmpOp::Gte | CmpOp::Lte)
        }
    }
    let ord = compare(value, bound);
    match op {
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Gte => ord != Ordering::Less,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Lte => ord != Ordering::Greater,
    }
}

/// Whether a number is NaN (a double or a decimal).
pub fn is_nan(value: &Bson) -> bool {
    matches!(as_num(value), Some(Num::Float(f)) if f.is_nan())
}

/// `$in` on one value.
pub fn in_matches(items: &[InItem], value: Option<&Bson>) -> bool {
    in_matches_with(items, value, value)
}

/// `$in` on one value whose members compare with `compared` (its collation sort key) and whose
/// regular expressions test the value itself.
pub fn in_matches_with(items: &[InItem], value: Option<&Bson>, compared: Option<&Bson>) -> bool {
    items.iter().any(|item| match item {
        InItem::Value(v) => eq_matches(v, compared),
        InItem::Regex(re) => value.is_some_and(|v| evaluation::regex_matches(re, v)),
    })
}
