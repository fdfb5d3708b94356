//! Fuzz target `mongo_request`: see `schemaplay_fuzzgen::targets::mongo_request`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::mongo_request(data));
