//! Runs one conformance case (see `shared/conformance/README.md`) through the simulator.
//!
//! Besides the shared format (`collection`, `op`, `expected`...), a case of this crate may
//! give `requests`: steps run in order through the JSON entry point, each with its expected
//! response or error (see `run_requests`), for what one operation cannot show: a collection
//! created with options, an index, then the writes and queries that depend on them.

use bson::{Bson, Document};
use serde_json::Value;

use crate::database::{Database, FindOptions, UpdateOptions};
use crate::value::{as_num, compare, type_rank};

const COLLECTION: &str = "c";

fn bson(v: &Value, what: &str) -> Result<Bson, String> {
    Bson::try_from(v.clone()).map_err(|e| format!("{what}: invalid Extended JSON: {e}"))
}

fn doc(v: Option<&Value>, what: &str) -> Result<Option<Document>, String> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match bson(v, what)? {
            Bson::Document(d) => Ok(Some(d)),
            other => Err(format!("{what}: expected a document, found {other}")),
        },
    }
}

fn docs(v: Option<&Value>, what: &str) -> Result<Vec<Document>, String> {
    match v {
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| doc(Some(i), what).map(Option::unwrap_or_default))
            .collect(),
        None => Ok(Vec::new()),
        Some(_) => Err(format!("{what}: expected an array")),
    }
}

/// Equality as the cases compare: numbers by value across types, documents regardless of field
/// order, a missing field different from null.
pub fn loosely_equal(a: &Bson, b: &Bson) -> bool {
    match (a, b) {
        (Bson::Document(x), Bson::Document(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| loosely_equal(v, w)))
        }
        (Bson::Array(x), Bson::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y.iter()).all(|(v, w)| loosely_equal(v, w))
        }
        _ => {
            if let (Some(x), Some(y)) = (as_num(a), as_num(b)) {
                return crate::value::compare_nums(x, y).is_eq();
            }
            type_rank(a) == type_rank(b)
                && std::mem::discriminant(a) == std::mem::discriminant(b)
                && compare(a, b).is_eq()
        }
    }
}

fn show(values: &[Bson]) -> String {
    let arr: Vec<Value> = values
        .iter()
        .map(|v| v.clone().into_relaxed_extjson())
        .collect();
    serde_json::to_string(&arr).unwrap_or_default()
}

fn same(actual: &[Bson], expected: &[Bson], ordered: bool) -> Result<(), String> {
    let ok = if actual.len() != expected.len() {
        false
    } else if ordered {
        actual
            .iter()
            .zip(expected.iter())
            .all(|(a, e)| loosely_equal(a, e))
    } else {
        let mut used = vec![false; actual.len()];
        expected.iter().all(|e| {
            let found = actual
                .iter()
                .enumerate()
                .find(|(i, a)| !used.get(*i).copied().unwrap_or(true) && loosely_equal(a, e));
            match found {
                Some((i, _)) => {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                    true
                }
                None => false,
            }
        })
    };
    if ok {
        Ok(())
    } else {
        Err(format!(
            "expected {} but got {}",
            show(expected),
            show(actual)
        ))
    }
}

fn snapshot(db: &Database) -> Vec<Bson> {
    db.collection(COLLECTION)
        .map(|c| c.iter().map(|(_, d)| Bson::Document(d.clone())).collect())
        .unwrap_or_default()
}

enum Outcome {
    Values(Vec<Bson>),
    Written,
}

