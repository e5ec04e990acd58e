//! Elliptic curves through the public API: proptest round trips (sign /
//! verify, point and key encodings), no-panic decoding of arbitrary
//! bytes, and interoperability with the `openssl` command line in both
//! directions (keys, signatures, ECDH).

use proptest::prelude::*;
use purecrypto::ec::ecdsa::{Signature, SigningKey, VerifyingKey};
use purecrypto::ec::{Curve, P256, P384, P521, PublicKey, Secp256k1, SecretKey, ecdh, sec1};
use purecrypto::hash::HashAlgorithm;

/// A valid private key from arbitrary bytes (top byte cleared so P-521's
/// 0x01ff-led order is respected; a zero key becomes 1).
fn key_from<C: Curve>(seed: &[u8]) -> SecretKey<C> {
    let len = <C::Scalar as purecrypto::ec::field::Field>::BYTES;
    let mut d: Vec<u8> = seed.iter().copied().cycle().take(len).collect();
    d[0] = 0;
    if d.iter().all(|&b| b == 0) {
        d[len - 1] = 1;
    }
    SecretKey::from_bytes(&d).unwrap()
}

fn sign_verify<C: Curve>(seed: &[u8], msg: &[u8]) -> Result<(), TestCaseError> {
    let key = SigningKey::from(key_from::<C>(seed));
    let vk = key.verifying_key();
    let sig = key.sign(HashAlgorithm::Sha256, msg).unwrap();
    prop_assert!(vk.verify(HashAlgorithm::Sha256, msg, &sig).is_ok());
    prop_assert_eq!(Signature::<C>::from_der(&sig.to_der()).unwrap(), sig);
    prop_assert_eq!(Signature::<C>::from_p1363(&sig.to_p1363()).unwrap(), sig);
    let mut other = msg.to_vec();
    other.push(1);
    prop_assert!(vk.verify(HashAlgorithm::Sha256, &other, &sig).is_err());
    Ok(())
}

fn encodings<C: Curve>(seed: &[u8]) -> Result<(), TestCaseError> {
    let secret = key_from::<C>(seed);
    let public = secret.public_key();
    for compress in [false, true] {
        prop_assert_eq!(PublicKey::<C>::from_sec1(&public.to_sec1(compress)).unwrap(), public);
    }
    prop_assert_eq!(sec1::decode_spki::<C>(&sec1::encode_spki(&public)).unwrap(), public);
    let der = sec1::encode_private_key(&secret);
    prop_assert_eq!(sec1::decode_private_key::<C>(&der).unwrap().to_bytes(), secret.to_bytes());
    Ok(())
}

fn no_panic<C: Curve>(data: &[u8]) {
    let _ = PublicKey::<C>::from_sec1(data);
    let _ = Signature::<C>::from_der(data);
    let _ = Signature::<C>::from_p1363(data);
    let _ = sec1::decode_private_key::<C>(data);
    let _ = sec1::decode_spki::<C>(data);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_verify_round_trip(seed in proptest::collection::vec(any::<u8>(), 1..80),
                              msg in proptest::collection::vec(any::<u8>(), 0..200)) {
        sign_verify::<P256>(&seed, &msg)?;
        sign_verify::<P384>(&seed, &msg)?;
        sign_verify::<P521>(&seed, &msg)?;
        sign_verify::<Secp256k1>(&seed, &msg)?;
    }

    #[test]
    fn encode_decode_round_trip(seed in proptest::collection::vec(any::<u8>(), 1..80)) {
        encodings::<P256>(&seed)?;
        encodings::<P384>(&seed)?;
        encodings::<P521>(&seed)?;
        encodings::<Secp256k1>(&seed)?;
    }

    #[test]
    fn ecdh_agrees(a in proptest::collection::vec(any::<u8>(), 1..80), b in proptest::collection::vec(any::<u8>(), 1..80)) {
        let (a, b) = (key_from::<P256>(&a), key_from::<P256>(&b));
        let ab = ecdh::diffie_hellman(&a, &b.public_key()).unwrap();
        let ba = ecdh::diffie_hellman(&b, &a.public_key()).unwrap();
        prop_assert_eq!(ab.as_bytes(), ba.as_bytes());
    }

    #[test]
    fn decoders_never_panic(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        no_panic::<P256>(&data);
        no_panic::<P384>(&data);
        no_panic::<P521>(&data);
        no_panic::<Secp256k1>(&data);
    }

    #[test]
    fn mutated_point_encodings_never_panic(seed in proptest::collection::vec(any::<u8>(), 1..40), at in 0usize..97, bit in 0u8..8) {
        let mut enc = key_from::<P384>(&seed).public_key().to_sec1(false);
        let i = at % enc.len();
        enc[i] ^= 1 << bit;
        // Either rejected or, if accepted, re-encodes to the same bytes.
        if let Ok(p) = PublicKey::<P384>::from_sec1(&enc) {
            prop_assert_eq!(p.to_sec1(false), enc);
        }
    }
}

