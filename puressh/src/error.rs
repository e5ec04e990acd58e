//! The crate's one error type, [`Error`], with a sub-enum per category,
//! and its mapping to SSH disconnect reasons ([`Error::disconnect_reason`]),
//! the one place where errors meet the wire.

use crate::msg::DisconnectReason;
use crate::wire::WireError;

/// Everything that can go wrong in puressh.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A message was malformed.
    #[error("malformed message: {0}")]
    Decode(#[from] WireError),
    /// The identification-string exchange failed.
    #[error("version exchange: {0}")]
    Version(#[from] VersionError),
    /// The binary packet layer refused a packet.
    #[error("packet: {0}")]
    Packet(#[from] PacketError),
    /// Payload compression (RFC 4253 §6.2) failed.
    #[error("compression: {0}")]
    Compression(#[from] CompressionError),
    /// Key exchange: negotiation failed or the peer broke the rules.
    #[error("key exchange: {0}")]
    Kex(#[from] KexError),
    /// User authentication failed locally or the server broke its rules.
    #[error("user authentication: {0}")]
    Auth(#[from] AuthError),
    /// The peer broke the connection protocol.
    #[error("channel: {0}")]
    Channel(#[from] ChannelError),
    /// The caller asked for something the state does not allow.
    #[error("API misuse: {0}")]
    Misuse(#[from] MisuseError),
    /// An `ssh_config` file is wrong.
    #[error("{0}")]
    Config(#[from] ConfigError),
    /// A `known_hosts` file is wrong.
    #[error("{0}")]
    KnownHosts(#[from] KnownHostsError),
    /// A key or signature blob, or a private key file, is wrong.
    #[error("key: {0}")]
    Key(#[from] KeyError),
}

impl Error {
    /// The reason to send in SSH_MSG_DISCONNECT before closing, or `None`
    /// for local errors that never reach the wire (files, API misuse).
    #[must_use]
    pub const fn disconnect_reason(&self) -> Option<DisconnectReason> {
        Some(match self {
            Self::Packet(PacketError::Crypto) => DisconnectReason::MAC_ERROR,
            Self::Compression(_) => DisconnectReason::COMPRESSION_ERROR,
            Self::Decode(_) | Self::Packet(_) | Self::Channel(_) => DisconnectReason::PROTOCOL_ERROR,
            Self::Version(VersionError::UnsupportedProtocol { .. }) => DisconnectReason::PROTOCOL_VERSION_NOT_SUPPORTED,
            Self::Version(_) => DisconnectReason::PROTOCOL_ERROR,
            Self::Kex(KexError::NoCommonAlgorithm { .. } | KexError::Unsupported { .. }) => {
                DisconnectReason::KEY_EXCHANGE_FAILED
            }
            Self::Kex(
                KexError::HostKeyRejected { .. }
                | KexError::HostKeyChanged { .. }
                | KexError::HostKeyUnknown { .. }
                | KexError::BadSignature,
            ) => DisconnectReason::HOST_KEY_NOT_VERIFIABLE,
            Self::Kex(_) => DisconnectReason::PROTOCOL_ERROR,
            Self::Auth(AuthError::Unexpected { .. }) => DisconnectReason::PROTOCOL_ERROR,
            Self::Auth(_) | Self::Misuse(_) | Self::Config(_) | Self::KnownHosts(_) | Self::Key(_) => return None,
        })
    }
}

/// Identification-string exchange failures (RFC 4253 §4.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VersionError {
    /// A line (banner or identification) longer than the limit.
    #[error("line {line} longer than {limit} bytes")]
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// The limit.
        limit: usize,
    },
    /// More banner lines than the limit before the identification.
    #[error("more than {limit} lines before the identification string")]
    TooManyLines {
        /// The limit.
        limit: usize,
    },
    /// More banner bytes than the limit before the identification.
    #[error("more than {limit} bytes before the identification string")]
    TooManyBytes {
        /// The limit.
        limit: usize,
    },
    /// A control or non-ASCII byte in a line.
    #[error("non-printable byte {byte:#04x} in line {line} at column {column}")]
    NonPrintable {
        /// The byte.
        byte: u8,
        /// 1-based line number.
        line: usize,
        /// 0-based column.
        column: usize,
    },
    /// The peer sent lines before its identification where none may come
    /// (a client must start with its identification).
    #[error("line {line} is not an identification string")]
    NotIdentification {
        /// 1-based line number.
        line: usize,
    },
    /// An identification string without the `SSH-x-y` shape.
    #[error("malformed identification string on line {line}")]
    Malformed {
        /// 1-based line number.
        line: usize,
    },
    /// A protocol version other than 2.0 (or a server's 1.99).
    #[error("unsupported protocol version {version:?}")]
    UnsupportedProtocol {
        /// What the peer announced.
        version: String,
    },
}

/// Binary packet protocol failures (RFC 4253 §6).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PacketError {
    /// `packet_length` over the limit, refused before allocating.
    #[error("packet length {length} exceeds the limit {limit}")]
    TooLong {
        /// The announced length.
        length: u32,
        /// The limit.
        limit: u32,
    },
    /// `packet_length` too small to hold the padding length byte and the
    /// minimum padding.
    #[error("packet length {length} is below the minimum {minimum}")]
    TooShort {
        /// The announced length.
        length: u32,
        /// The smallest valid length.
        minimum: u32,
    },
    /// The packet is not a multiple of the cipher's block size.
    #[error("packet length {length} is not a multiple of the block size {block}")]
    Misaligned {
        /// The aligned length.
        length: u32,
        /// The block size.
        block: usize,
    },
    /// `padding_length` below the RFC's minimum of 4.
    #[error("padding length {padding} is below 4")]
    PaddingTooShort {
        /// The padding length.
        padding: u8,
    },
    /// `padding_length` leaves no room (it must be < `packet_length`).
    #[error("padding length {padding} does not fit packet length {length}")]
    PaddingOverrun {
        /// The padding length.
        padding: u8,
        /// The packet length.
        length: u32,
    },
    /// The payload to send exceeds the packet limit.
    #[error("payload of {length} bytes exceeds the packet limit")]
    PayloadTooLong {
        /// The payload length.
        length: usize,
    },
    /// A sequence number would wrap around 2^32 (the connection must be
    /// rekeyed with strict KEX, which resets it, long before).
    #[error("sequence number would wrap")]
    SequenceWrapped,
    /// The cipher or MAC refused the packet (bad tag).
    #[error("message authentication failed")]
    Crypto,
}

/// Payload compression failures (RFC 4253 §6.2); each ends the
/// connection with `SSH_DISCONNECT_COMPRESSION_ERROR`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CompressionError {
    /// A packet's payload inflates past the limit (a decompression
    /// bomb); found after at most `limit + 1` bytes.
    #[error("decompressed payload exceeds the limit {limit}")]
    TooLong {
        /// The limit (the packet limit).
        limit: usize,
    },
    /// The zlib codec refused the data (or, sending, the call).
    #[error("zlib: {detail} (at compressed byte {offset:?} of the stream)")]
    Codec {
        /// compcol's description.
        detail: &'static str,
        /// Offset in the direction's compressed stream, when known.
        offset: Option<u64>,
    },
    /// The peer ended its zlib stream; SSH keeps it open until NEWKEYS.
    #[error("the peer ended its zlib stream")]
    StreamEnded,
    /// The peer's zlib stream asks for a preset dictionary.
    #[error("the peer's zlib stream asks for a preset dictionary")]
    Dictionary,
}

/// Which algorithm list a negotiation is about (RFC 4253 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Category {
    /// Key exchange.
    Kex,
    /// Host key.
    HostKey,
    /// Cipher, client to server.
    CipherC2s,
    /// Cipher, server to client.
    CipherS2c,
    /// MAC, client to server.
    MacC2s,
    /// MAC, server to client.
    MacS2c,
    /// Compression, client to server.
    CompressionC2s,
    /// Compression, server to client.
    CompressionS2c,
}

/// Key-exchange failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KexError {
    /// No algorithm in a category is supported by both sides.
    #[error("no common {category:?} algorithm")]
    NoCommonAlgorithm {
        /// The category.
        category: Category,
    },
    /// Under strict KEX, a message other than the key exchange's own came
    /// during the initial exchange (a Terrapin-style injection).
    #[error("strict KEX: message {number} (sequence {sequence}) during the initial key exchange")]
    StrictViolation {
        /// The message number.
        number: u8,
        /// Its sequence number.
        sequence: u32,
    },
    /// Under strict KEX, the peer's KEXINIT was not its first packet.
    #[error("strict KEX: the peer's KEXINIT was not its first packet")]
    KexInitNotFirst,
    /// A message that this phase of the key exchange does not allow.
    #[error("unexpected message {number} during key exchange")]
    Unexpected {
        /// The message number.
        number: u8,
    },
    /// The negotiated method or host key algorithm has no implementation.
    #[error("unsupported algorithm {name}")]
    Unsupported {
        /// The name.
        name: String,
    },
    /// The peer's ephemeral public value is malformed or degenerate.
    #[error("bad {what} in the key exchange")]
    BadPublicValue {
        /// Which value.
        what: &'static str,
    },
    /// The host key's signature over the exchange hash does not verify.
    #[error("host key signature does not verify")]
    BadSignature,
    /// The host key is not one we trust.
    #[error("host key rejected: {reason}")]
    HostKeyRejected {
        /// Why (revoked, a certificate that fails a check, a verifier's
        /// own reason).
        reason: String,
    },
    /// `known_hosts` lists another key of this type for the host: the
    /// case OpenSSH's "REMOTE HOST IDENTIFICATION HAS CHANGED" is for.
    #[error(
        "host key for {host} has changed: the {key_type} key {fingerprint} is not the one at known_hosts line {line} (possible man-in-the-middle)"
    )]
    HostKeyChanged {
        /// The lookup name (`host` or `[host]:port`).
        host: String,
        /// The key's type label (`ED25519`, `ECDSA`, `RSA`).
        key_type: String,
        /// `SHA256:...` of the key the server sent.
        fingerprint: String,
        /// The 1-based known_hosts line of the key on record.
        line: usize,
    },
    /// Nothing in `known_hosts` vouches for the host and the policy is
    /// `StrictHostKeyChecking yes` (OpenSSH's words).
    #[error("No {key_type} host key is known for {host} and you have requested strict checking.")]
    HostKeyUnknown {
        /// The lookup name (`host` or `[host]:port`).
        host: String,
        /// The key's type label (`ED25519`, `ECDSA`, `RSA`).
        key_type: String,
    },
}

/// Key, signature and private-key-file errors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KeyError {
    /// The blob or file does not parse.
    #[error("malformed {what}")]
    Malformed {
        /// What was being parsed.
        what: &'static str,
    },
    /// An algorithm, cipher or KDF we do not implement.
    #[error("unsupported {what}")]
    Unsupported {
        /// The name.
        what: String,
    },
    /// The key file is encrypted and needs a passphrase.
    #[error("the private key is encrypted")]
    Encrypted,
    /// The signature algorithm does not fit the key type.
    #[error("signature algorithm {algorithm} does not fit the key")]
    AlgorithmMismatch {
        /// The algorithm.
        algorithm: String,
    },
    /// A signature does not verify.
    #[error("signature does not verify")]
    BadSignature,
    /// An RSA key under [`crate::keys::MIN_RSA_BITS`]: refused for host
    /// keys, certificate authorities and every signature check.
    #[error("RSA key of {bits} bits is too small ({min} bits minimum)")]
    RsaTooSmall {
        /// The modulus size.
        bits: usize,
        /// The minimum.
        min: usize,
    },
    /// A well-formed certificate that is not valid here (wrong type,
    /// outside its validity window, another principal, a forbidden
    /// option).
    #[error("{reason}")]
    Certificate {
        /// Why, in OpenSSH's words where it has them.
        reason: String,
    },
}

/// User-authentication failures.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AuthError {
    /// A server message that does not fit the request in flight.
    #[error("unexpected message {number} during user authentication")]
    Unexpected {
        /// The message number.
        number: u8,
    },
    /// The [`crate::auth::Signer`] could not sign.
    #[error("signing failed: {0}")]
    SignerFailed(String),
    /// A keyboard-interactive exchange went on for more INFO_REQUEST
    /// rounds than the limit (a server that never decides).
    #[error("more than {limit} keyboard-interactive rounds")]
    TooManyInfoRequests {
        /// The limit.
        limit: usize,
    },
    /// A keyboard-interactive exchange asked more prompts in total than
    /// the limit.
    #[error("more than {limit} keyboard-interactive prompts")]
    TooManyPrompts {
        /// The limit.
        limit: usize,
    },
}

