//! PEM, the textual encoding of RFC 7468: base64 DER between
//! `-----BEGIN LABEL-----` and `-----END LABEL-----` lines.
//!
//! Entry points: [`decode`] (the first block, any label), [`decode_label`]
//! (the first block, which must carry a given label), [`blocks`] (every
//! block of a file in order, as certificate bundles need),
//! [`decode_with_headers`] (the first block with its RFC 1421 headers, for
//! legacy encrypted keys) and [`encode`] / [`encode_with_headers`].
//!
//! Parsing follows RFC 7468's "lax" profile where it costs nothing: text
//! before, between and after blocks is ignored (explanatory text), body
//! lines may have any length and surrounding whitespace, and line ends may
//! be LF or CRLF. The base64 itself is strict: only the standard alphabet,
//! correct `=` padding, zero padding bits, and nothing after the padding.
//! RFC 1421 encapsulated headers (`Proc-Type:`, the legacy OpenSSL
//! encrypted-key format) are refused as unsupported by every entry point
//! except [`decode_with_headers`], so that an encrypted key is never
//! mistaken for plain DER.
//!
//! Base64 characters are mapped to values with arithmetic on masks rather
//! than a lookup table, so decoding a private key does not index memory
//! with secret bytes.

use alloc::string::String;
use alloc::vec::Vec;
use zeroize::{Zeroize, Zeroizing};

use crate::Error;

/// The width of an encoded body line (RFC 7468 section 2: exactly 64 for
/// generators).
const LINE_WIDTH: usize = 64;

/// Five hyphens, the fence around both encapsulation boundaries.
const DASHES: &[u8] = b"-----";
const BEGIN: &[u8] = b"-----BEGIN ";
const END: &[u8] = b"-----END ";

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "PEM", reason }
}

/// One decoded block: its label and its binary contents (usually DER).
/// The contents are zeroized on drop, since they are often a private key.
pub struct Pem<'a> {
    /// The label between `BEGIN ` and the closing hyphens
    /// (`PRIVATE KEY`, `CERTIFICATE`...).
    pub label: &'a str,
    /// The decoded bytes.
    pub contents: Zeroizing<Vec<u8>>,
}

impl core::fmt::Debug for Pem<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Pem").field("label", &self.label).field("len", &self.contents.len()).finish_non_exhaustive()
    }
}

/// Decodes the first PEM block in `input`, whatever its label.
///
/// # Errors
/// [`Error::Malformed`] when there is no block, or the first block is
/// malformed; [`Error::Unsupported`] for RFC 1421 headers.
pub fn decode(input: &[u8]) -> Result<Pem<'_>, Error> {
    blocks(input).next().unwrap_or(Err(malformed("no -----BEGIN line")))
}

/// One RFC 1421 encapsulated header line, `Name: value`, split at the
/// first colon with the whitespace around the value removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header<'a> {
    /// The field name (`Proc-Type`, `DEK-Info`).
    pub name: &'a str,
    /// The field value (`4,ENCRYPTED`).
    pub value: &'a str,
}

/// Decodes the first PEM block and the encapsulated headers between its
/// BEGIN line and a blank line, as OpenSSL writes legacy encrypted keys.
/// A block without headers gives an empty list.
///
/// # Errors
/// As [`decode`], except that headers are accepted; [`Error::Malformed`]
/// for a header line that is not `Name: value`, or headers not ended by a
/// blank line.
pub fn decode_with_headers(input: &[u8]) -> Result<(Pem<'_>, Vec<Header<'_>>), Error> {
    let start = find_begin(input).ok_or(malformed("no -----BEGIN line"))?;
    let mut headers = Vec::new();
    let (pem, _) = parse_block(input.get(start..).unwrap_or_default(), Some(&mut headers))?;
    Ok((pem, headers))
}

/// Decodes the first PEM block and checks its label.
///
/// # Errors
/// As [`decode`], plus [`Error::Malformed`] when the label differs.
pub fn decode_label<'a>(input: &'a [u8], label: &str) -> Result<Pem<'a>, Error> {
    let pem = decode(input)?;
    if pem.label == label { Ok(pem) } else { Err(malformed("unexpected label")) }
}

/// Every PEM block in `input`, in order. The iterator stops after the
/// first error.
#[must_use]
pub const fn blocks(input: &[u8]) -> Blocks<'_> {
    Blocks { rest: input, failed: false }
}

