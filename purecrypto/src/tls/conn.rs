//! The sans-I/O connection: bytes in ([`Connection::read_tls`]), bytes
//! out ([`Connection::write_tls`] / [`Connection::output`]), events
//! ([`Connection::poll_event`]), plaintext in and out. No sockets, no
//! clock (the caller passes time with [`Connection::set_now`]).
//!
//! The record processing, alerts, KeyUpdate and application data live
//! here in [`Core`]; the client and server handshake state machines
//! (`client.rs`, `server.rs`) only see whole handshake messages.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::alert::{AlertDescription, AlertLevel};
use super::client::ClientHs;
use super::config::{ClientConfig, ServerConfig};
use super::early_data::EarlyData;
use super::error::Error;
use super::key_schedule::{Secret, next_traffic_secret};
use super::message_log::{self, MessageDirection, MessageEvent, MessageKind};
use super::msgs::{self, HandshakeType};
use super::record::{ContentType, HEADER_LEN, MAX_PLAINTEXT, RecordCipher, parse_header, write_header};
use super::server::ServerHs;
use super::suites::{CipherSuite, NamedGroup, ProtocolVersion};
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// Something the application should know about; drain with
/// [`Connection::poll_event`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// The handshake finished; application data flows both ways.
    HandshakeComplete,
    /// Plaintext is waiting in [`Connection::read_plaintext`].
    ApplicationData,
    /// The peer sent a non-fatal alert other than `close_notify`.
    AlertReceived(AlertDescription),
    /// The peer sent `close_notify`: nothing more will arrive.
    Closed,
    /// Server: the client finished answering
    /// [`Connection::request_client_certificate`]. With `authenticated`
    /// it sent a certificate the verifier accepted and proved its key,
    /// and [`Connection::peer_certificates`] now holds that chain;
    /// without, it sent none (and the verifier allows that), the peer
    /// certificates staying as they were.
    PostHandshakeAuth {
        /// Whether the client sent (and proved) a certificate.
        authenticated: bool,
    },
    /// Server: 0-RTT early data is waiting in
    /// [`Connection::read_early_data`]. It may be a replay (within the
    /// anti-replay store's limits) and is not forward secret: act only
    /// on requests that are safe to repeat.
    EarlyData,
    /// Client: the server refused the 0-RTT early data written with
    /// [`Connection::write_early_data`] (or, after a HelloRetryRequest
    /// or with TLS 1.2, could not take it). None of it arrived; write it
    /// again with [`Connection::write_plaintext`] if it still matters.
    EarlyDataRejected,
}

/// Upper bound on received plaintext held for the application; past it
/// `read_tls` stops consuming input (back-pressure) until the application
/// reads.
const MAX_BUFFERED_PLAINTEXT: usize = 1 << 18;
/// Upper bound on plaintext queued before the handshake completes.
const MAX_EARLY_PLAINTEXT: usize = 1 << 18;
/// Control messages (KeyUpdate, post-handshake CertificateRequest, TLS
/// 1.2 renegotiation requests, warning alerts) accepted in a row with no
/// application data between them; the next is `unexpected_message`.
/// Each can make us send something back, so without a bound a peer that
/// never reads could grow our output without end (BoringSSL and rustls
/// allow 32 KeyUpdate requests in a row).
pub(crate) const MAX_CONTROL_RUN: u32 = 32;

/// A test's rewrite of each handshake message sent.
#[cfg(test)]
type TamperHandshake = dyn FnMut(Vec<u8>) -> Vec<u8> + Send;

/// The application traffic secrets, kept for KeyUpdate.
pub(crate) struct AppSecrets {
    pub(crate) suite: CipherSuite,
    pub(crate) hash: HashAlgorithm,
    pub(crate) read: Secret,
    pub(crate) write: Secret,
}

/// A client's resumption master secret, turning each NewSessionTicket
/// into a stored [`Tls13Session`](super::session::Tls13Session).
pub(crate) struct Resumption {
    pub(crate) store: Arc<dyn super::session::ClientSessionStore>,
    pub(crate) server_name: alloc::string::String,
    pub(crate) suite: CipherSuite,
    pub(crate) secret: Secret,
}

/// What the handshake negotiated, for the application to inspect.
#[derive(Clone, Debug, Default)]
pub(crate) struct Negotiated {
    pub(crate) version: Option<ProtocolVersion>,
    pub(crate) suite: Option<CipherSuite>,
    pub(crate) group: Option<NamedGroup>,
    pub(crate) alpn: Option<Vec<u8>>,
    pub(crate) peer_chain: Vec<Vec<u8>>,
    pub(crate) retried: bool,
    pub(crate) server_name: Option<Vec<u8>>,
    /// A client sent a certificate and CertificateVerify.
    pub(crate) client_auth_sent: bool,
    /// The handshake resumed with a ticket's PSK.
    pub(crate) resumed: bool,
    /// Client: the OCSP response the server stapled (DER).
    pub(crate) ocsp_response: Option<Vec<u8>>,
    /// The peer's Certificate arrived as a CompressedCertificate with
    /// this algorithm (RFC 8879).
    pub(crate) cert_compression_received: Option<super::CertificateCompressionAlgorithm>,
    /// We sent our Certificate compressed with this algorithm.
    pub(crate) cert_compression_sent: Option<super::CertificateCompressionAlgorithm>,
    /// The peer authenticated with this raw public key (DER SPKI, RFC
    /// 7250) instead of a chain; `peer_chain` is then empty.
    pub(crate) peer_raw_key: Option<Vec<u8>>,
    /// What the client authenticates with, as EncryptedExtensions
    /// settled it (`None`: not settled, which means X.509).
    pub(crate) client_cert_type: Option<super::CertificateType>,
    /// The server accepted 0-RTT early data.
    pub(crate) early_data_accepted: bool,
}

