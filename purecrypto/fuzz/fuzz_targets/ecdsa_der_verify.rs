//! Parses arbitrary bytes as a DER ECDSA signature and verifies it
//! against a fixed key: must never panic, and a parsed signature
//! re-encodes to the same (strict DER) bytes.
#![no_main]

use purecrypto::ec::ecdsa::{Signature, SigningKey};
use purecrypto::ec::{Curve, P256, P384, Secp256k1};
use purecrypto::hash::HashAlgorithm;

fn check<C: Curve>(data: &[u8], key_len: usize) {
    let Ok(sig) = Signature::<C>::from_der(data) else { return };
    assert_eq!(sig.to_der(), data);
    let key = SigningKey::<C>::from_bytes(&vec![0x11; key_len]).unwrap();
    let _ = key.verifying_key().verify(HashAlgorithm::Sha256, b"fuzz", &sig);
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check::<P256>(data, 32);
    check::<P384>(data, 48);
    check::<Secp256k1>(data, 32);
});
