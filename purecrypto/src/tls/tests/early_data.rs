//! TLS 1.3 0-RTT in memory: early data accepted and delivered apart from
//! 1-RTT data; every reason to refuse it (0-RTT off, another ALPN
//! protocol, a replayed ClientHello, a ticket age out of the window, a
//! HelloRetryRequest), each followed by a working 1-RTT connection; too
//! much early data is `unexpected_message`, and so is any handshake
//! message in place of EndOfEarlyData; corrupted early records give
//! typed errors.

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::{client_config, exchange, pump, rng, server_config};
use crate::tls::*;

const T0: u64 = 1_893_456_000;
const REQUEST: &[u8] = b"GET /early HTTP/1.1\r\n\r\n";

fn ticketer() -> Arc<Ticketer> {
    Arc::new(Ticketer::new(&mut *rng(77)).unwrap().with_lifetime(3600).unwrap())
}

/// A server sealing with `ticketer`, taking up to `max` bytes of 0-RTT
/// (0: off) with a fresh anti-replay store.
fn server(ticketer: &Arc<Ticketer>, max: u32, alpn: &[&[u8]]) -> Arc<ServerConfig> {
    let mut s = server_config("p256");
    s.ticketer = Some(ticketer.clone());
    s.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    if max != 0 {
        s = s.with_early_data(max, Arc::new(InMemoryAntiReplay::new(16)));
    }
    Arc::new(s)
}

fn client(store: &Arc<InMemorySessionStore>, alpn: &[&[u8]]) -> Arc<ClientConfig> {
    let mut c = client_config();
    c.session_store = Some(store.clone());
    c.enable_early_data = true;
    c.alpn_protocols = alpn.iter().map(|p| p.to_vec()).collect();
    Arc::new(c)
}

/// A handshake at T0 leaving a fresh ticket first in the client's store.
fn get_ticket(cc: &Arc<ClientConfig>, sc: &Arc<ServerConfig>) {
    let mut c = Connection::client_at(cc.clone(), "localhost", rng(1), T0).unwrap();
    let mut s = Connection::server(sc.clone(), rng(2)).unwrap();
    s.set_now(T0);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert_eq!(c.tickets_received(), 1);
}

struct Run {
    c: Connection,
    s: Connection,
    written: usize,
    errors: (Option<Error>, Option<Error>),
}

/// A client at `tc` writing `early` as 0-RTT, against a server at `ts`.
fn zero_rtt(cc: &Arc<ClientConfig>, sc: &Arc<ServerConfig>, early: &[u8], tc: u64, ts: u64) -> Run {
    let mut c = Connection::client_at(cc.clone(), "localhost", rng(tc), tc).unwrap();
    let written = c.write_early_data(early).unwrap();
    let mut s = Connection::server(sc.clone(), rng(ts + 1)).unwrap();
    s.set_now(ts);
    let errors = pump(&mut c, &mut s);
    Run { c, s, written, errors }
}

fn events(conn: &mut Connection) -> Vec<Event> {
    core::iter::from_fn(|| conn.poll_event()).collect()
}

/// Refused 0-RTT: nothing reached the server's application, the client
/// was told, and the connection works as 1-RTT.
fn assert_refused(mut r: Run) -> Run {
    assert_eq!(r.errors, (None, None));
    assert!(!r.c.early_data_accepted() && !r.s.early_data_accepted());
    assert_eq!(r.s.early_data_len(), 0);
    assert!(events(&mut r.c).contains(&Event::EarlyDataRejected));
    assert!(!events(&mut r.s).contains(&Event::EarlyData));
    exchange(&mut r.c, &mut r.s, 100);
    r
}

