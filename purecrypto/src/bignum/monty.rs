//! Montgomery arithmetic modulo an odd modulus: the engine under RSA and
//! finite-field Diffie-Hellman.
//!
//! Entry point: [`Modulus`]. [`Modulus::new`] precomputes `-n^-1 mod 2^64`
//! and `R^2 mod n` (with `R = 2^(64 * limbs)`) in constant time, so it is
//! fit for secret moduli (RSA primes). [`Modulus::pow`] is a fixed-window
//! exponentiation whose table look-ups scan every entry;
//! [`Modulus::pow_vartime`] is for public exponents only. The inner
//! Montgomery multiplication runs the BMI2/ADX kernel in
//! `crate::arch::x86_adx` when the CPU has it, the portable CIOS loop
//! below otherwise. For 1024- to 4096-bit moduli on CPUs with AVX-512
//! IFMA, whole exponentiations run in radix 2^52 instead (`monty52`).

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::limbs::{self, adc, mac, mask, sbb};
use super::monty52::Fast;
use crate::Error;

/// Largest modulus handled, in 64-bit limbs (16384 bits): bounds the stack
/// scratch of the kernels and every allocation made from untrusted sizes.
pub const MAX_LIMBS: usize = 256;

/// An odd modulus `n > 1` with its Montgomery constants.
///
/// Invariants: `n.len() == k` limbs (its width; the top limb may be zero
/// only for secret moduli whose width was fixed by the caller),
/// `n0 * n[0] == -1 mod 2^64`, `rr == R^2 mod n`, `one == R mod n`.
#[derive(Clone)]
pub struct Modulus {
    n: Vec<u64>,
    n0: u64,
    rr: Vec<u64>,
    one: Vec<u64>,
    /// The radix-2^52 IFMA path for 1024- to 4096-bit moduli, if any.
    fast: Fast,
}

impl core::fmt::Debug for Modulus {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Modulus { .. }")
    }
}

impl Drop for Modulus {
    fn drop(&mut self) {
        self.n.zeroize();
        self.rr.zeroize();
        self.one.zeroize();
        self.n0.zeroize();
    }
}

/// `-n0^-1 mod 2^64` for odd `n0`, by Newton iteration (constant time).
const fn neg_inv_u64(n0: u64) -> u64 {
    let mut inv = 1u64;
    let mut i = 0;
    while i < 6 {
        inv = inv.wrapping_mul(2u64.wrapping_sub(n0.wrapping_mul(inv)));
        i += 1;
    }
    inv.wrapping_neg()
}

impl Modulus {
    /// Prepares `n` (little-endian limbs, width taken as given). Runs in
    /// time that depends only on `n.len()`, so `n` may be secret.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] when `n` is even, `n <= 1`, empty or
    /// wider than [`MAX_LIMBS`]. (Oddness and size are treated as public.)
    pub fn new(n: &[u64]) -> Result<Self, Error> {
        if n.is_empty() || n.len() > MAX_LIMBS {
            return Err(Error::InvalidParameter { what: "modulus", reason: "1 to 256 limbs" });
        }
        let n0 = n.first().copied().unwrap_or(0);
        if n0 & 1 == 0 || limbs::ct_lt(n, &[2]) == 1 {
            return Err(Error::InvalidParameter { what: "modulus", reason: "odd and greater than 1" });
        }
        let k = n.len();
        // x = 2^i mod n for i = 0 .. 128k by doubling: x < n throughout,
        // one conditional subtraction per step.
        let mut x = vec![0u64; k];
        let mut t = vec![0u64; k];
        if let Some(first) = x.first_mut() {
            *first = 1;
        }
        let mut one = vec![0u64; k];
        // The IFMA path wants 2^(2 * 52 * iters) mod n, a little further.
        let fast_exp = Fast::rr_exponent(k);
        let mut fast_rr = vec![0u64; k];
        let mut rr = vec![0u64; k];
        for i in 1..=fast_exp.unwrap_or(0).max(128 * k) {
            let carry = limbs::shl1(&mut x);
            t.copy_from_slice(&x);
            let borrow = limbs::sub_assign(&mut t, n);
            // Subtract when 2x >= n: a carry out, or no borrow.
            limbs::select_assign(&mut x, &t, carry | (1 ^ borrow));
            if i == 64 * k {
                one.copy_from_slice(&x);
            }
            if Some(i) == fast_exp {
                fast_rr.copy_from_slice(&x);
            }
            if i == 128 * k {
                rr.copy_from_slice(&x);
            }
        }
        let n0 = neg_inv_u64(n0);
        let fast = if fast_exp.is_some() { Fast::new(n, &fast_rr, n0) } else { Fast::None };
        for v in [&mut fast_rr, &mut x, &mut t] {
            v.zeroize();
        }
        Ok(Self { n: n.to_vec(), n0, rr, one, fast })
    }

