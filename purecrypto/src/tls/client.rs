//! The TLS 1.3 client handshake (RFC 8446 section 2, figure 1, with the
//! HelloRetryRequest of section 4.1.4).
//!
//! Entry point: [`ClientHs`], driven one whole handshake message at a time
//! by the connection. States: ServerHello (or HelloRetryRequest) ->
//! EncryptedExtensions -> (CertificateRequest) -> Certificate ->
//! CertificateVerify -> Finished; after a CertificateRequest our
//! Certificate (empty without [`ClientConfig::client_cert`] or a common
//! scheme) and CertificateVerify go before our Finished. The same answer,
//! [`send_client_certificate`], serves post-handshake requests (`pha.rs`).

use alloc::boxed::Box;
use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{signed_content, verify_signature};
use super::cert_compression::{CompressedCertificate, decompress};
use super::config::ClientConfig;
use super::conn::{AppSecrets, Core};
use super::early_data::EarlyData;
use super::error::Error;
use super::key_schedule::{KeySchedule, Secret, check_finished, finished_verify_data};
use super::keylog::label;
use super::msgs::{
    self, CertificateMsg, CertificateRequest, CertificateVerify, ClientHello, EncryptedExtensions, HandshakeType,
    ServerHello, TLS12, TLS13,
};
use super::msgs::{OfferedPsks, PskIdentity};
use super::ocsp_staple::check_staple;
use super::pha::PostHandshakeAuth;
use super::psk::{PSK_DHE_KE, binder, truncated_len};
use super::record::{MAX_RECORD_SIZE_LIMIT, RecordCipher};
use super::rpk::{self, CertificateType};
use super::session::Tls13Session;
use super::session12::Tls12Session;
use super::suites::{CipherSuite, KeyShareSecret, NamedGroup, ProtocolVersion};
use super::tls12::client::{Client12, Offer};
use super::transcript::Transcript;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    ServerHello,
    EncryptedExtensions,
    Certificate,
    CertificateVerify,
    Finished,
    Done,
}

/// Secrets of the handshake phase, dropped (and zeroized) when it ends.
struct HandshakeKeys {
    schedule: KeySchedule,
    suite: CipherSuite,
    client: Secret,
    server: Secret,
}

pub(crate) struct ClientHs {
    config: Arc<ClientConfig>,
    server_name: String,
    state: State,
    transcript: Transcript,
    hello: ClientHello,
    shares: Vec<(NamedGroup, KeyShareSecret)>,
    retry_suite: Option<CipherSuite>,
    keys: Option<HandshakeKeys>,
    offers_tls13: bool,
    offers_tls12: bool,
    /// Set once a ServerHello chose TLS 1.2; it runs the rest.
    tls12: Option<Box<Client12>>,
    /// The server's CertificateRequest, answered after its Finished.
    cert_request: Option<CertificateRequest>,
    /// The ticket offered in the ClientHello, if any.
    offered_session: Option<Tls13Session>,
    /// The TLS 1.2 session whose ticket the ClientHello offered, if any.
    session12: Option<Tls12Session>,
    /// The server accepted it: no Certificate or CertificateVerify.
    resumed: bool,
    /// What the server's Certificate carries, as EncryptedExtensions
    /// settled it (RFC 7250).
    server_cert_type: CertificateType,
    /// The first ClientHello offered 0-RTT and no HelloRetryRequest or
    /// TLS 1.2 ServerHello took it back: the write keys stay the early
    /// ones until EndOfEarlyData (accepted) or EncryptedExtensions
    /// (refused).
    early_offered: bool,
}

/// How many unusable tickets a ClientHello skips before giving up (a
/// store that keeps returning expired ones cannot stall us).
const MAX_TICKETS_SKIPPED: usize = 16;

/// Whether `name` can go in server_name: a DNS name, not an IP literal.
fn is_dns_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 253
        && !name.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && !name.contains(':')
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b'_')
}

