//! Entry points for the cargo-fuzz targets in `fuzz/` (not a public API).
//!
//! Entry points: [`fuzz_response`], [`fuzz_chunked`], [`fuzz_url`],
//! [`fuzz_write_out`], [`fuzz_cookie`], [`fuzz_exchange`], [`fuzz_hpack`],
//! [`fuzz_h2_frames`], [`fuzz_hsts`], [`fuzz_alt_svc`]. Each must never panic, loop forever or allocate
//! without bound, whatever the input.

use crate::http1::Limits;
use crate::http1::chunked::{Chunk, ChunkedDecoder};
use crate::http1::response::{Event, ResponseParser};

/// Splits fuzz input into (feed size, data): the first byte picks how many
/// bytes each call receives, so splits are explored too.
fn split(data: &[u8]) -> (usize, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (usize::from(b % 64) + 1, rest),
        None => (1, &[]),
    }
}

/// Feeds a response to the parser in pieces, then EOF; the body must never
/// be larger than the input.
pub fn fuzz_response(data: &[u8]) {
    let (step, data) = split(data);
    let head_only = step % 2 == 0;
    let mut p = ResponseParser::new(Limits::default(), head_only);
    let mut pos = 0;
    let mut body = 0usize;
    loop {
        let end = (pos + step).min(data.len());
        let Ok((n, ev)) = p.input(data.get(pos..end).unwrap_or(&[])) else { return };
        pos += n;
        match ev {
            Event::Body(b) => body += b.len(),
            Event::End => break,
            Event::NeedMore if end == data.len() => {
                let _ = p.eof();
                break;
            }
            _ => {}
        }
    }
    assert!(body <= data.len(), "body larger than input");
}

/// Feeds a chunked body in pieces; decoded data never exceeds the input.
pub fn fuzz_chunked(data: &[u8]) {
    let (step, data) = split(data);
    let mut d = ChunkedDecoder::new(Limits::default());
    let (mut pos, mut out) = (0, 0usize);
    while pos < data.len() {
        let end = (pos + step).min(data.len());
        match d.decode(data.get(pos..end).unwrap_or(&[])) {
            Ok((n, Chunk::Data(b))) => {
                out += b.len();
                pos += n;
            }
            Ok((n, Chunk::NeedMore)) => pos += n,
            Ok((_, Chunk::End)) | Err(_) => break,
        }
    }
    assert!(out <= data.len(), "decoded more than the input");
}

/// Parses a URL and, when it parses, re-parses its printed form (which
/// must give the same URL) and resolves the input against it.
pub fn fuzz_url(data: &[u8]) {
    let Ok(text) = core::str::from_utf8(data) else { return };
    if let Ok(u) = crate::url::Url::parse(text) {
        let printed = u.to_string();
        if let Ok(again) = crate::url::Url::parse(&printed) {
            assert_eq!(again.to_string(), printed, "printing is not stable");
        }
        let _ = u.join(text);
        let _ = u.request_target();
        let _ = u.host_header();
    }
}

/// Renders a `-w` format with fixed variables.
pub fn fuzz_write_out(data: &[u8]) {
    let fmt = String::from_utf8_lossy(data);
    let vars = crate::cli::write_out::Vars::default();
    let _ = crate::cli::write_out::render(&fmt, &vars, &mut |_| {});
}

/// Stores each input line as a `Set-Cookie` value and loads the input as
/// a jar file; a written jar must load back to the same text.
pub fn fuzz_cookie(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let Ok(url) = crate::url::Url::parse("http://www.example.com/dir/page") else { return };
    let mut jar = crate::cookie::Jar::default();
    for line in text.lines() {
        jar.store(&url, line, 1_000);
    }
    jar.load(&text, 1_000);
    let _ = jar.header_for(&url, 1_000);
    let written = jar.to_netscape(1_000);
    let mut again = crate::cookie::Jar::default();
    again.load(&written, 1_000);
    let mut twice = crate::cookie::Jar::default();
    twice.load(&again.to_netscape(1_000), 1_000);
    assert_eq!(twice.to_netscape(1_000), written, "jar text does not round-trip");
}

/// The HSTS store: every line as a `Strict-Transport-Security` value
/// (from a host the input names or a fixed one), the whole input as a
/// file; the written file must read back to itself, and lookups must not
/// panic.
pub fn fuzz_hsts(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut store = crate::hsts::Hsts::default();
    store.load(&text, 1_000);
    for line in text.lines() {
        let host = line.split_whitespace().next().unwrap_or("example.com");
        store.learn(host, line, 1_000);
        store.learn("example.com", line, 1_000);
        let _ = store.upgrades(host, 1_000);
    }
    let written = store.to_file(1_000);
    let mut again = crate::hsts::Hsts::default();
    again.load(&written, 1_000);
    assert_eq!(again.to_file(1_000), written, "HSTS file does not round-trip");
}

