//! Fuzz target `dynamo_expr`: see `schemaplay_fuzzgen::targets::dynamo_expr`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::dynamo_expr(data));
