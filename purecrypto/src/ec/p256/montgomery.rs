//! Montgomery multiplication and squaring specialised to the P-256 prime
//! `p = 2^256 - 2^224 + 2^192 + 2^96 - 1`.
//!
//! Entry points: [`mont_mul`] and [`mont_square`] (and [`invert`],
//! by safegcd), the portable kernels
//! (`a * b * 2^-256 mod p` and `a^2 * 2^-256 mod p`) that
//! `FieldParamsP256` plugs into the generic field code in place of the
//! CIOS loop of `crate::ec::limbs`; on x86_64 with BMI2 and ADX they hand
//! over to `crate::arch::x86_ec`. Also [`add`] and [`sub`], which on
//! x86_64 are register kernels in `crate::arch::x86_ec` (the generic
//! `limbs` code compiled to about three times as many instructions, and
//! a point doubling does more field additions than products).
//!
//! Why it is cheaper: `-p^-1 mod 2^64 = 1`, so each reduction step's
//! multiplier is the low limb `m = t0` itself, and with the limbs of `p`
//! being `[2^64 - 1, 2^32 - 1, 0, 2^64 - 2^32 + 1]`,
//!
//! ```text
//! (t + m*p) / 2^64 = t1 + m*2^32 + t2*2^64 + (t3 + m*p3)*2^128 + ...
//! ```
//!
//! (`t0 + m*p0 = m*2^64` exactly, and `m + m*p1 = m*2^32`): one shift pair
//! and one 64x64 product per step instead of four products. The full
//! 512-bit product (or square, 10 products instead of 16) is formed
//! first; the four steps then reduce its low half to `u <= p` and the
//! result is `hi + u < 2p`, subtracted once under a mask. Every step is
//! branch-free in the operands.
// The loops below run over fixed-size arrays with constant bounds (`i + j
// < 8` for 4-limb operands), so each index is in bounds by construction
// and the loops unroll completely.
#![allow(clippy::indexing_slicing)]

use crate::ec::limbs::{self, MontConsts, adc, mac, reduce_once};
use crate::ec::safegcd;

/// The P-256 prime, little-endian limbs.
pub(crate) const P: [u64; 4] = [0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001];

/// `a * b` as eight limbs (schoolbook, operand scanning); the scalar
/// kernels of `p256/scalar.rs` reduce it modulo the order instead.
#[inline(always)]
pub(crate) fn mul_wide(a: &[u64; 4], b: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    for i in 0..4 {
        let mut carry = 0;
        for j in 0..4 {
            let (lo, hi) = mac(t[i + j], a[j], b[i], carry);
            t[i + j] = lo;
            carry = hi;
        }
        t[i + 4] = carry;
    }
    t
}

/// `a^2` as eight limbs: the six cross products once, doubled by a
/// one-bit shift, plus the four squares on the diagonal.
#[inline(always)]
pub(crate) fn square_wide(a: &[u64; 4]) -> [u64; 8] {
    let mut t = [0u64; 8];
    for i in 0..3 {
        let mut carry = 0;
        for j in i + 1..4 {
            let (lo, hi) = mac(t[i + j], a[i], a[j], carry);
            t[i + j] = lo;
            carry = hi;
        }
        t[i + 4] = carry;
    }
    // The cross sum is below 2^511, so doubling it loses no bit.
    t[7] = t[6] >> 63;
    for k in (1..7).rev() {
        t[k] = (t[k] << 1) | (t[k - 1] >> 63);
    }
    t[0] <<= 1;
    let mut carry = 0;
    for i in 0..4 {
        let sq = u128::from(a[i]) * u128::from(a[i]);
        let (lo, c) = adc(t[2 * i], sq as u64, carry);
        t[2 * i] = lo;
        let (hi, c) = adc(t[2 * i + 1], (sq >> 64) as u64, c);
        t[2 * i + 1] = hi;
        carry = c;
    }
    t
}

