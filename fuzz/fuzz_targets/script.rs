//! Fuzz target `script`: see `schemaplay_fuzzgen::targets::script`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::script(data));
