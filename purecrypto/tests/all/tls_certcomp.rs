//! RFC 8879 certificate compression (feature `cert-compression`) against
//! two independent implementations.
//!
//! tlslite-ng 0.8 (pure Python, `tests/data/tls/tlslite_peer.py`)
//! implements it with zlib, brotli and zstd: for each algorithm, its
//! server and its client, each asking for and sending a certificate, run
//! against ours; both sides must report that algorithm for both
//! certificates, and the CertificateVerify each side checks proves the
//! decompressed certificate is the one sent.
//!
//! Debian 12's gnutls-bin is built without zlib, brotli and zstd: for
//! every `--compress-cert=` name it says "Unknown compression method"
//! and then neither offers compression nor sends a CompressedCertificate.
//! So what GnuTLS can check here, and these tests do: that it says so for
//! each algorithm (a build that gains one fails the test, asking for real
//! compressed interop to be added), that our offers (in the ClientHello,
//! and in the CertificateRequest of a server asking for a client
//! certificate) do not disturb it, and that certificates then travel
//! uncompressed both ways and verify. OpenSSL 3.0 lacks RFC 8879.

use std::io::Write;
use std::path::Path;
use std::process::Command;

use purecrypto::tls::{CertificateCompressionAlgorithm, ProtocolVersion};

use super::gnutls::{connect, gnutls, gnutls_cli_hello, start_gnutls_serv};
use super::tls::{data, get_page, read_line, serve_each};
use super::tls_features::{client_auth_config, client_with_cert};
use crate::stack_py::{PeerServer, python_with, start_server};

const NAMES: [&str; 3] = ["zlib", "brotli", "zstd"];

/// What our server saw of one connection: the compression it sent its
/// certificate with, the one the client's arrived with, the client chain.
type Seen = (Option<CertificateCompressionAlgorithm>, Option<CertificateCompressionAlgorithm>, Vec<Vec<u8>>);

/// Our server with the default compression list, asking for a client
/// certificate from the test CA; serves `count` connections, echoing one
/// line each.
fn server(count: usize) -> (u16, std::thread::JoinHandle<Vec<Result<Seen, String>>>) {
    let config = client_auth_config();
    assert_eq!(config.cert_compression, CertificateCompressionAlgorithm::DEFAULTS);
    serve_each(config, count, |mut stream| {
        stream.handshake().map_err(|e| format!("handshake: {e}"))?;
        let line = read_line(&mut stream);
        let _ = std::io::Write::write_all(&mut stream, &[b"echo: ", &line[..]].concat());
        let _ = stream.close();
        let conn = stream.conn();
        Ok((
            conn.sent_certificate_compression(),
            conn.peer_certificate_compression(),
            conn.peer_certificates().to_vec(),
        ))
    })
}

/// `gnutls-cli --compress-cert=NAME` with a client certificate against
/// our server, which offers compression in its CertificateRequest.
#[test]
fn gnutls_cli_with_compress_cert_against_our_server() {
    let Some(()) = gnutls() else { return };
    let (port, handle) = server(NAMES.len());
    let (cert, key) = (data("client-p256.crt.pem"), data("client-p256.key.pem"));
    let mut messages = Vec::new();
    for name in NAMES {
        let compress = format!("--compress-cert={name}");
        let extra = [&compress, "--x509certfile", cert.to_str().unwrap(), "--x509keyfile", key.to_str().unwrap()];
        let (out, log) = gnutls_cli_hello(port, "p256", "NORMAL:-VERS-ALL:+VERS-TLS1.3", &extra);
        assert!(out.contains("echo: hello from gnutls"), "{name}: {out} {log}");
        assert!(
            log.contains(&format!("Unknown compression method: {name}")),
            "GnuTLS now knows {name}: assert a compressed handshake here instead. {log}"
        );
        messages.push(log);
    }
    let leaf = std::fs::read(data("client-p256.crt.der")).unwrap();
    let seen = handle.join().unwrap();
    assert_eq!(seen.len(), NAMES.len());
    for (name, seen) in NAMES.iter().zip(seen) {
        // GnuTLS offered nothing, so our certificate went uncompressed;
        // its own came uncompressed and verified.
        assert_eq!(seen, Ok((None, None, vec![leaf.clone()])), "{name}");
    }
    eprintln!("gnutls-cli --compress-cert=zlib|brotli|zstd -> our server: uncompressed both ways, as the build allows");
}

