//! `purecrypto s_client -connect HOST:PORT [...]`: a TLS 1.3 / 1.2 client in the
//! manner of `openssl s_client`. Standard input is read to its end and
//! sent after the handshake; everything the server sends until it closes
//! is written to standard output.
//!
//! Entry point: [`run`]. The chain is verified with `crate::x509` against
//! `-CAfile` / `-CApath` (else the system store), the host name too when
//! `-servername` is given. As with openssl, a failed verification is
//! reported (`verify error:num=N:...`, `Verify return code: N (...)`) but
//! only aborts the handshake with `-verify_return_error`. `-pin` instead
//! accepts exactly the given leaf certificate (PEM or DER).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::string::{String, ToString};
use std::sync::Arc;
use std::vec::Vec;

use super::{CliError, Io, value};
use crate::tls::{
    CipherSuite, ClientConfig, Connection, DangerousReportOnlyVerifier, NamedGroup, PinnedCertVerifier,
    ProtocolVersion, ServerCertVerifier, Stream, X509Verifier,
};
use crate::x509::TrustStore;

const USAGE: &str = "usage: purecrypto s_client -connect HOST:PORT [-servername NAME] [-alpn P1,P2] \
[-CAfile FILE] [-CApath DIR] [-verify_return_error] [-pin CERT] [-tls1_2|-tls1_3] [-groups G1:G2] [-ciphersuites S1:S2] [-brief]";

fn list<T>(text: &str, lookup: impl Fn(&str) -> Option<T>, what: &str) -> Result<Vec<T>, CliError> {
    text.split(':').map(|n| lookup(n).ok_or_else(|| CliError::usage(std::format!("unknown {what} '{n}'")))).collect()
}

fn group_by_name(n: &str) -> Option<NamedGroup> {
    match n {
        "X25519" | "x25519" => Some(NamedGroup::X25519),
        "P-256" | "prime256v1" | "secp256r1" => Some(NamedGroup::SECP256R1),
        "P-384" | "secp384r1" => Some(NamedGroup::SECP384R1),
        "P-521" | "secp521r1" => Some(NamedGroup::SECP521R1),
        _ => None,
    }
}

/// The x509 verifier over `-CAfile` and `-CApath` (both may be given),
/// or the system store when neither is.
fn chain_verifier(
    ca_file: Option<&str>,
    ca_path: Option<&str>,
    check_hostname: bool,
) -> Result<X509Verifier, CliError> {
    let mut verifier = if ca_file.is_none() && ca_path.is_none() {
        X509Verifier::system()
    } else {
        let mut store = TrustStore::new();
        if let Some(f) = ca_file {
            store.load_file(std::path::Path::new(f)).map_err(|e| CliError::usage(std::format!("-CAfile {f}: {e}")))?;
        }
        if let Some(d) = ca_path {
            store.load_dir(std::path::Path::new(d)).map_err(|e| CliError::usage(std::format!("-CApath {d}: {e}")))?;
        }
        X509Verifier::new(store)
    };
    if !check_hostname {
        // openssl s_client checks names only when asked (-servername here).
        verifier = verifier.dangerous_without_hostname();
    }
    Ok(verifier)
}

