//! BMI2 + ADX Montgomery kernels for the bignum engine (`mulx` for the
//! flag-free 64x64 -> 128 multiply, `adcx` / `adox` for two independent
//! carry chains: one adds the low product halves, the other the high
//! halves of the previous column).
//!
//! Entry points: [`mont_mul`] and [`redc`], which return `false` (doing
//! nothing) when the CPU lacks BMI2 or ADX or the soft backend is forced,
//! so the caller falls back to the portable code in `bignum::monty`.

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
mod imp {
    use core::arch::x86_64::{_addcarryx_u64, _mulx_u64};

    use super::super::detect::{Feature, features};
    use crate::bignum::monty::{MAX_LIMBS, final_subtract};

    fn available() -> bool {
        let f = features();
        f.has(Feature::Bmi2) && f.has(Feature::Adx)
    }

    pub(crate) fn mont_mul(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0: u64) -> bool {
        if !available() || n.len() > MAX_LIMBS || a.len() != n.len() || b.len() != n.len() || out.len() != n.len() {
            return false;
        }
        // SAFETY: BMI2 and ADX are present (checked above); the kernel is
        // safe Rust compiled with those features and checks its lengths.
        unsafe { mont_mul_adx(out, a, b, n, n0) };
        true
    }

    pub(crate) fn redc(out: &mut [u64], t: &mut [u64], n: &[u64], n0: u64) -> bool {
        if !available() || t.len() != 2 * n.len() || out.len() != n.len() {
            return false;
        }
        // SAFETY: as in `mont_mul`.
        unsafe { redc_adx(out, t, n, n0) };
        true
    }

    /// `(lo, hi)` of `a * b` through `mulx`.
    #[inline(always)]
    fn mulx(a: u64, b: u64) -> (u64, u64) {
        let mut hi = 0u64;
        // SAFETY: only reached from functions compiled with BMI2 enabled
        // and entered after the run-time check; `hi` is a valid place.
        let lo = unsafe { _mulx_u64(a, b, &mut hi) };
        (lo, hi)
    }

    /// `a + b + carry` through `adcx`/`adox` (the intrinsic picks one).
    #[inline(always)]
    fn addx(carry: u8, a: u64, b: u64, out: &mut u64) -> u8 {
        // SAFETY: only reached from functions compiled with ADX enabled
        // and entered after the run-time check.
        unsafe { _addcarryx_u64(carry, a, b, out) }
    }

    /// One row `t[0..k+2] += a * bi` with two carry chains.
    #[inline(always)]
    fn mul_row(t: &mut [u64], a: &[u64], bi: u64, k: usize) {
        let (mut c1, mut c2) = (0u8, 0u8);
        let mut hi_prev = 0u64;
        for (x, &aj) in t.iter_mut().zip(a) {
            let (lo, hi) = mulx(aj, bi);
            let mut s = 0;
            c1 = addx(c1, *x, lo, &mut s);
            c2 = addx(c2, s, hi_prev, &mut s);
            *x = s;
            hi_prev = hi;
        }
        if let (Some(&tk), Some(&tk1)) = (t.get(k), t.get(k + 1)) {
            let sum = tk as u128 + hi_prev as u128 + c1 as u128 + c2 as u128;
            if let Some(x) = t.get_mut(k) {
                *x = sum as u64;
            }
            if let Some(x) = t.get_mut(k + 1) {
                *x = tk1.wrapping_add((sum >> 64) as u64);
            }
        }
    }

