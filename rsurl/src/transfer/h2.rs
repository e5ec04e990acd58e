//! The HTTP/2 handler: the blocking driver around [`crate::h2::conn`].
//!
//! Entry points: [`H2Session`] (a connection and its protocol state),
//! [`exchange`] (one request as one stream of a [`Mux`], up to the final
//! response head) and [`H2Exchange`] (the body, read on demand). The HTTP
//! handler picks this path when ALPN chose `h2` or
//! `--http2-prior-knowledge` asks for cleartext h2. Sessions live in the
//! transfer context's [`Registry`], so the next request to the origin
//! reuses one (curl's "Re-using existing connection") and `-Z` transfers
//! share it as concurrent streams. Protocol decisions stay in the core;
//! this file moves bytes and time, and turns the request head into
//! HTTP/2 fields.

mod mux;
#[cfg(test)]
mod retry_tests;

use std::io::{ErrorKind, Read, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use mux::Clock;
pub(crate) use mux::{Claim, Mux, Registry};

use super::http::note_response_head;
use super::{Exchange, Start};
use crate::conn::Layer;
use crate::error::{Error, HttpError};
use crate::h2::conn::{ClientConn, Event};
use crate::h2::{ErrorCode, H2Error};
use crate::http1::request::RequestHead;
use crate::http1::response::ResponseHead;
use crate::trace::{Kind, Tracer};

/// Bytes read from the connection per call.
const READ_CHUNK: usize = 32 * 1024;

/// Request header fields HTTP/2 forbids (RFC 9113 §8.2.2); `Host`
/// becomes `:authority` and `Expect` is not sent (as curl does).
const HOP_BY_HOP: &[&str] =
    &["host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade", "expect"];

/// An HTTP/2 connection: the layer below and the protocol state.
#[derive(Debug)]
pub(crate) struct H2Session {
    io: Box<dyn Layer>,
    core: ClientConn,
    /// Received bytes the core has not consumed (an incomplete frame).
    inbuf: Vec<u8>,
}

impl H2Session {
    /// Starts HTTP/2 on `io` (after ALPN `h2`, or with prior knowledge).
    pub(crate) fn new(io: Box<dyn Layer>, max_list_size: usize) -> Self {
        Self { io, core: ClientConn::new(max_list_size), inbuf: Vec::new() }
    }

    fn set_timeout(&self, deadline: Option<Instant>, started: Instant, received: u64) -> Result<(), Error> {
        let left = match deadline {
            Some(d) => Some(d.checked_duration_since(Instant::now()).ok_or_else(|| timeout(started, received))?),
            None => None,
        };
        self.io.set_io_timeout(left.map(|l| l.max(Duration::from_millis(1)))).map_err(Error::Send)
    }

    /// Writes what the core queued.
    fn flush(&mut self, deadline: Option<Instant>, started: Instant, received: u64) -> Result<(), Error> {
        let out = self.core.take_output();
        if out.is_empty() {
            return Ok(());
        }
        self.set_timeout(deadline, started, received)?;
        match self.io.write_all(&out).and_then(|()| self.io.flush()) {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                Err(timeout(started, received))
            }
            Err(e) => Err(Error::Send(e)),
        }
    }
}

fn timeout(started: Instant, bytes: u64) -> Error {
    Error::Timeout { ms: started.elapsed().as_millis(), bytes }
}

/// The request's HTTP/2 fields: the pseudo-headers in curl's order, then
/// the head's fields with lower-case names, minus what HTTP/2 forbids.
pub(crate) fn request_fields(head: &RequestHead, scheme: &str, authority: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
    let mut fields = vec![
        (b":method".to_vec(), head.method.as_bytes().to_vec()),
        (b":path".to_vec(), head.target.as_bytes().to_vec()),
        (b":scheme".to_vec(), scheme.as_bytes().to_vec()),
        (b":authority".to_vec(), authority.as_bytes().to_vec()),
    ];
    for h in &head.headers {
        let name = h.name.to_ascii_lowercase();
        if HOP_BY_HOP.contains(&name.as_str()) || (name == "te" && !h.value.eq_ignore_ascii_case(b"trailers")) {
            continue;
        }
        fields.push((name.into_bytes(), h.value.clone()));
    }
    fields
}

