//! Cascades (see `model::cascade`): after a parent's item is deleted, the
//! items of the children that go with it. They are found by a Query on the
//! parent's item collection, or through the index that finds them by their
//! parent's id (planning registers one when none does, as for a list of them),
//! and deleted by BatchWriteItem, 25 keys a request, with their marker items;
//! their own children after them, depth-limited. Children stored inside the
//! parent's item go with it.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::super::plan::Path;
use super::super::sdk::{sdk_batch_retry, sdk_find_loop};
use super::super::{DynamoContext, DynamoRequest, ItemWrite, TYPE_ATTRIBUTE};
use super::link_cleanup::link_side;
use super::{Deriver, Draft, Inputs, Operation};
use crate::dynamo::keys::link_name;
use crate::model::*;
use crate::names::{camel, plural, words};
use crate::sample::{Val, SAMPLE_WORDS};

/// Keys one BatchWriteItem deletes at most.
pub const BATCH_WRITE_MAX: usize = 25;

/// The cleanup of one relationship's children after their parent's delete.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoCascade {
    /// The relationship, by its position in the design.
    pub relationship: usize,
    /// The child entity, or for links the link items' type (`Project/Member`).
    pub child: String,
    /// For the cleanup of the deleted record's many-to-many link items
    /// (`request/link_cleanup.rs`) rather than children, the side it is on:
    /// nothing is below link items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub links: Option<LinkSide>,
    /// The read that finds the children of the deleted parent: a Query (a
    /// flagged Scan when no key finds them), paged through `LastEvaluatedKey`.
    pub find: DynamoRequest,
}

/// The read of a relationship's children by their parent's id, as the
/// pattern planning finds a path for.
fn children_read(rel: &Relationship, reference: &str) -> AccessPattern {
    let mut p = AccessPattern::new(
        &format!(
            "the {} of a deleted {}",
            plural(&words(&rel.to)),
            words(&rel.from)
        ),
        &rel.to,
        PatternKind::List,
    );
    p.equality = vec![reference.to_string()];
    p
}

/// The inputs of a request rendered from `record` alone.
pub(super) fn bare_inputs(record: &Val) -> Inputs<'_> {
    Inputs {
        record,
        children: &[],
        parent: None,
        words: SAMPLE_WORDS,
        sample_amounts: false,
    }
}

