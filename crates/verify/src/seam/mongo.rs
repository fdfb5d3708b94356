//! What MongoDB requests and documents a record or an argument becomes, rendered from the
//! derived layout: the documents as core's sample documents are shaped, the queries as the
//! derived `MongoQuery` for the pattern with the arguments put where the design's fields go.
//! Core's request-for-arguments seam replaces this module.

use schemaplay_core::mongo::{
    collection_of, reference, relationship_field, MongoLayout, MongoQuery,
};
use schemaplay_core::sample::Val;
use schemaplay_core::{AccessPattern, Cardinality, Design, PatternKind, UpdateAction};
use serde_json::{json, Map, Value};

use crate::schema::Schema;
use crate::workload::Args;

/// Where an entity's data lives: its own collection, or inside another entity's documents.
#[derive(Clone, Debug, Default)]
pub struct Placement {
    pub collection: String,
    /// The path of the embedded data inside the host document (empty for a collection's own entity).
    pub prefix: String,
    pub array: bool,
}

/// Each entity's placement, following the chains of embedding decisions as the layout does.
pub fn placements(design: &Design, layout: &MongoLayout) -> Vec<Placement> {
    design
        .entities
        .iter()
        .map(|entity| {
            let mut prefix: Vec<String> = Vec::new();
            let mut current = entity.name.clone();
            let mut array = false;
            for _ in 0..design.entities.len() {
                let Some(d) = layout.decisions.iter().find(|d| d.embed && d.to == current) else {
                    break;
                };
                let Some(rel) = design.relationships.get(d.relationship) else {
                    break;
                };
                prefix.insert(0, relationship_field(rel, true));
                array |= rel.cardinality != Cardinality::OneToOne;
                current = d.from.clone();
            }
            Placement {
                collection: collection_of(design, &current),
                prefix: prefix.join("."),
                array,
            }
        })
        .collect()
}

/// The renderer: the schema, the derived layout and the placements.
pub struct Render<'s> {
    pub schema: &'s Schema<'s>,
    pub layout: MongoLayout,
    pub placements: Vec<Placement>,
}

