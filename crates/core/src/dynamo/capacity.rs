//! Capacity units: what one request of a layout consumes, and the provisioned
//! throughput a layout needs at its patterns' rates. The cost report prices
//! these units; the layout needs them itself to size a provisioned table.
//!
//! Reads cost one read unit per 4 KB (summed over a Query's items, per item
//! for GetItem and BatchGetItem), half of that when eventually consistent;
//! writes cost one write unit per 1 KB of each item written (a marker item
//! on its own, not averaged with the item), once more for every index write
//! (two where the write changes the item's key in that index), and all of it
//! twice in a transaction. A pattern that takes two requests (a read before
//! a write) costs both.

use serde_json::{json, Value};

use super::{DynamoLayout, DynamoRequest};
use crate::model::*;

/// Bytes per read unit.
pub const READ_UNIT_BYTES: u64 = 4096;
/// Bytes per write unit.
pub const WRITE_UNIT_BYTES: u64 = 1024;
/// What a write unit costs in read units: five, on demand ($0.625 against
/// $0.125 a million) and provisioned ($0.00065 against $0.00013 an hour) alike.
pub const WRITE_UNIT_IN_READ_UNITS: f64 = 5.0;
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

/// The read and write units a pattern's request consumes, with the request
/// it takes next (the write after a read before the write, the BatchGetItem
/// after a many-to-many Query). Everything counted is in the request: its
/// consistency in its input, its items and the items it writes.
pub fn request_units(request: &DynamoRequest) -> Units {
    let mut units = one_request_units(request);
    if let Some(then) = &request.then {
        let next = one_request_units(then);
        units = Units {
            read: units.read + next.read,
            write: units.write + next.write,
            explanation: format!(
                "{}; then {}: {}",
                units.explanation, then.operation, next.explanation
            ),
        };
    }
    for c in &request.cleanup {
        let next = cleanup_units(c);
        units.read += next.read;
        units.write += next.write;
        units.explanation = format!(
            "{}; cleanup {}: {}",
            units.explanation, c.operation, next.explanation
        );
    }
    for f in &request.fanout {
        let fanout = fanout_units(f);
        units.read += fanout.read;
        units.write += fanout.write;
        units.explanation.push_str("; ");
        units.explanation.push_str(&fanout.explanation);
    }
    units
}

/// The units of a cascade's request: a read as any; a BatchWriteItem writes
/// one child's items (`writes`) as many times as `items` counts them.
fn cleanup_units(request: &DynamoRequest) -> Units {
    if request.operation != "BatchWriteItem" {
        return one_request_units(request);
    }
    let one = write_units(request, false);
    let times = request.items / (request.writes.len().max(1) as u64);
    let write = one.write * times as f64;
    Units {
        read: 0.0,
        write,
        explanation: format!("{times} × ({}): {write} write unit(s)", one.explanation),
    }
}

/// The units of keeping one copy equal to its source: the find (a Query of
/// the copies' items, or a Scan of the table), eventually consistent, and an
/// UpdateItem of each of the expected copies' items.
fn fanout_units(f: &super::DynamoFanout) -> Units {
    let read = units(f.find_bytes, READ_UNIT_BYTES) * 0.5;
    let per_copy = units(f.item_bytes, WRITE_UNIT_BYTES);
    let write = per_copy * f.copies;
    let find = match &f.scan {
        Some(_) => "a Scan of the table",
        None => "a Query",
    };
    Units {
        read,
        write,
        explanation: format!(
            "then the copies {}: {find} of {} bytes, {read} read unit(s), and about {} UpdateItem(s) of {} bytes, {per_copy} unit(s) each: {write} write unit(s)",
            f.copy,
            f.find_bytes,
            super::request::copies_text(f.copies),
            f.item_bytes
        ),
    }
}

/// Whether a read is strongly consistent, as its input says.
fn strongly_consistent(request: &DynamoRequest) -> bool {
    let input = &request.input["input"];
    input.get("ConsistentRead") == Some(&json!(true))
        || input
            .get("RequestItems")
            .and_then(Value::as_object)
            .is_some_and(|t| {
                t.values()
                    .any(|v| v.get("ConsistentRead") == Some(&json!(true)))
            })
}

