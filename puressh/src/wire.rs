//! RFC 4251 §5 data types: byte, boolean, uint32, uint64, string, mpint and
//! name-list.
//!
//! Entry points: [`Reader`] (borrowing, bounds-checked: every length is
//! checked against the remaining input before anything is sliced) and
//! [`Writer`]. Errors carry the byte offset where decoding failed.

/// Longest algorithm, method or extension name (RFC 4251 §6: names "MUST
/// NOT be longer than 64 characters"). Longer names are refused so that a
/// hostile peer cannot make negotiation compare megabyte-long strings.
pub const MAX_NAME_LEN: usize = 64;

/// What was wrong with an encoded SSH value, and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireError {
    /// The input ended inside a value.
    #[error("truncated {what} at byte {offset}: need {needed} bytes, {available} left")]
    Truncated {
        /// The type being read.
        what: &'static str,
        /// Where the value started.
        offset: usize,
        /// Bytes the value needs.
        needed: usize,
        /// Bytes that were left.
        available: usize,
    },
    /// A boolean byte other than 0 or 1 (RFC 4251 says any non-zero is
    /// true; SSH implementations that matter send 0 or 1, and accepting
    /// others lets two parsers disagree on one message).
    #[error("non-canonical boolean {value:#04x} at byte {offset}")]
    NonCanonicalBoolean {
        /// The byte found.
        value: u8,
        /// Where it was.
        offset: usize,
    },
    /// An mpint with an unnecessary leading 0x00 or 0xff byte.
    #[error("non-minimal mpint at byte {offset}")]
    NonMinimalMpint {
        /// Where the mpint started.
        offset: usize,
    },
    /// A name-list that is not US-ASCII, has an empty name or a control
    /// character.
    #[error("malformed name-list at byte {offset}")]
    MalformedNameList {
        /// Where the name-list started.
        offset: usize,
    },
    /// A name in a name-list longer than [`MAX_NAME_LEN`] (RFC 4251 §6).
    #[error("name of {len} bytes at byte {offset} exceeds the 64-byte limit")]
    NameTooLong {
        /// Length of the offending name.
        len: usize,
        /// Where the name-list started.
        offset: usize,
    },
    /// A string that must be UTF-8 (descriptions, user names...) is not.
    #[error("{what} at byte {offset} is not valid UTF-8")]
    InvalidUtf8 {
        /// The field being read.
        what: &'static str,
        /// Where the string started.
        offset: usize,
    },
    /// A count field that promises more items than the remaining input
    /// could hold, or more than a named limit.
    #[error("{what} count {count} at byte {offset} exceeds the limit {limit}")]
    CountTooLarge {
        /// The field being read.
        what: &'static str,
        /// The count found.
        count: u64,
        /// The largest count accepted here.
        limit: u64,
        /// Where the count was.
        offset: usize,
    },
    /// Bytes left over after the last field of a message.
    #[error("{count} trailing bytes at byte {offset}")]
    TrailingBytes {
        /// How many bytes were left.
        count: usize,
        /// Where they start.
        offset: usize,
    },
}

