//! Round trips, implicit rejection, key checks and `Debug` redaction for
//! the three parameter sets (known answers live in the ACVP / Wycheproof
//! files under `tests/data`, run by `tests/all/vectors.rs`).

use super::*;
use crate::hash::Shake256;
use proptest::prelude::*;

/// J(z || c), computed here independently of `kem.rs`.
fn rejection_key(dk: &[u8], ct: &[u8]) -> [u8; 32] {
    let mut j = Shake256::new();
    j.update(&dk[dk.len() - 32..]);
    j.update(ct);
    let mut out = [0u8; 32];
    j.finalize_xof().read(&mut out);
    out
}

macro_rules! per_set_tests {
    ($name:ident, $module:ident, $set:expr) => {
        mod $name {
            use super::*;
            use crate::mlkem::$module::*;

            #[test]
            fn round_trip_and_seed_forms() {
                let seed: [u8; 64] = core::array::from_fn(|i| i as u8);
                let (dk, ek) = generate_from_seed(&seed);
                assert_eq!(dk.seed(), Some(&seed));
                assert_eq!(dk.encapsulation_key(), ek);
                let (ct, ss) = ek.encapsulate_derand(&[5; 32]);
                assert_eq!(dk.decapsulate(&ct), ss);
                // The expanded form decodes to the same key, without a seed.
                let dk2 = DecapsulationKey::from_bytes(dk.as_bytes()).unwrap();
                assert_eq!(dk2.seed(), None);
                assert_eq!(dk2.decapsulate(&ct), ss);
                assert_eq!(DecapsulationKey::from_seed(&seed).as_bytes(), dk.as_bytes());
                // The run-time API agrees with the typed one.
                let mut ek_b = [0u8; ENCAPSULATION_KEY_LEN];
                let mut dk_b = [0u8; DECAPSULATION_KEY_LEN];
                $set.generate_from_seed_into(&seed, &mut ek_b, &mut dk_b).unwrap();
                assert_eq!(&ek_b, ek.as_bytes());
                assert_eq!(&dk_b, dk.as_bytes());
                let mut ct_b = [0u8; CIPHERTEXT_LEN];
                let ss_b = $set.encapsulate_derand_into(&ek_b, &[5; 32], &mut ct_b).unwrap();
                assert_eq!((&ct_b, &ss_b), (ct.as_bytes(), &ss));
                assert_eq!($set.decapsulate(&dk_b, &ct_b).unwrap(), ss);
            }

            #[test]
            fn kept_key_material_equals_decoded() {
                // What key generation keeps is exactly what decoding the
                // expanded bytes (and sampling from rho) gives.
                for seed in [[0u8; 64], [0xff; 64], core::array::from_fn(|i| (i * 37) as u8)] {
                    let (dk, _) = generate_from_seed(&seed);
                    let decoded = DecapsulationKey::from_bytes(dk.as_bytes()).unwrap();
                    let (a, b) = (dk.pke(), decoded.pke());
                    assert!(a.s_hat == b.s_hat && a.t_hat == b.t_hat && a.a_t == b.a_t);
                    assert!(
                        a.s_hat
                            .iter()
                            .chain(&a.t_hat)
                            .chain(a.a_t.as_flattened())
                            .all(|p| p.c.iter().all(|&c| (0..3329).contains(&c)))
                    );
                    let mut fresh = kpke::Expanded::zero();
                    let p = $set.params();
                    let bytes = dk.as_bytes();
                    fresh.fill_from(&bytes[..p.dk_pke_len()], &bytes[p.dk_pke_len()..p.dk_pke_len() + p.ek_len()]);
                    assert!(fresh.a_t == a.a_t && fresh.s_hat == a.s_hat);
                }
            }

            #[test]
            fn tampered_ciphertexts_give_the_rejection_key() {
                let (dk, ek) = generate_from_seed(&[0x33; 64]);
                let (ct, ss) = ek.encapsulate_derand(&[0x44; 32]);
                for (at, bit) in [(0, 0), (1, 7), (CIPHERTEXT_LEN / 2, 3), (CIPHERTEXT_LEN - 1, 7)] {
                    let mut bytes = *ct.as_bytes();
                    bytes[at] ^= 1 << bit;
                    let forged = Ciphertext::from_bytes(&bytes).unwrap();
                    let got = dk.decapsulate(&forged);
                    assert_ne!(got, ss, "byte {at}");
                    assert_eq!(got.as_bytes(), &rejection_key(dk.as_bytes(), &bytes), "byte {at}");
                }
                // An honest ciphertext does not give the rejection key.
                assert_ne!(ss.as_bytes(), &rejection_key(dk.as_bytes(), ct.as_bytes()));
            }

            #[test]
            fn malformed_inputs_are_typed_errors() {
                let (dk, ek) = generate_from_seed(&[1; 64]);
                let short = &ek.as_bytes()[..ENCAPSULATION_KEY_LEN - 1];
                assert!(matches!(EncapsulationKey::from_bytes(short), Err(Error::InvalidLength { .. })));
                // Coefficient 0 = 4095 (>= q) fails the modulus check.
                let mut bad = *ek.as_bytes();
                bad[0] = 0xff;
                bad[1] |= 0x0f;
                assert!(matches!(EncapsulationKey::from_bytes(&bad), Err(Error::InvalidKey { .. })));
                let mut ct = [0u8; CIPHERTEXT_LEN];
                assert!(matches!($set.encapsulate_derand_into(&bad, &[0; 32], &mut ct), Err(Error::InvalidKey { .. })));
                // Exactly q is rejected too; q - 1 is accepted.
                let mut edge = *ek.as_bytes();
                edge[0] = 0x01; // 3329 = 0xd01
                edge[1] = (edge[1] & 0xf0) | 0x0d;
                assert!(EncapsulationKey::from_bytes(&edge).is_err());
                edge[0] = 0x00;
                assert!(EncapsulationKey::from_bytes(&edge).is_ok());
                // A flipped bit in the embedded ek fails the hash check.
                let mut dk_bad = *dk.as_bytes();
                dk_bad[DECAPSULATION_KEY_LEN - 64 - 10] ^= 1;
                assert!(matches!(DecapsulationKey::from_bytes(&dk_bad), Err(Error::InvalidKey { .. })));
                dk_bad = *dk.as_bytes();
                dk_bad[DECAPSULATION_KEY_LEN - 40] ^= 1; // inside H(ek)
                assert!(matches!(DecapsulationKey::from_bytes(&dk_bad), Err(Error::InvalidKey { .. })));
                assert!(matches!(DecapsulationKey::from_bytes(&dk.as_bytes()[1..]), Err(Error::InvalidLength { .. })));
                assert!(matches!(Ciphertext::from_bytes(&[0; 3]), Err(Error::InvalidLength { .. })));
                assert!($set.decapsulate(dk.as_bytes(), &[0; 3]).is_err());
            }

            #[test]
            fn debug_prints_no_secrets() {
                let (dk, ek) = generate_from_seed(&[0xab; 64]);
                let (_, ss) = ek.encapsulate_derand(&[0xcd; 32]);
                let shown = alloc::format!("{dk:?} {ss:?}");
                assert!(!shown.contains("ab") && !shown.contains("171"), "{shown}");
                assert!(shown.contains("{ .. }"));
            }

            proptest! {
                #![proptest_config(ProptestConfig::with_cases(24))]
                #[test]
                fn encaps_decaps_round_trip(seed in proptest::array::uniform32(any::<u8>()),
                                            z in proptest::array::uniform32(any::<u8>()),
                                            m in proptest::array::uniform32(any::<u8>())) {
                    let mut full = [0u8; 64];
                    full[..32].copy_from_slice(&seed);
                    full[32..].copy_from_slice(&z);
                    let (dk, ek) = generate_from_seed(&full);
                    prop_assert!(EncapsulationKey::from_bytes(ek.as_bytes()).is_ok());
                    let (ct, ss) = ek.encapsulate_derand(&m);
                    prop_assert_eq!(dk.decapsulate(&ct), ss);
                }
            }
        }
    };
}

