//! The transport layer as one sans-I/O state machine: version exchange,
//! packet framing, KEXINIT exchange and negotiation, strict-KEX rules,
//! NEWKEYS and sequence-number resets, and holding back upper-layer
//! messages while a key exchange runs.
//!
//! Entry point: [`Transport`]. Feed received bytes to
//! [`Transport::input`], send [`Transport::output_buf`] and
//! [`Transport::consume_output`], act on [`Transport::poll_event`].
//!
//! The key-exchange method itself (curve25519, ML-KEM...) is not here:
//! after [`Event::Negotiated`] it receives [`Event::KexMessage`]s, sends
//! its messages with [`Transport::send`], installs derived keys with
//! [`Transport::set_incoming_keys`] and [`Transport::send_newkeys`].
//! Until purecrypto provides those methods the connection stops there.
//!
//! Compression (RFC 4253 §6.2, [`super::compress`]) is switched here, per
//! direction: `zlib` at each NEWKEYS, `zlib@openssh.com` once the server's
//! USERAUTH_SUCCESS has passed (received by a client, sent by a server)
//! and at each NEWKEYS after that. Every NEWKEYS starts a fresh zlib
//! stream in its direction, or stops compressing when the new exchange
//! chose `none`.

use super::Role;
use super::cipher::{PacketCipher, Random};
use super::compress::{self, Compressor, Decompressor, Start};
use super::kex_rules::{KexRules, Verdict};
use super::negotiate::{Negotiated, Preferences, negotiate, our_kexinit};
use super::packet::{DEFAULT_MAX_PACKET_LEN, PacketDecoder, PacketEncoder};
use super::version::{PeerVersion, VersionExchange, VersionLimits};
use crate::error::{Error, KexError, MisuseError};
use crate::msg::{Disconnect, KexInit, Message, MsgNumber, NewKeys};
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// When to renew keys (RFC 4253 §9 recommends once an hour or per
/// gigabyte; RFC 4344 §3 bounds packets per key). Crossing any limit in
/// either direction starts a rekey.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct RekeyLimits {
    /// Bytes sent or received (payloads) under one set of keys.
    pub bytes: u64,
    /// Packets sent or received under one set of keys.
    pub packets: u64,
    /// Time under one set of keys, counted from our NEWKEYS.
    pub interval: Duration,
}

impl Default for RekeyLimits {
    fn default() -> Self {
        Self { bytes: 1 << 30, packets: 1 << 31, interval: Duration::from_secs(3600) }
    }
}

/// Traffic since the last NEWKEYS, per direction: `(bytes, packets)`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Volume {
    sent: (u64, u64),
    received: (u64, u64),
}

impl Volume {
    fn over(&self, limits: &RekeyLimits) -> bool {
        let (sb, sp) = self.sent;
        let (rb, rp) = self.received;
        sb.max(rb) >= limits.bytes || sp.max(rp) >= limits.packets
    }
}

/// What the transport reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The peer's identification string arrived.
    PeerVersion(PeerVersion),
    /// Both KEXINITs are known: the KEX method named here takes over.
    Negotiated {
        /// The choice.
        negotiated: Box<Negotiated>,
        /// Our KEXINIT payload (`I_C` or `I_S` of the exchange hash).
        ours: Vec<u8>,
        /// The peer's KEXINIT payload.
        theirs: Vec<u8>,
    },
    /// A KEX-method message (numbers 30-49) for the method in progress.
    KexMessage(Message),
    /// The peer's NEWKEYS: its keys are now in use for what it sends.
    NewKeysReceived,
    /// The peer disconnected.
    Disconnected(Disconnect),
    /// A message for the layers above (service, user auth, connection,
    /// EXT_INFO, DEBUG, UNIMPLEMENTED).
    Message(Message),
}

/// Where the exchange stands, as seen by the sending side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sending {
    /// Our KEXINIT is out; upper-layer messages wait.
    InKex,
    /// Keys in use; everything may be sent.
    Established,
}

