//! DynamoDB's legacy conditional parameters (`KeyConditions`, `QueryFilter`, `ScanFilter`,
//! `Expected` with `ConditionalOperator`, `AttributeUpdates`), translated into the same AST the
//! expression parser builds, so one evaluator serves both.

use serde_json::{Map, Value};

use crate::error::{DynamoError, Result};
use crate::expr::{CmpOp, Cond, Operand, Path, PathElem, SetValue, Update, UpdateOperand};
use crate::value::AttributeValue;

/// Rejects a request that mixes a legacy parameter with its expression counterpart.
pub fn check_not_both(input: &Value, legacy: &str, expressions: &[&str]) -> Result<()> {
    let present = |f: &str| input.get(f).is_some_and(|v| !v.is_null());
    if !present(legacy) {
        return Ok(());
    }
    let used: Vec<&str> = expressions.iter().copied().filter(|f| present(f)).collect();
    if used.is_empty() {
        return Ok(());
    }
    Err(DynamoError::validation(format!(
        "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {{{legacy}}} Expression parameters: {{{}}}",
        used.join(", ")
    )))
}

fn attr_path(name: &str) -> Path {
    Path(vec![PathElem::Attr(name.to_string())])
}

fn object<'a>(input: &'a Value, field: &str) -> Result<Option<&'a Map<String, Value>>> {
    match input.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(m)) => Ok(Some(m)),
        Some(other) => Err(DynamoError::validation(format!(
            "{field} must be a map, got {other}"
        ))),
    }
}

fn combine(conds: Vec<Cond>, input: &Value) -> Result<Option<Cond>> {
    let or = match input.get("ConditionalOperator").and_then(Value::as_str) {
        None | Some("AND") => false,
        Some("OR") => true,
        Some(other) => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{other}' at 'conditionalOperator' failed to satisfy constraint: Member must satisfy enum value set: [AND, OR]"
            )))
        }
    };
    Ok(conds.into_iter().reduce(|a, b| {
        if or {
            Cond::Or(Box::new(a), Box::new(b))
        } else {
            Cond::And(Box::new(a), Box::new(b))
        }
    }))
}

/// One `{ComparisonOperator, AttributeValueList}` condition on attribute `name`.
fn comparison(name: &str, spec: &Value) -> Result<Cond> {
    let op = spec.get("ComparisonOperator").and_then(Value::as_str).ok_or_else(|| {
        DynamoError::validation(format!("One or more parameter values were invalid: ComparisonOperator is missing for attribute {name}"))
    })?;
    let values: Vec<AttributeValue> = match spec.get("AttributeValueList") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(list)) => list
            .iter()
            .map(AttributeValue::from_json)
            .collect::<Result<_>>()?,
        Some(other) => {
            return Err(DynamoError::validation(format!(
                "AttributeValueList must be a list, got {other}"
            )))
        }
    };
    let arity = |n: usize| -> Result<()> {
        let ok = if op == "IN" {
            !values.is_empty()
        } else {
            values.len() == n
        };
        if ok {
            Ok(())
        } else {
            Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: Invalid number of argument(s) for the {op} ComparisonOperator"
            )))
        }
    };
    let scalar = |allowed: &[&str]| -> Result<()> {
        match values.iter().find(|v| !allowed.contains(&v.type_name())) {
            Some(v) => Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: ComparisonOperator {op} is not valid for {} AttributeValue type",
                v.type_name()
            ))),
            None => Ok(()),
        }
    };
    let path = attr_path(name);
    let value = |i: usize| Operand::Value(values.get(i).cloned().unwrap_or(AttributeValue::Null));
    let cmp = |op: CmpOp| Cond::Cmp(Operand::Path(path.clone()), op, value(0));
    Ok(match op {
        "EQ" | "NE" => {
            arity(1)?;
            scalar(&["S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M"])?;
            cmp(if op == "EQ" { CmpOp::Eq } else { CmpOp::Ne })
        }
        "LT" | "LE" | "GT" | "GE" => {
            arity(1)?;
            scalar(&["S", "N", "B"])?;
            cmp(match op {
                "LT" => CmpOp::Lt,
                "LE" => CmpOp::Le,
                "GT" => CmpOp::Gt,
                _ => CmpOp::Ge,
            })
        }
        "NULL" => {
            arity(0)?;
            Cond::NotExists(path)
        }
        "NOT_NULL" => {
            arity(0)?;
            Cond::Exists(path)
        }
        "CONTAINS" | "NOT_CONTAINS" => {
            arity(1)?;
            scalar(&["S", "N", "B"])?;
            let contains = Cond::Contains(Operand::Path(path.clone()), value(0));
            if op == "CONTAINS" {
                contains
            } else {
                // A missing attribute neither contains nor fails to contain anything.
                Cond::And(Box::new(Cond::Exists(path)), Box::new(Cond::Not(Box::new(contains))))
            }
        }
        "BEGINS_WITH" => {
            arity(1)?;
            scalar(&["S", "B"])?;
            Cond::BeginsWith(Operand::Path(path), value(0))
        }
        "IN" => {
            arity(1)?;
            scalar(&["S", "N", "B"])?;
            Cond::In(Operand::Path(path), values.iter().cloned().map(Operand::Value).collect())
        }
        "BETWEEN" => {
            arity(2)?;
            scalar(&["S", "N", "B"])?;
            let (lo, hi) = (values.first(), values.get(1));
            if let (Some(lo), Some(hi)) = (lo, hi) {
                if lo.type_name() != hi.type_name() || crate::expr::eval::compare(lo, hi) == Some(std::cmp::Ordering::Greater) {
                    return Err(DynamoError::validation(
                        "One or more parameter values were invalid: The BETWEEN condition was provided a range where the lower bound is greater than the upper bound",
                    ));
                }
            }
            Cond::Between(Operand::Path(path), value(0), value(1))
        }
        other => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{other}' at 'comparisonOperator' failed to satisfy constraint: Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"
            )))
        }
    })
}

