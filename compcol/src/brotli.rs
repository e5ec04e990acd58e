//! brotli (RFC 7932): LZ77 with a 16 MiB window, context-modelled prefix
//! codes and a built-in static dictionary of English, HTML and other words.
//!
//! Entry points: [`BrotliEncoder`] (quality 0..=11, window 10..=24 bits),
//! [`BrotliDecoder`] (every RFC 7932 stream; the large-window extension
//! is refused with [`crate::ErrorKind::Unsupported`]),
//! [`compress_to_vec`], [`decompress_to_vec`].
//!
//! A stream is a window size (WBITS) and a sequence of meta-blocks, each
//! either metadata (skipped), uncompressed bytes or compressed commands:
//! an insert length, that many literals, a copy length and a distance.
//! Distances past the window (and past the bytes decoded so far) name a
//! word of the static dictionary (module `dictionary`) under one of 121
//! transforms. Brotli has no magic number, so `factory::detect` never
//! claims a stream for it: name it (`-F brotli`, `.br`).
//!
//! ```
//! use compcol::brotli::BrotliEncoder;
//! let data = b"brotli brotli brotli brotli".repeat(20);
//! let packed = compcol::compress_to_vec(&mut BrotliEncoder::new(5), &data)?;
//! assert!(packed.len() < data.len() / 4);
//! assert_eq!(compcol::brotli::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

mod bits;
mod decoder;
mod dictionary;
mod encoder;
mod huffman;
mod prefix;
mod tables;

use crate::Error;
use alloc::vec::Vec;
pub use decoder::BrotliDecoder;
pub use encoder::BrotliEncoder;

pub(crate) const NAME: &str = "brotli";

/// Compresses `data` into one brotli stream at `quality` (0..=11) with
/// the default window (22 bits).
///
/// # Errors
/// [`crate::ErrorKind::InvalidArgument`] for a quality above 11.
pub fn compress_to_vec(data: &[u8], quality: u32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut BrotliEncoder::try_new(quality, 22)?, data)
}

/// Decompresses one brotli stream, failing once the output would pass
/// `cap`.
///
/// # Errors
/// Corrupt or truncated input, [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut BrotliDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
