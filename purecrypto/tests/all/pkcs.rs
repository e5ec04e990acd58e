//! PEM, PKCS #8 and PKCS #12 against the `openssl` CLI, both ways: the
//! checked-in fixtures in `tests/data/pkcs/` (no openssl needed), then
//! keys and files openssl makes at test time are read here, and files
//! made here are read by openssl. Private-key octets are opaque: the
//! check is that the recovered `PrivateKeyInfo` equals `openssl pkcs8
//! -topk8 -nocrypt -outform DER` of the same key.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use purecrypto::asn1::{oid, pem};
use purecrypto::pkcs5::{Cipher, EncryptOptions, KdfChoice, Limits, Prf};
use purecrypto::pkcs8::{self, EncryptedPrivateKeyInfo, PrivateKeyInfo};
use purecrypto::rng::OsRng;
use purecrypto::{Error, pkcs12};

const FIXTURE_PASSWORD: &[u8] = b"fixture";

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pkcs").join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `openssl` with `args`, or `None` (after a loud note) when it is not
/// installed outside CI. In CI a missing openssl is a failure.
fn openssl(args: &[&str]) -> Option<Output> {
    match Command::new("openssl").args(args).output() {
        Ok(out) => Some(out),
        Err(e) => {
            assert!(std::env::var_os("CI").is_none(), "openssl is required in CI: {e}");
            eprintln!("SKIPPED: openssl not installed ({e})");
            None
        }
    }
}

/// Runs openssl and requires success; `None` only when it is missing.
fn openssl_ok(args: &[&str]) -> Option<Vec<u8>> {
    let out = openssl(args)?;
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout)
}

