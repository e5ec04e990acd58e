//! `OCSPResponse` (RFC 6960 section 4.2.1) read in full: the response
//! status and, for the basic response type, the signed response data,
//! signature and certificates. Reading checks structure only; whether a
//! response may be believed is [`verify_response`](super::verify_response)'s
//! job.
//!
//! Entry points: [`OcspResponse::from_der`], [`OcspResponse::text`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::request::{cert_id_text, check_extensions, hex, read_nonce_extensions};
use super::{CertId, MAX_CERTS, MAX_ENTRIES, OCSP_BASIC, TAG_ENUMERATED, malformed};
use crate::Error;
use crate::asn1::der::Reader;
use crate::x509::algorithm::SignatureAlgorithm;
use crate::x509::extensions::Extension;
use crate::x509::time::{openssl_display, read_time};
use crate::x509::{Certificate, Name, RevocationReason};

fn bad(reason: &'static str) -> Error {
    malformed("OCSP response", reason)
}

/// `OCSPResponseStatus`: an open code, so unknown values are kept and
/// printed rather than refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResponseStatus(pub u8);

impl ResponseStatus {
    /// 0: the response carries a signed answer.
    pub const SUCCESSFUL: Self = Self(0);
    /// 1: the request did not parse.
    pub const MALFORMED_REQUEST: Self = Self(1);
    /// 2: the responder failed.
    pub const INTERNAL_ERROR: Self = Self(2);
    /// 3: try again later.
    pub const TRY_LATER: Self = Self(3);
    /// 5: the request must be signed.
    pub const SIG_REQUIRED: Self = Self(5);
    /// 6: the responder does not answer for this certificate.
    pub const UNAUTHORIZED: Self = Self(6);

    /// The name OpenSSL prints.
    #[must_use]
    pub const fn name(self) -> &'static str {
        match self.0 {
            0 => "successful",
            1 => "malformedRequest",
            2 => "internalError",
            3 => "tryLater",
            5 => "sigRequired",
            6 => "unauthorized",
            _ => "(UNKNOWN)",
        }
    }
}

/// One certificate's status (`CertStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CertStatus {
    /// Not revoked (RFC 6960 section 2.2: at least not known revoked).
    Good,
    /// Revoked.
    Revoked {
        /// `revocationTime`, Unix seconds.
        time: i64,
        /// The `CRLReason`, when given.
        reason: Option<RevocationReason>,
    },
    /// The responder does not know the certificate.
    Unknown,
}

/// Who signed: `ResponderID`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ResponderId {
    /// The responder certificate's subject (DER `Name`).
    ByName(Vec<u8>),
    /// SHA-1 of the responder's subjectPublicKey BIT STRING contents.
    ByKey(Vec<u8>),
}

impl ResponderId {
    /// Whether `cert` is the certificate this ID names.
    #[must_use]
    pub fn matches(&self, cert: &Certificate<'_>) -> bool {
        match self {
            Self::ByName(name) => name.as_slice() == cert.subject.der,
            Self::ByKey(hash) => *hash == crate::hash::HashAlgorithm::Sha1.hash(cert.public_key_info().public_key),
        }
    }
}

/// A `SingleResponse`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SingleResponse {
    /// The certificate it is about.
    pub cert_id: CertId,
    /// What the responder says.
    pub status: CertStatus,
    /// `thisUpdate`: when the status was known to be true (Unix seconds).
    pub this_update: i64,
    /// `nextUpdate`: when newer information will be available.
    pub next_update: Option<i64>,
}

/// A `BasicOCSPResponse`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BasicResponse {
    /// The `tbsResponseData` encoding, the bytes the signature covers.
    pub tbs: Vec<u8>,
    /// Who signed.
    pub responder_id: ResponderId,
    /// `producedAt`, Unix seconds.
    pub produced_at: i64,
    /// One entry per certificate (1..=[`MAX_ENTRIES`](super::MAX_ENTRIES)).
    pub responses: Vec<SingleResponse>,
    /// The nonce extension's value as carried (see
    /// [`OcspRequest::nonce`](super::OcspRequest::nonce)).
    pub nonce: Option<Vec<u8>>,
    /// The signature algorithm.
    pub signature_algorithm: SignatureAlgorithm,
    /// The signature.
    pub signature: Vec<u8>,
    /// Certificates to help find the signer (DER, at most
    /// [`MAX_CERTS`](super::MAX_CERTS)), each checked to decode.
    pub certs: Vec<Vec<u8>>,
}

