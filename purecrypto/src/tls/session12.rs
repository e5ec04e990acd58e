//! Client-side TLS 1.2 resumption state: the session ticket (RFC 5077)
//! or the session ID the server chose (RFC 5246 section 7.4.1.2), the
//! master secret they stand for, and what the resumed connection reports
//! as negotiated.
//!
//! Entry point: [`Tls12Session`], kept by a
//! [`ClientSessionStore`](super::ClientSessionStore) through its
//! `insert_tls12` / `tls12` methods. Unlike TLS 1.3 tickets a TLS 1.2
//! session is reused until the server replaces it (RFC 5077 has no
//! single-use rule and servers renew tickets when they like).

use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::codec::{Reader, put_option16, put_u16, put_vec8, put_vec16};
use super::error::Error;
use super::suites::CipherSuite;
use super::tls12::msgs::{encode_certificate, read_certificate_list};

/// Encoding version of [`Tls12Session::to_bytes`]; distinct from every
/// [`Tls13Session`](super::Tls13Session) encoding version so neither
/// reads the other's bytes.
const SESSION12_VERSION: u8 = 0x23;
/// The encoding before the server's raw public key was kept (purecrypto
/// 0.9): still read, as a session without one.
const SESSION12_NO_RAW_KEY: u8 = 0x22;
/// The first encoding (purecrypto 0.7), ticket only: still read.
const SESSION12_TICKET_ONLY: u8 = 0x12;
/// RFC 5246 section 7.4.1.2: `SessionID session_id<0..32>`.
const MAX_SESSION_ID: usize = 32;
/// How long a ticket with no lifetime hint is kept (RFC 5077 section
/// 3.3: 0 means "unspecified"): two hours.
const UNSPECIFIED_LIFETIME: u32 = 7200;
/// The longest we keep any ticket, whatever its hint: seven days.
const MAX_LIFETIME: u32 = 604_800;

/// One TLS 1.2 session, as a client keeps it: a ticket, a session ID or
/// both, with the master secret.
#[derive(Clone)]
pub struct Tls12Session {
    pub(crate) suite: CipherSuite,
    /// Offered first when not empty.
    pub(crate) ticket: Vec<u8>,
    /// The server's session ID, offered when there is no ticket (empty:
    /// none).
    pub(crate) session_id: Vec<u8>,
    pub(crate) master: Zeroizing<[u8; 48]>,
    pub(crate) lifetime_hint: u32,
    /// Our clock when the ticket arrived, Unix seconds.
    pub(crate) received: u64,
    pub(crate) alpn: Option<Vec<u8>>,
    /// The server's chain as verified in the full handshake, so a
    /// resumed connection still reports it.
    pub(crate) peer_chain: Vec<Vec<u8>>,
    /// The server's raw public key (SPKI DER, RFC 7250) as verified in
    /// the full handshake, when it sent one instead of a chain.
    pub(crate) peer_raw_key: Option<Vec<u8>>,
}

impl fmt::Debug for Tls12Session {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Tls12Session")
            .field("suite", &self.suite)
            .field("lifetime_hint", &self.lifetime_hint)
            .field("received", &self.received)
            .finish_non_exhaustive()
    }
}

impl Tls12Session {
    /// The suite of the session (a resumption continues with it).
    #[must_use]
    pub fn cipher_suite(&self) -> CipherSuite {
        self.suite
    }

    /// The ALPN protocol of the connection that made the session.
    #[must_use]
    pub fn alpn_protocol(&self) -> Option<&[u8]> {
        self.alpn.as_deref()
    }

    /// Whether the session resumes with a ticket (else with its session
    /// ID).
    #[must_use]
    pub fn has_ticket(&self) -> bool {
        !self.ticket.is_empty()
    }

    /// Whether the session is too old to offer at `now_unix`: past the
    /// ticket's lifetime hint (two hours when the server gave none or the
    /// session has only an ID, never more than seven days).
    #[must_use]
    pub fn is_expired(&self, now_unix: u64) -> bool {
        let lifetime = match self.lifetime_hint {
            0 => UNSPECIFIED_LIFETIME,
            hint => hint.min(MAX_LIFETIME),
        };
        now_unix.saturating_sub(self.received) >= u64::from(lifetime)
    }

    /// The session as bytes (for a persisting store or `s_client
    /// -sess_out`). They hold the master secret: protect them like a key.
    #[must_use]
    pub fn to_bytes(&self) -> Zeroizing<Vec<u8>> {
        let mut out = alloc::vec![SESSION12_VERSION];
        put_u16(&mut out, self.suite.0);
        put_vec16(&mut out, &self.ticket);
        put_vec8(&mut out, &self.session_id);
        out.extend_from_slice(&*self.master);
        out.extend_from_slice(&self.lifetime_hint.to_be_bytes());
        out.extend_from_slice(&self.received.to_be_bytes());
        match &self.alpn {
            Some(p) => {
                out.push(1);
                put_vec8(&mut out, p);
            }
            None => out.push(0),
        }
        encode_certificate(&self.peer_chain, &mut out);
        put_option16(&mut out, self.peer_raw_key.as_deref());
        Zeroizing::new(out)
    }

