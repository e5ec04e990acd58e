//! The LZ4 block format: sequences of (token, literals, offset, match
//! length), decoded with every length and offset checked.
//!
//! Entry points: [`decompress`] (a block into a caller's slice),
//! [`decompress_with_prefix`] (a block after history already in the
//! slice: linked frame blocks and dictionaries), [`compress`] and
//! [`compress_bound`]. Format: `doc/lz4_Block_format.md` of the LZ4
//! project. The encoder side writes sequences for the match finders in
//! `fast` and `hc`.

use crate::wildcopy::{self, MARGIN};
use crate::{Error, ErrorKind};
use alloc::vec::Vec;

/// The shortest match the format can express.
pub(crate) const MIN_MATCH: usize = 4;
/// The last this many bytes of a block are always literals.
pub(crate) const LAST_LITERALS: usize = 5;
/// A match may not start in the last this many bytes of a block.
pub(crate) const MFLIMIT: usize = 12;
/// The farthest a match may reach back.
pub(crate) const MAX_DISTANCE: usize = 65_535;

const NAME: &str = "lz4";

fn corrupt(detail: &'static str, at: usize) -> Error {
    Error::new(ErrorKind::Corrupt, NAME, detail).at(at as u64)
}

/// The most bytes [`compress`] can write for `n` input bytes.
#[must_use]
pub const fn compress_bound(n: usize) -> usize {
    n + n / 255 + 16
}

/// Reads the 255-run continuation of a length field.
#[inline(always)]
fn read_length(src: &[u8], ip: &mut usize) -> Result<usize, Error> {
    let mut len = 0usize;
    loop {
        let Some(&b) = src.get(*ip) else {
            return Err(Error::new(ErrorKind::Truncated, NAME, "block ends inside a length").at(*ip as u64));
        };
        *ip += 1;
        len = len.checked_add(usize::from(b)).ok_or(corrupt("length overflows", *ip))?;
        if b != 255 {
            return Ok(len);
        }
    }
}

/// Copies a match of `len` bytes from `dist` bytes back: LZ77 semantics,
/// so an overlapping match repeats its pattern. The caller checked
/// `dist <= op` and `op + len <= dst.len()`; nothing past `op + len` is
/// written.
#[inline]
fn copy_match(dst: &mut [u8], op: usize, dist: usize, len: usize) {
    let from = op - dist;
    if dist >= len {
        dst.copy_within(from..from + len, op);
    } else if dist == 1 {
        let b = dst.get(from).copied().unwrap_or(0);
        if let Some(d) = dst.get_mut(op..op + len) {
            d.fill(b);
        }
    } else {
        // Copy whole periods; the source area doubles each step and
        // `done` stays a multiple of `dist` until the last chunk.
        let mut done = 0;
        while done < len {
            let n = (len - done).min(dist + done);
            dst.copy_within(from..from + n, op + done);
            done += n;
        }
    }
}

/// Input the fast loop keeps unread past a sequence's literals: the
/// offset, a few length bytes, and a whole wide literal chunk.
const FAST_IN: usize = 2 * MARGIN;
/// Output room the fast loop keeps past a sequence's end, for the
/// overshoot of wide literal and match copies.
const FAST_OUT: usize = 2 * MARGIN;

/// The little-endian 16-bit match offset at `src[i..]`, if both bytes
/// are there.
#[inline(always)]
fn le16_at(src: &[u8], i: usize) -> Option<usize> {
    src.get(i..).and_then(|s| s.first_chunk::<2>()).map(|&b| usize::from(u16::from_le_bytes(b)))
}

