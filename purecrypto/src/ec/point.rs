//! Points in projective coordinates `(X : Y : Z)` with the complete
//! addition formulas of Renes, Costello and Batina (EUROCRYPT 2016):
//! Algorithm 4 for `a = -3` and Algorithm 7 for `a = 0`. "Complete" means
//! one straight-line formula handles doubling, the identity and inverse
//! pairs, so scalar multiplication needs no branch on secret data.
//!
//! On x86_64 with BMI2 and ADX, [`ProjectivePoint::add`],
//! [`ProjectivePoint::double`], [`ProjectivePoint::mul`] and
//! [`ProjectivePoint::mul2_vartime`] run their `mulx` builds from
//! `crate::arch::x86_ec` (one dispatch per point operation keeps the
//! field products inlined in both builds).
//!
//! Entry points: [`ProjectivePoint::mul`] (constant-time, signed 5-bit
//! windows with a scanning table lookup, in Jacobian coordinates:
//! `point/jacobian.rs`), [`ProjectivePoint::mul_base`] (constant-time,
//! precomputed [`BaseTable`] of the generator: one mixed Jacobian +
//! affine addition per signed 6-bit window and no doublings,
//! `point/jacobian/fixed_base.rs`), [`ProjectivePoint::mul2_vartime`]
//! (`a*G + b*Q` for verification only, on public values, wNAF in
//! Jacobian coordinates; secp256k1 splits both products by its
//! endomorphism, `point/jacobian/glv.rs`), and SEC1 encoding with
//! [`ProjectivePoint::to_sec1`] / [`ProjectivePoint::from_sec1`] (every
//! decoded point is checked to be on the curve; the identity is
//! rejected).

use alloc::vec::Vec;
use core::fmt;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, CtOption};

use super::curve::Curve;
use super::field::Field;
use crate::Error;

pub(crate) mod jacobian;

/// The longest scalar or coordinate encoding (P-521: 66 bytes).
pub(crate) const MAX_BYTES: usize = 66;

/// A curve point in projective coordinates; `Z = 0` is the identity.
pub struct ProjectivePoint<C: Curve> {
    x: C::Fe,
    y: C::Fe,
    z: C::Fe,
}

impl<C: Curve> Clone for ProjectivePoint<C> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<C: Curve> Copy for ProjectivePoint<C> {}

impl<C: Curve> fmt::Debug for ProjectivePoint<C> {
    /// Points can be secret intermediates (`k*G` before `r` is taken), so
    /// only the curve is named.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ProjectivePoint<{}>(..)", C::NAME)
    }
}

impl<C: Curve> ConditionallySelectable for ProjectivePoint<C> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: C::Fe::conditional_select(&a.x, &b.x, choice),
            y: C::Fe::conditional_select(&a.y, &b.y, choice),
            z: C::Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl<C: Curve> ConstantTimeEq for ProjectivePoint<C> {
    fn ct_eq(&self, other: &Self) -> Choice {
        // X1/Z1 == X2/Z2 and Y1/Z1 == Y2/Z2, cross-multiplied; two
        // identities (Z = 0, Y != 0) compare equal, an identity never
        // equals a finite point.
        let x = self.x.mul(&other.z).ct_eq(&other.x.mul(&self.z));
        let y = self.y.mul(&other.z).ct_eq(&other.y.mul(&self.z));
        let both_inf = self.z.is_zero() & other.z.is_zero();
        let neither_inf = !self.z.is_zero() & !other.z.is_zero();
        both_inf | (neither_inf & x & y)
    }
}

impl<C: Curve> PartialEq for ProjectivePoint<C> {
    fn eq(&self, other: &Self) -> bool {
        self.ct_eq(other).unwrap_u8() == 1
    }
}
impl<C: Curve> Eq for ProjectivePoint<C> {}

impl<C: Curve> Default for ProjectivePoint<C> {
    fn default() -> Self {
        Self::IDENTITY
    }
}

/// Big-endian scalar bytes in a fixed buffer (only the first
/// `C::Scalar::BYTES` are meaningful).
pub(crate) fn scalar_bytes<C: Curve>(k: &C::Scalar) -> ([u8; MAX_BYTES], usize) {
    let mut buf = [0u8; MAX_BYTES];
    let len = C::Scalar::BYTES.min(MAX_BYTES);
    if let Some(out) = buf.get_mut(..len) {
        k.write_be_bytes(out);
    }
    (buf, len)
}

