//! Building and signing OCSP responses, for a responder (the CLI's
//! `ocsp -index`) and for tests that need good, revoked, unknown,
//! expired or wrongly signed answers.
//!
//! Entry points: [`ResponseBuilder::new`], [`ResponseBuilder::sign`],
//! [`error_response`].

use alloc::vec::Vec;

use super::response::{CertStatus, ResponderId, ResponseStatus};
use super::{CertId, OCSP_BASIC, OCSP_NONCE, TAG_ENUMERATED};
use crate::Error;
use crate::asn1::der::Writer;
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;
use crate::x509::Certificate;
use crate::x509::extensions::Extension;
use crate::x509::signer::SigningKey;

/// One answer waiting to be signed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    id: CertId,
    status: CertStatus,
    this_update: i64,
    next_update: Option<i64>,
}

/// A basic OCSP response under construction.
#[derive(Debug, Clone)]
pub struct ResponseBuilder {
    responder_id: ResponderId,
    produced_at: i64,
    entries: Vec<Entry>,
    nonce: Option<Vec<u8>>,
    certs: Vec<Vec<u8>>,
}

impl ResponseBuilder {
    /// A response signed by `responder` (named by subject, as `openssl
    /// ocsp` does by default), produced at `produced_at` (Unix seconds).
    #[must_use]
    pub fn new(responder: &Certificate<'_>, produced_at: i64) -> Self {
        Self {
            responder_id: ResponderId::ByName(responder.subject.der.to_vec()),
            produced_at,
            entries: Vec::new(),
            nonce: None,
            certs: Vec::new(),
        }
    }

    /// Names the responder by the SHA-1 of its key instead (`openssl ocsp
    /// -resp_key_id`, RFC 5019's preference).
    #[must_use]
    pub fn by_key(mut self, responder: &Certificate<'_>) -> Self {
        self.responder_id = ResponderId::ByKey(HashAlgorithm::Sha1.hash(responder.public_key_info().public_key));
        self
    }

    /// Adds an answer for `id`.
    #[must_use]
    pub fn add(mut self, id: CertId, status: CertStatus, this_update: i64, next_update: Option<i64>) -> Self {
        self.entries.push(Entry { id, status, this_update, next_update });
        self
    }

    /// Echoes a request's nonce (its extension value, verbatim).
    #[must_use]
    pub fn nonce(mut self, value: Option<&[u8]>) -> Self {
        self.nonce = value.map(<[u8]>::to_vec);
        self
    }

    /// Includes `cert` (DER) in the response, for a delegated responder's
    /// certificate.
    #[must_use]
    pub fn cert(mut self, cert: &[u8]) -> Self {
        self.certs.push(cert.to_vec());
        self
    }

    /// The `tbsResponseData`.
    fn tbs(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.sequence(|w| {
            match &self.responder_id {
                ResponderId::ByName(name) => w.explicit(1, |w| w.raw(name)),
                ResponderId::ByKey(hash) => w.explicit(2, |w| w.octet_string(hash)),
            }
            write_generalized(w, self.produced_at);
            w.sequence(|w| {
                for e in &self.entries {
                    w.sequence(|w| write_entry(w, e));
                }
            });
            if let Some(nonce) = &self.nonce {
                w.explicit(1, |w| {
                    w.sequence(|w| Extension { oid: OCSP_NONCE, critical: false, value: nonce }.write(w));
                });
            }
        });
        w.finish()
    }

    /// Signs the response; returns the DER `OCSPResponse` (status
    /// successful).
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] without any answer; whatever the
    /// signer reports.
    pub fn sign(&self, signer: &SigningKey, rng: &mut impl CryptoRng) -> Result<Vec<u8>, Error> {
        if self.entries.is_empty() {
            return Err(Error::InvalidParameter { what: "OCSP response", reason: "at least one answer" });
        }
        let tbs = self.tbs();
        let signature = signer.sign(rng, &tbs)?;
        let mut basic = Writer::new();
        basic.sequence(|w| {
            w.raw(&tbs);
            signer.algorithm().write(w);
            w.bit_string(&signature);
            if !self.certs.is_empty() {
                w.explicit(0, |w| w.sequence(|w| self.certs.iter().for_each(|c| w.raw(c))));
            }
        });
        let basic = basic.finish();
        let mut w = Writer::new();
        w.sequence(|w| {
            w.tlv(TAG_ENUMERATED, &[ResponseStatus::SUCCESSFUL.0]);
            w.explicit(0, |w| {
                w.sequence(|w| {
                    w.oid(OCSP_BASIC);
                    w.octet_string(&basic);
                });
            });
        });
        Ok(w.finish())
    }
}

/// An unsigned error response (`malformedRequest`, `internalError`,
/// `tryLater`, `sigRequired`, `unauthorized`): RFC 6960 section 2.3
/// sends these without a signature.
#[must_use]
pub fn error_response(status: ResponseStatus) -> Vec<u8> {
    let mut w = Writer::new();
    w.sequence(|w| w.tlv(TAG_ENUMERATED, &[status.0]));
    w.finish()
}

/// OCSP times are `GeneralizedTime` always (RFC 6960 section 4.2.1),
/// unlike certificate times, which switch at 2050.
fn write_generalized(w: &mut Writer, t: i64) {
    let (year, month, day, hour, minute, second) = crate::x509::time::civil_from_unix(t);
    let text = alloc::format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z");
    w.tlv(crate::x509::time::TAG_GENERALIZED_TIME, text.as_bytes());
}

fn write_entry(w: &mut Writer, e: &Entry) {
    e.id.write(w);
    match e.status {
        CertStatus::Good => w.tlv(0x80, &[]),
        CertStatus::Unknown => w.tlv(0x82, &[]),
        CertStatus::Revoked { time, reason } => w.constructed(0xa1, |w| {
            write_generalized(w, time);
            if let Some(reason) = reason {
                w.explicit(0, |w| w.tlv(TAG_ENUMERATED, &[reason.code()]));
            }
        }),
    }
    write_generalized(w, e.this_update);
    if let Some(t) = e.next_update {
        w.explicit(0, |w| write_generalized(w, t));
    }
}
