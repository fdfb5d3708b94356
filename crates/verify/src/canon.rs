//! Canonical values: what a record looks like once the database's representation is taken
//! away, so the reference, MongoDB and DynamoDB answers compare with `==`.
//!
//! A date is milliseconds whether it came as a `Val::Date`, an Extended JSON `$date` or an ISO
//! string in a DynamoDB `S`; a number is an exact decimal whether it was an `int`, a `double`, a
//! `Decimal128` or a DynamoDB `N` (so `1000.00` equals `1000`); an ObjectId or a UUID is its
//! lowercase hex. DynamoDB keeps no type beyond `S`/`N`/`B`, so its values are read with the
//! field's declared type. The variant order is MongoDB's BSON comparison order (null, numbers,
//! strings, objects, arrays, binary, ids, booleans, dates), which is the order the reference
//! sorts by.

use std::fmt;

use schemaplay_core::sample::{iso_date, parse_iso, Val};
use schemaplay_core::FieldType;
use schemaplay_dynamo::value::base64_decode;
pub use schemaplay_dynamo::Number as Num;
use serde_json::Value;

/// A value stripped of its database's representation.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Canon {
    /// A missing value or null.
    Null,
    Num(Num),
    Str(String),
    /// Fields sorted by name.
    Object(Vec<(String, Canon)>),
    Array(Vec<Canon>),
    /// Binary data as base64.
    Bytes(String),
    /// An ObjectId or a UUID, as lowercase hex without dashes.
    Id(String),
    Bool(bool),
    /// Milliseconds since the Unix epoch.
    Date(i64),
}

impl Canon {
    /// The field of an object, `Null` when absent.
    pub fn field(&self, name: &str) -> Option<&Canon> {
        match self {
            Canon::Object(fields) => fields.iter().find(|(k, _)| k == name).map(|(_, v)| v),
            _ => None,
        }
    }

    /// An object from unsorted fields.
    pub fn object(mut fields: Vec<(String, Canon)>) -> Canon {
        fields.sort_by(|a, b| a.0.cmp(&b.0));
        Canon::Object(fields)
    }

    /// Whether two values are of the same comparison bracket (MongoDB compares `$gte` and
    /// friends only within one).
    pub fn same_bracket(&self, other: &Canon) -> bool {
        std::mem::discriminant(self) == std::mem::discriminant(other)
    }
}

/// The value of a double to the 15 significant digits every double holds; `None` for NaN,
/// infinities and what no database number holds. The digits past those are the arithmetic's
/// own: MongoDB adds doubles in binary (2.210000000000001 - 1 = 1.2100000000000009), DynamoDB
/// adds the same numbers in decimal (1.210000000000001), and an application reads either.
pub fn number_of_double(d: f64) -> Option<Num> {
    if !d.is_finite() {
        return None;
    }
    Num::parse(&format!("{d:.14e}")).ok()
}

/// A sample value as a canonical value.
pub fn from_val(value: &Val) -> Canon {
    match value {
        Val::Str(s) => Canon::Str(s.clone()),
        Val::Int(n) | Val::Long(n) => Canon::Num(Num::from_i64(*n)),
        Val::Double(d) => number_of_double(*d).map_or(Canon::Null, Canon::Num),
        Val::Decimal(s) => Num::parse(s).map_or_else(|_| Canon::Str(s.clone()), Canon::Num),
        Val::Bool(b) => Canon::Bool(*b),
        Val::Date(ms) => Canon::Date(*ms),
        Val::ObjectId(hex) | Val::Uuid(hex) => Canon::Id(hex.to_ascii_lowercase()),
        Val::Binary(_) => Canon::Bytes(binary_text(value)),
        Val::Array(items) => Canon::Array(items.iter().map(from_val).collect()),
        Val::Object(fields) => Canon::object(
            fields
                .iter()
                .map(|(k, v)| (k.clone(), from_val(v)))
                .collect(),
        ),
    }
}

/// Whether two sample values are equal as MongoDB compares them (numbers by value whatever
/// their type), without building canonical values when both have the same type.
pub fn same_value(a: &Val, b: &Val) -> bool {
    match (a, b) {
        (Val::Str(x), Val::Str(y)) => x == y,
        (Val::ObjectId(x), Val::ObjectId(y)) | (Val::Uuid(x), Val::Uuid(y)) => {
            x.eq_ignore_ascii_case(y)
        }
        (Val::Int(x) | Val::Long(x), Val::Int(y) | Val::Long(y)) => x == y,
        (Val::Date(x), Val::Date(y)) => x == y,
        (Val::Bool(x), Val::Bool(y)) => x == y,
        (Val::Str(_) | Val::ObjectId(_) | Val::Date(_) | Val::Bool(_), _) => false,
        _ => from_val(a) == from_val(b),
    }
}

