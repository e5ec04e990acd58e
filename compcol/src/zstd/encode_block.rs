//! Writing one compressed block: the literals section (raw, RLE, Huffman
//! with a new or repeated table) and the sequences section (each field
//! predefined, RLE, a new FSE table or the previous one, whichever the
//! cost estimate says is smallest).
//!
//! Entry point: [`compress_block`]. Entropy choices that outlive the block
//! are in [`EncEntropy`]; the caller keeps the old state when it falls
//! back to a raw block, since the decoder then sees no tables.

use super::bits::BackWriter;
use super::fse::{self, CTable};
use super::huffman::HufEncoder;
use super::matcher::{Seq, offset_value};
use super::tables::{
    LL_CODES, LL_DEFAULT, LL_DEFAULT_LOG, LL_MAX_LOG, ML_CODES, ML_DEFAULT, ML_DEFAULT_LOG, ML_MAX_LOG, OF_DEFAULT,
    OF_DEFAULT_LOG, OF_MAX_LOG, ll_code, ml_code,
};
use crate::Error;
use alloc::vec;
use alloc::vec::Vec;

/// An FSE table a later block may repeat.
#[derive(Debug, Clone)]
pub(crate) struct PrevTable {
    pub(crate) probs: Vec<i16>,
    pub(crate) log: u32,
    pub(crate) table: CTable,
}

impl PrevTable {
    pub(crate) fn new(probs: Vec<i16>, log: u32) -> Result<Self, Error> {
        let table = CTable::build(&probs, log)?;
        Ok(Self { probs, log, table })
    }
}

/// Entropy state carried between blocks of a frame.
#[derive(Debug, Clone)]
pub(crate) struct EncEntropy {
    pub(crate) huf: Option<HufEncoder>,
    pub(crate) ll: Option<PrevTable>,
    pub(crate) of: Option<PrevTable>,
    pub(crate) ml: Option<PrevTable>,
    pub(crate) rep: [u32; 3],
}

impl Default for EncEntropy {
    fn default() -> Self {
        Self { huf: None, ll: None, of: None, ml: None, rep: super::INITIAL_REP }
    }
}

/// Literals too few for a Huffman table to pay.
const MIN_HUFFMAN: usize = 64;

fn raw_literals_header(kind: u8, n: usize, out: &mut Vec<u8>) {
    if n < 32 {
        out.push(kind | (n as u8) << 3);
    } else if n < 4096 {
        out.push(kind | 1 << 2 | ((n & 15) as u8) << 4);
        out.push((n >> 4) as u8);
    } else {
        out.push(kind | 3 << 2 | ((n & 15) as u8) << 4);
        out.push((n >> 4) as u8);
        out.push((n >> 12) as u8);
    }
}

/// Huffman-codes `lits` with `enc`; returns the section body (tree
/// description if `with_table`, then the streams) and whether it is four
/// streams.
fn huffman_body(lits: &[u8], enc: &HufEncoder, with_table: bool) -> Option<(Vec<u8>, bool)> {
    let mut body = Vec::with_capacity(lits.len());
    if with_table {
        enc.write_table(&mut body)?;
    }
    if lits.len() < 256 {
        enc.encode_stream(lits, &mut body);
        return Some((body, false));
    }
    let seg = lits.len().div_ceil(4);
    let mut streams: [Vec<u8>; 4] = Default::default();
    for (s, chunk) in streams.iter_mut().zip(lits.chunks(seg)) {
        enc.encode_stream(chunk, s);
    }
    for s in streams.get(..3)? {
        body.extend_from_slice(&u16::try_from(s.len()).ok()?.to_le_bytes());
    }
    for s in &streams {
        body.extend_from_slice(s);
    }
    Some((body, true))
}

