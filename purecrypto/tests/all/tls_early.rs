//! TLS 1.3 0-RTT interop with the OpenSSL CLI, both directions.
//!
//! Client direction: `openssl s_server -tls1_3 -early_data` (its
//! interactive mode: `-www` never reads early data, so OpenSSL refuses
//! it there) prints what arrived as early data; our library client and
//! our `s_client -sess_out` / `-sess_in -early_data` each take a ticket
//! on a first connection and send 0-RTT on the second. Server direction:
//! `openssl s_client -sess_out`, then `-sess_in -early_data FILE`, and
//! our server reports the file as accepted early data; with 0-RTT turned
//! off since, it skips OpenSSL's early data and carries on as 1-RTT. And
//! `purecrypto s_server -early_data` prints what `openssl s_client
//! -early_data` sent.
//!
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use purecrypto::tls::{
    ClientConfig, Connection, DangerousAcceptAnyVerifier, InMemoryAntiReplay, InMemorySessionStore, ServerConfig,
    Stream, Ticketer,
};

use super::s_server::{Server, openssl_s_client_with};
use super::tls::{Peer, data, openssl_available, s_client_hello, server_config, start_listening_with_stdio};

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purecrypto-0rtt-{tag}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `openssl s_server -tls1_3 -early_data` in interactive mode on a free
/// port, its standard output going to `out` (standard input held open,
/// so it never sees end of input).
fn start_openssl_early_server(out: &Path) -> (Peer, u16) {
    start_listening_with_stdio("openssl s_server -early_data", |port| {
        let mut cmd = Command::new("openssl");
        cmd.args(["s_server", "-tls1_3", "-early_data", "-accept", &format!("127.0.0.1:{port}"), "-cert"])
            .arg(data("p256.crt.pem"))
            .arg("-key")
            .arg(data("p256.key.pem"))
            .stdin(Stdio::piped())
            .stdout(std::fs::File::create(out).unwrap())
            .stderr(Stdio::null());
        cmd
    })
}

/// Moves bytes between `conn` and `tcp` until `done(conn)` (or panics
/// after ten seconds).
fn drive(conn: &mut Connection, tcp: &mut TcpStream, done: impl Fn(&Connection) -> bool) {
    tcp.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buf = [0u8; 16384];
    loop {
        let mut out = Vec::new();
        conn.write_tls(&mut out);
        tcp.write_all(&out).unwrap();
        if done(conn) {
            return;
        }
        assert!(Instant::now() < deadline, "timed out: {conn:?}");
        match tcp.read(&mut buf) {
            Ok(0) => panic!("peer closed: {conn:?}"),
            Ok(n) => {
                conn.read_tls(&buf[..n]).unwrap();
            }
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(e) => panic!("{e}"),
        }
    }
}