/// An `OCSPResponse`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspResponse {
    /// The response status.
    pub status: ResponseStatus,
    /// The signed answer; present exactly when `status` is successful.
    pub basic: Option<BasicResponse>,
}

impl OcspResponse {
    /// Reads a DER `OCSPResponse`; response types other than the basic
    /// one are refused.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, a successful status without an
    /// answer (or an error status with one), more than
    /// [`MAX_ENTRIES`](super::MAX_ENTRIES) answers or
    /// [`MAX_CERTS`](super::MAX_CERTS) certificates, an unknown critical
    /// extension or an undecodable certificate; [`Error::Unsupported`]
    /// for an unknown signature or hash algorithm.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut r = outer.sequence()?;
        outer.finish()?;
        let status = match r.expect(TAG_ENUMERATED, "OCSPResponseStatus")? {
            [s] => ResponseStatus(*s),
            _ => return Err(bad("response status")),
        };
        let bytes = r.optional_explicit(0)?;
        r.finish()?;
        let Some(mut bytes) = bytes else {
            if status == ResponseStatus::SUCCESSFUL {
                return Err(bad("successful status without a response"));
            }
            return Ok(Self { status, basic: None });
        };
        if status != ResponseStatus::SUCCESSFUL {
            return Err(bad("error status with a response"));
        }
        let mut rb = bytes.sequence()?;
        bytes.finish()?;
        if rb.oid()? != OCSP_BASIC {
            return Err(Error::Unsupported { what: "OCSP response type other than basic" });
        }
        let basic = read_basic(rb.octet_string()?)?;
        rb.finish()?;
        Ok(Self { status, basic: Some(basic) })
    }

    /// The response as `openssl ocsp -resp_text` prints it, up to (not
    /// including) the signature and certificates.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out =
            format!("OCSP Response Data:\n    OCSP Response Status: {} (0x{:x})\n", self.status.name(), self.status.0);
        let Some(basic) = &self.basic else {
            return out;
        };
        out += "    Response Type: Basic OCSP Response\n    Version: 1 (0x0)\n";
        match &basic.responder_id {
            ResponderId::ByName(der) => match Name::from_der(der) {
                Ok(name) => out += &format!("    Responder Id: {name}\n"),
                Err(_) => out += "    Responder Id: (undecodable)\n",
            },
            ResponderId::ByKey(hash) => out += &format!("    Responder Id: {}\n", hex(hash)),
        }
        out += &format!("    Produced At: {}\n    Responses:\n", openssl_display(basic.produced_at));
        for s in &basic.responses {
            out += &cert_id_text(&s.cert_id, "    ");
            match s.status {
                CertStatus::Good => out += "    Cert Status: good\n",
                CertStatus::Unknown => out += "    Cert Status: unknown\n",
                CertStatus::Revoked { time, reason } => {
                    out += &format!("    Cert Status: revoked\n    Revocation Time: {}\n", openssl_display(time));
                    if let Some(reason) = reason {
                        out += &format!("    Revocation Reason: {} (0x{:x})\n", reason_name(reason), reason.code());
                    }
                }
            }
            out += &format!("    This Update: {}\n", openssl_display(s.this_update));
            if let Some(t) = s.next_update {
                out += &format!("    Next Update: {}\n", openssl_display(t));
            }
        }
        if let Some(n) = &basic.nonce {
            out += &format!("\n    Response Extensions:\n        OCSP Nonce: \n            {}\n", hex(n));
        }
        out
    }
}

