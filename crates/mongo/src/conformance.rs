//! Runs one conformance case (see `shared/conformance/README.md`) through the simulator.

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

/// Runs a MongoDB case; `Err` carries a one-line reason for the failure.
pub fn run_case(case: &Value) -> Result<(), String> {
    let mut db = Database::new();
    let collection = docs(case.get("collection"), "collection")?;
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
