//! HTTPS against the real nginx peer (TLS 1.3 and 1.2 with a throwaway CA),
//! differentially against `/usr/bin/curl`: verified GETs, the wrong CA and
//! a wrong host name (60), `-k` with `%{ssl_verify_result}`, pinned keys
//! (good, bad: 90), `--resolve` / `--connect-to` keeping the URL's name,
//! keep-alive reuse, HTTPS through a CONNECT proxy, and curl's `-v`
//! certificate lines.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, Mutex};

/// `program` without the proxy variables of the caller's environment.
pub(crate) fn command(program: &Path) -> Command {
    let mut c = Command::new(program);
    for v in ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
        c.env_remove(v);
    }
    c
}

/// Runs `program` with `args` and no proxy variables from the caller's
/// environment; returns its exit code, stdout and stderr.
pub(crate) fn run(program: &Path, args: &[String]) -> (Option<i32>, Vec<u8>, String) {
    run_env(program, args, &[])
}

/// [`run`] with the variables `env` set.
pub(crate) fn run_env(program: &Path, args: &[String], env: &[(&str, String)]) -> (Option<i32>, Vec<u8>, String) {
    let mut cmd = command(program);
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    (out.status.code(), out.stdout, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `args` with each `%NAME` of `vars` replaced, in the order given (so a
/// longer name can go before its prefix: `%HTTPS` before `%HTTP`).
pub(crate) fn expand(args: &[&str], vars: &[(&str, &str)]) -> Vec<String> {
    args.iter().map(|a| vars.iter().fold((*a).to_owned(), |acc, (k, v)| acc.replace(k, v))).collect()
}

/// Runs `args` through rsurl, which must exit `code` (and on success
/// print nginx's index page first), then through curl when installed,
/// which must give the same exit code and stdout.
pub(crate) fn same_as_curl(args: &[String], code: i32) {
    let ours = run(Path::new(env!("CARGO_BIN_EXE_rsurl")), args);
    assert_eq!(ours.0, Some(code), "{args:?}: {}", ours.2);
    if code == 0 {
        assert!(ours.1.starts_with(b"hello from nginx\n"), "{args:?}");
    }
    let Some(curl) = crate::cases::curl() else { return };
    let theirs = run(&curl, args);
    assert_eq!((ours.0, &ours.1), (theirs.0, &theirs.1), "{args:?}\nours: {}\ncurl: {}", ours.2, theirs.2);
}

/// A CONNECT proxy that tunnels every request to `127.0.0.1:target` and
/// logs the request lines it saw.
fn connect_proxy(target: u16) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let seen = seen.clone();
            std::thread::spawn(move || tunnel(client, target, &seen));
        }
    });
    (port, log)
}

fn tunnel(mut client: TcpStream, target: u16, log: &Mutex<Vec<String>>) {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte).unwrap_or(0) == 0 {
            return;
        }
        head.push(byte[0]);
    }
    let line = String::from_utf8_lossy(&head).lines().next().unwrap_or_default().to_owned();
    log.lock().unwrap().push(line);
    let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else { return };
    client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n").unwrap();
    let (mut c2, mut s2) = (client.try_clone().unwrap(), server.try_clone().unwrap());
    let up = std::thread::spawn(move || {
        let _ = std::io::copy(&mut c2, &mut s2);
        let _ = s2.shutdown(std::net::Shutdown::Write);
    });
    let (mut s, mut c) = (server, client);
    let _ = std::io::copy(&mut s, &mut c);
    let _ = c.shutdown(std::net::Shutdown::Write);
    let _ = up.join();
}

