//! Decompression-bomb guard: a decoder wrapper with an output cap.
//!
//! Entry point: [`Limited`]. The inner decoder is never given more output
//! space than the cap leaves, so nothing past the cap is ever written; once
//! the cap is reached, one probe byte tells whether the stream really
//! wanted to go on, and if so the call fails with
//! [`ErrorKind::OutputLimit`](crate::ErrorKind::OutputLimit).

use crate::{Decoder, Error, ErrorKind, Progress};

/// A decoder that fails once its total output would exceed `cap` bytes.
///
/// ```
/// use compcol::{Decoder, ErrorKind, Limited};
/// use compcol::deflate::DeflateDecoder;
/// // A fixed block holding "hi".
/// let mut dec = Limited::new(DeflateDecoder::new(), 1);
/// let mut out = [0u8; 8];
/// let err = dec.decode(&[0xcb, 0xc8, 0x04, 0x00], &mut out).and_then(|_| dec.decode(&[], &mut out));
/// assert_eq!(err.unwrap_err().kind(), ErrorKind::OutputLimit);
/// ```
#[derive(Debug, Clone)]
pub struct Limited<D> {
    inner: D,
    cap: u64,
    produced: u64,
    failed: bool,
}

impl<D: Decoder> Limited<D> {
    /// Wraps `inner` with an output cap of `cap` bytes.
    pub const fn new(inner: D, cap: u64) -> Self {
        Self { inner, cap, produced: 0, failed: false }
    }

    /// Bytes produced so far.
    pub const fn produced(&self) -> u64 {
        self.produced
    }

    /// The wrapped decoder.
    pub fn into_inner(self) -> D {
        self.inner
    }
}

impl<D: Decoder> Decoder for Limited<D> {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, "limit", ""));
        }
        let left = self.cap - self.produced;
        if left == 0 {
            let mut probe = [0u8; 1];
            let p = self.inner.decode(input, &mut probe)?;
            if p.produced > 0 {
                self.failed = true;
                return Err(Error::new(ErrorKind::OutputLimit, "limit", "decoded output exceeds the configured cap")
                    .at(self.produced));
            }
            return Ok(p);
        }
        let room = usize::try_from(left).unwrap_or(usize::MAX).min(output.len());
        let p = self.inner.decode(input, output.get_mut(..room).unwrap_or(&mut []))?;
        self.produced += p.produced as u64;
        // At the cap the inner decoder reports NeedOutput; the next call
        // probes whether it really has more.
        Ok(p)
    }

    fn reset(&mut self) {
        self.inner.reset();
        self.produced = 0;
        self.failed = false;
    }

    fn has_end_marker(&self) -> bool {
        self.inner.has_end_marker()
    }
}
