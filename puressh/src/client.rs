//! A blocking SSH client over `std::net::TcpStream`: connect, key
//! exchange (rekeys included), host key check, user authentication, and
//! `exec` on session channels.
//!
//! Entry points: [`Client::connect`] with a [`ClientConfig`], then
//! [`Session::exec`] (collects [`Output`]) or [`Session::exec_streaming`].
//!
//! The protocol cores stay sans-I/O ([`Transport`], [`ClientKex`],
//! [`ClientAuth`], [`Connection`]); this module only moves bytes between
//! them and the socket and waits for the messages each step needs.

mod host_check;

pub use host_check::{KnownHostsVerifier, StrictHostKeyChecking};

use crate::auth::{AuthEvent, ClientAuth};
use crate::connection::{Connection, ConnectionConfig, Event as ChannelEvent};
use crate::keys::private::PrivateKey;
#[cfg(test)]
use crate::msg::MsgNumber;
use crate::msg::{ChannelRequestKind, Disconnect, DisconnectReason, Message, ServiceRequest};
use crate::names;
use crate::transport::Role;
use crate::transport::client_kex::{ClientKex, HostKeyVerifier};
use crate::transport::kex::SystemRandom;
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
    /// The server sent DISCONNECT.
    #[error("disconnected by the server: {0}")]
    Disconnected(String),
    /// No configured method was accepted.
    #[error("authentication failed (the server allows: {})", .0.join(","))]
    AuthFailed(Vec<String>),
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
        names::SSH_ED25519,
        names::ECDSA_SHA2_NISTP256,
        names::ECDSA_SHA2_NISTP384,
        names::ECDSA_SHA2_NISTP521,
        names::RSA_SHA2_512,
        names::RSA_SHA2_256,
    ]);
    prefs.compression = own(&[names::NONE]);
    prefs
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
    /// A password to try when the server offers `password`.
    pub password: Option<String>,
    /// The parsed `known_hosts`.
    pub known_hosts: crate::config::known_hosts::KnownHosts,
    /// Where `accept-new` records keys.
    pub known_hosts_file: Option<std::path::PathBuf>,
    /// The host key policy.
    pub strict_host_key_checking: StrictHostKeyChecking,
    /// Algorithm preferences (see [`default_preferences`]).
    pub preferences: Preferences,
    /// When to rekey.
    pub rekey_limits: RekeyLimits,
    /// Socket read/write timeout.
    pub timeout: Duration,
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
            password: None,
            known_hosts: crate::config::known_hosts::KnownHosts::default(),
            known_hosts_file: None,
            strict_host_key_checking: StrictHostKeyChecking::Yes,
            preferences: default_preferences(),
            rekey_limits: RekeyLimits::default(),
            timeout: Duration::from_secs(30),
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
        let stream = TcpStream::connect_timeout(&addr, config.timeout)?;
        stream.set_read_timeout(Some(config.timeout))?;
        stream.set_write_timeout(Some(config.timeout))?;
        stream.set_nodelay(true)?;
        let host = config.host_name.clone().unwrap_or_else(|| addr.ip().to_string());
        let verifier = KnownHostsVerifier::new(
            config.known_hosts.clone(),
            &host,
            addr.port(),
            config.strict_host_key_checking,
            config.known_hosts_file.clone(),
        );
        let mut transport = Transport::new(
            Role::Client,
            concat!("puressh_", env!("CARGO_PKG_VERSION")),
            config.preferences.clone(),
            Box::new(SystemRandom),
        )?;
        transport.set_rekey_limits(config.rekey_limits);
        let mut session = Session {
            stream,
            transport,
            kex: ClientKex::new(),
            verifier: Box::new(verifier),
            connection: Connection::new(ConnectionConfig::default()),
            inbox: VecDeque::new(),
            server_sig_algs: None,
            read_buf: vec![0u8; 64 * 1024],
            authenticated: false,
        };
        session.wait_for_keys()?;
        session.authenticate(&config)?;
        Ok(session)
    }
}

