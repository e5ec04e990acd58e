//! Keccak-f[1600] on four states at once with AVX2 (x86_64).
//!
//! Entry point: [`keccak_f_x4`], which runs the permutation on four
//! interleaved states (`state[i][s]` = lane `i` of state `s`, so one
//! 256-bit register holds lane `i` of all four) and returns `false` when
//! AVX2 is missing or the soft backend is forced; the caller then runs
//! the scalar permutation four times (`hash::keccak4::keccak_f_x4_soft`).
//! The round is the same theta / rho+pi+chi / iota sequence as the scalar
//! `keccak_f_body`, unrolled so each rotation is two constant shifts (or
//! one byte shuffle for 8 and 56); the rotation counts are those of
//! `KECCAK_ROT`, checked by the equality proptest against the scalar code.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use super::detect::{Feature, features};

/// Keccak-f[1600] on four interleaved states, if AVX2 is available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn keccak_f_x4(state: &mut [[u64; 4]; 25]) -> bool {
    if !features().has(Feature::Avx2) {
        return false;
    }
    // SAFETY: AVX2 was detected at run time (checked above).
    unsafe { kernel::permute(state) };
    true
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn keccak_f_x4(_state: &mut [[u64; 4]; 25]) -> bool {
    false
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod kernel {
    use core::arch::x86_64::{
        __m256i, _mm256_andnot_si256, _mm256_loadu_si256, _mm256_or_si256, _mm256_set1_epi64x, _mm256_setr_epi8,
        _mm256_shuffle_epi8, _mm256_slli_epi64, _mm256_srli_epi64, _mm256_storeu_si256, _mm256_xor_si256,
    };

    use crate::hash::KECCAK_RC;

    /// Rotates each 64-bit lane left by the constant `L` (`R = 64 - L`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_slli_epi64::<L>(x), _mm256_srli_epi64::<R>(x))
    }

    /// Rotates each lane left by 8: a byte shuffle.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot8(x: __m256i) -> __m256i {
        _mm256_shuffle_epi8(
            x,
            _mm256_setr_epi8(
                7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13,
                14,
            ),
        )
    }

    /// Rotates each lane left by 56: a byte shuffle.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rot56(x: __m256i) -> __m256i {
        _mm256_shuffle_epi8(
            x,
            _mm256_setr_epi8(
                1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14,
                15, 8,
            ),
        )
    }

    /// # Safety
    /// The CPU must support AVX2.
    // Lane indices are below 25 (x, y < 5), as in the scalar body.
    #[allow(clippy::indexing_slicing)]
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn permute(state: &mut [[u64; 4]; 25]) {
        let mut a: [__m256i; 25] = [_mm256_set1_epi64x(0); 25];
        for (reg, lane) in a.iter_mut().zip(state.iter()) {
            // SAFETY: `lane` is 32 readable bytes; unaligned load.
            *reg = unsafe { _mm256_loadu_si256(lane.as_ptr().cast()) };
        }
        for rc in KECCAK_RC {
            let mut c = [_mm256_set1_epi64x(0); 5];
            for x in 0..5 {
                c[x] = _mm256_xor_si256(
                    _mm256_xor_si256(_mm256_xor_si256(a[x], a[x + 5]), _mm256_xor_si256(a[x + 10], a[x + 15])),
                    a[x + 20],
                );
            }
            let d0 = _mm256_xor_si256(c[4], rotl::<1, 63>(c[1]));
            let d1 = _mm256_xor_si256(c[0], rotl::<1, 63>(c[2]));
            let d2 = _mm256_xor_si256(c[1], rotl::<1, 63>(c[3]));
            let d3 = _mm256_xor_si256(c[2], rotl::<1, 63>(c[4]));
            let d4 = _mm256_xor_si256(c[3], rotl::<1, 63>(c[0]));
            // rho, pi and chi, written out lane by lane so every rotation
            // count is a constant (generated from KECCAK_ROT: output row y
            // reads lane (x, X) with x = (X + 3 y) mod 5).
            let mut out = [_mm256_set1_epi64x(0); 25];
            let b0 = _mm256_xor_si256(a[0], d0);
            let b1 = rotl::<44, 20>(_mm256_xor_si256(a[6], d1));
            let b2 = rotl::<43, 21>(_mm256_xor_si256(a[12], d2));
            let b3 = rotl::<21, 43>(_mm256_xor_si256(a[18], d3));
            let b4 = rotl::<14, 50>(_mm256_xor_si256(a[24], d4));
            out[0] = _mm256_xor_si256(b0, _mm256_andnot_si256(b1, b2));
            out[1] = _mm256_xor_si256(b1, _mm256_andnot_si256(b2, b3));
            out[2] = _mm256_xor_si256(b2, _mm256_andnot_si256(b3, b4));
            out[3] = _mm256_xor_si256(b3, _mm256_andnot_si256(b4, b0));
            out[4] = _mm256_xor_si256(b4, _mm256_andnot_si256(b0, b1));
            let b0 = rotl::<28, 36>(_mm256_xor_si256(a[3], d3));
            let b1 = rotl::<20, 44>(_mm256_xor_si256(a[9], d4));
            let b2 = rotl::<3, 61>(_mm256_xor_si256(a[10], d0));
            let b3 = rotl::<45, 19>(_mm256_xor_si256(a[16], d1));
            let b4 = rotl::<61, 3>(_mm256_xor_si256(a[22], d2));
            out[5] = _mm256_xor_si256(b0, _mm256_andnot_si256(b1, b2));
            out[6] = _mm256_xor_si256(b1, _mm256_andnot_si256(b2, b3));
            out[7] = _mm256_xor_si256(b2, _mm256_andnot_si256(b3, b4));
            out[8] = _mm256_xor_si256(b3, _mm256_andnot_si256(b4, b0));
            out[9] = _mm256_xor_si256(b4, _mm256_andnot_si256(b0, b1));
            let b0 = rotl::<1, 63>(_mm256_xor_si256(a[1], d1));
            let b1 = rotl::<6, 58>(_mm256_xor_si256(a[7], d2));
            let b2 = rotl::<25, 39>(_mm256_xor_si256(a[13], d3));
            let b3 = rot8(_mm256_xor_si256(a[19], d4));
            let b4 = rotl::<18, 46>(_mm256_xor_si256(a[20], d0));
            out[10] = _mm256_xor_si256(b0, _mm256_andnot_si256(b1, b2));
            out[11] = _mm256_xor_si256(b1, _mm256_andnot_si256(b2, b3));
            out[12] = _mm256_xor_si256(b2, _mm256_andnot_si256(b3, b4));
            out[13] = _mm256_xor_si256(b3, _mm256_andnot_si256(b4, b0));
            out[14] = _mm256_xor_si256(b4, _mm256_andnot_si256(b0, b1));
            let b0 = rotl::<27, 37>(_mm256_xor_si256(a[4], d4));
            let b1 = rotl::<36, 28>(_mm256_xor_si256(a[5], d0));
            let b2 = rotl::<10, 54>(_mm256_xor_si256(a[11], d1));
            let b3 = rotl::<15, 49>(_mm256_xor_si256(a[17], d2));
            let b4 = rot56(_mm256_xor_si256(a[23], d3));
            out[15] = _mm256_xor_si256(b0, _mm256_andnot_si256(b1, b2));
            out[16] = _mm256_xor_si256(b1, _mm256_andnot_si256(b2, b3));
            out[17] = _mm256_xor_si256(b2, _mm256_andnot_si256(b3, b4));
            out[18] = _mm256_xor_si256(b3, _mm256_andnot_si256(b4, b0));
            out[19] = _mm256_xor_si256(b4, _mm256_andnot_si256(b0, b1));
            let b0 = rotl::<62, 2>(_mm256_xor_si256(a[2], d2));
            let b1 = rotl::<55, 9>(_mm256_xor_si256(a[8], d3));
            let b2 = rotl::<39, 25>(_mm256_xor_si256(a[14], d4));
            let b3 = rotl::<41, 23>(_mm256_xor_si256(a[15], d0));
            let b4 = rotl::<2, 62>(_mm256_xor_si256(a[21], d1));
            out[20] = _mm256_xor_si256(b0, _mm256_andnot_si256(b1, b2));
            out[21] = _mm256_xor_si256(b1, _mm256_andnot_si256(b2, b3));
            out[22] = _mm256_xor_si256(b2, _mm256_andnot_si256(b3, b4));
            out[23] = _mm256_xor_si256(b3, _mm256_andnot_si256(b4, b0));
            out[24] = _mm256_xor_si256(b4, _mm256_andnot_si256(b0, b1));
            out[0] = _mm256_xor_si256(out[0], _mm256_set1_epi64x(rc as i64));
            a = out;
        }
        for (reg, lane) in a.iter().zip(state.iter_mut()) {
            // SAFETY: `lane` is 32 writable bytes; unaligned store.
            unsafe { _mm256_storeu_si256(lane.as_mut_ptr().cast(), *reg) };
        }
    }
}
