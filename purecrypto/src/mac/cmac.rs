//! AES-CMAC (NIST SP 800-38B, RFC 4493).
//!
//! Entry point: [`Cmac`]: `new(key)`, `update(data)`, `finalize()` or
//! `verify(tag)` (constant-time). The last block is held back until
//! `finalize`, since it is masked with `K1` or `K2` depending on whether
//! it is complete.

use zeroize::Zeroize;

use crate::Error;
use crate::cipher::aes::Aes;
use crate::cipher::modes::xor_into;

/// Doubling in GF(2^128) (big-endian), branch-free.
fn dbl(b: &[u8; 16]) -> [u8; 16] {
    let v = u128::from_be_bytes(*b);
    let carry = (v >> 127) as u8;
    let mut out = (v << 1).to_be_bytes();
    out[15] ^= 0x87 & carry.wrapping_neg();
    out
}

/// A running AES-CMAC.
///
/// Invariant: `buf[..buf_len]` is the pending (possibly final) block,
/// `1 <= buf_len <= 16` once any data arrived; `x` is the CBC-MAC state
/// over the blocks before it. Subkeys and state are zeroized on drop.
#[derive(Clone)]
pub struct Cmac {
    aes: Aes,
    k1: [u8; 16],
    k2: [u8; 16],
    x: [u8; 16],
    buf: [u8; 16],
    buf_len: usize,
}

impl core::fmt::Debug for Cmac {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Cmac { .. }")
    }
}

impl Drop for Cmac {
    fn drop(&mut self) {
        self.k1.zeroize();
        self.k2.zeroize();
        self.x.zeroize();
        self.buf.zeroize();
    }
}

impl Cmac {
    /// AES-CMAC with a 16-, 24- or 32-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        let aes = Aes::new(key)?;
        let mut l = [0u8; 16];
        aes.encrypt_block(&mut l);
        let k1 = dbl(&l);
        let k2 = dbl(&k1);
        l.zeroize();
        Ok(Self { aes, k1, k2, x: [0; 16], buf: [0; 16], buf_len: 0 })
    }

    /// Absorbs `data`.
    pub fn update(&mut self, data: &[u8]) {
        for &byte in data {
            if self.buf_len == 16 {
                xor_into(&mut self.x, &self.buf);
                self.aes.encrypt_block(&mut self.x);
                self.buf_len = 0;
            }
            if let Some(slot) = self.buf.get_mut(self.buf_len) {
                *slot = byte;
            }
            self.buf_len += 1;
        }
    }

    /// The 16-byte tag.
    #[must_use]
    pub fn finalize(mut self) -> [u8; 16] {
        let mut last = [0u8; 16];
        if self.buf_len == 16 {
            last = self.buf;
            xor_into(&mut last, &self.k1);
        } else {
            if let (Some(dst), Some(src)) = (last.get_mut(..self.buf_len), self.buf.get(..self.buf_len)) {
                dst.copy_from_slice(src);
            }
            if let Some(p) = last.get_mut(self.buf_len) {
                *p = 0x80;
            }
            xor_into(&mut last, &self.k2);
        }
        xor_into(&mut self.x, &last);
        self.aes.encrypt_block(&mut self.x);
        self.x
    }

    /// Whether `tag` (16 bytes, or a truncation of at least 8) matches,
    /// compared in constant time.
    #[must_use]
    pub fn verify(self, tag: &[u8]) -> bool {
        let full = self.finalize();
        tag.len() >= 8 && crate::ct::eq(full.get(..tag.len()).unwrap_or_default(), tag)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hex_literal::hex;

    #[test]
    fn rfc4493_examples() {
        let key = hex!("2b7e151628aed2a6abf7158809cf4f3c");
        let msg = hex!(
            "6bc1bee22e409f96e93d7e117393172a ae2d8a571e03ac9c9eb76fac45af8e51"
            "30c81c46a35ce411e5fbc1191a0a52ef f69f2445df4f9b17ad2b417be66c3710"
        );
        let cases: [(usize, [u8; 16]); 4] = [
            (0, hex!("bb1d6929e95937287fa37d129b756746")),
            (16, hex!("070a16b46b4d4144f79bdd9dd04a287c")),
            (40, hex!("dfa66747de9ae63030ca32611497c827")),
            (64, hex!("51f0bebf7e3b9d92fc49741779363cfe")),
        ];
        for (len, tag) in cases {
            let mut c = Cmac::new(&key).unwrap();
            c.update(&msg[..len]);
            assert_eq!(c.clone().finalize(), tag, "len {len}");
            assert!(c.verify(&tag));
        }
        assert!(Cmac::new(&key[..10]).is_err());
    }
}
