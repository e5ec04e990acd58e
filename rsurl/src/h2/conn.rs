//! The client side of an HTTP/2 connection (RFC 9113 §5, §6), sans I/O.
//!
//! Entry point: [`ClientConn`]. [`ClientConn::new`] queues the preface and
//! our SETTINGS; [`ClientConn::open_stream`] and [`ClientConn::send_data`]
//! queue a request; [`ClientConn::input`] takes received bytes and answers
//! SETTINGS, PING and flow control by itself; [`ClientConn::poll_event`]
//! hands out response headers, data, resets and GOAWAY;
//! [`ClientConn::take_output`] is what to write next. The first
//! connection error poisons the connection and queues our GOAWAY.
//!
//! Memory is bounded: a header block being reassembled from CONTINUATION
//! frames is capped, and received DATA is bounded by the windows we grant,
//! which are only reopened as the caller [`ClientConn::release`]s data.

use std::collections::VecDeque;

use super::frame::{self, Frame, flag, kind, setting};
use super::hpack::{self, Decoder, Encoder, Field};
use super::{ErrorCode, H2Error};

/// The window we grant each stream and the connection (32 MiB, as curl
/// does). It bounds what the server may send ahead of our reads, not what
/// we hold: received DATA goes straight to the output (held-back `-Z`
/// output has its own budget). A small window stalls a fast server
/// whenever the client is not scheduled: with 1 MiB, a 1 GiB download
/// over h2 took 1.4x curl's wall time on a loaded machine.
pub const WINDOW: u32 = 32 << 20;

/// The window every peer starts with (§6.9.2).
const DEFAULT_WINDOW: i64 = 65_535;

/// The largest flow-control window (§6.9.1).
const MAX_WINDOW: i64 = (1 << 31) - 1;

/// Streams we allow the server to open (none: push is off).
const OUR_MAX_STREAMS: u32 = 100;

/// What the connection reports to the driver.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A complete header block (response head, interim head or trailers).
    Headers {
        /// Stream.
        stream: u32,
        /// The decoded fields, in order.
        fields: Vec<Field>,
        /// The stream ends with this block.
        end_stream: bool,
    },
    /// Body bytes; call [`ClientConn::release`] once they are consumed.
    Data {
        /// Stream.
        stream: u32,
        /// The bytes (padding removed).
        data: Vec<u8>,
        /// The stream ends here.
        end_stream: bool,
    },
    /// The peer reset a stream.
    Reset {
        /// Stream.
        stream: u32,
        /// The peer's code.
        code: ErrorCode,
    },
    /// The peer is closing the connection; streams above `last_stream`
    /// were not processed.
    GoAway {
        /// The last stream the peer processes.
        last_stream: u32,
        /// The peer's code.
        code: ErrorCode,
    },
}

/// One of our streams.
#[derive(Debug, Clone)]
struct Stream {
    id: u32,
    /// What we may still send (the peer's window for this stream).
    send_window: i64,
    /// What the peer may still send us.
    recv_window: i64,
    /// Bytes delivered and released but not yet given back.
    unacked: u32,
    /// The peer ended its side (END_STREAM or reset).
    remote_closed: bool,
}

/// A header block being reassembled from HEADERS + CONTINUATION.
#[derive(Debug, Clone)]
struct PendingBlock {
    stream: u32,
    block: Vec<u8>,
    end_stream: bool,
}

/// The client's connection state.
#[derive(Debug, Clone)]
pub struct ClientConn {
    out: Vec<u8>,
    encoder: Encoder,
    decoder: Decoder,
    /// The peer's SETTINGS_MAX_FRAME_SIZE: what we may send.
    peer_max_frame: u32,
    /// The peer's SETTINGS_INITIAL_WINDOW_SIZE.
    peer_initial_window: i64,
    /// The peer's SETTINGS_MAX_CONCURRENT_STREAMS.
    peer_max_streams: u32,
    send_window: i64,
    recv_window: i64,
    unacked: u32,
    streams: Vec<Stream>,
    next_id: u32,
    pending: Option<PendingBlock>,
    events: VecDeque<Event>,
    goaway: Option<(u32, ErrorCode)>,
    poisoned: Option<H2Error>,
}

