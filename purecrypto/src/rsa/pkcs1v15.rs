//! PKCS#1 v1.5 signatures (RSASSA-PKCS1-v1_5, RFC 8017 section 8.2) and
//! encryption (RSAES-PKCS1-v1_5, section 7.2).
//!
//! Entry points: [`RsaPrivateKey::sign_pkcs1v15`] /
//! [`RsaPublicKey::verify_pkcs1v15`] (verification re-encodes the
//! expected block and compares it whole, so no DigestInfo parser is ever
//! exposed to the signature), [`RsaPublicKey::encrypt_pkcs1v15`],
//! [`RsaPrivateKey::decrypt_pkcs1v15`] (explicit error, for protocols
//! that need it) and [`RsaPrivateKey::decrypt_pkcs1v15_implicit`]
//! (implicit rejection, draft-irtf-cfrg-rsa-guidance: a bad padding yields
//! a deterministic synthetic message derived from the key and the
//! ciphertext, chosen in constant time, so there is no padding oracle).

use alloc::vec;
use alloc::vec::Vec;

use zeroize::Zeroize;

use super::key::{RsaPrivateKey, RsaPublicKey};
use super::mgf::check_hash;
use crate::asn1::der::Writer;
use crate::asn1::oid;
use crate::bignum::limbs::{self, is_zero_word, mask};
use crate::hash::HashAlgorithm;
use crate::mac::hmac;
use crate::rng::CryptoRng;
use crate::{Error, ct};

/// The DigestInfo OID of a hash usable in PKCS#1 v1.5 signatures.
fn digest_oid(hash: HashAlgorithm) -> Result<&'static [u8], Error> {
    Ok(match hash {
        HashAlgorithm::Sha1 => oid::SHA1,
        HashAlgorithm::Sha224 => oid::SHA224,
        HashAlgorithm::Sha256 => oid::SHA256,
        HashAlgorithm::Sha384 => oid::SHA384,
        HashAlgorithm::Sha512 => oid::SHA512,
        HashAlgorithm::Sha512_224 => oid::SHA512_224,
        HashAlgorithm::Sha512_256 => oid::SHA512_256,
        HashAlgorithm::Sha3_224 => oid::SHA3_224,
        HashAlgorithm::Sha3_256 => oid::SHA3_256,
        HashAlgorithm::Sha3_384 => oid::SHA3_384,
        HashAlgorithm::Sha3_512 => oid::SHA3_512,
        _ => return Err(Error::Unsupported { what: "hash for PKCS#1 v1.5 signatures" }),
    })
}

/// EMSA-PKCS1-v1_5: `00 01 FF..FF 00 DigestInfo(hash, digest)`, `k` bytes.
fn emsa_pkcs1v15(hash: HashAlgorithm, digest: &[u8], k: usize) -> Result<Vec<u8>, Error> {
    if digest.len() != hash.output_len() {
        return Err(Error::InvalidLength {
            what: "digest",
            expected: "the hash's output length",
            actual: digest.len(),
        });
    }
    let digest_oid = digest_oid(hash)?;
    let mut w = Writer::new();
    w.sequence(|w| {
        w.sequence(|w| {
            w.oid(digest_oid);
            w.null();
        });
        w.octet_string(digest);
    });
    let t = w.finish();
    if k < t.len() + 11 {
        return Err(Error::InvalidParameter { what: "RSA modulus", reason: "too short for this hash" });
    }
    let mut em = vec![0xffu8; k];
    if let Some(b) = em.get_mut(..2) {
        b.copy_from_slice(&[0, 1]);
    }
    let sep = k - t.len() - 1;
    if let Some(b) = em.get_mut(sep) {
        *b = 0;
    }
    if let Some(tail) = em.get_mut(sep + 1..) {
        tail.copy_from_slice(&t);
    }
    Ok(em)
}

impl RsaPublicKey {
    /// Verifies a PKCS#1 v1.5 signature over `msg` hashed with `hash`.
    ///
    /// # Errors
    /// [`Error::VerificationFailed`] for a bad signature (including a
    /// wrong length); [`Error::Unsupported`] for a hash without a
    /// DigestInfo encoding.
    pub fn verify_pkcs1v15(&self, hash: HashAlgorithm, msg: &[u8], sig: &[u8]) -> Result<(), Error> {
        self.verify_pkcs1v15_prehashed(hash, &hash.hash(msg), sig)
    }

    /// As [`RsaPublicKey::verify_pkcs1v15`] for a digest computed by the
    /// caller.
    ///
    /// # Errors
    /// As [`RsaPublicKey::verify_pkcs1v15`].
    pub fn verify_pkcs1v15_prehashed(&self, hash: HashAlgorithm, digest: &[u8], sig: &[u8]) -> Result<(), Error> {
        let expected = emsa_pkcs1v15(hash, digest, self.size)?;
        if sig.len() != self.size {
            return Err(Error::VerificationFailed);
        }
        let em = self.raw_public(sig).map_err(|_| Error::VerificationFailed)?;
        if ct::eq(&em, &expected) { Ok(()) } else { Err(Error::VerificationFailed) }
    }

