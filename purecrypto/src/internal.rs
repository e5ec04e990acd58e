//! Entry points for the fuzz targets in `fuzz/` (not a stable API).
//!
//! Entry points: [`fuzz_vectors_json`], [`fuzz_hash_streaming`],
//! [`fuzz_aead_open`], [`fuzz_aead_roundtrip`], for the encodings
//! [`fuzz_der`], [`fuzz_pem`], [`fuzz_spki`], [`fuzz_pkcs8`],
//! [`fuzz_pkcs12`], for RSA [`fuzz_rsa_decode`], [`fuzz_rsa_ops`], and
//! [`fuzz_edwards_decode_verify`], for ML-KEM [`fuzz_mlkem_decoders`],
//! [`fuzz_mlkem_decaps`], for the key facade [`fuzz_pkey`], for TLS
//! [`fuzz_tls_record`], [`fuzz_tls_messages`], [`fuzz_tls_client`], [`fuzz_tls_server`], [`fuzz_tls_tickets`], [`fuzz_tls_early_data`], for X.509
//! [`fuzz_certificate`], [`fuzz_chain`], [`fuzz_csr`], [`fuzz_crl`], [`fuzz_ocsp`], [`fuzz_ocsp_request`]. Each takes
//! the fuzzer's bytes and panics only when an invariant is broken.

use crate::hash::{HashAlgorithm, Hasher};

pub use crate::aead::fuzz::{fuzz_aead_open, fuzz_aead_roundtrip};
pub use crate::asn1::fuzz::{fuzz_der, fuzz_pem, fuzz_pkcs8, fuzz_pkcs12, fuzz_spki};
pub use crate::ed25519::fuzz::fuzz_edwards_decode_verify;
pub use crate::mlkem::fuzz::{ctgrind_keygen_768, fuzz_mlkem_decaps, fuzz_mlkem_decoders};
pub use crate::pkey::fuzz::fuzz_pkey;
pub use crate::rsa::fuzz::{fuzz_rsa_decode, fuzz_rsa_ops};
#[cfg(feature = "std")]
pub use crate::tls::fuzz::fuzz_tls_early_data;
pub use crate::tls::fuzz::{fuzz_tls_client, fuzz_tls_messages, fuzz_tls_record, fuzz_tls_server, fuzz_tls_tickets};
pub use crate::x509::fuzz::{fuzz_certificate, fuzz_chain, fuzz_crl, fuzz_csr, fuzz_ocsp, fuzz_ocsp_request};

/// Parses `data` as JSON and, when it parses, runs it as a vector document.
pub fn fuzz_vectors_json(data: &[u8]) {
    if let Ok(text) = core::str::from_utf8(data) {
        if let Ok(value) = crate::vectors::json::parse(text) {
            let _ = value.get("testGroups");
        }
        let _ = crate::vectors::run_document(text);
    }
}

/// First byte: algorithm; second: piece length; rest: the message. Feeding
/// the message in pieces must give the one-shot digest.
#[allow(clippy::panic)]
pub fn fuzz_hash_streaming(data: &[u8]) {
    let [alg, step, message @ ..] = data else { return };
    let all = HashAlgorithm::ALL;
    let Some(&alg) = all.get(usize::from(*alg) % all.len()) else { return };
    let step = usize::from(*step).max(1);
    let mut h = Hasher::new(alg);
    for piece in message.chunks(step) {
        h.update(piece);
    }
    if h.finalize() != alg.hash(message) {
        panic!("{} streaming digest differs from one-shot", alg.name());
    }
}