#[test]
fn early_data_is_accepted_and_kept_apart_from_one_rtt_data() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let (cc, sc) = (client(&store, &[]), server(&t, 1000, &[]));
    get_ticket(&cc, &sc);
    let mut r = zero_rtt(&cc, &sc, REQUEST, T0 + 5, T0 + 5);
    assert_eq!(r.errors, (None, None));
    assert_eq!(r.written, REQUEST.len());
    assert!(r.c.is_resumed() && r.c.early_data_accepted() && r.s.early_data_accepted());
    assert_eq!(r.c.early_data_room(), None, "too late for more");
    assert!(events(&mut r.s).contains(&Event::EarlyData));
    assert_eq!(r.s.plaintext_len(), 0, "early data is not 1-RTT data");
    let mut got = [0u8; 64];
    assert_eq!(r.s.read_early_data(&mut got), REQUEST.len());
    assert_eq!(&got[..REQUEST.len()], REQUEST);
    assert!(!events(&mut r.c).contains(&Event::EarlyDataRejected));
    exchange(&mut r.c, &mut r.s, 300);
    // The new ticket allows 0-RTT again.
    let mut r = zero_rtt(&cc, &sc, b"again", T0 + 6, T0 + 6);
    assert!(r.s.early_data_accepted());
    assert_eq!(r.s.read_early_data(&mut got), 5);
}

#[test]
fn early_data_is_cut_to_the_ticket_limit() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let (cc, sc) = (client(&store, &[]), server(&t, 8, &[]));
    get_ticket(&cc, &sc);
    let mut c = Connection::client_at(cc, "localhost", rng(3), T0 + 1).unwrap();
    assert_eq!(c.early_data_room(), Some(8));
    assert_eq!(c.write_early_data(b"0123456789").unwrap(), 8);
    assert_eq!(c.early_data_room(), Some(0));
    assert_eq!(c.write_early_data(b"x").unwrap(), 0);
    let mut s = Connection::server(sc, rng(4)).unwrap();
    s.set_now(T0 + 1);
    assert_eq!(pump(&mut c, &mut s), (None, None));
    let mut got = [0u8; 16];
    assert_eq!(s.read_early_data(&mut got), 8);
    assert_eq!(&got[..8], b"01234567");
    // Without a ticket (or without opting in) there is no early data.
    let plain = Arc::new(client_config());
    let mut c = Connection::client(plain, "localhost", rng(5)).unwrap();
    assert_eq!(c.early_data_room(), None);
    assert!(matches!(c.write_early_data(b"x"), Err(Error::Config { .. })));
}

#[test]
fn a_server_with_0rtt_off_skips_the_early_data() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    get_ticket(&cc, &server(&t, 1000, &[]));
    // Same ticket key, 0-RTT since turned off: resumes, refuses 0-RTT.
    let r = assert_refused(zero_rtt(&cc, &server(&t, 0, &[]), REQUEST, T0 + 5, T0 + 5));
    assert!(r.c.is_resumed() && r.s.is_resumed());
    assert_eq!(r.written, REQUEST.len());
}

#[test]
fn early_data_needs_the_tickets_alpn_protocol() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    get_ticket(&client(&store, &[b"h2"]), &server(&t, 1000, &[b"h2"]));
    // The client still offers h2, but the server now prefers http/1.1.
    let cc = client(&store, &[b"http/1.1", b"h2"]);
    let r = assert_refused(zero_rtt(&cc, &server(&t, 1000, &[b"http/1.1", b"h2"]), REQUEST, T0 + 5, T0 + 5));
    assert_eq!(r.s.alpn_protocol(), Some(&b"http/1.1"[..]));
    // A client that no longer offers the ticket's protocol does not try.
    get_ticket(&client(&store, &[b"h2"]), &server(&t, 1000, &[b"h2"]));
    let c = Connection::client_at(client(&store, &[b"http/1.1"]), "localhost", rng(7), T0 + 5).unwrap();
    assert_eq!(c.early_data_room(), None);
}

#[test]
fn a_replayed_client_hello_gets_no_second_0rtt() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    let sc = server(&t, 1000, &[]);
    get_ticket(&cc, &sc);
    let mut c = Connection::client_at(cc, "localhost", rng(9), T0 + 5).unwrap();
    c.write_early_data(REQUEST).unwrap();
    let mut flight = Vec::new();
    c.write_tls(&mut flight);
    let replay_to = |sc: &Arc<ServerConfig>| {
        let mut s = Connection::server(sc.clone(), rng(10)).unwrap();
        s.set_now(T0 + 6);
        s.read_tls(&flight).unwrap();
        (s.early_data_accepted(), s.early_data_len())
    };
    assert_eq!(replay_to(&sc), (true, REQUEST.len()), "the original");
    // The attacker replays the same flight: the anti-replay store has
    // seen it, the early data is skipped, nothing reaches the application.
    assert_eq!(replay_to(&sc), (false, 0), "the replay");
    // A server without that memory would take it again (what the store
    // is for): a fresh store, same tickets.
    assert_eq!(replay_to(&server(&t, 1000, &[])), (true, REQUEST.len()));
}

