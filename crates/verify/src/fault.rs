//! Faults injected into the derived requests before they run, so tests can check that the
//! verifier catches a broken derivation without any change to the derivation itself.

use std::fmt;

use schemaplay_core::model::TTL_ATTRIBUTE;
use serde_json::{json, Value};

use crate::layout::Db;

/// A way to break a derivation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Writes leave out the secondary-index key attributes they (re)write: a put stores the
    /// item without them, an update does not rewrite them. DynamoDB only (MongoDB maintains its
    /// own indexes).
    DropKeyRewrite,
    /// Sort-key values (the table's and derived indexes') are encoded with their digits
    /// complemented (`0`↔`9`), in writes and key conditions alike: keys still match, number and
    /// date order is reversed. DynamoDB only.
    ReverseSortKey,
    /// The requests of the named write pattern are never sent.
    SkipWrite(String),
    /// Writes lose their guards: DynamoDB's `ConditionExpression`, the pattern's guard and
    /// version in a MongoDB update's filter.
    DropGuard,
    /// Numbers in keys are written as plain text (`352.95`, `-5`) instead of the
    /// order-preserving form (`0000000000000000352.95`), in writes and key conditions alike:
    /// keys still match, number order is text order. DynamoDB only.
    PlainNumberKeys,
    /// An update that changes the item's own key does not move the item: instead of deleting
    /// it and putting it under its new key, it updates it where it is, under its old key.
    /// DynamoDB only.
    KeyStaysInPlace,
    /// A case-insensitive match is sent without its collation (`{ locale: 'en', strength: 2 }`):
    /// it compares letters with their case, and finds no index built with the collation.
    /// MongoDB only (DynamoDB matches the lowercased key).
    DropCollation,
    /// A versioned update still adds one to the version but no longer checks it: a write that
    /// read a stale version goes through (a lost update).
    DropVersion,
    /// A multi-item transaction's writes are sent one by one, each on its own, with no
    /// transaction: those before one that fails stay written.
    SplitTransaction,
    /// A paged list's next page drops the `_id` tie-breaker: it sorts on the field alone and
    /// asks only for sort values after the last document's, losing the documents that share
    /// its value and had not fit on its page. MongoDB only.
    DropTieBreaker,
    /// Every next page of a paged list starts at the first page's `LastEvaluatedKey` instead
    /// of the page before's: the second page again and again. DynamoDB only.
    FirstStartKey,
    /// An update that sets the date an entity's TTL is computed from leaves the item's `ttl`
    /// attribute as it was: the item expires at its old date. DynamoDB only (MongoDB's TTL
    /// index reads the date itself).
    StaleTtl,
    /// A parent's delete leaves its children: the cleanup core derives after it (MongoDB's
    /// `deleteMany`, DynamoDB's Query and BatchWriteItem) is never sent.
    SkipCascade,
    /// A delete leaves its many-to-many pairs: the cleanup core derives for them (MongoDB's
    /// `$pull` from the holders' id arrays, DynamoDB's Query and BatchWriteItem of the link
    /// items) is never sent, so the other side still lists the deleted record.
    SkipLinkCleanup,
    /// A delete's transaction leaves out the ADDs that take the item out of its counter items:
    /// the counts and sums they hold drift up. DynamoDB only.
    SkipCounterOnDelete,
    /// An update of a field other entities copy (`copyOf`) leaves the copies as they were: the
    /// fan-out core derives after it (MongoDB's `updateMany`, DynamoDB's find and the UpdateItem
    /// of each copy) is never sent.
    SkipCopyFanOut,
}

