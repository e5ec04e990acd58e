//! Arithmetic modulo q = 8380417 (FIPS 204 §7.5-7.6): Montgomery
//! reduction, the number-theoretic transform and its inverse, and the
//! portable pointwise product.
//!
//! Entry points: [`ntt`], [`inv_ntt`], [`pointwise`]; each dispatches to
//! the AVX2 kernel in `crate::arch::x86_avx2_mldsa` when the CPU has it and
//! falls back to the `*_soft` versions here. Coefficients are `i32` in
//! signed representation. The transforms follow the Dilithium reference
//! conventions: [`ntt`] maps a polynomial with coefficients below 8q in
//! absolute value to its bit-reversed evaluation form; [`pointwise`]
//! multiplies and divides by the Montgomery factor R = 2^32; [`inv_ntt`]
//! multiplies by R again, so `inv_ntt(pointwise(ntt(a), ntt(b)))` is the
//! plain product a * b.

/// The modulus q = 2^23 - 2^13 + 1.
pub(crate) const Q: i32 = 8_380_417;
/// q^-1 mod 2^32.
pub(crate) const QINV: i32 = 58_728_449;
/// Coefficients per polynomial.
pub(crate) const N: usize = 256;
/// A primitive 512-th root of unity modulo q.
const ROOT: i64 = 1753;
/// mont^2 / 256 mod q: scales the inverse transform.
const INV_SCALE: i32 = 41_978;

/// Bit-reverses an 8-bit index.
const fn brv8(x: usize) -> usize {
    (x as u8).reverse_bits() as usize
}

/// `b^e mod q` for public constants.
const fn pow_mod(mut b: i64, mut e: usize) -> i64 {
    let mut r = 1i64;
    b %= Q as i64;
    while e > 0 {
        if e & 1 == 1 {
            r = r * b % Q as i64;
        }
        b = b * b % Q as i64;
        e >>= 1;
    }
    r
}

/// ZETAS[i] = ROOT^brv8(i) * 2^32 mod q in (-q/2, q/2]; index 0 unused.
// Const evaluation: an out-of-range index would fail the build.
#[allow(clippy::indexing_slicing)]
pub(crate) const ZETAS: [i32; N] = {
    let mut z = [0i32; N];
    let mut i = 1;
    while i < N {
        let v = pow_mod(ROOT, brv8(i)) * (1i64 << 32) % Q as i64;
        let centred = if v > (Q as i64) / 2 { v - Q as i64 } else { v };
        z[i] = centred as i32;
        i += 1;
    }
    z
};

/// A polynomial of R_q = Z_q[X]/(X^256 + 1).
pub(crate) type Poly = [i32; N];

/// Montgomery reduction: for |a| < q 2^31, returns r = a 2^-32 mod q with
/// |r| < q.
#[inline(always)]
pub(crate) const fn montgomery_reduce(a: i64) -> i32 {
    let t = (a as i32).wrapping_mul(QINV);
    (a.wrapping_sub((t as i64) * (Q as i64)) >> 32) as i32
}

/// For a <= 2^31 - 2^22 - 1, returns r = a mod q with -6283009 <= r <= 6283008.
#[inline(always)]
pub(crate) const fn reduce32(a: i32) -> i32 {
    // Wrapping ops: the overflow checks of test builds would branch on
    // secret coefficients (the ctgrind check sees them).
    let t = a.wrapping_add(1 << 22) >> 23;
    a.wrapping_sub(t.wrapping_mul(Q))
}

/// Adds q when a is negative (branch-free).
#[inline(always)]
pub(crate) const fn caddq(a: i32) -> i32 {
    a.wrapping_add((a >> 31) & Q)
}

/// The portable forward transform.
pub(crate) fn ntt_soft(a: &mut Poly) {
    let mut k = 0usize;
    let mut len = 128usize;
    while len > 0 {
        let mut start = 0usize;
        while start < N {
            k += 1;
            let zeta = i64::from(ZETAS.get(k).copied().unwrap_or(0));
            let (lo, hi) = a.split_at_mut(start + len);
            let lo = lo.get_mut(start..).unwrap_or_default();
            for (x, y) in lo.iter_mut().zip(hi.iter_mut().take(len)) {
                let t = montgomery_reduce(zeta * i64::from(*y));
                *y = x.wrapping_sub(t);
                *x = x.wrapping_add(t);
            }
            start += 2 * len;
        }
        len >>= 1;
    }
}

