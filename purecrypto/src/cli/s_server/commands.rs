//! `s_server`'s interactive mode (without `-www`): standard input goes to
//! the client, and a line holding only one of openssl's command letters
//! acts on the connection instead:
//!
//! - `q`: close this connection (`DONE`); `Q`: close it and stop the server.
//! - `k` / `K`: send a KeyUpdate, `K` asking the client to update too
//!   (TLS 1.3).
//! - `c`: ask the client for a certificate now (TLS 1.3 post-handshake
//!   authentication, which the client must have offered), judged against
//!   `-CAfile`. Its subject is printed once the client answered.
//! - `r` / `R`: renegotiation, which this server refuses to do in any
//!   version; said so on standard error.
//!
//! Unlike openssl's, the end of standard input is not a `Q`: the relay
//! goes on printing what the client sends (scripts run it with stdin
//! closed).

use std::io::Write;
use std::net::TcpStream;
use std::string::ToString;
use std::sync::Arc;

use super::super::CliError;
use super::super::relay::{Flow, Session};
use crate::tls::{ClientCertVerifier, Event, Stream};

/// How the relay ended, for the accept loop.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Ending {
    /// The client closed, or `q`.
    Connection,
    /// `Q`: the server stops.
    Server,
}

/// One connection's command reader.
pub(super) struct ServerSession<'a> {
    /// Judges the certificate `c` asks for (`-CAfile`), if any.
    pub(super) verifier: Option<Arc<dyn ClientCertVerifier>>,
    /// Where command results go (openssl prints them on stdout; ours on
    /// standard error, keeping stdout to what the client sent).
    pub(super) report: &'a mut dyn Write,
    pub(super) ending: Ending,
}

impl ServerSession<'_> {
    fn say(&mut self, line: &str) -> Result<(), CliError> {
        writeln!(self.report, "{line}").and_then(|()| self.report.flush()).map_err(CliError::io("stderr"))
    }

    /// Runs command `letter`; false if it is not one.
    fn command(&mut self, stream: &mut Stream<TcpStream>, letter: u8) -> Result<Option<Flow>, CliError> {
        let outcome = match letter {
            b'q' | b'Q' => {
                self.say("DONE")?;
                if letter == b'Q' {
                    self.ending = Ending::Server;
                }
                return Ok(Some(Flow::Stop));
            }
            b'k' | b'K' => stream.conn_mut().update_traffic_keys(letter == b'K').map(|()| "KEY UPDATE"),
            b'c' => match &self.verifier {
                Some(v) => stream.conn_mut().request_client_certificate(Arc::clone(v)).map(|()| "CERTIFICATE REQUEST"),
                None => {
                    self.say("Failed to initiate request: c needs -CAfile to judge the certificate")?;
                    return Ok(Some(Flow::Continue));
                }
            },
            b'r' | b'R' => {
                self.say("Renegotiation is not supported")?;
                return Ok(Some(Flow::Continue));
            }
            _ => return Ok(None),
        };
        match outcome {
            Ok(what) => {
                // The message goes out now, not with the next data.
                stream.flush().map_err(CliError::io("send"))?;
                self.say(what)?;
            }
            Err(e) => self.say(&std::format!("Failed to initiate request: {e}"))?,
        }
        Ok(Some(Flow::Continue))
    }
}

impl Session for ServerSession<'_> {
    fn input(&mut self, stream: &mut Stream<TcpStream>, chunk: &[u8]) -> Result<Flow, CliError> {
        if chunk.is_empty() {
            return Ok(Flow::PeerOnly);
        }
        if let [letter] | [letter, b'\n'] = chunk
            && let Some(flow) = self.command(stream, *letter)?
        {
            return Ok(flow);
        }
        stream.write_all(chunk).map_err(CliError::io("send"))?;
        Ok(Flow::Continue)
    }

    fn after_read(&mut self, stream: &mut Stream<TcpStream>) -> Result<(), CliError> {
        while let Some(event) = stream.conn_mut().poll_event() {
            if let Event::PostHandshakeAuth { authenticated } = event {
                let line = match stream.conn().peer_certificates().first() {
                    Some(leaf) if authenticated => std::format!(
                        "Client certificate (post-handshake): {}",
                        crate::x509::Certificate::from_der(leaf)
                            .map_or_else(|_| "(unreadable)".into(), |c| c.subject.to_string())
                    ),
                    _ => "Client sent no certificate (post-handshake)".into(),
                };
                self.say(&line)?;
            }
        }
        Ok(())
    }
}
