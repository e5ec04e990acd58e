//! `purecrypto x509` and `verify`: certificate display and chain
//! verification, with `openssl`'s options and output (`req` is in
//! `req.rs`).
//!
//! Entry points: [`run_x509`], [`run_verify`].
//!
//! - `x509 -in F [-inform PEM|DER] [-noout] [-subject] [-issuer] [-serial]
//!   [-fingerprint] [-sha1|-sha256|-sha384|-sha512] [-text]`: prints in
//!   the order the options are given, then the PEM unless `-noout`.
//! - `verify [-CAfile F] [-CApath D] [-untrusted F] [-CRLfile F]
//!   [-crl_check] [-attime T] [-purpose sslserver|sslclient]
//!   [-verify_hostname H] [-verify_ip IP] cert...`: `cert: OK` (exit 0),
//!   or OpenSSL's three error lines (subject, `error N at D depth lookup:
//!   message`, `error cert: verification failed`, on stderr as OpenSSL 3
//!   prints them) and exit 2. Only the
//!   first error is reported, where OpenSSL may report several.
//!   Without `-CAfile`/`-CApath` the system store is used.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use super::{CliError, Io, read_input, value};
use crate::asn1::pem;
use crate::hash::HashAlgorithm;
use crate::x509::verify::{CrlCheck, Options, Purpose, verify_chain};
use crate::x509::{Certificate, TrustStore, pem_certificates};

/// PEM or DER certificate file contents as DER.
pub(super) fn one_der(bytes: &[u8], label: &str) -> Result<Vec<u8>, CliError> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    Ok(pem::decode_label(bytes, label)?.contents.to_vec())
}

pub(super) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(super) fn write_out(io: &mut Io<'_>, text: &str) -> Result<(), CliError> {
    io.stdout.write_all(text.as_bytes()).map_err(CliError::io("stdout"))
}

/// `purecrypto x509`.
pub(crate) fn run_x509(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut input = None;
    let mut der_in = false;
    let mut noout = false;
    let mut prints: Vec<&str> = Vec::new();
    let mut fingerprint_hash = HashAlgorithm::Sha1;
    let mut i = 0;
    while i < args.len() {
        match args.get(i).map(String::as_str).unwrap_or_default() {
            "-in" => input = Some(value(args, &mut i, "-in")?),
            "-inform" => der_in = value(args, &mut i, "-inform")?.eq_ignore_ascii_case("DER"),
            "-noout" => noout = true,
            "-sha1" => fingerprint_hash = HashAlgorithm::Sha1,
            "-sha256" => fingerprint_hash = HashAlgorithm::Sha256,
            "-sha384" => fingerprint_hash = HashAlgorithm::Sha384,
            "-sha512" => fingerprint_hash = HashAlgorithm::Sha512,
            p @ ("-subject" | "-issuer" | "-serial" | "-fingerprint" | "-text") => prints.push(p),
            other => return Err(CliError::usage(format!("x509: unknown option {other}"))),
        }
        i += 1;
    }
    let bytes = read_input(input, io)?;
    let der = if der_in { bytes } else { one_der(&bytes, "CERTIFICATE")? };
    let cert = Certificate::from_der(&der)?;
    let mut out = String::new();
    for p in prints {
        match p {
            "-subject" => out.push_str(&format!("subject={}\n", cert.subject)),
            "-issuer" => out.push_str(&format!("issuer={}\n", cert.issuer)),
            "-serial" => {
                let hex: String = cert.serial.iter().map(|b| format!("{b:02X}")).collect();
                out.push_str(&format!("serial={hex}\n"));
            }
            "-fingerprint" => out.push_str(&fingerprint_line(fingerprint_hash, cert.der)),
            _ => out.push_str(&crate::x509::text::to_text(&cert)),
        }
    }
    if !noout {
        out.push_str(&pem::encode("CERTIFICATE", &der));
    }
    write_out(io, &out)?;
    Ok(0)
}

/// `SHA1 Fingerprint=AB:CD:..` of `der`, as `openssl x509` / `crl
/// -fingerprint` print it (OpenSSL names SHA-1 in capitals only).
pub(super) fn fingerprint_line(hash: HashAlgorithm, der: &[u8]) -> String {
    let name = match hash {
        HashAlgorithm::Sha1 => "SHA1",
        HashAlgorithm::Sha256 => "sha256",
        HashAlgorithm::Sha384 => "sha384",
        _ => "sha512",
    };
    let hex: Vec<String> = hash.hash(der).iter().map(|b| format!("{b:02X}")).collect();
    format!("{name} Fingerprint={}\n", hex.join(":"))
}

