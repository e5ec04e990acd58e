//! ML-KEM key and ciphertext decoders and decapsulation on arbitrary bytes: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_mlkem_decoders(data));
