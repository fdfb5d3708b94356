//! Requests in DynamoDB's JSON shape and the responses or errors they produce, as a table.

use expect_test::{expect, Expect};
use schemaplay_dynamo::value::item_from_json;
use schemaplay_dynamo::{AttributeValue, Database, Item};
use serde_json::{json, Value};

/// A table `tab` (hash `p` S, range `c` N) with a GSI `gsi` on `gk` (KEYS_ONLY) and an LSI `lsi` on
/// `lk` (INCLUDE `x`), holding items `p=a, c=1..=5` with `n = c * 10`.
fn db() -> Database {
    let mut db = empty_table();
    for c in 1..=5 {
        let put = db.execute(
            "PutItem",
            &json!({"TableName": "tab", "Item": {"p": {"S": "a"}, "c": {"N": c.to_string()}, "n": {"N": (c * 10).to_string()}}}),
        );
        assert!(put.is_ok(), "{put:?}");
    }
    db
}

/// The table of [`db`], empty.
fn empty_table() -> Database {
    let mut db = Database::new();
    let mut run = |op: &str, input: Value| {
        let r = db.execute(op, &input);
        assert!(r.is_ok(), "{op}: {r:?}");
    };
    run(
        "CreateTable",
        json!({
            "TableName": "tab",
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": "p", "AttributeType": "S"},
                {"AttributeName": "c", "AttributeType": "N"},
                {"AttributeName": "gk", "AttributeType": "S"},
                {"AttributeName": "lk", "AttributeType": "S"}
            ],
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}],
            "GlobalSecondaryIndexes": [{"IndexName": "gsi", "KeySchema": [{"AttributeName": "gk", "KeyType": "HASH"}], "Projection": {"ProjectionType": "KEYS_ONLY"}}],
            "LocalSecondaryIndexes": [{"IndexName": "lsi", "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "lk", "KeyType": "RANGE"}], "Projection": {"ProjectionType": "INCLUDE", "NonKeyAttributes": ["x"]}}]
        }),
    );
    db
}

fn check(db: &mut Database, op: &str, input: Value, expect: Expect) {
    let actual = match db.execute(op, &input) {
        Ok(v) => v.to_string(),
        Err(e) => e.to_string(),
    };
    expect.assert_eq(&actual);
}

fn query(db: &mut Database, key_condition: &str, values: Value, expect: Expect) {
    check(
        db,
        "Query",
        json!({"TableName": "tab", "KeyConditionExpression": key_condition, "ExpressionAttributeValues": values, "ProjectionExpression": "c"}),
        expect,
    );
}

