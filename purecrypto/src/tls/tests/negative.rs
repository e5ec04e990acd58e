//! A tlsfuzzer-style negative audit of TLS 1.3 (issue #9): malformed,
//! oversized, empty, fragmented and interleaved records; off-by-one
//! lengths; ClientHello, ServerHello, HelloRetryRequest and
//! EncryptedExtensions misuse; middlebox ChangeCipherSpec; every
//! handshake type in every state on both sides; bad Finished lengths;
//! KeyUpdate and warning-alert floods; alerts. Each case ends with a
//! typed error and the exact alert on the wire (RFC 8446 section 6.2),
//! checked as the peer receives it. The checklist, with the existing
//! tests it leans on, is `docs/tls-negative-audit.md`.
//!
//! Hello, HelloRetryRequest and per-state cases live in `handshake`.
//! Main helpers: [`swap_type`] (one handshake message of a real
//! handshake retyped), [`relay`], and the `*_for_test` hooks on
//! [`Connection`].

use alloc::sync::Arc;
use alloc::vec::Vec;

use super::client_auth::{CLIENT_KEYS, verifier};
use super::{client_config, connect, decoded_client_hello, exchange, hello_record, last_plaintext_alert, pump, rng};
use crate::tls::conn::MAX_CONTROL_RUN;
use crate::tls::msgs::{self, HandshakeType, OfferedPsks, PskIdentity, ServerHello};
use crate::tls::record::{ContentType, MAX_PLAINTEXT};
use crate::tls::*;

mod handshake;

/// 2030-01-01: inside every test certificate's validity.
const NOW: u64 = 1_893_456_000;

/// Every handshake type the decoder knows.
pub(crate) const TYPES: [u8; 17] = [0, 1, 2, 4, 5, 8, 11, 12, 13, 14, 15, 16, 20, 22, 24, 25, 254];

/// A TLS 1.3-only client with one X25519 share (quick in debug builds).
pub(crate) fn client13() -> ClientConfig {
    let mut c = client_config();
    c.min_version = ProtocolVersion::Tls13;
    c.groups = alloc::vec![NamedGroup::X25519, NamedGroup::SECP256R1];
    c.initial_key_shares = 1;
    // The server's Certificate then always arrives as type 11.
    c.cert_compression.clear();
    c
}

pub(crate) fn server13() -> ServerConfig {
    let mut s = super::server_config("p256");
    s.min_version = ProtocolVersion::Tls13;
    s
}

pub(crate) fn client_of(cc: ClientConfig) -> Connection {
    let mut c = Connection::client(Arc::new(cc), "localhost", rng(31)).unwrap();
    c.set_now(NOW);
    c
}

pub(crate) fn server_of(sc: ServerConfig) -> Connection {
    let mut s = Connection::server(Arc::new(sc), rng(32)).unwrap();
    s.set_now(NOW);
    s
}

/// Moves everything `from` has to send into `to`.
pub(crate) fn relay(from: &mut Connection, to: &mut Connection) -> Result<usize, Error> {
    let mut out = Vec::new();
    from.write_tls(&mut out);
    to.read_tls(&out)
}

/// A tamper hook retyping the first handshake message of type `from`
/// sent into type `to`; the others pass unchanged.
pub(crate) fn retype_first(from: u8, to: u8) -> impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static {
    let mut done = false;
    move |mut m| {
        if !done && m.first() == Some(&from) {
            done = true;
            m[0] = to;
        }
        m
    }
}

/// A tamper hook handing the first handshake message of type `typ` to
/// `edit`.
pub(crate) fn edit_first(
    typ: u8,
    mut edit: impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static,
) -> impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static {
    let mut done = false;
    move |m| {
        if !done && m.first() == Some(&typ) {
            done = true;
            edit(m)
        } else {
            m
        }
    }
}

