//! Known-answer test runner for Wycheproof and NIST ACVP files.
//!
//! Entry points: [`run_document`] (and [`run_file`] with `std`). A document
//! is recognised by its shape, never by its file name: a Wycheproof file is
//! an object with `schema` and `testGroups`; an ACVP internal projection is
//! an object with `algorithm`, `revision` and `testGroups`. Each family of
//! primitives registers one row in [`WYCHEPROOF`] or [`ACVP`]; tests of a
//! family with no row are counted as skipped and the family is named in
//! [`Report::unsupported`]. NIST CAVP `.rsp` hash files (a `#` header and
//! `[L = n]` sections) are recognised too. The crate's tests and
//! `purecrypto vectors` call the same code.

pub mod acvp_aes;
pub mod aead;
pub mod cmac;
pub mod eddsa;
pub mod ind_cpa;
pub mod json;
pub mod keywrap;
pub mod mlkem;
pub mod slhdsa;
pub mod xdh;

mod cavp;
mod ecdh;
mod ecdsa;
mod hash;
mod kdf;
mod mac;
mod mldsa;
mod rsa;

use alloc::collections::BTreeSet;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::fmt;

use json::Value;

/// Most failure descriptions kept per report (the count is always exact).
const MAX_FAILURE_NOTES: usize = 32;

/// The verdict on one test case.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// The library agreed with the expected result.
    Pass,
    /// The library disagreed; the text says how.
    Fail(String),
    /// The case needs something the library does not support; the text
    /// names it.
    Skip(String),
}

/// Runs one Wycheproof test case: `(algorithm, group, test)`.
pub type WycheproofCase = fn(&str, &Value, &Value) -> Outcome;
/// Runs one ACVP test case: `(revision, group, test)`.
pub type AcvpCase = fn(&str, &Value, &Value) -> Outcome;

/// A Wycheproof family: every file whose `schema` field equals `schema`.
#[derive(Debug, Clone, Copy)]
pub struct WycheproofSuite {
    /// The file's `schema` value, e.g. `aead_test_schema_v1.json`.
    pub schema: &'static str,
    /// The case runner.
    pub run: WycheproofCase,
}

/// An ACVP family: every file whose `algorithm` field equals `algorithm`.
#[derive(Debug, Clone, Copy)]
pub struct AcvpSuite {
    /// The file's `algorithm` value, e.g. `ACVP-AES-GCM`.
    pub algorithm: &'static str,
    /// The case runner.
    pub run: AcvpCase,
}

/// The Wycheproof families the library runs. Each primitive family adds
/// its row here.
pub static WYCHEPROOF: &[WycheproofSuite] = &[
    WycheproofSuite { schema: "mac_test_schema_v1.json", run: wycheproof_mac },
    WycheproofSuite { schema: "hkdf_test_schema_v1.json", run: kdf::wycheproof_hkdf },
    WycheproofSuite { schema: "pbkdf_test_schema.json", run: kdf::wycheproof_pbkdf2 },
    WycheproofSuite { schema: "aead_test_schema_v1.json", run: aead::run },
    WycheproofSuite { schema: "ind_cpa_test_schema_v1.json", run: ind_cpa::run },
    WycheproofSuite { schema: "keywrap_test_schema_v1.json", run: keywrap::run },
    WycheproofSuite { schema: "mldsa_sign_seed_schema.json", run: mldsa::wycheproof_sign },
    WycheproofSuite { schema: "mldsa_sign_noseed_schema.json", run: mldsa::wycheproof_sign },
    WycheproofSuite { schema: "mldsa_verify_schema.json", run: mldsa::wycheproof_verify },
    WycheproofSuite { schema: "rsassa_pkcs1_verify_schema_v1.json", run: rsa::pkcs1_verify },
    WycheproofSuite { schema: "rsassa_pkcs1_generate_schema_v1.json", run: rsa::pkcs1_generate },
    WycheproofSuite { schema: "rsassa_pss_verify_schema_v1.json", run: rsa::pss_verify },
    WycheproofSuite { schema: "rsassa_pss_with_parameters_verify_schema.json", run: rsa::pss_verify },
    WycheproofSuite { schema: "rsaes_oaep_decrypt_schema_v1.json", run: rsa::oaep_decrypt },
    WycheproofSuite { schema: "rsaes_pkcs1_decrypt_schema_v1.json", run: rsa::pkcs1_decrypt },
    WycheproofSuite { schema: "primality_test_schema_v1.json", run: rsa::primality },
    WycheproofSuite { schema: "ecdsa_verify_schema_v1.json", run: ecdsa::wycheproof_der },
    WycheproofSuite { schema: "ecdsa_p1363_verify_schema_v1.json", run: ecdsa::wycheproof_p1363 },
    WycheproofSuite { schema: "ecdh_test_schema_v1.json", run: ecdh::run },
    WycheproofSuite { schema: "xdh_comp_schema_v1.json", run: xdh::run },
    WycheproofSuite { schema: "eddsa_verify_schema_v1.json", run: eddsa::wycheproof },
    WycheproofSuite { schema: "mlkem_keygen_seed_test_schema.json", run: mlkem::wycheproof_keygen_seed },
    WycheproofSuite { schema: "mlkem_encaps_test_schema.json", run: mlkem::wycheproof_encaps },
    WycheproofSuite { schema: "mlkem_test_schema.json", run: mlkem::wycheproof_decaps },
    WycheproofSuite {
        schema: "mlkem_semi_expanded_decaps_test_schema.json",
        run: mlkem::wycheproof_semi_expanded_decaps,
    },
];

