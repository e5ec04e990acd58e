//! The decoder's bit reader: LSB-first bits over the bytes held back from
//! earlier calls followed by the caller's input, with marks to roll back
//! to when the input runs out inside a unit.
//!
//! Entry points: [`Reader`], [`Mark`], [`Stop`]. Bytes are pulled one at a
//! time and only when a read needs them, so the reader never takes input
//! past the end of the stream; the decoder's fast path
//! (`decoder/fast.rs`) instead calls [`Reader::refill`] while at least
//! [`REFILL_BYTES`] input bytes are left, which tops the accumulator up
//! with one 8-byte load.

/// Why a read did not complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The input ran out: roll back to the last mark, ask for more.
    Input,
    /// The stream is invalid, for this reason.
    Corrupt(&'static str),
    /// The stream is valid but uses something this decoder refuses.
    Unsupported(&'static str),
}

/// A position to roll back to.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Mark {
    rd: usize,
    acc: u64,
    nbits: u32,
}

/// Input bytes [`Reader::refill`] needs left (see [`Reader::input_left`]).
pub(crate) const REFILL_BYTES: usize = 8;

/// Bits over `held ++ input`.
///
/// Invariant: the low `nbits` bits of `acc` are the next stream bits;
/// above them `acc` holds either zeros or the low bits of the byte at
/// `rd` in place (a refill loads whole words), so pulling that byte by
/// OR-ing it in at `nbits` gives the same accumulator either way.
#[derive(Debug)]
pub(crate) struct Reader<'a> {
    held: &'a [u8],
    input: &'a [u8],
    /// Next byte of `held ++ input` to pull.
    rd: usize,
    acc: u64,
    nbits: u32,
}

impl<'a> Reader<'a> {
    /// A reader over `held ++ input`, skipping the first `skip` bits.
    pub(crate) fn new(held: &'a [u8], input: &'a [u8], skip: u32) -> Self {
        let mut r = Self { held, input, rd: 0, acc: 0, nbits: 0 };
        if skip > 0 && r.pull() {
            r.acc >>= skip;
            r.nbits -= skip;
        }
        r
    }

    /// Pulls one more byte into the accumulator; false when none is left.
    #[inline]
    fn pull(&mut self) -> bool {
        let byte = match self.held.get(self.rd) {
            Some(&b) => b,
            None => match self.input.get(self.rd - self.held.len()) {
                Some(&b) => b,
                None => return false,
            },
        };
        self.rd += 1;
        self.acc |= u64::from(byte) << self.nbits;
        self.nbits += 8;
        true
    }

    /// Makes at least `n` (<= 56) bits available.
    #[inline]
    fn need(&mut self, n: u32) -> Result<(), Stop> {
        while self.nbits < n {
            if !self.pull() {
                return Err(Stop::Input);
            }
        }
        Ok(())
    }

    /// Reads `n` (<= 32) bits as a little-endian number.
    #[inline]
    pub(crate) fn bits(&mut self, n: u32) -> Result<u32, Stop> {
        if n == 0 {
            return Ok(0);
        }
        self.need(n)?;
        let v = (self.acc & ((1u64 << n) - 1)) as u32;
        self.acc >>= n;
        self.nbits -= n;
        Ok(v)
    }

    /// Up to `n` (<= 32) next bits without consuming them, and how many of
    /// them are real (fewer at the end of the available input).
    #[inline]
    pub(crate) fn peek(&mut self, n: u32) -> (u32, u32) {
        while self.nbits < n && self.pull() {}
        ((self.acc & ((1u64 << n) - 1)) as u32, self.nbits.min(n))
    }

    /// Consumes `n` bits already made available by [`Self::peek`].
    #[inline]
    pub(crate) fn consume(&mut self, n: u32) {
        let n = n.min(self.nbits);
        self.acc >>= n;
        self.nbits -= n;
    }

    /// Bytes of `input` not yet pulled; 0 while held bytes remain.
    #[inline]
    pub(crate) fn input_left(&self) -> usize {
        if self.rd < self.held.len() { 0 } else { self.input.len() - (self.rd - self.held.len()) }
    }

    /// Makes at least 56 bits available with one 8-byte load when
    /// [`Self::input_left`] is at least [`REFILL_BYTES`], pulling byte by
    /// byte otherwise (so it is always safe, fast only with input left).
    #[inline]
    pub(crate) fn refill(&mut self) {
        let at = self.rd.wrapping_sub(self.held.len());
        let word = if self.rd >= self.held.len() { self.input.get(at..).and_then(|s| s.get(..8)) } else { None };
        match word.and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            Some(w) => {
                // nbits <= 63 always (reads take at most 56 bits at once).
                let take = (63 - self.nbits) >> 3;
                self.acc |= u64::from_le_bytes(w) << self.nbits;
                self.rd += take as usize;
                self.nbits += take * 8;
            }
            None => while self.nbits < 56 && self.pull() {},
        }
    }

    /// The next 32 bits (real only as far as `nbits`; the fast path
    /// refills first).
    #[inline]
    pub(crate) fn peek_word(&self) -> u32 {
        self.acc as u32
    }

    /// Reads `n` (<= 32) bits the caller knows are available.
    #[inline]
    pub(crate) fn take(&mut self, n: u32) -> u32 {
        let v = (self.acc & ((1u64 << n) - 1)) as u32;
        self.skip(n);
        v
    }

    /// Drops `n` bits the caller knows are available.
    #[inline]
    pub(crate) fn skip(&mut self, n: u32) {
        debug_assert!(n <= self.nbits);
        let n = n.min(self.nbits);
        self.acc >>= n;
        self.nbits -= n;
    }

    /// Skips to the next byte boundary, returning the skipped bits.
    pub(crate) fn align(&mut self) -> u32 {
        let n = self.nbits % 8;
        let v = (self.acc & ((1u64 << n) - 1)) as u32;
        self.consume(n);
        v
    }

    /// At a byte boundary: up to `max` whole bytes, straight from the
    /// buffers when the accumulator is empty.
    pub(crate) fn bytes(&mut self, max: usize, out: &mut [u8]) -> usize {
        let mut n = 0;
        while n < max && self.nbits >= 8 {
            if let Some(o) = out.get_mut(n) {
                *o = (self.acc & 0xff) as u8;
            }
            self.acc >>= 8;
            self.nbits -= 8;
            n += 1;
        }
        if self.nbits == 0 {
            let (src, at) =
                if self.rd < self.held.len() { (self.held, self.rd) } else { (self.input, self.rd - self.held.len()) };
            let avail = src.get(at..).unwrap_or(&[]);
            let take = avail.len().min(max - n).min(out.len().saturating_sub(n));
            if let (Some(dst), Some(s)) = (out.get_mut(n..n + take), avail.get(..take)) {
                dst.copy_from_slice(s);
            }
            self.rd += take;
            n += take;
        }
        n
    }

    /// The current position.
    #[inline]
    pub(crate) fn mark(&self) -> Mark {
        Mark { rd: self.rd, acc: self.acc, nbits: self.nbits }
    }

    /// Returns to `m`.
    #[inline]
    pub(crate) fn reset(&mut self, m: Mark) {
        self.rd = m.rd;
        self.acc = m.acc;
        self.nbits = m.nbits;
    }

    /// Bits consumed so far, counted from the start of `held`.
    pub(crate) fn bit_position(&self) -> u64 {
        self.rd as u64 * 8 - u64::from(self.nbits)
    }

    /// How many bytes of `held ++ input` were pulled so far.
    pub(crate) fn pulled(&self) -> usize {
        self.rd
    }
}
