//! Decoding one compressed block: the literals section, the sequences
//! section, and executing sequences into the history buffer.
//!
//! Entry point: [`decode_block`], which appends the block's bytes to the
//! history (`hist`, which also holds the dictionary and the window). State
//! that outlives a block (Huffman table, FSE tables, repeat offsets) is in
//! [`Entropy`].

use super::bits::BackReader;
use super::corrupt;
use super::fse::{self, DTable};
use super::huffman::{self, HufTable};
use super::tables::{
    LL_CODES, LL_DEFAULT, LL_DEFAULT_LOG, LL_MAX, LL_MAX_LOG, ML_CODES, ML_DEFAULT, ML_DEFAULT_LOG, ML_MAX, ML_MAX_LOG,
    OF_DEFAULT, OF_DEFAULT_LOG, OF_MAX, OF_MAX_LOG,
};
use crate::Error;
use alloc::vec::Vec;

/// Slack past the block end so short copies can be done 16 bytes wide.
pub(crate) const WILD: usize = 32;

/// One sequence-decoding state with its code's baseline folded in.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SeqEntry {
    base_value: u32,
    extra: u8,
    bits: u8,
    next: u16,
}

/// An FSE table for one sequence field.
#[derive(Debug, Clone, Default)]
pub(crate) struct SeqTable {
    log: u32,
    entries: Vec<SeqEntry>,
}

/// What a code means: literal and match lengths use tables, offsets are
/// `1 << code` plus `code` extra bits.
#[derive(Debug, Clone, Copy)]
enum Field {
    Literal,
    Match,
    Offset,
}

impl SeqTable {
    fn from_fse(t: &DTable, field: Field) -> Result<Self, Error> {
        let entries = t
            .entries
            .iter()
            .map(|e| {
                let (base_value, extra) = match field {
                    Field::Literal => {
                        LL_CODES.get(usize::from(e.symbol)).copied().ok_or(corrupt("bad literal length code"))?
                    }
                    Field::Match => {
                        ML_CODES.get(usize::from(e.symbol)).copied().ok_or(corrupt("bad match length code"))?
                    }
                    Field::Offset => {
                        if usize::from(e.symbol) > OF_MAX {
                            return Err(corrupt("bad offset code"));
                        }
                        (1u32 << e.symbol, e.symbol)
                    }
                };
                Ok(SeqEntry { base_value, extra, bits: e.bits, next: e.base })
            })
            .collect::<Result<Vec<_>, Error>>()?;
        Ok(Self { log: t.log, entries })
    }

    fn predefined(field: Field) -> Result<Self, Error> {
        let t = match field {
            Field::Literal => DTable::build(&LL_DEFAULT, LL_DEFAULT_LOG)?,
            Field::Match => DTable::build(&ML_DEFAULT, ML_DEFAULT_LOG)?,
            Field::Offset => DTable::build(&OF_DEFAULT, OF_DEFAULT_LOG)?,
        };
        Self::from_fse(&t, field)
    }
}

/// Entropy state carried from block to block within a frame (and loaded
/// from a dictionary).
#[derive(Debug, Clone)]
pub(crate) struct Entropy {
    pub(crate) huf: Option<HufTable>,
    pub(crate) ll: Option<SeqTable>,
    pub(crate) of: Option<SeqTable>,
    pub(crate) ml: Option<SeqTable>,
    pub(crate) rep: [u32; 3],
}

impl Default for Entropy {
    fn default() -> Self {
        Self { huf: None, ll: None, of: None, ml: None, rep: [1, 4, 8] }
    }
}

