//! BatchGetItem, BatchWriteItem, TransactGetItems and TransactWriteItems.

use std::borrow::Cow;
use std::collections::BTreeSet;

use serde_json::{json, Map, Value};

use crate::capacity::{read_units, Consumed, ReturnCapacity};
use crate::db::Database;
use crate::error::{DynamoError, ErrorKind, Result};
use crate::expr::ExprKind;
use crate::items::{
    commit, delete_plan, item_entry, plan_check, plan_delete, plan_put, plan_update, precheck_read,
    put_plan, read_one, request_key, write_capacity, WritePlan,
};
use crate::request::{item_field, opt_str, Expressions};
use crate::table::PrimaryKey;
use crate::value::{item_from_json, item_to_json};

const MAX_BATCH_GET_KEYS: usize = 100;
const MAX_BATCH_WRITES: usize = 25;
const MAX_TRANSACT_ITEMS: usize = 100;

fn request_items(input: &Value) -> Result<&Map<String, Value>> {
    let items = input.get("RequestItems").and_then(Value::as_object).ok_or_else(|| {
        DynamoError::validation("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must not be null")
    })?;
    if items.is_empty() {
        return Err(DynamoError::validation(
            "1 validation error detected: Value '{}' at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1",
        ));
    }
    Ok(items)
}

/// The `ConsumedCapacity` list of a batch or transaction, one entry per table.
fn capacity_list(
    entries: Vec<(String, Consumed)>,
    mode: ReturnCapacity,
    transactional: bool,
) -> Option<Value> {
    if mode == ReturnCapacity::None {
        return None;
    }
    let mut merged: Vec<(String, Consumed)> = Vec::new();
    for (table, c) in entries {
        match merged.iter_mut().find(|(t, _)| *t == table) {
            Some((_, m)) => m.merge(&c),
            None => merged.push((table, c)),
        }
    }
    Some(
        merged
            .iter()
            .map(|(t, c)| {
                if transactional {
                    c.to_transaction_json(t, mode)
                } else {
                    c.to_json(t, mode)
                }
            })
            .collect(),
    )
}

pub(crate) fn batch_get_item(db: &mut Database, input: &Value) -> Result<Value> {
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let request = request_items(input)?;
    let total: usize = request
        .values()
        .map(|t| t.get("Keys").and_then(Value::as_array).map_or(0, Vec::len))
        .sum();
    if total > MAX_BATCH_GET_KEYS {
        return Err(DynamoError::validation(
            "Too many items requested for the BatchGetItem call",
        ));
    }
    // One request uses expressions or the legacy parameters, never both, across all its tables.
    let uses = |field: &str| {
        request
            .values()
            .any(|t| t.get(field).is_some_and(|v| !v.is_null()))
    };
    if uses("AttributesToGet") && uses("ProjectionExpression") {
        return Err(DynamoError::validation(
            "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributesToGet} Expression parameters: {ProjectionExpression}",
        ));
    }
    // Every table's projection is read before any table is looked up.
    for spec in request.values() {
        precheck_read(spec)?;
    }
    let mut responses = Map::new();
    let mut consumed = Vec::new();
    for (table_name, spec) in request {
        let table = db.table(table_name)?;
        let keys = spec.get("Keys").and_then(Value::as_array).filter(|k| !k.is_empty()).ok_or_else(|| {
            DynamoError::validation(format!("1 validation error detected: Value at 'RequestItems.{table_name}.member.Keys' failed to satisfy constraint: Member must have length greater than or equal to 1"))
        })?;
        let mut seen = BTreeSet::new();
        for k in keys {
            let key = table.key_from_request(&item_from_json(k)?)?;
            if !seen.insert(key) {
                return Err(DynamoError::validation(
                    "Provided list of item keys contains duplicates",
                ));
            }
        }
        let mut items = Vec::new();
        let mut c = Consumed {
            read: true,
            ..Consumed::default()
        };
        let consistent = spec
            .get("ConsistentRead")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        // The options every key shares; only `Key` changes from one read to the next.
        let mut get: Map<String, Value> = spec
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(field, _)| !matches!(field.as_str(), "Keys" | "ConsistentRead"))
            .map(|(field, v)| (field.clone(), v.clone()))
            .collect();
        get.insert("TableName".into(), Value::String(table_name.clone()));
        let mut get = Value::Object(get);
        for k in keys {
            get["Key"] = k.clone();
            let (_, item, size) = read_one(db, &get)?;
            c.table += read_units(size, consistent);
            if let Some(item) = item {
                items.push(item_to_json(&item));
            }
        }
        consumed.push((table_name.clone(), c));
        responses.insert(table_name.clone(), Value::Array(items));
    }
    let mut out = json!({ "Responses": responses, "UnprocessedKeys": {} });
    if let Some(c) = capacity_list(consumed, mode, false) {
        out["ConsumedCapacity"] = c;
    }
    Ok(out)
}

