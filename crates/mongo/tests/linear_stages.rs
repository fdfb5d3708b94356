//! The stages that were made O(input + output) answer as the plain definitions do: `$unwind`
//! (whose documents share their parent), `$lookup` by equality (a hash join) and an
//! uncorrelated `$lookup` sub-pipeline (run once, its answer shared), each checked against a
//! reference computed the slow way (`engine.rs` checks every stage after a shared `$unwind`).
//! Their speed is measured by `benches/scaling.rs`.

use schemaplay_mongo::Database;
use serde_json::{json, Value};

fn load(db: &mut Database, collection: &str, docs: Value) {
    let loaded =
        db.execute(&json!({"op": "insertMany", "collection": collection, "documents": docs}));
    assert!(loaded.is_ok(), "{loaded:?}");
}

fn aggregate(db: &mut Database, collection: &str, pipeline: Value) -> Result<Value, String> {
    db.execute(&json!({"op": "aggregate", "collection": collection, "pipeline": pipeline}))
        .map_err(|e| e.to_string())
}

/// One document holding `n` small documents in `items`.
fn parent(n: usize) -> Value {
    let items: Vec<Value> = (0..n).map(|i| json!({"k": i % 7, "v": i})).collect();
    json!([{"_id": 1, "name": "parent", "items": items, "after": true}])
}

/// The pipeline of issue 16 on a small size, against the documents it must produce written out
/// by hand: `$unwind` over n elements, then a `$lookup` whose pipeline unwinds n elements.
#[test]
fn unwind_then_uncorrelated_lookup_answers_as_the_reference() {
    let n = 40;
    let mut db = Database::new();
    load(&mut db, "a", parent(n));
    load(&mut db, "b", parent(n));
    let unwound = |i: usize| json!({"_id": 1, "name": "parent", "items": {"k": i % 7, "v": i}, "after": true});
    let inner: Vec<Value> = (0..n).map(unwound).collect();
    let expected: Vec<Value> = (0..n)
        .map(|i| {
            let mut d = unwound(i);
            d["inner"] = Value::Array(inner.clone());
            d
        })
        .collect();
    let lookup =
        json!({"$lookup": {"from": "b", "pipeline": [{"$unwind": "$items"}], "as": "inner"}});
    let got = aggregate(&mut db, "a", json!([{"$unwind": "$items"}, lookup]));
    assert_eq!(got, Ok(Value::Array(expected.clone())));
    let counted = aggregate(
        &mut db,
        "a",
        json!([{"$unwind": "$items"}, lookup, {"$count": "n"}]),
    );
    assert_eq!(counted, Ok(json!([{"n": n}])));
    // Shared rows through the stages that do not read them, then read.
    let picked = aggregate(
        &mut db,
        "a",
        json!([{"$unwind": "$items"}, lookup, {"$skip": 3}, {"$limit": 2}, {"$match": {"after": true}}]),
    );
    assert_eq!(picked, Ok(Value::Array(expected[3..5].to_vec())));
    let faceted = aggregate(
        &mut db,
        "a",
        json!([{"$unwind": "$items"}, lookup, {"$facet": {
            "n": [{"$count": "n"}],
            "last": [{"$skip": n - 1}],
            "v": [{"$project": {"_id": 0, "v": "$items.v", "m": {"$size": "$inner"}}}, {"$limit": 2}],
        }}]),
    );
    assert_eq!(
        faceted,
        Ok(json!([{
            "n": [{"n": n}],
            "last": [expected[n - 1]],
            "v": [{"v": 0, "m": n}, {"v": 1, "m": n}],
        }]))
    );
    // A nested `as` path creates its documents, as the stage written out would.
    let nested = json!({"$lookup": {"from": "b", "pipeline": [{"$unwind": "$items"}, {"$limit": 1}], "as": "x.y"}});
    let got = aggregate(
        &mut db,
        "a",
        json!([{"$unwind": "$items"}, {"$limit": 1}, nested]),
    );
    let mut one = unwound(0);
    one["x"] = json!({"y": [unwound(0)]});
    assert_eq!(got, Ok(json!([one])));
}

/// Values of many types in the local and foreign fields, across numeric types, arrays,
/// documents, nulls and missing fields, regular expressions and symbols.
fn join_values() -> Vec<Value> {
    vec![
        json!(1),
        json!(1.0),
        json!({"$numberLong": "1"}),
        json!({"$numberDecimal": "1.00"}),
        json!({"$numberDecimal": "0.1"}),
        json!(0.1),
        json!({"$numberLong": "9007199254740993"}),
        json!({"$numberDecimal": "9007199254740993"}),
        json!(9007199254740992.0),
        json!({"$numberDouble": "NaN"}),
        json!({"$numberDecimal": "NaN"}),
        json!(-0.0),
        json!(0),
        json!("x"),
        json!("X"),
        json!({"$symbol": "x"}),
        json!({"$regularExpression": {"pattern": "^x", "options": ""}}),
        json!(null),
        json!([1, "x"]),
        json!([[1, 2], 3]),
        json!([1, 2]),
        json!([]),
        json!({"a": 1}),
        json!({"a": 1.0}),
        json!({"a": null}),
        json!({"$date": "2024-01-01T00:00:00Z"}),
        json!({"$oid": "65a1b2c3d4e5f60718293a4b"}),
        json!(true),
        json!({"$minKey": 1}),
    ]
}

/// `$lookup` by equality answers, document by document, as a find of the foreign collection
/// with `foreignField: {$in: [the local values]}`, which is what the stage means.
#[test]
fn lookup_by_equality_answers_as_a_find_per_document() {
    let values = join_values();
    let mut local = Vec::new();
    let mut foreign = Vec::new();
    for (i, v) in values.iter().enumerate() {
        local.push(json!({"_id": i, "l": v}));
        foreign.push(json!({"_id": i, "f": v}));
        foreign.push(json!({"_id": 1000 + i, "arr": [{"f": v}, {"g": 1}]}));
    }
    local.push(json!({"_id": 900}));
    foreign.push(json!({"_id": 2000}));
    foreign.push(json!({"_id": 2001, "f": {"$undefined": true}}));
    let mut db = Database::new();
    load(&mut db, "local", Value::Array(local.clone()));
    load(&mut db, "foreign", Value::Array(foreign));
    for fpath in ["f", "arr.f"] {
        let got = aggregate(
            &mut db,
            "local",
            json!([{"$lookup": {"from": "foreign", "localField": "l", "foreignField": fpath, "as": "m"}}]),
        );
        let Ok(Value::Array(got)) = got else {
            panic!("{fpath}: {got:?}");
        };
        assert_eq!(got.len(), local.len());
        let mut joined = 0;
        for doc in &got {
            // The local values, arrays spread, missing as null.
            let in_list = match &doc["l"] {
                Value::Array(items) => items.clone(),
                Value::Null => vec![Value::Null],
                other => vec![other.clone()],
            };
            // A local regular expression joins by equality, as the stage always has here
            // (its `$in` list holds values), not by matching strings.
            let regex = in_list
                .iter()
                .any(|v| v.get("$regularExpression").is_some());
            let filter = if regex {
                json!({fpath: {"$eq": doc["l"]}})
            } else {
                json!({fpath: {"$in": in_list}})
            };
            let want =
                db.execute(&json!({"op": "find", "collection": "foreign", "filter": filter}));
            assert_eq!(Ok(&doc["m"]), want.as_ref(), "{fpath}: {}", doc["l"]);
            joined += doc["m"].as_array().map_or(0, Vec::len);
        }
        assert!(
            joined > local.len(),
            "{fpath}: the join found too little to mean anything"
        );
    }
}
