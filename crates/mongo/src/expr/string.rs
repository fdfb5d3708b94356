//! String expression operators (manual: "String Expression Operators").

use bson::{Bson, Document};

use super::{nullish, Args, Env, OpEntry, Style};
use crate::error::{MongoError, Result};
use crate::query::evaluation::compile_regex;
use crate::value::{as_num, type_name};

const ANY: usize = usize::MAX;

pub const OPERATORS: &[OpEntry] = &[
    ("$concat", Style::List { min: 0, max: ANY }, concat),
    ("$toUpper", Style::List { min: 1, max: 1 }, to_upper),
    ("$toLower", Style::List { min: 1, max: 1 }, to_lower),
    ("$substr", Style::List { min: 3, max: 3 }, substr_bytes),
    ("$substrBytes", Style::List { min: 3, max: 3 }, substr_bytes),
    ("$substrCP", Style::List { min: 3, max: 3 }, substr_cp),
    ("$strLenCP", Style::List { min: 1, max: 1 }, str_len_cp),
    (
        "$strLenBytes",
        Style::List { min: 1, max: 1 },
        str_len_bytes,
    ),
    ("$split", Style::List { min: 2, max: 2 }, split),
    ("$trim", Style::Named, trim),
    ("$ltrim", Style::Named, ltrim),
    ("$rtrim", Style::Named, rtrim),
    ("$indexOfCP", Style::List { min: 2, max: 4 }, index_of_cp),
    ("$strcasecmp", Style::List { min: 2, max: 2 }, strcasecmp),
    ("$regexMatch", Style::Named, regex_match),
    ("$regexFind", Style::Named, regex_find),
    ("$regexFindAll", Style::Named, regex_find_all),
    (
        "$indexOfBytes",
        Style::List { min: 2, max: 4 },
        index_of_bytes,
    ),
    ("$replaceOne", Style::Named, replace_one),
    ("$replaceAll", Style::Named, replace_all),
];

/// A string argument; `Ok(None)` for null or missing.
fn string_arg(name: &str, v: &Bson) -> Result<Option<String>> {
    match v {
        Bson::String(s) | Bson::Symbol(s) => Ok(Some(s.clone())),
        v if nullish(v) => Ok(None),
        other => Err(MongoError::location(
            16702,
            format!("{name} only supports strings, not {}", type_name(other)),
        )),
    }
}

/// A start or end index of the `$indexOf...` operators: negative ones are errors.
pub fn nonnegative(name: &str, what: &str, i: i64) -> Result<usize> {
    usize::try_from(i).map_err(|_| {
        MongoError::location(
            40097,
            format!("{name} requires a nonnegative {what} index, found: {i}"),
        )
    })
}

fn int_arg(name: &str, v: &Bson) -> Result<i64> {
    match as_num(v) {
        Some(n) if n.as_f64().fract() == 0.0 => Ok(n.as_f64() as i64),
        _ => Err(MongoError::location(
            34449,
            format!(
                "{name}: starting index must be a numeric type (is BSON type {})",
                type_name(v)
            ),
        )),
    }
}

/// `$concat`: null when any argument is null or missing.
fn concat(args: &Args, env: &mut Env) -> Result<Bson> {
    let mut out = String::new();
    for v in env.all_args(args)? {
        match string_arg("$concat", &v)? {
            Some(s) => out.push_str(&s),
            None => return Ok(Bson::Null),
        }
    }
    Ok(Bson::String(out))
}

/// Converts scalars the way `$toUpper` does: null becomes "", numbers their text.
fn coerce(v: &Bson) -> Result<String> {
    match v {
        Bson::String(s) => Ok(s.clone()),
        v if nullish(v) => Ok(String::new()),
        Bson::Int32(i) => Ok(i.to_string()),
        Bson::Int64(i) => Ok(i.to_string()),
        Bson::Double(f) => Ok(f.to_string()),
        Bson::Decimal128(d) => Ok(d.to_string()),
        Bson::DateTime(d) => {
            crate::expr::date::format_date(d.timestamp_millis(), "%Y-%m-%dT%H:%M:%S.%LZ")
        }
        other => Err(MongoError::location(
            16007,
            format!(
                "can't convert from BSON type {} to String",
                type_name(other)
            ),
        )),
    }
}

