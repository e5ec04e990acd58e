//! `purecrypto ocsp`: OCSP client and small responder with `openssl
//! ocsp`'s options, files (DER requests and responses) and output lines.
//!
//! Entry point: [`run`].
//!
//! - Client: `-issuer F` then `-cert F` / `-serial N` (each certificate
//!   uses the last issuer given), `[-sha1|-sha256]`, `[-nonce|-no_nonce]`
//!   (a nonce by default), `-reqout F`, `-req_text`; the response from
//!   `-respin F` or `-url http://host:port/path` (POST), `-respout F`,
//!   `-resp_text`, then unless `-noverify` the signer check ("Response
//!   verify OK" on stderr, against `-issuer` and `-CAfile` certificates,
//!   `-VAfile` trusted responders and `-verify_other` extra certificates)
//!   and one summary per certificate (`cert.pem: good`, `This Update:`,
//!   `Next Update:`, `Reason:`, `Revocation Time:`). `-attime T` (Unix
//!   seconds) replaces the clock, `-validity_period N` / `-status_age N`
//!   as OpenSSL's.
//! - Responder: `-index F -CA F -rsigner F -rkey F [-ndays N|-nmin N]
//!   [-resp_key_id] [-resp_no_certs]` answering `-reqin F` into
//!   `-respout F`, or over HTTP with `-port N [-nrequest N]` on
//!   127.0.0.1.

mod http;
mod responder;

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use self::responder::{Index, Responder, hex_serial};
use super::{CliError, Io, read_input, value};
use crate::hash::HashAlgorithm;
use crate::rng::OsRng;
use crate::x509::ocsp::{
    CertId, CertStatus, OcspRequest, OcspResponse, ResponseStatus, VerifyOptions, check_window, verify_signer,
};
use crate::x509::time::openssl_display;
use crate::x509::{Certificate, SigningKey, pem_certificates};

/// Certificates from a PEM bundle or one DER file.
fn load_certs(path: &str, io: &mut Io<'_>) -> Result<Vec<Vec<u8>>, CliError> {
    let bytes = read_input(Some(path), io)?;
    if bytes.first() == Some(&0x30) {
        return Ok(std::vec![bytes]);
    }
    let certs = pem_certificates(&bytes)?;
    if certs.is_empty() {
        return Err(CliError::usage(format!("ocsp: no certificate in {path}")));
    }
    Ok(certs)
}

fn load_one(path: &str, io: &mut Io<'_>) -> Result<Vec<u8>, CliError> {
    load_certs(path, io)?.into_iter().next().ok_or_else(|| CliError::usage(format!("ocsp: no certificate in {path}")))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// `-serial` in decimal or `0x` hex, as `INTEGER` contents.
pub(super) fn parse_serial(text: &str) -> Result<Vec<u8>, CliError> {
    let bad = || CliError::usage(format!("bad serial {text}"));
    let mut magnitude = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(h) => hex_serial(h).ok_or_else(bad)?,
        None => {
            let mut out: Vec<u8> = Vec::new();
            if text.is_empty() || text.len() > 200 {
                return Err(bad());
            }
            for d in text.bytes() {
                let mut carry = u32::from(d.checked_sub(b'0').filter(|d| *d < 10).ok_or_else(bad)?);
                for byte in out.iter_mut().rev() {
                    let v = u32::from(*byte) * 10 + carry;
                    *byte = (v & 0xff) as u8;
                    carry = v >> 8;
                }
                while carry > 0 {
                    out.insert(0, (carry & 0xff) as u8);
                    carry >>= 8;
                }
            }
            out
        }
    };
    let start = magnitude.iter().position(|b| *b != 0).unwrap_or(magnitude.len().saturating_sub(1));
    magnitude.drain(..start);
    if magnitude.is_empty() {
        magnitude.push(0);
    }
    if magnitude.first().is_some_and(|b| b & 0x80 != 0) {
        magnitude.insert(0, 0);
    }
    Ok(magnitude)
}

/// Parsed command line.
#[derive(Default)]
struct Args {
    /// (display name, issuer DER, serial INTEGER contents).
    targets: Vec<(String, Vec<u8>, Vec<u8>)>,
    issuers: Vec<Vec<u8>>,
    hash: Option<HashAlgorithm>,
    nonce: Option<bool>,
    reqout: Option<String>,
    reqin: Option<String>,
    respin: Option<String>,
    respout: Option<String>,
    url: Option<String>,
    ca_file: Vec<Vec<u8>>,
    va_file: Vec<Vec<u8>>,
    verify_other: Vec<Vec<u8>>,
    req_text: bool,
    resp_text: bool,
    noverify: bool,
    attime: Option<i64>,
    validity_period: i64,
    status_age: Option<i64>,
    index: Option<String>,
    ca: Vec<Vec<u8>>,
    rsigner: Option<String>,
    rkey: Option<String>,
    validity: Option<i64>,
    resp_key_id: bool,
    resp_no_certs: bool,
    port: Option<u16>,
    nrequest: usize,
}

