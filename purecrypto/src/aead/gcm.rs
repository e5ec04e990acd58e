//! AES-GCM (NIST SP 800-38D).
//!
//! Entry point: [`AesGcm`] (implements [`Aead`]). Any non-empty nonce is
//! accepted (12 bytes is the fast, recommended case; other lengths go
//! through GHASH as the standard specifies); tags of 16, 15, 14, 13, 12,
//! 8 or 4 bytes are chosen at construction, never inferred from input.

use super::ghash::Ghash;
use super::{Aead, Tag, check_tag_len};
use crate::Error;
use crate::cipher::aes::Aes;

/// Largest plaintext: `2^39 - 256` bits.
const MAX_MESSAGE: u64 = (1 << 36) - 32;

/// AES-GCM with a 128-, 192- or 256-bit key.
///
/// Invariant: `h` is GHASH keyed with `E_K(0^128)`; `tag_len` is one of
/// the SP 800-38D lengths. Key material is zeroized on drop (by [`Aes`]
/// and GHASH).
#[derive(Clone)]
pub struct AesGcm {
    aes: Aes,
    h: Ghash,
    tag_len: usize,
    #[cfg(target_arch = "x86_64")]
    vaes: Option<crate::arch::x86_vaes::VaesClmul>,
}

impl core::fmt::Debug for AesGcm {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("AesGcm { .. }")
    }
}

