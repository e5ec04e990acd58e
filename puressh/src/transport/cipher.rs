//! The boundary between packet framing and cryptography: the traits a
//! cipher, a MAC and a random source implement, and [`NoneCipher`], the
//! initial state of RFC 4253 §6 (no encryption, no MAC) used until the
//! first NEWKEYS.
//!
//! Entry points: [`PacketCipher`] (one value per direction) and
//! [`select`], which builds the negotiated cipher and MAC from derived
//! keys: chacha20-poly1305@openssh.com, aes128/256-gcm@openssh.com, and
//! aes128/192/256-ctr with hmac-sha2-256/512 or their -etm@openssh.com
//! forms.

mod aes_ctr;
mod aes_gcm;
mod chacha_poly;
mod hmac;

pub use aes_ctr::AesCtr;
pub use aes_gcm::AesGcmCipher;
pub use chacha_poly::ChaChaPoly;
pub use hmac::{HmacSha2, Sha2};

/// Key material sizes a negotiated cipher/MAC pair needs from the key
/// exchange (RFC 4253 section 7.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeySizes {
    /// Encryption key bytes.
    pub key: usize,
    /// IV bytes.
    pub iv: usize,
    /// Integrity key bytes (0 for AEADs, whose MAC name is ignored).
    pub mac_key: usize,
}

fn sha2_for(mac: &str) -> Option<(Sha2, bool, &'static str)> {
    use crate::names as n;
    match mac {
        n::HMAC_SHA2_256 => Some((Sha2::Sha256, false, n::HMAC_SHA2_256)),
        n::HMAC_SHA2_512 => Some((Sha2::Sha512, false, n::HMAC_SHA2_512)),
        n::HMAC_SHA2_256_ETM => Some((Sha2::Sha256, true, n::HMAC_SHA2_256_ETM)),
        n::HMAC_SHA2_512_ETM => Some((Sha2::Sha512, true, n::HMAC_SHA2_512_ETM)),
        _ => None,
    }
}

/// Whether `cipher` carries its own integrity (the MAC is then "implicit").
#[must_use]
pub fn is_aead(cipher: &str) -> bool {
    use crate::names as n;
    matches!(cipher, n::CHACHA20_POLY1305 | n::AES128_GCM | n::AES256_GCM)
}

/// What `cipher` (with `mac`, unless an AEAD) needs from the key
/// exchange; `None` for names we do not implement.
#[must_use]
pub fn key_sizes(cipher: &str, mac: &str) -> Option<KeySizes> {
    use crate::names as n;
    let (key, iv) = match cipher {
        n::CHACHA20_POLY1305 => return Some(KeySizes { key: 64, iv: 0, mac_key: 0 }),
        n::AES128_GCM => return Some(KeySizes { key: 16, iv: 12, mac_key: 0 }),
        n::AES256_GCM => return Some(KeySizes { key: 32, iv: 12, mac_key: 0 }),
        n::AES128_CTR => (16, 16),
        n::AES192_CTR => (24, 16),
        n::AES256_CTR => (32, 16),
        _ => return None,
    };
    let (hash, ..) = sha2_for(mac)?;
    Some(KeySizes { key, iv, mac_key: HmacSha2::key_len(hash) })
}

/// Builds the packet protection for one direction from its derived keys.
///
/// # Errors
/// [`crate::error::PacketError::Crypto`] for an unknown name or wrong key
/// lengths.
pub fn select(
    cipher: &str,
    mac: &str,
    key: &[u8],
    iv: &[u8],
    mac_key: &[u8],
) -> Result<Box<dyn PacketCipher>, crate::error::PacketError> {
    use crate::error::PacketError;
    use crate::names as n;
    Ok(match cipher {
        n::CHACHA20_POLY1305 => Box::new(ChaChaPoly::new(key)?),
        n::AES128_GCM => Box::new(AesGcmCipher::new(n::AES128_GCM, key, iv)?),
        n::AES256_GCM => Box::new(AesGcmCipher::new(n::AES256_GCM, key, iv)?),
        n::AES128_CTR | n::AES192_CTR | n::AES256_CTR => {
            let (hash, etm, name) = sha2_for(mac).ok_or(PacketError::Crypto)?;
            if mac_key.len() != HmacSha2::key_len(hash) {
                return Err(PacketError::Crypto);
            }
            Box::new(AesCtr::new(cipher, key, iv, Box::new(HmacSha2::new(name, hash, mac_key)), etm)?)
        }
        _ => return Err(PacketError::Crypto),
    })
}

