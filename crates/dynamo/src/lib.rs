//! An in-memory DynamoDB simulator.
pub mod conformance;