    /// Prepares a public modulus given big-endian, stripping leading zero
    /// bytes first.
    ///
    /// # Errors
    /// As [`Modulus::new`].
    pub fn from_be_bytes_vartime(bytes: &[u8]) -> Result<Self, Error> {
        let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len());
        let bytes = bytes.get(start..).unwrap_or_default();
        if bytes.len() > MAX_LIMBS * 8 {
            return Err(Error::InvalidParameter { what: "modulus", reason: "at most 16384 bits" });
        }
        let mut n = vec![0u64; bytes.len().div_ceil(8)];
        limbs::from_be_bytes(&mut n, bytes);
        Self::new(&n)
    }

    /// Width in limbs.
    #[must_use]
    pub fn limbs(&self) -> usize {
        self.n.len()
    }

    /// The modulus limbs.
    #[must_use]
    pub fn as_limbs(&self) -> &[u64] {
        &self.n
    }

    /// Bit length (variable time: call only on public moduli).
    #[must_use]
    pub fn bits_vartime(&self) -> usize {
        limbs::bits_vartime(&self.n)
    }

    /// The IFMA path, for its tests.
    #[cfg(test)]
    pub(crate) fn fast_for_tests(&self) -> &Fast {
        &self.fast
    }

    /// `R mod n`: one in Montgomery form.
    #[must_use]
    pub fn one(&self) -> &[u64] {
        &self.one
    }

    /// `out = a * b * R^-1 mod n`, for `a, b < n`.
    pub fn mul(&self, out: &mut [u64], a: &[u64], b: &[u64]) {
        debug_assert!(a.len() == self.n.len() && b.len() == self.n.len() && out.len() == self.n.len());
        // Common RSA / DH widths get a fully unrolled fixed-size kernel.
        macro_rules! fixed {
            ($($k:literal)*) => {
                match self.n.len() {
                    $($k if fixed_mul::<$k>(out, a, b, &self.n, self.n0) => return,)*
                    _ => {}
                }
            };
        }
        fixed!(16 24 32 48 64);
        if crate::arch::x86_adx::mont_mul(out, a, b, &self.n, self.n0) {
            return;
        }
        mont_mul_soft(out, a, b, &self.n, self.n0);
    }

    /// `out = a^2 * R^-1 mod n`, for `a < n`.
    ///
    /// The kernels' stack scratch is not wiped per call (that would cost
    /// more than the arithmetic); the callers wipe their own buffers, and
    /// the scratch is overwritten by the next call.
    pub fn sqr(&self, out: &mut [u64], a: &[u64]) {
        let k = self.n.len();
        if matches!(k, 16 | 24 | 32 | 48 | 64) {
            return self.mul(out, a, a);
        }
        let mut wide = [0u64; 2 * MAX_LIMBS];
        let Some(wide) = wide.get_mut(..2 * k) else { return };
        limbs::square_into(wide, a);
        self.redc(out, wide);
    }

    /// Montgomery reduction: `out = t * R^-1 mod n` for `t < n * R`
    /// (`t` has `2k` limbs and is clobbered).
    pub(crate) fn redc(&self, out: &mut [u64], t: &mut [u64]) {
        if crate::arch::x86_adx::redc(out, t, &self.n, self.n0) {
            return;
        }
        redc_soft(out, t, &self.n, self.n0);
    }

    /// `a * R mod n` (into Montgomery form), for `a < n`.
    #[must_use]
    pub fn to_monty(&self, a: &[u64]) -> Vec<u64> {
        let mut out = vec![0u64; self.n.len()];
        self.mul(&mut out, a, &self.rr);
        out
    }

    /// `a * R^-1 mod n` (out of Montgomery form).
    #[must_use]
    pub fn from_monty(&self, a: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut wide = vec![0u64; 2 * k];
        if let Some(low) = wide.get_mut(..k) {
            low.copy_from_slice(a);
        }
        let mut out = vec![0u64; k];
        self.redc(&mut out, &mut wide);
        out
    }

    /// `x mod n` for any `x`, in time that depends only on the lengths:
    /// two Montgomery steps when `x` has at most `k` limbs, bit-serial
    /// otherwise.
    #[must_use]
    pub fn reduce(&self, x: &[u64]) -> Vec<u64> {
        if x.len() <= self.n.len() {
            return self.reduce_below_nr(x);
        }
        self.reduce_bitserial(x)
    }

    /// `x mod n` for `x < n * R` of at most `2k` limbs (the caller
    /// guarantees the bound, e.g. an RSA ciphertext `c < p * q` reduced mod
    /// `p` when `q < R`): `REDC(x) = x R^-1`, then times `R^2` in Montgomery
    /// form gives `x mod n`.
    #[must_use]
    pub(crate) fn reduce_below_nr(&self, x: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        debug_assert!(x.len() <= 2 * k);
        let mut wide = vec![0u64; 2 * k];
        if let Some(low) = wide.get_mut(..x.len().min(2 * k)) {
            low.copy_from_slice(x.get(..2 * k).unwrap_or(x));
        }
        let mut t = vec![0u64; k];
        self.redc(&mut t, &mut wide);
        let mut out = vec![0u64; k];
        self.mul(&mut out, &t, &self.rr);
        t.zeroize();
        wide.zeroize();
        out
    }

    /// `x mod n` one bit at a time: `r = 2r + bit`, subtract `n` when
    /// `r >= n`. Constant time in the value of `x` and `n`.
    #[must_use]
    pub(crate) fn reduce_bitserial(&self, x: &[u64]) -> Vec<u64> {
        let k = self.n.len();
        let mut r = vec![0u64; k + 1];
        let mut t = vec![0u64; k + 1];
        for i in (0..64 * x.len()).rev() {
            let bit = x.get(i / 64).map_or(0, |w| (w >> (i % 64)) & 1);
            limbs::shl1(&mut r);
            if let Some(first) = r.first_mut() {
                *first |= bit;
            }
            t.copy_from_slice(&r);
            let borrow = limbs::sub_assign(&mut t, &self.n);
            limbs::select_assign(&mut r, &t, 1 ^ borrow);
        }
        t.zeroize();
        r.truncate(k);
        r
    }

    /// `base^exp mod n` with `base < n` (normal form in and out), for a
    /// secret exponent: every window squares `w` times and multiplies by
    /// a table entry chosen by scanning the whole table with masks.
    /// `exp_bits` (public) bounds the exponent's length.
    #[must_use]
    pub fn pow(&self, base: &[u64], exp: &[u64], exp_bits: usize) -> Vec<u64> {
        if let Some(out) = self.fast.pow(&self.n, base, exp, exp_bits) {
            return out;
        }
        let base_m = self.to_monty(base);
        let mut acc = self.pow_monty(&base_m, exp, exp_bits);
        let out = self.from_monty(&acc);
        acc.zeroize();
        out
    }

    /// `[bp^ep mod p, bq^eq mod q]` ([`Modulus::pow`] on both, each
    /// exponent bounded by its own public `exp_bits`): the two run in
    /// lock-step on the IFMA path when `p` and `q` share its width (the RSA
    /// CRT halves), one after the other otherwise.
    #[must_use]
    pub(crate) fn pow_pair(
        p: &Self,
        q: &Self,
        base: [&[u64]; 2],
        exp: [&[u64]; 2],
        exp_bits: [usize; 2],
    ) -> [Vec<u64>; 2] {
        let [bp, bq] = base;
        let [ep, eq] = exp;
        let [bits_p, bits_q] = exp_bits;
        // One shared length in lock-step: the longer one (the shorter
        // exponent's missing high bits are zero).
        let bits = bits_p.max(bits_q);
        if let Some(out) = super::monty52::pow_pair(&p.fast, &q.fast, [&p.n, &q.n], base, exp, bits) {
            return out;
        }
        [p.pow(bp, ep, bits_p), q.pow(bq, eq, bits_q)]
    }

    /// [`Modulus::pow`] on a base already in Montgomery form; the result
    /// stays in Montgomery form.
    #[must_use]
    pub fn pow_monty(&self, base_m: &[u64], exp: &[u64], exp_bits: usize) -> Vec<u64> {
        let k = self.n.len();
        let exp_bits = exp_bits.min(64 * exp.len());
        let w = window_bits(exp_bits);
        let entries = 1usize << w;
        let mut table = vec![0u64; entries * k];
        {
            let mut rows = table.chunks_exact_mut(k);
            let mut prev: Vec<u64> = self.one.clone();
            if let Some(r0) = rows.next() {
                r0.copy_from_slice(&self.one);
            }
            for row in rows {
                self.mul(row, &prev, base_m);
                prev.copy_from_slice(row);
            }
            prev.zeroize();
        }
        let windows = exp_bits.div_ceil(w);
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; k];
        let mut sel = vec![0u64; k];
        for win in (0..windows).rev() {
            if win + 1 != windows {
                for _ in 0..w {
                    self.sqr(&mut tmp, &acc);
                    acc.copy_from_slice(&tmp);
                }
            }
            let mut idx = 0u64;
            for b in 0..w {
                let bit = win * w + b;
                let word = exp.get(bit / 64).copied().unwrap_or(0);
                idx |= ((word >> (bit % 64)) & 1) << b;
            }
            sel.fill(0);
            for (i, row) in table.chunks_exact(k).enumerate() {
                let hit = limbs::is_zero_word(idx ^ i as u64);
                let m = mask(hit);
                for (s, &r) in sel.iter_mut().zip(row) {
                    *s |= m & r;
                }
            }
            self.mul(&mut tmp, &acc, &sel);
            acc.copy_from_slice(&tmp);
        }
        table.zeroize();
        tmp.zeroize();
        sel.zeroize();
        acc
    }

    /// `base^exp mod n` for a public exponent (square-and-multiply,
    /// variable time in `exp`), `base < n` in normal form.
    #[must_use]
    pub fn pow_vartime(&self, base: &[u64], exp: &[u64]) -> Vec<u64> {
        if let Some(out) = self.fast.pow_vartime(&self.n, base, exp) {
            return out;
        }
        let base_m = self.to_monty(base);
        let mut acc = self.one.clone();
        let mut tmp = vec![0u64; self.n.len()];
        let bits = limbs::bits_vartime(exp);
        for i in (0..bits).rev() {
            self.sqr(&mut tmp, &acc);
            acc.copy_from_slice(&tmp);
            if exp.get(i / 64).is_some_and(|w| (w >> (i % 64)) & 1 == 1) {
                self.mul(&mut tmp, &acc, &base_m);
                acc.copy_from_slice(&tmp);
            }
        }
        self.from_monty(&acc)
    }
}

