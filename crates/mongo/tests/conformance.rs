//! Runs conformance cases (the format of `shared/conformance/README.md`) through the engine:
//! the shared ones (`shared/conformance/mongo`, beside the repository), of which at least 95%
//! must pass, and this crate's own (`tests/cases/`: from the sources the shared ones come from,
//! each naming its source), all of which must pass.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

/// The ids of the cases that passed and the failures (`id: reason`) of every `.json` file in
/// `dir`; panics when the folder, a file or its JSON cannot be read.
fn run_folder(dir: &Path) -> (Vec<String>, Vec<String>) {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "the conformance cases are missing: cannot read {} ({e}); the shared cases belong in a `shared` folder beside the repository",
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
    let (mut passed, mut failed) = (Vec::new(), Vec::new());
    for file in &files {
        let text =
            std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let cases: Vec<Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("<no id>");
            match schemaplay_mongo::conformance::run_case(case) {
                Ok(()) => passed.push(id.to_string()),
                Err(why) => failed.push(format!("{id}: {why}")),
            }
        }
    }
    for f in &failed {
        println!("FAIL {f}");
    }
    println!("{} passed, {} failed", passed.len(), failed.len());
    (passed, failed)
}

#[test]
fn shared_mongo_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/mongo");
    let (passed, failed) = run_folder(&dir);
    let total = passed.len() + failed.len();
    assert!(
        passed.len() * 100 >= total * 95,
        "only {} of {total} conformance cases pass (95% needed); failing:\n{}",
        passed.len(),
        failed.join("\n")
    );
}

#[test]
fn own_mongo_cases_all_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let (passed, failed) = run_folder(&dir);
    assert!(
        failed.is_empty(),
        "{} of {} cases fail:\n{}",
        failed.len(),
        passed.len() + failed.len(),
        failed.join("\n")
    );
    let mut ids = HashSet::new();
    for file in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(file.path()).unwrap_or_default();
        let cases: Vec<Value> = serde_json::from_str(&text).unwrap_or_default();
        for case in &cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("<no id>");
            assert!(ids.insert(id.to_string()), "duplicate case id {id}");
            assert!(
                case.get("source").and_then(Value::as_str).is_some(),
                "{id}: every case names its source"
            );
        }
    }
}