/// Record-level state shared by both sides.
pub(crate) struct Core {
    rng: Box<dyn CryptoRng + Send>,
    incoming: Vec<u8>,
    hs_buf: Vec<u8>,
    outgoing: Vec<u8>,
    app_in: VecDeque<u8>,
    early_app_out: Vec<u8>,
    /// Server: accepted 0-RTT data, kept apart from `app_in`.
    early_in: VecDeque<u8>,
    /// What the connection does with 0-RTT data now.
    pub(crate) early: EarlyData,
    events: VecDeque<Event>,
    read: Option<RecordCipher>,
    write: Option<RecordCipher>,
    /// TLS 1.2: the read keys a ChangeCipherSpec will switch to.
    pending_read: Option<RecordCipher>,
    /// TLS 1.2: the peer's ChangeCipherSpec arrived.
    pub(crate) ccs_received: bool,
    /// TLS 1.3 middlebox compatibility (RFC 8446 appendix D.4): a dummy
    /// `change_cipher_spec` goes out, in plaintext, ahead of the next
    /// handshake or application record we send. Set by the state
    /// machines right after the message it must follow.
    pub(crate) compat_ccs_pending: bool,
    pub(crate) read_key_changed: bool,
    /// Largest fragment sent: `max_fragment_len`, lowered by the peer's
    /// `record_size_limit` once agreed.
    max_fragment: usize,
    /// TLS 1.3: largest inner plaintext sent (fragment + content type +
    /// padding), 2^14 + 1 or the peer's `record_size_limit`.
    max_inner: usize,
    /// Our `record_size_limit` once agreed (RFC 8449): protected records
    /// received carry at most this much (TLS 1.3: inner) plaintext.
    own_record_limit: Option<usize>,
    padding_block: usize,
    pub(crate) handshake_done: bool,
    pub(crate) is_client: bool,
    peer_closed: bool,
    sent_close: bool,
    error: Option<Error>,
    pub(crate) now_unix: u64,
    pub(crate) app_secrets: Option<AppSecrets>,
    /// Set by the handshake once the keys to export from exist.
    pub(crate) exporter: Option<super::exporter::Exporter>,
    pub(crate) negotiated: Negotiated,
    pub(crate) tickets_received: usize,
    /// Client: set after the handshake when tickets are to be stored.
    pub(crate) resumption: Option<Resumption>,
    key_log: Option<Arc<dyn super::keylog::KeyLog>>,
    /// The message log, `None` when off (the default).
    message_log: Option<Vec<MessageEvent>>,
    /// The newest version this side enables: the logged version until
    /// one is negotiated.
    max_version: ProtocolVersion,
    /// The ClientHello random, naming the connection in key log lines.
    pub(crate) client_random: [u8; 32],
    /// TLS 1.3, set when the handshake completes if the client offered
    /// `post_handshake_auth`.
    pub(crate) pha: Option<super::pha::PostHandshakeAuth>,
    /// Control messages received since the last application data:
    /// `control_run <= MAX_CONTROL_RUN` but on the error that poisons
    /// the connection.
    control_run: u32,
    /// Test-only fault injection: flip a bit of the next Finished sent.
    #[cfg(test)]
    pub(crate) corrupt_finished: bool,
    /// Test-only fault injection: rewrites the (Compressed)Certificate
    /// message this side sends, before it is hashed and sent.
    #[cfg(test)]
    pub(crate) tamper_certificate: Option<fn(Vec<u8>) -> Vec<u8>>,
    /// Test-only fault injection: rewrites every handshake message this
    /// side sends, after the state machine hashed it (empty: dropped).
    #[cfg(test)]
    tamper_handshake: Option<Box<TamperHandshake>>,
}

impl Core {
    fn new(rng: Box<dyn CryptoRng + Send>, is_client: bool, max_fragment: usize, padding_block: usize) -> Self {
        Self {
            rng,
            incoming: Vec::new(),
            hs_buf: Vec::new(),
            outgoing: Vec::new(),
            app_in: VecDeque::new(),
            early_app_out: Vec::new(),
            early_in: VecDeque::new(),
            early: EarlyData::None,
            events: VecDeque::new(),
            read: None,
            write: None,
            pending_read: None,
            ccs_received: false,
            compat_ccs_pending: false,
            read_key_changed: false,
            max_fragment,
            max_inner: MAX_PLAINTEXT + 1,
            own_record_limit: None,
            padding_block,
            handshake_done: false,
            is_client,
            peer_closed: false,
            sent_close: false,
            error: None,
            now_unix: 0,
            app_secrets: None,
            exporter: None,
            negotiated: Negotiated::default(),
            tickets_received: 0,
            resumption: None,
            key_log: None,
            message_log: None,
            max_version: ProtocolVersion::Tls13,
            client_random: [0; 32],
            pha: None,
            control_run: 0,
            #[cfg(test)]
            corrupt_finished: false,
            #[cfg(test)]
            tamper_certificate: None,
            #[cfg(test)]
            tamper_handshake: None,
        }
    }

    /// The Finished verify_data to send, corrupted when a test asked.
    pub(crate) fn outgoing_finished(&mut self, verify_data: Vec<u8>) -> Vec<u8> {
        #[cfg(test)]
        let verify_data = {
            let mut v = verify_data;
            if core::mem::take(&mut self.corrupt_finished)
                && let Some(b) = v.first_mut()
            {
                *b ^= 1;
            }
            v
        };
        verify_data
    }

    /// Our Certificate message, sent as a CompressedCertificate with the
    /// first of `ours` the peer listed in `peer` (RFC 8879), whole
    /// messages with their headers; a server passes its config's `cache`.
    /// Tests may rewrite it.
    pub(crate) fn outgoing_certificate(
        &mut self,
        certificate: Vec<u8>,
        ours: &[super::CertificateCompressionAlgorithm],
        peer: &[super::CertificateCompressionAlgorithm],
        cache: Option<&super::cert_compression::Cache>,
    ) -> Result<Vec<u8>, Error> {
        let message = match super::cert_compression::choose(ours, peer) {
            Some(alg) => {
                let body = match cache {
                    Some(cache) => cache.compress(alg, msgs::body(&certificate))?,
                    None => super::cert_compression::compress(alg, msgs::body(&certificate))?,
                };
                self.negotiated.cert_compression_sent = Some(alg);
                msgs::frame(HandshakeType::CompressedCertificate, |o| o.extend_from_slice(&body))
            }
            None => certificate,
        };
        #[cfg(test)]
        let message = match self.tamper_certificate {
            Some(f) => f(message),
            None => message,
        };
        Ok(message)
    }

    /// Hands `secret` to the configured key log, if any.
    pub(crate) fn log_secret(&self, label: &str, secret: &[u8]) {
        if let Some(log) = &self.key_log {
            log.log(label, &self.client_random, secret);
        }
    }

    /// Logs one message (or, for handshake data, each whole message in
    /// `data`) when the message log is on.
    fn log_message(&mut self, direction: MessageDirection, typ: ContentType, data: &[u8]) {
        let version = self.negotiated.version.unwrap_or(self.max_version);
        let Some(log) = &mut self.message_log else {
            return;
        };
        let kind = match (typ, data) {
            (ContentType::Handshake, _) => return message_log::push_handshake(log, direction, version, data),
            (ContentType::ChangeCipherSpec, _) => MessageKind::ChangeCipherSpec,
            (ContentType::Alert, &[level, description]) => {
                MessageKind::Alert { level, description: AlertDescription(description) }
            }
            _ => return,
        };
        log.push(MessageEvent { direction, kind, version, len: data.len() });
    }

