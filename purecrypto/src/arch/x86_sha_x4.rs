//! Four independent one-block SHA-256 compressions interleaved on SHA-NI.
//!
//! Entry point: [`sha256_compress_x4`], which compresses `blocks[i]` into
//! `states[i]` for four unrelated states and returns `false` when SHA-NI
//! (with SSSE3 / SSE4.1) is missing or the soft backend is forced; the
//! caller then runs its one-way compression four times.
//!
//! Why interleave: one SHA-NI compression is a single dependency chain
//! (each `sha256rnds2` waits for the previous one), so the core idles
//! between rounds. SLH-DSA-SHA2 hashes many independent one-block inputs
//! (WOTS+ chains, FORS leaves); issuing the rounds of four of them side
//! by side fills those gaps. On CPUs with SHA-NI this beats a four- or
//! eight-way AVX2 message-parallel SHA-256, which has to spend about
//! thirty vector instructions per round.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use super::detect::{Feature, features};

/// Compresses `blocks[i]` into `states[i]` (i < 4) if SHA-NI is available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha256_compress_x4(states: &mut [[u32; 8]; 4], blocks: &[[u8; 64]; 4]) -> bool {
    if !features().has_all(&[Feature::Sha, Feature::Ssse3, Feature::Sse41]) {
        return false;
    }
    // SAFETY: the CPU has SHA-NI, SSSE3 and SSE4.1 (checked above), which is
    // everything the kernel's `target_feature` list enables.
    unsafe { kernel::compress_x4(states, blocks) };
    true
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn sha256_compress_x4(_states: &mut [[u32; 8]; 4], _blocks: &[[u8; 64]; 4]) -> bool {
    false
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod kernel {
    use core::arch::x86_64::{
        __m128i, _mm_add_epi32, _mm_alignr_epi8, _mm_blend_epi16, _mm_loadu_si128, _mm_set_epi64x, _mm_setzero_si128,
        _mm_sha256msg1_epu32, _mm_sha256msg2_epu32, _mm_sha256rnds2_epu32, _mm_shuffle_epi8, _mm_shuffle_epi32,
        _mm_storeu_si128,
    };

    /// The four compressions, round group by round group.
    ///
    /// # Safety
    /// The CPU must support SHA, SSSE3 and SSE4.1.
    #[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
    pub(super) unsafe fn compress_x4(states: &mut [[u32; 8]; 4], blocks: &[[u8; 64]; 4]) {
        let k = crate::hash::sha256_k();
        let mask = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
        let mut abef = [_mm_setzero_si128(); 4];
        let mut cdgh = [_mm_setzero_si128(); 4];
        // msg[lane] = the four message-schedule groups still needed.
        let mut msg = [[_mm_setzero_si128(); 4]; 4];
        for (((state, block), (a, c)), m) in
            states.iter().zip(blocks).zip(abef.iter_mut().zip(cdgh.iter_mut())).zip(msg.iter_mut())
        {
            // SAFETY: `state` is 8 words (two 16-byte loads at word 0 and
            // 4) and `block` 64 bytes (four 16-byte loads at 0, 16, 32,
            // 48); the loads are unaligned.
            unsafe {
                let dcba = _mm_loadu_si128(state.as_ptr().cast());
                let hgfe = _mm_loadu_si128(state.as_ptr().add(4).cast());
                let cdab = _mm_shuffle_epi32(dcba, 0xb1);
                let efgh = _mm_shuffle_epi32(hgfe, 0x1b);
                *a = _mm_alignr_epi8(cdab, efgh, 8);
                *c = _mm_blend_epi16(efgh, cdab, 0xf0);
                let p = block.as_ptr();
                for (i, w) in m.iter_mut().enumerate() {
                    *w = _mm_shuffle_epi8(_mm_loadu_si128(p.add(16 * i).cast()), mask);
                }
            }
        }
        let (abef_save, cdgh_save) = (abef, cdgh);
        for (i, kw) in k.chunks_exact(4).enumerate() {
            // SAFETY: `kw` is a chunk of exactly four words (16 bytes).
            let kv = unsafe { _mm_loadu_si128(kw.as_ptr().cast()) };
            for ((a, c), m) in abef.iter_mut().zip(cdgh.iter_mut()).zip(msg.iter_mut()) {
                let [m0, m1, m2, m3] = *m;
                // Rounds 0..16 use the block's words in turn; later groups
                // come from the schedule of the previous four.
                let w = if i < 4 {
                    *m = [m1, m2, m3, m0];
                    m0
                } else {
                    let t = _mm_add_epi32(_mm_sha256msg1_epu32(m0, m1), _mm_alignr_epi8(m3, m2, 4));
                    let next = _mm_sha256msg2_epu32(t, m3);
                    *m = [m1, m2, m3, next];
                    next
                };
                let wk = _mm_add_epi32(w, kv);
                *c = _mm_sha256rnds2_epu32(*c, *a, wk);
                *a = _mm_sha256rnds2_epu32(*a, *c, _mm_shuffle_epi32(wk, 0x0e));
            }
        }
        for (((state, a), c), (a0, c0)) in
            states.iter_mut().zip(abef).zip(cdgh).zip(abef_save.into_iter().zip(cdgh_save))
        {
            let a = _mm_add_epi32(a, a0);
            let c = _mm_add_epi32(c, c0);
            let feba = _mm_shuffle_epi32(a, 0x1b);
            let dchg = _mm_shuffle_epi32(c, 0xb1);
            let dcba = _mm_blend_epi16(feba, dchg, 0xf0);
            let hgfe = _mm_alignr_epi8(dchg, feba, 8);
            // SAFETY: `state` is 8 words: two 16-byte unaligned stores at
            // word 0 and word 4.
            unsafe {
                _mm_storeu_si128(state.as_mut_ptr().cast(), dcba);
                _mm_storeu_si128(state.as_mut_ptr().add(4).cast::<__m128i>(), hgfe);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The interleaved kernel equals the one-way compression of the crate's
    /// portable SHA-256 (checked through full digests of two-block
    /// messages: the first block sets the state, the second is the lane's).
    #[test]
    fn four_way_matches_one_way() {
        use crate::hash::{Hash, Sha256};
        let mut seed = 0x9e37_79b9_u32;
        let mut byte = || {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as u8
        };
        for _ in 0..8 {
            let first: [u8; 64] = core::array::from_fn(|_| byte());
            // The lanes' second blocks are padded 32-byte messages, so the
            // digest of first || msg is one more compression of the state.
            let msgs: [[u8; 32]; 4] = core::array::from_fn(|_| core::array::from_fn(|_| byte()));
            let blocks: [[u8; 64]; 4] = core::array::from_fn(|l| {
                let mut b = [0u8; 64];
                b[..32].copy_from_slice(&msgs[l]);
                b[32] = 0x80;
                b[56..].copy_from_slice(&(96u64 * 8).to_be_bytes());
                b
            });
            let mut mid =
                [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
            let mut one = mid;
            if !crate::arch::x86_sha::sha256_compress(&mut one, &first) {
                // No SHA-NI: the four-way kernel must decline as well.
                let mut states = [mid; 4];
                assert!(!sha256_compress_x4(&mut states, &blocks));
                return;
            }
            mid = one;
            let mut states = [mid; 4];
            assert!(sha256_compress_x4(&mut states, &blocks));
            for (state, msg) in states.iter().zip(&msgs) {
                let mut h = Sha256::new();
                h.update(&first);
                h.update(msg);
                let want = h.finalize();
                let got: alloc::vec::Vec<u8> = state.iter().flat_map(|w| w.to_be_bytes()).collect();
                assert_eq!(got[..], want.as_ref()[..]);
            }
        }
    }
}
