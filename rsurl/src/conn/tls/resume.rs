//! TLS session resumption (1.3 tickets and 1.2 RFC 5077 tickets) across the connections of one process
//! (curl's SSL session cache): the tickets a server sends are kept and
//! offered when a later connection goes to the same host, port and TLS
//! options, for example the second URL after `Connection: close`.
//!
//! Entry point: [`SessionCache::for_connection`]. Tickets are kept per
//! `(host, port, options)`, so a ticket from a `-k` connection or one with
//! another CA, pin or client certificate is never offered by a connection
//! that would have verified differently. A resumed handshake carries no
//! certificate, so the cache also keeps the leaf and the verify result of
//! the connection the tickets came from: `-v` and `%{ssl_verify_result}`
//! show them as curl (OpenSSL keeps them in the session) does.

use std::sync::{Arc, Mutex};

use purecrypto::tls::{ClientSessionStore, InMemorySessionStore};

/// Most `(host, port, options)` entries kept; the oldest goes first.
const MAX_ENTRIES: usize = 16;

/// The tickets and certificate facts for one `(host, port, options)`.
#[derive(Debug)]
pub(crate) struct SessionCache {
    store: Arc<InMemorySessionStore>,
    /// The leaf (DER), `%{ssl_verify_result}` and curl's verify line of
    /// the full handshake.
    verified: Mutex<Option<Verified>>,
}

/// A full handshake's leaf (DER), `%{ssl_verify_result}` and `-v` verify line.
type Verified = (Vec<u8>, i64, String);

type Entries = Vec<(String, Arc<SessionCache>)>;
static CACHES: Mutex<Entries> = Mutex::new(Vec::new());

impl SessionCache {
    /// The cache for a connection to `host:port` made with the options
    /// printed as `options` (their `Debug` form, which names every
    /// setting that changes verification).
    pub(crate) fn for_connection(host: &str, port: u16, options: &str) -> Arc<Self> {
        let key = format!("{}:{port} {options}", host.to_ascii_lowercase());
        let Ok(mut all) = CACHES.lock() else {
            return Arc::new(Self::new());
        };
        if let Some((_, c)) = all.iter().find(|(k, _)| *k == key) {
            return c.clone();
        }
        if all.len() >= MAX_ENTRIES {
            all.remove(0);
        }
        let c = Arc::new(Self::new());
        all.push((key, c.clone()));
        c
    }

    fn new() -> Self {
        Self { store: Arc::new(InMemorySessionStore::new(1)), verified: Mutex::new(None) }
    }

    /// The store for `ClientConfig::session_store`.
    pub(crate) fn store(&self) -> Arc<dyn ClientSessionStore> {
        self.store.clone()
    }

    /// Whether a ticket for `name` is waiting (curl's "SSL re-using
    /// session ID" line), and the certificate facts it stands for.
    pub(crate) fn has_ticket(&self, name: &str) -> bool {
        (self.store.len_for(name) > 0 || self.store.tls12(name).is_some()) && self.verified().is_some()
    }

    /// Records the leaf, verify result and verify line of a full handshake.
    pub(crate) fn remember(&self, leaf: &[u8], verify_result: i64, line: &str) {
        if let Ok(mut v) = self.verified.lock() {
            *v = Some((leaf.to_vec(), verify_result, line.to_owned()));
        }
    }

    /// What the handshake the tickets came from found.
    pub(crate) fn verified(&self) -> Option<Verified> {
        self.verified.lock().ok().and_then(|v| v.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_per_host_port_and_options() {
        let a = SessionCache::for_connection("Resume.Test", 443, "opts A");
        let same = SessionCache::for_connection("resume.test", 443, "opts A");
        let other_opts = SessionCache::for_connection("resume.test", 443, "opts B");
        let other_port = SessionCache::for_connection("resume.test", 8443, "opts A");
        assert!(Arc::ptr_eq(&a, &same));
        assert!(!Arc::ptr_eq(&a, &other_opts) && !Arc::ptr_eq(&a, &other_port));
        assert!(!a.has_ticket("resume.test"));
        a.remember(b"leaf", 0, " ok");
        assert_eq!(same.verified(), Some((b"leaf".to_vec(), 0, " ok".to_owned())));
        // Still no ticket: the certificate facts alone do not resume.
        assert!(!a.has_ticket("resume.test"));
        assert!(other_opts.verified().is_none());
    }
}
