//! The LZ4 frame descriptor: FLG and BD bytes, optional content size and
//! dictionary id, and the header checksum; plus the options that choose
//! them when encoding.
//!
//! Entry points: [`FrameOptions`] (encoder settings), [`BlockSize`] and
//! [`Descriptor`] (parse and write). Format: `doc/lz4_Frame_format.md` of
//! the LZ4 project.

use crate::checksum::xxh32;
use crate::{Error, ErrorKind};
use alloc::vec::Vec;

/// Magic number of an LZ4 frame.
pub(crate) const MAGIC: u32 = 0x184D_2204;
/// Magic number of the legacy frame (`lz4 -l`).
pub(crate) const LEGACY_MAGIC: u32 = 0x184C_2102;
/// Skippable frames use magics `0x184D2A50..=0x184D2A5F`.
pub(crate) const SKIPPABLE_MASK: u32 = 0xFFFF_FFF0;
/// The skippable magic with its low nibble cleared.
pub(crate) const SKIPPABLE_BASE: u32 = 0x184D_2A50;

const NAME: &str = "lz4";

/// The largest uncompressed size of one block, the BD byte's field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum BlockSize {
    /// 64 KiB (BD code 4).
    Max64KiB,
    /// 256 KiB (BD code 5).
    Max256KiB,
    /// 1 MiB (BD code 6).
    Max1MiB,
    /// 4 MiB (BD code 7), the `lz4` tool's default.
    #[default]
    Max4MiB,
}

impl BlockSize {
    /// The block size in bytes.
    #[must_use]
    pub const fn bytes(self) -> usize {
        match self {
            Self::Max64KiB => 64 << 10,
            Self::Max256KiB => 256 << 10,
            Self::Max1MiB => 1 << 20,
            Self::Max4MiB => 4 << 20,
        }
    }

    const fn code(self) -> u8 {
        match self {
            Self::Max64KiB => 4,
            Self::Max256KiB => 5,
            Self::Max1MiB => 6,
            Self::Max4MiB => 7,
        }
    }

    const fn from_code(code: u8) -> Option<Self> {
        match code {
            4 => Some(Self::Max64KiB),
            5 => Some(Self::Max256KiB),
            6 => Some(Self::Max1MiB),
            7 => Some(Self::Max4MiB),
            _ => None,
        }
    }
}

/// Settings for [`Lz4Encoder`](super::Lz4Encoder). Defaults follow the
/// `lz4` tool: level 1, 4 MiB independent blocks, content checksum on,
/// block checksums off, no content size.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FrameOptions {
    pub(crate) level: i32,
    pub(crate) acceleration: usize,
    pub(crate) block_size: BlockSize,
    pub(crate) independent: bool,
    pub(crate) block_checksum: bool,
    pub(crate) content_checksum: bool,
    pub(crate) content_size: Option<u64>,
    pub(crate) dictionary: Vec<u8>,
    pub(crate) dict_id: Option<u32>,
}

impl Default for FrameOptions {
    fn default() -> Self {
        Self::new(1)
    }
}

impl FrameOptions {
    /// Options at `level`: 1..=2 fast, 3..=12 HC (clamped; -1 and 0 mean 1).
    #[must_use]
    pub fn new(level: i32) -> Self {
        Self {
            level: if level < 1 { 1 } else { level.min(12) },
            acceleration: 1,
            block_size: BlockSize::Max4MiB,
            independent: true,
            block_checksum: false,
            content_checksum: true,
            content_size: None,
            dictionary: Vec::new(),
            dict_id: None,
        }
    }
    /// Fast levels only: skip ahead `n` times faster on misses (the `lz4
    /// --fast=N` setting); larger is faster and bigger.
    #[must_use]
    pub fn acceleration(mut self, n: usize) -> Self {
        self.acceleration = n.max(1);
        self
    }
    /// The block size.
    #[must_use]
    pub fn block_size(mut self, size: BlockSize) -> Self {
        self.block_size = size;
        self
    }
    /// Independent blocks (true, the default) or linked blocks, where
    /// matches reach into the previous 64 KiB (`lz4 -BD`).
    #[must_use]
    pub fn independent_blocks(mut self, on: bool) -> Self {
        self.independent = on;
        self
    }
    /// An XXH32 after each block (`lz4 -BX`).
    #[must_use]
    pub fn block_checksum(mut self, on: bool) -> Self {
        self.block_checksum = on;
        self
    }
    /// An XXH32 of the whole content after the last block (default on).
    #[must_use]
    pub fn content_checksum(mut self, on: bool) -> Self {
        self.content_checksum = on;
        self
    }
    /// Declares the total uncompressed size in the header; the encoder
    /// fails at finish if the data fed differs.
    #[must_use]
    pub fn content_size(mut self, size: u64) -> Self {
        self.content_size = Some(size);
        self
    }
    /// A dictionary (its last 64 KiB are used), optionally named by `id`
    /// in the header.
    #[must_use]
    pub fn dictionary(mut self, dict: &[u8], id: Option<u32>) -> Self {
        let keep = dict.len().saturating_sub(64 << 10);
        self.dictionary = dict.get(keep..).unwrap_or(&[]).to_vec();
        self.dict_id = id;
        self
    }

