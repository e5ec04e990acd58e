//! A blocking SSH client over `std::net::TcpStream` (or any
//! [`ByteStream`], such as a [`ProxyCommand`]): connect, key exchange
//! (rekeys included), host key check, user authentication, and session
//! channels.
//!
//! Entry points: [`Client::connect`] (or [`Client::connect_stream`]) with
//! a [`ClientConfig`], then [`Session::exec`] (collects [`Output`]),
//! [`Session::exec_streaming`], or [`Session::start_session`] for shells
//! and pseudo-terminals driven event by event (`client/interactive.rs`).
//! User authentication (`none`, publickey, keyboard-interactive, password,
//! partial success) lives in `client/authenticate.rs`; the caller answers
//! the server's questions through a [`Prompter`].
//!
//! The protocol cores stay sans-I/O ([`Transport`], [`ClientKex`],
//! [`ClientAuth`](crate::auth::ClientAuth), [`Connection`]); this module only moves bytes between
//! them and the socket and waits for the messages each step needs.

mod agent_forward;
mod authenticate;
mod channel_stream;
mod host_check;
mod interactive;
mod keepalive;
mod prompter;
mod stream;

pub use authenticate::DEFAULT_AUTH_METHODS;
pub use channel_stream::ChannelStream;
pub use host_check::{KnownHostsVerifier, StrictHostKeyChecking, prefer_known};
pub use interactive::{ChannelOutcome, PtyRequest, SessionKind, SessionStart, StartedSession};
pub use prompter::Prompter;
pub use stream::{ByteStream, ProxyCommand, expand_proxy_command};

use crate::connection::{Connection, ConnectionConfig, Event as ChannelEvent};
use crate::keys::private::PrivateKey;
#[cfg(test)]
use crate::msg::MsgNumber;
use crate::msg::{ChannelRequestKind, Disconnect, DisconnectReason, GlobalRequestKind, Message, Password};
use crate::names;
use crate::transport::Role;
use crate::transport::client_kex::{ClientKex, HostKeyVerifier};
use crate::transport::kex::BufferedRandom;
use crate::transport::machine::{Event, RekeyLimits, Transport};
use crate::transport::negotiate::{Negotiated, Preferences};
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::{Duration, Instant};

