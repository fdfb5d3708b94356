//! Fuzz target `sql`: see `schemaplay_fuzzgen::targets::sql`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::sql(data));
