//! Denormalised copies are verified: a post keeps its author's name (`Post.authorName`, a
//! document and an item of its own) and each comment embedded in a post keeps its commenter's
//! (`Comment.authorName`, an element of the post's array in MongoDB, of its list attribute in
//! DynamoDB). After random renames, every read that returns a copy must show the user's
//! current name, as the reference keeps it; a layout whose rename skips the fan-out to the
//! copies (MongoDB's `updateMany`, DynamoDB's find and UpdateItems) is caught, on either
//! database.

use schemaplay_core::Design;
use schemaplay_verify::{verify, Db, Fault, Injection, Options, Report};

const BLOG: &str = r#"{
  "formatVersion": 2,
  "name": "Blog",
  "entities": [
    { "name": "User", "id": "userId", "volume": 1000, "fields": [
      { "name": "userId", "type": "string", "required": true },
      { "name": "name", "type": "string", "required": true, "generator": "name" }
    ]},
    { "name": "Post", "id": "postId", "volume": 20000, "fields": [
      { "name": "postId", "type": "string", "required": true },
      { "name": "title", "type": "string", "required": true, "generator": "title" },
      { "name": "authorId", "type": { "ref": "User" }, "required": true },
      { "name": "authorName", "type": "string", "required": true,
        "copyOf": { "entity": "User", "field": "name", "via": "authorId" } },
      { "name": "createdAt", "type": "date", "required": true }
    ]},
    { "name": "Comment", "volume": 100000, "fields": [
      { "name": "authorId", "type": { "ref": "User" }, "required": true },
      { "name": "authorName", "type": "string", "required": true,
        "copyOf": { "entity": "User", "field": "name", "via": "authorId" } },
      { "name": "text", "type": "string", "required": true, "generator": "sentence" }
    ]}
  ],
  "relationships": [
    { "from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 20, "field": "authorId" },
    { "from": "Post", "to": "Comment", "cardinality": "oneToFew", "expectedCount": 5, "readTogether": true, "field": "comments" }
  ],
  "accessPatterns": [
    { "name": "Create user", "entity": "User", "kind": "insert", "requestsPerSecond": 5 },
    { "name": "Rename user", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["name"], "requestsPerSecond": 5 },
    { "name": "Create post", "entity": "Post", "kind": "insert", "requestsPerSecond": 5 },
    { "name": "Add comment", "entity": "Comment", "kind": "insert", "requestsPerSecond": 5 },
    { "name": "Get post", "entity": "Post", "kind": "getOne", "equality": ["postId"], "requestsPerSecond": 50 },
    { "name": "List posts by author", "entity": "Post", "kind": "list", "equality": ["authorId"],
      "sort": { "field": "createdAt", "order": "desc" }, "pageSize": 5, "requestsPerSecond": 50 }
  ]
}"#;

fn blog() -> Design {
    Design::from_json(BLOG).unwrap_or_else(|e| panic!("{e:?}"))
}

fn run(faults: Vec<Injection>) -> Report {
    let options = Options {
        seed: 5,
        steps: 900,
        faults,
        ..Options::default()
    };
    verify(&blog(), &options)
}

#[test]
fn copies_keep_their_sources_value_in_both_layouts() {
    let design = blog();
    assert_eq!(design.access_patterns.len(), 6, "the design reads");
    let report = run(Vec::new());
    assert!(report.is_clean(), "{report}");
    for db in [Db::MongoDb, Db::DynamoDb] {
        let compared = report.compared.iter().find(|(d, _)| *d == db);
        assert!(compared.is_some_and(|(_, n)| *n > 200), "{report}");
    }
}

/// Skipping the fan-out on `db` is caught there, by the reads that return a copy, and only
/// there.
fn skipped_fan_out_is_caught(db: Db) {
    let report = run(vec![Injection {
        db,
        fault: Fault::SkipCopyFanOut,
    }]);
    assert!(!report.divergences.is_empty(), "{report}");
    for d in &report.divergences {
        assert_eq!(d.db, db, "{report}");
        assert!(
            ["Get post", "List posts by author"].contains(&d.pattern.as_str()),
            "{report}"
        );
    }
    // Both kinds of copies: a post's own, and a comment's inside its post (Get post reads it).
    let shown = report.to_string();
    assert!(shown.contains("authorName"), "{report}");
}

#[test]
fn a_rename_that_skips_the_fan_out_is_caught_on_mongodb() {
    skipped_fan_out_is_caught(Db::MongoDb);
}

#[test]
fn a_rename_that_skips_the_fan_out_is_caught_on_dynamodb() {
    skipped_fan_out_is_caught(Db::DynamoDb);
}

/// The example a copy is used in (a post keeps its author's name) is caught too: its rename's
/// fan-out is a Query of the index its list of a user's posts reads, and an `updateMany` on
/// the `authorId` index.
#[test]
fn the_user_apps_author_name_is_checked() {
    let design = schemaplay_core::examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    assert!(design.copies().count() == 1, "user-app keeps one copy");
    for db in [Db::MongoDb, Db::DynamoDb] {
        let options = Options {
            seed: 3,
            steps: 1200,
            faults: vec![Injection {
                db,
                fault: Fault::SkipCopyFanOut,
            }],
            ..Options::default()
        };
        let report = verify(&design, &options);
        assert!(
            report.divergences.iter().any(|d| d.db == db),
            "{db:?}: {report}"
        );
    }
}
