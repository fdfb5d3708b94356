//! Runs the shared MongoDB conformance cases (`shared/conformance/mongo`, beside the repository)
//! and requires at least 95% of them to pass.

use std::path::PathBuf;

#[test]
fn shared_mongo_cases_pass() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/mongo");
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => panic!(
            "the conformance cases are missing: cannot read {} ({e}); clone or copy the `shared` folder beside the repository",
            dir.display()
        ),
    };
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
        let cases: Vec<serde_json::Value> =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        for case in &cases {
            let id = case
                .get("id")
                .and_then(|v| v.as_str())
                .unwrap_or("<no id>")
                .to_string();
            match schemaplay_mongo::conformance::run_case(case) {
                Ok(()) => passed += 1,
                Err(reason) => failed.push(format!("{id}: {reason}")),
            }
        }
    }
    let total = passed + failed.len();
    for f in &failed {
        println!("FAIL {f}");
    }
    println!("{passed} passed, {} failed", failed.len());
    assert!(total > 0, "no cases found in {}", dir.display());
    assert!(
        passed * 100 >= total * 95,
        "only {passed} of {total} conformance cases pass (95% needed); failing:\n{}",
        failed.join("\n")
    );
}
