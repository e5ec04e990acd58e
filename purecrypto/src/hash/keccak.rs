//! The Keccak-f[1600] permutation and the sponge built on it (FIPS 202).
//!
//! Entry point: [`Sponge`], used by SHA-3, SHAKE, cSHAKE and KMAC. Lanes are
//! little-endian 64-bit words; the state is `[u64; 25]` indexed `x + 5 y`.
//! Invariant: `pos < rate` between calls, `rate` a multiple of 8 below 200.

use zeroize::Zeroize;

pub(crate) const RC: [u64; 24] = [
    0x0000000000000001,
    0x0000000000008082,
    0x800000000000808a,
    0x8000000080008000,
    0x000000000000808b,
    0x0000000080000001,
    0x8000000080008081,
    0x8000000000008009,
    0x000000000000008a,
    0x0000000000000088,
    0x0000000080008009,
    0x000000008000000a,
    0x000000008000808b,
    0x800000000000008b,
    0x8000000000008089,
    0x8000000000008003,
    0x8000000000008002,
    0x8000000000000080,
    0x000000000000800a,
    0x800000008000000a,
    0x8000000080008081,
    0x8000000000008080,
    0x0000000080000001,
    0x8000000080008008,
];

/// rho rotation for lane `x + 5 y`.
const ROT: [u32; 25] = [0, 1, 62, 28, 27, 36, 44, 6, 55, 20, 3, 10, 43, 25, 39, 41, 45, 15, 21, 8, 18, 2, 61, 56, 14];

/// Keccak-f[1600], 24 rounds, on the best available backend.
pub(crate) fn keccak_f(a: &mut [u64; 25]) {
    if !crate::arch::x86_bmi2::keccak_f(a) {
        keccak_f_soft(a);
    }
}

/// The portable permutation.
pub(crate) fn keccak_f_soft(a: &mut [u64; 25]) {
    keccak_f_body(a);
}

/// The permutation body, inlined into [`keccak_f_soft`] and into the
/// BMI2-compiled copy in `arch` (`andn` for chi, `rorx` for rho).
// All indices are below 25 (x, y < 5 and the PI table's range).
#[allow(clippy::indexing_slicing)]
#[inline(always)]
pub(crate) fn keccak_f_body(a: &mut [u64; 25]) {
    for rc in RC {
        // theta: column parities and their mixing term D[x].
        let mut c = [0u64; 5];
        for x in 0..5 {
            c[x] = a[x] ^ a[x + 5] ^ a[x + 10] ^ a[x + 15] ^ a[x + 20];
        }
        let mut d = [0u64; 5];
        for x in 0..5 {
            d[x] = c[(x + 4) % 5] ^ c[(x + 1) % 5].rotate_left(1);
        }
        // rho, pi and chi row by row: output lane (X, Y) takes input lane
        // (x, X) with x = (X + 3 Y) mod 5, so no intermediate state.
        let mut out = [0u64; 25];
        for y in 0..5 {
            let mut b = [0u64; 5];
            for (bx, lane) in b.iter_mut().enumerate() {
                let x = (bx + 3 * y) % 5;
                *lane = (a[x + 5 * bx] ^ d[x]).rotate_left(ROT[x + 5 * bx]);
            }
            for x in 0..5 {
                out[x + 5 * y] = b[x] ^ (!b[(x + 1) % 5] & b[(x + 2) % 5]);
            }
        }
        out[0] ^= rc;
        *a = out;
    }
}

/// A Keccak sponge with a rate of `rate` bytes.
#[derive(Clone)]
pub(crate) struct Sponge {
    state: [u64; 25],
    rate: usize,
    pos: usize,
}

impl Sponge {
    pub(crate) const fn new(rate: usize) -> Self {
        Self { state: [0; 25], rate, pos: 0 }
    }

    pub(crate) const fn rate(&self) -> usize {
        self.rate
    }

    fn xor_byte(&mut self, at: usize, byte: u8) {
        if let Some(lane) = self.state.get_mut(at / 8) {
            *lane ^= u64::from(byte) << (8 * (at % 8));
        }
    }

