//! RFC 8032 section 7.4 (Ed448) and 7.5 (Ed448ph) vectors and strictness.

use super::*;
use hex_literal::hex;

#[allow(clippy::type_complexity)]
const SECTION_7_4: [([u8; 57], [u8; 57], &[u8], &[u8], [u8; 114]); 5] = [
    (
        hex!(
            "6c82a562cb808d10d632be89c8513ebf6c929f34ddfa8c9f63c9960ef6e348a3528c8a3fcc2f044e39a3fc5b94492f8f032e7549a20098f95b"
        ),
        hex!(
            "5fd7449b59b461fd2ce787ec616ad46a1da1342485a70e1f8a0ea75d80e96778edf124769b46c7061bd6783df1e50f6cd1fa1abeafe8256180"
        ),
        b"",
        b"",
        hex!(
            "533a37f6bbe457251f023c0d88f976ae2dfb504a843e34d2074fd823d41a591f2b233f034f628281f2fd7a22ddd47d7828c59bd0a21bfd3980ff0d2028d4b18a9df63e006c5d1c2d345b925d8dc00b4104852db99ac5c7cdda8530a113a0f4dbb61149f05a7363268c71d95808ff2e652600"
        ),
    ),
    (
        hex!(
            "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e"
        ),
        hex!(
            "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480"
        ),
        &hex!("03"),
        b"",
        hex!(
            "26b8f91727bd62897af15e41eb43c377efb9c610d48f2335cb0bd0087810f4352541b143c4b981b7e18f62de8ccdf633fc1bf037ab7cd779805e0dbcc0aae1cbcee1afb2e027df36bc04dcecbf154336c19f0af7e0a6472905e799f1953d2a0ff3348ab21aa4adafd1d234441cf807c03a00"
        ),
    ),
    (
        hex!(
            "c4eab05d357007c632f3dbb48489924d552b08fe0c353a0d4a1f00acda2c463afbea67c5e8d2877c5e3bc397a659949ef8021e954e0a12274e"
        ),
        hex!(
            "43ba28f430cdff456ae531545f7ecd0ac834a55d9358c0372bfa0c6c6798c0866aea01eb00742802b8438ea4cb82169c235160627b4c3a9480"
        ),
        &hex!("03"),
        b"foo",
        hex!(
            "d4f8f6131770dd46f40867d6fd5d5055de43541f8c5e35abbcd001b32a89f7d2151f7647f11d8ca2ae279fb842d607217fce6e042f6815ea000c85741de5c8da1144a6a1aba7f96de42505d7a7298524fda538fccbbb754f578c1cad10d54d0d5428407e85dcbc98a49155c13764e66c3c00"
        ),
    ),
    (
        hex!(
            "cd23d24f714274e744343237b93290f511f6425f98e64459ff203e8985083ffdf60500553abc0e05cd02184bdb89c4ccd67e187951267eb328"
        ),
        hex!(
            "dcea9e78f35a1bf3499a831b10b86c90aac01cd84b67a0109b55a36e9328b1e365fce161d71ce7131a543ea4cb5f7e9f1d8b00696447001400"
        ),
        &hex!("0c3e544074ec63b0265e0c"),
        b"",
        hex!(
            "1f0a8888ce25e8d458a21130879b840a9089d999aaba039eaf3e3afa090a09d389dba82c4ff2ae8ac5cdfb7c55e94d5d961a29fe0109941e00b8dbdeea6d3b051068df7254c0cdc129cbe62db2dc957dbb47b51fd3f213fb8698f064774250a5028961c9bf8ffd973fe5d5c206492b140e00"
        ),
    ),
    (
        hex!(
            "d65df341ad13e008567688baedda8e9dcdc17dc024974ea5b4227b6530e339bff21f99e68ca6968f3cca6dfe0fb9f4fab4fa135d5542ea3f01"
        ),
        hex!(
            "df9705f58edbab802c7f8363cfe5560ab1c6132c20a9f1dd163483a26f8ac53a39d6808bf4a1dfbd261b099bb03b3fb50906cb28bd8a081f00"
        ),
        &hex!(
            "bd0f6a3747cd561bdddf4640a332461a4a30a12a434cd0bf40d766d9c6d458e5512204a30c17d1f50b5079631f64eb3112182da3005835461113718d1a5ef944"
        ),
        b"",
        hex!(
            "554bc2480860b49eab8532d2a533b7d578ef473eeb58c98bb2d0e1ce488a98b18dfde9b9b90775e67f47d4a1c3482058efc9f40d2ca033a0801b63d45b3b722ef552bad3b4ccb667da350192b61c508cf7b6b5adadc2c8d9a446ef003fb05cba5f30e88e36ec2703b349ca229c2670833900"
        ),
    ),
];