impl<C: Curve> ProjectivePoint<C> {
    /// The point at infinity.
    pub const IDENTITY: Self = Self { x: C::Fe::ZERO, y: C::Fe::ONE, z: C::Fe::ZERO };

    /// The curve's generator `G`.
    #[must_use]
    pub fn generator() -> Self {
        Self { x: C::GX, y: C::GY, z: C::Fe::ONE }
    }

    /// Whether this is the identity.
    #[must_use]
    pub fn is_identity(&self) -> Choice {
        self.z.is_zero()
    }

    /// `self + other` (complete: valid for every pair of inputs).
    #[must_use]
    #[inline]
    pub fn add(&self, other: &Self) -> Self {
        #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
        if let Some(r) = crate::arch::x86_ec::point_add(self, other) {
            return r;
        }
        self.add_portable(other)
    }

    /// The body of [`Self::add`]: the field code is inlined, so each
    /// backend (`crate::arch::x86_ec`) compiles its own build of it.
    #[inline(always)]
    pub(crate) fn add_portable(&self, other: &Self) -> Self {
        if C::A_IS_MINUS_3 { self.add_a_minus_3(other) } else { self.add_a_zero(other) }
    }

    /// `2 * self` (complete, exception-free doubling formulas).
    #[must_use]
    #[inline]
    pub fn double(&self) -> Self {
        #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
        if let Some(r) = crate::arch::x86_ec::point_double(self) {
            return r;
        }
        self.double_portable()
    }

    /// The body of [`Self::double`], built per backend like
    /// [`Self::add_portable`].
    #[inline(always)]
    pub(crate) fn double_portable(&self) -> Self {
        if C::A_IS_MINUS_3 { self.double_a_minus_3() } else { self.double_a_zero() }
    }

    /// RCB16 Algorithm 6 (doubling, `a = -3`): 8M + 3S instead of the
    /// addition's 12M.
    #[inline(always)]
    fn double_a_minus_3(&self) -> Self {
        let b = C::B;
        let (x, y, z) = (&self.x, &self.y, &self.z);
        let mut t0 = x.square();
        let t1 = y.square();
        let mut t2 = z.square();
        let mut t3 = x.mul(y);
        t3 = t3.add(&t3);
        let mut z3 = x.mul(z);
        z3 = z3.add(&z3);
        let mut y3 = b.mul(&t2);
        y3 = y3.sub(&z3);
        let mut x3 = y3.add(&y3);
        y3 = x3.add(&y3);
        x3 = t1.sub(&y3);
        y3 = t1.add(&y3);
        y3 = x3.mul(&y3);
        x3 = x3.mul(&t3);
        t3 = t2.add(&t2);
        t2 = t2.add(&t3);
        z3 = b.mul(&z3);
        z3 = z3.sub(&t2);
        z3 = z3.sub(&t0);
        t3 = z3.add(&z3);
        z3 = z3.add(&t3);
        t3 = t0.add(&t0);
        t0 = t3.add(&t0);
        t0 = t0.sub(&t2);
        t0 = t0.mul(&z3);
        y3 = y3.add(&t0);
        t0 = y.mul(z);
        t0 = t0.add(&t0);
        z3 = t0.mul(&z3);
        x3 = x3.sub(&z3);
        z3 = t0.mul(&t1);
        z3 = z3.add(&z3);
        z3 = z3.add(&z3);
        Self { x: x3, y: y3, z: z3 }
    }

    /// RCB16 Algorithm 9 (doubling, `a = 0`): 6M + 2S.
    #[inline(always)]
    fn double_a_zero(&self) -> Self {
        let b3 = C::B3;
        let (x, y, z) = (&self.x, &self.y, &self.z);
        let mut t0 = y.square();
        let mut z3 = t0.add(&t0);
        z3 = z3.add(&z3);
        z3 = z3.add(&z3);
        let mut t1 = y.mul(z);
        let mut t2 = z.square();
        t2 = b3.mul(&t2);
        let mut x3 = t2.mul(&z3);
        let mut y3 = t0.add(&t2);
        z3 = t1.mul(&z3);
        t1 = t2.add(&t2);
        t2 = t1.add(&t2);
        t0 = t0.sub(&t2);
        y3 = t0.mul(&y3);
        y3 = x3.add(&y3);
        t1 = x.mul(y);
        x3 = t0.mul(&t1);
        x3 = x3.add(&x3);
        Self { x: x3, y: y3, z: z3 }
    }

