//! Typed sample values and how each database writes them: MongoDB Extended
//! JSON, DynamoDB AttributeValue JSON, the document client's plain JSON, the
//! text inside a DynamoDB key; their sizes; the arguments a request is
//! rendered with.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use serde_json::{json, Map, Value};

use super::date::{iso_date, parse_iso};
use super::key::{add_decimal, integer_key, number_key};
use crate::model::FieldType;

/// A one-key object, built without going through serde (`json!` with a
/// computed value serializes it again, which is the cost of sample generation).
fn tagged(tag: &str, value: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(tag.to_string(), value);
    Value::Object(map)
}

/// The fields of a record as a DynamoDB item: an object of AttributeValues.
pub fn attribute_map(fields: &[(String, Val)]) -> Value {
    let mut map = Map::with_capacity(fields.len());
    for (k, v) in fields {
        map.insert(k.clone(), v.to_attribute());
    }
    Value::Object(map)
}

/// A typed sample value.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Str(String),
    Int(i64),
    Long(i64),
    Double(f64),
    /// A decimal written as text with two decimals, as money is.
    Decimal(String),
    Bool(bool),
    /// Milliseconds since the Unix epoch.
    Date(i64),
    /// 24 hex digits.
    ObjectId(String),
    /// 32 hex digits.
    Uuid(String),
    Binary(Vec<u8>),
    Array(Vec<Val>),
    Object(Vec<(String, Val)>),
}

