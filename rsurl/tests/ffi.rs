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

#[test]
fn c_program_drives_the_easy_interface() {
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".into());
    if Command::new(&cc).arg("--version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "a C compiler is required in CI");
        eprintln!("SKIPPED: no C compiler ({cc}); the C ABI smoke test cannot run");
        return;
    }
    let lib = lib_dir();
    assert!(lib.join("librsurl.so").exists(), "librsurl.so not built in {}", lib.display());
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let exe = std::env::temp_dir().join(format!("rsurl-ffi-smoke-{}", std::process::id()));
    let status = Command::new(&cc)
        .arg("-Wall")
        .arg("-Werror")
        .arg("-I")
        .arg(manifest.join("include"))
        .arg(manifest.join("tests/c/smoke.c"))
        .arg("-L")
        .arg(&lib)
        .arg("-lrsurl")
        .arg("-o")
        .arg(&exe)
        .status()
        .unwrap();
    assert!(status.success(), "compiling tests/c/smoke.c failed");

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
    let out = Command::new(&exe)
        .arg(format!("http://127.0.0.1:{}", server.port))
        .env("LD_LIBRARY_PATH", &lib)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&exe);
    assert!(out.status.success(), "smoke program failed: {}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
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
