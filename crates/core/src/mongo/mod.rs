//! The MongoDB layout: which entities get a collection, which are embedded,
//! the shape of each document, the index suggestions, and the query each
//! access pattern becomes.
//!
//! The embed-or-reference rules follow MongoDB's schema design guidance:
//! embed one-to-one and one-to-few data that is read together with its
//! parent; reference one-to-many and many-to-many data, and anything that
//! grows without bound or is read on its own; never let a document approach
//! the 16 MB limit.

use serde::Serialize;
use serde_json::{json, Map, Value};

pub(crate) mod index;

pub use crate::js::js_key;
use crate::model::relations::many_to_many_read;
pub use crate::model::relations::relationship_field;
use crate::model::*;
use crate::names;
use crate::sample::{document_size, SampleContext, Val};

/// MongoDB's maximum BSON document size.
pub const MAX_DOCUMENT_BYTES: u64 = 16 * 1024 * 1024;
/// More embedded children than this make an array "unbounded" in practice.
pub const FEW_LIMIT: u64 = 100;
/// MongoDB's limit of indexes per collection.
pub const MAX_INDEXES: usize = 64;

/// The derived MongoDB layout of a design.
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoLayout {
    pub collections: Vec<Collection>,
    /// One decision per relationship, with the reason a learner reads.
    pub decisions: Vec<EmbedDecision>,
    /// One query per access pattern, in the design's order.
    pub queries: Vec<MongoQuery>,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
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

#[derive(Serialize, Clone, Debug, PartialEq)]
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
#[derive(Serialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IndexSuggestion {
    pub collection: String,
    pub name: String,
    /// The key document, in order: `{"profile.city": 1, "createdAt": -1}`.
    pub keys: Value,
    pub unique: bool,
    /// Case-insensitive: built with collation `{locale: "en", strength: 2}`.
    pub case_insensitive: bool,
    /// The access patterns this index serves.
    pub serves: Vec<String>,
    pub reason: String,
}

/// What an access pattern becomes in MongoDB.
#[derive(Serialize, Clone, Debug, PartialEq)]
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
    /// The mongosh line.
    pub shell: String,
}

/// The relationships whose children are referenced but read together with
/// the parent: (child collection, the child's reference field, the name to join as).
pub(crate) fn lookups(
    design: &Design,
    decisions: &[EmbedDecision],
    parent: &str,
) -> Vec<(String, String, String)> {
    decisions
        .iter()
        .filter(|d| !d.embed && d.from == parent && d.to != parent)
        .filter_map(|d| {
            let rel = design.relationships.get(d.relationship)?;
            if !rel.read_together || rel.cardinality == Cardinality::ManyToMany {
                return None;
            }
            let (holder, field, _, _) = reference(rel);
            if holder != rel.to {
                return None;
            }
            Some((
                collection_of(design, &rel.to),
                field,
                names::plural(&lower_first(&rel.to)),
            ))
        })
        .collect()
}

/// Where an entity's data lives: its own collection, or inside another's documents.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Placement {
    pub collection: String,
    /// The path of the embedded data inside the host document (empty for a collection's own entity).
    pub prefix: String,
    pub array: bool,
    /// The host entity, when embedded.
    pub parent: Option<String>,
}

