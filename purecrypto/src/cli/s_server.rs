//! `purecrypto s_server -accept [HOST:]PORT -cert FILE [-key FILE] [...]`: a
//! TLS 1.3 / 1.2 server in the manner of `openssl s_server`.
//!
//! Entry point: [`run`]. It prints `ACCEPT` once listening, then serves
//! one connection at a time (forever, or `-naccept N` times). With `-www`
//! each connection's HTTP GET is answered with an HTML status page (the
//! negotiated protocol, suite, group, ALPN, SNI, resumption and client
//! certificate), as openssl's is; `-WWW` / `-HTTP` serve files from the
//! working directory instead (see [`files`]); without them, standard input goes to the
//! client and whatever the client sends is written to standard output
//! until it closes, with openssl's one-letter commands (`q`, `Q`, `k`,
//! `K`, `c`; see [`commands`]). `-verify N` asks for a client certificate, `-Verify N`
//! requires one; either is checked against `-CAfile` (the depth `N` is
//! accepted for compatibility; chains are bounded by the verifier).
//! Session tickets are issued unless `-no_ticket`; TLS 1.2 sessions
//! without a ticket are cached by session ID unless `-no_cache` (openssl's
//! defaults, a cache of 20480 sessions as its). A failed handshake is
//! reported on standard error and the server goes on to the next client,
//! as openssl's does. `-status_file FILE` staples that DER OCSP response
//! for clients that ask (`status_request`). Raw public keys (RFC 7250,
//! TLS 1.3 and 1.2): `-enable_server_rpk` also serves `-key` as a raw key to
//! clients that ask for one (`-cert` is then optional), and `-rpk_pin
//! FILE` requires clients to authenticate with the raw key whose SPKI
//! FILE holds. `-early_data` accepts TLS 1.3
//! 0-RTT (up to 16384 bytes, openssl's default, replays refused by an
//! in-memory anti-replay store) and prints it as openssl does: `Early
//! data received:`, the data, `End of early data` (or `No early data
//! received` / `Early data was rejected`) on standard output.
//! `-ciphersuites` and `-cipher` are as `s_client`'s: the AES-CCM suites
//! are accepted only when one of them names them.

mod commands;
mod files;

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::string::{String, ToString};
use std::sync::Arc;
use std::vec::Vec;

use self::commands::{Ending, ServerSession};
use self::files::{FileMode, serve_file};
use super::relay::relay;
use super::s_client::{TlsChoices, load_cert_and_key, load_key, load_raw_key_pin, raw_key_fingerprint};
use super::{CliError, Io, value};
use crate::tls::{
    CipherSuite, ClientCertVerifier, Connection, InMemoryAntiReplay, InMemoryServerSessionCache, KeyLogFile,
    NamedGroup, ProtocolVersion, RawKeyIdentity, ServerConfig, Stream, Ticketer, X509ClientVerifier,
};
use crate::x509::TrustStore;

const USAGE: &str = "usage: purecrypto s_server -accept [HOST:]PORT -cert FILE [-key FILE] [-CAfile FILE] \
[-verify N|-Verify N] [-alpn P1,P2] [-www|-WWW|-HTTP] [-naccept N] [-tls1_2|-tls1_3] [-groups G1:G2] [-ciphersuites S1:S2] [-cipher C1:C2] \
[-keylogfile FILE] [-no_ticket] [-no_cache] [-status_file FILE] [-enable_server_rpk] [-rpk_pin PUBKEY] [-early_data] [-quiet]";

/// `-early_data`'s `max_early_data_size` (openssl's default).
const MAX_EARLY_DATA: u32 = 16 * 1024;

/// ClientHellos the `-early_data` anti-replay store remembers at once;
/// past that, 0-RTT is refused until entries expire.
const ANTI_REPLAY_CAPACITY: usize = 4096;

/// Sessions the server's TLS 1.2 session-ID cache keeps (openssl's
/// `SSL_SESSION_CACHE_MAX_SIZE_DEFAULT`).
const SESSION_CACHE_SIZE: usize = 20 * 1024;

