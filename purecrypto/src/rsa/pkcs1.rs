//! PKCS#1 key encodings (RFC 8017 appendix A.1): `RSAPublicKey` and
//! `RSAPrivateKey` in DER, plus the SubjectPublicKeyInfo wrapping of
//! RFC 3279 (`rsaEncryption`, NULL parameters).
//!
//! Entry points: [`RsaPublicKey::from_pkcs1_der`] /
//! [`RsaPublicKey::to_pkcs1_der`], [`RsaPublicKey::from_spki_der`] /
//! [`RsaPublicKey::to_spki_der`], [`RsaPrivateKey::from_pkcs1_der`] /
//! [`RsaPrivateKey::to_pkcs1_der`]. Decoding goes through the strict DER
//! reader (minimal integers, no trailing bytes), then the same checks as
//! the component constructors.

use alloc::vec::Vec;

use zeroize::Zeroize;

use super::key::{RsaComponents, RsaPrivateKey, RsaPublicKey};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;

fn read_public(der: &[u8]) -> Result<(&[u8], &[u8]), Error> {
    let mut r = Reader::new(der);
    let mut seq = r.sequence()?;
    let n = seq.unsigned_integer()?;
    let e = seq.unsigned_integer()?;
    seq.finish()?;
    r.finish()?;
    Ok((n, e))
}

impl RsaPublicKey {
    /// Decodes a DER `RSAPublicKey` (at least 2048 bits).
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER; [`Error::InvalidKey`] as
    /// [`RsaPublicKey::new`].
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        let (n, e) = read_public(der)?;
        Self::new(n, e)
    }

    /// As [`RsaPublicKey::from_pkcs1_der`], accepting moduli down to 512
    /// bits (legacy data and test vectors only).
    ///
    /// # Errors
    /// As [`RsaPublicKey::from_pkcs1_der`].
    pub fn dangerous_from_pkcs1_der_allow_small(der: &[u8]) -> Result<Self, Error> {
        let (n, e) = read_public(der)?;
        Self::dangerous_new_allow_small(n, e)
    }

    /// Encodes the key as a DER `RSAPublicKey`.
    #[must_use]
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        let mut w = Writer::new();
        let (n, e) = (self.n_bytes(), self.e_bytes());
        w.sequence(|w| {
            w.unsigned_integer(&n);
            w.unsigned_integer(&e);
        });
        w.finish()
    }

    /// Decodes a DER SubjectPublicKeyInfo with the `rsaEncryption`
    /// algorithm (NULL or absent parameters).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for another algorithm; as
    /// [`RsaPublicKey::from_pkcs1_der`].
    pub fn from_spki_der(der: &[u8]) -> Result<Self, Error> {
        let spki = SubjectPublicKeyInfo::from_der(der)?;
        if spki.algorithm != oid::RSA_ENCRYPTION {
            return Err(Error::Unsupported { what: "SubjectPublicKeyInfo algorithm other than rsaEncryption" });
        }
        if spki.parameters.is_some_and(|p| p != [0x05, 0x00]) {
            return Err(Error::Malformed { what: "rsaEncryption parameters", reason: "must be NULL" });
        }
        Self::from_pkcs1_der(spki.public_key)
    }

    /// Encodes the key as a DER SubjectPublicKeyInfo (`rsaEncryption`).
    #[must_use]
    pub fn to_spki_der(&self) -> Vec<u8> {
        let inner = self.to_pkcs1_der();
        SubjectPublicKeyInfo { algorithm: oid::RSA_ENCRYPTION, parameters: Some(&[0x05, 0x00]), public_key: &inner }
            .to_der()
    }
}

fn read_private(der: &[u8], allow_small: bool) -> Result<RsaPrivateKey, Error> {
    let mut r = Reader::new(der);
    let mut seq = r.sequence()?;
    match seq.small_unsigned()? {
        0 => {}
        1 => return Err(Error::Unsupported { what: "multi-prime RSA keys" }),
        _ => return Err(Error::Malformed { what: "RSAPrivateKey", reason: "unknown version" }),
    }
    let n = seq.unsigned_integer()?;
    let e = seq.unsigned_integer()?;
    let d = seq.unsigned_integer()?;
    let p = seq.unsigned_integer()?;
    let q = seq.unsigned_integer()?;
    let dp = seq.unsigned_integer()?;
    let dq = seq.unsigned_integer()?;
    let qinv = seq.unsigned_integer()?;
    seq.finish()?;
    r.finish()?;
    let c = RsaComponents { n, e, d, p, q, dp: Some(dp), dq: Some(dq), qinv: Some(qinv) };
    if allow_small {
        RsaPrivateKey::dangerous_from_components_allow_small(&c)
    } else {
        RsaPrivateKey::from_components(&c)
    }
}

impl RsaPrivateKey {
    /// Decodes a DER `RSAPrivateKey` (version 0, two primes, at least
    /// 2048 bits) and checks it as [`RsaPrivateKey::from_components`].
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER; [`Error::Unsupported`] for a
    /// multi-prime key; [`Error::InvalidKey`] for an inconsistent key.
    pub fn from_pkcs1_der(der: &[u8]) -> Result<Self, Error> {
        read_private(der, false)
    }

    /// As [`RsaPrivateKey::from_pkcs1_der`], accepting moduli down to 512
    /// bits (legacy keys and test vectors only).
    ///
    /// # Errors
    /// As [`RsaPrivateKey::from_pkcs1_der`].
    pub fn dangerous_from_pkcs1_der_allow_small(der: &[u8]) -> Result<Self, Error> {
        read_private(der, true)
    }

    /// Encodes the key as a DER `RSAPrivateKey`; the buffer holds secrets
    /// (zeroize it when done).
    #[must_use]
    pub fn to_pkcs1_der(&self) -> Vec<u8> {
        let public = self.public_key();
        let (n, e) = (public.n_bytes(), public.e_bytes());
        let mut parts = self.secret_components();
        let mut w = Writer::new();
        w.sequence(|w| {
            w.small_unsigned(0);
            w.unsigned_integer(&n);
            w.unsigned_integer(&e);
            for part in &parts {
                w.unsigned_integer(part);
            }
        });
        for part in &mut parts {
            part.zeroize();
        }
        w.finish()
    }
}
