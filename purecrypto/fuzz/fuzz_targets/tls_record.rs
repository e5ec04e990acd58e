//! TLS: the record layer (headers and protected records): must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_record(data));
