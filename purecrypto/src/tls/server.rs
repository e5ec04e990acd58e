//! The TLS 1.3 server handshake: ClientHello (possibly answered by a
//! HelloRetryRequest and a second ClientHello), then the server flight
//! ServerHello, EncryptedExtensions, Certificate, CertificateVerify,
//! Finished, then the client's Finished. With
//! [`ServerConfig::client_verifier`] set, a CertificateRequest follows
//! EncryptedExtensions and the client's Certificate and
//! CertificateVerify come before its Finished.
//!
//! Entry point: [`ServerHs`], driven one handshake message at a time.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::{SigningKey, signed_content, verify_signature};
use super::cert_compression::{CompressedCertificate, decompress};
use super::config::ServerConfig;
use super::conn::{AppSecrets, Core};
use super::early_data::{EARLY_DATA_WINDOW_SECS, EarlyData};
use super::error::Error;
use super::key_schedule::{KeySchedule, Secret, check_finished, finished_verify_data};
use super::keylog::label;
use super::msgs::{
    self, CertificateMsg, CertificateRequest, CertificateVerify, ClientHello, EncryptedExtensions, HRR_RANDOM,
    HandshakeType, ServerHello, TLS12, TLS13, Tls12ServerExtensions,
};
use super::pha::PostHandshakeAuth;
use super::psk::{PSK_DHE_KE, binder, resumption_psk, truncated_len};
use super::record::RecordCipher;
use super::rpk::{self, CertificateType};
use super::suites::{CipherSuite, KeyShareSecret, NamedGroup, ProtocolVersion, SignatureScheme};
use super::ticket::TicketState;
use super::tls12::server::Server12;
use super::transcript::Transcript;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    ClientHello,
    /// After accepting 0-RTT: early data until EndOfEarlyData.
    EndOfEarlyData,
    /// After a HelloRetryRequest naming this suite and group.
    RetriedClientHello(CipherSuite, NamedGroup),
    /// After a CertificateRequest.
    ClientCertificate,
    ClientCertificateVerify,
    ClientFinished,
    Done,
}

struct Pending {
    suite: CipherSuite,
    client_hs: Secret,
    client_app: Secret,
    server_app: Secret,
    /// Kept for the resumption master secret, when tickets will be sent.
    master: Option<KeySchedule>,
}

/// A ticket accepted from a ClientHello.
struct Resumed {
    /// Its position among the offered identities.
    index: u16,
    state: TicketState,
    /// The binder that proved it, unique to this ClientHello: what the
    /// anti-replay store records.
    binder: Vec<u8>,
}

pub(crate) struct ServerHs {
    config: Arc<ServerConfig>,
    state: State,
    transcript: Transcript,
    pending: Option<Pending>,
    /// The client allows PSK with ECDHE, so tickets may be sent.
    client_takes_tickets: bool,
    /// The client offered `post_handshake_auth`.
    client_offers_pha: bool,
    /// Set once the ClientHello settled on TLS 1.2; it runs the rest.
    tls12: Option<alloc::boxed::Box<Server12>>,
    /// What the client was asked to authenticate with (RFC 7250), once
    /// a CertificateRequest went out.
    client_cert_type: CertificateType,
}

/// What the server chose from a ClientHello.
struct Choice {
    suite: CipherSuite,
    group: NamedGroup,
    /// The client's share in `group`, `None` when a retry is needed.
    share: Option<Vec<u8>>,
    scheme: SignatureScheme,
    alpn: Option<Vec<u8>>,
    /// What our Certificate carries (RFC 7250), and the key that signs
    /// for it.
    cert_type: CertificateType,
    key: Arc<SigningKey>,
}

impl ServerHs {
    pub(crate) fn new(config: Arc<ServerConfig>) -> Self {
        Self {
            config,
            state: State::ClientHello,
            transcript: Transcript::new(),
            pending: None,
            client_takes_tickets: false,
            client_offers_pha: false,
            tls12: None,
            client_cert_type: CertificateType::X509,
        }
    }

    /// Whether no ClientHello has arrived yet: a ChangeCipherSpec now is
    /// `unexpected_message` (RFC 8446 section 5).
    pub(crate) fn awaits_first_client_hello(&self) -> bool {
        self.tls12.is_none() && self.state == State::ClientHello
    }