/// A real handshake where the side `server_tampers` names retypes its
/// first message of type `from` into `to`; the (client, server) errors.
pub(crate) fn swap_type(
    cc: ClientConfig,
    sc: ServerConfig,
    server_tampers: bool,
    from: u8,
    to: u8,
) -> [Option<Error>; 2] {
    let mut c = client_of(cc);
    let mut s = server_of(sc);
    if server_tampers {
        s.tamper_handshake_for_test(retype_first(from, to));
    } else {
        c.tamper_handshake_for_test(retype_first(from, to));
    }
    let (ce, se) = pump(&mut c, &mut s);
    [ce, se]
}

/// Asserts that `failed` reported `err` and that its peer then received
/// exactly the alert for it, and answered nothing.
#[track_caller]
fn assert_alerted(failed: Option<Error>, peer: Option<Error>, err: &Error) {
    assert_eq!(failed.as_ref(), Some(err));
    assert_eq!(peer, Some(Error::AlertReceived(err.alert().unwrap())), "{err:?}");
}

/// Rewrites a message's 24-bit length from its body.
pub(crate) fn fix_len(m: &mut [u8]) {
    let len = u32::try_from(m.len() - 4).unwrap().to_be_bytes();
    m[1..4].copy_from_slice(&len[1..]);
}

/// A handshake-message edit: one byte longer (`grow`) or shorter, with
/// the length field following.
fn one_byte_off(grow: bool) -> impl FnMut(Vec<u8>) -> Vec<u8> + Send + 'static {
    move |mut m| {
        if grow {
            m.push(0);
        } else {
            m.pop();
        }
        fix_len(&mut m);
        m
    }
}

/// Appends raw `ext` bytes to the extensions block starting at body
/// offset `at` of handshake message `m`.
pub(crate) fn push_extension(m: &mut Vec<u8>, at: usize, ext: &[u8]) {
    let at = 4 + at;
    let len = u16::from_be_bytes([m[at], m[at + 1]]) as usize + ext.len();
    m[at..at + 2].copy_from_slice(&u16::try_from(len).unwrap().to_be_bytes());
    m.extend_from_slice(ext);
    fix_len(m);
}

/// Offsets in a ClientHello body: session id length, cipher suites
/// length, compression length, extensions length.
fn client_hello_offsets(body: &[u8]) -> [usize; 4] {
    let sid = 34;
    let cs = sid + 1 + usize::from(body[sid]);
    let comp = cs + 2 + usize::from(u16::from_be_bytes([body[cs], body[cs + 1]]));
    let exts = comp + 1 + usize::from(body[comp]);
    [sid, cs, comp, exts]
}

/// A fresh server's verdict on a ClientHello body and the plaintext
/// alert it sent.
fn server_verdict(body: &[u8]) -> (Result<usize, Error>, Option<AlertDescription>) {
    let mut s = server_of(server13());
    let r = s.read_tls(&hello_record(body));
    (r, last_plaintext_alert(&mut s))
}

fn encoded(ch: &msgs::ClientHello) -> Vec<u8> {
    let mut body = Vec::new();
    ch.encode(&mut body);
    body
}

/// A plaintext record.
fn record(typ: u8, body: &[u8]) -> Vec<u8> {
    let mut r = alloc::vec![typ, 3, 3];
    r.extend_from_slice(&u16::try_from(body.len()).unwrap().to_be_bytes());
    r.extend_from_slice(body);
    r
}

/// The client's ClientHello message (first record of a fresh client).
fn client_hello_message() -> Vec<u8> {
    let mut c = client_of(client13());
    let mut out = Vec::new();
    c.write_tls(&mut out);
    out[5..].to_vec()
}

// ---- record layer ----

