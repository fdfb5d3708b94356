//! Single-item operations: PutItem, GetItem, UpdateItem, DeleteItem.
//!
//! Every write is planned first against the stored state (condition checked, new item built on
//! a copy, new item validated) and only then committed, so a failing request changes nothing.
//! Transactions reuse the same plans.

use serde_json::{json, Map, Value};

use crate::capacity::{read_units, write_units, Consumed, ReturnCapacity};
use crate::db::Database;
use crate::error::{DynamoError, ErrorKind, Result};
use crate::expr::eval::{apply_update, matches, project};
use crate::expr::{Cond, ExprKind, Path, PathElem};
use crate::request::{item_field, opt_bool, opt_str, table_name, Expressions};
use crate::table::{PrimaryKey, Table};
use crate::value::{item_size, item_to_json, Item};

/// What `ReturnValues` asked for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ReturnValues {
    None,
    AllOld,
    UpdatedOld,
    AllNew,
    UpdatedNew,
}

pub(crate) fn return_values(input: &Value, field: &str, allowed: &[&str]) -> Result<ReturnValues> {
    let text = opt_str(input, field)?.unwrap_or("NONE");
    // ReturnValuesOnConditionCheckFailure only knows ALL_OLD and NONE at all.
    let known = field == "ReturnValues" || allowed.contains(&text);
    let rv = match text {
        "NONE" => ReturnValues::None,
        "ALL_OLD" => ReturnValues::AllOld,
        "UPDATED_OLD" if known => ReturnValues::UpdatedOld,
        "ALL_NEW" if known => ReturnValues::AllNew,
        "UPDATED_NEW" if known => ReturnValues::UpdatedNew,
        other => {
            return Err(DynamoError::validation(format!(
                "1 validation error detected: Value '{other}' at '{}' failed to satisfy constraint: Member must satisfy enum value set: [{}]",
                crate::request::lower_first(field),
                if field == "ReturnValues" { "ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW" } else { "ALL_OLD, NONE" }
            )))
        }
    };
    if !allowed.contains(&text) {
        return Err(DynamoError::validation(
            "1 validation error detected: ReturnValues can only be ALL_OLD or NONE",
        ));
    }
    Ok(rv)
}

/// A write computed against the current state, ready to commit.
#[derive(Clone, Debug)]
pub(crate) struct WritePlan {
    pub table: String,
    pub key: PrimaryKey,
    pub old: Option<Item>,
    /// The item after the write (`None`: absent afterwards).
    pub new: Option<Item>,
    /// Whether the plan writes anything (a ConditionCheck, or an update that creates nothing, does not).
    pub writes: bool,
    /// Paths an UpdateItem wrote, for UPDATED_OLD / UPDATED_NEW.
    pub updated: Vec<Path>,
}

impl WritePlan {
    /// The `Attributes` of the response for `rv`, if there are any.
    pub fn attributes(&self, rv: ReturnValues) -> Option<Value> {
        let item = match rv {
            ReturnValues::None => None,
            ReturnValues::AllOld => self.old.clone(),
            ReturnValues::AllNew => self.new.clone(),
            ReturnValues::UpdatedOld => self.old.as_ref().map(|o| project(o, &self.updated)),
            ReturnValues::UpdatedNew => self.new.as_ref().map(|n| project(n, &self.updated)),
        }?;
        (!item.is_empty()).then(|| item_to_json(&item))
    }
}

/// Checks `cond` against the stored item (or an empty one), failing as DynamoDB does.
fn check_condition(cond: Option<&Cond>, old: Option<&Item>, return_old: bool) -> Result<()> {
    let Some(cond) = cond else { return Ok(()) };
    let empty = Item::new();
    if matches(cond, old.unwrap_or(&empty)) {
        return Ok(());
    }
    let mut err = DynamoError::conditional_failed();
    if return_old {
        err.item = old.map(|o| Box::new(item_to_json(o)));
    }
    Err(err)
}

fn return_old_on_failure(input: &Value) -> Result<bool> {
    Ok(return_values(
        input,
        "ReturnValuesOnConditionCheckFailure",
        &["NONE", "ALL_OLD"],
    )? == ReturnValues::AllOld)
}

/// `ConditionExpression`, or the legacy `Expected` (never both).
fn write_condition(exprs: &mut Expressions, input: &Value) -> Result<Option<Cond>> {
    let legacy = crate::legacy::expected(input)?;
    let cond = exprs.condition(input, "ConditionExpression", ExprKind::Condition)?;
    Ok(cond.or(legacy))
}

