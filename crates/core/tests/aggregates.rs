//! Aggregation patterns: what the design file says (read with paths in its
//! errors, references checked, renames followed), the MongoDB pipeline each
//! becomes, and the DynamoDB Scan with its warning.

mod common;

use common::design;
use expect_test::{expect, Expect};
use schemaplay_core::model::{rename_field, Design};
use schemaplay_core::{analyze, AccessPattern};

const USER: &str = r#"{"name": "User", "id": "userId", "volume": 1000, "fields": [
    {"name": "userId", "type": "string", "required": true},
    {"name": "name", "type": "string"},
    {"name": "profile", "type": {"object": [{"name": "age", "type": "int"}, {"name": "city", "type": "string"}]}},
    {"name": "active", "type": "bool"},
    {"name": "balance", "type": "long"},
    {"name": "createdAt", "type": "date"}]}"#;

/// The user's own example: how many users live in a city.
const BY_CITY: &str = r#"{"name": "Users per city", "entity": "User", "kind": "aggregate", "equality": ["profile.city"],
    "aggregate": {"groupBy": ["profile.city"], "aggregates": [{"op": "count", "as": "count"}]}, "requestsPerSecond": 1}"#;

/// Every finding of a design's text, decoding or validating, one a line.
fn findings(patterns: &str) -> String {
    let json = format!(
        r#"{{"formatVersion": 2, "name": "t", "entities": [{USER}], "accessPatterns": [{patterns}]}}"#
    );
    match Design::from_json(&json) {
        Ok(_) => "ok\n".to_string(),
        Err(found) => found.iter().map(|f| format!("{f}\n")).collect(),
    }
}

fn check(patterns: &str, expect: Expect) {
    expect.assert_eq(&findings(patterns));
}

fn the(d: &Design, name: &str) -> AccessPattern {
    common::pattern(d, name)
}

#[test]
fn an_aggregate_reads_and_writes_back_the_same() {
    let d = design(USER, "", BY_CITY);
    let again = Design::from_json(&d.to_json());
    assert_eq!(again.as_ref().ok(), Some(&d));
    let spec = the(&d, "Users per city").aggregate;
    let spec = spec
        .as_ref()
        .map(|s| (s.group_by.clone(), s.aggregates.len()));
    assert_eq!(spec, Some((vec!["profile.city".to_string()], 1)));
}