#[test]
fn unknown_record_types_are_unexpected_message() {
    for typ in [0u8, 19, 24, 25, 255] {
        let mut s = server_of(server13());
        let err = Error::UnexpectedMessage { what: "unknown record type" };
        assert_eq!(s.read_tls(&record(typ, &[1])), Err(err), "type {typ}");
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::UNEXPECTED_MESSAGE));
    }
    // After the handshake too (24 is heartbeat, RFC 6520).
    let (mut c, mut s) = connect(client13(), server13());
    let err = Error::UnexpectedMessage { what: "unknown record type" };
    assert_eq!(s.read_tls(&record(24, &[1, 0, 16])), Err(err.clone()));
    assert_alerted(Some(err), relay(&mut s, &mut c).err(), &Error::UnexpectedMessage { what: "unknown record type" });
}

#[test]
fn record_version_minor_is_ignored_and_major_is_decode_error() {
    let hello = client_hello_message();
    for minor in [0u8, 1, 2, 3, 4, 0xff] {
        let mut s = server_of(server13());
        let mut rec = record(22, &hello);
        rec[2] = minor;
        assert_eq!(s.read_tls(&rec), Ok(rec.len()), "3.{minor}");
        assert!(s.wants_write());
    }
    for major in [0u8, 2, 4, 0xfe] {
        let mut s = server_of(server13());
        let mut rec = record(22, &hello);
        rec[1] = major;
        assert_eq!(s.read_tls(&rec), Err(Error::Decode { what: "record version" }), "{major}.3");
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::DECODE_ERROR));
    }
}

#[test]
fn oversized_records_are_record_overflow_at_the_exact_limits() {
    // Plaintext: 2^14 goes through (a ClientHello padded past 2^14 and
    // cut into 2^14-byte records), 2^14 + 1 is refused from the header.
    let mut hello = client_hello_message();
    let pad = alloc::vec![0u8; MAX_PLAINTEXT];
    let mut ext = alloc::vec![0xfa, 0xfa];
    codec::put_vec16(&mut ext, &pad[..MAX_PLAINTEXT - 100]);
    let exts_at = client_hello_offsets(msgs::body(&hello))[3];
    push_extension(&mut hello, exts_at, &ext);
    assert!(hello.len() > MAX_PLAINTEXT);
    let mut s = server_of(server13());
    for chunk in hello.chunks(MAX_PLAINTEXT) {
        s.read_tls(&record(22, chunk)).unwrap();
    }
    assert!(s.wants_write(), "a 2^14-byte record is accepted");
    let mut s = server_of(server13());
    assert_eq!(s.read_tls(&[22, 3, 3, 0x40, 0x01]), Err(Error::RecordOverflow));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::RECORD_OVERFLOW));

    // Protected: 2^14 + 256 is opened (and here fails its tag), one more
    // is refused from the header, before the body arrives.
    let (mut c, mut s) = connect(client13(), server13());
    let mut rec = alloc::vec![23, 3, 3, 0x41, 0x00];
    rec.resize(5 + MAX_PLAINTEXT + 256, 0);
    assert_eq!(s.read_tls(&rec), Err(Error::BadRecordMac));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::BAD_RECORD_MAC)));
    let (mut c, mut s) = connect(client13(), server13());
    assert_eq!(s.read_tls(&[23, 3, 3, 0x41, 0x01]), Err(Error::RecordOverflow));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::RECORD_OVERFLOW)));
}

#[test]
fn zero_length_records_of_each_content_type() {
    // Before any keys.
    let cases: [(u8, Error); 4] = [
        (22, Error::UnexpectedMessage { what: "empty handshake record" }),
        (21, Error::Decode { what: "alert" }),
        (20, Error::UnexpectedMessage { what: "change_cipher_spec" }),
        (23, Error::UnexpectedMessage { what: "application data before keys" }),
    ];
    for (typ, err) in cases {
        let mut s = server_of(server13());
        assert_eq!(s.read_tls(&record(typ, &[])), Err(err.clone()), "type {typ}");
        assert_eq!(last_plaintext_alert(&mut s), err.alert(), "type {typ}");
    }
    // Protected: empty application data is allowed (section 5.1) and
    // raises no event; empty handshake and alert records are not.
    let (mut c, mut s) = connect(client13(), server13());
    c.send_record_for_test(ContentType::ApplicationData, &[]).unwrap();
    assert!(relay(&mut c, &mut s).is_ok());
    assert_eq!(s.poll_event(), None);
    exchange(&mut c, &mut s, 10);
    let cases = [
        (ContentType::Handshake, Error::UnexpectedMessage { what: "empty handshake record" }),
        (ContentType::Alert, Error::Decode { what: "alert" }),
    ];
    for (typ, err) in cases {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_record_for_test(typ, &[]).unwrap();
        let se = relay(&mut c, &mut s).err();
        assert_alerted(se, relay(&mut s, &mut c).err(), &err);
    }
}

