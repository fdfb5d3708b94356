//! AttributeValues (`S N B BOOL NULL M L SS NS BS`), their JSON form, and item sizes.

use std::collections::{BTreeMap, BTreeSet};

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, STANDARD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use serde_json::{Map, Value};

use crate::error::{DynamoError, Result};
use crate::number::Number;

/// Nesting limit of maps and lists, as DynamoDB enforces (32 levels).
pub const MAX_DEPTH: usize = 32;

/// One DynamoDB attribute value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AttributeValue {
    S(String),
    N(Number),
    B(Vec<u8>),
    Bool(bool),
    Null,
    M(BTreeMap<String, AttributeValue>),
    L(Vec<AttributeValue>),
    Ss(BTreeSet<String>),
    Ns(BTreeSet<Number>),
    Bs(BTreeSet<Vec<u8>>),
}

/// An item: attribute names to values.
pub type Item = BTreeMap<String, AttributeValue>;

impl AttributeValue {
    /// The type descriptor as DynamoDB writes it (`S`, `SS`, `BOOL`, ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "S",
            AttributeValue::N(_) => "N",
            AttributeValue::B(_) => "B",
            AttributeValue::Bool(_) => "BOOL",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "M",
            AttributeValue::L(_) => "L",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// The long type name DynamoDB uses in operand-type messages (`STRING`, `LIST`, ...).
    pub fn long_type_name(&self) -> &'static str {
        match self {
            AttributeValue::S(_) => "STRING",
            AttributeValue::N(_) => "NUMBER",
            AttributeValue::B(_) => "BINARY",
            AttributeValue::Bool(_) => "BOOLEAN",
            AttributeValue::Null => "NULL",
            AttributeValue::M(_) => "MAP",
            AttributeValue::L(_) => "LIST",
            AttributeValue::Ss(_) => "SS",
            AttributeValue::Ns(_) => "NS",
            AttributeValue::Bs(_) => "BS",
        }
    }

    /// Parses one AttributeValue from its JSON form, validating it as DynamoDB does.
    pub fn from_json(value: &Value) -> Result<AttributeValue> {
        // A value stands where an attribute does (a key, an expression value), so it nests
        // from the same level as an item's attributes and meets the same depth limit.
        parse_value(value, 1)
    }

    /// The JSON form (`{"S": "x"}`, `{"N": "1.5"}`, ...).
    pub fn to_json(&self) -> Value {
        let (tag, inner) = match self {
            AttributeValue::S(s) => ("S", Value::String(s.clone())),
            AttributeValue::N(n) => ("N", Value::String(n.to_string())),
            AttributeValue::B(b) => ("B", Value::String(base64_encode(b))),
            AttributeValue::Bool(b) => ("BOOL", Value::Bool(*b)),
            AttributeValue::Null => ("NULL", Value::Bool(true)),
            AttributeValue::M(m) => ("M", item_to_json(m)),
            AttributeValue::L(l) => (
                "L",
                Value::Array(l.iter().map(AttributeValue::to_json).collect()),
            ),
            AttributeValue::Ss(s) => ("SS", s.iter().map(|x| Value::String(x.clone())).collect()),
            AttributeValue::Ns(s) => (
                "NS",
                s.iter().map(|x| Value::String(x.to_string())).collect(),
            ),
            AttributeValue::Bs(s) => (
                "BS",
                s.iter().map(|x| Value::String(base64_encode(x))).collect(),
            ),
        };
        let mut map = Map::with_capacity(1);
        map.insert(tag.to_string(), inner);
        Value::Object(map)
    }

    /// Size in bytes as DynamoDB counts it for the value alone (without the attribute name).
    pub fn size(&self) -> usize {
        match self {
            AttributeValue::S(s) => s.len(),
            AttributeValue::N(n) => number_size(n),
            AttributeValue::B(b) => b.len(),
            AttributeValue::Bool(_) | AttributeValue::Null => 1,
            AttributeValue::M(m) => {
                3 + m.iter().map(|(k, v)| k.len() + v.size() + 1).sum::<usize>()
            }
            AttributeValue::L(l) => 3 + l.iter().map(|v| v.size() + 1).sum::<usize>(),
            AttributeValue::Ss(s) => s.iter().map(String::len).sum(),
            AttributeValue::Ns(s) => s.iter().map(number_size).sum(),
            AttributeValue::Bs(s) => s.iter().map(Vec::len).sum(),
        }
    }

    /// Whether this is one of the three set types.
    pub fn is_set(&self) -> bool {
        matches!(
            self,
            AttributeValue::Ss(_) | AttributeValue::Ns(_) | AttributeValue::Bs(_)
        )
    }
}

