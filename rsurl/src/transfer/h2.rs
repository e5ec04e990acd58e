//! The HTTP/2 handler: the blocking driver around [`crate::h2::conn`].
//!
//! Entry points: [`H2Session`] (a connection and its protocol state),
//! [`exchange`] (one request on a session, up to the final response head)
//! and [`H2Exchange`] (the body, read on demand). The HTTP handler picks
//! this path when ALPN chose `h2` or `--http2-prior-knowledge` asks for
//! cleartext h2; a finished session is parked in the pool as a [`Parked`]
//! layer, so the next request to the origin reuses it (curl's "Re-using
//! existing connection"). Protocol decisions stay in the core; this file
//! moves bytes and time, and turns the request head into HTTP/2 fields.

use std::io::{ErrorKind, Read, Write};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

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

    /// Reads once and feeds the core; `Ok(false)` at EOF.
    fn fill(&mut self, deadline: Option<Instant>, started: Instant, received: u64) -> Result<bool, Error> {
        self.flush(deadline, started, received)?;
        self.set_timeout(deadline, started, received)?;
        // Read straight behind the unconsumed bytes (no per-read buffer).
        let old = self.inbuf.len();
        self.inbuf.resize(old + READ_CHUNK, 0);
        let space = self.inbuf.get_mut(old..).unwrap_or_default();
        let read = loop {
            match self.io.read(space) {
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        self.inbuf.truncate(old + *read.as_ref().unwrap_or(&0));
        let n = match read {
            Ok(n) => n,
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return Err(timeout(started, received));
            }
            Err(e) => return Err(Error::Recv(e)),
        };
        if n == 0 {
            return Ok(false);
        }
        let used = self.core.input(&self.inbuf);
        // Our GOAWAY (if the peer erred) goes out before we give up.
        let _ = self.flush(deadline, started, received);
        let used = used?;
        self.inbuf.drain(..used);
        Ok(true)
    }
}

fn timeout(started: Instant, bytes: u64) -> Error {
    Error::Timeout { ms: started.elapsed().as_millis(), bytes }
}

/// An idle HTTP/2 session parked in the connection pool. Its byte-stream
/// methods reach the connection below; [`Layer::take_h2`] hands the
/// session back to the HTTP handler.
#[derive(Debug)]
pub(crate) struct Parked(Option<H2Session>);

impl Read for Parked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.0.as_mut().map_or(Ok(0), |s| s.io.read(buf))
    }
}

impl Write for Parked {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.as_mut().map_or(Ok(0), |s| s.io.write(buf))
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.as_mut().map_or(Ok(()), |s| s.io.flush())
    }
}

impl Layer for Parked {
    fn set_io_timeout(&self, t: Option<Duration>) -> std::io::Result<()> {
        self.0.as_ref().map_or(Ok(()), |s| s.io.set_io_timeout(t))
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        self.0.as_ref().and_then(|s| s.io.peer_addr())
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.0.as_ref().and_then(|s| s.io.local_addr())
    }

    fn ssl_verify_result(&self) -> Option<i64> {
        self.0.as_ref().and_then(|s| s.io.ssl_verify_result())
    }

    fn proxy_ssl_verify_result(&self) -> Option<i64> {
        self.0.as_ref().and_then(|s| s.io.proxy_ssl_verify_result())
    }

    fn take_h2(&mut self) -> Option<H2Session> {
        self.0.take()
    }
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

/// A started HTTP/2 exchange.
#[derive(Debug)]
pub(crate) struct H2Exchange {
    session: H2Session,
    stream: u32,
    key: String,
    head: Option<ResponseHead>,
    /// Received body bytes not yet read: `chunk[pos..]`.
    chunk: Vec<u8>,
    pos: usize,
    done: bool,
    head_only: bool,
    deadline: Option<Instant>,
    started: Instant,
    received: u64,
    trace: Option<Tracer>,
}

impl H2Exchange {
    /// The next event of our stream, reading as needed.
    fn next_event(&mut self) -> Result<StreamEvent, Error> {
        loop {
            while let Some(ev) = self.session.core.poll_event() {
                match ev {
                    Event::Headers { stream, fields, end_stream } if stream == self.stream => {
                        return Ok(StreamEvent::Headers(fields, end_stream));
                    }
                    Event::Data { stream, data, end_stream } if stream == self.stream => {
                        self.session.core.release(stream, data.len());
                        return Ok(StreamEvent::Data(data, end_stream));
                    }
                    Event::Reset { stream, code } if stream == self.stream => {
                        return Err(H2Error::StreamReset { stream, code }.into());
                    }
                    Event::GoAway { last_stream, code } if last_stream < self.stream => {
                        return Err(H2Error::GoAway { stream: self.stream, code }.into());
                    }
                    _ => {}
                }
            }
            if !self.session.fill(self.deadline, self.started, self.received)? {
                return Err(Error::Recv(std::io::Error::new(
                    ErrorKind::UnexpectedEof,
                    "Connection closed before the HTTP/2 stream ended",
                )));
            }
        }
    }

