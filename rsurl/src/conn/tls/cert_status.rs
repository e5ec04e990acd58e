//! `--cert-status` (`CURLOPT_SSL_VERIFYSTATUS`): after the handshake the
//! server's stapled OCSP response must verify against the leaf's issuer,
//! be current, and say "good"; anything else fails the transfer with exit
//! code 91, in curl's words. As with curl, a resumed session is not
//! checked again (it carries no certificate and no staple), and `-k` does
//! not turn the check off. The leaf's issuer may also be a trust anchor
//! the server did not send (curl's OpenSSL backend only looks at the sent
//! chain).

use std::time::{SystemTime, UNIX_EPOCH};

use purecrypto::tls::{Connection, ServerCertVerifier, StapleError, verify_stapled_ocsp};
use purecrypto::x509::ocsp::{CertStatus, OcspError, reason_name};

use crate::error::Error;

/// Judges the staple of the (not resumed) connection `conn`, printing
/// curl's `*  SSL certificate status:` line.
pub(super) fn check(
    conn: &Connection,
    verifier: &dyn ServerCertVerifier,
    info: &mut dyn FnMut(&str),
) -> Result<(), Error> {
    let staple = conn.ocsp_response().ok_or_else(|| Error::CertStatus("No OCSP response received".into()))?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let status = verify_stapled_ocsp(verifier, conn.peer_certificates(), staple, now).map_err(refusal)?;
    let (name, code) = match status {
        CertStatus::Good => ("good", 0),
        CertStatus::Revoked { .. } => ("revoked", 1),
        _ => ("unknown", 2),
    };
    info(&format!(" SSL certificate status: {name} ({code})"));
    match status {
        CertStatus::Good => Ok(()),
        CertStatus::Revoked { reason, .. } => Err(Error::CertStatus(match reason {
            Some(r) => format!("SSL certificate revocation reason: {} ({})", reason_name(r), r.code()),
            None => "SSL certificate revocation reason: (UNKNOWN) (-1)".into(),
        })),
        _ => Err(Error::CertStatus(format!("SSL certificate status: {name} ({code})"))),
    }
}

/// curl's text for a staple that could not be judged.
fn refusal(e: StapleError) -> Error {
    Error::CertStatus(match e {
        StapleError::Malformed => "Invalid OCSP response".into(),
        StapleError::NoIssuer => "Error computing OCSP ID".into(),
        StapleError::Refused(OcspError::Unsuccessful(s)) => {
            format!("Invalid OCSP response status: {} ({})", s.name(), s.0)
        }
        StapleError::Refused(OcspError::CertificateNotCovered) => {
            "Could not find certificate ID in OCSP response".into()
        }
        StapleError::Refused(OcspError::NotYetValid | OcspError::Expired | OcspError::TooOld) => {
            "OCSP response has expired".into()
        }
        StapleError::Refused(_) => "OCSP response verification failed".into(),
        _ => "Invalid OCSP response".into(),
    })
}