/// The iterator returned by [`blocks`].
#[derive(Debug, Clone)]
pub struct Blocks<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Pem<'a>, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed {
            return None;
        }
        let start = find_begin(self.rest)?;
        let result = parse_block(self.rest.get(start..).unwrap_or_default(), None);
        match result {
            Ok((pem, rest)) => {
                self.rest = rest;
                Some(Ok(pem))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// The offset of the first `-----BEGIN ` that starts a line.
fn find_begin(text: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    loop {
        let line = text.get(line_start..)?;
        if line.starts_with(BEGIN) {
            return Some(line_start);
        }
        line_start += line.iter().position(|&b| b == b'\n')? + 1;
    }
}

/// Splits off one line (without its LF or CRLF); `None` at the end.
fn split_line(text: &[u8]) -> Option<(&[u8], &[u8])> {
    if text.is_empty() {
        return None;
    }
    let (line, rest) = match text.iter().position(|&b| b == b'\n') {
        Some(i) => (text.get(..i).unwrap_or_default(), text.get(i + 1..).unwrap_or_default()),
        None => (text, &[][..]),
    };
    Some((line.strip_suffix(b"\r").unwrap_or(line), rest))
}

fn trim_whitespace(mut line: &[u8]) -> &[u8] {
    while let [b' ' | b'\t', rest @ ..] = line {
        line = rest;
    }
    while let [rest @ .., b' ' | b'\t'] = line {
        line = rest;
    }
    line
}

/// RFC 7468 `label`: printable ASCII without `-`, with single hyphens or
/// spaces between such characters.
fn valid_label(label: &[u8]) -> bool {
    let labelchar = |b: u8| (0x21..=0x7e).contains(&b) && b != b'-';
    let mut previous_separator = true;
    for &b in label {
        if labelchar(b) {
            previous_separator = false;
        } else if (b == b'-' || b == b' ') && !previous_separator {
            previous_separator = true;
        } else {
            return false;
        }
    }
    !previous_separator || label.is_empty()
}

/// Reads `-----<keyword>LABEL-----` (trailing whitespace allowed).
fn boundary_label<'a>(line: &'a [u8], keyword: &[u8]) -> Result<&'a [u8], Error> {
    let inner = trim_whitespace(line)
        .strip_prefix(keyword)
        .and_then(|l| l.strip_suffix(DASHES))
        .ok_or(malformed("bad encapsulation boundary"))?;
    if valid_label(inner) { Ok(inner) } else { Err(malformed("invalid label")) }
}

/// Parses the block starting at `text` (which begins with `-----BEGIN `);
/// returns it and the text after its END line. Encapsulated headers are
/// collected into `headers` when it is given, and refused otherwise.
fn parse_block<'a>(text: &'a [u8], headers: Option<&mut Vec<Header<'a>>>) -> Result<(Pem<'a>, &'a [u8]), Error> {
    let (first, mut rest) = split_line(text).ok_or(malformed("truncated"))?;
    let label = boundary_label(first, BEGIN)?;
    if let Some(headers) = headers {
        rest = parse_headers(rest, headers)?;
    }
    // Sized to the whole block up front so that no reallocation leaves a
    // copy of (possibly secret) base64 in freed memory.
    let block_len = rest.windows(END.len()).position(|w| w == END).unwrap_or(rest.len());
    let mut body = Zeroizing::new(Vec::with_capacity(block_len));
    loop {
        let (line, after) = split_line(rest).ok_or(malformed("missing -----END line"))?;
        rest = after;
        let line = trim_whitespace(line);
        if line.starts_with(END) {
            if boundary_label(line, END)? != label {
                return Err(malformed("END label differs from BEGIN label"));
            }
            break;
        }
        if line.starts_with(DASHES) {
            return Err(malformed("boundary inside a block"));
        }
        if line.contains(&b':') {
            return Err(Error::Unsupported { what: "PEM encapsulated headers (RFC 1421, legacy encrypted keys)" });
        }
        body.extend_from_slice(line);
    }
    let contents = base64_decode(&body)?;
    let label = core::str::from_utf8(label).map_err(|_| malformed("invalid label"))?;
    Ok((Pem { label, contents }, rest))
}

/// Collects `Name: value` lines up to the blank line that ends them (RFC
/// 1421 section 4.4); returns the text after that blank line. Text with
/// no header line is returned unchanged.
fn parse_headers<'a>(mut text: &'a [u8], headers: &mut Vec<Header<'a>>) -> Result<&'a [u8], Error> {
    let header_line = |line: &[u8]| !line.starts_with(DASHES) && line.contains(&b':');
    while let Some((line, rest)) = split_line(text) {
        let line = trim_whitespace(line);
        if line.is_empty() && !headers.is_empty() {
            return Ok(rest);
        }
        if !header_line(line) {
            return if headers.is_empty() { Ok(text) } else { Err(malformed("headers not ended by a blank line")) };
        }
        let line = core::str::from_utf8(line).map_err(|_| malformed("header is not text"))?;
        let (name, value) = line.split_once(':').ok_or(malformed("header without a colon"))?;
        if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(malformed("invalid header name"));
        }
        headers.push(Header { name, value: value.trim() });
        text = rest;
    }
    Err(malformed("missing -----END line"))
}

