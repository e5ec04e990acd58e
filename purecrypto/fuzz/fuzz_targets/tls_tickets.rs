//! TLS session tickets: the sealed server state, ticket opening and the
//! client's stored sessions: must never panic, and must round-trip.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| purecrypto::internal::fuzz_tls_tickets(data));
