//! zlib (RFC 1950): a 2-byte header, a deflate stream and an Adler-32 of
//! the data; optionally a preset dictionary named by its Adler-32 (FDICT).
//!
//! Entry points: [`ZlibEncoder`], [`ZlibDecoder`], [`compress_to_vec`],
//! [`decompress_to_vec`]. A stream with FDICT and no matching dictionary
//! makes the decoder return [`Status::NeedDictionary`] with the id; call
//! [`ZlibDecoder::set_dictionary`] and continue.

use crate::checksum::{Adler32, adler32};
use crate::deflate::Options;
use crate::deflate::encoder::Deflater;
use crate::deflate::framed::{FrameCheck, FramedEncoder};
use crate::deflate::inflate::Inflater;
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

const NAME: &str = "zlib";

/// The zlib trailer: the Adler-32 of the data, big-endian.
impl FrameCheck for Adler32 {
    fn new() -> Self {
        Adler32::new()
    }

    fn update(&mut self, data: &[u8]) {
        Adler32::update(self, data);
    }

    fn trailer(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.value().to_be_bytes());
    }
}

/// A zlib encoder.
#[derive(Debug, Clone)]
pub struct ZlibEncoder(FramedEncoder<Adler32>);

/// FLEVEL: the compressor's effort class, informational only.
fn flevel(level: i32) -> u8 {
    match level {
        0 | 1 => 0,
        2..=5 => 1,
        6 => 2,
        _ => 3,
    }
}

impl ZlibEncoder {
    /// An encoder at `level` (clamped to 0..=9; -1 means 6).
    #[must_use]
    pub fn new(level: i32) -> Self {
        let level = if level == -1 { crate::deflate::DEFAULT_LEVEL } else { level.clamp(0, 9) };
        match Self::with_options(&Options::new(level)) {
            Ok(e) => e,
            // Unreachable: a clamped level and the default window are valid.
            Err(_) => Self::build(Deflater::new(6, Default::default(), 15, &[]), 6, 15, None),
        }
    }

    /// An encoder with explicit options; a dictionary sets FDICT.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for bad levels or window bits.
    pub fn with_options(options: &Options) -> Result<Self, Error> {
        let inner = options.build(NAME)?;
        let dict = options.dictionary_value();
        let id = if dict.is_empty() { None } else { Some(adler32(dict)) };
        Ok(Self::build(inner, options.level_value(), options.window_bits_value(), id))
    }

    fn build(inner: Deflater, level: i32, wbits: u8, dict_id: Option<u32>) -> Self {
        let cmf = ((wbits - 8) << 4) | 8;
        let mut flg = flevel(level) << 6;
        if dict_id.is_some() {
            flg |= 0x20;
        }
        let check = (u16::from(cmf) * 256 + u16::from(flg)) % 31;
        if check != 0 {
            flg += (31 - check) as u8;
        }
        let mut header = alloc::vec![cmf, flg];
        if let Some(id) = dict_id {
            header.extend_from_slice(&id.to_be_bytes());
        }
        Self(FramedEncoder::new(inner, header, NAME))
    }
}

impl Encoder for ZlibEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        self.0.encode(input, output, flush)
    }

    fn reset(&mut self) {
        self.0.reset();
    }
}

/// Where the decoder is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DecPhase {
    Header,
    DictId,
    NeedDict(u32),
    Body,
    Trailer,
    Done,
    Failed,
}

/// A zlib decoder.
#[derive(Debug, Clone)]
pub struct ZlibDecoder {
    inner: Inflater,
    phase: DecPhase,
    buf: [u8; 4],
    have: usize,
    adler: Adler32,
    dict: Option<Vec<u8>>,
    total_in: u64,
}

