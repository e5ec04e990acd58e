//! Adapters over a `Write`: compress what is written
//! ([`EncodeWriter`]) or decompress it ([`DecodeWriter`]).
//!
//! Entry points: the aliases [`GzEncoder`], [`ZlibEncoder`],
//! [`DeflateEncoder`] and their decoder twins. Encoders finish the stream
//! in [`EncodeWriter::finish`] (or, best effort, on drop).

use super::{BUF, Compression, LevelEncoder, to_io, truncated};
use crate::{Decoder, Encoder, Flush, Status};
use alloc::boxed::Box;
use alloc::vec;
use std::io::{self, Write};

/// Compresses everything written to it into a writer.
#[derive(Debug)]
pub struct EncodeWriter<W: Write, E: Encoder> {
    /// `None` only after `finish` moved it out.
    inner: Option<W>,
    enc: E,
    buf: Box<[u8]>,
    finished: bool,
}

impl<W: Write, E: LevelEncoder> EncodeWriter<W, E> {
    /// Compresses into `inner` at `level`.
    pub fn new(inner: W, level: Compression) -> Self {
        Self::with_encoder(inner, E::with_level(level))
    }
}

impl<W: Write, E: Encoder> EncodeWriter<W, E> {
    /// Compresses into `inner` with `enc`.
    pub fn with_encoder(inner: W, enc: E) -> Self {
        Self { inner: Some(inner), enc, buf: vec![0; BUF].into_boxed_slice(), finished: false }
    }

    /// The wrapped writer.
    pub fn get_ref(&self) -> Option<&W> {
        self.inner.as_ref()
    }

    /// Runs the encoder with `flush` until it has nothing more to say.
    fn pump(&mut self, flush: Flush) -> io::Result<()> {
        let Some(w) = self.inner.as_mut() else { return Ok(()) };
        loop {
            let p = self.enc.encode(&[], &mut self.buf, flush).map_err(to_io)?;
            w.write_all(self.buf.get(..p.produced).unwrap_or(&[]))?;
            if p.status == Status::StreamEnd || (p.status == Status::NeedInput && p.produced == 0) {
                return Ok(());
            }
        }
    }

    /// Writes the end of the stream, keeping the writer.
    ///
    /// # Errors
    /// Errors of the writer or the encoder.
    pub fn try_finish(&mut self) -> io::Result<()> {
        if !self.finished {
            self.pump(Flush::Finish)?;
            self.finished = true;
        }
        Ok(())
    }

    /// Writes the end of the stream and returns the writer.
    ///
    /// # Errors
    /// Errors of the writer or the encoder.
    pub fn finish(mut self) -> io::Result<W> {
        self.try_finish()?;
        self.inner.take().ok_or_else(|| io::Error::other("writer already taken"))
    }
}

impl<W: Write, E: Encoder> Write for EncodeWriter<W, E> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        let Some(w) = self.inner.as_mut() else { return Err(io::Error::other("writer already taken")) };
        if data.is_empty() {
            return Ok(0);
        }
        loop {
            let p = self.enc.encode(data, &mut self.buf, Flush::None).map_err(to_io)?;
            w.write_all(self.buf.get(..p.produced).unwrap_or(&[]))?;
            if p.consumed > 0 {
                return Ok(p.consumed);
            }
        }
    }

    /// A sync flush: everything written so far becomes decodable.
    fn flush(&mut self) -> io::Result<()> {
        self.pump(Flush::Sync)?;
        match self.inner.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

impl<W: Write, E: Encoder> Drop for EncodeWriter<W, E> {
    fn drop(&mut self) {
        if self.inner.is_some() {
            let _ = self.try_finish();
        }
    }
}

/// Decompresses everything written to it into a writer.
#[derive(Debug)]
pub struct DecodeWriter<W, D> {
    inner: W,
    dec: D,
    buf: Box<[u8]>,
    ended: bool,
}

impl<W: Write, D: Decoder + Default> DecodeWriter<W, D> {
    /// Decompresses into `inner`.
    pub fn new(inner: W) -> Self {
        Self::with_decoder(inner, D::default())
    }
}

impl<W: Write, D: Decoder> DecodeWriter<W, D> {
    /// Decompresses into `inner` with `dec`.
    pub fn with_decoder(inner: W, dec: D) -> Self {
        Self { inner, dec, buf: vec![0; BUF].into_boxed_slice(), ended: false }
    }

    /// Checks that the stream ended and returns the writer.
    ///
    /// # Errors
    /// `UnexpectedEof` when the written data stopped inside the stream.
    pub fn finish(mut self) -> io::Result<W> {
        loop {
            let p = self.dec.decode(&[], &mut self.buf).map_err(to_io)?;
            self.inner.write_all(self.buf.get(..p.produced).unwrap_or(&[]))?;
            if p.status == Status::StreamEnd || (p.produced == 0 && !self.dec.has_end_marker()) {
                return Ok(self.inner);
            }
            if p.produced == 0 {
                return Err(truncated());
            }
        }
    }
}

impl<W: Write, D: Decoder> Write for DecodeWriter<W, D> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        if data.is_empty() {
            return Ok(0);
        }
        let mut used = 0;
        loop {
            let p = self.dec.decode(data.get(used..).unwrap_or(&[]), &mut self.buf).map_err(to_io)?;
            used += p.consumed;
            self.inner.write_all(self.buf.get(..p.produced).unwrap_or(&[]))?;
            if p.status == Status::StreamEnd && p.produced == 0 {
                self.ended = true;
                if used == 0 {
                    return Err(io::Error::new(io::ErrorKind::InvalidData, "data after the end of the stream"));
                }
                return Ok(used);
            }
            if used == data.len() && p.produced == 0 {
                return Ok(used);
            }
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Writes plain bytes into a writer as one gzip member.
#[cfg(feature = "gzip")]
pub type GzEncoder<W> = EncodeWriter<W, crate::gzip::GzipEncoder>;
/// Writes a gzip stream into a writer as plain bytes.
#[cfg(feature = "gzip")]
pub type GzDecoder<W> = DecodeWriter<W, crate::gzip::GzipDecoder>;
/// Writes plain bytes into a writer as a zlib stream.
#[cfg(feature = "zlib")]
pub type ZlibEncoder<W> = EncodeWriter<W, crate::zlib::ZlibEncoder>;
/// Writes a zlib stream into a writer as plain bytes.
#[cfg(feature = "zlib")]
pub type ZlibDecoder<W> = DecodeWriter<W, crate::zlib::ZlibDecoder>;
/// Writes plain bytes into a writer as a raw deflate stream.
#[cfg(feature = "deflate")]
pub type DeflateEncoder<W> = EncodeWriter<W, crate::deflate::DeflateEncoder>;
/// Writes a raw deflate stream into a writer as plain bytes.
#[cfg(feature = "deflate")]
pub type DeflateDecoder<W> = DecodeWriter<W, crate::deflate::DeflateDecoder>;
