//! The fast LZ4 match finder (levels 1 and 2, and `acceleration`): one
//! hash table of recent positions, no chains; the search step grows while
//! nothing matches, so incompressible input is skipped quickly. Table
//! size and hash follow the input size (see [`SLOTS`]), as liblz4's fast
//! mode does, which brings the output size level with it.
//!
//! Entry point: [`FastFinder::compress`].

use super::block::{LAST_LITERALS, MAX_DISTANCE, MFLIMIT, MIN_MATCH, SeqWriter, put_last_literals};
use alloc::vec::Vec;

/// log2 of the hash-table slots used for large inputs (4096 entries of
/// 4 bytes: 16 KiB, which stays in L1 cache).
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

/// The 8 bytes at `i`, little-endian (0 past the end, as [`read32`]).
#[inline(always)]
fn read64_or_zero(buf: &[u8], i: usize) -> u64 {
    buf.get(i..).and_then(|s| s.first_chunk::<8>()).map_or(0, |b| u64::from_le_bytes(*b))
}

/// Hash-table slots: 2^13 for inputs whose positions fit 16 bits (the
/// table then covers more of a small input), 2^12 above that, where a
/// smaller table stays in L1 cache while the input streams through.
const SLOTS: usize = 1 << 13;

/// How the finder hashes a position: 4 bytes for small inputs, 5 bytes
/// for large ones (a fifth byte separates more candidates when the table
/// is crowded, which pays on large, varied inputs).
trait Hasher {
    /// The table slot for the bytes `seq` read at a position.
    fn slot(seq: u64) -> usize;
}

/// 4-byte multiplicative hash over 2^13 slots.
struct Small;
/// 5-byte multiplicative hash over 2^12 slots.
struct Large;

impl Hasher for Small {
    #[inline(always)]
    fn slot(seq: u64) -> usize {
        ((seq as u32).wrapping_mul(2_654_435_761) >> (32 - 13)) as usize
    }
}

impl Hasher for Large {
    #[inline(always)]
    fn slot(seq: u64) -> usize {
        ((seq << 24).wrapping_mul(889_523_592_379) >> (64 - HASH_LOG)) as usize
    }
}

/// Inputs up to this size (history included) use the [`Small`] hash.
const SMALL_INPUT: usize = 65_536 + MFLIMIT;

/// The fast finder's state: the hash table, reused across blocks.
#[derive(Debug, Clone)]
pub(crate) struct FastFinder {
    table: alloc::boxed::Box<[u32; SLOTS]>,
    acceleration: usize,
}

impl FastFinder {
    /// A finder that grows its search step `acceleration` times faster
    /// than normal (1 = normal).
    pub(crate) fn new(acceleration: usize) -> Self {
        Self { table: alloc::boxed::Box::new([0; SLOTS]), acceleration: acceleration.max(1) }
    }

    /// Compresses `buf[start..]` into `out` as one block; matches may reach
    /// into `buf[..start]` (at most 64 KiB back).
    pub(crate) fn compress(&mut self, buf: &[u8], start: usize, out: &mut Vec<u8>) {
        if buf.len() <= SMALL_INPUT {
            self.compress_with::<Small>(buf, start, out);
        } else {
            self.compress_with::<Large>(buf, start, out);
        }
    }