/// The ACVP families the library runs. Each primitive family adds its row
/// here.
pub static ACVP: &[AcvpSuite] = &[
    AcvpSuite { algorithm: "SHA-1", run: hash::acvp_sha::<crate::hash::Sha1> },
    AcvpSuite { algorithm: "SHA2-224", run: hash::acvp_sha::<crate::hash::Sha224> },
    AcvpSuite { algorithm: "SHA2-256", run: hash::acvp_sha::<crate::hash::Sha256> },
    AcvpSuite { algorithm: "SHA2-384", run: hash::acvp_sha::<crate::hash::Sha384> },
    AcvpSuite { algorithm: "SHA2-512", run: hash::acvp_sha::<crate::hash::Sha512> },
    AcvpSuite { algorithm: "SHA2-512/224", run: hash::acvp_sha::<crate::hash::Sha512_224> },
    AcvpSuite { algorithm: "SHA2-512/256", run: hash::acvp_sha::<crate::hash::Sha512_256> },
    AcvpSuite { algorithm: "SHA3-224", run: hash::acvp_sha::<crate::hash::Sha3_224> },
    AcvpSuite { algorithm: "SHA3-256", run: hash::acvp_sha::<crate::hash::Sha3_256> },
    AcvpSuite { algorithm: "SHA3-384", run: hash::acvp_sha::<crate::hash::Sha3_384> },
    AcvpSuite { algorithm: "SHA3-512", run: hash::acvp_sha::<crate::hash::Sha3_512> },
    AcvpSuite { algorithm: "SHAKE-128", run: hash::acvp_shake128 },
    AcvpSuite { algorithm: "SHAKE-256", run: hash::acvp_shake256 },
    AcvpSuite { algorithm: "HMAC-SHA-1", run: mac::acvp_hmac::<crate::hash::Sha1> },
    AcvpSuite { algorithm: "HMAC-SHA2-224", run: mac::acvp_hmac::<crate::hash::Sha224> },
    AcvpSuite { algorithm: "HMAC-SHA2-256", run: mac::acvp_hmac::<crate::hash::Sha256> },
    AcvpSuite { algorithm: "HMAC-SHA2-384", run: mac::acvp_hmac::<crate::hash::Sha384> },
    AcvpSuite { algorithm: "HMAC-SHA2-512", run: mac::acvp_hmac::<crate::hash::Sha512> },
    AcvpSuite { algorithm: "HMAC-SHA2-512/224", run: mac::acvp_hmac::<crate::hash::Sha512_224> },
    AcvpSuite { algorithm: "HMAC-SHA2-512/256", run: mac::acvp_hmac::<crate::hash::Sha512_256> },
    AcvpSuite { algorithm: "HMAC-SHA3-224", run: mac::acvp_hmac::<crate::hash::Sha3_224> },
    AcvpSuite { algorithm: "HMAC-SHA3-256", run: mac::acvp_hmac::<crate::hash::Sha3_256> },
    AcvpSuite { algorithm: "HMAC-SHA3-384", run: mac::acvp_hmac::<crate::hash::Sha3_384> },
    AcvpSuite { algorithm: "HMAC-SHA3-512", run: mac::acvp_hmac::<crate::hash::Sha3_512> },
    AcvpSuite { algorithm: "TLS-v1.2", run: kdf::acvp_tls12 },
    AcvpSuite { algorithm: "TLS-v1.3", run: kdf::acvp_tls13 },
    AcvpSuite { algorithm: "ACVP-AES-ECB", run: acvp_aes::ecb },
    AcvpSuite { algorithm: "ACVP-AES-CBC", run: acvp_aes::cbc },
    AcvpSuite { algorithm: "ACVP-AES-CTR", run: acvp_aes::ctr },
    AcvpSuite { algorithm: "ACVP-AES-GCM", run: acvp_aes::gcm },
    AcvpSuite { algorithm: "ML-DSA", run: mldsa::acvp },
    AcvpSuite { algorithm: "SLH-DSA", run: slhdsa::acvp },
    AcvpSuite { algorithm: "ECDSA", run: ecdsa::acvp },
    AcvpSuite { algorithm: "EDDSA", run: eddsa::acvp },
    // keyGen and encapDecap files share the algorithm name; the groups'
    // `function` field tells them apart.
    AcvpSuite { algorithm: "ML-KEM", run: mlkem::acvp },
];

