//! `purecrypto asn1parse -in FILE [-inform PEM|DER] [-i] [-offset N]
//! [-length N] [-strparse N]...`: a DER dump in `openssl asn1parse`'s
//! layout, one line per value: offset, depth, header length, length,
//! `cons:` / `prim:`, the tag name, and for the common primitive types the
//! value (OIDs by OpenSSL's name, INTEGERs in hex, strings as text,
//! OCTET STRINGs as text when printable else `[HEX DUMP]:`).
//!
//! Entry point: [`run`]. Differences from OpenSSL: the input must be
//! strict DER (OpenSSL also walks BER: indefinite lengths, non-minimal
//! lengths), multi-byte tag numbers are refused, and OIDs outside the
//! [`NAMES`] table print in dotted form where OpenSSL may know a name.

use std::io::Write as _;
use std::string::String;
use std::vec::Vec;

use super::{CliError, Io, read_input, value};
use crate::asn1::der::Reader;
use crate::asn1::{oid, pem};

/// Deeper nesting than any real structure; bounds the recursion.
const MAX_DEPTH: usize = 64;

/// OpenSSL's names for the OIDs it prints by name (its long names, as
/// `openssl asn1parse` 3.0 prints them).
const NAMES: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.1", "rsaEncryption"),
    ("1.2.840.113549.1.1.5", "sha1WithRSAEncryption"),
    ("1.2.840.113549.1.1.7", "rsaesOaep"),
    ("1.2.840.113549.1.1.8", "mgf1"),
    ("1.2.840.113549.1.1.10", "rsassaPss"),
    ("1.2.840.113549.1.1.11", "sha256WithRSAEncryption"),
    ("1.2.840.113549.1.1.12", "sha384WithRSAEncryption"),
    ("1.2.840.113549.1.1.13", "sha512WithRSAEncryption"),
    ("1.2.840.113549.1.1.14", "sha224WithRSAEncryption"),
    ("1.2.840.10045.2.1", "id-ecPublicKey"),
    ("1.2.840.10045.3.1.7", "prime256v1"),
    ("1.3.132.0.34", "secp384r1"),
    ("1.3.132.0.35", "secp521r1"),
    ("1.3.132.0.10", "secp256k1"),
    ("1.2.840.10045.4.1", "ecdsa-with-SHA1"),
    ("1.2.840.10045.4.3.2", "ecdsa-with-SHA256"),
    ("1.2.840.10045.4.3.3", "ecdsa-with-SHA384"),
    ("1.2.840.10045.4.3.4", "ecdsa-with-SHA512"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.3.101.112", "ED25519"),
    ("1.3.101.113", "ED448"),
    ("1.3.14.3.2.26", "sha1"),
    ("2.16.840.1.101.3.4.2.1", "sha256"),
    ("2.16.840.1.101.3.4.2.2", "sha384"),
    ("2.16.840.1.101.3.4.2.3", "sha512"),
    ("2.16.840.1.101.3.4.2.4", "sha224"),
    ("2.16.840.1.101.3.4.2.8", "sha3-256"),
    ("2.16.840.1.101.3.4.2.10", "sha3-512"),
    ("1.2.840.113549.1.5.12", "PBKDF2"),
    ("1.2.840.113549.1.5.13", "PBES2"),
    ("1.2.840.113549.1.5.14", "PBMAC1"),
    ("1.2.840.113549.2.7", "hmacWithSHA1"),
    ("1.2.840.113549.2.8", "hmacWithSHA224"),
    ("1.2.840.113549.2.9", "hmacWithSHA256"),
    ("1.2.840.113549.2.10", "hmacWithSHA384"),
    ("1.2.840.113549.2.11", "hmacWithSHA512"),
    ("2.16.840.1.101.3.4.1.2", "aes-128-cbc"),
    ("2.16.840.1.101.3.4.1.22", "aes-192-cbc"),
    ("2.16.840.1.101.3.4.1.42", "aes-256-cbc"),
    ("1.3.6.1.4.1.11591.4.11", "scrypt"),
    ("1.2.840.113549.1.7.1", "pkcs7-data"),
    ("1.2.840.113549.1.7.2", "pkcs7-signedData"),
    ("1.2.840.113549.1.7.3", "pkcs7-envelopedData"),
    ("1.2.840.113549.1.7.6", "pkcs7-encryptedData"),
    ("1.2.840.113549.1.9.1", "emailAddress"),
    ("1.2.840.113549.1.9.14", "Extension Request"),
    ("1.2.840.113549.1.9.20", "friendlyName"),
    ("1.2.840.113549.1.9.21", "localKeyID"),
    ("1.2.840.113549.1.9.22.1", "x509Certificate"),
    ("1.2.840.113549.1.12.10.1.1", "keyBag"),
    ("1.2.840.113549.1.12.10.1.2", "pkcs8ShroudedKeyBag"),
    ("1.2.840.113549.1.12.10.1.3", "certBag"),
    ("1.2.840.113549.1.12.10.1.5", "secretBag"),
    ("1.2.840.113549.1.12.10.1.6", "safeContentsBag"),
    ("1.2.840.113549.1.12.1.1", "pbeWithSHA1And128BitRC4"),
    ("1.2.840.113549.1.12.1.2", "pbeWithSHA1And40BitRC4"),
    ("1.2.840.113549.1.12.1.3", "pbeWithSHA1And3-KeyTripleDES-CBC"),
    ("1.2.840.113549.1.12.1.4", "pbeWithSHA1And2-KeyTripleDES-CBC"),
    ("1.2.840.113549.1.12.1.5", "pbeWithSHA1And128BitRC2-CBC"),
    ("1.2.840.113549.1.12.1.6", "pbeWithSHA1And40BitRC2-CBC"),
    ("2.5.4.3", "commonName"),
    ("2.5.4.5", "serialNumber"),
    ("2.5.4.6", "countryName"),
    ("2.5.4.7", "localityName"),
    ("2.5.4.8", "stateOrProvinceName"),
    ("2.5.4.10", "organizationName"),
    ("2.5.4.11", "organizationalUnitName"),
    ("2.5.29.14", "X509v3 Subject Key Identifier"),
    ("2.5.29.15", "X509v3 Key Usage"),
    ("2.5.29.17", "X509v3 Subject Alternative Name"),
    ("2.5.29.19", "X509v3 Basic Constraints"),
    ("2.5.29.31", "X509v3 CRL Distribution Points"),
    ("2.5.29.32", "X509v3 Certificate Policies"),
    ("2.5.29.35", "X509v3 Authority Key Identifier"),
    ("2.5.29.37", "X509v3 Extended Key Usage"),
    ("1.3.6.1.5.5.7.1.1", "Authority Information Access"),
    ("1.3.6.1.5.5.7.3.1", "TLS Web Server Authentication"),
    ("1.3.6.1.5.5.7.3.2", "TLS Web Client Authentication"),
    ("1.3.6.1.5.5.7.48.1", "OCSP"),
    ("1.3.6.1.5.5.7.48.2", "CA Issuers"),
];

