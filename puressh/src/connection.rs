//! The connection protocol (RFC 4254), sans-I/O: plaintext payloads in,
//! payloads to send and [`Event`]s out.
//!
//! Entry point: [`Connection`]. Feed each received connection-layer
//! payload to [`Connection::handle`]; send what [`Connection::poll_output`]
//! yields; act on [`Connection::poll_event`]. Open sessions with
//! [`Connection::open_session`] and drive them with
//! [`Connection::request`], [`Connection::send_data`],
//! [`Connection::send_eof`] and [`Connection::close`].
//!
//! Peer mistakes (unsolicited replies, data beyond the window, window
//! overflow, messages after CLOSE) are errors that poison the connection:
//! a peer that breaks flow control cannot be trusted with the rest.

mod channel;
pub mod tty_modes;
pub mod window;

use crate::error::{ChannelError, Error, MisuseError};
use crate::msg::{
    ChannelClose, ChannelData, ChannelEof, ChannelFailure, ChannelOpen, ChannelOpenConfirmation, ChannelOpenFailure,
    ChannelOpenKind, ChannelRequest, ChannelRequestKind, ChannelWindowAdjust, GlobalRequest, GlobalRequestKind,
    Message, MsgNumber, OpenFailureReason, RequestFailure,
};
use channel::{Channel, Open, Opening};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use window::{ReceiveWindow, SendWindow};

/// The channel type a server opens to reach a forwarded agent.
pub const AGENT_CHANNEL: &str = "auth-agent@openssh.com";

/// The session request that asks the server for agent forwarding.
pub const AGENT_FORWARD_REQUEST: &str = "auth-agent-req@openssh.com";

/// Channel-layer settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConnectionConfig {
    /// The receive window we announce per channel.
    pub initial_window: u32,
    /// The largest data chunk we accept per message.
    pub max_packet: u32,
    /// Most channels open at once.
    pub max_channels: usize,
}

impl Default for ConnectionConfig {
    fn default() -> Self {
        Self { initial_window: 2 * 1024 * 1024, max_packet: 32 * 1024, max_channels: 256 }
    }
}

/// Something the application should know about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// Our CHANNEL_OPEN was confirmed.
    Opened {
        /// Our channel number.
        channel: u32,
    },
    /// Our CHANNEL_OPEN was refused; the channel number is free again.
    OpenFailed {
        /// Our channel number.
        channel: u32,
        /// Why.
        reason: OpenFailureReason,
        /// The peer's text.
        description: String,
    },
    /// Channel data (stdout for a session).
    Data {
        /// Our channel number.
        channel: u32,
        /// The bytes.
        data: Vec<u8>,
    },
    /// Extended data (type 1: stderr).
    ExtendedData {
        /// Our channel number.
        channel: u32,
        /// The type code.
        data_type: u32,
        /// The bytes.
        data: Vec<u8>,
    },
    /// The peer can take more data.
    WindowAdjusted {
        /// Our channel number.
        channel: u32,
        /// Bytes we may now send.
        available: u32,
    },
    /// The peer will send no more data.
    Eof {
        /// Our channel number.
        channel: u32,
    },
    /// Both sides have closed; the channel number is free again.
    Closed {
        /// Our channel number.
        channel: u32,
    },
    /// The answer to one of our `want_reply` channel requests.
    RequestReply {
        /// Our channel number.
        channel: u32,
        /// CHANNEL_SUCCESS or CHANNEL_FAILURE.
        success: bool,
    },
    /// A request from the peer (`exit-status`, `exit-signal`...).
    /// Requests wanting a reply were already answered with failure:
    /// a client honours none.
    Request {
        /// Our channel number.
        channel: u32,
        /// The request.
        kind: ChannelRequestKind,
    },
    /// A global request from the peer (answered with failure if it
    /// wanted a reply).
    GlobalRequest {
        /// The request.
        kind: GlobalRequestKind,
    },
    /// The answer to one of our `want_reply` global requests.
    GlobalReply {
        /// REQUEST_SUCCESS or REQUEST_FAILURE.
        success: bool,
        /// Response data (success only).
        data: Vec<u8>,
    },
    /// The peer opened a channel of a type we accept (only
    /// `auth-agent@openssh.com`, after
    /// [`Connection::accept_agent_channels`]); it is confirmed.
    PeerOpened {
        /// Our channel number.
        channel: u32,
        /// The channel type.
        kind: String,
    },
    /// The peer tried to open a channel to us; it was refused.
    PeerOpenRefused {
        /// The channel type it asked for.
        kind: String,
    },
}

