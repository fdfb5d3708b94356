//! How the DynamoDB layout writes, each rule with a named case: writes guarded so they never
//! create an item, updates that rewrite the index keys their fields are part of, writes that
//! read their item first (found through an index, moved to a new key, a unique value's marker
//! moved, markers deleted with the item), marker items for ids the client chooses, the
//! BatchGetItem after a many-to-many Query, and what each write costs.

mod common;

use common::{design, example, pattern, record, text};
use expect_test::{expect, Expect};
use schemaplay_core::dynamo::{layout, request_units, Args, DynamoContext, DynamoRequest};
use schemaplay_core::sample::Val;
use schemaplay_core::Design;
use serde_json::{json, Value};

/// One line per request: the operation, then what it does (key, expressions, transaction
/// actions with their keys).
fn show(r: &DynamoRequest) -> String {
    let input = &r.input["input"];
    let mut out = r.operation.clone();
    let key = |v: &Value| {
        let k = v.get("Key").or(v.get("Item")).unwrap_or(&Value::Null);
        format!(
            "{}/{}",
            k["PK"]["S"].as_str().unwrap_or("?"),
            k["SK"]["S"].as_str().unwrap_or("?")
        )
    };
    if let Some(actions) = input["TransactItems"].as_array() {
        for a in actions.iter().filter_map(Value::as_object) {
            for (verb, body) in a {
                out.push_str(&format!("\n  {verb} {}", key(body)));
                for e in ["UpdateExpression", "ConditionExpression"] {
                    if let Some(x) = body[e].as_str() {
                        out.push_str(&format!(" | {x}"));
                    }
                }
            }
        }
        return out;
    }
    if let Some(tables) = input["RequestItems"].as_object() {
        for t in tables.values() {
            let keys = t["Keys"].as_array().cloned().unwrap_or_default();
            out.push_str(&format!(
                " {} keys, first {}",
                keys.len(),
                key(&json!({ "Key": keys.first() }))
            ));
        }
        return out;
    }
    if input.get("Key").is_some() {
        out.push_str(&format!(" {}", key(input)));
    }
    for e in [
        "KeyConditionExpression",
        "UpdateExpression",
        "ConditionExpression",
    ] {
        if let Some(x) = input[e].as_str() {
            out.push_str(&format!(" | {x}"));
        }
    }
    if let Some(values) = input["ExpressionAttributeValues"].as_object() {
        let shown: Vec<String> = values
            .iter()
            .map(|(k, v)| {
                format!(
                    "{k}={}",
                    v.as_object()
                        .and_then(|o| o.values().next())
                        .unwrap_or(&Value::Null)
                )
            })
            .collect();
        out.push_str(&format!(" | {}", shown.join(" ")));
    }
    out
}

/// The layout's request of each named pattern, and the one it sends next.
fn check_layout(d: &Design, names: &[&str], expect: Expect) {
    let l = layout(d);
    let mut out = String::new();
    for name in names {
        let Some(r) = l.requests.iter().find(|r| r.pattern == *name) else {
            out.push_str(&format!("{name}: none\n"));
            continue;
        };
        out.push_str(&format!("{name}: {}\n", show(r)));
        if let Some(then) = &r.then {
            out.push_str(&format!("  then {}\n", show(then)));
        }
    }
    expect.assert_eq(&out);
}

/// What a pattern sends, rendered from `args`, then from the first request's `answer`.
fn check_two_steps(d: &Design, name: &str, args: &Val, answer: Value, expect: Expect) {
    let ctx = DynamoContext::new(d);
    let p = pattern(d, name);
    let mut out = match ctx.request_for(&p, Args::new(args)) {
        Some(r) => format!("{}\n", show(&r)),
        None => "none\n".to_string(),
    };
    for r in ctx.next_requests(&p, Args::new(args), &answer) {
        out.push_str(&format!("then {}\n", show(&r)));
    }
    expect.assert_eq(&out);
}

