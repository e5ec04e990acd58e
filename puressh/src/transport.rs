//! The SSH transport layer (RFC 4253), sans-I/O: bytes in, bytes and
//! events out, no sockets or clock.
//!
//! Entry points: [`version::VersionExchange`] (the identification lines),
//! [`packet::PacketDecoder`] / [`packet::PacketEncoder`] (binary packet
//! framing over a [`cipher::PacketCipher`]), [`compress`] (zlib payload
//! compression), [`negotiate::negotiate`] (KEXINIT algorithm choice) and
//! [`kex_rules::KexRules`] (which messages may arrive during key
//! exchange, strict KEX included).

pub mod cipher;
pub mod client_kex;
pub mod compress;
pub mod kdf;
pub mod kex;
pub mod kex_rules;
pub mod machine;
pub mod negotiate;
pub mod packet;
pub mod version;

/// Which end of the connection we are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// We connected.
    Client,
    /// We accepted.
    Server,
}
