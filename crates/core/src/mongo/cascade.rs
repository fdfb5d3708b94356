//! Cascades (see `model::cascade`): after a parent's document is deleted, the
//! documents of the children that go with it, `deleteMany` by their reference
//! to it, their own children first (by `distinct('_id', …)` of theirs,
//! depth-limited by the model). Children embedded in a document go with it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::decide::reference;
use super::shell::shell_literal;
use super::{MongoContext, MongoQuery};
use crate::js::js_key;
use crate::model::CascadeStep;
use crate::names::{plural, words};
use crate::sample::Val;

/// The cleanup of one relationship's children after their parents' delete.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MongoCascade {
    /// The relationship, by its position in the design.
    pub relationship: usize,
    /// The child entity (for links, the entity holding the id arrays).
    pub child: String,
    /// Whether it pulls the deleted ids from the id arrays of a many-to-many
    /// relationship (`link_cleanup.rs`): `delete` is that `updateMany`, and
    /// nothing is below it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub links: bool,
    /// The children of the deleted parents, whose `_id`s the cascades of their
    /// own children take ([`MongoContext::cascade_for`] of the child)...
    pub find: MongoQuery,
    /// ...and their `deleteMany`, sent after those.
    pub delete: MongoQuery,
}

/// A cascade MongoDB carries out: children in a collection of their own.
struct Level {
    relationship: usize,
    child: String,
    collection: String,
    /// The child's reference to its parent.
    field: String,
}

