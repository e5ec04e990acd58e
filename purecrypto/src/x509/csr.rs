//! PKCS #10 certification requests (RFC 2986): parse, build, verify the
//! self-signature.
//!
//! Entry points: [`CertificateRequest::from_der`],
//! [`CertificateRequest::verify`], [`build_request`].

use alloc::vec::Vec;

use super::algorithm::{SignatureAlgorithm, verify_signature};
use super::builder::wrap_signed;
use super::extensions::{Extension, Extensions};
use super::name::Name;
use super::oids;
use super::signer::SigningKey;
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::rng::CryptoRng;

/// A decoded certification request borrowing its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRequest<'a> {
    /// The whole encoding.
    pub der: &'a [u8],
    /// The signed `certificationRequestInfo` encoding.
    pub info: &'a [u8],
    /// The subject.
    pub subject: Name<'a>,
    /// The `SubjectPublicKeyInfo` encoding.
    pub spki: &'a [u8],
    /// Every attribute as `(type OID, SET contents)`.
    pub attributes: Vec<(&'a [u8], &'a [u8])>,
    /// The requested extensions (from a PKCS #9 `extensionRequest`).
    pub extensions: Extensions<'a>,
    /// The signature algorithm.
    pub signature_algorithm: SignatureAlgorithm,
    /// The signature.
    pub signature: &'a [u8],
}

impl<'a> CertificateRequest<'a> {
    /// Decodes a DER request.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, a version other than 0, or a
    /// malformed requested extension; [`Error::Unsupported`] for an
    /// unknown signature algorithm.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut req = outer.sequence()?;
        outer.finish()?;
        let info = req.clone().any_raw()?;
        let mut i = req.sequence()?;
        let signature_algorithm = SignatureAlgorithm::read(&mut req)?;
        let signature = req.bit_string()?;
        req.finish()?;
        if i.small_unsigned()? != 0 {
            return Err(Error::Malformed { what: "PKCS #10 request", reason: "version is not 0" });
        }
        let subject = Name::read(&mut i)?;
        let spki = i.any_raw()?;
        SubjectPublicKeyInfo::from_der(spki)?;
        let mut attributes = Vec::new();
        let mut list = Vec::new();
        // attributes [0] IMPLICIT SET OF Attribute (required, may be empty).
        let attrs = i
            .optional_implicit(0)?
            .ok_or(Error::Malformed { what: "PKCS #10 request", reason: "no attributes field" })?;
        let mut attrs = Reader::new(attrs);
        while !attrs.is_empty() {
            let mut attribute = attrs.sequence()?;
            let kind = attribute.oid()?;
            let values = attribute.set()?;
            attribute.finish()?;
            if kind == oids::EXTENSION_REQUEST {
                let mut v = values.clone();
                list = Extension::read_list(&mut v)?;
                v.finish()?;
            }
            attributes.push((kind, values.remaining()));
        }
        i.finish()?;
        let extensions = Extensions::from_list(list)?;
        Ok(Self { der, info, subject, spki, attributes, extensions, signature_algorithm, signature })
    }

    /// Verifies the self-signature with the request's own key.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] and key decode errors.
    pub fn verify(&self) -> Result<(), Error> {
        verify_signature(&self.signature_algorithm, self.spki, self.info, self.signature)
    }
}

/// Builds and signs a request for `subject` (a DER `Name`) with `signer`'s
/// public key, asking for `extensions` (`(oid, critical, value)`).
///
/// # Errors
/// Whatever the signer reports.
pub fn build_request(
    subject: &[u8],
    extensions: &[Extension<'_>],
    signer: &SigningKey,
    rng: &mut impl CryptoRng,
) -> Result<Vec<u8>, Error> {
    let spki = signer.spki_der();
    let mut w = Writer::new();
    w.sequence(|w| {
        w.small_unsigned(0);
        w.raw(subject);
        w.raw(&spki);
        w.constructed(0xa0, |w| {
            if !extensions.is_empty() {
                w.sequence(|w| {
                    w.oid(oids::EXTENSION_REQUEST);
                    w.set(|w| w.sequence(|w| extensions.iter().for_each(|e| e.write(w))));
                });
            }
        });
    });
    let info = w.finish();
    let signature = signer.sign(rng, &info)?;
    Ok(wrap_signed(&info, signer, &signature))
}
