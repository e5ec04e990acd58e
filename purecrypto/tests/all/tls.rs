//! TLS 1.3 interop with the OpenSSL CLI, both directions, and properties
//! of the public API.
//!
//! Client direction: `openssl s_server -tls1_3 -www` with each throwaway
//! certificate in `tests/data/tls/`; our client connects once per suite x
//! group, asks for a KeyUpdate, sends a GET and reads the status page,
//! which names the suite OpenSSL negotiated. Server direction: our
//! server on a local port, `openssl s_client -tls1_3` once per suite x
//! group x key type, sending a line and reading our echo.
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use purecrypto::tls::{
    CipherSuite, ClientConfig, Connection, DangerousAcceptAnyVerifier, Error, Event, NamedGroup, PinnedCertVerifier,
    ProtocolVersion, ServerConfig, SignatureScheme, SigningKey, Stream,
};

const KEY_TYPES: &[&str] = &["rsa2048", "rsapss", "p256", "p384", "ed25519", "ed448"];
const SUITES: &[(&str, CipherSuite)] = &[
    ("TLS_AES_128_GCM_SHA256", CipherSuite::TLS_AES_128_GCM_SHA256),
    ("TLS_AES_256_GCM_SHA384", CipherSuite::TLS_AES_256_GCM_SHA384),
    ("TLS_CHACHA20_POLY1305_SHA256", CipherSuite::TLS_CHACHA20_POLY1305_SHA256),
];
const GROUPS: &[(&str, NamedGroup)] = &[
    ("X25519", NamedGroup::X25519),
    ("P-256", NamedGroup::SECP256R1),
    ("P-384", NamedGroup::SECP384R1),
    ("P-521", NamedGroup::SECP521R1),
    ("ffdhe2048", NamedGroup::FFDHE2048),
    ("ffdhe3072", NamedGroup::FFDHE3072),
];

pub(crate) fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls").join(name)
}

pub(crate) fn openssl_available() -> bool {
    peer_available("openssl", "version", "TLS 1.3 interop, both directions")
}

/// Whether `program version_arg` runs. Missing: a panic in CI, a loud
/// SKIPPED banner naming `what` otherwise.
pub(crate) fn peer_available(program: &str, version_arg: &str, what: &str) -> bool {
    let found = Command::new(program).arg(version_arg).output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "{program} is required in CI for the TLS interop tests");
        eprintln!("==================================================================");
        eprintln!("SKIPPED: {program} not installed ({what})");
        eprintln!("==================================================================");
    }
    found
}

/// A port that is free now and that no other test of this process has
/// been given: the tests start peers in parallel, and a port from
/// `bind(0)`, released at once, can be handed out again before its first
/// taker binds it, so two peers could race for it (and the loser's
/// readiness check would find the winner listening). The ports come from
/// a per-process sequence below Linux's ephemeral range (32768 and up),
/// where client sockets do not land either.
pub(crate) fn free_port() -> u16 {
    use std::sync::atomic::{AtomicU32, Ordering};
    const BASE: u32 = 20_000;
    const SPAN: u32 = 12_000;
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let start = std::process::id().wrapping_mul(7919);
    for _ in 0..SPAN {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let port = u16::try_from(BASE + start.wrapping_add(n) % SPAN).unwrap_or(0);
        if TcpListener::bind(("127.0.0.1", port)).is_ok() {
            return port;
        }
    }
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A child process killed on drop.
pub(crate) struct Peer(pub(crate) Child);

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start_s_server(key: &str, extra: &[&str]) -> (Peer, u16) {
    start_s_server_version("-tls1_3", key, extra)
}

pub(crate) fn start_s_server_version(version: &str, key: &str, extra: &[&str]) -> (Peer, u16) {
    start_listening("openssl s_server", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", version, "-www", "-accept", &format!("127.0.0.1:{port}"), "-cert"])
            .arg(data(&format!("{key}.crt.pem")))
            .arg("-key")
            .arg(data(&format!("{key}.key.pem")))
            .args(extra);
        cmd
    })
}

