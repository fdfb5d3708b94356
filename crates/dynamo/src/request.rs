//! Reading request fields: the small helpers every operation shares.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{DynamoError, Result};
use crate::expr::{self, Cond, ExprKind, Path, Resolver, Update};
use crate::value::{AttributeValue, Item};

/// An optional string field.
pub fn opt_str<'a>(input: &'a Value, field: &str) -> Result<Option<&'a str>> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(DynamoError::new(
            crate::error::ErrorKind::SerializationException,
            format!("Unexpected value for {field}: expected a string, got {other}"),
        )),
    }
}

/// An optional boolean field.
pub fn opt_bool(input: &Value, field: &str) -> Result<Option<bool>> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(other) => Err(DynamoError::new(
            crate::error::ErrorKind::SerializationException,
            format!("Unexpected value for {field}: expected a boolean, got {other}"),
        )),
    }
}

/// An optional integer field.
pub fn opt_int(input: &Value, field: &str) -> Result<Option<i64>> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v.as_i64().map(Some).ok_or_else(|| {
            DynamoError::new(
                crate::error::ErrorKind::SerializationException,
                format!("Unexpected value for {field}: expected an integer, got {v}"),
            )
        }),
    }
}

/// The required `TableName`.
pub fn table_name(input: &Value) -> Result<&str> {
    match opt_str(input, "TableName")? {
        Some(name) => {
            let ok_chars = name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
            if name.len() < 3 || name.len() > 255 || !ok_chars {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{name}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255"
                )));
            }
            Ok(name)
        }
        None => Err(DynamoError::validation(
            "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
        )),
    }
}

/// A required item-shaped field (`Item`, `Key`).
pub fn item_field(input: &Value, field: &str) -> Result<Item> {
    match input.get(field) {
        None | Some(Value::Null) => Err(DynamoError::validation(format!(
            "1 validation error detected: Value null at '{}' failed to satisfy constraint: Member must not be null",
            lower_first(field)
        ))),
        Some(v) => crate::value::item_from_json(v),
    }
}

/// `Item` → `item`, as DynamoDB names members in constraint messages.
pub fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Longest placeholder (`#name`, `:value`) DynamoDB accepts, in bytes with its prefix.
const MAX_PLACEHOLDER_BYTES: usize = 255;

/// A key of `ExpressionAttributeNames` or `ExpressionAttributeValues` must be `prefix`
/// followed by letters, digits or `_`, at most 255 bytes; the length is checked first.
fn check_placeholder(map: &str, key: &str, prefix: char) -> Result<()> {
    if key.len() > MAX_PLACEHOLDER_BYTES {
        // Only the names map reports the size.
        let size = if prefix == '#' {
            format!(" size of key: {}", key.len())
        } else {
            String::new()
        };
        return Err(DynamoError::validation(format!(
            "{map} contains invalid key: The expression attribute map contains a key that is too long;{size}"
        )));
    }
    let well_formed = key.strip_prefix(prefix).is_some_and(|rest| {
        !rest.is_empty() && rest.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    });
    if !well_formed {
        return Err(DynamoError::validation(format!(
            "{map} contains invalid key: Syntax error; key: \"{key}\""
        )));
    }
    Ok(())
}

/// The expressions of one request, parsed and resolved together.
pub struct Expressions {
    resolver: Resolver,
    any: bool,
    has_names: bool,
    has_values: bool,
}

