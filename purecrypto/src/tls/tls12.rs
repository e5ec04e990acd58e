//! TLS 1.2 (RFC 5246) in the subset worth speaking today: ECDHE key
//! exchange (RFC 8422) with AES-GCM (RFC 5289) or ChaCha20-Poly1305
//! (RFC 7905), the extended master secret required (RFC 7627), secure
//! renegotiation indicated (RFC 5746) but renegotiation itself refused,
//! and the RFC 8446 section 4.1.3 downgrade sentinel set and checked;
//! raw public keys (RFC 7250) negotiated in the hellos, with the
//! version-neutral parts in `rpk.rs`.
//!
//! The TLS 1.3 state machines (`client.rs`, `server.rs`) own version
//! negotiation: when the hellos settle on 1.2 they hand the transcript
//! to [`client::Client12`] or [`server::Server12`], which then see every
//! later handshake message. Records, alerts and ChangeCipherSpec stay in
//! `conn.rs`; `msgs` holds the 1.2-only message codecs, `keys` the
//! PRF-based key derivation, `sig` the ServerKeyExchange signatures.

pub(crate) mod client;
pub(crate) mod keys;
pub(crate) mod msgs;
pub(crate) mod server;
pub(crate) mod sig;
pub(crate) mod tickets;

#[cfg(test)]
mod tests;
