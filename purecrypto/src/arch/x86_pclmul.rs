//! GHASH with PCLMULQDQ (x86_64).
//!
//! Entry point: [`Pclmul`], a token that exists only when the CPU reports
//! carry-less multiplication. [`Pclmul::ghash_blocks`] folds eight blocks
//! per reduction: `Y' = (Y ^ X1)·H^8 ^ X2·H^7 ^ ... ^ X8·H`, summing the
//! Karatsuba partial products unreduced and reducing once with the same
//! routine as the portable code (`aead::ghash::reduce`).

use core::arch::x86_64::{
    __m128i, _mm_clmulepi64_si128, _mm_cvtsi128_si64, _mm_extract_epi64, _mm_loadu_si128, _mm_set_epi64x,
    _mm_setr_epi8, _mm_setzero_si128, _mm_shuffle_epi8, _mm_shuffle_epi32, _mm_xor_si128,
};

use super::detect::{Feature, features};
use crate::aead::ghash::reduce;

/// Proof that PCLMULQDQ, SSSE3 and SSE4.1 are available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pclmul(());

impl Pclmul {
    /// The token, when this CPU has PCLMULQDQ (with SSSE3 and SSE4.1).
    pub(crate) fn detect() -> Option<Self> {
        features().has_all(&[Feature::Pclmulqdq, Feature::Ssse3, Feature::Sse41]).then_some(Self(()))
    }

    /// Absorbs the whole 16-byte blocks of `data` into `acc` with the key
    /// powers `h` (`h[i] == H^(i+1)`); returns the new accumulator.
    pub(crate) fn ghash_blocks(self, acc: u128, h: &[u128; 8], data: &[u8]) -> u128 {
        // SAFETY: the token exists only when PCLMULQDQ, SSSE3 and SSE4.1
        // were detected at run time.
        unsafe { ghash_blocks(acc, h, data) }
    }
}

#[inline]
#[target_feature(enable = "sse2")]
fn to_m128(v: u128) -> __m128i {
    _mm_set_epi64x((v >> 64) as i64, v as i64)
}

#[target_feature(enable = "sse2,sse4.1")]
fn to_u128(v: __m128i) -> u128 {
    let lo = _mm_cvtsi128_si64(v) as u64;
    let hi = _mm_extract_epi64(v, 1) as u64;
    (u128::from(hi) << 64) | u128::from(lo)
}

/// Loads a block as the big-endian integer GHASH works on.
#[target_feature(enable = "sse2,ssse3")]
fn load_be(block: &[u8]) -> __m128i {
    let mut b = [0u8; 16];
    for (x, y) in b.iter_mut().zip(block) {
        *x = *y;
    }
    // SAFETY: `b` is a readable 16-byte array; loadu needs no alignment.
    let v = unsafe { _mm_loadu_si128(b.as_ptr().cast()) };
    _mm_shuffle_epi8(v, _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
}

/// The low 64 bits become `lo ^ hi` (Karatsuba's middle operand).
#[target_feature(enable = "sse2")]
fn fold(v: __m128i) -> __m128i {
    _mm_xor_si128(v, _mm_shuffle_epi32(v, 0x4e))
}

#[target_feature(enable = "pclmulqdq,sse2,ssse3,sse4.1")]
fn ghash_blocks(acc: u128, h: &[u128; 8], data: &[u8]) -> u128 {
    let hv: [__m128i; 8] = core::array::from_fn(|i| to_m128(h.get(i).copied().unwrap_or(0)));
    let hk: [__m128i; 8] = hv.map(|v| fold(v));
    let mut acc = acc;
    let mut chunks = data.chunks_exact(128);
    for chunk in &mut chunks {
        let (mut lo, mut hi, mut mid) = (_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128());
        // Block i of 8 is multiplied by H^(8 - i), stored at 7 - i.
        let keys = hv.iter().rev().zip(hk.iter().rev());
        for (i, (block, (&hp, &hpk))) in chunk.chunks_exact(16).zip(keys).enumerate() {
            let mut x = load_be(block);
            if i == 0 {
                x = _mm_xor_si128(x, to_m128(acc));
            }
            lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(x, hp, 0x00));
            hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(x, hp, 0x11));
            mid = _mm_xor_si128(mid, _mm_clmulepi64_si128(fold(x), hpk, 0x00));
        }
        acc = finish(lo, hi, mid);
    }
    // Fewer than eight blocks left: block i of k is multiplied by
    // H^(k - i), again with one reduction.
    let rest = chunks.remainder();
    let k = rest.len() / 16;
    if k > 0 {
        let (mut lo, mut hi, mut mid) = (_mm_setzero_si128(), _mm_setzero_si128(), _mm_setzero_si128());
        let keys = hv.iter().take(k).rev().zip(hk.iter().take(k).rev());
        for (i, (block, (&hp, &hpk))) in rest.chunks_exact(16).zip(keys).enumerate() {
            let mut x = load_be(block);
            if i == 0 {
                x = _mm_xor_si128(x, to_m128(acc));
            }
            lo = _mm_xor_si128(lo, _mm_clmulepi64_si128(x, hp, 0x00));
            hi = _mm_xor_si128(hi, _mm_clmulepi64_si128(x, hp, 0x11));
            mid = _mm_xor_si128(mid, _mm_clmulepi64_si128(fold(x), hpk, 0x00));
        }
        acc = finish(lo, hi, mid);
    }
    acc
}

/// Combines Karatsuba partial sums and reduces.
#[target_feature(enable = "sse2,sse4.1")]
fn finish(lo: __m128i, hi: __m128i, mid: __m128i) -> u128 {
    let (lo, hi) = (to_u128(lo), to_u128(hi));
    let mid = to_u128(mid) ^ lo ^ hi;
    reduce(hi ^ (mid >> 64), lo ^ (mid << 64))
}
