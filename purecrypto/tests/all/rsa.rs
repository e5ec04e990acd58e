//! RSA and finite-field DH against OpenSSL, in both directions: keys from
//! `openssl genrsa` load here and ours pass `openssl rsa -check`;
//! signatures and ciphertexts made by one side are accepted by the other;
//! DH shared secrets agree and the named group primes match OpenSSL's.
//! Skipped (with a note) when `openssl` is not installed, except in CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use purecrypto::ffdh::{DhPrivateKey, Group};
use purecrypto::hash::HashAlgorithm;
use purecrypto::rng::HmacDrbg;
use purecrypto::rsa::{OaepParams, PssParams, RsaPrivateKey, RsaPublicKey};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/rsa").join(name)
}

fn rng() -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[3; 32], b"", b"rsa interop").unwrap()
}

fn have_openssl() -> bool {
    let found = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "openssl is required in CI for the interop checks");
        eprintln!("SKIPPED: openssl not installed (RSA / DH interop)");
    }
    found
}

/// A scratch directory unique to this test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("purecrypto-rsa-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn openssl(args: &[&str]) -> Vec<u8> {
    let out = Command::new("openssl").args(args).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn openssl_signatures_verify_here_and_ours_verify_there() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("sig");
    let pem = data("key2048.pem");
    let key = RsaPrivateKey::from_pkcs1_der(&std::fs::read(data("key2048.der")).unwrap()).unwrap();
    let public = key.public_key();
    let msg = dir.join("msg");
    std::fs::write(&msg, b"interop message").unwrap();
    let (pem, msg_s) = (pem.to_str().unwrap(), msg.to_str().unwrap());

    // OpenSSL signs, we verify: PKCS#1 v1.5 and PSS (salt = digest length).
    let sig = openssl(&["dgst", "-sha256", "-sign", pem, msg_s]);
    public.verify_pkcs1v15(HashAlgorithm::Sha256, b"interop message", &sig).unwrap();
    let sig = openssl(&[
        "dgst",
        "-sha384",
        "-sign",
        pem,
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:48",
        msg_s,
    ]);
    public.verify_pss(&PssParams::new(HashAlgorithm::Sha384), b"interop message", &sig).unwrap();

    // We sign, OpenSSL verifies.
    let spki = dir.join("pub.der");
    std::fs::write(&spki, public.to_spki_der()).unwrap();
    let sig_file = dir.join("sig");
    let mut r = rng();
    std::fs::write(&sig_file, key.sign_pkcs1v15(&mut r, HashAlgorithm::Sha512, b"interop message").unwrap()).unwrap();
    let (spki_s, sig_s) = (spki.to_str().unwrap(), sig_file.to_str().unwrap());
    openssl(&["dgst", "-sha512", "-keyform", "DER", "-verify", spki_s, "-signature", sig_s, msg_s]);
    let pss = key.sign_pss(&mut r, &PssParams::new(HashAlgorithm::Sha256), b"interop message").unwrap();
    std::fs::write(&sig_file, pss).unwrap();
    openssl(&[
        "dgst",
        "-sha256",
        "-keyform",
        "DER",
        "-verify",
        spki_s,
        "-sigopt",
        "rsa_padding_mode:pss",
        "-sigopt",
        "rsa_pss_saltlen:-2",
        "-signature",
        sig_s,
        msg_s,
    ]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn oaep_and_pkcs1_encryption_interoperate() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("enc");
    let pem = data("key2048.pem");
    let key = RsaPrivateKey::from_pkcs1_der(&std::fs::read(data("key2048.der")).unwrap()).unwrap();
    let plain = dir.join("plain");
    std::fs::write(&plain, b"forty-two").unwrap();
    let (pem, plain_s) = (pem.to_str().unwrap(), plain.to_str().unwrap());
    let mut r = rng();
    let oaep =
        ["-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256"];

    let mut args = vec!["pkeyutl", "-encrypt", "-inkey", pem, "-in", plain_s];
    args.extend(oaep);
    let ct = openssl(&args);
    assert_eq!(key.decrypt_oaep(&mut r, &OaepParams::new(HashAlgorithm::Sha256), &ct).unwrap(), b"forty-two");
    let ct = openssl(&["pkeyutl", "-encrypt", "-inkey", pem, "-in", plain_s]);
    assert_eq!(key.decrypt_pkcs1v15(&mut r, &ct).unwrap(), b"forty-two");

    let ct_file = dir.join("ct");
    let ours = key.public_key().encrypt_oaep(&mut r, &OaepParams::new(HashAlgorithm::Sha256), b"from us").unwrap();
    std::fs::write(&ct_file, ours).unwrap();
    let mut args = vec!["pkeyutl", "-decrypt", "-inkey", pem, "-in", ct_file.to_str().unwrap()];
    args.extend(oaep);
    assert_eq!(openssl(&args), b"from us");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn generated_keys_pass_openssl_check() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("gen");
    let mut r = rng();
    let key = RsaPrivateKey::generate(&mut r, 2048).unwrap();
    let der = dir.join("key.der");
    std::fs::write(&der, key.to_pkcs1_der()).unwrap();
    let out = openssl(&["rsa", "-check", "-noout", "-inform", "DER", "-in", der.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&out).contains("RSA key ok"), "{}", String::from_utf8_lossy(&out));
    // And the 4096-bit fixed key loads and signs.
    let big = RsaPrivateKey::from_pkcs1_der(&std::fs::read(data("key4096.der")).unwrap()).unwrap();
    let sig = big.sign_pkcs1v15(&mut r, HashAlgorithm::Sha256, b"m").unwrap();
    big.public_key().verify_pkcs1v15(HashAlgorithm::Sha256, b"m", &sig).unwrap();
    assert!(RsaPublicKey::from_pkcs1_der(&big.public_key().to_pkcs1_der()).is_ok());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The hex dump after `label:` in `openssl pkey -text` output.
fn text_field(text: &str, label: &str) -> Vec<u8> {
    let start = text.find(label).unwrap() + label.len();
    let mut hex = String::new();
    for line in text[start..].lines().skip(1) {
        let t = line.trim();
        if t.is_empty() || !t.chars().all(|c| c.is_ascii_hexdigit() || c == ':') {
            break;
        }
        hex.extend(t.chars().filter(|c| *c != ':'));
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

#[test]
fn ffdh_matches_openssl() {
    if !have_openssl() {
        return;
    }
    let dir = scratch("dh");
    // Every named prime equals OpenSSL's.
    for (group, name) in Group::ALL.iter().zip([
        "ffdhe2048",
        "ffdhe3072",
        "ffdhe4096",
        "ffdhe6144",
        "ffdhe8192",
        "modp_2048",
        "modp_3072",
        "modp_4096",
        "modp_6144",
        "modp_8192",
    ]) {
        let params = dir.join("params.pem");
        let params_s = params.to_str().unwrap();
        openssl(&["genpkey", "-genparam", "-algorithm", "DH", "-pkeyopt", &format!("group:{name}"), "-out", params_s]);
        // `asn1parse` prints `... INTEGER :HEX` for p, then for g.
        let parsed = String::from_utf8(openssl(&["asn1parse", "-in", params_s])).unwrap();
        let line = parsed.lines().find(|l| l.contains("INTEGER")).unwrap();
        let hex = line.rsplit(':').next().unwrap();
        let p: Vec<u8> = (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect();
        assert_eq!(p, group.prime(), "{name}");
    }
    // Two OpenSSL keys: our computation from A's exponent and B's public
    // value gives OpenSSL's derived secret.
    let a = dir.join("a.pem");
    let b = dir.join("b.pem");
    let b_pub = dir.join("b_pub.pem");
    for k in [&a, &b] {
        openssl(&["genpkey", "-algorithm", "DH", "-pkeyopt", "group:ffdhe2048", "-out", k.to_str().unwrap()]);
    }
    openssl(&["pkey", "-in", b.to_str().unwrap(), "-pubout", "-out", b_pub.to_str().unwrap()]);
    let z = openssl(&["pkeyutl", "-derive", "-inkey", a.to_str().unwrap(), "-peerkey", b_pub.to_str().unwrap()]);
    let a_text = String::from_utf8(openssl(&["pkey", "-in", a.to_str().unwrap(), "-text", "-noout"])).unwrap();
    let b_text = String::from_utf8(openssl(&["pkey", "-in", b.to_str().unwrap(), "-text", "-noout"])).unwrap();
    let x_a = text_field(&a_text, "private-key:");
    let y_a = text_field(&a_text, "public-key:");
    let y_b = text_field(&b_text, "public-key:");
    let ours = DhPrivateKey::from_exponent(Group::FFDHE2048, &x_a).unwrap();
    let strip = |v: &[u8]| v.iter().skip_while(|&&b| b == 0).copied().collect::<Vec<u8>>();
    assert_eq!(strip(&ours.public_key()), strip(&y_a));
    let shared = ours.agree(&y_b).unwrap();
    assert_eq!(shared.len(), 256);
    assert_eq!(strip(&shared), strip(&z));
    std::fs::remove_dir_all(&dir).unwrap();
}
