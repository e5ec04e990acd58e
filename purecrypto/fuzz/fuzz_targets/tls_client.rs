//! TLS: a client fed arbitrary server bytes: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_client(data));