    pub(crate) fn handle(&mut self, core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        if let Some(t) = &mut self.tls12 {
            return t.handle(core, typ, message);
        }
        let body = msgs::body(message);
        match (self.state, typ) {
            (State::ClientHello, HandshakeType::ClientHello) => {
                let ch = ClientHello::decode(body)?;
                refuse_ssl3(ch.legacy_version)?;
                let tls13 = self.config.enables(ProtocolVersion::Tls13);
                let client_tls12 = if ch.supported_versions.is_empty() {
                    ch.legacy_version >= TLS12
                } else {
                    ch.supported_versions.contains(&TLS12)
                };
                if !(tls13 && ch.supported_versions.contains(&TLS13)) {
                    if !client_tls12 || !self.config.enables(ProtocolVersion::Tls12) {
                        return Err(Error::ProtocolVersion);
                    }
                    let t = Server12::start(&self.config, &ch, message, tls13, core)?;
                    self.tls12 = Some(alloc::boxed::Box::new(t));
                    self.state = State::Done;
                    return Ok(());
                }
                let choice = self.choose(&ch, None)?;
                if choice.share.is_none() {
                    return self.send_retry(core, &ch, &choice, message);
                }
                let psk = self.accept_psk(core, &ch, message, &choice)?;
                let early = self.accepts_early_data(core, &ch, &choice, psk.as_ref());
                self.transcript.start_hash(hash_of(choice.suite)?);
                self.transcript.add(message);
                self.send_flight(core, &ch, &choice, psk, early)
            }
            (State::RetriedClientHello(suite, group), HandshakeType::ClientHello) => {
                let ch = ClientHello::decode(body)?;
                refuse_ssl3(ch.legacy_version)?;
                // Section 4.2.10: never in the second ClientHello.
                if ch.early_data {
                    return Err(Error::IllegalParameter { what: "early_data after a HelloRetryRequest" });
                }
                let choice = self.choose(&ch, Some((suite, group)))?;
                let psk = self.accept_psk(core, &ch, message, &choice)?;
                self.transcript.add(message);
                self.send_flight(core, &ch, &choice, psk, false)
            }
            (State::EndOfEarlyData, HandshakeType::EndOfEarlyData) => {
                if !body.is_empty() {
                    return Err(Error::Decode { what: "EndOfEarlyData" });
                }
                self.transcript.add(message);
                let p = self.pending.as_ref().ok_or(Error::UnexpectedMessage { what: "EndOfEarlyData" })?;
                core.set_read(RecordCipher::new(p.suite, hash_of(p.suite)?, &p.client_hs)?);
                core.early = EarlyData::None;
                // Early data needs a PSK, and a PSK handshake has no
                // CertificateRequest.
                self.state = State::ClientFinished;
                Ok(())
            }
            (State::ClientCertificate, HandshakeType::Certificate) => {
                self.handle_client_certificate(core, body, message)
            }
            // Our CertificateRequest listed `cert_compression` (RFC 8879).
            (State::ClientCertificate, HandshakeType::CompressedCertificate)
                if !self.config.cert_compression.is_empty() =>
            {
                let compressed = CompressedCertificate::decode(body)?;
                let cert = decompress(&compressed, &self.config.cert_compression)?;
                core.negotiated.cert_compression_received = Some(compressed.algorithm);
                self.handle_client_certificate(core, &cert, message)
            }
            (State::ClientCertificateVerify, HandshakeType::CertificateVerify) => {
                let cv = CertificateVerify::decode(body)?;
                if !REQUESTED_SCHEMES.contains(&cv.scheme) {
                    return Err(Error::IllegalParameter { what: "signature scheme not requested" });
                }
                let spki = rpk::peer_spki(&core.negotiated)?;
                let content = signed_content(false, &self.transcript.current_hash());
                verify_signature(spki, cv.scheme, &content, &cv.signature)?;
                self.transcript.add(message);
                self.state = State::ClientFinished;
                Ok(())
            }
            (State::ClientFinished, HandshakeType::Finished) => {
                let p = self.pending.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                let hash = hash_of(p.suite)?;
                check_finished(hash, &p.client_hs, &self.transcript.current_hash(), body)?;
                self.transcript.add(message);
                core.set_read(RecordCipher::new(p.suite, hash, &p.client_app)?);
                core.app_secrets = Some(AppSecrets { suite: p.suite, hash, read: p.client_app, write: p.server_app });
                if self.client_offers_pha {
                    core.pha = Some(PostHandshakeAuth::Server { base: self.transcript.clone(), request: None });
                }
                if let Some(master) = p.master {
                    let secret = master.derive(b"res master", &self.transcript.current_hash())?;
                    self.send_tickets(core, p.suite, &secret)?;
                }
                self.state = State::Done;
                core.handshake_complete()
            }
            _ => Err(Error::UnexpectedMessage { what: "handshake message out of order (server)" }),
        }
    }

