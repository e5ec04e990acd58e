//! The LZO1X stream format: literal runs and four kinds of match
//! instruction (M1..M4) whose meaning depends on how many literals came
//! before, ending with the M4 end marker `11 00 00`.
//!
//! Entry points: [`decompress`] (any LZO1X stream: -1, -1_15, -999 all
//! share it; every length, distance and output bound checked),
//! [`compress_fast`] (LZO1X-1 style: one hash probe per position) and
//! [`compress_best`] (LZO1X-999 style: hash chains, lazy matching).
//! Format as described in the Linux kernel's `Documentation/staging/lzo.rst`.

use crate::{Error, ErrorKind};
use alloc::vec;
use alloc::vec::Vec;

const NAME: &str = "lzo";
/// The farthest an M4 match reaches.
const MAX_DISTANCE: usize = 0xbfff;
const M2_MAX_DISTANCE: usize = 0x0800;
const M3_MAX_DISTANCE: usize = 0x4000;

fn corrupt(detail: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::Corrupt, NAME, detail).at(at as u64)
}

fn truncated(at: usize) -> Error {
    Error::new(ErrorKind::Truncated, NAME, "stream ends inside an instruction").at(at as u64)
}

#[inline(always)]
fn byte(src: &[u8], ip: &mut usize) -> Result<usize, Error> {
    let b = src.get(*ip).copied().ok_or(truncated(*ip))?;
    *ip += 1;
    Ok(usize::from(b))
}

/// Reads a length continuation: zero bytes add 255, then a non-zero byte.
#[inline(always)]
fn long_length(src: &[u8], ip: &mut usize, base: usize) -> Result<usize, Error> {
    let mut len = base;
    loop {
        let b = byte(src, ip)?;
        if b != 0 {
            return len.checked_add(b).ok_or(corrupt("length overflows", *ip));
        }
        len = len.checked_add(255).ok_or(corrupt("length overflows", *ip))?;
        if len > 1 << 30 {
            return Err(corrupt("length beyond any block", *ip));
        }
    }
}

#[inline(always)]
fn copy_literals(src: &[u8], ip: &mut usize, dst: &mut [u8], op: &mut usize, n: usize) -> Result<(), Error> {
    let s = src.get(*ip..*ip + n).ok_or(truncated(*ip))?;
    let d = dst.get_mut(*op..*op + n).ok_or(corrupt("literals overflow the output", *ip))?;
    d.copy_from_slice(s);
    *ip += n;
    *op += n;
    Ok(())
}

#[inline(always)]
fn copy_match(dst: &mut [u8], op: &mut usize, dist: usize, len: usize, at: usize) -> Result<(), Error> {
    if dist == 0 || dist > *op {
        return Err(corrupt("match distance reaches before the start", at));
    }
    if *op + len > dst.len() {
        return Err(corrupt("match overflows the output", at));
    }
    let from = *op - dist;
    if dist >= len {
        dst.copy_within(from..from + len, *op);
    } else {
        let mut done = 0;
        while done < len {
            let n = (len - done).min(dist + done);
            dst.copy_within(from..from + n, *op + done);
            done += n;
        }
    }
    *op += len;
    Ok(())
}

/// Decodes a whole LZO1X stream into `dst`, returning the decoded length.
/// Bytes after the end marker are an error.
///
/// # Errors
/// [`ErrorKind::Corrupt`] for bad distances, output past `dst` or trailing
/// bytes; [`ErrorKind::Truncated`] when `src` ends early.
pub fn decompress(src: &[u8], dst: &mut [u8]) -> Result<usize, Error> {
    let mut ip = 0usize;
    let mut op = 0usize;
    // Literals copied by the previous instruction: 0..=3, or 4 for a run.
    let mut state;
    let first = src.first().copied().map(usize::from).ok_or(truncated(0))?;
    if first > 17 {
        ip = 1;
        let n = first - 17;
        copy_literals(src, &mut ip, dst, &mut op, n)?;
        state = if n < 4 { n } else { 4 };
    } else {
        state = 0;
    }
    loop {
        let at = ip;
        let t = byte(src, &mut ip)?;
        let (dist, len, s) = if t < 16 {
            match state {
                0 => {
                    let n = if t == 0 { long_length(src, &mut ip, 15)? + 3 } else { t + 3 };
                    copy_literals(src, &mut ip, dst, &mut op, n)?;
                    state = 4;
                    continue;
                }
                1..=3 => {
                    let h = byte(src, &mut ip)?;
                    ((h << 2) + (t >> 2) + 1, 2, t & 3)
                }
                _ => {
                    let h = byte(src, &mut ip)?;
                    ((h << 2) + (t >> 2) + 2049, 3, t & 3)
                }
            }
        } else if t < 32 {
            let len = if t & 7 == 0 { long_length(src, &mut ip, 7)? + 2 } else { (t & 7) + 2 };
            let d = byte(src, &mut ip)? | byte(src, &mut ip)? << 8;
            let dist = 16384 + ((t & 8) << 11) + (d >> 2);
            if dist == 16384 {
                // End marker.
                if ip != src.len() {
                    return Err(corrupt("bytes after the end marker", ip));
                }
                return Ok(op);
            }
            (dist, len, d & 3)
        } else if t < 64 {
            let len = if t & 31 == 0 { long_length(src, &mut ip, 31)? + 2 } else { (t & 31) + 2 };
            let d = byte(src, &mut ip)? | byte(src, &mut ip)? << 8;
            ((d >> 2) + 1, len, d & 3)
        } else {
            let h = byte(src, &mut ip)?;
            let len = if t < 128 { 3 + (t >> 5 & 1) } else { 5 + (t >> 5 & 3) };
            ((h << 3) + (t >> 2 & 7) + 1, len, t & 3)
        };
        copy_match(dst, &mut op, dist, len, at)?;
        if s > 0 {
            copy_literals(src, &mut ip, dst, &mut op, s)?;
        }
        state = s;
    }
}