/// Why a client operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The socket failed (or timed out).
    #[error("I/O: {0}")]
    Io(#[from] std::io::Error),
    /// The protocol failed (key exchange, host key, packets, channels).
    #[error(transparent)]
    Ssh(#[from] crate::Error),
    /// The server closed the TCP connection.
    #[error("the server closed the connection")]
    Closed,
    /// `ServerAliveCountMax` intervals of `ServerAliveInterval` passed
    /// without a packet from the server (OpenSSH's message).
    #[error("Timeout, server {0} not responding.")]
    Timeout(String),
    /// The server sent DISCONNECT.
    #[error("disconnected by the server: {0}")]
    Disconnected(String),
    /// No configured method was accepted.
    #[error("authentication failed (the server allows: {})", .0.join(","))]
    AuthFailed(Vec<String>),
    /// The password was right but has expired, and no new one was given
    /// ([`Prompter::new_password`]); holds the server's prompt.
    #[error("the server requires a password change: {0}")]
    PasswordChangeRequired(String),
    /// The [`Prompter`] declined to answer a keyboard-interactive round.
    #[error("authentication cancelled by the prompter")]
    AuthCancelled,
    /// The server refused a channel or a request.
    #[error("refused: {0}")]
    Refused(String),
}

impl From<crate::error::KexError> for ClientError {
    fn from(e: crate::error::KexError) -> Self {
        Self::Ssh(e.into())
    }
}

/// Algorithms the client offers, most preferred first (names this crate
/// implements; the registry lists more).
#[must_use]
pub fn default_preferences() -> Preferences {
    let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut prefs = Preferences::registry_defaults();
    prefs.kex = own(crate::transport::kex::SUPPORTED);
    prefs.host_key = own(&[
        names::SSH_ED25519_CERT,
        names::ECDSA_SHA2_NISTP256_CERT,
        names::ECDSA_SHA2_NISTP384_CERT,
        names::ECDSA_SHA2_NISTP521_CERT,
        names::RSA_SHA2_512_CERT,
        names::RSA_SHA2_256_CERT,
        names::SSH_ED25519,
        names::ECDSA_SHA2_NISTP256,
        names::ECDSA_SHA2_NISTP384,
        names::ECDSA_SHA2_NISTP521,
        names::RSA_SHA2_512,
        names::RSA_SHA2_256,
    ]);
    prefs.compression = compression_preferences(false);
    prefs
}

/// The compression methods the client offers for OpenSSH's
/// `Compression no|yes` (`-C`): `none` alone, or OpenSSH's client order
/// `zlib@openssh.com,zlib,none`.
///
/// Without the `zlib` Cargo feature there is no codec to run the zlib
/// methods, so `yes` offers `none` alone too: offering a method we could
/// not run would end the connection when the server picks it.
#[must_use]
pub fn compression_preferences(on: bool) -> Vec<String> {
    let wanted: &[&str] = if on { &[names::ZLIB_OPENSSH, names::ZLIB, names::NONE] } else { &[names::NONE] };
    wanted.iter().filter(|n| crate::transport::compress::supported(n)).map(|n| (*n).to_owned()).collect()
}

/// How to connect and log in.
#[derive(Debug)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The login name.
    pub user: String,
    /// Host name for `known_hosts` lookups (defaults to the address).
    pub host_name: Option<String>,
    /// Private keys to try, in order.
    pub identities: Vec<PrivateKey>,
    /// OpenSSH user certificates (`-cert.pub` files, `CertificateFile`):
    /// each one is offered just after the identity (file or agent key)
    /// it certifies, as OpenSSH does.
    pub certificates: Vec<crate::keys::cert::Certificate>,
    /// A password to try (once) when the server offers `password`;
    /// zeroized on drop, redacted in `Debug`.
    pub password: Option<Password>,
    /// Answers keyboard-interactive prompts and password change requests;
    /// keyboard-interactive is tried only when set.
    pub prompter: Option<Box<dyn Prompter>>,
    /// The methods to try after `none`, in order, each only while the
    /// server lists it (default [`DEFAULT_AUTH_METHODS`]).
    pub auth_methods: Vec<String>,
    /// The parsed `known_hosts`.
    pub known_hosts: crate::config::known_hosts::KnownHosts,
    /// Where `accept-new` records keys.
    pub known_hosts_file: Option<std::path::PathBuf>,
    /// The host key policy.
    pub strict_host_key_checking: StrictHostKeyChecking,
    /// Put first the host key algorithms `known_hosts` can vouch for on
    /// this host (certificate algorithms when a `@cert-authority` line
    /// covers it), as OpenSSH does unless `HostKeyAlgorithms` is set.
    /// Default true.
    pub order_host_keys: bool,
    /// Algorithm preferences (see [`default_preferences`]).
    pub preferences: Preferences,
    /// `Compression` (`-C`): when set, the compression list of
    /// [`Self::preferences`] is replaced by [`compression_preferences`]`(true)`
    /// at connect time; when clear, the list is used as it is (`none`
    /// by default). Off by default, as in OpenSSH.
    pub compression: bool,
    /// When to rekey.
    pub rekey_limits: RekeyLimits,
    /// Socket read/write timeout.
    pub timeout: Duration,
    /// An agent whose keys are offered before [`Self::identities`]
    /// (`SSH_AUTH_SOCK` / `IdentityAgent`).
    pub agent: Option<crate::agent::AgentClient>,
    /// `IdentitiesOnly`: offer only the agent keys that are also in
    /// [`Self::identities`].
    pub identities_only: bool,
    /// Agent forwarding (`ForwardAgent`): the local agent socket that
    /// the server's `auth-agent@openssh.com` channels are relayed to.
    /// When set, every session channel asks for forwarding.
    pub forward_agent: Option<std::path::PathBuf>,
    /// `ServerAliveInterval`: after this long without a packet from the
    /// server, send a `keepalive@openssh.com` request.
    pub server_alive_interval: Option<Duration>,
    /// `ConnectTimeout`: the limit on the TCP connect (else
    /// [`Self::timeout`]) and on each read until the login completes.
    pub connect_timeout: Option<Duration>,
    /// `ServerAliveCountMax`: how many intervals in a row may pass
    /// without a packet before the connection is given up.
    pub server_alive_count_max: u32,
}

