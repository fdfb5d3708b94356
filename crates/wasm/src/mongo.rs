//! The MongoDB session handle: one in-memory database per session. Requests and responses are
//! Extended JSON strings in the shape documented by `schemaplay_mongo` (`Database::execute`).

use wasm_bindgen::prelude::*;

use crate::js_error;

/// An in-memory MongoDB database.
#[wasm_bindgen]
pub struct MongoSession {
    db: schemaplay_mongo::Database,
}

impl Default for MongoSession {
    fn default() -> Self {
        Self::new()
    }
}

#[wasm_bindgen]
impl MongoSession {
    /// A new, empty database.
    #[wasm_bindgen(constructor)]
    pub fn new() -> MongoSession {
        MongoSession {
            db: schemaplay_mongo::Database::new(),
        }
    }

    /// Runs one request, e.g. `{"op":"find","collection":"users","filter":{...}}`, and returns
    /// the response as relaxed Extended JSON. Errors carry MongoDB's message, code and code name.
    pub fn execute(&mut self, request_json: &str) -> Result<String, JsValue> {
        self.db.execute_json(request_json).map_err(js_error)
    }

    /// Loads many documents at once: `documents_json` is a JSON array of documents in Extended
    /// JSON, read straight into BSON and inserted as one batch (each index built once for all
    /// of them). `ordered` stops at the first document that cannot be inserted, as
    /// `insertMany` does; otherwise every other one goes in. Returns the server's `insert`
    /// response: `{"n": inserted, "writeErrors": [{"index", "code", "codeName", "errmsg"}],
    /// "ok": 1}`.
    #[wasm_bindgen(js_name = insertManyBulk)]
    pub fn insert_many_bulk(
        &mut self,
        collection: &str,
        documents_json: &str,
        ordered: bool,
    ) -> Result<String, JsValue> {
        let options = schemaplay_mongo::InsertManyOptions {
            ordered,
            bypass_document_validation: false,
        };
        self.db
            .insert_many_json(collection, documents_json, options)
            .map(|result| result.to_json().to_string())
            .map_err(js_error)
    }

    /// Sets the clock (milliseconds since the epoch) used for new ObjectIds and `$currentDate`.
    #[wasm_bindgen(js_name = setClock)]
    pub fn set_clock(&mut self, now_millis: f64) {
        self.db.set_clock(now_millis as i64);
    }
}
