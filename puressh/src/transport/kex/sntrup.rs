//! sntrup761x25519-sha512 (draft-josefsson-ntruprime-ssh), also under its
//! first name sntrup761x25519-sha512@openssh.com: the client sends an
//! sntrup761 public key and an X25519 value (`1158 + 32` bytes), the
//! server a ciphertext and its X25519 value (`1039 + 32`), and
//! `K = SHA-512(K_sntrup || X25519 output)` enters the exchange hash
//! and the key derivation as a string.

use super::{KexMethod, KexOutcome, string_secret};
use crate::error::KexError;
use purecrypto::hash::{Hash, HashAlgorithm, Sha512};
use purecrypto::rng::CryptoRng;
use purecrypto::sntrup761;
use purecrypto::x25519;
use zeroize::Zeroizing;

/// An ephemeral sntrup761 key pair and X25519 key.
pub struct Sntrup761X25519 {
    name: &'static str,
    kem: sntrup761::DecapsulationKey,
    x25519: x25519::PrivateKey,
}

impl Sntrup761X25519 {
    /// Fresh keys; `name` is the negotiated spelling. `None` when the
    /// generator fails.
    pub fn generate(name: &'static str, rng: &mut impl CryptoRng) -> Option<Self> {
        let (kem, _) = sntrup761::generate(rng).ok()?;
        Some(Self { name, kem, x25519: x25519::PrivateKey::generate(rng) })
    }

    /// Fixed keys, for known-answer tests.
    #[must_use]
    pub fn from_keys(name: &'static str, kem: sntrup761::DecapsulationKey, x25519_secret: [u8; 32]) -> Self {
        Self { name, kem, x25519: x25519::PrivateKey::from_bytes(x25519_secret) }
    }
}

impl KexMethod for Sntrup761X25519 {
    fn name(&self) -> &'static str {
        self.name
    }

    fn hash(&self) -> HashAlgorithm {
        HashAlgorithm::Sha512
    }

    fn client_public(&self) -> Vec<u8> {
        let mut out = self.kem.encapsulation_key().as_bytes().to_vec();
        out.extend_from_slice(self.x25519.public_key().as_bytes());
        out
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        let bad = || KexError::BadPublicValue { what: "sntrup761x25519 reply" };
        if server_public.len() != sntrup761::CIPHERTEXT_LEN + 32 {
            return Err(bad());
        }
        let (ct, peer) = server_public.split_at(sntrup761::CIPHERTEXT_LEN);
        let peer: [u8; 32] = peer.try_into().map_err(|_| bad())?;
        // An all-zero X25519 output (small-order value) is refused.
        let classical = self.x25519.diffie_hellman(&x25519::PublicKey::from_bytes(peer)).map_err(|_| bad())?;
        let ct = sntrup761::Ciphertext::from_bytes(ct).map_err(|_| bad())?;
        let pq = self.kem.decapsulate(&ct);
        let mut h = Sha512::new();
        h.update(pq.as_bytes());
        h.update(classical.as_bytes());
        let k = Zeroizing::new(h.finalize());
        Ok(KexOutcome { client_value: self.client_public(), shared_secret: string_secret(k.as_ref()) })
    }
}
