//! `https://` proxies, rsurl and `/usr/bin/curl` side by side: an HTTPS
//! proxy on Python's `ssl` module (OpenSSL, `tests/data/proxy/
//! https_proxy.py`) with nginx's certificate forwards plain HTTP and
//! tunnels HTTPS to the nginx peer. Both tools must give the same exit
//! code and stdout (`%{proxy_ssl_verify_result}` included), send the
//! proxy the same request lines over the same TLS version, and print the
//! same `-v` lines for both handshakes.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use crate::https::{expand, run_env, same_as_curl};

/// The Python proxy, killed when dropped; appends what it saw to `log`.
struct PyProxy {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for PyProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

impl PyProxy {
    /// Starts the proxy with `dir`'s `server.crt` / `server.key` (and,
    /// with `client_ca`, requiring a client certificate it issued);
    /// outside CI a missing Python skips the test loudly.
    fn start(dir: &Path, client_ca: Option<&str>) -> Option<Self> {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/proxy/https_proxy.py");
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = std::env::temp_dir().join(format!("rsurl-https-proxy-{}-{n}.log", std::process::id()));
        let spawned = Command::new("python3")
            .arg(script)
            .arg(dir.join("server.crt"))
            .arg(dir.join("server.key"))
            .arg(&log)
            .args(client_ca)
            .stdout(Stdio::piped())
            .spawn();
        let mut child = match spawned {
            Ok(c) => c,
            Err(e) if !peerctl::in_ci() => {
                eprintln!("\n!!!!!!!! SKIPPED: python3 unavailable outside CI: {e} !!!!!!!!\n");
                return None;
            }
            Err(e) => panic!("python3 is required in CI: {e}"),
        };
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
        let port = line.trim().strip_prefix("PORT=").unwrap_or_else(|| panic!("proxy said {line:?}")).parse().unwrap();
        Some(Self { child, port, log })
    }

    /// The lines logged so far: request line and TLS version.
    fn seen(&self) -> Vec<String> {
        std::fs::read_to_string(&self.log).unwrap_or_default().lines().map(str::to_owned).collect()
    }
}

/// The `-v` lines of both handshakes (proxy, then server).
fn tls_lines(stderr: &str) -> Vec<String> {
    let keys = ["* ALPN:", "* SSL connection using", "* Proxy certificate:", "* Server certificate:", "*  subject:"];
    let more = ["*  start date:", "*  expire date:", "*  subjectAltName:", "*  issuer:", "*  SSL certificate verify"];
    stderr.lines().filter(|l| keys.iter().chain(&more).any(|k| l.starts_with(k))).map(str::to_owned).collect()
}

/// Arguments, environment, the exit code both tools must give.
type Case<'a> = (Vec<String>, Vec<(&'a str, String)>, i32);

