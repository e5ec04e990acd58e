//! ChaCha20, eight blocks at a time with AVX2 (x86_64).
//!
//! Entry point: [`Avx2`], a token that exists only when the CPU (and OS)
//! support AVX2. [`Avx2::xor_blocks`] keeps word `w` of eight consecutive
//! blocks in one 256-bit register, runs the 20 rounds on all of them,
//! transposes back to block order and XORs 512 bytes at a time.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi32, _mm256_loadu_si256, _mm256_or_si256, _mm256_permute2x128_si256, _mm256_set1_epi32,
    _mm256_setr_epi8, _mm256_setr_epi32, _mm256_shuffle_epi8, _mm256_shuffle_epi32, _mm256_slli_epi32,
    _mm256_srli_epi32, _mm256_storeu_si256, _mm256_unpackhi_epi32, _mm256_unpackhi_epi64, _mm256_unpacklo_epi32,
    _mm256_unpacklo_epi64, _mm256_xor_si256,
};

use super::detect::{Feature, features};

/// Proof that AVX2 is available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2(());

impl Avx2 {
    /// The token, when this CPU has AVX2 with OS support.
    pub(crate) fn detect() -> Option<Self> {
        features().has(Feature::Avx2).then_some(Self(()))
    }

    /// XORs the keystream into all of `data` (any length; meant for the
    /// tail after [`Avx2::xor_blocks`] and for short messages), two blocks
    /// per step, advancing the counter by the number of blocks used.
    pub(crate) fn xor_tail(self, state: &mut [u32; 16], data: &mut [u8]) {
        // SAFETY: the token exists only when AVX2 was detected at run time.
        unsafe { xor_tail(state, data) }
    }

    /// XORs the keystream into the leading multiple of 512 bytes of
    /// `data`, advancing the counter (word 12 of `state`, mod 2^32) by
    /// eight per 512 bytes; returns the number of bytes processed.
    pub(crate) fn xor_blocks(self, state: &mut [u32; 16], data: &mut [u8]) -> usize {
        // SAFETY: the token exists only when AVX2 was detected at run time.
        unsafe { xor_blocks(state, data) }
    }
}

#[inline]
#[target_feature(enable = "avx2")]
fn rotl<const L: i32, const R: i32>(x: __m256i) -> __m256i {
    _mm256_or_si256(_mm256_slli_epi32::<L>(x), _mm256_srli_epi32::<R>(x))
}

#[target_feature(enable = "avx2")]
fn double_rounds(x: &mut [__m256i; 16]) {
    let r16 = _mm256_setr_epi8(
        2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
    );
    let r8 = _mm256_setr_epi8(
        3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
    );
    // The quarter-round indices are fixed constants below 16.
    #[allow(clippy::indexing_slicing)]
    let mut qr = |a: usize, b: usize, c: usize, d: usize| {
        x[a] = _mm256_add_epi32(x[a], x[b]);
        x[d] = _mm256_shuffle_epi8(_mm256_xor_si256(x[d], x[a]), r16);
        x[c] = _mm256_add_epi32(x[c], x[d]);
        x[b] = rotl::<12, 20>(_mm256_xor_si256(x[b], x[c]));
        x[a] = _mm256_add_epi32(x[a], x[b]);
        x[d] = _mm256_shuffle_epi8(_mm256_xor_si256(x[d], x[a]), r8);
        x[c] = _mm256_add_epi32(x[c], x[d]);
        x[b] = rotl::<7, 25>(_mm256_xor_si256(x[b], x[c]));
    };
    for _ in 0..10 {
        qr(0, 4, 8, 12);
        qr(1, 5, 9, 13);
        qr(2, 6, 10, 14);
        qr(3, 7, 11, 15);
        qr(0, 5, 10, 15);
        qr(1, 6, 11, 12);
        qr(2, 7, 8, 13);
        qr(3, 4, 9, 14);
    }
}

/// Transposes eight registers of eight 32-bit lanes: row `j` of the
/// result holds lane `j` of every input.
#[target_feature(enable = "avx2")]
fn transpose(a: &[__m256i; 8]) -> [__m256i; 8] {
    let [a0, a1, a2, a3, a4, a5, a6, a7] = *a;
    let (t0, t1) = (_mm256_unpacklo_epi32(a0, a1), _mm256_unpackhi_epi32(a0, a1));
    let (t2, t3) = (_mm256_unpacklo_epi32(a2, a3), _mm256_unpackhi_epi32(a2, a3));
    let (t4, t5) = (_mm256_unpacklo_epi32(a4, a5), _mm256_unpackhi_epi32(a4, a5));
    let (t6, t7) = (_mm256_unpacklo_epi32(a6, a7), _mm256_unpackhi_epi32(a6, a7));
    let (u0, u1) = (_mm256_unpacklo_epi64(t0, t2), _mm256_unpackhi_epi64(t0, t2));
    let (u2, u3) = (_mm256_unpacklo_epi64(t1, t3), _mm256_unpackhi_epi64(t1, t3));
    let (u4, u5) = (_mm256_unpacklo_epi64(t4, t6), _mm256_unpackhi_epi64(t4, t6));
    let (u6, u7) = (_mm256_unpacklo_epi64(t5, t7), _mm256_unpackhi_epi64(t5, t7));
    [
        _mm256_permute2x128_si256(u0, u4, 0x20),
        _mm256_permute2x128_si256(u1, u5, 0x20),
        _mm256_permute2x128_si256(u2, u6, 0x20),
        _mm256_permute2x128_si256(u3, u7, 0x20),
        _mm256_permute2x128_si256(u0, u4, 0x31),
        _mm256_permute2x128_si256(u1, u5, 0x31),
        _mm256_permute2x128_si256(u2, u6, 0x31),
        _mm256_permute2x128_si256(u3, u7, 0x31),
    ]
}

