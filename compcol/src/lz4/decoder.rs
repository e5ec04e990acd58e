//! The LZ4 frame decoder: frames, skippable frames and legacy frames, one
//! after another, with every size checked before anything is allocated.
//!
//! Entry point: [`Lz4Decoder`]. Fixed-size fields (magic, descriptor,
//! block size, checksums) are gathered byte by byte into `field`; a
//! block's data is read in place when the input holds all of it, else
//! gathered into `packed`. An independent block without a dictionary
//! decodes straight into the caller's output when that has room for the
//! block maximum; any other decodes into `window` after the history it
//! may reference, and drains from there.

use super::block::{compress_bound, decompress_with_prefix};
use super::header::{Descriptor, LEGACY_MAGIC, MAGIC, SKIPPABLE_BASE, SKIPPABLE_MASK};
use super::{NAME, WINDOW};
use crate::checksum::{Xxh32, xxh32};
use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

/// Uncompressed size of a legacy-frame block.
const LEGACY_BLOCK: usize = 8 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Gathering a 4-byte magic number.
    Magic,
    /// Gathering FLG and BD, then the rest of the descriptor.
    Descriptor,
    /// Gathering a block size (or the end mark).
    BlockSize,
    /// Gathering `need` bytes of block data (plus its checksum).
    BlockData,
    /// Copying `window[drain..end]` out.
    Drain,
    /// Gathering the content checksum.
    ContentChecksum,
    /// Skipping `skip` bytes of a skippable frame (after its size field).
    SkipSize,
    Skip,
    /// A legacy frame: gathering a block size or a new magic.
    LegacySize,
    /// Between frames: more input starts another, none ends the stream.
    FrameEnd,
    Failed,
}

/// A streaming LZ4 decoder for a sequence of frames.
///
/// After a frame, the decoder reports [`Status::NeedInput`] (another frame
/// may follow) and [`Decoder::has_end_marker`] answers false, so drivers
/// accept the end of input there; bytes that cannot start a frame end the
/// stream with [`Status::StreamEnd`] and stay unconsumed.
///
/// Invariants: `field[..have]` holds the bytes of the fixed-size field
/// being gathered; `window[..hist]` is the history a block may reference
/// (dictionary or the previous 64 KiB), `window[drain..end]` decoded bytes
/// not yet handed out.
#[derive(Debug, Clone)]
pub struct Lz4Decoder {
    phase: Phase,
    field: [u8; 16],
    have: usize,
    desc: Option<Descriptor>,
    legacy: bool,
    packed: Vec<u8>,
    need: usize,
    stored: bool,
    window: Vec<u8>,
    /// The window's size for the current frame (allocated when needed).
    window_size: usize,
    hist: usize,
    drain: usize,
    end: usize,
    dictionary: Vec<u8>,
    content: Xxh32,
    produced: u64,
    skip: u64,
    total_in: u64,
    frames: u64,
}

impl Default for Lz4Decoder {
    fn default() -> Self {
        Self::new()
    }
}

