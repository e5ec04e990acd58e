//! The decoder's fast path: whole commands (insert-and-copy code,
//! literals, distance, copy) decoded in one loop while the input and the
//! output have room, instead of one resumable unit per `step`.
//!
//! Entry point: [`BrotliDecoder::fast_commands`], called from
//! `State::Command` when [`ready`] says so. It keeps the decoder's
//! state at a unit boundary whenever it returns, so the careful path
//! (`decoder.rs`) takes over mid-command near the end of the input or
//! output, at a meta-block end, or for a copy that does not fit. Why it
//! is faster:
//!
//! * the bit reader is topped up with one 8-byte load per unit (or per
//!   three literals) and symbols are read without per-bit input checks;
//! * literals are written straight into the caller's output (one loop per
//!   context mode), and the window catches up once per run with one or
//!   two `copy_from_slice` calls (`BrotliDecoder::window_store`);
//! * back-references copy 16 or 8 bytes at a time when the distance
//!   allows, reading the window only for bytes from before this call.
//!
//! Invariant while it runs: `out[start..produced]` is decoded but not
//! yet in the window; `self.pos` counts it (so distances check against
//! the true position). No unit starts without [`IN_MARGIN`] input bytes
//! left, which covers its longest read (54 bits), so the reader never
//! runs dry here: a [`Stop::Input`] would mean the margins are wrong.

use super::{BrotliDecoder, State, corrupt};
use crate::brotli::bits::{REFILL_BYTES, Reader, Stop};
use crate::brotli::huffman::{Tree, lookup};
use crate::brotli::tables::{COMMANDS, literal_context};
use alloc::vec::Vec;

/// Input bytes left before a unit starts: two refills (the second after
/// at most 7 bytes were taken by the first).
const IN_MARGIN: usize = 2 * REFILL_BYTES;
/// Output room needed to start a command.
const OUT_MARGIN: usize = 64;
/// Copy chunk; a copy may write this far past its end (inside `out`).
const CHUNK: usize = 16;
/// Literals decoded per refill (3 * 15 bits <= 56).
const PER_REFILL: usize = 3;
/// Literal context "mode" for a block type whose 64 contexts share one
/// tree: no context to compute.
const MODE_ONE_TREE: u8 = 4;

/// The context mode per literal block type for the fast path: `modes`,
/// or [`MODE_ONE_TREE`] where all 64 contexts of the type share a tree.
pub(super) fn modes(modes: &[u8], literal_map: &[u8]) -> Vec<u8> {
    let one_tree = |m: &[u8]| m.iter().all(|&t| Some(&t) == m.first());
    modes.iter().zip(literal_map.chunks(64)).map(|(&m, c)| if one_tree(c) { MODE_ONE_TREE } else { m }).collect()
}

/// The literal trees' tables back to back, and where each literal
/// context's tree starts in them (see `BrotliDecoder::literal_tables`).
pub(super) fn literal_tables(trees: &[Tree], map: &[u8]) -> (Vec<u32>, Vec<u32>) {
    let mut tables = Vec::new();
    let mut starts = Vec::with_capacity(trees.len());
    for t in trees {
        starts.push(tables.len() as u32);
        tables.extend_from_slice(t.table());
    }
    let by_context = map.iter().map(|&t| starts.get(usize::from(t)).copied().unwrap_or(0)).collect();
    (tables, by_context)
}

/// Whether the fast path may start a command.
#[inline]
pub(super) fn ready(r: &Reader<'_>, room: usize) -> bool {
    r.input_left() >= IN_MARGIN && room >= OUT_MARGIN
}

/// The fast path never runs out of input (see the module header).
fn sure(s: Stop) -> Stop {
    debug_assert!(s != Stop::Input, "the fast path ran out of input");
    match s {
        Stop::Input => Stop::Corrupt("decoder fast path ran out of input"),
        s => s,
    }
}

impl BrotliDecoder {
    /// Decodes commands from `State::Command` while there is room; on
    /// return the state is at a unit boundary and the window is current.
    pub(super) fn fast_commands(
        &mut self,
        r: &mut Reader<'_>,
        out: &mut [u8],
        produced: &mut usize,
    ) -> Result<(), Stop> {
        let (start, from) = (*produced, self.pos);
        let result = self.fast_loop(r, out, produced);
        self.sync_last(out, *produced);
        if let Some(new) = out.get(start..*produced) {
            self.window_store(from, new);
        }
        result.map_err(sure)
    }

