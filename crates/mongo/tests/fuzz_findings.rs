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
