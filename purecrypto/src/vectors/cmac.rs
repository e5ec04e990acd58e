//! Wycheproof `mac_test_schema_v1.json` runner for AES-CMAC.
//!
//! Entry point: [`run`]. Other algorithms of the same schema (HMAC) are
//! reported as skipped here; the registration table routes the schema to
//! whichever runner knows the algorithm.

use alloc::string::ToString;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::mac::cmac::Cmac;

/// Runs one AES-CMAC case (tags may be truncated per the group's
/// `tagSize`).
pub fn run(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    if algorithm != "AES-CMAC" {
        return Outcome::Skip(algorithm.to_string());
    }
    let fields = ["key", "msg", "tag"].map(|f| hex_field(test, f));
    let [key, msg, tag] = match fields {
        [Ok(a), Ok(b), Ok(c)] => [a, b, c],
        other => return other.into_iter().find_map(Result::err).unwrap_or(Outcome::Fail("bad fields".into())),
    };
    let tag_len = group.get("tagSize").and_then(Value::as_u64).map_or(16, |b| (b / 8) as usize);
    let accepted = Cmac::new(&key).is_ok_and(|mut c| {
        c.update(&msg);
        let full = c.finalize();
        tag.len() == tag_len && full.get(..tag_len).is_some_and(|t| crate::ct::eq(t, &tag))
    });
    wycheproof_verdict(test, accepted)
}
