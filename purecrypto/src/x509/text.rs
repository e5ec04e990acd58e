//! A human-readable dump in the layout of `openssl x509 -text -noout`.
//!
//! Entry points: [`to_text`], [`crl_to_text`], [`request_to_text`]. The header, names, validity, public key
//! (RSA modulus/exponent, EC point and curve, EdDSA key), the common v3
//! extensions and the signature are printed as OpenSSL 3.0 prints them;
//! other extensions are shown as a hex dump of their value, where OpenSSL
//! would decode some of them (certificate policies, CRL distribution
//! points, AIA print in a simplified form).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt::Write;

use super::certificate::Certificate;
use super::extensions::{Extensions, KeyUsage};
use super::general_name::GeneralName;
use super::oids;
use super::time::openssl_display;
use crate::asn1::der::Reader;
use crate::asn1::oid;
use crate::asn1::spki::SubjectPublicKeyInfo;

mod crl;
mod request;
#[cfg(feature = "std")]
pub(crate) use crl::crl_number;
pub use crl::{crl_to_text, integer_hex};
pub use request::request_to_text;

/// `aa:bb:cc` lines of `per_line` bytes, each prefixed by `indent`.
fn hex_lines(out: &mut String, bytes: &[u8], per_line: usize, indent: &str, trailing_colon: bool) {
    let chunks: Vec<&[u8]> = bytes.chunks(per_line.max(1)).collect();
    for (i, chunk) in chunks.iter().enumerate() {
        let hex: Vec<String> = chunk.iter().map(|b| format!("{b:02x}")).collect();
        let more = i + 1 < chunks.len();
        let _ = writeln!(out, "{indent}{}{}", hex.join(":"), if more || trailing_colon { ":" } else { "" });
    }
}

