//! The GLV endomorphism (Gallant, Lambert and Vanstone, CRYPTO 2001) for
//! verification's `a*G + b*Q` on a curve that has one (secp256k1: `a = 0`
//! and `p = 1 mod 3`): `(x, y) -> (beta*x, y)` is multiplication by
//! `lambda`, a cube root of one modulo `n`. A scalar `k` splits as
//! `k1 + k2*lambda (mod n)` with `|k1|, |k2|` about `sqrt(n)`, so the
//! double-scalar product becomes a four-scalar one over 128-bit scalars
//! and needs half the doublings.
//!
//! Entry points: [`Glv`] (a curve's constants, `Curve::GLV`),
//! [`mul2_vartime`] (public scalars only) and [`mul_ct`] (constant time,
//! for secret scalars: ECDH and other variable-base products).
//!
//! The split rounds `k*b2/n` and `-k*b1/n` through precomputed
//! `g = round(2^384 * b / n)` (`c = round(k*g / 2^384)`, off by at most
//! one from the exact rounding, which keeps both halves within 129 bits)
//! and finishes modulo `n`: `k1 = k - c1*a1 - c2*a2`, `k2 = -c1*b1 - c2*b2`,
//! each then taken as the smaller of itself and its negation.

use alloc::vec::Vec;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq};

use super::{CT_WINDOW, G_WINDOW, Jacobian, Q_WINDOW, booth_digit, lookup_ct, odd_multiples, wnaf};
use crate::ec::curve::Curve;
use crate::ec::field::Field;
use crate::ec::limbs;
use crate::ec::p256::montgomery::mul_wide;
use crate::ec::point::{BaseTable, ProjectivePoint};

/// A curve's endomorphism constants.
pub struct Glv<C: Curve> {
    /// `beta`: `lambda * (x, y) = (beta*x, y)`.
    pub(crate) beta: C::Fe,
    /// The short basis `(a1, b1)`, `(a2, b2)` of the lattice of
    /// `(u, v)` with `u + v*lambda = 0 (mod n)`, as scalars mod `n`.
    pub(crate) a1: C::Scalar,
    pub(crate) b1: C::Scalar,
    pub(crate) a2: C::Scalar,
    pub(crate) b2: C::Scalar,
    /// `round(2^384 * b2 / n)` and `round(2^384 * -b1 / n)` as integers.
    pub(crate) g1: [u64; 4],
    pub(crate) g2: [u64; 4],
}

/// `round(k * g / 2^384)` for `k < n`, `g < 2^256`: the product's top
/// two limbs after adding `2^383` (no carry out: `k*g < n * 2^256`).
fn mul_shift_384(k: &[u64; 4], g: &[u64; 4]) -> [u64; 4] {
    let t = mul_wide(k, g);
    let mut carry = (t[5] >> 63) & 1;
    let mut out = [0u64; 4];
    for (o, limb) in out.iter_mut().zip([t[6], t[7]]) {
        let (s, c) = limbs::adc(limb, 0, carry);
        *o = s;
        carry = c;
    }
    out
}

/// A scalar as big-endian bytes.
fn be<C: Curve>(s: &C::Scalar) -> Vec<u8> {
    let mut out = alloc::vec![0u8; C::Scalar::BYTES];
    s.write_be_bytes(&mut out);
    out
}

/// `s` or `-s`, whichever is smaller as an integer, as big-endian bytes,
/// and whether it was the negation.
fn short<C: Curve>(s: &C::Scalar) -> (Vec<u8>, bool) {
    let pos = be::<C>(s);
    let neg = be::<C>(&s.neg());
    if neg < pos { (neg, true) } else { (pos, false) }
}

/// `k = k1 + k2*lambda (mod n)` with short `k1`, `k2`, each as
/// (magnitude bytes, negative).
pub(crate) fn decompose<C: Curve>(glv: &Glv<C>, k: &C::Scalar) -> [(Vec<u8>, bool); 2] {
    let kl: [u64; 4] = limbs::limbs_from_be(&be::<C>(k));
    let to_scalar = |c: [u64; 4]| {
        let mut bytes = alloc::vec![0u8; C::Scalar::BYTES];
        limbs::limbs_to_be(&c, &mut bytes);
        C::Scalar::reduce_be_bytes(&bytes)
    };
    let c1 = to_scalar(mul_shift_384(&kl, &glv.g1));
    let c2 = to_scalar(mul_shift_384(&kl, &glv.g2));
    let k1 = k.sub(&c1.mul(&glv.a1)).sub(&c2.mul(&glv.a2));
    let k2 = c1.mul(&glv.b1).add(&c2.mul(&glv.b2)).neg();
    [short::<C>(&k1), short::<C>(&k2)]
}