/// [`neg_inv_u64`] for the kernel tests of sibling modules.
#[cfg(test)]
pub(crate) const fn neg_inv_u64_for_tests(n0: u64) -> u64 {
    neg_inv_u64(n0)
}

/// Subtracts `n` from the `k + 1`-limb value `(top, t)` when it is `>= n`
/// and writes the `k`-limb result to `out` (constant time). Requires the
/// value to be below `2n`.
#[inline(always)]
pub(crate) fn final_subtract(out: &mut [u64], t: &[u64], top: u64, n: &[u64]) {
    let mut borrow = 0;
    for ((o, &x), &m) in out.iter_mut().zip(t).zip(n) {
        (*o, borrow) = sbb(x, m, borrow);
    }
    // Keep the difference when top == 1 or there was no borrow.
    let keep_diff = top | (1 ^ borrow);
    let m = mask(keep_diff & 1);
    for (o, &x) in out.iter_mut().zip(t) {
        *o = (*o & m) | (x & !m);
    }
}

/// Portable CIOS Montgomery multiplication: `out = a * b * R^-1 mod n`.
pub(crate) fn mont_mul_soft(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0: u64) {
    let k = n.len();
    let mut buf = [0u64; MAX_LIMBS + 2];
    let Some(t) = buf.get_mut(..k + 2) else { return };
    for &bi in b {
        // t += a * b[i]
        let mut carry = 0;
        let (low, high) = t.split_at_mut(k);
        for (x, &aj) in low.iter_mut().zip(a) {
            (*x, carry) = mac(*x, aj, bi, carry);
        }
        if let [tk, tk1] = high {
            let (s, c) = adc(*tk, carry, 0);
            *tk = s;
            *tk1 = c;
        }
        // t = (t + m * n) / 2^64
        let t0 = t.first().copied().unwrap_or(0);
        let m = t0.wrapping_mul(n0);
        let (_, mut carry) = mac(t0, m, n.first().copied().unwrap_or(0), 0);
        for j in 1..k {
            let (Some(&x), Some(&nj)) = (t.get(j), n.get(j)) else { break };
            let (s, c) = mac(x, m, nj, carry);
            carry = c;
            if let Some(prev) = t.get_mut(j - 1) {
                *prev = s;
            }
        }
        let tk = t.get(k).copied().unwrap_or(0);
        let tk1 = t.get(k + 1).copied().unwrap_or(0);
        let (s, c) = adc(tk, carry, 0);
        if let Some(x) = t.get_mut(k - 1) {
            *x = s;
        }
        if let Some(x) = t.get_mut(k) {
            *x = tk1.wrapping_add(c);
        }
    }
    let top = t.get(k).copied().unwrap_or(0);
    final_subtract(out, t.get(..k).unwrap_or_default(), top, n);
}

