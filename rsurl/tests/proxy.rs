//! Proxies end to end, rsurl and curl side by side: a SOCKS4/4a/5/5h
//! proxy written here relays to the scripted server and records each
//! client's handshake bytes (they must be identical), and the
//! `http_proxy` / `NO_PROXY` environment variables route (or not) through
//! a forwarding proxy.

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use crate::server::{Reply, Server};

fn ok_reply() -> Vec<Reply> {
    vec![Reply { bytes: b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok".to_vec(), ..Reply::default() }]
}

fn read_until_nul(s: &mut TcpStream, out: &mut Vec<u8>) {
    let mut b = [0u8; 1];
    loop {
        s.read_exact(&mut b).unwrap();
        out.push(b[0]);
        if b[0] == 0 {
            return;
        }
    }
}

fn take(s: &mut TcpStream, n: usize, out: &mut Vec<u8>) -> Vec<u8> {
    let mut v = vec![0u8; n];
    s.read_exact(&mut v).unwrap();
    out.extend_from_slice(&v);
    v
}

/// Answers one SOCKS handshake (either version), records the bytes the
/// client sent, then relays to `target`.
fn serve_socks(mut client: TcpStream, target: u16, log: &Mutex<Vec<Vec<u8>>>) {
    let mut seen = Vec::new();
    match take(&mut client, 1, &mut seen)[0] {
        4 => {
            let head = take(&mut client, 7, &mut seen);
            read_until_nul(&mut client, &mut seen);
            if head[3..6] == [0, 0, 0] && head[6] != 0 {
                read_until_nul(&mut client, &mut seen);
            }
            client.write_all(&[0, 90, 0, 0, 0, 0, 0, 0]).unwrap();
        }
        5 => {
            let n = take(&mut client, 1, &mut seen)[0];
            take(&mut client, usize::from(n), &mut seen);
            client.write_all(&[5, 0]).unwrap();
            let head = take(&mut client, 4, &mut seen);
            let addr_len = match head[3] {
                1 => 4,
                4 => 16,
                _ => usize::from(take(&mut client, 1, &mut seen)[0]),
            };
            take(&mut client, addr_len + 2, &mut seen);
            client.write_all(&[5, 0, 0, 1, 127, 0, 0, 1, 0, 0]).unwrap();
        }
        _ => return,
    }
    log.lock().unwrap().push(seen);
    let upstream = TcpStream::connect(("127.0.0.1", target)).unwrap();
    let (mut c2, mut u2) = (client.try_clone().unwrap(), upstream.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut u2);
        let _ = u2.shutdown(Shutdown::Write);
    });
    let (mut u3, mut c3) = (upstream, client);
    let _ = std::io::copy(&mut u3, &mut c3);
    let _ = c3.shutdown(Shutdown::Write);
    let _ = up.join();
}

/// A SOCKS proxy in front of `target`; returns its port and the log.
pub fn socks_proxy(target: u16) -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let log2 = Arc::clone(&log);
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let log = Arc::clone(&log2);
            std::thread::spawn(move || serve_socks(client, target, &log));
        }
    });
    (port, log)
}

/// A SOCKS proxy that refuses every CONNECT: SOCKS5 with reply field
/// `socks5_reply` (after accepting "no authentication"), SOCKS4 with
/// status `socks4_reply` and bound address 10.0.0.1:8080, which curl
/// prints. Returns its port.
pub fn refusing_socks_proxy(socks5_reply: u8, socks4_reply: u8) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            std::thread::spawn(move || {
                let mut buf = [0u8; 512];
                let Ok(n) = client.read(&mut buf) else { return };
                if buf[..n].first() == Some(&5) {
                    let _ = client.write_all(&[5, 0]);
                    // The CONNECT request arrives in one piece on loopback.
                    let _ = client.read(&mut buf);
                    let _ = client.write_all(&[5, socks5_reply, 0, 1, 0, 0, 0, 0, 0, 0]);
                } else {
                    let _ = client.write_all(&[0, socks4_reply, 0x1f, 0x90, 10, 0, 0, 1]);
                }
            });
        }
    });
    port
}

