//! The user's own MongoDB examples (shared/examples/user-examples.md), run verbatim through the
//! JSON entry point every caller uses.

use expect_test::{expect, Expect};
use schemaplay_mongo::Database;
use serde_json::{json, Value};

/// The user's example document and a few neighbours.
fn users() -> Database {
    let mut db = Database::new();
    let r = db.execute(&json!({
        "op": "insertMany",
        "collection": "users",
        "documents": [
            {"_id": {"$oid": "507f1f77bcf86cd799439011"}, "email": "john@example.com", "name": "John Doe",
             "profile": {"age": 30, "city": "NYC", "bio": "Backend developer who loves nodejs"},
             "tags": ["developer", "nodejs"], "createdAt": {"$date": "2024-01-01T00:00:00Z"}},
            {"_id": {"$oid": "507f1f77bcf86cd799439012"}, "email": "jane@example.com", "name": "Jane Roe",
             "profile": {"age": 27, "city": "NYC", "bio": "Designer"},
             "tags": ["design"], "createdAt": {"$date": "2024-02-01T00:00:00Z"}},
            {"_id": {"$oid": "507f1f77bcf86cd799439013"}, "email": "ann@example.com", "name": "Ann Lee",
             "profile": {"age": 41, "city": "Paris", "bio": "Python developer"},
             "tags": ["developer", "python"], "createdAt": {"$date": "2024-03-01T00:00:00Z"}}
        ]
    }));
    assert!(r.is_ok(), "{r:?}");
    db
}

/// Runs the requests in order and shows the last response (or error) as compact JSON.
fn check(db: &mut Database, requests: &[Value], expect: Expect) {
    let mut last = String::new();
    for r in requests {
        last = match db.execute(r) {
            Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
            Err(e) => format!("error {} {}: {}", e.code, e.code_name, e.message),
        };
    }
    expect.assert_eq(&last);
}

