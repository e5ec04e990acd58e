//! The LZMA decoder core: the range decoder, the probability model
//! (lc/lp/pb literal coders, match/rep state machine, length and distance
//! coders) and the sliding window it writes into.
//!
//! Entry points: [`Window`] (the dictionary, also the output staging
//! area), [`LzmaCore::run`] (decode symbols until the window limit, the
//! end of input or an end marker). Streaming with arbitrarily small input
//! works by a dry run: a symbol never reads a probability twice, so when
//! fewer than [`SAFE_INPUT`] bytes remain the symbol is first decoded
//! without writing anything back; only when it fits in the input is it
//! decoded for real.

use super::model::{Model, Props, State};
use crate::{Error, ErrorKind};
use alloc::vec;
use alloc::vec::Vec;

/// Input bytes that always suffice for one symbol (a symbol reads at most
/// about 20; the margin keeps the fast path simple).
pub(crate) const SAFE_INPUT: usize = 32;

/// The dictionary: a ring of `cap` bytes holding the history for matches.
/// Decoded bytes are written here first, then copied to the caller.
#[derive(Debug, Clone)]
pub(crate) struct Window {
    buf: Vec<u8>,
    /// Next write position (0..=cap).
    pub(crate) pos: usize,
    /// How much valid history there is (saturates at cap).
    full: usize,
    /// Bytes decoded since the last reset (for the literal position bits).
    pub(crate) total: u64,
}

impl Window {
    /// A window of `size` bytes (at least 4 KiB, as liblzma does).
    pub(crate) fn new(size: usize) -> Self {
        Self { buf: vec![0; size.max(4096)], pos: 0, full: 0, total: 0 }
    }

    /// Capacity in bytes.
    pub(crate) fn cap(&self) -> usize {
        self.buf.len()
    }

    /// Forgets the history (LZMA2 dictionary reset).
    pub(crate) fn reset(&mut self) {
        self.pos = 0;
        self.full = 0;
        self.total = 0;
    }

    /// Wraps to the start once the caller has everything up to the end.
    pub(crate) fn wrap_if_full(&mut self) {
        if self.pos == self.buf.len() {
            self.pos = 0;
        }
    }

    /// The bytes written since position `from` (always `from..pos`).
    pub(crate) fn since(&self, from: usize) -> &[u8] {
        self.buf.get(from..self.pos).unwrap_or(&[])
    }

    /// The byte `dist + 1` back (dist 0 = the last byte), 0 when none.
    #[inline(always)]
    pub(crate) fn back(&self, dist: usize) -> u8 {
        if dist >= self.full {
            return 0;
        }
        let i = if dist < self.pos { self.pos - dist - 1 } else { (self.pos + self.buf.len()).wrapping_sub(dist + 1) };
        self.buf.get(i).copied().unwrap_or(0)
    }

    /// Whether a match distance (0-based) reaches into existing history.
    #[inline(always)]
    pub(crate) fn has(&self, dist: u32) -> bool {
        (dist as usize) < self.full
    }

    /// Appends one byte (the caller keeps `pos < cap`).
    #[inline(always)]
    pub(crate) fn put(&mut self, b: u8) {
        if let Some(slot) = self.buf.get_mut(self.pos) {
            *slot = b;
        }
        self.pos += 1;
        self.total += 1;
        if self.full < self.buf.len() {
            self.full += 1;
        }
    }

    /// Copies `len` bytes from `dist + 1` back (the caller keeps
    /// `pos + len <= cap` and `has(dist)`).
    #[inline(always)]
    pub(crate) fn copy_match(&mut self, dist: usize, len: usize) {
        let cap = self.buf.len();
        let src = if dist < self.pos { self.pos - dist - 1 } else { (self.pos + cap).wrapping_sub(dist + 1) };
        if src + len <= self.pos || (src > self.pos && src + len <= cap && dist + 1 >= len) {
            // Source and destination do not overlap and do not wrap.
            self.buf.copy_within(src..src + len, self.pos);
        } else {
            let mut s = src;
            for i in 0..len {
                let b = self.buf.get(s).copied().unwrap_or(0);
                if let Some(slot) = self.buf.get_mut(self.pos + i) {
                    *slot = b;
                }
                s += 1;
                if s == cap {
                    s = 0;
                }
            }
        }
        self.pos += len;
        self.total += len as u64;
        self.full = (self.full + len).min(cap);
    }

