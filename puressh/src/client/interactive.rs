//! Session channels driven by the caller, one event at a time: a shell or
//! command with an optional pseudo-terminal (`pty-req`, `shell`,
//! `window-change`, `signal`, `exit-status` / `exit-signal`), and
//! `direct-tcpip` channels (what `ssh -W` relays).
//!
//! Entry points: [`Session::start_session`] with a [`SessionStart`], then
//! a loop over [`Session::poll_channel_event`] and [`Session::receive`]
//! (wait for [`Session::readable_fd`] to become readable first to
//! multiplex with other input), sending with [`Session::send_data`],
//! [`Session::send_eof`], [`Session::window_change`] and
//! [`Session::signal`]. [`ChannelOutcome`] collects how the remote side
//! ended.

use super::{ClientError, Session};
use crate::connection::Event as ChannelEvent;
use crate::connection::tty_modes::TerminalModes;
use crate::msg::{ChannelOpenKind, ChannelRequestKind};
use std::os::fd::RawFd;

/// A pseudo-terminal to ask for (`pty-req`, RFC 4254 §6.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PtyRequest {
    /// The `TERM` value (e.g. `xterm-256color`).
    pub term: String,
    /// Width in characters.
    pub cols: u32,
    /// Height in rows.
    pub rows: u32,
    /// Width in pixels (0 when unknown).
    pub width_px: u32,
    /// Height in pixels (0 when unknown).
    pub height_px: u32,
    /// The terminal modes to set.
    pub modes: TerminalModes,
}

impl PtyRequest {
    /// A terminal `term` of `cols` x `rows` characters with no modes.
    #[must_use]
    pub fn new(term: &str, cols: u32, rows: u32) -> Self {
        Self { term: term.to_owned(), cols, rows, ..Self::default() }
    }
}

/// What the session channel runs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionKind {
    /// The user's login shell (`shell`).
    Shell,
    /// A command line (`exec`).
    Exec(Vec<u8>),
    /// A subsystem such as `sftp`.
    Subsystem(String),
}

/// How to start a session channel.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct SessionStart {
    /// Shell, command or subsystem.
    pub kind: SessionKind,
    /// A pseudo-terminal to request first, if any.
    pub pty: Option<PtyRequest>,
    /// Environment variables to pass (`env`; servers accept only what
    /// their `AcceptEnv` lists, refusals are ignored as in OpenSSH).
    pub env: Vec<(String, String)>,
}

impl SessionStart {
    /// `kind` without a terminal or environment.
    #[must_use]
    pub const fn new(kind: SessionKind) -> Self {
        Self { kind, pty: None, env: Vec::new() }
    }
}

/// A started session channel.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StartedSession {
    /// Our channel number.
    pub channel: u32,
    /// Whether the server granted the pseudo-terminal (false when none
    /// was asked for, or it was refused: the session runs without).
    pub pty_granted: bool,
}

/// How the remote side of a session ended, from its channel requests.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ChannelOutcome {
    /// `exit-status`.
    pub status: Option<u32>,
    /// `exit-signal`: the signal name without `SIG`.
    pub signal: Option<String>,
    /// `exit-signal`: whether a core was dumped.
    pub core_dumped: bool,
    /// `exit-signal`: the server's message.
    pub message: String,
}

impl ChannelOutcome {
    /// Records `kind` if it is `exit-status` or `exit-signal`; returns
    /// whether it was.
    pub fn observe(&mut self, kind: &ChannelRequestKind) -> bool {
        match kind {
            ChannelRequestKind::ExitStatus { status } => self.status = Some(*status),
            ChannelRequestKind::ExitSignal { signal, core_dumped, message, .. } => {
                self.signal = Some(signal.clone());
                self.core_dumped = *core_dumped;
                self.message.clone_from(message);
            }
            _ => return false,
        }
        true
    }

    /// The exit code `ssh` reports: the remote status, or 255 when the
    /// command died by a signal or sent no status.
    #[must_use]
    pub fn exit_code(&self) -> u8 {
        match (self.status, &self.signal) {
            (Some(status), None) => u8::try_from(status).unwrap_or(255),
            _ => 255,
        }
    }
}

