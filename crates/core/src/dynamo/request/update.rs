//! An update: UpdateItem by the full key, `SET` of the pattern's fields (a
//! value, an increment, an append), the index keys those fields are part of
//! rewritten with them, on the condition that the item exists and the
//! pattern's guard holds. An update that sets the date an entity's TTL is
//! computed from rewrites the item's `ttl` (epoch seconds) with it. A versioned update (optimistic locking,
//! [`crate::model::version`]) adds one to the version (`SET #v = #v + :one`)
//! on the condition that it is still the one the client read (`#v =
//! :expected`). When the update changes the item's own key the
//! item moves (a delete and a put in one transaction); when it changes a
//! unique value, its marker item moves in the same transaction.

use serde_json::{json, Map, Value};

use super::super::keys::{marker_key, render, template_fields};
use super::read::{may_enter, overlaps};
use super::{key_value, Deriver, Draft, ItemWrite, Operation, Request, Stored};
use crate::model::version::{pattern_version, FIRST_VERSION};
use crate::model::*;
use crate::names;
use crate::sample::{add_values, from_example, Val};

impl Deriver<'_> {
    /// The update's write; `old` is the item as read first (None: the update
    /// goes by its arguments alone, which then hold every value it needs).
    pub(super) fn update(&self, r: &Request<'_>, old: Option<&Stored>) -> Draft {
        let new = self.updated(r, old);
        if let Some(old) = old {
            if key_value(&self.key_of(r.entity, &new)) != old.key {
                return self.move_item(r, old, &new);
            }
        }
        let mut d = self.by_key(r, Operation::UpdateItem);
        if let Some(old) = old {
            d.input.insert("Key".into(), old.key.clone());
        }
        let pattern = r.pattern;
        let mut sets = Vec::new();
        for field in &pattern.fields {
            let n = d.names.path(field);
            let placeholder = format!(
                ":{}",
                names::camel(field.rsplit('.').next().unwrap_or(field))
            );
            let record = r.inputs.record;
            match pattern.update.unwrap_or_default() {
                UpdateAction::Increment => {
                    // One `:amount`, or one per field when several are incremented.
                    let amount = if pattern.fields.len() == 1 {
                        ":amount".to_string()
                    } else {
                        format!("{placeholder}Amount")
                    };
                    // As `$inc` does, a missing field counts as zero.
                    sets.push(format!("{n} = if_not_exists({n}, :zero) + {amount}"));
                    let value = match record.get(field) {
                        Some(v) if !r.inputs.sample_amounts => v.clone(),
                        _ => Val::Int(pattern.increment_sample(field)),
                    };
                    push_value(&mut d, ":zero", Val::Int(0));
                    d.values.push((amount, value));
                }
                UpdateAction::Push => {
                    // As `$push` does, a missing list starts empty.
                    sets.push(format!(
                        "{n} = list_append(if_not_exists({n}, :empty), {placeholder})"
                    ));
                    let v = match record.get(field) {
                        Some(Val::Array(items)) => {
                            Val::Array(items.iter().take(1).cloned().collect())
                        }
                        Some(v) => Val::Array(vec![v.clone()]),
                        None => Val::Array(Vec::new()),
                    };
                    push_value(&mut d, ":empty", Val::Array(Vec::new()));
                    d.values.push((placeholder, v));
                }
                UpdateAction::Set => {
                    sets.push(format!("{n} = {placeholder}"));
                    let v = record
                        .get(field)
                        .cloned()
                        .unwrap_or(Val::Str(String::new()));
                    d.values.push((placeholder, v));
                }
            }
        }
        if let Some(v) = pattern_version(pattern) {
            let n = d.names.name(v);
            sets.push(format!("{n} = {n} + :one"));
            push_value(&mut d, ":one", Val::Int(1));
        }
        let mut removes = Vec::new();
        // The expiry DynamoDB's TTL reads follows the date it is computed from, in the same
        // write: a new date is a new expiry, no date no expiry (as a put writes it).
        if let Some(ttl) = rewritten_ttl(r.entity, pattern) {
            let n = d.names.name(TTL_ATTRIBUTE);
            match new.get(&ttl.field) {
                Some(Val::Date(millis)) => {
                    sets.push(format!("{n} = :ttl"));
                    d.values
                        .push((":ttl".into(), Val::Long(ttl.expiry_seconds(*millis))));
                }
                _ => removes.push(n),
            }
        }
        let mut index_writes = 0;
        let current = old.map_or(r.inputs.record, |o| &o.record);
        for (i, pk, sk) in self.index_mappings(&r.entity.name) {
            let templates: Vec<&str> = std::iter::once(pk.as_str()).chain(sk.as_deref()).collect();
            let changes = |t: &str| {
                template_fields(t)
                    .iter()
                    .any(|f| pattern.fields.iter().any(|u| overlaps(u, f)))
            };
            let touched = !i.declared && templates.iter().any(|t| changes(t));
            // DynamoDB writes an index only when the update changes an attribute it holds.
            let copied = pattern
                .fields
                .iter()
                .any(|u| self.index_holds(i, u.split('.').next().unwrap_or(u)));
            // Without a read the arguments hold only what the update binds and sets: the
            // item's other fields are unknown, and unchanged (had the update needed them to
            // decide, it would have read the item first).
            let (was_in, is_in) = match old {
                Some(_) => (self.in_index(pk, current), self.in_index(pk, &new)),
                None => (true, true),
            };
            index_writes += match (touched, was_in, is_in) {
                (true, true, true) => 2,
                (true, false, false) | (false, false, _) => 0,
                (false, true, true) if !copied => 0,
                _ => 1,
            };
            if !touched {
                continue;
            }
            let attrs: Vec<(&String, &str)> = std::iter::once((&i.pk_attr, pk.as_str()))
                .filter(|_| !i.local)
                .chain(i.sk_attr.iter().zip(sk.as_deref()))
                .collect();
            let enters = may_enter(r.entity, pattern, pk);
            for (attr, template) in attrs {
                // An attribute is rewritten when its value changes, or when the
                // item may enter or leave the index.
                if !changes(template) && was_in == is_in && !enters {
                    continue;
                }
                let n = d.names.name(attr);
                if is_in {
                    let placeholder = format!(":{}", names::placeholder(attr));
                    sets.push(format!("{n} = {placeholder}"));
                    d.values
                        .push((placeholder, Val::Str(render(template, &new))));
                } else {
                    // The item leaves the index (it is sparse).
                    removes.push(n);
                }
            }
        }
        let mut clauses = Vec::new();
        if !sets.is_empty() {
            clauses.push(format!("SET {}", sets.join(", ")));
        }
        if !removes.is_empty() {
            clauses.push(format!("REMOVE {}", removes.join(", ")));
        }
        if !clauses.is_empty() {
            d.input
                .insert("UpdateExpression".into(), json!(clauses.join(" ")));
        }
        // The item must exist: an update never creates one (as `updateOne` does not).
        let pk = d.names.name(r.pk_name);
        d.require(&format!("attribute_exists({pk})"));
        if let Some(old) = old {
            self.lock_incremented_keys(r, old, &mut d);
        }
        if let Some(c) = &pattern.condition {
            let expr = condition(r.entity, c, &mut d);
            d.require(&expr);
        }
        expect_version(r, &mut d);
        d.writes = vec![ItemWrite {
            bytes: r.item_bytes,
            index_writes,
        }];
        let moves = old
            .map(|o| self.marker_moves(r, o, &new))
            .unwrap_or_default();
        if moves.is_empty() {
            return d;
        }
        // The unique values' markers move with the update, in one transaction.
        let mut actions = vec![json!({ "Update": Value::Object(d.closed_input()) })];
        let mut writes = std::mem::take(&mut d.writes);
        let (more, marker_writes) = self.marker_actions(r, &moves);
        actions.extend(more);
        writes.extend(marker_writes);
        Draft::transaction(r.table, actions, writes, &d)
    }

    /// The record after the update: the item read (or the arguments) with
    /// each field set, incremented or appended to.
    pub(super) fn updated(&self, r: &Request<'_>, old: Option<&Stored>) -> Val {
        let Some(old) = old else {
            return r.inputs.record.clone();
        };
        let mut new = old.record.clone();
        for field in &r.pattern.fields {
            let arg = r.inputs.record.get(field);
            let next = match r.pattern.update.unwrap_or_default() {
                UpdateAction::Set => Some(arg.cloned().unwrap_or(Val::Str(String::new()))),
                UpdateAction::Increment => {
                    let amount = match arg {
                        Some(v) if !r.inputs.sample_amounts => v.clone(),
                        _ => Val::Int(r.pattern.increment_sample(field)),
                    };
                    add_values(old.record.get(field), &amount)
                }
                UpdateAction::Push => match (old.record.get(field), arg) {
                    (Some(Val::Array(items)), Some(v)) => {
                        let mut items = items.clone();
                        items.push(v.clone());
                        Some(Val::Array(items))
                    }
                    (None, Some(v)) => Some(Val::Array(vec![v.clone()])),
                    _ => None,
                },
            };
            if let Some(v) = next {
                new.set_path(field, v);
            }
        }
        if let Some(v) = pattern_version(r.pattern) {
            if let Some(next) = add_values(old.record.get(v), &Val::Int(1)) {
                new.set_path(v, next);
            }
        }
        new
    }

    /// An increment of a field some key holds writes the key of the sum: on
    /// the condition that the field still holds what was read.
    fn lock_incremented_keys(&self, r: &Request<'_>, old: &Stored, d: &mut Draft) {
        if r.pattern.update != Some(UpdateAction::Increment) {
            return;
        }
        let keys = self.key_fields(&r.entity.name, &r.home.pk, &r.home.sk);
        for field in &r.pattern.fields {
            if !keys.iter().any(|k| overlaps(field, k)) {
                continue;
            }
            let n = d.names.path(field);
            match old.record.get(field) {
                Some(v) => {
                    let placeholder = format!(
                        ":{}Read",
                        names::camel(field.rsplit('.').next().unwrap_or(field))
                    );
                    d.values.push((placeholder.clone(), v.clone()));
                    d.require(&format!("{n} = {placeholder}"));
                }
                None => d.require(&format!("attribute_not_exists({n})")),
            }
        }
    }

    /// The markers that move: for each unique field the update sets, the
    /// old value's marker (None when it had none) and the new one's, where
    /// they differ.
    fn marker_moves(&self, r: &Request<'_>, old: &Stored, new: &Val) -> Vec<Move> {
        let id = r.entity.id_name();
        r.entity
            .fields
            .iter()
            .filter(|f| f.unique && f.name != id && r.pattern.fields.contains(&f.name))
            .filter_map(|f| {
                let marker = |record: &Val| {
                    record
                        .get(&f.name)
                        .map(|_| marker_key(self.design, r.entity, f, record))
                };
                let (from, to) = (marker(&old.record), marker(new));
                (from != to).then_some((from, to))
            })
            .collect()
    }

    /// The actions moving markers, and what they write.
    fn marker_actions(&self, r: &Request<'_>, moves: &[Move]) -> (Vec<Value>, Vec<ItemWrite>) {
        let mut actions = Vec::new();
        let mut writes = Vec::new();
        for (from, to) in moves {
            if let Some(from) = from {
                actions.push(
                    json!({ "Delete": { "TableName": r.table, "Key": self.marker_value(from) } }),
                );
                writes.push(self.marker_write(from));
            }
            if let Some(to) = to {
                actions.push(json!({ "Put": {
                    "TableName": r.table,
                    "Item": self.marker_value(to),
                    "ConditionExpression": format!("attribute_not_exists({})", r.pk_name),
                }}));
                writes.push(self.marker_write(to));
            }
        }
        (actions, writes)
    }

    /// The item moves to its new key: deleted where it was (if it still
    /// exists and the pattern's condition holds), put where it goes (if
    /// nothing is there), with the markers of the unique values it changes.
    fn move_item(&self, r: &Request<'_>, old: &Stored, new: &Val) -> Draft {
        let mut delete = Draft::new(Operation::DeleteItem, r.table);
        delete.input.insert("Key".into(), old.key.clone());
        let pk = delete.names.name(r.pk_name);
        delete.require(&format!("attribute_exists({pk})"));
        if let Some(c) = &r.pattern.condition {
            let expr = condition(r.entity, c, &mut delete);
            delete.require(&expr);
        }
        expect_version(r, &mut delete);
        let item = self.item_of(r.entity, new.clone());
        let mut put = Map::new();
        put.insert("TableName".into(), json!(r.table));
        put.insert("Item".into(), super::attribute_map(&item));
        put.insert(
            "ConditionExpression".into(),
            json!(format!("attribute_not_exists({})", r.pk_name)),
        );
        let mut actions = vec![
            json!({ "Delete": Value::Object(delete.closed_input()) }),
            json!({ "Put": Value::Object(put) }),
        ];
        let mut writes = vec![
            self.item_write(r.entity, &old.record, r.item_bytes),
            self.item_write(r.entity, new, r.item_bytes),
        ];
        let (more, marker_writes) = self.marker_actions(r, &self.marker_moves(r, old, new));
        actions.extend(more);
        writes.extend(marker_writes);
        Draft::transaction(
            r.table,
            actions,
            writes,
            &self.by_key(r, Operation::DeleteItem),
        )
    }
}

