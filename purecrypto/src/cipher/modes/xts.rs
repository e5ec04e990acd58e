//! XTS-AES (IEEE 1619, SP 800-38E) with ciphertext stealing.
//!
//! Entry point: [`Xts`]: `new(key)` takes the two concatenated AES keys
//! (32, 48 or 64 bytes), then [`Xts::encrypt`] /
//! [`Xts::decrypt`] a data unit in place given its tweak (the data unit
//! number, little-endian, 1 to 16 bytes, zero-extended). Data units must
//! be at least one block long.

use super::xor_into;
use crate::Error;
use crate::cipher::aes::Aes;

/// An XTS-AES key pair.
#[derive(Clone)]
pub struct Xts {
    data: Aes,
    tweak: Aes,
}

impl core::fmt::Debug for Xts {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Xts { .. }")
    }
}

/// Multiplies the tweak by `x` in GF(2^128), little-endian, without a
/// branch on the carried-out bit.
fn mul_x(t: &mut [u8; 16]) {
    let v = u128::from_le_bytes(*t);
    let carry = (v >> 127) as u8;
    let mut out = (v << 1).to_le_bytes();
    out[0] ^= 0x87 & carry.wrapping_neg();
    *t = out;
}

impl Xts {
    /// Splits `key` into the data key and the tweak key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] unless the key is 32, 48 or 64 bytes.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        if !matches!(key.len(), 32 | 48 | 64) {
            return Err(Error::InvalidLength { what: "XTS key", expected: "32, 48 or 64", actual: key.len() });
        }
        let (k1, k2) = key.split_at(key.len() / 2);
        Ok(Self { data: Aes::new(k1)?, tweak: Aes::new(k2)? })
    }

    fn start(&self, tweak: &[u8], len: usize) -> Result<[u8; 16], Error> {
        if tweak.is_empty() || tweak.len() > 16 {
            return Err(Error::InvalidLength { what: "XTS tweak", expected: "1 to 16", actual: tweak.len() });
        }
        let mut t = [0u8; 16];
        t.get_mut(..tweak.len()).unwrap_or_default().copy_from_slice(tweak);
        if len < 16 {
            return Err(Error::InvalidLength { what: "XTS data unit", expected: "at least 16 bytes", actual: len });
        }
        self.tweak.encrypt_block(&mut t);
        Ok(t)
    }

    /// Runs whole blocks through `data` with tweaks starting at `t`;
    /// returns the tweak after the last one.
    fn blocks(&self, t: &mut [u8; 16], buf: &mut [u8], encrypt: bool) {
        for chunk in buf.chunks_exact_mut(16) {
            let mut b = [0u8; 16];
            b.copy_from_slice(chunk);
            xor_into(&mut b, t);
            if encrypt {
                self.data.encrypt_block(&mut b);
            } else {
                self.data.decrypt_block(&mut b);
            }
            xor_into(&mut b, t);
            chunk.copy_from_slice(&b);
            mul_x(t);
        }
    }

    /// Encrypts one data unit in place.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for a tweak of 0 or over 16 bytes or data
    /// shorter than 16 bytes.
    pub fn encrypt(&self, tweak: &[u8], buf: &mut [u8]) -> Result<(), Error> {
        let mut t = self.start(tweak, buf.len())?;
        let tail = buf.len() % 16;
        let full = buf.len() - tail - if tail == 0 { 0 } else { 16 };
        let (head, rest) = buf.split_at_mut(full);
        self.blocks(&mut t, head, true);
        if tail != 0 {
            // Steal: encrypt the last full block, emit its head as the
            // short final block, and re-encrypt the short plaintext padded
            // with the rest of that ciphertext under the next tweak.
            let (last, short) = rest.split_at_mut(16);
            self.blocks(&mut t, last, true);
            let mut pp = [0u8; 16];
            pp.copy_from_slice(last);
            for (s, p) in short.iter_mut().zip(pp.iter_mut()) {
                core::mem::swap(s, p);
            }
            self.blocks(&mut t, &mut pp, true);
            last.copy_from_slice(&pp);
        }
        Ok(())
    }

    /// Decrypts one data unit in place.
    ///
    /// # Errors
    /// As [`Xts::encrypt`].
    pub fn decrypt(&self, tweak: &[u8], buf: &mut [u8]) -> Result<(), Error> {
        let mut t = self.start(tweak, buf.len())?;
        let tail = buf.len() % 16;
        let full = buf.len() - tail - if tail == 0 { 0 } else { 16 };
        let (head, rest) = buf.split_at_mut(full);
        self.blocks(&mut t, head, false);
        if tail != 0 {
            let (last, short) = rest.split_at_mut(16);
            let t_prev = t;
            mul_x(&mut t);
            // The last full ciphertext block was made under the later tweak.
            self.blocks(&mut t, last, false);
            let mut cc = [0u8; 16];
            cc.copy_from_slice(last);
            for (s, c) in short.iter_mut().zip(cc.iter_mut()) {
                core::mem::swap(s, c);
            }
            let mut tp = t_prev;
            self.blocks(&mut tp, &mut cc, false);
            last.copy_from_slice(&cc);
        }
        Ok(())
    }
}