pub(crate) fn batch_write_item(db: &mut Database, input: &Value) -> Result<Value> {
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let request = request_items(input)?;
    let total: usize = request
        .values()
        .map(|t| t.as_array().map_or(0, Vec::len))
        .sum();
    if total > MAX_BATCH_WRITES {
        return Err(DynamoError::validation(format!(
            "1 validation error detected: Value '{{...}}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MAX_BATCH_WRITES}, Member must have length greater than or equal to 1]"
        )));
    }
    // Plan every request first: a bad one rejects the whole batch and nothing is written.
    let mut plans: Vec<WritePlan> = Vec::with_capacity(total);
    for (table_name, list) in request {
        let table = db.table(table_name)?;
        let list = list.as_array().filter(|l| !l.is_empty()).ok_or_else(|| {
            DynamoError::validation(format!("1 validation error detected: Value '{{{table_name}=[]}}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to {MAX_BATCH_WRITES}, Member must have length greater than or equal to 1]"))
        })?;
        let mut seen: BTreeSet<PrimaryKey> = BTreeSet::new();
        for req in list {
            let plan = match (req.get("PutRequest"), req.get("DeleteRequest")) {
                // A batch request has no expressions: `Value::Null` stands for no options.
                (Some(put), None) => {
                    let item = item_field(put, "Item")?;
                    check_batch_key(table, &item)?;
                    put_plan(table, item, &Value::Null)?
                }
                (None, Some(del)) => {
                    delete_plan(table, request_key(table, del)?, &Value::Null)?
                }
                _ => {
                    return Err(DynamoError::validation(
                        "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes",
                    ))
                }
            };
            if !seen.insert(plan.key.clone()) {
                return Err(DynamoError::validation(
                    "Provided list of item keys contains duplicates",
                ));
            }
            plans.push(plan);
        }
    }
    // Capacity is only worked out when the request asks for it.
    let mut consumed = Vec::new();
    for plan in plans {
        if mode != ReturnCapacity::None {
            consumed.push((
                plan.table.clone(),
                write_capacity(db.table(&plan.table)?, &plan),
            ));
        }
        commit(db, plan)?;
    }
    let mut out = json!({ "UnprocessedItems": {} });
    if let Some(c) = capacity_list(consumed, mode, false) {
        out["ConsumedCapacity"] = c;
    }
    Ok(out)
}

/// What a transaction action can be refused for without reading any table: an item that does
/// not parse, expressions that do not parse, values or names no expression uses.
fn precheck_action(action: &str, spec: &Value) -> Result<()> {
    if action == "Put" {
        item_field(spec, "Item")?;
    } else if let Some(key) = spec.get("Key").filter(|k| !k.is_null()) {
        item_from_json(key)?;
    }
    let mut exprs = Expressions::new(spec)?;
    if action == "Update" {
        exprs.update(spec)?;
    }
    exprs.condition(spec, "ConditionExpression", ExprKind::Condition)?;
    exprs.finish()
}

/// A batch PutRequest whose item lacks a key attribute, or holds one of the wrong type, gets
/// DynamoDB's batch wording rather than PutItem's.
fn check_batch_key(table: &crate::table::Table, item: &crate::value::Item) -> Result<()> {
    let schema = &table.schema;
    for key in std::iter::once(&schema.hash).chain(schema.range.as_ref()) {
        let matches = item
            .get(&key.name)
            .and_then(crate::table::KeyValue::from_attribute)
            .is_some_and(|v| v.scalar_type() == key.ty);
        if !matches {
            return Err(DynamoError::validation(
                "The provided key element does not match the schema",
            ));
        }
    }
    Ok(())
}