/// Starts the server `command(port)` builds on a free port (its output
/// discarded), and returns it once 127.0.0.1:port accepts; tries another
/// port if the server exits first (someone took the port meanwhile).
pub(crate) fn start_listening(name: &str, command: impl Fn(u16) -> Command) -> (Peer, u16) {
    start_listening_with_stdio(name, |port| {
        let mut cmd = command(port);
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null());
        cmd
    })
}

/// [`start_listening`] for a `command` that sets its own standard I/O.
pub(crate) fn start_listening_with_stdio(name: &str, command: impl Fn(u16) -> Command) -> (Peer, u16) {
    for _ in 0..5 {
        let port = free_port();
        let child = command(port).spawn().unwrap();
        let mut peer = Peer(child);
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return (peer, port);
            }
            if peer.0.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
    panic!("{name} did not start");
}

/// Connects with `config`, optionally sends a KeyUpdate (asking the
/// server for one too), then a GET; returns the status page.
///
/// `s_server -www` answers a KeyUpdate only after a one-second sleep (its
/// read loop sleeps whenever a read returns no application data), so the
/// matrix below asks for one on a few connections, not on all 108.
fn get_status(config: ClientConfig, port: u16, key_update: bool) -> String {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let conn = Connection::new_client(Arc::new(config), "localhost").unwrap();
    let mut stream = Stream::new(conn, tcp);
    stream.handshake().unwrap();
    if key_update {
        stream.conn_mut().refresh_traffic_keys().unwrap();
    }
    let page = get_page(&mut stream);
    let _ = stream.close();
    page
}

/// Sends `GET / HTTP/1.0` and reads the answer until the server closes.
pub(crate) fn get_page(stream: &mut Stream<TcpStream>) -> String {
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut page = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => page.extend_from_slice(&buf[..n]),
            // s_server -www may close the socket right after its
            // close_notify or without one; the page is complete either way.
            Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => panic!("read: {e}"),
        }
    }
    String::from_utf8_lossy(&page).into_owned()
}

#[test]
fn client_interop_with_openssl_s_server_every_suite_group_and_key() {
    if !openssl_available() {
        return;
    }
    let mut combos = Vec::new();
    for key in KEY_TYPES {
        let (_server, port) = start_s_server(key, &["-groups", "X25519:P-256:P-384:P-521:ffdhe2048:ffdhe3072"]);
        let leaf = std::fs::read(data(&format!("{key}.crt.der"))).unwrap();
        for (suite_name, suite) in SUITES {
            for (group_name, group) in GROUPS {
                let mut config = ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf.clone())));
                config.cipher_suites = vec![*suite];
                config.groups = vec![*group];
                // A KeyUpdate on every seventh connection: 16 of them,
                // spread over every key, suite and group.
                let key_update = combos.len() % (GROUPS.len() + 1) == 0;
                let page = get_status(config, port, key_update);
                assert!(page.contains("Protocol version: TLSv1.3") || page.contains("TLSv1.3"), "{page}");
                assert!(page.contains(suite_name), "{key} {suite_name} {group_name}: {page}");
                combos.push(format!("{suite_name} x {group_name} x {key}"));
            }
        }
    }
    eprintln!("client -> openssl s_server OK for {} combinations: {combos:#?}", combos.len());
    assert_eq!(combos.len(), KEY_TYPES.len() * SUITES.len() * GROUPS.len());
}

#[test]
fn client_interop_hello_retry_and_alpn_with_openssl() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server("p256", &["-groups", "P-384", "-alpn", "h2,http/1.1"]);
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.groups = vec![NamedGroup::X25519, NamedGroup::SECP384R1];
    config.initial_key_shares = 1;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    stream.handshake().unwrap();
    assert!(stream.conn().had_hello_retry());
    assert_eq!(stream.conn().negotiated_group(), Some(NamedGroup::SECP384R1));
    assert_eq!(stream.conn().alpn_protocol(), Some(&b"http/1.1"[..]));
    stream.write_all(b"GET / HTTP/1.0\r\n\r\n").unwrap();
    let mut page = Vec::new();
    let _ = stream.read_to_end(&mut page);
    assert!(String::from_utf8_lossy(&page).contains("TLSv1.3"));
}

