//! Prints the whole run of one random design, unshrunk: `debug_seed SEED STEPS PATTERN`.
fn main() {
    let arg = |i: usize| std::env::args().nth(i).unwrap_or_default();
    let seed: u64 = arg(1).parse().unwrap_or(0);
    let steps: usize = arg(2).parse().unwrap_or(300);
    let design = schemaplay_verify::random::design(seed);
    let options = schemaplay_verify::Options {
        seed,
        steps,
        shrink_budget: 0,
        ..Default::default()
    };
    let report = schemaplay_verify::verify(&design, &options);
    for d in &report.divergences {
        if d.pattern.contains(&arg(3)) {
            println!("{} on {}: {}", d.pattern, d.db, d.why);
            for s in &d.steps {
                println!("  {s}");
            }
            break;
        }
    }
}