fn transact_items(input: &Value) -> Result<&Vec<Value>> {
    let items = input.get("TransactItems").and_then(Value::as_array).ok_or_else(|| {
        DynamoError::validation("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must not be null")
    })?;
    if items.is_empty() || items.len() > MAX_TRANSACT_ITEMS {
        return Err(DynamoError::validation(format!(
            "1 validation error detected: Value '[...]' at 'transactItems' failed to satisfy constraint: Member must have length {} {MAX_TRANSACT_ITEMS}",
            if items.is_empty() { "greater than or equal to 1, and less than or equal to" } else { "less than or equal to" }
        )));
    }
    Ok(items)
}

pub(crate) fn transact_get_items(db: &mut Database, input: &Value) -> Result<Value> {
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let mut responses = Vec::new();
    let mut consumed = Vec::new();
    for entry in transact_items(input)? {
        let get = entry
            .get("Get")
            .ok_or_else(|| DynamoError::validation("Each TransactItem must have a Get"))?;
        let get = without_idle_names("Get", get);
        precheck_read(&get)?;
        let (table, item, size) = read_one(db, &get)?;
        consumed.push((
            table,
            Consumed {
                table: 2.0 * read_units(size, true),
                read: true,
                ..Consumed::default()
            },
        ));
        responses.push(item_entry(item));
    }
    let mut out = json!({ "Responses": responses });
    if let Some(c) = capacity_list(consumed, mode, true) {
        out["ConsumedCapacity"] = c;
    }
    Ok(out)
}

/// Largest TransactWriteItems request DynamoDB accepts, in bytes.
const MAX_TRANSACTION_BYTES: usize = 4 * 1024 * 1024;

/// DynamoDB accepts names and values on a transaction Put, Delete or Get that has no
/// expression at all, and ignores them (PutItem, DeleteItem and GetItem reject them).
fn without_idle_names<'a>(action: &str, spec: &'a Value) -> Cow<'a, Value> {
    let expression = match action {
        "Put" | "Delete" => "ConditionExpression",
        "Get" => "ProjectionExpression",
        _ => return Cow::Borrowed(spec),
    };
    let present = |k: &str| spec.get(k).is_some_and(|v| !v.is_null());
    if present(expression)
        || !(present("ExpressionAttributeNames") || present("ExpressionAttributeValues"))
    {
        return Cow::Borrowed(spec);
    }
    let mut owned = spec.clone();
    if let Some(obj) = owned.as_object_mut() {
        obj.remove("ExpressionAttributeNames");
        obj.remove("ExpressionAttributeValues");
    }
    Cow::Owned(owned)
}

/// The one action of a TransactItems entry: its name and its parameters.
fn single_action(entry: &Value) -> Result<(&str, &Value)> {
    let obj = entry.as_object().filter(|o| o.len() == 1).ok_or_else(|| {
        DynamoError::validation(
            "TransactItems can only contain one of Check, Put, Update or Delete",
        )
    })?;
    match obj.iter().next() {
        Some((action, spec)) => Ok((action.as_str(), spec)),
        None => Err(DynamoError::validation(
            "TransactItems can only contain one of Check, Put, Update or Delete",
        )),
    }
}

/// The table and key an action targets, when they can be read.
fn action_key(db: &Database, action: &str, spec: &Value) -> Option<(String, PrimaryKey)> {
    let name = spec.get("TableName")?.as_str()?;
    let table = db.table(name).ok()?;
    let key = if action == "Put" {
        table
            .key_of_item(&item_from_json(spec.get("Item")?).ok()?)
            .ok()?
    } else {
        table
            .key_from_request(&item_from_json(spec.get("Key")?).ok()?)
            .ok()?
    };
    Some((name.to_string(), key))
}

