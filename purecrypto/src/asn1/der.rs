//! A strict DER reader over borrowed bytes and a DER writer into a `Vec`.
//!
//! Entry points: [`Reader::new`] then the typed reads ([`Reader::sequence`],
//! [`Reader::unsigned_integer`], [`Reader::oid`], ...) ending with
//! [`Reader::finish`]; [`Writer::new`], the typed writes, [`Writer::finish`].
//!
//! The reader never allocates and never copies: every value is a slice of
//! the input. Only single-byte tags are supported (tag numbers below 31),
//! which covers every structure the crate handles; a multi-byte tag is
//! rejected rather than misread.

use alloc::vec::Vec;

use crate::Error;

/// `BOOLEAN`.
pub const TAG_BOOLEAN: u8 = 0x01;
/// `INTEGER`.
pub const TAG_INTEGER: u8 = 0x02;
/// `BIT STRING`.
pub const TAG_BIT_STRING: u8 = 0x03;
/// `OCTET STRING`.
pub const TAG_OCTET_STRING: u8 = 0x04;
/// `NULL`.
pub const TAG_NULL: u8 = 0x05;
/// `OBJECT IDENTIFIER`.
pub const TAG_OID: u8 = 0x06;
/// `SEQUENCE` / `SEQUENCE OF` (always constructed).
pub const TAG_SEQUENCE: u8 = 0x30;
/// `SET` / `SET OF` (always constructed).
pub const TAG_SET: u8 = 0x31;

/// Bit 6 of a tag: the encoding is constructed (holds further TLVs).
const CONSTRUCTED: u8 = 0x20;
/// Context-specific class bits.
const CONTEXT: u8 = 0x80;

/// Lengths are bounded by the input anyway; four length bytes (4 GiB) is
/// more than any structure here, and bounds the arithmetic.
const MAX_LENGTH_BYTES: usize = 4;

fn malformed(what: &'static str, reason: &'static str) -> Error {
    Error::Malformed { what, reason }
}

/// Reads DER values one after another from a byte slice.
///
/// A constructed value ([`sequence`](Self::sequence),
/// [`explicit`](Self::explicit)) is read as a new `Reader` over its
/// contents; call [`finish`](Self::finish) on each reader to reject trailing
/// bytes.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    rest: &'a [u8],
}

impl<'a> Reader<'a> {
    /// A reader over `bytes`.
    #[must_use]
    pub const fn new(bytes: &'a [u8]) -> Self {
        Self { rest: bytes }
    }