impl ClientHs {
    pub(crate) fn start(config: Arc<ClientConfig>, server_name: &str, core: &mut Core) -> Result<Self, Error> {
        let offers_tls13 = config.enables(ProtocolVersion::Tls13);
        let offers_tls12 = config.enables(ProtocolVersion::Tls12);
        let mut shares = Vec::new();
        let mut entries = Vec::new();
        if offers_tls13 {
            for &group in config.groups.iter().take(config.initial_key_shares.max(1)) {
                let (secret, public) = KeyShareSecret::generate(group, &mut core.rng())?;
                shares.push((group, secret));
                entries.push((group, public));
            }
        }
        let cipher_suites = config
            .cipher_suites
            .iter()
            .copied()
            .filter(|s| (offers_tls13 && s.is_tls13()) || (offers_tls12 && s.is_tls12()))
            .collect();
        // A TLS 1.2-only client sends no supported_versions (RFC 8446
        // section 4.2.1 lets it), so it looks like any 1.2 client.
        let supported_versions = match (offers_tls13, offers_tls12) {
            (true, true) => alloc::vec![TLS13, TLS12],
            (true, false) => alloc::vec![TLS13],
            _ => Vec::new(),
        };
        // One ticket, taken from the store (single use), for a suite we
        // still offer; expired ones are dropped on the way.
        let store = config.session_store.clone().filter(|_| offers_tls13);
        let offered_session = store.as_ref().and_then(|st| {
            core::iter::from_fn(|| st.take(server_name))
                .take(MAX_TICKETS_SKIPPED)
                .find(|t| !t.is_expired(core.now_unix) && config.cipher_suites.contains(&t.suite))
        });
        // Section 4.2.10: 0-RTT with a ticket that allows it, for an ALPN
        // protocol we still offer (the server must pick that one again).
        let early_data = offered_session.as_ref().is_some_and(|t| {
            config.enable_early_data
                && t.max_early_data != 0
                && t.alpn.as_ref().is_none_or(|p| config.alpn_protocols.contains(p))
        });
        let psk = offered_session.as_ref().map(|t| OfferedPsks {
            identities: alloc::vec![PskIdentity {
                identity: t.ticket.clone(),
                obfuscated_age: t.obfuscated_age(core.now_unix)
            }],
            binders: alloc::vec![alloc::vec![0; t.psk.len()]],
        });
        // TLS 1.2: ask for a ticket, or offer the one we have with a
        // fresh session ID the server echoes when it accepts (RFC 5077);
        // a session without a ticket offers the server's session ID.
        // Without tickets a stored session is offered by its ID alone.
        let tickets = config.tls12_session_tickets;
        let store12 = config.session_store.clone().filter(|_| offers_tls12);
        let session12 = store12
            .as_ref()
            .and_then(|st| st.tls12(server_name))
            .map(|mut s| {
                if !tickets {
                    s.ticket.clear();
                }
                s
            })
            .filter(|s| {
                !s.is_expired(core.now_unix)
                    && config.cipher_suites.contains(&s.suite)
                    && (s.has_ticket() || !s.session_id.is_empty())
            });
        // Middlebox compatibility (appendix D.4) fills an otherwise empty
        // session ID with 32 random bytes.
        let compat = offers_tls13 && config.middlebox_compat;
        let session_id = match &session12 {
            Some(s) if s.has_ticket() => core.random32()?.to_vec(),
            Some(s) => s.session_id.clone(),
            None if compat => core.random32()?.to_vec(),
            None => Vec::new(),
        };
        let session_ticket =
            store12.filter(|_| tickets).map(|_| session12.as_ref().map(|s| s.ticket.clone()).unwrap_or_default());
        let hello = ClientHello {
            legacy_version: TLS12,
            random: core.random32()?,
            session_id,
            cipher_suites,
            server_name: (config.enable_sni && is_dns_name(server_name)).then(|| server_name.as_bytes().to_vec()),
            supported_versions,
            // A TLS 1.2-only hello lists only what ECDHE can use.
            supported_groups: config.groups.iter().copied().filter(|g| offers_tls13 || g.is_ecdhe()).collect(),
            signature_algorithms: config.signature_schemes.clone(),
            key_shares: offers_tls13.then_some(entries),
            alpn: config.alpn_protocols.clone(),
            psk_modes: if store.is_some() { alloc::vec![PSK_DHE_KE] } else { Vec::new() },
            cookie: None,
            early_data,
            psk,
            extended_master_secret: offers_tls12,
            renegotiation_info: offers_tls12.then(Vec::new),
            ec_point_formats: offers_tls12.then(|| alloc::vec![0]),
            session_ticket,
            record_size_limit: config.record_size_limit,
            status_request: config.wants_ocsp(),
            compress_certificate: if offers_tls13 { config.cert_compression.clone() } else { Vec::new() },
            post_handshake_auth: config.post_handshake_auth && offers_tls13,
            // Raw public keys (RFC 7250), in either version.
            client_cert_types: config.client_cert_offer(),
            server_cert_types: config.server_cert_offer(),
        };
        core.client_random = hello.random;
        let mut hs = Self {
            config,
            server_name: server_name.into(),
            state: State::ServerHello,
            transcript: Transcript::new(),
            hello,
            shares,
            retry_suite: None,
            keys: None,
            offers_tls13,
            offers_tls12,
            tls12: None,
            cert_request: None,
            offered_session,
            session12,
            resumed: false,
            server_cert_type: CertificateType::X509,
            early_offered: early_data,
        };
        hs.send_hello(core)?;
        // Appendix D.4: the dummy change_cipher_spec precedes whatever we
        // send next: early data, a second ClientHello, or the encrypted
        // flight (the same position on the wire as OpenSSL's).
        core.compat_ccs_pending = compat;
        if early_data {
            // With 0-RTT it follows the first ClientHello at once.
            core.flush_compat_ccs();
        }
        hs.start_early_data(core)?;
        Ok(hs)
    }

