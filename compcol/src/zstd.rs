//! zstd (RFC 8878): frames of raw, RLE and compressed blocks with Huffman
//! literals and FSE-coded sequences, XXH64 content checksums, skippable and
//! concatenated frames, and dictionaries.
//!
//! Entry points: [`ZstdEncoder`] and [`ZstdDecoder`] (the streaming
//! pair), [`Options`] (level, checksum, long-distance window, dictionary,
//! pledged size), [`Dictionary`] and [`train_dictionary`], plus
//! [`compress_to_vec`] / [`decompress_to_vec`].
//!
//! Submodules, decoder side: `bits` (bit streams), `fse` and `huffman`
//! (entropy tables), `tables` (the format's fixed code tables), `frame`
//! (headers), `block` (literals, sequences, execution), `decoder` (the
//! streaming state machine), `dictionary`. Encoder side: `matcher` (match
//! finders per level), `encode_block` (literals and sequences sections),
//! `encoder` (framing and buffering), `levels` (the level table) and
//! `trainer` (dictionary building).
//!
//! ```
//! use compcol::zstd;
//! let packed = zstd::compress_to_vec(b"hello hello hello hello", 3)?;
//! assert_eq!(zstd::decompress_to_vec(&packed, 1 << 20)?, b"hello hello hello hello");
//! # Ok::<(), compcol::Error>(())
//! ```

mod bits;
mod block;
mod decoder;
mod dictionary;
mod encode_block;
mod encoder;
mod frame;
mod fse;
mod huffman;
mod levels;
mod matcher;
mod sequences;
mod tables;
mod trainer;

use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress};
use alloc::vec::Vec;
pub use dictionary::Dictionary;
pub use levels::{MAX_LEVEL, MIN_LEVEL};
pub use trainer::train_dictionary;

const NAME: &str = "zstd";

/// The level used for -1 ("default") as in the zstd tool.
pub const DEFAULT_LEVEL: i32 = 3;

fn corrupt(detail: &'static str) -> Error {
    Error::new(ErrorKind::Corrupt, NAME, detail)
}

/// The repeat offsets at a frame's start (RFC 8878, "Repeat Offsets"),
/// unless a dictionary gives its own.
const INITIAL_REP: [u32; 3] = [1, 4, 8];

/// A hot loop of the decoder, run through [`tuned`]. `run` must be
/// `#[inline(always)]`: its body is then compiled into whichever frame
/// calls it (a closure there is a separate function LLVM may keep out of
/// line, and so out of the BMI2 frame).
pub(crate) trait Kernel {
    type Output;
    fn run(self) -> Self::Output;
}

/// Runs `k` compiled for BMI2 when the `simd` feature is on and the CPU
/// has it: the bit readers shift by variable amounts on every field.
#[inline(always)]
fn tuned<K: Kernel>(k: K) -> K::Output {
    #[cfg(feature = "simd")]
    {
        crate::simd::with_bmi2(k)
    }
    #[cfg(not(feature = "simd"))]
    {
        k.run()
    }
}

/// Little-endian u32 from the first four bytes (zero-padded).
fn le32(b: &[u8]) -> u32 {
    let mut a = [0u8; 4];
    for (d, s) in a.iter_mut().zip(b) {
        *d = *s;
    }
    u32::from_le_bytes(a)
}

