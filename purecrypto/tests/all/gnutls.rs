//! TLS interop with GnuTLS 3.7 (`gnutls-serv`, `gnutls-cli`), both
//! directions, as `tls.rs` and `tls_features.rs` do with OpenSSL.
//!
//! Client direction: `gnutls-serv --http` (its status page names the
//! version, group, signature and cipher it negotiated) or `--echo`, with
//! the throwaway certificates in `tests/data/tls/`. Server direction: our
//! library server (or `purecrypto s_server`) on a local port and
//! `gnutls-cli`, which checks our certificate against the same file as
//! its CA and writes its session description to a `--logfile`.
//!
//! Covered: each TLS 1.3 suite x {X25519, P-256, P-384} x {RSA-2048 (the
//! three `rsa_pss_rsae` hashes in turn), RSA-PSS (an `id-RSASSA-PSS` key,
//! the three `rsa_pss_pss` hashes in turn), ECDSA P-256, ECDSA P-384,
//! Ed25519}, each TLS 1.2 suite, the RSA-PSS certificate in TLS 1.2,
//! resumption (1.3 tickets, 1.2 tickets and session IDs),
//! HelloRetryRequest with ALPN, client certificates (the RSA-PSS one
//! too), KeyUpdate, 4 MiB each way checked byte for byte, and the CLIs.
//!
//! Outside CI a missing gnutls-serv or gnutls-cli prints a loud SKIPPED
//! banner; in CI it fails.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use purecrypto::tls::{
    AlertDescription, CipherSuite, ClientConfig, ClientSessionStore, Connection, Error, InMemorySessionStore,
    NamedGroup, PinnedCertVerifier, ProtocolVersion, SignatureScheme, SigningKey, Stream, X509ClientVerifier,
};

use super::parallel;
use super::s_server::Server;
use super::tls::{
    Peer, SUITES12, data, get_page, peer_available, run_s_client_cli, serve, server_config, start_listening,
};
use super::tls_features::{client_auth_server, client_with_cert, resuming_server};

const KEYS: &[&str] = &["rsa2048", "rsapss", "p256", "p384", "ed25519", "ed448"];
/// TLS 1.3 suites: GnuTLS's cipher name (priority `+NAME`, last part of
/// its session description) and ours.
const SUITES: &[(&str, CipherSuite)] = &[
    ("AES-128-GCM", CipherSuite::TLS_AES_128_GCM_SHA256),
    ("AES-256-GCM", CipherSuite::TLS_AES_256_GCM_SHA384),
    ("CHACHA20-POLY1305", CipherSuite::TLS_CHACHA20_POLY1305_SHA256),
];
/// Groups: GnuTLS's name (priority `+GROUP-NAME`, description
/// `(ECDHE-NAME)`) and ours.
const GROUPS: &[(&str, NamedGroup)] = &[
    ("X25519", NamedGroup::X25519),
    ("SECP256R1", NamedGroup::SECP256R1),
    ("SECP384R1", NamedGroup::SECP384R1),
    ("FFDHE2048", NamedGroup::FFDHE2048),
];

/// GnuTLS's session description of a TLS 1.3 combination.
fn tls13_description(group: &str, sig: &str, suite: &str) -> String {
    let kx = if group.starts_with("FFDHE") { "DHE" } else { "ECDHE" };
    format!("(TLS1.3-X.509)-({kx}-{group})-({sig})-({suite})")
}

/// `Some` when gnutls-serv and gnutls-cli are installed (else a loud
/// skip, or a panic in CI).
pub(crate) fn gnutls() -> Option<()> {
    let serv = peer_available("gnutls-serv", "--version", "GnuTLS interop, client direction");
    (serv && peer_available("gnutls-cli", "--version", "GnuTLS interop, server direction")).then_some(())
}

