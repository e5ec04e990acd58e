//! The order-`n` kernels against the generic CIOS Montgomery product of
//! `crate::ec::limbs`, and the safegcd inversion against the binary
//! extended GCD of `crate::bignum::inv_mod_odd`, on edge values,
//! a deterministic pseudo-random sweep and proptest properties.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::bignum::inv_mod_odd;
use crate::ec::limbs::{self, MontConsts};

const CONSTS: MontConsts<4> = MontConsts::new(&N);

fn generic_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    limbs::mont_mul(a, b, &N, CONSTS.n0)
}

/// Canonical value to Montgomery form and back, by the generic kernel.
fn to_mont(x: &[u64; 4]) -> [u64; 4] {
    generic_mul(x, &CONSTS.r2)
}

fn from_mont(x: &[u64; 4]) -> [u64; 4] {
    generic_mul(x, &[1, 0, 0, 0])
}

/// Canonical `x^-1 mod n` through the new inversion.
fn inverse(x: &[u64; 4]) -> [u64; 4] {
    from_mont(&invert(&to_mont(x)))
}

/// Canonical `x^-1 mod n` through the generic constant-time GCD.
fn reference_inverse(x: &[u64; 4]) -> [u64; 4] {
    let (inv, ok) = inv_mod_odd(x, &N);
    assert_eq!(ok, 1, "{x:x?} is invertible");
    inv.try_into().unwrap()
}

/// Values below `n` that stress the carries and the chain: 1, 2, n - 1,
/// n - 2, single bits, long runs of zero or one bits.
fn edges() -> Vec<[u64; 4]> {
    let m = u64::MAX;
    let n_minus = |k: u64| [N[0] - k, N[1], N[2], N[3]];
    alloc::vec![
        [1, 0, 0, 0],
        [2, 0, 0, 0],
        [3, 0, 0, 0],
        n_minus(1),
        n_minus(2),
        [0, N[1], N[2], N[3]],
        [m, m, m, N[3] - 1],
        [m, 0, 0, 0],
        [0, m, 0, 0],
        [0, 0, m, 0],
        [m, m, m, 0],
        [0, 0, 0, 1 << 63],
        [1, 0, 0, 1 << 63],
        [0, 0, 1, 0],
        [1 << 32, 0, 0, 0],
        [0x8000_0000_0000_0001, 0, 0, 0],
        [0x0101_0101_0101_0101, 0, 0x1000_0000_0000_0000, 0],
        CONSTS.r,
        CONSTS.r2,
    ]
}

#[test]
fn constants_match_the_generic_derivation() {
    assert_eq!(N0, CONSTS.n0);
    assert_eq!(R3, generic_mul(&CONSTS.r2, &CONSTS.r2), "R3 is R^3 mod n");
    assert_eq!(generic_mul(&R3, &[1, 0, 0, 0]), CONSTS.r2);
}

#[test]
fn edge_values_agree_with_generic() {
    let e = edges();
    for a in &e {
        assert_eq!(limbs::lt(a, &N), 1, "edge value {a:x?} must be below n");
        assert_eq!(inverse(a), reference_inverse(a), "inverse of {a:x?}");
        for b in &e {
            assert_eq!(mont_mul(a, b), generic_mul(a, b), "mul {a:x?} * {b:x?}");
        }
        assert_eq!(mont_square(a), generic_mul(a, a), "square {a:x?}");
    }
    assert_eq!(invert(&[0; 4]), [0; 4], "zero maps to zero");
    assert_eq!(inverse(&[1, 0, 0, 0]), [1, 0, 0, 0]);
    assert_eq!(inverse(&n_minus_one()), n_minus_one(), "(-1)^-1 = -1");
}

fn n_minus_one() -> [u64; 4] {
    [N[0] - 1, N[1], N[2], N[3]]
}

#[test]
fn pseudo_random_values_agree_with_generic() {
    // xorshift64*: deterministic, no dependency.
    let mut s = 0x243f_6a88_85a3_08d3u64;
    let mut next = || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    let mut below_n = || loop {
        let v = [next(), next(), next(), next()];
        if limbs::lt(&v, &N) == 1 && v != [0; 4] {
            return v;
        }
    };
    let mut x = below_n();
    for i in 0..2000 {
        let y = below_n();
        assert_eq!(mont_mul(&x, &y), generic_mul(&x, &y), "mul {x:x?} * {y:x?}");
        assert_eq!(mont_square(&x), generic_mul(&x, &x), "square {x:x?}");
        if i % 20 == 0 {
            assert_eq!(inverse(&y), reference_inverse(&y), "inverse of {y:x?}");
        }
        // Chained products feed outputs back as inputs.
        x = mont_square(&mont_mul(&x, &y));
        if x == [0; 4] {
            x = y;
        }
    }
}

fn below_n() -> impl Strategy<Value = [u64; 4]> {
    any::<[u64; 4]>().prop_map(|v| if limbs::lt(&v, &N) == 1 { v } else { [v[0], v[1], v[2], v[3] >> 1] })
}

proptest! {
    #[test]
    fn kernels_match_generic_montgomery(a in below_n(), b in below_n()) {
        prop_assert_eq!(mont_mul(&a, &b), generic_mul(&a, &b));
        prop_assert_eq!(mont_square(&a), generic_mul(&a, &a));
    }

}

#[test]
fn inverse_on_edges_and_a_chained_sweep() {
    assert_eq!(invert(&[0; 4]), [0; 4], "zero maps to zero");
    for a in edges() {
        assert_eq!(from_mont(&invert(&to_mont(&a))), reference_inverse(&a), "inverse of {a:x?}");
    }
    let mut x = [0x0123_4567_89ab_cdef, 0xfedc_ba98_7654_3210, 0x0f0f_0f0f_0f0f_0f0f, 0x7777_0000_ffff_1111];
    for _ in 0..500 {
        let inv = invert(&x);
        assert_eq!(mont_mul(&x, &inv), CONSTS.r, "x * x^-1 for {x:x?}");
        x = mont_square(&mont_mul(&x, &[3, 5, 7, 11]));
    }
}

proptest! {
    #[test]
    fn inverse_times_value_is_one(a in below_n()) {
        prop_assume!(a != [0; 4]);
        // Montgomery form: a * a^-1 = R mod n, the form of one.
        prop_assert_eq!(mont_mul(&a, &invert(&a)), CONSTS.r);
        prop_assert_eq!(from_mont(&invert(&to_mont(&a))), reference_inverse(&a));
    }
}
