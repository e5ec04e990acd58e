//! Verifies and decrypts hostile bytes with a fixed 2048-bit key: never
//! panics, never returns an oversized plaintext.
#![no_main]

use std::sync::OnceLock;

static KEY: OnceLock<purecrypto::rsa::RsaPrivateKey> = OnceLock::new();

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let key = KEY.get_or_init(|| {
        purecrypto::rsa::RsaPrivateKey::from_pkcs1_der(include_bytes!("../../tests/data/rsa/key2048.der"))
            .expect("fixed key")
    });
    purecrypto::internal::fuzz_rsa_ops(key, data);
});
