//! SLH-DSA suites: NIST ACVP `SLH-DSA` (keyGen, sigGen, sigVer; FIPS205).
//!
//! Entry point: [`acvp`], registered in [`super::ACVP`]; [`is_slow_group`]
//! tells the slow "s" sets apart so tests can schedule them separately.
//!
//! The mode is read from the case's fields: `skSeed` is keyGen,
//! `testPassed` is sigVer, anything else is sigGen. A sigGen case with an
//! expected `signature` must match byte for byte; a bare prompt (the
//! upstream sigGen `prompt.json` has no answers) is signed and then
//! checked with our own verification under the public key carried in the
//! secret key, and passes only if that verifies.

use alloc::format;
use alloc::vec::Vec;

use super::hash::tri;
use super::json::Value;
use super::{Outcome, hex_field};
use crate::slhdsa::{
    ParameterSet, PreHash, Signature, SigningKey, SlhDsaSha2_128f, SlhDsaSha2_128s, SlhDsaSha2_192f, SlhDsaSha2_192s,
    SlhDsaSha2_256f, SlhDsaSha2_256s, SlhDsaShake128f, SlhDsaShake128s, SlhDsaShake192f, SlhDsaShake192s,
    SlhDsaShake256f, SlhDsaShake256s, VerifyingKey,
};

fn str_field<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

fn flag(v: &Value, field: &str) -> Option<bool> {
    v.get(field).and_then(|f| f.as_bool().or_else(|| f.as_str().map(|s| s.eq_ignore_ascii_case("true"))))
}

/// Whether a test group uses one of the slow "s" parameter sets.
#[must_use]
pub fn is_slow_group(group: &Value) -> bool {
    str_field(group, "parameterSet").is_some_and(|p| p.ends_with('s'))
}

/// One ACVP SLH-DSA case.
pub fn acvp(_revision: &str, group: &Value, test: &Value) -> Outcome {
    match str_field(group, "parameterSet") {
        Some("SLH-DSA-SHA2-128s") => case::<SlhDsaSha2_128s>(group, test),
        Some("SLH-DSA-SHA2-128f") => case::<SlhDsaSha2_128f>(group, test),
        Some("SLH-DSA-SHA2-192s") => case::<SlhDsaSha2_192s>(group, test),
        Some("SLH-DSA-SHA2-192f") => case::<SlhDsaSha2_192f>(group, test),
        Some("SLH-DSA-SHA2-256s") => case::<SlhDsaSha2_256s>(group, test),
        Some("SLH-DSA-SHA2-256f") => case::<SlhDsaSha2_256f>(group, test),
        Some("SLH-DSA-SHAKE-128s") => case::<SlhDsaShake128s>(group, test),
        Some("SLH-DSA-SHAKE-128f") => case::<SlhDsaShake128f>(group, test),
        Some("SLH-DSA-SHAKE-192s") => case::<SlhDsaShake192s>(group, test),
        Some("SLH-DSA-SHAKE-192f") => case::<SlhDsaShake192f>(group, test),
        Some("SLH-DSA-SHAKE-256s") => case::<SlhDsaShake256s>(group, test),
        Some("SLH-DSA-SHAKE-256f") => case::<SlhDsaShake256f>(group, test),
        other => Outcome::Skip(format!("SLH-DSA parameter set {other:?}")),
    }
}

fn case<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    if test.get("skSeed").is_some() {
        return key_gen::<P>(test);
    }
    let verifying = test.get("testPassed").is_some();
    // M' for the group's interface.
    let msg = tri!(hex_field(test, "message"));
    let m_prime: Vec<u8> = match str_field(group, "signatureInterface") {
        None | Some("internal") => msg,
        Some("external") => {
            let ctx = hex_field(test, "context").unwrap_or_default();
            let m = if str_field(group, "preHash") == Some("preHash") {
                let name = str_field(test, "hashAlg").unwrap_or_default();
                let Some(ph) = PreHash::from_acvp_name(name) else { return Outcome::Skip(format!("hash {name}")) };
                ph.message_prime(&msg, &ctx)
            } else {
                crate::mldsa::pure_message_prime(&msg, &ctx)
            };
            match m {
                Ok(m) => m,
                Err(e) => return Outcome::Fail(format!("message: {e}")),
            }
        }
        Some(other) => return Outcome::Skip(format!("signature interface {other}")),
    };
    if verifying { sig_ver::<P>(test, &m_prime) } else { sig_gen::<P>(group, test, &m_prime) }
}

fn key_gen<P: ParameterSet>(test: &Value) -> Outcome {
    let [sk_seed, sk_prf, pk_seed, pk, sk] = match ["skSeed", "skPrf", "pkSeed", "pk", "sk"].map(|f| hex_field(test, f))
    {
        [Ok(a), Ok(b), Ok(c), Ok(d), Ok(e)] => [a, b, c, d, e],
        _ => return Outcome::Fail("bad keyGen fields".into()),
    };
    match SigningKey::<P>::from_seeds(&sk_seed, &sk_prf, &pk_seed) {
        Ok(key) if key.as_bytes() == sk.as_slice() && key.verifying_key().as_bytes() == pk.as_slice() => Outcome::Pass,
        Ok(_) => Outcome::Fail("key mismatch".into()),
        Err(e) => Outcome::Fail(format!("keygen: {e}")),
    }
}

fn sig_gen<P: ParameterSet>(group: &Value, test: &Value, m_prime: &[u8]) -> Outcome {
    let sk = match SigningKey::<P>::from_bytes(&tri!(hex_field(test, "sk"))) {
        Ok(k) => k,
        Err(e) => return Outcome::Fail(format!("sk rejected: {e}")),
    };
    let addrnd = if flag(group, "deterministic") == Some(true) {
        None
    } else {
        Some(tri!(hex_field(test, "additionalRandomness")))
    };
    let sig = match sk.sign_internal(m_prime, addrnd.as_deref()) {
        Ok(s) => s,
        Err(e) => return Outcome::Fail(format!("sign: {e}")),
    };
    if test.get("signature").is_some() {
        let want = tri!(hex_field(test, "signature"));
        return if sig.as_bytes() == want.as_slice() {
            Outcome::Pass
        } else {
            Outcome::Fail("signature mismatch".into())
        };
    }
    // A prompt without its answer: check the signature with our verify.
    match sk.verifying_key().verify_internal(m_prime, &sig) {
        Ok(()) => Outcome::Pass,
        Err(_) => Outcome::Fail("own signature did not verify".into()),
    }
}

fn sig_ver<P: ParameterSet>(test: &Value, m_prime: &[u8]) -> Outcome {
    let expected = flag(test, "testPassed").unwrap_or(false);
    let ok = match (VerifyingKey::<P>::from_bytes(&tri!(hex_field(test, "pk"))), hex_field(test, "signature")) {
        (Ok(vk), Ok(sig)) => Signature::<P>::from_bytes(&sig).is_ok_and(|s| vk.verify_internal(m_prime, &s).is_ok()),
        _ => false,
    };
    if ok == expected { Outcome::Pass } else { Outcome::Fail(format!("expected testPassed={expected}")) }
}
