//! Poly1305 bulk blocks with AVX2 (x86_64), four blocks per step.
//!
//! Entry point: [`Avx2Poly`], a token that exists only when the CPU (and
//! OS) support AVX2. [`Avx2Poly::blocks`] keeps four accumulators in
//! radix 2^26 (limb `k` of accumulator `j` in 64-bit lane `j` of register
//! `k`): each step computes `H_j = H_j·r^4 + m_{4i+j}` with 25
//! `vpmuludq`, and the end folds `h = Σ H_j·r^(4-j)`. Everything is
//! multiply, add, shift and mask, so the timing does not depend on the
//! key or the message.

use core::arch::x86_64::{
    __m256i, _mm256_add_epi64, _mm256_and_si256, _mm256_loadu_si256, _mm256_mul_epu32, _mm256_or_si256,
    _mm256_permute4x64_epi64, _mm256_set_epi64x, _mm256_set1_epi64x, _mm256_slli_epi64, _mm256_srli_epi64,
    _mm256_storeu_si256, _mm256_unpackhi_epi64, _mm256_unpacklo_epi64,
};

use super::detect::{Feature, features};

/// Proof that AVX2 is available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Avx2Poly(());

/// Five radix-2^26 limbs.
pub(crate) type Limbs = [u64; 5];

impl Avx2Poly {
    /// The token, when this CPU has AVX2 with OS support.
    pub(crate) fn detect() -> Option<Self> {
        features().has(Feature::Avx2).then_some(Self(()))
    }

    /// Absorbs the leading multiple of 64 bytes of `data` (full blocks,
    /// each with the 2^128 bit) into `h` (radix 2^26 limbs), given
    /// `pows[i] == r^(i+1)`; returns the number of bytes absorbed.
    pub(crate) fn blocks(self, h: &mut Limbs, pows: &[Limbs; 4], data: &[u8]) -> usize {
        // SAFETY: the token exists only when AVX2 was detected at run time.
        unsafe { blocks(h, pows, data) }
    }
}

const MASK26: i64 = (1 << 26) - 1;

#[inline]
#[target_feature(enable = "avx2")]
fn lanes(v: [u64; 4]) -> __m256i {
    _mm256_set_epi64x(v[3] as i64, v[2] as i64, v[1] as i64, v[0] as i64)
}

/// Four blocks as radix-2^26 limbs, block `j` in lane `j`.
#[inline]
#[target_feature(enable = "avx2")]
fn load_blocks(chunk: &[u8; 64]) -> [__m256i; 5] {
    let p = chunk.as_ptr().cast::<__m256i>();
    // SAFETY: `chunk` is 64 readable bytes; the two 32-byte loads at
    // offsets 0 and 32 are in bounds and loadu needs no alignment.
    let (a, b) = unsafe { (_mm256_loadu_si256(p), _mm256_loadu_si256(p.add(1))) };
    // unpack gives block order [0, 2, 1, 3]; the permute restores it.
    let lo = _mm256_permute4x64_epi64(_mm256_unpacklo_epi64(a, b), 0b11_01_10_00);
    let hi = _mm256_permute4x64_epi64(_mm256_unpackhi_epi64(a, b), 0b11_01_10_00);
    let m = _mm256_set1_epi64x(MASK26);
    [
        _mm256_and_si256(lo, m),
        _mm256_and_si256(_mm256_srli_epi64(lo, 26), m),
        _mm256_and_si256(_mm256_or_si256(_mm256_srli_epi64(lo, 52), _mm256_slli_epi64(hi, 12)), m),
        _mm256_and_si256(_mm256_srli_epi64(hi, 14), m),
        _mm256_or_si256(_mm256_srli_epi64(hi, 40), _mm256_set1_epi64x(1 << 24)),
    ]
}

