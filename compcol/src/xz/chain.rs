//! A block's filter chain on the decode side: LZMA2 output flowing
//! through zero to three BCJ / delta stages.
//!
//! Entry points: [`Filter`] (one parsed filter), [`DecodeChain`]. Each
//! stage owns a small buffer holding decoded bytes it has not finished
//! (a BCJ converter needs whole instructions) or not delivered yet.

use super::bcj::{Bcj, BcjArch, Delta};
use super::lzma2_dec::Lzma2Dec;
use crate::Error;
use alloc::vec;
use alloc::vec::Vec;

/// One filter of a chain, as a block header or the encoder names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Filter {
    /// A BCJ converter with its start offset (usually 0).
    Bcj(BcjArch, u32),
    /// The delta filter with its distance (1..=256).
    Delta(usize),
    /// LZMA2 with its dictionary size: always the last filter.
    Lzma2(u32),
}

const STAGE_BUF: usize = 64 << 10;

#[derive(Debug, Clone)]
enum Conv {
    Bcj(Bcj),
    Delta(alloc::boxed::Box<Delta>),
}

#[derive(Debug, Clone)]
struct Stage {
    conv: Conv,
    buf: Vec<u8>,
    start: usize,
    ready: usize,
    end: usize,
    upstream_done: bool,
}

impl Stage {
    fn new(f: Filter) -> Option<Self> {
        let conv = match f {
            Filter::Bcj(arch, start) => Conv::Bcj(Bcj::new(arch, false, start)),
            Filter::Delta(d) => Conv::Delta(alloc::boxed::Box::new(Delta::new(false, d))),
            Filter::Lzma2(_) => return None,
        };
        Some(Self { conv, buf: vec![0; STAGE_BUF], start: 0, ready: 0, end: 0, upstream_done: false })
    }
}

/// LZMA2 followed by the non-last filters in decode order.
#[derive(Debug, Clone)]
pub(crate) struct DecodeChain {
    pub(crate) lzma2: Lzma2Dec,
    /// Closest to LZMA2 first; the last stage produces the block's output.
    stages: Vec<Stage>,
}

impl DecodeChain {
    /// A chain for `filters` in block-header order (LZMA2 last).
    pub(crate) fn new(lzma2: Lzma2Dec, filters: &[Filter]) -> Self {
        let stages = filters.iter().rev().filter_map(|&f| Stage::new(f)).collect();
        Self { lzma2, stages }
    }

    /// Decodes; returns (consumed, produced, finished).
    pub(crate) fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize, bool), Error> {
        pull(&mut self.lzma2, &mut self.stages, input, output)
    }
}

fn pull(
    lzma2: &mut Lzma2Dec,
    stages: &mut [Stage],
    input: &[u8],
    output: &mut [u8],
) -> Result<(usize, usize, bool), Error> {
    let Some((st, rest)) = stages.split_last_mut() else { return lzma2.decode(input, output) };
    let mut consumed = 0;
    let mut produced = 0;
    loop {
        let n = (st.ready - st.start).min(output.len() - produced);
        if let (Some(dst), Some(src)) = (output.get_mut(produced..produced + n), st.buf.get(st.start..st.start + n)) {
            dst.copy_from_slice(src);
        }
        st.start += n;
        produced += n;
        if st.upstream_done && st.start == st.end {
            return Ok((consumed, produced, true));
        }
        if produced == output.len() {
            return Ok((consumed, produced, false));
        }
        if st.start > 0 {
            st.buf.copy_within(st.start..st.end, 0);
            st.end -= st.start;
            st.ready -= st.start;
            st.start = 0;
        }
        let mut got = 0;
        if !st.upstream_done {
            let (c, p, done) =
                pull(lzma2, rest, input.get(consumed..).unwrap_or(&[]), st.buf.get_mut(st.end..).unwrap_or(&mut []))?;
            consumed += c;
            got = p;
            st.end += p;
            st.upstream_done = done;
        }
        let todo = st.buf.get_mut(st.ready..st.end).unwrap_or(&mut []);
        st.ready += match &mut st.conv {
            Conv::Bcj(b) => b.convert(todo),
            Conv::Delta(d) => {
                d.convert(todo);
                todo.len()
            }
        };
        if st.upstream_done {
            // The unfinished tail of the data passes through unchanged.
            st.ready = st.end;
        }
        if got == 0 && n == 0 && !st.upstream_done {
            return Ok((consumed, produced, false));
        }
    }
}
