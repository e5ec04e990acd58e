//! Constant-time arithmetic modulo a group order, in Montgomery form over
//! `N` 64-bit limbs: shared by the Ed25519 / ristretto255 scalars (N = 4)
//! and the Ed448 scalars (N = 7).
//!
//! Entry point: [`Modulus`] (the order and its Montgomery constants) and
//! its methods. Values are little-endian limb arrays below the modulus;
//! loops run over public limb counts only, carries become masks, so the
//! timing is independent of the values.
// Every index is below N, a constant of the loop bounds; the loops run
// over several arrays in step, clearer with an index than zipped iterators.
#![allow(clippy::indexing_slicing, clippy::needless_range_loop)]

use subtle::{Choice, ConditionallySelectable};

/// An odd modulus below 2^(64N - 1) with its Montgomery constants for
/// R = 2^(64N).
pub(crate) struct Modulus<const N: usize> {
    /// The modulus, little-endian limbs.
    pub(crate) m: [u64; N],
    /// `-m^-1 mod 2^64`.
    pub(crate) minv: u64,
    /// `R^2 mod m`.
    pub(crate) r2: [u64; N],
    /// `R^3 mod m` (for reducing wider inputs).
    pub(crate) r3: [u64; N],
}

#[inline(always)]
fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    // Wrapping ops (the sum never exceeds 2^128 - 1): no overflow-check
    // branches in test builds, which the ctgrind check would flag.
    let t = (u128::from(a) * u128::from(b)).wrapping_add(u128::from(acc)).wrapping_add(u128::from(carry));
    (t as u64, (t >> 64) as u64)
}

#[inline(always)]
fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = u128::from(a).wrapping_add(u128::from(b)).wrapping_add(u128::from(carry));
    (t as u64, (t >> 64) as u64)
}

#[inline(always)]
fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = u128::from(a).wrapping_sub(u128::from(b)).wrapping_sub(u128::from(borrow));
    (t as u64, (t >> 127) as u64)
}

impl<const N: usize> Modulus<N> {
    /// `a - m` when `a + hi * 2^(64N) >= m`, else `a` (for values below 2m).
    fn subtract_once(&self, a: &[u64; N], hi: u64) -> [u64; N] {
        let mut d = [0u64; N];
        let mut borrow = 0;
        for i in 0..N {
            (d[i], borrow) = sbb(a[i], self.m[i], borrow);
        }
        let (_, borrow) = sbb(hi, 0, borrow);
        // borrow == 1: a < m, keep a.
        let keep = Choice::from(borrow as u8);
        let mut out = [0u64; N];
        for i in 0..N {
            out[i] = u64::conditional_select(&d[i], &a[i], keep);
        }
        out
    }

