//! Match finders: turn a block of the window buffer into sequences
//! (literal run, match offset, match length).
//!
//! Entry point: [`Matcher::find`]. Positions are indices into the
//! encoder's buffer (dictionary content, history, then the block); tables
//! store them as `u32` and are shifted when the buffer slides
//! ([`Matcher::shift`]). Every candidate is verified against the bytes, so
//! stale or shifted-to-zero entries only cost a comparison.

use super::levels::{Params, Strategy};
use alloc::vec;
use alloc::vec::Vec;

/// One found sequence; `offset` is the real distance (repeat codes are
/// chosen later).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seq {
    pub(crate) lit_len: u32,
    pub(crate) offset: u32,
    pub(crate) match_len: u32,
}

#[inline(always)]
fn read8(b: &[u8], at: usize) -> u64 {
    match b.get(at..at + 8) {
        Some(s) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(s);
            u64::from_le_bytes(a)
        }
        None => 0,
    }
}

#[inline(always)]
fn read4(b: &[u8], at: usize) -> u32 {
    match b.get(at..at + 4) {
        Some(s) => {
            let mut a = [0u8; 4];
            a.copy_from_slice(s);
            u32::from_le_bytes(a)
        }
        None => 0,
    }
}

/// Hash of the `mls` (4..=8) bytes at `at` into `log` bits.
#[inline(always)]
fn hash(b: &[u8], at: usize, mls: u32, log: u32) -> usize {
    let v = read8(b, at) << (64 - 8 * mls.clamp(4, 8));
    (v.wrapping_mul(0xCF1B_BCDC_BB00_0000 | 0x9E37_79B1) >> (64 - log)) as usize
}

