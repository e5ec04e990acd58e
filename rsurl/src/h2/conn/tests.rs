//! The client connection against a scripted server: handshake, a whole
//! exchange, CONTINUATION, PING, flow control both ways and the
//! connection errors with the codes RFC 9113 assigns.

use super::*;

/// Frames a scripted server sends.
fn server_frame(kind: u8, flags: u8, stream: u32, payload: &[u8]) -> Vec<u8> {
    let mut b = Vec::new();
    frame::write_frame(&mut b, kind, flags, stream, payload);
    b
}

fn response_block(fields: &[(&str, &str)]) -> Vec<u8> {
    let f: Vec<(&[u8], &[u8])> = fields.iter().map(|(n, v)| (n.as_bytes(), v.as_bytes())).collect();
    let mut out = Vec::new();
    Encoder::new(4096).encode(&f, &mut out);
    out
}

/// All frames in `out` as (type, flags, stream, payload).
fn frames(out: &[u8]) -> Vec<(u8, u8, u32, Vec<u8>)> {
    let mut v = Vec::new();
    let mut rest = out;
    while rest.len() >= frame::HEADER_LEN {
        let len = usize::from(rest[0]) << 16 | usize::from(rest[1]) << 8 | usize::from(rest[2]);
        let stream = u32::from_be_bytes([rest[5], rest[6], rest[7], rest[8]]);
        v.push((rest[3], rest[4], stream, rest[9..9 + len].to_vec()));
        rest = &rest[9 + len..];
    }
    v
}

fn started() -> ClientConn {
    let mut c = ClientConn::new(64 * 1024);
    let out = c.take_output();
    assert!(out.starts_with(frame::PREFACE));
    let f = frames(&out[frame::PREFACE.len()..]);
    assert_eq!((f[0].0, f[1].0), (kind::SETTINGS, kind::WINDOW_UPDATE));
    c
}

#[test]
fn settings_are_acknowledged_and_applied() {
    let mut c = started();
    let mut s = Vec::new();
    frame::write_settings(&mut s, &[(setting::MAX_FRAME_SIZE, 20_000), (setting::HEADER_TABLE_SIZE, 0)]);
    assert_eq!(c.input(&s).unwrap(), s.len());
    assert_eq!(frames(&c.take_output()), [(kind::SETTINGS, flag::ACK, 0, vec![])]);
    let id = c.open_stream(&[(b":method", b"GET")], true).unwrap();
    let f = frames(&c.take_output());
    // The table shrink to 0 is announced first (0x20), then GET (0x82).
    assert_eq!(f, [(kind::HEADERS, flag::END_STREAM | flag::END_HEADERS, id, vec![0x20, 0x82])]);
}

#[test]
fn a_whole_exchange_with_continuation_and_padding() {
    let mut c = started();
    let id = c.open_stream(&[(b":method", b"GET"), (b":path", b"/")], true).unwrap();
    assert_eq!(id, 1);
    c.take_output();
    let block = response_block(&[(":status", "200"), ("content-type", "text/plain")]);
    let (a, b) = block.split_at(3);
    let mut wire = server_frame(kind::HEADERS, 0, 1, a);
    wire.extend(server_frame(kind::CONTINUATION, flag::END_HEADERS, 1, b));
    wire.extend(server_frame(kind::DATA, flag::PADDED | flag::END_STREAM, 1, &[3, b'o', b'k', 0, 0, 0]));
    // Fed one byte at a time, frames complete only at their end.
    let mut pending = Vec::new();
    for byte in &wire {
        pending.push(*byte);
        let n = c.input(&pending).unwrap();
        pending.drain(..n);
    }
    assert!(pending.is_empty());
    let Some(Event::Headers { stream: 1, fields, end_stream: false }) = c.poll_event() else { panic!() };
    assert_eq!(fields[0], (b":status".to_vec(), b"200".to_vec()));
    assert_eq!(c.poll_event(), Some(Event::Data { stream: 1, data: b"ok".to_vec(), end_stream: true }));
    assert_eq!(c.poll_event(), None);
}

#[test]
fn ping_is_answered_and_goaway_reported() {
    let mut c = started();
    c.input(&server_frame(kind::PING, 0, 0, b"12345678")).unwrap();
    assert_eq!(frames(&c.take_output()), [(kind::PING, flag::ACK, 0, b"12345678".to_vec())]);
    c.input(&server_frame(kind::PING, flag::ACK, 0, b"12345678")).unwrap();
    assert!(c.take_output().is_empty());
    c.input(&server_frame(kind::GOAWAY, 0, 0, &[0, 0, 0, 0, 0, 0, 0, 0])).unwrap();
    assert_eq!(c.poll_event(), Some(Event::GoAway { last_stream: 0, code: ErrorCode::NO_ERROR }));
    assert!(!c.can_open());
    assert!(matches!(c.open_stream(&[], true), Err(H2Error::GoAway { .. })));
}

