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
