//! TLS 1.3 (RFC 8446) and TLS 1.2 (RFC 5246), client and server, as a
//! sans-I/O state machine.
//!
//! Entry points: [`Connection`] (bytes in with [`Connection::read_tls`],
//! bytes out with [`Connection::write_tls`], [`Event`]s, plaintext in and
//! out), configured by [`ClientConfig`] / [`ServerConfig`]; with `std`,
//! [`Stream`] runs a connection over any `Read + Write`.
//!
//! One module per job: `record` (record protection), `msgs` (handshake
//! message codec), `key_schedule`, `transcript`, `alert` and `error`
//! (the single error-to-alert mapping), `cert` (the [`ServerCertVerifier`]
//! trait, leaf key extraction, CertificateVerify), `client` and `server`
//! (the two handshake state machines), `conn` (records, alerts,
//! KeyUpdate, application data), `webpki` ([`X509Verifier`]: chain and
//! host-name checks through `crate::x509`, the default of
//! [`ClientConfig::default`]).
//!
//! Supported: TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384,
//! TLS_CHACHA20_POLY1305_SHA256, and when listed in a config
//! TLS_AES_128_CCM_SHA256 and TLS_AES_128_CCM_8_SHA256
//! ([`CipherSuite::OPTIONAL`]); X25519, P-256, P-384, P-521;
//! ECDSA P-256/P-384/P-521, RSA-PSS (rsae) and Ed25519 signatures; SNI,
//! ALPN, HelloRetryRequest, KeyUpdate, close_notify. TLS 1.2 (module
//! `tls12`): ECDHE_ECDSA / ECDHE_RSA with AES-128/256-GCM and
//! ChaCha20-Poly1305 (and, when listed, ECDHE_ECDSA with AES-128/256-CCM
//! and CCM_8, [`CipherSuite::OPTIONAL_TLS12`]), extended master secret
//! required, renegotiation indicated and refused, downgrade sentinels;
//! versions chosen by
//! `min_version` / `max_version` in the configs. Client certificates in
//! both versions (`ClientConfig::client_cert`,
//! `ServerConfig::client_verifier` with [`X509ClientVerifier`]); TLS 1.3
//! resumption with stateless tickets (`ticket`: [`Ticketer`]; `session`:
//! [`ClientSessionStore`], `psk`: binders); key logging (`keylog`:
//! [`KeyLog`], SSLKEYLOGFILE lines); record_size_limit (RFC 8449) and
//! OCSP stapling (`status_request`, RFC 6066 section 8) in both versions
//! and roles, the stapled response carried, not verified; 0-RTT early data
//! (`early_data`: [`AntiReplay`], opt-in on both sides). Raw public keys
//! (RFC 7250, `rpk`: [`RawKeyIdentity`], [`RawKeyVerifier`],
//! [`PinnedRawKeys`]) in TLS 1.3 and 1.2, both roles, for server and
//! client authentication; a resumed connection, on either side, reports
//! the peer identity (chain or raw key) its session's full handshake
//! verified.
//!
//! ```
//! use std::sync::Arc;
//! use purecrypto::tls::{ClientConfig, Connection, DangerousAcceptAnyVerifier};
//!
//! let config = Arc::new(ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)));
//! let mut client = Connection::new_client(config, "example.com")?;
//! let mut wire = Vec::new();
//! client.write_tls(&mut wire); // the ClientHello, ready for a socket
//! assert_eq!(wire[0], 22);
//! # Ok::<(), purecrypto::tls::Error>(())
//! ```

mod alert;
mod cert;
mod cert_compression;
mod client;
mod codec;
mod config;
mod conn;
mod early_data;
mod error;
mod exporter;
mod key_schedule;
mod keylog;
mod message_log;
mod msgs;
mod ocsp_staple;
mod pha;
mod psk;
mod record;
mod rpk;
mod server;
mod session;
mod session12;
mod session_cache;
#[cfg(feature = "std")]
mod stream;
mod suites;
mod ticket;
mod tls12;
mod transcript;
mod webpki;

pub(crate) mod fuzz;
#[cfg(test)]
mod tests;

pub use alert::{AlertDescription, AlertLevel};
pub use cert::{
    CertifiedKey, ClientCertVerifier, DangerousAcceptAnyVerifier, PinnedCertVerifier, ServerCertVerifier, SigningKey,
    leaf_spki,
};
pub use cert_compression::{CertDecompressionError, CertificateCompressionAlgorithm};
pub use config::{ClientConfig, ServerConfig};
pub use conn::{Connection, Event};
#[cfg(feature = "std")]
pub use early_data::InMemoryAntiReplay;
pub use early_data::{ANTI_REPLAY_RETENTION_SECS, AntiReplay};
pub use error::Error;
#[cfg(feature = "std")]
pub use keylog::KeyLogFile;
pub use keylog::{KeyLog, key_log_line};
pub use message_log::{MessageDirection, MessageEvent, MessageKind};
pub use msgs::{HandshakeType, MAX_HANDSHAKE_MESSAGE};
pub use ocsp_staple::{StapleError, verify_stapled_ocsp};
pub use record::{MAX_CIPHERTEXT, MAX_PLAINTEXT};
pub use rpk::{CertificateType, PinnedRawKeys, RawKeyIdentity, RawKeyVerifier};
#[cfg(feature = "std")]
pub use session::InMemorySessionStore;
pub use session::{ClientSessionStore, Tls13Session};
#[cfg(feature = "std")]
pub use session_cache::InMemoryServerSessionCache;
pub use session_cache::ServerSessionCache;
pub use session12::Tls12Session;
#[cfg(feature = "std")]
pub use stream::Stream;
pub use suites::{CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme};
pub use ticket::{DEFAULT_TICKET_LIFETIME, Ticketer};
#[cfg(feature = "std")]
pub use webpki::DangerousReportOnlyVerifier;
pub use webpki::{X509ClientVerifier, X509Verifier, alert_for};