impl Val {
    /// MongoDB Extended JSON v2, relaxed form.
    pub fn to_ejson(&self) -> Value {
        match self {
            Val::Str(s) => Value::String(s.clone()),
            Val::Int(n) | Val::Long(n) => json!(n),
            Val::Double(d) => json!(d),
            Val::Decimal(s) => tagged("$numberDecimal", Value::String(s.clone())),
            Val::Bool(b) => Value::Bool(*b),
            Val::Date(ms) => tagged("$date", Value::String(iso_date(*ms))),
            Val::ObjectId(hex) => tagged("$oid", Value::String(hex.clone())),
            Val::Uuid(hex) => {
                json!({ "$binary": { "base64": base64(&hex_bytes(hex)), "subType": "04" } })
            }
            Val::Binary(bytes) => {
                json!({ "$binary": { "base64": base64(bytes), "subType": "00" } })
            }
            Val::Array(items) => Value::Array(items.iter().map(Val::to_ejson).collect()),
            Val::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_ejson()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// DynamoDB AttributeValue JSON (`{"S": "..."}`, `{"N": "42"}`).
    pub fn to_attribute(&self) -> Value {
        match self {
            Val::Str(s) => tagged("S", Value::String(s.clone())),
            Val::ObjectId(hex) => tagged("S", Value::String(hex.clone())),
            Val::Uuid(hex) => tagged("S", Value::String(uuid_text(hex))),
            Val::Date(ms) => tagged("S", Value::String(iso_date(*ms))),
            Val::Int(n) | Val::Long(n) => tagged("N", Value::String(n.to_string())),
            Val::Double(d) => tagged("N", Value::String(format_number(*d))),
            Val::Decimal(s) => tagged("N", Value::String(s.clone())),
            Val::Bool(b) => tagged("BOOL", Value::Bool(*b)),
            Val::Binary(bytes) => tagged("B", Value::String(base64(bytes))),
            Val::Array(items) => tagged(
                "L",
                Value::Array(items.iter().map(Val::to_attribute).collect()),
            ),
            Val::Object(fields) => tagged("M", attribute_map(fields)),
        }
    }

    /// Plain JSON as the DynamoDB Document Client (lib-dynamodb) takes it.
    pub fn to_plain(&self) -> Value {
        match self {
            Val::Str(s) => Value::String(s.clone()),
            Val::ObjectId(hex) => Value::String(hex.clone()),
            Val::Uuid(hex) => Value::String(uuid_text(hex)),
            Val::Date(ms) => Value::String(iso_date(*ms)),
            Val::Int(n) | Val::Long(n) => json!(n),
            Val::Double(d) => json!(d),
            Val::Decimal(s) => s.parse::<f64>().map(|d| json!(d)).unwrap_or(json!(s)),
            Val::Bool(b) => Value::Bool(*b),
            Val::Binary(bytes) => Value::String(base64(bytes)),
            Val::Array(items) => Value::Array(items.iter().map(Val::to_plain).collect()),
            Val::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_plain()))
                    .collect::<Map<_, _>>(),
            ),
        }
    }

    /// The value as it appears inside a DynamoDB key string: ISO dates and
    /// numbers written so they sort as text ([`number_key`]), ids as text.
    pub fn key_text(&self) -> String {
        match self {
            Val::Str(s) => s.clone(),
            Val::ObjectId(hex) => hex.clone(),
            Val::Uuid(hex) => uuid_text(hex),
            Val::Date(ms) => iso_date(*ms),
            Val::Int(n) | Val::Long(n) => integer_key(*n),
            Val::Double(d) => number_key(&format!("{d}")),
            Val::Decimal(s) => number_key(s),
            Val::Bool(b) => b.to_string(),
            Val::Binary(bytes) => base64(bytes),
            Val::Array(_) | Val::Object(_) => String::new(),
        }
    }

    /// A DynamoDB AttributeValue back as a value of the declared type (an
    /// ISO date as a date, an id's text as an id, a number as the field's
    /// kind of number); an attribute the design does not declare (`None`)
    /// keeps its text, and its numbers their digits (as a decimal). None for
    /// what is not an AttributeValue.
    pub fn from_attribute(value: &Value, ty: Option<&FieldType>) -> Option<Val> {
        let map = value.as_object()?;
        let (tag, inner) = map.iter().next()?;
        Some(match (tag.as_str(), inner) {
            ("S", Value::String(s)) => match ty {
                Some(FieldType::Date) => match parse_iso(s) {
                    Some(ms) => Val::Date(ms),
                    None => Val::Str(s.clone()),
                },
                Some(FieldType::ObjectId) if s.len() == 24 => Val::ObjectId(s.clone()),
                Some(FieldType::Uuid) => {
                    let hex: String = s.chars().filter(|c| *c != '-').collect();
                    if hex.len() == 32 {
                        Val::Uuid(hex)
                    } else {
                        Val::Str(s.clone())
                    }
                }
                _ => Val::Str(s.clone()),
            },
            ("N", Value::String(n)) => match ty {
                Some(FieldType::Int) => n.parse().map(Val::Int).unwrap_or(Val::Decimal(n.clone())),
                Some(FieldType::Long) => {
                    n.parse().map(Val::Long).unwrap_or(Val::Decimal(n.clone()))
                }
                Some(FieldType::Double) => n
                    .parse()
                    .map(Val::Double)
                    .unwrap_or(Val::Decimal(n.clone())),
                _ => Val::Decimal(n.clone()),
            },
            ("BOOL", Value::Bool(b)) => Val::Bool(*b),
            ("B", Value::String(b)) => Val::Binary(STANDARD.decode(b).ok()?),
            ("L", Value::Array(items)) => {
                let item = match ty {
                    Some(FieldType::Array(item)) => Some(item.as_ref()),
                    _ => None,
                };
                Val::Array(
                    items
                        .iter()
                        .filter_map(|v| Val::from_attribute(v, item))
                        .collect(),
                )
            }
            ("M", Value::Object(fields)) => {
                let declared = ty.and_then(crate::model::object_fields);
                Val::Object(
                    fields
                        .iter()
                        .filter_map(|(k, v)| {
                            let fty = declared
                                .and_then(|fs| fs.iter().find(|f| f.name == *k))
                                .map(|f| &f.ty);
                            Some((k.clone(), Val::from_attribute(v, fty)?))
                        })
                        .collect(),
                )
            }
            _ => return None,
        })
    }

    /// The value at a dotted path inside an object.
    pub fn get(&self, path: &str) -> Option<&Val> {
        let mut current = self;
        for part in path.split('.') {
            match current {
                Val::Object(fields) => {
                    current = fields.iter().find(|(k, _)| k == part).map(|(_, v)| v)?;
                }
                _ => return None,
            }
        }
        Some(current)
    }

    /// Sets a dotted path inside an object, creating objects on the way.
    pub fn set_path(&mut self, path: &str, value: Val) {
        let Some((head, rest)) = path.split_once('.') else {
            self.set(path, value);
            return;
        };
        let Val::Object(fields) = self else {
            return;
        };
        let i = match fields.iter().position(|(k, _)| k == head) {
            Some(i) => i,
            None => {
                fields.push((head.to_string(), Val::Object(Vec::new())));
                fields.len() - 1
            }
        };
        if let Some((_, inner)) = fields.get_mut(i) {
            if !matches!(inner, Val::Object(_)) {
                *inner = Val::Object(Vec::new());
            }
            inner.set_path(rest, value);
        }
    }

    /// Sets a field of an object, replacing its value or adding it last.
    pub fn set(&mut self, key: &str, value: Val) {
        if let Val::Object(fields) = self {
            match fields.iter_mut().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => fields.push((key.to_string(), value)),
            }
        }
    }

    /// An approximate BSON size in bytes (the value alone, without its name).
    pub fn bson_size(&self) -> usize {
        match self {
            Val::Str(s) => 5 + s.len(),
            Val::Int(_) => 4,
            Val::Long(_) | Val::Double(_) | Val::Date(_) => 8,
            Val::Decimal(_) | Val::Uuid(_) => 16,
            Val::Bool(_) => 1,
            Val::ObjectId(_) => 12,
            Val::Binary(b) => 5 + b.len(),
            Val::Array(items) => {
                5 + items
                    .iter()
                    .enumerate()
                    .map(|(i, v)| 2 + i.to_string().len() + v.bson_size())
                    .sum::<usize>()
            }
            Val::Object(fields) => {
                5 + fields
                    .iter()
                    .map(|(k, v)| 2 + k.len() + v.bson_size())
                    .sum::<usize>()
            }
        }
    }

    /// DynamoDB's size of the value (attribute names counted by the caller).
    pub fn dynamo_size(&self) -> usize {
        match self {
            Val::Str(s) => s.len(),
            Val::ObjectId(_) => 24,
            Val::Uuid(_) => 36,
            Val::Date(_) => 24,
            Val::Int(n) | Val::Long(n) => 1 + n.unsigned_abs().to_string().len().div_ceil(2),
            Val::Double(d) => 1 + format_number(*d).len().div_ceil(2),
            Val::Decimal(s) => 1 + s.len().div_ceil(2),
            Val::Bool(_) => 1,
            Val::Binary(b) => b.len(),
            Val::Array(items) => 3 + items.iter().map(|v| 1 + v.dynamo_size()).sum::<usize>(),
            Val::Object(fields) => {
                3 + fields
                    .iter()
                    .map(|(k, v)| 1 + k.len() + v.dynamo_size())
                    .sum::<usize>()
            }
        }
    }
}

