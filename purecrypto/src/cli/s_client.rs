//! `purecrypto s_client -connect HOST:PORT [...]`: a TLS 1.3 / 1.2 client in the
//! manner of `openssl s_client`. After the handshake, standard input is
//! sent as it arrives and what the server sends is written to standard
//! output as it arrives; the end of standard input closes the connection
//! unless `-ign_eof` (or `-quiet`) says to wait for the server to close.
//!
//! Entry point: [`run`]. The chain is verified with `crate::x509` against
//! `-CAfile` / `-CApath` (else the system store), the host name too when
//! `-servername` is given. As with openssl, a failed verification is
//! reported (`verify error:num=N:...`, `Verify return code: N (...)`) but
//! only aborts the handshake with `-verify_return_error`. `-pin` instead
//! accepts exactly the given leaf certificate (PEM or DER). `-cert` (PEM,
//! leaf first, or DER) and `-key` (PKCS #8, PEM or DER) answer a server's
//! CertificateRequest. `-keylogfile FILE` appends NSS key log lines.
//! `-sess_out FILE` saves the session: the last TLS 1.3 ticket, or the
//! TLS 1.2 ticket or session ID (PEM,
//! label `PURECRYPTO TLS SESSION`: our own format, it holds the PSK or
//! the master secret) and
//! `-sess_in FILE` offers it; `-brief` then reports `Resumed: yes|no`.
//! `-no_ticket` asks TLS 1.2 servers for no ticket (resumption then goes
//! by session ID), as openssl's. `-no_middlebox` turns TLS 1.3
//! middlebox compatibility off (empty session ID, no dummy
//! ChangeCipherSpec), as openssl's. `-status` asks for a stapled OCSP
//! response and prints it (`OCSP response: ...`) to standard output after
//! the handshake; its signature is not checked. Raw public keys (RFC
//! 7250, TLS 1.3 and 1.2): `-rpk_pin FILE` accepts only the server raw key whose
//! SPKI FILE holds (`PUBLIC KEY` PEM or DER), and `-enable_client_rpk`
//! offers `-key` (no `-cert` needed) as our raw key; `-brief` then names
//! the server's key by its SHA-256. `-early_data FILE` (with
//! `-sess_in`, for a ticket that allows it) sends the file as TLS 1.3
//! 0-RTT data before the handshake completes and reports `Early data was
//! accepted` / `rejected` / `not sent` on standard error; what the server
//! did not take is sent again as ordinary data after the handshake, so
//! the server receives the file either way. `-ciphersuites` takes
//! registry names and sets the whole suite list; `-cipher` takes
//! OpenSSL's names of TLS 1.2 suites (`ECDHE-ECDSA-AES128-CCM8`) and sets
//! only the TLS 1.2 part, as openssl's; the AES-CCM suites are offered
//! only when one of them names them.

use std::io::Write;
use std::net::TcpStream;
use std::string::{String, ToString};
use std::sync::Arc;
use std::vec::Vec;

use super::relay::{Flow, Session, relay};
use super::{CliError, Io, value};
use crate::tls::{
    CipherSuite, ClientConfig, ClientSessionStore, Connection, DangerousReportOnlyVerifier, InMemorySessionStore,
    KeyLogFile, NamedGroup, PinnedCertVerifier, PinnedRawKeys, ProtocolVersion, RawKeyIdentity, ServerCertVerifier,
    SigningKey, Stream, Tls12Session, Tls13Session, X509Verifier,
};

/// The PEM label of `-sess_out` files.
const SESSION_PEM_LABEL: &str = "PURECRYPTO TLS SESSION";
use crate::x509::TrustStore;

const USAGE: &str = "usage: purecrypto s_client -connect HOST:PORT [-servername NAME] [-alpn P1,P2] \
[-CAfile FILE] [-CApath DIR] [-verify_return_error] [-pin CERT] [-cert FILE -key FILE] [-rpk_pin PUBKEY] [-enable_client_rpk -key FILE] [-keylogfile FILE] [-sess_out FILE] [-sess_in FILE] [-no_ticket] [-no_middlebox] [-status] [-enable_pha] [-early_data FILE] [-tls1_2|-tls1_3] [-groups G1:G2] [-ciphersuites S1:S2] [-cipher C1:C2] [-brief] [-ign_eof] [-quiet]";

