//! safegcd against Fermat's little theorem (plain square-and-multiply
//! over the generic Montgomery product) for the four 256-bit moduli of
//! the crate, on edge values, a pseudo-random sweep and a proptest.

use proptest::prelude::*;

use super::*;
use crate::ec::limbs::{self, MontConsts};

/// The P-256 and secp256k1 base-field primes and group orders.
const MODULI: [[u64; 4]; 4] = [
    [0xffff_ffff_ffff_ffff, 0x0000_0000_ffff_ffff, 0, 0xffff_ffff_0000_0001],
    [0xf3b9_cac2_fc63_2551, 0xbce6_faad_a717_9e84, 0xffff_ffff_ffff_ffff, 0xffff_ffff_0000_0000],
    [0xffff_fffe_ffff_fc2f, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff, 0xffff_ffff_ffff_ffff],
    [0xbfd2_5e8c_d036_4141, 0xbaae_dce6_af48_a03b, 0xffff_ffff_ffff_fffe, 0xffff_ffff_ffff_ffff],
];

fn inv62(m: &[u64; 4]) -> u64 {
    MontConsts::new(m).n0.wrapping_neg() & ((1 << 62) - 1)
}

/// `x^(m-2) mod m` on canonical values (through Montgomery form).
fn fermat(x: &[u64; 4], m: &[u64; 4]) -> [u64; 4] {
    let c = MontConsts::new(m);
    let xm = limbs::mont_mul(x, &c.r2, m, c.n0);
    let mut acc = c.r;
    for i in (0..256).rev() {
        acc = limbs::mont_mul(&acc, &acc, m, c.n0);
        if limbs::bit(&c.p_minus_2, i) == 1 {
            acc = limbs::mont_mul(&acc, &xm, m, c.n0);
        }
    }
    limbs::mont_mul(&acc, &[1, 0, 0, 0], m, c.n0)
}

fn check(x: &[u64; 4], m: &[u64; 4]) {
    assert_eq!(invert(x, m, inv62(m)), fermat(x, m), "x = {x:x?} m = {m:x?}");
}

fn sub_small(m: &[u64; 4], k: u64) -> [u64; 4] {
    [m[0] - k, m[1], m[2], m[3]]
}

#[test]
fn edges_match_fermat() {
    for m in &MODULI {
        assert_eq!(invert(&[0; 4], m, inv62(m)), [0; 4], "zero maps to zero");
        let half = [m[0] >> 1 | m[1] << 63, m[1] >> 1 | m[2] << 63, m[2] >> 1 | m[3] << 63, m[3] >> 1];
        for x in [
            [1, 0, 0, 0],
            [2, 0, 0, 0],
            [3, 0, 0, 0],
            sub_small(m, 1),
            sub_small(m, 2),
            half,
            [0, 0, 0, 1 << 63],
            [u64::MAX, u64::MAX, 0, 0],
            [0, 0, u64::MAX, 0x7fff_ffff_ffff_ffff],
            [1 << 62, 0, 0, 0],
            [0, 1 << 60, 0, 0],
        ] {
            check(&x, m);
        }
    }
}

#[test]
fn pseudo_random_values_match_fermat() {
    let mut s = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = || {
        s ^= s >> 12;
        s ^= s << 25;
        s ^= s >> 27;
        s.wrapping_mul(0x2545_f491_4f6c_dd1d)
    };
    for m in &MODULI {
        for _ in 0..300 {
            let x = [next(), next(), next(), next() >> 1];
            if limbs::lt(&x, m) == 1 {
                check(&x, m);
            }
        }
    }
}

proptest! {
    #[test]
    fn random_values_match_fermat(x in any::<[u64; 4]>(), which in 0usize..4) {
        let m = &MODULI[which];
        let x = [x[0], x[1], x[2], x[3] >> 1];
        prop_assume!(limbs::lt(&x, m) == 1);
        prop_assert_eq!(invert(&x, m, inv62(m)), fermat(&x, m));
    }
}
