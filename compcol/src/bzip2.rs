//! bzip2: the `BZh` stream format of bzip2 1.x (Burrows-Wheeler block
//! sorting, move-to-front, run-length and multi-table Huffman coding).
//!
//! Entry points: [`Bzip2Encoder`] (byte-identical to libbzip2 1.0.8 at
//! levels 1..=9, i.e. to `bzip2 -1` .. `bzip2 -9`), [`Bzip2Decoder`]
//! (every stream bzip2 writes, including multi-stream files and the
//! randomised blocks of bzip2 0.9.0), [`compress_to_vec`],
//! [`decompress_to_vec`].
//!
//! A stream is `BZh` + the block-size digit, then blocks (each opened by
//! the 48-bit magic `0x314159265359` and its CRC), then the end-of-stream
//! magic `0x177245385090`, the combined CRC and zero bits up to a byte.
//! All fields are bit-packed MSB first. The stages, undone in reverse by
//! the decoder: runs of 4..=255 equal bytes become 4 bytes and a count;
//! the Burrows-Wheeler transform of the block's cyclic rotations (module
//! `bwt`); move-to-front with zero runs in bijective base 2
//! (RUNA/RUNB); Huffman coding with 2..=6 tables chosen per 50 symbols.
//!
//! ```
//! use compcol::bzip2::Bzip2Encoder;
//! let data = b"banana bandana ".repeat(40);
//! let packed = compcol::compress_to_vec(&mut Bzip2Encoder::new(9), &data)?;
//! assert!(packed.starts_with(b"BZh9"));
//! assert_eq!(compcol::bzip2::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

mod bwt;
mod crc;
mod decoder;
mod encoder;
mod huffman;
mod rand;

use crate::Error;
use alloc::vec::Vec;
pub use decoder::Bzip2Decoder;
pub use encoder::Bzip2Encoder;

pub(crate) const NAME: &str = "bzip2";
/// The 48-bit magic that opens a block (BCD of pi).
pub(crate) const BLOCK_MAGIC: u64 = 0x3141_5926_5359;
/// The 48-bit magic that ends a stream (BCD of sqrt(pi)).
pub(crate) const END_MAGIC: u64 = 0x1772_4538_5090;
/// Symbols coded with one Huffman table before the selector changes.
pub(crate) const GROUP_SIZE: usize = 50;
/// The most selectors a block can need (900000 symbols / 50, rounded up,
/// plus slack), as libbzip2 bounds it.
pub(crate) const MAX_SELECTORS: usize = 18002;
/// The largest alphabet: RUNA, RUNB, 255 move-to-front positions, EOB.
pub(crate) const MAX_ALPHA: usize = 258;

/// Compresses `data` into one bzip2 stream at `level` (1..=9, the block
/// size in units of 100 000 bytes).
///
/// # Errors
/// [`crate::ErrorKind::InvalidArgument`] for a level outside 1..=9.
pub fn compress_to_vec(data: &[u8], level: u32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut Bzip2Encoder::try_new(level)?, data)
}

/// Decompresses every stream of a bzip2 file, failing once the output
/// would pass `cap`.
///
/// # Errors
/// Corrupt or truncated input, CRC mismatches,
/// [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut Bzip2Decoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
