//! The static dictionary and its 121 word transforms (RFC 7932 section 8,
//! Appendices A and B): what a distance reaching past the window means.
//!
//! Entry point: [`word`], which turns a copy length and a dictionary word
//! id into the transformed bytes. `dictionary.bin` is the RFC's Appendix A
//! `DICT` array (122,784 bytes), extracted byte for byte from Debian's
//! libbrotlicommon 1.0.9 and checked against the SHA-256 published for it
//! (see `DICTIONARY_SHA256` and the test in `brotli/tests.rs`). The
//! transform list is Appendix B, in its order.

/// RFC 7932 Appendix A: the dictionary words, grouped by length 4..=24.
pub(crate) static DICTIONARY: &[u8; 122_784] = include_bytes!("dictionary.bin");

/// SHA-256 of [`DICTIONARY`] as published for the RFC 7932 dictionary.
#[cfg(test)]
pub(crate) const DICTIONARY_SHA256: &str = "20e42eb1b511c21806d4d227d07e5dd06877d8ce7b3a817f378f313653f35c70";

/// `NDBITS[length]`: log2 of the number of words of each length (0 = no
/// words of that length).
pub(crate) const NDBITS: [u8; 25] =
    [0, 0, 0, 0, 10, 10, 11, 11, 10, 10, 10, 10, 10, 9, 9, 8, 7, 7, 8, 7, 7, 6, 6, 5, 5];

/// `DOFFSET[length]`: where the words of each length start.
pub(crate) const DOFFSET: [u32; 25] = offsets();

#[allow(clippy::indexing_slicing)] // const evaluation: out of range fails the build
const fn offsets() -> [u32; 25] {
    let mut out = [0u32; 25];
    let mut len = 4;
    let mut at = 0u32;
    while len < 25 {
        out[len] = at;
        at += (len as u32) << NDBITS[len];
        len += 1;
    }
    out
}

/// The elementary transforms of Appendix B.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Identity,
    OmitLast(u8),
    OmitFirst(u8),
    UppercaseFirst,
    UppercaseAll,
}

/// The number of transforms (Appendix B).
pub(crate) const TRANSFORMS: usize = 121;

