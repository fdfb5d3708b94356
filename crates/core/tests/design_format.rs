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

/// Reads a fixture, checked, or fails the test with its findings.
fn read_fixture(text: &str) -> Design {
    match Design::from_json(text) {
        Ok(design) => design,
        Err(findings) => panic!("the fixture does not read: {findings:?}"),
    }
}

#[test]
fn version_1_fixture_reads_as_version_2_with_nothing_else_changed() {
    let text = include_str!("fixtures/design-v1.json");
    let design = read_fixture(text);
    assert_eq!(design.format_version, 2);
    // Version 2 only adds optional keys, so the upgrade changes the version and nothing else:
    // the design writes back as the fixture's own text with the new version.
    let upgraded = text.replacen("\"formatVersion\": 1,", "\"formatVersion\": 2,", 1);
    assert_ne!(upgraded, text);
    assert_eq!(design.to_json(), upgraded);
}

#[test]
fn version_2_fixture_reads_and_round_trips_exactly() {
    let text = include_str!("fixtures/design-v2.json");
    let design = read_fixture(text);
    let written = design.to_json();
    assert_eq!(Design::from_json(&written).as_ref(), Ok(&design));
    // The fixture is written in the canonical form, so writing gives back its exact text.
    assert_eq!(written, text);
}

