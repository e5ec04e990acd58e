use super::*;
use crate::names as n;
use crate::transport::packet::{PacketDecoder, PacketEncoder};

const VECTORS: &str = include_str!("../../../tests/data/cipher-kat/vectors.txt");

fn hex(s: &str) -> Vec<u8> {
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
}

fn range(a: u8, b: u8) -> Vec<u8> {
    (a..b).collect()
}

/// A cipher per vector family, keyed as `generate.py` keys it.
fn make(name: &str) -> Box<dyn PacketCipher> {
    match name {
        "chacha" => select(n::CHACHA20_POLY1305, "", &range(0, 64), &[], &[]),
        "gcm128" => select(n::AES128_GCM, "", &range(200, 216), &range(70, 82), &[]),
        "gcm256" => select(n::AES256_GCM, "", &range(100, 132), &range(70, 82), &[]),
        "ctr128-sha256" => select(n::AES128_CTR, n::HMAC_SHA2_256, &range(200, 216), &range(50, 66), &range(1, 33)),
        "ctr256-sha512-etm" => {
            select(n::AES256_CTR, n::HMAC_SHA2_512_ETM, &range(100, 132), &range(50, 66), &range(1, 65))
        }
        "ctr192-sha256-etm" => {
            select(n::AES192_CTR, n::HMAC_SHA2_256_ETM, &range(0, 24), &range(50, 66), &range(1, 33))
        }
        other => panic!("unknown family {other}"),
    }
    .unwrap()
}

fn vectors() -> Vec<(&'static str, u32, Vec<u8>, Vec<u8>)> {
    VECTORS
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0], f[1].parse().unwrap(), hex(f[2]), hex(f[3]))
        })
        .collect()
}

/// Sealing gives pyca/cryptography's bytes; opening the same bytes (fed
/// the way the packet decoder feeds them) gives the plaintext back.
#[test]
fn known_answers_both_directions() {
    let all = vectors();
    assert_eq!(all.len(), 12);
    let mut families: Vec<&str> = all.iter().map(|v| v.0).collect();
    families.dedup();
    for family in families {
        let (mut sealer, mut opener) = (make(family), make(family));
        for (_, seq, plain, expected) in all.iter().filter(|v| v.0 == family) {
            let mut packet = plain.clone();
            let mut tag = vec![0u8; sealer.tag_len()];
            sealer.seal(*seq, &mut packet, &mut tag);
            packet.extend_from_slice(&tag);
            assert_eq!(&packet, expected, "{family} seq {seq}");

            let mut wire = expected.clone();
            let tag = wire.split_off(plain.len());
            let head = opener.length_bytes();
            let length = opener.decrypt_length(*seq, &mut wire[..head]).unwrap();
            assert_eq!(length as usize + 4, plain.len(), "{family} length");
            opener.open(*seq, &mut wire, &tag).unwrap();
            assert_eq!(&wire, plain, "{family} seq {seq} opened");
        }
    }
}

struct Fixed;

impl Random for Fixed {
    fn fill(&mut self, out: &mut [u8]) {
        out.fill(0xAA);
    }
}

/// Every cipher through the real packet encoder and decoder: round trips
/// at several sizes, and any flipped bit is an authentication failure.
#[test]
fn packets_round_trip_and_tampering_is_caught() {
    for family in ["chacha", "gcm128", "gcm256", "ctr128-sha256", "ctr256-sha512-etm", "ctr192-sha256-etm"] {
        let mut enc = PacketEncoder::new(256 * 1024);
        let mut dec = PacketDecoder::new(256 * 1024);
        enc.set_cipher(make(family));
        dec.set_cipher(make(family));
        let mut wire = Vec::new();
        let payloads: Vec<Vec<u8>> =
            [1usize, 15, 16, 17, 255, 4096, 32_768].iter().map(|&n| vec![n as u8; n]).collect();
        for p in &payloads {
            enc.encode(p, &mut Fixed, &mut wire).unwrap();
        }
        let mut at = 0;
        for p in &payloads {
            loop {
                at += dec.input(&wire[at..]).unwrap();
                if let Some(packet) = dec.take_packet() {
                    assert_eq!(&packet.payload, p, "{family}");
                    break;
                }
            }
        }
        assert_eq!(at, wire.len());

        let mut enc = PacketEncoder::new(256 * 1024);
        enc.set_cipher(make(family));
        let mut one = Vec::new();
        enc.encode(b"tamper me", &mut Fixed, &mut one).unwrap();
        for i in [one.len() - 1, one.len() / 2, 4] {
            let mut bad = one.clone();
            bad[i] ^= 1;
            let mut dec = PacketDecoder::new(256 * 1024);
            dec.set_cipher(make(family));
            let r = dec.input(&bad);
            assert!(r.is_err() || dec.take_packet().is_none(), "{family}: flipped byte {i} accepted");
        }
    }
}

#[test]
fn names_sizes_and_bad_keys() {
    assert_eq!(key_sizes(n::CHACHA20_POLY1305, "x"), Some(KeySizes { key: 64, iv: 0, mac_key: 0 }));
    assert_eq!(key_sizes(n::AES192_CTR, n::HMAC_SHA2_512_ETM), Some(KeySizes { key: 24, iv: 16, mac_key: 64 }));
    assert_eq!(key_sizes(n::AES128_CTR, "hmac-md5"), None);
    assert!(is_aead(n::AES256_GCM) && !is_aead(n::AES256_CTR));
    assert!(select(n::CHACHA20_POLY1305, "", &[0; 32], &[], &[]).is_err());
    assert!(select(n::AES128_GCM, "", &[0; 16], &[0; 8], &[]).is_err());
    assert!(select(n::AES128_CTR, n::HMAC_SHA2_256, &[0; 16], &[0; 16], &[0; 31]).is_err());
    assert!(select("3des-cbc", "", &[0; 24], &[0; 8], &[]).is_err());
}
