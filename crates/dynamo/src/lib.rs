//! An in-memory DynamoDB simulator.
//!
//! Requests and responses use DynamoDB's low-level JSON API shape (AttributeValues
//! `S N B BOOL NULL M L SS NS BS`); [`Database::execute`] is the one entry point for every
//! caller, and [`Database::execute_document`] takes and returns plain values as
//! `@aws-sdk/lib-dynamodb` does. [`Database::put_items`] is the bulk load of items a host builds
//! itself (generated data): typed [`Item`]s, no JSON text and no requests. Errors are [`DynamoError`]s carrying DynamoDB's exception name
//! and message.
//!
//! Map of the crate:
//! - [`value`], [`number`]: AttributeValues, their JSON form and item sizes; numbers are exact
//!   38-digit decimals, never `f64`.
//! - [`expr`]: one lexer and one typed AST for the five expression kinds, resolved and checked
//!   while parsing, then evaluated; `legacy` translates `KeyConditions`, `Expected`,
//!   `AttributeUpdates` and friends into the same AST.
//! - [`table`]: key schema, secondary indexes, storage ordered per partition.
//! - `items`, `read`, `batch`: the operations; every write is planned on a copy and committed
//!   only when the whole request succeeded.
//! - [`capacity`]: consumed capacity as DynamoDB bills it.
//! - [`conformance`]: runs the shared conformance cases.
//!
//! The crate knows nothing about browsers: no clock, no threads, no filesystem, no randomness,
//! so it builds unchanged for `wasm32-unknown-unknown`.

mod batch;
pub mod capacity;
pub mod conformance;
mod db;
pub mod docclient;
pub mod error;
pub mod expr;
mod items;
mod legacy;
pub mod number;
mod read;
mod request;
pub mod table;
mod ttl;
pub mod value;

pub use db::{Database, OPERATIONS};
pub use error::{DynamoError, ErrorKind};
pub use number::Number;
pub use value::{AttributeValue, Item};
