//! AES-128/192/256 (FIPS 197) with run-time backend selection.
//!
//! Entry point: [`Aes`]. [`Aes::new`] expands the key with the portable
//! constant-time key schedule and picks the fastest backend this CPU has:
//! AES-NI (`arch::x86_aesni`), or the bitsliced portable code in `soft`.
//! No backend uses a secret-indexed table or a secret-dependent branch.

pub(crate) mod soft;

use zeroize::Zeroize;

use crate::Error;

/// One 16-byte AES block.
pub(crate) type Block = [u8; 16];
/// Expanded round keys; AES-256 uses all 15, AES-128 the first 11.
pub(crate) type RoundKeys = [Block; 15];

/// The AES block size in bytes.
pub const BLOCK_LEN: usize = 16;

#[derive(Clone, Copy)]
enum Backend {
    Soft,
    #[cfg(target_arch = "x86_64")]
    AesNi(crate::arch::x86_aesni::AesNi),
}

/// An AES key schedule (AES-128, AES-192 or AES-256 by key length).
///
/// Invariant: `rounds == 6 + key_len / 4` and `enc[0..=rounds]` are the
/// FIPS 197 round keys; `dec` holds them in reverse order with
/// InvMixColumns applied to the inner ones (the "equivalent inverse
/// cipher" keys the AES-NI backend uses). Both are zeroized on drop.
#[derive(Clone)]
pub struct Aes {
    enc: RoundKeys,
    dec: RoundKeys,
    rounds: usize,
    backend: Backend,
}

impl core::fmt::Debug for Aes {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Aes { .. }")
    }
}

impl Drop for Aes {
    fn drop(&mut self) {
        self.enc.zeroize();
        self.dec.zeroize();
    }
}

impl Aes {
    /// Expands a 16-, 24- or 32-byte key.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] for any other key length.
    pub fn new(key: &[u8]) -> Result<Self, Error> {
        let mut aes = Self::new_soft(key)?;
        #[cfg(target_arch = "x86_64")]
        if let Some(token) = crate::arch::x86_aesni::AesNi::detect() {
            aes.backend = Backend::AesNi(token);
        }
        Ok(aes)
    }

    /// As [`Aes::new`] but always on the portable backend (used by the
    /// tests that compare backends).
    pub(crate) fn new_soft(key: &[u8]) -> Result<Self, Error> {
        let nk = match key.len() {
            16 | 24 | 32 => key.len() / 4,
            n => return Err(Error::InvalidLength { what: "AES key", expected: "16, 24 or 32", actual: n }),
        };
        let rounds = nk + 6;
        let total = 4 * (rounds + 1);
        let mut words = [[0u8; 4]; 60];
        for (w, k) in words.iter_mut().zip(key.chunks_exact(4)) {
            w.copy_from_slice(k);
        }
        let mut rcon = 1u8;
        for i in nk..total {
            let mut temp = words.get(i - 1).copied().unwrap_or_default();
            if i % nk == 0 {
                temp.rotate_left(1);
                temp = soft::sub_word(temp);
                temp[0] ^= rcon;
                rcon = (rcon << 1) ^ (0u8.wrapping_sub(rcon >> 7) & 0x1b);
            } else if nk > 6 && i % nk == 4 {
                temp = soft::sub_word(temp);
            }
            let prev = words.get(i - nk).copied().unwrap_or_default();
            if let Some(w) = words.get_mut(i) {
                for ((o, p), t) in w.iter_mut().zip(prev).zip(temp) {
                    *o = p ^ t;
                }
            }
        }
        let mut enc = [[0u8; 16]; 15];
        for (rk, ws) in enc.iter_mut().zip(words.chunks_exact(4)) {
            for (dst, w) in rk.chunks_exact_mut(4).zip(ws) {
                dst.copy_from_slice(w);
            }
        }
        words.zeroize();
        let mut dec = [[0u8; 16]; 15];
        for (i, d) in dec.iter_mut().enumerate().take(rounds + 1) {
            *d = enc.get(rounds - i).copied().unwrap_or_default();
            if i != 0 && i != rounds {
                soft::inv_mix_columns(d);
            }
        }
        Ok(Self { enc, dec, rounds, backend: Backend::Soft })
    }

    /// The round keys and round count when the AES-NI backend is in use
    /// (fused kernels that need the raw schedule check this first).
    #[cfg(target_arch = "x86_64")]
    pub(crate) fn aesni_schedule(&self) -> Option<(&RoundKeys, usize)> {
        match self.backend {
            Backend::AesNi(_) => Some((&self.enc, self.rounds)),
            Backend::Soft => None,
        }
    }

    /// The key length in bytes (16, 24 or 32).
    #[must_use]
    pub fn key_len(&self) -> usize {
        4 * (self.rounds - 6)
    }

    /// Encrypts one block in place.
    pub fn encrypt_block(&self, block: &mut [u8; 16]) {
        self.encrypt_blocks(core::slice::from_mut(block));
    }

    /// Decrypts one block in place.
    pub fn decrypt_block(&self, block: &mut [u8; 16]) {
        self.decrypt_blocks(core::slice::from_mut(block));
    }

    /// Encrypts blocks in place (independently: this is ECB, the raw
    /// primitive; modes are in [`crate::cipher::modes`]).
    pub fn encrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        match self.backend {
            Backend::Soft => soft::encrypt_blocks(&self.enc, self.rounds, blocks),
            #[cfg(target_arch = "x86_64")]
            Backend::AesNi(t) => t.encrypt_blocks(&self.enc, self.rounds, blocks),
        }
    }

    /// Decrypts blocks in place (independently, as ECB).
    pub fn decrypt_blocks(&self, blocks: &mut [[u8; 16]]) {
        match self.backend {
            Backend::Soft => soft::decrypt_blocks(&self.enc, self.rounds, blocks),
            #[cfg(target_arch = "x86_64")]
            Backend::AesNi(t) => t.decrypt_blocks(&self.dec, self.rounds, blocks),
        }
    }

    /// XORs the CTR keystream starting at counter block `ctr` into `data`,
    /// incrementing the low `CTR_BITS` bits (32 for GCM, 128 for SP 800-38A
    /// CTR) big-endian and wrapping modulo `2^CTR_BITS`. Returns the next
    /// counter block.
    pub(crate) fn ctr_xor<const CTR_BITS: u32>(&self, ctr: Block, data: &mut [u8]) -> Block {
        #[cfg(target_arch = "x86_64")]
        if let Backend::AesNi(t) = self.backend {
            match CTR_BITS {
                32 => return t.ctr32_xor(&self.enc, self.rounds, ctr, data),
                128 => return t.ctr128_xor(&self.enc, self.rounds, ctr, data),
                _ => {}
            }
        }
        let mut counter = u128::from_be_bytes(ctr);
        let mask = if CTR_BITS >= 128 { u128::MAX } else { (1u128 << CTR_BITS) - 1 };
        let mut ks = [[0u8; 16]; 8];
        for chunk in data.chunks_mut(128) {
            let n = chunk.len().div_ceil(16);
            for b in ks.iter_mut().take(n) {
                *b = counter.to_be_bytes();
                counter = (counter & !mask) | (counter.wrapping_add(1) & mask);
            }
            let ks = ks.get_mut(..n).unwrap_or(&mut []);
            self.encrypt_blocks(ks);
            for (d, k) in chunk.iter_mut().zip(ks.iter().flatten()) {
                *d ^= k;
            }
        }
        ks.zeroize();
        counter.to_be_bytes()
    }
}

#[cfg(test)]
mod tests;
