//! The brotli encoder: LZ77 parsing with hash chains, then one meta-block
//! per chunk with its own literal, command and distance prefix codes.
//!
//! Entry point: [`BrotliEncoder`]. Qualities 0..=3 parse greedily (0 and
//! 1 with a single hash slot, 2 and 3 walking short chains); 4..=11 look
//! one position ahead (lazy matching) over ever deeper chains. Every
//! match first tries the last distance, which costs no distance symbol.
//! A meta-block that would not shrink is stored uncompressed. Not done:
//! block splitting, literal context modelling and dictionary references
//! on encode (the decoder handles all of them).
//!
//! Flushing: [`Flush::Sync`] and [`Flush::Full`] end the current
//! meta-block and add an empty metadata block, which pads the stream to
//! a byte boundary, so everything consumed so far decodes; `Full` also
//! stops later matches from reaching back before that point.

use super::NAME;
use super::prefix::{BitWriter, Code};
use super::tables::{CELLS, COPY_CODES, INSERT_CODES};
use crate::pending::PendingOutput;
use crate::{Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

/// Shortest match the parser emits.
const MIN_MATCH: usize = 4;
/// Longest match the parser looks for.
const MAX_MATCH: usize = 1 << 16;

/// One LZ77 command: `insert` literals, then `copy` bytes from
/// `distance` back (copy 0 = the meta-block's trailing literals).
#[derive(Debug, Clone, Copy)]
struct Command {
    insert: u32,
    copy: u32,
    distance: u32,
}

/// Parser settings per quality.
#[derive(Debug, Clone, Copy)]
struct Params {
    hash_bits: u32,
    chain: usize,
    lazy: bool,
    nice: usize,
    block: usize,
}

fn params(quality: u32) -> Params {
    let (hash_bits, chain, lazy, nice) = match quality {
        0 => (14, 1, false, 32),
        1 => (15, 1, false, 48),
        2 => (16, 4, false, 64),
        3 => (16, 8, false, 96),
        4 => (16, 8, true, 96),
        5 => (16, 16, true, 128),
        6 => (16, 32, true, 160),
        7 => (17, 64, true, 192),
        8 => (17, 128, true, 256),
        9 => (17, 256, true, 512),
        10 => (17, 512, true, 1024),
        _ => (17, 2048, true, 4096),
    };
    Params { hash_bits, chain, lazy, nice, block: if quality < 2 { 1 << 16 } else { 1 << 18 } }
}

/// A streaming brotli encoder.
#[derive(Debug, Clone)]
pub struct BrotliEncoder {
    quality: u32,
    lgwin: u32,
    p: Params,
    /// History (up to a window) followed by the input not yet encoded.
    buf: Vec<u8>,
    /// Where matches may start looking back (raised by a full flush).
    hist_start: usize,
    /// The first byte of `buf` not yet encoded.
    pending: usize,
    /// Bytes of the stream before `buf[0]`.
    base: u64,
    /// Hash heads and chains, holding `buf` index + 1 (0 = empty).
    head: Vec<u32>,
    prev: Vec<u32>,
    /// The positions up to which hashes were inserted.
    hashed: usize,
    ring: [u32; 4],
    ring_at: usize,
    bits: BitWriter,
    drained: PendingOutput,
    started: bool,
    /// Input arrived since the last flush.
    dirty: bool,
    finished: bool,
    failed: bool,
}

impl BrotliEncoder {
    /// An encoder at `quality` (0..=11, clamped) with a 22-bit window.
    #[must_use]
    pub fn new(quality: u32) -> Self {
        Self::build(quality.min(11), 22)
    }

    /// An encoder at `quality` (0..=11) with a window of `lgwin` (10..=24)
    /// bits.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for values out of range.
    pub fn try_new(quality: u32, lgwin: u32) -> Result<Self, Error> {
        if quality > 11 {
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, "quality must be 0..=11"));
        }
        if !(10..=24).contains(&lgwin) {
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, "window must be 10..=24 bits"));
        }
        Ok(Self::build(quality, lgwin))
    }

    fn build(quality: u32, lgwin: u32) -> Self {
        let p = params(quality);
        let chain_len = if p.chain > 1 { 1usize << lgwin.min(18) } else { 0 };
        Self {
            quality,
            lgwin,
            p,
            buf: Vec::new(),
            hist_start: 0,
            pending: 0,
            base: 0,
            head: vec![0; 1 << p.hash_bits],
            prev: vec![0; chain_len],
            hashed: 0,
            ring: [16, 15, 11, 4],
            ring_at: 3,
            bits: BitWriter::default(),
            drained: PendingOutput::new(),
            started: false,
            dirty: false,
            finished: false,
            failed: false,
        }
    }

    /// The quality this encoder was built with.
    #[must_use]
    pub fn quality(&self) -> u32 {
        self.quality
    }

    /// The largest distance a decoder accepts: the window less 16.
    fn max_distance(&self) -> usize {
        (1usize << self.lgwin) - 16
    }

    fn write_header(&mut self) {
        match self.lgwin {
            16 => self.bits.put(1, 0),
            17 => self.bits.put(7, 1),
            w if w > 17 => self.bits.put(4, ((w - 17) << 1) | 1),
            w => self.bits.put(7, ((w - 8) << 4) | 1),
        }
        self.started = true;
    }

    #[inline]
    fn hash(&self, at: usize) -> usize {
        let v = match self.buf.get(at..at + 4) {
            Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
            _ => 0,
        };
        (v.wrapping_mul(0x1E35_A7BD) >> (32 - self.p.hash_bits)) as usize
    }

    /// Enters positions up to `to` (exclusive) into the hash chains.
    fn insert_to(&mut self, to: usize, end: usize) {
        while self.hashed < to && self.hashed + 4 <= end {
            let h = self.hash(self.hashed);
            let old = self.head.get(h).copied().unwrap_or(0);
            if !self.prev.is_empty() {
                let mask = self.prev.len() - 1;
                if let Some(slot) = self.prev.get_mut(self.hashed & mask) {
                    *slot = old;
                }
            }
            if let Some(slot) = self.head.get_mut(h) {
                *slot = self.hashed as u32 + 1;
            }
            self.hashed += 1;
        }
        self.hashed = self.hashed.max(to.min(end));
    }

    /// Length of the common prefix of `buf[a..]` and `buf[b..]`, up to
    /// `limit`.
    #[inline]
    fn common(&self, a: usize, b: usize, limit: usize) -> usize {
        let (Some(x), Some(y)) = (self.buf.get(a..a + limit), self.buf.get(b..b + limit)) else { return 0 };
        let mut n = 0;
        for (cx, cy) in x.chunks(8).zip(y.chunks(8)) {
            if let (Ok(ax), Ok(ay)) = (<[u8; 8]>::try_from(cx), <[u8; 8]>::try_from(cy)) {
                let d = u64::from_le_bytes(ax) ^ u64::from_le_bytes(ay);
                if d != 0 {
                    return n + (d.trailing_zeros() / 8) as usize;
                }
                n += 8;
            } else {
                return n + cx.iter().zip(cy).take_while(|(p, q)| p == q).count();
            }
        }
        n
    }

    /// The best match at `at` (length, distance), trying the last
    /// distance first; length 0 when none reaches [`MIN_MATCH`].
    fn find(&self, at: usize, end: usize, last: usize) -> (usize, usize) {
        let limit = (end - at).min(MAX_MATCH);
        if limit < MIN_MATCH {
            return (0, 0);
        }
        let lowest = self.hist_start.max(at.saturating_sub(self.max_distance()));
        let (mut best_len, mut best_dist) = (0, 0);
        if last <= at - lowest && last > 0 {
            let n = self.common(at, at - last, limit);
            if n >= MIN_MATCH {
                // The last distance costs no distance symbol.
                best_len = n;
                best_dist = last;
                if n >= self.p.nice {
                    return (n, last);
                }
            }
        }
        let mut cand = self.head.get(self.hash(at)).copied().unwrap_or(0) as usize;
        let mut depth = self.p.chain;
        let mask = self.prev.len().wrapping_sub(1);
        while cand > 0 && depth > 0 {
            let c = cand - 1;
            if c >= at || c < lowest {
                break;
            }
            if self.buf.get(c + best_len) == self.buf.get(at + best_len) {
                let n = self.common(at, c, limit);
                if n > best_len + usize::from(best_dist == last) && n >= MIN_MATCH {
                    best_len = n;
                    best_dist = at - c;
                    if n >= self.p.nice {
                        break;
                    }
                }
            }
            depth -= 1;
            if self.prev.is_empty() || at - c > mask {
                break;
            }
            let next = self.prev.get(c & mask).copied().unwrap_or(0) as usize;
            if next == 0 || next > c {
                break;
            }
            cand = next;
        }
        (best_len, best_dist)
    }

    /// LZ77 commands for `buf[start..end]`.
    fn parse(&mut self, start: usize, end: usize) -> Vec<Command> {
        let mut cmds = Vec::new();
        let mut lit_start = start;
        let mut at = start;
        let mut last = self.ring.get(self.ring_at).copied().unwrap_or(4) as usize;
        while at < end {
            self.insert_to(at, end);
            let (mut len, mut dist) = self.find(at, end, last);
            if len == 0 {
                at += 1;
                continue;
            }
            if self.p.lazy {
                while at + 1 < end {
                    self.insert_to(at + 1, end);
                    let (l2, d2) = self.find(at + 1, end, last);
                    let gain = if d2 == last { 0 } else { 1 };
                    if l2 > len + gain {
                        at += 1;
                        len = l2;
                        dist = d2;
                    } else {
                        break;
                    }
                }
            }
            cmds.push(Command { insert: (at - lit_start) as u32, copy: len as u32, distance: dist as u32 });
            last = dist;
            at += len;
            let to = if self.quality < 2 { (at - len + 1).min(end) } else { at };
            self.insert_to(to, end);
            self.hashed = self.hashed.max(at.min(end));
            lit_start = at;
        }
        if lit_start < end {
            cmds.push(Command { insert: (end - lit_start) as u32, copy: 0, distance: 0 });
        }
        cmds
    }

    /// Compresses `buf[pending..end]` into one meta-block (or a stored
    /// one if that is smaller).
    fn meta_block(&mut self, end: usize) {
        let start = self.pending;
        if end <= start {
            return;
        }
        let mlen = end - start;
        let cmds = self.parse(start, end);
        let saved_ring = (self.ring, self.ring_at);
        let saved_bits = self.bits.save();
        // Symbols first, so the codes can be built from their counts.
        let mut lit_freq = vec![0u32; 256];
        let mut cmd_freq = vec![0u32; 704];
        let mut dist_freq = vec![0u32; 64];
        // (command symbol, insert extra, copy extra, distance symbol or
        // u16::MAX, distance extra bits, distance extra)
        let mut coded: Vec<(u16, u32, u32, u16, u32, u32)> = Vec::with_capacity(cmds.len());
        for c in &cmds {
            let ic = code_for(&INSERT_CODES, c.insert);
            let (copy, cc) = if c.copy == 0 { (2, 0) } else { (c.copy, code_for(&COPY_CODES, c.copy)) };
            let (dsym, dbits, dextra) = if c.copy == 0 {
                (u16::MAX, 0, 0)
            } else if c.distance == self.ring.get(self.ring_at).copied().unwrap_or(0) {
                (0, 0, 0)
            } else {
                self.ring_at = (self.ring_at + 1) & 3;
                if let Some(r) = self.ring.get_mut(self.ring_at) {
                    *r = c.distance;
                }
                distance_code(c.distance)
            };
            let implicit = dsym == 0 || dsym == u16::MAX;
            let sym = command_symbol(ic, cc, implicit);
            let (ibase, _) = INSERT_CODES.get(ic).copied().unwrap_or((0, 0));
            let (cbase, _) = COPY_CODES.get(cc).copied().unwrap_or((2, 0));
            if let Some(f) = cmd_freq.get_mut(usize::from(sym)) {
                *f += 1;
            }
            let explicit = sym >= 128 && dsym != u16::MAX;
            if explicit && let Some(f) = dist_freq.get_mut(usize::from(dsym)) {
                *f += 1;
            }
            coded.push((sym, c.insert - ibase, copy - cbase, if explicit { dsym } else { u16::MAX }, dbits, dextra));
        }
        let mut at = start;
        for c in &cmds {
            for &b in self.buf.get(at..at + c.insert as usize).unwrap_or(&[]) {
                if let Some(f) = lit_freq.get_mut(usize::from(b)) {
                    *f += 1;
                }
            }
            at += (c.insert + c.copy) as usize;
        }
        let lit = Code::build(&lit_freq);
        let cmd = Code::build(&cmd_freq);
        let dist = Code::build(&dist_freq);
        self.meta_header(mlen, false);
        // NBLTYPESL/I/D = 1, NPOSTFIX = 0, NDIRECT = 0, context mode LSB6,
        // NTREESL = 1, NTREESD = 1.
        self.bits.put(3, 0);
        self.bits.put(6, 0);
        self.bits.put(2, 0);
        self.bits.put(2, 0);
        lit.write(&mut self.bits);
        cmd.write(&mut self.bits);
        dist.write(&mut self.bits);
        let mut at = start;
        for (c, &(sym, iextra, cextra, dsym, dbits, dextra)) in cmds.iter().zip(&coded) {
            cmd.put(&mut self.bits, usize::from(sym));
            let (ic, cc, _) = super::tables::command_cell(sym);
            self.bits.put(u32::from(INSERT_CODES.get(ic).map_or(0, |x| x.1)), iextra);
            self.bits.put(u32::from(COPY_CODES.get(cc).map_or(0, |x| x.1)), cextra);
            for &b in self.buf.get(at..at + c.insert as usize).unwrap_or(&[]) {
                lit.put(&mut self.bits, usize::from(b));
            }
            if dsym != u16::MAX {
                dist.put(&mut self.bits, usize::from(dsym));
                self.bits.put(dbits, dextra);
            }
            at += (c.insert + c.copy) as usize;
        }
        let _ = lit.cost(0);
        if self.bits.since(saved_bits) > mlen + 8 {
            // Stored is smaller: rewrite as an uncompressed meta-block.
            self.bits.rewind(saved_bits);
            (self.ring, self.ring_at) = saved_ring;
            self.meta_header(mlen, true);
            self.bits.align();
            if let Some(raw) = self.buf.get(start..end) {
                self.bits.out.extend_from_slice(raw);
            }
        }
        self.pending = end;
    }

    /// ISLAST = 0, MNIBBLES, MLEN - 1, ISUNCOMPRESSED.
    fn meta_header(&mut self, mlen: usize, uncompressed: bool) {
        let m = (mlen - 1) as u32;
        let nibbles = if m < 1 << 16 {
            4
        } else if m < 1 << 20 {
            5
        } else {
            6
        };
        self.bits.put(1, 0);
        self.bits.put(2, nibbles - 4);
        self.bits.put(nibbles * 4, m);
        self.bits.put(1, u32::from(uncompressed));
    }

    /// Encodes pending input in blocks while at least `keep` remain
    /// (`keep` 0 = everything), then slides the history.
    fn compress_pending(&mut self, all: bool) {
        while self.buf.len() - self.pending >= self.p.block || (all && self.buf.len() > self.pending) {
            let end = (self.pending + self.p.block).min(self.buf.len());
            self.meta_block(end);
        }
        let window = 1usize << self.lgwin;
        // Shift by whole chain tables, so `prev` slots keep their meaning.
        let unit = self.prev.len().max(1);
        let shift = self.pending.saturating_sub(window) / unit * unit;
        if self.pending > window + self.p.block && shift > 0 {
            self.buf.drain(..shift);
            self.base += shift as u64;
            self.pending -= shift;
            self.hashed = self.hashed.saturating_sub(shift);
            self.hist_start = self.hist_start.saturating_sub(shift);
            let s = shift as u32;
            for v in self.head.iter_mut().chain(self.prev.iter_mut()) {
                *v = v.saturating_sub(s);
            }
        }
    }

    /// Copies buffered output out; false while some remains.
    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.drained.drain(&mut self.bits.out, output, op)
    }
}

