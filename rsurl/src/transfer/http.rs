//! The HTTP/1.1 handler: the blocking driver around the sans-I/O core.
//!
//! Entry point: [`HttpProtocol`]. It builds the request head in curl's
//! header order, takes a pooled connection or opens one through the
//! connection stack, streams the body (waiting for `100 Continue` when it
//! sent `Expect`), and reads up to the final response head. The
//! [`HttpExchange`] it returns reads the body on demand; protocol
//! decisions stay in the core, this file only moves bytes and time.

use std::io::{ErrorKind, Read, Write};
use std::time::{Duration, Instant};

use super::h2::{Claim, Mux};
use super::{Body, Exchange, Hop, HttpVersion, Protocol, Spec, Start};
use crate::alt_svc::Alpn;
use crate::auth::{self, Scheme, sigv4};
use crate::conn::tls::Peer;
use crate::conn::{self, Layer};
use crate::error::{Error, HttpError, UrlError};
use crate::http1::request::{Header, RequestHead};
use crate::http1::response::{Event, ResponseHead, ResponseParser};
use crate::trace::{Kind, Tracer};
use purecrypto::hash::{Hash as _, Sha256};

/// The default `User-Agent`.
pub(crate) const USER_AGENT: &str = concat!("rsurl/", env!("CARGO_PKG_VERSION"));

/// Bodies larger than this are sent with `Expect: 100-continue` (curl's
/// threshold); `-T` uploads always are.
const EXPECT_THRESHOLD: u64 = 1024 * 1024;

/// How long to wait for `100 Continue` before sending the body anyway.
const EXPECT_WAIT: Duration = Duration::from_secs(1);

const READ_BUF: usize = 64 * 1024;

/// Whether `url`'s scheme runs over TLS (`https`).
fn is_tls(url: &crate::url::Url) -> bool {
    crate::scheme::lookup(url.scheme()).is_some_and(|s| s.tls)
}

/// The HTTP/1.1 protocol.
#[derive(Debug)]
pub(crate) struct HttpProtocol;

/// Builds the request head: built-in headers in curl's order, then the
/// user's `-H` headers (which replace or remove built-ins of that name).
pub(crate) fn build_head(
    spec: &Spec,
    hop: &Hop,
    body_len: Option<Option<u64>>,
    jar_cookie: Option<String>,
    alt_used: Option<&str>,
) -> Result<RequestHead, Error> {
    let url = &hop.url;
    // TLS always tunnels: a proxy only forwards plain HTTP.
    let forward = hop.proxy.as_ref().filter(|p| p.forwards_http() && !is_tls(url));
    let target = match forward {
        // Absolute form for a forwarding proxy (RFC 9112 §3.2.2), without
        // the URL's credentials.
        Some(_) => {
            let mut bare = url.clone();
            bare.clear_credentials();
            bare.to_string()
        }
        None => url.request_target(),
    };
    let mut head = RequestHead::new(&hop.method, &target);
    let mut builtin = vec![Header::new("Host", &url.host_header())];
    if let Some(auth) = forward.and_then(|p| p.authorization()) {
        builtin.push(Header::new("Proxy-Authorization", &auth));
    }
    if hop.send_auth {
        builtin.extend(authorization(spec, hop)?);
    }
    match (&spec.range, spec.resume_from) {
        (Some(r), _) => builtin.push(Header::new("Range", &format!("bytes={r}"))),
        (None, Some(from)) if from > 0 => builtin.push(Header::new("Range", &format!("bytes={from}-"))),
        _ => {}
    }
    match spec.user_agent.as_deref() {
        Some("") => {}
        Some(ua) => builtin.push(Header::new("User-Agent", ua)),
        None => builtin.push(Header::new("User-Agent", USER_AGENT)),
    }
    builtin.push(Header::new("Accept", "*/*"));
    if spec.compressed {
        let codings = crate::decode::accept_encoding();
        if !codings.is_empty() {
            builtin.push(Header::new("Accept-Encoding", &codings));
        }
    }
    if let Some(r) = &spec.referer {
        builtin.push(Header::new("Referer", r));
    }
    // RFC 7838 §5: the alternative this request went to (curl's place).
    if let Some(a) = alt_used {
        builtin.push(Header::new("Alt-Used", a));
    }
    let literal = spec.cookie.clone().filter(|_| hop.send_auth);
    let cookie = match (literal, jar_cookie) {
        (Some(a), Some(b)) => Some(format!("{b}; {a}")),
        (a, b) => a.or(b),
    };
    if let Some(c) = cookie {
        builtin.push(Header::new("Cookie", &c));
    }
    if let Some((unmodified, t)) = spec.time_condition {
        let name = if unmodified { "If-Unmodified-Since" } else { "If-Modified-Since" };
        builtin.push(Header::new(name, &crate::date::format_http(t)));
    }
    if forward.is_some() {
        builtin.push(Header::new("Proxy-Connection", "Keep-Alive"));
    }
    let mut tail = Vec::new();
    if let Some(len) = body_len {
        match len {
            Some(n) => tail.push(Header::new("Content-Length", &n.to_string())),
            None => tail.push(Header::new("Transfer-Encoding", "chunked")),
        }
        if let Some(ct) = spec.body.content_type() {
            tail.push(Header::new("Content-Type", &ct));
        }
        let upload = matches!(spec.body, Body::Upload(_) | Body::UploadStream(_));
        let big = len.is_none_or(|n| n > EXPECT_THRESHOLD);
        if len != Some(0) && (upload || big) {
            tail.push(Header::new("Expect", "100-continue"));
        }
    }
    let overridden = |name: &str| spec.headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    head.headers.extend(builtin.into_iter().filter(|h| !overridden(&h.name)));
    for (name, value) in &spec.headers {
        // A custom Authorization or Cookie header stays with the first
        // origin too (curl's fix for CVE-2022-27776).
        let secret = name.eq_ignore_ascii_case("authorization") || name.eq_ignore_ascii_case("cookie");
        if secret && !hop.send_auth {
            continue;
        }
        if let Some(v) = value {
            head.headers.push(Header::new(name, v));
        }
    }
    // CURLOPT_PROXYHEADER fields go to a forwarding proxy after the
    // user's own (libcurl's order).
    for (name, value) in forward.map_or(&[][..], |p| p.headers.as_slice()) {
        if let Some(v) = value {
            head.headers.push(Header::new(name, v));
        }
    }
    head.headers.extend(tail.into_iter().filter(|h| !overridden(&h.name)));
    Ok(head)
}

