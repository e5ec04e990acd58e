//! The TLS 1.2 half of the negative audit (issue #9): every other
//! handshake type in each client and server state, HelloRequest ignored
//! while handshaking, a renegotiation flood bounded, the server's flight
//! coalesced into one record, a Finished of the wrong length, ALPN the
//! client never offered, ChangeCipherSpec misuse and KeyUpdate (a TLS
//! 1.3 message) after the handshake. Each ends with a typed error and
//! the exact alert (RFC 5246 section 7.2) as the peer receives it.

use alloc::vec::Vec;

use super::{client12, messages, records, server12};
use crate::tls::conn::MAX_CONTROL_RUN;
use crate::tls::tests::negative::{TYPES, client_of, edit_first, fix_len, relay, server_of, swap_type};
use crate::tls::tests::{connect, exchange, pump};
use crate::tls::*;

#[test]
fn every_other_handshake_type_in_each_tls12_client_state_is_unexpected_message() {
    // The server's ServerHello, Certificate, ServerKeyExchange,
    // ServerHelloDone and Finished, with the types each state may also
    // take. HelloRequest is left out: it is ignored while handshaking
    // (tested below).
    let states: [(u8, &[u8]); 5] = [(2, &[2]), (11, &[11]), (12, &[12]), (14, &[13, 14]), (20, &[4, 20])];
    for (from, allowed) in states {
        for to in TYPES.into_iter().filter(|t| *t != 0 && !allowed.contains(t)) {
            let [ce, se] = swap_type(client12(), server12("p256"), true, from, to);
            assert!(matches!(ce, Some(Error::UnexpectedMessage { .. })), "{from} -> {to}: {ce:?}");
            assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{from} -> {to}");
        }
    }
}

#[test]
fn every_other_handshake_type_in_each_tls12_server_state_is_unexpected_message() {
    // The client's ClientKeyExchange and Finished.
    let err = Error::UnexpectedMessage { what: "handshake message out of order (TLS 1.2 server)" };
    for (from, allowed) in [(16u8, [16u8]), (20, [20])] {
        for to in TYPES.into_iter().filter(|t| !allowed.contains(t)) {
            let [ce, se] = swap_type(client12(), server12("p256"), false, from, to);
            assert_eq!(se.as_ref(), Some(&err), "{from} -> {to}");
            assert_eq!(ce, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)), "{from} -> {to}");
        }
    }
}

#[test]
fn hello_request_while_handshaking_is_ignored_unless_malformed() {
    // RFC 5246 section 7.4.1.1: an empty HelloRequest before the
    // ServerHelloDone is ignored and the handshake completes.
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    s.tamper_handshake_for_test(edit_first(14, |shd| {
        let mut m = alloc::vec![0, 0, 0, 0];
        m.extend_from_slice(&shd);
        m
    }));
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(!c.is_handshaking());
    // With a body it is a decode error.
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    s.tamper_handshake_for_test(edit_first(14, |shd| {
        let mut m = alloc::vec![0, 0, 0, 1, 0];
        m.extend_from_slice(&shd);
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert!(matches!(ce, Some(Error::Decode { .. })), "{ce:?}");
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::DECODE_ERROR)));
}

#[test]
fn the_server_flight_coalesced_into_one_record_is_accepted() {
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    relay(&mut c, &mut s).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let all: Vec<u8> = messages(&flight).concat();
    assert!(all.len() <= 1 << 14);
    c.read_tls(&records(&[all])).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    assert!(!c.is_handshaking() && !s.is_handshaking());
    exchange(&mut c, &mut s, 10);
}

#[test]
fn a_tls12_finished_of_the_wrong_length_is_decode_error() {
    for client_tampers in [true, false] {
        for grow in [false, true] {
            let mut c = client_of(client12());
            let mut s = server_of(server12("p256"));
            let hook = edit_first(20, move |mut m| {
                if grow {
                    m.push(0);
                } else {
                    m.pop();
                }
                fix_len(&mut m);
                m
            });
            if client_tampers {
                c.tamper_handshake_for_test(hook);
            } else {
                s.tamper_handshake_for_test(hook);
            }
            let (ce, se) = pump(&mut c, &mut s);
            let (failed, peer) = if client_tampers { (se, ce) } else { (ce, se) };
            assert_eq!(failed, Some(Error::Decode { what: "Finished length" }), "client {client_tampers} grow {grow}");
            assert_eq!(peer, Some(Error::AlertReceived(AlertDescription::DECODE_ERROR)));
        }
    }
}

