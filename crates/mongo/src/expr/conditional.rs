//! Conditional expression operators (manual: "Conditional Expression Operators"): `$cond`,
//! `$ifNull`, `$switch`.

use bson::Bson;

use super::{nullish, Args, Env, Expr, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::value::truthy;

pub const OPERATORS: &[OpEntry] = &[
    ("$cond", Style::List { min: 1, max: 3 }, cond),
    (
        "$ifNull",
        Style::List {
            min: 2,
            max: usize::MAX,
        },
        if_null,
    ),
    ("$switch", Style::Named, switch),
];

/// `$cond`: `[if, then, else]` or `{if, then, else}` (the latter parses as one argument).
fn cond(args: &Args, env: &mut Env) -> Result<Bson> {
    let list = args.list();
    if let [Expr::Object(fields)] = list {
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, e)| e);
        for (k, _) in fields {
            if !matches!(k.as_str(), "if" | "then" | "else") {
                return Err(MongoError::location(
                    17083,
                    format!("Unrecognized parameter to $cond: {k}"),
                ));
            }
        }
        let (Some(i), Some(t), Some(e)) = (get("if"), get("then"), get("else")) else {
            return Err(MongoError::location(
                17080,
                "Missing 'if' parameter to $cond",
            ));
        };
        return if truthy(&env.eval(i)?) {
            env.eval(t)
        } else {
            env.eval(e)
        };
    }
    if list.len() != 3 {
        return Err(MongoError::location(
            16020,
            format!(
                "Expression $cond takes exactly 3 arguments. {} were passed in.",
                list.len()
            ),
        ));
    }
    if truthy(&env.arg(args, 0)?) {
        env.arg(args, 1)
    } else {
        env.arg(args, 2)
    }
}

/// `$ifNull`: the first argument that is neither null nor missing, else the last one.
fn if_null(args: &Args, env: &mut Env) -> Result<Bson> {
    let list = args.list();
    let Some((last, rest)) = list.split_last() else {
        return Ok(Bson::Null);
    };
    for e in rest {
        let v = env.eval(e)?;
        if !nullish(&v) {
            return Ok(v);
        }
    }
    env.eval(last)
}

/// `$switch`: the `then` of the first true `case`, else `default`, else an error.
fn switch(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(Expr::Array(branches)) = args.named("branches") else {
        return Err(MongoError::location(
            40061,
            "$switch requires at least one branch.",
        ));
    };
    for branch in branches {
        let Expr::Object(fields) = branch else {
            return Err(MongoError::location(
                40062,
                "$switch expected each branch to be an object",
            ));
        };
        let get = |name: &str| fields.iter().find(|(k, _)| k == name).map(|(_, e)| e);
        let (Some(case), Some(then)) = (get("case"), get("then")) else {
            return Err(MongoError::location(
                40064,
                "$switch requires each branch have a 'case' expression",
            ));
        };
        if truthy(&env.eval(case)?) {
            return env.eval(then);
        }
    }
    match args.named("default") {
        Some(d) => env.eval(d),
        None => Err(MongoError::location(
            40066,
            "$switch could not find a matching branch for an input, and no default was specified.",
        )),
    }
}
