//! TLS: a server fed arbitrary client bytes: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_server(data));
