//! ChaCha20 with AVX-512 (x86_64): sixteen blocks per step in ZMM
//! registers, and a row-wise kernel for the tail.
//!
//! Entry point: [`Avx512`], a token that exists only when the CPU (and OS)
//! support AVX-512F and AVX-512BW. [`Avx512::xor`] handles any length:
//!
//! - every full 1 KiB keeps word `w` of sixteen consecutive blocks in one
//!   register ([`sixteen_blocks`]), so a quarter round is twelve
//!   instructions for sixteen blocks (`vprold` rotates in one step, where
//!   AVX2 needs two shifts and an OR or a byte shuffle);
//! - a tail above 512 bytes runs the same kernel once more;
//! - a shorter tail (and short messages) uses [`rows`]: register `A` holds
//!   row 0 of four consecutive blocks (one per 128-bit lane), `B`, `C`,
//!   `D` rows 1-3, with one or two such sets in flight (four or eight
//!   blocks); the diagonal round rotates `B`, `C`, `D` within each lane.
//!
//! A final partial block is XORed with masked byte loads and stores
//! (AVX-512BW), which never touch memory outside the slice. The counter is
//! word 12 of the state and wraps modulo 2^32 with 32-bit lane additions,
//! exactly as the portable code does. Add-rotate-xor only, so the timing
//! depends on the length alone.

use core::arch::x86_64::{
    __m512i, _MM_PERM_ENUM, _mm_setr_epi32, _mm512_add_epi32, _mm512_broadcast_i32x4, _mm512_loadu_si512,
    _mm512_mask_storeu_epi8, _mm512_maskz_loadu_epi8, _mm512_rol_epi32, _mm512_set1_epi32, _mm512_setr_epi32,
    _mm512_shuffle_epi32, _mm512_shuffle_i32x4, _mm512_storeu_si512, _mm512_unpackhi_epi32, _mm512_unpackhi_epi64,
    _mm512_unpacklo_epi32, _mm512_unpacklo_epi64, _mm512_xor_si512,
};

use super::detect::{Feature, features};

/// Proof that AVX-512F and AVX-512BW are available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx512(());

impl Avx512 {
    /// The token, when this CPU has AVX-512F and AVX-512BW with OS support
    /// for the ZMM and opmask state.
    pub(crate) fn detect() -> Option<Self> {
        features().has_all(&[Feature::Avx512f, Feature::Avx512bw]).then_some(Self(()))
    }

    /// XORs the keystream into all of `data` (any length), advancing the
    /// counter (word 12 of `state`, mod 2^32) by the number of blocks
    /// used; a partial final block counts as used.
    pub(crate) fn xor(self, state: &mut [u32; 16], data: &mut [u8]) {
        // SAFETY: the token exists only when AVX-512F and AVX-512BW were
        // detected at run time.
        unsafe { xor(state, data) }
    }
}

/// One column-or-diagonal quarter round on whole registers.
macro_rules! quarter {
    ($a:expr, $b:expr, $c:expr, $d:expr) => {
        $a = _mm512_add_epi32($a, $b);
        $d = _mm512_rol_epi32::<16>(_mm512_xor_si512($d, $a));
        $c = _mm512_add_epi32($c, $d);
        $b = _mm512_rol_epi32::<12>(_mm512_xor_si512($b, $c));
        $a = _mm512_add_epi32($a, $b);
        $d = _mm512_rol_epi32::<8>(_mm512_xor_si512($d, $a));
        $c = _mm512_add_epi32($c, $d);
        $b = _mm512_rol_epi32::<7>(_mm512_xor_si512($b, $c));
    };
}

/// Transposes a 4x4 grid of 128-bit lanes: lane `g` of result `k` is lane
/// `k` of input `g`.
#[inline]
#[target_feature(enable = "avx512f")]
fn transpose_lanes(a: __m512i, b: __m512i, c: __m512i, d: __m512i) -> [__m512i; 4] {
    let t0 = _mm512_shuffle_i32x4::<0x44>(a, b);
    let t1 = _mm512_shuffle_i32x4::<0xee>(a, b);
    let t2 = _mm512_shuffle_i32x4::<0x44>(c, d);
    let t3 = _mm512_shuffle_i32x4::<0xee>(c, d);
    [
        _mm512_shuffle_i32x4::<0x88>(t0, t2),
        _mm512_shuffle_i32x4::<0xdd>(t0, t2),
        _mm512_shuffle_i32x4::<0x88>(t1, t3),
        _mm512_shuffle_i32x4::<0xdd>(t1, t3),
    ]
}

