//! Rounding and hints (FIPS 204 §7.4): Power2Round, Decompose, MakeHint,
//! UseHint, and the infinity-norm check.
//!
//! Entry points: [`power2round`], [`decompose`], [`make_hint`],
//! [`use_hint`], [`exceeds`]. Inputs are standard representatives in
//! [0, q) unless stated otherwise. Every function is branch-free on its
//! coefficient except [`use_hint`], which runs on public values only
//! (verification).

use super::arith::Q;

/// The dropped low bits of t (d = 13).
pub(crate) const D: u32 = 13;

/// Power2Round: a = a1 2^13 + a0 with -2^12 < a0 <= 2^12.
#[inline(always)]
pub(crate) const fn power2round(a: i32) -> (i32, i32) {
    let a1 = (a + (1 << (D - 1)) - 1) >> D;
    (a1, a - (a1 << D))
}

/// Decompose: a = a1 (2 gamma2) + a0 with -gamma2 < a0 <= gamma2, and the
/// q - 1 corner mapped to a1 = 0 (FIPS 204 Algorithm 36), branch-free.
#[inline(always)]
pub(crate) const fn decompose(a: i32, gamma2: i32) -> (i32, i32) {
    // Wrapping ops throughout: test builds' overflow checks would branch
    // on the secret coefficient. (The `if` is on the public gamma2.)
    let mut a1 = a.wrapping_add(127) >> 7;
    if gamma2 == (Q - 1) / 32 {
        a1 = a1.wrapping_mul(1025).wrapping_add(1 << 21) >> 22;
        a1 &= 15;
    } else {
        a1 = a1.wrapping_mul(11275).wrapping_add(1 << 23) >> 24;
        a1 ^= (43i32.wrapping_sub(a1) >> 31) & a1;
    }
    let mut a0 = a.wrapping_sub(a1.wrapping_mul(2 * gamma2));
    a0 = a0.wrapping_sub((((Q - 1) / 2).wrapping_sub(a0) >> 31) & Q);
    (a1, a0)
}

/// MakeHint in the form the signer can compute from the low part `a0` of
/// w - cs2 + ct0 and the high part `a1` of w: 1 when adding ct0 carries
/// into the high bits. Branch-free; returns 0 or 1.
#[inline(always)]
pub(crate) const fn make_hint(a0: i32, a1: i32, gamma2: i32) -> i32 {
    let above = (gamma2.wrapping_sub(a0) >> 31) & 1;
    let shifted = a0.wrapping_add(gamma2);
    let below = (shifted >> 31) & 1;
    let at_low_edge = ((shifted | shifted.wrapping_neg()) >> 31) & 1 ^ 1;
    let a1_nonzero = ((a1 | a1.wrapping_neg()) >> 31) & 1;
    above | below | (at_low_edge & a1_nonzero)
}

/// UseHint: the corrected high bits of `a` (public data only).
#[inline(always)]
pub(crate) const fn use_hint(a: i32, hint: bool, gamma2: i32) -> i32 {
    let (a1, a0) = decompose(a, gamma2);
    if !hint {
        return a1;
    }
    if gamma2 == (Q - 1) / 32 {
        if a0 > 0 { (a1 + 1) & 15 } else { (a1 - 1) & 15 }
    } else if a0 > 0 {
        if a1 == 43 { 0 } else { a1 + 1 }
    } else if a1 == 0 {
        43
    } else {
        a1 - 1
    }
}

/// Whether any coefficient (reduced, in (-q/2, q/2]) has |a| >= bound.
/// Scans every coefficient without early exit or a sign-dependent branch:
/// only the final verdict, a public restart decision, leaves.
pub(crate) fn exceeds(poly: &[i32], bound: i32) -> bool {
    exceeds_flag(poly, bound) != 0
}

/// [`exceeds`] as a 0 / 1 integer, for the signer, which combines the
/// flags without branching and declassifies only the final verdict.
pub(crate) fn exceeds_flag(poly: &[i32], bound: i32) -> u8 {
    let mut flag = 0i32;
    for &a in poly {
        let sign = a >> 31;
        let abs = a.wrapping_sub(sign & a.wrapping_mul(2));
        flag |= (bound - 1).wrapping_sub(abs) >> 31;
    }
    (flag & 1) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decompose_reconstructs_and_bounds_low_part() {
        for gamma2 in [(Q - 1) / 88, (Q - 1) / 32] {
            for a in (0..Q).step_by(997).chain([Q - 1, 0, 1, gamma2, 2 * gamma2]) {
                let (a1, a0) = decompose(a, gamma2);
                assert!(a0 > -gamma2 - 1 && a0 <= gamma2, "a={a}");
                assert_eq!((a1 * 2 * gamma2 + a0).rem_euclid(Q), a);
            }
        }
    }

    #[test]
    fn make_hint_matches_its_definition() {
        let gamma2 = (Q - 1) / 88;
        for a0 in [-gamma2 - 1, -gamma2, -gamma2 + 1, 0, gamma2, gamma2 + 1] {
            for a1 in [0, 1] {
                let want = a0 > gamma2 || a0 < -gamma2 || (a0 == -gamma2 && a1 != 0);
                assert_eq!(make_hint(a0, a1, gamma2) == 1, want, "a0={a0} a1={a1}");
            }
        }
    }

    #[test]
    fn power2round_splits() {
        for a in (0..Q).step_by(4099) {
            let (a1, a0) = power2round(a);
            assert!(a0 > -(1 << 12) && a0 <= 1 << 12);
            assert_eq!((a1 << 13) + a0, a);
        }
    }

    #[test]
    fn exceeds_checks_absolute_values() {
        assert!(!exceeds(&[5, -5, 0], 6));
        assert!(exceeds(&[5, -6, 0], 6));
        assert!(exceeds(&[6], 6));
    }
}
