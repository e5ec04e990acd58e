//! ML-DSA suites: NIST ACVP `ML-DSA` (keyGen, sigGen, sigVer; FIPS204)
//! and Wycheproof `mldsa_sign_seed_schema.json`,
//! `mldsa_sign_noseed_schema.json`, `mldsa_verify_schema.json`.
//!
//! Entry points: [`acvp`], [`wycheproof_sign`], [`wycheproof_verify`],
//! registered in [`super::ACVP`] / [`super::WYCHEPROOF`].
//!
//! The ACVP mode is read from the case's fields: `seed` is keyGen,
//! `testPassed` is sigVer, anything else is sigGen. A sigGen case that
//! carries its expected `signature` (an internal projection, or a prompt
//! merged with its `expectedResults.json`) must match byte for byte. A
//! bare prompt has no answer to compare with: such a case signs, then
//! checks the signature with our own verification under the public key
//! recomputed from the secret key, and passes only if that verifies.
//! Groups without a `signatureInterface` (the pre-final sample files) use
//! the internal interface on the given message.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::hash::tri;
use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::mldsa::{MlDsa44, MlDsa65, MlDsa87, ParameterSet, PreHash, Signature, SigningKey, VerifyingKey};

fn str_field<'a>(v: &'a Value, field: &str) -> Option<&'a str> {
    v.get(field).and_then(Value::as_str)
}

/// A boolean that ACVP writes either as JSON `true` or as `"True"`.
fn flag(v: &Value, field: &str) -> Option<bool> {
    v.get(field).and_then(|f| f.as_bool().or_else(|| f.as_str().map(|s| s.eq_ignore_ascii_case("true"))))
}

fn fixed<const N: usize>(test: &Value, field: &str) -> Result<[u8; N], Outcome> {
    let v = hex_field(test, field)?;
    v.try_into().map_err(|_| Outcome::Fail(format!("{field}: expected {N} bytes")))
}

/// One ACVP ML-DSA case.
pub(crate) fn acvp(_revision: &str, group: &Value, test: &Value) -> Outcome {
    match str_field(group, "parameterSet") {
        Some("ML-DSA-44") => acvp_for::<MlDsa44>(group, test),
        Some("ML-DSA-65") => acvp_for::<MlDsa65>(group, test),
        Some("ML-DSA-87") => acvp_for::<MlDsa87>(group, test),
        other => Outcome::Skip(format!("ML-DSA parameter set {other:?}")),
    }
}

fn acvp_for<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    if test.get("seed").is_some() {
        return key_gen::<P>(test);
    }
    if test.get("testPassed").is_some() {
        return sig_ver::<P>(group, test);
    }
    sig_gen::<P>(group, test)
}

fn key_gen<P: ParameterSet>(test: &Value) -> Outcome {
    let seed = tri!(fixed::<32>(test, "seed"));
    let pk = tri!(hex_field(test, "pk"));
    let sk = tri!(hex_field(test, "sk"));
    let key = SigningKey::<P>::from_seed(&seed);
    if key.verifying_key().as_bytes() != pk.as_slice() {
        return Outcome::Fail("pk mismatch".into());
    }
    if key.as_bytes() != sk.as_slice() {
        return Outcome::Fail("sk mismatch".into());
    }
    Outcome::Pass
}

/// How a sigGen / sigVer group formats the message.
enum Interface {
    /// Sign_internal on M' = message.
    Internal,
    /// Sign_internal from a given mu.
    ExternalMu,
    /// ML-DSA.Sign with a context.
    Pure,
    /// HashML-DSA.Sign with a context.
    PreHashed(PreHash),
}

fn interface(group: &Value, test: &Value) -> Result<Interface, Outcome> {
    match str_field(group, "signatureInterface") {
        None | Some("internal") if flag(group, "externalMu") == Some(true) => Ok(Interface::ExternalMu),
        None | Some("internal") => Ok(Interface::Internal),
        Some("external") => match str_field(group, "preHash") {
            Some("preHash") => {
                let name = str_field(test, "hashAlg").unwrap_or_default();
                PreHash::from_acvp_name(name)
                    .map(Interface::PreHashed)
                    .ok_or_else(|| Outcome::Skip(format!("hash {name}")))
            }
            _ => Ok(Interface::Pure),
        },
        Some(other) => Err(Outcome::Skip(format!("signature interface {other}"))),
    }
}

/// The 64-byte mu a case signs or verifies, following its interface.
fn mu_of(iface: &Interface, test: &Value, tr: &[u8; 64]) -> Result<[u8; 64], Outcome> {
    let m_prime: Vec<u8> = match iface {
        Interface::ExternalMu => return fixed::<64>(test, "mu"),
        Interface::Internal => hex_field(test, "message")?,
        Interface::Pure | Interface::PreHashed(_) => {
            let msg = hex_field(test, "message")?;
            let ctx = hex_field(test, "context").unwrap_or_default();
            let m = match iface {
                Interface::PreHashed(ph) => ph.message_prime(&msg, &ctx),
                _ => crate::mldsa::pure_message_prime(&msg, &ctx),
            };
            m.map_err(|e| Outcome::Fail(format!("message: {e}")))?
        }
    };
    let mut mu = [0u8; 64];
    crate::hash::Shake256::digest(&[tr.as_slice(), &m_prime].concat(), &mut mu);
    Ok(mu)
}

