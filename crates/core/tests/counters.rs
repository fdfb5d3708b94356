//! Counter items: what `dynamo.counters` may say (read with paths in its errors, references
//! checked), the derived choice, and the ADDs each write of the entity makes: an insert +1, a
//! delete -1 after reading the item, an update that moves an item between groups two ADDs, an
//! increment of a summed field one ADD of the difference.

use expect_test::{expect, Expect};
use schemaplay_core::dynamo::{Args, DynamoContext};
use schemaplay_core::model::{Design, PatternKind};
use schemaplay_core::sample::Val;

const ENTITY: &str = r#"{"name": "Order", "id": "orderId", "volume": 1000, "fields": [
    {"name": "orderId", "type": "string", "required": true},
    {"name": "status", "type": "string", "required": true},
    {"name": "amount", "type": "int", "required": true},
    {"name": "placedAt", "type": "date"}]}"#;

const PATTERNS: &str = r#"
    {"name": "Place", "entity": "Order", "kind": "insert", "requestsPerSecond": 10},
    {"name": "Cancel", "entity": "Order", "kind": "delete", "equality": ["orderId"], "requestsPerSecond": 1},
    {"name": "Set status", "entity": "Order", "kind": "update", "equality": ["orderId"], "fields": ["status"], "requestsPerSecond": 1},
    {"name": "Add", "entity": "Order", "kind": "update", "equality": ["orderId"], "fields": ["amount"], "update": "increment", "requestsPerSecond": 1},
    {"name": "Revenue", "entity": "Order", "kind": "aggregate", "equality": ["status"],
     "aggregate": {"groupBy": ["status"], "aggregates": [{"op": "sum", "field": "amount", "as": "revenue"}]}, "requestsPerSecond": 20},
    {"name": "Since", "entity": "Order", "kind": "count", "equality": ["status"], "range": "placedAt"}"#;

fn text(counters: &str) -> String {
    format!(
        r#"{{"formatVersion": 2, "name": "t", "entities": [{ENTITY}], "accessPatterns": [{PATTERNS}],
            "dynamo": {{"tableName": "orders", "partitionKey": "PK", "sortKey": "SK", "counters": {counters}}}}}"#
    )
}

fn findings(counters: &str) -> String {
    match Design::from_json(&text(counters)) {
        Ok(_) => "ok\n".to_string(),
        Err(found) => found.iter().map(|f| format!("{f}\n")).collect(),
    }
}

fn check(counters: &str, expect: Expect) {
    expect.assert_eq(&findings(counters));
}

#[test]
fn the_choice_names_a_pattern_a_counter_can_serve() {
    check(
        r#"{"Revenue": "counter", "Since": "read"}"#,
        expect!["ok\n"],
    );
    check(
        r#"{"Revenue": "sometimes", "Nope": "counter", "Since": "counter", "Place": "read"}"#,
        expect![[r#"
            dynamo.counters.Revenue: unknown counter choice "sometimes" (expected one of "counter", "read")
        "#]],
    );
    check(
        r#"{"Nope": "counter", "Since": "counter", "Place": "read"}"#,
        expect![[r#"
            dynamo.counters.Nope: no access pattern is named "Nope"
            dynamo.counters.Place: "Place" is not a count or an aggregate, so no counter item serves it
            dynamo.counters.Since: "Since" cannot be a counter item: the range on placedAt takes a new bound with every read, and no counter item holds every range
        "#]],
    );
}

/// Each write's requests, as operation and the counter actions' keys and ADDs.
fn writes(design: &Design) -> String {
    let ctx = DynamoContext::new(design);
    let old = Val::Object(vec![
        ("orderId".into(), Val::Str("o1".into())),
        ("status".into(), Val::Str("open".into())),
        ("amount".into(), Val::Int(5)),
    ]);
    let args = Val::Object(vec![
        ("orderId".into(), Val::Str("o1".into())),
        ("status".into(), Val::Str("paid".into())),
        ("amount".into(), Val::Int(3)),
    ]);
    // What a GetItem of the item read first answers.
    let item = serde_json::json!({ "Item": {
        "PK": { "S": "ORDER#o1" }, "SK": { "S": "METADATA" }, "entityType": { "S": "Order" },
        "orderId": { "S": "o1" }, "status": { "S": "open" }, "amount": { "N": "5" } } });
    let mut out = String::new();
    for p in design.access_patterns.iter().filter(|p| p.kind.is_write()) {
        let record = if p.kind == PatternKind::Insert {
            &old
        } else {
            &args
        };
        let Some(first) = ctx.request_for(p, Args::new(record)) else {
            continue;
        };
        let mut requests = vec![first.clone()];
        requests.extend(ctx.next_requests(p, Args::new(record), &item));
        let ops: Vec<&str> = requests.iter().map(|r| r.operation.as_str()).collect();
        out += &format!("{}: {}\n", p.name, ops.join(", "));
        for r in &requests {
            let actions = r.input["input"]["TransactItems"]
                .as_array()
                .cloned()
                .unwrap_or_default();
            for a in actions.iter().filter_map(|a| a.get("Update")) {
                if !a["UpdateExpression"].as_str().unwrap_or("").contains("ADD") {
                    continue;
                }
                out += &format!(
                    "  {} {}: {}\n",
                    a["Key"]["PK"]["S"].as_str().unwrap_or(""),
                    a["Key"]["SK"]["S"].as_str().unwrap_or(""),
                    serde_json::to_string(&a["ExpressionAttributeValues"]).unwrap_or_default()
                );
            }
        }
    }
    out
}

#[test]
fn every_write_keeps_the_counter() {
    let d = Design::from_json(&text("{}")).unwrap_or_default();
    assert_eq!(d.access_patterns.len(), 6);
    expect![[r#"
        Place: TransactWriteItems
          ORDER_STATS#STATUS#open REVENUE: {":entityType":{"S":"OrderStats"},":group":{"M":{"status":{"S":"open"}}},":itemCount":{"N":"1"},":revenue":{"N":"5"}}
        Cancel: GetItem, TransactWriteItems
          ORDER_STATS#STATUS#open REVENUE: {":entityType":{"S":"OrderStats"},":group":{"M":{"status":{"S":"open"}}},":itemCount":{"N":"-1"},":revenue":{"N":"-5"}}
        Set status: GetItem, TransactWriteItems
          ORDER_STATS#STATUS#open REVENUE: {":entityType":{"S":"OrderStats"},":group":{"M":{"status":{"S":"open"}}},":itemCount":{"N":"-1"},":revenue":{"N":"-5"}}
          ORDER_STATS#STATUS#paid REVENUE: {":entityType":{"S":"OrderStats"},":group":{"M":{"status":{"S":"paid"}}},":itemCount":{"N":"1"},":revenue":{"N":"5"}}
        Add: GetItem, TransactWriteItems
          ORDER_STATS#STATUS#open REVENUE: {":entityType":{"S":"OrderStats"},":group":{"M":{"status":{"S":"open"}}},":revenue":{"N":"3"}}
    "#]]
    .assert_eq(&writes(&d));
    // Read instead: every write is one request again, with no ADD.
    let read = Design::from_json(&text(r#"{"Revenue": "read"}"#)).unwrap_or_default();
    expect![[r#"
        Place: PutItem
        Cancel: DeleteItem
        Set status: UpdateItem
        Add: UpdateItem
    "#]]
    .assert_eq(&writes(&read));
}
