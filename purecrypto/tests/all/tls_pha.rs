//! TLS 1.3 post-handshake client authentication (RFC 8446 section 4.6.2)
//! with OpenSSL, both directions, and through our `s_client -enable_pha`.
//!
//! Our server asks `openssl s_client -enable_pha -cert -key` (and our own
//! s_client) for a certificate right after the handshake, reads the
//! answer and a line, and echoes the line; without `-enable_pha` it may
//! not ask and says so. Our client, offering `post_handshake_auth`, talks
//! to `openssl s_server -verify 1`, which is told `c` on its standard
//! input (its "send a certificate request" command): OpenSSL verifies our
//! certificate a second time, which its verify callback prints.
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use purecrypto::tls::{ClientCertVerifier, ClientConfig, Connection, Event, SigningKey, Stream, X509ClientVerifier};
use purecrypto::x509::TrustStore;

use crate::tls::{Peer, data, free_port, openssl_available, run_s_client_cli, s_client_hello, server_config};

fn client_verifier() -> Arc<dyn ClientCertVerifier> {
    let mut store = TrustStore::new();
    store.add_der(&std::fs::read(data("client-ca.crt.der")).unwrap()).unwrap();
    Arc::new(X509ClientVerifier::new(store))
}

/// Serves `count` connections with no certificate asked in the
/// handshake: right after it, asks for one (post-handshake), then reads
/// until the answer and one line arrived, replies `echo: <line>` and
/// closes. Each connection's result: `auth=<answer> chain=<certificates>
/// <line>`, or why it failed.
fn pha_server(count: usize) -> (u16, std::thread::JoinHandle<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Arc::new(server_config("p256"));
    let handle = std::thread::spawn(move || {
        (0..count)
            .map(|_| {
                let (tcp, _) = listener.accept().unwrap();
                serve_one(Connection::new_server(config.clone()).unwrap(), tcp).unwrap_or_else(|e| e)
            })
            .collect()
    });
    (port, handle)
}

fn serve_one(mut conn: Connection, mut tcp: TcpStream) -> Result<String, String> {
    conn.set_now(SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs());
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut auth: Option<String> = None;
    let mut line = Vec::new();
    let mut buf = vec![0u8; 1 << 15];
    loop {
        let mut out = Vec::new();
        conn.write_tls(&mut out);
        tcp.write_all(&out).map_err(|e| format!("send: {e}"))?;
        if !conn.is_handshaking() && auth.is_none() {
            match conn.request_client_certificate(client_verifier()) {
                Ok(()) => auth = Some("asked".into()),
                Err(e) => auth = Some(format!("not asked ({e})")),
            }
            continue;
        }
        while let Some(event) = conn.poll_event() {
            if let Event::PostHandshakeAuth { authenticated } = event {
                auth = Some(format!("{authenticated}"));
            }
        }
        let mut chunk = [0u8; 256];
        let n = conn.read_plaintext(&mut chunk);
        line.extend_from_slice(&chunk[..n]);
        if line.ends_with(b"\n") && auth.as_deref() != Some("asked") {
            break;
        }
        let n = tcp.read(&mut buf).map_err(|e| format!("receive: {e}"))?;
        if n == 0 {
            return Err("closed early".into());
        }
        if let Err(e) = conn.read_tls(&buf[..n]) {
            let mut out = Vec::new();
            conn.write_tls(&mut out);
            let _ = tcp.write_all(&out);
            return Err(format!("error: {e}"));
        }
    }
    let mut reply = b"echo: ".to_vec();
    reply.extend_from_slice(&line);
    conn.write_plaintext(&reply).unwrap();
    conn.send_close_notify();
    let mut out = Vec::new();
    conn.write_tls(&mut out);
    let _ = tcp.write_all(&out);
    let chain = conn.peer_certificates().len();
    Ok(format!("auth={} chain={chain} {}", auth.unwrap_or_default(), String::from_utf8_lossy(&line).trim()))
}

/// `openssl s_client -tls1_3 ARGS` against our server, sending one line;
/// its standard output.
fn openssl_client(port: u16, args: &[&str]) -> String {
    let args: Vec<&str> = ["-tls1_3"].into_iter().chain(args.iter().copied()).collect();
    s_client_hello(port, &args).0
}

#[test]
fn server_asks_openssl_s_client_for_a_certificate_after_the_handshake() {
    if !openssl_available() {
        return;
    }
    let (port, server) = pha_server(2);
    let cert = data("client-p256.crt.pem");
    let key = data("client-p256.key.pem");
    let with_pha = ["-enable_pha", "-cert", cert.to_str().unwrap(), "-key", key.to_str().unwrap()];
    let out = openssl_client(port, &with_pha);
    assert!(out.contains("echo: hello from openssl"), "{out}");
    let out = openssl_client(port, &with_pha[1..]);
    assert!(out.contains("echo: hello from openssl"), "{out}");
    let seen = server.join().unwrap();
    assert_eq!(seen[0], "auth=true chain=1 hello from openssl");
    assert_eq!(
        seen[1],
        "auth=not asked (configuration: the client did not offer post_handshake_auth) chain=0 hello from openssl"
    );
}

