//! Certificate extensions from an OpenSSL `x509v3_config(5)` section, in
//! the section's order. Each value may start with `critical,`. Supported:
//! `basicConstraints`, `keyUsage`, `extendedKeyUsage`,
//! `subjectKeyIdentifier`, `authorityKeyIdentifier` (`keyid` forms),
//! `subjectAltName` (DNS, IP, email, URI), `authorityInfoAccess` (OCSP and
//! caIssuers URIs) and `crlDistributionPoints` (URIs). Anything else is
//! refused by name rather than silently left out.

use std::format;
use std::vec::Vec;

use super::super::CliError;
use crate::asn1::der::Writer;
use crate::x509::builder::key_identifier;
use crate::x509::{GeneralName, KeyUsage, oids};

/// One extension ready for [`CertificateBuilder::extension`](crate::x509::CertificateBuilder::extension).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OwnedExtension {
    pub(crate) oid: &'static [u8],
    pub(crate) critical: bool,
    pub(crate) value: Vec<u8>,
}

/// The keys the extensions need besides the configuration.
pub(crate) struct KeyContext<'a> {
    /// The subject's `SubjectPublicKeyInfo`.
    pub(crate) subject_spki: &'a [u8],
    /// The issuer's `SubjectPublicKeyInfo`.
    pub(crate) issuer_spki: &'a [u8],
    /// The issuer certificate's own subjectKeyIdentifier, if it has one.
    pub(crate) issuer_key_id: Option<&'a [u8]>,
}

fn bad(name: &str, what: &str) -> CliError {
    CliError::usage(format!("extension {name}: {what}"))
}

const KEY_USAGE_WORDS: [(&str, u16); 9] = [
    ("digitalSignature", KeyUsage::DIGITAL_SIGNATURE),
    ("nonRepudiation", KeyUsage::NON_REPUDIATION),
    ("keyEncipherment", KeyUsage::KEY_ENCIPHERMENT),
    ("dataEncipherment", KeyUsage::DATA_ENCIPHERMENT),
    ("keyAgreement", KeyUsage::KEY_AGREEMENT),
    ("keyCertSign", KeyUsage::KEY_CERT_SIGN),
    ("cRLSign", KeyUsage::CRL_SIGN),
    ("encipherOnly", KeyUsage::ENCIPHER_ONLY),
    ("decipherOnly", KeyUsage::DECIPHER_ONLY),
];

const EKU_WORDS: [(&str, &[u8]); 6] = [
    ("serverAuth", oids::EKU_SERVER_AUTH),
    ("clientAuth", oids::EKU_CLIENT_AUTH),
    ("codeSigning", oids::EKU_CODE_SIGNING),
    ("emailProtection", oids::EKU_EMAIL_PROTECTION),
    ("timeStamping", oids::EKU_TIME_STAMPING),
    ("OCSPSigning", oids::EKU_OCSP_SIGNING),
];

/// `a, b ,c` as trimmed non-empty items.
fn items(value: &str) -> impl Iterator<Item = &str> {
    value.split(',').map(str::trim).filter(|s| !s.is_empty())
}

fn basic_constraints(value: &str) -> Result<Vec<u8>, CliError> {
    let (mut ca, mut path_len) = (None, None);
    for item in items(value) {
        let (key, v) = item.split_once(':').ok_or_else(|| bad("basicConstraints", "expected CA:... / pathlen:N"))?;
        match key.trim() {
            k if k.eq_ignore_ascii_case("CA") => ca = Some(v.trim().eq_ignore_ascii_case("TRUE")),
            k if k.eq_ignore_ascii_case("pathlen") => {
                path_len = Some(v.trim().parse::<u64>().map_err(|_| bad("basicConstraints", "bad pathlen"))?);
            }
            _ => return Err(bad("basicConstraints", "unknown field")),
        }
    }
    let mut w = Writer::new();
    w.sequence(|w| {
        if ca == Some(true) {
            w.boolean(true);
        }
        if let Some(n) = path_len {
            w.small_unsigned(n);
        }
    });
    Ok(w.finish())
}

fn key_usage(value: &str) -> Result<Vec<u8>, CliError> {
    let mut bits = 0u16;
    for item in items(value) {
        let (_, bit) = KEY_USAGE_WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(item))
            .ok_or_else(|| bad("keyUsage", &format!("unknown usage {item}")))?;
        bits |= bit;
    }
    Ok(KeyUsage(bits).to_der())
}

