//! The secp256k1 scalar field's inversion (modulo the group order `n`):
//! the nonce inverse of every signature and the `s^-1` of every
//! verification. Products stay the generic Montgomery ones (a handful per
//! signature); the inverse is Bernstein–Yang safegcd
//! (`crate::ec::safegcd`) instead of Fermat's `a^(n-2)`, whose 256
//! squarings dominated the scalar work.
//!
//! Entry point: [`invert`], which `ScalarParamsSecp256k1` plugs in.

use crate::ec::limbs::{self, MontConsts};
use crate::ec::safegcd;

/// The group order, little-endian limbs.
pub(crate) const N: [u64; 4] = [0xbfd2_5e8c_d036_4141, 0xbaae_dce6_af48_a03b, 0xffff_ffff_ffff_fffe, u64::MAX];

const CONSTS: MontConsts<4> = MontConsts::new(&N);

/// `R^3 mod n` (`R = 2^256`): a Montgomery product with it turns the
/// plain inverse `(a R)^-1` of a Montgomery-form `a R` into `a^-1 R`.
const R3: [u64; 4] = limbs::mont_mul_const(&CONSTS.r2, &CONSTS.r2, &N, CONSTS.n0);

/// The safegcd constants for `n`.
const SAFEGCD: safegcd::Modulus = safegcd::Modulus::new(&N);

/// `a^-1` in Montgomery form (zero for zero), constant time.
pub(crate) fn invert(a: &[u64; 4]) -> [u64; 4] {
    limbs::mont_mul(&safegcd::invert(a, &SAFEGCD), &R3, &N, CONSTS.n0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `a^(n-2)` by square-and-multiply over the generic kernel.
    fn fermat(a: &[u64; 4]) -> [u64; 4] {
        let mut acc = CONSTS.r;
        for i in (0..256).rev() {
            acc = limbs::mont_mul(&acc, &acc, &N, CONSTS.n0);
            if limbs::bit(&CONSTS.p_minus_2, i) == 1 {
                acc = limbs::mont_mul(&acc, a, &N, CONSTS.n0);
            }
        }
        acc
    }

    #[test]
    fn safegcd_inverse_matches_fermat() {
        let n_minus = |k: u64| {
            let mut v = N;
            v[0] -= k;
            v
        };
        let mut inputs = alloc::vec![[0u64; 4], [1, 0, 0, 0], [2, 0, 0, 0], CONSTS.r, n_minus(1), n_minus(2)];
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..32 {
            let mut v = [0u64; 4];
            for l in &mut v {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *l = state;
            }
            v[3] >>= 1;
            inputs.push(v);
        }
        for a in inputs {
            assert_eq!(invert(&a), fermat(&a), "inverse of {a:x?}");
        }
    }
}
