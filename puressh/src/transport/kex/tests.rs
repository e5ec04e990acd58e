use super::*;
use crate::error::KexError;
use purecrypto::ec::{P256, P384, SecretKey};
use purecrypto::ffdh::{DhPrivateKey, Group};

fn kat(name: &str) -> Vec<u8> {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/kex-kat/exchange_hash.txt")).unwrap();
    let hex = text.lines().find_map(|l| l.strip_prefix(name).and_then(|r| r.strip_prefix(' '))).unwrap();
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap()).collect()
}

fn string(b: &[u8]) -> Vec<u8> {
    let mut out = (b.len() as u32).to_be_bytes().to_vec();
    out.extend_from_slice(b);
    out
}

/// The fixed transcript of `make_kat.py`.
fn transcript_parts() -> (Vec<u8>, Vec<u8>, Vec<u8>) {
    let mut ic = vec![20u8];
    ic.extend(0u8..16);
    ic.extend_from_slice(b"client kexinit");
    let mut is = vec![20u8];
    is.extend(16u8..32);
    is.extend_from_slice(b"server kexinit");
    let mut ks = string(b"ssh-ed25519");
    ks.extend(string(&(0u8..32).collect::<Vec<_>>()));
    (ic, is, ks)
}

fn hash_of(method: Box<dyn KexMethod>, server_public: &[u8]) -> (Vec<u8>, KexOutcome) {
    let (ic, is, ks) = transcript_parts();
    let t = Transcript {
        client_version: b"SSH-2.0-puressh_test",
        server_version: b"SSH-2.0-OpenSSH_9.2p1 Debian-2",
        client_kexinit: &ic,
        server_kexinit: &is,
    };
    let hash = method.hash();
    let outcome = method.finish(server_public).unwrap();
    let h = exchange_hash(hash, &t, &ks, &outcome.client_value, server_public, &outcome.shared_secret);
    (h, outcome)
}

#[test]
fn curve25519_exchange_hash_matches_pyca() {
    let m = Box::new(Curve25519::from_secret(crate::names::CURVE25519_SHA256, [0x11; 32]));
    let (h, outcome) = hash_of(m, &kat("X25519_QS"));
    assert_eq!(outcome.shared_secret.as_slice(), kat("X25519_K").as_slice());
    assert_eq!(h, kat("X25519_H"));
}

#[test]
fn ecdh_exchange_hash_matches_pyca() {
    let s = SecretKey::<P256>::from_bytes(&[0x33; 32]).unwrap();
    let m = Box::new(Ecdh::with_secret(crate::names::ECDH_SHA2_NISTP256, s).unwrap());
    assert_eq!(hash_of(m, &kat("P256_QS")).0, kat("P256_H"));
    let s = SecretKey::<P384>::from_bytes(&[0x33; 48]).unwrap();
    let m = Box::new(Ecdh::with_secret(crate::names::ECDH_SHA2_NISTP384, s).unwrap());
    assert_eq!(hash_of(m, &kat("P384_QS")).0, kat("P384_H"));
}

#[test]
fn dh_group14_exchange_hash_matches_python() {
    let x = DhPrivateKey::from_exponent(Group::MODP_2048, &[0x55; 32]).unwrap();
    let m = Box::new(DiffieHellman::with_secret(crate::names::DH_GROUP14_SHA256, x).unwrap());
    assert!(m.public_is_mpint());
    assert_eq!(hash_of(m, &kat("DH14_F")).0, kat("DH14_H"));
}

#[test]
fn every_supported_name_has_a_method() {
    for name in SUPPORTED.iter().filter(|n| **n != crate::names::DH_GEX_SHA256) {
        let m = method_for(name).unwrap();
        assert_eq!(m.name(), *name);
        assert!(!init_body(m.as_ref()).is_empty());
    }
    assert!(matches!(method_for("diffie-hellman-group1-sha1"), Err(KexError::Unsupported { .. })));
    assert!(matches!(method_for("diffie-hellman-group-exchange-sha1"), Err(KexError::Unsupported { .. })));
}

#[test]
fn degenerate_server_values_are_refused() {
    let bad = |name: &str, value: &[u8]| {
        let r = method_for(name).unwrap().finish(value);
        assert!(matches!(r, Err(KexError::BadPublicValue { .. })), "{name} {value:02x?}");
    };
    // X25519: wrong lengths, and u = 0 (small order: all-zero secret).
    bad(crate::names::CURVE25519_SHA256, &[9; 31]);
    bad(crate::names::CURVE25519_SHA256, &[9; 33]);
    bad(crate::names::CURVE25519_SHA256, &[0; 32]);
    // ECDH: off-curve, compressed, infinity, empty.
    let mut off = kat("P256_QS");
    *off.last_mut().unwrap() ^= 1;
    bad(crate::names::ECDH_SHA2_NISTP256, &off);
    bad(crate::names::ECDH_SHA2_NISTP256, &[2; 33]);
    bad(crate::names::ECDH_SHA2_NISTP256, &[0]);
    bad(crate::names::ECDH_SHA2_NISTP256, &[]);
    bad(crate::names::ECDH_SHA2_NISTP384, &kat("P256_QS"));
    // DH: 0, 1, p - 1, p, beyond p.
    let p = Group::MODP_2048.prime().to_vec();
    let mut p_minus_1 = p.clone();
    *p_minus_1.last_mut().unwrap() -= 1;
    for f in [vec![], vec![1], p_minus_1, p, vec![0xff; 300]] {
        bad(crate::names::DH_GROUP14_SHA256, &f);
    }
}

#[test]
fn malformed_replies_are_typed_errors() {
    let mut good = Vec::new();
    for part in [&b"key"[..], &[0x01, 0x02][..], &b"sig"[..]] {
        good.extend(string(part));
    }
    assert!(KexReply::parse(&good, false).is_ok());
    assert_eq!(KexReply::parse(&good, true).unwrap().server_public, [1, 2]);
    for cut in 0..good.len() {
        assert!(KexReply::parse(&good[..cut], false).is_err());
    }
    let mut trailing = good.clone();
    trailing.push(0);
    assert!(KexReply::parse(&trailing, false).is_err());
    // f negative, non-minimal, zero.
    for f in [&[0x80u8][..], &[0x00, 0x01][..], &[][..]] {
        let mut body = string(b"key");
        body.extend(string(f));
        body.extend(string(b"sig"));
        assert!(
            matches!(KexReply::parse(&body, true), Err(crate::Error::Kex(KexError::BadPublicValue { .. }))),
            "{f:?}"
        );
    }
}
