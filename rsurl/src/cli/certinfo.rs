//! `%{certs}`: the server's certificates the way curl built on OpenSSL
//! lists them (its `CURLINFO_CERTINFO`): for each certificate, leaf
//! first, `Name:value` lines (subject, issuer, version, serial, the two
//! algorithms, each v3 extension as OpenSSL prints it on one line, the
//! validity, for RSA keys the modulus and exponent, the signature) and
//! then the certificate in PEM.
//!
//! Entry point: [`certs_text`]. The field printers are purecrypto's
//! OpenSSL-compatible ones (`x509::text`), so a certificate reads the same
//! here as in `openssl x509 -text`.

use std::fmt::Write;

use purecrypto::asn1::der::Reader;
use purecrypto::asn1::oid;
use purecrypto::x509::{Certificate, text, time::openssl_display};

/// Every certificate of `chain` (DER) in turn; a certificate that does not
/// parse is shown by its PEM alone.
pub(crate) fn certs_text(chain: &[Vec<u8>]) -> String {
    chain.iter().map(|der| one(der)).collect()
}

/// Hex digits of a big-endian magnitude as OpenSSL's `BN_print` writes
/// them: upper case, no leading zeros, `0` for zero.
fn bn_hex(magnitude: &[u8]) -> String {
    let hex: String = magnitude.iter().map(|b| format!("{b:02X}")).collect();
    let digits = hex.trim_start_matches('0');
    if digits.is_empty() { "0".to_owned() } else { digits.to_owned() }
}

/// The RSA public key lines (`RSA Public Key:` bits, `rsa(n):`, `rsa(e):`)
/// for an `rsaEncryption` key; nothing for other keys, as curl.
fn rsa_lines(out: &mut String, cert: &Certificate<'_>) {
    let spki = cert.public_key_info();
    if spki.algorithm != oid::RSA_ENCRYPTION {
        return;
    }
    let mut r = Reader::new(spki.public_key);
    let Ok((n, e)) = r.sequence().and_then(|mut s| Ok((s.unsigned_integer()?, s.unsigned_integer()?))) else {
        return;
    };
    let bits = n.len() * 8 - n.first().map_or(8, |b| b.leading_zeros() as usize);
    let _ = writeln!(out, "RSA Public Key:{bits}");
    let _ = writeln!(out, "rsa(n):{}", bn_hex(n));
    let _ = writeln!(out, "rsa(e):{}", bn_hex(e));
}

fn one(der: &[u8]) -> String {
    let pem = purecrypto::asn1::pem::encode("CERTIFICATE", der);
    let Ok(cert) = Certificate::from_der(der) else { return pem };
    let mut out = String::new();
    let _ = writeln!(out, "Subject:{}", cert.subject);
    let _ = writeln!(out, "Issuer:{}", cert.issuer);
    let _ = writeln!(out, "Version:{}", cert.version.saturating_sub(1));
    let serial: String = cert.serial.iter().map(|b| format!("{b:02x}")).collect();
    let _ = writeln!(out, "Serial Number:{serial}");
    let _ = writeln!(out, "Signature Algorithm:{}", cert.signature_algorithm.openssl_name());
    let _ = writeln!(out, "Public Key Algorithm:{}", text::public_key_algorithm_name(&cert.public_key_info()));
    for (name, value) in text::extension_fields(&cert) {
        let _ = writeln!(out, "{name}:{value}");
    }
    let _ = writeln!(out, "Start date:{}", openssl_display(cert.not_before));
    let _ = writeln!(out, "Expire date:{}", openssl_display(cert.not_after));
    rsa_lines(&mut out, &cert);
    let signature: String = cert.signature.iter().map(|b| format!("{b:02x}:")).collect();
    let _ = writeln!(out, "Signature:{signature}");
    out.push_str(&pem);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bignum_hex_as_openssl_prints_it() {
        assert_eq!(bn_hex(&[0x01, 0x00, 0x01]), "10001");
        assert_eq!(bn_hex(&[0x00, 0xc4, 0x18]), "C418");
        assert_eq!(bn_hex(&[]), "0");
    }

    #[test]
    fn unparsable_certificate_is_its_pem_alone() {
        assert_eq!(certs_text(&[vec![1, 2, 3]]), "-----BEGIN CERTIFICATE-----\nAQID\n-----END CERTIFICATE-----\n");
    }
}