/// A fault and the layout it breaks.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Injection {
    pub db: Db,
    pub fault: Fault,
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::DropKeyRewrite => f.write_str("drop key rewrite"),
            Fault::ReverseSortKey => f.write_str("reverse sort key"),
            Fault::SkipWrite(p) => write!(f, "skip write \"{p}\""),
            Fault::DropGuard => f.write_str("drop guard"),
            Fault::PlainNumberKeys => f.write_str("plain number keys"),
            Fault::KeyStaysInPlace => f.write_str("key stays in place"),
            Fault::DropCollation => f.write_str("drop collation"),
            Fault::DropVersion => f.write_str("drop version"),
            Fault::SplitTransaction => f.write_str("split transaction"),
            Fault::DropTieBreaker => f.write_str("drop tie-breaker"),
            Fault::FirstStartKey => f.write_str("first start key"),
            Fault::StaleTtl => f.write_str("stale ttl"),
            Fault::SkipCascade => f.write_str("skip cascade"),
            Fault::SkipLinkCleanup => f.write_str("skip link cleanup"),
            Fault::SkipCounterOnDelete => f.write_str("skip counter on delete"),
            Fault::SkipCopyFanOut => f.write_str("skip copy fan-out"),
        }
    }
}

/// The key attributes a DynamoDB fault needs to know.
#[derive(Clone, Debug, Default)]
pub struct KeyAttributes {
    /// The table's partition and sort keys.
    pub table_keys: Vec<String>,
    /// The table's sort key and each derived index's sort key attribute.
    pub sort_keys: Vec<String>,
    /// Attributes that only hold derived index keys (`GSI1PK`, `GSI1SK`, `LSI1SK`).
    pub index_keys: Vec<String>,
}

/// Applies a fault to one DynamoDB request; false when the request must not be sent.
pub fn apply_dynamo(fault: &Fault, keys: &KeyAttributes, input: &mut Value) -> bool {
    match fault {
        // The version check is dropped by `drop_version_check`, which knows the pattern.
        Fault::SkipWrite(_)
        | Fault::DropCollation
        | Fault::DropVersion
        | Fault::SplitTransaction
        | Fault::DropTieBreaker
        | Fault::FirstStartKey
        | Fault::SkipCascade
        | Fault::SkipLinkCleanup
        | Fault::SkipCounterOnDelete
        | Fault::SkipCopyFanOut => true,
        Fault::DropGuard => {
            for_each_action(input, &mut |action| {
                if let Some(m) = action.as_object_mut() {
                    m.remove("ConditionExpression");
                }
                drop_unused_placeholders(action);
            });
            true
        }
        Fault::StaleTtl => {
            for_each_action(input, &mut |action| {
                let Some(m) = action.as_object_mut() else {
                    return;
                };
                if let Some(Value::String(update)) = m.get("UpdateExpression").cloned() {
                    let names = m.get("ExpressionAttributeNames").cloned();
                    let kept = drop_assignments(&update, &|target| {
                        resolve(target, names.as_ref()) == TTL_ATTRIBUTE
                    });
                    m.insert("UpdateExpression".into(), Value::String(kept));
                }
                drop_unused_placeholders(action);
            });
            true
        }
        Fault::DropKeyRewrite => {
            for_each_action(input, &mut |action| {
                let Some(m) = action.as_object_mut() else {
                    return;
                };
                if let Some(Value::Object(item)) = m.get_mut("Item") {
                    item.retain(|k, _| !keys.index_keys.contains(k));
                }
                if let Some(Value::String(update)) = m.get("UpdateExpression").cloned() {
                    let names = m.get("ExpressionAttributeNames").cloned();
                    let kept = drop_assignments(&update, &|target| {
                        let name = resolve(target, names.as_ref());
                        keys.index_keys.contains(&name)
                    });
                    m.insert("UpdateExpression".into(), Value::String(kept));
                }
                drop_unused_placeholders(action);
            });
            true
        }
        Fault::PlainNumberKeys => {
            let key_attrs: Vec<&String> = keys
                .table_keys
                .iter()
                .chain(&keys.sort_keys)
                .chain(&keys.index_keys)
                .collect();
            for_each_action(input, &mut |action| {
                let Some(m) = action.as_object_mut() else {
                    return;
                };
                key_values(m, &|k| key_attrs.iter().any(|a| *a == k), plain_numbers);
                if let Some(Value::Array(keys)) = m
                    .get_mut("RequestItems")
                    .and_then(Value::as_object_mut)
                    .and_then(|t| t.values_mut().next())
                    .and_then(|t| t.get_mut("Keys"))
                {
                    for key in keys.iter_mut().filter_map(Value::as_object_mut) {
                        key.values_mut().for_each(plain_numbers);
                    }
                }
                let bound = match m.get("KeyConditionExpression").and_then(Value::as_str) {
                    Some(cond) => tokens(cond)
                        .filter(|t| t.starts_with(':'))
                        .map(str::to_string)
                        .collect(),
                    None => Vec::new(),
                };
                let rewritten: Vec<String> = match m.get("UpdateExpression").and_then(Value::as_str)
                {
                    // The values an update writes into key attributes.
                    Some(update) => assignments_to(update, &|target| {
                        let names = m.get("ExpressionAttributeNames");
                        key_attrs.contains(&&resolve(target, names))
                    }),
                    None => Vec::new(),
                };
                if let Some(Value::Object(values)) = m.get_mut("ExpressionAttributeValues") {
                    for p in bound.iter().chain(&rewritten) {
                        if let Some(v) = values.get_mut(p) {
                            plain_numbers(v);
                        }
                    }
                }
            });
            true
        }
        Fault::KeyStaysInPlace => {
            stay_in_place(input, keys);
            true
        }
        Fault::ReverseSortKey => {
            for_each_action(input, &mut |action| {
                let Some(m) = action.as_object_mut() else {
                    return;
                };
                key_values(
                    m,
                    &|k| keys.sort_keys.iter().any(|a| a == k),
                    complement_string,
                );
                let bound = match m.get("KeyConditionExpression").and_then(Value::as_str) {
                    Some(cond) => sort_placeholders(cond),
                    None => Vec::new(),
                };
                if let Some(Value::Object(values)) = m.get_mut("ExpressionAttributeValues") {
                    for p in bound {
                        if let Some(v) = values.get_mut(&p) {
                            complement_string(v);
                        }
                    }
                }
            });
            true
        }
    }
}

