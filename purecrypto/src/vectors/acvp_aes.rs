//! NIST ACVP runners for ACVP-AES-ECB, -CBC, -CTR and -GCM
//! (`internalProjection.json`: prompts with expected answers).
//!
//! Entry points: [`ecb`], [`cbc`], [`ctr`], [`gcm`]. Algorithm functional
//! tests (AFT) run directly; ECB and CBC Monte Carlo tests (MCT) follow
//! the AESAVS chaining (100 outer iterations of 1000 encryptions, the key
//! updated from the last outputs) and check every entry of
//! `resultsArray`. Lengths given in bits that are not whole bytes (CTR)
//! compare only the leading bits.

use alloc::format;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field};
use crate::aead::Aead;
use crate::aead::gcm::AesGcm;
use crate::cipher::aes::Aes;
use crate::cipher::modes::{self, xor_into};

fn decrypting(group: &Value) -> bool {
    group.get("direction").and_then(Value::as_str) == Some("decrypt")
}

fn is_mct(group: &Value) -> bool {
    group.get("testType").and_then(Value::as_str) == Some("MCT")
}

fn fields<const N: usize>(test: &Value, names: [&str; N]) -> Result<[Vec<u8>; N], Outcome> {
    let mut out: [Vec<u8>; N] = core::array::from_fn(|_| Vec::new());
    for (o, n) in out.iter_mut().zip(names) {
        *o = hex_field(test, n)?;
    }
    Ok(out)
}

fn compare(what: &str, got: &[u8], want: &[u8]) -> Outcome {
    if got == want { Outcome::Pass } else { Outcome::Fail(format!("{what} mismatch")) }
}

/// ACVP-AES-ECB.
pub fn ecb(_revision: &str, group: &Value, test: &Value) -> Outcome {
    if is_mct(group) {
        return mct(group, test, false);
    }
    let [key, pt, ct] = match fields(test, ["key", "pt", "ct"]) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let Ok(aes) = Aes::new(&key) else { return Outcome::Fail("key rejected".into()) };
    let (mut buf, want) = if decrypting(group) { (ct, pt) } else { (pt, ct) };
    let r = if decrypting(group) { modes::ecb_decrypt(&aes, &mut buf) } else { modes::ecb_encrypt(&aes, &mut buf) };
    if r.is_err() {
        return Outcome::Fail("length rejected".into());
    }
    compare("output", &buf, &want)
}

/// ACVP-AES-CBC.
pub fn cbc(_revision: &str, group: &Value, test: &Value) -> Outcome {
    if is_mct(group) {
        return mct(group, test, true);
    }
    let [key, iv, pt, ct] = match fields(test, ["key", "iv", "pt", "ct"]) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let Ok(aes) = Aes::new(&key) else { return Outcome::Fail("key rejected".into()) };
    let (mut buf, want) = if decrypting(group) { (ct, pt) } else { (pt, ct) };
    let r = if decrypting(group) {
        modes::cbc::decrypt(&aes, &iv, &mut buf)
    } else {
        modes::cbc::encrypt(&aes, &iv, &mut buf)
    };
    if r.is_err() {
        return Outcome::Fail("input rejected".into());
    }
    compare("output", &buf, &want)
}

/// XORs the tail of the last two outputs into the key (AESAVS key update).
fn next_key(key: &mut [u8], prev: &[u8; 16], last: &[u8; 16]) {
    let both: Vec<u8> = prev.iter().chain(last).copied().collect();
    let tail = both.get(32 - key.len()..).unwrap_or_default();
    xor_into(key, tail);
}

