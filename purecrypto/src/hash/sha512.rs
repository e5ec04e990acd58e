//! SHA-384, SHA-512, SHA-512/224 and SHA-512/256 (FIPS 180-4 section 6.4).
//!
//! Entry points: [`Sha512`], [`Sha384`], [`Sha512_224`], [`Sha512_256`]
//! through the [`Hash`] trait; they share one core and differ in IV and
//! output length.

use super::buffer::Buffer;
use super::{BitHash, Hash, hasher_boilerplate};
use zeroize::Zeroize;

/// The round constants (also read by the vector schedule in `arch`).
pub(crate) const K: [u64; 80] = [
    0x428a2f98d728ae22,
    0x7137449123ef65cd,
    0xb5c0fbcfec4d3b2f,
    0xe9b5dba58189dbbc,
    0x3956c25bf348b538,
    0x59f111f1b605d019,
    0x923f82a4af194f9b,
    0xab1c5ed5da6d8118,
    0xd807aa98a3030242,
    0x12835b0145706fbe,
    0x243185be4ee4b28c,
    0x550c7dc3d5ffb4e2,
    0x72be5d74f27b896f,
    0x80deb1fe3b1696b1,
    0x9bdc06a725c71235,
    0xc19bf174cf692694,
    0xe49b69c19ef14ad2,
    0xefbe4786384f25e3,
    0x0fc19dc68b8cd5b5,
    0x240ca1cc77ac9c65,
    0x2de92c6f592b0275,
    0x4a7484aa6ea6e483,
    0x5cb0a9dcbd41fbd4,
    0x76f988da831153b5,
    0x983e5152ee66dfab,
    0xa831c66d2db43210,
    0xb00327c898fb213f,
    0xbf597fc7beef0ee4,
    0xc6e00bf33da88fc2,
    0xd5a79147930aa725,
    0x06ca6351e003826f,
    0x142929670a0e6e70,
    0x27b70a8546d22ffc,
    0x2e1b21385c26c926,
    0x4d2c6dfc5ac42aed,
    0x53380d139d95b3df,
    0x650a73548baf63de,
    0x766a0abb3c77b2a8,
    0x81c2c92e47edaee6,
    0x92722c851482353b,
    0xa2bfe8a14cf10364,
    0xa81a664bbc423001,
    0xc24b8b70d0f89791,
    0xc76c51a30654be30,
    0xd192e819d6ef5218,
    0xd69906245565a910,
    0xf40e35855771202a,
    0x106aa07032bbd1b8,
    0x19a4c116b8d2d0c8,
    0x1e376c085141ab53,
    0x2748774cdf8eeb99,
    0x34b0bcb5e19b48a8,
    0x391c0cb3c5c95a63,
    0x4ed8aa4ae3418acb,
    0x5b9cca4f7763e373,
    0x682e6ff3d6b2b8a3,
    0x748f82ee5defb2fc,
    0x78a5636f43172f60,
    0x84c87814a1f0ab72,
    0x8cc702081a6439ec,
    0x90befffa23631e28,
    0xa4506cebde82bde9,
    0xbef9a3f7b2c67915,
    0xc67178f2e372532b,
    0xca273eceea26619c,
    0xd186b8c721c0c207,
    0xeada7dd6cde0eb1e,
    0xf57d4f7fee6ed178,
    0x06f067aa72176fba,
    0x0a637dc5a2c898a6,
    0x113f9804bef90dae,
    0x1b710b35131c471b,
    0x28db77f523047d84,
    0x32caab7b40c72493,
    0x3c9ebe0a15c9bebc,
    0x431d67c49c100d4c,
    0x4cc5d4becb3e42b6,
    0x597f299cfc657e2a,
    0x5fcb6fab3ad6faec,
    0x6c44198c4a475817,
];

const IV_512: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];
const IV_384: [u64; 8] = [
    0xcbbb9d5dc1059ed8,
    0x629a292a367cd507,
    0x9159015a3070dd17,
    0x152fecd8f70e5939,
    0x67332667ffc00b31,
    0x8eb44a8768581511,
    0xdb0c2e0d64f98fa7,
    0x47b5481dbefa4fa4,
];
const IV_512_224: [u64; 8] = [
    0x8c3d37c819544da2,
    0x73e1996689dcd4d6,
    0x1dfab7ae32ff9c82,
    0x679dd514582f9fcf,
    0x0f6d2b697bd44da8,
    0x77e36f7304c48942,
    0x3f9d85a86a1d36c8,
    0x1112e6ad91d692a1,
];
const IV_512_256: [u64; 8] = [
    0x22312194fc2bf72c,
    0x9f555fa3c84c64c2,
    0x2393b86b6f53b151,
    0x963877195940eabd,
    0x96283ee2a88effe3,
    0xbe5e1e2553863992,
    0x2b0199fc2c85b8aa,
    0x0eb72ddc81c52ca2,
];

/// The portable compression function over `blocks.len() / 128` blocks.
pub(crate) fn compress_soft(state: &mut [u64; 8], blocks: &[u8]) {
    compress_body(state, blocks);
}

