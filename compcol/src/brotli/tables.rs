//! Fixed tables of RFC 7932: length codes (section 5), block counts
//! (section 6), context lookup (section 7.1), code-length order (3.5).
//!
//! Entry points: [`INSERT_CODES`], [`COPY_CODES`], [`BLOCK_COUNT_CODES`],
//! [`command_cell`], [`literal_context`].

/// (base, extra bits) of the 24 insert length codes.
#[rustfmt::skip]
pub(crate) const INSERT_CODES: [(u32, u8); 24] = [
    (0, 0), (1, 0), (2, 0), (3, 0), (4, 0), (5, 0), (6, 1), (8, 1),
    (10, 2), (14, 2), (18, 3), (26, 3), (34, 4), (50, 4), (66, 5), (98, 5),
    (130, 6), (194, 7), (322, 8), (578, 9), (1090, 10), (2114, 12), (6210, 14), (22594, 24),
];

/// (base, extra bits) of the 24 copy length codes.
#[rustfmt::skip]
pub(crate) const COPY_CODES: [(u32, u8); 24] = [
    (2, 0), (3, 0), (4, 0), (5, 0), (6, 0), (7, 0), (8, 0), (9, 0),
    (10, 1), (12, 1), (14, 2), (18, 2), (22, 3), (30, 3), (38, 4), (54, 4),
    (70, 5), (102, 5), (134, 6), (198, 7), (326, 8), (582, 9), (1094, 10), (2118, 24),
];

/// (base, extra bits) of the 26 block count codes.
#[rustfmt::skip]
pub(crate) const BLOCK_COUNT_CODES: [(u32, u8); 26] = [
    (1, 2), (5, 2), (9, 2), (13, 2), (17, 3), (25, 3), (33, 3), (41, 3),
    (49, 4), (65, 4), (81, 4), (97, 4), (113, 5), (145, 5), (177, 5), (209, 5),
    (241, 6), (305, 6), (369, 7), (497, 8), (753, 9), (1265, 10), (2289, 11), (4337, 12),
    (8433, 13), (16625, 24),
];

/// The insert-and-copy cells (section 5): for `code >> 6`, the first
/// insert code, the first copy code and whether the distance is the
/// implicit "last distance".
pub(crate) const CELLS: [(u8, u8, bool); 11] = [
    (0, 0, true),
    (0, 8, true),
    (0, 0, false),
    (0, 8, false),
    (8, 0, false),
    (8, 8, false),
    (0, 16, false),
    (16, 0, false),
    (8, 16, false),
    (16, 8, false),
    (16, 16, false),
];

/// Splits a command symbol into (insert code, copy code, implicit
/// distance).
pub(crate) fn command_cell(symbol: u16) -> (usize, usize, bool) {
    let (ins, copy, implicit) = CELLS.get(usize::from(symbol >> 6)).copied().unwrap_or((0, 0, false));
    (usize::from(ins) + usize::from((symbol >> 3) & 7), usize::from(copy) + usize::from(symbol & 7), implicit)
}

/// One insert-and-copy command symbol, decoded: the insert and copy
/// length bases and extra bit counts, and whether the distance is the
/// implicit "last distance".
#[derive(Debug, Clone, Copy)]
pub(crate) struct Command {
    pub(crate) insert_base: u32,
    pub(crate) copy_base: u32,
    pub(crate) insert_bits: u8,
    pub(crate) copy_bits: u8,
    pub(crate) implicit: bool,
}

/// [`Command`] for each of the 704 command symbols (the decoder's fast
/// path reads this instead of [`command_cell`] and two code tables).
pub(crate) static COMMANDS: [Command; 704] = commands();

#[allow(clippy::indexing_slicing)] // const evaluation: out of range fails the build
const fn commands() -> [Command; 704] {
    let mut out = [Command { insert_base: 0, copy_base: 0, insert_bits: 0, copy_bits: 0, implicit: false }; 704];
    let mut sym = 0;
    while sym < 704 {
        let (ins, copy, implicit) = CELLS[sym >> 6];
        let ic = ins as usize + ((sym >> 3) & 7);
        let cc = copy as usize + (sym & 7);
        out[sym] = Command {
            insert_base: INSERT_CODES[ic].0,
            copy_base: COPY_CODES[cc].0,
            insert_bits: INSERT_CODES[ic].1,
            copy_bits: COPY_CODES[cc].1,
            implicit,
        };
        sym += 1;
    }
    out
}

/// The order code length code lengths are stored in (section 3.5).
pub(crate) const CODE_LENGTH_ORDER: [usize; 18] = [1, 2, 3, 4, 0, 5, 17, 6, 16, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/// RFC 7932 section 7.1 `Lut0`: the UTF-8 context of the last byte.
#[rustfmt::skip]
pub(crate) static UTF8_LUT0: [u8; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    8, 12, 16, 12, 12, 20, 12, 16, 24, 28, 12, 12, 32, 12, 36, 12, 44, 44, 44, 44, 44, 44, 44, 44, 44, 44, 32, 32, 24, 40, 28, 12,
    12, 48, 52, 52, 52, 48, 52, 52, 52, 48, 52, 52, 52, 52, 52, 48, 52, 52, 52, 52, 52, 48, 52, 52, 52, 52, 52, 24, 12, 28, 12, 12,
    12, 56, 60, 60, 60, 56, 60, 60, 60, 56, 60, 60, 60, 60, 60, 56, 60, 60, 60, 60, 60, 56, 60, 60, 60, 60, 60, 24, 12, 28, 12, 0,
    0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
    0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1,
    2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3,
    2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3, 2, 3,
];

/// RFC 7932 section 7.1 `Lut1`: the UTF-8 context of the byte before it.
#[rustfmt::skip]
pub(crate) static UTF8_LUT1: [u8; 256] = [
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1,
    1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 1, 1, 1, 1, 1,
    1, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 1, 1, 1, 1, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
];

/// RFC 7932 section 7.1 `Lut2`, the signed context of a byte: ranges of
/// byte values mapped to 0..=7.
const fn signed(b: u8) -> u8 {
    match b {
        0 => 0,
        1..=15 => 1,
        16..=63 => 2,
        64..=127 => 3,
        128..=191 => 4,
        192..=239 => 5,
        240..=254 => 6,
        255 => 7,
    }
}

/// [`signed`] for every byte value (a table lookup instead of a chain of
/// range compares in the literal loop).
static SIGNED_LUT: [u8; 256] = signed_lut();

#[allow(clippy::indexing_slicing)] // const evaluation: out of range fails the build
const fn signed_lut() -> [u8; 256] {
    let mut out = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        out[b] = signed(b as u8);
        b += 1;
    }
    out
}

/// The literal context id (0..64) for context `mode` (0 LSB6, 1 MSB6,
/// 2 UTF8, 3 signed) of the last two bytes `p1`, `p2`.
#[inline]
pub(crate) fn literal_context(mode: u8, p1: u8, p2: u8) -> usize {
    match mode {
        0 => usize::from(p1 & 0x3f),
        1 => usize::from(p1 >> 2),
        2 => usize::from(
            UTF8_LUT0.get(usize::from(p1)).copied().unwrap_or(0) | UTF8_LUT1.get(usize::from(p2)).copied().unwrap_or(0),
        ),
        _ => usize::from(
            (SIGNED_LUT.get(usize::from(p1)).copied().unwrap_or(0) << 3)
                | SIGNED_LUT.get(usize::from(p2)).copied().unwrap_or(0),
        ),
    }
}
