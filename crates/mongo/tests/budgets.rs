//! Budgets: every request stops with `MaxTimeMSExpired` once its `maxTimeMS` (or the host's
//! default) is spent, whatever loop it is in, and a write that stops has changed nothing; a
//! blocking sort or group past 100 MB without `allowDiskUse` fails with the server's error.
//! The timer is a counter the test advances (1 ms per reading), so nothing here depends on how
//! fast the machine is.

use std::cell::Cell;
use std::rc::Rc;

use schemaplay_mongo::Database;
use serde_json::{json, Value};

/// A database whose timer moves 1 ms each time it is read, holding 5,000 documents in `c`
/// (with a text index and an array of 20 in each) and 200 in `small`.
fn database() -> Database {
    let mut db = Database::new();
    let docs: Vec<Value> = (0..5_000)
        .map(|i| {
            json!({
                "_id": i,
                "k": i % 97,
                "s": format!("word{} common text", i % 13),
                "arr": (0..20).collect::<Vec<i32>>(),
            })
        })
        .collect();
    let small: Vec<Value> = (0..200).map(|i| json!({"_id": i, "k": i % 97})).collect();
    for (name, docs) in [("c", docs), ("small", small)] {
        let loaded =
            db.execute(&json!({"op": "insertMany", "collection": name, "documents": docs}));
        assert!(loaded.is_ok(), "{loaded:?}");
    }
    let text = db.execute(&json!({"op": "createIndex", "collection": "c", "key": {"s": "text"}}));
    assert!(text.is_ok(), "{text:?}");
    let now = Rc::new(Cell::new(0.0));
    db.set_timer(Some(Rc::new(move || {
        now.set(now.get() + 1.0);
        now.get()
    })));
    db
}

