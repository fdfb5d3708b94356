//! Fuzz target `dynamo_updates`: see `schemaplay_fuzzgen::targets::dynamo_updates`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::dynamo_updates(data));
