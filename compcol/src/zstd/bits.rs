//! Bit streams of the zstd format.
//!
//! Entry points: [`BackReader`] reads the backward streams that carry
//! Huffman literals, FSE weights and sequences (written forwards, read from
//! the last byte, which holds a 1-bit end marker); [`BackWriter`] writes
//! them; [`ForwardReader`] reads the little-endian forward bits of FSE
//! table descriptions.

use super::corrupt;
use crate::Error;
use alloc::vec::Vec;

#[inline(always)]
fn le64_at(data: &[u8], at: usize) -> u64 {
    match data.get(at..at + 8) {
        Some(b) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(b);
            u64::from_le_bytes(a)
        }
        None => {
            let mut a = [0u8; 8];
            for (d, s) in a.iter_mut().zip(data.get(at..).unwrap_or(&[])) {
                *d = *s;
            }
            u64::from_le_bytes(a)
        }
    }
}

/// Reads a backward bit stream: a 64-bit window over the stream, with
/// `consumed` bits already taken from its top. Reading past the start of
/// the stream yields zero bits and is detected by [`BackReader::overflowed`]
/// (the format defines decoding as ending exactly at the start).
#[derive(Debug, Clone)]
pub(crate) struct BackReader<'a> {
    data: &'a [u8],
    /// Index of the first byte of the 8-byte window.
    ptr: usize,
    container: u64,
    consumed: u32,
}

impl<'a> BackReader<'a> {
    /// Opens `data`, skipping the end marker in its last byte.
    ///
    /// # Errors
    /// Empty streams or a last byte of zero (no end marker).
    pub(crate) fn new(data: &'a [u8]) -> Result<Self, Error> {
        let Some(&last) = data.last() else { return Err(corrupt("empty bit stream")) };
        if last == 0 {
            return Err(corrupt("bit stream without end marker"));
        }
        let marker_skip = last.leading_zeros() + 1;
        let (ptr, pad) = if data.len() >= 8 { (data.len() - 8, 0) } else { (0, (8 - data.len() as u32) * 8) };
        Ok(Self { data, ptr, container: le64_at(data, ptr), consumed: pad + marker_skip })
    }

    /// Reads `n` (0..=56) bits, most significant first. Past the end of
    /// the stream (`consumed > 64`) the value is meaningless; callers detect
    /// that with [`BackReader::finished`] or [`BackReader::overflowed`].
    #[inline(always)]
    pub(crate) fn read(&mut self, n: u32) -> u64 {
        let v = ((self.container << (self.consumed & 63)) >> 1) >> (63 - n);
        self.consumed += n;
        v
    }

    /// The next `n` (1..=56) bits without consuming them (meaningless past
    /// the end of the stream, as for `read`).
    #[inline(always)]
    pub(crate) fn peek(&self, n: u32) -> u64 {
        (self.container << (self.consumed & 63)) >> (64 - n)
    }

    /// Consumes `n` bits after a [`BackReader::peek`].
    #[inline(always)]
    pub(crate) fn skip(&mut self, n: u32) {
        self.consumed += n;
    }

    /// Refills the window so that at least 57 bits are available (fewer at
    /// the start of the stream).
    #[inline(always)]
    pub(crate) fn reload(&mut self) {
        // The window moves back by the whole bytes consumed. When that
        // stays inside the stream the accounting is exact whatever the
        // count (so one bounds check decides); past the start (the
        // subtraction wraps and the check fails) the careful path clamps.
        let back = self.ptr.wrapping_sub((self.consumed >> 3) as usize);
        if let Some(b) = self.data.get(back..).and_then(|d| d.first_chunk::<8>()) {
            self.ptr = back;
            self.consumed &= 7;
            self.container = u64::from_le_bytes(*b);
        } else {
            // By value, so the reader's address never escapes and its
            // fields can live in registers.
            (self.ptr, self.consumed, self.container) =
                reload_near_start(self.data, self.ptr, self.consumed, self.container);
        }
    }

