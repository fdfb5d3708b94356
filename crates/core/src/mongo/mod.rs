//! The MongoDB layout: which entities get a collection, which are embedded,
//! the shape of each document, the index suggestions, and the query each
//! access pattern becomes.
//!
//! - `decide`: embed or reference, one decision per
//!   relationship with its reason; `place`: where each entity
//!   lives and the path of its fields there.
//! - `shape`: document shapes and sizes; `document`: stored and sample documents.
//! - `index`: ESR index suggestions with prefix merging.
//! - `query`: the query each pattern becomes, one module per kind of pattern,
//!   rendered from an argument record ([`MongoContext::query_for`]) or, for
//!   the layout, from sample record 0; `shell`: mongosh literals.
//!
//! Knows nothing of the DynamoDB layout: what both read the same way from a
//! design is in [`crate::model::relations`].

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

mod cascade;
mod decide;
mod document;
pub(crate) mod index;
mod link_cleanup;
mod page;
mod place;
mod query;
mod shape;
mod shell;

pub use crate::js::js_key;
pub use crate::model::relations::{embedded_field, reference_field};
use crate::model::*;
use crate::names;
pub use crate::sample::Args;
use crate::sample::SampleContext;
pub use cascade::MongoCascade;
pub use decide::reference;
pub(crate) use decide::{lookups, many_read, ManyRead};
pub use document::{
    sample_document_records, sample_documents, sample_documents_range, SampleDocuments,
};
pub use place::Placement;
pub(crate) use place::{host_path, placement, placements};
pub use query::{group_id_key, group_output_path};
pub use shell::shell_literal;

/// MongoDB's maximum BSON document size.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;
/// More embedded children than this make an array "unbounded" in practice.
pub const FEW_LIMIT: u64 = 100;
/// MongoDB's limit of indexes per collection.
pub const MAX_INDEXES: usize = 64;

/// The derived MongoDB layout of a design.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoLayout {
    pub collections: Vec<Collection>,
    /// One decision per relationship, with the reason a learner reads.
    pub decisions: Vec<EmbedDecision>,
    /// One query per access pattern, in the design's order.
    pub queries: Vec<MongoQuery>,
    /// The advice on the design's declared indexes: unused, redundant, missing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub index_findings: Vec<Finding>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Collection {
    pub name: String,
    pub entity: String,
    /// The entity field stored as `_id`, if the entity declares one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_field: Option<String>,
    /// The document shape: the entity's fields, `_id` first, embedded
    /// children as objects or arrays, references as `ref` fields.
    pub shape: Vec<Field>,
    /// Entities stored inside this collection's documents.
    pub embedded: Vec<String>,
    pub documents: u64,
    /// Average document size of the samples, in bytes.
    pub average_document_bytes: u64,
    /// The largest a document gets when every embedded array is at its expected size.
    pub indexes: Vec<IndexSuggestion>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EmbedDecision {
    /// The relationship's position in the design.
    pub relationship: usize,
    pub from: String,
    pub to: String,
    pub embed: bool,
    /// Where the data goes: `posts.comments` (embedded) or `posts.authorId` (reference).
    pub path: String,
    pub reason: String,
}

/// One suggested index.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexSuggestion {
    pub collection: String,
    pub name: String,
    /// The key document, in order: `{"profile.city": 1, "createdAt": -1}`.
    pub keys: Value,
    pub unique: bool,
    /// Case-insensitive: built with collation `{locale: "en", strength: 2}` (a
    /// suggestion), or with a collation of strength 1 or 2 (a declared index).
    pub case_insensitive: bool,
    /// The access patterns this index serves.
    pub serves: Vec<String>,
    pub reason: String,
    /// The options of an index the design declares (`mongo.indexes`, an entity's `ttl`);
    /// None for a suggestion.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared: Option<DeclaredOptions>,
}

