//! Fuzz target `dynamo_request`: see `schemaplay_fuzzgen::targets::dynamo_request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::dynamo_request(data));
