//! An opt-in log of the handshake messages, `change_cipher_spec` records
//! and alerts a [`Connection`](super::Connection) sends and receives, one
//! [`MessageEvent`] each: what OpenSSL hands its message callback
//! (`SSL_CTX_set_msg_callback`), for traces such as curl's `-v` line
//! `TLSv1.3 (OUT), TLS handshake, Client hello (1):`.
//!
//! Turned on with [`ClientConfig::message_log`](super::ClientConfig::message_log)
//! / [`ServerConfig::message_log`](super::ServerConfig::message_log) (so
//! the ClientHello, queued when the client is made, is logged) or later
//! with [`Connection::set_message_log`](super::Connection::set_message_log);
//! drained with [`Connection::take_message_log`](super::Connection::take_message_log).
//! Off, the log is `None` and costs one branch per message.

use alloc::vec::Vec;

use super::alert::AlertDescription;
use super::msgs::{self, HandshakeType};
use super::suites::ProtocolVersion;

/// Which way a logged message went.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageDirection {
    /// Queued for the peer (curl's `OUT`).
    Sent,
    /// Arrived from the peer (curl's `IN`).
    Received,
}

/// What a logged message was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum MessageKind {
    /// A handshake message of this type, before or after the handshake
    /// (NewSessionTicket, KeyUpdate, post-handshake authentication).
    Handshake(HandshakeType),
    /// A `change_cipher_spec` record (TLS 1.2; a TLS 1.3 peer's
    /// middlebox-compatibility one is logged too when received).
    ChangeCipherSpec,
    /// An alert: `level` as on the wire (1 warning, 2 fatal; a received
    /// alert's byte unchecked) and its description.
    Alert {
        /// The level byte.
        level: u8,
        /// The description.
        description: AlertDescription,
    },
}

/// One message sent or received, in the order it was queued or handled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct MessageEvent {
    /// Sent or received.
    pub direction: MessageDirection,
    /// Handshake message type, `change_cipher_spec`, or alert.
    pub kind: MessageKind,
    /// The version in effect, as OpenSSL's callback reports it: the
    /// negotiated one once known; before that (a ClientHello, a
    /// ServerHello as it arrives) the newest version this side enables.
    pub version: ProtocolVersion,
    /// The message's length in bytes: a handshake message's with its
    /// four-byte header, 1 for `change_cipher_spec`, 2 for an alert.
    pub len: usize,
}

impl MessageEvent {
    /// An event, for code that formats logs to test with (the fields are
    /// public to read; the struct may grow).
    #[must_use]
    pub const fn new(direction: MessageDirection, kind: MessageKind, version: ProtocolVersion, len: usize) -> Self {
        Self { direction, kind, version, len }
    }
}

/// Appends one event per whole handshake message in `messages` (one or
/// more framed messages, as the state machines queue them).
pub(crate) fn push_handshake(
    log: &mut Vec<MessageEvent>,
    direction: MessageDirection,
    version: ProtocolVersion,
    messages: &[u8],
) {
    let mut rest = messages;
    while let Ok(Some((typ, len))) = msgs::split_message(rest) {
        log.push(MessageEvent { direction, kind: MessageKind::Handshake(typ), version, len });
        rest = rest.get(len..).unwrap_or_default();
    }
}
