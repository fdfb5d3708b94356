//! The verifier is tested for what it catches: a design whose derivations verify clean, then
//! the same design with a derivation broken on purpose in each way the issue names (a dropped
//! key rewrite, a reversed sort-key encoding, a skipped write, a dropped guard, a version no
//! longer checked, a TTL left stale by an update of its date) and each way a
//! fixed derivation could break again (numbers in keys as plain text, an item that stays under
//! its old key when its key changes); each must be found on the broken layout and only there.

use schemaplay_core::Design;
use schemaplay_verify::{verify, Db, Fault, Injection, Options, Report};

/// Products listed per category newest first (an overloaded global index whose sort key is a
/// date), added with a guarded put, their stock taken with a guarded increment.
const SHOP: &str = r#"{
  "formatVersion": 1,
  "name": "Shop",
  "entities": [{
    "name": "Product", "id": "productId", "volume": 1000,
    "fields": [
      { "name": "productId", "type": "string", "required": true },
      { "name": "category", "type": "string", "required": true, "generator": "status" },
      { "name": "name", "type": "string", "required": true },
      { "name": "addedAt", "type": "date", "required": true },
      { "name": "stock", "type": "int", "required": true, "generator": "quantity" }
    ]
  }],
  "accessPatterns": [
    { "name": "Get product", "entity": "Product", "kind": "getOne", "equality": ["productId"] },
    { "name": "Add product", "entity": "Product", "kind": "insert" },
    { "name": "Newest in a category", "entity": "Product", "kind": "list", "equality": ["category"],
      "sort": { "field": "addedAt", "order": "desc" }, "pageSize": 5 },
    { "name": "Count a category", "entity": "Product", "kind": "count", "equality": ["category"] },
    { "name": "Reserve stock", "entity": "Product", "kind": "update", "equality": ["productId"],
      "fields": ["stock"], "update": "increment", "condition": { "field": "stock", "op": "ge", "value": 1 } }
  ]
}"#;

fn shop() -> Design {
    Design::from_json(SHOP).unwrap_or_default()
}

fn run(faults: Vec<Injection>) -> Report {
    let options = Options {
        seed: 7,
        steps: 600,
        faults,
        ..Options::default()
    };
    verify(&shop(), &options)
}

/// The databases with a divergence, and the patterns that diverged.
fn caught(report: &Report) -> (Vec<Db>, Vec<String>) {
    let mut dbs: Vec<Db> = report.divergences.iter().map(|d| d.db).collect();
    dbs.dedup();
    let patterns = report
        .divergences
        .iter()
        .map(|d| d.pattern.clone())
        .collect();
    (dbs, patterns)
}

fn inject(db: Db, fault: Fault) -> Report {
    run(vec![Injection { db, fault }])
}

#[test]
fn the_shop_verifies_clean() {
    let report = run(Vec::new());
    assert_eq!(shop().access_patterns.len(), 5);
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.gaps, Vec::new());
    assert_eq!(report.steps, 600);
    // Clean because the answers were compared, not because nothing ran.
    for (db, n) in &report.compared {
        assert!(*n > 150, "{db}: only {n} reads compared");
    }
}

#[test]
fn a_dropped_key_rewrite_is_caught() {
    let report = inject(Db::DynamoDb, Fault::DropKeyRewrite);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    assert!(
        patterns.contains(&"Newest in a category".to_string()),
        "{report}"
    );
}

#[test]
fn a_reversed_sort_key_is_caught() {
    let report = inject(Db::DynamoDb, Fault::ReverseSortKey);
    let (dbs, _) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    // Reversed, a page holds the oldest where the newest belong, and the page's order is wrong.
    let order = report
        .divergences
        .iter()
        .any(|d| d.pattern == "Newest in a category" && d.why.starts_with("order differs"));
    assert!(order, "{report}");
}