/// Emits instructions; remembers where the last match's S bits live.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// Index of the byte whose low 2 bits count the next literals.
    s_pos: Option<usize>,
    start: usize,
}

impl Writer<'_> {
    fn put_length(&mut self, mut n: usize) {
        while n > 255 {
            self.out.push(0);
            n -= 255;
        }
        self.out.push(n as u8);
    }

    fn literals(&mut self, lit: &[u8]) {
        let n = lit.len();
        if n == 0 {
            return;
        }
        if self.out.len() == self.start && n <= 238 {
            self.out.push((17 + n) as u8);
        } else if n <= 3 {
            if let Some(b) = self.s_pos.and_then(|p| self.out.get_mut(p)) {
                *b |= n as u8;
            }
        } else if n <= 18 {
            self.out.push((n - 3) as u8);
        } else {
            self.out.push(0);
            self.put_length(n - 18);
        }
        self.out.extend_from_slice(lit);
        self.s_pos = None;
    }

    /// A match of `len >= 3` at `dist <= MAX_DISTANCE`.
    fn matched(&mut self, dist: usize, len: usize) {
        if len <= 8 && dist <= M2_MAX_DISTANCE {
            let d = dist - 1;
            let t = if len <= 4 { 0x40 | (len - 3) << 5 } else { 0x80 | (len - 5) << 5 };
            self.s_pos = Some(self.out.len());
            self.out.push((t | (d & 7) << 2) as u8);
            self.out.push((d >> 3) as u8);
            return;
        }
        let (d, low) = if dist <= M3_MAX_DISTANCE {
            if len - 2 <= 31 {
                self.out.push(0x20 | (len - 2) as u8);
            } else {
                self.out.push(0x20);
                self.put_length(len - 33);
            }
            (dist - 1, 0)
        } else {
            let d = dist - 16384;
            let h = ((d >> 14) & 1) as u8;
            if len - 2 <= 7 {
                self.out.push(0x10 | h << 3 | (len - 2) as u8);
            } else {
                self.out.push(0x10 | h << 3);
                self.put_length(len - 9);
            }
            (d & 0x3fff, 0)
        };
        self.s_pos = Some(self.out.len());
        self.out.push(((d << 2) & 0xff) as u8 | low);
        self.out.push((d >> 6) as u8);
    }

    fn end(&mut self) {
        self.out.extend_from_slice(&[0x11, 0, 0]);
    }
}

#[inline(always)]
fn read32(buf: &[u8], i: usize) -> u32 {
    match buf.get(i..i + 4) {
        Some(&[a, b, c, d]) => u32::from_le_bytes([a, b, c, d]),
        _ => 0,
    }
}

fn common(buf: &[u8], mut a: usize, mut b: usize) -> usize {
    let start = b;
    while b < buf.len() && buf.get(a) == buf.get(b) {
        a += 1;
        b += 1;
    }
    b - start
}

fn min_len_for(dist: usize) -> usize {
    if dist <= M2_MAX_DISTANCE { 3 } else { 4 }
}

/// LZO1X-1 style: one hash-table probe per position, greedy. Appends a
/// complete stream (with end marker) for `src` to `out`.
pub fn compress_fast(src: &[u8], out: &mut Vec<u8>) {
    const HASH_LOG: u32 = 14;
    let mut table = vec![0u32; 1 << HASH_LOG];
    let mut w = Writer { start: out.len(), out, s_pos: None };
    let n = src.len();
    let mut anchor = 0;
    let mut ip = 0;
    while ip + 4 <= n {
        let seq = read32(src, ip);
        let h = (seq.wrapping_mul(0x9E37_79B1) >> (32 - HASH_LOG)) as usize;
        let cand = table.get(h).copied().unwrap_or(0) as usize;
        if let Some(s) = table.get_mut(h) {
            *s = ip as u32;
        }
        let dist = ip - cand;
        if cand < ip && dist <= MAX_DISTANCE && read32(src, cand) == seq {
            let len = 4 + common(src, cand + 4, ip + 4);
            w.literals(src.get(anchor..ip).unwrap_or(&[]));
            w.matched(dist, len);
            ip += len;
            anchor = ip;
        } else {
            ip += 1 + ((ip - anchor) >> 5);
        }
    }
    w.literals(src.get(anchor..).unwrap_or(&[]));
    w.end();
}

