//! Interop with the OpenSSL CLI for the optional TLS features: client
//! certificates in both roles and both versions, resumption in both
//! roles (TLS 1.3 tickets, TLS 1.2 tickets and session IDs), and key log
//! files equal to OpenSSL's. One connection per
//! (version, key type) representative, to keep CI time small; the full
//! matrices run in memory (`src/tls/tests/`).
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::Duration;

use purecrypto::tls::{
    AlertDescription, ClientConfig, ClientSessionStore, Connection, DangerousAcceptAnyVerifier, Error,
    InMemoryServerSessionCache, InMemorySessionStore, KeyLogFile, ProtocolVersion, ServerConfig, SigningKey, Stream,
    Ticketer, Tls12Session, X509ClientVerifier,
};
use purecrypto::x509::TrustStore;

use super::tls::{data, openssl_available, run_s_client_cli, serve_each, server_config, start_s_server_version};

pub(crate) fn client_with_cert(version: ProtocolVersion, key: Option<&str>) -> ClientConfig {
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.min_version = version;
    config.max_version = version;
    match key {
        Some(k) => {
            let cert = std::fs::read(data(&format!("client-{k}.crt.der"))).unwrap();
            let pem = std::fs::read(data(&format!("client-{k}.key.pem"))).unwrap();
            config.with_client_cert(vec![cert], SigningKey::from_pkcs8_pem(&pem).unwrap()).unwrap()
        }
        None => config,
    }
}

/// Handshakes, sends a GET, returns the status page or the first error.
fn get(config: ClientConfig, port: u16) -> Result<(String, bool), Error> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    let tls_error = |s: &Stream<TcpStream>| s.conn().error().cloned().unwrap_or(Error::Closed);
    if stream.handshake().is_err() {
        return Err(tls_error(&stream));
    }
    let sent = stream.conn().sent_client_certificate();
    let _ = stream.write_all(b"GET / HTTP/1.0\r\n\r\n");
    let mut page = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => page.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof && stream.conn().error().is_none() => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Err(tls_error(&stream)),
        }
    }
    Ok((String::from_utf8_lossy(&page).into_owned(), sent))
}

/// Our client against `openssl s_server -Verify 1 -verify_return_error
/// -CAfile client-ca`: TLS 1.3 with ECDSA P-256 and RSA (PSS) client
/// keys, TLS 1.2 with Ed25519 and RSA; the status page shows the client
/// certificate OpenSSL verified. Without a certificate the server ends
/// the handshake with certificate_required (1.3) or handshake_failure
/// (1.2).
#[test]
fn client_certificates_against_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let ca = data("client-ca.crt.pem");
    let require = ["-Verify", "1", "-verify_return_error", "-CAfile", ca.to_str().unwrap()];
    let mut done = Vec::new();
    for (flag, version, keys, alert) in [
        ("-tls1_3", ProtocolVersion::Tls13, ["p256", "rsa2048"], AlertDescription::CERTIFICATE_REQUIRED),
        ("-tls1_2", ProtocolVersion::Tls12, ["ed25519", "rsa2048"], AlertDescription::HANDSHAKE_FAILURE),
    ] {
        let (_server, port) = start_s_server_version(flag, "p256", &require);
        for key in keys {
            let (page, sent) = get(client_with_cert(version, Some(key)), port).unwrap();
            assert!(sent, "{flag} {key}");
            assert!(page.contains("Client certificate") && page.contains(&format!("CN=client-{key}")), "{page}");
            done.push(format!("{flag} client-{key}"));
        }
        let err = get(client_with_cert(version, None), port).unwrap_err();
        assert_eq!(err, Error::AlertReceived(alert), "{flag}");
    }
    eprintln!("client certificates -> openssl s_server OK: {done:?}");
}

