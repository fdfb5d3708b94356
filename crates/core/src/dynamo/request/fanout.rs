//! The fan-out of an update to the copies of what it changes
//! ([`crate::model::copies`]) in the single table: find the items holding a
//! copy, then update each. They are found by a Query of the design's own
//! read of the copying entity by the copy's `via` (its index or the table's
//! item collection), or, when no read finds them, by a Scan of the table
//! filtered on the entity's type and `via` (flagged: it reads the whole
//! table). A copy stored inside its parent's item (a list of maps) is found by
//! a Scan of the parent's items, and each element holding the source's id is
//! updated by its position, `SET #comments[2].#author = :copy`, on the
//! condition that the element still holds that id.

use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use super::super::expr::Names;
use super::super::plan::Path;
use super::super::sdk::{indent, page_loop, sdk_statement, Operation};
use super::super::TYPE_ATTRIBUTE;
use super::{order_input, with_expressions, DynamoContext, DynamoRequest, Inputs};
use crate::model::*;
use crate::names::{plural, upper_first, words};
use crate::sample::{Val, SAMPLE_WORDS};

/// The requests that keep one copy equal to its source after an update.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct DynamoFanout {
    /// The copy, `Post.authorName`.
    pub copy: String,
    /// Its source, `User.name`.
    pub source: String,
    /// The request finding the items that hold the copy (a Query, or a Scan),
    /// in the DynamoDB JSON API shape; read every page (`LastEvaluatedKey`).
    pub find: Value,
    /// The index the Query reads, when it reads one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    /// The UpdateItem of each item found, in the DynamoDB JSON API shape, its
    /// `Key` the found item's table key (absent here); for a copy inside a
    /// list, `#list[0]` stands for the position of each element found.
    pub update: Value,
    /// The copying entity's field holding the source's id (`authorId`): the
    /// guard of each update, and which elements of a list hold a copy.
    pub via: String,
    /// The list attribute holding the copies inside the found items, for a copy
    /// stored inside its parent's item.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    /// About how many copies one source item has (the items updated).
    pub copies: f64,
    /// The size of an item updated.
    pub item_bytes: u64,
    /// The bytes the find reads: the copies' items for a Query, every item of
    /// the table for a Scan.
    pub find_bytes: u64,
    /// Why the copies take a Scan, when they do.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scan: Option<String>,
}

impl DynamoFanout {
    /// The UpdateItem inputs that rewrite the copies in one `item` the find
    /// returned (a DynamoDB JSON item): one keyed on the item's table key
    /// (`pk`, `sk`), or, for a copy in a list attribute, one per element whose
    /// `via` holds the source's id, `[0]` replaced by its position. What the
    /// application sends for each item of each page; the verifier does.
    pub fn updates_for(&self, item: &Value, pk: &str, sk: &str) -> Vec<Value> {
        let Some(mut input) = self.update.get("input").and_then(Value::as_object).cloned() else {
            return Vec::new();
        };
        let (Some(pk_value), Some(sk_value)) = (item.get(pk), item.get(sk)) else {
            return Vec::new();
        };
        input.insert("Key".into(), json!({ pk: pk_value, sk: sk_value }));
        let Some(list) = &self.list else {
            return vec![Value::Object(order_input(input))];
        };
        let id = input
            .get("ExpressionAttributeValues")
            .and_then(|v| v.get(":id"))
            .cloned();
        let via = self.via.as_str();
        let elements = item
            .get(list)
            .and_then(|l| l.get("L"))
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        elements
            .iter()
            .enumerate()
            .filter(|(_, e)| id.is_some() && e.get("M").and_then(|m| m.get(via)) == id.as_ref())
            .map(|(i, _)| {
                let mut one = input.clone();
                for key in ["UpdateExpression", "ConditionExpression"] {
                    if let Some(Value::String(text)) = one.get(key) {
                        let at = text.replace("[0]", &format!("[{i}]"));
                        one.insert(key.into(), Value::String(at));
                    }
                }
                Value::Object(order_input(one))
            })
            .collect()
    }
}