    /// Whether more bits were read than the stream holds.
    pub(crate) fn overflowed(&self) -> bool {
        self.consumed > 64
    }

    /// Whether every bit was read, exactly.
    pub(crate) fn finished(&self) -> bool {
        self.ptr == 0 && self.consumed == 64
    }
}

/// The careful refill for a stream's first bytes: returns the new
/// (ptr, consumed, container).
#[inline(never)]
fn reload_near_start(data: &[u8], ptr: usize, consumed: u32, container: u64) -> (usize, u32, u64) {
    if ptr == 0 || consumed > 64 {
        return (ptr, consumed, container);
    }
    let bytes = (consumed >> 3) as usize;
    let (ptr, consumed) = if bytes <= ptr { (ptr - bytes, consumed & 7) } else { (0, consumed - (ptr as u32) * 8) };
    (ptr, consumed, le64_at(data, ptr))
}

/// Writes a backward bit stream: bits are appended low-first in a forward
/// buffer; [`BackWriter::finish`] adds the end marker.
#[derive(Debug, Default)]
pub(crate) struct BackWriter {
    out: Vec<u8>,
    acc: u64,
    bits: u32,
}

impl BackWriter {
    pub(crate) fn with_capacity(n: usize) -> Self {
        Self { out: Vec::with_capacity(n), acc: 0, bits: 0 }
    }

    /// Appends the low `n` (0..=56) bits of `value`.
    #[inline(always)]
    pub(crate) fn write(&mut self, value: u64, n: u32) {
        let masked = value & ((1u64 << n) - 1);
        self.acc |= masked << self.bits;
        self.bits += n;
        if self.bits >= 32 {
            self.flush_bytes();
        }
    }

    #[inline(always)]
    fn flush_bytes(&mut self) {
        let whole = self.bits / 8;
        // Append all eight bytes and keep the whole ones: a fixed-size copy
        // is cheaper than a variable one.
        let len = self.out.len();
        self.out.extend_from_slice(&self.acc.to_le_bytes());
        self.out.truncate(len + whole as usize);
        self.acc = self.acc.checked_shr(whole * 8).unwrap_or(0);
        self.bits -= whole * 8;
    }

    /// Adds the end marker and returns the bytes.
    pub(crate) fn finish(mut self) -> Vec<u8> {
        self.write(1, 1);
        self.flush_bytes();
        if self.bits > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// Little-endian forward bit reader for FSE table descriptions.
#[derive(Debug, Clone)]
pub(crate) struct ForwardReader<'a> {
    data: &'a [u8],
    bit: usize,
}

impl<'a> ForwardReader<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Self {
        Self { data, bit: 0 }
    }

    /// The next `n` (0..=32) bits without consuming them (zero past the end).
    pub(crate) fn peek(&self, n: u32) -> u32 {
        let w = le64_at(self.data, self.bit / 8) >> (self.bit % 8);
        (w & ((1u64 << n) - 1)) as u32
    }

    pub(crate) fn skip(&mut self, n: u32) {
        self.bit += n as usize;
    }

    pub(crate) fn read(&mut self, n: u32) -> u32 {
        let v = self.peek(n);
        self.skip(n);
        v
    }

    /// Bytes touched so far (a partial byte counts).
    pub(crate) fn bytes_used(&self) -> usize {
        self.bit.div_ceil(8)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backward_round_trip() {
        let mut w = BackWriter::with_capacity(16);
        let fields: &[(u64, u32)] = &[(5, 3), (0, 0), (1234, 11), (1, 1), (0xabcdef, 24), (3, 2), (77, 9)];
        for &(v, n) in fields {
            w.write(v, n);
        }
        let bytes = w.finish();
        let mut r = BackReader::new(&bytes).unwrap();
        for &(v, n) in fields.iter().rev() {
            r.reload();
            assert_eq!(r.read(n), v);
        }
        assert!(r.finished());
        assert!(BackReader::new(&[0]).is_err());
        assert!(BackReader::new(&[]).is_err());
    }
}
