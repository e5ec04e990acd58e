//! ML-KEM through the public API only: the typed and the run-time
//! interfaces agree, keys survive their byte encodings, tampered
//! ciphertexts give the implicit-rejection key, malformed keys give typed
//! errors. (The ACVP and Wycheproof files run in `vectors.rs`.)

use purecrypto::Error;
use purecrypto::hash::Shake256;
use purecrypto::mlkem::{ParameterSet, ml_kem_768};

#[test]
fn typed_and_runtime_interfaces_agree() {
    let seed = [0x42u8; 64];
    let (dk, ek) = ml_kem_768::generate_from_seed(&seed);
    let set = ParameterSet::from_name("ML-KEM-768").unwrap();
    let mut ek_bytes = vec![0u8; set.encapsulation_key_len()];
    let mut dk_bytes = vec![0u8; set.decapsulation_key_len()];
    set.generate_from_seed_into(&seed, &mut ek_bytes, &mut dk_bytes).unwrap();
    assert_eq!(&ek_bytes[..], &ek.as_bytes()[..]);
    assert_eq!(&dk_bytes[..], &dk.as_bytes()[..]);
    let mut ct = vec![0u8; set.ciphertext_len()];
    let ss = set.encapsulate_derand_into(&ek_bytes, &[9; 32], &mut ct).unwrap();
    let typed_ct = ml_kem_768::Ciphertext::from_bytes(&ct).unwrap();
    assert_eq!(dk.decapsulate(&typed_ct), ss);
}

#[test]
fn forged_ciphertext_gives_rejection_key() {
    let (dk, ek) = ml_kem_768::generate_from_seed(&[3; 64]);
    let (ct, ss) = ek.encapsulate_derand(&[4; 32]);
    let mut forged = *ct.as_bytes();
    forged[500] ^= 0x80;
    let got = dk.decapsulate(&ml_kem_768::Ciphertext::from_bytes(&forged).unwrap());
    let mut j = Shake256::new();
    j.update(&dk.seed().unwrap()[32..]);
    j.update(&forged);
    let mut want = [0u8; 32];
    j.finalize_xof().read(&mut want);
    assert_eq!(got.as_bytes(), &want);
    assert_ne!(got, ss);
}

#[test]
fn malformed_keys_are_typed_errors() {
    let set = ParameterSet::MlKem512;
    assert!(matches!(set.check_encapsulation_key(&[0; 799]), Err(Error::InvalidLength { .. })));
    assert!(matches!(set.check_encapsulation_key(&[0xff; 800]), Err(Error::InvalidKey { .. })));
    assert!(matches!(set.check_decapsulation_key(&[0; 1632]), Err(Error::InvalidKey { .. })));
    assert!(matches!(set.decapsulate(&[0; 10], &[0; 768]), Err(Error::InvalidLength { .. })));
}

/// Inputs on which a fuzz target once failed, replayed on every run.
#[test]
fn fuzz_regressions_replay() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/fuzz-regressions");
    let mut replayed = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let data = std::fs::read(&path).unwrap();
        if name.starts_with("mlkem_decaps-") {
            purecrypto::internal::fuzz_mlkem_decaps(&data);
            replayed += 1;
        }
    }
    assert!(replayed > 0, "no regression inputs found in {dir}");
}
