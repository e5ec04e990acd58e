//! `purecrypto req` against `openssl req`: new keys (`-newkey` for RSA,
//! EC, Ed25519, Ed448, saved plain or encrypted), requests with `-addext`
//! that openssl verifies and prints exactly as ours prints them, `-text`
//! byte-identical to openssl's for openssl's own requests, and `-x509`
//! self-signed certificates with OpenSSL 3.0's default extensions
//! (identical to openssl's for the same key), `-days` and `-set_serial`,
//! that `openssl verify` accepts.

use std::path::Path;

use crate::ca::{ok, openssl, ours};
use crate::pkey::scratch_dir;

/// The `X509v3 extensions:` block of `x509 -text` output.
fn extension_block(text: &str) -> String {
    let block = text.find("        X509v3 extensions:").map_or("", |start| text.get(start..).unwrap_or_default());
    block.find("\n    Signature Algorithm:").map_or(block, |end| block.get(..end).unwrap_or_default()).to_owned()
}

/// Both tools print `file` (a request) the same way with `req -text -noout`.
fn same_request_text(dir: &Path, file: &str) {
    let mine = ok(&ours(dir, &["req", "-in", file, "-text", "-noout"]), "our req -text");
    let Some(out) = openssl(dir, &["req", "-in", file, "-text", "-noout"]) else { return };
    assert_eq!(mine, ok(&out, "openssl req -text"), "{file}");
}

