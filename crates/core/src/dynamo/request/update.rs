//! UpdateItem by the full key: `SET` of the pattern's fields (a value, an
//! increment, an append) under the pattern's condition.

use serde_json::json;

use super::{Deriver, Draft, Operation, Request};
use crate::model::*;
use crate::names;
use crate::sample::{from_example, Val};

impl Deriver<'_> {
    pub(super) fn update(&self, r: &Request<'_>) -> Draft {
        let mut d = self.by_key(r, Operation::UpdateItem);
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
                    sets.push(format!("{n} = {n} + {amount}"));
                    let value = match record.get(field) {
                        Some(v) if !r.inputs.sample_amounts => v.clone(),
                        _ => Val::Int(pattern.increment_sample(field)),
                    };
                    d.values.push((amount, value));
                }
                UpdateAction::Push => {
                    sets.push(format!("{n} = list_append({n}, {placeholder})"));
                    let v = match record.get(field) {
                        Some(Val::Array(items)) => {
                            Val::Array(items.iter().take(1).cloned().collect())
                        }
                        Some(v) => Val::Array(vec![v.clone()]),
                        None => Val::Array(Vec::new()),
                    };
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
        d.input.insert(
            "UpdateExpression".into(),
            json!(format!("SET {}", sets.join(", "))),
        );
        if let Some(c) = &pattern.condition {
            let expr = condition(r.entity, c, &mut d);
            d.input.insert("ConditionExpression".into(), json!(expr));
        }
        d
    }
}

/// The pattern's condition as a ConditionExpression, its value (typed as the
/// field) added to the draft's values.
fn condition(entity: &Entity, c: &Condition, d: &mut Draft) -> String {
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
