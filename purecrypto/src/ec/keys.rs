//! EC key pairs: [`SecretKey`] (a scalar `1 <= d < n`, zeroized on drop,
//! never printed) and [`PublicKey`] (a point, never the identity, always
//! checked to be on the curve when imported).
//!
//! Entry points: [`SecretKey::from_bytes`], [`SecretKey::generate`],
//! [`SecretKey::public_key`], [`PublicKey::from_sec1`],
//! [`PublicKey::to_sec1`].

use alloc::vec::Vec;
use core::fmt;

use subtle::ConstantTimeEq;
use zeroize::{Zeroize, Zeroizing};

use super::curve::Curve;
use super::field::Field;
use super::point::ProjectivePoint;
use crate::Error;
use crate::rng::CryptoRng;

/// A private scalar `d` with `1 <= d < n`.
pub struct SecretKey<C: Curve> {
    d: C::Scalar,
}

impl<C: Curve> Clone for SecretKey<C> {
    fn clone(&self) -> Self {
        Self { d: self.d }
    }
}

impl<C: Curve> Drop for SecretKey<C> {
    fn drop(&mut self) {
        self.d.zeroize();
    }
}

impl<C: Curve> fmt::Debug for SecretKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SecretKey<{}>(..)", C::NAME)
    }
}

impl<C: Curve> SecretKey<C> {
    /// Imports a big-endian scalar of exactly the order's byte length.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for a wrong length, zero, or a value `>= n`.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        if bytes.len() != C::Scalar::BYTES {
            return Err(Error::InvalidKey { reason: "EC private key has the wrong length for the curve" });
        }
        let d = C::Scalar::from_be_bytes(bytes);
        let ok = d.is_some() & !d.unwrap_or(C::Scalar::ZERO).is_zero();
        if ok.unwrap_u8() != 1 {
            return Err(Error::InvalidKey { reason: "EC private key not in [1, n-1]" });
        }
        Ok(Self { d: d.unwrap_or(C::Scalar::ONE) })
    }

    /// Draws a key uniformly from `[1, n-1]` by rejection sampling
    /// (FIPS 186-5 A.2.2, "testing candidates").
    ///
    /// # Errors
    /// Whatever the generator reports.
    pub fn generate(rng: &mut impl CryptoRng) -> Result<Self, Error> {
        let mut buf = Zeroizing::new(alloc::vec![0u8; C::Scalar::BYTES]);
        loop {
            rng.try_fill_bytes(&mut buf)?;
            // Keep only the order's bit length so P-521 candidates are
            // accepted with probability about 1/2, not 2^-7.
            let excess = 8 * C::Scalar::BYTES - C::Scalar::BITS;
            if let Some(first) = buf.first_mut() {
                *first &= 0xff >> excess;
            }
            if let Ok(key) = Self::from_bytes(&buf) {
                return Ok(key);
            }
        }
    }

    /// The scalar as big-endian bytes (order length), zeroized on drop.
    #[must_use]
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = Zeroizing::new(alloc::vec![0u8; C::Scalar::BYTES]);
        self.d.write_be_bytes(&mut out);
        out
    }

    /// The scalar.
    pub(crate) fn scalar(&self) -> &C::Scalar {
        &self.d
    }

    /// `d * G`.
    #[must_use]
    pub fn public_key(&self) -> PublicKey<C> {
        PublicKey { point: ProjectivePoint::mul_base(&self.d) }
    }
}

/// A public point `Q = d * G`: on the curve, not the identity.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct PublicKey<C: Curve> {
    point: ProjectivePoint<C>,
}

impl<C: Curve> fmt::Debug for PublicKey<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let enc = self.to_sec1(true);
        write!(f, "PublicKey<{}>(", C::NAME)?;
        for b in &enc {
            write!(f, "{b:02x}")?;
        }
        f.write_str(")")
    }
}

impl<C: Curve> PublicKey<C> {
    /// Decodes a SEC1 point (uncompressed `04 || X || Y` or compressed
    /// `02/03 || X`), checking it is on the curve.
    ///
    /// # Errors
    /// As [`ProjectivePoint::from_sec1`].
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        ProjectivePoint::from_sec1(bytes).map(|point| Self { point })
    }

    /// Wraps a point, rejecting the identity.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for the identity.
    pub fn from_point(point: ProjectivePoint<C>) -> Result<Self, Error> {
        if point.is_identity().unwrap_u8() == 1 {
            return Err(Error::InvalidKey { reason: "the identity point is not a valid public key" });
        }
        Ok(Self { point })
    }

    /// Checks affine coordinates given as big-endian bytes of the field
    /// length (FIPS 186-5 public-key validation; the curves have
    /// cofactor 1, so on the curve means in the group).
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when a coordinate is out of range or the point
    /// is not on the curve.
    pub fn from_affine_bytes(x: &[u8], y: &[u8]) -> Result<Self, Error> {
        ProjectivePoint::from_affine_bytes(x, y).map(|point| Self { point })
    }

    /// SEC1 encoding, compressed or not.
    #[must_use]
    pub fn to_sec1(&self, compress: bool) -> Vec<u8> {
        // A PublicKey is never the identity, so encoding cannot fail.
        self.point.to_sec1(compress).unwrap_or_default()
    }

    /// The point.
    #[must_use]
    pub fn point(&self) -> &ProjectivePoint<C> {
        &self.point
    }

    /// Whether `secret` is the private key of this public key (constant
    /// time in the secret).
    #[must_use]
    pub fn matches(&self, secret: &SecretKey<C>) -> bool {
        self.point.ct_eq(&secret.public_key().point).unwrap_u8() == 1
    }
}