/// A bounds-checked cursor over an encoded SSH message.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    offset: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading at the beginning of `input`.
    #[must_use]
    pub const fn new(input: &'a [u8]) -> Self {
        Self { input, offset: 0 }
    }

    /// Bytes not read yet.
    #[must_use]
    pub fn remaining(&self) -> usize {
        self.input.len() - self.offset
    }

    /// Bytes read so far: the offset that errors report.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Takes every byte not read yet (for fields that run to the end of a
    /// message, such as an unknown message's body).
    pub fn rest(&mut self) -> &'a [u8] {
        let rest = self.input.get(self.offset..).unwrap_or_default();
        self.offset = self.input.len();
        rest
    }

    /// Reads a string that must be UTF-8.
    ///
    /// # Errors
    /// [`WireError::Truncated`], [`WireError::InvalidUtf8`].
    pub fn utf8(&mut self, what: &'static str) -> Result<&'a str, WireError> {
        let offset = self.offset;
        let bytes = self.string()?;
        core::str::from_utf8(bytes).map_err(|_| WireError::InvalidUtf8 { what, offset })
    }

    /// Reads a uint32 count of items that each take at least `min_item`
    /// bytes, refusing counts the remaining input cannot hold or over
    /// `limit`, so that the caller may reserve space for them.
    ///
    /// # Errors
    /// [`WireError::Truncated`], [`WireError::CountTooLarge`].
    pub fn count(&mut self, what: &'static str, min_item: usize, limit: usize) -> Result<usize, WireError> {
        let offset = self.offset;
        let count = self.u32()?;
        let fits = self.remaining() / min_item.max(1);
        let limit = limit.min(fits);
        match usize::try_from(count) {
            Ok(n) if n <= limit => Ok(n),
            _ => Err(WireError::CountTooLarge { what, count: u64::from(count), limit: limit as u64, offset }),
        }
    }

    /// Fails unless every byte has been read.
    ///
    /// # Errors
    /// [`WireError::TrailingBytes`].
    pub fn finish(self) -> Result<(), WireError> {
        match self.remaining() {
            0 => Ok(()),
            count => Err(WireError::TrailingBytes { count, offset: self.offset }),
        }
    }

    fn take(&mut self, what: &'static str, needed: usize) -> Result<&'a [u8], WireError> {
        let available = self.remaining();
        let bytes = self.input.get(self.offset..).and_then(|rest| rest.get(..needed)).ok_or(WireError::Truncated {
            what,
            offset: self.offset,
            needed,
            available,
        })?;
        self.offset += needed;
        Ok(bytes)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], WireError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(what, N)?);
        Ok(out)
    }

    /// Reads one byte.
    ///
    /// # Errors
    /// [`WireError::Truncated`].
    pub fn byte(&mut self) -> Result<u8, WireError> {
        Ok(u8::from_be_bytes(self.array("byte")?))
    }

    /// Reads a boolean, accepting only 0 and 1.
    ///
    /// # Errors
    /// [`WireError::Truncated`], [`WireError::NonCanonicalBoolean`].
    pub fn boolean(&mut self) -> Result<bool, WireError> {
        let offset = self.offset;
        match self.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            value => Err(WireError::NonCanonicalBoolean { value, offset }),
        }
    }

    /// Reads a big-endian uint32.
    ///
    /// # Errors
    /// [`WireError::Truncated`].
    pub fn u32(&mut self) -> Result<u32, WireError> {
        Ok(u32::from_be_bytes(self.array("uint32")?))
    }

    /// Reads a big-endian uint64.
    ///
    /// # Errors
    /// [`WireError::Truncated`].
    pub fn u64(&mut self) -> Result<u64, WireError> {
        Ok(u64::from_be_bytes(self.array("uint64")?))
    }

    /// Reads a length-prefixed string, borrowing its bytes. The length is
    /// checked against the remaining input before anything else happens.
    ///
    /// # Errors
    /// [`WireError::Truncated`].
    pub fn string(&mut self) -> Result<&'a [u8], WireError> {
        let start = self.offset;
        let len = self.u32()?;
        let len = usize::try_from(len).unwrap_or(usize::MAX);
        self.take("string", len).map_err(|e| match e {
            WireError::Truncated { needed, available, .. } => {
                WireError::Truncated { what: "string", offset: start, needed, available }
            }
            other => other,
        })
    }

    /// Reads an mpint as its two's-complement big-endian magnitude bytes,
    /// rejecting non-minimal encodings.
    ///
    /// # Errors
    /// [`WireError::Truncated`], [`WireError::NonMinimalMpint`].
    pub fn mpint(&mut self) -> Result<&'a [u8], WireError> {
        let offset = self.offset;
        let bytes = self.string()?;
        if let [first, second, ..] = bytes {
            let redundant_zero = *first == 0 && *second & 0x80 == 0;
            let redundant_ff = *first == 0xff && *second & 0x80 != 0;
            if redundant_zero || redundant_ff {
                return Err(WireError::NonMinimalMpint { offset });
            }
        } else if bytes == [0] {
            return Err(WireError::NonMinimalMpint { offset });
        }
        Ok(bytes)
    }

    /// Reads a name-list: comma-separated, non-empty, printable US-ASCII
    /// names. An empty string is an empty list.
    ///
    /// # Errors
    /// [`WireError::Truncated`], [`WireError::MalformedNameList`].
    pub fn name_list(&mut self) -> Result<impl Iterator<Item = &'a str> + use<'a>, WireError> {
        let offset = self.offset;
        let bytes = self.string()?;
        let text = core::str::from_utf8(bytes).map_err(|_| WireError::MalformedNameList { offset })?;
        let printable = text.bytes().all(|b| b.is_ascii_graphic());
        let names_non_empty = text.is_empty() || text.split(',').all(|name| !name.is_empty());
        if !printable || !names_non_empty {
            return Err(WireError::MalformedNameList { offset });
        }
        if let Some(long) = text.split(',').find(|name| name.len() > MAX_NAME_LEN) {
            return Err(WireError::NameTooLong { len: long.len(), offset });
        }
        Ok(text.split(',').filter(|name| !name.is_empty()))
    }
}

