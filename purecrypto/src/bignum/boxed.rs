//! [`BoxedUint`]: an unsigned integer whose width (in limbs) is chosen at
//! run time and then fixed, zeroized on drop.

use alloc::vec;
use alloc::vec::Vec;
use core::fmt;

use subtle::{Choice, ConstantTimeEq, ConstantTimeLess};
use zeroize::{Zeroize, ZeroizeOnDrop};

use super::limbs;
use super::monty::MAX_LIMBS;
use crate::Error;

/// An unsigned integer of a fixed number of 64-bit limbs on the heap.
///
/// Invariant: `1 <= limbs.len() <= MAX_LIMBS`. Arithmetic keeps the width
/// of its left operand; every operation is constant time in the value.
#[derive(Clone)]
pub struct BoxedUint {
    limbs: Vec<u64>,
}

impl fmt::Debug for BoxedUint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Values may be secret (private exponents, primes).
        write!(f, "BoxedUint {{ limbs: {} }}", self.limbs.len())
    }
}

impl Drop for BoxedUint {
    fn drop(&mut self) {
        self.limbs.zeroize();
    }
}

impl ZeroizeOnDrop for BoxedUint {}

impl BoxedUint {
    /// Zero with `limbs` limbs (clamped to 1..=[`MAX_LIMBS`]).
    #[must_use]
    pub fn zero(limbs: usize) -> Self {
        Self { limbs: vec![0; limbs.clamp(1, MAX_LIMBS)] }
    }

    /// Wraps little-endian limbs.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for an empty slice or more than
    /// [`MAX_LIMBS`] limbs.
    pub fn from_limbs(limbs: &[u64]) -> Result<Self, Error> {
        if limbs.is_empty() || limbs.len() > MAX_LIMBS {
            return Err(Error::InvalidLength { what: "BoxedUint limbs", expected: "1 to 256", actual: limbs.len() });
        }
        Ok(Self { limbs: limbs.to_vec() })
    }

    /// Reads a big-endian byte string into `limbs` limbs.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the value does not fit (a nonzero
    /// byte beyond the width) or the width is out of range.
    pub fn from_be_bytes(bytes: &[u8], limbs: usize) -> Result<Self, Error> {
        if limbs == 0 || limbs > MAX_LIMBS {
            return Err(Error::InvalidLength { what: "BoxedUint limbs", expected: "1 to 256", actual: limbs });
        }
        let mut out = Self::zero(limbs);
        if limbs::from_be_bytes(&mut out.limbs, bytes) != 0 {
            return Err(Error::InvalidLength {
                what: "big-endian integer",
                expected: "fits the width",
                actual: bytes.len(),
            });
        }
        Ok(out)
    }

    /// Writes the value big-endian into `len` bytes, left-padded.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the value needs more than `len` bytes.
    pub fn to_be_bytes(&self, len: usize) -> Result<Vec<u8>, Error> {
        let mut out = vec![0u8; len];
        let mut check = vec![0u64; self.limbs.len()];
        limbs::from_be_bytes(&mut check, &{
            let mut full = vec![0u8; 8 * self.limbs.len()];
            limbs::write_be_bytes(&self.limbs, &mut full);
            let cut = full.len().saturating_sub(len);
            full.get(cut..).map(<[u8]>::to_vec).unwrap_or_default()
        });
        if limbs::ct_eq(&check, &self.limbs) != 1 {
            return Err(Error::InvalidLength { what: "big-endian output", expected: "value fits", actual: len });
        }
        check.zeroize();
        limbs::write_be_bytes(&self.limbs, &mut out);
        Ok(out)
    }

    /// The limbs, least significant first.
    #[must_use]
    pub fn as_limbs(&self) -> &[u64] {
        &self.limbs
    }

    /// Width in limbs.
    #[must_use]
    pub fn width(&self) -> usize {
        self.limbs.len()
    }

    /// Bit length (variable time: public values only).
    #[must_use]
    pub fn bits_vartime(&self) -> usize {
        limbs::bits_vartime(&self.limbs)
    }

    /// Whether the value is odd.
    #[must_use]
    pub fn is_odd(&self) -> Choice {
        Choice::from((self.limbs.first().copied().unwrap_or(0) & 1) as u8)
    }

    /// `self + other` modulo `2^(64 * width)`, and the carry out.
    #[must_use]
    pub fn wrapping_add(&self, other: &Self) -> (Self, Choice) {
        let mut out = self.clone();
        let c = limbs::add_assign(&mut out.limbs, &other.limbs);
        (out, Choice::from(c as u8))
    }

    /// `self - other` modulo `2^(64 * width)`, and the borrow out.
    #[must_use]
    pub fn wrapping_sub(&self, other: &Self) -> (Self, Choice) {
        let mut out = self.clone();
        let b = limbs::sub_assign(&mut out.limbs, &other.limbs);
        (out, Choice::from(b as u8))
    }

    /// The full product, `width(self) + width(other)` limbs wide.
    #[must_use]
    pub fn mul_wide(&self, other: &Self) -> Self {
        let mut out = vec![0u64; self.limbs.len() + other.limbs.len()];
        limbs::mul_into(&mut out, &self.limbs, &other.limbs);
        out.truncate(MAX_LIMBS.max(1));
        Self { limbs: out }
    }
}

impl ConstantTimeEq for BoxedUint {
    fn ct_eq(&self, other: &Self) -> Choice {
        Choice::from(limbs::ct_eq(&self.limbs, &other.limbs) as u8)
    }
}

impl ConstantTimeLess for BoxedUint {}

impl subtle::ConstantTimeGreater for BoxedUint {
    fn ct_gt(&self, other: &Self) -> Choice {
        Choice::from(limbs::ct_lt(&other.limbs, &self.limbs) as u8)
    }
}

impl PartialEq for BoxedUint {
    fn eq(&self, other: &Self) -> bool {
        limbs::ct_eq(&self.limbs, &other.limbs) == 1
    }
}

impl Eq for BoxedUint {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn bytes_round_trip_and_arithmetic() {
        let a = BoxedUint::from_be_bytes(&[0xff; 16], 2).unwrap();
        let one = BoxedUint::from_be_bytes(&[1], 2).unwrap();
        let (sum, carry) = a.wrapping_add(&one);
        assert!(bool::from(carry));
        assert_eq!(sum, BoxedUint::zero(2));
        let (diff, borrow) = BoxedUint::zero(2).wrapping_sub(&one);
        assert!(bool::from(borrow));
        assert_eq!(diff, a);
        assert_eq!(a.to_be_bytes(16).unwrap(), [0xff; 16]);
        assert!(a.to_be_bytes(15).is_err());
        assert_eq!(one.to_be_bytes(3).unwrap(), [0, 0, 1]);
        assert!(BoxedUint::from_be_bytes(&[1; 17], 2).is_err());
        assert!(bool::from(one.ct_lt(&a)));
        assert!(!bool::from(a.ct_lt(&one)));
        let sq = a.mul_wide(&a);
        assert_eq!(sq.width(), 4);
        assert_eq!(sq.bits_vartime(), 256);
        assert_eq!(format!("{a:?}"), "BoxedUint { limbs: 2 }");
    }
}
