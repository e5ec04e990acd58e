//! A connection to an SSH agent over its Unix socket: list its keys,
//! have it sign.
//!
//! Entry point: [`AgentClient::connect`] (the path of `$SSH_AUTH_SOCK`
//! or `IdentityAgent`), then [`AgentClient::identities`] and
//! [`AgentClient::sign`]. Requests are strictly one at a time: the agent
//! protocol has no request ids, answers come in order.

use super::{AgentError, AgentMessage, FLAG_RSA_SHA2_256, FLAG_RSA_SHA2_512, frame_len};
use crate::keys::cert::Certificate;
use crate::keys::{EcCurve, PublicKey};
use crate::names;
use crate::wire::Reader;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

/// How long one answer may take: an agent that asks its user to confirm
/// a signature (`ssh-add -c`) can take a while, but not forever.
const ANSWER_TIMEOUT: Duration = Duration::from_secs(60);

/// A key the agent holds that puressh can use: a plain key, or an
/// OpenSSH certificate (`ssh-add` loads `KEY-cert.pub` with `KEY`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AgentIdentity {
    /// The public key or certificate blob, as the agent sent it (what a
    /// sign request names).
    pub blob: Vec<u8>,
    /// The parsed key (for a certificate, the certified key).
    pub public: PublicKey,
    /// The agent's comment for it (lossy UTF-8).
    pub comment: String,
    /// The certificate, when the agent holds one.
    pub certificate: Option<Certificate>,
}

impl AgentIdentity {
    /// Signature algorithms the key can make, preferred first (RSA: the
    /// SHA-2 forms, never `ssh-rsa`).
    #[must_use]
    pub fn algorithms(&self) -> &'static [&'static str] {
        match &self.public {
            PublicKey::Rsa { .. } => &[names::RSA_SHA2_512, names::RSA_SHA2_256],
            PublicKey::Ed25519(_) => &[names::SSH_ED25519],
            PublicKey::Ecdsa { curve: EcCurve::P256, .. } => &[names::ECDSA_SHA2_NISTP256],
            PublicKey::Ecdsa { curve: EcCurve::P384, .. } => &[names::ECDSA_SHA2_NISTP384],
            PublicKey::Ecdsa { curve: EcCurve::P521, .. } => &[names::ECDSA_SHA2_NISTP521],
        }
    }
}

/// The sign-request flags that make an agent use `algorithm`'s hash: the
/// RSA SHA-2 flags, 0 for every other algorithm.
#[must_use]
pub fn sign_flags(algorithm: &str) -> u32 {
    match algorithm {
        names::RSA_SHA2_256 => FLAG_RSA_SHA2_256,
        names::RSA_SHA2_512 => FLAG_RSA_SHA2_512,
        _ => 0,
    }
}

/// An open connection to an agent.
#[derive(Debug)]
pub struct AgentClient {
    socket: UnixStream,
}

impl AgentClient {
    /// Connects to the agent listening at `path`.
    ///
    /// # Errors
    /// [`AgentError::Io`].
    pub fn connect(path: &Path) -> Result<Self, AgentError> {
        Self::from_stream(UnixStream::connect(path)?)
    }

    /// Uses an already connected socket.
    ///
    /// # Errors
    /// [`AgentError::Io`] if the timeouts cannot be set.
    pub fn from_stream(socket: UnixStream) -> Result<Self, AgentError> {
        socket.set_read_timeout(Some(ANSWER_TIMEOUT))?;
        socket.set_write_timeout(Some(ANSWER_TIMEOUT))?;
        Ok(Self { socket })
    }

    /// Sends one request and reads its answer.
    ///
    /// # Errors
    /// [`AgentError::Io`] (also when the agent closes the socket),
    /// [`AgentError::BadLength`], [`AgentError::Decode`].
    pub fn request(&self, message: &AgentMessage) -> Result<AgentMessage, AgentError> {
        let reply = exchange_frame(&self.socket, &message.to_frame())?;
        Ok(AgentMessage::decode(reply.get(4..).unwrap_or_default())?)
    }

    /// The keys the agent holds, in its order, leaving out the kinds
    /// puressh cannot sign with (certificates, security keys).
    ///
    /// # Errors
    /// As [`Self::request`]; [`AgentError::Refused`],
    /// [`AgentError::Unexpected`].
    pub fn identities(&self) -> Result<Vec<AgentIdentity>, AgentError> {
        match self.request(&AgentMessage::RequestIdentities)? {
            AgentMessage::IdentitiesAnswer(entries) => Ok(entries
                .into_iter()
                .filter_map(|entry| {
                    let (public, certificate) = match PublicKey::from_blob(&entry.key) {
                        Ok(public) => (public, None),
                        Err(_) => {
                            let certificate = Certificate::from_blob(&entry.key).ok()?;
                            (certificate.key.clone(), Some(certificate))
                        }
                    };
                    let comment = String::from_utf8_lossy(&entry.comment).into_owned();
                    Some(AgentIdentity { blob: entry.key, public, comment, certificate })
                })
                .collect()),
            AgentMessage::Failure => Err(AgentError::Refused),
            other => Err(AgentError::Unexpected { number: other.number() }),
        }
    }

    /// Has the agent sign `data` with the key `blob` under `algorithm`;
    /// returns the SSH signature blob. An answer made with another
    /// algorithm (an old agent ignoring the RSA SHA-2 flags answers
    /// `ssh-rsa`) is refused rather than sent to the server.
    ///
    /// # Errors
    /// As [`Self::request`]; [`AgentError::Refused`],
    /// [`AgentError::Unexpected`], [`AgentError::WrongAlgorithm`].
    pub fn sign(&self, blob: &[u8], data: &[u8], algorithm: &str) -> Result<Vec<u8>, AgentError> {
        let request =
            AgentMessage::SignRequest { key: blob.to_vec(), data: data.to_vec(), flags: sign_flags(algorithm) };
        match self.request(&request)? {
            AgentMessage::SignResponse(signature) => {
                let named = Reader::new(&signature).utf8("signature algorithm")?;
                if named != algorithm {
                    return Err(AgentError::WrongAlgorithm { wanted: algorithm.to_owned(), got: named.to_owned() });
                }
                Ok(signature)
            }
            AgentMessage::Failure => Err(AgentError::Refused),
            other => Err(AgentError::Unexpected { number: other.number() }),
        }
    }
}

impl crate::auth::Signer for AgentClient {
    fn sign(&self, algorithm: &str, key: &[u8], data: &[u8]) -> Result<Vec<u8>, String> {
        Self::sign(self, key, data, algorithm).map_err(|e| e.to_string())
    }
}

/// Writes one whole frame to the agent and reads one whole frame back
/// (prefix included), bounded by [`super::MAX_MESSAGE_LEN`]. The
/// forwarding relay uses it too: it passes the server's requests through
/// unchanged.
///
/// # Errors
/// [`AgentError::Io`], [`AgentError::BadLength`].
pub(crate) fn exchange_frame(mut socket: &UnixStream, frame: &[u8]) -> Result<Vec<u8>, AgentError> {
    socket.write_all(frame)?;
    let mut reply = vec![0u8; 4];
    socket.read_exact(&mut reply)?;
    let total = frame_len(&reply)?.unwrap_or(4);
    reply.resize(total, 0);
    socket.read_exact(reply.get_mut(4..).unwrap_or_default())?;
    Ok(reply)
}
