//! Poly1305 bulk blocks with AVX-512 IFMA (x86_64), eight blocks per step.
//!
//! Entry point: [`Ifma`], a token that exists only when the CPU (and OS)
//! support AVX-512F and AVX-512 IFMA. [`Ifma::blocks`] keeps eight
//! accumulators in radix 2^44 (limbs of 44, 44 and 42 bits; limb `k` of
//! accumulator `j` in 64-bit lane `j` of register `k`). Each step computes
//! `H_j = H_j·r^8 + m_{8i+j}` with 18 `vpmadd52luq` / `vpmadd52huq`,
//! which multiply the low 52 bits of two lanes and add the low or high
//! half of the 104-bit product to a third; the end folds
//! `h = Σ H_j·r^(8-j)`.
//!
//! Reduction uses `2^130 = 5 (mod p)`: a product landing at `2^132` is
//! taken as `20·` at `2^0`, so the multiplier limbs `r1`, `r2` also come
//! as `20·r1`, `20·r2` (below 2^49, inside IFMA's 52-bit inputs). High
//! halves sit 52 bits above their limb: `hi0`, `hi1` enter the next limb
//! shifted by 8, `hi2` (at `2^140 = 5·2^10`) re-enters limb 0 as
//! `5·hi2·2^10`. One parallel carry round then brings every limb below
//! `2^44 + 2^16`, and a message block adds at most `2^44`, so IFMA inputs
//! stay below 2^46. Multiply, add, shift and mask only: the timing does
//! not depend on the key or the message.

use core::arch::x86_64::{
    __m512i, _mm512_add_epi64, _mm512_and_si512, _mm512_loadu_si512, _mm512_madd52hi_epu64, _mm512_madd52lo_epu64,
    _mm512_or_si512, _mm512_permutex2var_epi64, _mm512_set1_epi64, _mm512_setr_epi64, _mm512_setzero_si512,
    _mm512_slli_epi64, _mm512_srli_epi64, _mm512_storeu_si512,
};

use super::detect::{Feature, features};

/// Proof that AVX-512F and AVX-512 IFMA are available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Ifma(());

/// Three radix-2^44 limbs (44, 44, 42 bits, with a little headroom).
pub(crate) type Limbs44 = [u64; 3];

impl Ifma {
    /// The token, when this CPU has AVX-512F and IFMA with OS support for
    /// the ZMM state.
    pub(crate) fn detect() -> Option<Self> {
        features().has_all(&[Feature::Avx512f, Feature::Avx512ifma]).then_some(Self(()))
    }

    /// Absorbs the leading multiple of 128 bytes of `data` (full blocks,
    /// each with the 2^128 bit) into `h`, given `pows[i] == r^(i+1)`
    /// (limbs below 2^44, 2^44, 2^43); returns the number of bytes
    /// absorbed. On entry `h`'s limbs must be below 2^45; on return they
    /// are below 2^48 (the caller carries).
    pub(crate) fn blocks(self, h: &mut Limbs44, pows: &[Limbs44; 8], data: &[u8]) -> usize {
        // SAFETY: the token exists only when AVX-512F and IFMA were
        // detected at run time.
        unsafe { blocks(h, pows, data) }
    }
}

const MASK44: i64 = (1 << 44) - 1;
const MASK42: i64 = (1 << 42) - 1;

/// Eight blocks as radix-2^44 limbs, block `j` in lane `j`.
#[inline]
#[target_feature(enable = "avx512f")]
fn load_blocks(chunk: &[u8; 128]) -> [__m512i; 3] {
    let p = chunk.as_ptr().cast::<__m512i>();
    // SAFETY: `chunk` is 128 readable bytes; the two 64-byte loads at
    // offsets 0 and 64 are in bounds and loadu needs no alignment.
    let (a, b) = unsafe { (_mm512_loadu_si512(p.cast()), _mm512_loadu_si512(p.add(1).cast())) };
    // Even 64-bit words are the low halves of the blocks, odd words the
    // high halves; index 8+ selects from `b`.
    let lo = _mm512_permutex2var_epi64(a, _mm512_setr_epi64(0, 2, 4, 6, 8, 10, 12, 14), b);
    let hi = _mm512_permutex2var_epi64(a, _mm512_setr_epi64(1, 3, 5, 7, 9, 11, 13, 15), b);
    let m = _mm512_set1_epi64(MASK44);
    [
        _mm512_and_si512(lo, m),
        _mm512_and_si512(_mm512_or_si512(_mm512_srli_epi64::<44>(lo), _mm512_slli_epi64::<20>(hi)), m),
        _mm512_or_si512(_mm512_srli_epi64::<24>(hi), _mm512_set1_epi64(1 << 40)),
    ]
}

