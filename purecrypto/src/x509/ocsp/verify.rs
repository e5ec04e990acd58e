//! Deciding what a response says about one certificate: who signed it
//! (RFC 6960 section 4.2.2.2: the issuer, a responder the issuer
//! delegated to with id-kp-OCSPSigning, or one the caller trusts), which
//! answer names the certificate, whether that answer is current, and
//! whether it echoes our nonce (RFC 8954).
//!
//! Entry point: [`verify_response`] with [`VerifyOptions`]; its parts
//! [`verify_signer`] and [`check_window`] for callers that report them
//! separately (the CLI, as OpenSSL does).

use alloc::vec::Vec;

use super::response::{CertStatus, OcspResponse, ResponseStatus};
use crate::x509::Certificate;
use crate::x509::oids;

/// Why a response cannot be believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OcspError {
    /// The responder answered with an error status (no signed data).
    #[error("OCSP responder status {}", .0.name())]
    Unsuccessful(ResponseStatus),
    /// No certificate matching the responder ID is authorised to sign:
    /// not the issuer, not trusted, and no delegated certificate issued
    /// by the issuer with id-kp-OCSPSigning, valid now.
    #[error("OCSP responder not authorised")]
    UnauthorizedResponder,
    /// A candidate signer was found but the signature does not verify.
    #[error("OCSP response signature does not verify")]
    BadSignature,
    /// No answer in the response names the certificate (hash algorithm,
    /// issuer name and key hashes, serial).
    #[error("OCSP response does not cover the certificate")]
    CertificateNotCovered,
    /// `thisUpdate` is later than now plus the allowed skew.
    #[error("OCSP response not yet valid")]
    NotYetValid,
    /// `nextUpdate` is earlier than now minus the allowed skew.
    #[error("OCSP response expired")]
    Expired,
    /// Without `nextUpdate`, `thisUpdate` is older than the caller's
    /// maximum age.
    #[error("OCSP response too old")]
    TooOld,
    /// A nonce was sent and the response carries none.
    #[error("OCSP response has no nonce")]
    NonceMissing,
    /// A nonce was sent and the response carries another.
    #[error("OCSP response nonce does not match")]
    NonceMismatch,
}

/// What [`verify_response`] checks against.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct VerifyOptions<'a> {
    /// The time to check at (Unix seconds).
    pub now: i64,
    /// Clock skew tolerated on `thisUpdate` / `nextUpdate` and on a
    /// delegated responder's validity, in seconds (default 300, as
    /// OpenSSL's `-validity_period`).
    pub max_skew: i64,
    /// Refuse answers whose `thisUpdate` is older than this many seconds
    /// (OpenSSL's `-status_age`); `None` (the default) accepts any age
    /// when `nextUpdate` is present or absent.
    pub max_age: Option<i64>,
    /// The nonce extension value we sent
    /// ([`OcspRequest::nonce`](super::OcspRequest::nonce)); `None`: not
    /// checked.
    pub nonce: Option<&'a [u8]>,
    /// Responder certificates (DER) trusted outright to sign for any
    /// issuer (OpenSSL's `-VAfile`).
    pub trusted_responders: Vec<&'a [u8]>,
    /// More certificates (DER) to search for a delegated responder,
    /// besides those in the response (OpenSSL's `-verify_other`); they
    /// must pass the same checks.
    pub extra_certs: Vec<&'a [u8]>,
}

impl VerifyOptions<'_> {
    /// Options at `now`: 300 s skew, no maximum age, no nonce, no
    /// trusted responders or extra certificates.
    #[must_use]
    pub fn new(now: i64) -> Self {
        Self { now, max_skew: 300, max_age: None, nonce: None, trusted_responders: Vec::new(), extra_certs: Vec::new() }
    }
}

/// How a candidate came to sign.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Role {
    Issuer,
    Trusted,
    Delegated,
}

