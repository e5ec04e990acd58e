//! Frame headers (RFC 8878 3.1.1): magic numbers, the frame header
//! descriptor, window descriptor, dictionary id and content size; block
//! headers.
//!
//! Entry points: [`header_size`] (how many bytes to collect after the
//! descriptor byte), [`FrameHeader::parse`], [`FrameHeader::write`] and
//! [`BlockHeader::parse`].

use super::corrupt;
use crate::{Error, ErrorKind};
use alloc::vec::Vec;

/// The zstd frame magic number.
pub(crate) const MAGIC: u32 = 0xFD2F_B528;
/// Skippable frames: magic numbers 0x184D2A50..=0x184D2A5F.
pub(crate) const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
pub(crate) const SKIPPABLE: u32 = 0x184D_2A50;
/// The largest block content (and the largest compressed block).
pub(crate) const BLOCK_MAX: usize = 128 * 1024;

/// A parsed frame header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct FrameHeader {
    pub(crate) window: u64,
    pub(crate) content_size: Option<u64>,
    pub(crate) dict_id: u32,
    pub(crate) checksum: bool,
    pub(crate) single_segment: bool,
}

fn dict_id_bytes(fhd: u8) -> usize {
    match fhd & 3 {
        0 => 0,
        1 => 1,
        2 => 2,
        _ => 4,
    }
}

fn fcs_bytes(fhd: u8) -> usize {
    match fhd >> 6 {
        0 => usize::from(fhd & 0x20 != 0),
        1 => 2,
        2 => 4,
        _ => 8,
    }
}

/// Bytes of the frame header after the descriptor byte `fhd`.
pub(crate) fn header_size(fhd: u8) -> usize {
    usize::from(fhd & 0x20 == 0) + dict_id_bytes(fhd) + fcs_bytes(fhd)
}

fn le(bytes: &[u8]) -> u64 {
    bytes.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b))
}

impl FrameHeader {
    /// Parses the bytes after `fhd` (exactly [`header_size`] of them).
    pub(crate) fn parse(fhd: u8, rest: &[u8]) -> Result<Self, Error> {
        if fhd & 0x08 != 0 {
            return Err(corrupt("reserved bit set in the frame header"));
        }
        let single_segment = fhd & 0x20 != 0;
        let mut at = 0usize;
        let mut window = 0u64;
        if !single_segment {
            let &wd = rest.first().ok_or(corrupt("truncated frame header"))?;
            let log = 10 + u64::from(wd >> 3);
            let base = 1u64 << log;
            window = base + (base / 8) * u64::from(wd & 7);
            at = 1;
        }
        let did = dict_id_bytes(fhd);
        let dict_id = le(rest.get(at..at + did).ok_or(corrupt("truncated frame header"))?) as u32;
        at += did;
        let fcs = fcs_bytes(fhd);
        let content_size = if fcs == 0 {
            None
        } else {
            let v = le(rest.get(at..at + fcs).ok_or(corrupt("truncated frame header"))?);
            Some(if fcs == 2 { v + 256 } else { v })
        };
        if single_segment {
            window = content_size.unwrap_or(0);
        }
        Ok(Self { window, content_size, dict_id, checksum: fhd & 0x04 != 0, single_segment })
    }

    /// Appends magic and header. A single-segment frame needs the content
    /// size; otherwise `window_log` sets the window descriptor.
    pub(crate) fn write(&self, window_log: u32, out: &mut Vec<u8>) {
        out.extend_from_slice(&MAGIC.to_le_bytes());
        let (fcs_flag, fcs_len) = match self.content_size {
            None => (0u8, 0usize),
            Some(n) if n < 256 && self.single_segment => (0, 1),
            Some(n) if (256..65_536 + 256).contains(&n) => (1, 2),
            Some(n) if n <= u64::from(u32::MAX) => (2, 4),
            Some(_) => (3, 8),
        };
        let did_flag: u8 = match self.dict_id {
            0 => 0,
            1..=0xff => 1,
            0x100..=0xffff => 2,
            _ => 3,
        };
        let fhd = fcs_flag << 6 | u8::from(self.single_segment) << 5 | u8::from(self.checksum) << 2 | did_flag;
        out.push(fhd);
        if !self.single_segment {
            out.push(((window_log - 10) << 3) as u8);
        }
        let did_len = dict_id_bytes(fhd);
        out.extend_from_slice(self.dict_id.to_le_bytes().get(..did_len).unwrap_or(&[]));
        if let Some(n) = self.content_size {
            let v = if fcs_len == 2 { n - 256 } else { n };
            out.extend_from_slice(v.to_le_bytes().get(..fcs_len).unwrap_or(&[]));
        }
    }
}

/// Block types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BlockType {
    Raw,
    Rle,
    Compressed,
}

/// A parsed 3-byte block header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockHeader {
    pub(crate) last: bool,
    pub(crate) kind: BlockType,
    pub(crate) size: usize,
}

impl BlockHeader {
    pub(crate) fn parse(b: [u8; 3]) -> Result<Self, Error> {
        let v = u32::from(b[0]) | u32::from(b[1]) << 8 | u32::from(b[2]) << 16;
        let kind = match (v >> 1) & 3 {
            0 => BlockType::Raw,
            1 => BlockType::Rle,
            2 => BlockType::Compressed,
            _ => return Err(Error::new(ErrorKind::Corrupt, super::NAME, "reserved block type")),
        };
        Ok(Self { last: v & 1 == 1, kind, size: (v >> 3) as usize })
    }

    pub(crate) fn write(last: bool, kind: BlockType, size: usize, out: &mut Vec<u8>) {
        let t = match kind {
            BlockType::Raw => 0,
            BlockType::Rle => 1,
            BlockType::Compressed => 2,
        };
        let v = (size as u32) << 3 | t << 1 | u32::from(last);
        out.extend_from_slice(v.to_le_bytes().get(..3).unwrap_or(&[]));
    }
}
