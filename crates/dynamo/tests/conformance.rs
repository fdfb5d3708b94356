//! Runs conformance cases (the format of `shared/conformance/README.md`) through the engine,
//! with the harness of `schemaplay-testkit`: the shared ones (`shared/conformance/dynamodb`, beside
//! the repository), of which at least 95% must pass, and this crate's own (`tests/cases/`: from
//! the sources the shared ones come from, each naming its source), all of which must pass.

use std::path::Path;

use schemaplay_dynamo::conformance::run_case;

#[test]
fn shared_dynamodb_cases_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/conformance/dynamodb");
    schemaplay_testkit::assert_shared_cases(&dir, run_case);
}

#[test]
fn own_dynamodb_cases_all_pass() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    schemaplay_testkit::assert_own_cases(&dir, run_case);
}
