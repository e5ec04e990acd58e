//! KDF suites: Wycheproof HKDF (`hkdf_test_schema_v1.json`) and PBKDF2
//! (`pbkdf_test_schema.json`), ACVP `TLS-v1.2` (RFC 7627 extended master
//! secret) and `TLS-v1.3` (RFC 8446 key schedule).
//!
//! Entry points: [`wycheproof_hkdf`], [`wycheproof_pbkdf2`], [`acvp_tls12`],
//! [`acvp_tls13`], registered in [`super::WYCHEPROOF`] / [`super::ACVP`].

use alloc::format;
use alloc::vec::Vec;

use super::hash::{tri, uint};
use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::hash::HashAlgorithm;
use crate::kdf::{derive_secret, hkdf, hkdf_extract, pbkdf2, tls12_prf};

fn hash_named(name: &str) -> Result<HashAlgorithm, Outcome> {
    HashAlgorithm::from_name(name).ok_or_else(|| Outcome::Skip(format!("hash {name}")))
}

/// Wycheproof HKDF: `HKDF-SHA-256` etc.; an oversized output must be refused.
pub(crate) fn wycheproof_hkdf(algorithm: &str, _group: &Value, test: &Value) -> Outcome {
    let alg = tri!(hash_named(algorithm.strip_prefix("HKDF-").unwrap_or(algorithm)));
    let ikm = tri!(hex_field(test, "ikm"));
    let salt = tri!(hex_field(test, "salt"));
    let info = tri!(hex_field(test, "info"));
    let want = tri!(hex_field(test, "okm"));
    let Some(size) = uint(test, "size") else { return Outcome::Fail("missing size".into()) };
    let mut okm = alloc::vec![0u8; size as usize];
    let salt = if salt.is_empty() { None } else { Some(salt.as_slice()) };
    let accepted = hkdf(alg, salt, &ikm, &info, &mut okm).is_ok() && okm == want;
    wycheproof_verdict(test, accepted)
}

/// Wycheproof PBKDF2: `PBKDF2-HMACSHA256` etc.
pub(crate) fn wycheproof_pbkdf2(algorithm: &str, _group: &Value, test: &Value) -> Outcome {
    let name = algorithm.strip_prefix("PBKDF2-HMAC").unwrap_or(algorithm);
    let alg = tri!(hash_named(&name.replace("SHA", "SHA-")));
    let password = tri!(hex_field(test, "password"));
    let salt = tri!(hex_field(test, "salt"));
    let want = tri!(hex_field(test, "dk"));
    let (Some(iterations), Some(len)) = (uint(test, "iterationCount"), uint(test, "dkLen")) else {
        return Outcome::Fail("missing iterationCount or dkLen".into());
    };
    let Ok(iterations) = u32::try_from(iterations) else { return wycheproof_verdict(test, false) };
    let mut dk = alloc::vec![0u8; len as usize];
    let accepted = pbkdf2(alg, &password, &salt, iterations, &mut dk).is_ok() && dk == want;
    wycheproof_verdict(test, accepted)
}

fn group_hash(group: &Value, field: &str) -> Result<HashAlgorithm, Outcome> {
    let name = group.get(field).and_then(Value::as_str).ok_or_else(|| Outcome::Fail(format!("missing {field}")))?;
    hash_named(name)
}

