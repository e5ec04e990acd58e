//! The TLS 1.3 server handshake: ClientHello (possibly answered by a
//! HelloRetryRequest and a second ClientHello), then the server flight
//! ServerHello, EncryptedExtensions, Certificate, CertificateVerify,
//! Finished, then the client's Finished.
//!
//! Entry point: [`ServerHs`], driven one handshake message at a time.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::cert::signed_content;
use super::config::ServerConfig;
use super::conn::{AppSecrets, Core};
use super::error::Error;
use super::key_schedule::{KeySchedule, Secret, check_finished, finished_verify_data};
use super::msgs::{
    self, CertificateMsg, CertificateVerify, ClientHello, EncryptedExtensions, HRR_RANDOM, HandshakeType, ServerHello,
    TLS12, TLS13, Tls12ServerExtensions,
};
use super::record::RecordCipher;
use super::suites::{CipherSuite, KeyShareSecret, NamedGroup, ProtocolVersion, SignatureScheme};
use super::tls12::server::Server12;
use super::transcript::Transcript;

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum State {
    ClientHello,
    /// After a HelloRetryRequest naming this suite and group.
    RetriedClientHello(CipherSuite, NamedGroup),
    ClientFinished,
    Done,
}

struct Pending {
    suite: CipherSuite,
    client_hs: Secret,
    client_app: Secret,
    server_app: Secret,
}

pub(crate) struct ServerHs {
    config: Arc<ServerConfig>,
    state: State,
    transcript: Transcript,
    pending: Option<Pending>,
    /// Set once the ClientHello settled on TLS 1.2; it runs the rest.
    tls12: Option<alloc::boxed::Box<Server12>>,
}

/// What the server chose from a ClientHello.
struct Choice {
    suite: CipherSuite,
    group: NamedGroup,
    /// The client's share in `group`, `None` when a retry is needed.
    share: Option<Vec<u8>>,
    scheme: SignatureScheme,
    alpn: Option<Vec<u8>>,
}

impl ServerHs {
    pub(crate) fn new(config: Arc<ServerConfig>) -> Self {
        Self { config, state: State::ClientHello, transcript: Transcript::new(), pending: None, tls12: None }
    }

    pub(crate) fn handle(&mut self, core: &mut Core, typ: HandshakeType, message: &[u8]) -> Result<(), Error> {
        if let Some(t) = &mut self.tls12 {
            return t.handle(core, typ, message);
        }
        let body = msgs::body(message);
        match (self.state, typ) {
            (State::ClientHello, HandshakeType::ClientHello) => {
                let ch = ClientHello::decode(body)?;
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
                self.transcript.start_hash(hash_of(choice.suite)?);
                self.transcript.add(message);
                self.send_flight(core, &ch, &choice)
            }
            (State::RetriedClientHello(suite, group), HandshakeType::ClientHello) => {
                let ch = ClientHello::decode(body)?;
                let choice = self.choose(&ch, Some((suite, group)))?;
                self.transcript.add(message);
                self.send_flight(core, &ch, &choice)
            }
            (State::ClientFinished, HandshakeType::Finished) => {
                let p = self.pending.take().ok_or(Error::UnexpectedMessage { what: "Finished" })?;
                let hash = hash_of(p.suite)?;
                check_finished(hash, &p.client_hs, &self.transcript.current_hash(), body)?;
                self.transcript.add(message);
                core.set_read(RecordCipher::new(p.suite, hash, &p.client_app)?);
                core.app_secrets = Some(AppSecrets { suite: p.suite, hash, read: p.client_app, write: p.server_app });
                self.state = State::Done;
                core.handshake_complete()
            }
            _ => Err(Error::UnexpectedMessage { what: "handshake message out of order (server)" }),
        }
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
        let scheme = self
            .config
            .key
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
        Ok(Choice { suite, group, share, scheme, alpn })
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
        core.negotiated.retried = true;
        self.state = State::RetriedClientHello(choice.suite, choice.group);
        Ok(())
    }

    fn send_flight(&mut self, core: &mut Core, ch: &ClientHello, choice: &Choice) -> Result<(), Error> {
        let suite = choice.suite;
        let hash = hash_of(suite)?;
        let peer_share = choice.share.as_deref().ok_or(Error::MissingExtension { what: "key_share" })?;
        let (secret, public) = KeyShareSecret::generate(choice.group, &mut core.rng())?;
        let shared = secret.agree(peer_share)?;
        drop(secret);

        let sh = ServerHello {
            legacy_version: TLS12,
            random: core.random32()?,
            session_id: ch.session_id.clone(),
            cipher_suite: suite,
            supported_version: Some(TLS13),
            key_share: Some((choice.group, public)),
            selected_group: None,
            cookie: None,
            selected_psk: None,
            tls12: Tls12ServerExtensions::default(),
        };
        let out = msgs::frame(HandshakeType::ServerHello, |o| sh.encode(o));
        self.transcript.add(&out);
        core.send_handshake(&out)?;

        let schedule = KeySchedule::early(hash, None).into_handshake(&shared)?;
        let th = self.transcript.current_hash();
        let client_hs = schedule.derive(b"c hs traffic", &th)?;
        let server_hs = schedule.derive(b"s hs traffic", &th)?;
        core.set_write(RecordCipher::new(suite, hash, &server_hs)?);

        let ee = EncryptedExtensions { alpn: choice.alpn.clone(), server_name_ack: false, early_data: false };
        let out = msgs::frame(HandshakeType::EncryptedExtensions, |o| ee.encode(o));
        self.send(core, &out)?;

        let cert = CertificateMsg { context: Vec::new(), chain: self.config.cert_chain.clone() };
        let out = msgs::frame(HandshakeType::Certificate, |o| cert.encode(o));
        self.send(core, &out)?;

        let content = signed_content(true, &self.transcript.current_hash());
        let signature = self.config.key.sign(choice.scheme, &content, &mut core.rng())?;
        let cv = CertificateVerify { scheme: choice.scheme, signature };
        let out = msgs::frame(HandshakeType::CertificateVerify, |o| cv.encode(o));
        self.send(core, &out)?;

        let verify_data =
            core.outgoing_finished(finished_verify_data(hash, &server_hs, &self.transcript.current_hash())?);
        let out = msgs::frame(HandshakeType::Finished, |o| o.extend_from_slice(&verify_data));
        self.send(core, &out)?;

        let master = schedule.into_master()?;
        let th = self.transcript.current_hash();
        let client_app = master.derive(b"c ap traffic", &th)?;
        let server_app = master.derive(b"s ap traffic", &th)?;
        let exporter = master.derive(b"exp master", &th)?;
        core.exporter = Some(super::exporter::Exporter::Tls13 { hash, secret: exporter });
        core.set_write(RecordCipher::new(suite, hash, &server_app)?);
        core.set_read(RecordCipher::new(suite, hash, &client_hs)?);
        core.negotiated.version = Some(ProtocolVersion::Tls13);
        core.negotiated.suite = Some(suite);
        core.negotiated.group = Some(choice.group);
        core.negotiated.alpn.clone_from(&choice.alpn);
        core.negotiated.server_name.clone_from(&ch.server_name);
        self.pending = Some(Pending { suite, client_hs, client_app, server_app });
        self.state = State::ClientFinished;
        Ok(())
    }

    fn send(&mut self, core: &mut Core, message: &[u8]) -> Result<(), Error> {
        self.transcript.add(message);
        core.send_handshake(message)
    }
}

fn hash_of(suite: CipherSuite) -> Result<crate::hash::HashAlgorithm, Error> {
    suite.hash().ok_or(Error::HandshakeFailure { what: "cipher suite" })
}