/// Leaves out of a transaction the updates of counter items (those that `ADD` to
/// `counted`, the attribute counting a group's items).
pub fn drop_counter_updates(input: &mut Value, counted: &str) {
    let Some(Value::Array(actions)) = input.get_mut("TransactItems") else {
        return;
    };
    actions.retain(|a| {
        let update = a
            .get("Update")
            .and_then(|u| u.get("UpdateExpression"))
            .and_then(Value::as_str);
        !update.is_some_and(|u| u.contains(&format!("ADD {counted} ")))
    });
}

/// Applies `f` to the attributes `picked` picks of a request's `Item` and `Key`.
fn key_values(
    request: &mut serde_json::Map<String, Value>,
    picked: &dyn Fn(&str) -> bool,
    f: fn(&mut Value),
) {
    for field in ["Item", "Key"] {
        if let Some(Value::Object(item)) = request.get_mut(field) {
            for (k, v) in item.iter_mut() {
                if picked(k) {
                    f(v);
                }
            }
        }
    }
}

/// Runs `f` on the request and on each action of a transaction.
fn for_each_action(input: &mut Value, f: &mut dyn FnMut(&mut Value)) {
    if let Some(Value::Array(actions)) = input.get_mut("TransactItems") {
        for action in actions.iter_mut() {
            if let Some(m) = action.as_object_mut() {
                for inner in m.values_mut() {
                    f(inner);
                }
            }
        }
    } else {
        f(input);
    }
}

/// Drops the check of the version attribute `version` (`#v = :expected`) from a DynamoDB
/// request's conditions, keeping the rest (`attribute_exists`, the guard).
pub fn drop_version_check(version: &str, input: &mut Value) {
    for_each_action(input, &mut |action| {
        let Some(m) = action.as_object_mut() else {
            return;
        };
        let Some(Value::String(condition)) = m.get("ConditionExpression").cloned() else {
            return;
        };
        let names = m.get("ExpressionAttributeNames").cloned();
        let kept: Vec<&str> = condition
            .split(" AND ")
            .filter(|clause| {
                let mut parts = clause.split(" = ");
                let left = parts.next().unwrap_or_default();
                let checks = parts.next().is_some_and(|r| r.starts_with(":expected"));
                !(checks && resolve(left.trim(), names.as_ref()) == version)
            })
            .collect();
        if kept.is_empty() {
            m.remove("ConditionExpression");
        } else {
            m.insert("ConditionExpression".into(), json!(kept.join(" AND ")));
        }
        drop_unused_placeholders(action);
    });
}