    /// `-self`.
    #[must_use]
    pub fn neg(&self) -> Self {
        Self { x: self.x, y: self.y.neg(), z: self.z }
    }

    /// RCB16 Algorithm 4 (complete addition, `a = -3`).
    #[inline(always)]
    fn add_a_minus_3(&self, o: &Self) -> Self {
        let b = C::B;
        let (x1, y1, z1, x2, y2, z2) = (&self.x, &self.y, &self.z, &o.x, &o.y, &o.z);
        let mut t0 = x1.mul(x2);
        let mut t1 = y1.mul(y2);
        let mut t2 = z1.mul(z2);
        let mut t3 = x1.add(y1);
        let mut t4 = x2.add(y2);
        t3 = t3.mul(&t4);
        t4 = t0.add(&t1);
        t3 = t3.sub(&t4);
        t4 = y1.add(z1);
        let mut x3 = y2.add(z2);
        t4 = t4.mul(&x3);
        x3 = t1.add(&t2);
        t4 = t4.sub(&x3);
        x3 = x1.add(z1);
        let mut y3 = x2.add(z2);
        x3 = x3.mul(&y3);
        y3 = t0.add(&t2);
        y3 = x3.sub(&y3);
        let mut z3 = b.mul(&t2);
        x3 = y3.sub(&z3);
        z3 = x3.add(&x3);
        x3 = x3.add(&z3);
        z3 = t1.sub(&x3);
        x3 = t1.add(&x3);
        y3 = b.mul(&y3);
        t1 = t2.add(&t2);
        t2 = t1.add(&t2);
        y3 = y3.sub(&t2);
        y3 = y3.sub(&t0);
        t1 = y3.add(&y3);
        y3 = t1.add(&y3);
        t1 = t0.add(&t0);
        t0 = t1.add(&t0);
        t0 = t0.sub(&t2);
        t1 = t4.mul(&y3);
        t2 = t0.mul(&y3);
        y3 = x3.mul(&z3);
        y3 = y3.add(&t2);
        x3 = x3.mul(&t3);
        x3 = x3.sub(&t1);
        z3 = z3.mul(&t4);
        t1 = t3.mul(&t0);
        z3 = z3.add(&t1);
        Self { x: x3, y: y3, z: z3 }
    }

    /// RCB16 Algorithm 7 (complete addition, `a = 0`).
    #[inline(always)]
    fn add_a_zero(&self, o: &Self) -> Self {
        let b3 = C::B3;
        let (x1, y1, z1, x2, y2, z2) = (&self.x, &self.y, &self.z, &o.x, &o.y, &o.z);
        let mut t0 = x1.mul(x2);
        let mut t1 = y1.mul(y2);
        let mut t2 = z1.mul(z2);
        let mut t3 = x1.add(y1);
        let mut t4 = x2.add(y2);
        t3 = t3.mul(&t4);
        t4 = t0.add(&t1);
        t3 = t3.sub(&t4);
        t4 = y1.add(z1);
        let mut x3 = y2.add(z2);
        t4 = t4.mul(&x3);
        x3 = t1.add(&t2);
        t4 = t4.sub(&x3);
        x3 = x1.add(z1);
        let mut y3 = x2.add(z2);
        x3 = x3.mul(&y3);
        y3 = t0.add(&t2);
        y3 = x3.sub(&y3);
        x3 = t0.add(&t0);
        t0 = x3.add(&t0);
        t2 = b3.mul(&t2);
        let mut z3 = t1.add(&t2);
        t1 = t1.sub(&t2);
        y3 = b3.mul(&y3);
        x3 = t4.mul(&y3);
        t2 = t3.mul(&t1);
        x3 = t2.sub(&x3);
        y3 = y3.mul(&t0);
        t1 = t1.mul(&z3);
        y3 = t1.add(&y3);
        t0 = t0.mul(&t3);
        z3 = z3.mul(&t4);
        z3 = z3.add(&t0);
        Self { x: x3, y: y3, z: z3 }
    }

