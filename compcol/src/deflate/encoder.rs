//! The deflate compressor: sliding window, hash chains, greedy / lazy /
//! RLE / Huffman-only parsers, and the streaming driver.
//!
//! Entry point: [`Deflater`]. Input is copied into a window of twice the
//! window size; positions are hashed on 4 bytes (3 at level 9) into
//! chains (`head`, `prev`), which `matcher` searches. A position is only processed while at least
//! [`MIN_LOOKAHEAD`] bytes follow it (or when flushing), so the output
//! never depends on how the input was split across calls. Blocks are
//! written when the symbol buffer fills, on flush and at finish.

use super::levels::{Kind, LEVELS, Params};
use super::matcher::{Query, common, longest_match};
use super::trees::{BitWriter, Block, MAX_STORED, write_block, write_stored};
use crate::pending::PendingOutput;
use crate::{Error, ErrorKind, Flush, Status};
use alloc::vec;
use alloc::vec::Vec;

const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
/// Bytes that must follow a position before it is matched.
pub(crate) const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
/// Window slack so 8-byte compares near the end stay in bounds.
const SLACK: usize = MAX_MATCH + 16;
const HASH_BITS: u32 = 15;
/// Deepest chain that walks runs a run at a time: deeper searches already
/// reach past runs byte by byte, and there the per-run scans cost more
/// than they find (on ptt5: level 9 took 1.6x the time for 0.5% smaller
/// output, level 7 at chain 256 twice the time).
const RUN_SKIP_MAX_CHAIN: u16 = 128;
/// Lazy matching drops 3-byte matches farther than this (they cost more
/// than three literals).
const TOO_FAR: usize = 4096;

/// How the compressor looks for matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub enum Strategy {
    /// Hash-chain matching per the level.
    #[default]
    Default,
    /// For data with small, noisy values: drop short matches (<= 5 bytes)
    /// in the lazy matcher, favouring Huffman coding.
    Filtered,
    /// No matches at all: literals only.
    HuffmanOnly,
    /// Only runs of one repeated byte (distance 1).
    Rle,
}

/// What a compression step stopped on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// Too little lookahead: needs input (or a flush).
    NeedMore,
    /// A block went to the pending output.
    BlockEmitted,
    /// Flushing and everything is matched.
    Drained,
}

/// Where the stream is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Open,
    /// The final block is in `w.out`, being handed out.
    Finishing,
    Done,
    Failed,
}

/// The deflate compressor state.
#[derive(Debug, Clone)]
pub(crate) struct Deflater {
    params: Params,
    /// Bytes hashed per position: 4 at levels whose table says so (fewer,
    /// better chain candidates), else 3. Positions are only hashed when
    /// that many bytes are present, so the hash never reads stale bytes.
    hash_len: usize,
    strategy: Strategy,
    wsize: usize,
    /// Largest distance used: window size minus the lookahead.
    max_dist: usize,
    /// Walk runs of one byte in one chain step each (see `longest_match`):
    /// only where every matched position is hashed, so each run's start
    /// links to the run before it.
    skip_runs: bool,
    /// `win[..filled]` holds data; positions below `strstart` are done.
    win: Vec<u8>,
    head: Vec<u16>,
    prev: Vec<u16>,
    filled: usize,
    strstart: usize,
    /// Window index where the current block's data starts; negative once
    /// slid out (then the block cannot be stored).
    block_start: isize,
    /// Matches may not reach before this (set by a full flush).
    history_start: usize,
    match_length: usize,
    match_start: usize,
    prev_length: usize,
    prev_match: usize,
    match_available: bool,
    block: Block,
    /// Level 0: bytes waiting to be stored.
    stored: Vec<u8>,
    w: BitWriter,
    /// How much of `w.out` was handed out.
    out_pos: PendingOutput,
    phase: Phase,
    /// A flush marker was written and no input arrived since.
    flush_clean: bool,
    dict: Vec<u8>,
}

