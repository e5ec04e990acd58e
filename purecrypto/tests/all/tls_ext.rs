//! Interop for two TLS extensions, both roles and both versions.
//!
//! OCSP stapling with the OpenSSL 3.0 CLI: our client and `s_client
//! -status` against `openssl s_server -status_file`, and `openssl
//! s_client -status` against our `s_server -status_file`, the OCSP block
//! compared line by line with what OpenSSL prints against itself. The
//! responses are `tests/data/ocsp/` (made with `openssl ocsp`).
//!
//! record_size_limit (RFC 8449): OpenSSL 3.0 does not implement it, so
//! it only has to ignore our offer; GnuTLS 3.7 does (`--recordsize`), so
//! against `gnutls-serv` and `gnutls-cli` the record sizes on the wire
//! are checked. Connections are driven by hand (sans-I/O
//! [`Connection`] over a socket) to see every record.
//!
//! Outside CI a missing peer prints a loud SKIPPED banner; in CI it fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use purecrypto::tls::{ClientConfig, Connection, DangerousAcceptAnyVerifier, ProtocolVersion};

use super::s_server::{Server, openssl_s_client_with};
use super::tls::{
    Peer, data, free_port, openssl_available, peer_available, run_s_client_cli, server_config, start_s_server_version,
};

fn ocsp(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/ocsp").join(name)
}

const VERSIONS: &[(&str, ProtocolVersion)] =
    &[("-tls1_3", ProtocolVersion::Tls13), ("-tls1_2", ProtocolVersion::Tls12)];

fn client(version: ProtocolVersion) -> ClientConfig {
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.min_version = version;
    config.max_version = version;
    config
}

/// What [`drive`] saw.
struct Seen {
    plaintext: Vec<u8>,
    /// Largest application-data record body received and sent (outer
    /// type 23: every protected TLS 1.3 record, TLS 1.2 application data).
    largest_in: usize,
    largest_out: usize,
}

/// Largest body among the type-23 records framed in `wire` from `*at`
/// on; moves `*at` past the complete ones.
fn scan(wire: &[u8], at: &mut usize, largest: &mut usize) {
    while let Some(&[typ, _, _, hi, lo]) = wire.get(*at..*at + 5) {
        let len = usize::from(u16::from_be_bytes([hi, lo]));
        if wire.len() < *at + 5 + len {
            break;
        }
        if typ == 23 {
            *largest = (*largest).max(len);
        }
        *at += 5 + len;
    }
}

/// Runs `conn` over `tcp`: once the handshake is done sends `send` (then
/// close_notify when `close`), and reads until the peer closes.
fn drive(mut conn: Connection, mut tcp: TcpStream, send: &[u8], close: bool) -> (Connection, Seen) {
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut seen = Seen { plaintext: Vec::new(), largest_in: 0, largest_out: 0 };
    let (mut wire_in, mut at) = (Vec::new(), 0);
    let mut sent = false;
    let mut buf = [0u8; 8192];
    loop {
        if !conn.is_handshaking() && !sent {
            conn.write_plaintext(send).unwrap();
            if close {
                conn.send_close_notify();
            }
            sent = true;
        }
        let mut out = Vec::new();
        conn.write_tls(&mut out);
        scan(&out, &mut 0, &mut seen.largest_out);
        if tcp.write_all(&out).is_err() {
            break;
        }
        if conn.peer_closed() {
            break;
        }
        let n = match tcp.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
            Err(e) => panic!("read: {e}"),
        };
        wire_in.extend_from_slice(&buf[..n]);
        scan(&wire_in, &mut at, &mut seen.largest_in);
        conn.read_tls(&buf[..n]).unwrap_or_else(|e| panic!("TLS error: {e}"));
        let mut chunk = vec![0u8; conn.plaintext_len()];
        let got = conn.read_plaintext(&mut chunk);
        seen.plaintext.extend_from_slice(&chunk[..got]);
    }
    (conn, seen)
}

fn connect(config: ClientConfig, port: u16, send: &[u8]) -> (Connection, Seen) {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    drive(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp, send, false)
}