fn sig_gen<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    let iface = tri!(interface(group, test));
    let sk = match SigningKey::<P>::from_bytes(&tri!(hex_field(test, "sk"))) {
        Ok(k) => k,
        Err(e) => return Outcome::Fail(format!("sk rejected: {e}")),
    };
    let rnd = if flag(group, "deterministic") == Some(true) { [0; 32] } else { tri!(fixed::<32>(test, "rnd")) };
    let mu = tri!(mu_of(&iface, test, sk.tr()));
    let sig = match sk.sign_mu(&mu, &rnd) {
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
    match sk.verifying_key().verify_mu(&mu, &sig) {
        Ok(()) => Outcome::Pass,
        Err(_) => Outcome::Fail("own signature did not verify".into()),
    }
}

fn sig_ver<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    let iface = tri!(interface(group, test));
    let expected = flag(test, "testPassed").unwrap_or(false);
    let pk_hex = if test.get("pk").is_some() { hex_field(test, "pk") } else { hex_field(group, "pk") };
    let Ok(vk) = VerifyingKey::<P>::from_bytes(&tri!(pk_hex)) else {
        return verdict(expected, false);
    };
    let mu = tri!(mu_of(&iface, test, vk.tr()));
    let ok = Signature::<P>::from_bytes(&tri!(hex_field(test, "signature")))
        .is_ok_and(|sig| vk.verify_mu(&mu, &sig).is_ok());
    verdict(expected, ok)
}

fn verdict(expected: bool, got: bool) -> Outcome {
    if expected == got { Outcome::Pass } else { Outcome::Fail(format!("expected testPassed={expected}")) }
}

fn wycheproof_dispatch(algorithm: &str, f: [fn(&Value, &Value) -> Outcome; 3], group: &Value, test: &Value) -> Outcome {
    let [f44, f65, f87] = f;
    match algorithm {
        "ML-DSA-44" => f44(group, test),
        "ML-DSA-65" => f65(group, test),
        "ML-DSA-87" => f87(group, test),
        other => Outcome::Skip(String::from(other)),
    }
}

/// One Wycheproof ML-DSA signing case (seed or expanded private key).
pub(crate) fn wycheproof_sign(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    wycheproof_dispatch(algorithm, [wp_sign::<MlDsa44>, wp_sign::<MlDsa65>, wp_sign::<MlDsa87>], group, test)
}

/// One Wycheproof ML-DSA verification case.
pub(crate) fn wycheproof_verify(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    wycheproof_dispatch(algorithm, [wp_verify::<MlDsa44>, wp_verify::<MlDsa65>, wp_verify::<MlDsa87>], group, test)
}

fn wp_sign<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    let key = if group.get("privateSeed").is_some() {
        let Ok(seed) = fixed::<32>(group, "privateSeed") else { return wycheproof_verdict(test, false) };
        Ok(SigningKey::<P>::from_seed(&seed))
    } else {
        SigningKey::<P>::from_bytes(&tri!(hex_field(group, "privateKey")))
    };
    let Ok(sk) = key else { return wycheproof_verdict(test, false) };
    let pk = tri!(hex_field(group, "publicKey"));
    if sk.verifying_key().as_bytes() != pk.as_slice() {
        return Outcome::Fail("public key mismatch".into());
    }
    let rnd = if test.get("rnd").is_some() { tri!(fixed::<32>(test, "rnd")) } else { [0; 32] };
    let mu = if test.get("msg").is_some() {
        let msg = tri!(hex_field(test, "msg"));
        let ctx = hex_field(test, "ctx").unwrap_or_default();
        let Ok(mu) = sk.verifying_key().compute_mu(&msg, &ctx) else { return wycheproof_verdict(test, false) };
        if test.get("mu").is_some() && tri!(hex_field(test, "mu")) != mu {
            return Outcome::Fail("mu mismatch".into());
        }
        mu
    } else {
        tri!(fixed::<64>(test, "mu"))
    };
    let Ok(sig) = sk.sign_mu(&mu, &rnd) else { return wycheproof_verdict(test, false) };
    let want = tri!(hex_field(test, "sig"));
    wycheproof_verdict(test, sig.as_bytes() == want.as_slice())
}

fn wp_verify<P: ParameterSet>(group: &Value, test: &Value) -> Outcome {
    let Ok(vk) = VerifyingKey::<P>::from_bytes(&tri!(hex_field(group, "publicKey"))) else {
        return wycheproof_verdict(test, false);
    };
    let msg = tri!(hex_field(test, "msg"));
    let ctx = hex_field(test, "ctx").unwrap_or_default();
    let ok =
        Signature::<P>::from_bytes(&tri!(hex_field(test, "sig"))).is_ok_and(|sig| vk.verify(&msg, &ctx, &sig).is_ok());
    wycheproof_verdict(test, ok)
}
