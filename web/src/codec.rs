//! How messages cross to the Web Worker and back: as structured clones of JavaScript values
//! made by `serde-wasm-bindgen`, never as JSON text. gloo-worker's default codec (bincode)
//! cannot carry a `serde_json::Value`, which the playground's answers are made of.
//!
//! Objects become JavaScript `Map`s, which keep their keys in order (a plain object would move
//! `"0"` before `"b"`), and 64-bit integers become `BigInt`s, so a `Value` holding
//! 9007199254740993 comes back exactly. A double with no fraction comes back as an integer
//! (`1.0` as `1`): a JavaScript number does not know which it was.

use gloo::worker::Codec;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsValue;

/// The worker's codec: structured clone through `serde-wasm-bindgen`.
pub struct StructuredClone;

const SERIALIZER: serde_wasm_bindgen::Serializer =
    serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true);

impl Codec for StructuredClone {
    fn encode<I: Serialize>(input: I) -> JsValue {
        // The messages are the playground's own types: maps, strings, numbers and 64-bit
        // integers, which this serializer always accepts.
        input
            .serialize(&SERIALIZER)
            .unwrap_or_else(|e| JsValue::from_str(&format!("unencodable message: {e}")))
    }

    fn decode<O: DeserializeOwned>(input: JsValue) -> O {
        // The page and the worker are built together from these types, so a message that does
        // not decode is a build mismatch (a stale worker script in the cache), not user input.
        serde_wasm_bindgen::from_value(input)
            .unwrap_or_else(|e| panic!("the page and the worker disagree on a message: {e}"))
    }
}