    /// Whether every byte has been read.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.rest.is_empty()
    }

    /// The bytes not yet read.
    #[must_use]
    pub const fn remaining(&self) -> &'a [u8] {
        self.rest
    }

    /// The tag of the next value, if any.
    #[must_use]
    pub fn peek_tag(&self) -> Option<u8> {
        self.rest.first().copied()
    }

    /// Fails unless every byte has been read.
    ///
    /// # Errors
    /// [`Error::Malformed`] when bytes remain.
    pub fn finish(self) -> Result<(), Error> {
        if self.rest.is_empty() { Ok(()) } else { Err(malformed("DER", "trailing bytes after the last value")) }
    }

    /// Splits the next value into `(tag, contents, whole TLV)`, checking
    /// the tag form and the length encoding.
    fn next_tlv(&mut self) -> Result<(u8, &'a [u8], &'a [u8]), Error> {
        let input = self.rest;
        let (&tag, after_tag) = input.split_first().ok_or(malformed("DER", "truncated: value expected"))?;
        if tag & 0x1f == 0x1f {
            return Err(malformed("DER tag", "multi-byte tag numbers are not supported"));
        }
        let (&first, after_len) = after_tag.split_first().ok_or(malformed("DER length", "truncated"))?;
        let (len, body) = if first < 0x80 {
            (usize::from(first), after_len)
        } else if first == 0x80 {
            return Err(malformed("DER length", "indefinite length"));
        } else {
            let count = usize::from(first & 0x7f);
            if count > MAX_LENGTH_BYTES {
                return Err(malformed("DER length", "longer than four bytes"));
            }
            let (len_bytes, body) = after_len.split_at_checked(count).ok_or(malformed("DER length", "truncated"))?;
            if len_bytes.first() == Some(&0) {
                return Err(malformed("DER length", "leading zero byte"));
            }
            let len = len_bytes.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
            if len < 0x80 {
                return Err(malformed("DER length", "long form for a length below 128"));
            }
            (len, body)
        };
        let (contents, rest) = body.split_at_checked(len).ok_or(malformed("DER", "truncated: length exceeds input"))?;
        let header_len = input.len() - body.len();
        let whole = input.get(..header_len + len).ok_or(malformed("DER", "truncated"))?;
        self.rest = rest;
        Ok((tag, contents, whole))
    }

    /// Reads the next value whatever its tag: `(tag, contents)`.
    ///
    /// # Errors
    /// [`Error::Malformed`] on a bad header or truncation.
    pub fn any(&mut self) -> Result<(u8, &'a [u8]), Error> {
        self.next_tlv().map(|(tag, contents, _)| (tag, contents))
    }

    /// Reads the next value and returns its whole encoding (tag, length
    /// and contents), e.g. to hash or re-emit it unchanged.
    ///
    /// # Errors
    /// [`Error::Malformed`] on a bad header or truncation.
    pub fn any_raw(&mut self) -> Result<&'a [u8], Error> {
        self.next_tlv().map(|(_, _, whole)| whole)
    }

    /// Reads a value that must carry `tag`; returns its contents.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the tag differs or the value is malformed.
    pub fn expect(&mut self, tag: u8, what: &'static str) -> Result<&'a [u8], Error> {
        if self.peek_tag() != Some(tag) {
            return Err(malformed(what, "unexpected tag"));
        }
        self.any().map(|(_, contents)| contents)
    }

    /// Reads a `SEQUENCE` and returns a reader over its contents.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the next value is not a well-formed
    /// `SEQUENCE`.
    pub fn sequence(&mut self) -> Result<Reader<'a>, Error> {
        self.expect(TAG_SEQUENCE, "DER SEQUENCE").map(Reader::new)
    }

    /// Reads a `SET` and returns a reader over its contents. (The DER
    /// ordering of `SET OF` elements is not checked.)
    ///
    /// # Errors
    /// [`Error::Malformed`] when the next value is not a well-formed `SET`.
    pub fn set(&mut self) -> Result<Reader<'a>, Error> {
        self.expect(TAG_SET, "DER SET").map(Reader::new)
    }

    /// Reads an `INTEGER` in its two's-complement contents, checked to be
    /// minimal.
    ///
    /// # Errors
    /// [`Error::Malformed`] on an empty or non-minimal encoding.
    pub fn integer_bytes(&mut self) -> Result<&'a [u8], Error> {
        let contents = self.expect(TAG_INTEGER, "DER INTEGER")?;
        match contents {
            [] => Err(malformed("DER INTEGER", "empty")),
            [0x00, next, ..] if next & 0x80 == 0 => Err(malformed("DER INTEGER", "non-minimal encoding")),
            [0xff, next, ..] if next & 0x80 != 0 => Err(malformed("DER INTEGER", "non-minimal encoding")),
            _ => Ok(contents),
        }
    }

    /// Reads a non-negative `INTEGER` as its big-endian magnitude without
    /// the sign byte; zero is returned as `[0]`.
    ///
    /// # Errors
    /// [`Error::Malformed`] on a negative or non-minimal encoding.
    pub fn unsigned_integer(&mut self) -> Result<&'a [u8], Error> {
        let contents = self.integer_bytes()?;
        match contents {
            [first, ..] if first & 0x80 != 0 => Err(malformed("DER INTEGER", "negative where unsigned expected")),
            [0x00, rest @ ..] if !rest.is_empty() => Ok(rest),
            _ => Ok(contents),
        }
    }

    /// Reads a non-negative `INTEGER` that fits a `u64` (versions,
    /// iteration counts, lengths).
    ///
    /// # Errors
    /// [`Error::Malformed`] when negative, non-minimal or too large.
    pub fn small_unsigned(&mut self) -> Result<u64, Error> {
        let magnitude = self.unsigned_integer()?;
        if magnitude.len() > 8 {
            return Err(malformed("DER INTEGER", "too large"));
        }
        Ok(magnitude.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
    }

    /// Reads an `OBJECT IDENTIFIER`; returns its contents, to compare with
    /// the constants in [`oid`](super::oid).
    ///
    /// # Errors
    /// [`Error::Malformed`] when empty, truncated in a sub-identifier, or a
    /// sub-identifier has a leading `0x80` byte.
    pub fn oid(&mut self) -> Result<&'a [u8], Error> {
        let contents = self.expect(TAG_OID, "DER OBJECT IDENTIFIER")?;
        super::oid::validate(contents)?;
        Ok(contents)
    }

    /// Reads a `NULL`.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the value is not an empty `NULL`.
    pub fn null(&mut self) -> Result<(), Error> {
        if self.expect(TAG_NULL, "DER NULL")?.is_empty() { Ok(()) } else { Err(malformed("DER NULL", "non-empty")) }
    }

    /// Reads an `OCTET STRING` (primitive form only, as DER requires).
    ///
    /// # Errors
    /// [`Error::Malformed`] on any other value.
    pub fn octet_string(&mut self) -> Result<&'a [u8], Error> {
        self.expect(TAG_OCTET_STRING, "DER OCTET STRING")
    }

    /// Reads a `BIT STRING` whose length is a whole number of bytes (keys,
    /// signatures); returns the bytes after the unused-bits count.
    ///
    /// # Errors
    /// [`Error::Malformed`] on unused bits or a bad encoding.
    pub fn bit_string(&mut self) -> Result<&'a [u8], Error> {
        match self.bit_string_with_unused()? {
            (0, bits) => Ok(bits),
            _ => Err(malformed("DER BIT STRING", "not a whole number of bytes")),
        }
    }

    /// Reads a `BIT STRING` of any length (key-usage flags): `(unused bits,
    /// bytes)`. DER requires the unused trailing bits to be zero.
    ///
    /// # Errors
    /// [`Error::Malformed`] on a bad unused-bits count or non-zero padding.
    pub fn bit_string_with_unused(&mut self) -> Result<(u8, &'a [u8]), Error> {
        let contents = self.expect(TAG_BIT_STRING, "DER BIT STRING")?;
        let (&unused, bits) = contents.split_first().ok_or(malformed("DER BIT STRING", "empty"))?;
        match bits.last() {
            _ if unused > 7 => Err(malformed("DER BIT STRING", "unused-bits count above 7")),
            None if unused != 0 => Err(malformed("DER BIT STRING", "unused bits in an empty string")),
            Some(&last) if last & ((1u8 << unused) - 1) != 0 => {
                Err(malformed("DER BIT STRING", "non-zero unused bits"))
            }
            _ => Ok((unused, bits)),
        }
    }

    /// Reads a `BOOLEAN` (`00` or `FF` only).
    ///
    /// # Errors
    /// [`Error::Malformed`] on any other contents.
    pub fn boolean(&mut self) -> Result<bool, Error> {
        match self.expect(TAG_BOOLEAN, "DER BOOLEAN")? {
            [0x00] => Ok(false),
            [0xff] => Ok(true),
            _ => Err(malformed("DER BOOLEAN", "not 00 or FF")),
        }
    }

    /// Reads a constructed `[number] EXPLICIT` field; returns a reader over
    /// its contents.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the next value is not that field.
    pub fn explicit(&mut self, number: u8) -> Result<Reader<'a>, Error> {
        self.optional_explicit(number)?.ok_or(malformed("DER EXPLICIT field", "missing"))
    }

    /// Reads a `[number] EXPLICIT` field when it is next.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the field is present but malformed.
    pub fn optional_explicit(&mut self, number: u8) -> Result<Option<Reader<'a>>, Error> {
        let tag = CONTEXT | CONSTRUCTED | (number & 0x1f);
        if self.peek_tag() != Some(tag) {
            return Ok(None);
        }
        self.any().map(|(_, contents)| Some(Reader::new(contents)))
    }

    /// Reads a `[number] IMPLICIT` field (primitive or constructed) when it
    /// is next; returns its contents.
    ///
    /// # Errors
    /// [`Error::Malformed`] when the field is present but malformed.
    pub fn optional_implicit(&mut self, number: u8) -> Result<Option<&'a [u8]>, Error> {
        let primitive = CONTEXT | (number & 0x1f);
        match self.peek_tag() {
            Some(tag) if tag == primitive || tag == primitive | CONSTRUCTED => {
                self.any().map(|(_, contents)| Some(contents))
            }
            _ => Ok(None),
        }
    }
}

