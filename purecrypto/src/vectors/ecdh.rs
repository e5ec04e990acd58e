//! Wycheproof `ecdh_test_schema_v1.json` runner: the peer key arrives as
//! DER `SubjectPublicKeyInfo` (`encoding: asn`), the private key as a hex
//! integer; a case is accepted when the key imports, names the right
//! curve, and the shared x-coordinate matches.
//!
//! Entry point: [`run`]. Compressed peer points are accepted (Wycheproof
//! marks them acceptable); explicit curve parameters are rejected.

use alloc::format;
use alloc::vec::Vec;

use super::ecdsa::with_curve;
use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::ec::field::Field;
use crate::ec::{Curve, SecretKey, ecdh, sec1};

fn case<C: Curve>(group: &Value, test: &Value) -> Outcome {
    if group.get("encoding").and_then(Value::as_str) != Some("asn") {
        return Outcome::Skip("ECDH encoding other than asn".into());
    }
    let public = super::hash::tri!(hex_field(test, "public"));
    let private = super::hash::tri!(hex_field(test, "private"));
    let shared = super::hash::tri!(hex_field(test, "shared"));
    let len = <C::Scalar as Field>::BYTES;
    let first = private.iter().position(|&b| b != 0).unwrap_or(private.len());
    let digits = private.get(first..).unwrap_or_default();
    if digits.len() > len {
        return Outcome::Fail(format!("private key longer than {len} bytes"));
    }
    let mut padded: Vec<u8> = alloc::vec![0u8; len - digits.len()];
    padded.extend_from_slice(digits);
    let Ok(secret) = SecretKey::<C>::from_bytes(&padded) else {
        return Outcome::Fail("private key rejected".into());
    };
    let accepted = sec1::decode_spki::<C>(&public)
        .and_then(|peer| ecdh::diffie_hellman(&secret, &peer))
        .is_ok_and(|z| z.as_bytes() == shared.as_slice());
    wycheproof_verdict(test, accepted)
}

/// One Wycheproof ECDH case.
pub(crate) fn run(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let curve = group.get("curve").and_then(Value::as_str).unwrap_or("");
    with_curve!(curve, C => case::<C>(group, test))
}