#[test]
fn a_protected_change_cipher_spec_is_unexpected_message() {
    let (mut c, mut s) = connect(client13(), server13());
    c.send_record_for_test(ContentType::ChangeCipherSpec, &[1]).unwrap();
    let se = relay(&mut c, &mut s).err();
    assert_alerted(se, relay(&mut s, &mut c).err(), &Error::UnexpectedMessage { what: "inner content type" });
}

// ---- fragmentation and coalescing ----

/// Re-frames the plaintext handshake records in `wire` into records of
/// at most `n` bytes.
fn refragment(wire: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut rest = wire;
    while rest.len() >= 5 {
        let len = usize::from(u16::from_be_bytes([rest[3], rest[4]]));
        for chunk in rest[5..5 + len].chunks(n) {
            out.extend_from_slice(&record(rest[0], chunk));
        }
        rest = &rest[5 + len..];
    }
    out
}

#[test]
fn one_byte_records_carry_a_whole_handshake_in_both_versions() {
    for version in [ProtocolVersion::Tls13, ProtocolVersion::Tls12] {
        let mut cc = client13();
        cc.min_version = version;
        cc.max_version = version;
        let mut c = client_of(cc);
        let mut s = server_of(super::server_config("p256"));
        c.set_max_fragment_for_test(1);
        s.set_max_fragment_for_test(1);
        let mut hello = Vec::new();
        c.write_tls(&mut hello);
        let hello = refragment(&hello, 1);
        assert_eq!(hello.len(), 6 * (hello.len() / 6), "1-byte records");
        s.read_tls(&hello).unwrap();
        assert_eq!(pump(&mut c, &mut s), (None, None), "{version:?}");
        assert!(!c.is_handshaking() && !s.is_handshaking());
        assert_eq!(c.protocol_version(), Some(version));
        exchange(&mut c, &mut s, 40);
    }
}

/// Moves `from`'s output into `to` one byte per call.
fn relay_bytewise(from: &mut Connection, to: &mut Connection) {
    let mut out = Vec::new();
    from.write_tls(&mut out);
    for b in out.chunks(1) {
        assert_eq!(to.read_tls(b), Ok(1));
    }
}

#[test]
fn input_split_at_every_byte_completes_the_handshake() {
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    for _ in 0..3 {
        relay_bytewise(&mut c, &mut s);
        relay_bytewise(&mut s, &mut c);
    }
    assert!(!c.is_handshaking() && !s.is_handshaking());
    exchange(&mut c, &mut s, 100);
}

#[test]
fn coalesced_post_handshake_messages_are_each_processed() {
    let (mut c, mut s) = connect(client13(), server13());
    let before = c.tickets_received();
    // lifetime 60, age_add 1, nonce [7], ticket [aa bb], no extensions.
    let nst = [4, 0, 0, 16, 0, 0, 0, 60, 0, 0, 0, 1, 1, 7, 0, 2, 0xaa, 0xbb, 0, 0];
    let mut two = nst.to_vec();
    two.extend_from_slice(&nst);
    s.send_record_for_test(ContentType::Handshake, &two).unwrap();
    assert_eq!(relay(&mut s, &mut c).map(|_| ()), Ok(()));
    assert_eq!(c.tickets_received(), before + 2);
    exchange(&mut c, &mut s, 10);
}

