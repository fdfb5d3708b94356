//! Runs the crate's own DynamoDB conformance cases (`tests/cases/*.json`, same format as the
//! shared ones) and requires every one of them to pass.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases")
}

#[test]
fn extra_dynamodb_cases_all_pass() {
    let dir = cases_dir();
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("the case folder is missing: {} ({e})", dir.display()));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "no .json case files in {}",
        dir.display()
    );
    let (mut passed, mut failed) = (0usize, Vec::new());
    for file in &files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let cases: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("<no id>");
            match schemaplay_dynamo::conformance::run_case(case) {
                Ok(()) => passed += 1,
                Err(why) => failed.push(format!("{id}: {why}")),
            }
        }
    }
    println!("{passed} passed, {} failed", failed.len());
    assert!(
        failed.is_empty(),
        "{} of {} cases fail:\n{}",
        failed.len(),
        passed + failed.len(),
        failed.join("\n")
    );
}
