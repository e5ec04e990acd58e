//! Wycheproof `ind_cpa_test_schema_v1.json` runner: AES-CBC-PKCS5 and
//! AES-XTS, chosen by the file's `algorithm` field.
//!
//! Entry point: [`run`]. A case is accepted when encryption gives `ct` and
//! decryption gives back `msg`.

use alloc::string::ToString;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::cipher::aes::Aes;
use crate::cipher::modes::{cbc, xts::Xts};

/// Runs one IND-CPA cipher case.
pub fn run(algorithm: &str, _group: &Value, test: &Value) -> Outcome {
    let fields = ["key", "iv", "msg", "ct"].map(|f| hex_field(test, f));
    let [key, iv, msg, ct] = match fields {
        [Ok(a), Ok(b), Ok(c), Ok(d)] => [a, b, c, d],
        other => return other.into_iter().find_map(Result::err).unwrap_or(Outcome::Fail("bad fields".into())),
    };
    let accepted = match algorithm {
        "AES-CBC-PKCS5" => Aes::new(&key).is_ok_and(|aes| {
            cbc::encrypt_padded(&aes, &iv, &msg).is_ok_and(|c| c == ct)
                && cbc::decrypt_padded(&aes, &iv, &ct).is_ok_and(|p| p == msg)
        }),
        "AES-XTS" => Xts::new(&key).is_ok_and(|x| {
            let mut buf = msg.clone();
            let enc = x.encrypt(&iv, &mut buf).is_ok() && buf == ct;
            let mut buf = ct.clone();
            enc && x.decrypt(&iv, &mut buf).is_ok() && buf == msg
        }),
        _ => return Outcome::Skip(algorithm.to_string()),
    };
    wycheproof_verdict(test, accepted)
}
