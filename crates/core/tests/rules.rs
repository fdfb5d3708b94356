//! Each lint rule and each layout rule with a named case: a small design in,
//! the findings (or indexes, or keys) out.

mod common;

use common::design;
use expect_test::{expect, Expect};
use schemaplay_core::{analyze, Design, Severity};

/// Prints the lint findings (not validation) whose id starts with `prefix`.
fn check_lints(d: &Design, prefix: &str, expect: Expect) {
    let text: String = analyze(d)
        .findings
        .iter()
        .filter(|f| f.id.starts_with(prefix))
        .map(|f| format!("{} [{}] {f}\n", f.severity, f.id))
        .collect();
    expect.assert_eq(&text);
}

/// Prints the suggested MongoDB indexes: collection, keys, unique, serves.
fn check_indexes(d: &Design, expect: Expect) {
    let layout = schemaplay_core::mongo::layout(d);
    let text: String = layout
        .collections
        .iter()
        .flat_map(|c| c.indexes.iter())
        .map(|i| {
            format!(
                "{} {}{}{} serves {:?}\n",
                i.collection,
                i.keys,
                if i.unique { " unique" } else { "" },
                if i.case_insensitive { " ci" } else { "" },
                i.serves
            )
        })
        .collect();
    expect.assert_eq(&text);
}

/// Prints each entity's DynamoDB keys and each pattern's request.
fn check_keys(d: &Design, expect: Expect) {
    let layout = schemaplay_core::dynamo::layout(d);
    let mut text = String::new();
    for e in &layout.entities {
        text.push_str(&format!("{}: {} / {}", e.entity, e.pk, e.sk));
        for k in &e.index_keys {
            text.push_str(&format!(
                "; {}: {} / {}",
                k.index,
                k.pk,
                k.sk.as_deref().unwrap_or("-")
            ));
        }
        text.push('\n');
    }
    for r in &layout.requests {
        let input = &r.input["input"];
        let expr = input["KeyConditionExpression"]
            .as_str()
            .or(input["UpdateExpression"].as_str())
            .unwrap_or("");
        text.push_str(&format!(
            "{}: {}{} {expr}\n",
            r.pattern,
            r.operation,
            r.index
                .as_deref()
                .map(|i| format!(" on {i}"))
                .unwrap_or_default()
        ));
    }
    expect.assert_eq(&text);
}

const LOG: &str = r#"{"name": "Log", "fields": [{"name": "logId", "type": "string", "required": true}, {"name": "level", "type": "string", "generator": "status"}, {"name": "at", "type": "date"}], "volume": 1000000}"#;

