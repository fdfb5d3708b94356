//! The engine through its JSON entry point, as tables: a collection, a request, the response.

use expect_test::{expect, Expect};
use schemaplay_mongo::Database;
use serde_json::{json, Value};

/// Loads `docs` into collection `c`, runs the requests (the collection is implied) and shows
/// the last response, or the error as `error CODE NAME: message`.
fn check(docs: Value, requests: &[Value], expect: Expect) {
    let mut db = Database::new();
    let loaded = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
    assert!(loaded.is_ok(), "{loaded:?}");
    let mut last = String::new();
    for r in requests {
        let mut r = r.clone();
        if let Value::Object(m) = &mut r {
            m.entry("collection").or_insert(json!("c"));
        }
        last = match db.execute(&r) {
            Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
            Err(e) => format!("error {} {}: {}", e.code, e.code_name, e.message),
        };
    }
    expect.assert_eq(&last);
}

fn find(filter: Value) -> Value {
    json!({"op": "find", "filter": filter, "projection": {"_id": 1}})
}

#[test]
fn query_types_and_brackets() {
    let docs = json!([{"_id": 1, "a": 1}, {"_id": 2, "a": "x"}, {"_id": 3, "a": [1, "y"]}, {"_id": 4, "a": null}, {"_id": 5},
                      {"_id": 6, "a": {"$numberLong": "7"}}, {"_id": 7, "a": 2.5}, {"_id": 8, "a": {"b": 1}}]);
    check(
        docs.clone(),
        &[find(json!({"a": {"$type": "number"}}))],
        expect![[r#"[{"_id":1},{"_id":3},{"_id":6},{"_id":7}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$type": ["string", 10]}}))],
        expect![[r#"[{"_id":2},{"_id":3},{"_id":4}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$type": "array"}}))],
        expect![[r#"[{"_id":3}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$gte": 1}}))],
        expect![[r#"[{"_id":1},{"_id":3},{"_id":6},{"_id":7}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$lte": null}}))],
        expect![[r#"[{"_id":4},{"_id":5}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$nin": [1, null]}}))],
        expect![[r#"[{"_id":2},{"_id":6},{"_id":7},{"_id":8}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a.b": 1}))],
        expect![[r#"[{"_id":8}]"#]],
    );
    check(
        docs,
        &[find(
            json!({"a": {"$exists": true, "$not": {"$type": "string"}}}),
        )],
        expect![[r#"[{"_id":1},{"_id":4},{"_id":6},{"_id":7},{"_id":8}]"#]],
    );
}

#[test]
fn query_arrays() {
    let docs = json!([{"_id": 1, "t": ["a", "b"], "q": [{"x": 1, "y": 2}, {"x": 3, "y": 4}]},
                      {"_id": 2, "t": ["b"], "q": [{"x": 1, "y": 4}]},
                      {"_id": 3, "t": [], "q": []}]);
    check(
        docs.clone(),
        &[find(json!({"t": {"$all": ["a", "b"]}}))],
        expect![[r#"[{"_id":1}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"t": {"$size": 1}}))],
        expect![[r#"[{"_id":2}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"q.x": 1, "q.y": 4}))],
        expect![[r#"[{"_id":1},{"_id":2}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"q": {"$elemMatch": {"x": 1, "y": 4}}}))],
        expect![[r#"[{"_id":2}]"#]],
    );
    check(
        docs.clone(),
        &[find(
            json!({"q": {"$elemMatch": {"$or": [{"x": 3}, {"y": 4}]}}}),
        )],
        expect![[r#"[{"_id":1},{"_id":2}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"t": []}))],
        expect![[r#"[{"_id":3}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"q.1.x": 3}))],
        expect![[r#"[{"_id":1}]"#]],
    );
    check(
        docs,
        &[find(
            json!({"t": {"$in": [{"$regularExpression": {"pattern": "^B", "options": "i"}}]}}),
        )],
        expect![[r#"[{"_id":1},{"_id":2}]"#]],
    );
}

#[test]
fn query_errors() {
    let docs = json!([{"_id": 1}]);
    check(
        docs.clone(),
        &[find(json!({"a": {"$gt": 1, "b": 1}}))],
        expect!["error 2 BadValue: unknown operator: b"],
    );
    check(
        docs.clone(),
        &[find(json!({"$where": "this.a > 1"}))],
        expect!["error 2 BadValue: $where is not supported: schemaplay does not run JavaScript"],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$regex": "(?<=x)y"}}))],
        expect![[
            r#"error 51091 Location51091: Regular expression is invalid: error: look-around, including look-ahead and look-behind, is not supported"#
        ]],
    );
    check(
        docs.clone(),
        &[find(json!({"$text": {"$search": "x"}}))],
        expect!["error 27 IndexNotFound: text index required for $text query"],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$options": "i"}}))],
        expect!["error 2 BadValue: $options needs a $regex"],
    );
    check(
        docs,
        &[find(json!({"$or": [{"a": 1}, 5]}))],
        expect!["error 2 BadValue: $or/$and/$nor entries need to be full objects"],
    );
}

#[test]
fn deeply_nested_filters_are_refused_not_crashed() {
    let mut filter = json!({"a": 1});
    for _ in 0..60 {
        filter = json!({"$and": [filter]});
    }
    check(
        json!([{"_id": 1}]),
        &[find(filter)],
        expect!["error 2 BadValue: the request nests 123 levels deep; at most 100 are allowed"],
    );
}

#[test]
fn projections() {
    let docs = json!([{"_id": 1, "a": {"b": 1, "c": 2}, "l": [1, 2, 3, 4, 5], "s": "x"}]);
    let p = |projection: Value| json!({"op": "find", "filter": {}, "projection": projection});
    check(
        docs.clone(),
        &[p(json!({"a": {"c": 1}}))],
        expect![[r#"[{"_id":1,"a":{"c":2}}]"#]],
    );
    check(
        docs.clone(),
        &[p(json!({"l": {"$slice": -2}, "_id": 0, "s": 1}))],
        expect![[r#"[{"l":[4,5],"s":"x"}]"#]],
    );
    check(
        docs.clone(),
        &[p(json!({"l": {"$slice": [-3, 2]}}))],
        expect![[r#"[{"_id":1,"a":{"b":1,"c":2},"l":[3,4],"s":"x"}]"#]],
    );
    check(
        docs.clone(),
        &[p(json!({"a.b": 0, "l": 0}))],
        expect![[r#"[{"_id":1,"a":{"c":2},"s":"x"}]"#]],
    );
    check(
        docs.clone(),
        &[p(json!({"s": 1, "l": 0}))],
        expect![
            "error 31254 Location31254: Cannot do exclusion on field l in inclusion projection"
        ],
    );
    check(
        docs,
        &[p(
            json!({"_id": 0, "n": {"$size": "$l"}, "up": {"$toUpper": "$s"}}),
        )],
        expect![[r#"[{"n":5,"up":"X"}]"#]],
    );
}

#[test]
fn sorting() {
    let docs = json!([{"_id": 1, "a": [3, 9]}, {"_id": 2, "a": 5}, {"_id": 3}, {"_id": 4, "a": "s"}, {"_id": 5, "a": [1]}]);
    let s =
        |sort: Value| json!({"op": "find", "filter": {}, "projection": {"_id": 1}, "sort": sort});
    check(
        docs.clone(),
        &[s(json!({"a": 1}))],
        expect![[r#"[{"_id":3},{"_id":5},{"_id":1},{"_id":2},{"_id":4}]"#]],
    );
    check(
        docs.clone(),
        &[s(json!({"a": -1}))],
        expect![[r#"[{"_id":4},{"_id":1},{"_id":2},{"_id":5},{"_id":3}]"#]],
    );
    check(docs, &[s(json!({"a": 2}))], expect!["error 15975 Location15975: $sort key ordering must be 1 (for ascending) or -1 (for descending)"]);
    let ties = json!([{"_id": 1, "k": 2}, {"_id": 2, "k": 1}, {"_id": 3, "k": 2}, {"_id": 4, "k": 1}, {"_id": 5, "k": 2}]);
    let top = |limit: i64, skip: i64| json!({"op": "find", "filter": {}, "projection": {"_id": 1}, "sort": {"k": -1}, "limit": limit, "skip": skip});
    check(
        ties.clone(),
        &[top(2, 0)],
        expect![[r#"[{"_id":1},{"_id":3}]"#]],
    );
    check(ties, &[top(2, 2)], expect![[r#"[{"_id":5},{"_id":2}]"#]]);
}

#[test]
fn updates() {
    let docs = json!([{"_id": 1, "a": 1, "g": [{"n": 1, "v": 5}, {"n": 2, "v": 50}], "l": [1, 2]}]);
    let u = |update: Value| json!({"op": "updateOne", "filter": {"_id": 1}, "update": update});
    let after = json!({"op": "findOne", "filter": {"_id": 1}});
    check(
        docs.clone(),
        &[u(json!({"$inc": {"g.$[].v": 1}})), after.clone()],
        expect![[r#"{"_id":1,"a":1,"g":[{"n":1,"v":6},{"n":2,"v":51}],"l":[1,2]}"#]],
    );
    check(
        docs.clone(),
        &[
            json!({"op": "updateOne", "filter": {"_id": 1}, "update": {"$set": {"g.$[big].v": 0}}, "arrayFilters": [{"big.v": {"$gt": 10}}]}),
            after.clone(),
        ],
        expect![[r#"{"_id":1,"a":1,"g":[{"n":1,"v":5},{"n":2,"v":0}],"l":[1,2]}"#]],
    );
    check(
        docs.clone(),
        &[
            u(json!({"$push": {"l": {"$each": [5, 0], "$sort": -1, "$slice": -2}}})),
            after.clone(),
        ],
        expect![[r#"{"_id":1,"a":1,"g":[{"n":1,"v":5},{"n":2,"v":50}],"l":[1,0]}"#]],
    );
    check(
        docs.clone(),
        &[
            u(json!({"$addToSet": {"l": {"$each": [2, 3]}}, "$currentDate": {"d": true}})),
            after.clone(),
        ],
        expect![[
            r#"{"_id":1,"a":1,"g":[{"n":1,"v":5},{"n":2,"v":50}],"l":[1,2,3],"d":{"$date":"2024-01-01T00:00:00Z"}}"#
        ]],
    );
    check(
        docs.clone(),
        &[u(json!({"$inc": {"a": "x"}}))],
        expect![[r#"error 14 TypeMismatch: Cannot increment with non-numeric argument: {a: "x"}"#]],
    );
    check(docs.clone(), &[u(json!({"$set": {"_id": 2}}))], expect!["error 66 ImmutableField: Performing an update on the path '_id' would modify the immutable field '_id'"]);
    check(docs.clone(), &[u(json!({"$foo": {"a": 1}}))], expect!["error 9 FailedToParse: Unknown modifier: $foo. Expected a valid update modifier or pipeline-style update specified as an array"]);
    check(
        docs.clone(),
        &[u(json!({"$set": {"a.b": 1}}))],
        expect!["error 28 PathNotViable: Cannot create field 'b' in element {a: 1}"],
    );
    check(docs.clone(), &[u(json!({"$inc": {"l": 1}}))], expect!["error 14 TypeMismatch: Cannot apply $inc to a value of non-numeric type. {_id: 1} has the field 'l' of non-numeric type array"]);
    check(
        docs.clone(),
        &[json!({"op": "updateOne", "filter": {"_id": 1}, "update": {"a": 2}})],
        expect!["error 9 FailedToParse: Update document requires atomic operators"],
    );
    check(
        docs.clone(),
        &[
            json!({"op": "replaceOne", "filter": {"_id": 1}, "replacement": {"z": 1}}),
            after.clone(),
        ],
        expect![[r#"{"_id":1,"z":1}"#]],
    );
    check(
        docs,
        &[
            json!({"op": "updateMany", "filter": {"k": "new"}, "update": {"$set": {"v": 1}, "$setOnInsert": {"c": true}}, "upsert": true}),
        ],
        expect![[
            r#"{"acknowledged":true,"matchedCount":0,"modifiedCount":0,"upsertedCount":1,"upsertedId":{"$oid":"659200805c68656d61000001"}}"#
        ]],
    );
}

#[test]
fn find_one_and_update_returns_the_chosen_version() {
    let docs = json!([{"_id": 1, "n": 1}, {"_id": 2, "n": 5}]);
    check(
        docs.clone(),
        &[
            json!({"op": "findOneAndUpdate", "filter": {}, "sort": {"n": -1}, "update": {"$inc": {"n": 1}}, "returnDocument": "after"}),
        ],
        expect![[r#"{"_id":2,"n":6}"#]],
    );
    check(
        docs,
        &[json!({"op": "findOneAndUpdate", "filter": {"n": 1}, "update": {"$inc": {"n": 1}}})],
        expect![[r#"{"_id":1,"n":1}"#]],
    );
}

#[test]
fn aggregation() {
    let docs = json!([
        {"_id": 1, "c": "a", "v": 5, "tags": ["x", "y"], "d": {"$date": "2024-03-05T10:20:30Z"}},
        {"_id": 2, "c": "b", "v": 7, "tags": ["y"], "d": {"$date": "2024-12-31T23:59:59Z"}},
        {"_id": 3, "c": "a", "v": 1, "tags": [], "d": {"$date": "2023-01-01T00:00:00Z"}}
    ]);
    let a = |pipeline: Value| json!({"op": "aggregate", "pipeline": pipeline});
    check(
        docs.clone(),
        &[a(
            json!([{"$group": {"_id": "$c", "max": {"$max": "$v"}, "vs": {"$push": "$v"}, "avg": {"$avg": "$v"}}}, {"$sort": {"_id": 1}}]),
        )],
        expect![[
            r#"[{"_id":"a","max":5,"vs":[5,1],"avg":3.0},{"_id":"b","max":7,"vs":[7],"avg":7.0}]"#
        ]],
    );
    check(
        docs.clone(),
        &[a(
            json!([{"$unwind": {"path": "$tags", "includeArrayIndex": "i", "preserveNullAndEmptyArrays": true}}, {"$project": {"tags": 1, "i": 1}}]),
        )],
        expect![[
            r#"[{"_id":1,"tags":"x","i":0},{"_id":1,"tags":"y","i":1},{"_id":2,"tags":"y","i":0},{"_id":3,"i":null}]"#
        ]],
    );
    check(
        docs.clone(),
        &[a(
            json!([{"$project": {"_id": 0, "y": {"$year": "$d"}, "m": {"$month": "$d"}, "dow": {"$dayOfWeek": "$d"}, "s": {"$dateToString": {"date": "$d", "format": "%Y-%m-%d %H:%M"}}}}, {"$limit": 2}]),
        )],
        expect![[
            r#"[{"y":2024,"m":3,"dow":3,"s":"2024-03-05 10:20"},{"y":2024,"m":12,"dow":3,"s":"2024-12-31 23:59"}]"#
        ]],
    );
    check(
        docs.clone(),
        &[a(
            json!([{"$facet": {"n": [{"$count": "n"}], "top": [{"$sort": {"v": -1}}, {"$limit": 1}, {"$project": {"v": 1}}]}}]),
        )],
        expect![[r#"[{"n":[{"n":3}],"top":[{"_id":2,"v":7}]}]"#]],
    );
    check(
        docs.clone(),
        &[a(
            json!([{"$lookup": {"from": "c", "let": {"cat": "$c"}, "pipeline": [{"$match": {"$expr": {"$eq": ["$c", "$$cat"]}}}, {"$project": {"_id": 1}}], "as": "same"}}, {"$project": {"same": 1}}]),
        )],
        expect![[
            r#"[{"_id":1,"same":[{"_id":1},{"_id":3}]},{"_id":2,"same":[{"_id":2}]},{"_id":3,"same":[{"_id":1},{"_id":3}]}]"#
        ]],
    );
    check(
        docs.clone(),
        &[a(json!([{"$bogus": 1}]))],
        expect!["error 40324 Location40324: Unrecognized pipeline stage name: '$bogus'"],
    );
    check(
        docs.clone(),
        &[a(json!([{"$project": {"x": {"$bogus": 1}}}]))],
        expect!["error 168 InvalidPipelineOperator: Unrecognized expression '$bogus'"],
    );
    check(
        docs,
        &[a(json!([{"$project": {"x": {"$divide": ["$v", 0]}}}]))],
        expect!["error 2 BadValue: can't $divide by zero"],
    );
}

#[test]
fn indexes_and_explain() {
    let docs =
        json!([{"_id": 1, "a": 1, "b": "x"}, {"_id": 2, "a": 2}, {"_id": 3, "a": 3, "b": "y"}]);
    let ex = |filter: Value| json!({"op": "find", "filter": filter, "explain": true});
    check(docs.clone(), &[json!({"op": "createIndex", "key": {"b": 1}, "options": {"unique": true}}), json!({"op": "insertOne", "document": {"_id": 4}})],
        expect!["error 11000 DuplicateKey: E11000 duplicate key error collection: test.c index: b_1 dup key: { b: null }"]);
    check(
        docs.clone(),
        &[
            json!({"op": "createIndex", "key": {"b": 1}, "options": {"unique": true, "sparse": true}}),
            json!({"op": "insertOne", "document": {"_id": 4}}),
        ],
        expect![[r#"{"acknowledged":true,"insertedId":4}"#]],
    );
    check(docs.clone(), &[json!({"op": "insertOne", "document": {"_id": 1}})],
        expect!["error 11000 DuplicateKey: E11000 duplicate key error collection: test.c index: _id_ dup key: { _id: 1 }"]);
    check(
        docs.clone(),
        &[
            json!({"op": "createIndex", "key": {"a": 1}}),
            ex(json!({"a": {"$gt": 1}})),
        ],
        expect![[
            r#"{"explainVersion":"1","queryPlanner":{"namespace":"test.c","parsedQuery":{"a":{"$gt":1}},"indexFilterSet":false,"winningPlan":{"stage":"FETCH","inputStage":{"stage":"IXSCAN","keyPattern":{"a":1},"indexName":"a_1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"a":["(1, inf.0]"]}}},"rejectedPlans":[]},"executionStats":{"executionSuccess":true,"nReturned":2,"executionTimeMillis":0,"totalKeysExamined":2,"totalDocsExamined":2,"executionStages":{"stage":"FETCH","docsExamined":2,"inputStage":{"stage":"IXSCAN","keyPattern":{"a":1},"indexName":"a_1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"a":["(1, inf.0]"]},"keysExamined":2},"nReturned":2}},"ok":1.0}"#
        ]],
    );
    check(
        docs.clone(),
        &[
            json!({"op": "createIndex", "key": {"a": 1}, "options": {"partialFilterExpression": {"a": {"$gte": 2}}}}),
            json!({"op": "find", "filter": {"a": 1}, "explain": "queryPlanner"}),
        ],
        expect![[
            r#"{"explainVersion":"1","queryPlanner":{"namespace":"test.c","parsedQuery":{"a":{"$eq":1}},"indexFilterSet":false,"winningPlan":{"stage":"COLLSCAN","filter":{"a":{"$eq":1}},"direction":"forward"},"rejectedPlans":[]},"ok":1.0}"#
        ]],
    );
    check(
        docs,
        &[
            json!({"op": "createIndex", "key": {"a": -1}}),
            json!({"op": "listIndexes"}),
        ],
        expect![[
            r#"[{"v":2,"key":{"_id":1},"name":"_id_"},{"v":2,"key":{"a":-1},"name":"a_-1"}]"#
        ]],
    );
}

#[test]
fn request_shape_errors() {
    check(
        json!([]),
        &[json!({"op": "frobnicate"})],
        expect!["error 59 CommandNotFound: no such command: 'frobnicate'"],
    );
    check(json!([]), &[json!({"op": "find", "filter": "x"})], expect!["error 14 TypeMismatch: BSON field 'find.filter' is the wrong type 'string', expected type 'object'"]);
    check(
        json!([]),
        &[json!({"op": "insertOne", "document": {"a": {"$numberLong": "x"}}})],
        expect![[
            r#"error 9 FailedToParse: 'document' is not valid Extended JSON: BSON error. Kind: A deserialization-related error occurred. Message: invalid value: string "x", expected i64 as a string."#
        ]],
    );
}

#[test]
fn text_and_value_entry_points_agree() {
    let mut db = Database::new();
    let docs = json!([{"_id": 1, "s": "a\"b\n", "d": {"$date": "2014-04-04T11:21:39.736Z"}, "f": 2.0, "n": {"$numberLong": "9"},
                       "o": {"$oid": "65a000000000000000000001"}, "x": {"$numberDecimal": "1.5"}, "l": [null, true, {"k": []}]}]);
    let load = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
    assert!(load.is_ok(), "{load:?}");
    for request in [
        json!({"op": "find", "collection": "c", "filter": {}}),
        json!({"op": "findOne", "collection": "c", "filter": {"_id": 2}}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$project": {"s": 1, "d": 1}}]}),
        json!({"op": "countDocuments", "collection": "c", "filter": {}}),
        json!({"op": "find", "collection": "c", "filter": {}, "cursor": {}}),
        json!({"op": "find", "collection": "c", "filter": {}, "projection": {"l": 0}, "cursor": {}}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$project": {"s": 1}}], "cursor": {}}),
    ] {
        let value = db
            .execute(&request)
            .map(|v| serde_json::to_string(&v).unwrap_or_default());
        let text = db.execute_json(&request.to_string());
        assert_eq!(value, text, "{request}");
    }
    // The text kept for a stored document follows its updates.
    let find = json!({"op": "find", "collection": "c", "filter": {}}).to_string();
    let before = db.execute_json(&find);
    let _ = db.execute(&json!({"op": "updateOne", "collection": "c", "filter": {"_id": 1}, "update": {"$set": {"f": 3}}}));
    let after = db.execute_json(&find);
    assert_ne!(before, after);
    assert_eq!(after.map(|t| t.contains(r#""f":3"#)), Ok(true));
}

#[test]
fn regex_literals_take_the_fast_path_with_the_same_answers() {
    let docs = json!([{"_id": 1, "n": "abc"}, {"_id": 2, "n": "xabc"}, {"_id": 3, "n": "ab\nc"}, {"_id": 4, "n": 5}]);
    check(
        docs.clone(),
        &[find(json!({"n": {"$regex": "^ab"}}))],
        expect![[r#"[{"_id":1},{"_id":3}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"n": {"$regex": "ab"}}))],
        expect![[r#"[{"_id":1},{"_id":2},{"_id":3}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"n": {"$regex": "^ab.$"}}))],
        expect![[r#"[{"_id":1}]"#]],
    );
    check(
        docs,
        &[find(json!({"n": {"$regex": "^c", "$options": "m"}}))],
        expect![[r#"[{"_id":3}]"#]],
    );
}

#[test]
fn null_through_arrays() {
    // jstests/core/null2.js: only documents inside the array can lack the field.
    let docs = json!([{"_id": 1, "a": [{"b": 5}]}, {"_id": 2, "a": [{}]}, {"_id": 3, "a": []}, {"_id": 4, "a": [{}, {"b": 5}]}, {"_id": 5, "a": [5, {"b": 5}]}]);
    check(
        docs.clone(),
        &[find(json!({"a.b": null}))],
        expect![[r#"[{"_id":2},{"_id":4}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a.b": {"$in": [null]}}))],
        expect![[r#"[{"_id":2},{"_id":4}]"#]],
    );
    check(
        docs.clone(),
        &[
            json!({"op": "createIndex", "key": {"a.b": 1}}),
            find(json!({"a.b": null})),
        ],
        expect![[r#"[{"_id":2},{"_id":4}]"#]],
    );
    check(
        docs,
        &[
            json!({"op": "createIndex", "key": {"a.b": 1}}),
            json!({"op": "countDocuments", "filter": {"a.b": {"$exists": false}}}),
        ],
        expect!["2"],
    );
}

#[test]
fn extreme_numbers_are_answered_not_crashed() {
    let docs = json!([{"_id": 1, "l": [1, 2, 3], "s": "héllo"}]);
    let a = |e: Value| json!({"op": "aggregate", "pipeline": [{"$project": {"_id": 0, "r": e}}]});
    let min = json!({"$numberLong": "-9223372036854775808"});
    let max = json!({"$numberLong": "9223372036854775807"});
    check(
        docs.clone(),
        &[a(json!({"$slice": ["$l", min.clone()]}))],
        expect![[r#"[{"r":[1,2,3]}]"#]],
    );
    check(
        docs.clone(),
        &[a(json!({"$arrayElemAt": ["$l", min.clone()]}))],
        expect!["[{}]"],
    );
    check(
        docs.clone(),
        &[a(
            json!({"$range": [0, max.clone(), {"$numberLong": "4611686018427387904"}]}),
        )],
        expect![[r#"[{"r":[0,4611686018427387904]}]"#]],
    );
    check(
        docs.clone(),
        &[a(json!({"$substrBytes": ["$s", 0, max.clone()]}))],
        expect![[r#"[{"r":"héllo"}]"#]],
    );
    check(
        docs.clone(),
        &[a(json!({"$add": [max.clone(), 1]}))],
        expect![[r#"[{"r":9.223372036854776e+18}]"#]],
    );
    check(
        docs.clone(),
        &[json!({"op": "find", "filter": {}, "projection": {"l": {"$slice": min.clone()}}})],
        expect![[r#"[{"_id":1,"l":[1,2,3],"s":"héllo"}]"#]],
    );
    check(
        docs.clone(),
        &[
            json!({"op": "updateOne", "filter": {}, "update": {"$push": {"l": {"$each": [9], "$position": min.clone(), "$slice": min}}}}),
            json!({"op": "findOne", "filter": {}}),
        ],
        expect![[r#"{"_id":1,"l":[9,1,2,3],"s":"héllo"}"#]],
    );
    check(docs, &[json!({"op": "find", "filter": {}, "skip": max, "limit": 5})], expect!["error 14 TypeMismatch: BSON field 'find.skip' is the wrong type 'object', expected type 'long'"]);
}

#[test]
fn planner_uses_indexes_for_elem_match_and_stops_at_the_limit() {
    let docs = json!([{"_id": 1, "o": [{"s": "a", "q": 1}, {"s": "b", "q": 5}]}, {"_id": 2, "o": [{"s": "b", "q": 1}]}, {"_id": 3, "o": []}]);
    let stats = |filter: Value, extra: Value| {
        let mut r = json!({"op": "explain", "command": {"op": "find", "filter": filter}});
        if let (Value::Object(cmd), Value::Object(more)) = (&mut r["command"], extra) {
            cmd.extend(more);
        }
        r
    };
    let mut db = Database::new();
    let _ = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
    let _ = db.execute(&json!({"op": "createIndex", "collection": "c", "key": {"o.s": 1}}));
    let _ =
        db.execute(&json!({"op": "createIndex", "collection": "c", "key": {"_id": -1, "o.q": 1}}));
    let show = |db: &mut Database, r: Value| {
        let mut r = r;
        r["collection"] = json!("c");
        let e = db.execute(&r).unwrap_or_default();
        let plan = e["queryPlanner"]["winningPlan"].to_string();
        let stage = if plan.contains("IXSCAN") {
            "IXSCAN"
        } else {
            "COLLSCAN"
        };
        let s = &e["executionStats"];
        format!(
            "{stage} keys={} docs={} n={}",
            s["totalKeysExamined"], s["totalDocsExamined"], s["nReturned"]
        )
    };
    expect!["IXSCAN keys=2 docs=2 n=1"].assert_eq(&show(
        &mut db,
        stats(
            json!({"o": {"$elemMatch": {"s": "b", "q": {"$gt": 2}}}}),
            json!({}),
        ),
    ));
    expect!["IXSCAN keys=1 docs=1 n=1"].assert_eq(&show(
        &mut db,
        stats(json!({}), json!({"sort": {"_id": -1}, "limit": 1})),
    ));
}

#[test]
fn text_search_stems_like_mongodb() {
    let docs = json!([{"_id": 1, "t": "Senior developers running services"}, {"_id": 2, "t": "The development team"}, {"_id": 3, "t": "a runner"}]);
    let text = |search: Value| json!({"op": "find", "filter": {"$text": search}, "projection": {"_id": 1}});
    let index = json!({"op": "createIndex", "key": {"t": "text"}});
    check(
        docs.clone(),
        &[index.clone(), text(json!({"$search": "developing"}))],
        expect![[r#"[{"_id":1},{"_id":2}]"#]],
    );
    check(
        docs.clone(),
        &[index.clone(), text(json!({"$search": "run"}))],
        expect![[r#"[{"_id":1}]"#]],
    );
    check(
        docs.clone(),
        &[index.clone(), text(json!({"$search": "the"}))],
        expect!["[]"],
    );
    check(
        docs.clone(),
        &[
            index.clone(),
            text(json!({"$search": "developing", "$language": "none"})),
        ],
        expect!["[]"],
    );
    check(
        docs,
        &[index, text(json!({"$search": "x", "$language": "klingon"}))],
        expect![[r#"error 2 BadValue: unsupported language: "klingon" for $language"#]],
    );
}

/// The winning plan's stages, outermost first (an `OR` lists its inputs in brackets).
fn stages(plan: &Value) -> String {
    let name = plan["stage"].as_str().unwrap_or("?").to_string();
    if let Some(inputs) = plan["inputStages"].as_array() {
        let inner: Vec<String> = inputs.iter().map(stages).collect();
        return format!("{name} [{}]", inner.join(", "));
    }
    match plan.get("inputStage") {
        Some(inner) => format!("{name} > {}", stages(inner)),
        None if name == "IXSCAN" => format!("IXSCAN {}", plan["indexName"].as_str().unwrap_or("?")),
        None => name,
    }
}

/// Runs `find` with `filter` after creating indexes on `keys`; shows the plan, the counters and
/// the `_id`s found.
fn check_or(keys: &[Value], filter: Value, expect: Expect) {
    let docs = json!([{"_id": 1, "a": 1, "b": 5}, {"_id": 2, "a": 2, "b": 6}, {"_id": 3, "a": 3, "b": 1},
                      {"_id": 4, "a": 1, "b": 1}, {"_id": 5, "c": 1}]);
    let mut db = Database::new();
    let ok = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
    assert!(ok.is_ok(), "{ok:?}");
    for key in keys {
        let ok = db.execute(&json!({"op": "createIndex", "collection": "c", "key": key}));
        assert!(ok.is_ok(), "{ok:?}");
    }
    let ex =
        db.execute(&json!({"op": "find", "collection": "c", "filter": filter, "explain": true}));
    let found = db.execute(
        &json!({"op": "find", "collection": "c", "filter": filter, "projection": {"_id": 1}}),
    );
    let shown = match (ex, found) {
        (Ok(ex), Ok(found)) => {
            let s = &ex["executionStats"];
            format!(
                "{}; keys {} docs {}; {}",
                stages(&ex["queryPlanner"]["winningPlan"]),
                s["totalKeysExamined"],
                s["totalDocsExamined"],
                found
            )
        }
        (Err(e), _) | (_, Err(e)) => format!("error {}", e.message),
    };
    expect.assert_eq(&shown);
}

#[test]
fn or_uses_an_index_union_when_every_clause_is_indexed() {
    let (a, b) = (json!({"a": 1}), json!({"b": 1}));
    check_or(
        &[a.clone(), b.clone()],
        json!({"$or": [{"a": 1}, {"b": 1}]}),
        expect![[
            r#"SUBPLAN > FETCH > OR [IXSCAN a_1, IXSCAN b_1]; keys 4 docs 3; [{"_id":1},{"_id":4},{"_id":3}]"#
        ]],
    );
    check_or(
        &[json!({"a": 1})],
        json!({"$or": [{"a": 1}, {"a": {"$gte": 3}}]}),
        expect![[
            r#"SUBPLAN > FETCH > OR [IXSCAN a_1, IXSCAN a_1]; keys 3 docs 3; [{"_id":1},{"_id":4},{"_id":3}]"#
        ]],
    );
    check_or(
        &[json!({"a": 1})],
        json!({"$or": [{"a": 1}, {"b": 1}]}),
        expect![[r#"COLLSCAN; keys 0 docs 5; [{"_id":1},{"_id":3},{"_id":4}]"#]],
    );
    check_or(
        &[a.clone(), b.clone()],
        json!({"$or": [{"a": 1, "c": {"$exists": false}}, {"b": {"$gt": 5}}]}),
        expect![[
            r#"SUBPLAN > FETCH > OR [IXSCAN a_1, IXSCAN b_1]; keys 3 docs 3; [{"_id":1},{"_id":4},{"_id":2}]"#
        ]],
    );
    check_or(
        &[],
        json!({"$or": [{"a": 1}]}),
        expect![[r#"COLLSCAN; keys 0 docs 5; [{"_id":1},{"_id":4}]"#]],
    );
}

#[test]
fn find_with_results_and_explain_runs_once() {
    let docs = json!([{"_id": 1, "a": 1}, {"_id": 2, "a": 2}, {"_id": 3, "a": 3}]);
    let req = json!({"op": "find", "filter": {"a": {"$gte": 2}}, "explain": "withResults"});
    let mut db = Database::new();
    let ok = db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}));
    assert!(ok.is_ok(), "{ok:?}");
    let text = db.execute_json(&json!({"op": "find", "collection": "c", "filter": {"a": {"$gte": 2}}, "explain": "withResults"}).to_string());
    let value = db.execute(&json!({"op": "find", "collection": "c", "filter": {"a": {"$gte": 2}}, "explain": "withResults"}));
    let text: Option<Value> = text.ok().and_then(|t| serde_json::from_str(&t).ok());
    assert_eq!(text, value.ok(), "the text and value entry points agree");
    check(
        docs.clone(),
        &[json!({"op": "createIndex", "key": {"a": 1}}), req.clone()],
        expect![[
            r#"{"results":[{"_id":2,"a":2},{"_id":3,"a":3}],"explain":{"explainVersion":"1","queryPlanner":{"namespace":"test.c","parsedQuery":{"a":{"$gte":2}},"indexFilterSet":false,"winningPlan":{"stage":"FETCH","inputStage":{"stage":"IXSCAN","keyPattern":{"a":1},"indexName":"a_1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"a":["[2, inf.0]"]}}},"rejectedPlans":[]},"executionStats":{"executionSuccess":true,"nReturned":2,"executionTimeMillis":0,"totalKeysExamined":2,"totalDocsExamined":2,"executionStages":{"stage":"FETCH","docsExamined":2,"inputStage":{"stage":"IXSCAN","keyPattern":{"a":1},"indexName":"a_1","isMultiKey":false,"isUnique":false,"isSparse":false,"isPartial":false,"indexVersion":2,"direction":"forward","indexBounds":{"a":["[2, inf.0]"]},"keysExamined":2},"nReturned":2}},"ok":1.0}}"#
        ]],
    );
    check(
        docs,
        &[json!({"op": "find", "filter": {"a": 1}, "explain": "withResult"})],
        expect!["error 2 BadValue: verbosity string must be one of {'queryPlanner', 'executionStats', 'allPlansExecution'} or 'withResults', not 'withResult'"],
    );
}

#[test]
fn long_in_lists_match_as_short_ones() {
    let docs = json!([{"_id": 1, "a": "k"}, {"_id": 2, "a": ["z", "q"]}, {"_id": 3, "a": 4.0}, {"_id": 4, "a": "zz"},
                      {"_id": 5, "a": {"$symbol": "s"}}, {"_id": 6, "a": ["x", "y"]}, {"_id": 7}, {"_id": 8, "a": "Zebra"}]);
    // Ten members: strings, a number, null, an array, a regex.
    let long = json!(["b", "c", "d", "e", "k", "q", 4, null, ["x", "y"], {"$regularExpression": {"pattern": "^Z", "options": ""}}]);
    check(
        docs.clone(),
        &[find(json!({"a": {"$in": long}}))],
        expect![[r#"[{"_id":1},{"_id":2},{"_id":3},{"_id":6},{"_id":7},{"_id":8}]"#]],
    );
    check(
        docs.clone(),
        &[find(json!({"a": {"$nin": long}}))],
        expect![[r#"[{"_id":4},{"_id":5}]"#]],
    );
    check(
        docs,
        &[find(
            json!({"a": {"$in": ["a", "b", "c", "d", "e", "f", "g", {"$symbol": "s"}]}}),
        )],
        expect![[r#"[{"_id":5}]"#]],
    );
}

/// Many deletes leave holes that a later insert closes up (renumbering the records and
/// rebuilding the indexes): scans, index scans, sort from columns and unique checks all see
/// the same documents before and after.
#[test]
fn deleted_records_are_compacted_without_losing_anything() {
    let mut db = Database::new();
    let docs: Vec<Value> = (0..5000)
        .map(|i| json!({"_id": i, "email": format!("u{i}@x"), "n": i % 7, "tags": [i % 3, i % 5]}))
        .collect();
    let run = |db: &mut Database, r: Value| db.execute(&r).map_err(|e| e.message);
    run(
        &mut db,
        json!({"op": "insertMany", "collection": "c", "documents": docs}),
    )
    .unwrap();
    run(
        &mut db,
        json!({"op": "createIndex", "collection": "c", "key": {"email": 1}, "unique": true}),
    )
    .unwrap();
    run(
        &mut db,
        json!({"op": "createIndex", "collection": "c", "key": {"tags": 1}}),
    )
    .unwrap();
    let deleted = run(
        &mut db,
        json!({"op": "deleteMany", "collection": "c", "filter": {"_id": {"$lt": 4000}}}),
    )
    .unwrap();
    assert_eq!(deleted["deletedCount"], 4000);
    let queries = [
        json!({"op": "find", "collection": "c", "filter": {"n": 3, "tags": 4}, "sort": {"_id": -1}, "limit": 3}),
        json!({"op": "find", "collection": "c", "filter": {"email": {"$in": ["u4500@x", "u10@x"]}}}),
        json!({"op": "countDocuments", "collection": "c", "filter": {"tags": 2}}),
        json!({"op": "find", "collection": "c", "filter": {"tags": {"$elemMatch": {"$gte": 4}}}, "sort": {"n": 1, "_id": 1}, "limit": 2}),
    ];
    let before: Vec<Value> = queries
        .iter()
        .map(|q| run(&mut db, q.clone()).unwrap())
        .collect();
    // This insert finds 4000 holes beside 1000 documents, and compacts first.
    run(&mut db, json!({"op": "insertOne", "collection": "c", "document": {"_id": 9999, "email": "new@x", "n": 0, "tags": [9]}})).unwrap();
    run(
        &mut db,
        json!({"op": "deleteOne", "collection": "c", "filter": {"_id": 9999}}),
    )
    .unwrap();
    let after: Vec<Value> = queries
        .iter()
        .map(|q| run(&mut db, q.clone()).unwrap())
        .collect();
    assert_eq!(before, after);
    assert_eq!(before[0].as_array().map(Vec::len), Some(3));
    assert_eq!(
        before[1],
        json!([{"_id": 4500, "email": "u4500@x", "n": 6, "tags": [0, 0]}])
    );
    let dup = run(
        &mut db,
        json!({"op": "insertOne", "collection": "c", "document": {"email": "u4999@x"}}),
    );
    assert!(dup.unwrap_err().starts_with("E11000 duplicate key error"));
    let stats = run(&mut db, json!({"op": "explain", "collection": "c", "command": {"op": "find", "filter": {"n": 100}}})).unwrap();
    assert_eq!(stats["executionStats"]["totalDocsExamined"], 1000);
}

/// An index scan long enough to switch to columns for the rest of its filter answers as the
/// same query without the index, positional projections included.
#[test]
fn long_index_scans_answer_as_collection_scans() {
    let docs: Vec<Value> = (0..4000)
        .map(|i| {
            let tags = match i % 4 {
                0 => json!([i % 3, i % 5, i % 7]),
                1 => json!(i % 3),
                2 => json!([[i % 3], {"k": i % 5}]),
                _ => json!(null),
            };
            json!({"_id": i, "n": i % 50, "tags": tags, "o": [{"s": i % 6, "q": i % 4}, {"s": i % 5}]})
        })
        .collect();
    let queries = [
        json!({"filter": {"n": {"$gte": 3}, "tags": 2}}),
        json!({"filter": {"n": {"$lt": 40}, "$or": [{"tags": {"$in": [4, 6]}}, {"o.s": 5}]}}),
        json!({"filter": {"n": {"$gte": 0}, "o": {"$elemMatch": {"s": 2, "q": {"$gte": 2}}}}}),
        json!({"filter": {"n": {"$gte": 1}, "tags": {"$gt": 1}}, "projection": {"tags.$": 1}}),
        json!({"filter": {"n": {"$gte": 1}, "tags": null}, "sort": {"_id": -1}, "limit": 5}),
        json!({"filter": {"$or": [{"n": {"$lt": 30}, "tags": 2}, {"n": {"$gt": 20}, "o.s": 4}]}}),
    ];
    let mut plain = Database::new();
    let mut indexed = Database::new();
    for db in [&mut plain, &mut indexed] {
        db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}))
            .unwrap();
    }
    indexed
        .execute(&json!({"op": "createIndex", "collection": "c", "key": {"n": 1}}))
        .unwrap();
    let by_id = |v: Value| {
        let mut docs = v.as_array().cloned().unwrap_or_default();
        docs.sort_by_key(|d| d["_id"].as_i64());
        docs
    };
    for q in queries {
        let mut req = q.clone();
        req["op"] = json!("find");
        req["collection"] = json!("c");
        let want = plain.execute(&req).unwrap();
        let got = indexed.execute(&req).unwrap();
        assert!(!by_id(want.clone()).is_empty(), "{q}");
        assert_eq!(by_id(want), by_id(got), "{q}");
        let explain = indexed
            .execute(&json!({"op": "explain", "collection": "c", "command": req}))
            .unwrap();
        let stats = &explain["executionStats"];
        assert!(
            stats["totalKeysExamined"].as_i64() > Some(1024),
            "{q}: {stats}"
        );
    }
}

/// `$unwind` straight into `$group` (or `$sortByCount`) groups elements in place; it answers as
/// the same pipeline with a `$match: {}` between, which runs the two stages apart.
/// Documents whose `a.t` is every shape `$unwind` treats apart: arrays of values, documents
/// and arrays, an empty array, null, missing, a scalar, and arrays on the way.
fn unwind_docs() -> Value {
    json!([
        {"_id": 1, "a": {"t": [1, 2, {"x": 3}], "k": "p"}, "n": 1},
        {"_id": 2, "a": {"t": [], "k": "q"}, "n": 2},
        {"_id": 3, "a": {"t": null, "k": "p"}},
        {"_id": 4, "a": {"k": "r"}, "n": 4},
        {"_id": 5, "a": {"t": "scalar", "k": "q"}, "n": 5},
        {"_id": 6, "a": [{"t": [7, 8]}, {"t": [9]}], "n": 6},
        {"_id": 7, "a": {"t": [{"x": 1, "y": [1, 2]}, {"x": 1}], "k": "p"}, "n": 7},
        {"_id": 8, "b": 1},
        {"_id": 9, "a": {"t": [[1, 2], 3], "k": "s"}, "n": 9, "z": {"t": [5, 6]}}
    ])
}

#[test]
fn unwind_into_group_answers_as_the_stages_apart() {
    let docs = unwind_docs();
    let unwinds = [
        json!({"$unwind": "$a.t"}),
        json!({"$unwind": {"path": "$a.t", "preserveNullAndEmptyArrays": true}}),
    ];
    let groups = [
        json!({"$group": {"_id": "$a.t", "n": {"$sum": 1}, "ids": {"$push": "$_id"}}}),
        json!({"$group": {"_id": "$a.k", "t": {"$push": "$a.t"}, "x": {"$push": "$a.t.x"}, "s": {"$sum": "$n"}}}),
        json!({"$group": {"_id": "$a.t.x", "roots": {"$push": "$$ROOT"}, "a": {"$first": "$a"}}}),
        json!({"$group": {"_id": {"k": "$a.k", "ty": {"$type": "$a.t"}}, "c": {"$count": {}}}}),
        json!({"$group": {"_id": "$n", "x": {"$addToSet": "$a.t.x"}, "k": {"$first": "$a.k"}, "a": {"$push": "$a"}}}),
        json!({"$group": {"_id": "$a", "n": {"$sum": 1}}}),
        json!({"$group": {"_id": null, "all": {"$push": {"$getField": {"field": "a"}}}, "cur": {"$push": "$$CURRENT.a.t"}}}),
        json!({"$sortByCount": "$a.t"}),
    ];
    let mut db = Database::new();
    db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}))
        .unwrap();
    for u in &unwinds {
        for g in &groups {
            let run = |db: &mut Database, pipeline: Value| {
                let out = db
                    .execute(&json!({"op": "aggregate", "collection": "c", "pipeline": pipeline}))
                    .map_err(|e| e.message);
                out.map(|v| {
                    let mut docs = v.as_array().cloned().unwrap_or_default();
                    docs.sort_by_key(|d| d["_id"].to_string());
                    docs
                })
            };
            // First in the pipeline, read from columns over the elements; after another
            // stage, from the documents; and the stages apart.
            let columns = run(&mut db, json!([u, g]));
            let fused = run(&mut db, json!([{"$project": {"zz": 0}}, u, g]));
            let apart = run(&mut db, json!([u, {"$match": {}}, g]));
            assert_eq!(columns, apart, "{u} {g}");
            assert_eq!(fused, apart, "{u} {g}");
            assert!(fused.is_ok_and(|d| !d.is_empty()), "{u} {g}");
        }
    }
}

/// A `$group` first in the pipeline reads fields from the collection's columns; it answers as
/// the same pipeline with a `$skip: 0` before it, which groups the documents themselves.
#[test]
fn group_from_columns_answers_as_group_over_documents() {
    let docs = json!([
        {"_id": 1, "a": {"k": "p", "n": 1, "t": [1, 2]}, "b": 1},
        {"_id": 2, "a": {"k": "q", "n": 2.5}, "b": "x"},
        {"_id": 3, "a": [{"k": "p", "n": 3}, {"k": "r"}], "b": null},
        {"_id": 4, "a": "scalar"},
        {"_id": 5, "b": {"c": [1, {"d": 2}]}},
        {"_id": 6, "a": {"k": null, "n": {"$numberLong": "7"}}, "b": 2},
        {"_id": 7, "a": {"k": "p", "n": {"$numberDecimal": "1.5"}, "t": []}, "b": 1}
    ]);
    let groups = [
        json!({"$group": {"_id": "$a.k", "n": {"$sum": "$a.n"}, "c": {"$count": {}}, "ids": {"$push": "$_id"}}}),
        json!({"$group": {"_id": {"k": "$a.k", "b": "$b"}, "t": {"$push": "$a.t"}, "avg": {"$avg": "$a.n"}}}),
        json!({"$group": {"_id": "$b.c.d", "first": {"$first": "$$ROOT"}, "cur": {"$push": "$$CURRENT.a"}}}),
        json!({"$group": {"_id": {"$type": "$a"}, "max": {"$max": "$a.n"}, "k": {"$addToSet": "$a.k"}}}),
        json!({"$group": {"_id": null, "all": {"$push": {"$getField": {"field": "b"}}}, "m": {"$min": "$a.missing"}}}),
        json!({"$sortByCount": "$a.k"}),
    ];
    let mut db = Database::new();
    db.execute(&json!({"op": "insertMany", "collection": "c", "documents": docs}))
        .unwrap();
    let run = |db: &mut Database, pipeline: Value| {
        db.execute(&json!({"op": "aggregate", "collection": "c", "pipeline": pipeline}))
            .map(|v| {
                let mut docs = v.as_array().cloned().unwrap_or_default();
                docs.sort_by_key(|d| d["_id"].to_string());
                docs
            })
            .map_err(|e| e.message)
    };
    for g in &groups {
        for prefix in [json!([]), json!([{"$match": {"_id": {"$gte": 2}}}])] {
            let mut columns = prefix.as_array().cloned().unwrap_or_default();
            columns.push(g.clone());
            let mut documents = columns.clone();
            documents.insert(documents.len() - 1, json!({"$skip": 0}));
            let got = run(&mut db, Value::Array(columns));
            assert_eq!(got, run(&mut db, Value::Array(documents)), "{prefix} {g}");
            assert!(got.is_ok_and(|d| !d.is_empty()), "{prefix} {g}");
        }
    }
}

/// Every stage after a shared `$unwind` answers as after the same `$unwind` written out
/// document by document (which `includeArrayIndex` forces, its field removed after).
#[test]
fn stages_after_unwind_answer_as_after_written_out_documents() {
    let mut db = Database::new();
    for (name, docs) in [
        ("c", unwind_docs()),
        ("other", json!([{"_id": 1, "k": "p"}, {"_id": 2, "k": "s"}])),
    ] {
        let loaded =
            db.execute(&json!({"op": "insertMany", "collection": name, "documents": docs}));
        assert!(loaded.is_ok(), "{loaded:?}");
    }
    let unwinds = [
        (json!({"$unwind": "$a.t"}), "$a.t"),
        (
            json!({"$unwind": {"path": "$a.t", "preserveNullAndEmptyArrays": true}}),
            "$a.t",
        ),
        (json!({"$unwind": "$z.t"}), "$z.t"),
    ];
    let rests = [
        json!([]),
        json!([{"$match": {"a.t": {"$gte": 2}}}]),
        json!([{"$project": {"a.t": 1}}]),
        json!([{"$addFields": {"a.t2": "$a.t"}}]),
        json!([{"$sort": {"a.t": -1, "_id": 1}}]),
        json!([{"$skip": 1}, {"$limit": 3}]),
        json!([{"$count": "n"}]),
        json!([{"$unwind": "$a.t.y"}]),
        json!([{"$facet": {"all": [], "n": [{"$count": "n"}]}}]),
        json!([{"$lookup": {"from": "other", "localField": "a.k", "foreignField": "k", "as": "o"}}]),
        json!([{"$lookup": {"from": "other", "pipeline": [{"$project": {"_id": 1}}], "as": "o"}}]),
        json!([{"$replaceRoot": {"newRoot": {"t": "$a.t"}}}]),
    ];
    for (unwind, path) in &unwinds {
        let mut written_out = unwind.clone();
        let spec = match &unwind["$unwind"] {
            Value::String(p) => json!({"path": p}),
            other => other.clone(),
        };
        let mut spec = spec;
        spec["includeArrayIndex"] = json!("__i");
        written_out["$unwind"] = spec;
        for rest in &rests {
            let mut shared = vec![unwind.clone()];
            shared.extend(rest.as_array().cloned().unwrap_or_default());
            let mut reference = vec![written_out.clone(), json!({"$unset": "__i"})];
            reference.extend(rest.as_array().cloned().unwrap_or_default());
            let mut run = |pipeline: Vec<Value>| {
                db.execute(&json!({"op": "aggregate", "collection": "c", "pipeline": pipeline}))
                    .map_err(|e| e.to_string())
            };
            let got = run(shared);
            let want = run(reference);
            assert_eq!(got, want, "{unwind} then {rest} ({path})");
            assert!(got.is_ok(), "{unwind} then {rest}");
        }
    }
}

/// Runs a request on `db`, the collection `c` implied.
fn run(db: &mut Database, mut request: Value) -> Result<Value, String> {
    if let Value::Object(m) = &mut request {
        m.entry("collection").or_insert(json!("c"));
    }
    db.execute(&request)
        .map_err(|e| format!("{} {}: {}", e.code, e.code_name, e.message))
}

/// Pages through a cursor: the first batch, then `getMore`s of `more` until the cursor closes;
/// the documents and the size of each batch.
fn page(db: &mut Database, request: Value, more: Option<u64>) -> (Vec<Value>, Vec<usize>) {
    let mut docs = Vec::new();
    let mut sizes = Vec::new();
    let first = run(db, request);
    let Ok(mut reply) = first else {
        panic!("{first:?}");
    };
    let mut key = "firstBatch";
    loop {
        assert_eq!(reply["ok"], json!(1), "{reply}");
        assert_eq!(reply["cursor"]["ns"], json!("test.c"), "{reply}");
        let batch = reply["cursor"][key].as_array().cloned().unwrap_or_default();
        sizes.push(batch.len());
        docs.extend(batch);
        let id = reply["cursor"]["id"].clone();
        if id == json!(0) {
            return (docs, sizes);
        }
        let mut get_more = json!({"op": "getMore", "cursorId": id});
        if let Some(n) = more {
            get_more["batchSize"] = json!(n);
        }
        let next = run(db, get_more);
        let Ok(next) = next else {
            panic!("{next:?}");
        };
        reply = next;
        key = "nextBatch";
    }
}

/// Checks that each request's cursor, with each (first batch size, getMore batch size), pages
/// through exactly the answer the request gives whole, in batches of those sizes.
fn pages_as_whole(db: &mut Database, requests: &[Value], batches: &[(Option<u64>, Option<u64>)]) {
    for request in requests {
        let whole = run(db, request.clone());
        let Ok(Value::Array(whole)) = whole else {
            panic!("{whole:?}");
        };
        for &(first, more) in batches {
            let mut with_cursor = request.clone();
            with_cursor["cursor"] = match first {
                Some(n) => json!({"batchSize": n}),
                None => json!({}),
            };
            let (paged, sizes) = page(db, with_cursor, more);
            assert_eq!(paged, whole, "{request} {first:?} {more:?}");
            let first_size = sizes.first().copied().unwrap_or(0);
            assert_eq!(
                first_size,
                whole.len().min(first.unwrap_or(101) as usize),
                "{request} {first:?}: {sizes:?}"
            );
            if let Some(n) = more.filter(|_| sizes.len() > 1) {
                let rest = sizes.get(1..).unwrap_or(&[]);
                assert!(
                    rest.iter().all(|s| *s <= n as usize),
                    "{request}: {sizes:?}"
                );
            }
        }
    }
    assert_eq!(db.open_cursors(), 0, "exhausted cursors close themselves");
}

/// A cursor pages through exactly the answer the same request gives whole, whatever the batch
/// sizes, for finds (sorted, limited, skipped, projected) and aggregations.
#[test]
fn cursors_page_through_exactly_the_whole_answer() {
    let docs: Vec<Value> = (0..250)
        .map(|i| json!({"_id": i, "k": i % 7, "s": format!("v{:03}", (i * 37) % 250), "a": [i, i + 1]}))
        .collect();
    let mut db = Database::new();
    assert!(run(&mut db, json!({"op": "insertMany", "documents": docs})).is_ok());
    let requests = [
        json!({"op": "find", "filter": {}}),
        json!({"op": "find", "filter": {"k": {"$gte": 2}}, "sort": {"s": -1}}),
        json!({"op": "find", "filter": {"k": 3}, "projection": {"s": 1}, "skip": 4, "limit": 20}),
        json!({"op": "find", "filter": {"k": 99}}),
        json!({"op": "aggregate", "pipeline": [{"$unwind": "$a"}, {"$sort": {"a": -1, "_id": 1}}]}),
        json!({"op": "aggregate", "pipeline": [{"$group": {"_id": "$k", "n": {"$sum": 1}}}, {"$sort": {"_id": 1}}]}),
    ];
    let batches = [
        (None, None),
        (Some(0), Some(1)),
        (Some(7), Some(50)),
        (Some(1000), None),
    ];
    pages_as_whole(&mut db, &requests, &batches);
}

/// A find read batch by batch (its plan stopped after each batch and taken up again by
/// `getMore`) pages through exactly the answer it gives whole: over a collection with holes,
/// through a multikey index (a document listed under several keys), an `$or` of index scans
/// (a document found by two clauses), an index that gives the sort, a text search, with skip,
/// limit and projection.
#[test]
fn cursors_read_in_parts_page_through_the_whole_answer() {
    let docs: Vec<Value> = (0..300)
        .map(|i| {
            json!({"_id": i, "k": i % 7, "a": [i % 11, i % 13, 20 + i % 5], "s": format!("v{:03}", (i * 37) % 300),
                   "t": if i % 3 == 0 { "red apple" } else { "green pear" }})
        })
        .collect();
    let mut db = Database::new();
    assert!(run(&mut db, json!({"op": "insertMany", "documents": docs})).is_ok());
    assert!(run(
        &mut db,
        json!({"op": "deleteMany", "filter": {"_id": {"$mod": [10, 4]}}})
    )
    .is_ok());
    for key in [
        json!({"a": 1}),
        json!({"k": 1, "s": -1}),
        json!({"s": 1}),
        json!({"t": "text"}),
    ] {
        assert!(run(&mut db, json!({"op": "createIndex", "key": key})).is_ok());
    }
    let requests = [
        json!({"op": "find", "filter": {"k": {"$ne": 3}}}),
        json!({"op": "find", "filter": {"a": {"$gte": 5, "$lte": 21}}}),
        json!({"op": "find", "filter": {"$or": [{"a": 3}, {"s": {"$lt": "v100"}}]}}),
        json!({"op": "find", "filter": {"k": 2}, "sort": {"s": -1}, "skip": 3}),
        json!({"op": "find", "filter": {"s": {"$gt": "v050"}}, "sort": {"s": 1}, "skip": 5, "limit": 150, "projection": {"s": 1}}),
        json!({"op": "find", "filter": {"$text": {"$search": "apple"}}, "projection": {"_id": 1}}),
        json!({"op": "find", "filter": {}, "limit": -40}),
    ];
    let batches = [
        (None, None),
        (Some(0), Some(1)),
        (Some(7), Some(13)),
        (Some(1), None),
    ];
    pages_as_whole(&mut db, &requests, &batches);
}

/// A cursor whose find was not read whole yet answers what the collection held when it ran,
/// whatever each kind of write changes before its next batch.
#[test]
fn cursors_read_in_parts_keep_their_answer_through_writes() {
    let writes = [
        json!({"op": "insertMany", "documents": [{"_id": -1, "v": 1}, {"_id": 100, "v": 1}]}),
        json!({"op": "deleteMany", "filter": {"v": {"$gte": 5}}}),
        json!({"op": "updateMany", "filter": {}, "update": {"$set": {"v": 0}}}),
        json!({"op": "createIndex", "key": {"v": -1}}),
        json!({"op": "drop"}),
    ];
    for write in writes {
        for request in [
            json!({"op": "find", "filter": {"v": {"$gt": 0}}, "cursor": {"batchSize": 2}}),
            json!({"op": "find", "filter": {"v": {"$gt": 0}}, "sort": {"_id": 1}, "cursor": {"batchSize": 2}}),
        ] {
            let mut db = Database::new();
            let docs: Vec<Value> = (0..10).map(|i| json!({"_id": i, "v": i})).collect();
            assert!(run(&mut db, json!({"op": "insertMany", "documents": docs})).is_ok());
            let first = run(&mut db, request.clone());
            let id = first
                .as_ref()
                .map(|r| r["cursor"]["id"].clone())
                .unwrap_or_default();
            assert!(id.as_i64().is_some_and(|id| id > 0), "{first:?}");
            assert!(run(&mut db, write.clone()).is_ok(), "{write}");
            let next = run(&mut db, json!({"op": "getMore", "cursorId": id}));
            let ids: Vec<Value> = next
                .as_ref()
                .map(|r| {
                    r["cursor"]["nextBatch"]
                        .as_array()
                        .cloned()
                        .unwrap_or_default()
                })
                .unwrap_or_default()
                .iter()
                .map(|d| d["_id"].clone())
                .collect();
            assert_eq!(
                ids,
                (3..10).map(|i| json!(i)).collect::<Vec<_>>(),
                "{write} {request}: {next:?}"
            );
        }
    }
}

/// What a cursor answers is the answer when its query ran, whatever is written meanwhile;
/// killCursors closes it; a cursor is found on its own collection only.
#[test]
fn cursors_keep_their_answer_and_close_when_killed() {
    let mut db = Database::new();
    let docs: Vec<Value> = (0..10).map(|i| json!({"_id": i, "v": i})).collect();
    assert!(run(&mut db, json!({"op": "insertMany", "documents": docs})).is_ok());
    let first = run(
        &mut db,
        json!({"op": "find", "filter": {}, "cursor": {"batchSize": 3}}),
    );
    let id = first
        .as_ref()
        .map(|r| r["cursor"]["id"].clone())
        .unwrap_or_default();
    assert!(id.as_i64().is_some_and(|id| id > 0), "{first:?}");
    assert!(run(
        &mut db,
        json!({"op": "deleteMany", "filter": {"v": {"$gte": 5}}})
    )
    .is_ok());
    assert!(run(
        &mut db,
        json!({"op": "updateMany", "filter": {}, "update": {"$set": {"v": -1}}})
    )
    .is_ok());
    let next = run(
        &mut db,
        json!({"op": "getMore", "cursorId": id, "batchSize": 2}),
    );
    assert_eq!(
        next,
        Ok(
            json!({"cursor": {"nextBatch": [{"_id": 3, "v": 3}, {"_id": 4, "v": 4}], "id": id, "ns": "test.c"}, "ok": 1})
        )
    );
    assert_eq!(
        run(&mut db, json!({"op": "getMore", "collection": "other", "cursorId": id})),
        Err("13 Unauthorized: Requested getMore on namespace 'test.other', but cursor belongs to a different namespace test.c".to_string())
    );
    assert_eq!(
        run(
            &mut db,
            json!({"op": "killCursors", "cursors": [id, 12345]})
        ),
        Ok(
            json!({"cursorsKilled": [id], "cursorsNotFound": [12345], "cursorsAlive": [], "cursorsUnknown": [], "ok": 1})
        )
    );
    assert_eq!(
        run(&mut db, json!({"op": "getMore", "cursorId": id})),
        Err(format!("43 CursorNotFound: cursor id {id} not found"))
    );
    // Request errors.
    for (request, error) in [
        (json!({"op": "find", "cursor": {"batchSize": -1}}), "2 BadValue: BatchSize value must be non-negative, but received: -1"),
        (json!({"op": "find", "cursor": 5}), "14 TypeMismatch: BSON field 'find.cursor' is the wrong type 'number', expected type 'object'"),
        (json!({"op": "aggregate", "pipeline": [], "cursor": {"size": 1}}), "40415 Location40415: BSON field 'cursor.size' is an unknown field."),
        (json!({"op": "getMore"}), "40414 Location40414: BSON field 'getMore.cursorId' is missing but a required field"),
        (json!({"op": "killCursors", "cursors": 1}), "14 TypeMismatch: BSON field 'killCursors.cursors' is the wrong type 'number', expected type 'array'"),
    ] {
        assert_eq!(run(&mut db, request.clone()), Err(error.to_string()), "{request}");
    }
    // An explain answers no cursor.
    let explained = run(
        &mut db,
        json!({"op": "find", "explain": "queryPlanner", "cursor": {}}),
    );
    assert!(explained.is_ok_and(|e| e.get("queryPlanner").is_some()));
}

/// A batch holds at most 16 MiB (and at least one document), whatever its batchSize.
#[test]
fn batches_stop_at_16_mib() {
    let mut db = Database::new();
    let big = "x".repeat(1_000_000);
    let docs: Vec<Value> = (0..40).map(|i| json!({"_id": i, "s": big})).collect();
    assert!(run(&mut db, json!({"op": "insertMany", "documents": docs})).is_ok());
    let (docs, sizes) = page(
        &mut db,
        json!({"op": "find", "filter": {}, "projection": {"_id": 1, "s": 1}, "cursor": {}}),
        None,
    );
    assert_eq!(docs.len(), 40);
    assert_eq!(sizes, vec![16, 16, 8]);
}