/// `KeyConditions` of a Query, as one condition (validated against the key schema later).
pub fn key_conditions(input: &Value) -> Result<Option<Cond>> {
    check_not_both(input, "KeyConditions", &["KeyConditionExpression"])?;
    let Some(map) = object(input, "KeyConditions")? else {
        return Ok(None);
    };
    if map.is_empty() || map.len() > 2 {
        return Err(DynamoError::validation(
            "Conditions can be of length 1 or 2 only",
        ));
    }
    let conds = map
        .iter()
        .map(|(name, spec)| comparison(name, spec))
        .collect::<Result<Vec<_>>>()?;
    Ok(conds
        .into_iter()
        .reduce(|a, b| Cond::And(Box::new(a), Box::new(b))))
}

/// `QueryFilter` or `ScanFilter` with `ConditionalOperator`.
pub fn filter(input: &Value, field: &str) -> Result<Option<Cond>> {
    check_not_both(
        input,
        field,
        &[
            "FilterExpression",
            "KeyConditionExpression",
            "ProjectionExpression",
        ],
    )?;
    let Some(map) = object(input, field)? else {
        return Ok(None);
    };
    let conds = map
        .iter()
        .map(|(name, spec)| comparison(name, spec))
        .collect::<Result<Vec<_>>>()?;
    combine(conds, input)
}

/// `Expected` with `ConditionalOperator`, for PutItem, UpdateItem and DeleteItem.
pub fn expected(input: &Value) -> Result<Option<Cond>> {
    check_not_both(
        input,
        "Expected",
        &["ConditionExpression", "UpdateExpression"],
    )?;
    check_not_both(
        input,
        "ConditionalOperator",
        &[
            "ConditionExpression",
            "FilterExpression",
            "UpdateExpression",
        ],
    )?;
    let Some(map) = object(input, "Expected")? else {
        return Ok(None);
    };
    let mut conds = Vec::new();
    for (name, spec) in map {
        let exists = spec.get("Exists").and_then(Value::as_bool);
        let value = spec.get("Value").filter(|v| !v.is_null());
        if spec.get("ComparisonOperator").is_some() {
            if value.is_some() || exists.is_some() {
                return Err(DynamoError::validation(
                    "One or more parameter values were invalid: Value or Exists cannot be used with ComparisonOperator",
                ));
            }
            conds.push(comparison(name, spec)?);
            continue;
        }
        conds.push(match (exists, value) {
            (Some(false), None) => Cond::NotExists(attr_path(name)),
            (Some(false), Some(_)) => {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: Value cannot be used when Exists is false for Attribute: {name}"
                )))
            }
            (_, Some(v)) => Cond::Cmp(Operand::Path(attr_path(name)), CmpOp::Eq, Operand::Value(AttributeValue::from_json(v)?)),
            (_, None) => {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: Value must be provided when Exists is true for Attribute: {name}"
                )))
            }
        });
    }
    combine(conds, input)
}

/// `AttributeUpdates` of UpdateItem as an update: PUT sets, DELETE removes (or deletes set
/// elements), ADD adds numbers and sets, and appends to lists.
pub fn attribute_updates(input: &Value) -> Result<Option<Update>> {
    check_not_both(
        input,
        "AttributeUpdates",
        &["UpdateExpression", "ConditionExpression"],
    )?;
    let Some(map) = object(input, "AttributeUpdates")? else {
        return Ok(None);
    };
    let mut update = Update::default();
    for (name, spec) in map {
        let path = attr_path(name);
        let value = match spec.get("Value").filter(|v| !v.is_null()) {
            Some(v) => Some(AttributeValue::from_json(v)?),
            None => None,
        };
        let action = spec.get("Action").and_then(Value::as_str).unwrap_or("PUT");
        match (action, value) {
            ("PUT", Some(v)) => update.set.push((path, SetValue::Operand(UpdateOperand::Value(v)))),
            ("DELETE", None) => update.remove.push(path),
            ("DELETE", Some(v)) if v.is_set() => update.delete.push((path, v)),
            ("ADD", Some(AttributeValue::L(l))) => {
                let existing = UpdateOperand::IfNotExists(path.clone(), Box::new(UpdateOperand::Value(AttributeValue::L(Vec::new()))));
                let appended = UpdateOperand::ListAppend(Box::new(existing), Box::new(UpdateOperand::Value(AttributeValue::L(l))));
                update.set.push((path, SetValue::Operand(appended)));
            }
            ("ADD", Some(v)) if matches!(v, AttributeValue::N(_)) || v.is_set() => update.add.push((path, v)),
            ("PUT" | "ADD", None) => {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: Only DELETE action is allowed when no attribute value is specified for attribute {name}"
                )))
            }
            ("DELETE" | "ADD", Some(v)) => {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: {action} action with value is not supported for the type {}",
                    v.long_type_name()
                )))
            }
            (other, _) => {
                return Err(DynamoError::validation(format!(
                    "1 validation error detected: Value '{other}' at 'attributeUpdates.{name}.member.action' failed to satisfy constraint: Member must satisfy enum value set: [ADD, PUT, DELETE]"
                )))
            }
        }
    }
    Ok(Some(update))
}
