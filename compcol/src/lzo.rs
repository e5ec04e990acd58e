//! LZO: the LZO1X stream format (LZO1X-1 and LZO1X-999 compressors, one
//! strict decoder for every LZO1X stream) and the `lzop` container.
//!
//! Entry points: [`LzopEncoder`] / [`LzopDecoder`] (`.lzo` files as the
//! `lzop` tool reads and writes them, streaming: the factory's `"lzo"`),
//! [`LzopHeader`], and [`lzo1x`] for raw streams.
//!
//! ```
//! use compcol::lzo::LzopEncoder;
//! let data = b"lzop container, lzop container".repeat(30);
//! let packed = compcol::compress_to_vec(&mut LzopEncoder::new(9), &data)?;
//! assert_eq!(compcol::lzo::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

pub mod lzo1x;
mod lzop;

use crate::Error;
use alloc::vec::Vec;
pub use lzop::{LzopDecoder, LzopEncoder, LzopHeader};

pub(crate) const NAME: &str = "lzo";

/// Compresses `data` into an lzop stream at `level` (7..=9: LZO1X-999).
///
/// # Errors
/// None in practice; the signature matches the other codecs.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut LzopEncoder::new(level), data)
}

/// Decompresses an lzop stream, failing once the output would pass `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut LzopDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