/// Refusals and a name that does not resolve here: exit 97 and curl's
/// message (after the program's name), for SOCKS5 reply codes and every
/// SOCKS4 status, rsurl and curl alike.
#[test]
fn socks_refusals_match_curl() {
    let cases: [(u8, u8, &str, &str, &str); 6] = [
        (5, 91, "socks5", "127.0.0.1", "Can't complete SOCKS5 connection to 127.0.0.1. (5)"),
        (2, 91, "socks5h", "example.test", "Can't complete SOCKS5 connection to example.test. (2)"),
        (
            1,
            91,
            "socks4",
            "127.0.0.1",
            "Can't complete SOCKS4 connection to 10.0.0.1:8080. (91), request rejected or failed.",
        ),
        (
            1,
            92,
            "socks4a",
            "example.test",
            "request rejected because SOCKS server cannot connect to identd on the client.",
        ),
        (
            1,
            93,
            "socks4",
            "127.0.0.1",
            "request rejected because the client program and identd report different user-ids.",
        ),
        (1, 94, "socks4", "127.0.0.1", "Can't complete SOCKS4 connection to 10.0.0.1:8080. (94), Unknown."),
    ];
    for (s5, s4, scheme, host, message) in cases {
        let proxy = refusing_socks_proxy(s5, s4);
        for program in programs() {
            let args = vec![
                "-sS".to_owned(),
                "-x".to_owned(),
                format!("{scheme}://127.0.0.1:{proxy}"),
                format!("http://{host}:1/"),
            ];
            let (code, _, stderr) = crate::https::run_env(&program, &args, &[]);
            assert_eq!(code, Some(97), "{program:?} {scheme}: {stderr}");
            assert!(stderr.contains(": (97) ") && stderr.contains(message), "{program:?} {scheme}: {stderr}");
        }
    }
    // Resolved here, not by the proxy: a name that does not resolve is the
    // SOCKS handshake's failure (97), not curl's 6.
    let proxy = refusing_socks_proxy(0, 90);
    for scheme in ["socks5", "socks4"] {
        for program in programs() {
            let args = vec![
                "-sS".to_owned(),
                "-x".to_owned(),
                format!("{scheme}://127.0.0.1:{proxy}"),
                "http://nonexistent.invalid/".to_owned(),
            ];
            let (code, _, stderr) = crate::https::run_env(&program, &args, &[]);
            assert_eq!(code, Some(97), "{program:?} {scheme}: {stderr}");
            assert!(stderr.contains("Could not resolve host: nonexistent.invalid"), "{program:?}: {stderr}");
        }
    }
}

fn programs() -> Vec<PathBuf> {
    let mut p = vec![PathBuf::from(env!("CARGO_BIN_EXE_rsurl"))];
    p.extend(crate::cases::curl());
    p
}

fn run(program: &std::path::Path, args: &[String], env: &[(&str, String)]) -> (Option<i32>, Vec<u8>) {
    let (code, stdout, _) = crate::https::run_env(program, args, env);
    (code, stdout)
}

#[test]
fn socks_handshakes_match_curl() {
    let server = Server::start(|_| ok_reply());
    let (proxy, log) = socks_proxy(server.port);
    let cases = [
        ("socks4", "127.0.0.1"),
        ("socks4a", "example.test"),
        ("socks4a", "127.0.0.1"),
        ("socks5", "127.0.0.1"),
        ("socks5h", "example.test"),
        ("socks5h", "127.0.0.1"),
    ];
    for (scheme, host) in cases {
        let mut handshakes = Vec::new();
        for program in programs() {
            let args = vec![
                "-s".to_owned(),
                "-x".to_owned(),
                format!("{scheme}://127.0.0.1:{proxy}"),
                format!("http://{host}:{}/", server.port),
            ];
            let before = log.lock().unwrap().len();
            let (code, stdout) = run(&program, &args, &[]);
            assert_eq!((code, stdout.as_slice()), (Some(0), &b"ok"[..]), "{program:?} {scheme} {host}");
            let after = log.lock().unwrap();
            assert_eq!(after.len(), before + 1);
            // curl also offers GSS-API (method 1) in its SOCKS5 greeting,
            // which we do not implement: compare from the request on.
            let seen = after[before].clone();
            let request = if seen[0] == 5 { seen[2 + usize::from(seen[1])..].to_vec() } else { seen };
            handshakes.push(request);
        }
        assert!(handshakes.windows(2).all(|w| w[0] == w[1]), "{scheme} {host}: {handshakes:?}");
    }
    // The option forms and a user id (SOCKS4 sends it; no password).
    for program in programs() {
        let before = log.lock().unwrap().len();
        let args = vec![
            "-s".to_owned(),
            "--socks4".to_owned(),
            format!("127.0.0.1:{proxy}"),
            "-U".to_owned(),
            "bob:pw".to_owned(),
            format!("http://127.0.0.1:{}/", server.port),
        ];
        assert_eq!(run(&program, &args, &[]).0, Some(0));
        let seen = log.lock().unwrap()[before].clone();
        assert!(seen.ends_with(b"bob\0"), "{program:?}: {seen:?}");
    }
}