    /// Queues `event` for [`Connection::poll_event`].
    pub(crate) fn push_event(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Whether we sent `close_notify`.
    pub(crate) fn sent_close(&self) -> bool {
        self.sent_close
    }

    /// The generator, as something the primitives accept.
    pub(crate) fn rng(&mut self) -> &mut (dyn CryptoRng + Send) {
        &mut *self.rng
    }

    pub(crate) fn random32(&mut self) -> Result<[u8; 32], Error> {
        let mut r = [0u8; 32];
        self.rng.try_fill_bytes(&mut r)?;
        Ok(r)
    }

    pub(crate) fn set_read(&mut self, cipher: RecordCipher) {
        self.read = Some(cipher);
        self.read_key_changed = true;
    }

    pub(crate) fn set_write(&mut self, cipher: RecordCipher) {
        self.write = Some(cipher);
    }

    /// Client: drops the early traffic keys so the next records (a
    /// second ClientHello after a HelloRetryRequest, a TLS 1.2
    /// handshake) go in plaintext as they must; reports the refusal.
    pub(crate) fn abandon_early_data(&mut self) {
        if matches!(self.early, EarlyData::ClientSending { .. } | EarlyData::ClientWaiting) {
            self.write = None;
            self.early = EarlyData::None;
            self.events.push_back(Event::EarlyDataRejected);
        }
    }

    /// TLS 1.2: the read keys to use once the peer's ChangeCipherSpec
    /// arrives.
    pub(crate) fn expect_change_cipher_spec(&mut self, cipher: RecordCipher) {
        self.pending_read = Some(cipher);
    }

    /// TLS 1.2: sends ChangeCipherSpec (under the old keys, which are
    /// none in a first handshake) and switches to `cipher` for writing.
    pub(crate) fn change_write_cipher(&mut self, cipher: RecordCipher) -> Result<(), Error> {
        self.send(ContentType::ChangeCipherSpec, &[1])?;
        self.log_message(MessageDirection::Sent, ContentType::ChangeCipherSpec, &[1]);
        self.set_write(cipher);
        Ok(())
    }

    fn is_tls12(&self) -> bool {
        self.negotiated.version == Some(ProtocolVersion::Tls12)
    }

    /// Puts an agreed `record_size_limit` (RFC 8449) in force from the
    /// next record on: `peer`'s caps what we send, `own` (what we
    /// advertised) what we accept in protected records. TLS 1.3 counts
    /// the inner plaintext (content type and padding included), TLS 1.2
    /// the plaintext, which never exceeds 2^14 anyway.
    pub(crate) fn agree_record_size_limit(&mut self, tls12: bool, peer: u16, own: u16) {
        let (peer, own) = (usize::from(peer), usize::from(own));
        if tls12 {
            self.max_fragment = self.max_fragment.min(peer);
            self.own_record_limit = Some(own.min(MAX_PLAINTEXT));
        } else {
            // Both are at least 64 (checked when decoded or configured).
            self.max_inner = peer.min(MAX_PLAINTEXT + 1);
            self.max_fragment = self.max_fragment.min(self.max_inner - 1);
            self.own_record_limit = Some(own.min(MAX_PLAINTEXT + 1));
        }
    }

    /// Sends one handshake message, fragmenting as needed.
    pub(crate) fn send_handshake(&mut self, message: &[u8]) -> Result<(), Error> {
        // Logged ahead of the message, as it goes ahead on the wire.
        self.flush_compat_ccs();
        #[cfg(test)]
        if let Some(f) = &mut self.tamper_handshake {
            let message = f(message.to_vec());
            if message.is_empty() {
                return Ok(());
            }
            self.log_message(MessageDirection::Sent, ContentType::Handshake, &message);
            return self.send(ContentType::Handshake, &message);
        }
        self.log_message(MessageDirection::Sent, ContentType::Handshake, message);
        self.send(ContentType::Handshake, message)
    }

    /// Counts one control message (see [`MAX_CONTROL_RUN`]).
    fn count_control(&mut self) -> Result<(), Error> {
        self.control_run = self.control_run.saturating_add(1);
        if self.control_run > MAX_CONTROL_RUN {
            return Err(Error::UnexpectedMessage { what: "too many control messages without application data" });
        }
        Ok(())
    }

    fn send(&mut self, typ: ContentType, data: &[u8]) -> Result<(), Error> {
        // Not ahead of an alert: a handshake we abandon needs no disguise.
        if matches!(typ, ContentType::Handshake | ContentType::ApplicationData) {
            self.flush_compat_ccs();
        }
        // Empty application data is a valid (if useless) record; empty
        // handshake or alert records are not, and are never produced.
        let chunks: Vec<&[u8]> =
            if data.is_empty() { alloc::vec![data] } else { data.chunks(self.max_fragment).collect() };
        for chunk in chunks {
            match &mut self.write {
                Some(w) => {
                    let padding = match self.padding_block {
                        0 => 0,
                        b => (b - (chunk.len() + 1) % b) % b,
                    };
                    // chunk.len() <= max_fragment < max_inner.
                    let padding = padding.min((self.max_inner - 1).saturating_sub(chunk.len()));
                    w.seal(typ, chunk, padding, &mut self.outgoing)?;
                }
                None => {
                    write_header(&mut self.outgoing, typ, chunk.len());
                    self.outgoing.extend_from_slice(chunk);
                }
            }
        }
        Ok(())
    }

    /// Sends the pending middlebox-compatibility `change_cipher_spec`,
    /// if any: always plaintext, whatever the write keys.
    pub(crate) fn flush_compat_ccs(&mut self) {
        if core::mem::take(&mut self.compat_ccs_pending) {
            write_header(&mut self.outgoing, ContentType::ChangeCipherSpec, 1);
            self.outgoing.push(1);
            self.log_message(MessageDirection::Sent, ContentType::ChangeCipherSpec, &[1]);
        }
    }

    fn send_alert(&mut self, level: AlertLevel, desc: AlertDescription) {
        // A failure to seal the alert leaves nothing to send; the error
        // that led here is what the caller reports.
        let alert = [level.to_u8(), desc.0];
        self.log_message(MessageDirection::Sent, ContentType::Alert, &alert);
        let _ = self.send(ContentType::Alert, &alert);
    }

    /// Poisons the connection with `e`, queueing its alert.
    fn fail(&mut self, e: Error) -> Error {
        if self.error.is_none() {
            if let Some(alert) = e.alert() {
                self.send_alert(AlertLevel::Fatal, alert);
            }
            self.error = Some(e.clone());
        }
        e
    }

    /// Called by a state machine when both directions are on
    /// application keys: flushes queued plaintext.
    pub(crate) fn handshake_complete(&mut self) -> Result<(), Error> {
        self.handshake_done = true;
        self.events.push_back(Event::HandshakeComplete);
        let early = core::mem::take(&mut self.early_app_out);
        if !early.is_empty() {
            self.send(ContentType::ApplicationData, &early)?;
        }
        Ok(())
    }

    /// KeyUpdate and NewSessionTicket after the handshake; in TLS 1.2 a
    /// renegotiation attempt, refused with a `no_renegotiation` warning
    /// (RFC 5246 section 7.2.2), the connection carrying on.
    fn post_handshake(&mut self, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        if matches!(
            typ,
            HandshakeType::KeyUpdate
                | HandshakeType::CertificateRequest
                | HandshakeType::HelloRequest
                | HandshakeType::ClientHello
        ) {
            self.count_control()?;
        }
        if self.is_tls12() {
            return match typ {
                HandshakeType::HelloRequest if self.is_client => {
                    super::tls12::msgs::decode_empty(msgs::body(message), "HelloRequest")?;
                    self.send_alert(AlertLevel::Warning, AlertDescription::NO_RENEGOTIATION);
                    Ok(())
                }
                HandshakeType::ClientHello if !self.is_client => {
                    msgs::ClientHello::decode(msgs::body(message))?;
                    self.send_alert(AlertLevel::Warning, AlertDescription::NO_RENEGOTIATION);
                    Ok(())
                }
                _ => Err(Error::UnexpectedMessage { what: "handshake message after the TLS 1.2 handshake" }),
            };
        }
        match typ {
            HandshakeType::KeyUpdate => {
                let requested = msgs::decode_key_update(msgs::body(message))?;
                let secrets = self.app_secrets.as_mut().ok_or(Error::UnexpectedMessage { what: "KeyUpdate" })?;
                secrets.read = next_traffic_secret(secrets.hash, &secrets.read)?;
                let cipher = RecordCipher::new(secrets.suite, secrets.hash, &secrets.read)?;
                self.set_read(cipher);
                if requested && !self.sent_close {
                    self.send_key_update(false)?;
                }
                Ok(())
            }
            HandshakeType::NewSessionTicket if self.is_client => {
                let nst = msgs::NewSessionTicket::decode(msgs::body(message))?;
                self.tickets_received += 1;
                if let Some(r) = &self.resumption
                    && nst.lifetime > 0
                {
                    let hash = r.suite.hash().ok_or(Error::Config { what: "suite" })?;
                    let psk = super::psk::resumption_psk(hash, &r.secret, &nst.nonce)?;
                    let session = super::session::Tls13Session {
                        suite: r.suite,
                        ticket: nst.ticket,
                        psk,
                        age_add: nst.age_add,
                        lifetime: nst.lifetime,
                        received: self.now_unix,
                        alpn: self.negotiated.alpn.clone(),
                        peer_chain: self.negotiated.peer_chain.clone(),
                        max_early_data: nst.max_early_data.unwrap_or(0),
                        peer_raw_key: self.negotiated.peer_raw_key.clone(),
                    };
                    r.store.insert(&r.server_name, session);
                }
                Ok(())
            }
            HandshakeType::CertificateRequest if self.is_client => super::pha::answer(self, message),
            HandshakeType::Certificate | HandshakeType::CertificateVerify | HandshakeType::Finished
                if !self.is_client =>
            {
                super::pha::receive(self, typ, message)
            }
            _ => Err(Error::UnexpectedMessage { what: "handshake message after the handshake" }),
        }
    }

    fn send_key_update(&mut self, request_peer: bool) -> Result<(), Error> {
        let message = msgs::frame(HandshakeType::KeyUpdate, |o| o.push(u8::from(request_peer)));
        self.send_handshake(&message)?;
        let secrets = self.app_secrets.as_mut().ok_or(Error::UnexpectedMessage { what: "KeyUpdate before keys" })?;
        secrets.write = next_traffic_secret(secrets.hash, &secrets.write)?;
        let cipher = RecordCipher::new(secrets.suite, secrets.hash, &secrets.write)?;
        self.set_write(cipher);
        Ok(())
    }
}

enum Side {
    Client(Box<ClientHs>),
    Server(Box<ServerHs>),
}

/// A TLS 1.3 or TLS 1.2 connection, client or server, with no I/O of its
/// own.
///
/// Drive it by feeding received bytes to [`read_tls`](Self::read_tls),
/// sending what [`write_tls`](Self::write_tls) produces, and draining
/// [`poll_event`](Self::poll_event). The first error is fatal: its alert
/// is queued for sending and every later call returns the same error.
pub struct Connection {
    core: Core,
    side: Side,
}

impl core::fmt::Debug for Connection {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Connection")
            .field("client", &self.core.is_client)
            .field("handshake_done", &self.core.handshake_done)
            .field("negotiated", &self.core.negotiated)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// A client connection to `server_name`; the ClientHello is queued at
    /// once. `rng` supplies randoms, key shares and signature nonces.
    ///
    /// # Errors
    /// [`Error::Config`] for an unusable configuration.
    pub fn client(config: Arc<ClientConfig>, server_name: &str, rng: Box<dyn CryptoRng + Send>) -> Result<Self, Error> {
        Self::client_at(config, server_name, rng, 0)
    }