    /// The client's Certificate: empty (refused when the verifier makes
    /// a certificate mandatory) or a chain the verifier must accept.
    fn handle_client_certificate(&mut self, core: &mut Core, body: &[u8], message: &[u8]) -> Result<(), Error> {
        let cert = CertificateMsg::decode(body)?;
        if !cert.context.is_empty() {
            return Err(Error::IllegalParameter { what: "certificate_request_context" });
        }
        // Our CertificateRequest asks for no OCSP response.
        if cert.ocsp_response.is_some() {
            return Err(Error::UnsupportedExtension { what: "status_request in a client Certificate" });
        }
        self.transcript.add(message);
        if self.client_cert_type == CertificateType::RAW_PUBLIC_KEY {
            core.negotiated.peer_raw_key = rpk::client_key(&self.config, &cert.chain, core.now_unix)?;
            self.state = if core.negotiated.peer_raw_key.is_some() {
                State::ClientCertificateVerify
            } else {
                State::ClientFinished
            };
            return Ok(());
        }
        let verifier = self.config.client_verifier.clone().ok_or(Error::UnexpectedMessage { what: "Certificate" })?;
        if cert.chain.is_empty() {
            if verifier.client_auth_mandatory() {
                return Err(Error::CertificateRequired);
            }
            self.state = State::ClientFinished;
            return Ok(());
        }
        let chain: Vec<&[u8]> = cert.chain.iter().map(Vec::as_slice).collect();
        verifier.verify(&chain, core.now_unix)?;
        core.negotiated.peer_chain = cert.chain;
        self.state = State::ClientCertificateVerify;
        Ok(())
    }

    /// The first offered ticket that opens, is neither expired nor aged
    /// implausibly, and fits this handshake (suite hash, SNI, ALPN, a
    /// client identity if this server insists on one); its binder must
    /// then verify (`decrypt_error` otherwise, section
    /// 4.2.11). `None`: a full handshake.
    fn accept_psk(
        &self,
        core: &Core,
        ch: &ClientHello,
        message: &[u8],
        choice: &Choice,
    ) -> Result<Option<Resumed>, Error> {
        let Some(offer) = &ch.psk else { return Ok(None) };
        // Section 4.2.9: a PSK offer needs the modes extension.
        if ch.psk_modes.is_empty() {
            return Err(Error::MissingExtension { what: "psk_key_exchange_modes" });
        }
        let Some(ticketer) = &self.config.ticketer else { return Ok(None) };
        if !ch.psk_modes.contains(&PSK_DHE_KE) {
            return Ok(None);
        }
        let hash = hash_of(choice.suite)?;
        let now = core.now_unix;
        let found = offer.identities.iter().enumerate().find_map(|(i, id)| {
            let state = ticketer.open(&id.identity, now)?;
            let server_age = now.checked_sub(state.issued)?;
            let client_age = u64::from(id.obfuscated_age.wrapping_sub(state.age_add)) / 1000;
            let fits = state.suite.is_tls13()
                && state.suite.hash() == Some(hash)
                && server_age < u64::from(state.lifetime)
                && server_age.abs_diff(client_age) <= EARLY_DATA_WINDOW_SECS
                && state.server_name == ch.server_name
                && state.alpn == choice.alpn
                && self.config.resumes_identity(&state.peer_chain, state.peer_raw_key.as_deref());
            fits.then_some((i, state))
        });
        let Some((index, state)) = found else { return Ok(None) };
        let cut = truncated_len(message, offer)?;
        let th = self.transcript.hash_with(hash, message.get(..cut).unwrap_or_default());
        let expected = binder(hash, &state.psk, &th)?;
        let received = offer.binders.get(index).ok_or(Error::IllegalParameter { what: "PSK binders" })?;
        if expected.len() != received.len() || !bool::from(subtle::ConstantTimeEq::ct_eq(&expected[..], &received[..]))
        {
            return Err(Error::DecryptError { what: "PSK binder" });
        }
        let index = u16::try_from(index).map_err(|_| Error::IllegalParameter { what: "PSK identities" })?;
        Ok(Some(Resumed { index, state, binder: expected }))
    }

