//! One HTTP/2 connection shared by concurrent transfers (curl's
//! multiplexing under `-Z`), and the registry that hands it out.
//!
//! Entry points: [`Mux`] (a session behind two locks, with one event
//! queue per stream) and [`Registry`] (the sessions of a transfer context
//! by origin, and curl's "pipewait": while the first connection to an
//! origin is being set up, later transfers wait to learn whether it
//! speaks h2 instead of opening connections of their own).
//!
//! Each transfer runs on its own thread and owns one stream. Whichever
//! waiting transfer finds nobody reading becomes the reader: it reads
//! once, routes every event to its stream's queue and wakes the others.
//! Lock order is `conn` before `inbox`; the reader holds `conn` while it
//! reads, so a shared session reads in short slices to let other threads
//! open streams and send window updates in between.

use std::collections::{HashMap, VecDeque};
use std::io::{ErrorKind, Read, Write};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{H2Session, READ_CHUNK, timeout};
use crate::conn::Layer;
use crate::error::Error;
use crate::h2::conn::Event;
use crate::h2::{ErrorCode, H2Error};
use crate::transfer::lock;

/// How long a reader of a shared session holds the connection per read
/// when nothing arrives.
const SHARED_SLICE: Duration = Duration::from_millis(10);

/// Extra connection window a shared session grants (64 MiB in all, twice
/// one stream's): the streams of 50 parallel transfers must not starve
/// each other.
const SHARED_EXTRA_WINDOW: u32 = 32 << 20;

/// Why a session can no longer carry streams.
#[derive(Debug, Clone)]
enum Dead {
    /// The peer closed the connection.
    Eof,
    /// A connection error (our GOAWAY went out).
    Protocol(H2Error),
    /// Reading or writing failed.
    Io(ErrorKind, String),
}

impl Dead {
    fn to_error(&self) -> Error {
        match self {
            Self::Eof => Error::Recv(std::io::Error::new(
                ErrorKind::UnexpectedEof,
                "Connection closed before the HTTP/2 stream ended",
            )),
            Self::Protocol(e) => e.clone().into(),
            Self::Io(kind, text) => Error::Recv(std::io::Error::new(*kind, text.clone())),
        }
    }
}

/// One stream's mailbox.
#[derive(Debug, Default)]
struct Mailbox {
    events: VecDeque<Event>,
    /// Its transfer sleeps on `signal` (with the inbox lock).
    sleeping: bool,
    signal: Arc<Condvar>,
}

/// What the reader found, per stream.
#[derive(Debug, Default)]
struct Inbox {
    boxes: HashMap<u32, Mailbox>,
    /// Bytes consumed by their streams, given back by the next reader.
    releases: Vec<(u32, usize)>,
    goaway: Option<(u32, ErrorCode)>,
    dead: Option<Dead>,
    /// Some thread is reading (it holds `conn` during each read).
    reading: bool,
}

impl Inbox {
    /// Puts an event in its stream's mailbox and wakes that stream only;
    /// data for a stream nobody waits for any more is given back at once.
    fn route(&mut self, ev: Event) {
        let stream = match &ev {
            Event::Headers { stream, .. } | Event::Data { stream, .. } | Event::Reset { stream, .. } => *stream,
            Event::GoAway { last_stream, code } => {
                self.goaway = Some((*last_stream, *code));
                self.wake_all();
                return;
            }
        };
        match self.boxes.get_mut(&stream) {
            Some(b) => {
                b.events.push_back(ev);
                if b.sleeping {
                    b.signal.notify_one();
                }
            }
            None => {
                if let Event::Data { data, .. } = ev {
                    self.releases.push((stream, data.len()));
                }
            }
        }
    }

    /// The reader stopped: one sleeping stream with nothing to do takes
    /// over reading.
    fn hand_over(&self) {
        if let Some(b) = self.boxes.values().find(|b| b.sleeping && b.events.is_empty()) {
            b.signal.notify_one();
        }
    }

    fn wake_all(&self) {
        for b in self.boxes.values().filter(|b| b.sleeping) {
            b.signal.notify_one();
        }
    }

