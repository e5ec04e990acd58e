//! The HPACK Huffman code (RFC 7541 §5.2, Appendix B).
//!
//! Entry points: [`encode`], [`encoded_len`] and [`decode`]. The code is
//! canonical (codes of one length are consecutive in symbol order, shorter
//! codes first), so the table is stored as the 257 code lengths of
//! Appendix B and the codes are derived at compile time; the unit tests
//! check the derived codes against Appendix B's hex column.

use super::hpack::HpackError;

/// Bits per symbol (0..=255, then EOS = 256), RFC 7541 Appendix B.
const LENGTHS: [u8; 257] = [
    13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28,
    28, 28, 28, 6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12,
    10, 13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, 15, 5, 6,
    5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, 6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, 20, 22, 20, 20, 22, 22,
    22, 23, 22, 23, 23, 23, 23, 23, 24, 23, 24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, 22, 21, 20,
    22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, 21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
    26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, 19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28,
    27, 27, 27, 20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, 26, 27, 26, 26, 27, 27, 27, 27, 27, 28,
    27, 27, 27, 27, 27, 26, 30,
];

/// The longest code (EOS and a few control bytes).
const MAX_LEN: usize = 30;

/// The end-of-string symbol, which must never appear in a decoded string.
const EOS: u16 = 256;

/// Canonical code tables, derived once from [`LENGTHS`].
struct Tables {
    /// The code of each symbol, right-aligned.
    codes: [u32; 257],
    /// Symbols sorted by (length, value).
    sorted: [u16; 257],
    /// Per length: the first code of that length.
    first: [u32; MAX_LEN + 1],
    /// Per length: how many codes have that length.
    count: [u32; MAX_LEN + 1],
    /// Per length: where its symbols start in `sorted`.
    offset: [u32; MAX_LEN + 1],
}

// Indices below run over the arrays' own bounds (lengths are 5..=30 by
// construction of LENGTHS, checked by a test).
#[allow(clippy::indexing_slicing)]
const fn build() -> Tables {
    let mut t = Tables {
        codes: [0; 257],
        sorted: [0; 257],
        first: [0; MAX_LEN + 1],
        count: [0; MAX_LEN + 1],
        offset: [0; MAX_LEN + 1],
    };
    let mut code: u32 = 0;
    let mut n = 0;
    let mut len = 1;
    while len <= MAX_LEN {
        code <<= 1;
        t.first[len] = code;
        t.offset[len] = n as u32;
        let mut sym = 0;
        while sym < 257 {
            if LENGTHS[sym] as usize == len {
                t.codes[sym] = code;
                t.sorted[n] = sym as u16;
                n += 1;
                code += 1;
                t.count[len] += 1;
            }
            sym += 1;
        }
        len += 1;
    }
    t
}

static TABLES: Tables = build();

fn code_of(byte: u8) -> (u32, u32) {
    let i = usize::from(byte);
    let len = LENGTHS.get(i).copied().unwrap_or(0);
    (TABLES.codes.get(i).copied().unwrap_or(0), u32::from(len))
}

/// The length in bytes of `data` once Huffman-encoded.
pub(crate) fn encoded_len(data: &[u8]) -> usize {
    let bits: usize = data.iter().map(|&b| code_of(b).1 as usize).sum();
    bits.div_ceil(8)
}

/// Appends the Huffman encoding of `data`, padded with the EOS prefix (ones).
pub(crate) fn encode(data: &[u8], out: &mut Vec<u8>) {
    let mut acc: u64 = 0;
    let mut bits: u32 = 0;
    for &b in data {
        let (code, len) = code_of(b);
        acc = (acc << len) | u64::from(code);
        bits += len;
        while bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
        acc &= (1u64 << bits) - 1;
    }
    if bits > 0 {
        let pad = 8 - bits;
        out.push(((acc << pad) | ((1u64 << pad) - 1)) as u8);
    }
}