/// HMAC and AES-CMAC files share Wycheproof's MAC schema; the file's
/// `algorithm` field picks the runner.
fn wycheproof_mac(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    if algorithm.starts_with("AES-CMAC") {
        cmac::run(algorithm, group, test)
    } else {
        mac::wycheproof_mac(algorithm, group, test)
    }
}

/// Counts for one vector file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Cases whose result matched.
    pub passed: usize,
    /// Cases whose result did not match.
    pub failed: usize,
    /// Cases not run.
    pub skipped: usize,
    /// What the skipped cases needed.
    pub unsupported: BTreeSet<String>,
    /// The first failures, each as `tcId N: reason`.
    pub failures: Vec<String>,
}

impl Report {
    fn record(&mut self, test_id: &str, outcome: Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail(why) => {
                self.failed += 1;
                if self.failures.len() < MAX_FAILURE_NOTES {
                    self.failures.push(format!("tcId {test_id}: {why}"));
                }
            }
            Outcome::Skip(what) => {
                self.skipped += 1;
                self.unsupported.insert(what);
            }
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} passed, {} failed, {} skipped", self.passed, self.failed, self.skipped)?;
        if !self.unsupported.is_empty() {
            let names: Vec<&str> = self.unsupported.iter().map(String::as_str).collect();
            write!(f, " (unsupported: {})", names.join(", "))?;
        }
        Ok(())
    }
}

