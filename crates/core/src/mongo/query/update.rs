//! update: `updateOne` with `$set`, `$inc` or `$push` of the pattern's
//! fields, and the pattern's guard added to the filter. A versioned update
//! (optimistic locking, [`crate::model::version`]) also filters on the
//! version the client read and `$inc`s it; its mongosh checks the matched
//! count, a 0 being the conflict.

use serde_json::{json, Map, Value};

use super::super::shell::shell_literal;
use super::{Filter, Inputs, Query, Rendered};
use crate::js::{js_key, js_literal};
use crate::model::version::pattern_version;
use crate::model::*;
use crate::sample::Val;

pub(super) fn render(q: &Query<'_>, inputs: &Inputs<'_>, filter: &mut Filter) -> Rendered {
    let Query {
        pattern,
        entity,
        place,
        coll,
        ..
    } = q;
    let action = pattern.update.unwrap_or_default();
    let op = match action {
        UpdateAction::Set => "$set",
        UpdateAction::Increment => "$inc",
        UpdateAction::Push => "$push",
    };
    // A child in its host's array is updated where the filter found it: the
    // positional `$` names the element `$elemMatch` matched (every element,
    // `$[]`, when the filter names none).
    let in_array = place.array && !place.prefix.is_empty() && !place.prefix.contains('.');
    // The version the client read: the record's value of the version field.
    let version = pattern_version(pattern).map(|v| (v, inputs.value(entity, v)));
    let element = if in_array {
        Some(element_match(
            &place.prefix,
            filter,
            pattern.condition.as_ref(),
            version.as_ref(),
        ))
    } else {
        None
    };
    let mut set = Map::new();
    let mut parts = Vec::new();
    for field in &pattern.fields {
        let path = match element {
            Some(true) => format!("{}.$.{field}", place.prefix),
            Some(false) => format!("{}.$[].{field}", place.prefix),
            None => super::host_path(entity, place, field),
        };
        let v = match action {
            UpdateAction::Increment => inputs.amount(pattern, field),
            UpdateAction::Push => first(inputs.value(entity, field)),
            UpdateAction::Set => inputs.value(entity, field),
        };
        parts.push(format!("{}: {}", js_key(&path), shell_literal(&v)));
        set.insert(path, v.to_ejson());
    }
    // The version goes up by one, in the same `$inc` as an increment's fields.
    let version_path = version.as_ref().map(|(field, _)| match element {
        Some(_) => format!("{}.$.{field}", place.prefix),
        None => super::host_path(entity, place, field),
    });
    let mut bump = Map::new();
    let mut bump_parts = Vec::new();
    if let Some(path) = &version_path {
        let one = Val::Int(1);
        if op == "$inc" {
            parts.push(format!("{}: {}", js_key(path), shell_literal(&one)));
            set.insert(path.clone(), one.to_ejson());
        } else {
            bump_parts.push(format!("{}: {}", js_key(path), shell_literal(&one)));
            bump.insert(path.clone(), one.to_ejson());
        }
    }
    let mut filter_line = if element.is_some() {
        filter.text()
    } else {
        q.filter_text.clone()
    };
    if let Some(c) = pattern.condition.as_ref().filter(|_| element.is_none()) {
        let path = super::host_path(entity, place, &c.field);
        let (op, value) = condition_op(c.op, c.value.clone().unwrap_or(Value::Null));
        filter
            .map
            .insert(path.clone(), json!({ op: value.clone() }));
        let cond = format!("{}: {{ {op}: {} }}", js_key(&path), js_literal(&value, 0));
        filter_line = with_condition(&filter_line, &cond);
    }
    if let (Some((field, expected)), None) = (&version, element) {
        let path = super::host_path(entity, place, field);
        filter.map.insert(path.clone(), expected.to_ejson());
        let cond = format!("{}: {}", js_key(&path), shell_literal(expected));
        filter_line = with_condition(&filter_line, &cond);
    }
    let mut document = Map::new();
    document.insert(op.to_string(), Value::Object(set));
    let mut update = format!("{op}: {{ {} }}", parts.join(", "));
    if !bump.is_empty() {
        document.insert("$inc".to_string(), Value::Object(bump));
        update.push_str(&format!(", $inc: {{ {} }}", bump_parts.join(", ")));
    }
    let call = format!("db.{coll}.updateOne({filter_line}, {{ {update} }})");
    let shell = match &version {
        Some((field, _)) => conflict_check(&call, entity, field),
        None => call,
    };
    Rendered {
        document: Some(Value::Object(document)),
        ..Rendered::new("updateOne", shell)
    }
}