/// Whether a record's value at `path` equals `want`.
pub fn value_at_is(record: &Val, path: &str, want: &Val) -> bool {
    record.get(path).is_some_and(|v| same_value(v, want))
}

/// The base64 text of a binary value, as both databases write it.
fn binary_text(value: &Val) -> String {
    match value.to_attribute().get("B") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// A relaxed or canonical Extended JSON value (a MongoDB answer) as a canonical value.
pub fn from_ejson(value: &Value) -> Canon {
    match value {
        Value::Null => Canon::Null,
        Value::Bool(b) => Canon::Bool(*b),
        // A JSON number with a fraction or exponent is a double.
        Value::Number(n) if n.is_f64() => n
            .as_f64()
            .and_then(number_of_double)
            .map_or(Canon::Null, Canon::Num),
        Value::Number(n) => Num::parse(&n.to_string()).map_or(Canon::Null, Canon::Num),
        Value::String(s) => Canon::Str(s.clone()),
        Value::Array(items) => Canon::Array(items.iter().map(from_ejson).collect()),
        Value::Object(map) => {
            if map.len() == 1 {
                if let Some((tag, inner)) = map.iter().next() {
                    if let Some(c) = ejson_scalar(tag, inner) {
                        return c;
                    }
                }
            }
            Canon::object(
                map.iter()
                    .map(|(k, v)| (k.clone(), from_ejson(v)))
                    .collect(),
            )
        }
    }
}

fn ejson_scalar(tag: &str, inner: &Value) -> Option<Canon> {
    let text = |v: &Value| v.as_str().map(str::to_string);
    Some(match tag {
        "$oid" => Canon::Id(text(inner)?.to_ascii_lowercase()),
        "$numberDouble" => Canon::Num(number_of_double(text(inner)?.parse().ok()?)?),
        "$numberDecimal" | "$numberLong" | "$numberInt" => {
            Canon::Num(Num::parse(&text(inner)?).ok()?)
        }
        "$date" => match inner {
            Value::String(s) => Canon::Date(parse_iso(s)?),
            Value::Object(m) => Canon::Date(m.get("$numberLong")?.as_str()?.parse().ok()?),
            Value::Number(n) => Canon::Date(n.as_i64()?),
            _ => return None,
        },
        "$binary" => {
            let base64 = text(inner.get("base64")?)?;
            match inner.get("subType").and_then(Value::as_str) {
                Some("04" | "4") => Canon::Id(hex(&base64_decode(&base64).ok()?)),
                _ => Canon::Bytes(base64),
            }
        }
        _ => return None,
    })
}

/// A DynamoDB AttributeValue read as a value of the given type (`None`: untyped, as stored).
pub fn from_attribute(
    value: &Value,
    ty: Option<&FieldType>,
    types: &dyn Fn(&str) -> FieldType,
) -> Canon {
    let Some((tag, inner)) = value.as_object().and_then(|m| m.iter().next()) else {
        return Canon::Null;
    };
    let ty = match ty {
        Some(FieldType::Ref(target)) => Some(types(target)),
        other => other.cloned(),
    };
    match (tag.as_str(), inner) {
        ("S", Value::String(s)) => match ty {
            Some(FieldType::Date) => {
                parse_iso(s).map_or_else(|| Canon::Str(s.clone()), Canon::Date)
            }
            Some(FieldType::ObjectId) if is_hex(s, 24) => Canon::Id(s.to_ascii_lowercase()),
            Some(FieldType::Uuid) => {
                let bare: String = s.chars().filter(|c| *c != '-').collect();
                if is_hex(&bare, 32) {
                    Canon::Id(bare.to_ascii_lowercase())
                } else {
                    Canon::Str(s.clone())
                }
            }
            _ => Canon::Str(s.clone()),
        },
        // A double field is read as a double: DynamoDB's exact decimal sum (49.239999999999995
        // + 100) is the double an application reads back (149.24), as MongoDB computes it.
        ("N", Value::String(s)) if ty == Some(FieldType::Double) => match s.parse::<f64>() {
            Ok(d) => number_of_double(d).map_or(Canon::Null, Canon::Num),
            Err(_) => Canon::Str(s.clone()),
        },
        ("N", Value::String(s)) => Num::parse(s).map_or_else(|_| Canon::Str(s.clone()), Canon::Num),
        ("B", Value::String(s)) => Canon::Bytes(s.clone()),
        ("BOOL", Value::Bool(b)) => Canon::Bool(*b),
        ("NULL", _) => Canon::Null,
        ("L", Value::Array(items)) => {
            let item = match &ty {
                Some(FieldType::Array(item)) => Some(item.as_ref().clone()),
                _ => None,
            };
            Canon::Array(
                items
                    .iter()
                    .map(|v| from_attribute(v, item.as_ref(), types))
                    .collect(),
            )
        }
        ("M", Value::Object(map)) => {
            let fields = match &ty {
                Some(t) => schemaplay_core::model::object_fields(t).cloned(),
                None => None,
            };
            Canon::object(
                map.iter()
                    .map(|(k, v)| {
                        let fty = fields
                            .as_ref()
                            .and_then(|fs| fs.iter().find(|f| f.name == *k))
                            .map(|f| f.ty.clone());
                        (k.clone(), from_attribute(v, fty.as_ref(), types))
                    })
                    .collect(),
            )
        }
        ("SS" | "NS" | "BS", Value::Array(items)) => {
            let tag = &tag[..1];
            let mut out: Vec<Canon> = items
                .iter()
                .map(|v| {
                    let mut m = serde_json::Map::new();
                    m.insert(tag.to_string(), v.clone());
                    from_attribute(&Value::Object(m), None, types)
                })
                .collect();
            out.sort();
            Canon::Array(out)
        }
        _ => Canon::Null,
    }
}

fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len && s.chars().all(|c| c.is_ascii_hexdigit())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl fmt::Display for Canon {
    /// A compact JSON-like form for reports: `{name: "Ana", age: 30}`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Canon::Null => f.write_str("null"),
            Canon::Num(n) => write!(f, "{n}"),
            Canon::Str(s) => write!(f, "{}", Value::String(s.clone())),
            Canon::Object(fields) => {
                f.write_str("{")?;
                for (i, (k, v)) in fields.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{k}: {v}")?;
                }
                f.write_str("}")
            }
            Canon::Array(items) => {
                f.write_str("[")?;
                for (i, v) in items.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{v}")?;
                }
                f.write_str("]")
            }
            Canon::Bytes(b) => write!(f, "Bin({b})"),
            Canon::Id(h) => write!(f, "{h}"),
            Canon::Bool(b) => write!(f, "{b}"),
            Canon::Date(ms) => f.write_str(&iso_date(*ms)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_compare_by_value_whatever_their_type() {
        let num = |v: Val| from_val(&v);
        assert_eq!(num(Val::Decimal("1000.00".into())), num(Val::Int(1000)));
        assert_eq!(num(Val::Double(0.5)), num(Val::Decimal("0.50".into())));
        // Past 15 significant digits a double's digits are its arithmetic's.
        assert_eq!(number_of_double(27.200000000000003), number_of_double(27.2));
        assert_eq!(
            number_of_double(2.210000000000001 - 1.0),
            number_of_double(1.210000000000001)
        );
        assert!(number_of_double(1.2100000000001) > number_of_double(1.21));
        assert!(num(Val::Decimal("99.99".into())) < num(Val::Decimal("1000".into())));
        assert!(num(Val::Int(-5)) < num(Val::Int(-1)));
        assert_eq!(number_of_double(f64::NAN), None);
        assert_eq!(
            num(Val::Decimal("1e9223372036854775807".into())),
            Canon::Str("1e9223372036854775807".into())
        );
    }

    #[test]
    fn the_databases_representations_meet() {
        let date = Val::Date(-1);
        let from_mongo = from_ejson(&serde_json::json!({"$date": {"$numberLong": "-1"}}));
        let types = |_: &str| FieldType::String;
        let from_dynamo = from_attribute(
            &serde_json::json!({"S": "1969-12-31T23:59:59.999Z"}),
            Some(&FieldType::Date),
            &types,
        );
        assert_eq!(from_val(&date), from_mongo);
        assert_eq!(from_mongo, from_dynamo);
        let uuid = Val::Uuid("6a779fe95ba04735953b8195370e2601".into());
        assert_eq!(from_ejson(&uuid.to_ejson()), from_val(&uuid));
        let text = from_attribute(&uuid.to_attribute(), Some(&FieldType::Uuid), &types);
        assert_eq!(text, from_val(&uuid));
        let money = from_ejson(&serde_json::json!({"$numberDecimal": "1000.00"}));
        assert_eq!(
            money,
            from_attribute(&serde_json::json!({"N": "1000"}), None, &types)
        );
    }
}
