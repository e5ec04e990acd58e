//! `--interface`, `--local-port` and Happy Eyeballs, rsurl and
//! `/usr/bin/curl` side by side against a loopback server that records
//! the client's address: same exit codes, stdout and error texts (exit 45
//! for interfaces that do not exist), the source port the server saw
//! inside the `--local-port` range, and connections that still succeed
//! quickly when the first address is refused or a black hole (a listener
//! whose accept queue is full drops further SYNs).

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::https::run;

/// Answers every connection on `listener` with a one-shot `ok` response
/// and records the client's address.
fn serve(listener: TcpListener) -> Arc<Mutex<Vec<SocketAddr>>> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for mut client in listener.incoming().flatten() {
            log.lock().unwrap().push(client.peer_addr().unwrap());
            let mut head = Vec::new();
            let mut b = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && client.read(&mut b).unwrap_or(0) == 1 {
                head.push(b[0]);
            }
            let _ = client.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        }
    });
    seen
}

/// A listener at `addr` whose accept queue is full, so the kernel drops
/// new SYNs: a connection attempt there hangs. `None` when the address
/// cannot be bound here (no IPv6 loopback).
#[allow(unsafe_code)]
fn black_hole(addr: SocketAddr) -> Option<(TcpListener, Vec<TcpStream>)> {
    use std::os::fd::AsRawFd;
    let listener = TcpListener::bind(addr).ok()?;
    // SAFETY: listen() on the descriptor the listener owns; no pointers.
    // A backlog of 0 leaves room for one connection that is never accepted.
    assert_eq!(unsafe { libc::listen(listener.as_raw_fd(), 0) }, 0);
    let mut held = Vec::new();
    while let Ok(s) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) {
        held.push(s);
        assert!(held.len() < 16, "the accept queue does not fill");
    }
    Some((listener, held))
}

/// curl's `-v` lines about connecting.
fn connect_lines(stderr: &str) -> Vec<String> {
    let keys = ["*   Trying", "* connect to", "* Connected to", "* ipv4 connect timeout", "* ipv6 connect timeout"];
    stderr.lines().filter(|l| keys.iter().any(|k| l.starts_with(k))).map(str::to_owned).collect()
}

/// The error line without the program's name (`rsurl: ` / `curl: `).
fn error_text(stderr: &str) -> String {
    stderr.lines().next().and_then(|l| l.split_once(": ")).map(|(_, t)| t.to_owned()).unwrap_or_default()
}

fn programs() -> Vec<PathBuf> {
    let mut p = vec![PathBuf::from(env!("CARGO_BIN_EXE_rsurl"))];
    p.extend(crate::cases::curl());
    p
}

#[test]
fn interface_and_local_port_match_curl() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = serve(listener);
    let url = format!("http://127.0.0.1:{port}/");
    let args = |v: &[&str]| v.iter().map(|a| a.replace("%U", &url)).collect::<Vec<String>>();
    let cases = [
        (args(&["-sS", "--interface", "lo", "-w", "|%{local_ip}", "%U"]), 0),
        (args(&["-sS", "--interface", "if!lo", "-w", "|%{local_ip}", "%U"]), 0),
        (args(&["-sS", "--interface", "127.0.0.1", "-w", "|%{local_ip}", "%U"]), 0),
        (args(&["-sS", "--interface", "host!localhost", "-w", "|%{local_ip}", "%U"]), 0),
        (args(&["-sS", "--interface", "nosuchif0", "%U"]), 45),
        (args(&["-sS", "--interface", "if!nosuchif0", "%U"]), 45),
        (args(&["-sS", "--interface", "host!nosuch.invalid", "%U"]), 45),
        // TEST-NET-2: no interface of this host has it.
        (args(&["-sS", "--interface", "198.51.100.7", "%U"]), 45),
        (args(&["-sS", "--local-port", "5-3", "%U"]), 2),
        (args(&["-sS", "--local-port", "70000", "%U"]), 2),
    ];
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    for (a, code) in &cases {
        let ours = run(&rsurl, a);
        assert_eq!(ours.0, Some(*code), "{a:?}: {}", ours.2);
        if *code == 0 {
            assert_eq!(ours.1, b"ok|127.0.0.1", "{a:?}");
        }
        if let Some(curl) = crate::cases::curl() {
            let theirs = run(&curl, a);
            assert_eq!((ours.0, &ours.1), (theirs.0, &theirs.1), "{a:?}");
            assert_eq!(error_text(&ours.2), error_text(&theirs.2), "{a:?}");
        }
    }
    assert_eq!(error_text(&run(&rsurl, &cases[4].0).2), "(45) Couldn't bind to 'nosuchif0'");
    assert_eq!(error_text(&run(&rsurl, &cases[5].0).2), "(45) Couldn't bind to interface 'nosuchif0'");

    // --local-port: the server sees the port `%{local_port}` names, in range.
    let base = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().min(65_000);
    let range = format!("{base}-{}", base + 30);
    for program in programs() {
        let before = seen.lock().unwrap().len();
        let out = run(&program, &args(&["-sS", "--local-port", &range, "-w", "|%{local_port}", "%U"]));
        assert_eq!(out.0, Some(0), "{program:?}: {}", out.2);
        let printed: u16 = String::from_utf8_lossy(&out.1).trim_start_matches("ok|").parse().unwrap();
        assert!((base..=base + 30).contains(&printed), "{program:?}: {printed} not in {range}");
        assert_eq!(seen.lock().unwrap()[before].port(), printed, "{program:?}");
    }
}

