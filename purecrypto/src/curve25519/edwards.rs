//! The twisted Edwards curve -x^2 + y^2 = 1 + d x^2 y^2 over GF(2^255 - 19)
//! (edwards25519), in extended coordinates (X : Y : Z : T) with
//! x = X/Z, y = Y/Z, xy = T/Z.
//!
//! Entry points: [`EdwardsPoint`] with [`EdwardsPoint::decompress`] (the
//! strict RFC 8032 decoding), [`EdwardsPoint::compress`],
//! [`EdwardsPoint::mul_base`] (constant-time, precomputed tables),
//! [`EdwardsPoint::mul`] (constant-time, variable base) and
//! [`EdwardsPoint::double_scalar_mul_base_vartime`] (verification only).
//! Addition uses the Hisil-Wong-Carter-Dawson unified formulas for a = -1,
//! which are complete on this curve (d is not a square).

use subtle::{Choice, ConditionallyNegatable, ConditionallySelectable, ConstantTimeEq};

use super::basepoint_table::{BASEPOINT_ODD_MULTIPLES, BASEPOINT_TABLE};
use super::field::Fe;
use super::scalar::Scalar;

/// A point in extended coordinates.
#[derive(Clone, Copy, Debug)]
pub(crate) struct EdwardsPoint {
    pub(crate) x: Fe,
    pub(crate) y: Fe,
    pub(crate) z: Fe,
    pub(crate) t: Fe,
}

/// (X : Y : Z), used between doublings.
#[derive(Clone, Copy)]
struct ProjectivePoint {
    x: Fe,
    y: Fe,
    z: Fe,
}

/// The output of an addition or doubling: x = X/Z, y = Y/T.
#[derive(Clone, Copy)]
struct CompletedPoint {
    x: Fe,
    y: Fe,
    z: Fe,
    t: Fe,
}

/// A point prepared for addition: (Y + X, Y - X, Z, 2dT).
#[derive(Clone, Copy)]
pub(crate) struct ProjectiveNiels {
    y_plus_x: Fe,
    y_minus_x: Fe,
    z: Fe,
    t2d: Fe,
}

/// An affine point prepared for addition: (y + x, y - x, 2dxy).
#[derive(Clone, Copy, Debug)]
pub(crate) struct AffineNiels {
    pub(crate) y_plus_x: Fe,
    pub(crate) y_minus_x: Fe,
    pub(crate) xy2d: Fe,
}

impl AffineNiels {
    const IDENTITY: AffineNiels = AffineNiels { y_plus_x: Fe::ONE, y_minus_x: Fe::ONE, xy2d: Fe::ZERO };
}

impl ProjectiveNiels {
    const IDENTITY: ProjectiveNiels =
        ProjectiveNiels { y_plus_x: Fe::ONE, y_minus_x: Fe::ONE, z: Fe::ONE, t2d: Fe::ZERO };
}

impl ConditionallySelectable for AffineNiels {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        AffineNiels {
            y_plus_x: Fe::conditional_select(&a.y_plus_x, &b.y_plus_x, c),
            y_minus_x: Fe::conditional_select(&a.y_minus_x, &b.y_minus_x, c),
            xy2d: Fe::conditional_select(&a.xy2d, &b.xy2d, c),
        }
    }
}

impl ConditionallyNegatable for AffineNiels {
    fn conditional_negate(&mut self, c: Choice) {
        Fe::conditional_swap(&mut self.y_plus_x, &mut self.y_minus_x, c);
        let neg = self.xy2d.neg();
        self.xy2d.conditional_assign(&neg, c);
    }
}

impl ConditionallySelectable for ProjectiveNiels {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        ProjectiveNiels {
            y_plus_x: Fe::conditional_select(&a.y_plus_x, &b.y_plus_x, c),
            y_minus_x: Fe::conditional_select(&a.y_minus_x, &b.y_minus_x, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
            t2d: Fe::conditional_select(&a.t2d, &b.t2d, c),
        }
    }
}