fn scratch_dir(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purecrypto-pkcs-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Removes a scratch directory once its test has passed.
fn done(dir: &Path) {
    let _ = std::fs::remove_dir_all(dir);
}

fn path_str(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The algorithm OID and parameters openssl writes for each key type.
fn check_algorithm(der: &[u8], kind: &str) {
    let info = PrivateKeyInfo::from_der(der).unwrap();
    match kind {
        "ed25519" => assert_eq!((info.algorithm, info.parameters), (oid::ED25519, None)),
        "x25519" => assert_eq!((info.algorithm, info.parameters), (oid::X25519, None)),
        "ec-p256" => {
            assert_eq!(info.algorithm, oid::EC_PUBLIC_KEY);
            let mut curve = vec![0x06, oid::SECP256R1.len() as u8];
            curve.extend_from_slice(oid::SECP256R1);
            assert_eq!(info.parameters, Some(&curve[..]));
        }
        "rsa2048" => assert_eq!((info.algorithm, info.parameters), (oid::RSA_ENCRYPTION, Some(&[5u8, 0][..]))),
        other => panic!("unknown kind {other}"),
    }
}

#[test]
fn fixtures_decrypt_to_their_plain_der() {
    let cases = [
        ("ed25519.pem", "ed25519.der", "ed25519"),
        ("ed25519-aes256.pem", "ed25519.der", "ed25519"),
        ("ec-p256.pem", "ec-p256.der", "ec-p256"),
        ("ec-p256-scrypt.der", "ec-p256.der", "ec-p256"),
        ("rsa2048.pem", "rsa2048.der", "rsa2048"),
        ("rsa2048-aes128-sha512.pem", "rsa2048.der", "rsa2048"),
    ];
    for (file, plain, kind) in cases {
        let got = pkcs8::read(&fixture(file), Some(FIXTURE_PASSWORD), &Limits::DEFAULT)
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(got.as_slice(), fixture(plain), "{file}");
        check_algorithm(&got, kind);
        // Plain DER re-encodes byte for byte.
        assert_eq!(PrivateKeyInfo::from_der(&got).unwrap().to_der().as_slice(), got.as_slice());
    }
    // The parameters openssl chose are the ones we decoded.
    let text = fixture("rsa2048-aes128-sha512.pem");
    let pem = pem::decode_label(&text, "ENCRYPTED PRIVATE KEY").unwrap();
    let info = EncryptedPrivateKeyInfo::from_der(&pem.contents).unwrap();
    assert_eq!(info.algorithm.cipher, Cipher::Aes128Cbc);
    assert!(matches!(
        info.algorithm.kdf,
        purecrypto::pkcs5::Kdf::Pbkdf2 { iterations: 1000, prf: Prf::HmacSha512, .. }
    ));
    // A wrong password is a typed error.
    for file in ["ed25519-aes256.pem", "ec-p256-scrypt.der", "rsa2048-aes128-sha512.pem"] {
        assert_eq!(pkcs8::read(&fixture(file), Some(b"wrong"), &Limits::DEFAULT), Err(Error::DecryptionFailed));
    }
}

#[test]
fn fixture_pkcs12_reads_key_and_certificate() {
    let p12 = pkcs12::read(&fixture("ec-p256.p12"), FIXTURE_PASSWORD, &Limits::DEFAULT).unwrap();
    assert!(p12.mac_verified);
    assert_eq!(p12.keys.len(), 1);
    assert_eq!(p12.keys[0].private_key_info.as_slice(), fixture("ec-p256.der"));
    assert_eq!(p12.keys[0].friendly_name.as_deref(), Some("fixture"));
    assert_eq!(p12.certificates.len(), 1);
    assert_eq!(p12.certificates[0].der, fixture("ec-p256-cert.der"));
    assert_eq!(p12.certificates[0].local_key_id, p12.keys[0].local_key_id);
    assert_eq!(pkcs12::read(&fixture("ec-p256.p12"), b"wrong", &Limits::DEFAULT), Err(Error::VerificationFailed));
    // The legacy file: SHA-1 MAC, RC2-40 certificates, 3DES key.
    let legacy = pkcs12::read(&fixture("ec-p256-legacy.p12"), FIXTURE_PASSWORD, &Limits::DEFAULT).unwrap();
    assert!(legacy.mac_verified);
    assert_eq!(legacy.keys[0].private_key_info.as_slice(), fixture("ec-p256.der"));
    assert_eq!(legacy.certificates[0].der, fixture("ec-p256-cert.der"));
}

/// `openssl genpkey` keys, plain and encrypted, read here.
#[test]
fn openssl_keys_read_here() {
    let dir = scratch_dir("genpkey");
    let kinds: [(&str, &[&str]); 4] = [
        ("ed25519", &["-algorithm", "ed25519"]),
        ("x25519", &["-algorithm", "x25519"]),
        ("ec-p256", &["-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]),
        ("rsa2048", &["-algorithm", "rsa", "-pkeyopt", "rsa_keygen_bits:2048"]),
    ];
    for (kind, gen_args) in kinds {
        let plain = dir.join(format!("{kind}.pem"));
        let mut args = vec!["genpkey"];
        args.extend_from_slice(gen_args);
        args.extend_from_slice(&["-out", path_str(&plain)]);
        if openssl_ok(&args).is_none() {
            return;
        }
        let reference =
            openssl_ok(&["pkcs8", "-topk8", "-nocrypt", "-in", path_str(&plain), "-outform", "DER"]).unwrap();
        check_algorithm(&reference, kind);

        let encrypted = dir.join(format!("{kind}-enc.pem"));
        let mut args = vec!["genpkey"];
        args.extend_from_slice(gen_args);
        // genpkey makes a new key; re-derive its reference from the file.
        args.extend_from_slice(&["-aes-256-cbc", "-pass", "pass:s3cret", "-out", path_str(&encrypted)]);
        openssl_ok(&args).unwrap();
        let enc_reference = openssl_ok(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            path_str(&encrypted),
            "-passin",
            "pass:s3cret",
            "-outform",
            "DER",
        ])
        .unwrap();
        let scrypt = openssl_ok(&[
            "pkcs8",
            "-topk8",
            "-scrypt",
            "-in",
            path_str(&plain),
            "-passout",
            "pass:s3cret",
            "-outform",
            "DER",
        ])
        .unwrap();

        let read = |input: &[u8]| pkcs8::read(input, Some(b"s3cret"), &Limits::DEFAULT).unwrap();
        assert_eq!(read(&std::fs::read(&plain).unwrap()).as_slice(), reference, "{kind} plain");
        assert_eq!(read(&std::fs::read(&encrypted).unwrap()).as_slice(), enc_reference, "{kind} aes-256-cbc");
        assert_eq!(read(&scrypt).as_slice(), reference, "{kind} scrypt");
        assert_eq!(
            pkcs8::read(&scrypt, Some(b"s3creT"), &Limits::DEFAULT),
            Err(Error::DecryptionFailed),
            "{kind} wrong password"
        );
    }
    done(&dir);
}

/// Keys encrypted or PEM-encoded here open in `openssl pkey`.
#[test]
fn our_pkcs8_opens_in_openssl() {
    let dir = scratch_dir("ours");
    let options = [
        EncryptOptions::DEFAULT,
        EncryptOptions::SCRYPT,
        EncryptOptions::new(KdfChoice::Pbkdf2 { prf: Prf::HmacSha1, iterations: 1000 }, Cipher::Aes128Cbc),
        EncryptOptions::new(KdfChoice::Pbkdf2 { prf: Prf::HmacSha384, iterations: 10 }, Cipher::Aes192Cbc),
    ];
    for (plain_name, kind) in [("ed25519.der", "ed25519"), ("ec-p256.der", "ec-p256"), ("rsa2048.der", "rsa2048")] {
        let der = fixture(plain_name);
        let pem_path = dir.join(format!("{kind}.pem"));
        std::fs::write(&pem_path, PrivateKeyInfo::from_der(&der).unwrap().to_pem().as_bytes()).unwrap();
        // `openssl pkey` writes PKCS #8 PEM (its DER output is SEC1 for EC).
        let Some(back) = openssl_ok(&["pkey", "-in", path_str(&pem_path)]) else { return };
        assert_eq!(pem::decode_label(&back, "PRIVATE KEY").unwrap().contents.as_slice(), der, "{kind} plain PEM");
        for (i, option) in options.iter().enumerate() {
            let text = pkcs8::encrypt_pem(&der, b"pa55 word", option, &mut OsRng).unwrap();
            let path = dir.join(format!("{kind}-{i}.pem"));
            std::fs::write(&path, &text).unwrap();
            let back = openssl_ok(&["pkey", "-in", path_str(&path), "-passin", "pass:pa55 word"]).unwrap();
            let back = pem::decode_label(&back, "PRIVATE KEY").unwrap();
            assert_eq!(back.contents.as_slice(), der, "{kind} with {option:?}");
            let wrong = openssl(&["pkey", "-in", path_str(&path), "-passin", "pass:nope", "-noout"]).unwrap();
            assert!(!wrong.status.success(), "openssl accepted a wrong password");
        }
    }
    done(&dir);
}

/// `openssl pkcs12 -export` files read here, key and certificate equal to
/// the originals.
#[test]
fn openssl_pkcs12_reads_here() {
    let dir = scratch_dir("p12-theirs");
    let key = dir.join("key.pem");
    let cert = dir.join("cert.pem");
    let Some(_) = openssl_ok(&[
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        path_str(&key),
        "-out",
        path_str(&cert),
        "-subj",
        "/CN=interop",
        "-days",
        "2",
    ]) else {
        return;
    };
    let key_der = openssl_ok(&["pkcs8", "-topk8", "-nocrypt", "-in", path_str(&key), "-outform", "DER"]).unwrap();
    let cert_der = openssl_ok(&["x509", "-in", path_str(&cert), "-outform", "DER"]).unwrap();
    let variants: [(&str, &[&str]); 5] = [
        ("default", &[]),
        ("plain", &["-keypbe", "NONE", "-certpbe", "NONE", "-nomac"]),
        (
            "sha512-mac-aes128",
            &["-macalg", "sha512", "-keypbe", "AES-128-CBC", "-certpbe", "AES-128-CBC", "-iter", "3000"],
        ),
        ("legacy", &["-legacy"]),
        ("legacy-rc2-128-2des", &["-legacy", "-keypbe", "PBE-SHA1-2DES", "-certpbe", "PBE-SHA1-RC2-128"]),
    ];
    for (name, extra) in variants {
        let p12 = dir.join(format!("{name}.p12"));
        let mut args = vec![
            "pkcs12",
            "-export",
            "-inkey",
            path_str(&key),
            "-in",
            path_str(&cert),
            "-name",
            "k\u{e9}y",
            "-passout",
            "pass:p12 pass",
            "-out",
            path_str(&p12),
        ];
        args.extend_from_slice(extra);
        openssl_ok(&args).unwrap();
        let read = pkcs12::read(&std::fs::read(&p12).unwrap(), b"p12 pass", &Limits::DEFAULT)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(read.mac_verified, name != "plain", "{name}");
        assert_eq!(read.keys.len(), 1, "{name}");
        assert_eq!(read.keys[0].private_key_info.as_slice(), key_der, "{name}");
        assert_eq!(read.keys[0].friendly_name.as_deref(), Some("k\u{e9}y"), "{name}");
        assert_eq!(read.certificates.len(), 1, "{name}");
        assert_eq!(read.certificates[0].der, cert_der, "{name}");
    }
    done(&dir);
}

/// PFX files written here open in `openssl pkcs12`.
#[test]
fn our_pkcs12_opens_in_openssl() {
    let dir = scratch_dir("p12-ours");
    let key_der = fixture("ec-p256.der");
    let cert_der = fixture("ec-p256-cert.der");
    let mut sha1_mac = pkcs12::WriteOptions::DEFAULT;
    sha1_mac.mac = Some(purecrypto::hash::HashAlgorithm::Sha1);
    sha1_mac.encrypt_certificates = false;
    for (i, options) in [pkcs12::WriteOptions::DEFAULT, sha1_mac].iter().enumerate() {
        let pfx =
            pkcs12::write_key_and_certificates(&key_der, &cert_der, &[], Some("ours"), b"pw 1", options, &mut OsRng)
                .unwrap();
        let path = dir.join(format!("ours-{i}.p12"));
        std::fs::write(&path, &pfx).unwrap();
        let Some(_) = openssl_ok(&["pkcs12", "-in", path_str(&path), "-passin", "pass:pw 1", "-noout"]) else {
            return;
        };
        let info = openssl_ok(&["pkcs12", "-info", "-in", path_str(&path), "-passin", "pass:pw 1", "-nodes"]).unwrap();
        let info = String::from_utf8(info).unwrap();
        assert!(info.contains("friendlyName: ours"), "{info}");
        let blocks: Vec<_> = pem::blocks(info.as_bytes()).map(Result::unwrap).collect();
        let key = blocks.iter().find(|b| b.label == "PRIVATE KEY").expect("no key in openssl output");
        let cert = blocks.iter().find(|b| b.label == "CERTIFICATE").expect("no certificate in openssl output");
        assert_eq!(key.contents.as_slice(), key_der);
        assert_eq!(cert.contents.as_slice(), cert_der);
        let wrong = openssl(&["pkcs12", "-in", path_str(&path), "-passin", "pass:pw 2", "-noout"]).unwrap();
        assert!(!wrong.status.success(), "openssl accepted a wrong password");
    }
    done(&dir);
}

/// `purecrypto asn1parse` prints the same lines as `openssl asn1parse`.
#[test]
fn asn1parse_matches_openssl() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pkcs");
    let file = |name: &str| dir.join(name).to_str().unwrap().to_string();
    let cases: Vec<Vec<String>> = vec![
        vec!["-in".into(), file("ec-p256-cert.der"), "-inform".into(), "DER".into()],
        vec!["-in".into(), file("ec-p256-cert.der"), "-inform".into(), "DER".into(), "-i".into()],
        vec!["-in".into(), file("ed25519-aes256.pem"), "-i".into()],
        vec!["-in".into(), file("rsa2048.pem")],
        vec!["-in".into(), file("ec-p256-scrypt.der"), "-inform".into(), "DER".into(), "-i".into()],
        vec!["-in".into(), file("ec-p256.p12"), "-inform".into(), "der".into(), "-i".into()],
        vec!["-in".into(), file("ec-p256.p12"), "-inform".into(), "DER".into(), "-strparse".into(), "26".into()],
        vec!["-in".into(), file("ec-p256-cert.der"), "-inform".into(), "DER".into(), "-offset".into(), "4".into()],
        vec![
            "-in".into(),
            file("ec-p256-cert.der"),
            "-inform".into(),
            "DER".into(),
            "-offset".into(),
            "13".into(),
            "-length".into(),
            "34".into(),
        ],
    ];
    for args in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut full = vec!["asn1parse"];
        full.extend_from_slice(&args);
        let Some(theirs) = openssl_ok(&full) else { return };
        let ours = Command::new(env!("CARGO_BIN_EXE_purecrypto")).args(&full).output().unwrap();
        assert!(ours.status.success(), "{args:?}: {}", String::from_utf8_lossy(&ours.stderr));
        assert_eq!(String::from_utf8_lossy(&ours.stdout), String::from_utf8_lossy(&theirs), "{args:?}");
    }
    // Bad input: a typed error and exit status 1, as openssl.
    let bad = scratch_dir("asn1parse").join("bad.der");
    std::fs::write(&bad, [0x30, 0x05, 0x02, 0x01]).unwrap();
    let ours = Command::new(env!("CARGO_BIN_EXE_purecrypto"))
        .args(["asn1parse", "-inform", "DER", "-in", path_str(&bad)])
        .output()
        .unwrap();
    assert_eq!(ours.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&ours.stderr).contains("Error in encoding"));
    done(bad.parent().unwrap());
}
