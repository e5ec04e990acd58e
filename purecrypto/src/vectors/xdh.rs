//! Wycheproof XDH runner (`xdh_comp_schema_v1.json`): X25519 and X448
//! shared-secret computation from raw keys.
//!
//! Entry point: [`run`]. The group's `curve` picks the function. A public
//! key of the wrong length must be rejected; an all-zero shared secret is
//! rejected by the library (Wycheproof rates those cases "acceptable");
//! any secret the library does produce must equal `shared`.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};

/// The library's answer: `None` when it rejected the inputs.
fn compute(curve: &str, private: &[u8], public: &[u8]) -> Result<Option<Vec<u8>>, Outcome> {
    match curve {
        "curve25519" => {
            let private = <[u8; 32]>::try_from(private).map_err(|_| Outcome::Fail("private key length".into()))?;
            let Ok(public) = <[u8; 32]>::try_from(public) else { return Ok(None) };
            let key = crate::x25519::PrivateKey::from_bytes(private);
            Ok(key.diffie_hellman(&crate::x25519::PublicKey::from_bytes(public)).ok().map(|s| s.as_bytes().to_vec()))
        }
        "curve448" => {
            let private = <[u8; 56]>::try_from(private).map_err(|_| Outcome::Fail("private key length".into()))?;
            let Ok(public) = <[u8; 56]>::try_from(public) else { return Ok(None) };
            let key = crate::x448::PrivateKey::from_bytes(private);
            Ok(key.diffie_hellman(&crate::x448::PublicKey::from_bytes(public)).ok().map(|s| s.as_bytes().to_vec()))
        }
        other => Err(Outcome::Skip(format!("XDH curve {other}"))),
    }
}

/// Runs one XDH case.
pub fn run(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let curve = group.get("curve").and_then(Value::as_str).unwrap_or_default().to_string();
    let fields = (hex_field(test, "private"), hex_field(test, "public"), hex_field(test, "shared"));
    let (private, public, shared) = match fields {
        (Ok(a), Ok(b), Ok(c)) => (a, b, c),
        (Err(o), _, _) | (_, Err(o), _) | (_, _, Err(o)) => return o,
    };
    match compute(&curve, &private, &public) {
        Err(outcome) => outcome,
        Ok(Some(secret)) if secret != shared => Outcome::Fail("shared secret mismatch".into()),
        Ok(result) => wycheproof_verdict(test, result.is_some()),
    }
}