/// An attribute name behind a `#name` placeholder.
fn resolve(token: &str, names: Option<&Value>) -> String {
    match token.strip_prefix('#') {
        Some(_) => names
            .and_then(|n| n.get(token))
            .and_then(Value::as_str)
            .unwrap_or(token)
            .to_string(),
        None => token.to_string(),
    }
}

/// An update expression without the `SET` assignments whose target `drop` picks.
fn drop_assignments(update: &str, drop: &dyn Fn(&str) -> bool) -> String {
    let mut out: Vec<String> = Vec::new();
    for (keyword, body) in clauses(update) {
        let kept: Vec<&str> = split_top_level(&body)
            .into_iter()
            .filter(|a| {
                let target = a.split(['=', ' ']).next().unwrap_or("").trim();
                !(keyword == "SET" && drop(target))
            })
            .collect();
        if !kept.is_empty() {
            out.push(format!("{keyword} {}", kept.join(", ")));
        }
    }
    out.join(" ")
}

/// The value placeholders an update's `SET` assigns to the targets `pick` picks.
fn assignments_to(update: &str, pick: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut out = Vec::new();
    for (keyword, body) in clauses(update) {
        if keyword != "SET" {
            continue;
        }
        for a in split_top_level(&body) {
            let Some((target, value)) = a.split_once('=') else {
                continue;
            };
            if pick(target.trim()) {
                out.extend(
                    tokens(value)
                        .filter(|t| t.starts_with(':'))
                        .map(str::to_string),
                );
            }
        }
    }
    out
}

/// A transaction that moves an item (a Delete of its old key and a Put under a new one)
/// becomes an update of the item where it is: every attribute of the new item but the table's
/// keys set on the old key.
fn stay_in_place(input: &mut Value, keys: &KeyAttributes) {
    let Some(Value::Array(actions)) = input.get_mut("TransactItems") else {
        return;
    };
    let key_of = |v: &Value| -> Option<Value> {
        let item = v.as_object()?;
        let mut key = serde_json::Map::new();
        for k in &keys.table_keys {
            key.insert(k.clone(), item.get(k)?.clone());
        }
        Some(Value::Object(key))
    };
    let deleted = actions.iter().position(|a| {
        a.pointer("/Delete/Key").and_then(key_of).is_some_and(|k| {
            // A delete of an item, not of a marker: an item the transaction puts elsewhere.
            actions.iter().any(|b| {
                b.pointer("/Put/Item")
                    .and_then(key_of)
                    .is_some_and(|put| put != k && b.pointer("/Put/Item/entityType").is_some())
            })
        })
    });
    let Some(d) = deleted else {
        return;
    };
    let Some(p) = actions
        .iter()
        .position(|a| a.pointer("/Put/Item/entityType").is_some())
    else {
        return;
    };
    let (Some(old_key), Some(Value::Object(item))) = (
        actions[d].pointer("/Delete/Key").cloned(),
        actions[p].pointer("/Put/Item").cloned(),
    ) else {
        return;
    };
    let table = actions[d]
        .pointer("/Delete/TableName")
        .cloned()
        .unwrap_or(Value::Null);
    let mut names = serde_json::Map::new();
    let mut values = serde_json::Map::new();
    let mut sets = Vec::new();
    for (i, (k, v)) in item
        .iter()
        .filter(|(k, _)| !keys.table_keys.contains(k))
        .enumerate()
    {
        names.insert(format!("#a{i}"), Value::String(k.clone()));
        values.insert(format!(":a{i}"), v.clone());
        sets.push(format!("#a{i} = :a{i}"));
    }
    let update = serde_json::json!({ "Update": {
        "TableName": table,
        "Key": old_key,
        "UpdateExpression": format!("SET {}", sets.join(", ")),
        "ExpressionAttributeNames": names,
        "ExpressionAttributeValues": values,
    }});
    actions[d] = update;
    actions.remove(p);
}