fn number_size(n: &Number) -> usize {
    n.byte_size()
}

/// The JSON token name a Jackson-based service reports for a value of the wrong shape.
fn json_token(v: &Value) -> &'static str {
    match v {
        Value::Null => "VALUE_NULL",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Number(_) => "NUMBER_VALUE",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

/// Size of a whole item: every attribute name plus its value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + v.size()).sum()
}

/// Parses an item (`{"name": {"S": ...}, ...}`).
pub fn item_from_json(value: &Value) -> Result<Item> {
    let obj = value
        .as_object()
        .ok_or_else(|| DynamoError::validation("Expected an object of attribute values"))?;
    let mut item = Item::new();
    for (k, v) in obj {
        item.insert(k.clone(), parse_value(v, 1)?);
    }
    Ok(item)
}

/// The JSON form of an item.
pub fn item_to_json(item: &Item) -> Value {
    let mut map = Map::with_capacity(item.len());
    for (k, v) in item {
        map.insert(k.clone(), v.to_json());
    }
    Value::Object(map)
}

/// The members of an AttributeValue that carry a value.
const DATA_TYPES: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

/// DynamoDB's error for values nested deeper than [`MAX_DEPTH`].
fn too_deep() -> DynamoError {
    DynamoError::validation(
        "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit",
    )
}

/// DynamoDB's error for an empty set of the type `tag` (`SS`, `NS`, `BS`).
fn empty_set(tag: &str) -> DynamoError {
    // DynamoDB's wording differs per set type, down to the doubled space.
    let message = match tag {
        "SS" => "An string set  may not be empty",
        "NS" => "An number set  may not be empty",
        _ => "Binary sets should not be empty",
    };
    DynamoError::validation(format!(
        "One or more parameter values were invalid: {message}"
    ))
}

/// Checks an item built directly (not read from JSON) as reading its JSON form would: values
/// nested at most [`MAX_DEPTH`] levels (the walk stops there) and no empty set.
pub fn check_item_values(item: &Item) -> Result<()> {
    fn check(v: &AttributeValue, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(too_deep());
        }
        match v {
            AttributeValue::M(m) => m.values().try_for_each(|v| check(v, depth + 1)),
            AttributeValue::L(l) => l.iter().try_for_each(|v| check(v, depth + 1)),
            AttributeValue::Ss(s) if s.is_empty() => Err(empty_set("SS")),
            AttributeValue::Ns(s) if s.is_empty() => Err(empty_set("NS")),
            AttributeValue::Bs(s) if s.is_empty() => Err(empty_set("BS")),
            _ => Ok(()),
        }
    }
    item.values().try_for_each(|v| check(v, 1))
}

