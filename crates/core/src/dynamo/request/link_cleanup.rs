//! Link cleanup (see `model::cascade::LinkSide`): after a record's item is
//! deleted, the link items of its many-to-many pairs, which would otherwise
//! still list it. The layout writes one link item per pair, in the `from`
//! side's partition (`PROJECT#<projectId>` / `MEMBER#<memberId>`); the
//! inverted index mirrors it, and DynamoDB deletes the mirror with the item.
//! A `from` record's links are found by a Query on its partition; a `to`
//! record's through the inverted index (planning registers it when no
//! pattern does). Every page, then BatchWriteItem of the keys found, 25 a
//! request. The records on the other side stay.

use serde_json::{json, Value};

use super::super::keys::link_name;
use super::super::plan::Path;
use super::super::{DynamoRequest, ItemWrite, TYPE_ATTRIBUTE};
use super::cascade::{bare_inputs, BATCH_WRITE_MAX};
use super::Deriver;
use crate::model::relations::pair_id_fields;
use crate::model::*;
use crate::names::{plural, words};
use crate::sample::{item_size, Val};

/// The read of one side's pairs: the other side's records listed by the
/// deleted side's id, as a many-to-many read would list them.
fn links_read(rel: &Relationship, side: LinkSide) -> AccessPattern {
    let (from_id, to_id) = pair_id_fields(rel);
    let (deleted, other, id) = if side.from {
        (&rel.from, &rel.to, from_id)
    } else {
        (&rel.to, &rel.from, to_id)
    };
    let mut p = AccessPattern::new(
        &format!(
            "the {} links of a deleted {}",
            link_name(rel),
            words(deleted)
        ),
        other,
        PatternKind::List,
    );
    p.equality = vec![id];
    p
}

/// The side of a link relationship a cascade entry's path cleans up after:
/// `Path::Link { forward: true }` reads a `from` record's partition.
pub(super) fn link_side(relationship: usize, path: &Path) -> Option<LinkSide> {
    match path {
        Path::Link { forward, .. } => Some(LinkSide {
            relationship,
            from: *forward,
        }),
        _ => None,
    }
}