/// `SET a = :a, b = :b REMOVE c` → `[("SET", "a = :a, b = :b"), ("REMOVE", "c")]`.
fn clauses(update: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for word in update.split_whitespace() {
        let upper = word.to_ascii_uppercase();
        if matches!(upper.as_str(), "SET" | "REMOVE" | "ADD" | "DELETE") {
            out.push((upper, String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            if !body.is_empty() {
                body.push(' ');
            }
            body.push_str(word);
        }
    }
    out
}

/// Splits at commas outside parentheses.
fn split_top_level(body: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in body.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(body[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(body[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The value placeholders of a key condition that bind the sort key: those after `AND`.
fn sort_placeholders(cond: &str) -> Vec<String> {
    let Some((_, sort)) = cond.split_once(" AND ") else {
        return Vec::new();
    };
    tokens(sort)
        .filter(|t| t.starts_with(':'))
        .map(str::to_string)
        .collect()
}

fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':' || c == '#'))
        .filter(|t| !t.is_empty())
}

/// Removes the `:value` and `#name` entries no expression of the request uses any more
/// (DynamoDB refuses unused ones).
fn drop_unused_placeholders(request: &mut Value) {
    let Some(m) = request.as_object_mut() else {
        return;
    };
    let used: Vec<String> = [
        "KeyConditionExpression",
        "FilterExpression",
        "UpdateExpression",
        "ConditionExpression",
        "ProjectionExpression",
    ]
    .iter()
    .filter_map(|k| m.get(*k).and_then(Value::as_str))
    .flat_map(|e| tokens(e).map(str::to_string).collect::<Vec<_>>())
    .collect();
    for field in ["ExpressionAttributeValues", "ExpressionAttributeNames"] {
        let empty = match m.get_mut(field) {
            Some(Value::Object(map)) => {
                map.retain(|k, _| used.contains(k));
                map.is_empty()
            }
            _ => false,
        };
        if empty {
            m.remove(field);
        }
    }
}

/// Every number a key string holds in its order-preserving form back to plain text:
/// `{"S": "PRODUCT#0000000000000000352.95"}` → `{"S": "PRODUCT#352.95"}`, `-9999999999999999994~`
/// → `-5`.
fn plain_numbers(value: &mut Value) {
    if let Some(Value::String(s)) = value.get_mut("S") {
        *s = s.split('#').map(plain_number).collect::<Vec<_>>().join("#");
    }
}

/// One part of a key, plain when it is a number key, else as it is.
fn plain_number(part: &str) -> String {
    let width = schemaplay_core::sample::NUMBER_KEY_DIGITS;
    let (negative, body) = match part.strip_prefix('-').and_then(|p| p.strip_suffix('~')) {
        Some(body) => (true, body),
        None => (false, part),
    };
    let (int, frac) = body.split_once('.').unwrap_or((body, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    if int.len() != width || !digits(int) || !digits(frac) || body.contains('.') && frac.is_empty()
    {
        return part.to_string();
    }
    let undo = |t: &str| -> String {
        if negative {
            t.chars()
                .map(|c| {
                    c.to_digit(10)
                        .and_then(|d| char::from_digit(9 - d, 10))
                        .unwrap_or(c)
                })
                .collect()
        } else {
            t.to_string()
        }
    };
    let int = undo(int);
    let int = match int.trim_start_matches('0') {
        "" => "0",
        i => i,
    };
    let frac = undo(frac);
    let sign = if negative { "-" } else { "" };
    if frac.is_empty() {
        format!("{sign}{int}")
    } else {
        format!("{sign}{int}.{frac}")
    }
}

/// `{"S": "USER#2024"}` → `{"S": "USER#7975"}`.
fn complement_string(value: &mut Value) {
    if let Some(Value::String(s)) = value.get_mut("S") {
        *s = s
            .chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_digit(9 - d, 10).unwrap_or(c),
                None => c,
            })
            .collect();
    }
}

/// The filter paths of a write pattern's guard and version in its MongoDB requests.
#[derive(Default)]
pub struct GuardPaths {
    pub guard: Option<String>,
    pub version: Option<String>,
}

/// Applies a fault to one MongoDB request given the filter paths of the pattern's guard and
/// version; false when the request must not be sent.
pub fn apply_mongo(fault: &Fault, paths: &GuardPaths, request: &mut Value) -> bool {
    let dropped = match fault {
        Fault::DropGuard => [&paths.guard, &paths.version],
        Fault::DropVersion => [&None, &paths.version],
        _ => [&None, &None],
    };
    if let Some(Value::Object(filter)) = request.get_mut("filter") {
        for path in dropped.into_iter().flatten() {
            filter.remove(path);
        }
    }
    if *fault == Fault::DropCollation {
        if let Some(m) = request.as_object_mut() {
            m.remove("collation");
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn dropping_assignments_keeps_the_rest_of_the_expression() {
        let update =
            "SET #status = :status, GSI2PK = :gsi2pk, lines = list_append(lines, :l) REMOVE x";
        let kept = drop_assignments(update, &|t| t == "GSI2PK");
        assert_eq!(
            kept,
            "SET #status = :status, lines = list_append(lines, :l) REMOVE x"
        );
        assert_eq!(drop_assignments("SET GSI2PK = :p", &|t| t == "GSI2PK"), "");
    }

    #[test]
    fn a_dropped_guard_takes_its_placeholders_with_it() {
        let mut input = json!({
            "TransactItems": [{"Update": {
                "Key": {}, "UpdateExpression": "SET stock = stock + :amount",
                "ConditionExpression": "stock >= :min",
                "ExpressionAttributeValues": {":amount": {"N": "-1"}, ":min": {"N": "1"}}
            }}]
        });
        apply_dynamo(&Fault::DropGuard, &KeyAttributes::default(), &mut input);
        assert_eq!(
            input,
            json!({"TransactItems": [{"Update": {
                "Key": {}, "UpdateExpression": "SET stock = stock + :amount",
                "ExpressionAttributeValues": {":amount": {"N": "-1"}}
            }}]})
        );
    }

    #[test]
    fn plain_number_keys_undo_the_order_preserving_form() {
        let keys = |v: &str| {
            let mut v = json!({ "S": v });
            plain_numbers(&mut v);
            v["S"].as_str().unwrap_or("").to_string()
        };
        let key = |n: &str| schemaplay_core::sample::number_key(n);
        assert_eq!(
            keys(&format!("PRODUCT#{}", key("352.95"))),
            "PRODUCT#352.95"
        );
        assert_eq!(keys(&format!("P#{}#p-1", key("-5.25"))), "P#-5.25#p-1");
        assert_eq!(keys(&format!("P#{}", key("0"))), "P#0");
        assert_eq!(
            keys("USER#2024-01-01T00:00:00.000Z"),
            "USER#2024-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn a_reversed_sort_key_complements_digits_in_keys_and_bounds() {
        let keys = KeyAttributes {
            sort_keys: vec!["SK".into()],
            ..KeyAttributes::default()
        };
        let mut q = json!({
            "KeyConditionExpression": "PK = :pk AND SK BETWEEN :from AND :to",
            "ExpressionAttributeValues": {":pk": {"S": "D#1"}, ":from": {"S": "R#2024"}, ":to": {"S": "R#2025"}}
        });
        apply_dynamo(&Fault::ReverseSortKey, &keys, &mut q);
        assert_eq!(q["ExpressionAttributeValues"][":pk"], json!({"S": "D#1"}));
        assert_eq!(
            q["ExpressionAttributeValues"][":from"],
            json!({"S": "R#7975"})
        );
        assert_eq!(
            q["ExpressionAttributeValues"][":to"],
            json!({"S": "R#7974"})
        );
    }
}
