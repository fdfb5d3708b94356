//! A write to children stored inside their parent's item: an UpdateItem of
//! the parent, on the condition that it exists, that appends to the list
//! attribute (or sets the map), or removes the element the pattern names
//! (found by reading the parent's item first).

use serde_json::{json, Value};

use super::super::items::embedded_of;
use super::{key_value, Deriver, Draft, Operation, Request, Stored};
use crate::model::*;
use crate::sample::{number_key, Val};

impl Deriver<'_> {
    /// None without the parent's record, whose key the update goes to, or
    /// for a delete whose element the parent's item (`old`, as read) lacks.
    pub(super) fn embedded(
        &self,
        r: &Request<'_>,
        attribute: &str,
        old: Option<&Stored>,
    ) -> Option<Draft> {
        let mut d = Draft::new(Operation::UpdateItem, r.table);
        let parent = r.home.parent.as_ref().and_then(|p| self.design.entity(p));
        let key = match (old, parent) {
            (Some(old), _) => old.key.clone(),
            (None, Some(p)) => key_value(&self.key_of(p, r.inputs.parent?)),
            (None, None) => key_value(&[]),
        };
        d.input.insert("Key".into(), key);
        let n = d.names.name(attribute);
        let array = self
            .design
            .relationships
            .iter()
            .find(|rel| Some(&rel.from) == r.home.parent.as_ref() && rel.to == r.entity.name)
            .is_some_and(|rel| rel.cardinality != Cardinality::OneToOne);
        if r.pattern.kind == PatternKind::Delete {
            let position = match old {
                Some(old) => self.position(r, old.record.get(attribute)?)?,
                None => 0,
            };
            let element = if array {
                format!("{n}[{position}]")
            } else {
                n.clone()
            };
            d.input.insert(
                "UpdateExpression".into(),
                json!(format!("REMOVE {element}")),
            );
            // The element must still be the one the pattern names.
            for (k, field) in r.pattern.equality.iter().enumerate() {
                let path = d.names.path(field);
                let placeholder = format!(":match{k}");
                let value = r
                    .inputs
                    .record
                    .get(field)
                    .cloned()
                    .unwrap_or(Val::Str(String::new()));
                d.values.push((placeholder.clone(), value));
                d.require(&format!("{element}.{path} = {placeholder}"));
            }
        } else {
            let fields = match r.inputs.record {
                Val::Object(fields) => fields.clone(),
                _ => Vec::new(),
            };
            let child = Val::Object(embedded_of(self.design, r.entity, fields));
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
        // The parent must exist: a child never creates its parent's item.
        let pk = d.names.name(r.pk_name);
        d.require(&format!("attribute_exists({pk})"));
        d.partition = Some(r.home.pk.clone());
        d.partition_values = parent.map(|p| p.volume.max(1)).unwrap_or(1);
        d.items = 1;
        d.bytes = parent
            .map(|p| self.average_item_bytes(p))
            .unwrap_or(r.item_bytes);
        d.writes = vec![super::ItemWrite {
            bytes: d.bytes,
            index_writes: parent
                .map(|p| self.index_mappings(&p.name).count() as u32)
                .unwrap_or(0),
        }];
        Some(d)
    }

    /// The position of the first stored child whose bound fields hold the
    /// pattern's values (a map attribute is one child, at 0).
    fn position(&self, r: &Request<'_>, stored: &Val) -> Option<usize> {
        let matches = |child: &Val| {
            r.pattern
                .equality
                .iter()
                .all(|f| match (child.get(f), r.inputs.record.get(f)) {
                    (Some(have), Some(want)) => same_stored(have, want),
                    _ => false,
                })
        };
        match stored {
            Val::Array(items) => items.iter().position(matches),
            one => matches(one).then_some(0),
        }
    }
}

/// Whether a value read back from an item is the value looked for: numbers
/// by value, everything else as DynamoDB stores it.
fn same_stored(have: &Val, want: &Val) -> bool {
    let (a, b) = (have.to_attribute(), want.to_attribute());
    match (
        a.get("N").and_then(Value::as_str),
        b.get("N").and_then(Value::as_str),
    ) {
        (Some(x), Some(y)) => number_key(x) == number_key(y),
        _ => a == b,
    }
}
