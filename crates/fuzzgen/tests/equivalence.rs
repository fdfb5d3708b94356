//! The equivalence properties of the fuzz targets `mongo_plans`, `dynamo_conditions` and
//! `dynamo_updates`, run on a fixed number of seeded inputs so `cargo test` checks them the
//! same way on every machine (`./x fuzz` explores further).

use schemaplay_fuzzgen::{dynamo, mongo, run_seeded};

#[test]
fn mongo_index_plans_and_column_scans_answer_as_the_matcher() {
    if let Err(e) = run_seeded(0, 1000, 1024, mongo::check_filter_plans) {
        panic!("{e}");
    }
}

#[test]
fn dynamo_conditions_agree_with_the_reference() {
    if let Err(e) = run_seeded(0, 2000, 4096, dynamo::check_condition) {
        panic!("{e}");
    }
}

#[test]
fn dynamo_updates_agree_with_the_reference() {
    if let Err(e) = run_seeded(0, 2000, 2048, dynamo::check_update) {
        panic!("{e}");
    }
}
