//! The loop of a running session: local stdin to the channel (through
//! the escape filter when a terminal was asked for), channel data to
//! stdout and stderr, SIGWINCH to `window-change`, until the channel
//! closes, `~.` is typed or a terminating signal arrives.
//!
//! Entry point: [`relay`]. It waits with `poll(2)` on stdin, the
//! server's descriptor and the signal pipe, so nothing busy-waits; the
//! wait ends early when the session's keepalive is due
//! (`ServerAliveInterval`).

use super::escape::{Action, EscapeFilter, Piece};
use crate::terminal::{self, RawMode, SignalPipe};
use puressh::client::{ChannelOutcome, ClientError, Session};
use puressh::connection::Event;
use std::io::Write;
use std::time::Instant;

/// How the relay behaves.
pub(super) struct RelayOptions {
    /// The escape character, when escapes are on (sessions with a pty).
    pub(super) escape: Option<u8>,
    /// Whether the channel has a pty (resizes are forwarded).
    pub(super) pty: bool,
    /// Whether stdin is read at all (`-n` and `-N` say no).
    pub(super) read_stdin: bool,
}

/// How the relay ended.
pub(super) enum RelayEnd {
    /// The channel closed; how the remote side ended.
    Closed(ChannelOutcome),
    /// `~.` was typed.
    EscapeDisconnect,
    /// A terminating signal arrived (its number).
    Signalled(libc::c_int),
    /// `ServerAliveCountMax` keepalives went unanswered (the message).
    Timeout(String),
}

/// How long `poll(2)` may wait: until the session's keepalive is due
/// (-1: no limit), or not at all when input is already buffered.
pub(super) fn wait_ms(session: &Session, buffered: bool) -> i32 {
    if buffered {
        return 0;
    }
    session.poll_timeout().map_or(-1, |deadline| {
        let left = deadline.saturating_duration_since(Instant::now());
        // Round up so the wake-up is not a hair before the deadline.
        i32::try_from(left.as_millis().saturating_add(1)).unwrap_or(i32::MAX)
    })
}

/// Writes the text to stderr, flushed (escape messages).
fn note(text: &str) {
    let mut err = std::io::stderr();
    let _ = err.write_all(text.as_bytes());
    let _ = err.flush();
}

/// Runs the session on `channel` until it ends.
pub(super) fn relay(
    session: &mut Session,
    channel: u32,
    options: &RelayOptions,
    mut raw: Option<&mut RawMode>,
    signals: &SignalPipe,
) -> Result<RelayEnd, String> {
    let mut escape = options.escape.map(EscapeFilter::new);
    let mut outcome = ChannelOutcome::default();
    let mut pending: Vec<u8> = Vec::new();
    let mut stdin_open = options.read_stdin;
    let mut eof_sent = false;
    // 32 KiB: one full channel packet per read, as OpenSSH sends them
    // (sshd's channels take 32 KiB data packets).
    let mut buf = vec![0u8; 32 * 1024];
    let (mut stdout, mut stderr) = (std::io::stdout(), std::io::stderr());
    if !options.read_stdin {
        session.send_eof(channel).map_err(|e| e.to_string())?;
        eof_sent = true;
    }
    loop {
        while let Some(event) = session.poll_channel_event() {
            match event {
                Event::Data { channel: c, data } if c == channel => {
                    stdout.write_all(&data).and_then(|()| stdout.flush()).map_err(|e| format!("stdout: {e}"))?;
                }
                Event::ExtendedData { channel: c, data, .. } if c == channel => {
                    let _ = stderr.write_all(&data).and_then(|()| stderr.flush());
                }
                Event::Request { channel: c, kind } if c == channel => {
                    outcome.observe(&kind);
                }
                Event::Closed { channel: c } if c == channel => return Ok(RelayEnd::Closed(outcome)),
                _ => {}
            }
        }
        // Data waiting for window space goes out first.
        if !pending.is_empty() {
            let sent = session.send_data(channel, &pending).map_err(|e| e.to_string())?;
            pending.drain(..sent);
        }
        if !stdin_open && pending.is_empty() && !eof_sent {
            session.send_eof(channel).map_err(|e| e.to_string())?;
            eof_sent = true;
        }
        let server = session.readable_fd();
        let watch_stdin = stdin_open && pending.is_empty();
        let fds = if watch_stdin { vec![signals.fd(), server, 0] } else { vec![signals.fd(), server] };
        // Bytes a jump host's session already read do not show on the
        // descriptor: then only look, do not wait.
        let buffered = session.has_buffered_input();
        let ready = terminal::poll_readable(&fds, wait_ms(session, buffered)).map_err(|e| format!("poll: {e}"))?;
        match session.handle_timeout(Instant::now()) {
            Ok(()) => {}
            Err(e @ ClientError::Timeout(_)) => return Ok(RelayEnd::Timeout(e.to_string())),
            Err(e) => return Err(e.to_string()),
        }
        if ready.first().copied().unwrap_or(false) {
            for signal in signals.drain() {
                if signal == libc::SIGWINCH {
                    if options.pty {
                        let (cols, rows, w, h) = terminal::window_size(0);
                        session.window_change(channel, cols, rows, w, h).map_err(|e| e.to_string())?;
                    }
                } else {
                    return Ok(RelayEnd::Signalled(signal));
                }
            }
        }
        if ready.get(2).copied().unwrap_or(false) {
            let n = terminal::read_fd(0, &mut buf).map_err(|e| format!("stdin: {e}"))?;
            let input = buf.get(..n).unwrap_or_default();
            if n == 0 {
                stdin_open = false;
            }
            let pieces = match &mut escape {
                Some(filter) => filter.feed(input),
                None if n > 0 => vec![Piece::Send(input.to_vec())],
                None => Vec::new(),
            };
            for piece in pieces {
                match piece {
                    Piece::Send(bytes) => pending.extend_from_slice(&bytes),
                    Piece::Action(Action::Disconnect) => return Ok(RelayEnd::EscapeDisconnect),
                    Piece::Action(Action::Help) => {
                        note(&escape.as_ref().map(EscapeFilter::help).unwrap_or_default());
                    }
                    Piece::Action(Action::ListConnections) => {
                        note(&format!("The following connections are open:\r\n  #{channel} session (interactive)\r\n"));
                    }
                    Piece::Action(Action::Rekey) => session.rekey().map_err(|e| e.to_string())?,
                    Piece::Action(Action::Suspend) => {
                        note("^Z [suspend ssh]\r\n");
                        if let Some(raw) = raw.as_deref_mut() {
                            raw.suspend();
                        }
                        terminal::stop_self();
                        if let Some(raw) = raw.as_deref_mut() {
                            raw.resume();
                        }
                        if options.pty {
                            let (cols, rows, w, h) = terminal::window_size(0);
                            session.window_change(channel, cols, rows, w, h).map_err(|e| e.to_string())?;
                        }
                    }
                }
            }
        }
        let readable = ready.get(1).copied().unwrap_or(false);
        if buffered || readable {
            match session.receive_ready(readable) {
                Ok(()) => {}
                // The server went away after the command ended: its
                // status still counts, as in `ssh`.
                Err(_) if outcome.status.is_some() || outcome.signal.is_some() => {
                    return Ok(RelayEnd::Closed(outcome));
                }
                Err(e) => return Err(e.to_string()),
            }
        }
    }
}
