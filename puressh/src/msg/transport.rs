//! Transport-layer message bodies (RFC 4253 §7, §10, §11; RFC 8308 §2.3;
//! RFC 5656 §4 for the ECDH KEX messages that curve25519-sha256 shares).
//!
//! Entry point: the [`Codec`] impls, usually reached through
//! [`crate::msg::Message`].

use super::{Codec, open_code, read_names, read_text};
use crate::wire::{Reader, WireError, Writer};

open_code! {
    /// A disconnect reason code (RFC 4253 §11.1, RFC 4250 §4.2.2).
    DisconnectReason(u32) {
        /// 1
        HOST_NOT_ALLOWED_TO_CONNECT = 1,
        /// 2
        PROTOCOL_ERROR = 2,
        /// 3
        KEY_EXCHANGE_FAILED = 3,
        /// 4
        RESERVED = 4,
        /// 5
        MAC_ERROR = 5,
        /// 6
        COMPRESSION_ERROR = 6,
        /// 7
        SERVICE_NOT_AVAILABLE = 7,
        /// 8
        PROTOCOL_VERSION_NOT_SUPPORTED = 8,
        /// 9
        HOST_KEY_NOT_VERIFIABLE = 9,
        /// 10
        CONNECTION_LOST = 10,
        /// 11
        BY_APPLICATION = 11,
        /// 12
        TOO_MANY_CONNECTIONS = 12,
        /// 13
        AUTH_CANCELLED_BY_USER = 13,
        /// 14
        NO_MORE_AUTH_METHODS_AVAILABLE = 14,
        /// 15
        ILLEGAL_USER_NAME = 15,
    }
}

/// Reads a `[u8; N]` without allocating.
fn read_array<const N: usize>(r: &mut Reader<'_>) -> Result<[u8; N], WireError> {
    let mut out = [0u8; N];
    for byte in &mut out {
        *byte = r.byte()?;
    }
    Ok(out)
}

/// SSH_MSG_DISCONNECT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disconnect {
    /// Why.
    pub reason: DisconnectReason,
    /// Human-readable text (UTF-8).
    pub description: String,
    /// RFC 3066 language tag, usually empty.
    pub language: String,
}

impl Codec for Disconnect {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.u32(self.reason.0).string(self.description.as_bytes()).string(self.language.as_bytes());
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            reason: DisconnectReason(r.u32()?),
            description: read_text(r, "disconnect description")?,
            language: read_text(r, "language tag")?,
        })
    }
}

/// SSH_MSG_IGNORE: padding traffic, its data is meaningless.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Ignore {
    /// Arbitrary bytes.
    pub data: Vec<u8>,
}

impl Codec for Ignore {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(&self.data);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { data: r.string()?.to_vec() })
    }
}

/// SSH_MSG_UNIMPLEMENTED: the peer did not understand our packet number
/// `sequence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unimplemented {
    /// The rejected packet's sequence number.
    pub sequence: u32,
}

impl Codec for Unimplemented {
    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.sequence.to_be_bytes());
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { sequence: r.u32()? })
    }
}

/// SSH_MSG_DEBUG.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DebugMessage {
    /// Whether the peer asks for the message to be shown to the user.
    pub always_display: bool,
    /// The text (UTF-8).
    pub message: String,
    /// Language tag.
    pub language: String,
}

impl Codec for DebugMessage {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.boolean(self.always_display).string(self.message.as_bytes()).string(self.language.as_bytes());
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            always_display: r.boolean()?,
            message: read_text(r, "debug message")?,
            language: read_text(r, "language tag")?,
        })
    }
}

/// SSH_MSG_SERVICE_REQUEST.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceRequest {
    /// `ssh-userauth` or `ssh-connection`.
    pub service: String,
}

/// SSH_MSG_SERVICE_ACCEPT.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceAccept {
    /// The accepted service.
    pub service: String,
}

macro_rules! service_codec {
    ($ty:ident) => {
        impl Codec for $ty {
            fn encode(&self, out: &mut Vec<u8>) {
                let mut w = Writer::from_vec(core::mem::take(out));
                w.string(self.service.as_bytes());
                *out = w.into_bytes();
            }

            fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
                Ok(Self { service: read_text(r, "service name")? })
            }
        }
    };
}
service_codec!(ServiceRequest);
service_codec!(ServiceAccept);

