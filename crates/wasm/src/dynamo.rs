//! The DynamoDB session handle: one in-memory database per session.

use schemaplay_dynamo::{Database, DynamoError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::js_error;

/// An in-memory DynamoDB. Requests and responses are JSON text in DynamoDB's API shape.
#[wasm_bindgen]
pub struct DynamoSession {
    db: Database,
}

impl Default for DynamoSession {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl DynamoSession {
    #[wasm_bindgen(constructor)]
    pub fn new() -> DynamoSession {
        DynamoSession {
            db: Database::new(),
        }
    }

    /// Runs `operation` (`"PutItem"`, `"Query"`, ...) on a low-level JSON request; returns the
    /// JSON response. Errors are JS `Error`s named after the exception, with the message
    /// `"ValidationException: ..."`; as in the AWS SDK, a ConditionalCheckFailedException
    /// asked for with `ReturnValuesOnConditionCheckFailure: "ALL_OLD"` carries the stored item
    /// in its `Item` property, and a TransactionCanceledException its `CancellationReasons`.
    pub fn execute(&mut self, operation: &str, input_json: &str) -> Result<String, JsValue> {
        let input = parse(input_json)?;
        let output = self.db.execute(operation, &input).map_err(dynamo_error)?;
        Ok(output.to_string())
    }

    /// Like `execute`, with plain values as `@aws-sdk/lib-dynamodb` takes and returns them.
    #[wasm_bindgen(js_name = executeDocument)]
    pub fn execute_document(
        &mut self,
        operation: &str,
        input_json: &str,
    ) -> Result<String, JsValue> {
        let input = parse(input_json)?;
        let output = self
            .db
            .execute_document(operation, &input)
            .map_err(dynamo_error)?;
        Ok(output.to_string())
    }
}

pub(crate) fn parse(input_json: &str) -> Result<serde_json::Value, JsValue> {
    serde_json::from_str(input_json).map_err(|e| {
        dynamo_error(DynamoError::new(
            schemaplay_dynamo::ErrorKind::SerializationException,
            format!("The request is not valid JSON: {e}"),
        ))
    })
}

pub(crate) fn dynamo_error(err: DynamoError) -> JsValue {
    let value = js_error(&err);
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        e.set_name(err.type_name());
        if let Some(item) = &err.item {
            set_json_property(e, "Item", item);
        }
        if !err.cancellation_reasons.is_empty() {
            let reasons = serde_json::Value::Array(err.cancellation_reasons.clone());
            set_json_property(e, "CancellationReasons", &reasons);
        }
    }
    value
}

/// Sets `error[name]` to `value` as a plain JavaScript object (through JSON, so maps stay
/// objects and number strings stay strings).
fn set_json_property(error: &js_sys::Error, name: &str, value: &serde_json::Value) {
    if let Ok(js) = js_sys::JSON::parse(&value.to_string()) {
        // Setting a property on a fresh Error object cannot fail; if it did, the error
        // would still carry its name and message.
        let _ = js_sys::Reflect::set(error, &JsValue::from_str(name), &js);
    }
}
