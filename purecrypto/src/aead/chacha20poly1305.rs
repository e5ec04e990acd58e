//! ChaCha20-Poly1305 (RFC 8439 section 2.8) and XChaCha20-Poly1305
//! (draft-irtf-cfrg-xchacha).
//!
//! Entry points: [`ChaCha20Poly1305`] (12-byte nonce) and
//! [`XChaCha20Poly1305`] (24-byte nonce: HChaCha20 derives a subkey from
//! the first 16 bytes), both implementing [`Aead`] with 16-byte tags.

use zeroize::Zeroize;

use super::{Aead, Tag, check_tag_len};
use crate::Error;
use crate::arch::Tier;
use crate::cipher::chacha20::{ChaCha20, hchacha20};
use crate::mac::poly1305::Poly1305;

/// Largest message: the 32-bit block counter starts at 1.
const MAX_MESSAGE: u64 = ((1u64 << 32) - 1) * 64;

fn key32(key: &[u8], what: &'static str) -> Result<[u8; 32], Error> {
    key.try_into().map_err(|_| Error::InvalidLength { what, expected: "32", actual: key.len() })
}

/// Messages are encrypted and authenticated in slices of this many bytes
/// (a multiple of the ChaCha20 block and of the Poly1305 block), so each
/// slice is still in L1 cache when Poly1305 reads it after ChaCha20 wrote
/// it (or the other way round when opening).
const FUSED_SLICE: usize = 8192;

/// The RFC 8439 AEAD over an already-derived key and 12-byte nonce.
fn seal(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], buf: &mut [u8], tier: Tier) -> Result<[u8; 16], Error> {
    check_len(buf.len())?;
    let mut chacha = ChaCha20::from_parts(key, nonce, 0);
    if tier != Tier::Soft && buf.len() <= 64 {
        // Short message: keystream blocks 0 (the Poly1305 key) and 1 in
        // one pass.
        let mut tmp = short_pass(&mut chacha, buf, tier);
        buf.copy_from_slice(tmp.get(64..64 + buf.len()).unwrap_or_default());
        let mut mac = mac_from(&tmp, tier);
        wipe(&mut tmp, buf.len());
        authenticate(&mut mac, aad, buf);
        return Ok(mac.finalize());
    }
    let mut mac = one_time_mac(&mut chacha, tier);
    mac.update(aad);
    mac.pad16();
    for slice in buf.chunks_mut(FUSED_SLICE) {
        chacha.apply_keystream_tier(slice, tier);
        mac.update(slice);
    }
    authenticate_lengths(&mut mac, aad.len(), buf.len());
    Ok(mac.finalize())
}

fn open(key: &[u8; 32], nonce: &[u8; 12], aad: &[u8], buf: &mut [u8], tag: &[u8], tier: Tier) -> Result<(), Error> {
    check_tag_len("ChaCha20-Poly1305 tag", "16", tag, 16)?;
    check_len(buf.len())?;
    let mut chacha = ChaCha20::from_parts(key, nonce, 0);
    if tier != Tier::Soft && buf.len() <= 64 {
        let mut tmp = short_pass(&mut chacha, buf, tier);
        let mut mac = mac_from(&tmp, tier);
        authenticate(&mut mac, aad, buf);
        let ok = mac.verify(tag);
        if ok {
            buf.copy_from_slice(tmp.get(64..64 + buf.len()).unwrap_or_default());
        } else {
            buf.zeroize();
        }
        wipe(&mut tmp, buf.len());
        return if ok { Ok(()) } else { Err(Error::VerificationFailed) };
    }
    let mut mac = one_time_mac(&mut chacha, tier);
    mac.update(aad);
    mac.pad16();
    // Authenticate each slice of ciphertext, then decrypt it while it is
    // hot; on a bad tag the whole buffer is wiped, so no plaintext leaves.
    for slice in buf.chunks_mut(FUSED_SLICE) {
        mac.update(slice);
        chacha.apply_keystream_tier(slice, tier);
    }
    authenticate_lengths(&mut mac, aad.len(), buf.len());
    if !mac.verify(tag) {
        buf.zeroize();
        return Err(Error::VerificationFailed);
    }
    Ok(())
}

/// `0^64 || data` XORed with keystream blocks 0 and 1 (`data.len() <= 64`):
/// the first 32 bytes are the Poly1305 key, bytes 64.. the transformed data.
fn short_pass(chacha: &mut ChaCha20, data: &[u8], tier: Tier) -> [u8; 128] {
    let mut tmp = [0u8; 128];
    if let Some(d) = tmp.get_mut(64..64 + data.len()) {
        d.copy_from_slice(data);
    }
    chacha.apply_keystream_tier(tmp.get_mut(..64 + data.len()).unwrap_or_default(), tier);
    tmp
}

/// Wipes what [`short_pass`] left: the keystream of block 0 and the
/// `len` bytes of data (the rest of `tmp` was never written).
fn wipe(tmp: &mut [u8; 128], len: usize) {
    tmp.get_mut(..64 + len).unwrap_or_default().zeroize();
}

/// The Poly1305 instance keyed with the first 32 bytes of `tmp`.
fn mac_from(tmp: &[u8; 128], tier: Tier) -> Poly1305 {
    let mut otk = [0u8; 32];
    otk.copy_from_slice(&tmp[..32]);
    let mac = Poly1305::with_tier(&otk, tier);
    otk.zeroize();
    mac
}