/// Bytes of a split half kept by [`mul_ct`]: the low 136 bits, enough
/// for halves below `2^129`.
const HALF_BYTES: usize = 17;

/// `k = k1 + k2*lambda (mod n)` in constant time, each half as the low
/// [`HALF_BYTES`] big-endian bytes of its magnitude and whether it is
/// negative. With `c1`, `c2` within one of exact rounding, `|k1| <=
/// |a1| + |a2|` and `|k2| <= |b1| + |b2|`, both below `2^129`, so of a
/// half `s` and `-s` exactly one has its top 64 bits clear (the other
/// exceeds `n - 2^129 > 2^255`): that one is chosen, without a branch.
fn decompose_ct<C: Curve>(glv: &Glv<C>, k: &C::Scalar) -> [([u8; HALF_BYTES], Choice); 2] {
    let mut buf = [0u8; 32];
    k.write_be_bytes(&mut buf);
    let kl: [u64; 4] = limbs::limbs_from_be(&buf);
    let to_scalar = |c: [u64; 4]| {
        let mut bytes = [0u8; 32];
        limbs::limbs_to_be(&c, &mut bytes);
        C::Scalar::reduce_be_bytes(&bytes)
    };
    let c1 = to_scalar(mul_shift_384(&kl, &glv.g1));
    let c2 = to_scalar(mul_shift_384(&kl, &glv.g2));
    let k1 = k.sub(&c1.mul(&glv.a1)).sub(&c2.mul(&glv.a2));
    let k2 = c1.mul(&glv.b1).add(&c2.mul(&glv.b2)).neg();
    [k1, k2].map(|half| {
        let mut bytes = [0u8; 32];
        half.write_be_bytes(&mut bytes);
        let top = u64::from_be_bytes(bytes.first_chunk::<8>().copied().unwrap_or_default());
        let neg = !top.ct_eq(&0);
        let chosen = C::Scalar::conditional_select(&half, &half.neg(), neg);
        chosen.write_be_bytes(&mut bytes);
        let low = bytes.last_chunk::<HALF_BYTES>().copied().unwrap_or_default();
        bytes.fill(0);
        (low, neg)
    })
}

/// `k * p` in constant time for a secret scalar `k < n` (big-endian,
/// 32 bytes): `k1*p + k2*(lambda p)` over signed 5-bit (Booth) windows
/// of both halves at once, per window five doublings and two additions
/// of scanned entries of one table `0..=16 * p` (the second mapped by
/// `beta`, both negated under masks for the digit's and the half's
/// signs): about 140 doublings instead of 260.
///
/// Exceptional additions: before window `i`'s first addition the
/// accumulator is `A*P1 + B*P2` with `P1 = ±p`, `P2 = ±lambda p`,
/// `A = 2^5 * k1_(i+1)` and `B = 2^5 * k2_(i+1)` (the Booth partial
/// values of `jacobian::mul_ct`, each 0 or at least 32). Two operands
/// are equal or opposite only when `(A ± d, ±B)` (first addition) or
/// `(A + d1, ±B ± d2)` (second) lies in the lattice of `(u, v)` with
/// `u + v*lambda = 0 (mod n)`, whose nonzero vectors all have a
/// coordinate of at least `2^127` (its reduced basis has Euclidean
/// length `2^127.8`). For `i >= 1` both coordinates are below
/// `2^124 + 48`, so only the zero vector remains, which needs a zero
/// digit and a zero accumulator part: an identity operand, which
/// [`Jacobian::add_distinct_ct`] selects around. The last window's
/// additions use [`Jacobian::add_ct`], which also handles equal operands
/// (and opposite ones give `Z = 0`, the identity).
#[inline(always)]
pub(crate) fn mul_ct<C: Curve>(glv: &Glv<C>, p: &ProjectivePoint<C>, k_be: &[u8]) -> ProjectivePoint<C> {
    let k = C::Scalar::reduce_be_bytes(k_be);
    let [(k1, neg1), (k2, neg2)] = decompose_ct(glv, &k);
    let base = Jacobian::from_projective(p);
    let table = super::ct_table(&base);
    let windows = (8 * HALF_BYTES + 1).div_ceil(CT_WINDOW);
    let mut acc = Jacobian::<C>::IDENTITY;
    for i in (0..windows).rev() {
        for _ in 0..CT_WINDOW {
            acc = acc.double();
        }
        let (abs, neg) = booth_digit::<CT_WINDOW>(&k1, i);
        let mut q = lookup_ct(&table, abs);
        q.y = C::Fe::conditional_select(&q.y, &q.y.neg(), neg ^ neg1);
        acc = if i == 0 { acc.add_ct(&q) } else { acc.add_distinct_ct(&q) };
        let (abs, neg) = booth_digit::<CT_WINDOW>(&k2, i);
        let mut q = lookup_ct(&table, abs);
        q.x = q.x.mul(&glv.beta);
        q.y = C::Fe::conditional_select(&q.y, &q.y.neg(), neg ^ neg2);
        acc = if i == 0 { acc.add_ct(&q) } else { acc.add_distinct_ct(&q) };
    }
    acc.to_projective_ct()
}

