//! The optional AES-CCM suites against OpenSSL 3.0, both directions:
//! TLS 1.3 `TLS_AES_128_CCM_SHA256` and `TLS_AES_128_CCM_8_SHA256`, and
//! TLS 1.2 `ECDHE-ECDSA-AES{128,256}-CCM{,8}` (OpenSSL speaks these only
//! with an ECDSA key). Our client against `openssl s_server -www` fetches
//! the status page, which names the suite; `openssl s_client` against our
//! server sends a line and reads our echo. `purecrypto s_client` takes
//! the suites with `-ciphersuites` and `-cipher`. A client that does not
//! list CCM fails against a CCM-only OpenSSL server.
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::net::TcpStream;
use std::sync::Arc;
use std::time::Duration;

use purecrypto::tls::{
    CipherSuite, ClientConfig, Connection, Error, NamedGroup, PinnedCertVerifier, ProtocolVersion, Stream,
};

use crate::tls::{
    data, get_page, openssl_available, run_s_client_cli, s_client_hello, serve, server_config, start_s_server_version,
};

/// (OpenSSL's name, suite, version flag).
const CCM: &[(&str, CipherSuite, &str)] = &[
    ("TLS_AES_128_CCM_SHA256", CipherSuite::TLS_AES_128_CCM_SHA256, "-tls1_3"),
    ("TLS_AES_128_CCM_8_SHA256", CipherSuite::TLS_AES_128_CCM_8_SHA256, "-tls1_3"),
    ("ECDHE-ECDSA-AES128-CCM", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM, "-tls1_2"),
    ("ECDHE-ECDSA-AES256-CCM", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM, "-tls1_2"),
    ("ECDHE-ECDSA-AES128-CCM8", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8, "-tls1_2"),
    ("ECDHE-ECDSA-AES256-CCM8", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8, "-tls1_2"),
];

/// The option that names `flag`'s suites: `-ciphersuites` for TLS 1.3,
/// `-cipher` for TLS 1.2, as in openssl.
fn list_option(flag: &str) -> &'static str {
    if flag == "-tls1_3" { "-ciphersuites" } else { "-cipher" }
}

/// Our client, offering both versions, the default suites and `suite`,
/// against `openssl s_server` allowing only `suite`: the connection
/// settles on it and the status page names it.
#[test]
fn ccm_client_interop_with_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let mut done = Vec::new();
    for &(name, suite, flag) in CCM {
        let (_server, port) = start_s_server_version(flag, "p256", &[list_option(flag), name]);
        let leaf = std::fs::read(data("p256.crt.der")).unwrap();
        let mut config = ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf)));
        config.cipher_suites.push(suite);
        config.groups = vec![NamedGroup::X25519, NamedGroup::SECP256R1];
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
        stream.handshake().unwrap();
        let version = if flag == "-tls1_3" { ProtocolVersion::Tls13 } else { ProtocolVersion::Tls12 };
        assert_eq!(stream.conn().protocol_version(), Some(version), "{name}");
        assert_eq!(stream.conn().cipher_suite(), Some(suite), "{name}");
        let page = get_page(&mut stream);
        assert!(page.contains(version.name()) && page.contains(name), "{name}: {page}");
        done.push(name);
    }
    eprintln!("client -> openssl s_server OK for {done:?}");
    assert_eq!(done.len(), CCM.len());
}

