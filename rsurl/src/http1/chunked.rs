//! The chunked transfer coding decoder (RFC 9112 §7.1), resumable at any
//! byte.
//!
//! Entry point: [`ChunkedDecoder::decode`]. Rule for every early return:
//! the current `Mode` is stored in `self` first, so feeding one byte at a
//! time gives the same result as feeding everything at once.

use crate::error::HttpError;

use super::Limits;

/// Where the decoder is inside the chunked stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Reading hex digits of a chunk size.
    Size,
    /// After the digits: optional whitespace and `;ext` until LF.
    Ext,
    /// Inside chunk data, this many bytes left.
    Data(u64),
    /// Expecting the CR (or bare LF) that ends chunk data.
    DataCr,
    /// Expecting the LF that ends chunk data.
    DataLf,
    /// Reading trailer lines after the last chunk.
    Trailer,
    /// The final empty line was read.
    Done,
}

/// What one [`ChunkedDecoder::decode`] call found.
#[derive(Debug, PartialEq, Eq)]
pub enum Chunk<'a> {
    /// Body bytes, borrowed from the input.
    Data(&'a [u8]),
    /// All input consumed; call again with more.
    NeedMore,
    /// The body ended; trailer lines (raw, without CRLF) are in
    /// [`ChunkedDecoder::trailers`]. Bytes after it are not consumed.
    End,
}

/// A resumable chunked-body decoder.
///
/// Invariant: `line.len() <= limits.max_line` and
/// `trailer_bytes <= limits.max_header_bytes`.
#[derive(Debug, Clone)]
pub struct ChunkedDecoder {
    mode: Mode,
    size: u64,
    digits: usize,
    ext_len: usize,
    line: Vec<u8>,
    trailers: Vec<Vec<u8>>,
    trailer_bytes: usize,
    limits: Limits,
}

fn hex(b: u8) -> Option<u64> {
    char::from(b).to_digit(16).map(u64::from)
}

impl ChunkedDecoder {
    /// A decoder at the start of a chunked body.
    #[must_use]
    pub fn new(limits: Limits) -> Self {
        Self {
            mode: Mode::Size,
            size: 0,
            digits: 0,
            ext_len: 0,
            line: Vec::new(),
            trailers: Vec::new(),
            trailer_bytes: 0,
            limits,
        }
    }

    /// Trailer lines seen after the last chunk (raw, without CRLF).
    #[must_use]
    pub fn trailers(&self) -> &[Vec<u8>] {
        &self.trailers
    }