impl Default for ZlibDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ZlibDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            inner: Inflater::new(),
            phase: DecPhase::Header,
            buf: [0; 4],
            have: 0,
            adler: Adler32::new(),
            dict: None,
            total_in: 0,
        }
    }

    /// A decoder that answers FDICT with `dict` when its Adler-32 matches.
    #[must_use]
    pub fn with_dictionary(dict: &[u8]) -> Self {
        let mut d = Self::new();
        d.dict = Some(dict.to_vec());
        d
    }

    /// Supplies the dictionary after [`Status::NeedDictionary`] (or ahead
    /// of time).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] when the stream asked for a
    /// different dictionary id.
    pub fn set_dictionary(&mut self, dict: &[u8]) -> Result<(), Error> {
        if let DecPhase::NeedDict(id) = self.phase {
            if adler32(dict) != id {
                return Err(Error::new(
                    ErrorKind::InvalidArgument,
                    NAME,
                    "dictionary does not match the stream's DICTID",
                ));
            }
            self.inner.set_dictionary(dict);
            self.phase = DecPhase::Body;
        }
        self.dict = Some(dict.to_vec());
        Ok(())
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = DecPhase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Collects `want` bytes into `buf`; true when complete.
    fn collect(&mut self, want: usize, input: &[u8], ip: &mut usize) -> bool {
        while self.have < want {
            let b = match self.inner.take_byte() {
                Some(b) => b,
                None => match input.get(*ip) {
                    Some(&b) => {
                        *ip += 1;
                        b
                    }
                    None => return false,
                },
            };
            if let Some(slot) = self.buf.get_mut(self.have) {
                *slot = b;
            }
            self.have += 1;
        }
        self.have = 0;
        true
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        // Rule: every return leaves `phase` at the step to resume.
        loop {
            match self.phase {
                DecPhase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                DecPhase::Header => {
                    if !self.collect(2, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let [cmf, flg, ..] = self.buf;
                    if cmf & 0x0f != 8 {
                        return Err(self.fail(ErrorKind::Corrupt, "compression method is not deflate", *ip));
                    }
                    if cmf >> 4 > 7 {
                        return Err(self.fail(ErrorKind::Corrupt, "window size above 32 KiB", *ip));
                    }
                    if (u16::from(cmf) * 256 + u16::from(flg)) % 31 != 0 {
                        return Err(self.fail(ErrorKind::Corrupt, "header check bits are wrong", *ip));
                    }
                    self.phase = if flg & 0x20 != 0 { DecPhase::DictId } else { DecPhase::Body };
                }
                DecPhase::DictId => {
                    if !self.collect(4, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    let id = u32::from_be_bytes(self.buf);
                    match &self.dict {
                        Some(d) if adler32(d) == id => {
                            self.inner.set_dictionary(d);
                            self.phase = DecPhase::Body;
                        }
                        _ => self.phase = DecPhase::NeedDict(id),
                    }
                }
                DecPhase::NeedDict(id) => return Ok(Status::NeedDictionary(id)),
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
                    self.adler.update(out.get(..p).unwrap_or(&[]));
                    *ip += c;
                    *op += p;
                    if status != Status::StreamEnd {
                        return Ok(status);
                    }
                    self.phase = DecPhase::Trailer;
                }
                DecPhase::Trailer => {
                    if !self.collect(4, input, ip) {
                        return Ok(Status::NeedInput);
                    }
                    if u32::from_be_bytes(self.buf) != self.adler.value() {
                        return Err(self.fail(ErrorKind::Checksum, "Adler-32 of the data does not match", *ip));
                    }
                    self.phase = DecPhase::Done;
                }
                DecPhase::Done => return Ok(Status::StreamEnd),
            }
        }
    }
}

impl Decoder for ZlibDecoder {
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
        self.have = 0;
        self.adler = Adler32::new();
        self.total_in = 0;
    }
}

/// Compresses `data` into a zlib stream at `level` (-1 ..= 9).
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] for a bad level.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut ZlibEncoder::with_options(&Options::new(level))?, data)
}

/// Decompresses a zlib stream, failing once the output would pass `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut ZlibDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
