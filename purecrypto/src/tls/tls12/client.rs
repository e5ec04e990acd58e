//! The TLS 1.2 client handshake after a ServerHello chose TLS 1.2:
//! Certificate -> ServerKeyExchange -> (CertificateRequest) ->
//! ServerHelloDone, then our (Certificate,) ClientKeyExchange,
//! (CertificateVerify,) ChangeCipherSpec and Finished, then the server's
//! ChangeCipherSpec (handled by the connection) and Finished.
//!
//! When the server echoes the session ID sent with an offered ticket
//! (RFC 5077 section 3.4) or the stored session ID offered without one
//! (RFC 5246 section 7.4.1.2), the handshake is the abbreviated one
//! instead: (NewSessionTicket,) ChangeCipherSpec and Finished from the
//! server, then ours. In either a NewSessionTicket may come before the
//! server's ChangeCipherSpec. The session (its ticket, else the session
//! ID a full handshake's ServerHello chose) is stored once the server's
//! Finished checks out.
//!
//! With raw public keys (RFC 7250) negotiated in the ServerHello, the
//! server's Certificate is its SPKI alone, judged by the
//! [`RawKeyVerifier`](crate::tls::RawKeyVerifier), and its
//! ServerKeyExchange is verified under that key; when the server chose
//! RawPublicKey for us, our Certificate is our raw key's SPKI.
//!
//! Entry point: [`Client12::start`], which checks the ServerHello (suite
//! offered, downgrade sentinel, extended master secret, renegotiation
//! indication, ALPN); [`Client12::handle`] takes each later message.

use alloc::string::String;
use alloc::sync::Arc;
use alloc::vec::Vec;

use super::keys::{MasterSecret, check_verify_data, extended_master_secret, record_ciphers, verify_data};
use super::msgs::NewSessionTicket12;
use super::msgs::{
    CertificateRequest12, DOWNGRADE_TLS12, ServerKeyExchange, decode_certificate, decode_certificate_status,
    decode_empty, decode_raw_key_certificate, encode_certificate, encode_client_key_exchange,
    encode_raw_key_certificate,
};
use super::sig;
use crate::hash::HashAlgorithm;
use crate::tls::cert::SigningKey;
use crate::tls::config::ClientConfig;
use crate::tls::conn::Core;
use crate::tls::error::Error;
use crate::tls::exporter::Exporter;
use crate::tls::msgs::{self, HandshakeType, ServerHello};
use crate::tls::ocsp_staple::check_staple;
use crate::tls::record::{MAX_PLAINTEXT, RecordCipher};
use crate::tls::rpk::{self, CertificateType};
use crate::tls::session12::Tls12Session;
use crate::tls::suites::{CipherSuite, KeyShareSecret, NamedGroup, ProtocolVersion, SignatureScheme};
use crate::tls::transcript::Transcript;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    Certificate,
    ServerKeyExchange,
    ServerHelloDone,
    Finished,
    /// Abbreviated handshake: the server's Finished comes first.
    ResumedFinished,
    Done,
}

/// What the client offered, handed over from the version-neutral
/// ClientHello code.
pub(crate) struct Offer<'a> {
    pub(crate) config: Arc<ClientConfig>,
    pub(crate) server_name: String,
    /// Holds the ClientHello.
    pub(crate) transcript: Transcript,
    pub(crate) client_random: [u8; 32],
    pub(crate) offered_suites: &'a [CipherSuite],
    /// Whether TLS 1.3 was offered too, so the sentinel must be checked.
    pub(crate) offered_tls13: bool,
    pub(crate) offered_session_id: &'a [u8],
    /// The session whose ticket or session ID the ClientHello carried.
    pub(crate) session: Option<Tls12Session>,
    /// What the server's Certificate carries, as the ServerHello settled
    /// it (RFC 7250); ours is in `Negotiated::client_cert_type`.
    pub(crate) server_cert_type: CertificateType,
}