/// Writes DER values into a growing buffer.
///
/// Constructed values take a closure that writes their contents; lengths
/// are computed when the closure returns, so callers never size anything.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    out: Vec<u8>,
}

impl Writer {
    /// An empty writer.
    #[must_use]
    pub const fn new() -> Self {
        Self { out: Vec::new() }
    }

    /// The encoding written so far.
    #[must_use]
    pub fn finish(self) -> Vec<u8> {
        self.out
    }

    /// Writes one value with `tag` and `contents`.
    pub fn tlv(&mut self, tag: u8, contents: &[u8]) {
        self.out.push(tag);
        push_length(&mut self.out, contents.len());
        self.out.extend_from_slice(contents);
    }

    /// Writes a constructed value whose contents `body` writes.
    pub fn constructed(&mut self, tag: u8, body: impl FnOnce(&mut Writer)) {
        let mut inner = Writer::new();
        body(&mut inner);
        self.tlv(tag, &inner.out);
    }

    /// Writes a `SEQUENCE`.
    pub fn sequence(&mut self, body: impl FnOnce(&mut Writer)) {
        self.constructed(TAG_SEQUENCE, body);
    }

    /// Writes a `SET`.
    pub fn set(&mut self, body: impl FnOnce(&mut Writer)) {
        self.constructed(TAG_SET, body);
    }

