//! The TLS layer: purecrypto's blocking TLS 1.3 / 1.2 `Stream` over
//! whatever layer is below (TCP, a Unix socket, a CONNECT or SOCKS tunnel,
//! which may itself run inside TLS to an `https://` proxy), with curl's
//! verification rules and `-v` lines, for the server or for the proxy
//! ([`Peer`]).
//!
//! Entry points: [`TlsOptions`] (`-k`, `--cacert`, `--capath`,
//! `--pinnedpubkey`, `--cert-status`, `--tlsv1.x` / `--tls-max`) and
//! [`handshake`], which returns the layer and the `%{ssl_verify_result}`
//! value. Verification is purecrypto's `X509Verifier` (RFC 5280 path to
//! the trust store, RFC 6125 name of the URL's host, never the
//! `--connect-to` / `--resolve` target); `-k` swaps in the report-only
//! verifier so the result is still known. Client certificates live in
//! [`client_cert`], the `--ciphers` / `--tls13-ciphers` / `--curves` lists
//! in [`suites`], TLS 1.3 session resumption across connections in
//! [`resume`], the stapled OCSP check in [`cert_status`], the per-message
//! `TLSv1.3 (OUT), ...` lines in [`messages`].

mod cert_status;
pub(crate) mod client_cert;
mod messages;
mod resume;
pub(crate) mod suites;

use std::io::{self, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use purecrypto::tls::{
    self, ClientConfig, Connection, DangerousReportOnlyVerifier, ProtocolVersion, ServerCertVerifier, Stream,
    X509Verifier,
};
use purecrypto::x509::{CertError, Certificate, GeneralName, Name, Reason, TrustStore};

use super::Layer;
use crate::error::Error;

/// The bundle curl (Debian's build) reads when nothing else is named.
const DEFAULT_CA_FILE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// TLS settings from the command line or `curl_easy_setopt`.
#[derive(Debug, Clone)]
pub(crate) struct TlsOptions {
    /// Verify the chain (`-k` / `CURLOPT_SSL_VERIFYPEER = 0` turn it off).
    pub(crate) verify_peer: bool,
    /// Verify the host name (`CURLOPT_SSL_VERIFYHOST = 0` turns it off).
    pub(crate) verify_host: bool,
    /// `--cacert`.
    pub(crate) ca_file: Option<PathBuf>,
    /// `--capath`.
    pub(crate) ca_path: Option<PathBuf>,
    /// `--pinnedpubkey`: `sha256//B64[;sha256//B64...]` or a key file.
    pub(crate) pinned_key: Option<String>,
    /// `--cert-status`: ask for a stapled OCSP response and require it to
    /// verify and say "good".
    pub(crate) cert_status: bool,
    /// `--tlsv1.x`: the lowest version, as the minor number (0..=3).
    pub(crate) min_minor: u8,
    /// `--tls-max`: the highest version's minor number.
    pub(crate) max_minor: Option<u8>,
    /// Offer `h2` before `http/1.1` in ALPN (curl's default; not with
    /// `--http1.1`).
    pub(crate) alpn_h2: bool,
    /// `-E`, `--cert-type`, `--key`, `--key-type`, `--pass`.
    pub(crate) client_cert: client_cert::ClientCert,
    /// `--ciphers`: an OpenSSL cipher string for the TLS 1.2 suites.
    pub(crate) ciphers: Option<String>,
    /// `--tls13-ciphers`: `:`-separated TLS 1.3 suite names.
    pub(crate) tls13_ciphers: Option<String>,
    /// `--curves`: `:`-separated key-exchange group names.
    pub(crate) curves: Option<String>,
    /// Offer and keep TLS 1.3 session tickets (`--no-sessionid` turns it
    /// off).
    pub(crate) session_id: bool,
}

impl Default for TlsOptions {
    fn default() -> Self {
        Self {
            verify_peer: true,
            verify_host: true,
            ca_file: None,
            ca_path: None,
            pinned_key: None,
            cert_status: false,
            min_minor: 2,
            max_minor: None,
            alpn_h2: true,
            client_cert: client_cert::ClientCert::default(),
            ciphers: None,
            tls13_ciphers: None,
            curves: None,
            session_id: true,
        }
    }
}

/// Parses a `--tlsv1.x` / `--tls-max` version (`1.0` ... `1.3`, or
/// `default` for `--tls-max`) into its minor number.
pub(crate) fn parse_version(text: &str) -> Option<Option<u8>> {
    match text {
        "default" => Some(None),
        "1.0" => Some(Some(0)),
        "1.1" => Some(Some(1)),
        "1.2" => Some(Some(2)),
        "1.3" => Some(Some(3)),
        _ => None,
    }
}

/// Whom a TLS session is with: the URL's server, or an `https://` proxy.
/// For a proxy curl's `-v` says `Proxy certificate:`, the result is
/// `%{proxy_ssl_verify_result}`, and ALPN offers `http/1.1` only when
/// the session will carry a CONNECT tunnel (curl 7.88 offers nothing to a
/// proxy it forwards plain HTTP through).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Peer {
    /// The origin server of the URL.
    Server,
    /// An HTTPS proxy; `tunnel` when CONNECT follows.
    Proxy {
        /// A CONNECT tunnel runs inside this session.
        tunnel: bool,
    },
}

