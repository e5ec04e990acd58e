//! Client and server configuration: which algorithms to offer or accept,
//! in what order, ALPN, record sizing, and the certificate verifier or
//! certificate and key.
//!
//! Entry points: [`ClientConfig::new`] and [`ServerConfig::new`]; every
//! field is public so a caller can narrow the defaults.

use alloc::sync::Arc;
use alloc::vec::Vec;
use core::fmt;

use super::cert::{CertifiedKey, ClientCertVerifier, ServerCertVerifier, SigningKey, leaf_spki};
use super::cert_compression::{self, CertificateCompressionAlgorithm};
use super::early_data::AntiReplay;
use super::error::Error;
use super::keylog::KeyLog;
use super::msgs::MIN_RECORD_SIZE_LIMIT;
use super::record::{MAX_PLAINTEXT, MAX_RECORD_SIZE_LIMIT};
use super::rpk::{CertificateType, RawKeyIdentity, RawKeyVerifier};
use super::session::ClientSessionStore;
use super::session_cache::ServerSessionCache;
use super::suites::{CipherSuite, NamedGroup, ProtocolVersion, SignatureScheme};
use super::ticket::Ticketer;
use super::webpki::X509Verifier;

/// What a client offers and how it judges the server.
#[derive(Clone)]
pub struct ClientConfig {
    /// Cipher suites, most preferred first: TLS 1.3 and TLS 1.2 suites
    /// in one list (each version uses its own). Default
    /// [`CipherSuite::SUPPORTED`] then [`CipherSuite::SUPPORTED_TLS12`];
    /// the AES-CCM suites ([`CipherSuite::OPTIONAL`],
    /// [`CipherSuite::OPTIONAL_TLS12`]) are offered only when listed here.
    pub cipher_suites: Vec<CipherSuite>,
    /// Oldest version offered (default TLS 1.2).
    pub min_version: ProtocolVersion,
    /// Newest version offered (default TLS 1.3).
    pub max_version: ProtocolVersion,
    /// Key-exchange groups, most preferred first.
    pub groups: Vec<NamedGroup>,
    /// How many of `groups` (from the front) get a key share in the first
    /// ClientHello; the server can ask for another with a
    /// HelloRetryRequest. The default, 2, shares X25519MLKEM768 and
    /// X25519, so a server without ML-KEM needs no extra round trip; set
    /// 1 with your own `groups` for one share (as `s_client -groups`).
    pub initial_key_shares: usize,
    /// Signature schemes accepted in the server's CertificateVerify.
    pub signature_schemes: Vec<SignatureScheme>,
    /// ALPN protocols to offer (empty: no ALPN extension).
    pub alpn_protocols: Vec<Vec<u8>>,
    /// Judges the server's certificate chain.
    pub verifier: Arc<dyn ServerCertVerifier>,
    /// Largest plaintext per record sent (at most 2^14).
    pub max_fragment_len: usize,
    /// Pad protected records' inner plaintext to a multiple of this many
    /// bytes (0: no padding), hiding exact lengths.
    pub padding_block: usize,
    /// Send the server_name extension (when the name is a DNS name).
    pub enable_sni: bool,
    /// The certificate and key to answer a CertificateRequest with; with
    /// `None` (the default) the client answers with an empty Certificate
    /// and the server decides whether to go on.
    pub client_cert: Option<CertifiedKey>,
    /// Where sessions are kept and taken from: `Some` makes the client
    /// accept TLS 1.3 tickets and offer one (PSK with ECDHE, RFC 8446
    /// section 2.2), and keep and offer TLS 1.2 sessions (tickets and
    /// session IDs), for a server it has one for. `None` (the default):
    /// no resumption.
    pub session_store: Option<Arc<dyn ClientSessionStore>>,
    /// Ask TLS 1.2 servers for RFC 5077 session tickets and offer stored
    /// ones (default `true`). `false` (`s_client -no_ticket`) leaves
    /// TLS 1.2 resumption to session IDs. TLS 1.3 is not affected.
    pub tls12_session_tickets: bool,
    /// Receives every secret derived (NSS key log lines, for Wireshark);
    /// `None` (the default) logs nothing.
    pub key_log: Option<Arc<dyn KeyLog>>,
    /// Log every handshake message, `change_cipher_spec` and alert sent
    /// and received, from the ClientHello on, for
    /// [`Connection::take_message_log`](super::Connection::take_message_log)
    /// (curl's `-v` `TLSv1.3 (OUT), ...` lines). Default `false`: nothing
    /// is kept.
    pub message_log: bool,
    /// `record_size_limit` to advertise (RFC 8449, 64..=16385): the
    /// largest protected record the server may send us, counted as
    /// TLS 1.3 counts it (content type and padding included; a TLS 1.2
    /// server caps it at 16384). With the extension agreed, the server's
    /// own limit caps what we send. `None` (the default): not offered,
    /// since a client that takes full-size records gains nothing from it
    /// and the ClientHello stays as before.
    pub record_size_limit: Option<u16>,
    /// Ask for a stapled OCSP response (`status_request`, RFC 6066
    /// section 8; `openssl s_client -status`, `curl --cert-status`);
    /// what the server staples is in
    /// [`Connection::ocsp_response`](super::Connection::ocsp_response).
    /// Default `false`.
    pub request_ocsp: bool,
    /// Certificate compression (RFC 8879, TLS 1.3), most preferred
    /// first: offered in the ClientHello (the server may then send its
    /// Certificate compressed with one of them) and used to compress our
    /// own Certificate when a server's CertificateRequest lists one. Empty:
    /// never compressed either way. Default
    /// [`CertificateCompressionAlgorithm::DEFAULTS`] (brotli, zstd, zlib
    /// with the `cert-compression` feature; nothing without it, which also
    /// makes any other list a configuration error).
    pub cert_compression: Vec<CertificateCompressionAlgorithm>,
    /// Offer `post_handshake_auth` (RFC 8446 section 4.6.2; `openssl
    /// s_client -enable_pha`): a TLS 1.3 server may then ask for a
    /// certificate at any time after the handshake, answered with
    /// [`client_cert`](Self::client_cert) (or an empty Certificate
    /// without one). Default `false`: such a request is an
    /// `unexpected_message`.
    pub post_handshake_auth: bool,
    /// Ask for a stapled OCSP response and refuse the server unless it
    /// staples one that verifies for the accepted chain's leaf at the
    /// connection's time (signed by the leaf's issuer or a responder it
    /// delegated to, current within 300 s of skew) and says "good":
    /// otherwise the handshake fails with `bad_certificate_status_response`.
    /// The issuer is taken from the certificates the server sent or, for
    /// a leaf issued by a trust anchor, from
    /// [`ServerCertVerifier::issuer_of`]. Default `false`: a staple is
    /// only exposed, never judged.
    pub require_ocsp_good: bool,
    /// What the server may authenticate with, most preferred first
    /// (RFC 7250 `server_certificate_type`): [`CertificateType::X509`]
    /// (judged by [`verifier`](Self::verifier)) and/or
    /// [`CertificateType::RAW_PUBLIC_KEY`] (judged by
    /// [`server_raw_key_verifier`](Self::server_raw_key_verifier)).
    /// Default `[X509]`, which sends no extension. Raw keys work in TLS
    /// 1.3 and 1.2.
    pub server_certificate_types: Vec<CertificateType>,
    /// Judges the server's raw public key; required when
    /// `server_certificate_types` lists RawPublicKey.
    pub server_raw_key_verifier: Option<Arc<dyn RawKeyVerifier>>,
    /// A raw public key to answer a CertificateRequest with (RFC 7250
    /// `client_certificate_type`, TLS 1.3 and 1.2): offered first, X.509 after it
    /// when [`client_cert`](Self::client_cert) is set too; the server's
    /// choice decides which is sent. `None` (the default): not offered.
    pub client_raw_key: Option<RawKeyIdentity>,
    /// Offer 0-RTT early data (RFC 8446 section 2.3) when the ticket
    /// taken from [`session_store`](Self::session_store) allows it (its
    /// [`max_early_data`](super::Tls13Session::max_early_data) is not 0)
    /// and its ALPN protocol is still one we offer. The application then
    /// writes with [`Connection::write_early_data`](super::Connection::write_early_data)
    /// before the handshake completes. Early data can be replayed by an
    /// attacker: send only requests that are safe to repeat. If the
    /// server refuses it, it is lost and the application must send it
    /// again as ordinary data
    /// ([`Connection::early_data_accepted`](super::Connection::early_data_accepted),
    /// [`Event::EarlyDataRejected`](super::Event::EarlyDataRejected)).
    /// Default `false`.
    pub enable_early_data: bool,
    /// TLS 1.3 middlebox compatibility mode (RFC 8446 appendix D.4): the
    /// ClientHello carries a random 32-byte `legacy_session_id` and a
    /// dummy `change_cipher_spec` goes out before the second flight, so
    /// the handshake looks like a resumed TLS 1.2 one to network
    /// equipment that drops what it does not recognise. OpenSSL, curl
    /// and the browsers do this. Default `true`; `false` sends an empty
    /// session ID and no `change_cipher_spec` (the handshake is a few
    /// bytes shorter). TLS 1.2 handshakes are not affected.
    pub middlebox_compat: bool,
}

