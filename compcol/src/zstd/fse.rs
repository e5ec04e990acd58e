//! Finite State Entropy (tANS) tables: reading and writing table
//! descriptions, building decoding and encoding tables.
//!
//! Entry points: [`read_ncount`] and [`DTable::build`] (decoder side);
//! [`normalize`], [`write_ncount`] and [`CTable::build`] (encoder side).
//! Both sides spread symbols over the table with the same walk (RFC 8878
//! section 4.1.1), which is what makes the encoder's states the decoder's.

use super::bits::ForwardReader;
use super::corrupt;
use crate::Error;
use alloc::vec;
use alloc::vec::Vec;

/// One decoding state: the symbol it emits and how to reach the next state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct DEntry {
    pub(crate) symbol: u8,
    pub(crate) bits: u8,
    pub(crate) base: u16,
}

/// A decoding table of `1 << log` states (Huffman weights; the sequence
/// tables are built by `sequences`).
#[derive(Debug, Clone, Default)]
pub(crate) struct DTable {
    pub(crate) entries: Vec<DEntry>,
}

/// The position walk that spreads symbols over a table of `size` states.
fn step(size: usize) -> usize {
    (size >> 1) + (size >> 3) + 3
}

/// Where each state's symbol goes: symbols of probability -1 ("less than
/// one") take the top states, the rest are spread by [`step`].
fn spread(probs: &[i16], log: u32) -> Result<Vec<u8>, Error> {
    let size = 1usize << log;
    let mut table = vec![0u8; size];
    let mut high = size;
    for (s, &p) in probs.iter().enumerate() {
        if p == -1 {
            high -= 1;
            if let Some(slot) = table.get_mut(high) {
                *slot = s as u8;
            }
        }
    }
    let mask = size - 1;
    let st = step(size);
    let mut pos = 0usize;
    for (s, &p) in probs.iter().enumerate() {
        for _ in 0..p.max(0) {
            if let Some(slot) = table.get_mut(pos) {
                *slot = s as u8;
            }
            pos = (pos + st) & mask;
            while pos >= high {
                pos = (pos + st) & mask;
            }
        }
    }
    if pos != 0 {
        return Err(corrupt("FSE probabilities do not fill the table"));
    }
    Ok(table)
}

impl DTable {
    /// Builds the decoding table for normalized `probs` summing to
    /// `1 << log`.
    pub(crate) fn build(probs: &[i16], log: u32) -> Result<Self, Error> {
        let size = 1usize << log;
        let symbols = spread(probs, log)?;
        let mut next: Vec<u32> = probs.iter().map(|&p| if p == -1 { 1 } else { p.max(0) as u32 }).collect();
        let mut entries = Vec::with_capacity(size);
        for &s in &symbols {
            let n = next.get_mut(usize::from(s)).ok_or(corrupt("FSE symbol out of range"))?;
            let x = *n;
            *n += 1;
            let bits = log - (31 - x.leading_zeros());
            let base = (x << bits) as usize - size;
            entries.push(DEntry { symbol: s, bits: bits as u8, base: base as u16 });
        }
        Ok(Self { entries })
    }
}

/// Reads an FSE table description (RFC 8878 4.1.1) for symbols
/// `0..=max_symbol` with accuracy at most `max_log`. Returns the
/// probabilities, the accuracy log and the bytes used.
pub(crate) fn read_ncount(data: &[u8], max_symbol: usize, max_log: u32) -> Result<(Vec<i16>, u32, usize), Error> {
    if data.is_empty() {
        return Err(corrupt("truncated FSE table description"));
    }
    let mut r = ForwardReader::new(data);
    let log = r.read(4) + 5;
    if log > max_log {
        return Err(corrupt("FSE accuracy log too large"));
    }
    let mut probs: Vec<i16> = Vec::with_capacity(max_symbol + 1);
    let mut remaining: i32 = (1 << log) + 1;
    let mut threshold: i32 = 1 << log;
    let mut nb_bits = log + 1;
    while remaining > 1 {
        if probs.len() > max_symbol {
            return Err(corrupt("FSE table has too many symbols"));
        }
        let max = 2 * threshold - 1 - remaining;
        let low = r.peek(nb_bits - 1) as i32;
        let value = if low < max {
            r.skip(nb_bits - 1);
            low
        } else {
            let mut v = r.read(nb_bits) as i32;
            if v >= threshold {
                v -= max;
            }
            v
        };
        let prob = value - 1;
        remaining -= prob.abs();
        probs.push(prob as i16);
        if prob == 0 {
            loop {
                let repeat = r.read(2);
                probs.extend(core::iter::repeat_n(0, repeat as usize));
                if probs.len() > max_symbol + 1 {
                    return Err(corrupt("FSE zero run past the last symbol"));
                }
                if repeat != 3 {
                    break;
                }
            }
        }
        while remaining < threshold && threshold > 1 {
            nb_bits -= 1;
            threshold >>= 1;
        }
        if r.bytes_used() > data.len() {
            return Err(corrupt("truncated FSE table description"));
        }
    }
    if remaining != 1 || probs.len() > max_symbol + 1 {
        return Err(corrupt("FSE probabilities do not sum to the table size"));
    }
    if probs.iter().filter(|&&p| p != 0).count() < 1 {
        return Err(corrupt("FSE table without symbols"));
    }
    Ok((probs, log, r.bytes_used()))
}

