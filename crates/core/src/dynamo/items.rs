//! Items: an entity's item from a record (keys, index keys, type, fields),
//! the children stored inside an item, many-to-many link items, and the
//! deterministic sample items of every entity and link.

use std::ops::Range;

use serde_json::Value;

use super::keys::{embedded_in_item, link_keys, link_name, render, template_fields, EMBED_LIMIT};
use super::{prepare, Deriver, ItemCollection, TYPE_ATTRIBUTE};
use crate::model::relations::{embedded_field, embedded_keeps_id, pair_id_fields};
use crate::model::*;
use crate::sample::{attribute_map, Rng, SampleContext, Val};

impl Deriver<'_> {
    /// The record of an entity's sample item, with the parent's id filled in
    /// when the item lives in its parent's collection.
    pub(super) fn record(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut record = Val::Object(self.ctx.record(entity, index));
        if let Some(home) = self.home_of(&entity.name) {
            for field in template_fields(&home.pk) {
                if record.get(&field).is_some() {
                    continue;
                }
                let rel = home.parent.as_ref().and_then(|parent| {
                    self.design.relationships.iter().find(|r| {
                        r.from == *parent
                            && r.to == entity.name
                            && r.cardinality != Cardinality::ManyToMany
                    })
                });
                if let Some(rel) = rel {
                    record.set(&field, self.ctx.parent(rel, index));
                }
            }
        }
        match record {
            Val::Object(fields) => fields,
            _ => Vec::new(),
        }
    }

    /// The table key of an entity's item, rendered from a record.
    pub(super) fn key_of(&self, entity: &Entity, record: &Val) -> Vec<(String, Val)> {
        let Some(home) = self.home_of(&entity.name) else {
            return Vec::new();
        };
        vec![
            (
                self.design.dynamo.partition_key.clone(),
                Val::Str(render(&home.pk, record)),
            ),
            (
                self.design.dynamo.sort_key.clone(),
                Val::Str(render(&home.sk, record)),
            ),
        ]
    }

    /// An entity's item holding a record: keys first, then the index keys the
    /// item carries, the type, then the record's fields.
    pub(super) fn item_of(&self, entity: &Entity, record: Val) -> Vec<(String, Val)> {
        let mut item = self.key_of(entity, &record);
        for i in &self.indexes {
            for (e, pk, sk) in &i.mappings {
                if *e != entity.name || i.declared {
                    continue;
                }
                if !template_fields(pk).iter().all(|f| record.get(f).is_some()) {
                    continue; // Sparse: the item lacks the index key.
                }
                if !i.local {
                    item.push((i.pk_attr.clone(), Val::Str(render(pk, &record))));
                }
                if let (Some(attr), Some(sk)) = (&i.sk_attr, sk) {
                    item.push((attr.clone(), Val::Str(render(sk, &record))));
                }
            }
        }
        item.push((TYPE_ATTRIBUTE.to_string(), Val::Str(entity.name.clone())));
        // The expiry DynamoDB's TTL reads: epoch seconds, a Number.
        let expiry = entity
            .ttl
            .as_ref()
            .and_then(|ttl| match record.get(&ttl.field) {
                Some(Val::Date(millis)) => Some(ttl.expiry_seconds(*millis)),
                _ => None,
            });
        if let Some(seconds) = expiry {
            item.push((TTL_ATTRIBUTE.to_string(), Val::Long(seconds)));
        }
        if let Val::Object(fields) = record {
            item.extend(fields);
        }
        item
    }

    /// Sample item `index` of an entity, with the children stored inside it.
    pub(super) fn item(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut item = self.item_of(entity, Val::Object(self.record(entity, index)));
        item.extend(self.children(entity, index));
        item
    }

    /// The sample children stored inside item `index` of an entity, one
    /// attribute per relationship: a map, or a list about the expected count long.
    pub(super) fn children(&self, entity: &Entity, index: u64) -> Vec<(String, Val)> {
        let mut out = Vec::new();
        let mut rng = Rng::for_record(self.ctx.seed ^ 0xd1a0, &entity.name, index);
        for rel in &self.design.relationships {
            if rel.from != entity.name || !embedded_in_item(self.design, rel) {
                continue;
            }
            let Some(child) = self.design.entity(&rel.to) else {
                continue;
            };
            let attr = embedded_field(self.design, rel);
            let value = if rel.cardinality == Cardinality::OneToOne {
                Val::Object(self.embedded_record(child, index))
            } else {
                let n = rng
                    .below(rel.expected_count.clamp(1, EMBED_LIMIT).saturating_mul(2) + 1)
                    .min(EMBED_LIMIT * 2);
                Val::Array(
                    (0..n)
                        .map(|k| {
                            let i = index.wrapping_mul(40).wrapping_add(k);
                            Val::Object(self.embedded_record(child, i))
                        })
                        .collect(),
                )
            };
            out.push((attr, value));
        }
        out
    }

    /// Sample record `index` of a child as stored inside its parent's item.
    pub(super) fn embedded_record(&self, child: &Entity, index: u64) -> Vec<(String, Val)> {
        embedded_of(self.design, child, self.ctx.record(child, index))
    }

    /// Link item `index` of a many-to-many relationship, keys first: the
    /// `from` side's records take the expected count of links each, in turn.
    pub(super) fn link_item(&self, rel: &Relationship, index: u64) -> Vec<(String, Val)> {
        let mut rng = Rng::for_record(self.ctx.seed, &link_name(rel), index);
        let per_from = rel.expected_count.max(1);
        let a = self.ctx.id(
            &rel.from,
            (index / per_from) % self.ctx.count(&rel.from).max(1),
        );
        let b = if index == 0 {
            self.ctx.id(&rel.to, 0)
        } else {
            self.ctx
                .id(&rel.to, rng.below(self.ctx.count(&rel.to).max(1)))
        };
        self.link_item_of(rel, a, b)
    }

    /// The link item of one pair: its keys, the inverted index's keys, the
    /// type (`Student/Course`), then both ids.
    pub(super) fn link_item_of(&self, rel: &Relationship, a: Val, b: Val) -> Vec<(String, Val)> {
        let (pk, sk) = link_keys(rel);
        let (from_id, to_id) = pair_id_fields(rel);
        let record = Val::Object(vec![
            (from_id.clone(), a.clone()),
            (to_id.clone(), b.clone()),
        ]);
        let link = link_name(rel);
        let mut item = vec![
            (
                self.design.dynamo.partition_key.clone(),
                Val::Str(render(&pk, &record)),
            ),
            (
                self.design.dynamo.sort_key.clone(),
                Val::Str(render(&sk, &record)),
            ),
        ];
        for i in &self.indexes {
            for (e, ipk, isk) in &i.mappings {
                if *e == link {
                    item.push((i.pk_attr.clone(), Val::Str(render(ipk, &record))));
                    if let (Some(attr), Some(isk)) = (&i.sk_attr, isk) {
                        item.push((attr.clone(), Val::Str(render(isk, &record))));
                    }
                }
            }
        }
        item.push((TYPE_ATTRIBUTE.to_string(), Val::Str(link)));
        item.push((from_id, a));
        item.push((to_id, b));
        item
    }

    /// Sample items grouped by partition: `per_entity` records of each entity,
    /// children following their parent's record 0 so collections show.
    pub(super) fn item_collections(&self, per_entity: u64) -> Vec<ItemCollection> {
        let mut groups: Vec<ItemCollection> = Vec::new();
        let links: Vec<Vec<(String, Val)>> = many_to_many_links(self.design)
            .flat_map(|r| (0..per_entity).map(move |i| (r, i)))
            .map(|(r, i)| self.link_item(r, i))
            .collect();
        for entity in &self.design.entities {
            if self
                .home_of(&entity.name)
                .is_some_and(|h| h.embedded.is_some())
            {
                continue;
            }
            for i in 0..per_entity {
                add_to_collection(&mut groups, self.item(entity, i));
            }
        }
        for item in links {
            add_to_collection(&mut groups, item);
        }
        groups
    }

    /// Items `range` of an entity stored as items of its own, or of a link.
    fn source_items(&self, source: &str, range: Range<u64>) -> Vec<Value> {
        self.source_records(source, range)
            .iter()
            .map(|item| attribute_map(item))
            .collect()
    }

    /// The items of a source (an entity stored in items of its own, or a many-to-many link)
    /// as typed fields.
    fn source_records(&self, source: &str, range: Range<u64>) -> Vec<Vec<(String, Val)>> {
        let stored = |e: &&Entity| {
            e.name == source && self.home_of(&e.name).is_none_or(|h| h.embedded.is_none())
        };
        if let Some(entity) = self.design.entities.iter().find(stored) {
            return range.map(|i| self.item(entity, i)).collect();
        }
        match many_to_many_links(self.design).find(|r| link_name(r) == source) {
            Some(rel) => range.map(|i| self.link_item(rel, i)).collect(),
            None => Vec::new(),
        }
    }
}

