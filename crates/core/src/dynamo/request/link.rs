//! A many-to-many read: a Query on the link items of one side, forward in the
//! `from` side's partition or backward through the inverted index.

use serde_json::json;

use super::super::keys::{constant_prefix, link_keys, render};
use super::{Deriver, Draft, Operation, Request};
use crate::names;
use crate::sample::{item_size, Val};

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
            "the Query returns link items holding the {} ids; fetch the {} with one BatchGetItem, or copy the attributes the page shows into the link items",
            names::words(&r.entity.name),
            names::plural(&names::words(&r.entity.name))
        ));
        Some(d)
    }
}
