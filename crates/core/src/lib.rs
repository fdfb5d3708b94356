//! The schemaplay design model and everything derived from it.
//!
//! This crate knows nothing about the browser: it builds natively and for
//! `wasm32-unknown-unknown`, and is tested with plain `cargo test`.

/// The version of the schemaplay core, shown in the app header and by the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod analysis;
pub mod cost;
mod decode;
pub mod dynamo;
pub mod examples;
pub mod export;
pub mod import;
pub mod lint;
pub mod model;
pub mod mongo;
mod mongo_index;
pub mod names;
pub mod sample;
pub mod scaling;
pub mod share;
pub mod validate;

pub use analysis::{analyze, Analysis};
pub use model::*;
pub use validate::validate;
