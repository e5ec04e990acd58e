//! The handshake transcript hash (RFC 8446 section 4.4.1).
//!
//! Entry point: [`Transcript`]. A client does not know the hash until the
//! ServerHello names a suite, so the transcript buffers messages until
//! [`Transcript::start_hash`]; a HelloRetryRequest replaces ClientHello1
//! with the synthetic `message_hash` message.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::hash::{HashAlgorithm, Hasher};

pub(crate) enum Transcript {
    Buffering(Vec<u8>),
    // Boxed: a running hasher is far larger than the buffer.
    Hashing(Box<Hasher>),
}

impl Transcript {
    pub(crate) const fn new() -> Self {
        Self::Buffering(Vec::new())
    }

    pub(crate) fn add(&mut self, message: &[u8]) {
        match self {
            Self::Buffering(buf) => buf.extend_from_slice(message),
            Self::Hashing(h) => h.update(message),
        }
    }

    /// Switches from buffering to hashing with `hash`.
    pub(crate) fn start_hash(&mut self, hash: HashAlgorithm) {
        if let Self::Buffering(buf) = self {
            let mut h = Hasher::new(hash);
            h.update(buf);
            *self = Self::Hashing(Box::new(h));
        }
    }

    /// Replaces everything so far (ClientHello1) with
    /// `message_hash(Hash(ClientHello1))`, for a HelloRetryRequest.
    pub(crate) fn rollup_for_hrr(&mut self, hash: HashAlgorithm) {
        let digest = match self {
            Self::Buffering(buf) => hash.hash(buf),
            Self::Hashing(h) => (**h).clone().finalize(),
        };
        let mut h = Hasher::new(hash);
        h.update(&[254, 0, 0, digest.len() as u8]);
        h.update(&digest);
        *self = Self::Hashing(Box::new(h));
    }

    /// The hash of everything so far (empty if still buffering, which the
    /// state machines never ask for).
    pub(crate) fn current_hash(&self) -> Vec<u8> {
        match self {
            Self::Buffering(_) => Vec::new(),
            Self::Hashing(h) => (**h).clone().finalize(),
        }
    }
}
