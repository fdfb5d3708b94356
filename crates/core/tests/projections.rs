//! DynamoDB index projections: derived from what the patterns read through
//! each index and what the updates write, overridden by the design; in the
//! CreateTable, in the requests (a fetch after a Query of an index lacking
//! attributes), in the index writes of updates, and in storage.

mod common;

use common::design;
use expect_test::{expect, Expect};
use schemaplay_core::dynamo::{layout, DynamoLayout};
use schemaplay_core::{analyze, Design};

/// Each index's projection and why; each pattern's requests with their units.
fn check(d: &Design, expect: Expect) {
    let layout = layout(d);
    expect.assert_eq(&describe(&layout));
}

fn describe(layout: &DynamoLayout) -> String {
    let mut text = String::new();
    for i in &layout.indexes {
        text.push_str(&format!(
            "{} {}: {}\n",
            i.name,
            i.projection.type_name(),
            i.projection_reason
        ));
    }
    for index in layout.create_table["GlobalSecondaryIndexes"]
        .as_array()
        .into_iter()
        .flatten()
    {
        text.push_str(&format!(
            "CreateTable {}: {}\n",
            index["IndexName"].as_str().unwrap_or(""),
            index["Projection"]
        ));
    }
    for r in &layout.requests {
        text.push_str(&format!(
            "{}: {} ({} index writes)",
            r.pattern, r.operation, r.index_writes
        ));
        if let Some(then) = &r.then {
            text.push_str(&format!(
                " then {} of {} item(s)",
                then.operation, then.items
            ));
        }
        text.push('\n');
    }
    text
}

const USER: &str = r#"{"name": "User", "id": "userId", "fields": [{"name": "userId", "type": "string", "required": true}, {"name": "username", "type": "string", "required": true}, {"name": "displayName", "type": "string"}, {"name": "city", "type": "string", "generator": "city"}, {"name": "lastSeenAt", "type": "date"}], "volume": 1000000}"#;

/// Users found by username, touched often; `extra` more patterns, then more design keys.
fn users(extra: &str, rest: &str) -> Design {
    let mut d = design(
        USER,
        "",
        &format!(
            r#"{{"name": "Find user by username", "entity": "User", "kind": "getOne", "equality": ["username"], "requestsPerSecond": 30}},
               {{"name": "Touch last seen", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["lastSeenAt"], "requestsPerSecond": 300}}{extra}"#
        ),
    );
    if !rest.is_empty() {
        let json = d
            .to_json()
            .replacen("\"dynamo\": {", &format!("\"dynamo\": {{{rest},"), 1);
        d = match Design::from_json(&json) {
            Ok(d) => d,
            Err(f) => panic!("the test design does not read: {f:?}"),
        };
    }
    d
}

