//! RFC 8032 section 7.1-7.3 vectors and the strictness rules.

use super::*;
use hex_literal::hex;

struct Case {
    seed: [u8; 32],
    public: [u8; 32],
    message: &'static [u8],
    signature: [u8; 64],
}

const SECTION_7_1: [Case; 4] = [
    Case {
        seed: hex!("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"),
        public: hex!("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"),
        message: b"",
        signature: hex!(
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
    },
    Case {
        seed: hex!("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"),
        public: hex!("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"),
        message: &hex!("72"),
        signature: hex!(
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    },
    Case {
        seed: hex!("c5aa8df43f9f837bedb7442f31dcb7b166d38535076f094b85ce3a2e0b4458f7"),
        public: hex!("fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025"),
        message: &hex!("af82"),
        signature: hex!(
            "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"
        ),
    },
    Case {
        seed: hex!("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"),
        public: hex!("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf"),
        // SHA(abc)
        message: &hex!(
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
        ),
        signature: hex!(
            "dc2a4459e7369633a52b1bf277839a00201009a3efbf3ecb69bea2186c26b58909351fc9ac90b3ecfdfbc7c66431e0303dca179c138ac17ad9bef1177331a704"
        ),
    },
];

#[test]
fn rfc8032_section_7_1_ed25519() {
    for case in &SECTION_7_1 {
        let key = SigningKey::from_seed(&case.seed);
        assert_eq!(key.verifying_key().to_bytes(), case.public);
        let sig = key.sign(case.message);
        assert_eq!(sig.to_bytes(), case.signature);
        let vk = VerifyingKey::from_bytes(&case.public).unwrap();
        assert_eq!(vk.verify(case.message, &sig), Ok(()));
        assert_eq!(vk.verify(b"other", &sig), Err(Error::VerificationFailed));
        // The same signature is not valid under Ed25519ctx or Ed25519ph.
        assert_eq!(vk.verify_ctx(b"", case.message, &sig), Err(Error::VerificationFailed));
        assert_eq!(vk.verify_prehashed(b"", case.message, &sig), Err(Error::VerificationFailed));
    }
}

#[test]
#[allow(clippy::type_complexity)]
fn rfc8032_section_7_2_ed25519ctx() {
    let seed = hex!("0305334e381af78f141cb666f6199f57bc3495335a256a95bd2a55bf546663f6");
    let public = hex!("dfc9425e4f968f7f0c29f0259cf5f9aed6851c2bb4ad8bfb860cfee0ab248292");
    let seed3 = hex!("ab9c2853ce297ddab85c993b3ae14bcad39b2c682beabc27d6d4eb20711d6560");
    let public3 = hex!("0f1d1274943b91415889152e893d80e93275a1fc0b65fd71b4b0dda10ad7d772");
    let m1 = hex!("f726936d19c800494e3fdaff20b276a8");
    let m2 = hex!("508e9e6882b979fea900f62adceaca35");
    let cases: [(&[u8; 32], &[u8; 32], &[u8], &[u8], [u8; 64]); 4] = [
        (
            &seed,
            &public,
            &m1,
            b"foo",
            hex!(
                "55a4cc2f70a54e04288c5f4cd1e45a7bb520b36292911876cada7323198dd87a8b36950b95130022907a7fb7c4e9b2d5f6cca685a587b4b21f4b888e4e7edb0d"
            ),
        ),
        (
            &seed,
            &public,
            &m1,
            b"bar",
            hex!(
                "fc60d5872fc46b3aa69f8b5b4351d5808f92bcc044606db097abab6dbcb1aee3216c48e8b3b66431b5b186d1d28f8ee15a5ca2df6668346291c2043d4eb3e90d"
            ),
        ),
        (
            &seed,
            &public,
            &m2,
            b"foo",
            hex!(
                "8b70c1cc8310e1de20ac53ce28ae6e7207f33c3295e03bb5c0732a1d20dc64908922a8b052cf99b7c4fe107a5abb5b2c4085ae75890d02df26269d8945f84b0b"
            ),
        ),
        (
            &seed3,
            &public3,
            &m1,
            b"foo",
            hex!(
                "21655b5f1aa965996b3f97b3c849eafba922a0a62992f73b3d1b73106a84ad85e9b86a7b6005ea868337ff2d20a7f5fbd4cd10b0be49a68da2b2e0dc0ad8960f"
            ),
        ),
    ];
    for (seed, public, message, context, expected) in cases {
        let key = SigningKey::from_seed(seed);
        assert_eq!(&key.verifying_key().to_bytes(), public);
        let sig = key.sign_ctx(context, message).unwrap();
        assert_eq!(sig.to_bytes(), expected);
        assert_eq!(key.verifying_key().verify_ctx(context, message, &sig), Ok(()));
        assert_eq!(key.verifying_key().verify_ctx(b"baz", message, &sig), Err(Error::VerificationFailed));
        assert_eq!(key.verifying_key().verify(message, &sig), Err(Error::VerificationFailed));
    }
}

#[test]
fn rfc8032_section_7_3_ed25519ph() {
    let key = SigningKey::from_seed(&hex!("833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42"));
    assert_eq!(
        key.verifying_key().to_bytes(),
        hex!("ec172b93ad5e563bf4932c70e1245034c35467ef2efd4d64ebf819683467e2bf")
    );
    let sig = key.sign_prehashed(b"", b"abc").unwrap();
    assert_eq!(
        sig.to_bytes(),
        hex!(
            "98a70222f0b8121aa9d30f813d683f809e462b469c7ff87639499bb94e6dae4131f85042463c2a355a2003d062adf5aaa10b8c61e636062aaad11c2a26083406"
        )
    );
    assert_eq!(key.verifying_key().verify_prehashed(b"", b"abc", &sig), Ok(()));
    assert_eq!(key.verifying_key().verify_prehashed(b"", b"abd", &sig), Err(Error::VerificationFailed));
}

#[test]
fn strict_rules() {
    let key = SigningKey::from_seed(&[9; 32]);
    let vk = key.verifying_key();
    let sig = key.sign(b"m").to_bytes();
    // S + L has the same value mod L but must be rejected.
    const L: [u8; 32] = hex!("edd3f55c1a631258d69cf7a2def9de1400000000000000000000000000000010");
    let mut malleated = sig;
    let mut carry = 0u16;
    for (s, l) in malleated[32..].iter_mut().zip(L) {
        let t = u16::from(*s) + u16::from(l) + carry;
        *s = t as u8;
        carry = t >> 8;
    }
    assert_eq!(vk.verify(b"m", &Signature::from_bytes(&malleated)), Err(Error::VerificationFailed));
    // The identity and other small-order points are refused as keys.
    let mut identity = [0u8; 32];
    identity[0] = 1;
    assert_eq!(
        VerifyingKey::from_bytes(&identity).unwrap_err(),
        Error::InvalidKey { reason: "Ed25519 public key has small order" }
    );
    // A non-canonical y (p + 1 encodes y = 1).
    let mut non_canonical = [0xffu8; 32];
    non_canonical[0] = 0xee;
    non_canonical[31] = 0x7f;
    assert!(matches!(VerifyingKey::from_bytes(&non_canonical), Err(Error::Malformed { .. })));
    // Oversized contexts are typed errors, not panics.
    assert!(matches!(key.sign_ctx(&[0; 256], b"m"), Err(Error::InvalidLength { .. })));
    assert!(key.sign_ctx(&[0; 255], b"m").is_ok());
    assert!(Signature::from_slice(&[0; 63]).is_err());
    assert_eq!(
        alloc::format!("{key:?}").contains(&alloc::format!("{:02x}", key.to_seed()[0])),
        alloc::format!("{:?}", vk).contains(&alloc::format!("{:02x}", key.to_seed()[0]))
    );
}

#[test]
fn keys_round_trip_through_bytes() {
    let key = SigningKey::from_seed(&[3; 32]);
    let again = SigningKey::from_seed(&key.to_seed());
    assert_eq!(key, again);
    let vk = VerifyingKey::from_bytes(&key.verifying_key().to_bytes()).unwrap();
    assert_eq!(&vk, key.verifying_key());
}
