//! Dictionary training: builds a structured zstd dictionary from samples.
//!
//! Entry point: [`train_dictionary`]. The algorithm is deliberately
//! simple (a cousin of zstd's COVER, not a copy of it):
//!
//! 1. Content: every sample is cut into 64-byte segments (stepping by 16).
//!    A segment scores the sum, over its 8-byte substrings, of how many
//!    *samples* contain that substring. The best segment is taken, the
//!    substrings it covers stop scoring (so content is not repeated), and
//!    this repeats until the content budget is full. The best segments go
//!    last, nearest the data, where offsets are cheapest.
//! 2. Entropy tables: each sample is parsed against the content with the
//!    level-5 match finder; literal bytes and literal-length, match-length
//!    and offset codes are counted (every symbol gets one extra count, so
//!    the tables can code anything) and turned into the Huffman and FSE
//!    tables of the dictionary header, with repeat offsets 1, 4, 8.
//!
//! The result starts with the dictionary magic and is accepted by `zstd -D`.

use super::dictionary::DICT_MAGIC;
use super::encode_block::EncEntropy;
use super::huffman::HufEncoder;
use super::levels;
use super::matcher::{Matcher, Seq, offset_value};
use super::tables::{LL_MAX_LOG, ML_MAX_LOG, OF_MAX_LOG, ll_code, ml_code};
use super::{NAME, fse};
use crate::checksum::xxhash64;
use crate::{Error, ErrorKind};
use alloc::collections::BTreeMap;
use alloc::vec;
use alloc::vec::Vec;

const SEGMENT: usize = 64;
const STEP: usize = 16;
const GRAM: usize = 8;

fn gram(b: &[u8], at: usize) -> u64 {
    let mut a = [0u8; 8];
    if let Some(s) = b.get(at..at + GRAM) {
        a.copy_from_slice(s);
    }
    u64::from_le_bytes(a)
}

/// Picks the dictionary content (at most `budget` bytes).
fn select_content(samples: &[&[u8]], budget: usize) -> Vec<u8> {
    // In how many samples each 8-gram occurs.
    let mut freq: BTreeMap<u64, u32> = BTreeMap::new();
    for s in samples {
        let mut seen: Vec<u64> = (0..s.len().saturating_sub(GRAM - 1)).map(|i| gram(s, i)).collect();
        seen.sort_unstable();
        seen.dedup();
        for g in seen {
            *freq.entry(g).or_insert(0) += 1;
        }
    }
    let mut candidates: Vec<(usize, usize)> = Vec::new();
    for (si, s) in samples.iter().enumerate() {
        let mut at = 0;
        while at < s.len() {
            candidates.push((si, at));
            at += STEP;
        }
    }
    let score = |freq: &BTreeMap<u64, u32>, si: usize, at: usize| -> u64 {
        let s = samples.get(si).copied().unwrap_or(&[]);
        let end = (at + SEGMENT).min(s.len());
        (at..end.saturating_sub(GRAM - 1)).map(|i| u64::from(freq.get(&gram(s, i)).copied().unwrap_or(1) - 1)).sum()
    };
    let mut chosen: Vec<Vec<u8>> = Vec::new();
    let mut size = 0;
    // Greedy rounds over a shrinking candidate list, best first.
    while size < budget && !candidates.is_empty() {
        let mut scored: Vec<(u64, usize)> =
            candidates.iter().enumerate().map(|(k, &(si, at))| (score(&freq, si, at), k)).collect();
        scored.sort_unstable_by_key(|&(sc, _)| core::cmp::Reverse(sc));
        let round = scored.len().min(64);
        let mut taken = Vec::new();
        for &(sc, k) in scored.iter().take(round) {
            if sc == 0 || size >= budget {
                break;
            }
            let Some(&(si, at)) = candidates.get(k) else { continue };
            // Re-score: an earlier pick this round may have covered it.
            if score(&freq, si, at) * 2 < sc {
                continue;
            }
            let s = samples.get(si).copied().unwrap_or(&[]);
            let end = (at + SEGMENT).min(s.len());
            let seg = s.get(at..end).unwrap_or(&[]);
            for i in at..end.saturating_sub(GRAM - 1) {
                if let Some(f) = freq.get_mut(&gram(s, i)) {
                    *f = 1;
                }
            }
            size += seg.len();
            chosen.push(seg.to_vec());
            taken.push(k);
        }
        if taken.is_empty() {
            break;
        }
        taken.sort_unstable();
        for k in taken.into_iter().rev() {
            candidates.swap_remove(k);
        }
    }
    // Best segments last.
    let mut content: Vec<u8> = chosen.into_iter().rev().flatten().collect();
    if content.len() > budget {
        let cut = content.len() - budget;
        content.drain(..cut);
    }
    content
}

