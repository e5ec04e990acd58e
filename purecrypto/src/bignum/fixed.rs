//! [`Uint`]: a fixed-width unsigned integer of `L` limbs on the stack, for
//! code whose sizes are known at compile time (curve fields, DH
//! exponents); it shares the constant-time kernels of [`super::limbs`].

use core::fmt;

use subtle::{Choice, ConditionallySelectable, ConstantTimeEq, ConstantTimeLess};
use zeroize::Zeroize;

use super::limbs;

/// An unsigned integer of exactly `L` 64-bit limbs, least significant
/// first. Arithmetic wraps modulo `2^(64 L)` and reports the carry.
#[derive(Clone, Copy)]
pub struct Uint<const L: usize> {
    limbs: [u64; L],
}

impl<const L: usize> fmt::Debug for Uint<L> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Uint<{L}> {{ .. }}")
    }
}

impl<const L: usize> Zeroize for Uint<L> {
    fn zeroize(&mut self) {
        self.limbs.zeroize();
    }
}

impl<const L: usize> Default for Uint<L> {
    fn default() -> Self {
        Self::ZERO
    }
}

impl<const L: usize> Uint<L> {
    /// Zero.
    pub const ZERO: Self = Self { limbs: [0; L] };

    /// From little-endian limbs.
    #[must_use]
    pub const fn from_limbs(limbs: [u64; L]) -> Self {
        Self { limbs }
    }

    /// From a `u64`.
    #[must_use]
    pub fn from_u64(x: u64) -> Self {
        let mut out = Self::ZERO;
        if let Some(first) = out.limbs.first_mut() {
            *first = x;
        }
        out
    }

    /// Reads big-endian bytes; `None` when the value does not fit.
    #[must_use]
    pub fn from_be_slice(bytes: &[u8]) -> Option<Self> {
        let mut out = Self::ZERO;
        (limbs::from_be_bytes(&mut out.limbs, bytes) == 0).then_some(out)
    }

    /// Writes big-endian into `out`, left-padded (high limbs beyond
    /// `out.len()` are dropped).
    pub fn write_be(&self, out: &mut [u8]) {
        limbs::write_be_bytes(&self.limbs, out);
    }

    /// The limbs.
    #[must_use]
    pub const fn as_limbs(&self) -> &[u64; L] {
        &self.limbs
    }

    /// `self + rhs` and the carry out.
    #[must_use]
    pub fn adc(&self, rhs: &Self) -> (Self, Choice) {
        let mut out = *self;
        let c = limbs::add_assign(&mut out.limbs, &rhs.limbs);
        (out, Choice::from(c as u8))
    }

    /// `self - rhs` and the borrow out.
    #[must_use]
    pub fn sbb(&self, rhs: &Self) -> (Self, Choice) {
        let mut out = *self;
        let b = limbs::sub_assign(&mut out.limbs, &rhs.limbs);
        (out, Choice::from(b as u8))
    }

    /// `(self + rhs) mod m`, for `self, rhs < m`.
    #[must_use]
    pub fn add_mod(&self, rhs: &Self, m: &Self) -> Self {
        let (sum, carry) = self.adc(rhs);
        let (diff, borrow) = sum.sbb(m);
        // Keep the difference on a carry or when there was no borrow.
        let use_diff = carry | !borrow;
        Self::conditional_select(&sum, &diff, use_diff)
    }

    /// `(self - rhs) mod m`, for `self, rhs < m`.
    #[must_use]
    pub fn sub_mod(&self, rhs: &Self, m: &Self) -> Self {
        let (diff, borrow) = self.sbb(rhs);
        let (fixed, _) = diff.adc(m);
        Self::conditional_select(&diff, &fixed, borrow)
    }
}

impl<const L: usize> ConditionallySelectable for Uint<L> {
    fn conditional_select(a: &Self, b: &Self, choice: Choice) -> Self {
        let mut out = *a;
        limbs::select_assign(&mut out.limbs, &b.limbs, u64::from(choice.unwrap_u8()));
        out
    }
}

impl<const L: usize> ConstantTimeEq for Uint<L> {
    fn ct_eq(&self, other: &Self) -> Choice {
        Choice::from(limbs::ct_eq(&self.limbs, &other.limbs) as u8)
    }
}

impl<const L: usize> subtle::ConstantTimeGreater for Uint<L> {
    fn ct_gt(&self, other: &Self) -> Choice {
        Choice::from(limbs::ct_lt(&other.limbs, &self.limbs) as u8)
    }
}

impl<const L: usize> ConstantTimeLess for Uint<L> {}

impl<const L: usize> PartialEq for Uint<L> {
    fn eq(&self, other: &Self) -> bool {
        limbs::ct_eq(&self.limbs, &other.limbs) == 1
    }
}

impl<const L: usize> Eq for Uint<L> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modular_add_and_sub_wrap_correctly() {
        let m = Uint::<2>::from_limbs([u64::MAX - 58, u64::MAX]); // 2^128 - 59
        let a = Uint::<2>::from_limbs([u64::MAX - 60, u64::MAX]);
        let b = Uint::<2>::from_u64(5);
        assert_eq!(a.add_mod(&b, &m), Uint::from_u64(3));
        assert_eq!(b.sub_mod(&a, &m), Uint::from_u64(7));
        assert_eq!(a.sub_mod(&a, &m), Uint::ZERO);
        let x = Uint::<2>::from_be_slice(&[1, 2, 3]).unwrap();
        let mut out = [0u8; 4];
        x.write_be(&mut out);
        assert_eq!(out, [0, 1, 2, 3]);
        assert!(Uint::<1>::from_be_slice(&[1; 9]).is_none());
        assert!(bool::from(b.ct_lt(&a)));
    }
}