/// Connection-protocol failures caused by the peer (RFC 4254).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ChannelError {
    /// A message for a channel number we never allocated or already freed.
    #[error("message {number} for unknown channel {channel}")]
    UnknownChannel {
        /// The message number.
        number: u8,
        /// The channel number.
        channel: u32,
    },
    /// CHANNEL_OPEN_CONFIRMATION or _FAILURE for a channel not being opened.
    #[error("unsolicited open reply for channel {channel}")]
    UnsolicitedOpenReply {
        /// Our channel number.
        channel: u32,
    },
    /// CHANNEL_SUCCESS/FAILURE or REQUEST_SUCCESS/FAILURE with no request
    /// waiting for a reply.
    #[error("unsolicited request reply (channel {channel:?})")]
    UnsolicitedReply {
        /// The channel, or `None` for a global reply.
        channel: Option<u32>,
    },
    /// A message other than CONFIRMATION/FAILURE for a channel still opening.
    #[error("message {number} for channel {channel} before it was confirmed")]
    NotOpen {
        /// The message number.
        number: u8,
        /// Our channel number.
        channel: u32,
    },
    /// A WINDOW_ADJUST that would take the window past 2^32 - 1.
    #[error("window adjust of {add} on channel {channel} overflows the window {window}")]
    WindowOverflow {
        /// Our channel number.
        channel: u32,
        /// The window before.
        window: u32,
        /// The amount added.
        add: u32,
    },
    /// Data beyond the window we granted.
    #[error("{len} bytes on channel {channel} exceed the window {window}")]
    WindowExceeded {
        /// Our channel number.
        channel: u32,
        /// Bytes received.
        len: usize,
        /// The window left.
        window: u32,
    },
    /// Data chunk over the maximum packet size we announced.
    #[error("{len} bytes on channel {channel} exceed the maximum packet {max}")]
    PacketTooLarge {
        /// Our channel number.
        channel: u32,
        /// Bytes received.
        len: usize,
        /// Our announced maximum.
        max: u32,
    },
    /// Data or EOF after the peer's EOF, or anything after its CLOSE.
    #[error("message {number} on channel {channel} after the peer's {after}")]
    AfterEnd {
        /// The message number.
        number: u8,
        /// Our channel number.
        channel: u32,
        /// `"EOF"` or `"CLOSE"`.
        after: &'static str,
    },
    /// A message number that does not belong to the connection protocol.
    #[error("message {number} is not a connection-protocol message")]
    NotConnectionMessage {
        /// The message number.
        number: u8,
    },
}