/// The TTL of an entity whose update sets the date its expiry is computed from
/// (`ttl.field`): the update rewrites the item's `ttl` attribute with it.
pub(crate) fn rewritten_ttl<'e>(entity: &'e Entity, pattern: &AccessPattern) -> Option<&'e Ttl> {
    entity.ttl.as_ref().filter(|t| {
        pattern.update.unwrap_or_default() == UpdateAction::Set && pattern.fields.contains(&t.field)
    })
}

/// A marker that moves: the old value's (if any) and the new value's (if any).
type Move = (Option<String>, Option<String>);

/// Adds a value the expression names once (`:zero`, `:empty`), however many fields use it.
fn push_value(d: &mut Draft, name: &str, value: Val) {
    if !d.values.iter().any(|(k, _)| k == name) {
        d.values.push((name.to_string(), value));
    }
}

/// A versioned update's condition: the item still holds the version the client
/// read (the arguments' value of the version field): `#v = :expected`
/// (`:expectedVersion` when the guard already says `:expected`).
fn expect_version(r: &Request<'_>, d: &mut Draft) {
    let Some(v) = pattern_version(r.pattern) else {
        return;
    };
    let n = d.names.name(v);
    let placeholder = if d.values.iter().any(|(k, _)| k == ":expected") {
        ":expectedVersion"
    } else {
        ":expected"
    };
    let expected = r
        .inputs
        .record
        .get(v)
        .cloned()
        .unwrap_or(Val::Int(FIRST_VERSION));
    d.values.push((placeholder.to_string(), expected));
    d.require(&format!("{n} = {placeholder}"));
}

/// The pattern's guard as a ConditionExpression, its value (typed as the
/// field) added to the draft's values.
pub(super) fn condition(entity: &Entity, c: &Condition, d: &mut Draft) -> String {
    let n = d.names.path(&c.field);
    let (op, placeholder) = match c.op {
        ConditionOp::Exists => return format!("attribute_exists({n})"),
        ConditionOp::NotExists => return format!("attribute_not_exists({n})"),
        ConditionOp::Eq => ("=", ":expected"),
        ConditionOp::Ne => ("<>", ":expected"),
        ConditionOp::Lt => ("<", ":max"),
        ConditionOp::Le => ("<=", ":max"),
        ConditionOp::Gt => (">", ":min"),
        ConditionOp::Ge => (">=", ":min"),
    };
    let ty = entity
        .field_path(&c.field)
        .map(|f| f.ty.clone())
        .unwrap_or(FieldType::String);
    let v = c
        .value
        .as_ref()
        .and_then(|v| from_example(&ty, v))
        .unwrap_or(Val::Str(String::new()));
    d.values.push((placeholder.to_string(), v));
    format!("{n} {op} {placeholder}")
}