/// ASN.1 universal tag names as OpenSSL spells them, by tag number.
const UNIVERSAL: [&str; 31] = [
    "EOC",
    "BOOLEAN",
    "INTEGER",
    "BIT STRING",
    "OCTET STRING",
    "NULL",
    "OBJECT",
    "OBJECT DESCRIPTOR",
    "EXTERNAL",
    "REAL",
    "ENUMERATED",
    "<ASN1 11>",
    "UTF8STRING",
    "RELATIVE OID",
    "<ASN1 14>",
    "<ASN1 15>",
    "SEQUENCE",
    "SET",
    "NUMERICSTRING",
    "PRINTABLESTRING",
    "T61STRING",
    "VIDEOTEXSTRING",
    "IA5STRING",
    "UTCTIME",
    "GENERALIZEDTIME",
    "GRAPHICSTRING",
    "VISIBLESTRING",
    "GENERALSTRING",
    "UNIVERSALSTRING",
    "<ASN1 29>",
    "BMPSTRING",
];

struct Options {
    input: Option<String>,
    pem: bool,
    indent: bool,
    offset: usize,
    length: Option<usize>,
    strparse: Vec<usize>,
}

fn number(args: &[String], i: &mut usize, opt: &str) -> Result<usize, CliError> {
    value(args, i, opt)?.parse().map_err(|_| CliError::usage(std::format!("bad number for {opt}")))
}

