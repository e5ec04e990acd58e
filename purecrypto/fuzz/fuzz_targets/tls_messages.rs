//! TLS: every handshake message parser: must never panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_messages(data));
