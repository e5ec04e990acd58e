//! Fuzz entry point for the key facade's decoders: PKCS #8 and SPKI of
//! every key type, and the PEM / DER / traditional loaders.
//!
//! Entry point: [`fuzz_pkey`]. The first byte picks what the rest is: a
//! whole PKCS #8 key, a whole SPKI, the `privateKey` octets of a chosen
//! post-quantum or classical algorithm (wrapped here, so the fuzzer
//! reaches the seed / expanded / both decoder, PKCS #1 and SEC1 without
//! having to find the OIDs), or input for [`PrivateKey::read`] /
//! [`PublicKey::read`] (PEM labels, traditional formats).
//!
//! Invariants: whatever decodes re-encodes to something that decodes to
//! the same key and re-encodes identically; a post-quantum SPKI (one
//! encoding only) re-encodes byte for byte.

use super::{Algorithm, PrivateKey, PrivateKeyForm, PublicKey, classical};
use crate::pkcs8::PrivateKeyInfo;

const FORMS: [PrivateKeyForm; 4] =
    [PrivateKeyForm::Default, PrivateKeyForm::Seed, PrivateKeyForm::Expanded, PrivateKeyForm::Both];

/// Every form a decoded key can be written in must decode to the same key
/// and re-encode identically.
#[allow(clippy::panic)]
fn check_private(key: &PrivateKey) {
    let public = key.public_key();
    for form in FORMS {
        let Ok(der) = key.to_pkcs8_der(form) else { continue };
        let Ok(back) = PrivateKey::from_pkcs8_der(&der) else { panic!("a written private key does not read back") };
        if back.public_key() != public {
            panic!("a private key read back with another public key");
        }
        if back.to_pkcs8_der(form).ok().as_deref() != Some(&der) {
            panic!("a private key did not re-encode identically");
        }
    }
}

/// A decoded public key must survive its own encoding; post-quantum
/// keys (a single valid encoding) must give back `input` exactly.
#[allow(clippy::panic)]
fn check_public(key: &PublicKey, input: &[u8]) {
    let der = key.to_spki_der();
    if key.algorithm().is_post_quantum() && der != input {
        panic!("SPKI did not re-encode identically");
    }
    if PublicKey::from_spki_der(&der).ok().as_ref() != Some(key) {
        panic!("a written public key does not read back");
    }
}

/// Decodes the fuzzer's bytes; panics only when an invariant breaks.
#[allow(clippy::panic)]
pub fn fuzz_pkey(data: &[u8]) {
    let [mode, rest @ ..] = data else { return };
    match mode % 5 {
        0 => {
            if let Ok(key) = PrivateKey::from_pkcs8_der(rest) {
                check_private(&key);
            }
        }
        1 => {
            if let Ok(key) = PublicKey::from_spki_der(rest) {
                check_public(&key, rest);
            }
        }
        2 => {
            if let Ok(key) = PrivateKey::read(rest, Some(b"pw")) {
                check_private(&key);
            }
            if let Ok(key) = PublicKey::read(rest) {
                check_public(&key, &key.to_spki_der());
            }
        }
        3 => {
            let [which, octets @ ..] = rest else { return };
            let all = Algorithm::CLASSICAL;
            let Some(alg) = all.get(usize::from(*which) % all.len()) else { return };
            let params = classical::parameters(*alg);
            let der = PrivateKeyInfo::new(alg.oid(), params.as_deref(), octets).to_der();
            if let Ok(key) = PrivateKey::from_pkcs8_der(&der) {
                check_private(&key);
            }
            if let Ok(key) = PublicKey::from_raw(*alg, octets) {
                check_public(&key, &key.to_spki_der());
            }
        }
        _ => {
            let [which, octets @ ..] = rest else { return };
            let all = Algorithm::ALL;
            let Some(alg) = all.get(usize::from(*which) % all.len()) else { return };
            let der = PrivateKeyInfo::new(alg.oid(), None, octets).to_der();
            if let Ok(key) = PrivateKey::from_pkcs8_der(&der) {
                check_private(&key);
            }
        }
    }
}
