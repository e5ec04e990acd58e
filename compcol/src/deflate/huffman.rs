//! Canonical Huffman decoding tables for the inflater.
//!
//! Entry point: [`build`]. A table is a primary array indexed by the next
//! `primary` input bits (LSB-first, as deflate packs codes), whose entries
//! are either final or point at a subtable indexed by the following bits.
//! Entry layout (`u32`): bits 0..4 code length to consume (the full length,
//! also inside subtables), 4..8 extra-bit count (or subtable index bits),
//! 8..11 kind, 16..32 value (literal, length/distance base, subtable start).

use alloc::vec::Vec;

/// A literal byte; value = the byte.
pub(crate) const K_LIT: u32 = 0;
/// A match length; value = base length, extra = extra bits.
pub(crate) const K_LEN: u32 = 1;
/// End of block.
pub(crate) const K_EOB: u32 = 2;
/// Pointer to a subtable; value = start, extra = index bits.
pub(crate) const K_SUB: u32 = 3;
/// A code that must not occur (unused pattern, symbols 286/287, 30/31).
pub(crate) const K_BAD: u32 = 4;
/// A distance; value = base distance, extra = extra bits.
pub(crate) const K_DIST: u32 = 5;

/// Base match length for symbols 257..=285.
pub(crate) const LEN_BASE: [u16; 29] =
    [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
/// Extra bits for symbols 257..=285.
pub(crate) const LEN_EXTRA: [u8; 29] =
    [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
/// Base distance for distance symbols 0..=29.
pub(crate) const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
    8193, 12289, 16385, 24577,
];
/// Extra bits for distance symbols 0..=29.
pub(crate) const DIST_EXTRA: [u8; 30] =
    [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];

/// Packs an entry.
#[inline(always)]
pub(crate) const fn entry(len: u32, extra: u32, kind: u32, value: u32) -> u32 {
    len | (extra << 4) | (kind << 8) | (value << 16)
}
/// Bits to consume.
#[inline(always)]
pub(crate) const fn e_len(e: u32) -> u32 {
    e & 0xf
}
/// Extra bits (or subtable index bits).
#[inline(always)]
pub(crate) const fn e_extra(e: u32) -> u32 {
    (e >> 4) & 0xf
}
/// The entry's kind (`K_*`).
#[inline(always)]
pub(crate) const fn e_kind(e: u32) -> u32 {
    (e >> 8) & 0x7
}
/// The entry's value.
#[inline(always)]
pub(crate) const fn e_val(e: u32) -> u32 {
    e >> 16
}

/// An entry for an impossible bit pattern: consumes nothing, fails at once.
const BAD: u32 = entry(0, 0, K_BAD, 0);

/// Which alphabet a table decodes (decides what each symbol means and
/// whether an incomplete code is acceptable).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Alphabet {
    /// The code-length code (symbols 0..=18); must be complete.
    CodeLengths,
    /// Literal/length symbols 0..=287.
    LitLen,
    /// Distance symbols 0..=31.
    Dist,
}

fn symbol_entry(alphabet: Alphabet, sym: usize, len: u32) -> u32 {
    match alphabet {
        Alphabet::CodeLengths => entry(len, 0, K_LIT, sym as u32),
        Alphabet::LitLen => match sym {
            0..=255 => entry(len, 0, K_LIT, sym as u32),
            256 => entry(len, 0, K_EOB, 0),
            _ => match (LEN_BASE.get(sym - 257), LEN_EXTRA.get(sym - 257)) {
                (Some(&b), Some(&x)) => entry(len, u32::from(x), K_LEN, u32::from(b)),
                _ => entry(len, 0, K_BAD, 0),
            },
        },
        Alphabet::Dist => match (DIST_BASE.get(sym), DIST_EXTRA.get(sym)) {
            (Some(&b), Some(&x)) => entry(len, u32::from(x), K_DIST, u32::from(b)),
            _ => entry(len, 0, K_BAD, 0),
        },
    }
}

/// Why a set of code lengths does not form a usable prefix code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableError {
    /// More codes than the code space holds.
    OverSubscribed,
    /// Code space left unused (allowed only for a single 1-bit code).
    Incomplete,
}

