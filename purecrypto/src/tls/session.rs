//! Client-side TLS 1.3 resumption state: the tickets a server gave us
//! and where they are kept between connections.
//!
//! Entry points: [`Tls13Session`] (one ticket and the PSK it stands
//! for), the [`ClientSessionStore`] trait that
//! [`ClientConfig::session_store`](super::ClientConfig::session_store)
//! holds, and with `std` [`InMemorySessionStore`], keyed by server name.
//! Tickets are single-use: a connection takes one out of the store and
//! the server's new tickets replace it, so two connections never show
//! the same ticket (RFC 8446 appendix C.4).

use alloc::vec::Vec;
use core::fmt;

use super::codec::{Reader, put_option16, put_u16, put_vec8, put_vec16};
use super::error::Error;
use super::key_schedule::Secret;
use super::session12::Tls12Session;
use super::suites::CipherSuite;
use super::tls12::msgs::{encode_certificate, read_certificate_list};

/// Encoding version of [`Tls13Session::to_bytes`].
const SESSION_VERSION: u8 = 4;
/// The encoding before the server's raw public key was kept (purecrypto
/// 0.9.0): still read, as a session without one.
const SESSION_VERSION_NO_RAW_KEY: u8 = 3;
/// The encoding before `max_early_data` was kept (purecrypto 0.8 and
/// older): still read, as allowing no early data.
const SESSION_VERSION_NO_EARLY_DATA: u8 = 2;
/// The encoding before the server's chain was kept (purecrypto 0.7 and
/// older): still read, with an empty chain.
const SESSION_VERSION_NO_CHAIN: u8 = 1;

/// One NewSessionTicket with the PSK it names, as a client keeps it.
#[derive(Clone)]
pub struct Tls13Session {
    pub(crate) suite: CipherSuite,
    pub(crate) ticket: Vec<u8>,
    pub(crate) psk: Secret,
    pub(crate) age_add: u32,
    pub(crate) lifetime: u32,
    /// Our clock when the ticket arrived, Unix seconds.
    pub(crate) received: u64,
    pub(crate) alpn: Option<Vec<u8>>,
    /// The server's chain as verified in the full handshake, so a
    /// resumed connection still reports it (no Certificate message comes
    /// with a PSK).
    pub(crate) peer_chain: Vec<Vec<u8>>,
    /// The ticket's `max_early_data_size` (0: no 0-RTT with it).
    pub(crate) max_early_data: u32,
    /// The server's raw public key (SPKI DER, RFC 7250) as verified in
    /// the full handshake, when it sent one instead of a chain.
    pub(crate) peer_raw_key: Option<Vec<u8>>,
}

