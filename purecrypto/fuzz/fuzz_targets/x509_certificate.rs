//! X.509 certificate decoding (and what decodes is exercised further).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_certificate(data));
