//! Jacobian coordinates and width-w NAF recoding for the variable-time
//! double-scalar multiplication `a*G + b*Q` of ECDSA verification and key
//! recovery, where every input is public.
//!
//! Entry points: [`mul2_vartime`], and [`mul_ct`] (constant time, for
//! secret scalars: its additions meet no exceptional case, see there).
//! Jacobian `(X : Y : Z)` stands for
//! `(X/Z^2, Y/Z^3)`: doubling costs 3M + 5S for `a = -3` (dbl-2001-b) and
//! 2M + 5S for `a = 0` (dbl-2009-l), against 8M + 3S / 6M + 2S for the
//! complete projective formulas, and adding an affine point 7M + 4S
//! (madd-2007-bl). These formulas are not complete: the variable-time
//! additions branch on the exceptional cases (an identity operand, equal
//! or opposite points), which is only acceptable on public values; the
//! constant-time one selects around identity operands and is used only
//! where equal or opposite operands cannot occur. Formulas from the Explicit-Formulas Database (Bernstein and
//! Lange), written out here from their definitions.

use alloc::vec::Vec;

use subtle::{Choice, ConditionallySelectable};

use super::ProjectivePoint;
use crate::ec::curve::Curve;
use crate::ec::field::{Field, eq_mask};

pub(crate) mod fixed_base;
pub(crate) mod glv;

/// The NAF width for `Q`'s multiples, computed per call: 8 odd
/// multiples.
const Q_WINDOW: u32 = 5;
/// The NAF width for the generator, whose odd multiples are precomputed
/// once (affine, in `BaseTable`): 32 of them.
pub(super) const G_WINDOW: u32 = 7;

/// A point in Jacobian coordinates; `Z = 0` is the identity.
#[derive(Clone, Copy)]
struct Jacobian<C: Curve> {
    x: C::Fe,
    y: C::Fe,
    z: C::Fe,
}

/// Whether a field element is zero, as a plain bool (public values only).
fn zero<F: Field>(v: &F) -> bool {
    v.is_zero().unwrap_u8() == 1
}

impl<C: Curve> ConditionallySelectable for Jacobian<C> {
    #[inline(always)]
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        Self {
            x: C::Fe::conditional_select(&a.x, &b.x, choice),
            y: C::Fe::conditional_select(&a.y, &b.y, choice),
            z: C::Fe::conditional_select(&a.z, &b.z, choice),
        }
    }
}

impl<C: Curve> Jacobian<C> {
    const IDENTITY: Self = Self { x: C::Fe::ONE, y: C::Fe::ONE, z: C::Fe::ZERO };

    /// From homogeneous `(X : Y : Z)`: `(X*Z, Y*Z^2, Z)`.
    fn from_projective(p: &ProjectivePoint<C>) -> Self {
        let zz = p.z.square();
        Self { x: p.x.mul(&p.z), y: p.y.mul(&zz), z: p.z }
    }

    /// To homogeneous: `(X*Z, Y, Z^3)` has `X*Z / Z^3 = X / Z^2` and
    /// `Y / Z^3` as its affine coordinates.
    fn to_projective(self) -> ProjectivePoint<C> {
        let z3 = self.z.square().mul(&self.z);
        ProjectivePoint { x: self.x.mul(&self.z), y: self.y, z: z3 }
    }

    /// [`Self::to_projective`], with the identity mapped to the canonical
    /// `(0 : 1 : 0)` without a branch.
    fn to_projective_ct(self) -> ProjectivePoint<C> {
        let p = self.to_projective();
        ProjectivePoint::conditional_select(&p, &ProjectivePoint::IDENTITY, self.z.is_zero())
    }

    fn is_identity(&self) -> bool {
        zero(&self.z)
    }

    fn neg(&self) -> Self {
        Self { x: self.x, y: self.y.neg(), z: self.z }
    }

