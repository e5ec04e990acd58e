//! TLS 1.3 0-RTT early data (RFC 8446 sections 2.3, 4.2.10 and 8): the
//! record-layer bookkeeping both roles share, and the server's
//! anti-replay defence.
//!
//! Entry points: [`EarlyData`] (what a [`Core`](super::conn::Core) is
//! doing with early data right now), the [`AntiReplay`] trait that
//! [`ServerConfig::anti_replay`](super::ServerConfig::anti_replay) holds
//! and, with `std`, [`InMemoryAntiReplay`].
//!
//! Early data is not forward secret and an attacker can replay it, so a
//! server takes it only (a) under the first PSK identity of a ticket it
//! sealed for the same suite, ALPN protocol and server name, (b) when the
//! client's idea of the ticket's age agrees with ours within
//! [`EARLY_DATA_WINDOW_SECS`], and (c) when the [`AntiReplay`] store has
//! never seen that ClientHello. What it does take is handed to the
//! application apart from 1-RTT data ([`Connection::read_early_data`]),
//! so the application can decide which requests are safe to replay.
//!
//! [`Connection::read_early_data`]: super::Connection::read_early_data

#[cfg(feature = "std")]
use alloc::vec::Vec;

use super::error::Error;
use super::record::TAG_LEN;

/// How far the client's view of a ticket's age may stray from ours
/// (section 8.3) for early data, and for the ticket to be used at all.
/// Clocks here have one-second resolution.
pub(crate) const EARLY_DATA_WINDOW_SECS: u64 = 10;

/// How long an [`InMemoryAntiReplay`] remembers a ClientHello. A replay
/// arriving `d` seconds after the original shows a ticket age `d` larger
/// on our clock and the same on the client's, so once `d` exceeds twice
/// the window the freshness check refuses it without any record; one
/// second more covers the rounding of our clock.
pub const ANTI_REPLAY_RETENTION_SECS: u64 = 2 * EARLY_DATA_WINDOW_SECS + 1;

/// The most ciphertext a server skips for early data it rejected (section
/// 4.2.10) when its own `max_early_data_size` is smaller: OpenSSL and
/// others send up to 2^14 bytes by default.
const MIN_SKIP_BUDGET: usize = 1 << 14;

/// Decides whether a ClientHello that asks for 0-RTT is fresh. An
/// implementation shared between server processes (or machines that
/// share a ticket key) must be shared too, or a replay to another
/// instance succeeds.
pub trait AntiReplay: Send + Sync {
    /// Records `id` (the PSK binder of a ClientHello, unique to it) seen
    /// at `now_unix`; returns `true` only when it was not seen before and
    /// is now recorded. When it cannot record (full, poisoned), it must
    /// return `false`: refusing 0-RTT is always safe, accepting it is not.
    fn check_and_record(&self, id: &[u8], now_unix: u64) -> bool;
}

/// An [`AntiReplay`] in memory: every binder seen in the last
/// [`ANTI_REPLAY_RETENTION_SECS`], at most `capacity` of them. When full
/// of live entries it refuses 0-RTT (the handshake goes on as 1-RTT)
/// rather than forget one.
#[cfg(feature = "std")]
pub struct InMemoryAntiReplay {
    /// `(expiry, id)`, oldest first; `entries.len() <= capacity`.
    entries: std::sync::Mutex<std::collections::VecDeque<(u64, Vec<u8>)>>,
    capacity: usize,
}

#[cfg(feature = "std")]
impl InMemoryAntiReplay {
    /// Remembers at most `capacity` ClientHellos (at least one).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self { entries: std::sync::Mutex::new(std::collections::VecDeque::new()), capacity: capacity.max(1) }
    }

    /// How many ClientHellos are remembered now (expired ones included
    /// until the next check).
    #[must_use]
    pub fn len(&self) -> usize {
        self.entries.lock().map_or(0, |e| e.len())
    }

    /// Whether nothing is remembered.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(feature = "std")]
impl core::fmt::Debug for InMemoryAntiReplay {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InMemoryAntiReplay").field("capacity", &self.capacity).finish_non_exhaustive()
    }
}

#[cfg(feature = "std")]
impl AntiReplay for InMemoryAntiReplay {
    fn check_and_record(&self, id: &[u8], now_unix: u64) -> bool {
        let Ok(mut entries) = self.entries.lock() else { return false };
        // Entries go in with non-decreasing expiry unless the clock steps
        // back; either way the front is the first to look at.
        while entries.front().is_some_and(|(expiry, _)| *expiry <= now_unix) {
            entries.pop_front();
        }
        if entries.iter().any(|(_, seen)| seen == id) || entries.len() >= self.capacity {
            return false;
        }
        entries.push_back((now_unix.saturating_add(ANTI_REPLAY_RETENTION_SECS), id.to_vec()));
        true
    }
}