    fn send_hello(&mut self, core: &mut Core) -> Result<(), Error> {
        let mut message = msgs::frame(HandshakeType::ClientHello, |o| self.hello.encode(o));
        // Section 4.2.11.2: the binder covers everything before it, so
        // encode once with a placeholder, compute, encode again (same
        // length).
        if let (Some(session), Some(psks)) = (&self.offered_session, &mut self.hello.psk) {
            let hash = session.suite.hash().ok_or(Error::Config { what: "ticket suite" })?;
            let cut = truncated_len(&message, psks)?;
            let th = self.transcript.hash_with(hash, message.get(..cut).unwrap_or_default());
            psks.binders = alloc::vec![binder(hash, &session.psk, &th)?];
            message = msgs::frame(HandshakeType::ClientHello, |o| self.hello.encode(o));
        }
        self.transcript.add(&message);
        core.send_handshake(&message)
    }

    /// After the first ClientHello offering 0-RTT: the write keys become
    /// the early traffic keys (`client_early_traffic_secret` over that
    /// ClientHello, section 7.1) and the application may write up to the
    /// ticket's `max_early_data_size`.
    fn start_early_data(&mut self, core: &mut Core) -> Result<(), Error> {
        let Some(session) = self.offered_session.as_ref().filter(|_| self.early_offered) else { return Ok(()) };
        let hash = session.suite.hash().ok_or(Error::Config { what: "ticket suite" })?;
        let secret = KeySchedule::early(hash, Some(&session.psk))
            .derive(b"c e traffic", &self.transcript.hash_with(hash, &[]))?;
        core.log_secret(label::CLIENT_EARLY, &secret);
        core.set_write(RecordCipher::new(session.suite, hash, &secret)?);
        let remaining = usize::try_from(session.max_early_data).unwrap_or(usize::MAX);
        core.early = EarlyData::ClientSending { remaining };
        Ok(())
    }