/// Runs the fixed-size kernel for `K` limbs (the BMI2/ADX build when the
/// CPU has it); false when a slice is not `K` long.
fn fixed_mul<const K: usize>(out: &mut [u64], a: &[u64], b: &[u64], n: &[u64], n0: u64) -> bool {
    let (Ok(out), Ok(a), Ok(b), Ok(n)) =
        (<&mut [u64; K]>::try_from(out), <&[u64; K]>::try_from(a), <&[u64; K]>::try_from(b), <&[u64; K]>::try_from(n))
    else {
        return false;
    };
    if !crate::arch::x86_adx::mont_mul_fixed::<K>(out, a, b, n, n0) {
        mont_mul_fixed(out, a, b, n, n0);
    }
    true
}

/// CIOS Montgomery multiplication for exactly `K` limbs: the loops have
/// constant bounds, so the compiler unrolls them and drops every bounds
/// check. `out = a * b * R^-1 mod n` for `a, b < n`.
#[inline(always)]
#[allow(clippy::indexing_slicing)] // every index is below K by the loop bounds
pub(crate) fn mont_mul_fixed<const K: usize>(out: &mut [u64; K], a: &[u64; K], b: &[u64; K], n: &[u64; K], n0: u64) {
    let mut t = [0u64; K];
    let mut hi = 0u64;
    for &bi in b {
        let mut c = 0;
        for j in 0..K {
            (t[j], c) = mac(t[j], a[j], bi, c);
        }
        let (tk, c2) = adc(hi, c, 0);
        let m = t[0].wrapping_mul(n0);
        let (_, mut c) = mac(t[0], m, n[0], 0);
        for j in 1..K {
            (t[j - 1], c) = mac(t[j], m, n[j], c);
        }
        let (s, c3) = adc(tk, c, 0);
        t[K - 1] = s;
        hi = c2.wrapping_add(c3);
    }
    final_subtract(out, &t, hi, n);
}

