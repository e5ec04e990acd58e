//! `.lzma` (LZMA_Alone, what `lzma` and `xz --format=lzma` write) and raw
//! LZMA: a 13-byte header (properties byte, dictionary size, uncompressed
//! size or all ones for "unknown, ends with an end marker"), then one LZMA
//! stream.
//!
//! Entry points: [`LzmaDecoder`] (`.lzma` files) and [`RawLzmaDecoder`]
//! (headerless LZMA with properties given by the container, as 7z and
//! ZIP method 14 store it).

use super::lzma_dec::{LzmaCore, RangeState, RunEnd, Window};
use super::model::Props;
use crate::{Decoder, Error, ErrorKind, Progress, Status};

const NAME: &str = "lzma";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Header,
    RcInit,
    Data,
    Finish,
    Done,
    Failed,
}

/// The shared LZMA stream decoder behind both public types.
#[derive(Debug, Clone)]
struct Inner {
    phase: Phase,
    hdr: [u8; 13],
    have: usize,
    memlimit: u64,
    core: Option<LzmaCore>,
    win: Option<Window>,
    /// Bytes still to decode when the size is known.
    left: Option<u64>,
    total_in: u64,
    raw: Option<(Props, u32, Option<u64>)>,
}

impl Inner {
    fn fail(&mut self, kind: ErrorKind, detail: &'static str, ip: usize) -> Error {
        self.phase = Phase::Failed;
        Error::new(kind, NAME, detail).at(self.total_in + ip as u64)
    }

    fn setup(&mut self, props: Props, dict: u32, size: Option<u64>, ip: usize) -> Result<(), Error> {
        if u64::from(dict) > self.memlimit {
            return Err(self.fail(ErrorKind::MemoryLimit, "dictionary exceeds the decoder memory limit", ip));
        }
        // A known size smaller than the dictionary bounds the window.
        let cap = size.map_or(u64::from(dict), |s| s.min(u64::from(dict))).max(4096);
        let cap = usize::try_from(cap).unwrap_or(usize::MAX);
        match &mut self.win {
            Some(w) if w.cap() >= cap => w.reset(),
            w => *w = Some(Window::new(cap)),
        }
        match &mut self.core {
            Some(c) => {
                c.model.reset(props);
                c.pending = 0;
            }
            c => *c = Some(LzmaCore::new(props)),
        }
        self.left = size;
        self.have = 0;
        self.phase = Phase::RcInit;
        Ok(())
    }