/// `s_client`.
pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut connect = None;
    let mut server_name = None;
    let mut alpn = Vec::new();
    let mut ca_file = None;
    let mut ca_path = None;
    let mut verify_return_error = false;
    let mut pin = None;
    let mut brief = false;
    let mut groups = None;
    let mut suites = None;
    let mut only_version = None;
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-connect" => connect = Some(value(args, &mut i, arg)?.to_string()),
            "-servername" => server_name = Some(value(args, &mut i, arg)?.to_string()),
            "-alpn" => alpn = value(args, &mut i, arg)?.split(',').map(|p| p.as_bytes().to_vec()).collect(),
            "-CAfile" => ca_file = Some(value(args, &mut i, arg)?.to_string()),
            "-CApath" => ca_path = Some(value(args, &mut i, arg)?.to_string()),
            "-verify_return_error" => verify_return_error = true,
            "-pin" => pin = Some(value(args, &mut i, arg)?.to_string()),
            "-groups" => groups = Some(list(value(args, &mut i, arg)?, group_by_name, "group")?),
            "-ciphersuites" => suites = Some(list(value(args, &mut i, arg)?, CipherSuite::from_name, "suite")?),
            "-tls1_3" => only_version = Some(ProtocolVersion::Tls13),
            "-tls1_2" => only_version = Some(ProtocolVersion::Tls12),
            "-brief" => brief = true,
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'\n{USAGE}"))),
        }
        i += 1;
    }
    let connect = connect.ok_or_else(|| CliError::usage(USAGE))?;
    let host = connect.rsplit_once(':').map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']'));
    let check_hostname = server_name.is_some();
    let name = server_name.or_else(|| host.map(ToString::to_string)).unwrap_or_default();
    let mut report = None;

    let verifier: Arc<dyn ServerCertVerifier> = match &pin {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(CliError::io(path.clone()))?;
            let der = match crate::asn1::pem::decode_label(&bytes, "CERTIFICATE") {
                Ok(p) => p.contents.to_vec(),
                Err(_) => bytes,
            };
            Arc::new(PinnedCertVerifier::Certificate(der))
        }
        None => {
            let x509 = chain_verifier(ca_file.as_deref(), ca_path.as_deref(), check_hostname)?;
            if verify_return_error {
                Arc::new(x509)
            } else {
                let r = Arc::new(DangerousReportOnlyVerifier::new(x509));
                report = Some(Arc::clone(&r));
                r
            }
        }
    };
    let mut config = ClientConfig::new(verifier);
    config.alpn_protocols = alpn;
    if let Some(g) = groups {
        config.groups = g;
    }
    if let Some(s) = suites {
        config.cipher_suites = s;
    }
    if let Some(v) = only_version {
        config.min_version = v;
        config.max_version = v;
    }

    let mut input = Vec::new();
    io.stdin.read_to_end(&mut input).map_err(CliError::io("stdin"))?;

    let tcp = TcpStream::connect(&connect).map_err(CliError::io(connect.clone()))?;
    let conn = Connection::new_client(Arc::new(config), &name).map_err(|e| CliError::usage(e.to_string()))?;
    let mut stream = Stream::new(conn, tcp);
    let shaken = stream.handshake();
    let verdict = report.as_ref().and_then(|r| r.verdict());
    if let Some(Err(e)) = verdict {
        let _ = writeln!(io.stderr, "verify error:num={}:{}", e.reason.openssl_code(), e.reason.message());
    }
    if let Err(e) = shaken {
        if let Some(crate::tls::Error::CertificateRejected(ce)) = e.get_ref().and_then(|i| i.downcast_ref()) {
            let _ = writeln!(io.stderr, "verify error:num={}:{}", ce.reason.openssl_code(), ce.reason.message());
        }
        return Err(CliError::io("handshake")(e));
    }
    if let Some(v) = verdict {
        let (code, text) = v.map_or_else(|e| (e.reason.openssl_code(), e.reason.message()), |()| (0, "ok"));
        let _ = writeln!(io.stderr, "Verify return code: {code} ({text})");
    }
    if brief {
        let c = stream.conn();
        let version = c.protocol_version().map_or("unknown", ProtocolVersion::name);
        let _ = writeln!(io.stderr, "CONNECTION ESTABLISHED\nProtocol version: {version}");
        let _ = writeln!(io.stderr, "Ciphersuite: {:?}", c.cipher_suite().unwrap_or(CipherSuite(0)));
        let _ = writeln!(io.stderr, "Group: {:?}", c.negotiated_group().unwrap_or(NamedGroup(0)));
        if let Some(p) = c.alpn_protocol() {
            let _ = writeln!(io.stderr, "ALPN protocol: {}", String::from_utf8_lossy(p));
        }
    }
    stream.write_all(&input).map_err(CliError::io("send"))?;
    let mut buf = [0u8; 16384];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => io.stdout.write_all(buf.get(..n).unwrap_or_default()).map_err(CliError::io("stdout"))?,
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) => return Err(CliError::io("receive")(e)),
        }
    }
    let _ = stream.close();
    Ok(0)
}