fn write_literals(lits: &[u8], ent: &mut EncEntropy, out: &mut Vec<u8>) {
    let n = lits.len();
    if let Some(&first) = lits.first()
        && n > 2
        && lits.iter().all(|&b| b == first)
    {
        raw_literals_header(1, n, out);
        out.push(first);
        return;
    }
    if n >= MIN_HUFFMAN {
        let mut counts = [0u32; 256];
        for &b in lits {
            if let Some(c) = counts.get_mut(usize::from(b)) {
                *c += 1;
            }
        }
        let fresh = HufEncoder::build(&counts);
        let reuse = ent.huf.as_ref().filter(|h| h.covers(&counts)).map(|h| h.cost(&counts));
        let new_cost = fresh.as_ref().map(|h| h.cost(&counts) + 40);
        let use_repeat = match (reuse, new_cost) {
            (Some(r), Some(c)) => r <= c,
            (Some(_), None) => true,
            _ => false,
        };
        let attempt = if use_repeat {
            ent.huf.as_ref().and_then(|h| huffman_body(lits, h, false)).map(|b| (b, None))
        } else {
            fresh.and_then(|h| huffman_body(lits, &h, true).map(|b| (b, Some(h))))
        };
        if let Some(((body, four), table)) = attempt
            && body.len() + 5 < n
        {
            let kind: u64 = if use_repeat { 3 } else { 2 };
            let (regen, comp) = (n as u64, body.len() as u64);
            if !four {
                let v = kind | regen << 4 | comp << 14;
                out.extend_from_slice(v.to_le_bytes().get(..3).unwrap_or(&[]));
            } else if regen < 1024 && comp < 1024 {
                let v = kind | 1 << 2 | regen << 4 | comp << 14;
                out.extend_from_slice(v.to_le_bytes().get(..3).unwrap_or(&[]));
            } else if regen < 16384 && comp < 16384 {
                let v = kind | 2 << 2 | regen << 4 | comp << 18;
                out.extend_from_slice(v.to_le_bytes().get(..4).unwrap_or(&[]));
            } else {
                let v = kind | 3 << 2 | regen << 4 | comp << 22;
                out.extend_from_slice(v.to_le_bytes().get(..5).unwrap_or(&[]));
            }
            out.extend_from_slice(&body);
            if let Some(t) = table {
                ent.huf = Some(t);
            }
            return;
        }
    }
    raw_literals_header(0, n, out);
    out.extend_from_slice(lits);
}

/// The chosen coding of one sequence field.
struct FieldChoice {
    mode: u8,
    header: Vec<u8>,
    table: PrevTable,
}

/// Picks predefined, RLE, repeat or a new table for `codes`, by estimated
/// size; updates `prev` to what the decoder will hold afterwards.
fn choose(
    codes: &[u8],
    nsym: usize,
    default: &[i16],
    default_log: u32,
    max_log: u32,
    prev: &mut Option<PrevTable>,
) -> Result<FieldChoice, Error> {
    let mut counts = vec![0u32; nsym];
    for &c in codes {
        if let Some(x) = counts.get_mut(usize::from(c)) {
            *x += 1;
        }
    }
    let distinct = counts.iter().filter(|&&c| c > 0).count();
    if distinct == 1 && codes.len() > 2 {
        let sym = counts.iter().position(|&c| c > 0).unwrap_or(0);
        let mut probs = vec![0i16; sym + 1];
        if let Some(p) = probs.get_mut(sym) {
            *p = 1;
        }
        let t = PrevTable::new(probs, 0)?;
        *prev = Some(t.clone());
        return Ok(FieldChoice { mode: 1, header: vec![sym as u8], table: t });
    }
    let predefined = fse::cost_bits(&counts, default, default_log);
    let repeat = prev.as_ref().and_then(|p| fse::cost_bits(&counts, &p.probs, p.log));
    let used = counts.iter().rposition(|&c| c > 0).map_or(1, |i| i + 1);
    let (probs, log) = fse::normalize(counts.get(..used).unwrap_or(&[]), max_log);
    let mut header = Vec::new();
    fse::write_ncount(&probs, log, &mut header);
    let fresh = fse::cost_bits(&counts, &probs, log).map(|c| c + header.len() as u64 * 8);
    let best = [predefined.map(|c| (c, 0u8)), repeat.map(|c| (c, 3u8)), fresh.map(|c| (c + 8, 2u8))]
        .into_iter()
        .flatten()
        .min_by_key(|&(c, _)| c);
    match best {
        Some((_, 0)) | None => {
            let t = PrevTable::new(default.to_vec(), default_log)?;
            *prev = Some(t.clone());
            Ok(FieldChoice { mode: 0, header: Vec::new(), table: t })
        }
        Some((_, 3)) => {
            let t = prev.clone().ok_or(Error::new(crate::ErrorKind::InvalidArgument, super::NAME, "no table"))?;
            Ok(FieldChoice { mode: 3, header: Vec::new(), table: t })
        }
        Some(_) => {
            let t = PrevTable::new(probs, log)?;
            *prev = Some(t.clone());
            Ok(FieldChoice { mode: 2, header, table: t })
        }
    }
}