impl Deriver<'_> {
    /// The path finding the links of each many-to-many relationship a
    /// deleted entity (`deleted`: the entities with items of their own that
    /// deletes remove) takes part in: its partition for a `from` record, the
    /// inverted index for a `to` record.
    pub(in crate::dynamo) fn plan_link_cleanups(
        &mut self,
        deleted: &[String],
    ) -> Vec<(usize, Path)> {
        let mut out: Vec<(usize, Path)> = Vec::new();
        for entity in deleted {
            for side in self.design.link_sides(entity) {
                let planned = out
                    .iter()
                    .any(|(r, p)| *r == side.relationship && link_side(*r, p) == Some(side));
                let Some(rel) = self.design.relationships.get(side.relationship) else {
                    continue;
                };
                if planned || !super::super::items::is_link(self.design, rel) {
                    continue;
                }
                let index = (!side.from).then(|| {
                    let pattern = links_read(rel, side);
                    self.inverted_link_index(side.relationship, &pattern)
                });
                out.push((
                    side.relationship,
                    Path::Link {
                        relationship: side.relationship,
                        forward: side.from,
                        index,
                    },
                ));
            }
        }
        out
    }

    /// The Query finding the link items of the deleted `record` (holding its
    /// id) on `side`, with why and about how many it finds (`parents`
    /// deleted records).
    pub(super) fn link_find(
        &self,
        side: LinkSide,
        path: &Path,
        record: &Val,
        parents: u64,
    ) -> Option<DynamoRequest> {
        let Path::Link { index, .. } = path else {
            return None;
        };
        let rel = self.design.relationships.get(side.relationship)?;
        let (deleted, other) = if side.from {
            (&rel.from, &rel.to)
        } else {
            (&rel.to, &rel.from)
        };
        let owner = self.design.entity(deleted)?;
        let pattern = links_read(rel, side);
        let id_field = pattern.equality.first()?.clone();
        let id = record.get(&owner.id_name())?.clone();
        let bound = Val::Object(vec![(id_field, id)]);
        let inputs = bare_inputs(&bound);
        let r = self.prepare(&pattern, &inputs)?;
        let mut draft = self.link(&r, side.relationship, side.from, index.as_deref())?;
        let count = parents.saturating_mul(self.design.pairs_per_record(side));
        draft.items = count;
        draft.bytes = count.saturating_mul(item_size(&self.link_item(rel, 0)) as u64);
        let how = match index {
            None => format!(
                "they are in the {}'s partition: a Query on it",
                words(deleted)
            ),
            Some(name) => format!(
                "{name}, the inverted index of the link items, finds them by the {}: a Query of it",
                words(deleted)
            ),
        };
        draft.flag = Some(format!(
            "deleting a {} deletes its {} link items, the pairs with {} ({how}, every page through LastEvaluatedKey), then each one found; the {} stay",
            words(deleted),
            link_name(rel),
            plural(&words(other)),
            plural(&words(other)),
        ));
        let mut request = self.finish(&r, draft);
        request.pattern = pattern.name;
        Some(request)
    }

    /// The BatchWriteItem requests (25 keys each) deleting the link items
    /// (AttributeValue maps) a link read found.
    pub(super) fn link_deletes(&self, side: LinkSide, items: &[Value]) -> Vec<DynamoRequest> {
        let Some(rel) = self.design.relationships.get(side.relationship) else {
            return Vec::new();
        };
        let link = link_name(rel);
        let pattern = links_read(rel, side);
        let (pk, sk) = (
            &self.design.dynamo.partition_key,
            &self.design.dynamo.sort_key,
        );
        let write = ItemWrite {
            bytes: item_size(&self.link_item(rel, 0)) as u64,
            index_writes: self.index_mappings(&link).count() as u32,
        };
        let keys: Vec<(Value, ItemWrite)> = items
            .iter()
            .filter_map(Value::as_object)
            .filter(|item| {
                item.get(TYPE_ATTRIBUTE)
                    .and_then(|t| t.get("S"))
                    .and_then(Value::as_str)
                    .is_none_or(|t| t == link)
            })
            .filter_map(|item| {
                let (p, s) = (item.get(pk)?, item.get(sk)?);
                Some((json!({ pk.clone(): p, sk.clone(): s }), write.clone()))
            })
            .collect();
        let what = format!("{link} link items");
        keys.chunks(BATCH_WRITE_MAX)
            .filter_map(|chunk| self.batch_delete(&pattern, &what, chunk))
            .collect()
    }

    /// The link cleanup after the delete of sample `record` of `entity`
    /// (`parents` of them): per pair side, the read and the delete of what it
    /// finds (here the sample's link item, counted as many as expected).
    pub(super) fn sample_link_cleanup(
        &self,
        entity: &str,
        record: &Val,
        parents: u64,
    ) -> Vec<DynamoRequest> {
        let mut out = Vec::new();
        for (relationship, path) in &self.cascades {
            let Some(side) = link_side(*relationship, path) else {
                continue;
            };
            let Some(rel) = self.design.relationships.get(side.relationship) else {
                continue;
            };
            let deleted = if side.from { &rel.from } else { &rel.to };
            let Some(owner) = self.design.entity(deleted).filter(|_| deleted == entity) else {
                continue;
            };
            let Some(find) = self.link_find(side, path, record, parents) else {
                continue;
            };
            let count = find.items;
            let (Some(own), other) = (
                record.get(&owner.id_name()).cloned(),
                self.ctx.id(if side.from { &rel.to } else { &rel.from }, 0),
            ) else {
                continue;
            };
            let (a, b) = if side.from {
                (own, other)
            } else {
                (other, own)
            };
            let found = vec![crate::sample::attribute_map(&self.link_item_of(rel, a, b))];
            out.push(find);
            for mut delete in self.link_deletes(side, &found) {
                delete.items = count;
                delete.bytes = delete.bytes.saturating_mul(count);
                out.push(delete);
            }
        }
        out
    }
}