/// The `>` lines curl prints for an HTTP/2 request: an HTTP/1-style
/// request line with `HTTP/2`, `Host:`, then the fields as sent.
fn request_trace(fields: &[(Vec<u8>, Vec<u8>)]) -> Vec<u8> {
    let get = |n: &[u8]| fields.iter().find(|(k, _)| k == n).map(|(_, v)| v.as_slice()).unwrap_or_default();
    let mut raw = [get(b":method"), b" ", get(b":path"), b" HTTP/2\r\nHost: ", get(b":authority"), b"\r\n"].concat();
    for (n, v) in fields.iter().filter(|(n, _)| !n.starts_with(b":")) {
        raw.extend_from_slice(&[n.as_slice(), b": ", v.as_slice(), b"\r\n"].concat());
    }
    raw.extend_from_slice(b"\r\n");
    raw
}

/// Turns a response header block into a head (`HTTP/2 200 ` and
/// lower-case fields, as curl prints them), checking RFC 9113 §8.3.2.
fn response_head(fields: Vec<(Vec<u8>, Vec<u8>)>) -> Result<ResponseHead, H2Error> {
    let mut status = None;
    let mut headers = Vec::new();
    let mut seen_regular = false;
    for (name, value) in fields {
        if name.starts_with(b":") {
            if name != b":status" || seen_regular || status.is_some() {
                return Err(H2Error::Malformed("unexpected pseudo-header"));
            }
            let text = std::str::from_utf8(&value).ok().filter(|t| t.len() == 3);
            status = Some(text.and_then(|t| t.parse::<u16>().ok()).ok_or(H2Error::Malformed("bad :status"))?);
            continue;
        }
        seen_regular = true;
        let bad_name = name.is_empty()
            || name.iter().any(|b| b.is_ascii_uppercase() || matches!(b, 0 | b'\r' | b'\n' | b':' | b' '));
        if bad_name || value.iter().any(|b| matches!(b, 0 | b'\r' | b'\n')) {
            return Err(H2Error::Malformed("invalid header field"));
        }
        let name = String::from_utf8(name).map_err(|_| H2Error::Malformed("invalid header name"))?;
        if HOP_BY_HOP.get(1..).unwrap_or_default().contains(&name.as_str()) {
            return Err(H2Error::Malformed("connection-specific header field"));
        }
        headers.push((name, value));
    }
    let status = status.ok_or(H2Error::Malformed("no :status"))?;
    if status < 100 || status == 101 {
        return Err(H2Error::Malformed("bad :status"));
    }
    let mut raw = format!("HTTP/2 {status} \r\n").into_bytes();
    for (n, v) in &headers {
        raw.extend_from_slice(&[n.as_bytes(), b": ", v, b"\r\n"].concat());
    }
    raw.extend_from_slice(b"\r\n");
    Ok(ResponseHead { minor: 0, status, reason: String::new(), headers, raw })
}

/// What a stream reported to the driver.
enum StreamEvent {
    Headers(Vec<(Vec<u8>, Vec<u8>)>, bool),
    Data(Vec<u8>, bool),
}

/// A started HTTP/2 exchange: one stream of a (possibly shared) session.
/// Dropping it before the stream ended resets the stream (CANCEL); the
/// session stays in its registry for later transfers.
#[derive(Debug)]
pub(crate) struct H2Exchange {
    mux: Arc<Mux>,
    stream: u32,
    head: Option<ResponseHead>,
    /// Received body bytes not yet read: `chunk[pos..]`.
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
    /// The peer reset the stream.
    peer_reset: bool,
    /// We closed the stream already (reset or finished).
    closed: bool,
    head_only: bool,
    deadline: Option<Instant>,
    started: Instant,
    received: u64,
    trace: Option<Tracer>,
}

impl H2Exchange {
    fn clock(&self) -> Clock {
        Clock { deadline: self.deadline, started: self.started, received: self.received }
    }

    /// The next event of our stream, reading as needed.
    fn next_event(&mut self) -> Result<StreamEvent, Error> {
        match self.mux.next_event(self.stream, self.clock())? {
            Event::Headers { fields, end_stream, .. } => Ok(StreamEvent::Headers(fields, end_stream)),
            Event::Data { data, end_stream, .. } => Ok(StreamEvent::Data(data, end_stream)),
            Event::Reset { stream, code } => {
                self.peer_reset = true;
                Err(H2Error::StreamReset { stream, code }.into())
            }
            // Connection-wide events never reach a stream's queue.
            Event::GoAway { code, .. } => Err(H2Error::GoAway { stream: self.stream, code }.into()),
        }
    }

