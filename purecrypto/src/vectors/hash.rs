//! ACVP suites for SHA-1, SHA-2, SHA-3 and SHAKE: AFT (including NIST's
//! bit-oriented messages), the Monte-Carlo tests (standard and alternate)
//! and SHAKE's variable-output tests. LDT (1-8 GiB messages) are skipped
//! as `LDT`.
//!
//! Entry points: [`acvp_sha`] (instantiated per hash) and [`acvp_shake`],
//! registered in [`super::ACVP`].

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field};
use crate::hash::{BitHash, Shake128, Shake256, XofReader};

/// A numeric field that ACVP writes either as a number or as a string.
pub(crate) fn uint(v: &Value, field: &str) -> Option<u64> {
    let f = v.get(field)?;
    f.as_u64().or_else(|| f.as_str().and_then(|s| s.parse().ok()))
}

macro_rules! tri {
    ($e:expr) => {
        match $e {
            Ok(v) => v,
            Err(o) => return o,
        }
    };
}
pub(crate) use tri;

/// Splits an ACVP bit string of `bits` bits into whole bytes and a partial
/// final byte (NIST order: its bits at the top).
fn split_bits(msg: &[u8], bits: u64) -> Result<(&[u8], u8, u32), Outcome> {
    let whole = usize::try_from(bits / 8).map_err(|_| Outcome::Fail("len too large".into()))?;
    let rest = (bits % 8) as u32;
    let bytes = msg.get(..whole).ok_or_else(|| Outcome::Fail("msg shorter than len".into()))?;
    let last =
        if rest == 0 { 0 } else { msg.get(whole).copied().ok_or_else(|| Outcome::Fail("msg shorter".into()))? };
    Ok((bytes, last, rest))
}

fn digest_bits<H: BitHash>(msg: &[u8], bits: u64) -> Result<Vec<u8>, Outcome> {
    let (bytes, last, rest) = split_bits(msg, bits)?;
    let mut h = H::new();
    h.update(bytes);
    Ok(h.finalize_bits(last, rest).as_ref().to_vec())
}

fn compare(got: &[u8], want: &[u8], what: &str) -> Outcome {
    if got == want { Outcome::Pass } else { Outcome::Fail(format!("{what} mismatch")) }
}

/// One ACVP SHA-1 / SHA-2 / SHA-3 test case with the hash `H`.
pub(crate) fn acvp_sha<H: BitHash>(_revision: &str, group: &Value, test: &Value) -> Outcome {
    match group.get("testType").and_then(Value::as_str) {
        Some("AFT") => {
            let msg = tri!(hex_field(test, "msg"));
            let want = tri!(hex_field(test, "md"));
            let bits = uint(test, "len").unwrap_or(msg.len() as u64 * 8);
            compare(&tri!(digest_bits::<H>(&msg, bits)), &want, "md")
        }
        Some("MCT") => mct::<H>(group, test),
        Some("LDT") => Outcome::Skip("LDT".to_string()),
        other => Outcome::Fail(format!("unknown testType {other:?}")),
    }
}

fn mct<H: BitHash>(group: &Value, test: &Value) -> Outcome {
    let seed = tri!(hex_field(test, "msg"));
    let results = test.get("resultsArray").and_then(Value::as_array).unwrap_or_default();
    let sha3 = H::OUTPUT_LEN * 2 + H::BLOCK_LEN == 200;
    let alternate = group.get("mctVersion").and_then(Value::as_str) == Some("alternate");
    let seed_len = seed.len();
    let mut seed = seed;
    for (j, expected) in results.iter().enumerate() {
        let want = tri!(hex_field(expected, "md"));
        if sha3 && !alternate {
            // SHA-3: MD[i] = H(MD[i-1]), 1000 times.
            for _ in 0..1000 {
                seed = H::digest(&seed).as_ref().to_vec();
            }
        } else {
            // SHA-1/SHA-2: MD[i] = H(MD[i-3] || MD[i-2] || MD[i-1]);
            // the alternate form fits each message to the seed's length.
            let (mut a, mut b, mut c) = (seed.clone(), seed.clone(), seed.clone());
            for _ in 0..1000 {
                let mut m = Vec::with_capacity(a.len() * 3);
                m.extend_from_slice(&a);
                m.extend_from_slice(&b);
                m.extend_from_slice(&c);
                if alternate {
                    m.resize(seed_len, 0);
                }
                let md = H::digest(&m).as_ref().to_vec();
                a = core::mem::replace(&mut b, core::mem::replace(&mut c, md));
            }
            seed = c;
        }
        if seed != want {
            return Outcome::Fail(format!("MCT iteration {j} mismatch"));
        }
    }
    Outcome::Pass
}

