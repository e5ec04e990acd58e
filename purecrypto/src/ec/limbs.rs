//! Fixed-width little-endian limb kernels shared by every curve's base and
//! scalar field: Montgomery multiplication (CIOS), modular add / sub, and
//! the `const fn` precomputations (R mod p, R^2 mod p, -p^-1 mod 2^64,
//! Fermat and square-root exponents) that let a field be described by its
//! modulus alone.
//!
//! Entry points: [`mont_mul`], [`add_mod`], [`sub_mod`], [`MontConsts`].
//! Every kernel is branch-free on its operands; the loops run a fixed `N`
//! times. The multiply loop and the conditional subtraction are `const
//! fn`, so curve constants (b, the generator) are converted to Montgomery
//! form at compile time ([`mont_mul_const`]) by the same code that runs at
//! run time; only the run-time entry points add an optimisation barrier on
//! the secret borrow.
// Indices below are loop counters bounded by the const array length `N`
// (or `N - 1`), so every access is in bounds by construction; `get` is not
// usable in `const fn`.
#![allow(clippy::indexing_slicing)]

use crate::arch::value_barrier;

/// `a + b * c + carry` as (low, high) words.
#[inline(always)]
pub(crate) const fn mac(a: u64, b: u64, c: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + (b as u128) * (c as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a + b + carry` as (sum, carry out).
#[inline(always)]
pub(crate) const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a - b - borrow` as (difference, borrow out in {0, 1}).
#[inline(always)]
const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    // Two `overflowing_sub`s rather than a 128-bit difference: LLVM
    // matches this shape to one `sbb` per limb, while the 128-bit form
    // came out as add/sar/adc sequences about three times as long.
    let (d, b1) = a.overflowing_sub(b);
    let (d, b2) = d.overflowing_sub(borrow);
    (d, (b1 | b2) as u64)
}

/// `t + hi * 2^(64N) - p` and whether that borrowed (1: the input was
/// below `p`).
#[inline(always)]
const fn sub_modulus<const N: usize>(t: &[u64; N], hi: u64, p: &[u64; N]) -> ([u64; N], u64) {
    let mut d = [0u64; N];
    let mut borrow = 0;
    let mut i = 0;
    while i < N {
        let (x, b) = sbb(t[i], p[i], borrow);
        d[i] = x;
        borrow = b;
        i += 1;
    }
    let (_, under) = sbb(hi, 0, borrow);
    (d, under)
}

/// `t` where `keep` is all ones, `d` where it is zero.
#[inline(always)]
const fn select_mask<const N: usize>(keep: u64, t: &[u64; N], d: &[u64; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        out[i] = (t[i] & keep) | (d[i] & !keep);
        i += 1;
    }
    out
}

/// `(t + hi * 2^(64N)) mod p` for an input below `2p`: subtracts `p`
/// unless that borrows past `hi`, choosing with a mask. The borrow goes
/// through [`value_barrier`] first: without it LLVM turns the mask select
/// into `cmov`s, which its x86 cmov-conversion pass may in turn make
/// branches on the secret borrow (and which the valgrind check cannot tell
/// from branches).
#[inline(always)]
pub(crate) fn reduce_once<const N: usize>(t: [u64; N], hi: u64, p: &[u64; N]) -> [u64; N] {
    let (d, under) = sub_modulus(&t, hi, p);
    select_mask(value_barrier(under).wrapping_neg(), &t, &d)
}

/// [`reduce_once`] for compile-time constants (no secrets, no barrier).
const fn reduce_once_const<const N: usize>(t: [u64; N], hi: u64, p: &[u64; N]) -> [u64; N] {
    let (d, under) = sub_modulus(&t, hi, p);
    select_mask(under.wrapping_neg(), &t, &d)
}

/// Montgomery product `a * b * 2^(-64N) mod p` for `a, b < p` (CIOS).
/// `n0` is `-p^-1 mod 2^64`.
#[inline(always)]
pub(crate) fn mont_mul<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N], n0: u64) -> [u64; N] {
    let (t, hi) = mont_mul_unreduced(a, b, p, n0);
    reduce_once(t, hi, p)
}

/// [`mont_mul`] at compile time, for curve constants.
pub(crate) const fn mont_mul_const<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N], n0: u64) -> [u64; N] {
    let (t, hi) = mont_mul_unreduced(a, b, p, n0);
    reduce_once_const(t, hi, p)
}