impl ClientConfig {
    /// Every supported algorithm but the optional AES-CCM suites, TLS 1.3
    /// and 1.2, X25519MLKEM768 and X25519 as the initial key shares, no ALPN, `verifier` for the chain.
    #[must_use]
    pub fn new(verifier: Arc<dyn ServerCertVerifier>) -> Self {
        Self {
            cipher_suites: all_suites(),
            min_version: ProtocolVersion::Tls12,
            max_version: ProtocolVersion::Tls13,
            groups: NamedGroup::DEFAULTS.to_vec(),
            initial_key_shares: 2,
            signature_schemes: SignatureScheme::SUPPORTED.to_vec(),
            alpn_protocols: Vec::new(),
            verifier,
            max_fragment_len: MAX_PLAINTEXT,
            padding_block: 0,
            enable_sni: true,
            client_cert: None,
            session_store: None,
            tls12_session_tickets: true,
            key_log: None,
            message_log: false,
            record_size_limit: None,
            request_ocsp: false,
            cert_compression: CertificateCompressionAlgorithm::DEFAULTS.to_vec(),
            post_handshake_auth: false,
            require_ocsp_good: false,
            server_certificate_types: alloc::vec![CertificateType::X509],
            server_raw_key_verifier: None,
            client_raw_key: None,
            enable_early_data: false,
            middlebox_compat: true,
        }
    }