impl Deflater {
    /// `level` 0..=9, `window_bits` 9..=15 (checked by the caller).
    pub(crate) fn new(level: u8, strategy: Strategy, window_bits: u8, dict: &[u8]) -> Self {
        let wsize = 1usize << window_bits.clamp(9, 15);
        let params = LEVELS.get(usize::from(level)).copied().unwrap_or(LEVELS[6]);
        let stored_kind = params.kind == Kind::Stored;
        let mut d = Self {
            params,
            hash_len: if params.hash4 { 4 } else { 3 },
            strategy,
            skip_runs: params.kind == Kind::Lazy && params.chain <= RUN_SKIP_MAX_CHAIN,
            wsize,
            max_dist: wsize - MIN_LOOKAHEAD,
            win: if stored_kind { Vec::new() } else { vec![0; 2 * wsize + SLACK] },
            head: if stored_kind { Vec::new() } else { vec![0; 1 << HASH_BITS] },
            prev: if stored_kind { Vec::new() } else { vec![0; wsize] },
            filled: 0,
            strstart: 0,
            block_start: 0,
            history_start: 0,
            match_length: MIN_MATCH - 1,
            match_start: 0,
            prev_length: MIN_MATCH - 1,
            prev_match: 0,
            match_available: false,
            block: Block::new(),
            stored: Vec::new(),
            w: BitWriter::default(),
            out_pos: PendingOutput::new(),
            phase: Phase::Open,
            flush_clean: false,
            dict: dict.to_vec(),
        };
        d.load_dictionary();
        d
    }

    pub(crate) fn reset(&mut self) {
        self.filled = 0;
        self.strstart = 0;
        self.block_start = 0;
        self.history_start = 0;
        self.match_length = MIN_MATCH - 1;
        self.prev_length = MIN_MATCH - 1;
        self.match_available = false;
        self.head.fill(0);
        self.prev.fill(0);
        self.block.clear();
        self.stored.clear();
        self.w.clear();
        self.out_pos = PendingOutput::new();
        self.phase = Phase::Open;
        self.flush_clean = false;
        self.load_dictionary();
    }

    fn kind(&self) -> Kind {
        self.params.kind
    }

    /// Puts the preset dictionary in the window as matchable history.
    fn load_dictionary(&mut self) {
        if self.dict.is_empty() || self.kind() == Kind::Stored {
            return;
        }
        let keep = self.dict.len().min(self.wsize);
        let src = self.dict.get(self.dict.len() - keep..).unwrap_or(&[]);
        if let Some(dst) = self.win.get_mut(..keep) {
            dst.copy_from_slice(src);
        }
        self.filled = keep;
        self.insert_range(0, keep.saturating_sub(self.hash_len - 1));
        self.strstart = keep;
        self.block_start = keep as isize;
    }