    pub(crate) fn handle(&mut self, core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        if let Some(t) = &mut self.tls12 {
            return t.handle(core, typ, message);
        }
        let body = msgs::body(message);
        match (self.state, typ) {
            (State::ServerHello, HandshakeType::ServerHello) => {
                let sh = ServerHello::decode(body)?;
                match sh.supported_version {
                    None => self.start_tls12(core, &sh, message),
                    Some(TLS13) if self.offers_tls13 => {
                        if sh.is_retry() {
                            self.handle_retry(core, &sh, message)
                        } else {
                            self.handle_server_hello(core, &sh, message)
                        }
                    }
                    // RFC 8446 section 4.1.3: a version not offered, or one
                    // before 1.3, in supported_versions.
                    Some(_) => Err(Error::IllegalParameter { what: "supported_versions in ServerHello" }),
                }
            }
            (State::EncryptedExtensions, HandshakeType::EncryptedExtensions) => {
                let ee = EncryptedExtensions::decode(body)?;
                // Section 4.2: an extension we never sent is
                // `unsupported_extension`; a value we did not offer in one
                // we sent is `illegal_parameter`.
                if ee.alpn.is_some() && self.hello.alpn.is_empty() {
                    return Err(Error::UnsupportedExtension { what: "ALPN not offered" });
                }
                if ee.server_name_ack && self.hello.server_name.is_none() {
                    return Err(Error::UnsupportedExtension { what: "server_name not sent" });
                }
                if let Some(p) = &ee.alpn
                    && !self.config.alpn_protocols.contains(p)
                {
                    return Err(Error::IllegalParameter { what: "ALPN protocol not offered" });
                }
                self.early_data_verdict(core, ee.early_data)?;
                if let Some(peer) = ee.record_size_limit {
                    let own = self
                        .config
                        .record_size_limit
                        .ok_or(Error::UnsupportedExtension { what: "record_size_limit not offered" })?;
                    if peer > MAX_RECORD_SIZE_LIMIT {
                        return Err(Error::IllegalParameter { what: "record_size_limit above 2^14 + 1" });
                    }
                    core.agree_record_size_limit(false, peer, own);
                }
                self.settle_certificate_types(core, &ee)?;
                core.negotiated.alpn = ee.alpn;
                self.transcript.add(message);
                self.state = if self.resumed { State::Finished } else { State::Certificate };
                Ok(())
            }
            (State::Certificate, HandshakeType::CertificateRequest) if self.cert_request.is_none() => {
                let request = CertificateRequest::decode(body)?;
                // Section 4.3.2: empty during the main handshake.
                if !request.context.is_empty() {
                    return Err(Error::IllegalParameter { what: "certificate_request_context" });
                }
                self.cert_request = Some(request);
                self.transcript.add(message);
                Ok(())
            }
            (State::Certificate, HandshakeType::CompressedCertificate)
                if !self.hello.compress_certificate.is_empty() =>
            {
                // RFC 8879 section 4: hashed as sent, verified as the
                // Certificate it decompresses to.
                let compressed = CompressedCertificate::decode(body)?;
                let cert = decompress(&compressed, &self.hello.compress_certificate)?;
                core.negotiated.cert_compression_received = Some(compressed.algorithm);
                self.handle_certificate(core, &cert, message)
            }
            (State::Certificate, HandshakeType::Certificate) => self.handle_certificate(core, body, message),
            (State::CertificateVerify, HandshakeType::CertificateVerify) => {
                let cv = CertificateVerify::decode(body)?;
                if !self.config.signature_schemes.contains(&cv.scheme) {
                    return Err(Error::IllegalParameter { what: "signature scheme not offered" });
                }
                let spki = rpk::peer_spki(&core.negotiated)?;
                let content = signed_content(true, &self.transcript.current_hash());
                verify_signature(spki, cv.scheme, &content, &cv.signature)?;
                self.transcript.add(message);
                self.state = State::Finished;
                Ok(())
            }
            (State::Finished, HandshakeType::Finished) => self.handle_finished(core, body, message),
            _ => Err(Error::UnexpectedMessage { what: "handshake message out of order (client)" }),
        }
    }