/// The AESAVS Monte Carlo test for ECB (`chained == false`) or CBC.
fn mct(group: &Value, test: &Value, chained: bool) -> Outcome {
    let dec = decrypting(group);
    let Ok(mut key) = hex_field(test, "key") else { return Outcome::Fail("missing key".into()) };
    let input_name = if dec { "ct" } else { "pt" };
    let output_name = if dec { "pt" } else { "ct" };
    let Some(Ok(mut input)) = hex_field(test, input_name).ok().map(|v| <[u8; 16]>::try_from(v.as_slice())) else {
        return Outcome::Fail("missing input block".into());
    };
    let mut iv = [0u8; 16];
    if chained {
        match hex_field(test, "iv").ok().map(|v| <[u8; 16]>::try_from(v.as_slice())) {
            Some(Ok(v)) => iv = v,
            _ => return Outcome::Fail("missing iv".into()),
        }
    }
    let Some(results) = test.get("resultsArray").and_then(Value::as_array) else {
        return Outcome::Fail("missing resultsArray".into());
    };
    for (i, expected) in results.iter().enumerate() {
        let Ok(aes) = Aes::new(&key) else { return Outcome::Fail("key rejected".into()) };
        let want_key = hex_field(expected, "key").unwrap_or_default();
        if want_key != key {
            return Outcome::Fail(format!("MCT iteration {i}: key mismatch"));
        }
        // With X[-1] = Y[-1] = IV (CBC) the AESAVS chains are:
        //   encrypt: CT[j] = E(PT[j] ^ CT[j-1]), PT[j+1] = CT[j-1]
        //   decrypt: PT[j] = D(CT[j]) ^ CT[j-1], CT[j+1] = PT[j-1]
        // and for ECB each output is the next input.
        let (mut prev, mut out) = ([0u8; 16], [0u8; 16]);
        let mut x = input;
        let (mut in_prev, mut out_prev) = (iv, iv);
        for _ in 0..1000 {
            let mut b = x;
            if chained && !dec {
                xor_into(&mut b, &out_prev);
            }
            if dec {
                aes.decrypt_block(&mut b);
                if chained {
                    xor_into(&mut b, &in_prev);
                }
            } else {
                aes.encrypt_block(&mut b);
            }
            prev = out;
            out = b;
            let next = if chained { out_prev } else { out };
            in_prev = x;
            out_prev = out;
            x = next;
        }
        let want_out = hex_field(expected, output_name).unwrap_or_default();
        if want_out != out {
            return Outcome::Fail(format!("MCT iteration {i}: output mismatch"));
        }
        next_key(&mut key, &prev, &out);
        if chained {
            iv = out;
            input = prev;
        } else {
            input = out;
        }
    }
    Outcome::Pass
}

/// Keeps the first `bits` bits of `v` (ACVP lengths are in bits).
fn truncate_bits(v: &mut Vec<u8>, bits: u64) {
    let bytes = usize::try_from(bits.div_ceil(8)).unwrap_or(usize::MAX);
    v.truncate(bytes);
    if !bits.is_multiple_of(8)
        && let Some(last) = v.last_mut()
    {
        *last &= 0xffu8 << (8 - bits % 8);
    }
}

/// ACVP-AES-CTR (RFC 3686-style groups: `iv` is the initial counter
/// block, incremented as a 128-bit integer).
pub fn ctr(_revision: &str, group: &Value, test: &Value) -> Outcome {
    let [key, iv, pt, ct] = match fields(test, ["key", "iv", "pt", "ct"]) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let Ok(aes) = Aes::new(&key) else { return Outcome::Fail("key rejected".into()) };
    let bits = test.get("payloadLen").and_then(Value::as_u64).unwrap_or(8 * pt.len() as u64);
    let (mut buf, mut want) = if decrypting(group) { (ct, pt) } else { (pt, ct) };
    if modes::ctr::apply_keystream(&aes, &iv, &mut buf).is_err() {
        return Outcome::Fail("counter block rejected".into());
    }
    truncate_bits(&mut buf, bits);
    truncate_bits(&mut want, bits);
    compare("output", &buf, &want)
}

/// ACVP-AES-GCM (external IV; decryption cases may expect a failure).
pub fn gcm(_revision: &str, group: &Value, test: &Value) -> Outcome {
    let [key, iv, aad, pt, ct, tag] = match fields(test, ["key", "iv", "aad", "pt", "ct", "tag"]) {
        Ok(f) => f,
        Err(o) => return o,
    };
    let tag_len = group.get("tagLen").and_then(Value::as_u64).map_or(16, |b| (b / 8) as usize);
    let Ok(gcm) = AesGcm::with_tag_len(&key, tag_len) else {
        return Outcome::Fail("key or tag length rejected".into());
    };
    if decrypting(group) {
        let expect_ok = test.get("testPassed").and_then(Value::as_bool).unwrap_or(true);
        let mut buf = ct;
        match (gcm.decrypt_in_place_detached(&iv, &aad, &mut buf, &tag), expect_ok) {
            (Ok(()), true) => compare("plaintext", &buf, &pt),
            (Err(_), false) => Outcome::Pass,
            (Ok(()), false) => Outcome::Fail("forged tag accepted".into()),
            (Err(e), true) => Outcome::Fail(format!("valid case rejected: {e}")),
        }
    } else {
        let mut buf = pt;
        match gcm.encrypt_in_place_detached(&iv, &aad, &mut buf) {
            Ok(t) if buf == ct && t.as_bytes() == tag.as_slice() => Outcome::Pass,
            Ok(_) => Outcome::Fail("ciphertext or tag mismatch".into()),
            Err(e) => Outcome::Fail(format!("rejected: {e}")),
        }
    }
}