/// One RFC 8308 extension: a name and an extension-specific value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// E.g. `server-sig-algs`.
    pub name: String,
    /// The raw value (for `server-sig-algs`, a comma-separated name-list).
    pub value: Vec<u8>,
}

/// SSH_MSG_EXT_INFO (RFC 8308 §2.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExtInfo {
    /// The extensions, in the peer's order.
    pub extensions: Vec<Extension>,
}

/// Most extensions one EXT_INFO may carry; RFC 8308 defines four and
/// OpenSSH sends a handful, so this only stops count-driven floods.
pub const MAX_EXTENSIONS: usize = 64;

impl ExtInfo {
    /// The value of the extension named `name`, if present.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.extensions.iter().find(|e| e.name == name).map(|e| e.value.as_slice())
    }

    /// The `server-sig-algs` names (RFC 8308 §3.1), if the extension is
    /// present and well-formed.
    #[must_use]
    pub fn server_sig_algs(&self) -> Option<Vec<String>> {
        let value = self.get("server-sig-algs")?;
        let mut w = Writer::new();
        w.string(value);
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        read_names(&mut r).ok()
    }
}

impl Codec for ExtInfo {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.u32(u32::try_from(self.extensions.len()).unwrap_or(u32::MAX));
        for e in &self.extensions {
            w.string(e.name.as_bytes()).string(&e.value);
        }
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        // Each extension is at least two empty strings: 8 bytes.
        let count = r.count("extension", 8, MAX_EXTENSIONS)?;
        let mut extensions = Vec::with_capacity(count);
        for _ in 0..count {
            let name = read_text(r, "extension name")?;
            let value = r.string()?.to_vec();
            extensions.push(Extension { name, value });
        }
        Ok(Self { extensions })
    }
}

/// SSH_MSG_KEXINIT (RFC 4253 §7.1): each side's algorithm preferences.
///
/// Names are validated on read (printable US-ASCII, non-empty, at most
/// 64 bytes: [`crate::wire::MAX_NAME_LEN`]); unknown names are kept as
/// they are, since negotiation simply never picks them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KexInit {
    /// 16 random bytes.
    pub cookie: [u8; 16],
    /// Key exchange methods, plus pseudo-names such as `ext-info-c` and
    /// `kex-strict-c-v00@openssh.com`.
    pub kex: Vec<String>,
    /// Host key (signature) algorithms.
    pub host_key: Vec<String>,
    /// Ciphers, client to server.
    pub cipher_c2s: Vec<String>,
    /// Ciphers, server to client.
    pub cipher_s2c: Vec<String>,
    /// MACs, client to server.
    pub mac_c2s: Vec<String>,
    /// MACs, server to client.
    pub mac_s2c: Vec<String>,
    /// Compression, client to server.
    pub compression_c2s: Vec<String>,
    /// Compression, server to client.
    pub compression_s2c: Vec<String>,
    /// Languages, client to server (usually empty).
    pub language_c2s: Vec<String>,
    /// Languages, server to client (usually empty).
    pub language_s2c: Vec<String>,
    /// Whether a guessed KEX packet follows.
    pub first_kex_packet_follows: bool,
    /// Reserved for future extension; kept as received so that the
    /// message (which feeds the exchange hash) round-trips exactly.
    pub reserved: u32,
}

impl KexInit {
    fn lists(&self) -> [&Vec<String>; 10] {
        [
            &self.kex,
            &self.host_key,
            &self.cipher_c2s,
            &self.cipher_s2c,
            &self.mac_c2s,
            &self.mac_s2c,
            &self.compression_c2s,
            &self.compression_s2c,
            &self.language_c2s,
            &self.language_s2c,
        ]
    }
}

