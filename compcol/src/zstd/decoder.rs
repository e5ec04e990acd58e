//! The streaming zstd decoder: frames, skippable frames and concatenated
//! frames through caller-owned buffers.
//!
//! Entry point: [`FrameDecoder::run`], driven by `ZstdDecoder::decode`.
//! Bytes are collected in `stage` only when a unit (header, block,
//! checksum) is split across calls; a whole block present in the input is
//! decoded in place. Blocks decode into `hist`, which holds the dictionary
//! content and the window, and is drained to the caller's output.

use super::block::{self, Entropy};
use super::dictionary::Dictionary;
use super::frame::{self, BLOCK_MAX, BlockHeader, BlockType, FrameHeader, MAGIC, SKIPPABLE, SKIPPABLE_MASK};
use super::{NAME, corrupt, le32, window_error};
use crate::checksum::XxHash64;
use crate::{Error, ErrorKind, Status};
use alloc::vec::Vec;

/// The default window limit: 128 MiB, as the issue asks (zstd's own
/// default decoder limit is also 2^27).
pub(crate) const DEFAULT_WINDOW_LIMIT: u64 = 1 << 27;

/// Where the decoder is; every early return leaves it at the step to
/// resume.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Magic,
    Descriptor,
    Header(u8),
    /// Header parsed; waiting for a dictionary if the frame names one.
    Start,
    SkipSize,
    Skip(u64),
    BlockHeader,
    Block(BlockHeader),
    Flush {
        last: bool,
    },
    Checksum,
    FrameEnd,
    Failed,
}

/// The decoder state.
#[derive(Debug, Clone)]
pub(crate) struct FrameDecoder {
    phase: Phase,
    stage: Vec<u8>,
    hist: Vec<u8>,
    flushed: usize,
    lits: Vec<u8>,
    header: FrameHeader,
    entropy: Entropy,
    dict: Option<Dictionary>,
    hash: XxHash64,
    produced: u64,
    pub(crate) window_limit: u64,
    total_in: u64,
    frames: u64,
}

impl FrameDecoder {
    pub(crate) fn new() -> Self {
        Self {
            phase: Phase::Magic,
            stage: Vec::new(),
            hist: Vec::new(),
            flushed: 0,
            lits: Vec::new(),
            header: FrameHeader::default(),
            entropy: Entropy::default(),
            dict: None,
            hash: XxHash64::new(0),
            produced: 0,
            window_limit: DEFAULT_WINDOW_LIMIT,
            total_in: 0,
            frames: 0,
        }
    }

    pub(crate) fn reset(&mut self) {
        self.phase = Phase::Magic;
        self.stage.clear();
        self.hist.clear();
        self.flushed = 0;
        self.total_in = 0;
        self.frames = 0;
    }

    pub(crate) fn set_dictionary(&mut self, dict: Option<Dictionary>) {
        self.dict = dict;
    }

    pub(crate) fn frames(&self) -> u64 {
        self.frames
    }

    /// Collects input into `stage` until it holds `need` bytes.
    fn fill(&mut self, input: &[u8], ip: &mut usize, need: usize) -> bool {
        let want = need.saturating_sub(self.stage.len());
        let rest = input.get(*ip..).unwrap_or(&[]);
        let take = want.min(rest.len());
        self.stage.extend_from_slice(rest.get(..take).unwrap_or(&[]));
        *ip += take;
        self.stage.len() >= need
    }

    fn fail(&mut self, e: Error, ip: usize) -> Error {
        self.phase = Phase::Failed;
        if e.offset().is_some() { e } else { e.at(self.total_in + ip as u64) }
    }