/// The code of a length table whose range holds `v`.
fn code_for(table: &[(u32, u8)], v: u32) -> usize {
    table.iter().rposition(|&(base, _)| base <= v).unwrap_or(0)
}

/// The command symbol for insert code `ic`, copy code `cc`.
fn command_symbol(ic: usize, cc: usize, implicit: bool) -> u16 {
    let (ig, cg) = ((ic >> 3) as u8, (cc >> 3) as u8);
    let cell = CELLS
        .iter()
        .position(|&(i, c, imp)| i >> 3 == ig && c >> 3 == cg && imp == (implicit && ic < 8 && cc < 16))
        .or_else(|| CELLS.iter().position(|&(i, c, imp)| i >> 3 == ig && c >> 3 == cg && !imp))
        .unwrap_or(2);
    ((cell << 6) | ((ic & 7) << 3) | (cc & 7)) as u16
}

/// Distance symbol, extra bit count and extra bits for `d` with
/// NPOSTFIX = 0, NDIRECT = 0 (section 4).
fn distance_code(d: u32) -> (u16, u32, u32) {
    let v = d + 3;
    let log = 31 - v.leading_zeros();
    let nbits = log - 1;
    let prefix = (v >> nbits) & 1;
    let hcode = 2 * (nbits - 1) + prefix;
    (16 + hcode as u16, nbits, v - ((2 + prefix) << nbits))
}

