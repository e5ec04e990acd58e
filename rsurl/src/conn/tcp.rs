//! The bottom layer: a connected TCP stream (made by [`super::socket`],
//! raced by [`super::eyeballs`]).
//!
//! Entry point: [`TcpLayer::new`].

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::Duration;

use super::Layer;

/// A connected TCP stream.
#[derive(Debug)]
pub(crate) struct TcpLayer {
    stream: TcpStream,
}

impl TcpLayer {
    /// Wraps a connected stream.
    pub(crate) fn new(stream: TcpStream) -> Self {
        Self { stream }
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
        self.stream.set_read_timeout(t)?;
        self.stream.set_write_timeout(t)
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        self.stream.peer_addr().ok()
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.stream.local_addr().ok()
    }
}
