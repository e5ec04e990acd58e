//! Fuzzing entry points for the RSA decoders and the operations that take
//! untrusted bytes (re-exported through `crate::internal`).
//!
//! Entry points: [`fuzz_rsa_decode`] (PKCS#1 and SPKI decoders, with a
//! re-encoding check) and [`fuzz_rsa_ops`] (verify and decrypt arbitrary
//! bytes with a fixed key).

use super::{Mgf, OaepParams, PssHash, PssParams, RsaPrivateKey, RsaPublicKey, SaltLength};
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;

/// Decodes `data` as every RSA key format; whatever decodes must
/// re-encode to the same bytes (DER is canonical).
#[allow(clippy::panic)]
pub fn fuzz_rsa_decode(data: &[u8]) {
    if let Ok(key) = RsaPublicKey::dangerous_from_pkcs1_der_allow_small(data)
        && key.to_pkcs1_der() != data
    {
        panic!("RSAPublicKey did not round-trip");
    }
    if let Ok(key) = RsaPrivateKey::dangerous_from_pkcs1_der_allow_small(data)
        && key.to_pkcs1_der() != data
    {
        panic!("RSAPrivateKey did not round-trip");
    }
    let _ = RsaPublicKey::from_spki_der(data);
}

/// Runs every verification and decryption of `key` on `data` (first byte
/// picks a hash); none may panic, and nothing may decrypt to a message
/// longer than the modulus allows.
#[allow(clippy::panic)]
pub fn fuzz_rsa_ops(key: &RsaPrivateKey, data: &[u8]) {
    let [pick, rest @ ..] = data else { return };
    let hashes = [HashAlgorithm::Sha1, HashAlgorithm::Sha256, HashAlgorithm::Sha384, HashAlgorithm::Sha3_256];
    let hash = hashes.get(usize::from(*pick) % hashes.len()).copied().unwrap_or(HashAlgorithm::Sha256);
    let public = key.public_key();
    let _ = public.verify_pkcs1v15(hash, b"message", rest);
    let _ = public.verify_pss(&PssParams { salt: SaltLength::Auto, ..PssParams::new(hash) }, b"message", rest);
    let shake = PssParams { hash: PssHash::Shake128, mgf: Mgf::Shake128, salt: SaltLength::Auto };
    let _ = public.verify_pss(&shake, b"message", rest);
    let Ok(mut rng) = HmacDrbg::new(HashAlgorithm::Sha256, &[7; 32], b"", b"fuzz") else { return };
    let limit = key.size();
    for out in [
        key.decrypt_oaep(&mut rng, &OaepParams::new(hash), rest),
        key.decrypt_pkcs1v15(&mut rng, rest),
        key.decrypt_pkcs1v15_implicit(&mut rng, rest),
    ] {
        if out.is_ok_and(|m| m.len() > limit) {
            panic!("decrypted more than the modulus holds");
        }
    }
}
