//! The brotli decoder: a state machine over meta-blocks (RFC 7932
//! sections 9 and 10), resumable at every unit, so any split of the input
//! and any output window (down to one byte each) decodes the same.
//!
//! Entry point: [`BrotliDecoder`]. Each unit (a header field group, a
//! prefix code, a context map, a command, a literal, a distance) is read
//! whole or not at all: when the input runs out inside one, the reader
//! rolls back to the unit's start and the bytes already taken are held
//! for the next call. Memory: the window (at most 16 MiB, as the stream
//! header declares) plus the prefix code tables and context maps.

use super::NAME;
use super::bits::{Mark, Reader, Stop};
use super::dictionary::{self, MAX_WORD};
use super::huffman::{Tree, read_tree};
use super::tables::{BLOCK_COUNT_CODES, COPY_CODES, INSERT_CODES, command_cell, literal_context};
use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

mod fast;

/// Where the decoder resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamHeader,
    MetaHeader,
    /// Skipping `left` bytes of a metadata block.
    Metadata(usize),
    /// Copying the raw bytes of an uncompressed meta-block.
    Uncompressed,
    /// Block type codes of category 0 literals, 1 commands, 2 distances.
    BlockTypes(usize),
    DistanceParams,
    ContextModes,
    LiteralMap,
    DistanceMap,
    LiteralTrees,
    CommandTrees,
    DistanceTrees,
    Command,
    Literals,
    Distance,
    Copy,
    Word,
    /// The meta-block is done; ISLAST decides what follows.
    MetaEnd,
    LastPadding,
    Done,
    Failed,
}

/// What a step did.
enum Flow {
    Continue,
    OutputFull,
    End,
}

/// Block switching state of one category (section 6).
#[derive(Debug, Clone, Default)]
struct Blocks {
    types: usize,
    current: usize,
    previous: usize,
    count: u32,
    type_tree: Tree,
    count_tree: Tree,
}

/// A streaming brotli decoder.
#[derive(Debug, Clone)]
pub struct BrotliDecoder {
    state: State,
    /// Input bytes taken in earlier calls but not yet fully consumed.
    held: Vec<u8>,
    /// Bits of `held[0]` already consumed.
    held_skip: u32,
    /// Stream bytes before `held`.
    base: u64,
    /// The ring buffer: grows by doubling up to `1 << WBITS` while the
    /// output is shorter than the window, so short streams stay small.
    window: Vec<u8>,
    window_full: usize,
    mask: usize,
    /// Bytes decoded so far.
    pos: u64,
    max_back: u64,
    last: bool,
    meta_left: usize,
    blocks: [Blocks; 3],
    npostfix: u32,
    ndirect: u32,
    modes: Vec<u8>,
    /// `modes`, except `fast::MODE_ONE_TREE` for block types whose 64
    /// literal contexts all map to one tree.
    fast_modes: Vec<u8>,
    literal_map: Vec<u8>,
    distance_map: Vec<u8>,
    literal_trees: Vec<Tree>,
    /// The literal trees' tables back to back, and for each literal
    /// context (`block type * 64 + context id`) where its tree's table
    /// starts in it: the fast path's one-step context-to-table lookup.
    literal_tables: Vec<u32>,
    literal_starts: Vec<u32>,
    command_trees: Vec<Tree>,
    distance_trees: Vec<Tree>,
    n_literal_trees: usize,
    n_distance_trees: usize,
    dist_ring: [u32; 4],
    ring_at: usize,
    insert_left: u32,
    copy_len: u32,
    implicit_distance: bool,
    copy_dist: usize,
    word: [u8; MAX_WORD],
    word_len: usize,
    word_at: usize,
    p1: u8,
    p2: u8,
    /// Static dictionary words decoded (for the tests).
    #[cfg(test)]
    pub(crate) words: u64,
}

impl Default for BrotliDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// Distance codes 4..=9 and 10..=15 adjust a ring entry by these.
const RING_DELTA: [i64; 6] = [-1, 1, -2, 2, -3, 3];

fn corrupt(detail: &'static str) -> Stop {
    Stop::Corrupt(detail)
}

/// Reads the 1..=256 value coding NBLTYPES and NTREES (section 9.2).
fn read_var_u8(r: &mut Reader<'_>) -> Result<usize, Stop> {
    if r.bits(1)? == 0 {
        return Ok(1);
    }
    let n = r.bits(3)?;
    if n == 0 {
        return Ok(2);
    }
    Ok((1usize << n) + r.bits(n)? as usize + 1)
}

