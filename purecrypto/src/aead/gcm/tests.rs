//! GCM known answers, error paths and backend agreement.

use super::*;
use crate::aead::Aead;
use alloc::{format, vec};
use hex_literal::hex;
use proptest::prelude::*;

#[test]
fn mcgrew_viega_cases_1_and_2() {
    let gcm = AesGcm::new(&[0; 16]).unwrap();
    let tag = gcm.encrypt_in_place_detached(&[0; 12], b"", &mut []).unwrap();
    assert_eq!(tag.as_bytes(), hex!("58e2fccefa7e3061367f1d57a4e7455a"));
    let mut buf = [0u8; 16];
    let tag = gcm.encrypt_in_place_detached(&[0; 12], b"", &mut buf).unwrap();
    assert_eq!(buf, hex!("0388dace60b6a392f328c2b971b2fe78"));
    assert_eq!(tag.as_bytes(), hex!("ab6e47d42cec13bdf53a67b21257bddf"));
    gcm.decrypt_in_place_detached(&[0; 12], b"", &mut buf, tag.as_bytes()).unwrap();
    assert_eq!(buf, [0; 16]);
}

#[test]
fn tampering_is_rejected_and_buffer_zeroed() {
    let gcm = AesGcm::new(&[3; 32]).unwrap();
    let sealed = gcm.encrypt(&[1; 12], b"aad", b"attack at dawn").unwrap();
    for i in 0..sealed.len() {
        let mut bad = sealed.clone();
        bad[i] ^= 0x80;
        let mut body = bad[..bad.len() - 16].to_vec();
        let err = gcm.decrypt_in_place_detached(&[1; 12], b"aad", &mut body, &bad[bad.len() - 16..]).unwrap_err();
        assert_eq!(err, Error::VerificationFailed);
        assert!(body.iter().all(|&b| b == 0));
    }
    assert_eq!(gcm.decrypt(&[1; 12], b"aad", &sealed).unwrap(), b"attack at dawn");
    assert_eq!(gcm.decrypt(&[1; 12], b"aaD", &sealed), Err(Error::VerificationFailed));
}

#[test]
fn bad_lengths_are_typed_errors() {
    assert!(matches!(AesGcm::new(&[0; 20]), Err(Error::InvalidLength { what: "AES key", .. })));
    assert!(matches!(AesGcm::with_tag_len(&[0; 16], 11), Err(Error::InvalidLength { what: "GCM tag", .. })));
    let gcm = AesGcm::new(&[0; 16]).unwrap();
    assert!(matches!(gcm.encrypt(&[], b"", b"x"), Err(Error::InvalidLength { what: "GCM nonce", .. })));
    assert!(matches!(
        gcm.decrypt_in_place_detached(&[0; 12], b"", &mut [], &[0; 12]),
        Err(Error::InvalidLength { what: "GCM tag", .. })
    ));
    assert!(matches!(gcm.decrypt(&[0; 12], b"", &[0; 15]), Err(Error::InvalidLength { .. })));
    assert_eq!(format!("{gcm:?}"), "AesGcm { .. }");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// The accelerated path (AES-NI, PCLMULQDQ) equals the portable one,
    /// at every alignment offset 0..16.
    #[test]
    fn simd_matches_soft(data in prop::collection::vec(any::<u8>(), 0..1200), aad in prop::collection::vec(any::<u8>(), 0..70),
                         nonce in prop::collection::vec(any::<u8>(), 1..20), offset in 0usize..16, key in any::<[u8; 16]>()) {
        let fast = AesGcm::new(&key).unwrap();
        let soft = AesGcm::new_soft(&key, 16).unwrap();
        let mut a = vec![0u8; offset + data.len()];
        a[offset..].copy_from_slice(&data);
        let mut b = a.clone();
        let t1 = fast.encrypt_in_place_detached(&nonce, &aad, &mut a[offset..]).unwrap();
        let t2 = soft.encrypt_in_place_detached(&nonce, &aad, &mut b[offset..]).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(t1, t2);
        fast.decrypt_in_place_detached(&nonce, &aad, &mut a[offset..], t1.as_bytes()).unwrap();
        prop_assert_eq!(&a[offset..], &data[..]);
    }

    /// No input length panics; a random tag is rejected.
    #[test]
    fn open_never_panics(buf in prop::collection::vec(any::<u8>(), 0..100), nonce in prop::collection::vec(any::<u8>(), 0..20)) {
        let gcm = AesGcm::new(&[9; 16]).unwrap();
        prop_assert!(gcm.decrypt(&nonce, b"", &buf).is_err());
    }
}