    /// `k * self` in constant time: signed 5-bit (Booth) windows, every
    /// window does five doublings and one addition of a scanned table
    /// entry, in Jacobian coordinates (see `point/jacobian.rs` for why its
    /// incomplete addition is safe here).
    #[must_use]
    pub fn mul(&self, k: &C::Scalar) -> Self {
        let (buf, len) = scalar_bytes::<C>(k);
        let k = buf.get(..len).unwrap_or_default();
        #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
        if let Some(r) = crate::arch::x86_ec::point_mul(self, k) {
            return r;
        }
        jacobian::mul_ct(self, k)
    }

    /// `k * G` in constant time through the precomputed comb of affine
    /// multiples (`point/jacobian/fixed_base.rs`), or [`Self::mul`] when
    /// no table is available.
    #[must_use]
    pub fn mul_base(k: &C::Scalar) -> Self {
        let Some(table) = C::base_table() else {
            return Self::generator().mul(k);
        };
        let (buf, len) = scalar_bytes::<C>(k);
        let k = buf.get(..len).unwrap_or_default();
        #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
        if let Some(r) = crate::arch::x86_ec::mul_base(&table.comb, k) {
            return r;
        }
        jacobian::fixed_base::mul_base_ct(&table.comb, k)
    }

    /// `a * G + b * q` in variable time. Only for public inputs (ECDSA
    /// verification, key recovery): interleaved width-w NAF in Jacobian
    /// coordinates, see `point/jacobian.rs`.
    #[must_use]
    pub fn mul2_vartime(a: &C::Scalar, b: &C::Scalar, q: &Self) -> Self {
        let (abuf, alen) = scalar_bytes::<C>(a);
        let (bbuf, blen) = scalar_bytes::<C>(b);
        let (a, b) = (abuf.get(..alen).unwrap_or_default(), bbuf.get(..blen).unwrap_or_default());
        #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
        if let Some(r) = crate::arch::x86_ec::mul2_vartime(a, b, q) {
            return r;
        }
        jacobian::mul2_vartime(a, b, q)
    }

    /// Affine `(x, y)`, or none for the identity.
    #[must_use]
    pub fn to_affine(&self) -> CtOption<(C::Fe, C::Fe)> {
        let (x, y, finite) = self.affine_parts();
        CtOption::new((x, y), finite)
    }

    /// Affine `(x, y)` and whether the point is finite (for the identity
    /// the coordinates are zero), without a branch.
    #[must_use]
    pub fn affine_parts(&self) -> (C::Fe, C::Fe, Choice) {
        let zi = self.z.invert();
        (self.x.mul(&zi), self.y.mul(&zi), !self.is_identity())
    }

    /// The point with affine coordinates `(x, y)`, if it is on the curve.
    #[must_use]
    pub fn from_affine(x: C::Fe, y: C::Fe) -> CtOption<Self> {
        let on_curve = y.square().ct_eq(&curve_rhs::<C>(&x));
        CtOption::new(Self { x, y, z: C::Fe::ONE }, on_curve)
    }

    /// Checks `(x, y)`, given as big-endian coordinate bytes of exactly
    /// the field length, is a point on the curve.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] when a coordinate is out of range or the
    /// point is not on the curve.
    pub fn from_affine_bytes(x: &[u8], y: &[u8]) -> Result<Self, Error> {
        let x = Option::<C::Fe>::from(C::Fe::from_be_bytes(x))
            .ok_or(Error::InvalidKey { reason: "EC coordinate not below the field modulus" })?;
        let y = Option::<C::Fe>::from(C::Fe::from_be_bytes(y))
            .ok_or(Error::InvalidKey { reason: "EC coordinate not below the field modulus" })?;
        Option::from(Self::from_affine(x, y)).ok_or(Error::InvalidKey { reason: "point not on the curve" })
    }