/// Checks `response` for the certificate with serial `serial_der`
/// (`INTEGER` contents) issued by `issuer`, and returns its status.
///
/// # Errors
/// An [`OcspError`] naming the first check that failed, in this order:
/// status, signer, signature, nonce, coverage, time window.
pub fn verify_response(
    response: &OcspResponse,
    issuer: &Certificate<'_>,
    serial_der: &[u8],
    options: &VerifyOptions<'_>,
) -> Result<CertStatus, OcspError> {
    verify_signer(response, issuer, options)?;
    let basic = match &response.basic {
        Some(b) => b,
        None => return Err(OcspError::Unsuccessful(response.status)),
    };
    if let Some(sent) = options.nonce {
        match &basic.nonce {
            None => return Err(OcspError::NonceMissing),
            Some(got) if got.as_slice() != sent => return Err(OcspError::NonceMismatch),
            Some(_) => {}
        }
    }
    let single = basic
        .responses
        .iter()
        .find(|s| s.cert_id.matches(issuer, serial_der))
        .ok_or(OcspError::CertificateNotCovered)?;
    check_window(single.this_update, single.next_update, options)?;
    Ok(single.status)
}

/// Checks only who signed `response`: the signature verifies with the
/// key of `issuer`, of a trusted responder, or of a responder `issuer`
/// delegated to (RFC 6960 section 4.2.2.2). This is OpenSSL's "Response
/// verify OK"; the answers themselves are not looked at.
///
/// # Errors
/// [`OcspError::Unsuccessful`], [`OcspError::UnauthorizedResponder`],
/// [`OcspError::BadSignature`].
pub fn verify_signer(
    response: &OcspResponse,
    issuer: &Certificate<'_>,
    options: &VerifyOptions<'_>,
) -> Result<(), OcspError> {
    let basic = match &response.basic {
        Some(b) if response.status == ResponseStatus::SUCCESSFUL => b,
        _ => return Err(OcspError::Unsuccessful(response.status)),
    };

    let mut candidates: Vec<(Role, Certificate<'_>)> = alloc::vec![(Role::Issuer, issuer.clone())];
    for der in &options.trusted_responders {
        if let Ok(c) = Certificate::from_der(der) {
            candidates.push((Role::Trusted, c));
        }
    }
    for der in basic.certs.iter().map(Vec::as_slice).chain(options.extra_certs.iter().copied()) {
        if let Ok(c) = Certificate::from_der(der) {
            candidates.push((Role::Delegated, c));
        }
    }
    let mut error = OcspError::UnauthorizedResponder;
    let mut signed = false;
    for (role, cert) in candidates.iter().filter(|(_, c)| basic.responder_id.matches(c)) {
        if *role == Role::Delegated && !delegated_by(cert, issuer, options) {
            continue;
        }
        match crate::x509::algorithm::verify_signature(
            &basic.signature_algorithm,
            cert.spki,
            &basic.tbs,
            &basic.signature,
        ) {
            Ok(()) => {
                signed = true;
                break;
            }
            Err(_) => error = OcspError::BadSignature,
        }
    }
    if signed { Ok(()) } else { Err(error) }
}

/// The `thisUpdate` / `nextUpdate` window at `options.now`, with the
/// allowed skew and maximum age (OpenSSL's `OCSP_check_validity`).
///
/// # Errors
/// [`OcspError::NotYetValid`], [`OcspError::Expired`],
/// [`OcspError::TooOld`].
pub fn check_window(this_update: i64, next_update: Option<i64>, options: &VerifyOptions<'_>) -> Result<(), OcspError> {
    let skew = options.max_skew;
    if this_update > options.now.saturating_add(skew) {
        return Err(OcspError::NotYetValid);
    }
    if next_update.is_some_and(|t| t < options.now.saturating_sub(skew)) {
        return Err(OcspError::Expired);
    }
    if let Some(age) = options.max_age
        && this_update < options.now.saturating_sub(age).saturating_sub(skew)
    {
        return Err(OcspError::TooOld);
    }
    Ok(())
}

/// RFC 6960 section 4.2.2.2: a delegated responder's certificate is
/// issued directly by the CA in question (same name, signature by its
/// key), carries id-kp-OCSPSigning, and is within its validity.
fn delegated_by(cert: &Certificate<'_>, issuer: &Certificate<'_>, options: &VerifyOptions<'_>) -> bool {
    let eku = cert.extensions.ext_key_usage.as_ref().is_some_and(|list| list.contains(&oids::EKU_OCSP_SIGNING));
    eku && cert.issuer.der == issuer.subject.der
        && cert.not_before <= options.now.saturating_add(options.max_skew)
        && cert.not_after >= options.now.saturating_sub(options.max_skew)
        && cert.verify_signed_by(issuer.spki).is_ok()
}