    /// `2 * self`; the identity doubles to itself (`Z3` is a multiple of
    /// `Z1`), and there are no points of order 2 on these curves.
    #[inline(always)]
    fn double(&self) -> Self {
        let (x1, y1, z1) = (&self.x, &self.y, &self.z);
        if C::A_IS_MINUS_3 {
            // dbl-2001-b.
            let delta = z1.square();
            let gamma = y1.square();
            let beta = x1.mul(&gamma);
            let t = x1.sub(&delta).mul(&x1.add(&delta));
            let alpha = t.double().add(&t);
            let beta4 = beta.double().double();
            let x3 = alpha.square().sub(&beta4.double());
            // (Y + Z)^2 - Y^2 - Z^2 rather than 2*Y*Z: with the field
            // additions in registers the two cost the same (measured).
            let z3 = y1.add(z1).square().sub(&gamma).sub(&delta);
            let gamma2 = gamma.square().double();
            let y3 = alpha.mul(&beta4.sub(&x3)).sub(&gamma2.double().double());
            Self { x: x3, y: y3, z: z3 }
        } else {
            // dbl-2009-l.
            let a = x1.square();
            let b = y1.square();
            let c = b.square();
            let d = x1.add(&b).square().sub(&a).sub(&c).double();
            let e = a.double().add(&a);
            let f = e.square();
            let x3 = f.sub(&d.double());
            let y3 = e.mul(&d.sub(&x3)).sub(&c.double().double().double());
            let z3 = y1.mul(z1).double();
            Self { x: x3, y: y3, z: z3 }
        }
    }

    /// `self + other` (add-2007-bl), branching on the exceptional cases.
    #[inline(always)]
    fn add(&self, o: &Self) -> Self {
        if self.is_identity() {
            return *o;
        }
        if o.is_identity() {
            return *self;
        }
        let (sum, h, r) = self.add_2007_bl(o);
        if zero(&h) {
            return if zero(&r) { self.double() } else { Self::IDENTITY };
        }
        sum
    }

    /// `self + o` in constant time, for operands that are never equal or
    /// opposite unless one is the identity (add-2007-bl; an identity
    /// operand is handled by selecting the other). [`mul_ct`] shows its
    /// operands meet that condition.
    #[inline(always)]
    fn add_distinct_ct(&self, o: &Self) -> Self {
        let (sum, _, _) = self.add_2007_bl(o);
        let sum = Self::conditional_select(&sum, o, self.z.is_zero());
        Self::conditional_select(&sum, self, o.z.is_zero())
    }

    /// `self + o` in constant time where the operands may also be equal
    /// (not opposite unless one is the identity): [`Self::add_distinct_ct`]
    /// with the doubling computed as well and selected when `H = R = 0`.
    #[inline(always)]
    fn add_ct(&self, o: &Self) -> Self {
        let (sum, h, r) = self.add_2007_bl(o);
        let sum = Self::conditional_select(&sum, &self.double(), h.is_zero() & r.is_zero());
        let sum = Self::conditional_select(&sum, o, self.z.is_zero());
        Self::conditional_select(&sum, self, o.z.is_zero())
    }

