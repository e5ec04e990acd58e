//! Unit tests of the public SLH-DSA API on the fast 128-bit sets.

use alloc::format;

use super::*;

fn round_trip<P: ParameterSet>() {
    let n = P::N;
    let sk = SigningKey::<P>::from_seeds(&[1; 32][..n], &[2; 32][..n], &[3; 32][..n]).unwrap();
    let vk = sk.verifying_key();
    let sig = sk.sign_deterministic(b"msg", b"ctx").unwrap();
    assert_eq!(sig.as_bytes().len(), P::SIGNATURE_LEN);
    vk.verify(b"msg", b"ctx", &sig).unwrap();
    assert_eq!(vk.verify(b"msg", b"ctX", &sig), Err(Error::VerificationFailed));
    for i in [0, n, P::SIGNATURE_LEN / 2, P::SIGNATURE_LEN - 1] {
        let mut bad = sig.as_bytes().to_vec();
        bad[i] ^= 0x10;
        let bad = Signature::<P>::from_bytes(&bad).unwrap();
        assert!(vk.verify(b"msg", b"ctx", &bad).is_err(), "byte {i}");
    }
    let hs = sk.hash_sign_deterministic(PreHash::Sha256, b"msg", b"").unwrap();
    vk.hash_verify(PreHash::Sha256, b"msg", b"", &hs).unwrap();
    assert!(vk.verify(b"msg", b"", &hs).is_err());
}

#[test]
fn sha2_128f_round_trip() {
    round_trip::<SlhDsaSha2_128f>();
}

#[test]
fn shake_128f_round_trip() {
    round_trip::<SlhDsaShake128f>();
}

#[test]
fn lengths_are_checked_and_debug_hides_the_key() {
    assert!(matches!(Signature::<SlhDsaSha2_128f>::from_bytes(&[0; 17087]), Err(Error::InvalidLength { .. })));
    assert!(matches!(VerifyingKey::<SlhDsaSha2_128f>::from_bytes(&[0; 33]), Err(Error::InvalidLength { .. })));
    assert!(matches!(SigningKey::<SlhDsaSha2_128f>::from_bytes(&[0; 63]), Err(Error::InvalidLength { .. })));
    let sk = SigningKey::<SlhDsaSha2_128f>::from_bytes(&[0xaa; 64]).unwrap();
    assert_eq!(format!("{sk:?}"), "SigningKey<SLH-DSA-SHA2-128f> { .. }");
    assert!(matches!(sk.sign_internal(b"m", Some(&[0; 15])), Err(Error::InvalidLength { .. })));
}