fn run_op(db: &mut Database, case: &Value) -> Result<Result<Outcome, crate::MongoError>, String> {
    let op = case
        .get("op")
        .and_then(Value::as_str)
        .ok_or("the case has no `op`")?;
    let filter = doc(case.get("filter"), "filter")?.unwrap_or_default();
    let int = |k: &str| case.get(k).and_then(Value::as_i64).unwrap_or(0);
    Ok(match op {
        "find" => {
            // The server rejects a negative skip; `FindOptions` cannot hold one.
            if int("skip") < 0 {
                return Ok(Err(crate::MongoError::bad_value(format!(
                    "skip value must be non-negative, but received: {}",
                    int("skip")
                ))));
            }
            let opts = FindOptions {
                filter,
                projection: doc(case.get("projection"), "projection")?,
                sort: doc(case.get("sort"), "sort")?,
                skip: int("skip").max(0) as u64,
                limit: int("limit"),
                ..Default::default()
            };
            db.find(COLLECTION, &opts)
                .map(|d| Outcome::Values(d.into_iter().map(Bson::Document).collect()))
        }
        "count" => db
            .count_documents(COLLECTION, &filter)
            .map(|n| Outcome::Values(vec![Bson::Int64(n as i64)])),
        "distinct" => {
            let key = case
                .get("key")
                .and_then(Value::as_str)
                .ok_or("distinct case without `key`")?;
            db.distinct(COLLECTION, key, &filter).map(Outcome::Values)
        }
        "aggregate" => {
            let pipeline = docs(case.get("pipeline"), "pipeline")?;
            db.aggregate(COLLECTION, &pipeline)
                .map(|d| Outcome::Values(d.into_iter().map(Bson::Document).collect()))
        }
        "update_one" | "update_many" => {
            let update = bson(
                case.get("update").ok_or("update case without `update`")?,
                "update",
            )?;
            let opts = UpdateOptions {
                upsert: case.get("upsert").and_then(Value::as_bool).unwrap_or(false),
                array_filters: docs(case.get("array_filters"), "array_filters")?,
                multi: op == "update_many",
                ..Default::default()
            };
            db.update(COLLECTION, &filter, &update, &opts, false)
                .map(|_| Outcome::Written)
        }
        "insert_many" => {
            let documents = docs(case.get("documents"), "documents")?;
            db.insert_many(COLLECTION, documents)
                .map(|_| Outcome::Written)
        }
        "delete_many" => db
            .delete(COLLECTION, &filter, true)
            .map(|_| Outcome::Written),
        other => return Err(format!("unknown op `{other}`")),
    })
}

/// Whether `got` has everything `want` has: objects need the keys `want` gives (recursively),
/// arrays the same elements (in order when `ordered`, else as a multiset), scalars equality as
/// [`loosely_equal`] sees it.
fn subset(want: &Value, got: &Value, ordered: bool) -> bool {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => w
            .iter()
            .all(|(k, wv)| g.get(k).is_some_and(|gv| subset(wv, gv, ordered))),
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return false;
            }
            if ordered {
                return w.iter().zip(g).all(|(a, b)| subset(a, b, ordered));
            }
            let mut used = vec![false; g.len()];
            w.iter().all(|x| {
                let found = g
                    .iter()
                    .enumerate()
                    .find(|(i, y)| !used.get(*i).copied().unwrap_or(true) && subset(x, y, ordered));
                match found.and_then(|(i, _)| used.get_mut(i)) {
                    Some(slot) => {
                        *slot = true;
                        true
                    }
                    None => false,
                }
            })
        }
        (w, g) => match (Bson::try_from(w.clone()), Bson::try_from(g.clone())) {
            (Ok(a), Ok(b)) => loosely_equal(&a, &b),
            _ => w == g,
        },
    }
}