    /// The frame header for these options.
    pub(crate) fn header(&self) -> Vec<u8> {
        let d = Descriptor {
            independent: self.independent,
            block_checksum: self.block_checksum,
            content_checksum: self.content_checksum,
            content_size: self.content_size,
            dict_id: self.dict_id,
            block_size: self.block_size,
        };
        let mut out = Vec::with_capacity(19);
        out.extend_from_slice(&MAGIC.to_le_bytes());
        d.write(&mut out);
        out
    }
}

/// A parsed frame descriptor.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Descriptor {
    pub(crate) independent: bool,
    pub(crate) block_checksum: bool,
    pub(crate) content_checksum: bool,
    pub(crate) content_size: Option<u64>,
    pub(crate) dict_id: Option<u32>,
    pub(crate) block_size: BlockSize,
}

impl Descriptor {
    /// The descriptor's total length (FLG through HC) given its FLG byte.
    pub(crate) const fn len_for_flg(flg: u8) -> usize {
        3 + if flg & 0x08 != 0 { 8 } else { 0 } + if flg & 0x01 != 0 { 4 } else { 0 }
    }

    /// Appends FLG, BD, the optional fields and HC.
    pub(crate) fn write(&self, out: &mut Vec<u8>) {
        let start = out.len();
        let flg = 0x40
            | u8::from(self.independent) << 5
            | u8::from(self.block_checksum) << 4
            | u8::from(self.content_size.is_some()) << 3
            | u8::from(self.content_checksum) << 2
            | u8::from(self.dict_id.is_some());
        out.push(flg);
        out.push(self.block_size.code() << 4);
        if let Some(n) = self.content_size {
            out.extend_from_slice(&n.to_le_bytes());
        }
        if let Some(id) = self.dict_id {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let hc = (xxh32(out.get(start..).unwrap_or(&[]), 0) >> 8) as u8;
        out.push(hc);
    }

    /// Parses a complete descriptor (`bytes.len() == len_for_flg(bytes[0])`).
    pub(crate) fn parse(bytes: &[u8], at: u64) -> Result<Self, Error> {
        let err = |kind, detail| Error::new(kind, NAME, detail).at(at);
        let (&flg, rest) = bytes.split_first().ok_or(err(ErrorKind::Truncated, "descriptor missing"))?;
        let (&bd, mut rest) = rest.split_first().ok_or(err(ErrorKind::Truncated, "descriptor missing"))?;
        if flg >> 6 != 1 {
            return Err(err(ErrorKind::Unsupported, "frame version is not 01"));
        }
        if flg & 0x02 != 0 || bd & 0x8f != 0 {
            return Err(err(ErrorKind::Corrupt, "reserved descriptor bits are set"));
        }
        let block_size =
            BlockSize::from_code(bd >> 4 & 7).ok_or(err(ErrorKind::Corrupt, "block maximum size code is not 4..=7"))?;
        let mut take = |n: usize| -> Result<u64, Error> {
            let (field, r) = rest.split_at_checked(n).ok_or(err(ErrorKind::Truncated, "descriptor cut short"))?;
            rest = r;
            Ok(field.iter().rev().fold(0u64, |acc, &b| acc << 8 | u64::from(b)))
        };
        let content_size = if flg & 0x08 != 0 { Some(take(8)?) } else { None };
        let dict_id = if flg & 0x01 != 0 { Some(take(4)? as u32) } else { None };
        let hc = take(1)? as u8;
        let body = bytes.get(..bytes.len() - 1).unwrap_or(&[]);
        if (xxh32(body, 0) >> 8) as u8 != hc {
            return Err(err(ErrorKind::Checksum, "header checksum does not match"));
        }
        Ok(Self {
            independent: flg & 0x20 != 0,
            block_checksum: flg & 0x10 != 0,
            content_checksum: flg & 0x04 != 0,
            content_size,
            dict_id,
            block_size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptor_round_trips_every_combination() {
        for bits in 0..32u32 {
            for bs in [BlockSize::Max64KiB, BlockSize::Max256KiB, BlockSize::Max1MiB, BlockSize::Max4MiB] {
                let d = Descriptor {
                    independent: bits & 1 != 0,
                    block_checksum: bits & 2 != 0,
                    content_checksum: bits & 4 != 0,
                    content_size: (bits & 8 != 0).then_some(0x0102_0304_0506),
                    dict_id: (bits & 16 != 0).then_some(0xdead_beef),
                    block_size: bs,
                };
                let mut out = Vec::new();
                d.write(&mut out);
                assert_eq!(out.len(), Descriptor::len_for_flg(out[0]));
                assert_eq!(Descriptor::parse(&out, 4).unwrap(), d);
                let mut bad = out.clone();
                *bad.last_mut().unwrap() ^= 1;
                assert_eq!(Descriptor::parse(&bad, 4).unwrap_err().kind(), ErrorKind::Checksum);
            }
        }
    }

    #[test]
    fn lz4_tool_default_header() {
        // `lz4` 1.9.4 writes 04 22 4D 18 64 70 B9 for large input by default.
        let h = FrameOptions::new(1).header();
        assert_eq!(h, [0x04, 0x22, 0x4d, 0x18, 0x64, 0x70, 0xb9]);
    }
}
