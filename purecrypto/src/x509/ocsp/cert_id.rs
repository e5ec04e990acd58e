//! `CertID` (RFC 6960 section 4.1.1): a certificate named by hashes of
//! its issuer's name and key plus its serial, so a responder can answer
//! without ever seeing the certificate itself.
//!
//! Entry points: [`CertId::new`], [`CertId::matches`].

use alloc::vec::Vec;

use super::malformed;
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::oid;
use crate::hash::HashAlgorithm;
use crate::x509::Certificate;

/// The hashes a `CertID` may use: SHA-1 (what RFC 5019 and every
/// deployed responder expect) and the SHA-2 family.
const HASHES: [(HashAlgorithm, &[u8]); 4] = [
    (HashAlgorithm::Sha1, oid::SHA1),
    (HashAlgorithm::Sha256, oid::SHA256),
    (HashAlgorithm::Sha384, oid::SHA384),
    (HashAlgorithm::Sha512, oid::SHA512),
];

/// One certificate's identity in a request or response.
///
/// Invariant: `issuer_name_hash.len() == issuer_key_hash.len() ==
/// hash`'s output size for a decoded or built value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertId {
    /// The hash over the issuer's name and key.
    pub hash: HashAlgorithm,
    /// `hash` of the issuer's DER `Name` (the certificate's issuer field).
    pub issuer_name_hash: Vec<u8>,
    /// `hash` of the issuer's subjectPublicKey BIT STRING contents (no
    /// tag, length or unused-bits byte).
    pub issuer_key_hash: Vec<u8>,
    /// The serial number's `INTEGER` contents (two's complement), as in
    /// [`Certificate::serial_der`].
    pub serial: Vec<u8>,
}

impl CertId {
    /// The ID of the certificate with serial `serial_der` (`INTEGER`
    /// contents) issued by `issuer`.
    #[must_use]
    pub fn new(hash: HashAlgorithm, issuer: &Certificate<'_>, serial_der: &[u8]) -> Self {
        Self {
            hash,
            issuer_name_hash: hash.hash(issuer.subject.der),
            issuer_key_hash: hash.hash(issuer.public_key_info().public_key),
            serial: serial_der.to_vec(),
        }
    }

    /// The ID of `subject`, issued by `issuer`.
    #[must_use]
    pub fn for_certificate(hash: HashAlgorithm, issuer: &Certificate<'_>, subject: &Certificate<'_>) -> Self {
        Self::new(hash, issuer, subject.serial_der)
    }

    /// Whether this ID names the certificate with serial `serial_der`
    /// issued by `issuer`, recomputing the hashes with this ID's own
    /// algorithm (a SHA-256 ID matches only SHA-256 hashes).
    #[must_use]
    pub fn matches(&self, issuer: &Certificate<'_>, serial_der: &[u8]) -> bool {
        *self == Self::new(self.hash, issuer, serial_der)
    }

    /// Whether this ID's issuer hashes are those of `issuer`.
    #[must_use]
    pub fn issued_by(&self, issuer: &Certificate<'_>) -> bool {
        self.matches(issuer, &self.serial)
    }

    /// Reads a `CertID`.
    ///
    /// # Errors
    /// [`Error::Malformed`] for bad DER or hashes of the wrong length;
    /// [`Error::Unsupported`] for a hash other than SHA-1/256/384/512.
    pub fn read(r: &mut Reader<'_>) -> Result<Self, Error> {
        let mut id = r.sequence()?;
        let mut alg = id.sequence()?;
        let hash_oid = alg.oid()?;
        // OpenSSL writes NULL parameters, RFC 5754 omits them: both occur.
        if !alg.is_empty() {
            alg.null()?;
        }
        alg.finish()?;
        let hash = HASHES
            .iter()
            .find(|(_, o)| *o == hash_oid)
            .map(|(h, _)| *h)
            .ok_or(Error::Unsupported { what: "OCSP CertID hash algorithm" })?;
        let issuer_name_hash = id.octet_string()?.to_vec();
        let issuer_key_hash = id.octet_string()?.to_vec();
        let serial = id.integer_bytes()?.to_vec();
        id.finish()?;
        let size = hash.hash(&[]).len();
        if issuer_name_hash.len() != size || issuer_key_hash.len() != size {
            return Err(malformed("OCSP CertID", "hash length does not fit the algorithm"));
        }
        Ok(Self { hash, issuer_name_hash, issuer_key_hash, serial })
    }

    /// Writes the `CertID` (hash parameters NULL, as OpenSSL writes them).
    pub fn write(&self, w: &mut Writer) {
        let hash_oid = HASHES.iter().find(|(h, _)| *h == self.hash).map_or(oid::SHA1, |(_, o)| *o);
        w.sequence(|w| {
            w.sequence(|w| {
                w.oid(hash_oid);
                w.null();
            });
            w.octet_string(&self.issuer_name_hash);
            w.octet_string(&self.issuer_key_hash);
            w.tlv(crate::asn1::der::TAG_INTEGER, &self.serial);
        });
    }

    /// Whether `hash` may be used in a `CertID`.
    #[must_use]
    pub fn supports(hash: HashAlgorithm) -> bool {
        HASHES.iter().any(|(h, _)| *h == hash)
    }
}
