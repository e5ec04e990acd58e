//! `--unix-socket` and `--abstract-unix-socket`, rsurl and `/usr/bin/curl`
//! side by side against nginx listening on Unix sockets (plain HTTP and
//! HTTPS; `ci-templates/peers/nginx` prints `HTTP_SOCK` / `HTTPS_SOCK`),
//! and through an abstract-namespace socket this test relays to nginx:
//! same exit codes, stdout (the `-w` address variables included) and
//! curl's `Trying` / `Connected to` lines.

use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use crate::https::{expand, run, same_as_curl};

/// Listens on the abstract name `name` and relays each connection to the
/// Unix socket at `target`.
fn abstract_relay(name: &str, target: PathBuf) {
    use std::os::linux::net::SocketAddrExt;
    let addr = std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
    let listener = UnixListener::bind_addr(&addr).unwrap();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let Ok(server) = UnixStream::connect(&target) else { continue };
            let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
            std::thread::spawn(move || {
                let _ = std::io::copy(&mut c2, &mut s2);
                let _ = s2.shutdown(std::net::Shutdown::Write);
            });
            std::thread::spawn(move || {
                let (mut s, mut c) = (server, client);
                let _ = std::io::copy(&mut s, &mut c);
                let _ = c.shutdown(std::net::Shutdown::Write);
            });
        }
    });
}

/// curl's lines about where the connection went.
fn connect_lines(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| l.starts_with("*   Trying") || l.starts_with("* Connected to"))
        .map(str::to_owned)
        .collect()
}

#[test]
fn unix_sockets_match_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let http_sock = nginx.var("HTTP_SOCK").unwrap().to_owned();
    let https_sock = nginx.var("HTTPS_SOCK").unwrap().to_owned();
    let ca = nginx.var("CA").unwrap().to_owned();
    let name = format!("rsurl-test-{}", std::process::id());
    abstract_relay(&name, PathBuf::from(&http_sock));
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls/unrelated-ca.pem");
    let other_text = other.to_string_lossy();
    let vars = [
        ("%HTTPSOCK", http_sock.as_str()),
        ("%TLSSOCK", &https_sock),
        ("%ABS", &name),
        ("%CA", &ca),
        ("%OTHER", &other_text),
    ];
    let s = |v: &[&str]| expand(v, &vars);
    let w = "|%{http_code}|%{remote_ip}|%{remote_port}|%{local_ip}|%{local_port}|%{num_connects}\\n";
    // (arguments, the exit code both must give)
    let cases: Vec<(Vec<String>, i32)> = vec![
        (s(&["-s", "--unix-socket", "%HTTPSOCK", "-w", w, "http://localhost/"]), 0),
        // The URL's port is only named; the Host header carries it.
        (s(&["-s", "--unix-socket", "%HTTPSOCK", "-w", w, "http://example.test:8080/"]), 0),
        // One connection for both (keep-alive over the socket).
        (s(&["-s", "--unix-socket", "%HTTPSOCK", "-w", w, "http://localhost/", "http://localhost/nope"]), 0),
        // Proxies do not apply.
        (s(&["-s", "-x", "http://127.0.0.1:1", "--unix-socket", "%HTTPSOCK", "http://localhost/"]), 0),
        (s(&["-s", "--unix-socket", "/nonexistent/rsurl.sock", "http://localhost/"]), 7),
        // TLS over the socket: SNI and the name check use the URL's host.
        (s(&["-s", "--unix-socket", "%TLSSOCK", "--cacert", "%CA", "-w", w, "https://localhost/"]), 0),
        (s(&["-s", "--unix-socket", "%TLSSOCK", "--cacert", "%OTHER", "https://localhost/"]), 60),
        (s(&["-s", "--unix-socket", "%TLSSOCK", "--cacert", "%CA", "https://wrong.test/"]), 60),
        (s(&["-s", "--abstract-unix-socket", "%ABS", "-w", w, "http://localhost/"]), 0),
        (s(&["-s", "--abstract-unix-socket", "%ABS-none", "http://localhost/"]), 7),
    ];
    for (args, code) in &cases {
        same_as_curl(args, *code);
    }
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    for sock in ["--unix-socket", "--abstract-unix-socket"] {
        let target = if sock == "--unix-socket" { &http_sock } else { &name };
        let args = s(&["-s", "-v", "-o", "/dev/null", sock, target, "http://localhost/"]);
        let ours = connect_lines(&run(&rsurl, &args).2);
        assert_eq!(ours.len(), 2, "{ours:?}");
        if let Some(curl) = &curl {
            assert_eq!(ours, connect_lines(&run(curl, &args).2));
        }
    }
}

/// The C ABI's connection options, driven from Rust:
/// `CURLOPT_UNIX_SOCKET_PATH`, `CURLOPT_ABSTRACT_UNIX_SOCKET` (nothing
/// listens: 7), `CURLOPT_INTERFACE` (`lo`, and a name that is no
/// interface: 45), `CURLOPT_LOCALPORT` + `CURLOPT_LOCALPORTRANGE`.
#[cfg(feature = "ffi")]
#[test]
#[allow(unsafe_code)]
fn easy_interface_connection_options() {
    use core::ffi::c_void;
    use std::ffi::CString;
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let sock = CString::new(nginx.var("HTTP_SOCK").unwrap()).unwrap();
    let tcp_url = CString::new(format!("http://127.0.0.1:{}/", nginx.var("HTTP_PORT").unwrap())).unwrap();
    let sock_url = CString::new("http://localhost/").unwrap();
    let lo = CString::new("lo").unwrap();
    let nosuch = CString::new("if!nosuchif0").unwrap();
    let none = CString::new(format!("rsurl-none-{}", std::process::id())).unwrap();
    const URL: i32 = 10_002;
    const INTERFACE: i32 = 10_062;
    const LOCALPORT: i32 = 139;
    const LOCALPORTRANGE: i32 = 140;
    const UNIX_SOCKET_PATH: i32 = 10_231;
    const ABSTRACT_UNIX_SOCKET: i32 = 10_264;
    let ptr = |c: &CString| c.as_ptr().cast_mut().cast::<c_void>();
    let long = |v: usize| v as *mut c_void;
    let base = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().min(65_000);
    // (options, perform's code)
    let cases: Vec<(Vec<(i32, *mut c_void)>, i32)> = vec![
        (vec![(URL, ptr(&sock_url)), (UNIX_SOCKET_PATH, ptr(&sock))], 0),
        (vec![(URL, ptr(&sock_url)), (ABSTRACT_UNIX_SOCKET, ptr(&none))], 7),
        (vec![(URL, ptr(&tcp_url)), (INTERFACE, ptr(&lo))], 0),
        (vec![(URL, ptr(&tcp_url)), (INTERFACE, ptr(&nosuch))], 45),
        (vec![(URL, ptr(&tcp_url)), (LOCALPORT, long(usize::from(base))), (LOCALPORTRANGE, long(30))], 0),
    ];
    for (i, (options, code)) in cases.into_iter().enumerate() {
        // SAFETY: every option gets the type libcurl documents (C strings
        // that outlive the transfer, or longs).
        let (got, status, _) = unsafe { crate::https::easy_head(&options) };
        assert_eq!((got, status), (code, if code == 0 { 200 } else { 0 }), "case {i}");
    }
}
