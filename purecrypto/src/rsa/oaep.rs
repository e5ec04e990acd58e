//! RSAES-OAEP (RFC 8017 section 7.1).
//!
//! Entry points: [`RsaPublicKey::encrypt_oaep`] and
//! [`RsaPrivateKey::decrypt_oaep`], driven by [`OaepParams`]. Decryption
//! checks the leading zero, the label hash and the separator in constant
//! time and reports one [`Error::DecryptionFailed`] for all of them.

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::key::{RsaPrivateKey, RsaPublicKey};
use super::mgf::{Mgf, check_hash};
use crate::Error;
use crate::bignum::limbs::{is_zero_word, mask};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// The parameters of one OAEP scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OaepParams<'a> {
    /// The hash for the label (and the seed length).
    pub hash: HashAlgorithm,
    /// The mask generation function.
    pub mgf: Mgf,
    /// The label (usually empty).
    pub label: &'a [u8],
}

impl<'a> OaepParams<'a> {
    /// MGF1 with the same hash and an empty label.
    #[must_use]
    pub fn new(hash: HashAlgorithm) -> Self {
        Self { hash, mgf: Mgf::Mgf1(hash), label: b"" }
    }
}

impl RsaPublicKey {
    /// Encrypts `msg` (at most `size() - 2 * hLen - 2` bytes).
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a message that is too long;
    /// [`Error::Unsupported`] for MD5; what the generator reports.
    pub fn encrypt_oaep(
        &self,
        rng: &mut impl CryptoRng,
        params: &OaepParams<'_>,
        msg: &[u8],
    ) -> Result<Vec<u8>, Error> {
        check_hash(params.hash)?;
        let k = self.size;
        let h_len = params.hash.output_len();
        if k < 2 * h_len + 2 || msg.len() > k - 2 * h_len - 2 {
            return Err(Error::InvalidLength {
                what: "OAEP message",
                expected: "at most k - 2 hLen - 2",
                actual: msg.len(),
            });
        }
        let mut em = vec![0u8; k];
        let (seed, db) = em.split_at_mut(1 + h_len);
        let seed = seed.get_mut(1..).unwrap_or_default();
        let l_hash = params.hash.hash(params.label);
        if let Some(h) = db.get_mut(..h_len) {
            h.copy_from_slice(&l_hash);
        }
        let one_at = db.len() - msg.len() - 1;
        if let Some(b) = db.get_mut(one_at) {
            *b = 1;
        }
        if let Some(m) = db.get_mut(one_at + 1..) {
            m.copy_from_slice(msg);
        }
        rng.try_fill_bytes(seed)?;
        params.mgf.xor_mask(seed, db);
        params.mgf.xor_mask(db, seed);
        let out = self.raw_public(&em);
        em.zeroize();
        out
    }
}

impl RsaPrivateKey {
    /// Decrypts an OAEP ciphertext.
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] for any bad ciphertext.
    pub fn decrypt_oaep(&self, rng: &mut impl CryptoRng, params: &OaepParams<'_>, ct: &[u8]) -> Result<Vec<u8>, Error> {
        check_hash(params.hash)?;
        let k = self.size();
        let h_len = params.hash.output_len();
        if ct.len() != k || k < 2 * h_len + 2 {
            return Err(Error::DecryptionFailed);
        }
        let (mut em, ok) = self.raw_private_masked(rng, ct).map_err(|_| Error::DecryptionFailed)?;
        let l_hash = params.hash.hash(params.label);
        let y = u64::from(em.first().copied().unwrap_or(1));
        let (seed, db) = em.split_at_mut(1 + h_len);
        let seed = seed.get_mut(1..).unwrap_or_default();
        params.mgf.xor_mask(db, seed);
        params.mgf.xor_mask(seed, db);
        let mut good = ok & is_zero_word(y);
        let mut diff = 0u64;
        for (a, b) in db.iter().zip(&l_hash) {
            diff |= u64::from(a ^ b);
        }
        good &= is_zero_word(diff);
        // First nonzero byte after lHash must be 0x01.
        let mut found = 0u64;
        let mut start = 0u64;
        let mut bad_byte = 0u64;
        for (i, &b) in db.iter().enumerate().skip(h_len) {
            let b = u64::from(b);
            let nonzero = 1 ^ is_zero_word(b);
            let first = nonzero & (1 ^ found);
            start |= mask(first) & (i as u64 + 1);
            bad_byte |= first & (1 ^ is_zero_word(b ^ 1));
            found |= nonzero;
        }
        good &= found & (1 ^ bad_byte);
        let out = if good == 1 { db.get(start as usize..).map(<[u8]>::to_vec) } else { None };
        em.zeroize();
        out.ok_or(Error::DecryptionFailed)
    }
}
