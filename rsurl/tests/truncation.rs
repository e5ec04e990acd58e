//! Bodies that end short of their Content-Length, over HTTP/1.1 (the
//! scripted server) and HTTP/2 with prior knowledge (a raw frame script
//! below), each diffed with `/usr/bin/curl`: the server closing early is
//! exit 18 with curl's text; an HTTP/2 stream that ends (END_STREAM) with
//! fewer bytes than announced is malformed (RFC 9113 section 8.1.1):
//! exit 92, and the last frame's bytes are not written, as curl does.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::time::Duration;

use crate::https::run;
use crate::server::{Reply, Server};

fn frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut f = (payload.len() as u32).to_be_bytes()[1..].to_vec();
    f.extend([kind, flags]);
    f.extend(stream.to_be_bytes());
    f.extend(payload);
    f
}

/// An h2c server for one connection: SETTINGS, SETTINGS ACK, a `200`
/// head announcing `content-length: 10`, one DATA frame `hello` (with
/// END_STREAM when `end_stream`), then it reads what the client sends
/// until it goes quiet and closes cleanly (FIN, not RST).
fn h2_short_body(end_stream: bool) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let Ok((mut s, _)) = listener.accept() else { return };
        s.set_read_timeout(Some(Duration::from_millis(300))).unwrap();
        let mut buf = [0u8; 65536];
        let _ = s.read(&mut buf);
        // :status 200 (static index 8); content-length (static 28) "10",
        // literal without indexing.
        let block = [0x88, 0x0f, 0x0d, 0x02, b'1', b'0'];
        let mut out = frame(4, 0, 0, &[]);
        out.extend(frame(4, 1, 0, &[]));
        out.extend(frame(1, 4, 1, &block));
        out.extend(frame(0, u8::from(end_stream), 1, b"hello"));
        s.write_all(&out).unwrap();
        while matches!(s.read(&mut buf), Ok(n) if n > 0) {}
        let _ = s.shutdown(std::net::Shutdown::Both);
    });
    port
}

/// The curl error line without the tool name.
fn error_line(stderr: &str) -> String {
    let line = stderr.lines().find(|l| l.contains(": (")).unwrap_or_default();
    line.split_once(": ").map(|(_, rest)| rest.to_owned()).unwrap_or_default()
}

#[test]
fn short_bodies_fail_as_curl_does() {
    let rsurl = PathBuf::from(env!("CARGO_BIN_EXE_rsurl"));
    let curl = crate::cases::curl();
    let h1 = || {
        Server::start(|_| {
            vec![Reply { bytes: b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello".to_vec(), ..Reply::default() }]
        })
    };
    // (server, arguments after the URL's scheme and port, exit, stdout, error text)
    type Start = Box<dyn Fn() -> (u16, Option<Server>)>;
    let cases: Vec<(Start, Vec<&str>, i32, &str, &str)> = vec![
        (
            Box::new(move || {
                let s = h1();
                (s.port, Some(s))
            }),
            vec![],
            18,
            "hello",
            "(18) transfer closed with 5 bytes remaining to read",
        ),
        (
            Box::new(|| (h2_short_body(false), None)),
            vec!["--http2-prior-knowledge"],
            18,
            "hello",
            "(18) HTTP/2 stream 1 was not closed cleanly before end of the underlying stream",
        ),
        (
            Box::new(|| (h2_short_body(true), None)),
            vec!["--http2-prior-knowledge"],
            92,
            "",
            "(92) HTTP/2 stream 1 was not closed cleanly: PROTOCOL_ERROR (err 1)",
        ),
    ];
    for (start, extra, code, stdout, error) in &cases {
        let mut programs = vec![rsurl.clone()];
        programs.extend(curl.clone());
        for program in programs {
            let (port, _server) = start();
            let mut args: Vec<String> = vec!["-sS".into()];
            args.extend(extra.iter().map(|a| (*a).to_owned()));
            args.push(format!("http://127.0.0.1:{port}/"));
            let (got, out, err) = run(&program, &args);
            let what = format!("{} {args:?}: {err}", program.display());
            assert_eq!(got, Some(*code), "{what}");
            assert_eq!(String::from_utf8_lossy(&out), *stdout, "{what}");
            assert_eq!(error_line(&err), *error, "{what}");
        }
    }
}
