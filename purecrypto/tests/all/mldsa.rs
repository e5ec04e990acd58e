//! ML-DSA (FIPS 204) through the public API: every ACVP and Wycheproof
//! file copied under `tests/data` (counts printed per file), round trips
//! with proptest, and tampering.

use std::path::Path;

use proptest::prelude::*;
use purecrypto::mldsa::{MlDsa44, MlDsa65, ParameterSet, Signature, SigningKey, VerifyingKey};

fn run(rel: &str) -> purecrypto::vectors::Report {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(rel);
    let report = purecrypto::vectors::run_file(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
    eprintln!("{rel}: {report}");
    assert_eq!(report.failed, 0, "{rel}: {report}\n  {}", report.failures.join("\n  "));
    assert_eq!(report.skipped, 0, "{rel}: {report}");
    assert!(report.passed > 0, "{rel}: nothing ran");
    report
}

#[test]
fn acvp_ml_dsa_key_gen() {
    assert_eq!(run("acvp/ML-DSA-keyGen-FIPS204/internalProjection.json").passed, 75);
}

#[test]
fn acvp_ml_dsa_sig_gen_with_expected_results() {
    assert_eq!(run("acvp/ML-DSA-sigGen-FIPS204/prompt.json").passed, 360);
}

#[test]
fn acvp_legacy_ml_dsa_sig_gen() {
    run("acvp-legacy/ML-DSA-sigGen-FIPS204/internalProjection.json");
}

#[test]
fn wycheproof_ml_dsa() {
    for file in [
        "mldsa_44_sign_noseed_test.json",
        "mldsa_44_sign_seed_test.json",
        "mldsa_44_verify_test.json",
        "mldsa_65_sign_seed_test.json",
        "mldsa_65_verify_test.json",
        "mldsa_87_sign_noseed_test.json",
        "mldsa_87_sign_seed_test.json",
        "mldsa_87_verify_test.json",
    ] {
        run(&format!("wycheproof/{file}"));
    }
}

fn tamper<P: ParameterSet>(seed: [u8; 32], msg: &[u8], flip: usize) {
    let sk = SigningKey::<P>::from_seed(&seed);
    let vk = sk.verifying_key();
    let sig = sk.sign_deterministic(msg, b"").unwrap();
    vk.verify(msg, b"", &sig).unwrap();
    let mut bytes = sig.to_vec();
    let at = flip % bytes.len();
    bytes[at] ^= 1 << (flip % 8);
    if let Ok(bad) = Signature::<P>::from_bytes(&bytes) {
        assert!(vk.verify(msg, b"", &bad).is_err());
    }
    let mut pk = vk.as_bytes().to_vec();
    let n = pk.len();
    pk[flip % n] ^= 1;
    let bad_vk = VerifyingKey::<P>::from_bytes(&pk).unwrap();
    assert!(bad_vk.verify(msg, b"", &sig).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(8))]

    #[test]
    fn ml_dsa_44_sign_verify_and_tamper(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..200), flip in any::<usize>()) {
        tamper::<MlDsa44>(seed, &msg, flip);
    }

    #[test]
    fn ml_dsa_65_sign_verify_and_tamper(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..200), flip in any::<usize>()) {
        tamper::<MlDsa65>(seed, &msg, flip);
    }

    #[test]
    fn ml_dsa_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..5000)) {
        let _ = Signature::<MlDsa44>::from_bytes(&bytes);
        let _ = SigningKey::<MlDsa44>::from_bytes(&bytes);
        if let Ok(vk) = VerifyingKey::<MlDsa44>::from_bytes(&bytes) {
            let _ = vk.verify(b"m", b"", &Signature::<MlDsa44>::from_bytes(&[0; 2420]).unwrap());
        }
    }
}
