//! `chacha20-poly1305@openssh.com` (OpenSSH's PROTOCOL.chacha20poly1305):
//! a 64-byte key split into a payload key and a length key; the packet
//! length is encrypted on its own so a reader can learn it from 4 bytes;
//! the Poly1305 key is the first 32 bytes of the payload key's stream for
//! the packet, and the tag covers the encrypted length and payload.
//!
//! Entry point: [`ChaChaPoly::new`]. The ChaCha20 nonce is the sequence
//! number as a 64-bit big-endian value with a 64-bit block counter, which
//! maps onto the IETF layout as counter word 0, nonce `0000 || seq`.

use purecrypto::cipher::chacha20::ChaCha20;
use purecrypto::mac::poly1305::Poly1305;
use zeroize::Zeroizing;

use super::PacketCipher;
use crate::error::PacketError;

/// The cipher state for one direction.
pub struct ChaChaPoly {
    /// `K_2`: payload encryption and Poly1305 keys.
    main: Zeroizing<[u8; 32]>,
    /// `K_1`: packet length encryption.
    header: Zeroizing<[u8; 32]>,
}

impl core::fmt::Debug for ChaChaPoly {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ChaChaPoly { keys: <redacted> }")
    }
}

fn nonce(sequence: u32) -> [u8; 12] {
    let mut n = [0u8; 12];
    if let Some(tail) = n.get_mut(4..) {
        tail.copy_from_slice(&u64::from(sequence).to_be_bytes());
    }
    n
}

impl ChaChaPoly {
    /// A cipher from the 64-byte key the key exchange derived.
    ///
    /// # Errors
    /// [`PacketError::Crypto`] for another key length.
    pub fn new(key: &[u8]) -> Result<Self, PacketError> {
        if key.len() != 64 {
            return Err(PacketError::Crypto);
        }
        // The first half is K_2 (payload), the second K_1 (length).
        let (main, header) = key.split_at(32);
        let mut m = Zeroizing::new([0u8; 32]);
        let mut h = Zeroizing::new([0u8; 32]);
        m.copy_from_slice(main);
        h.copy_from_slice(header);
        Ok(Self { main: m, header: h })
    }

    fn stream(key: &[u8; 32], sequence: u32, counter: u32) -> Result<ChaCha20, PacketError> {
        ChaCha20::new(key, &nonce(sequence), counter).map_err(|_| PacketError::Crypto)
    }

    fn poly_key(&self, sequence: u32) -> Result<Zeroizing<[u8; 32]>, PacketError> {
        let mut key = Zeroizing::new([0u8; 32]);
        Self::stream(&self.main, sequence, 0)?.apply_keystream(key.as_mut());
        Ok(key)
    }
}

impl PacketCipher for ChaChaPoly {
    fn name(&self) -> &str {
        crate::names::CHACHA20_POLY1305
    }

    fn block_size(&self) -> usize {
        8
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

    /// Decrypts a copy of the length; the packet keeps the encrypted form,
    /// which the tag covers.
    fn decrypt_length(&mut self, sequence: u32, head: &mut [u8]) -> Result<u32, PacketError> {
        let mut len = [0u8; 4];
        len.copy_from_slice(head.get(..4).ok_or(PacketError::Crypto)?);
        Self::stream(&self.header, sequence, 0)?.apply_keystream(&mut len);
        Ok(u32::from_be_bytes(len))
    }

    fn open(&mut self, sequence: u32, packet: &mut [u8], tag: &[u8]) -> Result<(), PacketError> {
        let mut mac = Poly1305::new(&*self.poly_key(sequence)?);
        mac.update(packet);
        if !mac.verify(tag) {
            return Err(PacketError::Crypto);
        }
        let (len, body) = packet.split_at_mut_checked(4).ok_or(PacketError::Crypto)?;
        Self::stream(&self.header, sequence, 0)?.apply_keystream(len);
        Self::stream(&self.main, sequence, 1)?.apply_keystream(body);
        Ok(())
    }

    fn seal(&mut self, sequence: u32, packet: &mut [u8], tag: &mut [u8]) {
        let (Ok(mut header), Ok(mut main), Ok(poly)) =
            (Self::stream(&self.header, sequence, 0), Self::stream(&self.main, sequence, 1), self.poly_key(sequence))
        else {
            return;
        };
        let (len, body) = packet.split_at_mut(4.min(packet.len()));
        header.apply_keystream(len);
        main.apply_keystream(body);
        let mut mac = Poly1305::new(&poly);
        mac.update(packet);
        let out = mac.finalize();
        let n = tag.len().min(out.len());
        if let (Some(dst), Some(src)) = (tag.get_mut(..n), out.get(..n)) {
            dst.copy_from_slice(src);
        }
    }
}
