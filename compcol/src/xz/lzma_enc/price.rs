//! Prices: what coding a symbol would cost right now, read from the range
//! coder's adaptive probabilities, in sixteenths of a bit.
//!
//! Entry points: [`bit`], [`tree`], [`reverse`] (one bit, a bit tree, a
//! reverse bit tree) and [`Prices`], the cached length and distance
//! tables the optimal parser consults at every position. Caching matters:
//! a match of length `l` at distance `d` is priced for every `l` up to the
//! longest match at every position, far too often to walk bit trees.

use super::super::lzma_dec::LenCoder;
use super::super::model::Model;
use alloc::vec;
use alloc::vec::Vec;

/// Prices are in 1/16 bit.
pub(super) const BIT: u32 = 16;
/// A price no real path reaches.
pub(super) const INFINITE: u32 = 1 << 30;
/// Distances below this get an exact cached price.
const FULL_DISTANCES: usize = 128;
/// Lengths 2..=273 as indexes 0..272.
const LEN_SYMBOLS: usize = 272;

/// `-log2(p / 2048)` in sixteenths of a bit for the probability class
/// `p >> 4` (probabilities are 11-bit; the low four bits barely matter).
/// The fraction is cut, not rounded, so every bit costs up to 1/16 bit
/// more than exact: that leans the parser towards fewer, longer symbols,
/// which pays back in the states and reps it leaves behind (the parser
/// does not see those), and measured smaller than exact prices here.
// A const fn cannot use `get_mut`; `i < 128` is the loop bound.
#[allow(clippy::indexing_slicing)]
const fn build_log_table() -> [u32; 128] {
    let mut t = [0u32; 128];
    let mut i = 0;
    while i < 128 {
        // log2 of the class midpoint `w` by repeated squaring: after four
        // squarings, each followed by halving back below 2^16,
        // `w^16 = rest * 2^halvings` with `rest` in [2^15, 2^16), so
        // 16 * log2(w) is `halvings` plus 15 and a fraction.
        let mut w: u64 = (i as u64) * 16 + 8;
        let mut halvings: u32 = 0;
        let mut j = 0;
        while j < 4 {
            w *= w;
            halvings <<= 1;
            while w >= 1 << 16 {
                w >>= 1;
                halvings += 1;
            }
            j += 1;
        }
        // 16 * (11 - log2(w)), the fraction of log2(rest) dropped.
        t[i] = (11 << 4) - 15 - halvings;
        i += 1;
    }
    t
}

static LOG_TABLE: [u32; 128] = build_log_table();

/// The price of coding `b` (0 or 1) with probability-of-zero `p`.
#[inline(always)]
pub(super) fn bit(p: u16, b: u32) -> u32 {
    let q = if b == 0 { u32::from(p) } else { 2048 - u32::from(p) };
    LOG_TABLE.get((q >> 4) as usize).copied().unwrap_or(INFINITE)
}

/// The price of `value` through a bit tree of `bits` levels.
pub(super) fn tree(probs: &[u16], bits: u32, value: u32) -> u32 {
    let mut price = 0;
    let mut m = 1usize;
    for i in (0..bits).rev() {
        let b = (value >> i) & 1;
        price += bit(probs.get(m).copied().unwrap_or(1024), b);
        m = (m << 1) | b as usize;
    }
    price
}

/// The price of `value` through a reverse bit tree (low bit first).
pub(super) fn reverse(probs: &[u16], bits: u32, value: u32) -> u32 {
    let mut price = 0;
    let mut m = 1usize;
    for i in 0..bits {
        let b = (value >> i) & 1;
        price += bit(probs.get(m).copied().unwrap_or(1024), b);
        m = (m << 1) | b as usize;
    }
    price
}

/// The distance slot of a 0-based distance.
#[inline(always)]
pub(super) fn dist_slot(dist: u32) -> u32 {
    if dist < 4 {
        dist
    } else {
        let top = 31 - dist.leading_zeros();
        (top << 1) | ((dist >> (top - 1)) & 1)
    }
}

fn len_prices(lc: &LenCoder, pos_state: usize, out: &mut [u32]) {
    let o = pos_state * 8;
    let low = lc.low.get(o..o + 8).unwrap_or(&[]);
    let mid = lc.mid.get(o..o + 8).unwrap_or(&[]);
    let c0 = bit(lc.choice, 0);
    let c1 = bit(lc.choice, 1);
    let c10 = c1 + bit(lc.choice2, 0);
    let c11 = c1 + bit(lc.choice2, 1);
    for (l, slot) in out.iter_mut().enumerate() {
        let l = l as u32;
        *slot = if l < 8 {
            c0 + tree(low, 3, l)
        } else if l < 16 {
            c10 + tree(mid, 3, l - 8)
        } else {
            c11 + tree(&lc.high, 8, l - 16)
        };
    }
}

#[cfg(test)]
pub(super) fn len_prices_for_test(lc: &LenCoder, pos_state: usize, out: &mut [u32]) {
    len_prices(lc, pos_state, out);
}

/// Cached prices of lengths and distances for the current model.
#[derive(Debug, Clone)]
pub(super) struct Prices {
    /// `[pos_state * 272 + len - 2]` for new matches.
    match_len: Vec<u32>,
    /// The same for rep matches.
    rep_len: Vec<u32>,
    /// `[len_state * 64 + slot]`.
    slot: Vec<u32>,
    /// `[len_state * 128 + dist]` for distances below 128.
    full: Vec<u32>,
    /// The four aligned low bits of long distances.
    align: [u32; 16],
}

