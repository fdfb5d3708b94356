//! Consumed capacity as DynamoDB bills it: reads in 4 KB units (half for eventually consistent
//! reads), writes in 1 KB units, transactions doubled, and index writes counted per index.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

/// Read units for `bytes` read in one request.
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

/// Write units for writing an item of `bytes`.
pub fn write_units(bytes: usize) -> f64 {
    bytes.div_ceil(1024).max(1) as f64
}

/// What `ReturnConsumedCapacity` asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReturnCapacity {
    None,
    Total,
    Indexes,
}

impl ReturnCapacity {
    pub fn parse(text: Option<&str>) -> crate::error::Result<ReturnCapacity> {
        match text {
            None | Some("NONE") => Ok(ReturnCapacity::None),
            Some("TOTAL") => Ok(ReturnCapacity::Total),
            Some("INDEXES") => Ok(ReturnCapacity::Indexes),
            Some(other) => Err(crate::error::DynamoError::validation(format!(
                "1 validation error detected: Value '{other}' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
            ))),
        }
    }
}

/// Capacity consumed on one table by one request.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Consumed {
    pub table: f64,
    pub global_indexes: BTreeMap<String, f64>,
    pub local_indexes: BTreeMap<String, f64>,
    pub read: bool,
}

impl Consumed {
    pub fn total(&self) -> f64 {
        self.table
            + self.global_indexes.values().sum::<f64>()
            + self.local_indexes.values().sum::<f64>()
    }

    /// Multiplies every unit (transactions cost twice).
    pub fn scaled(mut self, factor: f64) -> Consumed {
        self.table *= factor;
        self.global_indexes.values_mut().for_each(|v| *v *= factor);
        self.local_indexes.values_mut().for_each(|v| *v *= factor);
        self
    }

    pub fn merge(&mut self, other: &Consumed) {
        self.table += other.table;
        for (k, v) in &other.global_indexes {
            *self.global_indexes.entry(k.clone()).or_default() += v;
        }
        for (k, v) in &other.local_indexes {
            *self.local_indexes.entry(k.clone()).or_default() += v;
        }
        self.read |= other.read;
    }

    /// The `ConsumedCapacity` entry of a response. DynamoDB reports only `CapacityUnits` here
    /// (and per table and index under INDEXES); the read/write split is for transactions.
    pub fn to_json(&self, table: &str, mode: ReturnCapacity) -> Value {
        self.entry(table, mode, None)
    }

    /// The `ConsumedCapacity` entry of a TransactGetItems or TransactWriteItems response, which
    /// also names the units `ReadCapacityUnits` or `WriteCapacityUnits`.
    pub fn to_transaction_json(&self, table: &str, mode: ReturnCapacity) -> Value {
        let split = if self.read {
            "ReadCapacityUnits"
        } else {
            "WriteCapacityUnits"
        };
        self.entry(table, mode, Some(split))
    }

    fn entry(&self, table: &str, mode: ReturnCapacity, split: Option<&str>) -> Value {
        let units = |v: f64| {
            let mut m = Map::new();
            m.insert("CapacityUnits".into(), json!(v));
            if let Some(name) = split {
                m.insert(name.into(), json!(v));
            }
            m
        };
        let mut out = Map::new();
        out.insert("TableName".into(), json!(table));
        out.extend(units(self.total()));
        if mode == ReturnCapacity::Indexes {
            out.insert("Table".into(), Value::Object(units(self.table)));
            let section = |m: &BTreeMap<String, f64>| -> Value {
                m.iter()
                    .map(|(k, v)| (k.clone(), Value::Object(units(*v))))
                    .collect::<Map<_, _>>()
                    .into()
            };
            if !self.global_indexes.is_empty() {
                out.insert(
                    "GlobalSecondaryIndexes".into(),
                    section(&self.global_indexes),
                );
            }
            if !self.local_indexes.is_empty() {
                out.insert("LocalSecondaryIndexes".into(), section(&self.local_indexes));
            }
        }
        Value::Object(out)
    }
}
