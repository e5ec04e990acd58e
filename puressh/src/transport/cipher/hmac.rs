//! `hmac-sha2-256` and `hmac-sha2-512` (RFC 6668) as [`Mac`]s over
//! `uint32 sequence || data`, verified in constant time.
//!
//! Entry point: [`HmacSha2::new`].

use purecrypto::hash::{Sha256, Sha512};
use purecrypto::mac::Hmac;
use zeroize::Zeroizing;

use super::Mac;

/// Which SHA-2 function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sha2 {
    /// SHA-256: 32-byte key and tag.
    Sha256,
    /// SHA-512: 64-byte key and tag.
    Sha512,
}

/// An HMAC-SHA2 with its key.
pub struct HmacSha2 {
    name: &'static str,
    hash: Sha2,
    key: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for HmacSha2 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("HmacSha2").field("name", &self.name).finish_non_exhaustive()
    }
}

impl HmacSha2 {
    /// A MAC named `name` (for logs) with `key`.
    #[must_use]
    pub fn new(name: &'static str, hash: Sha2, key: &[u8]) -> Self {
        Self { name, hash, key: Zeroizing::new(key.to_vec()) }
    }

    fn compute(&self, sequence: u32, data: &[u8]) -> Zeroizing<Vec<u8>> {
        let seq = sequence.to_be_bytes();
        Zeroizing::new(match self.hash {
            Sha2::Sha256 => {
                let mut m = Hmac::<Sha256>::new(&self.key);
                m.update(&seq);
                m.update(data);
                m.finalize().to_vec()
            }
            Sha2::Sha512 => {
                let mut m = Hmac::<Sha512>::new(&self.key);
                m.update(&seq);
                m.update(data);
                m.finalize().to_vec()
            }
        })
    }

    /// The key length the key exchange must derive.
    #[must_use]
    pub const fn key_len(hash: Sha2) -> usize {
        match hash {
            Sha2::Sha256 => 32,
            Sha2::Sha512 => 64,
        }
    }
}

impl Mac for HmacSha2 {
    fn name(&self) -> &str {
        self.name
    }

    fn tag_len(&self) -> usize {
        Self::key_len(self.hash)
    }

    fn sign(&mut self, sequence: u32, data: &[u8], tag: &mut [u8]) {
        let t = self.compute(sequence, data);
        let n = tag.len().min(t.len());
        if let (Some(dst), Some(src)) = (tag.get_mut(..n), t.get(..n)) {
            dst.copy_from_slice(src);
        }
    }

    fn verify(&mut self, sequence: u32, data: &[u8], tag: &[u8]) -> bool {
        purecrypto::ct::eq(&self.compute(sequence, data), tag)
    }
}