/// `purecrypto s_client -cert -key` against the same kind of server.
#[test]
fn s_client_cli_presents_a_client_certificate() {
    if !openssl_available() {
        return;
    }
    let ca = data("client-ca.crt.pem");
    let (_server, port) = start_s_server_version(
        "-tls1_3",
        "p256",
        &["-Verify", "1", "-verify_return_error", "-CAfile", ca.to_str().unwrap()],
    );
    let (cert, key) = (data("client-ed25519.crt.pem"), data("client-ed25519.key.pem"));
    let connect = format!("127.0.0.1:{port}");
    let (code, out, err) = run_s_client_cli(&[
        "-connect",
        &connect,
        "-brief",
        "-cert",
        cert.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("CN=client-ed25519"), "{out}");
}

/// Per connection: the client's chain, or the error that ended it.
pub(crate) type ClientAuthSeen = Vec<Result<Vec<Vec<u8>>, Option<Error>>>;

/// The server config asking for a client certificate from `client-ca`.
pub(crate) fn client_auth_config() -> ServerConfig {
    let mut store = TrustStore::new();
    store.add_der(&std::fs::read(data("client-ca.crt.der")).unwrap()).unwrap();
    let mut config = server_config("p256");
    config.client_verifier = Some(Arc::new(X509ClientVerifier::new(store)));
    config
}

/// Serves `count` connections with the P-256 certificate, requiring a
/// client certificate from `client-ca`: each reads a line, answers
/// `echo`.
pub(crate) fn client_auth_server(count: usize) -> (u16, std::thread::JoinHandle<ClientAuthSeen>) {
    serve_each(client_auth_config(), count, |mut stream| {
        let mut line = [0u8; 64];
        match stream.handshake().and_then(|()| stream.read(&mut line)) {
            Ok(_) => {
                let _ = stream.write_all(b"echo\n");
                let _ = stream.close();
                Ok(stream.conn().peer_certificates().to_vec())
            }
            Err(_) => Err(stream.conn().error().cloned()),
        }
    })
}

/// Our server requiring a certificate (through [`X509ClientVerifier`])
/// from `openssl s_client -cert -key`: TLS 1.3 with P-256, TLS 1.2 with
/// RSA; then s_client without a certificate, refused with
/// certificate_required.
#[test]
fn openssl_s_client_certificates_against_our_server() {
    if !openssl_available() {
        return;
    }
    let cases: [(&str, Option<&str>); 3] = [("-tls1_3", Some("p256")), ("-tls1_2", Some("rsa2048")), ("-tls1_3", None)];
    let (port, server) = client_auth_server(cases.len());
    let mut stderrs = Vec::new();
    for (flag, key) in cases {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_client", flag, "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost", "-ign_eof"]);
        if let Some(k) = key {
            cmd.arg("-cert").arg(data(&format!("client-{k}.crt.pem")));
            cmd.arg("-key").arg(data(&format!("client-{k}.key.pem")));
        }
        let mut child = cmd.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
        let out = child.wait_with_output().unwrap();
        stderrs.push(String::from_utf8_lossy(&out.stderr).into_owned() + &String::from_utf8_lossy(&out.stdout));
    }
    let seen = server.join().unwrap();
    for (i, key) in ["p256", "rsa2048"].iter().enumerate() {
        let leaf = std::fs::read(data(&format!("client-{key}.crt.der"))).unwrap();
        assert_eq!(seen[i], Ok(vec![leaf]), "{}", stderrs[i]);
    }
    assert_eq!(seen[2], Err(Some(Error::CertificateRequired)), "{}", stderrs[2]);
    assert!(stderrs[2].contains("certificate required"), "{}", stderrs[2]);
}

/// Our client resumes with a ticket from `openssl s_server -tls1_3`:
/// the second connection is resumed on our side and OpenSSL's status
/// page says "Reused".
#[test]
fn client_resumes_against_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server_version("-tls1_3", "p256", &[]);
    let store = Arc::new(InMemorySessionStore::new(4));
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.session_store = Some(store.clone());
    let config = Arc::new(config);
    let connect = || {
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_client(config.clone(), "localhost").unwrap(), tcp);
        stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        let mut page = Vec::new();
        let _ = stream.read_to_end(&mut page);
        (stream.conn().is_resumed(), stream.conn().tickets_received(), String::from_utf8_lossy(&page).into_owned())
    };
    let (resumed, tickets, page) = connect();
    assert!(!resumed && tickets >= 1, "{tickets} {page}");
    assert!(page.contains("New, TLSv1.3"), "{page}");
    assert!(store.len_for("localhost") >= 1);
    let (resumed, _, page) = connect();
    assert!(resumed, "{page}");
    assert!(page.contains("Reused, TLSv1.3"), "{page}");

    // The CLI: -sess_out, then -sess_in (resumed), with -keylogfile.
    let dir = std::env::temp_dir().join(format!("purecrypto-cli-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (sess, keylog) = (dir.join("sess.pem"), dir.join("keys.log"));
    let connect = format!("127.0.0.1:{port}");
    let cli = |flag: &str| {
        let (sess, keylog) = (sess.to_str().unwrap(), keylog.to_str().unwrap());
        let args = ["-connect", &connect, "-servername", "localhost", flag, sess, "-keylogfile", keylog, "-brief"];
        let (code, out, err) = run_s_client_cli(&args);
        assert_eq!(code, 0, "{err}");
        (out, err)
    };
    let (out, _) = cli("-sess_out");
    assert!(out.contains("New, TLSv1.3"), "{out}");
    let (out, err) = cli("-sess_in");
    assert!(out.contains("Reused, TLSv1.3") && err.contains("Resumed: yes"), "{out} {err}");
    let log = std::fs::read_to_string(&keylog).unwrap();
    assert_eq!(log.lines().filter(|l| l.starts_with("CLIENT_TRAFFIC_SECRET_0 ")).count(), 2, "{log}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Our library client fetching `/` from an `openssl s_server -www` on
/// `port` `times` times with one session store: the first connection is
/// a full handshake, every later one resumes (OpenSSL's page says
/// "Reused"). Returns the session stored after the first.
fn library_resumes_against_openssl(port: u16, times: usize) -> Tls12Session {
    let store = Arc::new(InMemorySessionStore::new(4));
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.session_store = Some(store.clone());
    let config = Arc::new(config);
    let mut first = None;
    for i in 0..times {
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_client(config.clone(), "localhost").unwrap(), tcp);
        stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
        let mut page = Vec::new();
        let _ = stream.read_to_end(&mut page);
        let page = String::from_utf8_lossy(&page);
        let (resumed, expect) = if i == 0 { (false, "New, TLSv1.2") } else { (true, "Reused, TLSv1.2") };
        assert!(stream.conn().is_resumed() == resumed && page.contains(expect), "connection {i}: {page}");
        first = first.or_else(|| store.tls12("localhost"));
    }
    first.expect("a session from the full handshake")
}

/// Our `s_client` with `extra` flags, `-sess_out` then `-sess_in`,
/// against `openssl s_server -www` on `port`: New, then Reused. Returns
/// the saved session.
fn s_client_cli_resumes_against_openssl(port: u16, extra: &[&str], tag: &str) -> Tls12Session {
    let dir = std::env::temp_dir().join(format!("purecrypto-cli-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sess = dir.join("sess.pem");
    let connect = format!("127.0.0.1:{port}");
    let cli = |flag: &str| {
        let args = [&["-connect", &connect, "-servername", "localhost", flag, sess.to_str().unwrap(), "-brief"], extra];
        let (code, out, err) = run_s_client_cli(&args.concat());
        assert_eq!(code, 0, "{err}");
        (out, err)
    };
    let (out, _) = cli("-sess_out");
    assert!(out.contains("New, TLSv1.2"), "{out}");
    let pem = std::fs::read_to_string(&sess).unwrap();
    let pem = purecrypto::asn1::pem::decode_label(pem.as_bytes(), "PURECRYPTO TLS SESSION").unwrap();
    let saved = Tls12Session::from_bytes(&pem.contents).unwrap();
    let (out, err) = cli("-sess_in");
    assert!(out.contains("Reused, TLSv1.2") && err.contains("Resumed: yes"), "{out} {err}");
    let _ = std::fs::remove_dir_all(&dir);
    saved
}

/// Our client resumes with an RFC 5077 ticket from `openssl s_server
/// -tls1_2` (OpenSSL's page says "Reused, TLSv1.2"), and so does the CLI
/// with `-sess_out` / `-sess_in`.
#[test]
fn client_resumes_tls12_against_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server_version("-tls1_2", "p256", &[]);
    assert!(library_resumes_against_openssl(port, 2).has_ticket());
    assert!(s_client_cli_resumes_against_openssl(port, &[], "resume12").has_ticket());
}

/// Session-ID resumption against `openssl s_server -no_ticket` (its
/// session cache): the full handshake leaves a session without a ticket,
/// the next connections resume it, through the library and `s_client
/// -sess_out` / `-sess_in`.
#[test]
fn client_resumes_tls12_by_session_id_against_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server_version("-tls1_2", "p256", &["-no_ticket"]);
    assert!(!library_resumes_against_openssl(port, 3).has_ticket());
    assert!(!s_client_cli_resumes_against_openssl(port, &[], "resume12-id").has_ticket());
}

/// `s_client -no_ticket` against an `openssl s_server` that issues
/// tickets: no ticket is asked for, so the session resumes by ID.
#[test]
fn s_client_no_ticket_resumes_by_session_id_against_openssl() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server_version("-tls1_2", "p256", &[]);
    let saved = s_client_cli_resumes_against_openssl(port, &["-no_ticket"], "no-ticket");
    // A stored session without a ticket has a session ID (from_bytes insists).
    assert!(!saved.has_ticket(), "no ticket was asked for");
}

/// A server with a ticketer, answering each connection with whether it
/// resumed; serves `count` connections.
pub(crate) fn resuming_server(
    count: usize,
    key_log: Option<Arc<KeyLogFile>>,
) -> (u16, std::thread::JoinHandle<Vec<bool>>) {
    let mut config = server_config("p256");
    config.ticketer = Some(Arc::new(Ticketer::from_os().unwrap()));
    config.session_cache = Some(Arc::new(InMemoryServerSessionCache::new(16)));
    config.key_log = key_log.map(|k| k as Arc<dyn purecrypto::tls::KeyLog>);
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for _ in 0..count {
            let (tcp, _) = listener.accept().unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut stream = Stream::new(Connection::new_server(config.clone()).unwrap(), tcp);
            let mut line = [0u8; 64];
            if stream.handshake().and_then(|()| stream.read(&mut line)).is_ok() {
                let _ = stream.write_all(b"echo\n");
            }
            let _ = stream.close();
            seen.push(stream.conn().is_resumed());
        }
        seen
    });
    (port, handle)
}

