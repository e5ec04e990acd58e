//! The gzip member header (RFC 1952 section 2.3): its fields, how to
//! write them, and an incremental byte-at-a-time parser.
//!
//! Entry points: [`GzHeader`] (public), [`HeaderParser`] (crate).

use crate::checksum::crc32;
use alloc::vec::Vec;

const FTEXT: u8 = 1;
const FHCRC: u8 = 2;
const FEXTRA: u8 = 4;
const FNAME: u8 = 8;
const FCOMMENT: u8 = 16;
/// Longest FNAME / FCOMMENT accepted (bytes), so a hostile header cannot
/// make the decoder allocate without bound.
pub(crate) const MAX_TEXT_FIELD: usize = 64 * 1024;

/// The optional fields of a gzip member header.
///
/// ```
/// use compcol::gzip::GzHeader;
/// let h = GzHeader::new().name(b"notes.txt").mtime(1_700_000_000).header_crc(true);
/// assert_eq!(h.name_value(), Some(&b"notes.txt"[..]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
#[non_exhaustive]
pub struct GzHeader {
    /// FTEXT: the data is probably text.
    pub text: bool,
    /// MTIME: modification time, seconds since the epoch (0 = unknown).
    pub mtime: u32,
    /// XFL as read (2 = best compression, 4 = fastest).
    pub xfl: u8,
    /// OS that wrote the member (255 = unknown, 3 = Unix).
    pub os: u8,
    /// FEXTRA payload (subfields, raw).
    pub extra: Option<Vec<u8>>,
    /// FNAME: original file name (no NUL).
    pub filename: Option<Vec<u8>>,
    /// FCOMMENT (no NUL).
    pub comment: Option<Vec<u8>>,
    /// FHCRC: the header carries a CRC-16 of itself.
    pub hcrc: bool,
}

impl GzHeader {
    /// No optional fields, MTIME 0, OS 255 (unknown).
    #[must_use]
    pub fn new() -> Self {
        Self { os: 255, ..Self::default() }
    }
    /// Sets FNAME (a NUL byte in it ends the name early).
    #[must_use]
    pub fn name(mut self, name: &[u8]) -> Self {
        self.filename = Some(name.iter().copied().take_while(|&b| b != 0).collect());
        self
    }
    /// Sets FCOMMENT.
    #[must_use]
    pub fn comment(mut self, comment: &[u8]) -> Self {
        self.comment = Some(comment.iter().copied().take_while(|&b| b != 0).collect());
        self
    }
    /// Sets FEXTRA (at most 65535 bytes; longer is cut).
    #[must_use]
    pub fn extra(mut self, extra: &[u8]) -> Self {
        self.extra = Some(extra.get(..extra.len().min(65_535)).unwrap_or(&[]).to_vec());
        self
    }
    /// Sets MTIME.
    #[must_use]
    pub fn mtime(mut self, mtime: u32) -> Self {
        self.mtime = mtime;
        self
    }
    /// Sets FTEXT.
    #[must_use]
    pub fn text(mut self, text: bool) -> Self {
        self.text = text;
        self
    }
    /// Sets FHCRC.
    #[must_use]
    pub fn header_crc(mut self, on: bool) -> Self {
        self.hcrc = on;
        self
    }
    /// Sets the OS byte.
    #[must_use]
    pub fn os(mut self, os: u8) -> Self {
        self.os = os;
        self
    }
    /// FNAME, if present.
    #[must_use]
    pub fn name_value(&self) -> Option<&[u8]> {
        self.filename.as_deref()
    }

    /// The header bytes, with XFL derived from `level`.
    pub(crate) fn to_bytes(&self, level: i32) -> Vec<u8> {
        let mut flg = 0;
        if self.text {
            flg |= FTEXT;
        }
        if self.hcrc {
            flg |= FHCRC;
        }
        if self.extra.is_some() {
            flg |= FEXTRA;
        }
        if self.filename.is_some() {
            flg |= FNAME;
        }
        if self.comment.is_some() {
            flg |= FCOMMENT;
        }
        let xfl = match level {
            9 => 2,
            1 => 4,
            _ => 0,
        };
        let mut h = Vec::with_capacity(10);
        h.extend_from_slice(&[0x1f, 0x8b, 8, flg]);
        h.extend_from_slice(&self.mtime.to_le_bytes());
        h.extend_from_slice(&[xfl, self.os]);
        if let Some(x) = &self.extra {
            h.extend_from_slice(&(x.len() as u16).to_le_bytes());
            h.extend_from_slice(x);
        }
        for field in [&self.filename, &self.comment].into_iter().flatten() {
            h.extend_from_slice(field);
            h.push(0);
        }
        if self.hcrc {
            let c = crc32(&h) as u16;
            h.extend_from_slice(&c.to_le_bytes());
        }
        h
    }
}

