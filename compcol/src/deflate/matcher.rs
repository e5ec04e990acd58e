//! The hash-chain match search of the chained levels (2-9).
//!
//! Entry point: [`longest_match`]. It walks the chain of older positions
//! sharing the hash of the current one and keeps the longest match. Each
//! candidate is first tested on the (up to) eight bytes ending at the
//! current best length, so candidates that cannot win cost one load.
//! Positions that begin a run of one byte take a separate walk that
//! visits each older run once (see `runs`).

use super::runs::{read_u64, run_forward, run_start, splat};

/// Most bytes scanned back for a run's start per chain step.
const RUN_SCAN: usize = 1024;

/// What to search for: the position, its limits and the effort.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Query {
    /// The position to match.
    pub(crate) s: usize,
    /// Longest usable match (lookahead, at most 258).
    pub(crate) max: usize,
    /// Stop at a match this long.
    pub(crate) nice: usize,
    /// Candidates must be above this (window distance).
    pub(crate) limit: usize,
    /// Lowest position a match may start at (a full flush raises it).
    pub(crate) history_start: usize,
    /// Most chain links followed.
    pub(crate) chain: usize,
    /// Walk runs of one byte a run at a time (only where every position
    /// inside matches is hashed, so a run's start links to older runs).
    pub(crate) skip_runs: bool,
}

/// Little-endian u32 at `at` (0 past the end of `win`).
#[inline(always)]
fn read_u32(win: &[u8], at: usize) -> u32 {
    match win.get(at..at + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

/// Length of the common prefix of positions `a` and `b`, up to `max`.
// Bounds: a < b <= strstart and max <= MAX_MATCH, and the window has
// SLACK >= MAX_MATCH + 16 bytes past 2 * wsize >= filled.
#[allow(clippy::indexing_slicing)]
#[inline(always)]
pub(crate) fn common(win: &[u8], a: usize, b: usize, max: usize) -> usize {
    let mut n = 0;
    while n < max {
        let x = u64::from_le_bytes(<[u8; 8]>::try_from(&win[a + n..a + n + 8]).unwrap_or([0; 8]));
        let y = u64::from_le_bytes(<[u8; 8]>::try_from(&win[b + n..b + n + 8]).unwrap_or([1; 8]));
        let diff = x ^ y;
        if diff != 0 {
            return (n + (diff.trailing_zeros() / 8) as usize).min(max);
        }
        n += 8;
    }
    max
}

/// The best match so far and the quick test a candidate must pass to
/// beat it: its bytes `off..=len` (masked to those) must equal ours, and
/// so must its first two.
struct Best {
    len: usize,
    start: usize,
    off: usize,
    mask: u64,
    end: u64,
    head2: u32,
}

impl Best {
    fn new(win: &[u8], s: usize, len: usize) -> Self {
        let mut b = Self { len, start: 0, off: 0, mask: 0, end: 0, head2: read_u32(win, s) & 0xffff };
        b.retarget(win, s);
        b
    }

    #[inline(always)]
    fn retarget(&mut self, win: &[u8], s: usize) {
        self.off = (self.len + 1).saturating_sub(8);
        self.mask = if self.len + 1 >= 8 { u64::MAX } else { (1u64 << (8 * (self.len + 1))) - 1 };
        self.end = read_u64(win, s + self.off) & self.mask;
    }

    /// Tries candidate `c`; true once the match is `nice` long.
    #[inline(always)]
    fn offer(&mut self, win: &[u8], q: &Query, c: usize) -> bool {
        if read_u64(win, c + self.off) & self.mask != self.end || read_u32(win, c) & 0xffff != self.head2 {
            return false;
        }
        let len = common(win, c, q.s, q.max);
        if len <= self.len {
            return false;
        }
        self.len = len;
        self.start = c;
        if len >= q.nice {
            return true;
        }
        self.retarget(win, q.s);
        false
    }
}

/// Searches the chain from `cur` (a position above `q.limit`) for a match
/// longer than `best`; returns (length, start), start 0 when none beat it.
#[allow(clippy::indexing_slicing)] // prev indices are masked by wmask < prev.len()
pub(crate) fn longest_match(
    win: &[u8],
    prev: &[u16],
    wmask: usize,
    q: &Query,
    cur: usize,
    best: usize,
) -> (usize, usize) {
    if best >= q.max {
        return (best, 0);
    }
    let mut b = Best::new(win, q.s, best);
    let pat = splat(win.get(q.s).copied().unwrap_or(0));
    if q.skip_runs && q.max >= 8 && read_u32(win, q.s) == pat as u32 {
        let run = run_forward(win, q.s, pat, q.max);
        walk_runs(win, prev, wmask, q, cur, &mut b, pat, run);
        return (b.len, b.start);
    }
    let mut cur = cur;
    let mut chain = q.chain;
    loop {
        if b.offer(win, q, cur) {
            break;
        }
        let next = usize::from(prev[cur & wmask]);
        chain -= 1;
        if next <= q.limit || next >= cur || chain == 0 {
            break;
        }
        cur = next;
    }
    (b.len, b.start)
}

/// The chain walk when the current position begins a run of `run` bytes
/// of `pat`'s byte. Inside an older run of that byte, only the position
/// `run` bytes before the run's end can match past it (any other stops
/// matching at our run's end or before), so each older run costs one
/// step: test that position, then follow the link of the run's start.
#[allow(clippy::indexing_slicing, clippy::too_many_arguments)] // prev indices are masked
fn walk_runs(win: &[u8], prev: &[u16], wmask: usize, q: &Query, cur: usize, b: &mut Best, pat: u64, run: usize) {
    let floor = (q.limit + 1).max(q.history_start);
    let mut cur = cur;
    let mut chain = q.chain;
    loop {
        let mut from = cur;
        let mut last = false;
        let cand = if read_u32(win, cur) == pat as u32 {
            let rc = run_forward(win, cur, pat, run + 1);
            let rs = run_start(win, cur, pat, floor, RUN_SCAN);
            from = rs;
            last = rs <= floor;
            if rc <= run {
                // Aligned: `run` bytes before this run's end.
                (cur + rc >= run + rs).then(|| cur + rc - run)
            } else {
                // Longer than ours: matches exactly `run` bytes.
                (b.len < run).then_some(cur)
            }
        } else {
            Some(cur)
        };
        if let Some(c) = cand
            && b.offer(win, q, c)
        {
            break;
        }
        let next = usize::from(prev[from & wmask]);
        chain -= 1;
        if last || next <= q.limit || next >= from || chain == 0 {
            break;
        }
        cur = next;
    }
}
