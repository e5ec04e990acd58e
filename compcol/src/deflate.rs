//! deflate (RFC 1951): raw compressed streams with no header or checksum.
//!
//! Entry points: [`DeflateEncoder`] and [`DeflateDecoder`], plus
//! [`compress_to_vec`] / [`decompress_to_vec`]. The zlib and gzip codecs
//! wrap the same engine. Submodules: `huffman` (decoding tables),
//! `inflate` (the decoder state machine), `encoder` (the compressor:
//! window, strategies, streaming), `matcher` (the hash-chain search),
//! `runs` (byte-run scans for that search), `levels` (parameters per
//! level) and `trees` (Huffman code construction and block writing).

pub(crate) mod encoder;
// The zlib and gzip encoders' shared header/trailer wrapper; raw deflate
// has no frame.
#[cfg(any(feature = "zlib", feature = "gzip"))]
pub(crate) mod framed;
pub(crate) mod huffman;
pub(crate) mod inflate;
pub(crate) mod levels;
pub(crate) mod matcher;
pub(crate) mod runs;
pub(crate) mod trees;

use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress};
use alloc::vec::Vec;
use encoder::Deflater;
pub use encoder::Strategy;
use inflate::Inflater;

const NAME: &str = "deflate";

/// Compression settings shared by the deflate, zlib and gzip encoders.
///
/// ```
/// use compcol::deflate::{Options, Strategy};
/// let opts = Options::new(9).strategy(Strategy::Filtered).window_bits(12);
/// assert_eq!(opts.level_value(), 9);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct Options {
    level: i32,
    strategy: Strategy,
    window_bits: u8,
    dictionary: Vec<u8>,
}

impl Default for Options {
    fn default() -> Self {
        Self::new(DEFAULT_LEVEL)
    }
}

/// The level used for -1 ("default"), as in zlib.
pub const DEFAULT_LEVEL: i32 = 6;

impl Options {
    /// Level 0 (stored) ..= 9 (smallest), or -1 for the default (6).
    #[must_use]
    pub fn new(level: i32) -> Self {
        Self { level, strategy: Strategy::Default, window_bits: 15, dictionary: Vec::new() }
    }
    /// The match-finding strategy.
    #[must_use]
    pub fn strategy(mut self, strategy: Strategy) -> Self {
        self.strategy = strategy;
        self
    }
    /// Window size as a power of two, 9..=15 (512 B to 32 KiB): smaller
    /// windows bound the decoder-side history a peer must keep.
    #[must_use]
    pub fn window_bits(mut self, bits: u8) -> Self {
        self.window_bits = bits;
        self
    }
    /// A preset dictionary: data the stream may refer back to without
    /// containing it (the decoder needs the same bytes).
    #[must_use]
    pub fn dictionary(mut self, dict: &[u8]) -> Self {
        self.dictionary = dict.to_vec();
        self
    }
    /// The level after resolving -1.
    #[must_use]
    pub fn level_value(&self) -> i32 {
        if self.level == -1 { DEFAULT_LEVEL } else { self.level }
    }
    /// The configured window bits.
    #[must_use]
    pub fn window_bits_value(&self) -> u8 {
        self.window_bits
    }
    /// The configured dictionary.
    #[must_use]
    pub fn dictionary_value(&self) -> &[u8] {
        &self.dictionary
    }

    pub(crate) fn build(&self, name: &'static str) -> Result<Deflater, Error> {
        let level = self.level_value();
        if !(0..=9).contains(&level) {
            return Err(Error::new(ErrorKind::InvalidArgument, name, "level must be -1 or 0..=9"));
        }
        if !(9..=15).contains(&self.window_bits) {
            return Err(Error::new(ErrorKind::InvalidArgument, name, "window bits must be 9..=15"));
        }
        Ok(Deflater::new(level as u8, self.strategy, self.window_bits, &self.dictionary))
    }
}

/// A raw deflate encoder.
///
/// ```
/// use compcol::{Encoder, Flush, Status};
/// use compcol::deflate::DeflateEncoder;
/// let mut enc = DeflateEncoder::new(6);
/// let mut out = [0u8; 64];
/// let p = enc.encode(b"hello hello hello", &mut out, Flush::Finish)?;
/// assert_eq!(p.status, Status::StreamEnd);
/// # Ok::<(), compcol::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct DeflateEncoder {
    inner: Deflater,
}

impl DeflateEncoder {
    /// An encoder at `level` (clamped to 0..=9; -1 means 6).
    #[must_use]
    pub fn new(level: i32) -> Self {
        let level = if level == -1 { DEFAULT_LEVEL } else { level.clamp(0, 9) };
        Self { inner: Deflater::new(level as u8, Strategy::Default, 15, &[]) }
    }

    /// An encoder with explicit options.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a level outside -1..=9 or window
    /// bits outside 9..=15.
    pub fn with_options(options: &Options) -> Result<Self, Error> {
        Ok(Self { inner: options.build(NAME)? })
    }
}

impl Encoder for DeflateEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        let (consumed, produced, status) = self.inner.deflate(input, output, flush, NAME)?;
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// A raw deflate decoder.
///
/// ```
/// use compcol::Decoder;
/// use compcol::deflate::DeflateDecoder;
/// // A fixed-Huffman block holding "hi".
/// let packed = [0xcb, 0xc8, 0x04, 0x00];
/// let mut out = [0u8; 8];
/// let p = DeflateDecoder::new().decode(&packed, &mut out)?;
/// assert_eq!(&out[..p.produced], b"hi");
/// # Ok::<(), compcol::Error>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct DeflateDecoder {
    inner: Inflater,
    dict: Option<alloc::vec::Vec<u8>>,
}

impl DeflateDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self { inner: Inflater::new(), dict: None }
    }

    /// A decoder whose history starts with `dict` (the encoder must have
    /// used the same preset dictionary). Kept across `reset`.
    #[must_use]
    pub fn with_dictionary(dict: &[u8]) -> Self {
        let mut inner = Inflater::new();
        inner.set_dictionary(dict);
        Self { inner, dict: Some(dict.to_vec()) }
    }
}

impl Decoder for DeflateDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let (consumed, produced, status) = self.inner.inflate(input, output)?;
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
        if let Some(d) = &self.dict {
            self.inner.set_dictionary(d);
        }
    }
}

/// Compresses `data` into a raw deflate stream at `level` (-1 ..= 9).
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] for a bad level.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut DeflateEncoder::with_options(&Options::new(level))?, data)
}

/// Decompresses a raw deflate stream, failing once the output would pass
/// `cap`.
///
/// # Errors
/// Corrupt or truncated input; [`ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut DeflateDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