/// `h·r` per lane, partially carried (limbs below about 2^27).
#[inline]
#[target_feature(enable = "avx2")]
fn mul(h: &[__m256i; 5], r: &[__m256i; 5], s: &[__m256i; 5]) -> [__m256i; 5] {
    let m = |a: __m256i, b: __m256i| _mm256_mul_epu32(a, b);
    let add = |a: __m256i, b: __m256i| _mm256_add_epi64(a, b);
    let [h0, h1, h2, h3, h4] = *h;
    let [r0, r1, r2, r3, r4] = *r;
    let [_, s1, s2, s3, s4] = *s;
    let d0 = add(add(add(m(h0, r0), m(h1, s4)), add(m(h2, s3), m(h3, s2))), m(h4, s1));
    let d1 = add(add(add(m(h0, r1), m(h1, r0)), add(m(h2, s4), m(h3, s3))), m(h4, s2));
    let d2 = add(add(add(m(h0, r2), m(h1, r1)), add(m(h2, r0), m(h3, s4))), m(h4, s3));
    let d3 = add(add(add(m(h0, r3), m(h1, r2)), add(m(h2, r1), m(h3, r0))), m(h4, s4));
    let d4 = add(add(add(m(h0, r4), m(h1, r3)), add(m(h2, r2), m(h3, r1))), m(h4, r0));
    carry([d0, d1, d2, d3, d4])
}

/// Two parallel carry rounds (short dependency chains, unlike a serial
/// ripple): products are below 2^59, so after the first round limbs are
/// below 2^36 and after the second below 2^27, small enough for the next
/// 32-bit multiply.
#[inline]
#[target_feature(enable = "avx2")]
fn carry(mut d: [__m256i; 5]) -> [__m256i; 5] {
    let mask = _mm256_set1_epi64x(MASK26);
    for _ in 0..2 {
        let c: [__m256i; 5] = d.map(|x| _mm256_srli_epi64(x, 26));
        let [c0, c1, c2, c3, c4] = c;
        let [d0, d1, d2, d3, d4] = d.map(|x| _mm256_and_si256(x, mask));
        // 2^130 = 5 (mod p): the top carry re-enters limb 0 as c·5 = c + 4c.
        let c4x5 = _mm256_add_epi64(c4, _mm256_slli_epi64(c4, 2));
        d = [
            _mm256_add_epi64(d0, c4x5),
            _mm256_add_epi64(d1, c0),
            _mm256_add_epi64(d2, c1),
            _mm256_add_epi64(d3, c2),
            _mm256_add_epi64(d4, c3),
        ];
    }
    d
}

#[target_feature(enable = "avx2")]
fn blocks(h: &mut Limbs, pows: &[Limbs; 4], data: &[u8]) -> usize {
    let (groups, _) = data.as_chunks::<64>();
    let mut groups = groups.iter();
    let Some(first) = groups.next() else { return 0 };
    let limb = |p: &Limbs, k: usize| p.get(k).copied().unwrap_or(0);
    // r^4 broadcast to every lane, and 5·r^4.
    let r4: [__m256i; 5] = core::array::from_fn(|k| _mm256_set1_epi64x(limb(&pows[3], k) as i64));
    let s4: [__m256i; 5] = core::array::from_fn(|k| _mm256_set1_epi64x(limb(&pows[3], k).wrapping_mul(5) as i64));
    let mut acc = load_blocks(first);
    // The running h joins block 0 (lane 0).
    for (a, hk) in acc.iter_mut().zip(h.iter()) {
        *a = _mm256_add_epi64(*a, lanes([*hk, 0, 0, 0]));
    }
    let mut done = 64;
    for group in groups {
        let prod = mul(&acc, &r4, &s4);
        let m = load_blocks(group);
        for ((a, p), mk) in acc.iter_mut().zip(prod).zip(m) {
            *a = _mm256_add_epi64(p, mk);
        }
        done += 64;
    }
    // h = H_0·r^4 + H_1·r^3 + H_2·r^2 + H_3·r.
    let mixed: [__m256i; 5] =
        core::array::from_fn(|k| lanes([limb(&pows[3], k), limb(&pows[2], k), limb(&pows[1], k), limb(&pows[0], k)]));
    let mixed5: [__m256i; 5] =
        core::array::from_fn(|k| lanes([3, 2, 1, 0].map(|i| limb(pows.get(i).unwrap_or(&[0; 5]), k).wrapping_mul(5))));
    let fin = mul(&acc, &mixed, &mixed5);
    for (hk, v) in h.iter_mut().zip(fin) {
        let mut out = [0u64; 4];
        // SAFETY: `out` is 32 writable bytes; storeu needs no alignment.
        unsafe { _mm256_storeu_si256(out.as_mut_ptr().cast(), v) };
        *hk = out.iter().fold(0u64, |s, x| s.wrapping_add(*x));
    }
    done
}
