//! OCSP interop with the OpenSSL 3.0 CLI, both ways, over files and
//! HTTP: our requests answered by `openssl ocsp -index -port`, OpenSSL's
//! requests answered by our responder and checked by `openssl ocsp
//! -respin -CAfile`, for good, revoked and unknown certificates, a
//! delegated responder, one without id-kp-OCSPSigning, a responder for
//! another CA and an expired answer. Each verdict is asserted for both
//! tools on the same files.
//!
//! The PKI (a P-256 CA, leaves, responders) is made at test time with
//! `openssl req` / `openssl x509 -req` in a temporary directory, and the
//! certificate database is written in `openssl ca`'s index.txt format.
//! Outside CI a missing openssl prints a loud SKIPPED banner; in CI it
//! fails.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{ChildStdout, Command, Output, Stdio};

use purecrypto::x509::Certificate;
use purecrypto::x509::ocsp::{CertStatus, OcspError, OcspResponse, VerifyOptions, verify_response};

use crate::tls::{Peer, free_port, openssl_available, start_listening};

/// A temporary directory removed on drop.
struct Pki(PathBuf);

impl Drop for Pki {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl Pki {
    fn der(&self, name: &str) -> Vec<u8> {
        let pem = std::fs::read(self.0.join(name)).unwrap();
        purecrypto::x509::pem_certificates(&pem).unwrap().remove(0)
    }
}

fn run(program: &str, dir: &Path, args: &[&str]) -> Output {
    Command::new(program).current_dir(dir).args(args).output().unwrap()
}

fn openssl_ok(dir: &Path, args: &[&str]) {
    let out = run("openssl", dir, args);
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn ours(dir: &Path, args: &[&str]) -> Output {
    run(env!("CARGO_BIN_EXE_purecrypto"), dir, &[&["ocsp"][..], args].concat())
}

/// (exit code, stdout, stderr).
fn text(out: &Output) -> (i32, String, String) {
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A CA; leaves `good` (serial 1001, valid), `revoked` (1002, revoked
/// 2026-11-01 keyCompromise) and `unknown` (1003, not in the index);
/// `delegate` (1004, id-kp-OCSPSigning), `noeku` (1005, without it);
/// `other` (a second CA, self-signed, its own responder).
fn make_pki(tag: &str) -> Pki {
    let dir = std::env::temp_dir().join(format!("purecrypto-ocsp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let pki = Pki(dir);
    let d = pki.0.as_path();
    let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];
    for (name, subject) in [("ca", "/CN=OCSP Test CA"), ("other", "/CN=Other CA")] {
        let key = format!("{name}.key");
        let pem = format!("{name}.pem");
        openssl_ok(
            d,
            &[&["req", "-x509"][..], &ec[..], &["-keyout", &key, "-out", &pem, "-subj", subject, "-days", "30"][..]]
                .concat(),
        );
    }
    std::fs::write(d.join("ocsp.ext"), "extendedKeyUsage=OCSPSigning\n").unwrap();
    for (name, serial) in
        [("good", "1001"), ("revoked", "1002"), ("unknown", "1003"), ("delegate", "1004"), ("noeku", "1005")]
    {
        let (key, csr, pem, subj) =
            (format!("{name}.key"), format!("{name}.csr"), format!("{name}.pem"), format!("/CN={name}"));
        openssl_ok(d, &[&["req", "-new"][..], &ec[..], &["-keyout", &key, "-out", &csr, "-subj", &subj][..]].concat());
        let serial = format!("0x{serial}");
        let mut args = vec!["x509", "-req", "-in", &csr, "-CA", "ca.pem", "-CAkey", "ca.key", "-set_serial", &serial];
        args.extend(["-days", "30", "-out", &pem]);
        if name == "delegate" {
            args.extend(["-extfile", "ocsp.ext"]);
        }
        openssl_ok(d, &args);
    }
    std::fs::write(
        d.join("index.txt"),
        "V\t271127000000Z\t\t1001\tunknown\t/CN=good\n\
         R\t271127000000Z\t261101000000Z,keyCompromise\t1002\tunknown\t/CN=revoked\n\
         V\t271127000000Z\t\t1004\tunknown\t/CN=delegate\n",
    )
    .unwrap();
    pki
}

/// The summary lines both tools print for one certificate, less the
/// times (the two responders answer at different seconds).
fn verdict(stdout: &str) -> Vec<String> {
    stdout.lines().filter(|l| !l.contains("Update:")).map(str::to_string).collect()
}

/// Starts `openssl ocsp -port` answering for the CA, signed by
/// `signer`, and returns once it prints that it listens. Not
/// `start_listening`: its probe connection, opened and closed without a
/// request, leaves OpenSSL 3.0's single-threaded responder waiting on it
/// for good. Its standard output stays open (returned) so that a later
/// write cannot kill it with SIGPIPE.
fn start_openssl_responder(dir: &Path, signer: &str, key: &str) -> (Peer, BufReader<ChildStdout>, u16) {
    for _ in 0..5 {
        let port = free_port();
        let mut cmd = Command::new("openssl");
        cmd.current_dir(dir).args(["ocsp", "-index", "index.txt", "-CA", "ca.pem", "-rsigner", signer]);
        cmd.args(["-rkey", key, "-ndays", "1", "-port", &port.to_string()]);
        let mut child = cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().unwrap();
        let mut line = String::new();
        let mut out = BufReader::new(child.stdout.take().unwrap());
        let _ = out.read_line(&mut line);
        let peer = Peer(child);
        if line.starts_with("ACCEPT") {
            return (peer, out, port);
        }
    }
    panic!("openssl ocsp -port did not start");
}

#[test]
fn our_requests_answered_by_openssl_responder() {
    if !openssl_available() {
        return;
    }
    let pki = make_pki("client");
    let d = pki.0.clone();
    for (signer, key) in [("ca.pem", "ca.key"), ("delegate.pem", "delegate.key")] {
        let (_responder, _output, port) = start_openssl_responder(&d, signer, key);
        let url = format!("http://127.0.0.1:{port}");
        for (cert, status) in [("good", "good"), ("revoked", "revoked"), ("unknown", "unknown")] {
            let pem = format!("{cert}.pem");
            for hash in ["-sha1", "-sha256"] {
                let args = ["-issuer", "ca.pem", hash, "-cert", &pem, "-url", &url, "-CAfile", "ca.pem"];
                let (code, stdout, stderr) = text(&ours(&d, &args));
                assert_eq!(code, 0, "{signer} {cert}: {stdout}{stderr}");
                assert!(stderr.contains("Response verify OK"), "{signer} {cert}: {stderr}");
                assert!(stdout.starts_with(&format!("{pem}: {status}\n\tThis Update: ")), "{stdout}");
                assert!(stdout.contains("\tNext Update: "), "{stdout}");
                let (_, theirs, _) =
                    text(&run("openssl", &d, &["ocsp"].iter().chain(&args).copied().collect::<Vec<_>>()));
                assert_eq!(verdict(&stdout), verdict(&theirs), "{signer} {cert} {hash}");
            }
        }
        // The request and response files, and -resp_text.
        let args =
            ["-issuer", "ca.pem", "-cert", "revoked.pem", "-url", &url, "-reqout", "ours.req", "-respout", "ours.resp"];
        let (code, stdout, _) = text(&ours(&d, &[&args[..], &["-resp_text", "-noverify"][..]].concat()));
        assert_eq!(code, 0);
        assert!(
            stdout.contains("    Cert Status: revoked\n    Revocation Time: Nov  1 00:00:00 2026 GMT\n"),
            "{stdout}"
        );
        assert!(stdout.contains("        OCSP Nonce: \n"), "{stdout}");
        let (code, theirs, _) = text(&run("openssl", &d, &["ocsp", "-reqin", "ours.req", "-req_text"]));
        assert_eq!(code, 0);
        assert!(theirs.contains("Hash Algorithm: sha1"), "{theirs}");
        let (_, ours_text, _) = text(&ours(&d, &["-reqin", "ours.req", "-req_text"]));
        assert_eq!(ours_text, theirs);
    }
}

#[test]
fn openssl_requests_answered_by_our_responder() {
    if !openssl_available() {
        return;
    }
    let pki = make_pki("responder");
    let d = pki.0.as_path();
    let responder = ["-index", "index.txt", "-CA", "ca.pem", "-ndays", "1"];
    for (signer, key) in [("ca.pem", "ca.key"), ("delegate.pem", "delegate.key")] {
        for (cert, status) in [("good", "good"), ("revoked", "revoked"), ("unknown", "unknown")] {
            let pem = format!("{cert}.pem");
            openssl_ok(d, &["ocsp", "-issuer", "ca.pem", "-cert", &pem, "-reqout", "req.der"]);
            let out = ours(
                d,
                &[&responder[..], &["-rsigner", signer, "-rkey", key, "-reqin", "req.der", "-respout", "resp.der"][..]]
                    .concat(),
            );
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            // OpenSSL checks signature, signer and nonce (the request file
            // carries it) ...
            let (code, _, stderr) =
                text(&run("openssl", d, &["ocsp", "-reqin", "req.der", "-respin", "resp.der", "-CAfile", "ca.pem"]));
            assert_eq!(code, 0, "{signer} {cert}: {stderr}");
            assert!(stderr.contains("Response verify OK") && !stderr.contains("nonce"), "{signer} {cert}: {stderr}");
            // ... and reads the status, as we do.
            let args = ["-issuer", "ca.pem", "-cert", &pem, "-no_nonce", "-respin", "resp.der", "-CAfile", "ca.pem"];
            let (code, theirs, stderr) = text(&run("openssl", d, &[&["ocsp"][..], &args[..]].concat()));
            assert_eq!(code, 0, "{stderr}");
            assert!(theirs.starts_with(&format!("{pem}: {status}\n")), "{theirs}");
            let (code, stdout, stderr) = text(&ours(d, &args));
            assert_eq!(code, 0, "{stderr}");
            assert!(stderr.contains("Response verify OK"), "{stderr}");
            assert_eq!(stdout, theirs, "{signer} {cert}");
        }
    }
    // Over HTTP.
    let dir = pki.0.clone();
    let (_server, port) = start_listening("purecrypto ocsp", |port| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_purecrypto"));
        cmd.current_dir(&dir).arg("ocsp").args(responder).args(["-rsigner", "ca.pem", "-rkey", "ca.key"]);
        cmd.args(["-port", &port.to_string()]);
        cmd
    });
    let url = format!("http://127.0.0.1:{port}");
    for (cert, status) in [("good", "good"), ("revoked", "revoked")] {
        let pem = format!("{cert}.pem");
        let out = run("openssl", d, &["ocsp", "-issuer", "ca.pem", "-cert", &pem, "-url", &url, "-CAfile", "ca.pem"]);
        let (code, stdout, stderr) = text(&out);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains("Response verify OK"), "{stderr}");
        assert!(stdout.starts_with(&format!("{pem}: {status}\n")), "{stdout}");
    }
}

#[test]
fn both_tools_refuse_bad_signers_and_flag_stale_answers() {
    if !openssl_available() {
        return;
    }
    let pki = make_pki("refuse");
    let d = pki.0.as_path();
    openssl_ok(d, &["ocsp", "-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-reqout", "req.der"]);
    let check = ["-issuer", "ca.pem", "-cert", "good.pem", "-no_nonce", "-respin", "resp.der", "-CAfile", "ca.pem"];
    let ca = pki.der("ca.pem");
    let ca = Certificate::from_der(&ca).unwrap();
    let good = pki.der("good.pem");
    let serial = Certificate::from_der(&good).unwrap().serial_der.to_vec();
    let answer = |signer: &str, key: &str, extra: &[&str]| {
        let args = [&["-index", "index.txt", "-CA", "ca.pem", "-rsigner", signer, "-rkey", key][..], extra].concat();
        let out = ours(d, &[&args[..], &["-reqin", "req.der", "-respout", "resp.der"][..]].concat());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        OcspResponse::from_der(&std::fs::read(d.join("resp.der")).unwrap()).unwrap()
    };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;

    // Signed by another CA, and by a certificate of ours without the EKU.
    for (signer, key) in [("other.pem", "other.key"), ("noeku.pem", "noeku.key")] {
        let response = answer(signer, key, &["-ndays", "1"]);
        let verdict = verify_response(&response, &ca, &serial, &VerifyOptions::new(now));
        assert_eq!(verdict, Err(OcspError::UnauthorizedResponder), "{signer}");
        for (tool, out) in
            [("openssl", run("openssl", d, &[&["ocsp"][..], &check[..]].concat())), ("ours", ours(d, &check))]
        {
            let (code, _, stderr) = text(&out);
            assert_eq!(code, 1, "{tool} {signer}: {stderr}");
            assert!(stderr.contains("Response Verify Failure"), "{tool} {signer}: {stderr}");
        }
    }

    // Answered a week ago, valid for a day: expired.
    let week_ago = (now - 7 * 86_400).to_string();
    let response = answer("ca.pem", "ca.key", &["-ndays", "1", "-attime", &week_ago]);
    assert_eq!(verify_response(&response, &ca, &serial, &VerifyOptions::new(now)), Err(OcspError::Expired));
    assert_eq!(verify_response(&response, &ca, &serial, &VerifyOptions::new(now - 7 * 86_400)), Ok(CertStatus::Good));
    for (tool, out) in
        [("openssl", run("openssl", d, &[&["ocsp"][..], &check[..]].concat())), ("ours", ours(d, &check))]
    {
        let (code, stdout, stderr) = text(&out);
        assert_eq!(code, 0, "{tool}: {stderr}");
        assert!(stderr.contains("Response verify OK"), "{tool}: {stderr}");
        assert!(stdout.starts_with("good.pem: WARNING: Status times invalid.\n"), "{tool}: {stdout}");
    }
}