/// The CIOS loop of [`mont_mul`]: the product below `2p`, as low limbs
/// and a top bit.
#[inline(always)]
const fn mont_mul_unreduced<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N], n0: u64) -> ([u64; N], u64) {
    let mut t = [0u64; N];
    let mut hi = 0u64;
    let mut i = 0;
    while i < N {
        let bi = b[i];
        let mut carry = 0;
        let mut j = 0;
        while j < N {
            let (lo, h) = mac(t[j], a[j], bi, carry);
            t[j] = lo;
            carry = h;
            j += 1;
        }
        let (s, top) = adc(hi, carry, 0);
        let m = t[0].wrapping_mul(n0);
        let (_, mut carry) = mac(t[0], m, p[0], 0);
        let mut j = 1;
        while j < N {
            let (lo, h) = mac(t[j], m, p[j], carry);
            t[j - 1] = lo;
            carry = h;
            j += 1;
        }
        let (s2, c2) = adc(s, carry, 0);
        t[N - 1] = s2;
        hi = top + c2;
        i += 1;
    }
    (t, hi)
}

/// `a + b mod p` for `a, b < p`.
#[inline(always)]
pub(crate) fn add_mod<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N]) -> [u64; N] {
    let (s, carry) = add_wide(a, b);
    reduce_once(s, carry, p)
}

/// `a + b` as low limbs and a carry bit.
#[inline(always)]
const fn add_wide<const N: usize>(a: &[u64; N], b: &[u64; N]) -> ([u64; N], u64) {
    let mut s = [0u64; N];
    let mut carry = 0;
    let mut i = 0;
    while i < N {
        let (x, c) = adc(a[i], b[i], carry);
        s[i] = x;
        carry = c;
        i += 1;
    }
    (s, carry)
}

/// `a - b mod p` for `a, b < p`: adds `p` back under a mask on borrow.
#[inline(always)]
pub(crate) const fn sub_mod<const N: usize>(a: &[u64; N], b: &[u64; N], p: &[u64; N]) -> [u64; N] {
    let mut d = [0u64; N];
    let mut borrow = 0;
    let mut i = 0;
    while i < N {
        let (x, bo) = sbb(a[i], b[i], borrow);
        d[i] = x;
        borrow = bo;
        i += 1;
    }
    let mask = borrow.wrapping_neg();
    let mut carry = 0;
    let mut i = 0;
    while i < N {
        let (x, c) = adc(d[i], p[i] & mask, carry);
        d[i] = x;
        carry = c;
        i += 1;
    }
    d
}

/// Whether `a < b`, as 1 or 0, without branching on the values.
#[inline(always)]
pub(crate) const fn lt<const N: usize>(a: &[u64; N], b: &[u64; N]) -> u64 {
    let mut borrow = 0;
    let mut i = 0;
    while i < N {
        let (_, bo) = sbb(a[i], b[i], borrow);
        borrow = bo;
        i += 1;
    }
    borrow
}

/// The integer 1 as limbs.
pub(crate) const fn one<const N: usize>() -> [u64; N] {
    let mut out = [0u64; N];
    out[0] = 1;
    out
}

/// Constants derived from a modulus `p` (odd, below `2^(64N)`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct MontConsts<const N: usize> {
    /// `-p^-1 mod 2^64`.
    pub(crate) n0: u64,
    /// `2^(64N) mod p`: one in Montgomery form.
    pub(crate) r: [u64; N],
    /// `2^(128N) mod p`: converts into Montgomery form.
    pub(crate) r2: [u64; N],
    /// `p - 2`: the Fermat inversion exponent.
    pub(crate) p_minus_2: [u64; N],
    /// `(p + 1) / 4`: the square-root exponent when `p = 3 mod 4`.
    pub(crate) sqrt_exp: [u64; N],
}

impl<const N: usize> MontConsts<N> {
    /// Derives every constant from `p` at compile time.
    pub(crate) const fn new(p: &[u64; N]) -> Self {
        // Newton iteration for p^-1 mod 2^64 (each step doubles the bits).
        let mut inv = 1u64;
        let mut k = 0;
        while k < 6 {
            inv = inv.wrapping_mul(2u64.wrapping_sub(p[0].wrapping_mul(inv)));
            k += 1;
        }
        // 2^(64N) mod p by 64N doublings of 1, then 64N more for R^2.
        let mut x = [0u64; N];
        x[0] = 1;
        let mut k = 0;
        while k < 64 * N {
            x = double_mod(&x, p);
            k += 1;
        }
        let r = x;
        let mut k = 0;
        while k < 64 * N {
            x = double_mod(&x, p);
            k += 1;
        }
        let mut two = [0u64; N];
        two[0] = 2;
        let p_minus_2 = sub_plain(p, &two);
        let mut one = [0u64; N];
        one[0] = 1;
        let p_plus_1 = add_plain(p, &one);
        let sqrt_exp = shr2(&p_plus_1);
        Self { n0: inv.wrapping_neg(), r, r2: x, p_minus_2, sqrt_exp }
    }
}

