//! The `.xz` container decoder: stream header, blocks (header, filter
//! chain, padding, check), index, stream footer, stream padding and
//! concatenated streams.
//!
//! Entry point: [`XzDecoder`]. Every size and CRC the format carries is
//! verified: block header CRC32, declared block sizes, the check of each
//! block, the index against the blocks actually seen (count, unpadded and
//! uncompressed sizes, CRC32), the footer's backward size and flags.

use super::bcj::BcjArch;
use super::chain::{DecodeChain, Filter};
use super::check::{Check, Checker};
use super::lzma2_dec::{Lzma2Dec, dict_size_from_byte};
use super::{HEADER_MAGIC, NAME};
use crate::checksum::{Crc32, crc32};
use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    StreamHeader,
    BlockOrIndex,
    BlockHeader,
    BlockData,
    BlockPadding,
    BlockCheck,
    Index,
    Footer,
    /// After a footer: zero padding, another stream, or the end.
    StreamPadding,
    Failed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum IndexStep {
    Count,
    Unpadded,
    Uncompressed,
    Padding,
    Crc,
}

/// An `.xz` decoder: every stream of a file, concatenated, as one output.
///
/// The memory limit bounds the dictionary a block may ask for; a block
/// over it fails with [`ErrorKind::MemoryLimit`] before anything is
/// allocated (never a silent clamp).
#[derive(Debug, Clone)]
pub struct XzDecoder {
    phase: Phase,
    memlimit: u64,
    hdr: Vec<u8>,
    need: usize,
    flags: [u8; 2],
    check: Check,
    checker: Checker,
    chain: Option<DecodeChain>,
    block_hdr_size: u64,
    declared_comp: Option<u64>,
    declared_uncomp: Option<u64>,
    block_comp: u64,
    block_uncomp: u64,
    records: Vec<(u64, u64)>,
    idx_step: IndexStep,
    idx_crc: Crc32,
    idx_size: u64,
    idx_count: u64,
    idx_seen: u64,
    vli: u64,
    vli_shift: u32,
    idx_unpadded: u64,
    padding: u64,
    streams: u64,
    total_in: u64,
}

impl Default for XzDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// Reads a VLI from `b` at `*i` (at most 9 bytes).
fn read_vli(b: &[u8], i: &mut usize) -> Option<u64> {
    let mut v = 0u64;
    for k in 0..9 {
        let byte = *b.get(*i)?;
        *i += 1;
        v |= u64::from(byte & 0x7f) << (7 * k);
        if byte & 0x80 == 0 {
            return (byte != 0 || k == 0).then_some(v);
        }
    }
    None
}

/// A parsed block header.
struct BlockHeader {
    comp: Option<u64>,
    uncomp: Option<u64>,
    filters: Vec<Filter>,
}

fn parse_block_header(h: &[u8]) -> Result<BlockHeader, &'static str> {
    let body_len = h.len().checked_sub(4).ok_or("block header too short")?;
    let (body, crc) = h.split_at(body_len);
    if crc != crc32(body).to_le_bytes() {
        return Err("block header CRC32 mismatch");
    }
    let flags = *body.get(1).ok_or("block header too short")?;
    if flags & 0x3c != 0 {
        return Err("reserved block flags set");
    }
    let mut i = 2;
    let comp = if flags & 0x40 != 0 { Some(read_vli(body, &mut i).ok_or("bad compressed size")?) } else { None };
    let uncomp = if flags & 0x80 != 0 { Some(read_vli(body, &mut i).ok_or("bad uncompressed size")?) } else { None };
    if comp == Some(0) {
        return Err("block compressed size is zero");
    }
    let count = usize::from(flags & 3) + 1;
    let mut filters = Vec::with_capacity(count);
    for k in 0..count {
        let id = read_vli(body, &mut i).ok_or("bad filter id")?;
        let psize = read_vli(body, &mut i).ok_or("bad filter properties size")?;
        let psize = usize::try_from(psize).map_err(|_| "bad filter properties size")?;
        let props = body.get(i..i.saturating_add(psize)).ok_or("filter properties past the header")?;
        i += psize;
        let last = k + 1 == count;
        let f = match (id, props) {
            (0x21, &[b]) if last => {
                let d = dict_size_from_byte(b & 0x3f).filter(|_| b & 0xc0 == 0).ok_or("bad LZMA2 dictionary size")?;
                Filter::Lzma2(d)
            }
            (0x21, _) => return Err("LZMA2 must be the last filter, with one property byte"),
            (0x03, &[d]) if !last => Filter::Delta(usize::from(d) + 1),
            (id, p) if !last => {
                let arch = BcjArch::from_id(id).ok_or("unsupported filter")?;
                let start = match p {
                    [] => 0,
                    &[a, b, c, d] => u32::from_le_bytes([a, b, c, d]),
                    _ => return Err("bad BCJ properties"),
                };
                if start % arch.alignment() != 0 {
                    return Err("BCJ start offset not aligned");
                }
                Filter::Bcj(arch, start)
            }
            _ => return Err("the last filter must be LZMA2"),
        };
        filters.push(f);
    }
    if body.get(i..).is_none_or(|pad| pad.iter().any(|&b| b != 0)) {
        return Err("non-zero block header padding");
    }
    Ok(BlockHeader { comp, uncomp, filters })
}

