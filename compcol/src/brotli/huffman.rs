//! Prefix codes on the decoder side (RFC 7932 sections 3.1-3.5): the
//! canonical code built from code lengths, table-driven decoding, and the
//! simple and complex encodings of the code lengths.
//!
//! Entry points: [`Tree`], [`read_tree`]. A tree decodes codes up to
//! `ROOT_BITS` long with one table lookup and longer ones with the
//! canonical count walk, so the tables stay small (at most
//! 2^`ROOT_BITS` entries per tree) however many trees a meta-block has.

use super::bits::{Reader, Stop};
use super::tables::CODE_LENGTH_ORDER;
use alloc::vec;
use alloc::vec::Vec;

/// Longest code length the format allows.
pub(crate) const MAX_LEN: usize = 15;
/// Bits resolved by the first-level table.
const ROOT_BITS: u32 = 10;

/// A canonical prefix code ready for decoding.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    /// `symbol << 4 | length` for codes up to `bits` long, indexed by the
    /// next `bits` stream bits; 0 where a longer code starts.
    table: Vec<u32>,
    bits: u32,
    /// The one symbol of a one-symbol code (zero bits per symbol).
    single: Option<u16>,
    /// Codes per length and the symbols in canonical order, for codes
    /// longer than the table.
    counts: [u16; MAX_LEN + 1],
    sorted: Vec<u16>,
}

impl Tree {
    /// The one-symbol code for `symbol`.
    pub(crate) fn single(symbol: u16) -> Self {
        Self { single: Some(symbol), ..Self::default() }
    }

    /// The canonical code for `lengths` (0 = unused), which must be
    /// complete (checked by the callers).
    pub(crate) fn from_lengths(lengths: &[u8]) -> Self {
        let mut counts = [0u16; MAX_LEN + 1];
        let mut max = 0;
        for &l in lengths {
            if let Some(c) = counts.get_mut(usize::from(l)) {
                *c += 1;
            }
            max = max.max(u32::from(l));
        }
        counts[0] = 0;
        // offs[l]: where the symbols of length l start in `sorted`.
        let mut offs = [0usize; MAX_LEN + 2];
        let mut total = 0;
        for (l, &c) in counts.iter().enumerate() {
            if let Some(o) = offs.get_mut(l) {
                *o = total;
            }
            total += usize::from(c);
        }
        let mut sorted = vec![0u16; total];
        let mut next = offs;
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0
                && let Some(slot) = next.get_mut(usize::from(l))
            {
                if let Some(s) = sorted.get_mut(*slot) {
                    *s = sym as u16;
                }
                *slot += 1;
            }
        }
        let bits = max.min(ROOT_BITS);
        let mut table = vec![0u32; 1 << bits];
        let mut code: u32 = 0;
        let mut index = 0;
        for len in 1..=bits {
            for _ in 0..counts.get(len as usize).copied().unwrap_or(0) {
                let sym = u32::from(sorted.get(index).copied().unwrap_or(0));
                let rev = code.reverse_bits() >> (32 - len);
                let mut at = rev as usize;
                while at < table.len() {
                    if let Some(e) = table.get_mut(at) {
                        *e = (sym << 4) | len;
                    }
                    at += 1 << len;
                }
                code += 1;
                index += 1;
            }
            code <<= 1;
        }
        Self { table, bits, single: None, counts, sorted }
    }

    /// Decodes one symbol.
    #[inline]
    pub(crate) fn decode(&self, r: &mut Reader<'_>) -> Result<u16, Stop> {
        if let Some(s) = self.single {
            return Ok(s);
        }
        let (v, avail) = r.peek(MAX_LEN as u32);
        let entry = self.table.get((v & ((1 << self.bits) - 1)) as usize).copied().unwrap_or(0);
        let len = entry & 15;
        if len != 0 {
            if len > avail {
                return Err(Stop::Input);
            }
            r.consume(len);
            return Ok((entry >> 4) as u16);
        }
        // The canonical walk: one bit at a time, most significant first.
        let (mut code, mut first, mut index) = (0i32, 0i32, 0i32);
        for len in 1..=MAX_LEN as u32 {
            if len > avail {
                return Err(Stop::Input);
            }
            code |= ((v >> (len - 1)) & 1) as i32;
            let count = i32::from(self.counts.get(len as usize).copied().unwrap_or(0));
            if code - first < count {
                r.consume(len);
                return self
                    .sorted
                    .get((index + code - first) as usize)
                    .copied()
                    .ok_or(Stop::Corrupt("bad prefix code"));
            }
            index += count;
            first = (first + count) << 1;
            code <<= 1;
        }
        Err(Stop::Corrupt("invalid prefix code"))
    }
}

