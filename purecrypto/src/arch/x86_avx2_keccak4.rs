//! Keccak-f[1600] on four states at once with AVX2 (x86_64).
//!
//! Entry point: [`keccak_f_x4`], which runs the permutation on four
//! interleaved states (`state[i][s]` = lane `i` of state `s`, so one
//! 256-bit register holds lane `i` of all four) and returns `false` when
//! AVX2 is missing or the soft backend is forced; the caller then runs
//! the scalar permutation four times (`hash::keccak4::keccak_f_x4_soft`).
//! The round is the same theta / rho+pi+chi / iota sequence as the scalar
//! `keccak_f_body`, with a 64-bit rotate built from two shifts.

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

    use crate::hash::{KECCAK_RC, KECCAK_ROT};

    /// Rotates each 64-bit lane left by the constant `L` (`R = 64 - L`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
        _mm256_or_si256(_mm256_slli_epi64::<L>(x), _mm256_srli_epi64::<R>(x))
    }

    /// Rotation by a table value: the shift counts must be constants, so
    /// each of the 25 rho offsets gets its own arm. Rotations by 8 and 56
    /// are byte shuffles.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn rotl_by(x: __m256i, n: u32) -> __m256i {
        match n {
            0 => x,
            1 => rotl::<1, 63>(x),
            2 => rotl::<2, 62>(x),
            3 => rotl::<3, 61>(x),
            6 => rotl::<6, 58>(x),
            8 => _mm256_shuffle_epi8(
                x,
                _mm256_setr_epi8(
                    7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12, 13, 14, 7, 0, 1, 2, 3, 4, 5, 6, 15, 8, 9, 10, 11, 12,
                    13, 14,
                ),
            ),
            10 => rotl::<10, 54>(x),
            14 => rotl::<14, 50>(x),
            15 => rotl::<15, 49>(x),
            18 => rotl::<18, 46>(x),
            20 => rotl::<20, 44>(x),
            21 => rotl::<21, 43>(x),
            25 => rotl::<25, 39>(x),
            27 => rotl::<27, 37>(x),
            28 => rotl::<28, 36>(x),
            36 => rotl::<36, 28>(x),
            39 => rotl::<39, 25>(x),
            41 => rotl::<41, 23>(x),
            43 => rotl::<43, 21>(x),
            44 => rotl::<44, 20>(x),
            45 => rotl::<45, 19>(x),
            55 => rotl::<55, 9>(x),
            56 => _mm256_shuffle_epi8(
                x,
                _mm256_setr_epi8(
                    1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13, 14, 15, 8, 1, 2, 3, 4, 5, 6, 7, 0, 9, 10, 11, 12, 13,
                    14, 15, 8,
                ),
            ),
            61 => rotl::<61, 3>(x),
            _ => rotl::<62, 2>(x), // 62, the one offset left
        }
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
            let mut d = [_mm256_set1_epi64x(0); 5];
            for x in 0..5 {
                d[x] = _mm256_xor_si256(c[(x + 4) % 5], rotl::<1, 63>(c[(x + 1) % 5]));
            }
            let mut out = [_mm256_set1_epi64x(0); 25];
            for y in 0..5 {
                let mut b = [_mm256_set1_epi64x(0); 5];
                for (bx, lane) in b.iter_mut().enumerate() {
                    let x = (bx + 3 * y) % 5;
                    *lane = rotl_by(_mm256_xor_si256(a[x + 5 * bx], d[x]), KECCAK_ROT[x + 5 * bx]);
                }
                for x in 0..5 {
                    out[x + 5 * y] = _mm256_xor_si256(b[x], _mm256_andnot_si256(b[(x + 1) % 5], b[(x + 2) % 5]));
                }
            }
            out[0] = _mm256_xor_si256(out[0], _mm256_set1_epi64x(rc as i64));
            a = out;
        }
        for (reg, lane) in a.iter().zip(state.iter_mut()) {
            // SAFETY: `lane` is 32 writable bytes; unaligned store.
            unsafe { _mm256_storeu_si256(lane.as_mut_ptr().cast(), *reg) };
        }
    }
}
