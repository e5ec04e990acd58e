//! The `lzop` container: a header (magic, versions, method, level, flags,
//! mode, mtime, name, header checksum), then blocks of (uncompressed
//! size, compressed size, checksums the flags ask for, data), ending with
//! a zero size.
//!
//! Entry points: [`LzopEncoder`], [`LzopDecoder`] and [`LzopHeader`] (the
//! fields read from a stream).

use super::NAME;
use super::lzo1x::{compress_best, compress_fast, decompress};
use crate::checksum::{adler32, crc32};
use crate::pending::PendingOutput;
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

/// The 9-byte lzop magic.
pub(crate) const MAGIC: [u8; 9] = [0x89, 0x4c, 0x5a, 0x4f, 0x00, 0x0d, 0x0a, 0x1a, 0x0a];
/// The block size lzop writes.
const BLOCK: usize = 256 << 10;
/// The largest block lzop itself accepts.
const MAX_BLOCK: usize = 64 << 20;

const F_ADLER32_D: u32 = 0x0001;
const F_ADLER32_C: u32 = 0x0002;
const F_H_EXTRA_FIELD: u32 = 0x0040;
const F_CRC32_D: u32 = 0x0100;
const F_CRC32_C: u32 = 0x0200;
const F_H_FILTER: u32 = 0x0800;
const F_H_CRC32: u32 = 0x1000;
/// Flag bits with a meaning (the rest of the low 20 bits are reserved).
const F_KNOWN: u32 = 0x0000_3fff;
/// Unix, as lzop records the OS in the top byte.
const F_OS_UNIX: u32 = 0x0300_0000;

/// What an lzop header says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct LzopHeader {
    /// The lzop version that wrote it (e.g. 0x1040).
    pub version: u16,
    /// The LZO library version.
    pub lib_version: u16,
    /// Method: 1 = LZO1X-1, 2 = LZO1X-1(15), 3 = LZO1X-999.
    pub method: u8,
    /// Compression level.
    pub level: u8,
    /// Flag bits.
    pub flags: u32,
    /// Unix mode of the original file.
    pub mode: u32,
    /// Modification time (seconds since 1970).
    pub mtime: u64,
    /// Original file name.
    pub name: Vec<u8>,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    match b.get(at..at + 2) {
        Some(&[x, y]) => Some(u16::from_be_bytes([x, y])),
        _ => None,
    }
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    match b.get(at..at + 4) {
        Some(&[a, c, d, e]) => Some(u32::from_be_bytes([a, c, d, e])),
        _ => None,
    }
}

/// Parses a header from the start of `b` (magic included): `Ok(None)`
/// when more bytes are needed, else the header and its length.
fn parse_header(b: &[u8]) -> Result<Option<(LzopHeader, usize)>, (ErrorKind, &'static str)> {
    if b.len() >= 9 && b.get(..9) != Some(&MAGIC[..]) {
        return Err((ErrorKind::Corrupt, "not an lzop stream (bad magic number)"));
    }
    let mut h = LzopHeader::default();
    let mut p = 9;
    macro_rules! need {
        ($e:expr) => {
            match $e {
                Some(v) => v,
                None => return Ok(None),
            }
        };
    }
    h.version = need!(be16(b, p));
    h.lib_version = need!(be16(b, p + 2));
    p += 4;
    if h.version < 0x0900 {
        return Err((ErrorKind::Unsupported, "lzop version before 0.90"));
    }
    if h.version >= 0x0940 {
        let needed = need!(be16(b, p));
        if needed > 0x1040 {
            return Err((ErrorKind::Unsupported, "needs a newer lzop to extract"));
        }
        p += 2;
    }
    h.method = *need!(b.get(p));
    p += 1;
    if !(1..=3).contains(&h.method) {
        return Err((ErrorKind::Unsupported, "method is not LZO1X (1, 2 or 3)"));
    }
    if h.version >= 0x0940 {
        h.level = *need!(b.get(p));
        p += 1;
    }
    h.flags = need!(be32(b, p));
    p += 4;
    if h.flags & F_H_FILTER != 0 {
        return Err((ErrorKind::Unsupported, "lzop filters are not supported"));
    }
    if h.flags & 0x000f_ffff & !F_KNOWN != 0 {
        return Err((ErrorKind::Corrupt, "reserved header flags are set"));
    }
    h.mode = need!(be32(b, p));
    let lo = need!(be32(b, p + 4));
    p += 8;
    let hi = if h.version >= 0x0940 {
        p += 4;
        need!(be32(b, p - 4))
    } else {
        0
    };
    h.mtime = u64::from(hi) << 32 | u64::from(lo);
    let name_len = usize::from(*need!(b.get(p)));
    p += 1;
    h.name = need!(b.get(p..p + name_len)).to_vec();
    p += name_len;
    let sum = need!(be32(b, p));
    let body = b.get(9..p).unwrap_or(&[]);
    let want = if h.flags & F_H_CRC32 != 0 { crc32(body) } else { adler32(body) };
    if sum != want {
        return Err((ErrorKind::Checksum, "header checksum does not match"));
    }
    p += 4;
    if h.flags & F_H_EXTRA_FIELD != 0 {
        let len = need!(be32(b, p)) as usize;
        if len > 4096 {
            return Err((ErrorKind::Corrupt, "header extra field longer than 4 KiB"));
        }
        p += 4 + len + 4;
        need!(b.get(p - 1));
    }
    Ok(Some((h, p)))
}

