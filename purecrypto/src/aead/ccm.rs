//! AES-CCM (NIST SP 800-38C, RFC 3610 formatting).
//!
//! Entry point: [`AesCcm`] (implements [`Aead`]): nonces of 7 to 13 bytes,
//! tags of 4, 6, 8, 10, 12, 14 or 16 bytes fixed at construction. The MAC
//! covers the plaintext, so decryption decrypts first, checks the tag in
//! constant time and zeroes the buffer on failure.

use zeroize::Zeroize;

use super::{Aead, Tag, check_tag_len};
use crate::Error;
use crate::cipher::aes::Aes;
use crate::cipher::modes::xor_into;

/// AES-CCM with a fixed tag length.
#[derive(Clone)]
pub struct AesCcm {
    aes: Aes,
    tag_len: usize,
}

impl core::fmt::Debug for AesCcm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesCcm { .. }")
    }
}

impl AesCcm {
    /// AES-CCM with a 16-, 24- or 32-byte key and the given tag length.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a bad key or tag length.
    pub fn new(key: &[u8], tag_len: usize) -> Result<Self, Error> {
        if !matches!(tag_len, 4 | 6 | 8 | 10 | 12 | 14 | 16) {
            return Err(Error::InvalidLength { what: "CCM tag", expected: "4, 6, ..., 16", actual: tag_len });
        }
        Ok(Self { aes: Aes::new(key)?, tag_len })
    }

    /// Checks the nonce and message length; returns `q`, the size of the
    /// length field.
    fn q(nonce: &[u8], len: usize) -> Result<usize, Error> {
        if !(7..=13).contains(&nonce.len()) {
            return Err(Error::InvalidLength { what: "CCM nonce", expected: "7 to 13", actual: nonce.len() });
        }
        let q = 15 - nonce.len();
        if q < 8 && (len as u64) >> (8 * q) != 0 {
            return Err(Error::InvalidLength { what: "CCM message", expected: "below 2^(8q) bytes", actual: len });
        }
        Ok(q)
    }

    /// Counter block `i` (`flags = q - 1`).
    fn counter(nonce: &[u8], q: usize, i: u64) -> [u8; 16] {
        let mut c = [0u8; 16];
        c[0] = (q - 1) as u8;
        if let Some(n) = c.get_mut(1..1 + nonce.len()) {
            n.copy_from_slice(nonce);
        }
        let ib = i.to_be_bytes();
        for (d, s) in c.iter_mut().rev().zip(ib.iter().rev()).take(q) {
            *d = *s;
        }
        c
    }

    /// The CBC-MAC `T` over B0, the encoded AAD and the payload.
    fn cbc_mac(&self, nonce: &[u8], q: usize, aad: &[u8], payload: &[u8]) -> [u8; 16] {
        let mut x = [0u8; 16];
        x[0] = (u8::from(!aad.is_empty()) << 6) | ((((self.tag_len - 2) / 2) as u8) << 3) | (q - 1) as u8;
        if let Some(n) = x.get_mut(1..1 + nonce.len()) {
            n.copy_from_slice(nonce);
        }
        let lb = (payload.len() as u64).to_be_bytes();
        for (d, s) in x.iter_mut().rev().zip(lb.iter().rev()).take(q) {
            *d = *s;
        }
        self.aes.encrypt_block(&mut x);
        if !aad.is_empty() {
            let mut enc = [0u8; 10];
            let a = aad.len() as u64;
            let head: &[u8] = if a < 0xff00 {
                enc[..2].copy_from_slice(&(a as u16).to_be_bytes());
                &enc[..2]
            } else if a <= u64::from(u32::MAX) {
                enc[..2].copy_from_slice(&[0xff, 0xfe]);
                enc[2..6].copy_from_slice(&(a as u32).to_be_bytes());
                &enc[..6]
            } else {
                enc[..2].copy_from_slice(&[0xff, 0xff]);
                enc[2..].copy_from_slice(&a.to_be_bytes());
                &enc[..]
            };
            let mut blocks = head.iter().chain(aad).copied().peekable();
            while blocks.peek().is_some() {
                for (xb, b) in x.iter_mut().zip(blocks.by_ref().take(16)) {
                    *xb ^= b;
                }
                self.aes.encrypt_block(&mut x);
            }
        }
        for chunk in payload.chunks(16) {
            xor_into(&mut x, chunk);
            self.aes.encrypt_block(&mut x);
        }
        x
    }

    fn tag(&self, nonce: &[u8], q: usize, aad: &[u8], plaintext: &[u8]) -> [u8; 16] {
        let mut t = self.cbc_mac(nonce, q, aad, plaintext);
        let mut s0 = Self::counter(nonce, q, 0);
        self.aes.encrypt_block(&mut s0);
        xor_into(&mut t, &s0);
        t
    }
}

impl Aead for AesCcm {
    fn tag_len(&self) -> usize {
        self.tag_len
    }

    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        let q = Self::q(nonce, buf.len())?;
        let t = self.tag(nonce, q, aad, buf);
        self.aes.ctr_xor::<128>(Self::counter(nonce, q, 1), buf);
        Ok(Tag::truncated(t, self.tag_len))
    }

    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error> {
        check_tag_len("CCM tag", "the instance's tag length", tag, self.tag_len)?;
        let q = Self::q(nonce, buf.len())?;
        self.aes.ctr_xor::<128>(Self::counter(nonce, q, 1), buf);
        let mut t = self.tag(nonce, q, aad, buf);
        let ok = crate::ct::eq(t.get(..self.tag_len).unwrap_or_default(), tag);
        t.zeroize();
        if !ok {
            buf.zeroize();
            return Err(Error::VerificationFailed);
        }
        Ok(())
    }
}