    /// The add-2007-bl formula for two non-identity Jacobian points, and
    /// its `H` and `R`: `H = 0` means equal or opposite operands (then the
    /// sum is wrong), `R = 0` as well means equal ones.
    #[inline(always)]
    fn add_2007_bl(&self, o: &Self) -> (Self, C::Fe, C::Fe) {
        let z1z1 = self.z.square();
        let z2z2 = o.z.square();
        let u1 = self.x.mul(&z2z2);
        let u2 = o.x.mul(&z1z1);
        let s1 = self.y.mul(&o.z).mul(&z2z2);
        let s2 = o.y.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&u1);
        let r = s2.sub(&s1).double();
        let i = h.double().square();
        let j = h.mul(&i);
        let v = u1.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&s1.mul(&j).double());
        let z3 = self.z.add(&o.z).square().sub(&z1z1).sub(&z2z2).mul(&h);
        (Self { x: x3, y: y3, z: z3 }, h, r)
    }

    /// `self + (x2, y2)` for an affine point (madd-2007-bl), branching on
    /// the exceptional cases.
    #[inline(always)]
    fn add_affine(&self, x2: &C::Fe, y2: &C::Fe) -> Self {
        if self.is_identity() {
            return Self { x: *x2, y: *y2, z: C::Fe::ONE };
        }
        let (sum, h, r) = self.madd_2007_bl(x2, y2);
        if zero(&h) {
            return if zero(&r) { self.double() } else { Self::IDENTITY };
        }
        sum
    }

    /// `self + (x2, y2)` in constant time, or `self` unchanged when `skip`
    /// is set (a zero digit of the fixed-base comb, whose `(x2, y2)` is
    /// then meaningless). An identity `self` is handled by selecting
    /// `(x2, y2, 1)`; equal or opposite operands must not occur (the
    /// caller shows they cannot, see `fixed_base`).
    #[inline(always)]
    pub(super) fn add_affine_ct(&self, x2: &C::Fe, y2: &C::Fe, skip: Choice) -> Self {
        let (sum, _, _) = self.madd_2007_bl(x2, y2);
        let sum = Self::conditional_select(&sum, &Self { x: *x2, y: *y2, z: C::Fe::ONE }, self.z.is_zero());
        Self::conditional_select(&sum, self, skip)
    }

    /// The madd-2007-bl formula (7M + 4S) for a non-identity `self` and an
    /// affine point, with its `H` and `R` as in [`Self::add_2007_bl`].
    #[inline(always)]
    fn madd_2007_bl(&self, x2: &C::Fe, y2: &C::Fe) -> (Self, C::Fe, C::Fe) {
        let z1z1 = self.z.square();
        let u2 = x2.mul(&z1z1);
        let s2 = y2.mul(&self.z).mul(&z1z1);
        let h = u2.sub(&self.x);
        let r = s2.sub(&self.y).double();
        let hh = h.square();
        let i = hh.double().double();
        let j = h.mul(&i);
        let v = self.x.mul(&i);
        let x3 = r.square().sub(&j).sub(&v.double());
        let y3 = r.mul(&v.sub(&x3)).sub(&self.y.mul(&j).double());
        let z3 = self.z.add(&h).square().sub(&z1z1).sub(&hh);
        (Self { x: x3, y: y3, z: z3 }, h, r)
    }
}

/// The window of [`mul_ct`]: signed (Booth) digits of this many bits,
/// in `[-2^(W-1), 2^(W-1)]`.
const CT_WINDOW: usize = 5;
/// Entries of [`mul_ct`]'s table: `0 * p` (the identity) to `2^(W-1) * p`.
const CT_ENTRIES: usize = (1 << (CT_WINDOW - 1)) + 1;

/// `table[index]` by scanning every entry (the access pattern does not
/// depend on `index`).
#[inline(always)]
fn lookup_ct<C: Curve>(table: &[Jacobian<C>; CT_ENTRIES], index: u32) -> Jacobian<C> {
    let mut out = Jacobian::IDENTITY;
    for (i, entry) in (0u32..).zip(table.iter()) {
        let hit = eq_mask(i, index);
        Field::assign_masked(&mut out.x, &entry.x, hit);
        Field::assign_masked(&mut out.y, &entry.y, hit);
        Field::assign_masked(&mut out.z, &entry.z, hit);
    }
    out
}

/// Bit `i` of the big-endian integer `k_be` (zero past its length). The
/// index is public; only the value read is secret.
#[inline(always)]
fn be_bit(k_be: &[u8], i: usize) -> u32 {
    let Some(byte) = k_be.len().checked_sub(1 + i / 8).and_then(|at| k_be.get(at)) else {
        return 0;
    };
    u32::from(byte >> (i % 8)) & 1
}