/// Requests the current state cannot honour (caller bugs, not the peer's).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MisuseError {
    /// No open channel with this number.
    #[error("channel {channel} is not open")]
    ChannelNotOpen {
        /// Our channel number.
        channel: u32,
    },
    /// Data or EOF after we sent EOF or CLOSE.
    #[error("channel {channel} was already closed for sending")]
    SendAfterEnd {
        /// Our channel number.
        channel: u32,
    },
    /// Every channel number is in use.
    #[error("too many channels (limit {limit})")]
    TooManyChannels {
        /// The limit.
        limit: usize,
    },
    /// The state machine already failed; the first error was returned then.
    #[error("the connection already failed")]
    Poisoned,
    /// A call that does not fit the state machine's current state.
    #[error("{0}")]
    WrongState(&'static str),
}

/// What was wrong in an `ssh_config` line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// A keyword this parser does not know (and `IgnoreUnknown` does not cover).
    #[error("unknown keyword {0:?}")]
    UnknownKeyword(String),
    /// A keyword without its argument, or with too many.
    #[error("wrong number of arguments for {0}")]
    Arguments(&'static str),
    /// A value that does not parse (port, yes/no, number...).
    #[error("bad value {value:?} for {keyword}")]
    BadValue {
        /// The keyword.
        keyword: &'static str,
        /// The value.
        value: String,
    },
    /// An unterminated quote.
    #[error("unterminated quote")]
    UnterminatedQuote,
    /// A Match criterion this parser does not support.
    #[error("unsupported Match criterion {0:?}")]
    UnsupportedMatch(String),
    /// Include nested deeper than the limit.
    #[error("Include nested deeper than {0}")]
    IncludeDepth(usize),
    /// The include loader failed.
    #[error("Include {path:?}: {reason}")]
    Include {
        /// The path pattern.
        path: String,
        /// The loader's reason.
        reason: String,
    },
    /// A line longer than the limit, or a file with too many lines.
    #[error("line or file over the size limit")]
    TooLong,
    /// An algorithm name that is not in the registry.
    #[error("unknown algorithm {0:?}")]
    UnknownAlgorithm(String),
}