#[test]
fn handshake_data_across_a_key_change_is_unexpected_message() {
    // ServerHello and the first bytes of EncryptedExtensions in one
    // plaintext record: the rest would come under other keys.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    s.tamper_handshake_for_test(edit_first(2, |mut m| {
        m.extend_from_slice(&[8, 0, 0]);
        m
    }));
    let (ce, se) = pump(&mut c, &mut s);
    let err = Error::UnexpectedMessage { what: "handshake data across a key change" };
    assert_eq!(ce, Some(err));
    assert_eq!(se, Some(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
    // Two KeyUpdates in one record.
    let (mut c, mut s) = connect(client13(), server13());
    c.send_record_for_test(ContentType::Handshake, &[24, 0, 0, 1, 0, 24, 0, 0, 1, 0]).unwrap();
    let err = Error::UnexpectedMessage { what: "handshake data across a key change" };
    assert_eq!(relay(&mut c, &mut s), Err(err));
    assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
}

#[test]
fn records_interleaved_in_a_fragmented_message_are_unexpected_message() {
    // During the handshake: the ClientHello in two records with another
    // record between them.
    let hello = client_hello_message();
    let (head, tail) = hello.split_at(10);
    let cases: [(Vec<u8>, Error); 3] = [
        (record(20, &[1]), Error::UnexpectedMessage { what: "change_cipher_spec inside a message" }),
        (record(21, &[1, 90]), Error::UnexpectedMessage { what: "alert inside a handshake message" }),
        (record(23, &[1]), Error::UnexpectedMessage { what: "application data before keys" }),
    ];
    for (between, err) in cases {
        let mut s = server_of(server13());
        let mut wire = record(22, head);
        wire.extend_from_slice(&between);
        wire.extend_from_slice(&record(22, tail));
        assert_eq!(s.read_tls(&wire), Err(err.clone()));
        assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::UNEXPECTED_MESSAGE), "{err:?}");
    }
    // After it: half a KeyUpdate, then application data or an alert.
    let cases = [
        (
            ContentType::ApplicationData,
            &[1u8][..],
            Error::UnexpectedMessage { what: "application data during the handshake" },
        ),
        (ContentType::Alert, &[1, 90], Error::UnexpectedMessage { what: "alert inside a handshake message" }),
    ];
    for (typ, data, err) in cases {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_record_for_test(ContentType::Handshake, &[24, 0]).unwrap();
        c.send_record_for_test(typ, data).unwrap();
        let se = relay(&mut c, &mut s).err();
        assert_alerted(se, relay(&mut s, &mut c).err(), &err);
    }
}

// ---- handshake message lengths ----

#[test]
fn client_hello_length_fields_off_by_one_are_decode_errors() {
    let body = encoded(&decoded_client_hello());
    let [sid, cs, comp, exts] = client_hello_offsets(&body);
    let mut fields: Vec<(usize, usize)> = alloc::vec![(sid, 1), (cs, 2), (comp, 1), (exts, 2)];
    // Each extension's own length.
    let mut at = exts + 2;
    while at < body.len() {
        fields.push((at + 2, 2));
        at += 4 + usize::from(u16::from_be_bytes([body[at + 2], body[at + 3]]));
    }
    assert!(fields.len() > 8);
    for (at, width) in fields {
        for delta in [1i32, -1] {
            let mut b = body.clone();
            let old = if width == 1 { i32::from(b[at]) } else { i32::from(u16::from_be_bytes([b[at], b[at + 1]])) };
            let new = old + delta;
            if width == 1 {
                b[at] = new as u8;
            } else {
                b[at..at + 2].copy_from_slice(&(new as u16).to_be_bytes());
            }
            let (r, alert) = server_verdict(&b);
            assert!(matches!(r, Err(Error::Decode { .. })), "field at {at} {delta:+}: {r:?}");
            assert_eq!(alert, Some(AlertDescription::DECODE_ERROR), "field at {at} {delta:+}");
        }
    }
    // The message length: one short cuts the last extension, one long
    // takes a byte of whatever follows (here a stray byte).
    let mut msg = alloc::vec![1u8];
    codec::put_vec24(&mut msg, &body);
    let mut short = msg.clone();
    short.pop();
    fix_len(&mut short);
    let mut s = server_of(server13());
    assert!(matches!(s.read_tls(&record(22, &short)), Err(Error::Decode { .. })));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::DECODE_ERROR));
    let mut long = msg.clone();
    long.push(0);
    fix_len(&mut long);
    let mut s = server_of(server13());
    assert!(matches!(s.read_tls(&record(22, &long)), Err(Error::Decode { .. })));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::DECODE_ERROR));
    // A declared length over the 2^18 message cap, before the body.
    let mut s = server_of(server13());
    let err = Error::Decode { what: "handshake message length" };
    assert_eq!(s.read_tls(&record(22, &[1, 0x04, 0x00, 0x01])), Err(err));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::DECODE_ERROR));
}

