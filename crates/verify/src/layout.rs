//! A derived layout loaded in its simulator, as the runner drives it: the same steps go to the
//! reference and to each layout, and each read's answer is compared. The MongoDB and DynamoDB
//! implementations live in `mongo.rs` and `dynamo.rs`; core renders every request they send
//! from the step's arguments (`records.rs` shapes those).

use std::fmt;

use serde_json::Value;

use crate::answer::Answer;
use crate::workload::Args;

/// The database a layout is derived for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Db {
    MongoDb,
    DynamoDb,
}

impl Db {
    pub const ALL: [Db; 2] = [Db::MongoDb, Db::DynamoDb];
}

impl fmt::Display for Db {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Db::MongoDb => "MongoDB",
            Db::DynamoDb => "DynamoDB",
        })
    }
}

/// Whether a layout serves a pattern. Only `Served` reads are compared; the others are
/// reported, never counted as a pass.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Service {
    Served,
    /// The layout cannot answer the pattern: it would need a Scan, or nothing was derived.
    Unservable(String),
}

/// One request a layout sent and what came back, for reports.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub request: Value,
    pub response: Result<Value, String>,
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.request)?;
        match &self.response {
            Ok(v) => {
                let text = v.to_string();
                let cut: String = text.chars().take(400).collect();
                let more = if cut.len() < text.len() { " ..." } else { "" };
                write!(f, "\n        -> {cut}{more}")
            }
            Err(e) => write!(f, "\n        -> error: {e}"),
        }
    }
}

/// A derived layout in its simulator.
pub trait Layout {
    /// Whether the layout serves a pattern (by its position in the design).
    fn service(&self, pattern: usize) -> Service;
    /// Starts over: an empty simulator holding the layout's tables or collections and indexes.
    fn reset(&mut self) -> Result<(), String>;
    /// Stores a record (with the children that come with it) as the layout stores data.
    fn load(&mut self, entity: usize, args: &Args);
    /// Runs a write pattern.
    fn write(&mut self, pattern: usize, args: &Args);
    /// Runs a read pattern and reads its answer as canonical records.
    fn read(&mut self, pattern: usize, args: &Args) -> Answer;
    /// The requests of the last step, with their responses.
    fn calls(&self) -> &[Call];
}