impl ClientConn {
    /// A connection whose decoded header lists may hold `max_list_size`
    /// bytes; the preface, our SETTINGS and the connection window update
    /// are queued for output.
    #[must_use]
    pub fn new(max_list_size: usize) -> Self {
        let mut out = frame::PREFACE.to_vec();
        frame::write_settings(
            &mut out,
            &[
                (setting::MAX_CONCURRENT_STREAMS, OUR_MAX_STREAMS),
                (setting::INITIAL_WINDOW_SIZE, WINDOW),
                (setting::ENABLE_PUSH, 0),
                (setting::MAX_HEADER_LIST_SIZE, u32::try_from(max_list_size).unwrap_or(u32::MAX)),
            ],
        );
        frame::write_frame(&mut out, kind::WINDOW_UPDATE, 0, 0, &(WINDOW - DEFAULT_WINDOW as u32).to_be_bytes());
        Self {
            out,
            encoder: Encoder::new(hpack::DEFAULT_TABLE_SIZE),
            decoder: Decoder::new(hpack::DEFAULT_TABLE_SIZE, max_list_size),
            peer_max_frame: frame::DEFAULT_MAX_FRAME_SIZE,
            peer_initial_window: DEFAULT_WINDOW,
            peer_max_streams: u32::MAX,
            send_window: DEFAULT_WINDOW,
            recv_window: i64::from(WINDOW),
            unacked: 0,
            streams: Vec::new(),
            next_id: 1,
            pending: None,
            events: VecDeque::new(),
            goaway: None,
            poisoned: None,
        }
    }

