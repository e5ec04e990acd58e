//! The LZMA probability model and coder state shared by the decoder and
//! the encoder: literal context bits (lc), literal position bits (lp),
//! position bits (pb), the 12-state machine and the four rep distances.
//!
//! Entry points: [`Props`] (parse / encode the properties byte),
//! [`Model`] (all probabilities at 1024 = one half), [`State`].

use super::lzma_dec::LenCoder;
use alloc::vec;
use alloc::vec::Vec;

/// lc / lp / pb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Props {
    /// Literal context bits (0..=8).
    pub lc: u32,
    /// Literal position bits (0..=4).
    pub lp: u32,
    /// Position bits (0..=4).
    pub pb: u32,
}

impl Props {
    /// xz's defaults: lc=3, lp=0, pb=2.
    pub const DEFAULT: Self = Self { lc: 3, lp: 0, pb: 2 };

    /// Parses the properties byte `(pb * 5 + lp) * 9 + lc`.
    #[must_use]
    pub const fn from_byte(b: u8) -> Option<Self> {
        if b >= 9 * 5 * 5 {
            return None;
        }
        let b = b as u32;
        Some(Self { lc: b % 9, lp: (b / 9) % 5, pb: b / 45 })
    }

    /// The properties byte.
    #[must_use]
    pub const fn to_byte(self) -> u8 {
        ((self.pb * 5 + self.lp) * 9 + self.lc) as u8
    }
}

/// The state machine value and the rep distances.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct State {
    /// 0..=6 after a literal, 7..=11 after a match kind.
    pub(crate) state: usize,
    /// The four most recent match distances (0-based).
    pub(crate) reps: [u32; 4],
}

impl State {
    #[inline(always)]
    pub(crate) const fn after_literal(st: usize) -> usize {
        if st < 4 {
            0
        } else if st < 10 {
            st - 3
        } else {
            st - 6
        }
    }
}

/// Every adaptive probability of one LZMA coder.
#[derive(Debug, Clone)]
pub(crate) struct Model {
    pub(crate) lc: u32,
    pub(crate) lp_mask: usize,
    pub(crate) pb_mask: usize,
    pub(crate) state: State,
    pub(crate) literal: Vec<u16>,
    pub(crate) is_match: [u16; 12 * 16],
    pub(crate) is_rep: [u16; 12],
    pub(crate) is_rep0: [u16; 12],
    pub(crate) is_rep1: [u16; 12],
    pub(crate) is_rep2: [u16; 12],
    pub(crate) is_rep0_long: [u16; 12 * 16],
    pub(crate) dist_slot: [u16; 4 * 64],
    pub(crate) dist_special: [u16; 115],
    pub(crate) dist_align: [u16; 16],
    pub(crate) len: LenCoder,
    pub(crate) rep_len: LenCoder,
}

impl Model {
    pub(crate) fn new(p: Props) -> Self {
        Self {
            lc: p.lc,
            lp_mask: (1 << p.lp) - 1,
            pb_mask: (1 << p.pb) - 1,
            state: State::default(),
            literal: vec![1024; 0x300 << (p.lc + p.lp)],
            is_match: [1024; 192],
            is_rep: [1024; 12],
            is_rep0: [1024; 12],
            is_rep1: [1024; 12],
            is_rep2: [1024; 12],
            is_rep0_long: [1024; 192],
            dist_slot: [1024; 256],
            dist_special: [1024; 115],
            dist_align: [1024; 16],
            len: LenCoder::new(),
            rep_len: LenCoder::new(),
        }
    }

    /// Resets probabilities and state, switching to `p` (LZMA2 state reset).
    pub(crate) fn reset(&mut self, p: Props) {
        let mut lit = core::mem::take(&mut self.literal);
        lit.clear();
        lit.resize(0x300 << (p.lc + p.lp), 1024);
        let mut fresh = Self::new(Props { lc: 0, lp: 0, pb: p.pb });
        fresh.lc = p.lc;
        fresh.lp_mask = (1 << p.lp) - 1;
        fresh.literal = lit;
        *self = fresh;
    }
}