fn parse_args(args: &[String]) -> Result<Options, CliError> {
    let mut o = Options { input: None, pem: true, indent: false, offset: 0, length: None, strparse: Vec::new() };
    let mut i = 0;
    while let Some(arg) = args.get(i) {
        match arg.as_str() {
            "-in" => o.input = Some(value(args, &mut i, "-in")?.into()),
            "-inform" => {
                o.pem = match value(args, &mut i, "-inform")?.to_ascii_uppercase().as_str() {
                    "PEM" => true,
                    "DER" => false,
                    other => return Err(CliError::usage(std::format!("unknown -inform {other}"))),
                }
            }
            "-i" => o.indent = true,
            "-offset" => o.offset = number(args, &mut i, "-offset")?,
            "-length" => o.length = Some(number(args, &mut i, "-length")?),
            "-strparse" => o.strparse.push(number(args, &mut i, "-strparse")?),
            other => return Err(CliError::usage(std::format!("unknown option {other}"))),
        }
        i += 1;
    }
    Ok(o)
}

/// `asn1parse ...`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let options = parse_args(args)?;
    let raw = read_input(options.input.as_deref(), io)?;
    let der = if options.pem { pem::decode(&raw)?.contents.to_vec() } else { raw };
    let mut data: &[u8] = &der;
    for &at in &options.strparse {
        data = string_contents(data, at)?;
    }
    let rest = data.get(options.offset..).filter(|r| !r.is_empty() || options.offset == 0);
    let rest = rest.ok_or_else(|| CliError::usage("-offset beyond the end of the input"))?;
    let length = options.length.filter(|&l| l != 0 && l <= rest.len()).unwrap_or(rest.len());
    let data = rest.get(..length).unwrap_or(rest);

    let mut out = Vec::new();
    let result = walk(&mut out, data, 0, 0, options.indent);
    io.stdout.write_all(&out).map_err(CliError::io("stdout"))?;
    match result {
        Ok(()) => Ok(0),
        Err(e) => {
            let _ = writeln!(io.stderr, "Error in encoding: {e}");
            Ok(1)
        }
    }
}

/// The contents of the OCTET STRING or BIT STRING (without its
/// unused-bits byte) whose header starts at `at`.
fn string_contents(data: &[u8], at: usize) -> Result<&[u8], CliError> {
    let tail = data.get(at..).ok_or_else(|| CliError::usage("-strparse offset beyond the input"))?;
    let (tag, contents) = Reader::new(tail).any()?;
    match tag {
        0x04 => Ok(contents),
        0x03 => Ok(contents.get(1..).unwrap_or_default()),
        _ => Err(CliError::usage(std::format!("-strparse {at}: not an OCTET STRING or BIT STRING"))),
    }
}

/// Prints every value in `data`, whose first byte is at `base` in the
/// parsed buffer, at `depth`.
fn walk(out: &mut Vec<u8>, data: &[u8], base: usize, depth: usize, indent: bool) -> Result<(), crate::Error> {
    if depth > MAX_DEPTH {
        return Err(crate::Error::Malformed { what: "DER", reason: "nested too deeply" });
    }
    let mut reader = Reader::new(data);
    while !reader.is_empty() {
        let offset = base + (data.len() - reader.remaining().len());
        let whole = reader.any_raw()?;
        let (tag, contents) = Reader::new(whole).any()?;
        let header_len = whole.len() - contents.len();
        let constructed = tag & 0x20 != 0;
        let _ = write!(
            out,
            "{offset:5}:d={depth:<2} hl={header_len} l={:4} {}",
            contents.len(),
            if constructed { "cons: " } else { "prim: " }
        );
        if indent {
            out.extend(core::iter::repeat_n(b' ', depth));
        }
        let _ = write!(out, "{:<18}", tag_name(tag));
        if !constructed && tag & 0xc0 == 0 {
            primitive_value(out, tag, contents);
        }
        out.push(b'\n');
        if constructed {
            walk(out, contents, offset + header_len, depth + 1, indent)?;
        }
    }
    Ok(())
}

fn tag_name(tag: u8) -> String {
    let number = tag & 0x1f;
    match tag & 0xc0 {
        0x80 => std::format!("cont [ {number} ]"),
        0x40 => std::format!("appl [ {number} ]"),
        0xc0 => std::format!("priv [ {number} ]"),
        _ => UNIVERSAL.get(usize::from(number)).map_or_else(|| std::format!("<ASN1 {number}>"), |s| (*s).into()),
    }
}