pub(crate) fn server_config(key: &str) -> ServerConfig {
    let cert = std::fs::read(data(&format!("{key}.crt.der"))).unwrap();
    let pem = std::fs::read(data(&format!("{key}.key.pem"))).unwrap();
    ServerConfig::new(vec![cert], SigningKey::from_pkcs8_pem(&pem).unwrap()).unwrap()
}

/// A server thread on a free port: `count` connections with `config`
/// (reads time out after 20 s), each handed to `each`; joins to what
/// each returned.
pub(crate) fn serve_each<T: Send + 'static>(
    config: ServerConfig,
    count: usize,
    each: impl Fn(Stream<TcpStream>) -> T + Send + 'static,
) -> (u16, std::thread::JoinHandle<Vec<T>>) {
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = std::thread::spawn(move || {
        (0..count)
            .map(|_| {
                let (tcp, _) = listener.accept().unwrap();
                tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                each(Stream::new(Connection::new_server(config.clone()).unwrap(), tcp))
            })
            .collect()
    });
    (port, server)
}

/// Reads one line (up to and with its `\n`, or what came before an
/// error or the end).
pub(crate) fn read_line(stream: &mut Stream<TcpStream>) -> Vec<u8> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\n") {
        match stream.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => break,
        }
    }
    line
}

/// Serves `count` connections: reads one line, answers `echo: <line>`,
/// sends close_notify.
pub(crate) fn serve(config: ServerConfig, count: usize) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    serve_each(config, count, |mut stream| {
        if let Err(e) = stream.handshake() {
            return format!("handshake error: {e}");
        }
        let line = read_line(&mut stream);
        let suite = stream.conn().cipher_suite();
        let group = stream.conn().negotiated_group();
        let alpn = String::from_utf8_lossy(stream.conn().alpn_protocol().unwrap_or(b"-")).into_owned();
        let retried = stream.conn().had_hello_retry();
        let _ = stream.write_all(&[b"echo: ", &line[..]].concat());
        let _ = stream.close();
        format!("{suite:?} {group:?} alpn={alpn} hrr={retried} {}", String::from_utf8_lossy(&line).trim())
    })
}

fn s_client(port: u16, suite: &str, group: &str, extra: &[&str]) -> (String, String) {
    s_client_hello(port, &[&["-tls1_3", "-ciphersuites", suite, "-groups", group], extra].concat())
}

/// `openssl s_client ARGS` against 127.0.0.1:`port`, sending a line: its
/// standard output and error.
pub(crate) fn s_client_hello(port: u16, args: &[&str]) -> (String, String) {
    let connect = format!("127.0.0.1:{port}");
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &connect, "-servername", "localhost", "-ign_eof", "-brief"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"hello from openssl\n").unwrap();
    let out = child.wait_with_output().unwrap();
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn server_interop_with_openssl_s_client_every_suite_group_and_key() {
    if !openssl_available() {
        return;
    }
    let mut combos = Vec::new();
    for key in KEY_TYPES {
        let (port, handle) = serve(server_config(key), SUITES.len() * GROUPS.len());
        for (suite_name, _) in SUITES {
            for (group_name, _) in GROUPS {
                let (stdout, stderr) = s_client(port, suite_name, group_name, &[]);
                assert!(
                    stdout.contains("echo: hello from openssl"),
                    "{key} {suite_name} {group_name}: {stdout} {stderr}"
                );
                assert!(stderr.contains("Protocol version: TLSv1.3"), "{stderr}");
                assert!(stderr.contains(&format!("Ciphersuite: {suite_name}")), "{stderr}");
                combos.push(format!("{suite_name} x {group_name} x {key}"));
            }
        }
        let seen = handle.join().unwrap();
        assert!(seen.iter().all(|s| s.ends_with("hello from openssl")), "{seen:?}");
    }
    eprintln!("openssl s_client -> server OK for {} combinations: {combos:#?}", combos.len());
}

