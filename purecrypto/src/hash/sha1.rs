//! SHA-1 (FIPS 180-4 section 6.1), for protocols and files that still use it.
//!
//! Entry point: [`Sha1`] through the [`Hash`] trait. SHA-1 is broken for
//! collision resistance; use it only where a protocol requires it (HMAC-SHA-1,
//! legacy fingerprints). The compression function uses SHA-NI when present.

use super::buffer::Buffer;
use super::{BitHash, Hash, hasher_boilerplate};
use zeroize::Zeroize;

const IV: [u32; 5] = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0];

/// The portable compression function over `blocks.len() / 64` blocks.
// Every index is bounded by a fixed-size array or `chunks_exact` width
// (w[0..80], t-16 >= 0 for t >= 16).
#[allow(clippy::indexing_slicing)]
pub(crate) fn compress_soft(state: &mut [u32; 5], blocks: &[u8]) {
    for block in blocks.chunks_exact(64) {
        let mut w = [0u32; 80];
        for (wi, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *wi = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..80 {
            w[t] = (w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16]).rotate_left(1);
        }
        let [mut a, mut b, mut c, mut d, mut e] = *state;
        for (t, wt) in w.iter().enumerate() {
            let (f, k) = match t {
                0..20 => ((b & c) | (!b & d), 0x5a827999),
                20..40 => (b ^ c ^ d, 0x6ed9eba1),
                40..60 => ((b & c) | (b & d) | (c & d), 0x8f1bbcdc),
                _ => (b ^ c ^ d, 0xca62c1d6),
            };
            let tmp = a.rotate_left(5).wrapping_add(f).wrapping_add(e).wrapping_add(k).wrapping_add(*wt);
            e = d;
            d = c;
            c = b.rotate_left(30);
            b = a;
            a = tmp;
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e]) {
            *s = s.wrapping_add(v);
        }
        w.zeroize();
    }
}

fn compress(state: &mut [u32; 5], blocks: &[u8]) {
    if crate::arch::x86_sha::sha1_compress(state, blocks) {
        return;
    }
    compress_soft(state, blocks);
}

/// SHA-1: 20-byte digests. Legacy only.
#[derive(Clone)]
pub struct Sha1 {
    state: [u32; 5],
    len: u64,
    buf: Buffer<64>,
}

impl Hash for Sha1 {
    const OUTPUT_LEN: usize = 20;
    const BLOCK_LEN: usize = 64;
    type Output = [u8; 20];

    fn new() -> Self {
        Self { state: IV, len: 0, buf: Buffer::new() }
    }

    fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        let state = &mut self.state;
        self.buf.update(data, |blocks| compress(state, blocks));
    }

    fn finalize(self) -> [u8; 20] {
        self.finalize_bits(0, 0)
    }
}

impl BitHash for Sha1 {
    fn finalize_bits(mut self, last: u8, bits: u32) -> [u8; 20] {
        let bit_len = self.len.wrapping_mul(8).wrapping_add(u64::from(bits));
        let state = &mut self.state;
        self.buf.pad(last, bits, &bit_len.to_be_bytes(), |blocks| compress(state, blocks));
        let mut out = [0u8; 20];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

impl Drop for Sha1 {
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

hasher_boilerplate!(Sha1);