    /// Accepts only a raw public key from the server (RFC 7250, TLS 1.3
    /// and 1.2), judged by `verifier` (for example
    /// [`PinnedRawKeys`](super::PinnedRawKeys)); a server that answers
    /// with a certificate chain is refused with `unsupported_certificate`.
    #[must_use]
    pub fn with_server_raw_key(verifier: Arc<dyn RawKeyVerifier>) -> Self {
        let mut config = Self::new(Arc::new(RefuseX509));
        config.server_certificate_types = alloc::vec![CertificateType::RAW_PUBLIC_KEY];
        config.server_raw_key_verifier = Some(verifier);
        config
    }

    /// The `server_certificate_type` list to send (`None`: X.509 only,
    /// which is what no extension means).
    pub(crate) fn server_cert_offer(&self) -> Option<Vec<CertificateType>> {
        (self.server_certificate_types != [CertificateType::X509]).then(|| self.server_certificate_types.clone())
    }

    /// The `client_certificate_type` list to send (`None`: no raw key, so
    /// X.509 as always).
    pub(crate) fn client_cert_offer(&self) -> Option<Vec<CertificateType>> {
        self.client_raw_key.as_ref()?;
        let mut types = alloc::vec![CertificateType::RAW_PUBLIC_KEY];
        if self.client_cert.is_some() {
            types.push(CertificateType::X509);
        }
        Some(types)
    }

    /// Authenticates with `chain` (DER, leaf first) and its leaf's `key`
    /// when a server asks (`openssl s_client -cert -key`, `curl -E`).
    ///
    /// # Errors
    /// [`Error::Config`] when the chain is empty, the leaf unreadable or
    /// the key not the leaf's.
    pub fn with_client_cert(mut self, chain: Vec<Vec<u8>>, key: SigningKey) -> Result<Self, Error> {
        self.client_cert = Some(CertifiedKey::new(chain, key)?);
        Ok(self)
    }