/// A CRL reason as OpenSSL names it (`keyCompromise`).
#[must_use]
pub fn reason_name(reason: RevocationReason) -> &'static str {
    const NAMES: [&str; 11] = [
        "unspecified",
        "keyCompromise",
        "CACompromise",
        "affiliationChanged",
        "superseded",
        "cessationOfOperation",
        "certificateHold",
        "(UNKNOWN)",
        "removeFromCRL",
        "privilegeWithdrawn",
        "AACompromise",
    ];
    NAMES.get(usize::from(reason.code())).copied().unwrap_or("(UNKNOWN)")
}

/// Reads a `BasicOCSPResponse` from the responseBytes OCTET STRING.
fn read_basic(der: &[u8]) -> Result<BasicResponse, Error> {
    let mut outer = Reader::new(der);
    let mut basic = outer.sequence()?;
    outer.finish()?;
    let tbs = basic.clone().any_raw()?.to_vec();
    let mut data = basic.sequence()?;
    let signature_algorithm = SignatureAlgorithm::read(&mut basic)?;
    let signature = basic.bit_string()?.to_vec();
    let mut certs = Vec::new();
    if let Some(mut c) = basic.optional_explicit(0)? {
        let mut list = c.sequence()?;
        c.finish()?;
        while !list.is_empty() {
            if certs.len() == MAX_CERTS {
                return Err(bad("too many certificates"));
            }
            let der = list.any_raw()?;
            Certificate::from_der(der)?;
            certs.push(der.to_vec());
        }
    }
    basic.finish()?;

    if let Some(mut v) = data.optional_explicit(0)? {
        if v.small_unsigned()? != 0 {
            return Err(bad("version"));
        }
        v.finish()?;
    }
    let responder_id = match data.any()? {
        (0xa1, name) => {
            let mut r = Reader::new(name);
            let name = Name::read(&mut r)?;
            r.finish()?;
            ResponderId::ByName(name.der.to_vec())
        }
        (0xa2, key) => {
            let mut r = Reader::new(key);
            let hash = r.octet_string()?;
            r.finish()?;
            if hash.len() != 20 {
                return Err(bad("responder key hash is not SHA-1"));
            }
            ResponderId::ByKey(hash.to_vec())
        }
        _ => return Err(bad("responder ID")),
    };
    let produced_at = read_time(&mut data)?;
    let mut list = data.sequence()?;
    let mut responses = Vec::new();
    while !list.is_empty() {
        if responses.len() == MAX_ENTRIES {
            return Err(bad("too many responses"));
        }
        responses.push(read_single(&mut list.sequence()?)?);
    }
    if responses.is_empty() {
        return Err(bad("no responses"));
    }
    let nonce = read_nonce_extensions(&mut data, 1, "OCSP response")?;
    data.finish()?;
    Ok(BasicResponse { tbs, responder_id, produced_at, responses, nonce, signature_algorithm, signature, certs })
}

/// One `SingleResponse` (its reader is consumed to the end).
fn read_single(r: &mut Reader<'_>) -> Result<SingleResponse, Error> {
    let cert_id = CertId::read(r)?;
    let status = match r.any()? {
        (0x80, []) => CertStatus::Good,
        (0xa1, info) => {
            let mut info = Reader::new(info);
            let time = read_time(&mut info)?;
            let reason = match info.optional_explicit(0)? {
                Some(mut e) => {
                    let code = match e.expect(TAG_ENUMERATED, "CRLReason")? {
                        [c] => *c,
                        _ => return Err(bad("revocation reason")),
                    };
                    e.finish()?;
                    Some(RevocationReason::from_code(code).ok_or(bad("unknown revocation reason"))?)
                }
                None => None,
            };
            info.finish()?;
            CertStatus::Revoked { time, reason }
        }
        (0x82, []) => CertStatus::Unknown,
        _ => return Err(bad("certificate status")),
    };
    let this_update = read_time(r)?;
    let next_update = match r.optional_explicit(0)? {
        Some(mut t) => {
            let time = read_time(&mut t)?;
            t.finish()?;
            Some(time)
        }
        None => None,
    };
    if let Some(mut e) = r.optional_explicit(1)? {
        check_extensions(&Extension::read_list(&mut e)?, &[])?;
        e.finish()?;
    }
    r.clone().finish()?;
    Ok(SingleResponse { cert_id, status, this_update, next_update })
}