    /// As [`Connection::client`] at `now_unix` (seconds since the Unix
    /// epoch), which the ClientHello needs when it offers a session
    /// ticket: expired tickets are skipped and the ticket age is sent.
    ///
    /// # Errors
    /// [`Error::Config`] for an unusable configuration.
    pub fn client_at(
        config: Arc<ClientConfig>,
        server_name: &str,
        rng: Box<dyn CryptoRng + Send>,
        now_unix: u64,
    ) -> Result<Self, Error> {
        config.check()?;
        let mut core = Core::new(rng, true, config.max_fragment_len, config.padding_block);
        core.now_unix = now_unix;
        core.key_log.clone_from(&config.key_log);
        core.max_version = newest(|v| config.enables(v));
        if config.message_log {
            core.message_log = Some(Vec::new());
        }
        let hs = ClientHs::start(config, server_name, &mut core)?;
        Ok(Self { core, side: Side::Client(Box::new(hs)) })
    }

    /// A server connection waiting for a ClientHello.
    ///
    /// # Errors
    /// [`Error::Config`] for an unusable configuration.
    pub fn server(config: Arc<ServerConfig>, rng: Box<dyn CryptoRng + Send>) -> Result<Self, Error> {
        config.check()?;
        let mut core = Core::new(rng, false, config.max_fragment_len, config.padding_block);
        core.key_log.clone_from(&config.key_log);
        core.max_version = newest(|v| config.enables(v));
        if config.message_log {
            core.message_log = Some(Vec::new());
        }
        Ok(Self { core, side: Side::Server(Box::new(ServerHs::new(config))) })
    }

    /// A client drawing randomness from the operating system.
    ///
    /// # Errors
    /// As [`Connection::client`].
    #[cfg(feature = "std")]
    pub fn new_client(config: Arc<ClientConfig>, server_name: &str) -> Result<Self, Error> {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Self::client_at(config, server_name, Box::new(crate::rng::OsRng), now)
    }

