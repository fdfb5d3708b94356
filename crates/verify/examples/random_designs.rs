//! Verifies random designs and prints what each found: `random_designs [FIRST] [COUNT] [STEPS]`.
//! A tool for widening the budget the tests run (`tests/random.rs`), not a test.
fn main() {
    let arg = |i: usize, default: u64| {
        std::env::args()
            .nth(i)
            .and_then(|s| s.parse().ok())
            .unwrap_or(default)
    };
    let (first, count, steps) = (arg(1, 0), arg(2, 40), arg(3, 300));
    let (mut clean, mut explained, mut unexplained) = (0, 0, 0);
    for seed in first..first + count {
        let design = schemaplay_verify::random::design(seed);
        let options = schemaplay_verify::Options {
            seed,
            steps: steps as usize,
            ..schemaplay_verify::Options::default()
        };
        let report = schemaplay_verify::verify(&design, &options);
        if report.is_clean() {
            clean += 1;
            continue;
        }
        let open = report.unexplained(&design);
        if open.is_empty() && report.setup_errors.is_empty() {
            explained += 1;
            continue;
        }
        unexplained += 1;
        println!("== seed {seed}\n{}", design.to_json());
        for e in &report.setup_errors {
            println!("setup: {e}");
        }
        for d in open {
            println!("divergence: \"{}\" on {}: {}", d.pattern, d.db, d.why);
            for s in &d.steps {
                println!("    {s}");
            }
            println!("  expected: {}", d.expected);
            for (db, a) in &d.answers {
                println!("  {db}: {a}");
            }
            for r in &d.requests {
                println!("    {r}");
            }
        }
    }
    println!("{clean} clean, {explained} explained by a finding, {unexplained} unexplained");
}
