//! Checking a stapled OCSP response on the client
//! ([`ClientConfig::require_ocsp_good`]): after the chain is accepted,
//! the staple must be a response about the leaf, signed for its issuer,
//! current at the connection's time, and say "good". Any other outcome
//! ends the handshake with `bad_certificate_status_response` (RFC 8446
//! section 4.4.2.1, RFC 6066 section 8).
//!
//! Entry point: [`check_staple`], called by the TLS 1.3 and 1.2 client
//! state machines once both the chain and the staple are known.

use alloc::vec::Vec;

use super::config::ClientConfig;
use super::error::Error;
use crate::x509::Certificate;
use crate::x509::ocsp::{CertStatus, OcspError, OcspResponse, VerifyOptions, verify_response};

fn refused(what: &'static str) -> Error {
    Error::BadCertificateStatus { what }
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
    let response = OcspResponse::from_der(staple).map_err(|_| refused("stapled OCSP response does not decode"))?;
    let leaf_der = chain.first().ok_or(refused("no leaf"))?;
    let leaf = Certificate::from_der(leaf_der).map_err(|_| refused("leaf does not decode"))?;
    let from_verifier = config.verifier.issuer_of(leaf_der);
    let issuer = issuer_of(&leaf, chain, from_verifier.as_deref()).ok_or(refused("issuer of the leaf not found"))?;
    let options = VerifyOptions::new(i64::try_from(now_unix).unwrap_or(i64::MAX));
    match verify_response(&response, &issuer, leaf.serial_der, &options) {
        Ok(CertStatus::Good) => Ok(()),
        Ok(CertStatus::Revoked { .. }) => Err(refused("OCSP: certificate revoked")),
        Ok(_) => Err(refused("OCSP: certificate status unknown")),
        Err(e) => Err(refused(describe(e))),
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