/// Appendix B: (prefix, transform, suffix) for each transform id.
#[rustfmt::skip]
static TRANSFORM_LIST: [(&[u8], Kind, &[u8]); TRANSFORMS] = [
    (b"", Kind::Identity, b""), // 0
    (b"", Kind::Identity, b" "), // 1
    (b" ", Kind::Identity, b" "), // 2
    (b"", Kind::OmitFirst(1), b""), // 3
    (b"", Kind::UppercaseFirst, b" "), // 4
    (b"", Kind::Identity, b" the "), // 5
    (b" ", Kind::Identity, b""), // 6
    (b"s ", Kind::Identity, b" "), // 7
    (b"", Kind::Identity, b" of "), // 8
    (b"", Kind::UppercaseFirst, b""), // 9
    (b"", Kind::Identity, b" and "), // 10
    (b"", Kind::OmitFirst(2), b""), // 11
    (b"", Kind::OmitLast(1), b""), // 12
    (b", ", Kind::Identity, b" "), // 13
    (b"", Kind::Identity, b", "), // 14
    (b" ", Kind::UppercaseFirst, b" "), // 15
    (b"", Kind::Identity, b" in "), // 16
    (b"", Kind::Identity, b" to "), // 17
    (b"e ", Kind::Identity, b" "), // 18
    (b"", Kind::Identity, b"\""), // 19
    (b"", Kind::Identity, b"."), // 20
    (b"", Kind::Identity, b"\">"), // 21
    (b"", Kind::Identity, b"\n"), // 22
    (b"", Kind::OmitLast(3), b""), // 23
    (b"", Kind::Identity, b"]"), // 24
    (b"", Kind::Identity, b" for "), // 25
    (b"", Kind::OmitFirst(3), b""), // 26
    (b"", Kind::OmitLast(2), b""), // 27
    (b"", Kind::Identity, b" a "), // 28
    (b"", Kind::Identity, b" that "), // 29
    (b" ", Kind::UppercaseFirst, b""), // 30
    (b"", Kind::Identity, b". "), // 31
    (b".", Kind::Identity, b""), // 32
    (b" ", Kind::Identity, b", "), // 33
    (b"", Kind::OmitFirst(4), b""), // 34
    (b"", Kind::Identity, b" with "), // 35
    (b"", Kind::Identity, b"'"), // 36
    (b"", Kind::Identity, b" from "), // 37
    (b"", Kind::Identity, b" by "), // 38
    (b"", Kind::OmitFirst(5), b""), // 39
    (b"", Kind::OmitFirst(6), b""), // 40
    (b" the ", Kind::Identity, b""), // 41
    (b"", Kind::OmitLast(4), b""), // 42
    (b"", Kind::Identity, b". The "), // 43
    (b"", Kind::UppercaseAll, b""), // 44
    (b"", Kind::Identity, b" on "), // 45
    (b"", Kind::Identity, b" as "), // 46
    (b"", Kind::Identity, b" is "), // 47
    (b"", Kind::OmitLast(7), b""), // 48
    (b"", Kind::OmitLast(1), b"ing "), // 49
    (b"", Kind::Identity, b"\n\t"), // 50
    (b"", Kind::Identity, b":"), // 51
    (b" ", Kind::Identity, b". "), // 52
    (b"", Kind::Identity, b"ed "), // 53
    (b"", Kind::OmitFirst(9), b""), // 54
    (b"", Kind::OmitFirst(7), b""), // 55
    (b"", Kind::OmitLast(6), b""), // 56
    (b"", Kind::Identity, b"("), // 57
    (b"", Kind::UppercaseFirst, b", "), // 58
    (b"", Kind::OmitLast(8), b""), // 59
    (b"", Kind::Identity, b" at "), // 60
    (b"", Kind::Identity, b"ly "), // 61
    (b" the ", Kind::Identity, b" of "), // 62
    (b"", Kind::OmitLast(5), b""), // 63
    (b"", Kind::OmitLast(9), b""), // 64
    (b" ", Kind::UppercaseFirst, b", "), // 65
    (b"", Kind::UppercaseFirst, b"\""), // 66
    (b".", Kind::Identity, b"("), // 67
    (b"", Kind::UppercaseAll, b" "), // 68
    (b"", Kind::UppercaseFirst, b"\">"), // 69
    (b"", Kind::Identity, b"=\""), // 70
    (b" ", Kind::Identity, b"."), // 71
    (b".com/", Kind::Identity, b""), // 72
    (b" the ", Kind::Identity, b" of the "), // 73
    (b"", Kind::UppercaseFirst, b"'"), // 74
    (b"", Kind::Identity, b". This "), // 75
    (b"", Kind::Identity, b","), // 76
    (b".", Kind::Identity, b" "), // 77
    (b"", Kind::UppercaseFirst, b"("), // 78
    (b"", Kind::UppercaseFirst, b"."), // 79
    (b"", Kind::Identity, b" not "), // 80
    (b" ", Kind::Identity, b"=\""), // 81
    (b"", Kind::Identity, b"er "), // 82
    (b" ", Kind::UppercaseAll, b" "), // 83
    (b"", Kind::Identity, b"al "), // 84
    (b" ", Kind::UppercaseAll, b""), // 85
    (b"", Kind::Identity, b"='"), // 86
    (b"", Kind::UppercaseAll, b"\""), // 87
    (b"", Kind::UppercaseFirst, b". "), // 88
    (b" ", Kind::Identity, b"("), // 89
    (b"", Kind::Identity, b"ful "), // 90
    (b" ", Kind::UppercaseFirst, b". "), // 91
    (b"", Kind::Identity, b"ive "), // 92
    (b"", Kind::Identity, b"less "), // 93
    (b"", Kind::UppercaseAll, b"'"), // 94
    (b"", Kind::Identity, b"est "), // 95
    (b" ", Kind::UppercaseFirst, b"."), // 96
    (b"", Kind::UppercaseAll, b"\">"), // 97
    (b" ", Kind::Identity, b"='"), // 98
    (b"", Kind::UppercaseFirst, b","), // 99
    (b"", Kind::Identity, b"ize "), // 100
    (b"", Kind::UppercaseAll, b"."), // 101
    (b"\xc2\xa0", Kind::Identity, b""), // 102
    (b" ", Kind::Identity, b","), // 103
    (b"", Kind::UppercaseFirst, b"=\""), // 104
    (b"", Kind::UppercaseAll, b"=\""), // 105
    (b"", Kind::Identity, b"ous "), // 106
    (b"", Kind::UppercaseAll, b", "), // 107
    (b"", Kind::UppercaseFirst, b"='"), // 108
    (b" ", Kind::UppercaseFirst, b","), // 109
    (b" ", Kind::UppercaseAll, b"=\""), // 110
    (b" ", Kind::UppercaseAll, b", "), // 111
    (b"", Kind::UppercaseAll, b","), // 112
    (b"", Kind::UppercaseAll, b"("), // 113
    (b"", Kind::UppercaseAll, b". "), // 114
    (b" ", Kind::UppercaseAll, b"."), // 115
    (b"", Kind::UppercaseAll, b"='"), // 116
    (b" ", Kind::UppercaseAll, b". "), // 117
    (b" ", Kind::UppercaseFirst, b"=\""), // 118
    (b" ", Kind::UppercaseAll, b"='"), // 119
    (b" ", Kind::UppercaseFirst, b"='"), // 120
];