impl Entropy {
    /// Loads the tables of a dictionary: Huffman, then offset, match and
    /// literal-length FSE tables. Returns the bytes used.
    pub(crate) fn load_dictionary_tables(&mut self, data: &[u8]) -> Result<usize, Error> {
        let (huf, mut at) = huffman::read_table(data)?;
        self.huf = Some(huf);
        let rest = data.get(at..).unwrap_or(&[]);
        let (p, log, used) = fse::read_ncount(rest, OF_MAX, OF_MAX_LOG)?;
        self.of = Some(SeqTable::from_fse(&DTable::build(&p, log)?, Field::Offset)?);
        at += used;
        let rest = data.get(at..).unwrap_or(&[]);
        let (p, log, used) = fse::read_ncount(rest, ML_MAX, ML_MAX_LOG)?;
        self.ml = Some(SeqTable::from_fse(&DTable::build(&p, log)?, Field::Match)?);
        at += used;
        let rest = data.get(at..).unwrap_or(&[]);
        let (p, log, used) = fse::read_ncount(rest, LL_MAX, LL_MAX_LOG)?;
        self.ll = Some(SeqTable::from_fse(&DTable::build(&p, log)?, Field::Literal)?);
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
        let (table, used) = huffman::read_table(body)?;
        ent.huf = Some(table);
        body.get(used..).ok_or(corrupt("truncated Huffman literals"))?
    } else {
        body
    };
    let table = ent.huf.as_ref().ok_or(corrupt("treeless literals without a previous Huffman table"))?;
    lits.clear();
    lits.resize(regen + WILD, 0);
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
    slot: &mut Option<SeqTable>,
    field: Field,
    max_symbol: usize,
    max_log: u32,
    predefined: &SeqTable,
) -> Result<usize, Error> {
    match mode {
        0 => {
            *slot = Some(predefined.clone());
            Ok(0)
        }
        1 => {
            let &sym = src.first().ok_or(corrupt("truncated RLE sequence table"))?;
            if usize::from(sym) > max_symbol {
                return Err(corrupt("RLE sequence code out of range"));
            }
            *slot = Some(SeqTable::from_fse(&DTable::rle(sym), field)?);
            Ok(1)
        }
        2 => {
            let (p, log, used) = fse::read_ncount(src, max_symbol, max_log)?;
            *slot = Some(SeqTable::from_fse(&DTable::build(&p, log)?, field)?);
            Ok(used)
        }
        _ => {
            if slot.is_none() {
                return Err(corrupt("repeat sequence table with no previous table"));
            }
            Ok(0)
        }
    }
}

/// The predefined tables, built once per decoder.
#[derive(Debug, Clone)]
pub(crate) struct Predefined {
    ll: SeqTable,
    of: SeqTable,
    ml: SeqTable,
}

impl Predefined {
    pub(crate) fn new() -> Result<Self, Error> {
        Ok(Self {
            ll: SeqTable::predefined(Field::Literal)?,
            of: SeqTable::predefined(Field::Offset)?,
            ml: SeqTable::predefined(Field::Match)?,
        })
    }
}

/// Decodes one compressed block from `src`, appending its bytes to `hist`.
/// Offsets may reach back to `hist[floor]` (the frame's first byte, or its
/// dictionary's). `lits` is scratch.
#[allow(clippy::too_many_arguments)]
pub(crate) fn decode_block(
    src: &[u8],
    ent: &mut Entropy,
    pre: &Predefined,
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
    at += read_seq_table(
        modes >> 6,
        src.get(at..).unwrap_or(&[]),
        &mut ent.ll,
        Field::Literal,
        LL_MAX,
        LL_MAX_LOG,
        &pre.ll,
    )?;
    at += read_seq_table(
        (modes >> 4) & 3,
        src.get(at..).unwrap_or(&[]),
        &mut ent.of,
        Field::Offset,
        OF_MAX,
        OF_MAX_LOG,
        &pre.of,
    )?;
    at += read_seq_table(
        (modes >> 2) & 3,
        src.get(at..).unwrap_or(&[]),
        &mut ent.ml,
        Field::Match,
        ML_MAX,
        ML_MAX_LOG,
        &pre.ml,
    )?;
    let stream = src.get(at..).ok_or(corrupt("truncated sequences"))?;
    let (Some(ll), Some(of), Some(ml)) = (&ent.ll, &ent.of, &ent.ml) else {
        return Err(corrupt("missing sequence table"));
    };
    execute(stream, nseq, [ll, of, ml], &mut ent.rep, lits, nlits, hist, floor, block_max)
}

