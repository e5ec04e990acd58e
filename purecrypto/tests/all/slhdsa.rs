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