    /// One command per iteration, straight through its units; each
    /// early return stores the state of the unit it stops before.
    fn fast_loop(&mut self, r: &mut Reader<'_>, out: &mut [u8], produced: &mut usize) -> Result<(), Stop> {
        debug_assert!(self.state == State::Command);
        loop {
            // The insert-and-copy command.
            if !ready(r, out.len() - *produced) {
                return Ok(());
            }
            r.refill();
            if self.blocks[1].count == 0 {
                self.switch_block(r, 1)?;
                continue;
            }
            let tree = self.command_trees.get(self.blocks[1].current).ok_or(corrupt("command tree"))?;
            let cmd = COMMANDS.get(usize::from(tree.decode_fast(r))).ok_or(corrupt("command code"))?;
            let implicit = cmd.implicit;
            let insert = cmd.insert_base + r.take(u32::from(cmd.insert_bits));
            r.refill();
            let copy = cmd.copy_base + r.take(u32::from(cmd.copy_bits));
            self.blocks[1].count -= 1;
            if insert as usize > self.meta_left {
                return Err(corrupt("insert length past the meta-block"));
            }
            self.copy_len = copy;
            self.implicit_distance = implicit;
            // Its literals.
            let mut left = insert;
            while left > 0 {
                if self.blocks[0].count == 0 {
                    if r.input_left() < IN_MARGIN {
                        break;
                    }
                    r.refill();
                    self.switch_block(r, 0)?;
                    continue;
                }
                let want = (left.min(self.blocks[0].count) as usize).min(out.len() - *produced);
                let n = self.literal_run(r, out, produced, want);
                left -= n as u32;
                self.blocks[0].count -= n as u32;
                self.meta_left -= n;
                self.pos += n as u64;
                if n < want || n == 0 {
                    break;
                }
            }
            if left > 0 {
                self.insert_left = left;
                self.state = State::Literals;
                return Ok(());
            }
            self.insert_left = 0;
            if self.meta_left == 0 {
                self.state = State::MetaEnd;
                return Ok(());
            }
            // Its distance.
            self.state = State::Distance;
            let code = if implicit {
                0
            } else {
                if r.input_left() < IN_MARGIN {
                    return Ok(());
                }
                r.refill();
                if self.blocks[2].count == 0 {
                    self.switch_block(r, 2)?;
                    r.refill();
                }
                let ctx = self.blocks[2].current * 4 + self.distance_context();
                let tree_id = usize::from(self.distance_map.get(ctx).copied().unwrap_or(0));
                let tree = self.distance_trees.get(tree_id).ok_or(corrupt("distance tree"))?;
                u32::from(tree.decode_fast(r))
            };
            self.resolve_distance(r, code, !implicit)?;
            // Its copy or dictionary word.
            let room = out.len() - *produced;
            let whole = if self.state == State::Copy {
                let n = (self.copy_len as usize).min(room.saturating_sub(CHUNK));
                self.copy_match(out, *produced, n);
                *produced += n;
                self.copy_len -= n as u32;
                if *produced < 2 {
                    self.note_last(out.get(..*produced).unwrap_or(&[]), n);
                }
                self.copy_len == 0
            } else {
                let n = self.word_len;
                let (Some(dst), Some(src)) = (out.get_mut(*produced..*produced + n), self.word.get(..n)) else {
                    return Ok(());
                };
                dst.copy_from_slice(src);
                *produced += n;
                self.word_at = n;
                if *produced < 2 {
                    self.note_last(out.get(..*produced).unwrap_or(&[]), n);
                }
                true
            };
            let n = *produced - (out.len() - room);
            self.pos += n as u64;
            self.meta_left -= n;
            if !whole {
                return Ok(());
            }
            self.state = if self.meta_left == 0 { State::MetaEnd } else { State::Command };
            if self.meta_left == 0 {
                return Ok(());
            }
        }
    }

    /// Sets `p1`, `p2` from the output when it holds at least two bytes
    /// (every byte of `out[..produced]` is stream output, so the last two
    /// are the context; below two, `note_last` kept them current).
    #[inline]
    fn sync_last(&mut self, out: &[u8], produced: usize) {
        if let Some(&[p2, p1]) = produced.checked_sub(2).and_then(|s| out.get(s..produced)) {
            (self.p1, self.p2) = (p1, p2);
        }
    }

    /// Sets `p1`, `p2` after `n` bytes were appended to `done` (the output
    /// so far, ending with them).
    fn note_last(&mut self, done: &[u8], n: usize) {
        let mut tail = done.iter().rev().take(n.min(2));
        if let Some(&b) = tail.next() {
            self.p2 = tail.next().copied().unwrap_or(self.p1);
            self.p1 = b;
        }
    }

    /// Decodes up to `want` literals of the current literal block into
    /// `out[*produced..]`, fewer when the input margin runs out; returns
    /// how many.
    fn literal_run(&mut self, r: &mut Reader<'_>, out: &mut [u8], produced: &mut usize, want: usize) -> usize {
        self.sync_last(out, *produced);
        let btype = self.blocks[0].current;
        let mode = self.fast_modes.get(btype).copied().unwrap_or(0);
        let Some(starts) = self.literal_starts.get(btype * 64..btype * 64 + 64).and_then(|s| s.try_into().ok()) else {
            return 0;
        };
        let mut run = Run { tables: &self.literal_tables, starts, p1: self.p1, p2: self.p2 };
        let n = match mode {
            0 => run.go::<0>(r, out, *produced, want),
            1 => run.go::<1>(r, out, *produced, want),
            2 => run.go::<2>(r, out, *produced, want),
            3 => run.go::<3>(r, out, *produced, want),
            _ => run.go::<MODE_ONE_TREE>(r, out, *produced, want),
        };
        (self.p1, self.p2) = (run.p1, run.p2);
        *produced += n;
        n
    }

