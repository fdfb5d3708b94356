//! Structured inputs from fuzz bytes, and the properties checked on them.
//!
//! The fuzz targets in `fuzz/` (run by `./x fuzz`) and the seeded property tests of this crate
//! (`tests/equivalence.rs`, run by `cargo test`) share everything here: a generator reads an
//! [`arbitrary::Unstructured`] (libFuzzer's bytes, or [`seeded_bytes`] in tests) and
//! builds what plain bytes would rarely reach, such as a MongoDB request whose operators and
//! field names come from a small vocabulary, or a DynamoDB expression from its grammar.
//!
//! - [`mongo`]: documents, filters, updates, projections, pipelines and whole requests for
//!   `schemaplay_mongo::Database::execute`; [`mongo::check_filter_plans`], the property that
//!   index plans and column scans answer as the plain document matcher does.
//! - [`dynamo`]: items, expressions and requests for `schemaplay_dynamo::Database::execute`;
//!   [`dynamo::check_condition`] and [`dynamo::check_update`], the properties that conditions
//!   and updates agree with a small reference written from the DynamoDB developer guide, and
//!   that a write that fails leaves the table unchanged.
//! - [`json`]: structural mutation of JSON documents (designs, Workbench models).
//! - [`targets`]: what each fuzz target does with one input, so a finding replays through
//!   the same code in a regression test (`cargo run -p schemaplay-fuzzgen --bin fuzz-replay`).
//! - [`seeds`]: the seed corpus of every target, taken from the examples, the conformance cases
//!   and the test sources (`cargo run -p schemaplay-fuzzgen --bin fuzz-seeds`).
//!
//! A property returns `Err(description)` on a divergence: the fuzz target panics with it, the
//! test fails with it. Running out of bytes is never a divergence: generators then take their
//! smallest choices.

pub mod dynamo;
pub mod json;
pub mod mongo;
pub mod seeds;
pub mod targets;

pub use arbitrary::Unstructured;
use schemaplay_core::sample::Rng;

/// What a generator reads from; `arbitrary`'s errors only mean "not enough bytes".
pub type Gen<'a, 'b> = &'a mut Unstructured<'b>;

/// One of `items`, chosen by the input (the first when the input is used up).
pub fn pick<'a, T>(u: Gen, items: &'a [T]) -> &'a T {
    let i = u.choose_index(items.len()).unwrap_or(0);
    &items[i.min(items.len().saturating_sub(1))]
}

/// A number in `lo..=hi`, chosen by the input.
pub fn int(u: Gen, lo: i64, hi: i64) -> i64 {
    u.int_in_range(lo..=hi).unwrap_or(lo)
}

/// True with about the given chance in 256.
pub fn chance(u: Gen, in_256: u8) -> bool {
    u.arbitrary::<u8>().is_ok_and(|b| b < in_256)
}

/// `len` bytes from a seeded generator (the core's SplitMix64), for the seeded tests and
/// the generated seeds: the same on every machine.
pub fn seeded_bytes(seed: u64, len: usize) -> Vec<u8> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        out.extend_from_slice(&rng.next_u64().to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Runs `property` on `cases` inputs of `len` bytes from seeds `seed`, `seed + 1`, ...;
/// the first divergence names its seed so it can be replayed alone.
pub fn run_seeded(
    seed: u64,
    cases: u64,
    len: usize,
    property: impl Fn(Gen) -> Result<(), String>,
) -> Result<(), String> {
    for s in seed..seed + cases {
        let bytes = seeded_bytes(s, len);
        property(&mut Unstructured::new(&bytes)).map_err(|e| format!("seed {s}: {e}"))?;
    }
    Ok(())
}
