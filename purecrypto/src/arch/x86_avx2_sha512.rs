//! SHA-512 compression with a vector message schedule (x86_64): AVX2, or
//! AVX-512VL where present, computes W + K for two blocks at once; the
//! rounds stay scalar (BMI2 `rorx` / `andn`).
//!
//! Entry point: [`sha512_compress`], which returns `false` when the CPU
//! lacks AVX2 + BMI2 (or the soft backend is forced) so the caller falls
//! back to the BMI2 or portable code.
//!
//! Why: in the scalar code the schedule costs about half as many
//! instructions as the rounds, and the rounds are throughput-bound, not
//! latency-bound. The schedule of SHA-512 vectorizes two words at a time
//! (W[t] and W[t+1] never depend on each other), so one YMM register holds
//! the word pair of block `i` in its low 128-bit lane and that of block
//! `i + 1` in its high lane; the per-lane `vpalignr` builds the unaligned
//! pairs W[t-15..t-14] and W[t-7..t-6]. The schedule plus round constants
//! go to a 1280-byte stack buffer, and each scalar round then adds one
//! precomputed word. AVX-512VL adds the native 64-bit rotate (`vprorq`)
//! and the three-way XOR (`vpternlogq`); plain AVX2 emulates the rotate
//! with two shifts and an OR. Data-independent: adds, rotates and XORs.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use super::detect::{Feature, features};
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
use core::arch::x86_64::{
    _mm_loadu_si128, _mm256_add_epi64, _mm256_alignr_epi8, _mm256_broadcastsi128_si256, _mm256_or_si256,
    _mm256_ror_epi64, _mm256_set_m128i, _mm256_setr_epi8, _mm256_shuffle_epi8, _mm256_slli_epi64, _mm256_srli_epi64,
    _mm256_storeu_si256, _mm256_ternarylogic_epi64, _mm256_xor_si256,
};

/// SHA-512 over `blocks.len() / 128` blocks with the vector schedule, if
/// the CPU has AVX2 and BMI2; AVX-512VL is used when present.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha512_compress(state: &mut [u64; 8], blocks: &[u8]) -> bool {
    let f = features();
    if !f.has_all(&[Feature::Avx2, Feature::Bmi2]) {
        return false;
    }
    if f.has_all(&[Feature::Avx512f, Feature::Avx512vl]) {
        // SAFETY: AVX2, BMI2, AVX-512F and AVX-512VL were detected at run
        // time (BMI1 ships with every BMI2 CPU).
        unsafe { compress_avx512vl(state, blocks) };
    } else {
        // SAFETY: AVX2 and BMI2 were detected at run time.
        unsafe { compress_avx2(state, blocks) };
    }
    true
}

/// The AVX2-only variant even on an AVX-512 CPU, so tests cover both.
#[cfg(all(test, target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) fn sha512_compress_avx2_only(state: &mut [u64; 8], blocks: &[u8]) -> bool {
    if !features().has_all(&[Feature::Avx2, Feature::Bmi2]) {
        return false;
    }
    // SAFETY: AVX2 and BMI2 were detected at run time.
    unsafe { compress_avx2(state, blocks) };
    true
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn sha512_compress(_state: &mut [u64; 8], _blocks: &[u8]) -> bool {
    false
}

/// The portable build: no kernel.
#[cfg(all(test, not(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))))]
pub(crate) fn sha512_compress_avx2_only(_state: &mut [u64; 8], _blocks: &[u8]) -> bool {
    false
}

/// # Safety
/// The CPU must support AVX2, BMI1 and BMI2.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "avx2,bmi1,bmi2")]
unsafe fn compress_avx2(state: &mut [u64; 8], blocks: &[u8]) {
    // SAFETY: the caller guarantees the features `body::<false>` uses.
    unsafe { body::<false>(state, blocks) }
}

/// # Safety
/// The CPU must support AVX2, AVX-512F, AVX-512VL, BMI1 and BMI2.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[target_feature(enable = "avx2,avx512f,avx512vl,bmi1,bmi2")]
unsafe fn compress_avx512vl(state: &mut [u64; 8], blocks: &[u8]) {
    // SAFETY: the caller guarantees the features `body::<true>` uses.
    unsafe { body::<true>(state, blocks) }
}

