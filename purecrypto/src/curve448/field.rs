//! Arithmetic in GF(p), p = 2^448 - 2^224 - 1, eight 56-bit limbs with
//! `u128` products.
//!
//! Entry point: [`Fe`]. Reduction uses 2^448 = 2^224 + 1 (mod p): a
//! column at limb position n >= 8 folds into positions n - 8 and n - 4.
//! Invariant: results of [`Fe::mul`], [`Fe::square`], [`Fe::sub`] have
//! limbs below 2^57; [`Fe::add`] does not carry (limbs below 2^58) and its
//! result must go to a multiplication or subtraction before another
//! addition. Only [`Fe::to_bytes`] gives the canonical value. Constant time;
//! arithmetic on limbs uses `wrapping_*` (the bounds above rule out
//! overflow) so test builds carry no overflow-check branches on secrets.
// Fixed-size arrays indexed by loop counters below their length, several
// arrays in step.
#![allow(clippy::indexing_slicing, clippy::needless_range_loop)]

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

const MASK: u64 = (1 << 56) - 1;
const MASK128: u128 = (1 << 56) - 1;

/// An element as `sum(limb[i] * 2^(56 i))`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fe(pub(crate) [u64; 8]);

impl Fe {
    pub(crate) const ZERO: Fe = Fe([0; 8]);
    pub(crate) const ONE: Fe = Fe([1, 0, 0, 0, 0, 0, 0, 0]);
    /// The Edwards constant d = -39081.
    pub(crate) const D: Fe = Fe([
        0xffffffffff6756,
        0xffffffffffffff,
        0xffffffffffffff,
        0xffffffffffffff,
        0xfffffffffffffe,
        0xffffffffffffff,
        0xffffffffffffff,
        0xffffffffffffff,
    ]);
    /// p as limbs.
    const P: [u64; 8] = [MASK, MASK, MASK, MASK, MASK - 1, MASK, MASK, MASK];

    /// Reads 56 little-endian bytes (values in [p, 2^448) behave as their
    /// residue).
    pub(crate) fn from_bytes(bytes: &[u8; 56]) -> Fe {
        let mut limbs = [0u64; 8];
        for (limb, chunk) in limbs.iter_mut().zip(bytes.chunks_exact(7)) {
            let mut w = [0u8; 8];
            w[..7].copy_from_slice(chunk);
            *limb = u64::from_le_bytes(w);
        }
        Fe(limbs)
    }

    /// Whether `bytes` is below p.
    pub(crate) fn is_canonical(bytes: &[u8; 56]) -> Choice {
        Fe::from_bytes(bytes).to_bytes().ct_eq(bytes)
    }

    fn carry(limbs: &mut [u64; 8]) {
        for i in 0..7 {
            limbs[i + 1] = limbs[i + 1].wrapping_add(limbs[i] >> 56);
            limbs[i] &= MASK;
        }
        let top = limbs[7] >> 56;
        limbs[7] &= MASK;
        limbs[0] = limbs[0].wrapping_add(top);
        limbs[4] = limbs[4].wrapping_add(top);
    }

    /// The canonical 56-byte encoding.
    pub(crate) fn to_bytes(self) -> [u8; 56] {
        let mut l = self.0;
        Fe::carry(&mut l);
        Fe::carry(&mut l);
        // Now l < 2^448 + small < 2p: subtract p once if it fits.
        let mut d = [0u64; 8];
        let mut borrow = 0u64;
        for i in 0..8 {
            let t = l[i].wrapping_sub(Fe::P[i]).wrapping_sub(borrow);
            borrow = t >> 63;
            d[i] = t & MASK;
        }
        let keep = Choice::from(borrow as u8);
        let mut out = [0u8; 56];
        for (i, chunk) in out.chunks_exact_mut(7).enumerate() {
            let v = u64::conditional_select(&d[i], &l[i], keep);
            chunk.copy_from_slice(&v.to_le_bytes()[..7]);
        }
        out
    }

    /// Limb-wise sum, no carry.
    pub(crate) fn add(&self, rhs: &Fe) -> Fe {
        let mut r = self.0;
        for (x, y) in r.iter_mut().zip(rhs.0) {
            *x = x.wrapping_add(y);
        }
        Fe(r)
    }

    /// `self + 4p - rhs`, carried.
    pub(crate) fn sub(&self, rhs: &Fe) -> Fe {
        let mut r = [0u64; 8];
        for i in 0..8 {
            r[i] = self.0[i].wrapping_add(4 * Fe::P[i]).wrapping_sub(rhs.0[i]);
        }
        Fe::carry(&mut r);
        Fe(r)
    }

    /// `-self`.
    pub(crate) fn neg(&self) -> Fe {
        Fe::ZERO.sub(self)
    }

