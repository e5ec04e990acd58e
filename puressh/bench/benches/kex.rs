//! Key exchange, client side: the ephemeral key generation
//! (`kex::method_for`) plus the shared-secret computation from the
//! server's reply (`KexMethod::finish`), per method. The server's reply
//! is made between the two halves and not timed. The reference line is
//! ring's ECDH (generate, public key, agree) for X25519 and P-256; ring
//! has no ML-KEM or sntrup761.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, criterion_group, criterion_main};
use puressh::names;
use puressh::transport::kex;

/// The server's value for the client value `c`: for (EC)DH methods any
/// other public value of the same group (a second ephemeral key); for the
/// hybrids an encapsulation to the client's key plus an X25519 value.
fn server_reply(name: &str, c: &[u8]) -> Vec<u8> {
    use purecrypto::rng::OsRng;
    match name {
        names::MLKEM768X25519_SHA256 => purecrypto::hybrid::ssh::server_reply(c, &mut OsRng).unwrap().0,
        names::SNTRUP761X25519_SHA512 => {
            let (ek, _) = c.split_at(purecrypto::sntrup761::PUBLIC_KEY_LEN);
            let ek = purecrypto::sntrup761::EncapsulationKey::from_bytes(ek).unwrap();
            let mut out = ek.encapsulate(&mut OsRng).unwrap().0.as_bytes().to_vec();
            out.extend_from_slice(purecrypto::x25519::PrivateKey::generate(&mut OsRng).public_key().as_bytes());
            out
        }
        _ => kex::method_for(name).unwrap().client_public(),
    }
}

fn bench_kex(c: &mut Criterion) {
    let mut group = c.benchmark_group("kex-client");
    for name in [
        names::CURVE25519_SHA256,
        names::ECDH_SHA2_NISTP256,
        names::MLKEM768X25519_SHA256,
        names::SNTRUP761X25519_SHA512,
    ] {
        group.bench_function(format!("puressh/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let method = kex::method_for(name).unwrap();
                    let public = method.client_public();
                    timed += start.elapsed();
                    let reply = server_reply(name, &public);
                    let start = Instant::now();
                    black_box(method.finish(&reply).unwrap());
                    timed += start.elapsed();
                }
                timed
            })
        });
        let ring_alg = match name {
            names::CURVE25519_SHA256 => &ring::agreement::X25519,
            names::ECDH_SHA2_NISTP256 => &ring::agreement::ECDH_P256,
            _ => continue,
        };
        let rng = ring::rand::SystemRandom::new();
        group.bench_function(format!("ring/{name}"), |b| {
            b.iter_custom(|iters| {
                let mut timed = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    let private = ring::agreement::EphemeralPrivateKey::generate(ring_alg, &rng).unwrap();
                    let public = private.compute_public_key().unwrap();
                    timed += start.elapsed();
                    let server = ring::agreement::EphemeralPrivateKey::generate(ring_alg, &rng).unwrap();
                    let reply = server.compute_public_key().unwrap();
                    let peer = ring::agreement::UnparsedPublicKey::new(ring_alg, reply.as_ref().to_vec());
                    let start = Instant::now();
                    black_box(ring::agreement::agree_ephemeral(private, &peer, |k| k.len()).unwrap());
                    timed += start.elapsed();
                    black_box(public);
                }
                timed
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench_kex);
criterion_main!(benches);