/// Scales `counts` to probabilities summing to `1 << log`, every present
/// symbol getting at least 1. `log` is chosen from the data size and
/// capped at `max_log`.
pub(crate) fn normalize(counts: &[u32], max_log: u32) -> (Vec<i16>, u32) {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    let distinct = counts.iter().filter(|&&c| c > 0).count() as u32;
    let fit = 64 - total.saturating_sub(1).leading_zeros();
    let min_log = (32 - distinct.leading_zeros()).max(5);
    let log = fit.clamp(min_log, max_log.max(min_log)).min(max_log);
    let size = 1i64 << log;
    let mut probs: Vec<i16> =
        counts
            .iter()
            .map(|&c| {
                if c == 0 { 0 } else { ((i64::from(c) * size + total as i64 / 2) / total.max(1) as i64).max(1) as i16 }
            })
            .collect();
    let mut sum: i64 = probs.iter().map(|&p| i64::from(p)).sum();
    // Rounding overshoots: take the excess from the most probable symbols,
    // a quarter of each at most, so no present symbol drops below 1.
    while sum > size {
        let Some((idx, &p)) = probs.iter().enumerate().max_by_key(|(_, p)| **p) else { break };
        if p <= 1 {
            break;
        }
        let delta = (sum - size).min(i64::from(p) - 1).min(i64::from(p) / 4 + 1);
        if let Some(slot) = probs.get_mut(idx) {
            *slot -= delta as i16;
        }
        sum -= delta;
    }
    if sum < size
        && let Some((idx, _)) = probs.iter().enumerate().max_by_key(|(_, p)| **p)
        && let Some(slot) = probs.get_mut(idx)
    {
        *slot += (size - sum) as i16;
    }
    (probs, log)
}

/// Appends the table description of `probs` (RFC 8878 4.1.1).
pub(crate) fn write_ncount(probs: &[i16], log: u32, out: &mut Vec<u8>) {
    let mut acc: u64 = 0;
    let mut nbits: u32 = 0;
    let mut put = |v: u32, n: u32, out: &mut Vec<u8>| {
        acc |= u64::from(v) << nbits;
        nbits += n;
        while nbits >= 8 {
            out.push(acc as u8);
            acc >>= 8;
            nbits -= 8;
        }
    };
    put(log - 5, 4, out);
    let mut remaining: i32 = (1 << log) + 1;
    let mut threshold: i32 = 1 << log;
    let mut nb_bits = log + 1;
    let mut s = 0usize;
    while remaining > 1 {
        let Some(&prob) = probs.get(s) else { break };
        let value = i32::from(prob) + 1;
        let max = 2 * threshold - 1 - remaining;
        if value < max {
            put(value as u32, nb_bits - 1, out);
        } else if value < threshold {
            put(value as u32, nb_bits, out);
        } else {
            put((value + max) as u32, nb_bits, out);
        }
        remaining -= i32::from(prob).abs();
        s += 1;
        if prob == 0 {
            let mut run = probs.get(s..).unwrap_or(&[]).iter().take_while(|&&p| p == 0).count();
            s += run;
            while run >= 3 {
                put(3, 2, out);
                run -= 3;
            }
            put(run as u32, 2, out);
        }
        while remaining < threshold && threshold > 1 {
            nb_bits -= 1;
            threshold >>= 1;
        }
    }
    if nbits > 0 {
        out.push(acc as u8);
    }
}

/// Per-symbol encoding transform.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SymbolTransform {
    delta_bits: u32,
    delta_state: i32,
}

/// An encoding table.
#[derive(Debug, Clone, Default)]
pub(crate) struct CTable {
    pub(crate) log: u32,
    states: Vec<u16>,
    symbols: Vec<SymbolTransform>,
}

impl CTable {
    /// Builds the encoder for normalized `probs` summing to `1 << log`.
    pub(crate) fn build(probs: &[i16], log: u32) -> Result<Self, Error> {
        let size = 1u32 << log;
        let symbols = spread(probs, log)?;
        let mut cumul = Vec::with_capacity(probs.len() + 1);
        let mut c = 0u32;
        for &p in probs {
            cumul.push(c);
            c += if p == -1 { 1 } else { p.max(0) as u32 };
        }
        let mut fill = cumul.clone();
        let mut states = vec![0u16; size as usize];
        for (u, &s) in symbols.iter().enumerate() {
            if let Some(f) = fill.get_mut(usize::from(s)) {
                if let Some(slot) = states.get_mut(*f as usize) {
                    *slot = (size + u as u32) as u16;
                }
                *f += 1;
            }
        }
        let transforms = probs
            .iter()
            .zip(&cumul)
            .map(|(&p, &start)| match p {
                0 => SymbolTransform { delta_bits: ((log + 1) << 16).wrapping_sub(size), delta_state: 0 },
                -1 | 1 => SymbolTransform { delta_bits: (log << 16).wrapping_sub(size), delta_state: start as i32 - 1 },
                _ => {
                    let p = p as u32;
                    let max_bits_out = log - (31 - (p - 1).leading_zeros());
                    let min_state_plus = p << max_bits_out;
                    SymbolTransform {
                        delta_bits: (max_bits_out << 16).wrapping_sub(min_state_plus),
                        delta_state: start as i32 - p as i32,
                    }
                }
            })
            .collect();
        Ok(Self { log, states, symbols: transforms })
    }