    /// A server drawing randomness from the operating system.
    ///
    /// # Errors
    /// As [`Connection::server`].
    #[cfg(feature = "std")]
    pub fn new_server(config: Arc<ServerConfig>) -> Result<Self, Error> {
        Self::server(config, Box::new(crate::rng::OsRng))
    }

    /// Tells the connection the current time (seconds since the Unix
    /// epoch), used for certificate validity.
    pub fn set_now(&mut self, now_unix: u64) {
        self.core.now_unix = now_unix;
    }

    /// Turns the message log ([`MessageEvent`]) on or off; off drops what
    /// was logged and not taken. To log a client's ClientHello, set
    /// [`ClientConfig::message_log`] instead: it is queued when the
    /// client is made.
    pub fn set_message_log(&mut self, on: bool) {
        match (on, &self.core.message_log) {
            (true, None) => self.core.message_log = Some(Vec::new()),
            (false, _) => self.core.message_log = None,
            (true, Some(_)) => {}
        }
    }

    /// The messages logged since the last call, oldest first; empty when
    /// the log is off.
    pub fn take_message_log(&mut self) -> Vec<MessageEvent> {
        self.core.message_log.as_mut().map(core::mem::take).unwrap_or_default()
    }

    /// Feeds bytes received from the peer; returns how many were consumed
    /// (fewer than given only while received plaintext waits to be read).
    ///
    /// # Errors
    /// The connection's fatal error; the alert for it is then waiting in
    /// [`output`](Self::output).
    pub fn read_tls(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(e) = &self.core.error {
            return Err(e.clone());
        }
        if self.core.app_in.len() >= MAX_BUFFERED_PLAINTEXT {
            return Ok(0);
        }
        self.core.incoming.extend_from_slice(data);
        match self.process() {
            Ok(()) => Ok(data.len()),
            Err(e) => Err(self.core.fail(e)),
        }
    }

    /// Opens every whole record waiting in `incoming`. Records are taken
    /// from the front by offset and the buffer is compacted once at the
    /// end, so a read that brings many records moves the unread tail once
    /// instead of once per record.
    fn process(&mut self) -> Result<(), Error> {
        let mut used = 0;
        let result = self.process_records(&mut used);
        let used = used.min(self.core.incoming.len());
        self.core.incoming.drain(..used);
        result
    }

    /// [`process`](Self::process)'s loop; `used` counts the bytes of
    /// `incoming` taken so far.
    fn process_records(&mut self, used: &mut usize) -> Result<(), Error> {
        loop {
            if self.core.peer_closed {
                // Nothing after close_notify counts.
                self.core.incoming.clear();
                *used = 0;
                return Ok(());
            }
            let unread = self.core.incoming.get(*used..).unwrap_or_default();
            let Some(header) = parse_header(unread)? else {
                return Ok(());
            };
            // Unprotected records carry at most 2^14 bytes; refuse before
            // waiting for (and buffering) the body.
            // (TLS 1.2 protects every record type once keys are on.)
            let protected = match &self.core.read {
                Some(r) => r.is_tls12() || header.content_type == ContentType::ApplicationData,
                None => false,
            };
            if !protected && header.len > MAX_PLAINTEXT {
                return Err(Error::RecordOverflow);
            }
            // RFC 8449: a protected record over the limit we advertised.
            if protected
                && let (Some(limit), Some(read)) = (self.core.own_record_limit, &self.core.read)
                && header.len > limit + read.overhead()
            {
                return Err(Error::RecordOverflow);
            }
            let Some(raw) = unread.get(HEADER_LEN..HEADER_LEN + header.len) else {
                return Ok(());
            };
            let mut body = raw.to_vec();
            *used += HEADER_LEN + header.len;
            let content = match (header.content_type, &mut self.core.read) {
                // Middlebox-compatibility CCS (RFC 8446 section 5): one
                // byte 0x01, only while handshaking, never protected.
                (ContentType::ChangeCipherSpec, _) => {
                    if body != [1] || self.core.handshake_done {
                        return Err(Error::UnexpectedMessage { what: "change_cipher_spec" });
                    }
                    // Section 5.1: no other record type between the
                    // fragments of a handshake message, in either version.
                    if !self.core.hs_buf.is_empty() {
                        return Err(Error::UnexpectedMessage { what: "change_cipher_spec inside a message" });
                    }
                    // Section 5: dropped only after the first ClientHello.
                    if let Side::Server(s) = &self.side
                        && s.awaits_first_client_hello()
                    {
                        return Err(Error::UnexpectedMessage { what: "change_cipher_spec before ClientHello" });
                    }
                    self.core.log_message(MessageDirection::Received, ContentType::ChangeCipherSpec, &body);
                    if self.core.negotiated.version == Some(ProtocolVersion::Tls12) {
                        // TLS 1.2: switches the read keys, only when the
                        // handshake expects it.
                        let next = self.core.pending_read.take();
                        let cipher = next.ok_or(Error::UnexpectedMessage { what: "change_cipher_spec" })?;
                        self.core.read = Some(cipher);
                        self.core.read_key_changed = true;
                        self.core.ccs_received = true;
                    }
                    continue;
                }
                (t, Some(read)) if read.is_tls12() => {
                    read.open_tls12(t, &mut body)?;
                    t
                }
                (ContentType::ApplicationData, Some(read)) => match read.open(header.len, &mut body) {
                    Ok(t) => {
                        self.core.early.opened();
                        t
                    }
                    // Section 4.2.10: early data we refused does not open
                    // under the handshake keys; drop it, within a budget.
                    Err(Error::BadRecordMac) if self.core.early.skip(header.len)? => continue,
                    Err(e) => return Err(e),
                },
                (ContentType::Alert, _) if !self.core.handshake_done => {
                    // A peer that failed before it had keys alerts in
                    // plaintext; accept that during the handshake.
                    ContentType::Alert
                }
                (_, Some(_)) => return Err(Error::UnexpectedMessage { what: "unprotected record after keys" }),
                // After a HelloRetryRequest the client's early data comes
                // before we have any keys: all of it is skipped.
                (ContentType::ApplicationData, None) if self.core.early.skip(header.len)? => continue,
                (ContentType::ApplicationData, None) => {
                    return Err(Error::UnexpectedMessage { what: "application data before keys" });
                }
                (t, None) => t,
            };
            match content {
                ContentType::Handshake => {
                    if body.is_empty() {
                        return Err(Error::UnexpectedMessage { what: "empty handshake record" });
                    }
                    self.core.hs_buf.extend_from_slice(&body);
                    self.drain_handshake()?;
                }
                ContentType::Alert => {
                    if !self.core.hs_buf.is_empty() {
                        return Err(Error::UnexpectedMessage { what: "alert inside a handshake message" });
                    }
                    let [level, desc] =
                        <[u8; 2]>::try_from(body.as_slice()).map_err(|_| Error::Decode { what: "alert" })?;
                    self.core.log_message(MessageDirection::Received, ContentType::Alert, &body);
                    let desc = AlertDescription(desc);
                    if desc == AlertDescription::CLOSE_NOTIFY {
                        self.core.peer_closed = true;
                        self.core.events.push_back(Event::Closed);
                    } else if level == AlertLevel::Warning.to_u8()
                        && (desc == AlertDescription::USER_CANCELED
                            || (desc == AlertDescription::NO_RENEGOTIATION
                                && self.core.negotiated.version == Some(ProtocolVersion::Tls12)))
                    {
                        // user_canceled, and TLS 1.2's refusal to
                        // renegotiate, leave the connection usable.
                        self.core.count_control()?;
                        self.core.events.push_back(Event::AlertReceived(desc));
                    } else {
                        // Fatal: do not answer an alert with an alert.
                        self.core.error = Some(Error::AlertReceived(desc));
                        return Err(Error::AlertReceived(desc));
                    }
                }
                ContentType::ApplicationData if !self.core.handshake_done && self.core.hs_buf.is_empty() => {
                    // Accepted 0-RTT data (anything else is refused there).
                    self.core.early.receive(body.len())?;
                    if !body.is_empty() {
                        self.core.early_in.extend(body.iter());
                        self.core.events.push_back(Event::EarlyData);
                    }
                }
                ContentType::ApplicationData => {
                    if !self.core.handshake_done || !self.core.hs_buf.is_empty() {
                        return Err(Error::UnexpectedMessage { what: "application data during the handshake" });
                    }
                    if !body.is_empty() {
                        self.core.control_run = 0;
                        self.core.app_in.extend(body.iter());
                        self.core.events.push_back(Event::ApplicationData);
                    }
                }
                ContentType::ChangeCipherSpec => {
                    return Err(Error::UnexpectedMessage { what: "change_cipher_spec" });
                }
            }
            if self.core.app_in.len() >= MAX_BUFFERED_PLAINTEXT {
                return Ok(());
            }
        }
    }