/// The Booth digit of window `i` of `k_be` for `W`-bit windows, as
/// `(|d|, d < 0)` without a branch: with `v` the `W + 1` bits
/// `k[W*i - 1 ..= W*i + W - 1]` (bit `-1` is zero),
/// `d = ((v + 1) >> 1) - 2^W * v[W]`, in `[-2^(W-1), 2^(W-1)]`. Shared
/// by [`mul_ct`] and the fixed-base comb.
#[inline(always)]
fn booth_digit<const W: usize>(k_be: &[u8], i: usize) -> (u32, Choice) {
    let mut v = 0u32;
    for t in 0..=W {
        if let Some(pos) = (W * i + t).checked_sub(1) {
            v |= be_bit(k_be, pos) << t;
        }
    }
    let neg = v >> W;
    let d = (v.wrapping_add(1) >> 1).wrapping_sub(neg << W);
    let mask = 0u32.wrapping_sub(neg);
    ((d ^ mask).wrapping_sub(mask), Choice::from(neg as u8))
}

/// `k * p` in constant time for a scalar `k < n` given as big-endian
/// bytes (`p` of prime order `n`, or the identity): signed (Booth)
/// digits of [`CT_WINDOW`] bits, per window `W` Jacobian doublings and
/// one addition of a scanned table entry `|d| * p`, negated under a mask
/// when `d < 0`.
///
/// The addition is not complete, so its exceptions must be ruled out or
/// handled. Write `k_i = sum_(j >= i) d_j 2^(W(j-i))`: Booth digits make
/// it `floor(k / 2^(Wi)) + k[Wi - 1]`, so `0 <= k_i`, and `k_0 = k`.
/// Before the addition of digit `d = d_i` the accumulator is `A * p` with
/// `A = 2^W * k_(i+1) >= 0`. When `A = 0` or `d = 0` an operand is the
/// identity, which [`Jacobian::add_distinct_ct`] selects around (the
/// zero digit's entry is the identity). Otherwise `A >= 2^W > |d|`:
/// - opposite operands need `A + d = k_i = 0 (mod n)`, but
///   `0 < k_i < n` (`k_i <= k`, or `k_i = k` for `i = 0`);
/// - equal operands need `A - d = 0 (mod n)` where `0 < A - d`; for
///   `i >= 1`, `A - d <= k / 2^W + 2^W + 2^(W-1) < n`. For `i = 0` it is
///   `k - 2d`, which can be `n` for some orders (`k = n + 2d` with
///   `d < 0`), so the last window's addition also computes the doubling
///   and selects it when `H = R = 0`, in constant time.
///
/// The table `j * p` for `j` in `2..=2^(W-1)` is a doubling of
/// `(j / 2) * p` for even `j` and `(j - 1) * p + p` for odd `j`, never
/// equal or opposite operands since `n > 2^W`.
///
/// A curve with an endomorphism takes `glv::mul_ct` instead, which
/// halves the doublings.
#[inline(always)]
pub(crate) fn mul_ct<C: Curve>(p: &ProjectivePoint<C>, k_be: &[u8]) -> ProjectivePoint<C> {
    if let Some(endo) = &C::GLV {
        return glv::mul_ct(endo, p, k_be);
    }
    mul_ct_plain(p, k_be)
}

/// `0, P, 2P, ..., (CT_ENTRIES - 1)P` for the constant-time windowed
/// multiplications (with and without the endomorphism).
fn ct_table<C: Curve>(base: &Jacobian<C>) -> [Jacobian<C>; CT_ENTRIES] {
    let mut table = [Jacobian::<C>::IDENTITY; CT_ENTRIES];
    for j in 1..CT_ENTRIES {
        let entry = if j == 1 {
            *base
        } else if j % 2 == 0 {
            table.get(j / 2).map_or(Jacobian::IDENTITY, Jacobian::double)
        } else {
            table.get(j - 1).map_or(Jacobian::IDENTITY, |prev| prev.add_distinct_ct(base))
        };
        if let Some(slot) = table.get_mut(j) {
            *slot = entry;
        }
    }
    table
}

/// [`mul_ct`] without the endomorphism.
#[inline(always)]
pub(crate) fn mul_ct_plain<C: Curve>(p: &ProjectivePoint<C>, k_be: &[u8]) -> ProjectivePoint<C> {
    let base = Jacobian::from_projective(p);
    let table = ct_table(&base);
    let windows = (8 * k_be.len() + 1).div_ceil(CT_WINDOW);
    let mut acc = Jacobian::<C>::IDENTITY;
    for i in (0..windows).rev() {
        for _ in 0..CT_WINDOW {
            acc = acc.double();
        }
        let (abs, neg) = booth_digit::<CT_WINDOW>(k_be, i);
        let mut q = lookup_ct(&table, abs);
        q.y = C::Fe::conditional_select(&q.y, &q.y.neg(), neg);
        acc = if i == 0 { acc.add_ct(&q) } else { acc.add_distinct_ct(&q) };
    }
    acc.to_projective_ct()
}

