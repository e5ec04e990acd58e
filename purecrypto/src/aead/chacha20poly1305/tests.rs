//! RFC 8439 and XChaCha draft AEAD known answers, errors, agreement.

use super::*;
use alloc::{format, vec};
use hex_literal::hex;
use proptest::prelude::*;

const SUNSCREEN: &[u8] = b"Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";
const KEY: [u8; 32] = hex!("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
const AAD: [u8; 12] = hex!("50515253c0c1c2c3c4c5c6c7");

#[test]
fn rfc8439_2_8_2() {
    let aead = ChaCha20Poly1305::new(&KEY).unwrap();
    let nonce = hex!("070000004041424344454647");
    let mut buf = SUNSCREEN.to_vec();
    let tag = aead.encrypt_in_place_detached(&nonce, &AAD, &mut buf).unwrap();
    assert_eq!(
        buf,
        hex!(
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
            "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
            "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
            "3ff4def08e4b7a9de576d26586cec64b6116"
        )
    );
    assert_eq!(tag.as_bytes(), hex!("1ae10b594f09e26a7e902ecbd0600691"));
    aead.decrypt_in_place_detached(&nonce, &AAD, &mut buf, tag.as_bytes()).unwrap();
    assert_eq!(buf, SUNSCREEN);
}

#[test]
fn xchacha_draft_a_3_1() {
    let aead = XChaCha20Poly1305::new(&KEY).unwrap();
    let nonce = hex!("404142434445464748494a4b4c4d4e4f5051525354555657");
    let sealed = aead.encrypt(&nonce, &AAD, SUNSCREEN).unwrap();
    assert_eq!(
        sealed,
        hex!(
            "bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb"
            "731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452"
            "2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9"
            "21f9664c97637da9768812f615c68b13b52e"
            "c0875924c1c7987947deafd8780acf49"
        )
    );
    assert_eq!(aead.decrypt(&nonce, &AAD, &sealed).unwrap(), SUNSCREEN);
}

#[test]
fn tampering_and_lengths() {
    let aead = ChaCha20Poly1305::new(&KEY).unwrap();
    let sealed = aead.encrypt(&[0; 12], b"", b"hi").unwrap();
    for i in 0..sealed.len() {
        let mut bad = sealed.clone();
        bad[i] ^= 1;
        assert_eq!(aead.decrypt(&[0; 12], b"", &bad), Err(Error::VerificationFailed));
    }
    assert!(matches!(ChaCha20Poly1305::new(&[0; 16]), Err(Error::InvalidLength { actual: 16, .. })));
    assert!(matches!(aead.encrypt(&[0; 24], b"", b""), Err(Error::InvalidLength { actual: 24, .. })));
    assert!(matches!(
        aead.decrypt_in_place_detached(&[0; 12], b"", &mut [], &[0; 15]),
        Err(Error::InvalidLength { actual: 15, .. })
    ));
    let x = XChaCha20Poly1305::new(&KEY).unwrap();
    assert!(matches!(x.encrypt(&[0; 12], b"", b""), Err(Error::InvalidLength { actual: 12, .. })));
    assert_eq!(format!("{aead:?} {x:?}"), "ChaCha20Poly1305 { .. } XChaCha20Poly1305 { .. }");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn simd_matches_soft(data in prop::collection::vec(any::<u8>(), 0..1500), offset in 0usize..16, key in any::<[u8; 32]>()) {
        let fast = ChaCha20Poly1305::new(&key).unwrap();
        let soft = ChaCha20Poly1305::new_soft(&key).unwrap();
        let mut a = vec![0u8; offset + data.len()];
        a[offset..].copy_from_slice(&data);
        let mut b = a.clone();
        let t1 = fast.encrypt_in_place_detached(&[7; 12], b"ad", &mut a[offset..]).unwrap();
        let t2 = soft.encrypt_in_place_detached(&[7; 12], b"ad", &mut b[offset..]).unwrap();
        prop_assert_eq!(&a, &b);
        prop_assert_eq!(t1, t2);
    }

    #[test]
    fn open_never_panics(buf in prop::collection::vec(any::<u8>(), 0..100), nonce in prop::collection::vec(any::<u8>(), 0..30)) {
        prop_assert!(ChaCha20Poly1305::new(&[1; 32]).unwrap().decrypt(&nonce, b"", &buf).is_err());
        prop_assert!(XChaCha20Poly1305::new(&[1; 32]).unwrap().decrypt(&nonce, b"", &buf).is_err());
    }
}

/// Every backend tier this CPU offers (AVX-512 + IFMA, AVX2, portable)
/// runs the whole Wycheproof ChaCha20-Poly1305 file.
#[test]
fn wycheproof_on_every_tier() {
    use crate::vectors::{Outcome, hex_field, json, wycheproof_verdict};
    let doc = json::parse(include_str!("../../../tests/data/wycheproof/chacha20_poly1305_test.json")).unwrap();
    let groups = doc.get("testGroups").and_then(json::Value::as_array).unwrap();
    let mut cases = 0;
    for tier in [Tier::Best, Tier::Avx2, Tier::Soft] {
        for group in groups {
            for test in group.get("tests").and_then(json::Value::as_array).unwrap() {
                let f = |name| hex_field(test, name).unwrap();
                let (key, iv, aad, msg, ct, tag) = (f("key"), f("iv"), f("aad"), f("msg"), f("ct"), f("tag"));
                let accepted = ChaCha20Poly1305::new_tier(&key, tier)
                    .is_ok_and(|a| crate::vectors::aead::accepts(&a, &iv, &aad, &msg, &ct, &tag));
                let outcome = wycheproof_verdict(test, accepted);
                assert_eq!(
                    outcome,
                    Outcome::Pass,
                    "{tier:?} tcId {:?}",
                    test.get("tcId").and_then(json::Value::as_u64)
                );
                cases += 1;
            }
        }
    }
    assert!(cases > 3 * 300, "{cases} cases");
}

/// Every tier agrees with the portable one for lengths around each kernel
/// boundary (16-block steps, the row-wise tail, the fused slices).
#[test]
fn tiers_agree_across_lengths() {
    let lens = (0..=300).chain([511, 512, 513, 1023, 1024, 1025, 1350, 2047, 4096, 8191, 8192, 8193, 16384, 20000]);
    for len in lens {
        let msg: alloc::vec::Vec<u8> = (0..len).map(|i| (i * 7 + len) as u8).collect();
        let aad = &msg[..len.min(37)];
        let mut want = msg.clone();
        let want_tag =
            ChaCha20Poly1305::new_soft(&KEY).unwrap().encrypt_in_place_detached(&[3; 12], aad, &mut want).unwrap();
        for tier in [Tier::Best, Tier::Avx2] {
            let aead = ChaCha20Poly1305::new_tier(&KEY, tier).unwrap();
            let mut got = msg.clone();
            let tag = aead.encrypt_in_place_detached(&[3; 12], aad, &mut got).unwrap();
            assert_eq!((&got, tag.as_bytes()), (&want, want_tag.as_bytes()), "{tier:?} len {len}");
            aead.decrypt_in_place_detached(&[3; 12], aad, &mut got, want_tag.as_bytes()).unwrap();
            assert_eq!(got, msg, "{tier:?} len {len}");
        }
    }
}

/// A bad tag on a message longer than one fused slice fails on every
/// tier and leaves no plaintext (nor ciphertext) in the buffer.
#[test]
fn long_message_bad_tag_wipes_on_every_tier() {
    for tier in [Tier::Best, Tier::Avx2, Tier::Soft] {
        let aead = ChaCha20Poly1305::new_tier(&KEY, tier).unwrap();
        let mut buf = vec![0x61u8; 3 * 8192 + 5];
        let tag = aead.encrypt_in_place_detached(&[1; 12], b"", &mut buf).unwrap();
        let mut bad = tag.as_bytes().to_vec();
        bad[15] ^= 1;
        let res = aead.decrypt_in_place_detached(&[1; 12], b"", &mut buf, &bad);
        assert!(matches!(res, Err(Error::VerificationFailed)), "{tier:?}");
        assert!(buf.iter().all(|&b| b == 0), "{tier:?}");
    }
}
