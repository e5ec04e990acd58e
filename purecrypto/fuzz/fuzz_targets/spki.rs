//! SubjectPublicKeyInfo: parse, and re-encode what parses.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_spki(data));
