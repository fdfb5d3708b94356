//! The DynamoDB single-table layout, derived from the access patterns the way
//! the single-table method does it:
//!
//! 1. Every entity gets a key template. An entity read through its parent
//!    (read together, or listed by the parent's id) lives in the parent's item
//!    collection (`POST#<postId>` / `COMMENT#<createdAt>#<commentId>`), sorted
//!    by the field its list pattern sorts on; every other entity gets its own
//!    partition (`USER#<userId>` / `PROFILE`).
//! 2. Each access pattern is then served by the table's key if it binds it,
//!    by a local index if it binds the partition key but sorts differently
//!    and reads strongly consistent (else a global index: a local one must be
//!    created with the table, caps an item collection at 10 GB and shares the
//!    partition's throughput),
//!    by a declared index (the `EmailIndex` on `email`), or by an overloaded
//!    global index (`GSI1PK`/`GSI1SK`) shared between entities; a pattern that
//!    binds nothing is a flagged Scan.
//! 3. Keys hold ISO 8601 dates and numbers written so that text order is time
//!    and number order (`sample::number_key`: a fixed-width integer part,
//!    negative numbers complemented); a range reads from its value to the end
//!    of the sort key's prefix.

//!
//! The modules, in the order a layout is derived: `keys` (where each entity's
//! items live, key templates), `plan` (each pattern's access path) with
//! `index` (the secondary indexes planning registers), `items` (an item from
//! a record, link items, sample items), `request` (one module per kind of
//! request, rendered from an argument record by [`DynamoContext::request_for`]
//! or from sample record 0 for the layout), `expr` (expression attribute
//! names), `sdk` (operations, their lib-dynamodb commands, the code),
//! `create_table`, `stats` (sizes and distinct values) and `capacity` (units
//! per request, provisioned throughput).
//!
//! Knows nothing of the MongoDB layout: what both read the same way from a
//! design is in [`crate::model::relations`].

use std::cell::RefCell;

use serde::{Deserialize, Serialize};
use serde_json::Value;

mod aggregate;
mod capacity;
mod counter;
mod create_table;
mod expr;
mod index;
mod items;
mod keys;
mod page;
mod plan;
mod projection;
mod request;
mod sdk;
mod stats;

pub use crate::js::js_literal;
pub use crate::model::relations::many_to_many_read;
use crate::model::*;
use crate::names;
pub use crate::sample::Args;
use crate::sample::{item_size, SampleContext};
pub use capacity::{
    partition_write_units, request_units, Units, READ_UNIT_BYTES, TARGET_UTILIZATION,
    WRITE_UNIT_BYTES,
};
pub use counter::{CounterAnswer, CounterItems, CounterTally, COUNT_ATTRIBUTE, GROUP_ATTRIBUTE};
pub use expr::is_reserved;
use index::IndexDraft;
pub use items::{
    sample_item_records, sample_items, sample_items_range, sample_sources, SampleItems,
};
use keys::link_keys;
pub use keys::{embedded_in_item, link_name, render, EMBED_LIMIT};
use plan::Plan;
pub use request::cascade::{DynamoCascade, BATCH_WRITE_MAX};
pub use request::DynamoFanout;
pub use sdk::{unmarshall, unmarshall_map, Operation};
pub use stats::{
    distinct_values, index_bytes, key_values, living_items, table_bytes, ITEM_OVERHEAD_BYTES,
    MARKER_ITEM_BYTES,
};

/// DynamoDB's maximum item size.
pub const MAX_ITEM_BYTES: u64 = 400 * 1024;
/// The item-collection size limit of a table with a local secondary index.
pub const LSI_COLLECTION_LIMIT_BYTES: u64 = 10 * 1024 * 1024 * 1024;
pub const MAX_GSIS: usize = 20;
pub const MAX_LSIS: usize = 5;
/// The attribute naming each item's entity, so Scans and exports can tell them apart.
pub const TYPE_ATTRIBUTE: &str = "entityType";

