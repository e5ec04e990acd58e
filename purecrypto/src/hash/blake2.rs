//! BLAKE2b and BLAKE2s (RFC 7693), keyed or not, any output length.
//!
//! Entry points: [`Blake2b`] / [`Blake2s`] (`new(out_len)`,
//! `new_keyed(key, out_len)`, `update`, `finalize_into`) and the fixed
//! [`Blake2b512`] / [`Blake2s256`] through the [`Hash`] trait. Unlike the
//! Merkle-Damgard hashes, the last block is compressed with a final flag,
//! so a full buffered block waits until more input proves it is not last.
//! Invariant: `0 <= buf_len <= BLOCK`.

use super::{Hash, hasher_boilerplate};
use crate::Error;
use zeroize::Zeroize;

/// Message word permutations, one row per round (rows repeat from 10).
const SIGMA: [[usize; 16]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
    [14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
    [11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
    [7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
    [9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
    [2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
    [12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
    [13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
    [6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
    [10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0],
];

macro_rules! blake2_impl {
    (
        $name:ident, $word:ty, $bytes:literal, $block:literal, $out_max:literal, $rounds:literal,
        [$r1:literal, $r2:literal, $r3:literal, $r4:literal], $iv:expr, $doc:literal
    ) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name {
            h: [$word; 8],
            /// Bytes compressed so far (the counter `t`).
            t: u128,
            buf: [u8; $block],
            buf_len: usize,
            out_len: usize,
        }

        impl $name {
            const IV: [$word; 8] = $iv;

            /// An unkeyed instance producing `out_len` bytes.
            ///
            /// # Errors
            /// [`Error::InvalidLength`] unless `1 <= out_len <= ` the maximum.
            pub fn new(out_len: usize) -> Result<Self, Error> {
                Self::new_keyed(&[], out_len)
            }

            /// A keyed (MAC) instance: `key` up to the maximum output length.
            ///
            /// # Errors
            /// [`Error::InvalidLength`] for an out-of-range key or output length.
            pub fn new_keyed(key: &[u8], out_len: usize) -> Result<Self, Error> {
                if out_len == 0 || out_len > $out_max {
                    return Err(Error::InvalidLength {
                        what: concat!(stringify!($name), " output"),
                        expected: concat!("1..=", $out_max),
                        actual: out_len,
                    });
                }
                if key.len() > $out_max {
                    return Err(Error::InvalidLength {
                        what: concat!(stringify!($name), " key"),
                        expected: concat!("0..=", $out_max),
                        actual: key.len(),
                    });
                }
                let mut h = Self::IV;
                h[0] ^= 0x0101_0000 ^ ((key.len() as $word) << 8) ^ (out_len as $word);
                let mut s = Self { h, t: 0, buf: [0; $block], buf_len: 0, out_len };
                if !key.is_empty() {
                    let mut block = [0u8; $block];
                    block.get_mut(..key.len()).into_iter().for_each(|d| d.copy_from_slice(key));
                    s.update(&block);
                    block.zeroize();
                }
                Ok(s)
            }

            // Indices: v[0..16] and m[0..16] by SIGMA's entries (< 16) and
            // the fixed lane pattern; SIGMA row `r % 10`.
            #[allow(clippy::indexing_slicing)]
            fn compress(&mut self, block: &[u8; $block], last: bool) {
                let mut m = [0 as $word; 16];
                for (w, c) in m.iter_mut().zip(block.chunks_exact($bytes)) {
                    let mut b = [0u8; $bytes];
                    b.copy_from_slice(c);
                    *w = <$word>::from_le_bytes(b);
                }
                let mut v = [0 as $word; 16];
                v[..8].copy_from_slice(&self.h);
                v[8..].copy_from_slice(&Self::IV);
                v[12] ^= self.t as $word;
                v[13] ^= (self.t >> (8 * $bytes)) as $word;
                if last {
                    v[14] = !v[14];
                }
                macro_rules! g {
                    ($a:expr, $b:expr, $c:expr, $d:expr, $x:expr, $y:expr) => {
                        v[$a] = v[$a].wrapping_add(v[$b]).wrapping_add($x);
                        v[$d] = (v[$d] ^ v[$a]).rotate_right($r1);
                        v[$c] = v[$c].wrapping_add(v[$d]);
                        v[$b] = (v[$b] ^ v[$c]).rotate_right($r2);
                        v[$a] = v[$a].wrapping_add(v[$b]).wrapping_add($y);
                        v[$d] = (v[$d] ^ v[$a]).rotate_right($r3);
                        v[$c] = v[$c].wrapping_add(v[$d]);
                        v[$b] = (v[$b] ^ v[$c]).rotate_right($r4);
                    };
                }
                for r in 0..$rounds {
                    let s = &SIGMA[r % 10];
                    g!(0, 4, 8, 12, m[s[0]], m[s[1]]);
                    g!(1, 5, 9, 13, m[s[2]], m[s[3]]);
                    g!(2, 6, 10, 14, m[s[4]], m[s[5]]);
                    g!(3, 7, 11, 15, m[s[6]], m[s[7]]);
                    g!(0, 5, 10, 15, m[s[8]], m[s[9]]);
                    g!(1, 6, 11, 12, m[s[10]], m[s[11]]);
                    g!(2, 7, 8, 13, m[s[12]], m[s[13]]);
                    g!(3, 4, 9, 14, m[s[14]], m[s[15]]);
                }
                for i in 0..8 {
                    self.h[i] ^= v[i] ^ v[i + 8];
                }
                m.zeroize();
                v.zeroize();
            }

            /// Absorbs `data`.
            pub fn update(&mut self, mut data: &[u8]) {
                while !data.is_empty() {
                    if self.buf_len == $block {
                        self.t = self.t.wrapping_add($block);
                        let block = self.buf;
                        self.compress(&block, false);
                        self.buf_len = 0;
                    }
                    let take = ($block - self.buf_len).min(data.len());
                    let (head, rest) = data.split_at(take);
                    if let Some(dst) = self.buf.get_mut(self.buf_len..self.buf_len + take) {
                        dst.copy_from_slice(head);
                    }
                    self.buf_len += take;
                    data = rest;
                }
            }

            /// Finishes, writing `min(out.len(), out_len)` bytes of the digest.
            pub fn finalize_into(mut self, out: &mut [u8]) {
                self.t = self.t.wrapping_add(self.buf_len as u128);
                self.buf.get_mut(self.buf_len..).into_iter().flatten().for_each(|b| *b = 0);
                let block = self.buf;
                self.compress(&block, true);
                let mut full = [0u8; 8 * $bytes];
                for (c, w) in full.chunks_exact_mut($bytes).zip(self.h.iter()) {
                    c.copy_from_slice(&w.to_le_bytes());
                }
                for (o, b) in out.iter_mut().zip(full.iter().take(self.out_len)) {
                    *o = *b;
                }
                full.zeroize();
            }

            /// The configured output length in bytes.
            #[must_use]
            pub const fn output_len(&self) -> usize {
                self.out_len
            }
        }

        impl Drop for $name {
            fn drop(&mut self) {
                self.h.zeroize();
                self.buf.zeroize();
            }
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

blake2_impl!(
    Blake2b,
    u64,
    8,
    128,
    64,
    12,
    [32, 24, 16, 63],
    [
        0x6a09e667f3bcc908,
        0xbb67ae8584caa73b,
        0x3c6ef372fe94f82b,
        0xa54ff53a5f1d36f1,
        0x510e527fade682d1,
        0x9b05688c2b3e6c1f,
        0x1f83d9abfb41bd6b,
        0x5be0cd19137e2179,
    ],
    "BLAKE2b: 64-bit words, 1..=64-byte output, optional key up to 64 bytes."
);
blake2_impl!(
    Blake2s,
    u32,
    4,
    64,
    32,
    10,
    [16, 12, 8, 7],
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19],
    "BLAKE2s: 32-bit words, 1..=32-byte output, optional key up to 32 bytes."
);

macro_rules! blake2_fixed {
    ($name:ident, $inner:ident, $len:literal, $block:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name($inner);

        impl Hash for $name {
            const OUTPUT_LEN: usize = $len;
            const BLOCK_LEN: usize = $block;
            type Output = [u8; $len];

            fn new() -> Self {
                let mut h = $inner::IV;
                h[0] ^= 0x0101_0000 ^ $len;
                Self($inner { h, t: 0, buf: [0; $block], buf_len: 0, out_len: $len })
            }

            fn update(&mut self, data: &[u8]) {
                self.0.update(data);
            }

            fn finalize(self) -> Self::Output {
                let mut out = [0u8; $len];
                self.0.finalize_into(&mut out);
                out
            }
        }

        hasher_boilerplate!($name);
    };
}

blake2_fixed!(Blake2b512, Blake2b, 64, 128, "BLAKE2b-512, unkeyed (OpenSSL's `blake2b512`).");
blake2_fixed!(Blake2s256, Blake2s, 32, 64, "BLAKE2s-256, unkeyed (OpenSSL's `blake2s256`).");