/// The longest transformed word: 5-byte prefix + 24-byte word + 8-byte
/// suffix, rounded up.
pub(crate) const MAX_WORD: usize = 40;

/// The dictionary word of `len` bytes with id `word_id` (index in the low
/// NDBITS bits, transform above), transformed into `out`; returns its
/// length, or `None` when the reference is invalid.
pub(crate) fn word(len: usize, word_id: usize, out: &mut [u8; MAX_WORD]) -> Option<usize> {
    let bits = *NDBITS.get(len)?;
    if bits == 0 {
        return None;
    }
    let index = word_id & ((1usize << bits) - 1);
    let (prefix, kind, suffix) = *TRANSFORM_LIST.get(word_id >> bits)?;
    let start = *DOFFSET.get(len)? as usize + index * len;
    let base = DICTIONARY.get(start..start + len)?;
    let body = match kind {
        Kind::OmitFirst(n) => base.get(usize::from(n).min(len)..)?,
        Kind::OmitLast(n) => base.get(..len.saturating_sub(usize::from(n)))?,
        _ => base,
    };
    let mut n = 0;
    for &b in prefix {
        *out.get_mut(n)? = b;
        n += 1;
    }
    let word_start = n;
    for &b in body {
        *out.get_mut(n)? = b;
        n += 1;
    }
    let word = out.get_mut(word_start..n)?;
    match kind {
        Kind::UppercaseFirst => {
            ferment(word, 0);
        }
        Kind::UppercaseAll => {
            let mut i = 0;
            while i < word.len() {
                i += ferment(word, i);
            }
        }
        _ => {}
    }
    for &b in suffix {
        *out.get_mut(n)? = b;
        n += 1;
    }
    Some(n)
}

/// Appendix B's `Ferment`: upper-cases the (UTF-8) character at `pos` the
/// way the RFC defines it and returns its length in bytes.
fn ferment(word: &mut [u8], pos: usize) -> usize {
    let Some(&c) = word.get(pos) else { return 1 };
    if c < 192 {
        if c.is_ascii_lowercase()
            && let Some(b) = word.get_mut(pos)
        {
            *b ^= 32;
        }
        1
    } else if c < 224 {
        if let Some(b) = word.get_mut(pos + 1) {
            *b ^= 32;
        }
        2
    } else {
        if let Some(b) = word.get_mut(pos + 2) {
            *b ^= 5;
        }
        3
    }
}
