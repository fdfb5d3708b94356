//! Loading the workload's items natively, two ways: PutItem requests through `execute` (the
//! JSON request each item makes, parsed and checked), and [`Database::put_items`], the bulk load
//! of typed items (made from the same JSON before the clock starts). Both tables are checked to
//! hold the same number of items.
//!
//! `LOAD_ITEMS=100000` sets the number of items.

use std::time::Instant;

use schemaplay_dynamo::value::item_from_json;
use schemaplay_dynamo::{Database, Item};
use serde_json::json;

#[allow(dead_code)] // the requests are the operations bench's
mod workload;

fn main() {
    let n: usize = std::env::var("LOAD_ITEMS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000);
    let json: Vec<serde_json::Value> = (0..n).map(|i| workload::item(i, n)).collect();
    let fresh = || {
        let mut db = Database::new();
        db.execute("CreateTable", &workload::create_table())
            .map(|_| db)
    };

    let (Ok(mut requests), Ok(mut bulk)) = (fresh(), fresh()) else {
        eprintln!("the bench table is refused");
        return;
    };
    let t0 = Instant::now();
    for item in &json {
        let put = json!({"TableName": workload::TABLE, "Item": item});
        if let Err(e) = requests.execute("PutItem", &put) {
            eprintln!("PutItem: {e}");
            return;
        }
    }
    let by_request = t0.elapsed().as_secs_f64() * 1e3;

    let items: Vec<Item> = json.iter().filter_map(|v| item_from_json(v).ok()).collect();
    let t0 = Instant::now();
    if let Err(e) = bulk.put_items(workload::TABLE, items) {
        eprintln!("put_items: {e}");
        return;
    }
    let by_bulk = t0.elapsed().as_secs_f64() * 1e3;

    let count = |db: &Database| db.table(workload::TABLE).map_or(0, |t| t.item_count);
    println!(
        "{n} items, PutItem requests: {by_request:.1} ms ({} stored)",
        count(&requests)
    );
    println!(
        "{n} items, put_items:        {by_bulk:.1} ms ({} stored)",
        count(&bulk)
    );
}