/// Which header part comes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Fixed,
    XLen,
    Extra(usize),
    Name,
    Comment,
    Hcrc,
}

/// Parses a header one byte at a time.
#[derive(Debug, Clone)]
pub(crate) struct HeaderParser {
    part: Part,
    flg: u8,
    /// All header bytes so far (needed for FHCRC).
    raw: Vec<u8>,
    /// Bytes collected for the current fixed-size part.
    n: usize,
    pub(crate) header: GzHeader,
}

impl HeaderParser {
    pub(crate) fn new() -> Self {
        Self { part: Part::Fixed, flg: 0, raw: Vec::new(), n: 0, header: GzHeader::new() }
    }

    /// Moves to the first enabled part after `from`; `true` when the
    /// header is complete.
    fn advance(&mut self, from: Part) -> bool {
        let order = [(Part::XLen, FEXTRA), (Part::Name, FNAME), (Part::Comment, FCOMMENT), (Part::Hcrc, FHCRC)];
        let start = match from {
            Part::Fixed => 0,
            Part::XLen | Part::Extra(_) => 1,
            Part::Name => 2,
            Part::Comment => 3,
            Part::Hcrc => 4,
        };
        for &(part, flag) in order.iter().skip(start) {
            if self.flg & flag != 0 {
                self.part = part;
                self.n = 0;
                return false;
            }
        }
        true
    }

    /// Feeds one byte: `Ok(true)` when the header is complete.
    pub(crate) fn push(&mut self, b: u8) -> Result<bool, (crate::ErrorKind, &'static str)> {
        use crate::ErrorKind::{Checksum, Corrupt, MemoryLimit, Unsupported};
        self.raw.push(b);
        self.n += 1;
        match self.part {
            Part::Fixed => {
                match self.n {
                    1 if b != 0x1f => return Err((Corrupt, "not a gzip stream (bad magic)")),
                    2 if b != 0x8b => return Err((Corrupt, "not a gzip stream (bad magic)")),
                    3 if b != 8 => return Err((Unsupported, "compression method is not deflate")),
                    4 if b & 0xe0 != 0 => return Err((Corrupt, "reserved header flag bits set")),
                    4 => self.flg = b,
                    _ => {}
                }
                if self.n == 10 {
                    let r = &self.raw;
                    let g = |i: usize| r.get(i).copied().unwrap_or(0);
                    self.header.text = self.flg & FTEXT != 0;
                    self.header.hcrc = self.flg & FHCRC != 0;
                    self.header.mtime = u32::from_le_bytes([g(4), g(5), g(6), g(7)]);
                    self.header.xfl = g(8);
                    self.header.os = g(9);
                    return Ok(self.advance(Part::Fixed));
                }
            }
            Part::XLen => {
                if self.n == 2 {
                    let len = self.raw.len();
                    let xlen = usize::from(u16::from_le_bytes([
                        self.raw.get(len - 2).copied().unwrap_or(0),
                        self.raw.get(len - 1).copied().unwrap_or(0),
                    ]));
                    self.header.extra = Some(Vec::with_capacity(xlen));
                    if xlen == 0 {
                        return Ok(self.advance(Part::XLen));
                    }
                    self.part = Part::Extra(xlen);
                }
            }
            Part::Extra(left) => {
                if let Some(x) = self.header.extra.as_mut() {
                    x.push(b);
                }
                if left == 1 {
                    return Ok(self.advance(Part::Extra(0)));
                }
                self.part = Part::Extra(left - 1);
            }
            Part::Name | Part::Comment => {
                let field = if self.part == Part::Name { &mut self.header.filename } else { &mut self.header.comment };
                let f = field.get_or_insert_with(Vec::new);
                if b == 0 {
                    let part = self.part;
                    return Ok(self.advance(part));
                }
                if f.len() >= MAX_TEXT_FIELD {
                    return Err((MemoryLimit, "header name or comment longer than 64 KiB"));
                }
                f.push(b);
            }
            Part::Hcrc => {
                if self.n == 2 {
                    let len = self.raw.len();
                    let want = u16::from_le_bytes([
                        self.raw.get(len - 2).copied().unwrap_or(0),
                        self.raw.get(len - 1).copied().unwrap_or(0),
                    ]);
                    if crc32(self.raw.get(..len - 2).unwrap_or(&[])) as u16 != want {
                        return Err((Checksum, "header CRC-16 does not match"));
                    }
                    return Ok(true);
                }
            }
        }
        Ok(false)
    }
}
