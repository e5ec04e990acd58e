//! The boundary between packet framing and cryptography: the traits a
//! cipher, a MAC and a random source implement, and [`NoneCipher`], the
//! initial state of RFC 4253 §6 (no encryption, no MAC) used until the
//! first NEWKEYS.
//!
//! Entry point: [`PacketCipher`]. One value per direction. The real
//! algorithms (chacha20-poly1305@openssh.com, AES-GCM, AES-CTR with
//! HMAC-SHA2 and their -etm forms) arrive with purecrypto; they are named
//! in [`crate::names`] and deliberately not implemented here.

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