/// `$toUpper`.
fn to_upper(args: &Args, env: &mut Env) -> Result<Bson> {
    // Only ASCII letters change (manual: "$toUpper only has a well-defined behavior for strings
    // of ASCII characters"); the server maps bytes, leaving other characters as they are.
    Ok(Bson::String(
        coerce(&env.arg(args, 0)?)?.to_ascii_uppercase(),
    ))
}

/// `$toLower`.
fn to_lower(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::String(
        coerce(&env.arg(args, 0)?)?.to_ascii_lowercase(),
    ))
}

/// `$substrBytes` (and the old `$substr`): by UTF-8 bytes; a cut inside a character is an error.
fn substr_bytes(args: &Args, env: &mut Env) -> Result<Bson> {
    let s = coerce(&env.arg(args, 0)?)?;
    let start = int_arg("$substrBytes", &env.arg(args, 1)?)?.max(0) as usize;
    let len = int_arg("$substrBytes", &env.arg(args, 2)?)?;
    let start = start.min(s.len());
    let end = if len < 0 {
        s.len()
    } else {
        start.saturating_add(len as usize).min(s.len())
    };
    s.get(start..end)
        .map(|sub| Bson::String(sub.to_string()))
        .ok_or_else(|| {
            MongoError::location(
                28656,
                "$substrBytes: Invalid range, starting index is a UTF-8 continuation byte.",
            )
        })
}

/// `$substrCP`: by code points.
fn substr_cp(args: &Args, env: &mut Env) -> Result<Bson> {
    let s = coerce(&env.arg(args, 0)?)?;
    let start = int_arg("$substrCP", &env.arg(args, 1)?)?;
    let len = int_arg("$substrCP", &env.arg(args, 2)?)?;
    if start < 0 || len < 0 {
        return Err(MongoError::location(
            34455,
            "$substrCP: the starting index and length must be non-negative",
        ));
    }
    Ok(Bson::String(
        s.chars().skip(start as usize).take(len as usize).collect(),
    ))
}

