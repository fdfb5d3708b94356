//! update: `updateOne` with `$set`, `$inc` or `$push` of the pattern's
//! fields, and the pattern's condition added to the filter.

use serde_json::{json, Map, Value};

use super::super::shell::shell_literal;
use super::{Filter, Inputs, Query, Rendered};
use crate::js::{js_key, js_literal};
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
    let mut set = Map::new();
    let mut parts = Vec::new();
    for field in &pattern.fields {
        let path = super::host_path(entity, place, field);
        let v = match action {
            UpdateAction::Increment => inputs.amount(pattern, field),
            UpdateAction::Push => first(inputs.value(entity, field)),
            UpdateAction::Set => inputs.value(entity, field),
        };
        parts.push(format!("{}: {}", js_key(&path), shell_literal(&v)));
        set.insert(path, v.to_ejson());
    }
    let mut filter_line = q.filter_text.clone();
    if let Some(c) = &pattern.condition {
        let path = super::host_path(entity, place, &c.field);
        let (op, value) = condition_op(c.op, c.value.clone().unwrap_or(Value::Null));
        filter
            .map
            .insert(path.clone(), json!({ op: value.clone() }));
        let cond = format!("{}: {{ {op}: {} }}", js_key(&path), js_literal(&value, 0));
        filter_line = if filter_line == "{}" {
            format!("{{ {cond} }}")
        } else {
            format!("{}, {cond} }}", filter_line.trim_end_matches(" }"))
        };
    }
    Rendered {
        document: Some(json!({ op: set })),
        ..Rendered::new(
            "updateOne",
            format!(
                "db.{coll}.updateOne({filter_line}, {{ {op}: {{ {} }} }})",
                parts.join(", ")
            ),
        )
    }
}

/// What a push appends: the first element of an array value, else the value.
fn first(value: Val) -> Val {
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
