//! Fuzz entry point for the key facade's decoders: PKCS #8 and SPKI of
//! the post-quantum keys.
//!
//! Entry point: [`fuzz_pkey`]. The first byte picks what the rest is: a
//! whole PKCS #8 key, a whole SPKI, or the `privateKey` octets of a
//! chosen algorithm (wrapped here, so the fuzzer reaches the seed /
//! expanded / both decoder without having to find the OIDs).

use super::{Algorithm, PrivateKey, PrivateKeyForm, PublicKey};
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

/// Decodes the fuzzer's bytes; panics only when an invariant breaks.
#[allow(clippy::panic)]
pub fn fuzz_pkey(data: &[u8]) {
    let [mode, rest @ ..] = data else { return };
    match mode % 3 {
        0 => {
            if let Ok(key) = PrivateKey::from_pkcs8_der(rest) {
                check_private(&key);
            }
        }
        1 => {
            if let Ok(key) = PublicKey::from_spki_der(rest)
                && key.to_spki_der() != rest
            {
                panic!("SPKI did not re-encode identically");
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
