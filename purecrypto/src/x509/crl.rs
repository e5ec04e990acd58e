//! Certificate revocation lists (RFC 5280 section 5): parse, build, and
//! look a serial up.
//!
//! Entry points: [`Crl::from_der`], [`Crl::verify_signed_by`],
//! [`Crl::revocation`], [`CrlBuilder`].

use alloc::vec::Vec;

use super::algorithm::{SignatureAlgorithm, verify_signature};
use super::builder::wrap_signed;
use super::extensions::Extension;
use super::name::Name;
use super::oids;
use super::signer::SigningKey;
use super::time::{read_time, write_time};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::rng::CryptoRng;

/// `ENUMERATED`.
const TAG_ENUMERATED: u8 = 0x0a;

/// A `CRLReason` (RFC 5280 section 5.3.1; 7 is unused).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RevocationReason {
    /// 0.
    Unspecified,
    /// 1.
    KeyCompromise,
    /// 2.
    CaCompromise,
    /// 3.
    AffiliationChanged,
    /// 4.
    Superseded,
    /// 5.
    CessationOfOperation,
    /// 6.
    CertificateHold,
    /// 8.
    RemoveFromCrl,
    /// 9.
    PrivilegeWithdrawn,
    /// 10.
    AaCompromise,
}

impl RevocationReason {
    const TABLE: [(u8, Self); 10] = [
        (0, Self::Unspecified),
        (1, Self::KeyCompromise),
        (2, Self::CaCompromise),
        (3, Self::AffiliationChanged),
        (4, Self::Superseded),
        (5, Self::CessationOfOperation),
        (6, Self::CertificateHold),
        (8, Self::RemoveFromCrl),
        (9, Self::PrivilegeWithdrawn),
        (10, Self::AaCompromise),
    ];

    /// The ENUMERATED value.
    #[must_use]
    pub fn code(self) -> u8 {
        Self::TABLE.iter().find(|(_, r)| *r == self).map_or(0, |(c, _)| *c)
    }

    /// The reason for an ENUMERATED value.
    #[must_use]
    pub fn from_code(code: u8) -> Option<Self> {
        Self::TABLE.iter().find(|(c, _)| *c == code).map(|(_, r)| *r)
    }
}

/// One revoked certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedCertificate<'a> {
    /// The serial number's `INTEGER` contents (two's complement).
    pub serial: &'a [u8],
    /// When it was revoked (Unix seconds).
    pub revocation_date: i64,
    /// The reason code extension, when present.
    pub reason: Option<RevocationReason>,
    /// The entry's extensions.
    pub extensions: Vec<Extension<'a>>,
}

/// A decoded CRL borrowing its DER.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crl<'a> {
    /// The whole encoding.
    pub der: &'a [u8],
    /// The signed `tbsCertList` encoding.
    pub tbs: &'a [u8],
    /// 1 or 2 (the encoded value plus one, as in a certificate).
    pub version: u8,
    /// The issuer.
    pub issuer: Name<'a>,
    /// `thisUpdate`.
    pub this_update: i64,
    /// `nextUpdate`.
    pub next_update: Option<i64>,
    /// The revoked certificates.
    pub revoked: Vec<RevokedCertificate<'a>>,
    /// The CRL extensions.
    pub extensions: Vec<Extension<'a>>,
    /// The signature algorithm.
    pub signature_algorithm: SignatureAlgorithm,
    /// The signature.
    pub signature: &'a [u8],
}

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "CRL", reason }
}

impl<'a> Crl<'a> {
    /// Decodes a DER CRL (v1 or v2).
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, a bad version, or a bad reason code.
    pub fn from_der(der: &'a [u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut list = outer.sequence()?;
        outer.finish()?;
        let tbs = list.clone().any_raw()?;
        let mut t = list.sequence()?;
        let signature_algorithm = SignatureAlgorithm::read(&mut list)?;
        let signature = list.bit_string()?;
        list.finish()?;
        let v2 = if t.peek_tag() == Some(0x02) {
            if t.small_unsigned()? != 1 {
                return Err(malformed("version"));
            }
            true
        } else {
            false
        };
        SignatureAlgorithm::read(&mut t)?;
        let issuer = Name::read(&mut t)?;
        let this_update = read_time(&mut t)?;
        let next_update = match t.peek_tag() {
            Some(0x17 | 0x18) => Some(read_time(&mut t)?),
            _ => None,
        };
        let mut revoked = Vec::new();
        if t.peek_tag() == Some(0x30) {
            let mut entries = t.sequence()?;
            while !entries.is_empty() {
                let mut entry = entries.sequence()?;
                let serial = entry.integer_bytes()?;
                let revocation_date = read_time(&mut entry)?;
                let extensions = if entry.is_empty() { Vec::new() } else { Extension::read_list(&mut entry)? };
                entry.finish()?;
                let mut reason = None;
                for e in &extensions {
                    if e.oid == oids::CRL_REASON {
                        let mut r = Reader::new(e.value);
                        let code = match r.expect(TAG_ENUMERATED, "CRL reason")? {
                            [c] => *c,
                            _ => return Err(malformed("reason code")),
                        };
                        r.finish()?;
                        reason = Some(RevocationReason::from_code(code).ok_or(malformed("unknown reason code"))?);
                    }
                }
                revoked.push(RevokedCertificate { serial, revocation_date, reason, extensions });
            }
        }
        let extensions = match t.optional_explicit(0)? {
            Some(mut e) => {
                if !v2 {
                    return Err(malformed("extensions in a v1 CRL"));
                }
                let list = Extension::read_list(&mut e)?;
                e.finish()?;
                list
            }
            None => Vec::new(),
        };
        t.finish()?;
        let version = if v2 { 2 } else { 1 };
        Ok(Self {
            der,
            tbs,
            version,
            issuer,
            this_update,
            next_update,
            revoked,
            extensions,
            signature_algorithm,
            signature,
        })
    }