/// Decodes a Huffman-encoded string, appending at most `max` bytes to
/// `out`. Refuses EOS inside the string, padding longer than 7 bits or
/// padding that is not the EOS prefix (RFC 7541 §5.2).
pub(crate) fn decode(data: &[u8], out: &mut Vec<u8>, max: usize) -> Result<(), HpackError> {
    let start = out.len();
    let mut code: u32 = 0;
    let mut len: usize = 0;
    for &byte in data {
        for shift in (0..8).rev() {
            code = (code << 1) | u32::from((byte >> shift) & 1);
            len += 1;
            let (Some(&first), Some(&count), Some(&offset)) =
                (TABLES.first.get(len), TABLES.count.get(len), TABLES.offset.get(len))
            else {
                return Err(HpackError::Huffman);
            };
            let rel = code.wrapping_sub(first);
            if code >= first && rel < count {
                let sym = TABLES.sorted.get((offset + rel) as usize).copied().ok_or(HpackError::Huffman)?;
                if sym == EOS {
                    return Err(HpackError::Huffman);
                }
                if out.len() - start >= max {
                    return Err(HpackError::StringTooLong);
                }
                out.push(sym as u8);
                code = 0;
                len = 0;
            }
        }
    }
    // What is left must be a short run of ones (a prefix of EOS).
    if len > 7 || code != (1u32 << len) - 1 {
        return Err(HpackError::Huffman);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_codes_match_appendix_b() {
        // (symbol, code as hex, length) from RFC 7541 Appendix B, at least
        // one per code length.
        let rows: &[(usize, u32, u8)] = &[
            (0, 0x1ff8, 13),
            (1, 0x7f_ffd8, 23),
            (9, 0xff_ffea, 24),
            (10, 0x3fff_fffc, 30),
            (22, 0x3fff_fffe, 30),
            (31, 0xfff_fffb, 28),
            (b' ' as usize, 0x14, 6),
            (b'!' as usize, 0x3f8, 10),
            (b'\'' as usize, 0x7fa, 11),
            (b'#' as usize, 0xffa, 12),
            (b'^' as usize, 0x3ffc, 14),
            (b'<' as usize, 0x7ffc, 15),
            (b'\\' as usize, 0x7fff0, 19),
            (b'X' as usize, 0xfc, 8),
            (b'z' as usize, 0x7b, 7),
            (b't' as usize, 0x9, 5),
            (128, 0xf_ffe6, 20),
            (153, 0x1f_ffdc, 21),
            (129, 0x3f_ffd2, 22),
            (199, 0x1ff_ffec, 25),
            (192, 0x3ff_ffe0, 26),
            (203, 0x7ff_ffde, 27),
            (220, 0xfff_fffd, 28),
            (254, 0x7ff_fff0, 27),
            (255, 0x3ff_ffee, 26),
            (256, 0x3fff_ffff, 30),
        ];
        for &(sym, code, len) in rows {
            assert_eq!((TABLES.codes[sym], LENGTHS[sym]), (code, len), "symbol {sym}");
        }
        assert!(LENGTHS.iter().all(|&l| (5..=30).contains(&l)));
    }

    #[test]
    fn round_trip_every_byte() {
        let all: Vec<u8> = (0..=255).collect();
        let mut enc = Vec::new();
        encode(&all, &mut enc);
        assert_eq!(enc.len(), encoded_len(&all));
        let mut dec = Vec::new();
        decode(&enc, &mut dec, usize::MAX).unwrap();
        assert_eq!(dec, all);
    }

    #[test]
    fn bad_padding_and_eos_are_refused() {
        // "a" is 00011; padded with zeros instead of ones.
        assert_eq!(decode(&[0b0001_1000], &mut Vec::new(), 10), Err(HpackError::Huffman));
        // Eight bits of padding (a whole 0xff byte after a full code).
        assert_eq!(decode(&[0b0001_1111, 0xff], &mut Vec::new(), 10), Err(HpackError::Huffman));
        // EOS itself.
        assert_eq!(decode(&[0xff, 0xff, 0xff, 0xff], &mut Vec::new(), 10), Err(HpackError::Huffman));
        assert_eq!(decode(b"\x1f", &mut Vec::new(), 10), Ok(()));
        let mut enc = Vec::new();
        encode(b"abc", &mut enc);
        assert_eq!(decode(&enc, &mut Vec::new(), 2), Err(HpackError::StringTooLong));
    }
}
