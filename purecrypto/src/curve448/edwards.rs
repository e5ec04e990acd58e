//! The Edwards curve x^2 + y^2 = 1 + d x^2 y^2, d = -39081, over
//! GF(2^448 - 2^224 - 1) (edwards448), in projective coordinates
//! (X : Y : Z).
//!
//! Entry points: [`EdwardsPoint::decompress`] (strict RFC 8032 5.2.3),
//! [`EdwardsPoint::compress`], [`EdwardsPoint::mul`] and
//! [`EdwardsPoint::mul_base`] (constant time, fixed 4-bit windows) and
//! [`EdwardsPoint::double_scalar_mul_vartime`] (verification only). The
//! RFC 8032 5.2.4 addition formulas are complete because d is not a square.

use alloc::vec::Vec;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::field::Fe;
use super::scalar::Scalar;

/// A point in projective coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EdwardsPoint {
    x: Fe,
    y: Fe,
    z: Fe,
}

impl EdwardsPoint {
    pub(crate) const IDENTITY: EdwardsPoint = EdwardsPoint { x: Fe::ZERO, y: Fe::ONE, z: Fe::ONE };

    /// The RFC 8032 base point.
    pub(crate) const BASEPOINT: EdwardsPoint = EdwardsPoint {
        x: Fe([
            0x26a82bc70cc05e,
            0x80e18b00938e26,
            0xf72ab66511433b,
            0xa3d3a46412ae1a,
            0x0f1767ea6de324,
            0x36da9e14657047,
            0xed221d15a622bf,
            0x4f1970c66bed0d,
        ]),
        y: Fe([
            0x08795bf230fa14,
            0x132c4ed7c8ad98,
            0x1ce67c39c4fdbd,
            0x05a0c2d73ad3ff,
            0xa3984087789c1e,
            0xc7624bea73736c,
            0x248876203756c9,
            0x693f46716eb6bc,
        ]),
        z: Fe::ONE,
    };

    /// Strict decoding: y below p, bits 448..454 clear, a square root
    /// exists, and x = 0 only with a clear sign bit.
    pub(crate) fn decompress(bytes: &[u8; 57]) -> Option<EdwardsPoint> {
        let mut y_bytes = [0u8; 56];
        y_bytes.copy_from_slice(bytes.get(..56)?);
        let last = bytes[56];
        let sign = Choice::from(last >> 7);
        let y = Fe::from_bytes(&y_bytes);
        let yy = y.square();
        let u = yy.sub(&Fe::ONE);
        let v = yy.mul(&Fe::D).sub(&Fe::ONE);
        let (ok, mut x) = Fe::sqrt_ratio(&u, &v);
        let flip = x.is_negative() ^ sign;
        let neg = x.neg();
        x.conditional_assign(&neg, flip);
        let bad_zero = x.is_zero() & sign;
        let valid = ok & Fe::is_canonical(&y_bytes) & Choice::from(u8::from(last & 0x7f == 0)) & !bad_zero;
        bool::from(valid).then_some(EdwardsPoint { x, y, z: Fe::ONE })
    }

    /// The 57-byte encoding: y, then the sign of x in the top bit.
    pub(crate) fn compress(&self) -> [u8; 57] {
        let zinv = self.z.invert();
        let x = self.x.mul(&zinv);
        let y = self.y.mul(&zinv);
        let mut out = [0u8; 57];
        if let Some(head) = out.get_mut(..56) {
            head.copy_from_slice(&y.to_bytes());
        }
        out[56] = x.is_negative().unwrap_u8() << 7;
        out
    }

    /// `self + rhs` (RFC 8032 5.2.4).
    pub(crate) fn add(&self, rhs: &EdwardsPoint) -> EdwardsPoint {
        let a = self.z.mul(&rhs.z);
        let b = a.square();
        let c = self.x.mul(&rhs.x);
        let d = self.y.mul(&rhs.y);
        let e = Fe::D.mul(&c).mul(&d);
        let f = b.sub(&e);
        let g = b.add(&e);
        let h = self.x.add(&self.y).mul(&rhs.x.add(&rhs.y));
        EdwardsPoint { x: a.mul(&f).mul(&h.sub(&c).sub(&d)), y: a.mul(&g).mul(&d.sub(&c)), z: f.mul(&g) }
    }

    /// `2 * self` (RFC 8032 5.2.4).
    pub(crate) fn double(&self) -> EdwardsPoint {
        let b = self.x.add(&self.y).square();
        let c = self.x.square();
        let d = self.y.square();
        let e = c.add(&d);
        let h = self.z.square();
        let j = e.sub(&h.add(&h));
        EdwardsPoint { x: b.sub(&e).mul(&j), y: e.mul(&c.sub(&d)), z: e.mul(&j) }
    }

    /// `-self`.
    pub(crate) fn neg(&self) -> EdwardsPoint {
        EdwardsPoint { x: self.x.neg(), y: self.y, z: self.z }
    }

    /// Whether `4 * self` is the identity (order 1, 2 or 4).
    pub(crate) fn is_small_order(&self) -> Choice {
        self.double().double().is_identity()
    }

    /// Whether this is the neutral element.
    pub(crate) fn is_identity(&self) -> Choice {
        self.ct_eq(&EdwardsPoint::IDENTITY)
    }

