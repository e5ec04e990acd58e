//! The C ABI from C: `tests/c/smoke.c`, compiled with the system C
//! compiler against `include/curl/curl.h` and linked with the cdylib,
//! drives the scripted server through libcurl-style calls.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::server::{Reply, Server};

fn reply(text: &str) -> Reply {
    Reply { bytes: text.replace('\n', "\r\n").into_bytes(), keep_alive: true, ..Reply::default() }
}

/// The directory holding `librsurl.so`: next to the `rsurl` binary when
/// cargo uplifted it (`cargo build`), else in its `deps` folder (what
/// `cargo test` alone produces).
/// The directory holding the freshest `librsurl.so`: `cargo test` leaves
/// it in `deps/`, while an earlier `cargo build` may have left an older
/// copy beside the binary.
fn lib_dir() -> PathBuf {
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_rsurl")).parent().unwrap().to_path_buf();
    let modified = |d: &PathBuf| std::fs::metadata(d.join("librsurl.so")).and_then(|m| m.modified()).ok();
    [bin_dir.clone(), bin_dir.join("deps")]
        .into_iter()
        .filter(|d| modified(d).is_some())
        .max_by_key(modified)
        .unwrap_or(bin_dir)
}

/// Compiles `tests/c/NAME.c` against the header and the cdylib; `None`
/// (after a loud message) when there is no C compiler outside CI.
fn compile(name: &str) -> Option<PathBuf> {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    if Command::new(&cc).arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "a C compiler is required in CI");
        eprintln!("SKIPPED: no C compiler ({cc}); the C ABI test {name} cannot run");
        return None;
    }
    let lib = lib_dir();
    assert!(lib.join("librsurl.so").exists(), "librsurl.so not built in {}", lib.display());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Tests compiling the same program run in parallel: one file each.
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let exe = std::env::temp_dir().join(format!("rsurl-ffi-{name}-{}-{n}", std::process::id()));
    let status = Command::new(&cc)
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(manifest.join("include"))
        .arg("-I")
        .arg(manifest.join("tests/c"))
        .arg(manifest.join(format!("tests/c/{name}.c")))
        .arg("-L")
        .arg(&lib)
        .arg("-lrsurl")
        .arg("-o")
        .arg(&exe)
        .status()
        .unwrap();
    assert!(status.success(), "compiling tests/c/{name}.c failed");
    Some(exe)
}

