//! The responder half of `purecrypto ocsp`: answers requests from the
//! certificate database `openssl ca` keeps (`index.txt`), signed by
//! `-rsigner` / `-rkey` for the CAs in `-CA`.
//!
//! Entry points: [`Index::parse`], [`Responder::answer`].
//!
//! `index.txt` lines are tab-separated: status (`V` valid, `R` revoked,
//! `E` expired), expiry time, revocation `time[,reason]`, serial in hex,
//! file name, subject.

use std::vec::Vec;

use crate::cli::CliError;
use crate::cli::ca::database::{hex_bytes, parse_index};
use crate::rng::CryptoRng;
use crate::x509::ocsp::{CertStatus, OcspRequest, ResponseBuilder, ResponseStatus, error_response};
use crate::x509::{Certificate, RevocationReason, SigningKey};

/// One `index.txt` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Entry {
    /// `V`, `R` or `E`.
    kind: u8,
    /// The serial's magnitude, no leading zero bytes.
    serial: Vec<u8>,
    /// For `R`: revocation time and reason.
    revoked: Option<(i64, Option<RevocationReason>)>,
}

/// The certificate database.
#[derive(Debug, Clone, Default)]
pub(super) struct Index {
    entries: Vec<Entry>,
}

/// Big-endian bytes without leading zeros (zero is empty).
fn magnitude(bytes: &[u8]) -> &[u8] {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    bytes.get(start..).unwrap_or_default()
}

/// A hex serial as big-endian bytes, `None` when empty or not hex.
pub(super) fn hex_serial(text: &str) -> Option<Vec<u8>> {
    hex_bytes(text).ok().filter(|bytes| !bytes.is_empty())
}

impl Index {
    /// Parses `index.txt` (with `ca`'s reader, so both commands accept
    /// the same files).
    pub(super) fn parse(text: &str) -> Result<Self, CliError> {
        let mut entries = Vec::new();
        for e in parse_index(text)? {
            let serial = hex_serial(&e.serial).ok_or_else(|| CliError::usage("ocsp: index serial"))?;
            let kind = u8::try_from(e.status).unwrap_or(b'E');
            entries.push(Entry { kind, serial: magnitude(&serial).to_vec(), revoked: e.revoked });
        }
        Ok(Self { entries })
    }

    /// The status of the certificate whose serial `INTEGER` contents are
    /// `serial_der`: `V` good, `R` revoked, unlisted unknown; an `E`
    /// (expired) entry is answered as unknown, since the database no
    /// longer vouches for it.
    fn status(&self, serial_der: &[u8]) -> CertStatus {
        let wanted = magnitude(serial_der);
        match self.entries.iter().find(|e| e.serial == wanted) {
            Some(Entry { kind: b'V', .. }) => CertStatus::Good,
            Some(Entry { revoked: Some((time, reason)), .. }) => CertStatus::Revoked { time: *time, reason: *reason },
            _ => CertStatus::Unknown,
        }
    }
}

/// What answers requests.
pub(super) struct Responder {
    pub(super) index: Index,
    /// The CAs served (DER).
    pub(super) cas: Vec<Vec<u8>>,
    /// The responder certificate (DER).
    pub(super) signer_cert: Vec<u8>,
    pub(super) key: SigningKey,
    /// Validity of each answer in seconds (`-ndays` / `-nmin`); `None`:
    /// no nextUpdate.
    pub(super) validity: Option<i64>,
    /// Name the responder by key hash (`-resp_key_id`).
    pub(super) by_key: bool,
    /// Leave the responder certificate out (`-resp_no_certs`).
    pub(super) no_certs: bool,
}

impl Responder {
    /// The DER response to the DER `request` at `now`: a signed answer
    /// per certificate (unknown for CAs not served), or
    /// `malformedRequest` when the request does not decode.
    pub(super) fn answer(&self, request: &[u8], now: i64, rng: &mut impl CryptoRng) -> Result<Vec<u8>, CliError> {
        let Ok(request) = OcspRequest::from_der(request) else {
            return Ok(error_response(ResponseStatus::MALFORMED_REQUEST));
        };
        let signer = Certificate::from_der(&self.signer_cert)?;
        let mut b = ResponseBuilder::new(&signer, now).nonce(request.nonce.as_deref());
        if self.by_key {
            b = b.by_key(&signer);
        }
        if !self.no_certs {
            b = b.cert(&self.signer_cert);
        }
        let next = self.validity.map(|v| now.saturating_add(v));
        for id in request.ids {
            let served = self.cas.iter().filter_map(|der| Certificate::from_der(der).ok()).any(|ca| id.issued_by(&ca));
            let status = if served { self.index.status(&id.serial) } else { CertStatus::Unknown };
            b = b.add(id, status, now, next);
        }
        Ok(b.sign(&self.key, rng)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_openssl_ca_index() {
        let text = "V\t271127000000Z\t\t1000\tunknown\t/CN=good\n\
                    R\t271127000000Z\t261101000000Z,keyCompromise\t1001\tunknown\t/CN=revoked\n\
                    R\t271127000000Z\t261101000000Z\t80\tunknown\t/CN=plain\n\
                    E\t201127000000Z\t\t1002\tunknown\t/CN=expired\n";
        let index = Index::parse(text).unwrap();
        assert_eq!(index.status(&[0x10, 0x00]), CertStatus::Good);
        let revoked = CertStatus::Revoked { time: 1_793_491_200, reason: Some(RevocationReason::KeyCompromise) };
        assert_eq!(index.status(&[0x10, 0x01]), revoked);
        assert_eq!(index.status(&[0x00, 0x80]), CertStatus::Revoked { time: 1_793_491_200, reason: None });
        assert_eq!(index.status(&[0x10, 0x02]), CertStatus::Unknown);
        assert_eq!(index.status(&[0x10, 0x03]), CertStatus::Unknown);
        for bad in ["X\t1\t\t10\tf\t/CN=x", "V\t1", "R\t271127000000Z\tyesterday\t10\tf\t/CN=x", "V\tx\t\tzz\tf\t/"] {
            assert!(Index::parse(bad).is_err(), "{bad}");
        }
    }
}
