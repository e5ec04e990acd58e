//! Seal then open restores the message; a flipped bit is rejected.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_aead_roundtrip(data));
