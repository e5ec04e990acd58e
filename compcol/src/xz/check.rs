//! The `.xz` integrity check of a block's uncompressed data.
//!
//! Entry points: [`Check`] (the check type of a stream) and [`Checker`]
//! (a running check).

use crate::checksum::{Crc32, Crc64, Sha256};

/// A stream's check type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Check {
    /// No check (id 0x00).
    None,
    /// CRC-32 (0x01).
    Crc32,
    /// CRC-64/XZ (0x04), xz's default.
    #[default]
    Crc64,
    /// SHA-256 (0x0A).
    Sha256,
}

impl Check {
    /// The stream-flags id.
    #[must_use]
    pub const fn id(self) -> u8 {
        match self {
            Self::None => 0,
            Self::Crc32 => 1,
            Self::Crc64 => 4,
            Self::Sha256 => 0x0a,
        }
    }

    /// The check for a supported id.
    #[must_use]
    pub const fn from_id(id: u8) -> Option<Self> {
        match id {
            0 => Some(Self::None),
            1 => Some(Self::Crc32),
            4 => Some(Self::Crc64),
            0x0a => Some(Self::Sha256),
            _ => None,
        }
    }

    /// Bytes the check occupies after each block.
    #[must_use]
    pub const fn size(self) -> usize {
        match self {
            Self::None => 0,
            Self::Crc32 => 4,
            Self::Crc64 => 8,
            Self::Sha256 => 32,
        }
    }
}

/// A running check over a block's output.
#[derive(Debug, Clone)]
pub(crate) enum Checker {
    None,
    Crc32(Crc32),
    Crc64(Crc64),
    Sha256(Sha256),
}

impl Checker {
    pub(crate) const fn new(c: Check) -> Self {
        match c {
            Check::None => Self::None,
            Check::Crc32 => Self::Crc32(Crc32::new()),
            Check::Crc64 => Self::Crc64(Crc64::new()),
            Check::Sha256 => Self::Sha256(Sha256::new()),
        }
    }

    pub(crate) fn update(&mut self, data: &[u8]) {
        match self {
            Self::None => {}
            Self::Crc32(c) => c.update(data),
            Self::Crc64(c) => c.update(data),
            Self::Sha256(s) => s.update(data),
        }
    }

    /// The check bytes as stored in the file (little-endian CRCs).
    pub(crate) fn finish(self, out: &mut [u8; 32]) -> usize {
        match self {
            Self::None => 0,
            Self::Crc32(c) => {
                out[..4].copy_from_slice(&c.value().to_le_bytes());
                4
            }
            Self::Crc64(c) => {
                out[..8].copy_from_slice(&c.value().to_le_bytes());
                8
            }
            Self::Sha256(s) => {
                *out = s.finalize();
                32
            }
        }
    }
}
