//! Decodes hostile Ed25519 / Ed448 / ristretto255 / X25519 / X448 keys and
//! signatures and verifies: typed errors only, canonical round trips.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_edwards_decode_verify(data));
