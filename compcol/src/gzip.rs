//! gzip (RFC 1952): members of header, deflate data, CRC-32 and ISIZE;
//! a file may hold several members, decoded as one concatenated stream.
//!
//! Entry points: [`GzipEncoder`], [`GzipDecoder`], [`GzHeader`],
//! [`compress_to_vec`], [`decompress_to_vec`]. Submodule `header` parses
//! and writes the member header.

mod header;

use crate::checksum::Crc32;
use crate::deflate::Options;
use crate::deflate::encoder::Deflater;
use crate::deflate::framed::{FrameCheck, FramedEncoder};
use crate::deflate::inflate::Inflater;
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;
pub use header::GzHeader;
use header::HeaderParser;

const NAME: &str = "gzip";

/// The gzip trailer: CRC-32 and ISIZE (length mod 2^32), little-endian.
#[derive(Debug, Clone)]
struct GzipCheck {
    crc: Crc32,
    size: u32,
}

impl FrameCheck for GzipCheck {
    fn new() -> Self {
        Self { crc: Crc32::new(), size: 0 }
    }

    fn update(&mut self, data: &[u8]) {
        self.crc.update(data);
        self.size = self.size.wrapping_add(data.len() as u32);
    }

    fn trailer(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.crc.value().to_le_bytes());
        out.extend_from_slice(&self.size.to_le_bytes());
    }
}

/// A gzip encoder writing one member.
#[derive(Debug, Clone)]
pub struct GzipEncoder(FramedEncoder<GzipCheck>);

impl GzipEncoder {
    /// An encoder at `level` (clamped to 0..=9; -1 means 6) with an empty
    /// header (no name, MTIME 0).
    #[must_use]
    pub fn new(level: i32) -> Self {
        let level = if level == -1 { crate::deflate::DEFAULT_LEVEL } else { level.clamp(0, 9) };
        let header = GzHeader::new().to_bytes(level);
        Self::build(Deflater::new(level as u8, Default::default(), 15, &[]), header)
    }

    /// An encoder with explicit options and header fields. A preset
    /// dictionary is rejected: gzip has no way to name one.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for bad options.
    pub fn with_header(options: &Options, header: &GzHeader) -> Result<Self, Error> {
        if !options.dictionary_value().is_empty() {
            return Err(Error::new(ErrorKind::InvalidArgument, NAME, "gzip cannot carry a preset dictionary"));
        }
        Ok(Self::build(options.build(NAME)?, header.to_bytes(options.level_value())))
    }

    fn build(inner: Deflater, header: Vec<u8>) -> Self {
        Self(FramedEncoder::new(inner, header, NAME))
    }
}

impl Encoder for GzipEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        self.0.encode(input, output, flush)
    }

    fn reset(&mut self) {
        self.0.reset();
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecPhase {
    Header,
    Body,
    Trailer,
    /// A member ended; more input means another member.
    MemberEnd,
    Failed,
}

/// A gzip decoder. Decodes every member of a multi-member stream as one
/// output; after the last member it reports [`Status::StreamEnd`], leaving
/// any input that does not start a new member unconsumed.
#[derive(Debug, Clone)]
pub struct GzipDecoder {
    inner: Inflater,
    phase: DecPhase,
    parser: HeaderParser,
    /// The first member's header, once parsed.
    first: Option<GzHeader>,
    trailer: [u8; 8],
    have: usize,
    crc: Crc32,
    size: u32,
    members: u64,
    total_in: u64,
}

impl Default for GzipDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl GzipDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Inflater::new(),
            phase: DecPhase::Header,
            parser: HeaderParser::new(),
            first: None,
            trailer: [0; 8],
            have: 0,
            crc: Crc32::new(),
            size: 0,
            members: 0,
            total_in: 0,
        }
    }

    /// The first member's header, once it has been read.
    #[must_use]
    pub fn header(&self) -> Option<&GzHeader> {
        self.first.as_ref()
    }

    /// Members completed so far.
    #[must_use]
    pub fn members(&self) -> u64 {
        self.members
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = DecPhase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        // Rule: every return leaves `phase` at the step to resume.
        loop {
            match self.phase {
                DecPhase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                DecPhase::Header => loop {
                    let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                    *ip += 1;
                    match self.parser.push(b) {
                        Ok(false) => {}
                        Ok(true) => {
                            if self.first.is_none() {
                                self.first = Some(self.parser.header.clone());
                            }
                            self.inner.reset();
                            self.crc = Crc32::new();
                            self.size = 0;
                            self.phase = DecPhase::Body;
                            break;
                        }
                        Err((kind, detail)) => return Err(self.fail(kind, detail, *ip)),
                    }
                },
                DecPhase::Body => {
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let out = output.get_mut(*op..).unwrap_or(&mut []);
                    let (c, p, status) = match self.inner.inflate(rest, out) {
                        Ok(r) => r,
                        Err(e) => {
                            self.phase = DecPhase::Failed;
                            return Err(e);
                        }
                    };
                    self.crc.update(out.get(..p).unwrap_or(&[]));
                    self.size = self.size.wrapping_add(p as u32);
                    *ip += c;
                    *op += p;
                    if status != Status::StreamEnd {
                        return Ok(status);
                    }
                    self.have = 0;
                    self.phase = DecPhase::Trailer;
                }
                DecPhase::Trailer => {
                    while self.have < 8 {
                        let b = match self.inner.take_byte() {
                            Some(b) => b,
                            None => match input.get(*ip) {
                                Some(&b) => {
                                    *ip += 1;
                                    b
                                }
                                None => return Ok(Status::NeedInput),
                            },
                        };
                        if let Some(slot) = self.trailer.get_mut(self.have) {
                            *slot = b;
                        }
                        self.have += 1;
                    }
                    let [c0, c1, c2, c3, s0, s1, s2, s3] = self.trailer;
                    if u32::from_le_bytes([c0, c1, c2, c3]) != self.crc.value() {
                        return Err(self.fail(ErrorKind::Checksum, "CRC-32 of the data does not match", *ip));
                    }
                    if u32::from_le_bytes([s0, s1, s2, s3]) != self.size {
                        return Err(self.fail(ErrorKind::Checksum, "ISIZE does not match the data length", *ip));
                    }
                    self.members += 1;
                    self.phase = DecPhase::MemberEnd;
                }
                DecPhase::MemberEnd => match input.get(*ip) {
                    Some(0x1f) => {
                        self.parser = HeaderParser::new();
                        self.phase = DecPhase::Header;
                    }
                    _ => return Ok(Status::StreamEnd),
                },
            }
        }
    }
}

impl Decoder for GzipDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
        self.phase = DecPhase::Header;
        self.parser = HeaderParser::new();
        self.first = None;
        self.have = 0;
        self.members = 0;
        self.total_in = 0;
    }
}

/// Compresses `data` into a single gzip member at `level` (-1 ..= 9).
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] for a bad level.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut GzipEncoder::with_header(&Options::new(level), &GzHeader::new())?, data)
}

/// Decompresses all members of a gzip stream, failing once the output
/// would pass `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut GzipDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
