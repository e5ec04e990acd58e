//! Fuzz entry points for the encodings and key containers (re-exported by
//! [`crate::internal`]).
//!
//! Entry points: [`fuzz_der`], [`fuzz_pem`], [`fuzz_spki`], [`fuzz_pkcs8`],
//! [`fuzz_pkcs12`]. Each takes the fuzzer's bytes and panics only when an
//! invariant is broken; errors are the expected outcome for most inputs.
//! Password-based decryption runs with tiny [`Limits`] so that hostile
//! cost parameters are refused quickly instead of stalling the fuzzer.

use super::der::{Reader, Writer};
use super::pem;
use super::spki::SubjectPublicKeyInfo;
use crate::pkcs5::Limits;
use crate::pkcs8::{EncryptedPrivateKeyInfo, PrivateKeyInfo};

/// Iteration and memory caps for fuzzing.
const FUZZ_LIMITS: Limits = Limits::new(16, 1 << 16);

/// Walks arbitrary bytes as DER; every value that parses must re-encode
/// to exactly its input (DER has one encoding per value).
#[allow(clippy::panic)]
pub fn fuzz_der(data: &[u8]) {
    fn walk(data: &[u8], depth: usize) {
        let mut r = Reader::new(data);
        while let Ok(whole) = r.any_raw() {
            let Ok((tag, contents)) = Reader::new(whole).any() else { panic!("any_raw accepted what any refused") };
            let mut w = Writer::new();
            w.tlv(tag, contents);
            if w.finish() != whole {
                panic!("DER value did not re-encode identically");
            }
            let typed = Reader::new(whole);
            let _ = typed.clone().unsigned_integer();
            let _ = typed.clone().oid().map(super::oid::to_dotted);
            let _ = typed.clone().bit_string_with_unused();
            let _ = typed.clone().boolean();
            let _ = typed.clone().null();
            if tag & 0x20 != 0 && depth < 32 {
                walk(contents, depth + 1);
            }
        }
    }
    walk(data, 0);
}

/// Decodes every PEM block; each must survive encode then decode.
#[allow(clippy::panic)]
pub fn fuzz_pem(data: &[u8]) {
    for block in pem::blocks(data).flatten() {
        let text = pem::encode(block.label, &block.contents);
        match pem::decode(text.as_bytes()) {
            Ok(again) if again.label == block.label && again.contents == block.contents => {}
            _ => panic!("PEM block did not round-trip"),
        }
    }
    // With RFC 1421 headers: the block and its headers round-trip too.
    if let Ok((block, headers)) = pem::decode_with_headers(data) {
        let text = pem::encode_with_headers(block.label, &headers, &block.contents);
        match pem::decode_with_headers(text.as_bytes()) {
            Ok((again, again_headers))
                if again.label == block.label && again.contents == block.contents && again_headers == headers => {}
            _ => panic!("PEM block with headers did not round-trip"),
        }
    }
}

/// A `SubjectPublicKeyInfo` that parses must re-encode to its input.
#[allow(clippy::panic)]
pub fn fuzz_spki(data: &[u8]) {
    if let Ok(spki) = SubjectPublicKeyInfo::from_der(data)
        && spki.to_der() != data
    {
        panic!("SPKI did not re-encode identically");
    }
}

/// Plain PKCS #8 must round-trip; encrypted PKCS #8 is decrypted with a
/// fixed password under tiny limits; [`crate::pkcs8::read`] sees every
/// input (DER and PEM).
#[allow(clippy::panic)]
pub fn fuzz_pkcs8(data: &[u8]) {
    if let Ok(info) = PrivateKeyInfo::from_der(data)
        && info.to_der().as_slice() != data
    {
        panic!("PrivateKeyInfo did not re-encode identically");
    }
    if let Ok(encrypted) = EncryptedPrivateKeyInfo::from_der(data) {
        let _ = encrypted.decrypt(b"password", &FUZZ_LIMITS);
    }
    let _ = crate::pkcs8::read(data, Some(b"password"), &FUZZ_LIMITS);
}

/// Reads a PFX with a fixed password under tiny limits.
pub fn fuzz_pkcs12(data: &[u8]) {
    let _ = crate::pkcs12::read(data, b"password", &FUZZ_LIMITS);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The entry points hold their invariants on real and mangled inputs.
    #[test]
    fn entry_points_accept_real_and_mangled_inputs() {
        let key = hex_literal::hex!(
            "302e020100300506032b657004220420d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"
        );
        let text = pem::encode("PRIVATE KEY", &key);
        for input in [&key[..], text.as_bytes()] {
            for cut in 0..input.len() {
                let piece = input.get(..cut).unwrap_or_default();
                fuzz_der(piece);
                fuzz_pem(piece);
                fuzz_spki(piece);
                fuzz_pkcs8(piece);
                fuzz_pkcs12(piece);
            }
        }
    }
}
