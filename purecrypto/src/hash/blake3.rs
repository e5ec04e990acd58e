//! BLAKE3 (the BLAKE3 specification, 2020): hash, keyed hash, key derivation
//! and extendable output.
//!
//! Entry points: [`Blake3`] (`new`, `new_keyed`, `new_derive_key`, then
//! [`Hash::update`] / [`Hash::finalize`] or [`Blake3::finalize_xof`]).
//! Input is split into 1 KiB chunks whose chaining values are merged into a
//! binary tree with a stack: after chunk `n` (counting from 1), as many
//! parents are formed as `n` has trailing zero bits.
//! Invariant: `stack_len <= 54` (2^54 chunks exceed any `u64` byte count).

use super::{Hash, hasher_boilerplate};
use zeroize::Zeroize;

const IV: [u32; 8] = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
const MSG_PERMUTATION: [usize; 16] = [2, 6, 3, 10, 7, 0, 4, 13, 1, 11, 12, 5, 9, 14, 15, 8];
const BLOCK_LEN: usize = 64;
const CHUNK_LEN: usize = 1024;
const CHUNK_START: u32 = 1;
const CHUNK_END: u32 = 2;
const PARENT: u32 = 4;
const ROOT: u32 = 8;
const KEYED_HASH: u32 = 16;
const DERIVE_KEY_CONTEXT: u32 = 32;
const DERIVE_KEY_MATERIAL: u32 = 64;
const MAX_DEPTH: usize = 54;

// Indices are below 16 (fixed lane pattern, MSG_PERMUTATION entries).
#[allow(clippy::indexing_slicing)]
fn compress(cv: &[u32; 8], block: &[u32; 16], counter: u64, block_len: u32, flags: u32) -> [u32; 16] {
    let mut v = [
        cv[0],
        cv[1],
        cv[2],
        cv[3],
        cv[4],
        cv[5],
        cv[6],
        cv[7],
        IV[0],
        IV[1],
        IV[2],
        IV[3],
        counter as u32,
        (counter >> 32) as u32,
        block_len,
        flags,
    ];
    let mut m = *block;
    macro_rules! g {
        ($a:expr, $b:expr, $c:expr, $d:expr, $x:expr, $y:expr) => {
            v[$a] = v[$a].wrapping_add(v[$b]).wrapping_add($x);
            v[$d] = (v[$d] ^ v[$a]).rotate_right(16);
            v[$c] = v[$c].wrapping_add(v[$d]);
            v[$b] = (v[$b] ^ v[$c]).rotate_right(12);
            v[$a] = v[$a].wrapping_add(v[$b]).wrapping_add($y);
            v[$d] = (v[$d] ^ v[$a]).rotate_right(8);
            v[$c] = v[$c].wrapping_add(v[$d]);
            v[$b] = (v[$b] ^ v[$c]).rotate_right(7);
        };
    }
    for round in 0..7 {
        g!(0, 4, 8, 12, m[0], m[1]);
        g!(1, 5, 9, 13, m[2], m[3]);
        g!(2, 6, 10, 14, m[4], m[5]);
        g!(3, 7, 11, 15, m[6], m[7]);
        g!(0, 5, 10, 15, m[8], m[9]);
        g!(1, 6, 11, 12, m[10], m[11]);
        g!(2, 7, 8, 13, m[12], m[13]);
        g!(3, 4, 9, 14, m[14], m[15]);
        if round < 6 {
            let old = m;
            for (dst, &src) in m.iter_mut().zip(MSG_PERMUTATION.iter()) {
                *dst = old[src];
            }
        }
    }
    for i in 0..8 {
        v[i] ^= v[i + 8];
        v[i + 8] ^= cv[i];
    }
    v
}

fn first8(words: &[u32; 16]) -> [u32; 8] {
    let mut out = [0u32; 8];
    out.copy_from_slice(words.get(..8).unwrap_or_default());
    out
}

