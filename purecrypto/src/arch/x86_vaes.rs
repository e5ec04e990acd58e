//! Fused AES-GCM bulk kernel with VAES and VPCLMULQDQ (x86_64, 256-bit).
//!
//! Entry point: [`VaesClmul`], a token that exists only when the CPU has
//! AES-NI, PCLMULQDQ, AVX2, VAES and VPCLMULQDQ. [`VaesClmul::gcm_xor`]
//! handles 256 bytes per step: sixteen counter blocks in eight YMM
//! registers go through the AES rounds two at a time (eight independent
//! chains hide the round latency), and in the same loop the ciphertext of
//! those blocks is folded into GHASH with `(Y ^ X1)·H^16 ^ ... ^ X16·H`
//! (schoolbook partial products summed unreduced, one reduction per step,
//! shared with the portable code).

use core::arch::x86_64::{
    __m128i, __m256i, _mm_cvtsi128_si64, _mm_extract_epi64, _mm_xor_si128, _mm256_add_epi32, _mm256_aesenc_epi128,
    _mm256_aesenclast_epi128, _mm256_broadcastsi128_si256, _mm256_castsi256_si128, _mm256_clmulepi64_epi128,
    _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_set_epi32, _mm256_set_epi64x, _mm256_setr_epi8,
    _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_storeu_si256, _mm256_xor_si256,
};

use super::detect::{Feature, features};
use crate::aead::ghash::reduce;

type Block = [u8; 16];
type RoundKeys = [Block; 15];

/// Proof that AES-NI, PCLMULQDQ, AVX2, VAES and VPCLMULQDQ are available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct VaesClmul(());

impl VaesClmul {
    /// The token, when this CPU has every feature the kernel uses.
    pub(crate) fn detect() -> Option<Self> {
        features()
            .has_all(&[
                Feature::Aes,
                Feature::Pclmulqdq,
                Feature::Ssse3,
                Feature::Sse41,
                Feature::Avx2,
                Feature::Vaes,
                Feature::Vpclmulqdq,
            ])
            .then_some(Self(()))
    }

    /// GCM-encrypts (or decrypts) the leading multiple of 256 bytes of
    /// `data` in place, starting at counter block `ctr` (32-bit
    /// big-endian counter in the last word) and GHASH state `acc` with key
    /// powers `h` (`h[i] == H^(i+1)`). Returns the next counter block, the
    /// new GHASH state and the number of bytes processed.
    // The arguments are exactly the GCM state the kernel reads and updates.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn gcm_xor(
        self,
        rk: &RoundKeys,
        rounds: usize,
        ctr: Block,
        h: &[u128; 16],
        acc: u128,
        data: &mut [u8],
        decrypt: bool,
    ) -> (Block, u128, usize) {
        // SAFETY: the token exists only when every feature enabled on
        // `gcm_xor` was detected at run time.
        unsafe { gcm_xor(rk, rounds, ctr, h, acc, data, decrypt) }
    }
}

#[inline]
#[target_feature(enable = "avx2")]
fn bswap(v: __m256i) -> __m256i {
    _mm256_shuffle_epi8(
        v,
        _mm256_setr_epi8(
            15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
        ),
    )
}

#[inline]
#[target_feature(enable = "avx2")]
fn from_u128_pair(lo_lane: u128, hi_lane: u128) -> __m256i {
    _mm256_set_epi64x((hi_lane >> 64) as i64, hi_lane as i64, (lo_lane >> 64) as i64, lo_lane as i64)
}