impl AesGcm {
    /// AES-GCM with a 16-byte tag.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless the key is 16, 24 or 32 bytes.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Self::with_tag_len(key, 16)
    }

    /// AES-GCM with a truncated tag (16, 15, 14, 13, 12, 8 or 4 bytes).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a bad key or tag length.
    pub fn with_tag_len(key: &[u8], tag_len: usize) -> Result<Self, Error> {
        Self::build(Aes::new(key)?, tag_len, false)
    }

    /// As [`AesGcm::with_tag_len`] on the portable backends only.
    #[cfg(test)]
    pub(crate) fn new_soft(key: &[u8], tag_len: usize) -> Result<Self, Error> {
        Self::build(Aes::new_soft(key)?, tag_len, true)
    }

    fn build(aes: Aes, tag_len: usize, soft: bool) -> Result<Self, Error> {
        if !matches!(tag_len, 4 | 8 | 12..=16) {
            return Err(Error::InvalidLength {
                what: "GCM tag",
                expected: "16, 15, 14, 13, 12, 8 or 4",
                actual: tag_len,
            });
        }
        let mut zero = [0u8; 16];
        aes.encrypt_block(&mut zero);
        let h = if soft { Ghash::new_soft(&zero) } else { Ghash::new(&zero) };
        zero.fill(0);
        Ok(Self {
            #[cfg(target_arch = "x86_64")]
            vaes: if soft { None } else { crate::arch::x86_vaes::VaesClmul::detect() },
            aes,
            h,
            tag_len,
        })
    }

    /// The pre-counter block `J0` for `nonce`.
    fn j0(&self, nonce: &[u8]) -> Result<[u8; 16], Error> {
        if nonce.is_empty() {
            return Err(Error::InvalidLength { what: "GCM nonce", expected: "at least 1 byte", actual: 0 });
        }
        let mut j0 = [0u8; 16];
        if nonce.len() == 12 {
            j0[..12].copy_from_slice(nonce);
            j0[15] = 1;
        } else {
            let mut g = self.h.start();
            g.update_padded(nonce);
            let mut len_block = [0u8; 16];
            len_block[8..].copy_from_slice(&((nonce.len() as u64) * 8).to_be_bytes());
            g.update_block(&len_block);
            j0 = g.value();
        }
        Ok(j0)
    }

    /// Runs CTR over `buf` (encrypting, or decrypting) and GHASH over the
    /// AAD and the ciphertext in one pass; returns the full 16-byte tag.
    fn crypt(&self, j0: &[u8; 16], aad: &[u8], buf: &mut [u8], decrypt: bool) -> [u8; 16] {
        let total = buf.len() as u64;
        let mut len_block = [0u8; 16];
        len_block[..8].copy_from_slice(&((aad.len() as u64) * 8).to_be_bytes());
        len_block[8..].copy_from_slice(&(total * 8).to_be_bytes());
        let mut g = self.h.start();
        if aad.len() <= 48 && buf.len() <= 64 {
            // Short messages: hash AAD, ciphertext and lengths as one run
            // of at most eight blocks (one reduction).
            let ctr = first_counter(j0);
            if !decrypt {
                self.aes.ctr_xor::<32>(ctr, buf);
            }
            let mut blocks = [0u8; 128];
            let a = aad.len().div_ceil(16) * 16;
            let c = buf.len().div_ceil(16) * 16;
            if let Some(da) = blocks.get_mut(..aad.len()) {
                da.copy_from_slice(aad);
            }
            if let Some(dc) = blocks.get_mut(a..a + buf.len()) {
                dc.copy_from_slice(buf);
            }
            if let Some(dl) = blocks.get_mut(a + c..a + c + 16) {
                dl.copy_from_slice(&len_block);
            }
            g.update_blocks(blocks.get(..a + c + 16).unwrap_or_default());
            if decrypt {
                self.aes.ctr_xor::<32>(ctr, buf);
            }
            return self.finish(j0, &g);
        }
        g.update_padded(aad);
        let mut ctr = first_counter(j0);
        let mut rest = buf;
        #[cfg(target_arch = "x86_64")]
        if let (Some(t), Some((rk, rounds))) = (self.vaes, self.aes.aesni_schedule()) {
            let (h, acc) = g.state();
            let (next, new_acc, done) = t.gcm_xor(rk, rounds, ctr, h, *acc, rest, decrypt);
            *acc = new_acc;
            ctr = next;
            rest = rest.get_mut(done..).unwrap_or_default();
        }
        if decrypt {
            g.update_padded(rest);
        }
        self.aes.ctr_xor::<32>(ctr, rest);
        if !decrypt {
            g.update_padded(rest);
        }
        g.update_block(&len_block);
        self.finish(j0, &g)
    }

    /// `GHASH ^ E_K(J0)`: the full tag.
    fn finish(&self, j0: &[u8; 16], g: &super::ghash::GhashRun<'_>) -> [u8; 16] {
        let mut s = g.value();
        let mut ek = *j0;
        self.aes.encrypt_block(&mut ek);
        for (x, y) in s.iter_mut().zip(ek) {
            *x ^= y;
        }
        s
    }

    fn check_len(len: usize) -> Result<(), Error> {
        if len as u64 > MAX_MESSAGE {
            return Err(Error::InvalidLength { what: "GCM message", expected: "at most 2^36 - 32 bytes", actual: len });
        }
        Ok(())
    }
}

/// `inc32`: the counter block after `j0`.
fn first_counter(j0: &[u8; 16]) -> [u8; 16] {
    let mut c = *j0;
    let n = u32::from_be_bytes([c[12], c[13], c[14], c[15]]).wrapping_add(1);
    c[12..].copy_from_slice(&n.to_be_bytes());
    c
}

impl Aead for AesGcm {
    fn tag_len(&self) -> usize {
        self.tag_len
    }

    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        Self::check_len(buf.len())?;
        let j0 = self.j0(nonce)?;
        Ok(Tag::truncated(self.crypt(&j0, aad, buf, false), self.tag_len))
    }

    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error> {
        check_tag_len("GCM tag", "the instance's tag length", tag, self.tag_len)?;
        Self::check_len(buf.len())?;
        let j0 = self.j0(nonce)?;
        // Decrypt while hashing (one pass), then check; on a mismatch the
        // buffer is zeroed so no unauthenticated plaintext is released.
        let expected = self.crypt(&j0, aad, buf, true);
        if !crate::ct::eq(expected.get(..self.tag_len).unwrap_or_default(), tag) {
            zeroize::Zeroize::zeroize(buf);
            return Err(Error::VerificationFailed);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
