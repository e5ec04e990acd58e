//! The sequences section: FSE decoding tables for literal lengths, match
//! lengths and offsets (with the predefined ones built at compile time),
//! and the loop that decodes sequences and executes them into the output.
//!
//! Entry points: [`SeqSlot`] (one per field: the tables a frame carries
//! from block to block) and [`execute`]. Tables are fixed arrays of [`TABLE_SIZE`]
//! entries indexed with a mask, so state lookups need no bounds checks.
//! Execution copies 16 or 32 bytes at a time and may write up to 31 bytes
//! past the block's end; the caller provides that slack.

use super::bits::BackReader;
use super::corrupt;
use super::tables::{
    LL_CODES, LL_DEFAULT, LL_DEFAULT_LOG, ML_CODES, ML_DEFAULT, ML_DEFAULT_LOG, OF_DEFAULT, OF_DEFAULT_LOG,
};
use crate::Error;
use alloc::boxed::Box;

/// Slack past the block end (and past the literals) for wide copies.
pub(crate) const WILD: usize = 32;

/// States in the largest sequence table (accuracy log 9).
const TABLE_SIZE: usize = 512;
const TABLE_MASK: usize = TABLE_SIZE - 1;

/// One decoding state with its code's baseline folded in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SeqEntry {
    base_value: u32,
    /// Extra bits of the value (the code's own bits, RFC 8878 3.1.1.3.2.1).
    extra: u8,
    /// Bits read for the next state.
    bits: u8,
    /// Next state before adding those bits.
    next: u16,
}

impl SeqEntry {
    const ZERO: Self = Self { base_value: 0, extra: 0, bits: 0, next: 0 };
}

/// What a code means: literal and match lengths use tables, offsets are
/// `1 << code` plus `code` extra bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Field {
    Literal,
    Match,
    Offset,
}

/// An FSE table for one sequence field: `1 << log` live entries; the rest
/// of the array is unused (states are always below `1 << log`).
#[derive(Debug, Clone)]
pub(crate) struct SeqTable {
    log: u32,
    entries: [SeqEntry; TABLE_SIZE],
}

/// The `(baseline, extra bits)` of `symbol` in `field`, or `None` past the
/// field's codes.
// A const fn cannot use `get`; each index is compared with the length first.
#[allow(clippy::indexing_slicing)]
const fn code_value(field: Field, symbol: usize) -> Option<(u32, u8)> {
    match field {
        Field::Literal if symbol < LL_CODES.len() => Some(LL_CODES[symbol]),
        Field::Match if symbol < ML_CODES.len() => Some(ML_CODES[symbol]),
        Field::Offset if symbol <= 31 => Some((1u32 << symbol, symbol as u8)),
        _ => None,
    }
}

impl SeqTable {
    const EMPTY: Self = Self { log: 0, entries: [SeqEntry::ZERO; TABLE_SIZE] };