    /// Appends raw bytes (LZMA2 uncompressed chunks); `pos + data.len() <= cap`.
    pub(crate) fn put_slice(&mut self, data: &[u8]) {
        if let Some(dst) = self.buf.get_mut(self.pos..self.pos + data.len()) {
            dst.copy_from_slice(data);
        }
        self.pos += data.len();
        self.total += data.len() as u64;
        self.full = (self.full + data.len()).min(self.buf.len());
    }
}

/// Range decoder registers, kept across calls.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RangeState {
    pub(crate) range: u32,
    pub(crate) code: u32,
}

impl RangeState {
    /// Starts from the 5 init bytes (the first must be 0).
    pub(crate) fn init(bytes: [u8; 5]) -> Option<Self> {
        let [b0, b1, b2, b3, b4] = bytes;
        (b0 == 0).then(|| Self { range: u32::MAX, code: u32::from_be_bytes([b1, b2, b3, b4]) })
    }
}

/// The range decoder over one input slice.
struct Rc<'a> {
    range: u32,
    code: u32,
    input: &'a [u8],
    pos: usize,
    overrun: bool,
}

const TOP: u32 = 1 << 24;

impl Rc<'_> {
    #[inline(always)]
    fn normalize(&mut self) {
        if self.range < TOP {
            self.range <<= 8;
            let b = match self.input.get(self.pos) {
                Some(&b) => b,
                None => {
                    self.overrun = true;
                    0
                }
            };
            self.pos += 1;
            self.code = (self.code << 8) | u32::from(b);
        }
    }

    #[inline(always)]
    fn bit<const DRY: bool>(&mut self, p: &mut u16) -> u32 {
        self.normalize();
        let bound = (self.range >> 11) * u32::from(*p);
        if self.code < bound {
            self.range = bound;
            if !DRY {
                *p += (2048 - *p) >> 5;
            }
            0
        } else {
            self.range -= bound;
            self.code -= bound;
            if !DRY {
                *p -= *p >> 5;
            }
            1
        }
    }

    #[inline(always)]
    fn tree<const DRY: bool>(&mut self, probs: &mut [u16], bits: u32) -> u32 {
        let mut m = 1usize;
        for _ in 0..bits {
            let b = match probs.get_mut(m) {
                Some(p) => self.bit::<DRY>(p),
                None => 0,
            };
            m = (m << 1) | b as usize;
        }
        (m - (1 << bits)) as u32
    }

    #[inline(always)]
    fn reverse<const DRY: bool>(&mut self, probs: &mut [u16], bits: u32) -> u32 {
        let mut m = 1usize;
        let mut sym = 0;
        for i in 0..bits {
            let b = match probs.get_mut(m) {
                Some(p) => self.bit::<DRY>(p),
                None => 0,
            };
            m = (m << 1) | b as usize;
            sym |= b << i;
        }
        sym
    }

    #[inline(always)]
    fn direct(&mut self, bits: u32) -> u32 {
        let mut r = 0u32;
        for _ in 0..bits {
            self.normalize();
            self.range >>= 1;
            let t = if self.code >= self.range {
                self.code -= self.range;
                1
            } else {
                0
            };
            r = (r << 1) | t;
        }
        r
    }
}

/// One decoded symbol.
enum Sym {
    Literal(u8),
    /// A match: length and 0-based distance.
    Match(usize, u32),
    /// The end-of-payload marker.
    End,
}