impl ConditionallyNegatable for ProjectiveNiels {
    fn conditional_negate(&mut self, c: Choice) {
        Fe::conditional_swap(&mut self.y_plus_x, &mut self.y_minus_x, c);
        let neg = self.t2d.neg();
        self.t2d.conditional_assign(&neg, c);
    }
}

impl CompletedPoint {
    #[inline(always)]
    fn to_projective(self) -> ProjectivePoint {
        ProjectivePoint { x: self.x.mul(&self.t), y: self.y.mul(&self.z), z: self.z.mul(&self.t) }
    }

    #[inline(always)]
    fn to_extended(self) -> EdwardsPoint {
        EdwardsPoint { x: self.x.mul(&self.t), y: self.y.mul(&self.z), z: self.z.mul(&self.t), t: self.x.mul(&self.y) }
    }
}

impl ProjectivePoint {
    /// Doubling (the a = -1 dbl-2008-hwcd formulas, T not needed).
    #[inline(always)]
    fn double(&self) -> CompletedPoint {
        let xx = self.x.square();
        let yy = self.y.square();
        let zz2 = self.z.square().add(&self.z.square());
        let x_plus_y_sq = self.x.add(&self.y).square();
        let yy_plus_xx = yy.add(&xx);
        let yy_minus_xx = yy.sub(&xx);
        CompletedPoint { x: x_plus_y_sq.sub(&yy_plus_xx), y: yy_plus_xx, z: yy_minus_xx, t: zz2.sub(&yy_minus_xx) }
    }
}

/// Splits a scalar below 2^255 into 64 signed radix-16 digits in [-8, 8).
fn radix16(bytes: &[u8; 32]) -> [i8; 64] {
    let mut digits = [0i8; 64];
    for (pair, b) in digits.chunks_exact_mut(2).zip(bytes) {
        if let [lo, hi] = pair {
            *lo = (b & 15) as i8;
            *hi = (b >> 4) as i8;
        }
    }
    // Carry so every digit but the last lies in [-8, 8); the last stays
    // at most 8 because the top bit of the scalar is clear.
    let mut carry = 0i8;
    for d in digits.iter_mut() {
        // Wrapping ops: digits stay within [-8, 16], but overflow checks
        // would be secret-dependent branches in test builds.
        *d = d.wrapping_add(carry);
        carry = d.wrapping_add(8) >> 4;
        *d = d.wrapping_sub(carry << 4);
    }
    if let Some(last) = digits.last_mut() {
        *last = last.wrapping_add(carry << 4);
    }
    digits
}

/// The width-`w` non-adjacent form of a scalar below 2^255: digits odd
/// and below 2^(w-1) in absolute value, at least `w - 1` zeros between
/// nonzero digits. Variable time: public scalars only.
fn naf_vartime(bytes: &[u8; 32], w: usize) -> [i8; 256] {
    let mut naf = [0i8; 256];
    let bit = |i: usize| -> u32 { bytes.get(i / 8).map_or(0, |b| u32::from(b >> (i % 8) & 1)) };
    let width = 1u32 << w;
    let mut carry = 0u32;
    let mut pos = 0usize;
    while pos < 256 {
        let mut window = carry;
        for k in 0..w {
            window += bit(pos + k) << k;
        }
        if window & 1 == 0 {
            // The digit here is zero; a pending carry moves up one bit.
            pos += 1;
            continue;
        }
        if let Some(slot) = naf.get_mut(pos) {
            if window < width / 2 {
                carry = 0;
                *slot = window as i8;
            } else {
                carry = 1;
                *slot = (window as i32 - width as i32) as i8;
            }
        }
        pos += w;
    }
    naf
}

impl EdwardsPoint {
    /// The neutral element (0, 1).
    pub(crate) const IDENTITY: EdwardsPoint = EdwardsPoint { x: Fe::ZERO, y: Fe::ONE, z: Fe::ONE, t: Fe::ZERO };