/// An `ssh_config` error: file, 1-based line and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {kind}")]
pub struct ConfigError {
    /// The file name as given to the parser.
    pub file: String,
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub kind: ConfigErrorKind,
}

/// What was wrong in a `known_hosts` line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KnownHostsErrorKind {
    /// Fewer fields than `[marker] hosts keytype key`.
    #[error("missing fields")]
    MissingFields,
    /// A marker other than @cert-authority or @revoked.
    #[error("unknown marker {0:?}")]
    UnknownMarker(String),
    /// The key is not valid base64.
    #[error("key is not valid base64")]
    BadBase64,
    /// The key blob's own type name differs from the key type field.
    #[error("key type {field:?} does not match the key blob's {blob:?}")]
    KeyTypeMismatch {
        /// The key type field.
        field: String,
        /// The type inside the blob.
        blob: String,
    },
    /// A `|1|salt|hash` entry that does not decode to a 20-byte hash.
    #[error("malformed hashed host entry")]
    BadHash,
    /// A `[host]:port` pattern with a bad port or no closing bracket.
    #[error("malformed [host]:port pattern {0:?}")]
    BadHostPort(String),
    /// A line longer than the limit.
    #[error("line over the size limit")]
    TooLong,
}

/// A `known_hosts` error: 1-based line and what.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("known_hosts line {line}: {kind}")]
pub struct KnownHostsError {
    /// 1-based line number.
    pub line: usize,
    /// What was wrong.
    pub kind: KnownHostsErrorKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn disconnect_reasons() {
        assert_eq!(Error::Packet(PacketError::Crypto).disconnect_reason(), Some(DisconnectReason::MAC_ERROR));
        assert_eq!(
            Error::Kex(KexError::NoCommonAlgorithm { category: Category::Kex }).disconnect_reason(),
            Some(DisconnectReason::KEY_EXCHANGE_FAILED)
        );
        assert_eq!(
            Error::Kex(KexError::StrictViolation { number: 2, sequence: 1 }).disconnect_reason(),
            Some(DisconnectReason::PROTOCOL_ERROR)
        );
        assert_eq!(
            Error::Version(VersionError::UnsupportedProtocol { version: "1.5".into() }).disconnect_reason(),
            Some(DisconnectReason::PROTOCOL_VERSION_NOT_SUPPORTED)
        );
        assert_eq!(Error::Misuse(MisuseError::Poisoned).disconnect_reason(), None);
    }
}
