use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::ssh;
use super::tls::Group;
use crate::Error;
use crate::mlkem::ParameterSet;
use crate::rng::HmacDrbg;

fn rng() -> HmacDrbg {
    HmacDrbg::new(crate::hash::HashAlgorithm::Sha256, &[7; 32], b"", b"hybrid tests").unwrap()
}

/// A 1216-byte X25519MLKEM768 share whose X25519 part is `u`.
fn x25519_share_with(u: [u8; 32]) -> Vec<u8> {
    let (_, mut share) = Group::X25519MlKem768.generate_derand(&[1; 64], &[2; 32]).unwrap();
    let n = share.len();
    share[n - 32..].copy_from_slice(&u);
    share
}

#[test]
fn lengths_and_codepoints_match_the_draft() {
    let want = [(0x11EC, 1216, 1120, 64), (0x11EB, 1249, 1153, 64), (0x11ED, 1665, 1665, 80)];
    for (group, (cp, cs, ss, secret)) in Group::ALL.into_iter().zip(want) {
        assert_eq!(group.codepoint(), cp);
        assert_eq!(Group::from_codepoint(cp), Some(group));
        assert_eq!((group.client_share_len(), group.server_share_len(), group.shared_secret_len()), (cs, ss, secret));
    }
    assert_eq!(Group::from_codepoint(0x001d), None);
    assert_eq!(Group::SecP384r1MlKem1024.to_string(), "SecP384r1MLKEM1024");
}

#[test]
fn every_group_round_trips() {
    let mut rng = rng();
    for group in Group::ALL {
        let (client, share) = group.generate(&mut rng).unwrap();
        assert_eq!(share.len(), group.client_share_len());
        let (reply, server) = group.encapsulate(&share, &mut rng).unwrap();
        assert_eq!(reply.len(), group.server_share_len());
        let secret = client.decapsulate(&reply).unwrap();
        assert_eq!(secret, server);
        assert_eq!(secret.as_bytes().len(), group.shared_secret_len());
    }
}

#[test]
fn component_order_follows_the_draft() {
    // Recompute each half on its own and check where it sits.
    let seed = [0x42; 64];
    let m = [0x24; 32];
    for group in Group::ALL {
        let secret_len = group.ecdh_secret_len();
        let client_ecdh = alloc::vec![0x11u8; secret_len];
        let server_ecdh = alloc::vec![0x22u8; secret_len];
        let (_, share) = group.generate_derand(&seed, &client_ecdh).unwrap();
        let (reply, secret) = group.encapsulate_derand(&share, &m, &server_ecdh).unwrap();
        let kem = match group {
            Group::SecP384r1MlKem1024 => ParameterSet::MlKem1024,
            _ => ParameterSet::MlKem768,
        };
        let mut ek = alloc::vec![0u8; kem.encapsulation_key_len()];
        let mut dk = alloc::vec![0u8; kem.decapsulation_key_len()];
        kem.generate_from_seed_into(&seed, &mut ek, &mut dk).unwrap();
        let mut ct = alloc::vec![0u8; kem.ciphertext_len()];
        let kem_secret = kem.encapsulate_derand_into(&ek, &m, &mut ct).unwrap();
        let bytes = secret.as_bytes();
        if group == Group::X25519MlKem768 {
            assert_eq!(&share[..1184], &ek[..]);
            assert_eq!(&reply[..1088], &ct[..]);
            assert_eq!(&bytes[..32], kem_secret.as_bytes());
            let x = crate::x25519::PrivateKey::from_bytes([0x22; 32]);
            let peer = crate::x25519::PublicKey::from_bytes(share[1184..].try_into().unwrap());
            assert_eq!(&bytes[32..], x.diffie_hellman(&peer).unwrap().as_bytes());
        } else {
            let point = share.len() - ek.len();
            assert_eq!(share[0], 4);
            assert_eq!(&share[point..], &ek[..]);
            assert_eq!(&reply[point..], &ct[..]);
            assert_eq!(&bytes[bytes.len() - 32..], kem_secret.as_bytes());
        }
    }
}

#[test]
fn wrong_lengths_are_typed_errors() {
    let mut rng = rng();
    for group in Group::ALL {
        let (client, share) = group.generate(&mut rng).unwrap();
        for len in [0, share.len() - 1, share.len() + 1] {
            let mut bad = share.clone();
            bad.resize(len, 0);
            assert!(matches!(group.encapsulate(&bad, &mut rng), Err(Error::InvalidLength { .. })), "{group} {len}");
        }
        let (reply, _) = group.encapsulate(&share, &mut rng).unwrap();
        assert!(matches!(client.decapsulate(&reply[1..]), Err(Error::InvalidLength { .. })));
        let short = alloc::vec![0u8; group.ecdh_secret_len() - 1];
        assert!(matches!(group.generate_derand(&[0; 64], &short), Err(Error::InvalidLength { .. })));
    }
}

#[test]
fn small_order_x25519_points_are_refused() {
    let mut rng = rng();
    let mut one = [0u8; 32];
    one[0] = 1;
    for u in [[0u8; 32], one] {
        let share = x25519_share_with(u);
        assert!(matches!(Group::X25519MlKem768.encapsulate(&share, &mut rng), Err(Error::InvalidKey { .. })));
        let (client, share) = Group::X25519MlKem768.generate(&mut rng).unwrap();
        let (mut reply, _) = Group::X25519MlKem768.encapsulate(&share, &mut rng).unwrap();
        let n = reply.len();
        reply[n - 32..].copy_from_slice(&u);
        assert!(matches!(client.decapsulate(&reply), Err(Error::InvalidKey { .. })));
    }
}