    /// Absorbs `data`.
    pub(crate) fn absorb(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.pos == 0 && data.len() >= self.rate {
                let (block, rest) = data.split_at(self.rate);
                for (lane, word) in self.state.iter_mut().zip(block.chunks_exact(8)) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(word);
                    *lane ^= u64::from_le_bytes(w);
                }
                keccak_f(&mut self.state);
                data = rest;
                continue;
            }
            let take = (self.rate - self.pos).min(data.len());
            let (mut head, rest) = data.split_at(take);
            let mut at = self.pos;
            if at.is_multiple_of(8) {
                // Lane-aligned (after a 32-byte prefix, say): whole words.
                let (words, tail) = head.as_chunks::<8>();
                for (lane, word) in self.state.iter_mut().skip(at / 8).zip(words) {
                    *lane ^= u64::from_le_bytes(*word);
                }
                at += 8 * words.len();
                head = tail;
            }
            for (i, &b) in head.iter().enumerate() {
                self.xor_byte(at + i, b);
            }
            self.pos += take;
            data = rest;
            if self.pos == self.rate {
                keccak_f(&mut self.state);
                self.pos = 0;
            }
        }
    }

    /// Absorbs zero bytes up to the next rate boundary (SP 800-185 bytepad).
    pub(crate) fn pad_to_rate(&mut self) {
        if self.pos != 0 {
            keccak_f(&mut self.state);
            self.pos = 0;
        }
    }

    /// Ends absorption: the final `bits` (0..8) message bits in the low bits
    /// of `last` (FIPS 202 bit order), then the domain suffix `ds` (its bits
    /// followed by the first 1 of pad10*1, e.g. 0x06 for SHA-3), then the
    /// final 1 bit. Leaves the sponge ready to squeeze.
    pub(crate) fn finish(&mut self, last: u8, bits: u32, ds: u8) {
        let bits = bits.min(7);
        let low = u16::from(last) & ((1u16 << bits) - 1);
        let v = low | (u16::from(ds) << bits);
        let [lo, hi] = v.to_le_bytes();
        // Bits used by message tail + suffix + the first 1 of pad10*1.
        let used = (bits + 8 - ds.leading_zeros()) as usize;
        self.xor_byte(self.pos, lo);
        if self.pos * 8 + used >= self.rate * 8 {
            // No room left for the final 1 (only with a partial last byte
            // at the very end of a block): it goes in one more block.
            keccak_f(&mut self.state);
            self.xor_byte(0, hi);
        } else {
            self.xor_byte(self.pos + 1, hi);
        }
        self.xor_byte(self.rate - 1, 0x80);
        keccak_f(&mut self.state);
        self.pos = 0;
    }

    /// Squeezes `out.len()` bytes (after [`finish`](Self::finish)).
    pub(crate) fn squeeze(&mut self, mut out: &mut [u8]) {
        while !out.is_empty() {
            if self.pos == self.rate {
                keccak_f(&mut self.state);
                self.pos = 0;
            }
            let words = ((self.rate - self.pos) / 8).min(out.len() / 8);
            if self.pos.is_multiple_of(8) && words > 0 {
                // Whole lanes while the block and the output allow.
                let (head, rest) = out.split_at_mut(8 * words);
                for (chunk, lane) in head.as_chunks_mut::<8>().0.iter_mut().zip(self.state.iter().skip(self.pos / 8)) {
                    *chunk = lane.to_le_bytes();
                }
                self.pos += 8 * words;
                out = rest;
                continue;
            }
            let Some((byte, rest)) = out.split_first_mut() else { break };
            let lane = self.state.get(self.pos / 8).copied().unwrap_or(0);
            *byte = (lane >> (8 * (self.pos % 8))) as u8;
            self.pos += 1;
            out = rest;
        }
    }
}

impl Drop for Sponge {
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keccak_f_of_zero_state() {
        // Keccak team's KeccakF-1600 intermediate values: first lane after
        // one permutation of the all-zero state.
        let mut a = [0u64; 25];
        super::keccak_f(&mut a);
        assert_eq!(a[0], 0xf1258f7940e1dde7);
        assert_eq!(a[24], 0xeaf1ff7b5ceca249);
    }
}
