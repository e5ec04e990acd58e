//! The HTTP/1.1 response parser: status line, header fields, body framing
//! (Content-Length, chunked with trailers, read-to-close), 1xx interim
//! responses and the no-body rules for HEAD, 204 and 304.
//!
//! Entry point: [`ResponseParser::input`], then [`ResponseParser::eof`]
//! when the peer closes. Sans-I/O: bytes in, [`Event`]s out; body bytes
//! are borrowed from the caller's input, never copied or buffered.

use crate::error::HttpError;

use super::Limits;
use super::chunked::{Chunk, ChunkedDecoder};

/// A parsed response head (interim or final).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResponseHead {
    /// Minor version: 0 for HTTP/1.0, 1 for HTTP/1.1.
    pub minor: u8,
    /// Status code, 100..=999.
    pub status: u16,
    /// Reason phrase (may be empty).
    pub reason: String,
    /// Header fields in order, values trimmed (obs-folds joined by a space).
    pub headers: Vec<(String, Vec<u8>)>,
    /// The head exactly as received, for `-i` and `-D`.
    pub raw: Vec<u8>,
}

impl ResponseHead {
    /// The first value of a header (any case).
    #[must_use]
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_slice())
    }

    /// The first value of a header as text (lossy).
    #[must_use]
    pub fn get_str(&self, name: &str) -> Option<String> {
        self.get(name).map(|v| String::from_utf8_lossy(v).into_owned())
    }

    /// Whether this is a 1xx interim response other than 101.
    #[must_use]
    pub fn is_interim(&self) -> bool {
        (100..200).contains(&self.status) && self.status != 101
    }
}

/// What one [`ResponseParser::input`] call found.
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event<'a> {
    /// All input consumed; call again with more (or `eof`).
    NeedMore,
    /// A complete head; check [`ResponseHead::is_interim`].
    Head(Box<ResponseHead>),
    /// Body bytes (already de-chunked), borrowed from the input.
    Body(&'a [u8]),
    /// The response is complete; unconsumed input belongs to the next one.
    End,
}

#[derive(Debug, Clone)]
enum Body {
    Length(u64),
    Chunked(ChunkedDecoder),
    Close,
}

#[derive(Debug, Clone)]
enum State {
    Head,
    Body(Body),
    Done,
}

/// A response parser for one request.
///
/// Invariant: `line.len() <= limits.max_line` and
/// `head_bytes <= limits.max_header_bytes`.
#[derive(Debug, Clone)]
pub struct ResponseParser {
    state: State,
    limits: Limits,
    no_body: bool,
    line: Vec<u8>,
    head: Option<ResponseHead>,
    raw: Vec<u8>,
    head_bytes: usize,
    interim: usize,
    keep_alive: bool,
    received_any: bool,
    content_length: Option<u64>,
    trailers: Vec<Vec<u8>>,
}

fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v.iter().position(|b| !matches!(b, b' ' | b'\t')).unwrap_or(v.len());
    let end = v.iter().rposition(|b| !matches!(b, b' ' | b'\t')).map_or(start, |e| e + 1);
    v.get(start..end).unwrap_or(&[])
}

fn parse_status_line(line: &[u8]) -> Result<ResponseHead, HttpError> {
    let rest = line.strip_prefix(b"HTTP/").ok_or(HttpError::NotHttp)?;
    let minor = match rest.get(..3) {
        Some(b"1.1") => 1,
        Some(b"1.0") => 0,
        _ => return Err(HttpError::BadVersion),
    };
    let rest = rest.get(3..).unwrap_or(&[]);
    let rest = rest.strip_prefix(b" ").ok_or(HttpError::BadVersion)?;
    let code = rest.get(..3).ok_or(HttpError::BadStatus)?;
    if !code.iter().all(u8::is_ascii_digit) || rest.get(3).is_some_and(|&b| b != b' ') {
        return Err(HttpError::BadStatus);
    }
    let status = code.iter().fold(0u16, |a, &d| a * 10 + u16::from(d - b'0'));
    if status < 100 {
        return Err(HttpError::BadStatus);
    }
    let reason = String::from_utf8_lossy(trim(rest.get(4..).unwrap_or(&[]))).into_owned();
    Ok(ResponseHead { minor, status, reason, headers: Vec::new(), raw: Vec::new() })
}