#[test]
fn a_skipped_write_is_caught_on_either_database() {
    for db in Db::ALL {
        let report = inject(db, Fault::SkipWrite("Reserve stock".into()));
        let (dbs, patterns) = caught(&report);
        assert_eq!(dbs, vec![db], "{report}");
        assert!(patterns.contains(&"Get product".to_string()), "{report}");
        // The reproduction is short: the product, the skipped write, the read.
        let d = report
            .divergences
            .iter()
            .find(|d| d.pattern == "Get product");
        assert!(d.is_some_and(|d| d.steps.len() <= 4), "{report}");
    }
}

#[test]
fn a_dropped_guard_is_caught_on_either_database() {
    for db in Db::ALL {
        let report = inject(db, Fault::DropGuard);
        let (dbs, _) = caught(&report);
        assert_eq!(dbs, vec![db], "{report}");
    }
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let fault = || {
        vec![Injection {
            db: Db::DynamoDb,
            fault: Fault::ReverseSortKey,
        }]
    };
    assert_eq!(run(fault()), run(fault()));
    let other = verify(
        &shop(),
        &Options {
            seed: 8,
            steps: 600,
            faults: fault(),
            ..Options::default()
        },
    );
    assert_ne!(other.divergences, run(fault()).divergences);
}

/// Products listed per category by price (an overloaded index whose sort key is a number that
/// may be negative or fractional), repriced by their id (the update rewrites that sort key);
/// reviews in their product's partition sorted by rating, rerated by their id (the update
/// changes the item's own sort key: it moves).
const STORE: &str = r#"{
  "formatVersion": 1,
  "name": "Store",
  "entities": [
    { "name": "Product", "id": "productId", "volume": 1000, "fields": [
      { "name": "productId", "type": "string", "required": true },
      { "name": "category", "type": "string", "required": true, "generator": "status" },
      { "name": "price", "type": "decimal", "required": true }
    ] },
    { "name": "Review", "id": "reviewId", "volume": 10000, "fields": [
      { "name": "reviewId", "type": "objectId", "required": true },
      { "name": "productId", "type": { "ref": "Product" }, "required": true },
      { "name": "rating", "type": "int", "required": true }
    ] }
  ],
  "relationships": [
    { "from": "Product", "to": "Review", "cardinality": "oneToMany", "expectedCount": 10, "field": "productId" }
  ],
  "accessPatterns": [
    { "name": "Add product", "entity": "Product", "kind": "insert" },
    { "name": "Cheapest in a category", "entity": "Product", "kind": "list", "equality": ["category"],
      "sort": { "field": "price", "order": "asc" }, "pageSize": 5 },
    { "name": "Reprice", "entity": "Product", "kind": "update", "equality": ["productId"], "fields": ["price"] },
    { "name": "Review a product", "entity": "Review", "kind": "insert" },
    { "name": "Best reviews of a product", "entity": "Review", "kind": "list", "equality": ["productId"],
      "sort": { "field": "rating", "order": "desc" }, "pageSize": 5, "requestsPerSecond": 100 },
    { "name": "Get review", "entity": "Review", "kind": "getOne", "equality": ["reviewId"], "requestsPerSecond": 1 },
    { "name": "Rerate review", "entity": "Review", "kind": "update", "equality": ["reviewId"], "fields": ["rating"] }
  ]
}"#;

fn run_store(faults: Vec<Injection>) -> Report {
    run_design(STORE, 7, 800, faults)
}

/// Verifies the design `json` (which must hold `patterns` access patterns) with seed 11.
fn run_design(json: &str, patterns: usize, steps: usize, faults: Vec<Injection>) -> Report {
    let design = Design::from_json(json).unwrap_or_default();
    assert_eq!(design.access_patterns.len(), patterns);
    let options = Options {
        seed: 11,
        steps,
        faults,
        ..Options::default()
    };
    verify(&design, &options)
}

