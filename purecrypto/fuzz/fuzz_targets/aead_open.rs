//! Opens hostile ciphertexts with every AEAD: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_aead_open(data));