/// The negotiation options `s_client` and `s_server` share: `-groups`,
/// `-ciphersuites` (registry names, the whole suite list), `-cipher`
/// (OpenSSL's names of TLS 1.2 suites, such as `ECDHE-ECDSA-AES128-CCM`;
/// the TLS 1.2 part of the list) and `-tls1_2` / `-tls1_3`. Unset ones
/// leave the config's defaults. The AES-CCM suites are used only when
/// one of the two lists names them, as in openssl.
#[derive(Default)]
pub(super) struct TlsChoices {
    groups: Option<Vec<NamedGroup>>,
    suites: Option<Vec<CipherSuite>>,
    tls12_suites: Option<Vec<CipherSuite>>,
    only_version: Option<ProtocolVersion>,
}

impl TlsChoices {
    /// The options [`parse`](Self::parse) takes.
    pub(super) const OPTIONS: &[&str] = &["-groups", "-ciphersuites", "-cipher", "-tls1_3", "-tls1_2"];

    /// Takes the option at `args[*i]` (one of [`Self::OPTIONS`]), and its
    /// value.
    pub(super) fn parse(&mut self, args: &[String], i: &mut usize) -> Result<(), CliError> {
        let arg = args.get(*i).map(String::as_str).unwrap_or_default();
        match arg {
            "-groups" => self.groups = Some(list(value(args, i, arg)?, NamedGroup::from_openssl_name, "group")?),
            "-ciphersuites" => self.suites = Some(list(value(args, i, arg)?, CipherSuite::from_name, "suite")?),
            "-cipher" => {
                self.tls12_suites = Some(list(value(args, i, arg)?, CipherSuite::from_openssl_name, "cipher")?);
            }
            "-tls1_3" => self.only_version = Some(ProtocolVersion::Tls13),
            _ => self.only_version = Some(ProtocolVersion::Tls12),
        }
        Ok(())
    }

    /// Writes what was chosen into a client or server config's fields.
    pub(super) fn apply(
        self,
        groups: &mut Vec<NamedGroup>,
        suites: &mut Vec<CipherSuite>,
        (min, max): (&mut ProtocolVersion, &mut ProtocolVersion),
    ) {
        if let Some(g) = self.groups {
            *groups = g;
        }
        if let Some(s) = self.suites {
            *suites = s;
        }
        if let Some(s) = self.tls12_suites {
            suites.retain(|s| !s.is_tls12());
            suites.extend(s);
        }
        if let Some(v) = self.only_version {
            *min = v;
            *max = v;
        }
    }
}

fn list<T>(text: &str, lookup: impl Fn(&str) -> Option<T>, what: &str) -> Result<Vec<T>, CliError> {
    text.split(':').map(|n| lookup(n).ok_or_else(|| CliError::usage(std::format!("unknown {what} '{n}'")))).collect()
}

/// The x509 verifier over `-CAfile` and `-CApath` (both may be given),
/// or the system store when neither is.
fn chain_verifier(
    ca_file: Option<&str>,
    ca_path: Option<&str>,
    check_hostname: bool,
) -> Result<X509Verifier, CliError> {
    let mut verifier = if ca_file.is_none() && ca_path.is_none() {
        X509Verifier::system()
    } else {
        let mut store = TrustStore::new();
        if let Some(f) = ca_file {
            store.load_file(std::path::Path::new(f)).map_err(|e| CliError::usage(std::format!("-CAfile {f}: {e}")))?;
        }
        if let Some(d) = ca_path {
            store.load_dir(std::path::Path::new(d)).map_err(|e| CliError::usage(std::format!("-CApath {d}: {e}")))?;
        }
        X509Verifier::new(store)
    };
    if !check_hostname {
        // openssl s_client checks names only when asked (-servername here).
        verifier = verifier.dangerous_without_hostname();
    }
    Ok(verifier)
}

/// `s_client`.
/// A certificate chain (PEM blocks, leaf first, or one DER certificate)
/// and a PKCS #8 private key (PEM or DER).
pub(super) fn load_cert_and_key(cert_path: &str, key_path: &str) -> Result<(Vec<Vec<u8>>, SigningKey), CliError> {
    let bytes = std::fs::read(cert_path).map_err(CliError::io(cert_path.to_string()))?;
    let chain = match crate::x509::pem_certificates(&bytes) {
        Ok(c) if !c.is_empty() => c,
        _ => std::vec![bytes],
    };
    Ok((chain, load_key(key_path)?))
}