/// Runs `openssl` with `args`, feeding `stdin`; `None` when openssl is
/// not installed (then the interop test says so and, in CI, fails).
fn openssl(args: &[&str], stdin: &[u8]) -> Option<Vec<u8>> {
    use std::io::Write;
    let mut child = std::process::Command::new("openssl")
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    Some(out.stdout)
}

fn openssl_available() -> bool {
    let found = std::process::Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !found {
        assert!(std::env::var_os("CI").is_none(), "openssl is required in CI for the EC interop test");
        eprintln!("SKIPPED: openssl not installed (EC interop)");
    }
    found
}

fn interop<C: Curve>(openssl_curve: &str, hash: HashAlgorithm, dgst: &str) {
    let dir = std::env::temp_dir().join(format!("purecrypto-ec-{}-{openssl_curve}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = |name: &str| dir.join(name).to_str().unwrap().to_string();

    // openssl key -> ours.
    let their_der = openssl(&["ecparam", "-name", openssl_curve, "-genkey", "-noout", "-outform", "DER"], b"").unwrap();
    let their = sec1::decode_private_key::<C>(&their_der).unwrap();
    // Our signature verifies in openssl, and theirs in ours.
    let msg = b"interop message";
    std::fs::write(path("msg"), msg).unwrap();
    std::fs::write(path("key.der"), &their_der).unwrap();
    let pub_der = sec1::encode_spki(&their.public_key());
    std::fs::write(path("pub.der"), &pub_der).unwrap();
    let ours = SigningKey::from(their.clone()).sign(hash, msg).unwrap();
    std::fs::write(path("ours.sig"), ours.to_der()).unwrap();
    let verified = openssl(
        &[dgst, "-verify", &path("pub.der"), "-keyform", "DER", "-signature", &path("ours.sig"), &path("msg")],
        b"",
    )
    .unwrap();
    assert!(String::from_utf8_lossy(&verified).contains("Verified OK"));
    let theirs = openssl(&[dgst, "-sign", &path("key.der"), "-keyform", "DER", &path("msg")], b"").unwrap();
    VerifyingKey::from(their.public_key()).verify_der(hash, msg, &theirs).unwrap();

    // Our key -> openssl, and ECDH agrees.
    let mine = key_from::<C>(b"our interop key");
    std::fs::write(path("mine.der"), sec1::encode_private_key(&mine).as_slice()).unwrap();
    let derived = openssl(
        &[
            "pkeyutl",
            "-derive",
            "-inkey",
            &path("mine.der"),
            "-keyform",
            "DER",
            "-peerkey",
            &path("pub.der"),
            "-peerform",
            "DER",
        ],
        b"",
    )
    .unwrap();
    assert_eq!(ecdh::diffie_hellman(&mine, &their.public_key()).unwrap().as_bytes(), derived.as_slice());
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn openssl_interop() {
    if !openssl_available() {
        return;
    }
    interop::<P256>("prime256v1", HashAlgorithm::Sha256, "sha256");
    interop::<P384>("secp384r1", HashAlgorithm::Sha384, "sha384");
    interop::<P521>("secp521r1", HashAlgorithm::Sha512, "sha512");
    interop::<Secp256k1>("secp256k1", HashAlgorithm::Sha256, "sha256");
}