/// Waits (up to ten seconds) until `path`'s text satisfies `ready`;
/// returns the text.
fn wait_for(path: &Path, ready: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        if ready(&text) || Instant::now() > deadline {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn tls_early_client_sends_0rtt_to_openssl_s_server() {
    if !openssl_available() {
        return;
    }
    let dir = temp_dir("client");
    let out = dir.join("server.out");
    let (_server, port) = start_openssl_early_server(&out);
    let store = Arc::new(InMemorySessionStore::new(4));
    let mut config = ClientConfig::new(Arc::new(DangerousAcceptAnyVerifier));
    config.session_store = Some(store.clone());
    config.enable_early_data = true;
    let config = Arc::new(config);

    // First connection: a full handshake and a ticket allowing 0-RTT.
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut conn = Connection::new_client(config.clone(), "localhost").unwrap();
    assert_eq!(conn.early_data_room(), None, "no ticket yet");
    conn.write_plaintext(b"first connection\n").unwrap();
    drive(&mut conn, &mut tcp, |c| !c.is_handshaking() && c.tickets_received() >= 1);
    conn.send_close_notify();
    drive(&mut conn, &mut tcp, |c| !c.wants_write());
    drop(tcp);

    // Second: 0-RTT, accepted, printed by OpenSSL as early data.
    let mut tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    let mut conn = Connection::new_client(config, "localhost").unwrap();
    assert!(conn.early_data_room().is_some_and(|n| n > 0), "the ticket allows 0-RTT");
    let early = b"early data from purecrypto\n";
    assert_eq!(conn.write_early_data(early).unwrap(), early.len());
    drive(&mut conn, &mut tcp, |c| !c.is_handshaking());
    assert!(conn.is_resumed() && conn.early_data_accepted(), "{conn:?}");
    conn.write_plaintext(b"one-rtt data\n").unwrap();
    conn.send_close_notify();
    drive(&mut conn, &mut tcp, |c| !c.wants_write());
    // OpenSSL writes the data itself unbuffered and its own lines
    // buffered, so only their presence is certain, not their order.
    let needles = ["Early data received:", "early data from purecrypto\n", "End of early data", "one-rtt data"];
    let text = wait_for(&out, |t| needles.iter().all(|n| t.contains(n)));
    assert!(needles.iter().all(|n| text.contains(n)), "{text}");
    assert!(!text.contains("Early data was rejected"), "{text}");

    // The CLI: -sess_out, then -sess_in -early_data FILE.
    let sess = dir.join("sess.pem");
    let file = dir.join("early.txt");
    std::fs::write(&file, "early data from the s_client cli\n").unwrap();
    let connect = format!("127.0.0.1:{port}");
    let (code, _, err) =
        s_client_cli(&["-connect", &connect, "-servername", "localhost", "-sess_out", sess.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    let args = ["-connect", &connect, "-servername", "localhost", "-brief", "-sess_in", sess.to_str().unwrap()];
    let (code, _, err) = s_client_cli(&[&args[..], &["-early_data", file.to_str().unwrap()]].concat());
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("Resumed: yes") && err.contains("Early data was accepted"), "{err}");
    let ready =
        |t: &str| t.contains("early data from the s_client cli\n") && t.matches("End of early data").count() == 2;
    let text = wait_for(&out, ready);
    assert!(ready(&text), "{text}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Standard input that waits a moment before its one line, so the
/// client reads the server's tickets meanwhile.
struct SlowLine(Option<&'static [u8]>);

impl Read for SlowLine {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        match self.0.take() {
            Some(line) => {
                std::thread::sleep(Duration::from_millis(500));
                buf[..line.len()].copy_from_slice(line);
                Ok(line.len())
            }
            None => {
                std::thread::sleep(Duration::from_millis(500));
                Ok(0)
            }
        }
    }
}

/// `purecrypto s_client ARGS` in process (no `-ign_eof`: the end of its
/// slow standard input ends the connection).
fn s_client_cli(args: &[&str]) -> (i32, String, String) {
    let args: Vec<String> = std::iter::once("s_client").chain(args.iter().copied()).map(ToString::to_string).collect();
    let mut stdin = SlowLine(Some(b"hello\n"));
    let (mut stdout, mut stderr) = (Vec::new(), Vec::new());
    let code = purecrypto::cli::run(
        &args,
        &mut purecrypto::cli::Io { stdin: &mut stdin, stdout: &mut stdout, stderr: &mut stderr },
    );
    (code, String::from_utf8_lossy(&stdout).into_owned(), String::from_utf8_lossy(&stderr).into_owned())
}

/// What our server saw on one connection.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    resumed: bool,
    early_accepted: bool,
    early: String,
    line: String,
}

/// Our server sealing tickets with `ticketer`, 0-RTT on (16384 bytes)
/// or off.
fn early_config(ticketer: &Arc<Ticketer>, on: bool) -> Arc<ServerConfig> {
    let mut config = server_config("p256");
    config.ticketer = Some(ticketer.clone());
    if on {
        config = config.with_early_data(16384, Arc::new(InMemoryAntiReplay::new(64)));
    }
    Arc::new(config)
}

/// Our server: reads a line, echoes it, closes; serves one connection
/// per config, in order.
fn early_server(configs: Vec<Arc<ServerConfig>>) -> (u16, std::thread::JoinHandle<Vec<Seen>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        let mut seen = Vec::new();
        for config in configs {
            let (tcp, _) = listener.accept().unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let mut stream = Stream::new(Connection::new_server(config).unwrap(), tcp);
            let mut line = Vec::new();
            if stream.handshake().is_ok() {
                let mut byte = [0u8; 1];
                while !line.ends_with(b"\n") && matches!(stream.read(&mut byte), Ok(1)) {
                    line.push(byte[0]);
                }
                let _ = stream.write_all(b"echo\n");
            }
            let _ = stream.close();
            let mut early = vec![0u8; stream.conn().early_data_len()];
            let n = stream.conn_mut().read_early_data(&mut early);
            early.truncate(n);
            seen.push(Seen {
                resumed: stream.conn().is_resumed(),
                early_accepted: stream.conn().early_data_accepted(),
                early: String::from_utf8_lossy(&early).into_owned(),
                line: String::from_utf8_lossy(&line).into_owned(),
            });
        }
        seen
    });
    (port, handle)
}

#[test]
fn tls_early_openssl_s_client_sends_0rtt_to_our_server() {
    if !openssl_available() {
        return;
    }
    let dir = temp_dir("server");
    let (sess, file) = (dir.join("sess.pem"), dir.join("early.txt"));
    std::fs::write(&file, "GET /early-from-openssl\n").unwrap();
    // Tickets allowing 0-RTT; 0-RTT taken; 0-RTT since turned off, so
    // OpenSSL's early data is skipped (trial decryption) and the
    // connection goes on as 1-RTT.
    let ticketer = Arc::new(Ticketer::from_os().unwrap());
    let configs = vec![early_config(&ticketer, true), early_config(&ticketer, true), early_config(&ticketer, false)];
    let (port, handle) = early_server(configs);
    let (out, err) = s_client_hello(port, &["-tls1_3", "-sess_out", sess.to_str().unwrap()]);
    assert!(sess.exists(), "{out} {err}");
    let resume = ["-tls1_3", "-sess_in", sess.to_str().unwrap(), "-early_data", file.to_str().unwrap()];
    let (out, err) = s_client_hello(port, &resume);
    let (out3, err3) = s_client_hello(port, &resume);
    let seen = handle.join().unwrap();
    let line = "hello from openssl\n".to_string();
    assert_eq!(seen[0], Seen { resumed: false, early_accepted: false, early: String::new(), line: line.clone() });
    let early = "GET /early-from-openssl\n".to_string();
    assert_eq!(seen[1], Seen { resumed: true, early_accepted: true, early, line: line.clone() }, "{out} {err}");
    assert_eq!(seen[2], Seen { resumed: true, early_accepted: false, early: String::new(), line }, "{out3} {err3}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// `purecrypto s_server -early_data -www` with `openssl s_client
/// -sess_out`, then `-sess_in -early_data FILE`: OpenSSL reports the
/// early data accepted, our server prints it as openssl's does.
#[test]
fn tls_early_s_server_cli_prints_openssl_early_data() {
    if !openssl_available() {
        return;
    }
    let dir = temp_dir("s_server");
    let (sess, file) = (dir.join("sess.pem"), dir.join("early.txt"));
    std::fs::write(&file, "early line for s_server\n").unwrap();
    let mut server = Server::start(2, &["-tls1_3", "-early_data", "-www"]);
    let mut stdout = server.child.stdout.take().unwrap();
    let get = b"GET / HTTP/1.0\r\n\r\n";
    let first = openssl_s_client_with(server.port, &["-ign_eof", "-sess_out", sess.to_str().unwrap()], get);
    assert!(first.contains("New, TLSv1.3"), "{first}");
    let resume = ["-ign_eof", "-sess_in", sess.to_str().unwrap(), "-early_data", file.to_str().unwrap()];
    let second = openssl_s_client_with(server.port, &resume, get);
    assert!(second.contains("Reused, TLSv1.3") && second.contains("Early data was accepted"), "{second}");
    server.finish();
    let mut printed = String::new();
    stdout.read_to_string(&mut printed).unwrap();
    assert!(printed.contains("Early data received:\nearly line for s_server\n\nEnd of early data\n"), "{printed}");
    let _ = std::fs::remove_dir_all(&dir);
}