/// The width-`w` NAF of a big-endian integer, least significant digit
/// first: every nonzero digit is odd, below `2^(w-1)` in absolute value,
/// and followed by at least `w - 1` zeros.
fn wnaf(be: &[u8], w: u32) -> Vec<i8> {
    // Little-endian limbs with one spare limb for the carries of
    // negative digits.
    let mut k: Vec<u64> = alloc::vec![0; be.len().div_ceil(8) + 1];
    for (i, &byte) in be.iter().rev().enumerate() {
        if let Some(limb) = k.get_mut(i / 8) {
            *limb |= u64::from(byte) << (8 * (i % 8));
        }
    }
    let mut digits = Vec::with_capacity(8 * be.len() + 1);
    let modulus = 1u64 << w;
    while k.iter().any(|&l| l != 0) {
        let low = k.first().copied().unwrap_or(0);
        let mut digit = 0i8;
        if low & 1 == 1 {
            let d = low & (modulus - 1);
            if d >= modulus / 2 {
                // Negative digit d - 2^w: k += 2^w - d (clears the low w bits).
                digit = (d as i64 - modulus as i64) as i8;
                let mut carry = modulus - d;
                for limb in &mut k {
                    let (s, c) = limb.overflowing_add(carry);
                    *limb = s;
                    carry = u64::from(c);
                    if carry == 0 {
                        break;
                    }
                }
            } else {
                digit = d as i8;
                if let Some(limb) = k.first_mut() {
                    *limb -= d;
                }
            }
        }
        digits.push(digit);
        // k >>= 1.
        let mut next = 0;
        for limb in k.iter_mut().rev() {
            let out = *limb & 1;
            *limb = (*limb >> 1) | (next << 63);
            next = out;
        }
    }
    digits
}

/// `[p, 3p, 5p, ..., (2^(w-1) - 1)p]`.
fn odd_multiples<C: Curve>(p: &Jacobian<C>, w: u32) -> Vec<Jacobian<C>> {
    let count = 1usize << (w - 2);
    let twice = p.double();
    let mut out = Vec::with_capacity(count);
    let mut acc = *p;
    for _ in 0..count {
        out.push(acc);
        acc = acc.add(&twice);
    }
    out
}

/// Affine odd multiples of the generator for width [`G_WINDOW`], built
/// once with the base table (public, variable-time is fine).
pub(super) fn generator_odd_multiples_affine<C: Curve>() -> Vec<(C::Fe, C::Fe)> {
    let g = Jacobian::from_projective(&ProjectivePoint::<C>::generator());
    odd_multiples(&g, G_WINDOW)
        .iter()
        .map(|p| {
            let (x, y, _) = p.to_projective().affine_parts();
            (x, y)
        })
        .collect()
}

/// `a * G + b * q` in variable time, for public inputs only: interleaved
/// width-w NAF (one shared run of doublings), affine generator multiples
/// from the base table when there is one, split by the curve's
/// endomorphism when it has one (`jacobian/glv.rs`). The point formulas are inlined
/// (one call site each), so `crate::arch::x86_ec` can build all of it
/// with BMI2/ADX.
#[inline(always)]
pub(crate) fn mul2_vartime<C: Curve>(a_be: &[u8], b_be: &[u8], q: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    if let (Some(endo), Some(table)) = (&C::GLV, C::base_table()) {
        return glv::mul2_vartime(endo, table, a_be, b_be, q);
    }
    mul2_vartime_plain(a_be, b_be, q)
}