/// Runs the `requests` of a case, in order, through [`Database::execute`] (the JSON entry
/// point), with `c` as the collection a request does not name. A step is `{"request": {...}}`
/// with at most one of `expected` (what the response must contain: see [`subset`]; `ordered`
/// makes arrays compare in order) and `error` (the code name, with an optional
/// `error_message_contains` and `error_info`, what `errInfo` must contain); or a clock step,
/// `{"set_clock": {"$date": ...}}`, or `{"expire": n}`, the TTL pass removing `n` documents.
fn run_requests(db: &mut Database, requests: &[Value]) -> Result<(), String> {
    for (step, r) in requests.iter().enumerate() {
        if let Some(when) = r.get("set_clock") {
            let Ok(Bson::DateTime(d)) = Bson::try_from(when.clone()) else {
                return Err(format!("step {step}: set_clock needs a {{\"$date\": ...}}"));
            };
            db.set_clock(d.timestamp_millis());
            continue;
        }
        if let Some(n) = r.get("expire") {
            let removed = db.expire();
            if n.as_u64() != Some(removed) {
                return Err(format!(
                    "step {step}: expire removed {removed}, expected {n}"
                ));
            }
            continue;
        }
        let Some(Value::Object(request)) = r.get("request") else {
            return Err(format!("step {step}: no `request` object"));
        };
        let mut request = request.clone();
        let op = request
            .get("op")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string();
        if !matches!(op.as_str(), "listCollections" | "getLog") {
            request
                .entry("collection")
                .or_insert_with(|| Value::String(COLLECTION.into()));
        }
        let ordered = r.get("ordered").and_then(Value::as_bool).unwrap_or(false);
        match (r.get("error"), db.execute(&Value::Object(request))) {
            (Some(want), Ok(got)) => {
                return Err(format!("step {step} ({op}): expected {want}, got {got}"));
            }
            (Some(want), Err(e)) => {
                if want.as_str() != Some(e.code_name.as_str()) {
                    return Err(format!("step {step} ({op}): expected {want}, got {e}"));
                }
                if let Some(part) = r.get("error_message_contains").and_then(Value::as_str) {
                    if !e.message.contains(part) {
                        return Err(format!(
                            "step {step} ({op}): message {:?} lacks {part:?}",
                            e.message
                        ));
                    }
                }
                if let Some(info) = r.get("error_info") {
                    let got = e.err_info.as_ref().map_or(Value::Null, |d| {
                        Bson::Document((**d).clone()).into_relaxed_extjson()
                    });
                    if !subset(info, &got, ordered) {
                        return Err(format!("step {step} ({op}): errInfo {got} lacks {info}"));
                    }
                }
            }
            (None, Err(e)) => return Err(format!("step {step} ({op}): unexpected error {e}")),
            (None, Ok(got)) => {
                if let Some(want) = r.get("expected") {
                    if !subset(want, &got, ordered) {
                        return Err(format!("step {step} ({op}): expected {want}, got {got}"));
                    }
                }
            }
        }
    }
    Ok(())
}

/// Runs a MongoDB case; `Err` carries a one-line reason for the failure.
pub fn run_case(case: &Value) -> Result<(), String> {
    let mut db = Database::new();
    let collection = docs(case.get("collection"), "collection")?;
    if let Some(Value::Array(requests)) = case.get("requests") {
        if !collection.is_empty() {
            db.insert_many(COLLECTION, collection)
                .map_err(|e| format!("loading the collection: {e}"))?;
        }
        return run_requests(&mut db, requests);
    }
    db.insert_many(COLLECTION, collection)
        .map_err(|e| format!("loading the collection: {e}"))?;
    if let Some(Value::Object(others)) = case.get("from_collections") {
        for (name, items) in others {
            let d = docs(Some(items), name)?;
            db.insert_many(name, d)
                .map_err(|e| format!("loading {name}: {e}"))?;
        }
    }
    if let Some(Value::Array(indexes)) = case.get("indexes") {
        for ix in indexes {
            let key = doc(ix.get("key"), "index key")?.unwrap_or_default();
            let options = doc(ix.get("options"), "index options")?.unwrap_or_default();
            db.create_index(COLLECTION, &key, &options)
                .map_err(|e| format!("creating index: {e}"))?;
        }
    }
    let before = snapshot(&db);
    let outcome = run_op(&mut db, case)?;
    if case.get("error").and_then(Value::as_bool) == Some(true) {
        return match outcome {
            Ok(_) => Err("expected an error, but the operation succeeded".into()),
            Err(_) => same(&snapshot(&db), &before, false)
                .map_err(|e| format!("the collection changed after the error: {e}")),
        };
    }
    let outcome = outcome.map_err(|e| format!("unexpected error: {e}"))?;
    let ordered = case
        .get("ordered")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    if let Some(expected) = case.get("expected_collection") {
        let expected = docs(Some(expected), "expected_collection")?
            .into_iter()
            .map(Bson::Document)
            .collect::<Vec<_>>();
        return same(&snapshot(&db), &expected, false);
    }
    let expected = case
        .get("expected")
        .ok_or("the case has no expected outcome")?;
    let Outcome::Values(actual) = outcome else {
        return Err("a write case needs `expected_collection`".into());
    };
    match expected {
        Value::Array(items) => {
            let expected = items
                .iter()
                .map(|i| bson(i, "expected"))
                .collect::<Result<Vec<_>, _>>()?;
            same(&actual, &expected, ordered)
        }
        other => same(&actual, &[bson(other, "expected")?], true),
    }
}
