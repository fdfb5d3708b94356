//! Fuzz target `mongo_plans`: see `schemaplay_fuzzgen::targets::mongo_plans`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::mongo_plans(data));
