//! AVX2 kernels for ML-DSA's NTT, inverse NTT and pointwise Montgomery
//! product (eight 32-bit coefficients per vector).
//!
//! Entry points: [`ntt`], [`inv_ntt`], [`pointwise`]; each returns `false`
//! when AVX2 is unavailable (or `--cfg purecrypto_backend="soft"` is set)
//! so the caller in `crate::mldsa` runs its portable code. The kernels do
//! exactly the portable arithmetic (same Montgomery reduction, same
//! butterfly order), so their outputs are bit-identical: layers with
//! butterflies 8 or more coefficients apart run on vectors, the last three
//! layers (distance 4, 2, 1) run the scalar butterflies.

/// A polynomial of ML-DSA (256 coefficients modulo q).
type Poly = [i32; 256];

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod kernel {
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi32, _mm256_blend_epi32, _mm256_loadu_si256, _mm256_mul_epi32, _mm256_set1_epi32,
        _mm256_srli_epi64, _mm256_storeu_si256, _mm256_sub_epi32, _mm256_sub_epi64,
    };

    use super::Poly;
    use crate::mldsa::arith::{N, Q, QINV, ZETAS, montgomery_reduce};

    /// a * b / 2^32 mod q per 32-bit lane (the portable
    /// `montgomery_reduce(a * b)`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn montmul(a: __m256i, b: __m256i) -> __m256i {
        let q = _mm256_set1_epi32(Q);
        let qinv = _mm256_set1_epi32(QINV);
        let even = _mm256_mul_epi32(a, b);
        let odd = _mm256_mul_epi32(_mm256_srli_epi64(a, 32), _mm256_srli_epi64(b, 32));
        let t_even = _mm256_mul_epi32(even, qinv);
        let t_odd = _mm256_mul_epi32(odd, qinv);
        let r_even = _mm256_sub_epi64(even, _mm256_mul_epi32(t_even, q));
        let r_odd = _mm256_sub_epi64(odd, _mm256_mul_epi32(t_odd, q));
        // Results sit in the high halves of the 64-bit lanes.
        _mm256_blend_epi32(_mm256_srli_epi64(r_even, 32), r_odd, 0b1010_1010)
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(a: &Poly, at: usize) -> __m256i {
        let chunk: &[i32; 8] = a.get(at..at + 8).and_then(|s| s.try_into().ok()).unwrap_or(&[0; 8]);
        // SAFETY: `chunk` is 8 readable i32 (32 bytes); loadu has no alignment requirement.
        unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(a: &mut Poly, at: usize, v: __m256i) {
        if let Some(chunk) = a.get_mut(at..at + 8) {
            // SAFETY: `chunk` is 8 writable i32 (32 bytes); storeu has no alignment requirement.
            unsafe { _mm256_storeu_si256(chunk.as_mut_ptr().cast(), v) }
        }
    }

    fn zeta(k: usize) -> i32 {
        ZETAS.get(k).copied().unwrap_or(0)
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn ntt(a: &mut Poly) {
        let mut k = 0usize;
        let mut len = 128usize;
        while len >= 8 {
            let mut start = 0;
            while start < N {
                k += 1;
                let z = _mm256_set1_epi32(zeta(k));
                for j in (start..start + len).step_by(8) {
                    let t = montmul(load(a, j + len), z);
                    let x = load(a, j);
                    store(a, j + len, _mm256_sub_epi32(x, t));
                    store(a, j, _mm256_add_epi32(x, t));
                }
                start += 2 * len;
            }
            len >>= 1;
        }
        while len > 0 {
            let mut start = 0;
            while start < N {
                k += 1;
                let z = i64::from(zeta(k));
                for j in start..start + len {
                    let (Some(&x), Some(&y)) = (a.get(j), a.get(j + len)) else { continue };
                    let t = montgomery_reduce(z * i64::from(y));
                    if let Some(hi) = a.get_mut(j + len) {
                        *hi = x.wrapping_sub(t);
                    }
                    if let Some(lo) = a.get_mut(j) {
                        *lo = x.wrapping_add(t);
                    }
                }
                start += 2 * len;
            }
            len >>= 1;
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn inv_ntt(a: &mut Poly) {
        let mut k = N;
        let mut len = 1usize;
        while len < 8 {
            let mut start = 0;
            while start < N {
                k -= 1;
                let z = -i64::from(zeta(k));
                for j in start..start + len {
                    let (Some(&x), Some(&y)) = (a.get(j), a.get(j + len)) else { continue };
                    if let Some(lo) = a.get_mut(j) {
                        *lo = x.wrapping_add(y);
                    }
                    if let Some(hi) = a.get_mut(j + len) {
                        *hi = montgomery_reduce(z * i64::from(x.wrapping_sub(y)));
                    }
                }
                start += 2 * len;
            }
            len <<= 1;
        }
        while len < N {
            let mut start = 0;
            while start < N {
                k -= 1;
                let z = _mm256_set1_epi32(-zeta(k));
                for j in (start..start + len).step_by(8) {
                    let x = load(a, j);
                    let y = load(a, j + len);
                    store(a, j, _mm256_add_epi32(x, y));
                    store(a, j + len, montmul(_mm256_sub_epi32(x, y), z));
                }
                start += 2 * len;
            }
            len <<= 1;
        }
        let f = _mm256_set1_epi32(41_978);
        for j in (0..N).step_by(8) {
            let v = load(a, j);
            store(a, j, montmul(v, f));
        }
    }

    #[target_feature(enable = "avx2")]
    pub(super) fn pointwise(c: &mut Poly, a: &Poly, b: &Poly) {
        for j in (0..N).step_by(8) {
            store(c, j, montmul(load(a, j), load(b, j)));
        }
    }
}

/// Whether the AVX2 kernels may run.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
fn available() -> bool {
    super::detect::features().has(super::detect::Feature::Avx2)
}

/// Forward NTT; `false` when the portable code must run instead.
pub(crate) fn ntt(a: &mut Poly) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if available() {
        // SAFETY: the CPU has AVX2 (checked above), the only feature the kernel enables.
        unsafe { kernel::ntt(a) };
        return true;
    }
    let _ = a;
    false
}

/// Inverse NTT (times 2^32); `false` when the portable code must run.
pub(crate) fn inv_ntt(a: &mut Poly) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if available() {
        // SAFETY: the CPU has AVX2 (checked above), the only feature the kernel enables.
        unsafe { kernel::inv_ntt(a) };
        return true;
    }
    let _ = a;
    false
}

/// Pointwise Montgomery product; `false` when the portable code must run.
pub(crate) fn pointwise(c: &mut Poly, a: &Poly, b: &Poly) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if available() {
        // SAFETY: the CPU has AVX2 (checked above), the only feature the kernel enables.
        unsafe { kernel::pointwise(c, a, b) };
        return true;
    }
    let _ = (c, a, b);
    false
}