impl Session {
    /// Opens a session channel, asks for the terminal (if any) and the
    /// environment, then starts the shell, command or subsystem.
    ///
    /// # Errors
    /// [`ClientError::Refused`] when the channel or the start request is
    /// refused (a refused terminal is not an error: see
    /// [`StartedSession::pty_granted`]); any other [`ClientError`].
    pub fn start_session(&mut self, start: &SessionStart) -> Result<StartedSession, ClientError> {
        let channel = self.open_channel(ChannelOpenKind::Session)?;
        self.request_agent_forwarding(channel)?;
        for (name, value) in &start.env {
            let kind = ChannelRequestKind::Env { name: name.clone(), value: value.clone() };
            self.connection.request(channel, kind, false)?;
        }
        let pty_granted = match &start.pty {
            Some(pty) => {
                let kind = ChannelRequestKind::PtyReq {
                    term: pty.term.clone(),
                    cols: pty.cols,
                    rows: pty.rows,
                    width_px: pty.width_px,
                    height_px: pty.height_px,
                    modes: pty.modes.encode(),
                };
                self.request_and_wait(channel, kind)?
            }
            None => false,
        };
        let (kind, what) = match &start.kind {
            SessionKind::Shell => (ChannelRequestKind::Shell, "shell"),
            SessionKind::Exec(command) => (ChannelRequestKind::Exec { command: command.clone() }, "exec"),
            SessionKind::Subsystem(name) => (ChannelRequestKind::Subsystem { name: name.clone() }, "subsystem"),
        };
        if !self.request_and_wait(channel, kind)? {
            return Err(ClientError::Refused(format!("{what} request on channel {channel}")));
        }
        Ok(StartedSession { channel, pty_granted })
    }

    /// Opens a `direct-tcpip` channel to `host:port` through the server
    /// (RFC 4254 §7.2); returns our channel number once it is open.
    ///
    /// # Errors
    /// [`ClientError::Refused`] with the server's reason; any other
    /// [`ClientError`].
    pub fn open_direct_tcpip(&mut self, host: &str, port: u16) -> Result<u32, ClientError> {
        self.open_channel(ChannelOpenKind::DirectTcpip {
            host: host.to_owned(),
            port: u32::from(port),
            originator_address: "127.0.0.1".into(),
            originator_port: 0,
        })
    }

    /// Sends as much of `data` as the channel's window allows; returns
    /// how many bytes were taken (send the rest after
    /// [`ChannelEvent::WindowAdjusted`]).
    ///
    /// # Errors
    /// Any [`ClientError`] (the channel is not open, the socket failed).
    pub fn send_data(&mut self, channel: u32, data: &[u8]) -> Result<usize, ClientError> {
        let taken = self.connection.send_data(channel, data)?;
        self.flush()?;
        Ok(taken)
    }

