//! Fuzz target: `puressh::internal::fuzz_message`.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_message(data));