#[test]
fn key_conditions() {
    let mut db = db();
    query(&mut db, "p = :p", json!({":p": {"S": ""}}), expect!["ValidationException: One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: p"]);
    query(
        &mut db,
        "p = :p AND c > :v",
        json!({":p": {"S": "a"}, ":v": {"N": "3"}}),
        expect![[r#"{"Items":[{"c":{"N":"4"}},{"c":{"N":"5"}}],"Count":2,"ScannedCount":2}"#]],
    );
    query(
        &mut db,
        "p = :p AND :v >= c",
        json!({":p": {"S": "a"}, ":v": {"N": "2"}}),
        expect![[r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"2"}}],"Count":2,"ScannedCount":2}"#]],
    );
    query(
        &mut db,
        "p = :p AND c BETWEEN :a AND :b",
        json!({":p": {"S": "a"}, ":a": {"N": "2"}, ":b": {"N": "4"}}),
        expect![[
            r#"{"Items":[{"c":{"N":"2"}},{"c":{"N":"3"}},{"c":{"N":"4"}}],"Count":3,"ScannedCount":3}"#
        ]],
    );
    query(&mut db, "p = :p AND c BETWEEN :a AND :b", json!({":p": {"S": "a"}, ":a": {"N": "4"}, ":b": {"N": "2"}}), expect!["ValidationException: Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:4}, upper bound operand: AttributeValue: {N:2}"]);
    query(
        &mut db,
        "p = :p AND c < :v",
        json!({":p": {"S": "a"}, ":v": {"N": "-1"}}),
        expect![[r#"{"Items":[],"Count":0,"ScannedCount":0}"#]],
    );
    query(
        &mut db,
        "p = :p",
        json!({":p": {"S": "zz"}}),
        expect![[r#"{"Items":[],"Count":0,"ScannedCount":0}"#]],
    );
    query(
        &mut db,
        "p = :p AND c = :v AND c = :v",
        json!({":p": {"S": "a"}, ":v": {"N": "1"}}),
        expect![
            "ValidationException: Invalid KeyConditionExpression: KeyConditionExpressions must only contain one condition per key"
        ],
    );
    query(
        &mut db,
        "c = :v",
        json!({":v": {"N": "1"}}),
        expect!["ValidationException: Query condition missed key schema element: p"],
    );
    query(
        &mut db,
        "p = :p AND n = :v",
        json!({":p": {"S": "a"}, ":v": {"N": "1"}}),
        expect!["ValidationException: Query condition missed key schema element: c"],
    );
    query(
        &mut db,
        "p = :p AND c <> :v",
        json!({":p": {"S": "a"}, ":v": {"N": "1"}}),
        expect![
            "ValidationException: Unsupported operator on KeyConditionExpression: operator: <>"
        ],
    );
    query(&mut db, "p = :p AND c = :v", json!({":p": {"S": "a"}, ":v": {"S": "1"}}), expect!["ValidationException: One or more parameter values were invalid: Condition parameter type does not match schema type"]);
    query(&mut db, "p = :p AND attribute_exists(c)", json!({":p": {"S": "a"}}), expect!["ValidationException: Invalid operator used in KeyConditionExpression: attribute_exists"]);
    query(
        &mut db,
        "p = :p AND",
        json!({":p": {"S": "a"}}),
        expect![[
            r#"ValidationException: Invalid KeyConditionExpression: Syntax error; token: "<EOF>", near: "AND""#
        ]],
    );
}

#[test]
fn filters_conditions_and_syntax_errors() {
    let mut db = db();
    let scan = |db: &mut Database, filter: &str, values: Value, expect: Expect| {
        let mut input =
            json!({"TableName": "tab", "FilterExpression": filter, "ProjectionExpression": "c"});
        if !values.as_object().is_some_and(|m| m.is_empty()) {
            input["ExpressionAttributeValues"] = values;
        }
        check(db, "Scan", input, expect);
    };
    scan(
        &mut db,
        "n > :a AND n < :b OR c = :c",
        json!({":a": {"N": "10"}, ":b": {"N": "40"}, ":c": {"N": "5"}}),
        expect![[
            r#"{"Items":[{"c":{"N":"2"}},{"c":{"N":"3"}},{"c":{"N":"5"}}],"Count":3,"ScannedCount":5}"#
        ]],
    );
    scan(
        &mut db,
        "n IN (:a, :b)",
        json!({":a": {"N": "10"}, ":b": {"N": "50"}}),
        expect![[r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"5"}}],"Count":2,"ScannedCount":5}"#]],
    );
    scan(
        &mut db,
        "NOT (n >= :a)",
        json!({":a": {"N": "20"}}),
        expect![[r#"{"Items":[{"c":{"N":"1"}}],"Count":1,"ScannedCount":5}"#]],
    );
    scan(
        &mut db,
        "attribute_not_exists(x)",
        json!({}),
        expect![[
            r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"2"}},{"c":{"N":"3"}},{"c":{"N":"4"}},{"c":{"N":"5"}}],"Count":5,"ScannedCount":5}"#
        ]],
    );
    scan(
        &mut db,
        "size(n) > :a",
        json!({":a": {"N": "0"}}),
        expect![[r#"{"Items":[],"Count":0,"ScannedCount":5}"#]],
    );
    scan(
        &mut db,
        "n = :a AND",
        json!({":a": {"N": "10"}}),
        expect![[
            r#"ValidationException: Invalid FilterExpression: Syntax error; token: "<EOF>", near: "AND""#
        ]],
    );
    scan(
        &mut db,
        "n == :a",
        json!({":a": {"N": "10"}}),
        expect![[
            r#"ValidationException: Invalid FilterExpression: Syntax error; token: "=", near: "== :a""#
        ]],
    );
    scan(
        &mut db,
        "n = :a)",
        json!({":a": {"N": "10"}}),
        expect![[
            r#"ValidationException: Invalid FilterExpression: Syntax error; token: ")", near: ":a)""#
        ]],
    );
    scan(
        &mut db,
        "foo(n)",
        json!({}),
        expect![
            "ValidationException: Invalid FilterExpression: Invalid function name; function: foo"
        ],
    );
    scan(&mut db, "size(n)", json!({}), expect!["ValidationException: Invalid FilterExpression: The function is not allowed to be used this way in an expression; function: size"]);
    scan(&mut db, "attribute_type(n, :t)", json!({":t": {"S": "X"}}), expect!["ValidationException: Invalid FilterExpression: Invalid attribute type name found; type: X, valid types: { B,BOOL,BS,L,M,N,NS,NULL,S,SS }"]);
    scan(&mut db, "n < :a", json!({":a": {"BOOL": true}}), expect!["ValidationException: Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"]);
    scan(&mut db, "attribute_exists(:a)", json!({":a": {"N": "1"}}), expect!["ValidationException: Invalid FilterExpression: Operator or function requires a document path; operator or function: attribute_exists"]);
    scan(&mut db, "n = :a", json!({":a": {"N": "1"}, ":b": {"N": "2"}}), expect!["ValidationException: Value provided in ExpressionAttributeValues unused in expressions: keys: {:b}"]);
    scan(
        &mut db,
        "n = :a $",
        json!({":a": {"N": "1"}}),
        expect![[
            r#"ValidationException: Invalid FilterExpression: Syntax error; token: "$", near: ":a $""#
        ]],
    );
    scan(
        &mut db,
        "a.b[1].c = :a",
        json!({":a": {"N": "1"}}),
        expect![[r#"{"Items":[],"Count":0,"ScannedCount":5}"#]],
    );
    scan(
        &mut db,
        "q <> z AND NOT q = z",
        json!({}),
        expect![[
            r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"2"}},{"c":{"N":"3"}},{"c":{"N":"4"}},{"c":{"N":"5"}}],"Count":5,"ScannedCount":5}"#
        ]],
    );
    scan(
        &mut db,
        "attribute_type(:a, :t)",
        json!({":a": {"N": "1"}, ":t": {"S": "N"}}),
        expect![[
            r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"2"}},{"c":{"N":"3"}},{"c":{"N":"4"}},{"c":{"N":"5"}}],"Count":5,"ScannedCount":5}"#
        ]],
    );
    scan(&mut db, "size(n, n) > :a", json!({":a": {"N": "0"}}), expect!["ValidationException: Invalid FilterExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2"]);
    scan(&mut db, "if_not_exists(n, n) = :a", json!({":a": {"N": "0"}}), expect!["ValidationException: Invalid FilterExpression: The function is not allowed in a filter expression; function: if_not_exists"]);
    scan(&mut db, "begins_with(:a, n)", json!({":a": {"N": "0"}}), expect!["ValidationException: Invalid FilterExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"]);
    scan(
        &mut db,
        "n IN ()",
        json!({}),
        expect![[
            r#"ValidationException: Invalid FilterExpression: Syntax error; token: ")", near: "()""#
        ]],
    );
    scan(&mut db, &"(".repeat(200), json!({}), expect!["ValidationException: Invalid FilterExpression: The expression has too many levels of nesting"]);
}

