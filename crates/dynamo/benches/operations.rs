//! GetItem, a 25-item Query, a filtered Query, a conditional UpdateItem, a PutItem and a
//! BatchWriteItem of 25 puts on tables of 10k, 100k and 1M items in 10k partitions: the time
//! per operation should grow like log n (a batch of 25 costs about 25 PutItems, whatever the
//! table size).
//! `BENCH_SIZES=10000,100000` limits the sizes.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};

mod workload;

/// Builds the request of one iteration.
type MakeRequest = fn(usize) -> serde_json::Value;

fn sizes() -> Vec<usize> {
    std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|x| x.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000])
}

fn operations(c: &mut Criterion) {
    let mut group = c.benchmark_group("dynamo");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1));
    for n in sizes() {
        let mut db = workload::load(n);
        let requests: [(&str, &str, MakeRequest); 6] = [
            ("GetItem", "GetItem", workload::get_item),
            ("Query25", "Query", workload::query),
            ("FilteredQuery", "Query", workload::filtered_query),
            (
                "ConditionalUpdate",
                "UpdateItem",
                workload::conditional_update,
            ),
            ("PutItem", "PutItem", workload::put_item),
            ("BatchWrite25", "BatchWriteItem", workload::batch_write),
        ];
        for (name, op, make) in requests {
            let inputs: Vec<serde_json::Value> = (0..workload::HOT_PARTITIONS).map(make).collect();
            let mut k = 0usize;
            group.bench_with_input(BenchmarkId::new(name, n), &n, |b, _| {
                b.iter(|| {
                    k = (k + 1) % inputs.len();
                    let input = inputs.get(k).unwrap_or(&serde_json::Value::Null);
                    black_box(db.execute(op, input).is_ok())
                })
            });
        }
    }
    group.finish();
}

criterion_group!(benches, operations);
criterion_main!(benches);
