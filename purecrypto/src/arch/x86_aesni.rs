//! AES with the AES-NI round instructions (x86_64).
//!
//! Entry point: [`AesNi`], a zero-sized token that exists only when the
//! CPU reports AES-NI (and `purecrypto_backend="soft"` is not set); its
//! methods are safe wrappers over `#[target_feature]` kernels that keep
//! eight blocks in flight to hide the round instruction's latency.

use core::arch::x86_64::{
    __m128i, _mm_add_epi32, _mm_aesdec_si128, _mm_aesdeclast_si128, _mm_aesenc_si128, _mm_aesenclast_si128,
    _mm_loadu_si128, _mm_set_epi32, _mm_setr_epi8, _mm_shuffle_epi8, _mm_storeu_si128, _mm_xor_si128,
};

use super::detect::{Feature, features};

type Block = [u8; 16];
type RoundKeys = [Block; 15];

/// Proof that AES-NI, SSSE3 and SSE4.1 are available.
#[derive(Clone, Copy, Debug)]
pub(crate) struct AesNi(());

impl AesNi {
    /// The token, when this CPU has AES-NI (with SSSE3 and SSE4.1).
    pub(crate) fn detect() -> Option<Self> {
        features().has_all(&[Feature::Aes, Feature::Ssse3, Feature::Sse41]).then_some(Self(()))
    }

    /// Encrypts blocks with the encryption round keys.
    pub(crate) fn encrypt_blocks(self, rk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
        // SAFETY: the token exists only when AES-NI, SSSE3 and SSE4.1 were
        // detected at run time.
        unsafe { encrypt_blocks(rk, rounds, blocks) }
    }

    /// Decrypts blocks with the equivalent-inverse-cipher round keys.
    pub(crate) fn decrypt_blocks(self, dk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
        // SAFETY: as in `encrypt_blocks`.
        unsafe { decrypt_blocks(dk, rounds, blocks) }
    }

    /// CTR mode with a 32-bit big-endian counter in the last four bytes
    /// (GCM's `inc32`); returns the next counter block.
    pub(crate) fn ctr32_xor(self, rk: &RoundKeys, rounds: usize, ctr: Block, data: &mut [u8]) -> Block {
        // SAFETY: as in `encrypt_blocks`.
        unsafe { ctr32_xor(rk, rounds, ctr, data) }
    }

    /// CTR mode with the whole block as a 128-bit big-endian counter
    /// (SP 800-38A); returns the next counter block.
    pub(crate) fn ctr128_xor(self, rk: &RoundKeys, rounds: usize, ctr: Block, data: &mut [u8]) -> Block {
        // SAFETY: as in `encrypt_blocks`.
        unsafe { ctr128_xor(rk, rounds, ctr, data) }
    }
}

#[inline(always)]
fn load(b: &Block) -> __m128i {
    // SAFETY: `b` is a valid, readable 16-byte array; loadu has no
    // alignment requirement.
    unsafe { _mm_loadu_si128(b.as_ptr().cast()) }
}

#[inline(always)]
fn store(b: &mut Block, v: __m128i) {
    // SAFETY: `b` is a valid, writable 16-byte array; storeu has no
    // alignment requirement.
    unsafe { _mm_storeu_si128(b.as_mut_ptr().cast(), v) }
}

