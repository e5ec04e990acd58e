//! Decodes arbitrary bytes as a SEC1 point on every curve: must never
//! panic, and an accepted point re-encodes to the same bytes.
#![no_main]

use purecrypto::ec::{Curve, P256, P384, P521, PublicKey, Secp256k1};

fn check<C: Curve>(data: &[u8]) {
    if let Ok(p) = PublicKey::<C>::from_sec1(data) {
        let compressed = data.first().is_some_and(|&t| t == 2 || t == 3);
        assert_eq!(p.to_sec1(compressed), data);
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check::<P256>(data);
    check::<P384>(data);
    check::<P521>(data);
    check::<Secp256k1>(data);
});
