//! The classical keys of the `pkey` facade against `openssl` (3.0) through
//! the two command lines, in both directions: keys `openssl genpkey`
//! writes load here and re-encode byte for byte, ours load in `openssl
//! pkey`; `-text` output matches; signatures (RSA PKCS #1 v1.5 / PSS,
//! ECDSA, Ed25519, Ed448) made by one verify in the other; OAEP / PKCS #1
//! encryption one way decrypts the other; ECDH / X25519 / X448 agree;
//! encrypted PKCS #8, traditional files (also with legacy PEM
//! encryption) and PKCS #12 open in both.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::pkey::scratch_dir;

fn ours(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_purecrypto")).args(args).output().unwrap()
}

fn ok(args: &[&str]) -> Vec<u8> {
    let out = ours(args);
    assert!(out.status.success(), "purecrypto {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// Whether `openssl` runs; outside CI a missing one skips loudly.
fn have_openssl() -> bool {
    match Command::new("openssl").arg("version").output() {
        Ok(out) if out.status.success() => true,
        other => {
            assert!(std::env::var_os("CI").is_none(), "openssl is required in CI: {other:?}");
            eprintln!("\n*****\nSKIPPED: openssl not installed (classical key interop)\n*****\n");
            false
        }
    }
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// The `openssl genpkey` arguments of every classical key type.
const TYPES: [(&str, &[&str]); 10] = [
    ("rsa", &["-algorithm", "RSA"]),
    ("rsa-pss", &["-algorithm", "RSA-PSS"]),
    ("p256", &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"]),
    ("p384", &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384"]),
    ("p521", &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-521"]),
    ("k256", &["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1"]),
    ("ed25519", &["-algorithm", "ED25519"]),
    ("ed448", &["-algorithm", "ED448"]),
    ("x25519", &["-algorithm", "X25519"]),
    ("x448", &["-algorithm", "X448"]),
];

/// An `openssl genpkey` key of type `name` in `dir` (PEM).
fn openssl_key(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(format!("ossl-{name}.pem"));
    let (_, args) = TYPES.iter().find(|(n, _)| *n == name).unwrap();
    let mut full = vec!["genpkey"];
    full.extend_from_slice(args);
    full.extend(["-out", p(&path)]);
    openssl(&full);
    path
}

/// Public key file (PEM SPKI) of `key`, written by openssl.
fn openssl_public(dir: &Path, key: &Path) -> PathBuf {
    let path = dir.join(format!("{}.pub", key.file_name().unwrap().to_str().unwrap()));
    openssl(&["pkey", "-in", p(key), "-pubout", "-out", p(&path)]);
    path
}

#[test]
fn openssl_keys_load_here_and_ours_load_there() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-keys");
    for (name, args) in TYPES {
        let theirs = openssl_key(&dir, name);
        // Same PKCS #8, same SPKI, same text, in PEM and DER.
        assert_eq!(ok(&["pkey", "-in", p(&theirs)]), std::fs::read(&theirs).unwrap(), "{name}");
        let their_pub = openssl(&["pkey", "-in", p(&theirs), "-pubout"]);
        assert_eq!(ok(&["pkey", "-in", p(&theirs), "-pubout"]), their_pub, "{name}");
        // DER both ways (OpenSSL 3.0 writes RSA and EC keys in their
        // traditional DER here; we write PKCS #8): each reads the other's.
        let (their_der, our_der) = (dir.join("theirs.der"), dir.join("ours.der"));
        openssl(&["pkey", "-in", p(&theirs), "-outform", "DER", "-out", p(&their_der)]);
        ok(&["pkey", "-in", p(&theirs), "-outform", "DER", "-out", p(&our_der)]);
        let plain = std::fs::read(&theirs).unwrap();
        assert_eq!(ok(&["pkey", "-in", p(&their_der), "-inform", "DER"]), plain, "{name}");
        assert_eq!(openssl(&["pkey", "-in", p(&our_der), "-inform", "DER"]), plain, "{name}");
        let text = openssl(&["pkey", "-in", p(&theirs), "-text", "-noout"]);
        assert_eq!(
            String::from_utf8(ok(&["pkey", "-in", p(&theirs), "-text", "-noout"])).unwrap(),
            String::from_utf8(text).unwrap(),
            "{name}"
        );
        let their_pub_file = openssl_public(&dir, &theirs);
        let text = openssl(&["pkey", "-pubin", "-in", p(&their_pub_file), "-text", "-noout"]);
        assert_eq!(ok(&["pkey", "-pubin", "-in", p(&their_pub_file), "-text", "-noout"]), text, "{name}");

        // Ours, read back by openssl.
        let mine = dir.join(format!("ours-{name}.pem"));
        let algorithm = if args[1] == "EC" { args[3].trim_start_matches("ec_paramgen_curve:") } else { args[1] };
        ok(&["genpkey", "-algorithm", algorithm, "-out", p(&mine)]);
        let pem = std::fs::read_to_string(&mine).unwrap();
        assert!(pem.starts_with("-----BEGIN PRIVATE KEY-----\n"), "{name}");
        assert_eq!(openssl(&["pkey", "-in", p(&mine)]), pem.as_bytes(), "{name}: openssl re-encodes ours differently");
        assert_eq!(openssl(&["pkey", "-in", p(&mine), "-pubout"]), ok(&["pkey", "-in", p(&mine), "-pubout"]), "{name}");
    }
    // The EC spelling of genpkey, with the curve as a -pkeyopt.
    let mine = dir.join("ours-ec.pem");
    ok(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-out", p(&mine)]);
    assert!(
        String::from_utf8(openssl(&["pkey", "-in", p(&mine), "-text", "-noout"]))
            .unwrap()
            .contains("NIST CURVE: P-256")
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Signs with `signer_args` (one tool), verifies with the other; both
/// ways round.
fn cross_sign(dir: &Path, key: &Path, sign_opts: &[&str], verify_opts: &[&str], label: &str) {
    let msg = dir.join("msg");
    let public = openssl_public(dir, key);
    let (ours_sig, theirs_sig) = (dir.join("sig-ours"), dir.join("sig-theirs"));
    let mut args = vec!["pkeyutl", "-sign", "-inkey", p(key), "-in", p(&msg), "-out", p(&ours_sig)];
    args.extend_from_slice(sign_opts);
    ok(&args);
    let mut args = vec!["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&ours_sig)];
    args.extend_from_slice(verify_opts);
    assert_eq!(openssl(&args), b"Signature Verified Successfully\n", "{label}: openssl rejects ours");

    let mut args = vec!["pkeyutl", "-sign", "-inkey", p(key), "-in", p(&msg), "-out", p(&theirs_sig)];
    args.extend_from_slice(sign_opts);
    openssl(&args);
    let mut args =
        vec!["pkeyutl", "-verify", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-sigfile", p(&theirs_sig)];
    args.extend_from_slice(verify_opts);
    assert_eq!(ok(&args), b"Signature Verified Successfully\n", "{label}: we reject openssl's");

    // Tampered: one bit of openssl's signature.
    let mut bad = std::fs::read(&theirs_sig).unwrap();
    let last = bad.len() - 3;
    bad[last] ^= 0x10;
    std::fs::write(&theirs_sig, &bad).unwrap();
    let out = ours(&args);
    assert_eq!(out.status.code(), Some(1), "{label}: tampered signature accepted");
    assert_eq!(out.stdout, b"Signature Verification Failure\n");
}

#[test]
fn signatures_verify_across_both_tools() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-sign");
    std::fs::write(dir.join("msg"), b"a message for both tools").unwrap();
    let rawin = ["-rawin", "-digest", "sha256"];
    let rsa = openssl_key(&dir, "rsa");
    cross_sign(&dir, &rsa, &rawin, &rawin, "RSA PKCS#1 v1.5");
    for salt in ["digest", "max", "20"] {
        let opt = format!("rsa_pss_saltlen:{salt}");
        let pss = ["-rawin", "-digest", "sha384", "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", &opt];
        cross_sign(&dir, &rsa, &pss, &pss, &format!("RSA PSS salt {salt}"));
    }
    // PSS with the default salt on both sides (max when signing, auto
    // when verifying) and an RSA-PSS key.
    let pss = ["-rawin", "-digest", "sha256", "-pkeyopt", "rsa_padding_mode:pss"];
    cross_sign(&dir, &openssl_key(&dir, "rsa-pss"), &rawin, &rawin, "RSA-PSS key");
    cross_sign(&dir, &rsa, &pss, &pss, "RSA PSS default salt");
    for (name, digest) in [("p256", "sha256"), ("p384", "sha384"), ("p521", "sha512"), ("k256", "sha256")] {
        let opts = ["-rawin", "-digest", digest];
        cross_sign(&dir, &openssl_key(&dir, name), &opts, &opts, name);
    }
    for name in ["ed25519", "ed448"] {
        cross_sign(&dir, &openssl_key(&dir, name), &["-rawin"], &["-rawin"], name);
    }

    // Ready digests (no -rawin): `-pkeyopt digest:` for RSA, the bare
    // digest for ECDSA.
    let digest = openssl(&["dgst", "-sha256", "-binary", p(&dir.join("msg"))]);
    std::fs::write(dir.join("msg"), &digest).unwrap();
    cross_sign(&dir, &rsa, &["-pkeyopt", "digest:sha256"], &["-pkeyopt", "digest:sha256"], "RSA prehashed");
    cross_sign(&dir, &openssl_key(&dir, "p256"), &[], &[], "ECDSA prehashed");
    std::fs::remove_dir_all(&dir).ok();
}

/// `id-RSASSA-PSS` keys with parameter restrictions (RFC 4055 §3.1):
/// OpenSSL's load here and re-encode byte for byte with the same `-text`;
/// ours (`rsa_pss_keygen_*`) load there; signatures cross over with the
/// restricted digest; a digest the key does not allow is refused by both.
#[test]
fn restricted_rsa_pss_keys_across_both_tools() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-pss-restricted");
    std::fs::write(dir.join("msg"), b"a message for both tools").unwrap();
    fn keygen<'a>(hash: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
        let mut args = vec!["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"];
        args.extend(["-pkeyopt", hash]);
        args.extend_from_slice(extra);
        args
    }
    let msg = dir.join("msg");
    let full = keygen(
        "rsa_pss_keygen_md:sha256",
        &["-pkeyopt", "rsa_pss_keygen_mgf1_md:sha256", "-pkeyopt", "rsa_pss_keygen_saltlen:32"],
    );
    let hash_only = keygen("rsa_pss_keygen_md:sha512", &[]);
    for (name, args, digest) in [("sha256-32", &full, "sha256"), ("sha512-defaults", &hash_only, "sha512")] {
        let theirs = dir.join(format!("ossl-{name}.pem"));
        let mut gen_args = vec!["genpkey"];
        gen_args.extend_from_slice(args);
        gen_args.extend(["-out", p(&theirs)]);
        openssl(&gen_args);
        assert_eq!(ok(&["pkey", "-in", p(&theirs)]), std::fs::read(&theirs).unwrap(), "{name}");
        assert_eq!(
            ok(&["pkey", "-in", p(&theirs), "-pubout"]),
            openssl(&["pkey", "-in", p(&theirs), "-pubout"]),
            "{name}"
        );
        let text = String::from_utf8(openssl(&["pkey", "-in", p(&theirs), "-text", "-noout"])).unwrap();
        assert!(text.contains("PSS parameter restrictions:"), "{text}");
        assert_eq!(String::from_utf8(ok(&["pkey", "-in", p(&theirs), "-text", "-noout"])).unwrap(), text, "{name}");
        let public = openssl_public(&dir, &theirs);
        let text = openssl(&["pkey", "-pubin", "-in", p(&public), "-text", "-noout"]);
        assert_eq!(ok(&["pkey", "-pubin", "-in", p(&public), "-text", "-noout"]), text, "{name}");
        let opts = ["-rawin", "-digest", digest];
        cross_sign(&dir, &theirs, &opts, &opts, &format!("restricted RSA-PSS {name}"));
        // Without -digest ours takes the restricted one; openssl verifies.
        let sig = dir.join("sig-default");
        ok(&["pkeyutl", "-sign", "-rawin", "-inkey", p(&theirs), "-in", p(&msg), "-out", p(&sig)]);
        let verify = ["pkeyutl", "-verify", "-rawin", "-digest", digest, "-pubin", "-inkey", p(&public)];
        let mut args = verify.to_vec();
        args.extend(["-in", p(&msg), "-sigfile", p(&sig)]);
        assert_eq!(openssl(&args), b"Signature Verified Successfully\n", "{name}");
        // A digest the key does not allow: both tools refuse to sign.
        let bad = ["pkeyutl", "-sign", "-rawin", "-digest", "sha384", "-inkey", p(&theirs), "-in", p(&msg)];
        assert!(!ours(&bad[..]).status.success(), "{name}: we signed with a forbidden digest");
        assert!(!Command::new("openssl").args(bad).output().unwrap().status.success(), "{name}: openssl signed");
    }
    // Ours, restricted, read back by openssl.
    let mine = dir.join("ours-restricted.pem");
    let mut args = vec!["genpkey"];
    args.extend_from_slice(&full);
    args.extend(["-out", p(&mine)]);
    ok(&args);
    let pem = std::fs::read(&mine).unwrap();
    assert_eq!(openssl(&["pkey", "-in", p(&mine)]), pem, "openssl re-encodes our restricted key differently");
    let text = String::from_utf8(openssl(&["pkey", "-in", p(&mine), "-text", "-noout"])).unwrap();
    assert!(
        text.contains("  Hash Algorithm: SHA2-256\n  Mask Algorithm: MGF1 with SHA2-256\n  Minimum Salt Length: 32\n"),
        "{text}"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn rsa_encryption_across_both_tools() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-encrypt");
    let key = openssl_key(&dir, "rsa");
    let public = openssl_public(&dir, &key);
    let (msg, ct, back) = (dir.join("msg"), dir.join("ct"), dir.join("back"));
    std::fs::write(&msg, b"sixteen byte key").unwrap();
    let paddings: [&[&str]; 3] = [
        &[],
        &["-pkeyopt", "rsa_padding_mode:oaep"],
        &["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_oaep_label:0a0b0c"],
    ];
    for opts in paddings {
        let mut enc = vec!["pkeyutl", "-encrypt", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-out", p(&ct)];
        enc.extend_from_slice(opts);
        let mut dec = vec!["pkeyutl", "-decrypt", "-inkey", p(&key), "-in", p(&ct), "-out", p(&back)];
        dec.extend_from_slice(opts);
        ok(&enc);
        openssl(&dec);
        assert_eq!(std::fs::read(&back).unwrap(), b"sixteen byte key", "ours -> openssl {opts:?}");
        openssl(&enc);
        ok(&dec);
        assert_eq!(std::fs::read(&back).unwrap(), b"sixteen byte key", "openssl -> ours {opts:?}");
    }
    // The wrong OAEP hash fails to decrypt, with an error rather than
    // garbage.
    let oaep = ["-pkeyopt", "rsa_padding_mode:oaep"];
    openssl(&["pkeyutl", "-encrypt", "-pubin", "-inkey", p(&public), "-in", p(&msg), "-out", p(&ct), oaep[0], oaep[1]]);
    let out = ours(&[
        "pkeyutl",
        "-decrypt",
        "-inkey",
        p(&key),
        "-in",
        p(&ct),
        oaep[0],
        oaep[1],
        "-pkeyopt",
        "rsa_oaep_md:sha256",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("decryption failed"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn key_agreement_matches_openssl() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-derive");
    for (name, ours_alg) in [("p256", "P-256"), ("p384", "P-384"), ("x25519", "X25519"), ("x448", "X448")] {
        let theirs = openssl_key(&dir, name);
        let theirs_pub = openssl_public(&dir, &theirs);
        let mine = dir.join(format!("ours-{name}.pem"));
        ok(&["genpkey", "-algorithm", ours_alg, "-out", p(&mine)]);
        let mine_pub = dir.join(format!("ours-{name}.pub"));
        ok(&["pkey", "-in", p(&mine), "-pubout", "-out", p(&mine_pub)]);
        let ours_secret = ok(&["pkeyutl", "-derive", "-inkey", p(&mine), "-peerkey", p(&theirs_pub)]);
        let their_secret = openssl(&["pkeyutl", "-derive", "-inkey", p(&theirs), "-peerkey", p(&mine_pub)]);
        assert!(!ours_secret.is_empty());
        assert_eq!(ours_secret, their_secret, "{name}");
    }
    // A peer on another curve is refused.
    let p256 = openssl_key(&dir, "p256");
    let p384_pub = openssl_public(&dir, &openssl_key(&dir, "p384"));
    assert_eq!(ours(&["pkeyutl", "-derive", "-inkey", p(&p256), "-peerkey", p(&p384_pub)]).status.code(), Some(1));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn encrypted_traditional_and_pkcs12_files_open_in_both() {
    if !have_openssl() {
        return;
    }
    let dir = scratch_dir("classic-files");
    for name in ["rsa", "p384", "ed25519"] {
        let key = openssl_key(&dir, name);
        let plain = std::fs::read(&key).unwrap();
        // Encrypted PKCS #8: ours -> openssl, openssl -> ours.
        let enc = dir.join("enc.pem");
        ok(&["pkey", "-in", p(&key), "-passout", "pass:secret", "-aes-256-cbc", "-out", p(&enc)]);
        assert!(std::fs::read_to_string(&enc).unwrap().starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert_eq!(openssl(&["pkey", "-in", p(&enc), "-passin", "pass:secret"]), plain, "{name}");
        openssl(&["pkey", "-in", p(&key), "-aes-256-cbc", "-passout", "pass:other", "-out", p(&enc)]);
        assert_eq!(ok(&["pkey", "-in", p(&enc), "-passin", "pass:other"]), plain, "{name}");
        assert_eq!(ours(&["pkey", "-in", p(&enc), "-passin", "pass:wrong"]).status.code(), Some(1));

        // PKCS #12 with a self-signed certificate: both directions.
        let cert = dir.join("cert.pem");
        openssl(&["req", "-x509", "-new", "-key", p(&key), "-subj", "/CN=pkcs12 test", "-days", "2", "-out", p(&cert)]);
        let cert_der = openssl(&["x509", "-in", p(&cert), "-outform", "DER"]);
        let p12 = dir.join("ours.p12");
        ok(&[
            "pkcs12",
            "-export",
            "-in",
            p(&cert),
            "-inkey",
            p(&key),
            "-name",
            "ours",
            "-passout",
            "pass:pw",
            "-out",
            p(&p12),
        ]);
        let dumped = openssl(&["pkcs12", "-in", p(&p12), "-passin", "pass:pw", "-nodes", "-nocerts"]);
        assert!(String::from_utf8_lossy(&dumped).contains("friendlyName: ours"));
        let key_back = dir.join("key-back.pem");
        std::fs::write(&key_back, &dumped).unwrap();
        assert_eq!(openssl(&["pkey", "-in", p(&key_back)]), plain, "{name}: key from our PKCS #12");
        let certs = dir.join("certs.pem");
        openssl(&["pkcs12", "-in", p(&p12), "-passin", "pass:pw", "-nokeys", "-out", p(&certs)]);
        assert_eq!(openssl(&["x509", "-in", p(&certs), "-outform", "DER"]), cert_der);

        let theirs = dir.join("theirs.p12");
        openssl(&[
            "pkcs12",
            "-export",
            "-in",
            p(&cert),
            "-inkey",
            p(&key),
            "-name",
            "theirs",
            "-passout",
            "pass:pw",
            "-out",
            p(&theirs),
        ]);
        let dumped = ok(&["pkcs12", "-in", p(&theirs), "-passin", "pass:pw", "-nodes", "-nocerts"]);
        std::fs::write(&key_back, &dumped).unwrap();
        assert_eq!(ok(&["pkey", "-in", p(&key_back)]), plain, "{name}: key from openssl's PKCS #12");
        let dumped = ok(&["pkcs12", "-in", p(&theirs), "-passin", "pass:pw", "-nokeys"]);
        std::fs::write(&certs, &dumped).unwrap();
        assert!(String::from_utf8_lossy(&dumped).contains("friendlyName: theirs"));
        assert_eq!(openssl(&["x509", "-in", p(&certs), "-outform", "DER"]), cert_der);
        // Keys re-encrypted under -passout when not -nodes.
        let dumped = ok(&["pkcs12", "-in", p(&theirs), "-passin", "pass:pw", "-nocerts", "-passout", "pass:again"]);
        std::fs::write(&key_back, &dumped).unwrap();
        assert_eq!(openssl(&["pkey", "-in", p(&key_back), "-passin", "pass:again"]), plain);
        assert_eq!(ours(&["pkcs12", "-in", p(&theirs), "-passin", "pass:bad", "-nodes"]).status.code(), Some(1));
    }
    // Traditional files: PKCS #1 and SEC1 both ways, RSA PUBLIC KEY in.
    for name in ["rsa", "p256"] {
        let key = openssl_key(&dir, name);
        let plain = std::fs::read(&key).unwrap();
        let trad = dir.join("trad.pem");
        openssl(&["pkey", "-in", p(&key), "-traditional", "-out", p(&trad)]);
        assert_eq!(ok(&["pkey", "-in", p(&trad), "-traditional"]), std::fs::read(&trad).unwrap(), "{name}");
        assert_eq!(ok(&["pkey", "-in", p(&trad)]), plain, "{name}");
        let der = dir.join("trad.der");
        ok(&["pkey", "-in", p(&key), "-traditional", "-outform", "DER", "-out", p(&der)]);
        assert_eq!(openssl(&["pkey", "-in", p(&der), "-inform", "DER"]), plain, "{name}");
        // Legacy PEM encryption (Proc-Type / DEK-Info), every cipher, both ways.
        let trad_text = std::fs::read(&trad).unwrap();
        let label = String::from_utf8_lossy(&trad_text).lines().next().unwrap().to_string();
        for (cipher, dek) in [
            ("-aes128", "AES-128-CBC"),
            ("-aes192", "AES-192-CBC"),
            ("-aes256", "AES-256-CBC"),
            ("-des3", "DES-EDE3-CBC"),
        ] {
            let enc = dir.join("trad-enc.pem");
            openssl(&["pkey", "-in", p(&key), "-traditional", cipher, "-passout", "pass:legacy", "-out", p(&enc)]);
            assert_eq!(ok(&["pkey", "-in", p(&enc), "-passin", "pass:legacy"]), plain, "{name} {cipher}");
            assert_eq!(ours(&["pkey", "-in", p(&enc), "-passin", "pass:wrong"]).status.code(), Some(1));
            ok(&["pkey", "-in", p(&key), "-traditional", cipher, "-passout", "pass:mine", "-out", p(&enc)]);
            let text = String::from_utf8(std::fs::read(&enc).unwrap()).unwrap();
            let header: Vec<&str> = text.lines().take(3).collect();
            assert_eq!(header[0], label, "{name} {cipher}");
            assert_eq!(header[1], "Proc-Type: 4,ENCRYPTED", "{name} {cipher}");
            assert!(header[2].starts_with(&format!("DEK-Info: {dek},")), "{name} {cipher}: {}", header[2]);
            assert_eq!(
                openssl(&["pkey", "-in", p(&enc), "-passin", "pass:mine", "-traditional"]),
                trad_text,
                "{name} {cipher}"
            );
        }
    }
    // The cipher option picks PBES2's cipher; -passout alone does not encrypt.
    let key = openssl_key(&dir, "p256");
    let enc = dir.join("aes128.pem");
    ok(&["pkey", "-in", p(&key), "-aes128", "-passout", "pass:x", "-out", p(&enc)]);
    let parsed = String::from_utf8(openssl(&["asn1parse", "-in", p(&enc)])).unwrap();
    assert!(parsed.contains(":aes-128-cbc"), "{parsed}");
    assert_eq!(openssl(&["pkey", "-in", p(&enc), "-passin", "pass:x"]), std::fs::read(&key).unwrap());
    let out = ours(&["pkey", "-in", p(&key), "-passout", "pass:x"]);
    assert_eq!(out.stdout, std::fs::read(&key).unwrap());
    assert!(String::from_utf8_lossy(&out.stderr).contains("-passout option is ignored without a cipher option"));
    assert_eq!(ours(&["pkey", "-in", p(&key), "-aes256"]).status.code(), Some(1));
    let rsa = openssl_key(&dir, "rsa");
    let rsa_pub = dir.join("rsapub.pem");
    openssl(&["rsa", "-in", p(&rsa), "-RSAPublicKey_out", "-out", p(&rsa_pub)]);
    assert_eq!(ok(&["pkey", "-pubin", "-in", p(&rsa_pub)]), openssl(&["pkey", "-in", p(&rsa), "-pubout"]));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn malformed_keys_are_errors_not_crashes() {
    let dir = scratch_dir("classic-bad");
    let bad = dir.join("bad.pem");
    let cases: [&[u8]; 4] = [
        b"-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----\n",
        b"-----BEGIN RSA PUBLIC KEY-----\nMAMCAQE=\n-----END RSA PUBLIC KEY-----\n",
        b"\x30\x03\x02\x01\x00",
        b"-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAA\n-----END PRIVATE KEY-----\n",
    ];
    for case in cases {
        std::fs::write(&bad, case).unwrap();
        for args in [&["pkey", "-in", p(&bad)][..], &["pkey", "-pubin", "-in", p(&bad)]] {
            let out = ours(args);
            assert_eq!(out.status.code(), Some(1), "{case:?}");
            assert!(String::from_utf8_lossy(&out.stderr).starts_with("purecrypto pkey: "), "{case:?}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}
