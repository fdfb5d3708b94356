//! CPU seconds spent making sample data for every example (Linux only).
fn cpu() -> f64 {
    let s = std::fs::read_to_string("/proc/self/schedstat").unwrap_or_default();
    s.split_whitespace()
        .next()
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0)
        / 1e9
}

fn main() {
    let n: u64 = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(50_000);
    let (mut ti_all, mut td_all) = (0.0, 0.0);
    for ex in schemaplay_core::examples::all() {
        let d = &ex.design;
        let t = cpu();
        let items = schemaplay_core::dynamo::sample_items(d, n, 1);
        let ti = cpu() - t;
        let t = cpu();
        let docs: Vec<_> = schemaplay_core::mongo::layout(d)
            .collections
            .iter()
            .map(|c| schemaplay_core::mongo::sample_documents(d, &c.name, n, 1))
            .collect();
        let td = cpu() - t;
        let count: usize = docs.iter().map(Vec::len).sum();
        println!(
            "{:12} items {:7} {:>7.3}s  docs {:7} {:>7.3}s",
            ex.id,
            items.len(),
            ti,
            count,
            td
        );
        ti_all += ti;
        td_all += td;
    }
    println!("total        items {ti_all:>15.3}s  docs {td_all:>15.3}s");
}
