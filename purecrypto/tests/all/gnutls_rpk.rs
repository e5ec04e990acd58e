//! Raw public keys (RFC 7250) against GnuTLS 3.7, TLS 1.3 and TLS 1.2,
//! both directions, both authentications, and resumption.
//!
//! Client direction: `gnutls-serv --http` with `--rawpkkeyfile` /
//! `--rawpkfile` and `--require-client-cert`; our client pins the server
//! key by the SPKI OpenSSL wrote to `tests/data/tls/*.pub.pem` and
//! answers with its own raw key; GnuTLS's status page must describe a
//! raw-key session. Server direction: our server with a raw key and a
//! pinned client key, `gnutls-cli --rawpkkeyfile/--rawpkfile`, whose
//! session description must say raw keys both ways (`gnutls-cli` cannot
//! pin a raw key, so it runs with `--insecure`; the proof that it used
//! ours is that the handshake verifies under the key we hold).
//! Resumption: our client's resumed connection to `gnutls-serv` reports
//! GnuTLS's raw key, and our server's resumed connection from
//! `gnutls-cli --resume` reports the client's raw key (TLS 1.2 by ticket
//! and by session ID, TLS 1.3 by ticket).
//!
//! Outside CI a missing gnutls-serv or gnutls-cli prints a loud SKIPPED
//! banner; in CI it fails.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::Command;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use purecrypto::tls::{
    ClientConfig, ClientSessionStore, Connection, Error, InMemoryServerSessionCache, InMemorySessionStore,
    PinnedRawKeys, ProtocolVersion, RawKeyIdentity, ServerConfig, SigningKey, Stream, Ticketer,
};

use purecrypto::hash::{Hash, Sha256};

use super::gnutls::{gnutls, gnutls_cli};
use super::tls::{data, get_page, read_line, run_s_client_cli, serve_each, start_listening};

/// Both certificate types, so each side may choose a raw key.
const RAWPK: &str = "NORMAL:-VERS-ALL:+VERS-TLS1.3:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK";
const KEYS: &[&str] = &["p256", "ed25519", "rsa2048"];

/// Each version: ours, GnuTLS's name for it (priority strings and
/// session descriptions).
const VERSIONS: [(ProtocolVersion, &str); 2] = [(ProtocolVersion::Tls13, "TLS1.3"), (ProtocolVersion::Tls12, "TLS1.2")];

/// A GnuTLS priority string for version `vers` (`TLS1.2`, `TLS1.3`)
/// with the certificate types `ctypes` (`:+CTYPE-...` items, or none).
fn priority(vers: &str, ctypes: &str) -> String {
    format!("NORMAL:-VERS-ALL:+VERS-{vers}{ctypes}")
}

const BOTH_CTYPES: &str = ":+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK";

/// The DER SPKI of `name.pub.pem` (written by `openssl pkey -pubout`).
fn spki(name: &str) -> Vec<u8> {
    let pem = std::fs::read(data(&format!("{name}.pub.pem"))).unwrap();
    purecrypto::asn1::pem::decode_label(&pem, "PUBLIC KEY").unwrap().contents.to_vec()
}

fn signing_key(name: &str) -> SigningKey {
    SigningKey::from_pkcs8_pem(&std::fs::read(data(&format!("{name}.key.pem"))).unwrap()).unwrap()
}

fn path(name: &str) -> String {
    data(name).to_str().unwrap().to_owned()
}

/// `gnutls-serv --http` with the raw key `key`, requiring a client key,
/// with the priority string `priority`.
fn start_rawpk_serv(key: &str, priority: &str) -> (super::tls::Peer, u16) {
    start_listening("gnutls-serv", |port| {
        let mut cmd = Command::new("gnutls-serv");
        cmd.args(["--port", &port.to_string(), "--http", "--require-client-cert", "--priority", priority])
            .args(["--rawpkkeyfile", &path(&format!("{key}.key.pem"))])
            .args(["--rawpkfile", &path(&format!("{key}.pub.pem"))]);
        cmd
    })
}