impl ClientConfig {
    /// Defaults for `user`: no keys, an empty `known_hosts` with
    /// `StrictHostKeyChecking yes`, the default algorithms.
    #[must_use]
    pub fn new(user: &str) -> Self {
        Self {
            user: user.to_owned(),
            host_name: None,
            identities: Vec::new(),
            certificates: Vec::new(),
            password: None,
            prompter: None,
            auth_methods: DEFAULT_AUTH_METHODS.iter().map(|m| (*m).to_owned()).collect(),
            known_hosts: crate::config::known_hosts::KnownHosts::default(),
            known_hosts_file: None,
            strict_host_key_checking: StrictHostKeyChecking::Yes,
            order_host_keys: true,
            preferences: default_preferences(),
            compression: false,
            rekey_limits: RekeyLimits::default(),
            timeout: Duration::from_secs(30),
            agent: None,
            identities_only: false,
            forward_agent: None,
            server_alive_interval: None,
            server_alive_count_max: 3,
            connect_timeout: None,
        }
    }
}

/// What a command produced.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Its standard output.
    pub stdout: Vec<u8>,
    /// Its standard error (extended data type 1).
    pub stderr: Vec<u8>,
    /// Its exit status; `None` when it died by a signal or the server
    /// sent none.
    pub status: Option<u32>,
    /// The signal name when it died by one.
    pub signal: Option<String>,
}

/// The entry point.
#[derive(Debug, Clone, Copy)]
pub struct Client;

impl Client {
    /// Connects, exchanges keys, checks the host key and authenticates.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn connect(addr: impl ToSocketAddrs, config: ClientConfig) -> Result<Session, ClientError> {
        let addr = addr.to_socket_addrs()?.next().ok_or(ClientError::Refused("no address".into()))?;
        let stream = TcpStream::connect_timeout(&addr, config.connect_timeout.unwrap_or(config.timeout))?;
        // With keepalive, reads wake up each interval to probe the server.
        let read_timeout = config.server_alive_interval.map_or(config.timeout, |i| i.min(config.timeout));
        let read_timeout = read_timeout.max(Duration::from_millis(1));
        // ConnectTimeout also bounds each read until the login completes
        // (OpenSSH: the banner exchange); keepalive starts after it.
        let login_timeout = config.connect_timeout.unwrap_or(config.timeout);
        stream.set_read_timeout(Some(login_timeout.max(Duration::from_millis(1))))?;
        stream.set_write_timeout(Some(config.timeout))?;
        stream.set_nodelay(true)?;
        // A clone shares the socket: it resets the timeout after the login.
        let control = stream.try_clone()?;
        let host = config.host_name.clone().unwrap_or_else(|| addr.ip().to_string());
        let limited = config.connect_timeout.is_some();
        let session = Self::connect_stream(Box::new(stream), &host, addr.port(), config).map_err(|e| match e {
            ClientError::Io(io) if limited && is_timeout(&io) => ClientError::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "Connection timed out during login (ConnectTimeout)",
            )),
            other => other,
        })?;
        control.set_read_timeout(Some(read_timeout))?;
        Ok(session)
    }

    /// As [`Self::connect`] over an already connected [`ByteStream`]
    /// (a [`ProxyCommand`], for instance); `host` and `port` name the
    /// server for the `known_hosts` lookup.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn connect_stream(
        stream: Box<dyn ByteStream>,
        host: &str,
        port: u16,
        mut config: ClientConfig,
    ) -> Result<Session, ClientError> {
        let host = config.host_name.clone().unwrap_or_else(|| host.to_owned());
        let verifier = KnownHostsVerifier::new(
            config.known_hosts.clone(),
            &host,
            port,
            config.strict_host_key_checking,
            config.known_hosts_file.clone(),
        );
        let mut preferences = config.preferences.clone();
        if config.order_host_keys {
            preferences.host_key = host_check::prefer_known(&preferences.host_key, &config.known_hosts, &host, port);
        }
        if config.compression {
            preferences.compression = compression_preferences(true);
        }
        let mut transport = Transport::new(
            Role::Client,
            concat!("puressh_", env!("CARGO_PKG_VERSION")),
            preferences,
            Box::<BufferedRandom>::default(),
        )?;
        transport.set_rekey_limits(config.rekey_limits);
        let mut connection = Connection::new(ConnectionConfig::default());
        connection.accept_agent_channels(config.forward_agent.is_some());
        let mut session = Session {
            stream,
            transport,
            kex: ClientKex::new(),
            verifier: Box::new(verifier),
            connection,
            inbox: VecDeque::new(),
            server_sig_algs: None,
            pubkey_hostbound: false,
            read_buf: vec![0u8; 64 * 1024],
            authenticated: false,
            held_events: VecDeque::new(),
            agent_relay: config.forward_agent.clone().map(agent_forward::AgentRelay::new),
            keepalive: config
                .server_alive_interval
                .filter(|i| !i.is_zero())
                .map(|i| keepalive::Keepalive::new(i, config.server_alive_count_max, Instant::now())),
            host: host.clone(),
        };
        session.wait_for_keys()?;
        session.authenticate(&mut config)?;
        Ok(session)
    }
}

