//! ML-KEM known-answer runners: NIST ACVP (`algorithm` "ML-KEM", modes
//! keyGen and encapDecap) and Wycheproof's four ML-KEM schemas.
//!
//! Entry points: [`acvp`] (dispatches on the group's `function`; keyGen
//! groups have none), [`wycheproof_keygen_seed`], [`wycheproof_encaps`],
//! [`wycheproof_decaps`] (seed-form keys) and
//! [`wycheproof_semi_expanded_decaps`] (expanded keys).

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::mlkem::{ParameterSet, SEED_LEN};

/// Decodes several hex fields, or the outcome that says which was bad.
fn fields<const N: usize>(test: &Value, names: [&str; N]) -> Result<[Vec<u8>; N], Outcome> {
    let mut out: [Vec<u8>; N] = core::array::from_fn(|_| Vec::new());
    for (slot, name) in out.iter_mut().zip(names) {
        *slot = hex_field(test, name)?;
    }
    Ok(out)
}

/// A hex field that may be absent (absent reads as empty).
fn optional_hex(test: &Value, name: &str) -> Result<Vec<u8>, Outcome> {
    if test.get(name).is_some() { hex_field(test, name) } else { Ok(Vec::new()) }
}

fn parameter_set(group: &Value) -> Result<ParameterSet, Outcome> {
    let name = group.get("parameterSet").and_then(Value::as_str).unwrap_or_default();
    ParameterSet::from_name(name).ok_or_else(|| Outcome::Skip(format!("ML-KEM parameter set {name:?}")))
}

fn seed_of(d: &[u8], z: &[u8]) -> Option<[u8; SEED_LEN]> {
    let mut seed = [0u8; SEED_LEN];
    if d.len() != 32 || z.len() != 32 {
        return None;
    }
    seed[..32].copy_from_slice(d);
    seed[32..].copy_from_slice(z);
    Some(seed)
}

/// Expanded key pair from a 64-byte seed.
fn keygen(set: ParameterSet, seed: &[u8; SEED_LEN]) -> (Vec<u8>, Vec<u8>) {
    let mut ek = alloc::vec![0u8; set.encapsulation_key_len()];
    let mut dk = alloc::vec![0u8; set.decapsulation_key_len()];
    // The buffers have the set's exact lengths, so this cannot fail.
    let _ = set.generate_from_seed_into(seed, &mut ek, &mut dk);
    (ek, dk)
}

fn compare(what: &str, got: &[u8], want: &[u8]) -> Outcome {
    if got == want { Outcome::Pass } else { Outcome::Fail(format!("{what} differs")) }
}

fn run(f: impl FnOnce() -> Result<Outcome, Outcome>) -> Outcome {
    f().unwrap_or_else(|o| o)
}

/// One ACVP ML-KEM case (keyGen or encapDecap).
pub fn acvp(_revision: &str, group: &Value, test: &Value) -> Outcome {
    run(|| {
        let set = parameter_set(group)?;
        let function = group.get("function").and_then(Value::as_str);
        let passed = test.get("testPassed").and_then(Value::as_bool);
        Ok(match function {
            None => {
                let [d, z, ek, dk] = fields(test, ["d", "z", "ek", "dk"])?;
                let seed = seed_of(&d, &z).ok_or_else(|| Outcome::Fail("d or z not 32 bytes".into()))?;
                let (got_ek, got_dk) = keygen(set, &seed);
                match compare("ek", &got_ek, &ek) {
                    Outcome::Pass => compare("dk", &got_dk, &dk),
                    other => other,
                }
            }
            Some("encapsulation") => {
                let [ek, m, c, k] = fields(test, ["ek", "m", "c", "k"])?;
                let m: [u8; 32] = m.try_into().map_err(|_| Outcome::Fail("m not 32 bytes".into()))?;
                let mut ct = alloc::vec![0u8; set.ciphertext_len()];
                match set.encapsulate_derand_into(&ek, &m, &mut ct) {
                    Ok(ss) => match compare("c", &ct, &c) {
                        Outcome::Pass => compare("k", ss.as_bytes(), &k),
                        other => other,
                    },
                    Err(e) => Outcome::Fail(format!("encapsulation failed: {e}")),
                }
            }
            Some("decapsulation") => {
                let [dk, c, k] = fields(test, ["dk", "c", "k"])?;
                if group.get("keyFormat").and_then(Value::as_str) == Some("seed") {
                    // The seed must expand to the same key.
                    let [d, z] = fields(test, ["d", "z"])?;
                    let seed = seed_of(&d, &z).ok_or_else(|| Outcome::Fail("d or z not 32 bytes".into()))?;
                    if keygen(set, &seed).1 != dk {
                        return Ok(Outcome::Fail("seed does not expand to dk".into()));
                    }
                }
                match set.decapsulate(&dk, &c) {
                    Ok(ss) => compare("k", ss.as_bytes(), &k),
                    Err(e) => Outcome::Fail(format!("decapsulation failed: {e}")),
                }
            }
            Some("decapsulationKeyCheck") => {
                let [dk] = fields(test, ["dk"])?;
                verdict(passed, set.check_decapsulation_key(&dk).is_ok())
            }
            Some("encapsulationKeyCheck") => {
                let [ek] = fields(test, ["ek"])?;
                verdict(passed, set.check_encapsulation_key(&ek).is_ok())
            }
            Some(other) => Outcome::Skip(format!("ML-KEM function {other}")),
        })
    })
}