fn ext_key_usage(value: &str) -> Result<Vec<u8>, CliError> {
    let mut purposes = Vec::new();
    for item in items(value) {
        let (_, oid) = EKU_WORDS
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(item))
            .ok_or_else(|| bad("extendedKeyUsage", &format!("unknown purpose {item}")))?;
        purposes.push(*oid);
    }
    let mut w = Writer::new();
    w.sequence(|w| purposes.iter().for_each(|p| w.oid(p)));
    Ok(w.finish())
}

/// `DNS:a, IP:1.2.3.4, email:x@y, URI:u` as encoded `GeneralName`s.
fn general_names(name: &str, value: &str) -> Result<Vec<Vec<u8>>, CliError> {
    let mut out = Vec::new();
    for item in items(value) {
        let (kind, v) = item.split_once(':').ok_or_else(|| bad(name, "expected TYPE:value"))?;
        let ip;
        let general = match kind.trim() {
            k if k.eq_ignore_ascii_case("DNS") => GeneralName::Dns(v),
            k if k.eq_ignore_ascii_case("email") => GeneralName::Email(v),
            k if k.eq_ignore_ascii_case("URI") => GeneralName::Uri(v),
            k if k.eq_ignore_ascii_case("IP") => {
                ip = match v.parse::<std::net::IpAddr>().map_err(|_| bad(name, "bad IP address"))? {
                    std::net::IpAddr::V4(a) => a.octets().to_vec(),
                    std::net::IpAddr::V6(a) => a.octets().to_vec(),
                };
                GeneralName::Ip(&ip)
            }
            other => return Err(bad(name, &format!("unsupported name type {other}"))),
        };
        let mut w = Writer::new();
        general.write(&mut w);
        out.push(w.finish());
    }
    if out.is_empty() {
        return Err(bad(name, "no names"));
    }
    Ok(out)
}

fn sequence_of(parts: &[Vec<u8>]) -> Vec<u8> {
    let mut w = Writer::new();
    w.sequence(|w| parts.iter().for_each(|p| w.raw(p)));
    w.finish()
}

fn authority_info_access(value: &str) -> Result<Vec<u8>, CliError> {
    let mut descriptions = Vec::new();
    for item in items(value) {
        let (method, location) =
            item.split_once(';').ok_or_else(|| bad("authorityInfoAccess", "expected METHOD;URI:..."))?;
        let method = match method.trim() {
            "OCSP" => oids::AD_OCSP,
            "caIssuers" => oids::AD_CA_ISSUERS,
            other => return Err(bad("authorityInfoAccess", &format!("unsupported method {other}"))),
        };
        let [location] = &general_names("authorityInfoAccess", location)?[..] else {
            return Err(bad("authorityInfoAccess", "one location per method"));
        };
        let mut w = Writer::new();
        w.sequence(|w| {
            w.oid(method);
            w.raw(location);
        });
        descriptions.push(w.finish());
    }
    Ok(sequence_of(&descriptions))
}

fn crl_distribution_points(value: &str) -> Result<Vec<u8>, CliError> {
    let names = general_names("crlDistributionPoints", value)?;
    // One DistributionPoint whose fullName lists every location.
    let mut w = Writer::new();
    w.sequence(|w| {
        w.sequence(|w| {
            w.constructed(0xa0, |w| {
                w.constructed(0xa0, |w| names.iter().for_each(|n| w.raw(n)));
            });
        });
    });
    Ok(w.finish())
}

fn octet_string(bytes: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.octet_string(bytes);
    w.finish()
}

fn authority_key_id(value: &str, keys: &KeyContext<'_>) -> Result<Vec<u8>, CliError> {
    for item in items(value) {
        match item {
            "keyid" | "keyid:always" | "issuer" => {}
            _ => return Err(bad("authorityKeyIdentifier", &format!("unsupported option {item}"))),
        }
    }
    if !items(value).any(|i| i.starts_with("keyid")) {
        return Err(bad("authorityKeyIdentifier", "only the keyid forms are supported"));
    }
    let id = match keys.issuer_key_id {
        Some(id) => id.to_vec(),
        None => key_identifier(keys.issuer_spki)?,
    };
    let mut w = Writer::new();
    w.sequence(|w| w.implicit(0, &id));
    Ok(w.finish())
}

