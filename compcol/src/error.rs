//! compcol's error type, written by hand (no runtime dependencies).
//!
//! Entry point: [`Error`]. An error names the codec, the kind of failure,
//! what exactly was wrong (a static description) and, for decoders, the
//! input byte offset where it was found.

use core::fmt;

/// The category of a codec failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not a valid stream of this format.
    Corrupt,
    /// The input ended inside a stream.
    Truncated,
    /// A checksum in the stream does not match the data.
    Checksum,
    /// Decoded output would exceed the caller's cap (decompression bomb
    /// guard).
    OutputLimit,
    /// The stream needs more memory (window, dictionary) than allowed.
    MemoryLimit,
    /// A valid stream uses a feature this build does not support.
    Unsupported,
    /// The caller broke the API contract (bad level, input after finish).
    InvalidArgument,
    /// An earlier call failed; the codec must be reset before reuse.
    Poisoned,
}

impl ErrorKind {
    fn describe(self) -> &'static str {
        match self {
            Self::Corrupt => "corrupt input",
            Self::Truncated => "truncated input",
            Self::Checksum => "checksum mismatch",
            Self::OutputLimit => "output limit exceeded",
            Self::MemoryLimit => "memory limit exceeded",
            Self::Unsupported => "unsupported feature",
            Self::InvalidArgument => "invalid argument",
            Self::Poisoned => "codec failed earlier and was not reset",
        }
    }
}

/// A codec error: which codec, what kind, what exactly and where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Error {
    kind: ErrorKind,
    codec: &'static str,
    detail: &'static str,
    offset: Option<u64>,
}

impl Error {
    /// Creates an error of `kind` raised by `codec`, described by `detail`.
    #[must_use]
    pub const fn new(kind: ErrorKind, codec: &'static str, detail: &'static str) -> Self {
        Self { kind, codec, detail, offset: None }
    }

    /// The same error, located at input byte `offset` of the stream.
    #[must_use]
    pub const fn at(mut self, offset: u64) -> Self {
        self.offset = Some(offset);
        self
    }

    /// The error's category.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The name of the codec that raised it (the factory name).
    #[must_use]
    pub const fn codec(&self) -> &'static str {
        self.codec
    }

    /// What exactly was wrong.
    #[must_use]
    pub const fn detail(&self) -> &'static str {
        self.detail
    }

    /// The input byte offset where the problem was found, when known.
    #[must_use]
    pub const fn offset(&self) -> Option<u64> {
        self.offset
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.codec, self.kind.describe())?;
        if let Some(offset) = self.offset {
            write!(f, " at input byte {offset}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::ToString;

    #[test]
    fn display_names_codec_kind_offset_and_detail() {
        let e = Error::new(ErrorKind::Corrupt, "deflate", "invalid block type 3").at(17);
        assert_eq!(e.to_string(), "deflate: corrupt input at input byte 17: invalid block type 3");
        let e = Error::new(ErrorKind::Poisoned, "store", "");
        assert_eq!(e.to_string(), "store: codec failed earlier and was not reset");
    }
}