    /// `scalar * self` in constant time: 4-bit windows, top first, each
    /// table entry chosen by a full scan.
    pub(crate) fn mul(&self, scalar: &Scalar) -> EdwardsPoint {
        let mut table = [EdwardsPoint::IDENTITY; 16];
        let mut acc = EdwardsPoint::IDENTITY;
        for entry in table.iter_mut().skip(1) {
            acc = acc.add(self);
            *entry = acc;
        }
        let bytes = scalar.to_bytes();
        let mut r = EdwardsPoint::IDENTITY;
        for byte in bytes.iter().rev() {
            for nibble in [byte >> 4, byte & 15] {
                r = r.double().double().double().double();
                let mut entry = EdwardsPoint::IDENTITY;
                for (j, candidate) in (0u8..).zip(table.iter()) {
                    entry.conditional_assign(candidate, nibble.ct_eq(&j));
                }
                r = r.add(&entry);
            }
        }
        r
    }

    /// `scalar * B`, constant time.
    pub(crate) fn mul_base(scalar: &Scalar) -> EdwardsPoint {
        EdwardsPoint::BASEPOINT.mul(scalar)
    }

    /// `a * self + b * B` in variable time (interleaved width-5 NAF), for
    /// verification where every input is public.
    pub(crate) fn double_scalar_mul_vartime(&self, a: &Scalar, b: &Scalar) -> EdwardsPoint {
        let (a_naf, b_naf) = (naf_vartime(&a.to_bytes(), 5), naf_vartime(&b.to_bytes(), 5));
        let odd = |p: &EdwardsPoint| {
            let twice = p.double();
            let mut t = [*p; 8];
            let mut current = *p;
            for entry in t.iter_mut().skip(1) {
                current = current.add(&twice);
                *entry = current;
            }
            t
        };
        let (ta, tb) = (odd(self), odd(&EdwardsPoint::BASEPOINT));
        let mut r = EdwardsPoint::IDENTITY;
        for i in (0..a_naf.len().max(b_naf.len())).rev() {
            r = r.double();
            for (naf, table) in [(&a_naf, &ta), (&b_naf, &tb)] {
                let digit = naf.get(i).copied().unwrap_or(0);
                if let Some(p) = table.get(usize::from(digit.unsigned_abs() / 2)).filter(|_| digit != 0) {
                    r = if digit > 0 { r.add(p) } else { r.add(&p.neg()) };
                }
            }
        }
        r
    }
}

/// Width-`w` NAF of a little-endian integer (variable time).
fn naf_vartime(bytes: &[u8], w: usize) -> Vec<i8> {
    let bits = bytes.len() * 8 + 1;
    let bit = |i: usize| -> u32 { bytes.get(i / 8).map_or(0, |b| u32::from(b >> (i % 8) & 1)) };
    let mut naf = alloc::vec![0i8; bits];
    let width = 1u32 << w;
    let (mut carry, mut pos) = (0u32, 0usize);
    while pos < bits {
        let mut window = carry;
        for k in 0..w {
            window += bit(pos + k) << k;
        }
        if window & 1 == 0 {
            pos += 1;
            continue;
        }
        if let Some(slot) = naf.get_mut(pos) {
            if window < width / 2 {
                carry = 0;
                *slot = window as i8;
            } else {
                carry = 1;
                *slot = (window as i32 - width as i32) as i8;
            }
        }
        pos += w;
    }
    naf
}

impl ConstantTimeEq for EdwardsPoint {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.x.mul(&other.z).ct_eq(&other.x.mul(&self.z)) & self.y.mul(&other.z).ct_eq(&other.y.mul(&self.z))
    }
}

impl ConditionallySelectable for EdwardsPoint {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        EdwardsPoint {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_point_round_trip_and_order() {
        let enc = EdwardsPoint::BASEPOINT.compress();
        assert_eq!(
            enc,
            hex_literal::hex!(
                "14fa30f25b790898adc8d74e2c13bdfdc4397ce61cffd33ad7c2a0051e9c78874098a36c7373ea4b62c7c9563720768824bcb66e71463f6900"
            )
        );
        let b = EdwardsPoint::decompress(&enc).unwrap();
        assert!(bool::from(b.ct_eq(&EdwardsPoint::BASEPOINT)));
        let s = Scalar::from_bytes_mod_order(&[0x5a; 114]);
        let t = Scalar::from_bytes_mod_order(&[0xa5; 57]);
        let p = EdwardsPoint::mul_base(&t);
        let lhs = p.double_scalar_mul_vartime(&s, &t);
        let rhs = p.mul(&s).add(&EdwardsPoint::mul_base(&t));
        assert!(bool::from(lhs.ct_eq(&rhs)));
        assert!(bool::from(p.add(&p.neg()).is_identity()));
        assert!(bool::from(p.double().ct_eq(&p.add(&p))));
        assert!(!bool::from(p.is_small_order()));
        let enc = p.compress();
        assert_eq!(EdwardsPoint::decompress(&enc).unwrap().compress(), enc);
        let mut bad = enc;
        bad[56] |= 1;
        assert!(EdwardsPoint::decompress(&bad).is_none());
    }
}