#[test]
fn versions_1_and_2_of_the_same_design_read_equal() {
    let v1 = read_fixture(include_str!("fixtures/design-v1.json"));
    let v2 = read_fixture(include_str!("fixtures/design-v2.json"));
    // The two fixtures differ only in their version and in the words naming it.
    let named = |d: &Design| Design {
        name: d.name.replace('1', "2"),
        description: d.description.replace('1', "2"),
        ..d.clone()
    };
    assert_eq!(named(&v1), v2);
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
            [format-version] formatVersion: missing; this build writes formatVersion 2
        "#]],
    );
    check(
        r#"{"formatVersion": 99, "name": "x", "entities": []}"#,
        expect![[r#"
            [format-version] formatVersion: version 99 was written by a newer schemaplay; this one reads versions 1 to 2
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
            [schema] accessPatterns[0].colour: unknown key "colour" (expected one of "name", "entity", "kind", "equality", "range", "sort", "pageSize", "fields", "caseInsensitive", "update", "condition", "version", "transactional", "transaction", "aggregate", "requestsPerSecond", "consistency", "hotKeyShare")
            [schema] accessPatterns[0].kind: unknown pattern kind "fetch" (expected one of "getOne", "list", "count", "textSearch", "insert", "update", "delete", "aggregate")
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
          "formatVersion": 2,
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

#[test]
fn a_version_is_an_updates_own_whole_number_field() {
    let entity = r#"{"name": "Doc", "fields": [{"name": "docId", "type": "string"}, {"name": "v", "type": "int"}, {"name": "title", "type": "string"}, {"name": "meta", "type": {"object": [{"name": "rev", "type": "int"}]}}]}"#;
    check(
        &design(
            entity,
            r#", "accessPatterns": [
                 {"name": "ok", "entity": "Doc", "kind": "update", "equality": ["docId"], "fields": ["title"], "version": "v"},
                 {"name": "get", "entity": "Doc", "kind": "getOne", "equality": ["docId"], "version": "v"},
                 {"name": "ghost", "entity": "Doc", "kind": "update", "fields": ["title"], "version": "rev"},
                 {"name": "nested", "entity": "Doc", "kind": "update", "fields": ["title"], "version": "meta.rev"},
                 {"name": "text", "entity": "Doc", "kind": "update", "fields": ["v"], "version": "title"},
                 {"name": "twice", "entity": "Doc", "kind": "update", "fields": ["v", "title"], "version": "v"},
                 {"name": "id", "entity": "Doc", "kind": "update", "fields": ["title"], "version": "docId"},
                 {"name": "guarded", "entity": "Doc", "kind": "update", "fields": ["title"], "condition": {"field": "v", "op": "eq", "value": 1}, "version": "v"}
               ]"#,
        ),
        expect![[r#"
            [invalid-value] accessPatterns[1].version: only an update keeps a version (optimistic locking); remove "version" or make the pattern an update
            [unknown-field] accessPatterns[2].version: "rev" is not a top-level field of Doc; declare a whole-number field to keep the version in
            [unknown-field] accessPatterns[3].version: "meta.rev" is not a top-level field of Doc; declare a whole-number field to keep the version in
            [invalid-value] accessPatterns[4].version: "title" is a string, and a version is a whole number (int or long)
            [invalid-value] accessPatterns[5].version: "v" is among the fields the update writes; the version is written by the update itself (one added), so leave it out of "fields"
            [invalid-value] accessPatterns[6].version: "docId" is the id of Doc, which never changes
            [invalid-value] accessPatterns[7].version: the guard already names "v"; a version is checked by the update itself
        "#]],
    );
    check(
        &design(
            entity,
            r#", "accessPatterns": [{"name": "typed", "entity": "Doc", "kind": "update", "fields": ["title"], "version": 3}]"#,
        ),
        expect![[r#"
            [schema] accessPatterns[0].version: expected a string, found the number 3
        "#]],
    );
}

#[test]
fn sql_source_is_read_checked_and_written_back() {
    check(
        &design(
            USER,
            r#", "sqlSource": {"dialect": "postgresql", "tables": [{"table": "users", "entity": "User", "columns": [{"column": "user_id", "field": "userId", "sqlType": "uuid"}], "primaryKey": ["user_id"], "rows": 10}]}"#,
        ),
        expect!["ok"],
    );
    check(
        &design(
            USER,
            r#", "sqlSource": {"dialect": 1, "tables": [{"table": "users", "columns": [{"column": "x", "feld": "y"}], "rows": -1}]}"#,
        ),
        expect![[r#"
            [schema] sqlSource.dialect: expected a string, found the number 1
            [schema] sqlSource.tables[0].columns[0].feld: unknown key "feld" (expected one of "column", "field", "sqlType")
            [schema] sqlSource.tables[0].rows: expected a whole number of zero or more, found the number -1
        "#]],
    );
    check(
        &design(
            USER,
            r#", "sqlSource": {"dialect": "mysql", "tables": [
                 {"table": "users", "entity": "User", "columns": [{"column": "id", "field": "userID"}, {"column": "id", "field": "email"}], "primaryKey": ["uid"]},
                 {"table": "people", "entity": "Person", "columns": []},
                 {"table": "likes", "link": {"from": "User", "fromColumn": "user_id", "to": "Post", "toColumn": "post_id"}, "columns": [{"column": "user_id"}]},
                 {"table": "nothing", "columns": []}
               ]}"#,
        ),
        expect![[r#"
            [unknown-field] sqlSource.tables[0].columns[0].field: "userID" is not a field of User
            [duplicate-name] sqlSource.tables[0].columns[1].column: column id is listed twice
            [unknown-column] sqlSource.tables[0].primaryKey[0]: uid is not a column of users
            [unknown-entity] sqlSource.tables[1].entity: no entity is named "Person"
            [unknown-relationship] sqlSource.tables[2].link: no many-to-many relationship joins User and Post
            [unknown-column] sqlSource.tables[2].link.toColumn: post_id is not a column of likes
            [invalid-value] sqlSource.tables[3]: table nothing must name either the entity or the link it became
        "#]],
    );
    let imported = schemaplay_core::import::sql(include_str!("fixtures/sql/shop.pg_dump.sql"));
    let text = imported.design.to_json();
    let back = Design::from_json(&text).map_err(|f| format!("{f:?}"));
    assert_eq!(back.as_ref(), Ok(&imported.design));
    assert!(text.contains(r#""sqlSource""#));
}

#[test]
fn layout_choices_read_round_trip_and_name_what_is_wrong() {
    let post = r#"{"name": "Post", "fields": [{"name": "postId", "type": "objectId"}, {"name": "authorId", "type": {"ref": "User"}}, {"name": "at", "type": "date"}]}"#;
    let rest = |dynamo: &str| {
        format!(
            r#", "relationships": [{{"from": "User", "to": "Post", "cardinality": "oneToMany", "field": "authorId"}}], "accessPatterns": [{{"name": "Posts", "entity": "Post", "kind": "list", "equality": ["authorId"], "sort": {{"field": "at"}}}}, {{"name": "Get", "entity": "Post", "kind": "getOne", "equality": ["postId"]}}], "dynamo": {{"tableName": "posts", "partitionKey": "PK", "sortKey": "SK", {dynamo}}}"#
        )
    };
    let good = design(
        &format!("{USER}, {post}"),
        &rest(r#""placements": {"Post": "parent"}, "sortIndexes": {"Posts": "local"}"#),
    );
    check(&good, expect!["ok"]);
    let read = Design::from_json(&good).map_err(|f| format!("{f:?}"));
    let written = read.as_ref().map(|d| d.to_json()).unwrap_or_default();
    assert!(
        written.contains("\"placements\": {\n      \"Post\": \"parent\"\n    }"),
        "{written}"
    );
    assert_eq!(
        Design::from_json(&written).map_err(|f| format!("{f:?}")),
        read
    );
    check(
        &design(
            &format!("{USER}, {post}"),
            &rest(r#""placements": {"Post": "inside", "User": 3}, "sortIndexes": []"#),
        ),
        expect![[r#"
            [schema] dynamo.placements.Post: unknown placement "inside" (expected one of "parent", "own")
            [schema] dynamo.placements.User: expected a placement name, found the number 3
            [schema] dynamo.sortIndexes: expected an object, found an array
        "#]],
    );
    check(
        &design(
            &format!("{USER}, {post}"),
            &rest(
                r#""placements": {"User": "parent", "Ghost": "own"}, "sortIndexes": {"Get": "global", "Nope": "local"}"#,
            ),
        ),
        expect![[r#"
            [unknown-entity] dynamo.placements.Ghost: no entity is named "Ghost"
            [invalid-value] dynamo.placements.User: User is not the child of a one-to-one, one-to-few or one-to-many relationship, so it has no parent's item collection to live in
            [invalid-value] dynamo.sortIndexes.Get: "Get" is not a list or count with a sort or a range, so no secondary index sorts it
            [unknown-pattern] dynamo.sortIndexes.Nope: no access pattern is named "Nope"
        "#]],
    );
}