/// A TLS connection over the layer below.
#[derive(Debug)]
pub(crate) struct TlsLayer {
    stream: Stream<Box<dyn Layer>>,
    verify_result: i64,
    /// A session with a proxy: its facts are the proxy's, not the
    /// server's (`%{proxy_ssl_verify_result}`, no `%{certs}`).
    proxy: bool,
}

impl Read for TlsLayer {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.stream.read(buf)
    }
}

impl Write for TlsLayer {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.stream.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.stream.flush()
    }
}

impl Layer for TlsLayer {
    fn set_io_timeout(&self, t: Option<Duration>) -> io::Result<()> {
        self.stream.get_ref().set_io_timeout(t)
    }

    fn peer_addr(&self) -> Option<SocketAddr> {
        self.stream.get_ref().peer_addr()
    }

    fn local_addr(&self) -> Option<SocketAddr> {
        self.stream.get_ref().local_addr()
    }

    fn ssl_verify_result(&self) -> Option<i64> {
        if self.proxy { None } else { Some(self.verify_result) }
    }

    fn proxy_ssl_verify_result(&self) -> Option<i64> {
        if self.proxy { Some(self.verify_result) } else { self.stream.get_ref().proxy_ssl_verify_result() }
    }

    fn alpn(&self) -> Option<Vec<u8>> {
        if self.proxy {
            return None;
        }
        self.stream.conn().alpn_protocol().map(<[u8]>::to_vec)
    }

    fn peer_certificates(&self) -> Vec<Vec<u8>> {
        if self.proxy {
            return Vec::new();
        }
        self.stream.conn().peer_certificates().to_vec()
    }

    fn take_trace_lines(&mut self) -> Vec<String> {
        self.stream.conn_mut().take_message_log().iter().filter_map(messages::line).collect()
    }
}

/// Prints the handshake's logged messages as curl does, with the
/// `*  CAfile:` / `*  CApath:` lines (`ca_lines`) after the ClientHello's,
/// where OpenSSL's lazy loading puts them.
fn print_messages(conn: &mut Connection, ca_lines: Vec<String>, info: &mut dyn FnMut(&str)) {
    let mut ca_lines = Some(ca_lines);
    for e in conn.take_message_log() {
        if let Some(line) = messages::line(&e) {
            info(&line);
        }
        if e.kind == tls::MessageKind::Handshake(tls::HandshakeType::ClientHello) {
            ca_lines.take().into_iter().flatten().for_each(|l| info(&l));
        }
    }
    ca_lines.into_iter().flatten().for_each(|l| info(&l));
}

/// Trust stores already loaded in this process, by `(CAfile, CApath)`: a
/// pool of connections (or `-Z`) parses the bundle once.
type StoreCache = Vec<((Option<PathBuf>, Option<PathBuf>), Arc<TrustStore>)>;
static STORES: Mutex<StoreCache> = Mutex::new(Vec::new());

/// Loads (or finds loaded) the anchors for `opts`; the `*  CAfile:` /
/// `*  CApath:` lines name what is used.
fn trust_store(opts: &TlsOptions, info: &mut dyn FnMut(&str)) -> Result<Arc<TrustStore>, Error> {
    let default_file = opts.ca_file.is_none() && opts.ca_path.is_none();
    let file = if default_file { Some(PathBuf::from(DEFAULT_CA_FILE)) } else { opts.ca_file.clone() };
    if let Some(f) = &file {
        info(&format!(" CAfile: {}", f.display()));
    }
    if let Some(d) = &opts.ca_path {
        info(&format!(" CApath: {}", d.display()));
    }
    let key = (opts.ca_file.clone(), opts.ca_path.clone());
    if let Some(store) = STORES.lock().ok().and_then(|c| c.iter().find(|(k, _)| *k == key).map(|(_, s)| s.clone())) {
        return Ok(store);
    }
    let mut store = TrustStore::new();
    let mut cacheable = true;
    if default_file {
        store = TrustStore::system().unwrap_or_default();
    } else if let Some(f) = &opts.ca_file {
        let loaded = store.load_file(f).is_ok_and(|n| n > 0);
        if !loaded && opts.verify_peer {
            return Err(Error::CaCertBadFile(format!("error setting certificate file: {}", f.display())));
        }
        // A `-k` transfer must not make the bad file look loaded for a
        // later verifying one.
        cacheable = loaded;
    }
    if let Some(d) = &opts.ca_path {
        // Like OpenSSL's lazy lookup: an unusable directory contributes
        // nothing, and the chain then fails as unknown.
        let _ = store.load_dir(d);
    }
    let store = Arc::new(store);
    if let Ok(mut cache) = STORES.lock()
        && cacheable
    {
        cache.push((key, store.clone()));
    }
    Ok(store)
}