/// OpenSSL's rendering of a primitive universal value, after the name.
fn primitive_value(out: &mut Vec<u8>, tag: u8, contents: &[u8]) {
    match tag {
        0x01 => match contents {
            [b] => {
                let _ = write!(out, ":{b}");
            }
            _ => out.extend_from_slice(b":BAD BOOLEAN"),
        },
        0x02 | 0x0a => integer(out, contents),
        0x04 if !contents.is_empty() => {
            let printable = contents.iter().all(|&b| (b' '..=b'~').contains(&b) || matches!(b, b'\n' | b'\r' | b'\t'));
            if printable {
                out.push(b':');
                out.extend_from_slice(contents);
            } else {
                out.extend_from_slice(b"[HEX DUMP]:");
                for b in contents {
                    let _ = write!(out, "{b:02X}");
                }
            }
        }
        0x06 => {
            if oid::validate(contents).is_err() {
                out.extend_from_slice(b":BAD OBJECT");
                return;
            }
            let dotted = oid::to_dotted(contents);
            let name = NAMES.iter().find(|(d, _)| *d == dotted).map_or(dotted.as_str(), |(_, n)| n);
            let _ = write!(out, ":{name}");
        }
        // NUMERIC, PRINTABLE, T61, IA5, VISIBLE, UTF8 strings and times.
        0x0c | 0x12 | 0x13 | 0x14 | 0x16 | 0x17 | 0x18 | 0x1a if !contents.is_empty() => {
            out.push(b':');
            out.extend_from_slice(contents);
        }
        _ => {}
    }
}

/// `:` then the magnitude in upper-case hex, `-` first when negative.
fn integer(out: &mut Vec<u8>, contents: &[u8]) {
    let Some(&first) = contents.first() else {
        out.extend_from_slice(b"BAD INTEGER");
        return;
    };
    out.push(b':');
    let mut magnitude = contents.to_vec();
    if first & 0x80 != 0 {
        out.push(b'-');
        // Two's complement negation, from the least significant byte.
        let mut carry = true;
        for b in magnitude.iter_mut().rev() {
            let (v, c) = (!*b).overflowing_add(u8::from(carry));
            *b = v;
            carry = c;
        }
    }
    let start = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len().saturating_sub(1));
    for b in magnitude.get(start..).unwrap_or_default() {
        let _ = write!(out, "{b:02X}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dump(der: &[u8]) -> String {
        let mut out = Vec::new();
        walk(&mut out, der, 0, 0, true).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn integers_and_booleans_print_as_openssl_does() {
        let text = dump(&hex_literal::hex!("300f 0101ff 010100 020100 0201ff 020180"));
        let values: Vec<&str> = text.lines().skip(1).map(|l| l.rsplit_once(' ').unwrap().1).collect();
        assert_eq!(values, [":255", ":0", ":00", ":-01", ":-80"]);
        assert!(text.starts_with("    0:d=0  hl=2 l=  15 cons: SEQUENCE          \n"));
    }

    #[test]
    fn names_and_strings() {
        let text = dump(&hex_literal::hex!("3013 06092a864886f70d01050d 0c01 74 0403 616263"));
        assert!(text.contains("prim:  OBJECT            :PBES2\n"), "{text}");
        assert!(text.contains("prim:  UTF8STRING        :t\n"), "{text}");
        assert!(text.contains("prim:  OCTET STRING      :abc\n"), "{text}");
        let text = dump(&hex_literal::hex!("0403 00ff10 06032a0304 a000"));
        assert!(text.contains("[HEX DUMP]:00FF10"));
        assert!(text.contains(":1.2.3.4"));
        assert!(text.contains("cons: cont [ 0 ]"));
    }

    #[test]
    fn bad_input_is_an_error_not_a_panic() {
        let mut out = Vec::new();
        assert!(walk(&mut out, &[0x30, 0x05, 0x02], 0, 0, false).is_err());
        assert!(walk(&mut out, &[0x30, 0x80, 0x00, 0x00], 0, 0, false).is_err());
        let mut deep = std::vec![0x30, 0x00];
        for _ in 0..MAX_DEPTH + 2 {
            let mut w = crate::asn1::der::Writer::new();
            w.tlv(0x30, &deep);
            deep = w.finish();
        }
        assert!(walk(&mut out, &deep, 0, 0, false).is_err());
    }
}
