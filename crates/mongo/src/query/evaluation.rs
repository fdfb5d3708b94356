//! Evaluation query operators (manual: "Evaluation Query Operators"): `$regex $options $mod
//! $expr $text`. `$where` is refused: schemaplay runs no JavaScript.

use bson::{Bson, Document};

use super::{
    Cond, FieldOperatorFn, Filter, Literal, MatchDetails, ParseCtx, RegexCond, TopOperatorFn,
};
use crate::error::{MongoError, Result};
use crate::expr::{self, Expr};
use crate::value::{as_num, shell, truthy, Num};

pub const FIELD_OPERATORS: &[(&str, FieldOperatorFn)] = &[
    ("$regex", regex_op),
    ("$options", options_op),
    ("$mod", mod_op),
];

pub const TOP_OPERATORS: &[(&str, TopOperatorFn)] = &[
    ("$expr", expr_op),
    ("$text", text_op),
    ("$where", where_op),
    ("$jsonSchema", json_schema_op),
];

/// `$jsonSchema`: manual page "$jsonSchema"; the documents a JSON Schema accepts.
fn json_schema_op(operand: &Bson, _: &mut ParseCtx) -> Result<Filter> {
    let Bson::Document(spec) = operand else {
        return Err(MongoError::type_mismatch("$jsonSchema must be an object"));
    };
    Ok(Filter::Schema(std::rc::Rc::new(
        crate::schema::Schema::parse(spec)?,
    )))
}

/// Compiles a MongoDB regular expression with its options (`i m s x`) into a linear-time regex.
pub fn compile_regex(pattern: &str, options: &str) -> Result<RegexCond> {
    let mut flags = String::new();
    for c in options.chars() {
        match c {
            'i' | 'm' | 's' | 'x' => flags.push(c),
            'u' => {}
            other => {
                return Err(MongoError::location(
                    51108,
                    format!("invalid flag in regex options: {other}"),
                ))
            }
        }
    }
    let source = if flags.is_empty() {
        pattern.to_string()
    } else {
        format!("(?{flags}){pattern}")
    };
    let regex = regex::RegexBuilder::new(&source)
        .size_limit(1 << 20)
        .build()
        .map_err(|e| {
            MongoError::location(
                51091,
                format!(
                    "Regular expression is invalid: {}",
                    e.to_string().lines().last().unwrap_or("invalid pattern")
                ),
            )
        })?;
    Ok(RegexCond {
        regex,
        pattern: pattern.to_string(),
        options: options.to_string(),
        literal: literal_of(pattern, options),
    })
}

/// The literal a pattern reduces to, when options leave letters and anchors as they are.
fn literal_of(pattern: &str, options: &str) -> Literal {
    if options.contains(['i', 'm', 'x']) {
        return Literal::None;
    }
    let is_meta = |c: char| "\\.+*?()|[]{}^$#".contains(c);
    let (anchored, body) = match pattern.strip_prefix('^') {
        Some(rest) => (true, rest),
        None => (false, pattern),
    };
    let prefix: String = body.chars().take_while(|c| !is_meta(*c)).collect();
    let whole = prefix.len() == body.len();
    match (anchored, whole) {
        (true, _) if !prefix.is_empty() => Literal::Prefix { prefix, whole },
        (false, true) if !prefix.is_empty() => Literal::Contains(prefix),
        _ => Literal::None,
    }
}

/// `$regex`: manual page "$regex"; a string or a regular expression, options from `$options`.
fn regex_op(operand: &Bson, siblings: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    let options = match siblings.get("$options") {
        None => None,
        Some(Bson::String(s)) => Some(s.as_str()),
        Some(_) => return Err(MongoError::bad_value("$options has to be a string")),
    };
    let re = match operand {
        Bson::String(p) => compile_regex(p, options.unwrap_or(""))?,
        Bson::RegularExpression(r) => {
            if options.is_some() && !r.options.as_str().is_empty() {
                return Err(MongoError::bad_value(
                    "options set in both $regex and $options",
                ));
            }
            let opts = options.unwrap_or(r.options.as_str());
            compile_regex(r.pattern.as_str(), opts)?
        }
        _ => return Err(MongoError::bad_value("$regex has to be a string")),
    };
    Ok(Some(Cond::Regex(Box::new(re))))
}

