//! Huffman coding of literals: tree descriptions (weights, direct or
//! FSE-compressed), decoding tables, and the encoder side (length-limited
//! code construction, weight writing, stream encoding).
//!
//! Entry points: [`read_table`] and [`HufTable::decode_stream`] (decoder);
//! [`HufEncoder::build`], [`HufEncoder::write_table`] and
//! [`HufEncoder::encode_stream`] (encoder).

use super::bits::{BackReader, BackWriter};
use super::corrupt;
use super::fse::{self, CTable, DTable};
use crate::Error;
use alloc::boxed::Box;
use alloc::vec;
use alloc::vec::Vec;

/// The longest code our encoder makes (RFC 8878's limit for literals).
pub(crate) const MAX_BITS: u32 = 11;
/// The longest code the decoder accepts: libzstd's tables (and so
/// dictionaries from `zstd --train`) may use 12.
const DECODE_MAX_BITS: u32 = 12;

/// One decoding-table entry.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct HEntry {
    symbol: u8,
    bits: u8,
}

/// Entries in a decoding table: enough for the longest code.
const TABLE: usize = 1 << DECODE_MAX_BITS;

/// A decoding table indexed by the next `max_bits` bits (`entries` always
/// holds [`TABLE`] entries, the first `1 << max_bits` of them live).
#[derive(Debug, Clone)]
pub(crate) struct HufTable {
    max_bits: u32,
    entries: Box<[HEntry; TABLE]>,
}

/// Decodes FSE-compressed weights: two interleaved states, ending when the
/// stream runs out (the format's rule, RFC 8878 4.2.1.2).
fn fse_weights(data: &[u8]) -> Result<Vec<u8>, Error> {
    let (probs, log, used) = fse::read_ncount(data, 12, 6)?;
    let table = DTable::build(&probs, log)?;
    let stream = data.get(used..).ok_or(corrupt("truncated Huffman weights"))?;
    let mut r = BackReader::new(stream)?;
    let mut s1 = r.read(log) as usize;
    let mut s2 = r.read(log) as usize;
    let mut out = Vec::with_capacity(256);
    let entry = |s: usize| table.entries.get(s).copied().unwrap_or_default();
    loop {
        if out.len() > 253 {
            return Err(corrupt("too many Huffman weights"));
        }
        let e = entry(s1);
        out.push(e.symbol);
        s1 = usize::from(e.base) + r.read(u32::from(e.bits)) as usize;
        r.reload();
        if r.overflowed() {
            out.push(entry(s2).symbol);
            break;
        }
        let e = entry(s2);
        out.push(e.symbol);
        s2 = usize::from(e.base) + r.read(u32::from(e.bits)) as usize;
        r.reload();
        if r.overflowed() {
            out.push(entry(s1).symbol);
            break;
        }
    }
    Ok(out)
}

/// Reads a Huffman tree description's transmitted weights (all symbols
/// but the last); returns them and the bytes used.
pub(crate) fn read_weights(data: &[u8]) -> Result<(Vec<u8>, usize), Error> {
    let &header = data.first().ok_or(corrupt("truncated Huffman tree description"))?;
    if header < 128 {
        let size = usize::from(header);
        let body = data.get(1..1 + size).ok_or(corrupt("truncated Huffman weights"))?;
        return Ok((fse_weights(body)?, 1 + size));
    }
    let n = usize::from(header) - 127;
    let bytes = n.div_ceil(2);
    let body = data.get(1..1 + bytes).ok_or(corrupt("truncated Huffman weights"))?;
    let weights = (0..n).map(|i| body.get(i / 2).map_or(0, |b| if i % 2 == 0 { b >> 4 } else { b & 15 })).collect();
    Ok((weights, 1 + bytes))
}

/// Reads a Huffman tree description into `slot`, rebuilding the table
/// already there in place; returns the bytes used.
pub(crate) fn read_table_into(data: &[u8], slot: &mut Option<HufTable>) -> Result<usize, Error> {
    let (weights, used) = read_weights(data)?;
    match slot {
        Some(t) => t.rebuild(&weights)?,
        None => *slot = Some(HufTable::from_weights(&weights)?),
    }
    Ok(used)
}