#[test]
fn server_interop_hello_retry_and_alpn_with_openssl() {
    if !openssl_available() {
        return;
    }
    let mut config = server_config("ed25519");
    config.groups = vec![NamedGroup::SECP384R1];
    config.alpn_protocols = vec![b"h2".to_vec()];
    let (port, handle) = serve(config, 1);
    // OpenSSL's client sends a share for its first group only (X25519),
    // so the server must ask for P-384.
    let (stdout, stderr) = s_client(port, "TLS_AES_128_GCM_SHA256", "X25519:P-384", &["-alpn", "http/1.1,h2"]);
    assert!(stdout.contains("echo: hello from openssl"), "{stdout} {stderr}");
    assert!(stderr.contains("Server Temp Key: ECDH, secp384r1") || stderr.contains("P-384"), "{stderr}");
    // `-brief` does not print ALPN; the server reports what it agreed.
    let seen = handle.join().unwrap();
    assert_eq!(seen, vec!["Some(TLS_AES_128_GCM_SHA256) Some(P-384) alpn=h2 hrr=true hello from openssl".to_string()]);
}

#[test]
fn connection_rejects_garbage_with_a_typed_error() {
    let config = Arc::new(ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)));
    let mut c = Connection::new_client(config, "localhost").unwrap();
    assert_eq!(c.read_tls(&[0xff; 10]), Err(Error::UnexpectedMessage { what: "unknown record type" }));
    assert_eq!(c.poll_event(), None::<Event>);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        /// Arbitrary bytes never panic a client; in whatever chunks.
        #[test]
        fn client_survives_arbitrary_server_bytes(data in proptest::collection::vec(any::<u8>(), 0..600), split in 0usize..600) {
            let config = Arc::new(ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier)));
            let mut c = Connection::new_client(config, "localhost").unwrap();
            let (a, b) = data.split_at(split.min(data.len()));
            if c.read_tls(a).is_ok() {
                let _ = c.read_tls(b);
            }
        }

        /// A server fed a valid record header with arbitrary contents
        /// errors or waits, never panics.
        #[test]
        fn server_survives_arbitrary_handshake_records(body in proptest::collection::vec(any::<u8>(), 0..400)) {
            let mut s = Connection::new_server(Arc::new(server_config("p256"))).unwrap();
            let mut rec = vec![22, 3, 1, (body.len() >> 8) as u8, body.len() as u8];
            rec.extend_from_slice(&body);
            let _ = s.read_tls(&rec);
        }
    }
}