fn check_len(len: usize) -> Result<(), Error> {
    if len as u64 > MAX_MESSAGE {
        return Err(Error::InvalidLength {
            what: "ChaCha20-Poly1305 message",
            expected: "at most 2^38 - 64 bytes",
            actual: len,
        });
    }
    Ok(())
}

/// The Poly1305 key is the first 32 bytes of keystream block 0; the
/// cipher then continues from block 1.
fn one_time_mac(chacha: &mut ChaCha20, tier: Tier) -> Poly1305 {
    let mut block0 = chacha.block_words();
    chacha.skip_block();
    let mut otk = [0u8; 32];
    for (o, w) in otk.chunks_exact_mut(4).zip(block0) {
        o.copy_from_slice(&w.to_le_bytes());
    }
    let mac = Poly1305::with_tier(&otk, tier);
    otk.zeroize();
    block0.zeroize();
    mac
}

fn authenticate(mac: &mut Poly1305, aad: &[u8], ciphertext: &[u8]) {
    mac.update(aad);
    mac.pad16();
    mac.update(ciphertext);
    authenticate_lengths(mac, aad.len(), ciphertext.len());
}

/// The tail of the MAC input: padding after the ciphertext, then both
/// lengths as 64-bit little-endian words.
fn authenticate_lengths(mac: &mut Poly1305, aad_len: usize, ciphertext_len: usize) {
    mac.pad16();
    let mut lens = [0u8; 16];
    lens[..8].copy_from_slice(&(aad_len as u64).to_le_bytes());
    lens[8..].copy_from_slice(&(ciphertext_len as u64).to_le_bytes());
    mac.update(&lens);
}

/// ChaCha20-Poly1305 with a 32-byte key, 12-byte nonces and 16-byte tags.
///
/// The key is zeroized on drop.
#[derive(Clone)]
pub struct ChaCha20Poly1305 {
    key: [u8; 32],
    /// The widest backend (tests pin each one).
    tier: Tier,
}

impl core::fmt::Debug for ChaCha20Poly1305 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ChaCha20Poly1305 { .. }")
    }
}

impl Drop for ChaCha20Poly1305 {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl ChaCha20Poly1305 {
    /// ChaCha20-Poly1305 with a 32-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Ok(Self { key: key32(key, "ChaCha20-Poly1305 key")?, tier: Tier::Best })
    }

    /// As [`ChaCha20Poly1305::new`] on the portable backend only.
    #[cfg(test)]
    pub(crate) fn new_soft(key: &[u8]) -> Result<Self, Error> {
        Self::new_tier(key, Tier::Soft)
    }

    /// As [`ChaCha20Poly1305::new`] on at most the backend `tier` allows.
    #[cfg(test)]
    pub(crate) fn new_tier(key: &[u8], tier: Tier) -> Result<Self, Error> {
        Ok(Self { key: key32(key, "ChaCha20-Poly1305 key")?, tier })
    }
}

fn nonce12(nonce: &[u8]) -> Result<[u8; 12], Error> {
    nonce.try_into().map_err(|_| Error::InvalidLength {
        what: "ChaCha20-Poly1305 nonce",
        expected: "12",
        actual: nonce.len(),
    })
}

impl Aead for ChaCha20Poly1305 {
    fn tag_len(&self) -> usize {
        16
    }

    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        let tag = seal(&self.key, &nonce12(nonce)?, aad, buf, self.tier)?;
        Ok(Tag::truncated(tag, 16))
    }

    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error> {
        open(&self.key, &nonce12(nonce)?, aad, buf, tag, self.tier)
    }
}

/// XChaCha20-Poly1305 with a 32-byte key, 24-byte nonces and 16-byte tags.
///
/// The key is zeroized on drop.
#[derive(Clone)]
pub struct XChaCha20Poly1305 {
    key: [u8; 32],
}

impl core::fmt::Debug for XChaCha20Poly1305 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("XChaCha20Poly1305 { .. }")
    }
}

impl Drop for XChaCha20Poly1305 {
    fn drop(&mut self) {
        self.key.zeroize();
    }
}

impl XChaCha20Poly1305 {
    /// XChaCha20-Poly1305 with a 32-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        Ok(Self { key: key32(key, "XChaCha20-Poly1305 key")? })
    }

    /// The subkey and 12-byte nonce for a 24-byte nonce.
    fn derive(&self, nonce: &[u8]) -> Result<([u8; 32], [u8; 12]), Error> {
        let n: &[u8; 24] = nonce.try_into().map_err(|_| Error::InvalidLength {
            what: "XChaCha20-Poly1305 nonce",
            expected: "24",
            actual: nonce.len(),
        })?;
        let mut head = [0u8; 16];
        head.copy_from_slice(&n[..16]);
        let mut n12 = [0u8; 12];
        n12[4..].copy_from_slice(&n[16..]);
        Ok((hchacha20(&self.key, &head), n12))
    }
}

impl Aead for XChaCha20Poly1305 {
    fn tag_len(&self) -> usize {
        16
    }

    fn encrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8]) -> Result<Tag, Error> {
        let (mut subkey, n12) = self.derive(nonce)?;
        let tag = seal(&subkey, &n12, aad, buf, Tier::Best);
        subkey.zeroize();
        Ok(Tag::truncated(tag?, 16))
    }

    fn decrypt_in_place_detached(&self, nonce: &[u8], aad: &[u8], buf: &mut [u8], tag: &[u8]) -> Result<(), Error> {
        let (mut subkey, n12) = self.derive(nonce)?;
        let result = open(&subkey, &n12, aad, buf, tag, Tier::Best);
        subkey.zeroize();
        result
    }
}

#[cfg(test)]
mod tests;