#[test]
fn a_full_anti_replay_store_refuses_0rtt() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    let mut sc = server_config("p256");
    sc.ticketer = Some(t);
    let sc = Arc::new(sc.with_early_data(1000, Arc::new(InMemoryAntiReplay::new(1))));
    get_ticket(&cc, &sc);
    assert!(zero_rtt(&cc, &sc, REQUEST, T0 + 5, T0 + 5).s.early_data_accepted());
    // One live entry fills it: the next fresh ClientHello is refused.
    assert_refused(zero_rtt(&cc, &sc, REQUEST, T0 + 6, T0 + 6));
    // Once the entry expired, 0-RTT works again.
    let later = T0 + 6 + ANTI_REPLAY_RETENTION_SECS;
    assert!(zero_rtt(&cc, &sc, REQUEST, later, later).s.early_data_accepted());
}

#[test]
fn a_ticket_age_out_of_the_window_gets_no_0rtt() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let (cc, sc) = (client(&store, &[]), server(&t, 1000, &[]));
    get_ticket(&cc, &sc);
    // The client thinks the ticket is 5 s old, the server 40 s: a
    // ClientHello held back (or replayed) for half a minute.
    let r = assert_refused(zero_rtt(&cc, &sc, REQUEST, T0 + 5, T0 + 40));
    assert!(!r.s.is_resumed());
    // Within the window it is fine.
    get_ticket(&cc, &sc);
    assert!(zero_rtt(&cc, &sc, REQUEST, T0 + 5, T0 + 12).s.early_data_accepted());
}

#[test]
fn too_much_early_data_is_unexpected_message() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    get_ticket(&cc, &server(&t, 1000, &[]));
    // The ticket allows 1000 bytes; this server now takes 16.
    let r = zero_rtt(&cc, &server(&t, 16, &[]), &[7; 100], T0 + 5, T0 + 5);
    assert_eq!(r.written, 100);
    assert!(matches!(r.errors.1, Some(Error::UnexpectedMessage { .. })), "{:?}", r.errors);
    assert_eq!(r.errors.1.unwrap().alert(), Some(AlertDescription::UNEXPECTED_MESSAGE));
    // Refused early data past the skip budget is refused too.
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    get_ticket(&cc, &server(&t, 1 << 20, &[]));
    let mut c = Connection::client_at(cc, "localhost", rng(11), T0 + 5).unwrap();
    for _ in 0..3 {
        assert_eq!(c.write_early_data(&[1; 10_000]).unwrap(), 10_000);
    }
    let mut s = Connection::server(server(&t, 0, &[]), rng(12)).unwrap();
    s.set_now(T0 + 5);
    let (_, se) = pump(&mut c, &mut s);
    assert!(matches!(se, Some(Error::UnexpectedMessage { .. })), "{se:?}");
}

#[test]
fn no_early_data_after_a_hello_retry_request() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(4));
    let cc = client(&store, &[]);
    get_ticket(&cc, &server(&t, 1000, &[]));
    // The client shares X25519MLKEM768 and X25519; this server wants P-384.
    let mut sc = server_config("p256");
    sc.ticketer = Some(t);
    sc.groups = alloc::vec![NamedGroup::SECP384R1];
    let sc = Arc::new(sc.with_early_data(1000, Arc::new(InMemoryAntiReplay::new(16))));
    // A second ClientHello still offering early_data would be
    // illegal_parameter; the early records before it are skipped.
    let r = assert_refused(zero_rtt(&cc, &sc, REQUEST, T0 + 5, T0 + 5));
    assert!(r.c.had_hello_retry() && r.s.is_resumed());
}

