//! The X.509 v1-v3 `Certificate` (RFC 5280 section 4.1), decoded without
//! copying: every field borrows the DER, and [`Certificate::tbs`] is the
//! exact signed byte range.
//!
//! Entry points: [`Certificate::from_der`], PEM bundles through
//! [`pem_certificates`] (owned DER), [`Certificate::verify_signed_by`].

use alloc::vec::Vec;

use super::algorithm::{SignatureAlgorithm, verify_signature};
use super::extensions::{Extension, Extensions};
use super::name::Name;
use super::time::read_time;
use crate::Error;
use crate::asn1::der::Reader;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::hash::HashAlgorithm;

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "X.509 certificate", reason }
}

/// A decoded certificate borrowing its DER encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate<'a> {
    /// The whole certificate encoding.
    pub der: &'a [u8],
    /// The `tbsCertificate` encoding (tag and length included): the bytes
    /// the signature covers.
    pub tbs: &'a [u8],
    /// 1, 2 or 3.
    pub version: u8,
    /// The serial number's magnitude (big-endian, no sign byte); for the
    /// rare negative serial, its two's-complement bytes.
    pub serial: &'a [u8],
    /// The serial number's `INTEGER` contents (two's complement), what
    /// CRL lookups compare.
    pub serial_der: &'a [u8],
    /// The signature algorithm (outer field; the inner copy must match).
    pub signature_algorithm: SignatureAlgorithm,
    /// The issuer name.
    pub issuer: Name<'a>,
    /// `notBefore`, Unix seconds.
    pub not_before: i64,
    /// `notAfter`, Unix seconds.
    pub not_after: i64,
    /// The subject name.
    pub subject: Name<'a>,
    /// The `SubjectPublicKeyInfo` encoding (tag included).
    pub spki: &'a [u8],
    /// The extensions (empty for v1/v2).
    pub extensions: Extensions<'a>,
    /// The signature bytes.
    pub signature: &'a [u8],
}

impl<'a> Certificate<'a> {
    /// Decodes a DER certificate; nothing may follow it.
    ///
    /// # Errors
    /// [`Error::Malformed`] on any DER violation, a version other than
    /// 1-3, extensions in a v1/v2 certificate, inner and outer signature
    /// algorithms that differ, or a malformed known extension;
    /// [`Error::Unsupported`] for an unknown signature algorithm.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut cert = outer.sequence()?;
        outer.finish()?;
        let tbs = cert.clone().any_raw()?;
        let mut t = cert.sequence()?;
        let outer_alg_raw = cert.clone().any_raw()?;
        let signature_algorithm = SignatureAlgorithm::read(&mut cert)?;
        let signature = cert.bit_string()?;
        cert.finish()?;

        let version = match t.optional_explicit(0)? {
            Some(mut v) => {
                let n = v.small_unsigned()?;
                v.finish()?;
                match n {
                    // DER forbids encoding the DEFAULT v1.
                    1 => 2,
                    2 => 3,
                    _ => return Err(malformed("version")),
                }
            }
            None => 1,
        };
        let serial_bytes = t.integer_bytes()?;
        // RFC 5280 requires positive serials but notes negative ones exist
        // in the wild; keep the two's-complement bytes of those.
        let serial = match serial_bytes {
            [0x00, rest @ ..] if !rest.is_empty() => rest,
            _ => serial_bytes,
        };
        let inner_alg_raw = t.clone().any_raw()?;
        if inner_alg_raw != outer_alg_raw {
            return Err(malformed("inner and outer signature algorithms differ"));
        }
        t.any()?;
        let issuer = Name::read(&mut t)?;
        let mut validity = t.sequence()?;
        let not_before = read_time(&mut validity)?;
        let not_after = read_time(&mut validity)?;
        validity.finish()?;
        let subject = Name::read(&mut t)?;
        let spki = t.any_raw()?;
        SubjectPublicKeyInfo::from_der(spki)?;
        // issuerUniqueID [1] and subjectUniqueID [2] (v2+).
        for number in [1, 2] {
            if t.optional_implicit(number)?.is_some() && version < 2 {
                return Err(malformed("unique identifier in a v1 certificate"));
            }
        }
        let list = match t.optional_explicit(3)? {
            Some(mut e) => {
                if version < 3 {
                    return Err(malformed("extensions in a v1/v2 certificate"));
                }
                let list = Extension::read_list(&mut e)?;
                e.finish()?;
                if list.is_empty() {
                    return Err(malformed("empty extensions"));
                }
                list
            }
            None => Vec::new(),
        };
        t.finish()?;
        let extensions = Extensions::from_list(list)?;
        Ok(Self {
            der,
            tbs,
            version,
            serial,
            serial_der: serial_bytes,
            signature_algorithm,
            issuer,
            not_before,
            not_after,
            subject,
            spki,
            extensions,
            signature,
        })
    }

    /// The decoded public key info.
    #[must_use]
    pub fn public_key_info(&self) -> SubjectPublicKeyInfo<'a> {
        // Checked in `from_der`; an empty default cannot occur.
        SubjectPublicKeyInfo::from_der(self.spki).unwrap_or(SubjectPublicKeyInfo {
            algorithm: &[],
            parameters: None,
            public_key: &[],
        })
    }

    /// Verifies this certificate's signature with `issuer_spki` (DER).
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] for a bad signature; decode errors for
    /// a bad key; [`Error::Unsupported`] when the key does not fit the
    /// algorithm.
    pub fn verify_signed_by(&self, issuer_spki: &[u8]) -> Result<(), Error> {
        verify_signature(&self.signature_algorithm, issuer_spki, self.tbs, self.signature)
    }

    /// Whether subject and issuer are the same name (a self-issued
    /// certificate, RFC 5280 section 6.1).
    #[must_use]
    pub fn is_self_issued(&self) -> bool {
        self.subject.der == self.issuer.der
    }

    /// The hash of the whole DER encoding (`openssl x509 -fingerprint`).
    #[must_use]
    pub fn fingerprint(&self, hash: HashAlgorithm) -> Vec<u8> {
        hash.hash(self.der)
    }
}

/// The DER of every `CERTIFICATE` block in a PEM text, in order (other
/// labels, like `TRUSTED CERTIFICATE` or keys, are skipped).
///
/// # Errors
/// [`Error::Malformed`] when a block is malformed.
pub fn pem_certificates(pem: &[u8]) -> Result<Vec<Vec<u8>>, Error> {
    let mut out = Vec::new();
    for block in crate::asn1::pem::blocks(pem) {
        let block = block?;
        if block.label == "CERTIFICATE" {
            out.push(block.contents.to_vec());
        }
    }
    Ok(out)
}
