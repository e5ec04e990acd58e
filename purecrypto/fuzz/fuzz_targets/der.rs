//! Walks arbitrary bytes as DER: every value must re-encode identically.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_der(data));