/// The derived single-table layout.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoLayout {
    pub table_name: String,
    pub partition_key: String,
    pub sort_key: String,
    pub entities: Vec<EntityKeys>,
    pub indexes: Vec<DynamoIndex>,
    /// One request per access pattern, in the design's order.
    pub requests: Vec<DynamoRequest>,
    /// Sample items grouped by partition key, as the aggregate view shows them.
    pub item_collections: Vec<ItemCollection>,
    /// The CreateTable input for this layout.
    pub create_table: Value,
    /// How key values are written so they sort (dates, numbers).
    pub key_formats: Vec<String>,
    /// The attribute DynamoDB's TTL reads (epoch seconds), when an entity's items expire.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ttl_attribute: Option<String>,
    /// The counter items that serve count and aggregate patterns.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub counters: Vec<CounterItems>,
}

impl DynamoLayout {
    /// The UpdateTimeToLive input that turns TTL on for the table, when an entity's items expire.
    pub fn update_time_to_live(&self) -> Option<Value> {
        let attribute = self.ttl_attribute.as_ref()?;
        Some(serde_json::json!({
            "TableName": self.table_name,
            "TimeToLiveSpecification": { "AttributeName": attribute, "Enabled": true },
        }))
    }
}

/// The keys of one entity's items.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EntityKeys {
    pub entity: String,
    pub pk: String,
    pub sk: String,
    /// The entity whose item collection (or item) holds these items, if not their own.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collection_of: Option<String>,
    /// The attribute of the parent's item these are stored in, when embedded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// The secondary index keys these items carry.
    pub index_keys: Vec<IndexKeys>,
    pub average_item_bytes: u64,
    pub reason: String,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexKeys {
    pub index: String,
    pub pk: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sk: Option<String>,
    /// The bytes of the copy of an item the index keeps (its projection).
    pub projected_bytes: u64,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoIndex {
    pub name: String,
    /// `global` or `local`.
    pub kind: String,
    pub partition_key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<String>,
    /// Only items that carry the index key appear in it.
    pub sparse: bool,
    /// Whether the user declared it (otherwise derived).
    pub declared: bool,
    pub serves: Vec<String>,
    pub reason: String,
    /// What the index copies from the items (derived, or the design's override).
    pub projection: Projection,
    /// Why it projects that.
    pub projection_reason: String,
}

/// The one request an access pattern becomes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoRequest {
    pub pattern: String,
    pub entity: String,
    /// `GetItem`, `Query`, `Scan`, `PutItem`, `UpdateItem`, `DeleteItem`, `TransactWriteItems`.
    pub operation: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// The request in the DynamoDB JSON API shape (AttributeValue JSON).
    pub input: Value,
    /// The same request with the AWS SDK v3 document client (lib-dynamodb).
    pub sdk: String,
    /// Why this request is a problem, when it is one (a Scan, a read before a write).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flag: Option<String>,
    /// Items one request reads (for writes: items it writes).
    pub items: u64,
    /// Bytes one request reads or writes, summed over its items.
    pub bytes: u64,
    /// Index writes the request makes, summed over the items it writes: one
    /// per secondary index an item is in, two where the write changes the
    /// item's key in that index (out of the old place, into the new).
    pub index_writes: u32,
    /// For a write: each item it writes (a marker item, the old and the new
    /// place of an item that moves), with its index writes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub writes: Vec<ItemWrite>,
    /// The partition key template the request targets, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partition: Option<String>,
    /// About how many distinct values that partition key has.
    pub partition_values: u64,
    /// The request sent next, with values from this one's answer, when the
    /// pattern takes two: the write after the read that finds its item (a
    /// read before the write), the BatchGetItem of the items a many-to-many
    /// Query's link items name. Rendered here with the values at hand (the
    /// layout's: sample record 0); [`DynamoContext::next_requests`] renders
    /// it from an answer.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub then: Option<Box<DynamoRequest>>,
    /// For an update of a field other entities copy: the requests that keep
    /// each copy equal to it (see [`crate::model::copies`]), sent after it;
    /// their SDK code follows the request's own in `sdk`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fanout: Vec<DynamoFanout>,
    /// For a delete of a parent whose children go with it (see
    /// [`crate::model::cascade`]): after it, each cascade's read and the
    /// BatchWriteItem of what it finds (here the sample's first child, its
    /// `items` counting as many as the relationship expects), depth first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleanup: Vec<DynamoRequest>,
}

