//! TLS: a server in the 0-RTT early-data state fed arbitrary records or
//! early data: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_early_data(data));
