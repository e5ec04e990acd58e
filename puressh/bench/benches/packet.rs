//! Packet-layer throughput: one 32 KiB channel-data payload framed,
//! padded and sealed by `PacketEncoder`, then opened by `PacketDecoder`,
//! for each cipher puressh negotiates with OpenSSH. The reference line is
//! ring's raw AEAD (seal + open of the same 32 KiB, no SSH framing), so
//! the gap between the two is our framing plus our primitive.
//! The process-level comparison with OpenSSH is `compare.sh`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use puressh::names;
use puressh::transport::cipher::{self, Random};
use puressh::transport::packet::{DEFAULT_MAX_PACKET_LEN, PacketDecoder, PacketEncoder};

/// OpenSSH's channel packet size (`CHAN_SES_PACKET_DEFAULT`): what a bulk
/// transfer carries per packet.
const PAYLOAD: usize = 32 << 10;

/// Padding bytes: fixed, so the bench measures the cipher, not the RNG.
struct Fixed;

impl Random for Fixed {
    fn fill(&mut self, out: &mut [u8]) {
        out.fill(0x5a);
    }
}

/// An encoder and a decoder sharing keys for `cipher` (+ `mac`).
fn pair(cipher_name: &str, mac: &str) -> (PacketEncoder, PacketDecoder) {
    let sizes = cipher::key_sizes(cipher_name, mac).unwrap();
    let (key, iv, mac_key) = (vec![0x11; sizes.key], vec![0x22; sizes.iv], vec![0x33; sizes.mac_key]);
    let mut enc = PacketEncoder::new(DEFAULT_MAX_PACKET_LEN);
    enc.set_cipher(cipher::select(cipher_name, mac, &key, &iv, &mac_key).unwrap());
    let mut dec = PacketDecoder::new(DEFAULT_MAX_PACKET_LEN);
    dec.set_cipher(cipher::select(cipher_name, mac, &key, &iv, &mac_key).unwrap());
    (enc, dec)
}

fn seal_open(enc: &mut PacketEncoder, dec: &mut PacketDecoder, payload: &[u8], wire: &mut Vec<u8>) -> usize {
    wire.clear();
    enc.encode(payload, &mut Fixed, wire).unwrap();
    let used = dec.input(wire).unwrap();
    assert_eq!(used, wire.len());
    dec.take_packet().unwrap().payload.len()
}

fn ring_seal_open(key: &ring::aead::LessSafeKey, buf: &mut [u8]) -> usize {
    let nonce = || ring::aead::Nonce::assume_unique_for_key([0; 12]);
    let tag = key.seal_in_place_separate_tag(nonce(), ring::aead::Aad::from([0; 4]), buf).unwrap();
    let mut both = Vec::with_capacity(buf.len() + 16);
    both.extend_from_slice(buf);
    both.extend_from_slice(tag.as_ref());
    key.open_in_place(nonce(), ring::aead::Aad::from([0; 4]), &mut both).unwrap().len()
}

/// ring's algorithm and key length: the raw-AEAD reference of a cipher.
type RingAead = Option<(&'static ring::aead::Algorithm, usize)>;

fn bench_packet(c: &mut Criterion) {
    let ciphers: [(&str, &str, RingAead); 4] = [
        (names::CHACHA20_POLY1305, "", Some((&ring::aead::CHACHA20_POLY1305, 32))),
        (names::AES128_GCM, "", Some((&ring::aead::AES_128_GCM, 16))),
        (names::AES256_GCM, "", Some((&ring::aead::AES_256_GCM, 32))),
        (names::AES128_CTR, names::HMAC_SHA2_256_ETM, None),
    ];
    let payload = vec![0xa5u8; PAYLOAD];
    for (name, mac, ring_alg) in ciphers {
        let label = if mac.is_empty() { name.to_owned() } else { format!("{name}+{mac}") };
        let mut group = c.benchmark_group(format!("seal+open/{label}"));
        group.throughput(Throughput::Bytes(PAYLOAD as u64));
        let (mut enc, mut dec) = pair(name, mac);
        let mut wire = Vec::with_capacity(PAYLOAD + 256);
        group.bench_function(BenchmarkId::new("puressh", PAYLOAD), |b| {
            b.iter(|| black_box(seal_open(&mut enc, &mut dec, &payload, &mut wire)))
        });
        if let Some((alg, key_len)) = ring_alg {
            let key = ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(alg, &vec![0x11; key_len]).unwrap());
            let mut buf = payload.clone();
            group.bench_function(BenchmarkId::new("ring-raw-aead", PAYLOAD), |b| {
                b.iter(|| black_box(ring_seal_open(&key, &mut buf)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_packet);
criterion_main!(benches);
