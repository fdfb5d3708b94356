//! Writes of several items at once: a transaction asked for one item, and
//! multi-item transactions of a pattern and the writes it names.

mod common;

use common::design;
use expect_test::{expect, Expect};
use schemaplay_core::{analyze, Design};

/// Prints each write pattern's DynamoDB operation, then the findings whose id starts with `prefix`.
fn check(d: &Design, prefix: &str, expect: Expect) {
    let analysis = analyze(d);
    let mut text = String::new();
    for r in &analysis.dynamo.requests {
        if d.access_patterns
            .iter()
            .any(|p| p.name == r.pattern && p.kind.is_write())
        {
            text.push_str(&format!("{}: {}\n", r.pattern, r.operation));
        }
    }
    for f in analysis
        .findings
        .iter()
        .filter(|f| f.id.starts_with(prefix))
    {
        text.push_str(&format!("{} [{}] {f}\n", f.severity, f.id));
    }
    expect.assert_eq(&text);
}

const ACCOUNT: &str = r#"{"name": "Account", "id": "accountId", "fields": [{"name": "accountId", "type": "string", "required": true}, {"name": "email", "type": "string", "unique": true}, {"name": "balance", "type": "int"}], "volume": 1000}"#;

#[test]
fn a_transaction_of_one_item_is_one_conditional_write() {
    let d = design(
        ACCOUNT,
        "",
        r#"{"name": "Withdraw", "entity": "Account", "kind": "update", "equality": ["accountId"], "fields": ["balance"], "update": "increment", "condition": {"field": "balance", "op": "ge", "value": 0}, "transactional": true, "requestsPerSecond": 1},
           {"name": "Open account", "entity": "Account", "kind": "insert", "transactional": true, "requestsPerSecond": 1},
           {"name": "Close account", "entity": "Account", "kind": "delete", "equality": ["accountId"], "requestsPerSecond": 1}"#,
    );
    // The insert keeps its transaction: the layout writes a marker item for the unique email.
    check(
        &d,
        "single-item",
        expect![[r#"
            Withdraw: UpdateItem
            Open account: TransactWriteItems
            Close account: GetItem
            info [single-item-transaction] accessPatterns[0].transactional: "Withdraw" asks for a transaction but writes one item: a single-item write is atomic on its own in both databases, so it stays one conditional UpdateItem with its condition on balance (a one-action TransactWriteItems would cost twice the write units for the same guarantee; a MongoDB single-document write needs no session); name the other writes that must succeed or fail with it in the pattern's transaction
        "#]],
    );
}

const SHOP: &str = r#"{"name": "Order", "id": "orderId", "fields": [{"name": "orderId", "type": "string", "required": true}, {"name": "total", "type": "int"}], "volume": 1000},
    {"name": "Product", "id": "productId", "fields": [{"name": "productId", "type": "string", "required": true}, {"name": "stock", "type": "int"}], "volume": 100}"#;

fn shop(place_order: &str) -> Design {
    design(
        SHOP,
        "",
        &format!(
            r#"{place_order},
               {{"name": "Take stock", "entity": "Product", "kind": "update", "equality": ["productId"], "fields": ["stock"], "update": "increment", "condition": {{"field": "stock", "op": "ge", "value": 1}}, "requestsPerSecond": 1}},
               {{"name": "Get product", "entity": "Product", "kind": "getOne", "equality": ["productId"], "requestsPerSecond": 1}}"#
        ),
    )
}

#[test]
fn a_multi_item_write_is_one_transaction_in_both_layouts() {
    let d = shop(
        r#"{"name": "Place order", "entity": "Order", "kind": "insert", "transaction": [{"pattern": "Take stock", "count": 2}], "requestsPerSecond": 1}"#,
    );
    let analysis = analyze(&d);
    let dynamo = &analysis.dynamo.requests[0];
    let actions: Vec<String> = dynamo.input["input"]["TransactItems"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|a| {
            let (kind, body) = a.as_object().and_then(|o| o.iter().next()).unwrap();
            let key = match body.get("Key") {
                Some(key) => key.to_string(),
                None => format!("item {}", body["Item"]["PK"]),
            };
            format!("{kind} {key} {}", body["ConditionExpression"])
        })
        .collect();
    let mongo = &analysis.mongo.queries[0];
    let cost = analysis
        .cost
        .patterns
        .iter()
        .find(|c| c.pattern == "Place order")
        .map(|c| c.write_units_per_request);
    expect![[r#"
        TransactWriteItems, 3 items, 6 WCU
        Put item {"S":"ORDER#order-1"} "attribute_not_exists(PK)"
        Update {"PK":{"S":"PRODUCT#product-1"},"SK":{"S":"METADATA"}} "attribute_exists(PK) AND stock >= :min"
        Update {"PK":{"S":"PRODUCT#product-2"},"SK":{"S":"METADATA"}} "attribute_exists(PK) AND stock >= :min"
        // one multi-document transaction: every write below or none
        const session = db.getMongo().startSession()
        session.withTransaction(() => {
          const tx = session.getDatabase(db.getName())
          // Place order
          tx.orders.insertOne({ _id: 'order-1', total: 79 })
          // Take stock
          if (tx.products.updateOne({ _id: 'product-1', stock: { $gte: 1 } }, { $inc: { stock: -1 } }).matchedCount !== 1) throw new Error('Take stock: nothing matched')
          // Take stock
          if (tx.products.updateOne({ _id: 'product-2', stock: { $gte: 1 } }, { $inc: { stock: -1 } }).matchedCount !== 1) throw new Error('Take stock: nothing matched')
        })
        session.endSession()
    "#]]
    .assert_eq(&format!(
        "{}, {} items, {} WCU\n{}\n{}\n",
        dynamo.operation,
        dynamo.items,
        cost.unwrap_or_default(),
        actions.join("\n"),
        mongo.shell
    ));
}

#[test]
fn a_transaction_over_100_actions_is_a_finding_with_its_numbers() {
    let d = shop(
        r#"{"name": "Place order", "entity": "Order", "kind": "insert", "transaction": [{"pattern": "Take stock", "count": 100}], "requestsPerSecond": 1}"#,
    );
    check(
        &d,
        "dynamo-transaction",
        expect![[r#"
            Place order: TransactWriteItems
            Take stock: UpdateItem
            warning [dynamo-transaction-limit] accessPatterns[0].transaction: one "Place order" is its own write and 100 × "Take stock": 101 actions of 7261 bytes in all, where a TransactWriteItems takes at most 100 actions and 4 MB (4194304 bytes); DynamoDB refuses it with a ValidationException: make fewer parts per transaction, or split the write into transactions the application can resume
        "#]],
    );
}

/// The findings reading a design gives, one a line, or `read`.
fn read(json: &str) -> String {
    match Design::from_json(json) {
        Ok(_) => "read".to_string(),
        Err(findings) => findings
            .iter()
            .map(|f| format!("[{}] {f}\n", f.id))
            .collect(),
    }
}

#[test]
fn transaction_parts_name_other_write_patterns() {
    let json = r#"{"formatVersion": 1, "name": "t", "entities": [{"name": "Order", "fields": [{"name": "orderId", "type": "string"}]}],
      "accessPatterns": [
        {"name": "Place order", "entity": "Order", "kind": "insert", "transaction": [{"pattern": "Ghost"}, {"pattern": "Get order"}, {"pattern": "Place order"}, {"pattern": "Cancel", "count": 0}, {"pattern": "Nested"}]},
        {"name": "Get order", "entity": "Order", "kind": "getOne", "equality": ["orderId"], "transaction": [{"pattern": "Cancel"}]},
        {"name": "Cancel", "entity": "Order", "kind": "delete", "equality": ["orderId"]},
        {"name": "Nested", "entity": "Order", "kind": "delete", "equality": ["orderId"], "transaction": [{"pattern": "Cancel"}]}
      ]}"#;
    let text = read(json);
    expect![[r#"
        [unknown-pattern] accessPatterns[0].transaction[0].pattern: no access pattern is named "Ghost"
        [transaction-part] accessPatterns[0].transaction[1].pattern: "Get order" is a getOne: only writes (insert, update, delete) join a transaction
        [transaction-part] accessPatterns[0].transaction[2].pattern: "Place order" is the pattern itself: its own write is in the transaction already
        [transaction-part] accessPatterns[0].transaction[3].count: 0 writes of "Cancel": a transaction makes from 1 to 100
        [transaction-part] accessPatterns[0].transaction[4].pattern: "Nested" has a transaction of its own: transactions do not nest
        [transaction-of-a-read] accessPatterns[1].transaction: "Get order" reads: only a write (insert, update, delete) can run a transaction
    "#]].assert_eq(&text);
    let bad = r#"{"formatVersion": 1, "name": "t", "entities": [{"name": "Order", "fields": []}],
      "accessPatterns": [{"name": "P", "entity": "Order", "kind": "insert", "transaction": [{"pattern": 3, "count": -1, "colour": 1}, "x"]}]}"#;
    let text = read(bad);
    expect![[r#"
        [schema] accessPatterns[0].transaction[0].colour: unknown key "colour" (expected one of "pattern", "count")
        [schema] accessPatterns[0].transaction[0].pattern: expected a string, found the number 3
        [schema] accessPatterns[0].transaction[0].count: expected a whole number of zero or more, found the number -1
        [schema] accessPatterns[0].transaction[1]: expected an object, found the string "x"
    "#]].assert_eq(&text);
}

#[test]
fn a_renamed_or_deleted_part_is_followed() {
    let mut d = shop(
        r#"{"name": "Place order", "entity": "Order", "kind": "insert", "transaction": [{"pattern": "Take stock", "count": 2}], "requestsPerSecond": 1}"#,
    );
    if let Some(p) = d.access_patterns.get_mut(1) {
        p.name = "Reserve".into();
    }
    d.rename_transaction_parts("Take stock", "Reserve");
    assert_eq!(
        d.access_patterns[0].transaction,
        vec![schemaplay_core::TransactionPart::new("Reserve", 2)]
    );
    assert!(
        schemaplay_core::validate(&d).is_empty(),
        "{:?}",
        schemaplay_core::validate(&d)
    );
    d.forget_transaction_parts("Reserve");
    assert_eq!(d.access_patterns[0].transaction, Vec::new());
}
