//! OCSP responses (RFC 6960 section 4.2.1), read far enough to report
//! them: the response status and each certificate's status, in the
//! words `openssl s_client -status` prints. The responder's signature is
//! not checked, so nothing here may decide trust.
//!
//! Entry points: [`OcspResponse::from_der`], [`OcspResponse::text`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::time::{openssl_display, read_time};
use crate::Error;
use crate::asn1::der::Reader;

/// `ENUMERATED`.
const TAG_ENUMERATED: u8 = 0x0a;
/// 1.3.6.1.5.5.7.48.1.1 id-pkix-ocsp-basic.
const OCSP_BASIC: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

/// CRL reason codes as OpenSSL names them (7 is unused).
const REASONS: [&str; 11] = [
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

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "OCSP response", reason }
}

/// One certificate's status (`CertStatus`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum CertStatus {
    Good,
    /// Revoked at this time (Unix seconds), with the CRL reason code if
    /// given.
    Revoked(i64, Option<u8>),
    Unknown,
}

/// A `SingleResponse`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SingleResponse {
    pub(crate) serial: Vec<u8>,
    pub(crate) status: CertStatus,
    pub(crate) this_update: i64,
    pub(crate) next_update: Option<i64>,
}

/// An `OCSPResponse`: its status and, for a successful basic response,
/// when it was produced and what it says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OcspResponse {
    pub(crate) status: u8,
    pub(crate) produced_at: Option<i64>,
    pub(crate) responses: Vec<SingleResponse>,
}

impl OcspResponse {
    /// Parses a DER `OCSPResponse`; response types other than the basic
    /// one are refused.
    pub(crate) fn from_der(der: &[u8]) -> Result<Self, Error> {
        let mut outer = Reader::new(der);
        let mut r = outer.sequence()?;
        outer.finish()?;
        let status = match r.expect(TAG_ENUMERATED, "OCSPResponseStatus")? {
            [s] => *s,
            _ => return Err(malformed("response status")),
        };
        let mut response = Self { status, produced_at: None, responses: Vec::new() };
        let Some(mut bytes) = r.optional_explicit(0)? else {
            r.finish()?;
            return Ok(response);
        };
        r.finish()?;
        let mut rb = bytes.sequence()?;
        bytes.finish()?;
        if rb.oid()? != OCSP_BASIC {
            return Err(malformed("response type other than basic"));
        }
        let mut basic_der = Reader::new(rb.octet_string()?);
        rb.finish()?;
        let mut basic = basic_der.sequence()?;
        basic_der.finish()?;
        let mut data = basic.sequence()?;
        // Signature algorithm, signature and certificates: not checked here.
        if data.optional_explicit(0)?.is_some_and(|mut v| v.small_unsigned().ok() != Some(0)) {
            return Err(malformed("version"));
        }
        data.any()?; // responderID
        response.produced_at = Some(read_time(&mut data)?);
        let mut list = data.sequence()?;
        while !list.is_empty() {
            response.responses.push(read_single(&mut list.sequence()?)?);
        }
        Ok(response)
    }

    /// The response as `openssl s_client -status` prints it, less the
    /// responder and certificate-ID details.
    pub(crate) fn text(&self) -> String {
        let name = match self.status {
            0 => "successful",
            1 => "malformedRequest",
            2 => "internalError",
            3 => "tryLater",
            5 => "sigRequired",
            6 => "unauthorized",
            _ => "(UNKNOWN)",
        };
        let mut out = format!("OCSP Response Data:\n    OCSP Response Status: {name} (0x{:x})\n", self.status);
        if let Some(t) = self.produced_at {
            out += &format!(
                "    Response Type: Basic OCSP Response\n    Produced At: {}\n    Responses:\n",
                openssl_display(t)
            );
        }
        for s in &self.responses {
            let serial: String = s.serial.iter().map(|b| format!("{b:02X}")).collect();
            out += &format!("    Certificate ID:\n      Serial Number: {serial}\n");
            match s.status {
                CertStatus::Good => out += "    Cert Status: good\n",
                CertStatus::Unknown => out += "    Cert Status: unknown\n",
                CertStatus::Revoked(t, reason) => {
                    out += &format!("    Cert Status: revoked\n    Revocation Time: {}\n", openssl_display(t));
                    if let Some(code) = reason {
                        let name = REASONS.get(usize::from(code)).copied().unwrap_or("(UNKNOWN)");
                        out += &format!("    Revocation Reason: {name} (0x{code:x})\n");
                    }
                }
            }
            out += &format!("    This Update: {}\n", openssl_display(s.this_update));
            if let Some(t) = s.next_update {
                out += &format!("    Next Update: {}\n", openssl_display(t));
            }
        }
        out
    }
}