#[cfg(test)]
mod tests {
    use crate::mldsa::arith::{Q, inv_ntt_soft, ntt_soft, pointwise_soft};

    fn random_poly(seed: &mut u64, bound: i32) -> super::Poly {
        core::array::from_fn(|_| {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            (*seed % (2 * bound as u64 + 1)) as i32 - bound
        })
    }

    #[test]
    fn kernels_match_the_portable_code() {
        if !crate::arch::detect::features().has(crate::arch::detect::Feature::Avx2) {
            return;
        }
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for round in 0..64 {
            let a = random_poly(&mut seed, if round % 2 == 0 { Q } else { 4 * Q });
            let b = random_poly(&mut seed, Q);
            let (mut x, mut y) = (a, a);
            ntt_soft(&mut x);
            assert!(super::ntt(&mut y));
            assert_eq!(x, y, "ntt round {round}");
            let a = random_poly(&mut seed, Q);
            let (mut x, mut y) = (a, a);
            inv_ntt_soft(&mut x);
            assert!(super::inv_ntt(&mut y));
            assert_eq!(x, y, "inv_ntt round {round}");
            let (mut x, mut y) = ([0; 256], [0; 256]);
            pointwise_soft(&mut x, &a, &b);
            assert!(super::pointwise(&mut y, &a, &b));
            assert_eq!(x, y, "pointwise round {round}");
        }
    }
}