    /// Whether the ClientHello asks for a stapled OCSP response.
    pub(crate) const fn wants_ocsp(&self) -> bool {
        self.request_ocsp || self.require_ocsp_good
    }

    /// Verifies servers against the anchors of `store` (chain, validity,
    /// serverAuth and host name, through [`X509Verifier`]).
    #[must_use]
    pub fn with_roots(store: crate::x509::TrustStore) -> Self {
        Self::new(Arc::new(X509Verifier::new(store)))
    }

    /// Accepts any server certificate: no chain, validity or host-name
    /// check. Open to any active attacker; for tests and debugging.
    #[must_use]
    pub fn dangerous_accept_any() -> Self {
        Self::new(Arc::new(super::cert::DangerousAcceptAnyVerifier))
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.cipher_suites.is_empty() || !self.cipher_suites.iter().all(|s| s.is_supported()) {
            return Err(Error::Config { what: "cipher suites" });
        }
        if self.groups.is_empty() || !self.groups.iter().all(|g| g.is_supported()) {
            return Err(Error::Config { what: "groups" });
        }
        if self.signature_schemes.is_empty() {
            return Err(Error::Config { what: "signature schemes" });
        }
        check_versions(self.min_version, self.max_version, &self.cipher_suites)?;
        cert_compression::check_config(&self.cert_compression)?;
        let types = &self.server_certificate_types;
        if types.is_empty() || types.len() > 255 || !types.iter().all(|t| t.is_supported()) {
            return Err(Error::Config { what: "server_certificate_types" });
        }
        if types.contains(&CertificateType::RAW_PUBLIC_KEY) && self.server_raw_key_verifier.is_none() {
            return Err(Error::Config { what: "RawPublicKey accepted without server_raw_key_verifier" });
        }
        check_common(self.max_fragment_len, self.record_size_limit, &self.alpn_protocols)
    }

    /// Whether `v` is offered: in range and with a suite of its own.
    pub(crate) fn enables(&self, v: ProtocolVersion) -> bool {
        version_enabled(v, self.min_version, self.max_version, &self.cipher_suites)
    }
}

/// The default suites: every one but the optional AES-CCM ones.
fn all_suites() -> Vec<CipherSuite> {
    CipherSuite::SUPPORTED.iter().chain(CipherSuite::SUPPORTED_TLS12).copied().collect()
}

fn version_enabled(v: ProtocolVersion, min: ProtocolVersion, max: ProtocolVersion, suites: &[CipherSuite]) -> bool {
    min <= v
        && v <= max
        && suites.iter().any(|s| match v {
            ProtocolVersion::Tls12 => s.is_tls12(),
            ProtocolVersion::Tls13 => s.is_tls13(),
        })
}

fn check_versions(min: ProtocolVersion, max: ProtocolVersion, suites: &[CipherSuite]) -> Result<(), Error> {
    if [ProtocolVersion::Tls12, ProtocolVersion::Tls13].iter().any(|v| version_enabled(*v, min, max, suites)) {
        Ok(())
    } else {
        Err(Error::Config { what: "no protocol version with a cipher suite in min_version..=max_version" })
    }
}

/// The X.509 verifier of a client that accepts only raw keys: never
/// reached (no X.509 answer gets that far), and refusing if it were.
struct RefuseX509;

impl ServerCertVerifier for RefuseX509 {
    fn verify(&self, _chain: &[&[u8]], _server_name: &str, _now_unix: u64) -> Result<(), Error> {
        Err(Error::UnsupportedCertificate { what: "X.509 not accepted" })
    }
}

/// The safe default: every algorithm, and certificates verified against
/// the operating system's trust store (loaded on the first handshake) with
/// the host-name check on.
#[cfg(feature = "std")]
impl Default for ClientConfig {
    fn default() -> Self {
        Self::new(Arc::new(X509Verifier::system()))
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("cipher_suites", &self.cipher_suites)
            .field("versions", &(self.min_version, self.max_version))
            .field("groups", &self.groups)
            .field("alpn_protocols", &self.alpn_protocols)
            .field("client_cert", &self.client_cert)
            .finish_non_exhaustive()
    }
}

