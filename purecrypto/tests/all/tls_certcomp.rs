//! RFC 8879 certificate compression against GnuTLS 3.7.9, both
//! directions (feature `cert-compression`).
//!
//! Debian 12's gnutls-bin is built without zlib, brotli and zstd: for
//! every `--compress-cert=` name it says "Unknown compression method"
//! and then neither offers compression nor sends a CompressedCertificate.
//! So what GnuTLS can check here, and these tests do: that it says so for
//! each algorithm (a build that gains one fails the test, asking for real
//! compressed interop to be added), that our offers (in the ClientHello,
//! and in the CertificateRequest of a server asking for a client
//! certificate) do not disturb it, and that certificates then travel
//! uncompressed both ways and verify. Compressed handshakes themselves
//! are covered between our own client and server (src/tls/tests/
//! cert_compression.rs): no peer installed here implements RFC 8879
//! (OpenSSL 3.0 lacks it, and the OpenSSL of PyPI `cryptography` exposes
//! no binding for it).

use purecrypto::tls::{CertificateCompressionAlgorithm, ProtocolVersion};

use super::gnutls::{connect, gnutls, gnutls_cli_hello, start_gnutls_serv};
use super::tls::{data, get_page, read_line, serve_each};
use super::tls_features::{client_auth_config, client_with_cert};

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