/// A `SingleResponse`'s fields: certID, certStatus, thisUpdate and the
/// optional nextUpdate (extensions are skipped).
fn read_single(r: &mut Reader<'_>) -> Result<SingleResponse, Error> {
    let mut id = r.sequence()?;
    id.sequence()?; // hashAlgorithm
    id.octet_string()?; // issuerNameHash
    id.octet_string()?; // issuerKeyHash
    let serial = id.unsigned_integer()?.to_vec();
    id.finish()?;
    let status = match r.any()? {
        (0x80, []) => CertStatus::Good,
        (0xa1, info) => {
            let mut info = Reader::new(info);
            let time = read_time(&mut info)?;
            let reason = match info.optional_explicit(0)? {
                Some(mut e) => match e.expect(TAG_ENUMERATED, "CRLReason")? {
                    [c] => Some(*c),
                    _ => return Err(malformed("revocation reason")),
                },
                None => None,
            };
            info.finish()?;
            CertStatus::Revoked(time, reason)
        }
        (0x82, []) => CertStatus::Unknown,
        _ => return Err(malformed("certificate status")),
    };
    let this_update = read_time(r)?;
    let next_update = match r.optional_explicit(0)? {
        Some(mut t) => Some(read_time(&mut t)?),
        None => None,
    };
    Ok(SingleResponse { serial, status, this_update, next_update })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &[u8] = include_bytes!("../../tests/data/ocsp/good.der");
    const REVOKED: &[u8] = include_bytes!("../../tests/data/ocsp/revoked.der");
    const SERIAL: &str = "4656C33194AF5529A4B0B2C83ADA4228F1E787CB";

    #[test]
    fn reads_openssl_responses() {
        let good = OcspResponse::from_der(GOOD).unwrap();
        assert_eq!(good.status, 0);
        assert_eq!(good.responses.len(), 1);
        assert_eq!(good.responses[0].status, CertStatus::Good);
        let text = good.text();
        assert!(text.contains("    OCSP Response Status: successful (0x0)\n"), "{text}");
        assert!(text.contains(&format!("      Serial Number: {SERIAL}\n    Cert Status: good\n")), "{text}");

        let revoked = OcspResponse::from_der(REVOKED).unwrap();
        // 2026-11-01T00:00:00Z, keyCompromise.
        assert_eq!(revoked.responses[0].status, CertStatus::Revoked(1_793_491_200, Some(1)));
        let text = revoked.text();
        assert!(text.contains("    Cert Status: revoked\n    Revocation Time: Nov  1 00:00:00 2026 GMT\n"), "{text}");
        assert!(text.contains("    Revocation Reason: keyCompromise (0x1)\n"), "{text}");
    }

    #[test]
    fn unsuccessful_status_and_malformed_input() {
        // tryLater, no responseBytes.
        let r = OcspResponse::from_der(&[0x30, 0x03, 0x0a, 0x01, 0x03]).unwrap();
        assert!(r.text().contains("OCSP Response Status: tryLater (0x3)"));
        assert!(r.responses.is_empty());
        for cut in 0..GOOD.len() {
            assert!(OcspResponse::from_der(&GOOD[..cut]).is_err(), "cut {cut}");
        }
        let mut trailing = GOOD.to_vec();
        trailing.push(0);
        assert!(OcspResponse::from_der(&trailing).is_err());
        // A two-byte status.
        assert!(OcspResponse::from_der(&[0x30, 0x04, 0x0a, 0x02, 0x00, 0x00]).is_err());
    }
}
