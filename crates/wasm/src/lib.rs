//! The wasm-bindgen facade: the one place where JavaScript meets the engines.
//!
//! Each handle converts its input, calls a core crate, and converts the output.
//! No logic lives here. Every error becomes a JavaScript `Error` whose message
//! is the core error's text (see [`js_error`]).

use wasm_bindgen::prelude::*;

mod design;
mod dynamo;
mod mongo;
mod playground;

/// The schemaplay version, as the core crate reports it.
#[wasm_bindgen]
pub fn version() -> String {
    schemaplay_core::VERSION.to_string()
}

/// Turns any displayable error into a JavaScript `Error` carrying its message.
pub(crate) fn js_error(err: impl std::fmt::Display) -> JsValue {
    js_sys::Error::new(&err.to_string()).into()
}