/// The TLS 1.3 signature scheme `key` signs the handshake with in
/// combination `i`, with GnuTLS's name for it: RSA turns through the
/// three `rsa_pss_rsae` hashes, RSA-PSS through the three `rsa_pss_pss`
/// ones.
fn signature(key: &str, i: usize) -> (&'static str, SignatureScheme) {
    const RSA: [(&str, SignatureScheme); 3] = [
        ("RSA-PSS-RSAE-SHA256", SignatureScheme::RSA_PSS_RSAE_SHA256),
        ("RSA-PSS-RSAE-SHA384", SignatureScheme::RSA_PSS_RSAE_SHA384),
        ("RSA-PSS-RSAE-SHA512", SignatureScheme::RSA_PSS_RSAE_SHA512),
    ];
    const RSA_PSS: [(&str, SignatureScheme); 3] = [
        ("RSA-PSS-SHA256", SignatureScheme::RSA_PSS_PSS_SHA256),
        ("RSA-PSS-SHA384", SignatureScheme::RSA_PSS_PSS_SHA384),
        ("RSA-PSS-SHA512", SignatureScheme::RSA_PSS_PSS_SHA512),
    ];
    match key {
        "rsa2048" => RSA[i % 3],
        "rsapss" => RSA_PSS[i % 3],
        "p256" => ("ECDSA-SECP256R1-SHA256", SignatureScheme::ECDSA_SECP256R1_SHA256),
        "p384" => ("ECDSA-SECP384R1-SHA384", SignatureScheme::ECDSA_SECP384R1_SHA384),
        "ed25519" => ("EdDSA-Ed25519", SignatureScheme::ED25519),
        "ed448" => ("EdDSA-Ed448", SignatureScheme::ED448),
        _ => panic!("no signature for {key}"),
    }
}

/// `gnutls-serv` with the certificate and key `key` and `extra` options.
pub(crate) fn start_gnutls_serv(key: &str, extra: &[&str]) -> (Peer, u16) {
    start_listening("gnutls-serv", |port| {
        let mut cmd = Command::new("gnutls-serv");
        cmd.args(["--port", &port.to_string(), "--x509certfile"])
            .arg(data(&format!("{key}.crt.pem")))
            .arg("--x509keyfile")
            .arg(data(&format!("{key}.key.pem")))
            .args(extra);
        cmd
    })
}

/// A connection from our client to `port`, handshake done.
pub(crate) fn connect(config: ClientConfig, port: u16) -> Stream<TcpStream> {
    connect_shared(Arc::new(config), port)
}

fn connect_shared(config: Arc<ClientConfig>, port: u16) -> Stream<TcpStream> {
    let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
    tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
    let mut stream = Stream::new(Connection::new_client(config, "localhost").unwrap(), tcp);
    stream.handshake().unwrap();
    stream
}

/// A client that trusts exactly the certificate `key`.
fn pinned(key: &str) -> ClientConfig {
    let leaf = std::fs::read(data(&format!("{key}.crt.der"))).unwrap();
    ClientConfig::new(Arc::new(PinnedCertVerifier::Certificate(leaf)))
}

static CLI_RUNS: AtomicUsize = AtomicUsize::new(0);

/// Runs `gnutls-cli ARGS localhost` against 127.0.0.1:`port` with `input`
/// on its standard input (it sends close_notify at the end of it, then
/// reads until the server closes). Returns the application data it
/// received and its messages (the `--logfile` and standard error).
pub(crate) fn gnutls_cli(port: u16, args: &[&str], input: Vec<u8>) -> (Vec<u8>, String) {
    let run = CLI_RUNS.fetch_add(1, Ordering::Relaxed);
    let base = std::env::temp_dir().join(format!("purecrypto-gnutls-cli-{}-{run}", std::process::id()));
    let (log, stdin) = (base.with_extension("log"), base.with_extension("in"));
    std::fs::write(&stdin, input).unwrap();
    let out = Command::new("gnutls-cli")
        .args(["--port", &port.to_string(), "--logfile"])
        .arg(&log)
        .args(args)
        .arg("localhost")
        .stdin(std::fs::File::open(&stdin).unwrap())
        .output()
        .unwrap();
    let messages = std::fs::read_to_string(&log).unwrap_or_default() + &String::from_utf8_lossy(&out.stderr);
    let _ = std::fs::remove_file(&log);
    let _ = std::fs::remove_file(&stdin);
    (out.stdout, messages)
}

/// `gnutls-cli` trusting the certificate `key`, with priority string
/// `priority` and `extra` options, sending `hello from gnutls`: returns
/// what came back and its messages.
pub(crate) fn gnutls_cli_hello(port: u16, key: &str, priority: &str, extra: &[&str]) -> (String, String) {
    let ca = data(&format!("{key}.crt.pem"));
    let args = [&["--x509cafile", ca.to_str().unwrap(), "--priority", priority], extra].concat();
    let (out, messages) = gnutls_cli(port, &args, b"hello from gnutls\n".to_vec());
    (String::from_utf8_lossy(&out).into_owned(), messages)
}