fn number<T: core::str::FromStr>(text: &str, opt: &str) -> Result<T, CliError> {
    text.parse().map_err(|_| CliError::usage(format!("ocsp: {opt} needs a number")))
}

fn parse_args(args: &[String], io: &mut Io<'_>) -> Result<Args, CliError> {
    let mut a = Args { validity_period: 300, ..Args::default() };
    let mut i = 0;
    while i < args.len() {
        let opt = args.get(i).map(String::as_str).unwrap_or_default();
        match opt {
            "-issuer" => {
                let path = value(args, &mut i, opt)?;
                a.issuers.push(load_one(path, io)?);
            }
            "-cert" => {
                let path = value(args, &mut i, opt)?;
                let der = load_one(path, io)?;
                let issuer = a.issuers.last().ok_or_else(|| CliError::usage("ocsp: -cert needs an -issuer first"))?;
                let serial = Certificate::from_der(&der)?.serial_der.to_vec();
                a.targets.push((path.to_string(), issuer.clone(), serial));
            }
            "-serial" => {
                let text = value(args, &mut i, opt)?;
                let issuer = a.issuers.last().ok_or_else(|| CliError::usage("ocsp: -serial needs an -issuer first"))?;
                a.targets.push((text.to_string(), issuer.clone(), parse_serial(text)?));
            }
            "-sha1" => a.hash = Some(HashAlgorithm::Sha1),
            "-sha256" => a.hash = Some(HashAlgorithm::Sha256),
            "-sha384" => a.hash = Some(HashAlgorithm::Sha384),
            "-sha512" => a.hash = Some(HashAlgorithm::Sha512),
            "-nonce" => a.nonce = Some(true),
            "-no_nonce" => a.nonce = Some(false),
            "-reqout" => a.reqout = Some(value(args, &mut i, opt)?.to_string()),
            "-reqin" => a.reqin = Some(value(args, &mut i, opt)?.to_string()),
            "-respin" => a.respin = Some(value(args, &mut i, opt)?.to_string()),
            "-respout" => a.respout = Some(value(args, &mut i, opt)?.to_string()),
            "-url" => a.url = Some(value(args, &mut i, opt)?.to_string()),
            "-CAfile" => {
                let path = value(args, &mut i, opt)?;
                a.ca_file.extend(load_certs(path, io)?);
            }
            "-VAfile" => {
                let path = value(args, &mut i, opt)?;
                a.va_file.extend(load_certs(path, io)?);
            }
            "-verify_other" => {
                let path = value(args, &mut i, opt)?;
                a.verify_other.extend(load_certs(path, io)?);
            }
            "-req_text" => a.req_text = true,
            "-resp_text" => a.resp_text = true,
            "-text" => (a.req_text, a.resp_text) = (true, true),
            "-noverify" => a.noverify = true,
            "-attime" => a.attime = Some(number(value(args, &mut i, opt)?, opt)?),
            "-validity_period" => a.validity_period = number(value(args, &mut i, opt)?, opt)?,
            "-status_age" => a.status_age = Some(number(value(args, &mut i, opt)?, opt)?),
            "-index" => a.index = Some(value(args, &mut i, opt)?.to_string()),
            "-CA" => {
                let path = value(args, &mut i, opt)?;
                a.ca.extend(load_certs(path, io)?);
            }
            "-rsigner" => a.rsigner = Some(value(args, &mut i, opt)?.to_string()),
            "-rkey" => a.rkey = Some(value(args, &mut i, opt)?.to_string()),
            "-ndays" => a.validity = Some(number::<i64>(value(args, &mut i, opt)?, opt)?.saturating_mul(86_400)),
            "-nmin" => a.validity = Some(number::<i64>(value(args, &mut i, opt)?, opt)?.saturating_mul(60)),
            "-resp_key_id" => a.resp_key_id = true,
            "-resp_no_certs" => a.resp_no_certs = true,
            "-port" => a.port = Some(number(value(args, &mut i, opt)?, opt)?),
            "-nrequest" => a.nrequest = number(value(args, &mut i, opt)?, opt)?,
            other => return Err(CliError::usage(format!("ocsp: unknown option {other}"))),
        }
        i += 1;
    }
    Ok(a)
}

fn write_file(path: &str, data: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, data).map_err(CliError::io(path.to_string()))
}

