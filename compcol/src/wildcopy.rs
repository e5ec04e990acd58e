//! Wide copies for the LZ77 fast loops of the LZ4 and Snappy decoders
//! (and the zstd decoder's short-period matches): literal runs and matches moved in fixed 8/16/32-byte chunks that may
//! write up to [`MARGIN`] bytes past the end of the copy.
//!
//! Entry points: [`copy_literals`] and [`copy_match`]. Both are safe Rust:
//! every chunk is a fixed-size array move whose range the caller checked
//! (the `get` calls below never fail when the documented room is there,
//! and do nothing rather than panic when it is not), so LLVM turns each
//! chunk into a vector load and store. Bytes written past the copy are
//! scratch by the codec contract (see [`crate::codec`]): the caller's
//! next copy overwrites them before anything reads them.

// zstd shares only the short-period match copy (`copy_match_cold`): its
// literal copies measured faster as its own 16-then-32 loop.
#![cfg_attr(not(any(feature = "lz4", feature = "snappy")), allow(dead_code))]

/// Bytes a wide copy may write past `op + len`, and read past `ip + len`.
pub(crate) const MARGIN: usize = 32;

/// `8 % d` for a period `d` of 1..=7 (a table: no division in the loop).
const PHASE8: [usize; 8] = [0, 0, 0, 2, 0, 3, 2, 1];
/// `16 % d` for a period `d` of 1..=15.
const PHASE16: [usize; 16] = [0, 0, 0, 1, 0, 1, 4, 2, 0, 7, 6, 5, 4, 3, 2, 1];
/// `32 - 32 % d`, the longest whole number of periods in 32 bytes.
const STEP32: [usize; 16] = [32, 32, 32, 30, 32, 30, 30, 28, 32, 27, 30, 22, 24, 26, 28, 30];

/// `buf[to..to + K] = buf[from..from + K]` for `from + K <= to`.
#[inline(always)]
pub(crate) fn chunk_within<const K: usize>(buf: &mut [u8], from: usize, to: usize) {
    // Callers keep `to - from >= K`, so source and destination are apart:
    // both checked before anything moves, the chunk stays in a register.
    if let Some((head, tail)) = buf.split_at_mut_checked(to) {
        let s = head.get(from..).and_then(|s| s.first_chunk::<K>());
        if let (Some(s), Some(d)) = (s, tail.first_chunk_mut::<K>()) {
            *d = *s;
        }
    }
}

/// Copies `len` bytes from the start of `win` to `win[dist..]` in
/// 32-byte chunks, for `dist >= 32` (each chunk reads bytes no earlier
/// chunk writes) and `win.len() == dist + len + MARGIN`, so that every
/// chunk is in bounds by `win`'s length alone.
#[cfg(feature = "lz4")]
#[inline(always)]
pub(crate) fn copy_far(win: &mut [u8], dist: usize, len: usize) {
    debug_assert!(dist >= 32 && win.len() == dist + len + MARGIN);
    let mut k = 0;
    while k < len {
        if let Some((a, b)) = win.get_mut(k..).and_then(|w| w.split_at_mut_checked(dist))
            && let (Some(s), Some(d)) = (a.first_chunk::<32>(), b.first_chunk_mut::<32>())
        {
            *d = *s;
        }
        k += 32;
    }
}

/// `dst[op..op + K] = src[ip..ip + K]`.
#[inline(always)]
pub(crate) fn chunk<const K: usize>(dst: &mut [u8], op: usize, src: &[u8], ip: usize) {
    let d = dst.get_mut(op..).and_then(|s| s.first_chunk_mut::<K>());
    let s = src.get(ip..).and_then(|s| s.first_chunk::<K>());
    if let (Some(d), Some(s)) = (d, s) {
        *d = *s;
    }
}

/// Copies `len` literal bytes `src[ip..]` to `dst[op..]`.
///
/// Room: `ip + len + MARGIN <= src.len()` and `op + len + MARGIN <=
/// dst.len()`; up to `MARGIN` bytes past `op + len` are overwritten.
#[inline(always)]
pub(crate) fn copy_literals(dst: &mut [u8], op: usize, src: &[u8], ip: usize, len: usize) {
    debug_assert!(ip + len + MARGIN <= src.len() && op + len + MARGIN <= dst.len());
    if len <= 16 {
        chunk::<16>(dst, op, src, ip);
        return;
    }
    if len <= WIDE_LOOP_MAX {
        // 32 bytes a pass, the last one running into the margin: cheaper
        // than a call to memcpy for the runs LZ77 streams are made of.
        let mut k = 0;
        while k < len {
            chunk::<32>(dst, op + k, src, ip + k);
            k += 32;
        }
        return;
    }
    copy_long(dst, op, src, ip, len);
}