/// Our client to `gnutls-serv --http` for each suite x group, per key
/// (the RSA key signing with each `rsa_pss_rsae` hash in turn); each
/// connection first sends a KeyUpdate asking GnuTLS for one, then reads
/// the status page, which must describe exactly that combination.
#[test]
fn client_every_suite_group_and_key_against_gnutls_serv() {
    let Some(()) = gnutls() else { return };
    let done = parallel::map(KEYS, |key| {
        let (_server, port) = start_gnutls_serv(key, &["--http"]);
        let mut done = Vec::new();
        for (s, (suite_name, suite)) in SUITES.iter().enumerate() {
            for (g, (group_name, group)) in GROUPS.iter().enumerate() {
                let (sig_name, sig) = signature(key, s + g);
                let mut config = pinned(key);
                config.cipher_suites = vec![*suite];
                config.groups = vec![*group];
                config.signature_schemes = vec![sig];
                let mut stream = connect(config, port);
                stream.conn_mut().refresh_traffic_keys().unwrap();
                let page = get_page(&mut stream);
                let expect = tls13_description(group_name, sig_name, suite_name);
                assert!(page.contains(&expect), "{key}: expected {expect} in {page}");
                assert_eq!(stream.conn().negotiated_group(), Some(*group));
                done.push(expect);
            }
        }
        done
    });
    let done: Vec<String> = done.into_iter().flatten().collect();
    eprintln!("client -> gnutls-serv OK for {} combinations: {done:#?}", done.len());
    assert_eq!(done.len(), KEYS.len() * SUITES.len() * GROUPS.len());
}

/// `gnutls-cli` restricted by its priority string to one suite, group
/// and signature scheme against our server, per key: GnuTLS verifies
/// our certificate and describes the combination; our server agrees and
/// echoes the line.
#[test]
fn gnutls_cli_every_suite_group_and_key_against_our_server() {
    let Some(()) = gnutls() else { return };
    let done = parallel::map(KEYS, |key| {
        let (port, handle) = serve(server_config(key), SUITES.len() * GROUPS.len());
        let mut done = Vec::new();
        for (s, (suite_name, suite)) in SUITES.iter().enumerate() {
            for (g, (group_name, _)) in GROUPS.iter().enumerate() {
                let (sig_name, _) = signature(key, s + g);
                let priority = format!(
                    "NORMAL:-VERS-ALL:+VERS-TLS1.3:-CIPHER-ALL:+{suite_name}:-GROUP-ALL:+GROUP-{group_name}:\
                     -SIGN-ALL:+SIGN-{sig_name}"
                );
                let (out, messages) = gnutls_cli_hello(port, key, &priority, &[]);
                let expect = tls13_description(group_name, sig_name, suite_name);
                assert!(out.contains("echo: hello from gnutls"), "{key} {expect}: {out} {messages}");
                assert!(messages.contains(&format!("- Description: {expect}")), "{messages}");
                done.push((expect, *suite));
            }
        }
        let seen = handle.join().unwrap();
        for (line, (_, suite)) in seen.iter().zip(&done) {
            assert!(line.starts_with(&format!("Some({suite:?})")) && line.ends_with("hello from gnutls"), "{line}");
        }
        done.into_iter().map(|(expect, _)| expect).collect::<Vec<_>>()
    });
    let done: Vec<String> = done.into_iter().flatten().collect();
    eprintln!("gnutls-cli -> our server OK for {} combinations: {done:#?}", done.len());
    assert_eq!(done.len(), KEYS.len() * SUITES.len() * GROUPS.len());
}

/// GnuTLS's names for a TLS 1.2 suite of `SUITES12`: key exchange and
/// cipher.
fn gnutls_tls12_names(openssl_name: &str) -> (&'static str, &'static str) {
    let kx = if openssl_name.starts_with("ECDHE-RSA-") { "ECDHE-RSA" } else { "ECDHE-ECDSA" };
    let cipher = if openssl_name.contains("AES128-GCM") {
        "AES-128-GCM"
    } else if openssl_name.contains("AES256-GCM") {
        "AES-256-GCM"
    } else {
        assert!(openssl_name.contains("CHACHA20-POLY1305"), "{openssl_name}");
        "CHACHA20-POLY1305"
    };
    (kx, cipher)
}