#[test]
fn corrupted_early_records_give_typed_errors() {
    let t = ticketer();
    let store = Arc::new(InMemorySessionStore::new(64));
    let cc = client(&store, &[]);
    let sc = server(&t, 1000, &[]);
    get_ticket(&cc, &sc);
    let mut c = Connection::client_at(cc, "localhost", rng(13), T0 + 5).unwrap();
    let mut flight = Vec::new();
    c.write_tls(&mut flight);
    let hello_len = flight.len();
    c.write_early_data(REQUEST).unwrap();
    c.write_tls(&mut flight);
    for i in hello_len..flight.len() {
        let mut bad = flight.clone();
        bad[i] ^= 0x21;
        // Each try needs a store that has not seen the ClientHello.
        let mut s = Connection::server(server(&t, 1000, &[]), rng(14)).unwrap();
        s.set_now(T0 + 5);
        match s.read_tls(&bad) {
            Ok(_) => assert!(s.early_data_len() <= REQUEST.len(), "byte {i}"),
            Err(e) => assert!(e.alert().is_some(), "byte {i}: {e:?}"),
        }
    }
    // EndOfEarlyData with a body, under the early keys, is a decode error.
    let mut s = Connection::server(server(&t, 1000, &[]), rng(15)).unwrap();
    s.set_now(T0 + 5);
    s.read_tls(&flight).unwrap();
    assert!(s.early_data_accepted() && s.early_data_len() == REQUEST.len());
    c.send_handshake_for_test(&[5, 0, 0, 1, 0]).unwrap();
    let mut eoed = Vec::new();
    c.write_tls(&mut eoed);
    assert!(matches!(s.read_tls(&eoed), Err(Error::Decode { what: "EndOfEarlyData" })));
}

#[test]
fn the_fuzz_target_reaches_the_early_data_state_and_survives_junk() {
    // The target asserts its setup reached 0-RTT; the inputs cover both
    // modes: raw records (forged early data, a plaintext handshake
    // record, an alert, junk) and too much real early data.
    let forged = [0u8, 23, 3, 3, 0, 20, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
    let handshake = [2u8, 22, 3, 3, 0, 5, 5, 0, 0, 1, 0];
    let alert = [4u8, 21, 3, 3, 0, 2, 2, 40];
    let mut big = alloc::vec![1u8; 3000];
    big[0] = 0xff;
    for data in [&[][..], &forged, &handshake, &alert, &[0, 0xff, 0xff], &[1, b'x'], &big] {
        crate::tls::fuzz::fuzz_tls_early_data(data);
    }
}

/// With 0-RTT accepted the server waits for EndOfEarlyData under the
/// early keys; any other handshake message there is `unexpected_message`
/// (the alert follows the server's flight, under its application keys).
#[test]
fn every_other_handshake_type_before_end_of_early_data_is_unexpected_message() {
    let t = ticketer();
    for typ in super::negative::TYPES.into_iter().filter(|t| *t != 5) {
        let store = Arc::new(InMemorySessionStore::new(4));
        let cc = client(&store, &[]);
        get_ticket(&cc, &server(&t, 1000, &[]));
        let mut c = Connection::client_at(cc, "localhost", rng(16), T0 + 5).unwrap();
        c.write_early_data(REQUEST).unwrap();
        let mut s = Connection::server(server(&t, 1000, &[]), rng(17)).unwrap();
        s.set_now(T0 + 5);
        let mut flight = Vec::new();
        c.write_tls(&mut flight);
        s.read_tls(&flight).unwrap();
        assert!(s.early_data_accepted(), "{typ}");
        let message = crate::tls::msgs::frame(HandshakeType::from_u8(typ).unwrap(), |o| o.extend_from_slice(&[0; 8]));
        c.send_handshake_for_test(&message).unwrap();
        let mut record = Vec::new();
        c.write_tls(&mut record);
        let err = Error::UnexpectedMessage { what: "handshake message out of order (server)" };
        assert_eq!(s.read_tls(&record), Err(err), "{typ}");
        let mut out = Vec::new();
        s.write_tls(&mut out);
        assert_eq!(c.read_tls(&out), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{typ}");
    }
}
