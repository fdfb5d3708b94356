//! `schemaplay conformance DIR`: runs the shared conformance cases.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

/// Runs every case of every `.json` file under `path`; exits non-zero if any case fails.
pub fn run(path: &Path) -> Result<ExitCode, String> {
    let mut files = Vec::new();
    collect_json_files(path, &mut files)?;
    if files.is_empty() {
        return Err(format!("{}: no .json files found", path.display()));
    }
    let (mut passed, mut failed) = (0usize, 0usize);
    for file in &files {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
        let parsed: Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", file.display()))?;
        // A folder of cases may hold other JSON (an oracle's package.json): only arrays are cases.
        let Value::Array(cases) = parsed else {
            eprintln!("skipped {}: not an array of cases", file.display());
            continue;
        };
        for case in &cases {
            let id = case.get("id").and_then(Value::as_str).unwrap_or("<no id>");
            match run_case(case) {
                Ok(()) => passed += 1,
                Err(reason) => {
                    failed += 1;
                    println!("FAIL {id}: {}", one_line(&reason));
                }
            }
        }
    }
    println!("{passed} passed, {failed} failed");
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// Sends a case to the simulator it is written for: a `table` means DynamoDB, a `collection` MongoDB.
fn run_case(case: &Value) -> Result<(), String> {
    if case.get("table").is_some() {
        schemaplay_dynamo::conformance::run_case(case)
    } else if case.get("collection").is_some() {
        schemaplay_mongo::conformance::run_case(case)
    } else {
        Err("neither a MongoDB case (no `collection`) nor a DynamoDB case (no `table`)".to_string())
    }
}

fn collect_json_files(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if p.file_name().is_some_and(|n| n == "node_modules") {
                continue;
            }
            collect_json_files(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

fn one_line(s: &str) -> String {
    let line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() > 300 {
        format!("{}…", line.chars().take(300).collect::<String>())
    } else {
        line
    }
}
