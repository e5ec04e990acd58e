//! Elliptic-curve operations per second: purecrypto next to RustCrypto
//! (p256, p384, k256) and ring (ECDSA; ring's ECDH only takes ephemeral
//! keys, so it is not compared), one criterion group per operation. All
//! signers hash a short message with the curve's hash and use RFC 6979
//! (RustCrypto, purecrypto) or random (ring) nonces. Run by
//! `compare-ec.sh`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use purecrypto::hash::HashAlgorithm;

const MSG: &[u8] = b"benchmark message";

/// purecrypto sign / verify / ECDH for one curve.
fn ours<C: purecrypto::ec::Curve>(c: &mut Criterion, name: &str, hash: HashAlgorithm, key: &[u8]) {
    use purecrypto::ec::ecdsa::SigningKey;
    use purecrypto::ec::{SecretKey, ecdh};
    let sk = SigningKey::<C>::from_bytes(key).unwrap();
    let vk = sk.verifying_key();
    let sig = sk.sign(hash, MSG).unwrap();
    c.bench_function(&format!("ecdsa-{name}-sign/purecrypto"), |b| b.iter(|| black_box(sk.sign(hash, MSG))));
    c.bench_function(&format!("ecdsa-{name}-verify/purecrypto"), |b| b.iter(|| black_box(vk.verify(hash, MSG, &sig))));
    let a = SecretKey::<C>::from_bytes(key).unwrap();
    let mut other = key.to_vec();
    other.reverse();
    let peer = SecretKey::<C>::from_bytes(&other).unwrap().public_key();
    c.bench_function(&format!("ecdh-{name}/purecrypto"), |b| b.iter(|| black_box(ecdh::diffie_hellman(&a, &peer))));
    // Key generation without the RNG: the scalar's public point (the
    // fixed-base comb) and its affine form.
    c.bench_function(&format!("keygen-{name}/purecrypto"), |b| {
        b.iter(|| black_box(SecretKey::<C>::from_bytes(key).unwrap().public_key()))
    });
}

/// RustCrypto's ECDSA / ECDH through the shared `elliptic-curve` traits.
macro_rules! rustcrypto {
    ($c:expr, $name:literal, $krate:ident, $key:expr) => {{
        use $krate::ecdsa::signature::{Signer, Verifier};
        use $krate::ecdsa::{Signature, SigningKey, VerifyingKey};
        let sk = SigningKey::from_slice($key).unwrap();
        let vk = VerifyingKey::from(&sk);
        let sig: Signature = sk.sign(MSG);
        $c.bench_function(concat!("ecdsa-", $name, "-sign/rustcrypto"), |b| {
            b.iter(|| black_box::<Signature>(sk.sign(MSG)))
        });
        $c.bench_function(concat!("ecdsa-", $name, "-verify/rustcrypto"), |b| {
            b.iter(|| black_box(vk.verify(MSG, &sig)))
        });
        let a = $krate::SecretKey::from_slice($key).unwrap();
        let mut other = $key.to_vec();
        other.reverse();
        let peer = $krate::SecretKey::from_slice(&other).unwrap().public_key();
        $c.bench_function(concat!("ecdh-", $name, "/rustcrypto"), |b| {
            b.iter(|| black_box($krate::ecdh::diffie_hellman(a.to_nonzero_scalar(), peer.as_affine())))
        });
        $c.bench_function(concat!("keygen-", $name, "/rustcrypto"), |b| {
            b.iter(|| black_box($krate::SecretKey::from_slice($key).unwrap().public_key()))
        });
    }};
}

fn ring_ecdsa(
    c: &mut Criterion,
    name: &str,
    signing: &'static ring::signature::EcdsaSigningAlgorithm,
    verifying: &'static ring::signature::EcdsaVerificationAlgorithm,
) {
    use ring::signature::KeyPair;
    let rng = ring::rand::SystemRandom::new();
    let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(signing, &rng).unwrap();
    let kp = ring::signature::EcdsaKeyPair::from_pkcs8(signing, pkcs8.as_ref(), &rng).unwrap();
    let sig = kp.sign(&rng, MSG).unwrap();
    let pk = ring::signature::UnparsedPublicKey::new(verifying, kp.public_key().as_ref().to_vec());
    c.bench_function(&format!("ecdsa-{name}-sign/ring"), |b| b.iter(|| black_box(kp.sign(&rng, MSG))));
    c.bench_function(&format!("ecdsa-{name}-verify/ring"), |b| b.iter(|| black_box(pk.verify(MSG, sig.as_ref()))));
}

fn bench_ec(c: &mut Criterion) {
    let k32 = [0x3cu8; 32];
    let k48 = [0x3cu8; 48];
    ours::<purecrypto::ec::P256>(c, "p256", HashAlgorithm::Sha256, &k32);
    rustcrypto!(c, "p256", p256, &k32);
    ring_ecdsa(c, "p256", &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING, &ring::signature::ECDSA_P256_SHA256_FIXED);
    ours::<purecrypto::ec::P384>(c, "p384", HashAlgorithm::Sha384, &k48);
    rustcrypto!(c, "p384", p384, &k48);
    ring_ecdsa(c, "p384", &ring::signature::ECDSA_P384_SHA384_FIXED_SIGNING, &ring::signature::ECDSA_P384_SHA384_FIXED);
    ours::<purecrypto::ec::Secp256k1>(c, "secp256k1", HashAlgorithm::Sha256, &k32);
    rustcrypto!(c, "secp256k1", k256, &k32);
}

criterion_group!(benches, bench_ec);
criterion_main!(benches);
