//! The SSH hybrid key exchange `mlkem768x25519-sha256`
//! (draft-ietf-sshm-mlkem-hybrid-kex).
//!
//! Entry points: [`client_init`] (the client's `C_INIT`), [`server_reply`]
//! (the server's `S_REPLY` and `K`), [`ClientState::finish`] (the client's
//! `K`), each with a `_derand` twin for tests.
//!
//! - `C_INIT = ML-KEM-768 ek (1184) || X25519 public key (32)`, sent as
//!   the string of `SSH_MSG_KEX_HYBRID_INIT`;
//! - `S_REPLY = ML-KEM-768 ciphertext (1088) || X25519 public key (32)`,
//!   the string of `SSH_MSG_KEX_HYBRID_REPLY`;
//! - `K = SHA-256(K_PQ || K_CL)`, the ML-KEM secret then the X25519 one.
//!   Unlike the classical exchanges, `K` enters the exchange hash and the
//!   key derivation as an SSH *string* (not an mpint):
//!   [`SharedSecret::to_ssh_string`] gives that encoding.
//!
//! ```
//! use purecrypto::hybrid::ssh;
//!
//! let (client, c_init) = ssh::client_init_derand(&[1; 64], &[2; 32]);
//! let (s_reply, server_k) = ssh::server_reply_derand(&c_init, &[3; 32], &[4; 32])?;
//! let client_k = client.finish(&s_reply)?;
//! assert_eq!(client_k, server_k);
//! assert_eq!(client_k.to_ssh_string()[..4], [0, 0, 0, 32]);
//! # Ok::<(), purecrypto::Error>(())
//! ```

use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::hash::{Hash, Sha256};
use crate::mlkem::{SEED_LEN, ml_kem_768};
use crate::rng::CryptoRng;
use crate::x25519;

/// The algorithm name in `SSH_MSG_KEXINIT`.
pub const NAME: &str = "mlkem768x25519-sha256";
/// Bytes of `C_INIT`.
pub const CLIENT_INIT_LEN: usize = ml_kem_768::ENCAPSULATION_KEY_LEN + 32;
/// Bytes of `S_REPLY`.
pub const SERVER_REPLY_LEN: usize = ml_kem_768::CIPHERTEXT_LEN + 32;

/// The client's private state between `C_INIT` and `S_REPLY`. Zeroized on
/// drop; consumed by [`ClientState::finish`].
pub struct ClientState {
    dk: ml_kem_768::DecapsulationKey,
    x25519: x25519::PrivateKey,
}

/// Client: fresh ML-KEM-768 and X25519 key pairs; returns the state and
/// `C_INIT`.
///
/// # Errors
/// The generator's error.
pub fn client_init(rng: &mut (impl CryptoRng + ?Sized)) -> Result<(ClientState, Vec<u8>), Error> {
    let mut seed = Zeroizing::new([0u8; SEED_LEN]);
    let mut x = Zeroizing::new([0u8; 32]);
    rng.try_fill_bytes(seed.as_mut())?;
    rng.try_fill_bytes(x.as_mut())?;
    Ok(client_init_derand(&seed, &x))
}

/// Client, deterministic: the ML-KEM seed `d || z` and the X25519 private
/// key are given. For tests only.
#[must_use]
pub fn client_init_derand(mlkem_seed: &[u8; SEED_LEN], x25519_secret: &[u8; 32]) -> (ClientState, Vec<u8>) {
    let (dk, ek) = ml_kem_768::generate_from_seed(mlkem_seed);
    let x25519 = x25519::PrivateKey::from_bytes(*x25519_secret);
    let mut c_init = Vec::with_capacity(CLIENT_INIT_LEN);
    c_init.extend_from_slice(ek.as_bytes());
    c_init.extend_from_slice(x25519.public_key().as_bytes());
    (ClientState { dk, x25519 }, c_init)
}