/// Compresses `block` (whose matches are `seqs`, followed by `tail`
/// literals) into a compressed-block body.
pub(crate) fn compress_block(block: &[u8], seqs: &[Seq], ent: &mut EncEntropy) -> Result<Vec<u8>, Error> {
    let mut lits = Vec::with_capacity(block.len());
    let mut pos = 0usize;
    for s in seqs {
        lits.extend_from_slice(block.get(pos..pos + s.lit_len as usize).unwrap_or(&[]));
        pos += (s.lit_len + s.match_len) as usize;
    }
    lits.extend_from_slice(block.get(pos..).unwrap_or(&[]));
    let mut out = Vec::with_capacity(block.len() / 2 + 64);
    write_literals(&lits, ent, &mut out);
    let n = seqs.len();
    if n < 128 {
        out.push(n as u8);
    } else if n < 0x7f00 {
        out.push((n >> 8) as u8 + 128);
        out.push(n as u8);
    } else {
        out.push(255);
        out.extend_from_slice(&((n - 0x7f00) as u16).to_le_bytes());
    }
    if n == 0 {
        return Ok(out);
    }
    let mut llc = Vec::with_capacity(n);
    let mut mlc = Vec::with_capacity(n);
    let mut ofc = Vec::with_capacity(n);
    let mut ofv = Vec::with_capacity(n);
    for s in seqs {
        let v = offset_value(&mut ent.rep, s.offset, s.lit_len);
        llc.push(ll_code(s.lit_len));
        mlc.push(ml_code(s.match_len));
        ofc.push((31 - v.leading_zeros()) as u8);
        ofv.push(v);
    }
    let ll = choose(&llc, 36, &LL_DEFAULT, LL_DEFAULT_LOG, LL_MAX_LOG, &mut ent.ll)?;
    let of = choose(&ofc, 32, &OF_DEFAULT, OF_DEFAULT_LOG, OF_MAX_LOG, &mut ent.of)?;
    let ml = choose(&mlc, 53, &ML_DEFAULT, ML_DEFAULT_LOG, ML_MAX_LOG, &mut ent.ml)?;
    out.push(ll.mode << 6 | of.mode << 4 | ml.mode << 2);
    out.extend_from_slice(&ll.header);
    out.extend_from_slice(&of.header);
    out.extend_from_slice(&ml.header);
    let mut w = BackWriter::with_capacity(n * 4);
    let extras = |i: usize, w: &mut BackWriter| {
        let (Some(s), Some(&lc), Some(&mc), Some(&oc), Some(&v)) =
            (seqs.get(i), llc.get(i), mlc.get(i), ofc.get(i), ofv.get(i))
        else {
            return;
        };
        let (lb, lbits) = LL_CODES.get(usize::from(lc)).copied().unwrap_or((0, 0));
        let (mb, mbits) = ML_CODES.get(usize::from(mc)).copied().unwrap_or((0, 0));
        w.write(u64::from(s.lit_len - lb), u32::from(lbits));
        w.write(u64::from(s.match_len - mb), u32::from(mbits));
        w.write(u64::from(v - (1 << oc)), u32::from(oc));
    };
    let last = n - 1;
    let at = |v: &Vec<u8>, i: usize| v.get(i).copied().unwrap_or(0);
    let mut sl = ll.table.table.init_state(at(&llc, last));
    let mut sm = ml.table.table.init_state(at(&mlc, last));
    let mut so = of.table.table.init_state(at(&ofc, last));
    extras(last, &mut w);
    for i in (0..last).rev() {
        let (v, b, s) = of.table.table.encode(so, at(&ofc, i));
        w.write(v, b);
        so = s;
        let (v, b, s) = ml.table.table.encode(sm, at(&mlc, i));
        w.write(v, b);
        sm = s;
        let (v, b, s) = ll.table.table.encode(sl, at(&llc, i));
        w.write(v, b);
        sl = s;
        extras(i, &mut w);
    }
    for (t, s) in [(&ml.table.table, sm), (&of.table.table, so), (&ll.table.table, sl)] {
        let (v, b) = t.flush(s);
        w.write(v, b);
    }
    out.extend_from_slice(&w.finish());
    Ok(out)
}