/// [`mul2_vartime`] without the endomorphism: every curve's path, and
/// the reference the endomorphism's is tested against.
#[inline(always)]
pub(crate) fn mul2_vartime_plain<C: Curve>(a_be: &[u8], b_be: &[u8], q: &ProjectivePoint<C>) -> ProjectivePoint<C> {
    let base = C::base_table();
    let g_window = if base.is_some() { G_WINDOW } else { Q_WINDOW };
    let na = wnaf(a_be, g_window);
    let nb = wnaf(b_be, Q_WINDOW);
    let qt = odd_multiples(&Jacobian::from_projective(q), Q_WINDOW);
    let gt = if base.is_none() {
        odd_multiples(&Jacobian::from_projective(&ProjectivePoint::<C>::generator()), Q_WINDOW)
    } else {
        Vec::new()
    };
    let mut acc = Jacobian::<C>::IDENTITY;
    for i in (0..na.len().max(nb.len())).rev() {
        if !acc.is_identity() {
            acc = acc.double();
        }
        let da = na.get(i).copied().unwrap_or(0);
        let ga = usize::from(da.unsigned_abs() / 2);
        if let Some((x, y)) = base.filter(|_| da != 0).and_then(|table| table.odd_affine.get(ga)) {
            let y = if da > 0 { *y } else { y.neg() };
            acc = acc.add_affine(x, &y);
        }
        // Either a generator multiple (no base table) or one of Q's.
        let db = nb.get(i).copied().unwrap_or(0);
        let g_point =
            if base.is_none() && da != 0 { gt.get(ga).map(|p| if da > 0 { *p } else { p.neg() }) } else { None };
        let q_point = if db != 0 {
            qt.get(usize::from(db.unsigned_abs() / 2)).map(|p| if db > 0 { *p } else { p.neg() })
        } else {
            None
        };
        for p in [g_point, q_point].iter().flatten() {
            acc = acc.add(p);
        }
    }
    acc.to_projective()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rebuilds the integer from its NAF digits (as i128: small inputs).
    fn value(digits: &[i8]) -> i128 {
        digits.iter().rev().fold(0i128, |acc, &d| 2 * acc + i128::from(d))
    }

    /// `(n - j) * G = -(j * G)` for small `j`: the last window's
    /// addition meets equal operands for some `k` near `n` (P-521's
    /// `n - 18`, secp256k1's `n - 2`), which `mul_ct` must double.
    fn near_order_scalars<C: Curve>() {
        let g = ProjectivePoint::<C>::generator();
        for j in 1..=40u64 {
            let small = C::Scalar::from_u64(j);
            let want = g.mul(&small).neg();
            assert!(g.mul(&small.neg()) == want, "{}: (n - {j}) * G", C::NAME);
            let (buf, len) = crate::ec::point::scalar_bytes::<C>(&small.neg());
            let got = mul_ct(&g, buf.get(..len).unwrap_or_default());
            assert!(got == want, "{}: portable (n - {j}) * G", C::NAME);
        }
    }

    /// `k * p` by plain double-and-add over the complete projective
    /// formulas, most significant bit first: the slow reference.
    pub(super) fn reference_mul<C: Curve>(p: &ProjectivePoint<C>, k_be: &[u8]) -> ProjectivePoint<C> {
        let mut acc = ProjectivePoint::<C>::IDENTITY;
        for byte in k_be {
            for bit in (0..8).rev() {
                acc = acc.double_portable();
                if (byte >> bit) & 1 == 1 {
                    acc = acc.add_portable(p);
                }
            }
        }
        acc
    }

    /// Scalars that stress the Booth recoding and the exceptional cases:
    /// 0, 1, 2, small values, n - 1, n - 2, n - 2^j, values with long
    /// runs of ones or of the window's top digit, single high bits, and
    /// pseudo-random ones (xorshift, fixed seed).
    pub(super) fn stress_scalars<C: Curve>() -> Vec<C::Scalar> {
        let mut out = Vec::new();
        for v in [0u64, 1, 2, 3, 15, 16, 17, 31, 32, 33, 0x8000_0000_0000_0000, u64::MAX] {
            out.push(C::Scalar::from_u64(v));
        }
        let one = C::Scalar::ONE;
        out.push(one.neg());
        out.push(one.add(&one).neg());
        let mut pow = one;
        for j in 0..C::Scalar::BITS {
            pow = pow.double();
            if j % 37 == 0 || j + 3 >= C::Scalar::BITS {
                out.push(pow);
                out.push(pow.neg());
                out.push(pow.sub(&one));
            }
        }
        // Repeated byte patterns: 0xff (all ones), 0x10 / 0x08 (Booth
        // digits at the table's edge), 0x84 / 0x42 (alternating signs).
        // Bytes below 2^BITS, hence below 2n, as `reduce_be_bytes`
        // requires.
        let below_2n = |mut bytes: Vec<u8>| {
            if let Some(first) = bytes.first_mut() {
                *first &= 0xff >> (8 * C::Scalar::BYTES - C::Scalar::BITS);
            }
            C::Scalar::reduce_be_bytes(&bytes)
        };
        for pattern in [0xffu8, 0x10, 0x08, 0x84, 0x42, 0x55] {
            out.push(below_2n(alloc::vec![pattern; C::Scalar::BYTES]));
        }
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        for _ in 0..24 {
            let mut bytes = alloc::vec![0u8; C::Scalar::BYTES];
            for b in &mut bytes {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                *b = state as u8;
            }
            out.push(below_2n(bytes));
        }
        out
    }

    /// The constant-time windowed multiplication (portable and
    /// dispatched builds) and the fixed-base comb agree with
    /// double-and-add, for the generator, another point and the identity.
    fn mul_ct_matches_double_and_add<C: Curve>() {
        let g = ProjectivePoint::<C>::generator();
        let q = g.mul(&C::Scalar::from_u64(0x1234_5678)).double();
        for k in stress_scalars::<C>() {
            let (buf, len) = crate::ec::point::scalar_bytes::<C>(&k);
            let k_be = buf.get(..len).unwrap_or_default();
            for p in [g, q] {
                let want = reference_mul(&p, k_be);
                assert!(mul_ct(&p, k_be) == want, "{}: portable mul_ct", C::NAME);
                assert!(p.mul(&k) == want, "{}: dispatched mul", C::NAME);
            }
            assert!(ProjectivePoint::<C>::mul_base(&k) == reference_mul(&g, k_be), "{}: mul_base", C::NAME);
            let id = ProjectivePoint::<C>::IDENTITY;
            assert!(mul_ct(&id, k_be) == id, "{}: k * identity", C::NAME);
        }
    }

    #[test]
    fn mul_ct_matches_double_and_add_p256() {
        mul_ct_matches_double_and_add::<crate::ec::P256>();
    }

    #[test]
    fn mul_ct_matches_double_and_add_other_curves() {
        mul_ct_matches_double_and_add::<crate::ec::P384>();
        mul_ct_matches_double_and_add::<crate::ec::P521>();
        mul_ct_matches_double_and_add::<crate::ec::Secp256k1>();
    }

    #[test]
    fn near_order_scalars_all_curves() {
        near_order_scalars::<crate::ec::P256>();
        near_order_scalars::<crate::ec::P384>();
        near_order_scalars::<crate::ec::P521>();
        near_order_scalars::<crate::ec::Secp256k1>();
    }

    #[test]
    fn wnaf_digits_are_sparse_odd_and_exact() {
        for v in [0u64, 1, 2, 7, 15, 16, 31, 0x7f, 0xff, 0x1234_5678_9abc_def0, u64::MAX] {
            for w in [2u32, 5, 7] {
                let digits = wnaf(&v.to_be_bytes(), w);
                assert_eq!(value(&digits), i128::from(v), "value {v:#x} w {w}");
                let mut gap = usize::MAX;
                for &d in &digits {
                    if d != 0 {
                        assert!(d % 2 != 0 && i32::from(d).abs() < 1 << (w - 1), "digit {d}");
                        assert!(gap >= (w - 1) as usize, "digits too close in {v:#x}");
                        gap = 0;
                    } else {
                        gap = gap.saturating_add(1);
                    }
                }
            }
        }
    }
}
