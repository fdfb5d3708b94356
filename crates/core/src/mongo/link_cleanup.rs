//! Link cleanup (see `model::cascade::LinkSide`): a many-to-many pair lives in
//! the id array one side holds (`memberIds` in a project, `decide::reference`).
//! A deleted holder takes its array with its document; a deleted record of
//! the other side is pulled from the holders' arrays, `updateMany({ memberIds:
//! id }, { $pull: { memberIds: id } })`, on the multikey index of the array
//! when there is one. The records on the other side stay.

use serde_json::{json, Value};

use super::decide::reference;
use super::{MongoCascade, MongoContext, MongoQuery};
use crate::js::js_key;
use crate::names::{plural, words};

/// A pull MongoDB carries out: the holders of ids of the deleted entity.
struct Pull {
    relationship: usize,
    holder: String,
    collection: String,
    field: String,
}

impl MongoContext<'_> {
    /// The id arrays of other entities' documents holding ids of `entity`,
    /// in collections of their own; and the arrays `entity`'s own documents
    /// hold (which go with them), by field.
    fn pulls(&self, entity: &str) -> (Vec<Pull>, Vec<String>) {
        let mut pulls = Vec::new();
        let mut own = Vec::new();
        for side in self.design.link_sides(entity) {
            let Some(rel) = self.design.relationships.get(side.relationship) else {
                continue;
            };
            let (holder, field, target, _) = reference(rel);
            if holder == entity {
                own.push(field);
                continue;
            }
            let Some(place) = self.placement(&holder).filter(|p| p.prefix.is_empty()) else {
                continue;
            };
            if target == entity {
                pulls.push(Pull {
                    relationship: side.relationship,
                    holder,
                    collection: place.collection.clone(),
                    field,
                });
            }
        }
        (pulls, own)
    }

    /// The `updateMany` pulling `selector` (an id, or `{ $in: ids }`) from a
    /// holder's array; `selector_text` is its mongosh.
    fn pull_query(
        &self,
        entity: &str,
        pull: &Pull,
        selector: &Value,
        selector_text: &str,
    ) -> MongoQuery {
        let key = js_key(&pull.field);
        MongoQuery {
            pattern: format!(
                "the {} pairs of a deleted {}",
                pull.field,
                words(entity)
            ),
            collection: pull.collection.clone(),
            operation: "updateMany".to_string(),
            filter: json!({ pull.field.clone(): selector }),
            sort: None,
            limit: None,
            document: Some(json!({ "$pull": { pull.field.clone(): selector } })),
            index: self.index_on(&pull.collection, &pull.field),
            pipeline: None,
            collation: None,
            shell: format!(
                "db.{}.updateMany({{ {key}: {selector_text} }}, {{ $pull: {{ {key}: {selector_text} }} }})",
                pull.collection
            ),
            transaction: Vec::new(),
            cleanup: Vec::new(),
            fanout: Vec::new(),
            array_filters: None,
        }
    }

    /// The pulls after a delete of `entity` records with ids `ids` (Extended
    /// JSON), as [`MongoContext::cascade_for`] lists them (`links`: nothing
    /// below them).
    pub(super) fn link_cascades(&self, entity: &str, ids: &[Value]) -> Vec<MongoCascade> {
        let selector = match ids {
            [one] => one.clone(),
            _ => json!({ "$in": ids }),
        };
        let text = selector.to_string();
        self.pulls(entity)
            .0
            .iter()
            .map(|pull| {
                let delete = self.pull_query(entity, pull, &selector, &text);
                let mut find = delete.clone();
                find.operation = "find".to_string();
                find.document = None;
                find.shell = format!(
                    "db.{}.find({{ {}: {text} }})",
                    pull.collection,
                    js_key(&pull.field)
                );
                MongoCascade {
                    relationship: pull.relationship,
                    child: pull.holder.clone(),
                    links: true,
                    find,
                    delete,
                }
            })
            .collect()
    }

    /// The pulls of the sample cleanup after the delete of the `entity`
    /// document(s) `id` (mongosh `selector_text`: its literal, or `{ $in:
    /// db.….distinct('_id', …) }` below the top), with why.
    pub(super) fn sample_link_cleanup(
        &self,
        entity: &str,
        id: &Value,
        selector_text: &str,
        queries: &mut Vec<MongoQuery>,
        lines: &mut Vec<String>,
    ) {
        let (pulls, own) = self.pulls(entity);
        for field in own {
            lines.push(format!(
                "// the {} pairs are in its {field} array: they go with its document",
                words(entity)
            ));
        }
        for pull in pulls {
            let q = self.pull_query(entity, &pull, id, selector_text);
            lines.push(format!(
                "// then the {} pairs: {} hold its id in {}, pulled from each (the {} stay){}",
                words(entity),
                plural(&words(&pull.holder)),
                pull.field,
                plural(&words(&pull.holder)),
                if q.index.is_some() {
                    String::new()
                } else {
                    format!(
                        ": no index on {} serves it, so it scans the collection",
                        pull.field
                    )
                }
            ));
            lines.push(q.shell.clone());
            queries.push(q);
        }
    }
}