    fn send_body(&mut self, reader: &mut dyn Read) -> Result<u64, Error> {
        let mut buf = vec![0u8; 16 * 1024];
        let mut sent = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(Error::Read)?;
            let data = buf.get(..n).unwrap_or_default();
            if n == 0 {
                self.mux.send_data(self.stream, &[], true, self.clock())?;
                return Ok(sent);
            }
            let mut off = 0;
            while off < n {
                let k = self.mux.send_data(self.stream, data.get(off..).unwrap_or_default(), false, self.clock())?;
                off += k;
                if k == 0 {
                    // Wait for a window update; a reset means the server
                    // refused the body.
                    self.mux.wait(self.stream, self.clock())?;
                }
            }
            if let Some(t) = &self.trace {
                t.data(Kind::DataOut, data);
            }
            sent += n as u64;
        }
    }

    /// Resets the stream with `code` (the session lives on).
    fn reset(&mut self, code: ErrorCode) {
        if !self.closed {
            self.closed = true;
            self.mux.reset(self.stream, code, self.clock());
        }
    }
}

impl Drop for H2Exchange {
    fn drop(&mut self) {
        if self.closed {
            return;
        }
        if self.done || self.peer_reset {
            self.closed = true;
            self.mux.finish(self.stream);
        } else {
            self.reset(ErrorCode::CANCEL);
        }
    }
}

/// Whether the server says it did not process our stream, so the request
/// may go again on another connection (RFC 9113 section 8.7): a GOAWAY
/// whose last stream is below ours, or a REFUSED_STREAM reset.
fn unprocessed(e: &Error) -> bool {
    matches!(e, Error::Http2(H2Error::GoAway { .. } | H2Error::StreamReset { code: ErrorCode::REFUSED_STREAM, .. }))
}

/// Sends `head` (and `body`) on `mux` as one stream and reads up to the
/// final response head. `Ok(None)` means the caller should retry on a
/// fresh connection: a `reused` session died before answering, or (when
/// `may_retry`) the server did not process the stream.
pub(crate) fn exchange(
    mux: Arc<Mux>,
    head: &RequestHead,
    scheme: &str,
    body: Option<Box<dyn Read + Send>>,
    start: &mut Start<'_>,
    reused: bool,
    may_retry: bool,
) -> Result<Option<H2Exchange>, Error> {
    let authority = head
        .headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case("host"))
        .map(|h| String::from_utf8_lossy(&h.value).into_owned())
        .unwrap_or_default();
    let fields = request_fields(head, scheme, &authority);
    for (n, v) in &fields {
        start.obs.info(&format!("h2h3 [{}: {}]", String::from_utf8_lossy(n), String::from_utf8_lossy(v)));
    }
    let refs: Vec<(&[u8], &[u8])> = fields.iter().map(|(n, v)| (&n[..], &v[..])).collect();
    let clock = Clock { deadline: start.deadline, started: start.started, received: 0 };
    let stream = match mux.open(&refs, body.is_none(), clock) {
        Ok(id) => id,
        Err(_) if reused => return Ok(None),
        Err(e) => return Err(e),
    };
    start.obs.info(&format!("Using Stream ID: {stream:x}"));
    let raw = request_trace(&fields);
    start.obs.request_head(&raw);
    start.info.size_request += raw.len() as u64;
    let mut ex = H2Exchange {
        mux,
        stream,
        head: None,
        chunk: Vec::new(),
        pos: 0,
        done: false,
        peer_reset: false,
        closed: false,
        head_only: start.hop.method == "HEAD" || start.spec.head_only,
        deadline: start.deadline,
        started: start.started,
        received: 0,
        trace: start.spec.trace.clone(),
    };
    if let Some(t) = &ex.trace {
        t.data(Kind::HeaderOut, &raw);
    }
    if let Some(mut reader) = body {
        let n = ex.send_body(&mut reader)?;
        start.info.size_upload += n;
        start.obs.body_sent(n);
    }
    loop {
        let ev = match ex.next_event() {
            Ok(ev) => ev,
            Err(Error::Recv(_) | Error::Send(_)) if reused => return Ok(None),
            Err(e) if may_retry && unprocessed(&e) => {
                // curl's words: nghttp2 reports both cases as a refusal.
                start.obs.info("REFUSED_STREAM, retrying a fresh connect");
                return Ok(None);
            }
            Err(e) => return Err(e),
        };
        let StreamEvent::Headers(fields, end_stream) = ev else {
            return Err(H2Error::Malformed("DATA before the response head").into());
        };
        let head = match response_head(fields) {
            Ok(h) => h,
            Err(e) => {
                ex.reset(ErrorCode::PROTOCOL_ERROR);
                return Err(e.into());
            }
        };
        let trace = ex.trace.clone();
        ex.mux.with_io(|io| note_response_head(start, io, trace.as_ref(), &head));
        if head.is_interim() {
            if end_stream {
                return Err(H2Error::Malformed("stream ended after an interim response").into());
            }
            continue;
        }
        ex.done = end_stream;
        ex.head = Some(head);
        return Ok(Some(ex));
    }
}