/// The units of one request.
fn one_request_units(request: &DynamoRequest) -> Units {
    let strong = strongly_consistent(request);
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
        "BatchGetItem" => {
            // Each item is rounded up to 4 KB on its own.
            let per_item = request.bytes / request.items.max(1);
            let read = units(per_item, READ_UNIT_BYTES) * request.items as f64 * factor;
            Units {
                read,
                write: 0.0,
                explanation: format!(
                    "{} item(s) of about {per_item} bytes, each rounded up to 4 KB: {read} read unit(s), {consistency}",
                    request.items
                ),
            }
        }
        "Query" | "Scan" => {
            let read = units(request.bytes, READ_UNIT_BYTES) * factor;
            Units {
                read,
                write: 0.0,
                explanation: format!(
                    "{} item(s), {} bytes in all, rounded up to 4 KB: {read} read unit(s), {consistency}",
                    request.items, request.bytes
                ),
            }
        }
        operation => write_units(request, operation == "TransactWriteItems"),
    }
}

/// A write: per item written, one unit per 1 KB, once more for each index
/// write; all doubled in a transaction.
fn write_units(request: &DynamoRequest, transaction: bool) -> Units {
    let mut write = 0.0;
    let mut parts = Vec::new();
    for w in &request.writes {
        let base = units(w.bytes, WRITE_UNIT_BYTES);
        let all = base * f64::from(1 + w.index_writes);
        write += all;
        parts.push(if w.index_writes > 0 {
            format!(
                "{} bytes: {base} unit(s) and {} index write(s), {all}",
                w.bytes, w.index_writes
            )
        } else {
            format!("{} bytes: {all} unit(s)", w.bytes)
        });
    }
    if transaction {
        write *= 2.0;
    }
    let items = match parts.len() {
        1 => format!("an item of {}", parts.join("")),
        n => format!("{n} items ({})", parts.join("; ")),
    };
    Units {
        read: 0.0,
        write,
        explanation: format!(
            "{items}{}: {write} write unit(s)",
            if transaction {
                ", doubled in a transaction"
            } else {
                ""
            }
        ),
    }
}

/// The write units one request of a pattern puts on the partition it
/// targets: its entity's item (the first item it writes; marker items live
/// in partitions of their own), doubled in a transaction, with the request
/// after it.
pub fn partition_write_units(request: &DynamoRequest) -> f64 {
    let transaction = if request.operation == "TransactWriteItems" {
        2.0
    } else {
        1.0
    };
    let own = request
        .writes
        .first()
        .map_or(0.0, |w| units(w.bytes, WRITE_UNIT_BYTES) * transaction);
    own + request.then.as_deref().map_or(0.0, partition_write_units)
}

/// A request's write units (with the request after it) split into the
/// items' own and their index writes.
fn write_split(request: &DynamoRequest) -> (f64, f64) {
    let transaction = if request.operation == "TransactWriteItems" {
        2.0
    } else {
        1.0
    };
    let (mut own, mut copies) = (0.0, 0.0);
    for w in &request.writes {
        let base = units(w.bytes, WRITE_UNIT_BYTES) * transaction;
        own += base;
        copies += base * f64::from(w.index_writes);
    }
    if let Some(then) = &request.then {
        let (o, c) = write_split(then);
        own += o;
        copies += c;
    }
    for cleanup in &request.cleanup {
        let (o, c) = write_split(cleanup);
        let times = cleanup.items / (cleanup.writes.len().max(1) as u64);
        own += o * times as f64;
        copies += c * times as f64;
    }
    (own, copies)
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
        let Units { read, write, .. } = request_units(r);
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
            // The table takes the items' own units; the index writes are
            // shared among the global indexes of the entity (local indexes
            // are written with the table's capacity).
            let (own, copies) = write_split(r);
            let total = (own + copies).max(f64::MIN_POSITIVE);
            let keys: Vec<String> = layout
                .entities
                .iter()
                .find(|e| e.entity == r.entity)
                .map(|e| e.index_keys.iter().map(|k| k.index.clone()).collect())
                .unwrap_or_default();
            let globals: Vec<&mut (String, f64, f64)> = per_index
                .iter_mut()
                .filter(|(n, _, _)| keys.contains(n))
                .collect();
            let (own, copies) = (writes * own / total, writes * copies / total);
            if globals.is_empty() {
                table_writes += own + copies;
            } else {
                table_writes += own;
                let share = copies / globals.len() as f64;
                for entry in globals {
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