/// The width-`w` NAF of a split half, negated when the half is.
fn signed_wnaf((bytes, neg): &(Vec<u8>, bool), w: u32) -> Vec<i8> {
    let mut digits = wnaf(bytes, w);
    if *neg {
        for d in &mut digits {
            *d = -*d;
        }
    }
    digits
}

/// `a * G + b * q` for public scalars (big-endian, `C::Scalar::BYTES`
/// long) through the endomorphism: `a1*G + a2*(lambda G) + b1*q +
/// b2*(lambda q)`, interleaved width-w NAF over one run of about 129
/// doublings. The generator's multiples are the base table's affine odd
/// multiples (and their images, one product each); `q`'s are computed
/// per call, `lambda q`'s from them (one product each).
#[inline(always)]
pub(crate) fn mul2_vartime<C: Curve>(
    glv: &Glv<C>,
    table: &BaseTable<C>,
    a_be: &[u8],
    b_be: &[u8],
    q: &ProjectivePoint<C>,
) -> ProjectivePoint<C> {
    let (Some(a), Some(b)) = (
        Option::<C::Scalar>::from(C::Scalar::from_be_bytes(a_be)),
        Option::<C::Scalar>::from(C::Scalar::from_be_bytes(b_be)),
    ) else {
        return super::mul2_vartime_plain(a_be, b_be, q);
    };
    let [a1, a2] = decompose(glv, &a);
    let [b1, b2] = decompose(glv, &b);
    let g_digits = [signed_wnaf(&a1, G_WINDOW), signed_wnaf(&a2, G_WINDOW)];
    let q_digits = [signed_wnaf(&b1, Q_WINDOW), signed_wnaf(&b2, Q_WINDOW)];
    let qt = odd_multiples(&Jacobian::from_projective(q), Q_WINDOW);
    let qlt: Vec<Jacobian<C>> = qt.iter().map(|p| Jacobian { x: p.x.mul(&glv.beta), y: p.y, z: p.z }).collect();
    let len = g_digits.iter().chain(&q_digits).map(Vec::len).max().unwrap_or(0);
    let mut acc = Jacobian::<C>::IDENTITY;
    for i in (0..len).rev() {
        if !acc.is_identity() {
            acc = acc.double();
        }
        for (k, digits) in g_digits.iter().enumerate() {
            let d = digits.get(i).copied().unwrap_or(0);
            if let Some((x, y)) = table.odd_affine.get(usize::from(d.unsigned_abs() / 2)).filter(|_| d != 0) {
                let x = if k == 0 { *x } else { x.mul(&glv.beta) };
                let y = if d > 0 { *y } else { y.neg() };
                acc = acc.add_affine(&x, &y);
            }
        }
        for (points, digits) in [&qt, &qlt].into_iter().zip(&q_digits) {
            let d = digits.get(i).copied().unwrap_or(0);
            if let Some(p) = points.get(usize::from(d.unsigned_abs() / 2)).filter(|_| d != 0) {
                acc = acc.add(&if d > 0 { *p } else { p.neg() });
            }
        }
    }
    acc.to_projective()
}

