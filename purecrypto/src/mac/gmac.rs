//! GMAC (NIST SP 800-38D): GCM authenticating data only.
//!
//! Entry point: [`Gmac`]: `new(key)`, then [`Gmac::compute`] or
//! [`Gmac::verify`] (constant-time) per nonce. Never reuse a nonce under
//! one key.

use crate::Error;
use crate::aead::Aead;
use crate::aead::gcm::AesGcm;

/// GMAC keyed with an AES key.
#[derive(Clone, Debug)]
pub struct Gmac {
    gcm: AesGcm,
}

impl Gmac {
    /// GMAC with a 16-, 24- or 32-byte key and 16-byte tags.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Ok(Self { gcm: AesGcm::new(key)? })
    }

    /// The tag over `data` with `nonce`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for an empty nonce.
    pub fn compute(&self, nonce: &[u8], data: &[u8]) -> Result<[u8; 16], Error> {
        let tag = self.gcm.encrypt_in_place_detached(nonce, data, &mut [])?;
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_bytes());
        Ok(out)
    }

    /// Checks `tag` over `data` in constant time.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for an empty nonce or a tag other than 16
    /// bytes; [`Error::VerificationFailed`] when it does not match.
    pub fn verify(&self, nonce: &[u8], data: &[u8], tag: &[u8]) -> Result<(), Error> {
        self.gcm.decrypt_in_place_detached(nonce, data, &mut [], tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn gcm_spec_test_case_1_is_gmac_of_nothing() {
        let g = Gmac::new(&[0; 16]).unwrap();
        let tag = g.compute(&[0; 12], b"").unwrap();
        assert_eq!(tag, hex!("58e2fccefa7e3061367f1d57a4e7455a"));
        g.verify(&[0; 12], b"", &tag).unwrap();
        assert_eq!(g.verify(&[0; 12], b"x", &tag), Err(Error::VerificationFailed));
    }
}