#[test]
fn server_messages_one_byte_short_or_long_are_decode_errors() {
    // ServerHello, EncryptedExtensions, (Compressed)Certificate,
    // CertificateVerify, Finished: tlsfuzzer expects decode_error for a
    // truncated or padded Finished too, decrypt_error only for a wrong
    // value.
    for typ in [2u8, 8, 11, 15, 20] {
        for grow in [false, true] {
            let mut c = client_of(client13());
            let mut s = server_of(server13());
            s.tamper_handshake_for_test(edit_first(typ, one_byte_off(grow)));
            let (ce, se) = pump(&mut c, &mut s);
            assert!(matches!(ce, Some(Error::Decode { .. })), "type {typ} grow {grow}: {ce:?}");
            assert_eq!(se, Some(Error::AlertReceived(AlertDescription::DECODE_ERROR)), "type {typ} grow {grow}");
        }
    }
}

#[test]
fn client_finished_of_the_wrong_length_is_decode_error() {
    for grow in [false, true] {
        let mut c = client_of(client13());
        let mut s = server_of(server13());
        c.tamper_handshake_for_test(edit_first(20, one_byte_off(grow)));
        let (ce, se) = pump(&mut c, &mut s);
        assert_alerted(se, ce, &Error::Decode { what: "Finished length" });
    }
    // An empty one too.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    c.tamper_handshake_for_test(edit_first(20, |_| alloc::vec![20, 0, 0, 0]));
    let (ce, se) = pump(&mut c, &mut s);
    assert_alerted(se, ce, &Error::Decode { what: "Finished length" });
}

// ---- ChangeCipherSpec in TLS 1.3 ----

#[test]
fn middlebox_change_cipher_spec_is_dropped_during_the_handshake_only() {
    // One CCS after the ClientHello and one after the ServerHello: dropped.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    let mut hello = Vec::new();
    c.write_tls(&mut hello);
    hello.extend_from_slice(&record(20, &[1]));
    s.read_tls(&hello).unwrap();
    let mut flight = Vec::new();
    s.write_tls(&mut flight);
    let sh_len = 5 + usize::from(u16::from_be_bytes([flight[3], flight[4]]));
    let mut with_ccs = flight[..sh_len].to_vec();
    with_ccs.extend_from_slice(&record(20, &[1]));
    with_ccs.extend_from_slice(&flight[sh_len..]);
    c.read_tls(&with_ccs).unwrap();
    assert_eq!(pump(&mut c, &mut s), (None, None));
    exchange(&mut c, &mut s, 10);

    // Before any ClientHello, with a wrong payload, or after the handshake.
    let mut s = server_of(server13());
    let err = Error::UnexpectedMessage { what: "change_cipher_spec before ClientHello" };
    assert_eq!(s.read_tls(&record(20, &[1])), Err(err));
    assert_eq!(last_plaintext_alert(&mut s), Some(AlertDescription::UNEXPECTED_MESSAGE));
    for payload in [&[2u8][..], &[1, 1], &[0]] {
        let mut c = client_of(client13());
        let mut s = server_of(server13());
        relay(&mut c, &mut s).unwrap();
        let err = Error::UnexpectedMessage { what: "change_cipher_spec" };
        assert_eq!(s.read_tls(&record(20, payload)), Err(err), "{payload:?}");
        // The server has sent its flight: the alert is protected under
        // its handshake keys, which the client derives from it.
        assert_eq!(relay(&mut s, &mut c), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));
    }
    for client_sends in [true, false] {
        let (mut c, mut s) = connect(client13(), server13());
        let (from, to) = if client_sends { (&mut c, &mut s) } else { (&mut s, &mut c) };
        let err = Error::UnexpectedMessage { what: "change_cipher_spec" };
        assert_eq!(to.read_tls(&record(20, &[1])), Err(err.clone()));
        assert_alerted(Some(err), relay(to, from).err(), &Error::UnexpectedMessage { what: "change_cipher_spec" });
    }
}

