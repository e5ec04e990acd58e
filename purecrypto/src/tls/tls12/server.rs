//! The TLS 1.2 server handshake after a ClientHello settled on TLS 1.2:
//! ServerHello, Certificate, ServerKeyExchange, (CertificateRequest,)
//! ServerHelloDone; then the client's (Certificate,) ClientKeyExchange,
//! (CertificateVerify,) ChangeCipherSpec (handled by the connection) and
//! Finished; then our ChangeCipherSpec and Finished.
//!
//! With a [`ServerConfig::ticketer`] and a client that sends the
//! `session_ticket` extension, a NewSessionTicket goes before our
//! ChangeCipherSpec; a valid ticket offered back resumes with the
//! abbreviated handshake (RFC 5077 section 3.1): ServerHello echoing the
//! session ID, NewSessionTicket, ChangeCipherSpec, Finished, then the
//! client's ChangeCipherSpec and Finished. With a
//! [`ServerConfig::session_cache`], a full handshake that issues no
//! ticket chooses a session ID and caches the session after the client's
//! Finished; that ID offered back resumes the same way (RFC 5246 section
//! 7.4.1.2).
//!
//! Raw public keys (RFC 7250): the ServerHello answers the client's
//! `server_certificate_type` / `client_certificate_type` lists with the
//! types chosen as TLS 1.3 chooses them (`rpk.rs`); a RawPublicKey
//! Certificate is the SPKI alone, and the raw key signs the
//! ServerKeyExchange. Resumption restores the client's identity (chain
//! or raw key) from the session state.
//!
//! Entry point: [`Server12::start`], which makes every choice
//! (certificate type, suite by key type, group, signature scheme, ALPN)
//! and insists on the extended master secret and the renegotiation
//! indication.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::keys::{MasterSecret, check_verify_data, extended_master_secret, record_ciphers, verify_data};
use super::msgs::{
    CERT_TYPES, CertificateRequest12, DOWNGRADE_TLS12, ServerKeyExchange, decode_client_certificate,
    decode_client_key_exchange, decode_raw_key_certificate, encode_certificate, encode_raw_key_certificate,
};
use super::sig;
use super::tickets::{self, Resumable};
use crate::hash::HashAlgorithm;
use crate::tls::cert::SigningKey;
use crate::tls::config::ServerConfig;
use crate::tls::conn::Core;
use crate::tls::error::Error;
use crate::tls::exporter::Exporter;
use crate::tls::msgs::{self, ClientHello, HandshakeType, ServerHello, TLS12, Tls12ServerExtensions};
use crate::tls::record::MAX_PLAINTEXT;
use crate::tls::rpk::{self, CertificateType};
use crate::tls::suites::{CipherSuite, KeyShareSecret, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::tls::transcript::Transcript;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    /// After a CertificateRequest.
    ClientCertificate,
    ClientKeyExchange,
    CertificateVerify,
    Finished,
    Done,
}

pub(crate) struct Server12 {
    config: Arc<ServerConfig>,
    state: State,
    /// The client sent a certificate, so a CertificateVerify follows.
    expect_verify: bool,
    transcript: Transcript,
    suite: CipherSuite,
    hash: HashAlgorithm,
    client_random: [u8; 32],
    server_random: [u8; 32],
    share: Option<KeyShareSecret>,
    master: Option<MasterSecret>,
    pending_write: Option<crate::tls::record::RecordCipher>,
    /// The ServerHello promised a NewSessionTicket.
    issue_ticket: bool,
    /// Abbreviated handshake: our Finished went first.
    resumed: bool,
    /// The session ID our ServerHello chose, to cache the session under
    /// once the handshake completes.
    cache_id: Option<Vec<u8>>,
    /// What the client was asked to authenticate with (RFC 7250).
    client_cert_type: CertificateType,
}

