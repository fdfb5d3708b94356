//! The schemaplay design model and everything derived from it.
//!
//! This crate knows nothing about the browser: it builds natively and for
//! `wasm32-unknown-unknown`, and is tested with plain `cargo test`.
//!
//! What goes in is a [`Design`] (entities, relationships, access patterns,
//! volumes, the user's overrides), read with [`Design::from_json`]. What comes
//! out is an [`Analysis`] from [`analyze`]: every finding, the MongoDB and
//! DynamoDB layouts, cost and scaling, serializable to JSON for the UI.
//!
//! Map of the crate:
//! - [`model`]: the design document (format version 1); `decode` reads its JSON
//!   collecting every structural problem with its path; [`validate`] adds the
//!   semantic ones (names, references, key templates).
//! - [`mongo`]: collections, embed-or-reference decisions with their reasons,
//!   document shapes, one query per pattern; `mongo_index`: ESR index
//!   suggestions with prefix merging.
//! - [`dynamo`]: the single-table layout (key templates, item collections,
//!   items stored inside items, overloaded and inverted global indexes, local
//!   indexes, many-to-many link items), one request per pattern in the JSON API
//!   shape and as lib-dynamodb code, the CreateTable input.
//! - [`cost`]: RCU/WCU per pattern and monthly prices (named constants);
//!   [`scaling`]: shard keys, partitions, write sharding; [`lint`]: advice with
//!   stable rule ids.
//! - [`sample`]: deterministic sample data from a seed; [`export`] and
//!   [`import`]: jsonSchema, mongoose, mongosh, NoSQL Workbench, CloudFormation,
//!   SDK code; SQL `CREATE TABLE` and Workbench models in.
//! - [`examples`]: the example designs, which are also the snapshot tests.
//!
//! Derivation never fails and never panics: it works on invalid designs too,
//! skipping what names missing parts, so an editor can show what it can.

/// The version of the schemaplay core, shown in the app header and by the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod analysis;
pub mod cost;
pub mod dynamo;
pub mod examples;
pub mod export;
pub mod import;
mod js;
pub mod lint;
pub mod model;
pub mod mongo;
pub mod names;
pub mod sample;
pub mod scaling;
pub mod share;

pub use analysis::{analyze, Analysis};
pub use model::validate;
pub use model::*;