/// Server: checks `C_INIT`, encapsulates to its ML-KEM key and completes
/// X25519 with a fresh key; returns `S_REPLY` and `K`.
///
/// # Errors
/// [`Error::InvalidLength`] for a `C_INIT` of the wrong length,
/// [`Error::InvalidKey`] for an ML-KEM key failing the FIPS 203 modulus
/// check or a small-order X25519 point; or the generator's error.
pub fn server_reply(c_init: &[u8], rng: &mut (impl CryptoRng + ?Sized)) -> Result<(Vec<u8>, SharedSecret), Error> {
    let mut m = Zeroizing::new([0u8; 32]);
    let mut x = Zeroizing::new([0u8; 32]);
    rng.try_fill_bytes(m.as_mut())?;
    rng.try_fill_bytes(x.as_mut())?;
    server_reply_derand(c_init, &m, &x)
}

/// Server, deterministic: the ML-KEM message `m` and the X25519 private
/// key are given. For tests only.
///
/// # Errors
/// As [`server_reply`].
pub fn server_reply_derand(
    c_init: &[u8],
    m: &[u8; 32],
    x25519_secret: &[u8; 32],
) -> Result<(Vec<u8>, SharedSecret), Error> {
    if c_init.len() != CLIENT_INIT_LEN {
        return Err(Error::InvalidLength { what: "mlkem768x25519 C_INIT", expected: "1216", actual: c_init.len() });
    }
    let (ek, peer) = c_init.split_at(ml_kem_768::ENCAPSULATION_KEY_LEN);
    let ek = ml_kem_768::EncapsulationKey::from_bytes(ek)?;
    let x25519 = x25519::PrivateKey::from_bytes(*x25519_secret);
    let classical = x25519.diffie_hellman(&peer_key(peer))?;
    let (ct, pq) = ek.encapsulate_derand(m);
    let mut s_reply = Vec::with_capacity(SERVER_REPLY_LEN);
    s_reply.extend_from_slice(ct.as_bytes());
    s_reply.extend_from_slice(x25519.public_key().as_bytes());
    Ok((s_reply, combine(pq.as_bytes(), classical.as_bytes())))
}

impl ClientState {
    /// Client: `K` from the server's `S_REPLY`. A tampered ML-KEM
    /// ciphertext gives a different `K` (implicit rejection), which the
    /// exchange-hash signature check then refuses.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for an `S_REPLY` of the wrong length,
    /// [`Error::InvalidKey`] for a small-order X25519 point.
    pub fn finish(self, s_reply: &[u8]) -> Result<SharedSecret, Error> {
        if s_reply.len() != SERVER_REPLY_LEN {
            return Err(Error::InvalidLength {
                what: "mlkem768x25519 S_REPLY",
                expected: "1120",
                actual: s_reply.len(),
            });
        }
        let (ct, peer) = s_reply.split_at(ml_kem_768::CIPHERTEXT_LEN);
        let classical = self.x25519.diffie_hellman(&peer_key(peer))?;
        let pq = self.dk.decapsulate(&ml_kem_768::Ciphertext::from_bytes(ct)?);
        Ok(combine(pq.as_bytes(), classical.as_bytes()))
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ClientState(mlkem768x25519-sha256) { .. }")
    }
}

/// The 32-byte X25519 public key at the end of a message (the caller
/// checked the length).
fn peer_key(bytes: &[u8]) -> x25519::PublicKey {
    let mut u = [0u8; 32];
    u.copy_from_slice(bytes.get(..32).unwrap_or(&[0u8; 32]));
    x25519::PublicKey::from_bytes(u)
}

/// `K = SHA-256(K_PQ || K_CL)`.
fn combine(pq: &[u8; 32], classical: &[u8; 32]) -> SharedSecret {
    let mut h = Sha256::new();
    h.update(pq);
    h.update(classical);
    SharedSecret(h.finalize())
}

/// The exchange's `K` (32 bytes). Compared in constant time; zeroized on
/// drop; never printed.
#[derive(Clone)]
pub struct SharedSecret([u8; 32]);

impl SharedSecret {
    /// The 32 bytes of `K`.
    #[must_use]
    pub const fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// `K` as an SSH string (`uint32 32 || K`), the form the exchange hash
    /// and the key derivation take for this method.
    #[must_use]
    pub fn to_ssh_string(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(Vec::with_capacity(36));
        out.extend_from_slice(&32u32.to_be_bytes());
        out.extend_from_slice(&self.0);
        out
    }
}

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        bool::from(self.0.ct_eq(&other.0))
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SharedSecret(..)")
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SharedSecret {}
