//! A PKCS #10 request in the layout of `openssl req -text -noout`
//! (OpenSSL 3.0): subject, public key, attributes (string values as
//! text), the requested extensions decoded as in a certificate, and the
//! signature.

use alloc::string::String;
use core::fmt::Write;

use super::{extension_body, extension_name, hex_lines, public_key};
use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;
use crate::x509::csr::CertificateRequest;
use crate::x509::oids;

/// PKCS #9 attribute names OpenSSL prints (`challengePassword`, ...).
const ATTRIBUTE_NAMES: [(&[u8], &str); 3] = [
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x07], "challengePassword"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x02], "unstructuredName"),
    (&[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x09, 0x08], "unstructuredAddress"),
];

/// An attribute's first value as OpenSSL shows it: the text of a string
/// type, else its refusal.
fn attribute_value(set_contents: &[u8]) -> String {
    const STRING_TAGS: [u8; 5] = [0x0c, 0x13, 0x14, 0x16, 0x1a];
    let mut r = Reader::new(set_contents);
    match r.any() {
        Ok((tag, bytes)) if STRING_TAGS.contains(&tag) => String::from_utf8_lossy(bytes).into_owned(),
        _ => String::from("unable to print attribute"),
    }
}

/// The request in the layout of `openssl req -text -noout`.
#[must_use]
pub fn request_to_text(req: &CertificateRequest<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Certificate Request:\n    Data:\n        Version: 1 (0x0)");
    let _ = writeln!(out, "        Subject: {}", req.subject);
    let _ = writeln!(out, "        Subject Public Key Info:");
    if let Ok(spki) = SubjectPublicKeyInfo::from_der(req.spki) {
        public_key(&mut out, &spki);
    }
    let _ = writeln!(out, "        Attributes:");
    if req.attributes.is_empty() {
        let _ = writeln!(out, "            (none)");
    }
    for (kind, values) in req.attributes.iter().filter(|(kind, _)| *kind != oids::EXTENSION_REQUEST) {
        let name = ATTRIBUTE_NAMES
            .iter()
            .find(|(o, _)| o == kind)
            .map_or_else(|| oid::to_dotted(kind), |(_, n)| String::from(*n));
        let _ = writeln!(out, "            {name:<25}:{}", attribute_value(values));
    }
    let _ = writeln!(out, "            Requested Extensions:");
    for e in &req.extensions.list {
        let critical = if e.critical { "critical" } else { "" };
        let _ = writeln!(out, "                {}: {critical}", extension_name(e.oid));
        extension_body(&mut out, &req.extensions, e.oid, e.value, "                    ");
    }
    let name = req.signature_algorithm.openssl_name();
    let _ = writeln!(out, "    Signature Algorithm: {name}\n    Signature Value:");
    hex_lines(&mut out, req.signature, 18, "        ", false);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A request OpenSSL 3.0 made (`openssl req -new -key` with a P-256
    /// key, `-addext` subjectAltName and a critical keyUsage, and the
    /// challengePassword / unstructuredName attributes), and what
    /// `openssl req -text -noout` printed for it.
    #[test]
    fn matches_openssl_req_text() {
        let pem = include_bytes!("../../../tests/data/req/openssl.csr");
        let der = crate::asn1::pem::decode_label(pem, "CERTIFICATE REQUEST").unwrap().contents.to_vec();
        let req = CertificateRequest::from_der(&der).unwrap();
        let want = include_str!("../../../tests/data/req/openssl.csr.txt");
        assert_eq!(request_to_text(&req), want);
    }

    #[test]
    fn attribute_values() {
        assert_eq!(attribute_value(&[0x13, 0x02, b'h', b'i']), "hi");
        assert_eq!(attribute_value(&[0x02, 0x01, 0x05]), "unable to print attribute");
        assert_eq!(attribute_value(&[]), "unable to print attribute");
    }

    #[test]
    fn attribute_name_oids_are_pkcs9() {
        assert_eq!(oid::to_dotted(ATTRIBUTE_NAMES[0].0), "1.2.840.113549.1.9.7");
        assert_eq!(oid::to_dotted(ATTRIBUTE_NAMES[1].0), "1.2.840.113549.1.9.2");
        assert_eq!(oid::to_dotted(ATTRIBUTE_NAMES[2].0), "1.2.840.113549.1.9.8");
    }
}