impl DynamoContext<'_> {
    /// The request with the fan-out of its update to the copies it leaves
    /// stale, rendered from the update's record (`sample`: the layout's
    /// record, whose increments add the pattern's sample amount); its SDK code
    /// follows the request's own.
    pub(in crate::dynamo) fn with_fanout(
        &self,
        pattern: &AccessPattern,
        mut request: DynamoRequest,
        record: &Val,
        sample: bool,
    ) -> DynamoRequest {
        let Some(entity) = self.design.entity(&pattern.entity) else {
            return request;
        };
        let action = pattern.update.unwrap_or_default();
        let prefix = crate::names::camel(&pattern.name);
        let id = record
            .get(&entity.id_name())
            .cloned()
            .unwrap_or(Val::Str(String::new()));
        for copy in self.design.fanout_copies(pattern) {
            let field = &copy.source.field;
            let value = match (action, record.get(field)) {
                (UpdateAction::Increment, Some(v)) if !sample => v.clone(),
                (UpdateAction::Increment, _) => Val::Int(pattern.increment_sample(field)),
                (_, v) => v.cloned().unwrap_or(Val::Str(String::new())),
            };
            let Some(fanout) = self.fanout_of(copy, action, &id, &value) else {
                continue;
            };
            request.sdk.push_str("\n\n");
            request.sdk.push_str(&fanout_sdk(
                &self.design.dynamo,
                &fanout,
                copy,
                &id,
                &prefix,
            ));
            request.fanout.push(fanout);
        }
        request
    }

    /// The layout's request with its fan-out, from sample record 0.
    pub(crate) fn sample_fanout(
        &self,
        pattern: &AccessPattern,
        request: DynamoRequest,
    ) -> DynamoRequest {
        let Some(entity) = self.design.entity(&pattern.entity) else {
            return request;
        };
        if self.design.fanout_copies(pattern).is_empty() {
            return request;
        }
        let record = Val::Object(self.deriver.record(entity, 0));
        self.with_fanout(pattern, request, &record, true)
    }

    fn fanout_of(
        &self,
        copy: Copy<'_>,
        action: UpdateAction,
        id: &Val,
        value: &Val,
    ) -> Option<DynamoFanout> {
        let d = &self.deriver;
        let dynamo = &self.design.dynamo;
        let home = d.home_of(&copy.entity.name)?;
        let via = &copy.source.via;
        let mut names = Names::default();
        let mut values = Vec::new();
        let (find, index, list, scan, item_bytes) = match &home.embedded {
            Some(list) => {
                let parent = home.parent.clone().unwrap_or_default();
                let mut input = Map::new();
                input.insert("TableName".into(), json!(dynamo.table_name));
                let t = names.name(TYPE_ATTRIBUTE);
                input.insert("FilterExpression".into(), json!(format!("{t} = :type")));
                let find =
                    with_expressions(input, &names, &[(":type".into(), Val::Str(parent.clone()))]);
                let bytes = self
                    .design
                    .entity(&parent)
                    .map_or(0, |p| d.average_item_bytes(p));
                let why = format!(
                    "{} are stored inside their {}'s item ({list}): no key or index finds the {} items whose {list} name a given {} in {via}; a Scan of every {} item finds them",
                    plural(&words(&copy.entity.name)),
                    words(&parent),
                    words(&parent),
                    words(&copy.source.entity),
                    words(&parent)
                );
                names = Names::default();
                (
                    scan_request(find),
                    None,
                    Some(list.clone()),
                    Some(why),
                    bytes,
                )
            }
            None => {
                let bytes = d.average_item_bytes(copy.entity);
                match self.query_by(copy, id) {
                    Some((find, index)) => (find, index, None, None, bytes),
                    None => {
                        let mut input = Map::new();
                        input.insert("TableName".into(), json!(dynamo.table_name));
                        let t = names.name(TYPE_ATTRIBUTE);
                        let v = names.name(via);
                        input.insert(
                            "FilterExpression".into(),
                            json!(format!("{t} = :type AND {v} = :id")),
                        );
                        let find = with_expressions(
                            input,
                            &names,
                            &[
                                (":type".into(), Val::Str(copy.entity.name.clone())),
                                (":id".into(), id.clone()),
                            ],
                        );
                        names = Names::default();
                        let why = format!(
                            "no read of {} by {via} is in the design, so no key or index finds them: a Scan of the whole table does",
                            plural(&words(&copy.entity.name))
                        );
                        (scan_request(find), None, None, Some(why), bytes)
                    }
                }
            }
        };
        // The update of each item found.
        let target = match &list {
            Some(list) => format!("{}[0].{}", names.name(list), names.name(&copy.field.name)),
            None => names.name(&copy.field.name),
        };
        let guard = match &list {
            Some(list) => format!("{}[0].{}", names.name(list), names.name(via)),
            None => names.name(via),
        };
        let set = match action {
            UpdateAction::Set => format!("SET {target} = :copy"),
            UpdateAction::Increment => format!("SET {target} = {target} + :copy"),
            UpdateAction::Push => {
                values.push((":empty".to_string(), Val::Array(Vec::new())));
                format!("SET {target} = list_append(if_not_exists({target}, :empty), :copy)")
            }
        };
        let copied = match action {
            UpdateAction::Push => Val::Array(vec![value.clone()]),
            _ => value.clone(),
        };
        values.insert(0, (":copy".to_string(), copied));
        values.push((":id".to_string(), id.clone()));
        let mut input = Map::new();
        input.insert("TableName".into(), json!(dynamo.table_name));
        input.insert("UpdateExpression".into(), json!(set));
        input.insert(
            "ConditionExpression".into(),
            json!(format!("{guard} = :id")),
        );
        let update = json!({
            "operation": Operation::UpdateItem.name(),
            "input": order_input(with_expressions(input, &names, &values)),
        });
        Some(DynamoFanout {
            copy: format!("{}.{}", copy.entity.name, copy.field.name),
            source: format!("{}.{}", copy.source.entity, copy.source.field),
            find,
            index,
            update,
            via: via.clone(),
            list,
            copies: self.design.copies_per_source(copy),
            find_bytes: if scan.is_some() {
                self.table_bytes()
            } else {
                (self.design.copies_per_source(copy) * item_bytes as f64).ceil() as u64
            },
            item_bytes,
            scan,
        })
    }

    /// About how many bytes the table's items hold, each entity's volume of
    /// its average item (what a Scan reads).
    fn table_bytes(&self) -> u64 {
        self.design
            .entities
            .iter()
            .filter(|e| {
                self.deriver
                    .home_of(&e.name)
                    .is_some_and(|h| h.embedded.is_none())
            })
            .map(|e| e.volume.saturating_mul(self.deriver.average_item_bytes(e)))
            .fold(0u64, u64::saturating_add)
    }

    /// The Query of the design's own read of the copying entity by `via`
    /// alone (a list, count or getOne whose access path is a Query), with
    /// every page read: no `Limit`, no `Select`.
    fn query_by(&self, copy: Copy<'_>, id: &Val) -> Option<(Value, Option<String>)> {
        let via = &copy.source.via;
        let record = Val::Object(vec![(via.clone(), id.clone())]);
        self.design
            .access_patterns
            .iter()
            .zip(&self.plans)
            .filter(|(p, _)| {
                p.entity == copy.entity.name
                    && matches!(
                        p.kind,
                        PatternKind::List | PatternKind::Count | PatternKind::GetOne
                    )
                    && p.equality == [via.clone()]
                    && p.range.is_none()
            })
            .find_map(|(p, plan)| {
                let path = &plan.as_ref()?.path;
                if !matches!(path, Path::TablePartition { .. } | Path::Index { .. }) {
                    return None;
                }
                let inputs = Inputs {
                    record: &record,
                    children: &[],
                    parent: None,
                    words: SAMPLE_WORDS,
                    sample_amounts: true,
                };
                let r = self.deriver.request(p, path, &inputs)?;
                if r.operation != Operation::Query.name() {
                    return None;
                }
                let mut input = r.input.get("input")?.as_object()?.clone();
                for k in [
                    "Limit",
                    "Select",
                    "ScanIndexForward",
                    "ProjectionExpression",
                ] {
                    input.remove(k);
                }
                Some((
                    json!({ "operation": "Query", "input": input }),
                    r.index.clone(),
                ))
            })
    }
}