fn openssl_s_client(port: u16, extra: &[&str]) -> String {
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost", "-ign_eof"])
        .args(extra)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hello\n").unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

/// `openssl s_client -sess_out` then `-sess_in` against our server, in
/// TLS 1.3 and in TLS 1.2 (RFC 5077 tickets): the second connection
/// resumes on both sides.
#[test]
fn openssl_s_client_resumes_against_our_server() {
    if !openssl_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("purecrypto-tls-resume-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sess = dir.join("session.pem");
    let sess = sess.to_str().unwrap();
    let (port, handle) = resuming_server(6, None);
    // TLS 1.3 tickets, TLS 1.2 tickets, TLS 1.2 session IDs.
    for (flags, version) in
        [(&["-tls1_3"][..], "TLSv1.3"), (&["-tls1_2"][..], "TLSv1.2"), (&["-tls1_2", "-no_ticket"][..], "TLSv1.2")]
    {
        let first = openssl_s_client(port, &[flags, &["-sess_out", sess]].concat());
        assert!(first.contains(&format!("New, {version}")), "{first}");
        let second = openssl_s_client(port, &[flags, &["-sess_in", sess]].concat());
        assert!(second.contains(&format!("Reused, {version}")), "{flags:?}: {second}");
    }
    assert_eq!(handle.join().unwrap(), vec![false, true, false, true, false, true]);
    let _ = std::fs::remove_dir_all(&dir);
}

/// `openssl s_client -keylogfile` and our server's [`KeyLogFile`] write
/// the same lines for the same connections, TLS 1.3 and 1.2.
#[test]
fn key_log_file_matches_openssl_s_client_keylogfile() {
    if !openssl_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("purecrypto-tls-keylog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ours, theirs) = (dir.join("ours.log"), dir.join("theirs.log"));
    let (port, handle) = resuming_server(2, Some(Arc::new(KeyLogFile::open(&ours).unwrap())));
    for flag in ["-tls1_3", "-tls1_2"] {
        let out = openssl_s_client(port, &[flag, "-keylogfile", theirs.to_str().unwrap()]);
        assert!(out.contains("echo"), "{out}");
    }
    handle.join().unwrap();
    let lines = |p: &std::path::Path| {
        let mut v: Vec<String> = std::fs::read_to_string(p)
            .unwrap()
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(str::to_string)
            .collect();
        v.sort();
        v
    };
    let (ours, theirs) = (lines(&ours), lines(&theirs));
    assert_eq!(ours.iter().filter(|l| l.starts_with("CLIENT_RANDOM ")).count(), 1, "{ours:#?}");
    assert_eq!(ours.iter().filter(|l| l.starts_with("EXPORTER_SECRET ")).count(), 1, "{ours:#?}");
    assert_eq!(ours, theirs);
    let _ = std::fs::remove_dir_all(&dir);
}

mod props {
    use super::*;
    use proptest::prelude::*;
    use purecrypto::tls::{Tls12Session, Tls13Session};

    proptest! {
        #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

        /// Stored sessions: arbitrary bytes never panic, and whatever
        /// decodes re-encodes to the same bytes.
        #[test]
        fn stored_sessions_decode_strictly(data in proptest::collection::vec(any::<u8>(), 0..200)) {
            // The current encodings round-trip exactly; the older ones
            // (TLS 1.3 version 1, TLS 1.2 0x12) come back in the current.
            if let Ok(s) = Tls13Session::from_bytes(&data) {
                let again = Tls13Session::from_bytes(&s.to_bytes()).unwrap();
                prop_assert_eq!(&again.to_bytes()[..], &s.to_bytes()[..]);
                if data.first() != Some(&1) {
                    prop_assert_eq!(&s.to_bytes()[..], &data[..]);
                }
            }
            if let Ok(s) = Tls12Session::from_bytes(&data) {
                let again = Tls12Session::from_bytes(&s.to_bytes()).unwrap();
                prop_assert_eq!(&again.to_bytes()[..], &s.to_bytes()[..]);
                if data.first() != Some(&0x12) {
                    prop_assert_eq!(&s.to_bytes()[..], &data[..]);
                }
            }
        }

        /// A client with a certificate and a session store survives
        /// arbitrary server bytes.
        #[test]
        fn authenticating_client_survives_arbitrary_server_bytes(data in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut config = client_with_cert(ProtocolVersion::Tls13, Some("p256"));
            config.session_store = Some(Arc::new(InMemorySessionStore::new(1)));
            let mut c = Connection::new_client(Arc::new(config), "localhost").unwrap();
            let _ = c.read_tls(&data);
        }
    }
}
