//! The `.Z` encoder, written to produce the same bytes as compress(1).
//!
//! Entry point: [`LzwEncoder`]. compress(1) reads its input in 8 KiB
//! pieces and works through each piece in runs whose length it bounds
//! by the codes left before the next width change, by its output buffer
//! and by the next compression-ratio checkpoint; the width change and
//! the ratio check (which clears the table in block mode when the ratio
//! drops) happen only between runs, when the current string is a single
//! byte. The same schedule is reproduced here, so that the CLEAR codes and
//! group padding fall where compress(1) puts them.

use super::{BLOCK_MODE, CLEAR, FIRST, MAGIC, NAME};
use crate::pending::PendingOutput;
use crate::{Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

/// compress(1)'s input piece.
const READ_SIZE: usize = 8192;
/// Its output buffer: flushed in 8 KiB steps, 10 KiB long.
const OUT_FLUSH_BITS: u64 = 8192 * 8;
const OUT_LIMIT_BITS: u64 = (8192 + 2048 - 32) * 8;
/// Bytes between compression-ratio checks once the table is full.
const CHECK_GAP: u64 = 10_000;
const HASH_BITS: u32 = 17;

/// A streaming `.Z` encoder.
#[derive(Debug, Clone)]
pub struct LzwEncoder {
    max_bits: u32,
    block_mode: bool,
    // The dictionary: open-addressing hash from (prefix << 8 | byte) to
    // code; `stamp` marks live slots so clearing is O(1).
    keys: Vec<u32>,
    codes: Vec<u16>,
    stamp: Vec<u16>,
    generation: u16,
    // compress(1)'s schedule state.
    ent: Option<u32>,
    free: u32,
    n_bits: u32,
    ext_code: u32,
    adding: bool,
    bytes_in: u64,
    checkpoint: u64,
    ratio: u64,
    total_bits: u64,
    flushed_bits: u64,
    seg_start: u64,
    // Input gathered into one 8 KiB piece.
    piece: Vec<u8>,
    // Output bits not yet whole bytes, and bytes not yet handed out.
    acc: u64,
    acc_bits: u32,
    pending: Vec<u8>,
    pending_pos: PendingOutput,
    started: bool,
    finished: bool,
    failed: bool,
}

impl LzwEncoder {
    /// A block-mode encoder with codes up to 16 bits (compress's default).
    #[must_use]
    pub fn new() -> Self {
        Self::with_bits(16)
    }

    /// A block-mode encoder with codes up to `max_bits` (clamped to
    /// 10..=16), as `compress -b N`. (`compress -b 9` writes streams that
    /// its own `uncompress` rejects: it assigns code 512 while still
    /// writing 9-bit codes; so 9 is raised to 10 here.)
    #[must_use]
    pub fn with_bits(max_bits: u32) -> Self {
        let max_bits = max_bits.clamp(10, 16);
        let mut e = Self {
            max_bits,
            block_mode: true,
            keys: vec![0; 1 << HASH_BITS],
            codes: vec![0; 1 << HASH_BITS],
            stamp: vec![0; 1 << HASH_BITS],
            generation: 1,
            ent: None,
            free: FIRST,
            n_bits: 9,
            ext_code: 0,
            adding: true,
            bytes_in: 0,
            checkpoint: CHECK_GAP,
            ratio: 0,
            total_bits: 24,
            flushed_bits: 0,
            seg_start: 24,
            piece: Vec::with_capacity(READ_SIZE),
            acc: 0,
            acc_bits: 0,
            pending: Vec::new(),
            pending_pos: PendingOutput::new(),
            started: false,
            finished: false,
            failed: false,
        };
        e.ext_code = e.first_ext_code();
        e
    }

    /// The `free` value that triggers the next width change (one past
    /// 2^n, as compress(1) counts) or, at the widest, a full table.
    fn first_ext_code(&self) -> u32 {
        if self.n_bits < self.max_bits { (1 << self.n_bits) + 1 } else { 1 << self.n_bits }
    }

    fn clear_table(&mut self) {
        self.generation = self.generation.wrapping_add(1);
        if self.generation == 0 {
            self.stamp.fill(0);
            self.generation = 1;
        }
    }

    #[inline(always)]
    fn slot(key: u32) -> usize {
        (key.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize
    }

    /// The code for `key`, or the free slot where it would go.
    #[inline(always)]
    fn lookup(&self, key: u32) -> Result<u32, usize> {
        let mut i = Self::slot(key);
        loop {
            if self.stamp.get(i).copied() != Some(self.generation) {
                return Err(i);
            }
            if self.keys.get(i).copied() == Some(key) {
                return Ok(u32::from(self.codes.get(i).copied().unwrap_or(0)));
            }
            i = (i + 1) & ((1 << HASH_BITS) - 1);
        }
    }

    #[inline(always)]
    fn put_code(&mut self, code: u32) {
        self.acc |= u64::from(code) << self.acc_bits;
        self.acc_bits += self.n_bits;
        self.total_bits += u64::from(self.n_bits);
        while self.acc_bits >= 8 {
            self.pending.push(self.acc as u8);
            self.acc >>= 8;
            self.acc_bits -= 8;
        }
    }

    /// Pads with zero bits to the end of the current group of eight codes
    /// (counted from `seg_start`), as compress(1) does at a width change
    /// or CLEAR.
    fn pad_group(&mut self) {
        let group = u64::from(self.n_bits) * 8;
        let used = self.total_bits - self.seg_start;
        let pad = (group - used % group) % group;
        for _ in 0..pad {
            self.acc_bits += 1;
            if self.acc_bits == 8 {
                self.pending.push(self.acc as u8);
                self.acc = 0;
                self.acc_bits = 0;
            }
        }
        self.total_bits += pad;
        self.seg_start = self.total_bits;
    }

    /// The checks compress(1) makes between runs, then the next run's end.
    fn between_runs(&mut self, rlop: usize, rsize: usize) -> usize {
        let single = self.ent.is_some_and(|e| e < FIRST);
        if self.free >= self.ext_code && single {
            if self.n_bits < self.max_bits {
                self.pad_group();
                self.n_bits += 1;
                self.ext_code = self.first_ext_code();
            } else {
                self.ext_code = (1 << 16) + 8192;
                self.adding = false;
            }
        }
        if !self.adding && self.bytes_in >= self.checkpoint && single {
            self.checkpoint = self.bytes_in + CHECK_GAP;
            let out = self.total_bits >> 3;
            let rat = if self.bytes_in > 0x007f_ffff {
                match out >> 8 {
                    0 => 0x7fff_ffff,
                    r => self.bytes_in / r,
                }
            } else {
                (self.bytes_in << 8) / out.max(1)
            };
            if rat >= self.ratio {
                self.ratio = rat;
            } else if self.block_mode {
                self.ratio = 0;
                self.clear_table();
                self.put_code(CLEAR);
                self.pad_group();
                self.n_bits = 9;
                self.ext_code = self.first_ext_code();
                self.free = FIRST;
                self.adding = true;
            }
        }
        let buffered = self.total_bits - self.flushed_bits;
        if buffered >= OUT_FLUSH_BITS {
            self.flushed_bits += OUT_FLUSH_BITS;
        }
        let buffered = self.total_bits - self.flushed_bits;
        let mut i = (rsize - rlop) as u64;
        i = i.min(u64::from(self.ext_code.saturating_sub(self.free)));
        i = i.min(OUT_LIMIT_BITS.saturating_sub(buffered) / u64::from(self.n_bits));
        if !self.adding {
            i = i.min(self.checkpoint.saturating_sub(self.bytes_in));
        }
        self.bytes_in += i;
        rlop + i as usize
    }

    /// Works through one input piece, as one read() of compress(1).
    fn process_piece(&mut self) {
        let piece = core::mem::take(&mut self.piece);
        let rsize = piece.len();
        let mut rpos = 0;
        if self.ent.is_none() {
            self.ent = piece.first().map(|&b| u32::from(b));
            rpos = 1;
        }
        let mut rlop = 0;
        while rlop < rsize {
            rlop = self.between_runs(rlop, rsize);
            while let Some(ent) = self.ent {
                if rpos >= rlop && (ent < FIRST || rpos >= rsize) {
                    break;
                }
                let Some(&c) = piece.get(rpos) else { break };
                rpos += 1;
                let key = ent << 8 | u32::from(c);
                match self.lookup(key) {
                    Ok(code) => self.ent = Some(code),
                    Err(slot) => {
                        self.put_code(ent);
                        if self.adding {
                            if let (Some(k), Some(v), Some(s)) =
                                (self.keys.get_mut(slot), self.codes.get_mut(slot), self.stamp.get_mut(slot))
                            {
                                *k = key;
                                *v = self.free as u16;
                                *s = self.generation;
                            }
                            self.free += 1;
                        }
                        self.ent = Some(u32::from(c));
                    }
                }
            }
            // Bytes taken past the run's end (to finish a string) count
            // as scheduled input too.
            if rpos > rlop {
                self.bytes_in += (rpos - rlop) as u64;
                rlop = rpos;
            }
        }
        self.piece = piece;
        self.piece.clear();
    }

    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.pending_pos.drain(&mut self.pending, output, op)
    }
}

impl Default for LzwEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder for LzwEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        if !self.started {
            let [m0, m1] = MAGIC;
            let flags = self.max_bits as u8 | if self.block_mode { BLOCK_MODE } else { 0 };
            self.pending.extend_from_slice(&[m0, m1, flags]);
            self.started = true;
        }
        let mut ip = 0;
        let mut op = 0;
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
            let take = (READ_SIZE - self.piece.len()).min(input.len() - ip);
            self.piece.extend_from_slice(input.get(ip..ip + take).unwrap_or(&[]));
            ip += take;
            if self.piece.len() == READ_SIZE {
                self.process_piece();
                continue;
            }
            if flush != Flush::Finish {
                // compress(1) has no flush: its output depends on whole pieces.
                return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput });
            }
            if !self.piece.is_empty() {
                self.process_piece();
            }
            if let Some(ent) = self.ent {
                self.put_code(ent);
            }
            if self.acc_bits > 0 {
                self.pending.push(self.acc as u8);
                self.acc = 0;
                self.acc_bits = 0;
            }
            self.finished = true;
        }
    }

    fn reset(&mut self) {
        let (keys, codes, stamp) =
            (core::mem::take(&mut self.keys), core::mem::take(&mut self.codes), core::mem::take(&mut self.stamp));
        *self = Self::with_bits(self.max_bits);
        self.keys = keys;
        self.codes = codes;
        self.stamp = stamp;
        self.clear_table();
    }
}
