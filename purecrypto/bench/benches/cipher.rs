//! Raw cipher and MAC throughput in purecrypto (AES-128 blocks, AES-CTR,
//! ChaCha20, Poly1305, GHASH-bound GMAC), with RustCrypto's `aes` block
//! cipher as the peer for raw AES.

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

const SIZES: [usize; 3] = [64, 1024, 16384];

fn bench_cipher(c: &mut Criterion) {
    use aes_gcm::aes::cipher::{BlockCipherEncrypt as _, KeyInit as _};
    let aes = purecrypto::cipher::aes::Aes::new(&[7; 16]).unwrap();
    let peer = aes_gcm::aes::Aes128::new_from_slice(&[7; 16]).unwrap();
    let mut group = c.benchmark_group("aes-128-blocks");
    for size in SIZES {
        group.throughput(Throughput::Bytes(size as u64));
        let mut blocks = vec![[0u8; 16]; size / 16];
        group.bench_function(BenchmarkId::new("purecrypto", size), |b| b.iter(|| aes.encrypt_blocks(&mut blocks)));
        let mut peer_blocks = vec![aes_gcm::aes::Block::default(); size / 16];
        group
            .bench_function(BenchmarkId::new("rustcrypto", size), |b| b.iter(|| peer.encrypt_blocks(&mut peer_blocks)));
    }
    group.finish();

    let mut group = c.benchmark_group("stream");
    for size in SIZES {
        group.throughput(Throughput::Bytes(size as u64));
        let mut buf = vec![0u8; size];
        group.bench_function(BenchmarkId::new("aes-128-ctr", size), |b| {
            b.iter(|| purecrypto::cipher::modes::ctr::apply_keystream(&aes, &[0; 16], &mut buf))
        });
        group.bench_function(BenchmarkId::new("chacha20", size), |b| {
            b.iter(|| {
                purecrypto::cipher::chacha20::ChaCha20::new(&[1; 32], &[0; 12], 0).unwrap().apply_keystream(&mut buf)
            })
        });
        group.bench_function(BenchmarkId::new("poly1305", size), |b| {
            b.iter(|| {
                let mut p = purecrypto::mac::poly1305::Poly1305::new(&[3; 32]);
                p.update(&buf);
                black_box(p.finalize())
            })
        });
        let gmac = purecrypto::mac::gmac::Gmac::new(&[5; 16]).unwrap();
        group.bench_function(BenchmarkId::new("gmac", size), |b| b.iter(|| black_box(gmac.compute(&[0; 12], &buf))));
    }
    group.finish();
}

criterion_group!(benches, bench_cipher);
criterion_main!(benches);