    /// Why `stream` will get no more events, if so.
    fn ended(&self, stream: u32) -> Option<Error> {
        if let Some(d) = &self.dead {
            return Some(d.to_error());
        }
        match self.goaway {
            Some((last, code)) if last < stream => Some(H2Error::GoAway { stream, code }.into()),
            _ => None,
        }
    }

    /// A reset of `stream` waiting in its mailbox (other events stay).
    fn reset_of(&self, stream: u32) -> Option<Error> {
        self.boxes.get(&stream)?.events.iter().find_map(|ev| match ev {
            Event::Reset { code, .. } => Some(Error::from(H2Error::StreamReset { stream, code: *code })),
            _ => None,
        })
    }

    fn has_events(&self, stream: u32) -> bool {
        self.boxes.get(&stream).is_some_and(|b| !b.events.is_empty())
    }
}

/// An HTTP/2 session that several transfers may use at once.
#[derive(Debug)]
pub(crate) struct Mux {
    conn: Mutex<H2Session>,
    inbox: Mutex<Inbox>,
    /// Threads waiting for `conn` (to open a stream, send, reset): the
    /// reader lets them in between reads.
    conn_waiters: AtomicUsize,
    /// Longest single read: `None` for a session one transfer uses at a
    /// time (it reads until its own deadline).
    slice: Option<Duration>,
}

/// The deadline check every wait makes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Clock {
    pub(crate) deadline: Option<Instant>,
    pub(crate) started: Instant,
    pub(crate) received: u64,
}

impl Clock {
    /// Time left, or the transfer's timeout error.
    fn left(&self) -> Result<Option<Duration>, Error> {
        match self.deadline {
            Some(d) => {
                d.checked_duration_since(Instant::now()).map(Some).ok_or_else(|| timeout(self.started, self.received))
            }
            None => Ok(None),
        }
    }
}

impl Mux {
    /// Wraps a fresh session; `shared` sessions read in short slices and
    /// grant a wider connection window.
    pub(crate) fn new(mut session: H2Session, shared: bool) -> Arc<Self> {
        if shared {
            session.core.widen_connection_window(SHARED_EXTRA_WINDOW);
        }
        Arc::new(Self {
            conn: Mutex::new(session),
            inbox: Mutex::new(Inbox::default()),
            conn_waiters: AtomicUsize::new(0),
            slice: shared.then_some(SHARED_SLICE),
        })
    }

