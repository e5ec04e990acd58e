//! Polynomials of R_q = Z_q[X]/(X^256 + 1), q = 3329, and the modular
//! reductions every other ML-KEM module builds on.
//!
//! Entry points: [`Poly`] (256 signed 16-bit coefficients),
//! [`montgomery_reduce`], [`barrett_reduce`] and [`fqmul`]. Coefficients
//! are kept loosely reduced (any representative in `i16`) between steps
//! and made canonical (`0..q`) only where bytes are produced. Montgomery
//! arithmetic uses R = 2^16; the AVX2 kernels compute exactly the same
//! values, lane by lane, so the two backends are compared for equality.

use zeroize::Zeroize;

/// Coefficients per polynomial.
pub(crate) const N: usize = 256;
/// The ML-KEM modulus.
pub(crate) const Q: i16 = 3329;
/// `q^-1 mod 2^16`, as a signed 16-bit value.
pub(crate) const QINV: i16 = -3327;
/// `2^16 mod q`: the Montgomery factor R.
const MONT_R: i32 = (1 << 16) % Q as i32;
/// `R^2 mod q`: multiplying by it in Montgomery form multiplies by R.
pub(crate) const MONT_R2: i16 = ((MONT_R * MONT_R) % Q as i32) as i16;
/// `round(2^26 / q)`, the Barrett constant.
pub(crate) const BARRETT_V: i16 = (((1i32 << 26) + Q as i32 / 2) / Q as i32) as i16;

/// `a * 2^-16 mod q`, for `|a| < q * 2^15`; the result lies in `(-q, q)`.
#[inline(always)]
pub(crate) const fn montgomery_reduce(a: i32) -> i16 {
    let t = (a as i16).wrapping_mul(QINV);
    (a.wrapping_sub((t as i32).wrapping_mul(Q as i32)) >> 16) as i16
}

/// `a * b * 2^-16 mod q`.
///
/// Arithmetic on secret values is written with `wrapping_*` throughout:
/// with overflow checks on (test builds), a plain `+` is a branch on the
/// value, which the valgrind constant-time check reports.
#[inline(always)]
pub(crate) const fn fqmul(a: i16, b: i16) -> i16 {
    montgomery_reduce((a as i32).wrapping_mul(b as i32))
}

/// A representative of `a mod q` in about `[-q/2, q/2]`. The quotient is
/// estimated in two rounding steps (high half of `a * v`, then a rounded
/// shift by 10) because that is what `vpmulhw` + `vpmulhrsw` compute, and
/// the portable and AVX2 paths must agree bit for bit.
#[inline(always)]
pub(crate) const fn barrett_reduce(a: i16) -> i16 {
    let hi = ((a as i32 * BARRETT_V as i32) >> 16) as i16;
    let t = ((hi as i32 + (1 << 9)) >> 10) as i16;
    a.wrapping_sub(t.wrapping_mul(Q))
}

/// The canonical representative `0..q` of `a` (reference for tests; the
/// library uses [`Poly::canonical_coeffs`], which keeps the compiler from
/// turning the sign mask into a conditional move).
#[cfg(test)]
pub(crate) const fn canonical(a: i16) -> i16 {
    let r = barrett_reduce(a);
    r + ((r >> 15) & Q)
}

/// Adds q to every negative value, with no branch and no conditional move
/// on the (secret) values: the sign masks go through an optimisation
/// barrier, so LLVM cannot tell they are 0 or -1 and rewrite
/// `x + (mask & q)` as a select (valgrind flagged exactly that).
pub(crate) fn add_q_if_negative(c: &mut [i16; N]) {
    let mut masks = [0i16; N];
    for (m, x) in masks.iter_mut().zip(c.iter()) {
        *m = *x >> 15;
    }
    core::hint::black_box(&mut masks);
    for (x, m) in c.iter_mut().zip(&masks) {
        *x = x.wrapping_add(m & Q);
    }
}

/// A polynomial: coefficient `i` multiplies `X^i` (or, in the NTT domain,
/// the `i`-th entry of the 128 degree-one residues, in FIPS 203 order).
#[derive(Clone, PartialEq, Eq)]
#[repr(C, align(32))]
pub(crate) struct Poly {
    pub(crate) c: [i16; N],
}

impl Poly {
    /// The zero polynomial.
    pub(crate) const fn zero() -> Self {
        Self { c: [0; N] }
    }

    /// `self += other`, coefficient-wise, without reduction.
    pub(crate) fn add_assign(&mut self, other: &Self) {
        for (a, b) in self.c.iter_mut().zip(&other.c) {
            *a = a.wrapping_add(*b);
        }
    }

    /// `self = other - self`, coefficient-wise, without reduction.
    pub(crate) fn rsub_assign(&mut self, other: &Self) {
        for (a, b) in self.c.iter_mut().zip(&other.c) {
            *a = b.wrapping_sub(*a);
        }
    }

    /// The canonical representatives (`0..q`) of the coefficients.
    pub(crate) fn canonical_coeffs(&self) -> [i16; N] {
        let mut c = self.c.map(barrett_reduce);
        add_q_if_negative(&mut c);
        c
    }

    /// Replaces the coefficients by their canonical representatives.
    pub(crate) fn make_canonical(&mut self) {
        self.c = self.canonical_coeffs();
    }

    /// Multiplies every coefficient by R (leaves Montgomery form).
    pub(crate) fn mul_by_r(&mut self) {
        for a in &mut self.c {
            *a = fqmul(*a, MONT_R2);
        }
    }
}

impl Zeroize for Poly {
    fn zeroize(&mut self) {
        self.c.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modq(a: i64) -> i64 {
        a.rem_euclid(i64::from(Q))
    }

    #[test]
    fn constants() {
        assert_eq!((i32::from(Q) * i32::from(QINV)) as i16, 1);
        assert_eq!(MONT_R2, 1353);
        assert_eq!(BARRETT_V, 20159);
    }

    #[test]
    fn barrett_and_canonical_are_exhaustively_right() {
        for a in i16::MIN..=i16::MAX {
            let r = barrett_reduce(a);
            assert_eq!(modq(i64::from(r)), modq(i64::from(a)), "{a}");
            assert!((-(Q / 2) - 1..=Q / 2 + 1).contains(&r), "{a} -> {r}");
            let c = canonical(a);
            assert!((0..Q).contains(&c) && modq(i64::from(c)) == modq(i64::from(a)), "{a} -> {c}");
            let mut p = Poly::zero();
            p.c[7] = a;
            assert_eq!(p.canonical_coeffs()[7], c);
        }
    }

    #[test]
    fn montgomery_reduce_divides_by_r() {
        let r_inv = (1..i64::from(Q)).find(|x| modq(x * 65536) == 1).unwrap();
        for a in [0i32, 1, -1, 3328, -3328, 12345678, -12345678, 3329 * 32767, -3329 * 32767] {
            let m = montgomery_reduce(a);
            assert!(m > -Q && m < Q, "{a} -> {m}");
            assert_eq!(modq(i64::from(m)), modq(i64::from(a) * r_inv), "{a}");
        }
    }
}
