//! Fixed-base scalar multiplication `k * G` for a secret `k` (ECDSA
//! signing, key generation, ECDH public keys): a comb over precomputed
//! affine multiples of the generator with signed (Booth) digits of
//! [`WINDOW`] bits.
//!
//! Entry points: [`CombTable::new`] (built once per curve, see
//! `Curve::base_table`) and [`mul_base_ct`].
//!
//! Why this shape: window `i` holds `j * 2^(WINDOW*i) * G` for
//! `j = 1..=2^(WINDOW-1)`, so `k*G` is one mixed Jacobian + affine
//! addition (7M + 4S) per window and no doubling at all: 43 additions
//! for a 256-bit order, against 64 complete projective additions (12M
//! and more) for the unsigned 4-bit table this replaces. Signed digits
//! halve the table (`-P` is `P` with `y` negated). Each lookup scans the
//! whole window with masks, so neither the memory addresses nor the
//! branches depend on the digit; a zero digit and an identity
//! accumulator are selected around, also with masks.
//!
//! Why the incomplete addition never meets equal or opposite operands:
//! write `K_i` for the value of digits `0..i` (window `i` excluded) and
//! `D` for digit `i`. Booth digits make `K_i` the signed residue of `k`
//! modulo `2^(WINDOW*i)`, so `|K_i| <= 2^(WINDOW*i - 1)`, and `K_i = 0`
//! only when every digit below is zero (the accumulator is the identity,
//! which is selected around). With `D != 0` and `K_i != 0`:
//! - opposite operands mean `K_i + D*2^(WINDOW*i) = K_(i+1) = 0 (mod n)`;
//!   `K_(i+1)` is nonzero (a nonzero digit) and, since
//!   `WINDOW*(i+1) <= bits(n)` below the top window, at most
//!   `2^(bits(n)-1) < n` in absolute value; for the top window it is `k`
//!   itself, in `[1, n)`;
//! - equal operands mean `E = K_i - D*2^(WINDOW*i) = 0 (mod n)`, where
//!   `E != 0` (`|K_i| < 2^(WINDOW*i) <= |D*2^(WINDOW*i)|`). Below the top
//!   window `|E| <= 2^(bits(n)-1) * (1 + 2^-WINDOW) < n` when the top
//!   `WINDOW + 1` bits of `n` exceed `1000...0`; in the top window
//!   (`D > 0`, as `k >= 0`) `E = k - 2*D*2^(WINDOW*i)` lies in `(-2n, n)`,
//!   and `E = -n` needs `n mod 2^(WINDOW*i)` in `(0, 2^(WINDOW*i-1)]`.
//!
//! Both conditions on `n` hold for every curve here
//! (`order_rules_out_exceptions` checks them).

use alloc::vec::Vec;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::Jacobian;
use crate::ec::curve::Curve;
use crate::ec::field::{Field, eq_mask};
use crate::ec::point::ProjectivePoint;

/// Digit width: 32 affine points per window, 43 windows for P-256 (88 KB
/// of table). 7 bits (OpenSSL's choice, 64 points and 37 windows) saves
/// six additions but scans about 1,000 more entries per multiplication;
/// by estimate that is a wash without a vectorised scan, so the table
/// half the size wins. (Not measured side by side.)
pub(crate) const WINDOW: usize = 6;
/// Points per window: the multiples `1..=2^(WINDOW-1)`.
const ENTRIES: usize = 1 << (WINDOW - 1);

/// An affine point `(x, y)`.
type Affine<C> = (<C as Curve>::Fe, <C as Curve>::Fe);

/// The comb of the generator: `windows[i][j] = (j + 1) * 2^(WINDOW*i) * G`
/// in affine coordinates, `ceil((bits(n) + 1) / WINDOW)` windows (the
/// `+ 1` leaves room for the carry of the top Booth digit).
pub(crate) struct CombTable<C: Curve> {
    windows: Vec<[Affine<C>; ENTRIES]>,
}

