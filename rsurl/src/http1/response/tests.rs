//! Response parser tests: framing, no-body rules, limits, every split.

use super::*;

#[derive(Debug, PartialEq, Eq)]
struct Parsed {
    heads: Vec<u16>,
    body: Vec<u8>,
    rest: usize,
    keep_alive: bool,
}

/// Feeds `wire` in pieces of `step` bytes, then EOF if it is not done.
fn run_with(wire: &[u8], step: usize, head_req: bool, limits: Limits) -> Result<Parsed, HttpError> {
    let mut p = ResponseParser::new(limits, head_req);
    let mut out = Parsed { heads: vec![], body: vec![], rest: 0, keep_alive: false };
    let mut pos = 0;
    loop {
        let end = (pos + step).min(wire.len());
        let (n, ev) = p.input(&wire[pos..end])?;
        pos += n;
        match ev {
            Event::Head(h) => out.heads.push(h.status),
            Event::Body(b) => out.body.extend_from_slice(b),
            Event::End => break,
            Event::NeedMore if end == wire.len() => {
                p.eof()?;
                break;
            }
            Event::NeedMore => {}
        }
    }
    out.rest = wire.len() - pos;
    out.keep_alive = p.keep_alive();
    Ok(out)
}

fn run(wire: &[u8], step: usize) -> Result<Parsed, HttpError> {
    run_with(wire, step, false, Limits::default())
}

#[test]
fn content_length_at_every_split() {
    let wire = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhelloHTTP/1.1";
    for step in 1..=17 {
        let p = run(wire, step).unwrap();
        assert_eq!((p.heads, p.body, p.rest, p.keep_alive), (vec![200], b"hello".to_vec(), 8, true), "step {step}");
    }
}

#[test]
fn chunked_with_trailers_and_interim_heads() {
    let wire = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early\r\nLink: x\r\n\r\n\
HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 99\r\n\r\n3\r\nabc\r\n0\r\nT: 1\r\n\r\n";
    for step in 1..=17 {
        let p = run(wire, step).unwrap();
        assert_eq!(p.heads, vec![100, 103, 200]);
        assert_eq!(p.body, b"abc");
        assert!(p.keep_alive);
    }
}