fn parse_value(value: &Value, depth: usize) -> Result<AttributeValue> {
    if depth > MAX_DEPTH {
        return Err(too_deep());
    }
    let obj = value.as_object().ok_or_else(|| {
        DynamoError::validation(format!("Supplied AttributeValue is not an object: {value}"))
    })?;
    // DynamoDB ignores members that are null or not a data type, so `{}` and
    // `{"X": "a"}` are both "empty".
    let mut entries = obj
        .iter()
        .filter(|(tag, v)| !v.is_null() && DATA_TYPES.contains(&tag.as_str()));
    let (tag, inner) = match (entries.next(), entries.next()) {
        (Some(entry), None) => entry,
        (None, _) => {
            return Err(DynamoError::validation(
                "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes",
            ))
        }
        (Some(_), Some(_)) => {
            return Err(DynamoError::validation(
                "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
            ))
        }
    };
    let bad = |what: &str| {
        DynamoError::new(
            crate::error::ErrorKind::SerializationException,
            format!("{} cannot be converted to {what}", json_token(inner)),
        )
    };
    Ok(match tag.as_str() {
        "S" => AttributeValue::S(inner.as_str().ok_or_else(|| bad("String"))?.to_string()),
        "N" => AttributeValue::N(Number::parse(inner.as_str().ok_or_else(|| bad("String"))?)?),
        "B" => AttributeValue::B(base64_decode(inner.as_str().ok_or_else(|| bad("Blob"))?)?),
        "BOOL" => AttributeValue::Bool(inner.as_bool().ok_or_else(|| bad("Boolean"))?),
        "NULL" => {
            if inner.as_bool() != Some(true) {
                return Err(DynamoError::validation(
                    "One or more parameter values were invalid: Null attribute value types must have the value of true",
                ));
            }
            AttributeValue::Null
        }
        "M" => {
            let m = inner.as_object().ok_or_else(|| bad("Map"))?;
            let mut out = BTreeMap::new();
            for (k, v) in m {
                out.insert(k.clone(), parse_value(v, depth + 1)?);
            }
            AttributeValue::M(out)
        }
        "L" => {
            let l = inner.as_array().ok_or_else(|| bad("List"))?;
            AttributeValue::L(
                l.iter()
                    .map(|v| parse_value(v, depth + 1))
                    .collect::<Result<_>>()?,
            )
        }
        _ => parse_set(tag, inner)?,
    })
}

fn parse_set(tag: &str, inner: &Value) -> Result<AttributeValue> {
    let not_a = |what: &str, v: &Value| {
        DynamoError::new(
            crate::error::ErrorKind::SerializationException,
            format!("{} cannot be converted to {what}", json_token(v)),
        )
    };
    let arr = inner.as_array().ok_or_else(|| not_a("List", inner))?;
    if arr.is_empty() {
        return Err(empty_set(tag));
    }
    if tag == "SS" && arr.iter().any(Value::is_null) {
        return Err(DynamoError::validation(
            "One or more parameter values were invalid: An string set may not have a null string as a member",
        ));
    }
    let strings = arr
        .iter()
        .map(|v| v.as_str().map(str::to_string))
        .collect::<Option<Vec<String>>>()
        .ok_or_else(|| {
            let odd = arr.iter().find(|v| !v.is_string()).unwrap_or(inner);
            not_a("String", odd)
        })?;
    let duplicates = || {
        // The binary form also names the set type, with no space before "of".
        let of_type = if tag == "BS" { "of type BS " } else { " " };
        DynamoError::validation(format!(
            "One or more parameter values were invalid: Input collection [{}]{of_type}contains duplicates.",
            strings.join(", ")
        ))
    };
    match tag {
        "SS" => {
            let set: BTreeSet<String> = strings.iter().cloned().collect();
            if set.len() != strings.len() {
                return Err(duplicates());
            }
            Ok(AttributeValue::Ss(set))
        }
        "NS" => {
            let set = strings
                .iter()
                .map(|s| Number::parse(s))
                .collect::<Result<BTreeSet<_>>>()?;
            if set.len() != strings.len() {
                return Err(duplicates());
            }
            Ok(AttributeValue::Ns(set))
        }
        _ => {
            let set = strings
                .iter()
                .map(|s| base64_decode(s))
                .collect::<Result<BTreeSet<_>>>()?;
            if set.len() != strings.len() {
                return Err(duplicates());
            }
            Ok(AttributeValue::Bs(set))
        }
    }
}

/// How binary values are read: padding optional, stray bits after the last byte ignored (as the
/// simulator has always accepted them); the two alphabets are tried in turn below.
const B64_READ: GeneralPurposeConfig = GeneralPurposeConfig::new()
    .with_decode_padding_mode(DecodePaddingMode::Indifferent)
    .with_decode_allow_trailing_bits(true);
const B64_STANDARD: GeneralPurpose = GeneralPurpose::new(&alphabet::STANDARD, B64_READ);
const B64_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&alphabet::URL_SAFE, B64_READ);

