//! Times a generation of the user example: `cargo run --release -p schemaplay-playground
//! --example generate -- [PER_ENTITY]`. Prints the time of each stage the progress reports.

use std::time::Instant;

use schemaplay_core::examples;
use schemaplay_playground::Playground;

fn main() {
    let per_entity = std::env::args()
        .nth(1)
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000);
    let design = examples::get("user-app")
        .map(|e| e.design)
        .unwrap_or_default();
    let mut playground = Playground::new(design);
    let start = Instant::now();
    let mut stage = String::new();
    let mut since = Instant::now();
    let summary = playground
        .generate(per_entity, 1, &mut |progress| {
            if progress.stage != stage {
                if !stage.is_empty() {
                    println!(
                        "{:>8.0} ms  {stage}",
                        since.elapsed().as_secs_f64() * 1000.0
                    );
                }
                stage = progress.stage.clone();
                since = Instant::now();
            }
        })
        .clone();
    println!(
        "{:>8.0} ms  in all: {} documents, {} items",
        start.elapsed().as_secs_f64() * 1000.0,
        summary.documents,
        summary.items
    );
}