#[test]
fn updates_and_return_values() {
    let mut db = db();
    let update = |db: &mut Database, expr: &str, values: Value, rv: &str, expect: Expect| {
        let mut input = json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "UpdateExpression": expr, "ReturnValues": rv});
        if !values.as_object().is_some_and(|m| m.is_empty()) {
            input["ExpressionAttributeValues"] = values;
        }
        check(db, "UpdateItem", input, expect);
    };
    update(
        &mut db,
        "SET m = :m",
        json!({":m": {"M": {"a": {"L": [{"N": "1"}]}}}}),
        "UPDATED_NEW",
        expect![[r#"{"Attributes":{"m":{"M":{"a":{"L":[{"N":"1"}]}}}}}"#]],
    );
    update(
        &mut db,
        "SET m.a[3] = :v, m.b = :v",
        json!({":v": {"S": "x"}}),
        "UPDATED_NEW",
        expect![[r#"{"Attributes":{"m":{"M":{"b":{"S":"x"}}}}}"#]],
    );
    update(
        &mut db,
        "SET m.a[0] = :v",
        json!({":v": {"S": "y"}}),
        "UPDATED_OLD",
        expect![[r#"{"Attributes":{"m":{"M":{"a":{"L":[{"N":"1"}]}}}}}"#]],
    );
    update(&mut db, "SET q.r = :v", json!({":v": {"S": "y"}}), "NONE", expect!["ValidationException: The document path provided in the update expression is invalid for update"]);
    update(
        &mut db,
        "SET n = n + :v",
        json!({":v": {"N": "0.5"}}),
        "UPDATED_NEW",
        expect![[r#"{"Attributes":{"n":{"N":"10.5"}}}"#]],
    );
    update(&mut db, "SET n = nothere + :v", json!({":v": {"N": "1"}}), "NONE", expect!["ValidationException: The provided expression refers to an attribute that does not exist in the item"]);
    update(&mut db, "SET n = :v + :v", json!({":v": {"S": "1"}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"]);
    update(
        &mut db,
        "ADD s :v",
        json!({":v": {"NS": ["1", "2"]}}),
        "UPDATED_NEW",
        expect![[r#"{"Attributes":{"s":{"NS":["1","2"]}}}"#]],
    );
    update(
        &mut db,
        "ADD s :v",
        json!({":v": {"N": "1"}}),
        "NONE",
        expect![
            "ValidationException: An operand in the update expression has an incorrect data type"
        ],
    );
    update(
        &mut db,
        "DELETE s :v",
        json!({":v": {"NS": ["1"]}}),
        "ALL_NEW",
        expect![[
            r#"{"Attributes":{"c":{"N":"1"},"m":{"M":{"a":{"L":[{"S":"y"},{"S":"x"}]},"b":{"S":"x"}}},"n":{"N":"10.5"},"p":{"S":"a"},"s":{"NS":["2"]}}}"#
        ]],
    );
    update(&mut db, "SET a = :v REMOVE a", json!({":v": {"N": "1"}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"]);
    update(&mut db, "SET m.a = :v, m[0] = :v", json!({":v": {"N": "1"}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [m, a], path two: [m, [0]]"]);
    update(
        &mut db,
        "SET a = :v SET b = :v",
        json!({":v": {"N": "1"}}),
        "NONE",
        expect![[
            r#"ValidationException: Invalid UpdateExpression: The "SET" section can only be used once in an update expression;"#
        ]],
    );
    update(&mut db, "SET c = :v", json!({":v": {"N": "1"}}), "NONE", expect!["ValidationException: One or more parameter values were invalid: Cannot update attribute c. This attribute is part of the key"]);
    update(&mut db, "SET l = list_append(:v, :w)", json!({":v": {"L": []}, ":w": {"N": "1"}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: N"]);
    update(
        &mut db,
        "SET l = :l",
        json!({":l": {"L": [{"N": "0"}, {"N": "1"}, {"N": "2"}, {"N": "3"}]}}),
        "NONE",
        expect!["{}"],
    );
    update(
        &mut db,
        "SET l[84] = :a, l[37] = :b, l[2] = :c REMOVE l[1]",
        json!({":a": {"S": "a"}, ":b": {"S": "b"}, ":c": {"S": "c"}}),
        "UPDATED_NEW",
        expect![[r#"{"Attributes":{"l":{"L":[{"S":"c"},{"N":"3"}]}}}"#]],
    );
    update(&mut db, "REMOVE n.x", json!({}), "NONE", expect!["ValidationException: The document path provided in the update expression is invalid for update"]);
    update(&mut db, "REMOVE zz.x, m.nothere, l[99]", json!({}), "NONE", expect!["ValidationException: The document path provided in the update expression is invalid for update"]);
    update(&mut db, "SET a = list_append(list_append(:l, :l), :l)", json!({":l": {"L": []}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"]);
    update(&mut db, "SET a = if_not_exists(:l, :l)", json!({":l": {"L": []}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"]);
    update(&mut db, "SET a = list_append(:l)", json!({":l": {"L": []}}), "NONE", expect!["ValidationException: Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"]);
    update(
        &mut db,
        "SET _a = :l",
        json!({":l": {"L": []}}),
        "NONE",
        expect![[
            r#"ValidationException: Invalid UpdateExpression: Syntax error; token: "_", near: "SET _a""#
        ]],
    );
    update(
        &mut db,
        "REMOVE m, n, s",
        json!({}),
        "ALL_OLD",
        expect![[
            r#"{"Attributes":{"c":{"N":"1"},"l":{"L":[{"N":"0"},{"S":"c"},{"N":"3"},{"S":"b"},{"S":"a"}]},"m":{"M":{"a":{"L":[{"S":"y"},{"S":"x"}]},"b":{"S":"x"}}},"n":{"N":"10.5"},"p":{"S":"a"},"s":{"NS":["2"]}}}"#
        ]],
    );
}

#[test]
fn items_keys_and_numbers() {
    let mut db = db();
    let put = |db: &mut Database, item: Value, expect: Expect| {
        check(
            db,
            "PutItem",
            json!({"TableName": "tab", "Item": item}),
            expect,
        )
    };
    put(&mut db, json!({"p": {"S": "b"}}), expect!["ValidationException: One or more parameter values were invalid: Missing the key c in the item"]);
    put(&mut db, json!({"p": {"S": "b"}, "c": {"S": "1"}}), expect!["ValidationException: One or more parameter values were invalid: Type mismatch for key c expected: N actual: S"]);
    put(&mut db, json!({"p": {"S": "b"}, "c": {"N": "1"}, "gk": {"N": "1"}}), expect!["ValidationException: One or more parameter values were invalid: Type mismatch for Index Key gk Expected: S Actual: N IndexName: gsi"]);
    put(
        &mut db,
        json!({"p": {"S": "b"}, "c": {"N": "1"}, "big": {"S": "x".repeat(400 * 1024)}}),
        expect!["ValidationException: Item size has exceeded the maximum allowed size"],
    );
    put(&mut db, json!({"p": {"S": "x".repeat(2049)}, "c": {"N": "1"}}), expect!["ValidationException: One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"]);
    put(
        &mut db,
        json!({"p": {"S": "b"}, "c": {"N": "1e-3"}, "v": {"N": "-00012.3400e2"}}),
        expect!["{}"],
    );
    check(
        &mut db,
        "GetItem",
        json!({"TableName": "tab", "Key": {"p": {"S": "b"}, "c": {"N": "0.001"}}}),
        expect![[r#"{"Item":{"c":{"N":"0.001"},"p":{"S":"b"},"v":{"N":"-1234"}}}"#]],
    );
    check(
        &mut db,
        "GetItem",
        json!({"TableName": "nope", "Key": {"p": {"S": "b"}}}),
        expect!["ResourceNotFoundException: Requested resource not found"],
    );
    let long = "n".repeat(65536);
    put(&mut db, json!({"p": {"S": "b"}, "c": {"N": "2"}, long.clone(): {"N": "1"}}), expect!["ValidationException: One or more parameter values were invalid: Attribute name nnnnnnnnnnnnnnnn... is longer than the maximum of 65535 bytes"]);
    check(&mut db, "CreateTable", json!({"TableName": "long", "BillingMode": "PAY_PER_REQUEST", "KeySchema": [{"AttributeName": "k".repeat(256), "KeyType": "HASH"}], "AttributeDefinitions": [{"AttributeName": "k", "AttributeType": "S"}]}), expect!["ValidationException: 1 validation error detected: Value 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk' at 'keySchema.member.attributeName' failed to satisfy constraint: Member must have length less than or equal to 255"]);
    check(&mut db, "PutItem", json!({"TableName": "x!", "Item": {}}), expect!["ValidationException: 1 validation error detected: Value 'x!' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255"]);
    check(
        &mut db,
        "Frobnicate",
        json!({}),
        expect!["UnknownOperationException: Unknown operation: Frobnicate"],
    );
    check(
        &mut db,
        "PutItem",
        json!([]),
        expect!["SerializationException: The request body must be a JSON object"],
    );
}

#[test]
fn indexes_paging_and_capacity() {
    let mut db = db();
    for (c, gk, lk) in [("1", "G", "z"), ("2", "G", "y"), ("3", "H", "x")] {
        check(
            &mut db,
            "UpdateItem",
            json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": c}}, "UpdateExpression": "SET gk = :g, lk = :l, x = :l", "ExpressionAttributeValues": {":g": {"S": gk}, ":l": {"S": lk}}, "ReturnConsumedCapacity": "INDEXES"}),
            expect![[
                r#"{"ConsumedCapacity":{"TableName":"tab","CapacityUnits":3.0,"Table":{"CapacityUnits":1.0},"GlobalSecondaryIndexes":{"gsi":{"CapacityUnits":1.0}},"LocalSecondaryIndexes":{"lsi":{"CapacityUnits":1.0}}}}"#
            ]],
        );
    }
    check(
        &mut db,
        "Query",
        json!({"TableName": "tab", "IndexName": "gsi", "KeyConditionExpression": "gk = :g", "ExpressionAttributeValues": {":g": {"S": "G"}}, "Limit": 1, "ReturnConsumedCapacity": "TOTAL"}),
        expect![[
            r#"{"Items":[{"c":{"N":"1"},"gk":{"S":"G"},"p":{"S":"a"}}],"Count":1,"ScannedCount":1,"LastEvaluatedKey":{"c":{"N":"1"},"gk":{"S":"G"},"p":{"S":"a"}},"ConsumedCapacity":{"TableName":"tab","CapacityUnits":0.5}}"#
        ]],
    );
    check(
        &mut db,
        "Query",
        json!({"TableName": "tab", "IndexName": "gsi", "KeyConditionExpression": "gk = :g", "ExpressionAttributeValues": {":g": {"S": "G"}}, "ExclusiveStartKey": {"p": {"S": "a"}, "c": {"N": "1"}, "gk": {"S": "G"}}}),
        expect![[
            r#"{"Items":[{"c":{"N":"2"},"gk":{"S":"G"},"p":{"S":"a"}}],"Count":1,"ScannedCount":1}"#
        ]],
    );
    check(
        &mut db,
        "Query",
        json!({"TableName": "tab", "IndexName": "lsi", "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}),
        expect![[
            r#"{"Items":[{"c":{"N":"3"},"lk":{"S":"x"},"p":{"S":"a"},"x":{"S":"x"}},{"c":{"N":"2"},"lk":{"S":"y"},"p":{"S":"a"},"x":{"S":"y"}},{"c":{"N":"1"},"lk":{"S":"z"},"p":{"S":"a"},"x":{"S":"z"}}],"Count":3,"ScannedCount":3}"#
        ]],
    );
    check(
        &mut db,
        "Query",
        json!({"TableName": "tab", "IndexName": "lsi", "KeyConditionExpression": "p = :p AND lk < :l", "ExpressionAttributeValues": {":p": {"S": "a"}, ":l": {"S": "z"}}, "ScanIndexForward": false, "Select": "ALL_ATTRIBUTES"}),
        expect![[
            r#"{"Items":[{"c":{"N":"2"},"gk":{"S":"G"},"lk":{"S":"y"},"n":{"N":"20"},"p":{"S":"a"},"x":{"S":"y"}},{"c":{"N":"3"},"gk":{"S":"H"},"lk":{"S":"x"},"n":{"N":"30"},"p":{"S":"a"},"x":{"S":"x"}}],"Count":2,"ScannedCount":2}"#
        ]],
    );
    check(&mut db, "Query", json!({"TableName": "tab", "IndexName": "gsi", "KeyConditionExpression": "gk = :g", "ExpressionAttributeValues": {":g": {"S": "G"}}, "Select": "ALL_ATTRIBUTES"}), expect!["ValidationException: One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index gsi because its projection type is not ALL"]);
    check(
        &mut db,
        "Scan",
        json!({"TableName": "tab", "IndexName": "gsi", "Select": "COUNT"}),
        expect![[r#"{"Count":3,"ScannedCount":3}"#]],
    );
    check(&mut db, "Scan", json!({"TableName": "tab", "Segment": 1, "TotalSegments": 1}), expect!["ValidationException: The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: 1 is not less than TotalSegments: 1"]);
    check(
        &mut db,
        "DeleteItem",
        json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "ReturnValues": "ALL_OLD", "ReturnConsumedCapacity": "INDEXES"}),
        expect![[
            r#"{"Attributes":{"c":{"N":"1"},"gk":{"S":"G"},"lk":{"S":"z"},"n":{"N":"10"},"p":{"S":"a"},"x":{"S":"z"}},"ConsumedCapacity":{"TableName":"tab","CapacityUnits":3.0,"Table":{"CapacityUnits":1.0},"GlobalSecondaryIndexes":{"gsi":{"CapacityUnits":1.0}},"LocalSecondaryIndexes":{"lsi":{"CapacityUnits":1.0}}}}"#
        ]],
    );
    check(
        &mut db,
        "Scan",
        json!({"TableName": "tab", "IndexName": "gsi", "Select": "COUNT"}),
        expect![[r#"{"Count":2,"ScannedCount":2}"#]],
    );
    check(
        &mut db,
        "GetItem",
        json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "2"}}, "ReturnConsumedCapacity": "TOTAL", "ConsistentRead": true}),
        expect![[
            r#"{"Item":{"c":{"N":"2"},"gk":{"S":"G"},"lk":{"S":"y"},"n":{"N":"20"},"p":{"S":"a"},"x":{"S":"y"}},"ConsumedCapacity":{"TableName":"tab","CapacityUnits":1.0}}"#
        ]],
    );
    check(
        &mut db,
        "DescribeTable",
        json!({"TableName": "tab"}),
        expect![[
            r#"{"Table":{"TableName":"tab","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab","TableStatus":"ACTIVE","CreationDateTime":1700000001,"KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"},{"AttributeName":"gk","AttributeType":"S"},{"AttributeName":"lk","AttributeType":"S"}],"ItemCount":4,"TableSizeBytes":48,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"gk","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},"ItemCount":2,"IndexSizeBytes":16,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab/index/gsi","IndexStatus":"ACTIVE","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0}}],"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"lk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]},"ItemCount":2,"IndexSizeBytes":20,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab/index/lsi"}]}}"#
        ]],
    );
}

#[test]
fn transactions_and_batches() {
    let mut db = db();
    check(
        &mut db,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"ConditionCheck": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "ConditionExpression": "n = :v", "ExpressionAttributeValues": {":v": {"N": "10"}}}},
            {"Put": {"TableName": "tab", "Item": {"p": {"S": "a"}, "c": {"N": "2"}}, "ConditionExpression": "attribute_not_exists(p)"}},
            {"Delete": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "3"}}}}
        ]}),
        expect!["TransactionCanceledException: Transaction cancelled, please refer cancellation reasons for specific reasons [None, ConditionalCheckFailed, None]"],
    );
    check(
        &mut db,
        "TransactWriteItems",
        json!({"TransactItems": [
            {"Update": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "3"}}, "UpdateExpression": "SET n = :v", "ExpressionAttributeValues": {":v": {"N": "1"}}}},
            {"Delete": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "4"}}}}
        ], "ReturnConsumedCapacity": "TOTAL"}),
        expect![[
            r#"{"ConsumedCapacity":[{"TableName":"tab","CapacityUnits":4.0,"WriteCapacityUnits":4.0}]}"#
        ]],
    );
    check(
        &mut db,
        "BatchGetItem",
        json!({"RequestItems": {"tab": {"Keys": [{"p": {"S": "a"}, "c": {"N": "3"}}, {"p": {"S": "a"}, "c": {"N": "4"}}], "ProjectionExpression": "n"}}}),
        expect![[r#"{"Responses":{"tab":[{"n":{"N":"1"}}]},"UnprocessedKeys":{}}"#]],
    );
    let many: Vec<Value> = (0..26)
        .map(|i| json!({"PutRequest": {"Item": {"p": {"S": "z"}, "c": {"N": i.to_string()}}}}))
        .collect();
    check(&mut db, "BatchWriteItem", json!({"RequestItems": {"tab": many}}), expect!["ValidationException: 1 validation error detected: Value '{...}' at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]"]);
    let bad_key = json!({"TransactItems": [
        {"ConditionCheck": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "1"}}, "ConditionExpression": "attribute_not_exists(p)"}},
        {"Put": {"TableName": "tab", "Item": {"p": {"N": "7"}, "c": {"N": "1"}}}},
        {"Put": {"TableName": "tab", "Item": {"p": {"S": "a"}, "c": {"N": "8"}}}}
    ]});
    let outcome = db
        .execute("TransactWriteItems", &bad_key)
        .err()
        .map(|e| serde_json::Value::Array(e.cancellation_reasons).to_string());
    expect![[r#"Some("[{\"Code\":\"None\"},{\"Code\":\"ValidationError\",\"Message\":\"One or more parameter values were invalid: Type mismatch for key p expected: S actual: N\"},{\"Code\":\"None\"}]")"#]].assert_eq(&format!("{outcome:?}"));
    let once = json!({"ClientRequestToken": "t1", "TransactItems": [{"Update": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "5"}}, "UpdateExpression": "ADD n :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}}]});
    check(&mut db, "TransactWriteItems", once.clone(), expect!["{}"]);
    check(&mut db, "TransactWriteItems", once, expect!["{}"]);
    check(
        &mut db,
        "GetItem",
        json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "5"}}}),
        expect![[r#"{"Item":{"c":{"N":"5"},"n":{"N":"51"},"p":{"S":"a"}}}"#]],
    );
    check(&mut db, "TransactWriteItems", json!({"ClientRequestToken": "t1", "TransactItems": [{"Delete": {"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "5"}}}}]}), expect!["IdempotentParameterMismatchException: Request token was used with different request parameters"]);
    check(
        &mut db,
        "ListTables",
        json!({}),
        expect![[r#"{"TableNames":["tab"]}"#]],
    );
    check(
        &mut db,
        "DeleteTable",
        json!({"TableName": "tab"}),
        expect![[
            r#"{"TableDescription":{"TableName":"tab","TableArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab","TableStatus":"DELETING","CreationDateTime":1700000001,"KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"c","KeyType":"RANGE"}],"AttributeDefinitions":[{"AttributeName":"p","AttributeType":"S"},{"AttributeName":"c","AttributeType":"N"},{"AttributeName":"gk","AttributeType":"S"},{"AttributeName":"lk","AttributeType":"S"}],"ItemCount":4,"TableSizeBytes":32,"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":0,"WriteCapacityUnits":0},"BillingModeSummary":{"BillingMode":"PAY_PER_REQUEST"},"GlobalSecondaryIndexes":[{"IndexName":"gsi","KeySchema":[{"AttributeName":"gk","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},"ItemCount":0,"IndexSizeBytes":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab/index/gsi","IndexStatus":"ACTIVE","ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":0}}],"LocalSecondaryIndexes":[{"IndexName":"lsi","KeySchema":[{"AttributeName":"p","KeyType":"HASH"},{"AttributeName":"lk","KeyType":"RANGE"}],"Projection":{"ProjectionType":"INCLUDE","NonKeyAttributes":["x"]},"ItemCount":0,"IndexSizeBytes":0,"IndexArn":"arn:aws:dynamodb:us-east-1:000000000000:table/tab/index/lsi"}]}}"#
        ]],
    );
    check(
        &mut db,
        "ListTables",
        json!({}),
        expect![[r#"{"TableNames":[]}"#]],
    );
}

#[test]
fn legacy_parameters() {
    let mut db = db();
    let eq_a = json!({"ComparisonOperator": "EQ", "AttributeValueList": [{"S": "a"}]});
    check(
        &mut db,
        "Query",
        json!({"TableName": "tab", "KeyConditions": {"p": eq_a, "c": {"ComparisonOperator": "BETWEEN", "AttributeValueList": [{"N": "2"}, {"N": "4"}]}}, "QueryFilter": {"n": {"ComparisonOperator": "GT", "AttributeValueList": [{"N": "20"}]}}, "AttributesToGet": ["c"]}),
        expect![[r#"{"Items":[{"c":{"N":"3"}},{"c":{"N":"4"}}],"Count":2,"ScannedCount":3}"#]],
    );
    check(&mut db, "Query", json!({"TableName": "tab", "KeyConditions": {"p": eq_a}, "KeyConditionExpression": "p = :p", "ExpressionAttributeValues": {":p": {"S": "a"}}}), expect!["ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {KeyConditions} Expression parameters: {KeyConditionExpression}"]);
    check(
        &mut db,
        "Scan",
        json!({"TableName": "tab", "ScanFilter": {"n": {"ComparisonOperator": "IN", "AttributeValueList": [{"N": "10"}, {"N": "50"}]}, "c": {"ComparisonOperator": "EQ", "AttributeValueList": [{"N": "2"}]}}, "ConditionalOperator": "OR", "AttributesToGet": ["c"]}),
        expect![[
            r#"{"Items":[{"c":{"N":"1"}},{"c":{"N":"2"}},{"c":{"N":"5"}}],"Count":3,"ScannedCount":5}"#
        ]],
    );
    check(&mut db, "Scan", json!({"TableName": "tab", "ScanFilter": {"n": {"ComparisonOperator": "LT", "AttributeValueList": [{"SS": ["x"]}]}}}), expect!["ValidationException: One or more parameter values were invalid: ComparisonOperator LT is not valid for SS AttributeValue type"]);
    check(
        &mut db,
        "PutItem",
        json!({"TableName": "tab", "Item": {"p": {"S": "a"}, "c": {"N": "1"}}, "Expected": {"n": {"Value": {"N": "11"}}}}),
        expect!["ConditionalCheckFailedException: The conditional request failed"],
    );
    check(
        &mut db,
        "PutItem",
        json!({"TableName": "tab", "Item": {"p": {"S": "a"}, "c": {"N": "9"}}, "Expected": {"p": {"Exists": false}}}),
        expect!["{}"],
    );
    check(
        &mut db,
        "UpdateItem",
        json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "2"}}, "AttributeUpdates": {"n": {"Action": "ADD", "Value": {"N": "5"}}, "l": {"Action": "ADD", "Value": {"L": [{"S": "x"}]}}, "gone": {"Action": "DELETE"}}, "Expected": {"n": {"ComparisonOperator": "NOT_NULL"}}, "ReturnValues": "ALL_NEW"}),
        expect![[
            r#"{"Attributes":{"c":{"N":"2"},"l":{"L":[{"S":"x"}]},"n":{"N":"25"},"p":{"S":"a"}}}"#
        ]],
    );
    check(&mut db, "DeleteItem", json!({"TableName": "tab", "Key": {"p": {"S": "a"}, "c": {"N": "3"}}, "Expected": {"n": {"ComparisonOperator": "NOT_CONTAINS", "AttributeValueList": [{"S": "x"}]}}, "ConditionExpression": "attribute_exists(n)"}), expect!["ValidationException: Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {Expected} Expression parameters: {ConditionExpression}"]);
}

/// UPDATED_OLD / UPDATED_NEW of nested paths return only the updated parts, inside their
/// parents; an element set past the end of a list is appended elsewhere, so UPDATED_NEW
/// finds nothing at the index written (DynamoDB's behaviour, checked by Alternator's
/// test_update_item_returnvalues_nested).
#[test]
fn nested_return_values() {
    let mut db = db();
    let mut update = |rv: &str, expr: &str, values: Value, expect: Expect| {
        let mut input = json!({"TableName": "tab", "Key": {"p": {"S": "n"}, "c": {"N": "1"}}, "ReturnValues": rv, "UpdateExpression": expr});
        if !values.is_null() {
            input["ExpressionAttributeValues"] = values;
        }
        check(&mut db, "UpdateItem", input, expect);
    };
    let n = |v: i64| json!({"N": v.to_string()});
    update(
        "ALL_NEW",
        "SET a = :a, d = :d",
        json!({":a": {"M": {"b": {"S": "dog"}, "c": {"L": [n(1), n(2), n(3)]}}}, ":d": {"S": "cat"}}),
        expect![[
            r#"{"Attributes":{"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"1"},{"N":"2"},{"N":"3"}]}}},"c":{"N":"1"},"d":{"S":"cat"},"p":{"S":"n"}}}"#
        ]],
    );
    update(
        "UPDATED_OLD",
        "SET a.b = :v",
        json!({":v": {"S": "yo"}}),
        expect![[r#"{"Attributes":{"a":{"M":{"b":{"S":"dog"}}}}}"#]],
    );
    update(
        "UPDATED_OLD",
        "SET a.c[1] = :v",
        json!({":v": n(7)}),
        expect![[r#"{"Attributes":{"a":{"M":{"c":{"L":[{"N":"2"}]}}}}}"#]],
    );
    update(
        "UPDATED_OLD",
        "SET a.c[1] = :v, a.b = :w",
        json!({":v": n(8), ":w": {"S": "dog"}}),
        expect![[r#"{"Attributes":{"a":{"M":{"b":{"S":"yo"},"c":{"L":[{"N":"7"}]}}}}}"#]],
    );
    update(
        "UPDATED_NEW",
        "SET a.c[1] = :v",
        json!({":v": n(4)}),
        expect![[r#"{"Attributes":{"a":{"M":{"c":{"L":[{"N":"4"}]}}}}}"#]],
    );
    update(
        "UPDATED_NEW",
        "SET a.c[1] = :v, a.b = :w",
        json!({":v": n(3), ":w": {"S": "dog"}}),
        expect![[r#"{"Attributes":{"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"3"}]}}}}}"#]],
    );
    update(
        "UPDATED_OLD",
        "REMOVE a.c[1], a.c[3]",
        Value::Null,
        expect![[r#"{"Attributes":{"a":{"M":{"c":{"L":[{"N":"3"}]}}}}}"#]],
    );
    update(
        "UPDATED_OLD",
        "SET a.x1 = :v",
        json!({":v": n(8)}),
        expect!["{}"],
    );
    update(
        "UPDATED_NEW",
        "SET a.x2 = :v",
        json!({":v": n(8)}),
        expect![[r#"{"Attributes":{"a":{"M":{"x2":{"N":"8"}}}}}"#]],
    );
    update(
        "UPDATED_NEW",
        "SET a.c[100] = :v",
        json!({":v": n(70)}),
        expect!["{}"],
    );
    update(
        "UPDATED_NEW",
        "REMOVE a.c[1]",
        Value::Null,
        expect![[r#"{"Attributes":{"a":{"M":{"c":{"L":[{"N":"70"}]}}}}}"#]],
    );
    update(
        "ALL_NEW",
        "SET a.l = :l",
        json!({":l": {"L": [n(1)]}}),
        expect![[
            r#"{"Attributes":{"a":{"M":{"b":{"S":"dog"},"c":{"L":[{"N":"1"},{"N":"70"}]},"l":{"L":[{"N":"1"}]},"x1":{"N":"8"},"x2":{"N":"8"}}},"c":{"N":"1"},"d":{"S":"cat"},"p":{"S":"n"}}}"#
        ]],
    );
    update(
        "UPDATED_NEW",
        "SET a.l[5] = :v",
        json!({":v": n(2)}),
        expect!["{}"],
    );
    update(
        "UPDATED_OLD",
        "SET a.l[5] = :v",
        json!({":v": n(3)}),
        expect!["{}"],
    );
}

// ---------- the bulk load (`Database::put_items`): the table PutItem requests leave, and
// an item PutItem would refuse refuses the whole load with PutItem's error, nothing written.

/// Items in JSON form: keys repeat (a later item replaces an earlier one), some items lack an
/// index key, values vary in type.
fn bulk_items_json() -> Vec<Value> {
    (0..300)
        .map(|i| {
            let mut item = json!({
                "p": {"S": format!("p{}", i % 5)},
                "c": {"N": (i % 31).to_string()},
                "v": {"L": [{"N": i.to_string()}, {"M": {"s": {"SS": ["a", "b"]}}}]},
            });
            if i % 3 != 0 {
                item["gk"] = json!({"S": format!("g{}", i % 4)});
            }
            if i % 4 != 0 {
                item["lk"] = json!({"S": format!("l{i}")});
            }
            item
        })
        .collect()
}

fn bulk_items() -> Vec<Item> {
    bulk_items_json()
        .iter()
        .map(|v| item_from_json(v).unwrap_or_default())
        .collect()
}

/// What a reader sees of the table: every item, each index, the counts and sizes.
fn bulk_view(db: &mut Database) -> Vec<Value> {
    let mut out = vec![];
    let mut read = |op: &str, input: Value| {
        out.push(db.execute(op, &input).unwrap_or_else(|e| json!(e.message)));
    };
    read("Scan", json!({"TableName": "tab"}));
    for g in 0..4 {
        read(
            "Query",
            json!({"TableName": "tab", "IndexName": "gsi", "KeyConditionExpression": "gk = :g",
                   "ExpressionAttributeValues": {":g": {"S": format!("g{g}")}}}),
        );
    }
    for p in 0..5 {
        read(
            "Query",
            json!({"TableName": "tab", "IndexName": "lsi", "KeyConditionExpression": "p = :p",
                   "ExpressionAttributeValues": {":p": {"S": format!("p{p}")}}}),
        );
    }
    read("DescribeTable", json!({"TableName": "tab"}));
    out
}

#[test]
fn bulk_load_leaves_the_table_put_item_leaves() {
    let mut one_by_one = empty_table();
    for item in bulk_items_json() {
        let put = one_by_one.execute("PutItem", &json!({"TableName": "tab", "Item": item}));
        assert!(put.is_ok(), "{put:?}");
    }
    let mut bulk = empty_table();
    assert_eq!(bulk.put_items("tab", bulk_items()), Ok(300));
    let expected = bulk_view(&mut one_by_one);
    assert_eq!(bulk_view(&mut bulk), expected);
    // Not a vacuous comparison: 300 items over 5 × 31 keys, later ones replacing earlier.
    assert_eq!(expected[0]["Count"], json!(155));
}

#[test]
fn put_valid_items_puts_what_put_item_puts_and_names_each_refusal() {
    // Every fifth item lacks its partition key, every seventh has a boolean index key: those
    // are refused with their positions and PutItem's errors; the others leave the table that
    // PutItem requests of the same items leave.
    let refusal = |i: usize| i % 5 == 0 || i % 7 == 0;
    let mut items = bulk_items();
    let mut by_put_item = empty_table();
    for (i, (item, json)) in items.iter_mut().zip(bulk_items_json()).enumerate() {
        if i % 5 == 0 {
            item.remove("p");
        } else if i % 7 == 0 {
            item.insert("gk".into(), AttributeValue::Bool(true));
        } else {
            let put = by_put_item.execute("PutItem", &json!({"TableName": "tab", "Item": json}));
            assert!(put.is_ok(), "{put:?}");
        }
    }
    let mut db = empty_table();
    let (put, refused) = db
        .put_valid_items("tab", items)
        .unwrap_or_else(|e| panic!("{e}"));
    let refused: Vec<(usize, String)> = refused.into_iter().map(|(i, e)| (i, e.message)).collect();
    let expected: Vec<usize> = (0..300).filter(|&i| refusal(i)).collect();
    assert_eq!(
        refused.iter().map(|(i, _)| *i).collect::<Vec<_>>(),
        expected
    );
    assert_eq!(put, 300 - expected.len());
    assert_eq!(
        refused[0].1,
        "One or more parameter values were invalid: Missing the key p in the item"
    );
    assert_eq!(refused[2].0, 7);
    assert_eq!(
        refused[2].1,
        "One or more parameter values were invalid: Type mismatch for Index Key gk Expected: S Actual: BOOL IndexName: gsi"
    );
    assert_eq!(bulk_view(&mut db), bulk_view(&mut by_put_item));
    assert_eq!(
        db.put_valid_items("nope", bulk_items())
            .map(|(n, _)| n)
            .map_err(|e| e.kind.name()),
        Err("ResourceNotFoundException")
    );
}

#[test]
fn a_refused_item_refuses_the_load_and_writes_nothing() {
    let mut db = empty_table();
    assert_eq!(
        db.put_items("tab", bulk_items().into_iter().take(10).collect()),
        Ok(10)
    );
    let before = bulk_view(&mut db);
    let refusals: Vec<(Item, &str)> = {
        let mut no_key = bulk_items().remove(0);
        no_key.remove("p");
        let mut wrong_index_type = bulk_items().remove(1);
        wrong_index_type.insert("gk".into(), AttributeValue::Bool(true));
        let mut empty_set = bulk_items().remove(2);
        empty_set.insert("s".into(), AttributeValue::Ss(Default::default()));
        let mut deep = AttributeValue::Null;
        for _ in 0..40 {
            deep = AttributeValue::L(vec![deep]);
        }
        let mut too_deep = bulk_items().remove(3);
        too_deep.insert("d".into(), deep);
        let mut too_big = bulk_items().remove(4);
        too_big.insert("big".into(), AttributeValue::S("x".repeat(400 * 1024)));
        vec![
            (no_key, "items[3]: One or more parameter values were invalid: Missing the key p in the item"),
            (wrong_index_type, "items[3]: One or more parameter values were invalid: Type mismatch for Index Key gk Expected: S Actual: BOOL IndexName: gsi"),
            (empty_set, "items[3]: One or more parameter values were invalid: An string set  may not be empty"),
            (too_deep, "items[3]: Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"),
            (too_big, "items[3]: Item size has exceeded the maximum allowed size"),
        ]
    };
    for (bad, message) in refusals {
        let mut load: Vec<Item> = bulk_items().into_iter().skip(100).take(3).collect();
        load.push(bad);
        load.extend(bulk_items().into_iter().skip(200).take(3));
        let refused = db.put_items("tab", load).map_err(|e| e.message);
        assert_eq!(refused, Err(message.to_string()));
        assert_eq!(bulk_view(&mut db), before, "{message}");
    }
    assert_eq!(
        db.put_items("nope", bulk_items())
            .map_err(|e| e.kind.name()),
        Err("ResourceNotFoundException")
    );
}
