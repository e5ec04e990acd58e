//! The LZMA encoder core: the range encoder, a hash-chain match finder
//! and a greedy parser with one step of lazy evaluation that also tries
//! the four rep distances.
//!
//! Entry points: [`RangeEncoder`], [`LzmaEnc`] ([`LzmaEnc::encode_range`]
//! codes one stretch of the buffer; LZMA2 calls it per chunk, `.lzma`
//! once), [`Tuning`] (per-preset dictionary size and search effort).
//! Presets 0..=4 use that fast parser; 5..=9 and `-e` plan with the
//! price-based optimal parser in [`optimal`] (prices from [`price`]).

use super::lzma_dec::LenCoder;
use super::model::{Model, Props, State};
use alloc::vec;
use alloc::vec::Vec;

mod optimal;
mod price;

const TOP: u32 = 1 << 24;
/// The longest match LZMA codes.
pub(crate) const MATCH_LEN_MAX: usize = 273;

/// The range encoder, writing into a growable buffer.
#[derive(Debug, Clone)]
pub(crate) struct RangeEncoder {
    low: u64,
    range: u32,
    cache: u8,
    cache_size: u64,
    pub(crate) out: Vec<u8>,
}

impl RangeEncoder {
    pub(crate) const fn new() -> Self {
        Self { low: 0, range: u32::MAX, cache: 0, cache_size: 1, out: Vec::new() }
    }

    /// Starts a new range-coded stretch, keeping the buffer allocation.
    pub(crate) fn restart(&mut self) {
        self.low = 0;
        self.range = u32::MAX;
        self.cache = 0;
        self.cache_size = 1;
        self.out.clear();
    }

    /// Bytes the stretch will occupy once flushed (an upper bound).
    pub(crate) fn pending(&self) -> usize {
        self.out.len() + self.cache_size as usize + 5
    }

    fn shift_low(&mut self) {
        if (self.low as u32) < 0xff00_0000 || (self.low >> 32) != 0 {
            let carry = (self.low >> 32) as u8;
            let mut temp = self.cache;
            loop {
                self.out.push(temp.wrapping_add(carry));
                temp = 0xff;
                self.cache_size -= 1;
                if self.cache_size == 0 {
                    break;
                }
            }
            self.cache = ((self.low >> 24) & 0xff) as u8;
        }
        self.cache_size += 1;
        self.low = (self.low & 0x00ff_ffff) << 8;
    }

    #[inline(always)]
    fn bit(&mut self, p: &mut u16, bit: u32) {
        let bound = (self.range >> 11) * u32::from(*p);
        if bit == 0 {
            self.range = bound;
            *p += (2048 - *p) >> 5;
        } else {
            self.low += u64::from(bound);
            self.range -= bound;
            *p -= *p >> 5;
        }
        while self.range < TOP {
            self.range <<= 8;
            self.shift_low();
        }
    }

    fn tree(&mut self, probs: &mut [u16], bits: u32, value: u32) {
        let mut m = 1usize;
        for i in (0..bits).rev() {
            let b = (value >> i) & 1;
            if let Some(p) = probs.get_mut(m) {
                self.bit(p, b);
            }
            m = (m << 1) | b as usize;
        }
    }

    fn reverse(&mut self, probs: &mut [u16], bits: u32, value: u32) {
        let mut m = 1usize;
        for i in 0..bits {
            let b = (value >> i) & 1;
            if let Some(p) = probs.get_mut(m) {
                self.bit(p, b);
            }
            m = (m << 1) | b as usize;
        }
    }

    fn direct(&mut self, bits: u32, value: u32) {
        for i in (0..bits).rev() {
            self.range >>= 1;
            if (value >> i) & 1 != 0 {
                self.low += u64::from(self.range);
            }
            while self.range < TOP {
                self.range <<= 8;
                self.shift_low();
            }
        }
    }

    /// Writes out the final bytes of the stretch.
    pub(crate) fn flush(&mut self) {
        for _ in 0..5 {
            self.shift_low();
        }
    }
}