/// Trains a dictionary of at most `max_size` bytes from `samples`.
///
/// # Errors
/// [`ErrorKind::InvalidArgument`] when there is too little sample data
/// (under 64 bytes in all) or `max_size` is under 256 bytes.
pub fn train_dictionary(samples: &[&[u8]], max_size: usize) -> Result<Vec<u8>, Error> {
    let total: usize = samples.iter().map(|s| s.len()).sum();
    if total < 64 || max_size < 256 {
        return Err(Error::new(
            ErrorKind::InvalidArgument,
            NAME,
            "dictionary training needs 64+ bytes of samples and 256+ bytes of budget",
        ));
    }
    // Header and tables take well under 1 KiB; the rest is content.
    let budget = max_size.saturating_sub(1024).max(128).min(total);
    let mut content = select_content(samples, budget);
    if content.len() < 8 {
        // Repeat offsets must point into the content.
        content.resize(8, 0);
    }
    let mut lit = [1u32; 256];
    let mut llc = vec![1u32; 36];
    let mut mlc = vec![1u32; 53];
    let mut ofc = vec![1u32; 32];
    let params = levels::params(5)?;
    for s in samples {
        let mut buf = content.clone();
        buf.extend_from_slice(s);
        let mut m = Matcher::new(params, 22, false);
        m.prime(&buf, content.len());
        let mut seqs: Vec<Seq> = Vec::new();
        let mut ent = EncEntropy::default();
        let mut rep = ent.rep;
        m.find(&buf, content.len(), buf.len(), 0, &mut rep, &mut seqs);
        let mut pos = content.len();
        for q in &seqs {
            for &b in buf.get(pos..pos + q.lit_len as usize).unwrap_or(&[]) {
                if let Some(c) = lit.get_mut(usize::from(b)) {
                    *c += 1;
                }
            }
            pos += (q.lit_len + q.match_len) as usize;
            let v = offset_value(&mut ent.rep, q.offset, q.lit_len);
            let bump = |t: &mut Vec<u32>, i: u8| {
                if let Some(c) = t.get_mut(usize::from(i)) {
                    *c += 1;
                }
            };
            bump(&mut llc, ll_code(q.lit_len));
            bump(&mut mlc, ml_code(q.match_len));
            bump(&mut ofc, (31 - v.leading_zeros()) as u8);
        }
        for &b in buf.get(pos..).unwrap_or(&[]) {
            if let Some(c) = lit.get_mut(usize::from(b)) {
                *c += 1;
            }
        }
    }
    let id = (xxhash64(&content, 0) as u32 % ((1 << 31) - 32_768)) + 32_768;
    let mut out = Vec::with_capacity(content.len() + 1024);
    out.extend_from_slice(&DICT_MAGIC.to_le_bytes());
    out.extend_from_slice(&id.to_le_bytes());
    let huf = HufEncoder::build(&lit).ok_or(Error::new(ErrorKind::InvalidArgument, NAME, "no literal statistics"))?;
    huf.write_table(&mut out).ok_or(Error::new(ErrorKind::InvalidArgument, NAME, "literal table not representable"))?;
    for (counts, max_log) in [(&ofc, OF_MAX_LOG), (&mlc, ML_MAX_LOG), (&llc, LL_MAX_LOG)] {
        let (probs, log) = fse::normalize(counts, max_log);
        fse::write_ncount(&probs, log, &mut out);
    }
    for r in [1u32, 4, 8] {
        out.extend_from_slice(&r.to_le_bytes());
    }
    out.extend_from_slice(&content);
    Ok(out)
}
