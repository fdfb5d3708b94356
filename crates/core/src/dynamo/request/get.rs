//! GetItem: one item by its full key, strongly consistent when the pattern asks.

use serde_json::json;

use super::{Deriver, Draft, Operation, Request};
use crate::model::*;

impl Deriver<'_> {
    pub(super) fn get(&self, r: &Request<'_>) -> Draft {
        let mut d = self.by_key(r, Operation::GetItem);
        if r.pattern.consistency == Consistency::Strong {
            d.input.insert("ConsistentRead".into(), json!(true));
        }
        d
    }

    /// A request on one item by its full key.
    pub(super) fn by_key(&self, r: &Request<'_>, operation: Operation) -> Draft {
        let mut d = Draft::new(operation, r.table);
        d.input.insert("Key".into(), r.key());
        d.partition = Some(r.home.pk.clone());
        d.partition_values = self.partition_values(r.entity, &r.home.pk);
        d.items = 1;
        d.bytes = r.item_bytes;
        d
    }
}
