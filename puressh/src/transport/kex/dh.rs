//! diffie-hellman-group14-sha256, group16-sha512, group18-sha512
//! (RFC 8268, groups of RFC 3526): `e`, `f` and `K` are mpints.

use super::{KexMethod, KexOutcome, mpint_secret};
use crate::error::KexError;
use crate::wire::{Reader, Writer};
use purecrypto::ffdh::{DhPrivateKey, Group};
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::CryptoRng;
use zeroize::Zeroizing;

/// An ephemeral finite-field exchange.
pub struct DiffieHellman {
    name: &'static str,
    hash: HashAlgorithm,
    secret: DhPrivateKey,
}

impl DiffieHellman {
    /// A fresh exponent for the method `name` in `group`; `None` when
    /// `name` is not a DH method or generation fails.
    pub fn generate(name: &str, group: Group, rng: &mut impl CryptoRng) -> Option<Self> {
        let secret = DhPrivateKey::generate(group, rng).ok()?;
        Self::with_secret(name, secret)
    }

    /// A fixed exponent, for known-answer tests.
    #[must_use]
    pub fn with_secret(name: &str, secret: DhPrivateKey) -> Option<Self> {
        use crate::names as n;
        let (name, hash) = match name {
            n::DH_GROUP14_SHA256 => (n::DH_GROUP14_SHA256, HashAlgorithm::Sha256),
            n::DH_GROUP16_SHA512 => (n::DH_GROUP16_SHA512, HashAlgorithm::Sha512),
            n::DH_GROUP18_SHA512 => (n::DH_GROUP18_SHA512, HashAlgorithm::Sha512),
            _ => return None,
        };
        Some(Self { name, hash, secret })
    }
}

impl KexMethod for DiffieHellman {
    fn name(&self) -> &'static str {
        self.name
    }

    fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    fn client_public(&self) -> Vec<u8> {
        self.secret.public_key()
    }

    fn public_is_mpint(&self) -> bool {
        true
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        // 1 < f < p - 1 and f in the prime-order subgroup (RFC 4253 §8).
        let shared =
            Zeroizing::new(self.secret.agree(server_public).map_err(|_| KexError::BadPublicValue { what: "f" })?);
        // `e` goes into the hash as its mpint: the bytes inside it.
        let mut w = Writer::new();
        w.mpint_unsigned(&self.client_public());
        let encoded = w.into_bytes();
        let client_value = Reader::new(&encoded).string().map(<[u8]>::to_vec).unwrap_or_default();
        Ok(KexOutcome { client_value, shared_secret: mpint_secret(&shared) })
    }
}