/// The multiplier `r` per lane with `20·r1` and `20·r2`.
#[derive(Clone, Copy)]
struct Mult {
    r: [__m512i; 3],
    s1: __m512i,
    s2: __m512i,
}

#[inline]
#[target_feature(enable = "avx512f")]
fn mult(lanes: [Limbs44; 8]) -> Mult {
    let v = |k: usize, scale: u64| {
        let l = |j: usize| lanes.get(j).and_then(|p| p.get(k)).copied().unwrap_or(0).wrapping_mul(scale) as i64;
        _mm512_setr_epi64(l(0), l(1), l(2), l(3), l(4), l(5), l(6), l(7))
    };
    Mult { r: [v(0, 1), v(1, 1), v(2, 1)], s1: v(1, 20), s2: v(2, 20) }
}

/// `h·r` per lane, carried once (limbs below `2^44 + 2^16`).
#[inline]
#[target_feature(enable = "avx512f,avx512ifma")]
fn mul(h: &[__m512i; 3], m: &Mult) -> [__m512i; 3] {
    let [h0, h1, h2] = *h;
    let [r0, r1, r2] = m.r;
    let (s1, s2) = (m.s1, m.s2);
    let z = _mm512_setzero_si512();
    let lo = |a: __m512i, b: __m512i, c: __m512i| _mm512_madd52lo_epu64(a, b, c);
    let hi = |a: __m512i, b: __m512i, c: __m512i| _mm512_madd52hi_epu64(a, b, c);
    // Column k collects every product that lands at 2^(44k) mod p.
    let lo0 = lo(lo(lo(z, h0, r0), h1, s2), h2, s1);
    let hi0 = hi(hi(hi(z, h0, r0), h1, s2), h2, s1);
    let lo1 = lo(lo(lo(z, h0, r1), h1, r0), h2, s2);
    let hi1 = hi(hi(hi(z, h0, r1), h1, r0), h2, s2);
    let lo2 = lo(lo(lo(z, h0, r2), h1, r1), h2, r0);
    let hi2 = hi(hi(hi(z, h0, r2), h1, r1), h2, r0);
    let add = |a: __m512i, b: __m512i| _mm512_add_epi64(a, b);
    // hi2 sits at 2^140 = 5·2^10 (mod p): 5·hi2·2^10 = hi2·2^10 + hi2·2^12.
    let d0 = add(lo0, add(_mm512_slli_epi64::<10>(hi2), _mm512_slli_epi64::<12>(hi2)));
    let d1 = add(lo1, _mm512_slli_epi64::<8>(hi0));
    let d2 = add(lo2, _mm512_slli_epi64::<8>(hi1));
    let (m44, m42) = (_mm512_set1_epi64(MASK44), _mm512_set1_epi64(MASK42));
    let c0 = _mm512_srli_epi64::<44>(d0);
    let c1 = _mm512_srli_epi64::<44>(d1);
    let c2 = _mm512_srli_epi64::<42>(d2);
    // The carry out of limb 2 is at 2^130 = 5: c2·5 = c2 + 4·c2.
    let c2x5 = add(c2, _mm512_slli_epi64::<2>(c2));
    [add(_mm512_and_si512(d0, m44), c2x5), add(_mm512_and_si512(d1, m44), c0), add(_mm512_and_si512(d2, m42), c1)]
}

#[target_feature(enable = "avx512f,avx512ifma")]
fn blocks(h: &mut Limbs44, pows: &[Limbs44; 8], data: &[u8]) -> usize {
    let (groups, _) = data.as_chunks::<128>();
    let mut groups = groups.iter();
    let Some(first) = groups.next() else { return 0 };
    let r8 = mult([pows[7]; 8]);
    let mut acc = load_blocks(first);
    // The running h joins block 0 (lane 0).
    for (a, hk) in acc.iter_mut().zip(h.iter()) {
        *a = _mm512_add_epi64(*a, _mm512_setr_epi64(*hk as i64, 0, 0, 0, 0, 0, 0, 0));
    }
    let mut done = 128;
    for group in groups {
        let prod = mul(&acc, &r8);
        let m = load_blocks(group);
        for ((a, p), mk) in acc.iter_mut().zip(prod).zip(m) {
            *a = _mm512_add_epi64(p, mk);
        }
        done += 128;
    }
    // h = Σ H_j·r^(8-j): lane j multiplies by pows[7 - j].
    let fin = mul(&acc, &mult(core::array::from_fn(|j| pows.get(7 - j).copied().unwrap_or([0; 3]))));
    for (hk, v) in h.iter_mut().zip(fin) {
        let mut out = [0u64; 8];
        // SAFETY: `out` is 64 writable bytes; storeu needs no alignment.
        unsafe { _mm512_storeu_si512(out.as_mut_ptr().cast(), v) };
        *hk = out.iter().fold(0u64, |s, x| s.wrapping_add(*x));
    }
    done
}
