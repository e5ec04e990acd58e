//! The plain-value kernels against the generic Montgomery code of
//! `crate::ec::limbs` on the same modulus, for edge values (0, 1, p - 1,
//! p - C, values at and above p up to 2^256 - 1 where a kernel accepts
//! them) and pseudo-random ones.

use super::*;
use alloc::vec::Vec;

use crate::ec::limbs::{self, MontConsts};

const CONSTS: MontConsts<4> = MontConsts::new(&P);

/// `a * b mod p` through two generic Montgomery products:
/// `(a b R^-1) R^2 R^-1`.
fn reference_mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let ab = limbs::mont_mul(a, b, &P, CONSTS.n0);
    limbs::mont_mul(&ab, &CONSTS.r2, &P, CONSTS.n0)
}

/// `v mod p` for any `v < 2^256` (`v < 2p`).
fn reduce(v: &[u64; 4]) -> [u64; 4] {
    limbs::add_mod(v, &[0; 4], &P)
}

fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

/// Edge values below `2^256`, some of them at or above `p`.
fn edge_values() -> Vec<[u64; 4]> {
    let minus = |k: u64| {
        let mut v = P;
        v[0] -= k;
        v
    };
    alloc::vec![
        [0; 4],
        [1, 0, 0, 0],
        [2, 0, 0, 0],
        [C, 0, 0, 0],
        [u64::MAX, 0, 0, 0],
        [0, 0, 0, 1 << 63],
        [0, 1, 0, 0],
        minus(1),
        minus(2),
        minus(C),
        [u64::MAX, u64::MAX, 0, 0],
        [0, 0, u64::MAX, u64::MAX],
        P,
        [P[0] + 1, P[1], P[2], P[3]],
        [u64::MAX; 4],
        [u64::MAX - 1, u64::MAX, u64::MAX, u64::MAX],
    ]
}

fn inputs() -> Vec<[u64; 4]> {
    let mut out = edge_values();
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..64 {
        out.push([xorshift(&mut state), xorshift(&mut state), xorshift(&mut state), xorshift(&mut state)]);
    }
    out
}

fn below_p(v: &[u64; 4]) -> bool {
    limbs::lt(v, &P) == 1
}

#[test]
fn mul_and_square_match_generic() {
    let all = inputs();
    for a in &all {
        assert_eq!(square(a), reference_mul(&reduce(a), &reduce(a)), "square of {a:x?}");
        for b in &all {
            let want = reference_mul(&reduce(a), &reduce(b));
            assert_eq!(mul(a, b), want, "{a:x?} * {b:x?}");
        }
    }
}

#[test]
fn add_and_sub_match_generic() {
    let all: Vec<_> = inputs().into_iter().filter(below_p).collect();
    for a in &all {
        for b in &all {
            assert_eq!(add(a, b), limbs::add_mod(a, b, &P), "{a:x?} + {b:x?}");
            assert_eq!(sub(a, b), limbs::sub_mod(a, b, &P), "{a:x?} - {b:x?}");
        }
    }
}

#[test]
fn invert_matches_fermat() {
    for a in inputs().into_iter().filter(below_p) {
        let mut want = [1, 0, 0, 0];
        for i in (0..256).rev() {
            want = reference_mul(&want, &want);
            if limbs::bit(&CONSTS.p_minus_2, i) == 1 {
                want = reference_mul(&want, &a);
            }
        }
        assert_eq!(invert(&a), want, "inverse of {a:x?}");
    }
}