    /// The state after encoding the first symbol (the last in stream
    /// order), chosen so it costs no bits.
    #[inline]
    pub(crate) fn init_state(&self, symbol: u8) -> u32 {
        let t = self.symbols.get(usize::from(symbol)).copied().unwrap_or_default();
        let nb = (t.delta_bits.wrapping_add(1 << 15)) >> 16;
        let value = (nb << 16).wrapping_sub(t.delta_bits);
        let idx = ((value >> nb) as i32 + t.delta_state) as usize;
        u32::from(self.states.get(idx).copied().unwrap_or(0))
    }

    /// Encodes `symbol` from `state`: returns (bits value, bit count, new state).
    #[inline(always)]
    pub(crate) fn encode(&self, state: u32, symbol: u8) -> (u64, u32, u32) {
        let t = self.symbols.get(usize::from(symbol)).copied().unwrap_or_default();
        let nb = (state.wrapping_add(t.delta_bits)) >> 16;
        let idx = ((state >> nb) as i32 + t.delta_state) as usize;
        (u64::from(state), nb, u32::from(self.states.get(idx).copied().unwrap_or(0)))
    }

    /// Bits to flush the final state.
    pub(crate) fn flush(&self, state: u32) -> (u64, u32) {
        (u64::from(state), self.log)
    }
}

/// Estimated cost in bits of coding `counts` with `probs` (log2 of the
/// probability per symbol, in 1/256 bits), or `None` if a present symbol has
/// probability 0.
pub(crate) fn cost_bits(counts: &[u32], probs: &[i16], log: u32) -> Option<u64> {
    let mut total: u64 = 0;
    for (s, &c) in counts.iter().enumerate() {
        if c == 0 {
            continue;
        }
        let p = match probs.get(s) {
            Some(&-1) => 1,
            Some(&p) if p > 0 => p as u32,
            _ => return None,
        };
        // -log2(p / 2^log) in 1/256 bits, via a fixed-point log2.
        total += u64::from(c) * u64::from((log << 8) - log2_fixed(p));
    }
    Some(total >> 8)
}

/// log2(x) in 1/256 units (x >= 1).
fn log2_fixed(x: u32) -> u32 {
    let hb = 31 - x.leading_zeros();
    // Linear interpolation of the fraction is close enough for cost estimates.
    let frac = if hb >= 8 { (x >> (hb - 8)) & 0xff } else { (x << (8 - hb)) & 0xff };
    (hb << 8) + frac
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::zstd::bits::{BackReader, BackWriter};

    #[test]
    fn ncount_round_trip_and_codec() {
        let counts = [100u32, 3, 0, 0, 0, 0, 40, 1, 0, 7, 250, 0, 1];
        let (probs, log) = normalize(&counts, 9);
        assert_eq!(probs.iter().map(|&p| i32::from(p).abs()).sum::<i32>(), 1 << log);
        let mut out = Vec::new();
        write_ncount(&probs, log, &mut out);
        let (back, log2, used) = read_ncount(&out, 52, 9).unwrap();
        assert_eq!((log2, used), (log, out.len()));
        assert_eq!(&back[..], &probs[..back.len()]);
        // Encode then decode a symbol sequence with one state.
        let ct = CTable::build(&probs, log).unwrap();
        let dt = DTable::build(&probs, log).unwrap();
        let msg: Vec<u8> = (0..500u32).map(|i| [0u8, 6, 10, 10, 9, 0, 1, 12, 7][(i % 9) as usize]).collect();
        let mut w = BackWriter::with_capacity(100);
        let (last, rest) = msg.split_last().unwrap();
        let mut state = ct.init_state(*last);
        for &s in rest.iter().rev() {
            let (v, n, ns) = ct.encode(state, s);
            w.write(v, n);
            state = ns;
        }
        let (v, n) = ct.flush(state);
        w.write(v, n);
        let bytes = w.finish();
        let mut r = BackReader::new(&bytes).unwrap();
        let mut st = r.read(log) as usize;
        let mut got = Vec::new();
        for i in 0..msg.len() {
            let e = dt.entries[st];
            got.push(e.symbol);
            if i + 1 < msg.len() {
                r.reload();
                st = e.base as usize + r.read(u32::from(e.bits)) as usize;
            }
        }
        assert_eq!(got, msg);
        assert!(r.finished());
    }
}