impl MongoContext<'_> {
    /// The cascades of a delete of `entity` records with ids `ids` (the
    /// pattern's one, or the children a level above found): per relationship
    /// whose children go with it and have a collection of their own, their
    /// `find` and `deleteMany` by their reference (`{authorId: id}`, or
    /// `{authorId: {$in: ids}}`). Delete the children's children first, by the
    /// `_id`s the `find` answers, then the children. Ids are Extended JSON
    /// (`{"$oid": …}`), as documents hold them.
    pub fn cascade_for(&self, entity: &str, ids: &[Value]) -> Vec<MongoCascade> {
        let selector = match ids {
            [one] => one.clone(),
            _ => json!({ "$in": ids }),
        };
        let selector = (selector.clone(), selector.to_string());
        let mut out: Vec<MongoCascade> = self
            .levels(entity)
            .into_iter()
            .map(|level| MongoCascade {
                relationship: level.relationship,
                child: level.child.clone(),
                links: false,
                find: self.level_query(entity, &level, "find", &selector),
                delete: self.level_query(entity, &level, "deleteMany", &selector),
            })
            .collect();
        out.extend(self.link_cascades(entity, ids));
        out
    }

    /// The direct cascades of `entity` that MongoDB carries out, and the
    /// children that go with its documents because they are inside them.
    fn levels(&self, entity: &str) -> Vec<Level> {
        self.design
            .cascades(entity)
            .into_iter()
            .filter_map(|step| {
                let rel = self.design.relationships.get(step.relationship)?;
                let place = self.placement(&step.child)?;
                if !place.prefix.is_empty() {
                    return None;
                }
                Some(Level {
                    relationship: step.relationship,
                    child: step.child.clone(),
                    collection: place.collection.clone(),
                    field: reference(rel).1,
                })
            })
            .collect()
    }

    /// One query of a level: `{field: selector}` on the child's collection.
    fn level_query(
        &self,
        entity: &str,
        level: &Level,
        operation: &str,
        (selector, selector_text): &(Value, String),
    ) -> MongoQuery {
        MongoQuery {
            pattern: format!(
                "the {} of a deleted {}",
                plural(&words(&level.child)),
                words(entity)
            ),
            collection: level.collection.clone(),
            operation: operation.to_string(),
            filter: json!({ level.field.clone(): selector }),
            sort: None,
            limit: None,
            document: None,
            index: self.index_on(&level.collection, &level.field),
            pipeline: None,
            collation: None,
            shell: format!(
                "db.{}.{operation}({{ {}: {selector_text} }})",
                level.collection,
                js_key(&level.field)
            ),
            transaction: Vec::new(),
            cleanup: Vec::new(),
            fanout: Vec::new(),
            array_filters: None,
        }
    }

    /// The index of `collection` whose first key is `field`, which serves a
    /// `deleteMany` or an `updateMany` by it (a cascade's, a copy's fan-out).
    pub(super) fn index_on(&self, collection: &str, field: &str) -> Option<String> {
        self.suggestions
            .iter()
            .find(|s| {
                s.collection == collection
                    && s.keys
                        .as_object()
                        .and_then(|k| k.keys().next())
                        .is_some_and(|k| k == field)
            })
            .map(|s| s.name.clone())
    }

    /// The cleanup after the delete of the `entity` document with id `id`
    /// (here the sample's): each cascade's `deleteMany`, the deepest first,
    /// and its mongosh lines, with why. The children's ids at each level below
    /// the first are the sample's first child's in the requests, and a
    /// `distinct('_id', …)` of the level above in the shell.
    pub(super) fn sample_cleanup(&self, entity: &str, id: &Val) -> (Vec<MongoQuery>, Vec<String>) {
        let mut queries = Vec::new();
        let mut lines = Vec::new();
        self.cleanup_below(
            &self.design.cascades(entity),
            entity,
            id,
            &shell_literal(id),
            true,
            &mut queries,
            &mut lines,
        );
        (queries, lines)
    }

    /// `steps` are the cascades of a delete of `entity` records, as
    /// [`crate::model::Design::cascades`] gives them: a tree that never goes down through an
    /// entity twice, so a cycle of relationships ends.
    #[allow(clippy::too_many_arguments)] // the level (steps, entity, id, selector, top) and the two outputs
    fn cleanup_below(
        &self,
        steps: &[CascadeStep],
        entity: &str,
        id: &Val,
        selector_text: &str,
        top: bool,
        queries: &mut Vec<MongoQuery>,
        lines: &mut Vec<String>,
    ) {
        for step in steps {
            let inside = self
                .placement(&step.child)
                .is_some_and(|p| p.parent.as_deref() == Some(entity) && !p.prefix.is_empty());
            if inside {
                if !top {
                    continue;
                }
                lines.push(format!(
                    "// the {} of the {} are inside its document: they go with it",
                    plural(&words(&step.child)),
                    words(entity)
                ));
                continue;
            }
            let Some(level) = self
                .levels(entity)
                .into_iter()
                .find(|l| l.relationship == step.relationship)
            else {
                continue;
            };
            let filter_text = format!("{{ {}: {selector_text} }}", js_key(&level.field));
            // Their own children first, while the children can still be found.
            let child_id = self.samples.id(&level.child, 0);
            let below = format!(
                "{{ $in: db.{}.distinct('_id', {filter_text}) }}",
                level.collection
            );
            self.cleanup_below(
                &step.then,
                &level.child,
                &child_id,
                &below,
                false,
                queries,
                lines,
            );
            let mut delete = self.level_query(
                entity,
                &level,
                "deleteMany",
                &(id.to_ejson(), String::new()),
            );
            delete.shell = format!("db.{}.deleteMany({filter_text})", level.collection);
            let inside: Vec<String> = step
                .then
                .iter()
                .filter(|s| {
                    self.placement(&s.child).is_some_and(|p| {
                        p.parent.as_deref() == Some(level.child.as_str()) && !p.prefix.is_empty()
                    })
                })
                .map(|s| plural(&words(&s.child)))
                .collect();
            lines.push(format!(
                "// then the {} of the {} ({} references it{}){}",
                plural(&words(&level.child)),
                words(entity),
                level.field,
                if inside.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; their {} are inside them and go with them",
                        inside.join(", ")
                    )
                },
                if delete.index.is_some() {
                    String::new()
                } else {
                    format!(
                        ": no index on {} serves it, so it scans the collection",
                        level.field
                    )
                }
            ));
            lines.push(delete.shell.clone());
            queries.push(delete);
        }
        // The deleted records' pairs, while a level below can still find them.
        self.sample_link_cleanup(entity, &id.to_ejson(), selector_text, queries, lines);
    }
}