/// `current + amount`, as `$inc` and DynamoDB's `SET a = a + :n` add: a
/// missing value counts as zero; integers and decimals exactly, doubles in
/// floating point. None when either is not a number.
pub fn add_values(current: Option<&Val>, amount: &Val) -> Option<Val> {
    let text = |v: &Val| -> Option<String> {
        match v {
            Val::Int(n) | Val::Long(n) => Some(n.to_string()),
            Val::Double(d) if d.is_finite() => Some(format!("{d}")),
            Val::Decimal(s) => Some(s.clone()),
            _ => None,
        }
    };
    let Some(current) = current else {
        text(amount)?;
        return Some(amount.clone());
    };
    Some(match (current, amount) {
        (Val::Int(a), Val::Int(b) | Val::Long(b)) => match a.checked_add(*b) {
            Some(n) => Val::Int(n),
            None => Val::Decimal(add_decimal(&text(current)?, &text(amount)?)?),
        },
        (Val::Long(a), Val::Int(b) | Val::Long(b)) => match a.checked_add(*b) {
            Some(n) => Val::Long(n),
            None => Val::Decimal(add_decimal(&text(current)?, &text(amount)?)?),
        },
        (Val::Double(a), _) => Val::Double(a + text(amount)?.parse::<f64>().ok()?),
        _ => Val::Decimal(add_decimal(&text(current)?, &text(amount)?)?),
    })
}

/// The arguments a derived request is rendered with: the values a pattern
/// reads by or writes, where the derived layout uses sample record 0. See
/// `mongo::MongoContext::query_for` and `dynamo::DynamoContext::request_for`.
#[derive(Clone, Copy, Debug)]
pub struct Args<'a> {
    /// An object of the entity's fields by name (`email`, `profile` holding
    /// `city`): the record a write writes, or any record holding the values a
    /// read binds. A field the pattern binds that the entity does not declare
    /// goes in by the name the pattern uses: the parent's id of a child listed
    /// by its parent (`userId`), the other side's id of a many-to-many read
    /// (`courseId`).
    pub record: &'a Val,
    /// For an entity stored inside its parent (an embedded MongoDB document,
    /// a DynamoDB item attribute): the parent's record, whose id or key
    /// reaches the stored data.
    pub parent: Option<&'a Val>,
    /// The words of a text search; [`SAMPLE_WORDS`] when absent.
    pub words: Option<&'a str>,
}

impl<'a> Args<'a> {
    /// Arguments from one record, with no parent and the sample search words.
    pub fn new(record: &'a Val) -> Self {
        Args {
            record,
            parent: None,
            words: None,
        }
    }
}

/// What a text search looks for in the derived layouts' requests.
pub const SAMPLE_WORDS: &str = "developer nodejs";

/// The size of a whole item in DynamoDB: every attribute name plus its value.
pub fn item_size(fields: &[(String, Val)]) -> usize {
    fields.iter().map(|(k, v)| k.len() + v.dynamo_size()).sum()
}

/// The BSON size of a whole document.
pub fn document_size(fields: &[(String, Val)]) -> usize {
    5 + fields
        .iter()
        .map(|(k, v)| 2 + k.len() + v.bson_size())
        .sum::<usize>()
}

/// A double as DynamoDB's number text.
pub fn format_number(d: f64) -> String {
    if d.fract() == 0.0 && d.abs() < 1e15 {
        format!("{d:.0}")
    } else {
        format!("{d}")
    }
}

/// The bytes of hex digits.
pub fn hex_bytes(hex: &str) -> Vec<u8> {
    (0..hex.len() / 2)
        .filter_map(|i| u8::from_str_radix(hex.get(i * 2..i * 2 + 2)?, 16).ok())
        .collect()
}

/// 32 hex digits as a UUID's text (8-4-4-4-12).
pub fn uuid_text(hex: &str) -> String {
    if hex.len() != 32 {
        return hex.to_string();
    }
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Standard base64 with padding, as Extended JSON `$binary` and DynamoDB `B` values are written.
fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
    }
}