impl LenCoder {
    fn encode(&mut self, rc: &mut RangeEncoder, len: usize, pos_state: usize) {
        let l = (len - 2) as u32;
        let o = pos_state * 8;
        if l < 8 {
            rc.bit(&mut self.choice, 0);
            rc.tree(self.low.get_mut(o..o + 8).unwrap_or(&mut []), 3, l);
        } else if l < 16 {
            rc.bit(&mut self.choice, 1);
            rc.bit(&mut self.choice2, 0);
            rc.tree(self.mid.get_mut(o..o + 8).unwrap_or(&mut []), 3, l - 8);
        } else {
            rc.bit(&mut self.choice, 1);
            rc.bit(&mut self.choice2, 1);
            rc.tree(&mut self.high, 8, l - 16);
        }
    }
}

/// Search effort and dictionary for one preset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tuning {
    pub(crate) dict_size: u32,
    /// Hash-chain candidates examined per position.
    pub(crate) depth: u32,
    /// A match this long is taken at once.
    pub(crate) nice: usize,
    /// Whether to look one position ahead before taking a match.
    pub(crate) lazy: bool,
    /// Whether to plan with the price-based optimal parser.
    pub(crate) optimal: bool,
}

impl Tuning {
    /// xz's preset dictionary sizes; effort grows with the preset and
    /// with `extreme` (-e).
    pub(crate) fn preset(level: u32, extreme: bool) -> Self {
        const DICT: [u32; 10] = [18, 20, 21, 22, 22, 23, 23, 24, 25, 26];
        const DEPTH: [u32; 10] = [4, 8, 16, 24, 32, 48, 64, 96, 128, 160];
        const NICE: [usize; 10] = [32, 64, 64, 96, 128, 128, 192, 273, 273, 273];
        const OPTIMAL_DEPTH: [u32; 10] = [4, 4, 8, 8, 16, 16, 32, 48, 64, 64];
        let l = level.min(9) as usize;
        let shift = DICT.get(l).copied().unwrap_or(23);
        let mut t = Self {
            dict_size: 1 << shift,
            depth: DEPTH.get(l).copied().unwrap_or(64),
            nice: NICE.get(l).copied().unwrap_or(273),
            lazy: l >= 2,
            optimal: l >= 5,
        };
        if t.optimal {
            // The optimal parser searches every position, so each search
            // is shallower; like xz, nice 64 (273 with -e).
            t.depth = OPTIMAL_DEPTH.get(l).copied().unwrap_or(32);
            t.nice = 64;
        }
        if extreme {
            t.depth *= 4;
            t.nice = MATCH_LEN_MAX;
            t.lazy = true;
            t.optimal = true;
        }
        t
    }
}

/// 4-byte hash heads: 2^18 for the fast presets, 2^20 for the optimal
/// ones (they search every position, and fewer collisions mean fewer
/// wasted, cache-missing steps down the chains).
const HASH_BITS: u32 = 18;
const HASH_BITS_OPTIMAL: u32 = 20;
const HASH3_BITS: u32 = 16;
/// Coded choices between refreshes of the optimal parser's price tables.
/// (Measured: 32 and 1024 both gave larger output than 256 on the corpus.)
const PRICE_REFRESH: usize = 256;

/// Hash chains over the encoder's buffer.
#[derive(Debug, Clone)]
struct Finder {
    /// Most recent position + 1 for each 4-byte hash (0 = none).
    head: Vec<u32>,
    /// Previous position + 1 with the same hash, by position & mask.
    chain: Vec<u32>,
    mask: usize,
    depth: u32,
    nice: usize,
    used: bool,
    /// log2 of `head`'s size.
    hash_bits: u32,
    /// Most recent position + 1 for each 2-byte value and each 3-byte
    /// hash (empty unless the optimal parser runs: it also prices the
    /// short matches the 4-byte chains cannot find).
    head2: Vec<u32>,
    head3: Vec<u32>,
    /// Positions below this are indexed (inserting one twice would link
    /// it to itself).
    next: usize,
}