    #[inline(always)]
    fn hash(&self, pos: usize) -> usize {
        let mut v = read_u32(&self.win, pos);
        if self.hash_len == 3 {
            v &= 0x00ff_ffff;
        }
        (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    }

    /// Links `pos` into its hash chain; returns the previous chain head.
    #[inline(always)]
    fn insert(&mut self, pos: usize) -> usize {
        let h = self.hash(pos);
        let old = self.head.get(h).copied().unwrap_or(0);
        if let Some(p) = self.prev.get_mut(pos & (self.wsize - 1)) {
            *p = old;
        }
        if let Some(hd) = self.head.get_mut(h) {
            *hd = pos as u16;
        }
        usize::from(old)
    }

    /// Links positions `from..to` into their chains (the bytes hashed
    /// must be present): `insert` with the per-call checks hoisted, for
    /// the positions inside a match.
    // Bounds: `head` is a fixed-size array and the index is masked to it.
    #[allow(clippy::indexing_slicing)]
    fn insert_range(&mut self, from: usize, to: usize) {
        let mask = if self.hash_len == 3 { 0x00ff_ffff } else { u32::MAX };
        let wmask = self.wsize - 1;
        let Ok(head) = <&mut [u16; 1 << HASH_BITS]>::try_from(self.head.as_mut_slice()) else {
            return;
        };
        for p in from..to {
            let h = ((read_u32(&self.win, p) & mask).wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize;
            let slot = &mut head[h & ((1 << HASH_BITS) - 1)];
            if let Some(pv) = self.prev.get_mut(p & wmask) {
                *pv = *slot;
            }
            *slot = p as u16;
        }
    }
}

/// Little-endian u32 at `at` (0 past the end of `win`).
#[inline(always)]
fn read_u32(win: &[u8], at: usize) -> u32 {
    match win.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

impl Deflater {
    /// Moves the upper half of the window down.
    fn slide(&mut self) {
        let w = self.wsize;
        self.win.copy_within(w..2 * w, 0);
        self.filled -= w;
        self.strstart -= w;
        self.match_start = self.match_start.saturating_sub(w);
        self.prev_match = self.prev_match.saturating_sub(w);
        self.block_start -= w as isize;
        self.history_start = self.history_start.saturating_sub(w);
        let w16 = w as u16;
        // Two plain loops (not a chained iterator) so both vectorise.
        for h in self.head.iter_mut() {
            *h = h.saturating_sub(w16);
        }
        for h in self.prev.iter_mut() {
            *h = h.saturating_sub(w16);
        }
    }

    /// Copies input into the window (or the stored buffer).
    fn fill(&mut self, input: &[u8]) -> usize {
        if input.is_empty() {
            return 0;
        }
        if self.kind() == Kind::Stored {
            let n = input.len().min(MAX_STORED - self.stored.len());
            self.stored.extend_from_slice(input.get(..n).unwrap_or(&[]));
            return n;
        }
        let end = 2 * self.wsize;
        if self.filled == end && self.filled - self.strstart < MIN_LOOKAHEAD {
            self.slide();
        }
        let n = input.len().min(end - self.filled);
        if let (Some(dst), Some(src)) = (self.win.get_mut(self.filled..self.filled + n), input.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.filled += n;
        n
    }

    /// Searches the chain from `cur` for a match longer than `best`
    /// (`best >= 2`); sets `match_start` and returns the best length found.
    fn longest_match(&mut self, cur: usize, best: usize) -> usize {
        let mut chain = usize::from(self.params.chain);
        if best >= usize::from(self.params.good) {
            chain >>= 2;
        }
        let max = MAX_MATCH.min(self.filled - self.strstart);
        let q = Query {
            s: self.strstart,
            max,
            nice: usize::from(self.params.nice).min(max),
            limit: self.strstart.saturating_sub(self.max_dist),
            history_start: self.history_start,
            chain,
            skip_runs: self.skip_runs,
        };
        let (len, start) = longest_match(&self.win, &self.prev, self.wsize - 1, &q, cur, best);
        if len > best {
            self.match_start = start;
        }
        len
    }

    /// Writes the block gathered so far.
    fn flush_block(&mut self, last: bool) {
        let raw = if self.block_start >= 0 { self.win.get(self.block_start as usize..self.strstart) } else { None };
        write_block(&mut self.w, &mut self.block, raw, last);
        self.block.clear();
        self.block_start = self.strstart as isize;
    }

    fn step(&mut self, flushing: bool) -> Step {
        match (self.kind(), self.strategy) {
            (Kind::Stored, _) => {
                if self.stored.len() == MAX_STORED {
                    write_stored(&mut self.w, &self.stored, false);
                    self.stored.clear();
                    Step::BlockEmitted
                } else if flushing {
                    Step::Drained
                } else {
                    Step::NeedMore
                }
            }
            (_, Strategy::HuffmanOnly) => self.huffman_only(flushing),
            (_, Strategy::Rle) => self.rle(flushing),
            (Kind::Quick, _) => self.quick(flushing),
            (Kind::Greedy, _) => self.greedy(flushing),
            (Kind::Lazy, _) => self.lazy(flushing),
        }
    }

    fn lookahead_gate(&self, flushing: bool) -> Option<Step> {
        let lookahead = self.filled - self.strstart;
        if lookahead < MIN_LOOKAHEAD && !flushing {
            return Some(Step::NeedMore);
        }
        if lookahead == 0 {
            return Some(Step::Drained);
        }
        None
    }

    fn byte_at(&self, pos: usize) -> u8 {
        self.win.get(pos).copied().unwrap_or(0)
    }

    fn huffman_only(&mut self, flushing: bool) -> Step {
        loop {
            if let Some(s) = self.lookahead_gate(flushing) {
                return s;
            }
            let full = self.block.lit(self.byte_at(self.strstart));
            self.strstart += 1;
            if full {
                self.flush_block(false);
                return Step::BlockEmitted;
            }
        }
    }

    fn rle(&mut self, flushing: bool) -> Step {
        loop {
            if let Some(s) = self.lookahead_gate(flushing) {
                return s;
            }
            let lookahead = self.filled - self.strstart;
            let mut run = 0;
            if self.strstart > self.history_start && lookahead >= MIN_MATCH {
                let b = self.byte_at(self.strstart - 1);
                let max = lookahead.min(MAX_MATCH);
                run = self
                    .win
                    .get(self.strstart..self.strstart + max)
                    .map_or(0, |s| s.iter().take_while(|&&x| x == b).count());
            }
            let full = if run >= MIN_MATCH {
                let f = self.block.matched(1, run);
                self.strstart += run;
                f
            } else {
                let f = self.block.lit(self.byte_at(self.strstart));
                self.strstart += 1;
                f
            };
            if full {
                self.flush_block(false);
                return Step::BlockEmitted;
            }
        }
    }

    /// Level 1: one hash probe per position, no chains, nothing hashed
    /// inside matches, 4-byte minimum matches.
    // Bounds: positions are < filled <= 2 * wsize, reads stay within the
    // SLACK past it, and hash values are < 1 << HASH_BITS = head.len().
    #[allow(clippy::indexing_slicing)]
    fn quick(&mut self, flushing: bool) -> Step {
        let max_dist = self.max_dist;
        loop {
            let s = self.strstart;
            let lookahead = self.filled - s;
            if lookahead < MIN_LOOKAHEAD && !flushing {
                return Step::NeedMore;
            }
            if lookahead == 0 {
                return Step::Drained;
            }
            let mut len = 0;
            let mut dist = 0;
            if lookahead >= 4 {
                let v = read_u32(&self.win, s);
                let h = (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize;
                let cand = usize::from(self.head[h]);
                self.head[h] = s as u16;
                if cand != 0 && s - cand <= max_dist && read_u32(&self.win, cand) == v {
                    let max = MAX_MATCH.min(lookahead);
                    len = common(&self.win, cand, s, max);
                    dist = s - cand;
                }
            }
            let full = if len >= 4 {
                self.strstart += len;
                self.block.matched(dist, len)
            } else {
                self.strstart += 1;
                self.block.lit(self.win[s])
            };
            if full {
                self.flush_block(false);
                return Step::BlockEmitted;
            }
        }
    }

    fn greedy(&mut self, flushing: bool) -> Step {
        loop {
            if let Some(s) = self.lookahead_gate(flushing) {
                return s;
            }
            let lookahead = self.filled - self.strstart;
            let mut head = 0;
            if lookahead >= self.hash_len {
                head = self.insert(self.strstart);
            }
            let mut len = 0;
            if head != 0 && self.strstart - head <= self.max_dist {
                len = self.longest_match(head, MIN_MATCH - 1);
            }
            let full = if len >= MIN_MATCH {
                let f = self.block.matched(self.strstart - self.match_start, len);
                if len <= usize::from(self.params.lazy) && lookahead - len >= self.hash_len {
                    self.insert_range(self.strstart + 1, self.strstart + len);
                }
                self.strstart += len;
                f
            } else {
                let f = self.block.lit(self.byte_at(self.strstart));
                self.strstart += 1;
                f
            };
            if full {
                self.flush_block(false);
                return Step::BlockEmitted;
            }
        }
    }

    fn lazy(&mut self, flushing: bool) -> Step {
        loop {
            if let Some(s) = self.lookahead_gate(flushing) {
                if s == Step::Drained && self.match_available {
                    self.block.lit(self.byte_at(self.strstart - 1));
                    self.match_available = false;
                }
                return s;
            }
            let lookahead = self.filled - self.strstart;
            let mut head = 0;
            if lookahead >= self.hash_len {
                head = self.insert(self.strstart);
            }
            self.prev_length = self.match_length;
            self.prev_match = self.match_start;
            self.match_length = MIN_MATCH - 1;
            if head != 0 && self.prev_length < usize::from(self.params.lazy) && self.strstart - head <= self.max_dist {
                self.match_length = self.longest_match(head, self.prev_length);
                if self.match_length <= 5
                    && (self.strategy == Strategy::Filtered
                        || (self.match_length == MIN_MATCH && self.strstart - self.match_start > TOO_FAR))
                {
                    self.match_length = MIN_MATCH - 1;
                }
            }
            if self.prev_length >= MIN_MATCH && self.match_length <= self.prev_length {
                let max_insert = (self.strstart + lookahead).saturating_sub(self.hash_len);
                let full = self.block.matched(self.strstart - 1 - self.prev_match, self.prev_length);
                // The match covers strstart - 1 .. strstart - 1 + prev_length;
                // strstart itself is already hashed.
                let end = self.strstart - 1 + self.prev_length;
                self.insert_range(self.strstart + 1, end.min(max_insert + 1));
                self.strstart = end;
                self.match_available = false;
                self.match_length = MIN_MATCH - 1;
                if full {
                    self.flush_block(false);
                    return Step::BlockEmitted;
                }
            } else if self.match_available {
                let full = self.block.lit(self.byte_at(self.strstart - 1));
                if full {
                    // The literal at strstart - 1 belongs to this block;
                    // strstart stays pending as the next candidate.
                    self.flush_block_through(self.strstart);
                    self.strstart += 1;
                    return Step::BlockEmitted;
                }
                self.strstart += 1;
            } else {
                self.match_available = true;
                self.strstart += 1;
            }
        }
    }

    /// Writes the block whose data ends at `end` (before `strstart` moves).
    fn flush_block_through(&mut self, end: usize) {
        let raw = if self.block_start >= 0 { self.win.get(self.block_start as usize..end) } else { None };
        write_block(&mut self.w, &mut self.block, raw, false);
        self.block.clear();
        self.block_start = end as isize;
    }

    /// Writes the end of a flush: the current block, then (sync/full) an
    /// empty stored block, or (finish) the final block.
    fn write_flush(&mut self, flush: Flush) {
        if flush == Flush::Finish {
            if self.kind() == Kind::Stored {
                write_stored(&mut self.w, &self.stored, true);
                self.stored.clear();
            } else {
                self.flush_block(true);
            }
            self.w.align();
            return;
        }
        if self.kind() == Kind::Stored {
            if !self.stored.is_empty() {
                write_stored(&mut self.w, &self.stored, false);
                self.stored.clear();
            }
        } else if !self.block.syms.is_empty() {
            self.flush_block(false);
        }
        write_stored(&mut self.w, &[], false);
        if flush == Flush::Full && self.kind() != Kind::Stored {
            self.head.fill(0);
            self.history_start = self.strstart;
        }
    }

    /// Hands pending bytes to `output`; true when none remain.
    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.out_pos.drain(&mut self.w.out, output, op)
    }

    /// One encoder call: (consumed, produced, status).
    pub(crate) fn deflate(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: Flush,
        name: &'static str,
    ) -> Result<(usize, usize, Status), Error> {
        match self.phase {
            Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, name, "")),
            Phase::Done if !input.is_empty() => {
                self.phase = Phase::Failed;
                return Err(Error::new(ErrorKind::InvalidArgument, name, "input after the stream was finished"));
            }
            _ => {}
        }
        let mut ip = 0;
        let mut op = 0;
        // Rule: every return leaves phase and matcher state resumable.
        loop {
            if !self.drain(output, &mut op) {
                return Ok((ip, op, Status::NeedOutput));
            }
            match self.phase {
                Phase::Finishing | Phase::Done => {
                    self.phase = Phase::Done;
                    return Ok((ip, op, Status::StreamEnd));
                }
                Phase::Failed | Phase::Open => {}
            }
            let n = self.fill(input.get(ip..).unwrap_or(&[]));
            if n > 0 {
                self.flush_clean = false;
            }
            ip += n;
            let at_end = ip == input.len();
            let flushing = at_end && flush != Flush::None;
            match self.step(flushing) {
                Step::BlockEmitted => {}
                Step::NeedMore => {
                    if at_end {
                        return Ok((ip, op, Status::NeedInput));
                    }
                }
                Step::Drained => match flush {
                    Flush::Finish => {
                        self.write_flush(Flush::Finish);
                        self.phase = Phase::Finishing;
                    }
                    _ if self.flush_clean => return Ok((ip, op, Status::NeedInput)),
                    _ => {
                        self.write_flush(flush);
                        self.flush_clean = true;
                    }
                },
            }
        }
    }
}
