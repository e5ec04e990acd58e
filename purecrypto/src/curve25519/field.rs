//! Arithmetic in GF(2^255 - 19), five 51-bit limbs with `u128` products.
//!
//! Entry point: [`Fe`]. Invariant: after [`Fe::mul`], [`Fe::square`],
//! [`Fe::sub`] and [`Fe::neg`] every limb is below 2^52; [`Fe::add`] does
//! not carry, so a sum of two such values (limbs below 2^53) may be fed to
//! a multiplication or subtraction but not added again. Only
//! [`Fe::to_bytes`] produces the canonical representative. Every function
//! here runs in time independent of the values.

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

const MASK: u64 = (1 << 51) - 1;

/// The wrapping sum of column terms. Limb bounds (module invariant) keep
/// every sum far below 2^128; wrapping operations instead of `+` keep
/// overflow-check branches out of debug and test builds, where the ctgrind
/// check would see them as branches on secrets. The same holds for every
/// `wrapping_*` call in this file.
#[inline(always)]
fn sum<const N: usize>(terms: [u128; N]) -> u128 {
    terms.iter().fold(0u128, |acc, t| acc.wrapping_add(*t))
}

/// An element of GF(2^255 - 19) as `sum(limb[i] * 2^(51 i))`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe(pub(crate) [u64; 5]);

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0; 5]);
    pub(crate) const ONE: Fe = Fe([1, 0, 0, 0, 0]);
    /// The twisted Edwards constant d = -121665/121666.
    pub(crate) const D: Fe = Fe([0x34dca135978a3, 0x1a8283b156ebd, 0x5e7a26001c029, 0x739c663a03cbb, 0x52036cee2b6ff]);
    /// 2d.
    pub(crate) const D2: Fe = Fe([0x69b9426b2f159, 0x35050762add7a, 0x3cf44c0038052, 0x6738cc7407977, 0x2406d9dc56dff]);
    /// sqrt(-1) = 2^((p-1)/4), the non-negative root.
    pub(crate) const SQRT_M1: Fe =
        Fe([0x61b274a0ea0b0, 0xd5a5fc8f189d, 0x7ef5e9cbd0c60, 0x78595a6804c9e, 0x2b8324804fc1d]);

    /// Reads 32 little-endian bytes, ignoring the top bit (RFC 7748 and
    /// RFC 8032 both mask it); values in [p, 2^255) are accepted and
    /// behave as their residue.
    pub(crate) fn from_bytes(bytes: &[u8; 32]) -> Fe {
        let word = |i: usize| {
            let mut w = [0u8; 8];
            if let Some(src) = bytes.get(i * 8..i * 8 + 8) {
                w.copy_from_slice(src);
            }
            u64::from_le_bytes(w)
        };
        let (w0, w1, w2, w3) = (word(0), word(1), word(2), word(3));
        Fe([
            w0 & MASK,
            (w0 >> 51 | w1 << 13) & MASK,
            (w1 >> 38 | w2 << 26) & MASK,
            (w2 >> 25 | w3 << 39) & MASK,
            (w3 >> 12) & MASK,
        ])
    }

    /// Whether `bytes` (top bit ignored) is the canonical encoding of its
    /// value, i.e. below p. Constant time.
    pub(crate) fn is_canonical(bytes: &[u8; 32]) -> Choice {
        let mut masked = *bytes;
        masked[31] &= 0x7f;
        Fe::from_bytes(bytes).to_bytes().ct_eq(&masked)
    }

    /// The canonical 32-byte little-endian encoding (top bit clear).
    pub(crate) fn to_bytes(self) -> [u8; 32] {
        let [mut h0, mut h1, mut h2, mut h3, mut h4] = self.carried().0;
        // h < 2^255 + small; q = 1 exactly when h >= p.
        let mut q = (h0.wrapping_add(19)) >> 51;
        q = (h1.wrapping_add(q)) >> 51;
        q = (h2.wrapping_add(q)) >> 51;
        q = (h3.wrapping_add(q)) >> 51;
        q = (h4.wrapping_add(q)) >> 51;
        h0 = h0.wrapping_add(q.wrapping_mul(19));
        h1 = h1.wrapping_add(h0 >> 51);
        h0 &= MASK;
        h2 = h2.wrapping_add(h1 >> 51);
        h1 &= MASK;
        h3 = h3.wrapping_add(h2 >> 51);
        h2 &= MASK;
        h4 = h4.wrapping_add(h3 >> 51);
        h3 &= MASK;
        h4 &= MASK;
        let words = [h0 | h1 << 51, h1 >> 13 | h2 << 38, h2 >> 26 | h3 << 25, h3 >> 39 | h4 << 12];
        let mut out = [0u8; 32];
        for (chunk, w) in out.chunks_exact_mut(8).zip(words) {
            chunk.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// One carry pass: limbs below 2^51 + 2^13 * 19.
    fn carried(self) -> Fe {
        let [mut l0, mut l1, mut l2, mut l3, mut l4] = self.0;
        let c4 = l4 >> 51;
        l4 &= MASK;
        l0 = l0.wrapping_add(c4.wrapping_mul(19));
        l1 = l1.wrapping_add(l0 >> 51);
        l0 &= MASK;
        l2 = l2.wrapping_add(l1 >> 51);
        l1 &= MASK;
        l3 = l3.wrapping_add(l2 >> 51);
        l2 &= MASK;
        l4 = l4.wrapping_add(l3 >> 51);
        l3 &= MASK;
        Fe([l0, l1, l2, l3, l4])
    }

    /// Limb-wise sum without carrying (see the module invariant).
    #[inline(always)]
    pub(crate) fn add(&self, rhs: &Fe) -> Fe {
        let [a0, a1, a2, a3, a4] = self.0;
        let [b0, b1, b2, b3, b4] = rhs.0;
        Fe([a0.wrapping_add(b0), a1.wrapping_add(b1), a2.wrapping_add(b2), a3.wrapping_add(b3), a4.wrapping_add(b4)])
    }

    /// `self - rhs`, computed as `self + 16p - rhs` then carried.
    #[inline(always)]
    pub(crate) fn sub(&self, rhs: &Fe) -> Fe {
        const P16_0: u64 = 16 * ((1 << 51) - 19);
        const P16: u64 = 16 * ((1 << 51) - 1);
        let [a0, a1, a2, a3, a4] = self.0;
        let [b0, b1, b2, b3, b4] = rhs.0;
        Fe([
            a0.wrapping_add(P16_0).wrapping_sub(b0),
            a1.wrapping_add(P16).wrapping_sub(b1),
            a2.wrapping_add(P16).wrapping_sub(b2),
            a3.wrapping_add(P16).wrapping_sub(b3),
            a4.wrapping_add(P16).wrapping_sub(b4),
        ])
        .carried()
    }

    /// `-self`.
    #[inline(always)]
    pub(crate) fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// `self * rhs`.
    #[inline(always)]
    pub(crate) fn mul(&self, rhs: &Fe) -> Fe {
        #[inline(always)]
        fn m(a: u64, b: u64) -> u128 {
            u128::from(a) * u128::from(b)
        }
        let [a0, a1, a2, a3, a4] = self.0;
        let [b0, b1, b2, b3, b4] = rhs.0;
        let (b1_19, b2_19, b3_19, b4_19) =
            (b1.wrapping_mul(19), b2.wrapping_mul(19), b3.wrapping_mul(19), b4.wrapping_mul(19));
        let c0 = sum([m(a0, b0), m(a4, b1_19), m(a3, b2_19), m(a2, b3_19), m(a1, b4_19)]);
        let c1 = sum([m(a1, b0), m(a0, b1), m(a4, b2_19), m(a3, b3_19), m(a2, b4_19)]);
        let c2 = sum([m(a2, b0), m(a1, b1), m(a0, b2), m(a4, b3_19), m(a3, b4_19)]);
        let c3 = sum([m(a3, b0), m(a2, b1), m(a1, b2), m(a0, b3), m(a4, b4_19)]);
        let c4 = sum([m(a4, b0), m(a3, b1), m(a2, b2), m(a1, b3), m(a0, b4)]);
        Fe::reduce_wide([c0, c1, c2, c3, c4])
    }

    /// Carries five 115-bit column sums down to limbs below 2^52.
    #[inline(always)]
    fn reduce_wide(c: [u128; 5]) -> Fe {
        let [c0, mut c1, mut c2, mut c3, mut c4] = c;
        let mask = u128::from(MASK);
        c1 = c1.wrapping_add(c0 >> 51);
        let mut r0 = (c0 & mask) as u64;
        c2 = c2.wrapping_add(c1 >> 51);
        let r1 = (c1 & mask) as u64;
        c3 = c3.wrapping_add(c2 >> 51);
        let r2 = (c2 & mask) as u64;
        c4 = c4.wrapping_add(c3 >> 51);
        let r3 = (c3 & mask) as u64;
        let carry = (c4 >> 51) as u64;
        let r4 = (c4 & mask) as u64;
        r0 = r0.wrapping_add(carry.wrapping_mul(19));
        let r1 = r1.wrapping_add(r0 >> 51);
        r0 &= MASK;
        Fe([r0, r1, r2, r3, r4])
    }

    /// `self^2`.
    #[inline(always)]
    pub(crate) fn square(&self) -> Fe {
        #[inline(always)]
        fn m(a: u64, b: u64) -> u128 {
            u128::from(a) * u128::from(b)
        }
        let [a0, a1, a2, a3, a4] = self.0;
        let (a3_19, a4_19) = (a3.wrapping_mul(19), a4.wrapping_mul(19));
        let (d0, d1, d2, d4) = (a0.wrapping_mul(2), a1.wrapping_mul(2), a2.wrapping_mul(2), a4.wrapping_mul(2));
        let c0 = sum([m(a0, a0), m(d1, a4_19), m(d2, a3_19)]);
        let c1 = sum([m(d0, a1), m(d2, a4_19), m(a3, a3_19)]);
        let c2 = sum([m(d0, a2), m(a1, a1), m(d4, a3_19)]);
        let c3 = sum([m(d0, a3), m(d1, a2), m(a4, a4_19)]);
        let c4 = sum([m(d0, a4), m(d1, a3), m(a2, a2)]);
        Fe::reduce_wide([c0, c1, c2, c3, c4])
    }

    /// `self^(2^k)`, k >= 1.
    pub(crate) fn pow2k(&self, k: u32) -> Fe {
        let mut r = self.square();
        for _ in 1..k {
            r = r.square();
        }
        r
    }

    /// `self * n` for a small constant `n < 2^20`.
    pub(crate) fn mul_small(&self, n: u32) -> Fe {
        let n = u128::from(n);
        let [a0, a1, a2, a3, a4] = self.0;
        Fe::reduce_wide([
            u128::from(a0).wrapping_mul(n),
            u128::from(a1).wrapping_mul(n),
            u128::from(a2).wrapping_mul(n),
            u128::from(a3).wrapping_mul(n),
            u128::from(a4).wrapping_mul(n),
        ])
    }

    /// `(self^(2^250 - 1), self^11)`, the shared prefix of the inversion
    /// and square-root exponents.
    fn pow_2_250_minus_1(&self) -> (Fe, Fe) {
        let t0 = self.square(); // 2
        let t1 = t0.pow2k(2).mul(self); // 9
        let t0 = t0.mul(&t1); // 11
        let t2 = t0.square(); // 22
        let t1 = t1.mul(&t2); // 2^5 - 1
        let t2 = t1.pow2k(5).mul(&t1); // 2^10 - 1
        let t3 = t2.pow2k(10).mul(&t2); // 2^20 - 1
        let t3 = t3.pow2k(20).mul(&t3); // 2^40 - 1
        let t2 = t3.pow2k(10).mul(&t2); // 2^50 - 1
        let t3 = t2.pow2k(50).mul(&t2); // 2^100 - 1
        let t4 = t3.pow2k(100).mul(&t3); // 2^200 - 1
        let t2 = t4.pow2k(50).mul(&t2); // 2^250 - 1
        (t2, t0)
    }

    /// `self^(p-2)`: the inverse, or zero for zero.
    pub(crate) fn invert(&self) -> Fe {
        let (t, eleven) = self.pow_2_250_minus_1();
        t.pow2k(5).mul(&eleven) // 2^255 - 32 + 11 = p - 2
    }

    /// `self^((p-5)/8) = self^(2^252 - 3)`.
    fn pow_p58(&self) -> Fe {
        let (t, _) = self.pow_2_250_minus_1();
        t.pow2k(2).mul(self)
    }

    /// Whether the canonical value is odd (RFC 9496 IS_NEGATIVE).
    pub(crate) fn is_negative(&self) -> Choice {
        Choice::from(self.to_bytes()[0] & 1)
    }

    /// Whether the value is zero.
    pub(crate) fn is_zero(&self) -> Choice {
        self.to_bytes().ct_eq(&[0u8; 32])
    }

    /// `|self|`: negated when odd.
    pub(crate) fn abs(&self) -> Fe {
        Fe::conditional_select(self, &self.neg(), self.is_negative())
    }

    /// RFC 9496 SQRT_RATIO_M1: `(true, +sqrt(u/v))` when u/v is a square,
    /// `(true, 0)` when u = 0, `(false, +sqrt(i*u/v))` otherwise (and
    /// `(false, 0)` when v = 0 and u != 0).
    pub(crate) fn sqrt_ratio_m1(u: &Fe, v: &Fe) -> (Choice, Fe) {
        let v3 = v.square().mul(v);
        let v7 = v3.square().mul(v);
        let mut r = u.mul(&v3).mul(&u.mul(&v7).pow_p58());
        let check = v.mul(&r.square());
        let neg_u = u.neg();
        let correct_sign = check.ct_eq(u);
        let flipped_sign = check.ct_eq(&neg_u);
        let flipped_sign_i = check.ct_eq(&neg_u.mul(&Fe::SQRT_M1));
        let r_prime = r.mul(&Fe::SQRT_M1);
        r.conditional_assign(&r_prime, flipped_sign | flipped_sign_i);
        (correct_sign | flipped_sign, r.abs())
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let [a0, a1, a2, a3, a4] = a.0;
        let [b0, b1, b2, b3, b4] = b.0;
        Fe([
            u64::conditional_select(&a0, &b0, choice),
            u64::conditional_select(&a1, &b1, choice),
            u64::conditional_select(&a2, &b2, choice),
            u64::conditional_select(&a3, &b3, choice),
            u64::conditional_select(&a4, &b4, choice),
        ])
    }

    fn conditional_swap(a: &mut Self, b: &mut Self, choice: Choice) {
        for (x, y) in a.0.iter_mut().zip(b.0.iter_mut()) {
            u64::conditional_swap(x, y, choice);
        }
    }
}

impl ConstantTimeEq for Fe {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.to_bytes().ct_eq(&other.to_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fe(n: u64) -> Fe {
        let mut b = [0u8; 32];
        b[..8].copy_from_slice(&n.to_le_bytes());
        Fe::from_bytes(&b)
    }

    #[test]
    fn encoding_is_canonical() {
        // p - 1, p, p + 1 and 2^255 - 1 (p + 18).
        let mut p = [0xffu8; 32];
        p[0] = 0xed;
        p[31] = 0x7f;
        assert!(bool::from(!Fe::is_canonical(&p)));
        assert_eq!(Fe::from_bytes(&p).to_bytes(), [0; 32]);
        let mut pm1 = p;
        pm1[0] = 0xec;
        assert!(bool::from(Fe::is_canonical(&pm1)));
        assert_eq!(Fe::from_bytes(&pm1).to_bytes(), pm1);
        let all = [0xffu8; 32];
        let mut eighteen = [0u8; 32];
        eighteen[0] = 18;
        assert_eq!(Fe::from_bytes(&all).to_bytes(), eighteen);
        assert_eq!(Fe::from_bytes(&pm1).add(&fe(1)).to_bytes(), [0; 32]);
    }

    #[test]
    fn field_laws() {
        let a = Fe::D;
        let b = Fe::SQRT_M1;
        assert_eq!(b.square().to_bytes(), Fe::ONE.neg().to_bytes());
        assert_eq!(a.mul(&a.invert()).to_bytes(), Fe::ONE.to_bytes());
        assert_eq!(a.add(&a).to_bytes(), Fe::D2.to_bytes());
        assert_eq!(a.sub(&b).add(&b).to_bytes(), a.to_bytes());
        assert_eq!(a.mul_small(121666).to_bytes(), fe(121665).neg().to_bytes());
        assert_eq!(a.square().to_bytes(), a.mul(&a).to_bytes());
        assert_eq!(Fe::ZERO.invert().to_bytes(), [0; 32]);
    }

    #[test]
    fn sqrt_ratio() {
        let (ok, r) = Fe::sqrt_ratio_m1(&fe(4), &fe(1));
        assert!(bool::from(ok));
        assert_eq!(r.to_bytes(), fe(2).to_bytes());
        let (ok, r) = Fe::sqrt_ratio_m1(&fe(0), &fe(5));
        assert!(bool::from(ok) && bool::from(r.is_zero()));
        let (ok, _) = Fe::sqrt_ratio_m1(&fe(1), &fe(0));
        assert!(!bool::from(ok));
        // 2 is a non-square mod p.
        let (ok, r) = Fe::sqrt_ratio_m1(&fe(2), &fe(1));
        assert!(!bool::from(ok));
        assert_eq!(r.square().to_bytes(), fe(2).mul(&Fe::SQRT_M1).to_bytes());
    }
}