/// `openssl s_client` offering only one CCM suite against our server
/// listing all of them after its defaults.
#[test]
fn ccm_server_interop_with_openssl_s_client() {
    if !openssl_available() {
        return;
    }
    let mut config = server_config("p256");
    config.cipher_suites.extend(CipherSuite::OPTIONAL.iter().chain(CipherSuite::OPTIONAL_TLS12));
    let (port, handle) = serve(config, CCM.len());
    for &(name, _, flag) in CCM {
        let (stdout, stderr) = s_client_hello(port, &[flag, list_option(flag), name, "-groups", "X25519:P-256"]);
        assert!(stdout.contains("echo: hello from openssl"), "{name}: {stdout} {stderr}");
        let version = if flag == "-tls1_3" { "TLSv1.3" } else { "TLSv1.2" };
        assert!(stderr.contains(&format!("Protocol version: {version}")), "{stderr}");
        assert!(stderr.contains(&format!("Ciphersuite: {name}")), "{stderr}");
    }
    let seen = handle.join().unwrap();
    let expected: Vec<String> = CCM
        .iter()
        .map(|(_, suite, _)| format!("Some({suite:?}) Some(X25519) alpn=- hrr=false hello from openssl"))
        .collect();
    assert_eq!(seen, expected);
}

/// `purecrypto s_client -ciphersuites` / `-cipher` with OpenSSL's names
/// against `openssl s_server` allowing one CCM suite; and the default
/// client refused by a CCM-only server.
#[test]
fn ccm_s_client_cli_options_and_refusal_without_ccm() {
    if !openssl_available() {
        return;
    }
    let pin = data("p256.crt.pem");
    for &(name, _, flag) in &[CCM[1], CCM[4]] {
        let (_server, port) = start_s_server_version(flag, "p256", &[list_option(flag), name]);
        let connect = format!("127.0.0.1:{port}");
        let (code, out, err) = run_s_client_cli(&[
            "-connect",
            &connect,
            "-servername",
            "localhost",
            list_option(flag),
            name,
            "-pin",
            pin.to_str().unwrap(),
            "-brief",
        ]);
        assert_eq!(code, 0, "{name}: {err}");
        assert!(out.contains(name), "{name}: {out}");

        // Without the option the client does not offer CCM: OpenSSL
        // finds no shared suite.
        let config =
            ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(std::fs::read(data("p256.crt.der")).unwrap())));
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
        assert!(stream.handshake().is_err(), "{name}");
        assert!(
            matches!(stream.conn().error(), Some(Error::AlertReceived(a)) if a.name() == Some("handshake_failure")),
            "{name}: {:?}",
            stream.conn().error()
        );
    }
    // An unknown -cipher name is a usage error, as a TLS 1.3 suite there.
    for bad in ["ECDHE-ECDSA-AES128-CCM9", "TLS_AES_128_CCM_SHA256"] {
        let (code, _, err) = run_s_client_cli(&["-connect", "127.0.0.1:1", "-cipher", bad]);
        assert_ne!(code, 0);
        assert!(err.contains(&format!("unknown cipher '{bad}'")), "{err}");
    }
}

/// `purecrypto s_server -www` with `-ciphersuites` (a TLS 1.3 CCM
/// suite) and `-cipher` (a TLS 1.2 one, OpenSSL's name): `openssl
/// s_client` gets each, and the status page names it.
#[test]
fn ccm_s_server_cli_options_with_openssl_s_client() {
    if !openssl_available() {
        return;
    }
    let server = crate::s_server::Server::start(
        2,
        &[
            "-www",
            "-ciphersuites",
            "TLS_AES_128_GCM_SHA256:TLS_AES_128_CCM_8_SHA256",
            "-cipher",
            "ECDHE-ECDSA-AES256-CCM",
        ],
    );
    let get = b"GET / HTTP/1.0\r\n\r\n";
    for (flag, name, iana) in [
        ("-tls1_3", "TLS_AES_128_CCM_8_SHA256", "TLS_AES_128_CCM_8_SHA256"),
        ("-tls1_2", "ECDHE-ECDSA-AES256-CCM", "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
    ] {
        let out =
            crate::s_server::openssl_s_client_with(server.port, &["-ign_eof", flag, list_option(flag), name], get);
        assert!(out.contains("HTTP/1.0 200 ok") && out.contains(&format!("Cipher    : {iana}\n")), "{name}: {out}");
    }
    server.finish();
}