fn scan_request(input: Map<String, Value>) -> Value {
    json!({ "operation": Operation::Scan.name(), "input": order_input(input) })
}

/// The SDK code of a fan-out, its names starting with `prefix` (the
/// pattern's, so two fan-outs in one script never clash): the find and every
/// page after it (`ExclusiveStartKey`), then a loop over the items found
/// updating each copy, on the condition that it still names the source. For a
/// copy in a list, the update of each element holding the source's id is
/// shown as comments: choosing the elements takes a condition the console's
/// JavaScript subset has no statement for.
fn fanout_sdk(
    dynamo: &DynamoChoices,
    f: &DynamoFanout,
    copy: Copy<'_>,
    id: &Val,
    prefix: &str,
) -> String {
    let table = &dynamo.table_name;
    let input = |v: &Value| {
        v.get("input")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default()
    };
    let find_op = f
        .find
        .get("operation")
        .and_then(Value::as_str)
        .and_then(Operation::from_name)
        .unwrap_or(Operation::Scan);
    let binding = format!("{prefix}{}Copies", upper_first(&copy.field.name));
    let find_input = input(&f.find);
    let find = sdk_statement(table, find_op, &find_input, Some(&binding));
    let pages = page_loop(&binding, table, find_op, &find_input);
    let all = format!("{binding}All");
    let mut update = input(&f.update);
    update.insert("Key".into(), json!("KEY"));
    let key = format!(
        "{{ {pk}: item.{pk}, {sk}: item.{sk} }}",
        pk = dynamo.partition_key,
        sk = dynamo.sort_key
    );
    let how = match &f.scan {
        Some(why) => format!("// A Scan: {why}\n"),
        None => match &f.index {
            Some(index) => format!("// Found by {} through {index}\n", copy.source.via),
            None => format!(
                "// Found by {} in the table's item collection\n",
                copy.source.via
            ),
        },
    };
    let header = format!(
        "// Fan-out: the copies of {} in {} ({}, about {} per {}) take its new value\n{how}",
        f.source,
        plural(&words(&copy.entity.name)),
        f.copy,
        copies_text(f.copies),
        words(&copy.source.entity),
    );
    let at = format!("{binding}At");
    let each = match &f.list {
        None => {
            let statement = sdk_statement(table, Operation::UpdateItem, &order_input(update), None)
                .replace("'KEY'", &key);
            format!(
                "// then each copy found takes the new value, on the condition that it still names this {}\nlet {at} = 0\nwhile ({at} < {all}.length) {{\n  const item = {all}[{at}]\n{}\n  {at} = {at} + 1\n}}",
                words(&copy.source.entity),
                indent(&statement)
            )
        }
        Some(list) => {
            let expr = text_of(&update, "UpdateExpression").replace("[0]", "[${i}]");
            let cond = text_of(&update, "ConditionExpression").replace("[0]", "[${i}]");
            update.insert("UpdateExpression".into(), json!("EXPR"));
            update.insert("ConditionExpression".into(), json!("COND"));
            let id = crate::js::js_literal(&crate::dynamo::unmarshall(&id.to_attribute()), 0);
            let statement = sdk_statement(table, Operation::UpdateItem, &order_input(update), None)
                .replace("'KEY'", &key)
                .replace("'EXPR'", &format!("`{expr}`"))
                .replace("'COND'", &format!("`{cond}`"));
            let commented: Vec<String> = statement.lines().map(|l| format!("//   {l}")).collect();
            format!(
                "// then, for each item of {all}, for each position i of item.{list} whose element's {} is {id}:\n{}",
                copy.source.via,
                commented.join("\n")
            )
        }
    };
    format!("{header}{find}\n{pages}\n{each}")
}

/// A string of an input, empty when absent.
fn text_of(input: &Map<String, Value>, key: &str) -> String {
    input
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string()
}

/// About how many copies: a whole number grouped (`20`, `1,000`), else one decimal.
pub(crate) fn copies_text(copies: f64) -> String {
    if copies.fract() == 0.0 {
        crate::numbers::grouped(copies as u64)
    } else {
        crate::numbers::grouped_decimal(copies, 1)
    }
}
