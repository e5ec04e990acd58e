//! CBC mode (SP 800-38A) with optional PKCS#7 padding.
//!
//! Entry points: [`encrypt`] / [`decrypt`] (whole blocks, no padding),
//! [`encrypt_padded`] / [`decrypt_padded`] (PKCS#7), and for the legacy
//! 64-bit block ciphers of old key files (3DES, RC2) `encrypt_padded_64`
//! / `decrypt_padded_64`. The padding check is
//! branch-free over the last block and every failure returns the same
//! [`Error::VerificationFailed`], so the error itself is not a padding
//! oracle; CBC is still malleable, so authenticate ciphertexts first.

use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

use super::{for_blocks, iv16, whole_blocks, xor_into};
use crate::Error;
use crate::cipher::aes::Aes;

/// CBC-encrypts whole blocks in place.
///
/// # Errors
/// [`Error::InvalidLength`] for an IV other than 16 bytes or data that is
/// not whole blocks.
pub fn encrypt(aes: &Aes, iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let mut prev = iv16("CBC IV", iv)?;
    whole_blocks("CBC data", buf)?;
    for block in buf.chunks_exact_mut(16) {
        xor_into(&mut prev, block);
        aes.encrypt_block(&mut prev);
        block.copy_from_slice(&prev);
    }
    Ok(())
}

/// CBC-decrypts whole blocks in place (blocks are decrypted in parallel).
///
/// # Errors
/// As [`encrypt`].
pub fn decrypt(aes: &Aes, iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let mut prev = iv16("CBC IV", iv)?;
    whole_blocks("CBC data", buf)?;
    let mut batch_prev = [0u8; 256];
    for chunk in buf.chunks_mut(256) {
        let chain = batch_prev.get_mut(..chunk.len()).unwrap_or_default();
        // chain = IV-or-previous ciphertext block for each block.
        for (i, c) in chain.chunks_exact_mut(16).enumerate() {
            if i == 0 {
                c.copy_from_slice(&prev);
            } else {
                c.copy_from_slice(chunk.get(16 * (i - 1)..16 * i).unwrap_or_default());
            }
        }
        if let Some(last) = chunk.rchunks_exact(16).next() {
            prev.copy_from_slice(last);
        }
        for_blocks(chunk, |b| aes.decrypt_blocks(b));
        xor_into(chunk, chain);
    }
    Ok(())
}

/// PKCS#7-pads and CBC-encrypts `plaintext`.
///
/// # Errors
/// [`Error::InvalidLength`] for an IV other than 16 bytes.
pub fn encrypt_padded(aes: &Aes, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    let pad = 16 - plaintext.len() % 16;
    let mut buf = Vec::with_capacity(plaintext.len() + pad);
    buf.extend_from_slice(plaintext);
    buf.resize(plaintext.len() + pad, pad as u8);
    encrypt(aes, iv, &mut buf)?;
    Ok(buf)
}

/// CBC-decrypts and strips PKCS#7 padding.
///
/// # Errors
/// [`Error::InvalidLength`] for a bad IV or a ciphertext that is empty or
/// not whole blocks; [`Error::VerificationFailed`] for bad padding.
pub fn decrypt_padded(aes: &Aes, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, Error> {
    if ciphertext.is_empty() {
        return Err(Error::InvalidLength { what: "CBC ciphertext", expected: "at least one block", actual: 0 });
    }
    let mut buf = ciphertext.to_vec();
    decrypt(aes, iv, &mut buf)?;
    let mut last = [0u8; 16];
    last.copy_from_slice(buf.get(buf.len() - 16..).unwrap_or_default());
    let n = last[15];
    // bad != 0 iff n == 0, n > 16, or one of the last n bytes differs.
    let mut bad = u32::from(n.wrapping_sub(1) >> 4 != 0) | u32::from(n == 0);
    for (i, b) in last.iter().rev().enumerate() {
        // in_pad is all ones when i < n, without a branch.
        let in_pad = ((i as u32).wrapping_sub(u32::from(n)) >> 31).wrapping_neg();
        bad |= in_pad & u32::from(b ^ n);
    }
    if bad != 0 {
        zeroize::Zeroize::zeroize(&mut buf);
        return Err(Error::VerificationFailed);
    }
    buf.truncate(buf.len() - usize::from(n));
    Ok(buf)
}

/// PKCS#5-pads and CBC-encrypts `plaintext` with a 64-bit block cipher
/// given as its block function (3DES for legacy PEM keys).
pub(crate) fn encrypt_padded_64(encrypt_block: impl Fn(&mut [u8; 8]), iv: [u8; 8], plaintext: &[u8]) -> Vec<u8> {
    let pad = 8 - plaintext.len() % 8;
    let mut out = Zeroizing::new(Vec::with_capacity(plaintext.len() + pad));
    out.extend_from_slice(plaintext);
    out.resize(plaintext.len() + pad, pad as u8);
    let mut chain = iv;
    for block in out.chunks_exact_mut(8) {
        xor_into(&mut chain, block);
        encrypt_block(&mut chain);
        block.copy_from_slice(&chain);
    }
    // Ciphertext from here on: no longer secret.
    core::mem::take(&mut *out)
}

/// CBC-decrypts with a 64-bit block cipher given as its block function,
/// then strips PKCS#5 padding. Used only for password-protected legacy
/// files, where a padding failure means a wrong password.
///
/// # Errors
/// [`Error::DecryptionFailed`] for a ciphertext that is empty or not whole
/// blocks, or bad padding.
pub(crate) fn decrypt_padded_64(
    decrypt_block: impl Fn(&mut [u8; 8]),
    iv: [u8; 8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, Error> {
    if ciphertext.is_empty() || !ciphertext.len().is_multiple_of(8) {
        return Err(Error::DecryptionFailed);
    }
    let mut out = Zeroizing::new(Vec::with_capacity(ciphertext.len()));
    let mut previous = iv;
    let mut block = [0u8; 8];
    for chunk in ciphertext.chunks_exact(8) {
        block.copy_from_slice(chunk);
        decrypt_block(&mut block);
        xor_into(&mut block, &previous);
        out.extend_from_slice(&block);
        previous.copy_from_slice(chunk);
    }
    block.zeroize();
    let pad = out.last().copied().unwrap_or(0);
    let body_len = out.len().checked_sub(usize::from(pad)).ok_or(Error::DecryptionFailed)?;
    let padding = out.get(body_len..).unwrap_or_default();
    if !(1..=8).contains(&pad) || padding.iter().any(|&b| b != pad) {
        return Err(Error::DecryptionFailed);
    }
    out.truncate(body_len);
    Ok(out)
}