/// Standard base64 with padding, as the DynamoDB JSON API writes binary values.
pub fn base64_encode(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// Decodes base64 in the standard alphabet, or the URL-safe one (padding optional), with
/// DynamoDB's error for anything else.
pub fn base64_decode(text: &str) -> Result<Vec<u8>> {
    B64_STANDARD
        .decode(text)
        .or_else(|_| B64_URL_SAFE.decode(text))
        .map_err(|_| {
            DynamoError::validation(format!("Invalid Base64 value in AttributeValue: {text}"))
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(input: &str, expect: Expect) {
        let actual = match serde_json::from_str::<Value>(input).map_err(|e| e.to_string()) {
            Ok(v) => match AttributeValue::from_json(&v) {
                Ok(av) => format!("{} size={}", av.to_json(), av.size()),
                Err(e) => e.to_string(),
            },
            Err(e) => e,
        };
        expect.assert_eq(&actual);
    }

    fn check_base64(input: &str, expect: Expect) {
        let actual = match base64_decode(input) {
            Ok(bytes) => format!("{bytes:?} {}", base64_encode(&bytes)),
            Err(e) => e.to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn base64_both_ways() {
        check_base64("", expect!["[] "]);
        check_base64("YQ==", expect!["[97] YQ=="]);
        check_base64("YWI=", expect!["[97, 98] YWI="]);
        check_base64("YWJj", expect!["[97, 98, 99] YWJj"]);
        // Padding is optional, stray bits after the last byte are ignored.
        check_base64("YWI", expect!["[97, 98] YWI="]);
        check_base64("AR==", expect!["[1] AQ=="]);
        // The URL-safe alphabet is read too; the standard one is written.
        check_base64("-_8", expect!["[251, 255] +/8="]);
        check_base64("+/8=", expect!["[251, 255] +/8="]);
        check_base64(
            "A",
            expect!["ValidationException: Invalid Base64 value in AttributeValue: A"],
        );
        check_base64(
            "ab!c",
            expect!["ValidationException: Invalid Base64 value in AttributeValue: ab!c"],
        );
        check_base64(
            "Y=Q=",
            expect!["ValidationException: Invalid Base64 value in AttributeValue: Y=Q="],
        );
        let all: Vec<u8> = (0..=255).collect();
        assert_eq!(base64_decode(&base64_encode(&all)).ok(), Some(all));
    }

    #[test]
    fn parses_and_prints() {
        check(r#"{"S": "héllo"}"#, expect![[r#"{"S":"héllo"} size=6"#]]);
        check(r#"{"N": "12345"}"#, expect![[r#"{"N":"12345"} size=4"#]]);
        check(r#"{"B": "AAEC"}"#, expect![[r#"{"B":"AAEC"} size=3"#]]);
        check(r#"{"B": "AQ=="}"#, expect![[r#"{"B":"AQ=="} size=1"#]]);
        check(
            r#"{"SS": ["b", "a"]}"#,
            expect![[r#"{"SS":["a","b"]} size=2"#]],
        );
        check(r#"{"SS": []}"#, expect!["ValidationException: One or more parameter values were invalid: An string set  may not be empty"]);
        check(r#"{"SS": ["a", "a"]}"#, expect!["ValidationException: One or more parameter values were invalid: Input collection [a, a] contains duplicates."]);
        check(r#"{"NS": ["1", "1.0"]}"#, expect!["ValidationException: One or more parameter values were invalid: Input collection [1, 1.0] contains duplicates."]);
        check(
            r#"{"M": {"a": {"L": [{"NULL": true}, {"BOOL": false}]}}}"#,
            expect![[r#"{"M":{"a":{"L":[{"NULL":true},{"BOOL":false}]}}} size=12"#]],
        );
        check(r#"{"S": "a", "N": "1"}"#, expect!["ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"]);
        check(
            r#"{"X": "a"}"#,
            expect!["ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"],
        );
        check(r#"{"S": "a", "X": "b"}"#, expect![[r#"{"S":"a"} size=1"#]]);
        check(r#"{"SS": ["a", null]}"#, expect!["ValidationException: One or more parameter values were invalid: An string set may not have a null string as a member"]);
        check(r#"{}"#, expect!["ValidationException: Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"]);
        check(
            r#""a""#,
            expect![[r#"ValidationException: Supplied AttributeValue is not an object: "a""#]],
        );
    }
}