/// The number of bits a simple code spends per symbol of an alphabet of
/// `size` symbols.
fn alphabet_bits(size: usize) -> u32 {
    let mut b = 0;
    while (1usize << b) < size {
        b += 1;
    }
    b
}

/// The fixed code for code length code lengths: (value, length) for the
/// next 4 stream bits.
const CLCL_VALUE: [u8; 16] = [0, 4, 3, 2, 0, 4, 3, 1, 0, 4, 3, 2, 0, 4, 3, 5];
const CLCL_LEN: [u8; 16] = [2, 2, 2, 3, 2, 2, 2, 4, 2, 2, 2, 3, 2, 2, 2, 4];

/// Reads one prefix code over `size` symbols (section 3.2).
pub(crate) fn read_tree(r: &mut Reader<'_>, size: usize) -> Result<Tree, Stop> {
    let hskip = r.bits(2)?;
    if hskip == 1 {
        return read_simple(r, size);
    }
    let mut cl = [0u8; 18];
    let mut space: i32 = 32;
    let mut num = 0;
    for &sym in CODE_LENGTH_ORDER.iter().skip(hskip as usize) {
        let (v, avail) = r.peek(4);
        let i = (v & 15) as usize;
        let len = u32::from(CLCL_LEN.get(i).copied().unwrap_or(2));
        if len > avail {
            return Err(Stop::Input);
        }
        r.consume(len);
        let value = CLCL_VALUE.get(i).copied().unwrap_or(0);
        if let Some(c) = cl.get_mut(sym) {
            *c = value;
        }
        if value != 0 {
            space -= 32 >> value;
            num += 1;
            if space <= 0 {
                break;
            }
        }
    }
    if !(num == 1 || space == 0) {
        return Err(Stop::Corrupt("invalid code length code"));
    }
    let cl_tree = if num == 1 {
        Tree::single(cl.iter().position(|&l| l != 0).unwrap_or(0) as u16)
    } else {
        Tree::from_lengths(&cl)
    };
    let mut lengths = vec![0u8; size];
    let mut sym = 0;
    let mut space: i32 = 1 << 15;
    let mut prev_len: u8 = 8;
    let mut repeat: usize = 0;
    let mut repeat_len: u8 = 0;
    while sym < size && space > 0 {
        let code = cl_tree.decode(r)?;
        if code < 16 {
            repeat = 0;
            let l = code as u8;
            if let Some(x) = lengths.get_mut(sym) {
                *x = l;
            }
            sym += 1;
            if l != 0 {
                prev_len = l;
                space -= (1 << 15) >> l;
            }
        } else {
            let (extra_bits, new_len) = if code == 16 { (2, prev_len) } else { (3, 0) };
            let extra = r.bits(extra_bits)? as usize;
            if repeat_len != new_len {
                repeat = 0;
                repeat_len = new_len;
            }
            let old = repeat;
            if repeat > 0 {
                repeat = (repeat - 2) << extra_bits;
            }
            repeat += extra + 3;
            let delta = repeat - old;
            if sym + delta > size {
                return Err(Stop::Corrupt("code length repeat past the alphabet"));
            }
            for x in lengths.iter_mut().skip(sym).take(delta) {
                *x = new_len;
            }
            sym += delta;
            if new_len != 0 {
                space -= (delta as i32) * ((1 << 15) >> new_len);
            }
        }
    }
    if space != 0 {
        return Err(Stop::Corrupt("incomplete or over-subscribed prefix code"));
    }
    Ok(Tree::from_lengths(&lengths))
}

/// A simple prefix code: 1..=4 symbols listed explicitly (section 3.4).
fn read_simple(r: &mut Reader<'_>, size: usize) -> Result<Tree, Stop> {
    let nsym = r.bits(2)? as usize + 1;
    let bits = alphabet_bits(size);
    let mut syms = [0u16; 4];
    for i in 0..nsym {
        let s = r.bits(bits)? as usize;
        if s >= size {
            return Err(Stop::Corrupt("simple prefix code symbol outside the alphabet"));
        }
        if syms.iter().take(i).any(|&p| usize::from(p) == s) {
            return Err(Stop::Corrupt("repeated symbol in a simple prefix code"));
        }
        if let Some(x) = syms.get_mut(i) {
            *x = s as u16;
        }
    }
    let lens: &[u8] = match nsym {
        1 => return Ok(Tree::single(syms[0])),
        2 => &[1, 1],
        3 => &[1, 2, 2],
        _ => {
            if r.bits(1)? == 0 {
                &[2, 2, 2, 2]
            } else {
                &[1, 2, 3, 3]
            }
        }
    };
    let mut lengths = vec![0u8; size];
    for (&s, &l) in syms.iter().zip(lens) {
        if let Some(x) = lengths.get_mut(usize::from(s)) {
            *x = l;
        }
    }
    Ok(Tree::from_lengths(&lengths))
}