/// What a connection is doing with early data. Invariant: only
/// `ClientSending` lets the application write early data, and only
/// `ServerAccepting` lets early records through to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub(crate) enum EarlyData {
    /// No early data in play (never offered, or finished with).
    #[default]
    None,
    /// Client: early_data offered and the write keys are the early
    /// traffic keys; `remaining` more bytes fit the ticket's limit.
    ClientSending { remaining: usize },
    /// Client: offered, no more may be written; waiting for the server's
    /// verdict in EncryptedExtensions.
    ClientWaiting,
    /// Server: accepted; records under the early keys carry up to
    /// `remaining` more bytes until EndOfEarlyData.
    ServerAccepting { remaining: usize },
    /// Server: offered but refused; protected records that do not open
    /// (or, before any keys, every protected record) are dropped, up to
    /// `remaining` bytes of ciphertext.
    ServerSkipping { remaining: usize },
}

impl EarlyData {
    /// The skipping state for a server that refused early data, allowed
    /// `max(configured, 2^14)` bytes.
    pub(crate) fn skipping(configured: u32) -> Self {
        let configured = usize::try_from(configured).unwrap_or(usize::MAX);
        Self::ServerSkipping { remaining: configured.max(MIN_SKIP_BUDGET) }
    }

    /// Server: a record of `len` ciphertext bytes was not for us (it did
    /// not open under the handshake keys, or came before any). `Ok(true)`:
    /// drop it; `Ok(false)`: not skipping, the caller's error stands.
    ///
    /// # Errors
    /// [`Error::UnexpectedMessage`] past the skip budget.
    pub(crate) fn skip(&mut self, len: usize) -> Result<bool, Error> {
        let Self::ServerSkipping { remaining } = self else { return Ok(false) };
        // The least a record can carry is its tag and content type. The
        // early keys' suite may not be the one negotiated, so the tag is
        // taken as 16 bytes: a CCM_8 record (8-byte tag) is charged 8
        // bytes less than it carries, never more.
        let charged = len.saturating_sub(TAG_LEN + 1);
        *remaining = remaining
            .checked_sub(charged)
            .ok_or(Error::UnexpectedMessage { what: "more rejected early data than max_early_data_size" })?;
        Ok(true)
    }

    /// Server: a record opened under the handshake keys, so the client's
    /// early data (if any) is over and trial decryption ends.
    pub(crate) fn opened(&mut self) {
        if matches!(self, Self::ServerSkipping { .. }) {
            *self = Self::None;
        }
    }

    /// Server: `len` bytes of accepted early data arrived.
    ///
    /// # Errors
    /// [`Error::UnexpectedMessage`] when not accepting early data now, or
    /// past `max_early_data_size` (section 4.2.10).
    pub(crate) fn receive(&mut self, len: usize) -> Result<(), Error> {
        let Self::ServerAccepting { remaining } = self else {
            return Err(Error::UnexpectedMessage { what: "application data during the handshake" });
        };
        *remaining = remaining
            .checked_sub(len)
            .ok_or(Error::UnexpectedMessage { what: "more early data than max_early_data_size" })?;
        Ok(())
    }

    /// Client: how many bytes of early data may be written now.
    pub(crate) fn room(self) -> Option<usize> {
        match self {
            Self::ClientSending { remaining } => Some(remaining),
            _ => None,
        }
    }
}

/// `data` cut to what fits `room`.
pub(crate) fn fit(data: &[u8], room: usize) -> &[u8] {
    data.get(..room.min(data.len())).unwrap_or(data)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(feature = "std")]
    fn anti_replay_refuses_a_second_use_and_refuses_when_full() {
        let ar = InMemoryAntiReplay::new(2);
        assert!(ar.check_and_record(b"a", 100));
        assert!(!ar.check_and_record(b"a", 101), "replay");
        assert!(ar.check_and_record(b"b", 101));
        assert!(!ar.check_and_record(b"c", 102), "full: refuse rather than forget");
        // Once "a" is older than the retention it is forgotten.
        assert!(ar.check_and_record(b"c", 100 + ANTI_REPLAY_RETENTION_SECS));
        assert!(!ar.check_and_record(b"b", 100 + ANTI_REPLAY_RETENTION_SECS), "still remembered");
        assert_eq!(ar.len(), 2);
    }

    #[test]
    fn skipping_and_accepting_budgets_are_enforced() {
        let mut e = EarlyData::skipping(0);
        assert!(e.skip(MIN_SKIP_BUDGET + TAG_LEN + 1).unwrap());
        assert!(e.skip(TAG_LEN + 2).is_err());
        let mut e = EarlyData::ServerAccepting { remaining: 10 };
        e.receive(10).unwrap();
        assert!(e.receive(1).is_err());
        assert!(!EarlyData::None.skip(5).unwrap());
        assert!(EarlyData::None.receive(1).is_err());
        let mut e = EarlyData::skipping(1);
        e.opened();
        assert_eq!(e, EarlyData::None);
        assert_eq!(fit(b"abcdef", 3), b"abc");
        assert_eq!(fit(b"ab", 3), b"ab");
    }
}