/// The most of an HTTP request head `-www` reads before answering.
const MAX_REQUEST_HEAD: usize = 16 * 1024;

/// What `run` needs once the options are parsed.
struct Served {
    www: bool,
    /// `-WWW` / `-HTTP`: files from the working directory instead.
    files: Option<FileMode>,
    quiet: bool,
    early_data: bool,
    naccept: Option<u64>,
    /// Judges the certificate the `c` command asks for (`-CAfile`).
    pha_verifier: Option<Arc<dyn ClientCertVerifier>>,
}

pub(super) fn run(args: &[String], io: &mut Io<'_>) -> Result<i32, CliError> {
    let mut accept = None;
    let mut cert_file = None;
    let mut key_file = None;
    let mut ca_file = None;
    let mut client_auth = None;
    let mut alpn = Vec::new();
    let mut choices = TlsChoices::default();
    let mut keylog_file = None;
    let mut tickets = true;
    let mut session_cache = true;
    let mut status_file = None;
    let mut server_rpk = false;
    let mut rpk_pin = None;
    let mut served =
        Served { www: false, files: None, quiet: false, early_data: false, naccept: None, pha_verifier: None };
    let mut i = 0;
    while i < args.len() {
        let arg = args.get(i).map(String::as_str).unwrap_or_default();
        match arg {
            "-accept" | "-port" => accept = Some(value(args, &mut i, arg)?.to_string()),
            "-cert" => cert_file = Some(value(args, &mut i, arg)?.to_string()),
            "-key" => key_file = Some(value(args, &mut i, arg)?.to_string()),
            "-CAfile" => ca_file = Some(value(args, &mut i, arg)?.to_string()),
            "-verify" | "-Verify" => {
                value(args, &mut i, arg)?
                    .parse::<u32>()
                    .map_err(|_| CliError::usage(std::format!("{arg} needs a depth")))?;
                client_auth = Some(arg == "-Verify");
            }
            "-alpn" => alpn = value(args, &mut i, arg)?.split(',').map(|p| p.as_bytes().to_vec()).collect(),
            a if TlsChoices::OPTIONS.contains(&a) => choices.parse(args, &mut i)?,
            "-keylogfile" => keylog_file = Some(value(args, &mut i, arg)?.to_string()),
            "-no_ticket" => tickets = false,
            "-no_cache" => session_cache = false,
            "-status_file" => status_file = Some(value(args, &mut i, arg)?.to_string()),
            "-enable_server_rpk" => server_rpk = true,
            "-rpk_pin" => rpk_pin = Some(value(args, &mut i, arg)?.to_string()),
            "-www" => served.www = true,
            "-WWW" => served.files = Some(FileMode::Www),
            "-HTTP" => served.files = Some(FileMode::Http),
            "-early_data" => served.early_data = true,
            "-quiet" => served.quiet = true,
            "-naccept" => {
                served.naccept =
                    Some(value(args, &mut i, arg)?.parse().map_err(|_| CliError::usage("-naccept needs a number"))?);
            }
            _ => return Err(CliError::usage(std::format!("unknown option '{arg}'\n{USAGE}"))),
        }
        i += 1;
    }
    let accept = accept.ok_or_else(|| CliError::usage(USAGE))?;
    let mut config = match (cert_file, server_rpk) {
        (Some(cert_path), _) => {
            let (chain, key) = load_cert_and_key(&cert_path, key_file.as_deref().unwrap_or(&cert_path))?;
            ServerConfig::new(chain, key).map_err(|e| CliError::usage(std::format!("-cert/-key: {e}")))?
        }
        (None, true) => {
            let path = key_file.as_deref().ok_or_else(|| CliError::usage("-enable_server_rpk needs -key"))?;
            ServerConfig::with_raw_public_key(load_key(path)?)
                .map_err(|e| CliError::usage(std::format!("-key: {e}")))?
        }
        (None, false) => return Err(CliError::usage(std::format!("-cert is required\n{USAGE}"))),
    };
    if server_rpk && config.raw_key.is_none() {
        // The certificate's key, served bare as well.
        let spki = config.key.spki_der().map_err(|e| CliError::usage(std::format!("-key: {e}")))?;
        config.raw_key = Some(RawKeyIdentity { spki, key: Arc::clone(&config.key) });
    }
    if let Some(path) = &rpk_pin {
        config.client_raw_key_verifier = Some(Arc::new(load_raw_key_pin(path)?));
    }
    config.alpn_protocols = alpn;
    choices.apply(&mut config.groups, &mut config.cipher_suites, (&mut config.min_version, &mut config.max_version));
    let store = match &ca_file {
        Some(path) => {
            let mut store = TrustStore::new();
            store
                .load_file(std::path::Path::new(path))
                .map_err(|e| CliError::usage(std::format!("-CAfile {path}: {e}")))?;
            Some(store)
        }
        None => None,
    };
    if let Some(store) = &store {
        // `c` asks as openssl's does (SSL_VERIFY_PEER alone): a client
        // may answer with no certificate.
        served.pha_verifier = Some(Arc::new(X509ClientVerifier::new(store.clone()).allow_unauthenticated()));
    }
    if let Some(mandatory) = client_auth {
        let store = store.ok_or_else(|| CliError::usage("-verify / -Verify need -CAfile"))?;
        let verifier = X509ClientVerifier::new(store);
        let verifier: Arc<dyn ClientCertVerifier> =
            Arc::new(if mandatory { verifier } else { verifier.allow_unauthenticated() });
        config.client_verifier = Some(verifier);
    }
    if tickets {
        config.ticketer =
            Some(Arc::new(Ticketer::from_os().map_err(|e| CliError::usage(std::format!("session tickets: {e}")))?));
    }
    if session_cache {
        config.session_cache = Some(Arc::new(InMemoryServerSessionCache::new(SESSION_CACHE_SIZE)));
    }
    if let Some(path) = &keylog_file {
        let log = KeyLogFile::open(std::path::Path::new(path)).map_err(CliError::io(path.clone()))?;
        config.key_log = Some(Arc::new(log));
    }
    if let Some(path) = &status_file {
        config.ocsp_response = Some(std::fs::read(path).map_err(CliError::io(path.clone()))?);
    }
    if served.early_data {
        config = config.with_early_data(MAX_EARLY_DATA, Arc::new(InMemoryAntiReplay::new(ANTI_REPLAY_CAPACITY)));
    }
    config.check().map_err(|e| CliError::usage(std::format!("{e}")))?;
    let config = Arc::new(config);

    let addr = if accept.contains(':') { accept.clone() } else { std::format!("0.0.0.0:{accept}") };
    let listener = TcpListener::bind(&addr).map_err(CliError::io(addr.clone()))?;
    writeln!(io.stdout, "ACCEPT").and_then(|()| io.stdout.flush()).map_err(CliError::io("stdout"))?;
    let mut served_count = 0u64;
    while served.naccept.is_none_or(|n| served_count < n) {
        let (tcp, _) = listener.accept().map_err(CliError::io("accept"))?;
        served_count += 1;
        let conn = Connection::new_server(Arc::clone(&config)).map_err(|e| CliError::usage(e.to_string()))?;
        match serve(Stream::new(conn, tcp), &served, io) {
            Ok(Ending::Server) => break,
            Ok(Ending::Connection) => {}
            Err(e) => {
                let _ = writeln!(io.stderr, "ERROR\n{e}");
            }
        }
    }
    Ok(0)
}