    /// RSAES-PKCS1-v1_5 encryption of `msg` (at most `size() - 11` bytes).
    /// Prefer OAEP for new designs.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a message that is too long; what the
    /// generator reports.
    pub fn encrypt_pkcs1v15(&self, rng: &mut impl CryptoRng, msg: &[u8]) -> Result<Vec<u8>, Error> {
        let k = self.size;
        if msg.len() + 11 > k {
            return Err(Error::InvalidLength {
                what: "PKCS#1 v1.5 message",
                expected: "at most k - 11",
                actual: msg.len(),
            });
        }
        let mut em = vec![0u8; k];
        let ps_len = k - msg.len() - 3;
        if let Some(b) = em.get_mut(1) {
            *b = 2;
        }
        if let Some(ps) = em.get_mut(2..2 + ps_len) {
            for b in ps.iter_mut() {
                let mut byte = [0u8];
                loop {
                    rng.try_fill_bytes(&mut byte)?;
                    if byte[0] != 0 {
                        break;
                    }
                }
                *b = byte[0];
            }
        }
        if let Some(tail) = em.get_mut(3 + ps_len..) {
            tail.copy_from_slice(msg);
        }
        let out = self.raw_public(&em);
        em.zeroize();
        out
    }
}

/// Constant-time parse of `00 02 PS(>= 8 nonzero) 00 M`: returns
/// (1 when well formed, index of the first message byte).
fn parse_type2(em: &[u8]) -> (u64, usize) {
    let first = u64::from(em.first().copied().unwrap_or(1));
    let second = u64::from(em.get(1).copied().unwrap_or(0));
    let mut good = is_zero_word(first) & is_zero_word(second ^ 2);
    let mut found = 0u64;
    let mut sep = 0u64;
    for (i, &b) in em.iter().enumerate().skip(2) {
        let zero = is_zero_word(u64::from(b));
        let take = zero & (1 ^ found);
        sep |= mask(take) & i as u64;
        found |= zero;
    }
    good &= found;
    // At least 8 bytes of padding: separator index >= 10.
    good &= 1 ^ limbs::ct_lt(&[sep], &[10]);
    (good, sep as usize + 1)
}

impl RsaPrivateKey {
    /// Signs `msg` with PKCS#1 v1.5 and `hash` (SHA-224 and up; SHA-1 is
    /// refused for new signatures).
    ///
    /// # Errors
    /// [`Error::Unsupported`] for SHA-1, MD5 or a hash without a
    /// DigestInfo encoding; what the generator reports.
    pub fn sign_pkcs1v15(&self, rng: &mut impl CryptoRng, hash: HashAlgorithm, msg: &[u8]) -> Result<Vec<u8>, Error> {
        self.sign_pkcs1v15_prehashed(rng, hash, &hash.hash(msg))
    }

    /// As [`RsaPrivateKey::sign_pkcs1v15`] for a digest computed by the
    /// caller.
    ///
    /// # Errors
    /// As [`RsaPrivateKey::sign_pkcs1v15`].
    pub fn sign_pkcs1v15_prehashed(
        &self,
        rng: &mut impl CryptoRng,
        hash: HashAlgorithm,
        digest: &[u8],
    ) -> Result<Vec<u8>, Error> {
        check_hash(hash)?;
        if hash == HashAlgorithm::Sha1 {
            return Err(Error::Unsupported { what: "SHA-1 for new PKCS#1 v1.5 signatures" });
        }
        let em = emsa_pkcs1v15(hash, digest, self.size())?;
        self.raw_private(rng, &em).map_err(|_| Error::DecryptionFailed)
    }

