//! LZW as `compress(1)` writes it (`.Z`): the `1F 9D` header with the
//! maximum code width and block-mode flag, then LSB-first codes of 9 up
//! to 16 bits, with CLEAR (code 256) resets when the ratio drops.
//!
//! Entry points: [`LzwEncoder`] (byte-identical to ncompress's `compress`
//! for the same `-b` setting) and [`LzwDecoder`] (anything compress
//! writes, any `-b`, block mode or not), [`compress_to_vec`],
//! [`decompress_to_vec`].
//!
//! ```
//! use compcol::lzw::LzwEncoder;
//! let data = b"TOBEORNOTTOBEORTOBEORNOT".repeat(50);
//! let packed = compcol::compress_to_vec(&mut LzwEncoder::new(), &data)?;
//! assert_eq!(compcol::lzw::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

mod decoder;
mod encoder;

use crate::Error;
use alloc::vec::Vec;
pub use decoder::LzwDecoder;
pub use encoder::LzwEncoder;

pub(crate) const NAME: &str = "lzw";
pub(crate) const MAGIC: [u8; 2] = [0x1f, 0x9d];
/// Header flag: block mode (CLEAR codes allowed).
pub(crate) const BLOCK_MODE: u8 = 0x80;
/// The CLEAR code in block mode.
pub(crate) const CLEAR: u32 = 256;
/// The first free code in block mode.
pub(crate) const FIRST: u32 = 257;

/// Compresses `data` as `compress` (16-bit codes, block mode) would.
///
/// # Errors
/// None in practice; the signature matches the other codecs.
pub fn compress_to_vec(data: &[u8]) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut LzwEncoder::new(), data)
}

/// Decompresses a `.Z` stream, failing once the output would pass `cap`.
///
/// # Errors
/// Corrupt input; [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut LzwDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
