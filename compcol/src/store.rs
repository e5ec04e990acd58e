//! `store`: the identity codec, bytes through the streaming API unchanged.
//!
//! Entry points: [`StoreEncoder`] and [`StoreDecoder`]. Useful as the
//! "no compression" choice of a by-name factory and as the reference
//! implementation of the [`Encoder`] / [`Decoder`] contract that the
//! contract tests run first.

use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};

const NAME: &str = "store";

/// Copies `input` to `output` as far as both allow.
fn copy(input: &[u8], output: &mut [u8]) -> usize {
    let n = input.len().min(output.len());
    if let (Some(src), Some(dst)) = (input.get(..n), output.get_mut(..n)) {
        dst.copy_from_slice(src);
    }
    n
}

/// Where a [`StoreEncoder`] is in its stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EncoderMode {
    Open,
    Finished,
    Failed,
}

/// The identity encoder: its output is its input.
#[derive(Debug, Clone)]
pub struct StoreEncoder {
    mode: EncoderMode,
}

impl StoreEncoder {
    /// Creates an encoder at the start of a stream.
    #[must_use]
    pub const fn new() -> Self {
        Self { mode: EncoderMode::Open }
    }
}

impl Default for StoreEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Encoder for StoreEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        match self.mode {
            EncoderMode::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
            EncoderMode::Finished if !input.is_empty() => {
                self.mode = EncoderMode::Failed;
                return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
            }
            EncoderMode::Finished => return Ok(Progress { consumed: 0, produced: 0, status: Status::StreamEnd }),
            EncoderMode::Open => {}
        }
        let n = copy(input, output);
        let status = if n < input.len() {
            Status::NeedOutput
        } else if flush == Flush::Finish {
            self.mode = EncoderMode::Finished;
            Status::StreamEnd
        } else {
            Status::NeedInput
        };
        Ok(Progress { consumed: n, produced: n, status })
    }

    fn reset(&mut self) {
        self.mode = EncoderMode::Open;
    }
}

/// The identity decoder. A stored stream has no end marker, so the decoder
/// never reports [`Status::StreamEnd`]: the stream ends where its input does.
#[derive(Debug, Clone, Default)]
pub struct StoreDecoder {
    _private: (),
}

impl StoreDecoder {
    /// Creates a decoder at the start of a stream.
    #[must_use]
    pub const fn new() -> Self {
        Self { _private: () }
    }
}

impl Decoder for StoreDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let n = copy(input, output);
        let status = if n < input.len() { Status::NeedOutput } else { Status::NeedInput };
        Ok(Progress { consumed: n, produced: n, status })
    }

    fn reset(&mut self) {}

    fn has_end_marker(&self) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil::{assert_roundtrip_every_split, decode_all, encode_all, sample_inputs};

    #[test]
    fn round_trips_at_every_split() {
        for data in sample_inputs() {
            assert_roundtrip_every_split(StoreEncoder::new, StoreDecoder::new, &data);
            let packed = encode_all(&mut StoreEncoder::new(), &data, usize::MAX, usize::MAX).unwrap();
            assert_eq!(packed, data, "store output differs from its input");
            assert_eq!(decode_all(&mut StoreDecoder::new(), &packed, 3, 5).unwrap(), data);
        }
    }

    #[test]
    fn input_after_finish_poisons_until_reset() {
        let mut enc = StoreEncoder::new();
        let mut out = [0u8; 8];
        let p = enc.encode(b"ab", &mut out, Flush::Finish).unwrap();
        assert_eq!(p.status, Status::StreamEnd);
        let again = enc.encode(b"", &mut out, Flush::Finish).unwrap();
        assert_eq!((again.consumed, again.produced, again.status), (0, 0, Status::StreamEnd));

        let err = enc.encode(b"c", &mut out, Flush::None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        let err = enc.encode(b"", &mut out, Flush::None).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Poisoned);

        enc.reset();
        let p = enc.encode(b"c", &mut out, Flush::Finish).unwrap();
        assert_eq!((p.consumed, p.produced, p.status), (1, 1, Status::StreamEnd));
    }

    #[test]
    fn full_output_reports_need_output_and_keeps_finish_pending() {
        let mut enc = StoreEncoder::new();
        let mut out = [0u8; 2];
        let p = enc.encode(b"abc", &mut out, Flush::Finish).unwrap();
        assert_eq!((p.consumed, p.produced, p.status), (2, 2, Status::NeedOutput));
        let p = enc.encode(b"c", &mut out, Flush::Finish).unwrap();
        assert_eq!((p.consumed, p.produced, p.status), (1, 1, Status::StreamEnd));
    }
}
