//! AES key wrap: RFC 3394 (KW, SP 800-38F) and RFC 5649 (KWP, with
//! padding).
//!
//! Entry points: [`wrap`] / [`unwrap`] and [`wrap_padded`] /
//! [`unwrap_padded`]. Unwrapping checks the integrity value in constant
//! time and returns [`Error::VerificationFailed`] (and no key bytes) when
//! it does not match.

use alloc::vec::Vec;

use zeroize::Zeroize;

use crate::Error;
use crate::cipher::aes::Aes;

const KW_IV: [u8; 8] = [0xa6; 8];
const KWP_PREFIX: [u8; 4] = [0xa6, 0x59, 0x59, 0xa6];

/// The wrapping function W of SP 800-38F over `a` and the 64-bit
/// registers in `r` (at least two).
fn w(aes: &Aes, a: [u8; 8], r: &mut [u8]) -> [u8; 8] {
    let n = (r.len() / 8) as u64;
    let mut a = u64::from_be_bytes(a);
    for j in 0..6u64 {
        for (i, reg) in r.chunks_exact_mut(8).enumerate() {
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&a.to_be_bytes());
            b[8..].copy_from_slice(reg);
            aes.encrypt_block(&mut b);
            let t = n * j + i as u64 + 1;
            a = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) ^ t;
            reg.copy_from_slice(&b[8..]);
            b.zeroize();
        }
    }
    a.to_be_bytes()
}

/// The unwrapping function W^-1; returns the recovered `A`.
fn w_inv(aes: &Aes, a: [u8; 8], r: &mut [u8]) -> [u8; 8] {
    let n = (r.len() / 8) as u64;
    let mut a = u64::from_be_bytes(a);
    for j in (0..6u64).rev() {
        for (i, reg) in r.chunks_exact_mut(8).enumerate().rev() {
            let t = n * j + i as u64 + 1;
            let mut b = [0u8; 16];
            b[..8].copy_from_slice(&(a ^ t).to_be_bytes());
            b[8..].copy_from_slice(reg);
            aes.decrypt_block(&mut b);
            a = u64::from_be_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
            reg.copy_from_slice(&b[8..]);
            b.zeroize();
        }
    }
    a.to_be_bytes()
}

/// RFC 3394 wrap of a key of 16 or more bytes, a multiple of 8.
///
/// # Errors
/// [`Error::InvalidLength`] for any other key length.
pub fn wrap(aes: &Aes, key: &[u8]) -> Result<Vec<u8>, Error> {
    if key.len() < 16 || !key.len().is_multiple_of(8) {
        return Err(Error::InvalidLength {
            what: "KW key data",
            expected: "a multiple of 8, >= 16",
            actual: key.len(),
        });
    }
    let mut out = alloc::vec![0u8; key.len() + 8];
    let (a, r) = out.split_at_mut(8);
    r.copy_from_slice(key);
    a.copy_from_slice(&w(aes, KW_IV, r));
    Ok(out)
}

/// RFC 3394 unwrap.
///
/// # Errors
/// [`Error::InvalidLength`] unless the input is a multiple of 8 of at
/// least 24 bytes; [`Error::VerificationFailed`] when the integrity check
/// fails.
pub fn unwrap(aes: &Aes, wrapped: &[u8]) -> Result<Vec<u8>, Error> {
    if wrapped.len() < 24 || !wrapped.len().is_multiple_of(8) {
        return Err(Error::InvalidLength {
            what: "KW wrapped key",
            expected: "a multiple of 8, >= 24",
            actual: wrapped.len(),
        });
    }
    let (a, r) = wrapped.split_at(8);
    let mut key = r.to_vec();
    let a = w_inv(aes, a.try_into().unwrap_or_default(), &mut key);
    if !crate::ct::eq(&a, &KW_IV) {
        key.zeroize();
        return Err(Error::VerificationFailed);
    }
    Ok(key)
}

/// RFC 5649 wrap of a key of 1 to 2^32 - 1 bytes.
///
/// # Errors
/// [`Error::InvalidLength`] for an empty or oversized key.
pub fn wrap_padded(aes: &Aes, key: &[u8]) -> Result<Vec<u8>, Error> {
    let mli = u32::try_from(key.len()).ok().filter(|&n| n > 0).ok_or(Error::InvalidLength {
        what: "KWP key data",
        expected: "1 to 2^32 - 1 bytes",
        actual: key.len(),
    })?;
    let mut aiv = [0u8; 8];
    aiv[..4].copy_from_slice(&KWP_PREFIX);
    aiv[4..].copy_from_slice(&mli.to_be_bytes());
    let padded = key.len().div_ceil(8) * 8;
    let mut out = alloc::vec![0u8; padded + 8];
    let (a, r) = out.split_at_mut(8);
    r.get_mut(..key.len()).unwrap_or_default().copy_from_slice(key);
    if padded == 8 {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&aiv);
        b[8..].copy_from_slice(r);
        aes.encrypt_block(&mut b);
        out.copy_from_slice(&b);
        b.zeroize();
    } else {
        a.copy_from_slice(&w(aes, aiv, r));
    }
    Ok(out)
}

/// RFC 5649 unwrap.
///
/// # Errors
/// [`Error::InvalidLength`] unless the input is a multiple of 8 of at
/// least 16 bytes; [`Error::VerificationFailed`] when the integrity
/// value, length or padding check fails.
pub fn unwrap_padded(aes: &Aes, wrapped: &[u8]) -> Result<Vec<u8>, Error> {
    if wrapped.len() < 16 || !wrapped.len().is_multiple_of(8) {
        return Err(Error::InvalidLength {
            what: "KWP wrapped key",
            expected: "a multiple of 8, >= 16",
            actual: wrapped.len(),
        });
    }
    let (a, r) = wrapped.split_at(8);
    let mut key = r.to_vec();
    let a = if wrapped.len() == 16 {
        let mut b = [0u8; 16];
        b.copy_from_slice(wrapped);
        aes.decrypt_block(&mut b);
        key.copy_from_slice(&b[8..]);
        let a: [u8; 8] = b[..8].try_into().unwrap_or_default();
        b.zeroize();
        a
    } else {
        w_inv(aes, a.try_into().unwrap_or_default(), &mut key)
    };
    let n = key.len();
    let mli = u32::from_be_bytes([a[4], a[5], a[6], a[7]]) as usize;
    // The checks are combined so failure timing does not say which failed.
    let mut ok = crate::ct::eq(&a[..4], &KWP_PREFIX) & (mli > n.saturating_sub(8)) & (mli <= n);
    let mut pad_nonzero = 0u8;
    for (i, b) in key.iter().enumerate() {
        let in_pad = u8::from(i >= mli).wrapping_neg();
        pad_nonzero |= in_pad & b;
    }
    ok &= pad_nonzero == 0;
    if !ok {
        key.zeroize();
        return Err(Error::VerificationFailed);
    }
    key.truncate(mli);
    Ok(key)
}