/// W + K for two blocks: pair `j` (words 2j, 2j+1) of the first block at
/// `[4j, 4j + 1]`, of the second block at `[4j + 2, 4j + 3]`, which is
/// exactly the order the YMM stores leave them in.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[repr(C, align(32))]
struct Schedule([u64; 160]);

/// Compresses pairs of blocks; an odd last block runs through the same
/// schedule with itself as the partner, and only one lane is used.
///
/// # Safety
/// The CPU must support AVX2, BMI1, BMI2, and AVX-512F + AVX-512VL if `VL`.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[inline(always)]
unsafe fn body<const VL: bool>(state: &mut [u64; 8], blocks: &[u8]) {
    let mut wk = Schedule([0; 160]);
    // Pairs of blocks, then an odd last block paired with itself; one
    // copy of the unrolled rounds serves both lanes.
    let mut rest = blocks;
    while let Some((first, tail)) = rest.split_at_checked(128) {
        let (second, tail, lanes) = match tail.split_at_checked(128) {
            Some((second, tail)) => (second, tail, 2),
            None => (first, tail, 1),
        };
        rest = tail;
        // SAFETY: both blocks are 128 bytes; features per the caller.
        unsafe { schedule::<VL>(first, second, &mut wk) };
        for lane in [0, 2].into_iter().take(lanes) {
            if let Some(lane_wk) = wk.0.get(lane..lane + 158).and_then(|w| w.try_into().ok()) {
                rounds(state, lane_wk);
            }
        }
    }
    zeroize::Zeroize::zeroize(&mut wk.0);
}

/// 64-bit rotate right of every lane: `vprorq` with AVX-512VL, else two
/// shifts and an OR.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
macro_rules! ror {
    ($vl:expr, $x:expr, $n:literal) => {
        if $vl {
            _mm256_ror_epi64::<$n>($x)
        } else {
            _mm256_or_si256(_mm256_srli_epi64::<$n>($x), _mm256_slli_epi64::<{ 64 - $n }>($x))
        }
    };
}

/// `a ^ b ^ c`: one `vpternlogq` with AVX-512VL.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
macro_rules! xor3 {
    ($vl:expr, $a:expr, $b:expr, $c:expr) => {
        if $vl { _mm256_ternarylogic_epi64::<0x96>($a, $b, $c) } else { _mm256_xor_si256(_mm256_xor_si256($a, $b), $c) }
    };
}

