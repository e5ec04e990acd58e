//! Fuzz target: `compcol::internal::fuzz_inflate`.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| compcol::internal::fuzz_inflate(data));