/// Reads a block count with `tree` (section 6).
fn read_count(r: &mut Reader<'_>, tree: &Tree) -> Result<u32, Stop> {
    let code = tree.decode(r)?;
    let (base, extra) = BLOCK_COUNT_CODES.get(usize::from(code)).copied().ok_or(corrupt("bad block count code"))?;
    Ok(base + r.bits(u32::from(extra))?)
}

/// Reads a context map of `size` entries over `trees` trees (section 7.3).
fn read_context_map(r: &mut Reader<'_>, size: usize, trees: usize) -> Result<Vec<u8>, Stop> {
    let mut map = vec![0u8; size];
    if trees < 2 {
        return Ok(map);
    }
    let rlemax = if r.bits(1)? == 1 { r.bits(4)? as usize + 1 } else { 0 };
    let tree = read_tree(r, trees + rlemax)?;
    let mut i = 0;
    while i < size {
        let code = usize::from(tree.decode(r)?);
        if code == 0 {
            i += 1;
        } else if code <= rlemax {
            let run = (1usize << code) + r.bits(code as u32)? as usize;
            if i + run > size {
                return Err(corrupt("context map run past its end"));
            }
            i += run;
        } else {
            if let Some(m) = map.get_mut(i) {
                *m = (code - rlemax) as u8;
            }
            i += 1;
        }
    }
    if r.bits(1)? == 1 {
        // Inverse move-to-front.
        let mut mtf: [u8; 256] = core::array::from_fn(|i| i as u8);
        for v in &mut map {
            let idx = usize::from(*v);
            let value = mtf.get(idx).copied().unwrap_or(0);
            *v = value;
            if idx > 0 {
                mtf.copy_within(0..idx, 1);
                mtf[0] = value;
            }
        }
    }
    Ok(map)
}

