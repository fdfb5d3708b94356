//! Time to Live: `UpdateTimeToLive` and `DescribeTimeToLive`, as the API
//! defines them. A table names at most one attribute holding each item's
//! expiry in epoch seconds. DynamoDB deletes expired items lazily, in the
//! background within a few days, and until then reads still return them; the
//! simulator reads no clock and never deletes them, so every read answers as
//! DynamoDB's does before its deletion runs. Enabling takes effect at once
//! (DynamoDB passes through `ENABLING` for up to an hour).

use serde_json::{json, Value};

use crate::db::Database;
use crate::error::{DynamoError, ErrorKind, Result};
use crate::request::table_name;

fn not_found(name: &str) -> DynamoError {
    DynamoError::new(
        ErrorKind::ResourceNotFoundException,
        format!("Requested resource not found: Table: {name} not found"),
    )
}

/// `UpdateTimeToLive`: turns TTL on for an attribute, or off.
pub(crate) fn update_time_to_live(db: &mut Database, input: &Value) -> Result<Value> {
    let name = table_name(input)?;
    let spec = match input.get("TimeToLiveSpecification") {
        Some(Value::Object(spec)) => spec,
        Some(_) => {
            return Err(DynamoError::new(
                ErrorKind::SerializationException,
                "Start of structure or map found where not expected",
            ))
        }
        None => {
            return Err(DynamoError::validation(
                "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
            ))
        }
    };
    let attribute = match spec.get("AttributeName") {
        Some(Value::String(a)) if (1..=255).contains(&a.len()) => a.clone(),
        Some(Value::String(a)) => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{a}' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255"
            )))
        }
        _ => {
            return Err(DynamoError::validation(
                "1 validation error detected: Value null at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must not be null",
            ))
        }
    };
    let Some(Value::Bool(enabled)) = spec.get("Enabled") else {
        return Err(DynamoError::validation(
            "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
        ));
    };
    let table = db.tables.get_mut(name).ok_or_else(|| not_found(name))?;
    match (&table.time_to_live, enabled) {
        (Some(_), true) => {
            return Err(DynamoError::validation("TimeToLive is already enabled"));
        }
        (None, false) => {
            return Err(DynamoError::validation("TimeToLive is already disabled"));
        }
        (Some(current), false) if *current != attribute => {
            return Err(DynamoError::validation(format!(
                "TimeToLive is active on a different AttributeName: current AttributeName is {current}"
            )));
        }
        _ => {}
    }
    table.time_to_live = enabled.then(|| attribute.clone());
    Ok(json!({ "TimeToLiveSpecification": { "AttributeName": attribute, "Enabled": enabled } }))
}

/// `DescribeTimeToLive`: whether TTL is on, and for which attribute.
pub(crate) fn describe_time_to_live(db: &mut Database, input: &Value) -> Result<Value> {
    let name = table_name(input)?;
    let table = db.tables.get(name).ok_or_else(|| not_found(name))?;
    Ok(match &table.time_to_live {
        Some(attribute) => json!({ "TimeToLiveDescription": {
            "TimeToLiveStatus": "ENABLED", "AttributeName": attribute } }),
        None => json!({ "TimeToLiveDescription": { "TimeToLiveStatus": "DISABLED" } }),
    })
}