/// Reads a Huffman tree description; returns the table and bytes used.
pub(crate) fn read_table(data: &[u8]) -> Result<(HufTable, usize), Error> {
    let (weights, used) = read_weights(data)?;
    Ok((HufTable::from_weights(&weights)?, used))
}

/// The complete weights (the last implied) and the largest code length.
fn complete_weights(weights: &[u8]) -> Result<(Vec<u8>, u32), Error> {
    if weights.is_empty() || weights.len() > 255 {
        return Err(corrupt("bad Huffman weight count"));
    }
    let mut total: u32 = 0;
    for &w in weights {
        if u32::from(w) > DECODE_MAX_BITS {
            return Err(corrupt("Huffman weight too large"));
        }
        total += (1u32 << w) >> 1;
    }
    if total == 0 {
        return Err(corrupt("Huffman weights all zero"));
    }
    let max_bits = 32 - total.leading_zeros();
    if max_bits > DECODE_MAX_BITS {
        return Err(corrupt("Huffman code too long"));
    }
    let rest = (1u32 << max_bits) - total;
    if !rest.is_power_of_two() {
        return Err(corrupt("Huffman weights do not form a complete code"));
    }
    let mut all = weights.to_vec();
    all.push((32 - rest.leading_zeros()) as u8);
    Ok((all, max_bits))
}

impl HufTable {
    /// Builds the table from the transmitted weights (the last symbol's
    /// weight is implied: it completes the total to a power of two).
    pub(crate) fn from_weights(weights: &[u8]) -> Result<Self, Error> {
        let entries = vec![HEntry::default(); TABLE].into_boxed_slice();
        let entries = entries.try_into().map_err(|_| corrupt("Huffman table size"))?;
        let mut table = Self { max_bits: 0, entries };
        table.rebuild(weights)?;
        Ok(table)
    }

    /// Rebuilds the table in place for new weights (a block's new tree):
    /// no allocation. The weights are checked first, so on error the
    /// table is unchanged. A complete code fills all `1 << max_bits` live
    /// entries; entries past them are stale and never read.
    pub(crate) fn rebuild(&mut self, weights: &[u8]) -> Result<(), Error> {
        let (all, max_bits) = complete_weights(weights)?;
        let mut rank_count = [0u32; 13];
        for &w in &all {
            if let Some(c) = rank_count.get_mut(usize::from(w)) {
                *c += 1;
            }
        }
        let mut start = [0u32; 13];
        let mut pos = 0u32;
        for w in 1..=max_bits as usize {
            if let (Some(s), Some(&c)) = (start.get_mut(w), rank_count.get(w)) {
                *s = pos;
                pos += c << (w - 1);
            }
        }
        for (sym, &w) in all.iter().enumerate() {
            if w == 0 {
                continue;
            }
            let span = 1usize << (w - 1);
            let Some(s) = start.get_mut(usize::from(w)) else { continue };
            let from = *s as usize;
            *s += span as u32;
            let bits = (max_bits + 1 - u32::from(w)) as u8;
            for e in self.entries.get_mut(from..from + span).unwrap_or(&mut []) {
                *e = HEntry { symbol: sym as u8, bits };
            }
        }
        self.max_bits = max_bits;
        Ok(())
    }

    /// Decodes exactly `out.len()` symbols from one stream, which must end
    /// exactly where its bits do.
    pub(crate) fn decode_stream(&self, src: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let mut r = BackReader::new(src)?;
        self.decode_tail(&mut r, out);
        if !r.finished() {
            return Err(corrupt("Huffman stream size does not match its symbols"));
        }
        Ok(())
    }

    /// One symbol: the table is indexed by the next `max_bits` bits.
    #[inline(always)]
    fn symbol(&self, r: &mut BackReader<'_>) -> u8 {
        // peek(max_bits) < 1 << max_bits <= TABLE, so the mask is a no-op
        // that lets the compiler drop the bounds check.
        let e = self.entries.get(r.peek(self.max_bits) as usize & (TABLE - 1)).copied().unwrap_or_default();
        r.skip(u32::from(e.bits));
        e.symbol
    }

