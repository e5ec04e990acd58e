//! Four Keccak-f[1600] sponges run in lockstep: SHAKE128 x4 and SHAKE256 x4
//! for callers that hash four independent inputs of equal length at once
//! (ML-KEM's matrix expansion and noise sampling, and in time ML-DSA's).
//!
//! Entry points: [`Shake128x4::new`] / [`Shake256x4::new`] absorb four
//! inputs and pad them; [`Shake128x4::squeeze`] / [`Shake256x4::squeeze`]
//! read the next bytes of all four outputs. Each instance's output is
//! exactly what [`Shake128`](super::Shake128) / [`Shake256`](super::Shake256)
//! would give for that input alone. The permutation runs on the AVX2
//! kernel (`arch::x86_avx2_keccak4`, one 256-bit register per lane index
//! holding that lane of all four states) when available, otherwise as four
//! calls of the scalar permutation.
//!
//! State layout: `state[i][s]` is lane `i` (`x + 5 y`) of instance `s`.
//! Invariant: `pos <= rate`, `rate` a multiple of 8 below 200.

use zeroize::Zeroize;

use super::keccak::keccak_f;
use crate::Error;

/// Four interleaved Keccak states.
pub(crate) type StateX4 = [[u64; 4]; 25];

/// Keccak-f[1600] on four states, on the best available backend.
pub(crate) fn keccak_f_x4(state: &mut StateX4) {
    if !crate::arch::x86_avx2_keccak4::keccak_f_x4(state) {
        keccak_f_x4_soft(state);
    }
}

/// The portable fallback: the scalar permutation four times.
pub(crate) fn keccak_f_x4_soft(state: &mut StateX4) {
    for s in 0..4 {
        let mut lanes: [u64; 25] = core::array::from_fn(|i| state.get(i).and_then(|l| l.get(s)).copied().unwrap_or(0));
        keccak_f(&mut lanes);
        for (lane, v) in state.iter_mut().zip(lanes) {
            if let Some(x) = lane.get_mut(s) {
                *x = v;
            }
        }
        lanes.zeroize();
    }
}

/// Domain suffix + first pad bit for SHAKE (`1111` then `1`).
const DS_SHAKE: u8 = 0x1f;

#[derive(Clone)]
struct SpongeX4 {
    state: StateX4,
    rate: usize,
    pos: usize,
}

impl SpongeX4 {
    fn xor_byte(&mut self, s: usize, at: usize, byte: u8) {
        if let Some(lane) = self.state.get_mut(at / 8).and_then(|l| l.get_mut(s)) {
            *lane ^= u64::from(byte) << (8 * (at % 8));
        }
    }

    /// Absorbs four equal-length inputs and pads them with `ds`.
    fn absorb_final(rate: usize, inputs: [&[u8]; 4], ds: u8, what: &'static str) -> Result<Self, Error> {
        let len = inputs[0].len();
        if let Some(bad) = inputs.iter().find(|i| i.len() != len) {
            return Err(Error::InvalidLength { what, expected: "four inputs of equal length", actual: bad.len() });
        }
        let mut sp = Self { state: [[0; 4]; 25], rate, pos: 0 };
        let mut offset = 0;
        while len - offset >= rate {
            for (s, input) in inputs.iter().enumerate() {
                let block = input.get(offset..offset + rate).unwrap_or_default();
                for (lane, word) in sp.state.iter_mut().zip(block.chunks_exact(8)) {
                    let mut w = [0u8; 8];
                    w.copy_from_slice(word);
                    if let Some(x) = lane.get_mut(s) {
                        *x ^= u64::from_le_bytes(w);
                    }
                }
            }
            keccak_f_x4(&mut sp.state);
            offset += rate;
        }
        for (s, input) in inputs.iter().enumerate() {
            // Whole words, then the last partial word with `ds` after it
            // (the tail is shorter than the rate, so that word exists).
            let (words, rest) = input.get(offset..).unwrap_or_default().as_chunks::<8>();
            for (lane, word) in sp.state.iter_mut().zip(words) {
                if let Some(x) = lane.get_mut(s) {
                    *x ^= u64::from_le_bytes(*word);
                }
            }
            let mut last = [0u8; 8];
            if let Some(dst) = last.get_mut(..rest.len()) {
                dst.copy_from_slice(rest);
            }
            if let Some(pad) = last.get_mut(rest.len()) {
                *pad = ds;
            }
            if let Some(x) = sp.state.get_mut(words.len()).and_then(|l| l.get_mut(s)) {
                *x ^= u64::from_le_bytes(last);
            }
            sp.xor_byte(s, rate - 1, 0x80);
        }
        keccak_f_x4(&mut sp.state);
        Ok(sp)
    }