    /// Client: writes 0-RTT early data (RFC 8446 section 2.3) now, before
    /// the handshake completes, under the resumed ticket's early keys.
    /// Returns how much was taken: at most what the ticket's
    /// `max_early_data_size` still allows (0 once it is used up); the
    /// rest must wait for the handshake ([`write_plaintext`](Self::write_plaintext)).
    /// Possible only while [`early_data_room`](Self::early_data_room) is
    /// `Some`: from [`Connection::client`] with
    /// [`ClientConfig::enable_early_data`] and a ticket that allows it,
    /// until the ServerHello arrives.
    ///
    /// Early data can be replayed by an attacker and is not forward
    /// secret. If the server refuses it ([`Event::EarlyDataRejected`],
    /// [`early_data_accepted`](Self::early_data_accepted) `false` after
    /// the handshake) it is not resent: the application must write it
    /// again if it still matters.
    ///
    /// # Errors
    /// [`Error::Config`] when early data cannot be sent (not offered, or
    /// the ServerHello already arrived), or the connection's error.
    pub fn write_early_data(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(e) = &self.core.error {
            return Err(e.clone());
        }
        let room = self.core.early.room().ok_or(Error::Config { what: "early data cannot be sent now" })?;
        let taken = super::early_data::fit(data, room);
        if taken.is_empty() {
            return Ok(0);
        }
        match self.core.send(ContentType::ApplicationData, taken) {
            Ok(()) => {
                self.core.early = EarlyData::ClientSending { remaining: room - taken.len() };
                Ok(taken.len())
            }
            Err(e) => Err(self.core.fail(e)),
        }
    }

    /// Client: how many more bytes of early data
    /// [`write_early_data`](Self::write_early_data) takes now; `None`
    /// when it takes none at all (not offered, or too late).
    #[must_use]
    pub fn early_data_room(&self) -> Option<usize> {
        self.core.early.room()
    }

    /// Whether the server accepted 0-RTT early data: on a client, what
    /// EncryptedExtensions said (so `false` until then); on a server,
    /// whether this connection took it.
    #[must_use]
    pub fn early_data_accepted(&self) -> bool {
        self.core.negotiated.early_data_accepted
    }

    /// Server: reads accepted 0-RTT early data into `buf`; returns how
    /// many bytes. Kept apart from [`read_plaintext`](Self::read_plaintext)
    /// because it may be a replay and is not forward secret.
    pub fn read_early_data(&mut self, buf: &mut [u8]) -> usize {
        take_front(&mut self.core.early_in, buf)
    }

    /// Server: how many bytes of early data are waiting.
    #[must_use]
    pub fn early_data_len(&self) -> usize {
        self.core.early_in.len()
    }

    fn drain_handshake(&mut self) -> Result<(), Error> {
        while let Some((typ, len)) = msgs::split_message(&self.core.hs_buf)? {
            let message: Vec<u8> = self.core.hs_buf.drain(..len).collect();
            self.core.log_message(MessageDirection::Received, ContentType::Handshake, &message);
            self.core.read_key_changed = false;
            if self.core.handshake_done {
                self.core.post_handshake(typ, &message)?;
            } else {
                match &mut self.side {
                    Side::Client(c) => c.handle(&mut self.core, typ, &message)?,
                    Side::Server(s) => s.handle(&mut self.core, typ, &message)?,
                }
            }
            // Section 5.1: a key change must fall on a record boundary.
            if self.core.read_key_changed && !self.core.hs_buf.is_empty() {
                return Err(Error::UnexpectedMessage { what: "handshake data across a key change" });
            }
        }
        Ok(())
    }

    /// Bytes waiting to be sent to the peer.
    #[must_use]
    pub fn output(&self) -> &[u8] {
        &self.core.outgoing
    }

    /// Marks the first `n` bytes of [`output`](Self::output) as sent.
    pub fn consume_output(&mut self, n: usize) {
        let n = n.min(self.core.outgoing.len());
        self.core.outgoing.drain(..n);
    }

    /// Appends every pending output byte to `out`; returns how many.
    pub fn write_tls(&mut self, out: &mut Vec<u8>) -> usize {
        let n = self.core.outgoing.len();
        out.append(&mut self.core.outgoing);
        n
    }

    /// Whether output is waiting.
    #[must_use]
    pub fn wants_write(&self) -> bool {
        !self.core.outgoing.is_empty()
    }