/// One SSH connection's transport layer.
pub struct Transport {
    role: Role,
    version: VersionExchange,
    decoder: PacketDecoder,
    encoder: PacketEncoder,
    rules: KexRules,
    prefs: Preferences,
    random: Box<dyn Random + Send>,
    sending: Sending,
    our_kexinit: Option<Vec<u8>>,
    negotiated: Option<Negotiated>,
    ignore_next_kex: bool,
    incoming_keys: Option<Box<dyn PacketCipher>>,
    /// Upper-layer payloads held back during a key exchange.
    deferred: VecDeque<Vec<u8>>,
    limits: RekeyLimits,
    volume: Volume,
    /// When our current outgoing keys were installed.
    keys_since: Option<Instant>,
    output: Vec<u8>,
    events: VecDeque<Event>,
    poisoned: Option<Error>,
    /// The server's USERAUTH_SUCCESS has passed (delayed compression).
    authenticated: bool,
    /// Compression methods in effect (since the latest NEWKEYS of each
    /// direction): `(outgoing, incoming)`.
    compression: (String, String),
}

impl core::fmt::Debug for Transport {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Transport")
            .field("role", &self.role)
            .field("sending", &self.sending)
            .field("negotiated", &self.negotiated)
            .finish_non_exhaustive()
    }
}

impl Transport {
    /// Starts a connection: our identification line and our first
    /// KEXINIT (with the ext-info and strict-KEX markers) are queued at
    /// once, as RFC 4253 allows.
    ///
    /// # Errors
    /// [`MisuseError`] for an invalid software name.
    pub fn new(
        role: Role,
        software: &str,
        prefs: Preferences,
        mut random: Box<dyn Random + Send>,
    ) -> Result<Self, Error> {
        let version = VersionExchange::new(role, software, None, VersionLimits::default())?;
        let mut output = version.output().to_vec();
        let kexinit = Message::KexInit(our_kexinit(role, &prefs, true, random.as_mut())).to_bytes();
        let mut encoder = PacketEncoder::new(DEFAULT_MAX_PACKET_LEN);
        encoder.encode(&kexinit, random.as_mut(), &mut output)?;
        Ok(Self {
            role,
            version,
            decoder: PacketDecoder::new(DEFAULT_MAX_PACKET_LEN),
            encoder,
            rules: KexRules::new(),
            prefs,
            random,
            sending: Sending::InKex,
            our_kexinit: Some(kexinit),
            negotiated: None,
            ignore_next_kex: false,
            incoming_keys: None,
            deferred: VecDeque::new(),
            limits: RekeyLimits::default(),
            volume: Volume::default(),
            keys_since: None,
            output,
            events: VecDeque::new(),
            poisoned: None,
            authenticated: false,
            compression: (crate::names::NONE.to_owned(), crate::names::NONE.to_owned()),
        })
    }

    /// Replaces the rekey limits.
    pub fn set_rekey_limits(&mut self, limits: RekeyLimits) {
        self.limits = limits;
    }

    /// When [`Self::handle_timeout`] should be called next (the time-based
    /// rekey), if keys are in use.
    #[must_use]
    pub fn poll_timeout(&self) -> Option<Instant> {
        match self.sending {
            Sending::Established => self.keys_since.and_then(|t| t.checked_add(self.limits.interval)),
            Sending::InKex => None,
        }
    }