    /// Whether to take the 0-RTT data the ClientHello announces (section
    /// 4.2.10): 0-RTT on here, the first identity, a ticket that allowed
    /// it, issued for this very suite and ALPN protocol (`accept_psk`
    /// already matched server name, version and ticket age), and a
    /// ClientHello the anti-replay store has not seen. Asked last, the
    /// store only records ClientHellos that pass everything else.
    fn accepts_early_data(&self, core: &Core, ch: &ClientHello, choice: &Choice, psk: Option<&Resumed>) -> bool {
        let Some(r) = psk else { return false };
        ch.early_data
            && self.config.max_early_data_size != 0
            && r.index == 0
            && r.state.max_early_data != 0
            && r.state.suite == choice.suite
            && r.state.alpn == choice.alpn
            && self.config.anti_replay.as_ref().is_some_and(|a| a.check_and_record(&r.binder, core.now_unix))
    }

    /// NewSessionTicket messages (section 4.6.1) under the application
    /// keys, each sealing its own PSK.
    fn send_tickets(&mut self, core: &mut Core, suite: CipherSuite, resumption_master: &[u8]) -> Result<(), Error> {
        let Some(ticketer) = self.config.ticketer.clone() else { return Ok(()) };
        // A name no DNS name can be would not fit in a ticket: no tickets.
        if core.negotiated.server_name.as_ref().is_some_and(|n| n.len() > 255) {
            return Ok(());
        }
        let hash = hash_of(suite)?;
        for i in 0..self.config.tickets_per_connection {
            let nonce = alloc::vec![i];
            let mut age_add = [0u8; 4];
            core.rng().try_fill_bytes(&mut age_add)?;
            let state = TicketState {
                suite,
                issued: core.now_unix,
                age_add: u32::from_be_bytes(age_add),
                lifetime: ticketer.lifetime(),
                psk: resumption_psk(hash, resumption_master, &nonce)?,
                server_name: core.negotiated.server_name.clone(),
                alpn: core.negotiated.alpn.clone(),
                max_early_data: self.config.max_early_data_size,
                peer_chain: core.negotiated.peer_chain.clone(),
                peer_raw_key: core.negotiated.peer_raw_key.clone(),
            };
            // A client chain too large to travel in a ticket: no tickets.
            if state.too_large() {
                return Ok(());
            }
            let ticket = ticketer.seal(&state, core.now_unix, core.rng())?;
            let nst = msgs::NewSessionTicket {
                lifetime: state.lifetime,
                age_add: state.age_add,
                nonce,
                ticket,
                max_early_data: (state.max_early_data != 0).then_some(state.max_early_data),
            };
            let out = msgs::frame(HandshakeType::NewSessionTicket, |o| nst.encode(o));
            core.send_handshake(&out)?;
        }
        Ok(())
    }