/// The headers that authenticate `hop`: `Authorization` (and the date
/// header SigV4 signs), according to the scheme.
fn authorization(spec: &Spec, hop: &Hop) -> Result<Vec<Header>, Error> {
    let Some((user, password)) = super::credentials(spec, &hop.url) else {
        return Ok(match &spec.auth {
            Scheme::Bearer(token) => vec![Header::new("Authorization", &format!("Bearer {token}"))],
            _ => Vec::new(),
        });
    };
    Ok(match &spec.auth {
        Scheme::Basic => vec![Header::new("Authorization", &auth::basic_value(&user, &password))],
        Scheme::Bearer(token) => vec![Header::new("Authorization", &format!("Bearer {token}"))],
        Scheme::Digest | Scheme::Any => hop.authorization.iter().map(|a| Header::new("Authorization", a)).collect(),
        Scheme::AwsSigV4(provider) => {
            let target = hop.url.request_target();
            let (path, query) = match target.split_once('?') {
                Some((p, q)) => (p, Some(q)),
                None => (target.as_str(), None),
            };
            let host = hop.url.host_header();
            let host_name = hop.url.host().map(|h| h.connect_name()).unwrap_or_default();
            let headers: Vec<(&str, &str)> =
                spec.headers.iter().filter_map(|(n, v)| v.as_deref().map(|v| (n.as_str(), v))).collect();
            let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
            let timestamp = crate::date::format_iso_basic(now);
            let request = sigv4::Request {
                method: &hop.method,
                host: &host,
                host_name: &host_name,
                path,
                query,
                headers: &headers,
                payload_sha256: payload_sha256(spec, hop)?,
                access_key: &user,
                secret_key: &password,
                timestamp: &timestamp,
            };
            let (value, date_name, date) = sigv4::sign(provider, &request).ok_or_else(|| {
                Error::BadArgument("--aws-sigv4: no region and service given and none in the host name".into())
            })?;
            vec![Header::new("Authorization", &value), Header::new(&date_name, &date)]
        }
    })
}

