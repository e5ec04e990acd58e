//! SP 800-38A, RFC 3394 and RFC 5649 known answers for the modes.

use super::*;
use alloc::vec;
use hex_literal::hex;
use proptest::prelude::*;

const KEY: [u8; 16] = hex!("2b7e151628aed2a6abf7158809cf4f3c");
const PT: [u8; 64] = hex!(
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710"
);
const IV: [u8; 16] = hex!("000102030405060708090a0b0c0d0e0f");

#[test]
fn sp800_38a_f1_to_f5_aes128() {
    let aes = Aes::new(&KEY).unwrap();
    let mut buf = PT;
    ecb_encrypt(&aes, &mut buf).unwrap();
    assert_eq!(
        buf,
        hex!(
            "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
            "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4"
        )
    );
    ecb_decrypt(&aes, &mut buf).unwrap();
    assert_eq!(buf, PT);

    let mut buf = PT;
    cbc::encrypt(&aes, &IV, &mut buf).unwrap();
    assert_eq!(
        buf,
        hex!(
            "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
            "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7"
        )
    );
    cbc::decrypt(&aes, &IV, &mut buf).unwrap();
    assert_eq!(buf, PT);

    let mut buf = PT;
    cfb::encrypt(&aes, &IV, &mut buf).unwrap();
    assert_eq!(
        buf,
        hex!(
            "3b3fd92eb72dad20333449f8e83cfb4ac8a64537a0b3a93fcde3cdad9f1ce58b"
            "26751f67a3cbb140b1808cf187a4f4dfc04b05357c5d1c0eeac4c66f9ff7f2e6"
        )
    );
    cfb::decrypt(&aes, &IV, &mut buf).unwrap();
    assert_eq!(buf, PT);

    let mut buf = PT;
    ctr::apply_keystream(&aes, &hex!("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"), &mut buf).unwrap();
    assert_eq!(
        buf,
        hex!(
            "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
            "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"
        )
    );
}

#[test]
fn cbc_pkcs7_round_trip_and_bad_padding() {
    let aes = Aes::new(&KEY).unwrap();
    for len in 0..40 {
        let ct = cbc::encrypt_padded(&aes, &IV, &PT[..len]).unwrap();
        assert_eq!(ct.len(), (len / 16 + 1) * 16);
        assert_eq!(cbc::decrypt_padded(&aes, &IV, &ct).unwrap(), &PT[..len]);
    }
    // Encrypt raw blocks whose last byte is not valid padding.
    for last in [0u8, 17, 255] {
        let mut block = [last; 16];
        cbc::encrypt(&aes, &IV, &mut block).unwrap();
        assert_eq!(cbc::decrypt_padded(&aes, &IV, &block), Err(Error::VerificationFailed));
    }
    let mut bad = [2u8; 16];
    bad[14] = 3;
    cbc::encrypt(&aes, &IV, &mut bad).unwrap();
    assert_eq!(cbc::decrypt_padded(&aes, &IV, &bad), Err(Error::VerificationFailed));
    assert!(matches!(cbc::decrypt_padded(&aes, &IV, &[0; 15]), Err(Error::InvalidLength { .. })));
    assert!(matches!(cbc::decrypt_padded(&aes, &IV[..8], &[0; 16]), Err(Error::InvalidLength { .. })));
}

#[test]
fn rfc3394_4_1_and_4_6() {
    let kek = Aes::new(&hex!("000102030405060708090A0B0C0D0E0F")).unwrap();
    let key = hex!("00112233445566778899AABBCCDDEEFF");
    let wrapped = keywrap::wrap(&kek, &key).unwrap();
    assert_eq!(wrapped, hex!("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"));
    assert_eq!(keywrap::unwrap(&kek, &wrapped).unwrap(), key);
    let kek = Aes::new(&hex!("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F")).unwrap();
    let key = hex!("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
    let wrapped = keywrap::wrap(&kek, &key).unwrap();
    assert_eq!(wrapped, hex!("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21"));
    let mut bad = wrapped.clone();
    bad[3] ^= 1;
    assert_eq!(keywrap::unwrap(&kek, &bad), Err(Error::VerificationFailed));
}

#[test]
fn rfc5649_section_6() {
    let kek = Aes::new(&hex!("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8")).unwrap();
    let key = hex!("c37b7e6492584340bed12207808941155068f738");
    let wrapped = keywrap::wrap_padded(&kek, &key).unwrap();
    assert_eq!(wrapped, hex!("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"));
    assert_eq!(keywrap::unwrap_padded(&kek, &wrapped).unwrap(), key);
    let wrapped = keywrap::wrap_padded(&kek, &hex!("466f7250617369")).unwrap();
    assert_eq!(wrapped, hex!("afbeb0f07dfbf5419200f2ccb50bb24f"));
    assert_eq!(keywrap::unwrap_padded(&kek, &wrapped).unwrap(), hex!("466f7250617369"));
    assert_eq!(keywrap::unwrap_padded(&kek, &[0; 16]), Err(Error::VerificationFailed));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn xts_round_trips_and_never_panics(data in prop::collection::vec(any::<u8>(), 0..100), key in any::<[u8; 32]>(), tweak in any::<[u8; 16]>()) {
        let xts = xts::Xts::new(&key).unwrap();
        let mut buf = data.clone();
        if xts.encrypt(&tweak, &mut buf).is_ok() {
            xts.decrypt(&tweak, &mut buf).unwrap();
        }
        prop_assert_eq!(buf, data);
    }

    #[test]
    fn unwrap_never_panics(data in prop::collection::vec(any::<u8>(), 0..64)) {
        let kek = Aes::new(&[5; 16]).unwrap();
        let _ = keywrap::unwrap(&kek, &data);
        let _ = keywrap::unwrap_padded(&kek, &data);
        let _ = cbc::decrypt_padded(&kek, &[0; 16], &data);
        let mut v = vec![0u8; data.len()];
        let _ = ecb_decrypt(&kek, &mut v);
    }
}
