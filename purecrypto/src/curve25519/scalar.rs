//! Scalars modulo the prime order L = 2^252 + 27742317777372353535851937790883648493
//! of the Ed25519 / ristretto255 group.
//!
//! Entry point: [`Scalar`]. Every value held is fully reduced (below L);
//! arithmetic is constant time (see [`super::modn`]).

use core::ops::{Add, Mul, Neg, Sub};

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};
use zeroize::Zeroize;

use super::modn::{self, Modulus};
use crate::rng::CryptoRng;

/// L and its Montgomery constants (R = 2^256).
static ORDER: Modulus<4> = Modulus {
    m: [0x5812631a5cf5d3ed, 0x14def9dea2f79cd6, 0, 0x1000000000000000],
    minv: 0xd2b51da312547e1b,
    r2: [0xa40611e3449c0f01, 0xd00e1ba768859347, 0xceec73d217f5be65, 0x0399411b7c309a3d],
    r3: [0x2a9e49687b83a2db, 0x278324e6aef7f3ec, 0x8065dc6c04ec5b65, 0x0e530b773599cec7],
};

/// An integer modulo L. `Debug` does not print the value (scalars are
/// often secret).
#[derive(Clone, Copy, Default)]
pub struct Scalar(pub(crate) [u64; 4]);

impl Scalar {
    /// 0.
    pub const ZERO: Scalar = Scalar([0; 4]);
    /// 1.
    pub const ONE: Scalar = Scalar([1, 0, 0, 0]);

    /// The scalar encoded by 32 little-endian bytes, when below L (the
    /// strict decoding RFC 8032 and RFC 9496 require).
    pub fn from_canonical_bytes(bytes: &[u8; 32]) -> CtOption<Scalar> {
        let limbs = modn::limbs_from_bytes(bytes);
        CtOption::new(Scalar(limbs), ORDER.is_reduced(&limbs))
    }

    /// 32 little-endian bytes reduced modulo L.
    #[must_use]
    pub fn from_bytes_mod_order(bytes: &[u8; 32]) -> Scalar {
        Scalar(ORDER.reduce(&modn::limbs_from_bytes(bytes)))
    }

    /// 64 little-endian bytes (a SHA-512 output) reduced modulo L.
    #[must_use]
    pub fn from_bytes_mod_order_wide(bytes: &[u8; 64]) -> Scalar {
        Scalar(ORDER.reduce_bytes(bytes))
    }

    /// A uniformly random scalar (64 random bytes reduced, bias < 2^-250).
    pub fn random(rng: &mut impl CryptoRng) -> Scalar {
        let mut wide = [0u8; 64];
        rng.fill_bytes(&mut wide);
        let s = Scalar::from_bytes_mod_order_wide(&wide);
        wide.zeroize();
        s
    }

    /// The canonical 32-byte little-endian encoding.
    #[must_use]
    pub fn to_bytes(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        modn::limbs_to_bytes(&self.0, &mut out);
        out
    }

    /// The multiplicative inverse (zero maps to zero).
    #[must_use]
    pub fn invert(&self) -> Scalar {
        Scalar(ORDER.invert(&self.0))
    }

    /// `self * b + c`.
    #[must_use]
    pub fn mul_add(&self, b: &Scalar, c: &Scalar) -> Scalar {
        Scalar(ORDER.add(&ORDER.mul(&self.0, &b.0), &c.0))
    }
}

impl Add for Scalar {
    type Output = Scalar;
    fn add(self, rhs: Scalar) -> Scalar {
        Scalar(ORDER.add(&self.0, &rhs.0))
    }
}

impl Sub for Scalar {
    type Output = Scalar;
    fn sub(self, rhs: Scalar) -> Scalar {
        Scalar(ORDER.sub(&self.0, &rhs.0))
    }
}

impl Mul for Scalar {
    type Output = Scalar;
    fn mul(self, rhs: Scalar) -> Scalar {
        Scalar(ORDER.mul(&self.0, &rhs.0))
    }
}

impl Neg for Scalar {
    type Output = Scalar;
    fn neg(self) -> Scalar {
        Scalar(ORDER.sub(&[0; 4], &self.0))
    }
}

impl ConstantTimeEq for Scalar {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.0.ct_eq(&other.0)
    }
}

impl PartialEq for Scalar {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).into()
    }
}

impl Eq for Scalar {}

impl ConditionallySelectable for Scalar {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut out = a.0;
        for (o, y) in out.iter_mut().zip(b.0) {
            o.conditional_assign(&y, choice);
        }
        Scalar(out)
    }
}

impl Zeroize for Scalar {
    fn zeroize(&mut self) {
        self.0.zeroize();
    }
}

impl core::fmt::Debug for Scalar {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Scalar { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const L_BYTES: [u8; 32] = hex_literal::hex!("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");

    #[test]
    fn canonical_decoding_rejects_l_and_above() {
        assert!(bool::from(Scalar::from_canonical_bytes(&L_BYTES).is_none()));
        let mut below = L_BYTES;
        below[0] -= 1;
        let s = Scalar::from_canonical_bytes(&below).unwrap();
        assert_eq!(s.to_bytes(), below);
        assert_eq!((s + Scalar::ONE).to_bytes(), [0; 32]);
        assert_eq!(Scalar::from_bytes_mod_order(&L_BYTES).to_bytes(), [0; 32]);
        assert!(bool::from(Scalar::from_canonical_bytes(&[0xff; 32]).is_none()));
    }

    #[test]
    fn arithmetic_laws() {
        let a = Scalar::from_bytes_mod_order(&[0xab; 32]);
        let b = Scalar::from_bytes_mod_order_wide(&[0xcd; 64]);
        assert_eq!(a * a.invert(), Scalar::ONE);
        assert_eq!(a - b + b, a);
        assert_eq!(a + (-a), Scalar::ZERO);
        assert_eq!(a.mul_add(&b, &Scalar::ONE), a * b + Scalar::ONE);
        assert_eq!((a + b) * b, a * b + b * b);
        // 2^256 mod L through the wide path equals the doubled 2^255.
        let mut wide = [0u8; 64];
        wide[32] = 1;
        let mut half = [0u8; 32];
        half[31] = 0x80;
        let h = Scalar::from_bytes_mod_order(&half);
        assert_eq!(Scalar::from_bytes_mod_order_wide(&wide), h + h);
    }
}