impl fmt::Debug for Tls13Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls13Session")
            .field("suite", &self.suite)
            .field("lifetime", &self.lifetime)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl Tls13Session {
    /// The suite of the connection that issued the ticket (a resumption
    /// must use a suite with the same hash).
    #[must_use]
    pub fn cipher_suite(&self) -> CipherSuite {
        self.suite
    }

    /// The ALPN protocol of the connection that issued the ticket.
    #[must_use]
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.alpn.as_deref()
    }

    /// How many bytes of 0-RTT early data the server allows with this
    /// ticket (`max_early_data_size`, RFC 8446 section 4.6.1); 0: none.
    #[must_use]
    pub fn max_early_data(&self) -> u32 {
        self.max_early_data
    }

    /// Whether the ticket's lifetime has run out at `now_unix`.
    #[must_use]
    pub fn is_expired(&self, now_unix: u64) -> bool {
        now_unix.saturating_sub(self.received) >= u64::from(self.lifetime)
    }

    /// The session as bytes, for a store that persists tickets (or
    /// `s_client -sess_out`). They hold the PSK: protect them like a key.
    #[must_use]
    pub fn to_bytes(&self) -> zeroize::Zeroizing<Vec<u8>> {
        let mut out = alloc::vec![SESSION_VERSION];
        put_u16(&mut out, self.suite.0);
        put_vec16(&mut out, &self.ticket);
        put_vec8(&mut out, &self.psk);
        out.extend_from_slice(&self.age_add.to_be_bytes());
        out.extend_from_slice(&self.lifetime.to_be_bytes());
        out.extend_from_slice(&self.received.to_be_bytes());
        match &self.alpn {
            Some(p) => {
                out.push(1);
                put_vec8(&mut out, p);
            }
            None => out.push(0),
        }
        encode_certificate(&self.peer_chain, &mut out);
        out.extend_from_slice(&self.max_early_data.to_be_bytes());
        put_option16(&mut out, self.peer_raw_key.as_deref());
        zeroize::Zeroizing::new(out)
    }

    /// Reads what [`Self::to_bytes`] wrote (or the chain-less encoding
    /// of purecrypto 0.7); strict (a wrong version, a PSK that does not
    /// fit the suite, or trailing bytes are errors).
    ///
    /// # Errors
    /// [`Error::Decode`] for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "stored session");
        let version = r.u8()?;
        let known =
            [SESSION_VERSION, SESSION_VERSION_NO_RAW_KEY, SESSION_VERSION_NO_EARLY_DATA, SESSION_VERSION_NO_CHAIN];
        if !known.contains(&version) {
            return Err(Error::Decode { what: "stored session version" });
        }
        let suite = CipherSuite(r.u16()?);
        let ticket = r.vec16()?.to_vec();
        let psk = zeroize::Zeroizing::new(r.vec8()?.to_vec());
        let age_add = r.u32()?;
        let lifetime = r.u32()?;
        let received = u64::from_be_bytes(r.array()?);
        let alpn = match r.u8()? {
            0 => None,
            1 => Some(r.vec8()?.to_vec()),
            _ => return Err(Error::Decode { what: "stored session ALPN" }),
        };
        let peer_chain = if version == SESSION_VERSION_NO_CHAIN { Vec::new() } else { read_certificate_list(&mut r)? };
        let max_early_data = if version >= SESSION_VERSION_NO_RAW_KEY { r.u32()? } else { 0 };
        let peer_raw_key =
            if version < SESSION_VERSION { None } else { r.option16("stored session raw key")?.map(<[u8]>::to_vec) };
        r.finish()?;
        let hash_len = suite.hash().map_or(0, crate::hash::HashAlgorithm::output_len);
        if !suite.is_tls13() || psk.len() != hash_len || ticket.is_empty() {
            return Err(Error::Decode { what: "stored session" });
        }
        Ok(Self { suite, ticket, psk, age_add, lifetime, received, alpn, peer_chain, max_early_data, peer_raw_key })
    }

    /// The `obfuscated_ticket_age` to send at `now_unix` (section
    /// 4.2.11.1): our view of the age in milliseconds plus `age_add`.
    pub(crate) fn obfuscated_age(&self, now_unix: u64) -> u32 {
        let age_ms = now_unix.saturating_sub(self.received).saturating_mul(1000);
        u32::try_from(age_ms).unwrap_or(u32::MAX).wrapping_add(self.age_add)
    }
}

/// Keeps tickets between connections. Implementations must be safe to
/// share between threads; a store that persists tickets holds PSKs and
/// must protect them like keys.
pub trait ClientSessionStore: Send + Sync {
    /// Adds a ticket received from `server_name`.
    fn insert(&self, server_name: &str, session: Tls13Session);

    /// Takes (removes) the newest usable ticket for `server_name`.
    fn take(&self, server_name: &str) -> Option<Tls13Session>;

    /// Keeps `session` as the TLS 1.2 session for `server_name`,
    /// replacing any earlier one. The default keeps nothing (no TLS 1.2
    /// resumption).
    fn insert_tls12(&self, server_name: &str, session: Tls12Session) {
        let _ = (server_name, session);
    }

    /// The TLS 1.2 session for `server_name`, if any (left in place:
    /// TLS 1.2 tickets may be offered again).
    fn tls12(&self, server_name: &str) -> Option<Tls12Session> {
        let _ = server_name;
        None
    }

    /// Forgets the TLS 1.2 session for `server_name` (the server
    /// refused it).
    fn remove_tls12(&self, server_name: &str) {
        let _ = server_name;
    }
}

/// A [`ClientSessionStore`] in memory: a few tickets per server name,
/// newest first, and a bounded number of names (the oldest name is
/// dropped when full).
#[cfg(feature = "std")]
pub struct InMemorySessionStore {
    inner: std::sync::Mutex<std::collections::VecDeque<(std::string::String, Vec<Tls13Session>)>>,
    /// One TLS 1.2 session per name, as bounded as `inner`.
    tls12: std::sync::Mutex<std::collections::VecDeque<(std::string::String, Tls12Session)>>,
    max_names: usize,
}

/// Tickets kept per server name (OpenSSL sends two per connection).
#[cfg(feature = "std")]
const TICKETS_PER_NAME: usize = 4;

#[cfg(feature = "std")]
impl InMemorySessionStore {
    /// Keeps tickets for up to `max_names` server names.
    #[must_use]
    pub fn new(max_names: usize) -> Self {
        Self {
            inner: std::sync::Mutex::new(std::collections::VecDeque::new()),
            tls12: std::sync::Mutex::new(std::collections::VecDeque::new()),
            max_names: max_names.max(1),
        }
    }