/// Parses every Content-Length value (comma lists included); all must
/// agree (RFC 9112 §6.3).
fn content_length(head: &ResponseHead) -> Result<Option<u64>, HttpError> {
    let mut found: Option<u64> = None;
    for (_, v) in head.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case("content-length")) {
        for part in v.split(|&b| b == b',') {
            let part = trim(part);
            if part.is_empty() || part.len() > 18 || !part.iter().all(u8::is_ascii_digit) {
                return Err(HttpError::BadContentLength);
            }
            let n = part.iter().fold(0u64, |a, &d| a * 10 + u64::from(d - b'0'));
            if found.is_some_and(|f| f != n) {
                return Err(HttpError::ConflictingContentLength);
            }
            found = Some(n);
        }
    }
    Ok(found)
}

fn has_token(head: &ResponseHead, name: &str, token: &str) -> bool {
    head.headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .flat_map(|(_, v)| v.split(|&b| b == b','))
        .any(|t| trim(t).eq_ignore_ascii_case(token.as_bytes()))
}

impl ResponseParser {
    /// A parser for the response to a request; `no_body` is true for HEAD
    /// (the response then never has a body, whatever its headers say).
    #[must_use]
    pub fn new(limits: Limits, no_body: bool) -> Self {
        Self {
            state: State::Head,
            limits,
            no_body,
            line: Vec::new(),
            head: None,
            raw: Vec::new(),
            head_bytes: 0,
            interim: 0,
            keep_alive: true,
            received_any: false,
            content_length: None,
            trailers: Vec::new(),
        }
    }

    /// Whether the connection may carry another request after [`Event::End`].
    #[must_use]
    pub fn keep_alive(&self) -> bool {
        self.keep_alive && matches!(self.state, State::Done)
    }

    /// The final response's Content-Length, if it had one that frames the body.
    #[must_use]
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// Bytes still to come of a body framed by Content-Length
    /// (`u64::MAX` for a body read to the connection's close); `None`
    /// outside such a body. A caller may read that many bytes itself,
    /// straight into its output, and report them with [`Self::body_read`].
    #[must_use]
    pub fn unframed_body_left(&self) -> Option<u64> {
        match &self.state {
            State::Body(Body::Length(left)) => Some(*left),
            State::Body(Body::Close) => Some(u64::MAX),
            _ => None,
        }
    }

    /// Counts `n` body bytes the caller read past the parser (at most
    /// [`Self::unframed_body_left`]), as [`Self::input`] would have.
    pub fn body_read(&mut self, n: u64) {
        self.received_any |= n > 0;
        if let State::Body(Body::Length(left)) = &mut self.state {
            *left = left.saturating_sub(n);
        }
    }

    /// Trailer lines of a chunked body (raw, without CRLF).
    #[must_use]
    pub fn trailers(&self) -> &[Vec<u8>] {
        &self.trailers
    }