/// A child's record as stored inside its parent's item: its own fields only,
/// without an id unless the design declares one.
pub(super) fn embedded_of(
    design: &Design,
    child: &Entity,
    mut record: Vec<(String, Val)>,
) -> Vec<(String, Val)> {
    if !embedded_keeps_id(design, child) {
        let id = child.id_name();
        record.retain(|(k, _)| *k != id);
    }
    record
}

/// Adds an item to the collection of its partition key value.
fn add_to_collection(groups: &mut Vec<ItemCollection>, item: Vec<(String, Val)>) {
    let pk = item.first().map(|(_, v)| v.key_text()).unwrap_or_default();
    let plain = Val::Object(item).to_plain();
    match groups.iter_mut().find(|g| g.pk == pk) {
        Some(g) => g.items.push(plain),
        None => groups.push(ItemCollection {
            pk,
            items: vec![plain],
        }),
    }
}

/// `count` sample items of every entity (and link items of every many-to-many
/// relationship), as AttributeValue JSON, deterministic from `seed`: the items
/// of each of [`sample_sources`] in turn.
pub fn sample_items(design: &Design, count_per_entity: u64, seed: u64) -> Vec<Value> {
    let d = sample_deriver(design, count_per_entity, seed);
    sample_sources(design)
        .iter()
        .flat_map(|source| d.source_items(source, 0..count_per_entity))
        .collect()
}

