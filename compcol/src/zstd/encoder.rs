//! The streaming zstd encoder: buffers input into blocks, runs the match
//! finder, writes frame header, blocks and checksum through a small
//! output queue.
//!
//! Entry point: [`FrameEncoder::run`]. The buffer holds the dictionary
//! content, the window of history and the pending block; it slides (in
//! steps the match finder's chain can follow) once the history passes the
//! window. The frame header is written when the first block is, so with
//! [`Flush::Finish`] on all the input (or a pledged size) it records the
//! content size and small inputs get a single-segment frame.

use super::dictionary::Dictionary;
use super::encode_block::{EncEntropy, PrevTable, compress_block};
use super::frame::{BLOCK_MAX, BlockHeader, BlockType, FrameHeader};
use super::levels;
use super::matcher::{Matcher, Seq};
use super::{NAME, Options, fse, huffman, tables};
use crate::checksum::XxHash64;
use crate::pending::PendingOutput;
use crate::{Error, ErrorKind, Flush, Status};
use alloc::vec::Vec;

/// Encoder state.
#[derive(Debug)]
pub(crate) struct FrameEncoder {
    window_log: u32,
    checksum: bool,
    dict: Option<Dictionary>,
    dict_entropy: EncEntropy,
    pledged: Option<u64>,
    buf: Vec<u8>,
    /// Start of input not yet compressed.
    pending: usize,
    /// Where offsets may reach back to (start of the dictionary).
    lowest: usize,
    queue: Vec<u8>,
    sent: PendingOutput,
    matcher: Matcher,
    entropy: EncEntropy,
    seqs: Vec<Seq>,
    hash: XxHash64,
    total_in: u64,
    started: bool,
    finished: bool,
    failed: bool,
}

/// The encoder-side tables of a structured dictionary.
fn dictionary_entropy(d: &Dictionary) -> Result<EncEntropy, Error> {
    let mut ent = EncEntropy { rep: d.rep, ..EncEntropy::default() };
    if d.entropy.is_none() {
        return Ok(ent);
    }
    let t = &d.tables;
    let (weights, mut at) = huffman::read_weights(t)?;
    ent.huf = huffman::HufEncoder::from_weights(&weights);
    for (slot, max_sym, max_log) in [
        (&mut ent.of, tables::OF_MAX, tables::OF_MAX_LOG),
        (&mut ent.ml, tables::ML_MAX, tables::ML_MAX_LOG),
        (&mut ent.ll, tables::LL_MAX, tables::LL_MAX_LOG),
    ] {
        let (probs, log, used) = fse::read_ncount(t.get(at..).unwrap_or(&[]), max_sym, max_log)?;
        *slot = Some(PrevTable::new(probs, log)?);
        at += used;
    }
    Ok(ent)
}

