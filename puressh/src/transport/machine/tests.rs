//! Unit tests of the transport state machine: a client and a server of
//! ours talking to each other through their byte buffers.

use super::*;
use crate::error::KexError;
use crate::msg::{Ignore, ServiceRequest};
use crate::transport::cipher::NoneCipher;
use std::time::{Duration, Instant};

/// Deterministic filler; the "none" state protects nothing anyway.
struct Counter(u8);

impl Random for Counter {
    fn fill(&mut self, out: &mut [u8]) {
        for b in out {
            self.0 = self.0.wrapping_add(1);
            *b = self.0;
        }
    }
}

fn pair() -> (Transport, Transport) {
    let c = Transport::new(Role::Client, "c", Preferences::registry_defaults(), Box::new(Counter(0))).unwrap();
    let s = Transport::new(Role::Server, "s", Preferences::registry_defaults(), Box::new(Counter(9))).unwrap();
    (c, s)
}

/// Moves every pending byte from `from` to `to`, `chunk` bytes at a time.
fn pump(from: &mut Transport, to: &mut Transport, chunk: usize) -> Result<(), Error> {
    let bytes = from.output_buf().to_vec();
    from.consume_output(bytes.len());
    for piece in bytes.chunks(chunk.max(1)) {
        let mut rest = piece;
        while !rest.is_empty() {
            let used = to.input(rest)?;
            assert!(used > 0);
            rest = &rest[used..];
        }
    }
    Ok(())
}

fn events(t: &mut Transport) -> Vec<Event> {
    std::iter::from_fn(|| t.poll_event()).collect()
}

#[test]
fn client_and_server_negotiate_and_switch_keys() {
    for chunk in [1, 7, 17, 4096] {
        let (mut c, mut s) = pair();
        pump(&mut c, &mut s, chunk).unwrap();
        pump(&mut s, &mut c, chunk).unwrap();
        let ce = events(&mut c);
        let se = events(&mut s);
        assert!(matches!(&ce[0], Event::PeerVersion(v) if v.software == "s"));
        let Event::Negotiated { negotiated, ours, theirs } = &ce[1] else { panic!("{ce:?}") };
        assert!(negotiated.strict && negotiated.client_ext_info && negotiated.server_ext_info);
        assert_eq!(negotiated.kex, "mlkem768x25519-sha256");
        let Event::Negotiated { ours: s_ours, theirs: s_theirs, .. } = &se[1] else { panic!("{se:?}") };
        assert_eq!((ours, theirs), (s_theirs, s_ours), "both hash the same KEXINIT payloads");

        // Upper-layer messages wait for NEWKEYS.
        c.send(&Message::ServiceRequest(ServiceRequest { service: "ssh-userauth".into() })).unwrap();
        assert!(c.output_buf().is_empty());
        // The KEX method's messages go out at once.
        c.send(&Message::Other { number: MsgNumber::KEX_ECDH_INIT, body: vec![1, 2] }).unwrap();
        pump(&mut c, &mut s, chunk).unwrap();
        assert!(matches!(
            &events(&mut s)[..],
            [Event::KexMessage(Message::Other { number: MsgNumber::KEX_ECDH_INIT, .. })]
        ));

        // Keys derived (here: the none state again), NEWKEYS both ways.
        for t in [&mut c, &mut s] {
            t.set_incoming_keys(Box::new(NoneCipher));
            t.send_newkeys(Box::new(NoneCipher), Instant::now()).unwrap();
        }
        // Strict KEX reset the counters after NEWKEYS; the client then
        // released its held-back SERVICE_REQUEST.
        assert_eq!(c.encoder.sequence().get(), 1);
        assert_eq!(s.encoder.sequence().get(), 0);
        pump(&mut s, &mut c, chunk).unwrap();
        pump(&mut c, &mut s, chunk).unwrap();
        assert_eq!(events(&mut c), [Event::NewKeysReceived]);
        assert_eq!(
            events(&mut s),
            [
                Event::NewKeysReceived,
                Event::Message(Message::ServiceRequest(ServiceRequest { service: "ssh-userauth".into() }))
            ]
        );
        assert_eq!(s.decoder.sequence().get(), 1, "sequence restarted at NEWKEYS");
        assert_eq!(c.decoder.sequence().get(), 0);
    }
}

#[test]
fn terrapin_injection_is_fatal() {
    let (mut c, mut s) = pair();
    pump(&mut c, &mut s, 4096).unwrap();
    // The server's KEXINIT, then an IGNORE an attacker slipped in.
    s.send(&Message::Ignore(Ignore { data: b"x".to_vec() })).unwrap();
    let err = pump(&mut s, &mut c, 4096).unwrap_err();
    assert_eq!(err, Error::Kex(KexError::StrictViolation { number: 2, sequence: 1 }));
    assert_eq!(c.input(b"more"), Err(err), "poisoned");
}