/// The error for a frame whose window exceeds the limit. The message names
/// the window (rounded up to a power of two), since details are static.
fn window_error(window: u64) -> Error {
    const MSG: [&str; 33] = [
        "frame asks for a 1 KiB window (log 10), over the memory limit",
        "frame asks for a 2 KiB window (log 11), over the memory limit",
        "frame asks for a 4 KiB window (log 12), over the memory limit",
        "frame asks for an 8 KiB window (log 13), over the memory limit",
        "frame asks for a 16 KiB window (log 14), over the memory limit",
        "frame asks for a 32 KiB window (log 15), over the memory limit",
        "frame asks for a 64 KiB window (log 16), over the memory limit",
        "frame asks for a 128 KiB window (log 17), over the memory limit",
        "frame asks for a 256 KiB window (log 18), over the memory limit",
        "frame asks for a 512 KiB window (log 19), over the memory limit",
        "frame asks for a 1 MiB window (log 20), over the memory limit",
        "frame asks for a 2 MiB window (log 21), over the memory limit",
        "frame asks for a 4 MiB window (log 22), over the memory limit",
        "frame asks for an 8 MiB window (log 23), over the memory limit",
        "frame asks for a 16 MiB window (log 24), over the memory limit",
        "frame asks for a 32 MiB window (log 25), over the memory limit",
        "frame asks for a 64 MiB window (log 26), over the memory limit",
        "frame asks for a 128 MiB window (log 27), over the memory limit",
        "frame asks for a 256 MiB window (log 28), over the memory limit (zstd --long=28 or --memory=256MB)",
        "frame asks for a 512 MiB window (log 29), over the memory limit (zstd --long=29 or --memory=512MB)",
        "frame asks for a 1 GiB window (log 30), over the memory limit (zstd --long=30 or --memory=1GB)",
        "frame asks for a 2 GiB window (log 31), over the memory limit (zstd --long=31 or --memory=2GB)",
        "frame asks for a 4 GiB window (log 32), over the memory limit",
        "frame asks for an 8 GiB window (log 33), over the memory limit",
        "frame asks for a 16 GiB window (log 34), over the memory limit",
        "frame asks for a 32 GiB window (log 35), over the memory limit",
        "frame asks for a 64 GiB window (log 36), over the memory limit",
        "frame asks for a 128 GiB window (log 37), over the memory limit",
        "frame asks for a 256 GiB window (log 38), over the memory limit",
        "frame asks for a 512 GiB window (log 39), over the memory limit",
        "frame asks for a 1 TiB window (log 40), over the memory limit",
        "frame asks for a 2 TiB window (log 41), over the memory limit",
        "frame asks for a window over 2 TiB, over the memory limit",
    ];
    let log = (64 - window.saturating_sub(1).leading_zeros()).max(10);
    let msg = MSG.get((log - 10) as usize).copied().unwrap_or("frame window over the memory limit");
    Error::new(ErrorKind::MemoryLimit, NAME, msg)
}

/// A streaming zstd decoder: any number of frames (skippable ones are
/// skipped), each checked against its content size and checksum.
///
/// ```
/// use compcol::Decoder;
/// use compcol::zstd::ZstdDecoder;
/// // One raw block holding "hi", with no checksum.
/// let frame = [0x28, 0xb5, 0x2f, 0xfd, 0x20, 0x02, 0x11, 0x00, 0x00, b'h', b'i'];
/// let mut out = [0u8; 8];
/// let p = ZstdDecoder::new().decode(&frame, &mut out)?;
/// assert_eq!(&out[..p.produced], b"hi");
/// # Ok::<(), compcol::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct ZstdDecoder {
    inner: decoder::FrameDecoder,
}

impl Default for ZstdDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl ZstdDecoder {
    /// A decoder accepting windows up to 128 MiB, without a dictionary.
    #[must_use]
    pub fn new() -> Self {
        Self { inner: decoder::FrameDecoder::new() }
    }

    /// Sets the largest window a frame may ask for (bytes). Frames over it
    /// fail with [`ErrorKind::MemoryLimit`] before anything is allocated.
    /// The decoder keeps up to about twice the window in memory.
    #[must_use]
    pub fn with_window_limit(mut self, bytes: u64) -> Self {
        self.inner.window_limit = bytes;
        self
    }

    /// Uses `dict` for every frame (kept across `reset`).
    #[must_use]
    pub fn with_dictionary(mut self, dict: Dictionary) -> Self {
        self.inner.set_dictionary(Some(dict));
        self
    }

    /// Supplies the dictionary a frame asked for with
    /// [`Status::NeedDictionary`](crate::Status::NeedDictionary); call
    /// `decode` again afterwards.
    ///
    /// # Errors
    /// A structured dictionary with bad tables.
    pub fn set_dictionary(&mut self, dict: &[u8]) -> Result<(), Error> {
        self.inner.set_dictionary(Some(Dictionary::parse(dict)?));
        Ok(())
    }

    /// Decodes all of `data` (every frame) in one call, straight into the
    /// returned vector: faster than streaming when the whole input is in
    /// memory. Uses this decoder's window limit; frames that need a
    /// dictionary are refused.
    ///
    /// # Errors
    /// As `decode`, plus [`ErrorKind::OutputLimit`] past `cap` and
    /// [`ErrorKind::Truncated`] when `data` ends inside a frame.
    pub fn decompress_all(&mut self, data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
        self.inner.decode_all(data, cap)
    }

    /// Frames (including skippable ones) completed so far.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.inner.frames()
    }
}

