//! The bzip2 encoder, byte-identical to libbzip2 1.0.8 at levels 1..=9.
//!
//! Entry point: [`Bzip2Encoder`]. Input is run-length coded (`rle1`) into
//! a block of at most `100000 * level - 19` bytes; a full block is sorted
//! ([`super::bwt`]), move-to-front and zero-run coded, and written with
//! the table choice described in [`Bzip2Encoder::write_block`].
//!
//! Flushing: bzip2 has no way to flush inside a stream (a block is only
//! decodable once the next block's magic follows), so [`Flush::Sync`] and
//! [`Flush::Full`] end the current stream; the next input starts a new
//! stream, which every bzip2 decoder concatenates (multi-stream).

use super::crc::{BlockCrc, combine};
use super::huffman::{assign_codes, code_lengths};
use super::{BLOCK_MAGIC, END_MAGIC, GROUP_SIZE, MAX_ALPHA, NAME, bwt};
use crate::pending::PendingOutput;
use crate::{Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

/// libbzip2's limit on code lengths when encoding.
const MAX_ENCODE_LEN: u32 = 17;
/// Refinement passes of the table choice.
const ITERATIONS: usize = 4;

/// MSB-first bit packer into a byte vector.
#[derive(Debug, Clone, Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u64,
    n: u32,
}

impl BitWriter {
    #[inline]
    fn put(&mut self, n: u32, v: u32) {
        self.acc = (self.acc << n) | u64::from(v);
        self.n += n;
        while self.n >= 8 {
            self.n -= 8;
            self.out.push((self.acc >> self.n) as u8);
        }
    }

    fn put48(&mut self, v: u64) {
        self.put(24, (v >> 24) as u32);
        self.put(24, (v & 0xff_ffff) as u32);
    }

    /// Pads to a byte boundary with zero bits.
    fn align(&mut self) {
        if self.n > 0 {
            self.put(8 - self.n, 0);
        }
    }
}

/// A streaming bzip2 encoder.
#[derive(Debug, Clone)]
pub struct Bzip2Encoder {
    level: u32,
    /// Largest block before it is compressed (a pending run may add 5).
    max_block: usize,
    block: Vec<u8>,
    /// The current run: byte and length (0 = none).
    run_byte: u8,
    run_len: u32,
    crc: BlockCrc,
    stream_crc: u32,
    /// Whether the stream header has been written.
    started: bool,
    bits: BitWriter,
    /// Bytes of `bits.out` already handed to the caller.
    drained: PendingOutput,
    /// The stream was ended by a finish.
    finished: bool,
    /// A stream was completed (by a flush); a finish with nothing new
    /// then writes no further empty stream.
    wrote_stream: bool,
    /// Write bzip2 0.9.0 randomised blocks (test fixtures only).
    randomise: bool,
    failed: bool,
}

impl Default for Bzip2Encoder {
    fn default() -> Self {
        Self::new(9)
    }
}

impl Bzip2Encoder {
    /// An encoder with blocks of `level` * 100 000 bytes (1..=9; values
    /// outside are clamped, as `bzip2 -N` only accepts 1..9).
    #[must_use]
    pub fn new(level: u32) -> Self {
        let level = level.clamp(1, 9);
        Self {
            level,
            max_block: level as usize * 100_000 - 19,
            block: Vec::new(),
            run_byte: 0,
            run_len: 0,
            crc: BlockCrc::new(),
            stream_crc: 0,
            started: false,
            bits: BitWriter::default(),
            drained: PendingOutput::new(),
            finished: false,
            wrote_stream: false,
            randomise: false,
            failed: false,
        }
    }

    /// Writes every block "randomised", as bzip2 0.9.0 could: the block
    /// is perturbed by the format's fixed table before sorting and the
    /// block header says so. Modern bzip2 never writes this; it exists to
    /// produce test streams for decoders (libbzip2 still decodes them).
    #[must_use]
    pub fn with_randomised_blocks(mut self) -> Self {
        self.randomise = true;
        self
    }

    /// As [`Bzip2Encoder::new`], rejecting levels outside 1..=9.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`].
    pub fn try_new(level: u32) -> Result<Self, Error> {
        if (1..=9).contains(&level) {
            Ok(Self::new(level))
        } else {
            Err(Error::new(ErrorKind::InvalidArgument, NAME, "level must be 1..=9"))
        }
    }

    /// Moves the pending run into the block: 1..=3 bytes as they are,
    /// 4..=255 as four bytes and a count of the rest.
    fn flush_run(&mut self) {
        let (b, n) = (self.run_byte, self.run_len);
        if n == 0 {
            return;
        }
        self.crc.update_repeat(b, n as usize);
        if n < 4 {
            self.block.extend(core::iter::repeat_n(b, n as usize));
        } else {
            self.block.extend_from_slice(&[b, b, b, b, (n - 4) as u8]);
        }
        self.run_len = 0;
    }

