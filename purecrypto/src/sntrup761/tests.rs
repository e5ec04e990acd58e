use super::*;
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;
use proptest::prelude::*;

fn drbg(seed: u8) -> HmacDrbg {
    HmacDrbg::new(HashAlgorithm::Sha256, &[seed; 32], b"", b"sntrup761 test").unwrap()
}

#[test]
fn sizes_match_the_specification() {
    assert_eq!(PUBLIC_KEY_LEN, 1158);
    assert_eq!(SECRET_KEY_LEN, 1763);
    assert_eq!(CIPHERTEXT_LEN, 1039);
}

#[test]
fn round_trip_and_key_layout() {
    let mut rng = drbg(1);
    let (dk, ek) = generate(&mut rng).unwrap();
    assert_eq!(dk.encapsulation_key(), ek);
    assert_eq!(&dk.as_bytes()[382..382 + 1158], ek.as_bytes());
    // f decodes to a weight-w polynomial; 1/g times g is checked through
    // decryption working at all.
    let f = encode::small_decode(dk.as_bytes()[..191].try_into().unwrap());
    assert_eq!(f.iter().filter(|&&c| c != 0).count(), W);
    for _ in 0..3 {
        let (ct, k1) = ek.encapsulate(&mut rng).unwrap();
        assert_eq!(ct.as_bytes().len(), CIPHERTEXT_LEN);
        assert_eq!(dk.decapsulate(&ct), k1);
    }
    let dk2 = DecapsulationKey::from_bytes(dk.as_bytes()).unwrap();
    let (ct, k) = ek.encapsulate(&mut rng).unwrap();
    assert_eq!(dk2.decapsulate(&Ciphertext::from_bytes(ct.as_bytes()).unwrap()), k);
}

#[test]
fn tampered_ciphertexts_are_implicitly_rejected() {
    let mut rng = drbg(2);
    let (dk, ek) = generate(&mut rng).unwrap();
    let (ct, k) = ek.encapsulate(&mut rng).unwrap();
    let rho = &dk.as_bytes()[382 + 1158..382 + 1158 + 191];
    for at in [0, 500, 1006, 1007, 1038] {
        let mut bad = ct.as_bytes().to_vec();
        bad[at] ^= 0x01;
        let bad = Ciphertext::from_bytes(&bad).unwrap();
        let k_bad = dk.decapsulate(&bad);
        assert_ne!(k_bad, k, "{at}");
        // The rejection key is Hash_session(0, rho, C).
        assert_eq!(k_bad.as_bytes(), &hash_session(0, rho, bad.as_bytes()), "{at}");
    }
}

#[test]
fn lengths_are_checked() {
    assert!(EncapsulationKey::from_bytes(&[0; 1157]).is_err());
    assert!(DecapsulationKey::from_bytes(&[0; 1764]).is_err());
    assert!(Ciphertext::from_bytes(&[0; 1038]).is_err());
    assert!(Ciphertext::from_bytes(&[]).is_err());
}

#[test]
fn short_random_has_weight_w_and_small_random_is_small() {
    let mut rng = drbg(3);
    for _ in 0..4 {
        let s = short_random(&mut rng).unwrap();
        assert_eq!(s.iter().filter(|&&c| c != 0).count(), W);
        assert!(s.iter().all(|c| (-1..=1).contains(c)));
        let g = small_random(&mut rng).unwrap();
        assert!(g.iter().all(|c| (-1..=1).contains(c)));
    }
}

#[test]
fn debug_prints_no_secret() {
    let (dk, _) = generate(&mut drbg(4)).unwrap();
    assert_eq!(alloc::format!("{dk:?}"), "sntrup761::DecapsulationKey(..)");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(6))]

    #[test]
    fn any_public_key_bytes_encapsulate_and_any_ciphertext_decapsulates(
        pk in proptest::collection::vec(any::<u8>(), PUBLIC_KEY_LEN),
        ct in proptest::collection::vec(any::<u8>(), CIPHERTEXT_LEN),
        seed in any::<u8>(),
    ) {
        let ek = EncapsulationKey::from_bytes(&pk).unwrap();
        let mut rng = drbg(seed);
        prop_assert!(ek.encapsulate(&mut rng).is_ok());
        let (dk, ek) = generate(&mut rng).unwrap();
        let ct = Ciphertext::from_bytes(&ct).unwrap();
        let _ = dk.decapsulate(&ct);
        let (ct, k) = ek.encapsulate(&mut rng).unwrap();
        prop_assert_eq!(dk.decapsulate(&ct), k);
    }
}