fn words_from_bytes(bytes: &[u8; BLOCK_LEN]) -> [u32; 16] {
    let mut w = [0u32; 16];
    for (word, c) in w.iter_mut().zip(bytes.chunks_exact(4)) {
        let mut b = [0u8; 4];
        b.copy_from_slice(c);
        *word = u32::from_le_bytes(b);
    }
    w
}

/// A node whose compression is postponed until we know whether it is the
/// root (which needs the ROOT flag and may be squeezed for more output).
#[derive(Clone)]
struct Output {
    cv: [u32; 8],
    block: [u32; 16],
    counter: u64,
    block_len: u32,
    flags: u32,
}

impl Output {
    fn chaining_value(&self) -> [u32; 8] {
        first8(&compress(&self.cv, &self.block, self.counter, self.block_len, self.flags))
    }

    fn root_block(&self, output_block: u64) -> [u8; 64] {
        let words = compress(&self.cv, &self.block, output_block, self.block_len, self.flags | ROOT);
        let mut out = [0u8; 64];
        for (c, w) in out.chunks_exact_mut(4).zip(words.iter()) {
            c.copy_from_slice(&w.to_le_bytes());
        }
        out
    }
}

fn parent_output(left: &[u32; 8], right: &[u32; 8], key: &[u32; 8], flags: u32) -> Output {
    let mut block = [0u32; 16];
    for (d, s) in block.iter_mut().zip(left.iter().chain(right.iter())) {
        *d = *s;
    }
    Output { cv: *key, block, counter: 0, block_len: BLOCK_LEN as u32, flags: PARENT | flags }
}

/// BLAKE3: 32-byte digests by default, any length through
/// [`finalize_xof`](Self::finalize_xof).
#[derive(Clone)]
pub struct Blake3 {
    key: [u32; 8],
    flags: u32,
    // Current chunk.
    cv: [u32; 8],
    chunk_counter: u64,
    block: [u8; BLOCK_LEN],
    block_len: usize,
    blocks_compressed: usize,
    // Chaining values of completed subtrees, left to right.
    stack: [[u32; 8]; MAX_DEPTH],
    stack_len: usize,
}

impl Blake3 {
    fn with_key(key: [u32; 8], flags: u32) -> Self {
        Self {
            key,
            flags,
            cv: key,
            chunk_counter: 0,
            block: [0; BLOCK_LEN],
            block_len: 0,
            blocks_compressed: 0,
            stack: [[0; 8]; MAX_DEPTH],
            stack_len: 0,
        }
    }

    /// Keyed hashing (a MAC / PRF) with a 32-byte key.
    #[must_use]
    pub fn new_keyed(key: &[u8; 32]) -> Self {
        let mut k = [0u32; 8];
        for (w, c) in k.iter_mut().zip(key.chunks_exact(4)) {
            let mut b = [0u8; 4];
            b.copy_from_slice(c);
            *w = u32::from_le_bytes(b);
        }
        Self::with_key(k, KEYED_HASH)
    }

    /// Key derivation: `context` should be a hard-coded, globally unique,
    /// application-specific string; update with the key material.
    #[must_use]
    pub fn new_derive_key(context: &str) -> Self {
        let mut ctx = Self::with_key(IV, DERIVE_KEY_CONTEXT);
        ctx.update(context.as_bytes());
        let context_key = ctx.finalize();
        let mut k = [0u32; 8];
        for (w, c) in k.iter_mut().zip(context_key.chunks_exact(4)) {
            let mut b = [0u8; 4];
            b.copy_from_slice(c);
            *w = u32::from_le_bytes(b);
        }
        Self::with_key(k, DERIVE_KEY_MATERIAL)
    }

    fn chunk_len(&self) -> usize {
        BLOCK_LEN * self.blocks_compressed + self.block_len
    }

    fn start_flag(&self) -> u32 {
        if self.blocks_compressed == 0 { CHUNK_START } else { 0 }
    }

    fn chunk_output(&self) -> Output {
        Output {
            cv: self.cv,
            block: words_from_bytes(&self.block),
            counter: self.chunk_counter,
            block_len: self.block_len as u32,
            flags: self.flags | self.start_flag() | CHUNK_END,
        }
    }