/// Packet protection for one direction.
///
/// The decoder calls [`Self::decrypt_length`] with the first
/// [`Self::length_bytes`] bytes of a packet as received, checks the
/// length against its limits, then calls [`Self::open`] with the whole
/// packet (head as left by `decrypt_length`) and the trailing tag.
pub trait PacketCipher: Send {
    /// Algorithm name, for logs.
    fn name(&self) -> &str;

    /// Cipher block size (at least 8): `padding` aligns to it.
    fn block_size(&self) -> usize;

    /// Bytes of MAC or AEAD tag after each packet.
    fn tag_len(&self) -> usize;

    /// Whether the 4-byte length field counts in the block alignment: true
    /// for "none" and encrypt-and-MAC modes, false for AEAD and
    /// encrypt-then-MAC modes, which leave the length outside the
    /// encrypted blocks.
    fn aligns_length_field(&self) -> bool;

    /// How many leading bytes [`Self::decrypt_length`] needs (4, or one
    /// block when the length is encrypted with the first block).
    fn length_bytes(&self) -> usize;

    /// Recovers `packet_length` from the packet's first bytes, possibly
    /// decrypting `head` in place.
    ///
    /// # Errors
    /// [`crate::error::PacketError::Crypto`] when the bytes cannot be processed.
    fn decrypt_length(&mut self, sequence: u32, head: &mut [u8]) -> Result<u32, crate::error::PacketError>;

    /// Authenticates and decrypts `packet` (length field first) in place.
    ///
    /// # Errors
    /// [`crate::error::PacketError::Crypto`] when the tag does not verify.
    fn open(&mut self, sequence: u32, packet: &mut [u8], tag: &[u8]) -> Result<(), crate::error::PacketError>;

    /// Encrypts `packet` (length field first) in place and writes the tag.
    fn seal(&mut self, sequence: u32, packet: &mut [u8], tag: &mut [u8]);
}

/// A message authentication code for the encrypt-and-MAC and
/// encrypt-then-MAC modes, to be composed with a stream or block cipher
/// into a [`PacketCipher`]. Verification must compare in constant time.
pub trait Mac: Send {
    /// Algorithm name.
    fn name(&self) -> &str;

    /// Tag length in bytes.
    fn tag_len(&self) -> usize;

    /// Computes the tag over `sequence || data` into `tag`.
    fn sign(&mut self, sequence: u32, data: &[u8], tag: &mut [u8]);

    /// Whether `tag` is the tag of `sequence || data`.
    fn verify(&mut self, sequence: u32, data: &[u8], tag: &[u8]) -> bool;
}

/// A source of random bytes (packet padding, KEXINIT cookies). The
/// library takes it from the caller, so the protocol core stays free of
/// I/O; production callers pass purecrypto's CSPRNG.
pub trait Random {
    /// Fills `out` with random bytes.
    fn fill(&mut self, out: &mut [u8]);
}

/// The initial "none" state (RFC 4253 §6): length in the clear, no MAC,
/// padding aligned to 8 bytes including the length field.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoneCipher;

impl PacketCipher for NoneCipher {
    fn name(&self) -> &str {
        crate::names::NONE
    }

    fn block_size(&self) -> usize {
        8
    }

    fn tag_len(&self) -> usize {
        0
    }

    fn aligns_length_field(&self) -> bool {
        true
    }

    fn length_bytes(&self) -> usize {
        4
    }

    fn decrypt_length(&mut self, _sequence: u32, head: &mut [u8]) -> Result<u32, crate::error::PacketError> {
        match *head {
            [a, b, c, d, ..] => Ok(u32::from_be_bytes([a, b, c, d])),
            _ => Err(crate::error::PacketError::Crypto),
        }
    }

    fn open(&mut self, _sequence: u32, _packet: &mut [u8], _tag: &[u8]) -> Result<(), crate::error::PacketError> {
        Ok(())
    }

    fn seal(&mut self, _sequence: u32, _packet: &mut [u8], _tag: &mut [u8]) {}
}

#[cfg(test)]
mod tests;
