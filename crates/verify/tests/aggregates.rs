//! Aggregation patterns are verified: the reference groups the records it holds and MongoDB's
//! `$match`/`$group`/`$sort`/`$limit` must give the same groups (numbers within
//! `aggregate::TOLERANCE`); DynamoDB's Scan is recorded as a gap, as every Scan is.

use schemaplay_core::Design;
use schemaplay_verify::{verify, Db, Fault, Injection, Options, Report};

/// Orders with a status, a city and an amount: counted per city for one status, and summed,
/// averaged and bounded per (status, city), the richest groups first, the first 3.
const ORDERS: &str = r#"{
  "formatVersion": 2,
  "name": "Orders",
  "entities": [{
    "name": "Order", "id": "orderId", "volume": 1000,
    "fields": [
      { "name": "orderId", "type": "string", "required": true },
      { "name": "status", "type": "string", "required": true, "generator": "status" },
      { "name": "shipTo", "type": { "object": [{ "name": "city", "type": "string", "generator": "city" }] } },
      { "name": "amount", "type": "double", "required": true, "generator": "price" },
      { "name": "items", "type": "int", "generator": "quantity" },
      { "name": "placedAt", "type": "date", "required": true }
    ]
  }],
  "accessPatterns": [
    { "name": "Place order", "entity": "Order", "kind": "insert" },
    { "name": "Cancel order", "entity": "Order", "kind": "delete", "equality": ["orderId"] },
    { "name": "Orders per city", "entity": "Order", "kind": "aggregate", "equality": ["status"],
      "aggregate": { "groupBy": ["shipTo.city"], "aggregates": [{ "op": "count", "as": "orders" }] } },
    { "name": "Top groups", "entity": "Order", "kind": "aggregate", "range": "placedAt",
      "sort": { "field": "revenue", "order": "desc" },
      "aggregate": { "groupBy": ["status", "shipTo.city"], "limit": 3, "aggregates": [
        { "op": "sum", "field": "amount", "as": "revenue" }, { "op": "avg", "field": "items", "as": "meanItems" },
        { "op": "min", "field": "placedAt", "as": "first" }, { "op": "max", "field": "amount", "as": "largest" }] } },
    { "name": "All orders", "entity": "Order", "kind": "aggregate", "sort": { "field": "count", "order": "asc" },
      "aggregate": { "aggregates": [{ "op": "count", "as": "count" }, { "op": "sum", "field": "items", "as": "items" }] } }
  ]
}"#;

fn run(faults: Vec<Injection>) -> Report {
    let design = Design::from_json(ORDERS).unwrap_or_default();
    assert_eq!(design.access_patterns.len(), 5);
    let options = Options {
        seed: 5,
        steps: 800,
        faults,
        ..Options::default()
    };
    verify(&design, &options)
}

#[test]
fn aggregates_verify_clean_on_mongodb_and_are_gaps_on_dynamodb() {
    let report = run(Vec::new());
    assert!(report.is_clean(), "{report}");
    let mongo = report.compared.iter().find(|(db, _)| *db == Db::MongoDb);
    assert!(
        mongo.is_some_and(|(_, n)| *n > 200),
        "{:?}",
        report.compared
    );
    let gaps: Vec<String> = report.gaps.iter().map(|g| g.pattern.clone()).collect();
    assert_eq!(gaps, ["Orders per city", "Top groups", "All orders"]);
}

#[test]
fn a_skipped_delete_is_caught_by_the_groups() {
    let report = run(vec![Injection {
        db: Db::MongoDb,
        fault: Fault::SkipWrite("Cancel order".into()),
    }]);
    assert!(
        report
            .divergences
            .iter()
            .any(|d| d.db == Db::MongoDb && d.pattern != "Cancel order"),
        "{report}"
    );
}