/// An authenticated connection.
pub struct Session {
    stream: Box<dyn ByteStream>,
    transport: Transport,
    kex: ClientKex,
    verifier: Box<dyn HostKeyVerifier + Send>,
    connection: Connection,
    /// Upper-layer messages not yet consumed.
    inbox: VecDeque<Message>,
    server_sig_algs: Option<Vec<String>>,
    /// The server announced `publickey-hostbound@openssh.com`: publickey
    /// signatures use the hostbound method (as OpenSSH's client does),
    /// binding them to this server's host key.
    pubkey_hostbound: bool,
    read_buf: Vec<u8>,
    authenticated: bool,
    /// Channel events that arrived while waiting for another one.
    held_events: VecDeque<ChannelEvent>,
    /// Forwarded agent channels, when agent forwarding is on.
    agent_relay: Option<agent_forward::AgentRelay>,
    /// `ServerAliveInterval` state, when set.
    keepalive: Option<keepalive::Keepalive>,
    /// The server's name, for messages.
    host: String,
}

impl core::fmt::Debug for Session {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Session").field("transport", &self.transport).field("kex", &self.kex).finish_non_exhaustive()
    }
}

impl Session {
    /// The algorithms of the latest key exchange.
    #[must_use]
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.transport.negotiated()
    }

    /// Completed key exchanges (1 + rekeys).
    #[must_use]
    pub const fn key_exchanges(&self) -> u32 {
        self.kex.exchanges()
    }

    /// The session identifier.
    #[must_use]
    pub fn session_id(&self) -> Option<&[u8]> {
        self.kex.session_id()
    }

    /// The server's host key blob.
    #[must_use]
    pub fn host_key(&self) -> Option<&[u8]> {
        self.kex.host_key()
    }

    /// The `server-sig-algs` the server announced (RFC 8308), if any.
    #[must_use]
    pub fn server_sig_algs(&self) -> Option<&[String]> {
        self.server_sig_algs.as_deref()
    }

    /// Whether the server took `publickey-hostbound@openssh.com`, so that
    /// publickey logins were signed with the hostbound method.
    #[must_use]
    pub fn publickey_hostbound(&self) -> bool {
        self.pubkey_hostbound
    }

    /// Sends pending output to the socket.
    fn flush(&mut self) -> Result<(), ClientError> {
        while let Some(payload) = self.connection.poll_output() {
            let message = Message::decode(&payload).map_err(crate::Error::from)?;
            self.transport.send(&message)?;
        }
        let out = self.transport.output_buf();
        if !out.is_empty() {
            self.stream.write_all(out)?;
            let n = out.len();
            self.transport.consume_output(n);
        }
        Ok(())
    }

    /// Reads once from the socket and processes every resulting event.
    fn pump(&mut self) -> Result<(), ClientError> {
        self.flush()?;
        // EINTR is not an error: a socket read with a timeout returns it
        // after any signal, even a stop/continue of the whole process.
        let n = loop {
            match self.stream.read(&mut self.read_buf) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // A read timeout is the keepalive's tick when it is on.
                Err(e) if self.keepalive.is_some() && self.authenticated && is_timeout(&e) => {
                    return self.handle_timeout(Instant::now());
                }
                other => break other?,
            }
        };
        if n == 0 {
            return Err(ClientError::Closed);
        }
        if let Some(keepalive) = &mut self.keepalive {
            keepalive.received(Instant::now());
        }
        let chunk = self.read_buf.get(..n).unwrap_or_default().to_vec();
        let mut rest = chunk.as_slice();
        while !rest.is_empty() {
            let used = self.transport.input(rest)?;
            self.process_events()?;
            if used == 0 {
                break;
            }
            rest = rest.get(used..).unwrap_or_default();
        }
        self.transport.handle_timeout(Instant::now())?;
        self.process_events()?;
        self.relay_agent()?;
        self.flush()
    }

    /// Hands the events of forwarded agent channels to the relay.
    fn relay_agent(&mut self) -> Result<(), ClientError> {
        if let Some(relay) = &mut self.agent_relay {
            while let Some(event) = self.connection.poll_agent_event() {
                relay.handle(&mut self.connection, event)?;
            }
        }
        Ok(())
    }

    /// When [`Self::handle_timeout`] next has work (a keepalive probe or
    /// the give-up); `None` without `ServerAliveInterval`. Event loops
    /// wait on [`Self::readable_fd`] no longer than this.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.keepalive.as_ref().map(keepalive::Keepalive::deadline)
    }

    /// Runs the keepalive at `now`: sends a `keepalive@openssh.com`
    /// request when an interval has passed without a packet.
    ///
    /// # Errors
    /// [`ClientError::Timeout`] once `ServerAliveCountMax` intervals in a
    /// row passed in silence (the caller should then drop the
    /// connection, as `ssh` exits); any error of sending.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), ClientError> {
        // Connection-layer requests only after authentication.
        let Some(keepalive) = self.keepalive.as_mut().filter(|_| self.authenticated) else { return Ok(()) };
        match keepalive.on_timeout(now) {
            keepalive::Verdict::Wait => Ok(()),
            keepalive::Verdict::GiveUp => Err(ClientError::Timeout(self.host.clone())),
            keepalive::Verdict::Probe => {
                let kind = GlobalRequestKind::Other { name: keepalive::KEEPALIVE_REQUEST.into(), data: Vec::new() };
                self.connection.global_request(kind, true)?;
                self.flush()
            }
        }
    }

    /// Asks for agent forwarding on a session channel, when it is on
    /// (OpenSSH sends the request without wanting a reply).
    fn request_agent_forwarding(&mut self, channel: u32) -> Result<(), ClientError> {
        if self.agent_relay.is_some() {
            let kind =
                ChannelRequestKind::Other { name: crate::connection::AGENT_FORWARD_REQUEST.into(), data: Vec::new() };
            self.connection.request(channel, kind, false)?;
        }
        Ok(())
    }

    fn process_events(&mut self) -> Result<(), ClientError> {
        while let Some(event) = self.transport.poll_event() {
            match event {
                Event::Negotiated { negotiated, ours, theirs } => {
                    self.kex.on_negotiated(&mut self.transport, *negotiated, ours, theirs)?;
                }
                Event::KexMessage(m) => {
                    self.kex.on_kex_message(&mut self.transport, &m, self.verifier.as_mut(), Instant::now())?;
                }
                Event::Disconnected(d) => return Err(ClientError::Disconnected(d.description)),
                Event::Message(Message::ExtInfo(info)) => {
                    self.server_sig_algs = info.server_sig_algs();
                    // OpenSSH's extension, version "0": signatures may name
                    // the host key they were made for.
                    self.pubkey_hostbound |= info.get("publickey-hostbound@openssh.com") == Some(&b"0"[..]);
                }
                Event::Message(Message::Debug(_) | Message::Unimplemented(_)) => {}
                Event::Message(m) if self.authenticated && (80..=127).contains(&m.number().0) => {
                    self.connection.handle(&m.to_bytes())?;
                }
                Event::Message(m) => self.inbox.push_back(m),
                _ => {}
            }
        }
        Ok(())
    }

    /// Runs until the first key exchange has completed in both directions.
    fn wait_for_keys(&mut self) -> Result<(), ClientError> {
        while self.kex.exchanges() == 0 || self.transport.in_kex() {
            self.pump()?;
        }
        Ok(())
    }

    /// The next upper-layer message.
    fn next_message(&mut self) -> Result<Message, ClientError> {
        loop {
            if let Some(m) = self.inbox.pop_front() {
                return Ok(m);
            }
            self.pump()?;
        }
    }

    fn authenticated(&mut self) -> Result<(), ClientError> {
        self.authenticated = true;
        if let Some(keepalive) = &mut self.keepalive {
            keepalive.received(Instant::now());
        }
        // Connection messages that came with the success go to the channel layer.
        let held: Vec<Message> = self.inbox.drain(..).collect();
        for m in held {
            if (80..=127).contains(&m.number().0) {
                self.connection.handle(&m.to_bytes())?;
            }
        }
        Ok(())
    }

    /// Starts a rekey now and waits until it completes. If a key exchange
    /// is already running (the byte or time limit, or the server, started
    /// one), waits for that one instead: it installs fresh keys just the
    /// same, and a second KEXINIT while it runs would break the protocol.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn rekey(&mut self) -> Result<(), ClientError> {
        let before = self.kex.exchanges();
        if !self.transport.in_kex() {
            self.transport.start_rekey()?;
        }
        while self.kex.exchanges() == before || self.transport.in_kex() {
            self.pump()?;
        }
        Ok(())
    }

    /// Runs `command` and collects its output and exit status.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn exec(&mut self, command: &str) -> Result<Output, ClientError> {
        let mut stdout = Vec::new();
        let mut stderr = Vec::new();
        let (status, signal) =
            self.exec_streaming(command.as_bytes(), |d| stdout.extend_from_slice(d), |d| stderr.extend_from_slice(d))?;
        Ok(Output { stdout, stderr, status, signal })
    }

    /// Runs `command`, handing stdout and stderr to the callbacks as they
    /// arrive; returns the exit status (or the signal's name).
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn exec_streaming(
        &mut self,
        command: &[u8],
        mut on_stdout: impl FnMut(&[u8]),
        mut on_stderr: impl FnMut(&[u8]),
    ) -> Result<(Option<u32>, Option<String>), ClientError> {
        let channel = self.connection.open_session()?;
        let (mut status, mut signal) = (None, None);
        loop {
            while let Some(event) = self.connection.poll_event() {
                match event {
                    ChannelEvent::Opened { channel: c } if c == channel => {
                        self.request_agent_forwarding(channel)?;
                        self.connection.request(
                            channel,
                            ChannelRequestKind::Exec { command: command.to_vec() },
                            true,
                        )?;
                    }
                    ChannelEvent::OpenFailed { channel: c, description, .. } if c == channel => {
                        return Err(ClientError::Refused(format!("session channel: {description}")));
                    }
                    ChannelEvent::RequestReply { channel: c, success: false } if c == channel => {
                        return Err(ClientError::Refused("exec".into()));
                    }
                    ChannelEvent::Data { channel: c, data } if c == channel => on_stdout(&data),
                    ChannelEvent::ExtendedData { channel: c, data_type: 1, data } if c == channel => on_stderr(&data),
                    ChannelEvent::Request { channel: c, kind } if c == channel => match kind {
                        ChannelRequestKind::ExitStatus { status: s } => status = Some(s),
                        ChannelRequestKind::ExitSignal { signal: s, .. } => signal = Some(s),
                        _ => {}
                    },
                    ChannelEvent::Eof { channel: c } if c == channel => {}
                    ChannelEvent::Closed { channel: c } if c == channel => {
                        self.flush()?;
                        return Ok((status, signal));
                    }
                    _ => {}
                }
            }
            self.pump()?;
        }
    }

    /// Sends DISCONNECT and closes the socket.
    ///
    /// # Errors
    /// [`ClientError::Io`] if the last write fails.
    pub fn disconnect(mut self) -> Result<(), ClientError> {
        let bye =
            Disconnect { reason: DisconnectReason::BY_APPLICATION, description: "bye".into(), language: String::new() };
        self.transport.send(&Message::Disconnect(bye))?;
        self.flush()?;
        self.stream.shutdown();
        Ok(())
    }
}

/// Whether a socket error is a read or write timeout.
fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut)
}

fn unexpected(m: &Message) -> ClientError {
    ClientError::Ssh(crate::error::AuthError::Unexpected { number: m.number().0 }.into())
}

#[cfg(test)]
mod tests;