/// The extensions `section` describes, in its order.
pub(crate) fn from_section(section: &[(&str, &str)], keys: &KeyContext<'_>) -> Result<Vec<OwnedExtension>, CliError> {
    let mut out = Vec::new();
    for &(name, raw) in section {
        let (critical, value) = match raw.trim().strip_prefix("critical") {
            Some(rest) => (true, rest.trim_start().trim_start_matches(',').trim()),
            None => (false, raw.trim()),
        };
        let (oid, value) = match name {
            "basicConstraints" => (oids::BASIC_CONSTRAINTS, basic_constraints(value)?),
            "keyUsage" => (oids::KEY_USAGE, key_usage(value)?),
            "extendedKeyUsage" => (oids::EXT_KEY_USAGE, ext_key_usage(value)?),
            "subjectKeyIdentifier" if value == "none" => continue,
            "subjectKeyIdentifier" if value == "hash" => {
                (oids::SUBJECT_KEY_ID, octet_string(&key_identifier(keys.subject_spki)?))
            }
            "authorityKeyIdentifier" if value == "none" => continue,
            "authorityKeyIdentifier" => (oids::AUTHORITY_KEY_ID, authority_key_id(value, keys)?),
            "subjectAltName" => (oids::SUBJECT_ALT_NAME, sequence_of(&general_names(name, value)?)),
            "authorityInfoAccess" => (oids::AUTHORITY_INFO_ACCESS, authority_info_access(value)?),
            "crlDistributionPoints" => (oids::CRL_DISTRIBUTION_POINTS, crl_distribution_points(value)?),
            other => return Err(bad(other, "not supported here")),
        };
        out.retain(|e: &OwnedExtension| e.oid != oid);
        out.push(OwnedExtension { oid, critical, value });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::Extensions;
    use crate::x509::extensions::Extension;

    #[test]
    fn section_values_decode_back() {
        let spki = crate::asn1::spki::SubjectPublicKeyInfo {
            algorithm: crate::asn1::oid::ED25519,
            parameters: None,
            public_key: &[7; 32],
        }
        .to_der();
        let keys = KeyContext { subject_spki: &spki, issuer_spki: &spki, issuer_key_id: None };
        let section = [
            ("basicConstraints", "critical, CA:TRUE, pathlen:0"),
            ("keyUsage", "critical,digitalSignature, keyCertSign,cRLSign"),
            ("extendedKeyUsage", "serverAuth,OCSPSigning"),
            ("subjectKeyIdentifier", "hash"),
            ("authorityKeyIdentifier", "keyid:always,issuer"),
            ("subjectAltName", "DNS:a.example, IP:127.0.0.1, IP:::1, email:x@y.example, URI:http://u/"),
            ("authorityInfoAccess", "OCSP;URI:http://127.0.0.1:8888/"),
            ("crlDistributionPoints", "URI:http://crl.example/ca.crl"),
        ];
        let exts = from_section(&section, &keys).unwrap();
        assert_eq!(exts.len(), 8);
        let list: Vec<Extension<'_>> =
            exts.iter().map(|e| Extension { oid: e.oid, critical: e.critical, value: &e.value }).collect();
        let parsed = Extensions::from_list(list).unwrap();
        let bc = parsed.basic_constraints.unwrap();
        assert!(bc.ca && bc.path_len == Some(0));
        assert!(parsed.key_usage.unwrap().has(KeyUsage::CRL_SIGN));
        assert_eq!(parsed.subject_alt_names.as_ref().unwrap().len(), 5);
        assert!(exts[0].critical && !exts[2].critical);
        assert_eq!(parsed.subject_key_id.map(<[u8]>::to_vec), Some(key_identifier(&spki).unwrap()));
    }

    #[test]
    fn unsupported_values_are_refused() {
        let keys = KeyContext { subject_spki: &[], issuer_spki: &[], issuer_key_id: Some(&[1]) };
        for (name, value) in [
            ("nsComment", "x"),
            ("keyUsage", "flying"),
            ("extendedKeyUsage", "1.2.3"),
            ("subjectAltName", "otherName:x"),
            ("authorityKeyIdentifier", "issuer:always"),
            ("basicConstraints", "CA:TRUE, pathlen:x"),
            ("authorityInfoAccess", "OCSP;DNS:a, x"),
        ] {
            assert!(from_section(&[(name, value)], &keys).is_err(), "{name} = {value}");
        }
    }
}