/// LZO1X-999 style: hash chains over the whole 48 KiB window, longest
/// match with one-step lazy evaluation. Appends a complete stream.
pub fn compress_best(src: &[u8], out: &mut Vec<u8>) {
    const HASH_LOG: u32 = 16;
    const DEPTH: usize = 512;
    let n = src.len();
    let mut head = vec![u32::MAX; 1 << HASH_LOG];
    let mut prev = vec![u32::MAX; n.max(1)];
    let mut next_insert = 0usize;
    let hash = |p: usize| (read32(src, p).wrapping_mul(0x9E37_79B1) >> (32 - HASH_LOG)) as usize;
    let mut find = |ip: usize, head: &mut Vec<u32>, prev: &mut Vec<u32>| -> (usize, usize) {
        while next_insert <= ip && next_insert + 4 <= n {
            let h = hash(next_insert);
            if let (Some(hd), Some(pv)) = (head.get_mut(h), prev.get_mut(next_insert)) {
                *pv = *hd;
                *hd = next_insert as u32;
            }
            next_insert += 1;
        }
        let mut best = (0, 0);
        let mut cand = prev.get(ip).copied().unwrap_or(u32::MAX);
        let mut left = DEPTH;
        while cand != u32::MAX && left > 0 {
            left -= 1;
            let c = cand as usize;
            let dist = ip - c;
            if dist > MAX_DISTANCE {
                break;
            }
            if src.get(c + best.0) == src.get(ip + best.0) {
                let len = common(src, c, ip);
                if len >= min_len_for(dist) && len > best.0 {
                    best = (len, dist);
                    if ip + len >= n || len >= 2048 {
                        break;
                    }
                }
            }
            cand = prev.get(c).copied().unwrap_or(u32::MAX);
        }
        best
    };
    let mut w = Writer { start: out.len(), out, s_pos: None };
    let mut anchor = 0;
    let mut ip = 0;
    while ip + 4 <= n {
        let (mut len, mut dist) = find(ip, &mut head, &mut prev);
        if len == 0 {
            ip += 1;
            continue;
        }
        if ip + 5 <= n {
            let (l2, d2) = find(ip + 1, &mut head, &mut prev);
            if l2 > len + 1 {
                ip += 1;
                len = l2;
                dist = d2;
            }
        }
        w.literals(src.get(anchor..ip).unwrap_or(&[]));
        w.matched(dist, len);
        ip += len;
        anchor = ip;
    }
    w.literals(src.get(anchor..).unwrap_or(&[]));
    w.end();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_stream_and_hand_written_instructions() {
        let mut out = [0u8; 64];
        assert_eq!(decompress(&[0x11, 0, 0], &mut out).unwrap(), 0);
        // 4 literals "abcd", M2 len 4 dist 4, end.
        let s = [17 + 4, b'a', b'b', b'c', b'd', 0x40 | 1 << 5 | 3 << 2, 0, 0x11, 0, 0];
        assert_eq!(decompress(&s, &mut out).unwrap(), 8);
        assert_eq!(&out[..8], b"abcdabcd");
        // Distance before the start; trailing bytes; truncation.
        assert_eq!(
            decompress(&[18, b'a', 0x40 | 2 << 2, 0, 0x11, 0, 0], &mut out).unwrap_err().kind(),
            ErrorKind::Corrupt
        );
        assert_eq!(decompress(&[0x11, 0, 0, 0], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        assert_eq!(decompress(&[0x11, 0], &mut out).unwrap_err().kind(), ErrorKind::Truncated);
        assert_eq!(decompress(&[], &mut out).unwrap_err().kind(), ErrorKind::Truncated);
    }

    #[test]
    fn both_compressors_round_trip() {
        let mut inputs = crate::testutil::sample_inputs();
        let far: Vec<u8> = (0..120_000u32).map(|i| ((i * 7919) % 65_521 % 253) as u8).collect();
        inputs.push(far);
        inputs.push(b"x".repeat(100_000));
        for data in inputs {
            for best in [false, true] {
                let mut packed = Vec::new();
                if best {
                    compress_best(&data, &mut packed)
                } else {
                    compress_fast(&data, &mut packed)
                }
                let mut out = vec![0u8; data.len()];
                assert_eq!(decompress(&packed, &mut out).unwrap(), data.len(), "best {best}");
                assert_eq!(out, data);
            }
        }
    }
}
