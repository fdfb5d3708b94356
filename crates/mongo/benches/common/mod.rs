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
