//! Fuzz target `workbench`: see `schemaplay_fuzzgen::targets::workbench`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| schemaplay_fuzzgen::targets::workbench(data));
