//! The document client: plain JSON values in and out, converted to and from AttributeValues as
//! `@aws-sdk/lib-dynamodb` does (`marshall` / `unmarshall`).
//!
//! Strings become `S`, numbers `N`, booleans `BOOL`, `null` `NULL`, arrays `L` and objects `M`;
//! on the way back `N` becomes a JSON number, sets become arrays and binary values base64 text
//! (JSON has no sets or byte arrays; JavaScript callers get `Set` and `Uint8Array` from
//! lib-dynamodb itself).

use serde_json::{Map, Value};

use crate::error::{DynamoError, Result};
use crate::number::Number;
use crate::value::{AttributeValue, Item, MAX_DEPTH};
use crate::Database;

/// Converts a plain JSON value to an AttributeValue, as lib-dynamodb's `marshall` does.
pub fn marshall(value: &Value) -> Result<AttributeValue> {
    marshall_at(value, 0)
}

fn marshall_at(value: &Value, depth: usize) -> Result<AttributeValue> {
    if depth > MAX_DEPTH {
        return Err(DynamoError::validation(
            "Nesting Levels have exceeded supported limits",
        ));
    }
    Ok(match value {
        Value::Null => AttributeValue::Null,
        Value::Bool(b) => AttributeValue::Bool(*b),
        Value::Number(n) => AttributeValue::N(Number::parse(&n.to_string())?),
        Value::String(s) => AttributeValue::S(s.clone()),
        Value::Array(a) => AttributeValue::L(
            a.iter()
                .map(|v| marshall_at(v, depth + 1))
                .collect::<Result<_>>()?,
        ),
        Value::Object(m) => AttributeValue::M(
            m.iter()
                .map(|(k, v)| Ok((k.clone(), marshall_at(v, depth + 1)?)))
                .collect::<Result<_>>()?,
        ),
    })
}

/// Converts an AttributeValue back to plain JSON, as lib-dynamodb's `unmarshall` does.
pub fn unmarshall(value: &AttributeValue) -> Value {
    match value {
        AttributeValue::S(s) => Value::String(s.clone()),
        AttributeValue::N(n) => number_json(n),
        AttributeValue::B(b) => Value::String(crate::value::base64_encode(b)),
        AttributeValue::Bool(b) => Value::Bool(*b),
        AttributeValue::Null => Value::Null,
        AttributeValue::M(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), unmarshall(v))).collect())
        }
        AttributeValue::L(l) => Value::Array(l.iter().map(unmarshall).collect()),
        AttributeValue::Ss(s) => s.iter().map(|x| Value::String(x.clone())).collect(),
        AttributeValue::Ns(s) => s.iter().map(number_json).collect(),
        AttributeValue::Bs(s) => s
            .iter()
            .map(|x| Value::String(crate::value::base64_encode(x)))
            .collect(),
    }
}

fn number_json(n: &Number) -> Value {
    if let Some(i) = n.to_i64() {
        return Value::from(i);
    }
    // lib-dynamodb turns integers beyond the safe range into exact BigInts; JSON numbers
    // cannot hold them exactly, so they come back as their decimal text.
    if n.is_integer() {
        return Value::String(n.to_string());
    }
    serde_json::Number::from_f64(n.to_f64())
        .map_or_else(|| Value::String(n.to_string()), Value::Number)
}

/// Marshalls every value of a plain object (an item, a key, `ExpressionAttributeValues`).
pub fn marshall_item(value: &Value) -> Result<Item> {
    let obj = value.as_object().ok_or_else(|| {
        DynamoError::validation(format!(
            "Expected an object of attribute values, got {value}"
        ))
    })?;
    obj.iter()
        .map(|(k, v)| Ok((k.clone(), marshall(v)?)))
        .collect()
}

/// Unmarshalls an item in AttributeValue JSON into a plain object.
pub fn unmarshall_item(value: &Value) -> Result<Value> {
    let item = crate::value::item_from_json(value)?;
    Ok(Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), unmarshall(v)))
            .collect(),
    ))
}

