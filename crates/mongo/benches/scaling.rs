//! How the aggregation stages scale: each stage over inputs of 100, 2,000 and 20,000 elements,
//! and the pipeline of issue 16 (`$unwind` over an n-element array, then a `$lookup` whose
//! pipeline unwinds another n-element array: n² small documents; then each of those unwound
//! again, and a correlated variant whose sub-pipeline runs per outer document).
//!
//! Each row prints the median time of a few runs on the clock, the mean on the CPU (this
//! thread's, which others' load on the machine does not inflate), and the CPU time per element of the
//! output (or of the input, where the output is one document): a stage that costs
//! O(input + output) keeps that figure flat as n grows 20 and 200 times; a quadratic one
//! multiplies it by 20 and 200. The n² pipelines stop at n = 2,000 (4 million documents).
//!
//! `SCALING_SIZES=100,2000` limits the sizes; `SCALING_RUNS=5` sets the runs per row.

use schemaplay_mongo::bson::{doc, Bson, Document};
use schemaplay_mongo::Database;

mod common;
use common::{env_number, picked, timed};

fn sizes() -> Vec<usize> {
    std::env::var("SCALING_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![100, 2_000, 20_000])
}

fn runs() -> usize {
    env_number("SCALING_RUNS", 5)
}

/// One document holding an n-element array of small documents.
fn one_array(n: usize) -> Vec<Document> {
    let items: Vec<Bson> = (0..n)
        .map(|i| Bson::Document(doc! {"k": (i % 97) as i32, "v": i as i32}))
        .collect();
    vec![doc! {"_id": 1, "name": "parent", "items": items}]
}

/// n documents with a key each (for `$lookup` by equality, `$group`, `$sort`).
fn flat(n: usize) -> Vec<Document> {
    (0..n)
        .map(|i| {
            doc! {
                "_id": i as i32,
                "k": ((i * 7919) % n.max(1)) as i32,
                "g": (i % 50) as i32,
                "s": format!("user{:06}", (i * 7919) % 1_000_003),
            }
        })
        .collect()
}

/// Collections by name with their documents.
type Collections = Vec<(&'static str, Vec<Document>)>;

struct Case {
    name: &'static str,
    /// The collections and their documents for size n.
    load: fn(usize) -> Collections,
    pipeline: fn(usize) -> Vec<Document>,
    /// The elements the time is divided by.
    elements: fn(usize) -> usize,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "$unwind n elements",
            load: |n| vec![("a", one_array(n))],
            pipeline: |_| vec![doc! {"$unwind": "$items"}],
            elements: |n| n,
        },
        Case {
            name: "$unwind + $match + $count",
            load: |n| vec![("a", one_array(n))],
            pipeline: |_| {
                vec![
                    doc! {"$unwind": "$items"},
                    doc! {"$match": {"items.k": {"$lt": 50}}},
                    doc! {"$count": "n"},
                ]
            },
            elements: |n| n,
        },
        Case {
            name: "$lookup by equality",
            load: |n| vec![("a", flat(n)), ("b", flat(n))],
            pipeline: |_| {
                vec![
                    doc! {"$lookup": {"from": "b", "localField": "k", "foreignField": "_id", "as": "m"}},
                ]
            },
            elements: |n| n,
        },
        Case {
            name: "$group",
            load: |n| vec![("a", flat(n))],
            pipeline: |_| {
                vec![
                    doc! {"$project": {"g": 1, "k": 1}},
                    doc! {"$group": {"_id": "$g", "n": {"$sum": 1}, "s": {"$sum": "$k"}}},
                ]
            },
            elements: |n| n,
        },
        Case {
            name: "$sort",
            load: |n| vec![("a", flat(n))],
            pipeline: |_| vec![doc! {"$sort": {"s": 1}}],
            elements: |n| n,
        },
        Case {
            name: "$facet (3 facets)",
            load: |n| vec![("a", flat(n))],
            pipeline: |_| {
                vec![doc! {"$facet": {
                    "count": [{"$count": "n"}],
                    "top": [{"$sort": {"s": -1}}, {"$limit": 3}],
                    "groups": [{"$group": {"_id": "$g", "n": {"$sum": 1}}}],
                }}]
            },
            elements: |n| n,
        },
        Case {
            name: "$unwind n, $lookup unwinding n",
            load: |n| vec![("a", one_array(n)), ("b", one_array(n))],
            pipeline: |_| {
                vec![
                    doc! {"$unwind": "$items"},
                    doc! {"$lookup": {"from": "b", "pipeline": [{"$unwind": "$items"}], "as": "inner"}},
                    doc! {"$count": "n"},
                ]
            },
            elements: |n| n * n,
        },
        Case {
            // The same, every one of the n² documents made: the shared answer unwound again.
            name: "... then $unwind the n² documents",
            load: |n| vec![("a", one_array(n)), ("b", one_array(n))],
            pipeline: |_| {
                vec![
                    doc! {"$unwind": "$items"},
                    doc! {"$lookup": {"from": "b", "pipeline": [{"$unwind": "$items"}], "as": "inner"}},
                    doc! {"$unwind": "$inner"},
                    doc! {"$count": "n"},
                ]
            },
            elements: |n| n * n,
        },
        Case {
            // Correlated: the sub-pipeline runs once per outer document, n² elements matched.
            name: "$unwind n, correlated $lookup",
            load: |n| vec![("a", one_array(n)), ("b", one_array(n))],
            pipeline: |_| {
                vec![
                    doc! {"$unwind": "$items"},
                    doc! {"$lookup": {"from": "b", "let": {"k": "$items.k"}, "pipeline": [
                        {"$unwind": "$items"},
                        {"$match": {"$expr": {"$eq": ["$items.k", "$$k"]}}},
                        {"$project": {"_id": 0, "v": "$items.v"}},
                    ], "as": "inner"}},
                    doc! {"$count": "n"},
                ]
            },
            elements: |n| n * n,
        },
    ]
}

fn main() {
    let sizes = sizes();
    println!(
        "{:<34} {:>7} {:>12} {:>10} {:>10} {:>14}",
        "stage", "n", "elements", "clock ms", "CPU ms", "CPU ns/element"
    );
    for case in cases() {
        if !picked(case.name) {
            continue;
        }
        for &n in &sizes {
            // The quadratic pipelines stop at a few thousand: their output is n² documents.
            if (case.elements)(n) > 5_000_000 {
                continue;
            }
            let mut db = Database::new();
            for (name, docs) in (case.load)(n) {
                if let Err(e) = db.insert_many(name, docs) {
                    eprintln!("{}: loading {name} failed: {e}", case.name);
                    return;
                }
            }
            let pipeline = (case.pipeline)(n);
            let mut out = 0;
            let mut failed = None;
            let (ms, cpu_ms) = timed(runs(), || match db.aggregate_borrowed("a", &pipeline) {
                Ok(docs) => out = docs.len(),
                Err(e) => failed = Some(e),
            });
            if let Some(e) = failed {
                eprintln!("{}: {e}", case.name);
                return;
            }
            let elements = (case.elements)(n);
            println!(
                "{:<34} {:>7} {:>12} {:>10.2} {:>10.2} {:>14.1}   ({out} documents out)",
                case.name,
                n,
                elements,
                ms,
                cpu_ms,
                cpu_ms * 1e6 / elements as f64
            );
        }
    }
}