    /// Queues application data; before the handshake completes it is held
    /// and sent once it does.
    ///
    /// # Errors
    /// The connection's error, or [`Error::Closed`] after
    /// [`send_close_notify`](Self::send_close_notify).
    pub fn write_plaintext(&mut self, data: &[u8]) -> Result<usize, Error> {
        if let Some(e) = &self.core.error {
            return Err(e.clone());
        }
        if self.core.sent_close {
            return Err(Error::Closed);
        }
        if !self.core.handshake_done {
            if self.core.early_app_out.len() + data.len() > MAX_EARLY_PLAINTEXT {
                return Err(Error::Config { what: "too much data queued before the handshake" });
            }
            self.core.early_app_out.extend_from_slice(data);
            return Ok(data.len());
        }
        if data.is_empty() {
            return Ok(0);
        }
        match self.core.send(ContentType::ApplicationData, data) {
            Ok(()) => Ok(data.len()),
            Err(e) => Err(self.core.fail(e)),
        }
    }

    /// Reads received plaintext into `buf`; returns how many bytes.
    pub fn read_plaintext(&mut self, buf: &mut [u8]) -> usize {
        take_front(&mut self.core.app_in, buf)
    }

    /// How many plaintext bytes are waiting.
    #[must_use]
    pub fn plaintext_len(&self) -> usize {
        self.core.app_in.len()
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.core.events.pop_front()
    }

    /// Queues `close_notify`; no more application data can be written.
    pub fn send_close_notify(&mut self) {
        if !self.core.sent_close && self.core.error.is_none() {
            self.core.sent_close = true;
            self.core.send_alert(AlertLevel::Warning, AlertDescription::CLOSE_NOTIFY);
        }
    }

    /// Sends a KeyUpdate asking the peer to update too, and moves our
    /// sending keys forward ([`Connection::update_traffic_keys`] with
    /// `request_peer`).
    ///
    /// # Errors
    /// [`Error::UnexpectedMessage`] before the handshake completes, or the
    /// connection's error.
    pub fn refresh_traffic_keys(&mut self) -> Result<(), Error> {
        self.update_traffic_keys(true)
    }

    /// Sends a KeyUpdate and moves our sending keys forward; with
    /// `request_peer` the peer is asked to update its sending keys too
    /// (`update_requested`, `openssl s_server`'s `K` command; `k` is
    /// without).
    ///
    /// # Errors
    /// [`Error::UnexpectedMessage`] before the handshake completes or in
    /// TLS 1.2, or the connection's error.
    pub fn update_traffic_keys(&mut self, request_peer: bool) -> Result<(), Error> {
        if let Some(e) = &self.core.error {
            return Err(e.clone());
        }
        if !self.core.handshake_done || self.core.sent_close {
            return Err(Error::UnexpectedMessage { what: "KeyUpdate outside the connected state" });
        }
        if self.core.is_tls12() {
            return Err(Error::UnexpectedMessage { what: "KeyUpdate does not exist in TLS 1.2" });
        }
        self.core.send_key_update(request_peer).map_err(|e| self.core.fail(e))
    }

    /// On a TLS 1.3 server: asks the client for a certificate now (RFC
    /// 8446 section 4.6.2; `openssl s_server`'s `c` command), judged by
    /// `verifier` (which need not be [`ServerConfig::client_verifier`]:
    /// a server can leave the handshake unauthenticated and ask later).
    /// The answer arrives with later input, interleaved with application
    /// data; once it verified, [`Event::PostHandshakeAuth`] is queued.
    /// A bad answer (a chain the verifier refuses, a bad signature or
    /// Finished, a missing certificate the verifier requires) fails the
    /// connection with its alert. One request at a time.
    ///
    /// # Errors
    /// [`Error::UnexpectedMessage`] outside a TLS 1.3 server's connected
    /// state, [`Error::Config`] when the client did not offer
    /// `post_handshake_auth` ([`ClientConfig::post_handshake_auth`],
    /// `openssl s_client -enable_pha`) or a request is outstanding,
    /// or the connection's error.
    pub fn request_client_certificate(
        &mut self,
        verifier: Arc<dyn super::cert::ClientCertVerifier>,
    ) -> Result<(), Error> {
        if let Some(e) = &self.core.error {
            return Err(e.clone());
        }
        if self.core.is_client || !self.core.handshake_done || self.core.sent_close || self.core.is_tls12() {
            return Err(Error::UnexpectedMessage {
                what: "CertificateRequest outside a TLS 1.3 server's connected state",
            });
        }
        match super::pha::request(&mut self.core, verifier) {
            Err(e @ Error::Config { .. }) => Err(e),
            Err(e) => Err(self.core.fail(e)),
            Ok(()) => Ok(()),
        }
    }

    /// Whether the handshake is still running.
    #[must_use]
    pub fn is_handshaking(&self) -> bool {
        !self.core.handshake_done && self.core.error.is_none()
    }

    /// Whether the peer sent `close_notify`.
    #[must_use]
    pub fn peer_closed(&self) -> bool {
        self.core.peer_closed
    }

    /// The error that poisoned the connection, if any.
    #[must_use]
    pub fn error(&self) -> Option<&Error> {
        self.core.error.as_ref()
    }

    /// Keying material exported from the connection's secrets for
    /// `label` and an optional `context` (RFC 8446 section 7.5 in TLS 1.3,
    /// RFC 5705 in TLS 1.2), as `openssl s_client -keymatexport` prints
    /// it. Both sides derive the same bytes.
    ///
    /// # Errors
    /// [`Error::Config`] before the handshake finished, for a TLS 1.2
    /// label RFC 5705 reserves, or a context over 65535 bytes.
    pub fn export_keying_material(&self, out: &mut [u8], label: &[u8], context: Option<&[u8]>) -> Result<(), Error> {
        if !self.core.handshake_done {
            return Err(Error::Config { what: "keying material exported before the handshake finished" });
        }
        self.core.exporter.as_ref().ok_or(Error::Config { what: "no exporter secret" })?.export(label, context, out)
    }

    /// The negotiated protocol version (once the ServerHello is known).
    #[must_use]
    pub fn protocol_version(&self) -> Option<ProtocolVersion> {
        self.core.negotiated.version
    }

    /// The negotiated cipher suite.
    #[must_use]
    pub fn cipher_suite(&self) -> Option<CipherSuite> {
        self.core.negotiated.suite
    }

    /// The key-exchange group used.
    #[must_use]
    pub fn negotiated_group(&self) -> Option<NamedGroup> {
        self.core.negotiated.group
    }

    /// The ALPN protocol agreed on.
    #[must_use]
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.core.negotiated.alpn.as_deref()
    }

    /// The peer's certificate chain (DER, leaf first); on a server the
    /// client's, verified by [`ServerConfig::client_verifier`], or empty
    /// when the client sent none. A resumed connection reports the chain
    /// its session's full handshake verified.
    #[must_use]
    pub fn peer_certificates(&self) -> &[Vec<u8>] {
        &self.core.negotiated.peer_chain
    }

