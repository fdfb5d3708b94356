//! Fuzz target `design`: see `schemaplay_fuzzgen::targets::design`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::design(data));