impl Encoder for BrotliEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let (mut ip, mut op) = (0, 0);
        loop {
            if !self.drain(output, &mut op) {
                return Ok(Progress { consumed: ip, produced: op, status: Status::NeedOutput });
            }
            if self.finished {
                if ip < input.len() {
                    self.failed = true;
                    return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
                }
                return Ok(Progress { consumed: ip, produced: op, status: Status::StreamEnd });
            }
            if !self.started {
                self.write_header();
            }
            // At most one block waits, so the buffered output stays
            // bounded by one meta-block.
            let rest = input.get(ip..).unwrap_or(&[]);
            let room = self.p.block - (self.buf.len() - self.pending);
            let take = rest.len().min(room);
            self.buf.extend_from_slice(rest.get(..take).unwrap_or(&[]));
            ip += take;
            if take > 0 {
                self.dirty = true;
            }
            if self.buf.len() - self.pending >= self.p.block {
                self.compress_pending(false);
                continue;
            }
            match flush {
                Flush::Sync | Flush::Full if self.dirty => {
                    self.compress_pending(true);
                    // An empty metadata block pads to a byte boundary.
                    self.bits.put(1, 0);
                    self.bits.put(2, 3);
                    self.bits.put(1, 0);
                    self.bits.put(2, 0);
                    self.bits.align();
                    self.dirty = false;
                    if flush == Flush::Full {
                        self.hist_start = self.pending;
                    }
                }
                Flush::Finish => {
                    self.compress_pending(true);
                    // ISLAST, ISLASTEMPTY, then zero bits to a byte.
                    self.bits.put(2, 3);
                    self.bits.align();
                    self.finished = true;
                }
                _ => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
            }
        }
    }

    fn reset(&mut self) {
        *self = Self::build(self.quality, self.lgwin);
    }
}
