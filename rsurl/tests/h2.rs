//! HTTP/2 against the real nginx peer, differentially against
//! `/usr/bin/curl` (7.88, nghttp2): h2 chosen through ALPN over TLS and
//! cleartext h2c with `--http2-prior-knowledge`. Same exit code, same
//! stdout (response heads from `-i` / `-D -` included, `date:` lines
//! aside), and the same stable `-v` lines (ALPN, `using HTTP/2`, the
//! `h2h3 [...]` fields, `>` and `<` heads; `using HTTP/2` only after ALPN).

use std::path::PathBuf;

use super::https::run;

/// Response heads carry the time: drop `date:` lines so two runs compare.
fn without_dates(out: &[u8]) -> Vec<u8> {
    out.split_inclusive(|&b| b == b'\n').filter(|l| !l.starts_with(b"date: ")).flatten().copied().collect()
}

/// The `-v` lines curl prints for h2 that do not depend on time or memory
/// addresses.
fn h2_lines(stderr: &str) -> Vec<String> {
    let keep = [
        "* ALPN: ",
        "* using HTTP/2",
        "* h2h3 [",
        "> ",
        "< ",
        "* Re-using existing connection",
        "* Connection #0 to host",
        "* Closing connection",
    ];
    stderr
        .lines()
        .filter(|l| keep.iter().any(|k| l.starts_with(k)) && !l.starts_with("< date: "))
        .map(str::to_owned)
        .collect()
}

#[test]
fn h2_against_nginx_matches_curl() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let port = nginx.port();
    let ca = nginx.var("CA").unwrap().to_owned();
    let h2c = nginx.var("H2C_PORT").expect("the nginx peer script has an h2c listener").to_owned();
    let http = nginx.var("HTTP_PORT").unwrap().to_owned();
    let docroot = PathBuf::from(nginx.var("DOCROOT").unwrap());
    // 3 MiB: several times our 1 MiB windows, so WINDOW_UPDATE must flow.
    let big: Vec<u8> = (0..3u32 << 20).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    std::fs::write(docroot.join("h2-big.bin"), &big).unwrap();
    let text: String = (0..2_000).map(|i| format!("line {i} of text for gzip\n")).collect();
    std::fs::write(docroot.join("h2-text.txt"), &text).unwrap();
    std::fs::create_dir_all(docroot.join("h2dir")).unwrap();
    std::fs::write(docroot.join("h2dir/index.html"), "in a directory\n").unwrap();
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    let s = |v: &[&str]| {
        v.iter()
            .map(|a| {
                a.replace("%CA", &ca)
                    .replace("%B", &format!("https://localhost:{port}"))
                    .replace("%C", &format!("http://127.0.0.1:{h2c}"))
                    .replace("%H", &format!("http://127.0.0.1:{http}"))
            })
            .collect::<Vec<String>>()
    };
    let v = "%{http_version}|%{http_code}|%{num_connects}|%{size_download}\\n";
    // (arguments after `--cacert CA`, the exit code both must give)
    let cases: Vec<(Vec<String>, i32)> = vec![
        // Two URLs: the second stream reuses the connection.
        (s(&["-s", "-w", v, "%B/", "%B/"]), 0),
        (s(&["-s", "-i", "%B/"]), 0),
        (s(&["-s", "-I", "-w", v, "%B/"]), 0),
        (s(&["-s", "-D", "-", "-o", "/dev/null", "%B/h2-big.bin"]), 0),
        (s(&["-s", "-w", v, "%B/h2-big.bin"]), 0),
        (s(&["-s", "-d", "name=value", "-H", "X-Test: 1", "-A", "agent", "-w", v, "%B/index.html"]), 0),
        (s(&["-s", "--compressed", "-w", v, "%B/h2-text.txt"]), 0),
        (s(&["-s", "-L", "-w", "%{num_redirects}|%{url_effective}|%{http_version}", "%B/h2dir"]), 0),
        (s(&["-s", "-f", "%B/missing"]), 22),
        (s(&["-s", "--http1.1", "-w", v, "%B/"]), 0),
        // One URL: curl 7.88 fails a second stream on a reused h2c
        // prior-knowledge connection (exit 16, nothing sent); rsurl reuses it.
        (s(&["-s", "--http2-prior-knowledge", "-i", "-w", v, "%C/h2dir/"]), 0),
        (s(&["-s", "--http2-prior-knowledge", "-I", "%C/h2-text.txt"]), 0),
        // A plain HTTP/1.1 listener: --http2 in clear stays on HTTP/1.1.
        (s(&["-s", "--http2", "-w", v, "%H/"]), 0),
    ];
    for (args, code) in &cases {
        let args = [&["--cacert".to_owned(), ca.clone()][..], args].concat();
        let ours = run(&rsurl, &args);
        assert_eq!(ours.0, Some(*code), "{args:?}: {}", ours.2);
        if args.iter().any(|a| a.ends_with("h2-big.bin")) && !args.contains(&"/dev/null".to_owned()) {
            assert_eq!(ours.1.get(..big.len()), Some(&big[..]), "3 MiB over h2 intact");
        }
        if args.contains(&"--compressed".to_owned()) {
            assert!(ours.1.starts_with(text.as_bytes()), "gzip over h2 decoded");
        }
        let Some(curl) = &curl else { continue };
        let theirs = run(curl, &args);
        assert_eq!(
            (ours.0, without_dates(&ours.1)),
            (theirs.0, without_dates(&theirs.1)),
            "{args:?}\nours: {}\ncurl: {}",
            ours.2,
            theirs.2
        );
    }
    // h2c reuse, checked on our side only (see above).
    let ours = run(&rsurl, &s(&["-s", "--http2-prior-knowledge", "-w", v, "%C/", "%C/h2dir/"]));
    assert_eq!((ours.0, &ours.1[..]), (Some(0), &b"hello from nginx\n2|200|1|17\nin a directory\n2|200|0|15\n"[..]));
    // `-v`: the stable h2 lines, over TLS with reuse, and over h2c.
    for args in [
        s(&["-s", "-v", "--cacert", "%CA", "-A", "x", "-d", "a=b", "-o", "/dev/null", "-o", "/dev/null", "%B/", "%B/"]),
        s(&["-s", "-v", "-A", "x", "--http2-prior-knowledge", "-o", "/dev/null", "%C/"]),
    ] {
        let ours = h2_lines(&run(&rsurl, &args).2);
        let tls = args.iter().any(|a| a.starts_with("https://"));
        assert_eq!(ours.iter().any(|l| l == "* using HTTP/2"), tls, "{ours:#?}");
        assert!(ours.iter().any(|l| l.starts_with("< HTTP/2 ")), "{ours:#?}");
        if let Some(curl) = &curl {
            assert_eq!(ours, h2_lines(&run(curl, &args).2), "{args:?}");
        }
    }
}