    fn choose(&self, ch: &ClientHello, retry: Option<(CipherSuite, NamedGroup)>) -> Result<Choice, Error> {
        if !ch.supported_versions.contains(&TLS13) {
            return Err(Error::ProtocolVersion);
        }
        let suite = self
            .config
            .cipher_suites
            .iter()
            .copied()
            .find(|s| s.is_tls13() && ch.cipher_suites.contains(s))
            .ok_or(Error::HandshakeFailure { what: "no common cipher suite" })?;
        let shares = ch.key_shares.as_ref().ok_or(Error::MissingExtension { what: "key_share" })?;
        if ch.supported_groups.is_empty() {
            return Err(Error::MissingExtension { what: "supported_groups" });
        }
        if ch.signature_algorithms.is_empty() {
            return Err(Error::MissingExtension { what: "signature_algorithms" });
        }
        if shares.iter().any(|(g, _)| !ch.supported_groups.contains(g)) {
            return Err(Error::IllegalParameter { what: "key share for a group not in supported_groups" });
        }
        let (group, share) = match retry {
            Some((retry_suite, group)) => {
                if suite != retry_suite {
                    return Err(Error::IllegalParameter { what: "cipher suite changed after retry" });
                }
                match shares.as_slice() {
                    [(g, share)] if *g == group => (group, Some(share.clone())),
                    _ => return Err(Error::IllegalParameter { what: "retried ClientHello key share" }),
                }
            }
            None => {
                let with_share =
                    self.config.groups.iter().find_map(|g| shares.iter().find(|(cg, _)| cg == g).map(|(_, s)| (*g, s)));
                match with_share {
                    Some((g, s)) => (g, Some(s.clone())),
                    None => {
                        let g = self
                            .config
                            .groups
                            .iter()
                            .copied()
                            .find(|g| ch.supported_groups.contains(g))
                            .ok_or(Error::HandshakeFailure { what: "no common group" })?;
                        (g, None)
                    }
                }
            }
        };
        let raw = self.config.raw_key.as_ref();
        let cert_type =
            rpk::choose(ch.server_cert_types.as_deref(), raw.is_some(), !self.config.cert_chain.is_empty())?;
        let key = rpk::server_signing_key(&self.config, cert_type);
        let scheme = key
            .schemes()
            .iter()
            .copied()
            .find(|s| ch.signature_algorithms.contains(s))
            .ok_or(Error::HandshakeFailure { what: "no common signature scheme" })?;
        let alpn = if ch.alpn.is_empty() || self.config.alpn_protocols.is_empty() {
            None
        } else {
            Some(
                self.config
                    .alpn_protocols
                    .iter()
                    .find(|p| ch.alpn.contains(p))
                    .cloned()
                    .ok_or(Error::NoApplicationProtocol)?,
            )
        };
        Ok(Choice { suite, group, share, scheme, alpn, cert_type, key })
    }

    fn send_retry(&mut self, core: &mut Core, ch: &ClientHello, choice: &Choice, message: &[u8]) -> Result<(), Error> {
        let hash = hash_of(choice.suite)?;
        self.transcript.start_hash(hash);
        self.transcript.add(message);
        self.transcript.rollup_for_hrr(hash);
        let hrr = ServerHello {
            legacy_version: TLS12,
            random: HRR_RANDOM,
            session_id: ch.session_id.clone(),
            cipher_suite: choice.suite,
            supported_version: Some(TLS13),
            key_share: None,
            selected_group: Some(choice.group),
            cookie: None,
            selected_psk: None,
            tls12: Tls12ServerExtensions::default(),
        };
        let out = msgs::frame(HandshakeType::ServerHello, |o| hrr.encode(o));
        self.transcript.add(&out);
        core.send_handshake(&out)?;
        core.compat_ccs_pending = !ch.session_id.is_empty();
        core.flush_compat_ccs();
        core.negotiated.retried = true;
        // Whatever early data follows the first ClientHello is refused.
        if ch.early_data {
            core.early = EarlyData::skipping(self.config.max_early_data_size);
        }
        self.state = State::RetriedClientHello(choice.suite, choice.group);
        Ok(())
    }

