//! The special-form kernels against the generic CIOS Montgomery product
//! of `crate::ec::limbs` (`n0 = -p^-1 mod 2^64 = 1` for P-256), on edge
//! values, a deterministic pseudo-random sweep and a proptest property.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::ec::limbs::{self, MontConsts};

fn generic_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    limbs::mont_mul(a, b, &P, MontConsts::new(&P).n0)
}

fn check(a: &[u64; 4], b: &[u64; 4]) {
    let want = generic_mul(a, b);
    assert_eq!(mont_mul_soft(a, b), want, "mul {a:x?} * {b:x?}");
    assert_eq!(mont_mul(a, b), want, "dispatched mul {a:x?} * {b:x?}");
    assert_eq!(mont_square_soft(a), generic_mul(a, a), "square {a:x?}");
    assert_eq!(mont_square(a), generic_mul(a, a), "dispatched square {a:x?}");
}

/// Values below `p` that stress the carries: 0, 1, p - 1, p - 2, limbs
/// all ones or all zeros, and values just under 2^256 (p is within
/// 2^224 of it).
fn edges() -> Vec<[u64; 4]> {
    let m = u64::MAX;
    let p_minus = |k: u64| [P[0] - k, P[1], P[2], P[3]];
    alloc::vec![
        [0, 0, 0, 0],
        [1, 0, 0, 0],
        [2, 0, 0, 0],
        p_minus(1),
        p_minus(2),
        [0, P[1], P[2], P[3]],
        [m, m, m, P[3] - 1],
        [m, 0, 0, 0],
        [0, m, 0, 0],
        [0, 0, m, 0],
        [m, m, m, 0],
        [0, 0, 0, 1 << 63],
        [0, 0, 0, 0xffff_fffe_ffff_ffff],
        [m, 0xffff_ffff_0000_0000, m, 0xffff_fffe_ffff_ffff],
        [1 << 32, 0, 0, 0],
        [0, 1 << 32, 0, 0],
        MontConsts::new(&P).r,
        MontConsts::new(&P).r2,
    ]
}

#[test]
fn edge_values_agree_with_generic() {
    let e = edges();
    for a in &e {
        assert_eq!(limbs::lt(a, &P), 1, "edge value {a:x?} must be below p");
        for b in &e {
            check(a, b);
        }
    }
}

#[test]
fn pseudo_random_values_agree_with_generic() {
    // xorshift64*: deterministic, no dependency.
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut below_p = || loop {
        let v = [next(), next(), next(), next()];
        if limbs::lt(&v, &P) == 1 {
            return v;
        }
    };
    let mut x = below_p();
    for _ in 0..2000 {
        let y = below_p();
        check(&x, &y);
        // Chained products exercise outputs fed back as inputs.
        x = mont_mul(&x, &y);
        x = mont_square(&x);
    }
}

fn below_p() -> impl Strategy<Value = [u64; 4]> {
    any::<[u64; 4]>().prop_map(|v| if limbs::lt(&v, &P) == 1 { v } else { [v[0], v[1], v[2], v[3] >> 1] })
}

proptest! {
    #[test]
    fn kernels_match_generic_montgomery(a in below_p(), b in below_p()) {
        let want = generic_mul(&a, &b);
        prop_assert_eq!(mont_mul_soft(&a, &b), want);
        prop_assert_eq!(mont_mul(&a, &b), want);
        prop_assert_eq!(mont_square_soft(&a), generic_mul(&a, &a));
        prop_assert_eq!(mont_square(&a), generic_mul(&a, &a));
    }
}

/// `a^(p-2)` by plain square-and-multiply over the bits of `p - 2`, an
/// independent check of the safegcd inversion.
fn fermat_inverse(a: &[u64; 4]) -> [u64; 4] {
    let e = MontConsts::new(&P).p_minus_2;
    let mut acc = MontConsts::new(&P).r;
    for i in (0..256).rev() {
        acc = generic_mul(&acc, &acc);
        if limbs::bit(&e, i) == 1 {
            acc = generic_mul(&acc, a);
        }
    }
    acc
}

#[test]
fn safegcd_inverse_matches_fermat() {
    let one = MontConsts::new(&P).r;
    assert_eq!(invert(&[0; 4]), [0; 4], "zero maps to zero");
    for a in edges().iter().filter(|a| **a != [0; 4]) {
        let inv = invert(a);
        assert_eq!(inv, fermat_inverse(a), "inverse of {a:x?}");
        assert_eq!(mont_mul(a, &inv), one, "a * a^-1 for {a:x?}");
    }
}

proptest! {
    #[test]
    fn safegcd_inverse_is_an_inverse(a in below_p()) {
        prop_assume!(a != [0; 4]);
        let inv = invert(&a);
        prop_assert_eq!(mont_mul(&a, &inv), MontConsts::new(&P).r);
    }
}

/// The field addition and subtraction kernels (`add`, `sub`: registers
/// on x86_64) against the generic `limbs` code.
#[test]
fn add_sub_agree_with_generic() {
    let e = edges();
    for a in &e {
        for b in &e {
            assert_eq!(add(a, b), limbs::add_mod(a, b, &P), "add {a:x?} + {b:x?}");
            assert_eq!(sub(a, b), limbs::sub_mod(a, b, &P), "sub {a:x?} - {b:x?}");
        }
    }
}

proptest! {
    #[test]
    fn add_sub_match_generic(a in below_p(), b in below_p()) {
        prop_assert_eq!(add(&a, &b), limbs::add_mod(&a, &b, &P));
        prop_assert_eq!(sub(&a, &b), limbs::sub_mod(&a, &b, &P));
        prop_assert_eq!(sub(&add(&a, &b), &b), a);
    }
}
