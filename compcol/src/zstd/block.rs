//! Decoding one compressed block: the literals section, the sequences
//! section, and executing sequences into the history buffer.
//!
//! Entry point: [`decode_block`], which appends the block's bytes to the
//! history (`hist`, which also holds the dictionary and the window). State
//! that outlives a block (Huffman table, FSE tables, repeat offsets) is in
//! [`Entropy`].

use super::corrupt;
use super::fse;
use super::huffman::{self, HufTable};
use super::sequences::{self, Field, SeqSlot};
use super::tables::{LL_MAX, LL_MAX_LOG, ML_MAX, ML_MAX_LOG, OF_MAX, OF_MAX_LOG};
use crate::Error;
use alloc::vec::Vec;

pub(crate) use super::sequences::WILD;

/// Entropy state carried from block to block within a frame (and loaded
/// from a dictionary).
#[derive(Debug, Clone)]
pub(crate) struct Entropy {
    pub(crate) huf: Option<HufTable>,
    /// Literal-length, offset and match-length tables.
    seq: [SeqSlot; 3],
    pub(crate) rep: [u32; 3],
}

impl Default for Entropy {
    fn default() -> Self {
        Self { huf: None, seq: Default::default(), rep: super::INITIAL_REP }
    }
}

impl Entropy {
    /// The state at a frame's start, keeping the sequence tables'
    /// storage (a reused decoder then allocates nothing per frame).
    pub(crate) fn reset(&mut self) {
        self.huf = None;
        for slot in &mut self.seq {
            slot.unset();
        }
        self.rep = super::INITIAL_REP;
    }

    /// Loads the tables of a dictionary: Huffman, then offset, match and
    /// literal-length FSE tables. Returns the bytes used.
    pub(crate) fn load_dictionary_tables(&mut self, data: &[u8]) -> Result<usize, Error> {
        let (huf, mut at) = huffman::read_table(data)?;
        self.huf = Some(huf);
        let rest = data.get(at..).unwrap_or(&[]);
        let [ll, of, ml] = &mut self.seq;
        let (p, log, used) = fse::read_ncount(rest, OF_MAX, OF_MAX_LOG)?;
        of.set_fse(&p, log, Field::Offset)?;
        at += used;
        let rest = data.get(at..).unwrap_or(&[]);
        let (p, log, used) = fse::read_ncount(rest, ML_MAX, ML_MAX_LOG)?;
        ml.set_fse(&p, log, Field::Match)?;
        at += used;
        let rest = data.get(at..).unwrap_or(&[]);
        let (p, log, used) = fse::read_ncount(rest, LL_MAX, LL_MAX_LOG)?;
        ll.set_fse(&p, log, Field::Literal)?;
        Ok(at + used)
    }
}

/// Reads the literals section into `lits` (padded with [`WILD`] bytes);
/// returns (literal count, bytes used).
fn decode_literals(
    src: &[u8],
    ent: &mut Entropy,
    lits: &mut Vec<u8>,
    block_max: usize,
) -> Result<(usize, usize), Error> {
    let &b0 = src.first().ok_or(corrupt("empty compressed block"))?;
    let kind = b0 & 3;
    let format = (b0 >> 2) & 3;
    let byte = |i: usize| src.get(i).copied().map(usize::from).ok_or(corrupt("truncated literals header"));
    if kind < 2 {
        let (size, header) = match format {
            0 | 2 => (usize::from(b0 >> 3), 1),
            1 => ((usize::from(b0) >> 4) + (byte(1)? << 4), 2),
            _ => ((usize::from(b0) >> 4) + (byte(1)? << 4) + (byte(2)? << 12), 3),
        };
        if size > block_max {
            return Err(corrupt("literals larger than a block"));
        }
        lits.clear();
        if kind == 0 {
            let body = src.get(header..header + size).ok_or(corrupt("truncated raw literals"))?;
            lits.extend_from_slice(body);
            lits.resize(size + WILD, 0);
            return Ok((size, header + size));
        }
        let &b = src.get(header).ok_or(corrupt("truncated RLE literals"))?;
        lits.resize(size + WILD, b);
        return Ok((size, header + 1));
    }
    let (regen, comp, header, four) = match format {
        0 | 1 => {
            let v = usize::from(b0) | byte(1)? << 8 | byte(2)? << 16;
            ((v >> 4) & 0x3ff, v >> 14, 3, format == 1)
        }
        2 => {
            let v = usize::from(b0) | byte(1)? << 8 | byte(2)? << 16 | byte(3)? << 24;
            ((v >> 4) & 0x3fff, v >> 18, 4, true)
        }
        _ => {
            let v = usize::from(b0) | byte(1)? << 8 | byte(2)? << 16 | byte(3)? << 24 | byte(4)? << 32;
            ((v >> 4) & 0x3ffff, (v >> 22) & 0x3ffff, 5, true)
        }
    };
    if regen > block_max {
        return Err(corrupt("literals larger than a block"));
    }
    let body = src.get(header..header + comp).ok_or(corrupt("truncated compressed literals"))?;
    let streams = if kind == 2 {
        let used = huffman::read_table_into(body, &mut ent.huf)?;
        body.get(used..).ok_or(corrupt("truncated Huffman literals"))?
    } else {
        body
    };
    let table = ent.huf.as_ref().ok_or(corrupt("treeless literals without a previous Huffman table"))?;
    // Every literal is written below; the padding's bytes do not matter,
    // so a buffer that is long enough is not cleared again.
    if lits.len() < regen + WILD {
        lits.resize(regen + WILD, 0);
    }
    let out = lits.get_mut(..regen).ok_or(corrupt("literals"))?;
    if four {
        table.decode_four(streams, out)?
    } else {
        table.decode_stream(streams, out)?
    }
    Ok((regen, header + comp))
}