/// Where the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    BlockHeader,
    BlockData,
    Drain,
    /// After an end mark: another member may follow.
    MemberEnd,
    Failed,
}

/// A streaming lzop decoder (concatenated members are decoded as one
/// stream; bytes that cannot start a member after the first end it).
#[derive(Debug, Clone)]
pub struct LzopDecoder {
    phase: Phase,
    buf: Vec<u8>,
    header: Option<LzopHeader>,
    flags: u32,
    usize_: usize,
    csize: usize,
    plain: Vec<u8>,
    drained: usize,
    total_in: u64,
}

impl Default for LzopDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl LzopDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            phase: Phase::Header,
            buf: Vec::new(),
            header: None,
            flags: 0,
            usize_: 0,
            csize: 0,
            plain: Vec::new(),
            drained: 0,
            total_in: 0,
        }
    }

    /// The first member's header, once read.
    #[must_use]
    pub fn header(&self) -> Option<&LzopHeader> {
        self.header.as_ref()
    }

    /// Moves input into `buf` until it holds `want` bytes.
    fn gather(&mut self, input: &[u8], ip: &mut usize, want: usize) -> bool {
        let n = want.saturating_sub(self.buf.len()).min(input.len() - *ip);
        self.buf.extend_from_slice(input.get(*ip..*ip + n).unwrap_or(&[]));
        *ip += n;
        self.buf.len() >= want
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Checksum fields of a block: data sums always, compressed-data sums
    /// only when the block is compressed.
    fn sum_fields(&self, compressed: bool) -> usize {
        let mut n = 0;
        for (flag, on_compressed) in [(F_ADLER32_D, false), (F_CRC32_D, false), (F_ADLER32_C, true), (F_CRC32_C, true)]
        {
            if self.flags & flag != 0 && (!on_compressed || compressed) {
                n += 1;
            }
        }
        n
    }

    fn check_block(&mut self, ip: usize) -> Result<(), Error> {
        let compressed = self.csize < self.usize_;
        let nsums = self.sum_fields(compressed);
        let data = self.buf.get(8 + 4 * nsums..).unwrap_or(&[]);
        self.plain.clear();
        if compressed {
            self.plain.resize(self.usize_, 0);
            match decompress(data, &mut self.plain) {
                Ok(n) if n == self.usize_ => {}
                Ok(_) => return Err(self.fail(ErrorKind::Corrupt, "block decodes to the wrong size", ip)),
                Err(e) => return Err(self.fail(e.kind(), e.detail(), ip)),
            }
        } else {
            self.plain.extend_from_slice(data);
        }
        let mut it = self.buf.get(8..).unwrap_or(&[]).chunks_exact(4).take(nsums).map(|c| be32(c, 0).unwrap_or(0));
        for (flag, over_plain, is_crc) in
            [(F_ADLER32_D, true, false), (F_CRC32_D, true, true), (F_ADLER32_C, false, false), (F_CRC32_C, false, true)]
        {
            if self.flags & flag == 0 || (!over_plain && !compressed) {
                continue;
            }
            let bytes = if over_plain { self.plain.as_slice() } else { data };
            let got = if is_crc { crc32(bytes) } else { adler32(bytes) };
            if it.next() != Some(got) {
                return Err(self.fail(ErrorKind::Checksum, "block checksum does not match", ip));
            }
        }
        self.drained = 0;
        Ok(())
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::MemberEnd => match input.get(*ip) {
                    None => return Ok(Status::NeedInput),
                    Some(&0x89) => {
                        self.buf.clear();
                        self.phase = Phase::Header;
                    }
                    Some(_) => return Ok(Status::StreamEnd),
                },
                Phase::Header => {
                    let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                    *ip += 1;
                    self.buf.push(b);
                    match parse_header(&self.buf) {
                        Ok(None) => {}
                        Ok(Some((h, _))) => {
                            self.flags = h.flags;
                            if self.header.is_none() {
                                self.header = Some(h);
                            }
                            self.buf.clear();
                            self.phase = Phase::BlockHeader;
                        }
                        Err((kind, detail)) => return Err(self.fail(kind, detail, *ip)),
                    }
                }
                Phase::BlockHeader => {
                    if !self.gather(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    if be32(&self.buf, 0) == Some(0) {
                        self.buf.clear();
                        self.phase = Phase::MemberEnd;
                        continue;
                    }
                    if !self.gather(input, ip, 8) {
                        return Ok(Status::NeedInput);
                    }
                    let u = be32(&self.buf, 0).unwrap_or(0) as usize;
                    let c = be32(&self.buf, 4).unwrap_or(0) as usize;
                    if u > MAX_BLOCK {
                        return Err(self.fail(ErrorKind::Corrupt, "block larger than 64 MiB", *ip));
                    }
                    if c > u || c == 0 {
                        return Err(self.fail(ErrorKind::Corrupt, "compressed size out of range", *ip));
                    }
                    self.usize_ = u;
                    self.csize = c;
                    self.phase = Phase::BlockData;
                }
                Phase::BlockData => {
                    let total = 8 + 4 * self.sum_fields(self.csize < self.usize_) + self.csize;
                    let n = (total - self.buf.len()).min(input.len() - *ip);
                    self.buf.extend_from_slice(input.get(*ip..*ip + n).unwrap_or(&[]));
                    *ip += n;
                    if self.buf.len() < total {
                        return Ok(Status::NeedInput);
                    }
                    self.check_block(*ip)?;
                    self.buf.clear();
                    self.phase = Phase::Drain;
                }
                Phase::Drain => {
                    let n = (self.plain.len() - self.drained).min(output.len() - *op);
                    if let (Some(d), Some(s)) =
                        (output.get_mut(*op..*op + n), self.plain.get(self.drained..self.drained + n))
                    {
                        d.copy_from_slice(s);
                    }
                    *op += n;
                    self.drained += n;
                    if self.drained < self.plain.len() {
                        return Ok(Status::NeedOutput);
                    }
                    self.phase = Phase::BlockHeader;
                }
            }
        }
    }
}

