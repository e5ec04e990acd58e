//! The TLS 1.3 hybrid key shares of draft-ietf-tls-ecdhe-mlkem.
//!
//! Entry points: [`Group`] (`generate`, `encapsulate` and their `_derand`
//! twins) and [`ClientState::decapsulate`].
//!
//! Wire layout (the draft, section 4):
//!
//! | group | client share | server share | shared secret |
//! |---|---|---|---|
//! | X25519MLKEM768 | ek (1184) &#124;&#124; X25519 (32) | ct (1088) &#124;&#124; X25519 (32) | ML-KEM (32) &#124;&#124; X25519 (32) |
//! | SecP256r1MLKEM768 | P-256 point (65) &#124;&#124; ek (1184) | P-256 point (65) &#124;&#124; ct (1088) | ECDH (32) &#124;&#124; ML-KEM (32) |
//! | SecP384r1MLKEM1024 | P-384 point (97) &#124;&#124; ek (1568) | P-384 point (97) &#124;&#124; ct (1568) | ECDH (48) &#124;&#124; ML-KEM (32) |
//!
//! X25519MLKEM768 puts ML-KEM first everywhere (so the FIPS-approved part
//! leads the secret); the two NIST-curve groups put ECDH first. Points are
//! uncompressed SEC1. The shared secret is the plain concatenation: TLS
//! feeds it to HKDF-Extract as the (EC)DHE input.
//!
//! ```
//! use purecrypto::hybrid::tls::Group;
//!
//! let group = Group::from_codepoint(0x11EC).unwrap();
//! // Fixed seeds for the example; use `generate(&mut rng)` for real.
//! let (client, share) = group.generate_derand(&[1; 64], &[2; 32])?;
//! let (reply, server_secret) = group.encapsulate_derand(&share, &[3; 32], &[4; 32])?;
//! let client_secret = client.decapsulate(&reply)?;
//! assert_eq!(client_secret, server_secret);
//! assert_eq!(client_secret.as_bytes().len(), 64);
//! # Ok::<(), purecrypto::Error>(())
//! ```

use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::classical::{Curve, EcdhKey};
use crate::Error;
use crate::mlkem::{self, ParameterSet, SEED_LEN};
use crate::rng::CryptoRng;

/// The largest hybrid shared secret (SecP384r1MLKEM1024: 48 + 32).
pub const MAX_SHARED_SECRET_LEN: usize = 80;

/// A hybrid TLS 1.3 key-exchange group (a `NamedGroup` codepoint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Group {
    /// `X25519MLKEM768`, codepoint 0x11EC.
    X25519MlKem768,
    /// `SecP256r1MLKEM768`, codepoint 0x11EB.
    SecP256r1MlKem768,
    /// `SecP384r1MLKEM1024`, codepoint 0x11ED.
    SecP384r1MlKem1024,
}

impl Group {
    /// Every group, in codepoint order of preference (X25519MLKEM768 first).
    pub const ALL: [Self; 3] = [Self::X25519MlKem768, Self::SecP256r1MlKem768, Self::SecP384r1MlKem1024];

    /// The TLS `NamedGroup` codepoint.
    #[must_use]
    pub const fn codepoint(self) -> u16 {
        match self {
            Self::X25519MlKem768 => 0x11EC,
            Self::SecP256r1MlKem768 => 0x11EB,
            Self::SecP384r1MlKem1024 => 0x11ED,
        }
    }

