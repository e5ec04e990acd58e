//! ristretto255 (RFC 9496): a prime-order group built on edwards25519.
//!
//! Entry points: [`RistrettoPoint::from_bytes`] (decoding with every
//! rejection rule of RFC 9496 4.3.1), [`RistrettoPoint::to_bytes`],
//! [`RistrettoPoint::from_uniform_bytes`] (the hash-to-group map of 4.3.4
//! on 64 uniform bytes), equality of 4.3.3 ([`PartialEq`], constant time),
//! group operations (`+`, `-`, negation, `point * scalar`,
//! [`RistrettoPoint::mul_base`]) and [`Scalar`] arithmetic modulo the group
//! order. Every operation here is constant time.
//!
//! ```
//! use purecrypto::ristretto255::{RistrettoPoint, Scalar};
//! let s = Scalar::from_bytes_mod_order(&[7; 32]);
//! let p = RistrettoPoint::mul_base(&s);
//! let q = RistrettoPoint::from_bytes(&p.to_bytes())?;
//! assert_eq!(p, q);
//! assert_eq!(q * s.invert(), RistrettoPoint::generator());
//! # Ok::<(), purecrypto::Error>(())
//! ```

use core::ops::{Add, Mul, Neg, Sub};

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use crate::Error;
pub use crate::curve25519::Scalar;
use crate::curve25519::edwards::EdwardsPoint;
use crate::curve25519::field::Fe;

/// 1/sqrt(a - d) with a = -1.
const INVSQRT_A_MINUS_D: Fe = Fe([0xfdaa805d40ea, 0x2eb482e57d339, 0x7610274bc58, 0x6510b613dc8ff, 0x786c8905cfaff]);
/// sqrt(a*d - 1).
const SQRT_AD_MINUS_ONE: Fe = Fe([0x7f6a0497b2e1b, 0x1836f0a97afd2, 0x7d747f6be7638, 0x456079e7e6498, 0x376931bf2b834]);
/// 1 - d^2.
const ONE_MINUS_D_SQ: Fe = Fe([0x409c1945fc176, 0x719abc6a1fc4f, 0x1c37f90b20684, 0x6bccca55eedf, 0x29072a8b2b3e]);
/// (d - 1)^2.
const D_MINUS_ONE_SQ: Fe = Fe([0x55aaa44ed4d20, 0x59603c3332635, 0x26d3baf4a7928, 0x120a66e6997a9, 0x5968b37af66c2]);

/// An element of the ristretto255 group (an equivalence class of
/// edwards25519 points; the representative is internal).
#[derive(Clone, Copy, Debug)]
pub struct RistrettoPoint(EdwardsPoint);

impl RistrettoPoint {
    /// The identity element.
    #[must_use]
    pub const fn identity() -> Self {
        Self(EdwardsPoint::IDENTITY)
    }

    /// The generator (the image of the Ed25519 base point).
    #[must_use]
    pub const fn generator() -> Self {
        Self(EdwardsPoint::BASEPOINT)
    }

    /// RFC 9496 4.3.1 decoding.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a non-canonical or negative field element,
    /// a value with no square root, a negative `t` or a zero `y`.
    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, Error> {
        let s = Fe::from_bytes(bytes);
        let canonical = Fe::is_canonical(bytes) & Choice::from(u8::from(bytes[31] >> 7 == 0));
        let ss = s.square();
        let u1 = Fe::ONE.sub(&ss);
        let u2 = Fe::ONE.add(&ss);
        let u2_sqr = u2.square();
        let v = Fe::D.mul(&u1.square()).neg().sub(&u2_sqr);
        let (was_square, invsqrt) = Fe::sqrt_ratio_m1(&Fe::ONE, &v.mul(&u2_sqr));
        let den_x = invsqrt.mul(&u2);
        let den_y = invsqrt.mul(&den_x).mul(&v);
        let x = s.add(&s).mul(&den_x).abs();
        let y = u1.mul(&den_y);
        let t = x.mul(&y);
        let ok = canonical & !s.is_negative() & was_square & !t.is_negative() & !y.is_zero();
        if bool::from(ok) {
            Ok(Self(EdwardsPoint { x, y, z: Fe::ONE, t }))
        } else {
            Err(Error::Malformed { what: "ristretto255 element", reason: "not a valid encoding" })
        }
    }