/// DynamoDB reads a write's expressions (syntax, reserved words, overlapping paths, undefined
/// names and values) and its legacy conditions before it looks the table up: a malformed
/// request to a missing table is a ValidationException, not ResourceNotFoundException.
fn precheck_write(input: &Value, update: bool) -> Result<()> {
    let mut exprs = Expressions::new(input)?;
    if update {
        crate::legacy::attribute_updates(input)?;
        exprs.update(input)?;
    }
    write_condition(&mut exprs, input).map(drop)
}

/// As [`precheck_write`], for GetItem, TransactGetItems and each table of a BatchGetItem.
pub(crate) fn precheck_read(input: &Value) -> Result<()> {
    let mut exprs = Expressions::new(input)?;
    attributes_to_get(input)?;
    exprs.projection(input).map(drop)
}

pub(crate) fn plan_put(db: &Database, input: &Value) -> Result<WritePlan> {
    precheck_write(input, false)?;
    let table = db.table(table_name(input)?)?;
    put_plan(table, item_field(input, "Item")?, input)
}

/// Plans a put of `item` into `table`; `options` holds the request's expressions and
/// `ReturnValuesOnConditionCheckFailure` (`Value::Null`: none, as in a BatchWriteItem).
pub(crate) fn put_plan(table: &Table, item: Item, options: &Value) -> Result<WritePlan> {
    let key = table.validate_item(&item)?;
    let mut exprs = Expressions::new(options)?;
    let cond = write_condition(&mut exprs, options)?;
    exprs.finish()?;
    let old = table.get(&key).cloned();
    check_condition(cond.as_ref(), old.as_ref(), return_old_on_failure(options)?)?;
    Ok(WritePlan {
        table: table.name.clone(),
        key,
        old,
        new: Some(item),
        writes: true,
        updated: Vec::new(),
    })
}

pub(crate) fn request_key(table: &Table, input: &Value) -> Result<PrimaryKey> {
    table.key_from_request(&item_field(input, "Key")?)
}

pub(crate) fn plan_delete(db: &Database, input: &Value) -> Result<WritePlan> {
    precheck_write(input, false)?;
    let table = db.table(table_name(input)?)?;
    delete_plan(table, request_key(table, input)?, input)
}

/// Plans the delete of `key` from `table`; `options` as for [`put_plan`].
pub(crate) fn delete_plan(table: &Table, key: PrimaryKey, options: &Value) -> Result<WritePlan> {
    let mut exprs = Expressions::new(options)?;
    let cond = write_condition(&mut exprs, options)?;
    exprs.finish()?;
    let old = table.get(&key).cloned();
    check_condition(cond.as_ref(), old.as_ref(), return_old_on_failure(options)?)?;
    let writes = old.is_some();
    Ok(WritePlan {
        table: table.name.clone(),
        key,
        old,
        new: None,
        writes,
        updated: Vec::new(),
    })
}

pub(crate) fn plan_check(db: &Database, input: &Value) -> Result<WritePlan> {
    precheck_write(input, false)?;
    let table = db.table(table_name(input)?)?;
    let key = request_key(table, input)?;
    let mut exprs = Expressions::new(input)?;
    let cond = write_condition(&mut exprs, input)?;
    exprs.finish()?;
    if cond.is_none() {
        return Err(DynamoError::validation(
            "1 validation error detected: Value null at 'conditionExpression' failed to satisfy constraint: Member must not be null",
        ));
    }
    let old = table.get(&key).cloned();
    check_condition(cond.as_ref(), old.as_ref(), return_old_on_failure(input)?)?;
    Ok(WritePlan {
        table: table.name.clone(),
        key,
        new: old.clone(),
        old,
        writes: false,
        updated: Vec::new(),
    })
}

