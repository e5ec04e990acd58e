//! Checking a stapled OCSP response on the client
//! ([`ClientConfig::require_ocsp_good`]): after the chain is accepted,
//! the staple must be a response about the leaf, signed for its issuer,
//! current at the connection's time, and say "good". Any other outcome
//! ends the handshake with `bad_certificate_status_response` (RFC 8446
//! section 4.4.2.1, RFC 6066 section 8).
//!
//! Entry points: [`check_staple`], called by the TLS 1.3 and 1.2 client
//! state machines once both the chain and the staple are known, and the
//! public [`verify_stapled_ocsp`] for judging a staple after the handshake.

use alloc::vec::Vec;

use super::cert::ServerCertVerifier;
use super::config::ClientConfig;
use super::error::Error;
use crate::x509::Certificate;
use crate::x509::ocsp::{CertStatus, OcspError, OcspResponse, VerifyOptions, verify_response};

/// Why a stapled OCSP response could not be judged at all
/// ([`verify_stapled_ocsp`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StapleError {
    /// The staple is not an `OCSPResponse`, or the leaf does not decode.
    #[error("malformed OCSP response")]
    Malformed,
    /// Neither the certificates the server sent nor the verifier's trust
    /// anchors hold the leaf's issuer, whose name and key the response's
    /// CertID and signature refer to.
    #[error("issuer of the leaf not found")]
    NoIssuer,
    /// The response was read and refused (responder status, signer,
    /// coverage, freshness).
    #[error(transparent)]
    Refused(#[from] OcspError),
}

fn refused(what: &'static str) -> Error {
    Error::BadCertificateStatus { what }
}

/// What `staple` (a DER `OCSPResponse`, [`Connection::ocsp_response`](super::Connection::ocsp_response))
/// says about the leaf of `chain` (DER, leaf first, as
/// [`Connection::peer_certificates`](super::Connection::peer_certificates)
/// returns it) at `now_unix`: verified against the leaf's issuer, found
/// among `chain` or through `verifier`'s trust anchors. For a caller that
/// judges a staple after the handshake, as curl's `--cert-status` does;
/// [`ClientConfig::require_ocsp_good`] does it inside the handshake.
///
/// # Errors
/// [`StapleError`] when the response cannot be read, the issuer is not
/// known, or the response is refused.
pub fn verify_stapled_ocsp(
    verifier: &dyn ServerCertVerifier,
    chain: &[Vec<u8>],
    staple: &[u8],
    now_unix: u64,
) -> Result<CertStatus, StapleError> {
    let response = OcspResponse::from_der(staple).map_err(|_| StapleError::Malformed)?;
    let leaf_der = chain.first().ok_or(StapleError::Malformed)?;
    let leaf = Certificate::from_der(leaf_der).map_err(|_| StapleError::Malformed)?;
    let from_verifier = verifier.issuer_of(leaf_der);
    let issuer = issuer_of(&leaf, chain, from_verifier.as_deref()).ok_or(StapleError::NoIssuer)?;
    let options = VerifyOptions::new(i64::try_from(now_unix).unwrap_or(i64::MAX));
    Ok(verify_response(&response, &issuer, leaf.serial_der, &options)?)
}

/// Enforces [`ClientConfig::require_ocsp_good`] for `chain` (DER, leaf
/// first, already accepted by the verifier) and the stapled `staple`.
pub(crate) fn check_staple(
    config: &ClientConfig,
    chain: &[Vec<u8>],
    staple: Option<&[u8]>,
    now_unix: u64,
) -> Result<(), Error> {
    if !config.require_ocsp_good {
        return Ok(());
    }
    let staple = staple.ok_or(refused("no stapled OCSP response"))?;
    match verify_stapled_ocsp(config.verifier.as_ref(), chain, staple, now_unix) {
        Ok(CertStatus::Good) => Ok(()),
        Ok(CertStatus::Revoked { .. }) => Err(refused("OCSP: certificate revoked")),
        Ok(_) => Err(refused("OCSP: certificate status unknown")),
        Err(StapleError::Malformed) => Err(refused("stapled OCSP response or leaf does not decode")),
        Err(StapleError::NoIssuer) => Err(refused("issuer of the leaf not found")),
        Err(StapleError::Refused(e)) => Err(refused(describe(e))),
    }
}

/// The certificate that issued `leaf`: among the certificates the
/// server sent (the leaf itself when self-signed, as a responder for its
/// own certificate may be), or else the one the verifier found (a trust
/// anchor), whichever has the leaf's issuer name and a key that
/// verifies it.
fn issuer_of<'a>(leaf: &Certificate<'_>, sent: &'a [Vec<u8>], anchor: Option<&'a [u8]>) -> Option<Certificate<'a>> {
    sent.iter()
        .map(Vec::as_slice)
        .chain(anchor)
        .filter_map(|der| Certificate::from_der(der).ok())
        .find(|c| c.subject.der == leaf.issuer.der && leaf.verify_signed_by(c.spki).is_ok())
}

fn describe(e: OcspError) -> &'static str {
    match e {
        OcspError::Unsuccessful(_) => "OCSP: responder error status",
        OcspError::UnauthorizedResponder => "OCSP: responder not authorised",
        OcspError::BadSignature => "OCSP: bad response signature",
        OcspError::CertificateNotCovered => "OCSP: response is not about the leaf",
        OcspError::NotYetValid => "OCSP: response not yet valid",
        OcspError::Expired | OcspError::TooOld => "OCSP: response expired",
        _ => "OCSP: response refused",
    }
}