fn base64(data: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in data.chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(A[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `sha256//...` of the certificate's key, computed with purecrypto.
fn pin_of(cert_pem: &Path) -> String {
    use purecrypto::hash::{Hash as _, Sha256};
    let pem = std::fs::read(cert_pem).unwrap();
    let der = purecrypto::x509::pem_certificates(&pem).unwrap().remove(0);
    let spki = purecrypto::x509::leaf_spki(&der).unwrap().to_vec();
    format!("sha256//{}", base64(&Sha256::digest(&spki)))
}

fn data(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls").join(name).to_string_lossy().into_owned()
}

/// The `-v` lines about the negotiated connection and the certificate.
fn tls_lines(stderr: &str) -> Vec<String> {
    let keys = ["* SSL connection using", "*  subject:", "*  start date:", "*  expire date:", "*  subjectAltName:"];
    let more = ["*  issuer:", "*  SSL certificate verify", "* ALPN: server accepted"];
    stderr.lines().filter(|l| keys.iter().chain(&more).any(|k| l.starts_with(k))).map(str::to_owned).collect()
}

#[test]
fn https_against_nginx_matches_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let port = nginx.port();
    let ca = nginx.var("CA").unwrap().to_owned();
    let server_crt = nginx.dir().join("server.crt");
    let good_pin = pin_of(&server_crt);
    let bad_pin = format!("sha256//{}", base64(&[7u8; 32]));
    let (proxy_port, proxy_log) = connect_proxy(port);
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    let base = format!("https://localhost:{port}");
    let other = data("unrelated-ca.pem");
    let (port_text, proxy_text) = (port.to_string(), proxy_port.to_string());
    let vars = [
        ("%GOODPIN", good_pin.as_str()),
        ("%BADPIN", &bad_pin),
        ("%B", &base),
        ("%CA", &ca),
        ("%P", &port_text),
        ("%X", &proxy_text),
        ("%OTHER", &other),
    ];
    let s = |v: &[&str]| expand(v, &vars);
    // (arguments, the exit code both must give)
    let cases: Vec<(Vec<String>, i32)> = vec![
        (s(&["-s", "--cacert", "%CA", "%B/"]), 0),
        (s(&["-s", "--cacert", "%CA", "-w", "|%{ssl_verify_result}|%{num_connects}", "https://127.0.0.1:%P/"]), 0),
        (s(&["-s", "--cacert", "%OTHER", "%B/"]), 60),
        // A refused chain still reports OpenSSL's code (20), a wrong name 1.
        (s(&["-s", "--cacert", "%OTHER", "-w", "|%{ssl_verify_result}", "%B/"]), 60),
        (s(&["-s", "--cacert", "%CA", "--resolve", "wrong.test:%P:127.0.0.1", "https://wrong.test:%P/"]), 60),
        (
            s(&[
                "-s",
                "--cacert",
                "%CA",
                "-w",
                "|%{ssl_verify_result}",
                "--resolve",
                "wrong.test:%P:127.0.0.1",
                "https://wrong.test:%P/",
            ]),
            60,
        ),
        (s(&["-s", "--cacert", "%CA", "--connect-to", "wrong.test:%P:localhost:%P", "https://wrong.test:%P/"]), 60),
        (s(&["-s", "--cacert", "%CA", "--resolve", "localhost:%P:127.0.0.1", "%B/"]), 0),
        (s(&["-s", "-k", "--cacert", "%OTHER", "-w", "|%{ssl_verify_result}", "%B/"]), 0),
        (s(&["-s", "-k", "--resolve", "wrong.test:%P:127.0.0.1", "https://wrong.test:%P/"]), 0),
        (s(&["-s", "--cacert", "%CA", "--pinnedpubkey", "%GOODPIN", "%B/"]), 0),
        (s(&["-s", "--cacert", "%CA", "--pinnedpubkey", "%BADPIN;%GOODPIN", "%B/"]), 0),
        (s(&["-s", "--cacert", "%CA", "--pinnedpubkey", "%BADPIN", "%B/"]), 90),
        (s(&["-s", "-k", "--pinnedpubkey", "%BADPIN", "%B/"]), 90),
        (s(&["-s", "--cacert", "%CA", "--tlsv1.3", "%B/"]), 0),
        // TLS 1.2: nginx offers both; the cap makes it 1.2.
        (s(&["-s", "--cacert", "%CA", "--tls-max", "1.2", "%B/"]), 0),
        (s(&["-s", "--cacert", "%CA", "--tlsv1.2", "--tls-max", "1.2", "-x", "http://127.0.0.1:%X", "%B/"]), 0),
        (s(&["-s", "--cacert", "/nonexistent/ca.pem", "%B/"]), 77),
        // Keep-alive: the second transfer reuses the TLS connection.
        (s(&["-s", "--cacert", "%CA", "-w", "|%{num_connects}\\n", "%B/", "%B/"]), 0),
        // HTTPS through an HTTP proxy is a CONNECT tunnel.
        (s(&["-s", "--cacert", "%CA", "-x", "http://127.0.0.1:%X", "-w", "|%{http_code}|%{http_connect}", "%B/"]), 0),
        // The server's chain as curl's certificate info, and the other
        // variables curl 7.88 knows.
        (s(&["-s", "--cacert", "%CA", "-w", "|%{num_certs}|%{certs}|", "%B/"]), 0),
        (
            s(&[
                "-s",
                "-k",
                "-e",
                "http://ref.example/",
                "-w",
                "|%{referer}|%{http_connect}|%{proxy_ssl_verify_result}|%{ftp_entry_path}|%{num_certs}",
                "%B/",
            ]),
            0,
        ),
    ];
    for (args, code) in &cases {
        same_as_curl(args, *code);
    }
    let tunnels = proxy_log.lock().unwrap().clone();
    assert!(tunnels.iter().any(|l| *l == format!("CONNECT localhost:{port} HTTP/1.1")), "{tunnels:?}");

    // `-v`: the certificate lines read like curl's.
    let verbose = s(&["-s", "-v", "--cacert", "%CA", "-o", "/dev/null", "%B/"]);
    let ours = tls_lines(&run(&rsurl, &verbose).2);
    assert_eq!(ours.len(), 8, "{ours:#?}");
    assert!(ours[0].starts_with("* SSL connection using TLSv1.3 / TLS_"), "{ours:#?}");
    if let Some(curl) = &curl {
        // Both offer h2, which nginx picks.
        let theirs = tls_lines(&run(curl, &verbose).2);
        assert_eq!(ours, theirs);
    }
    // The same over TLS 1.2: OpenSSL's short suite name, as curl prints it.
    let verbose12 = s(&["-s", "-v", "--tls-max", "1.2", "--cacert", "%CA", "-o", "/dev/null", "%B/"]);
    let ours = tls_lines(&run(&rsurl, &verbose12).2);
    assert!(ours[0].starts_with("* SSL connection using TLSv1.2 / ECDHE-"), "{ours:#?}");
    if let Some(curl) = &curl {
        let theirs = tls_lines(&run(curl, &verbose12).2);
        assert_eq!(ours, theirs);
    }
}

/// The C ABI's TLS options, driven from Rust: `CURLOPT_CAINFO`,
/// `CURLOPT_SSL_VERIFYPEER`, `CURLOPT_SSL_VERIFYHOST`,
/// `CURLOPT_PINNEDPUBLICKEY` and `CURLINFO_SSL_VERIFYRESULT` (a name
/// mismatch needs `--resolve`, which the C ABI does not have yet, so
/// `SSL_VERIFYHOST = 0` is only shown not to break a transfer).
#[cfg(feature = "ffi")]
#[test]
#[allow(unsafe_code)]
fn easy_interface_tls_options() {
    use core::ffi::{c_long, c_void};
    use std::ffi::CString;
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let port = nginx.port();
    let url = CString::new(format!("https://localhost:{port}/")).unwrap();
    let ip_url = CString::new(format!("https://127.0.0.1:{port}/")).unwrap();
    let ca = CString::new(nginx.var("CA").unwrap()).unwrap();
    let other = CString::new(data("unrelated-ca.pem")).unwrap();
    let bad_pin = CString::new(format!("sha256//{}", base64(&[7u8; 32]))).unwrap();
    const URL: i32 = 10_002;
    const NOBODY: i32 = 44;
    const SSL_VERIFYPEER: i32 = 64;
    const CAINFO: i32 = 10_065;
    const SSL_VERIFYHOST: i32 = 81;
    const PINNEDPUBLICKEY: i32 = 10_230;
    let ptr = |c: &CString| c.as_ptr().cast_mut().cast::<c_void>();
    let long = |v: usize| v as *mut c_void;
    // (options, perform's code, response code, verify result)
    type Case = (Vec<(i32, *mut c_void)>, i32, c_long, c_long);
    let cases: Vec<Case> = vec![
        (vec![(URL, ptr(&url)), (CAINFO, ptr(&ca))], 0, 200, 0),
        (vec![(URL, ptr(&url)), (CAINFO, ptr(&other))], 60, 0, 0),
        (vec![(URL, ptr(&url)), (CAINFO, ptr(&other)), (SSL_VERIFYPEER, long(0))], 0, 200, 20),
        (vec![(URL, ptr(&ip_url)), (CAINFO, ptr(&ca)), (SSL_VERIFYHOST, long(0))], 0, 200, 0),
        (vec![(URL, ptr(&url)), (CAINFO, ptr(&ca)), (PINNEDPUBLICKEY, ptr(&bad_pin))], 90, 0, 0),
    ];
    for (i, (options, code, status, verify)) in cases.into_iter().enumerate() {
        // SAFETY: every option gets the type libcurl documents (C strings
        // that outlive the transfer, or longs).
        let got = unsafe { easy_head(&options) };
        let want = if code == 0 { (code, status, verify) } else { (code, 0, -1) };
        assert_eq!(got, want, "case {i}");
    }
}

/// One HEAD transfer through the C ABI with `options`: perform's code,
/// then (after success) `CURLINFO_RESPONSE_CODE` and
/// `CURLINFO_SSL_VERIFYRESULT` (0 and -1 when it failed).
///
/// # Safety
/// Each option's value is what libcurl documents for it, alive until
/// this returns.
#[cfg(feature = "ffi")]
#[allow(unsafe_code)]
pub(crate) unsafe fn easy_head(
    options: &[(i32, *mut core::ffi::c_void)],
) -> (i32, core::ffi::c_long, core::ffi::c_long) {
    use core::ffi::c_long;
    use rsurl::ffi::*;
    const NOBODY: i32 = 44;
    const INFO_RESPONSE_CODE: i32 = 0x20_0002;
    const INFO_SSL_VERIFYRESULT: i32 = 0x20_000D;
    // SAFETY: a fresh handle; the options are valid per this function's
    // contract; getinfo writes a long into a long.
    unsafe {
        let h = curl_easy_init();
        // A `long` 1 travels in the pointer-sized argument.
        assert_eq!(curl_easy_setopt(h, NOBODY, std::ptr::without_provenance_mut(1)), 0);
        for (opt, v) in options {
            assert_eq!(curl_easy_setopt(h, *opt, *v), 0, "option {opt}");
        }
        let code = curl_easy_perform(h);
        let (mut status, mut verify): (c_long, c_long) = (0, -1);
        if code == 0 {
            assert_eq!(curl_easy_getinfo(h, INFO_RESPONSE_CODE, (&raw mut status).cast()), 0);
            assert_eq!(curl_easy_getinfo(h, INFO_SSL_VERIFYRESULT, (&raw mut verify).cast()), 0);
        }
        curl_easy_cleanup(h);
        (code, status, verify)
    }
}

/// The Rust API: verification on by default (the system store does not
/// know the throwaway CA), `ca_file`, the dangerous opt-out, pins.
#[test]
fn library_https_verifies_by_default() {
    use std::io::Read as _;
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let url = format!("https://localhost:{}/", nginx.port());
    let e = rsurl::get(&url).unwrap_err();
    assert_eq!(e.exit_code().get(), 60, "{e}");
    let client = rsurl::Client::new();
    let mut body = String::new();
    let req = rsurl::Request::get(&url).unwrap().ca_file(nginx.var("CA").unwrap());
    client.send(req).unwrap().read_to_string(&mut body).unwrap();
    assert_eq!(body, "hello from nginx\n");
    let insecure = rsurl::Request::get(&url).unwrap().dangerous_accept_invalid_certs();
    assert!(client.send(insecure).is_ok());
    let pinned = rsurl::Request::get(&url).unwrap().dangerous_accept_invalid_certs().pinned_public_key("sha256//AAAA");
    assert_eq!(client.send(pinned).unwrap_err().exit_code().get(), 90);
}
