//! The bottom layer: a connected TCP stream (made by [`super::socket`],
//! raced by [`super::eyeballs`]).
//!
//! Entry point: [`TcpLayer::new`].

use std::cell::Cell;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::Layer;

/// A connected TCP stream.
#[derive(Debug)]
pub(crate) struct TcpLayer {
    stream: TcpStream,
    /// The socket timeout last set, so that a read loop does not pay two
    /// `setsockopt` calls per read (a third of a download's syscalls).
    timeout: Cell<Option<Option<Duration>>>,
}

/// How far a socket timeout may lag behind the time left before it is set
/// again: a read may then overrun a deadline by at most this much.
const TIMEOUT_SLACK: Duration = Duration::from_millis(10);

impl TcpLayer {
    /// Wraps a connected stream.
    pub(crate) fn new(stream: TcpStream) -> Self {
        Self { stream, timeout: Cell::new(None) }
    }
}

impl Read for TcpLayer {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl Write for TcpLayer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Layer for TcpLayer {
    fn set_io_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        // A zero duration is an error for std; treat it as the smallest wait.
        let t = t.map(|d| d.max(Duration::from_millis(1)));
        let close_enough = match (self.timeout.get(), t) {
            (Some(None), None) => true,
            (Some(Some(set)), Some(want)) => set >= want && set - want <= TIMEOUT_SLACK,
            _ => false,
        };
        if close_enough {
            return Ok(());
        }
        self.stream.set_read_timeout(t)?;
        self.stream.set_write_timeout(t)?;
        self.timeout.set(Some(t));
        Ok(())
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        self.stream.peer_addr().ok()
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.stream.local_addr().ok()
    }
}