/// Derives the MongoDB layout.
pub fn layout(design: &Design) -> MongoLayout {
    let ctx = SampleContext {
        design,
        seed: 1,
        max_per_entity: 1000,
    };
    let decisions = decide(design, &ctx);
    let placements = placements(design, &decisions);
    let mut collections: Vec<Collection> = design
        .entities
        .iter()
        .filter(|e| {
            placements
                .iter()
                .any(|(name, p)| name == &e.name && p.prefix.is_empty())
        })
        .map(|entity| {
            let name = collection_of(design, &entity.name);
            let shape = shape(design, &decisions, entity, 0);
            let embedded = placements
                .iter()
                .filter(|(_, p)| p.collection == name && !p.prefix.is_empty())
                .map(|(n, _)| n.clone())
                .collect();
            let average_document_bytes = expected_bytes(&ctx, design, &decisions, entity, 0);
            Collection {
                name,
                entity: entity.name.clone(),
                id_field: entity.id_field().map(|f| f.name.clone()),
                shape,
                embedded,
                documents: entity.volume,
                average_document_bytes,
                indexes: Vec::new(),
            }
        })
        .collect();
    let mut suggestions = index::suggest(design, &placements);
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
    for collection in &mut collections {
        collection.indexes = suggestions
            .iter()
            .filter(|s| s.collection == collection.name)
            .cloned()
            .collect();
    }
    let queries = design
        .access_patterns
        .iter()
        .filter_map(|p| query(&ctx, design, &decisions, &placements, &suggestions, p))
        .collect();
    MongoLayout {
        collections,
        decisions,
        queries,
    }
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

/// How a referenced relationship is stored: the entity holding the reference,
/// the field, the entity referenced, and whether the field is an array of ids.
/// Many-to-many keeps the id array on the side with few (`courseIds` in a
/// student), or on the other side when there are many.
pub fn reference(rel: &Relationship) -> (String, String, String, bool) {
    match rel.cardinality {
        Cardinality::ManyToMany if rel.expected_count <= FEW_LIMIT => (
            rel.from.clone(),
            rel.field
                .clone()
                .unwrap_or_else(|| format!("{}Ids", lower_first(&rel.to))),
            rel.to.clone(),
            true,
        ),
        Cardinality::ManyToMany => (
            rel.to.clone(),
            format!("{}Ids", lower_first(&rel.from)),
            rel.from.clone(),
            true,
        ),
        _ => (
            rel.to.clone(),
            relationship_field(rel, false),
            rel.from.clone(),
            false,
        ),
    }
}

/// How a pattern that lists one side of a many-to-many relationship by the
/// other side's id reads in MongoDB.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum ManyRead {
    /// The read entity holds the id array: a multikey index on it serves the query.
    Multikey(String),
    /// The other side holds the id array: read it, then `$in` on `_id`.
    ViaOther {
        collection: String,
        field: String,
        other: String,
    },
}

pub(crate) fn many_read(design: &Design, pattern: &AccessPattern) -> Option<ManyRead> {
    let (i, forward) = many_to_many_read(design, pattern)?;
    let rel = design.relationships.get(i)?;
    let (holder, field, _, _) = reference(rel);
    let other = if forward { &rel.from } else { &rel.to };
    if holder == pattern.entity {
        Some(ManyRead::Multikey(field))
    } else {
        Some(ManyRead::ViaOther {
            collection: collection_of(design, other),
            field,
            other: other.clone(),
        })
    }
}

/// Whether the child entity is read on its own, not through its parent:
/// some pattern on it binds a field other than the parent's reference.
fn read_on_its_own(design: &Design, rel: &Relationship) -> bool {
    let fk = relationship_field(rel, false);
    design.access_patterns.iter().any(|p| {
        p.entity == rel.to
            && !matches!(p.kind, PatternKind::Insert)
            && !p.equality.is_empty()
            && !p.equality.iter().all(|f| *f == fk)
    })
}

/// The average BSON size of an entity's own fields, from samples.
fn entity_bytes(ctx: &SampleContext<'_>, entity: &Entity) -> u64 {
    let n = ctx.count(&entity.name).clamp(1, 20);
    (0..n)
        .map(|i| document_size(&ctx.record(entity, i)) as u64)
        .fold(0u64, u64::saturating_add)
        / n
}

/// The embed-or-reference decision of every relationship.
pub(crate) fn decisions_of(design: &Design) -> Vec<EmbedDecision> {
    let ctx = SampleContext {
        design,
        seed: 1,
        max_per_entity: 1000,
    };
    decide(design, &ctx)
}