/// Decodes whole sequences while `src[ip..]` has at least [`FAST_IN`]
/// bytes and `dst[op..]` at least [`FAST_OUT`] of room, copying in wide
/// chunks that may overshoot into the room. It stops before any sequence
/// it cannot finish with room to spare, and before any it finds wrong
/// (a zero or too-far offset, a length running past the input): it then
/// leaves `ip` and `op` at that sequence's start, for the careful loop to
/// decode it exactly or report the error. So it never fails itself and
/// always agrees with the careful loop.
///
/// The common sequence (under 15 literals, a 4..=18-byte match whose
/// source ends before it) is decoded in an inner loop from fixed-size
/// views: a [`FAST_IN`] array of input and a [`FAST_OUT`] array of output,
/// taken once per sequence, so every index into them is a constant or a
/// nibble and needs no check of its own. Anything else goes through
/// [`fast_sequence`].
#[inline]
fn decode_fast(src: &[u8], dst: &mut [u8], ip: &mut usize, op: &mut usize) {
    // The input as a shrinking slice: the step to the next token is one
    // pointer add, the shortest chain from one token load to the next.
    let mut rest = src.get(*ip..).unwrap_or_default();
    let mut o = *op;
    loop {
        // The common sequences, in a loop of their own that calls nothing,
        // so its values stay in registers.
        while let Some(w) = rest.first_chunk::<FAST_IN>() {
            let Some(room) = dst.get_mut(o..).and_then(|d| d.first_chunk_mut::<FAST_OUT>()) else { break };
            let [token, ..] = *w;
            let lit = usize::from(token >> 4);
            let code = usize::from(token & 15);
            if lit == 15 || code == 15 {
                break;
            }
            // At most 14 literals: one 16-byte chunk, the rest scratch.
            if let (Some(d), Some(s)) = (room.first_chunk_mut::<16>(), w.get(1..).and_then(|s| s.first_chunk::<16>())) {
                *d = *s;
            }
            let Some(&d16) = w.get(1 + lit..).and_then(|s| s.first_chunk::<2>()) else { break };
            let dist = usize::from(u16::from_le_bytes(d16));
            let p = o + lit;
            let len = code + MIN_MATCH;
            if dist < len || dist > p {
                break;
            }
            // The match's source ends before `p`: the 18 bytes of the
            // longest short match are read whole, then written whole, those
            // past the match being scratch in the room. Within
            // `dst[p - dist..p + 18]` both chunks are in bounds by its
            // length alone, so neither needs a check of its own.
            if let Some(win) = dst.get_mut(p - dist..p + 18) {
                let s = win.first_chunk::<18>().copied();
                if let (Some(s), Some(d)) = (s, win.get_mut(dist..).and_then(|d| d.first_chunk_mut::<18>())) {
                    *d = s;
                }
            }
            rest = rest.get(3 + lit..).unwrap_or_default();
            o = p + len;
        }
        // Any other sequence, or the end of the room.
        let i = src.len() - rest.len();
        let (ni, no) = fast_sequence(src, dst, i, o);
        if ni == 0 {
            break;
        }
        rest = src.get(ni..).unwrap_or_default();
        o = no;
    }
    (*ip, *op) = (src.len() - rest.len(), o);
}

/// A sequence of under 15 literals and a 19..=273-byte match (one length
/// byte) at least 32 bytes back, from `rest` to `dst[o..]`, in 32-byte
/// chunks that each read finished bytes only: the input after it and the
/// new output position, or `None` for any other sequence or too little
/// room. The long matches of images and tables, kept out of the inner
/// loop (whose layout they disturb).
#[inline(always)]
fn long_far_match<'a>(rest: &'a [u8], dst: &mut [u8], o: usize) -> Option<(&'a [u8], usize)> {
    let w = rest.first_chunk::<FAST_IN>()?;
    let room = dst.get_mut(o..).and_then(|d| d.first_chunk_mut::<FAST_OUT>())?;
    let [token, ..] = *w;
    let lit = usize::from(token >> 4);
    if lit == 15 || token & 15 != 15 {
        return None;
    }
    let dist = usize::from(u16::from_le_bytes(*w.get(1 + lit..)?.first_chunk::<2>()?));
    let ext = *w.get(3 + lit)?;
    let p = o + lit;
    if ext == 255 || dist < 32 || dist > p {
        return None;
    }
    // Bytes past `o` are scratch until written, so the literals go first.
    if let (Some(d), Some(s)) = (room.first_chunk_mut::<16>(), w.get(1..).and_then(|s| s.first_chunk::<16>())) {
        *d = *s;
    }
    let len = usize::from(ext) + 15 + MIN_MATCH;
    wildcopy::copy_far(dst.get_mut(p - dist..p + len + MARGIN)?, dist, len);
    Some((rest.get(4 + lit..)?, p + len))
}

