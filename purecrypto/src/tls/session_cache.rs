//! Server-side TLS 1.2 session-ID resumption (RFC 5246 sections 7.3 and
//! 7.4.1.2): after a full handshake the server remembers the session
//! under the ID its ServerHello chose; a client offering that ID back
//! resumes with the abbreviated handshake. Tickets (RFC 5077) keep the
//! state on the client instead; this cache serves the clients that ask
//! for no ticket (OpenSSL's `-no_ticket`, many embedded stacks).
//!
//! Entry points: the [`ServerSessionCache`] trait (the values are opaque
//! bytes, so a cache may live outside the process) and, with `std`,
//! [`InMemoryServerSessionCache`].

use alloc::vec::Vec;

use zeroize::Zeroizing;

/// Where a server keeps its TLS 1.2 sessions, keyed by session ID. The
/// values hold master secrets: a cache outside the process must protect
/// them like keys.
pub trait ServerSessionCache: Send + Sync {
    /// Keeps `state` under `id` (an ID this server chose), replacing
    /// anything stored there.
    fn put(&self, id: &[u8], state: Zeroizing<Vec<u8>>);

    /// The state stored under `id`, left in place: a TLS 1.2 session may
    /// be resumed more than once.
    fn get(&self, id: &[u8]) -> Option<Zeroizing<Vec<u8>>>;
}

/// A [`ServerSessionCache`] in memory with a fixed capacity: when full,
/// the oldest session makes room.
#[cfg(feature = "std")]
pub struct InMemoryServerSessionCache {
    inner: std::sync::Mutex<Entries>,
    capacity: usize,
}

#[cfg(feature = "std")]
#[derive(Default)]
struct Entries {
    by_id: std::collections::HashMap<Vec<u8>, Zeroizing<Vec<u8>>>,
    /// IDs oldest first, each once.
    order: std::collections::VecDeque<Vec<u8>>,
}

#[cfg(feature = "std")]
impl InMemoryServerSessionCache {
    /// A cache of at most `capacity` sessions (at least one).
    #[must_use]
    pub fn new(capacity: usize) -> Self {
        Self { inner: std::sync::Mutex::new(Entries::default()), capacity: capacity.max(1) }
    }

    /// How many sessions are kept now.
    #[must_use]
    pub fn len(&self) -> usize {
        self.lock().by_id.len()
    }

    /// Whether no session is kept.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // A panic elsewhere while holding the lock leaves consistent
        // entries (every update is one insert or remove on each side).
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(feature = "std")]
impl ServerSessionCache for InMemoryServerSessionCache {
    fn put(&self, id: &[u8], state: Zeroizing<Vec<u8>>) {
        let mut entries = self.lock();
        if entries.by_id.insert(id.to_vec(), state).is_none() {
            entries.order.push_back(id.to_vec());
        }
        while entries.by_id.len() > self.capacity {
            let Some(oldest) = entries.order.pop_front() else { break };
            entries.by_id.remove(&oldest);
        }
    }

    fn get(&self, id: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        self.lock().by_id.get(id).cloned()
    }
}

#[cfg(feature = "std")]
impl core::fmt::Debug for InMemoryServerSessionCache {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("InMemoryServerSessionCache")
            .field("len", &self.len())
            .field("capacity", &self.capacity)
            .finish()
    }
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    fn value(b: u8) -> Zeroizing<Vec<u8>> {
        Zeroizing::new(alloc::vec![b; 3])
    }

    #[test]
    fn keeps_what_it_is_given_until_full_then_drops_the_oldest() {
        let cache = InMemoryServerSessionCache::new(2);
        assert!(cache.is_empty() && cache.get(b"a").is_none());
        cache.put(b"a", value(1));
        cache.put(b"b", value(2));
        assert_eq!(cache.get(b"a").as_deref().map(Vec::as_slice), Some(&value(1)[..]));
        // Reading leaves the entry in place.
        assert!(cache.get(b"a").is_some());
        // Replacing keeps the ID's age.
        cache.put(b"a", value(3));
        assert_eq!((cache.len(), cache.get(b"a").as_deref().map(Vec::as_slice)), (2, Some(&value(3)[..])));
        cache.put(b"c", value(4));
        assert_eq!(cache.len(), 2);
        assert!(cache.get(b"a").is_none(), "the oldest ID goes first");
        assert!(cache.get(b"b").is_some() && cache.get(b"c").is_some());
        assert_eq!(InMemoryServerSessionCache::new(0).capacity, 1);
    }
}
