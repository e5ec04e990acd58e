//! The block buffer shared by the Merkle-Damgard hashes (MD5, SHA-1, SHA-2).
//!
//! Entry point: [`Buffer`]. It hands whole blocks to a compression closure
//! (as many as are available in one call, so a SIMD kernel can keep its
//! state in registers across blocks) and does the length padding.
//! Invariant: `0 <= pos < N` between calls.

use zeroize::Zeroize;

/// Bytes waiting for a full `N`-byte block.
#[derive(Clone)]
pub(crate) struct Buffer<const N: usize> {
    buf: [u8; N],
    pos: usize,
}

impl<const N: usize> Buffer<N> {
    pub(crate) const fn new() -> Self {
        Self { buf: [0; N], pos: 0 }
    }

    /// Absorbs `data`, calling `compress` with a non-empty multiple of `N`
    /// bytes whenever whole blocks are available.
    pub(crate) fn update(&mut self, mut data: &[u8], mut compress: impl FnMut(&[u8])) {
        if self.pos > 0 {
            let take = (N - self.pos).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.buf.get_mut(self.pos..self.pos + take) {
                dst.copy_from_slice(head);
            }
            self.pos += take;
            data = rest;
            if self.pos < N {
                return;
            }
            compress(&self.buf);
            self.pos = 0;
        }
        let (blocks, tail) = data.split_at(data.len() - data.len() % N);
        if !blocks.is_empty() {
            compress(blocks);
        }
        if let Some(dst) = self.buf.get_mut(..tail.len()) {
            dst.copy_from_slice(tail);
        }
        self.pos = tail.len();
    }

    /// Merkle-Damgard padding: `extra` (a final partial byte holding
    /// `extra_bits` message bits in its top bits, 0..8), then a 1 bit, zeros
    /// and the length field `len` (big- or little-endian, written by the
    /// caller into the last `len.len()` bytes of the final block).
    pub(crate) fn pad(&mut self, extra: u8, extra_bits: u32, len: &[u8], mut compress: impl FnMut(&[u8])) {
        let mask = !(0xffu8.checked_shr(extra_bits).unwrap_or(0));
        let marker = (extra & mask) | (0x80u8 >> extra_bits.min(7));
        if let Some(b) = self.buf.get_mut(self.pos) {
            *b = marker;
        }
        self.pos += 1;
        if self.pos > N - len.len() {
            self.buf.get_mut(self.pos..).into_iter().flatten().for_each(|b| *b = 0);
            compress(&self.buf);
            self.pos = 0;
        }
        let len_at = N - len.len();
        self.buf.get_mut(self.pos..len_at).into_iter().flatten().for_each(|b| *b = 0);
        if let Some(dst) = self.buf.get_mut(len_at..) {
            dst.copy_from_slice(len);
        }
        compress(&self.buf);
        self.pos = 0;
    }
}

impl<const N: usize> Drop for Buffer<N> {
    fn drop(&mut self) {
        self.buf.zeroize();
    }
}
