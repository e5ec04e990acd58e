//! NIST CAVP `.rsp` known-answer files for the SHA family (byte-oriented
//! `ShortMsg` / `LongMsg`: `[L = n]` sections of `Len` / `Msg` / `MD`).
//!
//! Entry points: [`looks_like`] (a comment header, then `[L = n]`) and
//! [`run`]. Monte-Carlo files (`Seed = ...`) are skipped and named.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use super::{Outcome, Report};
use crate::hash::{BitHash, Sha1, Sha224, Sha256, Sha384, Sha512};

/// Whether `text` has the shape of a CAVP response file.
pub(crate) fn looks_like(text: &str) -> bool {
    text.trim_start().starts_with('#') && text.lines().any(|l| l.trim().starts_with("[L = "))
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    text.as_bytes()
        .chunks(2)
        .map(|p| core::str::from_utf8(p).ok().and_then(|d| u8::from_str_radix(d, 16).ok()))
        .collect()
}

/// A one-shot hash as a plain function.
type DigestFn = fn(&[u8]) -> Vec<u8>;

fn digest<H: BitHash>(msg: &[u8]) -> Vec<u8> {
    H::digest(msg).as_ref().to_vec()
}

/// The hash for a `[L = n]` digest length (SHA-1 and SHA-2 files only;
/// the header's name rules out the truncated SHA-512 variants).
fn hash_for(l: &str, header: &str) -> Option<DigestFn> {
    if header.contains("512/") || header.contains("512_") {
        return None;
    }
    match l {
        "20" => Some(digest::<Sha1>),
        "28" => Some(digest::<Sha224>),
        "32" => Some(digest::<Sha256>),
        "48" => Some(digest::<Sha384>),
        "64" => Some(digest::<Sha512>),
        _ => None,
    }
}

fn case(hash: Option<DigestFn>, len: &str, msg: &str, md: &str) -> Outcome {
    let Some(hash) = hash else { return Outcome::Skip("CAVP digest length".to_string()) };
    let (Ok(bits), Some(msg), Some(md)) = (len.parse::<usize>(), unhex(msg), unhex(md)) else {
        return Outcome::Fail("malformed Len/Msg/MD".into());
    };
    if bits % 8 != 0 {
        return Outcome::Skip("CAVP bit-oriented message".to_string());
    }
    let Some(msg) = msg.get(..bits / 8) else { return Outcome::Fail("Msg shorter than Len".into()) };
    if hash(msg) == md { Outcome::Pass } else { Outcome::Fail("MD mismatch".into()) }
}

/// Runs every `Len`/`Msg`/`MD` record; cases are numbered from 1 in file
/// order (CAVP SHA files have no COUNT field).
pub(crate) fn run(text: &str) -> Report {
    let mut report = Report::default();
    let header: String = text.lines().take_while(|l| l.starts_with('#')).collect();
    let mut hash = None;
    let (mut len, mut msg) = (String::new(), String::new());
    let mut n = 0usize;
    for line in text.lines().map(str::trim) {
        if let Some(l) = line.strip_prefix("[L = ").and_then(|r| r.strip_suffix(']')) {
            hash = hash_for(l.trim(), &header);
        } else if let Some(v) = line.strip_prefix("Len =") {
            len = v.trim().to_string();
        } else if let Some(v) = line.strip_prefix("Msg =") {
            msg = v.trim().to_string();
        } else if line.starts_with("Seed =") {
            n += 1;
            report.record(&format!("{n}"), Outcome::Skip("CAVP Monte Carlo".to_string()));
        } else if let Some(v) = line.strip_prefix("MD =") {
            if !len.is_empty() {
                n += 1;
                report.record(&format!("{n}"), case(hash, &len, &msg, v.trim()));
            }
            len.clear();
            msg.clear();
        }
    }
    report
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_catches_mismatches() {
        let text = "#  CAVS 11.0\n#  \"SHA-1 ShortMsg\"\n\n[L = 20]\n\nLen = 0\nMsg = 00\nMD = da39a3ee5e6b4b0d3255bfef95601890afd80709\n\nLen = 8\nMsg = 36\nMD = 00\n";
        assert!(looks_like(text));
        let r = run(text);
        assert_eq!((r.passed, r.failed), (1, 1));
        assert!(!looks_like("{\"a\": 1}"));
    }
}
