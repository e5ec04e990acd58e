//! The raw Snappy format: a varint of the uncompressed length, then
//! literal and copy elements (`format_description.txt` of the Snappy
//! project).
//!
//! Entry points: [`compress`], [`decompress`], [`decompressed_len`],
//! [`max_compressed_len`]; `decode_elements` is the resumable element
//! decoder behind both the one-shot call and the streaming
//! [`SnappyRawDecoder`](super::SnappyRawDecoder).

use crate::wildcopy::{self, MARGIN};
use crate::{Error, ErrorKind};
use alloc::vec;
use alloc::vec::Vec;

const NAME: &str = "snappy";
/// The encoder works in independent fragments of this size, as the
/// reference does; copies never cross a fragment.
pub(crate) const FRAGMENT: usize = 1 << 16;
const HASH_LOG: u32 = 14;

fn corrupt(detail: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::Corrupt, NAME, detail).at(at as u64)
}

/// The most bytes [`compress`] writes for `n` input bytes.
#[must_use]
pub const fn max_compressed_len(n: usize) -> usize {
    32 + n + n / 6
}

/// Parses the varint length preamble: (length, bytes used), or `None`
/// when `src` ends inside it.
pub(crate) fn parse_varint(src: &[u8]) -> Result<Option<(u64, usize)>, Error> {
    let mut v = 0u64;
    for (i, &b) in src.iter().enumerate().take(5) {
        v |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            if v > u64::from(u32::MAX) {
                return Err(corrupt("length preamble exceeds 32 bits", i));
            }
            return Ok(Some((v, i + 1)));
        }
    }
    if src.len() >= 5 {
        return Err(corrupt("length preamble longer than 5 bytes", 5));
    }
    Ok(None)
}

/// The uncompressed length a raw stream declares.
///
/// # Errors
/// [`ErrorKind::Corrupt`] or [`ErrorKind::Truncated`] for a bad preamble.
pub fn decompressed_len(src: &[u8]) -> Result<usize, Error> {
    match parse_varint(src)? {
        Some((n, _)) => Ok(n as usize),
        None => Err(Error::new(ErrorKind::Truncated, NAME, "input ends inside the length preamble")),
    }
}

/// Copies a `len`-byte match from `dist` back (LZ77 overlap semantics);
/// the caller checked `0 < dist <= op` and `op + len <= dst.len()`.
#[inline(always)]
fn copy_match(dst: &mut [u8], op: usize, dist: usize, len: usize) {
    let from = op - dist;
    if dist >= len {
        dst.copy_within(from..from + len, op);
    } else {
        // Whole periods; `done` stays a multiple of `dist` until the end.
        let mut done = 0;
        while done < len {
            let n = (len - done).min(dist + done);
            dst.copy_within(from..from + n, op + done);
            done += n;
        }
    }
}

/// Resumable element decoding state: the unfinished part of a literal.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Elements {
    /// Literal bytes still to copy from the input.
    pub(crate) literal_left: usize,
}

/// Input the fast loop keeps unread past an element's start: the
/// longest short literal (60 bytes) with its tag, and a wide chunk.
const FAST_IN: usize = 64 + MARGIN;
/// Output room the fast loop keeps past an element's start: the longest
/// copy (64 bytes) plus the overshoot of a wide copy.
const FAST_OUT: usize = 64 + MARGIN;

/// Per copy tag (`tag & 3` of 1..=3), everything the fast loop needs in
/// one load: `len | size << 8 | offset_high << 16 | mask << 32`, where
/// `size` is the element's bytes (tag and offset), and the offset is
/// `offset_high` plus the little-endian 32 bits after the tag ANDed with
/// `mask`. Literal tags hold 0.
// Built at compile time: an index out of range fails the build, never a run.
#[allow(clippy::indexing_slicing)]
const COPY_TAGS: [u64; 256] = {
    let mut t = [0u64; 256];
    let mut tag = 0;
    while tag < 256 {
        let (len, extra, high) = match tag & 3 {
            1 => (4 + (tag >> 2 & 7), 1, (tag >> 5) << 8),
            2 => ((tag >> 2) + 1, 2, 0),
            3 => ((tag >> 2) + 1, 4, 0),
            _ => (0, 0, 0),
        };
        let mask: u64 = if extra == 4 { 0xffff_ffff } else { (1 << (8 * extra)) - 1 };
        if len > 0 {
            t[tag] = len as u64 | ((1 + extra) as u64) << 8 | (high as u64) << 16 | mask << 32;
        }
        tag += 1;
    }
    t
};