    /// # Safety
    /// The CPU must support BMI2 and ADX.
    #[target_feature(enable = "bmi2,adx")]
    unsafe fn mont_mul_adx(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0: u64) {
        let k = n.len();
        let mut buf = [0u64; MAX_LIMBS + 2];
        let Some(t) = buf.get_mut(..k + 2) else { return };
        for &bi in b {
            mul_row(t, a, bi, k);
            // t = (t + m * n) >> 64, reading t[j] and writing t[j - 1].
            let t0 = t.first().copied().unwrap_or(0);
            let m = t0.wrapping_mul(n0);
            let (lo0, mut hi_prev) = mulx(n.first().copied().unwrap_or(0), m);
            let mut discard = 0;
            let mut c1 = addx(0, t0, lo0, &mut discard);
            let mut c2 = 0u8;
            for j in 1..k {
                let (Some(&x), Some(&nj)) = (t.get(j), n.get(j)) else { break };
                let (lo, hi) = mulx(nj, m);
                let mut s = 0;
                c1 = addx(c1, x, lo, &mut s);
                c2 = addx(c2, s, hi_prev, &mut s);
                if let Some(prev) = t.get_mut(j - 1) {
                    *prev = s;
                }
                hi_prev = hi;
            }
            let tk = t.get(k).copied().unwrap_or(0);
            let tk1 = t.get(k + 1).copied().unwrap_or(0);
            let sum = tk as u128 + hi_prev as u128 + c1 as u128 + c2 as u128;
            if let Some(x) = t.get_mut(k - 1) {
                *x = sum as u64;
            }
            if let Some(x) = t.get_mut(k) {
                *x = tk1.wrapping_add((sum >> 64) as u64);
            }
        }
        let top = t.get(k).copied().unwrap_or(0);
        final_subtract(out, t.get(..k).unwrap_or_default(), top, n);
    }

    pub(crate) fn mont_mul_fixed<const K: usize>(
        out: &mut [u64; K],
        a: &[u64; K],
        b: &[u64; K],
        n: &[u64; K],
        n0: u64,
    ) -> bool {
        if !available() {
            return false;
        }
        // SAFETY: BMI2 and ADX are present (checked above); the kernel is
        // the portable fixed-size code compiled with those features.
        unsafe { mont_mul_fixed_adx(out, a, b, n, n0) };
        true
    }

    /// # Safety
    /// The CPU must support BMI2 and ADX.
    #[target_feature(enable = "bmi2,adx")]
    unsafe fn mont_mul_fixed_adx<const K: usize>(
        out: &mut [u64; K],
        a: &[u64; K],
        b: &[u64; K],
        n: &[u64; K],
        n0: u64,
    ) {
        crate::bignum::monty::mont_mul_fixed(out, a, b, n, n0);
    }

    /// # Safety
    /// The CPU must support BMI2 and ADX.
    #[target_feature(enable = "bmi2,adx")]
    unsafe fn redc_adx(out: &mut [u64], t: &mut [u64], n: &[u64], n0: u64) {
        let k = n.len();
        let mut top_carry = 0u64;
        for i in 0..k {
            let Some(row) = t.get_mut(i..) else { break };
            let m = row.first().copied().unwrap_or(0).wrapping_mul(n0);
            let (mut c1, mut c2) = (0u8, 0u8);
            let mut hi_prev = 0u64;
            let (low, high) = row.split_at_mut(k);
            for (x, &nj) in low.iter_mut().zip(n) {
                let (lo, hi) = mulx(nj, m);
                let mut s = 0;
                c1 = addx(c1, *x, lo, &mut s);
                c2 = addx(c2, s, hi_prev, &mut s);
                *x = s;
                hi_prev = hi;
            }
            if let Some(x) = high.first_mut() {
                let sum = *x as u128 + hi_prev as u128 + c1 as u128 + c2 as u128 + top_carry as u128;
                *x = sum as u64;
                top_carry = (sum >> 64) as u64;
            }
        }
        final_subtract(out, t.get(k..).unwrap_or_default(), top_carry, n);
    }
}

#[cfg(all(target_arch = "x86_64", not(purecrypto_backend = "soft")))]
pub(crate) use imp::{mont_mul, mont_mul_fixed, redc};

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn mont_mul(_out: &mut [u64], _a: &[u64], _b: &[u64], _n: &[u64], _n0: u64) -> bool {
    false
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn mont_mul_fixed<const K: usize>(
    _out: &mut [u64; K],
    _a: &[u64; K],
    _b: &[u64; K],
    _n: &[u64; K],
    _n0: u64,
) -> bool {
    false
}

/// The portable build: no kernel.
#[cfg(not(all(target_arch = "x86_64", not(purecrypto_backend = "soft"))))]
pub(crate) fn redc(_out: &mut [u64], _t: &mut [u64], _n: &[u64], _n0: u64) -> bool {
    false
}