/// One item a write request writes.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ItemWrite {
    /// The item's size.
    pub bytes: u64,
    /// Its writes to secondary indexes (see [`DynamoRequest::index_writes`]).
    pub index_writes: u32,
}

/// Items sharing one partition key value.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ItemCollection {
    pub pk: String,
    pub items: Vec<Value>,
}

/// What the layout is derived with: the design, the samples that measure
/// sizes, where each entity lives, the indexes planning registered.
struct Deriver<'a> {
    design: &'a Design,
    ctx: SampleContext<'a>,
    homes: Vec<(String, keys::Home)>,
    indexes: Vec<IndexDraft>,
    /// The path finding each cascading relationship's children, by the
    /// relationship's position (`request/cascade.rs`).
    cascades: Vec<(usize, plan::Path)>,
    /// Average item sizes by entity, valid once the indexes are planned.
    sizes: RefCell<Vec<(String, u64)>>,
    /// The counter items planning chose, in the order of their patterns.
    counters: Vec<counter::Counter>,
}

/// The DynamoDB layout of a design, derived once: key templates, indexes and
/// each pattern's access path. Renders any pattern's request from an
/// argument record ([`DynamoContext::request_for`]) and the items a record
/// becomes ([`DynamoContext::items_for`], [`DynamoContext::link_item_for`]).
pub struct DynamoContext<'a> {
    design: &'a Design,
    deriver: Deriver<'a>,
    /// The access path of each of the design's patterns, in order.
    plans: Vec<Option<Plan>>,
}

impl<'a> DynamoContext<'a> {
    /// The layout's context, rendering sample records generated from `seed` (the layout's
    /// own are seed 1): the requests of data generated with that seed.
    pub fn with_seed(design: &'a Design, seed: u64) -> Self {
        let mut ctx = DynamoContext::new(design);
        ctx.deriver.ctx.seed = seed;
        ctx
    }

    pub fn new(design: &'a Design) -> Self {
        let (deriver, plans) = prepare(design, 1, 1000);
        DynamoContext {
            design,
            deriver,
            plans,
        }
    }
}

/// Derives the single-table layout.
pub fn layout(design: &Design) -> DynamoLayout {
    let ctx = DynamoContext::new(design);
    let d = &ctx.deriver;
    let requests = design
        .access_patterns
        .iter()
        .zip(&ctx.plans)
        .filter_map(|(p, plan)| {
            let own = ctx.sample_request(p, plan.as_ref()?)?;
            let request = ctx.sample_transaction(p, own);
            Some(ctx.sample_fanout(p, request))
        })
        .collect();
    let mut entities: Vec<EntityKeys> = design
        .entities
        .iter()
        .filter_map(|e| {
            let home = d.home_of(&e.name)?;
            Some(EntityKeys {
                entity: e.name.clone(),
                pk: home.pk.clone(),
                sk: home.sk.clone(),
                collection_of: home.parent.clone(),
                attribute: home.embedded.clone(),
                index_keys: d.index_keys(&e.name),
                average_item_bytes: d.average_item_bytes(e),
                reason: home.reason.clone(),
            })
        })
        .collect();
    entities.extend(items::many_to_many_links(design).map(|rel| d.link_keys(rel)));
    let mut layout = DynamoLayout {
        table_name: design.dynamo.table_name.clone(),
        partition_key: design.dynamo.partition_key.clone(),
        sort_key: design.dynamo.sort_key.clone(),
        entities,
        indexes: d.indexes(),
        requests,
        item_collections: d.item_collections(2),
        create_table: d.create_table(),
        key_formats: d.key_formats(),
        ttl_attribute: design
            .entities
            .iter()
            .any(|e| e.ttl_field().is_some())
            .then(|| TTL_ATTRIBUTE.to_string()),
        counters: ctx.counter_items(),
    };
    if design.dynamo.billing_mode == BillingMode::Provisioned {
        capacity::provision(design, &mut layout);
    }
    layout
}