/// A PKCS #8 private key, PEM or DER.
pub(super) fn load_key(key_path: &str) -> Result<SigningKey, CliError> {
    let bytes = std::fs::read(key_path).map_err(CliError::io(key_path.to_string()))?;
    SigningKey::from_pkcs8_pem(&bytes)
        .or_else(|_| SigningKey::from_pkcs8_der(&bytes))
        .map_err(|e| CliError::usage(std::format!("{key_path}: {e}")))
}

/// A pin on the raw public key in `path`: its DER SPKI, from `PUBLIC KEY`
/// PEM or as is.
pub(super) fn load_raw_key_pin(path: &str) -> Result<PinnedRawKeys, CliError> {
    let bytes = std::fs::read(path).map_err(CliError::io(path.to_string()))?;
    let der = match crate::asn1::pem::decode_label(&bytes, "PUBLIC KEY") {
        Ok(p) => p.contents.to_vec(),
        Err(_) => bytes,
    };
    crate::asn1::spki::SubjectPublicKeyInfo::from_der(&der)
        .map_err(|_| CliError::usage(std::format!("{path}: not a public key")))?;
    Ok(PinnedRawKeys::new().with_spki(der))
}

/// A raw key's name for people: `sha256:` and its SPKI's SHA-256 in hex.
pub(super) fn raw_key_fingerprint(spki: &[u8]) -> String {
    use crate::hash::{Hash, Sha256};
    let digest = Sha256::digest(spki);
    let hex: String = digest.iter().map(|b| std::format!("{b:02x}")).collect();
    std::format!("sha256:{hex}")
}

pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut connect = None;
    let mut server_name = None;
    let mut alpn = Vec::new();
    let mut ca_file = None;
    let mut ca_path = None;
    let mut verify_return_error = false;
    let mut pin = None;
    let mut cert_file = None;
    let mut key_file = None;
    let mut keylog_file = None;
    let mut sess_out = None;
    let mut sess_in = None;
    let mut brief = false;
    let mut ign_eof = false;
    let mut quiet = false;
    let mut tickets = true;
    let mut status = false;
    let mut enable_pha = false;
    let mut middlebox = true;
    let mut rpk_pin = None;
    let mut client_rpk = false;
    let mut early_data_file = None;
    let mut choices = TlsChoices::default();
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-connect" => connect = Some(value(args, &mut i, arg)?.to_string()),
            "-servername" => server_name = Some(value(args, &mut i, arg)?.to_string()),
            "-alpn" => alpn = value(args, &mut i, arg)?.split(',').map(|p| p.as_bytes().to_vec()).collect(),
            "-CAfile" => ca_file = Some(value(args, &mut i, arg)?.to_string()),
            "-CApath" => ca_path = Some(value(args, &mut i, arg)?.to_string()),
            "-verify_return_error" => verify_return_error = true,
            "-pin" => pin = Some(value(args, &mut i, arg)?.to_string()),
            "-cert" => cert_file = Some(value(args, &mut i, arg)?.to_string()),
            "-key" => key_file = Some(value(args, &mut i, arg)?.to_string()),
            "-keylogfile" => keylog_file = Some(value(args, &mut i, arg)?.to_string()),
            "-sess_out" => sess_out = Some(value(args, &mut i, arg)?.to_string()),
            "-sess_in" => sess_in = Some(value(args, &mut i, arg)?.to_string()),
            a if TlsChoices::OPTIONS.contains(&a) => choices.parse(args, &mut i)?,
            "-brief" => brief = true,
            "-ign_eof" => ign_eof = true,
            // As openssl's: no session report, and -ign_eof.
            "-quiet" => (quiet, ign_eof) = (true, true),
            "-no_ticket" => tickets = false,
            "-status" => status = true,
            "-enable_pha" => enable_pha = true,
            "-no_middlebox" => middlebox = false,
            "-rpk_pin" => rpk_pin = Some(value(args, &mut i, arg)?.to_string()),
            "-enable_client_rpk" => client_rpk = true,
            "-early_data" => early_data_file = Some(value(args, &mut i, arg)?.to_string()),
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'\n{USAGE}"))),
        }
        i += 1;
    }
    let connect = connect.ok_or_else(|| CliError::usage(USAGE))?;
    let host = connect.rsplit_once(':').map(|(h, _)| h.trim_start_matches('[').trim_end_matches(']'));
    let check_hostname = server_name.is_some();
    let name = server_name.or_else(|| host.map(ToString::to_string)).unwrap_or_default();
    let mut report = None;

    let verifier: Arc<dyn ServerCertVerifier> = match &pin {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(CliError::io(path.clone()))?;
            let der = match crate::asn1::pem::decode_label(&bytes, "CERTIFICATE") {
                Ok(p) => p.contents.to_vec(),
                Err(_) => bytes,
            };
            Arc::new(PinnedCertVerifier::Certificate(der))
        }
        None => {
            let x509 = chain_verifier(ca_file.as_deref(), ca_path.as_deref(), check_hostname)?;
            if verify_return_error {
                Arc::new(x509)
            } else {
                let r = Arc::new(DangerousReportOnlyVerifier::new(x509));
                report = Some(Arc::clone(&r));
                r
            }
        }
    };
    let mut config = ClientConfig::new(verifier);
    config.alpn_protocols = alpn;
    if choices.groups.is_some() {
        // As openssl: `-groups` gives one key share, for its first group.
        config.initial_key_shares = 1;
    }
    choices.apply(&mut config.groups, &mut config.cipher_suites, (&mut config.min_version, &mut config.max_version));
    if let Some(cert_path) = &cert_file {
        // As openssl: the key defaults to the certificate file.
        let key_path = key_file.as_ref().unwrap_or(cert_path);
        let (chain, key) = load_cert_and_key(cert_path, key_path)?;
        config = config.with_client_cert(chain, key).map_err(|e| CliError::usage(std::format!("-cert/-key: {e}")))?;
    } else if key_file.is_some() && !client_rpk {
        return Err(CliError::usage("-key needs -cert"));
    }
    if client_rpk {
        let path = key_file.as_ref().ok_or_else(|| CliError::usage("-enable_client_rpk needs -key"))?;
        let key = RawKeyIdentity::new(load_key(path)?).map_err(|e| CliError::usage(std::format!("{path}: {e}")))?;
        config.client_raw_key = Some(key);
    }
    if let Some(path) = &rpk_pin {
        config.server_certificate_types = std::vec![crate::tls::CertificateType::RAW_PUBLIC_KEY];
        config.server_raw_key_verifier = Some(Arc::new(load_raw_key_pin(path)?));
    }
    if let Some(path) = &keylog_file {
        let log = KeyLogFile::open(std::path::Path::new(path)).map_err(CliError::io(path.clone()))?;
        config.key_log = Some(Arc::new(log));
    }
    config.tls12_session_tickets = tickets;
    config.request_ocsp = status;
    config.post_handshake_auth = enable_pha;
    config.middlebox_compat = middlebox;
    let early_data = match &early_data_file {
        Some(path) => Some(std::fs::read(path).map_err(CliError::io(path.clone()))?),
        None => None,
    };
    config.enable_early_data = early_data.is_some();
    let store = Arc::new(InMemorySessionStore::new(1));
    if sess_in.is_some() || sess_out.is_some() {
        config.session_store = Some(store.clone());
    }
    if let Some(path) = &sess_in {
        let bytes = std::fs::read(path).map_err(CliError::io(path.clone()))?;
        let pem = crate::asn1::pem::decode_label(&bytes, SESSION_PEM_LABEL)
            .map_err(|_| CliError::usage(std::format!("{path}: not a {SESSION_PEM_LABEL}")))?;
        // The two encodings start with different version bytes.
        match Tls13Session::from_bytes(&pem.contents) {
            Ok(session) => store.insert(&name, session),
            Err(_) => {
                let session = Tls12Session::from_bytes(&pem.contents)
                    .map_err(|e| CliError::usage(std::format!("{path}: {e}")))?;
                store.insert_tls12(&name, session);
            }
        }
    }

    let tcp = TcpStream::connect(&connect).map_err(CliError::io(connect.clone()))?;
    let mut conn = Connection::new_client(Arc::new(config), &name).map_err(|e| CliError::usage(e.to_string()))?;
    let early_sent = match &early_data {
        Some(data) if conn.early_data_room().is_some() => {
            conn.write_early_data(data).map_err(|e| CliError::usage(std::format!("early data: {e}")))?
        }
        _ => 0,
    };
    let mut stream = Stream::new(conn, tcp);
    let shaken = stream.handshake();
    let verdict = report.as_ref().and_then(|r| r.verdict());
    if let Some(Err(e)) = verdict {
        let _ = writeln!(io.stderr, "verify error:num={}:{}", e.reason.openssl_code(), e.reason.message());
    }
    if let Err(e) = shaken {
        if let Some(crate::tls::Error::CertificateRejected(ce)) = e.get_ref().and_then(|i| i.downcast_ref()) {
            let _ = writeln!(io.stderr, "verify error:num={}:{}", ce.reason.openssl_code(), ce.reason.message());
        }
        return Err(CliError::io("handshake")(e));
    }
    if let Some(v) = verdict {
        let (code, text) = v.map_or_else(|e| (e.reason.openssl_code(), e.reason.message()), |()| (0, "ok"));
        let _ = writeln!(io.stderr, "Verify return code: {code} ({text})");
    }
    if brief && !quiet {
        let c = stream.conn();
        let version = c.protocol_version().map_or("unknown", ProtocolVersion::name);
        let _ = writeln!(io.stderr, "CONNECTION ESTABLISHED\nProtocol version: {version}");
        let _ = writeln!(io.stderr, "Ciphersuite: {:?}", c.cipher_suite().unwrap_or(CipherSuite(0)));
        let _ = writeln!(io.stderr, "Group: {:?}", c.negotiated_group().unwrap_or(NamedGroup(0)));
        if let Some(p) = c.alpn_protocol() {
            let _ = writeln!(io.stderr, "ALPN protocol: {}", String::from_utf8_lossy(p));
        }
        if sess_in.is_some() {
            let _ = writeln!(io.stderr, "Resumed: {}", if c.is_resumed() { "yes" } else { "no" });
        }
        if let Some(spki) = c.peer_raw_public_key() {
            let _ = writeln!(io.stderr, "Server raw public key: {}", raw_key_fingerprint(spki));
        }
    }
    if status {
        print_ocsp(stream.conn().ocsp_response(), io)?;
    }
    if let Some(data) = &early_data {
        let accepted = stream.conn().early_data_accepted();
        let verdict = match (early_sent, accepted) {
            (0, _) => "not sent",
            (_, true) => "accepted",
            (_, false) => "rejected",
        };
        let _ = writeln!(io.stderr, "Early data was {verdict}");
        // What the server did not take goes as ordinary data.
        let rest = if accepted { data.get(early_sent..).unwrap_or_default() } else { data.as_slice() };
        stream.write_all(rest).map_err(CliError::io("send"))?;
    }
    relay(&mut stream, &mut *io.stdin, &mut *io.stdout, &mut ClientSession { ign_eof })?;
    let _ = stream.close();
    if let Some(path) = &sess_out {
        let bytes = if stream.conn().protocol_version() == Some(ProtocolVersion::Tls12) {
            store.tls12(&name).map(|s| s.to_bytes())
        } else {
            store.take(&name).map(|s| s.to_bytes())
        };
        let bytes = bytes.ok_or_else(|| CliError::usage("-sess_out: the server offered no session to resume"))?;
        let pem = zeroize::Zeroizing::new(crate::asn1::pem::encode(SESSION_PEM_LABEL, &bytes));
        std::fs::write(path, pem.as_bytes()).map_err(CliError::io(path.clone()))?;
    }
    Ok(0)
}

