//! What every bench of this crate shares: its settings from the environment, medians, and the
//! row filter (`cargo bench` passes `--bench`; any other argument picks the rows whose name
//! holds it).

/// A number from the environment variable `name`, or `default`.
pub fn env_number(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The median of some timings (NaN for none).
pub fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Whether the row `name` is to run: the command line's first argument that is not an option
/// is part of its name, or there is none.
pub fn picked(name: &str) -> bool {
    std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .is_none_or(|only| name.contains(only.as_str()))
}

/// The time this thread has run on a CPU, in nanoseconds (Linux's `schedstat`), where known: on
/// a machine others load too, it tells the work done apart from the wait for a core.
pub fn thread_cpu_ns() -> Option<u64> {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Runs `f` once to warm up (columns are built on first use), then at least `runs` times and
/// for at least 200 ms: the median time of a run on the clock, and the mean on this thread's
/// CPU (whose clock counts in ticks of a few milliseconds, so the total over the runs is
/// divided by their number; NaN where unknown).
#[allow(dead_code)] // `load` times each run apart, its input made off the clock.
pub fn timed(runs: usize, mut f: impl FnMut()) -> (f64, f64) {
    f();
    let mut times = Vec::new();
    let c0 = thread_cpu_ns();
    let start = std::time::Instant::now();
    while times.len() < runs || start.elapsed().as_millis() < 200 {
        let t0 = std::time::Instant::now();
        f();
        times.push(t0.elapsed().as_secs_f64() * 1e3);
    }
    let cpu = match (c0, thread_cpu_ns()) {
        (Some(c0), Some(c1)) => c1.saturating_sub(c0) as f64 / 1e6 / times.len() as f64,
        _ => f64::NAN,
    };
    (median(times), cpu)
}