/// `-Z` over HTTP/2: the transfers become concurrent streams of one
/// connection, as curl's do (it waits for the first connection to an
/// origin instead of opening more). 40 files on 16 workers, over TLS and
/// over h2c, some larger than the 1 MiB stream window so flow control
/// runs on many streams at once: one connection in all, every file
/// intact, `-w` lines in command-line order; curl agrees on the count.
#[test]
fn parallel_transfers_share_one_h2_connection() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let docroot = PathBuf::from(nginx.var("DOCROOT").unwrap());
    let ca = nginx.var("CA").unwrap().to_owned();
    let tls = format!("https://localhost:{}", nginx.port());
    let h2c = format!("http://127.0.0.1:{}", nginx.var("H2C_PORT").unwrap());
    let dir = super::nginx::tempdir("h2-parallel");
    let bodies: Vec<Vec<u8>> = (0..40u32)
        .map(|i| {
            let len = if i % 13 == 5 { (3 << 20) + i as usize } else { i as usize * 7_919 };
            (0..len as u32).map(|j| (j.wrapping_mul(2_654_435_761) >> 11) as u8 ^ i as u8).collect()
        })
        .collect();
    for (i, b) in bodies.iter().enumerate() {
        std::fs::write(docroot.join(format!("mux{i}.bin")), b).unwrap();
    }
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    for (base, extra) in [(&tls, vec!["--cacert", ca.as_str()]), (&h2c, vec!["--http2-prior-knowledge"])] {
        let mut args: Vec<String> = ["-s", "-Z", "--parallel-max", "16", "-w", "%{http_version}|%{num_connects}\\n"]
            .iter()
            .chain(&extra)
            .map(|a| (*a).to_owned())
            .collect();
        for i in 0..bodies.len() {
            args.push("-o".into());
            args.push(dir.join(format!("out{i}")).display().to_string());
            args.push(format!("{base}/mux{i}.bin"));
        }
        let connects = |out: &[u8]| -> (Vec<String>, u32) {
            let text = String::from_utf8_lossy(out);
            let versions = text.lines().map(|l| l.split('|').next().unwrap_or("").to_owned()).collect();
            (versions, text.lines().filter_map(|l| l.rsplit('|').next()?.parse::<u32>().ok()).sum())
        };
        let ours = run(&rsurl, &args);
        assert_eq!(ours.0, Some(0), "{base}: {}", ours.2);
        for (i, b) in bodies.iter().enumerate() {
            let got = std::fs::read(dir.join(format!("out{i}"))).unwrap();
            assert!(got == *b, "{base}: file {i} differs ({} bytes, want {})", got.len(), b.len());
        }
        let (versions, total) = connects(&ours.1);
        assert_eq!(versions, vec!["2"; bodies.len()], "{base}");
        assert_eq!(total, 1, "{base}: one connection for every stream");
        // curl 7.88 cannot reuse an h2c prior-knowledge connection (see
        // above), so the count is compared over TLS only.
        if let (Some(curl), true) = (&curl, base == &tls) {
            let theirs = run(curl, &args);
            assert_eq!((theirs.0, connects(&theirs.1)), (Some(0), (versions, total)), "curl: {}", theirs.2);
        }
        // --parallel-immediate: transfers do not wait for the first
        // connection, so several may open; every file still arrives.
        args.insert(0, "--parallel-immediate".into());
        for f in 0..bodies.len() {
            std::fs::remove_file(dir.join(format!("out{f}"))).unwrap();
        }
        let ours = run(&rsurl, &args);
        assert_eq!(ours.0, Some(0), "{base} --parallel-immediate: {}", ours.2);
        for (i, b) in bodies.iter().enumerate() {
            assert!(std::fs::read(dir.join(format!("out{i}"))).unwrap() == *b, "{base}: file {i} differs");
        }
        assert!((1..=16).contains(&connects(&ours.1).1), "{base}: {}", String::from_utf8_lossy(&ours.1));
    }
}