fn check_common(max_fragment_len: usize, record_size_limit: Option<u16>, alpn: &[Vec<u8>]) -> Result<(), Error> {
    if !(64..=MAX_PLAINTEXT).contains(&max_fragment_len) {
        return Err(Error::Config { what: "max_fragment_len must be 64..=16384" });
    }
    if record_size_limit.is_some_and(|l| !(MIN_RECORD_SIZE_LIMIT..=MAX_RECORD_SIZE_LIMIT).contains(&l)) {
        return Err(Error::Config { what: "record_size_limit must be 64..=16385" });
    }
    if alpn.iter().any(|p| p.is_empty() || p.len() > 255) {
        return Err(Error::Config { what: "ALPN protocol names are 1..=255 bytes" });
    }
    Ok(())
}

/// The largest [`ServerConfig::max_early_data_size`]: early data waits
/// in memory for the application, so it is bounded.
const MAX_EARLY_DATA_SIZE: u32 = 1 << 20;

/// A server's certificate, key and preferences.
pub struct ServerConfig {
    /// Cipher suites, most preferred first (the server's order wins):
    /// TLS 1.3 and TLS 1.2 suites in one list. Default as the client's:
    /// the AES-CCM suites are accepted only when listed here.
    pub cipher_suites: Vec<CipherSuite>,
    /// Oldest version accepted (default TLS 1.2).
    pub min_version: ProtocolVersion,
    /// Newest version accepted (default TLS 1.3).
    pub max_version: ProtocolVersion,
    /// Key-exchange groups, most preferred first. A client share in an
    /// acceptable group is used as is; otherwise the server asks for the
    /// first group of this list the client supports (HelloRetryRequest).
    pub groups: Vec<NamedGroup>,
    /// ALPN protocols, most preferred first (empty: ALPN ignored).
    pub alpn_protocols: Vec<Vec<u8>>,
    /// DER certificates, leaf first; empty for a server that has only a
    /// [`raw_key`](Self::raw_key).
    pub cert_chain: Vec<Vec<u8>>,
    /// The leaf's private key (for a server made by
    /// [`with_raw_public_key`](Self::with_raw_public_key), the raw key's).
    pub key: Arc<SigningKey>,
    /// Largest plaintext per record sent (at most 2^14).
    pub max_fragment_len: usize,
    /// Pad protected records to a multiple of this many bytes (0: none).
    pub padding_block: usize,
    /// Judges client certificates; `Some` makes the server send a
    /// CertificateRequest (the verifier says whether a certificate is
    /// mandatory). `None` (the default): no client authentication.
    pub client_verifier: Option<Arc<dyn ClientCertVerifier>>,
    /// Seals TLS 1.3 session tickets; `Some` makes the server issue
    /// [`tickets_per_connection`](Self::tickets_per_connection) tickets
    /// after each full or resumed handshake with a client that allows PSK
    /// with ECDHE, and accept them back. `None` (the default): no tickets.
    pub ticketer: Option<Arc<Ticketer>>,
    /// How many tickets to send per connection (default 1).
    pub tickets_per_connection: u8,
    /// Keeps TLS 1.2 sessions by session ID; `Some` makes a full TLS 1.2
    /// handshake that issues no ticket choose a session ID and remember
    /// the session, and lets a client offering that ID back resume.
    /// `None` (the default): empty session IDs, no session-ID resumption.
    pub session_cache: Option<Arc<dyn ServerSessionCache>>,
    /// Receives every secret derived (NSS key log lines); `None` (the
    /// default) logs nothing.
    pub key_log: Option<Arc<dyn KeyLog>>,
    /// Log every handshake message, `change_cipher_spec` and alert sent
    /// and received, from the first message on, for
    /// [`Connection::take_message_log`](super::Connection::take_message_log)
    /// (curl's `-v` `TLSv1.3 (OUT), ...` lines). Default `false`: nothing
    /// is kept.
    pub message_log: bool,
    /// `record_size_limit` to answer a client's with (RFC 8449,
    /// 64..=16385, TLS 1.2 caps it at 16384); the client's limit then
    /// caps what we send. Default `Some(16385)`: a constrained client
    /// that asks for small records gets them, and we accept full-size
    /// ones. `None`: the extension is ignored.
    pub record_size_limit: Option<u16>,
    /// A DER OCSP response for the leaf certificate, stapled when the
    /// client asks (`status_request`): in the leaf's CertificateEntry
    /// in TLS 1.3, as a CertificateStatus message in TLS 1.2
    /// (`openssl s_server -status_file`). Default `None`. It is sent as
    /// is: refreshing it before it expires is the caller's job.
    pub ocsp_response: Option<Vec<u8>>,
    /// Certificate compression (RFC 8879, TLS 1.3), most preferred first
    /// (the server's order wins): our Certificate goes compressed with the
    /// first of these the client offers, and a CertificateRequest lists
    /// them for the client's. Empty: never compressed either way. Default
    /// [`CertificateCompressionAlgorithm::DEFAULTS`] (brotli, zstd, zlib
    /// with the `cert-compression` feature; nothing without it, which also
    /// makes any other list a configuration error).
    pub cert_compression: Vec<CertificateCompressionAlgorithm>,
    /// A raw public key (RFC 7250, TLS 1.3 and 1.2) to authenticate with when the
    /// client lists RawPublicKey in `server_certificate_type` before
    /// X.509 (or alone); X.509 clients get `cert_chain`. Default `None`.
    pub raw_key: Option<RawKeyIdentity>,
    /// Judges clients' raw public keys; `Some` makes the server ask for
    /// client authentication and take RawPublicKey in
    /// `client_certificate_type` (X.509 too when
    /// [`client_verifier`](Self::client_verifier) is set). Default `None`.
    pub client_raw_key_verifier: Option<Arc<dyn RawKeyVerifier>>,
    /// The most 0-RTT early data accepted per connection, advertised in
    /// every ticket (`max_early_data_size`, RFC 8446 section 4.6.1);
    /// 0 (the default) turns 0-RTT off. Needs a
    /// [`ticketer`](Self::ticketer) and an [`anti_replay`](Self::anti_replay).
    /// Early data is delivered apart from 1-RTT data
    /// ([`Connection::read_early_data`](super::Connection::read_early_data)):
    /// it may be a replay and is not forward secret.
    pub max_early_data_size: u32,
    /// Refuses a second use of a ClientHello that asks for 0-RTT (RFC
    /// 8446 section 8.2); required when
    /// [`max_early_data_size`](Self::max_early_data_size) is not 0.
    /// `None` (the default) with 0-RTT off.
    pub anti_replay: Option<Arc<dyn AntiReplay>>,
    /// The compressed Certificate messages sent so far (see
    /// [`cert_compression::Cache`]).
    pub(crate) compressed_certificates: cert_compression::Cache,
}