    /// The base point B of RFC 8032 (y = 4/5, x even).
    pub(crate) const BASEPOINT: EdwardsPoint = EdwardsPoint {
        x: Fe([0x62d608f25d51a, 0x412a4b4f6592a, 0x75b7171a4b31d, 0x1ff60527118fe, 0x216936d3cd6e5]),
        y: Fe([0x6666666666658, 0x4cccccccccccc, 0x1999999999999, 0x3333333333333, 0x6666666666666]),
        z: Fe::ONE,
        t: Fe([0x68ab3a5b7dda3, 0xeea2a5eadbb, 0x2af8df483c27e, 0x332b375274732, 0x67875f0fd78b7]),
    };

    /// RFC 8032 section 5.1.3 decoding, strict: the y coordinate must be
    /// canonical (below p), the point on the curve, and x = 0 must come
    /// with a clear sign bit. Constant time in the encoding.
    pub(crate) fn decompress(bytes: &[u8; 32]) -> Option<EdwardsPoint> {
        let y = Fe::from_bytes(bytes);
        let sign = Choice::from(bytes[31] >> 7);
        let yy = y.square();
        let u = yy.sub(&Fe::ONE);
        let v = yy.mul(&Fe::D).add(&Fe::ONE);
        let (is_square, mut x) = Fe::sqrt_ratio_m1(&u, &v);
        let bad_zero = x.is_zero() & sign;
        let neg = x.neg();
        x.conditional_assign(&neg, sign);
        let ok = is_square & Fe::is_canonical(bytes) & !bad_zero;
        bool::from(ok).then(|| EdwardsPoint { x, y, z: Fe::ONE, t: x.mul(&y) })
    }

    /// RFC 8032 encoding: y with the sign of x in the top bit.
    pub(crate) fn compress(&self) -> [u8; 32] {
        let zinv = self.z.invert();
        let x = self.x.mul(&zinv);
        let y = self.y.mul(&zinv);
        let mut s = y.to_bytes();
        s[31] ^= x.is_negative().unwrap_u8() << 7;
        s
    }

    fn to_projective(self) -> ProjectivePoint {
        ProjectivePoint { x: self.x, y: self.y, z: self.z }
    }

    pub(crate) fn to_projective_niels(self) -> ProjectiveNiels {
        ProjectiveNiels {
            y_plus_x: self.y.add(&self.x),
            y_minus_x: self.y.sub(&self.x),
            z: self.z,
            t2d: self.t.mul(&Fe::D2),
        }
    }

    #[inline(always)]
    fn add_niels(&self, q: &ProjectiveNiels) -> CompletedPoint {
        let pp = self.y.add(&self.x).mul(&q.y_plus_x);
        let mm = self.y.sub(&self.x).mul(&q.y_minus_x);
        let tt2d = self.t.mul(&q.t2d);
        let zz = self.z.mul(&q.z);
        let zz2 = zz.add(&zz);
        CompletedPoint { x: pp.sub(&mm), y: pp.add(&mm), z: zz2.add(&tt2d), t: zz2.sub(&tt2d) }
    }

    #[inline(always)]
    fn sub_niels(&self, q: &ProjectiveNiels) -> CompletedPoint {
        let pp = self.y.add(&self.x).mul(&q.y_minus_x);
        let mm = self.y.sub(&self.x).mul(&q.y_plus_x);
        let tt2d = self.t.mul(&q.t2d);
        let zz = self.z.mul(&q.z);
        let zz2 = zz.add(&zz);
        CompletedPoint { x: pp.sub(&mm), y: pp.add(&mm), z: zz2.sub(&tt2d), t: zz2.add(&tt2d) }
    }

