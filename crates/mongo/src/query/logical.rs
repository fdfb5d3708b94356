//! Logical query operators (manual: "Logical Query Operators"): `$and $or $nor` at the top of a
//! filter and `$not` on a field.

use bson::{Bson, Document};

use super::{
    evaluation, parse_filter, parse_operator_doc, Cond, FieldOperatorFn, Filter, ParseCtx,
    TopOperatorFn,
};
use crate::error::{MongoError, Result};

pub const TOP_OPERATORS: &[(&str, TopOperatorFn)] = &[("$and", and), ("$or", or), ("$nor", nor)];

pub const FIELD_OPERATORS: &[(&str, FieldOperatorFn)] = &[("$not", not)];

/// `$and`: manual page "$and".
fn and(operand: &Bson, ctx: &mut ParseCtx) -> Result<Filter> {
    Ok(Filter::And(clauses(operand, ctx)?))
}

/// `$or`: manual page "$or".
fn or(operand: &Bson, ctx: &mut ParseCtx) -> Result<Filter> {
    Ok(Filter::Or(clauses(operand, ctx)?))
}

/// `$nor`: manual page "$nor".
fn nor(operand: &Bson, ctx: &mut ParseCtx) -> Result<Filter> {
    // Manual "$text", Restrictions: the $text query can not appear in $nor expressions.
    let allow_text = ctx.allow_text;
    ctx.allow_text = false;
    let parsed = clauses(operand, ctx);
    ctx.allow_text = allow_text;
    Ok(Filter::Nor(parsed?))
}

fn clauses(operand: &Bson, ctx: &mut ParseCtx) -> Result<Vec<Filter>> {
    let items = match operand {
        Bson::Array(items) if !items.is_empty() => items,
        _ => {
            return Err(MongoError::bad_value(
                "$and/$or/$nor must be a nonempty array",
            ))
        }
    };
    items
        .iter()
        .map(|item| match item {
            Bson::Document(d) => parse_filter(d, ctx),
            _ => Err(MongoError::bad_value(
                "$or/$and/$nor entries need to be full objects",
            )),
        })
        .collect()
}

/// `$not`: manual page "$not"; takes an operator document or a regular expression.
fn not(operand: &Bson, _: &Document, ctx: &mut ParseCtx) -> Result<Option<Cond>> {
    match operand {
        Bson::Document(d) => {
            if d.is_empty() {
                return Err(MongoError::bad_value("$not cannot be empty"));
            }
            if !d.keys().all(|k| k.starts_with('$')) {
                return Err(MongoError::bad_value(
                    "$not needs a regex or a document of operators",
                ));
            }
            Ok(Some(Cond::Not(Box::new(parse_operator_doc(d, ctx)?))))
        }
        Bson::RegularExpression(r) => Ok(Some(Cond::Not(Box::new(Cond::Regex(Box::new(
            evaluation::compile_regex(r.pattern.as_str(), r.options.as_str())?,
        )))))),
        _ => Err(MongoError::bad_value("$not needs a regex or a document")),
    }
}