    /// How many tickets are held for `server_name`.
    #[must_use]
    pub fn len_for(&self, server_name: &str) -> usize {
        self.inner.lock().map_or(0, |m| m.iter().find(|(n, _)| n == server_name).map_or(0, |(_, v)| v.len()))
    }
}

#[cfg(feature = "std")]
impl fmt::Debug for InMemorySessionStore {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InMemorySessionStore").field("max_names", &self.max_names).finish_non_exhaustive()
    }
}

#[cfg(feature = "std")]
impl ClientSessionStore for InMemorySessionStore {
    fn insert(&self, server_name: &str, session: Tls13Session) {
        let Ok(mut map) = self.inner.lock() else { return };
        if let Some(pos) = map.iter().position(|(n, _)| n == server_name) {
            if let Some((_, list)) = map.get_mut(pos) {
                list.insert(0, session);
                list.truncate(TICKETS_PER_NAME);
            }
            return;
        }
        if map.len() >= self.max_names {
            map.pop_front();
        }
        map.push_back((server_name.into(), std::vec![session]));
    }

    fn take(&self, server_name: &str) -> Option<Tls13Session> {
        let mut map = self.inner.lock().ok()?;
        let (_, list) = map.iter_mut().find(|(n, _)| n == server_name)?;
        (!list.is_empty()).then(|| list.remove(0))
    }

    fn insert_tls12(&self, server_name: &str, session: Tls12Session) {
        let Ok(mut map) = self.tls12.lock() else { return };
        map.retain(|(n, _)| n != server_name);
        if map.len() >= self.max_names {
            map.pop_front();
        }
        map.push_back((server_name.into(), session));
    }

    fn tls12(&self, server_name: &str) -> Option<Tls12Session> {
        let map = self.tls12.lock().ok()?;
        map.iter().find(|(n, _)| n == server_name).map(|(_, s)| s.clone())
    }

    fn remove_tls12(&self, server_name: &str) {
        if let Ok(mut map) = self.tls12.lock() {
            map.retain(|(n, _)| n != server_name);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_round_trip_and_junk_is_refused() {
        let s = Tls13Session {
            suite: CipherSuite::TLS_AES_256_GCM_SHA384,
            ticket: alloc::vec![1, 2, 3],
            psk: zeroize::Zeroizing::new(alloc::vec![4; 48]),
            age_add: 5,
            lifetime: 6,
            received: 7,
            alpn: Some(b"h2".to_vec()),
            peer_chain: alloc::vec![alloc::vec![0x30, 1]],
            max_early_data: 16384,
            peer_raw_key: None,
        };
        let bytes = s.to_bytes();
        let back = Tls13Session::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.peer_chain, s.peer_chain);
        assert_eq!(back.max_early_data(), 16384);
        let with_key = Tls13Session { peer_raw_key: Some(alloc::vec![0x30, 0, 7]), ..s.clone() };
        let key_bytes = with_key.to_bytes();
        assert_eq!(Tls13Session::from_bytes(&key_bytes).unwrap().peer_raw_key, with_key.peer_raw_key);
        let mut bad_flag = key_bytes.to_vec();
        let flag_at = bad_flag.len() - 6;
        bad_flag[flag_at] = 2;
        assert!(Tls13Session::from_bytes(&bad_flag).is_err());
        // 0.9.0's encoding: version 3, no raw-key flag at the end.
        let v3_body = &bytes[..bytes.len() - 1];
        let mut v3 = v3_body.to_vec();
        v3[0] = SESSION_VERSION_NO_RAW_KEY;
        let back = Tls13Session::from_bytes(&v3).unwrap();
        assert_eq!((back.max_early_data(), back.peer_raw_key), (16384, None));
        // 0.8's encoding: version 2, no max_early_data at the end.
        let mut old = v3_body[..v3_body.len() - 4].to_vec();
        old[0] = SESSION_VERSION_NO_EARLY_DATA;
        assert_eq!(Tls13Session::from_bytes(&old).unwrap().max_early_data(), 0);
        // 0.7's encoding: version 1, no chain at the end.
        let mut old = v3_body[..v3_body.len() - 4 - 3 - 3 - 2].to_vec();
        old[0] = SESSION_VERSION_NO_CHAIN;
        assert!(Tls13Session::from_bytes(&old).unwrap().peer_chain.is_empty());
        for cut in 0..bytes.len() {
            assert!(Tls13Session::from_bytes(&bytes[..cut]).is_err());
        }
        for cut in 0..key_bytes.len() {
            assert!(Tls13Session::from_bytes(&key_bytes[..cut]).is_err());
        }
        let mut long = bytes.to_vec();
        long.push(0);
        assert!(Tls13Session::from_bytes(&long).is_err());
        assert!(s.is_expired(13) && !s.is_expired(12));
        assert_eq!(s.obfuscated_age(9), 2005);
    }
}