impl Decoder for ZstdDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let (consumed, produced, status) = self.inner.run(input, output)?;
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Compression settings.
///
/// ```
/// use compcol::zstd::Options;
/// let opts = Options::new(19).checksum(true).long(27);
/// assert_eq!(opts.level_value(), 19);
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    level: i32,
    checksum: bool,
    long: Option<u32>,
    window_log: Option<u32>,
    dictionary: Option<Dictionary>,
    pledged: Option<u64>,
}

impl Default for Options {
    fn default() -> Self {
        Self::new(DEFAULT_LEVEL)
    }
}

impl Options {
    /// Level -7 (fastest) ..= 22 (smallest); 0 means the default (3).
    /// Levels 20..=22 are zstd's "ultra" levels.
    #[must_use]
    pub fn new(level: i32) -> Self {
        Self { level, checksum: true, long: None, window_log: None, dictionary: None, pledged: None }
    }
    /// Whether to write the XXH64 content checksum (default on, as the
    /// zstd tool does).
    #[must_use]
    pub fn checksum(mut self, on: bool) -> Self {
        self.checksum = on;
        self
    }
    /// Long-distance matching with a window of `2^log` bytes (10..=31);
    /// the decoder then needs that much memory (zstd `--long=N`).
    #[must_use]
    pub fn long(mut self, log: u32) -> Self {
        self.long = Some(log);
        self
    }
    /// Overrides the level's window size (`2^log`, 10..=31).
    #[must_use]
    pub fn window_log(mut self, log: u32) -> Self {
        self.window_log = Some(log);
        self
    }
    /// Compresses against `dict` (the decoder needs the same one).
    #[must_use]
    pub fn dictionary(mut self, dict: Dictionary) -> Self {
        self.dictionary = Some(dict);
        self
    }
    /// Announces the exact input size so the frame header records it
    /// (and small inputs get a single-segment frame). The encoder fails
    /// if the input turns out different.
    #[must_use]
    pub fn pledged_size(mut self, size: u64) -> Self {
        self.pledged = Some(size);
        self
    }
    /// The level after resolving the default.
    #[must_use]
    pub fn level_value(&self) -> i32 {
        if self.level == 0 { DEFAULT_LEVEL } else { self.level }
    }
    /// The window the encoder will use, as a log2: `long`, else an
    /// explicit `window_log`, else the level's. Multi-threaded drivers
    /// size their jobs from it (zstd cuts jobs of about 4 windows).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a level outside -7..=22.
    pub fn window_log_value(&self) -> Result<u32, Error> {
        let level = levels::params(self.level)?.window_log;
        Ok(self.long.or(self.window_log).unwrap_or(level))
    }
}

/// A streaming zstd encoder.
///
/// ```
/// use compcol::{Encoder, Flush, Status};
/// use compcol::zstd::ZstdEncoder;
/// let mut enc = ZstdEncoder::new(3)?;
/// let mut out = [0u8; 64];
/// let p = enc.encode(b"hello hello hello", &mut out, Flush::Finish)?;
/// assert_eq!(p.status, Status::StreamEnd);
/// # Ok::<(), compcol::Error>(())
/// ```
#[derive(Debug)]
pub struct ZstdEncoder {
    inner: encoder::FrameEncoder,
}

impl ZstdEncoder {
    /// An encoder at `level` (see [`Options::new`]).
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a level outside -7..=22.
    pub fn new(level: i32) -> Result<Self, Error> {
        Self::with_options(&Options::new(level))
    }

    /// An encoder with explicit options.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidArgument`] for a bad level or window log.
    pub fn with_options(options: &Options) -> Result<Self, Error> {
        Ok(Self { inner: encoder::FrameEncoder::new(options)? })
    }
}

impl Encoder for ZstdEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        let (consumed, produced, status) = self.inner.run(input, output, flush)?;
        Ok(Progress { consumed, produced, status })
    }

    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Compresses `data` into one zstd frame at `level`.
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] for a bad level.
pub fn compress_to_vec(data: &[u8], level: i32) -> Result<Vec<u8>, Error> {
    let opts = Options::new(level).pledged_size(data.len() as u64);
    crate::util::compress_to_vec(&mut ZstdEncoder::with_options(&opts)?, data)
}

/// Decompresses every frame of `data`, failing once the output would pass
/// `cap`.
///
/// # Errors
/// Corrupt, truncated or checksum errors; [`ErrorKind::OutputLimit`];
/// [`ErrorKind::MemoryLimit`] for windows over 128 MiB.
pub fn decompress_to_vec(data: &[u8], cap: usize) -> Result<Vec<u8>, Error> {
    ZstdDecoder::new().decompress_all(data, cap)
}

#[cfg(test)]
mod tests;
