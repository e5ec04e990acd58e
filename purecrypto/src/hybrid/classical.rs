//! The elliptic-curve half of a hybrid: X25519 or ECDH on P-256 / P-384,
//! behind one small interface (a private key made from secret bytes, its
//! public encoding, and the agreement with a peer's encoding).
//!
//! Entry points: [`Curve`] (the choice, with its lengths) and [`EcdhKey`].

use alloc::vec::Vec;

use zeroize::{Zeroize, Zeroizing};

use crate::Error;
use crate::ec::{P256, P384, PublicKey, SecretKey, ecdh};
use crate::rng::CryptoRng;
use crate::x25519;

/// The classical component of a hybrid group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Curve {
    /// X25519 (RFC 7748): 32-byte keys and secret.
    X25519,
    /// NIST P-256: 65-byte uncompressed points, 32-byte secret.
    P256,
    /// NIST P-384: 97-byte uncompressed points, 48-byte secret.
    P384,
}

impl Curve {
    /// Bytes of a private key (the `_derand` input).
    pub(crate) const fn secret_len(self) -> usize {
        match self {
            Self::X25519 | Self::P256 => 32,
            Self::P384 => 48,
        }
    }

    /// Bytes of a public key on the wire.
    pub(crate) const fn public_len(self) -> usize {
        match self {
            Self::X25519 => 32,
            Self::P256 => 65,
            Self::P384 => 97,
        }
    }

    /// Bytes of the agreed secret.
    pub(crate) const fn shared_len(self) -> usize {
        match self {
            Self::X25519 | Self::P256 => 32,
            Self::P384 => 48,
        }
    }

    /// `secret_len` in words, for error messages.
    const fn secret_len_text(self) -> &'static str {
        match self {
            Self::X25519 | Self::P256 => "32",
            Self::P384 => "48",
        }
    }

    /// A private key from `secret_len` secret bytes.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a wrong length; for the NIST curves
    /// [`Error::InvalidKey`] when the scalar is zero or not below the order.
    pub(crate) fn key_from_bytes(self, bytes: &[u8]) -> Result<EcdhKey, Error> {
        if bytes.len() != self.secret_len() {
            return Err(Error::InvalidLength {
                what: "hybrid ECDH private key",
                expected: self.secret_len_text(),
                actual: bytes.len(),
            });
        }
        Ok(match self {
            Self::X25519 => {
                let mut k = [0u8; 32];
                k.copy_from_slice(bytes);
                let key = x25519::PrivateKey::from_bytes(k);
                k.zeroize();
                EcdhKey::X25519(key)
            }
            Self::P256 => EcdhKey::P256(SecretKey::from_bytes(bytes)?),
            Self::P384 => EcdhKey::P384(SecretKey::from_bytes(bytes)?),
        })
    }

    /// A fresh private key from `rng`. For the NIST curves a candidate
    /// not in `[1, n-1]` (probability below 2^-32) is drawn again.
    ///
    /// # Errors
    /// The generator's error.
    pub(crate) fn generate(self, rng: &mut (impl CryptoRng + ?Sized)) -> Result<EcdhKey, Error> {
        let mut buf = Zeroizing::new([0u8; 48]);
        let buf = buf.get_mut(..self.secret_len()).unwrap_or_default();
        loop {
            rng.try_fill_bytes(buf)?;
            // Rejection of an out-of-range scalar depends only on a
            // candidate that is then thrown away.
            if let Ok(key) = self.key_from_bytes(buf) {
                return Ok(key);
            }
        }
    }
}

/// A private key of one of the [`Curve`]s. Zeroized on drop (by the
/// wrapped key types).
pub(crate) enum EcdhKey {
    X25519(x25519::PrivateKey),
    P256(SecretKey<P256>),
    P384(SecretKey<P384>),
}

impl EcdhKey {
    /// The public key as it goes on the wire: the X25519 u-coordinate, or
    /// the uncompressed SEC1 point `04 || x || y`.
    pub(crate) fn public_bytes(&self) -> Vec<u8> {
        match self {
            Self::X25519(k) => k.public_key().to_bytes().to_vec(),
            Self::P256(k) => k.public_key().to_sec1(false),
            Self::P384(k) => k.public_key().to_sec1(false),
        }
    }

    /// The agreement with a peer's wire-form public key (exactly the
    /// curve's `public_len`, checked by the caller).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for an all-zero X25519 result (a small-order
    /// peer point) or a NIST point that is not on the curve;
    /// [`Error::Malformed`] for a NIST encoding other than uncompressed.
    pub(crate) fn agree(&self, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
        match self {
            Self::X25519(k) => {
                let mut u = [0u8; 32];
                u.copy_from_slice(peer.get(..32).unwrap_or(&[0u8; 32]));
                let shared = k.diffie_hellman(&x25519::PublicKey::from_bytes(u))?;
                Ok(Zeroizing::new(shared.as_bytes().to_vec()))
            }
            Self::P256(k) => nist_agree(k, peer),
            Self::P384(k) => nist_agree(k, peer),
        }
    }
}

/// ECDH on a NIST curve with a peer point that must be uncompressed (the
/// only form TLS 1.3 allows, RFC 8446 section 4.2.8.2).
fn nist_agree<C: crate::ec::Curve>(key: &SecretKey<C>, peer: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    if peer.first() != Some(&0x04) {
        return Err(Error::Malformed {
            what: "hybrid ECDH public key",
            reason: "not an uncompressed SEC1 point (first byte must be 0x04)",
        });
    }
    let peer = PublicKey::<C>::from_sec1(peer)?;
    let shared = ecdh::diffie_hellman(key, &peer)?;
    Ok(Zeroizing::new(shared.as_bytes().to_vec()))
}
