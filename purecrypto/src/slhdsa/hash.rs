//! The tweakable hash functions of FIPS 205 §11: PRF, PRF_msg, H_msg, F,
//! H and T_l, for SHAKE (§11.1) and SHA-2 (§11.2).
//!
//! Entry points: the [`Suite`] trait with [`Shake`] and [`Sha2`]. A suite
//! is built once per key from PK.seed: the SHA-2 suite absorbs the padded
//! block `PK.seed || 0^(64-n)` (and `0^(128-n)` for SHA-512) once and
//! clones the mid-state for every call, so each F costs one compression.
//! Inputs that fit one block (F, PRF, and H) skip the streaming hashers:
//! the block is laid out here and handed to the crate's compression
//! function (SHA-NI / BMI2 kernels when present) or Keccak-f[1600].
//! [`Suite::f_x4`] hashes four independent F / PRF inputs at once: the
//! SHAKE suite lays out four one-block inputs and runs the four-way
//! Keccak-f[1600] (AVX2 when present); the SHA-2 suite runs four
//! one-block compressions from the cached PK.seed state interleaved on
//! SHA-NI (`arch::x86_sha_x4`), or one after another without it.

use zeroize::Zeroize;

use super::address::Adrs;
use crate::hash::{Hash, Sha256, Sha512, Shake256};
use crate::mac::Hmac;

/// A hash instantiation bound to one PK.seed; outputs are `n` bytes
/// written to the start of `out`.
pub(crate) trait Suite: Sized {
    /// Binds the suite to PK.seed (`n` bytes).
    fn new(pk_seed: &[u8]) -> Self;
    /// PRF(PK.seed, SK.seed, ADRS).
    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]);
    /// F(PK.seed, ADRS, M1), also T_l and H: `msg` is the concatenated input.
    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]);
    /// F (and PRF, which has F's shape in both suites) on four
    /// independent inputs of equal length: `outs[i]` gets F(adrs[i],
    /// msgs[i]) in its first n bytes. Callers use it for WOTS+ chains and
    /// FORS leaves, which are independent of one another.
    fn f_x4(&self, adrs: &[Adrs; 4], msgs: [&[u8]; 4], outs: &mut [[u8; 32]; 4]) {
        for ((a, m), o) in adrs.iter().zip(msgs).zip(outs.iter_mut()) {
            self.f(a, m, o);
        }
    }
    /// H and T_l (SHA-2 switches to SHA-512 for n > 16).
    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]);
    /// PRF_msg(SK.prf, opt_rand, M) over the message pieces.
    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]);
    /// H_msg(R, PK.seed, PK.root, M) over the message pieces, `out.len()` bytes.
    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]);
}