    /// EncryptedExtensions' `early_data` (section 4.2.10): the server may
    /// accept only what we offered, and only with the ticket's PSK and
    /// suite. A refusal switches the write keys to the handshake ones.
    fn early_data_verdict(&mut self, core: &mut Core, accepted: bool) -> Result<(), Error> {
        if accepted {
            if !self.early_offered {
                return Err(Error::UnsupportedExtension { what: "early_data not offered" });
            }
            let suite = self.offered_session.as_ref().map(|t| t.suite);
            if !self.resumed || core.negotiated.suite != suite {
                return Err(Error::IllegalParameter { what: "early_data accepted without the ticket's PSK and suite" });
            }
            core.negotiated.early_data_accepted = true;
            core.early = EarlyData::None;
        } else if self.early_offered {
            self.early_offered = false;
            core.abandon_early_data();
            let keys = self.keys.as_ref().ok_or(Error::UnexpectedMessage { what: "EncryptedExtensions" })?;
            core.set_write(RecordCipher::new(keys.suite, keys.schedule.hash(), &keys.client)?);
        }
        Ok(())
    }

    /// The server's Certificate body (possibly decompressed from a
    /// CompressedCertificate `message`, which is what gets hashed).
    fn handle_certificate(&mut self, core: &mut Core, body: &[u8], message: &[u8]) -> Result<(), Error> {
        let cert = CertificateMsg::decode(body)?;
        if !cert.context.is_empty() {
            return Err(Error::IllegalParameter { what: "certificate_request_context" });
        }
        if cert.chain.is_empty() {
            return Err(Error::Decode { what: "empty certificate list" });
        }
        if cert.ocsp_response.is_some() && !self.config.wants_ocsp() {
            return Err(Error::UnsupportedExtension { what: "status_request not requested" });
        }
        if self.server_cert_type == CertificateType::RAW_PUBLIC_KEY {
            core.negotiated.peer_raw_key = Some(rpk::server_key(&self.config, &cert.chain, core.now_unix)?);
            self.transcript.add(message);
            self.state = State::CertificateVerify;
            return Ok(());
        }
        let chain: Vec<&[u8]> = cert.chain.iter().map(Vec::as_slice).collect();
        self.config.verifier.verify(&chain, &self.server_name, core.now_unix)?;
        check_staple(&self.config, &cert.chain, cert.ocsp_response.as_deref(), core.now_unix)?;
        core.negotiated.peer_chain = cert.chain;
        core.negotiated.ocsp_response = cert.ocsp_response;
        self.transcript.add(message);
        self.state = State::CertificateVerify;
        Ok(())
    }

    /// Checks the certificate types EncryptedExtensions answers (RFC 7250
    /// section 4.2) against our offers and records them. A resumed
    /// handshake sends no Certificate, so only the answers' form counts.
    fn settle_certificate_types(&mut self, core: &mut Core, ee: &EncryptedExtensions) -> Result<(), Error> {
        let server = if self.resumed && ee.server_cert_type.is_none() {
            CertificateType::X509
        } else {
            rpk::check_choice(self.hello.server_cert_types.as_deref(), ee.server_cert_type)?
        };
        // No answer leaves the client on X.509, which it can always send
        // (a certificate or an empty one).
        let client = match ee.client_cert_type {
            None => CertificateType::X509,
            chosen => rpk::check_choice(self.hello.client_cert_types.as_deref(), chosen)?,
        };
        self.server_cert_type = server;
        core.negotiated.client_cert_type = Some(client);
        Ok(())
    }