#[test]
fn s_client_cli_answers_a_post_handshake_certificate_request() {
    let (port, server) = pha_server(1);
    let connect = format!("127.0.0.1:{port}");
    let cert = data("client-ed25519.crt.pem");
    let key = data("client-ed25519.key.pem");
    let (code, out, err) = run_s_client_cli(&[
        "-connect",
        &connect,
        "-servername",
        "localhost",
        "-enable_pha",
        "-cert",
        cert.to_str().unwrap(),
        "-key",
        key.to_str().unwrap(),
        "-ign_eof",
        "-quiet",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("echo: GET / HTTP/1.0"), "{out}");
    assert_eq!(server.join().unwrap(), ["auth=true chain=1 GET / HTTP/1.0"]);
}

/// Waits until `path` holds `needle` (`count` times); panics after 20 s.
fn wait_for(path: &std::path::Path, needle: &str, count: usize) -> String {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if text.matches(needle).count() >= count {
            return text;
        }
        assert!(Instant::now() < deadline, "no {needle:?} x{count} in:\n{text}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn client_answers_openssl_s_server_post_handshake_request() {
    if !openssl_available() {
        return;
    }
    let ca = data("client-ca.crt.pem");
    // s_server's standard input carries the `c` command; its output goes
    // to a file we poll. A port someone took meanwhile: try another.
    let (mut peer, port, log) = (0..5)
        .find_map(|_| {
            let port = free_port();
            let log = std::env::temp_dir().join(format!("purecrypto-pha-s_server-{port}.log"));
            let file = std::fs::File::create(&log).unwrap();
            let child = Command::new("openssl")
                .args(["s_server", "-tls1_3", "-accept", &format!("127.0.0.1:{port}"), "-cert"])
                .arg(data("p256.crt.pem"))
                .arg("-key")
                .arg(data("p256.key.pem"))
                .args(["-verify", "1", "-verify_return_error", "-CAfile", ca.to_str().unwrap()])
                .stdin(Stdio::piped())
                .stdout(file.try_clone().unwrap())
                .stderr(file)
                .spawn()
                .unwrap();
            let mut peer = Peer(child);
            let deadline = Instant::now() + Duration::from_secs(10);
            while Instant::now() < deadline && peer.0.try_wait().unwrap().is_none() {
                if std::fs::read_to_string(&log).unwrap_or_default().contains("ACCEPT") {
                    return Some((peer, port, log));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            None
        })
        .expect("openssl s_server did not start");
    let mut stdin = peer.0.stdin.take().unwrap();

    let chain = vec![std::fs::read(data("client-p256.crt.der")).unwrap()];
    let key = SigningKey::from_pkcs8_der(&std::fs::read(data("client-p256.key.der")).unwrap()).unwrap();
    let mut config = ClientConfig::dangerous_accept_any().with_client_cert(chain, key).unwrap();
    config.post_handshake_auth = true;
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(Arc::new(config), "localhost").unwrap(), tcp);
    stream.handshake().unwrap();
    // Verified once in the handshake (`-verify 1` asks there too).
    stream.write_all(b"before\n").unwrap();
    let text = wait_for(&log, "before", 1);
    assert_eq!(text.matches("depth=0 CN = client-p256").count(), 1, "{text}");

    stdin.write_all(b"c\n").unwrap();
    stdin.flush().unwrap();
    // Our reads process the CertificateRequest and send the answer at
    // once; no application data comes meanwhile, so they time out until
    // OpenSSL's verify callback (unbuffered standard error) reports our
    // certificate a second time.
    stream.get_ref().set_read_timeout(Some(Duration::from_millis(100))).unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut buf = [0u8; 64];
    loop {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        if text.matches("depth=0 CN = client-p256").count() == 2 {
            break;
        }
        assert!(Instant::now() < deadline, "no second verification in:\n{text}");
        match stream.read(&mut buf) {
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            r => panic!("unexpected read result {r:?}"),
        }
    }
    stream.get_ref().set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    // The connection goes on both ways.
    stdin.write_all(b"from server\n").unwrap();
    stdin.flush().unwrap();
    let mut got = Vec::new();
    while !got.ends_with(b"\n") {
        let n = stream.read(&mut buf).unwrap();
        assert_ne!(n, 0);
        got.extend_from_slice(&buf[..n]);
    }
    assert_eq!(got, b"from server\n");
    assert!(stream.conn().sent_client_certificate());
    stream.write_all(b"after\n").unwrap();
    let text = wait_for(&log, "after", 1);
    assert_eq!(text.matches("depth=0 CN = client-p256").count(), 2, "{text}");
    assert!(!text.contains("error"), "{text}");
    drop(stdin);
    drop(peer);
    let _ = std::fs::remove_file(&log);
}
