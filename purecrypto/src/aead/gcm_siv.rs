//! AES-GCM-SIV (RFC 8452): nonce-misuse-resistant AEAD.
//!
//! Entry point: [`AesGcmSiv`] (implements [`Aead`]): 16- or 32-byte keys,
//! 12-byte nonces, 16-byte tags. Per-nonce keys are derived with AES,
//! POLYVAL authenticates the plaintext, and the tag seeds a CTR mode with
//! a 32-bit little-endian counter. Decryption decrypts first, checks the
//! tag in constant time and zeroes the buffer on failure.

use zeroize::Zeroize;

use super::ghash::Polyval;
use super::{Aead, Tag, check_tag_len};
use crate::Error;
use crate::cipher::aes::Aes;

/// Largest plaintext or AAD: 2^36 bytes.
const MAX_LEN: u64 = 1 << 36;

/// AES-GCM-SIV with a 128- or 256-bit key generating key.
#[derive(Clone)]
pub struct AesGcmSiv {
    aes: Aes,
}

impl core::fmt::Debug for AesGcmSiv {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesGcmSiv { .. }")
    }
}

impl AesGcmSiv {
    /// AES-GCM-SIV with a 16- or 32-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        if !matches!(key.len(), 16 | 32) {
            return Err(Error::InvalidLength { what: "AES-GCM-SIV key", expected: "16 or 32", actual: key.len() });
        }
        Ok(Self { aes: Aes::new(key)? })
    }

    /// The per-nonce authentication and encryption keys.
    fn derive(&self, nonce: &[u8; 12]) -> Result<(Polyval, Aes), Error> {
        let blocks = 2 + self.aes.key_len() / 8;
        let mut material = [0u8; 48];
        for (i, out) in material.chunks_exact_mut(8).take(blocks).enumerate() {
            let mut b = [0u8; 16];
            b[..4].copy_from_slice(&(i as u32).to_le_bytes());
            b[4..].copy_from_slice(nonce);
            self.aes.encrypt_block(&mut b);
            out.copy_from_slice(&b[..8]);
            b.zeroize();
        }
        let mut auth = [0u8; 16];
        auth.copy_from_slice(&material[..16]);
        let polyval = Polyval::new(&auth, false);
        let enc = Aes::new(material.get(16..8 * blocks).unwrap_or_default());
        auth.zeroize();
        material.zeroize();
        Ok((polyval, enc?))
    }

    fn tag(polyval: &mut Polyval, enc: &Aes, nonce: &[u8; 12], aad: &[u8], plaintext: &[u8]) -> [u8; 16] {
        polyval.update_padded(aad);
        polyval.update_padded(plaintext);
        let mut lens = [0u8; 16];
        lens[..8].copy_from_slice(&(aad.len() as u64 * 8).to_le_bytes());
        lens[8..].copy_from_slice(&(plaintext.len() as u64 * 8).to_le_bytes());
        polyval.update_padded(&lens);
        let mut s = polyval.value();
        for (x, n) in s.iter_mut().zip(nonce) {
            *x ^= n;
        }
        s[15] &= 0x7f;
        enc.encrypt_block(&mut s);
        s
    }

    fn check(nonce: &[u8], aad: &[u8], len: usize) -> Result<[u8; 12], Error> {
        let n: [u8; 12] = nonce.try_into().map_err(|_| Error::InvalidLength {
            what: "AES-GCM-SIV nonce",
            expected: "12",
            actual: nonce.len(),
        })?;
        for (what, l) in [("AES-GCM-SIV plaintext", len), ("AES-GCM-SIV AAD", aad.len())] {
            if l as u64 > MAX_LEN {
                return Err(Error::InvalidLength { what, expected: "at most 2^36 bytes", actual: l });
            }
        }
        Ok(n)
    }
}

/// CTR with a 32-bit little-endian counter in the first four bytes.
fn ctr32le(enc: &Aes, tag: &[u8; 16], buf: &mut [u8]) {
    let mut ctr = *tag;
    ctr[15] |= 0x80;
    let mut n = u32::from_le_bytes([ctr[0], ctr[1], ctr[2], ctr[3]]);
    let mut ks = [[0u8; 16]; 8];
    for chunk in buf.chunks_mut(128) {
        let blocks = chunk.len().div_ceil(16);
        for b in ks.iter_mut().take(blocks) {
            *b = ctr;
            b[..4].copy_from_slice(&n.to_le_bytes());
            n = n.wrapping_add(1);
        }
        let ks = ks.get_mut(..blocks).unwrap_or_default();
        enc.encrypt_blocks(ks);
        for (d, k) in chunk.iter_mut().zip(ks.iter().flatten()) {
            *d ^= k;
        }
    }
    ks.zeroize();
}

impl Aead for AesGcmSiv {
    fn tag_len(&self) -> usize {
        16
    }

    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        let n = Self::check(nonce, aad, buf.len())?;
        let (mut polyval, enc) = self.derive(&n)?;
        let tag = Self::tag(&mut polyval, &enc, &n, aad, buf);
        ctr32le(&enc, &tag, buf);
        Ok(Tag::truncated(tag, 16))
    }

    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error> {
        check_tag_len("AES-GCM-SIV tag", "16", tag, 16)?;
        let n = Self::check(nonce, aad, buf.len())?;
        let (mut polyval, enc) = self.derive(&n)?;
        let received: [u8; 16] = tag.try_into().unwrap_or_default();
        ctr32le(&enc, &received, buf);
        let expected = Self::tag(&mut polyval, &enc, &n, aad, buf);
        if !crate::ct::eq(&expected, tag) {
            buf.zeroize();
            return Err(Error::VerificationFailed);
        }
        Ok(())
    }
}