/// Reads the little-endian `n`-byte (1..=4) field at `src[at..]`.
#[inline(always)]
fn read_le(src: &[u8], at: usize, n: usize) -> Option<usize> {
    let b = src.get(at..)?.first_chunk::<4>()?;
    let v = u32::from_le_bytes(*b) as usize;
    Some(if n >= 4 { v } else { v & ((1 << (8 * n)) - 1) })
}

/// Decodes whole elements while `src[*ip..]` has at least [`FAST_IN`]
/// bytes and `dst[*op..]` at least [`FAST_OUT`] of room, copying in wide
/// chunks that may overshoot into that room. It stops before any element
/// it cannot finish with room to spare or finds wrong (a zero or too-far
/// offset), leaving `*ip` and `*op` at its start for the careful loop to
/// decode exactly or report; so it never fails itself and always agrees
/// with the careful loop.
///
/// The common elements (a literal of at most 16 bytes, a copy whose
/// source ends before it) are decoded in an inner loop that
/// calls nothing, from fixed-size views of the input and the output room,
/// with the input as a shrinking slice (the step to the next tag is one
/// add). Anything else goes through [`fast_element`].
#[inline]
fn decode_fast(src: &[u8], dst: &mut [u8], ip: &mut usize, op: &mut usize) {
    let mut rest = src.get(*ip..).unwrap_or_default();
    let mut o = *op;
    loop {
        while let Some(w) = rest.first_chunk::<FAST_IN>() {
            let Some(room) = dst.get_mut(o..).and_then(|d| d.first_chunk_mut::<FAST_OUT>()) else { break };
            let [tag, ..] = *w;
            if tag & 3 == 0 {
                let len = usize::from(tag >> 2) + 1;
                if len > 16 {
                    break;
                }
                if let (Some(d), Some(s)) =
                    (room.first_chunk_mut::<16>(), w.get(1..).and_then(|s| s.first_chunk::<16>()))
                {
                    *d = *s;
                }
                rest = rest.get(1 + len..).unwrap_or_default();
                o += len;
                continue;
            }
            // Element bytes per copy kind 1, 2, 3 (2, 3, 5) from a nibble
            // table in a constant: no load between one tag and the next.
            let size = (0x5320_usize >> (4 * (tag & 3))) & 15;
            let e = COPY_TAGS.get(usize::from(tag)).copied().unwrap_or(0);
            let len = (e & 0xff) as usize;
            let Some(v) = w.get(1..).and_then(|s| s.first_chunk::<4>()) else { break };
            let dist = (u32::from_le_bytes(*v) & (e >> 32) as u32) as usize + (e >> 16 & 0xffff) as usize;
            if dist < len || dist > o {
                break;
            }
            // The source ends before `o`: 16 (or 64) bytes read whole, then
            // written whole, those past the copy being scratch in the room.
            // Within `dst[o - dist..o + K]` both chunks are in bounds by its
            // length alone.
            if len <= 16 {
                copy_before::<16>(dst, o, dist);
            } else {
                copy_before::<64>(dst, o, dist);
            }
            rest = rest.get(size..).unwrap_or_default();
            o += len;
        }
        let i = src.len() - rest.len();
        let (ni, no) = fast_element(src, dst, i, o);
        if ni == i {
            break;
        }
        rest = src.get(ni..).unwrap_or_default();
        o = no;
    }
    (*ip, *op) = (src.len() - rest.len(), o);
}