/// Encodes `contents` as one PEM block with RFC 1421 `headers` after the
/// BEGIN line and a blank line after them, the layout OpenSSL writes for
/// legacy encrypted keys. Without headers it equals [`encode`].
#[must_use]
pub fn encode_with_headers(label: &str, headers: &[Header<'_>], contents: &[u8]) -> String {
    let plain = encode(label, contents);
    if headers.is_empty() {
        return plain;
    }
    let (begin, body) = plain.split_once('\n').unwrap_or((plain.as_str(), ""));
    let mut out = String::with_capacity(plain.len() + 80 * headers.len() + 2);
    out.push_str(begin);
    out.push('\n');
    for header in headers {
        out.push_str(header.name);
        out.push_str(": ");
        out.push_str(header.value);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(body);
    out
}

/// The 6-bit value of a base64 character, or `None`. Branch-free over the
/// character's value: each range contributes through a mask, so no table
/// is indexed with (possibly secret) data.
fn base64_value(c: u8) -> Option<u8> {
    let c = i16::from(c);
    // in(lo, hi) is all ones when lo <= c <= hi, else zero.
    let within = |lo: i16, hi: i16| ((lo - 1 - c) & (c - hi - 1)) >> 15;
    let value = (within(0x41, 0x5a) & (c - 0x41 + 1))
        | (within(0x61, 0x7a) & (c - 0x61 + 27))
        | (within(0x30, 0x39) & (c - 0x30 + 53))
        | (within(0x2b, 0x2b) & 63)
        | (within(0x2f, 0x2f) & 64);
    // value is 1..=64 for alphabet characters, 0 otherwise.
    u8::try_from(value - 1).ok()
}

/// Strict base64 (RFC 4648 section 4) after line breaks and blanks were
/// removed: length a multiple of four, `=` only at the end, zero padding
/// bits.
fn base64_decode(text: &[u8]) -> Result<Zeroizing<Vec<u8>>, Error> {
    if !text.len().is_multiple_of(4) {
        return Err(malformed("base64 length not a multiple of 4"));
    }
    let mut out = Zeroizing::new(Vec::with_capacity(text.len() / 4 * 3));
    let quads = text.len() / 4;
    for (i, quad) in text.chunks_exact(4).enumerate() {
        let last = i + 1 == quads;
        let pad = match quad {
            [_, _, b'=', b'='] if last => 2,
            [_, _, _, b'='] if last => 1,
            _ => 0,
        };
        let mut acc: u32 = 0;
        for &c in quad.iter().take(4 - pad) {
            let v = base64_value(c).ok_or(malformed("character outside the base64 alphabet"))?;
            acc = (acc << 6) | u32::from(v);
        }
        acc <<= 6 * pad;
        let mut bytes = acc.to_be_bytes();
        let [_, b0, b1, b2] = bytes;
        match pad {
            0 => out.extend_from_slice(&[b0, b1, b2]),
            1 if b2 == 0 => out.extend_from_slice(&[b0, b1]),
            2 if b1 == 0 && b2 == 0 => out.push(b0),
            _ => return Err(malformed("non-zero base64 padding bits")),
        }
        bytes.zeroize();
        acc.zeroize();
    }
    Ok(out)
}

/// The base64 character for a 6-bit value, again without a table.
fn base64_char(v: u8) -> char {
    let v = i16::from(v & 63);
    // Offsets from the value to the ASCII code of each range.
    let below = |limit: i16| (v - limit) >> 15; // all ones when v < limit
    let offset = 0x41
        + (!below(26) & (0x61 - 0x41 - 26))
        + (!below(52) & (0x30 - 0x61 - 26))
        + (!below(62) & (0x2b - 0x30 - 10))
        + (!below(63) & (0x2f - 0x2b - 1));
    char::from(u8::try_from(v + offset).unwrap_or(b'?'))
}

/// Encodes `contents` as one PEM block with 64-column lines and LF line
/// ends. `label` should be an RFC 7468 label (`PRIVATE KEY`); it is
/// written as given. Wrap the result in [`Zeroizing`] when it holds a
/// secret.
#[must_use]
pub fn encode(label: &str, contents: &[u8]) -> String {
    debug_assert!(valid_label(label.as_bytes()));
    let mut out = String::with_capacity(contents.len() * 4 / 3 + contents.len() / 48 + 2 * label.len() + 40);
    out.push_str("-----BEGIN ");
    out.push_str(label);
    out.push_str("-----\n");
    let mut column = 0;
    for chunk in contents.chunks(3) {
        let mut block = [0u8; 3];
        for (b, c) in block.iter_mut().zip(chunk) {
            *b = *c;
        }
        let acc = u32::from_be_bytes([0, block[0], block[1], block[2]]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(base64_char((acc >> (18 - 6 * i)) as u8));
            } else {
                out.push('=');
            }
        }
        block.zeroize();
        column += 4;
        if column == LINE_WIDTH {
            out.push('\n');
            column = 0;
        }
    }
    if column != 0 {
        out.push('\n');
    }
    out.push_str("-----END ");
    out.push_str(label);
    out.push_str("-----\n");
    out
}

#[cfg(test)]
mod tests;