    /// Decodes `out.len()` symbols, four per refill (4 * 12 bits fit in the
    /// 57 a refill guarantees).
    fn decode_tail(&self, r: &mut BackReader<'_>, out: &mut [u8]) {
        let mut chunks = out.chunks_exact_mut(4);
        for c in &mut chunks {
            r.reload();
            for slot in c.iter_mut() {
                *slot = self.symbol(r);
            }
        }
        r.reload();
        for slot in chunks.into_remainder() {
            *slot = self.symbol(r);
        }
    }

    /// Decodes the four streams in rounds of `N` symbols each while the
    /// shortest (last) segment lasts; returns the symbols done per stream.
    #[inline(always)]
    fn interleave<const N: usize>(&self, rs: &mut [BackReader<'_>; 4], [o1, o2, o3, o4]: [&mut [u8]; 4]) -> usize {
        let rounds = o4.len() / N;
        let quads =
            o1.chunks_exact_mut(N).zip(o2.chunks_exact_mut(N)).zip(o3.chunks_exact_mut(N).zip(o4.chunks_exact_mut(N)));
        for ((c1, c2), (c3, c4)) in quads {
            let [r1, r2, r3, r4] = rs;
            r1.reload();
            r2.reload();
            r3.reload();
            r4.reload();
            for (((d1, d2), d3), d4) in c1.iter_mut().zip(c2.iter_mut()).zip(c3.iter_mut()).zip(c4.iter_mut()) {
                *d1 = self.symbol(r1);
                *d2 = self.symbol(r2);
                *d3 = self.symbol(r3);
                *d4 = self.symbol(r4);
            }
        }
        rounds * N
    }

    /// Decodes four streams (jump table of three sizes first), interleaved
    /// so the four table lookups of a round are independent.
    pub(crate) fn decode_four(&self, src: &[u8], out: &mut [u8]) -> Result<(), Error> {
        let [a0, a1, b0, b1, c0, c1, ..] = *src else { return Err(corrupt("truncated Huffman jump table")) };
        let s1 = usize::from(u16::from_le_bytes([a0, a1]));
        let s2 = usize::from(u16::from_le_bytes([b0, b1]));
        let s3 = usize::from(u16::from_le_bytes([c0, c1]));
        let streams = src.get(6..).unwrap_or(&[]);
        if s1 + s2 + s3 > streams.len() {
            return Err(corrupt("Huffman jump table past the literals"));
        }
        let (p1, rest) = streams.split_at(s1);
        let (p2, rest) = rest.split_at(s2);
        let (p3, p4) = rest.split_at(s3);
        let seg = out.len().div_ceil(4);
        if out.len() < 6 {
            return Err(corrupt("four Huffman streams for under six literals"));
        }
        let (o1, rest) = out.split_at_mut(seg);
        let (o2, rest) = rest.split_at_mut(seg);
        let (o3, o4) = rest.split_at_mut(seg);
        let mut rs = [BackReader::new(p1)?, BackReader::new(p2)?, BackReader::new(p3)?, BackReader::new(p4)?];
        // Symbols per refill: 57 bits hold five codes of up to 11 bits.
        let done = if self.max_bits <= 11 {
            self.interleave::<5>(&mut rs, [&mut *o1, &mut *o2, &mut *o3, &mut *o4])
        } else {
            self.interleave::<4>(&mut rs, [&mut *o1, &mut *o2, &mut *o3, &mut *o4])
        };
        for (r, o) in rs.iter_mut().zip([o1, o2, o3, o4]) {
            self.decode_tail(r, o.get_mut(done..).unwrap_or(&mut []));
            if !r.finished() {
                return Err(corrupt("Huffman stream size does not match its symbols"));
            }
        }
        Ok(())
    }
}

/// A Huffman code for encoding.
#[derive(Debug, Clone)]
pub(crate) struct HufEncoder {
    lengths: [u8; 256],
    codes: [u16; 256],
    max_bits: u32,
    last_symbol: usize,
}

/// Code lengths for `counts`, limited to `limit` bits, forming a complete
/// code (zstd implies the last weight, so the Kraft sum must be exact).
fn code_lengths(counts: &[u32; 256], limit: u32) -> [u8; 256] {
    let mut lengths = [0u8; 256];
    let mut leaves: Vec<(u64, usize)> =
        counts.iter().enumerate().filter(|(_, c)| **c > 0).map(|(s, &c)| (u64::from(c), s)).collect();
    leaves.sort_unstable();
    let n = leaves.len();
    if n < 2 {
        return lengths;
    }
    // Two-queue Huffman: nodes 0..n are leaves, n.. internal.
    let mut weight: Vec<u64> = leaves.iter().map(|l| l.0).collect();
    let mut parent = vec![0usize; 2 * n - 1];
    let (mut li, mut ii) = (0usize, n);
    let pick = |weight: &Vec<u64>, li: &mut usize, ii: &mut usize| -> usize {
        if *li < n && (*ii >= weight.len() || weight.get(*li) <= weight.get(*ii)) {
            *li += 1;
            *li - 1
        } else {
            *ii += 1;
            *ii - 1
        }
    };
    for _ in 0..n - 1 {
        let a = pick(&weight, &mut li, &mut ii);
        let b = pick(&weight, &mut li, &mut ii);
        let w = weight.get(a).copied().unwrap_or(0) + weight.get(b).copied().unwrap_or(0);
        let id = weight.len();
        weight.push(w);
        if let Some(p) = parent.get_mut(a) {
            *p = id;
        }
        if let Some(p) = parent.get_mut(b) {
            *p = id;
        }
    }
    let root = 2 * n - 2;
    let mut depth = vec![0u32; 2 * n - 1];
    for i in (0..root).rev() {
        let d = parent.get(i).and_then(|&p| depth.get(p)).copied().unwrap_or(0) + 1;
        if let Some(slot) = depth.get_mut(i) {
            *slot = d;
        }
    }
    let mut lens: Vec<u32> = (0..n).map(|i| depth.get(i).copied().unwrap_or(0).min(limit)).collect();
    // Repair the Kraft sum after clamping: lengthen the longest codes
    // under the limit until the sum fits, then shorten to make it exact.
    let full = 1u64 << limit;
    let kraft = |lens: &[u32]| lens.iter().map(|&l| 1u64 << (limit - l)).sum::<u64>();
    let mut k = kraft(&lens);
    while k > full {
        // Leaves are sorted by count, so lower index = rarer symbol.
        if let Some(l) = lens.iter_mut().filter(|l| **l < limit).max_by_key(|l| **l) {
            k -= 1u64 << (limit - *l - 1);
            *l += 1;
        } else {
            break;
        }
    }
    while k < full {
        let deficit = full - k;
        let Some(l) =
            lens.iter_mut().rev().filter(|l| **l > 1 && (1u64 << (limit - **l)) <= deficit).max_by_key(|l| **l)
        else {
            break;
        };
        k += 1u64 << (limit - *l);
        *l -= 1;
    }
    for (&(_, s), &l) in leaves.iter().zip(&lens) {
        if let Some(slot) = lengths.get_mut(s) {
            *slot = l as u8;
        }
    }
    lengths
}

impl HufEncoder {
    /// A code for `counts`, or `None` when fewer than two symbols occur.
    pub(crate) fn build(counts: &[u32; 256]) -> Option<Self> {
        Self::from_lengths(code_lengths(counts, MAX_BITS))
    }

