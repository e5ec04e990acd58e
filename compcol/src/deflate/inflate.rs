//! The streaming inflater (RFC 1951 decoder).
//!
//! Entry point: [`Inflater`] (wrapped as `DeflateDecoder`, and used by the
//! zlib and gzip decoders). Decoded bytes go into an internal window (the
//! last 32 KiB are the match history), and from there into the caller's
//! output. Each call runs a resumable state machine: the mode enum says
//! where to continue, and every early return leaves it pointing there.
//! Nothing is consumed for a symbol until the whole symbol (code, extra
//! bits and distance) is in the bit buffer, so symbols never straddle
//! calls half-decoded. A fast loop runs while at least 8 input bytes and
//! 274 bytes of window room are available: 64-bit refills, table lookups
//! and 16-byte match copies.

use super::huffman::{Alphabet, K_DIST, K_EOB, K_LEN, K_LIT, TableError, build, e_extra, e_kind, e_len, e_val, lookup};
use crate::{Error, ErrorKind, Status};
use alloc::vec;
use alloc::vec::Vec;

const NAME: &str = "deflate";
/// The largest match distance.
pub(crate) const WSIZE: usize = 32 * 1024;
/// Window buffer: 32 KiB of history plus room to decode ahead.
const BUF_LEN: usize = 4 * WSIZE;
/// The window starts this small and doubles up to `BUF_LEN` before it
/// ever slides, so short streams do not pay for a 128 KiB buffer.
const INITIAL_LEN: usize = 16 * 1024;
/// Slack past `BUF_LEN` for the fast loop's 16-byte over-copies.
const SLACK: usize = 32;
/// Longest match.
const MAX_MATCH: usize = 258;
/// Primary index bits of the literal/length and distance tables.
const LITLEN_BITS: u32 = 10;
const DIST_BITS: u32 = 8;
/// The fast loop views the tables as fixed-size arrays indexed through a
/// mask, so lookups need no bounds checks. A 10-bit literal/length table
/// needs at most 1332 entries and an 8-bit distance table far fewer than
/// 1024 (zlib's `enough` bounds), so padding to these sizes always fits.
const LITLEN_FAST: usize = 2048;
const DIST_FAST: usize = 1024;
const _: () = assert!(1 << LITLEN_BITS <= LITLEN_FAST / 2 && 1 << DIST_BITS <= DIST_FAST / 2);
/// Order in which code-length code lengths are stored.
const CL_ORDER: [usize; 19] = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/// Where the decoder is in the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Next: a 3-bit block header.
    Header,
    /// Next: a stored block's LEN/NLEN (after byte alignment).
    StoredLen,
    /// Copying `stored_left` stored bytes.
    StoredCopy,
    /// Next: HLIT/HDIST/HCLEN.
    TableSizes,
    /// Reading code-length code lengths (`nlens` read so far).
    CodeLenLens,
    /// Reading literal/length + distance code lengths (`nlens` so far).
    Lens,
    /// Decoding symbols of a Huffman block.
    Codes,
    /// The final block ended.
    Done,
    /// An error occurred; only `reset` helps.
    Failed,
}

/// Little-endian bit accumulator. Invariant: bits at and above `cnt` are
/// zero between symbols, except right after a fast-loop refill where they
/// are the (identical) bits of the bytes that follow.
#[derive(Debug, Clone, Copy, Default)]
struct Bits {
    buf: u64,
    cnt: u32,
}

impl Bits {
    /// Ensures `n` (<= 56) bits, pulling whole bytes one at a time.
    #[inline]
    fn need(&mut self, n: u32, input: &[u8], ip: &mut usize) -> bool {
        while self.cnt < n {
            let Some(&b) = input.get(*ip) else { return false };
            self.buf |= u64::from(b) << self.cnt;
            self.cnt += 8;
            *ip += 1;
        }
        true
    }
    #[inline(always)]
    fn peek(&self, n: u32) -> u32 {
        (self.buf & ((1u64 << n) - 1)) as u32
    }
    #[inline(always)]
    fn drop(&mut self, n: u32) {
        self.buf >>= n;
        self.cnt -= n;
    }
}