/// Each TLS 1.2 suite, both directions, with the certificate that fits
/// (ECDSA P-256 or RSA-2048) and the group rotating over X25519, P-256
/// and P-384: our client (offering 1.3 and 1.2) against a 1.2-only
/// `gnutls-serv`, and `gnutls-cli` limited to 1.2 and the suite against
/// our default server.
#[test]
fn tls12_every_suite_both_directions() {
    let Some(()) = gnutls() else { return };
    let mut done = Vec::new();
    for key in ["p256", "rsa2048"] {
        let mine: Vec<_> = SUITES12.iter().filter(|(_, _, k)| *k == key).collect();
        let (_server, port) = start_gnutls_serv(key, &["--http", "--priority", "NORMAL:-VERS-TLS1.3"]);
        // Our server prefers P-384 and X25519 to P-256, which gnutls-cli
        // must list as the curve of an ECDSA certificate (RFC 8422
        // section 5.1; our server refuses a client that does not).
        let mut config = server_config(key);
        config.groups = vec![NamedGroup::SECP384R1, NamedGroup::X25519, NamedGroup::SECP256R1];
        let (our_port, handle) = serve(config, mine.len());
        for (i, (name, suite, _)) in mine.iter().enumerate() {
            let (kx, cipher) = gnutls_tls12_names(name);
            let (group_name, group) = GROUPS[i % 3]; // the elliptic curves
            let mut config = pinned(key);
            config.cipher_suites = CipherSuite::SUPPORTED.iter().chain([suite]).copied().collect();
            // RFC 8422 section 5.1: the curve of an ECDSA certificate
            // must be listed too.
            config.groups = vec![group];
            if group != NamedGroup::SECP256R1 {
                config.groups.push(NamedGroup::SECP256R1);
            }
            let mut stream = connect(config, port);
            assert_eq!(stream.conn().protocol_version(), Some(ProtocolVersion::Tls12));
            assert_eq!(stream.conn().cipher_suite(), Some(*suite));
            let page = get_page(&mut stream);
            let expect = format!("(TLS1.2-X.509)-(ECDHE-{group_name})-");
            assert!(page.contains(&expect) && page.contains(&format!("-({cipher})")), "{name}: {page}");

            let priority = format!(
                "NORMAL:-VERS-ALL:+VERS-TLS1.2:-CIPHER-ALL:+{cipher}:-KX-ALL:+{kx}:-GROUP-ALL:+GROUP-{group_name}:\
                 +GROUP-SECP256R1"
            );
            let (out, messages) = gnutls_cli_hello(our_port, key, &priority, &[]);
            assert!(out.contains("echo: hello from gnutls"), "{name}: {out} {messages}");
            assert!(messages.contains(&format!("- Description: {expect}")), "{name}: {messages}");
            done.push(format!("{name} x {group_name}"));
        }
        let seen = handle.join().unwrap();
        for (line, (_, suite, _)) in seen.iter().zip(&mine) {
            assert!(line.starts_with(&format!("Some({suite:?})")) && line.ends_with("hello from gnutls"), "{line}");
        }
    }
    eprintln!("TLS 1.2 with GnuTLS, both directions, OK: {done:#?}");
    assert_eq!(done.len(), SUITES12.len());
}

/// The `id-RSASSA-PSS` certificate in TLS 1.2 (an `ECDHE_RSA` suite
/// signing with `rsa_pss_pss_*`), both directions, each of the three
/// hashes once: our client offering only that scheme against a 1.2-only
/// `gnutls-serv`, and `gnutls-cli` limited to 1.2 and that scheme
/// against our server.
#[test]
fn tls12_rsa_pss_certificate_both_directions() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = start_gnutls_serv("rsapss", &["--http", "--priority", "NORMAL:-VERS-TLS1.3"]);
    let (our_port, handle) = serve(server_config("rsapss"), 3);
    for i in 0..3 {
        let (sig_name, sig) = signature("rsapss", i);
        let mut config = pinned("rsapss");
        config.max_version = ProtocolVersion::Tls12;
        config.signature_schemes = vec![sig];
        config.groups = vec![NamedGroup::X25519];
        let mut stream = connect(config, port);
        assert_eq!(stream.conn().protocol_version(), Some(ProtocolVersion::Tls12));
        let page = get_page(&mut stream);
        assert!(page.contains(&format!("(TLS1.2-X.509)-(ECDHE-X25519)-({sig_name})-")), "{sig_name}: {page}");

        let priority = format!("NORMAL:-VERS-ALL:+VERS-TLS1.2:-SIGN-ALL:+SIGN-{sig_name}");
        let (out, messages) = gnutls_cli_hello(our_port, "rsapss", &priority, &[]);
        assert!(out.contains("echo: hello from gnutls"), "{sig_name}: {out} {messages}");
        assert!(messages.contains(&format!("-({sig_name})-")), "{sig_name}: {messages}");
    }
    let seen = handle.join().unwrap();
    assert!(seen.iter().all(|line| line.ends_with("hello from gnutls")), "{seen:?}");
}

