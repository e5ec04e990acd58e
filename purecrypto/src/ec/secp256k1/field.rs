//! Arithmetic modulo the secp256k1 prime `p = 2^256 - C` with
//! `C = 2^32 + 977`, on plain (not Montgomery) values: the kernels that
//! `FieldParamsSecp256k1` plugs into the generic field code with
//! `FieldParams::PLAIN`.
//!
//! Entry points: [`mul`], [`square`], [`add`], [`sub`] and [`invert`].
//!
//! Why plain values: `2^256 = C (mod p)`, so a 512-bit product
//! `hi * 2^256 + lo` is congruent to `lo + hi * C`, four 64x33-bit
//! products, and the at most 34-bit carry out of that folds back the same
//! way with one more. A Montgomery reduction would cost sixteen full
//! products (`-p^-1 mod 2^64` has no special form). The inverse is the
//! safegcd one of `crate::ec::safegcd`, which on plain values needs no
//! correction factor. Everything is branch-free in the operands; the
//! carries that choose a correction pass through `value_barrier` so LLVM
//! cannot turn the masked selections into branches.
// Fixed-size arrays indexed by constant positions.
#![allow(clippy::indexing_slicing)]

use crate::arch::value_barrier;
use crate::ec::limbs::{adc, mac};
use crate::ec::p256::montgomery::{mul_wide, square_wide};
use crate::ec::safegcd;

/// The prime, little-endian limbs.
pub(crate) const P: [u64; 4] = [0xffff_fffe_ffff_fc2f, u64::MAX, u64::MAX, u64::MAX];

/// `2^256 - p = 2^256 mod p`.
const C: u64 = 0x1_0000_03d1;

/// All ones for a carry of 1, zero for 0, through the barrier.
#[inline(always)]
fn mask(bit: u64) -> u64 {
    value_barrier(bit).wrapping_neg()
}

/// `r mod p` for any `r < 2^256`: `r >= p` exactly when `r + C` carries
/// out of 256 bits, and then `r + C - 2^256 = r - p`.
#[inline(always)]
fn canonical(r: [u64; 4]) -> [u64; 4] {
    let (s0, c) = adc(r[0], C, 0);
    let (s1, c) = adc(r[1], 0, c);
    let (s2, c) = adc(r[2], 0, c);
    let (s3, c) = adc(r[3], 0, c);
    let m = mask(c);
    [r[0] ^ (m & (r[0] ^ s0)), r[1] ^ (m & (r[1] ^ s1)), r[2] ^ (m & (r[2] ^ s2)), r[3] ^ (m & (r[3] ^ s3))]
}

/// `t mod p` for any 512-bit `t`.
///
/// `lo + hi * C` is below `2^256 + 2^290`: four limbs and a top word
/// under `2^34`. Folding the top word once more adds under `2^67`; if
/// that carries out of 256 bits the four limbs are now below `2^67`, so
/// adding `C` for the lost `2^256` cannot carry again. What is left is
/// below `2^256` and [`canonical`] finishes.
#[inline(always)]
fn reduce_wide(t: &[u64; 8]) -> [u64; 4] {
    let (r0, k) = mac(t[0], t[4], C, 0);
    let (r1, k) = mac(t[1], t[5], C, k);
    let (r2, k) = mac(t[2], t[6], C, k);
    let (r3, top) = mac(t[3], t[7], C, k);
    let x = u128::from(top) * u128::from(C);
    let (r0, c) = adc(r0, x as u64, 0);
    let (r1, c) = adc(r1, (x >> 64) as u64, c);
    let (r2, c) = adc(r2, 0, c);
    let (r3, c) = adc(r3, 0, c);
    let (r0, c) = adc(r0, C & mask(c), 0);
    let (r1, c) = adc(r1, 0, c);
    let (r2, c) = adc(r2, 0, c);
    let r3 = r3.wrapping_add(c);
    canonical([r0, r1, r2, r3])
}

/// `a * b mod p` for `a, b < 2^256`.
#[inline(always)]
pub(crate) fn mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    reduce_wide(&mul_wide(a, b))
}

/// `a^2 mod p` for `a < 2^256`.
#[inline(always)]
pub(crate) fn square(a: &[u64; 4]) -> [u64; 4] {
    reduce_wide(&square_wide(a))
}

/// `a + b mod p` for `a, b < p`: the sum `s` (with carry `k`) is at
/// least `p` exactly when `k` is set or `s + C` carries, and then the
/// answer is `s + C` modulo `2^256`.
#[inline(always)]
pub(crate) fn add(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (s0, c) = adc(a[0], b[0], 0);
    let (s1, c) = adc(a[1], b[1], c);
    let (s2, c) = adc(a[2], b[2], c);
    let (s3, k) = adc(a[3], b[3], c);
    let (t0, c) = adc(s0, C, 0);
    let (t1, c) = adc(s1, 0, c);
    let (t2, c) = adc(s2, 0, c);
    let (t3, c) = adc(s3, 0, c);
    let m = mask(k | c);
    [s0 ^ (m & (s0 ^ t0)), s1 ^ (m & (s1 ^ t1)), s2 ^ (m & (s2 ^ t2)), s3 ^ (m & (s3 ^ t3))]
}

/// `a - b mod p` for `a, b < p`: on a borrow the wrapped difference is
/// `a - b + 2^256`, and adding `p` means subtracting `C` (no further
/// borrow: the wrapped difference exceeds `2^256 - p = C`).
#[inline(always)]
pub(crate) fn sub(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (d0, bo) = a[0].overflowing_sub(b[0]);
    let (d1, bo) = sbb(a[1], b[1], bo);
    let (d2, bo) = sbb(a[2], b[2], bo);
    let (d3, bo) = sbb(a[3], b[3], bo);
    let (e0, bo2) = d0.overflowing_sub(C & mask(u64::from(bo)));
    let (e1, bo2) = sbb(d1, 0, bo2);
    let (e2, bo2) = sbb(d2, 0, bo2);
    let (e3, _) = sbb(d3, 0, bo2);
    [e0, e1, e2, e3]
}

/// `a - b - borrow` and the borrow out.
#[inline(always)]
fn sbb(a: u64, b: u64, borrow: bool) -> (u64, bool) {
    let (d, b1) = a.overflowing_sub(b);
    let (d, b2) = d.overflowing_sub(u64::from(borrow));
    (d, b1 | b2)
}

/// The safegcd constants for `p`.
const SAFEGCD: safegcd::Modulus = safegcd::Modulus::new(&P);

/// `a^-1 mod p` (zero for zero), constant time.
pub(crate) fn invert(a: &[u64; 4]) -> [u64; 4] {
    safegcd::invert(a, &SAFEGCD)
}

#[cfg(test)]
mod tests;
