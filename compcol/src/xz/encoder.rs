//! The encoders: `.xz` ([`XzEncoder`] with [`XzOptions`]: preset 0..=9,
//! extreme, check, BCJ / delta filters, block size), `.lzma`
//! ([`LzmaEncoder`]) and raw LZMA2 ([`Lzma2Encoder`]).
//!
//! Input is filtered (BCJ / delta, encode direction), buffered in the
//! [`LzWriter`] window and coded a megabyte at a time; packed bytes wait
//! in an output queue until the caller's slice takes them.

use super::bcj::{Bcj, Delta};
use super::chain::Filter;
use super::check::{Check, Checker};
use super::lzma_enc::Tuning;
use super::lzma2_enc::LzWriter;
use super::model::Props;
use super::{HEADER_MAGIC, NAME};
use crate::checksum::crc32;
use crate::pending::PendingOutput;
use crate::{Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

/// `.xz` encoder settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct XzOptions {
    preset: u32,
    extreme: bool,
    check: Check,
    filters: Vec<Filter>,
    block_size: Option<u64>,
    props: Props,
}

impl XzOptions {
    /// Preset 0..=9 (xz's -0..-9; larger values are clamped to 9): the
    /// dictionary is 256 KiB, 1, 2, 4, 4, 8, 8, 16, 32, 64 MiB.
    #[must_use]
    pub fn new(preset: u32) -> Self {
        Self {
            preset: preset.min(9),
            extreme: false,
            check: Check::Crc64,
            filters: Vec::new(),
            block_size: None,
            props: Props::DEFAULT,
        }
    }

    /// xz's -e: slower, searching harder.
    #[must_use]
    pub const fn extreme(mut self, on: bool) -> Self {
        self.extreme = on;
        self
    }

    /// The integrity check (default CRC64, as xz).
    #[must_use]
    pub const fn check(mut self, check: Check) -> Self {
        self.check = check;
        self
    }

    /// BCJ / delta filters applied before LZMA2, in order (at most three;
    /// [`Filter::Lzma2`] entries are ignored, LZMA2 is always last).
    #[must_use]
    pub fn filters(mut self, filters: &[Filter]) -> Self {
        self.filters = filters.iter().copied().filter(|f| !matches!(f, Filter::Lzma2(_))).take(3).collect();
        self
    }

    /// Starts a new block every `bytes` of input (xz's --block-size).
    #[must_use]
    pub const fn block_size(mut self, bytes: u64) -> Self {
        self.block_size = Some(if bytes == 0 { 1 } else { bytes });
        self
    }

    /// Literal context / position bits (lc + lp <= 4 for LZMA2).
    #[must_use]
    pub const fn props(mut self, props: Props) -> Self {
        self.props = props;
        self
    }

    fn tuning(&self) -> Tuning {
        Tuning::preset(self.preset, self.extreme)
    }
}

/// One BCJ / delta stage on the encode side.
#[derive(Debug, Clone)]
enum EncConv {
    Bcj(Bcj),
    Delta(alloc::boxed::Box<Delta>),
}

#[derive(Debug, Clone)]
struct EncStage {
    conv: EncConv,
    pending: Vec<u8>,
}

impl EncStage {
    fn new(f: Filter) -> Option<Self> {
        let conv = match f {
            Filter::Bcj(a, s) => EncConv::Bcj(Bcj::new(a, true, s)),
            Filter::Delta(d) => EncConv::Delta(alloc::boxed::Box::new(Delta::new(true, d.clamp(1, 256)))),
            Filter::Lzma2(_) => return None,
        };
        Some(Self { conv, pending: Vec::new() })
    }

    /// Filters `data`; returns the finished bytes (all of them at `last`).
    fn push(&mut self, data: &[u8], last: bool) -> Vec<u8> {
        let start = self.pending.len();
        self.pending.extend_from_slice(data);
        match &mut self.conv {
            EncConv::Delta(d) => d.convert(self.pending.get_mut(start..).unwrap_or(&mut [])),
            EncConv::Bcj(_) => {}
        }
        let n = match &mut self.conv {
            EncConv::Bcj(b) => b.convert(&mut self.pending),
            EncConv::Delta(_) => self.pending.len(),
        };
        let n = if last { self.pending.len() } else { n };
        self.pending.drain(..n).collect()
    }
}

