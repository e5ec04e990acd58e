//! Fuzz target: `puressh::internal::fuzz_agent` (agent frames and messages).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_agent(data));
