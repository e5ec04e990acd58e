//! CRC-32 by carry-less multiplication folding (PCLMULQDQ), after Intel's
//! white paper "Fast CRC Computation for Generic Polynomials Using
//! PCLMULQDQ Instruction" (Gopal et al., 2009).
//!
//! Entry point: [`crc32_fold`]. Four 128-bit lanes are folded 64 bytes at a
//! time, then folded into one lane, reduced to 64 bits and finally to 32
//! bits with a Barrett reduction. The constants are powers of x modulo the
//! reflected polynomial 0x1DB710641.

use core::arch::x86_64::{
    __m128i, _mm_and_si128, _mm_clmulepi64_si128, _mm_cvtsi32_si128, _mm_extract_epi32, _mm_loadu_si128,
    _mm_set_epi64x, _mm_setr_epi32, _mm_srli_si128, _mm_xor_si128,
};

/// The shortest input [`crc32_fold`] accepts.
pub(super) const MIN_LEN: usize = 64;

/// x^(4*128+32) and x^(4*128-32) mod P: fold by four lanes.
const K1: i64 = 0x1_5444_2bd4;
const K2: i64 = 0x1_c6e4_1596;
/// x^(128+32) and x^(128-32) mod P: fold by one lane.
const K3: i64 = 0x1_7519_97d0;
const K4: i64 = 0x0_ccaa_009e;
/// x^64 mod P: 96 -> 64 bits.
const K5: i64 = 0x1_63cd_6124;
/// P and mu = x^64 / P for the Barrett reduction.
const POLY: i64 = 0x1_db71_0641;
const MU: i64 = 0x1_f701_1641;

/// Loads 16 bytes of `data` at `at`.
///
/// # Safety
/// `at + 16 <= data.len()`.
#[inline]
#[target_feature(enable = "sse2")]
unsafe fn load(data: &[u8], at: usize) -> __m128i {
    debug_assert!(at + 16 <= data.len());
    // SAFETY: the caller guarantees 16 readable bytes at `at`; the load is
    // unaligned.
    unsafe { _mm_loadu_si128(data.as_ptr().add(at).cast::<__m128i>()) }
}

/// One fold step: `acc * k` (both halves) xor `next`.
#[inline]
#[target_feature(enable = "pclmulqdq,sse4.1")]
fn fold(acc: __m128i, k: __m128i, next: __m128i) -> __m128i {
    let lo = _mm_clmulepi64_si128(acc, k, 0x00);
    let hi = _mm_clmulepi64_si128(acc, k, 0x11);
    _mm_xor_si128(_mm_xor_si128(lo, hi), next)
}

/// Advances the raw (pre-inverted) CRC state over `data`.
///
/// # Safety
/// The CPU supports PCLMULQDQ and SSE4.1; `data.len()` is at least
/// [`MIN_LEN`] and a multiple of 16.
#[target_feature(enable = "pclmulqdq,sse4.1")]
pub(super) unsafe fn crc32_fold(state: u32, data: &[u8]) -> u32 {
    debug_assert!(data.len() >= MIN_LEN && data.len() % 16 == 0);
    let len = data.len();
    // SAFETY: len >= 64, so offsets 0, 16, 32 and 48 have 16 bytes each.
    let (mut x1, mut x2, mut x3, mut x4) = unsafe {
        (_mm_xor_si128(load(data, 0), _mm_cvtsi32_si128(state as i32)), load(data, 16), load(data, 32), load(data, 48))
    };
    let mut at = 64;
    let k1k2 = _mm_set_epi64x(K2, K1);
    while at + 64 <= len {
        // SAFETY: at + 64 <= len.
        unsafe {
            x1 = fold(x1, k1k2, load(data, at));
            x2 = fold(x2, k1k2, load(data, at + 16));
            x3 = fold(x3, k1k2, load(data, at + 32));
            x4 = fold(x4, k1k2, load(data, at + 48));
        }
        at += 64;
    }
    let k3k4 = _mm_set_epi64x(K4, K3);
    x1 = fold(x1, k3k4, x2);
    x1 = fold(x1, k3k4, x3);
    x1 = fold(x1, k3k4, x4);
    while at + 16 <= len {
        // SAFETY: at + 16 <= len.
        x1 = fold(x1, k3k4, unsafe { load(data, at) });
        at += 16;
    }
    // 128 -> 64 bits.
    let mask32 = _mm_setr_epi32(!0, 0, !0, 0);
    let t = _mm_clmulepi64_si128(x1, k3k4, 0x10);
    x1 = _mm_xor_si128(_mm_srli_si128(x1, 8), t);
    let k5 = _mm_set_epi64x(0, K5);
    let t = _mm_srli_si128(x1, 4);
    x1 = _mm_clmulepi64_si128(_mm_and_si128(x1, mask32), k5, 0x00);
    x1 = _mm_xor_si128(x1, t);
    // Barrett reduction to 32 bits.
    let pmu = _mm_set_epi64x(MU, POLY);
    let mut t = _mm_and_si128(x1, mask32);
    t = _mm_clmulepi64_si128(t, pmu, 0x10);
    t = _mm_and_si128(t, mask32);
    t = _mm_clmulepi64_si128(t, pmu, 0x00);
    x1 = _mm_xor_si128(x1, t);
    _mm_extract_epi32(x1, 1) as u32
}