/// Our client pinning `server_key`, with the raw key `client_key`.
fn client(server_key: &str, client_key: Option<&str>) -> ClientConfig {
    let mut config = ClientConfig::with_server_raw_key(Arc::new(PinnedRawKeys::new().with_spki(spki(server_key))));
    config.client_raw_key = client_key.map(|k| RawKeyIdentity::new(signing_key(k)).unwrap());
    config
}

/// [`client`] speaking only `version`.
fn client_at(version: ProtocolVersion, server_key: &str, client_key: Option<&str>) -> ClientConfig {
    let mut config = client(server_key, client_key);
    config.min_version = version;
    config.max_version = version;
    config
}

fn connect(config: ClientConfig, port: u16) -> Result<Stream<TcpStream>, Error> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    match stream.handshake() {
        Ok(()) => Ok(stream),
        Err(_) => Err(stream.conn().error().cloned().unwrap()),
    }
}

#[test]
fn rpk_client_against_gnutls_serv() {
    let Some(()) = gnutls() else { return };
    for (version, vers) in VERSIONS {
        for key in KEYS {
            let (_server, port) = start_rawpk_serv(key, &priority(vers, BOTH_CTYPES));
            for client_key in ["client-p256", "client-ed25519"] {
                let mut stream = connect(client_at(version, key, Some(client_key)), port).unwrap();
                assert_eq!(stream.conn().protocol_version(), Some(version));
                assert_eq!(stream.conn().peer_raw_public_key(), Some(&spki(key)[..]), "{vers} {key}");
                assert!(stream.conn().peer_certificates().is_empty());
                assert!(stream.conn().sent_client_certificate(), "{vers} {key} {client_key}");
                let page = get_page(&mut stream);
                // GnuTLS names one type when both sides used raw keys.
                assert!(page.contains(&format!("({vers}-Raw Public Key)-")), "{vers} {key} {client_key}: {page}");
                eprintln!("client -> gnutls-serv raw keys OK: {vers}, server {key}, client {client_key}");
            }
            // A pin on another key: our client refuses GnuTLS's key.
            let other = if *key == "p256" { "ed25519" } else { "p256" };
            let err = connect(client_at(version, other, Some("client-p256")), port).err();
            assert_eq!(err, Some(Error::BadCertificate { what: "raw public key is not pinned" }), "{vers} {key}");
        }
        // Without a key of its own the client is refused (GnuTLS requires one).
        let (_server, port) = start_rawpk_serv("p256", &priority(vers, BOTH_CTYPES));
        let mut failed = match connect(client_at(version, "p256", None), port) {
            Err(e) => Some(e),
            Ok(mut stream) => {
                let mut sink = Vec::new();
                let _ = stream.read_to_end(&mut sink);
                stream.conn().error().cloned()
            }
        };
        assert!(matches!(failed.take(), Some(Error::AlertReceived(_))), "{vers}: no client key accepted");
    }
}

/// What our server saw of one connection: the client's raw key, if it
/// sent one, or the handshake error.
type Seen = Result<Option<Vec<u8>>, Error>;

/// Our server with the raw key `key`, pinning `client-p256`'s key as an
/// optional client key: for each of `count` connections echoes a line and
/// reports the client key it saw, or its handshake error.
fn rawpk_server(key: &str, count: usize) -> (u16, JoinHandle<Vec<Seen>>) {
    let mut config = ServerConfig::with_raw_public_key(signing_key(key)).unwrap();
    config.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(spki("client-p256")).optional()));
    serve_each(config, count, |mut stream| {
        if stream.handshake().is_err() {
            return Err(stream.conn().error().cloned().unwrap());
        }
        let line = read_line(&mut stream);
        let _ = stream.write_all(&[b"echo: ", &line[..]].concat());
        let _ = stream.close();
        Ok(stream.conn().peer_raw_public_key().map(<[u8]>::to_vec))
    })
}