/// The alt-svc cache: every line as an `Alt-Svc` value, the whole input
/// as a file; the written file must read back to itself.
pub fn fuzz_alt_svc(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let mut cache = crate::alt_svc::AltSvc::default();
    cache.load(&text, 1_000);
    for line in text.lines() {
        cache.learn(crate::alt_svc::Alpn::H1, "origin.test", 443, line, 1_000);
        cache.learn(crate::alt_svc::Alpn::H2, "origin.test", 443, line, 1_000);
        let _ = cache.lookup("origin.test", 443, 1_000);
    }
    let written = cache.to_file(1_000);
    let mut again = crate::alt_svc::AltSvc::default();
    again.load(&written, 1_000);
    assert_eq!(again.to_file(1_000), written, "alt-svc file does not round-trip");
}

/// A scripted server for [`fuzz_exchange`]: hands out its bytes `step`
/// at a time, then EOF; swallows what is written.
#[derive(Debug)]
struct Script {
    data: Vec<u8>,
    pos: usize,
    step: usize,
}

impl std::io::Read for Script {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len() - self.pos);
        if let (Some(dst), Some(src)) = (buf.get_mut(..n), self.data.get(self.pos..self.pos + n)) {
            dst.copy_from_slice(src);
        }
        self.pos += n;
        Ok(n)
    }
}

impl std::io::Write for Script {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl crate::conn::Layer for Script {
    fn set_io_timeout(&self, _: Option<std::time::Duration>) -> std::io::Result<()> {
        Ok(())
    }

    fn peer_addr(&self) -> Option<std::net::SocketAddr> {
        None
    }

