//! Almost-Montgomery multiplication in radix 2^52 with AVX-512 IFMA
//! (x86_64), for 1024-, 2048- and 4096-bit moduli (the RSA-2048 /
//! RSA-4096 / RSA-8192 CRT halves and RSA-2048 / RSA-4096 public
//! operations).
//!
//! Entry point: [`Ifma`], a token that exists only when the CPU (and OS)
//! support AVX-512F and AVX-512 IFMA, and [`Ifma::amm`]. A number is
//! `8 * NV` limbs of 52 bits, limb `8v + l` in 64-bit lane `l` of vector
//! `v`. The loop is word-serial (operand scanning): for each limb `b_i`,
//! `acc += a * b_i` and `acc += m * y` with `y = acc_0 * k0 mod 2^52`
//! (`vpmadd52luq` adds the low 52 bits of each 104-bit product to a lane,
//! `vpmadd52huq` the high 52), then `acc` moves down one limb. Low halves
//! are added before the move and high halves after it, so each lands one
//! limb above its low half without any shuffling of the products. Lanes
//! hold up to 64 bits, so carries are left in place until the end, where
//! one parallel carry round and one mask-based ripple (a scalar add on the
//! per-lane "generate" and "propagate" bits) normalise every limb below
//! 2^52.
//!
//! "Almost": there is no final subtraction. With `R = 2^(52 * iters)`,
//! `4m < R` and `a, b < 2m`, the result is `< 2m` and `== a b R^-1 mod m`,
//! so outputs feed straight back in; the caller reduces once at the end.
//! Several independent products ([`Ifma::amm`] takes `J` jobs) share one
//! loop so the out-of-order core overlaps their latency chains (the RSA
//! CRT runs its two halves this way).
//!
//! Multiply, add, shift, align and mask only, with trip counts that depend
//! on `NV` and `iters` alone: the timing does not depend on the operands.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod imp {
    use core::arch::x86_64::{
        __m512i, _mm_cvtsi128_si64, _mm512_add_epi64, _mm512_alignr_epi64, _mm512_and_si512, _mm512_castsi512_si128,
        _mm512_cmpeq_epu64_mask, _mm512_cmpgt_epu64_mask, _mm512_loadu_si512, _mm512_madd52hi_epu64,
        _mm512_madd52lo_epu64, _mm512_mask_add_epi64, _mm512_set1_epi64, _mm512_setzero_si512, _mm512_srli_epi64,
        _mm512_storeu_si512,
    };

    use super::super::detect::{Feature, features};

    /// Proof that AVX-512F and AVX-512 IFMA are available.
    #[derive(Clone, Copy, Debug)]
    pub(crate) struct Ifma(());

    /// A number as `8 * NV` limbs of 52 bits (least significant first).
    pub(crate) type Lanes<const NV: usize> = [[u64; 8]; NV];

    /// One product of a batch: `out = a * b * R^-1 (mod m)`, `out < 2m`,
    /// given `a, b < 2m` normalised (every limb below 2^52), `4m < R` and
    /// `k0 == -m^-1 mod 2^52`.
    pub(crate) struct Job<'a, const NV: usize> {
        pub(crate) out: &'a mut Lanes<NV>,
        pub(crate) a: &'a Lanes<NV>,
        pub(crate) b: &'a Lanes<NV>,
        pub(crate) m: &'a Lanes<NV>,
        pub(crate) k0: u64,
    }

    pub(crate) const MASK52: u64 = (1 << 52) - 1;

    impl Ifma {
        /// The token, when this CPU has AVX-512F and IFMA with OS support
        /// for the ZMM state.
        pub(crate) fn detect() -> Option<Self> {
            features().has_all(&[Feature::Avx512f, Feature::Avx512ifma]).then_some(Self(()))
        }

        /// Runs the `J` independent products in `jobs` with
        /// `R = 2^(52 * iters)`; `iters <= 8 * NV` and every `b` must be
        /// below `2^(52 * iters)`.
        #[inline]
        pub(crate) fn amm<const NV: usize, const J: usize>(self, jobs: [Job<'_, NV>; J], iters: usize) {
            debug_assert!(iters <= 8 * NV && NV <= 16);
            // SAFETY: the token exists only when AVX-512F and IFMA were
            // detected at run time.
            unsafe { amm(jobs, iters.min(8 * NV)) }
        }
    }

    #[inline]
    #[target_feature(enable = "avx512f")]
    fn load<const NV: usize>(x: &Lanes<NV>) -> [__m512i; NV] {
        // SAFETY: each row is 8 readable u64 (64 bytes); loadu needs no
        // alignment.
        x.map(|row| unsafe { _mm512_loadu_si512(row.as_ptr().cast()) })
    }

    /// `out = a b R^-1 mod m` (almost reduced) for each job.
    #[target_feature(enable = "avx512f,avx512ifma")]
    #[allow(clippy::indexing_slicing)] // indices are below NV, J and 8 * NV by the loop bounds
    fn amm<const NV: usize, const J: usize>(jobs: [Job<'_, NV>; J], iters: usize) {
        let zero = _mm512_setzero_si512();
        let a: [[__m512i; NV]; J] = core::array::from_fn(|j| load(jobs[j].a));
        let m: [[__m512i; NV]; J] = core::array::from_fn(|j| load(jobs[j].m));
        let a0: [u64; J] = core::array::from_fn(|j| jobs[j].a[0][0]);
        let m0: [u64; J] = core::array::from_fn(|j| jobs[j].m[0][0]);
        let mut acc = [[zero; NV]; J];
        // The carry out of the limb just shifted away. It belongs in lane
        // 0 of the moved accumulator, but that lane is only ever read
        // through `t0` before it is shifted away in turn, so the carry
        // stays in scalar (off the vector dependency chain) until the end.
        let mut carry = [0u64; J];
        for i in 0..iters {
            for j in 0..J {
                let bi = jobs[j].b[i / 8][i % 8];
                let bv = _mm512_set1_epi64(bi as i64);
                // Lane 0 tracked in scalar too, so y does not wait for the
                // vector multiply: t0 = acc_0 + lo(a_0 b_i).
                let t0 = (_mm_cvtsi128_si64(_mm512_castsi512_si128(acc[j][0])) as u64)
                    .wrapping_add(a0[j].wrapping_mul(bi) & MASK52)
                    .wrapping_add(carry[j]);
                let y = t0.wrapping_mul(jobs[j].k0) & MASK52;
                let yv = _mm512_set1_epi64(y as i64);
                // acc_0 + lo(m_0 y) is a multiple of 2^52: only its carry
                // survives the move down.
                carry[j] = t0.wrapping_add(m0[j].wrapping_mul(y) & MASK52) >> 52;
                for v in 0..NV {
                    acc[j][v] = _mm512_madd52lo_epu64(acc[j][v], a[j][v], bv);
                    acc[j][v] = _mm512_madd52lo_epu64(acc[j][v], m[j][v], yv);
                }
                // Move down one limb (lane 0 of vector v + 1 becomes lane
                // 7 of vector v); ascending v reads v + 1 before writing it.
                for v in 0..NV {
                    let next = if v + 1 < NV { acc[j][v + 1] } else { zero };
                    acc[j][v] = _mm512_alignr_epi64::<1>(next, acc[j][v]);
                }
                for v in 0..NV {
                    acc[j][v] = _mm512_madd52hi_epu64(acc[j][v], a[j][v], bv);
                    acc[j][v] = _mm512_madd52hi_epu64(acc[j][v], m[j][v], yv);
                }
            }
        }
        for ((job, mut acc), carry) in jobs.into_iter().zip(acc).zip(carry) {
            acc[0] = _mm512_mask_add_epi64(acc[0], 1, acc[0], _mm512_set1_epi64(carry as i64));
            let out = normalise(acc);
            for (row, v) in job.out.iter_mut().zip(out) {
                // SAFETY: each row is 8 writable u64 (64 bytes); storeu
                // needs no alignment.
                unsafe { _mm512_storeu_si512(row.as_mut_ptr().cast(), v) };
            }
        }
    }

    /// Brings every lane below 2^52 (lanes may hold up to 2^63 on entry;
    /// the carry out of the top lane is dropped, the value fits).
    #[inline]
    #[target_feature(enable = "avx512f")]
    #[allow(clippy::indexing_slicing)] // indices are below NV by the loop bounds
    fn normalise<const NV: usize>(mut x: [__m512i; NV]) -> [__m512i; NV] {
        let mask = _mm512_set1_epi64(MASK52 as i64);
        let zero = _mm512_setzero_si512();
        // One parallel round: lane j += lane (j - 1) >> 52. Afterwards a
        // lane is at most 2^52 - 1 + 2^12, so its carry out is 0 or 1, and
        // a lane that carries (>= 2^52) has low bits below 2^12 + 1.
        let hi: [__m512i; NV] = core::array::from_fn(|v| _mm512_srli_epi64::<52>(x[v]));
        for v in 0..NV {
            let prev = if v > 0 { hi[v - 1] } else { zero };
            x[v] = _mm512_add_epi64(_mm512_and_si512(x[v], mask), _mm512_alignr_epi64::<7>(hi[v], prev));
        }
        // Ripple: lane j receives a carry when lane j - 1 generates one
        // (>= 2^52) or propagates one (== 2^52 - 1) it received. As bit
        // masks that is the carry vector of the integer sum (G << 1) + P.
        // (u128: up to 16 vectors, 128 lanes.)
        let (mut g, mut p) = (0u128, 0u128);
        for (v, &xv) in x.iter().enumerate() {
            g |= u128::from(_mm512_cmpgt_epu64_mask(xv, mask)) << (8 * v);
            p |= u128::from(_mm512_cmpeq_epu64_mask(xv, mask)) << (8 * v);
        }
        let c = (g << 1).wrapping_add(p) ^ p;
        let one = _mm512_set1_epi64(1);
        for (v, xv) in x.iter_mut().enumerate() {
            let k = (c >> (8 * v)) as u8;
            *xv = _mm512_and_si512(_mm512_mask_add_epi64(*xv, k, *xv, one), mask);
        }
        x
    }
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) use imp::{Ifma, Job, Lanes, MASK52};
