//! A blocking driver: a [`Connection`] over any `Read + Write` transport.
//!
//! Entry point: [`Stream`], which implements `Read` and `Write` for
//! application data. All protocol decisions stay in the connection; this
//! only moves bytes and maps errors to `io::Error`.

use std::io::{self, Read, Write};
use std::time::{SystemTime, UNIX_EPOCH};
use std::vec::Vec;

use super::conn::Connection;
use super::error::Error;

/// A TLS connection over a blocking transport.
#[derive(Debug)]
pub struct Stream<T: Read + Write> {
    conn: Connection,
    io: T,
    buf: Vec<u8>,
}

fn to_io(e: Error) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, e)
}

impl<T: Read + Write> Stream<T> {
    /// Wraps `conn` over `io`; the handshake runs on first use or with
    /// [`Stream::handshake`]. The connection is told the system time.
    pub fn new(mut conn: Connection, io: T) -> Self {
        if let Ok(d) = SystemTime::now().duration_since(UNIX_EPOCH) {
            conn.set_now(d.as_secs());
        }
        Self { conn, io, buf: alloc::vec![0u8; 1 << 15] }
    }

    /// The connection, for negotiated parameters.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// The connection, mutably (for KeyUpdate, close_notify).
    pub fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The transport.
    pub fn get_ref(&self) -> &T {
        &self.io
    }

    fn flush_output(&mut self) -> io::Result<()> {
        while self.conn.wants_write() {
            // A signal interrupting the transport is retried here, so a
            // caller never sees EINTR halfway through a record.
            let n = match self.io.write(self.conn.output()) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                r => r?,
            };
            if n == 0 {
                return Err(io::ErrorKind::WriteZero.into());
            }
            self.conn.consume_output(n);
        }
        self.io.flush()
    }

    /// Reads from the transport once and feeds the connection; `false` at
    /// end of stream.
    fn read_once(&mut self) -> io::Result<bool> {
        let n = loop {
            match self.io.read(&mut self.buf) {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                r => break r?,
            }
        };
        if n == 0 {
            return Ok(false);
        }
        let data = self.buf.get(..n).unwrap_or_default();
        let result = self.conn.read_tls(data);
        // Send whatever the connection queued (KeyUpdate answers, alerts).
        self.flush_output()?;
        result.map_err(to_io)?;
        Ok(true)
    }

    /// Runs the handshake to completion.
    ///
    /// # Errors
    /// Transport errors, or the TLS error as `InvalidData`.
    pub fn handshake(&mut self) -> io::Result<()> {
        while self.conn.is_handshaking() {
            self.flush_output()?;
            if !self.read_once()? {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
        }
        if let Some(e) = self.conn.error() {
            return Err(to_io(e.clone()));
        }
        self.flush_output()
    }

    /// Sends close_notify.
    ///
    /// # Errors
    /// Transport errors.
    pub fn close(&mut self) -> io::Result<()> {
        self.conn.send_close_notify();
        self.flush_output()
    }
}

impl<T: Read + Write> Read for Stream<T> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        self.handshake()?;
        loop {
            if self.conn.plaintext_len() > 0 {
                return Ok(self.conn.read_plaintext(out));
            }
            if self.conn.peer_closed() {
                return Ok(0);
            }
            // Records already received but held back while plaintext was
            // waiting come before anything new from the transport.
            self.conn.read_tls(&[]).map_err(to_io)?;
            if self.conn.plaintext_len() > 0 {
                continue;
            }
            if !self.read_once()? {
                return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "transport closed without close_notify"));
            }
        }
    }
}

impl<T: Read + Write> Write for Stream<T> {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.handshake()?;
        let n = self.conn.write_plaintext(data).map_err(to_io)?;
        self.flush_output()?;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.flush_output()
    }
}