/// One connection: the handshake, then the status page or the relay.
fn serve(mut stream: Stream<TcpStream>, served: &Served, io: &mut Io<'_>) -> Result<Ending, CliError> {
    stream.handshake().map_err(CliError::io("handshake"))?;
    if served.early_data {
        print_early_data(stream.conn_mut(), io).map_err(CliError::io("stdout"))?;
    }
    let summary = summary(stream.conn());
    if !served.quiet {
        io.stderr.write_all(summary.as_bytes()).map_err(CliError::io("stderr"))?;
    }
    let ending = if let Some(mode) = served.files {
        let head = read_request_head(&mut stream).map_err(CliError::io("connection"))?;
        serve_file(&mut stream, &head, mode, std::path::Path::new(".")).map_err(CliError::io("connection"))?;
        Ending::Connection
    } else if served.www {
        www(&mut stream, &summary).map_err(CliError::io("connection"))?;
        Ending::Connection
    } else {
        let verifier = served.pha_verifier.clone();
        let mut session = ServerSession { verifier, report: &mut *io.stderr, ending: Ending::Connection };
        relay(&mut stream, &mut *io.stdin, &mut *io.stdout, &mut session)?;
        session.ending
    };
    stream.close().map_err(CliError::io("close"))?;
    Ok(ending)
}

