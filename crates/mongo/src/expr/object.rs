//! Object expression operators (manual: "Object Expression Operators") and `$let`.

use bson::{Bson, Document};

use super::{nullish, Args, Env, Expr, OpEntry, Style, MISSING};
use crate::error::{MongoError, Result};
use crate::value::type_name;

pub const OPERATORS: &[OpEntry] = &[
    (
        "$mergeObjects",
        Style::List {
            min: 0,
            max: usize::MAX,
        },
        merge_objects,
    ),
    (
        "$objectToArray",
        Style::List { min: 1, max: 1 },
        object_to_array,
    ),
    (
        "$arrayToObject",
        Style::List { min: 1, max: 1 },
        array_to_object,
    ),
    ("$getField", Style::List { min: 1, max: 1 }, get_field),
    ("$setField", Style::Named, set_field),
    ("$unsetField", Style::Named, unset_field),
    ("$let", Style::Named, let_),
    ("$meta", Style::List { min: 1, max: 1 }, meta),
];

/// `$mergeObjects`: later documents win; null and missing are skipped.
fn merge_objects(args: &Args, env: &mut Env) -> Result<Bson> {
    let mut values = env.all_args(args)?;
    if values.len() == 1 {
        if let Some(Bson::Array(items)) = values.first() {
            values = items.clone();
        }
    }
    let mut out = Document::new();
    for v in values {
        match v {
            Bson::Document(d) => {
                for (k, v) in d {
                    out.insert(k, v);
                }
            }
            v if nullish(&v) => {}
            other => {
                return Err(MongoError::location(
                    40400,
                    format!(
                        "$mergeObjects requires object inputs, but input {} is of type {}",
                        crate::value::shell(&other),
                        type_name(&other)
                    ),
                ))
            }
        }
    }
    Ok(Bson::Document(out))
}