/// Builds an encoded SSH message.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An empty message.
    #[must_use]
    pub const fn new() -> Self {
        Self { out: Vec::new() }
    }

    /// Continues writing after the bytes already in `out`.
    #[must_use]
    pub const fn from_vec(out: Vec<u8>) -> Self {
        Self { out }
    }

    /// The bytes written so far.
    #[must_use]
    pub fn into_bytes(self) -> Vec<u8> {
        self.out
    }

    /// Appends one byte.
    pub fn byte(&mut self, value: u8) -> &mut Self {
        self.out.push(value);
        self
    }

    /// Appends a boolean as 0 or 1.
    pub fn boolean(&mut self, value: bool) -> &mut Self {
        self.byte(u8::from(value))
    }

    /// Appends a big-endian uint32.
    pub fn u32(&mut self, value: u32) -> &mut Self {
        self.out.extend_from_slice(&value.to_be_bytes());
        self
    }

    /// Appends a big-endian uint64.
    pub fn u64(&mut self, value: u64) -> &mut Self {
        self.out.extend_from_slice(&value.to_be_bytes());
        self
    }

    /// Appends a length-prefixed string.
    ///
    /// SSH strings are limited to `u32::MAX` bytes; packet limits keep
    /// every real message far below that, so a longer slice is a caller bug
    /// and is truncated in the length field only in release builds.
    pub fn string(&mut self, bytes: &[u8]) -> &mut Self {
        debug_assert!(u32::try_from(bytes.len()).is_ok(), "SSH string over 4 GiB");
        self.u32(u32::try_from(bytes.len()).unwrap_or(u32::MAX));
        self.out.extend_from_slice(bytes);
        self
    }

    /// Appends a non-negative integer given as big-endian magnitude bytes,
    /// in minimal mpint form (leading zeros stripped, a 0x00 added when
    /// the top bit is set).
    pub fn mpint_unsigned(&mut self, magnitude: &[u8]) -> &mut Self {
        let first_nonzero = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len());
        let digits = magnitude.get(first_nonzero..).unwrap_or_default();
        let pad = digits.first().is_some_and(|&b| b & 0x80 != 0);
        let len = digits.len() + usize::from(pad);
        self.u32(u32::try_from(len).unwrap_or(u32::MAX));
        if pad {
            self.out.push(0);
        }
        self.out.extend_from_slice(digits);
        self
    }

    /// Appends a name-list.
    pub fn name_list(&mut self, names: &[&str]) -> &mut Self {
        let joined = names.join(",");
        self.string(joined.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc4251_mpint_examples() {
        // The examples of RFC 4251 §5.
        let cases: [(&[u8], &[u8]); 5] = [
            (&[], &[0, 0, 0, 0]),
            (
                &[0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7],
                &[0, 0, 0, 8, 0x09, 0xa3, 0x78, 0xf9, 0xb2, 0xe3, 0x32, 0xa7],
            ),
            (&[0x80], &[0, 0, 0, 2, 0x00, 0x80]),
            (&[0x00, 0x00, 0x80], &[0, 0, 0, 2, 0x00, 0x80]),
            (&[0x00], &[0, 0, 0, 0]),
        ];
        for (magnitude, encoded) in cases {
            let mut w = Writer::new();
            w.mpint_unsigned(magnitude);
            assert_eq!(w.into_bytes(), encoded, "encoding {magnitude:02x?}");
            let mut r = Reader::new(encoded);
            let read = r.mpint().unwrap();
            let stripped: Vec<u8> = read.iter().copied().skip_while(|&b| b == 0).collect();
            let want: Vec<u8> = magnitude.iter().copied().skip_while(|&b| b == 0).collect();
            assert_eq!(stripped, want);
            r.finish().unwrap();
        }
        // -1234 and -deadbeef from the RFC read back as given.
        let mut r = Reader::new(&[0, 0, 0, 2, 0xed, 0xcc]);
        assert_eq!(r.mpint().unwrap(), [0xed, 0xcc]);
        let mut r = Reader::new(&[0, 0, 0, 5, 0xff, 0x21, 0x52, 0x41, 0x11]);
        assert_eq!(r.mpint().unwrap(), [0xff, 0x21, 0x52, 0x41, 0x11]);
    }

    #[test]
    fn non_minimal_mpints_are_refused() {
        for bad in [&[0u8, 0, 0, 1, 0][..], &[0, 0, 0, 2, 0, 0x7f], &[0, 0, 0, 2, 0xff, 0x80]] {
            assert_eq!(Reader::new(bad).mpint(), Err(WireError::NonMinimalMpint { offset: 0 }));
        }
    }

    #[test]
    fn lengths_are_checked_before_slicing() {
        let mut r = Reader::new(&[0xff, 0xff, 0xff, 0xff, b'a']);
        assert_eq!(
            r.string(),
            Err(WireError::Truncated { what: "string", offset: 0, needed: 0xffff_ffff, available: 1 })
        );
        assert!(matches!(Reader::new(&[0, 0, 1]).u32(), Err(WireError::Truncated { needed: 4, available: 3, .. })));
        assert!(Reader::new(&[]).byte().is_err());
    }

    #[test]
    fn scalars_and_strings_round_trip() {
        let mut w = Writer::new();
        w.byte(20).boolean(true).boolean(false).u32(0xdead_beef).u64(1 << 40).string(b"").string(b"hello");
        let bytes = w.into_bytes();
        let mut r = Reader::new(&bytes);
        assert_eq!(r.byte().unwrap(), 20);
        assert!(r.boolean().unwrap());
        assert!(!r.boolean().unwrap());
        assert_eq!(r.u32().unwrap(), 0xdead_beef);
        assert_eq!(r.u64().unwrap(), 1 << 40);
        assert_eq!(r.string().unwrap(), b"");
        assert_eq!(r.string().unwrap(), b"hello");
        r.finish().unwrap();
    }

    #[test]
    fn booleans_must_be_canonical() {
        assert_eq!(Reader::new(&[2]).boolean(), Err(WireError::NonCanonicalBoolean { value: 2, offset: 0 }));
    }

    #[test]
    fn name_lists() {
        let mut r = Reader::new(&[0, 0, 0, 0]);
        assert_eq!(r.name_list().unwrap().count(), 0);
        for bad in [&b"a,,b"[..], b",a", b"a,", b"a b", b"a\x01", b"\xc3\xa9"] {
            let mut w = Writer::new();
            w.string(bad);
            let bytes = w.into_bytes();
            assert!(
                matches!(Reader::new(&bytes).name_list(), Err(WireError::MalformedNameList { offset: 0 })),
                "{bad:?} accepted"
            );
        }
    }

    #[test]
    fn over_long_names_are_refused() {
        let long = "a".repeat(MAX_NAME_LEN + 1);
        let mut w = Writer::new();
        w.name_list(&["ok", &long]);
        let bytes = w.into_bytes();
        assert_eq!(Reader::new(&bytes).name_list().err(), Some(WireError::NameTooLong { len: 65, offset: 0 }));
        let fine = "a".repeat(MAX_NAME_LEN);
        let mut w = Writer::new();
        w.name_list(&[&fine]);
        assert_eq!(Reader::new(&w.into_bytes()).name_list().unwrap().count(), 1);
    }

    #[test]
    fn counts_are_bounded_by_the_input() {
        let mut r = Reader::new(&[0, 0, 0, 3, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert!(matches!(r.count("items", 4, 100), Err(WireError::CountTooLarge { count: 3, limit: 2, .. })));
        let mut r = Reader::new(&[0, 0, 0, 2, 1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(r.count("items", 4, 100).unwrap(), 2);
        assert!(Reader::new(&[0, 0, 0, 1, 0xff]).utf8("text").is_err());
    }

    #[test]
    fn trailing_bytes_are_an_error() {
        let mut r = Reader::new(&[1, 2]);
        r.byte().unwrap();
        assert_eq!(r.finish(), Err(WireError::TrailingBytes { count: 1, offset: 1 }));
    }
}