/// Runs `args` through both tools: exit 0, `ok`, and within `limit`.
fn connects_within(args: &[String], limit: Duration) {
    for program in programs() {
        let t = Instant::now();
        let out = run(&program, args);
        assert_eq!((out.0, out.1.as_slice()), (Some(0), &b"ok"[..]), "{program:?} {args:?}: {}", out.2);
        assert!(t.elapsed() < limit, "{program:?} {args:?}: took {:?}", t.elapsed());
    }
}

#[test]
fn happy_eyeballs_reaches_the_address_that_answers() {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let _seen = serve(listener);
    let url = format!("http://he.test:{port}/");
    let args = |addrs: &str, extra: &[&str]| {
        let mut v = vec!["-sS".to_owned(), "--resolve".to_owned(), format!("he.test:{port}:{addrs}")];
        v.extend(extra.iter().map(|s| (*s).to_owned()));
        v.push(url.clone());
        v
    };
    // The first address refuses (nothing on [::1] or 127.0.0.3 at that
    // port); `-v` says so in curl's words.
    connects_within(&args("[::1],127.0.0.1", &[]), Duration::from_secs(2));
    connects_within(&args("127.0.0.3,127.0.0.1", &[]), Duration::from_secs(2));
    let verbose = args("127.0.0.3,127.0.0.1", &["-v"]);
    let ours = connect_lines(&run(&PathBuf::from(env!("CARGO_BIN_EXE_rsurl")), &verbose).2);
    assert_eq!(ours.len(), 4, "{ours:?}");
    if let Some(curl) = crate::cases::curl() {
        assert_eq!(ours, connect_lines(&run(&curl, &verbose).2));
    }

    // A black hole first, in the other family: IPv4 starts after the
    // Happy Eyeballs delay, long before the connect timeout.
    match black_hole(format!("[::1]:{port}").parse().unwrap()) {
        Some(_hole) => {
            connects_within(&args("[::1],127.0.0.1", &["--connect-timeout", "20"]), Duration::from_secs(3));
            let slow = args("[::1],127.0.0.1", &["--connect-timeout", "20", "--happy-eyeballs-timeout-ms", "1500"]);
            let t = Instant::now();
            connects_within(&slow, Duration::from_secs(5));
            assert!(t.elapsed() >= Duration::from_millis(1500), "the delay was not honoured");
        }
        None => eprintln!("\n!!!!!!!! SKIPPED: no IPv6 loopback here for the cross-family black hole !!!!!!!!\n"),
    }
    // A black hole first in the same family: it gets half the connect
    // timeout (curl: "ipv4 connect timeout after 3000ms, move on!"), then
    // the next address.
    let (_hole, _held) = black_hole(format!("127.0.0.2:{port}").parse().unwrap()).unwrap();
    let hole_first = args("127.0.0.2,127.0.0.1", &["--connect-timeout", "6"]);
    connects_within(&hole_first, Duration::from_secs(5));
    let verbose = [&["-v".to_owned()][..], &hole_first[..]].concat();
    for program in programs() {
        let lines = connect_lines(&run(&program, &verbose).2);
        assert!(lines.iter().any(|l| l.starts_with("* ipv4 connect timeout after ")), "{program:?}: {lines:?}");
        assert!(lines.first().is_some_and(|l| l.contains("127.0.0.2")), "{program:?}: the black hole was not first");
    }
}