impl FrameEncoder {
    pub(crate) fn new(o: &Options) -> Result<Self, Error> {
        let mut params = levels::params(o.level)?;
        let mut window_log = o.window_log.unwrap_or(params.window_log);
        if let Some(l) = o.long {
            window_log = l;
        }
        if !(10..=31).contains(&window_log) {
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, "window log must be 10..=31"));
        }
        // Tables never need to be larger than the window.
        params.hash_log = params.hash_log.min(window_log + 1);
        params.chain_log = params.chain_log.min(window_log + 1);
        let dict_entropy = match &o.dictionary {
            Some(d) => dictionary_entropy(d)?,
            None => EncEntropy::default(),
        };
        let matcher = Matcher::new(params, window_log, o.long.is_some());
        let mut enc = Self {
            window_log,
            checksum: o.checksum,
            dict: o.dictionary.clone(),
            dict_entropy,
            pledged: o.pledged,
            buf: Vec::new(),
            pending: 0,
            lowest: 0,
            queue: Vec::new(),
            sent: PendingOutput::new(),
            matcher,
            entropy: EncEntropy::default(),
            seqs: Vec::new(),
            hash: XxHash64::new(0),
            total_in: 0,
            started: false,
            finished: false,
            failed: false,
        };
        enc.reset();
        Ok(enc)
    }

    pub(crate) fn reset(&mut self) {
        self.buf.clear();
        self.matcher.clear();
        self.entropy = self.dict_entropy.clone();
        if let Some(d) = &self.dict {
            self.buf.extend_from_slice(d.content());
            self.matcher.prime(&self.buf, self.buf.len());
        }
        self.pending = self.buf.len();
        self.lowest = 0;
        self.queue.clear();
        self.sent = PendingOutput::new();
        self.hash = XxHash64::new(0);
        self.total_in = 0;
        self.started = false;
        self.finished = false;
        self.failed = false;
    }

    fn block_size(&self) -> usize {
        BLOCK_MAX.min(1 << self.window_log)
    }

    fn drain(&mut self, output: &mut [u8], op: &mut usize) {
        self.sent.drain(&mut self.queue, output, op);
    }

    pub(crate) fn run(
        &mut self,
        input: &[u8],
        output: &mut [u8],
        flush: Flush,
    ) -> Result<(usize, usize, Status), Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let r = self.step(input, output, flush);
        if r.is_err() {
            self.failed = true;
        }
        r
    }

    fn step(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<(usize, usize, Status), Error> {
        let mut ip = 0;
        let mut op = 0;
        loop {
            self.drain(output, &mut op);
            if !self.queue.is_empty() {
                return Ok((ip, op, Status::NeedOutput));
            }
            if self.finished {
                if ip < input.len() {
                    return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
                }
                return Ok((ip, op, Status::StreamEnd));
            }
            // Take input up to one full block.
            let bs = self.block_size();
            let have = self.buf.len() - self.pending;
            let take = (bs - have.min(bs)).min(input.len() - ip);
            if take > 0 {
                let chunk = input.get(ip..ip + take).unwrap_or(&[]);
                self.buf.extend_from_slice(chunk);
                if self.checksum {
                    self.hash.update(chunk);
                }
                ip += take;
                self.total_in += take as u64;
            }
            let have = self.buf.len() - self.pending;
            let more_input = ip < input.len();
            // A full block goes out now unless it may be the last one (Finish
            // with no input left decides that below).
            if have == bs && more_input {
                self.emit_block(false, flush, input.len() - ip)?;
                continue;
            }
            match flush {
                // A full block waits for the next call, which says whether
                // it is the last (and then the header can hold the size).
                Flush::None => return Ok((ip, op, Status::NeedInput)),
                Flush::Sync | Flush::Full => {
                    if have > 0 {
                        self.emit_block(false, flush, 0)?;
                        continue;
                    }
                    return Ok((ip, op, Status::NeedInput));
                }
                Flush::Finish => {
                    if more_input {
                        continue;
                    }
                    self.emit_block(true, flush, 0)?;
                    if let Some(p) = self.pledged
                        && p != self.total_in
                    {
                        return Err(Error::new(
                            ErrorKind::InvalidArgument,
                            NAME,
                            "input size differs from the pledged size",
                        ));
                    }
                    if self.checksum {
                        self.queue.extend_from_slice(&(self.hash.digest() as u32).to_le_bytes());
                    }
                    self.finished = true;
                }
            }
        }
    }

    fn write_header(&mut self, known_total: Option<u64>) {
        let content_size = self.pledged.or(known_total);
        let single_segment = content_size.is_some_and(|n| n <= 1 << self.window_log) && self.dict.is_none();
        let header = FrameHeader {
            window: 1 << self.window_log,
            content_size,
            dict_id: self.dict.as_ref().map_or(0, Dictionary::id),
            checksum: self.checksum,
            single_segment,
        };
        header.write(self.window_log, &mut self.queue);
        self.started = true;
    }

    /// Compresses the pending bytes into one block (the last if `last`).
    /// `rest` = input bytes after this block still to come in this call.
    fn emit_block(&mut self, last: bool, flush: Flush, rest: usize) -> Result<(), Error> {
        if !self.started {
            let known = (flush == Flush::Finish).then_some(self.total_in + rest as u64);
            self.write_header(known);
        }
        let start = self.pending;
        let end = self.buf.len();
        let block = self.buf.get(start..end).unwrap_or(&[]);
        let window = 1usize << self.window_log;
        let lowest = self.lowest.max(start.saturating_sub(window));
        let kind;
        let mut body = Vec::new();
        if block.is_empty() {
            kind = BlockType::Raw;
        } else if let Some(&b) = block.first()
            && block.len() > 16
            && block.iter().all(|&x| x == b)
        {
            kind = BlockType::Rle;
            body.push(b);
            // The finders still index it for later blocks.
            self.matcher.prime(&self.buf, end);
        } else {
            self.seqs.clear();
            let mut rep = self.entropy.rep;
            self.matcher.find(&self.buf, start, end, lowest, &mut rep, &mut self.seqs);
            let block = self.buf.get(start..end).unwrap_or(&[]);
            let mut trial = self.entropy.clone();
            let packed = compress_block(block, &self.seqs, &mut trial)?;
            if packed.len() + 3 < block.len() && packed.len() <= BLOCK_MAX {
                kind = BlockType::Compressed;
                body = packed;
                self.entropy = trial;
            } else {
                kind = BlockType::Raw;
            }
        }
        let size = if kind == BlockType::Compressed { body.len() } else { end - start };
        BlockHeader::write(last, kind, size, &mut self.queue);
        if kind == BlockType::Raw {
            self.queue.extend_from_slice(self.buf.get(start..end).unwrap_or(&[]));
        } else {
            self.queue.extend_from_slice(&body);
        }
        self.pending = end;
        if flush == Flush::Full {
            // Forget the history: later blocks cannot refer before here.
            self.lowest = end;
        }
        self.slide();
        Ok(())
    }

    /// Drops history older than the window, in chain-sized steps.
    fn slide(&mut self) {
        let window = 1usize << self.window_log;
        let unit = self.matcher.slide_unit();
        let excess = self.pending.saturating_sub(window);
        let cut = excess / unit * unit;
        if cut >= unit && cut >= window.min(1 << 22) {
            self.buf.drain(..cut);
            self.pending -= cut;
            self.lowest = self.lowest.saturating_sub(cut);
            self.matcher.shift(cut);
        }
    }
}