    /// RSAES-PKCS1-v1_5 decryption with an explicit error. Only for
    /// protocols that must report padding failures; everything else
    /// should use [`RsaPrivateKey::decrypt_pkcs1v15_implicit`].
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] for any bad ciphertext or padding.
    pub fn decrypt_pkcs1v15(&self, rng: &mut impl CryptoRng, ct: &[u8]) -> Result<Vec<u8>, Error> {
        let k = self.size();
        if ct.len() != k || k < 11 {
            return Err(Error::DecryptionFailed);
        }
        let (mut em, ok) = self.raw_private_masked(rng, ct).map_err(|_| Error::DecryptionFailed)?;
        let (good, start) = parse_type2(&em);
        let result = if good & ok == 1 { em.get(start..).map(<[u8]>::to_vec) } else { None };
        em.zeroize();
        result.ok_or(Error::DecryptionFailed)
    }

    /// RSAES-PKCS1-v1_5 decryption with implicit rejection: on a padding
    /// failure the result is a synthetic message that depends only on the
    /// private key and the ciphertext (the method of
    /// draft-irtf-cfrg-rsa-guidance, as OpenSSL 3.2 ships it), selected in
    /// constant time. A caller cannot tell a bad ciphertext from a good one
    /// that decrypts to unexpected bytes.
    ///
    /// # Errors
    /// [`Error::DecryptionFailed`] only for a ciphertext of the wrong
    /// length or not below the modulus (public facts) or a failed fault
    /// check.
    pub fn decrypt_pkcs1v15_implicit(&self, rng: &mut impl CryptoRng, ct: &[u8]) -> Result<Vec<u8>, Error> {
        let k = self.size();
        if ct.len() != k || k < 11 {
            return Err(Error::DecryptionFailed);
        }
        let (mut em, ok) = self.raw_private_masked(rng, ct).map_err(|_| Error::DecryptionFailed)?;
        if ok != 1 {
            em.zeroize();
            return Err(Error::DecryptionFailed);
        }
        let (good, start) = parse_type2(&em);
        let (mut synthetic, synth_start) = self.synthetic_message(ct);
        // Select, byte by byte and without branching, the real message or
        // the synthetic one; then the start index.
        let take_real = mask(good) as u8;
        for (s, &e) in synthetic.iter_mut().zip(&em) {
            *s = (e & take_real) | (*s & !take_real);
        }
        let start = (start as u64 & mask(good)) | (synth_start as u64 & !mask(good));
        em.zeroize();
        // The message length leaves through the result, as it must.
        let out = synthetic.get(start as usize..).map(<[u8]>::to_vec).unwrap_or_default();
        synthetic.zeroize();
        Ok(out)
    }

    /// The implicit-rejection synthetic message for `ct`: `k` bytes and
    /// the index of its first byte.
    ///
    /// KDK = HMAC-SHA256(SHA256(d as k bytes), ct);
    /// lengths = PRF(KDK, "length", 2048 bits): 128 candidate 16-bit
    /// lengths, masked to the next power of two above `k - 10`; the last
    /// one below `k - 10` wins; message = PRF(KDK, "message", 8k bits).
    fn synthetic_message(&self, ct: &[u8]) -> (Vec<u8>, usize) {
        let k = self.size();
        let mut d_bytes = vec![0u8; k];
        limbs::write_be_bytes(self.d_limbs(), &mut d_bytes);
        let mut d_hash = HashAlgorithm::Sha256.hash(&d_bytes);
        d_bytes.zeroize();
        let mut kdk = hmac(HashAlgorithm::Sha256, &d_hash, ct);
        d_hash.zeroize();
        let mut lengths = prf(&kdk, b"length", 256);
        let mut message = prf(&kdk, b"message", k);
        kdk.zeroize();
        let max_sep_offset = (k - 2 - 8) as u64;
        let mut len_mask = max_sep_offset;
        for shift in [1, 2, 4, 8] {
            len_mask |= len_mask >> shift;
        }
        let mut synthetic_len = 0u64;
        for pair in lengths.chunks_exact(2) {
            let cand = (u64::from(pair.first().copied().unwrap_or(0)) << 8
                | u64::from(pair.get(1).copied().unwrap_or(0)))
                & len_mask;
            let below = limbs::ct_lt(&[cand], &[max_sep_offset]);
            synthetic_len = (cand & mask(below)) | (synthetic_len & !mask(below));
        }
        lengths.zeroize();
        let start = k - synthetic_len as usize;
        let out = core::mem::take(&mut message);
        (out, start)
    }
}

/// The PRF of the implicit-rejection method: the concatenation over
/// `i = 0, 1, ...` of HMAC-SHA256(key, I2OSP(i, 2) || label ||
/// I2OSP(8 * len, 2)), cut to `len` bytes.
fn prf(key: &[u8], label: &[u8], len: usize) -> Vec<u8> {
    let bits = ((8 * len) as u16).to_be_bytes();
    let mut out = Vec::with_capacity(len + 32);
    let mut i = 0u16;
    while out.len() < len {
        let mut input = Vec::with_capacity(4 + label.len());
        input.extend_from_slice(&i.to_be_bytes());
        input.extend_from_slice(label);
        input.extend_from_slice(&bits);
        out.extend_from_slice(&hmac(HashAlgorithm::Sha256, key, &input));
        i = i.wrapping_add(1);
    }
    out.truncate(len);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type2_parser_accepts_only_good_padding() {
        let mut em = vec![0u8, 2];
        em.extend_from_slice(&[7u8; 8]);
        em.push(0);
        em.extend_from_slice(b"hi");
        assert_eq!(parse_type2(&em), (1, 11));
        em[9] = 0; // only 7 bytes of padding
        assert_eq!(parse_type2(&em).0, 0);
        let mut no_sep = vec![0u8, 2];
        no_sep.extend_from_slice(&[1u8; 20]);
        assert_eq!(parse_type2(&no_sep).0, 0);
        let mut bad_type = vec![0u8, 1];
        bad_type.extend_from_slice(&[1u8; 9]);
        bad_type.push(0);
        assert_eq!(parse_type2(&bad_type).0, 0);
    }
}
