//! Fuzzing entry points for ML-KEM (re-exported from `crate::internal`
//! for `fuzz/fuzz_targets/mlkem_*.rs`).
//!
//! Entry points: [`fuzz_mlkem_decoders`] (encapsulation-key,
//! decapsulation-key and ciphertext decoders plus decapsulation on
//! arbitrary bytes: typed errors, never a panic) and
//! [`fuzz_mlkem_decaps`] (a key from a fuzzed seed, a fuzzed ciphertext:
//! decapsulation is the real key for the honest ciphertext; for any
//! other, the key of the message it decrypts to when it re-encrypts to
//! itself and the implicit-rejection key otherwise). [`ctgrind_keygen_768`] is key
//! generation for the valgrind constant-time check, with a hook that sees
//! rho (public, but derived from the secret seed) before it is used.

use super::params::{ML_KEM_512, ML_KEM_768, ML_KEM_1024};
use super::{ParameterSet, ml_kem_512, ml_kem_768, ml_kem_1024};
use crate::hash::Shake256;

/// First byte: parameter set and which decoder; the rest: the bytes.
#[allow(clippy::panic)]
pub fn fuzz_mlkem_decoders(data: &[u8]) {
    let [sel, rest @ ..] = data else { return };
    let Some(&set) = ParameterSet::ALL.get(usize::from(*sel % 3)) else { return };
    match sel / 3 % 3 {
        0 => {
            if set.check_encapsulation_key(rest).is_ok() {
                let mut ct = [0u8; 1568];
                let ct = ct.get_mut(..set.ciphertext_len()).unwrap_or_default();
                if set.encapsulate_derand_into(rest, &[0x11; 32], ct).is_err() {
                    panic!("a checked encapsulation key was refused");
                }
            }
            let typed_ok = match set {
                ParameterSet::MlKem512 => ml_kem_512::EncapsulationKey::from_bytes(rest).is_ok(),
                ParameterSet::MlKem768 => ml_kem_768::EncapsulationKey::from_bytes(rest).is_ok(),
                _ => ml_kem_1024::EncapsulationKey::from_bytes(rest).is_ok(),
            };
            if typed_ok != set.check_encapsulation_key(rest).is_ok() {
                panic!("typed and slice encapsulation-key checks disagree");
            }
        }
        1 => {
            let _ = match set {
                ParameterSet::MlKem512 => ml_kem_512::DecapsulationKey::from_bytes(rest).map(|_| ()),
                ParameterSet::MlKem768 => ml_kem_768::DecapsulationKey::from_bytes(rest).map(|_| ()),
                _ => ml_kem_1024::DecapsulationKey::from_bytes(rest).map(|_| ()),
            };
            let _ = ml_kem_768::Ciphertext::from_bytes(rest);
        }
        _ => {
            // An expanded key of the right length (hash check and all) and
            // a ciphertext of arbitrary length.
            let split = set.decapsulation_key_len().min(rest.len());
            let (dk, ct) = rest.split_at(split);
            let _ = set.decapsulate(dk, ct);
        }
    }
}

/// First 64 bytes: the seed; next byte: parameter set; the rest: a
/// ciphertext (padded or cut to length).
#[allow(clippy::panic)]
pub fn fuzz_mlkem_decaps(data: &[u8]) {
    let (seed, rest) = data.split_at(64.min(data.len()));
    let Ok(seed) = <[u8; 64]>::try_from(seed) else { return };
    let [sel, ct_bytes @ ..] = rest else { return };
    macro_rules! check {
        ($module:ident, $params:ident, $k:literal) => {{
            let (dk, ek) = $module::generate_from_seed(&seed);
            let mut ct = [0u8; $module::CIPHERTEXT_LEN];
            for (c, b) in ct.iter_mut().zip(ct_bytes) {
                *c = *b;
            }
            let (honest, ss) = ek.encapsulate_derand(&seed[..32].try_into().unwrap_or([0; 32]));
            if dk.decapsulate(&honest) != ss {
                panic!("honest ciphertext did not decapsulate");
            }
            let ct = $module::Ciphertext::from_bytes(&ct).unwrap_or(honest.clone());
            let got = dk.decapsulate(&ct);
            if ct != honest {
                // A forged ciphertext is not always invalid: libFuzzer's
                // comparison tracing can splice in the re-encryption that
                // decapsulation compares against, which is a valid
                // encryption of the message it decrypts to. FIPS 203 gives
                // that message's key then, and J(z || c) otherwise.
                let p = &$params;
                let dk_pke = dk.as_bytes().get(..p.dk_pke_len()).unwrap_or_default();
                let m = super::kpke::decrypt::<{ $k }>(p, dk_pke, ct.as_bytes());
                let (again, key) = ek.encapsulate_derand(&m);
                let expected = if again == ct {
                    *key.as_bytes()
                } else {
                    let mut j = Shake256::new();
                    j.update(&seed[32..]);
                    j.update(ct.as_bytes());
                    let mut reject = [0u8; 32];
                    j.finalize_xof().read(&mut reject);
                    reject
                };
                if *got.as_bytes() != expected {
                    panic!("a forged ciphertext did not give the key FIPS 203 defines for it");
                }
            }
        }};
    }
    match sel % 3 {
        0 => check!(ml_kem_512, ML_KEM_512, 2),
        1 => check!(ml_kem_768, ML_KEM_768, 3),
        _ => check!(ml_kem_1024, ML_KEM_1024, 4),
    }
}

/// ML-KEM-768 key generation from `seed` into `ek` (1184 bytes) and `dk`
/// (2400 bytes), calling `on_rho` with rho before the matrix is sampled
/// (the constant-time check declassifies it there). Wrong buffer lengths
/// leave the buffers partly written; this is a test hook, not an API.
pub fn ctgrind_keygen_768(seed: &[u8; 64], ek: &mut [u8], dk: &mut [u8], on_rho: &dyn Fn(&[u8; 32])) {
    let (d, z) = super::split_seed(seed);
    let mut expanded = super::kpke::Expanded::<3>::zero();
    super::kem::keygen_internal::<3>(&ML_KEM_768, d, z, ek, dk, on_rho, &mut expanded);
    zeroize::Zeroize::zeroize(&mut expanded);
}