/// Why [`LzmaCore::run`] stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RunEnd {
    /// The window reached the limit (output space or chunk size).
    Limit,
    /// The next symbol needs more input than there is.
    NeedInput,
    /// The end marker was decoded.
    EndMarker,
}

/// The LZMA decoder: model, state and the unfinished part of a match.
#[derive(Debug, Clone)]
pub(crate) struct LzmaCore {
    pub(crate) model: Model,
    pub(crate) rc: RangeState,
    /// Bytes of the last match still to copy (the window limit cut it).
    pub(crate) pending: usize,
    /// Input taken from the caller but not decoded yet: a symbol that did
    /// not fit in the bytes available so far.
    tail: [u8; 2 * SAFE_INPUT],
    tail_len: usize,
}

fn corrupt(detail: &'static str) -> Error {
    Error::new(ErrorKind::Corrupt, "xz", detail)
}

impl LzmaCore {
    pub(crate) fn new(props: Props) -> Self {
        Self { model: Model::new(props), rc: RangeState::default(), pending: 0, tail: [0; 2 * SAFE_INPUT], tail_len: 0 }
    }

    /// Copies what is left of a cut match, up to `limit`.
    fn finish_pending(&mut self, win: &mut Window, limit: usize) {
        if self.pending > 0 {
            let n = self.pending.min(limit.saturating_sub(win.pos));
            win.copy_match(self.model.state.reps[0] as usize, n);
            self.pending -= n;
        }
    }

    /// Forgets buffered input (a new range-coded stretch).
    pub(crate) fn clear_tail(&mut self) {
        self.tail_len = 0;
    }

    /// As [`Self::run`], but input too short for the next symbol is kept
    /// in a small internal buffer (and reported consumed), so a caller
    /// feeding one byte at a time always makes progress.
    pub(crate) fn decode(
        &mut self,
        input: &[u8],
        input_is_all: bool,
        win: &mut Window,
        limit: usize,
        allow_end: bool,
    ) -> Result<(usize, RunEnd), Error> {
        let mut consumed = 0;
        if self.tail_len > 0 {
            let old = self.tail_len;
            let k = input.len().min(self.tail.len() - old);
            if let (Some(d), Some(s)) = (self.tail.get_mut(old..old + k), input.get(..k)) {
                d.copy_from_slice(s);
            }
            self.tail_len += k;
            let tail = self.tail;
            let all = input_is_all && k == input.len();
            let (used, end) = self.run(tail.get(..self.tail_len).unwrap_or(&[]), all, win, limit, allow_end)?;
            if used < old {
                self.tail.copy_within(used..self.tail_len, 0);
                self.tail_len -= used;
                return Ok((k, end));
            }
            self.tail_len = 0;
            consumed = used - old;
            if end != RunEnd::NeedInput {
                return Ok((consumed, end));
            }
        }
        let rest = input.get(consumed..).unwrap_or(&[]);
        let (used, end) = self.run(rest, input_is_all, win, limit, allow_end)?;
        consumed += used;
        if end == RunEnd::NeedInput {
            let left = input.get(consumed..).unwrap_or(&[]);
            let n = left.len().min(self.tail.len());
            if let (Some(d), Some(s)) = (self.tail.get_mut(..n), left.get(..n)) {
                d.copy_from_slice(s);
            }
            self.tail_len = n;
            consumed += n;
        }
        Ok((consumed, end))
    }

