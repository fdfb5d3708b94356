//! DeleteItem by the full key; with unique attributes, a transaction that
//! deletes their marker items too.

use serde_json::{json, Map, Value};

use super::{Deriver, Draft, Operation, Request};

impl Deriver<'_> {
    pub(super) fn delete(&self, r: &Request<'_>) -> Draft {
        let mut d = self.by_key(r, Operation::DeleteItem);
        let markers = self.markers(r.entity, r.inputs.record);
        if markers.is_empty() {
            return d;
        }
        // The unique-value markers go with the item, in one transaction.
        let mut actions = vec![json!({ "Delete": { "TableName": r.table, "Key": r.key() } })];
        for marker in &markers {
            actions.push(
                json!({ "Delete": { "TableName": r.table, "Key": self.marker_value(marker) } }),
            );
        }
        d.operation = Operation::TransactWriteItems;
        d.input = Map::new();
        d.input
            .insert("TransactItems".into(), Value::Array(actions));
        d.items = 1 + markers.len() as u64;
        d.flag = Some(format!(
            "the {} marker item(s) are deleted with the item, in one transaction; the values come from the item, so read it first",
            self.unique_names(r.entity)
        ));
        d
    }
}
