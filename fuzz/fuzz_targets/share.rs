//! Fuzz target `share`: see `schemaplay_fuzzgen::targets::share`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::share(data));