#[test]
fn the_store_verifies_clean() {
    let report = run_store(Vec::new());
    assert!(report.is_clean(), "{report}");
    assert_eq!(report.gaps, Vec::new());
    for (db, n) in &report.compared {
        assert!(*n > 200, "{db}: only {n} reads compared");
    }
}

#[test]
fn plain_number_keys_are_caught() {
    let report = run_store(vec![Injection {
        db: Db::DynamoDb,
        fault: Fault::PlainNumberKeys,
    }]);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    // As text, 1000.00 sorts before 99.99 and -5 after -1: the cheapest come out of order.
    assert!(
        patterns.contains(&"Cheapest in a category".to_string()),
        "{report}"
    );
}

#[test]
fn a_key_rewrite_dropped_from_updates_is_caught_both_for_index_keys_and_the_items_own() {
    // Reprice without rewriting GSI1SK: the product stays listed at its old price.
    let report = run_store(vec![Injection {
        db: Db::DynamoDb,
        fault: Fault::DropKeyRewrite,
    }]);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    assert!(
        patterns.contains(&"Cheapest in a category".to_string()),
        "{report}"
    );
    // Rerate without moving the review: it stays under its old rating's key.
    let report = run_store(vec![Injection {
        db: Db::DynamoDb,
        fault: Fault::KeyStaysInPlace,
    }]);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    assert!(
        patterns.contains(&"Best reviews of a product".to_string()),
        "{report}"
    );
}

/// A case-insensitive look-up (the e-commerce example's "Sign in by email") is found on
/// MongoDB only with its collation: without it the recased email matches nothing.
#[test]
fn a_dropped_collation_is_caught() {
    let design = schemaplay_core::examples::get("ecommerce")
        .map(|e| e.design)
        .unwrap_or_default();
    let options = Options {
        seed: 1,
        steps: 1000,
        faults: vec![Injection {
            db: Db::MongoDb,
            fault: Fault::DropCollation,
        }],
        ..Options::default()
    };
    let report = verify(&design, &options);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::MongoDb], "{report}");
    assert!(patterns.iter().all(|p| p == "Sign in by email"), "{report}");
    assert!(verify(
        &design,
        &Options {
            faults: Vec::new(),
            ..options
        }
    )
    .is_clean());
}

// Optimistic locking: a versioned update whose workload sends the version it read most of the
// time and a stale one (the record was written since) the rest. Both layouts must refuse the
// stale writes as the reference does; a layout that still adds one to the version but no
// longer checks it (a lost update) is caught on either database, and only there.

/// Tasks listed per project, moved (their status set) under optimistic locking on `version`,
/// and retitled under a guard as well as the version (the guard's `:expected` and the
/// version's then differ).
const BOARD: &str = r#"{
  "formatVersion": 1,
  "name": "Board",
  "entities": [{
    "name": "Task", "id": "taskId", "volume": 500,
    "fields": [
      { "name": "taskId", "type": "string", "required": true },
      { "name": "projectId", "type": "string", "required": true, "generator": "status" },
      { "name": "status", "type": "string", "required": true, "generator": "status" },
      { "name": "title", "type": "string", "required": true },
      { "name": "version", "type": "int", "required": true }
    ]
  }],
  "accessPatterns": [
    { "name": "Get task", "entity": "Task", "kind": "getOne", "equality": ["taskId"] },
    { "name": "Tasks of a project", "entity": "Task", "kind": "list", "equality": ["projectId"],
      "sort": { "field": "status" }, "pageSize": 10 },
    { "name": "Add task", "entity": "Task", "kind": "insert" },
    { "name": "Move task", "entity": "Task", "kind": "update", "equality": ["taskId"],
      "fields": ["status"], "version": "version" },
    { "name": "Retitle open task", "entity": "Task", "kind": "update", "equality": ["taskId"],
      "fields": ["title"], "condition": { "field": "status", "op": "eq", "value": "active" },
      "version": "version" }
  ]
}"#;

