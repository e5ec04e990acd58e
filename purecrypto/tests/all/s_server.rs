//! `purecrypto s_server` against real clients: `openssl s_client` (TLS 1.3
//! and 1.2, with and without a client certificate under `-Verify`),
//! `curl` (which verifies our certificate and reads the `-www` page) and
//! our own `s_client`; the interactive commands (`k`, `K`, `c`, `q`, `Q`)
//! with `openssl s_client -msg -enable_pha`.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStderr, Command, Stdio};

use super::tls::{data, openssl_available};

/// Our `s_server` on a free port, started with `extra` and `-naccept
/// count`; returns the child (killed on drop) and the port once it
/// printed `ACCEPT`.
pub(crate) struct Server {
    pub(crate) child: Child,
    pub(crate) port: u16,
}

impl Server {
    pub(crate) fn start(count: u32, extra: &[&str]) -> Self {
        Self::start_in(std::path::Path::new("."), count, extra)
    }

    /// As [`Server::start`], with `dir` as the server's working directory.
    pub(crate) fn start_in(dir: &std::path::Path, count: u32, extra: &[&str]) -> Self {
        let port = crate::tls::free_port();
        let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
            .current_dir(dir)
            .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", &count.to_string()])
            .arg("-cert")
            .arg(data("p256.crt.pem"))
            .arg("-key")
            .arg(data("p256.key.pem"))
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.as_mut().unwrap()).read_line(&mut line).unwrap();
        assert_eq!(line, "ACCEPT\n");
        Self { child, port }
    }

    /// Waits for the server to exit after its `-naccept` connections;
    /// returns its standard error.
    pub(crate) fn finish(mut self) -> String {
        let status = self.child.wait().unwrap();
        let mut stderr = String::new();
        let pipe: &mut ChildStderr = self.child.stderr.as_mut().unwrap();
        pipe.read_to_string(&mut stderr).unwrap();
        assert!(status.success(), "s_server exited with {status}: {stderr}");
        stderr
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `openssl s_client` sending `input`, then reading until the server
/// closes; stdout and stderr together.
fn openssl_s_client(port: u16, extra: &[&str], input: &[u8]) -> String {
    openssl_s_client_with(port, &[&["-ign_eof"], extra].concat(), input)
}

/// `openssl s_client` sending `input`; without `-ign_eof` in `args` it
/// closes the connection at the end of its input.
pub(crate) fn openssl_s_client_with(port: u16, args: &[&str], input: &[u8]) -> String {
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    let out = child.wait_with_output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
}

const GET: &[u8] = b"GET / HTTP/1.0\r\n\r\n";

#[test]
fn www_status_page_for_openssl_curl_and_our_client() {
    if !openssl_available() {
        return;
    }
    let server = Server::start(4, &["-www", "-alpn", "http/1.1"]);
    let port = server.port;
    let tls13 = openssl_s_client(port, &["-tls1_3"], GET);
    assert!(tls13.contains("HTTP/1.0 200 ok") && tls13.contains("Protocol  : TLSv1.3"), "{tls13}");
    assert!(tls13.contains("SNI       : localhost"), "{tls13}");
    let tls12 = openssl_s_client(port, &["-tls1_2", "-alpn", "http/1.1"], GET);
    assert!(tls12.contains("Protocol  : TLSv1.2") && tls12.contains("ALPN protocol: http/1.1"), "{tls12}");
    // curl checks our certificate chain and name.
    match Command::new("curl").arg("--version").output() {
        Ok(o) if o.status.success() => {
            let out = Command::new("curl")
                .args(["-sS", "--cacert"])
                .arg(data("p256.crt.pem"))
                .arg(format!("https://localhost:{port}/"))
                .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
                .output()
                .unwrap();
            let page = String::from_utf8_lossy(&out.stdout);
            assert!(
                out.status.success() && page.contains("Cipher    : TLS_"),
                "{page}{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        _ => {
            assert!(std::env::var_os("CI").is_none(), "curl is required in CI");
            eprintln!("SKIPPED: curl not installed (s_server -www through curl)");
            // Keep the connection count: one more openssl client.
            openssl_s_client(port, &[], GET);
        }
    }
    let mut ours = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost", "-CAfile"])
        .arg(data("p256.crt.pem"))
        .args(["-verify_return_error", "-ign_eof"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    ours.stdin.take().unwrap().write_all(GET).unwrap();
    let out = ours.wait_with_output().unwrap();
    let page = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && page.contains("Protocol  : TLSv1.3"),
        "{page}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let log = server.finish();
    assert_eq!(log.matches("Protocol  :").count(), 4, "{log}");
}

/// The raw bytes `openssl s_client -quiet` receives for one request.
fn openssl_fetch(port: u16, request: &[u8]) -> Vec<u8> {
    let mut child = Command::new("openssl")
        .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-quiet"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(request).unwrap();
    child.wait_with_output().unwrap().stdout
}

/// `-WWW` serves files from the server's working directory behind
/// openssl's header, `-HTTP` sends them as the whole response; paths that
/// climb out of the directory are refused. The client is openssl's.
#[test]
fn www_and_http_serve_files_from_the_working_directory() {
    if !openssl_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("purecrypto-s_server-files-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("site")).unwrap();
    let body: Vec<u8> = (0..3_000_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(dir.join("site/big.bin"), &body).unwrap();
    std::fs::write(dir.join("secret"), b"outside").unwrap();
    std::fs::write(dir.join("site/reply.txt"), b"HTTP/1.0 200 ok\r\nX-Whole: yes\r\n\r\nhello").unwrap();

    let www = Server::start_in(&dir.join("site"), 3, &["-WWW", "-quiet"]);
    let got = openssl_fetch(www.port, b"GET /big.bin HTTP/1.0\r\n\r\n");
    let header = b"HTTP/1.0 200 ok\r\nContent-type: text/plain\r\n\r\n";
    assert_eq!(got.len(), header.len() + body.len());
    assert!(got.starts_with(header) && got.ends_with(&body), "the file did not come back whole");
    let refused = String::from_utf8_lossy(&openssl_fetch(www.port, b"GET /../secret HTTP/1.0\r\n\r\n")).into_owned();
    assert!(refused.starts_with("HTTP/1.0 404") && refused.contains("invalid path"), "{refused}");
    assert!(!refused.contains("outside"), "{refused}");
    let missing = String::from_utf8_lossy(&openssl_fetch(www.port, b"GET /nothing HTTP/1.0\r\n\r\n")).into_owned();
    assert!(missing.contains("Error opening 'nothing'"), "{missing}");
    www.finish();

    let http = Server::start_in(&dir.join("site"), 1, &["-HTTP", "-quiet"]);
    let got = openssl_fetch(http.port, b"GET /reply.txt HTTP/1.0\r\n\r\n");
    assert_eq!(got, b"HTTP/1.0 200 ok\r\nX-Whole: yes\r\n\r\nhello");
    http.finish();
    std::fs::remove_dir_all(&dir).unwrap();
}

/// TLS 1.2 without tickets: `openssl s_client -no_ticket` resumes by
/// session ID from our server's cache, and not under `-no_cache`.
#[test]
fn session_id_resumption_and_no_cache() {
    if !openssl_available() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("purecrypto-s_server-ids-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sess = dir.join("sess.pem");
    let sess = sess.to_str().unwrap();
    for (extra, second) in [(&[][..], "Reused, TLSv1.2"), (&["-no_cache"][..], "New, TLSv1.2")] {
        let server = Server::start(2, &[&["-www"], extra].concat());
        let first = openssl_s_client(server.port, &["-tls1_2", "-no_ticket", "-sess_out", sess], GET);
        assert!(first.contains("New, TLSv1.2"), "{first}");
        let again = openssl_s_client(server.port, &["-tls1_2", "-no_ticket", "-sess_in", sess], GET);
        assert!(again.contains(second) && again.contains("HTTP/1.0 200 ok"), "{extra:?}: {again}");
        server.finish();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `-Verify 1 -CAfile`: a client certificate from that CA gets through and
/// shows on the page; a client without one is refused (the server reports
/// the error and goes on); without `-www` the client's bytes reach stdout.
#[test]
fn client_certificates_and_the_plain_relay() {
    if !openssl_available() {
        return;
    }
    let ca = data("client-ca.crt.pem");
    let server = Server::start(2, &["-www", "-Verify", "1", "-CAfile", ca.to_str().unwrap()]);
    let cert = data("client-p256.crt.pem");
    let key = data("client-p256.key.pem");
    let with = openssl_s_client(server.port, &["-cert", cert.to_str().unwrap(), "-key", key.to_str().unwrap()], GET);
    assert!(with.contains("Client certificate: ") && with.contains("(1 in chain)"), "{with}");
    let without = openssl_s_client(server.port, &[], GET);
    assert!(!without.contains("HTTP/1.0 200 ok"), "{without}");
    let log = server.finish();
    assert!(log.contains("ERROR"), "{log}");

    let mut server = Server::start(1, &["-quiet"]);
    openssl_s_client_with(server.port, &["-tls1_2"], b"relayed to stdout\n");
    let mut stdout = String::new();
    server.child.stdout.take().unwrap().read_to_string(&mut stdout).unwrap();
    assert_eq!(stdout, "relayed to stdout\n");
    assert_eq!(server.finish(), "");
}

/// Lines from `pipe`, as they come, on a channel.
fn lines_of(pipe: impl Read + Send + 'static) -> std::sync::mpsc::Receiver<String> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(pipe).lines() {
            if tx.send(line.unwrap_or_default()).is_err() {
                break;
            }
        }
    });
    rx
}

/// Waits (at most 20 s) for a line containing `needle`; returns the lines
/// read up to and including it.
fn wait_line(rx: &std::sync::mpsc::Receiver<String>, needle: &str) -> Vec<String> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let mut seen = Vec::new();
    while let Some(left) = deadline.checked_duration_since(std::time::Instant::now()) {
        match rx.recv_timeout(left) {
            Ok(line) => {
                let hit = line.contains(needle);
                seen.push(line);
                if hit {
                    return seen;
                }
            }
            Err(_) => break,
        }
    }
    panic!("no line with {needle:?}; saw {seen:#?}");
}

/// Without `-www`, a line holding one command letter acts on the
/// connection (openssl's `s_server` commands), other lines reach the
/// client: `k` and `K` send KeyUpdates (the client answers only `K`'s),
/// `c` asks for a certificate after the handshake and prints the one
/// the client sends, `q` closes the connection, `Q` the server.
#[test]
fn interactive_commands_with_openssl_s_client() {
    if !openssl_available() {
        return;
    }
    let ca = data("client-ca.crt.pem");
    // Server::start gives no stdin: this one reads commands from a pipe.
    let port = crate::tls::free_port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
        .args(["s_server", "-accept", &format!("127.0.0.1:{port}"), "-naccept", "3", "-CAfile"])
        .arg(&ca)
        .arg("-cert")
        .arg(data("p256.crt.pem"))
        .arg("-key")
        .arg(data("p256.key.pem"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut server_in = child.stdin.take();
    let server_out = lines_of(child.stdout.take().unwrap());
    let server_err = lines_of(child.stderr.take().unwrap());
    let mut server = Server { child, port };
    assert_eq!(wait_line(&server_out, "ACCEPT"), ["ACCEPT"]);
    let mut command = |line: &str| {
        let pipe = server_in.as_mut().unwrap();
        pipe.write_all(line.as_bytes()).unwrap();
        pipe.flush().unwrap();
    };

    let (cert, key) = (data("client-p256.crt.pem"), data("client-p256.key.pem"));
    let client = |extra: &[&str]| {
        let mut c = Command::new("openssl")
            .args(["s_client", "-connect", &format!("127.0.0.1:{port}"), "-servername", "localhost", "-tls1_3"])
            .args(["-msg", "-ign_eof", "-enable_pha", "-cert", cert.to_str().unwrap(), "-key", key.to_str().unwrap()])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let out = lines_of(c.stdout.take().unwrap());
        (c, out)
    };
    let (mut first, first_out) = client(&[]);
    wait_line(&server_err, "no client certificate available");
    wait_line(&first_out, "Verify return code");

    command("k\n");
    wait_line(&server_err, "KEY UPDATE");
    wait_line(&first_out, "<<< TLS 1.3, Handshake [length 0005], KeyUpdate");
    command("hello after k\n");
    let after_k = wait_line(&first_out, "hello after k");
    // With update_not_requested the client sent no KeyUpdate back.
    assert!(!after_k.iter().any(|l| l.contains(">>> TLS 1.3, Handshake [length 0005], KeyUpdate")), "{after_k:#?}");

    command("K\n");
    wait_line(&server_err, "KEY UPDATE");
    wait_line(&first_out, "<<< TLS 1.3, Handshake [length 0005], KeyUpdate");
    // OpenSSL answers update_requested with its next write.
    let client_says = |c: &mut std::process::Child, line: &[u8]| {
        let stdin = c.stdin.as_mut().unwrap();
        stdin.write_all(line).unwrap();
        stdin.flush().unwrap();
    };
    client_says(&mut first, b"after K\n");
    wait_line(&first_out, ">>> TLS 1.3, Handshake [length 0005], KeyUpdate");
    wait_line(&server_out, "after K");

    command("c\n");
    wait_line(&server_err, "CERTIFICATE REQUEST");
    let pha = wait_line(&server_err, "(post-handshake)");
    assert!(
        pha.last().unwrap().contains("Client certificate (post-handshake): ")
            && pha.last().unwrap().contains("client-p256"),
        "{pha:#?}"
    );

    // Data both ways still flows under the new keys.
    command("hello client\n");
    wait_line(&first_out, "hello client");
    client_says(&mut first, b"hello server\n");
    wait_line(&server_out, "hello server");

    // r / R: refused, the connection goes on.
    command("R\n");
    wait_line(&server_err, "Renegotiation is not supported");

    command("q\n");
    wait_line(&server_err, "DONE");
    assert!(first.wait().unwrap().success());

    // The next client; Q ends the server before its third connection.
    let (mut second, second_out) = client(&[]);
    wait_line(&second_out, "Verify return code");
    command("Q\n");
    wait_line(&server_err, "DONE");
    assert!(second.wait().unwrap().success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}