/// An exact `memcpy` of a long run, kept out of line: inlined, LLVM merges
/// it with the fixed 16-byte copies of the fast loops into one call whose
/// length is a variable, so even those would cost a call.
#[inline(never)]
fn copy_long(dst: &mut [u8], op: usize, src: &[u8], ip: usize, len: usize) {
    if let (Some(d), Some(s)) = (dst.get_mut(op..op + len), src.get(ip..ip + len)) {
        d.copy_from_slice(s);
    }
}

/// The longest copy done in 32-byte passes; longer ones call the
/// library's copy, whose own wide loop wins once its call is paid for.
const WIDE_LOOP_MAX: usize = 64;

/// [`copy_match`] behind a call, for the zstd decoder's short-period
/// matches: inlined into its sequence loop, the copy's registers crowd the
/// common path.
#[cfg(feature = "zstd")]
#[inline(never)]
pub(crate) fn copy_match_cold(dst: &mut [u8], op: usize, dist: usize, len: usize) {
    copy_match(dst, op, dist, len);
}

/// An exact `memmove` within `dst`, out of line like [`copy_long`].
#[inline(never)]
fn move_long(dst: &mut [u8], from: usize, op: usize, len: usize) {
    if dst.get(from..op + len).is_some() {
        dst.copy_within(from..from + len, op);
    }
}

/// The 8 bytes that repeat the first `d` (1..=7) bytes of `v` (little
/// endian): `p[i] = v[i % d]`.
#[inline(always)]
fn repeat_pattern(v: u64, d: usize) -> u64 {
    let bits = 8 * d as u32;
    let mut p = v & ((1u64 << bits) - 1);
    // Doubling: after step s the low 2^s * d bytes are the pattern.
    p |= p << bits;
    if 2 * bits < 64 {
        p |= p << (2 * bits);
    }
    if 4 * bits < 64 {
        p |= p << (4 * bits);
    }
    p
}