/// Builds the decoding table for code lengths `lens` (each 0..=15) into
/// `table`, with a primary index of `primary` bits.
// Bounds: `count` (16) and `offs` (17) are indexed by lengths 1..16 only.
#[allow(clippy::indexing_slicing)]
pub(crate) fn build(lens: &[u8], primary: u32, alphabet: Alphabet, table: &mut Vec<u32>) -> Result<(), TableError> {
    let mut count = [0u16; 16];
    for &l in lens {
        if let Some(c) = count.get_mut(usize::from(l & 15)) {
            *c += 1;
        }
    }
    count[0] = 0;
    let mut left: i32 = 1;
    for &c in count.iter().skip(1) {
        left = (left << 1) - i32::from(c);
        if left < 0 {
            return Err(TableError::OverSubscribed);
        }
    }
    let max = (1..16).rev().find(|&l| count[l] != 0).unwrap_or(0) as u32;
    // A single 1-bit code (or no code at all for distances) is the one
    // incomplete code RFC 1951 streams legitimately carry.
    if left > 0 && (alphabet == Alphabet::CodeLengths || max > 1) {
        return Err(TableError::Incomplete);
    }
    table.clear();
    table.resize(1 << primary, BAD);
    if max == 0 {
        return Ok(());
    }
    // Symbols sorted by (length, symbol): canonical code order.
    let mut offs = [0u16; 17];
    for l in 1..16 {
        offs[l + 1] = offs[l] + count[l];
    }
    let mut sorted = [0u16; 320];
    for (sym, &l) in lens.iter().enumerate() {
        let l = usize::from(l & 15);
        if l != 0
            && let Some(slot) = offs.get_mut(l)
        {
            if let Some(s) = sorted.get_mut(usize::from(*slot)) {
                *s = sym as u16;
            }
            *slot += 1;
        }
    }
    let used = usize::from(offs[16]);
    let mut remaining = count;
    let pmask = (1u32 << primary) - 1;
    let mut code: u32 = 0;
    let mut cur_prefix = u32::MAX;
    let mut cur_start = 0usize;
    let mut cur_bits = 0u32;
    for i in 0..used {
        let sym = usize::from(sorted.get(i).copied().unwrap_or(0));
        let len = u32::from(lens.get(sym).copied().unwrap_or(0) & 15);
        let rev = code.reverse_bits() >> (32 - len);
        let e = symbol_entry(alphabet, sym, len);
        if len <= primary {
            let mut j = rev as usize;
            while let Some(slot) = table.get_mut(j) {
                *slot = e;
                j += 1 << len;
            }
        } else {
            let prefix = rev & pmask;
            if prefix != cur_prefix {
                let mut bits = len - primary;
                let mut room: i32 = 1 << bits;
                while bits + primary < max {
                    room -= i32::from(remaining.get((bits + primary) as usize).copied().unwrap_or(0));
                    if room <= 0 {
                        break;
                    }
                    bits += 1;
                    room <<= 1;
                }
                cur_start = table.len();
                table.resize(cur_start + (1 << bits), BAD);
                if let Some(slot) = table.get_mut(prefix as usize) {
                    *slot = entry(primary, bits, K_SUB, cur_start as u32);
                }
                cur_prefix = prefix;
                cur_bits = bits;
            }
            let mut j = (rev >> primary) as usize;
            while j < 1 << cur_bits {
                if let Some(slot) = table.get_mut(cur_start + j) {
                    *slot = e;
                }
                j += 1 << (len - primary);
            }
        }
        if let Some(r) = remaining.get_mut(len as usize) {
            *r -= 1;
        }
        code += 1;
        let next_len = sorted.get(i + 1).and_then(|&s| lens.get(usize::from(s))).map_or(len, |&l| u32::from(l & 15));
        if next_len > len {
            code <<= next_len - len;
        }
    }
    Ok(())
}

/// Looks up the entry for the low bits of `bits`, following a subtable.
#[inline(always)]
pub(crate) fn lookup(table: &[u32], primary: u32, bits: u64) -> u32 {
    let e = table.get((bits & ((1 << primary) - 1)) as usize).copied().unwrap_or(BAD);
    if e_kind(e) != K_SUB {
        return e;
    }
    let idx = e_val(e) as usize + ((bits >> primary) as usize & ((1 << e_extra(e)) - 1));
    table.get(idx).copied().unwrap_or(BAD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_over_subscribed_and_incomplete() {
        let mut t = Vec::new();
        assert_eq!(build(&[1, 1, 1], 9, Alphabet::LitLen, &mut t), Err(TableError::OverSubscribed));
        assert_eq!(build(&[2, 2, 2], 9, Alphabet::LitLen, &mut t), Err(TableError::Incomplete));
        assert_eq!(build(&[1], 7, Alphabet::CodeLengths, &mut t), Err(TableError::Incomplete));
        assert_eq!(build(&[1], 8, Alphabet::Dist, &mut t), Ok(()));
        assert_eq!(build(&[0, 0], 8, Alphabet::Dist, &mut t), Ok(()));
    }

    #[test]
    fn long_codes_go_through_subtables() {
        // Lengths 1, 2, ..., 14, 15, 15: a complete code reaching 15 bits.
        let mut lens = [0u8; 16];
        for (i, l) in lens.iter_mut().enumerate() {
            *l = (i + 1).min(15) as u8;
        }
        let mut t = Vec::new();
        build(&lens, 9, Alphabet::LitLen, &mut t).unwrap();
        // Symbol 15 has code 111111111111111 (15 ones); symbol 14 ends in 0.
        let e = lookup(&t, 9, 0x7fff);
        assert_eq!((e_len(e), e_kind(e), e_val(e)), (15, K_LIT, 15));
        let e = lookup(&t, 9, 0x3fff);
        assert_eq!((e_len(e), e_kind(e), e_val(e)), (15, K_LIT, 14));
        let e = lookup(&t, 9, 0b0);
        assert_eq!((e_len(e), e_val(e)), (1, 0));
    }
}