    fn push_chunk_cv(&mut self, mut cv: [u32; 8], mut total_chunks: u64) {
        while total_chunks & 1 == 0 && self.stack_len > 0 {
            self.stack_len -= 1;
            let left = self.stack.get(self.stack_len).copied().unwrap_or_default();
            cv = parent_output(&left, &cv, &self.key, self.flags).chaining_value();
            total_chunks >>= 1;
        }
        if let Some(slot) = self.stack.get_mut(self.stack_len) {
            *slot = cv;
            self.stack_len += 1;
        }
    }

    fn root_output(&self) -> Output {
        let mut output = self.chunk_output();
        for left in self.stack.iter().take(self.stack_len).rev() {
            output = parent_output(left, &output.chaining_value(), &self.key, self.flags);
        }
        output
    }

    /// Ends the input and returns a reader for any amount of output (the
    /// first 32 bytes equal [`Hash::finalize`]).
    #[must_use]
    pub fn finalize_xof(&self) -> Blake3Reader {
        Blake3Reader { output: self.root_output(), block: [0; 64], counter: 0, pos: 64 }
    }
}

impl Hash for Blake3 {
    const OUTPUT_LEN: usize = 32;
    const BLOCK_LEN: usize = BLOCK_LEN;
    type Output = [u8; 32];

    fn new() -> Self {
        Self::with_key(IV, 0)
    }

    fn update(&mut self, mut data: &[u8]) {
        while !data.is_empty() {
            if self.chunk_len() == CHUNK_LEN {
                let cv = self.chunk_output().chaining_value();
                let total = self.chunk_counter + 1;
                self.push_chunk_cv(cv, total);
                self.cv = self.key;
                self.chunk_counter = total;
                self.block = [0; BLOCK_LEN];
                self.block_len = 0;
                self.blocks_compressed = 0;
            }
            if self.block_len == BLOCK_LEN {
                let words = words_from_bytes(&self.block);
                let flags = self.flags | self.start_flag();
                self.cv = first8(&compress(&self.cv, &words, self.chunk_counter, BLOCK_LEN as u32, flags));
                self.blocks_compressed += 1;
                self.block = [0; BLOCK_LEN];
                self.block_len = 0;
            }
            let take = (BLOCK_LEN - self.block_len).min(data.len());
            let (head, rest) = data.split_at(take);
            if let Some(dst) = self.block.get_mut(self.block_len..self.block_len + take) {
                dst.copy_from_slice(head);
            }
            self.block_len += take;
            data = rest;
        }
    }

    fn finalize(self) -> [u8; 32] {
        let block = self.root_output().root_block(0);
        let mut out = [0u8; 32];
        out.copy_from_slice(block.get(..32).unwrap_or_default());
        out
    }
}

impl Drop for Blake3 {
    fn drop(&mut self) {
        self.key.zeroize();
        self.cv.zeroize();
        self.block.zeroize();
        self.stack.iter_mut().for_each(Zeroize::zeroize);
    }
}

hasher_boilerplate!(Blake3);

/// BLAKE3 extendable output: read as many bytes as wanted.
#[derive(Clone)]
pub struct Blake3Reader {
    output: Output,
    block: [u8; 64],
    counter: u64,
    /// Next unread byte of `block`; 64 means "compute the next block".
    pos: usize,
}

impl Blake3Reader {
    /// Fills `out` with the next output bytes.
    pub fn read(&mut self, out: &mut [u8]) {
        for byte in out {
            if self.pos == 64 {
                self.block = self.output.root_block(self.counter);
                self.counter = self.counter.wrapping_add(1);
                self.pos = 0;
            }
            *byte = self.block.get(self.pos).copied().unwrap_or(0);
            self.pos += 1;
        }
    }
}

impl Drop for Blake3Reader {
    fn drop(&mut self) {
        self.block.zeroize();
        self.output.cv.zeroize();
        self.output.block.zeroize();
    }
}

impl core::fmt::Debug for Blake3Reader {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("Blake3Reader { .. }")
    }
}