#[test]
fn decoding_names_the_path_of_what_is_wrong() {
    check(
        r#"{"name": "A", "entity": "User", "kind": "aggregate",
            "aggregate": {"groupBy": "name", "aggregates": [{"op": "median", "field": "balance", "as": "m"}, {"op": "sum", "field": 3}, "x"], "limit": -1, "having": 1}}"#,
        expect![[r#"
            accessPatterns[0].aggregate.having: unknown key "having" (expected one of "groupBy", "aggregates", "limit")
            accessPatterns[0].aggregate.groupBy: expected an array of strings, found the string "name"
            accessPatterns[0].aggregate.aggregates[0].op: unknown aggregate op "median" (expected one of "count", "sum", "avg", "min", "max")
            accessPatterns[0].aggregate.aggregates[1].field: expected a string, found the number 3
            accessPatterns[0].aggregate.aggregates[1].as: missing
            accessPatterns[0].aggregate.aggregates[2]: expected an object, found the string "x"
            accessPatterns[0].aggregate.limit: expected a whole number of zero or more, found the number -1
        "#]],
    );
}

#[test]
fn validation_checks_every_reference_with_its_path() {
    check(
        r#"{"name": "A", "entity": "User", "kind": "aggregate", "sort": {"field": "total"},
            "aggregate": {"groupBy": ["profile.town", "name", "name"], "limit": 0, "aggregates": [
              {"op": "count", "field": "name", "as": "n"},
              {"op": "sum", "as": "s"},
              {"op": "avg", "field": "name", "as": "n"},
              {"op": "max", "field": "profile.size", "as": "name"},
              {"op": "min", "field": "createdAt", "as": "a.b"}]}},
           {"name": "B", "entity": "User", "kind": "aggregate"},
           {"name": "C", "entity": "User", "kind": "list", "equality": ["name"], "aggregate": {"aggregates": []}},
           {"name": "D", "entity": "User", "kind": "aggregate", "aggregate": {"aggregates": []}}"#,
        expect![[r#"
            accessPatterns[0].aggregate.groupBy[0]: "profile.town" is not a field of User
            accessPatterns[0].aggregate.groupBy[2]: "name" is already a group key
            accessPatterns[0].aggregate.aggregates[0].field: a count reads no field; remove "field"
            accessPatterns[0].aggregate.aggregates[1].field: sum reads a field: name it in "field"
            accessPatterns[0].aggregate.aggregates[2].field: "name" is a string, and only numbers can be summed or averaged
            accessPatterns[0].aggregate.aggregates[2].as: "n" names another output already
            accessPatterns[0].aggregate.aggregates[3].field: "profile.size" is not a field of User
            accessPatterns[0].aggregate.aggregates[3].as: "name" is a group key: an output needs a name of its own
            accessPatterns[0].aggregate.aggregates[4].as: "a.b" cannot name an output: a name is not empty, has no dot, does not start with $ and is not _id
            accessPatterns[0].sort.field: "total" is neither a group key nor an output of the aggregate: groups sort on what they hold
            accessPatterns[0].aggregate.limit: a limit keeps at least one group
            accessPatterns[1].aggregate: an aggregate says what it computes: add "aggregate": { "groupBy": [...], "aggregates": [{ "op": "count", "as": "count" }] }
            accessPatterns[2].aggregate: only an aggregate pattern groups and computes; remove "aggregate" or make the pattern an aggregate
            accessPatterns[3].aggregate.aggregates: an aggregate computes at least one output (count, sum, avg, min or max)
        "#]],
    );
    // A sort on an output or on a group key, and min/max of any field, are fine.
    check(
        r#"{"name": "A", "entity": "User", "kind": "aggregate", "sort": {"field": "total", "order": "desc"},
            "aggregate": {"groupBy": ["profile.city"], "limit": 3, "aggregates": [{"op": "sum", "field": "balance", "as": "total"}, {"op": "min", "field": "createdAt", "as": "first"}]}},
           {"name": "B", "entity": "User", "kind": "aggregate", "sort": {"field": "profile.city"},
            "aggregate": {"groupBy": ["profile.city"], "aggregates": [{"op": "max", "field": "name", "as": "last"}]}}"#,
        expect![[r#"
            ok
        "#]],
    );
}

#[test]
fn renaming_a_field_renames_the_group_keys_and_what_the_outputs_read() {
    let d = design(
        USER,
        "",
        r#"{"name": "Balance per city", "entity": "User", "kind": "aggregate", "sort": {"field": "profile.city"},
            "aggregate": {"groupBy": ["profile.city"], "aggregates": [{"op": "sum", "field": "balance", "as": "balance"}, {"op": "avg", "field": "profile.age", "as": "age"}]}, "requestsPerSecond": 1}"#,
    );
    let renamed = rename_field(&d, "User", "profile", "details")
        .and_then(|d| rename_field(&d, "User", "balance", "credit"));
    let Ok(renamed) = renamed else {
        panic!("the rename is refused: {renamed:?}");
    };
    let p = the(&renamed, "Balance per city");
    let spec = serde_json::to_string(&p.aggregate).unwrap_or_default();
    expect![[r#"{"groupBy":["details.city"],"aggregates":[{"op":"sum","field":"credit","as":"balance"},{"op":"avg","field":"details.age","as":"age"}]}"#]]
        .assert_eq(&spec);
    assert_eq!(p.sort.map(|s| s.field).as_deref(), Some("details.city"));
    assert_eq!(findings_of(&renamed), "");
}

fn findings_of(d: &Design) -> String {
    schemaplay_core::model::validate(d)
        .iter()
        .map(|f| format!("{f}\n"))
        .collect()
}

/// The MongoDB shell line and the DynamoDB operation of each aggregate pattern,
/// then the aggregate findings.
fn outputs(d: &Design, expect: Expect) {
    let analysis = analyze(d);
    let mut text = String::new();
    for q in &analysis.mongo.queries {
        text.push_str(&format!("{} ({}): {}\n", q.pattern, q.operation, q.shell));
    }
    for r in &analysis.dynamo.requests {
        text.push_str(&format!(
            "{}: {} {}\n",
            r.pattern, r.operation, r.input["input"]["FilterExpression"]
        ));
    }
    for f in analysis
        .findings
        .iter()
        .filter(|f| f.id.contains("aggregate"))
    {
        text.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    expect.assert_eq(&text);
}

#[test]
fn the_users_group_by_city_is_a_match_and_group_pipeline() {
    outputs(
        &design(USER, "", BY_CITY),
        expect![[r#"
            Users per city (aggregate): db.users.aggregate([{ $match: { 'profile.city': 'Sydney' } }, { $group: { _id: '$profile.city', count: { $sum: 1 } } }])
            Users per city: Scan "entityType = :type AND profile.city = :e0"
            warning [dynamo-aggregate-scan] accessPatterns[0]: DynamoDB has no GROUP BY: this Scan reads every item of the table, keeps the matching ones, and the client groups and computes them; a count or sum (an average is sum and count) per group could be kept in a counter item per group key, updated with ADD in the same TransactWriteItems as each insert, update and delete, and read with one GetItem or Query; no counter item: no pattern inserts users at a rate, so the design does not say what writes would keep one; each run reads about 1,000 items (17 read units) at 1 requests per second
        "#]],
    );
}

#[test]
fn sorted_limited_groups_of_several_keys() {
    outputs(
        &design(
            USER,
            "",
            r#"{"name": "Richest", "entity": "User", "kind": "aggregate", "equality": ["active"], "range": "createdAt", "sort": {"field": "total", "order": "desc"},
                "aggregate": {"groupBy": ["profile.city", "profile.age"], "limit": 5, "aggregates": [{"op": "sum", "field": "balance", "as": "total"}, {"op": "avg", "field": "balance", "as": "mean"}, {"op": "min", "field": "createdAt", "as": "first"}, {"op": "max", "field": "balance", "as": "top"}]}, "requestsPerSecond": 1},
               {"name": "All", "entity": "User", "kind": "aggregate", "aggregate": {"aggregates": [{"op": "count", "as": "users"}]}, "requestsPerSecond": 1}"#,
        ),
        expect![[r#"
            Richest (aggregate): db.users.aggregate([{ $match: { active: false, createdAt: { $gte: ISODate('2025-04-06T15:49:51.000Z') } } }, { $group: { _id: { profile_city: '$profile.city', profile_age: '$profile.age' }, total: { $sum: '$balance' }, mean: { $avg: '$balance' }, first: { $min: '$createdAt' }, top: { $max: '$balance' } } }, { $sort: { total: -1, _id: 1 } }, { $limit: 5 }])
            All (aggregate): db.users.aggregate([{ $group: { _id: null, users: { $sum: 1 } } }])
            Richest: Scan "entityType = :type AND active = :e0 AND createdAt >= :from"
            All: Scan "entityType = :type"
            warning [dynamo-aggregate-scan] accessPatterns[0]: DynamoDB has no GROUP BY: this Scan reads every item of the table, keeps the matching ones, and the client groups and computes them; a min or max cannot be kept in a counter item, since deleting the item that holds it leaves nothing to find the next one without reading the whole group; a count or sum (an average is sum and count) per group could be kept in a counter item per group key, updated with ADD in the same TransactWriteItems as each insert, update and delete, and read with one GetItem or Query; no counter item: the range on createdAt takes a new bound with every read, and no counter item holds every range; each run reads about 1,000 items (17 read units) at 1 requests per second
            warning [dynamo-aggregate-scan] accessPatterns[1]: DynamoDB has no GROUP BY: this Scan reads every item of the table, keeps the matching ones, and the client groups and computes them; a count or sum (an average is sum and count) per group could be kept in a counter item per group key, updated with ADD in the same TransactWriteItems as each insert, update and delete, and read with one GetItem or Query; no counter item: no pattern inserts users at a rate, so the design does not say what writes would keep one; each run reads about 1,000 items (17 read units) at 1 requests per second
        "#]],
    );
}

#[test]
fn the_index_advice_serves_the_match_and_not_the_group_sort() {
    let d = design(
        USER,
        "",
        r#"{"name": "Richest active", "entity": "User", "kind": "aggregate", "equality": ["active"], "range": "createdAt", "sort": {"field": "total", "order": "desc"},
            "aggregate": {"groupBy": ["profile.city"], "aggregates": [{"op": "sum", "field": "balance", "as": "total"}]}, "requestsPerSecond": 1}"#,
    );
    let analysis = analyze(&d);
    let advice: Vec<String> = analysis
        .mongo
        .collections
        .iter()
        .flat_map(|c| &c.indexes)
        .filter(|i| i.serves.iter().any(|p| p == "Richest active"))
        .map(|i| format!("{} {}", i.name, i.keys))
        .collect();
    // Equality, then range (ESR): the $sort runs on the groups, after the index's work.
    expect![[r#"["active_1_createdAt_1 {\"active\":1,\"createdAt\":1}"]"#]]
        .assert_eq(&format!("{advice:?}"));
    let q = analysis
        .mongo
        .queries
        .iter()
        .find(|q| q.pattern == "Richest active");
    assert_eq!(
        q.and_then(|q| q.index.clone()).as_deref(),
        Some("active_1_createdAt_1")
    );
}
