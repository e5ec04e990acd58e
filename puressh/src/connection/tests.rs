//! Unit tests of the connection protocol core.

use super::*;
use crate::msg::{ChannelExtendedData, ChannelOpenConfirmation, ChannelSuccess, RequestSuccess};

fn payload(m: impl Into<Message>) -> Vec<u8> {
    m.into().to_bytes()
}

fn drain(c: &mut Connection) -> Vec<Message> {
    std::iter::from_fn(|| c.poll_output()).map(|p| Message::decode(&p).unwrap()).collect()
}

fn events(c: &mut Connection) -> Vec<Event> {
    std::iter::from_fn(|| c.poll_event()).collect()
}

/// A connection with channel 0 open; the peer calls it 7.
fn open_session(window: u32, max_packet: u32) -> Connection {
    let mut c = Connection::new(ConnectionConfig { initial_window: 1000, max_packet: 100, max_channels: 4 });
    assert_eq!(c.open_session().unwrap(), 0);
    let sent = drain(&mut c);
    assert!(matches!(
        &sent[..],
        [Message::ChannelOpen(ChannelOpen { kind: ChannelOpenKind::Session, initial_window: 1000, .. })]
    ));
    c.handle(&payload(ChannelOpenConfirmation {
        recipient_channel: 0,
        sender_channel: 7,
        initial_window: window,
        max_packet,
        data: vec![],
    }))
    .unwrap();
    assert_eq!(events(&mut c), [Event::Opened { channel: 0 }]);
    c
}

#[test]
fn exec_session_lifecycle() {
    let mut c = open_session(10, 4);
    c.request(0, ChannelRequestKind::Exec { command: b"true".to_vec() }, true).unwrap();
    assert_eq!(c.send_data(0, b"hello world").unwrap(), 10, "window-limited");
    let sent = drain(&mut c);
    assert_eq!(sent.len(), 4, "request + 3 chunks of <= 4 bytes");
    assert!(matches!(&sent[1], Message::ChannelData(ChannelData { recipient_channel: 7, data }) if data == b"hell"));
    assert_eq!(c.send_data(0, b"d").unwrap(), 0);
    c.handle(&payload(ChannelWindowAdjust { recipient_channel: 0, bytes_to_add: 5 })).unwrap();
    c.handle(&payload(ChannelSuccess { recipient_channel: 0 })).unwrap();
    c.handle(&payload(ChannelData { recipient_channel: 0, data: b"out".to_vec() })).unwrap();
    c.handle(&payload(ChannelExtendedData { recipient_channel: 0, data_type: 1, data: b"err".to_vec() })).unwrap();
    c.handle(&payload(ChannelRequest {
        recipient_channel: 0,
        want_reply: false,
        kind: ChannelRequestKind::ExitStatus { status: 0 },
    }))
    .unwrap();
    c.handle(&payload(ChannelEof { recipient_channel: 0 })).unwrap();
    c.send_eof(0).unwrap();
    assert!(matches!(c.send_data(0, b"x"), Err(Error::Misuse(MisuseError::SendAfterEnd { channel: 0 }))));
    c.handle(&payload(ChannelClose { recipient_channel: 0 })).unwrap();
    assert_eq!(
        events(&mut c),
        [
            Event::WindowAdjusted { channel: 0, available: 5 },
            Event::RequestReply { channel: 0, success: true },
            Event::Data { channel: 0, data: b"out".to_vec() },
            Event::ExtendedData { channel: 0, data_type: 1, data: b"err".to_vec() },
            Event::Request { channel: 0, kind: ChannelRequestKind::ExitStatus { status: 0 } },
            Event::Eof { channel: 0 },
            Event::Closed { channel: 0 },
        ]
    );
    let sent = drain(&mut c);
    assert!(matches!(
        &sent[..],
        [Message::ChannelEof(_), Message::ChannelClose(ChannelClose { recipient_channel: 7 })]
    ));
    // The number is free again, and the old one is unknown.
    assert!(matches!(
        c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![1] })),
        Err(Error::Channel(ChannelError::UnknownChannel { number: 94, channel: 0 }))
    ));
}

