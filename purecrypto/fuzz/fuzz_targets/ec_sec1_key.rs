//! Decodes arbitrary bytes as an RFC 5915 `ECPrivateKey` and as an EC
//! `SubjectPublicKeyInfo` on every curve: typed errors, never a panic;
//! accepted keys survive a re-encode / decode round trip.
#![no_main]

use purecrypto::ec::{Curve, P256, P384, P521, Secp256k1, sec1};

fn check<C: Curve>(data: &[u8]) {
    if let Ok(key) = sec1::decode_private_key::<C>(data) {
        let again = sec1::decode_private_key::<C>(&sec1::encode_private_key(&key)).unwrap();
        assert_eq!(again.to_bytes(), key.to_bytes());
    }
    if let Ok(public) = sec1::decode_spki::<C>(data) {
        assert_eq!(sec1::decode_spki::<C>(&sec1::encode_spki(&public)).unwrap(), public);
    }
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    check::<P256>(data);
    check::<P384>(data);
    check::<P521>(data);
    check::<Secp256k1>(data);
});