/// Our TLS 1.2 ServerHello: extended master secret and renegotiation
/// indication always, point formats when the client sent them, a ticket
/// promise when we will send one.
fn server_hello(
    ch: &ClientHello,
    random: [u8; 32],
    session_id: Vec<u8>,
    suite: CipherSuite,
    alpn: Option<Vec<u8>>,
    session_ticket: bool,
) -> ServerHello {
    ServerHello {
        legacy_version: TLS12,
        random,
        session_id,
        cipher_suite: suite,
        supported_version: None,
        key_share: None,
        selected_group: None,
        cookie: None,
        selected_psk: None,
        tls12: Tls12ServerExtensions {
            extended_master_secret: true,
            renegotiation_info: Some(Vec::new()),
            alpn,
            ec_point_formats: ch.ec_point_formats.as_ref().map(|_| alloc::vec![0]),
            server_name_ack: false,
            session_ticket,
            record_size_limit: None,
            status_request: false,
            // RFC 7250 section 4.2: set by a full handshake when the
            // client sent the lists; a resumption has no Certificate.
            client_cert_type: None,
            server_cert_type: None,
        },
    }
}

/// RFC 8449 in TLS 1.2: when both sides have a `record_size_limit`,
/// puts it in force and returns ours (at most 2^14) for the ServerHello.
fn agree_record_size_limit(config: &ServerConfig, ch: &ClientHello, core: &mut Core) -> Option<u16> {
    let (peer, own) = ch.record_size_limit.zip(config.record_size_limit)?;
    let own = own.min(MAX_PLAINTEXT as u16);
    core.agree_record_size_limit(true, peer, own);
    Some(own)
}

fn key_is_rsa(key: &SigningKey) -> bool {
    matches!(key, SigningKey::Rsa(_) | SigningKey::RsaPss(..))
}