impl Expressions {
    /// Reads `ExpressionAttributeNames` and `ExpressionAttributeValues` from `input`.
    pub fn new(input: &Value) -> Result<Expressions> {
        let mut names = BTreeMap::new();
        let has_names = !matches!(
            input.get("ExpressionAttributeNames"),
            None | Some(Value::Null)
        );
        if let Some(v) = input
            .get("ExpressionAttributeNames")
            .filter(|v| !v.is_null())
        {
            let obj = v
                .as_object()
                .ok_or_else(|| DynamoError::validation("ExpressionAttributeNames must be a map"))?;
            if obj.is_empty() {
                return Err(DynamoError::validation(
                    "ExpressionAttributeNames must not be empty",
                ));
            }
            for (k, v) in obj {
                let name = v.as_str().ok_or_else(|| {
                    DynamoError::new(
                        crate::error::ErrorKind::SerializationException,
                        format!("ExpressionAttributeNames contains a value that is not a string for key {k}"),
                    )
                })?;
                check_placeholder("ExpressionAttributeNames", k, '#')?;
                if name.is_empty() {
                    return Err(DynamoError::validation(format!(
                        "ExpressionAttributeNames contains invalid value: Empty attribute name for key {k}"
                    )));
                }
                if name.len() > crate::table::MAX_ATTRIBUTE_NAME_BYTES {
                    return Err(DynamoError::validation(format!(
                        "ExpressionAttributeNames contains invalid value: the name for key {k} is longer than the maximum of {} bytes",
                        crate::table::MAX_ATTRIBUTE_NAME_BYTES
                    )));
                }
                names.insert(k.clone(), name.to_string());
            }
        }
        let mut values = BTreeMap::new();
        let has_values = !matches!(
            input.get("ExpressionAttributeValues"),
            None | Some(Value::Null)
        );
        if let Some(v) = input
            .get("ExpressionAttributeValues")
            .filter(|v| !v.is_null())
        {
            let obj = v.as_object().ok_or_else(|| {
                DynamoError::validation("ExpressionAttributeValues must be a map")
            })?;
            if obj.is_empty() {
                return Err(DynamoError::validation(
                    "ExpressionAttributeValues must not be empty",
                ));
            }
            for (k, v) in obj {
                check_placeholder("ExpressionAttributeValues", k, ':')?;
                let value = AttributeValue::from_json(v).map_err(|e| {
                    // A value of the wrong JSON type fails deserialization before any validation.
                    if e.kind == crate::error::ErrorKind::SerializationException {
                        return e;
                    }
                    DynamoError::validation(format!(
                        "ExpressionAttributeValues contains invalid value: {} for key {k}",
                        e.message
                    ))
                })?;
                values.insert(k.clone(), value);
            }
        }
        Ok(Expressions {
            resolver: Resolver::new(names, values),
            any: false,
            has_names,
            has_values,
        })
    }

    /// Parses the condition-like expression in `field`, if the request has one.
    pub fn condition(
        &mut self,
        input: &Value,
        field: &str,
        kind: ExprKind,
    ) -> Result<Option<Cond>> {
        let Some(src) = opt_str(input, field)? else {
            return Ok(None);
        };
        self.any = true;
        expr::parse_condition(src, kind, &mut self.resolver).map(Some)
    }

    /// Parses `ProjectionExpression`, if present.
    pub fn projection(&mut self, input: &Value) -> Result<Option<Vec<Path>>> {
        let Some(src) = opt_str(input, "ProjectionExpression")? else {
            return Ok(None);
        };
        self.any = true;
        expr::parse_projection(src, &mut self.resolver).map(Some)
    }

    /// Parses `UpdateExpression`, if present.
    pub fn update(&mut self, input: &Value) -> Result<Option<Update>> {
        let Some(src) = opt_str(input, "UpdateExpression")? else {
            return Ok(None);
        };
        self.any = true;
        expr::parse_update(src, &mut self.resolver).map(Some)
    }

    /// Once every expression is parsed: rejects names and values that nothing used.
    pub fn finish(self) -> Result<()> {
        if !self.any {
            if self.has_values {
                return Err(DynamoError::validation(
                    "ExpressionAttributeValues can only be specified when using expressions",
                ));
            }
            if self.has_names {
                return Err(DynamoError::validation(
                    "ExpressionAttributeNames can only be specified when using expressions",
                ));
            }
        }
        self.resolver.check_unused()
    }
}