/// Encodes the LZMA2 dictionary size as its properties byte.
fn dict_byte(dict: u32) -> u8 {
    (0..40u8).find(|&b| super::lzma2_dec::dict_size_from_byte(b).is_some_and(|d| d >= dict)).unwrap_or(40)
}

fn put_vli(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    Blocks,
    Done,
}

/// An `.xz` encoder writing one stream.
#[derive(Debug, Clone)]
pub struct XzEncoder {
    opts: XzOptions,
    lz: LzWriter,
    stages: Vec<EncStage>,
    out: Vec<u8>,
    out_pos: PendingOutput,
    phase: Phase,
    in_block: bool,
    block_in: u64,
    block_packed: u64,
    block_hdr: u64,
    checker: Checker,
    records: Vec<(u64, u64)>,
}

impl XzEncoder {
    /// An encoder at `preset` (0..=9) with CRC64 and no filters.
    #[must_use]
    pub fn new(preset: u32) -> Self {
        Self::with_options(XzOptions::new(preset))
    }

    /// An encoder with these options.
    #[must_use]
    pub fn with_options(opts: XzOptions) -> Self {
        let lz = LzWriter::new(opts.props, opts.tuning());
        Self {
            stages: Vec::new(),
            lz,
            out: Vec::new(),
            out_pos: PendingOutput::new(),
            phase: Phase::Header,
            in_block: false,
            block_in: 0,
            block_packed: 0,
            block_hdr: 0,
            checker: Checker::new(opts.check),
            records: Vec::new(),
            opts,
        }
    }

    fn begin_block(&mut self) {
        let mut h = alloc::vec![0u8, (self.opts.filters.len()) as u8];
        for f in &self.opts.filters {
            match *f {
                Filter::Bcj(a, s) => {
                    put_vli(&mut h, a.id());
                    if s == 0 {
                        h.push(0);
                    } else {
                        h.push(4);
                        h.extend_from_slice(&s.to_le_bytes());
                    }
                }
                Filter::Delta(d) => {
                    h.extend_from_slice(&[0x03, 1, (d.clamp(1, 256) - 1) as u8]);
                }
                Filter::Lzma2(_) => {}
            }
        }
        h.extend_from_slice(&[0x21, 1, dict_byte(self.lz.tuning().dict_size)]);
        while (h.len() + 4) % 4 != 0 {
            h.push(0);
        }
        let size_byte = ((h.len() + 4) / 4 - 1) as u8;
        if let Some(first) = h.first_mut() {
            *first = size_byte;
        }
        let crc = crc32(&h);
        h.extend_from_slice(&crc.to_le_bytes());
        self.block_hdr = h.len() as u64;
        self.out.extend_from_slice(&h);
        self.stages = self.opts.filters.iter().filter_map(|&f| EncStage::new(f)).collect();
        self.lz.reset();
        self.checker = Checker::new(self.opts.check);
        self.block_in = 0;
        self.block_packed = 0;
        self.in_block = true;
    }

    /// Runs `data` through the filters into the LZ window.
    fn feed(&mut self, data: &[u8], last: bool) {
        self.checker.update(data);
        self.block_in += data.len() as u64;
        let mut cur = data.to_vec();
        for st in &mut self.stages {
            cur = st.push(&cur, last);
        }
        self.lz.push(&cur);
    }

    fn code(&mut self, all: bool) {
        let before = self.out.len();
        self.lz.code_lzma2(&mut self.out, all);
        self.block_packed += (self.out.len() - before) as u64;
    }