    /// Copies `n` bytes from `copy_dist` back to `out[at..]`, where
    /// `out[at]` is stream position `self.pos`; `out` has [`CHUNK`] bytes
    /// of room past `at + n`.
    fn copy_match(&self, out: &mut [u8], at: usize, n: usize) {
        let d = self.copy_dist;
        let mut done = 0;
        if d > at {
            // The first bytes come from before this call: the window.
            let far = (d - at).min(n);
            let from = (self.pos - d as u64) as usize & self.mask;
            if from + far + CHUNK <= self.window.len() {
                // Unwrapped with slack: 16-byte chunks (the overshoot in
                // `out` is rewritten before anything reads it).
                let mut i = 0;
                while i < far {
                    let chunk: Option<[u8; CHUNK]> =
                        self.window.get(from + i..from + i + CHUNK).and_then(|s| s.try_into().ok());
                    if let (Some(c), Some(o)) = (chunk, out.get_mut(at + i..at + i + CHUNK)) {
                        o.copy_from_slice(&c);
                    }
                    i += CHUNK;
                }
            } else {
                let first = far.min(self.window.len() - from);
                let parts = [(from, at, first), (0, at + first, far - first)];
                for (src, dst, len) in parts {
                    if let (Some(s), Some(o)) = (self.window.get(src..src + len), out.get_mut(dst..dst + len)) {
                        o.copy_from_slice(s);
                    }
                }
            }
            done = far;
        }
        if done < n {
            copy_within_out(out, at + done, d, n - done);
        }
    }
}

/// One literal run's view of the decoder.
struct Run<'a> {
    tables: &'a [u32],
    /// Where each of the block type's 64 contexts' tree starts in `tables`.
    starts: &'a [u32; 64],
    p1: u8,
    p2: u8,
}

impl Run<'_> {
    /// Decodes up to `want` literals with context mode `MODE` into
    /// `out[at..]`; returns how many (fewer when the input margin ends).
    #[inline]
    fn go<const MODE: u8>(&mut self, r: &mut Reader<'_>, out: &mut [u8], at: usize, want: usize) -> usize {
        let one = self.starts.first().copied().unwrap_or(0) as usize;
        let (mut p1, mut p2) = (self.p1, self.p2);
        let mut n = 0;
        let Some(dst) = out.get_mut(at..at + want) else { return 0 };
        for chunk in dst.chunks_mut(PER_REFILL) {
            if r.input_left() < REFILL_BYTES {
                break;
            }
            r.refill();
            for o in chunk.iter_mut() {
                let start = if MODE == MODE_ONE_TREE {
                    one
                } else {
                    self.starts.get(literal_context(MODE, p1, p2)).copied().unwrap_or(0) as usize
                };
                let e = lookup(self.tables, start, r.peek_word());
                r.skip(e & 31);
                let b = (e >> 16) as u8;
                *o = b;
                p2 = p1;
                p1 = b;
            }
            n += chunk.len();
        }
        (self.p1, self.p2) = (p1, p2);
        n
    }
}

/// Copies `n` bytes from `d` (1..=`at`) back to `out[at..]`, overlapping
/// as LZ77 copies do; `out` has [`CHUNK`] bytes of room past `at + n`.
#[inline(always)]
fn copy_within_out(out: &mut [u8], at: usize, d: usize, n: usize) {
    if d >= CHUNK {
        chunks::<CHUNK>(out, at, d, n);
    } else if d >= 8 {
        chunks::<8>(out, at, d, n);
    } else {
        // A short period d: with d2 the first multiple of d that is at
        // least 8, out[i] == out[i - d2] for every i >= at - d + d2, so
        // after d2 - d (< 8) bytes one at a time the rest goes in 8-byte
        // chunks from d2 back.
        let d2 = d * 8usize.div_ceil(d);
        let head = n.min(d2 - d);
        for i in at..at + head {
            if let Some(&b) = out.get(i - d) {
                if let Some(o) = out.get_mut(i) {
                    *o = b;
                }
            }
        }
        if n > head {
            chunks::<8>(out, at + head, d2, n - head);
        }
    }
}

/// [`copy_within_out`] for `d >= K`: `K` bytes at a time, each chunk read
/// from bytes already final.
#[inline]
fn chunks<const K: usize>(out: &mut [u8], at: usize, d: usize, n: usize) {
    let mut i = at;
    while i < at + n {
        let chunk: Option<[u8; K]> = out.get(i - d..i - d + K).and_then(|s| s.try_into().ok());
        if let (Some(c), Some(o)) = (chunk, out.get_mut(i..i + K)) {
            o.copy_from_slice(&c);
        }
        i += K;
    }
}