/// `dst[o..o + K] = dst[o - dist..o - dist + K]`, read whole before
/// anything is written: an LZ77 copy of up to `dist` bytes (`1 <= dist
/// <= o`), the rest of the `K` scratch.
#[inline(always)]
fn copy_before<const K: usize>(dst: &mut [u8], o: usize, dist: usize) {
    if let Some(win) = dst.get_mut(o - dist..o + K) {
        let s = win.first_chunk::<K>().copied();
        if let (Some(s), Some(d)) = (s, win.get_mut(dist..).and_then(|d| d.first_chunk_mut::<K>())) {
            *d = s;
        }
    }
}

/// One element of any kind for the fast loop, from `src[i..]` to
/// `dst[o..]`: the positions after it, or `(i, o)` unchanged when either
/// side has less than its fast-loop margin left, or the element is wrong
/// or does not fit with room to spare. Out of line: the rare case.
#[inline(never)]
fn fast_element(src: &[u8], dst: &mut [u8], mut i: usize, mut o: usize) -> (usize, usize) {
    let (si, so) = (i, o);
    if src.len() - i < FAST_IN || dst.len().saturating_sub(o) < FAST_OUT {
        return (si, so);
    }
    let ip_limit = src.len() - FAST_IN;
    let op_limit = dst.len() - FAST_OUT;
    let Some(&tag) = src.get(i) else { return (si, so) };
    if tag & 3 == 0 {
        let mut len = usize::from(tag >> 2) + 1;
        let mut at = i + 1;
        if len <= 16 {
            wildcopy::chunk::<16>(dst, o, src, at);
        } else {
            if len > 60 {
                // 1..=4 length bytes, then a literal of any size.
                let n = len - 60;
                let Some(v) = read_le(src, at, n).and_then(|v| v.checked_add(1)) else { return (si, so) };
                len = v;
                at += n;
                if len > ip_limit.saturating_sub(at) || len > op_limit - o {
                    return (si, so);
                }
            }
            // at + len <= src.len() - MARGIN: a short literal has
            // at <= ip_limit + 1 and len <= 60; a long one was checked.
            wildcopy::copy_literals(dst, o, src, at, len);
        }
        return (at + len, o + len);
    }
    let e = COPY_TAGS.get(usize::from(tag)).copied().unwrap_or(0);
    let Some(v) = src.get(i + 1..).and_then(|s| s.first_chunk::<4>()) else { return (si, so) };
    let dist = (u32::from_le_bytes(*v) & (e >> 32) as u32) as usize + (e >> 16 & 0xffff) as usize;
    let len = (e & 0xff) as usize;
    i += (e >> 8 & 0xff) as usize;
    if dist == 0 || dist > o {
        return (si, so);
    }
    wildcopy::copy_match(dst, o, dist, len);
    o += len;
    (i, o)
}

/// Decodes whole elements from `src` into `dst[*op..]` until `dst` is full
/// or `src` ends inside an element header; a literal is copied as far as
/// `src` goes. Returns the bytes of `src` used.
pub(crate) fn decode_elements(st: &mut Elements, src: &[u8], dst: &mut [u8], op: &mut usize) -> Result<usize, Error> {
    elements::<true>(st, src, dst, op)
}

