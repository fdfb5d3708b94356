//! The design file format: reading, round trips, and every finding with its path.

use expect_test::{expect, Expect};
use schemaplay_core::Design;

/// Reads `json` and prints either `ok` or every finding, one a line.
fn check(json: &str, expect: Expect) {
    let actual = match Design::from_json(json) {
        Ok(_) => "ok".to_string(),
        Err(findings) => findings
            .iter()
            .map(|f| format!("[{}] {f}\n", f.id))
            .collect(),
    };
    expect.assert_eq(&actual);
}

/// Wraps entities, relationships and patterns in a minimal version-1 design.
fn design(entities: &str, rest: &str) -> String {
    format!(r#"{{"formatVersion": 1, "name": "t", "entities": [{entities}]{rest}}}"#)
}

const USER: &str = r#"{"name": "User", "fields": [{"name": "userId", "type": "objectId"}, {"name": "email", "type": "string"}, {"name": "profile", "type": {"object": [{"name": "city", "type": "string"}]}}]}"#;

#[test]
fn version_1_fixture_reads_and_round_trips_exactly() {
    let text = include_str!("fixtures/design-v1.json");
    let design = Design::from_json(text).map_err(|f| format!("{f:?}"));
    let design = design.as_ref().map_err(String::clone);
    assert!(design.is_ok(), "{design:?}");
    let Ok(design) = design else { return };
    let written = design.to_json();
    assert_eq!(Design::from_json(&written).as_ref(), Ok(design));
    // The fixture is written in the canonical form, so writing gives back its exact text.
    assert_eq!(written, text);
}

#[test]
fn malformed_json_names_line_and_column() {
    check(
        "{\n  \"formatVersion\": 1,\n  \"name\": \"x\",\n}",
        expect![[r#"
            [json-syntax] invalid JSON at line 4, column 1: trailing comma
        "#]],
    );
    check(
        "",
        expect![[r#"
            [json-syntax] invalid JSON at line 1, column 0: EOF while parsing a value
        "#]],
    );
}

#[test]
fn format_version_is_required_and_bounded() {
    check(
        r#"{"name": "x", "entities": []}"#,
        expect![[r#"
            [format-version] formatVersion: missing; this build writes formatVersion 1
        "#]],
    );
    check(
        r#"{"formatVersion": 99, "name": "x", "entities": []}"#,
        expect![[r#"
            [format-version] formatVersion: version 99 was written by a newer schemaplay; this one reads versions 1 to 1
        "#]],
    );
    check(
        r#"{"formatVersion": "1", "name": "x", "entities": []}"#,
        expect![[r#"
            [format-version] formatVersion: expected a positive whole number, found the string "1"
        "#]],
    );
}

#[test]
fn every_structural_error_is_reported_with_its_path() {
    check(
        &design(
            r#"{"name": "A", "fields": []}, {"name": "B", "fields": []},
               {"name": "User", "fields": [{"name": "x", "type": "strng"}, {"name": "y", "type": {"array": "nope"}}, {"name": "z"}], "volume": -3}"#,
            r#", "relationships": [{"from": "A", "to": "B", "cardinality": "oneToSome"}],
               "accessPatterns": [{"name": "p", "entity": "User", "kind": "fetch", "pageSize": "ten", "colour": 1}]"#,
        ),
        expect![[r#"
            [schema] entities[2].fields[0].type: unknown type "strng"
            [schema] entities[2].fields[1].type.array: unknown type "nope"
            [schema] entities[2].fields[2].type: missing
            [schema] entities[2].volume: expected a whole number of zero or more, found the number -3
            [schema] relationships[0].cardinality: unknown cardinality "oneToSome" (expected one of "oneToOne", "oneToFew", "oneToMany", "manyToMany")
            [schema] accessPatterns[0].colour: unknown key "colour" (expected one of "name", "entity", "kind", "equality", "range", "sort", "pageSize", "fields", "caseInsensitive", "update", "condition", "transactional", "requestsPerSecond", "consistency", "hotKeyShare")
            [schema] accessPatterns[0].kind: unknown pattern kind "fetch" (expected one of "getOne", "list", "count", "textSearch", "insert", "update", "delete")
            [schema] accessPatterns[0].pageSize: expected a whole number of zero or more, found the string "ten"
        "#]],
    );
}

#[test]
fn composite_types_are_written_as_one_key_objects() {
    check(
        &design(
            r#"{"name": "A", "fields": [{"name": "t", "type": "array"}, {"name": "u", "type": {"list": "int"}}, {"name": "v", "type": 3}]}"#,
            "",
        ),
        expect![[r#"
            [schema] entities[0].fields[0].type: unknown type "array" (write {"array": ...} for an array of a type)
            [schema] entities[0].fields[1].type: unknown type "list" (expected a type name or one of {"array": T}, {"object": [fields]}, {"ref": "Entity"})
            [schema] entities[0].fields[2].type: expected a type name such as "string" or one of {"array": T}, {"object": [fields]}, {"ref": "Entity"}, found the number 3
        "#]],
    );
}

#[test]
fn nesting_is_limited() {
    let mut ty = "\"int\"".to_string();
    for _ in 0..20 {
        ty = format!(r#"{{"array": {ty}}}"#);
    }
    let json = design(
        &format!(r#"{{"name": "A", "fields": [{{"name": "deep", "type": {ty}}}]}}"#),
        "",
    );
    let actual = match Design::from_json(&json) {
        Ok(_) => "ok".to_string(),
        Err(f) => f
            .iter()
            .map(|f| f.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    };
    expect![[r#"entities[0].fields[0].type.array.array.array.array.array.array.array.array.array.array.array.array.array.array.array.array: types nest deeper than 16 levels"#]].assert_eq(&actual);
}

#[test]
fn semantic_errors_name_the_missing_thing() {
    check(
        &design(
            &format!(
                r#"{USER}, {{"name": "User", "fields": [{{"name": "a", "type": "int"}}, {{"name": "a", "type": {{"ref": "Nobody"}}}}]}}, {{"name": "9lives", "fields": []}}"#
            ),
            r#", "relationships": [{"from": "User", "to": "Ghost", "cardinality": "oneToMany"}],
               "accessPatterns": [
                 {"name": "by city", "entity": "User", "kind": "list", "equality": ["profile.town"], "sort": {"field": "createdAt"}, "pageSize": 0},
                 {"name": "by city", "entity": "Users", "kind": "getOne"},
                 {"name": "search", "entity": "User", "kind": "textSearch"},
                 {"name": "bump", "entity": "User", "kind": "update", "fields": ["email"], "update": "increment"}
               ],
               "dynamo": {"tableName": "x", "partitionKey": "PK", "sortKey": "PK", "keyTemplates": {"User": {"pk": "USER#<userID>", "sk": "PROFILE<"}}},
               "mongo": {"collections": {"Usr": "system.users"}}"#,
        ),
        expect![[r#"
            [duplicate-name] entities[1].name: entity "User" is declared twice
            [duplicate-name] entities[1].fields[1].name: field "a" is declared twice
            [unknown-entity] entities[1].fields[1].type.ref: no entity is named "Nobody"
            [invalid-name] entities[2].name: entity name "9lives" must start with a letter and hold only letters, digits and _
            [unknown-entity] relationships[0].to: no entity is named "Ghost"
            [unknown-field] accessPatterns[0].equality[0]: "profile.town" is not a field of User
            [unknown-field] accessPatterns[0].sort.field: "createdAt" is not a field of User
            [invalid-value] accessPatterns[0].pageSize: a page holds at least one item
            [unknown-entity] accessPatterns[1].entity: no entity is named "Users"
            [duplicate-name] accessPatterns[1].name: access pattern "by city" is declared twice
            [missing-fields] accessPatterns[2].fields: a text search names the fields it searches
            [invalid-value] accessPatterns[3].fields[0]: "email" is a string, and only numbers can be incremented
            [unknown-entity] mongo.collections.Usr: no entity is named "Usr"
            [invalid-name] mongo.collections.Usr: "system.users" is not a valid collection name (not empty, no $, not system.*)
            [invalid-name] dynamo.tableName: "x" is not a valid table name (3 to 255 of a-z, A-Z, 0-9, _, -, .)
            [invalid-name] dynamo.sortKey: the sort key must differ from the partition key
            [unknown-field] dynamo.keyTemplates.User.pk: <userID> is not a field of User
            [invalid-value] dynamo.keyTemplates.User.sk: "PROFILE<" has a < without its >
        "#]],
    );
}

#[test]
fn a_minimal_design_reads_and_gets_defaults() {
    let design = Design::from_json(&design(USER, ""));
    let json = design.map(|d| d.to_json()).unwrap_or_default();
    expect![[r#"
        {
          "formatVersion": 1,
          "name": "t",
          "entities": [
            {
              "name": "User",
              "fields": [
                {
                  "name": "userId",
                  "type": "objectId"
                },
                {
                  "name": "email",
                  "type": "string"
                },
                {
                  "name": "profile",
                  "type": {
                    "object": [
                      {
                        "name": "city",
                        "type": "string"
                      }
                    ]
                  }
                }
              ],
              "volume": 0
            }
          ],
          "relationships": [],
          "accessPatterns": [],
          "mongo": {},
          "dynamo": {
            "tableName": "app-data",
            "partitionKey": "PK",
            "sortKey": "SK",
            "billingMode": "onDemand"
          }
        }
    "#]]
    .assert_eq(&json);
}

#[test]
fn key_template_modifiers() {
    check(
        &design(
            USER,
            r#", "dynamo": {"tableName": "t-1", "partitionKey": "PK", "sortKey": "SK", "keyTemplates": {"User": {"pk": "EMAIL#<email|lower>", "sk": "USER#<userId|upper>"}}}"#,
        ),
        expect![[r#"
            [invalid-value] dynamo.keyTemplates.User.sk: "USER#<userId|upper>" uses the unknown modifier |upper (only |lower exists)
        "#]],
    );
}
