//! PutItem of a new item, on the condition that its key is free; with unique
//! attributes, a transaction that also puts a marker item per unique value
//! (DynamoDB enforces uniqueness only on the key).

use serde_json::{json, Map, Value};

use super::{Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::sample::Val;

impl Deriver<'_> {
    pub(super) fn put(&self, r: &Request<'_>) -> Draft {
        let mut put = Map::new();
        put.insert("TableName".into(), json!(r.table));
        put.insert(
            "Item".into(),
            Val::Object(r.item.clone())
                .to_attribute()
                .get("M")
                .cloned()
                .unwrap_or_default(),
        );
        put.insert(
            "ConditionExpression".into(),
            json!(format!("attribute_not_exists({})", r.pk_name)),
        );
        let mut d = Draft::new(Operation::PutItem, r.table);
        d.partition = Some(r.home.pk.clone());
        d.partition_values = self.partition_values(r.entity, &r.home.pk);
        let item = self.item_write(r.entity, r.inputs.record, r.item_bytes);
        let markers = self.markers(r.entity, r.inputs.record);
        if markers.is_empty() {
            d.input = put;
            d.items = 1;
            d.bytes = r.item_bytes;
            d.writes = vec![item];
            return d;
        }
        let mut actions = vec![json!({ "Put": Value::Object(put) })];
        let mut writes = vec![item];
        for marker in &markers {
            actions.push(json!({ "Put": {
                "TableName": r.table,
                "Item": self.marker_value(marker),
                "ConditionExpression": format!("attribute_not_exists({})", r.pk_name),
            }}));
            writes.push(self.marker_write(marker));
        }
        let mut d = Draft::transaction(r.table, actions, writes, &d);
        d.flag = Some(format!(
            "{} must be unique, and DynamoDB enforces uniqueness only on the key: the insert also puts a marker item per unique value in one transaction (twice the write cost)",
            self.marker_names(r.entity)
        ));
        d
    }

    /// The unique attributes of an entity (its id aside), by name: `email, username`.
    pub(super) fn unique_names(&self, entity: &Entity) -> String {
        entity
            .fields
            .iter()
            .filter(|f| f.unique && f.name != entity.id_name())
            .map(|f| f.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The values an entity keeps unique with marker items: its unique
    /// attributes, and its id when the key holds more than the id.
    pub(super) fn marker_names(&self, entity: &Entity) -> String {
        let mut names: Vec<&str> = entity
            .fields
            .iter()
            .filter(|f| f.unique && f.name != entity.id_name())
            .map(|f| f.name.as_str())
            .collect();
        if let Some(id) = self.id_marker(entity) {
            names.push(&id.name);
        }
        names.join(", ")
    }
}
