//! Documents: an entity's record in its stored form, and deterministic sample
//! documents with embedded children and references.

use std::ops::Range;

use serde_json::Value;

use super::decide::{decide, reference};
use super::place::{placement, placements, Placement};
use super::{layout_samples, EmbedDecision};
use crate::model::relations::{embedded_field, embedded_keeps_id};
use crate::model::*;
use crate::sample::{Rng, SampleContext, Val};

/// An entity's record as a document stores it: at the top of a document its
/// id becomes `_id`, first; embedded, it keeps no id of its own unless the
/// design declares one.
pub(super) fn stored(
    design: &Design,
    entity: &Entity,
    mut record: Vec<(String, Val)>,
    depth: usize,
) -> Vec<(String, Val)> {
    let id_name = entity.id_name();
    if depth > 0 && !embedded_keeps_id(design, entity) {
        record.retain(|(k, _)| *k != id_name);
    }
    if depth == 0 {
        if let Some(pos) = record.iter().position(|(k, _)| *k == id_name) {
            let (_, v) = record.remove(pos);
            record.insert(0, ("_id".to_string(), v));
        }
    }
    record
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
    let mut record = stored(design, entity, ctx.record(entity, index), depth);
    let mut rng = Rng::for_record(ctx.seed ^ 0x5eed, &entity.name, index);
    for d in decisions {
        let Some(rel) = design.relationships.get(d.relationship) else {
            continue;
        };
        if d.embed && d.from == entity.name && depth < 4 {
            let Some(child) = design.entity(&d.to) else {
                continue;
            };
            let children = embedded(ctx, decisions, rel, child, index, depth, &mut rng);
            record.push((embedded_field(design, rel), children));
        } else if !d.embed {
            let (holder, field, target, many) = reference(rel);
            if holder != entity.name || record.iter().any(|(k, _)| *k == field) {
                continue;
            }
            let value = if !many && rel.to == entity.name && target == rel.from {
                // The child's reference to its parent: the design's numbers decide which one.
                ctx.parent(rel, index)
            } else {
                reference_value(ctx, rel, &target, many, index, &mut rng)
            };
            record.push((field, value));
        }
    }
    record
}

/// The sample children a document embeds for one relationship: one object, or
/// an array about the expected count long.
fn embedded(
    ctx: &SampleContext<'_>,
    decisions: &[EmbedDecision],
    rel: &Relationship,
    child: &Entity,
    index: u64,
    depth: usize,
    rng: &mut Rng,
) -> Val {
    if rel.cardinality == Cardinality::OneToOne {
        return Val::Object(document(ctx, decisions, child, index, depth + 1));
    }
    // Arrays inside embedded data stay short, so samples stay small.
    let cap = if depth == 0 { 50 } else { 3 };
    let expected = rel.expected_count.clamp(1, 50);
    let n = rng.below(expected.saturating_mul(2) + 1).min(cap);
    Val::Array(
        (0..n)
            .map(|k| {
                let i = index.wrapping_mul(50).wrapping_add(k);
                Val::Object(document(ctx, decisions, child, i, depth + 1))
            })
            .collect(),
    )
}

/// The sample value of a reference: one id, or an array of ids (many-to-many).
/// Record 0 refers to record 0 of the target, so the showcase records connect.
fn reference_value(
    ctx: &SampleContext<'_>,
    rel: &Relationship,
    target: &str,
    many: bool,
    index: u64,
    rng: &mut Rng,
) -> Val {
    let count = ctx.count(target).max(1);
    if !many {
        return if index == 0 {
            ctx.id(target, 0)
        } else {
            ctx.id(target, rng.below(count))
        };
    }
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
    range: Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Value> {
    sample_document_records(design, collection, range, total, seed)
        .iter()
        .map(Val::to_ejson)
        .collect()
}

/// The documents of [`sample_documents_range`] as typed values (each a `Val::Object`), for a
/// host that loads them into a database without going through JSON.
pub fn sample_document_records(
    design: &Design,
    collection: &str,
    range: Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Val> {
    SampleDocuments::new(design, total, seed).records(collection, range)
}

/// The documents of [`sample_document_records`] for a caller that makes many ranges of one
/// generation: the layout's decisions are derived once, not per range.
pub struct SampleDocuments<'a> {
    ctx: SampleContext<'a>,
    decisions: Vec<EmbedDecision>,
    placements: Vec<(String, Placement)>,
    total: u64,
}

impl<'a> SampleDocuments<'a> {
    /// The generation of `total` documents per collection from `seed`.
    pub fn new(design: &'a Design, total: u64, seed: u64) -> Self {
        let decisions = decide(design, &layout_samples(design));
        let placements = placements(design, &decisions);
        SampleDocuments {
            ctx: SampleContext {
                design,
                seed,
                max_per_entity: total.max(1),
            },
            decisions,
            placements,
            total,
        }
    }

    /// The documents with indexes `range` of `collection`, each a `Val::Object`, as
    /// [`sample_document_records`] makes them.
    pub fn records(&self, collection: &str, range: Range<u64>) -> Vec<Val> {
        let design = self.ctx.design;
        let Some(entity) = design.entities.iter().find(|e| {
            placement(&self.placements, &e.name)
                .is_some_and(|p| p.prefix.is_empty() && p.collection == collection)
        }) else {
            return Vec::new();
        };
        let total = self.total;
        (range.start.min(total)..range.end.min(total))
            .map(|i| Val::Object(document(&self.ctx, &self.decisions, entity, i, 0)))
            .collect()
    }
}
