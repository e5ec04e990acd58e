//! The key facade: PQC PKCS #8 and SPKI decoding, and re-encoding of what decodes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_pkey(data));
