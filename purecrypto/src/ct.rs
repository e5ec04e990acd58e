//! Constant-time helpers on top of `subtle`.
//!
//! Entry points: [`eq`] for comparing tags, MACs and Finished values, and
//! [`select`] / [`conditional_copy`] for secret-dependent choices without
//! branches. Lengths are treated as public; contents as secret.

use subtle::{ConditionallySelectable, ConstantTimeEq};

/// Whether `a == b`, in time that depends only on the lengths.
///
/// Use this, never `==`, for anything an attacker may try to guess byte by
/// byte (authentication tags, MACs, TLS Finished, password hashes).
#[must_use]
pub fn eq(a: &[u8], b: &[u8]) -> bool {
    // `unwrap_u8() == 1` rather than `bool::from`: subtle's conversion
    // carries a debug assertion, a secret-dependent branch in debug and
    // test builds that the valgrind constant-time check would flag.
    a.ct_eq(b).unwrap_u8() == 1
}

/// `a` when `choice` is false, `b` when it is true, without a branch on
/// `choice`.
#[must_use]
pub fn select(choice: bool, a: u8, b: u8) -> u8 {
    u8::conditional_select(&a, &b, subtle::Choice::from(u8::from(choice)))
}

/// Copies `src` over `dst` when `choice` is true, leaves `dst` alone
/// otherwise; the memory access pattern is the same either way.
///
/// # Errors
/// [`Error::InvalidLength`](crate::Error::InvalidLength) when the slices
/// differ in length (a public fact).
pub fn conditional_copy(choice: bool, dst: &mut [u8], src: &[u8]) -> Result<(), crate::Error> {
    if dst.len() != src.len() {
        return Err(crate::Error::InvalidLength {
            what: "conditional_copy source",
            expected: "dst.len()",
            actual: src.len(),
        });
    }
    let choice = subtle::Choice::from(u8::from(choice));
    for (d, s) in dst.iter_mut().zip(src) {
        d.conditional_assign(s, choice);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eq_matches_slice_equality() {
        let cases: [(&[u8], &[u8]); 6] =
            [(b"", b""), (b"a", b"a"), (b"a", b"b"), (b"abc", b"abd"), (b"abc", b"ab"), (b"\x00", b"")];
        for (a, b) in cases {
            assert_eq!(eq(a, b), a == b, "{a:?} vs {b:?}");
        }
        // A difference in any single bit of any byte is seen.
        let base = [0x5au8; 32];
        for i in 0..base.len() {
            for bit in 0..8 {
                let mut other = base;
                other[i] ^= 1 << bit;
                assert!(!eq(&base, &other));
            }
        }
    }

    #[test]
    fn select_and_conditional_copy() {
        assert_eq!(select(false, 7, 9), 7);
        assert_eq!(select(true, 7, 9), 9);
        let mut dst = [1u8, 2, 3];
        conditional_copy(false, &mut dst, &[4, 5, 6]).unwrap();
        assert_eq!(dst, [1, 2, 3]);
        conditional_copy(true, &mut dst, &[4, 5, 6]).unwrap();
        assert_eq!(dst, [4, 5, 6]);
        let err = conditional_copy(true, &mut dst, &[1]).unwrap_err();
        assert_eq!(
            err,
            crate::Error::InvalidLength { what: "conditional_copy source", expected: "dst.len()", actual: 1 }
        );
    }
}