/// SHA-256 of the body this hop sends, streamed from its source.
fn payload_sha256(spec: &Spec, hop: &Hop) -> Result<[u8; 32], Error> {
    let mut hasher = Sha256::new();
    // A stream is hashed as empty, as curl does for uploads.
    if hop.send_body && !hop.awaits_challenge(spec) && !spec.body.is_stream() {
        let (mut reader, _) = spec.body.open().map_err(open_err)?;
        let mut chunk = vec![0u8; READ_BUF];
        loop {
            let n = reader.read(&mut chunk).map_err(Error::Read)?;
            if n == 0 {
                break;
            }
            hasher.update(chunk.get(..n).unwrap_or_default());
        }
    }
    Ok(hasher.finalize())
}

/// A started HTTP exchange.
///
/// Invariant: `pos <= end <= buf.len()`; `buf[pos..end]` is received data
/// the parser has not consumed yet.
#[derive(Debug)]
pub(crate) struct HttpExchange {
    conn: Box<dyn Layer>,
    key: String,
    parser: ResponseParser,
    buf: Vec<u8>,
    pos: usize,
    end: usize,
    head: Option<ResponseHead>,
    done: bool,
    deadline: Option<Instant>,
    started: Instant,
    received: u64,
    /// Whether the request body went out in full (else no reuse).
    body_complete: bool,
    /// Whether any response byte arrived (a reused connection that dies
    /// before one is retried on a fresh connection).
    got_any: bool,
    /// The request body goes out chunked (its length is unknown).
    chunked: bool,
    /// `--trace`: raw body bytes both ways once the final head is known.
    trace: Option<Tracer>,
}

/// The error for a body that could not be opened.
fn open_err(e: std::io::Error) -> Error {
    match e.kind() {
        ErrorKind::Unsupported => Error::Rewind,
        _ => Error::Read(e),
    }
}

fn timeout_err(started: Instant, bytes: u64) -> Error {
    Error::Timeout { ms: started.elapsed().as_millis(), bytes }
}

fn recv_err(e: &std::io::Error) -> Error {
    let text = match e.kind() {
        ErrorKind::ConnectionReset => "Connection reset by peer".to_owned(),
        _ => e.to_string(),
    };
    Error::Recv(std::io::Error::new(e.kind(), text))
}

impl HttpExchange {
    /// Reads more bytes into the buffer; `Ok(0)` at EOF. `limit` bounds
    /// the wait below the overall deadline (for `Expect`).
    fn fill(&mut self, limit: Option<Duration>) -> Result<usize, Error> {
        if self.pos == self.end {
            self.pos = 0;
            self.end = 0;
        } else if self.end == self.buf.len() {
            self.buf.copy_within(self.pos..self.end, 0);
            self.end -= self.pos;
            self.pos = 0;
        }
        let mut buf = std::mem::take(&mut self.buf);
        let read = match buf.get_mut(self.end..) {
            Some(space) => self.recv(space, limit),
            None => Ok(0),
        };
        self.buf = buf;
        let n = read?;
        self.end += n;
        Ok(n)
    }

