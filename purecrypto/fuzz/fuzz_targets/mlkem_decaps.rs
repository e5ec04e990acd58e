//! Forged ML-KEM ciphertexts give the implicit-rejection key; honest ones round-trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_mlkem_decaps(data));
