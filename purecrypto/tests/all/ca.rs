//! `purecrypto ca` and `crl` against `openssl ca` and `openssl crl` on one
//! CA directory: both tools issue from the same database and serial file,
//! revoke each other's certificates, and sign CRLs that the other side
//! reads, verifies and prints identically; `openssl verify -crl_check`
//! and ours agree on what is revoked.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::pkey::scratch_dir;

const CONFIG: &str = "\
[ ca ]
default_ca = CA_default

[ CA_default ]
dir = .
database = $dir/index.txt
new_certs_dir = $dir/newcerts
certificate = $dir/ca.pem
private_key = $dir/ca.key
serial = $dir/serial
crlnumber = $dir/crlnumber
default_days = 30
default_crl_days = 7
default_md = sha256
policy = policy_org
x509_extensions = usr_cert
copy_extensions = copy

[ policy_org ]
organizationName = match
commonName = supplied
emailAddress = optional

[ usr_cert ]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid,issuer
authorityInfoAccess = OCSP;URI:http://127.0.0.1:8888/
";

pub(crate) fn ours(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_purecrypto")).current_dir(dir).args(args).output().unwrap()
}

/// `openssl` in `dir`, or `None` after a loud note when it is missing
/// outside CI (in CI a missing openssl fails the test).
pub(crate) fn openssl(dir: &Path, args: &[&str]) -> Option<Output> {
    match Command::new("openssl").current_dir(dir).args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "openssl is required in CI: {e}");
            eprintln!("!!!!! SKIPPED: openssl not installed ({e}): ca / crl interop not checked !!!!!");
            None
        }
    }
}

