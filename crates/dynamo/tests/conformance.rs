//! Runs the shared DynamoDB conformance cases (`shared/conformance/dynamodb`, beside the repo)
//! and requires at least 95% of them to pass.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn cases_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/dynamodb")
}

#[test]
fn shared_dynamodb_cases_pass() {
    let dir = cases_dir();
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "the conformance cases are missing: {} ({e}); check out `shared` beside the repository",
            dir.display()
        )
    });
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
    for f in &failed {
        println!("FAIL {f}");
    }
    let total = passed + failed.len();
    println!("{passed} passed, {} failed", failed.len());
    assert!(
        passed * 100 >= total * 95,
        "only {passed} of {total} cases pass:\n{}",
        failed.join("\n")
    );
}
