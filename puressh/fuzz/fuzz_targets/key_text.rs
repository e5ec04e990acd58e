//! Fuzz target: `puressh::internal::fuzz_key_text` (RFC 4716 import,
//! public key lines, PEM public and private keys).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| puressh::internal::fuzz_key_text(data));
