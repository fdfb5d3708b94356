//! A many-to-many read: a Query on the link items of one side, forward in the
//! `from` side's partition or backward through the inverted index, then a
//! BatchGetItem of the items they name.

use serde_json::{json, Value};

use super::super::keys::{constant_prefix, link_keys, render};
use super::{key_value, Deriver, Draft, DynamoRequest, Operation, Request};
use crate::model::relations::pair_id_fields;
use crate::names;
use crate::sample::{item_size, Val};

/// The most keys one BatchGetItem reads.
pub const BATCH_GET_LIMIT: usize = 100;

impl Deriver<'_> {
    /// The Query; None when the relationship is not in the design.
    pub(super) fn link(
        &self,
        r: &Request<'_>,
        relationship: usize,
        forward: bool,
        index: Option<&str>,
    ) -> Option<Draft> {
        let rel = self.design.relationships.get(relationship)?;
        let mut d = Draft::new(Operation::Query, r.table);
        let (pk, sk) = link_keys(rel);
        let (pk_t, sk_t, pk_attr, sk_attr) = match index {
            None => (pk, sk, r.pk_name.to_string(), r.sk_name.to_string()),
            Some(name) => {
                let i = self.indexes.iter().find(|i| i.name == name);
                d.index = Some(name.to_string());
                d.input.insert("IndexName".into(), json!(name));
                (
                    sk,
                    pk,
                    i.map(|i| i.pk_attr.clone()).unwrap_or_default(),
                    i.and_then(|i| i.sk_attr.clone()).unwrap_or_default(),
                )
            }
        };
        d.values
            .push((":pk".into(), Val::Str(render(&pk_t, r.inputs.record))));
        d.values
            .push((":sk".into(), Val::Str(constant_prefix(&sk_t).to_string())));
        let condition = format!(
            "{} = :pk AND begins_with({}, :sk)",
            d.names.name(&pk_attr),
            d.names.name(&sk_attr)
        );
        d.input
            .insert("KeyConditionExpression".into(), json!(condition));
        self.read_options(r.pattern, &mut d.input);
        let other = if forward { &rel.from } else { &rel.to };
        d.partition = Some(pk_t);
        d.partition_values = self
            .design
            .entity(other)
            .map(|e| e.volume.max(1))
            .unwrap_or(1);
        let n = rel.expected_count.max(1).min(r.page);
        d.items = n;
        d.bytes = n.saturating_mul(item_size(&self.link_item(rel, 0)) as u64);
        d.flag = Some(format!(
            "the Query returns link items holding the {} ids; a BatchGetItem then fetches the {} by their keys",
            names::words(&r.entity.name),
            names::plural(&names::words(&r.entity.name))
        ));
        Some(d)
    }

    /// The BatchGetItems (one per 100 keys) fetching the items the link
    /// items name (`links`: an array of link items as AttributeValue maps),
    /// in their order.
    pub(super) fn fetch_linked(
        &self,
        r: &Request<'_>,
        relationship: usize,
        forward: bool,
        links: &Value,
    ) -> Vec<DynamoRequest> {
        let Some(rel) = self.design.relationships.get(relationship) else {
            return Vec::new();
        };
        let (from_id, to_id) = pair_id_fields(rel);
        let held = if forward { to_id } else { from_id };
        let id = r.entity.id_name();
        let id_type = r.entity.id_field().map(|f| &f.ty);
        let keys: Vec<Value> = links
            .as_array()
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|link| {
                let value = Val::from_attribute(link.get(&held)?, id_type)?;
                let record = Val::Object(vec![(id.clone(), value)]);
                Some(key_value(&self.key_of(r.entity, &record)))
            })
            .collect();
        self.batch_get(r, keys)
    }
}