#[test]
fn environment_proxies_and_no_proxy() {
    // The scripted server plays the forwarding proxy: it records the
    // absolute-form request line.
    let server = Server::start(|_| ok_reply());
    let proxy = format!("http://127.0.0.1:{}", server.port);
    let resolve = format!("example.test:{}:127.0.0.1", server.port);
    for program in programs() {
        let url = format!("http://example.test:{}/p", server.port);
        let args = vec!["-s".to_owned(), "--resolve".to_owned(), resolve.clone(), url.clone()];
        let before = server.requests().len();
        assert_eq!(run(&program, &args, &[("http_proxy", proxy.clone())]).0, Some(0), "{program:?}");
        let first_line = |r: &[u8]| String::from_utf8_lossy(r).lines().next().unwrap().to_owned();
        let via_proxy = first_line(&server.requests()[before]);
        assert_eq!(via_proxy, format!("GET {url} HTTP/1.1"), "{program:?}");
        // NO_PROXY and --noproxy send it direct (origin form).
        assert_eq!(
            run(&program, &args, &[("http_proxy", proxy.clone()), ("NO_PROXY", "example.test".into())]).0,
            Some(0)
        );
        assert_eq!(first_line(&server.requests()[before + 1]), "GET /p HTTP/1.1", "{program:?}");
        let mut noproxy = args.clone();
        noproxy.splice(0..0, ["--noproxy".to_owned(), "*".to_owned()]);
        assert_eq!(run(&program, &noproxy, &[("http_proxy", proxy.clone())]).0, Some(0));
        assert_eq!(first_line(&server.requests()[before + 2]), "GET /p HTTP/1.1", "{program:?}");
        // `-x ""` turns the environment off too.
        let mut off = args.clone();
        off.splice(0..0, ["-x".to_owned(), String::new()]);
        assert_eq!(run(&program, &off, &[("http_proxy", proxy.clone())]).0, Some(0));
        assert_eq!(first_line(&server.requests()[before + 3]), "GET /p HTTP/1.1", "{program:?}");
    }
}

/// The library's `Request::proxy`: forwarding through an HTTP proxy
/// (absolute-form request line), `no_proxy` going direct, `proxy_tunnel`
/// using `CONNECT`, SOCKS5h through the SOCKS proxy above, and a bad
/// proxy URL refused up front.
#[test]
fn library_requests_go_through_proxies() {
    let server = Server::start(|_| ok_reply());
    let url = format!("http://example.test:{}/lib", server.port);
    let proxy = format!("http://127.0.0.1:{}", server.port);
    let client = rsurl::Client::new();
    let first_line = |r: &[u8]| String::from_utf8_lossy(r).lines().next().unwrap().to_owned();

    // Forwarded: the scripted server plays the proxy.
    let req = rsurl::Request::get(&url).unwrap().proxy(&proxy).unwrap();
    let before = server.requests().len();
    assert_eq!(client.send(req).unwrap().bytes().unwrap(), b"ok");
    assert_eq!(first_line(&server.requests()[before]), format!("GET {url} HTTP/1.1"));

    // `no_proxy`: direct, in origin form (`example.test` only exists
    // behind the proxy, so the direct request names 127.0.0.1).
    let direct = format!("http://127.0.0.1:{}/lib", server.port);
    let req = rsurl::Request::get(&direct).unwrap().proxy(&proxy).unwrap().no_proxy("127.0.0.1");
    assert_eq!(client.send(req).unwrap().bytes().unwrap(), b"ok");
    assert_eq!(first_line(&server.requests()[before + 1]), "GET /lib HTTP/1.1");

    // `proxy_tunnel`: CONNECT first (the server answers it with its
    // scripted 200, after which the request follows on the tunnel).
    let req = rsurl::Request::get(&url).unwrap().proxy(&proxy).unwrap().proxy_tunnel();
    let _ = client.send(req);
    assert_eq!(first_line(&server.requests()[before + 2]), format!("CONNECT example.test:{} HTTP/1.1", server.port));

    // SOCKS5h: the proxy resolves the name and records the handshake.
    let (socks, log) = socks_proxy(server.port);
    let req = rsurl::Request::get(&url).unwrap().proxy(&format!("socks5h://127.0.0.1:{socks}")).unwrap();
    assert_eq!(client.send(req).unwrap().bytes().unwrap(), b"ok");
    let seen = log.lock().unwrap().last().cloned().unwrap();
    assert!(seen.windows(12).any(|w| w == b"example.test"), "{seen:?}");

    let bad = rsurl::Request::get(&url).unwrap().proxy("gopher://127.0.0.1:1");
    assert!(bad.is_err(), "an unknown proxy scheme is refused");
}