    /// Rebuilds the table for normalized `probs` summing to `1 << log`
    /// (RFC 8878 4.1.1: symbols of probability -1 take the top states, the
    /// rest are spread by the usual step). Returns why it cannot.
    // A const fn cannot use `get`. Every index is in range: `s <
    // probs.len() <= 64`, states are below `size <= 512`, and symbols in
    // `symbol` are such `s` values.
    #[allow(clippy::indexing_slicing)]
    const fn fill(&mut self, probs: &[i16], log: u32, field: Field) -> Result<(), &'static str> {
        if log > 9 || log < 5 {
            return Err("FSE accuracy log out of range");
        }
        let size = 1usize << log;
        let mask = size - 1;
        let mut symbol = [0u8; TABLE_SIZE];
        let mut next = [0u32; 64];
        if probs.len() > next.len() {
            return Err("FSE table has too many symbols");
        }
        let mut high = size;
        let mut s = 0;
        while s < probs.len() {
            if probs[s] == -1 {
                if high == 0 {
                    return Err("FSE probabilities do not fill the table");
                }
                high -= 1;
                symbol[high] = s as u8;
                next[s] = 1;
            } else if probs[s] > 0 {
                next[s] = probs[s] as u32;
            }
            s += 1;
        }
        let step = (size >> 1) + (size >> 3) + 3;
        let mut pos = 0usize;
        s = 0;
        while s < probs.len() {
            let mut k = 0;
            while k < probs[s] {
                if pos >= high {
                    return Err("FSE probabilities do not fill the table");
                }
                symbol[pos] = s as u8;
                pos = (pos + step) & mask;
                while pos >= high {
                    pos = (pos + step) & mask;
                }
                k += 1;
            }
            s += 1;
        }
        if pos != 0 {
            return Err("FSE probabilities do not fill the table");
        }
        // Per-symbol code values once, not per state.
        let mut values = [(0u32, 0u8); 64];
        s = 0;
        while s < probs.len() {
            if probs[s] != 0 {
                match code_value(field, s) {
                    Some(v) => values[s] = v,
                    None => return Err("sequence code out of range"),
                }
            }
            s += 1;
        }
        let mut u = 0;
        while u < size {
            let sym = symbol[u] as usize;
            let (base_value, extra) = values[sym];
            let x = next[sym];
            next[sym] += 1;
            if x == 0 || 31 - x.leading_zeros() > log {
                return Err("FSE probabilities do not fill the table");
            }
            let high_bit = 31 - x.leading_zeros();
            let bits = log - high_bit;
            let next_state = ((x << bits) as usize - size) as u16;
            self.entries[u] = SeqEntry { base_value, extra, bits: bits as u8, next: next_state };
            u += 1;
        }
        self.log = log;
        Ok(())
    }

    /// A table that always yields `symbol` and reads no bits (RLE mode).
    fn rle(&mut self, symbol: u8, field: Field) -> Result<(), Error> {
        let (base_value, extra) =
            code_value(field, usize::from(symbol)).ok_or(corrupt("RLE sequence code out of range"))?;
        if let Some(e) = self.entries.first_mut() {
            *e = SeqEntry { base_value, extra, bits: 0, next: 0 };
        }
        self.log = 0;
        Ok(())
    }

    #[inline(always)]
    fn get(&self, state: usize) -> SeqEntry {
        // The mask keeps the index in range, so this compiles to a load.
        self.entries.get(state & TABLE_MASK).copied().unwrap_or(SeqEntry::ZERO)
    }

    /// Only ever evaluated at compile time (for [`PREDEFINED`]), where a
    /// bad distribution is a build error, never a run-time panic.
    #[allow(clippy::panic)]
    const fn predefined(probs: &[i16], log: u32, field: Field) -> Self {
        let mut t = Self::EMPTY;
        match t.fill(probs, log, field) {
            Ok(()) => t,
            Err(_) => panic!("bad predefined distribution"),
        }
    }
}

/// The predefined tables (RFC 8878 3.1.1.3.2.2), built by the compiler.
static PREDEFINED: [SeqTable; 3] = [
    SeqTable::predefined(&LL_DEFAULT, LL_DEFAULT_LOG, Field::Literal),
    SeqTable::predefined(&OF_DEFAULT, OF_DEFAULT_LOG, Field::Offset),
    SeqTable::predefined(&ML_DEFAULT, ML_DEFAULT_LOG, Field::Match),
];

/// Which table a field uses now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Mode {
    /// No table yet: a "repeat" choice is an error.
    #[default]
    Unset,
    Predefined,
    /// The slot's own table (RLE or FSE-described).
    Own,
}

/// One field's table: the mode and, once a block described a table, its
/// storage (kept and rebuilt in place, so blocks do not allocate).
#[derive(Debug, Clone, Default)]
pub(crate) struct SeqSlot {
    mode: Mode,
    own: Option<Box<SeqTable>>,
}

impl SeqSlot {
    fn own(&mut self) -> &mut SeqTable {
        self.mode = Mode::Own;
        self.own.get_or_insert_with(|| Box::new(SeqTable::EMPTY))
    }

    /// No table (a frame's start); the storage stays for the next one.
    pub(crate) fn unset(&mut self) {
        self.mode = Mode::Unset;
    }

    /// Uses the predefined table.
    pub(crate) fn set_predefined(&mut self) {
        self.mode = Mode::Predefined;
    }