/// The C ABI's `CURLOPT_HTTP_VERSION`: prior knowledge reaches the h2c
/// listener (an HTTP/1.1 request there fails), 1.1 over TLS still works,
/// and an unknown version is refused as libcurl refuses it.
#[cfg(feature = "ffi")]
#[test]
#[allow(unsafe_code)]
fn easy_interface_http_version() {
    use core::ffi::{c_long, c_void};
    use rsurl::ffi::*;
    use std::ffi::CString;
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let h2c = CString::new(format!("http://127.0.0.1:{}/", nginx.var("H2C_PORT").unwrap())).unwrap();
    let tls = CString::new(format!("https://localhost:{}/", nginx.port())).unwrap();
    let ca = CString::new(nginx.var("CA").unwrap()).unwrap();
    const URL: i32 = 10_002;
    const NOBODY: i32 = 44;
    const CAINFO: i32 = 10_065;
    const HTTP_VERSION: i32 = 84;
    const INFO_RESPONSE_CODE: i32 = 0x20_0002;
    let ptr = |c: &CString| c.as_ptr().cast_mut().cast::<c_void>();
    let long = |v: usize| v as *mut c_void;
    // (url, CURLOPT_HTTP_VERSION, setopt's code, perform's code)
    for (url, version, set, perform) in
        [(&h2c, 5, 0, 0), (&h2c, 2, 0, -1), (&tls, 2, 0, 0), (&tls, 4, 0, 0), (&tls, 99, 1, 0)]
    {
        // SAFETY: a fresh handle; options get the types libcurl documents
        // (C strings that outlive the transfer, longs); getinfo writes a long.
        unsafe {
            let h = curl_easy_init();
            assert_eq!(curl_easy_setopt(h, NOBODY, long(1)), 0);
            assert_eq!(curl_easy_setopt(h, URL, ptr(url)), 0);
            assert_eq!(curl_easy_setopt(h, CAINFO, ptr(&ca)), 0);
            assert_eq!(curl_easy_setopt(h, HTTP_VERSION, long(version)), set, "version {version}");
            let code = curl_easy_perform(h);
            if perform >= 0 {
                assert_eq!(code, perform, "{url:?} version {version}");
                let mut status: c_long = 0;
                assert_eq!(curl_easy_getinfo(h, INFO_RESPONSE_CODE, (&raw mut status).cast()), 0);
                assert_eq!(status, 200);
            } else {
                assert_ne!(code, 0, "HTTP/1.1 to an h2c-only listener must fail");
            }
            curl_easy_cleanup(h);
        }
    }
}
