//! HKDF (RFC 5869): extract-then-expand key derivation on HMAC.
//!
//! Entry points: [`Hkdf`] (`extract`, `from_prk`, `expand`) for a hash
//! fixed at compile time; [`hkdf`], [`hkdf_extract`], [`hkdf_expand`] for a
//! [`HashAlgorithm`] chosen at run time (TLS 1.3 cipher suites, the vector
//! runner).

use alloc::vec::Vec;

use super::{MAX_PRF_LEN, Prf};
use crate::Error;
use crate::hash::{Hash, HashAlgorithm};
use crate::mac::{DynHmac, Hmac};
use zeroize::Zeroize;

/// HKDF-Expand over any keyed PRF: `T(i) = PRF(T(i-1) || info || i)`.
pub(crate) fn expand_with<P: Prf>(prk: &P, info: &[u8], okm: &mut [u8]) -> Result<(), Error> {
    let n = prk.output_len();
    if okm.len() > 255 * n {
        return Err(Error::InvalidLength {
            what: "HKDF output",
            expected: "at most 255 * hash length",
            actual: okm.len(),
        });
    }
    let mut t = [0u8; MAX_PRF_LEN];
    for (i, chunk) in okm.chunks_mut(n).enumerate() {
        let mut m = prk.clone();
        if i > 0 {
            m.absorb(t.get(..n).unwrap_or_default());
        }
        m.absorb(info);
        m.absorb(&[(i + 1) as u8]);
        m.finish(&mut t);
        chunk.copy_from_slice(t.get(..chunk.len()).unwrap_or_default());
    }
    t.zeroize();
    Ok(())
}

/// HKDF with the hash `H`, holding the pseudo-random key as a keyed HMAC.
#[derive(Clone)]
pub struct Hkdf<H: Hash> {
    prk: Hmac<H>,
}

impl<H: Hash> Hkdf<H> {
    /// HKDF-Extract: `PRK = HMAC(salt, ikm)`; no salt means `HashLen` zeros.
    #[must_use]
    pub fn extract(salt: Option<&[u8]>, ikm: &[u8]) -> Self {
        let zeros = [0u8; MAX_PRF_LEN];
        let salt = salt.unwrap_or(zeros.get(..H::OUTPUT_LEN).unwrap_or_default());
        let mut prk = Hmac::<H>::mac(salt, ikm);
        let hkdf = Self { prk: Hmac::new(prk.as_ref()) };
        prk.as_mut().zeroize();
        hkdf
    }

    /// Starts from an existing pseudo-random key (skipping Extract).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `prk` is shorter than the hash output
    /// (RFC 5869 section 2.3).
    pub fn from_prk(prk: &[u8]) -> Result<Self, Error> {
        if prk.len() < H::OUTPUT_LEN {
            return Err(Error::InvalidLength {
                what: "HKDF PRK",
                expected: "at least the hash length",
                actual: prk.len(),
            });
        }
        Ok(Self { prk: Hmac::new(prk) })
    }

    /// HKDF-Expand: fills `okm` with key material bound to `info`.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when `okm` exceeds 255 hash lengths.
    pub fn expand(&self, info: &[u8], okm: &mut [u8]) -> Result<(), Error> {
        expand_with(&self.prk, info, okm)
    }
}

impl<H: Hash> core::fmt::Debug for Hkdf<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Hkdf { .. }")
    }
}

/// HKDF-Extract with a run-time hash: the PRK (`output_len` bytes).
#[must_use]
pub fn hkdf_extract(alg: HashAlgorithm, salt: Option<&[u8]>, ikm: &[u8]) -> Vec<u8> {
    let zeros = [0u8; MAX_PRF_LEN];
    let salt = salt.unwrap_or(zeros.get(..alg.output_len()).unwrap_or_default());
    crate::mac::hmac(alg, salt, ikm)
}

/// HKDF-Expand with a run-time hash.
///
/// # Errors
/// [`Error::InvalidLength`] when `okm` exceeds 255 hash lengths.
pub fn hkdf_expand(alg: HashAlgorithm, prk: &[u8], info: &[u8], okm: &mut [u8]) -> Result<(), Error> {
    expand_with(&DynHmac::new(alg, prk), info, okm)
}

/// Extract then Expand with a run-time hash.
///
/// # Errors
/// [`Error::InvalidLength`] when `okm` exceeds 255 hash lengths.
pub fn hkdf(alg: HashAlgorithm, salt: Option<&[u8]>, ikm: &[u8], info: &[u8], okm: &mut [u8]) -> Result<(), Error> {
    let mut prk = hkdf_extract(alg, salt, ikm);
    let result = hkdf_expand(alg, &prk, info, okm);
    prk.zeroize();
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Sha1, Sha256};
    use hex_literal::hex;

    /// RFC 5869 appendix A, cases 1, 3 (SHA-256) and 4, 7 (SHA-1).
    #[test]
    fn rfc_5869() {
        let ikm = [0x0b; 22];
        let mut okm = [0u8; 42];
        Hkdf::<Sha256>::extract(Some(&hex!("000102030405060708090a0b0c")), &ikm)
            .expand(&hex!("f0f1f2f3f4f5f6f7f8f9"), &mut okm)
            .unwrap();
        assert_eq!(okm, hex!("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"));
        assert_eq!(
            hkdf_extract(HashAlgorithm::Sha256, Some(&hex!("000102030405060708090a0b0c")), &ikm),
            hex!("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5")
        );
        Hkdf::<Sha256>::extract(None, &ikm).expand(b"", &mut okm).unwrap();
        assert_eq!(okm, hex!("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"));
        let mut okm = [0u8; 42];
        Hkdf::<Sha1>::extract(Some(&hex!("000102030405060708090a0b0c")), &[0x0b; 11])
            .expand(&hex!("f0f1f2f3f4f5f6f7f8f9"), &mut okm)
            .unwrap();
        assert_eq!(okm, hex!("085a01ea1b10f36933068b56efa5ad81a4f14b822f5b091568a9cdd4f155fda2c22e422478d305f3f896"));
        hkdf(HashAlgorithm::Sha1, None, &[0x0c; 22], b"", &mut okm).unwrap();
        assert_eq!(okm, hex!("2c91117204d745f3500d636a62f64f0ab3bae548aa53d423b0d1f27ebba6f5e5673a081d70cce7acfc48"));
    }

    #[test]
    fn too_long_output_is_an_error() {
        let mut okm = alloc::vec![0u8; 255 * 32 + 1];
        assert!(Hkdf::<Sha256>::extract(None, b"k").expand(b"", &mut okm).is_err());
        assert!(Hkdf::<Sha256>::extract(None, b"k").expand(b"", &mut okm[..255 * 32]).is_ok());
        assert!(Hkdf::<Sha256>::from_prk(&[0; 31]).is_err());
    }
}