    /// Reads from the connection into `space` (the buffer, or the caller's
    /// output for a body read straight through); `Ok(0)` at EOF.
    fn recv(&mut self, space: &mut [u8], limit: Option<Duration>) -> Result<usize, Error> {
        let left = match self.deadline {
            Some(d) => Some(d.checked_duration_since(Instant::now()).ok_or_else(|| self.timeout())?),
            None => None,
        };
        let wait = match (left, limit) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        self.conn.set_io_timeout(wait).map_err(|e| recv_err(&e))?;
        loop {
            match self.conn.read(space) {
                Ok(n) => {
                    if let (Some(t), Some(_)) = (&self.trace, &self.head) {
                        t.data(Kind::DataIn, space.get(..n).unwrap_or_default());
                    }
                    self.got_any |= n > 0;
                    return Ok(n);
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                    return Err(self.timeout());
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(recv_err(&e)),
            }
        }
    }

    /// A body without chunked framing, with nothing buffered: reads it
    /// straight into `out` (saving a copy of every byte of a download)
    /// and lets the parser count it. `None` when that does not apply.
    fn read_body_direct(&mut self, out: &mut [u8]) -> Option<Result<usize, Error>> {
        let left = self.parser.unframed_body_left()?;
        if self.pos != self.end || left == 0 {
            return None;
        }
        let take = usize::try_from(left).map_or(out.len(), |l| l.min(out.len()));
        let space = out.get_mut(..take)?;
        let n = match self.recv(space, None) {
            Ok(n) => n,
            Err(e) => return Some(Err(e)),
        };
        if n == 0 {
            return Some(match self.parser.eof() {
                Ok(Event::End) => {
                    self.done = true;
                    Ok(0)
                }
                Ok(_) => Err(HttpError::TruncatedChunked.into()),
                Err(e) => Err(e.into()),
            });
        }
        self.parser.body_read(n as u64);
        self.received += n as u64;
        Some(Ok(n))
    }

    fn timeout(&self) -> Error {
        timeout_err(self.started, self.received)
    }

    fn send(&mut self, data: &[u8]) -> Result<(), Error> {
        if let Some(d) = self.deadline {
            let left = d.checked_duration_since(Instant::now()).ok_or_else(|| self.timeout())?;
            self.conn.set_io_timeout(Some(left)).map_err(Error::Send)?;
        }
        match self.conn.write_all(data) {
            Ok(()) => Ok(()),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => Err(self.timeout()),
            Err(e) => Err(Error::Send(e)),
        }
    }

    fn send_body(&mut self, reader: &mut dyn Read) -> Result<u64, Error> {
        let mut chunk = vec![0u8; READ_BUF];
        let mut sent = 0u64;
        loop {
            let n = reader.read(&mut chunk).map_err(Error::Read)?;
            if n == 0 {
                if self.chunked {
                    self.send(b"0\r\n\r\n")?;
                    if let Some(t) = &self.trace {
                        t.data(Kind::DataOut, b"0\r\n\r\n");
                    }
                }
                self.body_complete = true;
                return Ok(sent);
            }
            let data = chunk.get(..n).unwrap_or(&[]);
            let framed;
            let piece = if self.chunked {
                framed = [format!("{n:x}\r\n").as_bytes(), data, b"\r\n"].concat();
                &framed[..]
            } else {
                data
            };
            self.send(piece)?;
            if let Some(t) = &self.trace {
                t.data(Kind::DataOut, piece);
            }
            sent += n as u64;
        }
    }

    /// Feeds buffered bytes to the parser until it reports something.
    fn step(&mut self) -> Result<Option<StepOut>, Error> {
        let data = self.buf.get(self.pos..self.end).unwrap_or(&[]);
        let (n, ev) = self.parser.input(data)?;
        self.pos += n;
        Ok(match ev {
            Event::NeedMore => None,
            Event::Head(h) => Some(StepOut::Head(h)),
            Event::Body(_) | Event::End => Some(StepOut::NotHead),
        })
    }

    /// Reads until the next head; `Ok(None)` when EOF came first.
    fn next_head(&mut self, limit: Option<Duration>) -> Result<Option<ResponseHead>, Error> {
        loop {
            match self.step()? {
                Some(StepOut::Head(h)) => return Ok(Some(*h)),
                Some(_) => return Err(HttpError::BadHeader.into()),
                None => {}
            }
            if self.fill(limit)? == 0 {
                if self.got_any {
                    self.parser.eof()?;
                }
                return Ok(None);
            }
        }
    }
}

enum StepOut {
    Head(Box<ResponseHead>),
    /// Body bytes or the end: never before a final head.
    NotHead,
}

/// Sends the request on `conn` and reads up to the final head.
/// `Ok(None)` means the (reused) connection was dead before any reply.
pub(crate) fn exchange(
    conn: Box<dyn Layer>,
    key: &str,
    raw_head: &[u8],
    body: Option<(Box<dyn Read + Send>, bool, bool)>,
    start: &mut Start<'_>,
    reused: bool,
) -> Result<Option<HttpExchange>, Error> {
    let no_body = start.hop.method == "HEAD" || start.spec.head_only;
    let mut ex = HttpExchange {
        conn,
        key: key.to_owned(),
        parser: ResponseParser::new(start.spec.limits, no_body),
        buf: vec![0u8; READ_BUF],
        pos: 0,
        end: 0,
        head: None,
        done: false,
        deadline: start.deadline,
        started: start.started,
        received: 0,
        body_complete: body.is_none(),
        chunked: body.as_ref().is_some_and(|b| b.2),
        got_any: false,
        trace: start.spec.trace.clone(),
    };
    match ex.send(raw_head) {
        Err(Error::Send(_)) if reused => return Ok(None),
        r => r?,
    }
    start.obs.request_head(raw_head);
    if let Some(t) = &ex.trace {
        t.data(Kind::HeaderOut, raw_head);
    }
    start.info.size_request += raw_head.len() as u64;
    let mut pending = None;
    if let Some((mut reader, expect, _)) = body {
        if expect {
            pending = Some(reader);
        } else {
            match ex.send_body(&mut reader) {
                Ok(n) => {
                    start.info.size_upload += n;
                    start.obs.body_sent(n);
                }
                // A pooled connection the server had closed: start over.
                Err(Error::Send(_)) if reused && !ex.got_any => return Ok(None),
                Err(e) => return Err(e),
            }
        }
    }
    let mut waited = false;
    loop {
        let limit = if pending.is_some() && !waited { Some(EXPECT_WAIT) } else { None };
        let head = match ex.next_head(limit) {
            Ok(Some(h)) => h,
            Ok(None) if reused => return Ok(None),
            Err(Error::Recv(_)) if reused && !ex.got_any => return Ok(None),
            Ok(None) => return Err(HttpError::EmptyReply.into()),
            Err(Error::Timeout { .. }) if limit.is_some() && start.deadline.is_none_or(|d| Instant::now() < d) => {
                // No 100 Continue in time: send the body anyway.
                waited = true;
                if let Some(mut r) = pending.take() {
                    let n = ex.send_body(&mut r)?;
                    start.info.size_upload += n;
                    start.obs.body_sent(n);
                }
                continue;
            }
            Err(e) => return Err(e),
        };
        note_response_head(start, ex.conn.as_mut(), ex.trace.as_ref(), &head);
        if head.is_interim() {
            if head.status == 100 {
                if let Some(mut r) = pending.take() {
                    let n = ex.send_body(&mut r)?;
                    start.info.size_upload += n;
                    start.obs.body_sent(n);
                }
            }
            continue;
        }
        ex.head = Some(head);
        // What arrived with the head is body (curl traces it as data).
        if let Some(t) = &ex.trace {
            t.data(Kind::DataIn, ex.buf.get(ex.pos..ex.end).unwrap_or_default());
        }
        return Ok(Some(ex));
    }
}

impl Protocol for HttpProtocol {
    fn start(&self, mut start: Start<'_>) -> Result<Box<dyn Exchange>, Error> {
        let url = &start.hop.url;
        let host = url.host().ok_or(Error::Url(UrlError::NoHost))?.connect_name();
        let port = url.port_or_default();
        let tls = is_tls(url);
        // HTTPS goes through an HTTP proxy as a CONNECT tunnel.
        let proxy = start.hop.proxy.clone().map(|mut p| {
            p.tunnel |= tls;
            p
        });
        let scheme = if tls { "https" } else { "http" };
        let mut key = match &proxy {
            // A forwarding connection to a proxy is no tunnel (and back).
            Some(p) => format!("{scheme}://{host}:{port} via {}:{}:{}:{}", p.host, p.port, p.tls, p.tunnel),
            None => format!("{scheme}://{host}:{port}"),
        };
        if tls {
            // A connection verified one way is not reused for a request
            // that asks for another (`--next` with other TLS flags).
            key.push_str(&format!(" tls {:?}", start.spec.tls));
        }
        if let Some(u) = &start.spec.routing.unix_socket {
            key.push_str(&format!(" unix {u:?}"));
        }
        if proxy.as_ref().is_some_and(|p| p.tls) {
            key.push_str(&format!(" proxy-tls {:?}", start.spec.routing.proxy_tls));
        }
        // A request that only fetches the server's challenge carries the
        // body's headers but an empty body (curl's Digest behaviour).
        let probing = start.hop.awaits_challenge(start.spec);
        let body_len = match (start.hop.send_body, probing) {
            (false, _) => None,
            (true, true) => Some(Some(0)),
            (true, false) => Some(start.spec.body.size().map_err(open_err)?),
        };
        let now = crate::cookie::now();
        let jar_cookie = start.ctx.jar.as_ref().and_then(|j| j.header_for(url, now));
        let alt = if tls { alternative(&mut start, &host, port, now) } else { None };
        let alt_used = alt.as_ref().map(|(h, p)| format!("{h}:{p}"));
        let head = build_head(start.spec, start.hop, body_len, jar_cookie, alt_used.as_deref())?;
        // Where the connection goes: the origin, or its alternative (the
        // origin's name still serves SNI, the certificate check and Host).
        let (to_host, to_port) = alt.unwrap_or_else(|| (host.clone(), port));
        if let Some(a) = &alt_used {
            key.push_str(&format!(" alt {a}"));
        }
        let mut raw = Vec::new();
        head.encode(&mut raw).map_err(Error::Http)?;
        let expect = head.has("expect");
        // HTTP/2: offered through ALPN over TLS, or spoken from the first
        // byte with prior knowledge; never through a forwarding proxy.
        let forwarded = proxy.as_ref().is_some_and(conn::proxy::Proxy::forwards_http);
        let h2_allowed = !forwarded
            && match start.spec.http_version {
                HttpVersion::Http11 => false,
                HttpVersion::Default => tls && start.spec.tls.alpn_h2,
                HttpVersion::Http2PriorKnowledge => true,
            };
        let prior_knowledge = !tls && !forwarded && start.spec.http_version == HttpVersion::Http2PriorKnowledge;
        let h2_key = format!("{key} h2");
        let registry = start.ctx.h2.clone();
        for attempt in 0..2 {
            let mut ticket = None;
            if h2_allowed {
                match registry.claim(&h2_key, start.deadline) {
                    Claim::Reuse(mux) if attempt == 0 => {
                        start.obs.info(&format!("Re-using existing connection #0 with host {host}"));
                        mux.with_io(|io| set_conn_info(&mut start, io));
                        let body = h2_body(&start, probing)?;
                        if let Some(ex) = super::h2::exchange(mux, &head, scheme, body, &mut start, true, true)? {
                            remember(&mut start, ex.head(), now, Alpn::H2);
                            return Ok(Box::new(ex));
                        }
                        continue;
                    }
                    Claim::Reuse(_) | Claim::Own => {}
                    Claim::Connect(t) => ticket = Some(t),
                }
            }
            let pooled = if attempt == 0 { start.ctx.pool.take(&key) } else { None };
            let reused = pooled.is_some();
            let conn = match pooled {
                Some(c) => {
                    start.obs.info(&format!("Re-using existing connection #0 with host {host}"));
                    c
                }
                None => {
                    let obs = &mut *start.obs;
                    let (mut c, facts) = conn::connect(
                        &start.spec.routing,
                        proxy.as_ref(),
                        &to_host,
                        to_port,
                        start.deadline,
                        start.started,
                        &mut |line| obs.info(line),
                    )
                    .inspect_err(|e| {
                        if let Error::ProxyConnect(code) = e {
                            start.info.http_connect = *code;
                        }
                    })?;
                    if facts.http_connect != 0 {
                        start.info.http_connect = facts.http_connect;
                    }
                    if tls {
                        if let Some(d) = start.deadline {
                            let left = d.checked_duration_since(Instant::now()).unwrap_or_default();
                            c.set_io_timeout(Some(left.max(Duration::from_millis(1)))).map_err(Error::Send)?;
                        }
                        let (layer, _) =
                            conn::tls::handshake(c, &host, to_port, &start.spec.tls, Peer::Server, &mut |line| {
                                obs.info(line);
                            })
                            .map_err(|e| conn::handshake_timeout(e, start.started))?;
                        c = layer;
                        start.info.time_appconnect = start.started.elapsed();
                    }
                    start.ctx.connects += 1;
                    start.info.num_connects += 1;
                    start.info.time_namelookup = facts.resolved.duration_since(start.started);
                    start.info.time_connect = facts.connected.duration_since(start.started);
                    c
                }
            };
            set_conn_info(&mut start, conn.as_ref());
            let alpn_h2 = tls && h2_allowed && conn.alpn().as_deref() == Some(b"h2");
            if !reused && (alpn_h2 || prior_knowledge) {
                if alpn_h2 {
                    // curl says so only when ALPN chose h2.
                    start.obs.info("using HTTP/2");
                }
                let session = super::h2::H2Session::new(conn, start.spec.limits.max_header_bytes);
                let mux = Mux::new(session, registry.is_shared());
                if let Some(t) = ticket.take() {
                    t.publish(mux.clone());
                }
                let body = h2_body(&start, probing)?;
                // A stream the server refuses goes once more, on a new
                // connection, as curl's does.
                let may_retry = attempt == 0;
                match super::h2::exchange(mux, &head, scheme, body, &mut start, false, may_retry)? {
                    Some(ex) => {
                        remember(&mut start, ex.head(), now, Alpn::H2);
                        return Ok(Box::new(ex));
                    }
                    None if may_retry => continue,
                    None => return Err(HttpError::EmptyReply.into()),
                }
            }
            // Not HTTP/2 after all: transfers waiting for this connection
            // make their own.
            drop(ticket);
            let body = if start.hop.send_body && !probing {
                let (reader, len) = start.spec.body.open().map_err(open_err)?;
                Some((reader, expect, len.is_none()))
            } else {
                None
            };
            if let Some(ex) = exchange(conn, &key, &raw, body, &mut start, reused)? {
                remember(&mut start, ex.head.as_ref(), now, Alpn::H1);
                return Ok(Box::new(ex));
            }
        }
        Err(HttpError::EmptyReply.into())
    }
}

/// The `-w` facts of the connection a request goes out on.
/// Accounts for a received response head (HTTP/1 or h2): header bytes,
/// the time to the first response byte, the observers and `--trace`.
/// TLS messages that arrived before it (NewSessionTicket) are traced
/// first, where curl prints them.
pub(super) fn note_response_head(
    start: &mut Start<'_>,
    conn: &mut dyn Layer,
    trace: Option<&Tracer>,
    head: &ResponseHead,
) {
    for line in conn.take_trace_lines() {
        start.obs.info(&line);
    }
    start.info.size_header += head.raw.len() as u64;
    if start.info.time_starttransfer.is_zero() {
        start.info.time_starttransfer = start.started.elapsed();
    }
    start.obs.response_head(head);
    if let Some(t) = trace {
        t.head_in(&head.raw);
    }
}

fn set_conn_info(start: &mut Start<'_>, conn: &dyn Layer) {
    start.info.ssl_verify_result = conn.ssl_verify_result().unwrap_or(0);
    start.info.proxy_ssl_verify_result = conn.proxy_ssl_verify_result().unwrap_or(0);
    start.info.certs = conn.peer_certificates();
    start.info.remote = conn.peer_addr();
    start.info.unix_socket =
        start.spec.routing.unix_socket.as_ref().map(|t| (t.display(), start.hop.url.port_or_default()));
    start.info.local = conn.local_addr();
    start.info.time_pretransfer = start.started.elapsed();
}

/// The body an HTTP/2 request streams (none for a challenge probe).
fn h2_body(start: &Start<'_>, probing: bool) -> Result<Option<Box<dyn Read + Send>>, Error> {
    if start.hop.send_body && !probing {
        return Ok(Some(start.spec.body.open().map_err(open_err)?.0));
    }
    Ok(None)
}

/// The values of every `name` field of `head`, in order.
fn fields<'h>(head: &'h ResponseHead, name: &'static str) -> impl Iterator<Item = String> + 'h {
    head.headers
        .iter()
        .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| String::from_utf8_lossy(v).into_owned())
}

