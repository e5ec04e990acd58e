//! Fuzz target: `compcol::internal::fuzz_roundtrip`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| compcol::internal::fuzz_roundtrip(data));