    /// Decodes symbols from `input` into `win` until `win.pos == limit`,
    /// the input runs short, or an end marker (only when `allow_end`).
    /// `input_is_all` says no more input will follow (an LZMA2 chunk's
    /// last bytes): running short is then corruption. Returns the bytes
    /// of `input` consumed.
    pub(crate) fn run(
        &mut self,
        input: &[u8],
        input_is_all: bool,
        win: &mut Window,
        limit: usize,
        allow_end: bool,
    ) -> Result<(usize, RunEnd), Error> {
        self.finish_pending(win, limit);
        let mut rc = Rc { range: self.rc.range, code: self.rc.code, input, pos: 0, overrun: false };
        let end = loop {
            if win.pos >= limit {
                break RunEnd::Limit;
            }
            if input.len() - rc.pos.min(input.len()) < SAFE_INPUT {
                let mut probe = Rc { range: rc.range, code: rc.code, input, pos: rc.pos, overrun: false };
                let sym = self.symbol::<true>(&mut probe, win);
                if probe.overrun {
                    if input_is_all {
                        return Err(corrupt("LZMA data ends inside a symbol"));
                    }
                    break RunEnd::NeedInput;
                }
                let _ = sym;
            }
            let sym = self.symbol::<false>(&mut rc, win);
            if rc.overrun {
                return Err(corrupt("LZMA data ends inside a symbol"));
            }
            match sym {
                Sym::Literal(b) => win.put(b),
                Sym::Match(len, dist) => {
                    if !win.has(dist) {
                        return Err(corrupt("match distance beyond the decoded data or dictionary"));
                    }
                    let n = len.min(limit - win.pos);
                    win.copy_match(dist as usize, n);
                    self.pending = len - n;
                }
                Sym::End => {
                    if !allow_end {
                        return Err(corrupt("end marker where none is allowed"));
                    }
                    break RunEnd::EndMarker;
                }
            }
        };
        self.rc = RangeState { range: rc.range, code: rc.code };
        Ok((rc.pos.min(input.len()), end))
    }

    /// After the last symbol: reads the final normalisation byte if due and
    /// checks that the range coder ended cleanly (code 0). Returns the
    /// bytes consumed, or `None` when that byte has not arrived yet.
    pub(crate) fn finish(&mut self, input: &[u8]) -> Result<Option<usize>, Error> {
        let mut used = 0;
        if self.rc.range < TOP {
            let b = if self.tail_len > 0 {
                let b = self.tail.first().copied().unwrap_or(0);
                self.tail.copy_within(1..self.tail_len, 0);
                self.tail_len -= 1;
                b
            } else {
                let Some(&b) = input.first() else { return Ok(None) };
                used = 1;
                b
            };
            self.rc.range <<= 8;
            self.rc.code = (self.rc.code << 8) | u32::from(b);
        }
        if self.tail_len != 0 {
            return Err(corrupt("bytes after the end of the LZMA data"));
        }
        if self.rc.code != 0 {
            return Err(corrupt("range coder did not end cleanly"));
        }
        Ok(Some(used))
    }

