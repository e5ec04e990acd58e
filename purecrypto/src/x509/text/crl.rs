//! A CRL in the layout of `openssl crl -text -noout` (OpenSSL 3.0).

use alloc::format;
use alloc::string::String;
use core::fmt::Write;

use super::{extension_name, hex_lines};
use crate::x509::crl::{Crl, RevocationReason};
use crate::x509::oids;
use crate::x509::time::openssl_display;

/// The reason names OpenSSL's `crl -text` prints.
fn reason_text(reason: RevocationReason) -> &'static str {
    match reason {
        RevocationReason::Unspecified => "Unspecified",
        RevocationReason::KeyCompromise => "Key Compromise",
        RevocationReason::CaCompromise => "CA Compromise",
        RevocationReason::AffiliationChanged => "Affiliation Changed",
        RevocationReason::Superseded => "Superseded",
        RevocationReason::CessationOfOperation => "Cessation Of Operation",
        RevocationReason::CertificateHold => "Certificate Hold",
        RevocationReason::RemoveFromCrl => "Remove From CRL",
        RevocationReason::PrivilegeWithdrawn => "Privilege Withdrawn",
        RevocationReason::AaCompromise => "AA Compromise",
    }
}

/// An `INTEGER`'s contents as OpenSSL's `i2a_ASN1_INTEGER` writes them:
/// upper-case hex of the magnitude (`-` for negatives is not needed for
/// serials and CRL numbers, which RFC 5280 makes positive).
#[must_use]
pub fn integer_hex(contents: &[u8]) -> String {
    let trimmed = match contents {
        [0, rest @ ..] if !rest.is_empty() => rest,
        other => other,
    };
    if trimmed.is_empty() {
        return String::from("00");
    }
    trimmed.iter().map(|b| format!("{b:02X}")).collect()
}

/// An `INTEGER`'s contents as `i2s_ASN1_INTEGER` writes them: decimal
/// below 2^128, else `0x` and hex.
fn integer_decimal(contents: &[u8]) -> String {
    let start = contents.iter().position(|&b| b != 0).unwrap_or(contents.len());
    let trimmed = contents.get(start..).unwrap_or_default();
    if trimmed.len() > 16 {
        return format!("0x{}", integer_hex(trimmed));
    }
    let value = trimmed.iter().fold(0u128, |acc, &b| acc << 8 | u128::from(b));
    format!("{value}")
}

/// The CRL Number extension's `INTEGER` contents.
pub(crate) fn crl_number<'a>(crl: &Crl<'a>) -> Option<&'a [u8]> {
    let e = crl.extensions.iter().find(|e| e.oid == oids::CRL_NUMBER)?;
    let mut r = crate::asn1::der::Reader::new(e.value);
    r.integer_bytes().ok()
}

/// The CRL in the layout of `openssl crl -text -noout`.
#[must_use]
pub fn crl_to_text(crl: &Crl<'_>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Certificate Revocation List (CRL):");
    let _ = writeln!(out, "        Version {} (0x{:x})", crl.version, crl.version - 1);
    let _ = writeln!(out, "        Signature Algorithm: {}", crl.signature_algorithm.openssl_name());
    let _ = writeln!(out, "        Issuer: {}", crl.issuer);
    let _ = writeln!(out, "        Last Update: {}", openssl_display(crl.this_update));
    match crl.next_update {
        Some(t) => writeln!(out, "        Next Update: {}", openssl_display(t)),
        None => writeln!(out, "        Next Update: NONE"),
    }
    .unwrap_or_default();
    if !crl.extensions.is_empty() {
        let _ = writeln!(out, "        CRL extensions:");
        for e in &crl.extensions {
            let _ =
                writeln!(out, "            {}: {}", extension_name(e.oid), if e.critical { "critical" } else { "" });
            let ind = "                ";
            match (e.oid, crl_number(crl)) {
                (oids::CRL_NUMBER, Some(n)) => {
                    let _ = writeln!(out, "{ind}{}", integer_decimal(n));
                }
                (oids::AUTHORITY_KEY_ID, _) => match authority_key_id(e.value) {
                    Some(id) => {
                        let _ = writeln!(out, "{ind}{}", super::colon_hex_upper(id));
                    }
                    None => hex_lines(&mut out, e.value, 16, ind, false),
                },
                _ => hex_lines(&mut out, e.value, 16, ind, false),
            }
        }
    }
    if crl.revoked.is_empty() {
        let _ = writeln!(out, "No Revoked Certificates.");
    } else {
        let _ = writeln!(out, "Revoked Certificates:");
    }
    for entry in &crl.revoked {
        let _ = writeln!(out, "    Serial Number: {}", integer_hex(entry.serial));
        let _ = writeln!(out, "        Revocation Date: {}", openssl_display(entry.revocation_date));
        if entry.extensions.is_empty() {
            continue;
        }
        let _ = writeln!(out, "        CRL entry extensions:");
        for e in &entry.extensions {
            let _ =
                writeln!(out, "            {}: {}", extension_name(e.oid), if e.critical { "critical" } else { "" });
            match (e.oid, entry.reason) {
                (oids::CRL_REASON, Some(reason)) => {
                    let _ = writeln!(out, "                {}", reason_text(reason));
                }
                _ => hex_lines(&mut out, e.value, 16, "                ", false),
            }
        }
    }
    let _ = writeln!(out, "    Signature Algorithm: {}", crl.signature_algorithm.openssl_name());
    let _ = writeln!(out, "    Signature Value:");
    hex_lines(&mut out, crl.signature, 18, "        ", false);
    out
}

/// The `keyIdentifier` of an `AuthorityKeyIdentifier` value.
fn authority_key_id(value: &[u8]) -> Option<&[u8]> {
    let mut r = crate::asn1::der::Reader::new(value);
    let mut seq = r.sequence().ok()?;
    match seq.optional_implicit(0) {
        Ok(Some(id)) => Some(id),
        _ => None,
    }
}
