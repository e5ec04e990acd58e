//! OpenSSL's subject-name hash (`X509_NAME_hash`): the name the hashed
//! certificate directories (`c_rehash`, `-CApath`) and `openssl x509
//! -hash` / `crl -hash` use.
//!
//! The hash is over a canonical form, so names that differ only in case,
//! surrounding or repeated white space, or string type hash the same:
//! every string value becomes a `UTF8String` with ASCII letters lowered,
//! leading and trailing white space dropped and inner runs collapsed to
//! one space; each RDN is re-encoded as a DER `SET`, and the sets are
//! concatenated without the outer `SEQUENCE`. The first four bytes of the
//! SHA-1 of that, read little-endian, are the hash.
//!
//! Entry point: [`Name::openssl_hash`].

use alloc::vec::Vec;

use super::name::{
    Attribute, Name, TAG_BMP_STRING, TAG_IA5_STRING, TAG_PRINTABLE_STRING, TAG_TELETEX_STRING, TAG_UNIVERSAL_STRING,
    TAG_UTF8_STRING, TAG_VISIBLE_STRING,
};
use crate::asn1::der::Writer;
use crate::hash::{Hash, Sha1};

/// The string types OpenSSL canonicalises; other values hash as encoded.
const CANONICAL_TAGS: [u8; 7] = [
    TAG_UTF8_STRING,
    TAG_PRINTABLE_STRING,
    TAG_TELETEX_STRING,
    TAG_IA5_STRING,
    TAG_UNIVERSAL_STRING,
    TAG_BMP_STRING,
    TAG_VISIBLE_STRING,
];

/// C's `isspace` in the "C" locale.
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// The canonical UTF-8 bytes of a string value.
fn canonical_text(utf8: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(utf8.len());
    let mut pending_space = false;
    for &b in utf8 {
        if is_space(b) {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    out
}

/// One attribute's canonical `AttributeTypeAndValue` encoding.
fn canonical_attribute(attribute: &Attribute<'_>) -> Vec<u8> {
    let mut w = Writer::new();
    w.sequence(|w| {
        w.oid(attribute.oid);
        match attribute.text().filter(|_| CANONICAL_TAGS.contains(&attribute.tag)) {
            Some(text) => w.tlv(TAG_UTF8_STRING, &canonical_text(text.as_bytes())),
            None => w.raw(attribute.raw_value),
        }
    });
    w.finish()
}

impl Name<'_> {
    /// The hash `openssl x509 -hash` prints for this name (as the subject)
    /// and `openssl crl -hash` for a CRL issuer; hashed directories name
    /// their links `%08x.N` after it.
    #[must_use]
    pub fn openssl_hash(&self) -> u32 {
        let mut canonical = Vec::new();
        for rdn in &self.rdns {
            // DER orders a SET OF by the encodings of its elements.
            let mut members: Vec<Vec<u8>> = rdn.iter().map(canonical_attribute).collect();
            members.sort();
            let mut w = Writer::new();
            w.set(|w| members.iter().for_each(|m| w.raw(m)));
            canonical.extend_from_slice(&w.finish());
        }
        let digest = Sha1::digest(&canonical);
        u32::from_le_bytes([digest[0], digest[1], digest[2], digest[3]])
    }
}

#[cfg(test)]
mod tests {
    use super::super::name::encode_name;
    use super::*;

    /// `openssl x509 -hash -noout` of certificates with these subjects
    /// (OpenSSL 3.0.17).
    #[test]
    fn matches_openssl() {
        let der = encode_name(&[("CN", "Demo CA")]).unwrap();
        assert_eq!(Name::from_der(&der).unwrap().openssl_hash(), 0x5578_8290);
    }

    #[test]
    fn case_space_and_string_type_do_not_matter() {
        let a = encode_name(&[("C", "US"), ("CN", "Demo CA")]).unwrap();
        let b = encode_name(&[("C", "us"), ("CN", "  demo   ca ")]).unwrap();
        let hash = |der: &[u8]| Name::from_der(der).unwrap().openssl_hash();
        assert_eq!(hash(&a), hash(&b));
        let c = encode_name(&[("C", "US"), ("CN", "Demo CB")]).unwrap();
        assert_ne!(hash(&a), hash(&c));
    }
}