#[test]
fn writes_never_create_the_item_they_write() {
    // An UpdateItem of a missing key creates a fragment item with no type and no index keys,
    // where MongoDB's updateOne matches nothing: every update and delete is guarded, and so is
    // a write to children stored in their parent's item.
    check_layout(
        &example("user-app"),
        &["Rename user", "Add to balance", "Add comment"],
        expect![[r#"
            Rename user: UpdateItem USER#507f1f77bcf86cd799439011/PROFILE | SET #name = :name | attribute_exists(PK) | :name="John Doe"
            Add to balance: UpdateItem USER#507f1f77bcf86cd799439011/PROFILE | SET balance = if_not_exists(balance, :zero) + :amount | attribute_exists(PK) AND balance >= :min | :zero="0" :amount="100" :min="0"
            Add comment: UpdateItem POST#63b0cd0019a722d826000000/METADATA | SET comments = list_append(if_not_exists(comments, :empty), :new) | attribute_exists(PK) | :empty=[] :new=[{"M":{"author":{"S":"Alice"},"text":{"S":"Great!"},"createdAt":{"S":"2023-04-21T01:47:55.000Z"}}}]
        "#]],
    );
    check_layout(
        &example("chat"),
        &["Touch last seen", "React to a message"],
        expect![[r#"
            Touch last seen: UpdateItem USER#63b0cd00f001b893d3000000/PROFILE | SET lastSeenAt = :lastSeenAt | attribute_exists(PK) | :lastSeenAt="2025-02-23T19:21:42.000Z"
            React to a message: UpdateItem ROOM#63b0cd002bef51d9bb000000/MESSAGE#2023-01-21T11:36:31.000Z#63b0cd0071a5975b05000000 | SET reactions = list_append(if_not_exists(reactions, :empty), :new) | attribute_exists(PK) | :empty=[] :new=[{"M":{"userId":{"S":"63b0cd00f001b893d3000000"},"emoji":{"S":"travel"}}}]
        "#]],
    );
}

#[test]
fn an_update_rewrites_the_index_keys_its_fields_are_part_of() {
    // "Ship order" sets status while orders are listed under GSI2PK = STATUS#<status>: the
    // update rewrites GSI2PK with it (the sort key, ORDER#<createdAt>, does not change).
    check_layout(
        &example("ecommerce"),
        &["Ship order"],
        expect![[r#"
            Ship order: UpdateItem ORDER#e2ddc475-8b9a-452b-954b-d0dcd2b5504d/METADATA | SET #status = :status, GSI2PK = :gsi2pk | attribute_exists(PK) AND #status = :expected | :status="pending" :gsi2pk="STATUS#pending" :expected="pending"
        "#]],
    );
    // Repricing rewrites the sort key of the category index (CATEGORY#<category> /
    // PRODUCT#<price>); the category is unknown to the update and unchanged, so the product
    // stays in the index (it was taken out of it when its category was judged missing).
    let d = design(
        r#"{"name": "Product", "id": "productId", "volume": 100, "fields": [
            {"name": "productId", "type": "string", "required": true, "example": "p-1"},
            {"name": "category", "type": "string", "required": true},
            {"name": "price", "type": "decimal", "required": true, "example": "9.50"}]}"#,
        "",
        r#"{"name": "Cheapest", "entity": "Product", "kind": "list", "equality": ["category"], "sort": {"field": "price"}},
           {"name": "Reprice", "entity": "Product", "kind": "update", "equality": ["productId"], "fields": ["price"]}"#,
    );
    check_two_steps(
        &d,
        "Reprice",
        &record(&[
            ("productId", text("p-7")),
            ("price", Val::Decimal("12.25".into())),
        ]),
        Value::Null,
        expect![[r#"
            UpdateItem PRODUCT#p-7/METADATA | SET price = :price, GSI1SK = :gsi1sk | attribute_exists(PK) | :price="12.25" :gsi1sk="PRODUCT#0000000000000000012.25"
        "#]],
    );
    // "Move task" goes by taskId, which is not the key (PROJECT#<projectId> / TASK#<dueDate>#
    // <taskId>): it finds the item through GSI2, then updates it by the key it found, and
    // rewrites GSI1PK = MEMBER#<assigneeId>#STATUS#<status> with the assignee the item holds.
    let d = example("saas");
    let task = |assignee: Option<&str>| {
        let mut item = json!({
            "PK": {"S": "PROJECT#p-1"}, "SK": {"S": "TASK#2024-05-01T00:00:00.000Z#t-1"},
            "entityType": {"S": "Task"}, "taskId": {"S": "t-1"}, "projectId": {"S": "p-1"},
            "title": {"S": "Write"}, "status": {"S": "open"}, "dueDate": {"S": "2024-05-01T00:00:00.000Z"}
        });
        if let Some(a) = assignee {
            item["assigneeId"] = json!({"S": a});
            item["GSI1PK"] = json!({"S": format!("MEMBER#{a}#STATUS#open")});
        }
        json!({ "Items": [item], "Count": 1 })
    };
    let args = record(&[("taskId", text("t-1")), ("status", text("done"))]);
    check_two_steps(
        &d,
        "Move task",
        &args,
        task(Some("m-9")),
        expect![[r#"
            Query | GSI2PK = :pk AND begins_with(GSI2SK, :sk) | :pk="TASK#t-1" :sk="TASK"
            then UpdateItem PROJECT#p-1/TASK#2024-05-01T00:00:00.000Z#t-1 | SET #status = :status, version = version + :one, GSI1PK = :gsi1pk | attribute_exists(PK) AND version = :expected | :status="done" :one="1" :gsi1pk="MEMBER#m-9#STATUS#done" :expected="1"
        "#]],
    );
    // A task with no assignee is in no GSI1 partition, before or after.
    check_two_steps(
        &d,
        "Move task",
        &args,
        task(None),
        expect![[r#"
            Query | GSI2PK = :pk AND begins_with(GSI2SK, :sk) | :pk="TASK#t-1" :sk="TASK"
            then UpdateItem PROJECT#p-1/TASK#2024-05-01T00:00:00.000Z#t-1 | SET #status = :status, version = version + :one REMOVE GSI1PK | attribute_exists(PK) AND version = :expected | :status="done" :one="1" :expected="1"
        "#]],
    );
    // A task that does not exist is not written.
    check_two_steps(
        &d,
        "Move task",
        &args,
        json!({ "Items": [], "Count": 0 }),
        expect![[r#"
            Query | GSI2PK = :pk AND begins_with(GSI2SK, :sk) | :pk="TASK#t-1" :sk="TASK"
        "#]],
    );
}

const USER: &str = r#"{"name": "User", "id": "userId", "volume": 1000, "fields": [
    {"name": "userId", "type": "string", "required": true},
    {"name": "email", "type": "string", "required": true, "unique": true},
    {"name": "bio", "type": "string"}]}"#;
const POST: &str = r#"{"name": "Post", "id": "postId", "volume": 20000, "fields": [
    {"name": "postId", "type": "objectId", "required": true},
    {"name": "authorId", "type": {"ref": "User"}, "required": true},
    {"name": "title", "type": "string", "required": true},
    {"name": "publishedAt", "type": "date", "required": true}]}"#;

#[test]
fn an_update_of_a_key_field_moves_the_item() {
    // Posts live in their author's partition sorted by publishedAt: rescheduling one changes
    // its sort key, which DynamoDB cannot update. The item is read (found by its id through an
    // index), then deleted where it was and put under its new key in one transaction.
    let d = design(
        &format!("{USER}, {POST}"),
        r#"{"from": "User", "to": "Post", "cardinality": "oneToMany", "expectedCount": 20, "field": "authorId"}"#,
        r#"{"name": "Posts of a user", "entity": "Post", "kind": "list", "equality": ["authorId"], "sort": {"field": "publishedAt", "order": "desc"}, "requestsPerSecond": 10},
           {"name": "Reschedule post", "entity": "Post", "kind": "update", "equality": ["postId"], "fields": ["publishedAt"], "requestsPerSecond": 1}"#,
    );
    let answer = json!({ "Items": [{
        "PK": {"S": "USER#u-1"}, "SK": {"S": "POST#2024-01-01T00:00:00.000Z#65a0000000000000000000aa"},
        "GSI1PK": {"S": "POST#65a0000000000000000000aa"}, "GSI1SK": {"S": "POST"},
        "entityType": {"S": "Post"}, "postId": {"S": "65a0000000000000000000aa"},
        "authorId": {"S": "u-1"}, "title": {"S": "Hello"}, "publishedAt": {"S": "2024-01-01T00:00:00.000Z"}
    }]});
    let args = record(&[
        ("postId", Val::ObjectId("65a0000000000000000000aa".into())),
        ("publishedAt", Val::Date(1_735_689_600_000)),
    ]);
    check_two_steps(
        &d,
        "Reschedule post",
        &args,
        answer,
        expect![[r#"
            Query | GSI1PK = :pk | :pk="POST#65a0000000000000000000aa"
            then TransactWriteItems
              Delete USER#u-1/POST#2024-01-01T00:00:00.000Z#65a0000000000000000000aa | attribute_exists(PK)
              Put USER#u-1/POST#2025-01-01T00:00:00.000Z#65a0000000000000000000aa | attribute_not_exists(PK)
        "#]],
    );
}

#[test]
fn a_unique_value_moves_its_marker_and_a_delete_takes_the_markers_the_item_names() {
    let d = design(
        USER,
        "",
        r#"{"name": "Get user", "entity": "User", "kind": "getOne", "equality": ["userId"]},
           {"name": "Change email", "entity": "User", "kind": "update", "equality": ["userId"], "fields": ["email"]},
           {"name": "Close account", "entity": "User", "kind": "delete", "equality": ["userId"]}"#,
    );
    let item = json!({ "Item": {
        "PK": {"S": "USER#u-1"}, "SK": {"S": "PROFILE"}, "entityType": {"S": "User"},
        "userId": {"S": "u-1"}, "email": {"S": "old@example.com"}
    }});
    // The old value's marker comes from the item read first, the new one is put on the
    // condition that no one holds it.
    check_two_steps(
        &d,
        "Change email",
        &record(&[("userId", text("u-1")), ("email", text("new@example.com"))]),
        item.clone(),
        expect![[r#"
            GetItem USER#u-1/PROFILE
            then TransactWriteItems
              Update USER#u-1/PROFILE | SET email = :email | attribute_exists(PK)
              Delete USER_EMAIL#old@example.com/USER_EMAIL#old@example.com
              Put USER_EMAIL#new@example.com/USER_EMAIL#new@example.com | attribute_not_exists(PK)
        "#]],
    );
    // The delete's arguments hold only the id: the markers are named by the item read.
    check_two_steps(
        &d,
        "Close account",
        &record(&[("userId", text("u-1"))]),
        item,
        expect![[r#"
            GetItem USER#u-1/PROFILE
            then TransactWriteItems
              Delete USER#u-1/PROFILE | attribute_exists(PK)
              Delete USER_EMAIL#old@example.com/USER_EMAIL#old@example.com
        "#]],
    );
}

#[test]
fn an_id_the_client_chooses_gets_a_marker_when_the_key_holds_more() {
    // Tasks live at PROJECT#<projectId> / TASK#<dueDate>#<taskId>: attribute_not_exists(PK)
    // guards only that exact key, so a taken taskId with another due date went in. Text ids
    // are the client's choice: the insert puts a marker for the id too. Message ids are
    // ObjectIds, made new by every writer: no marker.
    check_layout(
        &example("saas"),
        &["Create task"],
        expect![[r#"
            Create task: TransactWriteItems
              Put PROJECT#project-1/TASK#2023-02-01T08:25:58.000Z#task-1 | attribute_not_exists(PK)
              Put TASK_TASK_ID#task-1/TASK_TASK_ID#task-1 | attribute_not_exists(PK)
        "#]],
    );
    check_layout(
        &example("chat"),
        &["Post message"],
        expect![[r#"
            Post message: PutItem | attribute_not_exists(PK)
        "#]],
    );
}

#[test]
fn a_many_to_many_read_fetches_the_items_its_links_name() {
    // The link items hold only ids: a BatchGetItem (100 keys at most) fetches the members.
    let d = example("saas");
    let link = |i: usize| {
        json!({
            "PK": {"S": "PROJECT#p-1"}, "SK": {"S": format!("MEMBER#m-{i}")},
            "entityType": {"S": "Project/Member"}, "projectId": {"S": "p-1"}, "memberId": {"S": format!("m-{i}")}
        })
    };
    let args = record(&[("projectId", text("p-1"))]);
    let pages = [
        (
            3,
            expect![[r#"
                Query | PK = :pk AND begins_with(SK, :sk) | :pk="PROJECT#p-1" :sk="MEMBER#"
                then BatchGetItem 3 keys, first MEMBER#m-0/PROFILE
            "#]],
        ),
        (
            150,
            expect![[r#"
                Query | PK = :pk AND begins_with(SK, :sk) | :pk="PROJECT#p-1" :sk="MEMBER#"
                then BatchGetItem 100 keys, first MEMBER#m-0/PROFILE
                then BatchGetItem 50 keys, first MEMBER#m-100/PROFILE
            "#]],
        ),
    ];
    for (n, expected) in pages {
        let answer = json!({ "Items": (0..n).map(link).collect::<Vec<_>>() });
        check_two_steps(&d, "Members of a project", &args, answer, expected);
    }
}

/// The units of the named patterns' requests, with how they were counted.
fn check_units(d: &Design, names: &[&str], expect: Expect) {
    let l = layout(d);
    let mut out = String::new();
    for name in names {
        if let Some(r) = l.requests.iter().find(|r| r.pattern == *name) {
            let u = request_units(r);
            out.push_str(&format!(
                "{name}: {} RCU, {} WCU: {}\n",
                u.read, u.write, u.explanation
            ));
        }
    }
    expect.assert_eq(&out);
}

#[test]
fn each_item_a_write_writes_is_counted_on_its_own() {
    // A 1.5 KB user costs two write units and its email marker one, in a transaction twice:
    // 6. Averaged into one item of (1,500 + 100) / 2 bytes it counted 4.
    let d = design(
        r#"{"name": "User", "id": "userId", "volume": 1000, "fields": [
            {"name": "userId", "type": "string", "required": true, "example": "u-1"},
            {"name": "email", "type": "string", "required": true, "unique": true, "example": "ada@example.com"},
            {"name": "bio", "type": "string", "required": true, "generator": "paragraph"},
            {"name": "about", "type": "string", "required": true, "generator": "paragraph"},
            {"name": "story", "type": "string", "required": true, "generator": "paragraph"},
            {"name": "notes", "type": "string", "required": true, "generator": "paragraph"}]}"#,
        "",
        r#"{"name": "Sign up", "entity": "User", "kind": "insert", "requestsPerSecond": 1},
           {"name": "Get user", "entity": "User", "kind": "getOne", "equality": ["userId"]}"#,
    );
    let l = layout(&d);
    let bytes = l
        .entities
        .iter()
        .find(|e| e.entity == "User")
        .map(|e| e.average_item_bytes);
    assert!(bytes.is_some_and(|b| b > 1024 && b <= 2048), "{bytes:?}");
    let sign_up = l.requests.iter().find(|r| r.pattern == "Sign up");
    assert_eq!(sign_up.map(|r| request_units(r).write), Some(6.0));
    // An update that changes an index key writes that index twice (out of the old key, into
    // the new one): Ship order's item goes to GSI2 under a new status, and is rewritten in
    // the other index it is in.
    check_units(
        &example("ecommerce"),
        &["Ship order", "Reserve stock"],
        expect![[r#"
            Ship order: 0 RCU, 4 WCU: an item of 660 bytes: 1 unit(s) and 3 index write(s), 4: 4 write unit(s)
            Reserve stock: 0 RCU, 3 WCU: an item of 221 bytes: 1 unit(s) and 2 index write(s), 3: 3 write unit(s)
        "#]],
    );
    // A write after a read costs both.
    check_units(
        &example("saas"),
        &["Move task"],
        expect![[r#"
            Move task: 0.5 RCU, 4 WCU: 1 item(s), 316 bytes in all, rounded up to 4 KB: 0.5 read unit(s), eventually consistent, half price; then UpdateItem: an item of 316 bytes: 1 unit(s) and 3 index write(s), 4: 4 write unit(s)
        "#]],
    );
}

#[test]
fn storage_counts_the_overhead_the_index_copies_and_the_markers() {
    // DynamoDB bills every item with 100 bytes of overhead, a global index's copy of each item
    // it holds (projected whole) with 100 more, and marker items as items of their own.
    use schemaplay_core::dynamo::{index_bytes, table_bytes};
    let d = design(
        USER,
        "",
        r#"{"name": "Get user", "entity": "User", "kind": "getOne", "equality": ["userId"]},
           {"name": "By email", "entity": "User", "kind": "getOne", "equality": ["email"]}"#,
    );
    let l = layout(&d);
    let user = l.entities.iter().find(|e| e.entity == "User");
    let bytes = user.map_or(0, |u| u.average_item_bytes);
    assert_eq!(user.map(|u| u.index_keys.len()), Some(1));
    // 1,000 users, each with an email marker of about 80 bytes.
    assert_eq!(
        table_bytes(&d, &l),
        1000 * (bytes + 100) + 1000 * (80 + 100)
    );
    assert_eq!(index_bytes(&d, &l), 1000 * (bytes + 100));
    // The cost report bills both.
    let gb = schemaplay_core::analyze(&d).cost.storage_gb;
    let expected = (table_bytes(&d, &l) + index_bytes(&d, &l)) as f64 / 1e9;
    assert!(
        (gb - (expected * 1000.0).round() / 1000.0).abs() < 1e-9,
        "{gb} {expected}"
    );
}

#[test]
fn an_update_of_the_expiry_date_rewrites_the_ttl_in_the_same_update() {
    // Sessions expire an hour after `lastActiveAt` (DynamoDB TTL): "Touch session" sets the
    // date, so the same UpdateItem rewrites `ttl` (epoch seconds); "Rename session" leaves it.
    let d = design(
        r#"{"name": "Session", "id": "sessionId", "ttl": {"field": "lastActiveAt", "afterSeconds": 3600},
            "fields": [{"name": "sessionId", "type": "string", "required": true},
                       {"name": "label", "type": "string"},
                       {"name": "lastActiveAt", "type": "date", "required": true}]}"#,
        "",
        r#"{"name": "Touch session", "entity": "Session", "kind": "update", "equality": ["sessionId"], "fields": ["lastActiveAt"]},
           {"name": "Rename session", "entity": "Session", "kind": "update", "equality": ["sessionId"], "fields": ["label"]}"#,
    );
    let touched = record(&[
        ("sessionId", Val::Str("s-1".into())),
        ("lastActiveAt", Val::Date(1_700_000_000_000)),
    ]);
    check_two_steps(
        &d,
        "Touch session",
        &touched,
        Value::Null,
        expect![[r#"
            UpdateItem SESSION#s-1/METADATA | SET lastActiveAt = :lastActiveAt, #ttl = :ttl | attribute_exists(PK) | :lastActiveAt="2023-11-14T22:13:20.000Z" :ttl="1700003600"
        "#]],
    );
    check_layout(
        &d,
        &["Rename session"],
        expect![[r#"
            Rename session: UpdateItem SESSION#session-1/METADATA | SET label = :label | attribute_exists(PK) | :label="garden"
        "#]],
    );
    let sdk = layout(&d)
        .requests
        .iter()
        .find(|r| r.pattern == "Touch session")
        .map(|r| r.sdk.clone())
        .unwrap_or_default();
    assert!(
        sdk.contains("UpdateExpression: 'SET lastActiveAt = :lastActiveAt, #ttl = :ttl'")
            && sdk.contains("'#ttl': 'ttl'"),
        "{sdk}"
    );
}
