//! `purecrypto crl`: display, convert and check a certificate revocation
//! list, with `openssl crl`'s options and output.
//!
//! `crl [-in F] [-inform PEM|DER] [-out F] [-outform PEM|DER] [-noout]
//! [-text] [-issuer] [-hash] [-lastupdate] [-nextupdate] [-crlnumber]
//! [-fingerprint] [-sha1|-sha256|-sha384|-sha512] [-CAfile F] [-verify]`:
//! the field prints come on standard output in the order the options are
//! given; the `-text` dump, then the CRL unless `-noout`, go to `-out`. With `-CAfile` the signature is checked against the
//! issuer found there ("verify OK" on stderr, as OpenSSL prints it) and a
//! bad or unverifiable signature ends with status 1.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use super::x509::{certs_from_file, fingerprint_line, one_der, write_out};
use super::{CliError, Io, read_input, value};
use crate::asn1::pem;
use crate::hash::HashAlgorithm;
use crate::x509::text::{crl_number, crl_to_text, integer_hex};
use crate::x509::time::openssl_display;
use crate::x509::{Certificate, Crl};

const LABEL: &str = "X509 CRL";

/// The CRL's issuer certificate among `candidates`: same subject, and a
/// key that verifies the CRL's signature.
fn check_signature(crl: &Crl<'_>, candidates: &[Vec<u8>]) -> Result<(), &'static str> {
    let mut issuer_seen = false;
    for der in candidates {
        let Ok(cert) = Certificate::from_der(der) else { continue };
        if cert.subject.der != crl.issuer.der {
            continue;
        }
        issuer_seen = true;
        if crl.verify_signed_by(cert.spki).is_ok() {
            return Ok(());
        }
    }
    Err(if issuer_seen { "verify failure" } else { "Error getting CRL issuer certificate" })
}

/// `purecrypto crl`.
pub(crate) fn run_crl(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let (mut input, mut output, mut ca_file) = (None, None, None);
    let (mut der_in, mut der_out, mut noout) = (false, false, false);
    let mut fingerprint_hash = HashAlgorithm::Sha1;
    let (mut prints, mut text) = (Vec::new(), false);
    let mut i = 0;
    while i < args.len() {
        match args.get(i).map(String::as_str).unwrap_or_default() {
            "-in" => input = Some(value(args, &mut i, "-in")?),
            "-out" => output = Some(value(args, &mut i, "-out")?),
            "-inform" => der_in = value(args, &mut i, "-inform")?.eq_ignore_ascii_case("DER"),
            "-outform" => der_out = value(args, &mut i, "-outform")?.eq_ignore_ascii_case("DER"),
            "-CAfile" => ca_file = Some(value(args, &mut i, "-CAfile")?),
            // Implied by -CAfile, as in OpenSSL 3.
            "-verify" => {}
            "-noout" => noout = true,
            "-sha1" => fingerprint_hash = HashAlgorithm::Sha1,
            "-sha256" => fingerprint_hash = HashAlgorithm::Sha256,
            "-sha384" => fingerprint_hash = HashAlgorithm::Sha384,
            "-sha512" => fingerprint_hash = HashAlgorithm::Sha512,
            "-text" => text = true,
            p @ ("-issuer" | "-hash" | "-lastupdate" | "-nextupdate" | "-crlnumber" | "-fingerprint") => {
                prints.push(p);
            }
            other => return Err(CliError::usage(format!("crl: unknown option {other}"))),
        }
        i += 1;
    }
    let bytes = read_input(input, io)?;
    let der = if der_in { bytes } else { one_der(&bytes, LABEL)? };
    let crl = Crl::from_der(&der)?;
    if let Some(path) = ca_file {
        let candidates = certs_from_file(path, io)?;
        match check_signature(&crl, &candidates) {
            Ok(()) => {
                let _ = io.stderr.write_all(b"verify OK\n");
            }
            Err(message) => {
                let _ = io.stderr.write_all(format!("{message}\n").as_bytes());
                return Ok(1);
            }
        }
    }
    let mut out = String::new();
    for p in prints {
        match p {
            "-issuer" => out.push_str(&format!("issuer={}\n", crl.issuer)),
            "-hash" => out.push_str(&format!("issuer name hash={:08x}\n", crl.issuer.openssl_hash())),
            "-lastupdate" => out.push_str(&format!("lastUpdate={}\n", openssl_display(crl.this_update))),
            "-nextupdate" => match crl.next_update {
                Some(t) => out.push_str(&format!("nextUpdate={}\n", openssl_display(t))),
                None => out.push_str("nextUpdate=NONE\n"),
            },
            "-crlnumber" => match crl_number(&crl) {
                Some(n) => out.push_str(&format!("crlNumber=0x{}\n", integer_hex(n))),
                None => out.push_str("crlNumber=<NONE>\n"),
            },
            "-fingerprint" => out.push_str(&fingerprint_line(fingerprint_hash, &der)),
            _ => {}
        }
    }
    write_out(io, &out)?;
    let mut body = if text { crl_to_text(&crl).into_bytes() } else { Vec::new() };
    match (noout, der_out) {
        (true, _) => {}
        (false, true) => body.extend_from_slice(&der),
        (false, false) => body.extend_from_slice(pem::encode(LABEL, &der).as_bytes()),
    }
    match output {
        Some(path) => std::fs::write(path, body).map_err(CliError::io(path.to_string()))?,
        None => io.stdout.write_all(&body).map_err(CliError::io("stdout"))?,
    }
    Ok(0)
}