#[test]
fn https_proxy_matches_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let Some(proxy) = PyProxy::start(nginx.dir(), None) else { return };
    let ca = nginx.var("CA").unwrap().to_owned();
    let other = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tls/unrelated-ca.pem");
    let http = format!("http://127.0.0.1:{}/", nginx.var("HTTP_PORT").unwrap());
    let https = format!("https://localhost:{}/", nginx.port());
    let px = format!("https://localhost:{}", proxy.port);
    let (port_text, other_text) = (proxy.port.to_string(), other.to_string_lossy());
    let vars = [("%HTTPS", https.as_str()), ("%HTTP", &http), ("%PX", &px), ("%PORT", &port_text), ("%CA", &ca)];
    let vars = [&vars[..], &[("%OTHER", &other_text)]].concat();
    let s = |v: &[&str]| expand(v, &vars);
    let w = "|%{http_code}|%{proxy_ssl_verify_result}|%{ssl_verify_result}|%{http_connect}";
    let no_env: Vec<(&str, String)> = Vec::new();
    // (arguments, environment, exit code both must give)
    let cases: Vec<Case> = vec![
        (s(&["-s", "--proxy-cacert", "%CA", "-w", w, "-x", "%PX", "%HTTP"]), no_env.clone(), 0),
        (s(&["-s", "--proxy-cacert", "%CA", "--cacert", "%CA", "-w", w, "-x", "%PX", "%HTTPS"]), no_env.clone(), 0),
        // The proxy's name is checked: 127.0.0.1 is in its SAN too.
        (s(&["-s", "--proxy-cacert", "%CA", "-x", "https://127.0.0.1:%PORT", "%HTTP"]), no_env.clone(), 0),
        // HTTP through the proxy as a CONNECT tunnel (-p).
        (s(&["-s", "-p", "--proxy-cacert", "%CA", "-w", w, "-x", "%PX", "%HTTP"]), no_env.clone(), 0),
        // The wrong CA for the proxy: 60 whatever the server's CA.
        (s(&["-s", "--proxy-cacert", "%OTHER", "-x", "%PX", "%HTTP"]), no_env.clone(), 60),
        // ... and the refused proxy chain's verify result is reported (20).
        (s(&["-s", "--proxy-cacert", "%OTHER", "-w", w, "-x", "%PX", "%HTTP"]), no_env.clone(), 60),
        (s(&["-s", "--proxy-cacert", "%OTHER", "--cacert", "%CA", "-x", "%PX", "%HTTPS"]), no_env.clone(), 60),
        // -k is for the server only; --proxy-insecure for the proxy only.
        (s(&["-s", "-k", "-x", "%PX", "%HTTP"]), no_env.clone(), 60),
        (s(&["-s", "--proxy-insecure", "-w", w, "-x", "%PX", "%HTTP"]), no_env.clone(), 0),
        (
            s(&["-s", "--proxy-cacert", "%CA", "-k", "--cacert", "%OTHER", "-w", w, "-x", "%PX", "%HTTPS"]),
            no_env.clone(),
            0,
        ),
        (s(&["-s", "--proxy-cacert", "/nonexistent/ca.pem", "-x", "%PX", "%HTTP"]), no_env.clone(), 77),
        // Proxy TLS versions and suites.
        (
            s(&[
                "-s",
                "--proxy-cacert",
                "%CA",
                "--proxy-tlsv1",
                "--proxy-tls13-ciphers",
                "TLS_AES_128_GCM_SHA256",
                "-x",
                "%PX",
                "%HTTP",
            ]),
            no_env.clone(),
            0,
        ),
        // Keep-alive through the proxy: one connection for both.
        (
            s(&["-s", "--proxy-cacert", "%CA", "-w", "|%{num_connects}", "-x", "%PX", "%HTTP", "%HTTP"]),
            no_env.clone(),
            0,
        ),
        // From the environment.
        (s(&["-s", "--proxy-cacert", "%CA", "%HTTP"]), vec![("http_proxy", px.clone())], 0),
        (s(&["-s", "--proxy-cacert", "%CA", "--cacert", "%CA", "%HTTPS"]), vec![("https_proxy", px.clone())], 0),
    ];
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    // Deliberate difference: the server's chain fails to verify inside
    // the proxy's TLS session. curl 7.88 loses OpenSSL's reason there and
    // exits 35 ("SSL_ERROR_SYSCALL"); rsurl reports it as without a proxy.
    let nested = s(&["-s", "--proxy-insecure", "--cacert", "%OTHER", "-x", "%PX", "%HTTPS"]);
    assert_eq!(run_env(&rsurl, &nested, &[]).0, Some(60));
    if let Some(curl) = &curl {
        assert_eq!(run_env(curl, &nested, &[]).0, Some(35));
    }
    for (args, env, code) in &cases {
        let before = proxy.seen().len();
        let ours = run_env(&rsurl, args, env);
        assert_eq!(ours.0, Some(*code), "{args:?} {env:?}: {}", ours.2);
        if *code == 0 {
            assert!(ours.1.starts_with(b"hello from nginx\n"), "{args:?}");
        }
        let ours_seen = proxy.seen().split_off(before);
        if *code == 0 {
            assert!(!ours_seen.is_empty(), "{args:?}: the proxy saw nothing");
        }
        let Some(curl) = &curl else { continue };
        let before = proxy.seen().len();
        let theirs = run_env(curl, args, env);
        assert_eq!((ours.0, &ours.1), (theirs.0, &theirs.1), "{args:?}\nours: {}\ncurl: {}", ours.2, theirs.2);
        assert_eq!(ours_seen, proxy.seen().split_off(before), "{args:?}: what the proxy saw");
    }
    let seen = proxy.seen();
    assert!(seen.contains(&format!("GET {http} HTTP/1.1 TLSv1.3")), "{seen:?}");
    assert!(seen.contains(&format!("CONNECT localhost:{} HTTP/1.1 TLSv1.3", nginx.port())), "{seen:?}");

    // `-v`: both handshakes read like curl's, the proxy's first.
    for url in [&http, &https] {
        let verbose = s(&["-s", "-v", "--proxy-cacert", "%CA", "--cacert", "%CA", "-o", "/dev/null", "-x", "%PX", url]);
        let ours = tls_lines(&run_env(&rsurl, &verbose, &[]).2);
        assert!(ours.iter().any(|l| l == "* Proxy certificate:"), "{ours:#?}");
        if let Some(curl) = &curl {
            assert_eq!(ours, tls_lines(&run_env(curl, &verbose, &[]).2), "{url}");
        }
    }
}

