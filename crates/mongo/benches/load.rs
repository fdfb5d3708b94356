//! Loading 100,000 user documents (the shape of `tests/bench/mongo`'s) natively, each way a
//! caller can: `insertMany` requests of 10,000 as JSON text (what the wasm facade's `execute`
//! gets), one JSON array of them all through [`Database::insert_many_json`] (read straight to
//! BSON, inserted as one batch), and BSON documents through [`Database::insert_many`].
//!
//! `LOAD_DOCS=20000` sets the number of documents; `LOAD_RUNS=3` the runs (median); an argument
//! picks the rows whose name holds it.

use std::time::Instant;

use schemaplay_mongo::bson::Bson;
use schemaplay_mongo::Database;

mod common;
mod users;
use common::{env_number, median, picked, thread_cpu_ns};
use users::users;

fn docs_count() -> usize {
    env_number("LOAD_DOCS", 100_000)
}

fn runs() -> usize {
    env_number("LOAD_RUNS", 3)
}

/// Times `load` on fresh input from `input` (made before the clock starts); the database it
/// returns is dropped after the clock stops.
fn time<T>(name: &str, n: usize, input: impl Fn() -> T, load: impl Fn(T) -> Database) {
    if !picked(name) {
        return;
    }
    let mut times = Vec::new();
    let mut cpu = Vec::new();
    let mut loaded = 0;
    for _ in 0..runs() {
        let input = input();
        let c0 = thread_cpu_ns();
        let t0 = Instant::now();
        let db = load(input);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        if let (Some(c0), Some(c1)) = (c0, thread_cpu_ns()) {
            cpu.push(c1.saturating_sub(c0) as f64 / 1e6);
        }
        loaded = db.collection("users").map_or(0, |c| c.len());
    }
    let ms = median(times);
    let cpu_ms = median(cpu);
    println!(
        "{name:<52} {n:>8} {ms:>10.1} ms {cpu_ms:>10.1} ms CPU {:>8.2} µs CPU per document ({loaded} loaded)",
        cpu_ms * 1e3 / n as f64
    );
}

fn main() {
    let n = docs_count();
    let docs = users(n);
    // Relaxed Extended JSON, as a caller sends it.
    let chunks: Vec<String> = docs
        .chunks(10_000)
        .map(|chunk| {
            let array: Vec<serde_json::Value> = chunk
                .iter()
                .map(|d| Bson::Document(d.clone()).into_relaxed_extjson())
                .collect();
            serde_json::Value::Array(array).to_string()
        })
        .collect();
    let all = format!(
        "[{}]",
        chunks
            .iter()
            .map(|c| c.trim_start_matches('[').trim_end_matches(']'))
            .collect::<Vec<_>>()
            .join(",")
    );
    let requests: Vec<String> = chunks
        .iter()
        .map(|c| format!(r#"{{"op":"insertMany","collection":"users","documents":{c}}}"#))
        .collect();
    println!(
        "{} documents, {} MB of JSON, median of {} runs",
        n,
        chunks.iter().map(String::len).sum::<usize>() / 1_000_000,
        runs()
    );
    time(
        "insertMany requests as JSON text (execute_json)",
        n,
        || (),
        |()| {
            let mut db = Database::new();
            for r in &requests {
                if let Err(e) = db.execute_json(r) {
                    eprintln!("{e}");
                }
            }
            db
        },
    );
    time(
        "one JSON array (insert_many_json)",
        n,
        || (),
        |()| {
            let mut db = Database::new();
            let options = schemaplay_mongo::InsertManyOptions::default();
            if let Err(e) = db.insert_many_json("users", &all, options) {
                eprintln!("{e}");
            }
            db
        },
    );
    time(
        "BSON documents (insert_many)",
        n,
        || docs.clone(),
        |docs| {
            let mut db = Database::new();
            if let Err(e) = db.insert_many("users", docs) {
                eprintln!("{e}");
            }
            db
        },
    );
}