    /// SEC1 encoding: `04 || X || Y`, or `02/03 || X` when `compress`.
    ///
    /// # Errors
    /// [`Error::InvalidKey`] for the identity, which has no encoding here.
    pub fn to_sec1(&self, compress: bool) -> Result<Vec<u8>, Error> {
        let (x, y) = Option::<(C::Fe, C::Fe)>::from(self.to_affine())
            .ok_or(Error::InvalidKey { reason: "the identity point has no SEC1 encoding" })?;
        let l = C::Fe::BYTES;
        let mut out = alloc::vec![0u8; if compress { 1 + l } else { 1 + 2 * l }];
        let (tag, rest) = out.split_first_mut().ok_or(Error::InvalidKey { reason: "empty encoding" })?;
        let (xs, ys) = rest.split_at_mut(l);
        x.write_be_bytes(xs);
        if compress {
            *tag = 0x02 | y.is_odd().unwrap_u8();
        } else {
            *tag = 0x04;
            y.write_be_bytes(ys);
        }
        Ok(out)
    }

    /// Decodes a SEC1 point (uncompressed or compressed) and checks it is
    /// on the curve. The identity (`00`) and hybrid forms are rejected.
    ///
    /// # Errors
    /// [`Error::Malformed`] for a bad length or tag, [`Error::InvalidKey`]
    /// for a point not on the curve or an x with no square root.
    pub fn from_sec1(bytes: &[u8]) -> Result<Self, Error> {
        const WHAT: &str = "SEC1 EC point";
        let l = C::Fe::BYTES;
        let (&tag, rest) = bytes.split_first().ok_or(Error::Malformed { what: WHAT, reason: "empty" })?;
        match tag {
            0x04 if rest.len() == 2 * l => {
                let (x, y) = rest.split_at(l);
                Self::from_affine_bytes(x, y)
            }
            0x02 | 0x03 if rest.len() == l => {
                let x = Option::<C::Fe>::from(C::Fe::from_be_bytes(rest))
                    .ok_or(Error::InvalidKey { reason: "EC coordinate not below the field modulus" })?;
                let y = Option::<C::Fe>::from(curve_rhs::<C>(&x).sqrt())
                    .ok_or(Error::InvalidKey { reason: "x has no point on the curve" })?;
                let want_odd = Choice::from(tag & 1);
                let y = C::Fe::conditional_select(&y, &y.neg(), y.is_odd() ^ want_odd);
                Ok(Self { x, y, z: C::Fe::ONE })
            }
            0x00 => Err(Error::InvalidKey { reason: "the identity point is not a valid public key" }),
            0x02..=0x04 => Err(Error::Malformed { what: WHAT, reason: "wrong length for the curve" }),
            _ => Err(Error::Malformed { what: WHAT, reason: "unknown or unsupported tag" }),
        }
    }

    /// The affine x-coordinate as big-endian bytes (`C::Fe::BYTES` long),
    /// or none for the identity.
    #[must_use]
    pub fn x_bytes(&self) -> CtOption<Vec<u8>> {
        let zi = self.z.invert();
        let x = self.x.mul(&zi);
        let mut out = alloc::vec![0u8; C::Fe::BYTES];
        x.write_be_bytes(&mut out);
        CtOption::new(out, !self.is_identity())
    }

    /// Whether the affine x of this (public) point, reduced mod `n`,
    /// equals `r` (ECDSA verification), without an inversion: compares
    /// `X == r * Z`, and `X == (r + n) * Z` when `r + n < p`.
    pub(crate) fn x_matches_vartime(&self, r: &C::Scalar) -> bool {
        if self.is_identity().unwrap_u8() == 1 {
            return false;
        }
        let (rbuf, rlen) = scalar_bytes::<C>(r);
        let r_bytes = rbuf.get(..rlen).unwrap_or_default();
        // Re-encode r with the field's length (P-521: both 66 bytes; the
        // other curves: both 32 or 48).
        let Some(r_fe) = Option::<C::Fe>::from(C::Fe::from_be_bytes(r_bytes)) else {
            return false;
        };
        if self.x.ct_eq(&r_fe.mul(&self.z)).unwrap_u8() == 1 {
            return true;
        }
        // r + n < p  <=>  r < p - n.
        let mut p_minus_n = alloc::vec![0u8; C::Fe::BYTES];
        C::ORDER.neg().write_be_bytes(&mut p_minus_n);
        if r_bytes < p_minus_n.as_slice() {
            let rn = r_fe.add(&C::ORDER);
            return self.x.ct_eq(&rn.mul(&self.z)).unwrap_u8() == 1;
        }
        false
    }
}