    fn send_flight(
        &mut self,
        core: &mut Core,
        ch: &ClientHello,
        choice: &Choice,
        psk: Option<Resumed>,
        accept_early: bool,
    ) -> Result<(), Error> {
        self.client_takes_tickets = ch.psk_modes.contains(&PSK_DHE_KE);
        self.client_offers_pha = ch.post_handshake_auth;
        let suite = choice.suite;
        let hash = hash_of(suite)?;
        let peer_share = choice.share.as_deref().ok_or(Error::MissingExtension { what: "key_share" })?;
        let (public, shared) = KeyShareSecret::respond(choice.group, peer_share, &mut core.rng())?;
        let ch_hash = self.transcript.current_hash();

        let sh = ServerHello {
            legacy_version: TLS12,
            random: core.random32()?,
            session_id: ch.session_id.clone(),
            cipher_suite: suite,
            supported_version: Some(TLS13),
            key_share: Some((choice.group, public)),
            selected_group: None,
            cookie: None,
            selected_psk: psk.as_ref().map(|r| r.index),
            tls12: Tls12ServerExtensions::default(),
        };
        let out = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
        self.transcript.add(&out);
        core.send_handshake(&out)?;
        // Middlebox compatibility (RFC 8446 appendix D.4): a client that
        // sent a session ID gets a dummy change_cipher_spec after our
        // first handshake message (this one, or the HelloRetryRequest).
        // One that sent none asked for no disguise (OpenSSL 3.0's server
        // sends it anyway; every TLS 1.3 client drops it).
        if !core.negotiated.retried {
            core.compat_ccs_pending = !ch.session_id.is_empty();
        }

        let resumed = psk.is_some();
        core.negotiated.resumed = resumed;
        // No Certificate comes with a PSK: the client is who it proved to
        // be when the ticket was issued.
        if let Some(r) = &psk {
            core.negotiated.peer_chain.clone_from(&r.state.peer_chain);
            core.negotiated.peer_raw_key.clone_from(&r.state.peer_raw_key);
        }
        let early = KeySchedule::early(hash, psk.as_ref().map(|r| r.state.psk.as_slice()));
        // client_early_traffic_secret over the ClientHello (section 7.1).
        let client_early = if accept_early { Some(early.derive(b"c e traffic", &ch_hash)?) } else { None };
        let schedule = early.into_handshake(&shared)?;
        let th = self.transcript.current_hash();
        let client_hs = schedule.derive(b"c hs traffic", &th)?;
        let server_hs = schedule.derive(b"s hs traffic", &th)?;
        core.client_random = ch.random;
        if let Some(secret) = &client_early {
            core.log_secret(label::CLIENT_EARLY, secret);
        }
        core.log_secret(label::CLIENT_HANDSHAKE, &client_hs);
        core.log_secret(label::SERVER_HANDSHAKE, &server_hs);
        core.set_write(RecordCipher::new(suite, hash, &server_hs)?);

        // RFC 8449: in force from EncryptedExtensions (our first protected
        // record) on.
        let record_size_limit = ch.record_size_limit.zip(self.config.record_size_limit);
        if let Some((peer, own)) = record_size_limit {
            core.agree_record_size_limit(false, peer, own);
        }
        // Section 4.3.2 / 4.4.2: a PSK handshake has no certificates.
        let client_cert_type =
            if resumed { None } else { rpk::client_auth_type(&self.config, ch.client_cert_types.as_deref())? };
        // RFC 7250 section 4.2: answer each type list the client sent.
        let ee = EncryptedExtensions {
            alpn: choice.alpn.clone(),
            server_name_ack: false,
            early_data: accept_early,
            record_size_limit: record_size_limit.map(|(_, own)| own),
            client_cert_type: client_cert_type.filter(|_| ch.client_cert_types.is_some()),
            server_cert_type: ch.server_cert_types.as_ref().filter(|_| !resumed).map(|_| choice.cert_type),
        };
        let out = msgs::frame(HandshakeType::EncryptedExtensions, |o| ee.encode(o));
        self.send(core, &out)?;

        let request_cert = client_cert_type.is_some();
        if let Some(t) = client_cert_type {
            self.client_cert_type = t;
            core.negotiated.client_cert_type = Some(t);
            let request = CertificateRequest {
                context: Vec::new(),
                signature_algorithms: REQUESTED_SCHEMES.to_vec(),
                compress_certificate: self.config.cert_compression.clone(),
            };
            let out = msgs::frame(HandshakeType::CertificateRequest, |o| request.encode(o));
            self.send(core, &out)?;
        }

        if !resumed {
            let raw = self.config.raw_key.as_ref().filter(|_| choice.cert_type == CertificateType::RAW_PUBLIC_KEY);
            let cert = match raw {
                // RFC 8446 section 4.4.2: one entry, the SPKI; no OCSP.
                Some(r) => {
                    CertificateMsg { context: Vec::new(), chain: alloc::vec![r.spki.clone()], ocsp_response: None }
                }
                None => CertificateMsg {
                    context: Vec::new(),
                    chain: self.config.cert_chain.clone(),
                    ocsp_response: self.config.ocsp_response.clone().filter(|_| ch.status_request),
                },
            };
            let out = msgs::frame(HandshakeType::Certificate, |o| cert.encode(o));
            let cache = Some(&self.config.compressed_certificates);
            let out = core.outgoing_certificate(out, &self.config.cert_compression, &ch.compress_certificate, cache)?;
            self.send(core, &out)?;

            let content = signed_content(true, &self.transcript.current_hash());
            let signature = choice.key.sign(choice.scheme, &content, &mut core.rng())?;
            let cv = CertificateVerify { scheme: choice.scheme, signature };
            let out = msgs::frame(HandshakeType::CertificateVerify, |o| cv.encode(o));
            self.send(core, &out)?;
        }

        let verify_data =
            core.outgoing_finished(finished_verify_data(hash, &server_hs, &self.transcript.current_hash())?);
        let out = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&verify_data));
        self.send(core, &out)?;

        let master = schedule.into_master()?;
        let th = self.transcript.current_hash();
        let client_app = master.derive(b"c ap traffic", &th)?;
        let server_app = master.derive(b"s ap traffic", &th)?;
        let exporter = master.derive(b"exp master", &th)?;
        core.log_secret(label::CLIENT_TRAFFIC_0, &client_app);
        core.log_secret(label::SERVER_TRAFFIC_0, &server_app);
        core.log_secret(label::EXPORTER, &exporter);
        core.exporter = Some(super::exporter::Exporter::Tls13 { hash, secret: exporter });
        core.set_write(RecordCipher::new(suite, hash, &server_app)?);
        match &client_early {
            Some(secret) => {
                core.set_read(RecordCipher::new(suite, hash, secret)?);
                // What the ticket promised, or less if 0-RTT was turned
                // down since.
                let ticket_max = psk.as_ref().map_or(0, |r| r.state.max_early_data);
                let max = usize::try_from(self.config.max_early_data_size.min(ticket_max)).unwrap_or(usize::MAX);
                core.early = EarlyData::ServerAccepting { remaining: max };
                core.negotiated.early_data_accepted = true;
            }
            None => {
                core.set_read(RecordCipher::new(suite, hash, &client_hs)?);
                if ch.early_data && !core.negotiated.retried {
                    core.early = EarlyData::skipping(self.config.max_early_data_size);
                }
            }
        }
        core.negotiated.version = Some(ProtocolVersion::Tls13);
        core.negotiated.suite = Some(suite);
        core.negotiated.group = Some(choice.group);
        core.negotiated.alpn.clone_from(&choice.alpn);
        core.negotiated.server_name.clone_from(&ch.server_name);
        let master = (self.config.ticketer.is_some() && self.client_takes_tickets).then_some(master);
        self.pending = Some(Pending { suite, client_hs, client_app, server_app, master });
        self.state = if client_early.is_some() {
            State::EndOfEarlyData
        } else if request_cert {
            State::ClientCertificate
        } else {
            State::ClientFinished
        };
        Ok(())
    }

    fn send(&mut self, core: &mut Core, message: &[u8]) -> Result<(), Error> {
        self.transcript.add(message);
        core.send_handshake(message)
    }
}