#[test]
fn alpn_the_client_never_offered_is_unsupported_extension() {
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    s.tamper_handshake_for_test(edit_first(2, |m| {
        let mut sh = msgs::ServerHello::decode(msgs::body(&m)).unwrap();
        sh.tls12.alpn = Some(b"h2".to_vec());
        msgs::frame(msgs::HandshakeType::ServerHello, |o| sh.encode(o))
    }));
    let (ce, se) = pump(&mut c, &mut s);
    assert_eq!(ce, Some(Error::UnsupportedExtension { what: "ALPN not offered" }));
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNSUPPORTED_EXTENSION)));
}

#[test]
fn a_renegotiation_flood_is_bounded_on_both_sides() {
    let run = usize::try_from(MAX_CONTROL_RUN).unwrap();
    let err = Error::UnexpectedMessage { what: "too many control messages without application data" };
    // HelloRequests from the server: each refused with a warning, up to
    // the bound; application data resets the count.
    let (mut c, mut s) = connect(client12(), server12("p256"));
    for round in 0..2 {
        for _ in 0..run {
            s.send_handshake_for_test(&[0, 0, 0, 0]).unwrap();
        }
        relay(&mut s, &mut c).unwrap();
        relay(&mut c, &mut s).unwrap();
        let warnings = core::iter::from_fn(|| s.poll_event())
            .filter(|e| *e == Event::AlertReceived(AlertDescription::NO_RENEGOTIATION))
            .count();
        assert_eq!(warnings, run, "round {round}");
        exchange(&mut c, &mut s, 10);
    }
    for _ in 0..=run {
        s.send_handshake_for_test(&[0, 0, 0, 0]).unwrap();
    }
    assert_eq!(relay(&mut s, &mut c), Err(err.clone()));
    assert_eq!(relay(&mut c, &mut s), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));

    // ClientHellos from the client.
    let (mut c, mut s) = connect(client12(), server12("p256"));
    let mut fresh = client_of(client12());
    let mut out = Vec::new();
    fresh.write_tls(&mut out);
    let hello = messages(&out).remove(0);
    for _ in 0..=run {
        c.send_handshake_for_test(&hello).unwrap();
    }
    assert_eq!(relay(&mut c, &mut s), Err(err));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
}

#[test]
fn change_cipher_spec_misuse_and_key_update_in_tls12() {
    // A second ChangeCipherSpec (no keys are pending any more).
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    relay(&mut c, &mut s).unwrap();
    relay(&mut s, &mut c).unwrap();
    let mut flight = Vec::new();
    c.write_tls(&mut flight);
    flight.extend_from_slice(&[20, 3, 3, 0, 1, 1]);
    assert_eq!(s.read_tls(&flight), Err(Error::UnexpectedMessage { what: "change_cipher_spec" }));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
    // A ChangeCipherSpec with a wrong payload.
    let mut c = client_of(client12());
    let mut s = server_of(server12("p256"));
    relay(&mut c, &mut s).unwrap();
    assert_eq!(s.read_tls(&[20, 3, 3, 0, 1, 2]), Err(Error::UnexpectedMessage { what: "change_cipher_spec" }));
    // KeyUpdate does not exist in TLS 1.2.
    let (mut c, mut s) = connect(client12(), server12("p256"));
    c.send_handshake_for_test(&[24, 0, 0, 1, 0]).unwrap();
    let err = Error::UnexpectedMessage { what: "handshake message after the TLS 1.2 handshake" };
    assert_eq!(relay(&mut c, &mut s), Err(err));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
    // A warning other than no_renegotiation or user_canceled is fatal
    // here (unrecognized_name, which some servers send, included).
    let (mut c, mut s) = connect(client12(), server12("p256"));
    s.send_record_for_test(crate::tls::record::ContentType::Alert, &[1, 112]).unwrap();
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNRECOGNIZED_NAME)));
    assert!(!c.wants_write());
}
