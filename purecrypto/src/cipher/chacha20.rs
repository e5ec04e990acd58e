//! ChaCha20 (RFC 8439) and XChaCha20 (draft-irtf-cfrg-xchacha).
//!
//! Entry points: [`ChaCha20`] (keystream XOR from a 32-byte key, a 12-byte
//! nonce and a block counter) and [`hchacha20`] (XChaCha20's subkey
//! derivation); [`ChaCha20::new_x`] builds XChaCha20 from a 24-byte nonce.
//! ChaCha20 is add-rotate-xor only, so it is constant-time by
//! construction; the AVX-512 backend (`arch::x86_avx512_chacha`) computes
//! sixteen blocks at once and the AVX2 backend (`arch::x86_avx2_chacha`)
//! eight; both must agree with the portable code.

use zeroize::Zeroize;

use crate::Error;

/// "expand 32-byte k".
const SIGMA: [u32; 4] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574];

/// The ChaCha20 block size in bytes.
pub const BLOCK_LEN: usize = 64;

#[inline(always)]
fn quarter(s: &mut [u32; 16], a: usize, b: usize, c: usize, d: usize) {
    // Indices are the fixed constants of the column and diagonal rounds.
    #[allow(clippy::indexing_slicing)]
    {
        s[a] = s[a].wrapping_add(s[b]);
        s[d] = (s[d] ^ s[a]).rotate_left(16);
        s[c] = s[c].wrapping_add(s[d]);
        s[b] = (s[b] ^ s[c]).rotate_left(12);
        s[a] = s[a].wrapping_add(s[b]);
        s[d] = (s[d] ^ s[a]).rotate_left(8);
        s[c] = s[c].wrapping_add(s[d]);
        s[b] = (s[b] ^ s[c]).rotate_left(7);
    }
}

/// The 20 rounds without the final addition.
fn rounds(s: &mut [u32; 16]) {
    for _ in 0..10 {
        quarter(s, 0, 4, 8, 12);
        quarter(s, 1, 5, 9, 13);
        quarter(s, 2, 6, 10, 14);
        quarter(s, 3, 7, 11, 15);
        quarter(s, 0, 5, 10, 15);
        quarter(s, 1, 6, 11, 12);
        quarter(s, 2, 7, 8, 13);
        quarter(s, 3, 4, 9, 14);
    }
}

fn words<const N: usize>(bytes: &[u8]) -> [u32; N] {
    let mut out = [0u32; N];
    for (w, c) in out.iter_mut().zip(bytes.chunks_exact(4)) {
        *w = u32::from_le_bytes(c.try_into().unwrap_or_default());
    }
    out
}

/// HChaCha20: derives XChaCha20's subkey from a key and the first 16
/// bytes of its 24-byte nonce.
#[must_use]
pub fn hchacha20(key: &[u8; 32], nonce16: &[u8; 16]) -> [u8; 32] {
    let mut s = [0u32; 16];
    s[..4].copy_from_slice(&SIGMA);
    s[4..12].copy_from_slice(&words::<8>(key));
    s[12..].copy_from_slice(&words::<4>(nonce16));
    rounds(&mut s);
    let mut out = [0u8; 32];
    for (o, w) in out.chunks_exact_mut(4).zip(s[..4].iter().chain(&s[12..])) {
        o.copy_from_slice(&w.to_le_bytes());
    }
    s.zeroize();
    out
}

/// A ChaCha20 keystream position: key, nonce and a 32-bit block counter.
///
/// Invariant: `state` is the RFC 8439 input block; word 12 is the counter
/// of the next block. Zeroized on drop.
#[derive(Clone)]
pub struct ChaCha20 {
    state: [u32; 16],
}

impl core::fmt::Debug for ChaCha20 {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("ChaCha20 { .. }")
    }
}

impl Drop for ChaCha20 {
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

impl ChaCha20 {
    /// ChaCha20 with a 32-byte key, a 12-byte nonce and an initial block
    /// counter.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the key is not 32 bytes or the nonce
    /// not 12.
    pub fn new(key: &[u8], nonce: &[u8], counter: u32) -> Result<Self, Error> {
        let key: &[u8; 32] = key.try_into().map_err(|_| Error::InvalidLength {
            what: "ChaCha20 key",
            expected: "32",
            actual: key.len(),
        })?;
        let nonce: &[u8; 12] = nonce.try_into().map_err(|_| Error::InvalidLength {
            what: "ChaCha20 nonce",
            expected: "12",
            actual: nonce.len(),
        })?;
        Ok(Self::from_parts(key, nonce, counter))
    }