impl Deriver<'_> {
    /// The path that finds each cascading relationship's children, for the
    /// design's delete patterns of entities with items of their own: children
    /// stored inside an item have none (they go with it).
    pub(in crate::dynamo) fn plan_cascades(&mut self) -> Vec<(usize, Path)> {
        let design = self.design;
        let mut out: Vec<(usize, Path)> = Vec::new();
        // The entities deletes remove with items of their own, whose links go too.
        let mut deleted: Vec<String> = Vec::new();
        for p in design
            .access_patterns
            .iter()
            .filter(|p| p.kind == PatternKind::Delete)
        {
            if self.home_of(&p.entity).is_none_or(|h| h.embedded.is_some()) {
                continue;
            }
            deleted.push(p.entity.clone());
            for top in design.cascades(&p.entity) {
                for step in top.flatten() {
                    if out.iter().any(|(r, _)| *r == step.relationship) {
                        continue;
                    }
                    let (Some(rel), Some(child)) = (
                        design.relationships.get(step.relationship),
                        design.entity(&step.child),
                    ) else {
                        continue;
                    };
                    if self
                        .home_of(&child.name)
                        .is_none_or(|h| h.embedded.is_some())
                    {
                        continue;
                    }
                    deleted.push(child.name.clone());
                    let pattern = children_read(rel, &self.parent_key(rel, child));
                    if let Some(plan) = self.plan(&pattern) {
                        out.push((step.relationship, plan.path));
                    }
                }
            }
        }
        out.extend(self.plan_link_cleanups(&deleted));
        out
    }

    /// The read finding the children of `rel` whose parent is `parent` (its
    /// record, holding its id).
    fn cascade_find(
        &self,
        relationship: usize,
        path: &Path,
        parent: &Val,
    ) -> Option<DynamoRequest> {
        let rel = self.design.relationships.get(relationship)?;
        let child = self.design.entity(&rel.to)?;
        let owner = self.design.entity(&rel.from)?;
        let reference = self.parent_key(rel, child);
        let pattern = children_read(rel, &reference);
        let id = parent.get(&owner.id_name())?.clone();
        let record = Val::Object(vec![(reference, id)]);
        let inputs = bare_inputs(&record);
        let r = self.prepare(&pattern, &inputs)?;
        let mut draft = match path {
            Path::TablePartition { sk_prefix } => self.partition_query(&r, sk_prefix.as_deref()),
            Path::Index { name, pk, sk, raw } => {
                self.index_query(&r, name, pk, sk.as_deref(), *raw)
            }
            Path::Scan { why } => {
                let mut d = self.scan(&r, why);
                let mut filter = d
                    .input
                    .get("FilterExpression")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string();
                super::scan::aggregate_filter(&r, &mut d, &mut filter);
                d.input.insert("FilterExpression".into(), json!(filter));
                d
            }
            _ => return None,
        };
        let how = match path {
            Path::TablePartition { .. } => format!(
                "they live in the {}'s item collection: a Query on its partition key",
                words(&owner.name)
            ),
            Path::Index { name, .. } => format!(
                "{name} finds them by their {}: a Query of it",
                words(&owner.name)
            ),
            _ => "no key finds them by their parent: a Scan, which reads the whole table (add a list of them by their parent, whose index the cleanup uses too)".to_string(),
        };
        draft.flag = Some(format!(
            "deleting a {} deletes its {} ({how}, every page through LastEvaluatedKey), then each one found",
            words(&owner.name),
            plural(&words(&child.name)),
        ));
        let count = rel.expected_count.max(1);
        draft.items = if matches!(path, Path::Scan { .. }) {
            draft.items
        } else {
            count
        };
        draft.bytes = if matches!(path, Path::Scan { .. }) {
            draft.bytes
        } else {
            count.saturating_mul(r.item_bytes)
        };
        let mut request = self.finish(&r, draft);
        request.pattern = pattern.name;
        Some(request)
    }

    /// The BatchWriteItem requests (25 keys each) deleting the items found by
    /// a cascade's read, each with its marker items.
    fn cascade_deletes(&self, relationship: usize, items: &[Value]) -> Vec<DynamoRequest> {
        let Some((rel, child)) = self
            .design
            .relationships
            .get(relationship)
            .and_then(|rel| Some((rel, self.design.entity(&rel.to)?)))
        else {
            return Vec::new();
        };
        let pattern = children_read(rel, &self.parent_key(rel, child));
        let (pk, sk) = (
            &self.design.dynamo.partition_key,
            &self.design.dynamo.sort_key,
        );
        let bytes = self.average_item_bytes(child);
        let mut keys: Vec<(Value, ItemWrite)> = Vec::new();
        for item in items.iter().filter_map(Value::as_object) {
            let typed = item.get(TYPE_ATTRIBUTE).and_then(|t| t.get("S"));
            if typed
                .and_then(Value::as_str)
                .is_some_and(|t| t != child.name)
            {
                continue;
            }
            let (Some(p), Some(s)) = (item.get(pk), item.get(sk)) else {
                continue;
            };
            let record = self.record_of_item(child, item);
            keys.push((
                json!({ pk.clone(): p, sk.clone(): s }),
                self.item_write(child, &record, bytes),
            ));
            for marker in self.markers(child, &record) {
                keys.push((self.marker_value(&marker), self.marker_write(&marker)));
            }
        }
        let what = format!(
            "{} found (with their marker items)",
            plural(&words(&child.name))
        );
        keys.chunks(BATCH_WRITE_MAX)
            .filter_map(|chunk| self.batch_delete(&pattern, &what, chunk))
            .collect()
    }

    /// One BatchWriteItem deleting `keys`, the `what` of its flag.
    pub(super) fn batch_delete(
        &self,
        pattern: &AccessPattern,
        what: &str,
        keys: &[(Value, ItemWrite)],
    ) -> Option<DynamoRequest> {
        let record = Val::Object(Vec::new());
        let inputs = bare_inputs(&record);
        let r = self.prepare(pattern, &inputs)?;
        let mut d = Draft::new(Operation::BatchWriteItem, r.table);
        d.input = Map::new();
        let requests: Vec<Value> = keys
            .iter()
            .map(|(k, _)| json!({ "DeleteRequest": { "Key": k } }))
            .collect();
        d.input.insert(
            "RequestItems".into(),
            json!({ r.table: Value::Array(requests) }),
        );
        d.writes = keys.iter().map(|(_, w)| w.clone()).collect();
        d.items = d.writes.len() as u64;
        d.bytes = d.writes.iter().map(|w| w.bytes).sum();
        d.flag = Some(format!(
            "the {what}, {BATCH_WRITE_MAX} keys a BatchWriteItem; what comes back in UnprocessedItems is sent again until nothing does"
        ));
        let mut request = self.finish(&r, d);
        request.pattern = pattern.name.clone();
        Some(request)
    }

    /// The cleanup after the delete of sample `record` of `entity`: for each
    /// cascade, depth first, its read and the delete of what it finds (here
    /// the sample's first child, counted as many as the relationship expects:
    /// `parents` parents of this level). As [`Design::cascades`], an entity
    /// already on the way down is not followed again, so a cycle of
    /// relationships ends.
    pub(super) fn sample_cleanup(
        &self,
        entity: &str,
        record: &Val,
        parents: u64,
    ) -> Vec<DynamoRequest> {
        self.sample_cleanup_below(entity, record, parents, &mut vec![entity.to_string()])
    }

    fn sample_cleanup_below(
        &self,
        entity: &str,
        record: &Val,
        parents: u64,
        trail: &mut Vec<String>,
    ) -> Vec<DynamoRequest> {
        let mut out = Vec::new();
        if trail.len() > MAX_CASCADE_DEPTH {
            return out;
        }
        let below = trail.clone();
        for (relationship, path) in &self.cascades {
            let Some(rel) = self.design.relationships.get(*relationship).filter(|r| {
                r.from == entity && !matches!(path, Path::Link { .. }) && !below.contains(&r.to)
            }) else {
                continue;
            };
            let Some(child) = self.design.entity(&rel.to) else {
                continue;
            };
            let Some(mut find) = self.cascade_find(*relationship, path, record) else {
                continue;
            };
            let count = parents.saturating_mul(rel.expected_count.max(1));
            if parents > 1 {
                find.flag = find
                    .flag
                    .map(|f| format!("{f}; one read per {}", words(entity)));
                if find.operation == "Query" {
                    find.items = count;
                    find.bytes = count.saturating_mul(self.average_item_bytes(child));
                }
            }
            let sample = Val::Object(self.record(child, 0));
            let found = vec![crate::sample::attribute_map(
                &self.item_of(child, sample.clone()),
            )];
            out.push(find);
            for mut delete in self.cascade_deletes(*relationship, &found) {
                // `writes` holds one child's (its item and markers); `items`
                // counts as many as the relationship expects, which
                // `request_units` prices.
                let per = delete.writes.len().max(1) as u64;
                delete.items = count.saturating_mul(per);
                delete.bytes = delete.bytes.saturating_mul(count);
                out.push(delete);
            }
            trail.push(child.name.clone());
            out.extend(self.sample_cleanup_below(&child.name, &sample, count, trail));
            trail.pop();
        }
        out.extend(self.sample_link_cleanup(entity, record, parents));
        out
    }

    /// The code of the cleanup, after the delete's own: each read with every
    /// page of it, each BatchWriteItem with its `UnprocessedItems` sent again
    /// (bindings named after `pattern`, so an export holds several).
    pub(super) fn cleanup_code(
        &self,
        pattern: &AccessPattern,
        cleanup: &[DynamoRequest],
    ) -> String {
        let table = &self.design.dynamo.table_name;
        let base = camel(&pattern.name);
        let mut code = String::new();
        for (i, request) in cleanup.iter().enumerate() {
            let (Some(operation), Some(input)) = (
                Operation::from_name(&request.operation),
                request.input["input"].as_object(),
            ) else {
                continue;
            };
            let name = format!("{base}Cleanup{}", i + 1);
            code.push('\n');
            code.push_str(&match operation {
                Operation::BatchWriteItem => sdk_batch_retry(
                    &format!(
                        "// then delete what it found, {BATCH_WRITE_MAX} keys a request (here the sample's keys; an application takes them from {}Items); send UnprocessedItems again until it comes back empty",
                        if i > 0 { format!("{base}Cleanup{i}") } else { "the read's ".to_string() }
                    ),
                    table,
                    input,
                    &name,
                ),
                _ => sdk_find_loop(
                    &format!(
                        "// then {}",
                        request.flag.as_deref().unwrap_or("the children")
                    ),
                    table,
                    operation,
                    input,
                    &name,
                ),
            });
        }
        code
    }
}