// ---- KeyUpdate and alerts ----

/// Counts the records in `wire`.
fn record_count(mut wire: &[u8]) -> usize {
    let mut n = 0;
    while wire.len() >= 5 {
        wire = &wire[5 + usize::from(u16::from_be_bytes([wire[3], wire[4]]))..];
        n += 1;
    }
    n
}

#[test]
fn a_key_update_flood_is_bounded_and_application_data_resets_the_count() {
    let (mut c, mut s) = connect(client13(), server13());
    let run = usize::try_from(MAX_CONTROL_RUN).unwrap();
    for round in 0..2 {
        for _ in 0..run {
            c.update_traffic_keys(true).unwrap();
        }
        relay(&mut c, &mut s).unwrap();
        // One answer per request, no more.
        let mut answers = Vec::new();
        s.write_tls(&mut answers);
        assert_eq!(record_count(&answers), run, "round {round}");
        c.read_tls(&answers).unwrap();
        exchange(&mut c, &mut s, 10);
    }
    for _ in 0..=run {
        c.update_traffic_keys(true).unwrap();
    }
    let err = Error::UnexpectedMessage { what: "too many control messages without application data" };
    assert_eq!(relay(&mut c, &mut s), Err(err.clone()));
    let mut out = Vec::new();
    s.write_tls(&mut out);
    assert_eq!(record_count(&out), run + 1, "the answers, then the alert");
    assert_eq!(c.read_tls(&out), Err(Error::AlertReceived(AlertDescription::UNEXPECTED_MESSAGE)));

    // update_not_requested counts too; a bad request value is
    // illegal_parameter, a wrong length decode_error.
    let (mut c, mut s) = connect(client13(), server13());
    for _ in 0..=run {
        c.update_traffic_keys(false).unwrap();
    }
    assert_eq!(relay(&mut c, &mut s), Err(err));
    assert!(s.wants_write());
    let (mut c, mut s) = connect(client13(), server13());
    c.send_handshake_for_test(&[24, 0, 0, 1, 2]).unwrap();
    let se = relay(&mut c, &mut s).err();
    assert_alerted(se, relay(&mut s, &mut c).err(), &Error::IllegalParameter { what: "KeyUpdate request" });
    let (mut c, mut s) = connect(client13(), server13());
    c.send_handshake_for_test(&[24, 0, 0, 2, 0, 0]).unwrap();
    let se = relay(&mut c, &mut s).err();
    assert_alerted(se, relay(&mut s, &mut c).err(), &Error::Decode { what: "KeyUpdate" });
}

