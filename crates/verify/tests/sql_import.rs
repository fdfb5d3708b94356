//! Every SQL import fixture (`crates/core/tests/fixtures/sql/*.sql`) imported and verified: a
//! design imported from SQL verifies clean, its composite primary keys (`order_items(order_id,
//! line_no)`, keyed `ORDER#<orderId>` / `LINE#<lineNo>`) identifying records together.

use std::path::Path;

use schemaplay_core::{import, AccessPattern};
use schemaplay_verify::{verify, Db, Options};
use serde_json::json;

fn fixtures() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/sql");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "sql").then_some(path)
        })
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            (path.display().to_string(), text)
        })
        .collect();
    out.sort();
    out
}

/// A write pattern of the order lines, bound by their composite key where it looks one up.
fn line_write(name: &str, kind: &str, fields: &[&str]) -> AccessPattern {
    let mut pattern = json!({
        "name": name,
        "entity": "OrderItem",
        "kind": kind,
        "fields": fields,
        "requestsPerSecond": 1,
    });
    if kind != "insert" {
        pattern["equality"] = json!(["orderId", "lineNo"]);
    }
    serde_json::from_value(pattern).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// With writes of the order lines, an insert sometimes takes a pair already there: both
/// databases refuse it as the reference does (DynamoDB's condition on the key, MongoDB's
/// compound unique index).
#[test]
fn inserts_of_a_taken_composite_key_are_refused_everywhere() {
    for (name, sql) in fixtures() {
        let mut design = import::sql(&sql).design;
        design.access_patterns.extend([
            line_write("Add an order line", "insert", &[]),
            line_write("Change a line's quantity", "update", &["quantity"]),
            line_write("Remove an order line", "delete", &[]),
        ]);
        verify_clean(&name, &design, 2000);
    }
}

/// Verifies a design with seeds 1 to 3: clean, no gap, and at least a fifth of the steps
/// compared on each database.
fn verify_clean(name: &str, design: &schemaplay_core::Design, steps: usize) {
    for seed in 1..=3 {
        let report = verify(
            design,
            &Options {
                seed,
                steps,
                ..Options::default()
            },
        );
        assert!(report.is_clean(), "{name}, seed {seed}:\n{report}");
        assert!(report.gaps.is_empty(), "{name}, seed {seed}:\n{report}");
        for db in Db::ALL {
            assert!(
                report
                    .compared
                    .iter()
                    .any(|(d, n)| *d == db && *n > steps / 5),
                "{name}: {:?}",
                report.compared
            );
        }
    }
}

#[test]
fn every_sql_fixture_verifies_clean() {
    let fixtures = fixtures();
    assert!(fixtures.len() >= 2, "{fixtures:?}");
    for (name, sql) in fixtures {
        let design = import::sql(&sql).design;
        assert!(
            !design.dynamo.key_templates.is_empty(),
            "{name}: no composite key to verify"
        );
        verify_clean(&name, &design, 1500);
    }
}