    /// The connection, for anything but reading: counted, so the reader
    /// steps aside between reads.
    fn conn(&self) -> MutexGuard<'_, H2Session> {
        self.conn_waiters.fetch_add(1, Ordering::AcqRel);
        let conn = lock(&self.conn);
        self.conn_waiters.fetch_sub(1, Ordering::AcqRel);
        conn
    }

    /// Whether another stream may be opened now.
    pub(crate) fn can_open(&self) -> bool {
        if lock(&self.inbox).dead.is_some() {
            return false;
        }
        self.conn().core.can_open()
    }

    /// Whether the connection takes no new streams any more (it failed,
    /// or the peer sent GOAWAY).
    pub(crate) fn is_closing(&self) -> bool {
        let inbox = lock(&self.inbox);
        inbox.dead.is_some() || inbox.goaway.is_some()
    }

    /// Runs `f` on the connection's top layer (socket facts, TLS lines).
    pub(crate) fn with_io<R>(&self, f: impl FnOnce(&mut dyn Layer) -> R) -> R {
        f(self.conn().io.as_mut())
    }

    /// Opens a stream and sends its head.
    pub(crate) fn open(&self, fields: &[(&[u8], &[u8])], end_stream: bool, clock: Clock) -> Result<u32, Error> {
        let mut conn = self.conn();
        let stream = conn.core.open_stream(fields, end_stream)?;
        lock(&self.inbox).boxes.insert(stream, Mailbox::default());
        if let Err(e) = conn.flush(clock.deadline, clock.started, clock.received) {
            self.mark_dead(&e);
            return Err(e);
        }
        Ok(stream)
    }

    /// Queues and sends as much of `data` as the windows allow; 0 means
    /// wait for a window update ([`Mux::wait`]).
    pub(crate) fn send_data(&self, stream: u32, data: &[u8], end: bool, clock: Clock) -> Result<usize, Error> {
        let mut conn = self.conn();
        let n = conn.core.send_data(stream, data, end);
        conn.flush(clock.deadline, clock.started, clock.received)?;
        Ok(n)
    }

    /// The next event of `stream` (headers, data or reset), reading as
    /// needed. Data is counted as consumed: its window is given back.
    pub(crate) fn next_event(&self, stream: u32, clock: Clock) -> Result<Event, Error> {
        let mut inbox = lock(&self.inbox);
        loop {
            if let Some(ev) = inbox.boxes.get_mut(&stream).and_then(|b| b.events.pop_front()) {
                if let Event::Data { data, .. } = &ev {
                    inbox.releases.push((stream, data.len()));
                }
                return Ok(ev);
            }
            if let Some(e) = inbox.ended(stream) {
                return Err(e);
            }
            inbox =
                if inbox.reading { self.sleep(inbox, stream, clock)? } else { self.read(inbox, stream, true, clock)? };
        }
    }

    /// While sending: waits for one round of input (window updates) and
    /// reports a reset of `stream`, leaving its other events queued.
    pub(crate) fn wait(&self, stream: u32, clock: Clock) -> Result<(), Error> {
        let mut inbox = lock(&self.inbox);
        if let Some(e) = inbox.reset_of(stream).or_else(|| inbox.ended(stream)) {
            return Err(e);
        }
        inbox = if inbox.reading { self.sleep(inbox, stream, clock)? } else { self.read(inbox, stream, false, clock)? };
        match inbox.reset_of(stream).or_else(|| inbox.ended(stream)) {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Resets `stream` and forgets it (what it still had queued is given
    /// back to the connection window).
    pub(crate) fn reset(&self, stream: u32, code: ErrorCode, clock: Clock) {
        let mut conn = self.conn();
        conn.core.reset(stream, code);
        self.drop_mailbox(&mut conn, stream);
        let _ = conn.flush(clock.deadline, clock.started, clock.received);
    }

    /// Forgets a stream that ended on both sides.
    pub(crate) fn finish(&self, stream: u32) {
        let mut conn = self.conn();
        conn.core.forget(stream);
        self.drop_mailbox(&mut conn, stream);
    }

    fn drop_mailbox(&self, conn: &mut H2Session, stream: u32) {
        let mut inbox = lock(&self.inbox);
        let queued: usize = inbox
            .boxes
            .remove(&stream)
            .into_iter()
            .flat_map(|b| b.events)
            .map(|ev| if let Event::Data { data, .. } = ev { data.len() } else { 0 })
            .sum();
        for (s, n) in std::mem::take(&mut inbox.releases) {
            conn.core.release(s, n);
        }
        conn.core.release(stream, queued);
        // If the reader was waiting for this stream, someone else reads.
        if !inbox.reading {
            inbox.hand_over();
        }
    }

    /// Sleeps until `stream` gets an event, is asked to take over
    /// reading, or (for a missed wake-up) a second passed; within
    /// `clock`'s deadline.
    fn sleep<'a>(
        &self,
        mut inbox: MutexGuard<'a, Inbox>,
        stream: u32,
        clock: Clock,
    ) -> Result<MutexGuard<'a, Inbox>, Error> {
        let left = clock.left()?.unwrap_or(Duration::from_secs(1)).min(Duration::from_secs(1));
        let Some(signal) = inbox.boxes.get_mut(&stream).map(|b| {
            b.sleeping = true;
            b.signal.clone()
        }) else {
            return Ok(inbox);
        };
        let (mut inbox, _) = signal.wait_timeout(inbox, left).unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(b) = inbox.boxes.get_mut(&stream) {
            b.sleeping = false;
        }
        clock.left()?;
        Ok(inbox)
    }

    /// Becomes the reader: reads (giving back consumed bytes first and
    /// routing what arrives) until `stream` has an event when `until`,
    /// else once; then hands reading to a sleeping stream. Errors only
    /// for this caller's own deadline; a broken connection is recorded for
    /// every stream.
    fn read<'a>(
        &'a self,
        mut inbox: MutexGuard<'a, Inbox>,
        stream: u32,
        until: bool,
        clock: Clock,
    ) -> Result<MutexGuard<'a, Inbox>, Error> {
        inbox.reading = true;
        drop(inbox);
        let result = loop {
            // Whoever waits for the connection goes first.
            for _ in 0..64 {
                if self.conn_waiters.load(Ordering::Acquire) == 0 {
                    break;
                }
                std::thread::yield_now();
            }
            let mut conn = lock(&self.conn);
            let releases = std::mem::take(&mut lock(&self.inbox).releases);
            for (s, n) in releases {
                conn.core.release(s, n);
            }
            let outcome = self.fill(&mut conn, clock);
            let mut inbox = lock(&self.inbox);
            while let Some(ev) = conn.core.poll_event() {
                inbox.route(ev);
            }
            drop(conn);
            let mine = match outcome {
                Ok(true) => None,
                Ok(false) => {
                    inbox.dead.get_or_insert(Dead::Eof);
                    None
                }
                Err(Fill::Mine(e)) => Some(e),
                Err(Fill::Conn(dead)) => {
                    inbox.dead.get_or_insert(dead);
                    None
                }
            };
            if inbox.dead.is_some() {
                inbox.wake_all();
            }
            if let Some(e) = mine {
                break Err((inbox, e));
            }
            if !until || inbox.has_events(stream) || inbox.ended(stream).is_some() {
                break Ok(inbox);
            }
        };
        let (mut inbox, result) = match result {
            Ok(inbox) => (inbox, Ok(())),
            Err((inbox, e)) => (inbox, Err(e)),
        };
        inbox.reading = false;
        inbox.hand_over();
        result.map(|()| inbox)
    }

    /// One read into the session. `Ok(false)` at EOF; a slice that passed
    /// with nothing read is `Ok(true)`.
    fn fill(&self, conn: &mut H2Session, clock: Clock) -> Result<bool, Fill> {
        let left = clock.left().map_err(Fill::Mine)?;
        let wait = match (left, self.slice) {
            (Some(l), Some(s)) => Some(l.min(s)),
            (l, s) => l.or(s),
        };
        let out = conn.core.take_output();
        if !out.is_empty() {
            conn.io.set_io_timeout(left.map(|l| l.max(Duration::from_millis(1)))).map_err(Fill::io)?;
            match conn.io.write_all(&out).and_then(|()| conn.io.flush()) {
                Ok(()) => {}
                Err(e) if is_timeout(&e) => return Err(Fill::Mine(timeout(clock.started, clock.received))),
                Err(e) => return Err(Fill::io(e)),
            }
        }
        conn.io.set_io_timeout(wait.map(|w| w.max(Duration::from_millis(1)))).map_err(Fill::io)?;
        let old = conn.inbuf.len();
        conn.inbuf.resize(old + READ_CHUNK, 0);
        let read = loop {
            match conn.io.read(conn.inbuf.get_mut(old..).unwrap_or_default()) {
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                r => break r,
            }
        };
        conn.inbuf.truncate(old + *read.as_ref().unwrap_or(&0));
        let n = match read {
            Ok(n) => n,
            Err(e) if is_timeout(&e) => {
                return match clock.left() {
                    Ok(_) if self.slice.is_some() => Ok(true),
                    _ => Err(Fill::Mine(timeout(clock.started, clock.received))),
                };
            }
            Err(e) => return Err(Fill::io(e)),
        };
        if n == 0 {
            return Ok(false);
        }
        let used = conn.core.input(&conn.inbuf);
        // Our GOAWAY (if the peer erred) goes out before we give up.
        let _ = conn.flush(clock.deadline, clock.started, clock.received);
        let used = used.map_err(|e| Fill::Conn(Dead::Protocol(e)))?;
        conn.inbuf.drain(..used);
        Ok(true)
    }

    fn mark_dead(&self, e: &Error) {
        let dead = match e {
            Error::Send(io) | Error::Recv(io) => Dead::Io(io.kind(), io.to_string()),
            _ => return,
        };
        let mut inbox = lock(&self.inbox);
        inbox.dead.get_or_insert(dead);
        inbox.wake_all();
    }
}