impl Prices {
    pub(super) fn new() -> Self {
        Self {
            match_len: vec![0; 16 * LEN_SYMBOLS],
            rep_len: vec![0; 16 * LEN_SYMBOLS],
            slot: vec![0; 4 * 64],
            full: vec![0; 4 * FULL_DISTANCES],
            align: [0; 16],
        }
    }

    /// Recomputes every table from `m` (the model drifts as it codes).
    pub(super) fn refresh(&mut self, m: &Model) {
        for ps in 0..=m.pb_mask {
            let r = ps * LEN_SYMBOLS..(ps + 1) * LEN_SYMBOLS;
            if let Some(out) = self.match_len.get_mut(r.clone()) {
                len_prices(&m.len, ps, out);
            }
            if let Some(out) = self.rep_len.get_mut(r) {
                len_prices(&m.rep_len, ps, out);
            }
        }
        for ls in 0..4 {
            let probs = m.dist_slot.get(ls * 64..ls * 64 + 64).unwrap_or(&[]);
            for s in 0..64u32 {
                let mut p = tree(probs, 6, s);
                if s >= 14 {
                    p += ((s >> 1) - 1 - 4) * BIT;
                }
                if let Some(v) = self.slot.get_mut(ls * 64 + s as usize) {
                    *v = p;
                }
            }
            for d in 0..FULL_DISTANCES as u32 {
                let s = dist_slot(d);
                let mut p = self.slot.get(ls * 64 + s as usize).copied().unwrap_or(INFINITE);
                if s >= 4 {
                    let nd = (s >> 1) - 1;
                    let base = (2 | (s & 1)) << nd;
                    let off = (base - s) as usize;
                    p += reverse(m.dist_special.get(off..).unwrap_or(&[]), nd, d - base);
                }
                if let Some(v) = self.full.get_mut(ls * FULL_DISTANCES + d as usize) {
                    *v = p;
                }
            }
        }
        for (a, v) in self.align.iter_mut().enumerate() {
            *v = reverse(&m.dist_align, 4, a as u32);
        }
    }

    /// A new match's length part.
    #[inline(always)]
    pub(super) fn match_len(&self, len: usize, pos_state: usize) -> u32 {
        self.match_len.get(pos_state * LEN_SYMBOLS + len - 2).copied().unwrap_or(INFINITE)
    }

    /// A rep match's length part.
    #[inline(always)]
    pub(super) fn rep_len(&self, len: usize, pos_state: usize) -> u32 {
        self.rep_len.get(pos_state * LEN_SYMBOLS + len - 2).copied().unwrap_or(INFINITE)
    }

    /// A new match's distance part (`dist` 0-based) for a match of `len`.
    #[inline(always)]
    pub(super) fn dist(&self, dist: u32, len: usize) -> u32 {
        let ls = (len - 2).min(3);
        if (dist as usize) < FULL_DISTANCES {
            self.full.get(ls * FULL_DISTANCES + dist as usize).copied().unwrap_or(INFINITE)
        } else {
            let s = dist_slot(dist) as usize;
            self.slot.get(ls * 64 + s).copied().unwrap_or(INFINITE)
                + self.align.get((dist & 15) as usize).copied().unwrap_or(INFINITE)
        }
    }
}

/// The price of a literal in state `st` (matched literal from state 7 on).
pub(super) fn literal(m: &Model, st: usize, lit_state: usize, byte: u8, match_byte: u8) -> u32 {
    let base = lit_state * 0x300;
    let probs = m.literal.get(base..base + 0x300).unwrap_or(&[]);
    let mut price = 0;
    let mut sym = 1usize;
    let mut i = 8;
    if st >= 7 {
        let mut mb = usize::from(match_byte);
        while i > 0 {
            i -= 1;
            let b = usize::from(byte >> i) & 1;
            let match_bit = (mb >> 7) & 1;
            mb <<= 1;
            price += bit(probs.get(0x100 + (match_bit << 8) + sym).copied().unwrap_or(1024), b as u32);
            sym = (sym << 1) | b;
            if match_bit != b {
                break;
            }
        }
    }
    while i > 0 {
        i -= 1;
        let b = usize::from(byte >> i) & 1;
        price += bit(probs.get(sym).copied().unwrap_or(1024), b as u32);
        sym = (sym << 1) | b;
    }
    price
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_half_costs_one_bit_and_prices_fall_with_probability() {
        assert!((15..=17).contains(&bit(1024, 0)), "{}", bit(1024, 0));
        assert!((15..=17).contains(&bit(1024, 1)));
        // p(0) = 1/4: a zero costs two bits, a one about 0.415 bits.
        assert!((31..=33).contains(&bit(512, 0)), "{}", bit(512, 0));
        assert!((5..=8).contains(&bit(512, 1)), "{}", bit(512, 1));
        for p in (32..2016u16).step_by(16) {
            assert!(bit(p, 0) >= bit(p + 16, 0));
        }
    }

    #[test]
    fn slots_match_the_format() {
        assert_eq!([0, 1, 2, 3, 4, 5, 6, 7, 8].map(dist_slot), [0, 1, 2, 3, 4, 4, 5, 5, 6]);
        assert_eq!(dist_slot(u32::MAX), 63);
    }
}