#[cfg(test)]
mod tests {
    use subtle::ConstantTimeEq;

    use super::*;
    use crate::ec::Secp256k1;

    /// Split halves are short and recombine to `k`; the four-scalar
    /// product matches the plain double-scalar one.
    #[test]
    fn secp256k1_split_and_product_match_plain() {
        let glv = Secp256k1::GLV.as_ref().unwrap();
        let lambda = {
            // lambda = -a1 / b1 (mod n): a1 + b1*lambda = 0.
            glv.a1.mul(&glv.b1.invert()).neg()
        };
        let g = ProjectivePoint::<Secp256k1>::generator();
        assert!(g.mul(&lambda) == ProjectivePoint { x: g.x.mul(&glv.beta), y: g.y, z: g.z });
        let q = g.mul(&<Secp256k1 as Curve>::Scalar::from_u64(0xdead_beef)).double();
        let table = Secp256k1::base_table().unwrap();
        let scalars = super::super::tests::stress_scalars::<Secp256k1>();
        for (i, k) in scalars.iter().enumerate() {
            let halves = decompose(glv, k);
            let mut sum = <Secp256k1 as Curve>::Scalar::ZERO;
            for ((bytes, neg), factor) in halves.iter().zip([<Secp256k1 as Curve>::Scalar::ONE, lambda]) {
                let first = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
                assert!(bytes.len() - first <= 17, "half of {i} is short");
                let v = <Secp256k1 as Curve>::Scalar::reduce_be_bytes(bytes).mul(&factor);
                sum = if *neg { sum.sub(&v) } else { sum.add(&v) };
            }
            assert!(bool::from(sum.ct_eq(k)), "halves of scalar {i} recombine");
            let other = &scalars[(i * 7 + 3) % scalars.len()];
            let (a, b) = (be::<Secp256k1>(k), be::<Secp256k1>(other));
            let want = super::super::mul2_vartime_plain(&a, &b, &q);
            assert!(mul2_vartime(glv, table, &a, &b, &q) == want, "a*G + b*Q for scalar {i}");
        }
    }

    /// The constant-time split recombines, and the constant-time
    /// product matches double-and-add for the stress scalars (0, 1,
    /// n - 1, n - 2, powers of two, patterns, random), for the
    /// generator, another point and the identity.
    #[test]
    fn secp256k1_mul_ct_matches_reference() {
        let glv = Secp256k1::GLV.as_ref().unwrap();
        let lambda = glv.a1.mul(&glv.b1.invert()).neg();
        let g = ProjectivePoint::<Secp256k1>::generator();
        let q = g.mul(&<Secp256k1 as Curve>::Scalar::from_u64(0x1234_5678)).double();
        let id = ProjectivePoint::<Secp256k1>::IDENTITY;
        for (i, k) in super::super::tests::stress_scalars::<Secp256k1>().iter().enumerate() {
            let mut sum = <Secp256k1 as Curve>::Scalar::ZERO;
            for ((low, neg), factor) in decompose_ct(glv, k).iter().zip([<Secp256k1 as Curve>::Scalar::ONE, lambda]) {
                let mut bytes = [0u8; 32];
                bytes[32 - HALF_BYTES..].copy_from_slice(low);
                let v = <Secp256k1 as Curve>::Scalar::reduce_be_bytes(&bytes).mul(&factor);
                sum = <Secp256k1 as Curve>::Scalar::conditional_select(&sum.add(&v), &sum.sub(&v), *neg);
            }
            assert!(bool::from(sum.ct_eq(k)), "constant-time halves of scalar {i} recombine");
            let k_be = be::<Secp256k1>(k);
            for p in [g, q, id] {
                let want = super::super::tests::reference_mul(&p, &k_be);
                assert!(mul_ct(glv, &p, &k_be) == want, "k*P for scalar {i}");
            }
        }
    }
}