impl Lz4Decoder {
    /// A decoder at the start of a stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            phase: Phase::Magic,
            field: [0; 16],
            have: 0,
            desc: None,
            legacy: false,
            packed: Vec::new(),
            need: 0,
            stored: false,
            window: Vec::new(),
            window_size: 0,
            hist: 0,
            drain: 0,
            end: 0,
            dictionary: Vec::new(),
            content: Xxh32::new(0),
            produced: 0,
            skip: 0,
            total_in: 0,
            frames: 0,
        }
    }

    /// A decoder whose frames were compressed with `dict` (its last 64 KiB
    /// are used).
    #[must_use]
    pub fn with_dictionary(dict: &[u8]) -> Self {
        let mut d = Self::new();
        d.set_dictionary(dict);
        d
    }

    /// Sets the dictionary; call before the first block, or after
    /// [`Status::NeedDictionary`].
    pub fn set_dictionary(&mut self, dict: &[u8]) {
        let keep = dict.len().saturating_sub(WINDOW);
        self.dictionary = dict.get(keep..).unwrap_or(&[]).to_vec();
        // Asked for by a frame header: no block of the frame decoded yet.
        if let (Phase::BlockSize, Some(desc), 0) = (self.phase, self.desc, self.produced) {
            self.start_frame(desc.block_size.bytes());
            self.end = self.hist;
        }
    }

    /// Frames (not counting skippable ones) completed so far.
    #[must_use]
    pub fn frames(&self) -> u64 {
        self.frames
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Gathers `field[..want]`; false when the input ran out first.
    fn gather(&mut self, input: &[u8], ip: &mut usize, want: usize) -> bool {
        let n = (want - self.have).min(input.len() - *ip);
        if let (Some(d), Some(s)) = (self.field.get_mut(self.have..self.have + n), input.get(*ip..*ip + n)) {
            d.copy_from_slice(s);
        }
        self.have += n;
        *ip += n;
        self.have == want
    }

    fn field32(&self) -> u32 {
        let [a, b, c, d, ..] = self.field;
        u32::from_le_bytes([a, b, c, d])
    }

    /// Sets up the window for a frame whose blocks are at most `max`: its
    /// size now, its memory when a block first needs it ([`Self::window`]),
    /// since blocks decoded straight into the caller's output never do.
    fn start_frame(&mut self, max: usize) {
        // Room for a full block after the largest history (64 KiB).
        self.window_size = WINDOW + max;
        if self.window.len() == self.window_size {
            if let Some(d) = self.window.get_mut(..self.dictionary.len()) {
                d.copy_from_slice(&self.dictionary);
            }
        } else {
            self.window = Vec::new();
        }
        self.hist = self.dictionary.len();
        self.content = Xxh32::new(0);
        self.produced = 0;
    }

    /// Checks a whole block's checksum (if the frame has them) and decodes
    /// it, straight into `output` if it can, else into the window; sets
    /// the phase to what follows.
    fn finish_block(&mut self, data: &[u8], ip: usize, output: &mut [u8], op: &mut usize) -> Result<(), Error> {
        let mut body = data;
        if self.desc.is_some_and(|d| d.block_checksum) && !self.legacy {
            let Some((b, sum)) = data.split_last_chunk::<4>() else {
                return Err(self.fail(ErrorKind::Truncated, "block shorter than its checksum", ip));
            };
            if xxh32(b, 0) != u32::from_le_bytes(*sum) {
                return Err(self.fail(ErrorKind::Checksum, "block checksum does not match", ip));
            }
            body = b;
        }
        if self.decode_direct(body, ip, output, op)? {
            self.phase = if self.legacy { Phase::LegacySize } else { Phase::BlockSize };
        } else {
            self.decode_block(body, ip)?;
            self.phase = Phase::Drain;
        }
        Ok(())
    }

    /// The most a block of the current frame decodes to.
    fn block_max(&self) -> usize {
        if self.legacy { LEGACY_BLOCK } else { self.desc.map_or(0, |d| d.block_size.bytes()) }
    }

    /// Decodes `block` (its data, checksum removed; `ip` is the input
    /// position just past it) straight into `output[*op..]` when nothing
    /// needs the window: an independent block without a dictionary, with
    /// room for the most it can decode to (a stored block: for its
    /// length). Returns false, having done nothing, otherwise. The bytes
    /// past the decoded ones are scratch, as the codec contract allows.
    fn decode_direct(&mut self, block: &[u8], ip: usize, output: &mut [u8], op: &mut usize) -> Result<bool, Error> {
        let independent = self.legacy || self.desc.is_none_or(|d| d.independent);
        let room = output.get_mut(*op..).unwrap_or_default();
        let fits = if self.stored { block.len() <= room.len() } else { self.block_max() <= room.len() };
        if !independent || !self.dictionary.is_empty() || !fits {
            return Ok(false);
        }
        let n = if self.stored {
            if block.len() > self.block_max() {
                return Err(self.fail(ErrorKind::Corrupt, "stored block exceeds the block maximum size", ip));
            }
            if let Some(d) = room.get_mut(..block.len()) {
                d.copy_from_slice(block);
            }
            block.len()
        } else {
            // `room` may be longer than the block maximum: cap it, so a
            // block decoding past the maximum fails as it would in the window.
            let cap = room.len().min(self.block_max());
            match decompress_with_prefix(block, room.get_mut(..cap).unwrap_or_default(), 0) {
                Ok(n) => n,
                Err(e) => return Err(self.block_error(&e, block.len(), ip)),
            }
        };
        let out = room.get(..n).unwrap_or(&[]);
        if self.desc.is_some_and(|d| d.content_checksum) {
            self.content.update(out);
        }
        self.produced += n as u64;
        *op += n;
        Ok(true)
    }

    /// A block decoding error, moved to its position in the stream.
    fn block_error(&mut self, e: &Error, block_len: usize, ip: usize) -> Error {
        self.phase = Phase::Failed;
        let off = e.offset().unwrap_or(0);
        let at = self.total_in + ip as u64 - block_len as u64 + off;
        Error::new(e.kind(), NAME, e.detail()).at(at)
    }

    /// Allocates the frame's window, with the dictionary at its start, if
    /// no block of the frame has needed it yet.
    fn window(&mut self) {
        if self.window.len() != self.window_size {
            self.window = vec![0; self.window_size];
            if let Some(d) = self.window.get_mut(..self.dictionary.len()) {
                d.copy_from_slice(&self.dictionary);
            }
        }
    }

    /// Decodes `block` into the window (for [`Phase::Drain`] to copy out).
    fn decode_block(&mut self, block: &[u8], ip: usize) -> Result<(), Error> {
        self.window();
        let independent = self.legacy || self.desc.is_none_or(|d| d.independent);
        if independent {
            self.hist = self.dictionary.len();
        } else if self.end > WINDOW {
            // Linked: keep the last 64 KiB as history.
            self.window.copy_within(self.end - WINDOW..self.end, 0);
            self.hist = WINDOW;
        } else {
            self.hist = self.end.max(self.hist);
        }
        // A block may not decode past the frame's maximum, even where the
        // window (sized for the longest history) has room.
        let max = (self.window.len() - self.hist.min(self.window.len())).min(self.block_max());
        let end = if self.stored {
            let n = block.len();
            if n > max {
                return Err(self.fail(ErrorKind::Corrupt, "stored block exceeds the block maximum size", ip));
            }
            if let Some(d) = self.window.get_mut(self.hist..self.hist + n) {
                d.copy_from_slice(block);
            }
            self.hist + n
        } else {
            let window = self.window.get_mut(..self.hist + max).unwrap_or_default();
            match decompress_with_prefix(block, window, self.hist) {
                Ok(e) => e,
                Err(e) => return Err(self.block_error(&e, block.len(), ip)),
            }
        };
        let out = self.window.get(self.hist..end).unwrap_or(&[]);
        if self.desc.is_some_and(|d| d.content_checksum) {
            self.content.update(out);
        }
        self.produced += out.len() as u64;
        self.drain = self.hist;
        self.end = end;
        Ok(())
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        // Rule: every return leaves `phase` at the step to resume.
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::FrameEnd => {
                    // Bytes that cannot start a frame end the stream and
                    // stay unconsumed (trailing data for the caller).
                    let avail = input.get(*ip..).unwrap_or(&[]);
                    let n = (4 - self.have).min(avail.len());
                    let mut peek = self.field;
                    if let (Some(d), Some(s)) = (peek.get_mut(self.have..self.have + n), avail.get(..n)) {
                        d.copy_from_slice(s);
                    }
                    if avail.is_empty() {
                        // More frames may follow; has_end_marker() tells
                        // drivers that input may also end here.
                        return Ok(Status::NeedInput);
                    }
                    if !magic_prefix(peek.get(..self.have + n).unwrap_or(&[])) {
                        return Ok(Status::StreamEnd);
                    }
                    if !self.gather(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    self.phase = Phase::Magic;
                }
                Phase::Magic => {
                    if !self.gather(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    let magic = self.field32();
                    self.have = 0;
                    if magic == MAGIC {
                        self.legacy = false;
                        self.phase = Phase::Descriptor;
                    } else if magic & SKIPPABLE_MASK == SKIPPABLE_BASE {
                        self.phase = Phase::SkipSize;
                    } else if magic == LEGACY_MAGIC {
                        self.legacy = true;
                        self.desc = None;
                        self.start_frame(LEGACY_BLOCK);
                        self.phase = Phase::LegacySize;
                    } else {
                        return Err(self.fail(ErrorKind::Corrupt, "not an LZ4 frame (bad magic number)", *ip));
                    }
                }
                Phase::SkipSize => {
                    if !self.gather(input, ip, 4) {
                        return Ok(Status::NeedInput);
                    }
                    self.skip = u64::from(self.field32());
                    self.have = 0;
                    self.phase = Phase::Skip;
                }
                Phase::Skip => {
                    let n = self.skip.min((input.len() - *ip) as u64);
                    *ip += n as usize;
                    self.skip -= n;
                    if self.skip > 0 {
                        return Ok(Status::NeedInput);
                    }
                    self.have = 0;
                    self.phase = Phase::FrameEnd;
                }
                Phase::Descriptor => {
                    if self.have == 0 && !self.gather(input, ip, 1) {
                        return Ok(Status::NeedInput);
                    }
                    let want = Descriptor::len_for_flg(self.field.first().copied().unwrap_or(0));
                    if !self.gather(input, ip, want) {
                        return Ok(Status::NeedInput);
                    }
                    let at = self.total_in + *ip as u64;
                    let desc = match Descriptor::parse(self.field.get(..want).unwrap_or(&[]), at) {
                        Ok(d) => d,
                        Err(e) => {
                            self.phase = Phase::Failed;
                            return Err(e);
                        }
                    };
                    self.have = 0;
                    self.desc = Some(desc);
                    self.start_frame(desc.block_size.bytes());
                    self.end = self.hist;
                    self.phase = Phase::BlockSize;
                    if let Some(id) = desc.dict_id
                        && self.dictionary.is_empty()
                    {
                        return Ok(Status::NeedDictionary(id));
                    }
                }
                Phase::BlockSize | Phase::LegacySize => {
                    if !self.gather(input, ip, 4) {
                        if self.phase == Phase::LegacySize && self.have == 0 {
                            // A legacy frame has no end mark: input may end here.
                            return Ok(Status::NeedInput);
                        }
                        return Ok(Status::NeedInput);
                    }
                    let word = self.field32();
                    self.have = 0;
                    if self.phase == Phase::LegacySize {
                        if word == MAGIC || word == LEGACY_MAGIC || word & SKIPPABLE_MASK == SKIPPABLE_BASE {
                            self.frames += 1;
                            // The word is the next frame's magic number.
                            self.have = 4;
                            self.phase = Phase::Magic;
                            continue;
                        }
                        if word as usize > compress_bound(LEGACY_BLOCK) || word == 0 {
                            return Err(self.fail(ErrorKind::Corrupt, "legacy block size out of range", *ip));
                        }
                        self.need = word as usize;
                        self.stored = false;
                        self.packed.clear();
                        self.phase = Phase::BlockData;
                        continue;
                    }
                    let Some(desc) = self.desc else {
                        return Err(self.fail(ErrorKind::Corrupt, "block outside a frame", *ip));
                    };
                    if word == 0 {
                        self.phase = Phase::ContentChecksum;
                        continue;
                    }
                    let size = (word & 0x7fff_ffff) as usize;
                    if size > desc.block_size.bytes() {
                        return Err(self.fail(ErrorKind::Corrupt, "block larger than the frame's block maximum", *ip));
                    }
                    self.stored = word & 0x8000_0000 != 0;
                    self.need = size + if desc.block_checksum { 4 } else { 0 };
                    self.packed.clear();
                    self.phase = Phase::BlockData;
                }
                Phase::BlockData => {
                    let avail = input.get(*ip..).unwrap_or(&[]);
                    let mut packed = core::mem::take(&mut self.packed);
                    let r = if packed.is_empty() && avail.len() >= self.need {
                        // The whole block is in this input: read in place.
                        *ip += self.need;
                        self.finish_block(avail.get(..self.need).unwrap_or(&[]), *ip, output, op)
                    } else {
                        let n = (self.need - packed.len()).min(avail.len());
                        packed.extend_from_slice(avail.get(..n).unwrap_or(&[]));
                        *ip += n;
                        if packed.len() < self.need {
                            self.packed = packed;
                            return Ok(Status::NeedInput);
                        }
                        self.finish_block(&packed, *ip, output, op)
                    };
                    // Kept for its allocation.
                    packed.clear();
                    self.packed = packed;
                    r?;
                }
                Phase::Drain => {
                    let n = (self.end - self.drain).min(output.len() - *op);
                    if let (Some(d), Some(s)) =
                        (output.get_mut(*op..*op + n), self.window.get(self.drain..self.drain + n))
                    {
                        d.copy_from_slice(s);
                    }
                    *op += n;
                    self.drain += n;
                    if self.drain < self.end {
                        return Ok(Status::NeedOutput);
                    }
                    self.phase = if self.legacy { Phase::LegacySize } else { Phase::BlockSize };
                }
                Phase::ContentChecksum => {
                    let Some(desc) = self.desc else {
                        return Err(self.fail(ErrorKind::Corrupt, "end mark outside a frame", *ip));
                    };
                    if desc.content_checksum {
                        if !self.gather(input, ip, 4) {
                            return Ok(Status::NeedInput);
                        }
                        self.have = 0;
                        if self.field32() != self.content.digest() {
                            return Err(self.fail(ErrorKind::Checksum, "content checksum does not match", *ip));
                        }
                    }
                    if desc.content_size.is_some_and(|n| n != self.produced) {
                        return Err(self.fail(ErrorKind::Corrupt, "content size does not match the data", *ip));
                    }
                    self.frames += 1;
                    self.have = 0;
                    self.phase = Phase::FrameEnd;
                }
            }
        }
    }
}

/// Whether `bytes` (at most 4) can begin a frame, skippable frame or
/// legacy frame magic number.
fn magic_prefix(bytes: &[u8]) -> bool {
    let frame = MAGIC.to_le_bytes();
    let legacy = LEGACY_MAGIC.to_le_bytes();
    let skip = SKIPPABLE_BASE.to_le_bytes();
    let fits = |want: &[u8; 4], mask0: u8| {
        bytes.iter().zip(want).enumerate().all(|(i, (b, w))| if i == 0 { b & mask0 == *w } else { b == w })
    };
    fits(&frame, 0xff) || fits(&legacy, 0xff) || fits(&skip, 0xf0)
}

impl Decoder for Lz4Decoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        let dict = core::mem::take(&mut self.dictionary);
        let window = core::mem::take(&mut self.window);
        *self = Self::new();
        self.dictionary = dict;
        self.window = window;
    }

    /// Between frames (and between legacy blocks) the end of input is a
    /// clean end: more frames may follow, so the decoder reports
    /// [`Status::NeedInput`] there and answers false here; anywhere else
    /// the end of input is a truncation.
    fn has_end_marker(&self) -> bool {
        !(matches!(self.phase, Phase::FrameEnd | Phase::LegacySize) && self.have == 0)
    }
}