fn run_board(faults: Vec<Injection>) -> Report {
    run_design(BOARD, 5, 600, faults)
}

#[test]
fn versioned_updates_verify_clean() {
    let report = run_board(Vec::new());
    assert!(report.is_clean(), "{report}");
    for (db, n) in &report.compared {
        assert!(*n > 150, "{db}: only {n} reads compared");
    }
}

#[test]
fn a_layout_that_skips_the_version_check_is_caught_on_either_database() {
    for db in Db::ALL {
        let report = run_board(vec![Injection {
            db,
            fault: Fault::DropVersion,
        }]);
        let mut dbs: Vec<Db> = report.divergences.iter().map(|d| d.db).collect();
        dbs.dedup();
        assert_eq!(dbs, vec![db], "{report}");
    }
}

/// The shop's products taken by orders: placing an order inserts it and takes the stock of two
/// products in one transaction, guarded by `stock >= 1`.
fn orders() -> Design {
    let mut design = shop();
    let text = r#"{"name": "Order", "id": "orderId", "volume": 1000, "fields": [
        {"name": "orderId", "type": "string", "required": true},
        {"name": "total", "type": "int", "required": true}]}"#;
    if let Ok(order) = serde_json::from_str(text) {
        design.entities.push(order);
    }
    let mut place = schemaplay_core::AccessPattern::new(
        "Place order",
        "Order",
        schemaplay_core::PatternKind::Insert,
    );
    place.transaction = vec![schemaplay_core::TransactionPart::new("Reserve stock", 2)];
    design.access_patterns.push(place);
    let mut get = schemaplay_core::AccessPattern::new(
        "Get order",
        "Order",
        schemaplay_core::PatternKind::GetOne,
    );
    get.equality = vec!["orderId".into()];
    design.access_patterns.push(get);
    design
}

fn run_orders(faults: Vec<Injection>) -> Report {
    let options = Options {
        seed: 3,
        steps: 800,
        faults,
        ..Options::default()
    };
    verify(&orders(), &options)
}

#[test]
fn a_transaction_verifies_clean_and_split_into_its_writes_is_caught() {
    assert!(schemaplay_core::validate(&orders())
        .iter()
        .all(|f| f.severity != schemaplay_core::Severity::Error));
    let report = run_orders(Vec::new());
    assert!(report.is_clean(), "{report}");
    for db in Db::ALL {
        let report = run_orders(vec![Injection {
            db,
            fault: Fault::SplitTransaction,
        }]);
        let (dbs, _) = caught(&report);
        assert_eq!(dbs, vec![db], "{report}");
    }
}

/// A paged list is read page after page (pages of three, three of them) and compared with the
/// reference's first records: a next page that forgets the `_id` tie-breaker loses the
/// products sharing the last one's date on MongoDB; one that starts each page where the first
/// stopped repeats the second page on DynamoDB. Each is caught on its database only, as a
/// difference of records.
#[test]
fn a_next_page_that_loses_or_repeats_records_is_caught() {
    for (db, fault) in [
        (Db::MongoDb, Fault::DropTieBreaker),
        (Db::DynamoDb, Fault::FirstStartKey),
    ] {
        let report = inject(db, fault.clone());
        let (dbs, _) = caught(&report);
        assert_eq!(dbs, vec![db], "{fault}: {report}");
        let lost = report
            .divergences
            .iter()
            .any(|d| d.pattern == "Newest in a category" && !d.why.starts_with("order differs"));
        assert!(lost, "{fault}: {report}");
    }
}