/// The number of windows for an order of `bits` bits.
const fn window_count(bits: usize) -> usize {
    (bits + 1).div_ceil(WINDOW)
}

impl<C: Curve> CombTable<C> {
    /// Builds the table (public data, variable time): the multiples in
    /// Jacobian coordinates, then one batched inversion for all of them.
    pub(crate) fn new() -> Self {
        let count = window_count(C::Scalar::BITS);
        let mut points = Vec::with_capacity(count * ENTRIES);
        let mut base = Jacobian::from_projective(&ProjectivePoint::<C>::generator());
        for _ in 0..count {
            let twice = base.double();
            let mut acc = base;
            points.push(acc);
            for j in 2..=ENTRIES {
                acc = if j == 2 { twice } else { acc.add(&base) };
                points.push(acc);
            }
            // 2 * 2^(WINDOW-1) * base = 2^WINDOW * base.
            base = acc.double();
        }
        let affine = batch_to_affine(&points);
        let windows = affine
            .chunks_exact(ENTRIES)
            .map(|chunk| core::array::from_fn(|j| chunk.get(j).copied().unwrap_or((C::Fe::ZERO, C::Fe::ZERO))))
            .collect();
        Self { windows }
    }
}

/// Affine forms of finite Jacobian points with one inversion
/// (Montgomery's trick): prefix products of the `Z`s, invert the last,
/// and walk back.
fn batch_to_affine<C: Curve>(points: &[Jacobian<C>]) -> Vec<Affine<C>> {
    let mut prefix = Vec::with_capacity(points.len());
    let mut acc = C::Fe::ONE;
    for p in points {
        prefix.push(acc);
        acc = acc.mul(&p.z);
    }
    // acc^-1 = (z_0 ... z_(i))^-1 as the walk goes down.
    let mut inv = acc.invert();
    let mut out = alloc::vec![(C::Fe::ZERO, C::Fe::ZERO); points.len()];
    for ((p, before), slot) in points.iter().zip(&prefix).zip(out.iter_mut()).rev() {
        let zi = inv.mul(before);
        inv = inv.mul(&p.z);
        let zi2 = zi.square();
        *slot = (p.x.mul(&zi2), p.y.mul(&zi2.mul(&zi)));
    }
    out
}

/// The Booth digit of window `i` for [`WINDOW`] (see
/// [`super::booth_digit`]). The digits telescope:
/// `sum d_i 2^(WINDOW*i) = k` once the bit above the top window is zero.
#[inline(always)]
fn booth_digit(k_be: &[u8], i: usize) -> (u32, Choice) {
    super::booth_digit::<WINDOW>(k_be, i)
}

/// `window[abs - 1]` by scanning every entry (for `abs = 0` the result is
/// zeros, which the caller discards).
#[inline(always)]
fn lookup<C: Curve>(window: &[Affine<C>; ENTRIES], abs: u32) -> Affine<C> {
    let (mut x, mut y) = (C::Fe::ZERO, C::Fe::ZERO);
    for (j, (ex, ey)) in (1u32..).zip(window.iter()) {
        let hit = eq_mask(j, abs);
        x.assign_masked(ex, hit);
        y.assign_masked(ey, hit);
    }
    (x, y)
}

/// `k * G` in constant time for `k < n` given as big-endian bytes: one
/// scanned lookup and one mixed addition per window (see the module
/// comment for why the addition's exceptions cannot occur).
#[inline(always)]
pub(crate) fn mul_base_ct<C: Curve>(table: &CombTable<C>, k_be: &[u8]) -> ProjectivePoint<C> {
    let mut acc = Jacobian::<C>::IDENTITY;
    for (i, window) in table.windows.iter().enumerate() {
        let (abs, neg) = booth_digit(k_be, i);
        let (x, y) = lookup::<C>(window, abs);
        let y = C::Fe::conditional_select(&y, &y.neg(), neg);
        acc = acc.add_affine_ct(&x, &y, abs.ct_eq(&0));
    }
    acc.to_projective_ct()
}

#[cfg(test)]
mod tests;
