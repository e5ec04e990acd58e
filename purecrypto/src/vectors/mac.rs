//! HMAC suites: ACVP `HMAC-*` (revisions 1.0 and 2.0) and Wycheproof
//! `mac_test_schema_v1.json` files whose algorithm is `HMACSHA*`.
//!
//! Entry points: [`acvp_hmac`] (instantiated per hash) and
//! [`wycheproof_mac`], registered in [`super::ACVP`] / [`super::WYCHEPROOF`].

use alloc::format;

use super::hash::{tri, uint};
use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::hash::{Hash, HashAlgorithm};
use crate::mac::{Hmac, hmac};

/// One ACVP HMAC case with the hash `H`: the expected MAC is a prefix of
/// the full tag (`macLen` bits).
pub(crate) fn acvp_hmac<H: Hash>(_revision: &str, _group: &Value, test: &Value) -> Outcome {
    let key = tri!(hex_field(test, "key"));
    let msg = tri!(hex_field(test, "msg"));
    let want = tri!(hex_field(test, "mac"));
    let full = Hmac::<H>::mac(&key, &msg);
    if full.as_ref().get(..want.len()) == Some(want.as_slice()) {
        Outcome::Pass
    } else {
        Outcome::Fail("mac mismatch".into())
    }
}

/// Maps Wycheproof's `HMACSHA256`-style names to a hash.
fn wycheproof_hash(algorithm: &str) -> Option<HashAlgorithm> {
    let name = algorithm.strip_prefix("HMAC")?;
    HashAlgorithm::from_name(name).or_else(|| HashAlgorithm::from_name(&name.replace("SHA", "SHA-")))
}

/// One Wycheproof MAC case (HMAC only; other MACs are skipped by name).
pub(crate) fn wycheproof_mac(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let Some(alg) = wycheproof_hash(algorithm) else {
        return Outcome::Skip(format!("mac {algorithm}"));
    };
    let key = tri!(hex_field(test, "key"));
    let msg = tri!(hex_field(test, "msg"));
    let tag = tri!(hex_field(test, "tag"));
    let tag_bytes = uint(group, "tagSize").map_or(alg.output_len(), |bits| bits as usize / 8);
    let full = hmac(alg, &key, &msg);
    let accepted = tag.len() == tag_bytes && full.get(..tag_bytes).is_some_and(|t| crate::ct::eq(t, &tag));
    wycheproof_verdict(test, accepted)
}
