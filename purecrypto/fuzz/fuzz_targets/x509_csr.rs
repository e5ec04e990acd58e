//! X.509 csr decoding (and what decodes is exercised further).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_csr(data));