const fn double_mod<const N: usize>(x: &[u64; N], p: &[u64; N]) -> [u64; N] {
    let (s, carry) = add_wide(x, x);
    reduce_once_const(s, carry, p)
}

const fn sub_plain<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut d = [0u64; N];
    let mut borrow = 0;
    let mut i = 0;
    while i < N {
        let (x, bo) = sbb(a[i], b[i], borrow);
        d[i] = x;
        borrow = bo;
        i += 1;
    }
    d
}

/// `a + b`, dropping a carry out of the top limb (callers stay below
/// `2^(64N)`; the moduli here leave at least one spare bit or wrap to an
/// exact value of interest).
const fn add_plain<const N: usize>(a: &[u64; N], b: &[u64; N]) -> [u64; N] {
    let mut s = [0u64; N];
    let mut carry = 0;
    let mut i = 0;
    while i < N {
        let (x, c) = adc(a[i], b[i], carry);
        s[i] = x;
        carry = c;
        i += 1;
    }
    s
}

/// `a >> 2`, where a carry lost by [`add_plain`] (p = 2^(64N) - 1 never
/// occurs: every modulus here has a zero bit) is not a concern.
const fn shr2<const N: usize>(a: &[u64; N]) -> [u64; N] {
    let mut out = [0u64; N];
    let mut i = 0;
    while i < N {
        let next = if i + 1 < N { a[i + 1] } else { 0 };
        out[i] = (a[i] >> 2) | (next << 62);
        i += 1;
    }
    out
}

/// Big-endian bytes (any length up to `8N`) to little-endian limbs.
pub(crate) const fn limbs_from_be<const N: usize>(bytes: &[u8]) -> [u64; N] {
    let mut out = [0u64; N];
    let len = bytes.len();
    let mut i = 0;
    while i < len && i < 8 * N {
        let byte = bytes[len - 1 - i] as u64;
        out[i / 8] |= byte << (8 * (i % 8));
        i += 1;
    }
    out
}

/// Little-endian limbs to big-endian bytes filling `out` (the low
/// `out.len()` bytes of the value).
pub(crate) fn limbs_to_be<const N: usize>(limbs: &[u64; N], out: &mut [u8]) {
    let len = out.len();
    for (i, byte) in out.iter_mut().rev().enumerate() {
        let limb = limbs.get(i / 8).copied().unwrap_or(0);
        *byte = (limb >> (8 * (i % 8))) as u8;
    }
    let _ = len;
}

/// Bit `i` of a little-endian limb array (for public exponents).
#[inline(always)]
pub(crate) const fn bit<const N: usize>(a: &[u64; N], i: usize) -> u64 {
    (a[i / 64] >> (i % 64)) & 1
}

#[cfg(test)]
mod tests {
    use super::*;

    const P256: [u64; 4] = [0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001];

    #[test]
    fn montgomery_constants_satisfy_their_definitions() {
        let c = MontConsts::new(&P256);
        assert_eq!(P256[0].wrapping_mul(c.n0), u64::MAX, "p * n0 = -1 mod 2^64");
        // r2 * 1 (Montgomery) = r.
        let mut one = [0u64; 4];
        one[0] = 1;
        assert_eq!(mont_mul(&c.r2, &one, &P256, c.n0), c.r);
        assert_eq!(mont_mul(&c.r, &one, &P256, c.n0), one);
    }

    #[test]
    fn add_sub_wrap_around_the_modulus() {
        let c = MontConsts::new(&P256);
        let mut one = [0u64; 4];
        one[0] = 1;
        let zero = [0u64; 4];
        let minus_one = sub_mod(&zero, &one, &P256);
        assert_eq!(add_mod(&minus_one, &one, &P256), zero);
        assert_eq!(lt(&minus_one, &P256), 1);
        assert_eq!(lt(&P256, &P256), 0);
        assert_eq!(c.p_minus_2[0], P256[0] - 2);
        let bytes = [0x01, 0x02, 0x03];
        let l: [u64; 4] = limbs_from_be(&bytes);
        assert_eq!(l[0], 0x010203);
        let mut out = [0u8; 3];
        limbs_to_be(&l, &mut out);
        assert_eq!(out, bytes);
    }
}