/// The connection-protocol state of one SSH connection.
#[derive(Debug)]
pub struct Connection {
    config: ConnectionConfig,
    channels: BTreeMap<u32, Channel>,
    output: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    pending_global: usize,
    poisoned: Option<Error>,
    /// Whether the peer may open `auth-agent@openssh.com` channels.
    accept_agent: bool,
    /// Our numbers of the open agent channels.
    agent_channels: BTreeSet<u32>,
    /// Events of agent channels, kept apart from the application's.
    agent_events: VecDeque<Event>,
}

impl Default for Connection {
    fn default() -> Self {
        Self::new(ConnectionConfig::default())
    }
}

impl Connection {
    /// A connection with no channels.
    #[must_use]
    pub fn new(config: ConnectionConfig) -> Self {
        Self {
            config,
            channels: BTreeMap::new(),
            output: VecDeque::new(),
            events: VecDeque::new(),
            pending_global: 0,
            poisoned: None,
            accept_agent: false,
            agent_channels: BTreeSet::new(),
            agent_events: VecDeque::new(),
        }
    }

    /// Lets the peer open `auth-agent@openssh.com` channels (agent
    /// forwarding, after an `auth-agent-req@openssh.com` request); their
    /// events come from [`Self::poll_agent_event`], not
    /// [`Self::poll_event`].
    pub fn accept_agent_channels(&mut self, accept: bool) {
        self.accept_agent = accept;
    }

    /// The next event of an agent channel, if any.
    pub fn poll_agent_event(&mut self) -> Option<Event> {
        self.agent_events.pop_front()
    }

