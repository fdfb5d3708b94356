//! Capacity units: what one request of a layout consumes, and the provisioned
//! throughput a layout needs at its patterns' rates. The cost report prices
//! these units; the layout needs them itself to size a provisioned table.
//!
//! Reads cost one read unit per 4 KB (summed over a Query's items, per item
//! for GetItem), half of that when eventually consistent; writes cost one
//! write unit per 1 KB of item, once more for every global index the item is
//! copied into, and twice in a transaction.

use serde_json::{json, Value};

use super::{DynamoLayout, DynamoRequest};
use crate::model::*;

/// Bytes per read unit.
pub const READ_UNIT_BYTES: u64 = 4096;
/// Bytes per write unit.
pub const WRITE_UNIT_BYTES: u64 = 1024;
/// Provisioned capacity is sized for this utilization, as auto scaling targets.
pub const TARGET_UTILIZATION: f64 = 0.7;

/// The capacity one request consumes.
#[derive(Clone, Debug, PartialEq)]
pub struct Units {
    pub read: f64,
    pub write: f64,
    /// How the units were counted.
    pub explanation: String,
}

/// Units of `bytes`, rounded up, at least one.
fn units(bytes: u64, unit: u64) -> f64 {
    bytes.max(1).div_ceil(unit) as f64
}

/// The read and write units one request of `pattern` consumes.
pub fn request_units(pattern: &AccessPattern, request: &DynamoRequest) -> Units {
    let strong = pattern.consistency == Consistency::Strong && request.index.is_none();
    let factor = if strong { 1.0 } else { 0.5 };
    let consistency = if strong {
        "strongly consistent"
    } else {
        "eventually consistent, half price"
    };
    match request.operation.as_str() {
        "GetItem" => {
            let read = units(request.bytes, READ_UNIT_BYTES) * factor;
            Units {
                read,
                write: 0.0,
                explanation: format!(
                    "one item of about {} bytes: {read} read unit(s), {consistency}",
                    request.bytes
                ),
            }
        }
        "Query" | "Scan" => {
            let read = units(request.bytes, READ_UNIT_BYTES) * factor;
            let mut explanation = format!(
                "{} item(s), {} bytes in all, rounded up to 4 KB: {read} read unit(s), {consistency}",
                request.items, request.bytes
            );
            let mut write = 0.0;
            if pattern.kind.is_write() {
                // The write after the read.
                write = item_write_units(request);
                explanation.push_str(&format!("; then the write: {write} write unit(s)"));
            }
            Units {
                read,
                write,
                explanation,
            }
        }
        "TransactWriteItems" => transaction_units(request),
        _ => single_write_units(pattern, request),
    }
}

/// The bytes of one item the request writes.
fn per_item(request: &DynamoRequest) -> u64 {
    request.bytes / request.items.max(1)
}

/// Writing the request's item, with its copies in global indexes.
fn item_write_units(request: &DynamoRequest) -> f64 {
    units(per_item(request), WRITE_UNIT_BYTES) * f64::from(1 + request.index_writes)
}

/// A transaction: the item with its index copies and its marker items, doubled.
fn transaction_units(request: &DynamoRequest) -> Units {
    let main = item_write_units(request);
    let markers = request.items.saturating_sub(1) as f64;
    let write = (main + markers) * 2.0;
    let marker_text = if markers > 0.0 {
        format!(" and {markers} marker item(s)")
    } else {
        String::new()
    };
    Units {
        read: 0.0,
        write,
        explanation: format!(
            "the item ({main} unit(s) with its index copies){marker_text}, doubled in a transaction: {write} write units"
        ),
    }
}

/// PutItem, UpdateItem or DeleteItem of one item.
fn single_write_units(pattern: &AccessPattern, request: &DynamoRequest) -> Units {
    let per_item = per_item(request);
    let mut write = item_write_units(request);
    let mut explanation = format!(
        "an item of about {per_item} bytes: {} write unit(s) per 1 KB",
        units(per_item, WRITE_UNIT_BYTES)
    );
    if request.index_writes > 0 {
        explanation.push_str(&format!(
            ", times {} for its global index copies",
            1 + request.index_writes
        ));
    }
    if pattern.transactional {
        write *= 2.0;
        explanation.push_str(", doubled in a transaction");
    }
    explanation.push_str(&format!(": {write} write unit(s)"));
    Units {
        read: 0.0,
        write,
        explanation,
    }
}

/// Sets provisioned throughput from the access patterns' rates: the table gets
/// the reads on it and its share of the writes, each global index the reads on
/// it and the writes copied into it, sized for the target utilization.
pub(super) fn provision(design: &Design, layout: &mut DynamoLayout) {
    let units = |x: f64| -> u64 { ((x / TARGET_UTILIZATION).ceil() as u64).max(1) };
    let mut table_reads = 0.0;
    let mut table_writes = 0.0;
    let mut per_index: Vec<(String, f64, f64)> = layout
        .indexes
        .iter()
        .filter(|i| i.kind == "global")
        .map(|i| (i.name.clone(), 0.0, 0.0))
        .collect();
    for r in &layout.requests {
        let Some(pattern) = design.access_patterns.iter().find(|p| p.name == r.pattern) else {
            continue;
        };
        let Units { read, write, .. } = request_units(pattern, r);
        let (reads, writes) = (
            read * pattern.requests_per_second,
            write * pattern.requests_per_second,
        );
        match &r.index {
            Some(name) => {
                if let Some(entry) = per_index.iter_mut().find(|(n, _, _)| n == name) {
                    entry.1 += reads;
                }
            }
            None => table_reads += reads,
        }
        if writes > 0.0 {
            // Each copy (table and every index the item lands in) takes an equal share.
            let share = writes / f64::from(1 + r.index_writes);
            table_writes += share;
            let keys = layout
                .entities
                .iter()
                .find(|e| e.entity == r.entity)
                .map(|e| e.index_keys.clone())
                .unwrap_or_default();
            for k in keys {
                if let Some(entry) = per_index.iter_mut().find(|(n, _, _)| *n == k.index) {
                    entry.2 += share;
                }
            }
        }
    }
    let throughput =
        |r: f64, w: f64| json!({ "ReadCapacityUnits": units(r), "WriteCapacityUnits": units(w) });
    if let Some(table) = layout.create_table.as_object_mut() {
        table.insert(
            "ProvisionedThroughput".into(),
            throughput(table_reads, table_writes),
        );
        if let Some(Value::Array(gsis)) = table.get_mut("GlobalSecondaryIndexes") {
            for g in gsis.iter_mut() {
                let name = g
                    .get("IndexName")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string();
                let (r, w) = per_index
                    .iter()
                    .find(|(n, _, _)| *n == name)
                    .map(|(_, r, w)| (*r, *w))
                    .unwrap_or((0.0, 0.0));
                if let Some(g) = g.as_object_mut() {
                    g.insert("ProvisionedThroughput".into(), throughput(r, w));
                }
            }
        }
    }
}