    /// `self * rhs`.
    pub(crate) fn mul(&self, rhs: &Fe) -> Fe {
        let (a, b) = (self.0, rhs.0);
        let mut c = [0u128; 15];
        for i in 0..8 {
            for j in 0..8 {
                c[i + j] = c[i + j].wrapping_add(u128::from(a[i]) * u128::from(b[j]));
            }
        }
        // 2^(56n) = 2^(56(n-8)) + 2^(56(n-4)) for n >= 8, highest first so
        // that folds landing at 8..11 are folded again.
        for n in (8..15).rev() {
            let t = c[n];
            c[n - 8] = c[n - 8].wrapping_add(t);
            c[n - 4] = c[n - 4].wrapping_add(t);
        }
        for _ in 0..2 {
            for i in 0..7 {
                c[i + 1] = c[i + 1].wrapping_add(c[i] >> 56);
                c[i] &= MASK128;
            }
            let top = c[7] >> 56;
            c[7] &= MASK128;
            c[0] = c[0].wrapping_add(top);
            c[4] = c[4].wrapping_add(top);
        }
        let mut r = [0u64; 8];
        for i in 0..8 {
            r[i] = c[i] as u64;
        }
        Fe(r)
    }

    /// `self^2`.
    pub(crate) fn square(&self) -> Fe {
        self.mul(self)
    }

    /// `self * n` for small `n`.
    pub(crate) fn mul_small(&self, n: u32) -> Fe {
        let mut small = Fe::ZERO;
        small.0[0] = u64::from(n);
        self.mul(&small)
    }

    fn pow2k(&self, k: u32) -> Fe {
        let mut r = *self;
        for _ in 0..k {
            r = r.square();
        }
        r
    }

    /// `self^((p-3)/4) = self^(2^446 - 2^222 - 1)`.
    fn pow_p34(&self) -> Fe {
        let x = *self;
        let e2 = x.square().mul(&x); // 2^2 - 1
        let e3 = e2.square().mul(&x); // 2^3 - 1
        let e6 = e3.pow2k(3).mul(&e3);
        let e12 = e6.pow2k(6).mul(&e6);
        let e24 = e12.pow2k(12).mul(&e12);
        let e30 = e24.pow2k(6).mul(&e6);
        let e48 = e24.pow2k(24).mul(&e24);
        let e96 = e48.pow2k(48).mul(&e48);
        let e192 = e96.pow2k(96).mul(&e96);
        let e222 = e192.pow2k(30).mul(&e30);
        let e223 = e222.square().mul(&x);
        // (2^224 - 2) * 2^222 + 2^222 - 1.
        e223.square().pow2k(222).mul(&e222)
    }

    /// The inverse (zero for zero): `self^(p-2) = (self^((p-3)/4))^4 * self`.
    pub(crate) fn invert(&self) -> Fe {
        self.pow_p34().pow2k(2).mul(self)
    }

    /// `(true, sqrt(u/v))` when u/v is a square (RFC 8032 5.2.3), the root
    /// candidate `u^3 v (u^5 v^3)^((p-3)/4)` either way.
    pub(crate) fn sqrt_ratio(u: &Fe, v: &Fe) -> (Choice, Fe) {
        let u2 = u.square();
        let u3v = u2.mul(u).mul(v);
        let u5v3 = u3v.mul(&u2).mul(&v.square());
        let x = u3v.mul(&u5v3.pow_p34());
        let ok = v.mul(&x.square()).ct_eq(u);
        (ok, x)
    }

    /// Whether the canonical value is odd.
    pub(crate) fn is_negative(&self) -> Choice {
        Choice::from(self.to_bytes()[0] & 1)
    }

    /// Whether the value is zero.
    pub(crate) fn is_zero(&self) -> Choice {
        self.to_bytes().ct_eq(&[0u8; 56])
    }
}

impl ConditionallySelectable for Fe {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut r = a.0;
        for (x, y) in r.iter_mut().zip(b.0) {
            x.conditional_assign(&y, choice);
        }
        Fe(r)
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
        let mut b = [0u8; 56];
        b[..8].copy_from_slice(&n.to_le_bytes());
        Fe::from_bytes(&b)
    }

    #[test]
    fn canonical_encoding() {
        let mut p = [0xffu8; 56];
        p[28] = 0xfe;
        assert!(!bool::from(Fe::is_canonical(&p)));
        assert_eq!(Fe::from_bytes(&p).to_bytes(), [0; 56]);
        let all = [0xffu8; 56];
        // 2^448 - 1 = p + 2^224.
        let mut expect = [0u8; 56];
        expect[28] = 1;
        assert_eq!(Fe::from_bytes(&all).to_bytes(), expect);
        assert_eq!(Fe::ZERO.sub(&fe(1)).add(&fe(1)).to_bytes(), [0; 56]);
    }

    #[test]
    fn field_laws() {
        let a = Fe::D.mul(&fe(12345));
        assert_eq!(a.mul(&a.invert()).to_bytes(), Fe::ONE.to_bytes());
        assert_eq!(Fe::D.add(&fe(39081)).to_bytes(), [0; 56]);
        let sq = a.square();
        let (ok, r) = Fe::sqrt_ratio(&sq, &Fe::ONE);
        assert!(bool::from(ok));
        assert_eq!(r.square().to_bytes(), sq.to_bytes());
        // -1 is not a square modulo p (p = 3 mod 4).
        assert!(!bool::from(Fe::sqrt_ratio(&Fe::ONE.neg(), &Fe::ONE).0));
        let b = a.mul(&Fe::D).sub(&fe(7));
        assert_eq!(a.mul(&b).to_bytes(), b.mul(&a).to_bytes());
        assert_eq!(a.add(&b).mul(&a).to_bytes(), a.square().add(&b.mul(&a)).to_bytes());
        assert_eq!(a.mul_small(3).to_bytes(), a.add(&a).add(&a).to_bytes());
    }
}
