//! mlkem768x25519-sha256 (draft-ietf-sshm-mlkem-hybrid-kex) through
//! purecrypto's combiner (`purecrypto::hybrid::ssh`): `C_INIT` is an
//! ML-KEM-768 encapsulation key and an X25519 value, `S_REPLY` a
//! ciphertext and an X25519 value, `K = SHA-256(K_PQ || K_CL)` a string.

use super::{KexMethod, KexOutcome};
use crate::error::KexError;
use purecrypto::hash::HashAlgorithm;
use purecrypto::hybrid::ssh;
use purecrypto::rng::CryptoRng;

/// The client's ephemeral ML-KEM-768 and X25519 keys.
pub struct MlKem768X25519 {
    state: ssh::ClientState,
    c_init: Vec<u8>,
}

impl MlKem768X25519 {
    /// Fresh keys; `None` when the generator fails.
    pub fn generate(rng: &mut impl CryptoRng) -> Option<Self> {
        let (state, c_init) = ssh::client_init(rng).ok()?;
        Some(Self { state, c_init })
    }

    /// Fixed keys (the ML-KEM seed `d || z` and the X25519 secret), for
    /// known-answer tests.
    #[must_use]
    pub fn from_seeds(mlkem_seed: &[u8; 64], x25519_secret: &[u8; 32]) -> Self {
        let (state, c_init) = ssh::client_init_derand(mlkem_seed, x25519_secret);
        Self { state, c_init }
    }
}

impl KexMethod for MlKem768X25519 {
    fn name(&self) -> &'static str {
        crate::names::MLKEM768X25519_SHA256
    }

    fn hash(&self) -> HashAlgorithm {
        HashAlgorithm::Sha256
    }

    fn client_public(&self) -> Vec<u8> {
        self.c_init.clone()
    }

    fn finish(self: Box<Self>, server_public: &[u8]) -> Result<KexOutcome, KexError> {
        let k = self
            .state
            .finish(server_public)
            .map_err(|_| KexError::BadPublicValue { what: "mlkem768x25519 S_REPLY" })?;
        Ok(KexOutcome { client_value: self.c_init, shared_secret: k.to_ssh_string() })
    }
}
