//! TLS 1.3 resumption in memory: tickets issued, stored, offered and
//! accepted (with and without a HelloRetryRequest); every reason to fall
//! back to a full handshake (expired, implausible age, other suite hash,
//! other server name, no ticketer); a wrong binder is `decrypt_error`.

use alloc::sync::Arc;
use alloc::vec::Vec;
use std::sync::Mutex;

use super::{client_config, exchange, pump, rng, server_config};
use crate::tls::*;

const T0: u64 = 1_893_456_000;

fn ticketing_server() -> ServerConfig {
    let mut s = server_config("p256");
    s.ticketer = Some(Arc::new(Ticketer::new(&mut *rng(77)).unwrap().with_lifetime(3600).unwrap()));
    s
}

fn resuming_client(store: Arc<dyn ClientSessionStore>) -> ClientConfig {
    let mut c = client_config();
    c.session_store = Some(store);
    c
}

/// Connects at client time `tc` and server time `ts`; returns both
/// sides and their errors.
fn run_at(
    cc: &Arc<ClientConfig>,
    sc: &Arc<ServerConfig>,
    name: &str,
    tc: u64,
    ts: u64,
) -> (Connection, Connection, Option<Error>, Option<Error>) {
    let mut c = Connection::client_at(cc.clone(), name, rng(tc), tc).unwrap();
    let mut s = Connection::server(sc.clone(), rng(ts + 1)).unwrap();
    s.set_now(ts);
    let (ce, se) = pump(&mut c, &mut s);
    (c, s, ce, se)
}

fn ok_at(cc: &Arc<ClientConfig>, sc: &Arc<ServerConfig>, tc: u64, ts: u64) -> (Connection, Connection) {
    let (c, s, ce, se) = run_at(cc, sc, "localhost", tc, ts);
    assert_eq!((ce, se), (None, None));
    assert_eq!(c.is_resumed(), s.is_resumed());
    (c, s)
}

#[test]
fn tickets_resume_in_both_hashes_and_chain_on() {
    for suite in [CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::TLS_AES_256_GCM_SHA384] {
        let store = Arc::new(InMemorySessionStore::new(8));
        let mut cc = resuming_client(store.clone());
        cc.cipher_suites = alloc::vec![suite];
        let (cc, sc) = (Arc::new(cc), Arc::new(ticketing_server()));
        let (c, s) = ok_at(&cc, &sc, T0, T0);
        assert!(!c.is_resumed() && !s.is_resumed());
        assert_eq!(c.tickets_received(), 1);
        assert_eq!(store.len_for("localhost"), 1);
        let chain = c.peer_certificates().to_vec();
        assert!(!chain.is_empty());
        // Resumed: no Certificate message, yet the chain verified when
        // the ticket was issued is reported; data flows, and a fresh
        // ticket (carrying the chain on) replaces the one used.
        let (mut c, mut s) = ok_at(&cc, &sc, T0 + 5, T0 + 5);
        assert!(c.is_resumed(), "{suite:?}");
        assert_eq!(c.peer_certificates(), &chain[..]);
        assert_eq!(c.cipher_suite(), Some(suite));
        exchange(&mut c, &mut s, 300);
        assert_eq!(store.len_for("localhost"), 1);
        let (c, _) = ok_at(&cc, &sc, T0 + 10, T0 + 10);
        assert!(c.is_resumed());
        assert_eq!(c.peer_certificates(), &chain[..]);
        // The exporter differs between resumed connections.
        let mut a = [0u8; 16];
        c.export_keying_material(&mut a, b"label", None).unwrap();
        let (c2, _) = ok_at(&cc, &sc, T0 + 11, T0 + 11);
        let mut b = [0u8; 16];
        c2.export_keying_material(&mut b, b"label", None).unwrap();
        assert_ne!(a, b);
    }
}

#[test]
fn resumption_survives_a_hello_retry_request() {
    let store = Arc::new(InMemorySessionStore::new(8));
    let mut cc = resuming_client(store.clone());
    cc.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP256R1];
    cc.initial_key_shares = 1;
    let mut sc = ticketing_server();
    sc.groups = alloc::vec![NamedGroup::SECP256R1];
    let (cc, sc) = (Arc::new(cc), Arc::new(sc));
    ok_at(&cc, &sc, T0, T0);
    let (c, s) = ok_at(&cc, &sc, T0 + 1, T0 + 1);
    assert!(c.had_hello_retry() && s.had_hello_retry());
    assert!(c.is_resumed());
}

/// Hands out one given session for any name (to offer a ticket where
/// the in-memory store would not).
struct Fixed(Mutex<Option<Tls13Session>>);

