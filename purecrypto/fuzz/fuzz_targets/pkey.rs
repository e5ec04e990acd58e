//! The key facade: PKCS #8, SPKI, PEM and traditional key decoding of every
//! key type (post-quantum and classical), and re-encoding of what decodes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_pkey(data));
