//! An in-memory DynamoDB simulator.
//!
//! Requests and responses use DynamoDB's low-level JSON API shape; [`Database::execute`] is the
//! one entry point. [`docclient`] converts plain JSON values as `@aws-sdk/lib-dynamodb` does.
//! The crate knows nothing about browsers: no clock, no threads, no filesystem.

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
pub mod value;

pub use db::{Database, OPERATIONS};
pub use error::{DynamoError, ErrorKind};
pub use number::Number;
pub use value::{AttributeValue, Item};