fn decide(design: &Design, ctx: &SampleContext<'_>) -> Vec<EmbedDecision> {
    let mut embedded_children: Vec<&str> = Vec::new();
    let mut out = Vec::new();
    for (i, rel) in design.relationships.iter().enumerate() {
        let (Some(_), Some(child)) = (design.entity(&rel.from), design.entity(&rel.to)) else {
            continue;
        };
        let parent_word = names::words(&rel.from);
        let child_words = names::plural(&names::words(&rel.to));
        let count = rel.expected_count;
        let about = if count > 0 {
            format!(" (about {count} per {parent_word})")
        } else {
            String::new()
        };
        let child_bytes = entity_bytes(ctx, child);
        let embedded_bytes = child_bytes.saturating_mul(count.max(1));
        let own = read_on_its_own(design, rel);
        let cycle = rel.from == rel.to;
        let (embed, reason) = if cycle {
            (
                false,
                format!(
                    "{child_words} reference other {child_words}: a document cannot contain its own kind without limit"
                ),
            )
        } else if embeds_into(&out, &rel.from, &rel.to) {
            (
                false,
                format!(
                    "{child_words} are referenced: the {parent_word} is already stored inside a {}, and embedding each in the other has no end",
                    names::words(&rel.to)
                ),
            )
        } else if embedded_children.contains(&rel.to.as_str()) && rel.embed != Some(false) {
            (
                false,
                format!(
                    "{child_words} are already embedded elsewhere; here they are referenced, so each has one home"
                ),
            )
        } else if let Some(choice) = rel.embed {
            let verb = if choice { "embed" } else { "reference" };
            (
                choice,
                format!("you chose to {verb} {child_words} in {parent_word} documents"),
            )
        } else if embedded_bytes.saturating_mul(4) > MAX_DOCUMENT_BYTES {
            (
                false,
                format!(
                    "{child_words} are referenced: {count} of about {child_bytes} bytes each would bring a {parent_word} document near MongoDB's 16 MB limit"
                ),
            )
        } else {
            match rel.cardinality {
                Cardinality::ManyToMany => (
                    false,
                    if count <= FEW_LIMIT {
                        format!(
                            "many-to-many{about}: {child_words} are shared, so they keep their own collection and each {parent_word} holds an array of their ids"
                        )
                    } else {
                        format!(
                            "many-to-many{about}: {child_words} are shared and too many to list in the {parent_word}, so each {} holds the ids of its {}",
                            names::words(&rel.to),
                            names::plural(&parent_word)
                        )
                    },
                ),
                Cardinality::OneToOne if rel.read_together || !own => (
                    true,
                    format!(
                        "the {} is embedded in the {parent_word}: one-to-one{}, so one read returns both",
                        names::words(&rel.to),
                        if rel.read_together { " and read together" } else { "" }
                    ),
                ),
                Cardinality::OneToOne => (
                    false,
                    format!(
                        "the {} is referenced: one-to-one but read on its own, so the {parent_word} stays small",
                        names::words(&rel.to)
                    ),
                ),
                Cardinality::OneToFew if count > FEW_LIMIT => (
                    false,
                    format!(
                        "{child_words} are referenced: {count} per {parent_word} is more than a few, and an embedded array that long slows every read and update"
                    ),
                ),
                Cardinality::OneToFew if rel.read_together || !own => (
                    true,
                    format!(
                        "{child_words} are embedded in {}: one-to-few{about}, {}",
                        names::plural(&parent_word),
                        if rel.read_together {
                            format!("always read with the {parent_word}")
                        } else {
                            format!("never read without the {parent_word}")
                        }
                    ),
                ),
                Cardinality::OneToFew => (
                    false,
                    format!(
                        "{child_words} are referenced: one-to-few, but read on their own and not with the {parent_word}"
                    ),
                ),
                Cardinality::OneToMany => (
                    false,
                    format!(
                        "{child_words} reference their {parent_word}: one-to-many{about} and growing, so an embedded array would be unbounded{}",
                        if rel.read_together {
                            format!("; a second query on the indexed reference fetches them with the {parent_word} (or embed only the latest few, the subset pattern)")
                        } else {
                            format!("; {child_words} are read on their own")
                        }
                    ),
                ),
            }
        };
        if embed {
            embedded_children.push(&rel.to);
        }
        let path = if embed {
            format!(
                "{}.{}",
                collection_of(design, &rel.from),
                relationship_field(rel, true)
            )
        } else {
            let (holder, field, _, _) = reference(rel);
            format!("{}.{field}", collection_of(design, &holder))
        };
        out.push(EmbedDecision {
            relationship: i,
            from: rel.from.clone(),
            to: rel.to.clone(),
            embed,
            path,
            reason,
        });
    }
    out
}

