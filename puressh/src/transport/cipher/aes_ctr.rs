//! `aes128-ctr`, `aes192-ctr`, `aes256-ctr` (RFC 4344) composed with a
//! [`Mac`] in either order: encrypt-and-MAC (RFC 4253: the length is
//! encrypted with the first block, the MAC covers the plaintext packet)
//! or encrypt-then-MAC (`*-etm@openssh.com`: the length stays in the
//! clear and the MAC covers the ciphertext, checked before decrypting).
//!
//! Entry point: [`AesCtr::new`]. The counter runs on across packets, one
//! step per 16-byte block, as RFC 4344 section 4 requires.

use purecrypto::cipher::aes::Aes;
use purecrypto::cipher::modes::ctr;
use zeroize::Zeroizing;

use super::{Mac, PacketCipher};
use crate::error::PacketError;

const BLOCK: usize = 16;

/// AES-CTR plus a MAC, for one direction.
pub struct AesCtr {
    name: String,
    aes: Aes,
    counter: Zeroizing<[u8; 16]>,
    mac: Box<dyn Mac>,
    etm: bool,
}

impl core::fmt::Debug for AesCtr {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("AesCtr").field("name", &self.name).field("etm", &self.etm).finish_non_exhaustive()
    }
}

impl AesCtr {
    /// A cipher from a 16/24/32-byte key, the 16-byte initial counter and
    /// a MAC; `etm` selects encrypt-then-MAC.
    ///
    /// # Errors
    /// [`PacketError::Crypto`] for bad key or IV lengths.
    pub fn new(cipher: &str, key: &[u8], iv: &[u8], mac: Box<dyn Mac>, etm: bool) -> Result<Self, PacketError> {
        let aes = Aes::new(key).map_err(|_| PacketError::Crypto)?;
        if iv.len() != BLOCK {
            return Err(PacketError::Crypto);
        }
        let mut counter = Zeroizing::new([0u8; 16]);
        counter.copy_from_slice(iv);
        Ok(Self { name: format!("{cipher} + {}", mac.name()), aes, counter, mac, etm })
    }

    /// XORs the keystream into `data` (a whole number of blocks) and moves
    /// the counter past it.
    fn apply(&mut self, data: &mut [u8]) -> Result<(), PacketError> {
        if data.len() % BLOCK != 0 {
            return Err(PacketError::Crypto);
        }
        ctr::apply_keystream(&self.aes, self.counter.as_ref(), data).map_err(|_| PacketError::Crypto)?;
        let next = u128::from_be_bytes(*self.counter).wrapping_add((data.len() / BLOCK) as u128);
        *self.counter = next.to_be_bytes();
        Ok(())
    }
}

impl PacketCipher for AesCtr {
    fn name(&self) -> &str {
        &self.name
    }

    fn block_size(&self) -> usize {
        BLOCK
    }

    fn tag_len(&self) -> usize {
        self.mac.tag_len()
    }

    fn aligns_length_field(&self) -> bool {
        !self.etm
    }

    fn length_bytes(&self) -> usize {
        if self.etm { 4 } else { BLOCK }
    }

    fn decrypt_length(&mut self, _sequence: u32, head: &mut [u8]) -> Result<u32, PacketError> {
        if !self.etm {
            self.apply(head.get_mut(..BLOCK).ok_or(PacketError::Crypto)?)?;
        }
        match *head {
            [a, b, c, d, ..] => Ok(u32::from_be_bytes([a, b, c, d])),
            _ => Err(PacketError::Crypto),
        }
    }

    fn open(&mut self, sequence: u32, packet: &mut [u8], tag: &[u8]) -> Result<(), PacketError> {
        if self.etm {
            if !self.mac.verify(sequence, packet, tag) {
                return Err(PacketError::Crypto);
            }
            return self.apply(packet.get_mut(4..).ok_or(PacketError::Crypto)?);
        }
        // The first block was decrypted by `decrypt_length`.
        self.apply(packet.get_mut(BLOCK..).ok_or(PacketError::Crypto)?)?;
        if self.mac.verify(sequence, packet, tag) { Ok(()) } else { Err(PacketError::Crypto) }
    }

    fn seal(&mut self, sequence: u32, packet: &mut [u8], tag: &mut [u8]) {
        if self.etm {
            if let Some(body) = packet.get_mut(4..) {
                let _ = self.apply(body);
            }
            self.mac.sign(sequence, packet, tag);
        } else {
            self.mac.sign(sequence, packet, tag);
            let _ = self.apply(packet);
        }
    }
}