    /// RFC 9496 4.3.2 encoding (canonical, 32 bytes).
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        let EdwardsPoint { x: x0, y: y0, z: z0, t: t0 } = self.0;
        let u1 = z0.add(&y0).mul(&z0.sub(&y0));
        let u2 = x0.mul(&y0);
        let (_, invsqrt) = Fe::sqrt_ratio_m1(&Fe::ONE, &u1.mul(&u2.square()));
        let den1 = invsqrt.mul(&u1);
        let den2 = invsqrt.mul(&u2);
        let z_inv = den1.mul(&den2).mul(&t0);
        let ix0 = x0.mul(&Fe::SQRT_M1);
        let iy0 = y0.mul(&Fe::SQRT_M1);
        let enchanted_denominator = den1.mul(&INVSQRT_A_MINUS_D);
        let rotate = t0.mul(&z_inv).is_negative();
        let x = Fe::conditional_select(&x0, &iy0, rotate);
        let mut y = Fe::conditional_select(&y0, &ix0, rotate);
        let den_inv = Fe::conditional_select(&den2, &enchanted_denominator, rotate);
        let y_neg = y.neg();
        y.conditional_assign(&y_neg, x.mul(&z_inv).is_negative());
        den_inv.mul(&z0.sub(&y)).abs().to_bytes()
    }

    /// The Elligator-based MAP of RFC 9496 4.3.4 on one field element.
    fn map(t: &Fe) -> EdwardsPoint {
        let r = Fe::SQRT_M1.mul(&t.square());
        let u = r.add(&Fe::ONE).mul(&ONE_MINUS_D_SQ);
        let minus_one = Fe::ONE.neg();
        let v = minus_one.sub(&r.mul(&Fe::D)).mul(&r.add(&Fe::D));
        let (was_square, mut s) = Fe::sqrt_ratio_m1(&u, &v);
        let s_prime = s.mul(t).abs().neg();
        s.conditional_assign(&s_prime, !was_square);
        let c = Fe::conditional_select(&r, &minus_one, was_square);
        let n = c.mul(&r.sub(&Fe::ONE)).mul(&D_MINUS_ONE_SQ).sub(&v);
        let ss = s.square();
        let w0 = s.add(&s).mul(&v);
        let w1 = n.mul(&SQRT_AD_MINUS_ONE);
        let w2 = Fe::ONE.sub(&ss);
        let w3 = Fe::ONE.add(&ss);
        EdwardsPoint { x: w0.mul(&w3), y: w2.mul(&w1), z: w1.mul(&w3), t: w0.mul(&w2) }
    }

    /// Hash to group: 64 uniformly random bytes (e.g. a SHA-512 output)
    /// to an element, RFC 9496 4.3.4.
    #[must_use]
    pub fn from_uniform_bytes(bytes: &[u8; 64]) -> Self {
        let mut halves = [[0u8; 32]; 2];
        for (half, chunk) in halves.iter_mut().zip(bytes.chunks_exact(32)) {
            half.copy_from_slice(chunk);
            half[31] &= 0x7f;
        }
        let [h1, h2] = halves;
        Self(Self::map(&Fe::from_bytes(&h1)).add(&Self::map(&Fe::from_bytes(&h2))))
    }

    /// `scalar * generator`, from the precomputed tables.
    #[must_use]
    pub fn mul_base(scalar: &Scalar) -> Self {
        Self(EdwardsPoint::mul_base(scalar))
    }

    /// Whether this is the identity element.
    #[must_use]
    pub fn is_identity(&self) -> bool {
        *self == Self::identity()
    }
}

impl ConstantTimeEq for RistrettoPoint {
    /// RFC 9496 4.3.3: X1*Y2 == Y1*X2 or Y1*Y2 == X1*X2.
    fn ct_eq(&self, other: &Self) -> Choice {
        let (a, b) = (&self.0, &other.0);
        a.x.mul(&b.y).ct_eq(&a.y.mul(&b.x)) | a.y.mul(&b.y).ct_eq(&a.x.mul(&b.x))
    }
}

impl PartialEq for RistrettoPoint {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for RistrettoPoint {}

impl ConditionallySelectable for RistrettoPoint {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self(EdwardsPoint::conditional_select(&a.0, &b.0, choice))
    }
}

impl Add for RistrettoPoint {
    type Output = RistrettoPoint;
    fn add(self, rhs: RistrettoPoint) -> RistrettoPoint {
        Self(self.0.add(&rhs.0))
    }
}

impl Sub for RistrettoPoint {
    type Output = RistrettoPoint;
    fn sub(self, rhs: RistrettoPoint) -> RistrettoPoint {
        Self(self.0.sub(&rhs.0))
    }
}

impl Neg for RistrettoPoint {
    type Output = RistrettoPoint;
    fn neg(self) -> RistrettoPoint {
        Self(self.0.neg())
    }
}

impl Mul<Scalar> for RistrettoPoint {
    type Output = RistrettoPoint;
    fn mul(self, scalar: Scalar) -> RistrettoPoint {
        Self(self.0.mul(&scalar))
    }
}

#[cfg(test)]
mod tests;