pub(crate) struct Client12 {
    config: Arc<ClientConfig>,
    server_name: String,
    state: State,
    transcript: Transcript,
    suite: CipherSuite,
    hash: HashAlgorithm,
    client_random: [u8; 32],
    server_random: [u8; 32],
    server_share: Option<(NamedGroup, Vec<u8>)>,
    master: Option<MasterSecret>,
    /// The server's CertificateRequest, answered in our flight.
    cert_request: Option<CertificateRequest12>,
    /// The ServerHello promised a NewSessionTicket.
    ticket_promised: bool,
    /// The ServerHello answered `status_request`: a CertificateStatus
    /// may follow the Certificate (RFC 6066 section 8 lets the server
    /// change its mind).
    status_promised: bool,
    /// The NewSessionTicket received, stored after the server's Finished.
    new_ticket: Option<NewSessionTicket12>,
    /// Abbreviated handshake: our write keys, used after the server's
    /// Finished.
    pending_write: Option<RecordCipher>,
    /// A session was offered (and is stale unless the server accepts it).
    offered_session: bool,
    /// The session ID to store with the session: the ServerHello's in a
    /// full handshake, the resumed session's otherwise.
    session_id: Vec<u8>,
    server_cert_type: CertificateType,
}

impl Client12 {
    /// Takes over after `sh` (already decoded; `message` is its framed
    /// bytes) selected TLS 1.2.
    pub(crate) fn start(offer: Offer<'_>, sh: &ServerHello, message: &[u8], core: &mut Core) -> Result<Self, Error> {
        let Offer {
            config,
            server_name,
            mut transcript,
            client_random,
            offered_suites,
            offered_tls13,
            offered_session_id,
            session,
            server_cert_type,
        } = offer;
        let suite = sh.cipher_suite;
        if !suite.is_tls12() || !offered_suites.contains(&suite) {
            return Err(Error::IllegalParameter { what: "cipher suite not offered" });
        }
        // RFC 8446 section 4.1.3: a TLS 1.3 server that fell back to 1.2
        // says so; seeing it means someone removed our 1.3 offer.
        if offered_tls13 && sh.random.get(24..) == Some(&DOWNGRADE_TLS12[..]) {
            return Err(Error::IllegalParameter { what: "TLS 1.2 downgrade sentinel" });
        }
        let ext = &sh.tls12;
        match &ext.renegotiation_info {
            Some(ri) if ri.is_empty() => {}
            // RFC 5746 section 3.4: non-empty on a first handshake is fatal;
            // absent means an unpatched server, which we refuse too.
            _ => return Err(Error::HandshakeFailure { what: "secure renegotiation indication" }),
        }
        if !ext.extended_master_secret {
            return Err(Error::HandshakeFailure { what: "extended master secret required" });
        }
        // RFC 5246 section 7.4.1.4: an extension the client never sent
        // is `unsupported_extension`.
        if ext.alpn.is_some() && config.alpn_protocols.is_empty() {
            return Err(Error::UnsupportedExtension { what: "ALPN not offered" });
        }
        if let Some(p) = &ext.alpn
            && !config.alpn_protocols.contains(p)
        {
            return Err(Error::IllegalParameter { what: "ALPN protocol not offered" });
        }
        if let Some(f) = &ext.ec_point_formats
            && !f.contains(&0)
        {
            return Err(Error::IllegalParameter { what: "ec_point_formats without uncompressed" });
        }
        if ext.status_request && !config.wants_ocsp() {
            return Err(Error::UnsupportedExtension { what: "status_request not requested" });
        }
        if let Some(peer) = ext.record_size_limit {
            let own = config
                .record_size_limit
                .ok_or(Error::UnsupportedExtension { what: "record_size_limit not offered" })?;
            if usize::from(peer) > MAX_PLAINTEXT {
                return Err(Error::IllegalParameter { what: "record_size_limit above 2^14 in TLS 1.2" });
            }
            core.agree_record_size_limit(true, peer, own);
        }
        let hash = suite.hash().ok_or(Error::IllegalParameter { what: "cipher suite" })?;
        // CertificateVerify signs the messages themselves: keep them when
        // we might have to sign.
        if config.client_cert.is_some() || config.client_raw_key.is_some() {
            transcript.start_hash_keeping(hash);
        } else {
            transcript.start_hash(hash);
        }
        transcript.add(message);
        core.negotiated.version = Some(ProtocolVersion::Tls12);
        core.negotiated.suite = Some(suite);
        core.negotiated.alpn.clone_from(&ext.alpn);
        let offered_session = session.is_some();
        let mut hs = Self {
            config,
            server_name,
            state: State::Certificate,
            transcript,
            suite,
            hash,
            client_random,
            server_random: sh.random,
            server_share: None,
            master: None,
            cert_request: None,
            ticket_promised: ext.session_ticket,
            status_promised: ext.status_request,
            new_ticket: None,
            pending_write: None,
            offered_session,
            session_id: sh.session_id.clone(),
            server_cert_type,
        };
        if let Some(session) = session.filter(|_| !offered_session_id.is_empty() && sh.session_id == offered_session_id)
        {
            hs.resume(core, session)?;
        }
        Ok(hs)
    }

