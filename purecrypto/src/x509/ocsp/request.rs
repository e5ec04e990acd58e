//! `OCSPRequest` (RFC 6960 section 4.1): one or more [`CertId`]s and an
//! optional nonce extension (RFC 8954), unsigned.
//!
//! Entry points: [`OcspRequest::new`], [`OcspRequest::to_der`],
//! [`OcspRequest::from_der`], [`OcspRequest::text`].

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::{CertId, MAX_ENTRIES, MAX_NONCE, OCSP_NONCE, malformed};
use crate::Error;
use crate::asn1::der::{Reader, Writer};
use crate::rng::CryptoRng;
use crate::x509::extensions::Extension;

/// The nonce length OpenSSL and RFC 8954 section 2.1 suggest.
const NONCE_LEN: usize = 16;

/// An unsigned OCSP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspRequest {
    /// The certificates asked about (1..=[`MAX_ENTRIES`] when decoded).
    pub ids: Vec<CertId>,
    /// The nonce extension's value exactly as carried (`extnValue`
    /// contents: for RFC 8954 nonces a DER OCTET STRING holding the
    /// random bytes). A responder echoes it verbatim and a client
    /// compares it verbatim, so no interpretation is needed.
    pub nonce: Option<Vec<u8>>,
}

impl OcspRequest {
    /// A request for one certificate, without a nonce.
    #[must_use]
    pub fn new(id: CertId) -> Self {
        Self { ids: alloc::vec![id], nonce: None }
    }

    /// Adds a nonce of 16 fresh random bytes (what `openssl ocsp` sends).
    #[must_use]
    pub fn with_random_nonce(self, rng: &mut impl CryptoRng) -> Self {
        let mut bytes = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut bytes);
        self.with_nonce(&bytes)
    }

    /// Adds the nonce `bytes`, wrapped in an OCTET STRING as RFC 8954
    /// requires.
    #[must_use]
    pub fn with_nonce(mut self, bytes: &[u8]) -> Self {
        let mut w = Writer::new();
        w.octet_string(bytes);
        self.nonce = Some(w.finish());
        self
    }

    /// The DER `OCSPRequest` (v1, no requestor name, no signature).
    #[must_use]
    pub fn to_der(&self) -> Vec<u8> {
        let mut w = Writer::new();
        w.sequence(|w| {
            w.sequence(|w| {
                w.sequence(|w| {
                    for id in &self.ids {
                        w.sequence(|w| id.write(w));
                    }
                });
                if let Some(nonce) = &self.nonce {
                    w.explicit(2, |w| {
                        w.sequence(|w| Extension { oid: OCSP_NONCE, critical: false, value: nonce }.write(w));
                    });
                }
            });
        });
        w.finish()
    }

    /// Reads a DER `OCSPRequest`. The requestor name and per-certificate
    /// extensions are skipped; a signed request is refused, since nothing
    /// here could check its signature and a responder must not pretend
    /// it did.
    ///
    /// # Errors
    /// [`Error::Malformed`] on bad DER, no certificates, more than
    /// [`MAX_ENTRIES`], a nonce over [`MAX_NONCE`] bytes, an unknown
    /// critical extension or a version other than v1;
    /// [`Error::Unsupported`] for a signed request or an unknown hash.
    pub fn from_der(der: &[u8]) -> Result<Self, Error> {
        let bad = |reason| malformed("OCSP request", reason);
        let mut outer = Reader::new(der);
        let mut req = outer.sequence()?;
        outer.finish()?;
        let mut tbs = req.sequence()?;
        if req.optional_explicit(0)?.is_some() {
            return Err(Error::Unsupported { what: "signed OCSP request" });
        }
        req.finish()?;
        if let Some(mut v) = tbs.optional_explicit(0)? {
            if v.small_unsigned()? != 0 {
                return Err(bad("version"));
            }
            v.finish()?;
        }
        tbs.optional_explicit(1)?; // requestorName
        let mut list = tbs.sequence()?;
        let mut ids = Vec::new();
        while !list.is_empty() {
            if ids.len() == MAX_ENTRIES {
                return Err(bad("too many certificates"));
            }
            let mut one = list.sequence()?;
            ids.push(CertId::read(&mut one)?);
            if let Some(mut e) = one.optional_explicit(0)? {
                check_extensions(&Extension::read_list(&mut e)?, &[])?;
                e.finish()?;
            }
            one.finish()?;
        }
        if ids.is_empty() {
            return Err(bad("no certificates"));
        }
        let nonce = read_nonce_extensions(&mut tbs, 2, "OCSP request")?;
        tbs.finish()?;
        Ok(Self { ids, nonce })
    }

    /// The request as `openssl ocsp -req_text` prints it.
    #[must_use]
    pub fn text(&self) -> String {
        let mut out = String::from("OCSP Request Data:\n    Version: 1 (0x0)\n    Requestor List:\n");
        for id in &self.ids {
            out += &cert_id_text(id, "        ");
        }
        if let Some(n) = &self.nonce {
            out += "    Request Extensions:\n        OCSP Nonce: \n            ";
            out += &hex(n);
            out += "\n";
        }
        out
    }
}

/// Refuses critical extensions outside `known` (RFC 6960 section 4.4:
/// unrecognised non-critical ones are ignored).
pub(super) fn check_extensions(list: &[Extension<'_>], known: &[&[u8]]) -> Result<(), Error> {
    if list.iter().any(|e| e.critical && !known.contains(&e.oid)) {
        return Err(malformed("OCSP extensions", "unknown critical extension"));
    }
    Ok(())
}

/// The optional `[tag] EXPLICIT Extensions` of a request or response
/// body: only the nonce may be critical, and it is at most
/// [`MAX_NONCE`] bytes.
pub(super) fn read_nonce_extensions(r: &mut Reader<'_>, tag: u8, what: &'static str) -> Result<Option<Vec<u8>>, Error> {
    let Some(mut e) = r.optional_explicit(tag)? else { return Ok(None) };
    let list = Extension::read_list(&mut e)?;
    e.finish()?;
    check_extensions(&list, &[OCSP_NONCE])?;
    match list.iter().find(|x| x.oid == OCSP_NONCE) {
        Some(n) if n.value.len() > MAX_NONCE => Err(malformed(what, "nonce too long")),
        Some(n) => Ok(Some(n.value.to_vec())),
        None => Ok(None),
    }
}

/// Upper-case hex, no separators, as OpenSSL prints hashes and serials.
pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

/// The `Certificate ID:` block OpenSSL prints, indented by `pad`.
pub(super) fn cert_id_text(id: &CertId, pad: &str) -> String {
    format!(
        "{pad}Certificate ID:\n{pad}  Hash Algorithm: {}\n{pad}  Issuer Name Hash: {}\n{pad}  Issuer Key Hash: {}\n{pad}  Serial Number: {}\n",
        id.hash.name(),
        hex(&id.issuer_name_hash),
        hex(&id.issuer_key_hash),
        hex(match id.serial.as_slice() {
            // OpenSSL prints the magnitude, without the sign byte.
            [0, rest @ ..] if !rest.is_empty() => rest,
            all => all,
        })
    )
}