    /// Feeds input bytes until the block is full; returns bytes consumed.
    fn fill(&mut self, input: &[u8]) -> usize {
        let mut used = 0;
        for &b in input {
            if self.block.len() >= self.max_block {
                break;
            }
            if self.run_len > 0 && b == self.run_byte && self.run_len < 255 {
                self.run_len += 1;
            } else {
                self.flush_run();
                self.run_byte = b;
                self.run_len = 1;
            }
            used += 1;
        }
        used
    }

    fn start_stream(&mut self) {
        if !self.started {
            self.bits.put(24, u32::from_be_bytes([0, b'B', b'Z', b'h']));
            self.bits.put(8, u32::from(b'0') + self.level);
            self.stream_crc = 0;
            self.started = true;
        }
    }

    /// Compresses the block into the bit stream. A block that filled up
    /// leaves the pending run for the next block (as libbzip2 does); the
    /// stream's last block takes it (`with_run`).
    fn end_block(&mut self, with_run: bool) {
        self.start_stream();
        if with_run {
            self.flush_run();
        }
        if self.block.is_empty() {
            return;
        }
        let crc = self.crc.value();
        self.stream_crc = combine(self.stream_crc, crc);
        let block = core::mem::take(&mut self.block);
        self.bits.put48(BLOCK_MAGIC);
        self.bits.put(32, crc);
        self.write_block(&block);
        self.block = block;
        self.block.clear();
        self.crc = BlockCrc::new();
    }

    /// Ends the stream: last block, end magic, stream CRC, padding.
    fn end_stream(&mut self) {
        self.end_block(true);
        self.bits.put48(END_MAGIC);
        self.bits.put(32, self.stream_crc);
        self.bits.align();
        self.started = false;
        self.wrote_stream = true;
    }

    /// Writes one block after its magic and CRC: the origin pointer, the
    /// byte map, the tables and the coded symbols.
    ///
    /// The table choice follows libbzip2: the number of tables grows with
    /// the symbol count (2 below 200, 3 below 600, 4 below 1200, 5 below
    /// 2400, else 6); the first tables start as cheap (cost 0) on
    /// consecutive slices of the alphabet holding about equal shares of
    /// the symbols and expensive (15) elsewhere; then four times, every
    /// group of 50 symbols picks the cheapest table (first one on ties),
    /// and each table's lengths are rebuilt (limit 17) from the symbols
    /// that picked it. The last pass's picks are the selectors.
    #[allow(clippy::indexing_slicing)] // symbols < alpha <= 258, tables < 6
    fn write_block(&mut self, block: &[u8]) {
        let perturbed;
        let block = if self.randomise {
            perturbed = randomised(block);
            &perturbed
        } else {
            block
        };
        let (column, origin) = bwt::sort_rotations(block);
        self.bits.put(1, u32::from(self.randomise));
        self.bits.put(24, origin);

        // Move-to-front and zero runs over the bytes in use.
        let mut in_use = [false; 256];
        for &b in block {
            in_use[usize::from(b)] = true;
        }
        let mut seq = [0u8; 256];
        let mut n_in_use = 0usize;
        for (b, used) in in_use.iter().enumerate() {
            if *used {
                seq[b] = n_in_use as u8;
                n_in_use += 1;
            }
        }
        let alpha = n_in_use + 2;
        let eob = (n_in_use + 1) as u16;
        let mut mtf: Vec<u8> = (0..n_in_use as u16).map(|i| i as u8).collect();
        let mut symbols: Vec<u16> = Vec::with_capacity(block.len() + 1);
        let mut freq = [0u32; MAX_ALPHA];
        let mut zeros = 0u32;
        let emit_run = |zeros: &mut u32, symbols: &mut Vec<u16>, freq: &mut [u32; MAX_ALPHA]| {
            if *zeros == 0 {
                return;
            }
            let mut z = *zeros - 1;
            loop {
                let s = (z & 1) as u16;
                symbols.push(s);
                freq[usize::from(s)] += 1;
                if z < 2 {
                    break;
                }
                z = (z - 2) / 2;
            }
            *zeros = 0;
        };
        for &b in &column {
            let s = seq[usize::from(b)];
            if mtf[0] == s {
                zeros += 1;
                continue;
            }
            emit_run(&mut zeros, &mut symbols, &mut freq);
            let j = mtf.iter().position(|&x| x == s).unwrap_or(0);
            mtf[..=j].rotate_right(1);
            symbols.push(j as u16 + 1);
            freq[j + 1] += 1;
        }
        emit_run(&mut zeros, &mut symbols, &mut freq);
        symbols.push(eob);
        freq[usize::from(eob)] += 1;

        let n_sym = symbols.len();
        let n_groups = match n_sym {
            0..200 => 2,
            200..600 => 3,
            600..1200 => 4,
            1200..2400 => 5,
            _ => 6,
        };

        // Initial tables: slices of the alphabet with equal symbol shares.
        let mut len = [[0u8; MAX_ALPHA]; 6];
        let mut parts_left = n_groups;
        let mut remaining = n_sym as u32;
        let mut gs = 0usize;
        while parts_left > 0 {
            let target = remaining / parts_left as u32;
            let mut ge = gs as isize - 1;
            let mut acc = 0u32;
            while acc < target && ge < alpha as isize - 1 {
                ge += 1;
                acc += freq[ge as usize];
            }
            if ge > gs as isize && parts_left != n_groups && parts_left != 1 && (n_groups - parts_left) % 2 == 1 {
                acc -= freq[ge as usize];
                ge -= 1;
            }
            for (v, l) in len[parts_left - 1].iter_mut().enumerate().take(alpha) {
                *l = if v as isize >= gs as isize && v as isize <= ge { 0 } else { 15 };
            }
            parts_left -= 1;
            gs = (ge + 1) as usize;
            remaining -= acc;
        }

        let n_selectors = n_sym.div_ceil(GROUP_SIZE);
        let mut selectors = alloc::vec![0u8; n_selectors];
        for _ in 0..ITERATIONS {
            let mut rfreq = [[0u32; MAX_ALPHA]; 6];
            for (g, group) in symbols.chunks(GROUP_SIZE).enumerate() {
                let mut best = 0usize;
                let mut best_cost = u32::MAX;
                for (t, lt) in len.iter().enumerate().take(n_groups) {
                    let cost: u32 = group.iter().map(|&s| u32::from(lt[usize::from(s)])).sum();
                    if cost < best_cost {
                        best_cost = cost;
                        best = t;
                    }
                }
                selectors[g] = best as u8;
                for &s in group {
                    rfreq[best][usize::from(s)] += 1;
                }
            }
            for t in 0..n_groups {
                code_lengths(&mut len[t][..alpha], &rfreq[t][..alpha], MAX_ENCODE_LEN);
            }
        }

        // The byte map: which 16-byte ranges are used, then their bitmaps.
        let mut ranges = 0u32;
        for i in 0..16 {
            if in_use[i * 16..i * 16 + 16].iter().any(|&u| u) {
                ranges |= 0x8000 >> i;
            }
        }
        self.bits.put(16, ranges);
        for i in 0..16 {
            if ranges & (0x8000 >> i) != 0 {
                let mut m = 0u32;
                for j in 0..16 {
                    if in_use[i * 16 + j] {
                        m |= 0x8000 >> j;
                    }
                }
                self.bits.put(16, m);
            }
        }

        self.bits.put(3, n_groups as u32);
        self.bits.put(15, n_selectors as u32);
        let mut order = [0u8, 1, 2, 3, 4, 5];
        for &s in &selectors {
            let j = order.iter().position(|&x| x == s).unwrap_or(0);
            order[..=j].rotate_right(1);
            for _ in 0..j {
                self.bits.put(1, 1);
            }
            self.bits.put(1, 0);
        }

        // Code lengths, delta coded.
        for lt in len.iter().take(n_groups) {
            let mut cur = lt[0];
            self.bits.put(5, u32::from(cur));
            for &l in &lt[..alpha] {
                while cur < l {
                    self.bits.put(2, 2);
                    cur += 1;
                }
                while cur > l {
                    self.bits.put(2, 3);
                    cur -= 1;
                }
                self.bits.put(1, 0);
            }
        }

        let mut codes = [[0u32; MAX_ALPHA]; 6];
        for t in 0..n_groups {
            assign_codes(&mut codes[t][..alpha], &len[t][..alpha]);
        }
        for (g, group) in symbols.chunks(GROUP_SIZE).enumerate() {
            let t = usize::from(selectors[g]);
            for &s in group {
                let s = usize::from(s);
                self.bits.put(u32::from(len[t][s]), codes[t][s]);
            }
        }
    }

