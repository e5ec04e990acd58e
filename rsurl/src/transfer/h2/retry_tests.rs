//! A request the server did not process goes again on a fresh
//! connection, as curl's does (RFC 9113 section 8.7): a stream above a
//! GOAWAY's last stream on a reused connection, and a REFUSED_STREAM
//! reset on a new one; a second refusal is the transfer's error. The
//! whole CLI runs in process against scripted h2c servers.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::thread;
use std::time::Duration;

use crate::h2::frame::{self, Frame, flag, kind};
use crate::h2::hpack::{Decoder, Encoder};

/// The server end of one h2c connection, reading the client's frames in
/// order with one HPACK decoder (the client's encoder indexes across
/// requests).
struct Peer {
    sock: TcpStream,
    buf: Vec<u8>,
    used: usize,
    decoder: Decoder,
    encoder: Encoder,
}

impl Peer {
    fn accept(listener: &TcpListener) -> Self {
        let (sock, _) = listener.accept().unwrap();
        sock.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut peer = Self {
            sock,
            buf: Vec::new(),
            used: 0,
            decoder: Decoder::new(4096, 64 * 1024),
            encoder: Encoder::new(4096),
        };
        peer.send(kind::SETTINGS, 0, 0, &[]);
        peer
    }

    fn send(&mut self, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
        let mut out = Vec::new();
        frame::write_frame(&mut out, kind, flags, stream, payload);
        self.sock.write_all(&out).unwrap();
    }

    /// The next request's stream and `:path`.
    fn request(&mut self) -> (u32, String) {
        loop {
            if self.used == 0 && self.buf.len() >= frame::PREFACE.len() {
                assert!(self.buf.starts_with(frame::PREFACE));
                self.used = frame::PREFACE.len();
            }
            if self.used > 0
                && let Some((f, len)) = frame::parse(&self.buf[self.used..], frame::DEFAULT_MAX_FRAME_SIZE).unwrap()
            {
                self.used += len;
                if let Frame::Headers { stream, block, .. } = f {
                    let fields = self.decoder.decode(block).unwrap();
                    let path = fields.iter().find(|(n, _)| n == b":path").unwrap();
                    return (stream, String::from_utf8(path.1.clone()).unwrap());
                }
                continue;
            }
            let mut chunk = [0u8; 4096];
            let n = self.sock.read(&mut chunk).unwrap();
            assert!(n > 0, "the client closed before its request");
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    fn respond(&mut self, stream: u32, body: &str) {
        let mut block = Vec::new();
        self.encoder.encode(&[(b":status", b"200")], &mut block);
        self.send(kind::HEADERS, flag::END_HEADERS, stream, &block);
        self.send(kind::DATA, flag::END_STREAM, stream, body.as_bytes());
    }

    /// Stays until the client goes away (closing first could reset what
    /// we sent before the client read it).
    fn linger(mut self) {
        let mut rest = Vec::new();
        let _ = self.sock.read_to_end(&mut rest);
    }
}

const REFUSED_STREAM: u32 = 0x7;

/// Runs the CLI with `args` (`{}` in them becomes the server's URL base)
/// against a server that hands each accepted connection to the next of
/// `scripts`, once the CLI has returned (and closed its connections):
/// exit code, stdout, stderr and the paths each connection saw.
fn run(
    args: &[&str],
    scripts: Vec<Box<dyn FnOnce(Peer) -> Vec<String> + Send>>,
) -> (u8, String, String, Vec<Vec<String>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    // Each connection runs on its own thread: a client may hold one open
    // while it uses the next.
    let server = thread::spawn(move || {
        let conns: Vec<_> = scripts
            .into_iter()
            .map(|script| {
                let peer = Peer::accept(&listener);
                thread::spawn(move || script(peer))
            })
            .collect();
        conns.into_iter().map(|c| c.join().unwrap()).collect::<Vec<_>>()
    });
    let args: Vec<std::ffi::OsString> = args.iter().map(|a| a.replace("{}", &base).into()).collect();
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code =
        crate::cli::main(&args, &mut crate::cli::Io { stdout: &mut out, stderr: &mut err, stdout_tty: false }).get();
    let seen = server.join().unwrap();
    (code, String::from_utf8(out).unwrap(), String::from_utf8(err).unwrap(), seen)
}

#[test]
fn a_stream_above_the_goaway_goes_again_on_a_new_connection() {
    let (code, out, err, seen) = run(
        &["-sv", "--http2-prior-knowledge", "{}/a", "{}/b"],
        vec![
            Box::new(|mut p: Peer| {
                let (a, path_a) = p.request();
                p.respond(a, "A");
                // The second request arrives, but the server is shutting
                // down: GOAWAY names the first stream as the last.
                let (_, path_b) = p.request();
                p.send(kind::GOAWAY, 0, 0, &[&a.to_be_bytes()[..], &0u32.to_be_bytes()].concat());
                p.linger();
                vec![path_a, path_b]
            }),
            Box::new(|mut p: Peer| {
                let (b, path) = p.request();
                p.respond(b, "B");
                p.linger();
                vec![path]
            }),
        ],
    );
    assert_eq!((code, out.as_str()), (0, "AB"), "{err}");
    assert_eq!(seen, [vec!["/a", "/b"], vec!["/b"]]);
    assert!(err.contains("* REFUSED_STREAM, retrying a fresh connect\n"), "{err}");
}

#[test]
fn a_refused_stream_goes_once_more_then_fails() {
    let refuse = |mut p: Peer| {
        let (s, path) = p.request();
        p.send(kind::RST_STREAM, 0, s, &REFUSED_STREAM.to_be_bytes());
        p.linger();
        vec![path]
    };
    let serve = |mut p: Peer| {
        let (s, path) = p.request();
        p.respond(s, "ok");
        p.linger();
        vec![path]
    };
    let (code, out, err, seen) =
        run(&["-sv", "--http2-prior-knowledge", "{}/x"], vec![Box::new(refuse), Box::new(serve)]);
    assert_eq!((code, out.as_str()), (0, "ok"), "{err}");
    assert_eq!(seen, [vec!["/x"], vec!["/x"]]);

    // Refused twice: the second refusal is the error (curl's exit 92).
    let (code, out, err, seen) =
        run(&["-s", "--http2-prior-knowledge", "{}/y"], vec![Box::new(refuse), Box::new(refuse)]);
    assert_eq!((code, out.as_str()), (92, ""), "{err}");
    assert_eq!(seen, [vec!["/y"], vec!["/y"]]);
}
