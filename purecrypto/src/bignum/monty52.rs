//! Modular exponentiation in radix 2^52 on the AVX-512 IFMA kernel, for
//! 1024-, 2048- and 4096-bit moduli (16, 32 and 64 limbs): the RSA CRT
//! halves and the RSA-2048 / RSA-4096 public operations.
//!
//! Entry point: [`Fast`], built by [`Modulus::new`](super::Modulus::new)
//! when the width fits and the CPU has IFMA; its `pow*` methods return
//! `None` otherwise and the caller takes the 64-bit Montgomery path. The
//! base is converted to 52-bit limbs once, the whole exponentiation stays
//! in almost-Montgomery form (values below `2m`, no final subtraction per
//! product), and one conditional subtraction finishes. [`pow_pair`] runs
//! the two CRT exponentiations in lock-step so their latency chains
//! overlap. The window is fixed and the table is scanned with masks, as in
//! [`Modulus::pow`](super::Modulus::pow): constant time in the exponent.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod imp {
    use alloc::vec;
    use alloc::vec::Vec;

    use zeroize::Zeroize;

    use super::super::limbs::{self, mask};
    use super::super::monty::final_subtract;
    use crate::arch::x86_avx512ifma_monty::{Ifma, Job, Lanes, MASK52};

    /// A modulus in radix 2^52 with `R = 2^(52 * iters)`, `4m < R`.
    #[derive(Clone)]
    pub(crate) struct Ifma52<const NV: usize> {
        ifma: Ifma,
        m: Lanes<NV>,
        /// `R^2 mod m`.
        rr: Lanes<NV>,
        /// `-m^-1 mod 2^52`.
        k0: u64,
        iters: usize,
    }

    impl<const NV: usize> Drop for Ifma52<NV> {
        fn drop(&mut self) {
            self.m.zeroize();
            self.rr.zeroize();
            self.k0.zeroize();
        }
    }

    /// The fast path of one [`Modulus`](super::super::Modulus), if any.
    #[derive(Clone)]
    pub(crate) enum Fast {
        None,
        W1024(alloc::boxed::Box<Ifma52<3>>),
        W2048(alloc::boxed::Box<Ifma52<5>>),
        W4096(alloc::boxed::Box<Ifma52<10>>),
    }

    /// Limbs of 52 bits for a `k`-limb modulus: `4m < 2^(52 * iters)`.
    const fn iters_for(k: usize) -> usize {
        (64 * k + 2).div_ceil(52)
    }

    impl Fast {
        /// The power of two whose residue [`Fast::new`] needs (`R^2`), when
        /// a kernel exists for `k` limbs on this CPU.
        pub(crate) fn rr_exponent(k: usize) -> Option<usize> {
            (matches!(k, 16 | 32 | 64) && Ifma::detect().is_some()).then(|| 104 * iters_for(k))
        }

        /// `rr == 2^rr_exponent(n.len()) mod n`; `n0inv == -n^-1 mod 2^64`.
        pub(crate) fn new(n: &[u64], rr: &[u64], n0inv: u64) -> Self {
            let Some(ifma) = Ifma::detect() else { return Self::None };
            let iters = iters_for(n.len());
            let k0 = n0inv & MASK52;
            match n.len() {
                16 => Self::W1024(alloc::boxed::Box::new(Ifma52 { ifma, m: to_lanes(n), rr: to_lanes(rr), k0, iters })),
                32 => Self::W2048(alloc::boxed::Box::new(Ifma52 { ifma, m: to_lanes(n), rr: to_lanes(rr), k0, iters })),
                64 => Self::W4096(alloc::boxed::Box::new(Ifma52 { ifma, m: to_lanes(n), rr: to_lanes(rr), k0, iters })),
                _ => Self::None,
            }
        }

        /// `base^exp mod n` (secret exponent of `exp_bits` public bits),
        /// `base < n`.
        pub(crate) fn pow(&self, n: &[u64], base: &[u64], exp: &[u64], exp_bits: usize) -> Option<Vec<u64>> {
            let [out] = match self {
                Self::None => return None,
                Self::W1024(f) => pow_many([&**f], [n], [base], [exp], exp_bits),
                Self::W2048(f) => pow_many([&**f], [n], [base], [exp], exp_bits),
                Self::W4096(f) => pow_many([&**f], [n], [base], [exp], exp_bits),
            };
            Some(out)
        }

        /// `base^exp mod n` for a public exponent (square and multiply).
        pub(crate) fn pow_vartime(&self, n: &[u64], base: &[u64], exp: &[u64]) -> Option<Vec<u64>> {
            match self {
                Self::None => None,
                Self::W1024(f) => Some(f.pow_vartime(n, base, exp)),
                Self::W2048(f) => Some(f.pow_vartime(n, base, exp)),
                Self::W4096(f) => Some(f.pow_vartime(n, base, exp)),
            }
        }
    }

    /// Both CRT exponentiations at once, when the two moduli share a
    /// kernel width and `exp_bits`.
    pub(crate) fn pow_pair(
        fp: &Fast,
        fq: &Fast,
        n: [&[u64]; 2],
        base: [&[u64]; 2],
        exp: [&[u64]; 2],
        exp_bits: usize,
    ) -> Option<[Vec<u64>; 2]> {
        match (fp, fq) {
            (Fast::W1024(p), Fast::W1024(q)) => Some(pow_many([&**p, &**q], n, base, exp, exp_bits)),
            (Fast::W2048(p), Fast::W2048(q)) => Some(pow_many([&**p, &**q], n, base, exp, exp_bits)),
            (Fast::W4096(p), Fast::W4096(q)) => Some(pow_many([&**p, &**q], n, base, exp, exp_bits)),
            _ => None,
        }
    }

    /// `x` (at most `8 * NV * 52` bits used) as 52-bit limbs.
    fn to_lanes<const NV: usize>(x: &[u64]) -> Lanes<NV> {
        let mut out = [[0u64; 8]; NV];
        for (t, limb) in out.iter_mut().flatten().enumerate() {
            let bit = 52 * t;
            let lo = x.get(bit / 64).copied().unwrap_or(0) as u128;
            let hi = x.get(bit / 64 + 1).copied().unwrap_or(0) as u128;
            *limb = (((hi << 64 | lo) >> (bit % 64)) as u64) & MASK52;
        }
        out
    }

    /// Normalised 52-bit limbs back to `k` 64-bit limbs (bits above
    /// `64 k` must be zero).
    fn from_lanes<const NV: usize>(x: &Lanes<NV>, k: usize) -> Vec<u64> {
        let mut out = vec![0u64; k];
        for (t, &limb) in x.iter().flatten().enumerate() {
            let bit = 52 * t;
            let wide = (limb as u128) << (bit % 64);
            if let Some(w) = out.get_mut(bit / 64) {
                *w |= wide as u64;
            }
            if let Some(w) = out.get_mut(bit / 64 + 1) {
                *w |= (wide >> 64) as u64;
            }
        }
        out
    }

    /// One as 52-bit limbs.
    fn one<const NV: usize>() -> Lanes<NV> {
        let mut x = [[0u64; 8]; NV];
        if let Some(first) = x.first_mut().and_then(|r| r.first_mut()) {
            *first = 1;
        }
        x
    }

    /// `out[j] = a[j] b[j] R^-1 mod m[j]` for each of the `J` moduli.
    #[inline]
    #[allow(clippy::indexing_slicing)] // j < J
    fn mul<const NV: usize, const J: usize>(
        mods: [&Ifma52<NV>; J],
        out: &mut [Lanes<NV>; J],
        a: [&Lanes<NV>; J],
        b: [&Lanes<NV>; J],
    ) {
        let mut j = 0;
        let jobs = out.each_mut().map(|o| {
            let job = Job { out: o, a: a[j], b: b[j], m: &mods[j].m, k0: mods[j].k0 };
            j += 1;
            job
        });
        mods[0].ifma.amm(jobs, mods[0].iters);
    }

    /// `x R^-1 mod m` fully reduced, as `k` 64-bit limbs.
    fn finish<const NV: usize>(f: &Ifma52<NV>, n: &[u64], x: &Lanes<NV>) -> Vec<u64> {
        let mut t = [[[0u64; 8]; NV]];
        // x * 1 * R^-1 < m + 1: at most one subtraction.
        mul([f], &mut t, [x], [&one()]);
        let [t] = t;
        let mut wide = from_lanes(&t, n.len());
        let mut out = vec![0u64; n.len()];
        final_subtract(&mut out, &wide, 0, n);
        wide.zeroize();
        out
    }

    /// `base[j]^exp[j] mod n[j]` for `J` moduli of one width, in lock-step
    /// (the exponents share the public length `exp_bits`). Fixed window,
    /// every table entry read at each step.
    #[allow(clippy::indexing_slicing)] // j < J, rows < entries by the loop bounds
    fn pow_many<const NV: usize, const J: usize>(
        mods: [&Ifma52<NV>; J],
        n: [&[u64]; J],
        base: [&[u64]; J],
        exp: [&[u64]; J],
        exp_bits: usize,
    ) -> [Vec<u64>; J] {
        // The longest exponent sets the length (bits past a shorter one
        // read as zero below), so no exponent loses its high bits.
        let longest = exp.iter().map(|e| 64 * e.len()).max().unwrap_or(0);
        let exp_bits = exp_bits.min(longest);
        let w = crate::bignum::monty::window_bits(exp_bits);
        let entries = 1usize << w;
        let zero = [[0u64; 8]; NV];
        // table[e][j] = base_j^e in Montgomery form.
        let mut table: Vec<[Lanes<NV>; J]> = vec![[zero; J]; entries];
        let mut b_m = [zero; J];
        {
            let mut b = base.map(to_lanes::<NV>);
            mul(mods, &mut b_m, core::array::from_fn(|j| &b[j]), core::array::from_fn(|j| &mods[j].rr));
            b.zeroize();
            let o = one::<NV>();
            let (first, rest) = table.split_at_mut(1);
            if let Some(t0) = first.first_mut() {
                mul(mods, t0, [&o; J], core::array::from_fn(|j| &mods[j].rr));
                let mut prev = *t0;
                for row in rest {
                    mul(mods, row, core::array::from_fn(|j| &prev[j]), core::array::from_fn(|j| &b_m[j]));
                    prev = *row;
                }
                prev.zeroize();
            }
        }
        let windows = exp_bits.div_ceil(w);
        let mut acc = table.first().copied().unwrap_or([zero; J]);
        let mut tmp = [zero; J];
        let mut sel = [zero; J];
        for win in (0..windows).rev() {
            if win + 1 != windows {
                for _ in 0..w {
                    mul(mods, &mut tmp, core::array::from_fn(|j| &acc[j]), core::array::from_fn(|j| &acc[j]));
                    acc = tmp;
                }
            }
            for j in 0..J {
                let mut idx = 0u64;
                for b in 0..w {
                    let bit = win * w + b;
                    let word = exp[j].get(bit / 64).copied().unwrap_or(0);
                    idx |= ((word >> (bit % 64)) & 1) << b;
                }
                let s = sel[j].as_flattened_mut();
                s.fill(0);
                for (i, row) in table.iter().enumerate() {
                    let m = mask(limbs::is_zero_word(idx ^ i as u64));
                    for (s, &r) in s.iter_mut().zip(row[j].as_flattened()) {
                        *s |= m & r;
                    }
                }
            }
            mul(mods, &mut tmp, core::array::from_fn(|j| &acc[j]), core::array::from_fn(|j| &sel[j]));
            acc = tmp;
        }
        let out = core::array::from_fn(|j| finish(mods[j], n[j], &acc[j]));
        table.zeroize();
        for v in [&mut acc, &mut tmp, &mut sel, &mut b_m] {
            v.zeroize();
        }
        out
    }

    impl<const NV: usize> Ifma52<NV> {
        /// Square and multiply, variable time in `exp` (public).
        fn pow_vartime(&self, n: &[u64], base: &[u64], exp: &[u64]) -> Vec<u64> {
            let b = to_lanes::<NV>(base);
            let mut b_m = [[[0u64; 8]; NV]];
            mul([self], &mut b_m, [&b], [&self.rr]);
            let [b_m] = b_m;
            let mut acc = [b_m];
            let mut tmp = [[[0u64; 8]; NV]];
            let bits = limbs::bits_vartime(exp);
            if bits == 0 {
                return finish(self, n, &{
                    let mut t = [[[0u64; 8]; NV]];
                    mul([self], &mut t, [&one()], [&self.rr]);
                    t[0]
                });
            }
            for i in (0..bits - 1).rev() {
                mul([self], &mut tmp, [&acc[0]], [&acc[0]]);
                acc = tmp;
                if exp.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 == 1) {
                    mul([self], &mut tmp, [&acc[0]], [&b_m]);
                    acc = tmp;
                }
            }
            finish(self, n, &acc[0])
        }
    }

    #[cfg(test)]
    mod tests {
        use super::super::super::Modulus;
        use super::super::super::monty::mont_mul_soft;
        use super::*;

        /// splitmix64: deterministic test inputs.
        struct Rng(u64);
        impl Rng {
            fn next(&mut self) -> u64 {
                self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
                let mut z = self.0;
                z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
                z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
                z ^ (z >> 31)
            }
            fn limbs(&mut self, k: usize) -> Vec<u64> {
                (0..k).map(|_| self.next()).collect()
            }
        }

        /// Moduli of `k` limbs: random with the top bit set, all ones,
        /// and one with a short top limb.
        fn moduli(rng: &mut Rng, k: usize) -> Vec<Vec<u64>> {
            let mut out = vec![vec![u64::MAX; k]];
            for top in [1u64 << 63, 1, 0x8000] {
                let mut n = rng.limbs(k);
                n[0] |= 1;
                n[k - 1] = (n[k - 1] & (top | (top - 1))) | top;
                out.push(n);
            }
            out
        }

        /// Bases below `n`: 0, 1, 2, n - 1, n - 2, 2^(64k - 2) mod-ish
        /// values near powers of two, random.
        fn bases(rng: &mut Rng, n: &[u64]) -> Vec<Vec<u64>> {
            let k = n.len();
            let small = |v: u64| {
                let mut x = vec![0u64; k];
                x[0] = v;
                x
            };
            let mut out = vec![small(0), small(1), small(2)];
            for d in [1u64, 2] {
                let mut x = n.to_vec();
                limbs::sub_assign(&mut x, &[d]);
                out.push(x);
            }
            for bit in [52 * 19, 64 * k - 65, 64 * k - 2] {
                let mut x = vec![0u64; k];
                x[bit / 64] = 1 << (bit % 64);
                if limbs::ct_lt(&x, n) == 1 {
                    let mut y = x.clone();
                    limbs::sub_assign(&mut y, &[1]);
                    out.push(x);
                    out.push(y);
                }
            }
            for _ in 0..3 {
                let m = Modulus::new(n).unwrap();
                out.push(m.reduce(&rng.limbs(k)));
            }
            out
        }

        /// The 64-bit Montgomery path, which `Modulus::pow` skips when
        /// the fast one exists.
        fn pow_reference(m: &Modulus, base: &[u64], exp: &[u64], bits: usize) -> Vec<u64> {
            m.from_monty(&m.pow_monty(&m.to_monty(base), exp, bits))
        }

        #[test]
        fn lanes_round_trip() {
            let mut rng = Rng(1);
            for k in [16, 32] {
                let x = rng.limbs(k);
                assert_eq!(from_lanes(&to_lanes::<5>(&x), k), x);
            }
            let x = rng.limbs(64);
            assert_eq!(from_lanes(&to_lanes::<10>(&x), 64), x);
            let x = rng.limbs(16);
            assert_eq!(from_lanes(&to_lanes::<3>(&x), 16), x);
        }

        /// The kernel alone: unreduced inputs below 2m give an output
        /// below 2m congruent to a b 2^(-52 iters).
        #[test]
        fn amm_is_almost_montgomery() {
            let Some(ifma) = Ifma::detect() else { return };
            let mut rng = Rng(2);
            for k in [16usize, 32, 64] {
                for n in moduli(&mut rng, k) {
                    let m = Modulus::new(&n).unwrap();
                    let n0 = super::super::super::monty::neg_inv_u64_for_tests(n[0]);
                    let iters = iters_for(k);
                    let shift = 52 * iters - 64 * k;
                    let mut two_n = n.clone();
                    let c = limbs::shl1(&mut two_n);
                    two_n.push(c);
                    for (a, b) in bases(&mut rng, &n).into_iter().zip(bases(&mut rng, &n).into_iter().rev()) {
                        // a + n (still below 2n) exercises the redundant range.
                        let mut a_big = a.clone();
                        let c = limbs::add_assign(&mut a_big, &n);
                        a_big.push(c);
                        let check = |out: Vec<u64>| {
                            let mut wide = out.clone();
                            wide.push(0);
                            assert_eq!(limbs::ct_lt(&wide, &two_n), 1, "output below 2n");
                            let mut shifted = vec![0u64; k + 2];
                            for _ in 0..shift {
                                limbs::shl1(&mut wide);
                            }
                            shifted[..wide.len()].copy_from_slice(&wide);
                            let mut expect = vec![0u64; k];
                            mont_mul_soft(&mut expect, &a, &b, &n, n0);
                            assert_eq!(m.reduce(&shifted), expect);
                        };
                        macro_rules! run {
                            ($nv:literal) => {{
                                let (mm, aa, bb) = (to_lanes::<$nv>(&n), to_lanes::<$nv>(&a_big), to_lanes::<$nv>(&b));
                                let mut out = [[0u64; 8]; $nv];
                                let job = Job { out: &mut out, a: &aa, b: &bb, m: &mm, k0: n0 & MASK52 };
                                ifma.amm([job], iters);
                                assert!(out.iter().flatten().all(|&l| l <= MASK52));
                                check(from_lanes(&out, k + 1));
                            }};
                        }
                        match k {
                            16 => run!(3),
                            32 => run!(5),
                            _ => run!(10),
                        }
                    }
                }
            }
        }

        #[test]
        fn pow_matches_portable() {
            if Ifma::detect().is_none() {
                #[cfg(feature = "std")]
                std::eprintln!("SKIPPED: this CPU has no AVX-512 IFMA; the radix-2^52 kernel is not exercised");
                return;
            }
            let mut rng = Rng(3);
            for k in [16usize, 32, 64] {
                for n in moduli(&mut rng, k) {
                    let m = Modulus::new(&n).unwrap();
                    assert!(!matches!(m.fast_for_tests(), Fast::None));
                    let mut exps = vec![vec![0u64; k], vec![u64::MAX; k], rng.limbs(k)];
                    exps.push({
                        let mut e = vec![0u64; k];
                        e[0] = 1;
                        e
                    });
                    for (i, base) in bases(&mut rng, &n).iter().enumerate() {
                        let exp = &exps[i % exps.len()];
                        let want = pow_reference(&m, base, exp, 64 * k);
                        assert_eq!(m.pow(base, exp, 64 * k), want);
                        // Shorter public exponent length (smaller window).
                        assert_eq!(m.pow(base, exp, 100), pow_reference(&m, base, exp, 100));
                        // Public exponents: 65537, 3, 1, 0 and the random one.
                        for e in [&[65537u64][..], &[3], &[1], &[0], exp] {
                            let v = m.pow_vartime(base, e);
                            assert_eq!(v, pow_reference(&m, base, e, 64 * e.len()), "e = {e:x?}");
                        }
                    }
                }
            }
        }

        #[test]
        fn pow_pair_matches_two_pows() {
            if Ifma::detect().is_none() {
                #[cfg(feature = "std")]
                std::eprintln!("SKIPPED: this CPU has no AVX-512 IFMA; the radix-2^52 kernel is not exercised");
                return;
            }
            let mut rng = Rng(4);
            for k in [16usize, 32, 64] {
                let ns = moduli(&mut rng, k);
                let (p, q) = (Modulus::new(&ns[1]).unwrap(), Modulus::new(&ns[2]).unwrap());
                let (bp, bq) = (bases(&mut rng, &ns[1]), bases(&mut rng, &ns[2]));
                for (x, y) in bp.iter().zip(bq.iter().rev()) {
                    let (ep, eq) = (rng.limbs(k), rng.limbs(k));
                    let [a, b] = Modulus::pow_pair(&p, &q, [x, y], [&ep, &eq], [64 * k; 2]);
                    assert_eq!(a, pow_reference(&p, x, &ep, 64 * k));
                    assert_eq!(b, pow_reference(&q, y, &eq, 64 * k));
                }
                // Exponents of different lengths: the shorter one's missing
                // high bits are zero, the longer one keeps all of its bits.
                let (long, short) = (rng.limbs(k), rng.limbs(k / 2));
                let [a, b] = Modulus::pow_pair(&p, &q, [&bp[3], &bq[3]], [&short, &long], [64 * (k / 2), 64 * k]);
                assert_eq!(a, pow_reference(&p, &bp[3], &short, 64 * (k / 2)));
                assert_eq!(b, pow_reference(&q, &bq[3], &long, 64 * k));
            }
        }
    }
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) use imp::{Fast, pow_pair};

/// The portable build: no fast path.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
mod stub {
    use alloc::vec::Vec;

    #[derive(Clone)]
    pub(crate) enum Fast {
        None,
    }

    impl Fast {
        pub(crate) fn rr_exponent(_k: usize) -> Option<usize> {
            None
        }

        pub(crate) fn new(_n: &[u64], _rr: &[u64], _n0inv: u64) -> Self {
            Self::None
        }

        pub(crate) fn pow(&self, _n: &[u64], _b: &[u64], _e: &[u64], _bits: usize) -> Option<Vec<u64>> {
            None
        }

        pub(crate) fn pow_vartime(&self, _n: &[u64], _b: &[u64], _e: &[u64]) -> Option<Vec<u64>> {
            None
        }
    }

    pub(crate) fn pow_pair(
        _fp: &Fast,
        _fq: &Fast,
        _n: [&[u64]; 2],
        _base: [&[u64]; 2],
        _exp: [&[u64]; 2],
        _exp_bits: usize,
    ) -> Option<[Vec<u64>; 2]> {
        None
    }
}

#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) use stub::{Fast, pow_pair};
