//! Confidentiality-only block cipher modes over [`Aes`].
//!
//! Entry points: [`ecb_encrypt`] / [`ecb_decrypt`] (the raw primitive, for
//! test vectors), [`cbc`] (SP 800-38A CBC, and PKCS#7 padding), [`ctr`]
//! (SP 800-38A CTR, 128-bit counter), [`cfb`] (CFB128), [`xts`] (IEEE
//! 1619 / SP 800-38E with ciphertext stealing) and [`keywrap`] (RFC 3394
//! and RFC 5649). None of these authenticate: prefer [`crate::aead`].

pub mod cbc;
pub mod cfb;
pub mod ctr;
pub mod keywrap;
pub mod xts;

use crate::Error;
use crate::cipher::aes::Aes;

/// Splits a buffer into 16-byte blocks, or reports its length.
pub(crate) fn whole_blocks(what: &'static str, buf: &[u8]) -> Result<usize, Error> {
    if buf.len().is_multiple_of(16) {
        Ok(buf.len() / 16)
    } else {
        Err(Error::InvalidLength { what, expected: "a multiple of 16", actual: buf.len() })
    }
}

/// Runs `f` over `buf` as 16-byte blocks, in batches on the stack.
pub(crate) fn for_blocks(buf: &mut [u8], mut f: impl FnMut(&mut [[u8; 16]])) {
    let mut batch = [[0u8; 16]; 16];
    for chunk in buf.chunks_mut(256) {
        let n = chunk.len() / 16;
        let blocks = batch.get_mut(..n).unwrap_or_default();
        for (b, c) in blocks.iter_mut().zip(chunk.chunks_exact(16)) {
            b.copy_from_slice(c);
        }
        f(blocks);
        for (c, b) in chunk.chunks_exact_mut(16).zip(blocks.iter()) {
            c.copy_from_slice(b);
        }
    }
    zeroize::Zeroize::zeroize(&mut batch);
}

/// ECB encryption in place (`buf.len()` a multiple of 16). Leaks equal
/// blocks: only for known-answer tests and as a building block.
///
/// # Errors
/// [`Error::InvalidLength`] when `buf` is not whole blocks.
pub fn ecb_encrypt(aes: &Aes, buf: &mut [u8]) -> Result<(), Error> {
    whole_blocks("ECB data", buf)?;
    for_blocks(buf, |b| aes.encrypt_blocks(b));
    Ok(())
}

/// ECB decryption in place (`buf.len()` a multiple of 16).
///
/// # Errors
/// [`Error::InvalidLength`] when `buf` is not whole blocks.
pub fn ecb_decrypt(aes: &Aes, buf: &mut [u8]) -> Result<(), Error> {
    whole_blocks("ECB data", buf)?;
    for_blocks(buf, |b| aes.decrypt_blocks(b));
    Ok(())
}

/// Reads a 16-byte IV.
pub(crate) fn iv16(what: &'static str, iv: &[u8]) -> Result<[u8; 16], Error> {
    iv.try_into().map_err(|_| Error::InvalidLength { what, expected: "16", actual: iv.len() })
}

pub(crate) fn xor_into(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d ^= s;
    }
}

#[cfg(test)]
mod tests;