/// SHA-256's initial hash value (FIPS 180-4 §5.3.3).
const SHA256_IV: [u32; 8] =
    [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
/// SHA-512's initial hash value (FIPS 180-4 §5.3.5).
const SHA512_IV: [u64; 8] = [
    0x6a09e667f3bcc908,
    0xbb67ae8584caa73b,
    0x3c6ef372fe94f82b,
    0xa54ff53a5f1d36f1,
    0x510e527fade682d1,
    0x9b05688c2b3e6c1f,
    0x1f83d9abfb41bd6b,
    0x5be0cd19137e2179,
];
/// SHAKE256's rate in bytes.
const SHAKE256_RATE: usize = 136;

/// One SHA-512 compression on the best backend.
fn sha512_compress(state: &mut [u64; 8], block: &[u8]) {
    if !crate::arch::x86_bmi2::sha512_compress(state, block) {
        crate::hash::sha512_compress_body(state, block);
    }
}

/// Keccak-f[1600] on the best backend.
fn keccak(state: &mut [u64; 25]) {
    if !crate::arch::x86_bmi2::keccak_f(state) {
        crate::hash::keccak_f_body(state);
    }
}

/// Writes `parts` one after another into `block`; returns the length.
fn lay_out(block: &mut [u8], parts: &[&[u8]]) -> usize {
    let mut at = 0;
    for p in parts {
        if let Some(dst) = block.get_mut(at..at + p.len()) {
            dst.copy_from_slice(p);
        }
        at += p.len();
    }
    at
}

/// SHAKE256 for every function.
pub(crate) struct Shake {
    pk_seed: [u8; 32],
    n: usize,
}

impl Shake {
    /// SHAKE256(pk_seed || adrs || msg) to n bytes when that input fits one
    /// block; `false` when it does not.
    fn one_block(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) -> bool {
        let len = self.n + 32 + msg.len();
        if len >= SHAKE256_RATE {
            return false;
        }
        let mut block = [0u8; SHAKE256_RATE];
        lay_out(&mut block, &[self.seed(), &adrs.0, msg]);
        if let Some(b) = block.get_mut(len) {
            *b = 0x1f;
        }
        if let Some(b) = block.last_mut() {
            *b |= 0x80;
        }
        let mut state = [0u64; 25];
        for (lane, word) in state.iter_mut().zip(block.chunks_exact(8)) {
            let mut w = [0u8; 8];
            w.copy_from_slice(word);
            *lane = u64::from_le_bytes(w);
        }
        keccak(&mut state);
        for (chunk, lane) in out.get_mut(..self.n).unwrap_or_default().chunks_mut(8).zip(state) {
            let bytes = lane.to_le_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
        }
        block.zeroize();
        state.zeroize();
        true
    }

    /// [`Self::one_block`] for four inputs of equal length on the
    /// four-way permutation; `false` when they do not fit one block.
    fn one_block_x4(&self, adrs: &[Adrs; 4], msgs: [&[u8]; 4], outs: &mut [[u8; 32]; 4]) -> bool {
        let len = self.n + 32 + msgs[0].len();
        if len >= SHAKE256_RATE || msgs.iter().any(|m| m.len() != msgs[0].len()) {
            return false;
        }
        let mut state: crate::hash::StateX4 = [[0u64; 4]; 25];
        let mut block = [0u8; SHAKE256_RATE];
        for (s, (a, m)) in adrs.iter().zip(msgs).enumerate() {
            block.fill(0);
            lay_out(&mut block, &[self.seed(), &a.0, m]);
            if let Some(b) = block.get_mut(len) {
                *b = 0x1f;
            }
            if let Some(b) = block.last_mut() {
                *b |= 0x80;
            }
            for (lane, word) in state.iter_mut().zip(block.chunks_exact(8)) {
                let mut w = [0u8; 8];
                w.copy_from_slice(word);
                if let Some(x) = lane.get_mut(s) {
                    *x = u64::from_le_bytes(w);
                }
            }
        }
        crate::hash::keccak_f_x4(&mut state);
        for (s, out) in outs.iter_mut().enumerate() {
            for (chunk, lane) in out.get_mut(..self.n).unwrap_or_default().chunks_mut(8).zip(&state) {
                let bytes = lane.get(s).copied().unwrap_or(0).to_le_bytes();
                chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
            }
        }
        block.zeroize();
        state.as_flattened_mut().zeroize();
        true
    }

    fn run(parts: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        for p in parts {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }

    fn seed(&self) -> &[u8] {
        self.pk_seed.get(..self.n).unwrap_or_default()
    }
}

impl Suite for Shake {
    fn new(pk_seed: &[u8]) -> Self {
        let mut s = [0u8; 32];
        let n = pk_seed.len().min(32);
        s.get_mut(..n).unwrap_or_default().copy_from_slice(pk_seed.get(..n).unwrap_or_default());
        Self { pk_seed: s, n }
    }

    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]) {
        self.f(adrs, sk_seed, out);
    }

    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        if !self.one_block(adrs, msg, out) {
            Self::run(&[self.seed(), &adrs.0, msg], out.get_mut(..self.n).unwrap_or_default());
        }
    }

    fn f_x4(&self, adrs: &[Adrs; 4], msgs: [&[u8]; 4], outs: &mut [[u8; 32]; 4]) {
        if !self.one_block_x4(adrs, msgs, outs) {
            for ((a, m), o) in adrs.iter().zip(msgs).zip(outs.iter_mut()) {
                self.f(a, m, o);
            }
        }
    }

    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        self.f(adrs, msg, out);
    }

    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        x.update(sk_prf);
        x.update(opt_rand);
        for p in msg {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }

    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        let mut x = Shake256::new();
        x.update(r);
        x.update(pk_seed);
        x.update(pk_root);
        for p in msg {
            x.update(p);
        }
        x.finalize_xof().read(out);
    }
}

/// SHA-256 (and SHA-512 for H, T_l, H_msg and PRF_msg when n > 16), with
/// the PK.seed block absorbed once.
pub(crate) struct Sha2 {
    n: usize,
    sha256: Sha256,
    sha512: Sha512,
    /// SHA-256 state after the PK.seed block, when the SHA-NI kernel ran.
    mid256: Option<[u32; 8]>,
    /// SHA-512 state after the PK.seed block.
    mid512: [u64; 8],
}

/// MGF1 with hash `D` (RFC 8017 B.2.1): fills `out`.
fn mgf1<D: Hash>(seed: &[&[u8]], out: &mut [u8]) {
    for (counter, chunk) in out.chunks_mut(D::OUTPUT_LEN).enumerate() {
        let mut d = D::new();
        for s in seed {
            d.update(s);
        }
        d.update(&(counter as u32).to_be_bytes());
        let block = d.finalize();
        chunk.copy_from_slice(block.as_ref().get(..chunk.len()).unwrap_or_default());
    }
}