    /// The server accepted our session: keys from its master secret and
    /// the new randoms, and the server's Finished next.
    fn resume(&mut self, core: &mut Core, session: Tls12Session) -> Result<(), Error> {
        if session.suite != self.suite {
            return Err(Error::IllegalParameter { what: "resumed session with another cipher suite" });
        }
        let master = session.master.clone();
        let (client_write, server_write) =
            record_ciphers(self.suite, self.hash, &*master, &self.client_random, &self.server_random)?;
        core.expect_change_cipher_spec(server_write);
        self.pending_write = Some(client_write);
        core.client_random = self.client_random;
        core.log_secret(crate::tls::keylog::label::CLIENT_RANDOM, &*master);
        core.exporter = Some(Exporter::tls12(self.hash, &master, &self.client_random, &self.server_random));
        core.negotiated.resumed = true;
        core.negotiated.peer_chain = session.peer_chain;
        core.negotiated.peer_raw_key = session.peer_raw_key;
        self.session_id = session.session_id;
        self.master = Some(master);
        self.state = State::ResumedFinished;
        Ok(())
    }

    /// Keeps the session once the server's Finished checked out: with
    /// the server's new ticket, or (a full handshake without one) with
    /// the session ID its ServerHello chose. A resumed session without a
    /// new ticket stays as stored; an offered one the server did not take
    /// is forgotten.
    fn store_session(&mut self, core: &Core, master: &MasterSecret) {
        let Some(store) = &self.config.session_store else { return };
        let resumed = core.negotiated.resumed;
        let (ticket, lifetime_hint) = match self.new_ticket.take() {
            Some(nst) if !nst.ticket.is_empty() => (nst.ticket, nst.lifetime_hint),
            _ if !resumed && !self.session_id.is_empty() => (Vec::new(), 0),
            _ => {
                if self.offered_session && !resumed {
                    store.remove_tls12(&self.server_name);
                }
                return;
            }
        };
        store.insert_tls12(
            &self.server_name,
            Tls12Session {
                suite: self.suite,
                ticket,
                session_id: core::mem::take(&mut self.session_id),
                master: master.clone(),
                lifetime_hint,
                received: core.now_unix,
                alpn: core.negotiated.alpn.clone(),
                peer_chain: core.negotiated.peer_chain.clone(),
                peer_raw_key: core.negotiated.peer_raw_key.clone(),
            },
        );
    }

