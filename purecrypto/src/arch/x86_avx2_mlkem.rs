//! ML-KEM polynomial arithmetic with AVX2 (x86_64): forward and inverse
//! NTT, NTT-domain multiply-accumulate, Barrett reduction and compression,
//! sixteen 16-bit coefficients per register.
//!
//! Entry points: [`ntt`], [`inv_ntt`], [`basemul_acc`],
//! [`compress`] and [`rej_uniform`]; each returns `false` / `None` when
//! AVX2 is missing or the soft backend is forced, and the caller in
//! `mlkem` then runs its portable code. Every kernel computes exactly the
//! portable code's values (same Montgomery and Barrett steps, same
//! operation order where it matters), so tests compare them for equality.
//!
//! Layout: the upper NTT layers (distance 128 .. 16) pair whole
//! registers. For the lower three (distance 8, 4, 2) each pair of
//! registers is re-interleaved, by 128-bit halves, then 64-bit and then
//! 32-bit words, so the butterfly partners sit in the same lane of two
//! registers; each of the three shuffles is its own inverse, so the
//! inverse transform uses the same ones.

use crate::mlkem::for_arch::Poly;

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
fn avx2() -> bool {
    super::detect::features().has(super::detect::Feature::Avx2)
}

/// Forward NTT (same result as `mlkem::ntt::ntt_soft`).
pub(crate) fn ntt(f: &mut [i16; 256]) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if avx2() {
        // SAFETY: AVX2 was detected at run time.
        unsafe { kernel::ntt(f) };
        return true;
    }
    let _ = f;
    false
}

/// Inverse NTT (same result as `mlkem::ntt::inv_ntt_soft`).
pub(crate) fn inv_ntt(f: &mut [i16; 256]) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if avx2() {
        // SAFETY: AVX2 was detected at run time.
        unsafe { kernel::inv_ntt(f) };
        return true;
    }
    let _ = f;
    false
}

/// `out = reduce(sum a_i * b_i)` in the NTT domain (same result as
/// `mlkem::ntt::basemul_acc_soft`).
pub(crate) fn basemul_acc(out: &mut [i16; 256], a: &[Poly], b: &[Poly]) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if avx2() {
        // SAFETY: AVX2 was detected at run time.
        unsafe { kernel::basemul_acc(out, a, b) };
        return true;
    }
    let _ = (out, a, b);
    false
}

/// `Compress_d` of every coefficient (made canonical first).
pub(crate) fn compress(out: &mut [u16; 256], f: &[i16; 256], d: u32) -> bool {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if avx2() {
        // SAFETY: AVX2 was detected at run time.
        unsafe { kernel::compress(out, f, d) };
        return true;
    }
    let _ = (out, f, d);
    false
}