    fn local_addr(&self) -> Option<std::net::SocketAddr> {
        None
    }
}

/// Runs the HTTP driver (the stateful part: buffering, compaction, body
/// slicing) against a scripted server reply, reading the body with a
/// fuzzer-chosen buffer size; the body is never larger than the reply.
pub fn fuzz_exchange(data: &[u8]) {
    let (step, data) = split(data);
    if let Some(body) = drive_exchange(data, step, 1 + step % 17, step % 3 == 0) {
        assert!(body.len() <= data.len(), "body larger than the reply");
    }
}

/// Replays `data` as the server's reply (`step` bytes per read) and
/// reads the body `buf_len` bytes at a time; `None` when the exchange
/// failed before or during the body.
fn drive_exchange(data: &[u8], step: usize, buf_len: usize, head: bool) -> Option<Vec<u8>> {
    use crate::transfer::{Ctx, Hop, Info, Observer, Spec, Start};
    struct Silent;
    impl Observer for Silent {}
    let url = crate::url::Url::parse("http://h.test/").ok()?;
    let spec = Spec::new(url.clone());
    let hop = Hop {
        url,
        method: if head { "HEAD" } else { "GET" }.into(),
        send_body: false,
        send_auth: true,
        authorization: None,
        proxy: None,
    };
    let (mut ctx, mut info) = (Ctx::new(), Info::default());
    let mut start = Start {
        spec: &spec,
        hop: &hop,
        ctx: &mut ctx,
        obs: &mut Silent,
        started: std::time::Instant::now(),
        deadline: None,
        info: &mut info,
    };
    let conn = Box::new(Script { data: data.to_vec(), pos: 0, step });
    let request = b"GET / HTTP/1.1\r\nHost: h.test\r\n\r\n";
    let mut ex = crate::transfer::http::exchange(conn, "k", request, None, &mut start, false).ok()??;
    let mut buf = vec![0u8; buf_len];
    let mut body = Vec::new();
    loop {
        let n = crate::transfer::Exchange::read_body(&mut ex, &mut buf).ok()?;
        if n == 0 {
            return Some(body);
        }
        body.extend_from_slice(buf.get(..n)?);
    }
}

/// Decodes fuzz input as HPACK header blocks on one decoder (the first
/// byte picks the block size, so the dynamic table carries state across
/// blocks); whatever decodes must re-encode and decode to the same list.
pub fn fuzz_hpack(data: &[u8]) {
    use crate::h2::hpack::{Decoder, Encoder};
    let (step, data) = split(data);
    let mut dec = Decoder::new(4096, 16 * 1024);
    for block in data.chunks(step * 4) {
        let Ok(fields) = dec.decode(block) else { return };
        let refs: Vec<(&[u8], &[u8])> = fields.iter().map(|(n, v)| (&n[..], &v[..])).collect();
        let mut again = Vec::new();
        Encoder::new(4096).encode(&refs, &mut again);
        assert_eq!(Decoder::new(4096, 16 * 1024).decode(&again).ok(), Some(fields), "HPACK round trip");
    }
}

/// Feeds fuzz input as server frames to a client connection with one open
/// stream, in pieces; queued output and events must stay bounded by the
/// input (no amplification beyond a constant per frame).
pub fn fuzz_h2_frames(data: &[u8]) {
    use crate::h2::conn::ClientConn;
    let (step, data) = split(data);
    let mut conn = ClientConn::new(16 * 1024);
    let _ = conn.open_stream(&[(b":method", b"GET"), (b":path", b"/")], true);
    let _ = conn.take_output();
    let mut pending: Vec<u8> = Vec::new();
    let mut out = 0usize;
    for piece in data.chunks(step) {
        pending.extend_from_slice(piece);
        match conn.input(&pending) {
            Ok(n) => {
                pending.drain(..n.min(pending.len()));
            }
            Err(_) => break,
        }
        while let Some(ev) = conn.poll_event() {
            if let crate::h2::conn::Event::Data { stream, data, .. } = ev {
                conn.release(stream, data.len());
            }
        }
        out += conn.take_output().len();
    }
    assert!(out <= 64 + 2 * data.len(), "output bounded by input");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_run_clean() {
        fuzz_response(b"\x03HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
        fuzz_response(b"\x00HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\n\r\nabc");
        fuzz_chunked(b"\x01a;x\r\n0123456789\r\n0\r\nT: 1\r\n\r\n");
        fuzz_url(b"http://u:p@[fe80::1%25eth0]:8080/a/../b?c#d");
        fuzz_url(b"http://h/%41%2f");
        fuzz_write_out(b"%{json}%header{x}%{stderr}\\n%{");
        fuzz_cookie(
            b"a=1; Path=/; HttpOnly\nb=2; Domain=example.com; Max-Age=100\n.example.com\tTRUE\t/\tFALSE\t0\tc\t3\n",
        );
    }

    #[test]
    fn driver_reads_bodies_at_every_split() {
        let replies: [(&[u8], &[u8]); 3] = [
            (b"HTTP/1.1 103 E\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3;x\r\nabc\r\n11\r\n0123456789abcdefg\r\n0\r\nT: 1\r\n\r\n", b"abc0123456789abcdefg"),
            (b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123456789trailing", b"0123456789"),
            (b"HTTP/1.0 200 OK\r\n\r\nuntil the end", b"until the end"),
        ];
        for (wire, want) in replies {
            for step in 1..=17 {
                for buf_len in [1, 2, 3, 7, 64] {
                    assert_eq!(
                        drive_exchange(wire, step, buf_len, false).as_deref(),
                        Some(want),
                        "step {step} buf {buf_len}"
                    );
                }
            }
        }
        assert_eq!(drive_exchange(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", 4, 3, false), None);
        assert_eq!(
            drive_exchange(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", 4, 3, true).as_deref(),
            Some(&b""[..])
        );
    }

    /// Inputs the fuzzers found, kept as regression fixtures.
    #[test]
    fn regressions() {
        // A tab inside a Path attribute corrupted the written jar.
        fuzz_cookie(include_bytes!("../tests/data/regress/cookie-tab-in-path-e508340e.bin"));
        // A loaded domain starting with '#' was written as a comment line.
        fuzz_cookie(include_bytes!("../tests/data/regress/cookie-hash-domain-047ad02f.bin"));
    }

    /// A deterministic mutation smoke run over the seeds (the real fuzzing
    /// runs under cargo-fuzz): byte flips, insertions and truncations.
    #[test]
    fn mutated_seeds_never_panic() {
        let seeds: [&[u8]; 5] = [
            b"\x03HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n5;x\r\nhello\r\n0\r\nT: 1\r\n\r\n",
            b"\x01HTTP/1.1 100 Continue\r\n\r\nHTTP/1.0 200 OK\r\nX:\r\n y\r\n\r\nabc",
            b"\x02ff\r\n0123456789\r\n0\r\nT: 1\r\n\r\n",
            b"http://u:p@[fe80::1%25eth0]:8080/a/../b?c=%2f#d",
            b"%{json}%header{x}%{stderr}\\n%{url}%%",
        ];
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for round in 0..4000 {
            let seed = seeds[round % seeds.len()];
            let mut data = seed.to_vec();
            for _ in 0..(next() % 4 + 1) {
                let at = (next() as usize) % (data.len() + 1);
                match next() % 3 {
                    0 if at < data.len() => data[at] = next() as u8,
                    1 => data.insert(at, b"\r\n:%;-0f[]@/.9"[(next() % 14) as usize]),
                    _ => data.truncate(at.max(1)),
                }
            }
            fuzz_response(&data);
            fuzz_chunked(&data);
            fuzz_url(&data);
            fuzz_write_out(&data);
            fuzz_cookie(&data);
            fuzz_exchange(&data);
            fuzz_hpack(&data);
            fuzz_h2_frames(&data);
        }
    }
}
