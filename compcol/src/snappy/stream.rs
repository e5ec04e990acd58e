//! Streaming wrappers over the raw Snappy format.
//!
//! Entry points: [`SnappyRawEncoder`] (the raw format starts with the
//! total length, so it buffers the whole input until `Flush::Finish`) and
//! [`SnappyRawDecoder`] (decodes elements as they arrive into a history
//! of the declared length, which is checked against a memory limit before
//! anything is allocated).

use super::NAME;
use super::raw::{Elements, compress, decode_elements, parse_varint};
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

/// Default cap on the declared length a raw stream may ask for.
pub const DEFAULT_RAW_LIMIT: usize = 256 << 20;

/// Raw Snappy encoder: gathers all input, compresses at
/// [`Flush::Finish`] (raw Snappy cannot be flushed part way: its header is
/// the total length).
#[derive(Debug, Clone, Default)]
pub struct SnappyRawEncoder {
    input: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    finished: bool,
    failed: bool,
}

impl SnappyRawEncoder {
    /// A raw encoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }
}

impl Encoder for SnappyRawEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let mut consumed = 0;
        if self.finished {
            if !input.is_empty() && self.out_pos == self.out.len() {
                self.failed = true;
                return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
            }
        } else {
            self.input.extend_from_slice(input);
            consumed = input.len();
            if flush != Flush::Finish {
                return Ok(Progress { consumed, produced: 0, status: Status::NeedInput });
            }
            compress(&self.input, &mut self.out);
            self.input = Vec::new();
            self.finished = true;
        }
        let src = self.out.get(self.out_pos..).unwrap_or(&[]);
        let n = src.len().min(output.len());
        if let (Some(d), Some(s)) = (output.get_mut(..n), src.get(..n)) {
            d.copy_from_slice(s);
        }
        self.out_pos += n;
        let status = if self.out_pos == self.out.len() { Status::StreamEnd } else { Status::NeedOutput };
        Ok(Progress { consumed, produced: n, status })
    }

    fn reset(&mut self) {
        *self = Self::default();
    }
}

/// Raw Snappy decoder.
///
/// Invariant: `hist[..filled]` is decoded, `hist[..drained]` handed out;
/// `carry` holds the start of an element split across calls (at most 5
/// bytes).
#[derive(Debug, Clone)]
pub struct SnappyRawDecoder {
    limit: usize,
    preamble: Vec<u8>,
    total: Option<usize>,
    hist: Vec<u8>,
    filled: usize,
    drained: usize,
    elements: Elements,
    carry: Vec<u8>,
    total_in: u64,
    failed: bool,
}

impl Default for SnappyRawDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SnappyRawDecoder {
    /// A decoder accepting declared lengths up to [`DEFAULT_RAW_LIMIT`].
    #[must_use]
    pub fn new() -> Self {
        Self::with_limit(DEFAULT_RAW_LIMIT)
    }

    /// A decoder accepting declared lengths up to `limit` bytes (raw
    /// Snappy keeps the whole output as history).
    #[must_use]
    pub fn with_limit(limit: usize) -> Self {
        Self {
            limit,
            preamble: Vec::new(),
            total: None,
            hist: Vec::new(),
            filled: 0,
            drained: 0,
            elements: Elements::default(),
            carry: Vec::new(),
            total_in: 0,
            failed: false,
        }
    }

    fn fail(&mut self, e: Error, ip: usize) -> Error {
        self.failed = true;
        let off = self.total_in + ip as u64;
        Error::new(e.kind(), NAME, e.detail()).at(off)
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        let total = match self.total {
            Some(t) => t,
            None => loop {
                let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                *ip += 1;
                self.preamble.push(b);
                match parse_varint(&self.preamble) {
                    Ok(None) => {}
                    Ok(Some((n, _))) => {
                        let n = n as usize;
                        if n > self.limit {
                            let e = Error::new(ErrorKind::MemoryLimit, NAME, "declared length exceeds the limit");
                            return Err(self.fail(e, *ip));
                        }
                        self.hist = alloc::vec![0; n];
                        self.total = Some(n);
                        break n;
                    }
                    Err(e) => return Err(self.fail(e, *ip)),
                }
            },
        };
        loop {
            // Hand out what is decoded.
            let n = (self.filled - self.drained).min(output.len() - *op);
            if let (Some(d), Some(s)) = (output.get_mut(*op..*op + n), self.hist.get(self.drained..self.drained + n)) {
                d.copy_from_slice(s);
            }
            *op += n;
            self.drained += n;
            if self.drained == total && self.filled == total {
                return Ok(Status::StreamEnd);
            }
            if *op == output.len() && self.drained < self.filled {
                return Ok(Status::NeedOutput);
            }
            let rest = input.get(*ip..).unwrap_or(&[]);
            if rest.is_empty() {
                return Ok(Status::NeedInput);
            }
            if self.carry.is_empty() {
                let used = match decode_elements(&mut self.elements, rest, &mut self.hist, &mut self.filled) {
                    Ok(u) => u,
                    Err(e) => return Err(self.fail(e, *ip)),
                };
                *ip += used;
                if used < rest.len() && self.filled < total && self.elements.literal_left == 0 {
                    // An element header split across calls.
                    self.carry.extend_from_slice(input.get(*ip..).unwrap_or(&[]));
                    *ip = input.len();
                }
            } else {
                // Grow the carried header one byte at a time until it decodes.
                if let Some(&b) = rest.first() {
                    self.carry.push(b);
                    *ip += 1;
                }
                let carry = core::mem::take(&mut self.carry);
                let used = match decode_elements(&mut self.elements, &carry, &mut self.hist, &mut self.filled) {
                    Ok(u) => u,
                    Err(e) => return Err(self.fail(e, *ip)),
                };
                if used < carry.len() {
                    if used > 0 {
                        // Only happens when the element completed and its
                        // literal continues: impossible with a pure header
                        // carry, but keep the rest for correctness.
                        self.carry = carry.get(used..).unwrap_or(&[]).to_vec();
                    } else {
                        self.carry = carry;
                    }
                }
            }
            if self.filled == total && *ip < input.len() && self.drained == self.filled {
                return Ok(Status::StreamEnd);
            }
        }
    }
}

impl Decoder for SnappyRawDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        *self = Self::with_limit(self.limit);
    }
}