impl BrotliDecoder {
    /// A decoder at the start of a brotli stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            state: State::StreamHeader,
            held: Vec::new(),
            held_skip: 0,
            base: 0,
            window: Vec::new(),
            window_full: 0,
            mask: 0,
            pos: 0,
            max_back: 0,
            last: false,
            meta_left: 0,
            blocks: Default::default(),
            npostfix: 0,
            ndirect: 0,
            modes: Vec::new(),
            fast_modes: Vec::new(),
            literal_map: Vec::new(),
            distance_map: Vec::new(),
            literal_trees: Vec::new(),
            literal_tables: Vec::new(),
            literal_starts: Vec::new(),
            command_trees: Vec::new(),
            distance_trees: Vec::new(),
            n_literal_trees: 0,
            n_distance_trees: 0,
            dist_ring: [16, 15, 11, 4],
            ring_at: 3,
            insert_left: 0,
            copy_len: 0,
            implicit_distance: false,
            copy_dist: 0,
            word: [0; MAX_WORD],
            word_len: 0,
            word_at: 0,
            p1: 0,
            p2: 0,
            #[cfg(test)]
            words: 0,
        }
    }

    /// The distance `back` (1 = last) places back in the ring.
    fn ring(&self, back: usize) -> u32 {
        self.dist_ring.get((self.ring_at + 5 - back) & 3).copied().unwrap_or(0)
    }

    fn push_distance(&mut self, d: u32) {
        self.ring_at = (self.ring_at + 1) & 3;
        if let Some(slot) = self.dist_ring.get_mut(self.ring_at) {
            *slot = d;
        }
    }

    /// Doubles the window when the output reaches its end before it has
    /// its full size (nothing has wrapped yet, so the bytes stay put).
    #[inline]
    fn grow_window(&mut self) {
        if self.pos as usize == self.window.len() && self.window.len() < self.window_full {
            let n = (self.window.len() * 2).min(self.window_full);
            self.window.resize(n, 0);
            self.mask = n - 1;
        }
    }

    /// Stores `bytes`, the stream from position `from` on, in the window
    /// in one go (the uncompressed and fast paths write the output first),
    /// growing it as [`Self::grow_window`] would have byte by byte.
    fn window_store(&mut self, from: u64, bytes: &[u8]) {
        let end = from + bytes.len() as u64;
        if self.window.len() < self.window_full && end > self.window.len() as u64 {
            let n = usize::try_from(end).map_or(self.window_full, |e| e.next_power_of_two().min(self.window_full));
            self.window.resize(n, 0);
            self.mask = n - 1;
        }
        let len = self.window.len();
        let skip = bytes.len().saturating_sub(len);
        let bytes = bytes.get(skip..).unwrap_or(&[]);
        let at = (from as usize).wrapping_add(skip) & self.mask;
        let first = bytes.len().min(len - at);
        let (head, tail) = bytes.split_at(first);
        if let Some(w) = self.window.get_mut(at..at + first) {
            w.copy_from_slice(head);
        }
        if let Some(w) = self.window.get_mut(..tail.len()) {
            w.copy_from_slice(tail);
        }
    }

    /// Appends one decoded byte to the window and the output.
    #[inline]
    fn emit(&mut self, b: u8, out: &mut [u8], produced: &mut usize) {
        if let Some(o) = out.get_mut(*produced) {
            *o = b;
        }
        *produced += 1;
        self.grow_window();
        if let Some(w) = self.window.get_mut(self.pos as usize & self.mask) {
            *w = b;
        }
        self.pos += 1;
        self.p2 = self.p1;
        self.p1 = b;
    }

    /// Reads a block switch for category `cat` (section 6).
    fn switch_block(&mut self, r: &mut Reader<'_>, cat: usize) -> Result<(), Stop> {
        let b = self.blocks.get(cat).ok_or(corrupt("bad category"))?;
        let code = usize::from(b.type_tree.decode(r)?);
        let next = match code {
            0 => b.previous,
            1 => (b.current + 1) % b.types,
            n => n - 2,
        };
        if next >= b.types {
            return Err(corrupt("block type out of range"));
        }
        let count = read_count(r, &b.count_tree)?;
        if let Some(b) = self.blocks.get_mut(cat) {
            b.previous = b.current;
            b.current = next;
            b.count = count;
        }
        Ok(())
    }

    fn step(
        &mut self,
        r: &mut Reader<'_>,
        out: &mut [u8],
        produced: &mut usize,
        mark: &mut Mark,
    ) -> Result<Flow, Stop> {
        match self.state {
            State::StreamHeader => {
                let wbits = if r.bits(1)? == 0 {
                    16
                } else {
                    match r.bits(3)? {
                        0 => match r.bits(3)? {
                            0 => 17,
                            1 => return Err(Stop::Unsupported("large-window brotli (WBITS > 24) is not supported")),
                            n => 8 + n,
                        },
                        n => 17 + n,
                    }
                };
                self.window_full = 1 << wbits;
                self.window = vec![0u8; self.window_full.min(1 << 16)];
                self.mask = self.window.len() - 1;
                self.max_back = (1u64 << wbits) - 16;
                self.state = State::MetaHeader;
            }
            State::MetaHeader => self.meta_header(r)?,
            State::Metadata(left) => {
                let mut sink = [0u8; 256];
                let n = r.bytes(left.min(sink.len()), &mut sink);
                if n == 0 {
                    return Err(Stop::Input);
                }
                self.state = if left == n { State::MetaEnd } else { State::Metadata(left - n) };
            }
            State::Uncompressed => {
                let room = out.len() - *produced;
                if room == 0 {
                    return Ok(Flow::OutputFull);
                }
                let want = self.meta_left.min(room);
                let start = *produced;
                let Some(dst) = out.get_mut(start..start + want) else { return Err(corrupt("output slice")) };
                let n = r.bytes(want, dst);
                if n == 0 {
                    return Err(Stop::Input);
                }
                let from = self.pos;
                if let Some(new) = out.get(start..start + n) {
                    self.window_store(from, new);
                    if let Some((&b, rest)) = new.split_last() {
                        self.p2 = rest.last().copied().unwrap_or(self.p1);
                        self.p1 = b;
                    }
                }
                self.pos += n as u64;
                *produced += n;
                self.meta_left -= n;
                if self.meta_left == 0 {
                    self.state = State::MetaEnd;
                }
            }
            State::BlockTypes(cat) => {
                let types = read_var_u8(r)?;
                let b = if types >= 2 {
                    let type_tree = read_tree(r, types + 2)?;
                    let count_tree = read_tree(r, BLOCK_COUNT_CODES.len())?;
                    let count = read_count(r, &count_tree)?;
                    Blocks { types, current: 0, previous: 1, count, type_tree, count_tree }
                } else {
                    Blocks { types, current: 0, previous: 1, count: 1 << 28, ..Blocks::default() }
                };
                if let Some(slot) = self.blocks.get_mut(cat) {
                    *slot = b;
                }
                self.state = if cat < 2 { State::BlockTypes(cat + 1) } else { State::DistanceParams };
            }
            State::DistanceParams => {
                let npostfix = r.bits(2)?;
                let ndirect = r.bits(4)? << npostfix;
                self.npostfix = npostfix;
                self.ndirect = ndirect;
                self.state = State::ContextModes;
            }
            State::ContextModes => {
                let n = self.blocks[0].types;
                let mut modes = Vec::with_capacity(n);
                for _ in 0..n {
                    modes.push(r.bits(2)? as u8);
                }
                self.modes = modes;
                self.state = State::LiteralMap;
            }
            State::LiteralMap => {
                let trees = read_var_u8(r)?;
                self.literal_map = read_context_map(r, self.blocks[0].types * 64, trees)?;
                self.fast_modes = fast::modes(&self.modes, &self.literal_map);
                self.n_literal_trees = trees;
                self.state = State::DistanceMap;
            }
            State::DistanceMap => {
                let trees = read_var_u8(r)?;
                self.distance_map = read_context_map(r, self.blocks[2].types * 4, trees)?;
                self.n_distance_trees = trees;
                self.literal_trees.clear();
                self.command_trees.clear();
                self.distance_trees.clear();
                self.state = State::LiteralTrees;
            }
            State::LiteralTrees => {
                if self.literal_trees.len() < self.n_literal_trees {
                    let t = read_tree(r, 256)?;
                    self.literal_trees.push(t);
                } else {
                    (self.literal_tables, self.literal_starts) =
                        fast::literal_tables(&self.literal_trees, &self.literal_map);
                    self.state = State::CommandTrees;
                }
            }
            State::CommandTrees => {
                if self.command_trees.len() < self.blocks[1].types {
                    let t = read_tree(r, 704)?;
                    self.command_trees.push(t);
                } else {
                    self.state = State::DistanceTrees;
                }
            }
            State::DistanceTrees => {
                if self.distance_trees.len() < self.n_distance_trees {
                    let size = 16 + self.ndirect as usize + (48 << self.npostfix);
                    let t = read_tree(r, size)?;
                    self.distance_trees.push(t);
                } else {
                    self.state = State::Command;
                }
            }
            State::Command => {
                if fast::ready(r, out.len() - *produced) {
                    self.fast_commands(r, out, produced)?;
                    return Ok(Flow::Continue);
                }
                if self.blocks[1].count == 0 {
                    self.switch_block(r, 1)?;
                    return Ok(Flow::Continue);
                }
                let tree = self.command_trees.get(self.blocks[1].current).ok_or(corrupt("command tree"))?;
                let symbol = tree.decode(r)?;
                let (ic, cc, implicit) = command_cell(symbol);
                let (ibase, ibits) = INSERT_CODES.get(ic).copied().ok_or(corrupt("insert code"))?;
                let (cbase, cbits) = COPY_CODES.get(cc).copied().ok_or(corrupt("copy code"))?;
                let insert = ibase + r.bits(u32::from(ibits))?;
                let copy = cbase + r.bits(u32::from(cbits))?;
                self.blocks[1].count -= 1;
                if insert as usize > self.meta_left {
                    return Err(corrupt("insert length past the meta-block"));
                }
                self.insert_left = insert;
                self.copy_len = copy;
                self.implicit_distance = implicit;
                self.state = State::Literals;
            }
            State::Literals => {
                if self.insert_left == 0 {
                    self.state = if self.meta_left == 0 { State::MetaEnd } else { State::Distance };
                    return Ok(Flow::Continue);
                }
                if *produced == out.len() {
                    return Ok(Flow::OutputFull);
                }
                if self.blocks[0].count == 0 {
                    self.switch_block(r, 0)?;
                    return Ok(Flow::Continue);
                }
                // A run of literals within one block: each is committed
                // (`mark`) as soon as it is decoded.
                let btype = self.blocks[0].current;
                let mode = self.modes.get(btype).copied().unwrap_or(0);
                let map_base = btype * 64;
                while self.insert_left > 0 && self.blocks[0].count > 0 && *produced < out.len() {
                    let cid = literal_context(mode, self.p1, self.p2);
                    let tree_id = usize::from(self.literal_map.get(map_base + cid).copied().unwrap_or(0));
                    let tree = self.literal_trees.get(tree_id).ok_or(corrupt("literal tree"))?;
                    let b = tree.decode(r)? as u8;
                    self.blocks[0].count -= 1;
                    self.insert_left -= 1;
                    self.meta_left -= 1;
                    self.emit(b, out, produced);
                    *mark = r.mark();
                }
            }
            State::Distance => self.distance(r)?,
            State::Copy => {
                while self.copy_len > 0 {
                    if *produced == out.len() {
                        return Ok(Flow::OutputFull);
                    }
                    let b = self.window.get((self.pos as usize).wrapping_sub(self.copy_dist) & self.mask).copied();
                    self.emit(b.unwrap_or(0), out, produced);
                    self.copy_len -= 1;
                    self.meta_left -= 1;
                }
                self.state = if self.meta_left == 0 { State::MetaEnd } else { State::Command };
            }
            State::Word => {
                while self.word_at < self.word_len {
                    if *produced == out.len() {
                        return Ok(Flow::OutputFull);
                    }
                    let b = self.word.get(self.word_at).copied().unwrap_or(0);
                    self.emit(b, out, produced);
                    self.word_at += 1;
                    self.meta_left -= 1;
                }
                self.state = if self.meta_left == 0 { State::MetaEnd } else { State::Command };
            }
            State::MetaEnd => {
                self.state = if self.last { State::LastPadding } else { State::MetaHeader };
            }
            State::LastPadding => {
                if r.align() != 0 {
                    return Err(corrupt("non-zero padding after the last meta-block"));
                }
                self.state = State::Done;
                return Ok(Flow::End);
            }
            State::Done => return Ok(Flow::End),
            State::Failed => return Err(corrupt("failed")),
        }
        Ok(Flow::Continue)
    }

    /// ISLAST, MLEN, ISUNCOMPRESSED and metadata (section 9.2).
    fn meta_header(&mut self, r: &mut Reader<'_>) -> Result<(), Stop> {
        let last = r.bits(1)? == 1;
        if last && r.bits(1)? == 1 {
            self.last = true;
            self.state = State::LastPadding;
            return Ok(());
        }
        let nibbles = match r.bits(2)? {
            3 => 0,
            n => n + 4,
        };
        if nibbles == 0 {
            if r.bits(1)? != 0 {
                return Err(corrupt("reserved bit set in a metadata block"));
            }
            let skip_bytes = r.bits(2)?;
            let mut skip = 0usize;
            for i in 0..skip_bytes {
                let b = r.bits(8)? as usize;
                if i + 1 == skip_bytes && skip_bytes > 1 && b == 0 {
                    return Err(corrupt("metadata length has a zero top byte"));
                }
                skip |= b << (8 * i);
            }
            if skip_bytes > 0 {
                skip += 1;
            }
            if r.align() != 0 {
                return Err(corrupt("non-zero padding before metadata"));
            }
            self.last = last;
            self.state = if skip > 0 { State::Metadata(skip) } else { State::MetaEnd };
            return Ok(());
        }
        let mut mlen = 0usize;
        for i in 0..nibbles {
            let n = r.bits(4)? as usize;
            if i + 1 == nibbles && nibbles > 4 && n == 0 {
                return Err(corrupt("meta-block length has a zero top nibble"));
            }
            mlen |= n << (4 * i);
        }
        mlen += 1;
        let uncompressed = if last { false } else { r.bits(1)? == 1 };
        if uncompressed && r.align() != 0 {
            return Err(corrupt("non-zero padding before an uncompressed meta-block"));
        }
        self.last = last;
        self.meta_left = mlen;
        self.state = if uncompressed { State::Uncompressed } else { State::BlockTypes(0) };
        Ok(())
    }

    /// The distance of the current command (section 4) and what it
    /// refers to: the window or a dictionary word.
    fn distance(&mut self, r: &mut Reader<'_>) -> Result<(), Stop> {
        let mut read = false;
        let code = if self.implicit_distance {
            0
        } else {
            if self.blocks[2].count == 0 {
                self.switch_block(r, 2)?;
                return Ok(());
            }
            let ctx = self.distance_context();
            let tree_id = usize::from(self.distance_map.get(self.blocks[2].current * 4 + ctx).copied().unwrap_or(0));
            let tree = self.distance_trees.get(tree_id).ok_or(corrupt("distance tree"))?;
            read = true;
            u32::from(tree.decode(r)?)
        };
        self.resolve_distance(r, code, read)
    }

    /// The distance context (0..4) of the current copy length.
    #[inline]
    fn distance_context(&self) -> usize {
        match self.copy_len {
            0..=2 => 0,
            3 => 1,
            4 => 2,
            _ => 3,
        }
    }

    /// Turns distance code `code` (`read` from the stream, else the
    /// implicit 0) into a window copy or a dictionary word, reading its
    /// extra bits.
    #[inline(always)]
    fn resolve_distance(&mut self, r: &mut Reader<'_>, code: u32, read: bool) -> Result<(), Stop> {
        let distance: i64 = match code {
            0 => i64::from(self.ring(1)),
            1 => i64::from(self.ring(2)),
            2 => i64::from(self.ring(3)),
            3 => i64::from(self.ring(4)),
            4..=9 => {
                let delta = RING_DELTA.get((code - 4) as usize).copied().unwrap_or(0);
                i64::from(self.ring(1)) + delta
            }
            10..=15 => {
                let delta = RING_DELTA.get((code - 10) as usize).copied().unwrap_or(0);
                i64::from(self.ring(2)) + delta
            }
            c if c < 16 + self.ndirect => i64::from(c - 15),
            c => {
                let c = c - self.ndirect - 16;
                let ndistbits = 1 + (c >> (self.npostfix + 1));
                let extra = r.bits(ndistbits)?;
                let hcode = c >> self.npostfix;
                let lcode = c & ((1 << self.npostfix) - 1);
                let offset = ((2 + (i64::from(hcode) & 1)) << ndistbits) - 4;
                ((offset + i64::from(extra)) << self.npostfix) + i64::from(lcode) + i64::from(self.ndirect) + 1
            }
        };
        if distance <= 0 {
            return Err(corrupt("distance is not positive"));
        }
        if read {
            self.blocks[2].count -= 1;
        }
        let distance = distance as u64;
        let max = self.pos.min(self.max_back);
        if distance <= max {
            if code != 0 {
                self.push_distance(distance as u32);
            }
            if self.copy_len as usize > self.meta_left {
                return Err(corrupt("copy length past the meta-block"));
            }
            self.copy_dist = distance as usize;
            self.state = State::Copy;
        } else {
            let word_id = (distance - max - 1) as usize;
            let n = dictionary::word(self.copy_len as usize, word_id, &mut self.word)
                .ok_or(corrupt("invalid static dictionary reference"))?;
            if n > self.meta_left {
                return Err(corrupt("dictionary word past the meta-block"));
            }
            self.word_len = n;
            self.word_at = 0;
            #[cfg(test)]
            {
                self.words += 1;
            }
            self.state = State::Word;
        }
        Ok(())
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, at: u64) -> Error {
        self.state = State::Failed;
        Error::new(kind, NAME, detail).at(at)
    }
}