    /// Reads what [`Self::to_bytes`] wrote (or an older encoding:
    /// purecrypto 0.7's ticket-only one, 0.9's without the raw key);
    /// strict (a wrong version, a suite that is
    /// not TLS 1.2, neither ticket nor session ID, an ID over 32 bytes or
    /// trailing bytes are errors).
    ///
    /// # Errors
    /// [`Error::Decode`] for anything else.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "stored TLS 1.2 session");
        let version = r.u8()?;
        if ![SESSION12_VERSION, SESSION12_NO_RAW_KEY, SESSION12_TICKET_ONLY].contains(&version) {
            return Err(Error::Decode { what: "stored TLS 1.2 session version" });
        }
        let suite = CipherSuite(r.u16()?);
        let ticket = r.vec16()?.to_vec();
        let session_id = if version == SESSION12_TICKET_ONLY { Vec::new() } else { r.vec8()?.to_vec() };
        let master = Zeroizing::new(r.array()?);
        let lifetime_hint = r.u32()?;
        let received = u64::from_be_bytes(r.array()?);
        let alpn = match r.u8()? {
            0 => None,
            1 => Some(r.vec8()?.to_vec()),
            _ => return Err(Error::Decode { what: "stored session ALPN" }),
        };
        let peer_chain = read_certificate_list(&mut r)?;
        let peer_raw_key =
            if version == SESSION12_VERSION { r.option16("stored session raw key")?.map(<[u8]>::to_vec) } else { None };
        r.finish()?;
        if !suite.is_tls12() || (ticket.is_empty() && session_id.is_empty()) || session_id.len() > MAX_SESSION_ID {
            return Err(Error::Decode { what: "stored TLS 1.2 session" });
        }
        Ok(Self { suite, ticket, session_id, master, lifetime_hint, received, alpn, peer_chain, peer_raw_key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn session() -> Tls12Session {
        Tls12Session {
            suite: CipherSuite::TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            ticket: alloc::vec![1, 2, 3],
            session_id: alloc::vec![7; 32],
            master: Zeroizing::new([9; 48]),
            lifetime_hint: 100,
            received: 1000,
            alpn: Some(b"http/1.1".to_vec()),
            peer_chain: alloc::vec![alloc::vec![0x30, 1], alloc::vec![0x30, 2]],
            peer_raw_key: None,
        }
    }

    #[test]
    fn sessions_round_trip_and_junk_is_refused() {
        let bytes = session().to_bytes();
        let back = Tls12Session::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.peer_chain, session().peer_chain);
        let with_key =
            Tls12Session { peer_raw_key: Some(alloc::vec![0x30, 0, 7]), peer_chain: Vec::new(), ..session() };
        let key_bytes = with_key.to_bytes();
        assert_eq!(Tls12Session::from_bytes(&key_bytes).unwrap().peer_raw_key, with_key.peer_raw_key);
        let mut bad_flag = key_bytes.to_vec();
        let flag_at = bad_flag.len() - 6;
        bad_flag[flag_at] = 2;
        assert!(Tls12Session::from_bytes(&bad_flag).is_err());
        for cut in 0..bytes.len() {
            assert!(Tls12Session::from_bytes(&bytes[..cut]).is_err(), "cut {cut}");
        }
        let mut long = bytes.to_vec();
        long.push(0);
        assert!(Tls12Session::from_bytes(&long).is_err());
        let mut tls13 = session();
        tls13.suite = CipherSuite::TLS_AES_128_GCM_SHA256;
        assert!(Tls12Session::from_bytes(&tls13.to_bytes()).is_err());
        assert!(super::super::Tls13Session::from_bytes(&bytes).is_err());
        // A session ID alone is a session; neither, or an ID over 32
        // bytes, is not.
        let mut id_only = session();
        id_only.ticket.clear();
        assert!(!id_only.has_ticket());
        assert_eq!(Tls12Session::from_bytes(&id_only.to_bytes()).unwrap().session_id, alloc::vec![7; 32]);
        id_only.session_id.clear();
        assert!(Tls12Session::from_bytes(&id_only.to_bytes()).is_err());
        id_only.session_id = alloc::vec![7; 33];
        assert!(Tls12Session::from_bytes(&id_only.to_bytes()).is_err());
    }

    #[test]
    fn the_ticket_only_encoding_of_0_7_is_still_read() {
        let mut old = session();
        old.session_id.clear();
        let mut bytes = old.to_bytes().to_vec();
        // Nor the raw key flag.
        assert_eq!(bytes.pop(), Some(0));
        // 0.7 wrote no session ID field: drop its empty length byte.
        let at = 1 + 2 + 2 + old.ticket.len();
        assert_eq!(bytes.remove(at), 0);
        bytes[0] = SESSION12_TICKET_ONLY;
        let back = Tls12Session::from_bytes(&bytes).unwrap();
        assert_eq!((back.ticket, back.session_id.len()), (old.ticket, 0));
    }

    #[test]
    fn the_encoding_without_a_raw_key_of_0_9_is_still_read() {
        let mut bytes = session().to_bytes().to_vec();
        assert_eq!(bytes.pop(), Some(0));
        bytes[0] = SESSION12_NO_RAW_KEY;
        let back = Tls12Session::from_bytes(&bytes).unwrap();
        assert_eq!((back.peer_chain, back.peer_raw_key), (session().peer_chain, None));
        // The current version insists on the flag.
        bytes[0] = SESSION12_VERSION;
        assert!(Tls12Session::from_bytes(&bytes).is_err());
    }

    #[test]
    fn expiry_follows_the_hint_with_a_default_and_a_cap() {
        let mut s = session();
        assert!(!s.is_expired(1099) && s.is_expired(1100));
        s.lifetime_hint = 0;
        assert!(!s.is_expired(1000 + 7199) && s.is_expired(1000 + 7200));
        s.lifetime_hint = u32::MAX;
        assert!(s.is_expired(1000 + 604_800));
    }
}
