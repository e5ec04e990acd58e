//! Wycheproof `aead_test_schema_v1.json` runner: AES-GCM, AES-CCM,
//! AES-GCM-SIV, ChaCha20-Poly1305 and XChaCha20-Poly1305, chosen by the
//! file's `algorithm` field.
//!
//! Entry point: [`run`]. A case passes when the library's verdict (the
//! encryption reproduces `ct || tag` and the decryption recovers `msg`)
//! agrees with the case's `result`.

use alloc::boxed::Box;
use alloc::string::ToString;
use alloc::vec::Vec;

use super::json::Value;
use super::{Outcome, hex_field, wycheproof_verdict};
use crate::Error;
use crate::aead::Aead;
use crate::aead::ccm::AesCcm;
use crate::aead::chacha20poly1305::{ChaCha20Poly1305, XChaCha20Poly1305};
use crate::aead::gcm::AesGcm;
use crate::aead::gcm_siv::AesGcmSiv;

/// Builds the AEAD a file's algorithm names, with the group's tag size.
pub(crate) fn build(algorithm: &str, key: &[u8], tag_len: usize) -> Option<Result<Box<dyn Aead>, Error>> {
    fn boxed<A: Aead + 'static>(r: Result<A, Error>) -> Result<Box<dyn Aead>, Error> {
        r.map(|a| Box::new(a) as Box<dyn Aead>)
    }
    Some(match algorithm {
        "AES-GCM" => boxed(AesGcm::with_tag_len(key, tag_len)),
        "AES-CCM" => boxed(AesCcm::new(key, tag_len)),
        "AES-GCM-SIV" => boxed(AesGcmSiv::new(key)),
        "CHACHA20-POLY1305" => boxed(ChaCha20Poly1305::new(key)),
        "XCHACHA20-POLY1305" => boxed(XChaCha20Poly1305::new(key)),
        _ => return None,
    })
}

/// Runs one AEAD case.
pub fn run(algorithm: &str, group: &Value, test: &Value) -> Outcome {
    let fields = ["key", "iv", "aad", "msg", "ct", "tag"].map(|f| hex_field(test, f));
    let [key, iv, aad, msg, ct, tag] = match fields {
        [Ok(a), Ok(b), Ok(c), Ok(d), Ok(e), Ok(f)] => [a, b, c, d, e, f],
        other => return other.into_iter().find_map(Result::err).unwrap_or(Outcome::Fail("bad fields".into())),
    };
    let tag_bits = group.get("tagSize").and_then(Value::as_u64).unwrap_or(128);
    let tag_len = usize::try_from(tag_bits / 8).unwrap_or(usize::MAX);
    let aead = match build(algorithm, &key, tag_len) {
        None => return Outcome::Skip(algorithm.to_string()),
        Some(Err(_)) => return wycheproof_verdict(test, false),
        Some(Ok(a)) => a,
    };
    wycheproof_verdict(test, accepts(aead.as_ref(), &iv, &aad, &msg, &ct, &tag))
}

/// Whether encryption reproduces `ct || tag` and decryption recovers
/// `msg` (both must hold for a valid case).
pub(crate) fn accepts(aead: &dyn Aead, iv: &[u8], aad: &[u8], msg: &[u8], ct: &[u8], tag: &[u8]) -> bool {
    let mut buf: Vec<u8> = msg.to_vec();
    let sealed = aead.encrypt_in_place_detached(iv, aad, &mut buf);
    let enc_ok = matches!(&sealed, Ok(t) if t.as_bytes() == tag) && buf == ct;
    let mut buf = ct.to_vec();
    let dec_ok = aead.decrypt_in_place_detached(iv, aad, &mut buf, tag).is_ok() && buf == msg;
    enc_ok && dec_ok
}