impl XzDecoder {
    /// A decoder without a memory limit.
    #[must_use]
    pub fn new() -> Self {
        Self::with_memlimit(u64::MAX)
    }

    /// A decoder refusing blocks whose dictionary and buffers need more
    /// than `bytes`.
    #[must_use]
    pub fn with_memlimit(bytes: u64) -> Self {
        Self {
            phase: Phase::StreamHeader,
            memlimit: bytes,
            hdr: Vec::new(),
            need: 12,
            flags: [0; 2],
            check: Check::None,
            checker: Checker::None,
            chain: None,
            block_hdr_size: 0,
            declared_comp: None,
            declared_uncomp: None,
            block_comp: 0,
            block_uncomp: 0,
            records: Vec::new(),
            idx_step: IndexStep::Count,
            idx_crc: Crc32::new(),
            idx_size: 0,
            idx_count: 0,
            idx_seen: 0,
            vli: 0,
            vli_shift: 0,
            idx_unpadded: 0,
            padding: 0,
            streams: 0,
            total_in: 0,
        }
    }

    /// The check type of the current (or last) stream.
    #[must_use]
    pub const fn check(&self) -> Check {
        self.check
    }

    /// Streams completed so far.
    #[must_use]
    pub const fn streams(&self) -> u64 {
        self.streams
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Collects `self.need` bytes into `self.hdr`; false when input ran out.
    fn collect(&mut self, input: &[u8], ip: &mut usize) -> bool {
        let want = self.need - self.hdr.len();
        let rest = input.get(*ip..).unwrap_or(&[]);
        let take = want.min(rest.len());
        self.hdr.extend_from_slice(rest.get(..take).unwrap_or(&[]));
        *ip += take;
        self.hdr.len() == self.need
    }

    fn start_block(&mut self, ip: usize) -> Result<(), Error> {
        let h = match parse_block_header(&self.hdr) {
            Ok(h) => h,
            Err(d) => return Err(self.fail(ErrorKind::Corrupt, d, ip)),
        };
        let dict = h.filters.iter().find_map(|f| if let Filter::Lzma2(d) = f { Some(*d) } else { None });
        let Some(dict) = dict else { return Err(self.fail(ErrorKind::Corrupt, "block without LZMA2", ip)) };
        let stages = (h.filters.len() as u64 - 1) * (64 << 10);
        if u64::from(dict).saturating_add(stages) > self.memlimit {
            return Err(self.fail(ErrorKind::MemoryLimit, "block dictionary exceeds the decoder memory limit", ip));
        }
        let mut lz = match self.chain.take() {
            Some(c) if c.lzma2.window_cap() >= dict as usize => c.lzma2,
            _ => Lzma2Dec::new(dict as usize),
        };
        lz.reset();
        self.chain = Some(DecodeChain::new(lz, &h.filters));
        self.block_hdr_size = self.hdr.len() as u64;
        self.declared_comp = h.comp;
        self.declared_uncomp = h.uncomp;
        self.block_comp = 0;
        self.block_uncomp = 0;
        self.checker = Checker::new(self.check);
        self.phase = Phase::BlockData;
        Ok(())
    }

    /// One byte of the index; `ip` is for error offsets.
    fn index_byte(&mut self, b: u8, ip: usize) -> Result<bool, Error> {
        self.idx_size += 1;
        if self.idx_step != IndexStep::Crc {
            self.idx_crc.update(&[b]);
        }
        match self.idx_step {
            IndexStep::Count | IndexStep::Unpadded | IndexStep::Uncompressed => {
                if self.vli_shift >= 63 || (b == 0 && self.vli_shift > 0) {
                    return Err(self.fail(ErrorKind::Corrupt, "bad index number", ip));
                }
                self.vli |= u64::from(b & 0x7f) << self.vli_shift;
                self.vli_shift += 7;
                if b & 0x80 != 0 {
                    return Ok(false);
                }
                let v = self.vli;
                self.vli = 0;
                self.vli_shift = 0;
                match self.idx_step {
                    IndexStep::Count => {
                        if v != self.records.len() as u64 {
                            return Err(self.fail(
                                ErrorKind::Corrupt,
                                "index record count differs from the blocks",
                                ip,
                            ));
                        }
                        self.idx_count = v;
                    }
                    IndexStep::Unpadded => {
                        self.idx_unpadded = v;
                        self.idx_step = IndexStep::Uncompressed;
                        return Ok(false);
                    }
                    _ => {
                        let seen = self.records.get(self.idx_seen as usize).copied();
                        if seen != Some((self.idx_unpadded, v)) {
                            return Err(self.fail(ErrorKind::Corrupt, "index record differs from the block", ip));
                        }
                        self.idx_seen += 1;
                    }
                }
                self.idx_step = if self.idx_seen < self.idx_count { IndexStep::Unpadded } else { IndexStep::Padding };
                if self.idx_step == IndexStep::Padding && self.idx_size % 4 == 0 {
                    self.idx_step = IndexStep::Crc;
                    self.padding = 0;
                }
                Ok(false)
            }
            IndexStep::Padding => {
                if b != 0 {
                    return Err(self.fail(ErrorKind::Corrupt, "non-zero index padding", ip));
                }
                if self.idx_size % 4 == 0 {
                    self.idx_step = IndexStep::Crc;
                    self.padding = 0;
                }
                Ok(false)
            }
            IndexStep::Crc => {
                let want = self.idx_crc.value().to_le_bytes();
                if want.get(self.padding as usize) != Some(&b) {
                    return Err(self.fail(ErrorKind::Checksum, "index CRC32 mismatch", ip));
                }
                self.padding += 1;
                Ok(self.padding == 4)
            }
        }
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::StreamHeader => {
                    if !self.collect(input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let h = core::mem::take(&mut self.hdr);
                    if h.get(..6) != Some(&HEADER_MAGIC[..]) {
                        return Err(self.fail(ErrorKind::Corrupt, "not an .xz stream (bad magic)", *ip));
                    }
                    let (flags, crc) = (h.get(6..8).unwrap_or(&[]), h.get(8..12).unwrap_or(&[]));
                    if crc != crc32(flags).to_le_bytes() {
                        return Err(self.fail(ErrorKind::Corrupt, "stream header CRC32 mismatch", *ip));
                    }
                    let (f0, f1) = (flags.first().copied().unwrap_or(1), flags.get(1).copied().unwrap_or(0));
                    if f0 != 0 || f1 & 0xf0 != 0 {
                        return Err(self.fail(ErrorKind::Corrupt, "reserved stream flags set", *ip));
                    }
                    let Some(check) = Check::from_id(f1) else {
                        return Err(self.fail(ErrorKind::Unsupported, "unsupported check type", *ip));
                    };
                    self.flags = [f0, f1];
                    self.check = check;
                    self.records.clear();
                    self.hdr = h;
                    self.hdr.clear();
                    self.phase = Phase::BlockOrIndex;
                }
                Phase::BlockOrIndex => {
                    let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                    if b == 0 {
                        *ip += 1;
                        self.idx_step = IndexStep::Count;
                        self.idx_crc = Crc32::new();
                        self.idx_crc.update(&[0]);
                        self.idx_size = 1;
                        self.idx_seen = 0;
                        self.vli = 0;
                        self.vli_shift = 0;
                        self.phase = Phase::Index;
                    } else {
                        self.need = (usize::from(b) + 1) * 4;
                        self.hdr.clear();
                        self.phase = Phase::BlockHeader;
                    }
                }
                Phase::BlockHeader => {
                    if !self.collect(input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    self.start_block(*ip)?;
                }
                Phase::BlockData => {
                    let Some(chain) = self.chain.as_mut() else {
                        return Err(self.fail(ErrorKind::Corrupt, "block without a decoder", *ip));
                    };
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let out = output.get_mut(*op..).unwrap_or(&mut []);
                    let r = chain.decode(rest, out);
                    let (c, p, done) = match r {
                        Ok(v) => v,
                        Err(e) => {
                            self.phase = Phase::Failed;
                            return Err(e.at(self.total_in + *ip as u64));
                        }
                    };
                    self.checker.update(out.get(..p).unwrap_or(&[]));
                    *ip += c;
                    *op += p;
                    self.block_comp += c as u64;
                    self.block_uncomp += p as u64;
                    if self.declared_comp.is_some_and(|d| self.block_comp > d)
                        || self.declared_uncomp.is_some_and(|d| self.block_uncomp > d)
                    {
                        return Err(self.fail(ErrorKind::Corrupt, "block larger than its header says", *ip));
                    }
                    if !done {
                        return Ok(if *op == output.len() { Status::NeedOutput } else { Status::NeedInput });
                    }
                    if self.declared_comp.is_some_and(|d| self.block_comp != d)
                        || self.declared_uncomp.is_some_and(|d| self.block_uncomp != d)
                    {
                        return Err(self.fail(ErrorKind::Corrupt, "block size differs from its header", *ip));
                    }
                    self.padding = 0;
                    self.phase = Phase::BlockPadding;
                }
                Phase::BlockPadding => {
                    while self.block_comp % 4 != 0 {
                        let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                        *ip += 1;
                        if b != 0 {
                            return Err(self.fail(ErrorKind::Corrupt, "non-zero block padding", *ip));
                        }
                        self.block_comp += 1;
                        self.padding += 1;
                    }
                    self.block_comp -= core::mem::take(&mut self.padding);
                    self.need = self.check.size();
                    self.hdr.clear();
                    self.phase = Phase::BlockCheck;
                }
                Phase::BlockCheck => {
                    if !self.collect(input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let mut want = [0u8; 32];
                    let n = core::mem::replace(&mut self.checker, Checker::None).finish(&mut want);
                    if want.get(..n) != Some(&self.hdr[..]) {
                        return Err(self.fail(ErrorKind::Checksum, "block check does not match the data", *ip));
                    }
                    let unpadded = self.block_hdr_size + self.block_comp + n as u64;
                    self.records.push((unpadded, self.block_uncomp));
                    self.phase = Phase::BlockOrIndex;
                }
                Phase::Index => loop {
                    let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                    *ip += 1;
                    if self.index_byte(b, *ip)? {
                        self.need = 12;
                        self.hdr.clear();
                        self.phase = Phase::Footer;
                        break;
                    }
                },
                Phase::Footer => {
                    if !self.collect(input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let h = &self.hdr;
                    let ok_crc = h.get(..4) == Some(&crc32(h.get(4..10).unwrap_or(&[])).to_le_bytes()[..]);
                    let backward = match h.get(4..8) {
                        Some(&[a, b, c, d]) => Some(u32::from_le_bytes([a, b, c, d])),
                        _ => None,
                    };
                    let detail = if h.get(10..12) != Some(&b"YZ"[..]) {
                        Some("bad stream footer magic")
                    } else if !ok_crc {
                        Some("stream footer CRC32 mismatch")
                    } else if h.get(8..10) != Some(&self.flags[..]) {
                        Some("stream footer flags differ from the header")
                    } else if backward.map(|b| (u64::from(b) + 1) * 4) != Some(self.idx_size) {
                        Some("stream footer backward size differs from the index")
                    } else {
                        None
                    };
                    if let Some(d) = detail {
                        return Err(self.fail(ErrorKind::Corrupt, d, *ip));
                    }
                    self.streams += 1;
                    self.padding = 0;
                    self.phase = Phase::StreamPadding;
                }
                Phase::StreamPadding => match input.get(*ip) {
                    Some(0) => {
                        *ip += 1;
                        self.padding += 1;
                    }
                    Some(_) if self.padding % 4 == 0 => {
                        self.need = 12;
                        self.hdr.clear();
                        self.phase = Phase::StreamHeader;
                    }
                    Some(_) => return Err(self.fail(ErrorKind::Corrupt, "stream padding not a multiple of 4", *ip)),
                    None if self.padding % 4 == 0 => return Ok(Status::StreamEnd),
                    None => return Ok(Status::NeedInput),
                },
            }
        }
    }
}

impl Decoder for XzDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        let chain = self.chain.take();
        *self = Self { chain, ..Self::with_memlimit(self.memlimit) };
    }
}
