//! `aes128-gcm@openssh.com` and `aes256-gcm@openssh.com` (RFC 5647): the
//! packet length travels in the clear as associated data; the 12-byte
//! nonce is a 4-byte fixed field and an 8-byte invocation counter that
//! grows by one per packet (independently of the sequence number).
//!
//! Entry point: [`AesGcmCipher::new`].

use purecrypto::aead::Aead;
use purecrypto::aead::gcm::AesGcm;
use zeroize::Zeroizing;

use super::PacketCipher;
use crate::error::PacketError;

/// The cipher state for one direction.
pub struct AesGcmCipher {
    name: &'static str,
    aead: AesGcm,
    nonce: Zeroizing<[u8; 12]>,
}

impl core::fmt::Debug for AesGcmCipher {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AesGcmCipher").field("name", &self.name).finish_non_exhaustive()
    }
}

impl AesGcmCipher {
    /// A cipher from a 16- or 32-byte key and the 12-byte initial IV.
    ///
    /// # Errors
    /// [`PacketError::Crypto`] for other lengths.
    pub fn new(name: &'static str, key: &[u8], iv: &[u8]) -> Result<Self, PacketError> {
        let aead = AesGcm::new(key).map_err(|_| PacketError::Crypto)?;
        let mut nonce = Zeroizing::new([0u8; 12]);
        if iv.len() != 12 {
            return Err(PacketError::Crypto);
        }
        nonce.copy_from_slice(iv);
        Ok(Self { name, aead, nonce })
    }

    /// Adds one to the 64-bit invocation counter (wrapping, as RFC 5647
    /// section 7.1 specifies).
    fn advance(&mut self) {
        if let Some(counter) = self.nonce.get_mut(4..) {
            let mut c = [0u8; 8];
            c.copy_from_slice(counter);
            counter.copy_from_slice(&u64::from_be_bytes(c).wrapping_add(1).to_be_bytes());
        }
    }
}

impl PacketCipher for AesGcmCipher {
    fn name(&self) -> &str {
        self.name
    }

    fn block_size(&self) -> usize {
        16
    }

    fn tag_len(&self) -> usize {
        16
    }

    fn aligns_length_field(&self) -> bool {
        false
    }

    fn length_bytes(&self) -> usize {
        4
    }

    fn decrypt_length(&mut self, _sequence: u32, head: &mut [u8]) -> Result<u32, PacketError> {
        match *head {
            [a, b, c, d, ..] => Ok(u32::from_be_bytes([a, b, c, d])),
            _ => Err(PacketError::Crypto),
        }
    }

    fn open(&mut self, _sequence: u32, packet: &mut [u8], tag: &[u8]) -> Result<(), PacketError> {
        let (len, body) = packet.split_at_mut_checked(4).ok_or(PacketError::Crypto)?;
        let result = self.aead.decrypt_in_place_detached(self.nonce.as_ref(), len, body, tag);
        self.advance();
        result.map_err(|_| PacketError::Crypto)
    }

    fn seal(&mut self, _sequence: u32, packet: &mut [u8], tag: &mut [u8]) {
        let (len, body) = packet.split_at_mut(4.min(packet.len()));
        if let Ok(t) = self.aead.encrypt_in_place_detached(self.nonce.as_ref(), len, body) {
            let n = tag.len().min(t.as_bytes().len());
            if let (Some(dst), Some(src)) = (tag.get_mut(..n), t.as_bytes().get(..n)) {
                dst.copy_from_slice(src);
            }
        }
        self.advance();
    }
}
