//! The number-theoretic transform of FIPS 203 (algorithms 9-12): forward
//! and inverse NTT and the multiplication of NTT-domain polynomials.
//!
//! Entry points: [`ntt`], [`inv_ntt`] and [`basemul_acc`], each trying the
//! AVX2 kernel in `arch::x86_avx2_mlkem` first and falling back to the
//! portable code here (`*_soft`), which the kernel must match bit for bit.
//! Twiddle factors are computed at compile time from zeta = 17 and stored
//! in Montgomery form (times 2^16), centred around zero.
//!
//! Domains: [`ntt`] maps plain coefficients to plain NTT values;
//! [`basemul_acc`] returns `sum a_i * b_i * 2^-16`; [`inv_ntt`] multiplies
//! by `2^16 / 128`, so `inv_ntt(basemul_acc(..))` is the plain product.

use super::poly::{MONT_R2, N, Poly, Q, barrett_reduce, fqmul};

const fn pow_mod_q(base: i32, mut exp: u32) -> i32 {
    let q = Q as i32;
    let mut acc = 1;
    let mut b = base % q;
    while exp > 0 {
        if exp & 1 == 1 {
            acc = acc * b % q;
        }
        b = b * b % q;
        exp >>= 1;
    }
    acc
}

const fn bitrev7(i: u32) -> u32 {
    (i.reverse_bits() >> 25) & 0x7f
}

/// `x * 2^16 mod q` as the representative nearest zero.
const fn mont_centred(x: i32) -> i16 {
    let q = Q as i32;
    let m = (x * 65536 % q + q) % q;
    (if m > q / 2 { m - q } else { m }) as i16
}

/// `zeta^BitRev7(i) * 2^16`, i = 0..128 (FIPS 203 appendix A, Montgomery form).
// Compile-time table: an index out of range is a compile error.
#[allow(clippy::indexing_slicing)]
pub(crate) const ZETAS: [i16; 128] = {
    let mut t = [0i16; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = mont_centred(pow_mod_q(17, bitrev7(i as u32)));
        i += 1;
    }
    t
};

/// `zeta^(2 BitRev7(i) + 1) * 2^16`, i = 0..128: the moduli `X^2 - gamma`
/// of the 128 degree-one residues (FIPS 203 appendix A).
#[allow(clippy::indexing_slicing)]
pub(crate) const GAMMAS: [i16; 128] = {
    let mut t = [0i16; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = mont_centred(pow_mod_q(17, 2 * bitrev7(i as u32) + 1));
        i += 1;
    }
    t
};

/// `2^32 / 128 mod q`: the inverse transform's final scale in Montgomery
/// form (removes the basemul's 2^-16 and divides by 128).
pub(crate) const INV_NTT_SCALE: i16 = {
    let q = Q as i32;
    let inv128 = pow_mod_q(128, (Q - 2) as u32);
    (MONT_R2 as i32 * inv128 % q) as i16
};

/// Forward NTT in place. Input coefficients with `|c| < q`; output
/// Barrett-reduced.
pub(crate) fn ntt(p: &mut Poly) {
    if !crate::arch::x86_avx2_mlkem::ntt(&mut p.c) {
        ntt_soft(&mut p.c);
    }
}

/// Inverse NTT in place, times `2^16`. Input with `|c| <= q/2 + 1`
/// (Barrett-reduced); output with `|c| < q`.
pub(crate) fn inv_ntt(p: &mut Poly) {
    if !crate::arch::x86_avx2_mlkem::inv_ntt(&mut p.c) {
        inv_ntt_soft(&mut p.c);
    }
}

/// `out = sum_i a_i * b_i * 2^-16` in the NTT domain, Barrett-reduced.
/// Inputs canonical or reduced (`|c| < q`); `a` and `b` have equal length.
pub(crate) fn basemul_acc(out: &mut Poly, a: &[Poly], b: &[Poly]) {
    if !crate::arch::x86_avx2_mlkem::basemul_acc(&mut out.c, a, b) {
        basemul_acc_soft(&mut out.c, a, b);
    }
}

/// The portable forward NTT (FIPS 203 algorithm 9): no reduction between
/// layers, each of the seven layers grows the bound by at most q.
pub(crate) fn ntt_soft(f: &mut [i16; N]) {
    let mut k = 1;
    let mut len = 128;
    while len >= 2 {
        for block in f.chunks_exact_mut(2 * len) {
            let zeta = ZETAS.get(k).copied().unwrap_or(0);
            k += 1;
            let (lo, hi) = block.split_at_mut(len);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let t = fqmul(zeta, *b);
                *b = a.wrapping_sub(t);
                *a = a.wrapping_add(t);
            }
        }
        len /= 2;
    }
    for c in f.iter_mut() {
        *c = barrett_reduce(*c);
    }
}

/// The portable inverse NTT (FIPS 203 algorithm 10) with the final
/// scaling folded into one Montgomery multiplication.
pub(crate) fn inv_ntt_soft(f: &mut [i16; N]) {
    let mut k = 127;
    let mut len = 2;
    while len <= 128 {
        for block in f.chunks_exact_mut(2 * len) {
            let zeta = ZETAS.get(k).copied().unwrap_or(0);
            k -= 1;
            let (lo, hi) = block.split_at_mut(len);
            for (a, b) in lo.iter_mut().zip(hi.iter_mut()) {
                let t = *a;
                *a = barrett_reduce(t.wrapping_add(*b));
                *b = fqmul(zeta, b.wrapping_sub(t));
            }
        }
        len *= 2;
    }
    for c in f.iter_mut() {
        *c = fqmul(*c, INV_NTT_SCALE);
    }
}