    /// Montgomery product `a * b / R mod m`, for `a * b < R * m`.
    pub(crate) fn mont_mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut t = [0u64; N];
        let mut t_hi = 0u64;
        for &ai in a {
            let mut carry = 0;
            for j in 0..N {
                (t[j], carry) = mac(t[j], ai, b[j], carry);
            }
            let (hi, top) = adc(t_hi, carry, 0);
            let q = t[0].wrapping_mul(self.minv);
            let (_, mut carry) = mac(t[0], q, self.m[0], 0);
            for j in 1..N {
                (t[j - 1], carry) = mac(t[j], q, self.m[j], carry);
            }
            let (lo, c) = adc(hi, carry, 0);
            t[N - 1] = lo;
            t_hi = top.wrapping_add(c);
        }
        self.subtract_once(&t, t_hi)
    }

    /// `a mod m` for any `a < 2^(64N)`.
    pub(crate) fn reduce(&self, a: &[u64; N]) -> [u64; N] {
        self.to_normal(&self.mont_mul(a, &self.r2))
    }

    /// `a / R mod m`.
    pub(crate) fn to_normal(&self, a: &[u64; N]) -> [u64; N] {
        let mut one = [0u64; N];
        one[0] = 1;
        self.mont_mul(a, &one)
    }

    /// `a * b mod m` for reduced inputs.
    pub(crate) fn mul(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        self.mont_mul(&self.mont_mul(a, b), &self.r2)
    }

    /// `a + b mod m` for reduced inputs.
    pub(crate) fn add(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut s = [0u64; N];
        let mut carry = 0;
        for i in 0..N {
            (s[i], carry) = adc(a[i], b[i], carry);
        }
        self.subtract_once(&s, carry)
    }

    /// `a - b mod m` for reduced inputs.
    pub(crate) fn sub(&self, a: &[u64; N], b: &[u64; N]) -> [u64; N] {
        let mut d = [0u64; N];
        let mut borrow = 0;
        for i in 0..N {
            (d[i], borrow) = sbb(a[i], b[i], borrow);
        }
        let mask = 0u64.wrapping_sub(borrow);
        let mut carry = 0;
        for i in 0..N {
            (d[i], carry) = adc(d[i], self.m[i] & mask, carry);
        }
        d
    }

    /// Reduces a little-endian byte string of at most `3 * 8N` bytes.
    pub(crate) fn reduce_bytes(&self, bytes: &[u8]) -> [u64; N] {
        // x = c0 + c1 R + c2 R^2; mont(c0, R2) + mont(c1, R3) is
        // (c0 + c1 R) R; c2 R^2 needs one more factor of R: mont(mont(c2, R3), R2).
        let chunk = |k: usize| {
            let mut limbs = [0u64; N];
            for (i, limb) in limbs.iter_mut().enumerate() {
                let mut w = [0u8; 8];
                for (j, b) in w.iter_mut().enumerate() {
                    *b = bytes.get(k * 8 * N + 8 * i + j).copied().unwrap_or(0);
                }
                *limb = u64::from_le_bytes(w);
            }
            limbs
        };
        let (c0, c1, c2) = (chunk(0), chunk(1), chunk(2));
        let sum = self.add(&self.mont_mul(&c0, &self.r2), &self.mont_mul(&c1, &self.r3));
        let c2r2 = self.mont_mul(&self.mont_mul(&c2, &self.r3), &self.r2);
        self.to_normal(&self.add(&sum, &c2r2))
    }

    /// Whether `a < m`, in constant time.
    pub(crate) fn is_reduced(&self, a: &[u64; N]) -> Choice {
        let mut borrow = 0;
        for i in 0..N {
            (_, borrow) = sbb(a[i], self.m[i], borrow);
        }
        Choice::from(borrow as u8)
    }

    /// `a^(m-2) mod m`: the inverse of a nonzero `a` (m prime), or zero.
    pub(crate) fn invert(&self, a: &[u64; N]) -> [u64; N] {
        let mut e = self.m;
        e[0] -= 2; // m is odd and > 2
        let am = self.mont_mul(a, &self.r2);
        let mut one = [0u64; N];
        one[0] = 1;
        let mut acc = self.mont_mul(&one, &self.r2); // one in Montgomery form
        // Square-and-multiply over the public exponent, top bit first.
        for i in (0..64 * N).rev() {
            acc = self.mont_mul(&acc, &acc);
            let bit = (e[i / 64] >> (i % 64)) & 1;
            let prod = self.mont_mul(&acc, &am);
            let choice = Choice::from(bit as u8);
            for (x, y) in acc.iter_mut().zip(prod) {
                x.conditional_assign(&y, choice);
            }
        }
        self.to_normal(&acc)
    }
}

/// Little-endian limbs from bytes (missing bytes read as zero).
pub(crate) fn limbs_from_bytes<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut limbs = [0u64; N];
    for (i, limb) in limbs.iter_mut().enumerate() {
        let mut w = [0u8; 8];
        for (j, b) in w.iter_mut().enumerate() {
            *b = bytes.get(8 * i + j).copied().unwrap_or(0);
        }
        *limb = u64::from_le_bytes(w);
    }
    limbs
}

/// Little-endian bytes of `limbs`, truncated or zero-padded to `out`.
pub(crate) fn limbs_to_bytes<const N: usize>(limbs: &[u64; N], out: &mut [u8]) {
    for (i, b) in out.iter_mut().enumerate() {
        *b = limbs.get(i / 8).map_or(0, |l| (l >> (8 * (i % 8))) as u8);
    }
}