/// The RFC 1951 decoder state.
#[derive(Debug, Clone)]
pub(crate) struct Inflater {
    mode: Mode,
    bits: Bits,
    last_block: bool,
    /// `win[..pos]` is decoded; `win[out..pos]` not yet handed out;
    /// `win[..pos]` is the match history (at least min(pos, 32 KiB)).
    win: Vec<u8>,
    pos: usize,
    out: usize,
    litlen: Vec<u32>,
    dist: Vec<u32>,
    /// The tables currently hold the fixed codes.
    fixed_loaded: bool,
    cl_table: Vec<u32>,
    lens: [u8; 320],
    nlens: usize,
    hlit: usize,
    hdist: usize,
    hclen: usize,
    stored_left: usize,
    /// Input bytes consumed over the stream, for error offsets.
    total_in: u64,
}

impl Default for Inflater {
    fn default() -> Self {
        Self::new()
    }
}

fn table_error(e: TableError, what: &'static str) -> &'static str {
    match (e, what) {
        (TableError::OverSubscribed, "cl") => "over-subscribed code-length code",
        (TableError::Incomplete, "cl") => "incomplete code-length code",
        (TableError::OverSubscribed, "lit") => "over-subscribed literal/length code",
        (TableError::Incomplete, "lit") => "incomplete literal/length code",
        (TableError::OverSubscribed, _) => "over-subscribed distance code",
        (TableError::Incomplete, _) => "incomplete distance code",
    }
}

impl Inflater {
    /// A decoder at the start of a raw deflate stream. The window is
    /// allocated on first use.
    pub(crate) fn new() -> Self {
        Self {
            mode: Mode::Header,
            bits: Bits::default(),
            last_block: false,
            win: Vec::new(),
            pos: 0,
            out: 0,
            litlen: Vec::new(),
            dist: Vec::new(),
            fixed_loaded: false,
            cl_table: Vec::new(),
            lens: [0; 320],
            nlens: 0,
            hlit: 0,
            hdist: 0,
            hclen: 0,
            stored_left: 0,
            total_in: 0,
        }
    }

    /// Back to the start of a stream, keeping buffers.
    pub(crate) fn reset(&mut self) {
        self.mode = Mode::Header;
        self.bits = Bits::default();
        self.last_block = false;
        self.pos = 0;
        self.out = 0;
        self.nlens = 0;
        self.stored_left = 0;
        self.total_in = 0;
    }

    /// Primes the history with a preset dictionary (its last 32 KiB).
    pub(crate) fn set_dictionary(&mut self, dict: &[u8]) {
        if self.win.len() < BUF_LEN + SLACK {
            self.win.resize(BUF_LEN + SLACK, 0);
        }
        let d = dict.get(dict.len().saturating_sub(WSIZE)..).unwrap_or(&[]);
        if let Some(dst) = self.win.get_mut(..d.len()) {
            dst.copy_from_slice(d);
        }
        self.pos = d.len();
        self.out = d.len();
    }

    /// Whole bytes left in the bit buffer after the end of the stream
    /// (normally none): trailers must read them before the next input.
    #[cfg_attr(not(any(feature = "zlib", feature = "gzip")), allow(dead_code))]
    pub(crate) fn take_byte(&mut self) -> Option<u8> {
        if self.mode != Mode::Done {
            return None;
        }
        let r = self.bits.cnt % 8;
        self.bits.drop(r);
        if self.bits.cnt < 8 {
            return None;
        }
        let b = self.bits.peek(8) as u8;
        self.bits.drop(8);
        Some(b)
    }

    fn alloc(&mut self) {
        if self.win.is_empty() {
            self.win = vec![0; INITIAL_LEN + SLACK];
        }
    }

    /// Usable window length (the rest is over-copy slack).
    fn cap(&self) -> usize {
        self.win.len().saturating_sub(SLACK)
    }

    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.mode = Mode::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    /// Hands decoded bytes to `output`.
    fn flush(&mut self, output: &mut [u8], op: &mut usize) {
        let n = (self.pos - self.out).min(output.len().saturating_sub(*op));
        if let (Some(src), Some(dst)) = (self.win.get(self.out..self.out + n), output.get_mut(*op..*op + n)) {
            dst.copy_from_slice(src);
        }
        self.out += n;
        *op += n;
    }

    /// Makes `room` bytes of window space, handing out pending bytes and
    /// sliding the history down. False when the output is full first.
    fn make_room(&mut self, room: usize, output: &mut [u8], op: &mut usize) -> bool {
        let cap = self.cap();
        if cap - self.pos >= room {
            return true;
        }
        if cap < BUF_LEN {
            self.win.resize((2 * cap).min(BUF_LEN) + SLACK, 0);
            return true;
        }
        self.flush(output, op);
        if self.out != self.pos {
            return false;
        }
        let keep = self.pos.min(WSIZE);
        self.win.copy_within(self.pos - keep..self.pos, 0);
        self.pos = keep;
        self.out = keep;
        true
    }

    /// Why a call that cannot go on returns.
    fn stall(&mut self, output: &mut [u8], op: &mut usize) -> Status {
        self.flush(output, op);
        if self.out == self.pos { Status::NeedInput } else { Status::NeedOutput }
    }

    fn block_done(&mut self) {
        self.mode = if self.last_block { Mode::Done } else { Mode::Header };
    }

    /// Decodes from `input` into `output`; returns (consumed, produced,
    /// status).
    pub(crate) fn inflate(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize, Status), Error> {
        if self.mode == Mode::Failed {
            return Err(Error::new(ErrorKind::Poisoned, NAME, ""));
        }
        self.alloc();
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|s| (ip, op, s))
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        self.flush(output, op);
        // Rule: every `return` leaves `self.mode` at the step to resume.
        loop {
            match self.mode {
                Mode::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Mode::Done => {
                    self.flush(output, op);
                    // Give back whole bytes read ahead in this call.
                    let back = (self.bits.cnt as usize / 8).min(*ip);
                    *ip -= back;
                    self.bits.cnt -= 8 * back as u32;
                    self.bits.buf &= (1u64 << self.bits.cnt) - 1;
                    return Ok(if self.out == self.pos { Status::StreamEnd } else { Status::NeedOutput });
                }
                Mode::Header => {
                    if !self.bits.need(3, input, ip) {
                        return Ok(self.stall(output, op));
                    }
                    let h = self.bits.peek(3);
                    self.bits.drop(3);
                    self.last_block = h & 1 != 0;
                    match h >> 1 {
                        0 => self.mode = Mode::StoredLen,
                        1 => {
                            self.load_fixed();
                            self.mode = Mode::Codes;
                        }
                        2 => self.mode = Mode::TableSizes,
                        _ => return Err(self.fail(ErrorKind::Corrupt, "invalid block type 3", *ip)),
                    }
                }
                Mode::StoredLen => {
                    let r = self.bits.cnt % 8;
                    self.bits.drop(r);
                    if !self.bits.need(32, input, ip) {
                        return Ok(self.stall(output, op));
                    }
                    let len = self.bits.peek(16);
                    self.bits.drop(16);
                    let nlen = self.bits.peek(16);
                    self.bits.drop(16);
                    if len != !nlen & 0xffff {
                        return Err(self.fail(
                            ErrorKind::Corrupt,
                            "stored block length does not match its complement",
                            *ip,
                        ));
                    }
                    self.stored_left = len as usize;
                    self.mode = Mode::StoredCopy;
                }
                Mode::StoredCopy => {
                    while self.stored_left > 0 {
                        if !self.make_room(1, output, op) {
                            return Ok(Status::NeedOutput);
                        }
                        if self.bits.cnt >= 8 {
                            if let Some(slot) = self.win.get_mut(self.pos) {
                                *slot = self.bits.peek(8) as u8;
                            }
                            self.bits.drop(8);
                            self.pos += 1;
                            self.stored_left -= 1;
                            continue;
                        }
                        let avail = input.len() - *ip;
                        if avail == 0 {
                            return Ok(self.stall(output, op));
                        }
                        let n = self.stored_left.min(avail).min(self.cap() - self.pos);
                        if let (Some(src), Some(dst)) =
                            (input.get(*ip..*ip + n), self.win.get_mut(self.pos..self.pos + n))
                        {
                            dst.copy_from_slice(src);
                        }
                        *ip += n;
                        self.pos += n;
                        self.stored_left -= n;
                    }
                    self.block_done();
                }
                Mode::TableSizes => {
                    if !self.bits.need(14, input, ip) {
                        return Ok(self.stall(output, op));
                    }
                    self.hlit = self.bits.peek(5) as usize + 257;
                    self.hdist = (self.bits.peek(10) >> 5) as usize + 1;
                    self.hclen = (self.bits.peek(14) >> 10) as usize + 4;
                    self.bits.drop(14);
                    if self.hlit > 286 || self.hdist > 30 {
                        return Err(self.fail(ErrorKind::Corrupt, "too many length or distance symbols", *ip));
                    }
                    self.lens = [0; 320];
                    self.nlens = 0;
                    self.mode = Mode::CodeLenLens;
                }
                Mode::CodeLenLens => {
                    while self.nlens < self.hclen {
                        if !self.bits.need(3, input, ip) {
                            return Ok(self.stall(output, op));
                        }
                        let slot = CL_ORDER.get(self.nlens).copied().unwrap_or(0);
                        if let Some(l) = self.lens.get_mut(slot) {
                            *l = self.bits.peek(3) as u8;
                        }
                        self.bits.drop(3);
                        self.nlens += 1;
                    }
                    let cl = self.lens.get(..19).unwrap_or(&[]);
                    if let Err(e) = build(cl, 7, Alphabet::CodeLengths, &mut self.cl_table) {
                        return Err(self.fail(ErrorKind::Corrupt, table_error(e, "cl"), *ip));
                    }
                    self.lens = [0; 320];
                    self.nlens = 0;
                    self.mode = Mode::Lens;
                }
                Mode::Lens => {
                    if let Some(status) = self.read_lens(input, ip, output, op)? {
                        return Ok(status);
                    }
                    self.mode = Mode::Codes;
                }
                Mode::Codes => {
                    if let Some(status) = self.codes(input, ip, output, op)? {
                        return Ok(status);
                    }
                    self.block_done();
                }
            }
        }
    }

    /// Pads the tables to the fixed sizes the fast loop views them as.
    fn pad_tables(&mut self) {
        if self.litlen.len() < LITLEN_FAST {
            self.litlen.resize(LITLEN_FAST, 0);
        }
        if self.dist.len() < DIST_FAST {
            self.dist.resize(DIST_FAST, 0);
        }
    }

    fn load_fixed(&mut self) {
        if self.fixed_loaded {
            return;
        }
        let mut lens = [0u8; 288];
        for (i, l) in lens.iter_mut().enumerate() {
            *l = match i {
                0..=143 => 8,
                144..=255 => 9,
                256..=279 => 7,
                _ => 8,
            };
        }
        // Both fixed codes are complete, so building cannot fail.
        let a = build(&lens, LITLEN_BITS, Alphabet::LitLen, &mut self.litlen);
        let b = build(&[5; 32], DIST_BITS, Alphabet::Dist, &mut self.dist);
        debug_assert!(a.is_ok() && b.is_ok());
        self.pad_tables();
        self.fixed_loaded = true;
    }

    /// Reads the literal/length and distance code lengths and builds the
    /// tables. `Some(status)` when the call must return first.
    fn read_lens(
        &mut self,
        input: &[u8],
        ip: &mut usize,
        output: &mut [u8],
        op: &mut usize,
    ) -> Result<Option<Status>, Error> {
        let total = self.hlit + self.hdist;
        while self.nlens < total {
            let e = loop {
                let e = lookup(&self.cl_table, 7, self.bits.buf);
                if e_len(e) <= self.bits.cnt && e_len(e) != 0 {
                    break e;
                }
                if e_len(e) == 0 {
                    return Err(self.fail(ErrorKind::Corrupt, "invalid code-length code", *ip));
                }
                if !self.bits.need(self.bits.cnt + 1, input, ip) {
                    return Ok(Some(self.stall(output, op)));
                }
            };
            let sym = e_val(e);
            let len = e_len(e);
            let (extra, base) = match sym {
                16 => (2, 3),
                17 => (3, 3),
                18 => (7, 11),
                _ => (0, 1),
            };
            if !self.bits.need(len + extra, input, ip) {
                return Ok(Some(self.stall(output, op)));
            }
            self.bits.drop(len);
            let repeat = base + self.bits.peek(extra) as usize;
            self.bits.drop(extra);
            let value = match sym {
                0..=15 => sym as u8,
                16 => match self.nlens.checked_sub(1).and_then(|i| self.lens.get(i)) {
                    Some(&prev) => prev,
                    None => return Err(self.fail(ErrorKind::Corrupt, "repeat of a length before the first", *ip)),
                },
                _ => 0,
            };
            if self.nlens + repeat > total {
                return Err(self.fail(ErrorKind::Corrupt, "code lengths repeat past the end", *ip));
            }
            if let Some(dst) = self.lens.get_mut(self.nlens..self.nlens + repeat) {
                dst.fill(value);
            }
            self.nlens += repeat;
        }
        if self.lens.get(256).copied().unwrap_or(0) == 0 {
            return Err(self.fail(ErrorKind::Corrupt, "no end-of-block code", *ip));
        }
        self.fixed_loaded = false;
        let (lit, rest) = self.lens.split_at(self.hlit);
        let dist = rest.get(..self.hdist).unwrap_or(&[]);
        if let Err(e) = build(lit, LITLEN_BITS, Alphabet::LitLen, &mut self.litlen) {
            return Err(self.fail(ErrorKind::Corrupt, table_error(e, "lit"), *ip));
        }
        if let Err(e) = build(dist, DIST_BITS, Alphabet::Dist, &mut self.dist) {
            return Err(self.fail(ErrorKind::Corrupt, table_error(e, "dist"), *ip));
        }
        self.pad_tables();
        Ok(None)
    }

    /// Decodes symbols until end of block (`None`) or until the call must
    /// return (`Some(status)`).
    fn codes(
        &mut self,
        input: &[u8],
        ip: &mut usize,
        output: &mut [u8],
        op: &mut usize,
    ) -> Result<Option<Status>, Error> {
        loop {
            if input.len() - *ip >= 8 && self.pos + MAX_MATCH + 16 <= self.cap() {
                let before = (self.pos, *ip);
                if self.fast(input, ip)? {
                    return Ok(None);
                }
                if before != (self.pos, *ip) {
                    continue;
                }
            }
            if !self.make_room(MAX_MATCH, output, op) {
                return Ok(Some(Status::NeedOutput));
            }
            // Slow path: one whole symbol, or nothing consumed.
            let e = match self.peek_symbol(true, 0, input, ip) {
                Ok(Some(e)) => e,
                Ok(None) => return Ok(Some(self.stall(output, op))),
                Err(detail) => return Err(self.fail(ErrorKind::Corrupt, detail, *ip)),
            };
            let len_bits = e_len(e);
            match e_kind(e) {
                K_LIT => {
                    self.bits.drop(len_bits);
                    if let Some(slot) = self.win.get_mut(self.pos) {
                        *slot = e_val(e) as u8;
                    }
                    self.pos += 1;
                }
                K_EOB => {
                    self.bits.drop(len_bits);
                    return Ok(None);
                }
                _ => {
                    let lx = e_extra(e);
                    if !self.bits.need(len_bits + lx, input, ip) {
                        return Ok(Some(self.stall(output, op)));
                    }
                    let length = e_val(e) as usize + ((self.bits.buf >> len_bits) & ((1 << lx) - 1)) as usize;
                    let skip = len_bits + lx;
                    let d = match self.peek_symbol(false, skip, input, ip) {
                        Ok(Some(d)) => d,
                        Ok(None) => return Ok(Some(self.stall(output, op))),
                        Err(detail) => return Err(self.fail(ErrorKind::Corrupt, detail, *ip)),
                    };
                    let dx = e_extra(d);
                    let total = skip + e_len(d) + dx;
                    if !self.bits.need(total, input, ip) {
                        return Ok(Some(self.stall(output, op)));
                    }
                    let distance =
                        e_val(d) as usize + ((self.bits.buf >> (skip + e_len(d))) & ((1 << dx) - 1)) as usize;
                    if distance > self.pos {
                        return Err(self.fail(ErrorKind::Corrupt, "distance beyond the start of the output", *ip));
                    }
                    self.bits.drop(total);
                    for i in self.pos..self.pos + length {
                        let b = self.win.get(i - distance).copied().unwrap_or(0);
                        if let Some(slot) = self.win.get_mut(i) {
                            *slot = b;
                        }
                    }
                    self.pos += length;
                }
            }
        }
    }

    /// Peeks one literal/length (`lit`) or distance symbol starting `skip`
    /// bits into the buffer, pulling bytes as needed without consuming.
    /// `Ok(None)` when the input ran out first.
    fn peek_symbol(&mut self, lit: bool, skip: u32, input: &[u8], ip: &mut usize) -> Result<Option<u32>, &'static str> {
        loop {
            let bits = self.bits.buf >> skip;
            let e = if lit { lookup(&self.litlen, LITLEN_BITS, bits) } else { lookup(&self.dist, DIST_BITS, bits) };
            let len = e_len(e);
            if len != 0 && skip + len <= self.bits.cnt {
                return match e_kind(e) {
                    K_LIT | K_EOB | K_LEN if lit => Ok(Some(e)),
                    K_DIST if !lit => Ok(Some(e)),
                    _ if lit => Err("invalid literal/length code"),
                    _ => Err("invalid distance code"),
                };
            }
            if len == 0 {
                return Err(if lit { "invalid literal/length code" } else { "invalid distance code" });
            }
            if !self.bits.need(self.bits.cnt + 1, input, ip) {
                return Ok(None);
            }
        }
    }

    /// The fast loop. Returns true at end of block. On exit, whole bytes
    /// read ahead are given back to the input.
    fn fast(&mut self, input: &[u8], ip: &mut usize) -> Result<bool, Error> {
        let start_ip = *ip;
        let r = self.fast_inner(input, ip);
        let back = (self.bits.cnt as usize / 8).min(*ip - start_ip);
        *ip -= back;
        self.bits.cnt -= 8 * back as u32;
        self.bits.buf &= (1u64 << self.bits.cnt) - 1;
        r.map_err(|detail| self.fail(ErrorKind::Corrupt, detail, *ip))
    }

    // Bounds: the loop runs only while `ip + 8 <= input.len()` and
    // `pos + 258 + 16 <= cap`, the window has SLACK more bytes, table
    // indices are masked to sizes `build` allocated, and `src = pos - dist`
    // with `dist <= pos` checked.
    #[allow(clippy::indexing_slicing)]
    #[inline(never)]
    fn fast_inner(&mut self, input: &[u8], ip: &mut usize) -> Result<bool, &'static str> {
        let mut buf = self.bits.buf;
        let mut cnt = self.bits.cnt;
        let mut pos = self.pos;
        let mut i = *ip;
        let cap = self.cap();
        let win = &mut self.win[..];
        // Tables are padded to exactly these sizes (never more, by the
        // `enough` bounds); if not, the slow path decodes instead.
        let Ok(litlen) = <&[u32; LITLEN_FAST]>::try_from(&self.litlen[..]) else { return Ok(false) };
        let Ok(dist) = <&[u32; DIST_FAST]>::try_from(&self.dist[..]) else { return Ok(false) };
        let lmask = (1u64 << LITLEN_BITS) - 1;
        let dmask = (1u64 << DIST_BITS) - 1;
        let mut result = Ok(false);
        while i + 8 <= input.len() && pos + MAX_MATCH + 16 <= cap {
            // Refill to 56..=63 bits; bytes past `cnt` are re-ORed with the
            // same values next time, so over-reading is harmless.
            let word = u64::from_le_bytes(<[u8; 8]>::try_from(&input[i..i + 8]).unwrap_or([0; 8]));
            buf |= word << cnt;
            i += ((63 - cnt) >> 3) as usize;
            cnt |= 56;

            let mut e = litlen[(buf & lmask) as usize];
            if e_kind(e) == super::huffman::K_SUB {
                e = litlen[(e_val(e) as usize + ((buf >> LITLEN_BITS) as usize & ((1 << e_extra(e)) - 1)))
                    & (LITLEN_FAST - 1)];
            }
            let kind = e_kind(e);
            if kind == K_LIT {
                buf >>= e_len(e);
                cnt -= e_len(e);
                win[pos] = e_val(e) as u8;
                pos += 1;
                // A second literal fits in the bits left (>= 41).
                let mut e2 = litlen[(buf & lmask) as usize];
                if e_kind(e2) == super::huffman::K_SUB {
                    e2 = litlen[(e_val(e2) as usize + ((buf >> LITLEN_BITS) as usize & ((1 << e_extra(e2)) - 1)))
                        & (LITLEN_FAST - 1)];
                }
                if e_kind(e2) == K_LIT {
                    buf >>= e_len(e2);
                    cnt -= e_len(e2);
                    win[pos] = e_val(e2) as u8;
                    pos += 1;
                    // And a third (three codes take at most 45 of the 56).
                    let mut e3 = litlen[(buf & lmask) as usize];
                    if e_kind(e3) == super::huffman::K_SUB {
                        e3 = litlen[(e_val(e3) as usize + ((buf >> LITLEN_BITS) as usize & ((1 << e_extra(e3)) - 1)))
                            & (LITLEN_FAST - 1)];
                    }
                    if e_kind(e3) == K_LIT {
                        buf >>= e_len(e3);
                        cnt -= e_len(e3);
                        win[pos] = e_val(e3) as u8;
                        pos += 1;
                    }
                }
                continue;
            }
            if kind == K_LEN {
                let n = e_len(e);
                let x = e_extra(e);
                buf >>= n;
                let length = e_val(e) as usize + (buf & ((1 << x) - 1)) as usize;
                buf >>= x;
                cnt -= n + x;
                let mut d = dist[(buf & dmask) as usize];
                if e_kind(d) == super::huffman::K_SUB {
                    d = dist[(e_val(d) as usize + ((buf >> DIST_BITS) as usize & ((1 << e_extra(d)) - 1)))
                        & (DIST_FAST - 1)];
                }
                if e_kind(d) != K_DIST || e_len(d) == 0 {
                    result = Err("invalid distance code");
                    break;
                }
                let dn = e_len(d);
                let dx = e_extra(d);
                buf >>= dn;
                let distance = e_val(d) as usize + (buf & ((1 << dx) - 1)) as usize;
                buf >>= dx;
                cnt -= dn + dx;
                if distance > pos {
                    result = Err("distance beyond the start of the output");
                    break;
                }
                let src = pos - distance;
                if distance >= 16 {
                    let mut k = 0;
                    while k < length {
                        let chunk = <[u8; 16]>::try_from(&win[src + k..src + k + 16]).unwrap_or([0; 16]);
                        win[pos + k..pos + k + 16].copy_from_slice(&chunk);
                        k += 16;
                    }
                } else if distance >= 8 {
                    // 8-byte chunks: each chunk's source ends at or before
                    // its destination starts, so earlier chunks are final.
                    let mut k = 0;
                    while k < length {
                        let chunk = <[u8; 8]>::try_from(&win[src + k..src + k + 8]).unwrap_or([0; 8]);
                        win[pos + k..pos + k + 8].copy_from_slice(&chunk);
                        k += 8;
                    }
                } else if distance == 1 {
                    let b = win[src];
                    win[pos..pos + length].fill(b);
                } else {
                    for k in 0..length {
                        win[pos + k] = win[src + k];
                    }
                }
                pos += length;
                continue;
            }
            if kind == K_EOB {
                buf >>= e_len(e);
                cnt -= e_len(e);
                result = Ok(true);
                break;
            }
            result = Err("invalid literal/length code");
            break;
        }
        self.bits.buf = buf;
        self.bits.cnt = cnt;
        self.pos = pos;
        *ip = i;
        result
    }
}
