//! Adler-32 with AVX2: 32 bytes per step, byte sums by `vpsadbw` and
//! position-weighted sums by `vpmaddubsw` + `vpmaddwd`.
//!
//! Entry point: [`adler32`]. For a 32-byte chunk `x` after state `(a, b)`:
//! `a' = a + sum x_i` and `b' = b + 32 a + sum (32 - i) x_i`. Lanes are
//! reduced modulo 65521 every [`NMAX`] bytes, before any lane can overflow.

use crate::checksum::portable;
use core::arch::x86_64::{
    __m256i, _mm_add_epi32, _mm_cvtsi128_si32, _mm_shuffle_epi32, _mm256_add_epi32, _mm256_castsi256_si128,
    _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_madd_epi16, _mm256_maddubs_epi16, _mm256_sad_epu8,
    _mm256_set1_epi16, _mm256_setr_epi8, _mm256_setzero_si256, _mm256_slli_epi32,
};

const BASE: u32 = 65_521;
/// Bytes per reduction: the largest multiple of 32 not above 5552.
const NMAX: usize = 5536;

#[inline]
#[target_feature(enable = "avx2")]
fn hsum(v: __m256i) -> u32 {
    let s = _mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b01_00_11_10));
    let s = _mm_add_epi32(s, _mm_shuffle_epi32(s, 0b10_11_00_01));
    _mm_cvtsi128_si32(s) as u32
}

/// Advances the packed Adler-32 value over `data`.
///
/// # Safety
/// The CPU supports AVX2 and the OS saves YMM state.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn adler32(adler: u32, data: &[u8]) -> u32 {
    let mut a = adler & 0xffff;
    let mut b = adler >> 16;
    let weights = _mm256_setr_epi8(
        32, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4,
        3, 2, 1,
    );
    let ones = _mm256_set1_epi16(1);
    let zero = _mm256_setzero_si256();
    let bulk = data.len() & !31;
    let (vec_part, tail) = data.split_at(bulk);
    for block in vec_part.chunks(NMAX) {
        let mut vs1 = zero;
        let mut vs2 = zero;
        // Sum over chunks of the running vs1 (the 32 a term, scaled later).
        let mut vs1_acc = zero;
        for chunk in block.chunks_exact(32) {
            // SAFETY: `chunk` is exactly 32 readable bytes; the load is
            // unaligned.
            let x = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast::<__m256i>()) };
            vs1_acc = _mm256_add_epi32(vs1_acc, vs1);
            vs1 = _mm256_add_epi32(vs1, _mm256_sad_epu8(x, zero));
            vs2 = _mm256_add_epi32(vs2, _mm256_madd_epi16(_mm256_maddubs_epi16(x, weights), ones));
        }
        let n = block.len() as u32;
        let sum1 = hsum(vs1);
        let sum2 = hsum(_mm256_add_epi32(vs2, _mm256_slli_epi32(vs1_acc, 5)));
        // b gains n * a (the starting a counted once per byte) plus the
        // in-block weighted sums; everything stays below 2^32 because
        // n <= NMAX.
        b = (b + (a * (n % BASE)) % BASE + sum2 % BASE) % BASE;
        a = (a + sum1) % BASE;
    }
    portable::adler32_update((b << 16) | a, tail)
}