/// One sequence of any shape for the fast loop, from `src[i..]` to
/// `dst[o..]`: the positions after it, or `None` (nothing written that
/// matters) when either side has less than its fast-loop margin left, or
/// the sequence is wrong or does not fit with room to spare. Out of line:
/// it is the rare case, and inlined its registers crowd the common one.
#[inline(never)]
fn fast_sequence(src: &[u8], dst: &mut [u8], i: usize, o: usize) -> (usize, usize) {
    // A pair comes back in registers, an `Option` of one through memory;
    // no sequence ends at input position 0, so that marks "stop".
    sequence_in_room(src, dst, i, o).unwrap_or((0, 0))
}

/// [`fast_sequence`] with `?`.
#[inline(always)]
fn sequence_in_room(src: &[u8], dst: &mut [u8], mut i: usize, mut o: usize) -> Option<(usize, usize)> {
    let ip_limit = src.len().checked_sub(FAST_IN)?;
    let op_limit = dst.len().checked_sub(FAST_OUT)?;
    if i > ip_limit || o > op_limit {
        return None;
    }
    if let Some((r, no)) = long_far_match(src.get(i..)?, dst, o) {
        return Some((src.len() - r.len(), no));
    }
    let token = *src.get(i)?;
    i += 1;
    let mut lit = usize::from(token >> 4);
    if lit == 15 {
        lit += read_length(src, &mut i).ok()?;
        if lit > ip_limit.checked_sub(i)? || lit > op_limit.checked_sub(o)? {
            return None;
        }
    }
    // i + lit + MARGIN <= src.len(): short runs have i <= ip_limit + 1,
    // long ones were checked against ip_limit just above.
    wildcopy::copy_literals(dst, o, src, i, lit);
    i += lit;
    o += lit;
    let dist = le16_at(src, i)?;
    i += 2;
    if dist == 0 || dist > o {
        return None;
    }
    let mut len = usize::from(token & 15);
    if len == 15 {
        len += read_length(src, &mut i).ok()?;
    }
    len += MIN_MATCH;
    if len > op_limit.checked_sub(o)? {
        return None;
    }
    wildcopy::copy_match(dst, o, dist, len);
    Some((i, o + len))
}

/// Decodes one block from `src` into `dst`, returning the decoded length.
/// Bytes of `dst` past that length may be overwritten (the decoder copies
/// in fixed 16- and 32-byte chunks where there is room).
///
/// # Errors
/// [`ErrorKind::Corrupt`] for an offset of 0 or before the start, or
/// output beyond `dst`; [`ErrorKind::Truncated`] when `src` ends inside a
/// sequence.
pub fn decompress(src: &[u8], dst: &mut [u8]) -> Result<usize, Error> {
    decompress_with_prefix(src, dst, 0)
}

/// Decodes one block from `src` into `dst[start..]`, where `dst[..start]`
/// is history that matches may reach into; returns the new end (`start`
/// plus the decoded length).
///
/// # Errors
/// As [`decompress`].
pub fn decompress_with_prefix(src: &[u8], dst: &mut [u8], start: usize) -> Result<usize, Error> {
    decode_block::<true>(src, dst, start)
}

/// [`decompress_with_prefix`] by the careful loop alone: the reference the
/// fast loop is tested against.
#[cfg(test)]
pub(crate) fn decompress_careful(src: &[u8], dst: &mut [u8], start: usize) -> Result<usize, Error> {
    decode_block::<false>(src, dst, start)
}

