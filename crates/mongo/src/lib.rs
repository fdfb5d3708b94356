//! An in-memory MongoDB simulator.
pub mod conformance;
