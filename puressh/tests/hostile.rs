//! A hostile server, scripted: each attack must end in a typed error,
//! never a panic or a hang. The bytes are built by hand, as a malicious
//! peer would send them, and fed through the public sans-I/O API.

use puressh::Error;
use puressh::connection::Connection;
use puressh::error::{ChannelError, KexError, PacketError, VersionError};
use puressh::msg::{ChannelOpenConfirmation, ChannelWindowAdjust, Ignore, KexInit, Message, MsgNumber, NewKeys};
use puressh::transport::Role;
use puressh::transport::cipher::Random;
use puressh::transport::kex_rules::{KexRules, Verdict};
use puressh::transport::negotiate::{Preferences, negotiate, our_kexinit};
use puressh::transport::packet::{PacketDecoder, PacketEncoder};
use puressh::transport::version::{VersionExchange, VersionLimits};
use puressh::wire::{WireError, Writer};

struct Zero;
impl Random for Zero {
    fn fill(&mut self, out: &mut [u8]) {
        out.fill(0);
    }
}

fn client_vx() -> VersionExchange {
    VersionExchange::new(Role::Client, "puressh_test", None, VersionLimits::default()).unwrap()
}

#[test]
fn banner_flood_of_lines_and_bytes_is_cut_off() {
    let mut vx = client_vx();
    let mut fed = 0usize;
    let line = b"Welcome to the flood\r\n";
    let err = loop {
        match vx.input(line) {
            Ok(n) => fed += n,
            Err(e) => break e,
        }
        assert!(fed < 1_000_000, "the flood was never refused");
    };
    assert!(matches!(err, Error::Version(VersionError::TooManyLines { .. } | VersionError::TooManyBytes { .. })));
    // One endless line, fed a byte at a time.
    let mut vx = client_vx();
    let err = (0..10_000).find_map(|_| vx.input(b"A").err()).expect("refused");
    assert!(matches!(err, Error::Version(VersionError::LineTooLong { .. })));
    // NUL bytes in the banner.
    let mut vx = client_vx();
    assert!(matches!(vx.input(b"hi\0there\r\n"), Err(Error::Version(VersionError::NonPrintable { byte: 0, .. }))));
}

#[test]
fn padding_length_beyond_packet_length() {
    let mut bytes = 12u32.to_be_bytes().to_vec();
    bytes.push(255);
    bytes.extend_from_slice(&[0; 11]);
    let mut dec = PacketDecoder::default();
    let mut used = 0;
    let err = loop {
        match dec.input(&bytes[used..]) {
            Ok(n) => used += n,
            Err(e) => break e,
        }
    };
    assert_eq!(err, Error::Packet(PacketError::PaddingOverrun { padding: 255, length: 12 }));
}

#[test]
fn over_limit_packet_lengths_are_refused_from_four_bytes() {
    for length in [DEFAULT + 8, 1 << 24, u32::MAX - 3] {
        let mut dec = PacketDecoder::default();
        assert!(matches!(dec.input(&length.to_be_bytes()), Err(Error::Packet(PacketError::TooLong { .. }))));
    }
}
const DEFAULT: u32 = puressh::transport::packet::DEFAULT_MAX_PACKET_LEN;

/// A KEXINIT body with `name` in the KEX list.
fn kexinit_with_kex_name(name: &[u8]) -> Vec<u8> {
    let mut w = Writer::new();
    w.byte(20);
    for _ in 0..16 {
        w.byte(0);
    }
    w.string(name);
    for _ in 0..9 {
        w.string(b"none");
    }
    w.boolean(false).u32(0);
    w.into_bytes()
}