/// `--proxy-pinnedpubkey` is checked (curl 7.88 with OpenSSL ignores it
/// for proxies, so this is not compared).
#[test]
fn https_proxy_pinned_key() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let Some(proxy) = PyProxy::start(nginx.dir(), None) else { return };
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let url = format!("http://127.0.0.1:{}/", nginx.var("HTTP_PORT").unwrap());
    let px = format!("https://localhost:{}", proxy.port);
    let key = nginx.dir().join("server.crt");
    let args = |pin: &str| {
        vec![
            "-sS".to_owned(),
            "--proxy-insecure".to_owned(),
            "--proxy-pinnedpubkey".to_owned(),
            pin.to_owned(),
            "-x".to_owned(),
            px.clone(),
            url.clone(),
        ]
    };
    assert_eq!(run_env(&rsurl, &args("sha256//AAAA"), &[]).0, Some(90));
    let (code, _, stderr) = run_env(&rsurl, &args("sha256//AAAA"), &[]);
    assert!(stderr.contains("public key does not match pinned public key"), "{code:?} {stderr}");
    // A `-v` run prints the proxy key's hash; pinning it lets the transfer through.
    let (_, _, verbose) = run_env(&rsurl, &[vec!["-v".to_owned()], args("sha256//AAAA")].concat(), &[]);
    let hash = verbose.lines().find_map(|l| l.strip_prefix("*  public key hash: ")).unwrap().to_owned();
    assert_eq!(run_env(&rsurl, &args(&hash), &[]).0, Some(0), "{key:?}");
}

/// `--proxy-cert` / `--proxy-key` / `--proxy-pass` against a proxy that
/// requires a client certificate, beside curl: none (or only the
/// server's `-E`), a plain key, an encrypted key with the right and the
/// wrong pass phrase (58).
#[test]
fn https_proxy_client_certificates_match_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let ca = nginx.var("CA").unwrap().to_owned();
    let Some(proxy) = PyProxy::start(nginx.dir(), Some(&ca)) else { return };
    let http = format!("http://127.0.0.1:{}/", nginx.var("HTTP_PORT").unwrap());
    let px = format!("https://localhost:{}", proxy.port);
    let (cert, key, key_enc) =
        (nginx.var("CLIENT_CERT").unwrap(), nginx.var("CLIENT_KEY").unwrap(), nginx.var("CLIENT_KEY_ENC").unwrap());
    let vars =
        [("%HTTP", http.as_str()), ("%PX", &px), ("%CA", &ca), ("%CERT", cert), ("%KEYENC", key_enc), ("%KEY", key)];
    let s = |v: &[&str]| expand(v, &vars);
    // Without a certificate the proxy's alert ends the transfer after
    // the handshake: 55 or 56 for both tools, as the alert is seen while
    // sending the request or while reading the reply (a race).
    let with = |extra: &[&str]| s(&[&["-s", "--proxy-cacert", "%CA"], extra, &["-x", "%PX", "%HTTP"]].concat());
    for args in [with(&[]), with(&["-E", "%CERT", "--key", "%KEY"])] {
        for program in [PathBuf::from(env!("CARGO_BIN_EXE_rsurl"))].into_iter().chain(crate::cases::curl()) {
            let (code, _, stderr) = run_env(&program, &args, &[]);
            assert!(matches!(code, Some(55 | 56)), "{program:?} {args:?}: {code:?} {stderr}");
        }
    }
    let cases = [
        (with(&["--proxy-cert", "%CERT", "--proxy-key", "%KEY"]), 0),
        (with(&["--proxy-cert", "%CERT", "--proxy-key", "%KEYENC", "--proxy-pass", "secret"]), 0),
        (with(&["--proxy-cert", "%CERT:secret", "--proxy-key", "%KEYENC"]), 0),
        (with(&["--proxy-cert", "%CERT", "--proxy-key", "%KEYENC", "--proxy-pass", "wrong"]), 58),
    ];
    for (args, code) in &cases {
        same_as_curl(args, *code);
    }
}
