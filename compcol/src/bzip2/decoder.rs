//! The bzip2 decoder: a resumable state machine over the bit stream, so
//! any split of the input and any output window (down to one byte each)
//! decodes the same.
//!
//! Entry point: [`Bzip2Decoder`]. Each header field is read only once all
//! its bits are buffered, so running out of input never loses a field;
//! the Huffman-coded symbols fill a block buffer of at most the header's
//! block size (bounded memory: 4 bytes per block byte, 3.6 MB at `-9`),
//! then the inverse transform and run-length expansion stream out of it.

use super::crc::{BlockCrc, combine};
use super::huffman::{DecodeTable, MAX_CODE_LEN};
use super::rand::RNUMS;
use super::{BLOCK_MAGIC, END_MAGIC, GROUP_SIZE, MAX_ALPHA, MAX_SELECTORS, NAME, bwt};
use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

/// Where the decoder resumes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    StreamMagic,
    BlockMagic,
    BlockCrc,
    Randomised,
    Origin,
    MapHigh,
    MapLow,
    Groups,
    Selectors,
    SelectorBits,
    TableStart,
    TableDelta,
    Symbols,
    Output,
    StreamCrc,
    /// A stream ended; a following `B` starts another one.
    StreamEnd,
    Failed,
}

/// A streaming bzip2 decoder for single- and multi-stream files.
#[derive(Debug, Clone)]
pub struct Bzip2Decoder {
    state: State,
    /// Unread bits, MSB aligned: the next bit is bit 63.
    bits: u64,
    nbits: u32,
    total_in: u64,
    /// Block size limit from the stream header.
    max_block: usize,
    block_crc: u32,
    randomised: bool,
    origin: u32,
    map_high: u16,
    map_index: usize,
    /// Byte values in use, in order (the move-to-front alphabet).
    in_use: [u8; 256],
    n_in_use: usize,
    n_groups: usize,
    n_selectors: usize,
    selectors: Vec<u8>,
    selector_index: usize,
    table: usize,
    symbol: usize,
    length: u8,
    lengths: [[u8; MAX_ALPHA]; 6],
    tables: Box<[DecodeTable; 6]>,
    // Symbol decoding.
    group: usize,
    group_left: usize,
    mtf: [u8; 256],
    run: usize,
    run_weight: usize,
    /// The block: transformed bytes, then links (see `bwt::inverse`).
    tt: Vec<u32>,
    nblock: usize,
    // Output.
    pos: u32,
    left: usize,
    last: u8,
    same: u32,
    repeat: u32,
    rand_index: usize,
    rand_togo: u32,
    crc: BlockCrc,
    stream_crc: u32,
    streams: u64,
}

impl Default for Bzip2Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Bzip2Decoder {
    /// A decoder at the start of a bzip2 file.
    #[must_use]
    pub fn new() -> Self {
        Self {
            state: State::StreamMagic,
            bits: 0,
            nbits: 0,
            total_in: 0,
            max_block: 0,
            block_crc: 0,
            randomised: false,
            origin: 0,
            map_high: 0,
            map_index: 0,
            in_use: [0; 256],
            n_in_use: 0,
            n_groups: 0,
            n_selectors: 0,
            selectors: Vec::new(),
            selector_index: 0,
            table: 0,
            symbol: 0,
            length: 0,
            lengths: [[0; MAX_ALPHA]; 6],
            tables: Box::new([const { DecodeTable::empty() }; 6]),
            group: 0,
            group_left: 0,
            mtf: [0; 256],
            run: 0,
            run_weight: 1,
            tt: Vec::new(),
            nblock: 0,
            pos: 0,
            left: 0,
            last: 0,
            same: 0,
            repeat: 0,
            rand_index: 0,
            rand_togo: 0,
            crc: BlockCrc::new(),
            stream_crc: 0,
            streams: 0,
        }
    }