/// Requests that each take thousands of steps: every long loop.
fn long_requests() -> Vec<Value> {
    vec![
        json!({"op": "find", "collection": "c", "filter": {"k": 1000}}),
        json!({"op": "find", "collection": "c", "filter": {"$expr": {"$eq": ["$k", 1000]}}}),
        json!({"op": "find", "collection": "c", "filter": {}, "sort": {"s": -1, "k": 1}}),
        json!({"op": "find", "collection": "c", "filter": {"$text": {"$search": "common"}}}),
        json!({"op": "countDocuments", "collection": "c", "filter": {"k": {"$gte": 0}}}),
        json!({"op": "distinct", "collection": "c", "key": "k", "filter": {}}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$group": {"_id": "$k", "n": {"$sum": 1}}}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$match": {"k": {"$gte": 0}}}, {"$project": {"k": 1}}, {"$sort": {"k": -1}}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$unwind": "$arr"}, {"$count": "n"}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$unwind": "$arr"}, {"$group": {"_id": "$arr", "n": {"$sum": 1}}}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$lookup": {"from": "small", "localField": "k", "foreignField": "k", "as": "m"}}]}),
        json!({"op": "aggregate", "collection": "small", "pipeline": [{"$lookup": {"from": "c", "let": {"k": "$k"}, "pipeline": [{"$match": {"$expr": {"$eq": ["$k", "$$k"]}}}], "as": "m"}}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$facet": {"a": [{"$match": {"k": 5}}], "b": [{"$bucket": {"groupBy": "$k", "boundaries": [0, 50, 100]}}]}}]}),
        json!({"op": "aggregate", "collection": "c", "pipeline": [{"$addFields": {"x": {"$add": ["$k", 1]}}}, {"$replaceRoot": {"newRoot": {"x": "$x"}}}]}),
    ]
}

/// Writes that each take thousands of steps, and what they would change.
fn long_writes() -> Vec<Value> {
    let new: Vec<Value> = (0..5_000).map(|i| json!({"_id": 100_000 + i})).collect();
    vec![
        json!({"op": "updateMany", "collection": "c", "filter": {}, "update": {"$inc": {"k": 1}}}),
        json!({"op": "updateMany", "collection": "c", "filter": {}, "update": [{"$set": {"k": 0}}]}),
        json!({"op": "deleteMany", "collection": "c", "filter": {"k": {"$gte": 0}}}),
        json!({"op": "insertMany", "collection": "c", "documents": new}),
    ]
}

const EXPIRED: &str = "50 MaxTimeMSExpired: operation exceeded time limit";

fn error(result: Result<Value, schemaplay_mongo::MongoError>) -> String {
    match result {
        Ok(v) => format!(
            "no error: {}",
            v.to_string().chars().take(80).collect::<String>()
        ),
        Err(e) => format!("{} {}: {}", e.code, e.code_name, e.message),
    }
}

fn all_documents(db: &mut Database) -> Value {
    db.execute(&json!({"op": "find", "collection": "c", "filter": {}}))
        .unwrap_or(Value::Null)
}

#[test]
fn max_time_ms_stops_every_long_request() {
    let mut db = database();
    for request in long_requests() {
        let mut limited = request.clone();
        limited["maxTimeMS"] = json!(2);
        assert_eq!(error(db.execute(&limited)), EXPIRED, "{request}");
        // The same request with time enough answers.
        limited["maxTimeMS"] = json!(1_000_000);
        assert!(db.execute(&limited).is_ok(), "{request}");
        // So does a request without a limit, and one through the text entry point.
        assert!(db.execute(&request).is_ok(), "{request}");
        let mut text = request.clone();
        text["maxTimeMS"] = json!(2);
        let answer = db.execute_json(&text.to_string());
        assert_eq!(answer.map_err(|e| e.code), Err(50), "{request}");
    }
}

#[test]
fn a_write_out_of_time_changes_nothing() {
    let mut db = database();
    let before = all_documents(&mut db);
    for write in long_writes() {
        let mut limited = write.clone();
        limited["maxTimeMS"] = json!(2);
        assert_eq!(error(db.execute(&limited)), EXPIRED, "{write}");
        assert!(
            all_documents(&mut db) == before,
            "{write} changed the collection"
        );
    }
}

#[test]
fn the_host_sets_a_default_time_limit() {
    let mut db = database();
    db.set_default_max_time_ms(Some(2));
    let request = json!({"op": "find", "collection": "c", "filter": {"k": 1000}});
    assert_eq!(error(db.execute(&request)), EXPIRED);
    let mut own = request.clone();
    own["maxTimeMS"] = json!(1_000_000);
    assert!(
        db.execute(&own).is_ok(),
        "a request's own limit comes first"
    );
    // Short requests are not stopped: the timer is read every 1,024 steps.
    let short = json!({"op": "find", "collection": "small", "filter": {"k": 1}});
    assert!(db.execute(&short).is_ok());
    db.set_default_max_time_ms(None);
    assert!(db.execute(&request).is_ok());
}

#[test]
fn max_time_ms_is_checked_as_the_server_does() {
    let mut db = database();
    for (value, message) in [
        (json!(-1), "2 BadValue: maxTimeMS is out of range"),
        (
            json!(2_147_483_648_i64),
            "2 BadValue: maxTimeMS is out of range",
        ),
        (json!(1.5), "2 BadValue: maxTimeMS has non-integral value"),
        (json!("5"), "2 BadValue: maxTimeMS must be a number"),
    ] {
        let request = json!({"op": "find", "collection": "c", "filter": {}, "maxTimeMS": value});
        assert_eq!(error(db.execute(&request)), message, "{value}");
    }
    // 0 is no limit; createCollection takes the limit as a limit, not an option.
    let request = json!({"op": "find", "collection": "c", "filter": {"k": 1000}, "maxTimeMS": 0});
    assert!(db.execute(&request).is_ok());
    let create = json!({"op": "createCollection", "collection": "new", "maxTimeMS": 100});
    assert!(db.execute(&create).is_ok());
}

/// 120 documents of 1 MB: past the 100 MB a blocking sort or group may hold in memory.
fn big_database() -> Database {
    let mut db = Database::new();
    let text = "x".repeat(1_000_000);
    let docs: Vec<Value> = (0..120)
        .map(|i| json!({"_id": i, "s": text, "k": i % 3}))
        .collect();
    let loaded = db.execute(&json!({"op": "insertMany", "collection": "big", "documents": docs}));
    assert!(loaded.is_ok());
    db
}

#[test]
fn blocking_sorts_and_groups_past_100_mb_need_allow_disk_use() {
    let mut db = big_database();
    let sort_error = "292 QueryExceededMemoryLimitNoDiskUseAllowed: Sort exceeded memory limit of 104857600 bytes, but did not opt in to external sorting.";
    let group_error = "292 QueryExceededMemoryLimitNoDiskUseAllowed: Exceeded memory limit for $group, but didn't allow external sort. Pass allowDiskUse:true to opt in.";
    let requests = [
        (
            json!({"op": "find", "collection": "big", "filter": {}, "sort": {"k": 1}}),
            sort_error,
        ),
        (
            json!({"op": "aggregate", "collection": "big", "pipeline": [{"$sort": {"k": -1}}]}),
            sort_error,
        ),
        (
            json!({"op": "aggregate", "collection": "big", "pipeline": [{"$group": {"_id": "$k", "all": {"$push": "$$ROOT"}}}]}),
            group_error,
        ),
    ];
    for (request, message) in &requests {
        let mut refused = request.clone();
        refused["allowDiskUse"] = json!(false);
        assert_eq!(error(db.execute(&refused)), *message, "{request}");
        // With the disk allowed (the default since 6.0), the simulator sorts in memory.
        assert!(db.execute(request).is_ok(), "{request}");
        refused["allowDiskUse"] = json!(true);
        assert!(db.execute(&refused).is_ok(), "{request}");
    }
    // The host can make the disk forbidden by default, as before 6.0.
    db.set_allow_disk_use_by_default(false);
    for (request, message) in &requests {
        assert_eq!(error(db.execute(request)), *message, "{request}");
    }
    // A sort with a small limit holds only what it keeps; a group of counts holds its keys.
    for request in [
        json!({"op": "find", "collection": "big", "filter": {}, "sort": {"k": 1}, "limit": 5}),
        json!({"op": "aggregate", "collection": "big", "pipeline": [{"$group": {"_id": "$k", "n": {"$sum": 1}}}]}),
    ] {
        assert!(db.execute(&request).is_ok(), "{request}");
    }
}