#[test]
fn send_window_limits_data_until_window_update() {
    let mut c = started();
    let id = c.open_stream(&[(b":method", b"POST")], false).unwrap();
    c.take_output();
    let body = vec![7u8; 70_000];
    let mut sent = 0;
    loop {
        let n = c.send_data(id, &body[sent..], true);
        if n == 0 {
            break;
        }
        sent += n;
    }
    assert_eq!(sent, 65_535);
    assert!(frames(&c.take_output()).iter().all(|f| f.0 == kind::DATA && f.3.len() <= 16_384));
    c.input(&server_frame(kind::WINDOW_UPDATE, 0, 0, &10_000u32.to_be_bytes())).unwrap();
    assert_eq!(c.send_data(id, &body[sent..], true), 0, "the stream window is still closed");
    c.input(&server_frame(kind::WINDOW_UPDATE, 0, id, &10_000u32.to_be_bytes())).unwrap();
    assert_eq!(c.send_data(id, &body[sent..], true), 70_000 - 65_535);
    let f = frames(&c.take_output());
    assert_eq!(f.last().map(|f| f.1), Some(flag::END_STREAM));
}

#[test]
fn receive_window_is_enforced_and_reopened() {
    let mut c = started();
    let id = c.open_stream(&[(b":method", b"GET")], true).unwrap();
    c.take_output();
    c.input(&server_frame(kind::HEADERS, flag::END_HEADERS, id, &response_block(&[(":status", "200")]))).unwrap();
    let chunk = vec![0u8; 16_384];
    let mut got = 0usize;
    while got + chunk.len() <= WINDOW as usize {
        c.input(&server_frame(kind::DATA, 0, id, &chunk)).unwrap();
        got += chunk.len();
    }
    // Nothing released yet: no WINDOW_UPDATE, and one more frame overflows.
    assert!(c.take_output().is_empty());
    let mut c2 = c.clone();
    let e = c2.input(&server_frame(kind::DATA, 0, id, &chunk)).unwrap_err();
    assert!(matches!(e, H2Error::Protocol { code: ErrorCode::FLOW_CONTROL_ERROR, .. }));
    assert_eq!(frames(&c2.take_output())[0].0, kind::GOAWAY);
    c.release(id, got);
    let f = frames(&c.take_output());
    assert_eq!(f.iter().filter(|f| f.0 == kind::WINDOW_UPDATE).count(), 2);
    c.input(&server_frame(kind::DATA, 0, id, &chunk)).unwrap();
}

#[test]
fn connection_errors_carry_rfc_codes() {
    let code = |wire: Vec<u8>| {
        let mut c = started();
        c.open_stream(&[(b":method", b"GET")], true).unwrap();
        c.take_output();
        let e = c.input(&wire).unwrap_err();
        let f = frames(&c.take_output());
        assert_eq!(f[0].0, kind::GOAWAY);
        assert_eq!(c.input(&[]).unwrap_err(), e, "poisoned");
        e.goaway_code().unwrap()
    };
    let block = response_block(&[(":status", "200")]);
    let mut interleaved = server_frame(kind::HEADERS, 0, 1, &block[..1]);
    interleaved.extend(server_frame(kind::PING, 0, 0, &[0; 8]));
    assert_eq!(code(interleaved), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(code(server_frame(kind::CONTINUATION, flag::END_HEADERS, 1, &block)), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(code(server_frame(kind::HEADERS, flag::END_HEADERS, 1, &[0xff])), ErrorCode::COMPRESSION_ERROR);
    assert_eq!(code(server_frame(kind::HEADERS, flag::END_HEADERS, 3, &block)), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(code(server_frame(kind::DATA, 0, 2, b"x")), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(code(server_frame(kind::PUSH_PROMISE, flag::END_HEADERS, 1, &[0, 0, 0, 2])), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(code(server_frame(kind::WINDOW_UPDATE, 0, 0, &[0; 4])), ErrorCode::PROTOCOL_ERROR);
    assert_eq!(
        code(server_frame(kind::WINDOW_UPDATE, 0, 0, &0x7fff_ffffu32.to_be_bytes())),
        ErrorCode::FLOW_CONTROL_ERROR
    );
    assert_eq!(code(server_frame(kind::DATA, 0, 1, &vec![0; 16_385])), ErrorCode::FRAME_SIZE_ERROR);
    let mut s = Vec::new();
    frame::write_settings(&mut s, &[(setting::MAX_FRAME_SIZE, 100)]);
    assert_eq!(code(s), ErrorCode::PROTOCOL_ERROR);
    let mut s = Vec::new();
    frame::write_settings(&mut s, &[(setting::INITIAL_WINDOW_SIZE, 0x8000_0000)]);
    assert_eq!(code(s), ErrorCode::FLOW_CONTROL_ERROR);
}

#[test]
fn stream_reset_and_stream_window_errors_stay_on_the_stream() {
    let mut c = started();
    let id = c.open_stream(&[(b":method", b"GET")], true).unwrap();
    c.input(&server_frame(kind::RST_STREAM, 0, id, &ErrorCode::REFUSED_STREAM.0.to_be_bytes())).unwrap();
    assert_eq!(c.poll_event(), Some(Event::Reset { stream: id, code: ErrorCode::REFUSED_STREAM }));
    assert!(c.is_idle());
    // DATA for the reset stream is dropped, not an error.
    c.input(&server_frame(kind::DATA, 0, id, b"late")).unwrap();
    let id = c.open_stream(&[(b":method", b"GET")], true).unwrap();
    c.take_output();
    c.input(&server_frame(kind::WINDOW_UPDATE, 0, id, &[0; 4])).unwrap();
    assert_eq!(frames(&c.take_output())[0].0, kind::RST_STREAM);
    assert_eq!(c.poll_event(), Some(Event::Reset { stream: id, code: ErrorCode::PROTOCOL_ERROR }));
}