/// [`decode_elements`]; `FAST` enables the fast loop (off only in tests,
/// where the careful loop alone is the reference).
#[inline]
fn elements<const FAST: bool>(st: &mut Elements, src: &[u8], dst: &mut [u8], op: &mut usize) -> Result<usize, Error> {
    let mut ip = 0usize;
    if st.literal_left > 0 {
        let n = st.literal_left.min(src.len()).min(dst.len() - *op);
        if let (Some(d), Some(s)) = (dst.get_mut(*op..*op + n), src.get(..n)) {
            d.copy_from_slice(s);
        }
        ip = n;
        *op += n;
        st.literal_left -= n;
        if st.literal_left > 0 {
            return Ok(ip);
        }
    }
    while *op < dst.len() {
        // Whole elements in wide copies while both buffers have room; then
        // one element here, exactly, with every check.
        if FAST {
            decode_fast(src, dst, &mut ip, op);
        }
        if *op == dst.len() {
            break;
        }
        let Some(&tag) = src.get(ip) else { return Ok(ip) };
        let room = dst.len() - *op;
        // Fast path: a short literal with 16 readable and writable bytes.
        if tag & 3 == 0 && tag < 60 << 2 {
            let len = usize::from(tag >> 2) + 1;
            if len > room {
                return Err(corrupt("literal runs past the declared length", ip));
            }
            if len <= 16 && ip + 17 <= src.len() && room >= 16 {
                if let (Some(d), Some(s)) = (dst.get_mut(*op..*op + 16), src.get(ip + 1..ip + 17)) {
                    d.copy_from_slice(s);
                }
                ip += 1 + len;
                *op += len;
                continue;
            }
            let avail = len.min(src.len() - ip - 1);
            if let (Some(d), Some(s)) = (dst.get_mut(*op..*op + avail), src.get(ip + 1..ip + 1 + avail)) {
                d.copy_from_slice(s);
            }
            ip += 1 + avail;
            *op += avail;
            if avail < len {
                st.literal_left = len - avail;
                return Ok(ip);
            }
            continue;
        }
        let (len, dist, used) = match tag & 3 {
            0 => {
                let extra = usize::from(tag >> 2) - 59;
                let Some(bytes) = src.get(ip + 1..ip + 1 + extra) else { return Ok(ip) };
                let len = bytes.iter().rev().fold(0usize, |a, &b| a << 8 | usize::from(b)) + 1;
                if len > room {
                    return Err(corrupt("literal runs past the declared length", ip));
                }
                ip += 1 + extra;
                let avail = len.min(src.len() - ip);
                if let (Some(d), Some(s)) = (dst.get_mut(*op..*op + avail), src.get(ip..ip + avail)) {
                    d.copy_from_slice(s);
                }
                ip += avail;
                *op += avail;
                if avail < len {
                    st.literal_left = len - avail;
                    return Ok(ip);
                }
                continue;
            }
            1 => {
                let Some(&b) = src.get(ip + 1) else { return Ok(ip) };
                (usize::from(tag >> 2 & 7) + 4, usize::from(tag >> 5) << 8 | usize::from(b), 2)
            }
            2 => match src.get(ip + 1..ip + 3) {
                Some(&[a, b]) => (usize::from(tag >> 2) + 1, usize::from(u16::from_le_bytes([a, b])), 3),
                _ => return Ok(ip),
            },
            _ => match src.get(ip + 1..ip + 5) {
                Some(&[a, b, c, d]) => (usize::from(tag >> 2) + 1, u32::from_le_bytes([a, b, c, d]) as usize, 5),
                _ => return Ok(ip),
            },
        };
        if dist == 0 || dist > *op {
            return Err(corrupt("copy offset is zero or reaches before the start", ip));
        }
        if len > room {
            return Err(corrupt("copy runs past the declared length", ip));
        }
        if dist >= 16 && room >= 80 {
            // Whole 16-byte chunks (a copy is at most 64 bytes): each chunk's
            // source is already written because dist >= 16; bytes past
            // `len` are scratch that later elements overwrite.
            let from = *op - dist;
            let mut k = 0;
            while k < len {
                dst.copy_within(from + k..from + k + 16, *op + k);
                k += 16;
            }
        } else {
            copy_match(dst, *op, dist, len);
        }
        *op += len;
        ip += used;
    }
    Ok(ip)
}

/// Decodes a whole raw stream into `dst`, returning the decoded length.
/// Bytes of `dst` past the declared length are left alone; bytes inside
/// it are written in wide chunks, possibly more than once.
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] when `dst` is shorter than the declared
/// length; [`ErrorKind::Corrupt`] / [`ErrorKind::Truncated`] for bad input
/// (including bytes left after the declared length is reached).
pub fn decompress(src: &[u8], dst: &mut [u8]) -> Result<usize, Error> {
    decompress_with::<true>(src, dst)
}

