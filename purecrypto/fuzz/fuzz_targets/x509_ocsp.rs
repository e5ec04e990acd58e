//! OCSP response decoding (what decodes must also print).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_ocsp(data));