    /// Writes a `[number] EXPLICIT` field.
    pub fn explicit(&mut self, number: u8, body: impl FnOnce(&mut Writer)) {
        self.constructed(CONTEXT | CONSTRUCTED | (number & 0x1f), body);
    }

    /// Writes a primitive `[number] IMPLICIT` field with `contents`.
    pub fn implicit(&mut self, number: u8, contents: &[u8]) {
        self.tlv(CONTEXT | (number & 0x1f), contents);
    }

    /// Writes a non-negative `INTEGER` from its big-endian magnitude
    /// (leading zeros are dropped; a sign byte is added when needed; an
    /// empty slice is zero).
    pub fn unsigned_integer(&mut self, magnitude: &[u8]) {
        let start = magnitude.iter().position(|&b| b != 0).unwrap_or(magnitude.len());
        let digits = magnitude.get(start..).unwrap_or_default();
        let mut contents = Vec::with_capacity(digits.len() + 1);
        if digits.first().is_none_or(|&b| b & 0x80 != 0) {
            contents.push(0);
        }
        contents.extend_from_slice(digits);
        self.tlv(TAG_INTEGER, &contents);
    }

    /// Writes a non-negative `INTEGER` from a `u64`.
    pub fn small_unsigned(&mut self, value: u64) {
        self.unsigned_integer(&value.to_be_bytes());
    }

    /// Writes an `OBJECT IDENTIFIER` from its contents (an [`oid`](super::oid)
    /// constant).
    pub fn oid(&mut self, contents: &[u8]) {
        self.tlv(TAG_OID, contents);
    }

    /// Writes a `NULL`.
    pub fn null(&mut self) {
        self.tlv(TAG_NULL, &[]);
    }

    /// Writes an `OCTET STRING`.
    pub fn octet_string(&mut self, bytes: &[u8]) {
        self.tlv(TAG_OCTET_STRING, bytes);
    }

    /// Writes a `BIT STRING` of whole bytes.
    pub fn bit_string(&mut self, bytes: &[u8]) {
        self.out.push(TAG_BIT_STRING);
        push_length(&mut self.out, bytes.len() + 1);
        self.out.push(0);
        self.out.extend_from_slice(bytes);
    }

    /// Writes a `BOOLEAN`.
    pub fn boolean(&mut self, value: bool) {
        self.tlv(TAG_BOOLEAN, &[if value { 0xff } else { 0x00 }]);
    }

    /// Appends an already-encoded value unchanged.
    pub fn raw(&mut self, tlv: &[u8]) {
        self.out.extend_from_slice(tlv);
    }
}

/// Appends `len` in the shortest DER form.
fn push_length(out: &mut Vec<u8>, len: usize) {
    if len < 0x80 {
        out.push(len as u8);
        return;
    }
    let bytes = len.to_be_bytes();
    let skip = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len() - 1);
    let significant = bytes.get(skip..).unwrap_or_default();
    out.push(0x80 | significant.len() as u8);
    out.extend_from_slice(significant);
}

#[cfg(test)]
mod tests;