#[test]
fn newkeys_without_keys_and_misuse_are_refused() {
    let (mut c, mut s) = pair();
    assert!(c.send_newkeys(Box::new(NoneCipher), Instant::now()).is_err(), "before negotiation");
    pump(&mut c, &mut s, 4096).unwrap();
    pump(&mut s, &mut c, 4096).unwrap();
    assert!(c.send(&Message::NewKeys(NewKeys)).is_err());
    s.send_newkeys(Box::new(NoneCipher), Instant::now()).unwrap();
    // The client has no incoming keys yet: the server's NEWKEYS is premature.
    assert_eq!(pump(&mut s, &mut c, 4096), Err(Error::Kex(KexError::Unexpected { number: 21 })));
    assert!(s.start_rekey().is_ok());
    assert!(s.start_rekey().is_err(), "one key exchange at a time");
}

/// Runs a pair up to established keys.
fn established(now: Instant) -> (Transport, Transport) {
    let (mut c, mut s) = pair();
    pump(&mut c, &mut s, 4096).unwrap();
    pump(&mut s, &mut c, 4096).unwrap();
    for t in [&mut c, &mut s] {
        t.set_incoming_keys(Box::new(NoneCipher));
        t.send_newkeys(Box::new(NoneCipher), now).unwrap();
    }
    pump(&mut s, &mut c, 4096).unwrap();
    pump(&mut c, &mut s, 4096).unwrap();
    events(&mut c);
    events(&mut s);
    (c, s)
}

#[test]
fn rekey_by_time_packets_and_bytes() {
    let start = Instant::now();
    let (mut c, mut s) = established(start);
    let due = c.poll_timeout().unwrap();
    assert_eq!(due, start + RekeyLimits::default().interval);
    c.handle_timeout(due - Duration::from_secs(1)).unwrap();
    assert!(c.output_buf().is_empty());
    c.handle_timeout(due).unwrap();
    assert_eq!(c.poll_timeout(), None, "a key exchange is running");
    pump(&mut c, &mut s, 4096).unwrap();
    // The server answers the client's rekey with its own KEXINIT.
    assert!(matches!(&events(&mut s)[..], [Event::Negotiated { negotiated, .. }] if negotiated.strict));
    pump(&mut s, &mut c, 4096).unwrap();
    assert!(matches!(&events(&mut c)[..], [Event::Negotiated { .. }]));

    let (mut c, mut s) = established(start);
    c.set_rekey_limits(RekeyLimits { packets: 2, ..RekeyLimits::default() });
    let ping = Message::Ignore(Ignore { data: vec![] });
    c.send(&ping).unwrap();
    assert_eq!(c.poll_timeout(), Some(start + RekeyLimits::default().interval));
    c.send(&ping).unwrap();
    assert_eq!(c.poll_timeout(), None, "two packets started a rekey");
    pump(&mut c, &mut s, 4096).unwrap();

    let (mut c, mut s) = established(start);
    s.set_rekey_limits(RekeyLimits { bytes: 100, ..RekeyLimits::default() });
    c.send(&Message::Ignore(Ignore { data: vec![0; 200] })).unwrap();
    pump(&mut c, &mut s, 4096).unwrap();
    assert_eq!(s.poll_timeout(), None, "200 received bytes started a rekey");
    assert!(!s.output_buf().is_empty(), "its KEXINIT is queued");
}

#[test]
fn empty_payload_is_a_decode_error() {
    let (mut c, _) = pair();
    let mut bytes = b"SSH-2.0-x\r\n".to_vec();
    PacketEncoder::default().encode(&[], &mut Counter(0), &mut bytes).unwrap();
    assert!(matches!(c.input(&bytes), Err(Error::Decode(crate::wire::WireError::Truncated { offset: 0, .. }))));
}

/// Runs a key exchange (the none cipher standing in for real keys)
/// between `c` and `s` whose KEXINITs are already queued or sent.
fn exchange(c: &mut Transport, s: &mut Transport) {
    // Whichever side started, both KEXINITs have crossed after three moves.
    pump(c, s, 4096).unwrap();
    pump(s, c, 4096).unwrap();
    pump(c, s, 4096).unwrap();
    events(c);
    events(s);
    for t in [&mut *c, &mut *s] {
        t.set_incoming_keys(Box::new(NoneCipher));
        t.send_newkeys(Box::new(NoneCipher), Instant::now()).unwrap();
    }
    pump(c, s, 4096).unwrap();
    pump(s, c, 4096).unwrap();
    assert!(events(c).contains(&Event::NewKeysReceived));
    assert!(events(s).contains(&Event::NewKeysReceived));
}