    /// Uses a one-symbol table.
    pub(crate) fn set_rle(&mut self, symbol: u8, field: Field) -> Result<(), Error> {
        let r = self.own().rle(symbol, field);
        if r.is_err() {
            self.mode = Mode::Unset;
        }
        r
    }

    /// Uses the table for `probs` (from a table description).
    pub(crate) fn set_fse(&mut self, probs: &[i16], log: u32, field: Field) -> Result<(), Error> {
        let r = self.own().fill(probs, log, field).map_err(corrupt);
        if r.is_err() {
            self.mode = Mode::Unset;
        }
        r
    }

    /// Whether a "repeat" choice has a table to repeat.
    pub(crate) fn is_set(&self) -> bool {
        self.mode != Mode::Unset
    }

    /// The table in use; `which` is 0, 1, 2 for literal lengths, offsets,
    /// match lengths (the order of [`PREDEFINED`]).
    fn table(&self, which: usize) -> Option<&SeqTable> {
        match self.mode {
            Mode::Unset => None,
            Mode::Predefined => PREDEFINED.get(which),
            Mode::Own => self.own.as_deref(),
        }
    }
}

/// One decoded sequence.
#[derive(Debug, Clone, Copy)]
struct Seq {
    ll: usize,
    ml: usize,
    offset: usize,
}

/// The three tables and their states, with the repeat offsets.
struct SeqDecoder<'t> {
    tables: [&'t SeqTable; 3],
    /// Literal-length, offset and match-length states.
    states: [usize; 3],
    rep: [u32; 3],
}

impl SeqDecoder<'_> {
    /// Decodes one sequence; `UPDATE` is false for the last one (its
    /// states are not followed by more bits). Reads at most 57 bits between
    /// refills.
    #[inline(always)]
    fn next<const UPDATE: bool>(&mut self, r: &mut BackReader<'_>) -> Result<Seq, Error> {
        let [llt, oft, mlt] = self.tables;
        let [ls, os, ms] = self.states;
        let l = llt.get(ls);
        let o = oft.get(os);
        let m = mlt.get(ms);
        r.reload();
        let of_value = o.base_value.wrapping_add(r.read(u32::from(o.extra)) as u32);
        let ml = m.base_value as usize + r.read(u32::from(m.extra)) as usize;
        // A refill holds at least 57 bits and the three state updates take
        // at most 27 (logs of at most 9): the rest of this sequence needs
        // another refill only when the extra bits pass 30 (long offsets).
        if u32::from(o.extra) + u32::from(m.extra) + u32::from(l.extra) > 57 - 27 {
            r.reload();
        }
        let ll = l.base_value as usize + r.read(u32::from(l.extra)) as usize;
        let [r0, r1, r2] = self.rep;
        let offset = if of_value > 3 {
            let off = of_value - 3;
            self.rep = [off, r0, r1];
            off
        } else {
            // Repeat offsets; a zero literal length shifts the index by one.
            match of_value + u32::from(ll == 0) {
                1 => r0,
                2 => {
                    self.rep = [r1, r0, r2];
                    r1
                }
                3 => {
                    self.rep = [r2, r0, r1];
                    r2
                }
                _ => {
                    let off = r0.wrapping_sub(1);
                    if off == 0 {
                        return Err(corrupt("repeat offset minus one is zero"));
                    }
                    self.rep = [off, r0, r1];
                    off
                }
            }
        } as usize;
        if UPDATE {
            // The format's order: literal length, match length, offset.
            let ls = usize::from(l.next) + r.read(u32::from(l.bits)) as usize;
            let ms = usize::from(m.next) + r.read(u32::from(m.bits)) as usize;
            let os = usize::from(o.next) + r.read(u32::from(o.bits)) as usize;
            self.states = [ls, os, ms];
        }
        Ok(Seq { ll, ml, offset })
    }
}

/// Copies `N` bytes within `out` from `from` to `to >= from + N` (in
/// bounds thanks to the caller's slack; the checks only keep the copy from
/// panicking).
#[inline(always)]
fn copy_chunk<const N: usize>(out: &mut [u8], from: usize, to: usize) {
    debug_assert!(from + N <= to);
    if let Some((head, tail)) = out.split_at_mut_checked(to)
        && let (Some(s), Some(d)) = (head.get(from..).and_then(|s| s.first_chunk::<N>()), tail.first_chunk_mut::<N>())
    {
        *d = *s;
    }
}

