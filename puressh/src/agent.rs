//! The SSH agent protocol (draft-miller-ssh-agent), client side: the
//! messages a client needs to list an agent's keys and have it sign, and
//! the length-prefixed framing every agent message travels in.
//!
//! Entry points: [`AgentMessage::decode`] / [`AgentMessage::encode`] for
//! one message body, [`frame_len`] to find a whole frame in a byte
//! stream, and [`AgentClient`] (`agent/client.rs`), which talks to the
//! agent behind `$SSH_AUTH_SOCK` and signs publickey requests as an
//! [`auth::Signer`](crate::auth::Signer).
//!
//! Every frame is `uint32 length || byte type || body`. A frame longer
//! than [`MAX_MESSAGE_LEN`] is refused before anything is allocated, and
//! the identity count of an answer is checked against the bytes that
//! follow it, so a hostile agent (or a hostile server speaking through a
//! forwarded agent channel) cannot make us reserve memory it did not send.

mod client;

pub(crate) use client::exchange_frame;
pub use client::{AgentClient, AgentIdentity, sign_flags};

use crate::wire::{Reader, WireError, Writer};

/// The longest agent message accepted (OpenSSH's `AGENT_MAX_LEN`).
pub const MAX_MESSAGE_LEN: usize = 256 * 1024;

/// Most identities one answer may list (OpenSSH's agent holds at most
/// 1024 keys by default; more would only be a way to waste our time).
pub const MAX_IDENTITIES: usize = 2048;

/// `SSH_AGENT_FAILURE`.
pub const AGENT_FAILURE: u8 = 5;
/// `SSH_AGENT_SUCCESS`.
pub const AGENT_SUCCESS: u8 = 6;
/// `SSH_AGENTC_REQUEST_IDENTITIES`.
pub const AGENTC_REQUEST_IDENTITIES: u8 = 11;
/// `SSH_AGENT_IDENTITIES_ANSWER`.
pub const AGENT_IDENTITIES_ANSWER: u8 = 12;
/// `SSH_AGENTC_SIGN_REQUEST`.
pub const AGENTC_SIGN_REQUEST: u8 = 13;
/// `SSH_AGENT_SIGN_RESPONSE`.
pub const AGENT_SIGN_RESPONSE: u8 = 14;

/// Sign-request flag: an RSA key signs with SHA-256 (`rsa-sha2-256`).
pub const FLAG_RSA_SHA2_256: u32 = 0x02;
/// Sign-request flag: an RSA key signs with SHA-512 (`rsa-sha2-512`).
pub const FLAG_RSA_SHA2_512: u32 = 0x04;

/// Why talking to the agent failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AgentError {
    /// The socket failed.
    #[error("agent I/O: {0}")]
    Io(#[from] std::io::Error),
    /// A message did not parse.
    #[error("malformed agent message: {0}")]
    Decode(#[from] WireError),
    /// A frame announced more than [`MAX_MESSAGE_LEN`] bytes (or none).
    #[error("agent message of {len} bytes (limit {MAX_MESSAGE_LEN})")]
    BadLength {
        /// The announced length.
        len: u64,
    },
    /// The agent answered `SSH_AGENT_FAILURE`.
    #[error("the agent refused the request")]
    Refused,
    /// The agent signed with another algorithm than the one asked for.
    #[error("the agent signed with {got} instead of {wanted}")]
    WrongAlgorithm {
        /// The algorithm asked for.
        wanted: String,
        /// The algorithm of its signature.
        got: String,
    },
    /// The agent answered with a message the request does not allow.
    #[error("unexpected agent message {number}")]
    Unexpected {
        /// Its type byte.
        number: u8,
    },
}

/// One key the agent holds, as it lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityEntry {
    /// The public key blob.
    pub key: Vec<u8>,
    /// The comment (UTF-8 is not required by the draft; kept as bytes).
    pub comment: Vec<u8>,
}

/// One agent message, typed for what a client sends and reads; other
/// types are kept whole so they round-trip.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AgentMessage {
    /// `SSH_AGENT_FAILURE`.
    Failure,
    /// `SSH_AGENT_SUCCESS`.
    Success,
    /// `SSH_AGENTC_REQUEST_IDENTITIES`.
    RequestIdentities,
    /// `SSH_AGENT_IDENTITIES_ANSWER`.
    IdentitiesAnswer(Vec<IdentityEntry>),
    /// `SSH_AGENTC_SIGN_REQUEST`.
    SignRequest {
        /// The public key blob of the key to sign with.
        key: Vec<u8>,
        /// The bytes to sign.
        data: Vec<u8>,
        /// [`FLAG_RSA_SHA2_256`], [`FLAG_RSA_SHA2_512`] or 0.
        flags: u32,
    },
    /// `SSH_AGENT_SIGN_RESPONSE`: an SSH signature blob.
    SignResponse(Vec<u8>),
    /// Any other type, with its body.
    Other {
        /// The type byte.
        number: u8,
        /// Everything after it.
        body: Vec<u8>,
    },
}