#[test]
fn rfc8032_section_7_4_ed448() {
    for (seed, public, message, context, expected) in &SECTION_7_4 {
        let key = SigningKey::from_seed(seed);
        assert_eq!(&key.verifying_key().to_bytes(), public);
        let sig = key.sign(context, message).unwrap();
        assert_eq!(&sig.to_bytes(), expected);
        let vk = VerifyingKey::from_bytes(public).unwrap();
        assert_eq!(vk.verify(context, message, &sig), Ok(()));
        assert_eq!(vk.verify(b"x", message, &sig), Err(Error::VerificationFailed));
        assert_eq!(vk.verify_prehashed(context, message, &sig), Err(Error::VerificationFailed));
    }
}

#[test]
fn rfc8032_section_7_5_ed448ph() {
    let seed = hex!(
        "833fe62409237b9d62ec77587520911e9a759cec1d19755b7da901b96dca3d42ef7822e0d5104127dc05d6dbefde69e3ab2cec7c867c6e2c49"
    );
    let public = hex!(
        "259b71c19f83ef77a7abd26524cbdb3161b590a48f7d17de3ee0ba9c52beb743c09428a131d6b1b57303d90d8132c276d5ed3d5d01c0f53880"
    );
    let key = SigningKey::from_seed(&seed);
    assert_eq!(key.verifying_key().to_bytes(), public);
    let cases: [(&[u8], [u8; 114]); 2] = [
        (
            b"",
            hex!(
                "822f6901f7480f3d5f562c592994d9693602875614483256505600bbc281ae381f54d6bce2ea911574932f52a4e6cadd78769375ec3ffd1b801a0d9b3f4030cd433964b6457ea39476511214f97469b57dd32dbc560a9a94d00bff07620464a3ad203df7dc7ce360c3cd3696d9d9fab90f00"
            ),
        ),
        (
            b"foo",
            hex!(
                "c32299d46ec8ff02b54540982814dce9a05812f81962b649d528095916a2aa481065b1580423ef927ecf0af5888f90da0f6a9a85ad5dc3f280d91224ba9911a3653d00e484e2ce232521481c8658df304bb7745a73514cdb9bf3e15784ab71284f8d0704a608c54a6b62d97beb511d132100"
            ),
        ),
    ];
    for (context, expected) in cases {
        let sig = key.sign_prehashed(context, b"abc").unwrap();
        assert_eq!(sig.to_bytes(), expected);
        assert_eq!(key.verifying_key().verify_prehashed(context, b"abc", &sig), Ok(()));
        assert_eq!(key.verifying_key().verify(context, b"abc", &sig), Err(Error::VerificationFailed));
    }
}

#[test]
fn strict_rules() {
    let key = SigningKey::from_seed(&[5; 57]);
    let sig = key.sign(b"", b"m").unwrap().to_bytes();
    let mut high = sig;
    high[113] = 1; // S >= 2^448 > q
    assert_eq!(key.verifying_key().verify(b"", b"m", &Signature::from_bytes(&high)), Err(Error::VerificationFailed));
    // The identity (y = 1) is refused as a key.
    let mut identity = [0u8; 57];
    identity[0] = 1;
    assert!(matches!(VerifyingKey::from_bytes(&identity), Err(Error::InvalidKey { .. })));
    assert!(matches!(key.sign(&[0; 256], b"m"), Err(Error::InvalidLength { .. })));
    assert!(VerifyingKey::from_slice(&[0; 56]).is_err());
    assert!(!alloc::format!("{key:?}").contains("seed"));
}