/// Portable Montgomery reduction of a `2k`-limb `t < n * R`.
pub(crate) fn redc_soft(out: &mut [u64], t: &mut [u64], n: &[u64], n0: u64) {
    let k = n.len();
    let mut top_carry = 0;
    for i in 0..k {
        let Some(row) = t.get_mut(i..) else { break };
        let m = row.first().copied().unwrap_or(0).wrapping_mul(n0);
        let mut carry = 0;
        let (low, high) = row.split_at_mut(k);
        for (x, &nj) in low.iter_mut().zip(n) {
            (*x, carry) = mac(*x, m, nj, carry);
        }
        if let Some(x) = high.first_mut() {
            (*x, top_carry) = adc(*x, carry, top_carry);
        }
    }
    final_subtract(out, t.get(k..).unwrap_or_default(), top_carry, n);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reference modular multiplication through u128 for one-limb moduli.
    fn mulmod(a: u64, b: u64, n: u64) -> u64 {
        ((a as u128 * b as u128) % n as u128) as u64
    }

    #[test]
    fn one_limb_agrees_with_u128() {
        let n = 0xffff_ffff_ffff_ffc5u64; // largest 64-bit prime
        let m = Modulus::new(&[n]).unwrap();
        for (a, b) in [(3u64, 5u64), (n - 1, n - 1), (1 << 63, 12345), (0, 9)] {
            let am = m.to_monty(&[a]);
            let bm = m.to_monty(&[b]);
            let mut pm = [0u64];
            m.mul(&mut pm, &am, &bm);
            assert_eq!(m.from_monty(&pm), [mulmod(a, b, n)]);
            m.sqr(&mut pm, &am);
            assert_eq!(m.from_monty(&pm), [mulmod(a, a, n)]);
        }
        // Fermat: a^(n-1) == 1.
        assert_eq!(m.pow(&[7], &[n - 1], 64), [1]);
        assert_eq!(m.pow_vartime(&[7], &[n - 1]), [1]);
        assert_eq!(m.pow(&[7], &[0], 64), [1]);
        assert_eq!(m.pow(&[7], &[1], 1), [7]);
    }

    #[test]
    fn multi_limb_pow_matches_vartime_and_reduce() {
        // n = 2^255 - 19 in limbs.
        let n = [0xffff_ffff_ffff_ffed, u64::MAX, u64::MAX, 0x7fff_ffff_ffff_ffff];
        let m = Modulus::new(&n).unwrap();
        let base = [5u64, 6, 7, 8];
        let exp = [0x1234_5678_9abc_def0u64, 0xfeed_beef, 3, 1 << 60];
        assert_eq!(m.pow(&base, &exp, 256), m.pow_vartime(&base, &exp));
        // p - 2 exponent gives the inverse: base * base^-1 == 1.
        let e = [0xffff_ffff_ffff_ffeb, u64::MAX, u64::MAX, 0x7fff_ffff_ffff_ffff];
        let inv = m.pow(&base, &e, 255);
        let mut prod = [0u64; 8];
        limbs::mul_into(&mut prod, &base, &inv);
        assert_eq!(m.reduce_below_nr(&prod), [1, 0, 0, 0]);
        assert_eq!(m.reduce(&prod), [1, 0, 0, 0]);
        assert_eq!(m.reduce_bitserial(&prod), [1, 0, 0, 0]);
        let big = [u64::MAX; 9];
        assert_eq!(m.reduce(&big), m.reduce_bitserial(&big));
    }

    #[test]
    fn rejects_even_and_tiny_moduli() {
        assert!(Modulus::new(&[4]).is_err());
        assert!(Modulus::new(&[1]).is_err());
        assert!(Modulus::new(&[]).is_err());
        assert!(Modulus::new(&[3]).is_ok());
    }
}

