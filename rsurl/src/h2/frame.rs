//! HTTP/2 frames (RFC 9113 §4, §6): the 9-byte header, each frame type's
//! payload rules, padding, and the writers the client needs.
//!
//! Entry points: [`parse`] (one frame from the front of a buffer, or
//! `None` until it is complete) and the `write_*` functions. Lengths are
//! checked against SETTINGS_MAX_FRAME_SIZE before anything is buffered.

use super::{ErrorCode, H2Error};

/// The frame header's length.
pub const HEADER_LEN: usize = 9;
/// The default and smallest SETTINGS_MAX_FRAME_SIZE.
pub const DEFAULT_MAX_FRAME_SIZE: u32 = 16_384;
/// The largest SETTINGS_MAX_FRAME_SIZE a peer may announce.
pub const MAX_MAX_FRAME_SIZE: u32 = 16_777_215;
/// The connection preface the client sends first (§3.4).
pub const PREFACE: &[u8] = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

/// Frame type codes.
pub mod kind {
    /// DATA.
    pub const DATA: u8 = 0x0;
    /// HEADERS.
    pub const HEADERS: u8 = 0x1;
    /// PRIORITY.
    pub const PRIORITY: u8 = 0x2;
    /// RST_STREAM.
    pub const RST_STREAM: u8 = 0x3;
    /// SETTINGS.
    pub const SETTINGS: u8 = 0x4;
    /// PUSH_PROMISE.
    pub const PUSH_PROMISE: u8 = 0x5;
    /// PING.
    pub const PING: u8 = 0x6;
    /// GOAWAY.
    pub const GOAWAY: u8 = 0x7;
    /// WINDOW_UPDATE.
    pub const WINDOW_UPDATE: u8 = 0x8;
    /// CONTINUATION.
    pub const CONTINUATION: u8 = 0x9;
}

/// Frame flags.
pub mod flag {
    /// END_STREAM (DATA, HEADERS).
    pub const END_STREAM: u8 = 0x1;
    /// ACK (SETTINGS, PING).
    pub const ACK: u8 = 0x1;
    /// END_HEADERS (HEADERS, PUSH_PROMISE, CONTINUATION).
    pub const END_HEADERS: u8 = 0x4;
    /// PADDED (DATA, HEADERS, PUSH_PROMISE).
    pub const PADDED: u8 = 0x8;
    /// PRIORITY (HEADERS).
    pub const PRIORITY: u8 = 0x20;
}

/// SETTINGS identifiers (§6.5.2).
pub mod setting {
    /// SETTINGS_HEADER_TABLE_SIZE.
    pub const HEADER_TABLE_SIZE: u16 = 0x1;
    /// SETTINGS_ENABLE_PUSH.
    pub const ENABLE_PUSH: u16 = 0x2;
    /// SETTINGS_MAX_CONCURRENT_STREAMS.
    pub const MAX_CONCURRENT_STREAMS: u16 = 0x3;
    /// SETTINGS_INITIAL_WINDOW_SIZE.
    pub const INITIAL_WINDOW_SIZE: u16 = 0x4;
    /// SETTINGS_MAX_FRAME_SIZE.
    pub const MAX_FRAME_SIZE: u16 = 0x5;
    /// SETTINGS_MAX_HEADER_LIST_SIZE.
    pub const MAX_HEADER_LIST_SIZE: u16 = 0x6;
}

/// One parsed frame, borrowing its payload (padding removed).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Frame<'a> {
    /// DATA; `flow_len` is the whole payload length, padding included,
    /// which is what flow control counts.
    Data {
        /// Stream.
        stream: u32,
        /// The data.
        data: &'a [u8],
        /// END_STREAM.
        end_stream: bool,
        /// Bytes counted against the flow-control windows.
        flow_len: u32,
    },
    /// HEADERS (the priority fields skipped).
    Headers {
        /// Stream.
        stream: u32,
        /// The header block fragment.
        block: &'a [u8],
        /// END_STREAM.
        end_stream: bool,
        /// END_HEADERS.
        end_headers: bool,
    },
    /// PRIORITY (deprecated; ignored).
    Priority {
        /// Stream.
        stream: u32,
    },
    /// RST_STREAM.
    RstStream {
        /// Stream.
        stream: u32,
        /// Error code.
        code: ErrorCode,
    },
    /// SETTINGS: the raw 6-byte entries (see [`settings`]).
    Settings {
        /// ACK flag.
        ack: bool,
        /// The parameters, 6 bytes each.
        params: &'a [u8],
    },
    /// PUSH_PROMISE.
    PushPromise {
        /// Stream.
        stream: u32,
    },
    /// PING.
    Ping {
        /// ACK flag.
        ack: bool,
        /// Opaque data.
        data: [u8; 8],
    },
    /// GOAWAY.
    GoAway {
        /// Last stream the peer will process.
        last_stream: u32,
        /// Error code.
        code: ErrorCode,
    },
    /// WINDOW_UPDATE.
    WindowUpdate {
        /// Stream (0: the connection).
        stream: u32,
        /// Window size increment (1..=2^31-1; 0 is passed on for the
        /// connection to judge).
        increment: u32,
    },
    /// CONTINUATION.
    Continuation {
        /// Stream.
        stream: u32,
        /// The header block fragment.
        block: &'a [u8],
        /// END_HEADERS.
        end_headers: bool,
    },
    /// A frame type this implementation ignores (§4.1: must be ignored).
    Unknown {
        /// Its type code.
        kind: u8,
    },
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    let mut v = [0u8; 4];
    if let Some(s) = b.get(at..at + 4) {
        v.copy_from_slice(s);
    }
    u32::from_be_bytes(v)
}