/// What a declared index says beyond its keys and uniqueness.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(rename_all = "camelCase")]
pub struct DeclaredOptions {
    /// The declaration's position in `mongo.indexes`; None for the TTL index of an entity's `ttl`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub sparse: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial_filter_expression: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expire_after_seconds: Option<u64>,
    /// The collation document, when the index has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<Value>,
    /// The weights of a text index's keys, when any differs from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weights: Option<Value>,
}

/// The collation of a case-insensitive match, and of the index serving it:
/// English, strength 2 (letters compare without their case).
pub fn case_insensitive_collation() -> Value {
    serde_json::json!({ "locale": "en", "strength": 2 })
}

impl IndexSuggestion {
    /// The `createIndex` options of the index: its name, whether it is unique,
    /// and the collation it is built with when it is case-insensitive.
    pub fn options(&self) -> Value {
        let mut options = serde_json::json!({ "name": self.name, "unique": self.unique });
        if let Some(d) = &self.declared {
            if d.sparse {
                options["sparse"] = Value::Bool(true);
            }
            if let Some(filter) = &d.partial_filter_expression {
                options["partialFilterExpression"] = filter.clone();
            }
            if let Some(seconds) = d.expire_after_seconds {
                options["expireAfterSeconds"] = Value::from(seconds);
            }
            if let Some(weights) = &d.weights {
                options["weights"] = weights.clone();
            }
            if let Some(collation) = &d.collation {
                options["collation"] = collation.clone();
            }
        } else if self.case_insensitive {
            options["collation"] = case_insensitive_collation();
        }
        options
    }

    /// The options of an index as JavaScript `key: value` pairs, in the order
    /// mongosh users write them: its name (when `named`), whether it is unique,
    /// sparse, partial, TTL, text weights, collation. `unique: false` is left out.
    pub fn options_js(&self, named: bool) -> Vec<String> {
        let options = self.options();
        let order = [
            "name",
            "unique",
            "sparse",
            "partialFilterExpression",
            "expireAfterSeconds",
            "weights",
            "collation",
        ];
        order
            .iter()
            .filter(|k| named || **k != "name")
            .filter_map(|k| {
                let value = options.get(*k)?;
                (*value != Value::Bool(false))
                    .then(|| format!("{k}: {}", crate::js::js_literal(value, 0)))
            })
            .collect()
    }
}

/// What an access pattern becomes in MongoDB.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoQuery {
    pub pattern: String,
    pub collection: String,
    /// `find`, `findOne`, `countDocuments`, `insertOne`, `updateOne`, `deleteOne`.
    pub operation: String,
    /// The filter in Extended JSON, with sample values.
    pub filter: Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sort: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub limit: Option<u32>,
    /// The update document, or the inserted document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub document: Option<Value>,
    /// The index that serves it: `_id_`, a suggested index's name, or none (a collection scan).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// For `aggregate`: the pipeline (a `$match`, then a `$lookup` per referenced
    /// relationship read together with the document).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pipeline: Option<Value>,
    /// The collation the query names: a case-insensitive pattern's, `{"locale": "en",
    /// "strength": 2}`, the collation its index is built with.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub collation: Option<Value>,
    /// The mongosh line (for a multi-item transaction, the whole
    /// `session.withTransaction`).
    pub shell: String,
    /// The other writes of the pattern's multi-document transaction, in
    /// order (see [`crate::model::transaction`]); empty for one write.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub transaction: Vec<MongoQuery>,
    /// The `updateMany` of each copy an update leaves stale (see
    /// [`crate::model::copies`]), run after it; its mongosh lines follow the
    /// update's in `shell`. Empty for any other query.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fanout: Vec<MongoQuery>,
    /// An `updateMany`'s `arrayFilters`, for a copy inside an embedded array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub array_filters: Option<Value>,
    /// For a delete of a parent whose children go with it (see
    /// [`crate::model::cascade`]): the `deleteMany` of each cascade after it,
    /// the deepest first (`cascade.rs`); their lines end `shell`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cleanup: Vec<MongoQuery>,
}