/// curl's text for a rejected chain.
/// `%{ssl_verify_result}` after a failed verification, as curl 7.88 with
/// OpenSSL reports it: OpenSSL's code for a chain it refused, and 1 for a
/// name mismatch (curl checks the name itself, after OpenSSL's chain check
/// passed).
fn verify_result(e: CertError) -> i64 {
    match e.reason {
        Reason::HostnameMismatch | Reason::IpAddressMismatch => 1,
        r => i64::from(r.openssl_code()),
    }
}

fn verify_message(e: CertError, host: &str) -> String {
    match e.reason {
        Reason::HostnameMismatch | Reason::IpAddressMismatch => {
            format!("SSL: no alternative certificate subject name matches target host name '{host}'")
        }
        r => format!("SSL certificate problem: {}", r.message()),
    }
}

/// A name as curl prints it: `C=US; O=Example; CN=host`.
fn curl_name(name: &Name<'_>) -> String {
    name.attributes()
        .map(|a| {
            let key = purecrypto::x509::oids::attribute_short_name(a.oid)
                .map_or_else(|| purecrypto::asn1::oid::to_dotted(a.oid), ToOwned::to_owned);
            format!("{key}={}", a.text().unwrap_or_default())
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The `*  subjectAltName:` line: which SAN the host matched.
fn san_line(leaf: &Certificate<'_>, host: &str) -> Option<String> {
    let sans = leaf.extensions.subject_alt_names.as_ref()?;
    if purecrypto::x509::verify::hostname::parse_ip(host.trim_matches(['[', ']'])).is_some() {
        return Some(format!(" subjectAltName: host \"{host}\" matched cert's IP address!"));
    }
    sans.iter().find_map(|n| match n {
        GeneralName::Dns(d) if purecrypto::x509::verify::hostname::matches_host(Some(&vec![n.clone()]), host) => {
            Some(format!(" subjectAltName: host \"{host}\" matched cert's \"{d}\""))
        }
        _ => None,
    })
}

/// `--pinnedpubkey`: whether the leaf's `SubjectPublicKeyInfo` is one of
/// the pinned `sha256//` hashes, or equals the key in the named file (PEM
/// `PUBLIC KEY` or DER).
fn pin_matches(pins: &str, spki: &[u8], info: &mut dyn FnMut(&str)) -> Result<bool, Error> {
    use purecrypto::hash::{Hash as _, Sha256};
    let hash = crate::base64::encode(&Sha256::digest(spki));
    if pins.starts_with("sha256//") {
        info(&format!(" public key hash: sha256//{hash}"));
        return Ok(pins.split(';').any(|p| p.trim().strip_prefix("sha256//") == Some(hash.as_str())));
    }
    let bytes = std::fs::read(Path::new(pins))
        .map_err(|_| Error::PinnedKeyMismatch("SSL: public key does not match pinned public key".into()))?;
    let pem = purecrypto::asn1::pem::decode_label(&bytes, "PUBLIC KEY").map(|p| p.contents.to_vec()).ok();
    Ok(pem.as_deref().unwrap_or(&bytes) == spki)
}

/// Maps a failed handshake to curl's error and exit code.
fn handshake_error(e: &io::Error, host: &str, port: u16, peer: Peer) -> Error {
    if matches!(e.kind(), io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock) {
        return Error::Tls(format!("SSL connection timeout connecting to {host}:{port}"));
    }
    match e.get_ref().and_then(|i| i.downcast_ref::<tls::Error>()) {
        Some(tls::Error::CertificateRejected(ce)) => Error::PeerVerification {
            message: verify_message(*ce, host),
            verify_result: verify_result(*ce),
            proxy: peer != Peer::Server,
        },
        Some(tls::Error::ProtocolVersion) => {
            Error::Tls("TLS connect error: no TLS version in common with the server (rsurl speaks 1.2 and 1.3)".into())
        }
        Some(t) => Error::Tls(format!("TLS connect error: {t}")),
        None => Error::Tls(format!("TLS connect error in connection to {host}:{port}: {e}")),
    }
}

/// Runs the TLS handshake over `below` with `peer` at `host` (SNI and
/// name check: the URL's host, or the proxy's) and prints curl's `-v`
/// lines. Returns the layer and `%{ssl_verify_result}` (or
/// `%{proxy_ssl_verify_result}`: OpenSSL's number; 0 when verified).
pub(crate) fn handshake(
    below: Box<dyn Layer>,
    host: &str,
    port: u16,
    opts: &TlsOptions,
    peer: Peer,
    info: &mut dyn FnMut(&str),
) -> Result<(Box<dyn Layer>, i64), Error> {
    if opts.max_minor.is_some_and(|m| m < 2) || opts.min_minor > 3 {
        return Err(Error::TlsNotBuiltIn(
            "rsurl's TLS speaks TLS 1.2 and 1.3 only: --tls-max below 1.2 cannot be honoured".into(),
        ));
    }
    let name = host.trim_matches(['[', ']']);
    let alpn: &[&[u8]] = match peer {
        Peer::Server if opts.alpn_h2 => &[b"h2", b"http/1.1"],
        Peer::Server | Peer::Proxy { tunnel: true } => &[b"http/1.1"],
        Peer::Proxy { tunnel: false } => &[],
    };
    if !alpn.is_empty() {
        let names: Vec<_> = alpn.iter().map(|p| String::from_utf8_lossy(p)).collect();
        info(&format!("ALPN: offers {}", names.join(",")));
    }
    // Printed after the ClientHello's line, as curl does.
    let mut ca_lines = Vec::new();
    let store = if opts.verify_peer {
        let store = trust_store(opts, &mut |l| ca_lines.push(l.to_owned()));
        if store.is_err() {
            ca_lines.iter().for_each(|l| info(l));
        }
        store?
    } else {
        // `-k`: the result is still reported; an unusable CA file only
        // means every chain is unknown.
        trust_store(&TlsOptions { verify_peer: false, ..opts.clone() }, &mut |_| {}).unwrap_or_default()
    };
    let mut x509 = X509Verifier::shared(store);
    if !opts.verify_host {
        x509 = x509.dangerous_without_hostname();
    }
    let (verifier, report): (Arc<dyn ServerCertVerifier>, _) = if opts.verify_peer {
        (Arc::new(x509), None)
    } else {
        let r = Arc::new(DangerousReportOnlyVerifier::new(x509));
        (r.clone(), Some(r))
    };
    let mut config = ClientConfig::new(verifier.clone());
    config.request_ocsp = opts.cert_status;
    // OpenSSL's default TLS 1.3 order, so servers that follow the
    // client's preference pick what they pick for curl, then OpenSSL's
    // default TLS 1.2 order of the suites we speak; `--tls13-ciphers` and
    // `--ciphers` replace either part.
    config.cipher_suites = match &opts.tls13_ciphers {
        Some(list) => suites::tls13_suites(list)?,
        None => suites::TLS13_DEFAULT.to_vec(),
    };
    config.cipher_suites.extend(match &opts.ciphers {
        Some(list) => suites::tls12_suites(list)?,
        None => suites::tls12_default(),
    });
    if let Some(list) = &opts.curves {
        config.groups = suites::groups(list)?;
        // As curl with OpenSSL: one key share, for the first group named.
        config.initial_key_shares = 1;
    }
    if let Some((chain, key)) = opts.client_cert.load()? {
        config = config.with_client_cert(chain, key).map_err(|_| {
            Error::ClientCert("unable to set private key file: the key does not match the certificate".into())
        })?;
    }
    let sessions = opts.session_id.then(|| resume::SessionCache::for_connection(name, port, &format!("{opts:?}")));
    if let Some(cache) = &sessions {
        config.session_store = Some(cache.store());
        if cache.has_ticket(name) {
            info("SSL re-using session ID");
        }
    }
    config.min_version = if opts.min_minor >= 3 { ProtocolVersion::Tls13 } else { ProtocolVersion::Tls12 };
    config.max_version = if opts.max_minor == Some(2) { ProtocolVersion::Tls12 } else { ProtocolVersion::Tls13 };
    config.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    // Always on: a few events per connection, drained here and by the
    // HTTP drivers (`Layer::take_trace_lines`), printed only with `-v`.
    config.message_log = true;
    let conn = Connection::new_client(Arc::new(config), name).map_err(|e| Error::Tls(format!("TLS setup: {e}")))?;
    let mut stream = Stream::new(conn, below);
    let done = stream.handshake();
    print_messages(stream.conn_mut(), ca_lines, info);
    done.map_err(|e| handshake_error(&e, name, port, peer))?;

    let c = stream.conn();
    let version = c.protocol_version().map_or("unknown", ProtocolVersion::name);
    let suite = c.cipher_suite().map(suites::openssl_name).unwrap_or_default();
    info(&format!("SSL connection using {version} / {suite}"));
    match c.alpn_protocol() {
        Some(p) => info(&format!("ALPN: server accepted {}", String::from_utf8_lossy(p))),
        None if alpn.is_empty() => {}
        None => info("ALPN: server did not agree on a protocol. Uses default."),
    }
    // A resumed handshake has no Certificate message: the leaf and the
    // verdict are those of the handshake the ticket came from.
    let resumed = if c.is_resumed() { sessions.as_ref().and_then(|s| s.verified()) } else { None };
    let leaf_der = match &resumed {
        Some((leaf, _, _)) => leaf.clone(),
        None => c.peer_certificates().first().cloned().unwrap_or_default(),
    };
    let leaf = Certificate::from_der(&leaf_der).map_err(|e| Error::Tls(format!("server certificate: {e}")))?;
    info(if peer == Peer::Server { "Server certificate:" } else { "Proxy certificate:" });
    info(&format!(" subject: {}", curl_name(&leaf.subject)));
    info(&format!(" start date: {}", purecrypto::x509::time::openssl_display(leaf.not_before)));
    info(&format!(" expire date: {}", purecrypto::x509::time::openssl_display(leaf.not_after)));
    if opts.verify_peer && opts.verify_host {
        if let Some(line) = san_line(&leaf, name) {
            info(&line);
        }
    }
    info(&format!(" issuer: {}", curl_name(&leaf.issuer)));
    let (verify_result, verify_line) = match (&resumed, report.and_then(|r| r.verdict())) {
        (Some((_, code, line)), _) => (*code, line.clone()),
        (None, None | Some(Ok(()))) => (0, " SSL certificate verify ok.".to_owned()),
        (None, Some(Err(e))) => {
            let code = e.reason.openssl_code();
            (
                i64::from(code),
                format!(" SSL certificate verify result: {} ({code}), continuing anyway.", e.reason.message()),
            )
        }
    };
    info(&verify_line);
    if opts.cert_status && !c.is_resumed() {
        cert_status::check(c, verifier.as_ref(), info)?;
    }
    if let Some(pins) = &opts.pinned_key {
        if !pin_matches(pins, leaf.spki, info)? {
            return Err(Error::PinnedKeyMismatch("SSL: public key does not match pinned public key".into()));
        }
    }
    if let Some(cache) = sessions.filter(|_| resumed.is_none()) {
        cache.remember(&leaf_der, verify_result, &verify_line);
    }
    let proxy = peer != Peer::Server;
    Ok((Box::new(TlsLayer { stream, verify_result, proxy }), verify_result))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_pins() {
        assert_eq!(parse_version("1.3"), Some(Some(3)));
        assert_eq!(parse_version("default"), Some(None));
        assert_eq!(parse_version("1.4"), None);
        let spki = b"not really a key, only hashed";
        let mut lines = Vec::new();
        use purecrypto::hash::{Hash as _, Sha256};
        let good = format!("sha256//{}", crate::base64::encode(&Sha256::digest(spki)));
        assert!(pin_matches(&format!("sha256//AAAA;{good}"), spki, &mut |l| lines.push(l.to_owned())).unwrap());
        assert!(!pin_matches("sha256//AAAA", spki, &mut |_| {}).unwrap());
        assert_eq!(lines, [format!(" public key hash: {good}")]);
        assert!(pin_matches("/nonexistent/key.pem", spki, &mut |_| {}).is_err());
    }

    #[test]
    fn curl_wording_for_rejections() {
        let e = CertError { reason: Reason::UnableToGetLocalIssuer, depth: 0 };
        assert_eq!(verify_message(e, "h"), "SSL certificate problem: unable to get local issuer certificate");
        let e = CertError { reason: Reason::HostnameMismatch, depth: 0 };
        assert_eq!(
            verify_message(e, "foo.test"),
            "SSL: no alternative certificate subject name matches target host name 'foo.test'"
        );
    }
}