/// The `id-RSASSA-PSS` certificate (self-signed, so the peer trusts it
/// as its own CA) as a client certificate, both versions, both
/// directions: our client against `gnutls-serv --require-client-cert
/// --verify-client-cert`, and `gnutls-cli --x509certfile` against our
/// server, which refuses a client without a certificate it verifies.
#[test]
fn rsa_pss_client_certificate_both_directions() {
    let Some(()) = gnutls() else { return };
    let (cert_pem, key_pem) = (data("rsapss.crt.pem"), data("rsapss.key.pem"));
    let (cert_pem, key_pem) = (cert_pem.to_str().unwrap(), key_pem.to_str().unwrap());
    let cert = std::fs::read(data("rsapss.crt.der")).unwrap();
    let require = ["--http", "--require-client-cert", "--verify-client-cert", "--x509cafile", cert_pem];
    let mut store = purecrypto::x509::TrustStore::new();
    store.add_der(&cert).unwrap();
    let mut config = server_config("p256");
    config.client_verifier = Some(Arc::new(X509ClientVerifier::new(store)));
    let (our_port, handle) = serve(config, 2);
    for (priority, version) in [("NORMAL", ProtocolVersion::Tls13), ("NORMAL:-VERS-TLS1.3", ProtocolVersion::Tls12)] {
        let (_server, port) = start_gnutls_serv("p256", &[&require[..], &["--priority", priority]].concat());
        let mut config = pinned("p256");
        config.min_version = version;
        config.max_version = version;
        let key = SigningKey::from_pkcs8_pem(&std::fs::read(key_pem).unwrap()).unwrap();
        let config = config.with_client_cert(vec![cert.clone()], key).unwrap();
        let mut stream = connect(config, port);
        assert!(stream.conn().sent_client_certificate(), "{version:?}");
        let page = get_page(&mut stream);
        assert!(page.contains("Subject: CN=localhost"), "{version:?}: {page}");

        let extra = ["--x509certfile", cert_pem, "--x509keyfile", key_pem];
        let (out, messages) = gnutls_cli_hello(our_port, "p256", priority, &extra);
        assert!(out.contains("echo: hello from gnutls"), "{version:?}: {out} {messages}");
        let tag = if version == ProtocolVersion::Tls13 { "TLS1.3" } else { "TLS1.2" };
        assert!(messages.contains(&format!("- Description: ({tag}-X.509)")), "{version:?}: {messages}");
    }
    let seen = handle.join().unwrap();
    assert!(seen.iter().all(|line| line.ends_with("hello from gnutls")), "{seen:?}");
}

/// Our client resumes against `gnutls-serv`: TLS 1.3 tickets, TLS 1.2
/// tickets, TLS 1.2 session IDs (`--noticket`, its session database).
/// Then `gnutls-cli --resume` against our server in the same three ways.
#[test]
fn resumption_both_directions() {
    let Some(()) = gnutls() else { return };
    let cases: [(&[&str], ProtocolVersion, bool); 3] = [
        (&["--http"], ProtocolVersion::Tls13, true),
        (&["--http", "--priority", "NORMAL:-VERS-TLS1.3"], ProtocolVersion::Tls12, true),
        (&["--http", "--priority", "NORMAL:-VERS-TLS1.3", "--noticket"], ProtocolVersion::Tls12, false),
    ];
    for (extra, version, ticket) in cases {
        let (_server, port) = start_gnutls_serv("p256", extra);
        let store = Arc::new(InMemorySessionStore::new(4));
        let mut config = pinned("p256");
        config.session_store = Some(store.clone());
        let config = Arc::new(config);
        for i in 0..3 {
            let mut stream = connect_shared(config.clone(), port);
            let page = get_page(&mut stream);
            assert_eq!(stream.conn().protocol_version(), Some(version));
            assert_eq!(stream.conn().is_resumed(), i > 0, "{extra:?} connection {i}: {page}");
        }
        if version == ProtocolVersion::Tls12 {
            assert_eq!(store.tls12("localhost").unwrap().has_ticket(), ticket, "{extra:?}");
        }
    }

    let (port, handle) = resuming_server(6, None);
    let ca = data("p256.crt.pem");
    let ca = ca.to_str().unwrap();
    for priority in ["NORMAL:-VERS-ALL:+VERS-TLS1.3", "NORMAL:-VERS-ALL:+VERS-TLS1.2"] {
        for ticket in [&[][..], &["--noticket"][..]] {
            if priority.ends_with("1.3") && !ticket.is_empty() {
                continue; // TLS 1.3 resumes by ticket only
            }
            let args = [&["--x509cafile", ca, "--priority", priority, "--resume", "--waitresumption"], ticket].concat();
            let (_, messages) = gnutls_cli(port, &args, b"hello\n".to_vec());
            assert!(messages.contains("This is a resumed session"), "{priority} {ticket:?}: {messages}");
        }
    }
    assert_eq!(handle.join().unwrap(), vec![false, true, false, true, false, true]);
}

