//! The fuzz smoke of `cargo test`: every fuzz target's function on its seed corpus (the
//! examples, the conformance cases, the test sources) and on inputs for its generator from
//! fixed seeds. No nightly toolchain needed; `./x fuzz` explores from the same seeds.

use std::path::Path;

use schemaplay_fuzzgen::seeds::{self, GENERATE};
use schemaplay_fuzzgen::{seeded_bytes, targets};

/// Generated inputs per target.
const GENERATED: u64 = 150;

#[test]
fn every_target_runs_its_seeds_and_generated_inputs() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = seeds::all(&root, &root.join("../shared"));
    for (name, run) in targets::ALL {
        let inputs = corpus.get(name).map(Vec::as_slice).unwrap_or_default();
        assert!(!inputs.is_empty(), "no seeds for {name}");
        for input in inputs {
            run(input);
        }
        for seed in 0..GENERATED {
            let mut input = vec![GENERATE];
            input.extend(seeded_bytes(seed, 400));
            run(&input);
        }
    }
}

#[test]
fn the_seeds_come_from_the_examples_the_cases_and_the_tests() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let corpus = seeds::all(&root, &root.join("../shared"));
    let count = |t: &str| corpus.get(t).map_or(0, Vec::len);
    // The crates' own cases are in the repository, whatever the shared folder holds.
    assert!(count("mongo_request") > 100, "{}", count("mongo_request"));
    assert!(count("dynamo_request") > 20, "{}", count("dynamo_request"));
    assert!(count("dynamo_expr") > 50, "{}", count("dynamo_expr"));
    assert!(count("script") > 20, "{}", count("script"));
    assert!(count("sql") > 2, "{}", count("sql"));
    assert!(count("design") >= 5, "{}", count("design"));
}
