//! TLS 1.2 resumption with RFC 5077 tickets in memory: a full handshake
//! issues a ticket, the next connection resumes with the abbreviated
//! handshake (keys, exporter, peer chain as before) and gets a fresh
//! ticket; every reason to fall back to a full handshake (tampered,
//! foreign or expired ticket, suite no longer offered, other server
//! name, no ticketer) falls back cleanly and replaces the stale ticket;
//! TLS 1.2 and 1.3 never take each other's tickets. The same for
//! session-ID resumption from a server's [`ServerSessionCache`], and no
//! resumption of either kind of a session without client authentication
//! on a server that insists on it.

use alloc::sync::Arc;

use super::{client_config, exchange, pump, rng, server_config};
use crate::tls::*;

const T0: u64 = 1_893_456_000;

fn ticketer(seed: u64) -> Arc<Ticketer> {
    Arc::new(Ticketer::new(&mut *rng(seed)).unwrap().with_lifetime(3600).unwrap())
}

fn tls12_server_config(ticketer: Option<Arc<Ticketer>>) -> ServerConfig {
    let mut s = server_config("p256");
    s.max_version = ProtocolVersion::Tls12;
    s.ticketer = ticketer;
    s
}

fn server12(ticketer: Option<Arc<Ticketer>>) -> Arc<ServerConfig> {
    Arc::new(tls12_server_config(ticketer))
}

fn client(store: &Arc<InMemorySessionStore>, max: ProtocolVersion) -> Arc<ClientConfig> {
    let mut c = client_config();
    c.max_version = max;
    c.session_store = Some(store.clone());
    Arc::new(c)
}

fn run(cc: &Arc<ClientConfig>, sc: &Arc<ServerConfig>, name: &str, t: u64) -> (Connection, Connection) {
    let mut c = Connection::client_at(cc.clone(), name, rng(t), t).unwrap();
    let mut s = Connection::server(sc.clone(), rng(t + 1)).unwrap();
    s.set_now(t);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(c.is_resumed(), s.is_resumed());
    exchange(&mut c, &mut s, 3000);
    (c, s)
}

fn stored(store: &InMemorySessionStore) -> Option<Tls12Session> {
    store.tls12("localhost")
}

#[test]
fn a_ticket_resumes_with_the_abbreviated_handshake_and_is_renewed() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let (cc, sc) = (client(&store, ProtocolVersion::Tls13), server12(Some(ticketer(1))));
    let (c, _) = run(&cc, &sc, "localhost", T0);
    assert!(!c.is_resumed());
    let first = stored(&store).expect("a ticket from the full handshake");
    assert_eq!(first.lifetime_hint, 3600);
    let chain = c.peer_certificates().to_vec();
    assert!(!chain.is_empty());

    let (c, s) = run(&cc, &sc, "localhost", T0 + 10);
    assert!(c.is_resumed() && s.is_resumed());
    assert_eq!(c.protocol_version(), Some(ProtocolVersion::Tls12));
    assert_eq!(c.peer_certificates(), &chain[..]);
    let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
    c.export_keying_material(&mut a, b"EXPORTER-test", None).unwrap();
    s.export_keying_material(&mut b, b"EXPORTER-test", None).unwrap();
    assert_eq!(a, b);
    let renewed = stored(&store).unwrap();
    assert_ne!(renewed.ticket, first.ticket, "the server renews the ticket");
    assert_eq!(*renewed.master, *first.master, "the session (master secret) is the same");

    // The renewed ticket resumes too, and so does the old one (TLS 1.2
    // tickets are not single-use).
    assert!(run(&cc, &sc, "localhost", T0 + 20).0.is_resumed());
    store.insert_tls12("localhost", first);
    assert!(run(&cc, &sc, "localhost", T0 + 30).0.is_resumed());
}