/// Copies a match of `len` bytes from `offset` back to `out[op..]`,
/// writing up to 15 bytes past `op + len` (into the caller's slack).
#[inline(always)]
fn copy_match(out: &mut [u8], op: usize, offset: usize, len: usize) {
    let src = op - offset;
    if offset >= 16 {
        // Each step reads only bytes already written: chunks are never
        // longer than the offset. Long far matches go 32 bytes at a time.
        copy_chunk::<16>(out, src, op);
        let mut i = 16;
        if offset >= 32 {
            while i < len {
                copy_chunk::<32>(out, src + i, op + i);
                i += 32;
            }
        } else {
            while i < len {
                copy_chunk::<16>(out, src + i, op + i);
                i += 16;
            }
        }
    } else {
        // A short period: the shared pattern expansion, out of line.
        crate::wildcopy::copy_match_cold(out, op, offset, len);
    }
}

/// Copies `N` literals (the bounds hold by the callers' padding and slack,
/// both [`WILD`] bytes).
#[inline(always)]
fn copy_lits<const N: usize>(out: &mut [u8], op: usize, lits: &[u8], lp: usize) {
    if let (Some(d), Some(s)) =
        (out.get_mut(op..).and_then(|d| d.first_chunk_mut::<N>()), lits.get(lp..).and_then(|s| s.first_chunk::<N>()))
    {
        *d = *s;
    }
}

/// Where sequence execution is: `out[..op]` is decoded, `lits[..lp]`
/// used; `op <= limit` and `lp <= nlits` hold between sequences.
struct Exec<'a> {
    out: &'a mut [u8],
    op: usize,
    lits: &'a [u8],
    lp: usize,
    nlits: usize,
    limit: usize,
    floor: usize,
}

impl Exec<'_> {
    /// Copies the sequence's literals, then its match.
    #[inline(always)]
    fn run(&mut self, seq: Seq) -> Result<(), Error> {
        let (op, lp) = (self.op, self.lp);
        // Lengths are under 2^18 each, so the sum cannot overflow.
        if seq.ll > self.nlits - lp {
            return Err(corrupt("sequence literals past the literals section"));
        }
        if seq.ll + seq.ml > self.limit - op {
            return Err(corrupt("block decodes past the block size limit"));
        }
        // 16 then 32 bytes at a time: the literals are padded and `out` has
        // slack, so whole chunks (at most 31 bytes over) stay in bounds.
        copy_lits::<16>(self.out, op, self.lits, lp);
        let mut k = 16;
        while k < seq.ll {
            copy_lits::<32>(self.out, op + k, self.lits, lp + k);
            k += 32;
        }
        let op = op + seq.ll;
        self.lp = lp + seq.ll;
        // One compare for both "zero" and "before the history".
        if seq.offset.wrapping_sub(1) >= op - self.floor {
            return Err(corrupt("match offset before the start of the history"));
        }
        copy_match(self.out, op, seq.offset, seq.ml);
        self.op = op + seq.ml;
        Ok(())
    }
}

/// Decodes `nseq` sequences from `stream` and executes them, appending
/// the block to `out` (literals from `lits[..nlits]`, which has [`WILD`]
/// bytes of padding). Offsets may reach back to `out[floor]`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn execute(
    stream: &[u8],
    nseq: usize,
    slots: &[SeqSlot; 3],
    rep: &mut [u32; 3],
    lits: &[u8],
    nlits: usize,
    out: &mut alloc::vec::Vec<u8>,
    floor: usize,
    block_max: usize,
) -> Result<(), Error> {
    super::tuned(Execute { stream, nseq, slots, rep, lits, nlits, out, floor, block_max })
}

/// [`execute`]'s arguments, as a [`super::Kernel`].
struct Execute<'a> {
    stream: &'a [u8],
    nseq: usize,
    slots: &'a [SeqSlot; 3],
    rep: &'a mut [u32; 3],
    lits: &'a [u8],
    nlits: usize,
    out: &'a mut alloc::vec::Vec<u8>,
    floor: usize,
    block_max: usize,
}