    /// Sends EOF on `channel`.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn send_eof(&mut self, channel: u32) -> Result<(), ClientError> {
        self.connection.send_eof(channel)?;
        self.flush()
    }

    /// Closes `channel`; [`ChannelEvent::Closed`] follows.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn close_channel(&mut self, channel: u32) -> Result<(), ClientError> {
        self.connection.close(channel)?;
        self.flush()
    }

    /// Tells the server the terminal's new size (`window-change`).
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn window_change(
        &mut self,
        channel: u32,
        cols: u32,
        rows: u32,
        width_px: u32,
        height_px: u32,
    ) -> Result<(), ClientError> {
        let kind = ChannelRequestKind::WindowChange { cols, rows, width_px, height_px };
        self.connection.request(channel, kind, false)?;
        self.flush()
    }

    /// Delivers a signal (`INT`, `TERM`... without `SIG`) to the remote
    /// process (`signal`; OpenSSH's sshd honours it from 8.1 on).
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn signal(&mut self, channel: u32, name: &str) -> Result<(), ClientError> {
        self.connection.request(channel, ChannelRequestKind::Signal { name: name.to_owned() }, false)?;
        self.flush()
    }

    /// The next channel event already received, if any.
    pub fn poll_channel_event(&mut self) -> Option<ChannelEvent> {
        self.held_events.pop_front().or_else(|| self.connection.poll_event())
    }

    /// Reads once from the server (blocking up to the configured timeout)
    /// and processes what arrived, key exchanges included; the channel
    /// events it produced come from [`Self::poll_channel_event`].
    ///
    /// # Errors
    /// [`ClientError::Closed`] at the server's end of stream; any other
    /// [`ClientError`].
    pub fn receive(&mut self) -> Result<(), ClientError> {
        self.pump()
    }

    /// One step without waiting, for event loops: reads the descriptor
    /// (of the innermost outer session, for a jump host's channel) only
    /// when `readable` says `poll` saw it readable, and processes what
    /// reached this session. Unlike [`Self::receive`] it never waits for
    /// this session's own bytes, which for a nested session could block
    /// while the server waits for our input.
    ///
    /// # Errors
    /// As [`Self::receive`].
    pub fn receive_ready(&mut self, readable: bool) -> Result<(), ClientError> {
        match self.stream.advance(readable)? {
            None if readable => self.pump(),
            Some(true) => self.pump(),
            _ => self.flush(),
        }
    }

    /// The descriptor that becomes readable when the server sends bytes,
    /// to wait on together with other input (`poll(2)`) before
    /// [`Self::receive`].
    #[must_use]
    pub fn readable_fd(&self) -> RawFd {
        self.stream.readable_fd()
    }

    /// Whether input is already waiting that [`Self::readable_fd`] cannot
    /// show: held channel events, or bytes buffered in the stream (a
    /// jump host's channel). Check before waiting on the descriptor.
    pub fn has_buffered_input(&mut self) -> bool {
        !self.held_events.is_empty() || self.stream.has_buffered()
    }

    /// Opens a channel of `kind` and waits for the answer.
    fn open_channel(&mut self, kind: ChannelOpenKind) -> Result<u32, ClientError> {
        let channel = self.connection.open(kind)?;
        let event = self.wait_for(channel, |e| {
            matches!(e, ChannelEvent::Opened { channel: c } | ChannelEvent::OpenFailed { channel: c, .. } if *c == channel)
        })?;
        match event {
            ChannelEvent::OpenFailed { description, reason, .. } => {
                Err(ClientError::Refused(format!("channel open ({}): {description}", reason.0)))
            }
            _ => Ok(channel),
        }
    }

    /// Sends a request wanting a reply and returns the answer.
    fn request_and_wait(&mut self, channel: u32, kind: ChannelRequestKind) -> Result<bool, ClientError> {
        self.connection.request(channel, kind, true)?;
        let event =
            self.wait_for(channel, |e| matches!(e, ChannelEvent::RequestReply { channel: c, .. } if *c == channel))?;
        Ok(matches!(event, ChannelEvent::RequestReply { success: true, .. }))
    }

    /// Runs until an event `wanted` accepts arrives; other events are
    /// held for [`Self::poll_channel_event`] in their order. A CLOSE of
    /// `channel`, the one waited on, ends the wait with
    /// [`ClientError::Refused`].
    fn wait_for(&mut self, channel: u32, wanted: impl Fn(&ChannelEvent) -> bool) -> Result<ChannelEvent, ClientError> {
        loop {
            while let Some(event) = self.connection.poll_event() {
                if wanted(&event) {
                    return Ok(event);
                }
                if matches!(event, ChannelEvent::Closed { channel: c } if c == channel) {
                    return Err(ClientError::Refused(format!("channel {channel} closed by the server")));
                }
                self.held_events.push_back(event);
            }
            self.pump()?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcome_maps_to_exit_codes_like_ssh() {
        let mut outcome = ChannelOutcome::default();
        assert_eq!(outcome.exit_code(), 255);
        assert!(outcome.observe(&ChannelRequestKind::ExitStatus { status: 3 }));
        assert_eq!(outcome.exit_code(), 3);
        assert!(!outcome.observe(&ChannelRequestKind::Shell));
        let signal = ChannelRequestKind::ExitSignal {
            signal: "KILL".into(),
            core_dumped: true,
            message: "killed".into(),
            language: String::new(),
        };
        assert!(outcome.observe(&signal));
        assert_eq!((outcome.exit_code(), outcome.core_dumped, outcome.message.as_str()), (255, true, "killed"));
        let big = ChannelOutcome { status: Some(300), ..ChannelOutcome::default() };
        assert_eq!(big.exit_code(), 255);
    }
}