/// Runs `purecrypto s_client -ign_eof ARGS` in process with an HTTP/1.0
/// request on standard input; returns the exit code, standard output and
/// standard error.
pub(crate) fn run_s_client_cli(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> =
        ["s_client", "-ign_eof"].into_iter().chain(args.iter().copied()).map(ToString::to_string).collect();
    let mut stdin: &[u8] = b"GET / HTTP/1.0\r\n\r\n";
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = purecrypto::cli::run(
        &args,
        &mut purecrypto::cli::Io { stdin: &mut stdin, stdout: &mut stdout, stderr: &mut stderr },
    );
    (code, String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

#[test]
fn s_client_cli_talks_to_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server("p384", &["-groups", "P-256"]);
    let pin = data("p384.crt.pem");
    let connect = format!("127.0.0.1:{port}");
    let (code, out, err) = run_s_client_cli(&[
        "-connect",
        &connect,
        "-servername",
        "localhost",
        "-tls1_3",
        "-groups",
        "X25519:P-256",
        "-ciphersuites",
        "TLS_CHACHA20_POLY1305_SHA256",
        "-pin",
        pin.to_str().unwrap(),
        "-brief",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("TLS_CHACHA20_POLY1305_SHA256"), "{out}");
    assert!(err.contains("Ciphersuite: TLS_CHACHA20_POLY1305_SHA256") && err.contains("Group: P-256"), "{err}");
    assert!(!err.contains("NOT verified"), "{err}");
}

/// TLS 1.2 suites with OpenSSL's names and the throwaway key that fits.
pub(crate) const SUITES12: &[(&str, CipherSuite, &str)] = &[
    ("ECDHE-ECDSA-AES128-GCM-SHA256", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, "p256"),
    ("ECDHE-ECDSA-AES256-GCM-SHA384", CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, "p256"),
    ("ECDHE-ECDSA-CHACHA20-POLY1305", CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256, "p256"),
    ("ECDHE-RSA-AES128-GCM-SHA256", CipherSuite::TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, "rsa2048"),
    ("ECDHE-RSA-AES256-GCM-SHA384", CipherSuite::TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, "rsa2048"),
    ("ECDHE-RSA-CHACHA20-POLY1305", CipherSuite::TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256, "rsa2048"),
];

/// Our client (offering TLS 1.3 and 1.2) against `openssl s_server
/// -tls1_2`, once per TLS 1.2 suite with ECDSA P-256 and RSA-2048
/// certificates, the group rotating over X25519, P-256, P-384: the
/// connection must settle on 1.2 and OpenSSL's status page must name the
/// suite.
#[test]
fn tls12_client_interop_with_openssl_s_server_every_suite() {
    if !openssl_available() {
        return;
    }
    let mut combos = Vec::new();
    for key in ["p256", "rsa2048"] {
        let (_server, port) = start_s_server_version("-tls1_2", key, &["-groups", "X25519:P-256:P-384"]);
        let leaf = std::fs::read(data(&format!("{key}.crt.der"))).unwrap();
        for (i, (name, suite, _)) in SUITES12.iter().filter(|(_, _, k)| *k == key).enumerate() {
            let (group_name, group) = GROUPS[i % 3];
            let mut config = ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf.clone())));
            config.cipher_suites = CipherSuite::SUPPORTED.to_vec();
            config.cipher_suites.push(*suite);
            // RFC 8422 section 5.1: supported_groups also covers the
            // curve of an ECDSA certificate, so P-256 is always listed.
            config.groups = vec![group];
            if group != NamedGroup::SECP256R1 {
                config.groups.push(NamedGroup::SECP256R1);
            }
            let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
            stream.handshake().unwrap();
            assert_eq!(stream.conn().protocol_version(), Some(ProtocolVersion::Tls12));
            assert_eq!(stream.conn().cipher_suite(), Some(*suite));
            let page = get_page(&mut stream);
            assert!(page.contains("TLSv1.2") && page.contains(name), "{key} {name} {group_name}: {page}");
            combos.push(format!("{name} x {group_name} x {key}"));
        }
    }
    eprintln!("TLS 1.2 client -> openssl s_server -tls1_2 OK: {combos:#?}");
    assert_eq!(combos.len(), SUITES12.len());
}

/// `openssl s_client -tls1_2 -cipher CIPHER` and `extra`: as
/// [`s_client_hello`].
fn s_client12(port: u16, cipher: &str, extra: &[&str]) -> (String, String) {
    s_client_hello(port, &[&["-tls1_2", "-cipher", cipher], extra].concat())
}

/// `openssl s_client -tls1_2 -cipher X` against our default server
/// (which also speaks 1.3 and so sets the downgrade sentinel), once per
/// TLS 1.2 suite with the fitting certificate.
#[test]
fn tls12_server_interop_with_openssl_s_client_every_suite() {
    if !openssl_available() {
        return;
    }
    let mut combos = Vec::new();
    for key in ["p256", "rsa2048"] {
        let mine: Vec<_> = SUITES12.iter().filter(|(_, _, k)| *k == key).collect();
        // The server prefers P-384 and X25519 over P-256, and the client
        // lists P-256 last (the curve of the ECDSA certificate must be
        // listed, RFC 8422 section 5.1), so each run uses its own group.
        let mut config = server_config(key);
        config.groups = vec![NamedGroup::SECP384R1, NamedGroup::X25519, NamedGroup::SECP256R1];
        let (port, handle) = serve(config, mine.len());
        for (i, (name, _, _)) in mine.iter().enumerate() {
            let group = ["X25519:P-256", "P-256", "P-384:P-256"][i % 3];
            let (stdout, stderr) = s_client12(port, name, &["-groups", group]);
            assert!(stdout.contains("echo: hello from openssl"), "{key} {name}: {stdout} {stderr}");
            assert!(stderr.contains("Protocol version: TLSv1.2"), "{stderr}");
            assert!(stderr.contains(&format!("Ciphersuite: {name}")), "{stderr}");
            combos.push(format!("{name} x {group} x {key}"));
        }
        let seen = handle.join().unwrap();
        assert!(seen.iter().all(|s| s.ends_with("hello from openssl")), "{seen:?}");
    }
    eprintln!("openssl s_client -tls1_2 -> TLS 1.2 server OK: {combos:#?}");
    assert_eq!(combos.len(), SUITES12.len());
}