/// Reads every certificate of a PEM (or single DER) file.
pub(super) fn certs_from_file(path: &str, io: &mut Io<'_>) -> Result<Vec<Vec<u8>>, CliError> {
    let bytes = read_input(Some(path), io)?;
    if bytes.first() == Some(&0x30) {
        return Ok(std::vec![bytes]);
    }
    Ok(pem_certificates(&bytes)?)
}

/// `purecrypto verify`.
pub(crate) fn run_verify(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut store = TrustStore::new();
    let mut explicit_store = false;
    let mut untrusted: Vec<Vec<u8>> = Vec::new();
    let mut crls: Vec<Vec<u8>> = Vec::new();
    let mut require_crls = CrlCheck::None;
    let mut time = now();
    let mut purpose = None;
    let mut hostname: Option<String> = None;
    let mut files = Vec::new();
    let mut i = 0;
    while i < args.len() {
        match args.get(i).map(String::as_str).unwrap_or_default() {
            "-CAfile" => {
                let path = value(args, &mut i, "-CAfile")?;
                for der in certs_from_file(path, io)? {
                    store.add_der(&der)?;
                }
                explicit_store = true;
            }
            "-CApath" => {
                store.load_dir(std::path::Path::new(value(args, &mut i, "-CApath")?))?;
                explicit_store = true;
            }
            "-untrusted" => untrusted.extend(certs_from_file(value(args, &mut i, "-untrusted")?, io)?),
            "-CRLfile" => {
                let bytes = read_input(Some(value(args, &mut i, "-CRLfile")?), io)?;
                if bytes.first() == Some(&0x30) {
                    crls.push(bytes);
                } else {
                    for block in pem::blocks(&bytes) {
                        let block = block?;
                        if block.label == "X509 CRL" {
                            crls.push(block.contents.to_vec());
                        }
                    }
                }
            }
            "-crl_check" => require_crls = CrlCheck::Leaf,
            "-crl_check_all" => require_crls = CrlCheck::All,
            "-attime" => {
                time = value(args, &mut i, "-attime")?
                    .parse()
                    .map_err(|_| CliError::usage("-attime: seconds since the epoch"))?;
            }
            "-purpose" => {
                purpose = Some(match value(args, &mut i, "-purpose")? {
                    "sslserver" => Purpose::ServerAuth,
                    "sslclient" => Purpose::ClientAuth,
                    other => return Err(CliError::usage(format!("verify: unsupported purpose {other}"))),
                });
            }
            "-verify_hostname" => hostname = Some(value(args, &mut i, "-verify_hostname")?.to_string()),
            "-verify_ip" => hostname = Some(value(args, &mut i, "-verify_ip")?.to_string()),
            other if other.starts_with('-') => return Err(CliError::usage(format!("verify: unknown option {other}"))),
            file => files.push(file.to_string()),
        }
        i += 1;
    }
    if !explicit_store {
        store = TrustStore::system()?;
    }
    let untrusted_refs: Vec<&[u8]> = untrusted.iter().map(Vec::as_slice).collect();
    let crl_refs: Vec<&[u8]> = crls.iter().map(Vec::as_slice).collect();
    let options = Options {
        time,
        purpose,
        hostname: hostname.as_deref(),
        crls: &crl_refs,
        require_crls,
        legacy_algorithms: false,
    };
    let mut code = 0;
    for file in &files {
        let leaf = one_der(&read_input(Some(file), io)?, "CERTIFICATE")?;
        match verify_chain(&leaf, &untrusted_refs, &store, &options) {
            Ok(_) => write_out(io, &format!("{file}: OK\n"))?,
            Err(e) => {
                let subject = subject_at_depth(&leaf, &untrusted_refs, &store, e.depth);
                let _ = write!(
                    io.stderr,
                    "{subject}\nerror {} at {} depth lookup: {}\nerror {file}: verification failed\n",
                    e.reason.openssl_code(),
                    e.depth,
                    e.reason.message()
                );
                code = 2;
            }
        }
    }
    Ok(code)
}

/// The subject of the certificate `depth` steps up the first issuer chain.
fn subject_at_depth(leaf: &[u8], untrusted: &[&[u8]], store: &TrustStore, depth: usize) -> String {
    let Ok(mut cert) = Certificate::from_der(leaf) else { return String::new() };
    let pool: Vec<Certificate<'_>> =
        untrusted.iter().copied().chain(store.iter()).filter_map(|d| Certificate::from_der(d).ok()).collect();
    for _ in 0..depth {
        match pool.iter().find(|c| c.subject.der == cert.issuer.der && c.der != cert.der) {
            Some(next) => cert = next.clone(),
            None => break,
        }
    }
    cert.subject.to_string()
}