fn verdict(expected: Option<bool>, accepted: bool) -> Outcome {
    match expected {
        Some(e) if e == accepted => Outcome::Pass,
        Some(e) => Outcome::Fail(format!("key check gave {accepted}, expected {e}")),
        None => Outcome::Fail("missing testPassed".to_string()),
    }
}

/// Wycheproof `mlkem_keygen_seed_test_schema.json`.
pub fn wycheproof_keygen_seed(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    run(|| {
        let set = parameter_set(group)?;
        let [seed, ek, dk] = fields(test, ["seed", "ek", "dk"])?;
        let accepted = <[u8; SEED_LEN]>::try_from(seed.as_slice()).is_ok_and(|s| keygen(set, &s) == (ek, dk));
        Ok(wycheproof_verdict(test, accepted))
    })
}

/// Wycheproof `mlkem_encaps_test_schema.json`: deterministic encapsulation,
/// with the modulus check on the key.
pub fn wycheproof_encaps(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    run(|| {
        let set = parameter_set(group)?;
        let [ek, m, c, k] = fields(test, ["ek", "m", "c", "K"])?;
        let accepted = <[u8; 32]>::try_from(m.as_slice()).is_ok_and(|m| {
            let mut ct = alloc::vec![0u8; set.ciphertext_len()];
            set.encapsulate_derand_into(&ek, &m, &mut ct).is_ok_and(|ss| ct == c && ss.as_bytes()[..] == k[..])
        });
        Ok(wycheproof_verdict(test, accepted))
    })
}

/// Wycheproof `mlkem_test_schema.json`: a seed-form decapsulation key and
/// a ciphertext; the key must be 64 bytes and the ciphertext the set's
/// length.
pub fn wycheproof_decaps(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    run(|| {
        let set = parameter_set(group)?;
        let [seed, c, k] = fields(test, ["seed", "c", "K"])?;
        let expected_ek = optional_hex(test, "ek")?;
        let accepted = <[u8; SEED_LEN]>::try_from(seed.as_slice()).is_ok_and(|s| {
            let (ek, dk) = keygen(set, &s);
            (expected_ek.is_empty() || expected_ek == ek)
                && set.decapsulate(&dk, &c).is_ok_and(|ss| ss.as_bytes()[..] == k[..])
        });
        Ok(wycheproof_verdict(test, accepted))
    })
}

/// Wycheproof `mlkem_semi_expanded_decaps_test_schema.json`: an expanded
/// decapsulation key (hash-checked) and a ciphertext.
pub fn wycheproof_semi_expanded_decaps(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    run(|| {
        let set = parameter_set(group)?;
        let [dk, c] = fields(test, ["dk", "c"])?;
        // Invalid cases carry no expected key.
        let k = optional_hex(test, "K")?;
        let accepted = set.decapsulate(&dk, &c).is_ok_and(|ss| ss.as_bytes()[..] == k[..]);
        Ok(wycheproof_verdict(test, accepted))
    })
}
