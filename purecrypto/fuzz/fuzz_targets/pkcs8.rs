//! PKCS #8, plain (round trip) and encrypted (decrypt under tiny cost limits).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_pkcs8(data));