#[test]
fn bad_nist_points_are_refused() {
    let mut rng = rng();
    for group in [Group::SecP256r1MlKem768, Group::SecP384r1MlKem1024] {
        let (client, share) = group.generate(&mut rng).unwrap();
        let point = group.client_share_len() - if group == Group::SecP256r1MlKem768 { 1184 } else { 1568 };
        // Off the curve: flip a bit of y.
        let mut off = share.clone();
        off[point - 1] ^= 1;
        assert!(group.encapsulate(&off, &mut rng).is_err(), "{group}: off-curve point accepted");
        // The hybrid SEC1 form (0x06) has the same length but is not allowed.
        let mut hybrid_form = share.clone();
        hybrid_form[0] = 6;
        assert!(matches!(group.encapsulate(&hybrid_form, &mut rng), Err(Error::Malformed { .. })));
        let (reply, _) = group.encapsulate(&share, &mut rng).unwrap();
        let mut off_reply = reply.clone();
        off_reply[point - 1] ^= 1;
        assert!(client.decapsulate(&off_reply).is_err());
    }
}

#[test]
fn mlkem_key_failing_the_modulus_check_is_refused() {
    let mut rng = rng();
    let mut share = x25519_share_with([9; 32]);
    // The first coefficient becomes 0xfff > q.
    share[0] = 0xff;
    share[1] |= 0x0f;
    assert!(matches!(Group::X25519MlKem768.encapsulate(&share, &mut rng), Err(Error::InvalidKey { .. })));
    let (_, mut p256) = Group::SecP256r1MlKem768.generate(&mut rng).unwrap();
    p256[65] = 0xff;
    p256[66] |= 0x0f;
    assert!(matches!(Group::SecP256r1MlKem768.encapsulate(&p256, &mut rng), Err(Error::InvalidKey { .. })));
}

#[test]
fn tampered_ciphertext_gives_a_different_secret() {
    for group in Group::ALL {
        let secret_len = group.ecdh_secret_len();
        let (client, share) = group.generate_derand(&[3; 64], &alloc::vec![5u8; secret_len]).unwrap();
        let (mut reply, server) = group.encapsulate_derand(&share, &[4; 32], &alloc::vec![6u8; secret_len]).unwrap();
        // A byte inside the ML-KEM ciphertext in both layouts.
        reply[400] ^= 0x10;
        let secret = client.decapsulate(&reply).unwrap();
        assert_ne!(secret, server, "{group}");
    }
}

#[test]
fn debug_prints_no_secrets() {
    let (client, share) = Group::X25519MlKem768.generate_derand(&[1; 64], &[2; 32]).unwrap();
    let (_, secret) = Group::X25519MlKem768.encapsulate_derand(&share, &[3; 32], &[4; 32]).unwrap();
    assert_eq!(format!("{client:?}"), "ClientState(X25519MLKEM768) { .. }");
    assert_eq!(format!("{secret:?}"), "SharedSecret(64 bytes, ..)");
    let (ssh_client, _) = ssh::client_init_derand(&[1; 64], &[2; 32]);
    assert!(!format!("{ssh_client:?}").contains("0x"));
}

#[test]
fn ssh_round_trip_and_combiner() {
    let mut rng = rng();
    let (client, c_init) = ssh::client_init(&mut rng).unwrap();
    assert_eq!(c_init.len(), ssh::CLIENT_INIT_LEN);
    let (s_reply, server_k) = ssh::server_reply(&c_init, &mut rng).unwrap();
    assert_eq!(s_reply.len(), ssh::SERVER_REPLY_LEN);
    assert_eq!(client.finish(&s_reply).unwrap(), server_k);

    // K = SHA-256(K_PQ || K_CL), recomputed from the TLS group, whose
    // secret is K_PQ || K_CL for X25519MLKEM768 with the same layout.
    let (client, c_init) = ssh::client_init_derand(&[8; 64], &[9; 32]);
    let (tls_client, share) = Group::X25519MlKem768.generate_derand(&[8; 64], &[9; 32]).unwrap();
    assert_eq!(c_init, share);
    let (s_reply, k) = ssh::server_reply_derand(&c_init, &[10; 32], &[11; 32]).unwrap();
    let tls_secret = tls_client.decapsulate(&s_reply).unwrap();
    use crate::hash::Hash;
    assert_eq!(k.as_bytes(), &crate::hash::Sha256::digest(tls_secret.as_bytes()));
    assert_eq!(client.finish(&s_reply).unwrap(), k);
    let encoded = k.to_ssh_string();
    assert_eq!(encoded[..4], [0, 0, 0, 32]);
    assert_eq!(&encoded[4..], k.as_bytes());
}

#[test]
fn ssh_refuses_bad_input() {
    let (client, c_init) = ssh::client_init_derand(&[1; 64], &[2; 32]);
    assert!(matches!(ssh::server_reply_derand(&c_init[1..], &[0; 32], &[1; 32]), Err(Error::InvalidLength { .. })));
    let mut low = c_init.clone();
    low[1184..].fill(0);
    assert!(matches!(ssh::server_reply_derand(&low, &[0; 32], &[1; 32]), Err(Error::InvalidKey { .. })));
    let mut over_q = c_init.clone();
    over_q[0] = 0xff;
    over_q[1] |= 0x0f;
    assert!(matches!(ssh::server_reply_derand(&over_q, &[0; 32], &[1; 32]), Err(Error::InvalidKey { .. })));
    let (mut s_reply, k) = ssh::server_reply_derand(&c_init, &[3; 32], &[4; 32]).unwrap();
    assert!(matches!(
        ssh::client_init_derand(&[1; 64], &[2; 32]).0.finish(&s_reply[..1119]),
        Err(Error::InvalidLength { .. })
    ));
    s_reply[5] ^= 1;
    assert_ne!(client.finish(&s_reply).unwrap(), k);
}
