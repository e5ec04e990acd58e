//! deflate (RFC 1951): raw compressed streams with no header or checksum.
//!
//! Entry points: [`DeflateEncoder`] and [`DeflateDecoder`], plus
//! [`compress_to_vec`] / [`decompress_to_vec`]. The zlib and gzip codecs
//! wrap the same engine. Submodules: `huffman` (decoding tables),
//! `inflate` (the decoder state machine), `encoder` (the compressor:
//! window, matcher, strategies) and `trees` (Huffman code construction and
//! block writing).

pub(crate) mod huffman;
pub(crate) mod inflate;

use crate::{Decoder, Error, Progress};
use inflate::Inflater;

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