/// H_msg for SHA-2: MGF1-D(R || PK.seed || D(R || PK.seed || PK.root || M)).
fn sha2_h_msg<D: Hash>(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
    let mut d = D::new();
    d.update(r);
    d.update(pk_seed);
    d.update(pk_root);
    for p in msg {
        d.update(p);
    }
    let inner = d.finalize();
    mgf1::<D>(&[r, pk_seed, inner.as_ref()], out);
}

fn sha2_prf_msg<D: Hash>(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
    let mut mac = Hmac::<D>::new(sk_prf);
    mac.update(opt_rand);
    for p in msg {
        mac.update(p);
    }
    let mut tag = mac.finalize();
    let n = out.len();
    out.copy_from_slice(tag.as_ref().get(..n).unwrap_or_default());
    tag.as_mut().zeroize();
}

impl Sha2 {
    /// Trunc_n(SHA-256(block || ADRSc || msg)) in one compression when
    /// SHA-NI is present and the input fits; `false` otherwise.
    fn one_block_256(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) -> bool {
        let Some(mid) = self.mid256 else { return false };
        let len = 22 + msg.len();
        if len + 9 > 64 {
            return false;
        }
        let mut block = [0u8; 64];
        lay_out(&mut block, &[&adrs.compressed(), msg]);
        if let Some(b) = block.get_mut(len) {
            *b = 0x80;
        }
        let bits = ((64 + len) as u64 * 8).to_be_bytes();
        lay_out(block.get_mut(56..).unwrap_or_default(), &[&bits]);
        let mut state = mid;
        if !crate::arch::x86_sha::sha256_compress(&mut state, &block) {
            return false;
        }
        for (chunk, word) in out.get_mut(..self.n).unwrap_or_default().chunks_mut(4).zip(state) {
            let bytes = word.to_be_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
        }
        block.zeroize();
        true
    }

    /// [`Self::one_block_256`] for four inputs of equal length at once on
    /// the interleaved SHA-NI kernel; `false` when it is missing or the
    /// inputs do not fit.
    fn one_block_256_x4(&self, adrs: &[Adrs; 4], msgs: [&[u8]; 4], outs: &mut [[u8; 32]; 4]) -> bool {
        let Some(mid) = self.mid256 else { return false };
        let len = 22 + msgs[0].len();
        if len + 9 > 64 || msgs.iter().any(|m| m.len() != msgs[0].len()) {
            return false;
        }
        let bits = ((64 + len) as u64 * 8).to_be_bytes();
        let mut blocks = [[0u8; 64]; 4];
        for ((block, a), m) in blocks.iter_mut().zip(adrs).zip(msgs) {
            lay_out(block, &[&a.compressed(), m]);
            if let Some(b) = block.get_mut(len) {
                *b = 0x80;
            }
            lay_out(block.get_mut(56..).unwrap_or_default(), &[&bits]);
        }
        let mut states = [mid; 4];
        let done = crate::arch::x86_sha_x4::sha256_compress_x4(&mut states, &blocks);
        if done {
            for (out, state) in outs.iter_mut().zip(&states) {
                for (chunk, word) in out.get_mut(..self.n).unwrap_or_default().chunks_mut(4).zip(state) {
                    let bytes = word.to_be_bytes();
                    chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
                }
            }
        }
        blocks.as_flattened_mut().zeroize();
        states.as_flattened_mut().zeroize();
        done
    }

    /// As [`Self::one_block_256`] with SHA-512 (n > 16), always available.
    fn one_block_512(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) -> bool {
        let len = 22 + msg.len();
        if len + 17 > 128 {
            return false;
        }
        let mut block = [0u8; 128];
        lay_out(&mut block, &[&adrs.compressed(), msg]);
        if let Some(b) = block.get_mut(len) {
            *b = 0x80;
        }
        let bits = ((128 + len) as u64 * 8).to_be_bytes();
        lay_out(block.get_mut(120..).unwrap_or_default(), &[&bits]);
        let mut state = self.mid512;
        sha512_compress(&mut state, &block);
        for (chunk, word) in out.get_mut(..self.n).unwrap_or_default().chunks_mut(8).zip(state) {
            let bytes = word.to_be_bytes();
            chunk.copy_from_slice(bytes.get(..chunk.len()).unwrap_or_default());
        }
        true
    }

    fn finish<D: Hash>(mut d: D, adrs: &Adrs, parts: &[&[u8]], out: &mut [u8], n: usize) {
        d.update(&adrs.compressed());
        for p in parts {
            d.update(p);
        }
        let mut digest = d.finalize();
        if let Some(o) = out.get_mut(..n) {
            o.copy_from_slice(digest.as_ref().get(..n).unwrap_or_default());
        }
        digest.as_mut().zeroize();
    }
}

