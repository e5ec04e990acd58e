//! Adapters over a `Read`: decompress what it yields
//! ([`DecodeReader`]) or compress it ([`EncodeReader`]).
//!
//! Entry points: the aliases [`GzDecoder`], [`ZlibDecoder`],
//! [`DeflateDecoder`] and their encoder twins.

use super::{BUF, Compression, LevelEncoder, to_io, truncated};
use crate::{Decoder, Encoder, Flush, Status};
use alloc::boxed::Box;
use alloc::vec;
use std::io::{self, Read};

/// Decompresses the bytes of a reader.
#[derive(Debug)]
pub struct DecodeReader<R, D> {
    inner: R,
    dec: D,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read, D: Decoder + Default> DecodeReader<R, D> {
    /// Decompresses `inner` with a fresh decoder.
    pub fn new(inner: R) -> Self {
        Self::with_decoder(inner, D::default())
    }
}

impl<R: Read, D: Decoder> DecodeReader<R, D> {
    /// Decompresses `inner` with `dec` (e.g. a [`crate::Limited`] one).
    pub fn with_decoder(inner: R, dec: D) -> Self {
        Self { inner, dec, buf: vec![0; BUF].into_boxed_slice(), pos: 0, len: 0, eof: false, done: false }
    }
    /// The decoder.
    pub fn decoder(&self) -> &D {
        &self.dec
    }
    /// The wrapped reader.
    pub fn get_ref(&self) -> &R {
        &self.inner
    }
    /// Input read from the reader but not used by the decoder: after the
    /// stream ended, the start of whatever followed it.
    pub fn unconsumed(&self) -> &[u8] {
        self.buf.get(self.pos..self.len).unwrap_or(&[])
    }
    /// Gives back the reader (bytes it yielded past the stream end may be
    /// buffered here: see [`DecodeReader::unconsumed`]).
    pub fn into_inner(self) -> R {
        self.inner
    }

    fn refill(&mut self) -> io::Result<()> {
        let n = loop {
            match self.inner.read(&mut self.buf) {
                Ok(n) => break n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.pos = 0;
        self.len = n;
        self.eof = n == 0;
        Ok(())
    }
}

impl<R: Read, D: Decoder> Read for DecodeReader<R, D> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.done {
                return Ok(0);
            }
            if self.pos == self.len && !self.eof {
                self.refill()?;
            }
            let input = self.buf.get(self.pos..self.len).unwrap_or(&[]);
            let p = self.dec.decode(input, out).map_err(to_io)?;
            self.pos += p.consumed;
            match p.status {
                Status::StreamEnd if p.produced == 0 => {
                    if self.pos == self.len && !self.eof {
                        // Another member may follow in the next buffer.
                        self.refill()?;
                        if !self.eof {
                            continue;
                        }
                    }
                    self.done = true;
                    return Ok(0);
                }
                Status::NeedDictionary(_) => {
                    return Err(to_io(crate::Error::new(
                        crate::ErrorKind::Unsupported,
                        "io",
                        "stream needs a preset dictionary",
                    )));
                }
                _ => {}
            }
            if p.produced > 0 {
                return Ok(p.produced);
            }
            if self.eof && self.pos == self.len {
                if !self.dec.has_end_marker() {
                    self.done = true;
                    return Ok(0);
                }
                return Err(truncated());
            }
        }
    }
}

/// Compresses the bytes of a reader.
#[derive(Debug)]
pub struct EncodeReader<R, E> {
    inner: R,
    enc: E,
    buf: Box<[u8]>,
    pos: usize,
    len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read, E: LevelEncoder> EncodeReader<R, E> {
    /// Compresses `inner` at `level`.
    pub fn new(inner: R, level: Compression) -> Self {
        Self::with_encoder(inner, E::with_level(level))
    }
}

impl<R: Read, E: Encoder> EncodeReader<R, E> {
    /// Compresses `inner` with `enc`.
    pub fn with_encoder(inner: R, enc: E) -> Self {
        Self { inner, enc, buf: vec![0; BUF].into_boxed_slice(), pos: 0, len: 0, eof: false, done: false }
    }
    /// Gives back the reader.
    pub fn into_inner(self) -> R {
        self.inner
    }
}

impl<R: Read, E: Encoder> Read for EncodeReader<R, E> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        if out.is_empty() {
            return Ok(0);
        }
        loop {
            if self.done {
                return Ok(0);
            }
            if self.pos == self.len && !self.eof {
                let n = loop {
                    match self.inner.read(&mut self.buf) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => return Err(e),
                    }
                };
                self.pos = 0;
                self.len = n;
                self.eof = n == 0;
            }
            let flush = if self.eof { Flush::Finish } else { Flush::None };
            let input = self.buf.get(self.pos..self.len).unwrap_or(&[]);
            let p = self.enc.encode(input, out, flush).map_err(to_io)?;
            self.pos += p.consumed;
            if p.status == Status::StreamEnd && p.produced == 0 {
                self.done = true;
            }
            if p.produced > 0 {
                return Ok(p.produced);
            }
        }
    }
}

/// Reads a gzip stream (all members) as plain bytes.
#[cfg(feature = "gzip")]
pub type GzDecoder<R> = DecodeReader<R, crate::gzip::GzipDecoder>;
/// Reads plain bytes as one gzip member.
#[cfg(feature = "gzip")]
pub type GzEncoder<R> = EncodeReader<R, crate::gzip::GzipEncoder>;
/// Reads a zlib stream as plain bytes.
#[cfg(feature = "zlib")]
pub type ZlibDecoder<R> = DecodeReader<R, crate::zlib::ZlibDecoder>;
/// Reads plain bytes as a zlib stream.
#[cfg(feature = "zlib")]
pub type ZlibEncoder<R> = EncodeReader<R, crate::zlib::ZlibEncoder>;
/// Reads a raw deflate stream as plain bytes.
#[cfg(feature = "deflate")]
pub type DeflateDecoder<R> = DecodeReader<R, crate::deflate::DeflateDecoder>;
/// Reads plain bytes as a raw deflate stream.
#[cfg(feature = "deflate")]
pub type DeflateEncoder<R> = EncodeReader<R, crate::deflate::DeflateEncoder>;
