//! A `direct-tcpip` channel of one session as the byte stream of the
//! next: how `ProxyJump` nests connections in one process (each hop
//! reaches the next through the one before).
//!
//! Entry point: [`ChannelStream::open`]; the result goes to
//! [`Client::connect_stream`](super::Client::connect_stream).

use super::{ByteStream, ClientError, Session};
use crate::connection::Event as ChannelEvent;
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::os::fd::RawFd;

/// A `direct-tcpip` channel read and written as a stream.
///
/// Invariants: `incoming` holds channel data already taken from `outer`
/// and not yet read; `outgoing` holds written bytes the channel's window
/// has no room for yet; `eof` is set once the peer sent EOF or CLOSE.
///
/// Writes never wait for window space: a write that blocked here would
/// stop the connection nested inside from reading, and the hops' sshds
/// stop reading when their output backs up, so each side would wait for
/// the other. `outgoing` is bounded by the nested connection's own
/// channel windows. Queued bytes go out on every read, write and
/// [`ByteStream::has_buffered`] call, as window adjusts arrive.
#[derive(Debug)]
pub struct ChannelStream {
    outer: Session,
    channel: u32,
    incoming: VecDeque<u8>,
    outgoing: Vec<u8>,
    eof: bool,
}

fn io_error(e: ClientError) -> std::io::Error {
    match e {
        ClientError::Io(e) => e,
        ClientError::Closed => std::io::ErrorKind::UnexpectedEof.into(),
        other => std::io::Error::other(other.to_string()),
    }
}

impl ChannelStream {
    /// Opens a `direct-tcpip` channel to `host:port` through `outer`.
    ///
    /// # Errors
    /// [`ClientError::Refused`] when the server will not connect; any
    /// other [`ClientError`].
    pub fn open(mut outer: Session, host: &str, port: u16) -> Result<Self, ClientError> {
        let channel = outer.open_direct_tcpip(host, port)?;
        Ok(Self { outer, channel, incoming: VecDeque::new(), outgoing: Vec::new(), eof: false })
    }

    /// Sends as much of `outgoing` as the window allows.
    fn push_outgoing(&mut self) -> Result<(), ClientError> {
        if !self.outgoing.is_empty() {
            let sent = self.outer.send_data(self.channel, &self.outgoing)?;
            self.outgoing.drain(..sent);
        }
        Ok(())
    }

    /// Moves the channel's events from the outer session into `incoming`.
    fn take_events(&mut self) {
        while let Some(event) = self.outer.poll_channel_event() {
            match event {
                ChannelEvent::Data { channel, data } if channel == self.channel => self.incoming.extend(data),
                ChannelEvent::Eof { channel } | ChannelEvent::Closed { channel } if channel == self.channel => {
                    self.eof = true;
                }
                _ => {}
            }
        }
    }
}

impl Read for ChannelStream {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            self.push_outgoing().map_err(io_error)?;
            self.take_events();
            if !self.incoming.is_empty() || self.eof || buf.is_empty() {
                let n = buf.len().min(self.incoming.len());
                for (slot, byte) in buf.iter_mut().zip(self.incoming.drain(..n)) {
                    *slot = byte;
                }
                return Ok(n);
            }
            self.outer.receive().map_err(io_error)?;
        }
    }
}

impl Write for ChannelStream {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.outgoing.extend_from_slice(buf);
        self.push_outgoing().map_err(io_error)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.push_outgoing().map_err(io_error)
    }
}

impl ByteStream for ChannelStream {
    fn readable_fd(&self) -> RawFd {
        self.outer.readable_fd()
    }

    fn has_buffered(&mut self) -> bool {
        if self.push_outgoing().is_err() {
            // The failure comes back on the next read.
            return true;
        }
        self.take_events();
        !self.incoming.is_empty() || self.eof || self.outer.has_buffered_input()
    }

    fn advance(&mut self, readable: bool) -> std::io::Result<Option<bool>> {
        self.outer.receive_ready(readable).map_err(io_error)?;
        self.push_outgoing().map_err(io_error)?;
        self.take_events();
        Ok(Some(!self.incoming.is_empty() || self.eof))
    }

    fn shutdown(&mut self) {
        let _ = self.outer.send_eof(self.channel);
    }
}
