//! A deflate stream framed by a header and a checksum trailer: the encoder
//! half shared by zlib (RFC 1950) and gzip (RFC 1952).
//!
//! Entry point: [`FramedEncoder`], driven by a [`FrameCheck`] that sums
//! the uncompressed bytes and writes the trailer. The formats differ only
//! in their header bytes (built by the caller) and their check.

use crate::deflate::encoder::Deflater;
use crate::pending::PendingOutput;
use crate::{Error, Flush, Progress, Status};
use alloc::vec::Vec;

/// What a format computes over the uncompressed data and writes after the
/// deflate stream.
pub(crate) trait FrameCheck: Clone + core::fmt::Debug {
    /// A check over no data.
    fn new() -> Self;
    /// Adds `data` (bytes the deflater consumed).
    fn update(&mut self, data: &[u8]);
    /// Appends the trailer bytes to `out`.
    fn trailer(&self, out: &mut Vec<u8>);
}

/// Where the encoder is. Every early return leaves the phase stored, so a
/// call with one byte of output space resumes exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    Body,
    Trailer,
    Done,
}

/// Header, deflate body and trailer, streamed through caller-owned slices.
///
/// Invariant: `pending_pos <= pending.len()`; in `Header` `pending` is the
/// header, in `Trailer` it is the trailer.
#[derive(Debug, Clone)]
pub(crate) struct FramedEncoder<C> {
    inner: Deflater,
    phase: Phase,
    header: Vec<u8>,
    pending: Vec<u8>,
    pending_pos: PendingOutput,
    check: C,
    name: &'static str,
}

impl<C: FrameCheck> FramedEncoder<C> {
    /// An encoder writing `header`, then `inner`'s stream, then the trailer.
    pub(crate) fn new(inner: Deflater, header: Vec<u8>, name: &'static str) -> Self {
        Self {
            inner,
            phase: Phase::Header,
            pending: header.clone(),
            header,
            pending_pos: PendingOutput::new(),
            check: C::new(),
            name,
        }
    }

    /// Copies pending header or trailer bytes; true when all are out.
    fn put_pending(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.pending_pos.drain(&mut self.pending, output, op)
    }

    /// The [`crate::Encoder::encode`] of the framed format.
    pub(crate) fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        loop {
            match self.phase {
                Phase::Header | Phase::Trailer => {
                    if !self.put_pending(output, &mut op) {
                        return Ok(Progress { consumed: ip, produced: op, status: Status::NeedOutput });
                    }
                    self.phase = if self.phase == Phase::Header { Phase::Body } else { Phase::Done };
                }
                Phase::Body => {
                    let rest = input.get(ip..).unwrap_or(&[]);
                    let out = output.get_mut(op..).unwrap_or(&mut []);
                    let (c, p, status) = self.inner.deflate(rest, out, flush, self.name)?;
                    self.check.update(rest.get(..c).unwrap_or(&[]));
                    ip += c;
                    op += p;
                    if status != Status::StreamEnd {
                        return Ok(Progress { consumed: ip, produced: op, status });
                    }
                    self.pending.clear();
                    self.check.trailer(&mut self.pending);
                    self.pending_pos = PendingOutput::new();
                    self.phase = Phase::Trailer;
                }
                Phase::Done => {
                    // The deflater reports input after finish (and poisons).
                    self.inner.deflate(input.get(ip..).unwrap_or(&[]), &mut [], flush, self.name)?;
                    return Ok(Progress { consumed: ip, produced: op, status: Status::StreamEnd });
                }
            }
        }
    }

    /// The [`crate::Encoder::reset`] of the framed format.
    pub(crate) fn reset(&mut self) {
        self.inner.reset();
        self.phase = Phase::Header;
        self.pending.clone_from(&self.header);
        self.pending_pos = PendingOutput::new();
        self.check = C::new();
    }
}