    /// XChaCha20 with a 32-byte key and a 24-byte nonce.
    ///
    /// # Errors
    /// [`Error::InvalidLength`] when the key is not 32 bytes or the nonce
    /// not 24.
    pub fn new_x(key: &[u8], nonce: &[u8], counter: u32) -> Result<Self, Error> {
        let key: &[u8; 32] = key.try_into().map_err(|_| Error::InvalidLength {
            what: "XChaCha20 key",
            expected: "32",
            actual: key.len(),
        })?;
        let nonce: &[u8; 24] = nonce.try_into().map_err(|_| Error::InvalidLength {
            what: "XChaCha20 nonce",
            expected: "24",
            actual: nonce.len(),
        })?;
        let (head, tail) = nonce.split_at(16);
        let mut head16 = [0u8; 16];
        head16.copy_from_slice(head);
        let mut subkey = hchacha20(key, &head16);
        let mut n12 = [0u8; 12];
        n12[4..].copy_from_slice(tail);
        let out = Self::from_parts(&subkey, &n12, counter);
        subkey.zeroize();
        Ok(out)
    }

    pub(crate) fn from_parts(key: &[u8; 32], nonce: &[u8; 12], counter: u32) -> Self {
        let mut state = [0u32; 16];
        state[..4].copy_from_slice(&SIGMA);
        state[4..12].copy_from_slice(&words::<8>(key));
        state[12] = counter;
        state[13..].copy_from_slice(&words::<3>(nonce));
        Self { state }
    }

    /// One keystream block at the current counter as 16 little-endian
    /// words (the counter is not advanced). Callers zeroize it; words keep
    /// that to 16 stores rather than 64.
    pub(crate) fn block_words(&self) -> [u32; 16] {
        let mut s = self.state;
        rounds(&mut s);
        for (w, i) in s.iter_mut().zip(self.state) {
            *w = w.wrapping_add(i);
        }
        s
    }

    /// Advances the counter by one block without using it.
    pub(crate) fn skip_block(&mut self) {
        self.state[12] = self.state[12].wrapping_add(1);
    }

    /// One keystream block at the current counter (the counter is not
    /// advanced).
    #[cfg(test)]
    pub(crate) fn block(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        for (o, w) in out.chunks_exact_mut(4).zip(self.block_words()) {
            o.copy_from_slice(&w.to_le_bytes());
        }
        out
    }

    /// XORs the keystream into `data`, starting at a block boundary, and
    /// advances the counter by the number of blocks used (a partial final
    /// block counts as used). The counter wraps modulo 2^32.
    pub fn apply_keystream(&mut self, data: &mut [u8]) {
        self.apply_keystream_tier(data, crate::arch::Tier::Best);
    }

    /// [`ChaCha20::apply_keystream`] on the widest backend `tier` allows:
    /// AVX-512 (sixteen blocks per step), AVX2 (eight), then portable.
    pub(crate) fn apply_keystream_tier(&mut self, data: &mut [u8], tier: crate::arch::Tier) {
        use crate::arch::Tier;
        #[cfg(target_arch = "x86_64")]
        {
            if tier == Tier::Best
                && let Some(t) = crate::arch::x86_avx512_chacha::Avx512::detect()
            {
                t.xor(&mut self.state, data);
                return;
            }
            if tier != Tier::Soft
                && let Some(t) = crate::arch::x86_avx2_chacha::Avx2::detect()
            {
                let done = t.xor_blocks(&mut self.state, data);
                t.xor_tail(&mut self.state, data.get_mut(done..).unwrap_or(&mut []));
                return;
            }
        }
        let _ = tier;
        self.apply_keystream_soft(data);
    }

    /// The portable path of [`ChaCha20::apply_keystream`].
    pub(crate) fn apply_keystream_soft(&mut self, data: &mut [u8]) {
        for chunk in data.chunks_mut(64) {
            let mut ks = self.block_words();
            for (d, w) in chunk.chunks_mut(4).zip(ks) {
                for (x, k) in d.iter_mut().zip(w.to_le_bytes()) {
                    *x ^= k;
                }
            }
            ks.zeroize();
            self.state[12] = self.state[12].wrapping_add(1);
        }
    }
}

#[cfg(test)]
mod tests;
