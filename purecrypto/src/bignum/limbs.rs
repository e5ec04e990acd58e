//! Constant-time kernels on little-endian `u64` limb slices.
//!
//! Entry points: [`add_assign`], [`sub_assign`], [`ct_lt`], [`ct_eq`],
//! [`select_assign`], [`mul_into`], [`square_into`] and the byte
//! conversions [`from_be_bytes`] / [`write_be_bytes`]. Every function here
//! runs in time that depends only on the slice lengths, never on the limb
//! values; callers treat lengths as public.

/// A mask of all ones when `bit` is 1, zero when it is 0 (`bit` must be
/// 0 or 1). The bit passes through `black_box` so that the optimizer
/// cannot see a two-valued mask and turn the masked select that follows
/// into a branch or `cmov` (which the valgrind check flags, rightly).
#[inline(always)]
pub(crate) fn mask(bit: u64) -> u64 {
    0u64.wrapping_sub(core::hint::black_box(bit))
}

/// `a + b + carry` as `(low, carry)`.
#[inline(always)]
pub(crate) const fn adc(a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = a as u128 + b as u128 + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a - b - borrow` as `(low, borrow)`, borrow in {0, 1}.
#[inline(always)]
pub(crate) const fn sbb(a: u64, b: u64, borrow: u64) -> (u64, u64) {
    let t = (a as u128).wrapping_sub(b as u128).wrapping_sub(borrow as u128);
    (t as u64, ((t >> 64) as u64) & 1)
}

/// `acc + a * b + carry` as `(low, high)`; cannot overflow 128 bits.
#[inline(always)]
pub(crate) const fn mac(acc: u64, a: u64, b: u64, carry: u64) -> (u64, u64) {
    let t = acc as u128 + (a as u128) * (b as u128) + carry as u128;
    (t as u64, (t >> 64) as u64)
}

/// `a += b` over `a.len()` limbs (`b` zero-extended or truncated to
/// `a.len()`); returns the carry out.
pub(crate) fn add_assign(a: &mut [u64], b: &[u64]) -> u64 {
    let mut carry = 0;
    let mut rest = b.iter();
    for x in a.iter_mut() {
        let y = rest.next().copied().unwrap_or(0);
        (*x, carry) = adc(*x, y, carry);
    }
    carry
}

/// `a -= b` over `a.len()` limbs (`b` zero-extended or truncated); returns
/// the borrow out (1 when `b > a`).
pub(crate) fn sub_assign(a: &mut [u64], b: &[u64]) -> u64 {
    let mut borrow = 0;
    let mut rest = b.iter();
    for x in a.iter_mut() {
        let y = rest.next().copied().unwrap_or(0);
        (*x, borrow) = sbb(*x, y, borrow);
    }
    borrow
}

/// 1 when `a < b` (both read as numbers, the shorter zero-extended), else 0.
#[must_use]
pub(crate) fn ct_lt(a: &[u64], b: &[u64]) -> u64 {
    let len = a.len().max(b.len());
    let mut borrow = 0;
    for i in 0..len {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        (_, borrow) = sbb(x, y, borrow);
    }
    borrow
}

/// 1 when `a == b` as numbers (the shorter zero-extended), else 0.
#[must_use]
pub(crate) fn ct_eq(a: &[u64], b: &[u64]) -> u64 {
    let len = a.len().max(b.len());
    let mut diff = 0;
    for i in 0..len {
        diff |= a.get(i).copied().unwrap_or(0) ^ b.get(i).copied().unwrap_or(0);
    }
    is_zero_word(diff)
}

/// 1 when `w == 0`, else 0, without a branch.
#[inline(always)]
#[must_use]
pub(crate) const fn is_zero_word(w: u64) -> u64 {
    1 ^ ((w | w.wrapping_neg()) >> 63)
}

/// 1 when every limb of `a` is zero.
#[must_use]
pub(crate) fn ct_is_zero(a: &[u64]) -> u64 {
    is_zero_word(a.iter().fold(0, |acc, &x| acc | x))
}

/// `a = b` when `choice` is 1, unchanged when 0 (equal lengths).
pub(crate) fn select_assign(a: &mut [u64], b: &[u64], choice: u64) {
    debug_assert_eq!(a.len(), b.len());
    let m = mask(choice);
    for (x, y) in a.iter_mut().zip(b) {
        *x ^= m & (*x ^ *y);
    }
}

/// Swaps `a` and `b` when `choice` is 1 (equal lengths).
pub(crate) fn cswap(a: &mut [u64], b: &mut [u64], choice: u64) {
    let m = mask(choice);
    for (x, y) in a.iter_mut().zip(b.iter_mut()) {
        let t = m & (*x ^ *y);
        *x ^= t;
        *y ^= t;
    }
}

/// `a >>= 1`, with `top` shifted into the most significant bit.
pub(crate) fn shr1(a: &mut [u64], top: u64) {
    let mut carry = top & 1;
    for x in a.iter_mut().rev() {
        let next = *x & 1;
        *x = (*x >> 1) | (carry << 63);
        carry = next;
    }
}

/// `a <<= 1`; returns the bit shifted out.
pub(crate) fn shl1(a: &mut [u64]) -> u64 {
    let mut carry = 0;
    for x in a.iter_mut() {
        let next = *x >> 63;
        *x = (*x << 1) | carry;
        carry = next;
    }
    carry
}

/// `out = a * b`; `out` must hold `a.len() + b.len()` limbs.
pub(crate) fn mul_into(out: &mut [u64], a: &[u64], b: &[u64]) {
    debug_assert_eq!(out.len(), a.len() + b.len());
    out.fill(0);
    for (i, &bi) in b.iter().enumerate() {
        let Some(row) = out.get_mut(i..) else { return };
        let mut carry = 0;
        let (low, high) = row.split_at_mut(a.len().min(row.len()));
        for (o, &aj) in low.iter_mut().zip(a) {
            (*o, carry) = mac(*o, aj, bi, carry);
        }
        if let Some(top) = high.first_mut() {
            *top = carry;
        }
    }
}

/// `out = a * a`; `out` must hold `2 * a.len()` limbs. Computes each cross
/// product once and doubles, about half the multiplications of
/// [`mul_into`].
pub(crate) fn square_into(out: &mut [u64], a: &[u64]) {
    debug_assert_eq!(out.len(), 2 * a.len());
    out.fill(0);
    // Cross products a[i] * a[j], i < j.
    for (i, &ai) in a.iter().enumerate() {
        let Some(rest) = a.get(i + 1..) else { break };
        let Some(row) = out.get_mut(2 * i + 1..) else { break };
        let mut carry = 0;
        let (low, high) = row.split_at_mut(rest.len().min(row.len()));
        for (o, &aj) in low.iter_mut().zip(rest) {
            (*o, carry) = mac(*o, aj, ai, carry);
        }
        if let Some(top) = high.first_mut() {
            *top = carry;
        }
    }
    // Double them, then add the squares a[i]^2 on the diagonal.
    shl1(out);
    let mut carry = 0;
    for (pair, &ai) in out.chunks_exact_mut(2).zip(a) {
        let sq = (ai as u128) * (ai as u128);
        if let [lo, hi] = pair {
            (*lo, carry) = adc(*lo, sq as u64, carry);
            (*hi, carry) = adc(*hi, (sq >> 64) as u64, carry);
        }
    }
}

/// Reads a big-endian byte string into `out` (little-endian limbs).
/// Returns 0 when it fits, 1 when a nonzero byte lies beyond `out`'s width
/// (the excess is dropped). Time depends only on the lengths.
pub(crate) fn from_be_bytes(out: &mut [u64], bytes: &[u8]) -> u64 {
    out.fill(0);
    let mut overflow = 0u64;
    for (i, &b) in bytes.iter().rev().enumerate() {
        match out.get_mut(i / 8) {
            Some(limb) => *limb |= u64::from(b) << (8 * (i % 8)),
            None => overflow |= u64::from(b),
        }
    }
    1 ^ is_zero_word(overflow)
}

/// Writes `a` big-endian into all of `out`, left-padded with zeros; limbs
/// beyond `out`'s width are dropped (callers check the size first).
pub(crate) fn write_be_bytes(a: &[u64], out: &mut [u8]) {
    for (i, o) in out.iter_mut().rev().enumerate() {
        let limb = a.get(i / 8).copied().unwrap_or(0);
        *o = (limb >> (8 * (i % 8))) as u8;
    }
}

/// Number of significant bits (variable time: public values only).
#[must_use]
pub(crate) fn bits_vartime(a: &[u64]) -> usize {
    for (i, &x) in a.iter().enumerate().rev() {
        if x != 0 {
            return 64 * i + 64 - x.leading_zeros() as usize;
        }
    }
    0
}

/// Number of significant bits, in time independent of the value.
#[must_use]
pub(crate) fn bits_ct(a: &[u64]) -> usize {
    let mut bits = 0u64;
    let mut found = 0u64;
    for (i, &x) in a.iter().enumerate().rev() {
        let nonzero = 1 ^ is_zero_word(x);
        let take = nonzero & !found & 1;
        // leading_zeros is a single instruction (lzcnt/bsr) on the
        // platforms we target: no data-dependent timing.
        let here = 64 * i as u64 + 64 - u64::from(x.leading_zeros());
        bits |= mask(take) & here;
        found |= nonzero;
    }
    bits as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mul_and_square_agree() {
        let a = [u64::MAX, 3, u64::MAX - 5, 1 << 63];
        let mut p = [0u64; 8];
        let mut s = [0u64; 8];
        mul_into(&mut p, &a, &a);
        square_into(&mut s, &a);
        assert_eq!(p, s);
        let mut q = [0u64; 6];
        mul_into(&mut q, &a, &[7, 9]);
        let mut r = [0u64; 6];
        mul_into(&mut r, &[7, 9], &a);
        assert_eq!(q, r);
    }

    #[test]
    fn byte_round_trip_and_overflow() {
        let bytes = [1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        let mut limbs = [0u64; 2];
        assert_eq!(from_be_bytes(&mut limbs, &bytes), 0);
        assert_eq!(limbs, [0x0304_0506_0708_090a, 0x0102]);
        let mut out = [0u8; 12];
        write_be_bytes(&limbs, &mut out);
        assert_eq!(out[2..], bytes);
        let mut one = [0u64; 1];
        assert_eq!(from_be_bytes(&mut one, &bytes), 1);
        assert_eq!(bits_vartime(&limbs), 64 + 9);
        assert_eq!(bits_ct(&limbs), 64 + 9);
        assert_eq!(bits_ct(&[0, 0]), 0);
    }

    #[test]
    fn compare_and_select() {
        assert_eq!(ct_lt(&[1, 2], &[2, 2]), 1);
        assert_eq!(ct_lt(&[3, 2], &[2, 2]), 0);
        assert_eq!(ct_lt(&[3], &[0, 1]), 1);
        assert_eq!(ct_eq(&[3, 0], &[3]), 1);
        assert_eq!(ct_eq(&[3, 1], &[3]), 0);
        let mut a = [1u64, 2];
        select_assign(&mut a, &[5, 6], 0);
        assert_eq!(a, [1, 2]);
        select_assign(&mut a, &[5, 6], 1);
        assert_eq!(a, [5, 6]);
    }
}