    /// A ServerHello without supported_versions: TLS 1.2 (or older,
    /// which is refused), handed to the TLS 1.2 state machine.
    fn start_tls12(&mut self, core: &mut Core, sh: &ServerHello, message: &[u8]) -> Result<(), Error> {
        if !self.offers_tls12 || sh.legacy_version != TLS12 || sh.is_retry() {
            return Err(Error::ProtocolVersion);
        }
        if self.retry_suite.is_some() {
            return Err(Error::IllegalParameter { what: "TLS 1.2 after a HelloRetryRequest" });
        }
        // Middlebox compatibility is TLS 1.3's alone.
        core.compat_ccs_pending = false;
        // RFC 7250 section 4.2: a TLS 1.2 server answers our
        // certificate-type offers in its ServerHello. One that resumes
        // our session sends no Certificate, so may leave them out.
        let resuming =
            self.session12.is_some() && !self.hello.session_id.is_empty() && sh.session_id == self.hello.session_id;
        let server_type = if resuming && sh.tls12.server_cert_type.is_none() {
            CertificateType::X509
        } else {
            rpk::check_choice(self.hello.server_cert_types.as_deref(), sh.tls12.server_cert_type)?
        };
        let client_type = match sh.tls12.client_cert_type {
            None => CertificateType::X509,
            chosen => rpk::check_choice(self.hello.client_cert_types.as_deref(), chosen)?,
        };
        core.negotiated.client_cert_type = Some(client_type);
        self.shares.clear();
        self.early_offered = false;
        core.abandon_early_data();
        let transcript = core::mem::replace(&mut self.transcript, Transcript::new());
        let offer = Offer {
            config: self.config.clone(),
            server_name: core::mem::take(&mut self.server_name),
            transcript,
            client_random: self.hello.random,
            offered_suites: &self.hello.cipher_suites,
            offered_tls13: self.offers_tls13,
            offered_session_id: &self.hello.session_id,
            session: self.session12.take(),
            server_cert_type: server_type,
        };
        let t = Client12::start(offer, sh, message, core)?;
        self.tls12 = Some(Box::new(t));
        self.state = State::Done;
        Ok(())
    }

    fn handle_retry(&mut self, core: &mut Core, hrr: &ServerHello, message: &[u8]) -> Result<(), Error> {
        if self.retry_suite.is_some() {
            return Err(Error::UnexpectedMessage { what: "second HelloRetryRequest" });
        }
        if hrr.supported_version != Some(TLS13) {
            return Err(Error::ProtocolVersion);
        }
        if !hrr.cipher_suite.is_tls13()
            || !self.hello.cipher_suites.contains(&hrr.cipher_suite)
            || hrr.session_id != self.hello.session_id
        {
            return Err(Error::IllegalParameter { what: "HelloRetryRequest" });
        }
        let hash = hrr.cipher_suite.hash().ok_or(Error::IllegalParameter { what: "cipher suite" })?;
        if hrr.selected_group.is_none() && hrr.cookie.is_none() {
            return Err(Error::IllegalParameter { what: "HelloRetryRequest changes nothing" });
        }
        if let Some(group) = hrr.selected_group {
            if !self.config.groups.contains(&group) || self.shares.iter().any(|(g, _)| *g == group) {
                return Err(Error::IllegalParameter { what: "HelloRetryRequest group" });
            }
            let (secret, public) = KeyShareSecret::generate(group, &mut core.rng())?;
            self.shares = alloc::vec![(group, secret)];
            self.hello.key_shares = Some(alloc::vec![(group, public)]);
        }
        self.hello.cookie.clone_from(&hrr.cookie);
        // A ticket whose hash the retried suite does not share cannot be
        // offered again (section 4.1.4).
        if self.offered_session.as_ref().is_some_and(|t| t.suite.hash() != Some(hash)) {
            self.offered_session = None;
            self.hello.psk = None;
        }
        self.retry_suite = Some(hrr.cipher_suite);
        core.negotiated.retried = true;
        // Section 4.2.10: no early data in the second ClientHello; what
        // was written is lost, and the ClientHello goes in plaintext.
        self.hello.early_data = false;
        self.early_offered = false;
        core.abandon_early_data();
        self.transcript.rollup_for_hrr(hash);
        self.transcript.add(message);
        self.send_hello(core)
    }

