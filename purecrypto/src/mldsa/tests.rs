//! Unit tests of the public ML-DSA API: round trips, tampering, encodings.

use alloc::format;

use super::*;

struct CountingRng(u8);

impl RngCore for CountingRng {
    fn fill_bytes(&mut self, dest: &mut [u8]) {
        for b in dest {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

fn round_trip<P: ParameterSet>() {
    let sk = SigningKey::<P>::from_seed(&[42; 32]);
    let vk = sk.verifying_key();
    let sig = sk.sign(b"msg", b"ctx", &mut CountingRng(0)).unwrap();
    vk.verify(b"msg", b"ctx", &sig).unwrap();
    assert_eq!(vk.verify(b"msg", b"ctY", &sig), Err(Error::VerificationFailed));
    // Decoding the expanded key gives the same key and public key.
    let sk2 = SigningKey::<P>::from_bytes(sk.as_bytes()).unwrap();
    assert_eq!(sk2.verifying_key(), vk);
    let det = sk2.sign_deterministic(b"msg", b"").unwrap();
    assert_eq!(det, sk.sign_deterministic(b"msg", b"").unwrap());
    vk.verify(b"msg", b"", &det).unwrap();
    // Every tampered byte of the signature is rejected.
    for i in (0..P::SIGNATURE_LEN).step_by(97) {
        let mut bad = sig.to_vec();
        bad[i] ^= 1;
        if let Ok(bad) = Signature::<P>::from_bytes(&bad) {
            assert!(vk.verify(b"msg", b"ctx", &bad).is_err(), "byte {i}");
        }
    }
    let hs = sk.hash_sign_deterministic(PreHash::Sha3_256, b"msg", b"c").unwrap();
    vk.hash_verify(PreHash::Sha3_256, b"msg", b"c", &hs).unwrap();
    assert!(vk.hash_verify(PreHash::Sha256, b"msg", b"c", &hs).is_err());
    assert!(vk.verify(b"msg", b"c", &hs).is_err());
    let mu = vk.compute_mu(b"msg", b"ctx").unwrap();
    vk.verify_mu(&mu, &sig).unwrap();
}

#[test]
fn ml_dsa_44_round_trip() {
    round_trip::<MlDsa44>();
}

#[test]
fn ml_dsa_65_round_trip() {
    round_trip::<MlDsa65>();
}

#[test]
fn ml_dsa_87_round_trip() {
    round_trip::<MlDsa87>();
}

#[test]
fn bad_lengths_and_contexts_are_typed_errors() {
    let sk = SigningKey::<MlDsa44>::from_seed(&[1; 32]);
    assert!(matches!(sk.sign_deterministic(b"m", &[0; 256]), Err(Error::InvalidLength { .. })));
    assert!(matches!(SigningKey::<MlDsa44>::from_bytes(&[0; 2559]), Err(Error::InvalidLength { .. })));
    assert!(matches!(VerifyingKey::<MlDsa44>::from_bytes(&[0; 1313]), Err(Error::InvalidLength { .. })));
    assert!(matches!(Signature::<MlDsa44>::from_bytes(&[0; 2419]), Err(Error::InvalidLength { .. })));
    let mut sig = [0u8; 2420];
    sig[2420 - 4] = 1; // a hint count with no index written, then fewer
    assert!(matches!(Signature::<MlDsa44>::from_bytes(&sig), Err(Error::Malformed { .. })));
    let mut sk_bytes = sk.as_bytes().to_vec();
    sk_bytes[128] = 0xff; // s1 coefficients 2 - 7 = -5
    assert!(matches!(SigningKey::<MlDsa44>::from_bytes(&sk_bytes), Err(Error::InvalidKey { .. })));
}

#[test]
fn debug_prints_no_secrets() {
    let sk = SigningKey::<MlDsa65>::from_seed(&[0xab; 32]);
    assert_eq!(format!("{sk:?}"), "SigningKey<ML-DSA-65> { .. }");
}