/// An `id-RSASSA-PSS` certificate in TLS 1.2 (an `ECDHE_RSA` suite
/// signing with `rsa_pss_pss_*`, RFC 8446 section 4.2.3), both
/// directions: our client against `openssl s_server -tls1_2` offering one
/// scheme at a time, and `openssl s_client -tls1_2 -sigalgs` with each
/// scheme against our server.
#[test]
fn tls12_rsa_pss_certificate_both_directions_with_openssl() {
    if !openssl_available() {
        return;
    }
    let schemes = [
        ("rsa_pss_pss_sha256", "SHA256", SignatureScheme::RSA_PSS_PSS_SHA256),
        ("rsa_pss_pss_sha384", "SHA384", SignatureScheme::RSA_PSS_PSS_SHA384),
        ("rsa_pss_pss_sha512", "SHA512", SignatureScheme::RSA_PSS_PSS_SHA512),
    ];
    let (_server, port) = start_s_server_version("-tls1_2", "rsapss", &[]);
    let leaf = std::fs::read(data("rsapss.crt.der")).unwrap();
    let (our_port, handle) = serve(server_config("rsapss"), schemes.len());
    let rsa_suites = SUITES12.iter().filter(|(_, _, key)| *key == "rsa2048");
    for ((name, hash, scheme), &(suite_name, suite, _)) in schemes.iter().zip(rsa_suites) {
        let mut config = ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf.clone())));
        config.max_version = ProtocolVersion::Tls12;
        config.cipher_suites = vec![suite];
        config.signature_schemes = vec![*scheme];
        let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
        stream.handshake().unwrap();
        assert_eq!(stream.conn().protocol_version(), Some(ProtocolVersion::Tls12));
        let page = get_page(&mut stream);
        assert!(page.contains("TLSv1.2") && page.contains(suite_name), "{name}: {page}");

        let (stdout, stderr) = s_client12(our_port, suite_name, &["-sigalgs", name]);
        assert!(stdout.contains("echo: hello from openssl"), "{name}: {stdout} {stderr}");
        assert!(stderr.contains("Protocol version: TLSv1.2"), "{stderr}");
        assert!(
            stderr.contains("Signature type: RSA-PSS") && stderr.contains(&format!("Hash used: {hash}")),
            "{stderr}"
        );
    }
    let seen = handle.join().unwrap();
    assert!(seen.iter().all(|s| s.ends_with("hello from openssl")), "{seen:?}");
}