#[test]
fn non_printable_and_over_long_kexinit_names() {
    let err = Message::decode(&kexinit_with_kex_name(b"curve25519-sha256,evil\x1b[2J")).unwrap_err();
    assert_eq!(err, WireError::MalformedNameList { offset: 17 });
    let long = format!("curve25519-sha256,{}", "x".repeat(1000));
    assert_eq!(
        Message::decode(&kexinit_with_kex_name(long.as_bytes())).unwrap_err(),
        WireError::NameTooLong { len: 1000, offset: 17 }
    );
    // A name-list whose length runs past the packet.
    let mut bytes = kexinit_with_kex_name(b"a");
    bytes[17..21].copy_from_slice(&u32::MAX.to_be_bytes());
    assert!(matches!(Message::decode(&bytes), Err(WireError::Truncated { .. })));
    // The unknown-but-valid name is fine, and never negotiated.
    let ok = Message::decode(&kexinit_with_kex_name(b"future@example.org")).unwrap();
    assert!(matches!(ok, Message::KexInit(KexInit { .. })));
}

/// Terrapin (CVE-2023-48795): the attacker injects an IGNORE before the
/// server's NEWKEYS so that, without strict KEX, the client's sequence
/// numbers shift and a later packet can be deleted unnoticed. Under
/// strict KEX the IGNORE itself is fatal.
#[test]
fn terrapin_ignore_before_newkeys_is_fatal_under_strict_kex() {
    let client = our_kexinit(Role::Client, &Preferences::registry_defaults(), true, &mut Zero);
    let server = our_kexinit(Role::Server, &Preferences::registry_defaults(), true, &mut Zero);
    let negotiated = negotiate(&client, &server).unwrap();
    assert!(negotiated.strict);

    // The server's packets as the attacker delivers them.
    let mut enc = PacketEncoder::default();
    let mut wire = Vec::new();
    for m in [
        Message::KexInit(server),
        Message::Other { number: MsgNumber::KEX_ECDH_REPLY, body: vec![0; 8] },
        Message::Ignore(Ignore { data: b"injected".to_vec() }),
        Message::NewKeys(NewKeys),
    ] {
        enc.encode(&m.to_bytes(), &mut Zero, &mut wire).unwrap();
    }

    let mut dec = PacketDecoder::default();
    let mut rules = KexRules::new();
    let mut rest = &wire[..];
    let result = loop {
        let used = dec.input(rest).unwrap();
        rest = &rest[used..];
        let packet = dec.take_packet().expect("whole packets were fed");
        let number = MsgNumber(packet.payload[0]);
        match rules.on_receive(number, packet.sequence) {
            Ok(Verdict::Accept) if number == MsgNumber::KEXINIT => rules.negotiated(negotiated.strict).unwrap(),
            Ok(Verdict::Accept) => {}
            other => break other,
        }
    };
    assert_eq!(result, Err(KexError::StrictViolation { number: 2, sequence: 2 }));
    assert!(!rest.is_empty(), "NEWKEYS was never reached");
}

#[test]
fn unsolicited_channel_replies_and_overflowing_adjusts() {
    let mut conn = Connection::default();
    let confirm = ChannelOpenConfirmation {
        recipient_channel: 42,
        sender_channel: 0,
        initial_window: 0,
        max_packet: 0,
        data: vec![],
    };
    assert_eq!(
        conn.handle(&Message::from(confirm).to_bytes()),
        Err(Error::Channel(ChannelError::UnsolicitedOpenReply { channel: 42 }))
    );
    // Poisoned: the next message is refused with the same error.
    assert!(conn.handle(&[99, 0, 0, 0, 0]).is_err());

    let mut conn = Connection::default();
    let id = conn.open_session().unwrap();
    let confirm = ChannelOpenConfirmation {
        recipient_channel: id,
        sender_channel: 5,
        initial_window: u32::MAX,
        max_packet: 32768,
        data: vec![],
    };
    conn.handle(&Message::from(confirm).to_bytes()).unwrap();
    let adjust = ChannelWindowAdjust { recipient_channel: id, bytes_to_add: 1 };
    assert!(matches!(
        conn.handle(&Message::from(adjust).to_bytes()),
        Err(Error::Channel(ChannelError::WindowOverflow { .. }))
    ));
    assert_eq!(
        Error::Channel(ChannelError::WindowOverflow { channel: 0, window: 0, add: 0 }).disconnect_reason(),
        Some(puressh::msg::DisconnectReason::PROTOCOL_ERROR)
    );
}