#[inline(always)]
fn load_keys(rk: &RoundKeys) -> [__m128i; 15] {
    core::array::from_fn(|i| load(rk.get(i).unwrap_or(&[0; 16])))
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn encrypt8(k: &[__m128i; 15], rounds: usize, b: &mut [__m128i; 8]) {
    for v in b.iter_mut() {
        *v = _mm_xor_si128(*v, k[0]);
    }
    for key in k.iter().take(rounds).skip(1) {
        for v in b.iter_mut() {
            *v = _mm_aesenc_si128(*v, *key);
        }
    }
    let last = k.get(rounds).copied().unwrap_or(k[0]);
    for v in b.iter_mut() {
        *v = _mm_aesenclast_si128(*v, last);
    }
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn encrypt1(k: &[__m128i; 15], rounds: usize, mut v: __m128i) -> __m128i {
    v = _mm_xor_si128(v, k[0]);
    for key in k.iter().take(rounds).skip(1) {
        v = _mm_aesenc_si128(v, *key);
    }
    _mm_aesenclast_si128(v, k.get(rounds).copied().unwrap_or(k[0]))
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn decrypt1(k: &[__m128i; 15], rounds: usize, mut v: __m128i) -> __m128i {
    v = _mm_xor_si128(v, k[0]);
    for key in k.iter().take(rounds).skip(1) {
        v = _mm_aesdec_si128(v, *key);
    }
    _mm_aesdeclast_si128(v, k.get(rounds).copied().unwrap_or(k[0]))
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn encrypt_blocks(rk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
    let k = load_keys(rk);
    let mut chunks = blocks.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut v: [__m128i; 8] = core::array::from_fn(|i| load(chunk.get(i).unwrap_or(&[0; 16])));
        encrypt8(&k, rounds, &mut v);
        for (b, x) in chunk.iter_mut().zip(v) {
            store(b, x);
        }
    }
    for b in chunks.into_remainder() {
        store(b, encrypt1(&k, rounds, load(b)));
    }
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn decrypt_blocks(dk: &RoundKeys, rounds: usize, blocks: &mut [Block]) {
    let k = load_keys(dk);
    let mut chunks = blocks.chunks_exact_mut(8);
    for chunk in &mut chunks {
        let mut v: [__m128i; 8] = core::array::from_fn(|i| load(chunk.get(i).unwrap_or(&[0; 16])));
        for x in v.iter_mut() {
            *x = _mm_xor_si128(*x, k[0]);
        }
        for key in k.iter().take(rounds).skip(1) {
            for x in v.iter_mut() {
                *x = _mm_aesdec_si128(*x, *key);
            }
        }
        let last = k.get(rounds).copied().unwrap_or(k[0]);
        for (b, x) in chunk.iter_mut().zip(v) {
            store(b, _mm_aesdeclast_si128(x, last));
        }
    }
    for b in chunks.into_remainder() {
        store(b, decrypt1(&k, rounds, load(b)));
    }
}

/// Reverses the byte order of a 128-bit lane.
#[target_feature(enable = "sse2,ssse3")]
fn bswap(v: __m128i) -> __m128i {
    _mm_shuffle_epi8(v, _mm_setr_epi8(15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0))
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn ctr32_xor(rk: &RoundKeys, rounds: usize, ctr: Block, data: &mut [u8]) -> Block {
    let k = load_keys(rk);
    // The counter is kept byte-reversed so the low 32 bits of the lane are
    // the big-endian counter word and a 32-bit add increments it (mod 2^32).
    let mut c = bswap(load(&ctr));
    let one = _mm_set_epi32(0, 0, 0, 1);
    let mut chunks = data.chunks_exact_mut(128);
    for chunk in &mut chunks {
        let mut v = [c; 8];
        for x in v.iter_mut() {
            *x = bswap(c);
            c = _mm_add_epi32(c, one);
        }
        encrypt8(&k, rounds, &mut v);
        for (d, x) in chunk.chunks_exact_mut(16).zip(v) {
            let mut blk = [0u8; 16];
            blk.copy_from_slice(d);
            let v = _mm_xor_si128(load(&blk), x);
            store(&mut blk, v);
            d.copy_from_slice(&blk);
        }
    }
    for d in chunks.into_remainder().chunks_mut(16) {
        let mut ks = [0u8; 16];
        store(&mut ks, encrypt1(&k, rounds, bswap(c)));
        c = _mm_add_epi32(c, one);
        for (x, y) in d.iter_mut().zip(ks) {
            *x ^= y;
        }
    }
    let mut out = [0u8; 16];
    store(&mut out, bswap(c));
    out
}

#[target_feature(enable = "aes,sse2,ssse3,sse4.1")]
fn ctr128_xor(rk: &RoundKeys, rounds: usize, ctr: Block, data: &mut [u8]) -> Block {
    let k = load_keys(rk);
    let mut c = u128::from_be_bytes(ctr);
    let mut chunks = data.chunks_exact_mut(128);
    for chunk in &mut chunks {
        let mut v: [__m128i; 8] = core::array::from_fn(|i| load(&c.wrapping_add(i as u128).to_be_bytes()));
        c = c.wrapping_add(8);
        encrypt8(&k, rounds, &mut v);
        for (d, x) in chunk.chunks_exact_mut(16).zip(v) {
            let mut blk = [0u8; 16];
            blk.copy_from_slice(d);
            let v = _mm_xor_si128(load(&blk), x);
            store(&mut blk, v);
            d.copy_from_slice(&blk);
        }
    }
    for d in chunks.into_remainder().chunks_mut(16) {
        let mut ks = [0u8; 16];
        store(&mut ks, encrypt1(&k, rounds, load(&c.to_be_bytes())));
        c = c.wrapping_add(1);
        for (x, y) in d.iter_mut().zip(ks) {
            *x ^= y;
        }
    }
    c.to_be_bytes()
}