/// Montgomery reduction `t * 2^-256 mod p` for `t < p * 2^256`.
///
/// Each of the four steps maps the running low half `u < 2^256` to
/// `(u + m*p) / 2^64` with `m = u0`; that stays below
/// `2^192 + p < 2^256`, so the top limb never carries out, and after four
/// steps `u = (lo + M*p) / 2^256 <= p`. Then `hi + u < 2p`.
#[inline(always)]
fn reduce(t: &[u64; 8]) -> [u64; 4] {
    let [mut u0, mut u1, mut u2, mut u3] = [t[0], t[1], t[2], t[3]];
    for _ in 0..4 {
        let m = u0;
        let (s0, c) = adc(u1, m << 32, 0);
        let (s1, c) = adc(u2, m >> 32, c);
        let prod = u128::from(m) * u128::from(P[3]);
        let (s2, c) = adc(u3, prod as u64, c);
        // No carry out: the new value is below 2^256 (see above).
        let s3 = ((prod >> 64) as u64).wrapping_add(c);
        (u0, u1, u2, u3) = (s0, s1, s2, s3);
    }
    let (r0, c) = adc(t[4], u0, 0);
    let (r1, c) = adc(t[5], u1, c);
    let (r2, c) = adc(t[6], u2, c);
    let (r3, c) = adc(t[7], u3, c);
    reduce_once([r0, r1, r2, r3], c, &P)
}

/// `a + b mod p` for `a, b < p`: the register kernel of
/// `crate::arch::x86_ec` on x86_64 (plain instructions, no feature
/// check), else the generic `limbs::add_mod`.
#[inline(always)]
pub(crate) fn add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    {
        crate::arch::x86_ec::p256_add(a, b)
    }
    #[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
    {
        crate::ec::limbs::add_mod(a, b, &P)
    }
}

/// `a - b mod p` for `a, b < p`, dispatched as [`add`].
#[inline(always)]
pub(crate) fn sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    {
        crate::arch::x86_ec::p256_sub(a, b)
    }
    #[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
    {
        crate::ec::limbs::sub_mod(a, b, &P)
    }
}

/// `a * b * 2^-256 mod p` for `a, b < p` (portable).
#[inline(always)]
pub(crate) fn mont_mul_soft(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    reduce(&mul_wide(a, b))
}

/// `a^2 * 2^-256 mod p` for `a < p` (portable).
#[inline(always)]
pub(crate) fn mont_square_soft(a: &[u64; 4]) -> [u64; 4] {
    reduce(&square_wide(a))
}

/// `a * b * 2^-256 mod p` for `a, b < p`: the BMI2/ADX kernel when the
/// CPU has it, else [`mont_mul_soft`].
#[inline(always)]
pub(crate) fn mont_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    {
        match crate::arch::x86_ec::p256_mont_mul(a, b) {
            Some(r) => r,
            None => mont_mul_fallback(a, b),
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
    {
        mont_mul_soft(a, b)
    }
}

/// `a^2 * 2^-256 mod p` for `a < p`: the BMI2/ADX kernel when the CPU
/// has it, else [`mont_square_soft`].
#[inline(always)]
pub(crate) fn mont_square(a: &[u64; 4]) -> [u64; 4] {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    {
        match crate::arch::x86_ec::p256_mont_square(a) {
            Some(r) => r,
            None => mont_square_fallback(a),
        }
    }
    #[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
    {
        mont_square_soft(a)
    }
}

/// `R^3 mod p` (`R = 2^256`): a Montgomery product with it turns the
/// plain inverse `(a R)^-1` of a Montgomery-form `a R` into `a^-1 R`.
const R3: [u64; 4] = {
    let c = MontConsts::<4>::new(&P);
    limbs::mont_mul_const(&c.r2, &c.r2, &P, c.n0)
};

/// The safegcd constants for `p`.
const SAFEGCD: safegcd::Modulus = safegcd::Modulus::new(&P);

/// `a^-1` in Montgomery form (zero for zero): the plain safegcd inverse
/// (`crate::ec::safegcd`, constant time) of `a R`, times `R^3` in
/// Montgomery form. Every ECDH and signature ends with one of these
/// (the affine `x`). It replaced Fermat's `a^(p-2)` by a fixed addition
/// chain (255 squarings and 13 products): the chain is a serial run of
/// dependent products, measured at about 0.6 us more per inversion.
pub(crate) fn invert(a: &[u64; 4]) -> [u64; 4] {
    mont_mul(&safegcd::invert(a, &SAFEGCD), &R3)
}

/// [`mont_mul_soft`] out of line, for CPUs without BMI2/ADX when the
/// assembly kernel is compiled in: inlining the fallback at every call
/// site next to the kernel doubles the size of each point formula
/// (measured: the doubling grew to about 20 KB).
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[inline(never)]
fn mont_mul_fallback(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    mont_mul_soft(a, b)
}

/// [`mont_square_soft`] out of line, as [`mont_mul_fallback`].
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[inline(never)]
fn mont_square_fallback(a: &[u64; 4]) -> [u64; 4] {
    mont_square_soft(a)
}

#[cfg(test)]
mod tests;