#[test]
fn our_close_first_then_peer_close() {
    let mut c = open_session(10, 10);
    c.close(0).unwrap();
    assert!(c.close(0).is_err(), "no second CLOSE");
    c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![1] })).unwrap();
    c.handle(&payload(ChannelClose { recipient_channel: 0 })).unwrap();
    let sent = drain(&mut c);
    assert_eq!(sent.len(), 1, "CLOSE is not sent twice");
    assert_eq!(events(&mut c).last(), Some(&Event::Closed { channel: 0 }));
}

#[test]
fn window_is_replenished_and_enforced() {
    let mut c = open_session(10, 10);
    for _ in 0..6 {
        c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![0; 100] })).unwrap();
    }
    let adjust = drain(&mut c);
    assert_eq!(adjust, [Message::ChannelWindowAdjust(ChannelWindowAdjust { recipient_channel: 7, bytes_to_add: 600 })]);
    assert!(matches!(
        c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![0; 101] })),
        Err(Error::Channel(ChannelError::PacketTooLarge { len: 101, max: 100, .. }))
    ));
    // Poisoned from now on.
    assert!(c.handle(&payload(ChannelEof { recipient_channel: 0 })).is_err());
    assert!(c.open_session().is_err());
}

#[test]
fn data_beyond_window_is_refused() {
    let mut c = Connection::new(ConnectionConfig { initial_window: 150, max_packet: 100, max_channels: 4 });
    c.open_session().unwrap();
    c.handle(&payload(ChannelOpenConfirmation {
        recipient_channel: 0,
        sender_channel: 1,
        initial_window: 0,
        max_packet: 0,
        data: vec![],
    }))
    .unwrap();
    c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![0; 70] })).unwrap();
    assert_eq!(
        c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![0; 100] })),
        Err(Error::Channel(ChannelError::WindowExceeded { channel: 0, len: 100, window: 80 }))
    );
}

#[test]
fn unsolicited_replies_are_refused() {
    let mut c = Connection::default();
    let failure = ChannelOpenFailure {
        recipient_channel: 3,
        reason: OpenFailureReason::CONNECT_FAILED,
        description: String::new(),
        language: String::new(),
    };
    assert_eq!(c.handle(&payload(failure)), Err(Error::Channel(ChannelError::UnsolicitedOpenReply { channel: 3 })));
    let mut c = open_session(10, 10);
    let confirm = ChannelOpenConfirmation {
        recipient_channel: 0,
        sender_channel: 9,
        initial_window: 1,
        max_packet: 1,
        data: vec![],
    };
    assert_eq!(c.handle(&payload(confirm)), Err(Error::Channel(ChannelError::UnsolicitedOpenReply { channel: 0 })));
    let mut c = open_session(10, 10);
    assert_eq!(
        c.handle(&payload(ChannelSuccess { recipient_channel: 0 })),
        Err(Error::Channel(ChannelError::UnsolicitedReply { channel: Some(0) }))
    );
    let mut c = Connection::default();
    assert_eq!(
        c.handle(&payload(RequestSuccess::default())),
        Err(Error::Channel(ChannelError::UnsolicitedReply { channel: None }))
    );
}

#[test]
fn window_adjust_overflow_is_refused() {
    let mut c = open_session(u32::MAX - 1, 32768);
    c.handle(&payload(ChannelWindowAdjust { recipient_channel: 0, bytes_to_add: 1 })).unwrap();
    assert!(matches!(
        c.handle(&payload(ChannelWindowAdjust { recipient_channel: 0, bytes_to_add: 1 })),
        Err(Error::Channel(ChannelError::WindowOverflow { window: u32::MAX, add: 1, .. }))
    ));
}

#[test]
fn messages_before_confirmation_and_foreign_numbers_are_refused() {
    let mut c = Connection::default();
    c.open_session().unwrap();
    assert!(matches!(
        c.handle(&payload(ChannelData { recipient_channel: 0, data: vec![] })),
        Err(Error::Channel(ChannelError::NotOpen { .. }))
    ));
    let mut c = Connection::default();
    assert!(matches!(
        c.handle(&[2, 0, 0, 0, 0]),
        Err(Error::Channel(ChannelError::NotConnectionMessage { number: 2 }))
    ));
    let mut c = Connection::default();
    assert!(matches!(c.handle(&[94, 0]), Err(Error::Decode(_))));
}