#[test]
fn new_keys_and_requests_that_openssl_verifies_and_prints_alike() {
    let dir = scratch_dir("req-new");
    if openssl(&dir, &["version"]).is_none() {
        return;
    }
    let subj = "/C=US/O=Purecrypto Test/CN=req.example";
    let addext =
        ["-addext", "subjectAltName=DNS:req.example,IP:127.0.0.1", "-addext", "keyUsage=critical,digitalSignature"];
    for (i, (spec, opts)) in [
        ("rsa:2048", &[][..]),
        ("ec", &["-pkeyopt", "ec_paramgen_curve:P-384"][..]),
        ("ed25519", &[][..]),
        ("ed448", &[][..]),
    ]
    .into_iter()
    .enumerate()
    {
        let (key, csr) = (format!("k{i}.pem"), format!("r{i}.csr"));
        let args = [
            &["req", "-new", "-newkey", spec][..],
            opts,
            &["-nodes", "-keyout", &key, "-subj", subj],
            &addext,
            &["-out", &csr],
        ]
        .concat();
        let made = ours(&dir, &args);
        ok(&made, spec);
        assert!(String::from_utf8_lossy(&made.stderr).contains(&format!("Writing a new private key to '{key}'")));
        let verified = openssl(&dir, &["req", "-in", &csr, "-verify", "-noout", "-subject"]).unwrap();
        assert_eq!(ok(&verified, spec), "subject=C = US, O = Purecrypto Test, CN = req.example\n");
        // The key is openssl's to read, unencrypted.
        ok(&openssl(&dir, &["pkey", "-in", &key, "-noout"]).unwrap(), spec);
        same_request_text(&dir, &csr);
    }
    // An encrypted key needs -passout (no prompt); openssl reads it back.
    let refused = ours(&dir, &["req", "-new", "-newkey", "ec", "-keyout", "e.pem", "-subj", "/CN=x", "-out", "e.csr"]);
    assert!(!refused.status.success());
    let args = [
        "req",
        "-new",
        "-newkey",
        "ec",
        "-passout",
        "pass:secret",
        "-keyout",
        "e.pem",
        "-subj",
        "/CN=x",
        "-out",
        "e.csr",
    ];
    ok(&ours(&dir, &args), "encrypted");
    assert!(std::fs::read_to_string(dir.join("e.pem")).unwrap().contains("ENCRYPTED PRIVATE KEY"));
    ok(&openssl(&dir, &["pkey", "-in", "e.pem", "-passin", "pass:secret", "-noout"]).unwrap(), "openssl reads it");
    // ... and so do we, signing a second request with it.
    ok(
        &ours(&dir, &["req", "-new", "-key", "e.pem", "-passin", "pass:secret", "-subj", "/CN=y", "-out", "f.csr"]),
        "-key",
    );
    ok(&openssl(&dir, &["req", "-in", "f.csr", "-verify", "-noout"]).unwrap(), "f.csr");

    // openssl's requests, with attributes and requested extensions: our
    // -text is theirs byte for byte; DER in and out round-trip.
    std::fs::write(
        dir.join("attrs.cnf"),
        "[req]\ndistinguished_name=dn\nattributes=attrs\nreq_extensions=ext\nprompt=no\n[dn]\nCN=theirs\n\
         [attrs]\nchallengePassword=secret123\n[ext]\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    ok(&openssl(&dir, &["req", "-new", "-key", "k0.pem", "-config", "attrs.cnf", "-out", "t.csr"]).unwrap(), "theirs");
    same_request_text(&dir, "t.csr");
    ok(&ours(&dir, &["req", "-in", "t.csr", "-outform", "DER", "-out", "t.der"]), "to DER");
    let back = ours(&dir, &["req", "-in", "t.der", "-inform", "DER", "-verify", "-noout"]);
    ok(&back, "from DER");
    assert!(String::from_utf8_lossy(&back.stderr).contains("verify OK"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn self_signed_certificates_like_openssl_req_x509() {
    let dir = scratch_dir("req-x509");
    if openssl(&dir, &["version"]).is_none() {
        return;
    }
    ok(
        &openssl(&dir, &["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"])
            .unwrap(),
        "key",
    );
    let subj = "/O=Purecrypto Test/CN=Self Signed";
    // The same key through both tools: the extensions come out identical.
    let mine = ours(
        &dir,
        &["req", "-x509", "-key", "k.pem", "-subj", subj, "-days", "10", "-set_serial", "0x1234", "-out", "ours.pem"],
    );
    ok(&mine, "ours -x509");
    ok(
        &openssl(&dir, &["req", "-x509", "-key", "k.pem", "-subj", subj, "-days", "10", "-out", "theirs.pem"]).unwrap(),
        "theirs",
    );
    let text = |file: &str| ok(&openssl(&dir, &["x509", "-in", file, "-text", "-noout"]).unwrap(), file);
    let (ours_text, theirs_text) = (text("ours.pem"), text("theirs.pem"));
    assert_eq!(extension_block(&ours_text), extension_block(&theirs_text));
    assert!(extension_block(&ours_text).contains("CA:TRUE"), "{ours_text}");
    assert!(ours_text.contains("Serial Number: 4660 (0x1234)"), "{ours_text}");
    let dates = ok(&openssl(&dir, &["x509", "-in", "ours.pem", "-noout", "-startdate", "-enddate"]).unwrap(), "dates");
    let parse = |prefix: &str| {
        let line = dates.lines().find_map(|l| l.strip_prefix(prefix)).unwrap().to_owned();
        let out = std::process::Command::new("date").args(["-u", "-d", &line, "+%s"]).output().unwrap();
        String::from_utf8_lossy(&out.stdout).trim().parse::<i64>().unwrap()
    };
    assert_eq!(parse("notAfter=") - parse("notBefore="), 10 * 86_400, "{dates}");
    // A P-256 key signs with SHA-256: -sha256 confirms it, -sha384 is refused.
    ok(&ours(&dir, &["req", "-x509", "-sha256", "-key", "k.pem", "-subj", subj, "-out", "sha.pem"]), "-sha256");
    assert!(
        !ours(&dir, &["req", "-x509", "-sha384", "-key", "k.pem", "-subj", subj, "-out", "sha.pem"]).status.success()
    );
    let verified = openssl(&dir, &["verify", "-CAfile", "ours.pem", "ours.pem"]).unwrap();
    assert_eq!(ok(&verified, "verify"), "ours.pem: OK\n");
    // Our -text is openssl's x509 -text.
    assert_eq!(
        ok(
            &ours(
                &dir,
                &[
                    "req",
                    "-x509",
                    "-key",
                    "k.pem",
                    "-subj",
                    subj,
                    "-set_serial",
                    "7",
                    "-text",
                    "-noout",
                    "-out",
                    "t.txt"
                ]
            ),
            "t"
        ),
        ""
    );
    let t = std::fs::read_to_string(dir.join("t.txt")).unwrap();
    assert!(t.starts_with("Certificate:\n") && t.contains("Serial Number: 7 (0x7)"), "{t}");

    // A new Ed25519 key with -addext: a server certificate openssl verifies
    // for its name; an -addext of a default's name replaces the default.
    let args = [
        "req",
        "-x509",
        "-newkey",
        "ed25519",
        "-nodes",
        "-keyout",
        "ed.key",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-addext",
        "basicConstraints=critical,CA:true,pathlen:0",
        "-out",
        "ed.pem",
    ];
    ok(&ours(&dir, &args), "ed25519 -x509");
    let ed_text = text("ed.pem");
    assert!(ed_text.contains("CA:TRUE, pathlen:0") && ed_text.contains("DNS:localhost"), "{ed_text}");
    assert_eq!(ed_text.matches("X509v3 Basic Constraints").count(), 1, "{ed_text}");
    let verified = openssl(&dir, &["verify", "-CAfile", "ed.pem", "-verify_hostname", "localhost", "ed.pem"]).unwrap();
    assert_eq!(ok(&verified, "verify ed"), "ed.pem: OK\n");
    // A random serial is positive and 20 bytes at most (openssl's 159 bits).
    let serial = ok(&openssl(&dir, &["x509", "-in", "ed.pem", "-noout", "-serial"]).unwrap(), "serial");
    let hex = serial.trim().strip_prefix("serial=").unwrap();
    assert!(hex.len() <= 40 && hex.len() >= 30 && u8::from_str_radix(&hex[..2], 16).unwrap() < 0x80, "{serial}");

    // -x509 -in: openssl's request certified, signed by -key.
    ok(
        &openssl(&dir, &["req", "-new", "-key", "k.pem", "-subj", "/CN=from request", "-out", "in.csr"]).unwrap(),
        "csr",
    );
    ok(&ours(&dir, &["req", "-x509", "-in", "in.csr", "-key", "k.pem", "-out", "in.pem"]), "-x509 -in");
    assert!(text("in.pem").contains("Subject: CN = from request"));
    let _ = std::fs::remove_dir_all(&dir);
}
