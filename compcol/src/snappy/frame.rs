//! The Snappy framing format (`.sz`, `framing_format.txt` of the Snappy
//! project): a stream identifier chunk, then compressed (0x00) and
//! uncompressed (0x01) data chunks of at most 64 KiB each carrying the
//! masked CRC-32C of their data, padding (0xFE) and skippable
//! (0x80..=0xFD) chunks.
//!
//! Entry points: [`SnappyEncoder`] and [`SnappyDecoder`].

use super::NAME;
use super::raw::{FRAGMENT, compress, decompress, decompressed_len};
use crate::checksum::crc32c_masked;
use crate::pending::PendingOutput;
use crate::{Decoder, Encoder, Error, ErrorKind, Flush, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

/// The stream identifier chunk every framed stream starts with.
pub(crate) const STREAM_ID: [u8; 10] = [0xff, 0x06, 0x00, 0x00, b's', b'N', b'a', b'P', b'p', b'Y'];
/// Largest data chunk body we accept: a compressed 64 KiB chunk can be a
/// little longer than 64 KiB, plus the 4-byte CRC.
const MAX_DATA_CHUNK: usize = 4 + 32 + FRAGMENT + FRAGMENT / 6;

/// A framed Snappy encoder.
///
/// Invariant: `block` holds at most 64 KiB of input not yet written;
/// `pending[pending_pos..]` awaits the caller.
#[derive(Debug, Clone, Default)]
pub struct SnappyEncoder {
    block: Vec<u8>,
    pending: Vec<u8>,
    pending_pos: PendingOutput,
    started: bool,
    finished: bool,
    failed: bool,
    scratch: Vec<u8>,
}

impl SnappyEncoder {
    /// A framed encoder.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn emit_chunk(&mut self) {
        let crc = crc32c_masked(&self.block);
        self.scratch.clear();
        compress(&self.block, &mut self.scratch);
        // Store when compression saves less than 1/8, as the reference does.
        let (kind, body): (u8, &[u8]) = if self.scratch.len() < self.block.len() - self.block.len() / 8 {
            (0x00, &self.scratch)
        } else {
            (0x01, &self.block)
        };
        let len = (body.len() + 4) as u32;
        self.pending.push(kind);
        self.pending.extend_from_slice(len.to_le_bytes().get(..3).unwrap_or(&[]));
        self.pending.extend_from_slice(&crc.to_le_bytes());
        self.pending.extend_from_slice(body);
        self.block.clear();
    }

    fn drain(&mut self, output: &mut [u8], op: &mut usize) -> bool {
        self.pending_pos.drain(&mut self.pending, output, op)
    }
}

impl Encoder for SnappyEncoder {
    fn encode(&mut self, input: &[u8], output: &mut [u8], flush: Flush) -> Result<Progress, Error> {
        if self.failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        let mut ip = 0;
        let mut op = 0;
        loop {
            if !self.drain(output, &mut op) {
                return Ok(Progress { consumed: ip, produced: op, status: Status::NeedOutput });
            }
            if self.finished {
                if ip < input.len() {
                    self.failed = true;
                    return Err(Error::new(ErrorKind::InvalidArgument, NAME, "input after the stream was finished"));
                }
                return Ok(Progress { consumed: ip, produced: op, status: Status::StreamEnd });
            }
            if !self.started {
                self.pending.extend_from_slice(&STREAM_ID);
                self.started = true;
                continue;
            }
            let take = (FRAGMENT - self.block.len()).min(input.len() - ip);
            self.block.extend_from_slice(input.get(ip..ip + take).unwrap_or(&[]));
            ip += take;
            if self.block.len() == FRAGMENT {
                self.emit_chunk();
                continue;
            }
            match flush {
                Flush::None => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
                _ if !self.block.is_empty() => self.emit_chunk(),
                Flush::Finish => self.finished = true,
                _ => return Ok(Progress { consumed: ip, produced: op, status: Status::NeedInput }),
            }
        }
    }