#[test]
fn peer_opens_and_requests_are_refused_politely() {
    let mut c = open_session(10, 10);
    c.handle(&payload(ChannelOpen {
        sender_channel: 5,
        initial_window: 1,
        max_packet: 1,
        kind: ChannelOpenKind::Session,
    }))
    .unwrap();
    c.handle(&payload(ChannelRequest {
        recipient_channel: 0,
        want_reply: true,
        kind: ChannelRequestKind::Other { name: "keepalive@openssh.com".into(), data: vec![] },
    }))
    .unwrap();
    c.handle(&payload(GlobalRequest {
        want_reply: true,
        kind: GlobalRequestKind::Other { name: "keepalive@openssh.com".into(), data: vec![] },
    }))
    .unwrap();
    let sent = drain(&mut c);
    assert!(
        matches!(&sent[0], Message::ChannelOpenFailure(f) if f.recipient_channel == 5 && f.reason == OpenFailureReason::ADMINISTRATIVELY_PROHIBITED)
    );
    assert_eq!(sent[1], Message::ChannelFailure(ChannelFailure { recipient_channel: 7 }));
    assert_eq!(sent[2], Message::RequestFailure(RequestFailure));
    c.global_request(GlobalRequestKind::Other { name: "x".into(), data: vec![] }, true).unwrap();
    c.handle(&payload(RequestSuccess { data: vec![1] })).unwrap();
    assert_eq!(events(&mut c).last(), Some(&Event::GlobalReply { success: true, data: vec![1] }));
}

#[test]
fn channel_limit() {
    let mut c = Connection::new(ConnectionConfig { initial_window: 1, max_packet: 1, max_channels: 2 });
    c.open_session().unwrap();
    c.open_session().unwrap();
    assert_eq!(c.open_session(), Err(Error::Misuse(MisuseError::TooManyChannels { limit: 2 })));
}

fn agent_open(sender_channel: u32) -> Vec<u8> {
    payload(ChannelOpen {
        sender_channel,
        initial_window: 64,
        max_packet: 32,
        kind: ChannelOpenKind::Other { name: AGENT_CHANNEL.into(), data: vec![] },
    })
}

#[test]
fn agent_channels_are_refused_unless_accepted() {
    let mut c = open_session(100, 100);
    c.handle(&agent_open(9)).unwrap();
    assert!(matches!(
        &drain(&mut c)[..],
        [Message::ChannelOpenFailure(ChannelOpenFailure { recipient_channel: 9, .. })]
    ));
    assert_eq!(events(&mut c), [Event::PeerOpenRefused { kind: AGENT_CHANNEL.into() }]);
    assert_eq!(c.poll_agent_event(), None);
}

#[test]
fn accepted_agent_channels_have_their_own_events() {
    let mut c = open_session(100, 100);
    c.accept_agent_channels(true);
    c.handle(&agent_open(9)).unwrap();
    // Channel 0 is the session: the agent channel gets 1.
    assert!(matches!(
        &drain(&mut c)[..],
        [Message::ChannelOpenConfirmation(ChannelOpenConfirmation { recipient_channel: 9, sender_channel: 1, .. })]
    ));
    c.handle(&payload(ChannelData { recipient_channel: 1, data: b"req".to_vec() })).unwrap();
    c.handle(&payload(ChannelData { recipient_channel: 0, data: b"out".to_vec() })).unwrap();
    // The session's data stays with the application; the agent's goes apart.
    assert_eq!(events(&mut c), [Event::Data { channel: 0, data: b"out".to_vec() }]);
    assert_eq!(c.poll_agent_event(), Some(Event::PeerOpened { channel: 1, kind: AGENT_CHANNEL.into() }));
    assert_eq!(c.poll_agent_event(), Some(Event::Data { channel: 1, data: b"req".to_vec() }));
    // Answers honour the peer's window (64) and packet size (32).
    assert_eq!(c.send_data(1, &[7; 100]).unwrap(), 64);
    assert_eq!(drain(&mut c).len(), 2);
    c.handle(&payload(ChannelClose { recipient_channel: 1 })).unwrap();
    assert!(matches!(&drain(&mut c)[..], [Message::ChannelClose(ChannelClose { recipient_channel: 9 })]));
    assert_eq!(c.poll_agent_event(), Some(Event::Closed { channel: 1 }));
    // Number 1 is free again and a later channel there is the application's.
    assert_eq!(c.open_session().unwrap(), 1);
    assert_eq!(c.poll_agent_event(), None);
}