#[test]
fn dynamo_scan_on_a_frequent_pattern_warns_and_a_rare_one_informs() {
    let d = design(
        LOG,
        "",
        r#"{"name": "All logs", "entity": "Log", "kind": "list", "requestsPerSecond": 10},
           {"name": "Export logs", "entity": "Log", "kind": "list", "requestsPerSecond": 0.01}"#,
    );
    check_lints(
        &d,
        "dynamo-scan",
        expect![[r#"
            warning [dynamo-scan] accessPatterns[0]: no field is bound by equality, so nothing can serve as a partition key: the Scan reads every item of the table; each run reads about 1,000,000 items (9,644 read units) at 10 requests per second
            info [dynamo-scan] accessPatterns[1]: no field is bound by equality, so nothing can serve as a partition key: the Scan reads every item of the table; each run reads about 1,000,000 items (9,644 read units)
        "#]],
    );
}

#[test]
fn dynamo_hot_partition_suggests_write_sharding() {
    let d = design(
        r#"{"name": "Tenant", "fields": [{"name": "tenantId", "type": "string"}], "volume": 1},
           {"name": "Event", "fields": [{"name": "eventId", "type": "string"}, {"name": "tenantId", "type": {"ref": "Tenant"}, "required": true}, {"name": "at", "type": "date"}], "volume": 1000000}"#,
        r#"{"from": "Tenant", "to": "Event", "cardinality": "oneToMany", "expectedCount": 1000000, "field": "tenantId"}"#,
        r#"{"name": "Events of a tenant", "entity": "Event", "kind": "list", "equality": ["tenantId"], "sort": {"field": "at", "order": "desc"}, "pageSize": 50, "requestsPerSecond": 1},
           {"name": "Get tenant", "entity": "Tenant", "kind": "getOne", "equality": ["tenantId"], "requestsPerSecond": 1},
           {"name": "Record event", "entity": "Event", "kind": "insert", "requestsPerSecond": 3000}"#,
    );
    check_lints(
        &d,
        "dynamo-hot",
        expect![[r#"
            warning [dynamo-hot-partition] accessPatterns[2]: each TENANT#<tenantId> value takes about 6000 write units per second, over the 1,000 a partition serves: add a suffix #0..#7 (random or from a hash of the id) to spread writes; reading all of one key then takes 8 Queries, merged by the client
        "#]],
    );
}

#[test]
fn dynamo_empty_key_value_names_text_fields_that_are_keys_as_they_are() {
    // DynamoDB refuses an empty string as a key value: a declared index on the raw attribute
    // (the EmailIndex on email) or a key template that is one placeholder makes the field
    // never empty. A prefixed key (EMAIL#<email>) or a number is fine.
    let d = design(
        r#"{"name": "User", "id": "userId", "fields": [{"name": "userId", "type": "string"}, {"name": "email", "type": "string"}, {"name": "handle", "type": "string"}, {"name": "age", "type": "int"}], "volume": 10}"#,
        "",
        r#"{"name": "By email", "entity": "User", "kind": "getOne", "equality": ["email"]},
           {"name": "By age", "entity": "User", "kind": "list", "equality": ["age"]}"#,
    );
    let mut d = d;
    d.dynamo.indexes = vec![
        schemaplay_core::IndexChoice {
            name: "EmailIndex".into(),
            partition_key: "email".into(),
            sort_key: None,
            local: false,
        },
        schemaplay_core::IndexChoice {
            name: "AgeIndex".into(),
            partition_key: "age".into(),
            sort_key: None,
            local: false,
        },
    ];
    d.dynamo.key_templates.insert(
        "User".into(),
        schemaplay_core::KeyTemplate {
            pk: "<handle>".into(),
            sk: "USER#<userId>".into(),
        },
    );
    check_lints(
        &d,
        "dynamo-empty",
        expect![[r#"
            warning [dynamo-empty-key-value] entities[0].fields[1]: email is EmailIndex's partition key as it is: DynamoDB refuses an empty value as a key, so an item whose email is empty cannot be written and an empty email cannot be looked up; the application must reject an empty email, or make the key a prefixed value (EMAIL#<email>), which is never empty
            warning [dynamo-empty-key-value] entities[0].fields[2]: handle is the table's partition key as it is: DynamoDB refuses an empty value as a key, so an item whose handle is empty cannot be written and an empty handle cannot be looked up; the application must reject an empty handle, or make the key a prefixed value (HANDLE#<handle>), which is never empty
        "#]],
    );
}

#[test]
fn dynamo_low_cardinality_index_key() {
    let d = design(
        LOG,
        "",
        r#"{"name": "Logs by level", "entity": "Log", "kind": "list", "equality": ["level"], "sort": {"field": "at"}, "pageSize": 20, "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "dynamo-low",
        expect![[r#"
        warning [dynamo-low-cardinality-key] entities[0]: GSI1 uses LEVEL#<level> as its partition key, which has only about 5 values for 1000000 items: each value's items crowd one partition; add a higher-cardinality part or shard the key
    "#]],
    );
}

#[test]
fn dynamo_item_size_near_the_limit() {
    let big = "x".repeat(300 * 1024);
    let d = design(
        &format!(
            r#"{{"name": "Blob", "fields": [{{"name": "blobId", "type": "string"}}, {{"name": "body", "type": "string", "required": true, "example": "{big}"}}], "volume": 1}}"#
        ),
        "",
        r#"{"name": "Get blob", "entity": "Blob", "kind": "getOne", "equality": ["blobId"], "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "dynamo-item",
        expect![[r#"
        error [dynamo-item-size] entities[0]: Blob items average about 300 KB, near DynamoDB's 400 KB item limit: split large attributes into their own items or store them in S3
    "#]],
    );
}

#[test]
fn too_many_indexes_in_both_databases() {
    let fields: Vec<String> = (0..22)
        .map(|i| format!(r#"{{"name": "f{i}", "type": "string", "required": true}}"#))
        .collect();
    let patterns: Vec<String> = (0..22)
        .map(|i| {
            format!(
                r#"{{"name": "by f{i}", "entity": "Thing", "kind": "list", "equality": ["f{i}"], "requestsPerSecond": 1}}"#
            )
        })
        .collect();
    let d = design(
        &format!(
            r#"{{"name": "Thing", "fields": [{}], "volume": 1000}}"#,
            fields.join(",")
        ),
        "",
        &patterns.join(","),
    );
    check_lints(
        &d,
        "dynamo-too",
        expect![[r#"
        error [dynamo-too-many-indexes] dynamo.indexes: the layout needs 22 global indexes; DynamoDB allows 20 per table: overload them with generic GSInPK/GSInSK keys
    "#]],
    );
    check_lints(
        &d,
        "mongo-too",
        expect![[r#"
        warning [mongo-too-many-indexes] entities[0]: things would have 23 indexes: every insert and update maintains each one; merge patterns onto shared compound indexes
    "#]],
    );
}

/// Cards in their board's partition by creation time, also listed by rank
/// with the given consistency.
fn board_cards(consistency: &str) -> Design {
    design(
        r#"{"name": "Board", "fields": [{"name": "boardId", "type": "string"}], "volume": 1000},
           {"name": "Card", "fields": [{"name": "cardId", "type": "string"}, {"name": "boardId", "type": {"ref": "Board"}, "required": true}, {"name": "createdAt", "type": "date"}, {"name": "rank", "type": "int"}], "volume": 100000}"#,
        r#"{"from": "Board", "to": "Card", "cardinality": "oneToMany", "expectedCount": 100, "field": "boardId"}"#,
        &format!(
            r#"{{"name": "Newest cards", "entity": "Card", "kind": "list", "equality": ["boardId"], "sort": {{"field": "createdAt", "order": "desc"}}, "requestsPerSecond": 5}},
           {{"name": "Cards by rank", "entity": "Card", "kind": "list", "equality": ["boardId"], "sort": {{"field": "rank"}}, "consistency": "{consistency}", "requestsPerSecond": 5}}"#
        ),
    )
}

#[test]
fn local_index_where_the_partition_matches_but_the_sort_differs_and_reads_are_strong() {
    let d = board_cards("strong");
    check_keys(
        &d,
        expect![[r#"
        Board: BOARD#<boardId> / METADATA
        Card: BOARD#<boardId> / CARD#<createdAt>#<cardId>; LSI1: BOARD#<boardId> / CARD#<rank>
        Newest cards: Query PK = :pk AND begins_with(SK, :sk)
        Cards by rank: Query on LSI1 PK = :pk AND begins_with(LSI1SK, :sk)
    "#]],
    );
    check_lints(
        &d,
        "dynamo-lsi",
        expect![[r#"
        warning [dynamo-lsi-collection-limit] dynamo.indexes: LSI1 is a local index: every item collection (all items with one partition key value) is limited to 10 GB, and the index can only be created with the table
    "#]],
    );
    check_index_reasons(
        &d,
        expect![[r#"
        LSI1 (local): "Cards by rank" reads the same partition as the table (BOARD#<boardId>) sorted by rank, strongly consistent, which only a local index gives: it re-sorts the item collection; a local index can only be created with the table, limits each item collection (all items of one partition key value) to 10 GB, and shares the partition's throughput with the table
    "#]],
    );
}

/// Prints each DynamoDB index: its name, kind and why.
fn check_index_reasons(d: &Design, expect: Expect) {
    let layout = schemaplay_core::dynamo::layout(d);
    let text: String = layout
        .indexes
        .iter()
        .map(|i| format!("{} ({}): {}\n", i.name, i.kind, i.reason))
        .collect();
    expect.assert_eq(&text);
}

#[test]
fn global_index_where_the_partition_matches_but_the_sort_differs_and_reads_are_eventual() {
    let d = board_cards("eventual");
    check_keys(
        &d,
        expect![[r#"
        Board: BOARD#<boardId> / METADATA
        Card: BOARD#<boardId> / CARD#<createdAt>#<cardId>; GSI1: BOARD#<boardId> / CARD#<rank>
        Newest cards: Query PK = :pk AND begins_with(SK, :sk)
        Cards by rank: Query on GSI1 GSI1PK = :pk
    "#]],
    );
    check_index_reasons(
        &d,
        expect![[r#"
        GSI1 (global): "Cards by rank" finds cards by boardId, sorted by rank; a global rather than a local index for "Cards by rank": it reads eventually consistent (say consistency: strong for a local one), and a local index can only be created with the table, limits each item collection (all items of one partition key value) to 10 GB, and shares the partition's throughput with the table
    "#]],
    );
    check_lints(&d, "dynamo-lsi", expect![[r#""#]]);
}

#[test]
fn dynamo_mutable_key_names_the_update_that_moves_the_item() {
    let d = design(
        r#"{"name": "Project", "fields": [{"name": "projectId", "type": "string"}], "volume": 1000},
           {"name": "Task", "fields": [{"name": "taskId", "type": "string"}, {"name": "projectId", "type": {"ref": "Project"}, "required": true}, {"name": "dueDate", "type": "date", "required": true}, {"name": "title", "type": "string"}], "volume": 100000}"#,
        r#"{"from": "Project", "to": "Task", "cardinality": "oneToMany", "expectedCount": 100, "field": "projectId"}"#,
        r#"{"name": "Tasks by due date", "entity": "Task", "kind": "list", "equality": ["projectId"], "sort": {"field": "dueDate"}, "requestsPerSecond": 5},
           {"name": "Reschedule task", "entity": "Task", "kind": "update", "equality": ["projectId", "taskId"], "fields": ["dueDate"], "requestsPerSecond": 2},
           {"name": "Rename task", "entity": "Task", "kind": "update", "equality": ["projectId", "taskId"], "fields": ["title"], "requestsPerSecond": 2}"#,
    );
    check_keys(
        &d,
        expect![[r#"
        Project: PROJECT#<projectId> / METADATA
        Task: PROJECT#<projectId> / TASK#<dueDate>#<taskId>
        Tasks by due date: Query PK = :pk AND begins_with(SK, :sk)
        Reschedule task: Query PK = :pk AND begins_with(SK, :sk)
        Rename task: Query PK = :pk AND begins_with(SK, :sk)
    "#]],
    );
    check_lints(
        &d,
        "dynamo-mutable-key",
        expect![[r#"
        warning [dynamo-mutable-key] accessPatterns[1].fields: "Reschedule task" writes dueDate, which is part of the table's key of tasks (TASK#<dueDate>#<taskId>): DynamoDB cannot change a key, so each update deletes the item and puts it under the new key in one transaction (TransactWriteItems: a delete and a put, each at twice the units of a plain write: about 4 write units a request, where an update in place writes 1 and its index entries); keep the table's key to fields that never change and sort by dueDate through an index, whose entry DynamoDB moves on an ordinary update
    "#]],
    );
}

const USER: &str = r#"{"name": "User", "id": "userId", "fields": [{"name": "userId", "type": "string", "required": true}, {"name": "email", "type": "string", "required": true, "unique": true}, {"name": "name", "type": "string"}], "volume": 10000}"#;

#[test]
fn dynamo_writes_and_reads_that_the_key_does_not_serve() {
    let d = design(
        USER,
        "",
        r#"{"name": "Sign up", "entity": "User", "kind": "insert", "requestsPerSecond": 1},
           {"name": "Rename by email", "entity": "User", "kind": "update", "equality": ["email"], "fields": ["name"], "requestsPerSecond": 1},
           {"name": "Fresh user by email", "entity": "User", "kind": "getOne", "equality": ["email"], "consistency": "strong", "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "dynamo-",
        expect![[r#"
        warning [dynamo-strong-read-on-gsi] accessPatterns[2]: global indexes are eventually consistent only: this read cannot be strongly consistent
        info [dynamo-unique-attribute] accessPatterns[0]: email must be unique, and DynamoDB enforces uniqueness only on the key: the insert also puts a marker item per unique value in one transaction (twice the write cost)
        info [dynamo-read-before-write] accessPatterns[1]: DynamoDB writes by the table's key only: this Query on GSI1 finds the key, then an UpdateItem writes the item (a read before the write)
    "#]],
    );
    check_keys(
        &d,
        expect![[r#"
        User: USER#<userId> / PROFILE; GSI1: EMAIL#<email> / USER
        Sign up: TransactWriteItems 
        Rename by email: Query on GSI1 GSI1PK = :pk
        Fresh user by email: Query on GSI1 GSI1PK = :pk
    "#]],
    );
}

#[test]
fn mongo_unbounded_arrays_and_document_size() {
    let d = design(
        r#"{"name": "Channel", "fields": [{"name": "channelId", "type": "string"}], "volume": 10},
           {"name": "Post", "fields": [{"name": "text", "type": "string", "generator": "paragraph"}], "volume": 1000000}"#,
        r#"{"from": "Channel", "to": "Post", "cardinality": "oneToMany", "expectedCount": 100000, "readTogether": true, "embed": true}"#,
        r#"{"name": "Get channel", "entity": "Channel", "kind": "getOne", "equality": ["channelId"], "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "mongo-",
        expect![[r#"
        error [mongo-document-size] entities[0]: documents of channels come to about 26953 KB at the expected counts, over MongoDB's 16 MB limit: such documents cannot be written; reference the largest embedded data instead
        warning [mongo-unbounded-array] relationships[0]: posts embedded in channels.posts form an array that grows without bound (one-to-many): documents grow, indexes on the array grow with them, and the 16 MB limit ends it; reference them instead, or embed only a bounded subset
    "#]],
    );
}

#[test]
fn design_rules() {
    let d = design(
        &format!(
            r#"{USER}, {{"name": "Audit", "fields": [{{"name": "what", "type": "string"}}]}}, {{"name": "Tag", "fields": [{{"name": "label", "type": "string"}}], "volume": 5}}"#
        ),
        r#"{"from": "User", "to": "Tag", "cardinality": "oneToFew", "expectedCount": 500}"#,
        r#"{"name": "By email", "entity": "User", "kind": "getOne", "equality": ["email"], "caseInsensitive": true},
           {"name": "Tags of a user", "entity": "Tag", "kind": "list", "equality": ["userId"], "requestsPerSecond": 1}"#,
    );
    let text: String = analyze(&d)
        .findings
        .iter()
        .filter(|f| {
            !f.id.starts_with("dynamo-")
                && !f.id.starts_with("mongo-")
                && f.severity != Severity::Error
        })
        .map(|f| format!("{} [{}] {f}\n", f.severity, f.id))
        .collect();
    expect![[r#"
        warning [entity-unread] entities[1]: no access pattern reads audits: NoSQL layouts are derived from the reads, so add the ways the application reads them (or drop the entity)
        warning [relationship-not-few] relationships[0].expectedCount: 500 tags per user is not "few" (a few is up to about 100): call it one-to-many so it is referenced, not embedded
        warning [case-insensitive-match] accessPatterns[0].caseInsensitive: a case-insensitive match as a regex (/^value$/i) cannot use an index efficiently: in MongoDB the query names the collation of the suggested index (strength 2); in DynamoDB the index key holds the lowercased value (<field|lower>), so the application lowercases what it looks up
        info [entity-no-volume] entities[1].volume: no expected count: sizes, partitions and costs assume a handful of items
        info [pattern-no-rate] accessPatterns[0].requestsPerSecond: no request rate: cost and hot-partition checks count it as never run
    "#]].assert_eq(&text);
}

#[test]
fn mongo_indexes_follow_esr_and_merge_prefixes() {
    let d = design(
        r#"{"name": "Order", "fields": [{"name": "orderId", "type": "string"}, {"name": "customerId", "type": "string"}, {"name": "status", "type": "string"}, {"name": "total", "type": "double"}, {"name": "createdAt", "type": "date"}, {"name": "code", "type": "string", "unique": true}, {"name": "note", "type": "string"}], "volume": 1000}"#,
        "",
        r#"{"name": "Recent by customer and status", "entity": "Order", "kind": "list", "equality": ["status", "customerId"], "range": "total", "sort": {"field": "createdAt", "order": "desc"}, "requestsPerSecond": 1},
           {"name": "Count by customer and status", "entity": "Order", "kind": "count", "equality": ["customerId", "status"], "requestsPerSecond": 1},
           {"name": "By customer", "entity": "Order", "kind": "list", "equality": ["customerId"], "requestsPerSecond": 1},
           {"name": "By code", "entity": "Order", "kind": "getOne", "equality": ["code"], "caseInsensitive": true, "requestsPerSecond": 1},
           {"name": "By id", "entity": "Order", "kind": "getOne", "equality": ["orderId"], "requestsPerSecond": 1},
           {"name": "Search notes", "entity": "Order", "kind": "textSearch", "fields": ["note"], "requestsPerSecond": 1},
           {"name": "Search codes", "entity": "Order", "kind": "textSearch", "fields": ["code", "note"], "requestsPerSecond": 1}"#,
    );
    check_indexes(
        &d,
        expect![[r#"
        orders {"code":1} unique ci serves ["By code"]
        orders {"customerId":1,"status":1,"createdAt":-1,"total":1} serves ["Recent by customer and status", "Count by customer and status", "By customer"]
        orders {"note":"text","code":"text"} serves ["Search notes", "Search codes"]
    "#]],
    );
}

#[test]
fn dynamo_item_collections_embedding_and_own_partitions() {
    let d = design(
        r#"{"name": "Author", "fields": [{"name": "authorId", "type": "string"}], "volume": 1000},
           {"name": "Book", "fields": [{"name": "bookId", "type": "string"}, {"name": "authorId", "type": {"ref": "Author"}, "required": true}, {"name": "year", "type": "int"}], "volume": 20000},
           {"name": "Review", "fields": [{"name": "stars", "type": "int"}], "volume": 60000},
           {"name": "Award", "fields": [{"name": "awardId", "type": "string"}, {"name": "bookId", "type": {"ref": "Book"}, "required": true}], "volume": 100}"#,
        r#"{"from": "Author", "to": "Book", "cardinality": "oneToMany", "expectedCount": 20, "field": "authorId"},
           {"from": "Book", "to": "Review", "cardinality": "oneToFew", "expectedCount": 3, "readTogether": true},
           {"from": "Book", "to": "Award", "cardinality": "oneToFew", "expectedCount": 1, "field": "bookId"}"#,
        r#"{"name": "Books of an author by year", "entity": "Book", "kind": "list", "equality": ["authorId"], "range": "year", "sort": {"field": "year"}, "requestsPerSecond": 10},
           {"name": "Get book", "entity": "Book", "kind": "getOne", "equality": ["bookId"], "requestsPerSecond": 2},
           {"name": "Add review", "entity": "Review", "kind": "insert", "requestsPerSecond": 1},
           {"name": "Get award", "entity": "Award", "kind": "getOne", "equality": ["awardId"], "requestsPerSecond": 1}"#,
    );
    check_keys(
        &d,
        expect![[r#"
        Author: AUTHOR#<authorId> / METADATA
        Book: AUTHOR#<authorId> / BOOK#<year>#<bookId>; GSI1: BOOK#<bookId> / BOOK
        Review: AUTHOR#<authorId> / BOOK#<year>#<bookId>
        Award: AWARD#<awardId> / METADATA
        Books of an author by year: Query PK = :pk AND SK BETWEEN :from AND :to
        Get book: Query on GSI1 GSI1PK = :pk
        Add review: UpdateItem SET reviews = list_append(if_not_exists(reviews, :empty), :new)
        Get award: GetItem 
    "#]],
    );
}

#[test]
fn mongo_patterns_beyond_the_index_limit_go_unindexed() {
    let fields: Vec<String> = (0..66)
        .map(|i| format!(r#"{{"name": "f{i}", "type": "string", "required": true}}"#))
        .collect();
    let patterns: Vec<String> = (0..66)
        .map(|i| {
            format!(
                r#"{{"name": "by f{i}", "entity": "Thing", "kind": "list", "equality": ["f{i}"], "requestsPerSecond": 1}}"#
            )
        })
        .collect();
    let d = design(
        &format!(
            r#"{{"name": "Thing", "fields": [{}], "volume": 1000}}"#,
            fields.join(",")
        ),
        "",
        &patterns.join(","),
    );
    check_lints(
        &d,
        "mongo-",
        expect![[r#"
            error [mongo-too-many-indexes] entities[0]: things would need 67 indexes; MongoDB allows 64 per collection, so the patterns beyond them go unindexed
            warning [mongo-unindexed-query] accessPatterns[63]: no index serves this query on things (1000 documents): every run examines the whole collection at 1 requests per second
            warning [mongo-unindexed-query] accessPatterns[64]: no index serves this query on things (1000 documents): every run examines the whole collection at 1 requests per second
            warning [mongo-unindexed-query] accessPatterns[65]: no index serves this query on things (1000 documents): every run examines the whole collection at 1 requests per second
        "#]],
    );
}

#[test]
fn many_to_many_reads_both_ways() {
    let entities = r#"{"name": "Student", "fields": [{"name": "studentId", "type": "string"}], "volume": 10000},
           {"name": "Course", "fields": [{"name": "courseId", "type": "string"}, {"name": "title", "type": "string"}], "volume": 300}"#;
    let patterns = r#"{"name": "Courses of a student", "entity": "Course", "kind": "list", "equality": ["studentId"], "requestsPerSecond": 10},
           {"name": "Students in a course", "entity": "Student", "kind": "list", "equality": ["courseId"], "pageSize": 100, "requestsPerSecond": 2}"#;
    let few = design(
        entities,
        r#"{"from": "Student", "to": "Course", "cardinality": "manyToMany", "expectedCount": 6}"#,
        patterns,
    );
    check_keys(
        &few,
        expect![[r#"
        Student: STUDENT#<studentId> / METADATA
        Course: COURSE#<courseId> / METADATA
        Student/Course: STUDENT#<studentId> / COURSE#<courseId>; GSI1: COURSE#<courseId> / STUDENT#<studentId>
        Courses of a student: Query PK = :pk AND begins_with(SK, :sk)
        Students in a course: Query on GSI1 GSI1PK = :pk AND begins_with(GSI1SK, :sk)
    "#]],
    );
    let shells: String = schemaplay_core::mongo::layout(&few)
        .queries
        .iter()
        .map(|q| {
            format!(
                "{}: {} ({})\n",
                q.pattern,
                q.shell,
                q.index.as_deref().unwrap_or("no index")
            )
        })
        .collect();
    expect![[r#"
        Courses of a student: db.courses.find({ _id: { $in: db.students.findOne({ _id: 'student-1' }).courseIds } }) (_id_)
        Students in a course: db.students.find({ courseIds: 'course-1' }).sort({ _id: 1 }).limit(100) (courseIds_1__id_1)
    "#]].assert_eq(&shells);
    check_indexes(
        &few,
        expect![[r#"
            students {"courseIds":1,"_id":1} serves ["Students in a course"]
        "#]],
    );
    let many = design(
        entities,
        r#"{"from": "Student", "to": "Course", "cardinality": "manyToMany", "expectedCount": 500}"#,
        patterns,
    );
    check_indexes(
        &many,
        expect![[r#"
        courses {"studentIds":1} serves ["Courses of a student"]
    "#]],
    );
}

#[test]
fn time_series_growth_without_deletes() {
    let d = design(
        r#"{"name": "Device", "fields": [{"name": "deviceId", "type": "string"}], "volume": 100},
           {"name": "Reading", "fields": [{"name": "deviceId", "type": {"ref": "Device"}, "required": true}, {"name": "ts", "type": "date", "required": true}], "volume": 1000000}"#,
        r#"{"from": "Device", "to": "Reading", "cardinality": "oneToMany", "expectedCount": 10000, "field": "deviceId"}"#,
        r#"{"name": "Record", "entity": "Reading", "kind": "insert", "requestsPerSecond": 50},
           {"name": "Latest", "entity": "Reading", "kind": "list", "equality": ["deviceId"], "sort": {"field": "ts", "order": "desc"}, "pageSize": 10, "requestsPerSecond": 1},
           {"name": "Get device", "entity": "Device", "kind": "getOne", "equality": ["deviceId"], "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "entity-unbounded",
        expect![[r#"
            info [entity-unbounded-growth] entities[1]: at 50 inserts per second and no deletes, readings grow by about 131 million a month, past the stated volume of 1000000 within 1 day(s): plan expiry (a DynamoDB TTL attribute, a MongoDB TTL index) or archiving for data that ages, or raise the volume so sizes and costs are right; it is a time series (append-only, read by deviceId over ts): a MongoDB time-series collection (timeField ts, metaField deviceId) stores it compactly
        "#]],
    );
}

#[test]
fn dynamo_counts_read_every_matching_item() {
    let d = design(
        LOG,
        "",
        r#"{"name": "Count by level", "entity": "Log", "kind": "count", "equality": ["level"], "requestsPerSecond": 1}"#,
    );
    check_lints(
        &d,
        "dynamo-count",
        expect![[r#"
            info [dynamo-count-reads-items] accessPatterns[0]: Select COUNT still reads, and bills, every matching item (about 200,000 here): keep a counter item per key, updated with ADD in the same transaction as each insert and delete
        "#]],
    );
}

#[test]
fn referenced_children_read_together_are_joined_with_lookup() {
    let d = design(
        r#"{"name": "Invoice", "fields": [{"name": "invoiceId", "type": "string"}], "volume": 1000},
           {"name": "Line", "fields": [{"name": "amount", "type": "decimal"}], "volume": 500000}"#,
        r#"{"from": "Invoice", "to": "Line", "cardinality": "oneToMany", "expectedCount": 500, "readTogether": true}"#,
        r#"{"name": "Invoice with lines", "entity": "Invoice", "kind": "getOne", "equality": ["invoiceId"], "requestsPerSecond": 5}"#,
    );
    let shells: String = schemaplay_core::mongo::layout(&d)
        .queries
        .iter()
        .map(|q| format!("{}: {}\n", q.pattern, q.shell))
        .collect();
    expect![[r#"
        Invoice with lines: db.invoices.aggregate([{ $match: { _id: 'invoice-1' } }, { $lookup: { from: 'lines', localField: '_id', foreignField: 'invoiceId', as: 'lines' } }])
    "#]].assert_eq(&shells);
    check_indexes(
        &d,
        expect![[r#"
        lines {"invoiceId":1} serves ["Invoice with lines"]
    "#]],
    );
}

#[test]
fn dynamo_hot_index_partition_throttles_writes() {
    let d = design(
        r#"{"name": "Job", "fields": [{"name": "jobId", "type": "string"}, {"name": "state", "type": "string", "required": true, "generator": "status"}, {"name": "at", "type": "date"}], "volume": 10000000}"#,
        "",
        r#"{"name": "Jobs by state", "entity": "Job", "kind": "list", "equality": ["state"], "sort": {"field": "at"}, "pageSize": 10, "requestsPerSecond": 1},
           {"name": "Submit job", "entity": "Job", "kind": "insert", "requestsPerSecond": 8000}"#,
    );
    check_lints(
        &d,
        "dynamo-hot",
        expect![[r#"
        warning [dynamo-hot-partition] accessPatterns[1]: every write of a job is copied into GSI1, where each STATE#<state> value takes about 1600 write units per second, over the 1,000 a partition serves; a throttled index throttles the table's writes too: add a suffix #0..#1 to the index key and query the 2 keys in parallel
    "#]],
    );
}

/// Prints the cost totals as the JSON the UI and the CLI show.
fn check_cost(d: &Design, expect: Expect) {
    let cost = analyze(d).cost;
    let text = format!(
        "reads/s {} writes/s {} on-demand {} provisioned {} scans {}\n{}\n",
        serde_json::json!(cost.read_units_per_second),
        serde_json::json!(cost.write_units_per_second),
        serde_json::json!(cost.on_demand_monthly),
        serde_json::json!(cost.provisioned_monthly),
        serde_json::json!(cost.scan_on_demand_monthly),
        cost.advice
    );
    expect.assert_eq(&text);
}

#[test]
fn cost_without_rates_is_zero_not_minus_zero() {
    check_cost(
        &design(
            r#"{"name": "User", "fields": [{"name": "userId", "type": "string"}]}"#,
            "",
            "",
        ),
        expect![[r#"
            reads/s 0.0 writes/s 0.0 on-demand 0.0 provisioned 0.0 scans 0.0
            no request rates are set, so there is nothing to compare
        "#]],
    );
}

/// Prints each update's DynamoDB expression with its values, and its mongosh line.
fn check_updates(d: &Design, expect: Expect) {
    let dynamo = schemaplay_core::dynamo::layout(d);
    let mongo = schemaplay_core::mongo::layout(d);
    let mut text = String::new();
    for r in dynamo
        .requests
        .iter()
        .filter(|r| r.operation == "UpdateItem")
    {
        text.push_str(&format!(
            "{}: {} {}\n",
            r.pattern,
            r.input["input"]["UpdateExpression"],
            r.input["input"]["ExpressionAttributeValues"]
        ));
        if let Some(q) = mongo.queries.iter().find(|q| q.pattern == r.pattern) {
            text.push_str(&format!("  {}\n", q.shell));
        }
    }
    expect.assert_eq(&text);
}

#[test]
fn increments_take_away_what_a_lower_bound_requires() {
    let update = |name: &str, fields: &str, condition: &str| {
        format!(
            r#"{{"name": "{name}", "entity": "Product", "kind": "update", "equality": ["productId"], "fields": [{fields}], "update": "increment"{condition}}}"#
        )
    };
    let patterns = [
        update(
            "take one",
            r#""stock""#,
            r#", "condition": {"field": "stock", "op": "ge", "value": 1}"#,
        ),
        update(
            "take a box",
            r#""stock""#,
            r#", "condition": {"field": "stock", "op": "ge", "value": 12}"#,
        ),
        update(
            "take while any",
            r#""stock""#,
            r#", "condition": {"field": "stock", "op": "gt", "value": 0}"#,
        ),
        update(
            "keep non-negative",
            r#""stock""#,
            r#", "condition": {"field": "stock", "op": "ge", "value": 0}"#,
        ),
        update(
            "capped",
            r#""views""#,
            r#", "condition": {"field": "views", "op": "lt", "value": 10}"#,
        ),
        update("count both", r#""stock", "views""#, ""),
    ];
    check_updates(
        &design(
            r#"{"name": "Product", "fields": [{"name": "productId", "type": "string"}, {"name": "stock", "type": "int"}, {"name": "views", "type": "int"}]}"#,
            "",
            &patterns.join(","),
        ),
        expect![[r#"
            take one: "SET stock = if_not_exists(stock, :zero) + :amount" {":zero":{"N":"0"},":amount":{"N":"-1"},":min":{"N":"1"}}
              db.products.updateOne({ _id: 'product-1', stock: { $gte: 1 } }, { $inc: { stock: -1 } })
            take a box: "SET stock = if_not_exists(stock, :zero) + :amount" {":zero":{"N":"0"},":amount":{"N":"-12"},":min":{"N":"12"}}
              db.products.updateOne({ _id: 'product-1', stock: { $gte: 12 } }, { $inc: { stock: -12 } })
            take while any: "SET stock = if_not_exists(stock, :zero) + :amount" {":zero":{"N":"0"},":amount":{"N":"-1"},":min":{"N":"0"}}
              db.products.updateOne({ _id: 'product-1', stock: { $gt: 0 } }, { $inc: { stock: -1 } })
            keep non-negative: "SET stock = if_not_exists(stock, :zero) + :amount" {":zero":{"N":"0"},":amount":{"N":"100"},":min":{"N":"0"}}
              db.products.updateOne({ _id: 'product-1', stock: { $gte: 0 } }, { $inc: { stock: 100 } })
            capped: "SET #views = if_not_exists(#views, :zero) + :amount" {":zero":{"N":"0"},":amount":{"N":"1"},":max":{"N":"10"}}
              db.products.updateOne({ _id: 'product-1', views: { $lt: 10 } }, { $inc: { views: 1 } })
            count both: "SET stock = if_not_exists(stock, :zero) + :stockAmount, #views = if_not_exists(#views, :zero) + :viewsAmount" {":zero":{"N":"0"},":stockAmount":{"N":"100"},":viewsAmount":{"N":"100"}}
              db.products.updateOne({ _id: 'product-1' }, { $inc: { stock: 100, views: 100 } })
        "#]],
    );
}

/// Prints the partition key of every item each transaction writes or deletes (a pattern's
/// request, or the write it sends after a read).
fn check_transaction_keys(d: &Design, expect: Expect) {
    let layout = schemaplay_core::dynamo::layout(d);
    let mut text = String::new();
    for r in layout
        .requests
        .iter()
        .flat_map(|r| std::iter::once(r).chain(r.then.as_deref()))
        .filter(|r| r.operation == "TransactWriteItems")
    {
        let actions = r.input["input"]["TransactItems"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        let keys: Vec<String> = actions
            .iter()
            .flat_map(|a| a.as_object().into_iter().flat_map(|o| o.iter()))
            .map(|(action, body)| {
                let key = body.get("Item").or(body.get("Key")).map(|k| &k["PK"]["S"]);
                format!("{action} {}", key.and_then(|k| k.as_str()).unwrap_or("?"))
            })
            .collect();
        text.push_str(&format!("{}: {}\n", r.pattern, keys.join(", ")));
    }
    expect.assert_eq(&text);
}

#[test]
fn unique_markers_of_a_case_insensitive_field_hold_the_lowercased_value() {
    let user = r#"{"name": "User", "fields": [{"name": "userId", "type": "string", "example": "u1"}, {"name": "email", "type": "string", "unique": true, "example": "Ada@Example.COM"}, {"name": "handle", "type": "string", "unique": true, "example": "AdaL"}]}"#;
    let patterns = r#"{"name": "Sign up", "entity": "User", "kind": "insert"},
        {"name": "Sign in", "entity": "User", "kind": "getOne", "equality": ["email"], "caseInsensitive": true},
        {"name": "By handle", "entity": "User", "kind": "getOne", "equality": ["handle"]},
        {"name": "Close account", "entity": "User", "kind": "delete", "equality": ["userId"]}"#;
    check_transaction_keys(
        &design(user, "", patterns),
        expect![[r#"
        Sign up: Put USER#u1, Put USER_EMAIL#ada@example.com, Put USER_HANDLE#AdaL
        Close account: Delete USER#u1, Delete USER_EMAIL#ada@example.com, Delete USER_HANDLE#AdaL
    "#]],
    );
}

/// The rules that say why two layouts cannot agree on a design (the verifier's
/// `UNVERIFIABLE_RULES`): each fires on the design that shows it, and not on the same design
/// made servable.
#[test]
fn rules_for_designs_the_two_layouts_cannot_serve_alike() {
    // An update by a field several notes share; by the id it is fine.
    let note = r#"{"name": "Note", "id": "noteId", "fields": [{"name": "noteId", "type": "string", "required": true}, {"name": "tag", "type": "string", "required": true}, {"name": "text", "type": "string"}], "volume": 100}"#;
    let by = |field: &str| {
        format!(
            r#"{{"name": "Retag", "entity": "Note", "kind": "update", "equality": ["{field}"], "fields": ["text"], "requestsPerSecond": 1}}"#
        )
    };
    check_lints(
        &design(note, "", &by("tag")),
        "write-ambiguous",
        expect![[r#"
            warning [write-ambiguous] accessPatterns[0].equality: the update goes by tag, which several notes may share: which one it changes is each database's own choice (MongoDB's natural order, DynamoDB's key order), so the layouts can disagree; bind the id or a unique field
        "#]],
    );
    check_lints(
        &design(note, "", &by("noteId")),
        "write-ambiguous",
        expect![""],
    );

    // Lines embedded in their order with a code the client chooses, unique.
    let order = r#"{"name": "Order", "id": "orderId", "fields": [{"name": "orderId", "type": "string", "required": true}], "volume": 100},
        {"name": "Line", "id": "lineCode", "fields": [{"name": "lineCode", "type": "string", "required": true}, {"name": "qty", "type": "int", "required": true}], "volume": 300}"#;
    let lines = r#"{"from": "Order", "to": "Line", "cardinality": "oneToFew", "expectedCount": 3, "readTogether": true}"#;
    let get = r#"{"name": "Get order", "entity": "Order", "kind": "getOne", "equality": ["orderId"], "requestsPerSecond": 10}"#;
    check_lints(
        &design(order, lines, get),
        "embedded-unique-value",
        expect![[r#"
            warning [embedded-unique-value] entities[1]: lineCode of lines must be unique, but MongoDB and DynamoDB store them inside their parent: a unique index keeps a value unique across documents, not within one document's array, and a write into the parent's item takes no marker item; keep them in a collection (items) of their own, or let the writer make the values (ObjectIds, UUIDs)
        "#]],
    );
    let made = order.replace(
        r#""type": "string", "required": true}, {"name": "qty""#,
        r#""type": "uuid", "required": true}, {"name": "qty""#,
    );
    check_lints(
        &design(&made, lines, get),
        "embedded-unique-value",
        expect![""],
    );
}

#[test]
fn version_unkept_names_the_updates_that_leave_the_version_alone() {
    let mut d = common::example("saas");
    let mut rename = schemaplay_core::AccessPattern::new(
        "Rename task",
        "Task",
        schemaplay_core::PatternKind::Update,
    );
    rename.equality = vec!["taskId".into()];
    rename.fields = vec!["title".into()];
    d.access_patterns.push(rename);
    check_lints(
        &d,
        "version-",
        expect![[r#"
            warning [version-unkept] accessPatterns[13].version: "Move task" checks the version of a task and this update does not add one to it: a change made here goes unnoticed, and a versioned update that read the task before overwrites it (a lost update); keep the version here too ("version": "version")
        "#]],
    );
    // Versioned too, it keeps the version and the finding goes.
    if let Some(p) = d.access_patterns.last_mut() {
        p.version = Some("version".into());
    }
    check_lints(&d, "version-", expect![[""]]);
}

/// Users with posts listed by author (sorted by date) and read by their own id more often.
fn posts_design() -> Design {
    design(
        r#"{"name": "User", "id": "userId", "fields": [{"name": "userId", "type": "string"}], "volume": 1000},
           {"name": "Post", "id": "postId", "fields": [{"name": "postId", "type": "string"}, {"name": "authorId", "type": {"ref": "User"}, "required": true}, {"name": "at", "type": "date"}], "volume": 20000}"#,
        r#"{"from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 20, "field": "authorId"}"#,
        r#"{"name": "Posts of a user", "entity": "Post", "kind": "list", "equality": ["authorId"], "sort": {"field": "at", "order": "desc"}, "pageSize": 20, "requestsPerSecond": 10},
           {"name": "Get post", "entity": "Post", "kind": "getOne", "equality": ["postId"], "requestsPerSecond": 100}"#,
    )
}

#[test]
fn dynamo_placement_puts_children_where_the_user_picks() {
    let mut d = posts_design();
    check_keys(
        &d,
        expect![[r#"
            User: USER#<userId> / METADATA
            Post: POST#<postId> / METADATA; GSI1: USER#<authorId> / POST#<at>
            Posts of a user: Query on GSI1 GSI1PK = :pk
            Get post: GetItem 
        "#]],
    );
    d.dynamo
        .placements
        .insert("Post".into(), schemaplay_core::Placement::Parent);
    check_keys(
        &d,
        expect![[r#"
            User: USER#<userId> / METADATA
            Post: USER#<authorId> / POST#<at>#<postId>; GSI1: POST#<postId> / POST
            Posts of a user: Query PK = :pk AND begins_with(SK, :sk)
            Get post: Query on GSI1 GSI1PK = :pk
        "#]],
    );
}

#[test]
fn dynamo_sort_index_scope_follows_the_user() {
    // The user's sketch: posts in the user's partition keyed by id; the sort on `at` needs an index.
    let mut d = posts_design();
    d.dynamo.key_templates.insert(
        "Post".into(),
        schemaplay_core::KeyTemplate {
            pk: "USER#<authorId>".into(),
            sk: "POST#<postId>".into(),
        },
    );
    let posts = |d: &Design| {
        let layout = schemaplay_core::dynamo::layout(d);
        let r = layout
            .requests
            .iter()
            .find(|r| r.pattern == "Posts of a user");
        let index = r.and_then(|r| r.index.clone()).unwrap_or_default();
        let kind = layout
            .indexes
            .iter()
            .find(|i| i.name == index)
            .map(|i| i.kind.clone())
            .unwrap_or_default();
        format!("{index} {kind}")
    };
    assert_eq!(posts(&d), "GSI1 global");
    d.dynamo
        .sort_indexes
        .insert("Posts of a user".into(), schemaplay_core::IndexScope::Local);
    assert_eq!(posts(&d), "LSI1 local");
    d.dynamo.sort_indexes.insert(
        "Posts of a user".into(),
        schemaplay_core::IndexScope::Global,
    );
    assert_eq!(posts(&d), "GSI1 global");
}
