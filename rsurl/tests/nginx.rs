//! Against a real nginx (started by `ci-templates/peers/nginx`): the same
//! command lines through curl and rsurl give the same stdout bytes, the
//! same files and the same exit code; big downloads arrive intact; gzip
//! from nginx is decoded by compcol.

use std::path::{Path, PathBuf};
use std::process::Command;

fn run(program: &Path, args: &[String], dir: &Path) -> (Option<i32>, Vec<u8>) {
    let out = Command::new(program).args(args).current_dir(dir).env_remove("http_proxy").output().unwrap();
    (out.status.code(), out.stdout)
}

/// Deterministic pseudo-random bytes (xorshift), incompressible enough.
fn noise(len: usize) -> Vec<u8> {
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}

#[test]
fn same_output_as_curl_against_nginx() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let docroot = PathBuf::from(nginx.var("DOCROOT").unwrap());
    let big = noise(24 << 20);
    std::fs::write(docroot.join("big.bin"), &big).unwrap();
    let text: String = (0..40_000).map(|i| format!("line {i} of a compressible text file\n")).collect();
    std::fs::write(docroot.join("text.txt"), &text).unwrap();
    std::fs::write(docroot.join("data.json"), br#"{"hello":"nginx"}"#).unwrap();
    let base = format!("http://127.0.0.1:{}", nginx.var("HTTP_PORT").unwrap());
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();

    let s = |v: &[&str]| v.iter().map(|a| a.replace("%B", &base)).collect::<Vec<String>>();
    let cases: Vec<(Vec<String>, Option<&str>)> = vec![
        (s(&["-s", "%B/"]), None),
        (s(&["-s", "%B/text.txt", "%B/data.json", "%B/"]), None),
        (s(&["-s", "--compressed", "%B/text.txt"]), None),
        (s(&["-s", "-r", "100-199", "%B/big.bin"]), None),
        (s(&["-s", "-o", "out.bin", "%B/big.bin"]), Some("out.bin")),
        (s(&["-s", "-w", "%{http_code} %{size_download} %{content_type}\\n", "-o", "/dev/null", "%B/text.txt"]), None),
        (s(&["-s", "-f", "%B/missing"]), None),
        (s(&["-s", "-o", "/dev/null", "-w", "%{http_code}", "%B/missing"]), None),
        (s(&["-s", "-I", "-o", "/dev/null", "-w", "%{http_code} %{size_download}", "%B/text.txt"]), None),
        (s(&["-s", "-d", "x=1", "-o", "/dev/null", "-w", "%{http_code}", "%B/"]), None),
    ];
    for (args, file) in &cases {
        let dir_ours = tempdir("ours");
        let ours = run(&rsurl, args, &dir_ours);
        if args.iter().any(|a| a.ends_with("big.bin")) && file.is_some() {
            assert_eq!(std::fs::read(dir_ours.join("out.bin")).unwrap(), big, "24 MiB download intact");
        }
        if args.contains(&"--compressed".to_owned()) {
            assert_eq!(ours.1, text.as_bytes(), "gzip from nginx decoded");
        }
        let Some(curl) = &curl else { continue };
        let dir_theirs = tempdir("theirs");
        let theirs = run(curl, args, &dir_theirs);
        assert_eq!(ours, theirs, "{args:?}");
        if let Some(f) = file {
            assert_eq!(
                std::fs::read(dir_ours.join(f)).unwrap(),
                std::fs::read(dir_theirs.join(f)).unwrap(),
                "{args:?}"
            );
        }
    }
    // nginx really compressed it (the decoded equality above is not vacuous).
    let raw = run(&rsurl, &s(&["-s", "-H", "Accept-Encoding: gzip", "%B/text.txt"]), &tempdir("raw")).1;
    assert_eq!(raw.get(..2), Some(&[0x1f, 0x8b][..]), "nginx sent gzip");
}

/// A fresh directory under the system temp dir, unique per call.
pub(crate) fn tempdir(tag: &str) -> PathBuf {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    let d = std::env::temp_dir().join(format!(
        "rsurl-nginx-{}-{tag}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// `-Z` keeps `--parallel-max` transfers going and each worker reuses its
/// connection: 12 URLs on 3 workers open at most 3 connections, and every body and
/// `-w` line comes out in command-line order.
#[test]
fn parallel_transfers_reuse_connections_and_keep_command_line_order() {
    let Some(nginx) = peerctl::start_or_skip("nginx") else { return };
    let docroot = PathBuf::from(nginx.var("DOCROOT").unwrap());
    let base = format!("http://127.0.0.1:{}", nginx.var("HTTP_PORT").unwrap());
    let mut args: Vec<String> =
        ["-s", "-Z", "--parallel-max", "3", "-w", "|%{num_connects}\\n"].map(String::from).to_vec();
    let mut want = String::new();
    for i in 0..12 {
        std::fs::write(docroot.join(format!("p{i}.txt")), format!("body {i}")).unwrap();
        args.push(format!("{base}/p{i}.txt"));
        want.push_str(&format!("body {i}|"));
    }
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let (code, out) = run(&rsurl, &args, &tempdir("parallel"));
    assert_eq!(code, Some(0));
    let out = String::from_utf8(out).unwrap();
    let bodies: String = out.lines().map(|l| l.trim_end_matches(char::is_numeric)).collect();
    assert_eq!(bodies, want, "command-line order:\n{out}");
    let connects: u32 = out.lines().filter_map(|l| l.rsplit('|').next()?.parse::<u32>().ok()).sum();
    // A worker that started after the others had taken every URL opens none.
    assert!((1..=3).contains(&connects), "at most one connection per worker, got {connects}:\n{out}");
}