#[test]
fn read_to_close_and_http10() {
    let p = run(b"HTTP/1.0 200 OK\r\n\r\nabc", 2).unwrap();
    assert_eq!((p.body.as_slice(), p.keep_alive), (&b"abc"[..], false));
    let p = run(b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1\r\n\r\nx", 3).unwrap();
    assert!(!p.keep_alive);
}

#[test]
fn no_body_rules() {
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n";
    let p = run_with(head, 4, true, Limits::default()).unwrap();
    assert_eq!((p.body.len(), p.rest, p.keep_alive), (0, 0, true));
    for status in ["204 No Content", "304 Not Modified"] {
        let wire = format!("HTTP/1.1 {status}\r\nContent-Length: 5\r\n\r\n");
        let p = run(wire.as_bytes(), 5).unwrap();
        assert!(p.body.is_empty() && p.keep_alive, "{status}");
    }
}

#[test]
fn malformed_heads_are_typed() {
    assert_eq!(run(b"garbage\r\n\r\n", 3), Err(HttpError::NotHttp));
    assert_eq!(run(b"HTTP/2 200\r\n\r\n", 3), Err(HttpError::BadVersion));
    assert_eq!(run(b"HTTP/1.1 abc OK\r\n\r\n", 3), Err(HttpError::BadStatus));
    assert_eq!(run(b"HTTP/1.1 20 OK\r\n\r\n", 3), Err(HttpError::BadStatus));
    assert_eq!(run(b"HTTP/1.1 099 X\r\n\r\n", 3), Err(HttpError::BadStatus));
    assert_eq!(run(b"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", 3), Err(HttpError::BadHeader));
    assert_eq!(run(b"HTTP/1.1 200 OK\r\nBad Name: x\r\n\r\n", 3), Err(HttpError::BadHeader));
    assert_eq!(run(b"HTTP/1.1 200 OK\r\n folded\r\n\r\n", 3), Err(HttpError::BadHeader));
    assert_eq!(run(b"", 3), Err(HttpError::EmptyReply));
}

#[test]
fn content_length_rules() {
    let bad = |v: &str| run(format!("HTTP/1.1 200 OK\r\nContent-Length: {v}\r\n\r\n").as_bytes(), 7);
    assert_eq!(bad("-1"), Err(HttpError::BadContentLength));
    assert_eq!(bad("99999999999999999999999"), Err(HttpError::BadContentLength));
    assert_eq!(bad("1x"), Err(HttpError::BadContentLength));
    assert_eq!(bad("5, 6"), Err(HttpError::ConflictingContentLength));
    assert_eq!(
        run(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello", 4),
        Err(HttpError::ConflictingContentLength)
    );
    assert_eq!(run(b"HTTP/1.1 200 OK\r\nContent-Length: 2, 2\r\n\r\nab", 4).unwrap().body, b"ab");
    assert_eq!(run(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", 4), Err(HttpError::Truncated(5)));
}

#[test]
fn folded_headers_are_joined() {
    let mut p = ResponseParser::new(Limits::default(), false);
    let (_, ev) = p.input(b"HTTP/1.1 200 OK\r\nX: a\r\n\tb\r\nContent-Length: 0\r\n\r\n").unwrap();
    let Event::Head(h) = ev else { panic!("no head") };
    assert_eq!(h.get("x"), Some(&b"a b"[..]));
    assert_eq!(h.reason, "OK");
}

#[test]
fn floods_hit_limits() {
    let mut wire = b"HTTP/1.1 200 OK\r\n".to_vec();
    for _ in 0..1001 {
        wire.extend_from_slice(b"X: a\r\n");
    }
    wire.extend_from_slice(b"\r\n");
    assert_eq!(run(&wire, 4096), Err(HttpError::TooManyHeaders(1000)));

    let long = [b"HTTP/1.1 200 OK\r\nX: ".as_slice(), &[b'a'; 200_000], b"\r\n\r\n"].concat();
    assert_eq!(run(&long, 4096), Err(HttpError::LineTooLong(100 * 1024)));

    let interim = b"HTTP/1.1 100 Continue\r\n\r\n".repeat(30);
    let small = Limits { max_interim: 20, ..Limits::default() };
    assert_eq!(run_with(&interim, 64, false, small), Err(HttpError::TooManyInterim(20)));

    let tiny = Limits { max_header_bytes: 100, ..Limits::default() };
    assert_eq!(run_with(&interim, 64, false, tiny), Err(HttpError::HeadersTooLarge(100)));
}

#[test]
fn bytes_read_past_the_parser_are_counted_to_the_end() {
    let mut p = ResponseParser::new(Limits::default(), false);
    assert_eq!(p.unframed_body_left(), None);
    let head = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n";
    let (n, ev) = p.input(head).unwrap();
    assert!(matches!(ev, Event::Head(_)) && n == head.len());
    assert_eq!(p.unframed_body_left(), Some(10));
    p.body_read(6);
    assert_eq!(p.unframed_body_left(), Some(4));
    assert_eq!(p.input(b"abcd").unwrap(), (4, Event::Body(b"abcd")));
    assert_eq!(p.input(b"").unwrap(), (0, Event::End));
    assert!(p.keep_alive());
    assert_eq!(p.unframed_body_left(), None);

    let mut close = ResponseParser::new(Limits::default(), false);
    close.input(b"HTTP/1.0 200 OK\r\n\r\n").unwrap();
    assert_eq!(close.unframed_body_left(), Some(u64::MAX));
    close.body_read(1 << 40);
    assert_eq!(close.eof().unwrap(), Event::End);

    let mut chunked = ResponseParser::new(Limits::default(), false);
    chunked.input(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n").unwrap();
    assert_eq!(chunked.unframed_body_left(), None, "chunked bodies are never read past the parser");
}