/// What sample items are made of, in the order [`sample_items`] writes them:
/// every entity stored as items of its own, then every many-to-many link
/// (named as [`link_name`] names it, `Student/Course`).
pub fn sample_sources(design: &Design) -> Vec<String> {
    let (d, _) = prepare(design, 1, 1000);
    let entities = design
        .entities
        .iter()
        .filter(|e| d.home_of(&e.name).is_none_or(|h| h.embedded.is_none()))
        .map(|e| e.name.clone());
    let links = many_to_many_links(design).map(link_name);
    entities.chain(links).collect()
}

/// The items with indexes `range` of one of [`sample_sources`] (an entity or a
/// link), out of `total` per source. Each item depends only on the seed, the
/// source, its index and `total` (references point at records below `total`),
/// so consecutive ranges concatenate to exactly what [`sample_items`] writes
/// for `total`; a caller can make a large data set in chunks. The range is
/// clipped to `total`; an unknown source has no items.
pub fn sample_items_range(
    design: &Design,
    source: &str,
    range: Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Value> {
    let range = range.start.min(total)..range.end.min(total);
    sample_deriver(design, total, seed).source_items(source, range)
}

/// The items of [`sample_items_range`] as typed fields, for a host that loads them into a
/// database without going through JSON.
pub fn sample_item_records(
    design: &Design,
    source: &str,
    range: Range<u64>,
    total: u64,
    seed: u64,
) -> Vec<Vec<(String, Val)>> {
    SampleItems::new(design, total, seed).records(source, range)
}

/// The items of [`sample_item_records`] for a caller that makes many ranges of one
/// generation: the layout is derived once, not per range.
pub struct SampleItems<'a> {
    deriver: Deriver<'a>,
    total: u64,
}

impl<'a> SampleItems<'a> {
    /// The generation of `total` items per source from `seed`.
    pub fn new(design: &'a Design, total: u64, seed: u64) -> Self {
        SampleItems {
            deriver: sample_deriver(design, total, seed),
            total,
        }
    }

    /// The items with indexes `range` of `source` (one of [`sample_sources`]) as typed
    /// fields, as [`sample_item_records`] makes them.
    pub fn records(&self, source: &str, range: Range<u64>) -> Vec<Vec<(String, Val)>> {
        let range = range.start.min(self.total)..range.end.min(self.total);
        self.deriver.source_records(source, range)
    }
}

/// The many-to-many relationships stored as link items: between two entities that exist.
pub(super) fn many_to_many_links(design: &Design) -> impl Iterator<Item = &Relationship> {
    design.relationships.iter().filter(|r| is_link(design, r))
}

/// Whether a relationship's pairs are stored as link items.
pub(super) fn is_link(design: &Design, rel: &Relationship) -> bool {
    rel.cardinality == Cardinality::ManyToMany
        && rel.from != rel.to
        && design.entity(&rel.from).is_some()
        && design.entity(&rel.to).is_some()
}

/// The layout derived with the standard samples, making items from the caller's seed.
fn sample_deriver(design: &Design, count_per_entity: u64, seed: u64) -> Deriver<'_> {
    let (mut d, _) = prepare(design, 1, 1000);
    d.ctx = SampleContext {
        design,
        seed,
        max_per_entity: count_per_entity.max(1),
    };
    d.sizes.borrow_mut().clear();
    d
}