impl Render<'_> {
    /// The path of an entity's field in its host document (`_id` for the id).
    pub fn host_path(&self, entity: usize, field: &str) -> String {
        let place = self.placements.get(entity).cloned().unwrap_or_default();
        let id = self.schema.info(entity).map_or("", |i| i.id.as_str());
        let field = if place.prefix.is_empty() && (field == id || field == "_id") {
            "_id"
        } else {
            field
        };
        if place.prefix.is_empty() {
            field.to_string()
        } else {
            format!("{}.{field}", place.prefix)
        }
    }

    /// The document a record becomes, with the children that come with it embedded where the
    /// layout embeds them. `depth` 0 is a collection's own document (the id is `_id`).
    pub fn document(
        &self,
        entity: usize,
        record: &Val,
        children: &[(usize, Vec<Val>)],
        depth: usize,
    ) -> Value {
        let (Some(e), Some(info)) = (self.schema.entity(entity), self.schema.info(entity)) else {
            return Value::Object(Map::new());
        };
        let design = self.schema.design;
        let mut doc = Map::new();
        if depth == 0 {
            if let Some(id) = record.get(&info.id) {
                doc.insert("_id".into(), id.to_ejson());
            }
        } else if info.declared_id {
            if let Some(id) = record.get(&info.id) {
                doc.insert(info.id.clone(), id.to_ejson());
            }
        }
        for f in &e.fields {
            if f.name == info.id {
                continue;
            }
            if let Some(v) = record.get(&f.name) {
                doc.insert(f.name.clone(), v.to_ejson());
            }
        }
        if depth == 0 {
            // The references this entity holds that the design does not declare.
            for d in self.layout.decisions.iter().filter(|d| !d.embed) {
                let Some(rel) = design.relationships.get(d.relationship) else {
                    continue;
                };
                let (holder, field, _, many) = reference(rel);
                if holder != info.name || doc.contains_key(&field) {
                    continue;
                }
                let value = if many {
                    record.get(&field).cloned()
                } else {
                    info.owner
                        .as_ref()
                        .filter(|o| o.relationship == d.relationship)
                        .and_then(|o| record.get(&o.link).cloned())
                };
                if let Some(v) = value {
                    doc.insert(field, v.to_ejson());
                }
            }
        }
        for d in self
            .layout
            .decisions
            .iter()
            .filter(|d| d.embed && d.from == info.name)
        {
            let Some(rel) = design.relationships.get(d.relationship) else {
                continue;
            };
            let Some(child) = self.schema.index(&rel.to) else {
                continue;
            };
            let kids: Vec<Value> = children
                .iter()
                .filter(|(r, _)| *r == d.relationship)
                .flat_map(|(_, kids)| kids)
                .map(|k| self.document(child, k, &[], depth + 1))
                .collect();
            let name = relationship_field(rel, true);
            if rel.cardinality == Cardinality::OneToOne {
                if let Some(k) = kids.into_iter().next() {
                    doc.insert(name, k);
                }
            } else {
                doc.insert(name, Value::Array(kids));
            }
        }
        Value::Object(doc)
    }

    /// The derived query of a pattern.
    pub fn derived(&self, pattern: &AccessPattern) -> Option<&MongoQuery> {
        self.layout
            .queries
            .iter()
            .find(|q| q.pattern == pattern.name)
    }

    /// The derived query's filter with the arguments in place of the sample values.
    pub fn filter(
        &self,
        entity: usize,
        pattern: &AccessPattern,
        q: &MongoQuery,
        args: &Args,
    ) -> Map<String, Value> {
        let mut filter = q.filter.as_object().cloned().unwrap_or_default();
        let many = schemaplay_core::dynamo::many_to_many_read(self.schema.design, pattern);
        if many.is_none() {
            for (path, v) in &args.equal {
                filter.insert(self.host_path(entity, path), v.to_ejson());
            }
        }
        if let (Some(range), Some(from)) = (&pattern.range, &args.from) {
            filter.insert(
                self.host_path(entity, range),
                json!({ "$gte": from.to_ejson() }),
            );
        }
        if let Some(words) = &args.search {
            filter.insert("$text".into(), json!({ "$search": words }));
        }
        let embedded = self
            .placements
            .get(entity)
            .is_some_and(|p| !p.prefix.is_empty());
        if embedded && (pattern.kind == PatternKind::Insert || pattern.equality.is_empty()) {
            if let Some(id) = self.parent_id(entity, args) {
                filter.insert("_id".into(), id.to_ejson());
            }
        }
        filter
    }

    /// The id of the host document a child is written into.
    pub fn parent_id(&self, entity: usize, args: &Args) -> Option<Val> {
        let owner = self.schema.info(entity)?.owner.as_ref()?;
        let parent_id = &self.schema.info(owner.parent)?.id;
        args.parent
            .as_ref()
            .and_then(|p| p.get(parent_id).cloned())
            .or_else(|| args.record.as_ref()?.get(&owner.link).cloned())
    }

    /// The update document of an update pattern with the arguments' values.
    pub fn update_document(
        &self,
        entity: usize,
        pattern: &AccessPattern,
        q: &MongoQuery,
        args: &Args,
    ) -> Value {
        let op = match pattern.update.unwrap_or_default() {
            UpdateAction::Set => "$set",
            UpdateAction::Increment => "$inc",
            UpdateAction::Push => "$push",
        };
        let mut changes = q
            .document
            .as_ref()
            .and_then(|d| d.get(op))
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (field, v) in &args.change {
            let path = self.host_path(entity, field);
            if changes.contains_key(&path) {
                changes.insert(path, v.to_ejson());
            }
        }
        json!({ op: Value::Object(changes) })
    }

    /// The insert of an embedded child: `$push` (or `$set`) of its document into the host.
    pub fn embedded_insert(&self, entity: usize, record: &Val) -> Value {
        let place = self.placements.get(entity).cloned().unwrap_or_default();
        let op = if place.array { "$push" } else { "$set" };
        json!({ op: { place.prefix: self.document(entity, record, &[], 1) } })
    }
}
