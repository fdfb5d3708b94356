//! The user's lib-dynamodb examples (shared/examples/user-examples.md), verbatim, through the
//! document client: table `app-data` with `PK`/`SK` and the `EmailIndex` GSI on `email`.

use expect_test::{expect, Expect};
use schemaplay_dynamo::Database;
use serde_json::{json, Value};

const TABLE: &str = "app-data";

fn app_data() -> Database {
    let mut db = Database::new();
    let created = db.execute(
        "CreateTable",
        &json!({
            "TableName": TABLE,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                { "AttributeName": "PK", "AttributeType": "S" },
                { "AttributeName": "SK", "AttributeType": "S" },
                { "AttributeName": "email", "AttributeType": "S" }
            ],
            "KeySchema": [
                { "AttributeName": "PK", "KeyType": "HASH" },
                { "AttributeName": "SK", "KeyType": "RANGE" }
            ],
            "GlobalSecondaryIndexes": [{
                "IndexName": "EmailIndex",
                "KeySchema": [{ "AttributeName": "email", "KeyType": "HASH" }],
                "Projection": { "ProjectionType": "ALL" }
            }]
        }),
    );
    assert!(created.is_ok(), "{created:?}");
    // Put item, as the user wrote it.
    send(
        &mut db,
        "PutItem",
        json!({
            "TableName": TABLE,
            "Item": { "PK": "USER#123", "SK": "PROFILE", "email": "john@example.com", "name": "John Doe" }
        }),
    );
    send(
        &mut db,
        "PutItem",
        json!({
            "TableName": TABLE,
            "Item": { "PK": "USER#123", "SK": "POST#456", "title": "Hello", "content": "First post" }
        }),
    );
    send(
        &mut db,
        "PutItem",
        json!({
            "TableName": TABLE,
            "Item": { "PK": "POST#456", "SK": "METADATA", "title": "Hello", "authorId": "USER#123" }
        }),
    );
    db
}

/// Runs one document-client command and renders the response, or the error, as text.
fn send(db: &mut Database, operation: &str, input: Value) -> String {
    match db.execute_document(operation, &input) {
        Ok(v) => serde_json::to_string(&v).unwrap_or_default(),
        Err(e) => e.to_string(),
    }
}

fn check(db: &mut Database, operation: &str, input: Value, expect: Expect) {
    expect.assert_eq(&send(db, operation, input));
}

#[test]
fn get_item() {
    let mut db = app_data();
    check(
        &mut db,
        "GetItem",
        json!({ "TableName": TABLE, "Key": { "PK": "USER#123", "SK": "PROFILE" } }),
        expect![[
            r#"{"Item":{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"John Doe"}}"#
        ]],
    );
}

#[test]
fn query_same_partition_key_with_begins_with() {
    let mut db = app_data();
    check(
        &mut db,
        "Query",
        json!({
            "TableName": TABLE,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": { ":pk": "USER#123", ":sk": "POST#" }
        }),
        expect![[
            r#"{"Items":[{"PK":"USER#123","SK":"POST#456","content":"First post","title":"Hello"}],"Count":1,"ScannedCount":1}"#
        ]],
    );
}

#[test]
fn update_reserved_word_through_a_name_placeholder() {
    let mut db = app_data();
    check(
        &mut db,
        "UpdateItem",
        json!({
            "TableName": TABLE,
            "Key": { "PK": "USER#123", "SK": "PROFILE" },
            "UpdateExpression": "SET #name = :name",
            "ExpressionAttributeNames": { "#name": "name" },
            "ExpressionAttributeValues": { ":name": "Jane Doe" }
        }),
        expect!["{}"],
    );
    check(
        &mut db,
        "GetItem",
        json!({ "TableName": TABLE, "Key": { "PK": "USER#123", "SK": "PROFILE" } }),
        expect![[
            r#"{"Item":{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"Jane Doe"}}"#
        ]],
    );
}

fn conditional_update() -> Value {
    json!({
        "TableName": TABLE,
        "Key": { "PK": "USER#123", "SK": "PROFILE" },
        "UpdateExpression": "SET balance = balance + :amount",
        "ConditionExpression": "balance >= :min",
        "ExpressionAttributeValues": { ":amount": 100, ":min": 0 }
    })
}

#[test]
fn conditional_update_fails_when_the_condition_is_false() {
    let mut db = app_data();
    // The profile has no balance yet: `balance >= :min` is false.
    check(
        &mut db,
        "UpdateItem",
        conditional_update(),
        expect!["ConditionalCheckFailedException: The conditional request failed"],
    );
    send(
        &mut db,
        "UpdateItem",
        json!({
            "TableName": TABLE,
            "Key": { "PK": "USER#123", "SK": "PROFILE" },
            "UpdateExpression": "SET balance = :b",
            "ExpressionAttributeValues": { ":b": -5 }
        }),
    );
    check(
        &mut db,
        "UpdateItem",
        conditional_update(),
        expect!["ConditionalCheckFailedException: The conditional request failed"],
    );
    check(
        &mut db,
        "GetItem",
        json!({ "TableName": TABLE, "Key": { "PK": "USER#123", "SK": "PROFILE" }, "ProjectionExpression": "balance" }),
        expect![[r#"{"Item":{"balance":-5}}"#]],
    );
}

#[test]
fn conditional_update_succeeds_when_the_condition_is_true() {
    let mut db = app_data();
    send(
        &mut db,
        "UpdateItem",
        json!({
            "TableName": TABLE,
            "Key": { "PK": "USER#123", "SK": "PROFILE" },
            "UpdateExpression": "SET balance = :b",
            "ExpressionAttributeValues": { ":b": 0 }
        }),
    );
    check(&mut db, "UpdateItem", conditional_update(), expect!["{}"]);
    check(&mut db, "UpdateItem", conditional_update(), expect!["{}"]);
    check(
        &mut db,
        "GetItem",
        json!({ "TableName": TABLE, "Key": { "PK": "USER#123", "SK": "PROFILE" }, "ProjectionExpression": "balance" }),
        expect![[r#"{"Item":{"balance":200}}"#]],
    );
}

#[test]
fn query_by_email_on_the_gsi() {
    let mut db = app_data();
    check(
        &mut db,
        "Query",
        json!({
            "TableName": TABLE,
            "IndexName": "EmailIndex",
            "KeyConditionExpression": "email = :email",
            "ExpressionAttributeValues": { ":email": "john@example.com" }
        }),
        expect![[
            r#"{"Items":[{"PK":"USER#123","SK":"PROFILE","email":"john@example.com","name":"John Doe"}],"Count":1,"ScannedCount":1}"#
        ]],
    );
}
