//! RSASSA-PSS (RFC 8017 sections 8.1 and 9.1; SHAKE variants of RFC 8702).
//!
//! Entry points: [`RsaPrivateKey::sign_pss`] and
//! [`RsaPublicKey::verify_pss`], both driven by [`PssParams`]. The salt
//! length is explicit when signing; verification takes an explicit length
//! or [`SaltLength::Auto`], which recovers it from the encoded block.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::key::{RsaPrivateKey, RsaPublicKey};
use super::mgf::{Mgf, PssHash};
use crate::rng::CryptoRng;
use crate::{Error, ct};

/// How long the salt is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SaltLength {
    /// Exactly this many bytes.
    Exact(usize),
    /// Verification only: whatever the signature holds.
    Auto,
    /// Verification only: whatever the signature holds, if at least this
    /// many bytes (an `id-RSASSA-PSS` key's minimum salt length).
    AtLeast(usize),
}

/// The parameters of one PSS scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PssParams {
    /// The message hash.
    pub hash: PssHash,
    /// The mask generation function.
    pub mgf: Mgf,
    /// The salt length.
    pub salt: SaltLength,
}

impl PssParams {
    /// The usual choice: MGF1 with the message hash, salt as long as the
    /// digest (RFC 8017's recommendation, and TLS 1.3's rule).
    #[must_use]
    pub fn new(hash: crate::hash::HashAlgorithm) -> Self {
        Self { hash: PssHash::Fixed(hash), mgf: Mgf::Mgf1(hash), salt: SaltLength::Exact(hash.output_len()) }
    }
}

/// EMSA-PSS-ENCODE for `em_bits`; the result is `ceil(em_bits / 8)` bytes.
fn encode(params: &PssParams, m_hash: &[u8], salt: &[u8], em_bits: usize) -> Result<Vec<u8>, Error> {
    let h_len = params.hash.output_len();
    let em_len = em_bits.div_ceil(8);
    if em_len < h_len + salt.len() + 2 {
        return Err(Error::InvalidParameter { what: "PSS", reason: "modulus too short for the hash and salt" });
    }
    let h = params.hash.hash(&[&[0u8; 8], m_hash, salt]);
    let db_len = em_len - h_len - 1;
    let mut em = vec![0u8; em_len];
    let ps_len = db_len - salt.len() - 1;
    if let Some(b) = em.get_mut(ps_len) {
        *b = 1;
    }
    if let Some(s) = em.get_mut(ps_len + 1..db_len) {
        s.copy_from_slice(salt);
    }
    let (db, rest) = em.split_at_mut(db_len);
    params.mgf.xor_mask(&h, db);
    if let Some(first) = db.first_mut() {
        *first &= 0xff >> (8 * em_len - em_bits);
    }
    if let Some(hpart) = rest.get_mut(..h_len) {
        hpart.copy_from_slice(&h);
    }
    if let Some(last) = rest.last_mut() {
        *last = 0xbc;
    }
    Ok(em)
}

/// EMSA-PSS-VERIFY: whether `em` (`ceil(em_bits / 8)` bytes) encodes
/// `m_hash`. Everything here is public.
fn verify_encoding(params: &PssParams, m_hash: &[u8], em: &[u8], em_bits: usize) -> bool {
    let h_len = params.hash.output_len();
    let em_len = em_bits.div_ceil(8);
    if em.len() != em_len || em_len < h_len + 2 || em.last() != Some(&0xbc) {
        return false;
    }
    let db_len = em_len - h_len - 1;
    let (masked_db, rest) = em.split_at(db_len);
    let Some(h) = rest.get(..h_len) else { return false };
    let top_mask = !(0xffu8 >> (8 * em_len - em_bits));
    if masked_db.first().is_some_and(|b| b & top_mask != 0) {
        return false;
    }
    let mut db = masked_db.to_vec();
    params.mgf.xor_mask(h, &mut db);
    if let Some(first) = db.first_mut() {
        *first &= !top_mask;
    }
    let Some(one) = db.iter().position(|&b| b != 0) else { return false };
    if db.get(one) != Some(&1) {
        return false;
    }
    let salt = db.get(one + 1..).unwrap_or_default();
    match params.salt {
        SaltLength::Exact(len) if len != salt.len() => return false,
        SaltLength::AtLeast(min) if salt.len() < min => return false,
        _ => {}
    }
    let h2 = params.hash.hash(&[&[0u8; 8], m_hash, salt]);
    ct::eq(&h2, h)
}

impl RsaPublicKey {
    /// Verifies a PSS signature over `msg`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] for any bad signature.
    pub fn verify_pss(&self, params: &PssParams, msg: &[u8], sig: &[u8]) -> Result<(), Error> {
        self.verify_pss_prehashed(params, &params.hash.hash(&[msg]), sig)
    }

    /// As [`RsaPublicKey::verify_pss`] for a digest computed by the caller.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] for any bad signature.
    pub fn verify_pss_prehashed(&self, params: &PssParams, m_hash: &[u8], sig: &[u8]) -> Result<(), Error> {
        if sig.len() != self.size || m_hash.len() != params.hash.output_len() {
            return Err(Error::VerificationFailed);
        }
        let m = self.raw_public(sig).map_err(|_| Error::VerificationFailed)?;
        let em_bits = self.bits - 1;
        let em_len = em_bits.div_ceil(8);
        // m has k bytes; when emLen == k - 1 its first byte must be zero.
        let (head, em) = m.split_at(m.len() - em_len);
        if head.iter().any(|&b| b != 0) || !verify_encoding(params, m_hash, em, em_bits) {
            return Err(Error::VerificationFailed);
        }
        Ok(())
    }
}

impl RsaPrivateKey {
    /// Signs `msg` with PSS; the salt comes from `rng`.
    ///
    /// # Errors
    /// [`Error::InvalidParameter`] for [`SaltLength::Auto`] or a salt too
    /// long for the modulus; what the generator reports.
    pub fn sign_pss(&self, rng: &mut impl CryptoRng, params: &PssParams, msg: &[u8]) -> Result<Vec<u8>, Error> {
        self.sign_pss_prehashed(rng, params, &params.hash.hash(&[msg]))
    }

    /// As [`RsaPrivateKey::sign_pss`] for a digest computed by the caller.
    ///
    /// # Errors
    /// As [`RsaPrivateKey::sign_pss`].
    pub fn sign_pss_prehashed(
        &self,
        rng: &mut impl CryptoRng,
        params: &PssParams,
        m_hash: &[u8],
    ) -> Result<Vec<u8>, Error> {
        let SaltLength::Exact(salt_len) = params.salt else {
            return Err(Error::InvalidParameter { what: "PSS salt length", reason: "explicit when signing" });
        };
        if m_hash.len() != params.hash.output_len() {
            return Err(Error::InvalidLength { what: "PSS digest", expected: "the hash length", actual: m_hash.len() });
        }
        if salt_len > self.size() {
            return Err(Error::InvalidParameter { what: "PSS salt length", reason: "at most the modulus length" });
        }
        let mut salt = vec![0u8; salt_len];
        rng.try_fill_bytes(&mut salt)?;
        let em_bits = self.public.bits - 1;
        let em = encode(params, m_hash, &salt, em_bits)?;
        salt.zeroize();
        let mut block = vec![0u8; self.size()];
        if let Some(tail) = block.get_mut(self.size() - em.len()..) {
            tail.copy_from_slice(&em);
        }
        self.raw_private(rng, &block)
    }
}
