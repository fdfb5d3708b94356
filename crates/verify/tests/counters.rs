//! Counter items are verified: after random inserts, deletes and updates (a status that moves an
//! order between groups, an amount incremented), the counts, sums and averages DynamoDB reads
//! from its counter items (a GetItem of one group, a Query of every group) must equal the
//! groups the reference computes from the records it holds; and a delete that skips its
//! counter ADD is caught.

use schemaplay_core::model::CounterChoice;
use schemaplay_core::Design;
use schemaplay_verify::{verify, Db, Fault, Injection, Options, Report};

const ORDERS: &str = r#"{
  "formatVersion": 2,
  "name": "Orders",
  "entities": [{
    "name": "Order", "id": "orderId", "volume": 1000,
    "fields": [
      { "name": "orderId", "type": "string", "required": true },
      { "name": "status", "type": "string", "required": true, "generator": "status" },
      { "name": "shipTo", "type": { "object": [{ "name": "city", "type": "string", "generator": "city" }] } },
      { "name": "amount", "type": "int", "required": true, "generator": "quantity" }
    ]
  }],
  "accessPatterns": [
    { "name": "Place order", "entity": "Order", "kind": "insert", "requestsPerSecond": 10 },
    { "name": "Cancel order", "entity": "Order", "kind": "delete", "equality": ["orderId"], "requestsPerSecond": 1 },
    { "name": "Change status", "entity": "Order", "kind": "update", "equality": ["orderId"], "fields": ["status"], "requestsPerSecond": 1 },
    { "name": "Add to amount", "entity": "Order", "kind": "update", "equality": ["orderId"], "fields": ["amount"], "update": "increment", "requestsPerSecond": 1 },
    { "name": "Orders per city", "entity": "Order", "kind": "aggregate", "equality": ["status"],
      "aggregate": { "groupBy": ["shipTo.city"], "aggregates": [{ "op": "count", "as": "orders" }] }, "requestsPerSecond": 50 },
    { "name": "Revenue of a status", "entity": "Order", "kind": "aggregate", "equality": ["status"],
      "aggregate": { "groupBy": ["status"], "aggregates": [{ "op": "sum", "field": "amount", "as": "revenue" }, { "op": "avg", "field": "amount", "as": "mean" }] }, "requestsPerSecond": 50 },
    { "name": "Count a status", "entity": "Order", "kind": "count", "equality": ["status"], "requestsPerSecond": 50 }
  ],
  "dynamo": { "tableName": "app-data", "partitionKey": "PK", "sortKey": "SK",
    "counters": { "Orders per city": "counter", "Revenue of a status": "counter", "Count a status": "counter" } }
}"#;

fn design() -> Design {
    Design::from_json(ORDERS).unwrap_or_default()
}

fn run(design: &Design, faults: Vec<Injection>) -> Report {
    let options = Options {
        seed: 11,
        steps: 800,
        faults,
        ..Options::default()
    };
    verify(design, &options)
}

#[test]
fn counter_reads_equal_the_reference_groups() {
    let d = design();
    assert_eq!(d.access_patterns.len(), 7);
    let report = run(&d, Vec::new());
    assert!(report.is_clean(), "{report}");
    // Served, not skipped: no gap on DynamoDB.
    assert_eq!(report.gaps, Vec::new(), "{report}");
    let dynamo = report.compared.iter().find(|(db, _)| *db == Db::DynamoDb);
    assert!(
        dynamo.is_some_and(|(_, n)| *n > 200),
        "{:?}",
        report.compared
    );
}

#[test]
fn a_delete_that_skips_its_counter_add_is_caught() {
    let report = run(
        &design(),
        vec![Injection {
            db: Db::DynamoDb,
            fault: Fault::SkipCounterOnDelete,
        }],
    );
    let counted = ["Orders per city", "Revenue of a status", "Count a status"];
    assert!(
        report
            .divergences
            .iter()
            .all(|d| d.db == Db::DynamoDb && counted.contains(&d.pattern.as_str())),
        "{report}"
    );
    assert!(!report.divergences.is_empty(), "{report}");
}

#[test]
fn reading_the_items_instead_verifies_too() {
    let mut d = design();
    for choice in d.dynamo.counters.values_mut() {
        *choice = CounterChoice::Read;
    }
    let report = run(&d, Vec::new());
    assert!(report.is_clean(), "{report}");
    // The aggregates are Scans again, which the verifier records as gaps; the count is a Query.
    let gaps: Vec<String> = report.gaps.iter().map(|g| g.pattern.clone()).collect();
    assert_eq!(gaps, ["Orders per city", "Revenue of a status"]);
}
