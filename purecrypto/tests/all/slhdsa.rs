//! SLH-DSA (FIPS 205) through the public API: the ACVP files copied under
//! `tests/data` (counts printed per file), round trips and tampering.
//!
//! The upstream sigGen `prompt.json` (under `tests/data/acvp-slhdsa`, kept
//! out of the generic `acvp` walk) carries no expected signatures: each
//! case signs and then verifies with our own verification (see
//! `purecrypto::vectors::slhdsa`). Its "f" groups run here; the slow "s"
//! groups run in [`acvp_slh_dsa_sig_gen_small_sets`], ignored by default
//! and run by a separate CI step
//! (`cargo test --test all -- --ignored acvp_slh_dsa_sig_gen_small_sets`).

use std::path::Path;

use proptest::prelude::*;
use purecrypto::slhdsa::{Signature, SigningKey, SlhDsaSha2_128f, SlhDsaShake128f, VerifyingKey};
use purecrypto::vectors::json::{self, Value};
use purecrypto::vectors::{Outcome, slhdsa};

fn data(rel: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel)
}

/// Runs the groups of the sigGen prompt selected by `slow`, asserting
/// that every case passes; returns the number of cases run. The cases are
/// independent, so they are spread over every core (`crate::parallel`):
/// the "s" sets take minutes on one.
fn sig_gen_groups(slow: bool) -> usize {
    let text = std::fs::read_to_string(data("acvp-slhdsa/SLH-DSA-sigGen-FIPS205/prompt.json")).unwrap();
    let doc = json::parse(&text).unwrap();
    let revision = doc.get("revision").and_then(Value::as_str).unwrap();
    let cases: Vec<(&Value, &Value)> = doc
        .get("testGroups")
        .and_then(Value::as_array)
        .unwrap()
        .iter()
        .filter(|group| slhdsa::is_slow_group(group) == slow)
        .flat_map(|group| group.get("tests").and_then(Value::as_array).unwrap().iter().map(move |test| (group, test)))
        .collect();
    let failures: Vec<String> = crate::parallel::map(&cases, |&(group, test)| {
        let outcome = slhdsa::acvp(revision, group, test);
        (outcome != Outcome::Pass).then(|| format!("tcId {:?}: {outcome:?}", test.get("tcId")))
    })
    .into_iter()
    .flatten()
    .collect();
    let ran = cases.len();
    eprintln!(
        "SLH-DSA-sigGen-FIPS205/prompt.json ({} sets): {ran} cases, {} failed",
        if slow { "s" } else { "f" },
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    ran
}

#[test]
fn acvp_slh_dsa_sig_gen_fast_sets() {
    assert_eq!(sig_gen_groups(false), 312);
}

#[test]
#[ignore = "slow (about a minute optimised): run by the purecrypto CI step for SLH-DSA s sets"]
fn acvp_slh_dsa_sig_gen_small_sets() {
    assert_eq!(sig_gen_groups(true), 312);
}

#[test]
fn acvp_legacy_slh_dsa_sig_ver() {
    let rel = "acvp-legacy/SLH-DSA-sigVer-FIPS205/internalProjection.json";
    let report = purecrypto::vectors::run_file(&data(rel)).unwrap();
    eprintln!("{rel}: {report}");
    assert_eq!((report.failed, report.skipped), (0, 0), "{report}\n{}", report.failures.join("\n"));
    assert!(report.passed > 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4))]

    #[test]
    fn sha2_128f_round_trip_and_tamper(seeds in any::<[u8; 48]>(), msg in proptest::collection::vec(any::<u8>(), 0..100), flip in any::<usize>()) {
        let sk = SigningKey::<SlhDsaSha2_128f>::from_seeds(&seeds[..16], &seeds[16..32], &seeds[32..]).unwrap();
        let vk = sk.verifying_key();
        let sig = sk.sign_deterministic(&msg, b"").unwrap();
        vk.verify(&msg, b"", &sig).unwrap();
        let mut bytes = sig.as_bytes().to_vec();
        let n = bytes.len();
        bytes[flip % n] ^= 1 << (flip % 8);
        let bad = Signature::<SlhDsaSha2_128f>::from_bytes(&bytes).unwrap();
        prop_assert!(vk.verify(&msg, b"", &bad).is_err());
    }

    #[test]
    fn shake_128f_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..100)) {
        let _ = SigningKey::<SlhDsaShake128f>::from_bytes(&bytes);
        if let Ok(vk) = VerifyingKey::<SlhDsaShake128f>::from_bytes(&bytes) {
            let sig = Signature::<SlhDsaShake128f>::from_bytes(&[0; 17088]).unwrap();
            prop_assert!(vk.verify(b"m", b"", &sig).is_err());
        }
    }
}

/// The header and content lengths of the DER element at the start of
/// `der` (short and one- or two-byte long forms: enough for this file).
fn tlv(der: &[u8]) -> (usize, usize) {
    match der[1] {
        n @ 0..=0x7f => (2, usize::from(n)),
        0x81 => (3, usize::from(der[2])),
        0x82 => (4, usize::from(u16::from_be_bytes([der[2], der[3]]))),
        other => panic!("length form {other:#x}"),
    }
}

/// The LAMPS working group's example SLH-DSA-SHA2-128s self-signed
/// certificate (RFC 9909's repository, `tests/data/lamps`), made by an
/// implementation other than ours: its SubjectPublicKeyInfo loads and
/// re-encodes to the same bytes, and its signature over the TBS
/// certificate verifies (pure SLH-DSA, empty context, as RFC 9909 says).
#[test]
fn lamps_example_certificate_key_and_signature() {
    let pem = std::fs::read(data("lamps/id-slh-dsa-sha2-128s.pem")).unwrap();
    let der = &purecrypto::x509::pem_certificates(&pem).unwrap()[0];
    let (h, len) = tlv(der);
    assert_eq!(h + len, der.len());
    let body = &der[h..];
    let (th, tl) = tlv(body);
    let tbs = &body[..th + tl];
    let rest = &body[th + tl..];
    let (ah, al) = tlv(rest);
    let oid = purecrypto::asn1::oid::SLH_DSA_SHA2_128S;
    assert_eq!(&rest[..ah + al], [&[0x30, 0x0b, 0x06, 0x09][..], oid].concat(), "signatureAlgorithm");
    let bits = &rest[ah + al..];
    let (bh, bl) = tlv(bits);
    assert_eq!((bits[0], bits[bh], bh + bl), (0x03, 0, bits.len()), "signature BIT STRING");
    let signature = &bits[bh + 1..];
    assert_eq!(signature.len(), 7856);

    // SEQUENCE { SEQUENCE { OID } BIT STRING (0 unused bits, 32 bytes) }.
    let spki_head = [&[0x30, 0x30, 0x30, 0x0b, 0x06, 0x09][..], oid, &[0x03, 0x21, 0x00]].concat();
    let at = tbs.windows(spki_head.len()).position(|w| w == spki_head).expect("SLH-DSA SPKI in the TBS");
    let spki = &tbs[at..at + 50];
    let key = purecrypto::pkey::PublicKey::from_spki_der(spki).unwrap();
    assert_eq!(key.to_spki_der(), spki);
    key.verify(tbs, b"", signature).unwrap();

    let mut tampered = tbs.to_vec();
    *tampered.last_mut().unwrap() ^= 1;
    assert!(key.verify(&tampered, b"", signature).is_err());
    assert!(key.verify(tbs, b"ctx", signature).is_err(), "a context changes the message");
}
