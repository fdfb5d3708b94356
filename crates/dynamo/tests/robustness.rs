//! Whatever the input, the simulator answers with a response or a DynamoError, never a panic.

use schemaplay_dynamo::Database;
use serde_json::{json, Value};

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn pick<'a>(&mut self, options: &[&'a str]) -> &'a str {
        let i = (self.next() % options.len() as u64) as usize;
        options.get(i).copied().unwrap_or("")
    }
}

const TOKENS: &[&str] = &[
    "a",
    "b",
    "#n",
    ":v",
    ":w",
    "(",
    ")",
    "[",
    "]",
    "[0]",
    "[99999999999999999999]",
    ".",
    ",",
    "=",
    "<>",
    "<",
    "<=",
    ">",
    ">=",
    "+",
    "-",
    "AND",
    "OR",
    "NOT",
    "BETWEEN",
    "IN",
    "SET",
    "REMOVE",
    "ADD",
    "DELETE",
    "size",
    "attribute_exists",
    "attribute_not_exists",
    "attribute_type",
    "begins_with",
    "contains",
    "if_not_exists",
    "list_append",
    "p",
    "c",
    "é",
    "\u{0}",
    "$",
    "#",
    ":",
    "0",
    "status",
];

fn table() -> Database {
    let mut db = Database::new();
    let created = db.execute(
        "CreateTable",
        &json!({
            "TableName": "fuzz",
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [{"AttributeName": "p", "AttributeType": "S"}, {"AttributeName": "c", "AttributeType": "N"}],
            "KeySchema": [{"AttributeName": "p", "KeyType": "HASH"}, {"AttributeName": "c", "KeyType": "RANGE"}]
        }),
    );
    assert!(created.is_ok(), "{created:?}");
    let item = json!({"p": {"S": "k"}, "c": {"N": "1"}, "a": {"L": [{"N": "1"}, {"M": {"b": {"SS": ["x"]}}}]}, "b": {"N": "2"}});
    assert!(db
        .execute("PutItem", &json!({"TableName": "fuzz", "Item": item}))
        .is_ok());
    db
}

#[test]
fn random_expressions_never_panic() {
    let mut db = table();
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let (mut ok, mut rejected) = (0, 0);
    for _ in 0..3000 {
        let len = 1 + rng.next() % 12;
        let expr: Vec<&str> = (0..len).map(|_| rng.pick(TOKENS)).collect();
        let expr = expr.join(" ");
        let names = json!({"#n": "a"});
        let values = json!({":v": {"N": "1"}, ":w": {"SS": ["x"]}});
        let key = json!({"p": {"S": "k"}, "c": {"N": "1"}});
        let requests = [
            (
                "Scan",
                json!({"TableName": "fuzz", "FilterExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}),
            ),
            (
                "Query",
                json!({"TableName": "fuzz", "KeyConditionExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}),
            ),
            (
                "GetItem",
                json!({"TableName": "fuzz", "Key": key, "ProjectionExpression": expr, "ExpressionAttributeNames": names}),
            ),
            (
                "UpdateItem",
                json!({"TableName": "fuzz", "Key": key, "UpdateExpression": expr, "ExpressionAttributeNames": names, "ExpressionAttributeValues": values}),
            ),
        ];
        for (op, input) in requests {
            match db.execute(op, &input) {
                Ok(_) => ok += 1,
                Err(_) => rejected += 1,
            }
        }
    }
    // Both outcomes occur: the generator reaches valid and invalid expressions alike.
    assert!(ok > 0 && rejected > 0, "ok {ok}, rejected {rejected}");
}

#[test]
fn malformed_requests_never_panic() {
    let mut db = table();
    let values: Vec<Value> = vec![
        json!(null),
        json!(1),
        json!("x"),
        json!([]),
        json!({}),
        json!({"S": 1}),
        json!({"N": "1e999"}),
        json!({"B": "%%%"}),
        json!({"L": [{"L": [{"L": []}]}]}),
        json!({"M": {"": {"NULL": false}}}),
        json!({"SS": []}),
        json!({"NS": ["x"]}),
        json!({"S": "a", "N": "1"}),
    ];
    let deep = (0..200).fold(json!({"S": "x"}), |inner, _| json!({"L": [inner]}));
    let fields = [
        "Item",
        "Key",
        "ExpressionAttributeValues",
        "ExclusiveStartKey",
        "Limit",
        "Segment",
        "TotalSegments",
        "Select",
        "ReturnValues",
        "RequestItems",
        "TransactItems",
        "IndexName",
        "TableName",
    ];
    for op in schemaplay_dynamo::OPERATIONS {
        for field in fields {
            for v in values.iter().chain([&deep]) {
                let mut input =
                    json!({"TableName": "fuzz", "Key": {"p": {"S": "k"}, "c": {"N": "1"}}});
                input[field] = v.clone();
                let outcome = db.execute(op, &input);
                if let Err(e) = &outcome {
                    assert!(
                        !e.message.is_empty(),
                        "{op} {field}: an error without a message"
                    );
                }
            }
        }
    }
}