#[test]
fn rpk_gnutls_cli_against_our_server() {
    let Some(()) = gnutls() else { return };
    for (_, vers) in VERSIONS {
        for key in KEYS {
            let (port, server) = rawpk_server(key, 4);
            let both = priority(vers, BOTH_CTYPES);
            let with_key = [
                "--insecure",
                "--priority",
                &both,
                "--rawpkkeyfile",
                &path("client-p256.key.pem"),
                "--rawpkfile",
                &path("client-p256.pub.pem"),
            ];
            let (out, log) = gnutls_cli(port, &with_key, b"hello from gnutls\n".to_vec());
            let out = String::from_utf8_lossy(&out);
            assert!(out.contains("echo: hello from gnutls"), "{vers} {key}: {out} {log}");
            // One type named: the same both ways.
            assert!(log.contains(&format!("- Description: ({vers}-Raw Public Key)-")), "{vers} {key}: {log}");
            // Taking a raw key but offering none (GnuTLS gives up if it
            // offers client raw keys without one): server authentication only.
            let server_only = priority(vers, ":+CTYPE-SRV-RAWPK");
            let (out, log) = gnutls_cli(port, &["--insecure", "--priority", &server_only], b"hello again\n".to_vec());
            assert!(String::from_utf8_lossy(&out).contains("echo: hello again"), "{vers} {key}: {log}");
            // Client type first: X.509 (it sent nothing), then the server's.
            assert!(log.contains(&format!("- Description: ({vers}-X.509-Raw Public Key)-")), "{vers} {key}: {log}");
            // Certificates only: no type in common.
            let (_, log) = gnutls_cli(port, &["--insecure", "--priority", &priority(vers, "")], b"x\n".to_vec());
            assert!(log.contains("Received alert [43]"), "{vers} {key}: {log}");
            // A client key that is not pinned.
            let unpinned = [
                "--insecure",
                "--priority",
                &both,
                "--rawpkkeyfile",
                &path("client-ed25519.key.pem"),
                "--rawpkfile",
                &path("client-ed25519.pub.pem"),
            ];
            let (out, log) = gnutls_cli(port, &unpinned, b"x\n".to_vec());
            assert!(!String::from_utf8_lossy(&out).contains("echo"), "{vers} {key}: {log}");
            let seen = server.join().unwrap();
            assert_eq!(seen[0], Ok(Some(spki("client-p256"))), "{vers} {key}");
            assert_eq!(seen[1], Ok(None), "{vers} {key}");
            assert!(matches!(seen[2], Err(Error::UnsupportedCertificate { .. })), "{vers} {key}: {:?}", seen[2]);
            assert_eq!(seen[3], Err(Error::BadCertificate { what: "raw public key is not pinned" }), "{vers} {key}");
            eprintln!("gnutls-cli -> our server raw keys OK: {vers} {key}");
        }
    }
}

