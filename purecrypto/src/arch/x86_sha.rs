//! SHA-NI kernels for SHA-1 and SHA-256 (Intel SHA extensions).
//!
//! Entry points: [`sha256_compress`] and [`sha1_compress`], which run the
//! kernel and return `true` when the CPU has SHA-NI (plus SSSE3/SSE4.1 for
//! the byte shuffles), or return `false` so the caller uses its portable
//! code. Only compiled on x86_64.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use super::detect::{Feature, features};

/// Runs SHA-256 over `blocks.len() / 64` blocks with SHA-NI if available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha256_compress(state: &mut [u32; 8], blocks: &[u8]) -> bool {
    if !features().has_all(&[Feature::Sha, Feature::Ssse3, Feature::Sse41]) {
        return false;
    }
    // SAFETY: the CPU has SHA-NI, SSSE3 and SSE4.1 (checked above), which is
    // everything the kernel's `target_feature` list enables.
    unsafe { sha256_ni(state, blocks) };
    true
}

/// Runs SHA-1 over `blocks.len() / 64` blocks with SHA-NI if available.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha1_compress(state: &mut [u32; 5], blocks: &[u8]) -> bool {
    if !features().has_all(&[Feature::Sha, Feature::Ssse3, Feature::Sse41]) {
        return false;
    }
    // SAFETY: as in `sha256_compress`.
    unsafe { sha1_ni(state, blocks) };
    true
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn sha256_compress(_state: &mut [u32; 8], _blocks: &[u8]) -> bool {
    false
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn sha1_compress(_state: &mut [u32; 5], _blocks: &[u8]) -> bool {
    false
}

/// SHA-256 rounds with SHA-NI.
///
/// # Safety
/// The CPU must support SHA, SSSE3 and SSE4.1.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
#[allow(unused_unsafe)]
unsafe fn sha256_ni(state: &mut [u32; 8], blocks: &[u8]) {
    use core::arch::x86_64::*;
    let k = &crate::hash::sha256_k();
    // SAFETY: every pointer read or written below comes from a live array or
    // slice of at least 16 bytes at that offset: `state` is 8 words, each
    // `block` is exactly 64 bytes (chunks_exact), `k` is 64 words and the
    // offsets `4 * i` for i < 16 stay inside it. Unaligned loads/stores are
    // used throughout. The other intrinsics only need the CPU features that
    // the caller guarantees.
    unsafe {
        let mask = _mm_set_epi64x(0x0c0d_0e0f_0809_0a0b, 0x0405_0607_0001_0203);
        let dcba = _mm_loadu_si128(state.as_ptr().cast());
        let hgfe = _mm_loadu_si128(state.as_ptr().add(4).cast());
        let cdab = _mm_shuffle_epi32(dcba, 0xb1);
        let efgh = _mm_shuffle_epi32(hgfe, 0x1b);
        let mut abef = _mm_alignr_epi8(cdab, efgh, 8);
        let mut cdgh = _mm_blend_epi16(efgh, cdab, 0xf0);

        for block in blocks.chunks_exact(64) {
            let (abef_save, cdgh_save) = (abef, cdgh);
            let p = block.as_ptr();
            let mut m0 = _mm_shuffle_epi8(_mm_loadu_si128(p.cast()), mask);
            let mut m1 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(16).cast()), mask);
            let mut m2 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(32).cast()), mask);
            let mut m3 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(48).cast()), mask);
            macro_rules! four_rounds {
                ($m:expr, $i:expr) => {
                    let wk = _mm_add_epi32($m, _mm_loadu_si128(k.as_ptr().add(4 * $i).cast()));
                    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);
                    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0e));
                };
            }
            // next = schedule(m0, m1, m2, m3) yields W[16i..16i+4] from the four previous groups.
            macro_rules! next {
                () => {{
                    let t = _mm_add_epi32(_mm_sha256msg1_epu32(m0, m1), _mm_alignr_epi8(m3, m2, 4));
                    _mm_sha256msg2_epu32(t, m3)
                }};
            }
            four_rounds!(m0, 0);
            four_rounds!(m1, 1);
            four_rounds!(m2, 2);
            four_rounds!(m3, 3);
            macro_rules! step {
                ($i:expr) => {
                    let n = next!();
                    m0 = m1;
                    m1 = m2;
                    m2 = m3;
                    m3 = n;
                    four_rounds!(m3, $i);
                };
            }
            step!(4);
            step!(5);
            step!(6);
            step!(7);
            step!(8);
            step!(9);
            step!(10);
            step!(11);
            step!(12);
            step!(13);
            step!(14);
            step!(15);
            abef = _mm_add_epi32(abef, abef_save);
            cdgh = _mm_add_epi32(cdgh, cdgh_save);
        }

        let feba = _mm_shuffle_epi32(abef, 0x1b);
        let dchg = _mm_shuffle_epi32(cdgh, 0xb1);
        let dcba = _mm_blend_epi16(feba, dchg, 0xf0);
        let hgfe = _mm_alignr_epi8(dchg, feba, 8);
        _mm_storeu_si128(state.as_mut_ptr().cast(), dcba);
        _mm_storeu_si128(state.as_mut_ptr().add(4).cast(), hgfe);
    }
}

