//! AEAD throughput: purecrypto next to RustCrypto (aes-gcm,
//! chacha20poly1305) and ring, one criterion group per algorithm and a
//! fixed size ladder (openssl speed's sizes). Run by `compare-aead.sh`.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// openssl speed's ladder plus 1350, a typical full TLS / QUIC record over Ethernet.
const SIZES: [usize; 7] = [16, 64, 256, 1024, 1350, 8192, 16384];

fn rustcrypto<C: aes_gcm::AeadInOut>(c: &C, buf: &mut [u8]) {
    let nonce = aes_gcm::aead::Nonce::<C>::default();
    black_box(c.encrypt_inout_detached(&nonce, b"", buf.into()).ok());
}

fn ring_seal(key: &ring::aead::LessSafeKey, buf: &mut [u8]) {
    let nonce = ring::aead::Nonce::assume_unique_for_key([0; 12]);
    black_box(key.seal_in_place_separate_tag(nonce, ring::aead::Aad::empty(), buf).ok());
}

fn bench_aead(c: &mut Criterion) {
    use aes_gcm::KeyInit as _;
    type Ours = Box<dyn purecrypto::aead::Aead>;
    let algs: [(&str, &'static ring::aead::Algorithm, usize); 3] = [
        ("aes-128-gcm", &ring::aead::AES_128_GCM, 16),
        ("aes-256-gcm", &ring::aead::AES_256_GCM, 32),
        ("chacha20-poly1305", &ring::aead::CHACHA20_POLY1305, 32),
    ];
    for (name, ring_alg, key_len) in algs {
        let key = vec![0x42u8; key_len];
        let ours: Ours = if name.starts_with("aes") {
            Box::new(purecrypto::aead::gcm::AesGcm::new(&key).unwrap())
        } else {
            Box::new(purecrypto::aead::chacha20poly1305::ChaCha20Poly1305::new(&key).unwrap())
        };
        let ring_key = ring::aead::LessSafeKey::new(ring::aead::UnboundKey::new(ring_alg, &key).unwrap());
        let aes128 = aes_gcm::Aes128Gcm::new_from_slice(&[0x42; 16]).unwrap();
        let aes256 = aes_gcm::Aes256Gcm::new_from_slice(&[0x42; 32]).unwrap();
        let chacha = chacha20poly1305::ChaCha20Poly1305::new_from_slice(&[0x42; 32]).unwrap();
        let mut group = c.benchmark_group(name);
        for size in SIZES {
            let mut buf = vec![0u8; size];
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_function(BenchmarkId::new("purecrypto", size), |b| {
                b.iter(|| black_box(ours.encrypt_in_place_detached(&[0; 12], b"", &mut buf).ok()))
            });
            group.bench_function(BenchmarkId::new("rustcrypto", size), |b| match name {
                "aes-128-gcm" => b.iter(|| rustcrypto(&aes128, &mut buf)),
                "aes-256-gcm" => b.iter(|| rustcrypto(&aes256, &mut buf)),
                _ => b.iter(|| rustcrypto(&chacha, &mut buf)),
            });
            group.bench_function(BenchmarkId::new("ring", size), |b| b.iter(|| ring_seal(&ring_key, &mut buf)));
        }
        group.finish();
    }
}

criterion_group!(benches, bench_aead);
criterion_main!(benches);
