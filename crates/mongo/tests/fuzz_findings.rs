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