fn out(io: &mut Io<'_>, text: &str) -> Result<(), CliError> {
    io.stdout.write_all(text.as_bytes()).map_err(CliError::io("stdout"))
}

fn err(io: &mut Io<'_>, text: &str) -> Result<(), CliError> {
    io.stderr.write_all(text.as_bytes()).map_err(CliError::io("stderr"))
}

/// `purecrypto ocsp`.
pub(crate) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let a = parse_args(args, io)?;
    let mut rng = OsRng;

    // The request: read, or built from -cert / -serial.
    let request = match &a.reqin {
        Some(path) => Some(read_input(Some(path), io)?),
        None if !a.targets.is_empty() => {
            let hash = a.hash.unwrap_or(HashAlgorithm::Sha1);
            let mut ids = Vec::new();
            for (_, issuer, serial) in &a.targets {
                ids.push(CertId::new(hash, &Certificate::from_der(issuer)?, serial));
            }
            let mut req = OcspRequest { ids, nonce: None };
            if a.nonce != Some(false) {
                req = req.with_random_nonce(&mut rng);
            }
            Some(req.to_der())
        }
        None => None,
    };
    if let Some(der) = &request {
        if a.req_text {
            out(io, &OcspRequest::from_der(der)?.text())?;
        }
        if let Some(path) = &a.reqout {
            write_file(path, der)?;
        }
    }

    if a.index.is_some() {
        return serve(&a, request.as_deref(), io);
    }

    let response = match (&a.respin, &a.url, &request) {
        (Some(path), _, _) => read_input(Some(path), io)?,
        (None, Some(url), Some(req)) => http::post(url, req)?,
        (None, Some(_), None) => return Err(CliError::usage("ocsp: -url needs a request")),
        (None, None, _) => return Ok(0),
    };
    if let Some(path) = &a.respout {
        write_file(path, &response)?;
    }
    let parsed = OcspResponse::from_der(&response)?;
    if a.resp_text {
        out(io, &parsed.text())?;
    }
    let Some(basic) = parsed.basic.as_ref().filter(|_| parsed.status == ResponseStatus::SUCCESSFUL) else {
        out(io, &format!("Responder Error: {} ({})\n", parsed.status.name(), parsed.status.0))?;
        return Ok(1);
    };

    let time = a.attime.unwrap_or_else(now);
    let mut code = 0;
    if !a.noverify {
        // The nonce, when this run built the request with one.
        let sent = match (&a.reqin, &request) {
            (None, Some(der)) => OcspRequest::from_der(der)?.nonce,
            _ => None,
        };
        if let Some(sent) = sent {
            match &basic.nonce {
                None => err(io, "WARNING: no nonce in response\n")?,
                Some(got) if *got != sent => {
                    err(io, "Nonce Verify error\n")?;
                    return Ok(1);
                }
                Some(_) => {}
            }
        }
        let mut options = VerifyOptions::new(time);
        options.trusted_responders = a.va_file.iter().map(Vec::as_slice).collect();
        options.extra_certs = a.verify_other.iter().map(Vec::as_slice).collect();
        if signer_ok(&parsed, &a, &options) {
            err(io, "Response verify OK\n")?;
        } else {
            err(io, "Response Verify Failure\n")?;
            code = 1;
        }
    }
    summary(&a, &parsed, time, io)?;
    Ok(code)
}

/// Whether every answer is signed by its issuer (one of `-issuer`,
/// `-CAfile`) or a responder that issuer authorised.
fn signer_ok(response: &OcspResponse, a: &Args, options: &VerifyOptions<'_>) -> bool {
    let Some(basic) = &response.basic else { return false };
    let issuers: Vec<Certificate<'_>> =
        a.issuers.iter().chain(&a.ca_file).filter_map(|der| Certificate::from_der(der).ok()).collect();
    basic.responses.iter().all(|single| {
        issuers
            .iter()
            .filter(|c| single.cert_id.issued_by(c))
            .any(|issuer| verify_signer(response, issuer, options).is_ok())
    })
}