/// Compares XOF output with an expected value of `bits` bits. A partial
/// last byte holds the output's first bits (FIPS 202 order: low bits
/// first); revision 1.0 writes them as they are, revision FIPS202 shifts
/// them to the top of the byte.
fn compare_bits(got: &[u8], want: &[u8], bits: u64, top_aligned: bool) -> Outcome {
    let whole = (bits / 8) as usize;
    let rest = (bits % 8) as u32;
    if got.get(..whole) != want.get(..whole) {
        return Outcome::Fail("md mismatch".into());
    }
    if rest != 0 {
        let g = got.get(whole).copied().unwrap_or(0);
        let w = want.get(whole).copied().unwrap_or(0);
        let low = g & ((1u8 << rest) - 1);
        let expected_form = if top_aligned { low << (8 - rest) } else { low };
        if expected_form != w {
            return Outcome::Fail("md mismatch in the final partial byte".into());
        }
    }
    Outcome::Pass
}

fn shake_reader(wide: bool, msg: &[u8], last: u8, bits: u32) -> XofReader {
    if wide {
        let mut x = Shake256::new();
        x.update(msg);
        x.finalize_xof_bits(last, bits)
    } else {
        let mut x = Shake128::new();
        x.update(msg);
        x.finalize_xof_bits(last, bits)
    }
}

fn shake(wide: bool, revision: &str, group: &Value, test: &Value) -> Outcome {
    match group.get("testType").and_then(Value::as_str) {
        Some("AFT" | "VOT") => {
            let msg = tri!(hex_field(test, "msg"));
            let want = tri!(hex_field(test, "md"));
            let bits = uint(test, "len").unwrap_or(msg.len() as u64 * 8);
            let out_bits = uint(test, "outLen").unwrap_or(want.len() as u64 * 8);
            let (bytes, last, rest) = tri!(split_bits(&msg, bits));
            let got = shake_reader(wide, bytes, last, rest).read_vec(out_bits.div_ceil(8) as usize);
            compare_bits(&got, &want, out_bits, revision == "FIPS202")
        }
        Some("MCT") => shake_mct(wide, group, test),
        other => Outcome::Fail(format!("unknown testType {other:?}")),
    }
}

fn shake_mct(wide: bool, group: &Value, test: &Value) -> Outcome {
    let (Some(min_bits), Some(max_bits)) = (uint(group, "minOutLen"), uint(group, "maxOutLen")) else {
        return Outcome::Fail("MCT group without minOutLen/maxOutLen".into());
    };
    let (min, max) = (min_bits as usize / 8, max_bits as usize / 8);
    let range = max - min + 1;
    let mut output = tri!(hex_field(test, "msg"));
    let mut out_len = max;
    let results = test.get("resultsArray").and_then(Value::as_array).unwrap_or_default();
    for (j, expected) in results.iter().enumerate() {
        let want = tri!(hex_field(expected, "md"));
        for _ in 0..1000 {
            let mut msg = [0u8; 16];
            for (m, o) in msg.iter_mut().zip(output.iter()) {
                *m = *o;
            }
            output = shake_reader(wide, &msg, 0, 0).read_vec(out_len);
            let tail = output.len().checked_sub(2).and_then(|i| output.get(i..)).unwrap_or_default();
            let rightmost = tail.iter().fold(0usize, |acc, b| acc << 8 | usize::from(*b));
            out_len = min + rightmost % range;
        }
        if output != want {
            return Outcome::Fail(format!("MCT iteration {j} mismatch"));
        }
    }
    Outcome::Pass
}

/// ACVP SHAKE-128.
pub(crate) fn acvp_shake128(revision: &str, group: &Value, test: &Value) -> Outcome {
    shake(false, revision, group, test)
}

/// ACVP SHAKE-256.
pub(crate) fn acvp_shake256(revision: &str, group: &Value, test: &Value) -> Outcome {
    shake(true, revision, group, test)
}