    /// Hands compressed bytes to the caller; `true` when all are out.
    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.drained.drain(&mut self.bits.out, output, op)
    }
}

/// The block with bzip2 0.9.0's perturbation applied (its own inverse:
/// the decoder flips the same bits back).
fn randomised(block: &[u8]) -> Vec<u8> {
    let mut out = block.to_vec();
    let mut index = 0usize;
    let mut togo = 0u32;
    for b in &mut out {
        if togo == 0 {
            togo = u32::from(super::rand::RNUMS.get(index).copied().unwrap_or(1));
            index = (index + 1) % super::rand::RNUMS.len();
        }
        togo -= 1;
        if togo == 1 {
            *b ^= 1;
        }
    }
    out
}

impl Encoder for Bzip2Encoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
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
            ip += self.fill(input.get(ip..).unwrap_or(&[]));
            if self.block.len() >= self.max_block {
                self.end_block(false);
                continue;
            }
            match flush {
                Flush::None => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
                Flush::Sync | Flush::Full => {
                    if self.started || !self.block.is_empty() || self.run_len > 0 {
                        self.end_stream();
                        continue;
                    }
                    return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput });
                }
                Flush::Finish => {
                    if self.started || !self.block.is_empty() || self.run_len > 0 || !self.wrote_stream {
                        self.end_stream();
                    }
                    self.finished = true;
                }
            }
        }
    }

    fn reset(&mut self) {
        self.block.clear();
        self.run_len = 0;
        self.crc = BlockCrc::new();
        self.stream_crc = 0;
        self.started = false;
        self.bits = BitWriter::default();
        self.drained = PendingOutput::new();
        self.finished = false;
        self.wrote_stream = false;
        self.failed = false;
    }
}