/// What a CertificateRequest lists: every scheme TLS 1.3 allows in a
/// CertificateVerify (not PKCS #1 v1.5, section 4.2.3).
pub(crate) const REQUESTED_SCHEMES: &[SignatureScheme] = &[
    SignatureScheme::ED25519,
    SignatureScheme::ED448,
    SignatureScheme::ECDSA_SECP256R1_SHA256,
    SignatureScheme::ECDSA_SECP384R1_SHA384,
    SignatureScheme::ECDSA_SECP521R1_SHA512,
    SignatureScheme::RSA_PSS_RSAE_SHA256,
    SignatureScheme::RSA_PSS_RSAE_SHA384,
    SignatureScheme::RSA_PSS_RSAE_SHA512,
    SignatureScheme::RSA_PSS_PSS_SHA256,
    SignatureScheme::RSA_PSS_PSS_SHA384,
    SignatureScheme::RSA_PSS_PSS_SHA512,
];

/// RFC 8446 appendix D.5: a hello whose `legacy_version` is 0x0300 (SSL
/// 3.0) or less ends the handshake with `protocol_version`, whatever
/// `supported_versions` says.
pub(crate) fn refuse_ssl3(legacy_version: u16) -> Result<(), Error> {
    if legacy_version <= 0x0300 { Err(Error::ProtocolVersion) } else { Ok(()) }
}

fn hash_of(suite: CipherSuite) -> Result<crate::hash::HashAlgorithm, Error> {
    suite.hash().ok_or(Error::HandshakeFailure { what: "cipher suite" })
}