    /// Decodes from `input` into `output`; returns (consumed, produced, status).
    pub(crate) fn run(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize, Status), Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.step(input, &mut ip, output, &mut op);
        let r = r.map_err(|e| self.fail(e, ip));
        self.total_in += ip as u64;
        r.map(|s| (ip, op, s))
    }

    fn step(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::Magic => {
                    if !self.fill(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    let magic = le32(&self.stage);
                    self.stage.clear();
                    if magic == MAGIC {
                        self.phase = Phase::Descriptor;
                    } else if magic & SKIPPABLE_MASK == SKIPPABLE {
                        self.phase = Phase::SkipSize;
                    } else {
                        return Err(corrupt("not a zstd frame (bad magic number)"));
                    }
                }
                Phase::SkipSize => {
                    if !self.fill(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    let n = le32(&self.stage);
                    self.stage.clear();
                    self.phase = Phase::Skip(u64::from(n));
                }
                Phase::Skip(left) => {
                    let avail = (input.len() - *ip) as u64;
                    let take = left.min(avail);
                    *ip += take as usize;
                    if take < left {
                        self.phase = Phase::Skip(left - take);
                        return Ok(Status::NeedInput);
                    }
                    self.frames += 1;
                    self.phase = Phase::FrameEnd;
                }
                Phase::Descriptor => {
                    let Some(&fhd) = input.get(*ip) else { return Ok(Status::NeedInput) };
                    *ip += 1;
                    self.phase = Phase::Header(fhd);
                }
                Phase::Header(fhd) => {
                    if !self.fill(input, ip, frame::header_size(fhd)) {
                        return Ok(Status::NeedInput);
                    }
                    let header = FrameHeader::parse(fhd, &self.stage)?;
                    self.stage.clear();
                    if header.window > self.window_limit {
                        return Err(window_error(header.window));
                    }
                    self.header = header;
                    self.phase = Phase::Start;
                }
                Phase::Start => {
                    let id = self.header.dict_id;
                    match &self.dict {
                        None if id != 0 => return Ok(Status::NeedDictionary(id)),
                        Some(d) if id != 0 && d.id() != id => {
                            return Err(Error::new(
                                ErrorKind::InvalidArgument,
                                NAME,
                                "frame names a different dictionary id than the one configured",
                            ));
                        }
                        _ => {}
                    }
                    self.start_frame()?;
                    self.phase = Phase::BlockHeader;
                }
                Phase::BlockHeader => {
                    if !self.fill(input, ip, 3) {
                        return Ok(Status::NeedInput);
                    }
                    let b = [
                        self.stage.first().copied().unwrap_or(0),
                        self.stage.get(1).copied().unwrap_or(0),
                        self.stage.get(2).copied().unwrap_or(0),
                    ];
                    self.stage.clear();
                    let bh = BlockHeader::parse(b)?;
                    let max = self.block_max();
                    let stored = if bh.kind == BlockType::Rle { 1 } else { bh.size };
                    if bh.size > max {
                        return Err(corrupt("block larger than the block size limit"));
                    }
                    self.phase = Phase::Block(BlockHeader { size: bh.size, ..bh });
                    let _ = stored;
                }
                Phase::Block(bh) => {
                    let stored = if bh.kind == BlockType::Rle { 1 } else { bh.size };
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    if self.stage.is_empty() && rest.len() >= stored {
                        let src = rest.get(..stored).unwrap_or(&[]);
                        *ip += stored;
                        self.decode_block(bh, src, false)?;
                    } else {
                        if !self.fill(input, ip, stored) {
                            return Ok(Status::NeedInput);
                        }
                        let staged = core::mem::take(&mut self.stage);
                        let r = self.decode_block(bh, &staged, true);
                        self.stage = staged;
                        self.stage.clear();
                        r?;
                    }
                    self.phase = Phase::Flush { last: bh.last };
                }
                Phase::Flush { last } => {
                    let pending = self.hist.get(self.flushed..).unwrap_or(&[]);
                    let room = output.get_mut(*op..).unwrap_or(&mut []);
                    let n = pending.len().min(room.len());
                    if let (Some(d), Some(s)) = (room.get_mut(..n), pending.get(..n)) {
                        d.copy_from_slice(s);
                    }
                    *op += n;
                    self.flushed += n;
                    if self.flushed < self.hist.len() {
                        return Ok(Status::NeedOutput);
                    }
                    if !last {
                        self.phase = Phase::BlockHeader;
                        continue;
                    }
                    if let Some(size) = self.header.content_size
                        && size != self.produced
                    {
                        return Err(corrupt("frame content size does not match the decoded size"));
                    }
                    self.phase = if self.header.checksum { Phase::Checksum } else { Phase::FrameEnd };
                    if !self.header.checksum {
                        self.frames += 1;
                    }
                }
                Phase::Checksum => {
                    if !self.fill(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    let want = le32(&self.stage);
                    self.stage.clear();
                    if want != self.hash.digest() as u32 {
                        return Err(Error::new(ErrorKind::Checksum, NAME, "content checksum (XXH64) does not match"));
                    }
                    self.frames += 1;
                    self.phase = Phase::FrameEnd;
                }
                Phase::FrameEnd => {
                    if *ip < input.len() {
                        self.phase = Phase::Magic;
                    } else {
                        return Ok(Status::StreamEnd);
                    }
                }
            }
        }
    }

    fn block_max(&self) -> usize {
        usize::try_from(self.header.window).unwrap_or(usize::MAX).min(BLOCK_MAX)
    }

    /// How much history offsets may use: the window plus the dictionary.
    fn keep(&self) -> usize {
        let dict = self.dict.as_ref().map_or(0, |d| d.content().len());
        usize::try_from(self.header.window).unwrap_or(usize::MAX).saturating_add(dict)
    }

    fn start_frame(&mut self) -> Result<(), Error> {
        self.hist.clear();
        // The window is under the limit (checked); reserving it up front
        // (capped, the rest grows on demand) saves reallocation copies.
        let want = usize::try_from(self.header.window).unwrap_or(usize::MAX).min(8 << 20);
        self.hist.reserve(want + BLOCK_MAX + block::WILD);
        self.flushed = 0;
        self.produced = 0;
        self.hash = XxHash64::new(0);
        match &self.dict {
            Some(d) => {
                self.hist.extend_from_slice(d.content());
                self.flushed = self.hist.len();
                self.entropy = d.entropy.clone().unwrap_or_default();
                self.entropy.rep = d.rep;
            }
            None => self.entropy.reset(),
        }
        Ok(())
    }

    fn decode_block(&mut self, bh: BlockHeader, src: &[u8], _staged: bool) -> Result<(), Error> {
        // Drop history the window no longer needs, in large steps so the
        // move is amortised.
        let keep = self.keep();
        if self.hist.len() > keep.saturating_mul(2).max(4 << 20) {
            let cut = self.hist.len() - keep;
            self.hist.drain(..cut);
            self.flushed -= cut;
        }
        let start = self.hist.len();
        let max = self.block_max();
        match bh.kind {
            BlockType::Raw => self.hist.extend_from_slice(src),
            BlockType::Rle => {
                let &b = src.first().ok_or(corrupt("truncated RLE block"))?;
                self.hist.resize(start + bh.size, b);
            }
            BlockType::Compressed => {
                if let Err(e) = block::decode_block(src, &mut self.entropy, &mut self.lits, &mut self.hist, 0, max) {
                    self.hist.truncate(start);
                    return Err(e);
                }
            }
        }
        let fresh = self.hist.get(start..).unwrap_or(&[]);
        self.produced += fresh.len() as u64;
        if self.header.content_size.is_some_and(|n| self.produced > n) {
            return Err(corrupt("frame decodes past its declared content size"));
        }
        if self.header.checksum {
            self.hash.update(fresh);
        }
        Ok(())
    }
}

