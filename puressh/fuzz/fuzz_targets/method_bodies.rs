//! Fuzz target: `puressh::internal::fuzz_method_bodies`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_method_bodies(data));