per_set_tests!(set_512, ml_kem_512, ParameterSet::MlKem512);
per_set_tests!(set_768, ml_kem_768, ParameterSet::MlKem768);
per_set_tests!(set_1024, ml_kem_1024, ParameterSet::MlKem1024);

#[test]
fn names_and_lengths() {
    assert_eq!(ParameterSet::from_name("ML-KEM-768"), Some(ParameterSet::MlKem768));
    assert_eq!(ParameterSet::from_name("mlkem1024"), Some(ParameterSet::MlKem1024));
    assert_eq!(ParameterSet::from_name("ml_kem_512"), Some(ParameterSet::MlKem512));
    assert_eq!(ParameterSet::from_name("ML-KEM-769"), None);
    assert_eq!(ParameterSet::from_name("ML-KEM-768-and-a-very-long-suffix"), None);
    for set in ParameterSet::ALL {
        let p = set.params();
        assert_eq!(p.ek_len_text().parse::<usize>().unwrap(), p.ek_len());
        assert_eq!(p.dk_len_text().parse::<usize>().unwrap(), p.dk_len());
        assert_eq!(p.ct_len_text().parse::<usize>().unwrap(), p.ct_len());
    }
}

#[cfg(feature = "std")]
#[test]
fn generate_with_a_generator() {
    let mut rng = crate::rng::OsRng;
    let (dk, ek) = ml_kem_512::generate(&mut rng).unwrap();
    let (ct, ss) = ek.encapsulate(&mut rng).unwrap();
    assert_eq!(dk.decapsulate(&ct), ss);
    let mut ct2 = [0u8; 768];
    let ss2 = ParameterSet::MlKem512.encapsulate_into(ek.as_bytes(), &mut rng, &mut ct2).unwrap();
    assert_eq!(ParameterSet::MlKem512.decapsulate(dk.as_bytes(), &ct2).unwrap(), ss2);
}