/// Keeps what a response teaches for later requests: `Set-Cookie` in the
/// jar; over HTTPS only, `Strict-Transport-Security` (not from an IP
/// literal, RFC 6797 §8.1) and `Alt-Svc` (for the origin, learnt over
/// `alpn`), each field applied in arrival order as curl does.
fn remember(start: &mut Start<'_>, head: Option<&ResponseHead>, now: u64, alpn: Alpn) {
    let Some(head) = head else { return };
    let url = &start.hop.url;
    if let Some(jar) = start.ctx.jar.as_mut() {
        for v in fields(head, "set-cookie") {
            jar.store(url, &v, now);
        }
    }
    if !is_tls(url) {
        return;
    }
    if let (Some(store), Some(crate::url::Host::Name(name))) = (&start.ctx.hsts, url.host()) {
        let mut store = super::lock(store);
        for v in fields(head, "strict-transport-security") {
            store.learn(name, &v, now);
        }
    }
    if let (Some(cache), Some(host)) = (&start.ctx.alt_svc, url.host()) {
        let mut cache = super::lock(cache);
        for v in fields(head, "alt-svc") {
            cache.learn(alpn, &host.connect_name(), url.port_or_default(), &v, now);
        }
    }
}

/// The alternative service to connect to for the HTTPS origin
/// `host:port`, if the alt-svc cache has one and no `--connect-to` rule
/// already decides where this origin goes (curl's precedence); says so
/// with curl's `-v` line.
fn alternative(start: &mut Start<'_>, host: &str, port: u16, now: u64) -> Option<(String, u16)> {
    let cache = start.ctx.alt_svc.as_ref()?;
    if conn::connect_to_rule(&start.spec.routing, host, port).is_some() {
        return None;
    }
    let (src, dst) = super::lock(cache).lookup(host, port, now)?;
    start.obs.info(&format!(
        "Alt-svc connecting from [{}]{host}:{port} to [{}]{}:{}",
        src.as_str(),
        dst.alpn.as_str(),
        dst.host,
        dst.port
    ));
    Some((dst.host, dst.port))
}