/// The compression function body, inlined into [`compress_soft`] and into
/// the BMI2-compiled copy in `arch` (where LLVM uses `rorx` / `andn`).
/// The schedule is a rolling 16-word window; rounds are unrolled by eight
/// so the variable rotation costs nothing.
// Indices: w[i & 15] and K[i] with i < 80.
#[allow(clippy::indexing_slicing)]
#[inline(always)]
pub(crate) fn compress_body(state: &mut [u64; 8], blocks: &[u8]) {
    // One schedule buffer for all blocks, wiped once at the end.
    let mut w = [0u64; 16];
    for block in blocks.chunks_exact(128) {
        for (wi, word) in w.iter_mut().zip(block.chunks_exact(8)) {
            *wi = u64::from_be_bytes([word[0], word[1], word[2], word[3], word[4], word[5], word[6], word[7]]);
        }
        let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut h] = *state;
        macro_rules! round {
            ($a:ident, $b:ident, $c:ident, $d:ident, $e:ident, $f:ident, $g:ident, $h:ident, $i:expr, $sched:expr) => {
                let i = $i;
                if $sched {
                    let w15 = w[(i + 1) & 15];
                    let w2 = w[(i + 14) & 15];
                    let s0 = w15.rotate_right(1) ^ w15.rotate_right(8) ^ (w15 >> 7);
                    let s1 = w2.rotate_right(19) ^ w2.rotate_right(61) ^ (w2 >> 6);
                    w[i & 15] = w[i & 15].wrapping_add(s0).wrapping_add(w[(i + 9) & 15]).wrapping_add(s1);
                }
                // h + K + W does not depend on this round's e: add it
                // first so only Sigma1(e) + ch(e, f, g) sit on the chain.
                let hkw = $h.wrapping_add(K[i]).wrapping_add(w[i & 15]);
                let ch = ($e & $f) ^ (!$e & $g);
                let t1 = ($e.rotate_right(14) ^ $e.rotate_right(18) ^ $e.rotate_right(41))
                    .wrapping_add(ch.wrapping_add(hkw));
                let t2 = ($a.rotate_right(28) ^ $a.rotate_right(34) ^ $a.rotate_right(39))
                    .wrapping_add(($a & $b) ^ ($a & $c) ^ ($b & $c));
                $d = $d.wrapping_add(t1);
                $h = t1.wrapping_add(t2);
            };
        }
        macro_rules! eight {
            ($r:expr, $sched:expr) => {
                round!(a, b, c, d, e, f, g, h, $r, $sched);
                round!(h, a, b, c, d, e, f, g, $r + 1, $sched);
                round!(g, h, a, b, c, d, e, f, $r + 2, $sched);
                round!(f, g, h, a, b, c, d, e, $r + 3, $sched);
                round!(e, f, g, h, a, b, c, d, $r + 4, $sched);
                round!(d, e, f, g, h, a, b, c, $r + 5, $sched);
                round!(c, d, e, f, g, h, a, b, $r + 6, $sched);
                round!(b, c, d, e, f, g, h, a, $r + 7, $sched);
            };
        }
        eight!(0, false);
        eight!(8, false);
        // Fully unrolled: constant indices, no bounds checks in the rounds.
        eight!(16, true);
        eight!(24, true);
        eight!(32, true);
        eight!(40, true);
        eight!(48, true);
        eight!(56, true);
        eight!(64, true);
        eight!(72, true);
        for (s, v) in state.iter_mut().zip([a, b, c, d, e, f, g, h]) {
            *s = s.wrapping_add(v);
        }
    }
    w.zeroize();
}

/// The best available compression function.
fn compress(state: &mut [u64; 8], blocks: &[u8]) {
    if crate::arch::x86_avx2_sha512::sha512_compress(state, blocks) {
        return;
    }
    if crate::arch::x86_bmi2::sha512_compress(state, blocks) {
        return;
    }
    compress_soft(state, blocks);
}

/// SHA-512 state shared by every variant.
#[derive(Clone)]
struct Core {
    state: [u64; 8],
    len: u128,
    buf: Buffer<128>,
}

impl Core {
    const fn new(iv: [u64; 8]) -> Self {
        Self { state: iv, len: 0, buf: Buffer::new() }
    }

    fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u128);
        let state = &mut self.state;
        self.buf.update(data, |blocks| compress(state, blocks));
    }

    fn finish(&mut self, last: u8, bits: u32) -> [u8; 64] {
        let bit_len = self.len.wrapping_mul(8).wrapping_add(u128::from(bits));
        let state = &mut self.state;
        self.buf.pad(last, bits, &bit_len.to_be_bytes(), |blocks| compress(state, blocks));
        let mut out = [0u8; 64];
        for (chunk, word) in out.chunks_exact_mut(8).zip(self.state.iter()) {
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

macro_rules! sha512_variant {
    ($name:ident, $iv:expr, $len:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name(Core);

        impl Hash for $name {
            const OUTPUT_LEN: usize = $len;
            const BLOCK_LEN: usize = 128;
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

sha512_variant!(Sha512, IV_512, 64, "SHA-512: 64-byte digests.");
sha512_variant!(Sha384, IV_384, 48, "SHA-384: SHA-512 with its own IV, truncated to 48 bytes.");
sha512_variant!(Sha512_224, IV_512_224, 28, "SHA-512/224: SHA-512 with its own IV, truncated to 28 bytes.");
sha512_variant!(Sha512_256, IV_512_256, 32, "SHA-512/256: SHA-512 with its own IV, truncated to 32 bytes.");