impl Decoder for LzopDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        *self = Self::new();
    }

    /// After a member's end mark the input may end (another member may
    /// also follow); anywhere else the end of input is a truncation.
    fn has_end_marker(&self) -> bool {
        self.phase != Phase::MemberEnd
    }
}

/// A streaming lzop encoder: one member, 256 KiB blocks, Adler-32 of each
/// block's data (as `lzop` writes by default).
#[derive(Debug, Clone)]
pub struct LzopEncoder {
    best: bool,
    block: Vec<u8>,
    pending: Vec<u8>,
    pending_pos: PendingOutput,
    scratch: Vec<u8>,
    started: bool,
    finished: bool,
    failed: bool,
}

impl LzopEncoder {
    /// An encoder at `level`: 1..=6 (and -1, 0) LZO1X-1, 7..=9 LZO1X-999.
    #[must_use]
    pub fn new(level: i32) -> Self {
        Self {
            best: level >= 7,
            block: Vec::new(),
            pending: Vec::new(),
            pending_pos: PendingOutput::new(),
            scratch: Vec::new(),
            started: false,
            finished: false,
            failed: false,
        }
    }

    fn header(&self) -> Vec<u8> {
        let mut h = MAGIC.to_vec();
        h.extend_from_slice(&0x1040u16.to_be_bytes());
        h.extend_from_slice(&0x20a0u16.to_be_bytes());
        h.extend_from_slice(&0x0940u16.to_be_bytes());
        h.push(if self.best { 3 } else { 1 });
        h.push(if self.best { 9 } else { 1 });
        h.extend_from_slice(&(F_ADLER32_D | F_OS_UNIX).to_be_bytes());
        h.extend_from_slice(&0u32.to_be_bytes()); // mode
        h.extend_from_slice(&0u32.to_be_bytes()); // mtime low
        h.extend_from_slice(&0u32.to_be_bytes()); // mtime high
        h.push(0); // no name
        let sum = adler32(h.get(9..).unwrap_or(&[]));
        h.extend_from_slice(&sum.to_be_bytes());
        h
    }

    fn emit_block(&mut self) {
        self.scratch.clear();
        if self.best {
            compress_best(&self.block, &mut self.scratch);
        } else {
            compress_fast(&self.block, &mut self.scratch);
        }
        let n = self.block.len();
        let stored = self.scratch.len() >= n;
        self.pending.extend_from_slice(&(n as u32).to_be_bytes());
        self.pending.extend_from_slice(&(if stored { n } else { self.scratch.len() } as u32).to_be_bytes());
        self.pending.extend_from_slice(&adler32(&self.block).to_be_bytes());
        self.pending.extend_from_slice(if stored { &self.block } else { &self.scratch });
        self.block.clear();
    }
}

impl Encoder for LzopEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let mut ip = 0;
        let mut op = 0;
        loop {
            if !self.pending_pos.drain(&mut self.pending, output, &mut op) {
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
                self.pending = self.header();
                self.started = true;
                continue;
            }
            let take = (BLOCK - self.block.len()).min(input.len() - ip);
            self.block.extend_from_slice(input.get(ip..ip + take).unwrap_or(&[]));
            ip += take;
            if self.block.len() == BLOCK {
                self.emit_block();
                continue;
            }
            match flush {
                Flush::None => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
                _ if !self.block.is_empty() => self.emit_block(),
                Flush::Finish => {
                    self.pending.extend_from_slice(&[0; 4]);
                    self.finished = true;
                }
                _ => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
            }
        }
    }

    fn reset(&mut self) {
        *self = Self::new(if self.best { 9 } else { 1 });
    }
}
