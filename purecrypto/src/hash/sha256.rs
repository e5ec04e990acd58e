//! SHA-224 and SHA-256 (FIPS 180-4 section 6.2).
//!
//! Entry points: [`Sha256`] and [`Sha224`] through the [`Hash`] trait. The
//! compression function dispatches at run time to the SHA-NI kernel in
//! `arch::x86_sha` when the CPU has it, else to [`compress_soft`].

use super::buffer::Buffer;
use super::{BitHash, Hash, hasher_boilerplate};
use zeroize::Zeroize;

pub(crate) const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
    0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
    0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
    0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
];

const IV_256: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const IV_224: [u32; 8] =
    [0xc1059ed8, 0x367cd507, 0x3070dd17, 0xf70e5939, 0xffc00b31, 0x68581511, 0x64f98fa7, 0xbefa4fa4];

/// The portable compression function over `blocks.len() / 64` blocks.
// Every index is bounded by a fixed-size array or `chunks_exact` width
// (word[0..4], w[0..64], t-15 >= 1 for t >= 16).
#[allow(clippy::indexing_slicing)]
pub(crate) fn compress_soft(state: &mut [u32; 8], blocks: &[u8]) {
    for block in blocks.chunks_exact(64) {
        let mut w = [0u32; 64];
        for (wi, word) in w.iter_mut().zip(block.chunks_exact(4)) {
            *wi = u32::from_be_bytes([word[0], word[1], word[2], word[3]]);
        }
        for t in 16..64 {
            let s0 = w[t - 15].rotate_right(7) ^ w[t - 15].rotate_right(18) ^ (w[t - 15] >> 3);
            let s1 = w[t - 2].rotate_right(17) ^ w[t - 2].rotate_right(19) ^ (w[t - 2] >> 10);
            w[t] = w[t - 16].wrapping_add(s0).wrapping_add(w[t - 7]).wrapping_add(s1);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        for (k, wt) in K.iter().zip(w.iter()) {
            let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
            let ch = (e & f) ^ (!e & g);
            let t1 = h.wrapping_add(s1).wrapping_add(ch).wrapping_add(*k).wrapping_add(*wt);
            let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
            let maj = (a & b) ^ (a & c) ^ (b & c);
            let t2 = s0.wrapping_add(maj);
            h = g;
            g = f;
            f = e;
            e = d.wrapping_add(t1);
            d = c;
            c = b;
            b = a;
            a = t1.wrapping_add(t2);
        }
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
        w.zeroize();
    }
}

/// The best available compression function.
fn compress(state: &mut [u32; 8], blocks: &[u8]) {
    if crate::arch::x86_sha::sha256_compress(state, blocks) {
        return;
    }
    compress_soft(state, blocks);
}

/// SHA-256 state shared by SHA-224 and SHA-256.
#[derive(Clone)]
struct Core {
    state: [u32; 8],
    len: u64,
    buf: Buffer<64>,
}

impl Core {
    const fn new(iv: [u32; 8]) -> Self {
        Self { state: iv, len: 0, buf: Buffer::new() }
    }

    fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        let state = &mut self.state;
        self.buf.update(data, |blocks| compress(state, blocks));
    }

    fn finish(&mut self, last: u8, bits: u32) -> [u8; 32] {
        let bit_len = self.len.wrapping_mul(8).wrapping_add(u64::from(bits));
        let state = &mut self.state;
        self.buf.pad(last, bits, &bit_len.to_be_bytes(), |blocks| compress(state, blocks));
        let mut out = [0u8; 32];
        for (chunk, word) in out.chunks_exact_mut(4).zip(self.state.iter()) {
            chunk.copy_from_slice(&word.to_be_bytes());
        }
        out
    }
}

impl Drop for Core {
    fn drop(&mut self) {
        self.state.zeroize();
    }
}

macro_rules! sha256_variant {
    ($name:ident, $iv:expr, $len:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name(Core);

        impl Hash for $name {
            const OUTPUT_LEN: usize = $len;
            const BLOCK_LEN: usize = 64;
            type Output = [u8; $len];

            fn new() -> Self {
                Self(Core::new($iv))
            }

            fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            fn finalize(self) -> Self::Output {
                self.finalize_bits(0, 0)
            }
        }

        impl BitHash for $name {
            fn finalize_bits(mut self, last: u8, bits: u32) -> Self::Output {
                let full = self.0.finish(last, bits);
                let mut out = [0u8; $len];
                out.copy_from_slice(full.get(..$len).unwrap_or_default());
                out
            }
        }

        hasher_boilerplate!($name);
    };
}

sha256_variant!(Sha256, IV_256, 32, "SHA-256: 32-byte digests.");
sha256_variant!(Sha224, IV_224, 28, "SHA-224: SHA-256 with its own IV, truncated to 28 bytes.");