/// `$options`: only meaningful next to `$regex`, which reads it.
fn options_op(_: &Bson, siblings: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    if siblings.contains_key("$regex") {
        Ok(None)
    } else {
        Err(MongoError::bad_value("$options needs a $regex"))
    }
}

pub fn regex_matches(re: &RegexCond, value: &Bson) -> bool {
    match value {
        Bson::String(s) | Bson::Symbol(s) => match &re.literal {
            Literal::Prefix { prefix, whole } => {
                s.starts_with(prefix.as_str()) && (*whole || re.regex.is_match(s))
            }
            Literal::Contains(text) => s.contains(text.as_str()),
            Literal::None => re.regex.is_match(s),
        },
        Bson::RegularExpression(r) => {
            r.pattern.as_str() == re.pattern && r.options.as_str() == re.options
        }
        _ => false,
    }
}

/// `$mod`: manual page "$mod"; `[divisor, remainder]`, both numbers, the divisor not zero.
fn mod_op(operand: &Bson, _: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    let Bson::Array(items) = operand else {
        return Err(MongoError::bad_value("malformed mod, needs to be an array"));
    };
    if items.len() < 2 {
        return Err(MongoError::bad_value("malformed mod, not enough elements"));
    }
    if items.len() > 2 {
        return Err(MongoError::bad_value("malformed mod, too many elements"));
    }
    let whole = |v: &Bson, what: &str| -> Result<i64> {
        match as_num(v) {
            Some(Num::Int(i)) => Ok(i),
            Some(Num::Float(f)) if f.is_finite() => Ok(f.trunc() as i64),
            Some(Num::Float(_)) => Err(MongoError::bad_value(format!(
                "malformed mod, {what} value is invalid :: caused by :: Unable to coerce NaN/Inf to integral type"
            ))),
            None => Err(MongoError::bad_value(format!(
                "malformed mod, {what} not a number"
            ))),
        }
    };
    let divisor = whole(&items[0], "divisor")?;
    let remainder = whole(&items[1], "remainder")?;
    if divisor == 0 {
        return Err(MongoError::bad_value("divisor cannot be 0"));
    }
    Ok(Some(Cond::Mod(divisor, remainder)))
}

pub fn mod_matches(divisor: i64, remainder: i64, value: &Bson) -> bool {
    let n = match as_num(value) {
        Some(Num::Int(i)) => i,
        Some(Num::Float(f)) if f.is_finite() => f.trunc() as i64,
        _ => return false,
    };
    n.wrapping_rem(divisor) == remainder
}

/// `$expr`: manual page "$expr"; an aggregation expression, true when truthy.
fn expr_op(operand: &Bson, _: &mut ParseCtx) -> Result<Filter> {
    Ok(Filter::Expr(Box::new(expr::parse(operand)?)))
}

pub fn expr_matches(e: &Expr, doc: &Document, details: &mut MatchDetails) -> bool {
    match expr::eval_root(e, doc) {
        Ok(v) => truthy(&v),
        Err(err) => {
            if details.error.is_none() {
                details.error = Some(err);
            }
            false
        }
    }
}

/// `$text`: manual page "$text"; needs the collection's text index.
fn text_op(operand: &Bson, ctx: &mut ParseCtx) -> Result<Filter> {
    if !ctx.allow_text {
        return Err(MongoError::bad_value(
            "$text can only be applied to the top-level document",
        ));
    }
    // Manual "$text", Restrictions: a query can specify at most one $text expression.
    ctx.text_count += 1;
    if ctx.text_count > 1 {
        return Err(MongoError::bad_value("Too many text expressions"));
    }
    let Bson::Document(spec) = operand else {
        return Err(MongoError::bad_value(format!(
            "$text expects an object, found: {}",
            shell(operand)
        )));
    };
    let index = ctx
        .text_index
        .clone()
        .ok_or_else(|| MongoError::index_not_found("text index required for $text query"))?;
    Ok(Filter::Text(Box::new(crate::text::TextQuery::parse(
        spec, index,
    )?)))
}

/// `$where`: refused, since it would run JavaScript.
fn where_op(_: &Bson, _: &mut ParseCtx) -> Result<Filter> {
    Err(MongoError::bad_value(
        "$where is not supported: schemaplay does not run JavaScript",
    ))
}