/// `$objectToArray`: `[{k, v}, ...]` in field order.
fn object_to_array(args: &Args, env: &mut Env) -> Result<Bson> {
    match env.arg(args, 0)? {
        Bson::Document(d) => Ok(Bson::Array(
            d.into_iter()
                .map(|(k, v)| {
                    let mut pair = Document::new();
                    pair.insert("k", k);
                    pair.insert("v", v);
                    Bson::Document(pair)
                })
                .collect(),
        )),
        v if nullish(&v) => Ok(Bson::Null),
        other => Err(MongoError::location(
            40390,
            format!(
                "$objectToArray requires a document input, found: {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$arrayToObject`: from `{k, v}` documents or `[key, value]` pairs.
fn array_to_object(args: &Args, env: &mut Env) -> Result<Bson> {
    let items = match env.arg(args, 0)? {
        Bson::Array(items) => items,
        v if nullish(&v) => return Ok(Bson::Null),
        other => {
            return Err(MongoError::location(
                40386,
                format!(
                    "$arrayToObject requires an array input, found: {}",
                    type_name(&other)
                ),
            ))
        }
    };
    let mut out = Document::new();
    for item in items {
        match item {
            Bson::Document(d) if d.len() == 2 => match (d.get("k"), d.get("v")) {
                (Some(Bson::String(k)), Some(v)) => {
                    out.insert(k.clone(), v.clone());
                }
                _ => {
                    return Err(MongoError::location(
                        40393,
                        "$arrayToObject requires an object with keys 'k' and 'v', where the value of 'k' is of type string",
                    ))
                }
            },
            Bson::Array(pair) if pair.len() == 2 => match (pair.first(), pair.get(1)) {
                (Some(Bson::String(k)), Some(v)) => {
                    out.insert(k.clone(), v.clone());
                }
                _ => {
                    return Err(MongoError::location(
                        40395,
                        "$arrayToObject requires an array of key-value pairs, where the key must be of type string",
                    ))
                }
            },
            _ => {
                return Err(MongoError::location(
                    40398,
                    "Unrecognised input type format for $arrayToObject",
                ))
            }
        }
    }
    Ok(Bson::Document(out))
}

/// `$getField`: `{field, input}` or just the field name.
fn get_field(args: &Args, env: &mut Env) -> Result<Bson> {
    let (field, input) = match args.list().first() {
        Some(Expr::Object(fields)) => {
            let get = |n: &str| fields.iter().find(|(k, _)| k == n).map(|(_, e)| e.clone());
            (get("field"), get("input"))
        }
        Some(other) => (Some(other.clone()), None),
        None => (None, None),
    };
    let name = match field.map(|f| env.eval(&f)).transpose()? {
        Some(Bson::String(s)) => s,
        _ => {
            return Err(MongoError::location(
                3041704,
                "$getField requires 'field' to evaluate to type String",
            ))
        }
    };
    let input = match input {
        Some(e) => env.eval(&e)?,
        None => env.root_field(&[]),
    };
    match input {
        Bson::Document(d) => Ok(d.get(&name).cloned().unwrap_or(MISSING)),
        v if nullish(&v) => Ok(Bson::Null),
        other => Err(MongoError::location(
            3041705,
            format!(
                "$getField requires 'input' to evaluate to type Object, but got {}",
                type_name(&other)
            ),
        )),
    }
}

/// The `field` of `$setField`/`$unsetField`: a constant string (use `$literal` for names that
/// start with `$`).
fn constant_field(name: &str, args: &Args) -> Result<String> {
    match args.named("field") {
        Some(Expr::Literal(Bson::String(s))) => Ok(s.clone()),
        Some(_) => Err(MongoError::location(
            4161106,
            format!("{name} requires 'field' to evaluate to a constant, but got a non-constant argument"),
        )),
        None => Err(MongoError::location(
            4161102,
            format!("{name} requires 'field' to be specified"),
        )),
    }
}

/// The `input` document of `$setField`/`$unsetField`; `None` for null or missing.
fn input_document(name: &str, args: &Args, env: &mut Env) -> Result<Option<Document>> {
    if args.named("input").is_none() {
        return Err(MongoError::location(
            4161103,
            format!("{name} requires 'input' to be specified"),
        ));
    }
    match env.named(args, "input")? {
        Bson::Document(d) => Ok(Some(d)),
        v if nullish(&v) => Ok(None),
        other => Err(MongoError::location(
            4161105,
            format!(
                "{name} requires 'input' to evaluate to type Object, but got {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$setField`: `{field, input, value}` adds, replaces or (with `$$REMOVE`) removes one field,
/// whose name may hold dots or start with `$`.
fn set_field(args: &Args, env: &mut Env) -> Result<Bson> {
    let field = constant_field("$setField", args)?;
    if args.named("value").is_none() {
        return Err(MongoError::location(
            4161104,
            "$setField requires 'value' to be specified",
        ));
    }
    let Some(mut doc) = input_document("$setField", args, env)? else {
        return Ok(Bson::Null);
    };
    match env.named(args, "value")? {
        Bson::Undefined => {
            doc.remove(&field);
        }
        v => {
            doc.insert(field, v);
        }
    }
    Ok(Bson::Document(doc))
}

/// `$unsetField`: `{field, input}`, `$setField` with `$$REMOVE`.
fn unset_field(args: &Args, env: &mut Env) -> Result<Bson> {
    let field = constant_field("$unsetField", args)?;
    let Some(mut doc) = input_document("$unsetField", args, env)? else {
        return Ok(Bson::Null);
    };
    doc.remove(&field);
    Ok(Bson::Document(doc))
}

/// A user variable name starts with a lowercase letter (or a non-ASCII character) and holds
/// only letters, digits and underscores (the server's variable name rule).
pub fn check_variable_name(name: &str) -> Result<()> {
    let mut chars = name.chars();
    let first_ok = chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || !c.is_ascii());
    if !first_ok {
        return Err(MongoError::location(
            16870,
            format!("'{name}' starts with an invalid character for a user variable name"),
        ));
    }
    if let Some(bad) = chars.find(|c| c.is_ascii() && !c.is_ascii_alphanumeric() && *c != '_') {
        return Err(MongoError::location(
            16871,
            format!("'{name}' contains an invalid character for a variable name: '{bad}'"),
        ));
    }
    Ok(())
}

/// `$meta`: `"textScore"` is the document's `$text` score (missing without a text search); the
/// other metadata the simulator does not keep are missing too.
fn meta(args: &Args, env: &mut Env) -> Result<Bson> {
    match args.list().first() {
        Some(Expr::Literal(Bson::String(name))) => match name.as_str() {
            "textScore" => Ok(env.text_score.map_or(MISSING, Bson::Double)),
            "searchScore" | "searchHighlights" | "searchScoreDetails" | "indexKey" | "recordId"
            | "sortKey" | "geoNearDistance" | "geoNearPoint" | "randVal" => Ok(MISSING),
            other => Err(MongoError::location(
                17308,
                format!("Unsupported argument to $meta: {other}"),
            )),
        },
        _ => Err(MongoError::location(
            17307,
            "$meta only supports string arguments",
        )),
    }
}

/// `$let`: `{vars: {...}, in: expr}`.
fn let_(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(Expr::Object(vars)) = args.named("vars") else {
        return Err(MongoError::location(
            16876,
            "Missing 'vars' parameter to $let",
        ));
    };
    let body = args
        .named("in")
        .ok_or_else(|| MongoError::location(16877, "Missing 'in' parameter to $let"))?;
    let mut values = Vec::with_capacity(vars.len());
    for (name, e) in vars {
        check_variable_name(name)?;
        values.push((name.clone(), env.eval(e)?));
    }
    let n = values.len();
    env.vars.extend(values);
    let out = env.eval(body);
    for _ in 0..n {
        env.vars.pop();
    }
    out
}
