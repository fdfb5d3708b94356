//! Fuzz target `dynamo_conditions`: see `schemaplay_fuzzgen::targets::dynamo_conditions`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::dynamo_conditions(data));