/// An authenticated connection.
pub struct Session {
    stream: TcpStream,
    transport: Transport,
    kex: ClientKex,
    verifier: Box<dyn HostKeyVerifier + Send>,
    connection: Connection,
    /// Upper-layer messages not yet consumed.
    inbox: VecDeque<Message>,
    server_sig_algs: Option<Vec<String>>,
    read_buf: Vec<u8>,
    authenticated: bool,
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
                other => break other?,
            }
        };
        if n == 0 {
            return Err(ClientError::Closed);
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
        self.flush()
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
                Event::Message(Message::ExtInfo(info)) => self.server_sig_algs = info.server_sig_algs(),
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

    fn authenticate(&mut self, config: &ClientConfig) -> Result<(), ClientError> {
        self.transport.send(&Message::ServiceRequest(ServiceRequest { service: "ssh-userauth".into() }))?;
        self.flush()?;
        match self.next_message()? {
            Message::ServiceAccept(_) => {}
            other => return Err(unexpected(&other)),
        }
        let mut auth = ClientAuth::new(&config.user, "ssh-connection");
        let mut methods = match self.auth_step(&mut auth, ClientAuth::none)? {
            Step::Success => return self.authenticated(),
            Step::Failure(methods) => methods,
            Step::PublicKeyOk => return Err(ClientError::Refused("PK_OK to a none request".into())),
        };
        let session_id = self.kex.session_id().unwrap_or_default().to_vec();
        for key in &config.identities {
            let blob = key.public_key().to_blob();
            for algorithm in self.usable_algorithms(key) {
                if !methods.iter().any(|m| m == "publickey") {
                    break;
                }
                // Query first (RFC 4252 §7): sign only a key the server takes.
                match self.auth_step(&mut auth, |a| a.probe_public_key(algorithm, &blob))? {
                    Step::Success => return self.authenticated(),
                    Step::Failure(m) => {
                        methods = m;
                        continue;
                    }
                    Step::PublicKeyOk => {}
                }
                match self.auth_step(&mut auth, |a| a.signed_public_key(&session_id, algorithm, &blob, None, key))? {
                    Step::Success => return self.authenticated(),
                    Step::Failure(m) => methods = m,
                    Step::PublicKeyOk => return Err(ClientError::Refused("PK_OK to a signed request".into())),
                }
            }
        }
        if let Some(password) = &config.password {
            if methods.iter().any(|m| m == "password") {
                match self.auth_step(&mut auth, |a| a.password(password))? {
                    Step::Success => return self.authenticated(),
                    Step::Failure(m) => methods = m,
                    Step::PublicKeyOk => return Err(ClientError::Refused("PK_OK to a password request".into())),
                }
            }
        }
        Err(ClientError::AuthFailed(methods))
    }

    /// The key's signature algorithms the server accepts: with
    /// `server-sig-algs`, those it lists (RSA keys need it to use SHA-2
    /// safely); without, the key's preferred one.
    fn usable_algorithms(&self, key: &PrivateKey) -> Vec<&'static str> {
        match &self.server_sig_algs {
            Some(list) => key.algorithms().iter().copied().filter(|a| list.iter().any(|l| l == a)).collect(),
            None => key.algorithms().iter().copied().take(1).collect(),
        }
    }

    fn auth_step(
        &mut self,
        auth: &mut ClientAuth,
        request: impl FnOnce(&mut ClientAuth) -> Result<Message, crate::Error>,
    ) -> Result<Step, ClientError> {
        let message = request(auth)?;
        self.transport.send(&message)?;
        self.flush()?;
        loop {
            let reply = self.next_message()?;
            match auth.handle(&reply.to_bytes())? {
                AuthEvent::Success => return Ok(Step::Success),
                AuthEvent::Failure { methods, .. } => return Ok(Step::Failure(methods)),
                AuthEvent::PublicKeyOk { .. } => return Ok(Step::PublicKeyOk),
                AuthEvent::Banner(_) => {}
                _ => return Err(ClientError::Refused("keyboard-interactive is not supported".into())),
            }
        }
    }

    fn authenticated(&mut self) -> Result<(), ClientError> {
        self.authenticated = true;
        // Connection messages that came with the success go to the channel layer.
        let held: Vec<Message> = self.inbox.drain(..).collect();
        for m in held {
            if (80..=127).contains(&m.number().0) {
                self.connection.handle(&m.to_bytes())?;
            }
        }
        Ok(())
    }

    /// Starts a rekey now and waits until it completes.
    ///
    /// # Errors
    /// Any [`ClientError`].
    pub fn rekey(&mut self) -> Result<(), ClientError> {
        let before = self.kex.exchanges();
        self.transport.start_rekey()?;
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
        self.stream.shutdown(std::net::Shutdown::Both).or(Ok(()))
    }
}

/// One user-authentication round's outcome.
enum Step {
    Success,
    Failure(Vec<String>),
    PublicKeyOk,
}

fn unexpected(m: &Message) -> ClientError {
    ClientError::Ssh(crate::error::AuthError::Unexpected { number: m.number().0 }.into())
}

#[cfg(test)]
mod tests;
