//! Array query operators (manual: "Array Query Operators"): `$all $elemMatch $size`.

use bson::{Bson, Document};

use super::{
    leaf_matches, parse_field_value, parse_filter, parse_operator_doc, Cond, ElemMatch,
    FieldOperatorFn, MatchDetails, ParseCtx,
};
use crate::error::{MongoError, Result};
use crate::value::as_num;

pub const OPERATORS: &[(&str, FieldOperatorFn)] = &[
    ("$all", all),
    ("$elemMatch", elem_match_op),
    ("$size", size),
];

/// `$all`: manual page "$all"; every listed value (or `$elemMatch`) must be matched.
fn all(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    let Bson::Array(items) = operand else {
        return Err(MongoError::bad_value("$all needs an array"));
    };
    // Either every element is an `$elemMatch` or none is (manual: "$all", Use $all with
    // $elemMatch; the server says "$all/$elemMatch has to be consistent").
    let is_elem_match = |item: &Bson| matches!(item, Bson::Document(d) if d.keys().next().is_some_and(|k| k == "$elemMatch"));
    if items.iter().any(is_elem_match) && !items.iter().all(is_elem_match) {
        return Err(MongoError::bad_value(
            "$all/$elemMatch has to be consistent",
        ));
    }
    let conds = items
        .iter()
        .map(|item| match item {
            Bson::Document(d) if d.keys().next().is_some_and(|k| k == "$elemMatch") => {
                parse_operator_doc(d, ctx)
            }
            Bson::Document(d) if d.keys().next().is_some_and(|k| k.starts_with('$')) => {
                Err(MongoError::bad_value("no $ expressions in $all"))
            }
            other => parse_field_value(other, ctx),
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Cond::All(conds)))
}

/// Whether a filter uses `$expr` or `$where`, which apply to the top-level document only.
fn names_top_level_only(filter: &Document, depth: usize) -> bool {
    if depth > crate::expr::MAX_EXPR_DEPTH {
        return false;
    }
    filter.iter().any(|(k, v)| match (k.as_str(), v) {
        ("$expr" | "$where", _) => true,
        ("$and" | "$or" | "$nor", Bson::Array(clauses)) => clauses.iter().any(|c| match c {
            Bson::Document(d) => names_top_level_only(d, depth + 1),
            _ => false,
        }),
        _ => false,
    })
}

/// `$elemMatch`: manual page "$elemMatch (query)".
fn elem_match_op(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    let Bson::Document(d) = operand else {
        return Err(MongoError::bad_value("$elemMatch needs an Object"));
    };
    let allow_text = ctx.allow_text;
    ctx.allow_text = false;
    let value_form = !d.is_empty()
        && d.keys().all(|k| {
            k.starts_with('$')
                && !matches!(
                    k.as_str(),
                    "$and" | "$or" | "$nor" | "$expr" | "$where" | "$text"
                )
        });
    if !value_form && names_top_level_only(d, 0) {
        return Err(MongoError::bad_value(
            "$expr can only be applied to the top-level document",
        ));
    }
    let em = if value_form {
        ElemMatch::Value(parse_operator_doc(d, ctx)?)
    } else {
        ElemMatch::Doc(parse_filter(d, ctx)?)
    };
    ctx.allow_text = allow_text;
    Ok(Some(Cond::ElemMatch(Box::new(em))))
}

/// `$size`: manual page "$size"; takes a whole number.
fn size(operand: &Bson, _: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    let Some(n) = as_num(operand) else {
        return Err(MongoError::bad_value(format!(
            "Failed to parse $size. Expected a number in: $size: {}",
            crate::value::shell(operand)
        )));
    };
    let f = n.as_f64();
    if f.fract() != 0.0 || !f.is_finite() {
        return Err(MongoError::bad_value(format!(
            "Failed to parse $size. Expected an integer in: $size: {}",
            crate::value::shell(operand)
        )));
    }
    if f < 0.0 {
        return Err(MongoError::bad_value(format!(
            "Failed to parse $size. Expected a non-negative number in: $size: {}",
            crate::value::shell(operand)
        )));
    }
    Ok(Some(Cond::Size(f as i64)))
}

pub fn size_matches(n: i64, value: Option<&Bson>) -> bool {
    matches!(value, Some(Bson::Array(items)) if items.len() as i64 == n)
}

/// `$elemMatch` on one value: it must be an array with an element satisfying every condition.
pub fn elem_match(
    em: &ElemMatch,
    value: Option<&Bson>,
    pos: Option<usize>,
    d: &mut MatchDetails,
) -> bool {
    let Some(Bson::Array(items)) = value else {
        return false;
    };
    for (i, item) in items.iter().enumerate() {
        let ok = match em {
            ElemMatch::Doc(filter) => match item {
                Bson::Document(doc) => filter.matches(doc, &mut MatchDetails::default()),
                _ => false,
            },
            ElemMatch::Value(cond) => elem_value_matches(cond, item),
        };
        if ok {
            if d.pos.is_none() {
                d.pos = pos.or(Some(i));
            }
            return true;
        }
    }
    false
}

/// One array element against value-form `$elemMatch` conditions: the element itself is tested,
/// not its own elements (except by a nested `$elemMatch`).
fn elem_value_matches(cond: &Cond, item: &Bson) -> bool {
    match cond {
        Cond::And(conds) => conds.iter().all(|c| elem_value_matches(c, item)),
        Cond::Not(inner) => !elem_value_matches(inner, item),
        Cond::ElemMatch(_) | Cond::Size(_) | Cond::All(_) => {
            leaf_matches(cond, Some(item), None, &mut MatchDetails::default())
        }
        _ => leaf_matches(cond, Some(item), None, &mut MatchDetails::default()),
    }
}