    /// Decodes one symbol; with `DRY` nothing is written back.
    #[inline(always)]
    fn symbol<const DRY: bool>(&mut self, rc: &mut Rc<'_>, win: &Window) -> Sym {
        let m = &mut self.model;
        let st = m.state.state;
        let pos_state = (win.total as usize) & m.pb_mask;
        let sp = st * 16 + pos_state;
        let mut dummy = 0u16;
        if rc.bit::<DRY>(m.is_match.get_mut(sp).unwrap_or(&mut dummy)) == 0 {
            let prev = win.back(0);
            let lit_state = (((win.total as usize) & m.lp_mask) << m.lc) + (usize::from(prev) >> (8 - m.lc));
            let base = lit_state * 0x300;
            let probs = m.literal.get_mut(base..base + 0x300).unwrap_or(&mut []);
            let mut sym = 1usize;
            if st >= 7 {
                let mut mb = usize::from(win.back(m.state.reps[0] as usize));
                loop {
                    let match_bit = (mb >> 7) & 1;
                    mb <<= 1;
                    let b = match probs.get_mut(0x100 + (match_bit << 8) + sym) {
                        Some(p) => rc.bit::<DRY>(p) as usize,
                        None => 0,
                    };
                    sym = (sym << 1) | b;
                    if match_bit != b || sym >= 0x100 {
                        break;
                    }
                }
            }
            while sym < 0x100 {
                let b = match probs.get_mut(sym) {
                    Some(p) => rc.bit::<DRY>(p) as usize,
                    None => 0,
                };
                sym = (sym << 1) | b;
            }
            if !DRY {
                m.state.state = State::after_literal(st);
            }
            return Sym::Literal(sym as u8);
        }
        let mut reps = m.state.reps;
        let new_state;
        let len;
        if rc.bit::<DRY>(m.is_rep.get_mut(st).unwrap_or(&mut dummy)) == 0 {
            len = m.len.decode::<DRY>(rc, pos_state);
            let len_state = (len - 2).min(3);
            let slot = rc.tree::<DRY>(m.dist_slot.get_mut(len_state * 64..len_state * 64 + 64).unwrap_or(&mut []), 6);
            let dist = if slot < 4 {
                slot
            } else {
                let nd = (slot >> 1) - 1;
                let base = (2 | (slot & 1)) << nd;
                if slot < 14 {
                    let off = (base - slot) as usize;
                    base + rc.reverse::<DRY>(m.dist_special.get_mut(off..).unwrap_or(&mut []), nd)
                } else {
                    let high = rc.direct(nd - 4) << 4;
                    base.wrapping_add(high).wrapping_add(rc.reverse::<DRY>(&mut m.dist_align, 4))
                }
            };
            if dist == u32::MAX {
                return Sym::End;
            }
            reps = [dist, reps[0], reps[1], reps[2]];
            new_state = if st < 7 { 7 } else { 10 };
        } else {
            if rc.bit::<DRY>(m.is_rep0.get_mut(st).unwrap_or(&mut dummy)) == 0 {
                if rc.bit::<DRY>(m.is_rep0_long.get_mut(sp).unwrap_or(&mut dummy)) == 0 {
                    if !DRY {
                        m.state.state = if st < 7 { 9 } else { 11 };
                    }
                    return Sym::Match(1, reps[0]);
                }
            } else {
                let d;
                if rc.bit::<DRY>(m.is_rep1.get_mut(st).unwrap_or(&mut dummy)) == 0 {
                    d = reps[1];
                } else {
                    if rc.bit::<DRY>(m.is_rep2.get_mut(st).unwrap_or(&mut dummy)) == 0 {
                        d = reps[2];
                    } else {
                        d = reps[3];
                        reps[3] = reps[2];
                    }
                    reps[2] = reps[1];
                }
                reps[1] = reps[0];
                reps[0] = d;
            }
            len = m.rep_len.decode::<DRY>(rc, pos_state);
            new_state = if st < 7 { 8 } else { 11 };
        }
        if !DRY {
            m.state.state = new_state;
            m.state.reps = reps;
        }
        Sym::Match(len, reps[0])
    }
}

/// Length coder probabilities (one for matches, one for reps).
#[derive(Debug, Clone)]
pub(crate) struct LenCoder {
    pub(crate) choice: u16,
    pub(crate) choice2: u16,
    pub(crate) low: [u16; 16 * 8],
    pub(crate) mid: [u16; 16 * 8],
    pub(crate) high: [u16; 256],
}

impl LenCoder {
    pub(crate) const fn new() -> Self {
        Self { choice: 1024, choice2: 1024, low: [1024; 128], mid: [1024; 128], high: [1024; 256] }
    }

    #[inline(always)]
    fn decode<const DRY: bool>(&mut self, rc: &mut Rc<'_>, pos_state: usize) -> usize {
        let o = pos_state * 8;
        if rc.bit::<DRY>(&mut self.choice) == 0 {
            2 + rc.tree::<DRY>(self.low.get_mut(o..o + 8).unwrap_or(&mut []), 3) as usize
        } else if rc.bit::<DRY>(&mut self.choice2) == 0 {
            10 + rc.tree::<DRY>(self.mid.get_mut(o..o + 8).unwrap_or(&mut []), 3) as usize
        } else {
            18 + rc.tree::<DRY>(&mut self.high, 8) as usize
        }
    }
}
