//! Snappy: the raw format and the framing format (`.sz`).
//!
//! Entry points: [`SnappyEncoder`] / [`SnappyDecoder`] (framing format,
//! streaming, CRC-32C per chunk: the factory's `"snappy"`),
//! [`SnappyRawEncoder`] / [`SnappyRawDecoder`] (raw format, the factory's
//! `"snappy-raw"`), and [`raw`] for one-shot raw calls.
//!
//! ```
//! use compcol::snappy::SnappyEncoder;
//! let data = b"snappy framing, snappy framing, snappy framing".repeat(20);
//! let packed = compcol::compress_to_vec(&mut SnappyEncoder::new(), &data)?;
//! assert_eq!(compcol::snappy::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

mod frame;
pub mod raw;
mod stream;

use crate::Error;
use alloc::vec::Vec;
pub use frame::{SnappyDecoder, SnappyEncoder};
pub use stream::{DEFAULT_RAW_LIMIT, SnappyRawDecoder, SnappyRawEncoder};

pub(crate) const NAME: &str = "snappy";

/// Compresses `data` into a framed Snappy stream.
///
/// # Errors
/// None in practice; the signature matches the other codecs.
pub fn compress_to_vec(data: &[u8]) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut SnappyEncoder::new(), data)
}

/// Decompresses a framed Snappy stream, failing once the output would
/// pass `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut SnappyDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
