//! What fuzzing found (`./x fuzz`, targets `mongo_request` and `mongo_plans`), each kept as a
//! case: the request and what MongoDB answers.

use expect_test::{expect, Expect};
use schemaplay_mongo::Database;
use serde_json::{json, Value};

/// Runs the requests in order and shows the last response, or its error.
fn check(requests: &[Value], expect: Expect) {
    let mut db = Database::new();
    let mut last = String::new();
    for r in requests {
        last = match db.execute(r) {
            Ok(v) => v.to_string(),
            Err(e) => format!("error {} {}: {}", e.code, e.code_name, e.message),
        };
    }
    expect.assert_eq(&last);
}

#[test]
fn count_documents_checks_the_filter_of_a_missing_collection() {
    // find and aggregate reject the filter whether the collection exists or not; so does count.
    check(
        &[
            json!({"op": "countDocuments", "collection": "none", "filter": {"a": {"$type": "missing"}}}),
        ],
        expect!["error 2 BadValue: Unknown type name alias: missing"],
    );
}

#[test]
fn an_index_scan_for_a_regex_finds_a_stored_equal_regex() {
    // A regex matches a stored regular expression with the same pattern and options, so its
    // index bounds hold that point besides the strings: ["a", "b"), [/^a/, /^a/].
    let docs = json!([
        {"_id": 1, "a": {"$regularExpression": {"pattern": "^a", "options": ""}}},
        {"_id": 2, "a": "abc"},
        {"_id": 3, "a": "b"},
        {"_id": 4, "a": {"$regularExpression": {"pattern": "^b", "options": ""}}}
    ]);
    for indexed in [false, true] {
        let mut requests = vec![json!({"op": "insertMany", "collection": "c", "documents": docs})];
        if indexed {
            requests.push(json!({"op": "createIndex", "collection": "c", "key": {"a": 1}}));
        }
        requests.push(json!({"op": "find", "collection": "c", "filter": {"a": {"$regex": "^a"}}, "projection": {"_id": 1}, "sort": {"_id": 1}}));
        check(&requests, expect![[r#"[{"_id":1},{"_id":2}]"#]]);
        requests.pop();
        requests.push(json!({"op": "find", "collection": "c", "filter": {"a": {"$in": [{"$regularExpression": {"pattern": "^b", "options": ""}}]}}, "projection": {"_id": 1}, "sort": {"_id": 1}}));
        check(&requests, expect![[r#"[{"_id":3},{"_id":4}]"#]]);
    }
}

#[test]
fn an_index_scan_for_a_range_from_nan_finds_what_the_matcher_does() {
    // NaN equals only NaN, and no range reaches past it: `$gt`/`$lt` NaN match nothing, and
    // `$gte`/`$lte` NaN only NaN, whether an index serves the query or not.
    let answers = |indexed: bool| {
        let docs = json!([
            {"_id": 1, "c": 0.5},
            {"_id": 2, "c": {"$numberDouble": "NaN"}},
            {"_id": 3, "c": {"$numberDecimal": "NaN"}},
            {"_id": 4, "c": -5}
        ]);
        let mut db = Database::new();
        let _ = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
        if indexed {
            let _ = db.execute(&json!({"op": "createIndex", "collection": "c", "key": {"c": 1}}));
        }
        let mut out = Vec::new();
        for op in ["$gt", "$lt", "$gte", "$lte"] {
            let filter = json!({"c": {op: {"$numberDouble": "NaN"}}});
            let found = db.execute(&json!({"op": "find", "collection": "c", "filter": filter,
                "projection": {"_id": 1}, "sort": {"_id": 1}}));
            out.push(format!(
                "{op}: {}",
                found.map(|v| v.to_string()).unwrap_or_else(|e| e.message)
            ));
        }
        out.join("\n")
    };
    let expected = expect![[r#"
        $gt: []
        $lt: []
        $gte: [{"_id":2},{"_id":3}]
        $lte: [{"_id":2},{"_id":3}]"#]];
    expected.assert_eq(&answers(false));
    assert_eq!(answers(true), answers(false));
}

#[test]
fn an_index_scan_for_a_boolean_range_spans_both_booleans() {
    // `$gte: false` matches true too (booleans order false < true); the index bounds were the
    // single point false. Types whose bracket the planner does not know are not bounded.
    let answers = |indexed: bool| {
        let docs = json!([
            {"_id": 1, "c": true},
            {"_id": 2, "c": false},
            {"_id": 3, "c": 1},
            {"_id": 4, "c": {"$timestamp": {"t": 5, "i": 1}}},
            {"_id": 5, "c": {"$timestamp": {"t": 9, "i": 1}}}
        ]);
        let mut db = Database::new();
        let _ = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
        if indexed {
            let _ = db.execute(&json!({"op": "createIndex", "collection": "c", "key": {"c": 1}}));
        }
        let mut out = Vec::new();
        for cond in [
            json!({"$gte": false}),
            json!({"$lt": true}),
            json!({"$gt": {"$timestamp": {"t": 5, "i": 1}}}),
        ] {
            let found = db.execute(
                &json!({"op": "find", "collection": "c", "filter": {"c": cond},
                "projection": {"_id": 1}, "sort": {"_id": 1}}),
            );
            out.push(format!(
                "{cond}: {}",
                found.map(|v| v.to_string()).unwrap_or_else(|e| e.message)
            ));
        }
        out.join("\n")
    };
    let expected = expect![[r#"
        {"$gte":false}: [{"_id":1},{"_id":2}]
        {"$lt":true}: [{"_id":2}]
        {"$gt":{"$timestamp":{"t":5,"i":1}}}: [{"_id":5}]"#]];
    expected.assert_eq(&answers(false));
    assert_eq!(answers(true), answers(false));
}
