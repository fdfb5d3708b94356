//! The requests of counter items (`dynamo/counter.rs`): the read of a
//! pattern served by them (a GetItem of one group, a Query of every group),
//! and a write of the entity joined in one TransactWriteItems with the ADDs
//! that keep them.

use serde_json::{json, Value};

use super::super::counter::COUNT_ATTRIBUTE;
use super::{Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::names;
use crate::sample::Val;

impl Deriver<'_> {
    /// The read of a pattern's counter items: a GetItem of the group the
    /// arguments name (`get`), or a Query of every group of the partition.
    pub(super) fn counter_read(&self, r: &Request<'_>, get: bool) -> Draft {
        let Some(c) = self.counters.iter().find(|c| c.pattern == r.pattern.name) else {
            return self.get(r);
        };
        let record = r.inputs.record;
        let pk = c.key(&c.pk, record);
        let mut d = if get {
            let mut d = Draft::new(Operation::GetItem, r.table);
            d.input.insert(
                "Key".into(),
                json!({ r.pk_name: { "S": pk }, r.sk_name: { "S": c.key(&c.sk, record) } }),
            );
            d.items = 1;
            d
        } else {
            let mut d = Draft::new(Operation::Query, r.table);
            let (pk_name, sk_name) = (d.names.name(r.pk_name), d.names.name(r.sk_name));
            d.input.insert(
                "KeyConditionExpression".into(),
                json!(format!("{pk_name} = :pk AND begins_with({sk_name}, :sk)")),
            );
            d.values.push((":pk".into(), Val::Str(pk)));
            d.values
                .push((":sk".into(), Val::Str(format!("{}#", c.sk_prefix))));
            d.items = self.counter_groups(r.pattern, r.entity);
            d
        };
        if r.pattern.consistency == Consistency::Strong {
            d.input.insert("ConsistentRead".into(), json!(true));
        }
        d.partition = Some(c.pk.clone());
        d.partition_values = self.partition_values(r.entity, &c.pk);
        d.bytes = d.items.saturating_mul(self.counter_bytes(c));
        d
    }

    /// About how many groups a Query of a counter's partition reads.
    fn counter_groups(&self, pattern: &AccessPattern, entity: &Entity) -> u64 {
        crate::model::counters::counter_key_fields(pattern)
            .iter()
            .filter(|f| !pattern.equality.contains(f))
            .map(|f| self.distinct(entity, f))
            .fold(1u64, |a, b| a.saturating_mul(b))
    }

    /// Why a write by the item's key reads the item first for the counters:
    /// the groups it leaves and the values it subtracts are in the item.
    pub(super) fn counter_read_reason(&self, r: &Request<'_>) -> String {
        let kept: Vec<String> = self
            .counters
            .iter()
            .filter(|c| c.entity == r.entity.name)
            .map(|c| format!("\"{}\"", c.pattern))
            .collect();
        format!(
            "the counter items of {} change with the write in one transaction, by the group and the values the item holds: it is read first",
            kept.join(", ")
        )
    }

    /// `draft` (a write of the entity) with the ADDs that move its counters
    /// from `old` to `new`, as one TransactWriteItems; `draft` itself when no
    /// counter changes. The transaction's condition on the item (it exists
    /// for a delete or an update, its key is free for an insert) keeps the
    /// counters from drifting when the write is repeated: it fails whole.
    pub(super) fn with_counters(
        &self,
        r: &Request<'_>,
        draft: Draft,
        old: Option<&Val>,
        new: Option<&Val>,
    ) -> Draft {
        let updates = self.counter_updates(r.entity, old, new);
        if updates.is_empty() {
            return draft;
        }
        let mut actions: Vec<Value> = match draft.operation {
            Operation::TransactWriteItems => draft
                .input
                .get("TransactItems")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            operation => {
                let action = match operation {
                    Operation::PutItem => "Put",
                    Operation::DeleteItem => "Delete",
                    _ => "Update",
                };
                let mut input = draft.closed_input();
                // A transaction's action has no ReturnValues of its own.
                input.remove("ReturnValues");
                vec![json!({ action: Value::Object(input) })]
            }
        };
        let mut writes = draft.writes.clone();
        for (input, write) in updates {
            actions.push(json!({ "Update": Value::Object(input) }));
            writes.push(write);
        }
        let mut t = Draft::transaction(r.table, actions, writes, &draft);
        let note = format!(
            "the {} counter item(s) change with ADD ({COUNT_ATTRIBUTE} and sums) in the same transaction, which writes each item at twice the units",
            names::words(&r.entity.name)
        );
        t.flag = Some(match draft.flag {
            Some(flag) => format!("{flag}; {note}"),
            None => note,
        });
        t
    }
}
