//! EdDSA runners: Wycheproof `eddsa_verify_schema_v1.json` (Ed25519 and
//! Ed448 verification) and NIST ACVP `EDDSA` revision 1.0 (keyGen, keyVer,
//! sigGen, sigVer for ED-25519 and ED-448, pure and preHash).
//!
//! Entry points: [`wycheproof`], [`acvp`]. ACVP passes no mode to the
//! case runner, so the mode is read from the case's shape: a `message`
//! with `testPassed` is sigVer, a `message` alone sigGen, `testPassed`
//! alone keyVer, and `d` with `q` keyGen.

use alloc::format;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::{ed448, ed25519};

/// The two curves, with the operations the runners need.
#[derive(Clone, Copy)]
enum Curve {
    Ed25519,
    Ed448,
}

impl Curve {
    fn from_name(name: &str) -> Option<Curve> {
        match name {
            "edwards25519" | "ED-25519" => Some(Curve::Ed25519),
            "edwards448" | "ED-448" => Some(Curve::Ed448),
            _ => None,
        }
    }

    /// The public key for a seed; `None` for a seed of the wrong length.
    fn public_from_seed(self, seed: &[u8]) -> Option<Vec<u8>> {
        match self {
            Curve::Ed25519 => {
                let seed = <[u8; 32]>::try_from(seed).ok()?;
                Some(ed25519::SigningKey::from_seed(&seed).verifying_key().to_bytes().to_vec())
            }
            Curve::Ed448 => {
                let seed = <[u8; 57]>::try_from(seed).ok()?;
                Some(ed448::SigningKey::from_seed(&seed).verifying_key().to_bytes().to_vec())
            }
        }
    }

    fn key_is_valid(self, public: &[u8]) -> bool {
        match self {
            Curve::Ed25519 => ed25519::VerifyingKey::from_slice(public).is_ok(),
            Curve::Ed448 => ed448::VerifyingKey::from_slice(public).is_ok(),
        }
    }

    fn sign(self, seed: &[u8], prehash: bool, context: &[u8], message: &[u8]) -> Option<Vec<u8>> {
        match self {
            Curve::Ed25519 => {
                let key = ed25519::SigningKey::from_seed(&<[u8; 32]>::try_from(seed).ok()?);
                let sig = match (prehash, context.is_empty()) {
                    (false, true) => key.sign(message),
                    (false, false) => key.sign_ctx(context, message).ok()?,
                    (true, _) => key.sign_prehashed(context, message).ok()?,
                };
                Some(sig.to_bytes().to_vec())
            }
            Curve::Ed448 => {
                let key = ed448::SigningKey::from_seed(&<[u8; 57]>::try_from(seed).ok()?);
                let sig = if prehash { key.sign_prehashed(context, message) } else { key.sign(context, message) };
                Some(sig.ok()?.to_bytes().to_vec())
            }
        }
    }

    fn verify(self, public: &[u8], prehash: bool, context: &[u8], message: &[u8], signature: &[u8]) -> bool {
        match self {
            Curve::Ed25519 => {
                let (Ok(key), Ok(sig)) =
                    (ed25519::VerifyingKey::from_slice(public), ed25519::Signature::from_slice(signature))
                else {
                    return false;
                };
                match (prehash, context.is_empty()) {
                    (false, true) => key.verify(message, &sig),
                    (false, false) => key.verify_ctx(context, message, &sig),
                    (true, _) => key.verify_prehashed(context, message, &sig),
                }
                .is_ok()
            }
            Curve::Ed448 => {
                let (Ok(key), Ok(sig)) =
                    (ed448::VerifyingKey::from_slice(public), ed448::Signature::from_slice(signature))
                else {
                    return false;
                };
                if prehash { key.verify_prehashed(context, message, &sig) } else { key.verify(context, message, &sig) }
                    .is_ok()
            }
        }
    }
}

/// Runs one Wycheproof EdDSA verification case.
pub fn wycheproof(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let key = group.get("publicKey");
    let curve_name = key.and_then(|k| k.get("curve")).and_then(Value::as_str).unwrap_or_default();
    let Some(curve) = Curve::from_name(curve_name) else {
        return Outcome::Skip(format!("EdDSA curve {curve_name}"));
    };
    let Some(key) = key else { return Outcome::Fail("missing publicKey".into()) };
    let fields = (hex_field(key, "pk"), hex_field(test, "msg"), hex_field(test, "sig"));
    let (pk, msg, sig) = match fields {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(o), _, _) | (_, Err(o), _) | (_, _, Err(o)) => return o,
    };
    wycheproof_verdict(test, curve.verify(&pk, false, &[], &msg, &sig))
}

/// A hex field of the test, else of the group, else empty.
fn optional_hex(group: &Value, test: &Value, field: &str) -> Result<Vec<u8>, Outcome> {
    if test.get(field).is_some() {
        hex_field(test, field)
    } else if group.get(field).is_some() {
        hex_field(group, field)
    } else {
        Ok(Vec::new())
    }
}

fn expect(what: &str, got: Option<Vec<u8>>, want: &[u8]) -> Outcome {
    match got {
        Some(g) if g == want => Outcome::Pass,
        Some(_) => Outcome::Fail(format!("{what} mismatch")),
        None => Outcome::Fail(format!("{what}: input rejected")),
    }
}

fn verdict(expected: bool, accepted: bool) -> Outcome {
    match (expected, accepted) {
        (true, true) | (false, false) => Outcome::Pass,
        (true, false) => Outcome::Fail("valid case rejected".into()),
        (false, true) => Outcome::Fail("invalid case accepted".into()),
    }
}

/// Runs one ACVP EDDSA case (any mode).
pub fn acvp(_revision: &str, group: &Value, test: &Value) -> Outcome {
    let curve_name = group.get("curve").and_then(Value::as_str).unwrap_or_default();
    let Some(curve) = Curve::from_name(curve_name) else {
        return Outcome::Skip(format!("EDDSA curve {curve_name}"));
    };
    let prehash = group.get("preHash").and_then(Value::as_bool).unwrap_or(false);
    let passed = test.get("testPassed").and_then(Value::as_bool);
    let result = (|| -> Result<Outcome, Outcome> {
        let context = optional_hex(group, test, "context")?;
        Ok(match (test.get("message").is_some(), passed) {
            (true, Some(expected)) => {
                let (q, message, signature) =
                    (hex_field(test, "q")?, hex_field(test, "message")?, hex_field(test, "signature")?);
                verdict(expected, curve.verify(&q, prehash, &context, &message, &signature))
            }
            (true, None) => {
                let (d, q) = (hex_field(group, "d")?, hex_field(group, "q")?);
                if curve.public_from_seed(&d).as_deref() != Some(q.as_slice()) {
                    return Ok(Outcome::Fail("group key pair mismatch".into()));
                }
                let (message, signature) = (hex_field(test, "message")?, hex_field(test, "signature")?);
                expect("signature", curve.sign(&d, prehash, &context, &message), &signature)
            }
            (false, Some(expected)) => verdict(expected, curve.key_is_valid(&hex_field(test, "q")?)),
            (false, None) => {
                let (d, q) = (hex_field(test, "d")?, hex_field(test, "q")?);
                expect("public key", curve.public_from_seed(&d), &q)
            }
        })
    })();
    result.unwrap_or_else(|o| o)
}