/// A TLS 1.3-only client against `openssl s_server -tls1_2` fails with
/// protocol_version; `purecrypto s_client -tls1_2` talks to it.
#[test]
fn tls12_version_refusal_and_s_client_cli_with_openssl() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server_version("-tls1_2", "p256", &[]);
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.min_version = ProtocolVersion::Tls13;
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    assert!(stream.handshake().is_err());
    assert!(
        matches!(stream.conn().error(), Some(Error::AlertReceived(a)) if a.name() == Some("protocol_version")),
        "{:?}",
        stream.conn().error()
    );

    let pin = data("p256.crt.pem");
    let connect = format!("127.0.0.1:{port}");
    let (code, out, err) = run_s_client_cli(&[
        "-connect",
        &connect,
        "-servername",
        "localhost",
        "-tls1_2",
        "-pin",
        pin.to_str().unwrap(),
        "-brief",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Protocol version: TLSv1.2"), "{err}");
    assert!(out.contains("TLSv1.2"), "{out}");
}

#[test]
fn s_client_cli_verifies_the_chain_like_openssl() {
    if !openssl_available() {
        return;
    }
    let (_server, port) = start_s_server("p384", &[]);
    let connect = format!("127.0.0.1:{port}");
    let run = |extra: &[&str]| {
        let args: Vec<&str> =
            ["-connect", connect.as_str(), "-brief"].into_iter().chain(extra.iter().copied()).collect();
        let (code, _, err) = run_s_client_cli(&args);
        (code, err)
    };
    let (right, wrong) = (data("p384.crt.pem"), data("p256.crt.pem"));
    let (right, wrong) = (right.to_str().unwrap(), wrong.to_str().unwrap());
    // The right anchor: verified, host name included.
    let (code, err) = run(&["-servername", "localhost", "-CAfile", right, "-verify_return_error"]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Verify return code: 0 (ok)") || !err.contains("verify error"), "{err}");
    // The wrong anchor: reported, fatal only with -verify_return_error.
    let (code, err) = run(&["-CAfile", wrong]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("verify error:num=18:self-signed certificate"), "{err}");
    assert!(err.contains("Verify return code: 18 (self-signed certificate)"), "{err}");
    let (code, err) = run(&["-CAfile", wrong, "-verify_return_error"]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("verify error:num=18"), "{err}");
    // A -CApath directory holding the anchor, and a name it does not cover.
    let dir = data("p384.crt.pem").parent().unwrap().to_path_buf();
    let (code, err) = run(&["-servername", "other.test", "-CApath", dir.to_str().unwrap(), "-verify_return_error"]);
    assert_ne!(code, 0, "{err}");
    assert!(err.contains("verify error:num=62:hostname mismatch"), "{err}");
}

/// Keying material exporters (RFC 8446 section 7.5, RFC 5705) against
/// `openssl s_client -keymatexport` (OpenSSL 3.0 has no context option):
/// in TLS 1.3 and TLS 1.2 our server derives the bytes OpenSSL prints.
/// Then our own client and server agree with a context in both versions
/// (that the context changes the output is a unit test in `exporter`).
#[test]
fn exporter_matches_openssl_s_client_keymatexport() {
    if !openssl_available() {
        return;
    }
    const LABEL: &[u8] = b"EXPERIMENTAL purecrypto";
    let hex = |b: &[u8]| b.iter().map(|x| format!("{x:02X}")).collect::<String>();
    // (version flag, context): the first two are OpenSSL's client.
    let cases: [(ProtocolVersion, Option<&'static [u8]>); 4] = [
        (ProtocolVersion::Tls13, None),
        (ProtocolVersion::Tls12, None),
        (ProtocolVersion::Tls13, Some(b"ctx")),
        (ProtocolVersion::Tls12, Some(b"ctx")),
    ];
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Arc::new(server_config("p256"));
    let server = std::thread::spawn(move || {
        let mut exported = Vec::new();
        for (_, context) in cases {
            let (tcp, _) = listener.accept().unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut stream = Stream::new(Connection::new_server(config.clone()).unwrap(), tcp);
            stream.handshake().unwrap();
            let mut out = [0u8; 32];
            stream.conn().export_keying_material(&mut out, LABEL, context).unwrap();
            exported.push((stream.conn().protocol_version(), hex(&out)));
            let mut sink = Vec::new();
            let _ = stream.read_to_end(&mut sink);
        }
        exported
    });
    let mut theirs = Vec::new();
    for (version, context) in cases {
        let connect = format!("127.0.0.1:{port}");
        if context.is_none() {
            let flag = if version == ProtocolVersion::Tls13 { "-tls1_3" } else { "-tls1_2" };
            let out = Command::new("openssl")
                .args(["s_client", flag, "-connect", &connect, "-servername", "localhost"])
                .args(["-keymatexport", "EXPERIMENTAL purecrypto", "-keymatexportlen", "32"])
                .stdin(Stdio::null())
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            let material = stdout
                .lines()
                .find_map(|l| l.trim().strip_prefix("Keying material: "))
                .unwrap_or_else(|| panic!("no keying material: {stdout} {}", String::from_utf8_lossy(&out.stderr)))
                .to_owned();
            theirs.push(material);
        } else {
            let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
            config.cipher_suites = CipherSuite::SUPPORTED.iter().chain(CipherSuite::SUPPORTED_TLS12).copied().collect();
            config.max_version = version;
            let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
            let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
            stream.handshake().unwrap();
            let mut out = [0u8; 32];
            stream.conn().export_keying_material(&mut out, LABEL, context).unwrap();
            theirs.push(hex(&out));
            let _ = stream.close();
        }
    }
    let exported = server.join().unwrap();
    for (i, ((version, ours), theirs)) in exported.iter().zip(&theirs).enumerate() {
        assert_eq!(*version, Some(cases[i].0), "case {i}");
        assert_eq!(ours, theirs, "case {i}: {:?}", cases[i]);
    }
}

/// Reads `stream` until `\n`; `None` at EOF or on an error.
fn line_from<T: Read>(stream: &mut T) -> Option<String> {
    let mut line = Vec::new();
    let mut byte = [0u8; 1];
    while !line.ends_with(b"\n") {
        match stream.read(&mut byte) {
            Ok(1) => line.push(byte[0]),
            _ => return None,
        }
    }
    Some(String::from_utf8_lossy(&line).into_owned())
}

/// One connection to a library server that answers each line it reads
/// with `reply N`; after the second, once the client has closed or half a
/// second has passed, it sends `late reply` (which only a client still
/// listening sees) and closes. Returns the port.
fn line_server() -> (u16, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_server(Arc::new(server_config("p256"))).unwrap(), tcp);
        let mut seen = Vec::new();
        while let Some(line) = line_from(&mut stream) {
            seen.push(line);
            stream.write_all(format!("reply {}\n", seen.len()).as_bytes()).unwrap();
            if seen.len() == 2 {
                // Then wait for the client's close, or half a second for a
                // client that stays (-ign_eof).
                stream.get_ref().set_read_timeout(Some(Duration::from_millis(500))).unwrap();
            }
        }
        let _ = stream.write_all(b"late reply\n");
        let _ = stream.close();
        seen
    });
    (port, handle)
}

