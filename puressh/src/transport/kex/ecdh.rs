//! ecdh-sha2-nistp256/384/521 (RFC 5656 §4): uncompressed SEC1 points as
//! strings, `K` the x-coordinate as an mpint, SHA-256/384/512 by curve.

use super::{KexMethod, KexOutcome, mpint_secret};
use crate::error::KexError;
use purecrypto::ec::{Curve, PublicKey, SecretKey, ecdh};
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::CryptoRng;

/// An ephemeral ECDH exchange on curve `C`.
pub struct Ecdh<C: Curve> {
    name: &'static str,
    hash: HashAlgorithm,
    secret: SecretKey<C>,
}

impl<C: Curve> Ecdh<C> {
    /// A fresh key for the method `name` (which fixes the hash); `None`
    /// when `name` is not an ECDH method or the generator fails.
    pub fn generate(name: &str, rng: &mut impl CryptoRng) -> Option<Self> {
        let secret = SecretKey::<C>::generate(rng).ok()?;
        Self::with_secret(name, secret)
    }

    /// A fixed key, for known-answer tests.
    #[must_use]
    pub fn with_secret(name: &str, secret: SecretKey<C>) -> Option<Self> {
        let (name, hash) = match name {
            crate::names::ECDH_SHA2_NISTP256 => (crate::names::ECDH_SHA2_NISTP256, HashAlgorithm::Sha256),
            crate::names::ECDH_SHA2_NISTP384 => (crate::names::ECDH_SHA2_NISTP384, HashAlgorithm::Sha384),
            crate::names::ECDH_SHA2_NISTP521 => (crate::names::ECDH_SHA2_NISTP521, HashAlgorithm::Sha512),
            _ => return None,
        };
        Some(Self { name, hash, secret })
    }
}

impl<C: Curve> KexMethod for Ecdh<C> {
    fn name(&self) -> &'static str {
        self.name
    }

    fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    fn client_public(&self) -> Vec<u8> {
        self.secret.public_key().to_sec1(false)
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        let bad = || KexError::BadPublicValue { what: "Q_S" };
        // RFC 5656 §4: the point must be on the curve; uncompressed only.
        if server_public.first() != Some(&4) {
            return Err(bad());
        }
        let peer = PublicKey::<C>::from_sec1(server_public).map_err(|_| bad())?;
        let shared = ecdh::diffie_hellman(&self.secret, &peer).map_err(|_| bad())?;
        Ok(KexOutcome { client_value: self.client_public(), shared_secret: mpint_secret(shared.as_bytes()) })
    }
}