impl Deriver<'_> {
    /// The keys of a many-to-many relationship's link items.
    fn link_keys(&self, rel: &Relationship) -> EntityKeys {
        let link = link_name(rel);
        let (pk, sk) = link_keys(rel);
        let inverted = self.index_keys(&link);
        let reason = format!(
            "many-to-many: each pair is a link item in the {}'s partition (the adjacency list), so one Query lists a {}'s {}{}",
            names::words(&rel.from),
            names::words(&rel.from),
            names::plural(&names::words(&rel.to)),
            match inverted.first() {
                Some(k) => format!("; {} swaps the keys to list a {}'s {}", k.index, names::words(&rel.to), names::plural(&names::words(&rel.from))),
                None => String::new(),
            }
        );
        EntityKeys {
            entity: link,
            pk,
            sk,
            collection_of: Some(rel.from.clone()),
            attribute: None,
            index_keys: inverted,
            average_item_bytes: item_size(&self.link_item(rel, 0)) as u64,
            reason,
        }
    }

    /// The indexes the table has: the declared ones and those some pattern uses.
    fn indexes(&self) -> Vec<DynamoIndex> {
        self.indexes
            .iter()
            .filter(|i| i.declared || !i.mappings.is_empty())
            .map(|i| DynamoIndex {
                name: i.name.clone(),
                kind: if i.local { "local" } else { "global" }.to_string(),
                partition_key: i.pk_attr.clone(),
                sort_key: i.sk_attr.clone(),
                sparse: i.sparse,
                declared: i.declared,
                serves: i.serves.clone(),
                reason: if i.reasons.is_empty() {
                    "declared in the design; no access pattern uses it yet".to_string()
                } else {
                    i.reasons.join("; ")
                },
                projection: i.projection.clone(),
                projection_reason: i.projection_reason.clone(),
            })
            .collect()
    }
}

/// Key templates for every entity, the declared indexes, and each pattern's access path.
fn prepare(design: &Design, seed: u64, max_per_entity: u64) -> (Deriver<'_>, Vec<Option<Plan>>) {
    let mut d = Deriver {
        design,
        ctx: SampleContext {
            design,
            seed,
            max_per_entity,
        },
        homes: Vec::new(),
        indexes: Vec::new(),
        cascades: Vec::new(),
        sizes: RefCell::new(Vec::new()),
        counters: Vec::new(),
    };
    d.homes = design
        .entities
        .iter()
        .map(|e| (e.name.clone(), d.home(e)))
        .collect();
    for choice in &design.dynamo.indexes {
        d.indexes.push(IndexDraft {
            name: choice.name.clone(),
            local: choice.local,
            declared: true,
            pk_attr: choice.partition_key.clone(),
            sk_attr: choice.sort_key.clone(),
            mappings: Vec::new(),
            serves: Vec::new(),
            reasons: Vec::new(),
            sparse: false,
            projection: Projection::All,
            projection_reason: String::new(),
        });
    }
    let plans: Vec<Option<Plan>> = design.access_patterns.iter().map(|p| d.plan(p)).collect();
    d.cascades = d.plan_cascades();
    // Item sizes depend on the index keys items carry: measure them only now.
    d.sizes.borrow_mut().clear();
    d.project_indexes(&plans);
    (d, plans)
}