    /// The code a dictionary's transmitted weights describe.
    pub(crate) fn from_weights(weights: &[u8]) -> Option<Self> {
        let (all, max_bits) = complete_weights(weights).ok()?;
        let mut lengths = [0u8; 256];
        for (l, &w) in lengths.iter_mut().zip(&all) {
            *l = if w == 0 { 0 } else { (max_bits + 1 - u32::from(w)) as u8 };
        }
        Self::from_lengths(lengths)
    }

    fn from_lengths(lengths: [u8; 256]) -> Option<Self> {
        let max_bits = u32::from(lengths.iter().copied().max().unwrap_or(0));
        if max_bits == 0 {
            return None;
        }
        let last_symbol = lengths.iter().rposition(|&l| l > 0)?;
        // Assign codes exactly as the decoder fills its table: by weight
        // (short codes last), then by symbol.
        let mut rank_count = [0u32; 13];
        for &l in &lengths {
            if l > 0 {
                let w = max_bits + 1 - u32::from(l);
                if let Some(c) = rank_count.get_mut(w as usize) {
                    *c += 1;
                }
            }
        }
        let mut start = [0u32; 13];
        let mut pos = 0u32;
        for w in 1..=max_bits as usize {
            if let (Some(s), Some(&c)) = (start.get_mut(w), rank_count.get(w)) {
                *s = pos;
                pos += c << (w - 1);
            }
        }
        let mut codes = [0u16; 256];
        for (sym, &l) in lengths.iter().enumerate() {
            if l == 0 {
                continue;
            }
            let w = (max_bits + 1 - u32::from(l)) as usize;
            if let (Some(s), Some(c)) = (start.get_mut(w), codes.get_mut(sym)) {
                *c = (*s >> (w - 1)) as u16;
                *s += 1 << (w - 1);
            }
        }
        Some(Self { lengths, codes, max_bits, last_symbol })
    }