impl DynamoContext<'_> {
    /// The cleanup after a delete of `entity`'s `record` (it holds the id):
    /// per relationship whose children go with it and live in items of their
    /// own, the read that finds them. Send it page after page, delete what it
    /// finds with [`DynamoContext::cascade_deletes`], and clean up after each
    /// child found the same way ([`DynamoContext::record_of`] gives its record).
    pub fn cascade_for(&self, entity: &str, record: &Val) -> Vec<DynamoCascade> {
        let d = &self.deriver;
        d.cascades
            .iter()
            .filter_map(|(relationship, path)| {
                let rel = self.design.relationships.get(*relationship)?;
                if let Some(side) = link_side(*relationship, path) {
                    let deleted = if side.from { &rel.from } else { &rel.to };
                    if deleted != entity {
                        return None;
                    }
                    return Some(DynamoCascade {
                        relationship: *relationship,
                        child: link_name(rel),
                        links: Some(side),
                        find: d.link_find(side, path, record, 1)?,
                    });
                }
                if rel.from != entity {
                    return None;
                }
                Some(DynamoCascade {
                    relationship: *relationship,
                    child: rel.to.clone(),
                    links: None,
                    find: d.cascade_find(*relationship, path, record)?,
                })
            })
            .collect()
    }

    /// The BatchWriteItem requests (at most 25 keys each) deleting the items
    /// (AttributeValue maps) a cascade's read found, with their marker items.
    pub fn cascade_deletes(&self, cascade: &DynamoCascade, items: &[Value]) -> Vec<DynamoRequest> {
        if let Some(side) = cascade.links {
            return self.deriver.link_deletes(side, items);
        }
        self.deriver.cascade_deletes(cascade.relationship, items)
    }

    /// An item of `entity` (AttributeValue map) as its record.
    pub fn record_of(&self, entity: &str, item: &Value) -> Option<Val> {
        let entity = self.design.entity(entity)?;
        Some(self.deriver.record_of_item(entity, item.as_object()?))
    }
}