/// `s_client`'s reading of standard input (openssl's interactive mode):
/// data for the server; at its end the connection is closed unless
/// `ign_eof` says to wait for the server instead.
struct ClientSession {
    ign_eof: bool,
}

impl Session for ClientSession {
    fn input(&mut self, stream: &mut Stream<TcpStream>, chunk: &[u8]) -> Result<Flow, CliError> {
        if chunk.is_empty() {
            return Ok(if self.ign_eof { Flow::PeerOnly } else { Flow::Stop });
        }
        stream.write_all(chunk).map_err(CliError::io("send"))?;
        Ok(Flow::Continue)
    }
}

/// The stapled OCSP response as `openssl s_client -status` reports it.
fn print_ocsp(response: Option<&[u8]>, io: &mut Io<'_>) -> Result<(), CliError> {
    let text = match response {
        None => "OCSP response: no response sent\n".to_string(),
        Some(der) => match crate::x509::ocsp::OcspResponse::from_der(der) {
            Ok(r) => std::format!("OCSP response: \n{RULE}\n{}{RULE}\n", r.text()),
            Err(e) => std::format!("OCSP response: unparsable ({e})\n"),
        },
    };
    io.stdout.write_all(text.as_bytes()).map_err(CliError::io("stdout"))
}

/// The line openssl frames an OCSP response with.
const RULE: &str = "======================================";