#[test]
fn keys_only_when_the_updates_it_spares_cost_more_than_fetching() {
    check(
        &users("", ""),
        expect![[r#"
            GSI1 KEYS_ONLY: the update "Touch last seen" changes no key of it: with the keys alone it is not written then, saving about 300.0 write units per second, while fetching from the table the items "Find user by username" reads takes about 15.0 read units per second (a write unit costs 5 read units)
            CreateTable GSI1: {"ProjectionType":"KEYS_ONLY"}
            Find user by username: Query (0 index writes) then GetItem of 1 item(s)
            Touch last seen: UpdateItem (0 index writes)
        "#]],
    );
}

#[test]
fn all_when_fetching_costs_more_than_the_index_writes() {
    // The look-up at 3,000 per second: fetching each user costs more than the writes saved.
    let d = users(
        r#", {"name": "Users in a city", "entity": "User", "kind": "list", "equality": ["city"], "pageSize": 50, "requestsPerSecond": 3000}"#,
        "",
    );
    check(
        &d,
        expect![[r#"
        GSI1 KEYS_ONLY: the update "Touch last seen" changes no key of it: with the keys alone it is not written then, saving about 300.0 write units per second, while fetching from the table the items "Find user by username" reads takes about 15.0 read units per second (a write unit costs 5 read units)
        GSI2 ALL: "Users in a city" reads whole items through it: copying them costs less than fetching them from the table (about 75000.0 read units per second), and the update "Touch last seen" would save only about 300.0 write units per second with the keys alone
        CreateTable GSI1: {"ProjectionType":"KEYS_ONLY"}
        CreateTable GSI2: {"ProjectionType":"ALL"}
        Find user by username: Query (0 index writes) then GetItem of 1 item(s)
        Touch last seen: UpdateItem (1 index writes)
        Users in a city: Query (0 index writes)
    "#]],
    );
}

#[test]
fn keys_only_for_an_index_that_only_counts() {
    let d = users(
        r#", {"name": "Count users in a city", "entity": "User", "kind": "count", "equality": ["city"], "requestsPerSecond": 5}"#,
        "",
    );
    check(
        &d,
        expect![[r#"
        GSI1 KEYS_ONLY: the update "Touch last seen" changes no key of it: with the keys alone it is not written then, saving about 300.0 write units per second, while fetching from the table the items "Find user by username" reads takes about 15.0 read units per second (a write unit costs 5 read units)
        GSI2 KEYS_ONLY: nothing read through it needs more than the keys
        CreateTable GSI1: {"ProjectionType":"KEYS_ONLY"}
        CreateTable GSI2: {"ProjectionType":"KEYS_ONLY"}
        Find user by username: Query (0 index writes) then GetItem of 1 item(s)
        Touch last seen: UpdateItem (0 index writes)
        Count users in a city: Query (0 index writes)
    "#]],
    );
}

#[test]
fn the_design_overrides_the_projection() {
    // INCLUDE displayName: renaming writes the index, touching does not, and
    // the look-up still fetches the user (lastSeenAt and city are not there).
    let d = users(
        r#", {"name": "Rename user", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["displayName"], "requestsPerSecond": 1}"#,
        r#""projections": {"GSI1": {"include": ["displayName"]}}"#,
    );
    check(
        &d,
        expect![[r#"
        GSI1 INCLUDE: set in the design
        CreateTable GSI1: {"ProjectionType":"INCLUDE","NonKeyAttributes":["displayName"]}
        Find user by username: Query (0 index writes) then GetItem of 1 item(s)
        Touch last seen: UpdateItem (0 index writes)
        Rename user: UpdateItem (1 index writes)
    "#]],
    );
    let all = users("", r#""projections": {"GSI1": "all", "GSI9": "keysOnly"}"#);
    check(
        &all,
        expect![[r#"
        GSI1 ALL: set in the design
        CreateTable GSI1: {"ProjectionType":"ALL"}
        Find user by username: Query (0 index writes)
        Touch last seen: UpdateItem (1 index writes)
    "#]],
    );
    let findings: String = analyze(&all)
        .findings
        .iter()
        .filter(|f| f.id.starts_with("dynamo-projection"))
        .map(|f| format!("{f}\n"))
        .collect();
    expect![[r#"
        dynamo.projections.GSI9: the layout has no index GSI9, so this projection applies to nothing; its indexes are: GSI1
    "#]].assert_eq(&findings);
}

#[test]
fn a_keys_only_index_is_stored_smaller_and_the_update_writes_less() {
    let keys_only = analyze(&users("", ""));
    let all = analyze(&users("", r#""projections": {"GSI1": "all"}"#));
    let touch = |a: &schemaplay_core::Analysis| {
        a.cost
            .patterns
            .iter()
            .find(|p| p.pattern == "Touch last seen")
            .map(|p| p.on_demand_monthly)
            .unwrap_or_default()
    };
    expect![[r#"
        storage 0.404 GB against 0.5 GB; Touch last seen $492.75 against $985.5
    "#]]
    .assert_eq(&format!(
        "storage {} GB against {} GB; Touch last seen ${} against ${}\n",
        keys_only.cost.storage_gb,
        all.cost.storage_gb,
        touch(&keys_only),
        touch(&all)
    ));
}

#[test]
fn projections_are_read_with_their_paths_and_checked() {
    let json = |projections: &str| {
        format!(
            r#"{{"formatVersion": 1, "name": "t", "entities": [{USER}], "dynamo": {{"tableName": "app-data", "partitionKey": "PK", "sortKey": "SK", "projections": {projections}}}}}"#
        )
    };
    let read = |text: String| match Design::from_json(&text) {
        Ok(d) => format!("ok {:?}\n", d.dynamo.projections),
        Err(findings) => findings
            .iter()
            .map(|f| format!("[{}] {f}\n", f.id))
            .collect(),
    };
    expect![[r#"
        ok {"EmailIndex": Include(["displayName", "city"]), "GSI1": KeysOnly, "GSI2": All}
    "#]].assert_eq(&read(json(
        r#"{"GSI1": "keysOnly", "EmailIndex": {"include": ["displayName", "city"]}, "GSI2": "all"}"#,
    )));
    expect![[r#"
        [schema] dynamo.projections.GSI1: expected "all", "keysOnly" or {"include": [attribute names]}, found the string "keys"
        [schema] dynamo.projections.GSI2.include: expected an array of strings, found the string "city"
        [schema] dynamo.projections.GSI3: expected "all", "keysOnly" or {"include": [attribute names]}, found an object
    "#]].assert_eq(&read(json(
        r#"{"GSI1": "keys", "GSI2": {"include": "city"}, "GSI3": {"exclude": []}}"#,
    )));
    expect![[r#"
        [unknown-field] dynamo.projections.GSI1.include[0]: no entity has a field "nickname" (an index projects top-level attributes)
        [invalid-value] dynamo.projections.GSI1.include[2]: "city" is named twice
        [invalid-value] dynamo.projections.GSI2.include: an INCLUDE projection names at least one attribute (else say "keysOnly")
    "#]].assert_eq(&read(json(
        r#"{"GSI1": {"include": ["nickname", "city", "city"]}, "GSI2": {"include": []}}"#,
    )));
    expect![[r#"
        [schema] dynamo.projections: expected an object, found an array
    "#]]
    .assert_eq(&read(json(r#"["GSI1"]"#)));
}
