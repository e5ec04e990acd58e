//! xz and LZMA: the `.xz` container, `.lzma` (LZMA_Alone), raw LZMA and
//! raw LZMA2.
//!
//! Entry points: [`XzDecoder`] (every `.xz` feature xz-utils writes:
//! LZMA2, BCJ x86/ARM/ARM-Thumb/ARM64/PowerPC/SPARC/IA-64/RISC-V and delta
//! filter chains, CRC32/CRC64/SHA-256/no check, multi-block streams,
//! concatenated streams, stream padding, a memory limit),
//! [`LzmaDecoder`] (`.lzma`), [`RawLzmaDecoder`] / [`Lzma2Decoder`]
//! (headerless, for 7z and ZIP method 14), and [`decompress_to_vec`].
//! The decoders keep their whole state between calls, so one byte of
//! input and output at a time works. Encoders: [`XzEncoder`] /
//! [`XzOptions`], [`LzmaEncoder`], [`Lzma2Encoder`]; presets 5..=9 and
//! `-e` use a price-based optimal parser, 0..=4 a fast greedy/lazy one.
//!
//! ```no_run
//! let packed = std::fs::read("file.xz")?;
//! let plain = compcol::xz::decompress_to_vec(&packed, 1 << 30)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod alone;
mod bcj;
mod chain;
mod check;
mod encoder;
mod lzma2_dec;
mod lzma2_enc;
mod lzma_dec;
mod lzma_enc;
mod model;
mod stream;

pub use alone::{LzmaDecoder, RawLzmaDecoder};
pub use bcj::BcjArch;
pub use chain::Filter;
pub use check::Check;
pub use encoder::{Lzma2Encoder, LzmaEncoder, XzEncoder, XzOptions};
pub use model::Props;
pub use stream::XzDecoder;

use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::vec::Vec;

pub(crate) const NAME: &str = "xz";
/// The `.xz` stream header magic.
pub const HEADER_MAGIC: [u8; 6] = [0xfd, b'7', b'z', b'X', b'Z', 0x00];

/// Raw LZMA2 (no container), with the dictionary size the container
/// declares.
#[derive(Debug, Clone)]
pub struct Lzma2Decoder {
    inner: lzma2_dec::Lzma2Dec,
    done: bool,
}

impl Lzma2Decoder {
    /// A decoder for LZMA2 data using a dictionary of `dict_size` bytes.
    #[must_use]
    pub fn new(dict_size: u32) -> Self {
        Self { inner: lzma2_dec::Lzma2Dec::new(dict_size as usize), done: false }
    }

    /// As [`Lzma2Decoder::new`], failing with [`ErrorKind::MemoryLimit`]
    /// when the dictionary exceeds `memlimit` bytes.
    ///
    /// # Errors
    /// As described.
    pub fn with_memlimit(dict_size: u32, memlimit: u64) -> Result<Self, Error> {
        if u64::from(dict_size) > memlimit {
            return Err(Error::new(ErrorKind::MemoryLimit, "lzma2", "dictionary exceeds the decoder memory limit"));
        }
        Ok(Self::new(dict_size))
    }
}

impl Decoder for Lzma2Decoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        if self.done {
            return Ok(Progress { consumed: 0, produced: 0, status: Status::StreamEnd });
        }
        let (consumed, produced, done) = self.inner.decode(input, output)?;
        self.done = done;
        let status = if done {
            Status::StreamEnd
        } else if produced == output.len() {
            Status::NeedOutput
        } else {
            Status::NeedInput
        };
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
        self.done = false;
    }
}

/// Whether `prefix` looks like a `.lzma` header, which has no magic
/// number. The sniff is deliberately narrow so plain data is not taken
/// for it: the properties byte must be 0x5D (lc=3, lp=0, pb=2, what xz,
/// `lzma` and LZMA SDK tools write by default), the dictionary size one
/// xz can express (2^n or 2^n + 2^(n-1), at least 4 KiB), and the size
/// field "unknown" (all ones) or below 2^48. Needs the 13 header bytes.
#[must_use]
pub fn looks_like_lzma(prefix: &[u8]) -> bool {
    let Some(&[p, d0, d1, d2, d3, s0, s1, s2, s3, s4, s5, s6, s7]) = prefix.get(..13) else { return false };
    let dict = u32::from_le_bytes([d0, d1, d2, d3]);
    let size = u64::from_le_bytes([s0, s1, s2, s3, s4, s5, s6, s7]);
    let high = if dict == 0 { 0 } else { 1u32 << (31 - dict.leading_zeros()) };
    let dict_ok = dict >= 4096 && (dict == high || dict == high | (high >> 1));
    p == 0x5d && dict_ok && (size == u64::MAX || size < 1 << 48)
}

/// Compresses `data` into one `.xz` stream at `preset` 0..=9 (CRC64).
///
/// # Errors
/// None in practice; the signature matches the other codecs.
pub fn compress_to_vec(data: &[u8], preset: u32) -> Result<Vec<u8>, Error> {
    crate::util::compress_to_vec(&mut XzEncoder::new(preset), data)
}

/// Decompresses every stream of an `.xz` file, failing once the output
/// would pass `cap`.
///
/// # Errors
/// Corrupt, truncated, checksum and memory-limit errors;
/// [`ErrorKind::OutputLimit`].
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    crate::util::decompress_to_vec(&mut XzDecoder::new(), data, cap)
}

#[cfg(test)]
mod tests;