const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

/// `openssl s_server` (version `flag`, P-256) stapling `tests/data/ocsp/name`.
fn openssl_stapling(flag: &str, name: &str) -> (Peer, u16) {
    let status_file = ocsp(name);
    start_s_server_version(flag, "p256", &["-status_file", status_file.to_str().unwrap()])
}

#[test]
fn client_receives_openssl_s_server_stapled_response() {
    if !openssl_available() {
        return;
    }
    let good = std::fs::read(ocsp("good.der")).unwrap();
    for (flag, version) in VERSIONS {
        let (_server, port) = openssl_stapling(flag, "good.der");
        let mut config = client(*version);
        config.request_ocsp = true;
        let (conn, seen) = connect(config, port, GET);
        assert_eq!(conn.protocol_version(), Some(*version));
        assert_eq!(conn.ocsp_response(), Some(&good[..]), "{flag}");
        assert!(String::from_utf8_lossy(&seen.plaintext).contains("<pre>"), "{flag}: no status page");
        // Not asked: nothing stapled.
        let (conn, _) = connect(client(*version), port, GET);
        assert_eq!(conn.ocsp_response(), None, "{flag}");
    }
}

/// The lines of the `OCSP response:` block in `output`.
fn ocsp_block(output: &str) -> Vec<String> {
    let start = output.find("OCSP response:").unwrap_or_else(|| panic!("no OCSP block in {output}"));
    output[start..]
        .lines()
        .skip(1)
        .skip_while(|l| l.starts_with("====="))
        .take_while(|l| !l.starts_with("====="))
        .map(|l| l.trim_end().to_string())
        .collect()
}

#[test]
fn s_client_status_prints_the_stapled_response_as_openssl_does() {
    if !openssl_available() {
        return;
    }
    for (flag, _) in VERSIONS {
        let (_server, port) = openssl_stapling(flag, "revoked.der");
        let connect = format!("127.0.0.1:{port}");
        let (code, stdout, stderr) = run_s_client_cli(&["-connect", &connect, flag, "-status"]);
        assert_eq!(code, 0, "{stderr}");
        let ours = ocsp_block(&stdout);
        assert!(ours.contains(&"    OCSP Response Status: successful (0x0)".to_string()), "{ours:#?}");
        assert!(ours.contains(&"    Cert Status: revoked".to_string()), "{ours:#?}");
        // Every line we print, openssl prints too against the same server.
        let theirs = ocsp_block(&openssl_s_client_with(port, &[flag, "-status"], b""));
        for line in &ours {
            assert!(theirs.contains(line), "{flag}: openssl does not print {line:?}: {theirs:#?}");
        }
    }
    // Without -status_file, as openssl says it.
    let (_server, port) = start_s_server_version("-tls1_3", "p256", &[]);
    let (code, stdout, _) = run_s_client_cli(&["-connect", &format!("127.0.0.1:{port}"), "-status"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("OCSP response: no response sent"), "{stdout}");
}

#[test]
fn openssl_s_client_status_against_our_s_server() {
    if !openssl_available() {
        return;
    }
    for (flag, _) in VERSIONS {
        let server = Server::start(2, &["-status_file", ocsp("good.der").to_str().unwrap()]);
        let out = openssl_s_client_with(server.port, &[flag, "-status"], b"");
        let block = ocsp_block(&out);
        assert!(block.contains(&"    OCSP Response Status: successful (0x0)".to_string()), "{flag}: {out}");
        assert!(block.contains(&"    Cert Status: good".to_string()), "{flag}: {out}");
        // Not asked: openssl prints no OCSP block at all.
        let out = openssl_s_client_with(server.port, &[flag], b"");
        assert!(!out.contains("OCSP response"), "{flag}: {out}");
        server.finish();
    }
}

#[test]
fn openssl_ignores_our_record_size_limit() {
    if !openssl_available() {
        return;
    }
    for (flag, version) in VERSIONS {
        let (_server, port) = start_s_server_version(flag, "p256", &[]);
        let mut config = client(*version);
        config.record_size_limit = Some(512);
        let (conn, seen) = connect(config, port, GET);
        assert_eq!(conn.protocol_version(), Some(*version));
        assert!(String::from_utf8_lossy(&seen.plaintext).contains("<pre>"), "{flag}");
    }
}

fn gnutls_available() -> bool {
    peer_available("gnutls-cli", "--version", "record_size_limit interop (gnutls-bin)")
}

/// GnuTLS's priority string for one version.
fn gnutls_priority(version: ProtocolVersion) -> &'static str {
    match version {
        ProtocolVersion::Tls13 => "NORMAL:-VERS-ALL:+VERS-TLS1.3",
        _ => "NORMAL:-VERS-ALL:+VERS-TLS1.2",
    }
}