    fn handle_server_hello(&mut self, core: &mut Core, sh: &ServerHello, message: &[u8]) -> Result<(), Error> {
        if sh.supported_version != Some(TLS13) {
            return Err(Error::ProtocolVersion);
        }
        let suite = sh.cipher_suite;
        if !suite.is_tls13()
            || !self.hello.cipher_suites.contains(&suite)
            || self.retry_suite.is_some_and(|s| s != suite)
        {
            return Err(Error::IllegalParameter { what: "cipher suite" });
        }
        if sh.session_id != self.hello.session_id {
            return Err(Error::IllegalParameter { what: "session id echo" });
        }
        let hash = suite.hash().ok_or(Error::IllegalParameter { what: "cipher suite" })?;
        let psk = match (sh.selected_psk, &self.offered_session) {
            (None, _) => None,
            // Section 4.2.11: the one identity we sent, with a suite of
            // the ticket's hash. No Certificate follows: the chain (or raw
            // key) is the one verified when the ticket was issued.
            (Some(0), Some(t)) if t.suite.hash() == Some(hash) => {
                core.negotiated.peer_chain.clone_from(&t.peer_chain);
                core.negotiated.peer_raw_key.clone_from(&t.peer_raw_key);
                Some(t.psk.clone())
            }
            (Some(_), _) => return Err(Error::IllegalParameter { what: "pre_shared_key not offered" }),
        };
        self.resumed = psk.is_some();
        core.negotiated.resumed = self.resumed;
        let (group, peer) = sh.key_share.as_ref().ok_or(Error::MissingExtension { what: "key_share" })?;
        let offered = self
            .shares
            .iter()
            .position(|(g, _)| g == group)
            .ok_or(Error::IllegalParameter { what: "key share group not offered" })?;
        let (_, secret) = self.shares.swap_remove(offered);
        self.shares.clear();
        let shared = secret.agree(peer)?;
        self.transcript.start_hash(hash);
        self.transcript.add(message);
        let schedule = KeySchedule::early(hash, psk.as_deref().map(|p| p.as_slice())).into_handshake(&shared)?;
        let th = self.transcript.current_hash();
        let client = schedule.derive(b"c hs traffic", &th)?;
        let server = schedule.derive(b"s hs traffic", &th)?;
        core.log_secret(label::CLIENT_HANDSHAKE, &client);
        core.log_secret(label::SERVER_HANDSHAKE, &server);
        core.set_read(RecordCipher::new(suite, hash, &server)?);
        if self.early_offered {
            // Too late for more early data; its keys stay until the verdict.
            core.early = EarlyData::ClientWaiting;
        } else {
            core.set_write(RecordCipher::new(suite, hash, &client)?);
        }
        core.negotiated.version = Some(ProtocolVersion::Tls13);
        core.negotiated.suite = Some(suite);
        core.negotiated.group = Some(*group);
        self.keys = Some(HandshakeKeys { schedule, suite, client, server });
        self.state = State::EncryptedExtensions;
        Ok(())
    }