#[test]
fn unusable_tickets_fall_back_to_a_full_handshake_and_are_replaced() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, ProtocolVersion::Tls12);
    let sc = server12(Some(ticketer(1)));
    run(&cc, &sc, "localhost", T0);
    let good = stored(&store).unwrap();

    let mut tampered = good.clone();
    tampered.ticket[20] ^= 1;
    store.insert_tls12("localhost", tampered.clone());
    assert!(!run(&cc, &sc, "localhost", T0 + 1).0.is_resumed());
    assert_ne!(stored(&store).unwrap().ticket, tampered.ticket);

    // Another server's ticketer cannot open ours.
    store.insert_tls12("localhost", good.clone());
    assert!(!run(&cc, &server12(Some(ticketer(2))), "localhost", T0 + 2).0.is_resumed());

    // Past the server's lifetime (the client's copy is still in date).
    store.insert_tls12("localhost", Tls12Session { received: T0 + 3000, ..good.clone() });
    assert!(!run(&cc, &sc, "localhost", T0 + 3700).0.is_resumed());

    // The ticket's server name must match.
    store.insert_tls12("other.example", good.clone());
    let (c, _) = run(&cc, &sc, "other.example", T0 + 4);
    assert!(!c.is_resumed());

    // A server without a ticketer ignores the ticket and promises none;
    // the stale ticket is forgotten.
    store.insert_tls12("localhost", good.clone());
    let (c, _) = run(&cc, &server12(None), "localhost", T0 + 5);
    assert!(!c.is_resumed());
    assert!(stored(&store).is_none());

    // A suite the client no longer offers is not resumed (the client
    // does not even offer the ticket).
    store.insert_tls12("localhost", good);
    let mut other = (*cc).clone();
    other.cipher_suites = alloc::vec![CipherSuite::TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256];
    let (c, _) = run(&Arc::new(other), &sc, "localhost", T0 + 6);
    assert!(!c.is_resumed());
}

#[test]
fn tls12_and_tls13_tickets_do_not_cross() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let t = ticketer(1);
    run(&client(&store, ProtocolVersion::Tls12), &server12(Some(t.clone())), "localhost", T0);
    let s12 = stored(&store).unwrap();

    // The same ticketer behind a TLS 1.3 server: the 1.2 ticket sent as
    // a PSK identity must not resume (the state names a 1.2 suite).
    let mut sc13 = server_config("p256");
    sc13.ticketer = Some(t.clone());
    let sc13 = Arc::new(sc13);
    let tls13_store = Arc::new(InMemorySessionStore::new(4));
    let cc13 = client(&tls13_store, ProtocolVersion::Tls13);
    run(&cc13, &sc13, "localhost", T0 + 1);
    let mut forged = tls13_store.take("localhost").unwrap();
    forged.ticket.clone_from(&s12.ticket);
    tls13_store.insert("localhost", forged);
    let mut c = Connection::client_at(cc13.clone(), "localhost", rng(5), T0 + 2).unwrap();
    let mut s = Connection::server(sc13, rng(6)).unwrap();
    s.set_now(T0 + 2);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(!c.is_resumed() && !s.is_resumed());

    // And a 1.3 ticket offered as a 1.2 session ticket: full handshake.
    let t13 = tls13_store.take("localhost").unwrap();
    store.insert_tls12("localhost", Tls12Session { ticket: t13.ticket, ..s12 });
    assert!(!run(&client(&store, ProtocolVersion::Tls12), &server12(Some(t)), "localhost", T0 + 3).0.is_resumed());
}

#[test]
fn a_resumed_handshake_with_a_bad_finished_fails_on_both_sides() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let (cc, sc) = (client(&store, ProtocolVersion::Tls12), server12(Some(ticketer(1))));
    run(&cc, &sc, "localhost", T0);
    let mut s = stored(&store).unwrap();
    s.master[0] ^= 1;
    store.insert_tls12("localhost", s);
    let mut c = Connection::client_at(cc, "localhost", rng(3), T0 + 1).unwrap();
    let mut srv = Connection::server(sc, rng(4)).unwrap();
    srv.set_now(T0 + 1);
    let (ce, _) = pump(&mut c, &mut srv);
    assert!(ce.is_some(), "a wrong master secret cannot check the server's Finished");
}

fn cached_server(ticketer: Option<Arc<Ticketer>>, cache: &Arc<InMemoryServerSessionCache>) -> Arc<ServerConfig> {
    let mut s = tls12_server_config(ticketer);
    s.session_cache = Some(cache.clone());
    Arc::new(s)
}