    /// Whether the terminating chunk and trailers were fully read.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.mode == Mode::Done
    }

    /// Consumes input; returns bytes consumed and what was found.
    ///
    /// # Errors
    /// [`HttpError::BadChunkSize`], [`HttpError::ChunkSizeTooLong`],
    /// [`HttpError::BadChunkFraming`] or a header limit for trailers.
    pub fn decode<'a>(&mut self, input: &'a [u8]) -> Result<(usize, Chunk<'a>), HttpError> {
        let mut i = 0;
        loop {
            // Every return below leaves `self.mode` describing the next byte.
            if self.mode == Mode::Done {
                return Ok((i, Chunk::End));
            }
            if let Mode::Data(left) = self.mode {
                let avail = input.len().saturating_sub(i);
                if avail == 0 {
                    return Ok((i, Chunk::NeedMore));
                }
                let take = usize::try_from(left).map_or(avail, |l| l.min(avail));
                let data = input.get(i..i + take).unwrap_or(&[]);
                let left = left - take as u64;
                self.mode = if left == 0 { Mode::DataCr } else { Mode::Data(left) };
                return Ok((i + take, Chunk::Data(data)));
            }
            let Some(&b) = input.get(i) else {
                return Ok((i, Chunk::NeedMore));
            };
            i += 1;
            match self.mode {
                Mode::Size => match hex(b) {
                    Some(d) => {
                        self.digits += 1;
                        if self.digits > 16 {
                            return Err(HttpError::ChunkSizeTooLong);
                        }
                        self.size = (self.size << 4) | d;
                    }
                    None if self.digits == 0 => return Err(HttpError::BadChunkSize),
                    None => {
                        self.mode = Mode::Ext;
                        self.ext_byte(b)?;
                    }
                },
                Mode::Ext => self.ext_byte(b)?,
                Mode::DataCr => match b {
                    b'\r' => self.mode = Mode::DataLf,
                    b'\n' => self.next_chunk(),
                    _ => return Err(HttpError::BadChunkFraming),
                },
                Mode::DataLf => {
                    if b != b'\n' {
                        return Err(HttpError::BadChunkFraming);
                    }
                    self.next_chunk();
                }
                Mode::Trailer => self.trailer_byte(b)?,
                Mode::Data(_) | Mode::Done => {}
            }
        }
    }

    fn next_chunk(&mut self) {
        self.mode = Mode::Size;
        self.size = 0;
        self.digits = 0;
        self.ext_len = 0;
    }

    /// A byte after the size digits: extensions are skipped up to LF.
    fn ext_byte(&mut self, b: u8) -> Result<(), HttpError> {
        if b == b'\n' {
            self.mode = if self.size == 0 { Mode::Trailer } else { Mode::Data(self.size) };
            return Ok(());
        }
        self.ext_len += 1;
        if self.ext_len > self.limits.max_line {
            return Err(HttpError::LineTooLong(self.limits.max_line));
        }
        if b != b'\r' && b != b';' && b != b' ' && b != b'\t' && self.ext_len == 1 {
            // The digits must end with CRLF, whitespace or an extension.
            return Err(HttpError::BadChunkSize);
        }
        Ok(())
    }

    fn trailer_byte(&mut self, b: u8) -> Result<(), HttpError> {
        if b != b'\n' {
            if self.line.len() >= self.limits.max_line {
                return Err(HttpError::LineTooLong(self.limits.max_line));
            }
            self.line.push(b);
            return Ok(());
        }
        if self.line.last() == Some(&b'\r') {
            self.line.pop();
        }
        if self.line.is_empty() {
            self.mode = Mode::Done;
            return Ok(());
        }
        if !self.line.contains(&b':') {
            return Err(HttpError::BadChunkFraming);
        }
        self.trailer_bytes += self.line.len();
        if self.trailer_bytes > self.limits.max_header_bytes {
            return Err(HttpError::HeadersTooLarge(self.limits.max_header_bytes));
        }
        if self.trailers.len() >= self.limits.max_headers {
            return Err(HttpError::TooManyHeaders(self.limits.max_headers));
        }
        self.trailers.push(core::mem::take(&mut self.line));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Body, trailers and bytes used.
    type Decoded = (Vec<u8>, Vec<Vec<u8>>, usize);

    /// Decodes `input` fed in pieces of `step` bytes.
    fn run(input: &[u8], step: usize) -> Result<Decoded, HttpError> {
        let mut d = ChunkedDecoder::new(Limits::default());
        let mut body = Vec::new();
        let mut pos = 0;
        while pos < input.len() {
            let end = (pos + step).min(input.len());
            let (n, c) = d.decode(&input[pos..end])?;
            pos += n;
            match c {
                Chunk::Data(b) => body.extend_from_slice(b),
                Chunk::End => return Ok((body, d.trailers().to_vec(), pos)),
                Chunk::NeedMore => assert_eq!(pos, end),
            }
        }
        Err(HttpError::TruncatedChunked)
    }

    #[test]
    fn decodes_at_every_split() {
        let wire = b"5;ext=1\r\nhello\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-T: 1\r\n\r\nNEXT";
        for step in 1..=17 {
            let (body, trailers, used) = run(wire, step).unwrap();
            assert_eq!(body, b"helloabcdefghijklmnopqrstuvwxyz", "step {step}");
            assert_eq!(trailers, vec![b"X-T: 1".to_vec()]);
            assert_eq!(&wire[used..], b"NEXT");
        }
    }

    #[test]
    fn bare_lf_is_accepted() {
        assert_eq!(run(b"3\nabc\n0\n\n", 1).unwrap().0, b"abc");
    }

    #[test]
    fn bad_sizes_are_typed_errors() {
        assert_eq!(run(b"-5\r\nhello\r\n0\r\n\r\n", 4), Err(HttpError::BadChunkSize));
        assert_eq!(run(b"\r\n", 4), Err(HttpError::BadChunkSize));
        assert_eq!(run(b"5x\r\nhello\r\n", 4), Err(HttpError::BadChunkSize));
        assert_eq!(run(b"fffffffffffffffff\r\n", 4), Err(HttpError::ChunkSizeTooLong));
        assert_eq!(run(b"5\r\nhelloXX0\r\n\r\n", 3), Err(HttpError::BadChunkFraming));
        assert_eq!(run(b"0\r\nno colon\r\n\r\n", 3), Err(HttpError::BadChunkFraming));
        assert_eq!(run(b"5\r\nhel", 3), Err(HttpError::TruncatedChunked));
    }

    #[test]
    fn huge_sizes_do_not_allocate() {
        // 2^64-1 announced: data is streamed through, nothing is reserved.
        let mut d = ChunkedDecoder::new(Limits::default());
        assert_eq!(d.decode(b"ffffffffffffffff\r\nab").unwrap(), (20, Chunk::Data(b"ab")));
        assert_eq!(d.decode(b"cd").unwrap(), (2, Chunk::Data(b"cd")));
    }

    #[test]
    fn trailer_flood_is_limited() {
        let mut wire = b"0\r\n".to_vec();
        for _ in 0..2000 {
            wire.extend_from_slice(b"X: y\r\n");
        }
        assert!(matches!(run(&wire, 64), Err(HttpError::TooManyHeaders(_))));
    }
}