/// `$strLenCP`.
fn str_len_cp(args: &Args, env: &mut Env) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    match v {
        Bson::String(s) => Ok(Bson::Int32(s.chars().count() as i32)),
        other => Err(MongoError::location(
            34471,
            format!(
                "$strLenCP requires a string argument, found: {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$strLenBytes`.
fn str_len_bytes(args: &Args, env: &mut Env) -> Result<Bson> {
    let v = env.arg(args, 0)?;
    match v {
        Bson::String(s) => Ok(Bson::Int32(s.len() as i32)),
        other => Err(MongoError::location(
            34473,
            format!(
                "$strLenBytes requires a string argument, found: {}",
                type_name(&other)
            ),
        )),
    }
}

/// `$split`: keeps empty pieces.
fn split(args: &Args, env: &mut Env) -> Result<Bson> {
    let s = env.arg(args, 0)?;
    let d = env.arg(args, 1)?;
    if nullish(&s) || nullish(&d) {
        return Ok(Bson::Null);
    }
    let (Bson::String(s), Bson::String(d)) = (&s, &d) else {
        return Err(MongoError::location(
            40085,
            "$split requires an expression that evaluates to a string as a first argument",
        ));
    };
    if d.is_empty() {
        return Err(MongoError::location(
            40087,
            "$split requires a non-empty separator",
        ));
    }
    Ok(Bson::Array(
        s.split(d.as_str())
            .map(|p| Bson::String(p.to_string()))
            .collect(),
    ))
}

fn trim_with(args: &Args, env: &mut Env, start: bool, end: bool) -> Result<Bson> {
    let input = env.named(args, "input")?;
    let Some(s) = string_arg("$trim", &input)? else {
        return Ok(Bson::Null);
    };
    let chars = env.named(args, "chars")?;
    let set: Option<Vec<char>> = string_arg("$trim", &chars)?.map(|c| c.chars().collect());
    let is_trim = |c: char| match &set {
        Some(set) => set.contains(&c),
        None => c.is_whitespace() || c == '\0',
    };
    let mut out: &str = &s;
    if start {
        out = out.trim_start_matches(is_trim);
    }
    if end {
        out = out.trim_end_matches(is_trim);
    }
    Ok(Bson::String(out.to_string()))
}

/// `$trim`.
fn trim(args: &Args, env: &mut Env) -> Result<Bson> {
    trim_with(args, env, true, true)
}
/// `$ltrim`.
fn ltrim(args: &Args, env: &mut Env) -> Result<Bson> {
    trim_with(args, env, true, false)
}
/// `$rtrim`.
fn rtrim(args: &Args, env: &mut Env) -> Result<Bson> {
    trim_with(args, env, false, true)
}

/// `$indexOfCP`: the code point index of the first occurrence, or -1.
fn index_of_cp(args: &Args, env: &mut Env) -> Result<Bson> {
    let s = env.arg(args, 0)?;
    let Some(s) = string_arg("$indexOfCP", &s)? else {
        return Ok(Bson::Null);
    };
    let Some(needle) = string_arg("$indexOfCP", &env.arg(args, 1)?)? else {
        return Err(MongoError::location(
            40094,
            "$indexOfCP requires a string as the second argument",
        ));
    };
    let chars: Vec<char> = s.chars().collect();
    let needle: Vec<char> = needle.chars().collect();
    let start = match env.arg(args, 2)? {
        Bson::Undefined => 0,
        v => nonnegative("$indexOfCP", "start", int_arg("$indexOfCP", &v)?)?,
    };
    let end = match env.arg(args, 3)? {
        Bson::Undefined => chars.len(),
        v => nonnegative("$indexOfCP", "end", int_arg("$indexOfCP", &v)?)?.min(chars.len()),
    };
    let mut i = start;
    while i + needle.len() <= end {
        if chars.get(i..i + needle.len()) == Some(&needle[..]) {
            return Ok(Bson::Int32(i as i32));
        }
        i += 1;
    }
    Ok(Bson::Int32(-1))
}

/// `$indexOfBytes`: the byte index of the first occurrence within `[start, end)`, or -1.
fn index_of_bytes(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some(s) = string_arg("$indexOfBytes", &env.arg(args, 0)?)? else {
        return Ok(Bson::Null);
    };
    let Some(needle) = string_arg("$indexOfBytes", &env.arg(args, 1)?)? else {
        return Err(MongoError::location(
            40092,
            "$indexOfBytes requires a string as the second argument",
        ));
    };
    let (hay, needle) = (s.as_bytes(), needle.as_bytes());
    let start = match env.arg(args, 2)? {
        Bson::Undefined => 0,
        v => nonnegative("$indexOfBytes", "start", int_arg("$indexOfBytes", &v)?)?,
    };
    let end = match env.arg(args, 3)? {
        Bson::Undefined => hay.len(),
        v => nonnegative("$indexOfBytes", "end", int_arg("$indexOfBytes", &v)?)?.min(hay.len()),
    };
    let mut i = start;
    while i + needle.len() <= end {
        if hay.get(i..i + needle.len()) == Some(needle) {
            return Ok(Bson::Int32(i as i32));
        }
        i += 1;
    }
    Ok(Bson::Int32(-1))
}

/// `$strcasecmp`.
fn strcasecmp(args: &Args, env: &mut Env) -> Result<Bson> {
    let a = coerce(&env.arg(args, 0)?)?.to_ascii_uppercase();
    let b = coerce(&env.arg(args, 1)?)?.to_ascii_uppercase();
    Ok(Bson::Int32(match a.cmp(&b) {
        std::cmp::Ordering::Less => -1,
        std::cmp::Ordering::Equal => 0,
        std::cmp::Ordering::Greater => 1,
    }))
}

fn regex_args(
    args: &Args,
    env: &mut Env,
    name: &str,
) -> Result<Option<(String, crate::query::RegexCond)>> {
    let input = env.named(args, "input")?;
    let regex = env.named(args, "regex")?;
    let options = env.named(args, "options")?;
    let Some(input) = string_arg(name, &input)? else {
        return Ok(None);
    };
    let opts = match &options {
        Bson::String(o) => o.clone(),
        _ => String::new(),
    };
    let re = match regex {
        Bson::String(p) => compile_regex(&p, &opts)?,
        Bson::RegularExpression(r) => {
            let o = if opts.is_empty() {
                r.options.as_str().to_string()
            } else {
                opts
            };
            compile_regex(r.pattern.as_str(), &o)?
        }
        v if nullish(&v) => return Ok(None),
        other => {
            return Err(MongoError::location(
                51105,
                format!(
                    "{name} needs 'regex' to be of type string or regex, found {}",
                    type_name(&other)
                ),
            ))
        }
    };
    Ok(Some((input, re)))
}

/// `$regexMatch`.
fn regex_match(args: &Args, env: &mut Env) -> Result<Bson> {
    Ok(Bson::Boolean(match regex_args(args, env, "$regexMatch")? {
        Some((input, re)) => re.regex.is_match(&input),
        None => false,
    }))
}

/// `$regexFind`: `{match, idx, captures}` of the first match, or null.
fn regex_find(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((input, re)) = regex_args(args, env, "$regexFind")? else {
        return Ok(Bson::Null);
    };
    Ok(re
        .regex
        .captures(&input)
        .and_then(|caps| match_document(&input, &caps))
        .map_or(Bson::Null, Bson::Document))
}

/// `$regexFindAll`: the `{match, idx, captures}` of every match, an empty array for none or for
/// a null input.
fn regex_find_all(args: &Args, env: &mut Env) -> Result<Bson> {
    let Some((input, re)) = regex_args(args, env, "$regexFindAll")? else {
        return Ok(Bson::Array(Vec::new()));
    };
    Ok(Bson::Array(
        re.regex
            .captures_iter(&input)
            .filter_map(|caps| match_document(&input, &caps))
            .map(Bson::Document)
            .collect(),
    ))
}

/// One match as `$regexFind` reports it; `idx` counts code points.
fn match_document(input: &str, caps: &regex::Captures) -> Option<Document> {
    let m = caps.get(0)?;
    let mut doc = Document::new();
    doc.insert("match", m.as_str());
    doc.insert(
        "idx",
        input.get(..m.start()).map_or(0, |p| p.chars().count()) as i32,
    );
    let captures: Vec<Bson> = caps
        .iter()
        .skip(1)
        .map(|c| c.map_or(Bson::Null, |c| Bson::String(c.as_str().to_string())))
        .collect();
    doc.insert("captures", captures);
    Some(doc)
}

fn replace(args: &Args, env: &mut Env, all: bool) -> Result<Bson> {
    let name = if all { "$replaceAll" } else { "$replaceOne" };
    let input = string_arg(name, &env.named(args, "input")?)?;
    let find = string_arg(name, &env.named(args, "find")?)?;
    let replacement = string_arg(name, &env.named(args, "replacement")?)?;
    let (Some(input), Some(find), Some(replacement)) = (input, find, replacement) else {
        return Ok(Bson::Null);
    };
    Ok(Bson::String(if all {
        input.replace(&find, &replacement)
    } else {
        input.replacen(&find, &replacement, 1)
    }))
}

/// `$replaceOne`.
fn replace_one(args: &Args, env: &mut Env) -> Result<Bson> {
    replace(args, env, false)
}
/// `$replaceAll`.
fn replace_all(args: &Args, env: &mut Env) -> Result<Bson> {
    replace(args, env, true)
}