impl super::Kernel for Execute<'_> {
    type Output = Result<(), Error>;

    #[inline(always)]
    fn run(self) -> Result<(), Error> {
        execute_inner(self)
    }
}

/// [`execute`]'s body, inlined into the frame [`super::tuned`] picks.
#[inline(always)]
fn execute_inner(args: Execute<'_>) -> Result<(), Error> {
    let Execute { stream, nseq, slots, rep, lits, nlits, out, floor, block_max } = args;
    let [sl, so, sm] = slots;
    let (Some(llt), Some(oft), Some(mlt)) = (sl.table(0), so.table(1), sm.table(2)) else {
        return Err(corrupt("missing sequence table"));
    };
    if lits.len() < nlits + WILD {
        return Err(corrupt("literals buffer without slack"));
    }
    let mut r = BackReader::new(stream)?;
    let ls = r.read(llt.log) as usize;
    let os = r.read(oft.log) as usize;
    let ms = r.read(mlt.log) as usize;
    let mut dec = SeqDecoder { tables: [llt, oft, mlt], states: [ls, os, ms], rep: *rep };
    let start = out.len();
    let limit = start + block_max;
    // Decode straight into a zero-extended buffer; wide copies spill into
    // the slack and the length is fixed at the end.
    out.resize(limit + WILD, 0);
    let mut ex = Exec { out: out.as_mut_slice(), op: start, lits, lp: 0, nlits, limit, floor };
    for _ in 1..nseq {
        let seq = dec.next::<true>(&mut r)?;
        ex.run(seq)?;
    }
    let seq = dec.next::<false>(&mut r)?;
    ex.run(seq)?;
    let Exec { op, lp, .. } = ex;
    if !r.finished() {
        return Err(corrupt("sequence bit stream size does not match its sequences"));
    }
    let rest = nlits - lp;
    if rest > limit - op {
        return Err(corrupt("block decodes past the block size limit"));
    }
    if let (Some(d), Some(s)) = (out.get_mut(op..op + rest), lits.get(lp..nlits)) {
        d.copy_from_slice(s);
    }
    out.truncate(op + rest);
    *rep = dec.rep;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec::Vec;

    #[test]
    fn wide_match_copies_equal_byte_copies() {
        for offset in 1..48usize {
            for len in 1..100usize {
                let mut naive: Vec<u8> = (0..64u8).map(|b| b.wrapping_mul(37) ^ 0x5a).collect();
                naive.resize(64 + len, 0);
                let mut wide = naive.clone();
                wide.resize(64 + len + WILD, 0xee);
                for i in 64..64 + len {
                    naive[i] = naive[i - offset];
                }
                copy_match(&mut wide, 64, offset, len);
                assert_eq!(&wide[..64 + len], &naive[..], "offset {offset} len {len}");
            }
        }
    }

    #[test]
    fn an_unset_slot_has_no_table_to_repeat() {
        let mut slot = SeqSlot::default();
        slot.set_fse(&[20, 12], 5, Field::Literal).unwrap();
        assert!(slot.is_set() && slot.table(0).is_some());
        slot.unset();
        assert!(!slot.is_set() && slot.table(0).is_none());
        // The storage is kept and rebuilt on the next description.
        assert!(slot.own.is_some());
        slot.set_rle(3, Field::Literal).unwrap();
        assert_eq!(slot.table(0).map(|t| t.log), Some(0));
    }

    #[test]
    fn predefined_tables_match_the_generic_build() {
        let mut t = SeqTable::EMPTY;
        t.fill(&LL_DEFAULT, LL_DEFAULT_LOG, Field::Literal).unwrap();
        assert_eq!(t.entries, PREDEFINED[0].entries);
        // The first literal-length state of the predefined table (RFC 8878
        // appendix A): symbol 0, 4 bits, next state base 0.
        assert_eq!(PREDEFINED[0].entries[0], SeqEntry { base_value: 0, extra: 0, bits: 4, next: 0 });
        assert!(t.fill(&[40, -1], 5, Field::Offset).is_err());
    }
}