    fn squeeze(&mut self, mut outs: [&mut [u8]; 4], what: &'static str) -> Result<(), Error> {
        let len = outs[0].len();
        if let Some(bad) = outs.iter().find(|o| o.len() != len) {
            return Err(Error::InvalidLength { what, expected: "four outputs of equal length", actual: bad.len() });
        }
        let mut i = 0;
        while i < len {
            if self.pos == self.rate {
                keccak_f_x4(&mut self.state);
                self.pos = 0;
            }
            let skip = self.pos % 8;
            let words = ((self.rate - self.pos) / 8).min((len - i) / 8);
            if skip == 0 && words > 0 {
                // Whole lanes, as many as the block and the outputs allow.
                let lanes = self.state.get(self.pos / 8..self.pos / 8 + words).unwrap_or_default();
                for (s, out) in outs.iter_mut().enumerate() {
                    let dst = out.get_mut(i..i + 8 * words).unwrap_or_default();
                    for (chunk, lane) in dst.as_chunks_mut::<8>().0.iter_mut().zip(lanes) {
                        if let Some(word) = lane.get(s) {
                            *chunk = word.to_le_bytes();
                        }
                    }
                }
                i += 8 * words;
                self.pos += 8 * words;
                continue;
            }
            let lane = self.state.get(self.pos / 8).copied().unwrap_or_default();
            let take = (8 - skip).min(len - i).min(self.rate - self.pos);
            for (out, word) in outs.iter_mut().zip(lane) {
                let bytes = word.to_le_bytes();
                if let (Some(dst), Some(src)) = (out.get_mut(i..i + take), bytes.get(skip..skip + take)) {
                    dst.copy_from_slice(src);
                }
            }
            i += take;
            self.pos += take;
        }
        Ok(())
    }
}

impl Drop for SpongeX4 {
    fn drop(&mut self) {
        self.state.as_flattened_mut().zeroize();
    }
}

macro_rules! shake_x4 {
    ($name:ident, $rate:literal, $single:literal, $doc:literal) => {
        #[doc = $doc]
        #[derive(Clone)]
        pub struct $name(SpongeX4);

        impl $name {
            /// Absorbs four inputs of equal length and ends the input.
            ///
            /// # Errors
            /// [`Error::InvalidLength`] when the lengths differ.
            pub fn new(inputs: [&[u8]; 4]) -> Result<Self, Error> {
                SpongeX4::absorb_final($rate, inputs, DS_SHAKE, concat!(stringify!($name), " inputs")).map(Self)
            }

            /// Fills the four outputs (equal lengths) with the next bytes of
            /// the four output streams. Reading the rate (
            #[doc = $single]
            /// bytes) at a time costs one four-way permutation per block.
            ///
            /// # Errors
            /// [`Error::InvalidLength`] when the lengths differ.
            pub fn squeeze(&mut self, outs: [&mut [u8]; 4]) -> Result<(), Error> {
                self.0.squeeze(outs, concat!(stringify!($name), " outputs"))
            }

            /// The rate in bytes (one permutation's worth of output).
            pub const RATE: usize = $rate;
        }

        impl core::fmt::Debug for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(concat!(stringify!($name), " { .. }"))
            }
        }
    };
}

shake_x4!(Shake128x4, 168, "168", "Four SHAKE128 instances in lockstep (rate 168 bytes).");
shake_x4!(Shake256x4, 136, "136", "Four SHAKE256 instances in lockstep (rate 136 bytes).");

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::{Shake128, Shake256};
    use proptest::prelude::*;

    fn lengths_agree_with_single(len: usize, out_len: usize, step: usize) {
        let inputs: [alloc::vec::Vec<u8>; 4] =
            core::array::from_fn(|s| (0..len).map(|i| (i * 7 + s * 91) as u8).collect());
        let refs = [&inputs[0][..], &inputs[1][..], &inputs[2][..], &inputs[3][..]];
        let mut x128 = Shake128x4::new(refs).unwrap();
        let mut x256 = Shake256x4::new(refs).unwrap();
        let mut o128 = [[0u8; 600]; 4];
        let mut o256 = [[0u8; 600]; 4];
        let mut at = 0;
        while at < out_len {
            let n = step.min(out_len - at);
            let [a, b, c, d] = &mut o128;
            x128.squeeze([&mut a[at..at + n], &mut b[at..at + n], &mut c[at..at + n], &mut d[at..at + n]]).unwrap();
            let [a, b, c, d] = &mut o256;
            x256.squeeze([&mut a[at..at + n], &mut b[at..at + n], &mut c[at..at + n], &mut d[at..at + n]]).unwrap();
            at += n;
        }
        for s in 0..4 {
            let mut want = [0u8; 600];
            Shake128::digest(&inputs[s], &mut want[..out_len]);
            assert_eq!(o128[s][..out_len], want[..out_len], "shake128 len {len} out {out_len} step {step}");
            Shake256::digest(&inputs[s], &mut want[..out_len]);
            assert_eq!(o256[s][..out_len], want[..out_len], "shake256 len {len} out {out_len} step {step}");
        }
    }

    #[test]
    fn matches_single_instance_shake() {
        for len in [0, 1, 33, 34, 135, 136, 137, 167, 168, 169, 400] {
            for (out_len, step) in [(504, 168), (600, 600), (200, 1), (137, 7)] {
                lengths_agree_with_single(len, out_len, step);
            }
        }
    }

    #[test]
    fn unequal_lengths_are_errors() {
        assert!(Shake128x4::new([b"a", b"b", b"c", b"dd"]).is_err());
        let mut x = Shake256x4::new([b"a", b"b", b"c", b"d"]).unwrap();
        let (mut a, mut b, mut c, mut d) = ([0u8; 2], [0u8; 2], [0u8; 2], [0u8; 3]);
        assert!(x.squeeze([&mut a, &mut b, &mut c, &mut d]).is_err());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        /// The dispatched (AVX2 when present) permutation equals the
        /// portable one on random states.
        #[test]
        fn dispatched_permutation_equals_soft(words in proptest::collection::vec(any::<u64>(), 100)) {
            let mut a: StateX4 = core::array::from_fn(|i| core::array::from_fn(|s| words[4 * i + s]));
            let mut b = a;
            keccak_f_x4(&mut a);
            keccak_f_x4_soft(&mut b);
            prop_assert_eq!(a, b);
        }
    }
}
