//! Comparison expression operators (manual: "Comparison Expression Operators"): BSON order across
//! types, with a missing value below null.

use std::cmp::Ordering;

use bson::Bson;

use super::{Args, Env, OpEntry, Style};
use crate::error::Result;
use crate::value::compare;

pub const OPERATORS: &[OpEntry] = &[
    ("$eq", Style::List { min: 2, max: 2 }, eq),
    ("$ne", Style::List { min: 2, max: 2 }, ne),
    ("$gt", Style::List { min: 2, max: 2 }, gt),
    ("$gte", Style::List { min: 2, max: 2 }, gte),
    ("$lt", Style::List { min: 2, max: 2 }, lt),
    ("$lte", Style::List { min: 2, max: 2 }, lte),
    ("$cmp", Style::List { min: 2, max: 2 }, cmp),
];

/// The expression order: the query order, except that missing sorts below null.
pub fn expr_compare(a: &Bson, b: &Bson) -> Ordering {
    match (a, b) {
        (Bson::Undefined, Bson::Undefined) => Ordering::Equal,
        (Bson::Undefined, Bson::MinKey) => Ordering::Greater,
        (Bson::MinKey, Bson::Undefined) => Ordering::Less,
        (Bson::Undefined, _) => Ordering::Less,
        (_, Bson::Undefined) => Ordering::Greater,
        _ => compare(a, b),
    }
}

fn order(args: &Args, env: &mut Env) -> Result<Ordering> {
    let a = env.arg(args, 0)?;
    let b = env.arg(args, 1)?;
    Ok(expr_compare(&a, &b))
}

/// `$eq`.
fn eq(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? == Ordering::Equal))
}
/// `$ne`.
fn ne(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? != Ordering::Equal))
}
/// `$gt`.
fn gt(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? == Ordering::Greater))
}
/// `$gte`.
fn gte(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? != Ordering::Less))
}
/// `$lt`.
fn lt(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? == Ordering::Less))
}
/// `$lte`.
fn lte(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(order(args, env)? != Ordering::Greater))
}
/// `$cmp`: -1, 0 or 1.
fn cmp(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Int32(match order(args, env)? {
        Ordering::Less => -1,
        Ordering::Equal => 0,
        Ordering::Greater => 1,
    }))
}
