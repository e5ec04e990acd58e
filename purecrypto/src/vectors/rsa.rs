//! RSA and primality suites: Wycheproof `rsassa_pkcs1_verify`,
//! `rsassa_pkcs1_generate`, `rsassa_pss_verify`,
//! `rsassa_pss_with_parameters_verify`, `rsaes_oaep_decrypt`,
//! `rsaes_pkcs1_decrypt` and `primality_test` files.
//!
//! Entry points: one `pub(crate) fn` per schema, registered in
//! [`super::WYCHEPROOF`]. Keys come from the group's component fields;
//! Wycheproof's 1024- and 1536-bit keys load through the `dangerous_`
//! constructors, which is what they are for. The generator used for
//! blinding and salts is a fixed-seed HMAC-DRBG, so runs are repeatable.

use alloc::format;
use alloc::string::String;

use super::hash::{tri, uint};
use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::hash::HashAlgorithm;
use crate::rng::HmacDrbg;
use crate::rsa::{Mgf, OaepParams, PssHash, PssParams, RsaComponents, RsaPrivateKey, RsaPublicKey, SaltLength};

fn drbg() -> Result<HmacDrbg, Outcome> {
    HmacDrbg::new(HashAlgorithm::Sha256, b"wycheproof rsa runner seed 0123", b"", b"")
        .map_err(|e| Outcome::Fail(format!("drbg: {e}")))
}

/// Wycheproof's hash names (`SHA-256`, `SHA-512/224`, `SHA3-256`).
fn hash_named(name: &str) -> Result<HashAlgorithm, Outcome> {
    HashAlgorithm::from_name(name).ok_or_else(|| Outcome::Skip(format!("hash {name}")))
}

fn group_field<'a>(group: &'a Value, field: &str) -> Result<&'a Value, Outcome> {
    group.get(field).ok_or_else(|| Outcome::Fail(format!("missing group field {field}")))
}

fn str_field<'a>(v: &'a Value, field: &str) -> Result<&'a str, Outcome> {
    v.get(field).and_then(Value::as_str).ok_or_else(|| Outcome::Fail(format!("missing field {field}")))
}

fn public_key(group: &Value) -> Result<RsaPublicKey, Outcome> {
    let k = group_field(group, "publicKey")?;
    let n = hex_field(k, "modulus")?;
    let e = hex_field(k, "publicExponent")?;
    RsaPublicKey::dangerous_new_allow_small(&n, &e).map_err(|e| Outcome::Fail(format!("public key: {e}")))
}

fn private_key(group: &Value) -> Result<RsaPrivateKey, Outcome> {
    let k = group_field(group, "privateKey")?;
    let f = |name: &str| hex_field(k, name);
    if k.get("prime1").is_none() {
        // The signature-generation files carry only (n, e, d).
        let (n, e, d) = (f("modulus")?, f("publicExponent")?, f("privateExponent")?);
        return RsaPrivateKey::dangerous_from_n_e_d_vartime_allow_small(&n, &e, &d)
            .map_err(|e| Outcome::Fail(format!("private key from n, e, d: {e}")));
    }
    let (n, e, d, p, q) = (f("modulus")?, f("publicExponent")?, f("privateExponent")?, f("prime1")?, f("prime2")?);
    let (dp, dq, qinv) = (f("exponent1")?, f("exponent2")?, f("coefficient")?);
    let c = RsaComponents { n: &n, e: &e, d: &d, p: &p, q: &q, dp: Some(&dp), dq: Some(&dq), qinv: Some(&qinv) };
    RsaPrivateKey::dangerous_from_components_allow_small(&c).map_err(|e| Outcome::Fail(format!("private key: {e}")))
}

/// `rsassa_pkcs1_verify_schema_v1.json`.
pub(crate) fn pkcs1_verify(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let hash = tri!(hash_named(tri!(str_field(group, "sha"))));
    let key = tri!(public_key(group));
    let msg = tri!(hex_field(test, "msg"));
    let sig = tri!(hex_field(test, "sig"));
    wycheproof_verdict(test, key.verify_pkcs1v15(hash, &msg, &sig).is_ok())
}

/// `rsassa_pkcs1_generate_schema_v1.json`: signing must reproduce the
/// expected signature exactly (PKCS#1 v1.5 is deterministic) and it must
/// verify. SHA-1 signing is refused by the library, so those (all
/// "acceptable") cases are checked by verification only.
pub(crate) fn pkcs1_generate(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let hash = tri!(hash_named(tri!(str_field(group, "sha"))));
    let key = tri!(private_key(group));
    let msg = tri!(hex_field(test, "msg"));
    let sig = tri!(hex_field(test, "sig"));
    let verified = key.public_key().verify_pkcs1v15(hash, &msg, &sig).is_ok();
    if hash == HashAlgorithm::Sha1 {
        return wycheproof_verdict(test, verified);
    }
    let mut rng = tri!(drbg());
    let produced = match key.sign_pkcs1v15(&mut rng, hash, &msg) {
        Ok(s) => s,
        Err(e) => return wycheproof_verdict_or(test, false, format!("sign: {e}")),
    };
    wycheproof_verdict_or(test, verified && produced == sig, String::from("signature mismatch"))
}

