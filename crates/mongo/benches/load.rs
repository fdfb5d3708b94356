//! Loading 100,000 user documents (the shape of `tests/bench/mongo`'s) natively, each way a
//! caller can: `insertMany` requests of 10,000 as JSON text (what the wasm facade's `execute`
//! gets), one JSON array of them all through [`Database::insert_many_json`] (read straight to
//! BSON, inserted as one batch), and BSON documents through [`Database::insert_many`].
//!
//! `LOAD_DOCS=20000` sets the number of documents; `LOAD_RUNS=3` the runs (median); an argument
//! picks the rows whose name holds it.

use std::time::Instant;

use schemaplay_mongo::bson::{doc, Bson, DateTime, Document};
use schemaplay_mongo::Database;

fn docs_count() -> usize {
    std::env::var("LOAD_DOCS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

fn runs() -> usize {
    std::env::var("LOAD_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3)
}

const CITIES: &[&str] = &[
    "Paris",
    "Lyon",
    "Nice",
    "Berlin",
    "Munich",
    "Madrid",
    "Rome",
    "Milan",
    "Vienna",
    "Prague",
    "Warsaw",
    "Lisbon",
    "Dublin",
    "London",
    "Oslo",
    "Stockholm",
    "Helsinki",
    "Athens",
    "Sofia",
    "Zagreb",
    "NYC",
    "Boston",
    "Chicago",
    "Austin",
    "Denver",
    "Seattle",
    "Portland",
    "Miami",
    "Atlanta",
    "Dallas",
    "Toronto",
    "Montreal",
    "Vancouver",
    "Calgary",
    "Ottawa",
    "Tokyo",
    "Osaka",
    "Seoul",
    "Busan",
    "Taipei",
    "Sydney",
    "Melbourne",
    "Perth",
    "Auckland",
    "Lima",
    "Bogota",
    "Quito",
    "Santiago",
    "Mexico",
    "Havana",
];
const TAGS: &[&str] = &[
    "developer",
    "nodejs",
    "rust",
    "go",
    "python",
    "java",
    "design",
    "ops",
    "data",
    "ml",
    "frontend",
    "backend",
    "mobile",
    "cloud",
    "security",
    "qa",
    "lead",
    "intern",
    "remote",
    "oss",
];

/// A deterministic generator (xorshift).
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }

    fn pick(&mut self, xs: &[&'static str]) -> &'static str {
        xs.get(self.below(xs.len())).copied().unwrap_or("")
    }
}

fn users(n: usize) -> Vec<Document> {
    let mut rng = Rng(42);
    (0..n)
        .map(|i| {
            let tags: Vec<Bson> = (0..1 + rng.below(4))
                .map(|_| Bson::from(rng.pick(TAGS)))
                .collect();
            let orders: Vec<Bson> = (0..rng.below(4))
                .map(|_| {
                    Bson::Document(doc! {
                        "sku": format!("SKU-{}", rng.below(50)),
                        "qty": 1 + rng.below(5) as i32,
                        "price": rng.below(10_000) as f64 / 100.0,
                    })
                })
                .collect();
            doc! {
                "_id": i as i32,
                "email": format!("user{i}@example.com"),
                "name": format!("{} {}", rng.pick(&["John", "Jane", "Ann", "Bob"]), rng.pick(&["Doe", "Lee", "King"])),
                "profile": {"age": 18 + rng.below(62) as i32, "city": rng.pick(CITIES), "bio": format!("{} and {} person", rng.pick(TAGS), rng.pick(TAGS))},
                "tags": tags,
                "orders": orders,
                "active": rng.below(10) < 8,
                "createdAt": DateTime::from_millis(1_704_067_200_000 + rng.below(365 * 86_400_000) as i64),
            }
        })
        .collect()
}

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

/// Times `load` on fresh input from `input` (made before the clock starts); the database it
/// returns is dropped after the clock stops.
fn time<T>(name: &str, n: usize, input: impl Fn() -> T, load: impl Fn(T) -> Database) {
    // `cargo bench` passes `--bench`; any other argument picks the rows by name.
    if let Some(only) = std::env::args().skip(1).find(|a| !a.starts_with("--")) {
        if !name.contains(only.as_str()) {
            return;
        }
    }
    let mut times = Vec::new();
    let mut loaded = 0;
    for _ in 0..runs() {
        let input = input();
        let t0 = Instant::now();
        let db = load(input);
        times.push(t0.elapsed().as_secs_f64() * 1e3);
        loaded = db.collection("users").map_or(0, |c| c.len());
    }
    let ms = median(times);
    println!(
        "{name:<52} {n:>8} {ms:>10.1} ms {:>8.2} µs per document ({loaded} loaded)",
        ms * 1e3 / n as f64
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
