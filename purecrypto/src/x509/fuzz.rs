//! Fuzz entry points for the X.509 decoders and the path validator
//! (re-exported through [`crate::internal`]). Each panics only on a real
//! bug: a decoder panic, or an invariant that decoded data must keep.

use super::certificate::Certificate;
use super::crl::Crl;
use super::csr::CertificateRequest;
use super::store::TrustStore;
use super::verify::{Options, Purpose, verify_chain};

/// Certificate decoding; what decodes must print and re-decode its TBS
/// bounds consistently.
pub fn fuzz_certificate(data: &[u8]) {
    if let Ok(cert) = Certificate::from_der(data) {
        assert!(cert.tbs.len() < cert.der.len());
        let _ = alloc::format!("{} {}", cert.subject, cert.issuer);
        let _ = super::text::to_text(&cert);
        let _ = cert.subject.openssl_hash();
        let _ = cert.verify_signed_by(cert.spki);
    }
}

/// CSR decoding and self-signature check.
pub fn fuzz_csr(data: &[u8]) {
    if let Ok(req) = CertificateRequest::from_der(data) {
        let _ = req.verify();
        let _ = alloc::format!("{}", req.subject);
    }
}

/// CRL decoding, lookup, the `-text` dump and the issuer-name hash.
pub fn fuzz_crl(data: &[u8]) {
    if let Ok(crl) = Crl::from_der(data) {
        for r in &crl.revoked {
            assert!(crl.revocation(r.serial).is_some());
        }
        assert!(super::text::crl_to_text(&crl).starts_with("Certificate Revocation List (CRL):"));
        let _ = crl.issuer.openssl_hash();
    }
}

/// OCSP response decoding: what decodes must print.
pub fn fuzz_ocsp(data: &[u8]) {
    if let Ok(response) = super::ocsp::OcspResponse::from_der(data) {
        assert!(response.text().contains("OCSP Response Status"));
    }
}

/// OCSP request decoding, what a responder reads from the network: what
/// decodes must print, and re-encode to something that decodes equal.
pub fn fuzz_ocsp_request(data: &[u8]) {
    if let Ok(request) = super::ocsp::OcspRequest::from_der(data) {
        assert!(request.text().starts_with("OCSP Request Data:"));
        assert_eq!(super::ocsp::OcspRequest::from_der(&request.to_der()).ok(), Some(request));
    }
}

/// Path validation of fuzzed certificates against a fixed anchor: the
/// input is split into DER values, the first is the leaf, the rest are
/// intermediates. Nothing may panic, and nothing that is not the anchor
/// (whose key the fuzzer cannot sign with) may validate unless it chains
/// by signature.
pub fn fuzz_chain(anchor_der: &[u8], data: &[u8]) {
    let mut store = TrustStore::new();
    if store.add_der(anchor_der).is_err() {
        return;
    }
    let mut r = crate::asn1::der::Reader::new(data);
    let mut parts = alloc::vec::Vec::new();
    while let Ok(tlv) = r.any_raw() {
        parts.push(tlv);
        if parts.len() > 6 {
            break;
        }
    }
    let Some((leaf, rest)) = parts.split_first() else { return };
    let options = Options {
        time: 1_800_000_000,
        purpose: Some(Purpose::ServerAuth),
        hostname: Some("a.example"),
        ..Options::default()
    };
    if let Ok(path) = verify_chain(leaf, rest, &store, &options) {
        assert_eq!(path.chain.last().copied(), Some(anchor_der));
    }
}