    /// The group for a `NamedGroup` codepoint, if it is one of these.
    #[must_use]
    pub fn from_codepoint(codepoint: u16) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.codepoint() == codepoint)
    }

    /// The IANA name, e.g. `X25519MLKEM768`.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self {
            Self::X25519MlKem768 => "X25519MLKEM768",
            Self::SecP256r1MlKem768 => "SecP256r1MLKEM768",
            Self::SecP384r1MlKem1024 => "SecP384r1MLKEM1024",
        }
    }

    const fn curve(self) -> Curve {
        match self {
            Self::X25519MlKem768 => Curve::X25519,
            Self::SecP256r1MlKem768 => Curve::P256,
            Self::SecP384r1MlKem1024 => Curve::P384,
        }
    }

    const fn kem(self) -> ParameterSet {
        match self {
            Self::X25519MlKem768 | Self::SecP256r1MlKem768 => ParameterSet::MlKem768,
            Self::SecP384r1MlKem1024 => ParameterSet::MlKem1024,
        }
    }

    /// Whether the ML-KEM part comes first on the wire and in the secret.
    const fn mlkem_first(self) -> bool {
        matches!(self, Self::X25519MlKem768)
    }

    /// Bytes of the client's key share.
    #[must_use]
    pub const fn client_share_len(self) -> usize {
        self.kem().encapsulation_key_len() + self.curve().public_len()
    }

    /// Bytes of the server's key share.
    #[must_use]
    pub const fn server_share_len(self) -> usize {
        self.kem().ciphertext_len() + self.curve().public_len()
    }

    /// Bytes of the shared secret.
    #[must_use]
    pub const fn shared_secret_len(self) -> usize {
        mlkem::SHARED_SECRET_LEN + self.curve().shared_len()
    }

    /// Bytes of the classical private key the `_derand` functions take
    /// (32 for X25519 and P-256, 48 for P-384).
    #[must_use]
    pub const fn ecdh_secret_len(self) -> usize {
        self.curve().secret_len()
    }

    /// Splits a share into its (ML-KEM, ECDH) parts after the length check.
    fn split(self, share: &[u8], client: bool) -> Result<(&[u8], &[u8]), Error> {
        let (want, what, expected) = if client {
            (self.client_share_len(), "hybrid TLS client key share", self.client_share_len_text())
        } else {
            (self.server_share_len(), "hybrid TLS server key share", self.server_share_len_text())
        };
        if share.len() != want {
            return Err(Error::InvalidLength { what, expected, actual: share.len() });
        }
        let ecdh_len = self.curve().public_len();
        Ok(if self.mlkem_first() {
            let (kem, ecdh) = share.split_at(share.len() - ecdh_len);
            (kem, ecdh)
        } else {
            let (ecdh, kem) = share.split_at(ecdh_len);
            (kem, ecdh)
        })
    }

    /// [`Group::client_share_len`] in words, for [`Error::InvalidLength`].
    const fn client_share_len_text(self) -> &'static str {
        match self {
            Self::X25519MlKem768 => "1216",
            Self::SecP256r1MlKem768 => "1249",
            Self::SecP384r1MlKem1024 => "1665",
        }
    }

    /// [`Group::server_share_len`] in words.
    const fn server_share_len_text(self) -> &'static str {
        match self {
            Self::X25519MlKem768 => "1120",
            Self::SecP256r1MlKem768 => "1153",
            Self::SecP384r1MlKem1024 => "1665",
        }
    }

    /// Joins the two parts in this group's order.
    fn join(self, kem: &[u8], ecdh: &[u8]) -> Vec<u8> {
        let (first, second) = if self.mlkem_first() { (kem, ecdh) } else { (ecdh, kem) };
        let mut out = Vec::with_capacity(first.len() + second.len());
        out.extend_from_slice(first);
        out.extend_from_slice(second);
        out
    }

    /// The combined secret in this group's order.
    fn secret(self, kem: &mlkem::SharedSecret, ecdh: &[u8]) -> SharedSecret {
        let (first, second): (&[u8], &[u8]) =
            if self.mlkem_first() { (kem.as_bytes(), ecdh) } else { (ecdh, kem.as_bytes()) };
        let mut out = SharedSecret { bytes: [0u8; MAX_SHARED_SECRET_LEN], len: first.len() + second.len() };
        let (a, rest) = out.bytes.split_at_mut(first.len());
        a.copy_from_slice(first);
        if let Some(b) = rest.get_mut(..second.len()) {
            b.copy_from_slice(second);
        }
        out
    }

    /// Client: a fresh key pair for each half; returns the state to keep
    /// and the key share to send.
    ///
    /// # Errors
    /// The generator's error.
    pub fn generate(self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<(ClientState, Vec<u8>), Error> {
        let mut seed = Zeroizing::new([0u8; SEED_LEN]);
        rng.try_fill_bytes(seed.as_mut())?;
        let ecdh = self.curve().generate(rng)?;
        Ok(self.client_from_parts(&seed, ecdh))
    }

    /// Client, deterministic: the ML-KEM key from the FIPS 203 seed
    /// `d || z` and the ECDH private key from `ecdh_secret`
    /// ([`Group::ecdh_secret_len`] bytes: the X25519 scalar, or the
    /// big-endian P-256 / P-384 scalar). For tests only.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] or [`Error::InvalidKey`] for an unusable
    /// `ecdh_secret`.
    pub fn generate_derand(
        self,
        mlkem_seed: &[u8; SEED_LEN],
        ecdh_secret: &[u8],
    ) -> Result<(ClientState, Vec<u8>), Error> {
        let ecdh = self.curve().key_from_bytes(ecdh_secret)?;
        Ok(self.client_from_parts(mlkem_seed, ecdh))
    }

    fn client_from_parts(self, seed: &[u8; SEED_LEN], ecdh: EcdhKey) -> (ClientState, Vec<u8>) {
        let kem = self.kem();
        let mut ek = alloc::vec![0u8; kem.encapsulation_key_len()];
        let mut dk = Zeroizing::new(alloc::vec![0u8; kem.decapsulation_key_len()]);
        // The buffers have exactly the parameter set's lengths.
        let _ = kem.generate_from_seed_into(seed, &mut ek, &mut dk);
        let share = self.join(&ek, &ecdh.public_bytes());
        (ClientState { group: self, dk, ecdh }, share)
    }

    /// Server: checks the client's share, encapsulates to its ML-KEM key
    /// and completes the ECDH with a fresh key; returns the server share
    /// to send and the shared secret.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a share of the wrong length,
    /// [`Error::InvalidKey`] for an ML-KEM key failing the modulus check,
    /// an EC point not on the curve or a small-order X25519 point,
    /// [`Error::Malformed`] for a compressed EC point; or the generator's
    /// error.
    pub fn encapsulate(
        self,
        client_share: &[u8],
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<(Vec<u8>, SharedSecret), Error> {
        let mut m = Zeroizing::new([0u8; 32]);
        rng.try_fill_bytes(m.as_mut())?;
        let ecdh = self.curve().generate(rng)?;
        self.encapsulate_with(client_share, &m, &ecdh)
    }

    /// Server, deterministic: the ML-KEM message `m` and the ephemeral
    /// ECDH private key are given. For tests only (reusing them reuses
    /// the secret).
    ///
    /// # Errors
    /// As [`Group::encapsulate`], and [`Error::InvalidLength`] /
    /// [`Error::InvalidKey`] for an unusable `ecdh_secret`.
    pub fn encapsulate_derand(
        self,
        client_share: &[u8],
        m: &[u8; 32],
        ecdh_secret: &[u8],
    ) -> Result<(Vec<u8>, SharedSecret), Error> {
        let ecdh = self.curve().key_from_bytes(ecdh_secret)?;
        self.encapsulate_with(client_share, m, &ecdh)
    }

    fn encapsulate_with(
        self,
        client_share: &[u8],
        m: &[u8; 32],
        ecdh: &EcdhKey,
    ) -> Result<(Vec<u8>, SharedSecret), Error> {
        let (ek, peer) = self.split(client_share, true)?;
        let kem = self.kem();
        // Both halves are checked before either secret is computed.
        kem.check_encapsulation_key(ek)?;
        let ecdh_secret = ecdh.agree(peer)?;
        let mut ct = alloc::vec![0u8; kem.ciphertext_len()];
        let kem_secret = kem.encapsulate_derand_into(ek, m, &mut ct)?;
        let share = self.join(&ct, &ecdh.public_bytes());
        Ok((share, self.secret(&kem_secret, &ecdh_secret)))
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What the client keeps between sending its share and reading the
/// server's: both private keys. Zeroized on drop; consumed by
/// [`ClientState::decapsulate`] so an ephemeral key is used once.
pub struct ClientState {
    group: Group,
    dk: Zeroizing<Vec<u8>>,
    ecdh: EcdhKey,
}

impl ClientState {
    /// The group this state belongs to.
    #[must_use]
    pub const fn group(&self) -> Group {
        self.group
    }

    /// Client: the shared secret from the server's share. A tampered
    /// ML-KEM ciphertext is not an error: it yields a different secret
    /// (FIPS 203 implicit rejection), and the handshake fails later.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a share of the wrong length,
    /// [`Error::InvalidKey`] for an EC point not on the curve or a
    /// small-order X25519 point, [`Error::Malformed`] for a compressed
    /// EC point.
    pub fn decapsulate(self, server_share: &[u8]) -> Result<SharedSecret, Error> {
        let group = self.group;
        let (ct, peer) = group.split(server_share, false)?;
        let ecdh_secret = self.ecdh.agree(peer)?;
        let kem_secret = group.kem().decapsulate(&self.dk, ct)?;
        Ok(group.secret(&kem_secret, &ecdh_secret))
    }
}

impl fmt::Debug for ClientState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientState({}) {{ .. }}", self.group)
    }
}

/// The hybrid shared secret (32 + 32, or 48 + 32 bytes for P-384).
/// Compared in constant time; zeroized on drop; never printed.
#[derive(Clone)]
pub struct SharedSecret {
    bytes: [u8; MAX_SHARED_SECRET_LEN],
    len: usize,
}

impl SharedSecret {
    /// The secret bytes, in the group's order.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && bool::from(self.as_bytes().ct_eq(other.as_bytes()))
    }
}

impl Eq for SharedSecret {}

impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedSecret({} bytes, ..)", self.len)
    }
}

impl Drop for SharedSecret {
    fn drop(&mut self) {
        self.bytes.zeroize();
    }
}

impl zeroize::ZeroizeOnDrop for SharedSecret {}