    /// Whether every symbol in `counts` has a code (for reusing a table).
    pub(crate) fn covers(&self, counts: &[u32; 256]) -> bool {
        counts.iter().zip(&self.lengths).all(|(&c, &l)| c == 0 || l > 0)
    }

    /// Estimated size in bytes of the literals coded with this table.
    pub(crate) fn cost(&self, counts: &[u32; 256]) -> usize {
        let bits: u64 = counts.iter().zip(&self.lengths).map(|(&c, &l)| u64::from(c) * u64::from(l)).sum();
        (bits / 8) as usize
    }

    fn weights(&self) -> Vec<u8> {
        (0..self.last_symbol)
            .map(|s| {
                let l = u32::from(self.lengths.get(s).copied().unwrap_or(0));
                if l == 0 { 0 } else { (self.max_bits + 1 - l) as u8 }
            })
            .collect()
    }

    /// Appends the tree description: FSE-compressed weights when that is
    /// smaller and decodes back identically, direct 4-bit weights otherwise.
    pub(crate) fn write_table(&self, out: &mut Vec<u8>) -> Option<()> {
        let weights = self.weights();
        if let Some(packed) = compress_weights(&weights)
            && (weights.len() > 128 || packed.len() < weights.len().div_ceil(2))
        {
            out.push(packed.len() as u8);
            out.extend_from_slice(&packed);
            return Some(());
        }
        if weights.len() > 128 {
            return None;
        }
        out.push((127 + weights.len()) as u8);
        for pair in weights.chunks(2) {
            let hi = pair.first().copied().unwrap_or(0);
            let lo = pair.get(1).copied().unwrap_or(0);
            out.push(hi << 4 | lo);
        }
        Some(())
    }