/// Fills `wk` with W + K of blocks `a` (low lanes) and `b` (high lanes).
///
/// # Safety
/// `a` and `b` must be 128 bytes; the CPU must support AVX2, and AVX-512F
/// + AVX-512VL if `VL`.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[inline(always)]
unsafe fn schedule<const VL: bool>(a: &[u8], b: &[u8], wk: &mut Schedule) {
    debug_assert!(a.len() == 128 && b.len() == 128);
    let k = crate::hash::SHA512_K.as_ptr();
    let out = wk.0.as_mut_ptr();
    // SAFETY: every load reads 16 bytes at offset 16 * i, i < 8, of a
    // 128-byte block, or two words at index 2j < 80 of K; every store
    // writes 32 bytes at word 4j < 160 of `wk`. Features per the caller.
    unsafe {
        // Byte-swaps each 64-bit word (big-endian message words).
        let bswap = _mm256_setr_epi8(
            7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8,
        );
        let kpair = |j: usize| _mm256_broadcastsi128_si256(_mm_loadu_si128(k.add(2 * j).cast()));
        let load = |i: usize| {
            let lo = _mm_loadu_si128(a.as_ptr().add(16 * i).cast());
            let hi = _mm_loadu_si128(b.as_ptr().add(16 * i).cast());
            let x = _mm256_shuffle_epi8(_mm256_set_m128i(hi, lo), bswap);
            _mm256_storeu_si256(out.add(4 * i).cast(), _mm256_add_epi64(x, kpair(i)));
            x
        };
        let (mut x0, mut x1, mut x2, mut x3) = (load(0), load(1), load(2), load(3));
        let (mut x4, mut x5, mut x6, mut x7) = (load(4), load(5), load(6), load(7));
        // One step: x0..x7 are pairs j-8..j-1; x0 becomes pair j.
        // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16], t = 2j, 2j+1.
        macro_rules! step {
            ($x0:ident, $x1:ident, $x4:ident, $x5:ident, $x7:ident, $j:expr) => {
                let w15 = _mm256_alignr_epi8::<8>($x1, $x0);
                let w7 = _mm256_alignr_epi8::<8>($x5, $x4);
                let s0 = xor3!(VL, ror!(VL, w15, 1), ror!(VL, w15, 8), _mm256_srli_epi64::<7>(w15));
                let s1 = xor3!(VL, ror!(VL, $x7, 19), ror!(VL, $x7, 61), _mm256_srli_epi64::<6>($x7));
                $x0 = _mm256_add_epi64(_mm256_add_epi64($x0, s0), _mm256_add_epi64(w7, s1));
                _mm256_storeu_si256(out.add(4 * $j).cast(), _mm256_add_epi64($x0, kpair($j)));
            };
        }
        let mut j = 8;
        while j < 40 {
            step!(x0, x1, x4, x5, x7, j);
            step!(x1, x2, x5, x6, x0, j + 1);
            step!(x2, x3, x6, x7, x1, j + 2);
            step!(x3, x4, x7, x0, x2, j + 3);
            step!(x4, x5, x0, x1, x3, j + 4);
            step!(x5, x6, x1, x2, x4, j + 5);
            step!(x6, x7, x2, x3, x5, j + 6);
            step!(x7, x0, x3, x4, x6, j + 7);
            j += 8;
        }
    }
}

/// The 80 scalar rounds of one block over precomputed W + K: `wk` starts
/// at the block's lane of the [`Schedule`] (word 0 or 2), so round `t`
/// reads word `t / 2 * 4 + t % 2`, that is `2t - t % 2`. Fully unrolled:
/// the indices are constants off the stack pointer, which leaves every
/// general register but the stack pointer to the state and the round
/// temporaries (a loop counter made LLVM spill state words).
// Indices: t / 2 * 4 + t % 2 <= 157 for t < 80.
#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
#[allow(clippy::indexing_slicing)]
#[inline(always)]
fn rounds(state: &mut [u64; 8], wk: &[u64; 158]) {
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
    macro_rules! round {
        ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $t:expr) => {
            let hkw = $h.wrapping_add(wk[2 * $t - ($t & 1)]);
            let ch = ($e & $f) ^ (!$e & $g);
            let t1 =
                ($e.rotate_right(14) ^ $e.rotate_right(18) ^ $e.rotate_right(41)).wrapping_add(ch.wrapping_add(hkw));
            let maj = (($a ^ $b) & ($b ^ $c)) ^ $b;
            let t2 = ($a.rotate_right(28) ^ $a.rotate_right(34) ^ $a.rotate_right(39)).wrapping_add(maj);
            $d = $d.wrapping_add(t1);
            $h = t1.wrapping_add(t2);
        };
    }
    macro_rules! eight {
        ($t:expr) => {
            round!(a, b, c, d, e, f, g, h, $t);
            round!(h, a, b, c, d, e, f, g, $t + 1);
            round!(g, h, a, b, c, d, e, f, $t + 2);
            round!(f, g, h, a, b, c, d, e, $t + 3);
            round!(e, f, g, h, a, b, c, d, $t + 4);
            round!(d, e, f, g, h, a, b, c, $t + 5);
            round!(c, d, e, f, g, h, a, b, $t + 6);
            round!(b, c, d, e, f, g, h, a, $t + 7);
        };
    }
    eight!(0);
    eight!(8);
    eight!(16);
    eight!(24);
    eight!(32);
    eight!(40);
    eight!(48);
    eight!(56);
    eight!(64);
    eight!(72);
    for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
        *s = s.wrapping_add(v);
    }
}