impl Decoder for BrotliDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        if self.state == State::Failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        if self.state == State::Done {
            return Ok(Progress { consumed: 0, produced: 0, status: Status::StreamEnd });
        }
        let held = core::mem::take(&mut self.held);
        let mut r = Reader::new(&held, input, self.held_skip);
        let mut produced = 0;
        let mut mark: Mark = r.mark();
        let (status, end, failure) = loop {
            match self.step(&mut r, output, &mut produced, &mut mark) {
                Ok(Flow::Continue) => mark = r.mark(),
                Ok(Flow::OutputFull) => break (Status::NeedOutput, None, None),
                Ok(Flow::End) => {
                    mark = r.mark();
                    break (Status::StreamEnd, None, None);
                }
                Err(Stop::Input) => break (Status::NeedInput, Some(held.len() + input.len()), None),
                Err(Stop::Corrupt(why)) => break (Status::NeedInput, None, Some((ErrorKind::Corrupt, why))),
                Err(Stop::Unsupported(why)) => break (Status::NeedInput, None, Some((ErrorKind::Unsupported, why))),
            }
        };
        r.reset(mark);
        let bit = r.bit_position();
        let from = (bit / 8) as usize;
        // Bytes held from earlier calls stay held (they are consumed input).
        let end = if status == Status::StreamEnd { from } else { end.unwrap_or(r.pulled()).max(from).max(held.len()) };
        if let Some((kind, why)) = failure {
            let at = self.base + from as u64;
            return Err(self.fail(kind, why, at));
        }
        let mut keep = Vec::new();
        if status != Status::StreamEnd {
            for i in from..end {
                let b = if i < held.len() { held.get(i) } else { input.get(i - held.len()) };
                keep.push(b.copied().unwrap_or(0));
            }
        }
        let consumed = end.saturating_sub(held.len()).min(input.len());
        self.base += from as u64;
        self.held = keep;
        self.held_skip = (bit % 8) as u32;
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        *self = Self::new();
    }
}