impl Exchange for HttpExchange {
    fn head(&self) -> Option<&ResponseHead> {
        self.head.as_ref()
    }

    fn read_body(&mut self, out: &mut [u8]) -> Result<usize, Error> {
        loop {
            if self.done || out.is_empty() {
                return Ok(0);
            }
            if let Some(r) = self.read_body_direct(out) {
                return r;
            }
            // Feed at most `out.len()` bytes so any body event fits `out`.
            let end = self.end.min(self.pos + out.len());
            let data = self.buf.get(self.pos..end).unwrap_or(&[]);
            let (n, ev) = self.parser.input(data)?;
            let body = match ev {
                Event::Body(b) => Some(b.len()),
                Event::End => {
                    self.done = true;
                    None
                }
                _ => None,
            };
            let from = self.pos + n - body.unwrap_or(0);
            self.pos += n;
            if let Some(len) = body {
                let src = self.buf.get(from..from + len).unwrap_or(&[]);
                if let Some(dst) = out.get_mut(..len) {
                    dst.copy_from_slice(src);
                }
                self.received += len as u64;
                return Ok(len);
            }
            if self.done {
                return Ok(0);
            }
            if end < self.end {
                // Only framing was consumed from a truncated slice: go on
                // with the buffered bytes before reading more.
                continue;
            }
            if self.fill(None)? == 0 {
                match self.parser.eof()? {
                    Event::End => self.done = true,
                    _ => return Err(HttpError::TruncatedChunked.into()),
                }
            }
        }
    }

