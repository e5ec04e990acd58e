//! The comb against the variable-base ladder (`mul_ct`, which shares no
//! table or recoding with it) on edge scalars, a pseudo-random sweep and
//! a proptest property, for every curve; the Booth recoding against the
//! scalar it came from; and the conditions on `n` that the module
//! comment's no-exception argument needs.

use alloc::vec::Vec;

use proptest::prelude::*;

use super::*;
use crate::ec::point::jacobian::mul_ct;
use crate::ec::{P256, P384, P521, Secp256k1};

/// Big-endian bytes of a scalar.
fn be<C: Curve>(k: &C::Scalar) -> Vec<u8> {
    let mut out = alloc::vec![0u8; C::Scalar::BYTES];
    k.write_be_bytes(&mut out);
    out
}

/// `2^e` as a scalar.
fn pow2<C: Curve>(e: usize) -> C::Scalar {
    (0..e).fold(C::Scalar::ONE, |acc, _| acc.double())
}

/// Scalars where digits and windows turn over: small values, the
/// digit boundaries `2^(WINDOW-1) +- 1`, powers of two at window edges,
/// `n - small`, `(n - 1) / 2` and its neighbours, and all-ones patterns.
fn edge_scalars<C: Curve>() -> Vec<C::Scalar> {
    let mut out = Vec::new();
    for v in [0u64, 1, 2, 3, 31, 32, 33, 63, 64, 65, 127, 128, 0x7fff_ffff, u64::MAX] {
        out.push(C::Scalar::from_u64(v));
        out.push(C::Scalar::from_u64(v).neg());
    }
    for e in
        [WINDOW - 1, WINDOW, 2 * WINDOW - 1, 64, 128, C::Scalar::BITS - 7, C::Scalar::BITS - 2, C::Scalar::BITS - 1]
    {
        let p = pow2::<C>(e);
        out.extend([p, p.add(&C::Scalar::ONE), p.sub(&C::Scalar::ONE), p.neg()]);
    }
    // 2^-1 mod n = (n + 1) / 2, so 2^-1 - 1 = (n - 1) / 2.
    let half = C::Scalar::from_u64(2).invert().sub(&C::Scalar::ONE);
    for h in [half, half.add(&C::Scalar::ONE), half.sub(&C::Scalar::ONE), half.neg()] {
        out.push(h);
    }
    out
}

fn agrees_with_ladder<C: Curve>(table: &CombTable<C>, k: &C::Scalar) {
    let k_be = be::<C>(k);
    let g = ProjectivePoint::<C>::generator();
    let want = mul_ct(&g, &k_be);
    assert_eq!(mul_base_ct(table, &k_be), want, "{} k = {k_be:02x?}", C::NAME);
}

fn booth_reconstructs<C: Curve>(k: &C::Scalar) {
    let k_be = be::<C>(k);
    let mut sum = C::Scalar::ZERO;
    for i in (0..window_count(C::Scalar::BITS)).rev() {
        for _ in 0..WINDOW {
            sum = sum.double();
        }
        let (abs, neg) = booth_digit(&k_be, i);
        assert!(abs <= 1 << (WINDOW - 1), "digit {abs} too large");
        let d = C::Scalar::from_u64(u64::from(abs));
        sum = sum.add(&C::Scalar::conditional_select(&d, &d.neg(), neg));
    }
    assert!(bool::from(sum.ct_eq(k)), "{} Booth digits of {k_be:02x?}", C::NAME);
}

/// A deterministic scalar stream (xorshift, reduced by the byte decoder
/// after clearing the top bit so it is below `n`).
fn sweep<C: Curve>(count: usize) -> Vec<C::Scalar> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..count)
        .map(|_| {
            let mut bytes = alloc::vec![0u8; C::Scalar::BYTES];
            for b in &mut bytes {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            if let Some(first) = bytes.first_mut() {
                *first &= 0x7f >> (8 * C::Scalar::BYTES - C::Scalar::BITS);
            }
            C::Scalar::from_be_bytes(&bytes).unwrap()
        })
        .collect()
}

fn check_curve<C: Curve>() {
    let table = CombTable::<C>::new();
    assert_eq!(table.windows.len(), window_count(C::Scalar::BITS));
    // The first window is G, 2G, ..., 2^(WINDOW-1) G.
    let g = ProjectivePoint::<C>::generator();
    let (x, y) = table.windows[0][0];
    assert_eq!(ProjectivePoint::from_affine(x, y).unwrap(), g);
    for k in edge_scalars::<C>().iter().chain(&sweep::<C>(24)) {
        booth_reconstructs::<C>(k);
        agrees_with_ladder(&table, k);
    }
}

#[test]
fn comb_matches_ladder_p256() {
    check_curve::<P256>();
}

#[test]
fn comb_matches_ladder_p384() {
    check_curve::<P384>();
}

#[test]
fn comb_matches_ladder_p521() {
    check_curve::<P521>();
}

#[test]
fn comb_matches_ladder_secp256k1() {
    check_curve::<Secp256k1>();
}

/// `k * G` is the identity exactly for `k = 0`.
#[test]
fn zero_scalar_gives_identity() {
    let table = CombTable::<P256>::new();
    assert_eq!(mul_base_ct(&table, &[0u8; 32]), ProjectivePoint::IDENTITY);
}

/// Bit `i` of `n` (as big-endian bytes).
fn order_bit(n_be: &[u8], i: usize) -> bool {
    super::super::be_bit(n_be, i) == 1
}

/// The two conditions on `n` of the module comment: its top
/// `WINDOW + 1` bits exceed `1000...0` (so `n > 2^(bits-1) (1 +
/// 2^-WINDOW)`), and `n mod 2^t` is not in `(0, 2^(t-1)]` for the top
/// window's offset `t = WINDOW * (windows - 1)` when `t < bits`.
fn order_rules_out_exceptions<C: Curve>() {
    let mut n_be = alloc::vec![0u8; C::Fe::BYTES];
    C::ORDER.write_be_bytes(&mut n_be);
    let bits = C::Scalar::BITS;
    assert!(order_bit(&n_be, bits - 1) && !order_bit(&n_be, bits), "{}: bit length", C::NAME);
    let below_top = (bits - 1 - WINDOW..bits - 1).any(|i| order_bit(&n_be, i));
    assert!(below_top, "{}: n too close to 2^(bits-1)", C::NAME);
    let t = WINDOW * (window_count(bits) - 1);
    if t < bits {
        // n mod 2^t > 2^(t-1): bit t-1 set and some bit below it.
        let ok = order_bit(&n_be, t - 1) && (0..t - 1).any(|i| order_bit(&n_be, i));
        assert!(ok, "{}: the top window could meet a doubling", C::NAME);
    }
}

#[test]
fn orders_rule_out_exceptions() {
    order_rules_out_exceptions::<P256>();
    order_rules_out_exceptions::<P384>();
    order_rules_out_exceptions::<P521>();
    order_rules_out_exceptions::<Secp256k1>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn comb_matches_ladder_random_p256(bytes in proptest::array::uniform32(any::<u8>())) {
        // Random bytes, reduced below n by dropping the top bit.
        let mut bytes = bytes;
        bytes[0] &= 0x7f;
        let k = <P256 as Curve>::Scalar::from_be_bytes(&bytes).unwrap();
        // Built per case (about a millisecond): no `std` for a shared one.
        let table = CombTable::<P256>::new();
        booth_reconstructs::<P256>(&k);
        agrees_with_ladder(&table, &k);
    }
}
