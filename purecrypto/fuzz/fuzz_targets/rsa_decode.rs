//! Decodes hostile bytes as PKCS#1 and SPKI RSA keys: never panics, and
//! whatever decodes re-encodes to the same DER.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_rsa_decode(data));
