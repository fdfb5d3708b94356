//! The benchmark workload, shared by the criterion bench and the report binaries: a single
//! table of `n` items in 10k partitions, with 100 "hot" partitions of exactly 50 items each
//! (25 `POST#`, 25 `ORDER#`) so that the queries return the same rows at every table size.

use schemaplay_dynamo::Database;
use serde_json::{json, Value};

pub const TABLE: &str = "bench";
pub const PARTITIONS: usize = 10_000;
pub const HOT_PARTITIONS: usize = 100;
pub const HOT_ITEMS: usize = 50;

pub fn create_table() -> Value {
    json!({
        "TableName": TABLE,
        "BillingMode": "PAY_PER_REQUEST",
        "AttributeDefinitions": [
            {"AttributeName": "PK", "AttributeType": "S"},
            {"AttributeName": "SK", "AttributeType": "S"}
        ],
        "KeySchema": [
            {"AttributeName": "PK", "KeyType": "HASH"},
            {"AttributeName": "SK", "KeyType": "RANGE"}
        ]
    })
}

/// The `i`th of `n` items.
pub fn item(i: usize, n: usize) -> Value {
    let hot = HOT_PARTITIONS * HOT_ITEMS;
    let (pk, sk) = if i < hot {
        let kind = if i % 2 == 0 { "POST" } else { "ORDER" };
        (
            format!("USER#hot{:03}", i / HOT_ITEMS),
            format!("{kind}#{:06}", i % HOT_ITEMS),
        )
    } else {
        let j = i - hot;
        let cold = PARTITIONS - HOT_PARTITIONS;
        let _ = n;
        (
            format!("USER#{:05}", j % cold),
            format!("POST#{:07}", j / cold),
        )
    };
    json!({
        "PK": {"S": pk},
        "SK": {"S": sk},
        "title": {"S": format!("Title of item {i}")},
        "amount": {"N": (i % 1000).to_string()},
        "balance": {"N": "100"}
    })
}

pub fn load(n: usize) -> Database {
    let mut db = Database::new();
    db.execute("CreateTable", &create_table())
        .expect("the bench table is valid");
    for i in 0..n {
        db.execute("PutItem", &json!({"TableName": TABLE, "Item": item(i, n)}))
            .expect("bench items are valid");
    }
    db
}

/// The four requests, for the `k`th iteration (keys rotate over the hot partitions).
pub fn get_item(k: usize) -> Value {
    json!({"TableName": TABLE, "Key": {"PK": {"S": format!("USER#hot{:03}", k % HOT_PARTITIONS)}, "SK": {"S": "POST#000010"}}})
}

pub fn query(k: usize) -> Value {
    json!({
        "TableName": TABLE,
        "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
        "ExpressionAttributeValues": {":pk": {"S": format!("USER#hot{:03}", k % HOT_PARTITIONS)}, ":sk": {"S": "POST#"}}
    })
}

pub fn filtered_query(k: usize) -> Value {
    json!({
        "TableName": TABLE,
        "KeyConditionExpression": "PK = :pk",
        "FilterExpression": "amount > :min",
        "ExpressionAttributeValues": {":pk": {"S": format!("USER#hot{:03}", k % HOT_PARTITIONS)}, ":min": {"N": "25"}}
    })
}

pub fn conditional_update(k: usize) -> Value {
    json!({
        "TableName": TABLE,
        "Key": {"PK": {"S": format!("USER#hot{:03}", k % HOT_PARTITIONS)}, "SK": {"S": "ORDER#000011"}},
        "UpdateExpression": "SET balance = balance + :amount",
        "ConditionExpression": "balance >= :min",
        "ExpressionAttributeValues": {":amount": {"N": "1"}, ":min": {"N": "0"}}
    })
}

/// A BatchWriteItem of 25 puts that overwrite the `POST#` items of one hot partition, so the
/// table keeps its size however many iterations run.
pub fn batch_write(k: usize) -> Value {
    let p = k % HOT_PARTITIONS;
    let puts: Vec<Value> = (0..HOT_ITEMS / 2)
        .map(|j| json!({"PutRequest": {"Item": item(p * HOT_ITEMS + 2 * j, 0)}}))
        .collect();
    json!({"RequestItems": {TABLE: puts}})
}

/// One PutItem overwriting a hot item, to compare with [`batch_write`] per item.
pub fn put_item(k: usize) -> Value {
    json!({"TableName": TABLE, "Item": item((k % HOT_PARTITIONS) * HOT_ITEMS, 0)})
}
