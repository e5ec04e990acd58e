//! Fuzz target: `puressh::internal::fuzz_kex_gex_group`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_kex_gex_group(data));
