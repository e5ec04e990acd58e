//! The fast LZ4 match finder (levels 1 and 2, and `acceleration`): one
//! hash table of recent positions, no chains; the search step grows while
//! nothing matches, so incompressible input is skipped quickly.
//!
//! Entry point: [`FastFinder::compress`].

use super::block::{LAST_LITERALS, MAX_DISTANCE, MFLIMIT, MIN_MATCH, put_last_literals, put_sequence};
use alloc::vec;
use alloc::vec::Vec;

/// log2 of the hash table size (4096 entries of 4 bytes: 16 KiB, which
/// stays in L1 cache).
const HASH_LOG: u32 = 12;
/// Misses before the search step grows by one.
const SKIP_TRIGGER: u32 = 6;

/// Reads 4 bytes little-endian at `i` (0 past the end: never matches a
/// real position because callers check bounds first).
#[inline(always)]
pub(crate) fn read32(buf: &[u8], i: usize) -> u32 {
    match buf.get(i..i + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

#[inline(always)]
fn read64(buf: &[u8], i: usize) -> Option<u64> {
    match buf.get(i..i + 8) {
        Some(&[a, b, c, d, e, f, g, h]) => Some(u64::from_le_bytes([a, b, c, d, e, f, g, h])),
        _ => None,
    }
}

/// How many bytes at `a` and `b` (`a < b`) agree, stopping at `limit`
/// (exclusive, for `b`).
#[inline(always)]
pub(crate) fn common_length(buf: &[u8], mut a: usize, mut b: usize, limit: usize) -> usize {
    let start = b;
    while b + 8 <= limit {
        match (read64(buf, a), read64(buf, b)) {
            (Some(x), Some(y)) => {
                let diff = x ^ y;
                if diff != 0 {
                    return b - start + (diff.trailing_zeros() / 8) as usize;
                }
            }
            _ => break,
        }
        a += 8;
        b += 8;
    }
    while b < limit && buf.get(a) == buf.get(b) {
        a += 1;
        b += 1;
    }
    b - start
}

#[inline(always)]
fn hash(seq: u32) -> usize {
    (seq.wrapping_mul(2_654_435_761) >> (32 - HASH_LOG)) as usize
}

/// The fast finder's state: the hash table, reused across blocks.
#[derive(Debug, Clone)]
pub(crate) struct FastFinder {
    table: Vec<u32>,
    acceleration: usize,
}

impl FastFinder {
    /// A finder that grows its search step `acceleration` times faster
    /// than normal (1 = normal).
    pub(crate) fn new(acceleration: usize) -> Self {
        Self { table: vec![0; 1 << HASH_LOG], acceleration: acceleration.max(1) }
    }

    /// Compresses `buf[start..]` into `out` as one block; matches may reach
    /// into `buf[..start]` (at most 64 KiB back).
    pub(crate) fn compress(&mut self, buf: &[u8], start: usize, out: &mut Vec<u8>) {
        let end = buf.len();
        self.table.fill(0);
        let floor = start.saturating_sub(MAX_DISTANCE);
        // Prime the table with the history (every third position).
        let mut p = floor;
        while p + 4 <= start {
            if let Some(slot) = self.table.get_mut(hash(read32(buf, p))) {
                *slot = p as u32;
            }
            p += 3;
        }
        if end - start < MFLIMIT + 1 {
            put_last_literals(out, buf.get(start..).unwrap_or(&[]));
            return;
        }
        let match_limit = end - LAST_LITERALS;
        let last_start = end - MFLIMIT;
        let mut anchor = start;
        let mut ip = start;
        'outer: loop {
            // Search for a match, stepping faster the longer it fails.
            let mut attempts = (self.acceleration as u32) << SKIP_TRIGGER;
            let (mut cand, seq_ip) = loop {
                if ip > last_start {
                    break 'outer;
                }
                let seq = read32(buf, ip);
                let h = hash(seq);
                let cand = self.table.get(h).copied().unwrap_or(0) as usize;
                if let Some(slot) = self.table.get_mut(h) {
                    *slot = ip as u32;
                }
                if cand < ip && cand >= floor && ip - cand <= MAX_DISTANCE && read32(buf, cand) == seq {
                    break (cand, ip);
                }
                let step = (attempts >> SKIP_TRIGGER) as usize;
                attempts += 1;
                ip += step;
            };
            ip = seq_ip;
            // Extend backwards into the pending literals.
            while ip > anchor && cand > floor && buf.get(ip - 1) == buf.get(cand - 1) {
                ip -= 1;
                cand -= 1;
            }
            let len = MIN_MATCH + common_length(buf, cand + MIN_MATCH, ip + MIN_MATCH, match_limit);
            put_sequence(out, buf.get(anchor..ip).unwrap_or(&[]), ip - cand, len);
            ip += len;
            anchor = ip;
            if ip > last_start {
                break;
            }
            // Index a position inside the match so the next search sees it.
            if let Some(slot) = self.table.get_mut(hash(read32(buf, ip - 2))) {
                *slot = (ip - 2) as u32;
            }
        }
        put_last_literals(out, buf.get(anchor..).unwrap_or(&[]));
    }
}
