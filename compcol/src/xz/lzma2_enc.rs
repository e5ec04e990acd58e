//! Buffering around the LZMA encoder: the input window (history plus
//! not-yet-coded bytes, slid by whole chain rings) and the two output
//! framings, LZMA2 chunks and one plain LZMA stream (`.lzma`).
//!
//! Entry point: [`LzWriter`]: [`LzWriter::push`] input, then
//! [`LzWriter::code_lzma2`] / [`LzWriter::code_lzma`] append packed bytes
//! to a caller vector.

use super::lzma_enc::{LzmaEnc, MATCH_LEN_MAX, RangeEncoder, Tuning};
use super::model::Props;
use alloc::vec::Vec;

/// Code once this much input is waiting (unless flushing).
const CODE_AT: usize = 1 << 20;
/// LZMA2 chunk limits: 2 MiB unpacked, 64 KiB packed.
const CHUNK_UNPACKED: usize = 1 << 21;
const CHUNK_PACKED: usize = 1 << 16;

/// The encoder's window and LZMA2 reset bookkeeping.
#[derive(Debug, Clone)]
pub(crate) struct LzWriter {
    enc: LzmaEnc,
    rc: RangeEncoder,
    buf: Vec<u8>,
    pos: usize,
    /// Valid history before `pos` (since the last dictionary reset).
    hist: usize,
    /// Stream position of `pos` since the last dictionary reset.
    total: u64,
    need_dict_reset: bool,
    need_props: bool,
    need_state_reset: bool,
}

impl LzWriter {
    pub(crate) fn new(props: Props, tuning: Tuning) -> Self {
        Self {
            enc: LzmaEnc::new(props, tuning),
            rc: RangeEncoder::new(),
            buf: Vec::new(),
            pos: 0,
            hist: 0,
            total: 0,
            need_dict_reset: true,
            need_props: true,
            need_state_reset: true,
        }
    }

    pub(crate) fn tuning(&self) -> Tuning {
        self.enc.tuning
    }

    /// Starts over with no history (a new block or stream).
    pub(crate) fn reset(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.hist = 0;
        self.total = 0;
        self.need_dict_reset = true;
        self.need_props = true;
        self.need_state_reset = true;
        self.enc.reset();
        self.rc.restart();
    }

    /// Appends input to code.
    pub(crate) fn push(&mut self, data: &[u8]) {
        self.buf.extend_from_slice(data);
    }

    /// Bytes pushed and not coded yet.
    pub(crate) fn waiting(&self) -> usize {
        self.buf.len() - self.pos
    }

    /// Drops history the matches can no longer reach.
    fn slide(&mut self) {
        let ring = self.enc.ring();
        if self.pos > 2 * ring + CODE_AT {
            let by = (self.pos - ring) / ring * ring;
            self.buf.drain(..by);
            self.pos -= by;
            self.enc.rebase(by);
        }
    }

    /// Codes waiting input as LZMA2 chunks into `out`: everything when
    /// `all`, otherwise only once [`CODE_AT`] bytes are waiting.
    pub(crate) fn code_lzma2(&mut self, out: &mut Vec<u8>, all: bool) {
        while self.waiting() > 0 && (all || self.waiting() >= CODE_AT + MATCH_LEN_MAX) {
            let reset = if self.need_dict_reset {
                3
            } else if self.need_props {
                2
            } else {
                u8::from(self.need_state_reset)
            };
            if reset > 0 {
                self.enc.model.reset(self.enc.props);
            }
            self.rc.restart();
            let end = self.buf.len();
            let n = self.enc.encode_range(
                &mut self.rc,
                &self.buf,
                self.pos,
                end,
                self.hist,
                self.total,
                CHUNK_UNPACKED,
                CHUNK_PACKED - 32,
            );
            self.rc.flush();
            let packed = &self.rc.out;
            let raw = self.buf.get(self.pos..self.pos + n).unwrap_or(&[]);
            if packed.len() >= n || packed.len() > CHUNK_PACKED {
                // Incompressible: store it; the model is then out of step,
                // so the next LZMA chunk resets the state.
                for (k, part) in raw.chunks(CHUNK_PACKED).enumerate() {
                    out.push(if self.need_dict_reset && k == 0 { 1 } else { 2 });
                    out.extend_from_slice(&((part.len() - 1) as u16).to_be_bytes());
                    out.extend_from_slice(part);
                }
                if self.need_dict_reset {
                    self.need_props = true;
                }
                self.need_dict_reset = false;
                self.need_state_reset = true;
            } else {
                let u = n - 1;
                out.push(0x80 | (reset << 5) | ((u >> 16) as u8 & 0x1f));
                out.extend_from_slice(&(u as u16).to_be_bytes());
                out.extend_from_slice(&((packed.len() - 1) as u16).to_be_bytes());
                if reset >= 2 {
                    out.push(self.enc.props.to_byte());
                }
                out.extend_from_slice(packed);
                self.need_dict_reset = false;
                self.need_props = false;
                self.need_state_reset = false;
            }
            self.pos += n;
            self.hist += n;
            self.total += n as u64;
            self.slide();
        }
    }

    /// Codes waiting input as one plain LZMA stream (no chunking) into
    /// `out`; with `finish`, writes the end marker and the final bytes.
    pub(crate) fn code_lzma(&mut self, out: &mut Vec<u8>, finish: bool) {
        if self.need_dict_reset {
            self.enc.model.reset(self.enc.props);
            self.rc.restart();
            self.need_dict_reset = false;
        }
        while self.waiting() > 0 && (finish || self.waiting() >= CODE_AT + MATCH_LEN_MAX) {
            let end = if finish { self.buf.len() } else { self.buf.len() - MATCH_LEN_MAX };
            let n = self.enc.encode_range(
                &mut self.rc,
                &self.buf,
                self.pos,
                end,
                self.hist,
                self.total,
                usize::MAX,
                usize::MAX,
            );
            self.pos += n;
            self.hist += n;
            self.total += n as u64;
            out.append(&mut self.rc.out);
            self.slide();
            if n == 0 {
                break;
            }
        }
        if finish {
            self.enc.match_(&mut self.rc, 2, u32::MAX, self.total);
            self.rc.flush();
            out.append(&mut self.rc.out);
        }
    }
}
