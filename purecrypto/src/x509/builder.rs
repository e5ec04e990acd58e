//! Building and signing certificates.
//!
//! Entry point: [`CertificateBuilder`] — set the names, validity, key and
//! extensions, then [`CertificateBuilder::sign`] with a [`SigningKey`].

use alloc::vec::Vec;

use super::extensions::{Extension, KeyUsage};
use super::general_name::GeneralName;
use super::oids;
use super::signer::SigningKey;
use super::time::write_time;
use crate::Error;
use crate::asn1::der::Writer;
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// An owned extension waiting to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct OwnedExtension {
    oid: Vec<u8>,
    critical: bool,
    value: Vec<u8>,
}

/// A v3 certificate under construction.
#[derive(Debug, Clone)]
pub struct CertificateBuilder {
    serial: Vec<u8>,
    issuer: Option<Vec<u8>>,
    subject: Vec<u8>,
    spki: Vec<u8>,
    not_before: i64,
    not_after: i64,
    extensions: Vec<OwnedExtension>,
}

/// The subject key identifier RFC 5280 section 4.2.1.2 method 1 suggests:
/// SHA-1 of the subjectPublicKey bits (an identifier, not a security
/// property, so SHA-1 is fine here).
///
/// # Errors
/// [`Error::Malformed`] when `spki_der` does not decode.
pub fn key_identifier(spki_der: &[u8]) -> Result<Vec<u8>, Error> {
    let spki = crate::asn1::spki::SubjectPublicKeyInfo::from_der(spki_der)?;
    Ok(HashAlgorithm::Sha1.hash(spki.public_key))
}

impl CertificateBuilder {
    /// A builder for `subject` (a DER `Name`) holding `spki` (a DER
    /// `SubjectPublicKeyInfo`), valid over `[not_before, not_after]`
    /// (Unix seconds), serial 1, self-issued unless
    /// [`issuer`](Self::issuer) is set.
    #[must_use]
    pub fn new(subject: &[u8], spki: &[u8], not_before: i64, not_after: i64) -> Self {
        Self {
            serial: alloc::vec![1],
            issuer: None,
            subject: subject.to_vec(),
            spki: spki.to_vec(),
            not_before,
            not_after,
            extensions: Vec::new(),
        }
    }

    /// Sets the serial number (big-endian magnitude).
    #[must_use]
    pub fn serial(mut self, serial: &[u8]) -> Self {
        self.serial = serial.to_vec();
        self
    }

    /// Sets the issuer name (DER).
    #[must_use]
    pub fn issuer(mut self, issuer: &[u8]) -> Self {
        self.issuer = Some(issuer.to_vec());
        self
    }

    /// Adds an extension with an already-encoded value (replacing one with
    /// the same OID).
    #[must_use]
    pub fn extension(mut self, oid: &[u8], critical: bool, value: Vec<u8>) -> Self {
        self.extensions.retain(|e| e.oid != oid);
        self.extensions.push(OwnedExtension { oid: oid.to_vec(), critical, value });
        self
    }

    /// Adds a critical basicConstraints.
    #[must_use]
    pub fn basic_constraints(self, ca: bool, path_len: Option<u64>) -> Self {
        let mut w = Writer::new();
        w.sequence(|w| {
            if ca {
                w.boolean(true);
            }
            if let Some(n) = path_len {
                w.small_unsigned(n);
            }
        });
        self.extension(oids::BASIC_CONSTRAINTS, true, w.finish())
    }

    /// Adds a critical keyUsage.
    #[must_use]
    pub fn key_usage(self, usage: KeyUsage) -> Self {
        self.extension(oids::KEY_USAGE, true, usage.to_der())
    }

    /// Adds a non-critical extKeyUsage with the purpose OIDs.
    #[must_use]
    pub fn ext_key_usage(self, purposes: &[&[u8]]) -> Self {
        let mut w = Writer::new();
        w.sequence(|w| purposes.iter().for_each(|p| w.oid(p)));
        self.extension(oids::EXT_KEY_USAGE, false, w.finish())
    }

    /// Adds a non-critical subjectAltName.
    #[must_use]
    pub fn subject_alt_names(self, names: &[GeneralName<'_>]) -> Self {
        let mut w = Writer::new();
        w.sequence(|w| names.iter().for_each(|n| n.write(w)));
        self.extension(oids::SUBJECT_ALT_NAME, false, w.finish())
    }

    /// Adds a critical nameConstraints.
    #[must_use]
    pub fn name_constraints(self, permitted: &[GeneralName<'_>], excluded: &[GeneralName<'_>]) -> Self {
        let subtrees = |w: &mut Writer, number: u8, names: &[GeneralName<'_>]| {
            if names.is_empty() {
                return;
            }
            w.constructed(0xa0 | number, |w| {
                for n in names {
                    w.sequence(|w| n.write(w));
                }
            });
        };
        let mut w = Writer::new();
        w.sequence(|w| {
            subtrees(w, 0, permitted);
            subtrees(w, 1, excluded);
        });
        self.extension(oids::NAME_CONSTRAINTS, true, w.finish())
    }

    /// Adds subjectKeyIdentifier (from this key) and, when `issuer_spki`
    /// is given, authorityKeyIdentifier (from the issuer's key).
    ///
    /// # Errors
    /// [`Error::Malformed`] for an undecodable key.
    pub fn key_identifiers(self, issuer_spki: Option<&[u8]>) -> Result<Self, Error> {
        let skid = key_identifier(&self.spki)?;
        let mut w = Writer::new();
        w.octet_string(&skid);
        let mut out = self.extension(oids::SUBJECT_KEY_ID, false, w.finish());
        let akid = match issuer_spki {
            Some(spki) => key_identifier(spki)?,
            None => skid,
        };
        let mut w = Writer::new();
        w.sequence(|w| w.implicit(0, &akid));
        out = out.extension(oids::AUTHORITY_KEY_ID, false, w.finish());
        Ok(out)
    }

    /// Encodes the `tbsCertificate` for `signer`'s algorithm.
    fn tbs(&self, signer: &SigningKey) -> Vec<u8> {
        let mut w = Writer::new();
        w.sequence(|w| {
            w.explicit(0, |w| w.small_unsigned(2));
            w.unsigned_integer(&self.serial);
            signer.algorithm().write(w);
            w.raw(self.issuer.as_deref().unwrap_or(&self.subject));
            w.sequence(|w| {
                write_time(w, self.not_before);
                write_time(w, self.not_after);
            });
            w.raw(&self.subject);
            w.raw(&self.spki);
            if !self.extensions.is_empty() {
                w.explicit(3, |w| {
                    w.sequence(|w| {
                        for e in &self.extensions {
                            Extension { oid: &e.oid, critical: e.critical, value: &e.value }.write(w);
                        }
                    });
                });
            }
        });
        w.finish()
    }

    /// Signs the certificate; returns its DER.
    ///
    /// # Errors
    /// Whatever the signer reports.
    pub fn sign(&self, signer: &SigningKey, rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        let tbs = self.tbs(signer);
        let signature = signer.sign(rng, &tbs)?;
        Ok(wrap_signed(&tbs, signer, &signature))
    }
}

/// `SEQUENCE { tbs, algorithm, BIT STRING signature }`, the shape shared
/// by certificates, CSRs and CRLs.
pub(crate) fn wrap_signed(tbs: &[u8], signer: &SigningKey, signature: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.sequence(|w| {
        w.raw(tbs);
        signer.algorithm().write(w);
        w.bit_string(signature);
    });
    w.finish()
}
