//! `std::io` adapters in both directions, shaped like flate2's:
//! `read::GzDecoder::new(reader)`, `write::GzEncoder::new(writer, level)`,
//! `finish()`, and the same for zlib and raw deflate.
//!
//! Entry points: [`read`] (wrap a `Read`: [`read::DecodeReader`],
//! [`read::EncodeReader`]) and [`write`](mod@write) (wrap a `Write`:
//! [`write::EncodeWriter`], [`write::DecodeWriter`]); each is generic over
//! any [`Encoder`] / [`Decoder`](crate::Decoder), with type
//! aliases per format. Codec errors become `io::ErrorKind::InvalidData`
//! (truncation: `UnexpectedEof`) wrapping the compcol [`Error`].
//!
//! ```
//! use std::io::{Read, Write};
//! use compcol::io::{Compression, read::GzDecoder, write::GzEncoder};
//! let mut enc = GzEncoder::new(Vec::new(), Compression::new(6));
//! enc.write_all(b"hello through std::io")?;
//! let packed = enc.finish()?;
//! let mut plain = String::new();
//! GzDecoder::new(&packed[..]).read_to_string(&mut plain)?;
//! assert_eq!(plain, "hello through std::io");
//! # Ok::<(), std::io::Error>(())
//! ```

pub mod read;
pub mod write;

use crate::{Encoder, Error, ErrorKind};
use std::io;

/// Buffer size of the adapters.
const BUF: usize = 32 * 1024;

/// A compression level, 0 (store) ..= 9 (smallest).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Compression(u32);

impl Compression {
    /// Level `level`, clamped to 0..=9.
    #[must_use]
    pub const fn new(level: u32) -> Self {
        Self(if level > 9 { 9 } else { level })
    }
    /// Level 0: stored blocks.
    #[must_use]
    pub const fn none() -> Self {
        Self(0)
    }
    /// Level 1.
    #[must_use]
    pub const fn fast() -> Self {
        Self(1)
    }
    /// Level 9.
    #[must_use]
    pub const fn best() -> Self {
        Self(9)
    }
    /// The level number.
    #[must_use]
    pub const fn level(&self) -> u32 {
        self.0
    }
}

impl Default for Compression {
    fn default() -> Self {
        Self(6)
    }
}

/// Encoders that can be made from a [`Compression`] level (what the
/// `new(inner, level)` constructors need).
pub trait LevelEncoder: Encoder {
    /// An encoder at `level`.
    fn with_level(level: Compression) -> Self;
}

#[cfg(feature = "deflate")]
impl LevelEncoder for crate::deflate::DeflateEncoder {
    fn with_level(level: Compression) -> Self {
        Self::new(level.0 as i32)
    }
}
#[cfg(feature = "zlib")]
impl LevelEncoder for crate::zlib::ZlibEncoder {
    fn with_level(level: Compression) -> Self {
        Self::new(level.0 as i32)
    }
}
#[cfg(feature = "gzip")]
impl LevelEncoder for crate::gzip::GzipEncoder {
    fn with_level(level: Compression) -> Self {
        Self::new(level.0 as i32)
    }
}

/// Maps a codec error to an `io::Error` that carries it.
pub(crate) fn to_io(e: Error) -> io::Error {
    let kind = match e.kind() {
        ErrorKind::Truncated => io::ErrorKind::UnexpectedEof,
        ErrorKind::InvalidArgument | ErrorKind::Poisoned => io::ErrorKind::InvalidInput,
        _ => io::ErrorKind::InvalidData,
    };
    io::Error::new(kind, e)
}

fn truncated() -> io::Error {
    to_io(Error::new(ErrorKind::Truncated, "io", "input ended inside the stream"))
}

#[cfg(test)]
mod tests;