#[test]
fn a_cached_session_id_resumes_when_the_server_issues_no_ticket() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let cache = Arc::new(InMemoryServerSessionCache::new(8));
    let (cc, sc) = (client(&store, ProtocolVersion::Tls13), cached_server(None, &cache));
    let (c, _) = run(&cc, &sc, "localhost", T0);
    assert!(!c.is_resumed());
    let first = stored(&store).expect("a session ID from the full handshake");
    assert!(!first.has_ticket() && first.session_id.len() == 32);
    assert_eq!(cache.len(), 1);
    let chain = c.peer_certificates().to_vec();

    for t in [T0 + 10, T0 + 20] {
        let (c, s) = run(&cc, &sc, "localhost", t);
        assert!(c.is_resumed() && s.is_resumed(), "at {t}");
        assert_eq!(c.peer_certificates(), &chain[..]);
        let (mut a, mut b) = ([0u8; 32], [0u8; 32]);
        c.export_keying_material(&mut a, b"EXPORTER-test", None).unwrap();
        s.export_keying_material(&mut b, b"EXPORTER-test", None).unwrap();
        assert_eq!(a, b);
        // Resuming by ID changes nothing stored on either side.
        let now = stored(&store).unwrap();
        assert_eq!((now.session_id.as_slice(), now.received), (first.session_id.as_slice(), T0));
        assert_eq!(cache.len(), 1);
    }

    // A server that has a ticketer too: the client (asking for a ticket)
    // resumes by ID and receives a ticket, kept with the ID.
    let both = cached_server(Some(ticketer(1)), &cache);
    let (c, _) = run(&cc, &both, "localhost", T0 + 30);
    assert!(c.is_resumed());
    let renewed = stored(&store).unwrap();
    assert!(renewed.has_ticket());
    assert_eq!((renewed.session_id, *renewed.master), (first.session_id, *first.master));
    assert!(run(&cc, &both, "localhost", T0 + 40).0.is_resumed());
    // Full handshakes that issue a ticket are not cached.
    store.remove_tls12("localhost");
    run(&cc, &both, "localhost", T0 + 50);
    assert!(stored(&store).unwrap().has_ticket());
    assert_eq!(cache.len(), 1);
}

#[test]
fn unusable_session_ids_fall_back_to_a_full_handshake_and_are_replaced() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let cache = Arc::new(InMemoryServerSessionCache::new(8));
    let (cc, sc) = (client(&store, ProtocolVersion::Tls12), cached_server(None, &cache));
    run(&cc, &sc, "localhost", T0);
    let good = stored(&store).unwrap();

    // An ID the server never chose (another server's cache).
    let other = cached_server(None, &Arc::new(InMemoryServerSessionCache::new(8)));
    assert!(!run(&cc, &other, "localhost", T0 + 1).0.is_resumed());
    let replaced = stored(&store).unwrap();
    assert!(replaced.session_id != good.session_id && !replaced.session_id.is_empty());

    // Past the cached lifetime (a day without a ticketer), though the
    // client would still offer it.
    store.insert_tls12("localhost", Tls12Session { received: T0 + DEFAULT_TICKET_LIFETIME as u64, ..good.clone() });
    assert!(!run(&cc, &sc, "localhost", T0 + u64::from(DEFAULT_TICKET_LIFETIME)).0.is_resumed());

    // The cached server name must match.
    store.insert_tls12("other.example", good.clone());
    assert!(!run(&cc, &sc, "other.example", T0 + 2).0.is_resumed());

    // A server without a cache: full handshake, empty session ID, and
    // the stale session is forgotten.
    store.insert_tls12("localhost", good.clone());
    assert!(!run(&cc, &server12(None), "localhost", T0 + 3).0.is_resumed());
    assert!(stored(&store).is_none());

    // Evicted from a full cache.
    let small = Arc::new(InMemoryServerSessionCache::new(1));
    let sc1 = cached_server(None, &small);
    run(&cc, &sc1, "localhost", T0 + 4);
    let evicted = stored(&store).unwrap();
    run(&cc, &sc1, "other.example", T0 + 5);
    store.insert_tls12("localhost", evicted);
    assert!(!run(&cc, &sc1, "localhost", T0 + 6).0.is_resumed());
}