    fn end_block(&mut self) {
        self.feed(&[], true);
        self.code(true);
        self.out.push(0);
        self.block_packed += 1;
        let mut check = [0u8; 32];
        let n = core::mem::replace(&mut self.checker, Checker::None).finish(&mut check);
        self.records.push((self.block_hdr + self.block_packed + n as u64, self.block_in));
        while self.block_packed % 4 != 0 {
            self.out.push(0);
            self.block_packed += 1;
        }
        self.out.extend_from_slice(check.get(..n).unwrap_or(&[]));
        self.in_block = false;
    }

    fn stream_header(&mut self) {
        self.out.extend_from_slice(&HEADER_MAGIC);
        let flags = [0, self.opts.check.id()];
        self.out.extend_from_slice(&flags);
        self.out.extend_from_slice(&crc32(&flags).to_le_bytes());
    }

    fn index_and_footer(&mut self) {
        let mut idx = alloc::vec![0u8];
        put_vli(&mut idx, self.records.len() as u64);
        for &(u, c) in &self.records {
            put_vli(&mut idx, u);
            put_vli(&mut idx, c);
        }
        while idx.len() % 4 != 0 {
            idx.push(0);
        }
        let crc = crc32(&idx);
        idx.extend_from_slice(&crc.to_le_bytes());
        let mut tail = Vec::with_capacity(10);
        tail.extend_from_slice(&((idx.len() / 4 - 1) as u32).to_le_bytes());
        tail.extend_from_slice(&[0, self.opts.check.id()]);
        self.out.extend_from_slice(&idx);
        self.out.extend_from_slice(&crc32(&tail).to_le_bytes());
        self.out.extend_from_slice(&tail);
        self.out.extend_from_slice(b"YZ");
    }

    /// Copies queued output into `output`; returns bytes written.
    fn drain(&mut self, output: &mut [u8]) -> usize {
        let mut n = 0;
        self.out_pos.drain(&mut self.out, output, &mut n);
        n
    }
}

/// Input is taken in pieces of this size.
const PIECE: usize = 64 << 10;
/// Input is refused while this much output waits.
const QUEUE_MAX: usize = 1 << 20;

impl Encoder for XzEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.phase == Phase::Done && !input.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
        }
        if self.phase == Phase::Header {
            self.stream_header();
            self.phase = Phase::Blocks;
        }
        let mut produced = self.drain(output);
        let mut consumed = 0;
        while self.phase == Phase::Blocks && consumed < input.len() && self.out.len() < QUEUE_MAX {
            if !self.in_block {
                self.begin_block();
            }
            let room = self.opts.block_size.map_or(u64::MAX, |b| b - self.block_in);
            let take = (input.len() - consumed).min(PIECE).min(usize::try_from(room).unwrap_or(usize::MAX));
            let piece = input.get(consumed..consumed + take).unwrap_or(&[]);
            self.feed(piece, false);
            consumed += take;
            if self.opts.block_size.is_some_and(|b| self.block_in >= b) {
                self.end_block();
            } else {
                self.code(false);
            }
        }
        if self.phase == Phase::Blocks && consumed == input.len() {
            match flush {
                Flush::Finish => {
                    if self.in_block {
                        self.end_block();
                    }
                    self.index_and_footer();
                    self.phase = Phase::Done;
                }
                Flush::Sync | Flush::Full if self.in_block => self.code(true),
                _ => {}
            }
        }
        produced += self.drain(output.get_mut(produced..).unwrap_or(&mut []));
        let status = if !self.out.is_empty() {
            Status::NeedOutput
        } else if self.phase == Phase::Done {
            Status::StreamEnd
        } else {
            Status::NeedInput
        };
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        *self = Self::with_options(self.opts.clone());
    }
}

/// A `.lzma` (LZMA_Alone) encoder: unknown size in the header, an end
/// marker at the end, as `xz --format=lzma` writes.
#[derive(Debug, Clone)]
pub struct LzmaEncoder {
    preset: u32,
    extreme: bool,
    props: Props,
    lz: LzWriter,
    out: Vec<u8>,
    out_pos: PendingOutput,
    started: bool,
    done: bool,
}

impl LzmaEncoder {
    /// An encoder at `preset` 0..=9 (lc=3, lp=0, pb=2).
    #[must_use]
    pub fn new(preset: u32) -> Self {
        Self::with_props(preset, false, Props::DEFAULT)
    }