impl Codec for KexInit {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        for byte in self.cookie {
            w.byte(byte);
        }
        for list in self.lists() {
            let names: Vec<&str> = list.iter().map(String::as_str).collect();
            w.name_list(&names);
        }
        w.boolean(self.first_kex_packet_follows).u32(self.reserved);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            cookie: read_array(r)?,
            kex: read_names(r)?,
            host_key: read_names(r)?,
            cipher_c2s: read_names(r)?,
            cipher_s2c: read_names(r)?,
            mac_c2s: read_names(r)?,
            mac_s2c: read_names(r)?,
            compression_c2s: read_names(r)?,
            compression_s2c: read_names(r)?,
            language_c2s: read_names(r)?,
            language_s2c: read_names(r)?,
            first_kex_packet_follows: r.boolean()?,
            reserved: r.u32()?,
        })
    }
}

/// SSH_MSG_NEWKEYS: no body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NewKeys;

impl Codec for NewKeys {
    fn encode(&self, _out: &mut Vec<u8>) {}

    fn read(_r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self)
    }
}

/// SSH_MSG_KEX_ECDH_INIT (number 30 under ECDH and curve25519 methods;
/// other KEX methods reuse the number with other bodies, so this is
/// decoded from [`crate::msg::Message::Other`] by the method that knows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KexEcdhInit {
    /// The client's ephemeral public key `Q_C`.
    pub client_public: Vec<u8>,
}

impl Codec for KexEcdhInit {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(&self.client_public);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self { client_public: r.string()?.to_vec() })
    }
}

/// SSH_MSG_KEX_ECDH_REPLY (number 31 under ECDH and curve25519 methods).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KexEcdhReply {
    /// The server's host key blob `K_S`.
    pub host_key: Vec<u8>,
    /// The server's ephemeral public key `Q_S`.
    pub server_public: Vec<u8>,
    /// The signature over the exchange hash.
    pub signature: Vec<u8>,
}

impl Codec for KexEcdhReply {
    fn encode(&self, out: &mut Vec<u8>) {
        let mut w = Writer::from_vec(core::mem::take(out));
        w.string(&self.host_key).string(&self.server_public).string(&self.signature);
        *out = w.into_bytes();
    }

    fn read(r: &mut Reader<'_>) -> Result<Self, WireError> {
        Ok(Self {
            host_key: r.string()?.to_vec(),
            server_public: r.string()?.to_vec(),
            signature: r.string()?.to_vec(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg::Message;

    #[test]
    fn kexinit_round_trips_with_unknown_names() {
        let kexinit = KexInit {
            cookie: [7; 16],
            kex: vec!["curve25519-sha256".into(), "future-kex@example.org".into()],
            host_key: vec!["ssh-ed25519".into()],
            cipher_c2s: vec!["chacha20-poly1305@openssh.com".into()],
            cipher_s2c: vec!["aes128-ctr".into()],
            mac_c2s: vec![],
            mac_s2c: vec!["hmac-sha2-256".into()],
            compression_c2s: vec!["none".into()],
            compression_s2c: vec!["none".into()],
            language_c2s: vec![],
            language_s2c: vec![],
            first_kex_packet_follows: true,
            reserved: 5,
        };
        let message = Message::KexInit(kexinit);
        let bytes = message.to_bytes();
        assert_eq!(bytes.first(), Some(&20));
        assert_eq!(Message::decode(&bytes).unwrap(), message);
    }

    #[test]
    fn disconnect_text_must_be_utf8() {
        let mut w = Writer::new();
        w.byte(1).u32(2).string(b"\xff").string(b"");
        assert_eq!(
            Message::decode(&w.into_bytes()),
            Err(WireError::InvalidUtf8 { what: "disconnect description", offset: 5 })
        );
    }

    #[test]
    fn ext_info_counts_are_checked_before_allocating() {
        let mut w = Writer::new();
        w.byte(7).u32(u32::MAX);
        assert!(matches!(Message::decode(&w.into_bytes()), Err(WireError::CountTooLarge { what: "extension", .. })));
        let info = ExtInfo {
            extensions: vec![Extension { name: "server-sig-algs".into(), value: b"ssh-ed25519,rsa-sha2-256".to_vec() }],
        };
        assert_eq!(info.server_sig_algs().unwrap(), ["ssh-ed25519", "rsa-sha2-256"]);
        let message = Message::ExtInfo(info);
        assert_eq!(Message::decode(&message.to_bytes()).unwrap(), message);
    }
}