/// Why a vector file could not be run at all.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VectorError {
    /// The file is not valid JSON.
    #[error(transparent)]
    Json(#[from] json::JsonError),
    /// The JSON is neither a Wycheproof nor an ACVP document.
    #[error("not a Wycheproof or ACVP vector document: {0}")]
    UnknownFormat(&'static str),
    /// The file could not be read.
    #[cfg(feature = "std")]
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// Runs every case of a Wycheproof or ACVP document with the library's
/// registered suites.
///
/// # Errors
/// [`VectorError`] when the text is not JSON or not a known format.
pub fn run_document(text: &str) -> Result<Report, VectorError> {
    run_with(text, WYCHEPROOF, ACVP)
}

/// Reads and runs one vector file.
///
/// # Errors
/// As [`run_document`], plus [`VectorError::Io`].
#[cfg(feature = "std")]
pub fn run_file(path: &std::path::Path) -> Result<Report, VectorError> {
    let read = |p: &std::path::Path| {
        std::fs::read_to_string(p).map_err(|source| VectorError::Io { path: p.display().to_string(), source })
    };
    let text = read(path)?;
    // ACVP may split a vector set into `prompt.json` and
    // `expectedResults.json`; either one is run with the other merged in.
    let sibling = match path.file_name().and_then(|n| n.to_str()) {
        Some("prompt.json") => Some(("expectedResults.json", false)),
        Some("expectedResults.json") => Some(("prompt.json", true)),
        _ => None,
    };
    if let Some((name, is_prompt)) = sibling.filter(|(name, _)| path.with_file_name(name).is_file()) {
        let other = read(&path.with_file_name(name))?;
        let (prompt, answers) = if is_prompt { (other, text) } else { (text, other) };
        let mut doc = json::parse(&prompt)?;
        merge_acvp_answers(&mut doc, &json::parse(&answers)?);
        return run_parsed(&doc, WYCHEPROOF, ACVP);
    }
    run_document(&text)
}

/// Copies every field of each expected-results test into the prompt test
/// with the same `tgId` / `tcId` (fields the prompt has are kept).
#[cfg(feature = "std")]
fn merge_acvp_answers(prompt: &mut Value, answers: &Value) {
    let id = |v: &Value, f: &str| v.get(f).and_then(|x| x.as_u64().or_else(|| x.as_str()?.parse().ok()));
    let Value::Object(members) = prompt else { return };
    let Some((_, Value::Array(groups))) = members.iter_mut().find(|(k, _)| k == "testGroups") else { return };
    let answer_groups = answers.get("testGroups").and_then(Value::as_array).unwrap_or_default();
    for group in groups.iter_mut() {
        let tg = id(group, "tgId");
        let Some(answer_group) = answer_groups.iter().find(|g| id(g, "tgId") == tg) else { continue };
        let answer_tests = answer_group.get("tests").and_then(Value::as_array).unwrap_or_default();
        let Value::Object(gm) = group else { continue };
        let Some((_, Value::Array(tests))) = gm.iter_mut().find(|(k, _)| k == "tests") else { continue };
        for test in tests.iter_mut() {
            let tc = id(test, "tcId");
            let Some(Value::Object(extra)) = answer_tests.iter().find(|t| id(t, "tcId") == tc) else { continue };
            let Value::Object(tm) = test else { continue };
            for (k, v) in extra {
                if !tm.iter().any(|(have, _)| have == k) {
                    tm.push((k.clone(), v.clone()));
                }
            }
        }
    }
}

fn run_with(text: &str, wycheproof: &[WycheproofSuite], acvp: &[AcvpSuite]) -> Result<Report, VectorError> {
    if cavp::looks_like(text) {
        return Ok(cavp::run(text));
    }
    run_parsed(&json::parse(text)?, wycheproof, acvp)
}

fn run_parsed(doc: &Value, wycheproof: &[WycheproofSuite], acvp: &[AcvpSuite]) -> Result<Report, VectorError> {
    let groups = doc.get("testGroups").and_then(Value::as_array).ok_or(VectorError::UnknownFormat("no testGroups"))?;
    let mut report = Report::default();
    if let Some(schema) = doc.get("schema").and_then(Value::as_str) {
        let algorithm = doc.get("algorithm").and_then(Value::as_str).unwrap_or_default();
        let run = wycheproof.iter().find(|s| s.schema == schema).map(|s| s.run);
        run_groups(&mut report, groups, "tcId", schema, |group, test| run.map(|r| r(algorithm, group, test)));
    } else if let (Some(algorithm), Some(revision)) =
        (doc.get("algorithm").and_then(Value::as_str), doc.get("revision").and_then(Value::as_str))
    {
        let run = acvp.iter().find(|s| s.algorithm == algorithm).map(|s| s.run);
        run_groups(&mut report, groups, "tcId", algorithm, |group, test| run.map(|r| r(revision, group, test)));
    } else {
        return Err(VectorError::UnknownFormat("neither a Wycheproof schema nor an ACVP algorithm/revision"));
    }
    Ok(report)
}

fn run_groups(
    report: &mut Report,
    groups: &[Value],
    id_field: &str,
    family: &str,
    mut run: impl FnMut(&Value, &Value) -> Option<Outcome>,
) {
    for group in groups {
        for test in group.get("tests").and_then(Value::as_array).unwrap_or_default() {
            let id = test.get(id_field).and_then(Value::as_u64).map(|n| n.to_string()).unwrap_or_else(|| "?".into());
            let outcome = run(group, test).unwrap_or_else(|| Outcome::Skip(family.to_string()));
            report.record(&id, outcome);
        }
    }
}

/// Decodes a hex field of a test case (either case; empty is empty).
///
/// # Errors
/// A failing [`Outcome`] naming the field when it is missing or not hex.
pub fn hex_field(test: &Value, field: &str) -> Result<Vec<u8>, Outcome> {
    let text =
        test.get(field).and_then(Value::as_str).ok_or_else(|| Outcome::Fail(format!("missing field {field}")))?;
    if !text.len().is_multiple_of(2) {
        return Err(Outcome::Fail(format!("odd-length hex in {field}")));
    }
    text.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digits = core::str::from_utf8(pair).ok();
            digits.and_then(|d| u8::from_str_radix(d, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| Outcome::Fail(format!("bad hex in {field}")))
}

/// The verdict for a Wycheproof case whose `result` is `valid`, `invalid`
/// or `acceptable`, given whether the library accepted the input (and, for
/// valid cases, produced the expected output).
#[must_use]
pub fn wycheproof_verdict(test: &Value, library_accepted: bool) -> Outcome {
    match (test.get("result").and_then(Value::as_str), library_accepted) {
        (Some("valid"), true) | (Some("invalid"), false) | (Some("acceptable"), _) => Outcome::Pass,
        (Some("valid"), false) => Outcome::Fail("valid case rejected".into()),
        (Some("invalid"), true) => Outcome::Fail("invalid case accepted".into()),
        (other, _) => Outcome::Fail(format!("unknown result {other:?}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn xor_case(_: &str, _: &Value, test: &Value) -> Outcome {
        let (a, b) = match (hex_field(test, "a"), hex_field(test, "b")) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(o), _) | (_, Err(o)) => return o,
        };
        let expected_match = a.iter().zip(&b).all(|(x, y)| x ^ y == 0xff);
        wycheproof_verdict(test, expected_match)
    }

    const WYCHEPROOF_DOC: &str = r#"{"algorithm":"XOR","schema":"xor_test_schema.json","testGroups":[{"tests":[
        {"tcId":1,"a":"00ff","b":"ff00","result":"valid"},
        {"tcId":2,"a":"00","b":"00","result":"invalid"},
        {"tcId":3,"a":"00","b":"00","result":"valid"},
        {"tcId":4,"a":"0","b":"00","result":"valid"}]}]}"#;

    #[test]
    fn runs_registered_wycheproof_suites_and_reports_failures() {
        let suites = [WycheproofSuite { schema: "xor_test_schema.json", run: xor_case }];
        let report = run_with(WYCHEPROOF_DOC, &suites, &[]).unwrap();
        assert_eq!((report.passed, report.failed, report.skipped), (2, 2, 0));
        assert_eq!(report.failures, ["tcId 3: valid case rejected", "tcId 4: odd-length hex in a"]);
        assert_eq!(report.to_string(), "2 passed, 2 failed, 0 skipped");
    }

    #[test]
    fn unregistered_families_are_skipped_and_named() {
        let report = run_with(WYCHEPROOF_DOC, &[], &[]).unwrap();
        assert_eq!(report.to_string(), "0 passed, 0 failed, 4 skipped (unsupported: xor_test_schema.json)");
        let acvp =
            r#"{"vsId":0,"algorithm":"ACVP-XOR","revision":"1.0","testGroups":[{"tgId":1,"tests":[{"tcId":1}]}]}"#;
        let report = run_with(acvp, &[], &[]).unwrap();
        assert_eq!(report.to_string(), "0 passed, 0 failed, 1 skipped (unsupported: ACVP-XOR)");
    }

    #[test]
    fn unknown_documents_are_errors() {
        assert!(matches!(run_with("[]", &[], &[]), Err(VectorError::UnknownFormat(_))));
        assert!(matches!(run_with(r#"{"testGroups":[]}"#, &[], &[]), Err(VectorError::UnknownFormat(_))));
        assert!(matches!(run_with("{", &[], &[]), Err(VectorError::Json(_))));
    }
}