    #[inline(always)]
    fn compress_with<H: Hasher>(&mut self, buf: &[u8], start: usize, out: &mut Vec<u8>) {
        let end = buf.len();
        self.table.fill(0);
        let floor = start.saturating_sub(MAX_DISTANCE);
        // Prime the table with the history (every third position).
        let mut p = floor;
        while p + 8 <= start {
            if let Some(slot) = self.table.get_mut(H::slot(read64_or_zero(buf, p))) {
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
        let mut w = SeqWriter::new(out, end - start);
        let mut anchor = start;
        let mut ip = start;
        'outer: loop {
            // Search for a match, stepping faster the longer it fails. The
            // next position is read and hashed before the current candidate
            // is checked, so its table load overlaps the comparison.
            let mut attempts = (self.acceleration as u32) << SKIP_TRIGGER;
            if ip > last_start {
                break;
            }
            // Every read here is at most `last_start`: ip + 8 <= end - 4.
            let mut seq = read64_or_zero(buf, ip);
            let mut h = H::slot(seq);
            let (mut cand, seq_ip) = loop {
                let step = (attempts >> SKIP_TRIGGER) as usize;
                attempts += 1;
                let next = ip + step;
                let cand = self.table.get(h).copied().unwrap_or(0) as usize;
                if let Some(slot) = self.table.get_mut(h) {
                    *slot = ip as u32;
                }
                let next_seq = if next <= last_start { read64_or_zero(buf, next) } else { 0 };
                let next_h = H::slot(next_seq);
                if cand < ip && cand >= floor && ip - cand <= MAX_DISTANCE && read32(buf, cand) == seq as u32 {
                    break (cand, ip);
                }
                if next > last_start {
                    break 'outer;
                }
                ip = next;
                seq = next_seq;
                h = next_h;
            };
            ip = seq_ip;
            // Extend backwards into the pending literals.
            while ip > anchor && cand > floor && buf.get(ip - 1) == buf.get(cand - 1) {
                ip -= 1;
                cand -= 1;
            }
            let len = MIN_MATCH + common_length(buf, cand + MIN_MATCH, ip + MIN_MATCH, match_limit);
            w.sequence(buf, anchor, ip, ip - cand, len);
            ip += len;
            anchor = ip;
            if ip > last_start {
                break;
            }
            // Index a position inside the match so the next search sees it.
            if let Some(slot) = self.table.get_mut(H::slot(read64_or_zero(buf, ip - 2))) {
                *slot = (ip - 2) as u32;
            }
        }
        w.finish(buf, anchor);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lz4::block::decompress_with_prefix;
    use alloc::vec;

    /// A token's 4-bit length `nibble`, plus the 255-continued bytes at
    /// `ip` when it is 15.
    fn extended(block: &[u8], ip: &mut usize, nibble: usize) -> usize {
        let mut len = nibble;
        if nibble == 15 {
            loop {
                let b = block[*ip];
                *ip += 1;
                len += usize::from(b);
                if b != 255 {
                    return len;
                }
            }
        }
        len
    }

    /// Walks a block's sequences and checks the end-of-block rules: the
    /// last 5 bytes are literals and no match starts in the last 12.
    fn assert_end_rules(block: &[u8], n: usize) {
        let (mut ip, mut op) = (0, 0);
        loop {
            let token = block[ip];
            ip += 1;
            let lit = extended(block, &mut ip, usize::from(token >> 4));
            ip += lit;
            op += lit;
            if ip == block.len() {
                assert_eq!(op, n);
                return;
            }
            ip += 2;
            assert!(op + MFLIMIT <= n, "match starts at {op}, inside the last 12 of {n}");
            let len = extended(block, &mut ip, usize::from(token & 15));
            op += len + MIN_MATCH;
            assert!(op + LAST_LITERALS <= n, "match ends at {op}, inside the last 5 of {n}");
        }
    }

    fn round_trip(data: &[u8]) {
        let mut block = Vec::new();
        FastFinder::new(1).compress(data, 0, &mut block);
        assert_end_rules(&block, data.len());
        let mut out = vec![0; data.len()];
        assert_eq!(decompress_with_prefix(&block, &mut out, 0).unwrap(), data.len());
        assert_eq!(out, data);
    }

    /// A xorshift stream: incompressible bytes without a dependency.
    fn noise(n: usize, mut x: u64) -> Vec<u8> {
        (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect()
    }

    #[test]
    fn tiny_inputs_respect_the_end_of_block_rules() {
        for n in 0..=20 {
            round_trip(&vec![b'a'; n]);
            round_trip(&noise(n, 7));
            let abc: Vec<u8> = (0..n).map(|i| b"abc"[i % 3]).collect();
            round_trip(&abc);
        }
    }

    #[test]
    fn matches_end_exactly_at_the_last_literals() {
        // A repeat that would run to the very end is cut 5 bytes short;
        // the sizes around 12 + 5 put match starts and ends on the limits.
        for n in 12..=80 {
            for period in 1..=9 {
                let data: Vec<u8> = (0..n).map(|i| (i % period) as u8).collect();
                round_trip(&data);
                let mut tail = noise(n, n as u64);
                let half = n / 2;
                let (a, b) = tail.split_at_mut(half);
                let k = half.min(b.len());
                b[..k].copy_from_slice(&a[..k]);
                round_trip(&tail);
            }
        }
    }

    #[test]
    fn incompressible_long_runs_and_large_inputs() {
        round_trip(&noise(300_000, 3));
        round_trip(&vec![0; 200_000]);
        // Past 64 KiB the 5-byte hash and the distance limit both apply.
        let mut mixed = noise(70_000, 5);
        mixed.extend_from_within(..70_000);
        mixed.extend(noise(1000, 9));
        round_trip(&mixed);
        let text: Vec<u8> = (0..150_000u32).map(|i| b"the quick brown fox "[(i as usize * 7) % 20]).collect();
        round_trip(&text);
    }
}