/// A verdict whose failure message says more than "rejected".
fn wycheproof_verdict_or(test: &Value, accepted: bool, why: String) -> Outcome {
    match wycheproof_verdict(test, accepted) {
        Outcome::Fail(f) => Outcome::Fail(format!("{f}: {why}")),
        o => o,
    }
}

fn pss_params(group: &Value) -> Result<PssParams, Outcome> {
    let sha = str_field(group, "sha")?;
    let mgf = str_field(group, "mgf")?;
    let salt = uint(group, "sLen").ok_or_else(|| Outcome::Fail("missing sLen".into()))? as usize;
    let (hash, mgf) = match (sha, mgf) {
        ("SHAKE128", "SHAKE128") => (PssHash::Shake128, Mgf::Shake128),
        ("SHAKE256", "SHAKE256") => (PssHash::Shake256, Mgf::Shake256),
        (_, "MGF1") => (PssHash::Fixed(hash_named(sha)?), Mgf::Mgf1(hash_named(str_field(group, "mgfSha")?)?)),
        _ => return Err(Outcome::Skip(format!("PSS with {sha} / {mgf}"))),
    };
    Ok(PssParams { hash, mgf, salt: SaltLength::Exact(salt) })
}

/// `rsassa_pss_verify_schema_v1.json` and
/// `rsassa_pss_with_parameters_verify_schema.json` (the parameters in the
/// key's DER equal the group's `sha`, `mgfSha` and `sLen`, which are used).
pub(crate) fn pss_verify(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let params = tri!(pss_params(group));
    let key = tri!(public_key(group));
    let msg = tri!(hex_field(test, "msg"));
    let sig = tri!(hex_field(test, "sig"));
    wycheproof_verdict(test, key.verify_pss(&params, &msg, &sig).is_ok())
}

/// `rsaes_oaep_decrypt_schema_v1.json`.
pub(crate) fn oaep_decrypt(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let hash = tri!(hash_named(tri!(str_field(group, "sha"))));
    let mgf = match tri!(str_field(group, "mgf")) {
        "MGF1" => Mgf::Mgf1(tri!(hash_named(tri!(str_field(group, "mgfSha"))))),
        other => return Outcome::Skip(format!("OAEP mask {other}")),
    };
    let key = tri!(private_key(group));
    let label = tri!(hex_field(test, "label"));
    let ct = tri!(hex_field(test, "ct"));
    let msg = tri!(hex_field(test, "msg"));
    let mut rng = tri!(drbg());
    let params = OaepParams { hash, mgf, label: &label };
    let got = key.decrypt_oaep(&mut rng, &params, &ct);
    wycheproof_verdict(test, got.is_ok_and(|m| m == msg))
}

/// `rsaes_pkcs1_decrypt_schema_v1.json`, through the explicit-error
/// decryption (invalid cases must be rejected). The implicit-rejection
/// variant is checked on the same cases: valid ones give the message,
/// invalid ones a synthetic message that differs from the expected one.
pub(crate) fn pkcs1_decrypt(_algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let key = tri!(private_key(group));
    let ct = tri!(hex_field(test, "ct"));
    let msg = tri!(hex_field(test, "msg"));
    let mut rng = tri!(drbg());
    let explicit = key.decrypt_pkcs1v15(&mut rng, &ct);
    let accepted = explicit.as_ref().is_ok_and(|m| *m == msg);
    let implicit = key.decrypt_pkcs1v15_implicit(&mut rng, &ct);
    match (&explicit, &implicit) {
        (Ok(m), Ok(i)) if m != i => return Outcome::Fail("implicit rejection changed a valid message".into()),
        (Err(_), Ok(i)) if explicit.is_err() && ct.len() == key.size() && i.len() > key.size() - 11 => {
            return Outcome::Fail("synthetic message too long".into());
        }
        _ => {}
    }
    wycheproof_verdict(test, accepted)
}

/// `primality_test_schema_v1.json`: `value` is a two's-complement
/// big-endian integer; negatives are not prime.
pub(crate) fn primality(_algorithm: &str, _group: &Value, test: &Value) -> Outcome {
    let value = tri!(hex_field(test, "value"));
    if value.first().is_some_and(|b| b & 0x80 != 0) {
        return wycheproof_verdict(test, false);
    }
    let mut rng = tri!(drbg());
    match crate::bignum::prime::is_probable_prime_vartime(&value, 40, &mut rng) {
        Ok(prime) => wycheproof_verdict(test, prime),
        Err(e) => Outcome::Fail(format!("primality: {e}")),
    }
}