    fn reset(&mut self) {
        let scratch = core::mem::take(&mut self.scratch);
        *self = Self { scratch, ..Self::default() };
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Gathering a 4-byte chunk header.
    Header,
    /// Gathering a data chunk's body.
    Body,
    /// Skipping the rest of a padding or skippable chunk.
    Skip,
    /// Handing out `plain[drained..]`.
    Drain,
    Failed,
}

/// A framed Snappy decoder (concatenated streams are accepted: a stream
/// identifier may appear again at any chunk boundary). It never reports
/// [`Status::StreamEnd`]: see [`Decoder::has_end_marker`] for how drivers
/// tell a clean end from a truncation.
#[derive(Debug, Clone)]
pub struct SnappyDecoder {
    phase: Phase,
    header: [u8; 4],
    have: usize,
    kind: u8,
    need: usize,
    body: Vec<u8>,
    plain: Vec<u8>,
    drained: usize,
    seen_id: bool,
    total_in: u64,
}

impl Default for SnappyDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SnappyDecoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            phase: Phase::Header,
            header: [0; 4],
            have: 0,
            kind: 0,
            need: 0,
            body: Vec::new(),
            plain: vec![0; FRAGMENT],
            drained: 0,
            seen_id: false,
            total_in: 0,
        }
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Checks and decodes a whole chunk `body` (`ip`: the input position
    /// just past it): straight into `output[*op..]` when it is data that
    /// fits there (true), else into `plain` for [`Phase::Drain`] (false).
    /// Bytes written past the reported output are scratch, as the codec
    /// contract allows, so a chunk failing its CRC there leaves nothing
    /// produced.
    fn finish_chunk(&mut self, body: &[u8], ip: usize, output: &mut [u8], op: &mut usize) -> Result<bool, Error> {
        if self.kind == 0xff {
            if body != STREAM_ID.get(4..).unwrap_or(&[]) {
                return Err(self.fail(ErrorKind::Corrupt, "bad stream identifier", ip));
            }
            self.seen_id = true;
            self.plain.clear();
            self.drained = 0;
            return Ok(false);
        }
        let Some((crc, data)) = body.split_first_chunk::<4>() else {
            return Err(self.fail(ErrorKind::Corrupt, "data chunk shorter than its checksum", ip));
        };
        let want = u32::from_le_bytes(*crc);
        let n = if self.kind == 0x00 {
            match decompressed_len(data) {
                Ok(n) if n <= FRAGMENT => n,
                Ok(_) => return Err(self.fail(ErrorKind::Corrupt, "chunk decompresses to more than 64 KiB", ip)),
                Err(e) => return Err(self.fail(e.kind(), e.detail(), ip)),
            }
        } else {
            data.len()
        };
        let room = output.get_mut(*op..).unwrap_or_default();
        let direct = room.len() >= n;
        let plain = if direct {
            room
        } else {
            self.plain.resize(FRAGMENT.max(n), 0);
            self.plain.as_mut_slice()
        };
        if self.kind == 0x00 {
            if let Err(e) = decompress(data, plain) {
                return Err(self.fail(e.kind(), e.detail(), ip));
            }
        } else if let Some(d) = plain.get_mut(..n) {
            d.copy_from_slice(data);
        }
        if crc32c_masked(plain.get(..n).unwrap_or(&[])) != want {
            return Err(self.fail(ErrorKind::Checksum, "chunk CRC-32C does not match", ip));
        }
        if direct {
            *op += n;
        } else {
            self.plain.truncate(n);
            self.drained = 0;
        }
        Ok(direct)
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        // Rule: every return leaves `phase` at the step to resume.
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::Header => {
                    let n = (4 - self.have).min(input.len() - *ip);
                    if let (Some(d), Some(s)) = (self.header.get_mut(self.have..self.have + n), input.get(*ip..*ip + n))
                    {
                        d.copy_from_slice(s);
                    }
                    self.have += n;
                    *ip += n;
                    if self.have < 4 {
                        return Ok(Status::NeedInput);
                    }
                    self.have = 0;
                    let [kind, l0, l1, l2] = self.header;
                    let len = u32::from_le_bytes([l0, l1, l2, 0]) as usize;
                    if !self.seen_id && kind != 0xff {
                        return Err(self.fail(
                            ErrorKind::Corrupt,
                            "stream does not start with a stream identifier",
                            *ip,
                        ));
                    }
                    self.kind = kind;
                    self.body.clear();
                    self.need = len;
                    self.phase = match kind {
                        0xff if len != 6 => {
                            return Err(self.fail(ErrorKind::Corrupt, "bad stream identifier length", *ip));
                        }
                        0x00 | 0x01 | 0xff => {
                            let max = if kind == 0x01 { 4 + FRAGMENT } else { MAX_DATA_CHUNK };
                            if len > max {
                                return Err(self.fail(ErrorKind::Corrupt, "data chunk longer than allowed", *ip));
                            }
                            Phase::Body
                        }
                        0x80..=0xfe => Phase::Skip,
                        _ => return Err(self.fail(ErrorKind::Unsupported, "reserved unskippable chunk type", *ip)),
                    };
                }
                Phase::Skip => {
                    let n = self.need.min(input.len() - *ip);
                    *ip += n;
                    self.need -= n;
                    if self.need > 0 {
                        return Ok(Status::NeedInput);
                    }
                    self.phase = Phase::Header;
                }
                Phase::Body => {
                    let avail = input.get(*ip..).unwrap_or(&[]);
                    let mut body = core::mem::take(&mut self.body);
                    let r = if body.is_empty() && avail.len() >= self.need {
                        // The whole chunk is in this input: read in place.
                        *ip += self.need;
                        self.finish_chunk(avail.get(..self.need).unwrap_or(&[]), *ip, output, op)
                    } else {
                        let n = (self.need - body.len()).min(avail.len());
                        body.extend_from_slice(avail.get(..n).unwrap_or(&[]));
                        *ip += n;
                        if body.len() < self.need {
                            self.body = body;
                            return Ok(Status::NeedInput);
                        }
                        self.finish_chunk(&body, *ip, output, op)
                    };
                    // Kept for its allocation.
                    body.clear();
                    self.body = body;
                    self.phase = if r? { Phase::Header } else { Phase::Drain };
                }
                Phase::Drain => {
                    let n = (self.plain.len() - self.drained).min(output.len() - *op);
                    if let (Some(d), Some(s)) =
                        (output.get_mut(*op..*op + n), self.plain.get(self.drained..self.drained + n))
                    {
                        d.copy_from_slice(s);
                    }
                    *op += n;
                    self.drained += n;
                    if self.drained < self.plain.len() {
                        return Ok(Status::NeedOutput);
                    }
                    self.phase = Phase::Header;
                }
            }
        }
    }
}

impl Decoder for SnappyDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        *self = Self::new();
    }

    /// The framing format has no end mark: any chunk boundary after the
    /// stream identifier may be the end. So the answer depends on where
    /// the decoder is: at such a boundary the end of input is a clean end
    /// (the decoder reports [`Status::NeedInput`] there, never
    /// `StreamEnd`); inside a chunk it is a truncation.
    /// Zero bytes are accepted as an empty stream too: python-snappy
    /// writes nothing at all, not even the identifier, for empty input.
    fn has_end_marker(&self) -> bool {
        !((self.seen_id || self.total_in == 0) && self.phase == Phase::Header && self.have == 0)
    }
}