    /// An encoder with explicit extreme flag and lc/lp/pb.
    #[must_use]
    pub fn with_props(preset: u32, extreme: bool, props: Props) -> Self {
        let props = Props { lc: props.lc.min(8), lp: props.lp.min(4), pb: props.pb.min(4) };
        let lz = LzWriter::new(props, Tuning::preset(preset, extreme));
        Self { preset, extreme, props, lz, out: Vec::new(), out_pos: PendingOutput::new(), started: false, done: false }
    }
}

impl Encoder for LzmaEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.done && !input.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "lzma", "input after the stream was finished"));
        }
        if !self.started {
            self.started = true;
            self.out.push(self.props.to_byte());
            self.out.extend_from_slice(&self.lz.tuning().dict_size.to_le_bytes());
            self.out.extend_from_slice(&u64::MAX.to_le_bytes());
        }
        let mut consumed = 0;
        while !self.done && consumed < input.len() && self.out_pos.waiting(&self.out) < QUEUE_MAX {
            let take = (input.len() - consumed).min(PIECE);
            self.lz.push(input.get(consumed..consumed + take).unwrap_or(&[]));
            consumed += take;
            self.lz.code_lzma(&mut self.out, false);
        }
        if !self.done && consumed == input.len() && flush == Flush::Finish {
            self.lz.code_lzma(&mut self.out, true);
            self.done = true;
        }
        let mut n = 0;
        self.out_pos.drain(&mut self.out, output, &mut n);
        let status = if !self.out.is_empty() {
            Status::NeedOutput
        } else if self.done {
            Status::StreamEnd
        } else {
            Status::NeedInput
        };
        Ok(Progress { consumed, produced: n, status })
    }

    fn reset(&mut self) {
        *self = Self::with_props(self.preset, self.extreme, self.props);
    }
}

/// Raw LZMA2 (chunks and the end byte, no container), dictionary per
/// preset; the container must record the dictionary size
/// ([`Lzma2Encoder::dict_size`]).
#[derive(Debug, Clone)]
pub struct Lzma2Encoder {
    preset: u32,
    lz: LzWriter,
    out: Vec<u8>,
    out_pos: PendingOutput,
    done: bool,
}

impl Lzma2Encoder {
    /// An encoder at `preset` 0..=9.
    #[must_use]
    pub fn new(preset: u32) -> Self {
        Self {
            preset,
            lz: LzWriter::new(Props::DEFAULT, Tuning::preset(preset, false)),
            out: Vec::new(),
            out_pos: PendingOutput::new(),
            done: false,
        }
    }

    /// The dictionary size a decoder needs.
    #[must_use]
    pub fn dict_size(&self) -> u32 {
        self.lz.tuning().dict_size
    }
}

impl Encoder for Lzma2Encoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.done && !input.is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, "lzma2", "input after the stream was finished"));
        }
        let mut consumed = 0;
        while !self.done && consumed < input.len() && self.out_pos.waiting(&self.out) < QUEUE_MAX {
            let take = (input.len() - consumed).min(PIECE);
            self.lz.push(input.get(consumed..consumed + take).unwrap_or(&[]));
            consumed += take;
            self.lz.code_lzma2(&mut self.out, false);
        }
        if !self.done && consumed == input.len() {
            match flush {
                Flush::Finish => {
                    self.lz.code_lzma2(&mut self.out, true);
                    self.out.push(0);
                    self.done = true;
                }
                Flush::Sync | Flush::Full => self.lz.code_lzma2(&mut self.out, true),
                _ => {}
            }
        }
        let mut n = 0;
        self.out_pos.drain(&mut self.out, output, &mut n);
        let status = if !self.out.is_empty() {
            Status::NeedOutput
        } else if self.done {
            Status::StreamEnd
        } else {
            Status::NeedInput
        };
        Ok(Progress { consumed, produced: n, status })
    }

    fn reset(&mut self) {
        *self = Self::new(self.preset);
    }
}