/// HelloRetryRequest with ALPN, both directions. `gnutls-serv` accepts
/// only P-384 and http/1.1; our client sends an X25519 share first and
/// offers h2 before http/1.1. Our server accepts only P-384 and h2;
/// `gnutls-cli --single-key-share` sends X25519 first.
#[test]
fn hello_retry_and_alpn_both_directions() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = start_gnutls_serv(
        "p384",
        &["--http", "--priority", "NORMAL:-GROUP-ALL:+GROUP-SECP384R1", "--alpn", "http/1.1"],
    );
    let mut config = pinned("p384");
    config.groups = vec![NamedGroup::X25519, NamedGroup::SECP384R1];
    config.initial_key_shares = 1;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    let mut stream = connect(config, port);
    assert!(stream.conn().had_hello_retry());
    assert_eq!(stream.conn().negotiated_group(), Some(NamedGroup::SECP384R1));
    assert_eq!(stream.conn().alpn_protocol(), Some(&b"http/1.1"[..]));
    let page = get_page(&mut stream);
    assert!(page.contains("(TLS1.3-X.509)-(ECDHE-SECP384R1)-"), "{page}");

    let mut config = server_config("ed25519");
    config.groups = vec![NamedGroup::SECP384R1];
    config.alpn_protocols = vec![b"h2".to_vec()];
    let (port, handle) = serve(config, 1);
    let priority = "NORMAL:-GROUP-ALL:+GROUP-X25519:+GROUP-SECP384R1";
    let alpn = ["--single-key-share", "--alpn", "http/1.1", "--alpn", "h2"];
    let (out, messages) = gnutls_cli_hello(port, "ed25519", priority, &alpn);
    assert!(out.contains("echo: hello from gnutls"), "{out} {messages}");
    assert!(messages.contains("- Description: (TLS1.3-X.509)-(ECDHE-SECP384R1)-"), "{messages}");
    assert!(messages.contains("- Application protocol: h2"), "{messages}");
    let seen = handle.join().unwrap();
    assert!(seen.len() == 1 && seen[0].ends_with("Some(P-384) alpn=h2 hrr=true hello from gnutls"), "{seen:?}");
}

