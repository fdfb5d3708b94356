//! Declared MongoDB indexes, expiry fields and enums: reading them, checking
//! them, the advice on the indexes, and what the exports and samples make of them.

use expect_test::{expect, Expect};
use schemaplay_core::{analyze, export, mongo, Design};

const ENTITIES: &str = r#"[
  { "name": "User", "id": "userId", "volume": 100000, "fields": [
    { "name": "userId", "type": "objectId", "required": true },
    { "name": "email", "type": "string", "required": true, "unique": true },
    { "name": "lastName", "type": "string" },
    { "name": "status", "type": "string", "required": true, "enum": ["active", "suspended", "deleted"], "default": "active" },
    { "name": "roles", "type": { "array": "string" }, "enum": ["admin", "member"] },
    { "name": "createdAt", "type": "date" } ] },
  { "name": "Session", "id": "sessionId", "volume": 1000, "ttl": { "field": "expiresAt" }, "fields": [
    { "name": "sessionId", "type": "uuid", "required": true },
    { "name": "expiresAt", "type": "date", "required": true } ] }
]"#;

const PATTERNS: &str = r#"[
  { "name": "Find user by email", "entity": "User", "kind": "getOne", "equality": ["email"], "caseInsensitive": true, "requestsPerSecond": 50 },
  { "name": "List users by status", "entity": "User", "kind": "list", "equality": ["status"], "sort": { "field": "createdAt", "order": "desc" }, "pageSize": 20, "requestsPerSecond": 5 },
  { "name": "Users by last name", "entity": "User", "kind": "list", "equality": ["lastName"], "requestsPerSecond": 5 }
]"#;

const INDEXES: &str = r#"[
  { "entity": "User", "name": "email_ci", "keys": [ { "field": "email", "order": 1 } ], "unique": true, "collation": { "locale": "en", "strength": 2 } },
  { "entity": "User", "keys": [ { "field": "status", "order": 1 }, { "field": "createdAt", "order": -1 } ] },
  { "entity": "User", "keys": [ { "field": "status", "order": 1 } ] },
  { "entity": "User", "keys": [ { "field": "createdAt", "order": 1 } ], "partialFilterExpression": { "status": "active" } },
  { "entity": "Session", "keys": [ { "field": "expiresAt", "order": 1 } ], "expireAfterSeconds": 0 }
]"#;

fn json(entities: &str, indexes: &str) -> String {
    format!(
        r#"{{"formatVersion": 1, "name": "mindex", "entities": {entities}, "accessPatterns": {PATTERNS}, "mongo": {{ "indexes": {indexes} }}}}"#
    )
}

fn design() -> Design {
    match Design::from_json(&json(ENTITIES, INDEXES)) {
        Ok(d) => d,
        Err(f) => panic!("the test design does not read: {f:?}"),
    }
}

/// Every finding of reading the design, or "ok".
fn check_read(text: &str, expect: Expect) {
    let out = match Design::from_json(text) {
        Ok(_) => "ok\n".to_string(),
        Err(findings) => findings
            .iter()
            .map(|f| format!("[{}] {f}\n", f.id))
            .collect(),
    };
    expect.assert_eq(&out);
}