#[target_feature(enable = "avx2")]
fn xor_blocks(state: &mut [u32; 16], data: &mut [u8]) -> usize {
    let mut done = 0;
    for chunk in data.chunks_exact_mut(512) {
        let mut base: [__m256i; 16] =
            core::array::from_fn(|i| _mm256_set1_epi32(state.get(i).copied().unwrap_or(0) as i32));
        base[12] = _mm256_add_epi32(base[12], _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
        let mut x = base;
        double_rounds(&mut x);
        for (v, b) in x.iter_mut().zip(base) {
            *v = _mm256_add_epi32(*v, b);
        }
        let [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15] = x;
        let lo = transpose(&[x0, x1, x2, x3, x4, x5, x6, x7]);
        let hi = transpose(&[x8, x9, x10, x11, x12, x13, x14, x15]);
        let rows = lo.iter().zip(hi.iter()).flat_map(|(l, h)| [*l, *h]);
        for (piece, ks) in chunk.chunks_exact_mut(32).zip(rows) {
            let p = piece.as_mut_ptr().cast::<__m256i>();
            // SAFETY: `piece` is exactly 32 writable bytes (chunks_exact);
            // loadu/storeu need no alignment.
            unsafe { _mm256_storeu_si256(p, _mm256_xor_si256(_mm256_loadu_si256(p), ks)) };
        }
        state[12] = state[12].wrapping_add(8);
        done += 512;
    }
    done
}

/// Two blocks side by side: register `A` holds row 0 of both blocks (one
/// per 128-bit lane), `B` row 1, `C` row 2, `D` row 3; the diagonal
/// round rotates rows `B`, `C`, `D` by one, two and three words.
#[target_feature(enable = "avx2")]
fn two_blocks(state: &[u32; 16]) -> [__m256i; 4] {
    let row = |r: usize| {
        let w = |i: usize| state.get(4 * r + i).copied().unwrap_or(0) as i32;
        _mm256_setr_epi32(w(0), w(1), w(2), w(3), w(0), w(1), w(2), w(3))
    };
    let input = [row(0), row(1), row(2), _mm256_add_epi32(row(3), _mm256_setr_epi32(0, 0, 0, 0, 1, 0, 0, 0))];
    let [mut a, mut b, mut c, mut d] = input;
    let r16 = _mm256_setr_epi8(
        2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
    );
    let r8 = _mm256_setr_epi8(
        3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14, 3, 0, 1, 2, 7, 4, 5, 6, 11, 8, 9, 10, 15, 12, 13, 14,
    );
    for _ in 0..10 {
        for diagonal in [false, true] {
            a = _mm256_add_epi32(a, b);
            d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), r16);
            c = _mm256_add_epi32(c, d);
            b = rotl::<12, 20>(_mm256_xor_si256(b, c));
            a = _mm256_add_epi32(a, b);
            d = _mm256_shuffle_epi8(_mm256_xor_si256(d, a), r8);
            c = _mm256_add_epi32(c, d);
            b = rotl::<7, 25>(_mm256_xor_si256(b, c));
            if diagonal {
                b = _mm256_shuffle_epi32(b, 0x93);
                c = _mm256_shuffle_epi32(c, 0x4e);
                d = _mm256_shuffle_epi32(d, 0x39);
            } else {
                b = _mm256_shuffle_epi32(b, 0x39);
                c = _mm256_shuffle_epi32(c, 0x4e);
                d = _mm256_shuffle_epi32(d, 0x93);
            }
        }
    }
    let [a0, b0, c0, d0] = input;
    let (a, b, c, d) =
        (_mm256_add_epi32(a, a0), _mm256_add_epi32(b, b0), _mm256_add_epi32(c, c0), _mm256_add_epi32(d, d0));
    [
        _mm256_permute2x128_si256(a, b, 0x20),
        _mm256_permute2x128_si256(c, d, 0x20),
        _mm256_permute2x128_si256(a, b, 0x31),
        _mm256_permute2x128_si256(c, d, 0x31),
    ]
}

#[target_feature(enable = "avx2")]
fn xor128(bytes: &mut [u8; 128], ks: [__m256i; 4]) {
    for (piece, k) in bytes.chunks_exact_mut(32).zip(ks) {
        let p = piece.as_mut_ptr().cast::<__m256i>();
        // SAFETY: `piece` is exactly 32 writable bytes (chunks_exact);
        // loadu/storeu need no alignment.
        unsafe { _mm256_storeu_si256(p, _mm256_xor_si256(_mm256_loadu_si256(p), k)) };
    }
}

#[target_feature(enable = "avx2")]
fn xor_tail(state: &mut [u32; 16], data: &mut [u8]) {
    for chunk in data.chunks_mut(128) {
        let ks = two_blocks(state);
        let len = chunk.len();
        if let Ok(full) = <&mut [u8; 128]>::try_from(&mut *chunk) {
            xor128(full, ks);
        } else {
            // A short final step goes through a word buffer, so wiping the
            // spare keystream costs 16 stores rather than 128.
            let mut words = [0u64; 16];
            // SAFETY: `words` is 128 bytes of plain integers, valid for
            // any bit pattern, aligned for u8, and not otherwise borrowed
            // while `bytes` lives.
            let bytes: &mut [u8; 128] = unsafe { &mut *words.as_mut_ptr().cast::<[u8; 128]>() };
            bytes.get_mut(..len).unwrap_or_default().copy_from_slice(chunk);
            xor128(bytes, ks);
            chunk.copy_from_slice(bytes.get(..len).unwrap_or_default());
            zeroize::Zeroize::zeroize(&mut words);
        }
        state[12] = state[12].wrapping_add(len.div_ceil(64) as u32);
    }
}