/// Sessions that expire at their `expiresAt` (DynamoDB TTL), extended by an update of that
/// date: the update rewrites the item's `ttl` in the same UpdateItem.
const SESSIONS: &str = r#"{
  "formatVersion": 2,
  "name": "Sessions",
  "entities": [{
    "name": "Session", "id": "sessionId", "volume": 100000,
    "fields": [
      { "name": "sessionId", "type": "uuid", "required": true },
      { "name": "userId", "type": "string", "required": true },
      { "name": "expiresAt", "type": "date", "required": true }
    ],
    "ttl": { "field": "expiresAt" }
  }],
  "accessPatterns": [
    { "name": "Start session", "entity": "Session", "kind": "insert", "requestsPerSecond": 50 },
    { "name": "Get session", "entity": "Session", "kind": "getOne", "equality": ["sessionId"],
      "requestsPerSecond": 500 },
    { "name": "Extend session", "entity": "Session", "kind": "update", "equality": ["sessionId"],
      "fields": ["expiresAt"], "requestsPerSecond": 100 }
  ]
}"#;

#[test]
fn an_extended_expiry_rewrites_the_ttl_and_a_stale_one_is_caught() {
    let report = run_design(SESSIONS, 3, 600, Vec::new());
    assert!(report.is_clean(), "{report}");
    let stale = Injection {
        db: Db::DynamoDb,
        fault: Fault::StaleTtl,
    };
    let report = run_design(SESSIONS, 3, 600, vec![stale]);
    let (dbs, patterns) = caught(&report);
    assert_eq!(dbs, vec![Db::DynamoDb], "{report}");
    assert!(patterns.iter().all(|p| p == "Get session"), "{report}");
    assert!(
        report.divergences.iter().all(|d| d.why.contains("ttl")),
        "{report}"
    );
}

/// The user app: deleting a user deletes their posts (a cascade), which "List a user's posts"
/// reads by the deleted user's id.
fn run_users(faults: Vec<Injection>) -> Report {
    run_example("user-app", 1, 2000, faults)
}

#[test]
fn a_layout_that_leaves_a_deleted_parents_children_is_caught_on_either_database() {
    assert!(run_users(Vec::new()).divergences.is_empty());
    for db in Db::ALL {
        let report = run_users(vec![Injection {
            db,
            fault: Fault::SkipCascade,
        }]);
        let (dbs, patterns) = caught(&report);
        assert_eq!(dbs, vec![db], "{report}");
        assert!(
            patterns.iter().any(|p| p == "List a user's posts"),
            "{report}"
        );
    }
}

#[test]
fn kept_children_stay_in_both_layouts() {
    let mut design = schemaplay_core::examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    design.relationships[0].on_delete = Some(schemaplay_core::OnDelete::Keep);
    let options = Options {
        seed: 1,
        steps: 2000,
        ..Options::default()
    };
    let report = verify(&design, &options);
    assert!(report.divergences.is_empty(), "{report}");
}

/// The task tracker: removing a member or deleting a project takes its project/member pairs
/// with it (MongoDB pulls the member's id from the projects' `memberIds`; DynamoDB deletes the
/// link items), which "Projects of a member" and "Members of a project" read by the deleted
/// record's id.
fn run_saas(faults: Vec<Injection>) -> Report {
    run_example("saas", 3, 3000, faults)
}

/// An example verified with `faults`.
fn run_example(id: &str, seed: u64, steps: usize, faults: Vec<Injection>) -> Report {
    let design = schemaplay_core::examples::get(id)
        .map(|e| e.design)
        .unwrap_or_default();
    let options = Options {
        seed,
        steps,
        faults,
        ..Options::default()
    };
    verify(&design, &options)
}

#[test]
fn a_layout_that_leaves_a_deleted_records_pairs_is_caught_on_either_database() {
    assert!(run_saas(Vec::new()).divergences.is_empty());
    for db in Db::ALL {
        let report = run_saas(vec![Injection {
            db,
            fault: Fault::SkipLinkCleanup,
        }]);
        let (dbs, patterns) = caught(&report);
        assert_eq!(dbs, vec![db], "{report}");
        assert!(
            patterns
                .iter()
                .any(|p| p == "Projects of a member" || p == "Members of a project"),
            "{report}"
        );
    }
}