    pub(crate) fn handle(&mut self, core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        let body = msgs::body(message);
        match (self.state, typ) {
            // RFC 5246 section 7.4.1.1: ignored while handshaking.
            (_, HandshakeType::HelloRequest) if self.state != State::Done => decode_empty(body, "HelloRequest"),
            (State::Certificate, HandshakeType::Certificate)
                if self.server_cert_type == CertificateType::RAW_PUBLIC_KEY =>
            {
                let key = decode_raw_key_certificate(body)?;
                core.negotiated.peer_raw_key = Some(rpk::server_key(&self.config, &key, core.now_unix)?);
                self.transcript.add(message);
                self.state = State::ServerKeyExchange;
                Ok(())
            }
            (State::Certificate, HandshakeType::Certificate) => {
                let chain = decode_certificate(body)?;
                let refs: Vec<&[u8]> = chain.iter().map(Vec::as_slice).collect();
                self.config.verifier.verify(&refs, &self.server_name, core.now_unix)?;
                core.negotiated.peer_chain = chain;
                self.transcript.add(message);
                self.state = State::ServerKeyExchange;
                Ok(())
            }
            (State::ServerKeyExchange, HandshakeType::CertificateStatus)
                if self.status_promised
                    && core.negotiated.ocsp_response.is_none()
                    && core.negotiated.peer_raw_key.is_none() =>
            {
                core.negotiated.ocsp_response = Some(decode_certificate_status(body)?);
                self.transcript.add(message);
                Ok(())
            }
            (State::ServerKeyExchange, HandshakeType::ServerKeyExchange) => {
                // CertificateStatus, when promised, came before this.
                if core.negotiated.peer_raw_key.is_none() {
                    let staple = core.negotiated.ocsp_response.as_deref();
                    check_staple(&self.config, &core.negotiated.peer_chain, staple, core.now_unix)?;
                }
                let ske = ServerKeyExchange::decode(body)?;
                if !ske.group.is_ecdhe() || !self.config.groups.contains(&ske.group) {
                    return Err(Error::IllegalParameter { what: "ServerKeyExchange group not offered" });
                }
                if !self.config.signature_schemes.contains(&ske.scheme) {
                    return Err(Error::IllegalParameter { what: "signature scheme not offered" });
                }
                if sig::is_rsa(ske.scheme) != self.suite.tls12_rsa_auth() {
                    return Err(Error::IllegalParameter { what: "signature scheme does not fit the cipher suite" });
                }
                // The chain's leaf key, or the raw key itself (RFC 7250).
                let content = ske.signed_content(&self.client_random, &self.server_random);
                sig::verify(rpk::peer_spki(&core.negotiated)?, ske.scheme, &content, &ske.signature)?;
                self.transcript.add(message);
                self.server_share = Some((ske.group, ske.public));
                self.state = State::ServerHelloDone;
                Ok(())
            }
            (State::ServerHelloDone, HandshakeType::CertificateRequest) if self.cert_request.is_none() => {
                self.cert_request = Some(CertificateRequest12::decode(body)?);
                self.transcript.add(message);
                Ok(())
            }
            (State::ServerHelloDone, HandshakeType::ServerHelloDone) => {
                decode_empty(body, "ServerHelloDone")?;
                self.transcript.add(message);
                self.send_flight(core)
            }
            (State::Finished | State::ResumedFinished, HandshakeType::NewSessionTicket)
                if self.ticket_promised && self.new_ticket.is_none() && !core.ccs_received =>
            {
                self.new_ticket = Some(NewSessionTicket12::decode(body)?);
                self.transcript.add(message);
                Ok(())
            }
            (State::Finished | State::ResumedFinished, HandshakeType::Finished) => {
                if !core.ccs_received {
                    return Err(Error::UnexpectedMessage { what: "Finished before ChangeCipherSpec" });
                }
                if self.ticket_promised && self.new_ticket.is_none() {
                    return Err(Error::UnexpectedMessage { what: "Finished without the promised NewSessionTicket" });
                }
                let master = self.master.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                check_verify_data(self.hash, &*master, false, &self.transcript.current_hash(), body)?;
                self.transcript.add(message);
                if self.state == State::ResumedFinished {
                    let write = self.pending_write.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                    core.change_write_cipher(write)?;
                    let vd = verify_data(self.hash, &*master, true, &self.transcript.current_hash());
                    let vd = core.outgoing_finished(vd.to_vec());
                    let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&vd));
                    self.transcript.add(&fin);
                    core.send_handshake(&fin)?;
                }
                self.store_session(core, &master);
                self.state = State::Done;
                core.handshake_complete()
            }
            _ => Err(Error::UnexpectedMessage { what: "handshake message out of order (TLS 1.2 client)" }),
        }
    }

    /// ClientKeyExchange, ChangeCipherSpec, Finished.
    fn send_flight(&mut self, core: &mut Core) -> Result<(), Error> {
        let (group, peer) = self.server_share.take().ok_or(Error::UnexpectedMessage { what: "ServerHelloDone" })?;
        let (secret, public) = KeyShareSecret::generate(group, &mut core.rng())?;
        let pre_master = secret.agree(&peer)?;
        core.negotiated.group = Some(group);
        let signer = match self.cert_request.take() {
            // The type the ServerHello settled (RFC 7250): a raw key goes
            // as its SPKI alone.
            Some(request) if core.negotiated.client_cert_type == Some(CertificateType::RAW_PUBLIC_KEY) => {
                let signer = self.config.client_raw_key.as_ref().and_then(|rk| {
                    let scheme = choose_scheme(&rk.key, &request)?;
                    Some((rk.key.clone(), scheme, rk.spki.as_slice()))
                });
                let spki = signer.as_ref().map(|(_, _, spki)| *spki);
                let cert = msgs::frame(HandshakeType::Certificate, |o| encode_raw_key_certificate(spki, o));
                self.transcript.add(&cert);
                core.send_handshake(&cert)?;
                signer.map(|(key, scheme, _)| (key, scheme))
            }
            Some(request) => {
                let signer =
                    self.config.client_cert.as_ref().and_then(|ck| Some((ck, choose_scheme(&ck.key, &request)?)));
                let chain = signer.map(|(ck, _)| ck.chain.as_slice()).unwrap_or_default();
                let cert = msgs::frame(HandshakeType::Certificate, |o| encode_certificate(chain, o));
                self.transcript.add(&cert);
                core.send_handshake(&cert)?;
                signer.map(|(ck, scheme)| (ck.key.clone(), scheme))
            }
            None => None,
        };
        let cke = msgs::frame(HandshakeType::ClientKeyExchange, |o| encode_client_key_exchange(&public, o));
        self.transcript.add(&cke);
        core.send_handshake(&cke)?;

        // RFC 7627: the session hash runs through ClientKeyExchange,
        // before CertificateVerify.
        let master = extended_master_secret(self.hash, &pre_master, &self.transcript.current_hash());
        if let Some((key, scheme)) = signer {
            let signed = self.transcript.messages().ok_or(Error::Config { what: "transcript not kept" })?;
            let signature = sig::sign(&key, scheme, signed, &mut core.rng())?;
            // The same wire form as TLS 1.3's (RFC 5246 section 7.4.8).
            let cv = msgs::frame(HandshakeType::CertificateVerify, |o| {
                msgs::CertificateVerify { scheme, signature }.encode(o);
            });
            self.transcript.add(&cv);
            core.send_handshake(&cv)?;
            core.negotiated.client_auth_sent = true;
        }
        let (client_write, server_write) =
            record_ciphers(self.suite, self.hash, &*master, &self.client_random, &self.server_random)?;
        core.client_random = self.client_random;
        core.log_secret(crate::tls::keylog::label::CLIENT_RANDOM, &*master);
        core.exporter = Some(Exporter::tls12(self.hash, &master, &self.client_random, &self.server_random));
        core.change_write_cipher(client_write)?;
        let vd = verify_data(self.hash, &*master, true, &self.transcript.current_hash());
        let vd = core.outgoing_finished(vd.to_vec());
        let fin = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&vd));
        self.transcript.add(&fin);
        core.send_handshake(&fin)?;
        core.expect_change_cipher_spec(server_write);
        self.master = Some(master);
        self.state = State::Finished;
        Ok(())
    }
}

/// The first scheme `key` signs with that the server listed, if the
/// server also accepts the key's certificate type.
fn choose_scheme(key: &SigningKey, request: &CertificateRequest12) -> Option<SignatureScheme> {
    // ClientCertificateType: rsa_sign (1), ecdsa_sign (64, also Ed25519).
    let cert_type = if matches!(key, SigningKey::Rsa(_) | SigningKey::RsaPss(..)) { 1 } else { 64 };
    if !request.cert_types.contains(&cert_type) {
        return None;
    }
    sig::schemes(key).iter().copied().find(|s| request.schemes.contains(s))
}
