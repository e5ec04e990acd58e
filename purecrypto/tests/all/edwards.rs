//! Property tests for X25519, X448, Ed25519, Ed448 and ristretto255:
//! key agreement is symmetric, signatures verify and any single-bit change
//! is rejected, encodings round-trip, and decoders never panic on
//! arbitrary bytes.

use proptest::prelude::*;
use purecrypto::ristretto255::{RistrettoPoint, Scalar};
use purecrypto::{ed448, ed25519, x448, x25519};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn x25519_agreement_is_symmetric(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        let (a, b) = (x25519::PrivateKey::from_bytes(a), x25519::PrivateKey::from_bytes(b));
        let ab = a.diffie_hellman(&b.public_key()).unwrap();
        let ba = b.diffie_hellman(&a.public_key()).unwrap();
        prop_assert_eq!(ab.as_bytes(), ba.as_bytes());
        prop_assert_eq!(a.public_key().to_bytes(), x25519::x25519(&a.to_bytes(), &x25519::BASEPOINT));
    }

    #[test]
    fn x448_agreement_is_symmetric(a in any::<[u8; 32]>(), b in any::<[u8; 32]>()) {
        let widen = |k: [u8; 32]| { let mut w = [0x5a; 56]; w[..32].copy_from_slice(&k); w };
        let (a, b) = (x448::PrivateKey::from_bytes(widen(a)), x448::PrivateKey::from_bytes(widen(b)));
        let ab = a.diffie_hellman(&b.public_key()).unwrap();
        let ba = b.diffie_hellman(&a.public_key()).unwrap();
        prop_assert_eq!(ab.as_bytes(), ba.as_bytes());
    }

    #[test]
    fn ed25519_round_trip(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..200), bit in 0usize..512) {
        let key = ed25519::SigningKey::from_seed(&seed);
        let vk = ed25519::VerifyingKey::from_bytes(&key.verifying_key().to_bytes()).unwrap();
        let sig = key.sign(&msg);
        prop_assert_eq!(vk.verify(&msg, &sig), Ok(()));
        let sig_bytes = ed25519::Signature::from_slice(&sig.to_bytes()).unwrap();
        prop_assert_eq!(sig_bytes, sig);
        let mut flipped = sig.to_bytes();
        flipped[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(vk.verify(&msg, &ed25519::Signature::from_bytes(&flipped)).is_err());
        let ph = key.sign_prehashed(b"ctx", &msg).unwrap();
        prop_assert_eq!(vk.verify_prehashed(b"ctx", &msg, &ph), Ok(()));
        let ctx = key.sign_ctx(b"ctx", &msg).unwrap();
        prop_assert_eq!(vk.verify_ctx(b"ctx", &msg, &ctx), Ok(()));
        prop_assert!(vk.verify(&msg, &ctx).is_err());
    }

    #[test]
    fn ed448_round_trip(seed in any::<[u8; 32]>(), msg in proptest::collection::vec(any::<u8>(), 0..200), bit in 0usize..912) {
        let mut s = [0u8; 57];
        s[..32].copy_from_slice(&seed);
        let key = ed448::SigningKey::from_seed(&s);
        let vk = ed448::VerifyingKey::from_bytes(&key.verifying_key().to_bytes()).unwrap();
        let sig = key.sign(b"", &msg).unwrap();
        prop_assert_eq!(vk.verify(b"", &msg, &sig), Ok(()));
        let mut flipped = sig.to_bytes();
        flipped[bit / 8] ^= 1 << (bit % 8);
        prop_assert!(vk.verify(b"", &msg, &ed448::Signature::from_bytes(&flipped)).is_err());
    }

    #[test]
    fn ristretto_round_trip(wide in any::<[u8; 64]>(), uniform in any::<[u8; 64]>()) {
        let s = Scalar::from_bytes_mod_order_wide(&wide);
        let p = RistrettoPoint::mul_base(&s);
        prop_assert_eq!(RistrettoPoint::from_bytes(&p.to_bytes()).unwrap(), p);
        let h = RistrettoPoint::from_uniform_bytes(&uniform);
        prop_assert_eq!(RistrettoPoint::from_bytes(&h.to_bytes()).unwrap(), h);
        prop_assert_eq!(Scalar::from_canonical_bytes(&s.to_bytes()).unwrap(), s);
    }

    #[test]
    fn decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        purecrypto::internal::fuzz_edwards_decode_verify(&bytes);
        if let Ok(b) = <[u8; 32]>::try_from(&bytes[..bytes.len().min(32)]) {
            if let Ok(p) = RistrettoPoint::from_bytes(&b) {
                prop_assert_eq!(p.to_bytes(), b);
            }
            if let Ok(k) = ed25519::VerifyingKey::from_bytes(&b) {
                prop_assert_eq!(k.to_bytes(), b);
            }
        }
    }
}