/// The expected BSON size of an entity's document: its own fields (averaged
/// over samples) plus each embedded relationship at its stated expected count.
fn expected_bytes(
    ctx: &SampleContext<'_>,
    design: &Design,
    decisions: &[EmbedDecision],
    entity: &Entity,
    depth: usize,
) -> u64 {
    let mut bytes = entity_bytes(ctx, entity);
    if depth >= 8 {
        return bytes;
    }
    for d in decisions
        .iter()
        .filter(|d| d.embed && d.from == entity.name)
    {
        let (Some(rel), Some(child)) = (
            design.relationships.get(d.relationship),
            design.entity(&d.to),
        ) else {
            continue;
        };
        let child_bytes = expected_bytes(ctx, design, decisions, child, depth + 1);
        let count = if rel.cardinality == Cardinality::OneToOne {
            1
        } else {
            rel.expected_count.max(1)
        };
        bytes = bytes.saturating_add(count.saturating_mul(child_bytes));
    }
    bytes
}

/// Whether `entity` already sits, directly or further down, inside `ancestor`'s documents.
fn embeds_into(decisions: &[EmbedDecision], entity: &str, ancestor: &str) -> bool {
    let mut current = entity.to_string();
    for _ in 0..=decisions.len() {
        match decisions.iter().find(|d| d.embed && d.to == current) {
            Some(d) if d.from == ancestor => return true,
            Some(d) => current = d.from.clone(),
            None => return false,
        }
    }
    false
}

/// Where each entity lives, following chains of embedding.
pub(crate) fn placements(design: &Design, decisions: &[EmbedDecision]) -> Vec<(String, Placement)> {
    let mut out = Vec::new();
    for entity in &design.entities {
        let mut prefix = Vec::new();
        let mut current = entity.name.clone();
        let mut array = false;
        let mut parent = None;
        // Follow embed decisions up to the collection's root entity, at most once per entity.
        for _ in 0..design.entities.len() {
            let Some(d) = decisions.iter().find(|d| d.embed && d.to == current) else {
                break;
            };
            let Some(rel) = design.relationships.get(d.relationship) else {
                break;
            };
            prefix.insert(0, relationship_field(rel, true));
            array |= rel.cardinality != Cardinality::OneToOne;
            if parent.is_none() {
                parent = Some(d.from.clone());
            }
            current = d.from.clone();
        }
        out.push((
            entity.name.clone(),
            Placement {
                collection: collection_of(design, &current),
                prefix: prefix.join("."),
                array,
                parent,
            },
        ));
    }
    out
}

pub(crate) fn placement<'a>(
    placements: &'a [(String, Placement)],
    entity: &str,
) -> Option<&'a Placement> {
    placements.iter().find(|(n, _)| n == entity).map(|(_, p)| p)
}

/// The document shape of an entity, with embedded children and references.
fn shape(
    design: &Design,
    decisions: &[EmbedDecision],
    entity: &Entity,
    depth: usize,
) -> Vec<Field> {
    let id_name = entity.id_field().map(|f| f.name.clone());
    let mut fields = Vec::new();
    if depth == 0 {
        match entity.id_field() {
            Some(id) => {
                let mut f = id.clone();
                f.name = "_id".to_string();
                f.required = true;
                fields.push(f);
            }
            None => {
                let mut f = Field::new("_id", FieldType::ObjectId);
                f.required = true;
                fields.push(f);
            }
        }
    }
    for field in &entity.fields {
        if depth == 0 && Some(&field.name) == id_name.as_ref() {
            continue;
        }
        fields.push(field.clone());
    }
    for d in decisions {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        if d.embed && d.from == entity.name && depth < MAX_TYPE_DEPTH {
            let Some(child) = design.entity(&d.to) else {
                continue;
            };
            let inner = FieldType::Object(shape(design, decisions, child, depth + 1));
            let ty = if rel.cardinality == Cardinality::OneToOne {
                inner
            } else {
                FieldType::Array(Box::new(inner))
            };
            let name = relationship_field(rel, true);
            if !fields.iter().any(|f| f.name == name) {
                fields.push(Field::new(&name, ty));
            }
        } else if !d.embed {
            let (holder, field, target, many) = reference(rel);
            let ty = if many {
                FieldType::Array(Box::new(FieldType::Ref(target)))
            } else {
                FieldType::Ref(target)
            };
            if holder == entity.name && !fields.iter().any(|f| f.name == field) {
                let mut f = Field::new(&field, ty);
                f.required = !many;
                fields.push(f);
            }
        }
    }
    fields
}