/// The block decoder; `FAST` enables the fast loop (off only in tests).
#[inline]
fn decode_block<const FAST: bool>(src: &[u8], dst: &mut [u8], start: usize) -> Result<usize, Error> {
    let mut ip = 0usize;
    let mut op = start.min(dst.len());
    loop {
        // Whole sequences in wide copies while both buffers have room;
        // then one sequence here, exactly, with every check.
        if FAST {
            decode_fast(src, dst, &mut ip, &mut op);
        }
        let Some(&token) = src.get(ip) else {
            return Err(
                Error::new(ErrorKind::Truncated, NAME, "block ends where a sequence should start").at(ip as u64)
            );
        };
        ip += 1;
        let mut lit = usize::from(token >> 4);
        let short_match = usize::from(token & 15);
        if lit == 15 {
            lit += read_length(src, &mut ip)?;
        }
        let lit_end = ip.checked_add(lit).ok_or(corrupt("literal length overflows", ip))?;
        let Some(s) = src.get(ip..lit_end) else {
            return Err(Error::new(ErrorKind::Truncated, NAME, "literals run past the block").at(ip as u64));
        };
        let Some(d) = op.checked_add(lit).and_then(|e| dst.get_mut(op..e)) else {
            return Err(corrupt("literals overflow the output block", ip));
        };
        d.copy_from_slice(s);
        ip = lit_end;
        op += lit;
        if ip == src.len() {
            return Ok(op);
        }
        let dist = match src.get(ip..ip + 2) {
            Some(&[a, b]) => usize::from(u16::from_le_bytes([a, b])),
            _ => return Err(Error::new(ErrorKind::Truncated, NAME, "block ends inside an offset").at(ip as u64)),
        };
        ip += 2;
        if dist == 0 || dist > op {
            return Err(corrupt("match offset is zero or reaches before the start", ip));
        }
        let mut len = short_match + MIN_MATCH;
        if short_match == 15 {
            len += read_length(src, &mut ip)?;
        }
        if op.checked_add(len).is_none_or(|e| e > dst.len()) {
            return Err(corrupt("match overflows the output block", ip));
        }
        copy_match(dst, op, dist, len);
        op += len;
    }
}

/// Appends a length continuation (the part past 15 or past the token).
#[inline(always)]
fn put_length(out: &mut Vec<u8>, mut n: usize) {
    while n >= 255 {
        out.push(255);
        n -= 255;
    }
    out.push(n as u8);
}

/// Appends one sequence: `literals`, then a match of `len` bytes at
/// distance `dist` (1..=65535, `len >= 4`).
#[inline]
pub(crate) fn put_sequence(out: &mut Vec<u8>, literals: &[u8], dist: usize, len: usize) {
    let lit = literals.len();
    let ml = len - MIN_MATCH;
    let token = ((lit.min(15) as u8) << 4) | ml.min(15) as u8;
    out.push(token);
    if lit >= 15 {
        put_length(out, lit - 15);
    }
    out.extend_from_slice(literals);
    out.extend_from_slice(&(dist as u16).to_le_bytes());
    if ml >= 15 {
        put_length(out, ml - 15);
    }
}

/// Writes sequences into a slice sized by [`compress_bound`], so the hot
/// loop of a match finder stores bytes instead of growing a `Vec` a push
/// at a time; short literal runs are copied as one 16-byte chunk when
/// both sides have room (the bytes past the run are scratch, overwritten
/// by what follows or cut off by [`SeqWriter::finish`]).
pub(crate) struct SeqWriter<'a> {
    out: &'a mut Vec<u8>,
    op: usize,
}

impl<'a> SeqWriter<'a> {
    /// A writer appending to `out` for a block of `n` input bytes.
    pub(crate) fn new(out: &'a mut Vec<u8>, n: usize) -> Self {
        let base = out.len();
        out.resize(base + compress_bound(n) + 16, 0);
        Self { out, op: base }
    }

    #[inline(always)]
    fn byte(&mut self, b: u8) {
        if let Some(d) = self.out.get_mut(self.op) {
            *d = b;
        }
        self.op += 1;
    }

    #[inline(always)]
    fn length(&mut self, mut n: usize) {
        while n >= 255 {
            self.byte(255);
            n -= 255;
        }
        self.byte(n as u8);
    }

    /// `src[from..to]` as literals.
    #[inline(always)]
    fn literals(&mut self, src: &[u8], from: usize, to: usize) {
        let n = to - from;
        if n <= 16 {
            let s = src.get(from..).and_then(|s| s.first_chunk::<16>());
            let d = self.out.get_mut(self.op..).and_then(|d| d.first_chunk_mut::<16>());
            if let (Some(s), Some(d)) = (s, d) {
                *d = *s;
                self.op += n;
                return;
            }
        }
        if let (Some(s), Some(d)) = (src.get(from..to), self.out.get_mut(self.op..self.op + n)) {
            d.copy_from_slice(s);
        }
        self.op += n;
    }

