//! The TLS 1.2 PRF (RFC 5246 section 5) and the TLS 1.3 key-schedule
//! helpers HKDF-Expand-Label and Derive-Secret (RFC 8446 section 7.1).
//!
//! Entry points: [`tls12_prf`], [`hkdf_expand_label`], [`derive_secret`].
//! The TLS state machines call these; the ACVP TLS KDF suites test them.

use alloc::vec::Vec;

use super::hkdf::expand_with;
use super::{MAX_PRF_LEN, Prf};
use crate::Error;
use crate::hash::HashAlgorithm;
use crate::mac::DynHmac;
use zeroize::Zeroize;

/// TLS 1.2 `PRF(secret, label, seed) = P_hash(secret, label || seed)`,
/// filling `out`. `alg` is the cipher suite's PRF hash (SHA-256 unless
/// the suite says SHA-384).
pub fn tls12_prf(alg: HashAlgorithm, secret: &[u8], label: &[u8], seed: &[u8], out: &mut [u8]) {
    let mac = DynHmac::new(alg, secret);
    let n = mac.output_len();
    // A(1) = HMAC(secret, label || seed).
    let mut a = [0u8; MAX_PRF_LEN];
    let mut m = mac.clone();
    m.absorb(label);
    m.absorb(seed);
    m.finish(&mut a);
    let mut block = [0u8; MAX_PRF_LEN];
    for chunk in out.chunks_mut(n) {
        let mut m = mac.clone();
        m.absorb(a.get(..n).unwrap_or_default());
        m.absorb(label);
        m.absorb(seed);
        m.finish(&mut block);
        chunk.copy_from_slice(block.get(..chunk.len()).unwrap_or_default());
        let mut m = mac.clone();
        m.absorb(a.get(..n).unwrap_or_default());
        m.finish(&mut a);
    }
    a.zeroize();
    block.zeroize();
}

/// Longest TLS 1.3 label after the `"tls13 "` prefix (the length byte
/// allows 255; RFC 8446 caps the whole label at 255).
const MAX_LABEL: usize = 255 - 6;

/// TLS 1.3 `HKDF-Expand-Label(secret, label, context, out.len())`; `label`
/// is given without the `"tls13 "` prefix.
///
/// # Errors
/// [`Error::InvalidLength`] when the label or context exceeds 255 bytes or
/// `out` is longer than HKDF allows.
pub fn hkdf_expand_label(
    alg: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    context: &[u8],
    out: &mut [u8],
) -> Result<(), Error> {
    if label.len() > MAX_LABEL {
        return Err(Error::InvalidLength { what: "TLS 1.3 label", expected: "at most 249", actual: label.len() });
    }
    let context_len = u8::try_from(context.len()).map_err(|_| Error::InvalidLength {
        what: "TLS 1.3 context",
        expected: "at most 255",
        actual: context.len(),
    })?;
    let out_len = u16::try_from(out.len()).map_err(|_| Error::InvalidLength {
        what: "TLS 1.3 output",
        expected: "at most 65535",
        actual: out.len(),
    })?;
    let mut info = Vec::with_capacity(4 + 6 + label.len() + context.len());
    info.extend_from_slice(&out_len.to_be_bytes());
    info.push((6 + label.len()) as u8);
    info.extend_from_slice(b"tls13 ");
    info.extend_from_slice(label);
    info.push(context_len);
    info.extend_from_slice(context);
    expand_with(&DynHmac::new(alg, secret), &info, out)
}

/// TLS 1.3 `Derive-Secret(secret, label, messages)`, given
/// `transcript_hash = Transcript-Hash(messages)`: a hash-length secret.
///
/// # Errors
/// As [`hkdf_expand_label`].
pub fn derive_secret(
    alg: HashAlgorithm,
    secret: &[u8],
    label: &[u8],
    transcript_hash: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut out = alloc::vec![0u8; alg.output_len()];
    hkdf_expand_label(alg, secret, label, transcript_hash, &mut out)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    /// RFC 8448 section 3 (simple 1-RTT handshake): the early secret and
    /// the first "derived" value.
    #[test]
    fn rfc_8448_early_secret_and_derived() {
        let alg = HashAlgorithm::Sha256;
        let early = crate::kdf::hkdf_extract(alg, None, &[0u8; 32]);
        assert_eq!(early, hex!("33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a"));
        let empty_hash = alg.hash(b"");
        let derived = derive_secret(alg, &early, b"derived", &empty_hash).unwrap();
        assert_eq!(derived, hex!("6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba"));
    }

    #[test]
    fn tls12_prf_is_deterministic_and_label_bound() {
        let mut a = [0u8; 100];
        let mut b = [0u8; 100];
        tls12_prf(HashAlgorithm::Sha256, b"secret", b"label", b"seed", &mut a);
        tls12_prf(HashAlgorithm::Sha256, b"secret", b"label", b"seed", &mut b[..50]);
        assert_eq!(a[..50], b[..50]);
        tls12_prf(HashAlgorithm::Sha256, b"secret", b"lbl", b"seed", &mut b);
        assert_ne!(a, b);
        assert!(hkdf_expand_label(HashAlgorithm::Sha256, b"s", &[0; 250], b"", &mut a).is_err());
    }
}
