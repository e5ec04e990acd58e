//! Authenticated encryption with associated data.
//!
//! Entry point: the [`Aead`] trait, implemented by [`gcm::AesGcm`],
//! [`ccm::AesCcm`], [`gcm_siv::AesGcmSiv`],
//! [`chacha20poly1305::ChaCha20Poly1305`] and
//! [`chacha20poly1305::XChaCha20Poly1305`]. Each has an in-place API with
//! a detached tag and `Vec` conveniences that append / strip the tag.
//!
//! On a wrong tag every decryption returns [`Error::VerificationFailed`]
//! and **zeroes the buffer** it was given: no unauthenticated plaintext
//! (and no ciphertext remnant the caller might mistake for it) is left.
//!
//! ```
//! use purecrypto::aead::{Aead, gcm::AesGcm};
//!
//! let aead = AesGcm::new(&[0x42; 32])?;
//! let nonce = [7u8; 12]; // never reuse a nonce under one key
//! let sealed = aead.encrypt(&nonce, b"header", b"attack at dawn")?;
//! assert_eq!(aead.decrypt(&nonce, b"header", &sealed)?, b"attack at dawn");
//! let mut forged = sealed.clone();
//! forged[0] ^= 1;
//! assert_eq!(aead.decrypt(&nonce, b"header", &forged), Err(purecrypto::Error::VerificationFailed));
//! # Ok::<(), purecrypto::Error>(())
//! ```

pub mod ccm;
pub mod chacha20poly1305;
pub(crate) mod fuzz;
pub mod gcm;
pub mod gcm_siv;
pub(crate) mod ghash;

use alloc::vec::Vec;

use crate::Error;

/// An authentication tag of up to 16 bytes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct Tag {
    bytes: [u8; 16],
    len: usize,
}

impl Tag {
    /// The first `len` bytes of `full` (`len <= 16`).
    pub(crate) fn truncated(full: [u8; 16], len: usize) -> Self {
        Self { bytes: full, len: len.min(16) }
    }

    /// The tag bytes.
    #[must_use]
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..self.len).unwrap_or_default()
    }
}

impl AsRef<[u8]> for Tag {
    fn as_ref(&self) -> &[u8] {
        self.as_bytes()
    }
}

/// An AEAD algorithm with a fixed key and tag length.
pub trait Aead {
    /// The tag length in bytes this instance produces and accepts.
    fn tag_len(&self) -> usize;

    /// Encrypts `buf` in place and returns the tag.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a nonce or message length the
    /// algorithm does not accept.
    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error>;

    /// Verifies `tag` and decrypts `buf` in place.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a bad nonce or tag length;
    /// [`Error::VerificationFailed`] when the tag does not match, in which
    /// case `buf` is zeroed.
    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error>;

    /// Encrypts `buf` in place and appends the tag.
    ///
    /// # Errors
    /// As [`Aead::encrypt_in_place_detached`].
    fn encrypt_in_place(&self, nonce: &[u8], aad: &[u8], buf: &mut Vec<u8>) -> Result<(), Error> {
        let tag = self.encrypt_in_place_detached(nonce, aad, buf)?;
        buf.extend_from_slice(tag.as_bytes());
        Ok(())
    }

    /// Splits the tag off the end of `buf`, verifies it and decrypts in
    /// place, leaving the plaintext.
    ///
    /// # Errors
    /// As [`Aead::decrypt_in_place_detached`]; [`Error::InvalidLength`]
    /// when `buf` is shorter than a tag. On failure `buf` is cleared.
    fn decrypt_in_place(&self, nonce: &[u8], aad: &[u8], buf: &mut Vec<u8>) -> Result<(), Error> {
        let tag_len = self.tag_len();
        let Some(split) = buf.len().checked_sub(tag_len) else {
            buf.clear();
            return Err(Error::InvalidLength {
                what: "AEAD ciphertext",
                expected: "at least the tag length",
                actual: 0,
            });
        };
        let (body, tag) = buf.split_at_mut(split);
        let mut t = [0u8; 16];
        if let Some(dst) = t.get_mut(..tag_len) {
            dst.copy_from_slice(tag);
        }
        let result = self.decrypt_in_place_detached(nonce, aad, body, t.get(..tag_len).unwrap_or_default());
        buf.truncate(split);
        if result.is_err() {
            buf.clear();
        }
        result
    }

    /// Returns `ciphertext || tag`.
    ///
    /// # Errors
    /// As [`Aead::encrypt_in_place_detached`].
    fn encrypt(&self, nonce: &[u8], aad: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, Error> {
        let mut buf = plaintext.to_vec();
        self.encrypt_in_place(nonce, aad, &mut buf)?;
        Ok(buf)
    }

    /// Verifies and decrypts `ciphertext || tag`.
    ///
    /// # Errors
    /// As [`Aead::decrypt_in_place`].
    fn decrypt(&self, nonce: &[u8], aad: &[u8], ciphertext_and_tag: &[u8]) -> Result<Vec<u8>, Error> {
        let mut buf = ciphertext_and_tag.to_vec();
        self.decrypt_in_place(nonce, aad, &mut buf)?;
        Ok(buf)
    }
}

/// Checks a received tag's length against the instance's.
pub(crate) fn check_tag_len(what: &'static str, expected: &'static str, tag: &[u8], want: usize) -> Result<(), Error> {
    if tag.len() == want { Ok(()) } else { Err(Error::InvalidLength { what, expected, actual: tag.len() }) }
}