pub(crate) fn ok(out: &Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A fresh CA directory with an openssl-made P-256 root.
fn ca_dir(name: &str) -> Option<PathBuf> {
    let dir = scratch_dir(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("newcerts")).unwrap();
    std::fs::write(dir.join("index.txt"), "").unwrap();
    std::fs::write(dir.join("serial"), "1000\n").unwrap();
    std::fs::write(dir.join("crlnumber"), "01\n").unwrap();
    std::fs::write(dir.join("ca.cnf"), CONFIG).unwrap();
    let root = [
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-subj",
        "/O=Org/CN=Test CA",
        "-days",
        "365",
    ];
    ok(&openssl(&dir, &root)?, "root");
    Some(dir)
}

fn request(dir: &Path, name: &str, subject: &str) {
    let args = [
        "req",
        "-new",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        &format!("{name}.key"),
        "-out",
        &format!("{name}.csr"),
        "-subj",
        subject,
        "-addext",
        &format!("subjectAltName=DNS:{name}.example"),
    ];
    ok(&openssl(dir, &args).unwrap(), "request");
}

#[test]
fn ca_and_crl_share_files_with_openssl() {
    let Some(dir) = ca_dir("ca-shared") else { return };
    let d = dir.as_path();
    for (name, subject) in [("a", "/O=Org/CN=a.example/L=Dropped"), ("b", "/O=Org/CN=b.example")] {
        request(d, name, subject);
    }
    // Serial 1000 by us, 1001 by openssl, from the same serial file.
    ok(&ours(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "a.csr", "-out", "a.pem"]), "our ca");
    ok(&openssl(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "b.csr", "-out", "b.pem"]).unwrap(), "openssl ca");
    assert_eq!(std::fs::read_to_string(d.join("serial")).unwrap(), "1002\n");
    assert!(d.join("newcerts/1000.pem").exists() && d.join("newcerts/1001.pem").exists());
    let index = std::fs::read_to_string(d.join("index.txt")).unwrap();
    let lines: Vec<&str> = index.lines().collect();
    assert_eq!(lines.len(), 2, "{index}");
    assert!(lines[0].starts_with('V') && lines[0].ends_with("\t1000\tunknown\t/O=Org/CN=a.example"), "{index}");
    assert!(lines[1].ends_with("\t1001\tunknown\t/O=Org/CN=b.example"), "{index}");
    assert_eq!(
        ok(&openssl(d, &["verify", "-CAfile", "ca.pem", "a.pem", "b.pem"]).unwrap(), "verify"),
        "a.pem: OK\nb.pem: OK\n"
    );

    // Our certificate carries what openssl's carries: the policy's subject,
    // the configured extensions in order, and the copied SAN.
    let text = |file: &str| {
        let out = ok(&openssl(d, &["x509", "-in", file, "-noout", "-text"]).unwrap(), "x509 -text");
        let from = out.find("Subject:").unwrap();
        let subject = out[from..].lines().next().unwrap().to_owned();
        let names: Vec<String> = out
            .lines()
            .filter(|l| l.contains("X509v3") || l.contains("Authority Information"))
            .map(String::from)
            .collect();
        (subject, names)
    };
    let (subject_a, ext_a) = text("a.pem");
    let (subject_b, ext_b) = text("b.pem");
    assert_eq!(subject_a, "Subject: O = Org, CN = a.example");
    assert_eq!(subject_b, "Subject: O = Org, CN = b.example");
    assert_eq!(ext_a, ext_b);
    assert!(ext_a.iter().any(|l| l.contains("Subject Alternative Name")), "{ext_a:?}");

    // unique_subject: a second certificate for a.example is refused by both.
    let again = ours(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "a.csr", "-out", "a2.pem"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("There is already a certificate for /O=Org/CN=a.example"));
    assert!(
        !openssl(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "a.csr", "-out", "a3.pem"]).unwrap().status.success()
    );

    // Each revokes the other's certificate; a second revocation fails.
    ok(&openssl(d, &["ca", "-config", "ca.cnf", "-revoke", "a.pem", "-crl_reason", "superseded"]).unwrap(), "revoke a");
    ok(&ours(d, &["ca", "-config", "ca.cnf", "-revoke", "b.pem", "-crl_reason", "keyCompromise"]), "revoke b");
    assert_eq!(ours(d, &["ca", "-config", "ca.cnf", "-revoke", "a.pem"]).status.code(), Some(1));
    let index = std::fs::read_to_string(d.join("index.txt")).unwrap();
    assert!(index.lines().all(|l| l.starts_with('R')), "{index}");
    assert!(index.contains(",superseded\t1000") && index.contains(",keyCompromise\t1001"), "{index}");

    // CRL number 1 from us, 2 from openssl.
    ok(&ours(d, &["ca", "-config", "ca.cnf", "-gencrl", "-out", "ours.crl"]), "our gencrl");
    ok(&openssl(d, &["ca", "-config", "ca.cnf", "-gencrl", "-out", "theirs.crl"]).unwrap(), "openssl gencrl");
    assert_eq!(std::fs::read_to_string(d.join("crlnumber")).unwrap(), "03\n");
    for crl in ["ours.crl", "theirs.crl"] {
        let fields = [
            "-noout",
            "-CAfile",
            "ca.pem",
            "-hash",
            "-issuer",
            "-lastupdate",
            "-nextupdate",
            "-crlnumber",
            "-fingerprint",
        ];
        let args: Vec<&str> = ["crl", "-in", crl].into_iter().chain(fields).collect();
        let (mine, theirs) = (ours(d, &args), openssl(d, &args).unwrap());
        assert_eq!(ok(&mine, "our crl"), ok(&theirs, "openssl crl"), "{crl}");
        assert_eq!(mine.stderr, b"verify OK\n");
        let text = ["crl", "-in", crl, "-noout", "-text"];
        assert_eq!(ok(&ours(d, &text), "our text"), ok(&openssl(d, &text).unwrap(), "openssl text"), "{crl}");
        for verifier in ["openssl", "ours"] {
            let args = ["verify", "-crl_check", "-CAfile", "ca.pem", "-CRLfile", crl, "a.pem", "b.pem"];
            let out = if verifier == "openssl" { openssl(d, &args).unwrap() } else { ours(d, &args) };
            assert_eq!(out.status.code(), Some(2), "{verifier} {crl}");
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                stderr.matches("error 23 at 0 depth lookup: certificate revoked").count(),
                2,
                "{verifier} {crl}: {stderr}"
            );
        }
    }
    let number = ours(d, &["crl", "-in", "theirs.crl", "-noout", "-crlnumber"]);
    assert_eq!(ok(&number, "crlnumber"), "crlNumber=0x02\n");
    // A CRL checked against the wrong certificate is refused.
    let wrong = ours(d, &["crl", "-in", "ours.crl", "-noout", "-CAfile", "a.pem"]);
    assert_eq!(
        (wrong.status.code(), wrong.stderr.as_slice()),
        (Some(1), &b"Error getting CRL issuer certificate\n"[..])
    );
    // DER out and back.
    ok(&ours(d, &["crl", "-in", "ours.crl", "-outform", "DER", "-out", "ours.der"]), "to DER");
    let back = ours(d, &["crl", "-in", "ours.der", "-inform", "DER"]);
    assert_eq!(ok(&back, "from DER"), std::fs::read_to_string(d.join("ours.crl")).unwrap());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn ca_refuses_what_openssl_refuses() {
    let Some(dir) = ca_dir("ca-refusals") else { return };
    let d = dir.as_path();
    // organizationName must match the CA's.
    request(d, "other", "/O=Else/CN=x.example");
    let out = ours(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "other.csr", "-out", "x.pem"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("The O field is different between"), "{out:?}");
    // commonName must be supplied.
    request(d, "nocn", "/O=Org/OU=Unit");
    let out = ours(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "nocn.csr", "-out", "x.pem"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("The CN field needed to be supplied"), "{out:?}");
    // A request whose signature does not verify.
    request(d, "good", "/O=Org/CN=good.example");
    ok(&openssl(d, &["req", "-in", "good.csr", "-outform", "DER", "-out", "good.der"]).unwrap(), "der");
    let mut der = std::fs::read(d.join("good.der")).unwrap();
    let at = der.windows(12).position(|w| w == b"good.example").unwrap();
    der[at + 3] = b'e';
    std::fs::write(d.join("bad.der"), der).unwrap();
    let out = ours(d, &["ca", "-config", "ca.cnf", "-batch", "-in", "bad.der", "-out", "x.pem"]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stderr).contains("Signature did not match the certificate request"));
    // Without -batch the answer comes from standard input: "n" issues nothing.
    let mut child = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
        .current_dir(d)
        .args(["ca", "-config", "ca.cnf", "-in", "good.csr", "-out", "good.pem"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(child.stdin.as_mut().unwrap(), b"n\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("CERTIFICATE WILL NOT BE CERTIFIED"), "{out:?}");
    assert_eq!(std::fs::read_to_string(d.join("index.txt")).unwrap(), "");
    assert_eq!(std::fs::read_to_string(d.join("serial")).unwrap(), "1000\n");
    // -notext writes only the PEM; an unsupported extension is refused by name.
    ok(&ours(d, &["ca", "-config", "ca.cnf", "-batch", "-notext", "-in", "good.csr", "-out", "good.pem"]), "notext");
    assert!(std::fs::read_to_string(d.join("good.pem")).unwrap().starts_with("-----BEGIN CERTIFICATE-----"));
    let mut config = std::fs::read_to_string(d.join("ca.cnf")).unwrap();
    config.push_str("nsComment = \"hello\"\n");
    std::fs::write(d.join("odd.cnf"), config).unwrap();
    request(d, "c", "/O=Org/CN=c.example");
    let out = ours(d, &["ca", "-config", "odd.cnf", "-batch", "-in", "c.csr", "-out", "c.pem"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("nsComment"), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