/// Sample document `index` of an entity, with embedded children and references.
pub(crate) fn document(
    ctx: &SampleContext<'_>,
    decisions: &[EmbedDecision],
    entity: &Entity,
    index: u64,
    depth: usize,
) -> Vec<(String, Val)> {
    let design = ctx.design;
    let mut record = ctx.record(entity, index);
    if depth > 0 && entity.id_field().is_none() {
        // Embedded data needs no id of its own unless the design declares one.
        let id_name = entity.id_name();
        record.retain(|(k, _)| *k != id_name);
    }
    if depth == 0 {
        let id_name = entity.id_name();
        if let Some(pos) = record.iter().position(|(k, _)| *k == id_name) {
            let (_, v) = record.remove(pos);
            record.insert(0, ("_id".to_string(), v));
        }
    }
    let mut rng = crate::sample::Rng::for_record(ctx.seed ^ 0x5eed, &entity.name, index);
    for d in decisions {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        if d.embed && d.from == entity.name && depth < 4 {
            let Some(child) = design.entity(&d.to) else {
                continue;
            };
            let name = relationship_field(rel, true);
            let expected = rel.expected_count.clamp(1, 50);
            if rel.cardinality == Cardinality::OneToOne {
                let c = document(ctx, decisions, child, index, depth + 1);
                record.push((name, Val::Object(c)));
            } else {
                // Arrays inside embedded data stay short, so samples stay small.
                let cap = if depth == 0 { 50 } else { 3 };
                let n = rng.below(expected.saturating_mul(2) + 1).min(cap);
                let items = (0..n)
                    .map(|k| {
                        Val::Object(document(
                            ctx,
                            decisions,
                            child,
                            index.wrapping_mul(50).wrapping_add(k),
                            depth + 1,
                        ))
                    })
                    .collect();
                record.push((name, Val::Array(items)));
            }
        } else if !d.embed {
            let (holder, field, target, many) = reference(rel);
            if holder != entity.name || record.iter().any(|(k, _)| *k == field) {
                continue;
            }
            let target = &target;
            let count = ctx.count(target).max(1);
            let value = if many {
                let n = rng.below(rel.expected_count.clamp(1, 10) + 1);
                let mut ids: Vec<Val> = Vec::new();
                if index == 0 {
                    ids.push(ctx.id(target, 0));
                }
                for _ in 0..n {
                    let id = ctx.id(target, rng.below(count));
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Val::Array(ids)
            } else if index == 0 {
                ctx.id(target, 0)
            } else {
                ctx.id(target, rng.below(count))
            };
            record.push((field, value));
        }
    }
    record
}

/// `count` sample documents of a collection as Extended JSON, deterministic from `seed`.
pub fn sample_documents(design: &Design, collection: &str, count: u64, seed: u64) -> Vec<Value> {
    sample_documents_range(design, collection, 0..count, count, seed)
}

/// The documents with indexes `range` of a collection of `total`. Each
/// document depends only on the seed, the collection, its index and `total`
/// (references point at documents below `total`), so consecutive ranges
/// concatenate to exactly what [`sample_documents`] writes for `total`; a
/// caller can make a large collection in chunks. The range is clipped to `total`.
pub fn sample_documents_range(
    design: &Design,
    collection: &str,
    range: std::ops::Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Value> {
    let ctx = SampleContext {
        design,
        seed,
        max_per_entity: total.max(1),
    };
    let decisions = decide(
        design,
        &SampleContext {
            seed: 1,
            max_per_entity: 1000,
            ..ctx.clone()
        },
    );
    let placements = placements(design, &decisions);
    let Some(entity) = design.entities.iter().find(|e| {
        placement(&placements, &e.name)
            .is_some_and(|p| p.prefix.is_empty() && p.collection == collection)
    }) else {
        return Vec::new();
    };
    (range.start.min(total)..range.end.min(total))
        .map(|i| Val::Object(document(&ctx, &decisions, entity, i, 0)).to_ejson())
        .collect()
}

/// Translates an entity's field path to its path in the host document.
pub(crate) fn host_path(entity: &Entity, placement: &Placement, field: &str) -> String {
    let field = if placement.prefix.is_empty() && (field == entity.id_name() || field == "_id") {
        "_id"
    } else {
        field
    };
    if placement.prefix.is_empty() {
        field.to_string()
    } else {
        format!("{}.{field}", placement.prefix)
    }
}

/// A mongosh literal of a sample value.
pub fn shell_literal(value: &Val) -> String {
    match value {
        Val::Str(s) => serde_json::to_string(s)
            .unwrap_or_default()
            .replace('"', "'"),
        Val::Int(n) | Val::Long(n) => n.to_string(),
        Val::Double(d) => d.to_string(),
        Val::Decimal(s) => format!("Decimal128('{s}')"),
        Val::Bool(b) => b.to_string(),
        Val::Date(ms) => format!("ISODate('{}')", crate::sample::iso_date(*ms)),
        Val::ObjectId(hex) => format!("ObjectId('{hex}')"),
        Val::Uuid(hex) => format!("UUID('{hex}')"),
        Val::Binary(_) => "BinData(0, '')".to_string(),
        Val::Array(items) => format!(
            "[{}]",
            items
                .iter()
                .map(shell_literal)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Val::Object(fields) => format!(
            "{{ {} }}",
            fields
                .iter()
                .map(|(k, v)| format!("{}: {}", js_key(k), shell_literal(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

fn query(
    ctx: &SampleContext<'_>,
    design: &Design,
    decisions: &[EmbedDecision],
    placements: &[(String, Placement)],
    suggestions: &[IndexSuggestion],
    pattern: &AccessPattern,
) -> Option<MongoQuery> {
    let entity = design.entity(&pattern.entity)?;
    let place = placement(placements, &entity.name)?;
    let sample = Val::Object(ctx.record(entity, 0));
    let parent_doc = place
        .parent
        .as_ref()
        .and_then(|p| design.entity(p))
        .map(|p| (p, ctx.record(p, 0)));
    let value_of = |field: &str| -> Val {
        let key = if field == "_id" {
            entity.id_name()
        } else {
            field.to_string()
        };
        sample.get(&key).cloned().unwrap_or(Val::Str(String::new()))
    };
    let mut filter = Map::new();
    let mut shell_filter = Vec::new();
    // An embedded entity is reached through its host document's id.
    if let Some((parent, record)) = &parent_doc {
        if pattern.kind == PatternKind::Insert || pattern.equality.is_empty() {
            let pid = Val::Object(record.clone())
                .get(&parent.id_name())
                .cloned()
                .unwrap_or(Val::Str(String::new()));
            filter.insert("_id".to_string(), pid.to_ejson());
            shell_filter.push(format!("_id: {}", shell_literal(&pid)));
        }
    }
    match many_read(design, pattern) {
        Some(ManyRead::Multikey(path)) => {
            let other = pattern.equality.first().map(String::as_str).unwrap_or("");
            let other_entity = design
                .relationships
                .iter()
                .find(|r| {
                    format!("{}Id", lower_first(&r.from)) == other
                        || format!("{}Id", lower_first(&r.to)) == other
                })
                .map(|r| {
                    if format!("{}Id", lower_first(&r.from)) == other {
                        r.from.clone()
                    } else {
                        r.to.clone()
                    }
                })
                .unwrap_or_default();
            let v = ctx.id(&other_entity, 0);
            filter.insert(path.clone(), v.to_ejson());
            shell_filter.push(format!("{}: {}", js_key(&path), shell_literal(&v)));
        }
        Some(ManyRead::ViaOther {
            collection,
            field,
            other,
        }) => {
            let id = ctx.id(&other, 0);
            let ids = design
                .entity(&other)
                .map(|o| document(ctx, decisions, o, 0, 0))
                .and_then(|d| d.into_iter().find(|(k, _)| *k == field).map(|(_, v)| v))
                .unwrap_or(Val::Array(Vec::new()));
            filter.insert("_id".to_string(), json!({ "$in": ids.to_ejson() }));
            shell_filter.push(format!(
                "_id: {{ $in: db.{collection}.findOne({{ _id: {} }}).{field} }}",
                shell_literal(&id)
            ));
        }
        None => {
            for field in &pattern.equality {
                let path = host_path(entity, place, field);
                let v = value_of(field);
                filter.insert(path.clone(), v.to_ejson());
                shell_filter.push(format!("{}: {}", js_key(&path), shell_literal(&v)));
            }
        }
    }
    if let Some(range) = &pattern.range {
        let path = host_path(entity, place, range);
        let v = value_of(range);
        filter.insert(path.clone(), json!({ "$gte": v.to_ejson() }));
        shell_filter.push(format!(
            "{}: {{ $gte: {} }}",
            js_key(&path),
            shell_literal(&v)
        ));
    }
    if pattern.kind == PatternKind::TextSearch {
        let words = "developer nodejs";
        filter.insert("$text".to_string(), json!({ "$search": words }));
        shell_filter.push(format!("$text: {{ $search: '{words}' }}"));
    }
    let filter_text = if shell_filter.is_empty() {
        "{}".to_string()
    } else {
        format!("{{ {} }}", shell_filter.join(", "))
    };
    let sort = pattern.sort.as_ref().map(|s| {
        let dir = if s.order == SortOrder::Desc { -1 } else { 1 };
        (host_path(entity, place, &s.field), dir)
    });
    let coll = &place.collection;
    let index = index::index_for(suggestions, coll, &pattern.name).or_else(|| {
        let by_id = filter.len() == 1 && filter.contains_key("_id");
        (by_id || pattern.kind == PatternKind::Insert).then(|| "_id_".to_string())
    });
    let collation = if pattern.case_insensitive {
        ", { collation: { locale: 'en', strength: 2 } }"
    } else {
        ""
    };
    let mut pipeline = None;
    let (operation, document, shell) = match pattern.kind {
        PatternKind::GetOne
            if place.prefix.is_empty() && !lookups(design, decisions, &entity.name).is_empty() =>
        {
            let joins = lookups(design, decisions, &entity.name);
            let mut stages = vec![json!({ "$match": Value::Object(filter.clone()) })];
            let mut shell_stages = vec![format!("{{ $match: {filter_text} }}")];
            for (from, foreign, as_name) in &joins {
                stages.push(json!({ "$lookup": { "from": from, "localField": "_id", "foreignField": foreign, "as": as_name } }));
                shell_stages.push(format!(
                    "{{ $lookup: {{ from: '{from}', localField: '_id', foreignField: '{foreign}', as: '{as_name}' }} }}"
                ));
            }
            pipeline = Some(Value::Array(stages));
            (
                "aggregate",
                None,
                format!("db.{coll}.aggregate([{}])", shell_stages.join(", ")),
            )
        }
        PatternKind::GetOne => (
            "findOne",
            None,
            format!("db.{coll}.findOne({filter_text}{collation})"),
        ),
        PatternKind::List | PatternKind::TextSearch => {
            let mut line = format!("db.{coll}.find({filter_text}{collation})");
            if let Some((path, dir)) = &sort {
                line.push_str(&format!(".sort({{ {}: {dir} }})", js_key(path)));
            } else if pattern.kind == PatternKind::TextSearch {
                line = format!(
                    "db.{coll}.find({filter_text}, {{ score: {{ $meta: 'textScore' }} }}).sort({{ score: {{ $meta: 'textScore' }} }})"
                );
            }
            if let Some(n) = pattern.page_size {
                line.push_str(&format!(".limit({n})"));
            }
            ("find", None, line)
        }
        PatternKind::Count => (
            "countDocuments",
            None,
            format!("db.{coll}.countDocuments({filter_text})"),
        ),
        PatternKind::Insert => {
            if place.prefix.is_empty() {
                let doc = Val::Object(document(ctx, decisions, entity, 0, 0));
                (
                    "insertOne",
                    Some(doc.to_ejson()),
                    format!("db.{coll}.insertOne({})", shell_literal(&doc)),
                )
            } else {
                let op = if place.array { "$push" } else { "$set" };
                let doc = Val::Object(document(ctx, decisions, entity, 0, 1));
                let update = json!({ op: { place.prefix.clone(): doc.to_ejson() } });
                (
                    "updateOne",
                    Some(update),
                    format!(
                        "db.{coll}.updateOne({filter_text}, {{ {op}: {{ {}: {} }} }})",
                        js_key(&place.prefix),
                        shell_literal(&doc)
                    ),
                )
            }
        }
        PatternKind::Update => {
            let op = match pattern.update.unwrap_or_default() {
                UpdateAction::Set => "$set",
                UpdateAction::Increment => "$inc",
                UpdateAction::Push => "$push",
            };
            let mut set = Map::new();
            let mut parts = Vec::new();
            for field in &pattern.fields {
                let path = host_path(entity, place, field);
                let v = match pattern.update.unwrap_or_default() {
                    UpdateAction::Increment => Val::Int(pattern.increment_sample(field)),
                    UpdateAction::Push => value_of(field)
                        .clone_first()
                        .unwrap_or(Val::Str(String::new())),
                    UpdateAction::Set => value_of(field),
                };
                parts.push(format!("{}: {}", js_key(&path), shell_literal(&v)));
                set.insert(path, v.to_ejson());
            }
            let mut filter_line = filter_text.clone();
            if let Some(c) = &pattern.condition {
                let path = host_path(entity, place, &c.field);
                let v = c.value.clone().unwrap_or(Value::Null);
                let (op, value) = condition_op(c.op, v);
                filter.insert(path.clone(), json!({ op: value.clone() }));
                let cond = format!(
                    "{}: {{ {op}: {} }}",
                    js_key(&path),
                    crate::js::js_literal(&value, 0)
                );
                filter_line = if filter_line == "{}" {
                    format!("{{ {cond} }}")
                } else {
                    format!("{}, {cond} }}", filter_line.trim_end_matches(" }"))
                };
            }
            (
                "updateOne",
                Some(json!({ op: set })),
                format!(
                    "db.{coll}.updateOne({filter_line}, {{ {op}: {{ {} }} }})",
                    parts.join(", ")
                ),
            )
        }
        PatternKind::Delete => {
            if place.prefix.is_empty() {
                (
                    "deleteOne",
                    None,
                    format!("db.{coll}.deleteOne({filter_text})"),
                )
            } else {
                (
                    "updateOne",
                    Some(json!({ "$pull": { place.prefix.clone(): {} } })),
                    format!(
                        "db.{coll}.updateOne({filter_text}, {{ $pull: {{ {}: {{}} }} }})",
                        js_key(&place.prefix)
                    ),
                )
            }
        }
    };
    Some(MongoQuery {
        pattern: pattern.name.clone(),
        collection: coll.clone(),
        operation: operation.to_string(),
        filter: Value::Object(filter),
        sort: sort.map(|(path, dir)| json!({ path: dir })),
        limit: match pattern.kind {
            PatternKind::List | PatternKind::TextSearch => pattern.page_size,
            _ => None,
        },
        document,
        index,
        pipeline,
        shell,
    })
}

fn condition_op(op: ConditionOp, value: Value) -> (&'static str, Value) {
    match op {
        ConditionOp::Eq => ("$eq", value),
        ConditionOp::Ne => ("$ne", value),
        ConditionOp::Lt => ("$lt", value),
        ConditionOp::Le => ("$lte", value),
        ConditionOp::Gt => ("$gt", value),
        ConditionOp::Ge => ("$gte", value),
        ConditionOp::Exists => ("$exists", Value::Bool(true)),
        ConditionOp::NotExists => ("$exists", Value::Bool(false)),
    }
}

impl Val {
    fn clone_first(&self) -> Option<Val> {
        match self {
            Val::Array(items) => items.first().cloned(),
            other => Some(other.clone()),
        }
    }
}