fn compressing_pair(method: &str) -> (Transport, Transport) {
    let mut prefs = Preferences::registry_defaults();
    prefs.compression = vec![method.to_owned()];
    let c = Transport::new(Role::Client, "c", prefs.clone(), Box::new(Counter(0))).unwrap();
    let s = Transport::new(Role::Server, "s", prefs, Box::new(Counter(9))).unwrap();
    (c, s)
}

/// A compressible message of the local-extension range (192).
fn bulk(round: u8) -> Message {
    Message::Other { number: MsgNumber(192), body: format!("{round} ").repeat(2000).into_bytes() }
}

/// Sends `bulk` both ways and checks it arrives intact; returns the
/// bytes on the wire for one of them.
fn exchange_bulk(c: &mut Transport, s: &mut Transport, round: u8) -> usize {
    c.send(&bulk(round)).unwrap();
    let wire = c.output_buf().len();
    pump(c, s, 7).unwrap();
    assert_eq!(events(s), [Event::Message(bulk(round))]);
    s.send(&bulk(round + 1)).unwrap();
    pump(s, c, 4096).unwrap();
    assert_eq!(events(c), [Event::Message(bulk(round + 1))]);
    wire
}

#[test]
fn none_never_compresses() {
    use crate::msg::UserauthSuccess;
    let (mut c, mut s) = compressing_pair(crate::names::NONE);
    exchange(&mut c, &mut s);
    s.send(&Message::UserauthSuccess(UserauthSuccess)).unwrap();
    pump(&mut s, &mut c, 4096).unwrap();
    events(&mut c);
    assert_eq!((c.compressing(), s.compressing()), ((false, false), (false, false)));
    assert!(exchange_bulk(&mut c, &mut s, 1) > 4000);
}

#[cfg(feature = "zlib")]
#[test]
fn delayed_compression_starts_after_userauth_success_and_survives_rekeys() {
    use crate::msg::UserauthSuccess;
    let (mut c, mut s) = compressing_pair(crate::names::ZLIB_OPENSSH);
    exchange(&mut c, &mut s);
    assert_eq!(c.negotiated().unwrap().compression_c2s, crate::names::ZLIB_OPENSSH);
    assert_eq!((c.compressing(), s.compressing()), ((false, false), (false, false)), "not before auth");
    let plain = exchange_bulk(&mut c, &mut s, 1);
    assert!(plain > 4000);
    // The server's success goes out uncompressed; both directions start after it.
    s.send(&Message::UserauthSuccess(UserauthSuccess)).unwrap();
    assert_eq!(s.compressing(), (true, true));
    assert_eq!(c.compressing(), (false, false), "the client has not seen it yet");
    pump(&mut s, &mut c, 1).unwrap();
    assert_eq!(events(&mut c), [Event::Message(Message::UserauthSuccess(UserauthSuccess))]);
    assert_eq!(c.compressing(), (true, true));
    let packed = exchange_bulk(&mut c, &mut s, 3);
    assert!(packed < plain / 10, "{packed} bytes vs {plain}");
    // A rekey keeps it on (a fresh stream per direction at NEWKEYS).
    c.start_rekey().unwrap();
    exchange(&mut c, &mut s);
    assert_eq!((c.compressing(), s.compressing()), ((true, true), (true, true)));
    exchange_bulk(&mut c, &mut s, 5);
    s.start_rekey().unwrap();
    exchange(&mut c, &mut s);
    exchange_bulk(&mut c, &mut s, 7);
}

#[cfg(feature = "zlib")]
#[test]
fn zlib_starts_at_newkeys_and_a_rekey_to_none_stops_it() {
    let (mut c, mut s) = compressing_pair(crate::names::ZLIB);
    exchange(&mut c, &mut s);
    assert_eq!((c.compressing(), s.compressing()), ((true, true), (true, true)));
    let packed = exchange_bulk(&mut c, &mut s, 1);
    assert!(packed < 1000, "{packed}");
    // The server now accepts only none: the next exchange turns it off.
    s.prefs.compression = vec![crate::names::NONE.to_owned()];
    c.prefs.compression = vec![crate::names::ZLIB.to_owned(), crate::names::NONE.to_owned()];
    c.start_rekey().unwrap();
    exchange(&mut c, &mut s);
    assert_eq!((c.compressing(), s.compressing()), ((false, false), (false, false)));
    assert!(exchange_bulk(&mut c, &mut s, 3) > 4000);
}

#[test]
fn unimplemented_compression_is_refused_at_negotiation() {
    let (mut c, mut s) = compressing_pair("lz4@example.com");
    let err = pump(&mut c, &mut s, 4096).unwrap_err();
    assert_eq!(err, Error::Kex(KexError::Unsupported { name: "lz4@example.com".into() }));
    #[cfg(not(feature = "zlib"))]
    {
        let (mut c, mut s) = compressing_pair(crate::names::ZLIB_OPENSSH);
        assert!(pump(&mut c, &mut s, 4096).is_err(), "no codec without the zlib feature");
    }
}
