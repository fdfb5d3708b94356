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
    /// `"ValidationException: ..."`.
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

fn parse(input_json: &str) -> Result<serde_json::Value, JsValue> {
    serde_json::from_str(input_json).map_err(|e| {
        dynamo_error(DynamoError::new(
            schemaplay_dynamo::ErrorKind::SerializationException,
            format!("The request is not valid JSON: {e}"),
        ))
    })
}

fn dynamo_error(err: DynamoError) -> JsValue {
    let value = js_error(&err);
    if let Some(e) = value.dyn_ref::<js_sys::Error>() {
        e.set_name(err.type_name());
    }
    value
}
