//! `--cert-status` against `openssl s_server -status_file`, differentially
//! against `/usr/bin/curl`: a throwaway CA made with `openssl req`, a
//! localhost leaf it signs, and OCSP responses `openssl ocsp` signs from an
//! `index.txt` (good; revoked for keyCompromise; the CA's answer for a
//! certificate it never issued: unknown). Both tools must give the same
//! exit code (0 or 91) and rsurl curl's error line; without the option a
//! missing or bad staple changes nothing.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use crate::https::run;
use crate::tls_options::error_line;

/// Runs `openssl ARGS` in `dir`, which must succeed.
fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// The CA, the leaf (`localhost`), and a stranger certificate with the
/// CA's name but another key, so the CA's responder does not know it.
fn make_pki(dir: &Path) {
    std::fs::write(dir.join("index.txt"), "").unwrap();
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    openssl(
        dir,
        &[
            &["req", "-x509"],
            &ec[..],
            &["-keyout", "ca.key", "-out", "ca.pem", "-subj", "/CN=rsurl OCSP CA", "-days", "2"],
        ]
        .concat(),
    );
    openssl(dir, &[&["req"], &ec[..], &["-keyout", "leaf.key", "-out", "leaf.csr", "-subj", "/CN=localhost"]].concat());
    std::fs::write(dir.join("leaf.ext"), "subjectAltName=DNS:localhost\n").unwrap();
    for (name, serial) in [("leaf", "0x1001"), ("other", "0x1002")] {
        openssl(
            dir,
            &[
                "x509",
                "-req",
                "-in",
                "leaf.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-set_serial",
                serial,
                "-days",
                "2",
                "-extfile",
                "leaf.ext",
                "-out",
                &format!("{name}.pem"),
            ],
        );
    }
}

/// A response from the CA's responder about `cert` per `index` (the
/// contents of `index.txt`).
fn response(dir: &Path, index: &str, cert: &str, out: &str) {
    std::fs::write(dir.join("index.txt"), index).unwrap();
    openssl(dir, &["ocsp", "-issuer", "ca.pem", "-cert", cert, "-no_nonce", "-reqout", "req.der"]);
    openssl(
        dir,
        &["ocsp", "-index", "index.txt", "-rsigner", "ca.pem", "-rkey", "ca.key", "-CA", "ca.pem", "-reqin", "req.der"]
            .into_iter()
            .chain(["-ndays", "1", "-respout", out])
            .collect::<Vec<_>>(),
    );
}

/// `openssl s_server -www` with the leaf, stapling `status_file` if given.
struct Server(Child, u16);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn s_server(dir: &Path, status_file: Option<&str>) -> Server {
    for _ in 0..20 {
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let mut cmd = Command::new("openssl");
        cmd.args([
            "s_server",
            "-www",
            "-accept",
            &format!("127.0.0.1:{port}"),
            "-cert",
            "leaf.pem",
            "-key",
            "leaf.key",
        ]);
        // curl looks for the leaf's issuer only among the certificates sent.
        cmd.args(["-cert_chain", "ca.pem"]);
        if let Some(f) = status_file {
            cmd.args(["-status_file", f]);
        }
        let mut child =
            cmd.current_dir(dir).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Server(child, port);
            }
            if child.try_wait().unwrap().is_some() {
                break; // the port was taken meanwhile: another one
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        let _ = child.wait();
    }
    panic!("openssl s_server did not start");
}

#[test]
fn cert_status_against_openssl_s_server_matches_curl() {
    if Command::new("openssl").arg("version").output().is_err() {
        assert!(std::env::var_os("CI").is_none(), "openssl is required in CI");
        eprintln!("\n!!!!!!!! SKIPPED: --cert-status interop: openssl not installed !!!!!!!!\n");
        return;
    }
    let Some(curl) = crate::cases::curl() else { return };
    let dir = std::env::temp_dir().join(format!("rsurl-cert-status-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    make_pki(&dir);
    let expiry = "301231235959Z";
    let valid = format!("V\t{expiry}\t\t1001\tunknown\t/CN=localhost\n");
    response(&dir, &valid, "leaf.pem", "good.der");
    let revoked = format!("R\t{expiry}\t240101000000Z,keyCompromise\t1001\tunknown\t/CN=localhost\n");
    response(&dir, &revoked, "leaf.pem", "revoked.der");
    // A good answer about a certificate the server does not present.
    response(&dir, &format!("V\t{expiry}\t\t1002\tunknown\t/CN=localhost\n"), "other.pem", "other.der");
    std::fs::write(dir.join("garbage.der"), [0x30, 0x03, 0x0a, 0x01, 0x00]).unwrap();

    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let ca = dir.join("ca.pem").to_string_lossy().into_owned();
    // (staple, exit code with --cert-status, rsurl's error line)
    let cases: [(Option<&str>, i32, &str); 5] = [
        (Some("good.der"), 0, ""),
        (Some("revoked.der"), 91, "(91) SSL certificate revocation reason: keyCompromise (1)"),
        (None, 91, "(91) No OCSP response received"),
        (Some("other.der"), 91, "(91) Could not find certificate ID in OCSP response"),
        (Some("garbage.der"), 91, ""),
    ];
    for (staple, code, line) in cases {
        let server = s_server(&dir, staple);
        let url = format!("https://localhost:{}/", server.1);
        for status in [true, false] {
            let mut args =
                vec!["-sS".to_owned(), "-o".to_owned(), "/dev/null".to_owned(), "--cacert".to_owned(), ca.clone()];
            if status {
                args.push("--cert-status".to_owned());
            }
            args.push(url.clone());
            let (ours, _, ours_err) = run(&rsurl, &args);
            let (theirs, _, theirs_err) = run(&curl, &args);
            let want = if status { code } else { 0 };
            assert_eq!(ours, Some(want), "{staple:?} status {status}: rsurl {ours_err}");
            assert_eq!(theirs, Some(want), "{staple:?} status {status}: curl {theirs_err}");
            if status && !line.is_empty() {
                assert_eq!(error_line(&ours_err), line, "{staple:?}: rsurl");
                assert_eq!(error_line(&theirs_err), line, "{staple:?}: curl");
            }
        }
        // -v names the status as curl does.
        if staple == Some("good.der") {
            let args: Vec<String> =
                ["-sv", "-o", "/dev/null", "--cacert", &ca, "--cert-status", &url].map(str::to_owned).to_vec();
            let (_, _, err) = run(&rsurl, &args);
            assert!(err.contains("*  SSL certificate status: good (0)\n"), "{err}");
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}