/// One block per certificate asked about, as `openssl ocsp` prints it.
fn summary(a: &Args, response: &OcspResponse, time: i64, io: &mut Io<'_>) -> Result<(), CliError> {
    let Some(basic) = &response.basic else { return Ok(()) };
    let mut options = VerifyOptions::new(time);
    options.max_skew = a.validity_period;
    options.max_age = a.status_age;
    for (name, issuer, serial) in &a.targets {
        let issuer = Certificate::from_der(issuer)?;
        let mut text = format!("{name}: ");
        let Some(single) = basic.responses.iter().find(|s| s.cert_id.matches(&issuer, serial)) else {
            text += "ERROR: No Status found.\n";
            out(io, &text)?;
            continue;
        };
        if check_window(single.this_update, single.next_update, &options).is_err() {
            text += "WARNING: Status times invalid.\n";
        }
        text += match single.status {
            CertStatus::Good => "good\n",
            CertStatus::Revoked { .. } => "revoked\n",
            _ => "unknown\n",
        };
        text += &format!("\tThis Update: {}\n", openssl_display(single.this_update));
        if let Some(t) = single.next_update {
            text += &format!("\tNext Update: {}\n", openssl_display(t));
        }
        if let CertStatus::Revoked { time, reason } = single.status {
            if let Some(r) = reason {
                text += &format!("\tReason: {}\n", crate::x509::ocsp::reason_name(r));
            }
            text += &format!("\tRevocation Time: {}\n", openssl_display(time));
        }
        out(io, &text)?;
    }
    Ok(())
}

/// Responder mode: `-reqin` into `-respout`, or HTTP on `-port`.
fn serve(a: &Args, request: Option<&[u8]>, io: &mut Io<'_>) -> Result<i32, CliError> {
    let need =
        |v: &Option<String>, opt: &str| v.clone().ok_or_else(|| CliError::usage(format!("ocsp: {opt} is required")));
    let index_path = need(&a.index, "-index")?;
    let index = Index::parse(&String::from_utf8_lossy(&read_input(Some(&index_path), io)?))?;
    if a.ca.is_empty() {
        return Err(CliError::usage("ocsp: -CA is required"));
    }
    let signer_cert = load_one(&need(&a.rsigner, "-rsigner")?, io)?;
    let key_bytes = read_input(Some(&need(&a.rkey, "-rkey")?), io)?;
    let key = if key_bytes.first() == Some(&0x30) {
        SigningKey::from_pkcs8_der(&key_bytes)?
    } else {
        SigningKey::from_pem(&key_bytes)?
    };
    let responder = Responder {
        index,
        cas: a.ca.clone(),
        signer_cert,
        key,
        validity: a.validity,
        by_key: a.resp_key_id,
        no_certs: a.resp_no_certs,
    };
    let mut rng = OsRng;
    if let Some(port) = a.port {
        let listener =
            std::net::TcpListener::bind(("127.0.0.1", port)).map_err(CliError::io(format!("bind port {port}")))?;
        let _ = writeln!(io.stderr, "Waiting for OCSP client connections...");
        let mut served = 0;
        while a.nrequest == 0 || served < a.nrequest {
            let (mut stream, _) = listener.accept().map_err(CliError::io("accept"))?;
            served += 1;
            let answer = match http::read_request(&mut stream) {
                Ok(req) => responder.answer(&req, a.attime.unwrap_or_else(now), &mut rng)?,
                Err(e) => {
                    let _ = writeln!(io.stderr, "purecrypto ocsp: {e}");
                    crate::x509::ocsp::error_response(ResponseStatus::MALFORMED_REQUEST)
                }
            };
            if let Err(e) = http::write_response(&mut stream, &answer) {
                let _ = writeln!(io.stderr, "purecrypto ocsp: {e}");
            }
        }
        return Ok(0);
    }
    let request = request.ok_or_else(|| CliError::usage("ocsp: responder needs -reqin or -port"))?;
    let answer = responder.answer(request, a.attime.unwrap_or_else(now), &mut rng)?;
    match &a.respout {
        Some(path) => write_file(path, &answer)?,
        None => io.stdout.write_all(&answer).map_err(CliError::io("stdout"))?,
    }
    if a.resp_text {
        out(io, &OcspResponse::from_der(&answer)?.text())?;
    }
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_as_openssl_reads_them() {
        assert_eq!(parse_serial("4096").unwrap(), std::vec![0x10, 0x00]);
        assert_eq!(parse_serial("0x1000").unwrap(), std::vec![0x10, 0x00]);
        assert_eq!(parse_serial("128").unwrap(), std::vec![0x00, 0x80]);
        assert_eq!(parse_serial("0").unwrap(), std::vec![0x00]);
        assert_eq!(parse_serial("0x0001").unwrap(), std::vec![0x01]);
        assert!(parse_serial("12a").is_err());
        assert!(parse_serial("").is_err());
        assert_eq!(http::split_url("http://127.0.0.1:8888/x").unwrap(), ("127.0.0.1:8888".into(), "/x".into()));
        assert_eq!(http::split_url("http://ocsp.test").unwrap(), ("ocsp.test:80".into(), "/".into()));
        assert!(http::split_url("https://x").is_err());
    }
}
