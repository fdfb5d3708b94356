//! Random designs through the verifier: each verifies clean, or every divergence it shows is
//! explained by a lint finding that says why the layouts cannot agree (`unverifiable`).
//!
//! Budget: designs 0..24 (seeded), 250 steps each, the workload seeded by the design's seed;
//! about 10 s in a debug build on the team machine. `examples/random_designs.rs` runs a wider
//! budget by hand (`random_designs FIRST COUNT STEPS`).

use schemaplay_verify::{random, verify, Options};

const DESIGNS: u64 = 24;
const STEPS: usize = 250;

#[test]
fn random_designs_verify_clean_or_carry_the_finding_that_says_why() {
    let mut problems = Vec::new();
    let mut clean = 0;
    for seed in 0..DESIGNS {
        let design = random::design(seed);
        let options = Options {
            seed,
            steps: STEPS,
            ..Options::default()
        };
        let report = verify(&design, &options);
        for e in &report.setup_errors {
            problems.push(format!("design {seed}: setup: {e}"));
        }
        for d in report.unexplained(&design) {
            problems.push(format!(
                "design {seed}: \"{}\" on {}: {}\n  steps: {}",
                d.pattern,
                d.db,
                d.why,
                d.steps.join(" / ")
            ));
        }
        if report.is_clean() {
            clean += 1;
        }
    }
    assert!(
        problems.is_empty(),
        "{} unexplained:\n{}",
        problems.len(),
        problems.join("\n")
    );
    // The budget proves something only if most designs run clean, not just explained away.
    assert!(
        clean * 2 >= DESIGNS,
        "only {clean} of {DESIGNS} designs verify clean"
    );
}