/// Why a read failed: the caller's own deadline, or the connection.
enum Fill {
    Mine(Error),
    Conn(Dead),
}

impl Fill {
    fn io(e: std::io::Error) -> Self {
        Self::Conn(Dead::Io(e.kind(), e.to_string()))
    }
}

fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}

/// One origin's entry in a [`Registry`].
#[derive(Debug)]
enum Slot {
    /// A transfer is connecting; others may wait for it.
    Connecting,
    Ready(Arc<Mux>),
}

/// What [`Registry::claim`] gives a transfer.
pub(crate) enum Claim<'r> {
    /// A live session with room for one more stream.
    Reuse(Arc<Mux>),
    /// Connect, and publish the session if it speaks h2 (dropping the
    /// ticket tells waiters it did not).
    Connect(Ticket<'r>),
    /// Connect without publishing (the published session is full).
    Own,
}

/// The HTTP/2 sessions of a transfer context, by connection key.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    slots: Mutex<HashMap<String, Slot>>,
    changed: Condvar,
    /// Parallel transfers: sessions read in slices so streams can share
    /// them.
    shared: bool,
    /// Wait for a connection being set up to the same place (curl's
    /// pipewait, off with `--parallel-immediate`).
    pipewait: bool,
}

impl Registry {
    /// A registry for transfers that run one at a time.
    pub(crate) fn sequential() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// A registry shared by `-Z` transfers; `pipewait`: wait for a
    /// connection being set up rather than open another.
    pub(crate) fn parallel(pipewait: bool) -> Arc<Self> {
        Arc::new(Self { shared: true, pipewait, ..Self::default() })
    }