    #[inline(always)]
    fn add_affine_niels(&self, q: &AffineNiels) -> CompletedPoint {
        let pp = self.y.add(&self.x).mul(&q.y_plus_x);
        let mm = self.y.sub(&self.x).mul(&q.y_minus_x);
        let txy2d = self.t.mul(&q.xy2d);
        let z2 = self.z.add(&self.z);
        CompletedPoint { x: pp.sub(&mm), y: pp.add(&mm), z: z2.add(&txy2d), t: z2.sub(&txy2d) }
    }

    #[inline(always)]
    fn sub_affine_niels(&self, q: &AffineNiels) -> CompletedPoint {
        let pp = self.y.add(&self.x).mul(&q.y_minus_x);
        let mm = self.y.sub(&self.x).mul(&q.y_plus_x);
        let txy2d = self.t.mul(&q.xy2d);
        let z2 = self.z.add(&self.z);
        CompletedPoint { x: pp.sub(&mm), y: pp.add(&mm), z: z2.sub(&txy2d), t: z2.add(&txy2d) }
    }

    /// `self + rhs`.
    pub(crate) fn add(&self, rhs: &EdwardsPoint) -> EdwardsPoint {
        self.add_niels(&rhs.to_projective_niels()).to_extended()
    }

    /// `self - rhs`.
    pub(crate) fn sub(&self, rhs: &EdwardsPoint) -> EdwardsPoint {
        self.sub_niels(&rhs.to_projective_niels()).to_extended()
    }

    /// `-self`.
    pub(crate) fn neg(&self) -> EdwardsPoint {
        EdwardsPoint { x: self.x.neg(), y: self.y, z: self.z, t: self.t.neg() }
    }

    /// `2 * self`.
    pub(crate) fn double(&self) -> EdwardsPoint {
        self.to_projective().double().to_extended()
    }

    /// `2^k * self`, k >= 1.
    pub(crate) fn mul_by_pow2(&self, k: u32) -> EdwardsPoint {
        let mut p = self.to_projective();
        for _ in 1..k {
            p = p.double().to_projective();
        }
        p.double().to_extended()
    }

    /// Whether `8 * self` is the identity (the point has small order).
    pub(crate) fn is_small_order(&self) -> Choice {
        self.mul_by_pow2(3).is_identity()
    }

    /// Whether this is the neutral element.
    pub(crate) fn is_identity(&self) -> Choice {
        self.ct_eq(&EdwardsPoint::IDENTITY)
    }

    /// `scalar * B`, constant time, from the precomputed radix-16 tables:
    /// 64 table additions and 4 doublings. `scalar` must be below 2^255
    /// (reduced scalars and clamped X25519/Ed25519 secrets both are).
    pub(crate) fn mul_base_bytes(scalar: &[u8; 32]) -> EdwardsPoint {
        let digits = radix16(scalar);
        let mut p = EdwardsPoint::IDENTITY;
        for (pair, table) in digits.chunks_exact(2).zip(BASEPOINT_TABLE.iter()) {
            if let [_, odd] = pair {
                p = p.add_affine_niels(&select_affine(table, *odd)).to_extended();
            }
        }
        p = p.mul_by_pow2(4);
        for (pair, table) in digits.chunks_exact(2).zip(BASEPOINT_TABLE.iter()) {
            if let [even, _] = pair {
                p = p.add_affine_niels(&select_affine(table, *even)).to_extended();
            }
        }
        p
    }

    /// `scalar * B`, constant time.
    pub(crate) fn mul_base(scalar: &Scalar) -> EdwardsPoint {
        Self::mul_base_bytes(&scalar.to_bytes())
    }