/// SHA-1 rounds with SHA-NI.
///
/// # Safety
/// The CPU must support SHA, SSSE3 and SSE4.1.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "sha,sse2,ssse3,sse4.1")]
#[allow(unused_unsafe)]
unsafe fn sha1_ni(state: &mut [u32; 5], blocks: &[u8]) {
    use core::arch::x86_64::*;
    // SAFETY: `state` has 5 words, so the 16-byte load/store at offset 0 is
    // in bounds and word 4 is read and written as a scalar; each `block` is
    // exactly 64 bytes (chunks_exact) and is read at offsets 0, 16, 32, 48.
    // The other intrinsics only need the CPU features the caller guarantees.
    unsafe {
        let mask = _mm_set_epi64x(0x0001_0203_0405_0607, 0x0809_0a0b_0c0d_0e0f);
        let mut abcd = _mm_shuffle_epi32(_mm_loadu_si128(state.as_ptr().cast()), 0x1b);
        let mut e0 = _mm_set_epi32(state[4] as i32, 0, 0, 0);

        for block in blocks.chunks_exact(64) {
            let (abcd_save, e_save) = (abcd, e0);
            let p = block.as_ptr();
            let mut m0 = _mm_shuffle_epi8(_mm_loadu_si128(p.cast()), mask);
            let mut m1 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(16).cast()), mask);
            let mut m2 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(32).cast()), mask);
            let mut m3 = _mm_shuffle_epi8(_mm_loadu_si128(p.add(48).cast()), mask);

            // Group 0 adds E directly; later groups derive E from the
            // previous ABCD with sha1nexte.
            let mut prev = abcd;
            abcd = _mm_sha1rnds4_epu32(abcd, _mm_add_epi32(e0, m0), 0);
            macro_rules! group {
                ($w:expr, $f:literal) => {
                    let e = _mm_sha1nexte_epu32(prev, $w);
                    prev = abcd;
                    abcd = _mm_sha1rnds4_epu32(abcd, e, $f);
                };
            }
            macro_rules! step {
                ($f:literal) => {
                    let n = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32(m0, m1), m2), m3);
                    m0 = m1;
                    m1 = m2;
                    m2 = m3;
                    m3 = n;
                    group!(m3, $f);
                };
            }
            group!(m1, 0);
            group!(m2, 0);
            group!(m3, 0);
            step!(0);
            step!(1);
            step!(1);
            step!(1);
            step!(1);
            step!(1);
            step!(2);
            step!(2);
            step!(2);
            step!(2);
            step!(2);
            step!(3);
            step!(3);
            step!(3);
            step!(3);
            step!(3);
            e0 = _mm_sha1nexte_epu32(prev, e_save);
            abcd = _mm_add_epi32(abcd, abcd_save);
        }

        _mm_storeu_si128(state.as_mut_ptr().cast(), _mm_shuffle_epi32(abcd, 0x1b));
        state[4] = _mm_extract_epi32(e0, 3) as u32;
    }
}