fn colon_hex_upper(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

fn eku_name(o: &[u8]) -> String {
    match o {
        oids::EKU_SERVER_AUTH => "TLS Web Server Authentication".to_string(),
        oids::EKU_CLIENT_AUTH => "TLS Web Client Authentication".to_string(),
        oids::EKU_CODE_SIGNING => "Code Signing".to_string(),
        oids::EKU_EMAIL_PROTECTION => "E-mail Protection".to_string(),
        oids::EKU_TIME_STAMPING => "Time Stamping".to_string(),
        oids::EKU_OCSP_SIGNING => "OCSP Signing".to_string(),
        oids::EKU_ANY => "Any Extended Key Usage".to_string(),
        other => oid::to_dotted(other),
    }
}

fn names_line(names: &[GeneralName<'_>]) -> String {
    names.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ")
}

fn extension_name(o: &[u8]) -> String {
    let name = match o {
        oids::SUBJECT_KEY_ID => "X509v3 Subject Key Identifier",
        oids::AUTHORITY_KEY_ID => "X509v3 Authority Key Identifier",
        oids::BASIC_CONSTRAINTS => "X509v3 Basic Constraints",
        oids::KEY_USAGE => "X509v3 Key Usage",
        oids::EXT_KEY_USAGE => "X509v3 Extended Key Usage",
        oids::SUBJECT_ALT_NAME => "X509v3 Subject Alternative Name",
        oids::ISSUER_ALT_NAME => "X509v3 Issuer Alternative Name",
        oids::NAME_CONSTRAINTS => "X509v3 Name Constraints",
        oids::CRL_DISTRIBUTION_POINTS => "X509v3 CRL Distribution Points",
        oids::CERTIFICATE_POLICIES => "X509v3 Certificate Policies",
        oids::AUTHORITY_INFO_ACCESS => "Authority Information Access",
        oids::POLICY_CONSTRAINTS => "X509v3 Policy Constraints",
        oids::POLICY_MAPPINGS => "X509v3 Policy Mappings",
        oids::INHIBIT_ANY_POLICY => "X509v3 Inhibit Any Policy",
        oids::CRL_NUMBER => "X509v3 CRL Number",
        oids::CRL_REASON => "X509v3 CRL Reason Code",
        other => return oid::to_dotted(other),
    };
    name.to_string()
}

/// The public-key algorithm as OpenSSL names it (`i2a_ASN1_OBJECT`:
/// `rsaEncryption`, `id-ecPublicKey`, `ED25519`...; dotted for others).
#[must_use]
pub fn public_key_algorithm_name(spki: &SubjectPublicKeyInfo<'_>) -> String {
    match spki.algorithm {
        oid::RSA_ENCRYPTION => "rsaEncryption".to_string(),
        oid::EC_PUBLIC_KEY => "id-ecPublicKey".to_string(),
        oid::ED25519 => "ED25519".to_string(),
        oid::ED448 => "ED448".to_string(),
        oid::RSASSA_PSS => "rsassaPss".to_string(),
        other => oid::to_dotted(other),
    }
}

fn public_key(out: &mut String, spki: &SubjectPublicKeyInfo<'_>) {
    let ind = "                ";
    match spki.algorithm {
        oid::RSA_ENCRYPTION => {
            let _ = writeln!(out, "            Public Key Algorithm: rsaEncryption");
            let mut r = Reader::new(spki.public_key);
            let parsed = r.sequence().and_then(|mut s| Ok((s.unsigned_integer()?, s.unsigned_integer()?)));
            if let Ok((n, e)) = parsed {
                let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
                let _ = writeln!(out, "{ind}Public-Key: ({bits} bit)");
                let _ = writeln!(out, "{ind}Modulus:");
                let mut padded = Vec::with_capacity(n.len() + 1);
                if n.first().is_some_and(|b| b & 0x80 != 0) {
                    padded.push(0);
                }
                padded.extend_from_slice(n);
                hex_lines(out, &padded, 15, "                    ", false);
                let e_value = e.iter().fold(0u128, |acc, &b| acc << 8 | u128::from(b));
                let _ = writeln!(out, "{ind}Exponent: {e_value} (0x{e_value:x})");
            }
        }
        oid::EC_PUBLIC_KEY => {
            let _ = writeln!(out, "            Public Key Algorithm: id-ecPublicKey");
            let curve = spki.parameters.and_then(|p| Reader::new(p).oid().ok());
            let (bits, asn1, nist) = match curve {
                Some(oid::SECP256R1) => (256, "prime256v1", "P-256"),
                Some(oid::SECP384R1) => (384, "secp384r1", "P-384"),
                Some(oid::SECP521R1) => (521, "secp521r1", "P-521"),
                _ => (0, "unknown", ""),
            };
            let _ = writeln!(out, "{ind}Public-Key: ({bits} bit)");
            let _ = writeln!(out, "{ind}pub:");
            hex_lines(out, spki.public_key, 15, "                    ", false);
            let _ = writeln!(out, "{ind}ASN1 OID: {asn1}");
            if !nist.is_empty() {
                let _ = writeln!(out, "{ind}NIST CURVE: {nist}");
            }
        }
        oid::ED25519 | oid::ED448 => {
            let name = if spki.algorithm == oid::ED25519 { "ED25519" } else { "ED448" };
            let _ = writeln!(out, "            Public Key Algorithm: {name}");
            let _ = writeln!(out, "{ind}{name} Public-Key:");
            let _ = writeln!(out, "{ind}pub:");
            hex_lines(out, spki.public_key, 15, "                    ", false);
        }
        _ => {
            let _ = writeln!(out, "            Public Key Algorithm: {}", public_key_algorithm_name(spki));
            hex_lines(out, spki.public_key, 15, "                    ", false);
        }
    }
}

/// The decoded body of extension `o` (its DER `value`), each line
/// prefixed by `ind`; `ext` holds what the extensions decoded to.
fn extension_body(out: &mut String, ext: &Extensions<'_>, o: &[u8], value: &[u8], ind: &str) {
    match o {
        oids::SUBJECT_KEY_ID if ext.subject_key_id.is_some() => {
            let _ = writeln!(out, "{ind}{}", colon_hex_upper(ext.subject_key_id.unwrap_or_default()));
        }
        oids::AUTHORITY_KEY_ID => {
            if let Some(id) = ext.authority_key_id.as_ref().and_then(|a| a.key_id) {
                let _ = writeln!(out, "{ind}{}", colon_hex_upper(id));
            }
        }
        oids::BASIC_CONSTRAINTS => {
            if let Some(bc) = ext.basic_constraints {
                let ca = if bc.ca { "TRUE" } else { "FALSE" };
                match bc.path_len {
                    Some(n) => {
                        let _ = writeln!(out, "{ind}CA:{ca}, pathlen:{n}");
                    }
                    None => {
                        let _ = writeln!(out, "{ind}CA:{ca}");
                    }
                }
            }
        }
        oids::KEY_USAGE => {
            let ku = ext.key_usage.unwrap_or_default();
            let names: Vec<&str> =
                KeyUsage::NAMES.iter().enumerate().filter(|(i, _)| ku.has(1 << i)).map(|(_, n)| *n).collect();
            let _ = writeln!(out, "{ind}{}", names.join(", "));
        }
        oids::EXT_KEY_USAGE => {
            let names: Vec<String> = ext.ext_key_usage.iter().flatten().map(|o| eku_name(o)).collect();
            let _ = writeln!(out, "{ind}{}", names.join(", "));
        }
        oids::SUBJECT_ALT_NAME => {
            let _ = writeln!(out, "{ind}{}", names_line(ext.subject_alt_names.as_deref().unwrap_or_default()));
        }
        oids::ISSUER_ALT_NAME => {
            let _ = writeln!(out, "{ind}{}", names_line(ext.issuer_alt_names.as_deref().unwrap_or_default()));
        }
        oids::NAME_CONSTRAINTS => {
            if let Some(nc) = &ext.name_constraints {
                for (title, list) in [("Permitted", &nc.permitted), ("Excluded", &nc.excluded)] {
                    if list.is_empty() {
                        continue;
                    }
                    let _ = writeln!(out, "{ind}{title}:");
                    for subtree in list {
                        let _ = writeln!(out, "{ind}  {}", subtree.base);
                    }
                }
            }
        }
        oids::CRL_DISTRIBUTION_POINTS => {
            let _ = writeln!(out, "{ind}Full Name:");
            for n in ext.crl_distribution_points.iter().flatten() {
                let _ = writeln!(out, "{ind}  {n}");
            }
        }
        oids::CERTIFICATE_POLICIES => {
            for p in ext.policies.iter().flatten() {
                let _ = writeln!(out, "{ind}Policy: {}", oid::to_dotted(p));
            }
        }
        oids::AUTHORITY_INFO_ACCESS => {
            for (method, location) in ext.authority_info_access.iter().flatten() {
                let m = match *method {
                    oids::AD_OCSP => "OCSP".to_string(),
                    oids::AD_CA_ISSUERS => "CA Issuers".to_string(),
                    other => oid::to_dotted(other),
                };
                let _ = writeln!(out, "{ind}{m} - {location}");
            }
        }
        _ => hex_lines(out, value, 16, ind, false),
    }
}

/// Whether [`extension_body`] decodes extension `o` (else it dumps hex).
fn decoded_extension(o: &[u8]) -> bool {
    matches!(
        o,
        oids::SUBJECT_KEY_ID
            | oids::AUTHORITY_KEY_ID
            | oids::BASIC_CONSTRAINTS
            | oids::KEY_USAGE
            | oids::EXT_KEY_USAGE
            | oids::SUBJECT_ALT_NAME
            | oids::ISSUER_ALT_NAME
            | oids::NAME_CONSTRAINTS
            | oids::CRL_DISTRIBUTION_POINTS
            | oids::CERTIFICATE_POLICIES
            | oids::AUTHORITY_INFO_ACCESS
    )
}

/// Each v3 extension of `cert` as OpenSSL names it and prints it at
/// indent 0 (`X509V3_EXT_print`): one line, or several joined by `\n`
/// (CRL distribution points, name constraints, several policies), with no
/// final newline. The extensions this module does not decode come as
/// their raw value bytes, each non-printable byte as `.`
/// (`ASN1_STRING_print`), which is what curl's certificate info shows
/// for the extensions OpenSSL has no printer for (OpenSSL has printers
/// for a few more, such as certificate transparency SCT lists).
#[must_use]
pub fn extension_fields(cert: &Certificate<'_>) -> Vec<(String, String)> {
    let ext = &cert.extensions;
    ext.list
        .iter()
        .map(|e| {
            let value = if decoded_extension(e.oid) {
                let mut body = String::new();
                extension_body(&mut body, ext, e.oid, e.value, "");
                body.trim_end_matches('\n').to_string()
            } else {
                e.value
                    .iter()
                    .map(|&b| if b > b'~' || (b < b' ' && b != b'\n' && b != b'\r') { '.' } else { char::from(b) })
                    .collect()
            };
            (extension_name(e.oid), value)
        })
        .collect()
}

/// The certificate in the layout of `openssl x509 -text -noout`.
#[must_use]
pub fn to_text(cert: &Certificate<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Certificate:\n    Data:");
    let _ = writeln!(out, "        Version: {} (0x{:x})", cert.version, cert.version - 1);
    if cert.serial.len() <= 8 && cert.serial.first().is_none_or(|b| b & 0x80 == 0) {
        let v = cert.serial.iter().fold(0u64, |acc, &b| acc << 8 | u64::from(b));
        let _ = writeln!(out, "        Serial Number: {v} (0x{v:x})");
    } else {
        let _ = writeln!(out, "        Serial Number:");
        let hex: Vec<String> = cert.serial.iter().map(|b| format!("{b:02x}")).collect();
        let _ = writeln!(out, "            {}", hex.join(":"));
    }
    let _ = writeln!(out, "        Signature Algorithm: {}", cert.signature_algorithm.openssl_name());
    let _ = writeln!(out, "        Issuer: {}", cert.issuer);
    let _ = writeln!(out, "        Validity");
    let _ = writeln!(out, "            Not Before: {}", openssl_display(cert.not_before));
    let _ = writeln!(out, "            Not After : {}", openssl_display(cert.not_after));
    let _ = writeln!(out, "        Subject: {}", cert.subject);
    let _ = writeln!(out, "        Subject Public Key Info:");
    public_key(&mut out, &cert.public_key_info());
    if !cert.extensions.list.is_empty() {
        let _ = writeln!(out, "        X509v3 extensions:");
        for e in &cert.extensions.list {
            let _ =
                writeln!(out, "            {}: {}", extension_name(e.oid), if e.critical { "critical" } else { "" });
            extension_body(&mut out, &cert.extensions, e.oid, e.value, "                ");
        }
    }
    let _ = writeln!(out, "    Signature Algorithm: {}", cert.signature_algorithm.openssl_name());
    let _ = writeln!(out, "    Signature Value:");
    hex_lines(&mut out, cert.signature, 18, "        ", false);
    out
}
