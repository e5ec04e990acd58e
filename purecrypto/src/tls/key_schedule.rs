//! The TLS 1.3 key schedule (RFC 8446 section 7.1): early, handshake and
//! master secrets, traffic secrets, traffic keys, Finished keys, the
//! KeyUpdate ratchet and resumption secrets.
//!
//! Entry point: [`KeySchedule`], which walks Early -> Handshake -> Master
//! and forgets each stage's secret when it moves on.

use alloc::vec::Vec;

use subtle::ConstantTimeEq;
use zeroize::Zeroizing;

use super::error::Error;
use crate::hash::HashAlgorithm;
use crate::kdf::{derive_secret, hkdf_expand_label, hkdf_extract};
use crate::mac::DynHmac;

/// A secret the schedule hands out (traffic, resumption, exporter).
pub(crate) type Secret = Zeroizing<Vec<u8>>;

/// The current stage's secret; which stage is tracked by the caller's
/// state machine.
pub(crate) struct KeySchedule {
    hash: HashAlgorithm,
    current: Secret,
}

impl KeySchedule {
    /// The early secret, from a PSK or (full handshake) zeros.
    pub(crate) fn early(hash: HashAlgorithm, psk: Option<&[u8]>) -> Self {
        let zeros = Zeroizing::new(alloc::vec![0u8; hash.output_len()]);
        let ikm = psk.unwrap_or(&zeros);
        Self { hash, current: Zeroizing::new(hkdf_extract(hash, None, ikm)) }
    }

    pub(crate) const fn hash(&self) -> HashAlgorithm {
        self.hash
    }

    /// `Derive-Secret(current, label, transcript_hash)`.
    pub(crate) fn derive(&self, label: &[u8], transcript_hash: &[u8]) -> Result<Secret, Error> {
        Ok(Zeroizing::new(derive_secret(self.hash, &self.current, label, transcript_hash)?))
    }

    /// `HKDF-Extract(Derive-Secret(current, "derived", ""), ikm)`: the next
    /// stage (handshake with the ECDHE secret, master with zeros).
    fn advance(&mut self, ikm: &[u8]) -> Result<(), Error> {
        let empty = self.hash.hash(b"");
        let salt = self.derive(b"derived", &empty)?;
        self.current = Zeroizing::new(hkdf_extract(self.hash, Some(&salt), ikm));
        Ok(())
    }

    /// Early -> Handshake secret.
    pub(crate) fn into_handshake(mut self, shared: &[u8]) -> Result<Self, Error> {
        self.advance(shared)?;
        Ok(self)
    }

    /// Handshake -> Master secret.
    pub(crate) fn into_master(mut self) -> Result<Self, Error> {
        let zeros = Zeroizing::new(alloc::vec![0u8; self.hash.output_len()]);
        self.advance(&zeros)?;
        Ok(self)
    }

    #[cfg(test)]
    pub(crate) fn current(&self) -> &[u8] {
        &self.current
    }
}

/// The AEAD key and IV for a traffic secret.
pub(crate) fn traffic_key_iv(hash: HashAlgorithm, secret: &[u8], key_len: usize) -> Result<(Secret, [u8; 12]), Error> {
    let mut key = Zeroizing::new(alloc::vec![0u8; key_len]);
    hkdf_expand_label(hash, secret, b"key", b"", &mut key)?;
    let mut iv = [0u8; 12];
    hkdf_expand_label(hash, secret, b"iv", b"", &mut iv)?;
    Ok((key, iv))
}

/// `application_traffic_secret_N+1` (section 7.2).
pub(crate) fn next_traffic_secret(hash: HashAlgorithm, secret: &[u8]) -> Result<Secret, Error> {
    let mut out = Zeroizing::new(alloc::vec![0u8; hash.output_len()]);
    hkdf_expand_label(hash, secret, b"traffic upd", b"", &mut out)?;
    Ok(out)
}

/// `verify_data = HMAC(finished_key, transcript_hash)` (section 4.4.4).
pub(crate) fn finished_verify_data(
    hash: HashAlgorithm,
    base_key: &[u8],
    transcript_hash: &[u8],
) -> Result<Vec<u8>, Error> {
    let mut finished_key = Zeroizing::new(alloc::vec![0u8; hash.output_len()]);
    hkdf_expand_label(hash, base_key, b"finished", b"", &mut finished_key)?;
    let mut mac = DynHmac::new(hash, &finished_key);
    mac.update(transcript_hash);
    Ok(mac.finalize())
}

/// Checks a received Finished in constant time: a wrong length is
/// `decode_error`, a wrong value `decrypt_error`.
pub(crate) fn check_finished(
    hash: HashAlgorithm,
    base_key: &[u8],
    transcript_hash: &[u8],
    received: &[u8],
) -> Result<(), Error> {
    let expected = finished_verify_data(hash, base_key, transcript_hash)?;
    // The length is the hash's, public: a wrong one is malformed
    // (`decode_error`), only a wrong value is `decrypt_error`.
    if expected.len() != received.len() {
        return Err(Error::Decode { what: "Finished length" });
    }
    if bool::from(expected.ct_eq(received)) { Ok(()) } else { Err(Error::DecryptError { what: "Finished" }) }
}