    /// Verifies the CRL signature with the issuer's `SubjectPublicKeyInfo`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] and key errors.
    pub fn verify_signed_by(&self, issuer_spki: &[u8]) -> Result<(), Error> {
        verify_signature(&self.signature_algorithm, issuer_spki, self.tbs, self.signature)
    }

    /// The entry revoking the certificate whose serial `INTEGER` contents
    /// are `serial_der` ([`Certificate::serial_der`](super::Certificate::serial_der)).
    #[must_use]
    pub fn revocation(&self, serial_der: &[u8]) -> Option<&RevokedCertificate<'a>> {
        self.revoked.iter().find(|r| r.serial == serial_der)
    }

    /// Whether the CRL carries a critical extension this crate does not
    /// understand (such a CRL must not be used, RFC 5280 section 5.2).
    #[must_use]
    pub fn has_unknown_critical(&self) -> bool {
        let known: [&[u8]; 3] = [oids::CRL_NUMBER, oids::AUTHORITY_KEY_ID, oids::ISSUER_ALT_NAME];
        self.extensions.iter().any(|e| e.critical && !known.contains(&e.oid))
            || self.revoked.iter().flat_map(|r| &r.extensions).any(|e| e.critical && e.oid != oids::CRL_REASON)
    }
}

/// A v2 CRL under construction.
#[derive(Debug, Clone)]
pub struct CrlBuilder {
    issuer: Vec<u8>,
    this_update: i64,
    next_update: i64,
    number: Option<u64>,
    revoked: Vec<(Vec<u8>, i64, Option<RevocationReason>)>,
}

impl CrlBuilder {
    /// A CRL from `issuer` (DER `Name`) with number `number`.
    #[must_use]
    pub fn new(issuer: &[u8], this_update: i64, next_update: i64, number: u64) -> Self {
        Self { issuer: issuer.to_vec(), this_update, next_update, number: Some(number), revoked: Vec::new() }
    }

    /// Leaves the CRL Number extension out (what `openssl ca -gencrl`
    /// writes when the CA keeps no `crlnumber` file).
    #[must_use]
    pub fn without_number(mut self) -> Self {
        self.number = None;
        self
    }

    /// Lists `serial` (big-endian magnitude) as revoked at `when`.
    #[must_use]
    pub fn revoke(mut self, serial: &[u8], when: i64, reason: Option<RevocationReason>) -> Self {
        self.revoked.push((serial.to_vec(), when, reason));
        self
    }

    /// Signs the CRL; returns its DER.
    ///
    /// # Errors
    /// Whatever the signer reports.
    pub fn sign(&self, signer: &SigningKey, rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        let mut w = Writer::new();
        w.sequence(|w| {
            w.small_unsigned(1);
            signer.algorithm().write(w);
            w.raw(&self.issuer);
            write_time(w, self.this_update);
            write_time(w, self.next_update);
            if !self.revoked.is_empty() {
                w.sequence(|w| {
                    for (serial, when, reason) in &self.revoked {
                        w.sequence(|w| {
                            w.unsigned_integer(serial);
                            write_time(w, *when);
                            if let Some(reason) = reason {
                                let mut v = Writer::new();
                                v.tlv(TAG_ENUMERATED, &[reason.code()]);
                                let value = v.finish();
                                w.sequence(|w| {
                                    Extension { oid: oids::CRL_REASON, critical: false, value: &value }.write(w);
                                });
                            }
                        });
                    }
                });
            }
            if let Some(number) = self.number {
                let mut n = Writer::new();
                n.small_unsigned(number);
                let number = n.finish();
                w.explicit(0, |w| {
                    w.sequence(|w| Extension { oid: oids::CRL_NUMBER, critical: false, value: &number }.write(w));
                });
            }
        });
        let tbs = w.finish();
        let signature = signer.sign(rng, &tbs)?;
        Ok(wrap_signed(&tbs, signer, &signature))
    }
}
