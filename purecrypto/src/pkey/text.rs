//! `openssl pkey -text` layouts for the classical keys (OpenSSL 3.0's
//! printers): RSA components, EC `priv` / `pub` with the curve's names,
//! the RFC 8410 keys' `priv` / `pub`, each byte string as colon hex, 15
//! bytes a line, indented four spaces.
//!
//! Entry points: [`private_text`], [`public_text`]; both return `None`
//! for the post-quantum types, which the CLI prints its own way.

use alloc::string::String;
use core::fmt::Write;
use zeroize::Zeroizing;

use super::ec::EcCurve;
use super::{PrivateKey, PublicKey, RsassaPssParams};
use crate::hash::HashAlgorithm;
use crate::rsa::RsaPublicKey;

/// Colon hex, 15 bytes a line, no colon after the last byte.
fn hex_block(out: &mut String, bytes: &[u8]) {
    let lines = bytes.len().div_ceil(15);
    for (i, chunk) in bytes.chunks(15).enumerate() {
        out.push_str("    ");
        for (j, b) in chunk.iter().enumerate() {
            let _ = write!(out, "{b:02x}");
            if i + 1 < lines || j + 1 < chunk.len() {
                out.push(':');
            }
        }
        out.push('\n');
    }
}

/// A big number as OpenSSL prints it: a `00` in front when the top bit
/// is set, so the value reads as positive.
fn bignum(out: &mut String, label: &str, magnitude: &[u8]) {
    let _ = writeln!(out, "{label}:");
    let mut padded = Zeroizing::new(alloc::vec::Vec::with_capacity(magnitude.len() + 1));
    if magnitude.first().is_some_and(|b| b & 0x80 != 0) {
        padded.push(0);
    }
    padded.extend_from_slice(magnitude);
    hex_block(out, &padded);
}

fn exponent(out: &mut String, label: &str, key: &RsaPublicKey) {
    let e = key.e();
    let _ = writeln!(out, "{label}: {e} (0x{e:x})");
}

fn ec_footer(out: &mut String, curve: EcCurve) {
    let _ = writeln!(out, "ASN1 OID: {}", curve.asn1_name());
    if curve != EcCurve::Secp256k1 {
        let _ = writeln!(out, "NIST CURVE: {}", curve.name());
    }
}

fn raw_name(key: &PublicKey) -> Option<&'static str> {
    match key {
        PublicKey::Ed25519(_) => Some("ED25519"),
        PublicKey::Ed448(_) => Some("ED448"),
        PublicKey::X25519(_) => Some("X25519"),
        PublicKey::X448(_) => Some("X448"),
        _ => None,
    }
}

/// `pkey -text` of a private key (zeroized on drop: it holds secrets).
#[must_use]
pub fn private_text(key: &PrivateKey) -> Option<Zeroizing<String>> {
    let mut out = Zeroizing::new(String::new());
    let public = key.public_key();
    match key {
        PrivateKey::Rsa(k) | PrivateKey::RsaPss(k, _) => {
            let _ = writeln!(out, "Private-Key: ({} bit, 2 primes)", k.public_key().bits());
            bignum(&mut out, "modulus", &k.public_key().n_bytes());
            exponent(&mut out, "publicExponent", k.public_key());
            let parts = k.secret_components().map(Zeroizing::new);
            let names = ["privateExponent", "prime1", "prime2", "exponent1", "exponent2", "coefficient"];
            for (name, part) in names.iter().zip(parts.iter()) {
                bignum(&mut out, name, part);
            }
            if let PrivateKey::RsaPss(_, restrictions) = key {
                pss_restrictions(&mut out, restrictions.as_ref());
            }
        }
        PrivateKey::Ec(k) => {
            let _ = writeln!(out, "Private-Key: ({} bit)", k.curve().bits());
            out.push_str("priv:\n");
            hex_block(&mut out, &k.scalar_bytes());
            out.push_str("pub:\n");
            hex_block(&mut out, public.as_bytes());
            ec_footer(&mut out, k.curve());
        }
        _ => {
            let name = raw_name(&public)?;
            let secret = super::classical::private_octets(key)?;
            // The octets are `04 len raw`.
            let raw = secret.get(2..).unwrap_or_default();
            let _ = writeln!(out, "{name} Private-Key:");
            out.push_str("priv:\n");
            hex_block(&mut out, raw);
            out.push_str("pub:\n");
            hex_block(&mut out, public.as_bytes());
        }
    }
    Some(out)
}

/// `pkey -pubin -text` (or `-text -pubout`) of a public key.
#[must_use]
pub fn public_text(key: &PublicKey) -> Option<String> {
    let mut out = String::new();
    match key {
        PublicKey::Rsa(k) | PublicKey::RsaPss(k, _) => {
            let _ = writeln!(out, "Public-Key: ({} bit)", k.key().bits());
            bignum(&mut out, "Modulus", &k.key().n_bytes());
            exponent(&mut out, "Exponent", k.key());
            if let PublicKey::RsaPss(_, restrictions) = key {
                pss_restrictions(&mut out, restrictions.as_ref());
            }
        }
        PublicKey::Ec(k) => {
            let _ = writeln!(out, "Public-Key: ({} bit)", k.curve().bits());
            out.push_str("pub:\n");
            hex_block(&mut out, k.as_bytes());
            ec_footer(&mut out, k.curve());
        }
        _ => {
            let name = raw_name(key)?;
            let _ = writeln!(out, "{name} Public-Key:");
            out.push_str("pub:\n");
            hex_block(&mut out, key.as_bytes());
        }
    }
    Some(out)
}

/// The PSS restrictions block OpenSSL 3.0 prints after an RSA-PSS key.
fn pss_restrictions(out: &mut String, restrictions: Option<&RsassaPssParams>) {
    let Some(r) = restrictions else {
        out.push_str("No PSS parameter restrictions\n");
        return;
    };
    let default = RsassaPssParams::DEFAULT;
    let note = |is_default: bool| if is_default { " (default)" } else { "" };
    out.push_str("PSS parameter restrictions:\n");
    let _ = writeln!(out, "  Hash Algorithm: {}{}", openssl_digest_name(r.hash), note(r.hash == default.hash));
    let _ = writeln!(
        out,
        "  Mask Algorithm: MGF1 with {}{}",
        openssl_digest_name(r.mgf1_hash),
        note(r.mgf1_hash == default.mgf1_hash)
    );
    let _ = writeln!(out, "  Minimum Salt Length: {}{}", r.salt_len, note(r.salt_len == default.salt_len));
    out.push_str("  Trailer Field: 0x1 (default)\n");
}

/// OpenSSL 3.0's names for the hashes `RSASSA-PSS-params` can hold.
fn openssl_digest_name(hash: HashAlgorithm) -> &'static str {
    match hash {
        HashAlgorithm::Sha1 => "SHA1",
        HashAlgorithm::Sha224 => "SHA2-224",
        HashAlgorithm::Sha384 => "SHA2-384",
        HashAlgorithm::Sha512 => "SHA2-512",
        _ => "SHA2-256",
    }
}
