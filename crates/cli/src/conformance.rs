//! `schemaplay conformance DIR`: runs the shared conformance cases through the simulators, with
//! the harness of `schemaplay-testkit`.

use std::path::Path;
use std::process::ExitCode;

use serde_json::Value;

/// Runs every case of every `.json` file under `path`; exits non-zero if any case fails.
pub fn run(path: &Path) -> Result<ExitCode, String> {
    let cases = schemaplay_testkit::load(path)?;
    // A folder of cases may hold other JSON (an oracle's package.json): only arrays are cases.
    for file in &cases.skipped {
        eprintln!("skipped {}: not an array of cases", file.display());
    }
    let report = cases.run(run_case);
    println!("{}", report.render());
    Ok(if report.failures.is_empty() {
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
