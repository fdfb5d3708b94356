//! Query on the table's partition (with a sort key prefix or range) or on a
//! secondary index; for an update or delete, the read before the write.

use serde_json::{json, Value};

use super::super::keys::{constant_prefix, render};
use super::{Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::names;
use crate::sample::Val;

impl Deriver<'_> {
    /// A Query on the entity's partition of the table.
    pub(super) fn partition_query(&self, r: &Request<'_>, sk_prefix: Option<&str>) -> Draft {
        let mut d = Draft::new(Operation::Query, r.table);
        let pk_value = render(&r.home.pk, &Val::Object(r.item.clone()));
        d.values.push((":pk".into(), Val::Str(pk_value)));
        let mut condition = format!("{} = :pk", d.names.name(r.pk_name));
        if let Some(prefix) = sk_prefix {
            let skn = d.names.name(r.sk_name);
            sort_key_condition(r, &mut d, &mut condition, &skn, prefix, true);
        }
        d.input
            .insert("KeyConditionExpression".into(), json!(condition));
        d.partition = Some(r.home.pk.clone());
        d.partition_values = self.partition_values(r.entity, &r.home.pk);
        self.query_draft(r, &mut d);
        d
    }

    /// A Query on a secondary index: its partition key bound to the rendered
    /// template (or, `raw`, to the field's own value), its sort key by prefix or range.
    pub(super) fn index_query(
        &self,
        r: &Request<'_>,
        name: &str,
        pk: &str,
        sk: Option<&str>,
        raw: bool,
    ) -> Draft {
        let mut d = Draft::new(Operation::Query, r.table);
        d.index = Some(name.to_string());
        d.input.insert("IndexName".into(), json!(name));
        let idx = self.indexes.iter().find(|i| i.name == name);
        let pk_attr = idx.map(|i| i.pk_attr.clone()).unwrap_or_default();
        let field = pk.trim_matches(|c| c == '<' || c == '>');
        let (placeholder, pk_value) = if raw {
            let value = r.inputs.record.get(field).cloned();
            (
                format!(":{}", names::camel(&pk_attr)),
                value.unwrap_or(Val::Str(String::new())),
            )
        } else {
            (":pk".to_string(), Val::Str(render(pk, r.inputs.record)))
        };
        let mut condition = format!("{} = {placeholder}", d.names.name(&pk_attr));
        d.values.push((placeholder, pk_value));
        if let (Some(sk_t), Some(sk_attr), false) = (sk, idx.and_then(|i| i.sk_attr.clone()), raw) {
            let prefix = constant_prefix(sk_t);
            let skn = d.names.name(&sk_attr);
            // A prefix tells the entity's items apart only in an index shared with others.
            let shared = !prefix.is_empty() && idx.is_some_and(|i| i.mappings.len() > 1 || i.local);
            sort_key_condition(r, &mut d, &mut condition, &skn, prefix, shared);
        }
        d.input
            .insert("KeyConditionExpression".into(), json!(condition));
        d.partition = Some(pk.to_string());
        d.partition_values = if raw {
            self.distinct(r.entity, field)
        } else {
            self.partition_values(r.entity, pk)
        };
        self.query_draft(r, &mut d);
        // The Query reads the copies the index keeps, which may be smaller than the items.
        if let Some(i) = idx.filter(|i| i.projection != Projection::All) {
            d.bytes = d
                .items
                .saturating_mul(self.projected_bytes_of(&r.entity.name, i));
        }
        let local = idx.is_some_and(|i| i.local);
        if r.pattern.consistency == Consistency::Strong && !local {
            d.flag = Some("global indexes are eventually consistent only: this read cannot be strongly consistent".to_string());
            d.input.remove("ConsistentRead");
        }
        d
    }

    /// The Query reading the whole item collection of an item found through an
    /// index (`pk`: its partition key value): the item and the children read
    /// together with it, which live beside it.
    pub(super) fn collection_query(&self, r: &Request<'_>, pk: Value) -> Draft {
        let mut d = Draft::new(Operation::Query, r.table);
        let condition = format!("{} = :pk", d.names.name(r.pk_name));
        d.input
            .insert("KeyConditionExpression".into(), json!(condition));
        let pk = Val::from_attribute(&pk, None).unwrap_or(Val::Str(String::new()));
        d.values.push((":pk".into(), pk));
        if r.pattern.consistency == Consistency::Strong {
            d.input.insert("ConsistentRead".into(), json!(true));
        }
        d.partition = Some(r.home.pk.clone());
        d.partition_values = self.partition_values(r.entity, &r.home.pk);
        let (items, bytes) = self.query_reads(r.pattern, r.entity, r.item_bytes, r.page, 1);
        d.items = items;
        d.bytes = bytes;
        d
    }

    /// The items and bytes a Query reads, and its read options.
    fn query_draft(&self, r: &Request<'_>, d: &mut Draft) {
        let per_value = r.per_value(d.partition_values);
        let (items, bytes) = self.query_reads(r.pattern, r.entity, r.item_bytes, r.page, per_value);
        d.items = items;
        d.bytes = bytes;
        self.read_options(r.pattern, &mut d.input);
    }
}

/// Adds the sort key's condition: from the range field's value on when the
/// pattern has a range (`BETWEEN` it and the end of the prefix's keys, or `>=`
/// without a prefix), else `begins_with` the constant prefix when `by_prefix`.
fn sort_key_condition(
    r: &Request<'_>,
    d: &mut Draft,
    condition: &mut String,
    skn: &str,
    prefix: &str,
    by_prefix: bool,
) {
    if let Some(range) = &r.pattern.range {
        let from = r
            .inputs
            .record
            .get(range)
            .map(Val::key_text)
            .unwrap_or_default();
        d.values
            .push((":from".into(), Val::Str(format!("{prefix}{from}"))));
        match prefix_end(prefix) {
            Some(end) => {
                d.values.push((":to".into(), Val::Str(end)));
                condition.push_str(&format!(" AND {skn} BETWEEN :from AND :to"));
            }
            None => condition.push_str(&format!(" AND {skn} >= :from")),
        }
    } else if by_prefix {
        d.values.push((":sk".into(), Val::Str(prefix.to_string())));
        condition.push_str(&format!(" AND begins_with({skn}, :sk)"));
    }
}

/// The first text after every key that begins with `prefix` (`READING$` after
/// `READING#…`): the prefix with its last character's successor. None for an
/// empty prefix.
pub(in crate::dynamo) fn prefix_end(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    let last = chars.pop()?;
    let next = char::from_u32(u32::from(last) + 1).unwrap_or(char::MAX);
    chars.push(next);
    Some(chars.into_iter().collect())
}