impl Server12 {
    /// Answers `ch` (its framed bytes in `message`) with the whole
    /// server flight. `tls13_enabled`: this server also speaks TLS 1.3,
    /// so it marks its random with the downgrade sentinel.
    pub(crate) fn start(
        config: &Arc<ServerConfig>,
        ch: &ClientHello,
        message: &[u8],
        tls13_enabled: bool,
        core: &mut Core,
    ) -> Result<Self, Error> {
        if !ch.extended_master_secret {
            return Err(Error::HandshakeFailure { what: "extended master secret required" });
        }
        let scsv = ch.cipher_suites.contains(&CipherSuite::TLS_EMPTY_RENEGOTIATION_INFO_SCSV);
        match &ch.renegotiation_info {
            Some(ri) if ri.is_empty() => {}
            None if scsv => {}
            _ => return Err(Error::HandshakeFailure { what: "secure renegotiation indication" }),
        }
        // RFC 7250 section 4.2: our type from the client's list (X.509
        // without one), and the key that signs for it.
        let cert_type =
            rpk::choose(ch.server_cert_types.as_deref(), config.raw_key.is_some(), !config.cert_chain.is_empty())?;
        let key = rpk::server_signing_key(config, cert_type);
        let rsa = key_is_rsa(&key);
        // RFC 8422 section 5.1: an ECDSA certificate's curve must be one
        // the client listed in supported_groups.
        let curve = match &*key {
            SigningKey::EcdsaP256(_) => Some(NamedGroup::SECP256R1),
            SigningKey::EcdsaP384(_) => Some(NamedGroup::SECP384R1),
            _ => None,
        };
        if curve.is_some_and(|c| !ch.supported_groups.contains(&c)) {
            return Err(Error::HandshakeFailure { what: "certificate curve not in supported_groups" });
        }
        let suite = config
            .cipher_suites
            .iter()
            .copied()
            .find(|s| s.is_tls12() && s.tls12_rsa_auth() == rsa && ch.cipher_suites.contains(s))
            .ok_or(Error::HandshakeFailure { what: "no common cipher suite" })?;
        let hash = suite.hash().ok_or(Error::HandshakeFailure { what: "cipher suite" })?;
        let group = config
            .groups
            .iter()
            .copied()
            .find(|g| g.is_ecdhe() && ch.supported_groups.contains(g))
            .ok_or(Error::HandshakeFailure { what: "no common group" })?;
        if let Some(f) = &ch.ec_point_formats
            && !f.contains(&0)
        {
            return Err(Error::HandshakeFailure { what: "ec_point_formats without uncompressed" });
        }
        let scheme = sig::schemes(&key)
            .iter()
            .copied()
            .find(|s| ch.signature_algorithms.contains(s))
            .ok_or(Error::HandshakeFailure { what: "no common signature scheme" })?;
        let alpn = if ch.alpn.is_empty() || config.alpn_protocols.is_empty() {
            None
        } else {
            Some(
                config
                    .alpn_protocols
                    .iter()
                    .find(|p| ch.alpn.contains(p))
                    .cloned()
                    .ok_or(Error::NoApplicationProtocol)?,
            )
        };

        let mut server_random = core.random32()?;
        if tls13_enabled && let Some(tail) = server_random.get_mut(24..) {
            tail.copy_from_slice(&DOWNGRADE_TLS12);
        }
        if let Some(r) = tickets::resumable(config, ch, alpn.as_deref(), core.now_unix) {
            return Self::resume(config, ch, message, server_random, alpn, r, core);
        }
        let issue_ticket = tickets::will_issue(config, ch);
        let cache_id =
            if tickets::will_cache(config, ch, issue_ticket) { Some(core.random32()?.to_vec()) } else { None };
        let client_cert_type = rpk::client_auth_type(config, ch.client_cert_types.as_deref())?;
        let requests_cert = client_cert_type.is_some();
        // Set before the first message goes out, which the message log
        // records with the version in effect.
        core.negotiated.version = Some(ProtocolVersion::Tls12);
        let mut transcript = Transcript::new();
        // A client CertificateVerify signs the messages themselves.
        if requests_cert {
            transcript.start_hash_keeping(hash);
        } else {
            transcript.start_hash(hash);
        }
        transcript.add(message);
        let mut send = |core: &mut Core, msg: Vec<u8>| {
            transcript.add(&msg);
            core.send_handshake(&msg)
        };

        let mut sh =
            server_hello(ch, server_random, cache_id.clone().unwrap_or_default(), suite, alpn.clone(), issue_ticket);
        sh.tls12.record_size_limit = agree_record_size_limit(config, ch, core);
        // RFC 7250 section 4.2: answer each type list the client sent.
        sh.tls12.server_cert_type = ch.server_cert_types.as_ref().map(|_| cert_type);
        sh.tls12.client_cert_type = client_cert_type.filter(|_| ch.client_cert_types.is_some());
        let raw = config.raw_key.as_ref().filter(|_| cert_type == CertificateType::RAW_PUBLIC_KEY);
        // No OCSP response speaks for a raw key.
        let staple = config.ocsp_response.as_deref().filter(|_| ch.status_request && raw.is_none());
        sh.tls12.status_request = staple.is_some();
        send(core, msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o)))?;
        let cert = match raw {
            Some(r) => msgs::frame(HandshakeType::Certificate, |o| encode_raw_key_certificate(Some(&r.spki), o)),
            None => msgs::frame(HandshakeType::Certificate, |o| encode_certificate(&config.cert_chain, o)),
        };
        send(core, cert)?;
        if let Some(response) = staple {
            send(
                core,
                msgs::frame(HandshakeType::CertificateStatus, |o| msgs::encode_certificate_status(o, response)),
            )?;
        }

        let (secret, public) = KeyShareSecret::generate(group, &mut core.rng())?;
        let mut ske = ServerKeyExchange { group, public, scheme, signature: Vec::new() };
        let content = ske.signed_content(&ch.random, &server_random);
        ske.signature = sig::sign(&key, scheme, &content, &mut core.rng())?;
        send(core, msgs::frame(HandshakeType::ServerKeyExchange, |o| ske.encode(o)))?;
        if requests_cert {
            let request =
                CertificateRequest12 { cert_types: CERT_TYPES.to_vec(), schemes: SignatureScheme::SUPPORTED.to_vec() };
            send(core, msgs::frame(HandshakeType::CertificateRequest, |o| request.encode(o)))?;
        }
        send(core, msgs::frame(HandshakeType::ServerHelloDone, |_| {}))?;

        core.negotiated.suite = Some(suite);
        core.negotiated.group = Some(group);
        core.negotiated.alpn = alpn;
        core.negotiated.server_name.clone_from(&ch.server_name);
        core.negotiated.client_cert_type = client_cert_type;
        Ok(Self {
            config: Arc::clone(config),
            state: if requests_cert { State::ClientCertificate } else { State::ClientKeyExchange },
            expect_verify: false,
            transcript,
            suite,
            hash,
            client_random: ch.random,
            server_random,
            share: Some(secret),
            master: None,
            pending_write: None,
            issue_ticket,
            resumed: false,
            cache_id,
            client_cert_type: client_cert_type.unwrap_or(CertificateType::X509),
        })
    }

    /// The abbreviated handshake for the session `r` from the client's
    /// ticket or cached under its session ID: ServerHello (echoing the
    /// client's session ID), a fresh ticket if asked for, ChangeCipherSpec
    /// and Finished.
    fn resume(
        config: &Arc<ServerConfig>,
        ch: &ClientHello,
        message: &[u8],
        server_random: [u8; 32],
        alpn: Option<Vec<u8>>,
        r: Resumable,
        core: &mut Core,
    ) -> Result<Self, Error> {
        let Resumable { suite, master, peer_chain, peer_raw_key } = r;
        let hash = suite.hash().ok_or(Error::HandshakeFailure { what: "cipher suite" })?;
        let mut transcript = Transcript::new();
        transcript.start_hash(hash);
        transcript.add(message);
        core.negotiated.version = Some(ProtocolVersion::Tls12);
        core.negotiated.suite = Some(suite);
        core.negotiated.alpn.clone_from(&alpn);
        core.negotiated.server_name.clone_from(&ch.server_name);
        core.negotiated.resumed = true;
        // No Certificate comes: the client is who it proved to be in the
        // session's full handshake.
        core.negotiated.peer_chain = peer_chain;
        core.negotiated.peer_raw_key = peer_raw_key;
        let issue_ticket = tickets::will_issue(config, ch);
        let mut sh = server_hello(ch, server_random, ch.session_id.clone(), suite, alpn, issue_ticket);
        sh.tls12.record_size_limit = agree_record_size_limit(config, ch, core);
        let hello = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
        transcript.add(&hello);
        core.send_handshake(&hello)?;
        if issue_ticket {
            let nst = tickets::new_ticket(config, core, suite, &master)?;
            let nst = msgs::frame(HandshakeType::NewSessionTicket, |o| nst.encode(o));
            transcript.add(&nst);
            core.send_handshake(&nst)?;
        }
        let (client_write, server_write) = record_ciphers(suite, hash, &*master, &ch.random, &server_random)?;
        core.expect_change_cipher_spec(client_write);
        core.client_random = ch.random;
        core.log_secret(crate::tls::keylog::label::CLIENT_RANDOM, &*master);
        core.exporter = Some(Exporter::tls12(hash, &master, &ch.random, &server_random));
        core.change_write_cipher(server_write)?;
        let vd = verify_data(hash, &*master, false, &transcript.current_hash());
        let vd = core.outgoing_finished(vd.to_vec());
        let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&vd));
        transcript.add(&fin);
        core.send_handshake(&fin)?;
        Ok(Self {
            config: Arc::clone(config),
            state: State::Finished,
            expect_verify: false,
            transcript,
            suite,
            hash,
            client_random: ch.random,
            server_random,
            share: None,
            master: Some(master),
            pending_write: None,
            issue_ticket: false,
            resumed: true,
            cache_id: None,
            client_cert_type: CertificateType::X509,
        })
    }

    pub(crate) fn handle(&mut self, core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        let body = msgs::body(message);
        match (self.state, typ) {
            (State::ClientCertificate, HandshakeType::Certificate)
                if self.client_cert_type == CertificateType::RAW_PUBLIC_KEY =>
            {
                let key = decode_raw_key_certificate(body)?;
                // RFC 5246 section 7.4.6: a server that insists ends the
                // handshake with handshake_failure (certificate_required
                // is TLS 1.3's).
                core.negotiated.peer_raw_key =
                    rpk::client_key(&self.config, &key, core.now_unix).map_err(|e| match e {
                        Error::CertificateRequired => {
                            Error::HandshakeFailure { what: "client raw public key required" }
                        }
                        e => e,
                    })?;
                self.expect_verify = core.negotiated.peer_raw_key.is_some();
                self.transcript.add(message);
                self.state = State::ClientKeyExchange;
                Ok(())
            }
            (State::ClientCertificate, HandshakeType::Certificate) => {
                let verifier =
                    self.config.client_verifier.clone().ok_or(Error::UnexpectedMessage { what: "Certificate" })?;
                let chain = decode_client_certificate(body)?;
                if chain.is_empty() {
                    // RFC 5246 section 7.4.6: a server that insists ends
                    // the handshake with handshake_failure.
                    if verifier.client_auth_mandatory() {
                        return Err(Error::HandshakeFailure { what: "client certificate required" });
                    }
                } else {
                    let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
                    verifier.verify(&refs, core.now_unix)?;
                    core.negotiated.peer_chain = chain;
                    self.expect_verify = true;
                }
                self.transcript.add(message);
                self.state = State::ClientKeyExchange;
                Ok(())
            }
            (State::CertificateVerify, HandshakeType::CertificateVerify) => {
                if core.ccs_received {
                    return Err(Error::UnexpectedMessage { what: "CertificateVerify after ChangeCipherSpec" });
                }
                // The same wire form as TLS 1.3's (RFC 5246 section 7.4.8).
                let msgs::CertificateVerify { scheme, signature } = msgs::CertificateVerify::decode(body)?;
                if !SignatureScheme::SUPPORTED.contains(&scheme) {
                    return Err(Error::IllegalParameter { what: "signature scheme not requested" });
                }
                let signed = self.transcript.messages().ok_or(Error::Config { what: "transcript not kept" })?;
                sig::verify(rpk::peer_spki(&core.negotiated)?, scheme, signed, &signature)?;
                self.transcript.add(message);
                self.state = State::Finished;
                Ok(())
            }
            (State::ClientKeyExchange, HandshakeType::ClientKeyExchange) => {
                let peer = decode_client_key_exchange(body)?;
                let secret = self.share.take().ok_or(Error::UnexpectedMessage { what: "ClientKeyExchange" })?;
                let pre_master = secret.agree(peer)?;
                self.transcript.add(message);
                let master = extended_master_secret(self.hash, &pre_master, &self.transcript.current_hash());
                let (client_write, server_write) =
                    record_ciphers(self.suite, self.hash, &*master, &self.client_random, &self.server_random)?;
                core.expect_change_cipher_spec(client_write);
                self.pending_write = Some(server_write);
                core.client_random = self.client_random;
                core.log_secret(crate::tls::keylog::label::CLIENT_RANDOM, &*master);
                core.exporter = Some(Exporter::tls12(self.hash, &master, &self.client_random, &self.server_random));
                self.master = Some(master);
                self.state = if self.expect_verify { State::CertificateVerify } else { State::Finished };
                Ok(())
            }
            (State::Finished, HandshakeType::Finished) => {
                if !core.ccs_received {
                    return Err(Error::UnexpectedMessage { what: "Finished before ChangeCipherSpec" });
                }
                let master = self.master.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                check_verify_data(self.hash, &*master, true, &self.transcript.current_hash(), body)?;
                self.transcript.add(message);
                if self.resumed {
                    self.state = State::Done;
                    return core.handshake_complete();
                }
                let write = self.pending_write.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                if self.issue_ticket {
                    let nst = tickets::new_ticket(&self.config, core, self.suite, &master)?;
                    let nst = msgs::frame(HandshakeType::NewSessionTicket, |o| nst.encode(o));
                    self.transcript.add(&nst);
                    core.send_handshake(&nst)?;
                }
                core.change_write_cipher(write)?;
                let vd = verify_data(self.hash, &*master, false, &self.transcript.current_hash());
                let vd = core.outgoing_finished(vd.to_vec());
                let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&vd));
                self.transcript.add(&fin);
                core.send_handshake(&fin)?;
                if let Some(id) = &self.cache_id {
                    tickets::cache(&self.config, core, id, self.suite, &master);
                }
                self.state = State::Done;
                core.handshake_complete()
            }
            _ => Err(Error::UnexpectedMessage { what: "handshake message out of order (TLS 1.2 server)" }),
        }
    }
}
