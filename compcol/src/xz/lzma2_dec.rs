//! The LZMA2 chunk decoder: control bytes, uncompressed chunks, LZMA
//! chunks with state / property / dictionary resets, and the end byte.
//!
//! Entry point: [`Lzma2Dec::decode`], used by the `.xz` block decoder and
//! by the raw [`super::Lzma2Decoder`].

use super::lzma_dec::{LzmaCore, RunEnd, Window};
use super::model::Props;
use crate::{Error, ErrorKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Control,
    Header,
    RcInit,
    Lzma,
    LzmaFinish,
    Uncompressed,
    End,
}

/// LZMA2 decoding state over its own window.
#[derive(Debug, Clone)]
pub(crate) struct Lzma2Dec {
    core: LzmaCore,
    win: Window,
    phase: Phase,
    control: u8,
    hdr: [u8; 5],
    hdr_need: usize,
    have: usize,
    need_dict_reset: bool,
    need_props: bool,
    dict_reset_pending: bool,
    unpacked_left: usize,
    packed_left: usize,
}

fn corrupt(detail: &'static str) -> Error {
    Error::new(ErrorKind::Corrupt, "xz", detail)
}

/// The dictionary size encoded by an LZMA2 properties byte (0..=40).
pub(crate) fn dict_size_from_byte(b: u8) -> Option<u32> {
    match b {
        40 => Some(u32::MAX),
        0..40 => Some((2 | (u32::from(b) & 1)) << (b / 2 + 11)),
        _ => None,
    }
}

impl Lzma2Dec {
    /// A decoder whose window holds `dict_size` bytes.
    pub(crate) fn new(dict_size: usize) -> Self {
        Self {
            core: LzmaCore::new(Props::DEFAULT),
            win: Window::new(dict_size),
            phase: Phase::Control,
            control: 0,
            hdr: [0; 5],
            hdr_need: 0,
            have: 0,
            need_dict_reset: true,
            need_props: true,
            dict_reset_pending: false,
            unpacked_left: 0,
            packed_left: 0,
        }
    }

    /// The window's size in bytes.
    pub(crate) fn window_cap(&self) -> usize {
        self.win.cap()
    }

    /// Back to the start of a stream, keeping the window allocation.
    pub(crate) fn reset(&mut self) {
        self.win.reset();
        self.phase = Phase::Control;
        self.have = 0;
        self.need_dict_reset = true;
        self.need_props = true;
        self.dict_reset_pending = false;
        self.core.pending = 0;
    }