impl ServerConfig {
    /// Every supported algorithm but the optional AES-CCM suites; the
    /// leaf must carry a public key.
    ///
    /// # Errors
    /// [`Error::Config`] when the chain is empty or the leaf unreadable.
    pub fn new(cert_chain: Vec<Vec<u8>>, key: SigningKey) -> Result<Self, Error> {
        let leaf = cert_chain.first().ok_or(Error::Config { what: "empty certificate chain" })?;
        leaf_spki(leaf).map_err(|_| Error::Config { what: "leaf certificate" })?;
        Ok(Self::base(cert_chain, Arc::new(key)))
    }

    /// A server whose only identity is `key` as a raw public key (RFC
    /// 7250, TLS 1.3 and 1.2). Clients that do not offer RawPublicKey are
    /// refused with `unsupported_certificate`.
    ///
    /// # Errors
    /// As [`RawKeyIdentity::new`].
    pub fn with_raw_public_key(key: SigningKey) -> Result<Self, Error> {
        let identity = RawKeyIdentity::new(key)?;
        let mut config = Self::base(Vec::new(), identity.key.clone());
        config.raw_key = Some(identity);
        Ok(config)
    }

    fn base(cert_chain: Vec<Vec<u8>>, key: Arc<SigningKey>) -> Self {
        Self {
            cipher_suites: all_suites(),
            min_version: ProtocolVersion::Tls12,
            max_version: ProtocolVersion::Tls13,
            groups: NamedGroup::DEFAULTS.to_vec(),
            alpn_protocols: Vec::new(),
            cert_chain,
            key,
            max_fragment_len: MAX_PLAINTEXT,
            padding_block: 0,
            client_verifier: None,
            ticketer: None,
            tickets_per_connection: 1,
            session_cache: None,
            key_log: None,
            message_log: false,
            record_size_limit: Some(MAX_RECORD_SIZE_LIMIT),
            ocsp_response: None,
            cert_compression: CertificateCompressionAlgorithm::DEFAULTS.to_vec(),
            max_early_data_size: 0,
            anti_replay: None,
            compressed_certificates: cert_compression::Cache::default(),
            raw_key: None,
            client_raw_key_verifier: None,
        }
    }

