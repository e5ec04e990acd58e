//! curve25519-sha256 (RFC 8731), also under its older name
//! curve25519-sha256@libssh.org: X25519 values as 32-byte strings, `K`
//! the X25519 output read as a big-endian integer (an mpint), SHA-256.

use super::{KexMethod, KexOutcome, mpint_secret};
use crate::error::KexError;
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::CryptoRng;
use purecrypto::x25519::{PrivateKey, PublicKey};

/// An ephemeral X25519 exchange.
pub struct Curve25519 {
    name: &'static str,
    secret: PrivateKey,
}

impl Curve25519 {
    /// A fresh ephemeral key; `name` is the negotiated spelling.
    pub fn generate(name: &'static str, rng: &mut impl CryptoRng) -> Self {
        Self { name, secret: PrivateKey::generate(rng) }
    }

    /// A fixed key, for known-answer tests.
    #[must_use]
    pub fn from_secret(name: &'static str, secret: [u8; 32]) -> Self {
        Self { name, secret: PrivateKey::from_bytes(secret) }
    }
}

impl KexMethod for Curve25519 {
    fn name(&self) -> &'static str {
        self.name
    }

    fn hash(&self) -> HashAlgorithm {
        HashAlgorithm::Sha256
    }

    fn client_public(&self) -> Vec<u8> {
        self.secret.public_key().to_bytes().to_vec()
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        let bad = KexError::BadPublicValue { what: "Q_S" };
        let peer: [u8; 32] = server_public.try_into().map_err(|_| bad.clone())?;
        // An all-zero result (small-order Q_S) is refused (RFC 8731 §3).
        let shared = self.secret.diffie_hellman(&PublicKey::from_bytes(peer)).map_err(|_| bad)?;
        Ok(KexOutcome { client_value: self.client_public(), shared_secret: mpint_secret(shared.as_bytes()) })
    }
}