    /// Decodes from `input` into `output`; returns (consumed, produced,
    /// whether the end byte was seen and all output delivered).
    pub(crate) fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<(usize, usize, bool), Error> {
        if self.dict_reset_pending {
            self.win.reset();
            self.dict_reset_pending = false;
        }
        self.win.wrap_if_full();
        let start = self.win.pos;
        let limit = self.win.cap().min(start + output.len());
        let mut ip = 0;
        let r = self.run(input, &mut ip, limit, start);
        let produced = self.win.pos - start;
        if let Some(dst) = output.get_mut(..produced) {
            dst.copy_from_slice(self.win.since(start));
        }
        r?;
        Ok((ip, produced, self.phase == Phase::End))
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, limit: usize, start: usize) -> Result<(), Error> {
        loop {
            match self.phase {
                Phase::End => return Ok(()),
                Phase::Control => {
                    let Some(&c) = input.get(*ip) else { return Ok(()) };
                    *ip += 1;
                    self.control = c;
                    self.have = 0;
                    if c == 0 {
                        self.phase = Phase::End;
                        return Ok(());
                    }
                    if c >= 0xe0 || c == 1 {
                        self.need_props = true;
                        self.need_dict_reset = false;
                        self.dict_reset_pending = true;
                    } else if self.need_dict_reset {
                        return Err(corrupt("LZMA2 stream does not start with a dictionary reset"));
                    }
                    if c >= 0x80 {
                        if c >= 0xc0 {
                            self.need_props = false;
                            self.hdr_need = 5;
                        } else if self.need_props {
                            return Err(corrupt("LZMA2 chunk without the properties it needs"));
                        } else {
                            self.hdr_need = 4;
                        }
                    } else if c > 2 {
                        return Err(corrupt("invalid LZMA2 control byte"));
                    } else {
                        self.hdr_need = 2;
                    }
                    self.phase = Phase::Header;
                }
                Phase::Header => {
                    while self.have < self.hdr_need {
                        let Some(&b) = input.get(*ip) else { return Ok(()) };
                        *ip += 1;
                        if let Some(s) = self.hdr.get_mut(self.have) {
                            *s = b;
                        }
                        self.have += 1;
                    }
                    if self.dict_reset_pending {
                        if self.win.pos != start {
                            // Deliver what this call decoded before forgetting it.
                            return Ok(());
                        }
                        self.win.reset();
                        self.dict_reset_pending = false;
                    }
                    let [h0, h1, h2, h3, h4] = self.hdr;
                    let c = self.control;
                    if c < 0x80 {
                        self.unpacked_left = usize::from(u16::from_be_bytes([h0, h1])) + 1;
                        self.phase = Phase::Uncompressed;
                        continue;
                    }
                    self.unpacked_left =
                        ((usize::from(c & 0x1f) << 16) | usize::from(u16::from_be_bytes([h0, h1]))) + 1;
                    self.packed_left = usize::from(u16::from_be_bytes([h2, h3])) + 1;
                    if c >= 0xc0 {
                        let p = Props::from_byte(h4).filter(|p| p.lc + p.lp <= 4);
                        let Some(p) = p else { return Err(corrupt("invalid LZMA2 properties byte")) };
                        self.core.model.reset(p);
                        self.core.pending = 0;
                    } else if c >= 0xa0 {
                        let m = &self.core.model;
                        let p = Props { lc: m.lc, lp: m.lp_mask.count_ones(), pb: m.pb_mask.count_ones() };
                        self.core.model.reset(p);
                        self.core.pending = 0;
                    }
                    self.have = 0;
                    self.phase = Phase::RcInit;
                }
                Phase::RcInit => {
                    while self.have < 5 {
                        let Some(&b) = input.get(*ip) else { return Ok(()) };
                        *ip += 1;
                        if let Some(s) = self.hdr.get_mut(self.have) {
                            *s = b;
                        }
                        self.have += 1;
                    }
                    if self.packed_left < 5 {
                        return Err(corrupt("LZMA2 chunk too short for the range coder"));
                    }
                    self.packed_left -= 5;
                    let Some(rc) = super::lzma_dec::RangeState::init(self.hdr) else {
                        return Err(corrupt("range coder does not start with 0"));
                    };
                    self.core.rc = rc;
                    self.core.clear_tail();
                    self.phase = Phase::Lzma;
                }
                Phase::Lzma => {
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let avail = rest.get(..self.packed_left).unwrap_or(rest);
                    let lim = limit.min(self.win.pos + self.unpacked_left);
                    let before = self.win.pos;
                    let (used, end) =
                        self.core.decode(avail, avail.len() == self.packed_left, &mut self.win, lim, false)?;
                    *ip += used;
                    let stalled = used == 0 && self.win.pos == before;
                    let all_packed_here = avail.len() == self.packed_left;
                    self.packed_left = self.packed_left.saturating_sub(used);
                    self.unpacked_left -= self.win.pos - before;
                    if stalled && self.unpacked_left != 0 && self.win.pos < limit {
                        // No progress: with the chunk's whole packed data at
                        // hand no later call can make any either (a loop
                        // here once spun forever on a forged chunk size).
                        if all_packed_here {
                            return Err(corrupt("LZMA2 chunk's compressed data ends before its unpacked size"));
                        }
                        return Ok(());
                    }
                    if self.unpacked_left == 0 {
                        if self.core.pending != 0 {
                            return Err(corrupt("match crosses the end of an LZMA2 chunk"));
                        }
                        self.phase = Phase::LzmaFinish;
                        continue;
                    }
                    if end == RunEnd::NeedInput || self.win.pos >= limit {
                        return Ok(());
                    }
                }
                Phase::LzmaFinish => {
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let avail = rest.get(..self.packed_left).unwrap_or(rest);
                    let Some(used) = self.core.finish(avail)? else {
                        // The range coder wants one more byte; past the
                        // chunk's packed size none can come (a forged size
                        // once left the decoder asking for input forever).
                        if self.packed_left == 0 {
                            return Err(corrupt("LZMA2 chunk's range coder needs bytes past its packed size"));
                        }
                        return Ok(());
                    };
                    *ip += used;
                    self.packed_left -= used;
                    if self.packed_left != 0 {
                        return Err(corrupt("LZMA2 chunk has bytes after its data"));
                    }
                    self.phase = Phase::Control;
                }
                Phase::Uncompressed => {
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let n = rest.len().min(self.unpacked_left).min(limit - self.win.pos);
                    self.win.put_slice(rest.get(..n).unwrap_or(&[]));
                    *ip += n;
                    self.unpacked_left -= n;
                    if self.unpacked_left == 0 {
                        self.phase = Phase::Control;
                    } else {
                        return Ok(());
                    }
                }
            }
        }
    }
}