#[test]
fn declarations_round_trip() {
    let d = design();
    let again = Design::from_json(&d.to_json());
    assert_eq!(again.as_ref().ok(), Some(&d));
    let text = d.to_json();
    assert!(text.contains(r#""order": -1"#), "{text}");
    assert!(text.contains(r#""field": "expiresAt""#), "{text}");
    assert!(text.contains(r#""enum": ["#), "{text}");
}

#[test]
fn structural_errors_name_their_path() {
    let bad = r#"[
      { "entity": "User", "keys": [ { "field": "email", "order": 2 }, { "field": "lastName", "order": "text", "weight": 0 } ],
        "partialFilterExpression": 3, "collation": { "locale": "en", "strength": 9 }, "hidden": true }
    ]"#;
    let entities = ENTITIES.replace(r#""enum": ["admin", "member"]"#, r#""enum": "admin""#);
    check_read(
        &json(&entities, bad),
        expect![[r#"
            [schema] entities[0].fields[4].enum: expected an array of values, found the string "admin"
            [schema] mongo.indexes[0].hidden: unknown key "hidden" (expected one of "entity", "name", "keys", "unique", "sparse", "partialFilterExpression", "expireAfterSeconds", "collation")
            [schema] mongo.indexes[0].keys[0].order: expected 1, -1 or "text", found the number 2
            [schema] mongo.indexes[0].keys[1].weight: a text weight is from 1 to 99999, found 0
            [schema] mongo.indexes[0].partialFilterExpression: expected a filter document, found the number 3
            [schema] mongo.indexes[0].collation.strength: a collation strength is from 1 to 5, found 9
        "#]],
    );
}

#[test]
fn references_and_values_are_checked() {
    let bad = r#"[
      { "entity": "User", "keys": [ { "field": "emial", "order": 1 }, { "field": "lastName", "order": 1, "weight": 3 } ], "sparse": true, "partialFilterExpression": { "status": "active" } },
      { "entity": "User", "keys": [ { "field": "lastName", "order": "text" } ], "unique": true },
      { "entity": "User", "keys": [ { "field": "email", "order": 1 }, { "field": "createdAt", "order": 1 } ], "expireAfterSeconds": 60 },
      { "entity": "User", "keys": [ { "field": "lastName", "order": 1 } ], "expireAfterSeconds": 60, "collation": { "locale": " " } },
      { "entity": "Ghost", "keys": [ { "field": "x", "order": 1 } ] }
    ]"#;
    let entities = ENTITIES
        .replace(
            r#""enum": ["active", "suspended", "deleted"], "default": "active""#,
            r#""enum": ["active", 3, "active"], "default": "gone", "example": "banned""#,
        )
        .replace(
            r#""ttl": { "field": "expiresAt" }"#,
            r#""ttl": { "field": "sessionId" }"#,
        )
        .replace(
            r#"{ "name": "createdAt", "type": "date" }"#,
            r#"{ "name": "createdAt", "type": "date", "enum": ["x"] }"#,
        );
    check_read(
        &json(&entities, bad),
        expect![[r#"
            [invalid-enum] entities[0].fields[3].enum[1]: expected a string, found 3
            [invalid-enum] entities[0].fields[3].enum[2]: "active" is in the enum twice
            [invalid-enum] entities[0].fields[3].example: "banned" is not one of the enum's values
            [invalid-enum] entities[0].fields[3].default: "gone" is not one of the enum's values
            [invalid-enum] entities[0].fields[5].enum: "createdAt" is a date; only string fields take an enum
            [invalid-value] entities[1].ttl.field: "sessionId" is a uuid; an item expires at a date field
            [unknown-field] mongo.indexes[0].keys[0].field: "emial" is not a field of User
            [invalid-index] mongo.indexes[0].keys[1].weight: only a text key has a weight
            [invalid-index] mongo.indexes[0].sparse: an index is either sparse or partial, not both (MongoDB refuses the pair)
            [invalid-index] mongo.indexes[1].unique: a text index cannot be unique
            [invalid-index] mongo.indexes[2].expireAfterSeconds: a TTL index has exactly one key, not text
            [invalid-index] mongo.indexes[3].expireAfterSeconds: "lastName" is not a date: MongoDB never expires a document by it
            [invalid-index] mongo.indexes[3].collation.locale: a collation names its locale ("en", "simple")
            [unknown-entity] mongo.indexes[4].entity: no entity is named "Ghost"
        "#]],
    );
}

#[test]
fn the_advice_says_what_each_declared_index_serves() {
    let layout = mongo::layout(&design());
    let text: String = layout
        .collections
        .iter()
        .flat_map(|c| &c.indexes)
        .map(|i| format!("{} {} {}: {}\n", i.collection, i.name, i.keys, i.reason))
        .collect();
    expect![[r#"
        users email_ci {"email":1}: declared, unique, collation {"locale":"en","strength":2}; serves "Find user by email": equality on email; built with a case-insensitive collation (strength 2), which the query must name too, instead of a /^...$/i regex that cannot use an index well
        users status_1_createdAt_-1 {"status":1,"createdAt":-1}: declared; serves "List users by status": equality on status, then the sort on createdAt (descending), then _id, the tie-breaker its pages are read by (equality, sort, range: the query walks the index in order, with no in-memory sort)
        users status_1 {"status":1}: declared; serves no access pattern
        users createdAt_1 {"createdAt":1}: declared, partial on {"status":"active"}; serves no access pattern
        sessions expiresAt_1 {"expiresAt":1}: declared, TTL: a document expires 0 s after its expiresAt; serves no access pattern
    "#]]
    .assert_eq(&text);
    let queries: String = layout
        .queries
        .iter()
        .map(|q| format!("{}: {:?}\n", q.pattern, q.index))
        .collect();
    expect![[r#"
        Find user by email: Some("email_ci")
        List users by status: Some("status_1_createdAt_-1")
        Users by last name: None
    "#]]
    .assert_eq(&queries);
}

#[test]
fn unused_redundant_and_missing_indexes_are_findings() {
    let text: String = analyze(&design())
        .findings
        .iter()
        .filter(|f| f.id.starts_with("mongo-index") || f.id == "mongo-unindexed-query")
        .map(|f| format!("{} [{}] {f}\n", f.severity, f.id))
        .collect();
    expect![[r#"
        warning [mongo-index-missing] accessPatterns[2]: no declared index on users serves "Users by last name": every run examines the whole collection; declare db.users.createIndex({ lastName: 1 }, { name: 'lastName_1' }) ("Users by last name": equality on lastName)
        warning [mongo-index-redundant] mongo.indexes[2]: "status_1" { status: 1 } is a prefix of "status_1_createdAt_-1" { status: 1, createdAt: -1 } with the same options: that index serves every query this one does, and each write maintains both
        warning [mongo-index-unused] mongo.indexes[3]: "createdAt_1" on users serves no access pattern: it is partial, and the planner uses it only for a query whose filter implies {"status":"active"}, which no pattern's query states; every write maintains it for nothing
    "#]]
    .assert_eq(&text);
}

#[test]
fn without_declarations_the_suggestions_stay() {
    let d = Design::from_json(&json(ENTITIES, "[]")).unwrap_or_default();
    let layout = mongo::layout(&d);
    assert!(layout.index_findings.is_empty());
    let names: Vec<&str> = layout
        .collections
        .iter()
        .flat_map(|c| &c.indexes)
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(
        names,
        // The sessions' TTL index comes from the entity's ttl, not from a declaration.
        [
            "email_1",
            "status_1_createdAt_-1__id_-1",
            "lastName_1",
            "expiresAt_1"
        ],
        "{names:?}"
    );
}

#[test]
fn mongosh_creates_each_declared_index_with_its_options() {
    let d = design();
    let layout = mongo::layout(&d);
    let text = export::mongosh(&d, &layout);
    let lines: String = text
        .lines()
        .filter(|l| l.contains("createIndex") || l.contains("enum"))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    expect![[r#"
        "enum": [
        "enum": [
        db.users.createIndex({ email: 1 }, { name: 'email_ci', unique: true, collation: { locale: 'en', strength: 2 } })
        db.users.createIndex({ status: 1, createdAt: -1 }, { name: 'status_1_createdAt_-1' })
        db.users.createIndex({ status: 1 }, { name: 'status_1' })
        db.users.createIndex({ createdAt: 1 }, { name: 'createdAt_1', partialFilterExpression: { status: 'active' } })
        db.sessions.createIndex({ expiresAt: 1 }, { name: 'expiresAt_1', expireAfterSeconds: 0 })
    "#]]
    .assert_eq(&lines);
}

#[test]
fn the_validator_lists_the_enum_values() {
    let d = design();
    let layout = mongo::layout(&d);
    let users = layout.collections.iter().find(|c| c.name == "users");
    let schema = users.map(|c| export::json_schema(&d, c));
    let properties = schema
        .as_ref()
        .and_then(|s| s.pointer("/$jsonSchema/properties"));
    let status = properties.and_then(|p| p.get("status"));
    let roles = properties.and_then(|p| p.get("roles"));
    expect![[r#"{"bsonType":"string","enum":["active","suspended","deleted"]}"#]]
        .assert_eq(&status.map(|v| v.to_string()).unwrap_or_default());
    expect![[r#"{"bsonType":"array","items":{"bsonType":"string","enum":["admin","member"]}}"#]]
        .assert_eq(&roles.map(|v| v.to_string()).unwrap_or_default());
}

#[test]
fn mongoose_declares_enums_and_indexes() {
    let d = design();
    let layout = mongo::layout(&d);
    let text = export::mongoose(&d, &layout);
    let lines: String = text
        .lines()
        .filter(|l| l.contains("enum") || l.contains(".index("))
        .map(|l| format!("{}\n", l.trim()))
        .collect();
    expect![[r#"
        status: { type: String, required: true, enum: ['active', 'suspended', 'deleted'], default: 'active' },
        roles: [{ type: String, enum: ['admin', 'member'] }],
        userSchema.index({ email: 1 }, { name: 'email_ci', unique: true, collation: { locale: 'en', strength: 2 } })
        userSchema.index({ status: 1, createdAt: -1 }, { name: 'status_1_createdAt_-1' })
        userSchema.index({ status: 1 }, { name: 'status_1' })
        userSchema.index({ createdAt: 1 }, { name: 'createdAt_1', partialFilterExpression: { status: 'active' } })
        sessionSchema.index({ expiresAt: 1 }, { name: 'expiresAt_1', expireAfterSeconds: 0 })
    "#]]
    .assert_eq(&lines);
}

#[test]
fn samples_draw_enum_values() {
    let d = design();
    let Some(user) = d.entity("User") else {
        panic!("no User");
    };
    let ctx = schemaplay_core::sample::SampleContext {
        design: &d,
        seed: 7,
        max_per_entity: 1000,
    };
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..200 {
        for (name, value) in ctx.record(user, i) {
            if name == "status" {
                seen.insert(format!("{value:?}"));
            }
            if name == "roles" {
                if let schemaplay_core::sample::Val::Array(items) = value {
                    for item in items {
                        assert!(
                            matches!(&item, schemaplay_core::sample::Val::Str(s) if s == "admin" || s == "member"),
                            "{item:?}"
                        );
                    }
                }
            }
        }
    }
    expect![[r#"{"Str(\"active\")", "Str(\"deleted\")", "Str(\"suspended\")"}"#]]
        .assert_eq(&format!("{seen:?}"));
}

#[test]
fn an_index_serves_only_queries_under_its_collation() {
    let text = json(ENTITIES, INDEXES)
        .replace(r#""caseInsensitive": true"#, r#""caseInsensitive": false"#);
    let d = Design::from_json(&text).unwrap_or_default();
    let layout = mongo::layout(&d);
    let by_email = layout
        .queries
        .iter()
        .find(|q| q.pattern == "Find user by email");
    assert_eq!(by_email.map(|q| q.index.clone()), Some(None));
    assert!(layout
        .index_findings
        .iter()
        .any(|f| f.id == "mongo-index-missing" && f.path == "accessPatterns[0]"));
}

#[test]
fn ttl_items_carry_their_expiry_and_storage_counts_what_lives() {
    let entities = ENTITIES.replace(
        r#""volume": 1000, "ttl": { "field": "expiresAt" }"#,
        r#""volume": 1000000, "ttl": { "field": "expiresAt", "afterSeconds": 3600 }"#,
    );
    let patterns = r#"[{ "name": "Start session", "entity": "Session", "kind": "insert", "requestsPerSecond": 2 }]"#;
    let text = format!(
        r#"{{"formatVersion": 1, "name": "ttl", "entities": {entities}, "accessPatterns": {patterns}}}"#
    );
    let d = Design::from_json(&text).unwrap_or_default();
    let dynamo = schemaplay_core::dynamo::layout(&d);
    assert_eq!(dynamo.ttl_attribute.as_deref(), Some("ttl"));
    let session = d.entity("Session").cloned().unwrap_or_default();
    let (living, note) = schemaplay_core::dynamo::living_items(&d, &session);
    assert_eq!(living, 7200);
    expect![[r#"Some("Session items expire 3600 s after their expiresAt: at 2 inserts per second 7200 live within that window, what is stored at steady state, not the volume (1000000); TTL deletes cost no write units")"#]]
        .assert_eq(&format!("{note:?}"));
    // The item carries its expiry in epoch seconds: the date's seconds plus the window.
    let put = dynamo
        .requests
        .iter()
        .find(|r| r.pattern == "Start session");
    let item = put
        .and_then(|r| r.input.pointer("/input/Item"))
        .cloned()
        .unwrap_or_default();
    let date = item
        .pointer("/expiresAt/S")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    let ttl = item
        .pointer("/ttl/N")
        .and_then(|v| v.as_str())
        .unwrap_or_default();
    assert!(!date.is_empty(), "{:?}", put.map(|r| &r.input));
    let millis = chrono_free_millis(date);
    assert_eq!(ttl, (millis / 1000 + 3600).to_string(), "{item}");
    let cfn = export::cloudformation(&dynamo);
    expect![[r#"{"AttributeName":"ttl","Enabled":true}"#]].assert_eq(
        &cfn.pointer("/Resources/AppDataTable/Properties/TimeToLiveSpecification")
            .map(|v| v.to_string())
            .unwrap_or_default(),
    );
    let mongo = mongo::layout(&d);
    let index = mongo
        .collections
        .iter()
        .flat_map(|c| &c.indexes)
        .find(|i| i.collection == "sessions");
    expect![[r#"Some("{ name: 'expiresAt_1', expireAfterSeconds: 3600 }")"#]].assert_eq(&format!(
        "{:?}",
        index.map(|i| format!("{{ {} }}", i.options_js(true).join(", ")))
    ));
}

/// Milliseconds since the epoch of an ISO date `2024-05-01T12:00:00.000Z`, through the core's reader.
fn chrono_free_millis(iso: &str) -> i64 {
    match schemaplay_core::sample::parse_iso(iso) {
        Some(ms) => ms,
        None => panic!("not a date: {iso}"),
    }
}
