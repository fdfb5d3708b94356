//! The MongoDB session handle: one in-memory database per session. Requests and responses are
//! Extended JSON strings in the shape documented by `schemaplay_mongo` (`Database::execute`):
//! cursors (`"cursor": {}` on a find or an aggregate, `getMore`, `killCursors`) and the limits
//! `maxTimeMS` and `allowDiskUse` go through `execute` like any request.

use wasm_bindgen::prelude::*;

use crate::js_error;

/// Bytes of memory a bulk load reserves per byte of its JSON text (100,000 users of
/// `tests/bench/mongo`: the documents in memory and their `_id` index).
const BULK_MEMORY_PER_BYTE: usize = 4;

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
        // The documents and their index entries take a few times their text: the memory grows
        // for them in one step rather than 64 KiB at a time (see `memory`).
        schemaplay_playground::memory::reserve(
            documents_json.len().saturating_mul(BULK_MEMORY_PER_BYTE),
        );
        self.db
            .insert_many_json(collection, documents_json, options)
            .map(|result| result.to_json().to_string())
            .map_err(js_error)
    }

    /// Sets the timer `maxTimeMS` is measured with: a function answering milliseconds from any
    /// origin, never going back (`() => performance.now()`); `null` or `undefined` removes it,
    /// and requests then have no time limit.
    #[wasm_bindgen(js_name = setTimer)]
    pub fn set_timer(&mut self, now: Option<js_sys::Function>) {
        let timer: Option<schemaplay_mongo::Timer> = now.map(|f| {
            std::rc::Rc::new(move || {
                f.call0(&JsValue::NULL)
                    .ok()
                    .and_then(|v| v.as_f64())
                    .unwrap_or(0.0)
            }) as schemaplay_mongo::Timer
        });
        self.db.set_timer(timer);
    }

    /// The `maxTimeMS` of requests that name none (0, `null` or `undefined`: no limit).
    #[wasm_bindgen(js_name = setDefaultMaxTimeMS)]
    pub fn set_default_max_time_ms(&mut self, max_time_ms: Option<f64>) {
        self.db
            .set_default_max_time_ms(max_time_ms.filter(|ms| *ms >= 1.0).map(|ms| ms as u64));
    }

    /// Whether a blocking sort or group may hold more than 100 MB when the request gives no
    /// `allowDiskUse` (the server's `allowDiskUseByDefault`, true unless set false here).
    #[wasm_bindgen(js_name = setAllowDiskUseByDefault)]
    pub fn set_allow_disk_use_by_default(&mut self, allow: bool) {
        self.db.set_allow_disk_use_by_default(allow);
    }

    /// Sets the clock (milliseconds since the epoch) used for new ObjectIds and `$currentDate`.
    #[wasm_bindgen(js_name = setClock)]
    pub fn set_clock(&mut self, now_millis: f64) {
        self.db.set_clock(now_millis as i64);
    }
}