/// 40,000 bytes of text, more than two full-size records.
fn payload() -> Vec<u8> {
    (0..40_000u32).map(|i| b'a' + (i % 26) as u8).collect()
}

#[test]
fn gnutls_serv_honours_our_record_size_limit() {
    if !gnutls_available() {
        return;
    }
    let page = std::env::temp_dir().join(format!("purecrypto-tls-ext-page-{}.txt", std::process::id()));
    std::fs::write(&page, payload()).unwrap();
    let port = free_port();
    let child = Command::new("gnutls-serv")
        .args(["--http", "--port", &port.to_string(), "--httpdata"])
        .arg(&page)
        .arg("--x509certfile")
        .arg(data("p256.crt.pem"))
        .arg("--x509keyfile")
        .arg(data("p256.key.pem"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let _peer = Peer(child);
    let deadline = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "gnutls-serv did not start");
        std::thread::sleep(Duration::from_millis(50));
    }
    for (_, version) in VERSIONS {
        let mut config = client(*version);
        config.record_size_limit = Some(512);
        let (conn, seen) = connect(config.clone(), port, GET);
        assert_eq!(conn.protocol_version(), Some(*version));
        assert!(seen.plaintext.ends_with(&payload()), "{version:?}: page incomplete");
        // TLS 1.3: 512 bytes of inner plaintext and a tag; TLS 1.2: 512
        // bytes of plaintext, a tag and at most an 8-byte nonce.
        let bound = if *version == ProtocolVersion::Tls13 { 512 + 16 } else { 512 + 24 };
        assert!(seen.largest_in <= bound && seen.largest_in > 400, "{version:?}: {} bytes", seen.largest_in);
        // Without the limit the same page comes in larger records.
        config.record_size_limit = None;
        let (_, seen) = connect(config, port, GET);
        assert!(seen.largest_in > 4096, "{version:?}: {} bytes", seen.largest_in);
    }
    let _ = std::fs::remove_file(&page);
}

#[test]
fn our_server_honours_gnutls_cli_recordsize() {
    if !gnutls_available() {
        return;
    }
    for (_, version) in VERSIONS {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let server = std::thread::spawn(move || {
            let (tcp, _) = listener.accept().unwrap();
            let conn = Connection::new_server(Arc::new(server_config("p256"))).unwrap();
            drive(conn, tcp, &payload(), true)
        });
        let port = port.to_string();
        let mut cli = Command::new("gnutls-cli");
        cli.args(["--insecure", "--recordsize=512", "--priority", gnutls_priority(*version), "-p", &port, "127.0.0.1"]);
        let mut child = cli.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
        // Standard input stays open until the server is done, so
        // gnutls-cli does not hang up first.
        let stdin = child.stdin.take();
        let (conn, seen) = server.join().unwrap();
        drop(stdin);
        let out = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert_eq!(conn.protocol_version(), Some(*version));
        assert!(
            stdout.contains(std::str::from_utf8(&payload()).unwrap()),
            "{version:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        // GnuTLS's 512 is plaintext: it advertises 513 in TLS 1.3 (the
        // content type counts there), 512 in TLS 1.2.
        let bound = if *version == ProtocolVersion::Tls13 { 513 + 16 } else { 512 + 24 };
        assert!(seen.largest_out <= bound && seen.largest_out > 400, "{version:?}: {} bytes", seen.largest_out);
    }
}