/// `purecrypto s_client -rpk_pin -enable_client_rpk` against
/// `gnutls-serv`, and `gnutls-cli` against `purecrypto s_server
/// -enable_server_rpk -rpk_pin` (no certificate at all).
#[test]
fn rpk_s_client_and_s_server_cli_with_gnutls() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = start_rawpk_serv("ed25519", RAWPK);
    let connect = format!("127.0.0.1:{port}");
    let (pin, key) = (path("ed25519.pub.pem"), path("client-p256.key.pem"));
    let args = ["-connect", &connect, "-brief", "-rpk_pin", &pin, "-enable_client_rpk", "-key", &key];
    let (code, out, err) = run_s_client_cli(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(TLS1.3-Raw Public Key)-"), "{out}");
    assert!(err.contains("Server raw public key: sha256:"), "{err}");
    let wrong = path("p256.pub.pem");
    let (code, _, err) = run_s_client_cli(&["-connect", &connect, "-rpk_pin", &wrong]);
    assert_ne!(code, 0, "{err}");
    // `-rpk_pin` leaves `-tls1_2` alone: raw keys both ways in TLS 1.2.
    let (_server12, port12) = start_rawpk_serv("ed25519", &priority("TLS1.2", BOTH_CTYPES));
    let connect12 = format!("127.0.0.1:{port12}");
    let args = ["-connect", &connect12, "-brief", "-tls1_2", "-rpk_pin", &pin, "-enable_client_rpk", "-key", &key];
    let (code, out, err) = run_s_client_cli(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(TLS1.2-Raw Public Key)-"), "{out}");
    assert!(err.contains("Server raw public key: sha256:"), "{err}");

    let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"));
    let server_port = super::tls::free_port();
    child.args(["s_server", "-accept", &format!("127.0.0.1:{server_port}"), "-naccept", "1", "-www"]).args([
        "-enable_server_rpk",
        "-key",
        &path("p256.key.pem"),
        "-rpk_pin",
        &path("client-p256.pub.pem"),
    ]);
    let mut server = super::tls::Peer(start_child(child));
    let with_key = [
        "--insecure",
        "--priority",
        RAWPK,
        "--rawpkkeyfile",
        &path("client-p256.key.pem"),
        "--rawpkfile",
        &path("client-p256.pub.pem"),
    ];
    let (page, log) = gnutls_cli(server_port, &with_key, b"GET / HTTP/1.0\r\n\r\n".to_vec());
    let page = String::from_utf8_lossy(&page);
    let client_pin = Sha256::digest(&spki("client-p256"));
    let hex: String = client_pin.iter().map(|b| format!("{b:02x}")).collect();
    assert!(page.contains(&format!("Client raw public key: sha256:{hex}")), "{page} {log}");
    assert!(server.0.wait().unwrap().success());
}

/// Starts the s_server `command` and waits until it prints `ACCEPT`.
fn start_child(mut command: Command) -> std::process::Child {
    use std::io::BufRead;
    let mut child = command.stdout(std::process::Stdio::piped()).stderr(std::process::Stdio::null()).spawn().unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
    assert_eq!(line, "ACCEPT\n");
    child
}

/// A client that takes a raw key or a certificate, against a TLS 1.2
/// `gnutls-serv` that has only a certificate: GnuTLS answers X.509 and
/// the handshake goes on with the certificate (RFC 7250 section 4.2).
#[test]
fn rpk_offer_falls_back_to_x509_in_tls12_against_gnutls_serv() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = super::gnutls::start_gnutls_serv(
        "p256",
        &["--http", "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2:+CTYPE-SRV-RAWPK:+CTYPE-CLI-RAWPK"],
    );
    let leaf = std::fs::read(data("p256.crt.der")).unwrap();
    let mut config = client("p256", None);
    config.verifier = Arc::new(purecrypto::tls::PinnedCertVerifier::Certificate(leaf.clone()));
    config.server_certificate_types =
        vec![purecrypto::tls::CertificateType::RAW_PUBLIC_KEY, purecrypto::tls::CertificateType::X509];
    config.min_version = purecrypto::tls::ProtocolVersion::Tls12;
    let mut stream = connect(config, port).unwrap();
    assert_eq!(stream.conn().peer_certificates(), [leaf]);
    assert!(get_page(&mut stream).contains("TLS1.2"));
}

