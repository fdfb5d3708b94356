//! Boolean expression operators (manual: "Boolean Expression Operators"): false, null, missing
//! and zero are false; everything else, arrays included, is true.

use bson::Bson;

use super::{Args, Env, OpEntry, Style};
use crate::error::Result;
use crate::value::truthy;

pub const OPERATORS: &[OpEntry] = &[
    (
        "$and",
        Style::List {
            min: 0,
            max: usize::MAX,
        },
        and,
    ),
    (
        "$or",
        Style::List {
            min: 0,
            max: usize::MAX,
        },
        or,
    ),
    ("$not", Style::List { min: 1, max: 1 }, not),
];

/// `$and`: stops at the first false argument.
fn and(args: &Args, env: &mut Env) -> Result<Bson> {
    for e in args.list() {
        if !truthy(&env.eval(e)?) {
            return Ok(Bson::Boolean(false));
        }
    }
    Ok(Bson::Boolean(true))
}

/// `$or`: stops at the first true argument.
fn or(args: &Args, env: &mut Env) -> Result<Bson> {
    for e in args.list() {
        if truthy(&env.eval(e)?) {
            return Ok(Bson::Boolean(true));
        }
    }
    Ok(Bson::Boolean(false))
}

/// `$not`.
fn not(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(!truthy(&env.arg(args, 0)?)))
}