fn cancelled(reasons: Vec<Value>) -> DynamoError {
    let codes: Vec<&str> = reasons
        .iter()
        .map(|r| r["Code"].as_str().unwrap_or("None"))
        .collect();
    let mut err = DynamoError::new(
        ErrorKind::TransactionCanceledException,
        format!(
            "Transaction cancelled, please refer cancellation reasons for specific reasons [{}]",
            codes.join(", ")
        ),
    );
    err.cancellation_reasons = reasons;
    err
}

pub(crate) fn transact_write_items(db: &mut Database, input: &Value) -> Result<Value> {
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let items = transact_items(input)?;
    // A repeated ClientRequestToken with the same request succeeds without writing again.
    let token = opt_str(input, "ClientRequestToken")?;
    if let Some(token) = token {
        if token.is_empty() || token.chars().count() > 36 {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{token}' at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36"
            )));
        }
        if let Some(previous) = db.transaction_tokens.get(token) {
            if previous.as_array() == Some(items) {
                return Ok(json!({}));
            }
            return Err(DynamoError::new(
                ErrorKind::IdempotentParameterMismatchException,
                "Request token was used with different request parameters",
            ));
        }
    }
    if serde_json::to_string(items).map_or(0, |t| t.len()) > MAX_TRANSACTION_BYTES {
        return Err(DynamoError::validation(
            "Transaction request size cannot exceed 4 MB",
        ));
    }
    // Every action's item and expressions are read, in request order, before any table is
    // looked up or any two actions are compared.
    for entry in items {
        let (action, spec) = single_action(entry)?;
        precheck_action(action, &without_idle_names(action, spec))?;
    }
    // One action per item, ConditionChecks included.
    let mut seen: BTreeSet<(String, PrimaryKey)> = BTreeSet::new();
    for entry in items {
        let (action, spec) = single_action(entry)?;
        if let Some(key) = action_key(db, action, spec) {
            if !seen.insert(key) {
                return Err(DynamoError::validation(
                    "Transaction request cannot include multiple operations on one item",
                ));
            }
        }
    }
    let mut plans = Vec::new();
    let mut reasons = Vec::new();
    let mut failed = false;
    for (i, entry) in items.iter().enumerate() {
        let (action, spec) = single_action(entry)?;
        let spec = without_idle_names(action, spec);
        let result = match action {
            "Put" => plan_put(db, &spec),
            "Update" => plan_update(db, &spec),
            "Delete" => plan_delete(db, &spec),
            "ConditionCheck" => plan_check(db, &spec),
            other => {
                return Err(DynamoError::validation(format!(
                    "TransactItems can only contain one of Check, Put, Update or Delete; found: {other}"
                )))
            }
        };
        match result {
            Ok(plan) => {
                reasons.push(json!({ "Code": "None" }));
                plans.push(plan);
            }
            Err(e) if e.kind == ErrorKind::ConditionalCheckFailedException => {
                failed = true;
                let mut reason = json!({ "Code": "ConditionalCheckFailed", "Message": "The conditional request failed" });
                if let Some(item) = e.item {
                    reason["Item"] = *item;
                }
                reasons.push(reason);
            }
            // Item validation happens before any condition is checked: the first invalid
            // item cancels the transaction and every other action reports no reason.
            Err(e) if e.item_level => {
                let reasons = (0..items.len())
                    .map(|j| {
                        if j == i {
                            json!({ "Code": "ValidationError", "Message": e.message })
                        } else {
                            json!({ "Code": "None" })
                        }
                    })
                    .collect();
                return Err(cancelled(reasons));
            }
            Err(e) => return Err(e),
        }
    }
    if failed {
        return Err(cancelled(reasons));
    }
    if let Some(token) = token {
        db.transaction_tokens
            .insert(token.to_string(), Value::Array(items.clone()));
    }
    let mut consumed = Vec::new();
    for plan in plans.iter().filter(|_| mode != ReturnCapacity::None) {
        consumed.push((
            plan.table.clone(),
            write_capacity(db.table(&plan.table)?, plan).scaled(2.0),
        ));
    }
    for plan in plans {
        commit(db, plan)?;
    }
    let mut out = json!({});
    if let Some(c) = capacity_list(consumed, mode, true) {
        out["ConsumedCapacity"] = c;
    }
    Ok(out)
}