    /// `scalar * self`, constant time (fixed 4-bit signed windows over a
    /// table of 1..8 times the point).
    pub(crate) fn mul_bytes(&self, scalar: &[u8; 32]) -> EdwardsPoint {
        let mut table = [ProjectiveNiels::IDENTITY; 8];
        let mut multiple = *self;
        for entry in table.iter_mut() {
            *entry = multiple.to_projective_niels();
            multiple = multiple.add(self);
        }
        let digits = radix16(scalar);
        let mut p = EdwardsPoint::IDENTITY;
        for (i, d) in digits.iter().enumerate().rev() {
            let mut entry = ProjectiveNiels::IDENTITY;
            let abs = d.unsigned_abs();
            for (j, candidate) in (1u8..).zip(table.iter()) {
                entry.conditional_assign(candidate, abs.ct_eq(&j));
            }
            entry.conditional_negate(Choice::from((*d as u8) >> 7));
            p = p.add_niels(&entry).to_extended();
            if i > 0 {
                p = p.mul_by_pow2(4);
            }
        }
        p
    }

    /// `scalar * self`, constant time.
    pub(crate) fn mul(&self, scalar: &Scalar) -> EdwardsPoint {
        self.mul_bytes(&scalar.to_bytes())
    }

    /// `a * self + b * B` in variable time (interleaved width-5 / width-8
    /// NAF): for signature verification, where every input is public.
    pub(crate) fn double_scalar_mul_base_vartime(&self, a: &Scalar, b: &Scalar) -> EdwardsPoint {
        let a_naf = naf_vartime(&a.to_bytes(), 5);
        let b_naf = naf_vartime(&b.to_bytes(), 8);
        // Odd multiples 1, 3, ..., 15 of self.
        let mut odd = [self.to_projective_niels(); 8];
        let twice = self.double();
        let mut current = *self;
        for entry in odd.iter_mut().skip(1) {
            current = current.add(&twice);
            *entry = current.to_projective_niels();
        }
        let top =
            (0..256).rev().find(|&i| a_naf.get(i).is_some_and(|&d| d != 0) || b_naf.get(i).is_some_and(|&d| d != 0));
        let mut r = ProjectivePoint { x: Fe::ZERO, y: Fe::ONE, z: Fe::ONE };
        let Some(top) = top else { return EdwardsPoint::IDENTITY };
        for i in (0..=top).rev() {
            let mut t = r.double().to_extended();
            let (ad, bd) = (a_naf.get(i).copied().unwrap_or(0), b_naf.get(i).copied().unwrap_or(0));
            if let Some(e) = odd.get(usize::from(ad.unsigned_abs() / 2)).filter(|_| ad != 0) {
                t = if ad > 0 { t.add_niels(e) } else { t.sub_niels(e) }.to_extended();
            }
            if let Some(e) = BASEPOINT_ODD_MULTIPLES.get(usize::from(bd.unsigned_abs() / 2)).filter(|_| bd != 0) {
                t = if bd > 0 { t.add_affine_niels(e) } else { t.sub_affine_niels(e) }.to_extended();
            }
            r = t.to_projective();
        }
        EdwardsPoint { x: r.x.mul(&r.z), y: r.y.mul(&r.z), z: r.z.square(), t: r.x.mul(&r.y) }
    }
}

/// `digit * table[0]` for a digit in [-8, 8], by a constant-time scan.
fn select_affine(table: &[AffineNiels; 8], digit: i8) -> AffineNiels {
    let abs = digit.unsigned_abs();
    let mut entry = AffineNiels::IDENTITY;
    for (j, candidate) in (1u8..).zip(table.iter()) {
        entry.conditional_assign(candidate, abs.ct_eq(&j));
    }
    entry.conditional_negate(Choice::from((digit as u8) >> 7));
    entry
}

impl ConstantTimeEq for EdwardsPoint {
    fn ct_eq(&self, other: &Self) -> Choice {
        self.x.mul(&other.z).ct_eq(&other.x.mul(&self.z)) & self.y.mul(&other.z).ct_eq(&other.y.mul(&self.z))
    }
}