/// Decodes `nseq` sequences and executes them into `hist` as it goes.
#[allow(clippy::too_many_arguments)]
fn execute(
    stream: &[u8],
    nseq: usize,
    [llt, oft, mlt]: [&SeqTable; 3],
    rep: &mut [u32; 3],
    lits: &[u8],
    nlits: usize,
    hist: &mut Vec<u8>,
    floor: usize,
    block_max: usize,
) -> Result<(), Error> {
    let mut r = BackReader::new(stream)?;
    let mut ls = r.read(llt.log) as usize;
    let mut os = r.read(oft.log) as usize;
    let mut ms = r.read(mlt.log) as usize;
    let start = hist.len();
    let limit = start + block_max;
    // Decode straight into a zero-extended buffer; short copies write 16
    // bytes at a time into the slack and the length is fixed at the end.
    hist.resize(limit + WILD, 0);
    let out = hist.as_mut_slice();
    let mut op = start;
    let mut lp = 0usize;
    let lle = llt.entries.as_slice();
    let ofe = oft.entries.as_slice();
    let mle = mlt.entries.as_slice();
    let [mut r0, mut r1, mut r2] = *rep;
    for i in 0..nseq {
        let l = lle.get(ls).copied().unwrap_or_default();
        let o = ofe.get(os).copied().unwrap_or_default();
        let m = mle.get(ms).copied().unwrap_or_default();
        let of_value = o.base_value + r.read(u32::from(o.extra)) as u32;
        r.reload();
        let ml = (m.base_value + r.read(u32::from(m.extra)) as u32) as usize;
        let ll = (l.base_value + r.read(u32::from(l.extra)) as u32) as usize;
        r.reload();
        let offset = if of_value > 3 {
            let off = of_value - 3;
            r2 = r1;
            r1 = r0;
            r0 = off;
            off
        } else {
            let idx = of_value + u32::from(ll == 0);
            match idx {
                1 => r0,
                2 => {
                    core::mem::swap(&mut r0, &mut r1);
                    r0
                }
                3 => {
                    let o = r2;
                    r2 = r1;
                    r1 = r0;
                    r0 = o;
                    o
                }
                _ => {
                    let o = r0.wrapping_sub(1);
                    if o == 0 {
                        return Err(corrupt("repeat offset minus one is zero"));
                    }
                    r2 = r1;
                    r1 = r0;
                    r0 = o;
                    o
                }
            }
        } as usize;
        if i + 1 < nseq {
            ls = usize::from(l.next) + r.read(u32::from(l.bits)) as usize;
            ms = usize::from(m.next) + r.read(u32::from(m.bits)) as usize;
            os = usize::from(o.next) + r.read(u32::from(o.bits)) as usize;
        }
        // Execute: literals, then the match.
        if lp + ll > nlits {
            return Err(corrupt("sequence literals past the literals section"));
        }
        if op + ll + ml > limit {
            return Err(corrupt("block decodes past the block size limit"));
        }
        if ll <= 16 {
            if let (Some(d), Some(s)) = (out.get_mut(op..op + 16), lits.get(lp..lp + 16)) {
                d.copy_from_slice(s);
            }
        } else if let (Some(d), Some(s)) = (out.get_mut(op..op + ll), lits.get(lp..lp + ll)) {
            d.copy_from_slice(s);
        }
        op += ll;
        lp += ll;
        if offset > op - floor || offset == 0 {
            return Err(corrupt("match offset before the start of the history"));
        }
        copy_match(out, op, offset, ml);
        op += ml;
    }
    if !r.finished() {
        return Err(corrupt("sequence bit stream size does not match its sequences"));
    }
    let rest = nlits - lp;
    if op + rest > limit {
        return Err(corrupt("block decodes past the block size limit"));
    }
    if let (Some(d), Some(s)) = (out.get_mut(op..op + rest), lits.get(lp..nlits)) {
        d.copy_from_slice(s);
    }
    op += rest;
    hist.truncate(op);
    *rep = [r0, r1, r2];
    Ok(())
}

/// Copies a match of `len` bytes from `offset` back; a short match is one
/// 16-byte copy, so it may write up to 16 bytes past the end.
#[inline(always)]
fn copy_match(out: &mut [u8], op: usize, offset: usize, len: usize) {
    let src = op - offset;
    if len <= 16 && offset >= 16 {
        // The common short match: one wide copy into the slack.
        out.copy_within(src..src + 16, op);
    } else if offset >= len {
        out.copy_within(src..src + len, op);
    } else if offset == 1 {
        let b = out.get(src).copied().unwrap_or(0);
        if let Some(d) = out.get_mut(op..op + len) {
            d.fill(b);
        }
    } else {
        // Overlapping: copy the pattern, doubling the copied span each
        // step (the source is always fully written before it is read).
        let mut done = 0;
        while done < len {
            let step = (op + done - src).min(len - done);
            out.copy_within(src..src + step, op + done);
            done += step;
        }
    }
}