/// Reads one table-mode choice; returns bytes used.
fn read_seq_table(
    mode: u8,
    src: &[u8],
    slot: &mut SeqSlot,
    field: Field,
    max_symbol: usize,
    max_log: u32,
) -> Result<usize, Error> {
    match mode {
        0 => {
            slot.set_predefined();
            Ok(0)
        }
        1 => {
            let &sym = src.first().ok_or(corrupt("truncated RLE sequence table"))?;
            if usize::from(sym) > max_symbol {
                return Err(corrupt("RLE sequence code out of range"));
            }
            slot.set_rle(sym, field)?;
            Ok(1)
        }
        2 => {
            let (p, log, used) = fse::read_ncount(src, max_symbol, max_log)?;
            slot.set_fse(&p, log, field)?;
            Ok(used)
        }
        _ => {
            if !slot.is_set() {
                return Err(corrupt("repeat sequence table with no previous table"));
            }
            Ok(0)
        }
    }
}

/// Decodes one compressed block from `src`, appending its bytes to `hist`.
/// Offsets may reach back to `hist[floor]` (the frame's first byte, or its
/// dictionary's). `lits` is scratch.
pub(crate) fn decode_block(
    src: &[u8],
    ent: &mut Entropy,
    lits: &mut Vec<u8>,
    hist: &mut Vec<u8>,
    floor: usize,
    block_max: usize,
) -> Result<(), Error> {
    let (nlits, used) = decode_literals(src, ent, lits, block_max)?;
    let src = src.get(used..).ok_or(corrupt("truncated block"))?;
    let &b0 = src.first().ok_or(corrupt("missing sequences section"))?;
    let byte = |i: usize| src.get(i).copied().map(usize::from).ok_or(corrupt("truncated sequences header"));
    let (nseq, mut at) = match b0 {
        0..=127 => (usize::from(b0), 1),
        128..=254 => (((usize::from(b0) - 128) << 8) + byte(1)?, 2),
        255 => (byte(1)? + (byte(2)? << 8) + 0x7f00, 3),
    };
    if nseq == 0 {
        if src.len() != at {
            return Err(corrupt("bytes after an empty sequences section"));
        }
        hist.extend_from_slice(lits.get(..nlits).unwrap_or(&[]));
        return Ok(());
    }
    let modes = byte(at)? as u8;
    at += 1;
    if modes & 3 != 0 {
        return Err(corrupt("reserved bits set in sequence modes"));
    }
    let [ll, of, ml] = &mut ent.seq;
    at += read_seq_table(modes >> 6, src.get(at..).unwrap_or(&[]), ll, Field::Literal, LL_MAX, LL_MAX_LOG)?;
    at += read_seq_table((modes >> 4) & 3, src.get(at..).unwrap_or(&[]), of, Field::Offset, OF_MAX, OF_MAX_LOG)?;
    at += read_seq_table((modes >> 2) & 3, src.get(at..).unwrap_or(&[]), ml, Field::Match, ML_MAX, ML_MAX_LOG)?;
    let stream = src.get(at..).ok_or(corrupt("truncated sequences"))?;
    sequences::execute(stream, nseq, &ent.seq, &mut ent.rep, lits, nlits, hist, floor, block_max)
}