    fn send_body(&mut self, reader: &mut dyn Read) -> Result<u64, Error> {
        let mut buf = vec![0u8; 16 * 1024];
        let mut sent = 0u64;
        loop {
            let n = reader.read(&mut buf).map_err(Error::Read)?;
            let data = buf.get(..n).unwrap_or_default();
            if n == 0 {
                self.session.core.send_data(self.stream, &[], true);
                self.session.flush(self.deadline, self.started, self.received)?;
                return Ok(sent);
            }
            let mut off = 0;
            while off < n {
                let k = self.session.core.send_data(self.stream, data.get(off..).unwrap_or_default(), false);
                off += k;
                if k == 0 && !self.session.fill(self.deadline, self.started, self.received)? {
                    return Err(Error::Send(std::io::Error::new(ErrorKind::UnexpectedEof, "connection closed")));
                }
                if let Some(e) = self.early_end() {
                    return Err(e);
                }
            }
            if let Some(t) = &self.trace {
                t.data(Kind::DataOut, data);
            }
            sent += n as u64;
        }
    }

    /// While uploading: whether the stream was reset (the server refused
    /// the body).
    fn early_end(&mut self) -> Option<Error> {
        let stream = self.stream;
        let reset = |ev: &Event| matches!(ev, Event::Reset { stream: s, .. } if *s == stream);
        // Peek without losing events: take them all and put them back.
        let mut kept = Vec::new();
        let mut found = None;
        while let Some(ev) = self.session.core.poll_event() {
            if let (true, Event::Reset { code, .. }) = (reset(&ev), &ev) {
                found = Some(H2Error::StreamReset { stream, code: *code }.into());
            }
            kept.push(ev);
        }
        for ev in kept {
            self.session.core.requeue(ev);
        }
        found
    }
}

/// Sends `head` (and `body`) on `session` as one stream and reads up to
/// the final response head. `Ok(None)` means a reused session died
/// before answering; the caller retries on a fresh connection.
pub(crate) fn exchange(
    mut session: H2Session,
    key: &str,
    head: &RequestHead,
    scheme: &str,
    body: Option<Box<dyn Read + Send>>,
    start: &mut Start<'_>,
    reused: bool,
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
    let stream = match session.core.open_stream(&refs, body.is_none()) {
        Ok(id) => id,
        Err(_) if reused => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    start.obs.info(&format!("Using Stream ID: {stream:x}"));
    let raw = request_trace(&fields);
    start.obs.request_head(&raw);
    start.info.size_request += raw.len() as u64;
    let mut ex = H2Exchange {
        session,
        stream,
        key: key.to_owned(),
        head: None,
        chunk: Vec::new(),
        pos: 0,
        done: false,
        head_only: start.hop.method == "HEAD" || start.spec.head_only,
        deadline: start.deadline,
        started: start.started,
        received: 0,
        trace: start.spec.trace.clone(),
    };
    if let Some(t) = &ex.trace {
        t.data(Kind::HeaderOut, &raw);
    }
    match ex.session.flush(ex.deadline, ex.started, 0) {
        Err(Error::Send(_)) if reused => return Ok(None),
        r => r?,
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
            Err(e) => return Err(e),
        };
        let StreamEvent::Headers(fields, end_stream) = ev else {
            return Err(H2Error::Malformed("DATA before the response head").into());
        };
        let head = match response_head(fields) {
            Ok(h) => h,
            Err(e) => {
                ex.session.core.reset(stream, ErrorCode::PROTOCOL_ERROR);
                let _ = ex.session.flush(ex.deadline, ex.started, 0);
                return Err(e.into());
            }
        };
        note_response_head(start, ex.session.io.as_mut(), ex.trace.as_ref(), &head);
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
                self.session.core.reset(self.stream, ErrorCode::PROTOCOL_ERROR);
                let _ = self.session.flush(self.deadline, self.started, self.received);
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

    fn into_reusable(mut self: Box<Self>) -> Option<(String, Box<dyn Layer>)> {
        if !self.done {
            return None;
        }
        self.session.core.forget(self.stream);
        if !self.session.core.can_open() {
            return None;
        }
        let key = self.key.clone();
        let session = self.session;
        Some((key, Box::new(Parked(Some(session)))))
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