/// Length of the common prefix of `b[a..]` and `b[c..]`, not passing `end`
/// on the `c` side (a < c).
#[inline(always)]
fn common(b: &[u8], a: usize, c: usize, end: usize) -> usize {
    let max = end.saturating_sub(c);
    let mut n = 0;
    while n + 8 <= max {
        let x = read8(b, a + n) ^ read8(b, c + n);
        if x != 0 {
            return n + (x.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < max && b.get(a + n) == b.get(c + n) {
        n += 1;
    }
    n
}

/// Long-distance matching: a table of positions sampled by content (so a
/// repeat far back samples the same spots), checked for long matches.
#[derive(Debug, Clone)]
struct Ldm {
    table: Vec<u32>,
    log: u32,
}

/// Bytes a long-distance candidate must match.
const LDM_MIN: usize = 64;
/// One position in 2^LDM_SAMPLE (by hash) is sampled.
const LDM_SAMPLE: u32 = 3;

impl Ldm {
    #[inline(always)]
    fn key(b: &[u8], at: usize) -> u64 {
        // 32 bytes hashed: long enough to be selective.
        let mut h = 0u64;
        for k in 0..4 {
            h = (h ^ read8(b, at + 8 * k)).wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(29);
        }
        h
    }
}

/// Match-finder state for one encoder.
#[derive(Debug, Clone)]
pub(crate) struct Matcher {
    params: Params,
    window: usize,
    hash: Vec<u32>,
    /// Second table: the short hash (double fast) or the chain (lazy).
    aux: Vec<u32>,
    next_insert: usize,
    ldm: Option<Ldm>,
}

impl Matcher {
    pub(crate) fn new(params: Params, window_log: u32, long: bool) -> Self {
        let aux = match params.strategy {
            Strategy::Fast => 0,
            Strategy::DoubleFast | Strategy::Chain { .. } => 1usize << params.chain_log,
        };
        let ldm = long.then(|| Ldm { table: vec![0; 1 << 20], log: 20 });
        Self {
            params,
            window: 1 << window_log,
            hash: vec![0; 1 << params.hash_log],
            aux: vec![0; aux],
            next_insert: 0,
            ldm,
        }
    }

    /// Forgets all positions (new frame).
    pub(crate) fn clear(&mut self) {
        self.hash.fill(0);
        self.aux.fill(0);
        self.next_insert = 0;
        if let Some(l) = &mut self.ldm {
            l.table.fill(0);
        }
    }

    /// The chain step the buffer must slide by (chain index = position
    /// masked, which stays valid only for multiples of the chain size).
    pub(crate) fn slide_unit(&self) -> usize {
        self.aux.len().max(1 << 16)
    }

    /// The buffer dropped its first `cut` bytes.
    pub(crate) fn shift(&mut self, cut: usize) {
        let c = cut as u32;
        for v in self.hash.iter_mut().chain(self.aux.iter_mut()) {
            *v = v.saturating_sub(c);
        }
        if let Some(l) = &mut self.ldm {
            for v in &mut l.table {
                *v = v.saturating_sub(c);
            }
        }
        self.next_insert = self.next_insert.saturating_sub(cut);
    }

    /// Indexes `buf[from..to]` without searching (dictionary content).
    pub(crate) fn prime(&mut self, buf: &[u8], to: usize) {
        let mls = self.params.min_match;
        let mut i = self.next_insert;
        while i + 8 <= to {
            let h = hash(buf, i, mls, self.params.hash_log);
            match self.params.strategy {
                Strategy::Fast => {}
                Strategy::DoubleFast => {
                    let h8 = hash(buf, i, 8, self.params.hash_log);
                    let hs = hash(buf, i, mls, self.params.chain_log);
                    if let Some(s) = self.hash.get_mut(h8) {
                        *s = i as u32;
                    }
                    if let Some(s) = self.aux.get_mut(hs) {
                        *s = i as u32;
                    }
                    i += 1;
                    continue;
                }
                Strategy::Chain { .. } => {
                    let mask = self.aux.len() - 1;
                    let prev = self.hash.get(h).copied().unwrap_or(0);
                    if let Some(s) = self.aux.get_mut(i & mask) {
                        *s = prev;
                    }
                }
            }
            if let Some(s) = self.hash.get_mut(h) {
                *s = i as u32;
            }
            i += 1;
        }
        self.next_insert = i.max(self.next_insert);
    }

    /// Finds sequences for `buf[start..end]`; matches may start at
    /// `lowest` or later. Appends to `out`; returns the trailing literals.
    pub(crate) fn find(
        &mut self,
        buf: &[u8],
        start: usize,
        end: usize,
        lowest: usize,
        rep: &mut [u32; 3],
        out: &mut Vec<Seq>,
    ) -> usize {
        if self.ldm.is_none() {
            return self.find_short(buf, start, end, lowest, rep, out);
        }
        // Long-distance pass first: every position is probed (the level's
        // finder skips ahead on misses, which would miss the samples); the
        // gaps between long matches go to the level's finder.
        let mut anchor = start;
        let mut ip = start;
        while ip + 32 <= end {
            let Some((len, off)) = self.ldm_probe(buf, ip, end, lowest) else {
                ip += 1;
                continue;
            };
            let mut mstart = ip;
            let mut l = len;
            while mstart > anchor && mstart - off > lowest && buf.get(mstart - 1) == buf.get(mstart - 1 - off) {
                mstart -= 1;
                l += 1;
            }
            let lits = self.find_short(buf, anchor, mstart, lowest, rep, out);
            out.push(Seq { lit_len: lits as u32, offset: off as u32, match_len: l as u32 });
            push_rep(rep, off as u32, lits == 0);
            ip = mstart + l;
            anchor = ip;
        }
        self.find_short(buf, anchor, end, lowest, rep, out)
    }

    fn find_short(
        &mut self,
        buf: &[u8],
        start: usize,
        end: usize,
        lowest: usize,
        rep: &mut [u32; 3],
        out: &mut Vec<Seq>,
    ) -> usize {
        match self.params.strategy {
            Strategy::Fast => self.fast(buf, start, end, lowest, rep, out),
            Strategy::DoubleFast => self.double_fast(buf, start, end, lowest, rep, out),
            Strategy::Chain { lazy } => self.chain(buf, start, end, lowest, rep, out, lazy),
        }
    }

    /// Checks the long-distance table at `ip`; returns (len, offset).
    #[inline]
    fn ldm_probe(&mut self, buf: &[u8], ip: usize, end: usize, lowest: usize) -> Option<(usize, usize)> {
        let l = self.ldm.as_mut()?;
        if ip + 32 > end {
            return None;
        }
        let k = Ldm::key(buf, ip);
        if (k >> 7) as u32 & ((1 << LDM_SAMPLE) - 1) != 0 {
            return None;
        }
        let slot = (k >> (64 - l.log)) as usize;
        let cand = l.table.get(slot).copied().unwrap_or(0) as usize;
        if let Some(s) = l.table.get_mut(slot) {
            *s = ip as u32;
        }
        if cand >= ip || cand < lowest || ip - cand > self.window {
            return None;
        }
        let len = common(buf, cand, ip, end);
        (len >= LDM_MIN).then_some((len, ip - cand))
    }

    fn fast(
        &mut self,
        buf: &[u8],
        start: usize,
        end: usize,
        lowest: usize,
        rep: &mut [u32; 3],
        out: &mut Vec<Seq>,
    ) -> usize {
        let hl = self.params.hash_log;
        let mls = self.params.min_match;
        let skip_log = self.params.skip_log;
        let mut ip = start;
        let mut anchor = start;
        let limit = end.saturating_sub(8);
        while ip < limit {
            let r0 = rep[0] as usize;
            let h = hash(buf, ip, mls, hl);
            let cand = self.hash.get(h).copied().unwrap_or(0) as usize;
            if let Some(s) = self.hash.get_mut(h) {
                *s = ip as u32;
            }
            let (mut mstart, len, off);
            if r0 > 0 && ip + 1 >= lowest + r0 && read4(buf, ip + 1 - r0) == read4(buf, ip + 1) {
                mstart = ip + 1;
                len = 4 + common(buf, ip + 1 - r0 + 4, ip + 1 + 4, end);
                off = r0;
            } else if cand < ip && cand >= lowest && ip - cand <= self.window && read4(buf, cand) == read4(buf, ip) {
                mstart = ip;
                off = ip - cand;
                let mut l = 4 + common(buf, cand + 4, ip + 4, end);
                // Extend backwards into the literals.
                while mstart > anchor && mstart - off > lowest && buf.get(mstart - 1) == buf.get(mstart - 1 - off) {
                    mstart -= 1;
                    l += 1;
                }
                len = l;
            } else if let Some((l, o)) = self.ldm_probe(buf, ip, end, lowest) {
                mstart = ip;
                len = l;
                off = o;
            } else {
                ip += 1 + ((ip - anchor) >> skip_log);
                continue;
            }
            out.push(Seq { lit_len: (mstart - anchor) as u32, offset: off as u32, match_len: len as u32 });
            push_rep(rep, off as u32, mstart == anchor);
            ip = mstart + len;
            rep_chain(buf, &mut ip, limit, end, lowest, rep, out);
            anchor = ip;
            if ip < limit {
                // Index a position inside the match for future matches.
                let h2 = hash(buf, ip - 2, mls, hl);
                if let Some(s) = self.hash.get_mut(h2) {
                    *s = (ip - 2) as u32;
                }
            }
        }
        end - anchor
    }

    fn double_fast(
        &mut self,
        buf: &[u8],
        start: usize,
        end: usize,
        lowest: usize,
        rep: &mut [u32; 3],
        out: &mut Vec<Seq>,
    ) -> usize {
        let hl = self.params.hash_log;
        let sl = self.params.chain_log;
        let mls = self.params.min_match;
        let mut ip = start;
        let mut anchor = start;
        let limit = end.saturating_sub(8);
        let window = self.window;
        let ok = |c: usize, ip: usize| c < ip && c >= lowest && ip - c <= window;
        while ip < limit {
            let r0 = rep[0] as usize;
            let hl8 = hash(buf, ip, 8, hl);
            let hs = hash(buf, ip, mls, sl);
            let cl = self.hash.get(hl8).copied().unwrap_or(0) as usize;
            let cs = self.aux.get(hs).copied().unwrap_or(0) as usize;
            if let Some(s) = self.hash.get_mut(hl8) {
                *s = ip as u32;
            }
            if let Some(s) = self.aux.get_mut(hs) {
                *s = ip as u32;
            }
            let (mut mstart, mut len, off);
            if r0 > 0 && ip + 1 >= lowest + r0 && read4(buf, ip + 1 - r0) == read4(buf, ip + 1) {
                mstart = ip + 1;
                len = 4 + common(buf, ip + 1 - r0 + 4, ip + 1 + 4, end);
                off = r0;
            } else if ok(cl, ip) && read8(buf, cl) == read8(buf, ip) {
                mstart = ip;
                off = ip - cl;
                len = 8 + common(buf, cl + 8, ip + 8, end);
            } else if ok(cs, ip) && read4(buf, cs) == read4(buf, ip) {
                // Try a long match one byte on before settling.
                let hl1 = hash(buf, ip + 1, 8, hl);
                let c1 = self.hash.get(hl1).copied().unwrap_or(0) as usize;
                if let Some(s) = self.hash.get_mut(hl1) {
                    *s = (ip + 1) as u32;
                }
                if ok(c1, ip + 1) && read8(buf, c1) == read8(buf, ip + 1) {
                    mstart = ip + 1;
                    off = ip + 1 - c1;
                    len = 8 + common(buf, c1 + 8, ip + 9, end);
                } else {
                    mstart = ip;
                    off = ip - cs;
                    len = 4 + common(buf, cs + 4, ip + 4, end);
                }
            } else if let Some((l, o)) = self.ldm_probe(buf, ip, end, lowest) {
                mstart = ip;
                len = l;
                off = o;
            } else {
                ip += 1 + ((ip - anchor) >> 7);
                continue;
            }
            while mstart > anchor && mstart - off > lowest && buf.get(mstart - 1) == buf.get(mstart - 1 - off) {
                mstart -= 1;
                len += 1;
            }
            out.push(Seq { lit_len: (mstart - anchor) as u32, offset: off as u32, match_len: len as u32 });
            push_rep(rep, off as u32, mstart == anchor);
            ip = mstart + len;
            if ip < limit {
                for q in [mstart + 2, ip - 2, ip - 1] {
                    let a = hash(buf, q, 8, hl);
                    if let Some(s) = self.hash.get_mut(a) {
                        *s = q as u32;
                    }
                    let b = hash(buf, q, mls, sl);
                    if let Some(s) = self.aux.get_mut(b) {
                        *s = q as u32;
                    }
                }
            }
            rep_chain(buf, &mut ip, limit, end, lowest, rep, out);
            anchor = ip;
        }
        end - anchor
    }

    /// Inserts every position up to `to` into the hash chain.
    #[inline]
    fn insert_until(&mut self, buf: &[u8], to: usize) {
        let mls = self.params.min_match;
        let hl = self.params.hash_log;
        let mask = self.aux.len() - 1;
        let mut i = self.next_insert;
        while i < to {
            let h = hash(buf, i, mls, hl);
            let prev = self.hash.get(h).copied().unwrap_or(0);
            if let Some(s) = self.aux.get_mut(i & mask) {
                *s = prev;
            }
            if let Some(s) = self.hash.get_mut(h) {
                *s = i as u32;
            }
            i += 1;
        }
        self.next_insert = i.max(self.next_insert);
    }

    /// Best (len, offset) at `ip` from the rep offsets and the hash chain.
    #[inline]
    fn best_at(&mut self, buf: &[u8], ip: usize, end: usize, lowest: usize, rep: &[u32; 3]) -> (usize, usize) {
        self.insert_until(buf, ip);
        let min = self.params.min_match.max(4) as usize;
        let mut best = (0usize, 0usize);
        for &r in rep {
            let r = r as usize;
            if r > 0 && ip >= lowest + r && read4(buf, ip - r) == read4(buf, ip) {
                let l = 4 + common(buf, ip - r + 4, ip + 4, end);
                if l > best.0 {
                    best = (l, r);
                }
            }
        }
        // A repeat offset costs about two bits; a new one its length in
        // bits: a new match must be longer by that much to win.
        let rep_len = best.0;
        let nice = self.params.nice as usize;
        if best.0 >= nice {
            return best;
        }
        let mask = self.aux.len() - 1;
        let chain_span = self.aux.len();
        let h = hash(buf, ip, self.params.min_match, self.params.hash_log);
        let mut cand = self.hash.get(h).copied().unwrap_or(0) as usize;
        let mut tries = self.params.attempts;
        let first = read4(buf, ip);
        while tries > 0 && cand < ip && cand >= lowest && ip - cand <= self.window && ip - cand < chain_span {
            tries -= 1;
            // Only candidates that could beat the best so far are measured.
            if buf.get(cand + best.0) == buf.get(ip + best.0) && read4(buf, cand) == first {
                let l = 4 + common(buf, cand + 4, ip + 4, end);
                if l > best.0 {
                    let bits = 32 - ((ip - cand) as u32).leading_zeros();
                    if rep_len == 0 || l * 4 >= rep_len * 4 + bits as usize {
                        best = (l, ip - cand);
                    }
                    if l >= nice {
                        break;
                    }
                }
            }
            let next = self.aux.get(cand & mask).copied().unwrap_or(0) as usize;
            if next >= cand {
                break;
            }
            cand = next;
        }
        if best.0 < min {
            if let Some(found) = self.ldm_probe(buf, ip, end, lowest) {
                return found;
            }
            return (0, 0);
        }
        best
    }

    #[allow(clippy::too_many_arguments)]
    fn chain(
        &mut self,
        buf: &[u8],
        start: usize,
        end: usize,
        lowest: usize,
        rep: &mut [u32; 3],
        out: &mut Vec<Seq>,
        lazy: u8,
    ) -> usize {
        let mut ip = start;
        let mut anchor = start;
        let limit = end.saturating_sub(8);
        while ip < limit {
            let reps = *rep;
            let cost = |len: usize, off: usize| -> i64 {
                let bits = if reps.contains(&(off as u32)) { 1 } else { 32 - (off as u32 + 3).leading_zeros() };
                len as i64 * 4 - i64::from(bits)
            };
            let (mut len, mut off) = self.best_at(buf, ip, end, lowest, rep);
            if len == 0 {
                ip += 1 + ((ip - anchor) >> 8);
                continue;
            }
            let mut mstart = ip;
            // Lazy evaluation: a better match one (or two) bytes on wins.
            let mut depth = 0;
            while depth < lazy && mstart + 1 < limit {
                let (l2, o2) = self.best_at(buf, mstart + 1, end, lowest, rep);
                if l2 > 0 && cost(l2, o2) > cost(len, off) + 4 {
                    len = l2;
                    off = o2;
                    mstart += 1;
                    depth = 0;
                    continue;
                }
                depth += 1;
                if depth < lazy && mstart + 2 < limit {
                    let (l3, o3) = self.best_at(buf, mstart + 2, end, lowest, rep);
                    if l3 > 0 && cost(l3, o3) > cost(len, off) + 7 {
                        len = l3;
                        off = o3;
                        mstart += 2;
                        depth = 0;
                        continue;
                    }
                }
                break;
            }
            while mstart > anchor && mstart - off > lowest && buf.get(mstart - 1) == buf.get(mstart - 1 - off) {
                mstart -= 1;
                len += 1;
            }
            out.push(Seq { lit_len: (mstart - anchor) as u32, offset: off as u32, match_len: len as u32 });
            push_rep(rep, off as u32, mstart == anchor);
            ip = mstart + len;
            rep_chain(buf, &mut ip, limit, end, lowest, rep, out);
            anchor = ip;
        }
        end - anchor
    }
}

/// After a match, the data often continues at the second repeat offset
/// (records, tables): emits those matches with no literals between.
#[inline]
fn rep_chain(
    buf: &[u8],
    ip: &mut usize,
    limit: usize,
    end: usize,
    lowest: usize,
    rep: &mut [u32; 3],
    out: &mut Vec<Seq>,
) {
    while *ip < limit {
        let r1 = rep[1] as usize;
        if r1 == 0 || *ip < lowest + r1 || read4(buf, *ip - r1) != read4(buf, *ip) {
            break;
        }
        let len = 4 + common(buf, *ip - r1 + 4, *ip + 4, end);
        out.push(Seq { lit_len: 0, offset: r1 as u32, match_len: len as u32 });
        push_rep(rep, r1 as u32, true);
        *ip += len;
    }
}

/// Codes a real match distance as the format's offset value, using the
/// repeat offsets where they fit, and updates them exactly as the decoder
/// will (RFC 8878 3.1.2.5).
pub(crate) fn offset_value(rep: &mut [u32; 3], off: u32, lit_len: u32) -> u32 {
    let [r0, r1, r2] = *rep;
    if lit_len > 0 {
        if off == r0 {
            return 1;
        }
        if off == r1 {
            *rep = [r1, r0, r2];
            return 2;
        }
        if off == r2 {
            *rep = [r2, r0, r1];
            return 3;
        }
    } else {
        if off == r1 {
            *rep = [r1, r0, r2];
            return 1;
        }
        if off == r2 {
            *rep = [r2, r0, r1];
            return 2;
        }
        if r0 > 1 && off == r0 - 1 {
            *rep = [off, r0, r1];
            return 3;
        }
    }
    *rep = [off, r0, r1];
    off + 3
}

/// Keeps the finders' view of the repeat offsets in step with the coder.
fn push_rep(rep: &mut [u32; 3], off: u32, no_literals: bool) {
    offset_value(rep, off, u32::from(!no_literals));
}