    /// The peer's raw public key (DER `SubjectPublicKeyInfo`, RFC 7250),
    /// accepted by the configured [`RawKeyVerifier`](super::RawKeyVerifier),
    /// when it authenticated with one rather than a certificate chain;
    /// `None` otherwise. A resumed connection reports the key its
    /// session's full handshake verified.
    #[must_use]
    pub fn peer_raw_public_key(&self) -> Option<&[u8]> {
        self.core.negotiated.peer_raw_key.as_deref()
    }

    /// On a client: whether the server asked for a certificate (in the
    /// handshake or, with [`ClientConfig::post_handshake_auth`], after it)
    /// and this client authenticated with [`ClientConfig::client_cert`].
    #[must_use]
    pub fn sent_client_certificate(&self) -> bool {
        self.core.negotiated.client_auth_sent
    }

    /// On a client that set [`ClientConfig::request_ocsp`]: the OCSP
    /// response (DER) the server stapled for its certificate, unverified
    /// (`openssl s_client -status` prints it); `None` when the server
    /// stapled nothing.
    #[must_use]
    pub fn ocsp_response(&self) -> Option<&[u8]> {
        self.core.negotiated.ocsp_response.as_deref()
    }

    /// The algorithm the peer's Certificate was compressed with
    /// (a CompressedCertificate, RFC 8879), `None` when it came
    /// uncompressed or not at all.
    #[must_use]
    pub fn peer_certificate_compression(&self) -> Option<super::CertificateCompressionAlgorithm> {
        self.core.negotiated.cert_compression_received
    }

    /// The algorithm our own Certificate was sent compressed with
    /// (RFC 8879), `None` when sent uncompressed or not at all.
    #[must_use]
    pub fn sent_certificate_compression(&self) -> Option<super::CertificateCompressionAlgorithm> {
        self.core.negotiated.cert_compression_sent
    }

    /// Whether the handshake resumed a session with a ticket (TLS 1.3
    /// PSK with ECDHE): no certificates were exchanged.
    #[must_use]
    pub fn is_resumed(&self) -> bool {
        self.core.negotiated.resumed
    }

    /// Whether a HelloRetryRequest was part of the handshake.
    #[must_use]
    pub fn had_hello_retry(&self) -> bool {
        self.core.negotiated.retried
    }

    /// The server name the client sent (SNI), as the server saw it.
    #[must_use]
    pub fn server_name(&self) -> Option<&[u8]> {
        self.core.negotiated.server_name.as_deref()
    }

    /// Test hook: sends raw handshake bytes under the current keys.
    #[cfg(test)]
    pub(crate) fn send_handshake_for_test(&mut self, message: &[u8]) -> Result<(), Error> {
        self.core.send_handshake(message)
    }

    /// Test hook: sends one record of `typ` as it is, under the current
    /// keys (empty `data`: one empty record).
    #[cfg(test)]
    pub(crate) fn send_record_for_test(&mut self, typ: ContentType, data: &[u8]) -> Result<(), Error> {
        self.core.send(typ, data)
    }

    /// Test hook: `f` rewrites (or drops, by returning nothing) every
    /// handshake message this side sends from now on.
    #[cfg(test)]
    pub(crate) fn tamper_handshake_for_test(&mut self, f: impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static) {
        self.core.tamper_handshake = Some(Box::new(f));
    }

    /// Test hook: fragments everything sent from now on into records of
    /// at most `n` bytes (below the configurable minimum of 64).
    #[cfg(test)]
    pub(crate) fn set_max_fragment_for_test(&mut self, n: usize) {
        self.core.max_fragment = n;
    }

    /// Test hook: sends full-size records again, whatever the peer's
    /// `record_size_limit`.
    #[cfg(test)]
    pub(crate) fn ignore_peer_record_limit_for_test(&mut self) {
        self.core.max_fragment = MAX_PLAINTEXT;
        self.core.max_inner = MAX_PLAINTEXT + 1;
    }

    /// Test hook: `f` rewrites the (Compressed)Certificate this side sends.
    #[cfg(all(test, feature = "cert-compression"))]
    pub(crate) fn tamper_certificate_for_test(&mut self, f: fn(Vec<u8>) -> Vec<u8>) {
        self.core.tamper_certificate = Some(f);
    }

    /// Test hook: the next Finished this side sends is corrupted.
    #[cfg(test)]
    pub(crate) fn corrupt_next_finished_for_test(&mut self) {
        self.core.corrupt_finished = true;
    }

    /// How many NewSessionTicket messages a client has received.
    #[must_use]
    pub fn tickets_received(&self) -> usize {
        self.core.tickets_received
    }
}

/// The newest of TLS 1.3 and 1.2 that `enables` accepts (TLS 1.2 when
/// neither: the configuration check refuses that anyway).
fn newest(enables: impl Fn(ProtocolVersion) -> bool) -> ProtocolVersion {
    if enables(ProtocolVersion::Tls13) { ProtocolVersion::Tls13 } else { ProtocolVersion::Tls12 }
}

/// Moves up to `buf.len()` bytes from the front of `queue` into `buf`;
/// returns how many. Copies the deque's two halves as slices: a
/// byte-at-a-time drain was half of a bulk download's CPU time.
fn take_front(queue: &mut VecDeque<u8>, buf: &mut [u8]) -> usize {
    let n = buf.len().min(queue.len());
    let (front, back) = queue.as_slices();
    let from_front = n.min(front.len());
    let (to_front, to_back) = buf.split_at_mut(from_front);
    to_front.copy_from_slice(front.get(..from_front).unwrap_or_default());
    if let (Some(dst), Some(src)) = (to_back.get_mut(..n - from_front), back.get(..n - from_front)) {
        dst.copy_from_slice(src);
    }
    queue.drain(..n);
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn take_front_reads_across_the_deques_wrap_in_order() {
        let mut q: VecDeque<u8> = VecDeque::with_capacity(8);
        q.extend([0, 0, 0, 0, 0, 1, 2]);
        q.drain(..5);
        q.extend([3, 4, 5, 6]); // wraps around the ring buffer
        assert!(!q.as_slices().1.is_empty(), "the test needs a wrapped deque");
        let mut buf = [9u8; 4];
        assert_eq!(take_front(&mut q, &mut buf), 4);
        assert_eq!(buf, [1, 2, 3, 4]);
        let mut rest = [9u8; 8];
        assert_eq!(take_front(&mut q, &mut rest), 2);
        assert_eq!(rest, [5, 6, 9, 9, 9, 9, 9, 9]);
        assert_eq!(take_front(&mut q, &mut rest), 0);
        assert_eq!(take_front(&mut q, &mut []), 0);
    }
}
