//! The playground handle: a design with both simulators and their sample data, driven the way
//! the web console drives it. Forms and answers cross as plain JavaScript objects (through
//! `serde-wasm-bindgen`), in the shapes `schemaplay_playground` documents.

use schemaplay_playground::{Database, DynamoCall, MongoForm, Progress};
use serde::Serialize;
use wasm_bindgen::prelude::*;

use crate::js_error;

/// Plain objects (not `Map`s) and `null` for absent values, as `JSON.parse` would give.
const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::json_compatible();

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&SERIALIZER).map_err(js_error)
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value).map_err(js_error)
}

/// Calls `onProgress(done, total, stage)`, if given, with each progress report. A throwing
/// callback stops nothing.
fn progress_to(on_progress: Option<js_sys::Function>) -> impl FnMut(Progress) {
    move |p: Progress| {
        if let Some(f) = &on_progress {
            let _ = f.call3(
                &JsValue::NULL,
                &JsValue::from_f64(p.done as f64),
                &JsValue::from_f64(p.total as f64),
                &JsValue::from_str(&p.stage),
            );
        }
    }
}

/// A design, both simulators and their sample data.
#[wasm_bindgen]
pub struct Playground {
    playground: schemaplay_playground::Playground,
}

#[wasm_bindgen]
impl Playground {
    /// A playground for a design; throws with every reading error, one per line.
    #[wasm_bindgen(constructor)]
    pub fn new(design_json: &str) -> Result<Playground, JsValue> {
        schemaplay_core::Design::from_json_unchecked(design_json)
            .map(|design| {
                let mut playground = schemaplay_playground::Playground::new(design);
                // MongoDB requests run under their maxTimeMS, or the playground's default.
                playground.set_timer(std::rc::Rc::new(js_sys::Date::now));
                Playground { playground }
            })
            .map_err(|findings| js_error(crate::design::findings_text(&findings)))
    }

    /// Loads `perEntity` sample records of each entity into both simulators, calling
    /// `onProgress(done, total, stage)` on the way if given; returns the summary
    /// `{collections: [[name, documents]], documents, table, items, problems}`.
    pub fn generate(
        &mut self,
        per_entity: u32,
        seed: u32,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue> {
        let mut report = progress_to(on_progress);
        let summary = self
            .playground
            .generate(u64::from(per_entity), u64::from(seed), &mut report);
        to_js(summary)
    }

    /// The console's MongoDB form of an access pattern: `{collection, operation, inputs:
    /// [{field, text}], limit, explain}`, or `null` when no pattern has that name.
    #[wasm_bindgen(js_name = mongoForm)]
    pub fn mongo_form(&self, pattern: &str) -> Result<JsValue, JsValue> {
        to_js(&self.playground.mongo_form(pattern))
    }

    /// The console's DynamoDB form of an access pattern: `{operation, input}`.
    #[wasm_bindgen(js_name = dynamoForm)]
    pub fn dynamo_form(&self, pattern: &str) -> Result<JsValue, JsValue> {
        to_js(&self.playground.dynamo_form(pattern))
    }

    /// Runs a MongoDB form; returns `{result, rows, stats, explain}`. Throws with the input
    /// and position of a JSON mistake, or MongoDB's error.
    pub fn mongo(&mut self, form: JsValue) -> Result<JsValue, JsValue> {
        let form: MongoForm = from_js(form)?;
        let answer = self.playground.run_mongo(&form).map_err(js_error)?;
        to_js(&answer)
    }

    /// Runs a DynamoDB form, `{form: {operation, input}, startKey}`; returns `{response,
    /// rows, count, scannedCount, consumedCapacity, lastEvaluatedKey, exclusiveStartKey,
    /// lastPage}`.
    pub fn dynamo(&mut self, call: JsValue) -> Result<JsValue, JsValue> {
        let call: DynamoCall = from_js(call)?;
        let answer = self.playground.run_dynamo(&call).map_err(js_error)?;
        to_js(&answer)
    }

    /// Runs `operation` (`"Query"`, `"PutItem"`, ...) on the playground's DynamoDB table with a
    /// low-level JSON request, as `DynamoSession.execute` does: returns DynamoDB's JSON
    /// response, or throws the error named after its exception (`error.name`). What an AWS
    /// SDK request handler calls.
    pub fn execute(&mut self, operation: &str, input_json: &str) -> Result<String, JsValue> {
        let input = crate::dynamo::parse(input_json)?;
        let output = self
            .playground
            .dynamo()
            .execute(operation, &input)
            .map_err(crate::dynamo::dynamo_error)?;
        Ok(output.to_string())
    }

    /// Runs a script (mongosh, mongoose, the MongoDB driver, the AWS SDKs, the AWS CLI) on the
    /// simulators, which keep what it writes: `{outcomes: [{line, endLine, result, error,
    /// warnings}], failed}`, a result being `{Mongo: answer}`, `{Dynamo: answer}` or `{Value:
    /// json}` and an error `{message, line, column}`. Never throws for a failing statement.
    #[wasm_bindgen(js_name = runScript)]
    pub fn run_script(&mut self, source: &str) -> Result<JsValue, JsValue> {
        to_js(&self.playground.run_script(source))
    }

    /// The console's script for an access pattern, `database` being `"mongo"` or `"dynamo"`:
    /// mongosh, or the SDK export's code, with the keys of the data generated last; `null`
    /// when no pattern has that name.
    #[wasm_bindgen(js_name = scriptFor)]
    pub fn script_for(&self, pattern: &str, database: JsValue) -> Result<JsValue, JsValue> {
        let database: Database = from_js(database)?;
        to_js(&self.playground.script_for(pattern, database))
    }

    /// Verifies the design's layouts: a seeded workload of `steps` steps (at most 100,000) on
    /// simulators of the verifier's own (the generated data stays as it is), calling
    /// `onProgress(done, total, "verifying")` on the way if given. Returns the report
    /// `{seed, patterns, steps, summary, clean, divergences: [{pattern, patternIndex, database,
    /// why, foundAt, steps, expected, mongo, dynamo, requests}], gaps: [{pattern, patternIndex,
    /// database, kind, why}], setupErrors, comparedMongo, comparedDynamo}`, an answer being
    /// `"Nothing"`, `{One: record}`, `{AnyOf: [record]}`, `{List: {headline, groups}}`,
    /// `{Count: n}` or `{Failed: message}`. Throws while the design has errors.
    pub fn verify(
        &self,
        seed: u32,
        steps: u32,
        on_progress: Option<js_sys::Function>,
    ) -> Result<JsValue, JsValue> {
        let mut report = progress_to(on_progress);
        let verified = self
            .playground
            .verify(u64::from(seed), u64::from(steps), &mut report)
            .map_err(js_error)?;
        to_js(&verified)
    }

    /// Converts a NoSQL Workbench model or SQL DDL file: `{design, note}`.
    pub fn import(&self, name: &str, text: &str) -> Result<JsValue, JsValue> {
        let (design, note) =
            schemaplay_playground::import::convert(name, text).map_err(js_error)?;
        to_js(&Imported { design, note })
    }
}

/// Runs a script on empty simulators (no design): what `Playground.runScript` answers.
#[wasm_bindgen(js_name = runScript)]
pub fn run_script(source: &str) -> Result<JsValue, JsValue> {
    to_js(&schemaplay_playground::Playground::default().run_script(source))
}

#[derive(Serialize)]
struct Imported {
    design: schemaplay_core::Design,
    note: String,
}
