//! Element query operators (manual: "Element Query Operators"): `$exists` and `$type`.

use bson::{Bson, Document};

use super::{Cond, FieldOperatorFn, ParseCtx};
use crate::error::{MongoError, Result};
use crate::value::{is_number, truthy, type_number};

pub const OPERATORS: &[(&str, FieldOperatorFn)] = &[("$exists", exists), ("$type", type_)];

/// A type `$type` selects: a BSON type number or the alias `number`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSel {
    Code(i32),
    Number,
}

/// `$exists`: manual page "$exists".
fn exists(operand: &Bson, _: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    Ok(Some(Cond::Exists(truthy(operand))))
}

/// `$type`: manual page "$type"; a type number, an alias, or an array of them.
fn type_(operand: &Bson, _: &Document, _: &mut ParseCtx) -> Result<Option<Cond>> {
    let sels = match operand {
        Bson::Array(items) => items.iter().map(type_sel).collect::<Result<Vec<_>>>()?,
        other => vec![type_sel(other)?],
    };
    Ok(Some(Cond::Type(sels)))
}

/// Aliases of the `$type` manual page, in BSON type number order.
pub const TYPE_ALIASES: &[(&str, i32)] = &[
    ("double", 1),
    ("string", 2),
    ("object", 3),
    ("array", 4),
    ("binData", 5),
    ("undefined", 6),
    ("objectId", 7),
    ("bool", 8),
    ("date", 9),
    ("null", 10),
    ("regex", 11),
    ("dbPointer", 12),
    ("javascript", 13),
    ("symbol", 14),
    ("javascriptWithScope", 15),
    ("int", 16),
    ("timestamp", 17),
    ("long", 18),
    ("decimal", 19),
    ("minKey", -1),
    ("maxKey", 127),
];

/// The type an alias (`"int"`, `"number"`...) names, if any.
pub fn parse_type_alias(alias: &str) -> Option<TypeSel> {
    if alias == "number" {
        return Some(TypeSel::Number);
    }
    TYPE_ALIASES
        .iter()
        .find(|(a, _)| *a == alias)
        .map(|(_, code)| TypeSel::Code(*code))
}

fn type_sel(value: &Bson) -> Result<TypeSel> {
    match value {
        Bson::String(s) if s == "number" => Ok(TypeSel::Number),
        Bson::String(s) => TYPE_ALIASES
            .iter()
            .find(|(alias, _)| alias == s)
            .map(|(_, code)| TypeSel::Code(*code))
            .ok_or_else(|| MongoError::bad_value(format!("Unknown type name alias: {s}"))),
        other => match crate::value::as_num(other) {
            Some(n) => {
                let f = n.as_f64();
                let code = f as i32;
                if f.fract() != 0.0 || !TYPE_ALIASES.iter().any(|(_, c)| *c == code) {
                    return Err(MongoError::bad_value(format!(
                        "Invalid numerical type code: {}",
                        crate::value::shell(other)
                    )));
                }
                Ok(TypeSel::Code(code))
            }
            None => Err(MongoError::type_mismatch(
                "type must be represented as a number or a string",
            )),
        },
    }
}

/// Whether one value has one of the selected types.
pub fn type_matches(sels: &[TypeSel], value: &Bson) -> bool {
    sels.iter().any(|sel| match sel {
        TypeSel::Number => is_number(value),
        TypeSel::Code(code) => type_number(value) == *code,
    })
}