#[test]
fn create_a_user() {
    let mut db = users();
    check(
        &mut db,
        &[json!({"op": "insertOne", "collection": "users",
                 "document": {"email": "kim@example.com", "name": "Kim", "profile": {"age": 30, "city": "NYC"}}})],
        expect![[r#"{"acknowledged":true,"insertedId":{"$oid":"659200805c68656d61000001"}}"#]],
    );
}

#[test]
fn find_by_city() {
    check(
        &mut users(),
        &[
            json!({"op": "find", "collection": "users", "filter": {"profile.city": "NYC"}, "projection": {"email": 1, "_id": 0}}),
        ],
        expect![[r#"[{"email":"john@example.com"},{"email":"jane@example.com"}]"#]],
    );
}

#[test]
fn find_one_by_email() {
    check(
        &mut users(),
        &[
            json!({"op": "findOne", "collection": "users", "filter": {"email": "john@example.com"}, "projection": {"name": 1}}),
        ],
        expect![[r#"{"_id":{"$oid":"507f1f77bcf86cd799439011"},"name":"John Doe"}"#]],
    );
}

#[test]
fn update_profile_age() {
    check(
        &mut users(),
        &[
            json!({"op": "updateOne", "collection": "users",
                   "filter": {"_id": {"$oid": "507f1f77bcf86cd799439011"}}, "update": {"$set": {"profile.age": 31}}}),
            json!({"op": "findOne", "collection": "users", "filter": {"_id": {"$oid": "507f1f77bcf86cd799439011"}}, "projection": {"profile": 1, "_id": 0}}),
        ],
        expect![[
            r#"{"profile":{"age":31,"city":"NYC","bio":"Backend developer who loves nodejs"}}"#
        ]],
    );
    check(
        &mut users(),
        &[json!({"op": "updateOne", "collection": "users",
                 "filter": {"_id": {"$oid": "507f1f77bcf86cd799439011"}}, "update": {"$set": {"profile.age": 31}}})],
        expect![[
            r#"{"acknowledged":true,"matchedCount":1,"modifiedCount":1,"upsertedCount":0,"upsertedId":null}"#
        ]],
    );
}

#[test]
fn delete_a_user() {
    check(
        &mut users(),
        &[
            json!({"op": "deleteOne", "collection": "users", "filter": {"_id": {"$oid": "507f1f77bcf86cd799439011"}}}),
            json!({"op": "countDocuments", "collection": "users", "filter": {}}),
        ],
        expect!["2"],
    );
}

#[test]
fn count_by_city() {
    check(
        &mut users(),
        &[
            json!({"op": "aggregate", "collection": "users", "pipeline": [
                {"$match": {"profile.city": "NYC"}},
                {"$group": {"_id": "$profile.city", "count": {"$sum": 1}}}
            ]}),
        ],
        expect![[r#"[{"_id":"NYC","count":2}]"#]],
    );
}

#[test]
fn compound_index_chosen_by_the_planner() {
    let mut db = users();
    check(
        &mut db,
        &[
            json!({"op": "createIndex", "collection": "users", "key": {"email": 1}}),
            json!({"op": "createIndex", "collection": "users", "key": {"profile.city": 1, "createdAt": -1}}),
            json!({"op": "explain", "collection": "users",
                   "command": {"op": "find", "filter": {"profile.city": "NYC"}, "sort": {"createdAt": -1}}}),
        ],
        expect![[
            r#"{"explainVersion":"1","queryPlanner":{"namespace":"test.users","parsedQuery":{"profile.city":{"$eq":"NYC"}},"indexFilterSet":false,"winningPlan":{"stage":"FETCH","inputStage":{"stage":"IXSCAN","keyPattern":{"profile.city":1,"createdAt":-1},"indexName":"profile.city_1_createdAt_-1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"profile.city":["[\"NYC\", \"NYC\"]"],"createdAt":["[MaxKey, MinKey]"]}}},"rejectedPlans":[]},"executionStats":{"executionSuccess":true,"nReturned":2,"executionTimeMillis":0,"totalKeysExamined":2,"totalDocsExamined":2,"executionStages":{"stage":"FETCH","docsExamined":2,"inputStage":{"stage":"IXSCAN","keyPattern":{"profile.city":1,"createdAt":-1},"indexName":"profile.city_1_createdAt_-1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"profile.city":["[\"NYC\", \"NYC\"]"],"createdAt":["[MaxKey, MinKey]"]},"keysExamined":2},"nReturned":2}},"ok":1.0}"#
        ]],
    );
    check(
        &mut db,
        &[
            json!({"op": "find", "collection": "users", "filter": {"profile.city": "NYC"}, "sort": {"createdAt": -1}, "projection": {"name": 1, "_id": 0}}),
        ],
        expect![[r#"[{"name":"Jane Roe"},{"name":"John Doe"}]"#]],
    );
}

#[test]
fn text_search() {
    let mut db = users();
    check(
        &mut db,
        &[
            json!({"op": "createIndex", "collection": "users", "key": {"name": "text", "profile.bio": "text"}}),
            json!({"op": "find", "collection": "users", "filter": {"$text": {"$search": "developer nodejs"}},
                   "projection": {"name": 1, "_id": 0, "score": {"$meta": "textScore"}}, "sort": {"score": {"$meta": "textScore"}}}),
        ],
        expect![[r#"[{"name":"John Doe","score":1.25},{"name":"Ann Lee","score":0.75}]"#]],
    );
}

#[test]
fn unique_email_refuses_a_duplicate() {
    let mut db = users();
    check(
        &mut db,
        &[
            json!({"op": "createIndex", "collection": "users", "key": {"email": 1}, "options": {"unique": true}}),
            json!({"op": "insertOne", "collection": "users", "document": {"email": "john@example.com", "name": "John Again"}}),
        ],
        expect![[
            r#"error 11000 DuplicateKey: E11000 duplicate key error collection: test.users index: email_1 dup key: { email: "john@example.com" }"#
        ]],
    );
    check(
        &mut db,
        &[json!({"op": "countDocuments", "collection": "users", "filter": {}})],
        expect!["3"],
    );
}