/// Copies a match of `len` bytes from `dist` back to `dst[op..]` with LZ77
/// overlap semantics (a match closer than its length repeats its first
/// `dist` bytes).
///
/// Room: `1 <= dist <= op` and `op + len + MARGIN <= dst.len()`; up to
/// `MARGIN` bytes past `op + len` are overwritten.
#[inline(always)]
pub(crate) fn copy_match(dst: &mut [u8], op: usize, dist: usize, len: usize) {
    debug_assert!(dist >= 1 && dist <= op && op + len + MARGIN <= dst.len());
    let from = op - dist;
    if dist >= len && len > WIDE_LOOP_MAX {
        // Long and apart: one exact copy (the library's widest loop).
        move_long(dst, from, op, len);
        return;
    }
    if dist >= 16 {
        // Each chunk reads bytes at least one chunk behind the write.
        chunk_within::<16>(dst, from, op);
        let mut k = 16;
        if dist >= 32 {
            while k < len {
                chunk_within::<32>(dst, from + k, op + k);
                k += 32;
            }
        } else {
            while k < len {
                chunk_within::<16>(dst, from + k, op + k);
                k += 16;
            }
        }
        return;
    }
    // A short period: build 32 bytes of the repeating pattern in
    // registers and store them every `step` bytes (a multiple of `dist`),
    // so nothing is read back from bytes still on their way to memory.
    // The period is read as the last 8 (16) bytes before `op`, shifted
    // down: a load of finished bytes only, never of the scratch past `op`
    // that a wide store may still be writing (a load straddling stores in
    // flight waits for them to reach the cache).
    let head = if dist < 8 {
        let v = match op.checked_sub(8).and_then(|s| dst.get(s..)).and_then(|s| s.first_chunk::<8>()) {
            Some(b) => u64::from_le_bytes(*b) >> (8 * (8 - dist)),
            None => match dst.get(from..).and_then(|s| s.first_chunk::<8>()) {
                Some(b) => u64::from_le_bytes(*b),
                None => 0,
            },
        };
        let p = repeat_pattern(v, dist);
        // The next 8 bytes start at phase r = 8 % dist of the period.
        let r = PHASE8.get(dist).copied().unwrap_or(0);
        let q = (p >> (8 * r)) | (p << (8 * (dist - r)));
        u128::from(p) | u128::from(q) << 64
    } else {
        // 8 <= dist < 16: the first dist bytes, then their first 16 - dist.
        let v = match op.checked_sub(16).and_then(|s| dst.get(s..)).and_then(|s| s.first_chunk::<16>()) {
            Some(b) => u128::from_le_bytes(*b) >> (8 * (16 - dist)),
            None => match dst.get(from..).and_then(|s| s.first_chunk::<16>()) {
                Some(b) => u128::from_le_bytes(*b),
                None => 0,
            },
        };
        let head = v & ((1u128 << (8 * dist)) - 1);
        head | head << (8 * dist)
    };
    if len <= 16 {
        // Most short-period matches: one store.
        if let Some(o) = dst.get_mut(op..).and_then(|s| s.first_chunk_mut::<16>()) {
            *o = head.to_le_bytes();
        }
        return;
    }
    // Bytes 16..32 of the run start at phase r = 16 % dist: the head moved
    // down r bytes, its start filling in from `dist - r` up.
    let r = PHASE16.get(dist).copied().unwrap_or(0);
    let next = (head >> (8 * r)) | (head << (8 * (dist - r)));
    let mut pair = [0u8; 32];
    let (a, b) = pair.split_at_mut(16);
    a.copy_from_slice(&head.to_le_bytes());
    b.copy_from_slice(&next.to_le_bytes());
    let step = STEP32.get(dist).copied().unwrap_or(32);
    let mut k = 0;
    while k < len {
        if let Some(o) = dst.get_mut(op + k..).and_then(|s| s.first_chunk_mut::<32>()) {
            *o = pair;
        }
        k += step;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;
    use alloc::vec::Vec;

    /// The byte-at-a-time LZ77 copy the wide one must agree with.
    fn reference(buf: &mut [u8], op: usize, dist: usize, len: usize) {
        for i in op..op + len {
            buf[i] = buf[i - dist];
        }
    }

    #[test]
    fn matches_agree_with_bytewise_copy_for_every_short_period() {
        let seed: Vec<u8> = (0..80u32).map(|i| (i * 37 + 11) as u8).collect();
        for dist in 1..=64 {
            for len in 1..=200 {
                for op in [dist, dist + 3, 64] {
                    // 16 sentinel bytes past the margin must stay untouched.
                    let mut want = vec![0xaa_u8; op + len + MARGIN + 16];
                    want[..op].copy_from_slice(&seed[..op]);
                    let mut got = want.clone();
                    reference(&mut want, op, dist, len);
                    copy_match(&mut got, op, dist, len);
                    assert_eq!(got[..op + len], want[..op + len], "dist {dist} len {len} op {op}");
                    assert!(got[op + len + MARGIN..].iter().all(|&b| b == 0xaa), "dist {dist} len {len} op {op}");
                }
            }
        }
    }

    #[cfg(feature = "lz4")]
    #[test]
    fn far_copies_agree_with_bytewise_copy() {
        let seed: Vec<u8> = (0..200u32).map(|i| (i * 41 + 3) as u8).collect();
        for dist in [32, 33, 47, 64, 65, 100] {
            for len in 0..=140 {
                let mut want = vec![0xaa_u8; dist + len + MARGIN];
                want[..dist].copy_from_slice(&seed[..dist]);
                let mut got = want.clone();
                reference(&mut want, dist, dist, len);
                copy_far(&mut got, dist, len);
                assert_eq!(got[..dist + len], want[..dist + len], "dist {dist} len {len}");
            }
        }
    }

    #[test]
    fn literals_copy_exactly() {
        let src: Vec<u8> = (0..300u32).map(|i| (i * 7) as u8).collect();
        for len in 0..=200 {
            let mut dst = vec![0u8; 5 + len + MARGIN + 16];
            copy_literals(&mut dst, 5, &src, 3, len);
            assert_eq!(dst[5..5 + len], src[3..3 + len]);
            assert!(dst[..5].iter().chain(&dst[5 + len + MARGIN..]).all(|&b| b == 0), "len {len}");
        }
    }

    #[test]
    fn pattern_repeats() {
        let v = u64::from_le_bytes([1, 2, 3, 4, 5, 6, 7, 8]);
        for d in 1..8 {
            let p = repeat_pattern(v, d).to_le_bytes();
            for (i, b) in p.iter().enumerate() {
                assert_eq!(usize::from(*b), i % d + 1, "d {d}");
            }
        }
    }
}