/// `-www`: answers the client's GET with the status page.
fn www(stream: &mut Stream<TcpStream>, summary: &str) -> std::io::Result<()> {
    let head = read_request_head(stream)?;
    let page = if head.starts_with(b"GET ") {
        std::format!(
            "HTTP/1.0 200 ok\r\nContent-type: text/html\r\n\r\n<HTML><BODY BGCOLOR=\"#ffffff\">\n<pre>\n\n\
             purecrypto s_server -www\n{summary}</pre></BODY></HTML>\r\n\r\n"
        )
    } else {
        "HTTP/1.0 400 bad request\r\nContent-type: text/plain\r\n\r\nonly GET is answered\r\n".to_string()
    };
    stream.write_all(page.as_bytes())?;
    stream.flush()
}

/// What 0-RTT brought, in `openssl s_server -early_data`'s words.
fn print_early_data(conn: &mut Connection, io: &mut Io<'_>) -> std::io::Result<()> {
    let mut data = std::vec![0u8; conn.early_data_len()];
    let n = conn.read_early_data(&mut data);
    if n > 0 {
        io.stdout.write_all(b"Early data received:\n")?;
        io.stdout.write_all(data.get(..n).unwrap_or_default())?;
        io.stdout.write_all(b"\nEnd of early data\n")?;
    } else if conn.early_data_accepted() {
        io.stdout.write_all(b"No early data received\n")?;
    } else {
        io.stdout.write_all(b"No early data received (or it was rejected)\n")?;
    }
    io.stdout.flush()
}

/// Reads up to the blank line ending an HTTP request head (at most
/// [`MAX_REQUEST_HEAD`] bytes, or whatever came before the client closed).
fn read_request_head(stream: &mut Stream<TcpStream>) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < MAX_REQUEST_HEAD {
        match stream.read(&mut buf)? {
            0 => break,
            n => head.extend_from_slice(buf.get(..n).unwrap_or_default()),
        }
    }
    Ok(head)
}

/// What was negotiated, in `openssl s_server`'s words.
fn summary(conn: &Connection) -> String {
    let mut out = String::new();
    let version = conn.protocol_version().map_or("unknown", ProtocolVersion::name);
    let suite = conn.cipher_suite().unwrap_or(CipherSuite(0));
    let group = conn.negotiated_group().unwrap_or(NamedGroup(0));
    out.push_str(&std::format!("Protocol  : {version}\nCipher    : {suite:?}\nGroup     : {group:?}\n"));
    if let Some(p) = conn.alpn_protocol() {
        out.push_str(&std::format!("ALPN protocol: {}\n", String::from_utf8_lossy(p)));
    }
    if let Some(name) = conn.server_name() {
        out.push_str(&std::format!("SNI       : {}\n", String::from_utf8_lossy(name)));
    }
    out.push_str(&std::format!("Reused    : {}\n", if conn.is_resumed() { "yes" } else { "no" }));
    let peer = conn.peer_certificates();
    match peer.first() {
        Some(leaf) => {
            let subject = crate::x509::Certificate::from_der(leaf)
                .map(|c| c.subject.to_string())
                .unwrap_or_else(|_| "(unreadable)".to_string());
            out.push_str(&std::format!("Client certificate: {subject} ({} in chain)\n", peer.len()));
        }
        None => match conn.peer_raw_public_key() {
            Some(spki) => out.push_str(&std::format!("Client raw public key: {}\n", raw_key_fingerprint(spki))),
            None => out.push_str("no client certificate available\n"),
        },
    }
    out
}