impl AgentMessage {
    /// The type byte.
    #[must_use]
    pub const fn number(&self) -> u8 {
        match self {
            Self::Failure => AGENT_FAILURE,
            Self::Success => AGENT_SUCCESS,
            Self::RequestIdentities => AGENTC_REQUEST_IDENTITIES,
            Self::IdentitiesAnswer(_) => AGENT_IDENTITIES_ANSWER,
            Self::SignRequest { .. } => AGENTC_SIGN_REQUEST,
            Self::SignResponse(_) => AGENT_SIGN_RESPONSE,
            Self::Other { number, .. } => *number,
        }
    }

    /// Parses one message (the frame's contents, without the length).
    ///
    /// # Errors
    /// [`WireError`] for a truncated message, trailing bytes or an
    /// identity count the message cannot hold.
    pub fn decode(message: &[u8]) -> Result<Self, WireError> {
        let mut r = Reader::new(message);
        let number = r.byte()?;
        let parsed = match number {
            AGENT_FAILURE => Self::Failure,
            AGENT_SUCCESS => Self::Success,
            AGENTC_REQUEST_IDENTITIES => Self::RequestIdentities,
            AGENT_IDENTITIES_ANSWER => {
                // Each entry is two strings: at least 8 bytes.
                let count = r.count("agent identities", 8, MAX_IDENTITIES)?;
                let mut entries = Vec::with_capacity(count);
                for _ in 0..count {
                    let key = r.string()?.to_vec();
                    let comment = r.string()?.to_vec();
                    entries.push(IdentityEntry { key, comment });
                }
                Self::IdentitiesAnswer(entries)
            }
            AGENTC_SIGN_REQUEST => {
                let key = r.string()?.to_vec();
                let data = r.string()?.to_vec();
                Self::SignRequest { key, data, flags: r.u32()? }
            }
            AGENT_SIGN_RESPONSE => Self::SignResponse(r.string()?.to_vec()),
            _ => return Ok(Self::Other { number, body: r.rest().to_vec() }),
        };
        r.finish()?;
        Ok(parsed)
    }

    /// The message without its length prefix.
    #[must_use]
    pub fn encode(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.byte(self.number());
        match self {
            Self::Failure | Self::Success | Self::RequestIdentities => {}
            Self::IdentitiesAnswer(entries) => {
                w.u32(u32::try_from(entries.len()).unwrap_or(u32::MAX));
                for entry in entries {
                    w.string(&entry.key).string(&entry.comment);
                }
            }
            Self::SignRequest { key, data, flags } => {
                w.string(key).string(data).u32(*flags);
            }
            Self::SignResponse(signature) => {
                w.string(signature);
            }
            Self::Other { body, .. } => {
                let mut bytes = w.into_bytes();
                bytes.extend_from_slice(body);
                return bytes;
            }
        }
        w.into_bytes()
    }

    /// The message with its `uint32` length prefix, ready to send.
    #[must_use]
    pub fn to_frame(&self) -> Vec<u8> {
        let body = self.encode();
        let mut w = Writer::new();
        w.string(&body);
        w.into_bytes()
    }
}

/// The total size (prefix included) of the frame that starts `buffer`,
/// once its 4-byte length is there; `None` while it is not.
///
/// # Errors
/// [`AgentError::BadLength`] for an empty frame or one over
/// [`MAX_MESSAGE_LEN`], before any of it is buffered.
pub fn frame_len(buffer: &[u8]) -> Result<Option<usize>, AgentError> {
    let Some(prefix) = buffer.first_chunk::<4>() else { return Ok(None) };
    let len = u32::from_be_bytes(*prefix);
    match usize::try_from(len) {
        Ok(n) if (1..=MAX_MESSAGE_LEN).contains(&n) => Ok(Some(n + 4)),
        _ => Err(AgentError::BadLength { len: u64::from(len) }),
    }
}

#[cfg(test)]
mod tests;