    /// Passes the time in: starts a rekey once the keys are older than
    /// the interval.
    ///
    /// # Errors
    /// The poisoning error, or a packet error while sending KEXINIT.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), Error> {
        if let Some(e) = &self.poisoned {
            return Err(e.clone());
        }
        if self.poll_timeout().is_some_and(|due| now >= due) {
            self.start_rekey()?;
        }
        Ok(())
    }

    /// Starts a rekey when the traffic limits are crossed.
    fn check_volume(&mut self) -> Result<(), Error> {
        if self.sending == Sending::Established && self.volume.over(&self.limits) {
            self.start_rekey()?;
        }
        Ok(())
    }

    /// Our identification line (without CR LF), for the exchange hash.
    #[must_use]
    pub fn our_version(&self) -> &str {
        self.version.ours()
    }

    /// The peer's identification line, once received (`V_S` / `V_C`).
    #[must_use]
    pub fn peer_version(&self) -> Option<&PeerVersion> {
        self.version.peer()
    }

    /// Whether a key exchange is running (ours or the peer's).
    #[must_use]
    pub fn in_kex(&self) -> bool {
        self.sending == Sending::InKex
    }

    /// Bytes to send.
    #[must_use]
    pub fn output_buf(&self) -> &[u8] {
        &self.output
    }

    /// Marks `n` bytes of [`Self::output_buf`] as sent.
    pub fn consume_output(&mut self, n: usize) {
        self.output.drain(..n.min(self.output.len()));
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Whether payloads are compressed now: `(outgoing, incoming)`.
    #[must_use]
    pub const fn compressing(&self) -> (bool, bool) {
        (self.encoder.compressing(), self.decoder.decompressing())
    }

    /// The latest exchange's compression methods: `(for what we send,
    /// for what the peer sends)`.
    fn negotiated_compression(&self) -> (&str, &str) {
        match (&self.negotiated, self.role) {
            (Some(n), Role::Client) => (&n.compression_c2s, &n.compression_s2c),
            (Some(n), Role::Server) => (&n.compression_s2c, &n.compression_c2s),
            (None, _) => (crate::names::NONE, crate::names::NONE),
        }
    }

    /// Whether `name` compresses from now on, given where the
    /// connection stands.
    fn starts_now(name: &str, authenticated: bool) -> bool {
        match compress::start_of(name) {
            Some(Start::AtNewKeys) => true,
            Some(Start::AfterAuth) => authenticated,
            _ => false,
        }
    }

    /// The server's USERAUTH_SUCCESS passed: delayed compression starts
    /// in each direction whose method waits for it.
    fn auth_succeeded(&mut self) {
        if core::mem::replace(&mut self.authenticated, true) {
            return;
        }
        let (out, inc) = &self.compression;
        if !self.encoder.compressing() && Self::starts_now(out, true) {
            self.encoder.set_compression(Compressor::new());
        }
        if !self.decoder.decompressing() && Self::starts_now(inc, true) {
            self.decoder.set_decompression(Decompressor::new());
        }
    }

    /// The negotiation result of the latest key exchange.
    #[must_use]
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.negotiated.as_ref()
    }

    fn fail(&mut self, e: Error) -> Error {
        self.poisoned = Some(e.clone());
        e
    }

    /// Feeds received bytes; returns how many were consumed: all of
    /// them, except that input stops after a packet that produced an
    /// [`Event::KexMessage`], so the KEX method can install its keys
    /// before the NEWKEYS behind it. Feed the rest after handling the
    /// events.
    ///
    /// # Errors
    /// Any [`Error`] from the layers below; the first poisons the
    /// transport and should be sent as a DISCONNECT
    /// ([`Error::disconnect_reason`]).
    pub fn input(&mut self, bytes: &[u8]) -> Result<usize, Error> {
        if let Some(e) = &self.poisoned {
            return Err(e.clone());
        }
        let mut used = 0;
        while used < bytes.len() {
            let rest = bytes.get(used..).unwrap_or_default();
            let step = if self.version.peer().is_none() {
                let n = self.version.input(rest).map_err(|e| self.fail(e))?;
                if let Some(peer) = self.version.peer() {
                    self.events.push_back(Event::PeerVersion(peer.clone()));
                }
                n
            } else {
                let n = self.decoder.input(rest).map_err(|e| self.fail(e))?;
                if let Some(packet) = self.decoder.take_packet() {
                    let (bytes, packets) = &mut self.volume.received;
                    *bytes = bytes.saturating_add(packet.payload.len() as u64);
                    *packets = packets.saturating_add(1);
                    self.packet(packet.sequence, &packet.payload).map_err(|e| self.fail(e))?;
                    self.check_volume().map_err(|e| self.fail(e))?;
                    if matches!(self.events.back(), Some(Event::KexMessage(_))) {
                        // The KEX method must answer (and install the
                        // incoming keys) before NEWKEYS, which may follow
                        // in the same bytes, is processed.
                        used += n;
                        break;
                    }
                }
                n
            };
            used += step;
        }
        Ok(used)
    }

    fn packet(&mut self, sequence: u32, payload: &[u8]) -> Result<(), Error> {
        // An empty payload has no message number.
        let number = MsgNumber(crate::wire::Reader::new(payload).byte()?);
        let verdict = self.rules.on_receive(number, sequence)?;
        if verdict != Verdict::Accept {
            // NEWKEYS: switch the incoming direction.
            let keys = self.incoming_keys.take().ok_or(KexError::Unexpected { number: number.0 })?;
            self.decoder.set_cipher(keys);
            let name = self.negotiated_compression().1.to_owned();
            let on = Self::starts_now(&name, self.authenticated);
            self.decoder.set_decompression(if on { Decompressor::new() } else { None });
            self.compression.1 = name;
            self.volume.received = (0, 0);
            if let Verdict::NewKeys { reset_sequence: true } = verdict {
                self.decoder.reset_sequence();
            }
            self.events.push_back(Event::NewKeysReceived);
            return Ok(());
        }
        let message = Message::decode(payload)?;
        if self.role == Role::Client && number == MsgNumber::USERAUTH_SUCCESS {
            // This packet was not compressed; the next ones may be.
            self.auth_succeeded();
        }
        match message {
            Message::KexInit(theirs) => self.peer_kexinit(theirs, payload),
            Message::Disconnect(d) => {
                self.events.push_back(Event::Disconnected(d));
                Ok(())
            }
            Message::Ignore(_) => Ok(()),
            m if number.is_kex() => {
                if core::mem::take(&mut self.ignore_next_kex) {
                    return Ok(());
                }
                self.events.push_back(Event::KexMessage(m));
                Ok(())
            }
            m => {
                self.events.push_back(Event::Message(m));
                Ok(())
            }
        }
    }

    fn peer_kexinit(&mut self, theirs: KexInit, payload: &[u8]) -> Result<(), Error> {
        let ours = match self.our_kexinit.clone() {
            Some(ours) => ours,
            None => {
                // The peer starts a rekey: answer with our KEXINIT (no markers now).
                let kexinit = Message::KexInit(our_kexinit(self.role, &self.prefs, false, self.random.as_mut()));
                let bytes = kexinit.to_bytes();
                self.encoder.encode(&bytes, self.random.as_mut(), &mut self.output)?;
                self.sending = Sending::InKex;
                self.our_kexinit = Some(bytes.clone());
                bytes
            }
        };
        let our_msg = match Message::decode(&ours)? {
            Message::KexInit(k) => k,
            _ => return Err(MisuseError::WrongState("our KEXINIT").into()),
        };
        let (client, server) = match self.role {
            Role::Client => (&our_msg, &theirs),
            Role::Server => (&theirs, &our_msg),
        };
        let mut negotiated = negotiate(client, server)?;
        for name in [&negotiated.compression_c2s, &negotiated.compression_s2c] {
            if !compress::supported(name) {
                return Err(KexError::Unsupported { name: name.clone() }.into());
            }
        }
        // Strictness is fixed by the initial exchange.
        self.rules.negotiated(negotiated.strict)?;
        negotiated.strict = self.rules.strict().unwrap_or(false);
        self.ignore_next_kex = negotiated.ignore_peer_guess(self.role);
        self.negotiated = Some(negotiated.clone());
        self.events.push_back(Event::Negotiated { negotiated: Box::new(negotiated), ours, theirs: payload.to_vec() });
        Ok(())
    }

    /// Sends a message. During a key exchange only transport-generic and
    /// KEX messages go out at once; others wait until our NEWKEYS.
    ///
    /// # Errors
    /// The poisoning error; packet errors (payload too long).
    pub fn send(&mut self, message: &Message) -> Result<(), Error> {
        if let Some(e) = &self.poisoned {
            return Err(e.clone());
        }
        let number = message.number();
        let payload = message.to_bytes();
        let generic = matches!(number.0, 1..=4);
        if self.sending == Sending::InKex && !generic && !number.is_kex() {
            self.deferred.push_back(payload);
            return Ok(());
        }
        if number == MsgNumber::KEXINIT || number == MsgNumber::NEWKEYS {
            return Err(MisuseError::WrongState("KEXINIT and NEWKEYS are sent by the transport").into());
        }
        self.send_payload(&payload)?;
        self.check_volume()
    }

    /// Encodes one upper-layer payload and counts it; a server's
    /// USERAUTH_SUCCESS starts delayed compression after it.
    fn send_payload(&mut self, payload: &[u8]) -> Result<(), Error> {
        self.encoder.encode(payload, self.random.as_mut(), &mut self.output)?;
        let (bytes, packets) = &mut self.volume.sent;
        *bytes = bytes.saturating_add(payload.len() as u64);
        *packets = packets.saturating_add(1);
        if self.role == Role::Server && payload.first() == Some(&MsgNumber::USERAUTH_SUCCESS.0) {
            self.auth_succeeded();
        }
        Ok(())
    }

    /// Keys for what the peer sends after its NEWKEYS: install them
    /// before that NEWKEYS arrives (the KEX method derives them first).
    pub fn set_incoming_keys(&mut self, cipher: Box<dyn PacketCipher>) {
        self.incoming_keys = Some(cipher);
    }

    /// Sends NEWKEYS, switches our outgoing keys to `cipher` (resetting
    /// the sequence number under strict KEX) and releases the messages
    /// held back during the exchange. `now` starts the time-based rekey
    /// clock.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] outside a key exchange.
    pub fn send_newkeys(&mut self, cipher: Box<dyn PacketCipher>, now: Instant) -> Result<(), Error> {
        if self.sending != Sending::InKex || self.negotiated.is_none() {
            return Err(MisuseError::WrongState("NEWKEYS outside a key exchange").into());
        }
        let newkeys = Message::NewKeys(NewKeys).to_bytes();
        self.encoder.encode(&newkeys, self.random.as_mut(), &mut self.output)?;
        self.encoder.set_cipher(cipher);
        let name = self.negotiated_compression().0.to_owned();
        let on = Self::starts_now(&name, self.authenticated);
        self.encoder.set_compression(if on { Compressor::new() } else { None });
        self.compression.0 = name;
        if self.rules.strict() == Some(true) {
            self.encoder.reset_sequence();
        }
        self.sending = Sending::Established;
        self.our_kexinit = None;
        self.keys_since = Some(now);
        self.volume.sent = (0, 0);
        while let Some(payload) = self.deferred.pop_front() {
            self.send_payload(&payload)?;
        }
        Ok(())
    }

    /// Starts a rekey by sending a new KEXINIT.
    ///
    /// # Errors
    /// [`MisuseError::WrongState`] while a key exchange runs.
    pub fn start_rekey(&mut self) -> Result<(), Error> {
        if self.sending == Sending::InKex {
            return Err(MisuseError::WrongState("a key exchange is already running").into());
        }
        let kexinit = Message::KexInit(our_kexinit(self.role, &self.prefs, false, self.random.as_mut())).to_bytes();
        self.encoder.encode(&kexinit, self.random.as_mut(), &mut self.output)?;
        self.our_kexinit = Some(kexinit);
        self.sending = Sending::InKex;
        Ok(())
    }
}

#[cfg(test)]
mod tests;
