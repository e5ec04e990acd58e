//! Wycheproof `keywrap_test_schema_v1.json` runner: AES-WRAP (RFC 3394)
//! and AES-KWP (RFC 5649), chosen by the file's `algorithm` field.
//!
//! Entry point: [`run`]. A case is accepted when wrapping `msg` gives
//! `ct` and unwrapping `ct` gives `msg`.

use alloc::string::ToString;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::Error;
use crate::cipher::aes::Aes;
use crate::cipher::modes::keywrap;

/// Runs one key-wrap case.
pub fn run(algorithm: &str, _group: &Value, test: &Value) -> Outcome {
    let fields = ["key", "msg", "ct"].map(|f| hex_field(test, f));
    let [key, msg, ct] = match fields {
        [Ok(a), Ok(b), Ok(c)] => [a, b, c],
        other => return other.into_iter().find_map(Result::err).unwrap_or(Outcome::Fail("bad fields".into())),
    };
    type KeyFn = fn(&Aes, &[u8]) -> Result<Vec<u8>, Error>;
    let (wrap, unwrap): (KeyFn, KeyFn) = match algorithm {
        "AES-WRAP" => (keywrap::wrap, keywrap::unwrap),
        "AES-KWP" => (keywrap::wrap_padded, keywrap::unwrap_padded),
        _ => return Outcome::Skip(algorithm.to_string()),
    };
    let accepted = Aes::new(&key)
        .is_ok_and(|aes| wrap(&aes, &msg).is_ok_and(|c| c == ct) && unwrap(&aes, &ct).is_ok_and(|p| p == msg));
    wycheproof_verdict(test, accepted)
}
