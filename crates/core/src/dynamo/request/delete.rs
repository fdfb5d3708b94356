//! DeleteItem by the full key, on the condition that the item exists; with
//! marker items (unique values, an id the key holds with more), a transaction
//! that deletes them too, their values from the item read first.

use serde_json::{json, Value};

use super::{Deriver, Draft, Operation, Request, Stored};

impl Deriver<'_> {
    /// The delete; `old` is the item as read first (None: the delete goes by
    /// its arguments alone).
    pub(super) fn delete(&self, r: &Request<'_>, old: Option<&Stored>) -> Draft {
        let mut d = self.by_key(r, Operation::DeleteItem);
        let record = old.map_or(r.inputs.record, |o| &o.record);
        if let Some(old) = old {
            d.input.insert("Key".into(), old.key.clone());
        }
        let pk = d.names.name(r.pk_name);
        d.require(&format!("attribute_exists({pk})"));
        d.writes = vec![self.item_write(r.entity, record, r.item_bytes)];
        let markers = self.markers(r.entity, record);
        if markers.is_empty() {
            return d;
        }
        // The markers go with the item, in one transaction.
        let mut actions = vec![json!({ "Delete": Value::Object(d.closed_input()) })];
        let mut writes = std::mem::take(&mut d.writes);
        for marker in &markers {
            actions.push(
                json!({ "Delete": { "TableName": r.table, "Key": self.marker_value(marker) } }),
            );
            writes.push(self.marker_write(marker));
        }
        let mut t = Draft::transaction(r.table, actions, writes, &d);
        t.flag = Some(format!(
            "the {} marker item(s) are deleted with the item, in one transaction",
            self.marker_names(r.entity)
        ));
        t
    }
}