    fn run(&mut self, input: &[u8], ip: &mut usize, output: &mut [u8], op: &mut usize) -> Result<Status, Error> {
        loop {
            match self.phase {
                Phase::Failed => return Err(Error::new(ErrorKind::Poisoned, NAME, "")),
                Phase::Done => return Ok(Status::StreamEnd),
                Phase::Header => {
                    if let Some((p, d, s)) = self.raw {
                        self.setup(p, d, s, *ip)?;
                        continue;
                    }
                    while self.have < 13 {
                        let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                        *ip += 1;
                        if let Some(s) = self.hdr.get_mut(self.have) {
                            *s = b;
                        }
                        self.have += 1;
                    }
                    let [p, d0, d1, d2, d3, s0, s1, s2, s3, s4, s5, s6, s7] = self.hdr;
                    let Some(props) = Props::from_byte(p) else {
                        return Err(self.fail(ErrorKind::Corrupt, "invalid .lzma properties byte", *ip));
                    };
                    let dict = u32::from_le_bytes([d0, d1, d2, d3]);
                    let size = u64::from_le_bytes([s0, s1, s2, s3, s4, s5, s6, s7]);
                    if size != u64::MAX && size >= 1 << 56 {
                        return Err(self.fail(ErrorKind::Corrupt, "implausible .lzma uncompressed size", *ip));
                    }
                    self.setup(props, dict, (size != u64::MAX).then_some(size), *ip)?;
                }
                Phase::RcInit => {
                    while self.have < 5 {
                        let Some(&b) = input.get(*ip) else { return Ok(Status::NeedInput) };
                        *ip += 1;
                        if let Some(s) = self.hdr.get_mut(self.have) {
                            *s = b;
                        }
                        self.have += 1;
                    }
                    let [a, b, c, d, e, ..] = self.hdr;
                    let Some(rc) = RangeState::init([a, b, c, d, e]) else {
                        return Err(self.fail(ErrorKind::Corrupt, "range coder does not start with 0", *ip));
                    };
                    if let Some(core) = self.core.as_mut() {
                        core.rc = rc;
                        core.clear_tail();
                    }
                    self.phase = if self.left == Some(0) { Phase::Finish } else { Phase::Data };
                }
                Phase::Data => {
                    let (Some(core), Some(win)) = (self.core.as_mut(), self.win.as_mut()) else {
                        return Err(self.fail(ErrorKind::Corrupt, "decoder not set up", *ip));
                    };
                    win.wrap_if_full();
                    let start = win.pos;
                    let mut limit = win.cap().min(start + (output.len() - *op));
                    if let Some(left) = self.left {
                        limit = limit.min(start.saturating_add(usize::try_from(left).unwrap_or(usize::MAX)));
                    }
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    let r = core.decode(rest, false, win, limit, true);
                    let produced = win.pos - start;
                    if let Some(dst) = output.get_mut(*op..*op + produced) {
                        dst.copy_from_slice(win.since(start));
                    }
                    *op += produced;
                    let (used, end) = match r {
                        Ok(v) => v,
                        Err(e) => {
                            self.phase = Phase::Failed;
                            return Err(e.at(self.total_in + *ip as u64));
                        }
                    };
                    *ip += used;
                    let pending = core.pending;
                    if let Some(left) = self.left.as_mut() {
                        *left -= produced as u64;
                    }
                    match end {
                        RunEnd::EndMarker => {
                            if self.left.is_some_and(|l| l != 0) {
                                return Err(self.fail(ErrorKind::Corrupt, "end marker before the declared size", *ip));
                            }
                            self.phase = Phase::Finish;
                        }
                        _ if self.left == Some(0) => {
                            if pending != 0 {
                                return Err(self.fail(ErrorKind::Corrupt, "match runs past the declared size", *ip));
                            }
                            self.phase = Phase::Finish;
                        }
                        RunEnd::NeedInput => return Ok(Status::NeedInput),
                        RunEnd::Limit if *op == output.len() => return Ok(Status::NeedOutput),
                        RunEnd::Limit => {}
                    }
                }
                Phase::Finish => {
                    let Some(core) = self.core.as_mut() else { return Ok(Status::StreamEnd) };
                    let rest = input.get(*ip..).unwrap_or(&[]);
                    match core.finish(rest) {
                        Ok(Some(used)) => *ip += used,
                        Ok(None) => return Ok(Status::NeedInput),
                        Err(e) => {
                            self.phase = Phase::Failed;
                            return Err(e.at(self.total_in + *ip as u64));
                        }
                    }
                    self.phase = Phase::Done;
                }
            }
        }
    }

    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        let mut ip = 0;
        let mut op = 0;
        let r = self.run(input, &mut ip, output, &mut op);
        self.total_in += ip as u64;
        r.map(|status| Progress { consumed: ip, produced: op, status })
    }

    fn reset(&mut self) {
        self.phase = Phase::Header;
        self.have = 0;
        self.total_in = 0;
        self.left = None;
    }
}

/// A `.lzma` (LZMA_Alone) decoder.
#[derive(Debug, Clone)]
pub struct LzmaDecoder {
    inner: Inner,
}

impl Default for LzmaDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl LzmaDecoder {
    /// A decoder without a memory limit.
    #[must_use]
    pub fn new() -> Self {
        Self::with_memlimit(u64::MAX)
    }

    /// A decoder refusing dictionaries larger than `bytes` with
    /// [`ErrorKind::MemoryLimit`].
    #[must_use]
    pub const fn with_memlimit(bytes: u64) -> Self {
        Self {
            inner: Inner {
                phase: Phase::Header,
                hdr: [0; 13],
                have: 0,
                memlimit: bytes,
                core: None,
                win: None,
                left: None,
                total_in: 0,
                raw: None,
            },
        }
    }
}

impl Decoder for LzmaDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        self.inner.decode(input, output)
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
}

/// Raw LZMA without a header: the container supplies lc/lp/pb, the
/// dictionary size and (optionally) the uncompressed size; without a size
/// the data must end with an end marker.
#[derive(Debug, Clone)]
pub struct RawLzmaDecoder {
    inner: Inner,
}

impl RawLzmaDecoder {
    /// A decoder for LZMA data with these parameters.
    #[must_use]
    pub fn new(props: Props, dict_size: u32, uncompressed_size: Option<u64>) -> Self {
        let mut d = LzmaDecoder::with_memlimit(u64::MAX).inner;
        d.raw = Some((props, dict_size, uncompressed_size));
        Self { inner: d }
    }
}

impl Decoder for RawLzmaDecoder {
    fn decode(&mut self, input: &[u8], output: &mut [u8]) -> Result<Progress, Error> {
        self.inner.decode(input, output)
    }
    fn reset(&mut self) {
        self.inner.reset();
    }
}