/// `x^3 + a*x + b`.
pub(crate) fn curve_rhs<C: Curve>(x: &C::Fe) -> C::Fe {
    let x3 = x.square().mul(x);
    let with_b = x3.add(&C::B);
    if C::A_IS_MINUS_3 {
        let three_x = x.double().add(x);
        with_b.sub(&three_x)
    } else {
        with_b
    }
}

/// Multiples of the generator: the comb of affine multiples behind
/// [`ProjectivePoint::mul_base`] (see `point/jacobian/fixed_base.rs`)
/// and, for [`ProjectivePoint::mul2_vartime`], the affine odd multiples
/// `G, 3G, ..., 63G`.
pub struct BaseTable<C: Curve> {
    comb: jacobian::fixed_base::CombTable<C>,
    odd_affine: Vec<(C::Fe, C::Fe)>,
}

impl<C: Curve> fmt::Debug for BaseTable<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "BaseTable<{}>(..)", C::NAME)
    }
}

impl<C: Curve> BaseTable<C> {
    /// Builds the tables (a few milliseconds; once per process through
    /// [`Curve::base_table`]).
    #[must_use]
    pub fn new() -> Self {
        Self {
            comb: jacobian::fixed_base::CombTable::new(),
            odd_affine: jacobian::generator_odd_multiples_affine::<C>(),
        }
    }
}

impl<C: Curve> Default for BaseTable<C> {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ec::{P256, P384, P521, Secp256k1};

    fn check_group_laws<C: Curve>() {
        let g = ProjectivePoint::<C>::generator();
        let id = ProjectivePoint::<C>::IDENTITY;
        assert_eq!(g.add(&id), g);
        assert_eq!(id.add(&g), g);
        assert_eq!(g.add(&g.neg()), id);
        assert_eq!(g.double().add(&g), g.add(&g.double()));
        // The doubling formulas agree with the complete addition, also
        // for the identity and for points with Z != 1.
        assert_eq!(id.double(), id);
        let mut p = g;
        for _ in 0..20 {
            assert_eq!(p.double(), p.add(&p));
            p = p.double().add(&g);
        }
        let three = C::Scalar::from_u64(3);
        assert_eq!(g.mul(&three), g.double().add(&g));
        assert_eq!(ProjectivePoint::<C>::mul_base(&three), g.mul(&three));
        // (n - 1) * G = -G, and n * G = identity via (n-1)G + G.
        let minus_one = C::Scalar::ONE.neg();
        assert_eq!(ProjectivePoint::<C>::mul_base(&minus_one), g.neg());
        assert_eq!(g.mul(&minus_one).add(&g), id);
        let a = C::Scalar::from_u64(0x1234_5678_9abc);
        let b = C::Scalar::from_u64(0xfedc_ba98);
        let q = g.mul(&C::Scalar::from_u64(77));
        let want = ProjectivePoint::<C>::mul_base(&a).add(&q.mul(&b));
        assert_eq!(ProjectivePoint::<C>::mul2_vartime(&a, &b, &q), want);
        for compress in [false, true] {
            let enc = q.to_sec1(compress).unwrap();
            assert_eq!(ProjectivePoint::<C>::from_sec1(&enc).unwrap(), q);
        }
        assert!(id.to_sec1(false).is_err());
        assert!(ProjectivePoint::<C>::from_sec1(&[0]).is_err());
        let mut bad = g.to_sec1(false).unwrap();
        if let Some(last) = bad.last_mut() {
            *last ^= 1;
        }
        assert!(ProjectivePoint::<C>::from_sec1(&bad).is_err());
    }

    #[test]
    fn group_laws_p256() {
        check_group_laws::<P256>();
    }

    #[test]
    fn group_laws_p384() {
        check_group_laws::<P384>();
    }

    #[test]
    fn group_laws_p521() {
        check_group_laws::<P521>();
    }

    #[test]
    fn group_laws_secp256k1() {
        check_group_laws::<Secp256k1>();
    }
}