    fn expected_len(&self) -> Option<u64> {
        self.parser.content_length()
    }

    fn into_reusable(self: Box<Self>) -> Option<(String, Box<dyn Layer>)> {
        let clean = self.done && self.pos == self.end && self.parser.keep_alive() && self.body_complete;
        clean.then_some((self.key, self.conn))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::url::Url;

    fn head_text(spec: &Spec) -> String {
        let hop = super::super::redirect::first_hop(spec);
        let len = if hop.send_body { Some(spec.body.open().unwrap().1) } else { None };
        let mut raw = Vec::new();
        build_head(spec, &hop, len, None, None).unwrap().encode(&mut raw).unwrap();
        String::from_utf8(raw).unwrap()
    }

    #[test]
    fn curl_header_order_and_overrides() {
        let mut s = Spec::new(Url::parse("http://u:p%40@h:8080/x?y").unwrap());
        s.referer = Some("ref".into());
        s.body = Body::Bytes(b"x".to_vec());
        s.headers = vec![("X-C".into(), Some("1".into())), ("Accept".into(), None)];
        assert_eq!(
            head_text(&s),
            format!(
                "POST /x?y HTTP/1.1\r\nHost: h:8080\r\nAuthorization: Basic dTpwQA==\r\nUser-Agent: {USER_AGENT}\r\n\
Referer: ref\r\nX-C: 1\r\nContent-Length: 1\r\nContent-Type: application/x-www-form-urlencoded\r\n\r\n"
            )
        );
        s.headers = vec![("Host".into(), Some("other".into())), ("Content-Type".into(), Some("text/x".into()))];
        s.user_agent = Some(String::new());
        s.credentials = Some(("a".into(), "b".into()));
        let t = head_text(&s);
        assert!(t.starts_with("POST /x?y HTTP/1.1\r\nAuthorization: Basic YTpi\r\nAccept: */*\r\n"), "{t}");
        assert!(t.ends_with("Host: other\r\nContent-Type: text/x\r\nContent-Length: 1\r\n\r\n"), "{t}");
    }

    #[test]
    fn injection_through_headers_is_refused() {
        let mut s = Spec::new(Url::parse("http://h/").unwrap());
        s.headers = vec![("X".into(), Some("a\r\nY: b".into()))];
        let hop = super::super::redirect::first_hop(&s);
        let head = build_head(&s, &hop, None, None, None).unwrap();
        assert_eq!(head.encode(&mut Vec::new()), Err(HttpError::Injection("header")));
    }
}
