//! A scriptable loopback HTTP server for the case files: it records each
//! request's exact bytes and answers with scripted replies, one reply per
//! request in order (the last one repeats). It reads a request head, then
//! a Content-Length or chunked body; it answers `Expect: 100-continue` with a 100
//! unless the script says not to. Entry point: [`Server::start`].

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// One scripted reply.
#[derive(Debug, Clone, Default)]
pub struct Reply {
    /// Bytes sent back.
    pub bytes: Vec<u8>,
    /// After sending, hold the connection open without reading or closing
    /// (a stalling server) until the server stops.
    pub stall: bool,
    /// Keep the connection open for another request.
    pub keep_alive: bool,
    /// Do not answer `Expect: 100-continue`.
    pub no_continue: bool,
    /// Send the reply one byte every 50 ms (a slowloris server).
    pub trickle: bool,
}

/// A running server on 127.0.0.1.
pub struct Server {
    pub port: u16,
    stop: Arc<AtomicBool>,
    requests: Arc<Mutex<Vec<Vec<u8>>>>,
    thread: Option<JoinHandle<()>>,
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn content_length(head: &[u8]) -> usize {
    let text = String::from_utf8_lossy(head).to_ascii_lowercase();
    text.lines().find_map(|l| l.strip_prefix("content-length:").and_then(|v| v.trim().parse().ok())).unwrap_or(0)
}

/// Whether `body` holds a whole chunked body (sizes walked, trailers
/// allowed).
fn chunked_complete(mut body: &[u8]) -> bool {
    loop {
        let Some(eol) = find(body, b"\r\n") else { return false };
        let size_text = String::from_utf8_lossy(&body[..eol]);
        let Ok(size) = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16) else {
            return false;
        };
        body = &body[eol + 2..];
        if size == 0 {
            return find(body, b"\r\n").is_some_and(|e| e == 0) || find(body, b"\r\n\r\n").is_some();
        }
        if body.len() < size + 2 {
            return false;
        }
        body = &body[size + 2..];
    }
}

/// Reads one request; `None` when the client closed or went quiet.
fn read_request(s: &mut TcpStream, no_continue: bool, stop: &AtomicBool) -> Option<Vec<u8>> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 65536];
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut continued = false;
    loop {
        if let Some(end) = find(&buf, b"\r\n\r\n") {
            let head = &buf[..end + 4];
            let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
            let chunked = lower.contains("transfer-encoding: chunked");
            let want = end + 4 + content_length(head);
            let complete = if chunked { chunked_complete(&buf[end + 4..]) } else { buf.len() >= want };
            let expect = lower.contains("expect: 100-continue");
            if expect && !continued && !no_continue && !complete {
                s.write_all(b"HTTP/1.1 100 Continue\r\n\r\n").ok()?;
                continued = true;
            }
            if complete {
                return Some(buf);
            }
        }
        if Instant::now() > deadline || stop.load(Ordering::SeqCst) {
            return if buf.is_empty() { None } else { Some(buf) };
        }
        match s.read(&mut chunk) {
            Ok(0) => return if buf.is_empty() { None } else { Some(buf) },
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(e) if matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut) => {}
            Err(_) => return None,
        }
    }
}

impl Server {
    /// Starts a server that answers with the replies `script` makes for
    /// its port, in order.
    pub fn start(script: impl FnOnce(u16) -> Vec<Reply>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let replies = script(port);
        let stop = Arc::new(AtomicBool::new(false));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let (stop2, requests2) = (stop.clone(), requests.clone());
        let thread = std::thread::spawn(move || {
            let mut next = 0usize;
            for conn in listener.incoming() {
                if stop2.load(Ordering::SeqCst) {
                    return;
                }
                let Ok(mut s) = conn else { continue };
                s.set_read_timeout(Some(Duration::from_millis(100))).unwrap();
                loop {
                    let reply = replies.get(next).or(replies.last()).cloned().unwrap_or_default();
                    let Some(req) = read_request(&mut s, reply.no_continue, &stop2) else { break };
                    requests2.lock().unwrap().push(req);
                    next += 1;
                    if reply.trickle {
                        for b in &reply.bytes {
                            if stop2.load(Ordering::SeqCst) || s.write_all(&[*b]).is_err() {
                                break;
                            }
                            std::thread::sleep(Duration::from_millis(50));
                        }
                    } else {
                        let _ = s.write_all(&reply.bytes);
                    }
                    if reply.stall {
                        while !stop2.load(Ordering::SeqCst) {
                            std::thread::sleep(Duration::from_millis(20));
                        }
                        return;
                    }
                    if !reply.keep_alive {
                        break;
                    }
                }
            }
        });
        Server { port, stop, requests, thread: Some(thread) }
    }

    /// The requests received so far, in order.
    pub fn requests(&self) -> Vec<Vec<u8>> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Unblock accept().
        let _ = TcpStream::connect(("127.0.0.1", self.port));
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