/// `purecrypto s_client` as openssl's interactive client: each line of
/// standard input goes out as it is written and each answer is printed
/// as it arrives (the test waits for `reply 1` before writing the second
/// line); at the end of standard input the client closes, and only with
/// `-ign_eof` waits for the server to finish.
#[test]
fn s_client_streams_standard_input_and_honours_ign_eof() {
    for ign_eof in [false, true] {
        let (port, server) = line_server();
        let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
            .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-pin"])
            .arg(data("p256.crt.pem"))
            .args(if ign_eof { &["-ign_eof"][..] } else { &[] })
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        // Lines from the child, through a channel so a client that does
        // not stream fails the test instead of hanging it.
        let (tx, lines) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            while let Some(line) = line_from(&mut stdout) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        let next = || lines.recv_timeout(Duration::from_secs(20)).expect("s_client printed nothing in 20 s");
        stdin.write_all(b"first\n").unwrap();
        assert_eq!(next(), "reply 1\n");
        stdin.write_all(b"second\n").unwrap();
        assert_eq!(next(), "reply 2\n");
        drop(stdin);
        let status = child.wait().unwrap();
        reader.join().unwrap();
        let rest: Vec<String> = lines.try_iter().collect();
        assert!(status.success(), "ign_eof={ign_eof}");
        assert_eq!(rest, if ign_eof { vec!["late reply\n".to_owned()] } else { Vec::new() }, "ign_eof={ign_eof}");
        assert_eq!(server.join().unwrap(), ["first\n", "second\n"]);
    }
}