    pub(crate) fn check(&self) -> Result<(), Error> {
        if self.cipher_suites.is_empty() || !self.cipher_suites.iter().all(|s| s.is_supported()) {
            return Err(Error::Config { what: "cipher suites" });
        }
        if self.groups.is_empty() || !self.groups.iter().all(|g| g.is_supported()) {
            return Err(Error::Config { what: "groups" });
        }
        if self.cert_chain.is_empty() && self.raw_key.is_none() {
            return Err(Error::Config { what: "empty certificate chain and no raw key" });
        }
        check_versions(self.min_version, self.max_version, &self.cipher_suites)?;
        if self.ocsp_response.as_ref().is_some_and(|r| r.is_empty() || r.len() >= 1 << 24) {
            return Err(Error::Config { what: "OCSP response must be 1..2^24 bytes" });
        }
        cert_compression::check_config(&self.cert_compression)?;
        if self.max_early_data_size != 0 && (self.ticketer.is_none() || self.anti_replay.is_none()) {
            return Err(Error::Config { what: "max_early_data_size needs a ticketer and an anti_replay store" });
        }
        // Early data is buffered until the application reads it.
        if self.max_early_data_size > MAX_EARLY_DATA_SIZE {
            return Err(Error::Config { what: "max_early_data_size must be at most 2^20" });
        }
        check_common(self.max_fragment_len, self.record_size_limit, &self.alpn_protocols)
    }

    /// Turns 0-RTT on: up to `max_early_data_size` bytes per connection,
    /// replays refused by `anti_replay`.
    #[must_use]
    pub fn with_early_data(mut self, max_early_data_size: u32, anti_replay: Arc<dyn AntiReplay>) -> Self {
        self.max_early_data_size = max_early_data_size;
        self.anti_replay = Some(anti_replay);
        self
    }

    /// Whether `v` is accepted: in range and with a suite of its own.
    pub(crate) fn enables(&self, v: ProtocolVersion) -> bool {
        version_enabled(v, self.min_version, self.max_version, &self.cipher_suites)
    }

    /// Whether a configured client verifier (X.509 or raw key) refuses
    /// clients that authenticate with nothing.
    pub(crate) fn client_auth_mandatory(&self) -> bool {
        self.client_verifier.as_ref().is_some_and(|v| v.client_auth_mandatory())
            || self.client_raw_key_verifier.as_ref().is_some_and(|v| v.client_auth_mandatory())
    }

    /// Whether a session whose client proved `chain` or `raw_key` may
    /// resume here: always, unless this server insists on client
    /// authentication and the client proved nothing (a resumption sends
    /// no Certificate, so it could not catch up).
    pub(crate) fn resumes_identity(&self, chain: &[Vec<u8>], raw_key: Option<&[u8]>) -> bool {
        !self.client_auth_mandatory() || !chain.is_empty() || raw_key.is_some()
    }
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("cipher_suites", &self.cipher_suites)
            .field("groups", &self.groups)
            .field("alpn_protocols", &self.alpn_protocols)
            .field("key", &self.key)
            .field("client_auth", &self.client_verifier.as_ref().map(|v| v.client_auth_mandatory()))
            .finish_non_exhaustive()
    }
}
