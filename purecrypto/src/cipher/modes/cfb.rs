//! CFB128 mode (SP 800-38A, 128-bit segments); a final partial segment
//! is allowed, as in a stream cipher.
//!
//! Entry points: [`encrypt`] and [`decrypt`], in place.

use super::iv16;
use crate::Error;
use crate::cipher::aes::Aes;

/// CFB128-encrypts `buf` in place.
///
/// # Errors
/// [`Error::InvalidLength`] for an IV other than 16 bytes.
pub fn encrypt(aes: &Aes, iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let mut reg = iv16("CFB IV", iv)?;
    for seg in buf.chunks_mut(16) {
        aes.encrypt_block(&mut reg);
        for (d, k) in seg.iter_mut().zip(reg.iter_mut()) {
            *d ^= *k;
            *k = *d;
        }
    }
    Ok(())
}

/// CFB128-decrypts `buf` in place.
///
/// # Errors
/// [`Error::InvalidLength`] for an IV other than 16 bytes.
pub fn decrypt(aes: &Aes, iv: &[u8], buf: &mut [u8]) -> Result<(), Error> {
    let mut reg = iv16("CFB IV", iv)?;
    for seg in buf.chunks_mut(16) {
        aes.encrypt_block(&mut reg);
        for (d, k) in seg.iter_mut().zip(reg.iter_mut()) {
            let c = *d;
            *d ^= *k;
            *k = c;
        }
    }
    Ok(())
}