fn frame_err(what: &'static str) -> H2Error {
    H2Error::proto(ErrorCode::FRAME_SIZE_ERROR, what)
}

fn proto_err(what: &'static str) -> H2Error {
    H2Error::proto(ErrorCode::PROTOCOL_ERROR, what)
}

/// Removes the padding of a PADDED frame: the pad length byte and the
/// padding itself.
fn unpad(payload: &[u8], flags: u8) -> Result<&[u8], H2Error> {
    if flags & flag::PADDED == 0 {
        return Ok(payload);
    }
    let (&pad, rest) = payload.split_first().ok_or_else(|| frame_err("padded frame without pad length"))?;
    let keep = rest.len().checked_sub(usize::from(pad)).ok_or_else(|| proto_err("padding longer than payload"))?;
    Ok(rest.get(..keep).unwrap_or_default())
}

/// Parses one frame from the front of `buf`. `Ok(None)` means more bytes
/// are needed; otherwise returns the frame and the bytes it used.
///
/// # Errors
/// A frame longer than `max_frame_size`, a payload of the wrong size for
/// its type, bad padding or a frame on the wrong stream kind.
pub fn parse(buf: &[u8], max_frame_size: u32) -> Result<Option<(Frame<'_>, usize)>, H2Error> {
    let Some(head) = buf.first_chunk::<HEADER_LEN>() else { return Ok(None) };
    let len = u32::from_be_bytes([0, head[0], head[1], head[2]]);
    let (kind, flags) = (head[3], head[4]);
    let stream = u32_at(head, 5) & 0x7fff_ffff;
    if len > max_frame_size {
        return Err(frame_err("frame larger than SETTINGS_MAX_FRAME_SIZE"));
    }
    let total = HEADER_LEN + len as usize;
    let Some(payload) = buf.get(HEADER_LEN..total) else { return Ok(None) };
    let need_stream = || if stream == 0 { Err(proto_err("frame needs a stream")) } else { Ok(()) };
    let need_conn = || if stream == 0 { Ok(()) } else { Err(proto_err("frame only valid on stream 0")) };
    let frame = match kind {
        kind::DATA => {
            need_stream()?;
            Frame::Data {
                stream,
                data: unpad(payload, flags)?,
                end_stream: flags & flag::END_STREAM != 0,
                flow_len: len,
            }
        }
        kind::HEADERS => {
            need_stream()?;
            let mut block = unpad(payload, flags)?;
            if flags & flag::PRIORITY != 0 {
                block = block.get(5..).ok_or_else(|| frame_err("HEADERS too short for its priority"))?;
            }
            Frame::Headers {
                stream,
                block,
                end_stream: flags & flag::END_STREAM != 0,
                end_headers: flags & flag::END_HEADERS != 0,
            }
        }
        kind::PRIORITY => {
            need_stream()?;
            if len != 5 {
                return Err(frame_err("PRIORITY is not 5 bytes"));
            }
            Frame::Priority { stream }
        }
        kind::RST_STREAM => {
            need_stream()?;
            if len != 4 {
                return Err(frame_err("RST_STREAM is not 4 bytes"));
            }
            Frame::RstStream { stream, code: ErrorCode(u32_at(payload, 0)) }
        }
        kind::SETTINGS => {
            need_conn()?;
            let ack = flags & flag::ACK != 0;
            if ack && len != 0 {
                return Err(frame_err("SETTINGS ACK with a payload"));
            }
            if len % 6 != 0 {
                return Err(frame_err("SETTINGS not a multiple of 6 bytes"));
            }
            Frame::Settings { ack, params: payload }
        }
        kind::PUSH_PROMISE => {
            need_stream()?;
            Frame::PushPromise { stream }
        }
        kind::PING => {
            need_conn()?;
            let data: [u8; 8] = payload.try_into().map_err(|_| frame_err("PING is not 8 bytes"))?;
            Frame::Ping { ack: flags & flag::ACK != 0, data }
        }
        kind::GOAWAY => {
            need_conn()?;
            if len < 8 {
                return Err(frame_err("GOAWAY shorter than 8 bytes"));
            }
            Frame::GoAway { last_stream: u32_at(payload, 0) & 0x7fff_ffff, code: ErrorCode(u32_at(payload, 4)) }
        }
        kind::WINDOW_UPDATE => {
            if len != 4 {
                return Err(frame_err("WINDOW_UPDATE is not 4 bytes"));
            }
            Frame::WindowUpdate { stream, increment: u32_at(payload, 0) & 0x7fff_ffff }
        }
        kind::CONTINUATION => {
            need_stream()?;
            Frame::Continuation { stream, block: payload, end_headers: flags & flag::END_HEADERS != 0 }
        }
        other => Frame::Unknown { kind: other },
    };
    Ok(Some((frame, total)))
}

