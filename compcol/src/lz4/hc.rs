//! The LZ4 HC match finder (levels 3..=12): hash chains over the last
//! 64 KiB, a search depth that doubles with the level, and lazy parsing
//! (a match is deferred when the next position, or for levels 10..=12
//! the next two, start a longer one).
//!
//! Entry point: [`HcFinder::compress`]. The level table is [`LEVELS`].

use super::block::{LAST_LITERALS, MAX_DISTANCE, MFLIMIT, MIN_MATCH, put_last_literals, put_sequence};
use super::fast::{common_length, read32};
use alloc::vec;
use alloc::vec::Vec;

const HASH_LOG: u32 = 15;
/// Chain slots: one per position of the 64 KiB window.
const CHAIN_MASK: usize = 0xffff;

/// One HC level's search parameters.
#[derive(Debug, Clone, Copy)]
struct Params {
    /// Chain links followed per search.
    depth: u32,
    /// A match this long ends the search at once.
    nice: usize,
    /// Positions ahead checked before committing to a match.
    lazy: usize,
}

/// Levels 3..=12 (index 0 is level 3).
const LEVELS: [Params; 10] = [
    Params { depth: 4, nice: 32, lazy: 1 },
    Params { depth: 8, nice: 48, lazy: 1 },
    Params { depth: 16, nice: 64, lazy: 1 },
    Params { depth: 32, nice: 96, lazy: 1 },
    Params { depth: 64, nice: 128, lazy: 1 },
    Params { depth: 128, nice: 192, lazy: 1 },
    Params { depth: 256, nice: 256, lazy: 1 },
    Params { depth: 512, nice: 512, lazy: 2 },
    Params { depth: 2048, nice: 1024, lazy: 2 },
    Params { depth: 8192, nice: 4096, lazy: 2 },
];

#[inline(always)]
fn hash(seq: u32) -> usize {
    (seq.wrapping_mul(2_654_435_761) >> (32 - HASH_LOG)) as usize
}

/// Hash heads and chains, reused across blocks.
///
/// Invariant: `head[h]` is 1 + the newest inserted position with hash `h`
/// (0: none); `chain[p & CHAIN_MASK]` is the distance from `p` to the
/// previous position with the same hash (0: none), valid while `p` is
/// within 64 KiB of the newest position.
#[derive(Debug, Clone)]
pub(crate) struct HcFinder {
    head: Vec<u32>,
    chain: Vec<u16>,
    params: Params,
    /// Next position to insert.
    next: usize,
}

impl HcFinder {
    /// A finder for `level` (clamped to 3..=12).
    pub(crate) fn new(level: i32) -> Self {
        let i = (level.clamp(3, 12) - 3) as usize;
        let params = LEVELS.get(i).copied().unwrap_or(LEVELS[0]);
        Self { head: vec![0; 1 << HASH_LOG], chain: vec![0; CHAIN_MASK + 1], params, next: 0 }
    }

    #[inline(always)]
    fn insert_to(&mut self, buf: &[u8], upto: usize) {
        while self.next <= upto {
            let p = self.next;
            let h = hash(read32(buf, p));
            let prev = self.head.get(h).copied().unwrap_or(0) as usize;
            let delta = if prev == 0 || p + 1 - prev > MAX_DISTANCE { 0 } else { p + 1 - prev };
            if let Some(c) = self.chain.get_mut(p & CHAIN_MASK) {
                *c = delta as u16;
            }
            if let Some(s) = self.head.get_mut(h) {
                *s = (p + 1) as u32;
            }
            self.next += 1;
        }
    }

    /// The longest match for `ip` (length, source), or length 0.
    fn find(&mut self, buf: &[u8], ip: usize, floor: usize, limit: usize) -> (usize, usize) {
        self.insert_to(buf, ip);
        let seq = read32(buf, ip);
        let mut best = (0usize, 0usize);
        let mut cand = ip;
        let mut left = self.params.depth;
        while left > 0 {
            left -= 1;
            let delta = usize::from(self.chain.get(cand & CHAIN_MASK).copied().unwrap_or(0));
            if delta == 0 || cand < delta {
                break;
            }
            cand -= delta;
            if cand < floor || ip - cand > MAX_DISTANCE {
                break;
            }
            // Cheap reject: the byte that would make this match longer.
            let probe = ip + best.0;
            if best.0 >= MIN_MATCH && (probe >= limit || buf.get(cand + best.0) != buf.get(probe)) {
                continue;
            }
            if read32(buf, cand) != seq {
                continue;
            }
            let len = MIN_MATCH + common_length(buf, cand + MIN_MATCH, ip + MIN_MATCH, limit);
            if len > best.0 {
                best = (len, cand);
                if len >= self.params.nice || ip + len >= limit {
                    break;
                }
            }
        }
        best
    }

    /// Compresses `buf[start..]` into `out` as one block; matches may reach
    /// into `buf[..start]`.
    pub(crate) fn compress(&mut self, buf: &[u8], start: usize, out: &mut Vec<u8>) {
        let end = buf.len();
        self.head.fill(0);
        let floor = start.saturating_sub(MAX_DISTANCE);
        self.next = floor;
        if start >= 4 {
            self.insert_to(buf, start - 4);
        }
        self.next = self.next.max(start);
        if end - start < MFLIMIT + 1 {
            put_last_literals(out, buf.get(start..).unwrap_or(&[]));
            return;
        }
        let limit = end - LAST_LITERALS;
        let last_start = end - MFLIMIT;
        let mut anchor = start;
        let mut ip = start;
        while ip <= last_start {
            let (mut len, mut cand) = self.find(buf, ip, floor, limit);
            if len < MIN_MATCH {
                ip += 1;
                continue;
            }
            // Lazy: prefer a longer match starting a little later.
            let mut ahead = 1;
            while ahead <= self.params.lazy && ip + ahead <= last_start && len < self.params.nice {
                let (l2, c2) = self.find(buf, ip + ahead, floor, limit);
                if l2 > len + ahead - 1 {
                    ip += ahead;
                    len = l2;
                    cand = c2;
                    ahead = 1;
                } else {
                    ahead += 1;
                }
            }
            while ip > anchor && cand > floor && buf.get(ip - 1) == buf.get(cand - 1) {
                ip -= 1;
                cand -= 1;
                len += 1;
            }
            put_sequence(out, buf.get(anchor..ip).unwrap_or(&[]), ip - cand, len);
            ip += len;
            anchor = ip;
        }
        put_last_literals(out, buf.get(anchor..).unwrap_or(&[]));
    }
}