impl ConditionallySelectable for EdwardsPoint {
    fn conditional_select(a: &Self, b: &Self, c: Choice) -> Self {
        EdwardsPoint {
            x: Fe::conditional_select(&a.x, &b.x, c),
            y: Fe::conditional_select(&a.y, &b.y, c),
            z: Fe::conditional_select(&a.z, &b.z, c),
            t: Fe::conditional_select(&a.t, &b.t, c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn affine_niels(p: &EdwardsPoint) -> [[u8; 32]; 3] {
        let zinv = p.z.invert();
        let (x, y) = (p.x.mul(&zinv), p.y.mul(&zinv));
        [y.add(&x).to_bytes(), y.sub(&x).to_bytes(), x.mul(&y).mul(&Fe::D2).to_bytes()]
    }

    fn stored(n: &AffineNiels) -> [[u8; 32]; 3] {
        [n.y_plus_x.to_bytes(), n.y_minus_x.to_bytes(), n.xy2d.to_bytes()]
    }

    #[test]
    fn tables_match_the_point_arithmetic() {
        let b = EdwardsPoint::BASEPOINT;
        let mut base = b;
        for row in BASEPOINT_TABLE.iter() {
            let mut p = base;
            for entry in row {
                assert_eq!(stored(entry), affine_niels(&p));
                p = p.add(&base);
            }
            base = base.mul_by_pow2(8);
        }
        let mut p = b;
        for entry in BASEPOINT_ODD_MULTIPLES.iter() {
            assert_eq!(stored(entry), affine_niels(&p));
            p = p.add(&b.double());
        }
    }

    #[test]
    fn basepoint_encodes_as_rfc8032() {
        let mut enc = [0x66u8; 32];
        enc[0] = 0x58;
        assert_eq!(EdwardsPoint::BASEPOINT.compress(), enc);
        let p = EdwardsPoint::decompress(&enc).unwrap();
        assert!(bool::from(p.ct_eq(&EdwardsPoint::BASEPOINT)));
    }

    #[test]
    fn multiplications_agree() {
        let s = Scalar::from_bytes_mod_order_wide(&[0x37; 64]);
        let t = Scalar::from_bytes_mod_order_wide(&[0x99; 64]);
        let b = EdwardsPoint::BASEPOINT;
        let sb = EdwardsPoint::mul_base(&s);
        assert!(bool::from(sb.ct_eq(&b.mul(&s))));
        let p = EdwardsPoint::mul_base(&t);
        let expected = p.mul(&s).add(&EdwardsPoint::mul_base(&t));
        assert!(bool::from(p.double_scalar_mul_base_vartime(&s, &t).ct_eq(&expected)));
        assert!(bool::from(p.double_scalar_mul_base_vartime(&Scalar::ZERO, &Scalar::ZERO).is_identity()));
        // Group order: L * B = identity; (L - 1) * B = -B.
        let minus_one = -Scalar::ONE;
        assert!(bool::from(EdwardsPoint::mul_base(&minus_one).ct_eq(&b.neg())));
        assert!(bool::from(b.mul(&minus_one).add(&b).is_identity()));
        assert!(bool::from(sb.sub(&sb).is_identity()));
        assert!(bool::from(!b.is_small_order()));
        // Decompress round trip of a random-looking point.
        let enc = sb.compress();
        assert_eq!(EdwardsPoint::decompress(&enc).unwrap().compress(), enc);
    }

    #[test]
    fn decompress_rejects_bad_encodings() {
        // y = p (non-canonical 0... encodes y = 0, which is on the curve).
        let mut p_enc = [0xffu8; 32];
        p_enc[0] = 0xed;
        p_enc[31] = 0x7f;
        assert!(EdwardsPoint::decompress(&p_enc).is_none());
        // y = 1 with the sign bit set: x = 0 cannot be negative.
        let mut one = [0u8; 32];
        one[0] = 1;
        assert!(EdwardsPoint::decompress(&one).is_some());
        one[31] = 0x80;
        assert!(EdwardsPoint::decompress(&one).is_none());
        // y = 2 is not on the curve.
        let mut two = [0u8; 32];
        two[0] = 2;
        assert!(EdwardsPoint::decompress(&two).is_none());
    }
}