/// [`decompress`] by the careful loop alone: the reference the fast loop
/// is tested against.
#[cfg(test)]
pub(crate) fn decompress_careful(src: &[u8], dst: &mut [u8]) -> Result<usize, Error> {
    decompress_with::<false>(src, dst)
}

fn decompress_with<const FAST: bool>(src: &[u8], dst: &mut [u8]) -> Result<usize, Error> {
    let Some((n, used)) = parse_varint(src)? else {
        return Err(Error::new(ErrorKind::Truncated, NAME, "input ends inside the length preamble"));
    };
    let n = n as usize;
    let Some(dst) = dst.get_mut(..n) else {
        return Err(Error::new(ErrorKind::InvalidArgument, NAME, "output shorter than the declared length"));
    };
    let body = src.get(used..).unwrap_or(&[]);
    let mut st = Elements::default();
    let mut op = 0;
    let consumed = elements::<FAST>(&mut st, body, dst, &mut op)?;
    if op < n {
        return Err(
            Error::new(ErrorKind::Truncated, NAME, "input ends before the declared length").at(src.len() as u64)
        );
    }
    if consumed < body.len() {
        return Err(corrupt("bytes after the declared length", used + consumed));
    }
    Ok(n)
}

/// Appends a varint.
pub(crate) fn put_varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn put_literal(out: &mut Vec<u8>, lit: &[u8]) {
    let n = lit.len() - 1;
    if n < 60 {
        out.push((n as u8) << 2);
    } else {
        let bytes = (n as u32).to_le_bytes();
        let k = if n < 1 << 8 {
            1
        } else if n < 1 << 16 {
            2
        } else if n < 1 << 24 {
            3
        } else {
            4
        };
        out.push(((59 + k) as u8) << 2);
        out.extend_from_slice(bytes.get(..k).unwrap_or(&[]));
    }
    out.extend_from_slice(lit);
}

fn put_copy(out: &mut Vec<u8>, dist: usize, mut len: usize) {
    // Long copies: 64-byte pieces, keeping at least 4 for the last one.
    while len >= 68 {
        out.push((63 << 2) | 2);
        out.extend_from_slice(&(dist as u16).to_le_bytes());
        len -= 64;
    }
    if len > 64 {
        out.push((59 << 2) | 2);
        out.extend_from_slice(&(dist as u16).to_le_bytes());
        len -= 60;
    }
    if len < 12 && dist < 2048 {
        out.push(((dist >> 8) as u8) << 5 | ((len - 4) as u8) << 2 | 1);
        out.push(dist as u8);
    } else {
        out.push(((len - 1) as u8) << 2 | 2);
        out.extend_from_slice(&(dist as u16).to_le_bytes());
    }
}

#[inline(always)]
fn read32(buf: &[u8], i: usize) -> u32 {
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

fn common_length(buf: &[u8], mut a: usize, mut b: usize) -> usize {
    let start = b;
    while let (Some(x), Some(y)) = (read64(buf, a), read64(buf, b)) {
        let diff = x ^ y;
        if diff != 0 {
            return b - start + (diff.trailing_zeros() / 8) as usize;
        }
        a += 8;
        b += 8;
    }
    while b < buf.len() && buf.get(a) == buf.get(b) {
        a += 1;
        b += 1;
    }
    b - start
}

#[inline(always)]
fn hash(seq: u32) -> usize {
    (seq.wrapping_mul(0x1e35_a7bd) >> (32 - HASH_LOG)) as usize
}

/// Compresses one fragment (at most 64 KiB) with `table` as scratch.
fn compress_fragment(frag: &[u8], table: &mut [u16], out: &mut Vec<u8>) {
    table.fill(0);
    let n = frag.len();
    let mut anchor = 0;
    if n >= 15 {
        // Leave room so 4-byte reads at candidate positions stay inside.
        let last = n - 4;
        let mut ip = 1;
        'search: while ip <= last {
            let mut misses = 32u32;
            let cand = loop {
                if ip > last {
                    break 'search;
                }
                let seq = read32(frag, ip);
                let h = hash(seq);
                let cand = table.get(h).copied().map_or(0, usize::from);
                if let Some(s) = table.get_mut(h) {
                    *s = ip as u16;
                }
                if cand < ip && read32(frag, cand) == seq {
                    break cand;
                }
                ip += (misses >> 5) as usize;
                misses += 1;
            };
            let len = 4 + common_length(frag, cand + 4, ip + 4);
            put_literal_if_any(out, frag.get(anchor..ip).unwrap_or(&[]));
            put_copy(out, ip - cand, len);
            ip += len;
            anchor = ip;
            if ip <= last
                && let Some(s) = table.get_mut(hash(read32(frag, ip - 1)))
            {
                *s = (ip - 1) as u16;
            }
        }
    }
    put_literal_if_any(out, frag.get(anchor..).unwrap_or(&[]));
}

