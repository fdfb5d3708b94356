//! The queries and pipelines of `tests/bench/mongo/bench.mjs`, natively, on 100,000 users: the
//! engine's own time for the whole answer (as JSON text, what the facade returns) and for a
//! cursor's first batch. For profiling the engine without Node (`perf record` on this bench).
//!
//! `QUERY_RUNS=7` sets the runs (median); an argument picks the rows whose name holds it.

use serde_json::{json, Value};

use schemaplay_mongo::Database;

mod common;
mod users;
use common::{env_number, picked, timed};

fn runs() -> usize {
    env_number("QUERY_RUNS", 7)
}

/// The median milliseconds of a request through the JSON text entry point, on the clock and on
/// this thread's CPU (which others' load on the machine does not inflate), and its answer.
fn time(db: &mut Database, request: &Value) -> (f64, f64, String) {
    let text = request.to_string();
    let mut answer = String::new();
    let (ms, cpu) = timed(runs(), || {
        answer = db.execute_json(&text).unwrap_or_else(|e| e.to_string());
        // A cursor left open would hold its answer; the console closes the one it replaces.
        if let Some(id) = cursor_id(&answer) {
            let kill = json!({"op": "killCursors", "collection": "users", "cursors": [id]});
            let _ = db.execute_json(&kill.to_string());
        }
    });
    (ms, cpu, answer)
}

/// The id of the open cursor a reply names, read from its end (`...],"id":N,"ns":...}`) without
/// parsing the batch.
fn cursor_id(reply: &str) -> Option<i64> {
    if !reply.starts_with("{\"cursor\"") {
        return None;
    }
    let at = reply.rfind("],\"id\":")? + "],\"id\":".len();
    let digits: String = reply
        .get(at..)?
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '-')
        .collect();
    digits.parse().ok().filter(|id| *id != 0)
}

fn main() {
    let mut db = Database::new();
    if let Err(e) = db.insert_many("users", users::users(100_000)) {
        eprintln!("{e}");
        return;
    }
    let date = |d: &str| json!({"$date": d});
    let finds = [
        ("nested equality", json!({"profile.city": "Lyon"}), None),
        (
            "range",
            json!({"profile.age": {"$gte": 30, "$lt": 32}}),
            None,
        ),
        (
            "$in",
            json!({"profile.city": {"$in": ["Paris", "Nice", "Oslo"]}}),
            None,
        ),
        (
            "$elemMatch",
            json!({"orders": {"$elemMatch": {"sku": "SKU-7", "qty": {"$gte": 4}}}}),
            None,
        ),
        (
            "regex prefix",
            json!({"email": {"$regex": "^user1234"}}),
            None,
        ),
        (
            "$and/$or",
            json!({"$and": [{"profile.age": {"$gte": 60}}, {"$or": [{"tags": "rust"}, {"profile.city": "Berlin"}]}]}),
            None,
        ),
        (
            "sort+limit",
            json!({"active": true}),
            Some((json!({"profile.age": -1, "_id": 1}), 10)),
        ),
        (
            "date range",
            json!({"createdAt": {"$gte": date("2024-06-01T00:00:00Z"), "$lt": date("2024-06-08T00:00:00Z")}}),
            None,
        ),
    ];
    println!(
        "{:<18} {:>9} {:>10} {:>10} {:>10} {:>10}",
        "query", "results", "whole ms", "(CPU)", "1st ms", "(CPU)"
    );
    for (name, filter, sort) in finds {
        if !picked(name) {
            continue;
        }
        let mut request = json!({"op": "find", "collection": "users", "filter": filter});
        if let Some((sort, limit)) = sort {
            request["sort"] = sort;
            request["limit"] = json!(limit);
        }
        let (whole, whole_cpu, answer) = time(&mut db, &request);
        let results = serde_json::from_str::<Value>(&answer)
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0);
        request["cursor"] = json!({});
        let (first, first_cpu, _) = time(&mut db, &request);
        println!(
            "{name:<18} {results:>9} {whole:>10.2} {whole_cpu:>10.2} {first:>10.2} {first_cpu:>10.2}"
        );
    }
    let pipelines = [
        (
            "count by city",
            json!([{"$group": {"_id": "$profile.city", "n": {"$sum": 1}}}]),
        ),
        (
            "match + group",
            json!([{"$match": {"profile.city": "Lyon"}}, {"$group": {"_id": "$profile.age", "n": {"$sum": 1}}}]),
        ),
        (
            "avg, sort, limit",
            json!([{"$match": {"active": true}}, {"$group": {"_id": "$profile.city", "avg": {"$avg": "$profile.age"}}}, {"$sort": {"avg": -1, "_id": 1}}, {"$limit": 3}]),
        ),
        (
            "unwind + count",
            json!([{"$unwind": "$tags"}, {"$sortByCount": "$tags"}]),
        ),
        (
            "order totals",
            json!([{"$unwind": "$orders"}, {"$group": {"_id": "$orders.sku", "qty": {"$sum": "$orders.qty"}}}]),
        ),
    ];
    println!(
        "{:<18} {:>9} {:>10} {:>10}",
        "pipeline", "groups", "ms", "(CPU)"
    );
    for (name, pipeline) in pipelines {
        if !picked(name) {
            continue;
        }
        let request = json!({"op": "aggregate", "collection": "users", "pipeline": pipeline});
        let (ms, cpu, answer) = time(&mut db, &request);
        let groups = serde_json::from_str::<Value>(&answer)
            .ok()
            .and_then(|v| v.as_array().map(Vec::len))
            .unwrap_or(0);
        println!("{name:<18} {groups:>9} {ms:>10.2} {cpu:>10.2}");
    }
}