    /// Appends one stream coding `lits`.
    pub(crate) fn encode_stream(&self, lits: &[u8], out: &mut Vec<u8>) {
        let mut w = BackWriter::with_capacity(lits.len());
        for &b in lits.iter().rev() {
            let s = usize::from(b);
            let n = u32::from(self.lengths.get(s).copied().unwrap_or(0));
            w.write(u64::from(self.codes.get(s).copied().unwrap_or(0)), n);
        }
        out.extend_from_slice(&w.finish());
    }
}

/// FSE-compresses Huffman weights with two interleaved states; `None` when
/// not possible or not representable (checked by decoding it back).
fn compress_weights(weights: &[u8]) -> Option<Vec<u8>> {
    if weights.len() < 2 {
        return None;
    }
    let mut counts = [0u32; 13];
    for &w in weights {
        *counts.get_mut(usize::from(w))? += 1;
    }
    let used = counts.iter().rposition(|&c| c > 0)? + 1;
    if counts.iter().filter(|&&c| c > 0).count() < 2 {
        return None;
    }
    let (probs, log) = fse::normalize(counts.get(..used)?, 6);
    let table = CTable::build(&probs, log).ok()?;
    let mut out = Vec::new();
    fse::write_ncount(&probs, log, &mut out);
    let mut w = BackWriter::with_capacity(weights.len());
    let mut rev = weights.iter().rev().copied();
    let (mut st1, mut st2);
    if weights.len() % 2 == 1 {
        st1 = table.init_state(rev.next()?);
        st2 = table.init_state(rev.next()?);
        let (v, n, s) = table.encode(st1, rev.next()?);
        w.write(v, n);
        st1 = s;
    } else {
        st2 = table.init_state(rev.next()?);
        st1 = table.init_state(rev.next()?);
    }
    while let Some(a) = rev.next() {
        let (v, n, s) = table.encode(st2, a);
        w.write(v, n);
        st2 = s;
        let b = rev.next()?;
        let (v, n, s) = table.encode(st1, b);
        w.write(v, n);
        st1 = s;
    }
    let (v, n) = table.flush(st2);
    w.write(v, n);
    let (v, n) = table.flush(st1);
    w.write(v, n);
    out.extend_from_slice(&w.finish());
    if out.len() >= 128 {
        return None;
    }
    // The decoder stops on stream exhaustion; make sure it stops right.
    match fse_weights(&out) {
        Ok(back) if back == weights => Some(out),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_literals() {
        let text = b"the quick brown fox jumps over the lazy dog, again and again and again; zzz qqq";
        let mut data = Vec::new();
        for i in 0..40 {
            data.extend_from_slice(text);
            data.push(i as u8 * 6);
        }
        let mut counts = [0u32; 256];
        for &b in &data {
            counts[b as usize] += 1;
        }
        let enc = HufEncoder::build(&counts).unwrap();
        let mut out = Vec::new();
        enc.write_table(&mut out).unwrap();
        let table_len = out.len();
        enc.encode_stream(&data, &mut out);
        let (table, used) = read_table(&out).unwrap();
        assert_eq!(used, table_len);
        let mut back = vec![0u8; data.len()];
        table.decode_stream(&out[used..], &mut back).unwrap();
        assert_eq!(back, data);
    }

    #[test]
    fn rebuilt_tables_equal_fresh_ones() {
        // A long code first (stale entries past a later, shorter table's
        // live ones), then shorter and longer ones in turn.
        let mut slot = None;
        for (n, skew) in [(200usize, 9u32), (3, 1), (40, 3), (256, 6), (2, 1), (90, 12)] {
            let mut counts = [0u32; 256];
            for (s, c) in counts.iter_mut().take(n).enumerate() {
                *c = 1 + ((s as u32).wrapping_mul(2_654_435_761) >> (32 - skew.min(31)));
            }
            let enc = HufEncoder::build(&counts).unwrap();
            let mut desc = Vec::new();
            enc.write_table(&mut desc).unwrap();
            let used = read_table_into(&desc, &mut slot).unwrap();
            let (fresh, fresh_used) = read_table(&desc).unwrap();
            let t = slot.as_ref().unwrap();
            assert_eq!((used, t.max_bits), (fresh_used, fresh.max_bits));
            let live = 1usize << t.max_bits;
            let key = |e: &HEntry| (e.symbol, e.bits);
            assert!(t.entries[..live].iter().map(key).eq(fresh.entries[..live].iter().map(key)));
            // And it decodes what was encoded.
            let data: Vec<u8> = (0..3000u32).map(|i| (i.wrapping_mul(7919) % n as u32) as u8).collect();
            let mut stream = Vec::new();
            enc.encode_stream(&data, &mut stream);
            let mut back = vec![0u8; data.len()];
            t.decode_stream(&stream, &mut back).unwrap();
            assert_eq!(back, data);
        }
        // Bad weights leave the table as it was.
        let before = slot.as_ref().unwrap().max_bits;
        assert!(read_table_into(&[0x80 + 3, 0xff, 0xff], &mut slot).is_err());
        assert_eq!(slot.as_ref().unwrap().max_bits, before);
    }

    #[test]
    fn lengths_are_limited_and_complete() {
        let mut counts = [0u32; 256];
        let mut f = 1u32;
        for c in counts.iter_mut().take(30) {
            *c = f;
            f = f.saturating_mul(2).min(1 << 30);
        }
        let l = code_lengths(&counts, 11);
        assert!(l.iter().all(|&x| x <= 11));
        let k: u64 = l.iter().filter(|&&x| x > 0).map(|&x| 1u64 << (11 - x)).sum();
        assert_eq!(k, 1 << 11);
    }
}