fn truncated(at: usize) -> Error {
    Error::new(ErrorKind::Truncated, NAME, "input ended inside a frame").at(at as u64)
}

impl FrameDecoder {
    /// One-shot decoding of a whole buffer straight into the returned
    /// vector (no history copy, no output windows): the fast path behind
    /// `zstd::decompress_to_vec`. Same checks as the streaming path;
    /// frames naming a dictionary are refused (none can be given here).
    pub(crate) fn decode_all(&mut self, data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
        let mut out: Vec<u8> = Vec::new();
        let mut pos = 0usize;
        if data.is_empty() {
            return Err(truncated(0));
        }
        while pos < data.len() {
            let at = |n: usize| data.get(pos..pos + n).ok_or(truncated(data.len()));
            let magic = le32(at(4)?);
            pos += 4;
            if magic & SKIPPABLE_MASK == SKIPPABLE {
                let n = le32(data.get(pos..pos + 4).ok_or(truncated(data.len()))?) as usize;
                pos = pos.checked_add(4 + n).filter(|&p| p <= data.len()).ok_or(truncated(data.len()))?;
                continue;
            }
            if magic != MAGIC {
                return Err(corrupt("not a zstd frame (bad magic number)").at(pos as u64 - 4));
            }
            let &fhd = data.get(pos).ok_or(truncated(data.len()))?;
            pos += 1;
            let hs = frame::header_size(fhd);
            let header = FrameHeader::parse(fhd, data.get(pos..pos + hs).ok_or(truncated(data.len()))?)?;
            pos += hs;
            if header.window > self.window_limit {
                return Err(window_error(header.window).at(pos as u64));
            }
            if header.dict_id != 0 {
                return Err(Error::new(
                    ErrorKind::Unsupported,
                    NAME,
                    "frame needs a dictionary (use ZstdDecoder::set_dictionary)",
                ));
            }
            let limit_err = || Error::new(ErrorKind::OutputLimit, NAME, "decoded output exceeds the configured cap");
            if let Some(n) = header.content_size {
                let n = usize::try_from(n).map_err(|_| limit_err())?;
                if n > cap - out.len() {
                    return Err(limit_err());
                }
                out.reserve(n + BLOCK_MAX + block::WILD);
            }
            let frame_start = out.len();
            let max = usize::try_from(header.window).unwrap_or(usize::MAX).min(BLOCK_MAX);
            let mut entropy = Entropy::default();
            // Hashed block by block, while the bytes are still in cache.
            let mut hash = XxHash64::new(0);
            loop {
                let bh = data.get(pos..pos + 3).ok_or(truncated(data.len()))?;
                let bh = BlockHeader::parse([
                    bh.first().copied().unwrap_or(0),
                    bh.get(1).copied().unwrap_or(0),
                    bh.get(2).copied().unwrap_or(0),
                ])?;
                pos += 3;
                if bh.size > max {
                    return Err(corrupt("block larger than the block size limit").at(pos as u64));
                }
                let stored = if bh.kind == BlockType::Rle { 1 } else { bh.size };
                let src = data.get(pos..pos + stored).ok_or(truncated(data.len()))?;
                let before = out.len();
                match bh.kind {
                    BlockType::Raw => out.extend_from_slice(src),
                    BlockType::Rle => out.resize(before + bh.size, src.first().copied().unwrap_or(0)),
                    BlockType::Compressed => {
                        block::decode_block(src, &mut entropy, &mut self.lits, &mut out, frame_start, max)
                            .map_err(|e| e.at(pos as u64))?
                    }
                }
                pos += stored;
                if out.len() > cap {
                    return Err(limit_err());
                }
                if header.checksum {
                    hash.update(out.get(before..).unwrap_or(&[]));
                }
                if header.content_size.is_some_and(|n| (out.len() - frame_start) as u64 > n) {
                    return Err(corrupt("frame decodes past its declared content size").at(pos as u64));
                }
                if bh.last {
                    break;
                }
            }
            let produced = (out.len() - frame_start) as u64;
            if header.content_size.is_some_and(|n| n != produced) {
                return Err(corrupt("frame content size does not match the decoded size").at(pos as u64));
            }
            if header.checksum {
                let want = le32(data.get(pos..pos + 4).ok_or(truncated(data.len()))?);
                if want != hash.digest() as u32 {
                    return Err(
                        Error::new(ErrorKind::Checksum, NAME, "content checksum (XXH64) does not match").at(pos as u64)
                    );
                }
                pos += 4;
            }
        }
        Ok(out)
    }
}
