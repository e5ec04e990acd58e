//! The LZ4 frame encoder: header, blocks (compressed, or stored when that
//! is smaller), optional block checksums, end mark and content checksum.
//!
//! Entry point: [`Lz4Encoder`]. Input is gathered into a block buffer that
//! also keeps the history a linked block or a dictionary may reach into;
//! each finished block is written to a pending buffer that drains into the
//! caller's output across as many calls as it takes.

use super::header::FrameOptions;
use super::{MatchFinder, NAME, WINDOW};
use crate::checksum::{Xxh32, xxh32};
use crate::pending::PendingOutput;
use crate::{Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec::Vec;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// The header is not queued yet.
    Start,
    /// Blocks are being gathered.
    Open,
    /// The end mark and checksum are queued or written.
    Finished,
    Failed,
}

/// A streaming LZ4 frame encoder.
///
/// Invariant: `buf[..hist]` is history (dictionary or the previous 64 KiB
/// of a linked frame), `buf[hist..]` the current block, at most
/// `block_size` bytes; `pending[pending_pos..]` awaits the caller.
#[derive(Debug, Clone)]
pub struct Lz4Encoder {
    opts: FrameOptions,
    finder: MatchFinder,
    phase: Phase,
    buf: Vec<u8>,
    hist: usize,
    pending: Vec<u8>,
    pending_pos: PendingOutput,
    content: Xxh32,
    total: u64,
}

impl Lz4Encoder {
    /// An encoder at `level` (-1 or 0: 1; 1..=2 fast; 3..=12 HC) with the
    /// `lz4` tool's defaults.
    #[must_use]
    pub fn new(level: i32) -> Self {
        Self::with_options(FrameOptions::new(level))
    }

    /// An encoder with explicit frame options.
    #[must_use]
    pub fn with_options(opts: FrameOptions) -> Self {
        let finder = MatchFinder::new(opts.level, opts.acceleration);
        let mut e = Self {
            opts,
            finder,
            phase: Phase::Start,
            buf: Vec::new(),
            hist: 0,
            pending: Vec::new(),
            pending_pos: PendingOutput::new(),
            content: Xxh32::new(0),
            total: 0,
        };
        e.reset();
        e
    }

    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.pending_pos.drain(&mut self.pending, output, op)
    }

    /// Compresses the gathered block into `pending` and updates history.
    fn emit_block(&mut self) {
        let data = self.buf.get(self.hist..).unwrap_or(&[]);
        let n = data.len();
        self.content.update(data);
        self.total += n as u64;
        let at = self.pending.len();
        self.pending.extend_from_slice(&[0; 4]);
        self.finder.compress(&self.buf, self.hist, &mut self.pending);
        let packed = self.pending.len() - at - 4;
        let size = if packed >= n {
            self.pending.truncate(at + 4);
            self.pending.extend_from_slice(self.buf.get(self.hist..).unwrap_or(&[]));
            n as u32 | 0x8000_0000
        } else {
            packed as u32
        };
        if let Some(d) = self.pending.get_mut(at..at + 4) {
            d.copy_from_slice(&size.to_le_bytes());
        }
        if self.opts.block_checksum {
            let sum = xxh32(self.pending.get(at + 4..).unwrap_or(&[]), 0);
            self.pending.extend_from_slice(&sum.to_le_bytes());
        }
        self.keep_history(false);
    }

    /// Trims `buf` to what the next block may reference.
    fn keep_history(&mut self, forget: bool) {
        if self.opts.independent || forget {
            self.buf.clear();
            self.buf.extend_from_slice(&self.opts.dictionary);
        } else if self.buf.len() > WINDOW {
            let cut = self.buf.len() - WINDOW;
            self.buf.drain(..cut);
        }
        self.hist = self.buf.len();
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail)
    }
}

impl Encoder for Lz4Encoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        // Rule: every return leaves `phase` and the buffers ready to resume.
        loop {
            if !self.drain(output, &mut op) {
                return Ok(Progress { consumed: ip, produced: op, status: Status::NeedOutput });
            }
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::Finished => {
                    if ip < input.len() {
                        return Err(self.fail(ErrorKind::InvalidArgument, "input after the stream was finished"));
                    }
                    return Ok(Progress { consumed: ip, produced: op, status: Status::StreamEnd });
                }
                Phase::Start => {
                    self.pending = self.opts.header();
                    self.phase = Phase::Open;
                    continue;
                }
                Phase::Open => {}
            }
            let block = self.opts.block_size.bytes();
            let room = block - (self.buf.len() - self.hist);
            let take = room.min(input.len() - ip);
            self.buf.extend_from_slice(input.get(ip..ip + take).unwrap_or(&[]));
            ip += take;
            let gathered = self.buf.len() - self.hist;
            if gathered == block {
                self.emit_block();
                continue;
            }
            match flush {
                Flush::None => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
                Flush::Sync | Flush::Full => {
                    if gathered > 0 {
                        self.emit_block();
                        if flush == Flush::Full {
                            self.keep_history(true);
                        }
                        continue;
                    }
                    return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput });
                }
                Flush::Finish => {
                    if gathered > 0 {
                        self.emit_block();
                    }
                    if self.opts.content_size.is_some_and(|n| n != self.total) {
                        return Err(
                            self.fail(ErrorKind::InvalidArgument, "data length differs from the declared content size")
                        );
                    }
                    self.pending.extend_from_slice(&[0; 4]);
                    if self.opts.content_checksum {
                        let sum = self.content.digest();
                        self.pending.extend_from_slice(&sum.to_le_bytes());
                    }
                    self.phase = Phase::Finished;
                }
            }
        }
    }

    fn reset(&mut self) {
        self.phase = Phase::Start;
        self.pending.clear();
        self.pending_pos = PendingOutput::new();
        self.content = Xxh32::new(0);
        self.total = 0;
        self.keep_history(true);
    }
}