#[inline]
#[target_feature(enable = "avx2,sse4.1")]
fn fold_lanes(v: __m256i) -> u128 {
    let x: __m128i = _mm_xor_si128(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
    let lo = _mm_cvtsi128_si64(x) as u64;
    let hi = _mm_extract_epi64(x, 1) as u64;
    (u128::from(hi) << 64) | u128::from(lo)
}

#[target_feature(enable = "aes,pclmulqdq,sse2,ssse3,sse4.1,avx,avx2,vaes,vpclmulqdq")]
#[allow(clippy::too_many_arguments)]
fn gcm_xor(
    rk: &RoundKeys,
    rounds: usize,
    ctr: Block,
    h: &[u128; 16],
    acc: u128,
    data: &mut [u8],
    decrypt: bool,
) -> (Block, u128, usize) {
    // Round keys broadcast to both lanes.
    let keys: [__m256i; 15] = core::array::from_fn(|i| {
        let k = u128::from_le_bytes(rk.get(i).copied().unwrap_or_default());
        from_u128_pair(k, k)
    });
    let first = keys[0];
    let last = keys.get(rounds).copied().unwrap_or(first);
    let middle = keys.get(1..rounds).unwrap_or_default();
    // Key pairs: lanes (H^16, H^15), (H^14, H^13), ..., (H^2, H^1).
    let hp = |i: usize| h.get(i).copied().unwrap_or(0);
    let hkeys: [__m256i; 8] = core::array::from_fn(|m| from_u128_pair(hp(15 - 2 * m), hp(14 - 2 * m)));
    // Counter kept byte-reversed: the low dword of each lane is the
    // big-endian counter word, so a 32-bit add increments it mod 2^32.
    let c0 = bswap(_mm256_broadcastsi128_si256(_mm256_castsi256_si128(from_u128_pair(u128::from_le_bytes(ctr), 0))));
    let mut counter = _mm256_add_epi32(c0, _mm256_set_epi32(0, 0, 0, 1, 0, 0, 0, 0));
    let step = _mm256_set_epi32(0, 0, 0, 2, 0, 0, 0, 2);
    let sixteen = _mm256_set_epi32(0, 0, 0, 16, 0, 0, 0, 16);
    let mut acc = acc;
    let mut done = 0;
    for chunk in data.chunks_exact_mut(256) {
        let mut b = [_mm256_setzero_si256(); 8];
        let mut c = counter;
        for x in b.iter_mut() {
            *x = _mm256_xor_si256(bswap(c), first);
            c = _mm256_add_epi32(c, step);
        }
        counter = _mm256_add_epi32(counter, sixteen);
        for k in middle {
            for x in b.iter_mut() {
                *x = _mm256_aesenc_epi128(*x, *k);
            }
        }
        let ptr = chunk.as_mut_ptr().cast::<__m256i>();
        let mut blocks = [_mm256_setzero_si256(); 8];
        for (i, (x, out)) in b.iter().zip(blocks.iter_mut()).enumerate() {
            // SAFETY: `chunk` is exactly 256 bytes and `i < 8`, so each
            // 32-byte access at `ptr.add(i)` is in bounds; loadu/storeu
            // need no alignment.
            unsafe {
                let input = _mm256_loadu_si256(ptr.add(i));
                let output = _mm256_xor_si256(input, _mm256_aesenclast_epi128(*x, last));
                _mm256_storeu_si256(ptr.add(i), output);
                *out = if decrypt { input } else { output };
            }
        }
        // GHASH the sixteen ciphertext blocks.
        let (mut lo, mut hi, mut mid) = (_mm256_setzero_si256(), _mm256_setzero_si256(), _mm256_setzero_si256());
        for (i, (blk, key)) in blocks.iter().zip(hkeys.iter()).enumerate() {
            let mut x = bswap(*blk);
            if i == 0 {
                x = _mm256_xor_si256(x, from_u128_pair(acc, 0));
            }
            lo = _mm256_xor_si256(lo, _mm256_clmulepi64_epi128(x, *key, 0x00));
            hi = _mm256_xor_si256(hi, _mm256_clmulepi64_epi128(x, *key, 0x11));
            mid = _mm256_xor_si256(mid, _mm256_clmulepi64_epi128(x, *key, 0x01));
            mid = _mm256_xor_si256(mid, _mm256_clmulepi64_epi128(x, *key, 0x10));
        }
        let (lo, hi, mid) = (fold_lanes(lo), fold_lanes(hi), fold_lanes(mid));
        acc = reduce(hi ^ (mid >> 64), lo ^ (mid << 64));
        done += 256;
    }
    let mut out = [0u8; 16];
    let lane = _mm256_castsi256_si128(bswap(counter));
    let lo = _mm_cvtsi128_si64(lane) as u64;
    let hi = _mm_extract_epi64(lane, 1) as u64;
    out.copy_from_slice(&((u128::from(hi) << 64) | u128::from(lo)).to_le_bytes());
    (out, acc, done)
}