/// ACVP TLS 1.2 KDF with the extended master secret (RFC 7627).
pub(crate) fn acvp_tls12(_revision: &str, group: &Value, test: &Value) -> Outcome {
    if group.get("tlsVersion").and_then(Value::as_str) != Some("v1.2_ems") {
        return Outcome::Skip("TLS 1.2 without EMS".into());
    }
    let alg = tri!(group_hash(group, "hashAlg"));
    let pms = tri!(hex_field(test, "preMasterSecret"));
    let session_hash = tri!(hex_field(test, "sessionHash"));
    let client_random = tri!(hex_field(test, "clientRandom"));
    let server_random = tri!(hex_field(test, "serverRandom"));
    let want_ms = tri!(hex_field(test, "masterSecret"));
    let want_kb = tri!(hex_field(test, "keyBlock"));
    let mut ms = [0u8; 48];
    tls12_prf(alg, &pms, b"extended master secret", &session_hash, &mut ms);
    if ms.as_slice() != want_ms {
        return Outcome::Fail("masterSecret mismatch".into());
    }
    let mut seed = server_random;
    seed.extend_from_slice(&client_random);
    let mut kb = alloc::vec![0u8; want_kb.len()];
    tls12_prf(alg, &ms, b"key expansion", &seed, &mut kb);
    if kb == want_kb { Outcome::Pass } else { Outcome::Fail("keyBlock mismatch".into()) }
}

/// ACVP TLS 1.3 key schedule: every secret from early to resumption.
pub(crate) fn acvp_tls13(_revision: &str, group: &Value, test: &Value) -> Outcome {
    let alg = tri!(group_hash(group, "hmacAlg"));
    let field = |name: &str| hex_field(test, name);
    let psk = tri!(field("psk"));
    let dhe = tri!(field("dhe"));
    let (hc, hs) = (tri!(field("helloClientRandom")), tri!(field("helloServerRandom")));
    let (fc, fs) = (tri!(field("finishedClientRandom")), tri!(field("finishedServerRandom")));
    let transcript = |parts: &[&[u8]]| {
        let mut all = Vec::new();
        parts.iter().for_each(|p| all.extend_from_slice(p));
        alg.hash(&all)
    };
    let th_client_hello = transcript(&[&hc]);
    let th_server_hello = transcript(&[&hc, &hs]);
    let th_server_finished = transcript(&[&hc, &hs, &fs]);
    let th_client_finished = transcript(&[&hc, &hs, &fs, &fc]);
    let empty = alg.hash(b"");
    let n = alg.output_len();
    let zeros = alloc::vec![0u8; n];
    let psk = if psk.is_empty() { zeros.clone() } else { psk };
    let dhe = if dhe.is_empty() { zeros.clone() } else { dhe };

    let check = |secret: &[u8], label: &[u8], th: &[u8], name: &str| -> Result<(), Outcome> {
        let want = hex_field(test, name)?;
        let got = derive_secret(alg, secret, label, th).map_err(|e| Outcome::Fail(format!("{name}: {e}")))?;
        if got == want { Ok(()) } else { Err(Outcome::Fail(format!("{name} mismatch"))) }
    };
    let run = || -> Result<(), Outcome> {
        let early = hkdf_extract(alg, Some(&zeros), &psk);
        check(&early, b"c e traffic", &th_client_hello, "clientEarlyTrafficSecret")?;
        check(&early, b"e exp master", &th_client_hello, "earlyExporterMasterSecret")?;
        let derived = derive_secret(alg, &early, b"derived", &empty).map_err(|e| Outcome::Fail(format!("{e}")))?;
        let handshake = hkdf_extract(alg, Some(&derived), &dhe);
        check(&handshake, b"c hs traffic", &th_server_hello, "clientHandshakeTrafficSecret")?;
        check(&handshake, b"s hs traffic", &th_server_hello, "serverHandshakeTrafficSecret")?;
        let derived = derive_secret(alg, &handshake, b"derived", &empty).map_err(|e| Outcome::Fail(format!("{e}")))?;
        let master = hkdf_extract(alg, Some(&derived), &zeros);
        check(&master, b"c ap traffic", &th_server_finished, "clientApplicationTrafficSecret")?;
        check(&master, b"s ap traffic", &th_server_finished, "serverApplicationTrafficSecret")?;
        check(&master, b"exp master", &th_server_finished, "exporterMasterSecret")?;
        check(&master, b"res master", &th_client_finished, "resumptionMasterSecret")?;
        Ok(())
    };
    match run() {
        Ok(()) => Outcome::Pass,
        Err(o) => o,
    }
}
