//! The `.Z` decoder: the 3-byte header, then LSB-first codes whose width
//! grows from 9 bits to the header's maximum; in block mode code 256
//! clears the table.
//!
//! Entry point: [`LzwDecoder`]. compress(1) writes codes in groups of
//! eight: when the width changes or the table is cleared, the rest of the
//! current group (counted from where the width last changed) is padding,
//! which the decoder skips.

use super::{BLOCK_MODE, CLEAR, FIRST, MAGIC, NAME};
use crate::{Decoder, Error, ErrorKind, Progress, Status};
use alloc::vec;
use alloc::vec::Vec;

/// A streaming `.Z` decoder.
///
/// Invariants: `bits` holds `nbits` unread input bits (LSB first);
/// `prefix[c]`/`suffix[c]` define codes `FIRST..free`; `stack[..]` holds
/// the current string reversed, `stack_pos..` not yet handed out... (see
/// `pending`).
#[derive(Debug, Clone)]
pub struct LzwDecoder {
    header: [u8; 3],
    have: usize,
    max_bits: u32,
    block_mode: bool,
    n_bits: u32,
    max_code: u32,
    max_max_code: u32,
    free: u32,
    old: Option<u32>,
    fin: u8,
    prefix: Vec<u16>,
    suffix: Vec<u8>,
    bits: u64,
    nbits: u32,
    /// Codes read since the width last changed (for the group padding).
    in_group: u32,
    /// Bits still to discard as group padding.
    skip: u32,
    /// Decoded bytes not yet handed out, in order, from `pending_pos`.
    pending: Vec<u8>,
    pending_pos: usize,
    total_in: u64,
    failed: bool,
}

impl Default for LzwDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl LzwDecoder {
    /// A decoder at the start of a `.Z` stream.
    #[must_use]
    pub fn new() -> Self {
        Self {
            header: [0; 3],
            have: 0,
            max_bits: 16,
            block_mode: true,
            n_bits: 9,
            max_code: 511,
            max_max_code: 1 << 16,
            free: FIRST,
            old: None,
            fin: 0,
            prefix: vec![0; 1 << 16],
            suffix: (0..=255u8).chain(core::iter::repeat_n(0, (1 << 16) - 256)).collect(),
            bits: 0,
            nbits: 0,
            in_group: 0,
            skip: 0,
            pending: Vec::with_capacity(1 << 16),
            pending_pos: 0,
            total_in: 0,
            failed: false,
        }
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.failed = true;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// The largest 9-bit code. Even with `-b 9` uncompress(1) widens to
    /// 10 bits once the table is full (and stops adding entries), and so
    /// does this decoder.
    const fn first_max_code(&self) -> u32 {
        511
    }

    /// Starts skipping the rest of the current group of eight codes.
    fn pad_group(&mut self) {
        let left = (8 - self.in_group % 8) % 8;
        self.skip = left * self.n_bits;
        self.in_group = 0;
    }

    /// Writes the string for `code` into `pending` (which must be drained).
    fn expand(&mut self, mut code: u32) -> Result<(), &'static str> {
        self.pending.clear();
        self.pending_pos = 0;
        let old = self.old.ok_or("missing previous code")?;
        let incode = code;
        let mut tail = None;
        if code >= self.free {
            if code > self.free {
                return Err("code beyond the next free table entry");
            }
            // KwKwK: the string of the previous code plus its first byte.
            tail = Some(self.fin);
            code = old;
        }
        while code >= 256 {
            self.pending.push(self.suffix.get(code as usize).copied().unwrap_or(0));
            code = u32::from(self.prefix.get(code as usize).copied().unwrap_or(0));
            if self.pending.len() > 1 << 16 {
                return Err("code chain loops");
            }
        }
        self.fin = code as u8;
        self.pending.push(self.fin);
        self.pending.reverse();
        if let Some(t) = tail {
            self.pending.push(t);
        }
        if self.free < self.max_max_code {
            if let Some(p) = self.prefix.get_mut(self.free as usize) {
                *p = old as u16;
            }
            if let Some(s) = self.suffix.get_mut(self.free as usize) {
                *s = self.fin;
            }
            self.free += 1;
        }
        self.old = Some(incode);
        Ok(())
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        while self.have < 3 {
            let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
            *ip += 1;
            if let Some(h) = self.header.get_mut(self.have) {
                *h = b;
            }
            self.have += 1;
            if self.have == 3 {
                let [m0, m1, flags] = self.header;
                if [m0, m1] != MAGIC {
                    return Err(self.fail(ErrorKind::Corrupt, "not a .Z stream (bad magic number)", *ip));
                }
                if flags & 0x60 != 0 {
                    return Err(self.fail(ErrorKind::Unsupported, "reserved header flags are set", *ip));
                }
                self.max_bits = u32::from(flags & 0x1f);
                if !(9..=16).contains(&self.max_bits) {
                    return Err(self.fail(ErrorKind::Unsupported, "maximum code width is not 9..=16", *ip));
                }
                self.block_mode = flags & BLOCK_MODE != 0;
                self.max_max_code = 1 << self.max_bits;
                self.free = if self.block_mode { FIRST } else { 256 };
                self.max_code = self.first_max_code();
            }
        }
        loop {
            // Hand out the current string first.
            let src = self.pending.get(self.pending_pos..).unwrap_or(&[]);
            let n = src.len().min(output.len() - *op);
            if let (Some(d), Some(s)) = (output.get_mut(*op..*op + n), src.get(..n)) {
                d.copy_from_slice(s);
            }
            *op += n;
            self.pending_pos += n;
            if self.pending_pos < self.pending.len() {
                return Ok(Status::NeedOutput);
            }
            // Refill bits; drop group padding.
            while self.nbits < 32 {
                let Some(&b) = input.get(*ip) else { break };
                *ip += 1;
                self.bits |= u64::from(b) << self.nbits;
                self.nbits += 8;
            }
            if self.skip > 0 {
                let k = self.skip.min(self.nbits);
                self.bits >>= k;
                self.nbits -= k;
                self.skip -= k;
                if self.skip > 0 {
                    return Ok(Status::NeedInput);
                }
                continue;
            }
            if self.free > self.max_code {
                self.pad_group();
                self.n_bits += 1;
                self.max_code = if self.n_bits == self.max_bits { self.max_max_code } else { (1 << self.n_bits) - 1 };
                continue;
            }
            if self.nbits < self.n_bits {
                return Ok(Status::NeedInput);
            }
            let code = (self.bits & ((1 << self.n_bits) - 1)) as u32;
            self.bits >>= self.n_bits;
            self.nbits -= self.n_bits;
            self.in_group += 1;
            if self.old.is_none() {
                if code >= 256 {
                    return Err(self.fail(ErrorKind::Corrupt, "first code is not a literal", *ip));
                }
                self.fin = code as u8;
                self.old = Some(code);
                self.pending.clear();
                self.pending.push(self.fin);
                self.pending_pos = 0;
                continue;
            }
            if code == CLEAR && self.block_mode {
                self.pad_group();
                self.free = FIRST - 1;
                self.n_bits = 9;
                self.max_code = self.first_max_code();
                continue;
            }
            if let Err(detail) = self.expand(code) {
                return Err(self.fail(ErrorKind::Corrupt, detail, *ip));
            }
        }
    }
}

impl Decoder for LzwDecoder {
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
        *self = Self::new();
    }

    /// `.Z` has no end mark: the stream ends with its input (after the
    /// header), and the last partial code is padding.
    fn has_end_marker(&self) -> bool {
        self.have < 3
    }
}