pub(crate) fn plan_update(db: &Database, input: &Value) -> Result<WritePlan> {
    precheck_write(input, true)?;
    let table = db.table(table_name(input)?)?;
    let key = request_key(table, input)?;
    let mut exprs = Expressions::new(input)?;
    // The legacy parameter is read first so that giving it beside UpdateExpression is rejected.
    let legacy_update = crate::legacy::attribute_updates(input)?;
    let update = exprs.update(input)?.or(legacy_update);
    let cond = write_condition(&mut exprs, input)?;
    exprs.finish()?;
    let update = update.unwrap_or_default();
    for path in update.paths() {
        if let Some(PathElem::Attr(root)) = path.0.first() {
            if table.schema.names().any(|k| k == root) {
                return Err(DynamoError::validation(format!(
                    "One or more parameter values were invalid: Cannot update attribute {root}. This attribute is part of the key"
                )));
            }
        }
    }
    let old = table.get(&key).cloned();
    check_condition(cond.as_ref(), old.as_ref(), return_old_on_failure(input)?)?;
    let updated: Vec<Path> = update.paths().into_iter().cloned().collect();
    // An update of a missing item creates it, unless it only removes or deletes.
    let creates = old.is_some()
        || !update.set.is_empty()
        || !update.add.is_empty()
        || update.paths().is_empty();
    let new = match &old {
        Some(o) => apply_update(&update, o, true)?,
        None => apply_update(&update, &table.key_item(&key), false)?,
    };
    if !creates {
        return Ok(WritePlan {
            table: table.name.clone(),
            key,
            old,
            new: None,
            writes: false,
            updated,
        });
    }
    // An update's size depends on the stored item, so in a transaction it cancels the action.
    if item_size(&new) > crate::table::MAX_ITEM_SIZE {
        return Err(DynamoError::item_validation(
            "Item size to update has exceeded the maximum allowed size",
        ));
    }
    table.validate_item(&new)?;
    Ok(WritePlan {
        table: table.name.clone(),
        key,
        old,
        new: Some(new),
        writes: true,
        updated,
    })
}

/// Applies a plan to the database, moving its new item into the table.
pub(crate) fn commit(db: &mut Database, plan: WritePlan) -> Result<()> {
    if !plan.writes {
        return Ok(());
    }
    let table = db.table_mut(&plan.table)?;
    match plan.new {
        Some(item) => {
            table.put(plan.key, item);
        }
        None => {
            table.delete(&plan.key);
        }
    }
    Ok(())
}

/// Write capacity of a plan: the larger of the old and new item in 1 KB units, plus one write
/// per index entry added, changed or removed.
pub(crate) fn write_capacity(table: &Table, plan: &WritePlan) -> Consumed {
    let old_size = plan.old.as_ref().map_or(0, item_size);
    let new_size = plan.new.as_ref().map_or(0, item_size);
    let mut consumed = Consumed {
        table: write_units(old_size.max(new_size)),
        ..Consumed::default()
    };
    if !plan.writes {
        return consumed;
    }
    for index in &table.indexes {
        let entry = |item: &Option<Item>| {
            item.as_ref()
                .filter(|i| index.schema.names().all(|n| i.contains_key(n)))
                .map(|i| index.project(i, &table.schema))
        };
        let (before, after) = (entry(&plan.old), entry(&plan.new));
        let units = match (&before, &after) {
            (None, None) => continue,
            (Some(b), Some(a)) => {
                let same_key = index.schema.names().all(|n| b.get(n) == a.get(n));
                if same_key && a == b {
                    continue;
                }
                if same_key {
                    write_units(item_size(a).max(item_size(b)))
                } else {
                    write_units(item_size(a)) + write_units(item_size(b))
                }
            }
            (Some(x), None) | (None, Some(x)) => write_units(item_size(x)),
        };
        let section = if index.global {
            &mut consumed.global_indexes
        } else {
            &mut consumed.local_indexes
        };
        section.insert(index.name.clone(), units);
    }
    consumed
}

fn with_capacity(
    mut out: Map<String, Value>,
    table: &str,
    consumed: &Consumed,
    mode: ReturnCapacity,
) -> Value {
    if mode != ReturnCapacity::None {
        out.insert("ConsumedCapacity".into(), consumed.to_json(table, mode));
    }
    Value::Object(out)
}

fn write_response(
    db: &mut Database,
    input: &Value,
    plan: WritePlan,
    rv: ReturnValues,
) -> Result<Value> {
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let mut out = Map::new();
    if let Some(attrs) = plan.attributes(rv) {
        out.insert("Attributes".into(), attrs);
    }
    // Capacity is only worked out when the request asks for it.
    if mode != ReturnCapacity::None {
        let consumed = write_capacity(db.table(&plan.table)?, &plan);
        out.insert(
            "ConsumedCapacity".into(),
            consumed.to_json(&plan.table, mode),
        );
    }
    commit(db, plan)?;
    Ok(Value::Object(out))
}