/// Client certificates, both directions and both versions. Against
/// `gnutls-serv --require-client-cert --verify-client-cert`, which shows
/// the subject it verified; without a certificate TLS 1.3 ends with
/// certificate_required. `gnutls-cli --x509certfile` against our server
/// requiring one from `client-ca`; without one our server refuses.
#[test]
fn client_certificates_both_directions() {
    let Some(()) = gnutls() else { return };
    let ca = data("client-ca.crt.pem");
    let ca = ca.to_str().unwrap();
    let require = ["--http", "--require-client-cert", "--verify-client-cert", "--x509cafile", ca];
    let mut done = Vec::new();
    for (priority, version, keys) in [
        ("NORMAL", ProtocolVersion::Tls13, ["p256", "rsa2048", "ed25519"]),
        ("NORMAL:-VERS-TLS1.3", ProtocolVersion::Tls12, ["p256", "rsa2048", "ed25519"]),
    ] {
        let (_server, port) = start_gnutls_serv("p256", &[&require[..], &["--priority", priority]].concat());
        for key in keys {
            let mut stream = connect(client_with_cert(version, Some(key)), port);
            assert!(stream.conn().sent_client_certificate(), "{version:?} {key}");
            let page = get_page(&mut stream);
            assert!(page.contains(&format!("Subject: CN=client-{key}")), "{version:?} {key}: {page}");
            done.push(format!("{version:?} client-{key}"));
        }
        if version == ProtocolVersion::Tls13 {
            let tcp = TcpStream::connect(("127.0.0.1", port)).unwrap();
            tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
            let conn = Connection::new_client(Arc::new(client_with_cert(version, None)), "localhost").unwrap();
            let mut stream = Stream::new(conn, tcp);
            // The handshake completes on our side before the server reads
            // the empty Certificate; its alert ends the first read. (No
            // request: bytes the server never reads would make its close
            // a reset, which can drop the alert.)
            let _ = stream.handshake();
            let mut sink = Vec::new();
            assert!(stream.read_to_end(&mut sink).is_err());
            let alert = Error::AlertReceived(AlertDescription::CERTIFICATE_REQUIRED);
            assert_eq!(stream.conn().error(), Some(&alert));
        }
    }

    let cases: [(&str, Option<&str>); 4] = [
        ("NORMAL:-VERS-ALL:+VERS-TLS1.3", Some("ed25519")),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.3", Some("rsa2048")),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.2", Some("p256")),
        ("NORMAL:-VERS-ALL:+VERS-TLS1.3", None),
    ];
    let (port, server) = client_auth_server(cases.len());
    let mut messages = Vec::new();
    for (priority, key) in cases {
        let files = key.map(|k| [data(&format!("client-{k}.crt.pem")), data(&format!("client-{k}.key.pem"))]);
        let extra = match &files {
            Some([cert, key]) => vec!["--x509certfile", cert.to_str().unwrap(), "--x509keyfile", key.to_str().unwrap()],
            None => Vec::new(),
        };
        let (out, log) = gnutls_cli_hello(port, "p256", priority, &extra);
        messages.push(out + &log);
    }
    let seen = server.join().unwrap();
    for (i, (_, key)) in cases.iter().enumerate().take(3) {
        let leaf = std::fs::read(data(&format!("client-{}.crt.der", key.unwrap()))).unwrap();
        assert_eq!(seen[i], Ok(vec![leaf]), "{}", messages[i]);
        done.push(format!("gnutls-cli {} client-{}", cases[i].0, key.unwrap()));
    }
    assert_eq!(seen[3], Err(Some(Error::CertificateRequired)), "{}", messages[3]);
    assert!(messages[3].contains("Certificate is required"), "{}", messages[3]);
    eprintln!("client certificates with GnuTLS OK: {done:#?}");
}

/// Bytes without NUL (gnutls-cli reads its standard input as C strings),
/// from a xorshift generator seeded with `seed`.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x % 255) as u8 + 1
        })
        .collect()
}

/// Our server (ECDSA P-256) for one connection: echoes everything until
/// the client closes; returns what it received.
fn echo_server() -> (u16, JoinHandle<Vec<u8>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let config = Arc::new(server_config("p256"));
    let handle = std::thread::spawn(move || {
        let (tcp, _) = listener.accept().unwrap();
        tcp.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut stream = Stream::new(Connection::new_server(config).unwrap(), tcp);
        let mut received = Vec::new();
        let mut buf = vec![0u8; 1 << 16];
        loop {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                break;
            }
            received.extend_from_slice(&buf[..n]);
            stream.write_all(&buf[..n]).unwrap();
        }
        stream.close().unwrap();
        received
    });
    (port, handle)
}

const LARGE: usize = 4 << 20;

/// The first offset where `a` and `b` differ (or the shorter length).
fn first_difference(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).position(|(x, y)| x != y).unwrap_or(a.len().min(b.len()))
}