    fn handle_finished(&mut self, core: &mut Core, body: &[u8], message: &[u8]) -> Result<(), Error> {
        let keys = self.keys.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
        let hash = keys.schedule.hash();
        check_finished(hash, &keys.server, &self.transcript.current_hash(), body)?;
        self.transcript.add(message);
        let master = keys.schedule.into_master()?;
        let th = self.transcript.current_hash();
        let client_app = master.derive(b"c ap traffic", &th)?;
        let server_app = master.derive(b"s ap traffic", &th)?;
        let exporter = master.derive(b"exp master", &th)?;
        core.log_secret(label::CLIENT_TRAFFIC_0, &client_app);
        core.log_secret(label::SERVER_TRAFFIC_0, &server_app);
        core.log_secret(label::EXPORTER, &exporter);
        core.exporter = Some(super::exporter::Exporter::Tls13 { hash, secret: exporter });
        if let Some(request) = self.cert_request.take() {
            send_client_certificate(core, &mut self.transcript, &self.config, &request)?;
        }
        if self.early_offered && core.negotiated.early_data_accepted {
            // Section 4.5: the last message under the early keys.
            let eoed = msgs::frame(HandshakeType::EndOfEarlyData, |_| {});
            core.send_handshake(&eoed)?;
            self.transcript.add(&eoed);
            core.set_write(RecordCipher::new(keys.suite, hash, &keys.client)?);
        }
        let th = self.transcript.current_hash();
        let verify_data = core.outgoing_finished(finished_verify_data(hash, &keys.client, &th)?);
        let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&verify_data));
        core.send_handshake(&fin)?;
        self.transcript.add(&fin);
        if self.config.post_handshake_auth {
            core.pha = Some(PostHandshakeAuth::Client { config: self.config.clone(), base: self.transcript.clone() });
        }
        if let Some(store) = self.config.session_store.clone() {
            let secret = master.derive(b"res master", &self.transcript.current_hash())?;
            core.resumption = Some(super::conn::Resumption {
                store,
                server_name: self.server_name.clone(),
                suite: keys.suite,
                secret,
            });
        }
        core.set_write(RecordCipher::new(keys.suite, hash, &client_app)?);
        core.set_read(RecordCipher::new(keys.suite, hash, &server_app)?);
        core.app_secrets = Some(AppSecrets { suite: keys.suite, hash, read: server_app, write: client_app });
        self.state = State::Done;
        core.handshake_complete()
    }
}

/// Our answer to a CertificateRequest (section 4.4.2), during the
/// handshake or after it (section 4.6.2): the configured chain and a
/// CertificateVerify with the first of our key's schemes the server
/// listed; an empty Certificate when there is no certificate or no common
/// scheme (the server then decides). Both go into `transcript`.
pub(crate) fn send_client_certificate(
    core: &mut Core,
    transcript: &mut Transcript,
    config: &ClientConfig,
    request: &CertificateRequest,
) -> Result<(), Error> {
    let scheme_for = |key: &super::cert::SigningKey| {
        key.schemes().iter().copied().find(|s| request.signature_algorithms.contains(s))
    };
    // The type EncryptedExtensions settled (RFC 7250): a raw key goes as
    // a one-entry list holding its SPKI.
    let chosen = if core.negotiated.client_cert_type == Some(CertificateType::RAW_PUBLIC_KEY) {
        config
            .client_raw_key
            .as_ref()
            .and_then(|rk| Some((alloc::vec![rk.spki.clone()], &rk.key, scheme_for(&rk.key)?)))
    } else {
        config.client_cert.as_ref().and_then(|ck| Some((ck.chain.clone(), &ck.key, scheme_for(&ck.key)?)))
    };
    let chain = chosen.as_ref().map(|(chain, ..)| chain.clone()).unwrap_or_default();
    // An empty Certificate is not worth compressing.
    let compress = if chain.is_empty() { &[][..] } else { &config.cert_compression[..] };
    let cert = CertificateMsg { context: request.context.clone(), chain, ocsp_response: None };
    let out = msgs::frame(HandshakeType::Certificate, |o| cert.encode(o));
    let out = core.outgoing_certificate(out, compress, &request.compress_certificate, None)?;
    transcript.add(&out);
    core.send_handshake(&out)?;
    if let Some((_, key, scheme)) = chosen {
        let content = signed_content(false, &transcript.current_hash());
        let signature = key.sign(scheme, &content, &mut core.rng())?;
        let cv = CertificateVerify { scheme, signature };
        let out = msgs::frame(HandshakeType::CertificateVerify, |o| cv.encode(o));
        transcript.add(&out);
        core.send_handshake(&out)?;
        core.negotiated.client_auth_sent = true;
    }
    Ok(())
}