impl H2Exchange {
    /// RFC 9113 section 8.1.1: a body whose length differs from its
    /// Content-Length is malformed; the stream is reset with
    /// PROTOCOL_ERROR and the transfer fails as curl's does (exit 92),
    /// before the last DATA frame's bytes are handed out.
    fn check_length(&mut self, total: u64) -> Result<(), Error> {
        let bodyless = self.head.as_ref().is_some_and(|h| matches!(h.status, 204 | 304));
        match self.expected_len() {
            Some(expected) if expected != total && !bodyless => {
                self.reset(ErrorCode::PROTOCOL_ERROR);
                Err(H2Error::StreamReset { stream: self.stream, code: ErrorCode::PROTOCOL_ERROR }.into())
            }
            _ => Ok(()),
        }
    }
}

impl Exchange for H2Exchange {
    fn head(&self) -> Option<&ResponseHead> {
        self.head.as_ref()
    }

    fn read_body(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        loop {
            if let Some(rest) = self.chunk.get(self.pos..).filter(|r| !r.is_empty()) {
                let n = rest.len().min(out.len());
                if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
                    dst.copy_from_slice(src);
                }
                self.pos += n;
                self.received += n as u64;
                return Ok(n);
            }
            if self.done || out.is_empty() {
                return Ok(0);
            }
            let stream = self.stream;
            let event = self.next_event().map_err(|e| match e {
                // The connection ended inside the body: curl's exit 18.
                Error::Recv(io) if io.kind() == ErrorKind::UnexpectedEof => HttpError::H2StreamNotClosed(stream).into(),
                other => other,
            })?;
            let ends_with = match &event {
                StreamEvent::Data(data, true) => Some(self.received + data.len() as u64),
                StreamEvent::Headers(_, true) => Some(self.received),
                _ => None,
            };
            if let Some(total) = ends_with {
                self.check_length(total)?;
            }
            match event {
                StreamEvent::Data(data, end) => {
                    if let Some(t) = &self.trace {
                        t.data(Kind::DataIn, &data);
                    }
                    self.chunk = data;
                    self.pos = 0;
                    self.done = end;
                }
                // Trailers end the stream; a header block without
                // END_STREAM after the head is malformed.
                StreamEvent::Headers(_, true) => self.done = true,
                StreamEvent::Headers(_, false) => return Err(H2Error::Malformed("header block inside the body").into()),
            }
        }
    }

    fn expected_len(&self) -> Option<u64> {
        if self.head_only {
            return None;
        }
        self.head.as_ref()?.get_str("content-length")?.trim().parse().ok()
    }

    /// The session is not pooled per transfer: it stays in the context's
    /// [`Registry`] (this exchange's stream is finished when it drops).
    fn into_reusable(self: Box<Self>) -> Option<(String, Box<dyn Layer>)> {
        None
    }

    fn stays_open(&self) -> bool {
        self.done && !self.mux.is_closing()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http1::request::Header;

    #[test]
    fn request_fields_follow_curl() {
        let mut head = RequestHead::new("POST", "/x?y");
        head.headers = vec![
            Header::new("Host", "h:1"),
            Header::new("User-Agent", "A"),
            Header::new("Connection", "x"),
            Header::new("TE", "gzip"),
            Header::new("X-Foo", "Bar"),
            Header::new("Expect", "100-continue"),
        ];
        let f = request_fields(&head, "https", "h:1");
        let names: Vec<&[u8]> = f.iter().map(|(n, _)| &n[..]).collect();
        assert_eq!(names, [&b":method"[..], b":path", b":scheme", b":authority", b"user-agent", b"x-foo"]);
        assert_eq!(
            String::from_utf8(request_trace(&f)).unwrap(),
            "POST /x?y HTTP/2\r\nHost: h:1\r\nuser-agent: A\r\nx-foo: Bar\r\n\r\n"
        );
    }

    #[test]
    fn response_heads_are_checked() {
        let f = |v: &[(&str, &str)]| v.iter().map(|(n, v)| (n.as_bytes().to_vec(), v.as_bytes().to_vec())).collect();
        let h = response_head(f(&[(":status", "200"), ("server", "x")])).unwrap();
        assert_eq!(h.raw, b"HTTP/2 200 \r\nserver: x\r\n\r\n");
        for bad in [
            &[("server", "x")][..],
            &[(":status", "20")],
            &[(":status", "200"), (":path", "/")],
            &[("server", "x"), (":status", "200")],
            &[(":status", "200"), ("Server", "x")],
            &[(":status", "200"), ("connection", "close")],
            &[(":status", "101")],
        ] {
            assert!(response_head(f(bad)).is_err(), "{bad:?}");
        }
    }
}
