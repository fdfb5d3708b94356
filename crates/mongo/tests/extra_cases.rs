//! Runs the audit cases in `tests/cases/` (MongoDB Manual examples and jstests behaviours that the
//! shared conformance set touches lightly) and requires every one of them to pass.

use std::path::PathBuf;

#[test]
fn extra_mongo_cases_all_pass() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no .json case files in {}",
        dir.display()
    );
    let mut ids = std::collections::HashSet::new();
    let (mut passed, mut failed) = (0usize, Vec::new());
    for file in &files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            let id = case
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or("<no id>")
                .to_string();
            assert!(ids.insert(id.clone()), "duplicate case id {id}");
            assert!(
                case.get("source").and_then(|v| v.as_str()).is_some(),
                "{id}: every case names its source"
            );
            match schemaplay_mongo::conformance::run_case(case) {
                Ok(()) => passed += 1,
                Err(reason) => failed.push(format!("{id}: {reason}")),
            }
        }
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    println!("{passed} passed, {} failed", failed.len());
    assert!(passed > 0, "no cases found in {}", dir.display());
    assert!(
        failed.is_empty(),
        "{} of {} audit cases fail:\n{}",
        failed.len(),
        passed + failed.len(),
        failed.join("\n")
    );
}
