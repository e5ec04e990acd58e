//! The key subcommands of the `purecrypto` binary (`genpkey`, `pkey`,
//! `pkeyutl`, `kem`) end to end, and against keys and signatures made by
//! OpenSSL 4 through the Python `cryptography` package.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::pkey::{scratch_dir, stack_python};

fn ours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_purecrypto")).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> Output {
    let out = ours(args);
    assert!(out.status.success(), "purecrypto {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/pqc-keys").join(name)
}

#[test]
fn genpkey_pkey_and_kem_agree_on_the_secret() {
    let dir = scratch_dir("pkey-cli-kem");
    for alg in ["ML-KEM-512", "ML-KEM-768", "ml-kem-1024"] {
        let (key, public, ct, ss1, ss2) =
            (dir.join("k.pem"), dir.join("pub.pem"), dir.join("ct"), dir.join("ss1"), dir.join("ss2"));
        ok(&["genpkey", "-algorithm", alg, "-out", p(&key)]);
        let pem = std::fs::read_to_string(&key).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{pem}");
        ok(&["pkey", "-in", p(&key), "-pubout", "-out", p(&public)]);
        assert!(std::fs::read_to_string(&public).unwrap().starts_with("-----BEGIN PUBLIC KEY-----\n"));
        // The issue's `kem` spelling, then OpenSSL 3.5's `pkeyutl` one.
        ok(&["kem", "-encap", "-pubin", "-inkey", p(&public), "-out", p(&ct), "-secret", p(&ss1)]);
        ok(&["kem", "-decap", "-inkey", p(&key), "-in", p(&ct), "-secret", p(&ss2)]);
        let secret = std::fs::read(&ss1).unwrap();
        assert_eq!(secret.len(), 32);
        assert_eq!(secret, std::fs::read(&ss2).unwrap(), "{alg}");
        ok(&["pkeyutl", "-encap", "-inkey", p(&key), "-out", p(&ct), "-secret", p(&ss1)]);
        ok(&["pkeyutl", "-decap", "-inkey", p(&key), "-in", p(&ct), "-secret", p(&ss2)]);
        assert_eq!(std::fs::read(&ss1).unwrap(), std::fs::read(&ss2).unwrap(), "{alg}");
        assert_ne!(std::fs::read(&ss1).unwrap(), secret, "fresh encapsulations differ");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn sign_verify_and_tampering() {
    let dir = scratch_dir("pkey-cli-sign");
    let msg = dir.join("msg");
    std::fs::write(&msg, b"a message to sign").unwrap();
    for alg in ["ML-DSA-44", "ML-DSA-65", "SLH-DSA-SHA2-128f", "SLH-DSA-SHAKE-128f"] {
        let (key, public, sig) = (dir.join("k.der"), dir.join("pub.der"), dir.join("sig"));
        ok(&["genpkey", "-algorithm", alg, "-outform", "DER", "-out", p(&key)]);
        ok(&["pkey", "-in", p(&key), "-pubout", "-outform", "DER", "-out", p(&public)]);
        ok(&["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&msg), "-out", p(&sig)]);
        let out = ok(&["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&sig)]);
        assert_eq!(out.stdout, b"Signature Verified Successfully\n");
        // Verifying with the private key works too, as in OpenSSL.
        ok(&["pkeyutl", "-verify", "-inkey", p(&key), "-in", p(&msg), "-sigfile", p(&sig)]);

        let mut bad = std::fs::read(&sig).unwrap();
        bad[10] ^= 0x40;
        std::fs::write(&sig, &bad).unwrap();
        let out = ours(&["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&sig)]);
        assert_eq!(out.status.code(), Some(1), "{alg}: tampered signature accepted");
        assert_eq!(out.stdout, b"Signature Verification Failure\n");

        // A context string binds: signed with one, verified without it fails.
        ok(&["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&msg), "-out", p(&sig), "-pkeyopt", "context-string:ab"]);
        let args = ["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&sig)];
        assert_eq!(ours(&args).status.code(), Some(1), "{alg}");
        let mut with_ctx = args.to_vec();
        with_ctx.extend(["-pkeyopt", "hexcontext-string:6162"]);
        ok(&with_ctx);
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deterministic_signatures_repeat() {
    let dir = scratch_dir("pkey-cli-det");
    let (key, msg) = (dir.join("k.pem"), dir.join("msg"));
    std::fs::write(&msg, b"m").unwrap();
    ok(&["genpkey", "-algorithm", "ML-DSA-87", "-out", p(&key)]);
    let sign = ["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&msg), "-pkeyopt", "deterministic:1"];
    assert_eq!(ok(&sign).stdout, ok(&sign).stdout);
    let hedged = ["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&msg)];
    assert_ne!(ok(&hedged).stdout, ok(&hedged).stdout);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn output_forms_seeds_and_passwords() {
    let dir = scratch_dir("pkey-cli-forms");
    let key = dir.join("k.der");
    let seed = "00".repeat(64);
    let seed_opt = format!("hexseed:{seed}");
    // Default (OpenSSL's seed-priv), seed-only and priv-only sizes for ML-KEM-768.
    for (param, len) in
        [(None, 2498), (Some("ml-kem.output_formats=seed-only"), 86), (Some("ml-kem.output_formats=priv-only"), 2428)]
    {
        let mut args = vec!["genpkey", "-algorithm", "ML-KEM-768", "-outform", "DER", "-pkeyopt", &seed_opt];
        if let Some(param) = param {
            args.extend(["-provparam", param]);
        }
        assert_eq!(ok(&args).stdout.len(), len, "{param:?}");
    }
    ok(&["genpkey", "-algorithm", "ML-KEM-768", "-outform", "DER", "-pkeyopt", &seed_opt, "-out", p(&key)]);
    let seed_only = ok(&["pkey", "-in", p(&key), "-outform", "DER", "-provparam", "ml-kem.output_formats=seed-only"]);
    assert_eq!(seed_only.stdout[20..], *hex_bytes(&format!("8040{seed}")));

    let enc = dir.join("enc.pem");
    ok(&["genpkey", "-algorithm", "ML-DSA-44", "-pass", "pass:secret", "-aes-256-cbc", "-out", p(&enc)]);
    assert!(std::fs::read_to_string(&enc).unwrap().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(!ours(&["pkey", "-in", p(&enc), "-passin", "pass:wrong"]).status.success());
    let plain = ok(&["pkey", "-in", p(&enc), "-passin", "pass:secret"]);
    assert!(plain.stdout.starts_with(b"-----BEGIN PRIVATE KEY-----"));
    let text = ok(&["pkey", "-in", p(&enc), "-passin", "pass:secret", "-text", "-noout"]);
    assert!(String::from_utf8_lossy(&text.stdout).starts_with("ML-DSA-44 Private-Key:\npub:\n"));

    assert!(!ours(&["genpkey", "-algorithm", "ML-KEM-9"]).status.success());
    assert!(!ours(&["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&key)]).status.success(), "KEM key signs");
    std::fs::remove_dir_all(&dir).ok();
}

fn hex_bytes(text: &str) -> Vec<u8> {
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn verifies_python_fixture_signatures_and_decapsulates_python_ciphertexts() {
    for name in ["ML-DSA-44", "ML-DSA-65", "ML-DSA-87"] {
        let msg = scratch_dir("pkey-cli-fixture").join("msg");
        std::fs::write(&msg, b"purecrypto pqc-keys fixture message").unwrap();
        let (public, sig) = (fixture(&format!("{name}.pub.pem")), fixture(&format!("{name}.sig.bin")));
        let args = ["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&sig)];
        let mut with_ctx = args.to_vec();
        with_ctx.extend(["-pkeyopt", "context-string:fixture-ctx"]);
        assert_eq!(ok(&with_ctx).stdout, b"Signature Verified Successfully\n");
        assert_eq!(ours(&args).status.code(), Some(1), "{name}: verified without the context");
    }
    for name in ["ML-KEM-768", "ML-KEM-1024"] {
        let out = ok(&[
            "kem",
            "-decap",
            "-inkey",
            p(&fixture(&format!("{name}.priv.enc.pem"))),
            "-passin",
            "pass:fixture-pass",
            "-in",
            p(&fixture(&format!("{name}.ct.bin"))),
        ]);
        assert_eq!(out.stdout, std::fs::read(fixture(&format!("{name}.ss.bin"))).unwrap(), "{name}");
    }
}

#[test]
fn cross_checks_with_live_python() {
    let Some(python) = stack_python() else { return };
    let dir = scratch_dir("pkey-cli-live");
    let (msg, key, public, sig) = (dir.join("msg"), dir.join("k.pem"), dir.join("pub.pem"), dir.join("sig"));
    std::fs::write(&msg, b"signed by OpenSSL, checked by purecrypto").unwrap();
    // Python makes a key and a signature; our CLI verifies.
    let script = r#"
import sys
from cryptography.hazmat.primitives import serialization as s
from cryptography.hazmat.primitives.asymmetric import mldsa
key_path, pub_path, msg_path, sig_path = sys.argv[1:]
k = mldsa.MLDSA65PrivateKey.generate()
open(key_path, "wb").write(k.private_bytes(s.Encoding.PEM, s.PrivateFormat.PKCS8, s.NoEncryption()))
open(pub_path, "wb").write(k.public_key().public_bytes(s.Encoding.PEM, s.PublicFormat.SubjectPublicKeyInfo))
open(sig_path, "wb").write(k.sign(open(msg_path, "rb").read()))
"#;
    let run = Command::new(&python).args(["-c", script, p(&key), p(&public), p(&msg), p(&sig)]).output().unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let out = ok(&["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&sig)]);
    assert_eq!(out.stdout, b"Signature Verified Successfully\n");

    // Our CLI signs with Python's key (and writes the public key); Python verifies.
    let ours_pub = dir.join("ours_pub.pem");
    ok(&["pkeyutl", "-sign", "-inkey", p(&key), "-in", p(&msg), "-out", p(&sig)]);
    ok(&["pkey", "-in", p(&key), "-pubout", "-out", p(&ours_pub)]);
    assert_eq!(std::fs::read(&ours_pub).unwrap(), std::fs::read(&public).unwrap(), "public key PEM differs");
    let verify = r#"
import sys
from cryptography.hazmat.primitives import serialization as s
pub_path, msg_path, sig_path = sys.argv[1:]
pub = s.load_pem_public_key(open(pub_path, "rb").read())
pub.verify(open(sig_path, "rb").read(), open(msg_path, "rb").read())
print("ok")
"#;
    let run = Command::new(&python).args(["-c", verify, p(&ours_pub), p(&msg), p(&sig)]).output().unwrap();
    assert!(run.status.success(), "Python rejected our signature: {}", String::from_utf8_lossy(&run.stderr));
    std::fs::remove_dir_all(&dir).ok();
}