/// Runs a compiled C program with the cdylib, without the caller's proxy
/// variables (libcurl, and so the C ABI, honours them); its stdout lines.
fn run_c(exe: &Path, args: &[String]) -> Vec<String> {
    let mut cmd = Command::new(exe);
    cmd.args(args).env("LD_LIBRARY_PATH", lib_dir());
    for var in ["http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
        cmd.env_remove(var);
    }
    let out = cmd.output().unwrap();
    let _ = std::fs::remove_file(exe);
    assert!(out.status.success(), "{} failed: {}", exe.display(), String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().lines().map(str::to_owned).collect()
}

#[test]
fn c_program_drives_the_easy_interface() {
    let Some(exe) = compile("smoke") else { return };
    let server = Server::start(|_| {
        vec![
            reply("HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 11\n\nhello world"),
            reply("HTTP/1.1 200 OK\nContent-Length: 6\n\nposted"),
            reply("HTTP/1.1 201 Created\nContent-Length: 0\n\n"),
            reply("HTTP/1.1 201 Created\nContent-Length: 0\n\n"),
            reply("HTTP/1.1 302 Found\nLocation: /hello\nContent-Length: 0\n\n"),
            reply("HTTP/1.1 200 OK\nContent-Length: 11\n\nhello world"),
            reply("HTTP/1.1 404 Not Found\nContent-Length: 9\n\nnot found"),
            reply("HTTP/1.1 200 OK\nContent-Length: 11\n\nhello world"),
        ]
    });
    let lines = run_c(&exe, &[format!("http://127.0.0.1:{}", server.port)]);
    let text = lines.join("\n");
    assert_eq!(
        lines,
        [
            "get rc=0 code=200 body=hello world headers=4 type=text/plain size=11 progress=yes time=yes url_ok=1",
            "post rc=0 code=200 body=posted",
            "put rc=0 code=201",
            "chunked put rc=0 code=201",
            "redirect rc=0 redirects=1 body=hello world final=/hello",
            "fail rc=22 err=The requested URL returned error: 404 str=HTTP response code said error",
            "refuse rc=23",
            "unknown rc=48",
            "badurl rc=3",
            "abort rc=42",
        ],
        "{text}"
    );
    let requests: Vec<String> = server.requests().iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect();
    assert!(requests[0].starts_with("GET /hello HTTP/1.1\r\n"), "{}", requests[0]);
    assert!(!requests[0].contains("User-Agent"), "libcurl sends no User-Agent by default");
    let post = &requests[1];
    assert!(post.starts_with("POST /post HTTP/1.1\r\n"), "{post}");
    assert!(post.contains("X-Test: 1\r\n") && !post.contains("Accept:"), "{post}");
    assert!(post.contains("Content-Type: application/x-www-form-urlencoded\r\n") && post.ends_with("\r\n\r\na=1&b=2"));
    assert!(requests[2].starts_with("PUT /put HTTP/1.1\r\n") && requests[2].ends_with("\r\n\r\nuploaded data"));
    let chunked = &requests[3];
    assert!(chunked.contains("Transfer-Encoding: chunked\r\n") && !chunked.contains("Content-Length"), "{chunked}");
    assert!(chunked.ends_with("\r\n\r\n8\r\nstreamed\r\n0\r\n\r\n"), "{chunked}");
    assert!(requests[4].starts_with("GET /redir ") && requests[5].starts_with("GET /hello "));
}

fn first_line(request: &[u8]) -> String {
    String::from_utf8_lossy(request).lines().next().unwrap_or("").to_owned()
}

#[test]
fn c_program_routes_through_proxies() {
    let Some(exe) = compile("proxy_caches") else { return };
    let ok = |body: &str| reply(&format!("HTTP/1.1 200 OK\nContent-Length: {}\n\n{body}", body.len()));
    let server = Server::start(|_| {
        vec![
            ok("forwarded"),
            Reply {
                bytes: b"HTTP/1.1 200 Connection established\r\n\r\n".to_vec(),
                keep_alive: true,
                ..Reply::default()
            },
            ok("tunnelled"),
            ok("direct"),
            ok("socks5h"),
            ok("socks4"),
            ok("direct again"),
        ]
    });
    let (socks, log) = crate::proxy::socks_proxy(server.port);
    let refusing = crate::proxy::refusing_socks_proxy(5, 91);
    let args = ["proxy".into(), server.port.to_string(), socks.to_string(), refusing.to_string()];
    let lines = run_c(&exe, &args);
    assert_eq!(
        lines,
        [
            "forward rc=0 body=forwarded",
            "tunnel rc=0 connect=200 body=tunnelled",
            "noproxy rc=0 body=direct",
            "deadproxy rc=7",
            "socks5h rc=0 body=socks5h",
            "socks4 rc=0 body=socks4",
            "refused rc=97 pxcode=19 then rc=0 pxcode=0 body=direct again",
            "bad type=43 port=43 altsvc_ctrl=43 unknown=48 scheme=7",
        ]
    );
    let requests: Vec<String> = server.requests().iter().map(|r| String::from_utf8_lossy(r).into_owned()).collect();
    let port = server.port;
    let fwd = &requests[0];
    assert_eq!(first_line(fwd.as_bytes()), format!("GET http://example.test:{port}/fwd HTTP/1.1"));
    assert!(fwd.contains("\r\nProxy-Authorization: Basic Ym9iOnB3\r\n"), "{fwd}");
    assert!(fwd.contains("\r\nX-Proxy: yes\r\n"), "{fwd}");
    let connect = &requests[1];
    assert_eq!(first_line(connect.as_bytes()), format!("CONNECT example.test:{port} HTTP/1.0"));
    assert!(connect.contains("\r\nX-Proxy: yes\r\n") && connect.contains("\r\nUser-Agent: tunnel-agent\r\n"));
    assert!(!connect.contains("rsurl/"), "the proxy header replaces the built-in User-Agent: {connect}");
    let tunnelled = &requests[2];
    assert_eq!(first_line(tunnelled.as_bytes()), "GET /tun HTTP/1.1");
    assert!(!tunnelled.contains("X-Proxy") && !tunnelled.contains("Proxy-Authorization"), "{tunnelled}");
    assert_eq!(first_line(requests[3].as_bytes()), "GET /direct HTTP/1.1");
    let handshakes = log.lock().unwrap().clone();
    assert_eq!(handshakes.len(), 2, "{handshakes:?}");
    // SOCKS5 with the name (address type 3), then SOCKS4 with user "amy".
    let s5 = &handshakes[0];
    let req = &s5[2 + usize::from(s5[1])..];
    assert_eq!(&req[..4], &[5, 1, 0, 3], "{s5:?}");
    assert_eq!(&req[5..5 + usize::from(req[4])], b"example.test");
    assert_eq!(handshakes[1][0], 4);
    assert!(handshakes[1].ends_with(b"amy\0"), "{:?}", handshakes[1]);
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("rsurl-ffi-dir-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn c_program_uses_an_https_proxy() {
    let dir = temp_dir("https-proxy");
    // The policies server answers any request with where it arrived: as
    // an `https://` forwarding proxy it sees the absolute URL.
    let Some(ports) = crate::policies::start(&dir) else { return };
    let Some(exe) = compile("proxy_caches") else { return };
    let ca = dir.join("cert.pem").display().to_string();
    let lines = run_c(&exe, &["https-proxy".into(), ports.a.to_string(), ca]);
    assert_eq!(
        lines,
        [
            "https-proxy rc=0 verify=0 body=a http://example.test/viahttps host=example.test alt-used=-",
            "untrusted rc=60 verify_nonzero=1",
            "insecure rc=0 body=a http://example.test/untrusted host=example.test alt-used=-",
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn c_program_reads_and_writes_caches() {
    let dir = temp_dir("caches");
    let Some(ports) = crate::policies::start(&dir) else { return };
    let Some(exe) = compile("proxy_caches") else { return };
    let (a, b) = (ports.a, ports.b);
    let hsts = "localhost \"20991231 23:59:59\"\n";
    let alt = format!("h1 localhost {a} h1 localhost {b} \"20991231 23:59:59\" 0 0\n");
    let files =
        [("hsts_rw", hsts.to_owned()), ("hsts_ro", hsts.to_owned()), ("alt_rw", alt.clone()), ("alt_ro", alt.clone())];
    for (name, text) in &files {
        std::fs::write(dir.join(name), text).unwrap();
    }
    let mut args = vec!["caches".to_owned(), a.to_string(), b.to_string(), ports.plain.to_string()];
    args.push(dir.join("cert.pem").display().to_string());
    args.extend(files.iter().map(|(n, _)| dir.join(n).display().to_string()));
    let lines = run_c(&exe, &args);
    let alt_q = format!("/alt?alt=h2%3D%22%3A{b}%22%3B%20ma%3D3600");
    assert_eq!(
        lines,
        [
            format!("hsts rc=0 body=a /h?sts=max-age%3D3600 host=localhost:{a} alt-used=-"),
            format!("hsts-ro rc=0 body=a /h?sts=max-age%3D3600 host=localhost:{a} alt-used=-"),
            format!("hsts-off rc=0 body=p /plain host=localhost:{} alt-used=-", ports.plain),
            format!("altsvc rc=0 body=b {alt_q} host=localhost:{a} alt-used=localhost:{b}"),
            format!("altsvc-h2only rc=0 body=a {alt_q} host=localhost:{a} alt-used=-"),
        ]
    );
    let read = |n: &str| std::fs::read_to_string(dir.join(n)).unwrap();
    // Written at cleanup in curl's format: max-age=3600 replaced 2099.
    let hsts_rw = read("hsts_rw");
    assert!(hsts_rw.starts_with("# Your HSTS cache."), "{hsts_rw}");
    let entry = hsts_rw.lines().find(|l| l.starts_with("localhost ")).unwrap_or_else(|| panic!("{hsts_rw}"));
    assert!(!entry.contains("2099"), "{hsts_rw}");
    let alt_rw = read("alt_rw");
    assert!(alt_rw.contains(&format!("h1 localhost {a} h2 localhost {b} ")), "{alt_rw}");
    assert!(!alt_rw.contains(&format!("h1 localhost {b} ")), "{alt_rw}");
    // Read-only files stay as they were.
    assert_eq!(read("hsts_ro"), hsts);
    assert_eq!(read("alt_ro"), alt);
    let _ = std::fs::remove_dir_all(&dir);
}