#[test]
fn a_warning_alert_flood_is_bounded() {
    let (mut c, mut s) = connect(client13(), server13());
    let run = usize::try_from(MAX_CONTROL_RUN).unwrap();
    for _ in 0..run {
        c.send_record_for_test(ContentType::Alert, &[1, 90]).unwrap();
    }
    relay(&mut c, &mut s).unwrap();
    for _ in 0..run {
        assert_eq!(s.poll_event(), Some(Event::AlertReceived(AlertDescription::USER_CANCELED)));
    }
    exchange(&mut c, &mut s, 10);
    for _ in 0..=run {
        c.send_record_for_test(ContentType::Alert, &[1, 90]).unwrap();
    }
    let se = relay(&mut c, &mut s).err();
    let err = Error::UnexpectedMessage { what: "too many control messages without application data" };
    assert_alerted(se, relay(&mut s, &mut c).err(), &err);
}

#[test]
fn alerts_of_unknown_level_or_description_fragmented_or_coalesced() {
    // Any level but close_notify's and user_canceled's is fatal in TLS
    // 1.3; unknown descriptions are fatal; nobody answers an alert.
    for (alert, desc) in [([3u8, 40u8], 40u8), ([1, 40], 40), ([1, 200], 200), ([0, 80], 80), ([2, 90], 90)] {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_record_for_test(ContentType::Alert, &alert).unwrap();
        assert_eq!(relay(&mut c, &mut s), Err(Error::AlertReceived(AlertDescription(desc))), "{alert:?}");
        assert!(!s.wants_write(), "{alert:?}");
    }
    // close_notify at any level closes; later bytes are ignored.
    for level in [1u8, 2, 7] {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_record_for_test(ContentType::Alert, &[level, 0]).unwrap();
        relay(&mut c, &mut s).unwrap();
        assert!(s.peer_closed());
        assert_eq!(s.poll_event(), Some(Event::Closed));
        assert_eq!(s.read_tls(&[0xff; 16]), Ok(16));
        assert_eq!(s.error(), None);
        s.write_plaintext(b"half-closed").unwrap();
    }
    // A fatal plaintext alert during the handshake is reported as such.
    let mut c = client_of(client13());
    let mut s = server_of(server13());
    relay(&mut c, &mut s).unwrap();
    s.write_tls(&mut Vec::new());
    assert_eq!(s.read_tls(&record(21, &[2, 40])), Err(Error::AlertReceived(AlertDescription::HANDSHAKE_FAILURE)));
    assert!(!s.wants_write());
    // Section 5.1: alerts are neither fragmented nor coalesced.
    for body in [&[2u8][..], &[1, 90, 1, 90], &[1, 90, 0]] {
        let (mut c, mut s) = connect(client13(), server13());
        c.send_record_for_test(ContentType::Alert, body).unwrap();
        let se = relay(&mut c, &mut s).err();
        assert_alerted(se, relay(&mut s, &mut c).err(), &Error::Decode { what: "alert" });
    }
    // user_canceled as a warning leaves the connection usable.
    let (mut c, mut s) = connect(client13(), server13());
    c.send_record_for_test(ContentType::Alert, &[1, 90]).unwrap();
    relay(&mut c, &mut s).unwrap();
    assert_eq!(s.poll_event(), Some(Event::AlertReceived(AlertDescription::USER_CANCELED)));
    exchange(&mut c, &mut s, 10);
}

#[test]
fn a_post_handshake_certificate_request_flood_is_bounded() {
    // Each request makes the client answer with its whole certificate
    // chain; 33 in one go (the server's one request, repeated by the
    // tamper hook) get 32 answers, then unexpected_message.
    let mut cc = client13();
    cc.post_handshake_auth = true;
    let (mut c, mut s) = connect(cc, server13());
    let run = usize::try_from(MAX_CONTROL_RUN).unwrap();
    s.tamper_handshake_for_test(move |m| m.repeat(run + 1));
    s.request_client_certificate(Arc::new(verifier())).unwrap();
    let err = Error::UnexpectedMessage { what: "too many control messages without application data" };
    assert_eq!(relay(&mut s, &mut c), Err(err));
    let mut out = Vec::new();
    c.write_tls(&mut out);
    // An empty Certificate and a Finished per answer, then the alert.
    assert_eq!(record_count(&out), 2 * run + 1);
}
