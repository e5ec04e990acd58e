//! A shared session against a scripted server on loopback: streams of
//! several threads interleave, a reset stays on its stream, a dead
//! connection fails every stream; and the registry's claim rules.

use std::net::{TcpListener, TcpStream};
use std::thread;

use super::*;
use crate::conn::TcpLayer;
use crate::h2::frame::{self, Frame, flag, kind};
use crate::h2::hpack::{Decoder, Encoder};

/// Reads frames until `want` request HEADERS have arrived; returns each
/// one's stream and `:path`.
fn read_requests(sock: &mut TcpStream, want: usize) -> Vec<(u32, String)> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut decoder = Decoder::new(4096, 64 * 1024);
    let mut seen = Vec::new();
    let mut used = 0;
    while seen.len() < want {
        let n = sock.read(&mut chunk).unwrap();
        assert!(n > 0, "client closed early");
        buf.extend_from_slice(&chunk[..n]);
        if used == 0 && buf.len() >= frame::PREFACE.len() {
            assert!(buf.starts_with(frame::PREFACE));
            used = frame::PREFACE.len();
        }
        if used == 0 {
            continue;
        }
        while let Some((f, len)) = frame::parse(&buf[used..], frame::DEFAULT_MAX_FRAME_SIZE).unwrap() {
            if let Frame::Headers { stream, block, .. } = f {
                let fields = decoder.decode(block).unwrap();
                let path = fields.iter().find(|(n, _)| n == b":path").unwrap();
                seen.push((stream, String::from_utf8(path.1.clone()).unwrap()));
            }
            used += len;
        }
    }
    seen
}

fn send(sock: &mut TcpStream, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
    let mut out = Vec::new();
    frame::write_frame(&mut out, kind, flags, stream, payload);
    sock.write_all(&out).unwrap();
}

fn ok_head(encoder: &mut Encoder) -> Vec<u8> {
    let mut block = Vec::new();
    encoder.encode(&[(b":status", b"200")], &mut block);
    block
}

/// A shared session to a server that runs `script` on its end.
fn session(script: impl FnOnce(TcpStream) + Send + 'static) -> (Arc<Mux>, thread::JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut sock, _) = listener.accept().unwrap();
        send(&mut sock, kind::SETTINGS, 0, 0, &[]);
        script(sock);
    });
    let io = TcpLayer::new(TcpStream::connect(addr).unwrap());
    (Mux::new(H2Session::new(Box::new(io), 64 * 1024), true), server)
}

fn clock() -> Clock {
    Clock { deadline: Some(Instant::now() + Duration::from_secs(20)), started: Instant::now(), received: 0 }
}

/// What one stream received: its body, or the error that ended it.
fn fetch(mux: &Mux, path: &str) -> Result<Vec<u8>, String> {
    let fields: [(&[u8], &[u8]); 4] =
        [(b":method", b"GET"), (b":path", path.as_bytes()), (b":scheme", b"http"), (b":authority", b"x")];
    let stream = mux.open(&fields, true, clock()).map_err(|e| e.to_string())?;
    let mut body = Vec::new();
    loop {
        match mux.next_event(stream, clock()) {
            Ok(Event::Headers { end_stream: true, .. }) => break,
            Ok(Event::Headers { .. }) => {}
            Ok(Event::Data { data, end_stream, .. }) => {
                body.extend_from_slice(&data);
                if end_stream {
                    break;
                }
            }
            Ok(other) => return Err(format!("{other:?}")),
            Err(e) => {
                mux.finish(stream);
                return Err(e.to_string());
            }
        }
    }
    mux.finish(stream);
    Ok(body)
}

#[test]
fn streams_of_three_threads_interleave_and_a_reset_stays_on_its_stream() {
    let (mux, server) = session(|mut sock| {
        let streams = read_requests(&mut sock, 3);
        let id = |p: &str| streams.iter().find(|(_, path)| path == p).unwrap().0;
        let (a, b, c) = (id("/a"), id("/b"), id("/c"));
        let mut enc = Encoder::new(4096);
        for s in [a, b] {
            send(&mut sock, kind::HEADERS, flag::END_HEADERS, s, &ok_head(&mut enc));
        }
        send(&mut sock, kind::RST_STREAM, 0, c, &7u32.to_be_bytes());
        for (s, data, end) in [(a, "a1", false), (b, "b1", false), (a, "a2", false), (b, "b2", true), (a, "a3", true)] {
            send(&mut sock, kind::DATA, if end { flag::END_STREAM } else { 0 }, s, data.as_bytes());
        }
        // Stay until the client goes away.
        let mut rest = Vec::new();
        let _ = sock.read_to_end(&mut rest);
    });
    let results: Vec<_> = thread::scope(|scope| {
        let handles: Vec<_> = ["/a", "/b", "/c"].map(|p| scope.spawn(|| fetch(&mux, p))).into_iter().collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(results[0], Ok(b"a1a2a3".to_vec()));
    assert_eq!(results[1], Ok(b"b1b2".to_vec()));
    let reset = results[2].clone().unwrap_err();
    assert!(reset.starts_with("Reset {") && reset.contains("REFUSED_STREAM"), "{reset}");
    assert!(!mux.is_closing(), "a stream reset leaves the connection usable");
    assert!(mux.can_open());
    drop(mux);
    server.join().unwrap();
}

#[test]
fn a_connection_that_dies_fails_every_stream() {
    let (mux, server) = session(|mut sock| {
        read_requests(&mut sock, 2);
        drop(sock);
    });
    let results: Vec<_> = thread::scope(|scope| {
        let handles: Vec<_> = ["/x", "/y"].map(|p| scope.spawn(|| fetch(&mux, p))).into_iter().collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for r in results {
        assert!(r.as_ref().is_err_and(|e| e.contains("Connection closed")), "{r:?}");
    }
    assert!(mux.is_closing());
    assert!(!mux.can_open());
    server.join().unwrap();
}

#[test]
fn the_registry_hands_out_one_session_per_origin() {
    // Transfers one at a time: whoever finds a connection being made
    // connects on its own.
    let seq = Registry::sequential();
    let Claim::Connect(ticket) = seq.claim("k", None) else { panic!("first claim connects") };
    assert!(matches!(seq.claim("k", None), Claim::Own));
    drop(ticket);
    assert!(matches!(seq.claim("k", None), Claim::Connect(_)), "a dropped ticket frees the slot");

    // Parallel transfers wait for the connection being made, then share it.
    let par = Registry::parallel(true);
    let (mux, server) = session(|mut sock| {
        let mut rest = Vec::new();
        let _ = sock.read_to_end(&mut rest);
    });
    let Claim::Connect(ticket) = par.claim("k", None) else { panic!("first claim connects") };
    thread::scope(|scope| {
        let waiter =
            scope.spawn(|| matches!(par.claim("k", Some(Instant::now() + Duration::from_secs(20))), Claim::Reuse(_)));
        thread::sleep(Duration::from_millis(50));
        ticket.publish(mux.clone());
        assert!(waiter.join().unwrap(), "the waiting transfer reuses the published session");
    });
    assert!(matches!(par.claim("other", None), Claim::Connect(_)), "another origin connects");
    // --parallel-immediate: no waiting, a connection of one's own.
    let immediate = Registry::parallel(false);
    let _ticket = immediate.claim("k", None);
    assert!(matches!(immediate.claim("k", None), Claim::Own));
    drop(mux);
    drop(par);
    server.join().unwrap();
}