    /// One sequence: literals `src[from..to]`, then a match of `len`
    /// bytes at distance `dist` (1..=65535, `len >= 4`).
    #[inline(always)]
    pub(crate) fn sequence(&mut self, src: &[u8], from: usize, to: usize, dist: usize, len: usize) {
        let lit = to - from;
        let ml = len - MIN_MATCH;
        self.byte(((lit.min(15) as u8) << 4) | ml.min(15) as u8);
        if lit >= 15 {
            self.length(lit - 15);
        }
        self.literals(src, from, to);
        let [lo, hi] = (dist as u16).to_le_bytes();
        self.byte(lo);
        self.byte(hi);
        if ml >= 15 {
            self.length(ml - 15);
        }
    }

    /// The closing literals-only sequence `src[from..]`; trims `out` to
    /// what was written.
    pub(crate) fn finish(mut self, src: &[u8], from: usize) {
        let lit = src.len().saturating_sub(from);
        self.byte((lit.min(15) as u8) << 4);
        if lit >= 15 {
            self.length(lit - 15);
        }
        self.literals(src, from, src.len());
        debug_assert!(self.op <= self.out.len());
        self.out.truncate(self.op);
    }
}

/// Appends the closing literals-only sequence.
pub(crate) fn put_last_literals(out: &mut Vec<u8>, literals: &[u8]) {
    let lit = literals.len();
    out.push((lit.min(15) as u8) << 4);
    if lit >= 15 {
        put_length(out, lit - 15);
    }
    out.extend_from_slice(literals);
}

/// Compresses `src` as one independent block at `level` (1..=2 fast,
/// 3..=12 HC), appending to `out`.
pub fn compress(src: &[u8], level: i32, out: &mut Vec<u8>) {
    let mut m = super::MatchFinder::new(level, 1);
    m.compress(src, 0, out);
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn hand_written_blocks() {
        // "abcabcabcabc" + "xyz": literals "abc", match dist 3 len 9, last literals.
        let block = [0x35, b'a', b'b', b'c', 3, 0, 0x30, b'x', b'y', b'z'];
        let mut out = [0u8; 64];
        let n = decompress(&block, &mut out).unwrap();
        assert_eq!(&out[..n], b"abcabcabcabcxyz");
        // Exactly sized output works; one byte less is an error.
        let mut exact = [0u8; 15];
        assert_eq!(decompress(&block, &mut exact).unwrap(), 15);
        let mut short = [0u8; 14];
        assert_eq!(decompress(&block, &mut short).unwrap_err().kind(), ErrorKind::Corrupt);
        // Empty block: a single zero token.
        assert_eq!(decompress(&[0], &mut out).unwrap(), 0);
    }

    #[test]
    fn bad_offsets_and_truncation_are_errors() {
        let mut out = [0u8; 64];
        // Offset 0.
        assert_eq!(decompress(&[0x10, b'a', 0, 0, 0x00], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        // Offset beyond the start.
        assert_eq!(decompress(&[0x10, b'a', 2, 0, 0x00], &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
        // Ends after a match (no final literals sequence).
        assert_eq!(decompress(&[0x10, b'a', 1, 0], &mut out).unwrap_err().kind(), ErrorKind::Truncated);
        assert_eq!(decompress(&[], &mut out).unwrap_err().kind(), ErrorKind::Truncated);
        assert_eq!(decompress(&[0xf0, 255], &mut out).unwrap_err().kind(), ErrorKind::Truncated);
        // A match-copy bomb: a huge length far beyond the output.
        let mut bomb = vec![0x1f, b'a', 1, 0];
        bomb.extend(core::iter::repeat_n(255, 1000));
        bomb.extend([0, 0]);
        assert_eq!(decompress(&bomb, &mut out).unwrap_err().kind(), ErrorKind::Corrupt);
    }

    #[test]
    fn prefix_history_is_reachable() {
        let mut dst = vec![0u8; 64];
        dst[..4].copy_from_slice(b"wxyz");
        // Match 8 bytes at distance 4 into the prefix, then literal "!".
        let block = [0x04, 4, 0, 0x10, b'!'];
        let end = decompress_with_prefix(&block, &mut dst, 4).unwrap();
        assert_eq!(&dst[4..end], b"wxyzwxyz!");
    }
}