fn put_literal_if_any(out: &mut Vec<u8>, lit: &[u8]) {
    if !lit.is_empty() {
        put_literal(out, lit);
    }
}

/// Compresses `src` into a raw Snappy stream appended to `out`.
pub fn compress(src: &[u8], out: &mut Vec<u8>) {
    put_varint(out, src.len() as u64);
    let mut table = vec![0u16; 1 << HASH_LOG];
    for frag in src.chunks(FRAGMENT) {
        compress_fragment(frag, &mut table, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_description_examples() {
        // Literal "abc", then a 1-byte-offset copy of 4 at distance 3.
        let s = [7, 2 << 2, b'a', b'b', b'c', 1, 3];
        let mut out = [0u8; 7];
        assert_eq!(decompress(&s, &mut out).unwrap(), 7);
        assert_eq!(&out, b"abcabca");
        // Declared length longer than the elements: truncated.
        assert_eq!(
            decompress(&[8, 2 << 2, b'a', b'b', b'c', 1, 3], &mut [0u8; 8]).unwrap_err().kind(),
            ErrorKind::Truncated
        );
        // Offset 0 and offset past the start.
        assert_eq!(decompress(&[5, 0, b'a', 1, 0], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        assert_eq!(decompress(&[5, 0, b'a', 1, 2], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        // Trailing bytes.
        assert_eq!(decompress(&[1, 0, b'a', 0], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        // A 6-byte varint.
        assert_eq!(decompressed_len(&[0x80, 0x80, 0x80, 0x80, 0x80, 0]).unwrap_err().kind(), ErrorKind::Corrupt);
        assert_eq!(decompressed_len(&[0xff, 0xff, 0xff, 0xff, 0x0f]).unwrap(), u32::MAX as usize);
    }

    #[test]
    fn copy_tag_table_agrees_with_the_format() {
        // Offset bytes after the tag, distinct so a wrong mask shows.
        let after = [0x11u8, 0x22, 0x33, 0x44];
        let v = u32::from_le_bytes(after);
        for (tag, &e) in COPY_TAGS.iter().enumerate() {
            let (len, size, dist) = match tag & 3 {
                0 => {
                    assert_eq!(e, 0, "literal tag {tag}");
                    continue;
                }
                1 => (4 + (tag >> 2 & 7), 2, (tag >> 5) << 8 | 0x11),
                2 => ((tag >> 2) + 1, 3, 0x2211),
                _ => ((tag >> 2) + 1, 5, 0x4433_2211),
            };
            let got_dist = (v & (e >> 32) as u32) as usize + (e >> 16 & 0xffff) as usize;
            assert_eq!(((e & 0xff) as usize, (e >> 8 & 0xff) as usize, got_dist), (len, size, dist), "tag {tag}");
        }
    }

    #[test]
    fn round_trips() {
        for data in crate::testutil::sample_inputs() {
            let mut packed = Vec::new();
            compress(&data, &mut packed);
            assert!(packed.len() <= max_compressed_len(data.len()));
            let mut out = vec![0u8; decompressed_len(&packed).unwrap()];
            assert_eq!(decompress(&packed, &mut out).unwrap(), data.len());
            assert_eq!(out, data);
        }
    }
}
