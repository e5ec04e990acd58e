//! ECDSA suites: Wycheproof `ecdsa_verify_schema_v1.json` (DER
//! signatures) and `ecdsa_p1363_verify_schema_v1.json` (`r || s`), and
//! NIST ACVP `ECDSA` FIPS186-5 keyGen / keyVer / sigGen / sigVer.
//!
//! Entry points: [`wycheproof_der`], [`wycheproof_p1363`], [`acvp`].
//! Curves are chosen by name (`secp256r1` / `P-256`, ...); others (P-224,
//! the binary B- and K- curves) are skipped with the curve named. ACVP
//! files of the four modes share the algorithm name `ECDSA`; the mode is
//! recognised from the fields each case carries. keyGen cases check
//! `d * G = Q` (the random generation itself cannot be replayed); sigGen
//! cases give the nonce `k` and check `(r, s)` exactly; sigGen groups
//! with SP 800-106 randomized hashing are skipped by name.

use alloc::format;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::ec::ecdsa::{Signature, SigningKey, VerifyingKey};
use crate::ec::{Curve, PublicKey};
use crate::hash::{HashAlgorithm, Shake128, Shake256};

/// Runs `$body` with `$c` bound to the curve type named by `$name`.
macro_rules! with_curve {
    ($name:expr, $c:ident => $body:expr) => {
        match $name {
            "secp256r1" | "P-256" => {
                type $c = $crate::ec::P256;
                $body
            }
            "secp384r1" | "P-384" => {
                type $c = $crate::ec::P384;
                $body
            }
            "secp521r1" | "P-521" => {
                type $c = $crate::ec::P521;
                $body
            }
            "secp256k1" => {
                type $c = $crate::ec::Secp256k1;
                $body
            }
            other => Outcome::Skip(format!("curve {other}")),
        }
    };
}
pub(crate) use with_curve;

/// The message digest for a hash name as Wycheproof or ACVP spell it;
/// SHAKE128 / SHAKE256 produce 256 / 512 bits (FIPS 186-5 section 6.4).
fn digest(name: &str, msg: &[u8]) -> Option<Vec<u8>> {
    match name {
        "SHAKE-128" | "SHAKE128" => {
            let mut out = alloc::vec![0u8; 32];
            Shake128::digest(msg, &mut out);
            Some(out)
        }
        "SHAKE-256" | "SHAKE256" => {
            let mut out = alloc::vec![0u8; 64];
            Shake256::digest(msg, &mut out);
            Some(out)
        }
        _ => HashAlgorithm::from_name(name).map(|h| h.hash(msg)),
    }
}

fn wycheproof_case<C: Curve>(group: &Value, test: &Value, p1363: bool) -> Outcome {
    let key = group.get("publicKey");
    let Some(point_hex) = key.and_then(|k| k.get("uncompressed")) else {
        return Outcome::Fail("missing publicKey.uncompressed".into());
    };
    let point = match hex_value(point_hex) {
        Ok(p) => p,
        Err(o) => return o,
    };
    let Some(hash) = group.get("sha").and_then(Value::as_str) else {
        return Outcome::Fail("missing sha".into());
    };
    let msg = super::hash::tri!(hex_field(test, "msg"));
    let sig = super::hash::tri!(hex_field(test, "sig"));
    let Some(d) = digest(hash, &msg) else { return Outcome::Skip(format!("hash {hash}")) };
    let Ok(vk) = VerifyingKey::<C>::from_sec1(&point) else {
        return Outcome::Fail("public key rejected".into());
    };
    let parsed = if p1363 { Signature::<C>::from_p1363(&sig) } else { Signature::<C>::from_der(&sig) };
    let accepted = parsed.is_ok_and(|s| vk.verify_prehash(&d, &s).is_ok());
    wycheproof_verdict(test, accepted)
}

fn hex_value(v: &Value) -> Result<Vec<u8>, Outcome> {
    let obj = Value::Object(alloc::vec![("v".into(), v.clone())]);
    hex_field(&obj, "v")
}

fn curve_of(group: &Value) -> &str {
    group.get("publicKey").and_then(|k| k.get("curve")).and_then(Value::as_str).unwrap_or("")
}

/// Wycheproof ECDSA with DER signatures.
pub(crate) fn wycheproof_der(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    with_curve!(curve_of(group), C => wycheproof_case::<C>(group, test, false))
}

/// Wycheproof ECDSA with IEEE P1363 signatures.
pub(crate) fn wycheproof_p1363(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    with_curve!(curve_of(group), C => wycheproof_case::<C>(group, test, true))
}

/// A hex integer field padded (or stripped of leading zeros) to `len`
/// bytes; `None` when the value needs more.
fn fixed(test: &Value, field: &str, len: usize) -> Result<Option<Vec<u8>>, Outcome> {
    let raw = hex_field(test, field)?;
    let first = raw.iter().position(|&b| b != 0).unwrap_or(raw.len());
    let digits = raw.get(first..).unwrap_or_default();
    if digits.len() > len {
        return Ok(None);
    }
    let mut out = alloc::vec![0u8; len - digits.len()];
    out.extend_from_slice(digits);
    Ok(Some(out))
}

