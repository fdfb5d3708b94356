//! A write to children stored inside their parent's item: an UpdateItem of
//! the parent that appends to the list attribute (or sets the map), or
//! removes an element.

use serde_json::json;

use super::super::items::embedded_of;
use super::{key_value, Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::sample::Val;

impl Deriver<'_> {
    /// None without the parent's record, whose key the update goes to.
    pub(super) fn embedded(&self, r: &Request<'_>, attribute: &str) -> Option<Draft> {
        let mut d = Draft::new(Operation::UpdateItem, r.table);
        let parent = r.home.parent.as_ref().and_then(|p| self.design.entity(p));
        let parent_key = match parent {
            Some(p) => self.key_of(p, r.inputs.parent?),
            None => Vec::new(),
        };
        d.input.insert("Key".into(), key_value(&parent_key));
        let n = d.names.name(attribute);
        let array = self
            .design
            .relationships
            .iter()
            .find(|rel| Some(&rel.from) == r.home.parent.as_ref() && rel.to == r.entity.name)
            .is_some_and(|rel| rel.cardinality != Cardinality::OneToOne);
        if r.pattern.kind == PatternKind::Delete {
            d.input
                .insert("UpdateExpression".into(), json!(format!("REMOVE {n}[0]")));
            d.flag = Some(format!("removing one element of the {attribute} list takes its position: read the item first, then remove it with a condition that it is still there"));
        } else {
            let fields = match r.inputs.record {
                Val::Object(fields) => fields.clone(),
                _ => Vec::new(),
            };
            let child = Val::Object(embedded_of(r.entity, fields));
            if array {
                d.input.insert(
                    "UpdateExpression".into(),
                    json!(format!(
                        "SET {n} = list_append(if_not_exists({n}, :empty), :new)"
                    )),
                );
                d.values.push((":empty".into(), Val::Array(Vec::new())));
                d.values.push((":new".into(), Val::Array(vec![child])));
            } else {
                d.input
                    .insert("UpdateExpression".into(), json!(format!("SET {n} = :new")));
                d.values.push((":new".into(), child));
            }
        }
        d.partition = Some(r.home.pk.clone());
        d.partition_values = parent.map(|p| p.volume.max(1)).unwrap_or(1);
        d.items = 1;
        d.bytes = parent
            .map(|p| self.average_item_bytes(p))
            .unwrap_or(r.item_bytes);
        Some(d)
    }
}
