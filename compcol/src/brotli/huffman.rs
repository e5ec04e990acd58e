//! Prefix codes on the decoder side (RFC 7932 sections 3.1-3.5): the
//! canonical code built from code lengths, table-driven decoding, and the
//! simple and complex encodings of the code lengths.
//!
//! Entry points: [`Tree`], [`read_tree`]. A tree decodes a symbol with
//! one lookup in a root table indexed by the next `ROOT_BITS` (or fewer)
//! bits, and codes longer than that with a second lookup in a subtable
//! the root entry links to, so both the careful and the fast decoder
//! path spend at most two table reads per symbol.

use super::bits::{Reader, Stop};
use super::tables::CODE_LENGTH_ORDER;
use alloc::vec;
use alloc::vec::Vec;

/// Longest code length the format allows.
pub(crate) const MAX_LEN: usize = 15;
/// Bits resolved by the root table (every tree's root has `1 << ROOT_BITS`
/// entries, so tables can sit back to back with a fixed index mask).
pub(crate) const ROOT_BITS: u32 = 8;
/// Entry flag: the entry links to a subtable.
const LINK: u32 = 1 << 5;

/// A canonical prefix code ready for decoding.
///
/// `table` entries: for a symbol, `symbol << 16 | length` (length
/// 0..=15, 0 only for a one-symbol code); for a link,
/// `offset << 16 | sub_bits << 8 | LINK`, the subtable being
/// `table[offset..offset + (1 << sub_bits)]`, indexed by the bits after
/// the first `ROOT_BITS`, holding symbol entries with their full length.
/// Offsets are relative to the table's start, so tables can be
/// concatenated (see [`lookup`]). `table.len() >= 1 << ROOT_BITS`, except
/// for the empty default tree, which is never decoded with.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tree {
    table: Vec<u32>,
}

/// The entry for the stream bits `v` (at least the code's length of them
/// real) in the tree whose table starts at `table[at]`.
#[inline]
pub(crate) fn lookup(table: &[u32], at: usize, v: u32) -> u32 {
    let e = table.get(at + (v & ((1 << ROOT_BITS) - 1)) as usize).copied().unwrap_or(0);
    if e & LINK == 0 {
        return e;
    }
    let sub = (v >> ROOT_BITS) & ((1 << ((e >> 8) & 15)) - 1);
    table.get(at + (e >> 16) as usize + sub as usize).copied().unwrap_or(0)
}

/// Calls `f(symbol, length, code)` for each code of the canonical prefix
/// code with `counts[l]` codes of length `l`, `sorted` holding the symbols
/// by length then value; `code` is bit-reversed (stream order, first bit
/// in bit 0).
fn each_code(sorted: &[u16], counts: &[u16; MAX_LEN + 1], mut f: impl FnMut(u32, u32, u32)) {
    let mut code: u32 = 0;
    let mut syms = sorted.iter();
    for len in 1..=MAX_LEN as u32 {
        for _ in 0..counts.get(len as usize).copied().unwrap_or(0) {
            let sym = u32::from(syms.next().copied().unwrap_or(0));
            f(sym, len, code.reverse_bits() >> (32 - len));
            code += 1;
        }
        code <<= 1;
    }
}

impl Tree {
    /// The one-symbol code for `symbol`.
    pub(crate) fn single(symbol: u16) -> Self {
        Self { table: vec![u32::from(symbol) << 16; 1 << ROOT_BITS] }
    }

    /// The canonical code for `lengths` (0 = unused), which must be
    /// complete (checked by the callers).
    pub(crate) fn from_lengths(lengths: &[u8]) -> Self {
        let mut counts = [0u16; MAX_LEN + 1];
        for &l in lengths {
            if let Some(c) = counts.get_mut(usize::from(l)) {
                *c += 1;
            }
        }
        counts[0] = 0;
        // The used symbols by length, then value.
        let mut offs = [0usize; MAX_LEN + 1];
        let mut total = 0;
        for (o, &c) in offs.iter_mut().zip(&counts) {
            *o = total;
            total += usize::from(c);
        }
        let mut sorted = vec![0u16; total];
        for (sym, &l) in lengths.iter().enumerate() {
            if l != 0
                && let Some(slot) = offs.get_mut(usize::from(l))
            {
                if let Some(s) = sorted.get_mut(*slot) {
                    *s = sym as u16;
                }
                *slot += 1;
            }
        }
        let bits = ROOT_BITS;
        let root = 1usize << bits;
        // The longest code behind each root slot, then one subtable per
        // slot that has codes longer than the root.
        let mut longest = [0u8; 1 << ROOT_BITS];
        each_code(&sorted, &counts, |_, len, rev| {
            if len > bits
                && let Some(m) = longest.get_mut(rev as usize & (root - 1))
            {
                *m = (*m).max(len as u8);
            }
        });
        let mut table = vec![0u32; root];
        for (slot, &m) in longest.iter().enumerate().take(root) {
            if m != 0 {
                let sub = u32::from(m) - bits;
                let offset = table.len() as u32;
                table.resize(table.len() + (1 << sub), 0);
                if let Some(e) = table.get_mut(slot) {
                    *e = (offset << 16) | (sub << 8) | LINK;
                }
            }
        }
        each_code(&sorted, &counts, |sym, len, rev| {
            let entry = (sym << 16) | len;
            let (start, size, step, index) = if len <= bits {
                (0, root, 1usize << len, rev as usize)
            } else {
                let link = table.get(rev as usize & (root - 1)).copied().unwrap_or(0);
                let sub = (link >> 8) & 15;
                ((link >> 16) as usize, 1usize << sub, 1usize << (len - bits), (rev >> bits) as usize)
            };
            let mut at = index;
            while at < size {
                if let Some(e) = table.get_mut(start + at) {
                    *e = entry;
                }
                at += step;
            }
        });
        Self { table }
    }

    /// The decoding table (see the type's comment).
    pub(crate) fn table(&self) -> &[u32] {
        &self.table
    }

    #[inline]
    fn lookup(&self, v: u32) -> u32 {
        lookup(&self.table, 0, v)
    }

    /// Decodes one symbol.
    #[inline]
    pub(crate) fn decode(&self, r: &mut Reader<'_>) -> Result<u16, Stop> {
        let (v, avail) = r.peek(MAX_LEN as u32);
        let e = self.lookup(v);
        let len = e & 31;
        if len > avail {
            return Err(Stop::Input);
        }
        r.consume(len);
        Ok((e >> 16) as u16)
    }

    /// Decodes one symbol when the reader holds at least [`MAX_LEN`]
    /// bits (the fast path refills first).
    #[inline]
    pub(crate) fn decode_fast(&self, r: &mut Reader<'_>) -> u16 {
        let e = self.lookup(r.peek_word());
        r.skip(e & 31);
        (e >> 16) as u16
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