    /// Streams completed so far.
    #[must_use]
    pub fn streams(&self) -> u64 {
        self.streams
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.state = State::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Buffers input bytes until `n` (<= 56) bits are available, taking no
    /// more bytes than needed (so nothing past the stream is consumed).
    #[inline]
    fn need(&mut self, n: u32, input: &[u8], ip: &mut usize) -> bool {
        while self.nbits < n {
            let Some(&b) = input.get(*ip) else { return false };
            *ip += 1;
            self.bits |= u64::from(b) << (56 - self.nbits);
            self.nbits += 8;
        }
        true
    }

    /// Takes `n` (1..=56) buffered bits.
    #[inline]
    fn take(&mut self, n: u32) -> u64 {
        let v = self.bits >> (64 - n);
        self.bits <<= n;
        self.nbits -= n;
        v
    }

    fn alpha_size(&self) -> usize {
        self.n_in_use + 2
    }

    #[allow(clippy::too_many_lines)]
    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        loop {
            match self.state {
                State::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                State::StreamMagic => {
                    if !self.need(32, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let magic = self.take(32) as u32;
                    let [b, z, h, digit] = magic.to_be_bytes();
                    if [b, z, h] != *b"BZh" {
                        return Err(self.fail(ErrorKind::Corrupt, "not a bzip2 stream (no BZh magic)", *ip));
                    }
                    if !(b'1'..=b'9').contains(&digit) {
                        return Err(self.fail(ErrorKind::Corrupt, "block size digit is not 1..9", *ip));
                    }
                    self.max_block = usize::from(digit - b'0') * 100_000;
                    if self.tt.len() != self.max_block {
                        self.tt = vec![0; self.max_block];
                    }
                    self.stream_crc = 0;
                    self.state = State::BlockMagic;
                }
                State::BlockMagic => {
                    if !self.need(48, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    match self.take(48) {
                        BLOCK_MAGIC => self.state = State::BlockCrc,
                        END_MAGIC => self.state = State::StreamCrc,
                        _ => return Err(self.fail(ErrorKind::Corrupt, "bad block or end-of-stream magic", *ip)),
                    }
                }
                State::BlockCrc => {
                    if !self.need(32, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.block_crc = self.take(32) as u32;
                    self.state = State::Randomised;
                }
                State::Randomised => {
                    if !self.need(1, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.randomised = self.take(1) == 1;
                    self.state = State::Origin;
                }
                State::Origin => {
                    if !self.need(24, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.origin = self.take(24) as u32;
                    self.state = State::MapHigh;
                }
                State::MapHigh => {
                    if !self.need(16, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.map_high = self.take(16) as u16;
                    self.map_index = 0;
                    self.n_in_use = 0;
                    self.state = State::MapLow;
                }
                State::MapLow => {
                    while self.map_index < 16 {
                        if self.map_high & (0x8000 >> self.map_index) != 0 {
                            if !self.need(16, input, ip) {
                                return Ok(Status::NeedInput);
                            }
                            let low = self.take(16) as u16;
                            for j in 0..16 {
                                if low & (0x8000 >> j) != 0 {
                                    if let Some(slot) = self.in_use.get_mut(self.n_in_use) {
                                        *slot = (self.map_index * 16 + j) as u8;
                                    }
                                    self.n_in_use += 1;
                                }
                            }
                        }
                        self.map_index += 1;
                    }
                    if self.n_in_use == 0 {
                        return Err(self.fail(ErrorKind::Corrupt, "block uses no byte values", *ip));
                    }
                    self.state = State::Groups;
                }
                State::Groups => {
                    if !self.need(18, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.n_groups = self.take(3) as usize;
                    self.n_selectors = self.take(15) as usize;
                    if !(2..=6).contains(&self.n_groups) {
                        return Err(self.fail(ErrorKind::Corrupt, "number of Huffman tables is not 2..6", *ip));
                    }
                    if self.n_selectors == 0 {
                        return Err(self.fail(ErrorKind::Corrupt, "block has no selectors", *ip));
                    }
                    self.selectors.clear();
                    self.selector_index = 0;
                    self.table = 0;
                    self.state = State::Selectors;
                }
                State::Selectors => {
                    // `table` counts the unary 1 bits of the current selector.
                    while self.selector_index < self.n_selectors {
                        if !self.need(1, input, ip) {
                            return Ok(Status::NeedInput);
                        }
                        if self.take(1) == 1 {
                            self.table += 1;
                            if self.table >= self.n_groups {
                                return Err(self.fail(ErrorKind::Corrupt, "selector out of range", *ip));
                            }
                            continue;
                        }
                        // libbzip2 1.0.8 reads but ignores selectors past
                        // its bound of 18002.
                        if self.selectors.len() < MAX_SELECTORS {
                            self.selectors.push(self.table as u8);
                        }
                        self.table = 0;
                        self.selector_index += 1;
                    }
                    self.state = State::SelectorBits;
                }
                State::SelectorBits => {
                    // Undo the selectors' move-to-front coding.
                    let mut order = [0u8, 1, 2, 3, 4, 5];
                    for s in &mut self.selectors {
                        let j = usize::from(*s);
                        let v = order.get(j).copied().unwrap_or(0);
                        if let Some(head) = order.get_mut(..=j) {
                            head.rotate_right(1);
                        }
                        *s = v;
                    }
                    self.table = 0;
                    self.state = State::TableStart;
                }
                State::TableStart => {
                    if self.table == self.n_groups {
                        self.begin_symbols();
                        continue;
                    }
                    if !self.need(5, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.length = self.take(5) as u8;
                    self.symbol = 0;
                    self.state = State::TableDelta;
                }
                State::TableDelta => {
                    while self.symbol < self.alpha_size() {
                        if !(1..=MAX_CODE_LEN as u8).contains(&self.length) {
                            return Err(self.fail(ErrorKind::Corrupt, "Huffman code length not in 1..20", *ip));
                        }
                        if !self.need(1, input, ip) {
                            return Ok(Status::NeedInput);
                        }
                        if self.bits >> 63 == 0 {
                            self.take(1);
                            if let Some(l) = self.lengths.get_mut(self.table).and_then(|t| t.get_mut(self.symbol)) {
                                *l = self.length;
                            }
                            self.symbol += 1;
                            continue;
                        }
                        if !self.need(2, input, ip) {
                            return Ok(Status::NeedInput);
                        }
                        if self.take(2) == 2 {
                            self.length = self.length.wrapping_add(1);
                        } else {
                            self.length = self.length.wrapping_sub(1);
                        }
                    }
                    let alpha = self.alpha_size();
                    let ok = match (self.lengths.get(self.table), self.tables.get_mut(self.table)) {
                        (Some(l), Some(t)) => t.build(l.get(..alpha).unwrap_or(&[])),
                        _ => false,
                    };
                    if !ok {
                        return Err(self.fail(ErrorKind::Corrupt, "Huffman code lengths over-subscribed", *ip));
                    }
                    self.table += 1;
                    self.state = State::TableStart;
                }
                State::Symbols => {
                    if !self.symbols(input, ip)? {
                        return Ok(Status::NeedInput);
                    }
                }
                State::Output => {
                    if !self.output(output, op) {
                        return Ok(Status::NeedOutput);
                    }
                    let crc = self.crc.value();
                    if crc != self.block_crc {
                        return Err(self.fail(ErrorKind::Checksum, "block CRC does not match the data", *ip));
                    }
                    self.stream_crc = combine(self.stream_crc, crc);
                    self.state = State::BlockMagic;
                }
                State::StreamCrc => {
                    if !self.need(32, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    if self.take(32) as u32 != self.stream_crc {
                        return Err(self.fail(ErrorKind::Checksum, "stream CRC does not match the blocks", *ip));
                    }
                    // The rest of the byte is padding.
                    self.bits = 0;
                    self.nbits = 0;
                    self.streams += 1;
                    self.state = State::StreamEnd;
                }
                State::StreamEnd => match input.get(*ip) {
                    Some(b'B') => self.state = State::StreamMagic,
                    _ => return Ok(Status::StreamEnd),
                },
            }
        }
    }

    fn begin_symbols(&mut self) {
        self.group = 0;
        self.group_left = 0;
        self.run = 0;
        self.run_weight = 1;
        self.nblock = 0;
        let n = self.n_in_use.min(256);
        for (slot, &b) in self.mtf.iter_mut().zip(self.in_use.get(..n).unwrap_or(&[])) {
            *slot = b;
        }
        self.state = State::Symbols;
    }

    /// Decodes symbols into the block until end of block (`true`) or end
    /// of input (`false`).
    fn symbols(&mut self, input: &[u8], ip: &mut usize) -> Result<bool, Error> {
        let eob = self.n_in_use + 1;
        let mut table = usize::from(self.selectors.get(self.group.wrapping_sub(1)).copied().unwrap_or(0));
        loop {
            if self.group_left == 0 {
                let Some(&s) = self.selectors.get(self.group) else {
                    return Err(self.fail(ErrorKind::Corrupt, "more symbols than selectors", *ip));
                };
                table = usize::from(s);
                self.group += 1;
                self.group_left = GROUP_SIZE;
            }
            // Fill greedily: a block is followed by at least 80 bits of
            // trailer, so 64 buffered bits never reach past the stream.
            while self.nbits <= 56 {
                let Some(&b) = input.get(*ip) else { break };
                *ip += 1;
                self.bits |= u64::from(b) << (56 - self.nbits);
                self.nbits += 8;
            }
            if self.nbits < 20 {
                return Ok(false);
            }
            let Some(t) = self.tables.get(table) else {
                return Err(self.fail(ErrorKind::Corrupt, "selector out of range", *ip));
            };
            let Some((sym, len)) = t.decode((self.bits >> 44) as u32) else {
                return Err(self.fail(ErrorKind::Corrupt, "invalid Huffman code", *ip));
            };
            self.take(len);
            self.group_left -= 1;
            let sym = usize::from(sym);
            if sym <= 1 {
                // RUNA / RUNB: a zero run in bijective base 2.
                self.run += self.run_weight << sym;
                self.run_weight <<= 1;
                if self.run > self.max_block {
                    return Err(self.fail(ErrorKind::Corrupt, "run longer than the block", *ip));
                }
                continue;
            }
            if self.run > 0 {
                let b = self.mtf[0];
                let end = self.nblock + self.run;
                let Some(dst) = self.tt.get_mut(self.nblock..end) else {
                    return Err(self.fail(ErrorKind::Corrupt, "block longer than the stream's block size", *ip));
                };
                dst.fill(u32::from(b));
                self.nblock = end;
                self.run = 0;
                self.run_weight = 1;
            }
            if sym == eob {
                return self.end_block(*ip).map(|()| true);
            }
            // Move-to-front position sym - 1.
            let j = sym - 1;
            let Some(head) = self.mtf.get_mut(..=j) else {
                return Err(self.fail(ErrorKind::Corrupt, "move-to-front index out of range", *ip));
            };
            head.rotate_right(1);
            let b = head.first().copied().unwrap_or(0);
            let Some(slot) = self.tt.get_mut(self.nblock) else {
                return Err(self.fail(ErrorKind::Corrupt, "block longer than the stream's block size", *ip));
            };
            *slot = u32::from(b);
            self.nblock += 1;
        }
    }

    fn end_block(&mut self, ip: usize) -> Result<(), Error> {
        let Some(block) = self.tt.get_mut(..self.nblock) else {
            return Err(self.fail(ErrorKind::Corrupt, "block longer than the stream's block size", ip));
        };
        let Some(first) = bwt::inverse(block, self.origin) else {
            return Err(self.fail(ErrorKind::Corrupt, "origin pointer outside the block", ip));
        };
        self.pos = first;
        self.left = self.nblock;
        self.same = 0;
        self.repeat = 0;
        self.rand_index = 0;
        self.rand_togo = 0;
        self.crc = BlockCrc::new();
        self.state = State::Output;
        Ok(())
    }

    /// Walks the inverse transform and expands runs into `output`; `true`
    /// when the block is done.
    fn output(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        let start = *op;
        let done = loop {
            if self.repeat > 0 {
                let room = output.len() - *op;
                let n = (self.repeat as usize).min(room);
                if let Some(dst) = output.get_mut(*op..*op + n) {
                    dst.fill(self.last);
                }
                *op += n;
                self.repeat -= n as u32;
                if self.repeat > 0 {
                    break false;
                }
            }
            if self.left == 0 {
                break true;
            }
            let Some(slot) = output.get_mut(*op) else { break false };
            let Some(&e) = self.tt.get(self.pos as usize) else {
                // Links always stay inside the block; a corrupt origin was
                // rejected before.
                self.left = 0;
                break true;
            };
            self.pos = e >> 8;
            self.left -= 1;
            let mut b = e as u8;
            if self.randomised {
                if self.rand_togo == 0 {
                    self.rand_togo = u32::from(RNUMS.get(self.rand_index).copied().unwrap_or(1));
                    self.rand_index = (self.rand_index + 1) % RNUMS.len();
                }
                self.rand_togo -= 1;
                if self.rand_togo == 1 {
                    b ^= 1;
                }
            }
            if self.same == 4 {
                // The byte after four equal ones is a repeat count.
                self.repeat = u32::from(b);
                self.same = 0;
                continue;
            }
            if self.same > 0 && b == self.last {
                self.same += 1;
            } else {
                self.last = b;
                self.same = 1;
            }
            *slot = b;
            *op += 1;
        };
        self.crc.update(output.get(start..*op).unwrap_or(&[]));
        done
    }
}

impl Decoder for Bzip2Decoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        self.state = State::StreamMagic;
        self.bits = 0;
        self.nbits = 0;
        self.total_in = 0;
        self.streams = 0;
        self.repeat = 0;
        self.left = 0;
    }
}