impl MongoQuery {
    /// The query with the fan-out to the copies it leaves stale: kept in
    /// [`MongoQuery::fanout`], its mongosh after the query's own.
    fn with_fanout(mut self, fanout: Vec<MongoQuery>) -> Self {
        for q in &fanout {
            self.shell.push('\n');
            self.shell.push_str(&q.shell);
        }
        self.fanout = fanout;
        self
    }

    /// The mongosh of the query alone, without its fan-out's lines.
    pub fn own_shell(&self) -> &str {
        let fanout: usize = self.fanout.iter().map(|q| q.shell.len() + 1).sum();
        self.shell
            .get(..self.shell.len().saturating_sub(fanout))
            .unwrap_or(&self.shell)
    }

    /// The query as a request to the MongoDB simulator, in its documented JSON shape (`{"op":
    /// "find", "collection": ..., "filter": ..., "sort": ..., "limit": ..., "collation": ...}`;
    /// an insert's `document`, an update's `update`, an aggregation's `pipeline`), which
    /// `schemaplay_mongo::Command::from_json` reads.
    pub fn request(&self) -> Value {
        let mut request = json!({ "op": self.operation, "collection": self.collection });
        let mut put = |field: &str, value: Option<&Value>| {
            if let Some(v) = value {
                request[field] = v.clone();
            }
        };
        match self.operation.as_str() {
            "insertOne" => put("document", self.document.as_ref()),
            "aggregate" => {
                put("pipeline", self.pipeline.as_ref());
                put("collation", self.collation.as_ref());
            }
            operation => {
                put("filter", Some(&self.filter));
                put("sort", self.sort.as_ref());
                put("limit", self.limit.map(Value::from).as_ref());
                if matches!(operation, "updateOne" | "updateMany") {
                    put("update", self.document.as_ref());
                }
                put("arrayFilters", self.array_filters.as_ref());
                put("collation", self.collation.as_ref());
            }
        }
        request
    }
}

/// The samples the layout measures sizes with: seed 1, at most 1,000 records per entity.
fn layout_samples(design: &Design) -> SampleContext<'_> {
    SampleContext {
        design,
        seed: 1,
        max_per_entity: 1000,
    }
}

/// What the MongoDB layout of a design is derived from, made once: the
/// embed-or-reference decisions, where each entity lives, the indexes. Renders
/// each pattern's query for any argument record ([`MongoContext::query_for`]).
pub struct MongoContext<'a> {
    design: &'a Design,
    samples: SampleContext<'a>,
    decisions: Vec<EmbedDecision>,
    placements: Vec<(String, Placement)>,
    /// The suggested indexes that can be built (at most 64 per collection),
    /// with the declared ones in place of the suggestions of their collections.
    suggestions: Vec<IndexSuggestion>,
    /// The advice on the declared indexes.
    index_findings: Vec<Finding>,
}

impl<'a> MongoContext<'a> {
    /// The layout's context, rendering sample records generated from `seed` (the layout's
    /// own are seed 1): the requests of data generated with that seed.
    pub fn with_seed(design: &'a Design, seed: u64) -> Self {
        let mut ctx = MongoContext::new(design);
        ctx.samples.seed = seed;
        ctx
    }

    pub fn new(design: &'a Design) -> Self {
        let samples = layout_samples(design);
        let decisions = decide::decide(design, &samples);
        let placements = placements(design, &decisions);
        let suggested = index::suggest(design, &decisions, &placements);
        let (mut suggestions, index_findings) =
            index::apply_declared(design, &decisions, &placements, suggested);
        index::ttl_indexes(design, &placements, &mut suggestions);
        // A collection holds at most 64 indexes, _id included: the rest cannot be built.
        let mut per_collection: Vec<(String, usize)> = Vec::new();
        suggestions.retain(|s| {
            let n = match per_collection.iter_mut().find(|(c, _)| *c == s.collection) {
                Some((_, n)) => {
                    *n += 1;
                    *n
                }
                None => {
                    per_collection.push((s.collection.clone(), 1));
                    1
                }
            };
            n < MAX_INDEXES
        });
        MongoContext {
            design,
            samples,
            decisions,
            placements,
            suggestions,
            index_findings,
        }
    }