    /// The next payload to send, if any.
    pub fn poll_output(&mut self) -> Option<Vec<u8>> {
        self.output.pop_front()
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Bytes we may send on `channel` now (0 if it is not open).
    #[must_use]
    pub fn send_window(&self, channel: u32) -> u32 {
        match self.channels.get(&channel) {
            Some(Channel::Open(open)) => open.send.available(),
            _ => 0,
        }
    }

    fn queue(&mut self, message: impl Into<Message>) {
        self.output.push_back(message.into().to_bytes());
    }

    fn check(&self) -> Result<(), Error> {
        self.poisoned.clone().map_or(Ok(()), Err)
    }

    fn open_mut(&mut self, channel: u32) -> Result<&mut Open, Error> {
        match self.channels.get_mut(&channel) {
            Some(Channel::Open(open)) if !open.sent_close => Ok(open),
            _ => Err(MisuseError::ChannelNotOpen { channel }.into()),
        }
    }

    /// Asks the peer to open a channel of `kind`; returns our channel
    /// number. [`Event::Opened`] or [`Event::OpenFailed`] follows.
    ///
    /// # Errors
    /// [`MisuseError::TooManyChannels`], or the poisoning error.
    pub fn open(&mut self, kind: ChannelOpenKind) -> Result<u32, Error> {
        self.check()?;
        if self.channels.len() >= self.config.max_channels {
            return Err(MisuseError::TooManyChannels { limit: self.config.max_channels }.into());
        }
        let id = (0..=u32::MAX)
            .find(|id| !self.channels.contains_key(id))
            .ok_or(MisuseError::TooManyChannels { limit: self.config.max_channels })?;
        let receive = ReceiveWindow::new(self.config.initial_window, self.config.max_packet);
        self.channels.insert(id, Channel::Opening(Opening { receive }));
        self.queue(ChannelOpen {
            sender_channel: id,
            initial_window: self.config.initial_window,
            max_packet: self.config.max_packet,
            kind,
        });
        Ok(id)
    }

    /// Opens a `session` channel.
    ///
    /// # Errors
    /// As [`Self::open`].
    pub fn open_session(&mut self) -> Result<u32, Error> {
        self.open(ChannelOpenKind::Session)
    }

    /// Sends a channel request (`exec`, `shell`, `pty-req`...). With
    /// `want_reply`, an [`Event::RequestReply`] follows.
    ///
    /// # Errors
    /// [`MisuseError::ChannelNotOpen`], or the poisoning error.
    pub fn request(&mut self, channel: u32, kind: ChannelRequestKind, want_reply: bool) -> Result<(), Error> {
        self.check()?;
        let open = self.open_mut(channel)?;
        if want_reply {
            open.pending_replies += 1;
        }
        let recipient_channel = open.remote_id;
        self.queue(ChannelRequest { recipient_channel, want_reply, kind });
        Ok(())
    }

    /// Sends a global request; with `want_reply`, an
    /// [`Event::GlobalReply`] follows.
    ///
    /// # Errors
    /// The poisoning error.
    pub fn global_request(&mut self, kind: GlobalRequestKind, want_reply: bool) -> Result<(), Error> {
        self.check()?;
        if want_reply {
            self.pending_global += 1;
        }
        self.queue(GlobalRequest { want_reply, kind });
        Ok(())
    }

    /// Sends as much of `data` as the peer's window allows, in chunks of
    /// at most its maximum packet; returns how many bytes were taken.
    /// Send the rest after [`Event::WindowAdjusted`].
    ///
    /// # Errors
    /// [`MisuseError::ChannelNotOpen`], [`MisuseError::SendAfterEnd`] after
    /// our EOF, or the poisoning error.
    pub fn send_data(&mut self, channel: u32, data: &[u8]) -> Result<usize, Error> {
        self.check()?;
        let open = self.open_mut(channel)?;
        if open.sent_eof {
            return Err(MisuseError::SendAfterEnd { channel }.into());
        }
        let granted = open.send.take(data.len());
        let chunk = (open.send.max_packet() as usize).max(1);
        let recipient_channel = open.remote_id;
        for piece in data.get(..granted).unwrap_or_default().chunks(chunk) {
            self.queue(ChannelData { recipient_channel, data: piece.to_vec() });
        }
        Ok(granted)
    }

    /// Sends EOF: no more data from us on this channel.
    ///
    /// # Errors
    /// [`MisuseError::ChannelNotOpen`], [`MisuseError::SendAfterEnd`].
    pub fn send_eof(&mut self, channel: u32) -> Result<(), Error> {
        self.check()?;
        let open = self.open_mut(channel)?;
        if open.sent_eof {
            return Err(MisuseError::SendAfterEnd { channel }.into());
        }
        open.sent_eof = true;
        let recipient_channel = open.remote_id;
        self.queue(ChannelEof { recipient_channel });
        Ok(())
    }

    /// Sends CLOSE; [`Event::Closed`] follows when the peer's CLOSE arrives.
    ///
    /// # Errors
    /// [`MisuseError::ChannelNotOpen`] (also when already closed by us).
    pub fn close(&mut self, channel: u32) -> Result<(), Error> {
        self.check()?;
        let open = self.open_mut(channel)?;
        open.sent_close = true;
        let recipient_channel = open.remote_id;
        self.queue(ChannelClose { recipient_channel });
        Ok(())
    }

    /// Handles one received connection-protocol payload.
    ///
    /// # Errors
    /// [`Error::Decode`] for a malformed message, [`ChannelError`] for a
    /// protocol violation; the first error poisons the connection.
    pub fn handle(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.check()?;
        let result = Message::decode(payload).map_err(Error::from).and_then(|m| self.dispatch(m));
        if let Err(e) = &result {
            self.poisoned = Some(e.clone());
        }
        result
    }

    /// The open channel a peer message is for, with the checks every
    /// channel message shares.
    fn peer_open(&mut self, number: MsgNumber, channel: u32) -> Result<&mut Open, ChannelError> {
        match self.channels.get_mut(&channel) {
            Some(Channel::Open(open)) => Ok(open),
            Some(Channel::Opening(_)) => Err(ChannelError::NotOpen { number: number.0, channel }),
            None => Err(ChannelError::UnknownChannel { number: number.0, channel }),
        }
    }

    fn dispatch(&mut self, message: Message) -> Result<(), Error> {
        let number = message.number();
        match message {
            Message::ChannelOpenConfirmation(c) => {
                let Some(Channel::Opening(opening)) = self.channels.remove(&c.recipient_channel) else {
                    return Err(ChannelError::UnsolicitedOpenReply { channel: c.recipient_channel }.into());
                };
                let open = opening.confirm(c.sender_channel, c.initial_window, c.max_packet);
                self.channels.insert(c.recipient_channel, Channel::Open(open));
                self.emit(Event::Opened { channel: c.recipient_channel });
            }
            Message::ChannelOpenFailure(f) => {
                if !matches!(self.channels.get(&f.recipient_channel), Some(Channel::Opening(_))) {
                    return Err(ChannelError::UnsolicitedOpenReply { channel: f.recipient_channel }.into());
                }
                self.channels.remove(&f.recipient_channel);
                self.emit(Event::OpenFailed {
                    channel: f.recipient_channel,
                    reason: f.reason,
                    description: f.description,
                });
            }
            Message::ChannelWindowAdjust(ChannelWindowAdjust { recipient_channel: channel, bytes_to_add }) => {
                let open = self.peer_open(number, channel)?;
                open.send.adjust(channel, bytes_to_add)?;
                let available = open.send.available();
                self.emit(Event::WindowAdjusted { channel, available });
            }
            Message::ChannelData(ChannelData { recipient_channel: channel, data }) => {
                self.receive_data(number, channel, data.len())?;
                self.emit(Event::Data { channel, data });
            }
            Message::ChannelExtendedData(d) => {
                self.receive_data(number, d.recipient_channel, d.data.len())?;
                self.emit(Event::ExtendedData { channel: d.recipient_channel, data_type: d.data_type, data: d.data });
            }
            Message::ChannelEof(ChannelEof { recipient_channel: channel }) => {
                let open = self.peer_open(number, channel)?;
                if open.peer_eof {
                    return Err(ChannelError::AfterEnd { number: number.0, channel, after: "EOF" }.into());
                }
                open.peer_eof = true;
                self.emit(Event::Eof { channel });
            }
            Message::ChannelClose(ChannelClose { recipient_channel: channel }) => {
                let open = self.peer_open(number, channel)?;
                let (remote, we_closed) = (open.remote_id, open.sent_close);
                self.channels.remove(&channel);
                if !we_closed {
                    self.queue(ChannelClose { recipient_channel: remote });
                }
                self.emit(Event::Closed { channel });
            }
            Message::ChannelRequest(r) => {
                let channel = r.recipient_channel;
                let open = self.peer_open(number, channel)?;
                let remote = open.remote_id;
                if r.want_reply {
                    self.queue(ChannelFailure { recipient_channel: remote });
                }
                self.emit(Event::Request { channel, kind: r.kind });
            }
            Message::ChannelSuccess(s) => self.request_reply(number, s.recipient_channel, true)?,
            Message::ChannelFailure(f) => self.request_reply(number, f.recipient_channel, false)?,
            Message::ChannelOpen(o) if self.accept_agent && o.kind.name() == AGENT_CHANNEL => self.accept(o),
            Message::ChannelOpen(o) => {
                let reason = match o.kind {
                    ChannelOpenKind::Other { .. } => OpenFailureReason::UNKNOWN_CHANNEL_TYPE,
                    _ => OpenFailureReason::ADMINISTRATIVELY_PROHIBITED,
                };
                self.queue(ChannelOpenFailure {
                    recipient_channel: o.sender_channel,
                    reason,
                    description: "channel type not accepted".into(),
                    language: String::new(),
                });
                self.emit(Event::PeerOpenRefused { kind: o.kind.name().to_owned() });
            }
            Message::GlobalRequest(g) => {
                if g.want_reply {
                    self.queue(RequestFailure);
                }
                self.emit(Event::GlobalRequest { kind: g.kind });
            }
            Message::RequestSuccess(s) => {
                self.global_reply()?;
                self.emit(Event::GlobalReply { success: true, data: s.data });
            }
            Message::RequestFailure(_) => {
                self.global_reply()?;
                self.emit(Event::GlobalReply { success: false, data: Vec::new() });
            }
            _ => return Err(ChannelError::NotConnectionMessage { number: number.0 }.into()),
        }
        Ok(())
    }

    /// Confirms a peer's channel of a type we take; its events go to
    /// [`Self::poll_agent_event`].
    fn accept(&mut self, o: ChannelOpen) {
        let free = (0..=u32::MAX).find(|id| !self.channels.contains_key(id));
        let Some(id) = free.filter(|_| self.channels.len() < self.config.max_channels) else {
            self.queue(ChannelOpenFailure {
                recipient_channel: o.sender_channel,
                reason: OpenFailureReason::RESOURCE_SHORTAGE,
                description: "too many channels".into(),
                language: String::new(),
            });
            return;
        };
        let open = Open {
            remote_id: o.sender_channel,
            send: SendWindow::new(o.initial_window, o.max_packet),
            receive: ReceiveWindow::new(self.config.initial_window, self.config.max_packet),
            pending_replies: 0,
            sent_eof: false,
            sent_close: false,
            peer_eof: false,
        };
        self.channels.insert(id, Channel::Open(open));
        self.queue(ChannelOpenConfirmation {
            recipient_channel: o.sender_channel,
            sender_channel: id,
            initial_window: self.config.initial_window,
            max_packet: self.config.max_packet,
            data: Vec::new(),
        });
        self.agent_channels.insert(id);
        self.emit(Event::PeerOpened { channel: id, kind: o.kind.name().to_owned() });
    }

    /// Queues an event for the application, or for the agent relay when
    /// it concerns a forwarded agent channel.
    fn emit(&mut self, event: Event) {
        let channel = match &event {
            Event::Data { channel, .. }
            | Event::ExtendedData { channel, .. }
            | Event::WindowAdjusted { channel, .. }
            | Event::Eof { channel }
            | Event::Closed { channel }
            | Event::Request { channel, .. }
            | Event::RequestReply { channel, .. }
            | Event::PeerOpened { channel, .. } => Some(*channel),
            _ => None,
        };
        match channel {
            Some(c) if self.agent_channels.contains(&c) => {
                if matches!(event, Event::Closed { .. }) {
                    self.agent_channels.remove(&c);
                }
                self.agent_events.push_back(event);
            }
            _ => self.events.push_back(event),
        }
    }

    fn receive_data(&mut self, number: MsgNumber, channel: u32, len: usize) -> Result<(), ChannelError> {
        let open = self.peer_open(number, channel)?;
        if open.peer_eof {
            return Err(ChannelError::AfterEnd { number: number.0, channel, after: "EOF" });
        }
        open.receive.receive(channel, len)?;
        if let Some(bytes_to_add) = open.receive.replenish() {
            let recipient_channel = open.remote_id;
            self.queue(ChannelWindowAdjust { recipient_channel, bytes_to_add });
        }
        Ok(())
    }

    fn request_reply(&mut self, number: MsgNumber, channel: u32, success: bool) -> Result<(), ChannelError> {
        let open = self.peer_open(number, channel)?;
        open.pending_replies =
            open.pending_replies.checked_sub(1).ok_or(ChannelError::UnsolicitedReply { channel: Some(channel) })?;
        self.events.push_back(Event::RequestReply { channel, success });
        Ok(())
    }

    fn global_reply(&mut self) -> Result<(), ChannelError> {
        self.pending_global =
            self.pending_global.checked_sub(1).ok_or(ChannelError::UnsolicitedReply { channel: None })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