    /// Whether sessions made for this registry are shared.
    pub(crate) fn is_shared(&self) -> bool {
        self.shared
    }

    /// A session for `key`: a live one with room, or the right to make
    /// one. With pipewait a transfer waits (until `deadline`) while another
    /// connects to the same place.
    pub(crate) fn claim(&self, key: &str, deadline: Option<Instant>) -> Claim<'_> {
        let mut slots = lock(&self.slots);
        loop {
            match slots.get(key) {
                Some(Slot::Ready(m)) if m.can_open() => return Claim::Reuse(m.clone()),
                Some(Slot::Ready(m)) if !m.is_closing() => return Claim::Own,
                Some(Slot::Connecting) if self.pipewait => {
                    let left = match deadline {
                        Some(d) => match d.checked_duration_since(Instant::now()) {
                            Some(l) => l,
                            None => return Claim::Own,
                        },
                        None => Duration::from_secs(1),
                    };
                    slots = self.changed.wait_timeout(slots, left).unwrap_or_else(std::sync::PoisonError::into_inner).0;
                    continue;
                }
                Some(Slot::Connecting) => return Claim::Own,
                Some(Slot::Ready(_)) | None => {
                    slots.insert(key.to_owned(), Slot::Connecting);
                    return Claim::Connect(Ticket { registry: self, key: Some(key.to_owned()) });
                }
            }
        }
    }
}

/// The right to publish the session for one key; see [`Claim::Connect`].
pub(crate) struct Ticket<'r> {
    registry: &'r Registry,
    key: Option<String>,
}

impl Ticket<'_> {
    /// Publishes `mux` for the waiting and later transfers.
    pub(crate) fn publish(mut self, mux: Arc<Mux>) {
        if let Some(key) = self.key.take() {
            lock(&self.registry.slots).insert(key, Slot::Ready(mux));
            self.registry.changed.notify_all();
        }
    }
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if let Some(key) = self.key.take() {
            let mut slots = lock(&self.registry.slots);
            if matches!(slots.get(&key), Some(Slot::Connecting)) {
                slots.remove(&key);
            }
            self.registry.changed.notify_all();
        }
    }
}

#[cfg(test)]
mod tests;
