//! Horizontal scaling: a MongoDB shard key where a collection outgrows one
//! replica set, and DynamoDB partitions and write sharding.

use serde::{Deserialize, Serialize};

use crate::cost::CostReport;
use crate::dynamo::{distinct_values, key_values, partition_write_units, DynamoLayout};
use crate::model::*;
use crate::mongo::{host_path, placement, placements, MongoLayout, Placement};

/// A collection larger than this calls for sharding.
pub const SHARD_DATA_BYTES: u64 = 250 * 1_000_000_000;
/// Writes per second above which one primary is the bottleneck.
pub const SHARD_WRITES_PER_SECOND: f64 = 5_000.0;
/// A shard key value with fewer distinct values than this makes jumbo chunks.
pub const LOW_CARDINALITY: u64 = 1_000;
/// DynamoDB partition limits.
pub const PARTITION_BYTES: u64 = 10 * 1_000_000_000;
pub const PARTITION_READ_UNITS: f64 = 3_000.0;
pub const PARTITION_WRITE_UNITS: f64 = 1_000.0;

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Scaling {
    pub mongo: Vec<ShardSuggestion>,
    pub dynamo: DynamoScaling,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ShardSuggestion {
    pub collection: String,
    /// The key document: `{"deviceId": 1, "ts": 1}` or `{"_id": "hashed"}`.
    pub key: serde_json::Value,
    pub hashed: bool,
    pub reason: String,
    pub patterns: Vec<ShardedPattern>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ShardedPattern {
    pub pattern: String,
    /// Whether the query goes to one shard (targeted) or all (scatter-gather).
    pub targeted: bool,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoScaling {
    pub table_bytes: u64,
    pub partitions: u64,
    pub reason: String,
    pub write_sharding: Vec<WriteSharding>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct WriteSharding {
    pub pattern: String,
    /// The partition key template that would be hot.
    pub partition: String,
    pub units_per_key_per_second: f64,
    pub suffixes: u64,
    pub advice: String,
}

/// `20%`, `0.5%`.
fn percent(share: f64) -> String {
    let p = share * 100.0;
    if p.fract() == 0.0 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

fn monotonic(entity: &Entity, field: &str) -> bool {
    if field == "_id" || field == entity.id_name() {
        return entity
            .id_field()
            .is_none_or(|f| f.ty == FieldType::ObjectId);
    }
    entity.field_path(field).is_some_and(|f| {
        matches!(f.ty, FieldType::Date | FieldType::ObjectId)
            || matches!(
                f.generator,
                Some(Generator::Timestamp | Generator::Sequence)
            )
    })
}

/// Shard keys and DynamoDB partitions for the design.
pub fn analyze(
    design: &Design,
    mongo: &MongoLayout,
    dynamo: &DynamoLayout,
    cost: &CostReport,
) -> Scaling {
    Scaling {
        mongo: shard_keys(design, mongo),
        dynamo: partitions(design, dynamo, cost),
    }
}

fn shard_keys(design: &Design, mongo: &MongoLayout) -> Vec<ShardSuggestion> {
    let places = placements(design, &mongo.decisions);
    let mut out = Vec::new();
    for collection in &mongo.collections {
        let Some(entity) = design.entity(&collection.entity) else {
            continue;
        };
        let bytes = collection
            .documents
            .saturating_mul(collection.average_document_bytes);
        let patterns: Vec<&AccessPattern> = design
            .access_patterns
            .iter()
            .filter(|p| {
                placement(&places, &p.entity).is_some_and(|pl| pl.collection == collection.name)
            })
            .collect();
        let writes: f64 = patterns
            .iter()
            .filter(|p| p.kind.is_write())
            .map(|p| p.requests_per_second)
            .sum();
        if bytes < SHARD_DATA_BYTES && writes < SHARD_WRITES_PER_SECOND {
            continue;
        }
        let why_shard = if bytes >= SHARD_DATA_BYTES {
            format!(
                "about {} GB of documents outgrow one replica set",
                bytes / 1_000_000_000
            )
        } else {
            format!("{writes:.0} writes per second outgrow one primary")
        };
        let (key, hashed, reason, first_field) =
            shard_key(design, entity, &places, &patterns, &why_shard);
        let sharded = patterns
            .iter()
            .map(|p| {
                let place = placement(&places, &p.entity);
                let targeted = p.kind == PatternKind::Insert
                    || p.equality.iter().any(|f| {
                        let e = design.entity(&p.entity);
                        match (e, place) {
                            (Some(e), Some(pl)) => host_path(e, pl, f) == first_field,
                            _ => false,
                        }
                    });
                ShardedPattern {
                    pattern: p.name.clone(),
                    targeted,
                }
            })
            .collect();
        out.push(ShardSuggestion {
            collection: collection.name.clone(),
            key,
            hashed,
            reason,
            patterns: sharded,
        });
    }
    out
}

/// The shard key of a collection: the first equality field of the busiest
/// reads, hashed when it grows monotonically, with `_id` added when it has
/// few values, with the sort field after it when there is one; a hashed `_id`
/// when the reads find documents by id alone. Returns the key document,
/// whether it is hashed, the reason, and the key's first field.
fn shard_key(
    design: &Design,
    entity: &Entity,
    places: &[(String, Placement)],
    patterns: &[&AccessPattern],
    why_shard: &str,
) -> (serde_json::Value, bool, String, String) {
    // Candidates: the first equality field of each read pattern, weighted by its rate.
    let mut candidates: Vec<(String, f64, Option<String>)> = Vec::new();
    for p in patterns {
        if p.kind == PatternKind::Insert || p.entity != entity.name {
            continue;
        }
        let Some(first) = p.equality.first() else {
            continue;
        };
        let Some(place) = placement(places, &p.entity) else {
            continue;
        };
        let path = host_path(entity, place, first);
        let sort = p.item_sort().map(|s| s.field.clone()).or(p.range.clone());
        match candidates.iter_mut().find(|(f, _, _)| *f == path) {
            Some(c) => {
                c.1 += p.requests_per_second;
                if c.2.is_none() {
                    c.2 = sort;
                }
            }
            None => candidates.push((path, p.requests_per_second, sort)),
        }
    }
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1));
    let best = candidates.first().cloned();
    match best {
        Some((field, rate, sort)) if field != "_id" => {
            let card = distinct_values(design, entity, &field);
            if monotonic(entity, &field) {
                (
                    serde_json::json!({ field.clone(): "hashed" }),
                    true,
                    format!("{why_shard}. {field} serves the busiest queries ({rate:.0}/s) but grows monotonically, so a ranged key would send every insert to the last chunk: hash it to spread writes, at the cost of range queries on it going to every shard"),
                    field,
                )
            } else if card < LOW_CARDINALITY {
                (
                    serde_json::json!({ field.clone(): 1, "_id": 1 }),
                    false,
                    format!("{why_shard}. {field} serves the busiest queries ({rate:.0}/s) but has only about {card} values, so _id is added to split its chunks"),
                    field,
                )
            } else if let Some(sort) = sort.filter(|s| *s != field) {
                let sort_path = placement(places, &entity.name).map(|pl| host_path(entity, pl, &sort)).unwrap_or(sort);
                (
                    serde_json::json!({ field.clone(): 1, sort_path.clone(): 1 }),
                    false,
                    format!("{why_shard}. {field} has about {card} values and serves the busiest queries ({rate:.0}/s), so they target one shard; {sort_path} after it keeps each {field}'s documents in order and splits a busy {field} across chunks"),
                    field,
                )
            } else {
                (
                    serde_json::json!({ field.clone(): 1 }),
                    false,
                    format!("{why_shard}. {field} has about {card} values and serves the busiest queries ({rate:.0}/s), so they target one shard"),
                    field,
                )
            }
        }
        _ => (
            serde_json::json!({ "_id": "hashed" }),
            true,
            format!("{why_shard}. The queries find documents by _id only, so a hashed _id spreads documents and inserts evenly and still targets look-ups by id"),
            "_id".to_string(),
        ),
    }
}

fn partitions(design: &Design, dynamo: &DynamoLayout, cost: &CostReport) -> DynamoScaling {
    let table_bytes: u64 = crate::dynamo::table_bytes(design, dynamo);
    let by_size = table_bytes.div_ceil(PARTITION_BYTES).max(1);
    // Scans are flagged to be replaced; counting them would size the table for a mistake.
    let (reads, writes, scans) = cost.patterns.iter().fold((0.0, 0.0, 0), |(r, w, n), p| {
        if p.operation == "Scan" {
            (r, w, n + 1)
        } else {
            (r + p.read_units_per_second, w + p.write_units_per_second, n)
        }
    });
    let by_throughput = (reads / PARTITION_READ_UNITS + writes / PARTITION_WRITE_UNITS)
        .ceil()
        .max(1.0) as u64;
    let partitions = by_size.max(by_throughput);
    let reason = format!(
        "{:.1} GB at 10 GB per partition needs {by_size}; {reads:.0} read and {writes:.0} write units per second at 3,000 RCU / 1,000 WCU per partition need {by_throughput}{}",
        table_bytes as f64 / 1e9,
        if scans > 0 { format!(" (the {scans} flagged Scan pattern(s) left out)") } else { String::new() }
    );
    let mut write_sharding = Vec::new();
    let pattern = |name: &str| design.access_patterns.iter().find(|p| p.name == name);
    for (request, c) in dynamo.requests.iter().zip(&cost.patterns) {
        let Some(partition) = &request.partition else {
            continue;
        };
        // The hottest key's share of the pattern's requests: the design's skew, else even.
        let p = pattern(&request.pattern);
        let share = p.map_or(1.0 / request.partition_values.max(1) as f64, |p| {
            p.hottest_share(request.partition_values)
        });
        let per_key_writes = partition_write_units(request) * c.requests_per_second * share;
        let per_key_reads = c.read_units_per_second * share;
        let (units, limit, kind) =
            if per_key_writes / PARTITION_WRITE_UNITS >= per_key_reads / PARTITION_READ_UNITS {
                (per_key_writes, PARTITION_WRITE_UNITS, "write")
            } else {
                (per_key_reads, PARTITION_READ_UNITS, "read")
            };
        if units <= limit * 0.8 {
            continue;
        }
        let suffixes = (units / (limit * 0.8)).ceil().max(2.0) as u64;
        let which = match p.and_then(AccessPattern::hot_share) {
            Some(s) => format!(
                "the hottest {partition} value, with {} of the requests (hotKeyShare {s}),",
                percent(s)
            ),
            None => format!("each {partition} value"),
        };
        let advice = if kind == "write" {
            format!(
                "{which} takes about {units:.0} write units per second, over the 1,000 a partition serves: add a suffix #0..#{} (random or from a hash of the id) to spread writes; reading all of one key then takes {suffixes} Queries, merged by the client",
                suffixes - 1
            )
        } else {
            format!(
                "{which} takes about {units:.0} read units per second, over the 3,000 a partition serves: cache it (DAX) or copy it under {suffixes} suffixed keys and read one at random"
            )
        };
        write_sharding.push(WriteSharding {
            pattern: request.pattern.clone(),
            partition: partition.clone(),
            units_per_key_per_second: (units * 10.0).round() / 10.0,
            suffixes,
            advice,
        });
    }
    // Writes copied into a global index land on the index's partition keys too:
    // a hot index partition throttles the table's writes (back-pressure).
    for (request, c) in dynamo.requests.iter().zip(&cost.patterns) {
        // A write that changes nothing an index holds copies nothing into it.
        let copies = request.index_writes + request.then.as_ref().map_or(0, |t| t.index_writes);
        if c.write_units_per_second <= 0.0 || copies == 0 {
            continue;
        }
        let Some(entity) = design.entity(&request.entity) else {
            continue;
        };
        let Some(keys) = dynamo.entities.iter().find(|e| e.entity == request.entity) else {
            continue;
        };
        // Each index the item is in takes a copy of its write; the hottest
        // item's index key takes at least the hottest item's share.
        let share = partition_write_units(request) * c.requests_per_second;
        let p = pattern(&request.pattern);
        for k in &keys.index_keys {
            let Some(values) = key_values(design, entity, &k.pk) else {
                continue;
            };
            let units = share * p.map_or(1.0 / values.max(1) as f64, |p| p.hottest_share(values));
            if units <= PARTITION_WRITE_UNITS * 0.8 {
                continue;
            }
            let suffixes = (units / (PARTITION_WRITE_UNITS * 0.8)).ceil().max(2.0) as u64;
            write_sharding.push(WriteSharding {
                pattern: request.pattern.clone(),
                partition: format!("{} {}", k.index, k.pk),
                units_per_key_per_second: (units * 10.0).round() / 10.0,
                suffixes,
                advice: format!(
                    "every write of a {} is copied into {}, where each {} value takes about {units:.0} write units per second, over the 1,000 a partition serves; a throttled index throttles the table's writes too: add a suffix #0..#{} to the index key and query the {suffixes} keys in parallel",
                    crate::names::words(&entity.name),
                    k.index,
                    k.pk,
                    suffixes - 1
                ),
            });
        }
    }
    DynamoScaling {
        table_bytes,
        partitions,
        reason,
        write_sharding,
    }
}
