//! LZ4: the frame format (`.lz4`, what the `lz4` tool writes) and the raw
//! block format.
//!
//! Entry points: [`Lz4Encoder`] / [`Lz4Decoder`] (frames, streaming),
//! [`FrameOptions`] (level, block size, linked blocks, checksums, content
//! size, dictionary), [`compress_to_vec`] / [`decompress_to_vec`], and
//! [`block`] for single blocks without a frame. Levels 1..=2 use the fast
//! match finder (`fast`), 3..=12 the HC finder (`hc`). The decoder accepts
//! concatenated frames, skippable frames and legacy frames (`lz4 -l`).
//!
//! ```
//! use compcol::lz4::{FrameOptions, Lz4Encoder};
//! let data = b"an lz4 frame, an lz4 frame, an lz4 frame".repeat(10);
//! let packed = compcol::compress_to_vec(&mut Lz4Encoder::with_options(FrameOptions::new(9).block_checksum(true)), &data)?;
//! assert_eq!(compcol::lz4::decompress_to_vec(&packed, 1 << 20)?, data);
//! # Ok::<(), compcol::Error>(())
//! ```

pub mod block;
mod decoder;
mod encoder;
mod fast;
mod hc;
mod header;

use alloc::boxed::Box;
use alloc::vec::Vec;
pub use decoder::Lz4Decoder;
pub use encoder::Lz4Encoder;
pub use header::{BlockSize, FrameOptions};

use crate::Error;

pub(crate) const NAME: &str = "lz4";
/// How far back a match may reach: the history a linked block keeps.
pub(crate) const WINDOW: usize = 64 << 10;

/// The match finder for a level: one hash table (fast) or hash chains (HC).
#[derive(Debug, Clone)]
pub(crate) enum MatchFinder {
    Fast(fast::FastFinder),
    Hc(Box<hc::HcFinder>),
}

impl MatchFinder {
    pub(crate) fn new(level: i32, acceleration: usize) -> Self {
        if level >= 3 {
            Self::Hc(Box::new(hc::HcFinder::new(level)))
        } else {
            Self::Fast(fast::FastFinder::new(acceleration))
        }
    }

    /// Compresses `buf[start..]` as one block after history `buf[..start]`.
    pub(crate) fn compress(&mut self, buf: &[u8], start: usize, out: &mut Vec<u8>) {
        match self {
            Self::Fast(f) => f.compress(buf, start, out),
            Self::Hc(h) => h.compress(buf, start, out),
        }
    }
}

/// Compresses `data` into one LZ4 frame at `level` (-1 ..= 12).
///
/// # Errors
/// None in practice; the signature matches the other codecs.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut Lz4Encoder::new(level), data)
}

/// Decompresses every frame in `data`, failing once the output would
/// pass `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`crate::ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut Lz4Decoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