/// Our client, offering brotli, zstd and zlib, against `gnutls-serv
/// --compress-cert=...` asking for a client certificate.
#[test]
fn our_client_offering_compression_against_gnutls_serv() {
    let Some(()) = gnutls() else { return };
    let ca = data("client-ca.crt.pem");
    for name in NAMES {
        let compress = format!("--compress-cert={name}");
        let args = ["--http", &compress, "--require-client-cert", "--verify-client-cert", "--x509cafile"];
        let (_server, port) = start_gnutls_serv("p256", &[&args[..], &[ca.to_str().unwrap()]].concat());
        let config = client_with_cert(ProtocolVersion::Tls13, Some("p256"));
        assert_eq!(config.cert_compression, CertificateCompressionAlgorithm::DEFAULTS);
        let mut stream = connect(config, port);
        let page = get_page(&mut stream);
        assert!(page.contains("Subject: CN=client-p256"), "{name}: {page}");
        let conn = stream.conn();
        assert_eq!(conn.protocol_version(), Some(ProtocolVersion::Tls13));
        assert!(conn.sent_client_certificate());
        assert_eq!((conn.peer_certificate_compression(), conn.sent_certificate_compression()), (None, None));
    }
}

/// The three algorithms by tlslite-ng's names.
const ALGORITHMS: [(&str, CertificateCompressionAlgorithm); 3] = [
    ("zlib", CertificateCompressionAlgorithm::ZLIB),
    ("brotli", CertificateCompressionAlgorithm::BROTLI),
    ("zstd", CertificateCompressionAlgorithm::ZSTD),
];

fn tlslite() -> Option<std::path::PathBuf> {
    python_with("import tlslite, brotli, zstandard", "certificate compression interop with tlslite-ng")
}

/// tlslite-ng's server for one connection, compressing with `name` only
/// and asking for a client certificate; returns it and its port.
fn start_tlslite_server(python: &Path, name: &str) -> (PeerServer, u16) {
    let mut command = Command::new(python);
    command.arg(data("tlslite_peer.py")).arg("server").args([data("p256.crt.pem"), data("p256.key.pem")]);
    command.args([name, "1"]);
    start_server(command)
}

/// Our client (default list: brotli, zstd, zlib) with a client
/// certificate against tlslite-ng's server restricted to each algorithm:
/// its certificate arrives compressed with it, and ours leaves so.
#[test]
fn our_client_against_tlslite_server_each_algorithm() {
    let Some(python) = tlslite() else { return };
    let leaf = std::fs::read(data("p256.crt.der")).unwrap();
    for (name, algorithm) in ALGORITHMS {
        let (_server, port) = start_tlslite_server(&python, name);
        let config = client_with_cert(ProtocolVersion::Tls13, Some("p256"));
        assert_eq!(config.cert_compression, CertificateCompressionAlgorithm::DEFAULTS);
        let mut stream = connect(config, port);
        stream.write_all(b"hello\n").unwrap();
        let reply = String::from_utf8(read_line(&mut stream)).unwrap();
        assert_eq!(reply.trim(), format!("server_sent={name} client_sent={name} client_cert=yes line=hello"));
        let conn = stream.conn();
        assert_eq!(conn.peer_certificates(), std::slice::from_ref(&leaf), "{name}");
        assert!(conn.sent_client_certificate(), "{name}");
        let used = (conn.peer_certificate_compression(), conn.sent_certificate_compression());
        assert_eq!(used, (Some(algorithm), Some(algorithm)), "{name}");
    }
}

/// tlslite-ng's client, accepting and sending each algorithm alone,
/// against our server (default list, asking for a client certificate).
#[test]
fn tlslite_client_against_our_server_each_algorithm() {
    let Some(python) = tlslite() else { return };
    let (port, handle) = server(ALGORITHMS.len());
    let (cert, key) = (data("client-p256.crt.pem"), data("client-p256.key.pem"));
    for (name, _) in ALGORITHMS {
        let out = Command::new(&python)
            .arg(data("tlslite_peer.py"))
            .args(["client", &port.to_string(), name])
            .args([&cert, &key])
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success(), "{name}: {stdout} {}", String::from_utf8_lossy(&out.stderr));
        assert!(stdout.contains(&format!("server_sent={name} client_sent={name}\n")), "{name}: {stdout}");
        assert!(stdout.contains("reply: echo: hello from tlslite"), "{name}: {stdout}");
    }
    let leaf = std::fs::read(data("client-p256.crt.der")).unwrap();
    let seen = handle.join().unwrap();
    for ((name, algorithm), seen) in ALGORITHMS.iter().zip(seen) {
        assert_eq!(seen, Ok((Some(*algorithm), Some(*algorithm), vec![leaf.clone()])), "{name}");
    }
}