    /// Where an entity's data lives.
    pub fn placement(&self, entity: &str) -> Option<&Placement> {
        placement(&self.placements, entity)
    }

    /// The collection an entity has of its own, with its shape, size and indexes.
    fn collection(&self, entity: &Entity) -> Collection {
        let name = collection_of(self.design, &entity.name);
        let embedded = self
            .placements
            .iter()
            .filter(|(_, p)| p.collection == name && !p.prefix.is_empty())
            .map(|(n, _)| n.clone())
            .collect();
        Collection {
            shape: shape::shape(self.design, &self.decisions, entity, 0),
            average_document_bytes: shape::expected_bytes(
                &self.samples,
                self.design,
                &self.decisions,
                entity,
                0,
            ),
            entity: entity.name.clone(),
            id_field: entity.id_field().map(|f| f.name.clone()),
            embedded,
            documents: entity.volume,
            indexes: self
                .suggestions
                .iter()
                .filter(|s| s.collection == name)
                .cloned()
                .collect(),
            name,
        }
    }
}

/// Derives the MongoDB layout.
pub fn layout(design: &Design) -> MongoLayout {
    let ctx = MongoContext::new(design);
    let collections = design
        .entities
        .iter()
        .filter(|e| ctx.placement(&e.name).is_some_and(|p| p.prefix.is_empty()))
        .map(|e| ctx.collection(e))
        .collect();
    let queries = design
        .access_patterns
        .iter()
        .filter_map(|p| {
            let own = ctx.sample_query(p)?;
            Some(ctx.sample_transaction(p, own))
        })
        .collect();
    MongoLayout {
        collections,
        decisions: ctx.decisions,
        queries,
        index_findings: ctx.index_findings,
    }
}

/// Why a text search's `$text` query answers other than the pattern asks,
/// if it does: the entity is embedded, and `$text` matches the host documents
/// holding a match, not the children that match; or the collection's one text
/// index also covers fields the pattern does not search (another text search
/// on the collection put them there), and `$text` searches them all.
pub fn text_search_scope(
    design: &Design,
    layout: &MongoLayout,
    pattern: &AccessPattern,
) -> Option<String> {
    if pattern.kind != PatternKind::TextSearch {
        return None;
    }
    let entity = design.entity(&pattern.entity)?;
    let decisions = &layout.decisions;
    let place = placement(&placements(design, decisions), &entity.name)?.clone();
    if !place.prefix.is_empty() {
        return Some(format!(
            "{} are embedded in {}: $text finds the documents holding a match, not the {} that match",
            names::plural(&names::words(&entity.name)),
            place.collection,
            names::plural(&names::words(&entity.name))
        ));
    }
    let searched: Vec<String> = pattern
        .fields
        .iter()
        .map(|f| host_path(entity, &place, f))
        .collect();
    let index = layout
        .collections
        .iter()
        .flat_map(|c| &c.indexes)
        .find(|i| {
            i.collection == place.collection
                && i.keys
                    .as_object()
                    .is_some_and(|k| k.values().any(|v| v == "text"))
        })?;
    let others: Vec<&String> = index
        .keys
        .as_object()?
        .keys()
        .filter(|k| !searched.contains(k))
        .collect();
    if others.is_empty() {
        return None;
    }
    Some(format!(
        "{} has one text index, which also covers {}: $text searches every field of it, so matches in those come back too",
        place.collection,
        others.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    ))
}

/// The collection name of an entity: the user's choice or the derived plural.
pub fn collection_of(design: &Design, entity: &str) -> String {
    design
        .mongo
        .collections
        .get(entity)
        .cloned()
        .unwrap_or_else(|| names::collection_name(entity))
}