impl Suite for Sha2 {
    fn new(pk_seed: &[u8]) -> Self {
        let zeros = [0u8; 128];
        let n = pk_seed.len();
        let mut sha256 = Sha256::new();
        sha256.update(pk_seed);
        sha256.update(zeros.get(..64usize.saturating_sub(n)).unwrap_or_default());
        let mut sha512 = Sha512::new();
        sha512.update(pk_seed);
        sha512.update(zeros.get(..128usize.saturating_sub(n)).unwrap_or_default());
        let mut block = [0u8; 128];
        lay_out(&mut block, &[pk_seed]);
        let mut mid = SHA256_IV;
        let mid256 =
            crate::arch::x86_sha::sha256_compress(&mut mid, block.get(..64).unwrap_or_default()).then_some(mid);
        let mut mid512 = SHA512_IV;
        sha512_compress(&mut mid512, &block);
        Self { n, sha256, sha512, mid256, mid512 }
    }

    fn prf(&self, adrs: &Adrs, sk_seed: &[u8], out: &mut [u8]) {
        self.f(adrs, sk_seed, out);
    }

    fn f(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        if !self.one_block_256(adrs, msg, out) {
            Self::finish(self.sha256.clone(), adrs, &[msg], out, self.n);
        }
    }

    fn f_x4(&self, adrs: &[Adrs; 4], msgs: [&[u8]; 4], outs: &mut [[u8; 32]; 4]) {
        if !self.one_block_256_x4(adrs, msgs, outs) {
            for ((a, m), o) in adrs.iter().zip(msgs).zip(outs.iter_mut()) {
                self.f(a, m, o);
            }
        }
    }

    fn t(&self, adrs: &Adrs, msg: &[u8], out: &mut [u8]) {
        if self.n == 16 {
            self.f(adrs, msg, out);
        } else if !self.one_block_512(adrs, msg, out) {
            Self::finish(self.sha512.clone(), adrs, &[msg], out, self.n);
        }
    }

    fn prf_msg(sk_prf: &[u8], opt_rand: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        if sk_prf.len() == 16 {
            sha2_prf_msg::<Sha256>(sk_prf, opt_rand, msg, out);
        } else {
            sha2_prf_msg::<Sha512>(sk_prf, opt_rand, msg, out);
        }
    }

    fn h_msg(r: &[u8], pk_seed: &[u8], pk_root: &[u8], msg: &[&[u8]], out: &mut [u8]) {
        if r.len() == 16 {
            sha2_h_msg::<Sha256>(r, pk_seed, pk_root, msg, out);
        } else {
            sha2_h_msg::<Sha512>(r, pk_seed, pk_root, msg, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// F on four lanes at once (four-way Keccak, interleaved SHA-NI)
    /// equals the streaming hashes of FIPS 205 §11 lane by lane, for
    /// every n and for F-, PRF- and H-sized inputs.
    #[test]
    fn four_way_f_matches_streaming_hashes() {
        for n in [16usize, 24, 32] {
            let seed: alloc::vec::Vec<u8> = (0..n as u8).map(|i| i.wrapping_mul(37)).collect();
            let shake = Shake::new(&seed);
            let sha2 = Sha2::new(&seed);
            for len in [n, 2 * n] {
                let adrs: [Adrs; 4] = core::array::from_fn(|l| {
                    let mut a = Adrs::default();
                    a.set_layer(l as u32);
                    a.set_tree(0x0102_0304_0506 + l as u64);
                    a.set_chain(3 * l as u32);
                    a.set_hash(7 + l as u32);
                    a
                });
                let msgs: [alloc::vec::Vec<u8>; 4] =
                    core::array::from_fn(|l| (0..len).map(|i| (i * 13 + l * 101) as u8).collect());
                let refs = [&msgs[0][..], &msgs[1][..], &msgs[2][..], &msgs[3][..]];
                let mut got = [[0u8; 32]; 4];
                shake.f_x4(&adrs, refs, &mut got);
                for ((a, m), g) in adrs.iter().zip(&msgs).zip(&got) {
                    let mut want = [0u8; 32];
                    Shake::run(&[&seed, &a.0, m], &mut want[..n]);
                    assert_eq!(g[..n], want[..n], "shake n {n} len {len}");
                }
                if len == 2 * n && n > 16 {
                    continue; // H is SHA-512 there, not F-shaped.
                }
                let mut got = [[0u8; 32]; 4];
                sha2.f_x4(&adrs, refs, &mut got);
                for ((a, m), g) in adrs.iter().zip(&msgs).zip(&got) {
                    let mut want = [0u8; 32];
                    Sha2::finish(sha2.sha256.clone(), a, &[m], &mut want, n);
                    assert_eq!(g[..n], want[..n], "sha2 n {n} len {len}");
                }
            }
        }
    }
}