/// A session from a raw-key handshake with `gnutls-serv` resumes (TLS
/// 1.3 by ticket, TLS 1.2 by ticket and by session ID), and the resumed
/// connection still reports GnuTLS's raw key (no Certificate message
/// comes with a resumption).
#[test]
fn rpk_session_resumes_against_gnutls_serv_with_the_raw_key() {
    let Some(()) = gnutls() else { return };
    for (version, vers, tickets) in [
        (ProtocolVersion::Tls13, "TLS1.3", true),
        (ProtocolVersion::Tls12, "TLS1.2", true),
        (ProtocolVersion::Tls12, "TLS1.2", false),
    ] {
        let (_server, port) = start_rawpk_serv("ed25519", &priority(vers, BOTH_CTYPES));
        let store = Arc::new(InMemorySessionStore::new(4));
        let config = || {
            let mut config = client_at(version, "ed25519", Some("client-p256"));
            config.session_store = Some(store.clone());
            config.tls12_session_tickets = tickets;
            config
        };
        let mut first = connect(config(), port).unwrap();
        get_page(&mut first);
        assert!(!first.conn().is_resumed());
        match version {
            ProtocolVersion::Tls13 => assert!(store.len_for("localhost") > 0, "gnutls-serv issued no ticket"),
            _ => {
                let session = store.tls12("localhost").expect("a TLS 1.2 session");
                assert_eq!(session.has_ticket(), tickets, "{vers}");
            }
        }
        let mut second = connect(config(), port).unwrap();
        assert!(second.conn().is_resumed(), "gnutls-serv did not resume ({vers}, tickets {tickets})");
        assert_eq!(second.conn().protocol_version(), Some(version));
        assert_eq!(second.conn().peer_raw_public_key(), Some(&spki("ed25519")[..]), "{vers}");
        assert!(second.conn().peer_certificates().is_empty());
        let page = get_page(&mut second);
        assert!(page.contains("HTTP/1.0 200"), "{page}");
        eprintln!("client -> gnutls-serv raw-key resumption OK: {vers}, tickets {tickets}");
    }
}

/// `gnutls-cli --resume` with its raw key against our server (raw key,
/// pinned client key required, tickets and a session cache): both
/// connections succeed, the second resumes, and our server's resumed
/// connection reports the client's raw key from the first (TLS 1.3 by
/// ticket, TLS 1.2 by ticket and, with `--noticket`, by session ID).
#[test]
fn rpk_gnutls_cli_resumes_and_our_server_reports_its_key() {
    let Some(()) = gnutls() else { return };
    for (vers, no_ticket) in [("TLS1.3", false), ("TLS1.2", false), ("TLS1.2", true)] {
        let mut config = ServerConfig::with_raw_public_key(signing_key("p256")).unwrap();
        config.client_raw_key_verifier = Some(Arc::new(PinnedRawKeys::new().with_spki(spki("client-p256"))));
        config.ticketer = Some(Arc::new(Ticketer::from_os().unwrap()));
        config.session_cache = Some(Arc::new(InMemoryServerSessionCache::new(8)));
        let (port, server) = serve_each(config, 2, |mut stream| {
            if stream.handshake().is_err() {
                return Err(stream.conn().error().cloned().unwrap());
            }
            let line = read_line(&mut stream);
            let _ = stream.write_all(&[b"echo: ", &line[..]].concat());
            let _ = stream.close();
            Ok((stream.conn().is_resumed(), stream.conn().peer_raw_public_key().map(<[u8]>::to_vec)))
        });
        let both = priority(vers, BOTH_CTYPES);
        let (key_file, pub_file) = (path("client-p256.key.pem"), path("client-p256.pub.pem"));
        let mut args =
            vec!["--insecure", "--resume", "--priority", &both, "--rawpkkeyfile", &key_file, "--rawpkfile", &pub_file];
        if no_ticket {
            args.push("--noticket");
        }
        let (out, log) = gnutls_cli(port, &args, b"hello resumed\n".to_vec());
        assert!(String::from_utf8_lossy(&out).contains("echo: hello resumed"), "{vers}: {log}");
        assert!(log.contains("This is a resumed session"), "{vers} no_ticket {no_ticket}: {log}");
        let key = Some(spki("client-p256"));
        assert_eq!(server.join().unwrap(), [Ok((false, key.clone())), Ok((true, key))], "{vers} no_ticket {no_ticket}");
        eprintln!("gnutls-cli --resume -> our server reports the client's raw key: {vers}, no_ticket {no_ticket}");
    }
}