#[cfg(test)]
mod kernel_properties {
    use proptest::prelude::*;

    use super::*;

    /// Odd modulus of `k` limbs with the top limb nonzero, and two values
    /// below it (reduced by clearing the top limb's high bit... simply by
    /// making them one limb shorter).
    fn case(k: usize) -> impl Strategy<Value = (Vec<u64>, Vec<u64>, Vec<u64>)> {
        (
            proptest::collection::vec(any::<u64>(), k),
            proptest::collection::vec(any::<u64>(), k - 1),
            proptest::collection::vec(any::<u64>(), k - 1),
        )
            .prop_map(move |(mut n, mut a, mut b)| {
                n[0] |= 1;
                n[k - 1] |= 1 << 63;
                a.push(0);
                b.push(0);
                (n, a, b)
            })
    }

    fn check(n: &[u64], a: &[u64], b: &[u64]) -> Result<(), TestCaseError> {
        let k = n.len();
        let n0 = neg_inv_u64(n[0]);
        let mut soft = vec![0u64; k];
        mont_mul_soft(&mut soft, a, b, n, n0);
        // The dispatched path (fixed-size or BMI2/ADX kernel when present).
        let m = Modulus::new(n).unwrap();
        let mut dispatched = vec![0u64; k];
        m.mul(&mut dispatched, a, b);
        prop_assert_eq!(&dispatched, &soft);
        // The generic ADX kernel, when the CPU has it.
        let mut adx = vec![0u64; k];
        if crate::arch::x86_adx::mont_mul(&mut adx, a, b, n, n0) {
            prop_assert_eq!(&adx, &soft);
        }
        // Squaring through REDC agrees with multiplication.
        let mut sq = vec![0u64; k];
        m.sqr(&mut sq, a);
        let mut aa = vec![0u64; k];
        mont_mul_soft(&mut aa, a, a, n, n0);
        prop_assert_eq!(&sq, &aa);
        let mut wide = vec![0u64; 2 * k];
        limbs::square_into(&mut wide, a);
        let mut via_redc = vec![0u64; k];
        redc_soft(&mut via_redc, &mut wide.clone(), n, n0);
        prop_assert_eq!(&via_redc, &aa);
        let mut via_adx = vec![0u64; k];
        if crate::arch::x86_adx::redc(&mut via_adx, &mut wide, n, n0) {
            prop_assert_eq!(&via_adx, &aa);
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(48))]

        #[test]
        fn kernels_agree_16((n, a, b) in case(16)) { check(&n, &a, &b)?; }

        #[test]
        fn kernels_agree_32((n, a, b) in case(32)) { check(&n, &a, &b)?; }

        #[test]
        fn kernels_agree_odd_widths((n, a, b) in (3usize..40).prop_flat_map(case)) { check(&n, &a, &b)?; }
    }
}

/// The fixed-window width for an exponent of `exp_bits` (public) bits:
/// wider windows cost a bigger table (built and scanned in full) but
/// fewer multiplications, which pays off only for longer exponents.
pub(super) fn window_bits(exp_bits: usize) -> usize {
    match exp_bits {
        0..=32 => 1,
        33..=128 => 3,
        129..=512 => 4,
        _ => 5,
    }
}
