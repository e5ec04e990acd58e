//! Montgomery arithmetic modulo the P-256 group order
//! `n = 2^256 - 2^224 + 2^192 - 0x4319055258e8617b0c46353d039cdaaf`,
//! the scalar field that ECDSA signs in.
//!
//! Entry points: [`mont_mul`], [`mont_square`] and [`invert`], which
//! `ScalarParamsP256` plugs into the generic field code in place of the
//! CIOS loop and the sliding-window Fermat inversion. Signing inverts its
//! secret nonce here, once per signature.
//!
//! Why it is cheaper than the generic code: the 512-bit product comes
//! from the base field's schoolbook kernels (a square takes 10 products
//! instead of 16) and is then reduced by four fully unrolled word steps
//! (`m = t_i * (-n^-1 mod 2^64)`); the inversion is a fixed addition
//! chain for `n - 2` (253 squarings, 39 multiplications) instead of the
//! generic window over all 256 bits (about 60 multiplications).
//! Everything is branch-free in the operands: the only branches are on
//! bits of the public exponent `n - 2`.
// Fixed-size arrays indexed by constant loop bounds (`i + j < 8`) or by a
// window digit below 16 whose odd half is below 8: in bounds by
// construction.
#![allow(clippy::indexing_slicing)]

use super::montgomery::{mul_wide, square_wide};
use crate::ec::limbs::{adc, mac, reduce_once};

/// The group order, little-endian limbs.
pub(crate) const N: [u64; 4] = [0xf3b9_cac2_fc63_2551, 0xbce6_faad_a717_9e84, 0xffff_ffff_ffff_ffff, 0xffff_ffff_0000_0000];

/// `-n^-1 mod 2^64`.
const N0: u64 = 0xccd1_c8aa_ee00_bc4f;

/// Montgomery reduction `t * 2^-256 mod n` for `t < n * 2^256`: four
/// steps each clear the lowest live limb by adding `m * n * 2^(64i)`;
/// the carry out of each step's top limb is kept in `top` (a bit), so
/// the result `(t + M*n) / 2^256 < 2n` is the high half plus `top`,
/// subtracted once under a mask.
#[inline(always)]
fn reduce(t: &[u64; 8]) -> [u64; 4] {
    let mut t = *t;
    let mut top = 0u64;
    for i in 0..4 {
        let m = t[i].wrapping_mul(N0);
        let mut carry = 0;
        for j in 0..4 {
            let (lo, hi) = mac(t[i + j], m, N[j], carry);
            t[i + j] = lo;
            carry = hi;
        }
        let (s, c) = adc(t[i + 4], carry, top);
        t[i + 4] = s;
        top = c;
    }
    reduce_once([t[4], t[5], t[6], t[7]], top, &N)
}

/// `a * b * 2^-256 mod n` for `a, b < n`.
#[inline(always)]
pub(crate) fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    reduce(&mul_wide(a, b))
}

/// `a^2 * 2^-256 mod n` for `a < n`.
#[inline(always)]
pub(crate) fn mont_square(a: &[u64; 4]) -> [u64; 4] {
    reduce(&square_wide(a))
}

/// `a` squared `k` times (Montgomery form).
#[inline(always)]
fn square_n(a: &[u64; 4], k: usize) -> [u64; 4] {
    let mut t = *a;
    for _ in 0..k {
        t = mont_square(&t);
    }
    t
}

/// The low 128 bits of `n - 2`; the high half is `1^32 0^32 1^64`.
const LOW_EXP: u128 = 0xbce6_faad_a717_9e84_f3b9_cac2_fc63_254f;

/// Width of the sliding window over [`LOW_EXP`].
const WINDOW: u32 = 4;

/// `a^-1 = a^(n-2) mod n` in Montgomery form (zero for zero), by a fixed
/// addition chain. With `x_k = a^(2^k - 1)` (`k` ones): the odd powers
/// `a, a^3, ..., a^15` (so `x2` and `x4`), then `x8, x16, x32`; the high
/// half `1^32 0^32 1^64` is `x32`, shifted 64 and times `x32`, shifted 32
/// and times `x32`; the low half goes by 4-bit sliding windows over the
/// odd powers. Which products run depends only on the constant `n - 2`,
/// so the time does not depend on `a`.
pub(crate) fn invert(a: &[u64; 4]) -> [u64; 4] {
    let step = |t: &[u64; 4], k: usize, by: &[u64; 4]| mont_mul(&square_n(t, k), by);
    // odd[i] = a^(2i + 1).
    let mut odd = [*a; 1 << (WINDOW - 1)];
    let sq = mont_square(a);
    for i in 1..odd.len() {
        odd[i] = mont_mul(&odd[i - 1], &sq);
    }
    let x4 = odd[7];
    let x8 = step(&x4, 4, &x4);
    let x16 = step(&x8, 8, &x8);
    let x32 = step(&x16, 16, &x16);
    let mut t = step(&x32, 64, &x32);
    t = step(&t, 32, &x32);
    // Left-to-right sliding window: a zero bit is one squaring; a window
    // is at most WINDOW bits ending in a one.
    let mut i = 128u32;
    while i > 0 {
        let top = i - 1;
        if (LOW_EXP >> top) & 1 == 0 {
            t = mont_square(&t);
            i = top;
            continue;
        }
        let mut low = top.saturating_sub(WINDOW - 1);
        while (LOW_EXP >> low) & 1 == 0 {
            low += 1;
        }
        let digit = ((LOW_EXP >> low) & ((1u128 << (top - low + 1)) - 1)) as usize;
        t = step(&t, (top - low + 1) as usize, &odd[digit >> 1]);
        i = low;
    }
    t
}

#[cfg(test)]
mod tests;