    /// Bytes to write to the peer, taken out of the connection.
    pub fn take_output(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.out)
    }

    /// The next event, oldest first.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// Puts an event back at the end of the queue (a driver that looked
    /// for one kind of event keeps the others in order).
    pub fn requeue(&mut self, event: Event) {
        self.events.push_back(event);
    }

    /// Whether a new stream may be opened (no GOAWAY, no error, under the
    /// peer's concurrency limit, stream ids left).
    #[must_use]
    pub fn can_open(&self) -> bool {
        self.goaway.is_none()
            && self.poisoned.is_none()
            && (self.streams.len() as u64) < u64::from(self.peer_max_streams)
            && self.next_id < (1 << 31)
    }

    /// Opens a stream with a request head; `end_stream` when no body
    /// follows. Returns the stream id.
    ///
    /// # Errors
    /// The connection is closing or failed.
    pub fn open_stream(&mut self, fields: &[(&[u8], &[u8])], end_stream: bool) -> Result<u32, H2Error> {
        if let Some(e) = &self.poisoned {
            return Err(e.clone());
        }
        if !self.can_open() {
            return Err(H2Error::GoAway {
                stream: self.next_id,
                code: self.goaway.map_or(ErrorCode::NO_ERROR, |g| g.1),
            });
        }
        let id = self.next_id;
        self.next_id += 2;
        let mut block = Vec::new();
        self.encoder.encode(fields, &mut block);
        let max = self.peer_max_frame as usize;
        let mut chunks = block.chunks(max).peekable();
        let first = chunks.next().unwrap_or_default();
        let mut flags = if end_stream { flag::END_STREAM } else { 0 };
        if chunks.peek().is_none() {
            flags |= flag::END_HEADERS;
        }
        frame::write_frame(&mut self.out, kind::HEADERS, flags, id, first);
        while let Some(chunk) = chunks.next() {
            let f = if chunks.peek().is_none() { flag::END_HEADERS } else { 0 };
            frame::write_frame(&mut self.out, kind::CONTINUATION, f, id, chunk);
        }
        self.streams.push(Stream {
            id,
            send_window: self.peer_initial_window,
            recv_window: i64::from(WINDOW),
            unacked: 0,
            remote_closed: false,
        });
        Ok(id)
    }

    /// Queues as much of `data` as the flow-control windows and the frame
    /// size allow on `stream`, with END_STREAM when `end` and all of it
    /// fits. Returns the bytes taken; 0 means wait for WINDOW_UPDATE (an
    /// empty `data` with `end` always goes out).
    pub fn send_data(&mut self, stream: u32, data: &[u8], end: bool) -> usize {
        let Some(s) = self.streams.iter_mut().find(|s| s.id == stream) else { return 0 };
        let room = self.send_window.min(s.send_window).min(i64::from(self.peer_max_frame)).max(0);
        let n = data.len().min(usize::try_from(room).unwrap_or(0));
        if n == 0 && !(data.is_empty() && end) {
            return 0;
        }
        let last = end && n == data.len();
        let chunk = data.get(..n).unwrap_or_default();
        frame::write_frame(&mut self.out, kind::DATA, if last { flag::END_STREAM } else { 0 }, stream, chunk);
        s.send_window -= n as i64;
        self.send_window -= n as i64;
        n
    }

    /// Gives `n` consumed bytes of `stream` back to the peer's windows
    /// (WINDOW_UPDATE once half a window is consumed).
    pub fn release(&mut self, stream: u32, n: usize) {
        let n = u32::try_from(n).unwrap_or(u32::MAX);
        self.release_conn(n);
        if let Some(s) = self.streams.iter_mut().find(|s| s.id == stream) {
            s.unacked = s.unacked.saturating_add(n);
            if s.unacked >= WINDOW / 2 && !s.remote_closed {
                frame::write_frame(&mut self.out, kind::WINDOW_UPDATE, 0, stream, &s.unacked.to_be_bytes());
                s.recv_window += i64::from(s.unacked);
                s.unacked = 0;
            }
        }
    }

    /// Grants the peer `extra` more bytes of connection window at once
    /// (a connection shared by many streams needs more than one stream's
    /// worth in flight).
    pub fn widen_connection_window(&mut self, extra: u32) {
        let extra = extra.min(u32::try_from(MAX_WINDOW - self.recv_window).unwrap_or(0));
        if extra > 0 {
            frame::write_frame(&mut self.out, kind::WINDOW_UPDATE, 0, 0, &extra.to_be_bytes());
            self.recv_window += i64::from(extra);
        }
    }

    fn release_conn(&mut self, n: u32) {
        self.unacked = self.unacked.saturating_add(n);
        if self.unacked >= WINDOW / 2 {
            frame::write_frame(&mut self.out, kind::WINDOW_UPDATE, 0, 0, &self.unacked.to_be_bytes());
            self.recv_window += i64::from(self.unacked);
            self.unacked = 0;
        }
    }

    /// Cancels `stream` (RST_STREAM) and forgets it.
    pub fn reset(&mut self, stream: u32, code: ErrorCode) {
        frame::write_frame(&mut self.out, kind::RST_STREAM, 0, stream, &code.0.to_be_bytes());
        self.forget(stream);
    }

    /// Forgets a finished stream (both sides closed).
    pub fn forget(&mut self, stream: u32) {
        self.streams.retain(|s| s.id != stream);
    }

    /// Whether no stream is open.
    #[must_use]
    pub fn is_idle(&self) -> bool {
        self.streams.is_empty()
    }

    /// Processes received bytes: every complete frame at the front of
    /// `buf`. Returns the bytes consumed (the rest is an incomplete frame).
    ///
    /// # Errors
    /// A connection error: our GOAWAY is queued and the connection is
    /// poisoned (every later call fails the same way).
    pub fn input(&mut self, buf: &[u8]) -> Result<usize, H2Error> {
        if let Some(e) = &self.poisoned {
            return Err(e.clone());
        }
        let mut used = 0;
        loop {
            let rest = buf.get(used..).unwrap_or_default();
            let step = frame::parse(rest, frame::DEFAULT_MAX_FRAME_SIZE).and_then(|parsed| match parsed {
                Some((f, n)) => self.on_frame(f).map(|()| Some(n)),
                None => Ok(None),
            });
            match step {
                Ok(Some(n)) => used += n,
                Ok(None) => return Ok(used),
                Err(e) => {
                    let code = e.goaway_code().unwrap_or(ErrorCode::PROTOCOL_ERROR);
                    let mut payload = 0u32.to_be_bytes().to_vec();
                    payload.extend_from_slice(&code.0.to_be_bytes());
                    frame::write_frame(&mut self.out, kind::GOAWAY, 0, 0, &payload);
                    self.poisoned = Some(e.clone());
                    return Err(e);
                }
            }
        }
    }

    /// A stream id the peer may talk about: one we opened.
    fn opened(&self, id: u32) -> bool {
        id % 2 == 1 && id < self.next_id
    }

    fn on_frame(&mut self, f: Frame<'_>) -> Result<(), H2Error> {
        if let Some(p) = &self.pending {
            let same = matches!(f, Frame::Continuation { stream, .. } if stream == p.stream);
            if !same {
                return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "expected CONTINUATION"));
            }
        }
        match f {
            Frame::Data { stream, data, end_stream, flow_len } => self.on_data(stream, data, end_stream, flow_len),
            Frame::Headers { stream, block, end_stream, end_headers } => {
                if !self.opened(stream) {
                    return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "HEADERS on a stream we did not open"));
                }
                let pending = PendingBlock { stream, block: block.to_vec(), end_stream };
                self.check_block_size(pending.block.len())?;
                if end_headers {
                    self.on_block(pending)
                } else {
                    self.pending = Some(pending);
                    Ok(())
                }
            }
            Frame::Continuation { stream: _, block, end_headers } => {
                let Some(mut p) = self.pending.take() else {
                    return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "CONTINUATION without HEADERS"));
                };
                p.block.extend_from_slice(block);
                self.check_block_size(p.block.len())?;
                if end_headers {
                    self.on_block(p)
                } else {
                    self.pending = Some(p);
                    Ok(())
                }
            }
            Frame::Priority { .. } | Frame::Unknown { .. } => Ok(()),
            Frame::RstStream { stream, code } => {
                if !self.opened(stream) {
                    return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "RST_STREAM on an idle stream"));
                }
                if self.streams.iter().any(|s| s.id == stream) {
                    self.forget(stream);
                    self.events.push_back(Event::Reset { stream, code });
                }
                Ok(())
            }
            Frame::Settings { ack, params } => {
                if !ack {
                    self.apply_settings(params)?;
                    frame::write_frame(&mut self.out, kind::SETTINGS, flag::ACK, 0, &[]);
                }
                Ok(())
            }
            Frame::PushPromise { .. } => {
                Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "PUSH_PROMISE with push disabled"))
            }
            Frame::Ping { ack, data } => {
                if !ack {
                    frame::write_frame(&mut self.out, kind::PING, flag::ACK, 0, &data);
                }
                Ok(())
            }
            Frame::GoAway { last_stream, code } => {
                self.goaway = Some((last_stream, code));
                self.events.push_back(Event::GoAway { last_stream, code });
                Ok(())
            }
            Frame::WindowUpdate { stream, increment } => self.on_window_update(stream, increment),
        }
    }

    fn check_block_size(&self, len: usize) -> Result<(), H2Error> {
        if len > self.decoder.max_list_size {
            return Err(H2Error::proto(ErrorCode::ENHANCE_YOUR_CALM, "header block larger than the header list limit"));
        }
        Ok(())
    }

    /// A complete header block: always decoded (the HPACK state is shared
    /// by all streams), reported when its stream is still ours.
    fn on_block(&mut self, p: PendingBlock) -> Result<(), H2Error> {
        let fields = self.decoder.decode(&p.block)?;
        if let Some(s) = self.streams.iter_mut().find(|s| s.id == p.stream && !s.remote_closed) {
            s.remote_closed |= p.end_stream;
            self.events.push_back(Event::Headers { stream: p.stream, fields, end_stream: p.end_stream });
        }
        Ok(())
    }

    fn on_data(&mut self, stream: u32, data: &[u8], end_stream: bool, flow_len: u32) -> Result<(), H2Error> {
        if !self.opened(stream) {
            return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "DATA on an idle stream"));
        }
        let flow = i64::from(flow_len);
        if flow > self.recv_window {
            return Err(H2Error::proto(ErrorCode::FLOW_CONTROL_ERROR, "DATA beyond the connection window"));
        }
        self.recv_window -= flow;
        let padding = flow_len - data.len() as u32;
        let Some(s) = self.streams.iter_mut().find(|s| s.id == stream && !s.remote_closed) else {
            // A stream we reset or that already ended: the bytes still
            // count against the connection, so give them back at once.
            self.release_conn(flow_len);
            return Ok(());
        };
        if flow > s.recv_window {
            return Err(H2Error::proto(ErrorCode::FLOW_CONTROL_ERROR, "DATA beyond the stream window"));
        }
        s.recv_window -= flow;
        s.remote_closed |= end_stream;
        self.events.push_back(Event::Data { stream, data: data.to_vec(), end_stream });
        if padding > 0 {
            self.release(stream, padding as usize);
        }
        Ok(())
    }

    fn on_window_update(&mut self, stream: u32, increment: u32) -> Result<(), H2Error> {
        let inc = i64::from(increment);
        if stream == 0 {
            if inc == 0 {
                return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "WINDOW_UPDATE of 0 on the connection"));
            }
            self.send_window += inc;
            if self.send_window > MAX_WINDOW {
                return Err(H2Error::proto(ErrorCode::FLOW_CONTROL_ERROR, "connection window above 2^31-1"));
            }
            return Ok(());
        }
        if !self.opened(stream) {
            return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "WINDOW_UPDATE on an idle stream"));
        }
        let Some(s) = self.streams.iter_mut().find(|s| s.id == stream) else { return Ok(()) };
        s.send_window += inc;
        if inc == 0 || s.send_window > MAX_WINDOW {
            // A stream error (§6.9, §6.9.1): reset only this stream.
            let code = if inc == 0 { ErrorCode::PROTOCOL_ERROR } else { ErrorCode::FLOW_CONTROL_ERROR };
            self.reset(stream, code);
            self.events.push_back(Event::Reset { stream, code });
        }
        Ok(())
    }

    fn apply_settings(&mut self, params: &[u8]) -> Result<(), H2Error> {
        for (id, value) in frame::settings(params) {
            match id {
                setting::HEADER_TABLE_SIZE => self.encoder.set_max_size(value as usize),
                setting::ENABLE_PUSH if value > 1 => {
                    return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "SETTINGS_ENABLE_PUSH above 1"));
                }
                setting::MAX_CONCURRENT_STREAMS => self.peer_max_streams = value,
                setting::INITIAL_WINDOW_SIZE => {
                    let new = i64::from(value);
                    if new > MAX_WINDOW {
                        return Err(H2Error::proto(
                            ErrorCode::FLOW_CONTROL_ERROR,
                            "SETTINGS_INITIAL_WINDOW_SIZE above 2^31-1",
                        ));
                    }
                    let delta = new - self.peer_initial_window;
                    self.peer_initial_window = new;
                    for s in &mut self.streams {
                        s.send_window += delta;
                        if s.send_window > MAX_WINDOW {
                            return Err(H2Error::proto(ErrorCode::FLOW_CONTROL_ERROR, "stream window above 2^31-1"));
                        }
                    }
                }
                setting::MAX_FRAME_SIZE => {
                    if !(frame::DEFAULT_MAX_FRAME_SIZE..=frame::MAX_MAX_FRAME_SIZE).contains(&value) {
                        return Err(H2Error::proto(ErrorCode::PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE out of range"));
                    }
                    self.peer_max_frame = value;
                }
                _ => {}
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