/// The portable multiply-accumulate (FIPS 203 algorithms 11 and 12).
pub(crate) fn basemul_acc_soft(out: &mut [i16; N], a: &[Poly], b: &[Poly]) {
    let mut acc = [0i16; N];
    for (pa, pb) in a.iter().zip(b) {
        let pairs = pa.c.chunks_exact(2).zip(pb.c.chunks_exact(2));
        for ((o, gamma), (x, y)) in acc.chunks_exact_mut(2).zip(GAMMAS).zip(pairs) {
            if let ([o0, o1], [a0, a1], [b0, b1]) = (o, x, y) {
                let c0 = fqmul(fqmul(*a1, *b1), gamma).wrapping_add(fqmul(*a0, *b0));
                let c1 = fqmul(*a0, *b1).wrapping_add(fqmul(*a1, *b0));
                *o0 = o0.wrapping_add(c0);
                *o1 = o1.wrapping_add(c1);
            }
        }
    }
    for (o, c) in out.iter_mut().zip(acc) {
        *o = barrett_reduce(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn modq(a: i64) -> i64 {
        a.rem_euclid(i64::from(Q))
    }

    /// Schoolbook product in Z_q[X]/(X^256 + 1).
    fn schoolbook(a: &[i16; N], b: &[i16; N]) -> [i64; N] {
        let mut r = [0i64; N];
        for i in 0..N {
            for j in 0..N {
                let p = i64::from(a[i]) * i64::from(b[j]);
                if i + j < N {
                    r[i + j] += p;
                } else {
                    r[i + j - N] -= p;
                }
            }
        }
        r.map(modq)
    }

    fn sample(seed: u32) -> Poly {
        let mut p = Poly::zero();
        let mut x = seed.wrapping_mul(2654435761).wrapping_add(12345);
        for c in &mut p.c {
            x ^= x << 13;
            x ^= x >> 17;
            x ^= x << 5;
            *c = (x % 3329) as i16 - 1664;
        }
        p
    }

    #[test]
    fn tables_match_fips_203_appendix_a() {
        // First entries of the appendix's zeta^BitRev7(i) table: 1, 1729, 2580, 3289.
        let plain = |m: i16| modq(i64::from(m) * 169); // 2^-16 = 169 mod q
        assert_eq!([plain(ZETAS[0]), plain(ZETAS[1]), plain(ZETAS[2]), plain(ZETAS[3])], [1, 1729, 2580, 3289]);
        // gamma table starts 17, -17, 2761, -2761.
        assert_eq!([plain(GAMMAS[0]), plain(GAMMAS[1]), plain(GAMMAS[2])], [17, 3329 - 17, 2761]);
        assert_eq!(INV_NTT_SCALE, 1441);
    }

    #[test]
    fn ntt_product_equals_schoolbook() {
        for seed in 0..4 {
            let (a, b) = (sample(seed), sample(seed + 100));
            let expected = schoolbook(&a.c, &b.c);
            let (mut fa, mut fb) = (a.clone(), b.clone());
            ntt_soft(&mut fa.c);
            ntt_soft(&mut fb.c);
            let mut prod = Poly::zero();
            basemul_acc_soft(&mut prod.c, core::slice::from_ref(&fa), core::slice::from_ref(&fb));
            inv_ntt_soft(&mut prod.c);
            let got = prod.c.map(|c| modq(i64::from(c)));
            assert_eq!(got, expected);
        }
    }

    #[test]
    fn inverse_undoes_forward_up_to_r() {
        let a = sample(7);
        let mut f = a.clone();
        ntt_soft(&mut f.c);
        for c in &mut f.c {
            *c = fqmul(*c, 1); // times 2^-16, as basemul would leave it
        }
        inv_ntt_soft(&mut f.c);
        for (x, y) in f.c.iter().zip(&a.c) {
            assert_eq!(modq(i64::from(*x)), modq(i64::from(*y)));
        }
    }

    #[test]
    fn dispatched_kernels_equal_soft() {
        for seed in 0..16 {
            let a = sample(seed);
            let b = sample(seed + 1000);
            let (mut x, mut y) = (a.clone(), a.clone());
            ntt(&mut x);
            ntt_soft(&mut y.c);
            assert!(x == y, "ntt, seed {seed}");
            let mut xs = [x.clone(), sample(seed + 3)];
            let mut ys = [b.clone(), sample(seed + 5)];
            for p in xs.iter_mut().chain(ys.iter_mut()) {
                p.c = p.c.map(barrett_reduce);
            }
            let (mut m1, mut m2) = (Poly::zero(), Poly::zero());
            basemul_acc(&mut m1, &xs, &ys);
            basemul_acc_soft(&mut m2.c, &xs, &ys);
            assert!(m1 == m2, "basemul, seed {seed}");
            let (mut i1, mut i2) = (m1.clone(), m1);
            inv_ntt(&mut i1);
            inv_ntt_soft(&mut i2.c);
            assert!(i1 == i2, "inv_ntt, seed {seed}");
        }
    }
}
