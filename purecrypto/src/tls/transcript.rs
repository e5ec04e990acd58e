//! The handshake transcript hash (RFC 8446 section 4.4.1).
//!
//! Entry point: [`Transcript`]. A client does not know the hash until the
//! ServerHello names a suite, so the transcript buffers messages until
//! [`Transcript::start_hash`]; a HelloRetryRequest replaces ClientHello1
//! with the synthetic `message_hash` message. TLS 1.2 CertificateVerify
//! signs the messages themselves, not a hash, so a side that may need it
//! starts with [`Transcript::start_hash_keeping`].

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::hash::{HashAlgorithm, Hasher};

#[derive(Clone)]
pub(crate) enum Transcript {
    Buffering(Vec<u8>),
    // Boxed: a running hasher is far larger than the buffer. The vector,
    // when kept, holds every message (TLS 1.2 client authentication).
    Hashing(Box<Hasher>, Option<Vec<u8>>),
}

impl Transcript {
    pub(crate) const fn new() -> Self {
        Self::Buffering(Vec::new())
    }

    pub(crate) fn add(&mut self, message: &[u8]) {
        match self {
            Self::Buffering(buf) => buf.extend_from_slice(message),
            Self::Hashing(h, kept) => {
                h.update(message);
                if let Some(k) = kept {
                    k.extend_from_slice(message);
                }
            }
        }
    }

    /// Switches from buffering to hashing with `hash`.
    pub(crate) fn start_hash(&mut self, hash: HashAlgorithm) {
        self.start(hash, false);
    }

    /// As [`Self::start_hash`], and keeps the messages for
    /// [`Self::messages`].
    pub(crate) fn start_hash_keeping(&mut self, hash: HashAlgorithm) {
        self.start(hash, true);
    }

    fn start(&mut self, hash: HashAlgorithm, keep: bool) {
        if let Self::Buffering(buf) = self {
            let mut h = Hasher::new(hash);
            h.update(buf);
            let kept = keep.then(|| core::mem::take(buf));
            *self = Self::Hashing(Box::new(h), kept);
        }
    }

    /// Every message so far, when started with
    /// [`Self::start_hash_keeping`].
    pub(crate) fn messages(&self) -> Option<&[u8]> {
        match self {
            Self::Buffering(buf) => Some(buf),
            Self::Hashing(_, kept) => kept.as_deref(),
        }
    }

    /// Replaces everything so far (ClientHello1) with
    /// `message_hash(Hash(ClientHello1))`, for a HelloRetryRequest.
    pub(crate) fn rollup_for_hrr(&mut self, hash: HashAlgorithm) {
        let digest = match self {
            Self::Buffering(buf) => hash.hash(buf),
            Self::Hashing(h, _) => (**h).clone().finalize(),
        };
        let mut h = Hasher::new(hash);
        h.update(&[254, 0, 0, digest.len() as u8]);
        h.update(&digest);
        *self = Self::Hashing(Box::new(h), None);
    }

    /// The hash of everything so far followed by `extra` (a truncated
    /// ClientHello, for PSK binders), under `hash` while still buffering.
    pub(crate) fn hash_with(&self, hash: HashAlgorithm, extra: &[u8]) -> Vec<u8> {
        let mut h = match self {
            Self::Buffering(buf) => {
                let mut h = Hasher::new(hash);
                h.update(buf);
                h
            }
            Self::Hashing(h, _) => (**h).clone(),
        };
        h.update(extra);
        h.finalize()
    }

    /// The hash of everything so far (empty if still buffering, which the
    /// state machines never ask for).
    pub(crate) fn current_hash(&self) -> Vec<u8> {
        match self {
            Self::Buffering(_) => Vec::new(),
            Self::Hashing(h, _) => (**h).clone().finalize(),
        }
    }
}