/// The (identifier, value) pairs of a SETTINGS payload.
pub fn settings(params: &[u8]) -> impl Iterator<Item = (u16, u32)> + '_ {
    params.chunks_exact(6).map(|c| ((u32_at(c, 0) >> 16) as u16, u32_at(c, 2)))
}

/// Appends a frame header.
pub fn write_header(out: &mut Vec<u8>, len: usize, kind: u8, flags: u8, stream: u32) {
    let len = (len as u32).to_be_bytes();
    out.extend_from_slice(&len[1..]);
    out.push(kind);
    out.push(flags);
    out.extend_from_slice(&(stream & 0x7fff_ffff).to_be_bytes());
}

/// Appends a whole frame.
pub fn write_frame(out: &mut Vec<u8>, kind: u8, flags: u8, stream: u32, payload: &[u8]) {
    write_header(out, payload.len(), kind, flags, stream);
    out.extend_from_slice(payload);
}

/// Appends a SETTINGS frame with `params`.
pub fn write_settings(out: &mut Vec<u8>, params: &[(u16, u32)]) {
    write_header(out, params.len() * 6, kind::SETTINGS, 0, 0);
    for (id, v) in params {
        out.extend_from_slice(&id.to_be_bytes());
        out.extend_from_slice(&v.to_be_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_padding() {
        let mut b = Vec::new();
        write_frame(&mut b, kind::DATA, flag::END_STREAM | flag::PADDED, 3, &[2, b'h', b'i', 0, 0]);
        let (f, n) = parse(&b, DEFAULT_MAX_FRAME_SIZE).unwrap().unwrap();
        assert_eq!(n, b.len());
        assert_eq!(f, Frame::Data { stream: 3, data: b"hi", end_stream: true, flow_len: 5 });
        assert_eq!(parse(&b[..b.len() - 1], DEFAULT_MAX_FRAME_SIZE).unwrap(), None);
        // Padding longer than the payload.
        let mut b = Vec::new();
        write_frame(&mut b, kind::DATA, flag::PADDED, 3, &[9, 0]);
        assert!(matches!(parse(&b, 100), Err(H2Error::Protocol { code: ErrorCode::PROTOCOL_ERROR, .. })));
    }

    #[test]
    fn size_and_stream_rules() {
        let mut b = Vec::new();
        write_frame(&mut b, kind::PING, 0, 0, &[0; 7]);
        assert!(matches!(parse(&b, 100), Err(H2Error::Protocol { code: ErrorCode::FRAME_SIZE_ERROR, .. })));
        let mut b = Vec::new();
        write_frame(&mut b, kind::SETTINGS, 0, 1, &[]);
        assert!(matches!(parse(&b, 100), Err(H2Error::Protocol { code: ErrorCode::PROTOCOL_ERROR, .. })));
        let mut b = Vec::new();
        write_frame(&mut b, kind::DATA, 0, 1, &[0; 101]);
        assert!(matches!(parse(&b, 100), Err(H2Error::Protocol { code: ErrorCode::FRAME_SIZE_ERROR, .. })));
        let mut b = Vec::new();
        write_settings(&mut b, &[(setting::INITIAL_WINDOW_SIZE, 65_535), (setting::ENABLE_PUSH, 0)]);
        let (f, _) = parse(&b, 100).unwrap().unwrap();
        let Frame::Settings { ack: false, params } = f else { panic!("{f:?}") };
        assert_eq!(settings(params).collect::<Vec<_>>(), [(4, 65_535), (2, 0)]);
        let mut b = Vec::new();
        write_frame(&mut b, 0xfa, 0, 7, b"whatever");
        assert_eq!(parse(&b, 100).unwrap().unwrap().0, Frame::Unknown { kind: 0xfa });
    }
}