    /// Consumes input; returns bytes consumed and what was found.
    ///
    /// # Errors
    /// An [`HttpError`] for a malformed or over-limit response; the parser
    /// must then be dropped.
    pub fn input<'a>(&mut self, data: &'a [u8]) -> Result<(usize, Event<'a>), HttpError> {
        if !data.is_empty() {
            self.received_any = true;
        }
        match &mut self.state {
            State::Done => Ok((0, Event::End)),
            State::Body(Body::Length(left)) => {
                if *left == 0 {
                    self.state = State::Done;
                    return Ok((0, Event::End));
                }
                if data.is_empty() {
                    return Ok((0, Event::NeedMore));
                }
                let take = usize::try_from(*left).map_or(data.len(), |l| l.min(data.len()));
                *left -= take as u64;
                Ok((take, Event::Body(data.get(..take).unwrap_or(&[]))))
            }
            State::Body(Body::Close) => {
                if data.is_empty() {
                    Ok((0, Event::NeedMore))
                } else {
                    Ok((data.len(), Event::Body(data)))
                }
            }
            State::Body(Body::Chunked(dec)) => match dec.decode(data)? {
                (n, Chunk::Data(d)) => Ok((n, Event::Body(d))),
                (n, Chunk::NeedMore) => Ok((n, Event::NeedMore)),
                (n, Chunk::End) => {
                    self.trailers = dec.trailers().to_vec();
                    self.state = State::Done;
                    Ok((n, Event::End))
                }
            },
            State::Head => self.head_input(data),
        }
    }

    fn head_input<'a>(&mut self, data: &'a [u8]) -> Result<(usize, Event<'a>), HttpError> {
        for (i, &b) in data.iter().enumerate() {
            self.head_bytes += 1;
            if self.head_bytes > self.limits.max_header_bytes {
                return Err(HttpError::HeadersTooLarge(self.limits.max_header_bytes));
            }
            self.raw.push(b);
            if b != b'\n' {
                if self.line.len() >= self.limits.max_line {
                    return Err(HttpError::LineTooLong(self.limits.max_line));
                }
                self.line.push(b);
                // Refuse HTTP/0.9 as soon as the first bytes show it.
                if self.head.is_none() && self.line.len() <= 5 && !b"HTTP/".starts_with(&self.line) {
                    return Err(HttpError::NotHttp);
                }
                continue;
            }
            if self.line.last() == Some(&b'\r') {
                self.line.pop();
            }
            let line = core::mem::take(&mut self.line);
            if let Some(event) = self.head_line(line)? {
                return Ok((i + 1, event));
            }
        }
        Ok((data.len(), Event::NeedMore))
    }

    /// Handles one complete head line; returns an event when the head ends.
    fn head_line<'a>(&mut self, line: Vec<u8>) -> Result<Option<Event<'a>>, HttpError> {
        let Some(head) = self.head.as_mut() else {
            self.head = Some(parse_status_line(&line)?);
            return Ok(None);
        };
        if !line.is_empty() {
            if matches!(line.first(), Some(b' ' | b'\t')) {
                // obs-fold: joined to the previous value with one space.
                let (_, v) = head.headers.last_mut().ok_or(HttpError::BadHeader)?;
                v.push(b' ');
                v.extend_from_slice(trim(&line));
                return Ok(None);
            }
            let colon = line.iter().position(|&b| b == b':').ok_or(HttpError::BadHeader)?;
            let (name, value) = line.split_at(colon);
            if name.is_empty() || !name.iter().copied().all(is_tchar) {
                return Err(HttpError::BadHeader);
            }
            if head.headers.len() >= self.limits.max_headers {
                return Err(HttpError::TooManyHeaders(self.limits.max_headers));
            }
            let value = trim(value.get(1..).unwrap_or(&[])).to_vec();
            head.headers.push((String::from_utf8_lossy(name).into_owned(), value));
            return Ok(None);
        }
        let mut head = self.head.take().ok_or(HttpError::BadHeader)?;
        head.raw = core::mem::take(&mut self.raw);
        if head.is_interim() {
            self.interim += 1;
            if self.interim > self.limits.max_interim {
                return Err(HttpError::TooManyInterim(self.limits.max_interim));
            }
            return Ok(Some(Event::Head(Box::new(head))));
        }
        self.finish_head(&head)?;
        Ok(Some(Event::Head(Box::new(head))))
    }

    /// Chooses the body framing for a final head (RFC 9112 §6.3).
    fn finish_head(&mut self, head: &ResponseHead) -> Result<(), HttpError> {
        if has_token(head, "connection", "close") || (head.minor == 0 && !has_token(head, "connection", "keep-alive")) {
            self.keep_alive = false;
        }
        let cl = content_length(head)?;
        let chunked = head
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
            .flat_map(|(_, v)| v.split(|&b| b == b','))
            .map(trim)
            .next_back()
            .map(|last| last.eq_ignore_ascii_case(b"chunked"));
        let no_body = self.no_body || head.status == 204 || head.status == 304 || head.status == 101;
        self.state = if no_body {
            State::Done
        } else if let Some(is_chunked) = chunked {
            if is_chunked {
                State::Body(Body::Chunked(ChunkedDecoder::new(self.limits)))
            } else {
                self.keep_alive = false;
                State::Body(Body::Close)
            }
        } else if let Some(n) = cl {
            self.content_length = Some(n);
            if n == 0 { State::Done } else { State::Body(Body::Length(n)) }
        } else {
            self.keep_alive = false;
            State::Body(Body::Close)
        };
        if no_body {
            self.content_length = cl;
        }
        Ok(())
    }

    /// The peer closed the connection: ends a read-to-close body, or
    /// reports what was missing.
    ///
    /// # Errors
    /// [`HttpError::EmptyReply`], [`HttpError::Truncated`] or
    /// [`HttpError::TruncatedChunked`].
    pub fn eof(&mut self) -> Result<Event<'static>, HttpError> {
        self.keep_alive = false;
        match &self.state {
            State::Done => Ok(Event::End),
            State::Body(Body::Close) => {
                self.state = State::Done;
                Ok(Event::End)
            }
            State::Body(Body::Length(0)) => {
                self.state = State::Done;
                Ok(Event::End)
            }
            State::Body(Body::Length(left)) => Err(HttpError::Truncated(*left)),
            State::Body(Body::Chunked(_)) => Err(HttpError::TruncatedChunked),
            State::Head if !self.received_any || self.head.is_none() => Err(HttpError::EmptyReply),
            State::Head => Err(HttpError::Truncated(0)),
        }
    }
}

#[cfg(test)]
mod tests;
