//! The items a Query through an index found, fetched whole from the table
//! when the index does not project every attribute the read needs: a
//! GetItem for one item, BatchGetItems (100 keys each) for a list. A
//! BatchGetItem answers in any order; the application puts the items back
//! in the Query's.

use serde_json::{json, Map, Value};

use super::link::BATCH_GET_LIMIT;
use super::{Deriver, DynamoRequest, Operation, Path, Request};
use crate::model::*;

impl Deriver<'_> {
    /// The requests fetching the items whose table keys are `keys`
    /// (AttributeValue maps): a GetItem of the first for a getOne, else a
    /// BatchGetItem per 100 keys.
    pub(super) fn fetch_items(&self, r: &Request<'_>, keys: Vec<Value>) -> Vec<DynamoRequest> {
        if r.pattern.kind == PatternKind::GetOne {
            let Some(key) = keys.into_iter().next() else {
                return Vec::new();
            };
            let mut d = self.get(r);
            d.input.insert("Key".into(), key);
            return vec![self.finish(r, d)];
        }
        self.batch_get(r, keys)
    }

    /// One BatchGetItem per 100 of `keys`, on the entity's items, in order.
    pub(super) fn batch_get(&self, r: &Request<'_>, keys: Vec<Value>) -> Vec<DynamoRequest> {
        keys.chunks(BATCH_GET_LIMIT)
            .map(|chunk| {
                let mut d = super::Draft::new(Operation::BatchGetItem, r.table);
                let mut table = Map::new();
                table.insert("Keys".into(), Value::Array(chunk.to_vec()));
                if r.pattern.consistency == Consistency::Strong {
                    table.insert("ConsistentRead".into(), json!(true));
                }
                let mut requests = Map::new();
                requests.insert(r.table.to_string(), Value::Object(table));
                d.input = Map::new();
                d.input
                    .insert("RequestItems".into(), Value::Object(requests));
                d.partition = Some(r.home.pk.clone());
                d.partition_values = r.entity.volume.max(1);
                d.items = chunk.len() as u64;
                d.bytes = d.items.saturating_mul(r.item_bytes);
                self.finish(r, d)
            })
            .collect()
    }

    /// The table keys of the items of a Query's answer.
    pub(super) fn keys_found(&self, r: &Request<'_>, answer: &Value) -> Vec<Value> {
        let items = answer
            .get("Items")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        items
            .iter()
            .filter_map(|item| {
                let mut key = Map::new();
                for name in [r.pk_name, r.sk_name] {
                    key.insert(name.to_string(), item.get(name)?.clone());
                }
                Some(Value::Object(key))
            })
            .collect()
    }

    /// Whether the pattern reads whole items through an index that lacks some
    /// of their attributes.
    pub(super) fn fetches_after_index(&self, r: &Request<'_>, path: &Path) -> bool {
        let Path::Index { name, .. } = path else {
            return false;
        };
        matches!(r.pattern.kind, PatternKind::GetOne | PatternKind::List)
            && !self.owns_collection(&r.entity.name)
            && self.index_lacks(name, r.entity)
    }
}