/// Transposes 4x4 32-bit words inside each 128-bit lane: word `i` of
/// lane `g` of result `k` is word `k` of lane `g` of input `i`.
#[inline]
#[target_feature(enable = "avx512f")]
fn transpose_words(x0: __m512i, x1: __m512i, x2: __m512i, x3: __m512i) -> [__m512i; 4] {
    let t0 = _mm512_unpacklo_epi32(x0, x1);
    let t1 = _mm512_unpackhi_epi32(x0, x1);
    let t2 = _mm512_unpacklo_epi32(x2, x3);
    let t3 = _mm512_unpackhi_epi32(x2, x3);
    [
        _mm512_unpacklo_epi64(t0, t2),
        _mm512_unpackhi_epi64(t0, t2),
        _mm512_unpacklo_epi64(t1, t3),
        _mm512_unpackhi_epi64(t1, t3),
    ]
}

/// Sixteen keystream blocks from the counter in `state`, in block order
/// (register `i` is block `i`).
#[target_feature(enable = "avx512f")]
fn sixteen_blocks(state: &[u32; 16]) -> [__m512i; 16] {
    let mut base: [__m512i; 16] = core::array::from_fn(|i| _mm512_set1_epi32(word(state, i)));
    base[12] = _mm512_add_epi32(base[12], _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    let [mut x0, mut x1, mut x2, mut x3, mut x4, mut x5, mut x6, mut x7] =
        [base[0], base[1], base[2], base[3], base[4], base[5], base[6], base[7]];
    let [mut x8, mut x9, mut x10, mut x11, mut x12, mut x13, mut x14, mut x15] =
        [base[8], base[9], base[10], base[11], base[12], base[13], base[14], base[15]];
    for _ in 0..10 {
        quarter!(x0, x4, x8, x12);
        quarter!(x1, x5, x9, x13);
        quarter!(x2, x6, x10, x14);
        quarter!(x3, x7, x11, x15);
        quarter!(x0, x5, x10, x15);
        quarter!(x1, x6, x11, x12);
        quarter!(x2, x7, x8, x13);
        quarter!(x3, x4, x9, x14);
    }
    let mut x = [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15];
    for (v, b) in x.iter_mut().zip(base) {
        *v = _mm512_add_epi32(*v, b);
    }
    let [x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15] = x;
    // After the word transposes, lane g of a[k] holds words 0-3 of block
    // 4g + k (b, c, d: words 4-7, 8-11, 12-15).
    let a = transpose_words(x0, x1, x2, x3);
    let b = transpose_words(x4, x5, x6, x7);
    let c = transpose_words(x8, x9, x10, x11);
    let d = transpose_words(x12, x13, x14, x15);
    let mut out = [base[0]; 16];
    for k in 0..4 {
        let (ak, bk, ck, dk) = (pick(&a, k), pick(&b, k), pick(&c, k), pick(&d, k));
        for (g, blk) in transpose_lanes(ak, bk, ck, dk).into_iter().enumerate() {
            if let Some(o) = out.get_mut(4 * g + k) {
                *o = blk;
            }
        }
    }
    out
}

/// `v[k]` without a panic path (k is a loop constant below 4).
#[inline]
fn pick(v: &[__m512i; 4], k: usize) -> __m512i {
    let [a, b, c, d] = *v;
    match k {
        0 => a,
        1 => b,
        2 => c,
        _ => d,
    }
}

/// Word `i` of the state as the signed lane type the intrinsics take.
#[inline]
fn word(state: &[u32; 16], i: usize) -> i32 {
    state.get(i).copied().unwrap_or(0) as i32
}

/// `4·SETS` keystream blocks in block order, computed row-wise: set `s`
/// holds blocks `4s..4s+3`.
#[target_feature(enable = "avx512f")]
fn rows<const SETS: usize>(state: &[u32; 16]) -> [[__m512i; 4]; SETS] {
    let row = |r: usize| {
        let w = |i: usize| word(state, 4 * r + i);
        _mm512_broadcast_i32x4(_mm_setr_epi32(w(0), w(1), w(2), w(3)))
    };
    let input: [[__m512i; 4]; SETS] = core::array::from_fn(|s| {
        // Block 4s + k sits in lane k of set s.
        let c = |k: usize| (4 * s + k) as i32;
        let ctr = _mm512_setr_epi32(c(0), 0, 0, 0, c(1), 0, 0, 0, c(2), 0, 0, 0, c(3), 0, 0, 0);
        [row(0), row(1), row(2), _mm512_add_epi32(row(3), ctr)]
    });
    let mut x = input;
    for _ in 0..10 {
        for [a, b, c, d] in x.iter_mut() {
            quarter!(*a, *b, *c, *d);
            *b = _mm512_shuffle_epi32::<{ 0x39 as _MM_PERM_ENUM }>(*b);
            *c = _mm512_shuffle_epi32::<{ 0x4e as _MM_PERM_ENUM }>(*c);
            *d = _mm512_shuffle_epi32::<{ 0x93 as _MM_PERM_ENUM }>(*d);
            quarter!(*a, *b, *c, *d);
            *b = _mm512_shuffle_epi32::<{ 0x93 as _MM_PERM_ENUM }>(*b);
            *c = _mm512_shuffle_epi32::<{ 0x4e as _MM_PERM_ENUM }>(*c);
            *d = _mm512_shuffle_epi32::<{ 0x39 as _MM_PERM_ENUM }>(*d);
        }
    }
    core::array::from_fn(|s| {
        let [a, b, c, d] = x.get(s).copied().unwrap_or(input[0]);
        let [a0, b0, c0, d0] = input.get(s).copied().unwrap_or(input[0]);
        transpose_lanes(
            _mm512_add_epi32(a, a0),
            _mm512_add_epi32(b, b0),
            _mm512_add_epi32(c, c0),
            _mm512_add_epi32(d, d0),
        )
    })
}

/// XORs one keystream block into `dst` (at most 64 bytes).
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn xor_block(dst: &mut [u8], ks: __m512i) {
    let len = dst.len().min(64);
    let p = dst.as_mut_ptr();
    if len == 64 {
        // SAFETY: `dst` has 64 writable bytes; loadu/storeu need no
        // alignment.
        unsafe { _mm512_storeu_si512(p.cast(), _mm512_xor_si512(_mm512_loadu_si512(p.cast()), ks)) };
    } else {
        let mask = (1u64 << len) - 1;
        // SAFETY: only the `len` bytes selected by `mask` are read or
        // written, and all of them lie in `dst`; masked-off bytes are
        // never accessed (AVX-512 fault suppression), so the bytes past
        // the end of the slice are not touched.
        unsafe {
            _mm512_mask_storeu_epi8(p.cast(), mask, _mm512_xor_si512(_mm512_maskz_loadu_epi8(mask, p.cast()), ks))
        };
    }
}

#[target_feature(enable = "avx512f,avx512bw")]
fn xor(state: &mut [u32; 16], data: &mut [u8]) {
    let mut rest = data;
    while rest.len() > 512 {
        let (head, tail) = rest.split_at_mut(rest.len().min(1024));
        let ks = sixteen_blocks(state);
        for (piece, k) in head.chunks_mut(64).zip(ks) {
            xor_block(piece, k);
        }
        state[12] = state[12].wrapping_add(head.len().div_ceil(64) as u32);
        rest = tail;
    }
    if rest.is_empty() {
        return;
    }
    if rest.len() > 256 {
        for (piece, k) in rest.chunks_mut(64).zip(rows::<2>(state).into_iter().flatten()) {
            xor_block(piece, k);
        }
    } else {
        for (piece, k) in rest.chunks_mut(64).zip(rows::<1>(state).into_iter().flatten()) {
            xor_block(piece, k);
        }
    }
    state[12] = state[12].wrapping_add(rest.len().div_ceil(64) as u32);
}
