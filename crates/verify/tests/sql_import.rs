//! Every SQL import fixture (`crates/core/tests/fixtures/sql/*.sql`) imported and verified: a
//! design imported from SQL verifies clean, its composite primary keys (`order_items(order_id,
//! line_no)`, keyed `ORDER#<orderId>` / `LINE#<lineNo>`) identifying records together.

use std::path::Path;

use schemaplay_core::import;
use schemaplay_verify::{verify, Options};

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
        for seed in 1..=3 {
            let options = Options {
                seed,
                steps: 1500,
                ..Options::default()
            };
            let report = verify(&design, &options);
            assert!(report.is_clean(), "{name}, seed {seed}:\n{report}");
            assert!(report.gaps.is_empty(), "{name}, seed {seed}:\n{report}");
        }
    }
}