#[inline(always)]
fn hash4(b: &[u8], pos: usize, bits: u32) -> usize {
    match b.get(pos..pos + 4) {
        Some(&[a, b, c, d]) => (u32::from_le_bytes([a, b, c, d]).wrapping_mul(0x9e37_79b1) >> (32 - bits)) as usize,
        _ => 0,
    }
}

#[inline(always)]
fn hash2(b: &[u8], pos: usize) -> usize {
    match b.get(pos..pos + 2) {
        Some(&[a, b]) => usize::from(u16::from_le_bytes([a, b])),
        _ => 0,
    }
}

#[inline(always)]
fn hash3(b: &[u8], pos: usize) -> usize {
    match b.get(pos..pos + 3) {
        Some(&[a, b, c]) => (u32::from_le_bytes([a, b, c, 0]).wrapping_mul(0x9e37_79b1) >> (32 - HASH3_BITS)) as usize,
        _ => 0,
    }
}

#[inline(always)]
fn common(buf: &[u8], a: usize, b: usize, max: usize) -> usize {
    let (Some(x), Some(y)) = (buf.get(a..a + max), buf.get(b..b + max)) else { return 0 };
    // Eight bytes at a time: the first differing bit of the XOR names the
    // first differing byte (little endian).
    let mut n = 0;
    for (p, q) in x.chunks_exact(8).zip(y.chunks_exact(8)) {
        let (Ok(p), Ok(q)) = (<[u8; 8]>::try_from(p), <[u8; 8]>::try_from(q)) else { break };
        let diff = u64::from_le_bytes(p) ^ u64::from_le_bytes(q);
        if diff != 0 {
            return n + (diff.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    let (Some(x), Some(y)) = (x.get(n..), y.get(n..)) else { return n };
    n + x.iter().zip(y).take_while(|(p, q)| p == q).count()
}

impl Finder {
    fn new(t: Tuning) -> Self {
        // The chains cover the dictionary, up to 16 Mi positions (64 MiB).
        let win = (t.dict_size as usize).next_power_of_two().min(1 << 24);
        let hash_bits = if t.optimal { HASH_BITS_OPTIMAL } else { HASH_BITS };
        Self {
            head: vec![0; 1 << hash_bits],
            hash_bits,
            chain: vec![0; win],
            mask: win - 1,
            depth: t.depth,
            nice: t.nice,
            used: false,
            head2: if t.optimal { vec![0; 1 << 16] } else { Vec::new() },
            head3: if t.optimal { vec![0; 1 << HASH3_BITS] } else { Vec::new() },
            next: 0,
        }
    }

    fn clear(&mut self) {
        // Fresh tables are already zero: skip touching megabytes.
        if self.used {
            self.head.fill(0);
            self.chain.fill(0);
            self.head2.fill(0);
            self.head3.fill(0);
            self.used = false;
        }
        self.next = 0;
    }

    /// Records `pos` (needs 4 bytes of lookahead; skipped otherwise).
    #[inline(always)]
    fn insert(&mut self, buf: &[u8], pos: usize) {
        if pos + 4 > buf.len() || pos < self.next {
            return;
        }
        self.next = pos + 1;
        if !self.head2.is_empty() {
            let here = pos as u32 + 1;
            if let Some(v) = self.head2.get_mut(hash2(buf, pos)) {
                *v = here;
            }
            if let Some(v) = self.head3.get_mut(hash3(buf, pos)) {
                *v = here;
            }
        }
        let h = hash4(buf, pos, self.hash_bits);
        self.used = true;
        if let (Some(head), Some(link)) = (self.head.get_mut(h), self.chain.get_mut(pos & self.mask)) {
            *link = *head;
            *head = pos as u32 + 1;
        }
    }

    /// The longest match for `pos` within `dict` bytes back, before
    /// inserting `pos`: (length, 0-based distance).
    fn longest(&self, buf: &[u8], pos: usize, end: usize, dict: usize) -> (usize, usize) {
        let max = (end - pos).min(MATCH_LEN_MAX);
        if max < 4 {
            return (0, 0);
        }
        let mut best = (0, 0);
        let mut cand = self.head.get(hash4(buf, pos, self.hash_bits)).copied().unwrap_or(0) as usize;
        let mut left = self.depth;
        while cand != 0 && left > 0 {
            let c = cand - 1;
            if c >= pos {
                // Indexed ahead of `pos` (an earlier plan looked further
                // than was coded): walk on down the chain.
                let next = self.chain.get(c & self.mask).copied().unwrap_or(0) as usize;
                if next >= cand {
                    break;
                }
                cand = next;
                continue;
            }
            if pos - c > dict {
                break;
            }
            // Check the byte that would extend the best match first.
            if buf.get(c + best.0) == buf.get(pos + best.0) {
                let l = common(buf, c, pos, max);
                if l > best.0 {
                    best = (l, pos - c - 1);
                    if l >= self.nice || l == max {
                        break;
                    }
                }
            }
            let next = self.chain.get(c & self.mask).copied().unwrap_or(0) as usize;
            if next >= cand {
                break;
            }
            cand = next;
            left -= 1;
        }
        best
    }

    /// Every match at `pos` longer than the ones before it, as
    /// (length, 0-based distance) with increasing lengths, into `out`
    /// (cleared first). Same search as [`Self::longest`].
    fn matches(&self, buf: &[u8], pos: usize, end: usize, dict: usize, out: &mut Vec<(u32, u32)>) {
        out.clear();
        let max = (end - pos).min(MATCH_LEN_MAX);
        if max < 4 {
            return;
        }
        let mut best = 1usize;
        // The nearest 2- and 3-byte matches first (short lengths at short
        // distances are often the cheapest thing to code).
        for cand in [self.head2.get(hash2(buf, pos)), self.head3.get(hash3(buf, pos))] {
            let c = cand.copied().unwrap_or(0) as usize;
            if c == 0 || c > pos || pos - (c - 1) > dict {
                continue;
            }
            let l = common(buf, c - 1, pos, max);
            if l > best {
                best = l;
                out.push((l as u32, (pos - c) as u32));
                if l >= self.nice || l == max {
                    return;
                }
            }
        }
        let mut cand = self.head.get(hash4(buf, pos, self.hash_bits)).copied().unwrap_or(0) as usize;
        let mut left = self.depth;
        while cand != 0 && left > 0 {
            let c = cand - 1;
            let next = self.chain.get(c & self.mask).copied().unwrap_or(0) as usize;
            if c < pos {
                if pos - c > dict {
                    break;
                }
                if buf.get(c + best) == buf.get(pos + best) {
                    let l = common(buf, c, pos, max);
                    if l > best {
                        best = l;
                        out.push((l as u32, (pos - c - 1) as u32));
                        if l >= self.nice || l == max {
                            break;
                        }
                    }
                }
                left -= 1;
            }
            if next >= cand {
                break;
            }
            cand = next;
        }
    }

    /// Shifts every stored position down by `by`, a multiple of the ring
    /// size (so chain slots stay where they are).
    fn rebase(&mut self, by: usize) {
        let by = by as u32;
        for v in
            self.head.iter_mut().chain(self.chain.iter_mut()).chain(self.head2.iter_mut()).chain(self.head3.iter_mut())
        {
            *v = v.saturating_sub(by);
        }
        self.next = self.next.saturating_sub(by as usize);
    }

    /// The ring size: how far back the chains can reach.
    fn ring(&self) -> usize {
        self.mask + 1
    }
}

/// One LZMA encoder: model, match finder and settings.
#[derive(Debug, Clone)]
pub(crate) struct LzmaEnc {
    pub(crate) model: Model,
    pub(crate) props: Props,
    finder: Finder,
    pub(crate) tuning: Tuning,
    /// The optimal parser's scratch memory and cached prices.
    parser: optimal::Parser,
    /// Choices planned by the optimal parser, not yet coded.
    plan: Vec<Choice>,
}

/// What the parser chose at one position.
#[derive(Debug, Clone, Copy)]
enum Choice {
    Literal,
    Match(usize, usize),
    Rep(usize, usize),
}

impl Choice {
    /// Bytes the choice covers.
    const fn len(self) -> usize {
        match self {
            Self::Literal => 1,
            Self::Match(l, _) | Self::Rep(l, _) => l,
        }
    }
}

impl LzmaEnc {
    pub(crate) fn new(props: Props, tuning: Tuning) -> Self {
        Self {
            model: Model::new(props),
            props,
            finder: Finder::new(tuning),
            tuning,
            parser: optimal::Parser::new(),
            plan: Vec::new(),
        }
    }

    /// Forgets history and model (a fresh stream).
    pub(crate) fn reset(&mut self) {
        self.model.reset(self.props);
        self.finder.clear();
    }

    /// The buffer dropped `by` bytes (a multiple of [`Self::ring`]) from
    /// its front.
    pub(crate) fn rebase(&mut self, by: usize) {
        self.finder.rebase(by);
    }

    /// How far back matches can reach; buffer slides move by multiples.
    pub(crate) fn ring(&self) -> usize {
        self.finder.ring()
    }

    /// Indexes `buf[from..to]` without coding it (history only).
    pub(crate) fn skip(&mut self, buf: &[u8], from: usize, to: usize) {
        for p in from..to {
            self.finder.insert(buf, p);
        }
    }

    fn rep_len(buf: &[u8], pos: usize, end: usize, dist: usize, avail: usize) -> usize {
        if dist >= avail {
            return 0;
        }
        common(buf, pos - dist - 1, pos, (end - pos).min(MATCH_LEN_MAX))
    }

    /// Picks what to code at `pos`; `base` is where history starts counting.
    fn choose(&self, buf: &[u8], pos: usize, end: usize, hist: usize) -> Choice {
        let dict = (self.tuning.dict_size as usize).min(hist).min(self.finder.ring());
        let mut best_rep = (0, 0);
        for (i, &r) in self.model.state.reps.iter().enumerate() {
            let l = Self::rep_len(buf, pos, end, r as usize, dict);
            if l > best_rep.0 {
                best_rep = (l, i);
            }
        }
        if best_rep.0 >= self.tuning.nice {
            return Choice::Rep(best_rep.0, best_rep.1);
        }
        let (mlen, mdist) = self.finder.longest(buf, pos, end, dict);
        if best_rep.0 >= 2 && best_rep.0 + 1 >= mlen {
            return Choice::Rep(best_rep.0, best_rep.1);
        }
        if mlen >= 4 || (mlen == 3 && mdist < 4096) {
            return Choice::Match(mlen, mdist);
        }
        if best_rep.0 >= 2 {
            return Choice::Rep(best_rep.0, best_rep.1);
        }
        Choice::Literal
    }

    /// Codes `buf[pos..end]` (history before `pos` reaches back
    /// `hist` bytes) into `rc`, stopping early when the coded size passes
    /// `max_packed` or `max_unpacked` bytes were coded. Returns the bytes
    /// coded. `total` is the stream position of `pos` (for pos_state).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn encode_range(
        &mut self,
        rc: &mut RangeEncoder,
        buf: &[u8],
        pos: usize,
        end: usize,
        hist: usize,
        total: u64,
        max_unpacked: usize,
        max_packed: usize,
    ) -> usize {
        let start = pos;
        let mut p = pos;
        if self.tuning.optimal {
            return self.encode_range_optimal(rc, buf, pos, end, hist, total, max_unpacked, max_packed);
        }
        while p < end && p - start <= max_unpacked.saturating_sub(MATCH_LEN_MAX) && rc.pending() < max_packed {
            let h = hist + (p - start);
            let mut choice = self.choose(buf, p, end, h);
            if self.tuning.lazy {
                if let Choice::Match(l, _) = choice {
                    if l < self.tuning.nice && p + 1 < end {
                        self.finder.insert(buf, p);
                        let (l2, d2) = self.finder.longest(
                            buf,
                            p + 1,
                            end,
                            (self.tuning.dict_size as usize).min(h + 1).min(self.finder.ring()),
                        );
                        if l2 > l + 1 || (l2 == l + 1 && d2 < 1 << 16) {
                            choice = Choice::Literal;
                        }
                        self.encode_choice(rc, buf, p, total + (p - start) as u64, &choice);
                        let n = choice.len();
                        self.skip(buf, p + 1, p + n);
                        p += n;
                        continue;
                    }
                }
            }
            self.encode_choice(rc, buf, p, total + (p - start) as u64, &choice);
            let n = choice.len();
            self.skip(buf, p, p + n);
            p += n;
        }
        p - start
    }

    /// [`Self::encode_range`] with the optimal parser: plans a stretch,
    /// codes it choice by choice (the limits are checked between
    /// choices), plans the next.
    #[allow(clippy::too_many_arguments)]
    fn encode_range_optimal(
        &mut self,
        rc: &mut RangeEncoder,
        buf: &[u8],
        start: usize,
        end: usize,
        hist: usize,
        total: u64,
        max_unpacked: usize,
        max_packed: usize,
    ) -> usize {
        let mut p = start;
        let mut next = 0;
        let mut since_refresh = usize::MAX;
        self.plan.clear();
        while p < end && p - start <= max_unpacked.saturating_sub(MATCH_LEN_MAX) && rc.pending() < max_packed {
            if next == self.plan.len() {
                // The model drifts as it codes: refresh the cached prices
                // every so often (and always at the start of a range,
                // where the caller may have reset the model).
                if since_refresh >= PRICE_REFRESH {
                    self.parser.prices.refresh(&self.model);
                    since_refresh = 0;
                }
                self.plan_optimal(buf, p, end, hist + (p - start), total + (p - start) as u64);
                next = 0;
            }
            let Some(&c) = self.plan.get(next) else { break };
            next += 1;
            #[cfg(test)]
            {
                self.parser.live += u64::from(self.live_price(buf, p, total + (p - start) as u64, c));
            }
            self.encode_choice(rc, buf, p, total + (p - start) as u64, &c);
            since_refresh = since_refresh.saturating_add(1);
            p += c.len();
        }
        // Choices planned but not coded are dropped; their positions stay
        // indexed, which the finder tolerates.
        self.plan.clear();
        p - start
    }

    fn encode_choice(&mut self, rc: &mut RangeEncoder, buf: &[u8], p: usize, total: u64, c: &Choice) {
        match *c {
            Choice::Literal => {
                let prev = if p > 0 { buf.get(p - 1).copied().unwrap_or(0) } else { 0 };
                let hist_ok = p > self.model.state.reps[0] as usize;
                let mb =
                    if hist_ok { buf.get(p - self.model.state.reps[0] as usize - 1).copied().unwrap_or(0) } else { 0 };
                self.literal(rc, buf.get(p).copied().unwrap_or(0), prev, mb, total);
            }
            Choice::Match(len, dist) => self.match_(rc, len, dist as u32, total),
            Choice::Rep(len, idx) => self.rep(rc, len, idx, total),
        }
    }

    /// Codes a literal; `prev` is the byte before (0 at a stream start),
    /// `match_byte` the byte at rep0.
    pub(crate) fn literal(&mut self, rc: &mut RangeEncoder, byte: u8, prev: u8, match_byte: u8, total: u64) {
        let m = &mut self.model;
        let st = m.state.state;
        let pos_state = (total as usize) & m.pb_mask;
        if let Some(p) = m.is_match.get_mut(st * 16 + pos_state) {
            rc.bit(p, 0);
        }
        let lit_state = (((total as usize) & m.lp_mask) << m.lc) + (usize::from(prev) >> (8 - m.lc));
        let base = lit_state * 0x300;
        let probs = m.literal.get_mut(base..base + 0x300).unwrap_or(&mut []);
        let mut sym = 1usize;
        let mut i = 8;
        if st >= 7 {
            let mut mb = usize::from(match_byte);
            while i > 0 {
                i -= 1;
                let b = usize::from(byte >> i) & 1;
                let match_bit = (mb >> 7) & 1;
                mb <<= 1;
                if let Some(p) = probs.get_mut(0x100 + (match_bit << 8) + sym) {
                    rc.bit(p, b as u32);
                }
                sym = (sym << 1) | b;
                if match_bit != b {
                    break;
                }
            }
        }
        while i > 0 {
            i -= 1;
            let b = usize::from(byte >> i) & 1;
            if let Some(p) = probs.get_mut(sym) {
                rc.bit(p, b as u32);
            }
            sym = (sym << 1) | b;
        }
        m.state.state = State::after_literal(st);
    }

    /// Codes a new-distance match (`dist` 0-based; `u32::MAX` is the end
    /// marker).
    pub(crate) fn match_(&mut self, rc: &mut RangeEncoder, len: usize, dist: u32, total: u64) {
        let m = &mut self.model;
        let st = m.state.state;
        let pos_state = (total as usize) & m.pb_mask;
        if let Some(p) = m.is_match.get_mut(st * 16 + pos_state) {
            rc.bit(p, 1);
        }
        if let Some(p) = m.is_rep.get_mut(st) {
            rc.bit(p, 0);
        }
        m.len.encode(rc, len, pos_state);
        let len_state = (len - 2).min(3);
        let slot = if dist < 4 {
            dist
        } else {
            let top = 31 - dist.leading_zeros();
            (top << 1) | ((dist >> (top - 1)) & 1)
        };
        rc.tree(m.dist_slot.get_mut(len_state * 64..len_state * 64 + 64).unwrap_or(&mut []), 6, slot);
        if slot >= 4 {
            let nd = (slot >> 1) - 1;
            let base = (2 | (slot & 1)) << nd;
            let reduced = dist.wrapping_sub(base);
            if slot < 14 {
                let off = (base - slot) as usize;
                rc.reverse(m.dist_special.get_mut(off..).unwrap_or(&mut []), nd, reduced);
            } else {
                rc.direct(nd - 4, reduced >> 4);
                rc.reverse(&mut m.dist_align, 4, reduced & 15);
            }
        }
        m.state.reps = [dist, m.state.reps[0], m.state.reps[1], m.state.reps[2]];
        m.state.state = if st < 7 { 7 } else { 10 };
    }

    /// Codes a match at rep distance `idx` (len 1 at rep0 is a short rep).
    fn rep(&mut self, rc: &mut RangeEncoder, len: usize, idx: usize, total: u64) {
        let m = &mut self.model;
        let st = m.state.state;
        let pos_state = (total as usize) & m.pb_mask;
        let sp = st * 16 + pos_state;
        if let Some(p) = m.is_match.get_mut(sp) {
            rc.bit(p, 1);
        }
        if let Some(p) = m.is_rep.get_mut(st) {
            rc.bit(p, 1);
        }
        let mut reps = m.state.reps;
        if idx == 0 {
            if let Some(p) = m.is_rep0.get_mut(st) {
                rc.bit(p, 0);
            }
            if let Some(p) = m.is_rep0_long.get_mut(sp) {
                rc.bit(p, u32::from(len != 1));
            }
            if len == 1 {
                m.state.state = if st < 7 { 9 } else { 11 };
                return;
            }
        } else {
            if let Some(p) = m.is_rep0.get_mut(st) {
                rc.bit(p, 1);
            }
            let d = reps.get(idx).copied().unwrap_or(0);
            if let Some(p) = m.is_rep1.get_mut(st) {
                rc.bit(p, u32::from(idx != 1));
            }
            if idx >= 2 {
                if let Some(p) = m.is_rep2.get_mut(st) {
                    rc.bit(p, u32::from(idx != 2));
                }
                if idx == 3 {
                    reps[3] = reps[2];
                }
                reps[2] = reps[1];
            }
            reps[1] = reps[0];
            reps[0] = d;
        }
        m.rep_len.encode(rc, len, pos_state);
        m.state.reps = reps;
        m.state.state = if st < 7 { 8 } else { 11 };
    }
}