/// Fields holding an item-shaped map, in requests and responses.
const ITEM_FIELDS: [&str; 7] = [
    "Item",
    "Key",
    "ExpressionAttributeValues",
    "ExclusiveStartKey",
    "Attributes",
    "LastEvaluatedKey",
    "Keys",
];

/// Rewrites every item-shaped field of a request or response, wherever it is nested
/// (`RequestItems`, `TransactItems`, `Responses`, ...).
fn convert(value: &mut Value, f: &dyn Fn(&Value) -> Result<Value>, depth: usize) -> Result<()> {
    if depth > 8 {
        return Ok(());
    }
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                match (k.as_str(), &mut *v) {
                    ("Items" | "Keys", Value::Array(list)) => {
                        for item in list.iter_mut() {
                            *item = f(item)?;
                        }
                    }
                    ("Responses", Value::Object(tables)) => {
                        for list in tables.values_mut() {
                            if let Value::Array(list) = list {
                                for item in list.iter_mut() {
                                    *item = f(item)?;
                                }
                            }
                        }
                    }
                    (field, Value::Object(_)) if ITEM_FIELDS.contains(&field) => *v = f(v)?,
                    _ => convert(v, f, depth + 1)?,
                }
            }
        }
        Value::Array(list) => {
            for v in list {
                convert(v, f, depth + 1)?;
            }
        }
        _ => {}
    }
    Ok(())
}

impl Database {
    /// Runs an operation with lib-dynamodb-shaped input (plain values in `Item`, `Key`,
    /// `ExpressionAttributeValues`, ...) and returns plain values in the response.
    pub fn execute_document(&mut self, operation: &str, input: &Value) -> Result<Value> {
        let mut request = input.clone();
        convert(
            &mut request,
            &|v| Ok(crate::value::item_to_json(&marshall_item(v)?)),
            0,
        )?;
        let mut response = self.execute(operation, &request)?;
        convert(&mut response, &unmarshall_item, 0)?;
        Ok(response)
    }
}

/// A plain object from an item, for callers that hold items already.
pub fn item_to_plain(item: &Item) -> Value {
    Value::Object(
        item.iter()
            .map(|(k, v)| (k.clone(), unmarshall(v)))
            .collect::<Map<_, _>>(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::{expect, Expect};

    fn check(plain: &str, expect: Expect) {
        let actual = match serde_json::from_str::<Value>(plain) {
            Ok(v) => match marshall(&v) {
                Ok(av) => format!("{} -> {}", av.to_json(), unmarshall(&av)),
                Err(e) => e.to_string(),
            },
            Err(e) => e.to_string(),
        };
        expect.assert_eq(&actual);
    }

    #[test]
    fn marshall_and_unmarshall() {
        check(
            r#""USER#123""#,
            expect![[r#"{"S":"USER#123"} -> "USER#123""#]],
        );
        check("100", expect![[r#"{"N":"100"} -> 100"#]]);
        check("-1.25", expect![[r#"{"N":"-1.25"} -> -1.25"#]]);
        check("1e300", expect!["ValidationException: Number overflow. Attempting to store a number with magnitude larger than supported range"]);
        check("null", expect![[r#"{"NULL":true} -> null"#]]);
        check(
            "[true, {}]",
            expect![[r#"{"L":[{"BOOL":true},{"M":{}}]} -> [true,{}]"#]],
        );
        check(
            r#"{"profile": {"age": 30, "city": "NYC"}}"#,
            expect![[
                r#"{"M":{"profile":{"M":{"age":{"N":"30"},"city":{"S":"NYC"}}}}} -> {"profile":{"age":30,"city":"NYC"}}"#
            ]],
        );
    }

    #[test]
    fn numbers_beyond_i64_stay_exact() {
        let big = AttributeValue::N(
            Number::parse("123456789012345678901234567890").unwrap_or_else(|_| Number::zero()),
        );
        expect![[r#""123456789012345678901234567890""#]].assert_eq(&unmarshall(&big).to_string());
    }
}
