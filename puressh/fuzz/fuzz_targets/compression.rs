//! Fuzz target: `puressh::internal::fuzz_compression`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_compression(data));