/// The mongosh filter `filter` (`{}` or `{ a: 1 }`) with `cond` added last. Only the
/// filter's own closing brace goes: a filter ending in an operator (`{ a: { $gte: 0 } }`)
/// keeps the operator's.
fn with_condition(filter: &str, cond: &str) -> String {
    match filter.strip_suffix(" }") {
        Some(open) if filter != "{}" => format!("{open}, {cond} }}"),
        _ => format!("{{ {cond} }}"),
    }
}

/// A versioned update's mongosh: the call, then its matched count checked (0 is
/// the conflict: the record changed since it was read, or is gone).
fn conflict_check(call: &str, entity: &Entity, field: &str) -> String {
    let name = crate::names::words(&entity.name);
    format!(
        "const updated = {call}\n\
         // Optimistic locking: a matchedCount of 0 is a conflict: the {name} changed since its {field} was read (or is gone); read it again and retry.\n\
         updated.matchedCount === 1 || 'version conflict: read the {name} again and retry'"
    )
}

/// Moves the filter's conditions on a child in its host's `prefix` array (and
/// the pattern's guard and version) into one `$elemMatch`, so they hold of one
/// element, the one the positional `$` then updates; whether there is one.
fn element_match(
    prefix: &str,
    filter: &mut Filter,
    condition: Option<&Condition>,
    version: Option<&(&str, Val)>,
) -> bool {
    let inside = format!("{prefix}.");
    let mut element = Map::new();
    let keys: Vec<String> = filter
        .map
        .keys()
        .filter(|k| k.starts_with(&inside))
        .cloned()
        .collect();
    for k in keys {
        if let Some(v) = filter.map.remove(&k) {
            element.insert(k[inside.len()..].to_string(), v);
        }
    }
    if let Some(c) = condition {
        let (op, value) = condition_op(c.op, c.value.clone().unwrap_or(Value::Null));
        element.insert(c.field.clone(), json!({ op: value }));
    }
    if let Some((field, expected)) = version {
        element.insert(field.to_string(), expected.to_ejson());
    }
    // The shell text follows the filter, rebuilt from its document.
    filter.shell = filter
        .map
        .iter()
        .map(|(k, v)| format!("{}: {}", js_key(k), js_literal(v, 0)))
        .collect();
    if element.is_empty() {
        return false;
    }
    let matched = json!({ "$elemMatch": Value::Object(element) });
    filter
        .shell
        .push(format!("{}: {}", js_key(prefix), js_literal(&matched, 0)));
    filter.map.insert(prefix.to_string(), matched);
    true
}

/// What a push appends: the first element of an array value, else the value.
pub(super) fn first(value: Val) -> Val {
    match value {
        Val::Array(items) => items.into_iter().next().unwrap_or(Val::Str(String::new())),
        other => other,
    }
}

fn condition_op(op: ConditionOp, value: Value) -> (&'static str, Value) {
    match op {
        ConditionOp::Eq => ("$eq", value),
        ConditionOp::Ne => ("$ne", value),
        ConditionOp::Lt => ("$lt", value),
        ConditionOp::Le => ("$lte", value),
        ConditionOp::Gt => ("$gt", value),
        ConditionOp::Ge => ("$gte", value),
        ConditionOp::Exists => ("$exists", Value::Bool(true)),
        ConditionOp::NotExists => ("$exists", Value::Bool(false)),
    }
}