fn public_key<C: Curve>(fields: &Value) -> Result<Option<PublicKey<C>>, Outcome> {
    use crate::ec::field::Field;
    let len = <C::Fe as Field>::BYTES;
    let (Some(x), Some(y)) = (fixed(fields, "qx", len)?, fixed(fields, "qy", len)?) else { return Ok(None) };
    Ok(PublicKey::<C>::from_affine_bytes(&x, &y).ok())
}

fn expect(test: &Value, got: bool) -> Outcome {
    match test.get("testPassed").and_then(Value::as_bool) {
        Some(want) if want == got => Outcome::Pass,
        Some(want) => Outcome::Fail(format!("expected testPassed = {want}")),
        None => Outcome::Fail("missing testPassed".into()),
    }
}

fn acvp_case<C: Curve>(group: &Value, test: &Value) -> Outcome {
    use crate::ec::field::Field;
    let scalar_len = <C::Scalar as Field>::BYTES;
    let has = |v: &Value, f: &str| v.get(f).is_some();
    if has(test, "testPassed") && has(test, "message") {
        // sigVer
        let Some(hash) = group.get("hashAlg").and_then(Value::as_str) else {
            return Outcome::Fail("no hashAlg".into());
        };
        let msg = super::hash::tri!(hex_field(test, "message"));
        let Some(d) = digest(hash, &msg) else { return Outcome::Skip(format!("hash {hash}")) };
        let key = super::hash::tri!(public_key::<C>(test));
        let r = super::hash::tri!(hex_field(test, "r"));
        let s = super::hash::tri!(hex_field(test, "s"));
        let ok = key.is_some_and(|k| {
            Signature::<C>::from_scalars(&r, &s).is_ok_and(|sig| VerifyingKey::from(k).verify_prehash(&d, &sig).is_ok())
        });
        expect(test, ok)
    } else if has(test, "testPassed") {
        // keyVer
        let key = super::hash::tri!(public_key::<C>(test));
        expect(test, key.is_some())
    } else if has(group, "d") {
        // sigGen with the nonce given.
        if has(group, "conformance") {
            // SP 800-106 randomized hashing pads the message to a bit
            // length that is not a whole number of bytes.
            return Outcome::Skip("SP 800-106 randomized hashing (bit-oriented messages)".into());
        }
        let Some(hash) = group.get("hashAlg").and_then(Value::as_str) else {
            return Outcome::Fail("no hashAlg".into());
        };
        let msg = super::hash::tri!(hex_field(test, "message"));
        let Some(digest) = digest(hash, &msg) else { return Outcome::Skip(format!("hash {hash}")) };
        let Some(d) = super::hash::tri!(fixed(group, "d", scalar_len)) else {
            return Outcome::Fail("d too long".into());
        };
        let Some(k) = super::hash::tri!(fixed(test, "k", scalar_len)) else {
            return Outcome::Fail("k too long".into());
        };
        let Ok(key) = SigningKey::<C>::from_bytes(&d) else { return Outcome::Fail("d rejected".into()) };
        let Some(q) = super::hash::tri!(public_key::<C>(group)) else { return Outcome::Fail("Q rejected".into()) };
        if *key.verifying_key().public_key() != q {
            return Outcome::Fail("d * G != Q".into());
        }
        let Some(sig) = Option::<Signature<C>>::from(key.dangerous_sign_prehash_with_nonce(&digest, &k)) else {
            return Outcome::Fail("nonce rejected".into());
        };
        let want_r = super::hash::tri!(fixed(test, "r", scalar_len));
        let want_s = super::hash::tri!(fixed(test, "s", scalar_len));
        if Some(sig.r_bytes()) == want_r && Some(sig.s_bytes()) == want_s {
            Outcome::Pass
        } else {
            Outcome::Fail("(r, s) mismatch".into())
        }
    } else {
        // keyGen: check the published pair.
        let Some(d) = super::hash::tri!(fixed(test, "d", scalar_len)) else {
            return Outcome::Fail("d too long".into());
        };
        let Ok(key) = SigningKey::<C>::from_bytes(&d) else { return Outcome::Fail("d rejected".into()) };
        match super::hash::tri!(public_key::<C>(test)) {
            Some(q) if *key.verifying_key().public_key() == q => Outcome::Pass,
            _ => Outcome::Fail("d * G != Q".into()),
        }
    }
}

/// NIST ACVP `ECDSA` (FIPS186-5): keyGen, keyVer, sigGen, sigVer. The
/// secp256k1 name is not an ACVP curve, so only P-256/384/521 run.
pub(crate) fn acvp(_revision: &str, group: &Value, test: &Value) -> Outcome {
    let curve = group.get("curve").and_then(Value::as_str).unwrap_or("");
    match curve {
        "P-256" | "P-384" | "P-521" => with_curve!(curve, C => acvp_case::<C>(group, test)),
        other => Outcome::Skip(format!("ECDSA curve {other} (not implemented)")),
    }
}