impl ClientSessionStore for Fixed {
    fn insert(&self, _: &str, _: Tls13Session) {}
    fn take(&self, _: &str) -> Option<Tls13Session> {
        self.0.lock().unwrap().take()
    }
}

fn one_ticket(sc: &Arc<ServerConfig>, suites: Vec<CipherSuite>) -> Tls13Session {
    let store = Arc::new(InMemorySessionStore::new(8));
    let mut cc = resuming_client(store.clone());
    cc.cipher_suites = suites;
    ok_at(&Arc::new(cc), sc, T0, T0);
    store.take("localhost").unwrap()
}

fn offer(session: Tls13Session, suites: Vec<CipherSuite>) -> Arc<ClientConfig> {
    let mut cc = resuming_client(Arc::new(Fixed(Mutex::new(Some(session)))));
    cc.cipher_suites = suites;
    Arc::new(cc)
}

#[test]
fn a_wrong_binder_is_decrypt_error() {
    let sc = Arc::new(ticketing_server());
    let mut session = one_ticket(&sc, CipherSuite::SUPPORTED.to_vec());
    session.psk[0] ^= 1;
    let (_, _, ce, se) = run_at(&offer(session, CipherSuite::SUPPORTED.to_vec()), &sc, "localhost", T0 + 1, T0 + 1);
    assert_eq!(se, Some(Error::DecryptError { what: "PSK binder" }));
    assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::DECRYPT_ERROR)));
}

/// What, the ticket, the suites offered, the server name, client and
/// server time after T0.
type Case = (&'static str, Tls13Session, Vec<CipherSuite>, &'static str, u64, u64);

#[test]
fn unusable_tickets_fall_back_to_a_full_handshake() {
    let sc = Arc::new(ticketing_server());
    let all = CipherSuite::SUPPORTED.to_vec();
    let sha256 = alloc::vec![CipherSuite::TLS_AES_128_GCM_SHA256, CipherSuite::TLS_CHACHA20_POLY1305_SHA256];
    let cases: [Case; 6] = [
        ("control", one_ticket(&sc, all.clone()), all.clone(), "localhost", 2, 2),
        ("expired", one_ticket(&sc, all.clone()), all.clone(), "localhost", 3601, 3601),
        ("age off by a minute", one_ticket(&sc, all.clone()), all.clone(), "localhost", 2, 62),
        ("other server name", one_ticket(&sc, all.clone()), all.clone(), "other.test", 2, 2),
        // The ticket is SHA-256; the SHA-384 server below picks
        // AES-256-GCM-SHA384.
        ("other suite hash", one_ticket(&sc, sha256), all.clone(), "localhost", 2, 2),
        (
            "corrupt ticket",
            {
                let mut t = one_ticket(&sc, all.clone());
                t.ticket[30] ^= 1;
                t
            },
            all,
            "localhost",
            2,
            2,
        ),
    ];
    // Same ticketer, SHA-384 suite first.
    let mut sha384 = server_config("p256");
    sha384.ticketer.clone_from(&sc.ticketer);
    sha384.cipher_suites = alloc::vec![CipherSuite::TLS_AES_256_GCM_SHA384, CipherSuite::TLS_AES_128_GCM_SHA256];
    let sha384 = Arc::new(sha384);
    for (what, session, suites, name, dc, ds) in cases {
        let server = if what == "other suite hash" { &sha384 } else { &sc };
        let (c, s, ce, se) = run_at(&offer(session, suites), server, name, T0 + dc, T0 + ds);
        assert_eq!((ce, se), (None, None), "{what}");
        assert_eq!(c.is_resumed(), what == "control", "{what}");
        assert_eq!(s.is_resumed(), what == "control", "{what}");
    }
    // A server without a ticketer sends no tickets and ignores offers.
    let store = Arc::new(InMemorySessionStore::new(8));
    let cc = Arc::new(resuming_client(store.clone()));
    let plain = Arc::new(server_config("p256"));
    let (c, _) = ok_at(&cc, &plain, T0, T0);
    assert_eq!((c.tickets_received(), store.len_for("localhost")), (0, 0));
    let session = one_ticket(&sc, CipherSuite::SUPPORTED.to_vec());
    let (c, _) = ok_at(&offer(session, CipherSuite::SUPPORTED.to_vec()), &plain, T0 + 1, T0 + 1);
    assert!(!c.is_resumed());
}

#[test]
fn new_session_ticket_codec_round_trips() {
    let nst = msgs::NewSessionTicket {
        lifetime: 7200,
        age_add: 9,
        nonce: alloc::vec![0],
        ticket: alloc::vec![1; 60],
        max_early_data: None,
    };
    let mut out = Vec::new();
    nst.encode(&mut out);
    assert_eq!(msgs::NewSessionTicket::decode(&out).unwrap(), nst);
}