/// 4 MiB each way through `gnutls-serv --echo` in 64 KiB steps, our
/// client sending a KeyUpdate (and asking for one) every MiB; and 4 MiB
/// from `gnutls-cli` through our echoing server. Checked byte for byte
/// on both ends.
#[test]
fn large_transfers_and_key_updates_both_directions() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = start_gnutls_serv("p256", &["--echo", "--crlf"]);
    let mut stream = connect(pinned("p256"), port);
    let sent = noise(LARGE, 0x676e_7574_6c73);
    let mut echoed = Vec::with_capacity(LARGE);
    let mut buf = vec![0u8; 1 << 16];
    for (i, chunk) in sent.chunks(1 << 16).enumerate() {
        if i % 16 == 15 {
            stream.conn_mut().refresh_traffic_keys().unwrap();
        }
        stream.write_all(chunk).unwrap();
        let target = echoed.len() + chunk.len();
        while echoed.len() < target {
            let n = stream.read(&mut buf).unwrap();
            assert_ne!(n, 0, "gnutls-serv closed after {} bytes", echoed.len());
            echoed.extend_from_slice(&buf[..n]);
        }
    }
    assert!(echoed == sent, "echo differs at byte {}", first_difference(&echoed, &sent));
    stream.close().unwrap();

    let (port, handle) = echo_server();
    let ca = data("p256.crt.pem");
    let sent = noise(LARGE, 0x7075_7265);
    let (out, messages) = gnutls_cli(port, &["--x509cafile", ca.to_str().unwrap()], sent.clone());
    let received = handle.join().unwrap();
    assert!(
        received == sent,
        "server got {} bytes, differing at {}",
        received.len(),
        first_difference(&received, &sent)
    );
    assert!(
        out == sent,
        "gnutls-cli got {} bytes back, differing at {}: {messages}",
        out.len(),
        first_difference(&out, &sent)
    );
}

/// `gnutls-cli --inline-commands` with `^rekey^` (a KeyUpdate asking our
/// server for one too) between two lines: both come back under the new
/// keys, twice over.
#[test]
fn gnutls_cli_key_update_against_our_server() {
    let Some(()) = gnutls() else { return };
    let (port, handle) = echo_server();
    let ca = data("p256.crt.pem");
    let input = b"before\n^rekey^\nbetween\n^rekey^\nafter\n".to_vec();
    let (out, messages) = gnutls_cli(port, &["--x509cafile", ca.to_str().unwrap(), "--inline-commands"], input);
    assert_eq!(handle.join().unwrap(), b"before\nbetween\nafter\n");
    assert_eq!(String::from_utf8_lossy(&out), "before\nbetween\nafter\n", "{messages}");
    assert_eq!(messages.matches("- Rekey was completed").count(), 2, "{messages}");
}

const CHACHA: &str = "TLS_CHACHA20_POLY1305_SHA256";

/// The CLIs: `purecrypto s_client` against `gnutls-serv --http` (TLS 1.3,
/// a group and suite chosen by us), and `gnutls-cli` against `purecrypto
/// s_server -www -alpn http/1.1`, which reports what it negotiated.
#[test]
fn s_client_and_s_server_cli_with_gnutls() {
    let Some(()) = gnutls() else { return };
    let (_server, port) = start_gnutls_serv("p384", &["--http"]);
    let pin = data("p384.crt.pem");
    let connect = format!("127.0.0.1:{port}");
    let args = format!("-connect {connect} -servername localhost -groups P-256 -ciphersuites {CHACHA} -brief -pin");
    let args: Vec<&str> = args.split(' ').chain([pin.to_str().unwrap()]).collect();
    let (code, out, err) = run_s_client_cli(&args);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("(TLS1.3-X.509)-(ECDHE-SECP256R1)-(ECDSA-SECP384R1-SHA384)-(CHACHA20-POLY1305)"), "{out}");
    assert!(err.contains(&format!("Ciphersuite: {CHACHA}")) && err.contains("Group: P-256"), "{err}");

    let server = Server::start(2, &["-www", "-alpn", "http/1.1"]);
    let ca = data("p256.crt.pem");
    let get = b"GET / HTTP/1.0\r\n\r\n";
    for (priority, version) in
        [("NORMAL:-VERS-ALL:+VERS-TLS1.3", "TLSv1.3"), ("NORMAL:-VERS-ALL:+VERS-TLS1.2", "TLSv1.2")]
    {
        let args = ["--x509cafile", ca.to_str().unwrap(), "--priority", priority, "--alpn", "http/1.1"];
        let (page, messages) = gnutls_cli(server.port, &args, get.to_vec());
        let page = String::from_utf8_lossy(&page);
        assert!(page.contains(&format!("Protocol  : {version}")), "{page} {messages}");
        assert!(page.contains("ALPN protocol: http/1.1") && page.contains("SNI       : localhost"), "{page}");
        assert!(messages.contains("- Application protocol: http/1.1"), "{messages}");
    }
    let log = server.finish();
    assert_eq!(log.matches("Protocol  :").count(), 2, "{log}");
}
