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
//! Map of the crate, in layers: a module uses its own layer or lower ones,
//! never a higher one, and no modules form a cycle (`tests/layers.rs`).
//! - L0: [`model`], the design document (format version 2), read collecting
//!   every structural problem with its path, then validated ([`validate`](mod@validate): names,
//!   references, key templates), with [`model::relations`], what both
//!   derivations read alike; [`sample`], deterministic typed sample values;
//!   [`names`]; [`numbers`], numbers grouped in thousands as every view
//!   writes them; JavaScript literals for generated code.
//! - L1: [`mongo`] (collections, embed-or-reference decisions with their
//!   reasons, document shapes, ESR index suggestions, one query per pattern)
//!   and [`dynamo`] (the single-table layout: key templates, item collections,
//!   items stored inside items, overloaded and inverted global indexes, local
//!   indexes, many-to-many link items, one request per pattern as JSON and as
//!   lib-dynamodb code, CreateTable, capacity units). Neither uses the other.
//!   [`mongo::MongoContext::query_for`] and [`dynamo::DynamoContext::request_for`]
//!   render a pattern's request from an argument record ([`sample::Args`]).
//! - L2: [`cost`] (monthly prices, named constants), [`scaling`] (shard keys,
//!   partitions, write sharding), [`lint`] (advice with stable rule ids).
//! - L3: [`analysis`]; [`alternatives`] (each layout choice derived both ways, side by side); [`export`] and [`import`] (jsonSchema, mongoose,
//!   mongosh, NoSQL Workbench, CloudFormation, SDK code; SQL `CREATE TABLE` and
//!   Workbench models in); [`examples`], which are also the snapshot tests;
//!   [`share`], the share-link codec; [`backup`], every saved design in one file.
//!
//! Derivation never fails and never panics: it works on invalid designs too,
//! skipping what names missing parts, so an editor can show what it can.

/// The version of the schemaplay core, shown in the app header and by the CLI.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod alternatives;
pub mod analysis;
pub mod backup;
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
pub mod numbers;
pub mod sample;
pub mod scaling;
pub mod share;

pub use analysis::{analyze, Analysis};
pub use model::validate;
pub use model::*;