/// Rejection sampling of public matrix entries (FIPS 203 algorithm 7),
/// sixteen candidates (24 bytes) per step: appends the accepted values of
/// a prefix of `buf` to `p[filled..]` and returns the new fill count and
/// the bytes consumed (a multiple of 24). It stops while 16 more values
/// still fit and 32 bytes are still readable; the caller's portable loop
/// takes the rest. `None` without AVX2. Variable time on purpose: the
/// input is the public seed's XOF output.
pub(crate) fn rej_uniform(p: &mut [i16; 256], filled: usize, buf: &[u8]) -> Option<(usize, usize)> {
    #[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
    if avx2() {
        // SAFETY: AVX2 was detected at run time.
        return Some(unsafe { kernel::rej_uniform(p, filled, buf) });
    }
    let _ = (p, filled, buf);
    None
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod kernel {
    use core::arch::x86_64::{
        __m256i, _mm256_add_epi16, _mm256_add_epi32, _mm256_and_si256, _mm256_blend_epi16, _mm256_blend_epi32,
        _mm256_castsi256_si128, _mm256_cvtepi16_epi32, _mm256_extracti128_si256, _mm256_loadu_si256, _mm256_mul_epu32,
        _mm256_mulhi_epi16, _mm256_mulhrs_epi16, _mm256_mullo_epi16, _mm256_packus_epi32, _mm256_permute2x128_si256,
        _mm256_permute4x64_epi64, _mm256_set1_epi16, _mm256_set1_epi32, _mm256_set1_epi64x, _mm256_setr_epi8,
        _mm256_shuffle_epi8, _mm256_slli_epi64, _mm256_srai_epi16, _mm256_srli_epi64, _mm256_storeu_si256,
        _mm256_sub_epi16, _mm256_unpackhi_epi64, _mm256_unpacklo_epi64,
    };
    use core::arch::x86_64::{
        _mm_loadu_si128, _mm_shuffle_epi8, _mm_storeu_si128, _mm256_cmpgt_epi16, _mm256_movemask_epi8,
        _mm256_packs_epi16, _mm256_setzero_si256, _mm256_srli_epi16,
    };

    use crate::mlkem::for_arch::{BARRETT_V, GAMMAS, INV_NTT_SCALE, Poly, Q, QINV, ZETAS};

    /// Sixteen registers holding one polynomial in coefficient order.
    type Vecs = [__m256i; 16];

    /// `[i16; 16]` lane values for the lower layers, for each of the eight
    /// register pairs: lane `l` of the register gets `f(pair, l)`.
    // Compile-time table construction: an index out of range is a
    // compile error, not a panic.
    #[allow(clippy::indexing_slicing)]
    const fn lanes(f: [[u8; 16]; 8]) -> [[i16; 16]; 8] {
        let mut t = [[0i16; 16]; 8];
        let mut i = 0;
        while i < 8 {
            let mut l = 0;
            while l < 16 {
                let k = f[i][l] as usize;
                t[i][l] = ZETAS[k];
                l += 1;
            }
            i += 1;
        }
        t
    }

    /// Zeta index per lane for the distance-8, -4 and -2 layers of register
    /// pair `i`, in the interleaved layouts described in the module docs
    /// (forward order; the inverse uses `127 - index`).
    // Compile-time table construction: an index out of range is a
    // compile error, not a panic.
    #[allow(clippy::indexing_slicing)]
    const fn index_table(layer: u32) -> [[u8; 16]; 8] {
        let mut t = [[0u8; 16]; 8];
        let mut i = 0;
        while i < 8 {
            let mut l = 0;
            while l < 16 {
                t[i][l] = match layer {
                    8 => 16 + 2 * i + l / 8,
                    4 => 32 + 4 * i + l / 4,
                    _ => 64 + 8 * i + l / 2,
                } as u8;
                l += 1;
            }
            i += 1;
        }
        t
    }

    const FWD8: [[i16; 16]; 8] = lanes(index_table(8));
    const FWD4: [[i16; 16]; 8] = lanes(index_table(4));
    const FWD2: [[i16; 16]; 8] = lanes(index_table(2));
    // Inverse zetas: block b of a layer uses ZETAS[top - b] where the
    // forward transform used ZETAS[bottom + b]; top + bottom = 127 for
    // every layer (2: 64..127, 4: 32..63 -> 63 - b = 127 - (64 + b)...).
    // Checked by the equality tests against the portable code.
    const INV8: [[i16; 16]; 8] = inv_lanes(index_table(8), 31 + 16);
    const INV4: [[i16; 16]; 8] = inv_lanes(index_table(4), 63 + 32);
    const INV2: [[i16; 16]; 8] = inv_lanes(index_table(2), 127 + 64);

    /// Lane values `ZETAS[sum - index]`.
    // Compile-time table construction: an index out of range is a
    // compile error, not a panic.
    #[allow(clippy::indexing_slicing)]
    const fn inv_lanes(f: [[u8; 16]; 8], sum: usize) -> [[i16; 16]; 8] {
        let mut t = [[0i16; 16]; 8];
        let mut i = 0;
        while i < 8 {
            let mut l = 0;
            while l < 16 {
                t[i][l] = ZETAS[sum - f[i][l] as usize];
                l += 1;
            }
            i += 1;
        }
        t
    }

    /// Gamma per lane for basemul: pair `p` of register `v` is residue
    /// `8 v + p`; both lanes of a pair get its gamma.
    // Compile-time table (see `lanes`).
    #[allow(clippy::indexing_slicing)]
    const GAMMA_LANES: [[i16; 16]; 16] = {
        let mut t = [[0i16; 16]; 16];
        let mut v = 0;
        while v < 16 {
            let mut l = 0;
            while l < 16 {
                t[v][l] = GAMMAS[8 * v + l / 2];
                l += 1;
            }
            v += 1;
        }
        t
    };

    #[inline]
    #[target_feature(enable = "avx2")]
    fn load16(x: &[i16; 16]) -> __m256i {
        // SAFETY: `x` is 32 readable bytes; unaligned load.
        unsafe { _mm256_loadu_si256(x.as_ptr().cast()) }
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn load(f: &[i16; 256]) -> Vecs {
        let mut v = [_mm256_set1_epi16(0); 16];
        for (reg, chunk) in v.iter_mut().zip(f.as_chunks::<16>().0) {
            *reg = load16(chunk);
        }
        v
    }

    #[inline]
    #[target_feature(enable = "avx2")]
    fn store(f: &mut [i16; 256], v: &Vecs) {
        for (reg, chunk) in v.iter().zip(f.as_chunks_mut::<16>().0) {
            // SAFETY: `chunk` is 32 writable bytes; unaligned store.
            unsafe { _mm256_storeu_si256(chunk.as_mut_ptr().cast(), *reg) };
        }
    }

    /// Lane-wise `a * b * 2^-16 mod q` (the portable `fqmul`).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fqmul(a: __m256i, b: __m256i) -> __m256i {
        let lo = _mm256_mullo_epi16(a, b);
        let hi = _mm256_mulhi_epi16(a, b);
        let t = _mm256_mullo_epi16(lo, _mm256_set1_epi16(QINV));
        _mm256_sub_epi16(hi, _mm256_mulhi_epi16(t, _mm256_set1_epi16(Q)))
    }

    /// Lane-wise portable `barrett_reduce`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn barrett(a: __m256i) -> __m256i {
        let hi = _mm256_mulhi_epi16(a, _mm256_set1_epi16(BARRETT_V));
        let t = _mm256_mulhrs_epi16(hi, _mm256_set1_epi16(1 << 5));
        _mm256_sub_epi16(a, _mm256_mullo_epi16(t, _mm256_set1_epi16(Q)))
    }

    /// Forward butterfly: `(a + z b, a - z b)`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn fwd(a: &mut __m256i, b: &mut __m256i, zeta: __m256i) {
        let t = fqmul(zeta, *b);
        *b = _mm256_sub_epi16(*a, t);
        *a = _mm256_add_epi16(*a, t);
    }

    /// Inverse butterfly: `(reduce(a + b), z (b - a))`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn inv(a: &mut __m256i, b: &mut __m256i, zeta: __m256i) {
        let t = *a;
        *a = barrett(_mm256_add_epi16(t, *b));
        *b = fqmul(zeta, _mm256_sub_epi16(*b, t));
    }

    /// Swaps 128-bit halves between two registers (self-inverse).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn shuffle128(a: __m256i, b: __m256i) -> (__m256i, __m256i) {
        (_mm256_permute2x128_si256::<0x20>(a, b), _mm256_permute2x128_si256::<0x31>(a, b))
    }

    /// Interleaves 64-bit words (self-inverse on pairs of registers).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn shuffle64(a: __m256i, b: __m256i) -> (__m256i, __m256i) {
        (_mm256_unpacklo_epi64(a, b), _mm256_unpackhi_epi64(a, b))
    }

    /// Interleaves 32-bit words (self-inverse on pairs of registers).
    #[inline]
    #[target_feature(enable = "avx2")]
    fn shuffle32(a: __m256i, b: __m256i) -> (__m256i, __m256i) {
        (
            _mm256_blend_epi32::<0b1010_1010>(a, _mm256_slli_epi64::<32>(b)),
            _mm256_blend_epi32::<0b1010_1010>(_mm256_srli_epi64::<32>(a), b),
        )
    }

    /// The butterflies between registers `i` and `i + dist` for every
    /// block of `2 dist` registers, block `blk` using `ZETAS[first + blk]`
    /// (forward) or the inverse butterfly.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn wide_layer(v: &mut Vecs, dist: usize, first: usize, forward: bool) {
        let (mut blk, mut start) = (0, 0);
        while start < 16 {
            let k = if forward { first + blk } else { first - blk };
            let zeta = _mm256_set1_epi16(ZETAS.get(k).copied().unwrap_or(0));
            for i in start..start + dist {
                let (lo, hi) = v.split_at_mut(i + 1);
                if let (Some(a), Some(b)) = (lo.last_mut(), hi.get_mut(dist - 1)) {
                    if forward {
                        fwd(a, b, zeta);
                    } else {
                        inv(a, b, zeta);
                    }
                }
            }
            blk += 1;
            start += 2 * dist;
        }
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn ntt(f: &mut [i16; 256]) {
        let mut v = load(f);
        // Distances in registers: 8 (128 coefficients), 4, 2, 1 (16).
        wide_layer(&mut v, 8, 1, true);
        wide_layer(&mut v, 4, 2, true);
        wide_layer(&mut v, 2, 4, true);
        wide_layer(&mut v, 1, 8, true);
        let zetas = FWD8.iter().zip(&FWD4).zip(&FWD2);
        for (pair, ((z8, z4), z2)) in v.as_chunks_mut::<2>().0.iter_mut().zip(zetas) {
            let [a, b] = pair;
            let (mut x, mut y) = shuffle128(*a, *b);
            fwd(&mut x, &mut y, load16(z8));
            let (mut x, mut y) = shuffle64(x, y);
            fwd(&mut x, &mut y, load16(z4));
            let (mut x, mut y) = shuffle32(x, y);
            fwd(&mut x, &mut y, load16(z2));
            let (x, y) = shuffle32(x, y);
            let (x, y) = shuffle64(x, y);
            let (x, y) = shuffle128(x, y);
            *a = barrett(x);
            *b = barrett(y);
        }
        store(f, &v);
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn inv_ntt(f: &mut [i16; 256]) {
        let mut v = load(f);
        let zetas = INV2.iter().zip(&INV4).zip(&INV8);
        for (pair, ((z2, z4), z8)) in v.as_chunks_mut::<2>().0.iter_mut().zip(zetas) {
            let [a, b] = pair;
            let (x, y) = shuffle128(*a, *b);
            let (x, y) = shuffle64(x, y);
            let (mut x, mut y) = shuffle32(x, y);
            inv(&mut x, &mut y, load16(z2));
            let (mut x, mut y) = shuffle32(x, y);
            inv(&mut x, &mut y, load16(z4));
            let (mut x, mut y) = shuffle64(x, y);
            inv(&mut x, &mut y, load16(z8));
            (*a, *b) = shuffle128(x, y);
        }
        wide_layer(&mut v, 1, 15, false);
        wide_layer(&mut v, 2, 7, false);
        wide_layer(&mut v, 4, 3, false);
        wide_layer(&mut v, 8, 1, false);
        let scale = _mm256_set1_epi16(INV_NTT_SCALE);
        for r in &mut v {
            *r = fqmul(*r, scale);
        }
        store(f, &v);
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn basemul_acc(out: &mut [i16; 256], a: &[Poly], b: &[Poly]) {
        // Swaps the two 16-bit lanes of every 32-bit word.
        let swap = _mm256_setr_epi8(
            2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13, 2, 3, 0, 1, 6, 7, 4, 5, 10, 11, 8, 9, 14, 15, 12, 13,
        );
        let mut acc = [_mm256_set1_epi16(0); 16];
        for (pa, pb) in a.iter().zip(b) {
            let xs = pa.c.as_chunks::<16>().0;
            let ys = pb.c.as_chunks::<16>().0;
            for (((o, x), y), gamma) in acc.iter_mut().zip(xs).zip(ys).zip(&GAMMA_LANES) {
                let (x, y) = (load16(x), load16(y));
                // p = (a0 b0, a1 b1), q = (a0 b1, a1 b0), r = p * gamma.
                let p = fqmul(x, y);
                let q = fqmul(x, _mm256_shuffle_epi8(y, swap));
                let r = fqmul(p, load16(gamma));
                // (p0, q0) + (r1, q1) per pair.
                let u = _mm256_blend_epi16::<0b1010_1010>(p, _mm256_shuffle_epi8(q, swap));
                let w = _mm256_blend_epi16::<0b1010_1010>(_mm256_shuffle_epi8(r, swap), q);
                *o = _mm256_add_epi16(*o, _mm256_add_epi16(u, w));
            }
        }
        for r in &mut acc {
            *r = barrett(*r);
        }
        store(out, &acc);
    }

    /// `floor(x / q)` on eight 32-bit lanes (`x < 2^24`), by the same
    /// multiply-and-shift as the portable `div_q`.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn div_q(x: __m256i) -> __m256i {
        const M: i64 = (1u64 << 40).div_ceil(Q as u64) as i64;
        let m = _mm256_set1_epi64x(M);
        let even = _mm256_srli_epi64::<40>(_mm256_mul_epu32(x, m));
        let odd = _mm256_srli_epi64::<40>(_mm256_mul_epu32(_mm256_srli_epi64::<32>(x), m));
        _mm256_blend_epi32::<0b1010_1010>(even, _mm256_slli_epi64::<32>(odd))
    }

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn compress(out: &mut [u16; 256], f: &[i16; 256], d: u32) {
        let q = _mm256_set1_epi16(Q);
        let half_q = _mm256_set1_epi32(i32::from(Q) / 2);
        let mask = _mm256_set1_epi32((1 << d) - 1);
        let shift = core::arch::x86_64::_mm_cvtsi32_si128(d as i32);
        for (src, dst) in f.as_chunks::<16>().0.iter().zip(out.as_chunks_mut::<16>().0) {
            let r = barrett(load16(src));
            let c = _mm256_add_epi16(r, _mm256_and_si256(_mm256_srai_epi16::<15>(r), q));
            let halves = [_mm256_castsi256_si128(c), _mm256_extracti128_si256::<1>(c)];
            let [lo, hi] = halves.map(|h| {
                let wide = _mm256_cvtepi16_epi32(h);
                let n = _mm256_add_epi32(core::arch::x86_64::_mm256_sll_epi32(wide, shift), half_q);
                _mm256_and_si256(div_q(n), mask)
            });
            // packus interleaves 128-bit halves; permute restores order.
            let packed = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packus_epi32(lo, hi));
            // SAFETY: `dst` is 32 writable bytes; unaligned store.
            unsafe { _mm256_storeu_si256(dst.as_mut_ptr().cast(), packed) };
        }
    }

    /// For each 8-bit acceptance mask: the byte shuffle that moves the
    /// accepted 16-bit lanes of a 128-bit register to its front, in order
    /// (unused tail bytes select zero).
    // Compile-time table (see `lanes`).
    #[allow(clippy::indexing_slicing)]
    const COMPACT: [[u8; 16]; 256] = {
        let mut t = [[0x80u8; 16]; 256];
        let mut m = 0;
        while m < 256 {
            let (mut lane, mut n) = (0, 0);
            while lane < 8 {
                if m & (1 << lane) != 0 {
                    t[m][2 * n] = 2 * lane as u8;
                    t[m][2 * n + 1] = 2 * lane as u8 + 1;
                    n += 1;
                }
                lane += 1;
            }
            m += 1;
        }
        t
    };

    /// The identity shuffle (never used: every mask has its entry).
    const ALL: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

    /// Bits set in each byte value.
    // Compile-time table (see `lanes`).
    #[allow(clippy::indexing_slicing)]
    const COUNT: [u8; 256] = {
        let mut t = [0u8; 256];
        let mut m = 0;
        while m < 256 {
            t[m] = (m as u32).count_ones() as u8;
            m += 1;
        }
        t
    };

    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn rej_uniform(p: &mut [i16; 256], filled: usize, buf: &[u8]) -> (usize, usize) {
        // Candidate k of a 128-bit half reads bytes 3(k/2) + (k&1) and the
        // next one: even candidates are the low 12 bits of that pair, odd
        // ones its high 12. The upper half's candidates start at byte 12,
        // which sits at offset 4 of the 64-bit words 1 and 2 it is given.
        let gather = _mm256_setr_epi8(
            0, 1, 1, 2, 3, 4, 4, 5, 6, 7, 7, 8, 9, 10, 10, 11, 4, 5, 5, 6, 7, 8, 8, 9, 10, 11, 11, 12, 13, 14, 14, 15,
        );
        let low12 = _mm256_set1_epi32(0x0fff);
        let q = _mm256_set1_epi16(Q);
        let (mut n, mut pos) = (filled, 0);
        while n + 16 <= 256 {
            let Some(chunk) = buf.get(pos..pos + 32) else { break };
            // SAFETY: `chunk` is 32 readable bytes; unaligned load.
            let raw = unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) };
            let pairs = _mm256_shuffle_epi8(_mm256_permute4x64_epi64::<0b10_01_01_00>(raw), gather);
            let even = _mm256_and_si256(pairs, low12);
            let odd = _mm256_srli_epi16::<4>(pairs);
            let vals = _mm256_blend_epi16::<0b1010_1010>(even, odd);
            let ok = _mm256_cmpgt_epi16(q, vals);
            // Bits 0..8: the lower half's lanes; bits 16..24: the upper's.
            let mask = _mm256_movemask_epi8(_mm256_packs_epi16(ok, _mm256_setzero_si256())) as u32;
            let (m0, m1) = ((mask & 0xff) as usize, ((mask >> 16) & 0xff) as usize);
            let lo = _mm256_castsi256_si128(vals);
            let hi = _mm256_extracti128_si256::<1>(vals);
            let (order0, order1) = (COMPACT.get(m0).unwrap_or(&ALL), COMPACT.get(m1).unwrap_or(&ALL));
            // SAFETY: 16 readable bytes each; unaligned loads.
            let (order0, order1) =
                unsafe { (_mm_loadu_si128(order0.as_ptr().cast()), _mm_loadu_si128(order1.as_ptr().cast())) };
            let base = p.as_mut_ptr();
            // SAFETY: n + 16 <= 256 (the loop condition), and the first
            // store adds at most 8 to n, so both 8-lane stores stay inside
            // `p`; unaligned stores.
            unsafe {
                _mm_storeu_si128(base.add(n).cast(), _mm_shuffle_epi8(lo, order0));
                n += usize::from(COUNT.get(m0).copied().unwrap_or(0));
                _mm_storeu_si128(base.add(n).cast(), _mm_shuffle_epi8(hi, order1));
                n += usize::from(COUNT.get(m1).copied().unwrap_or(0));
            }
            pos += 24;
        }
        (n, pos)
    }
}