/// A server that insists on client certificates resumes only sessions
/// whose client authenticated (the resumed connection reports that
/// client's chain: `resumed_identity.rs`); one whose verifier is optional
/// resumes the others too.
#[test]
fn a_server_insisting_on_client_certificates_resumes_no_unauthenticated_session() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let cache = Arc::new(InMemoryServerSessionCache::new(8));
    let cc = client(&store, ProtocolVersion::Tls12);
    let with_verifier = |optional: bool| {
        let mut sc = tls12_server_config(Some(ticketer(1)));
        sc.session_cache = Some(cache.clone());
        let mut store = crate::x509::TrustStore::new();
        store.add_der(super::client_auth::CLIENT_CA).unwrap();
        let verifier = X509ClientVerifier::new(store);
        let verifier = if optional { verifier.allow_unauthenticated() } else { verifier };
        sc.client_verifier = Some(Arc::new(verifier));
        Arc::new(sc)
    };
    let (optional, mandatory) = (with_verifier(true), with_verifier(false));
    // Sessions from the same server without client authentication: by
    // ticket, then by session ID.
    let open = cached_server(Some(ticketer(1)), &cache);
    run(&cc, &open, "localhost", T0 + 1);
    assert!(stored(&store).unwrap().has_ticket());
    let mut c = Connection::client_at(cc.clone(), "localhost", rng(5), T0 + 2).unwrap();
    let mut s = Connection::server(mandatory.clone(), rng(6)).unwrap();
    s.set_now(T0 + 2);
    let (_, se) = pump(&mut c, &mut s);
    assert!(!s.is_resumed());
    assert_eq!(se, Some(Error::HandshakeFailure { what: "client certificate required" }));
    assert!(run(&cc, &optional, "localhost", T0 + 3).0.is_resumed());
    store.remove_tls12("localhost");
    run(&cc, &cached_server(None, &cache), "localhost", T0 + 4);
    assert!(!stored(&store).unwrap().has_ticket());
    let mut c = Connection::client_at(cc.clone(), "localhost", rng(7), T0 + 5).unwrap();
    let mut s = Connection::server(mandatory, rng(8)).unwrap();
    s.set_now(T0 + 5);
    let (_, se) = pump(&mut c, &mut s);
    assert!(!s.is_resumed() && se.is_some());
    assert!(run(&cc, &optional, "localhost", T0 + 6).0.is_resumed());
}

#[test]
fn a_client_without_tickets_resumes_by_session_id() {
    let store = Arc::new(InMemorySessionStore::new(4));
    let cache = Arc::new(InMemoryServerSessionCache::new(8));
    let mut cc = (*client(&store, ProtocolVersion::Tls12)).clone();
    cc.tls12_session_tickets = false;
    let cc = Arc::new(cc);
    // The server would issue tickets, but the client does not ask.
    let sc = cached_server(Some(ticketer(1)), &cache);
    run(&cc, &sc, "localhost", T0);
    let first = stored(&store).unwrap();
    assert!(!first.has_ticket() && !first.session_id.is_empty());
    assert_eq!(cache.len(), 1);
    assert!(run(&cc, &sc, "localhost", T0 + 1).0.is_resumed());
    assert!(!stored(&store).unwrap().has_ticket(), "still no ticket asked for");

    // A stored session with both: the ticket is not offered, the ID is.
    let ticketing = client(&store, ProtocolVersion::Tls12);
    store.remove_tls12("localhost");
    run(&ticketing, &sc, "localhost", T0 + 2);
    let with_ticket = stored(&store).unwrap();
    assert!(with_ticket.has_ticket() && with_ticket.session_id.is_empty());
    // Ticket only: nothing to offer without tickets, so a full handshake
    // that leaves an ID session.
    assert!(!run(&cc, &sc, "localhost", T0 + 3).0.is_resumed());
    let id_session = stored(&store).unwrap();
    assert!(!id_session.has_ticket());
    store.insert_tls12("localhost", Tls12Session { ticket: with_ticket.ticket, ..id_session });
    assert!(run(&cc, &sc, "localhost", T0 + 4).0.is_resumed());
}