pub(crate) fn put_item(db: &mut Database, input: &Value) -> Result<Value> {
    let rv = return_values(input, "ReturnValues", &["NONE", "ALL_OLD"])?;
    let plan = plan_put(db, input)?;
    write_response(db, input, plan, rv)
}

pub(crate) fn delete_item(db: &mut Database, input: &Value) -> Result<Value> {
    let rv = return_values(input, "ReturnValues", &["NONE", "ALL_OLD"])?;
    let plan = plan_delete(db, input)?;
    write_response(db, input, plan, rv)
}

pub(crate) fn update_item(db: &mut Database, input: &Value) -> Result<Value> {
    let rv = return_values(
        input,
        "ReturnValues",
        &["NONE", "ALL_OLD", "UPDATED_OLD", "ALL_NEW", "UPDATED_NEW"],
    )?;
    let plan = plan_update(db, input)?;
    write_response(db, input, plan, rv)
}

/// Paths for a legacy `AttributesToGet` list.
pub(crate) fn attributes_to_get(input: &Value) -> Result<Option<Vec<Path>>> {
    let Some(v) = input.get("AttributesToGet").filter(|v| !v.is_null()) else {
        return Ok(None);
    };
    crate::legacy::check_not_both(
        input,
        "AttributesToGet",
        &[
            "ProjectionExpression",
            "FilterExpression",
            "KeyConditionExpression",
        ],
    )?;
    let list = v.as_array().filter(|l| !l.is_empty()).ok_or_else(|| {
        DynamoError::validation("1 validation error detected: Value '[]' at 'attributesToGet' failed to satisfy constraint: Member must have length greater than or equal to 1")
    })?;
    let mut paths = Vec::new();
    for name in list {
        let name = name.as_str().ok_or_else(|| {
            DynamoError::new(
                ErrorKind::SerializationException,
                "AttributesToGet must hold strings",
            )
        })?;
        if name.len() > crate::table::MAX_ATTRIBUTE_NAME_BYTES {
            return Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: an attribute name in AttributesToGet is longer than the maximum of {} bytes",
                crate::table::MAX_ATTRIBUTE_NAME_BYTES
            )));
        }
        let path = Path(vec![PathElem::Attr(name.to_string())]);
        if paths.contains(&path) {
            return Err(DynamoError::validation(format!(
                "One or more parameter values were invalid: Duplicate value in attribute name: {name}"
            )));
        }
        paths.push(path);
    }
    Ok(Some(paths))
}

/// Reads one item for GetItem and TransactGetItems: the item (projected) and its size.
pub(crate) fn read_one(db: &Database, input: &Value) -> Result<(String, Option<Item>, usize)> {
    let table = db.table(table_name(input)?)?;
    let key = request_key(table, input)?;
    let mut exprs = Expressions::new(input)?;
    // AttributesToGet is read first so that giving it beside ProjectionExpression is rejected.
    let legacy_projection = attributes_to_get(input)?;
    let projection = exprs.projection(input)?.or(legacy_projection);
    exprs.finish()?;
    let item = table.get(&key);
    let size = item.map_or(0, item_size);
    let item = item.map(|i| match &projection {
        Some(paths) => project(i, paths),
        None => i.clone(),
    });
    Ok((table.name.clone(), item, size))
}

pub(crate) fn get_item(db: &mut Database, input: &Value) -> Result<Value> {
    precheck_read(input)?;
    let consistent = opt_bool(input, "ConsistentRead")?.unwrap_or(false);
    let mode = ReturnCapacity::parse(opt_str(input, "ReturnConsumedCapacity")?)?;
    let (table, item, size) = read_one(db, input)?;
    let mut out = Map::new();
    if let Some(item) = item {
        out.insert("Item".into(), item_to_json(&item));
    }
    let consumed = Consumed {
        table: read_units(size, consistent),
        read: true,
        ..Consumed::default()
    };
    Ok(with_capacity(out, &table, &consumed, mode))
}

/// `{"Item": ...}` or `{}`, as TransactGetItems lists its responses.
pub(crate) fn item_entry(item: Option<Item>) -> Value {
    match item {
        Some(i) => json!({ "Item": item_to_json(&i) }),
        None => json!({}),
    }
}