/// The portable inverse transform (output multiplied by 2^32).
pub(crate) fn inv_ntt_soft(a: &mut Poly) {
    let mut k = N;
    let mut len = 1usize;
    while len < N {
        let mut start = 0usize;
        while start < N {
            k -= 1;
            let zeta = -i64::from(ZETAS.get(k).copied().unwrap_or(0));
            let (lo, hi) = a.split_at_mut(start + len);
            let lo = lo.get_mut(start..).unwrap_or_default();
            for (x, y) in lo.iter_mut().zip(hi.iter_mut().take(len)) {
                let t = *x;
                *x = t.wrapping_add(*y);
                *y = montgomery_reduce(zeta * i64::from(t.wrapping_sub(*y)));
            }
            start += 2 * len;
        }
        len <<= 1;
    }
    for x in a.iter_mut() {
        *x = montgomery_reduce(i64::from(INV_SCALE) * i64::from(*x));
    }
}

/// The portable pointwise Montgomery product `c = a * b / 2^32`.
pub(crate) fn pointwise_soft(c: &mut Poly, a: &Poly, b: &Poly) {
    for ((c, &a), &b) in c.iter_mut().zip(a).zip(b) {
        *c = montgomery_reduce(i64::from(a) * i64::from(b));
    }
}

/// Forward NTT on the best backend.
pub(crate) fn ntt(a: &mut Poly) {
    if !crate::arch::x86_avx2_mldsa::ntt(a) {
        ntt_soft(a);
    }
}

/// Inverse NTT (times 2^32) on the best backend.
pub(crate) fn inv_ntt(a: &mut Poly) {
    if !crate::arch::x86_avx2_mldsa::inv_ntt(a) {
        inv_ntt_soft(a);
    }
}

/// Pointwise Montgomery product on the best backend.
pub(crate) fn pointwise(c: &mut Poly, a: &Poly, b: &Poly) {
    if !crate::arch::x86_avx2_mldsa::pointwise(c, a, b) {
        pointwise_soft(c, a, b);
    }
}

/// `acc += a * b / 2^32` pointwise (one term of a matrix-vector product).
pub(crate) fn pointwise_acc(acc: &mut Poly, a: &Poly, b: &Poly) {
    let mut t = [0i32; N];
    pointwise(&mut t, a, b);
    for (x, y) in acc.iter_mut().zip(t) {
        *x = x.wrapping_add(y);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schoolbook(a: &Poly, b: &Poly) -> Poly {
        let mut c = [0i64; N];
        for i in 0..N {
            for j in 0..N {
                let p = i64::from(a[i]) * i64::from(b[j]) % i64::from(Q);
                if i + j < N {
                    c[i + j] += p;
                } else {
                    c[i + j - N] -= p;
                }
            }
        }
        c.map(|x| x.rem_euclid(i64::from(Q)) as i32)
    }

    #[test]
    fn ntt_multiplication_matches_schoolbook() {
        let mut seed = 0x1234_5678_u32;
        let mut next = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            (seed % (Q as u32)) as i32 - Q / 2
        };
        let a: Poly = core::array::from_fn(|_| next());
        let b: Poly = core::array::from_fn(|_| next() % 1000);
        let (mut ah, mut bh) = (a, b);
        ntt_soft(&mut ah);
        ntt_soft(&mut bh);
        let mut c = [0; N];
        pointwise_soft(&mut c, &ah, &bh);
        inv_ntt_soft(&mut c);
        let got = c.map(|x| i64::from(x).rem_euclid(i64::from(Q)) as i32);
        assert_eq!(got, schoolbook(&a, &b));
    }

    #[test]
    fn zetas_match_fips_204_table() {
        // FIPS 204 Appendix B lists zeta^brv(k) mod q; ours carry 2^32.
        assert_eq!(ZETAS[1], 25847);
        assert_eq!(ZETAS[255], 1976782);
    }
}
