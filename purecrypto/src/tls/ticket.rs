//! Stateless TLS 1.3 session tickets for servers (RFC 8446 section
//! 4.6.1): the server keeps nothing per session; everything it needs to
//! resume travels inside the ticket, sealed with AES-256-GCM.
//!
//! Entry points: [`Ticketer`] (what [`ServerConfig::ticketer`]
//! holds), [`TicketState`] (the sealed contents and their codec).
//!
//! Keys rotate without shared mutable state: the key of period `e`
//! (`e = now / lifetime`) is `HKDF-Expand(master, "purecrypto ticket key"
//! || e)`, the period travels in clear in front of the ticket, and only
//! the current and the previous period open. A ticket therefore lives at
//! most two periods however its lifetime field reads, and forgetting the
//! master secret (dropping the `Ticketer`) revokes every ticket.
//!
//! [`ServerConfig::ticketer`]: super::ServerConfig::ticketer

use alloc::vec::Vec;
use core::fmt;

use zeroize::Zeroizing;

use super::codec::{Reader, put_option16, put_u16, put_vec8};
use super::error::Error;
use super::suites::CipherSuite;
use super::tls12::msgs::{encode_certificate, read_certificate_list};
use crate::aead::Aead;
use crate::aead::gcm::AesGcm;
use crate::hash::HashAlgorithm;
use crate::rng::CryptoRng;

/// The ticket lifetime when none is configured: one day.
pub const DEFAULT_TICKET_LIFETIME: u32 = 86_400;
/// RFC 8446 section 4.6.1: servers must not advertise more than 7 days.
const MAX_TICKET_LIFETIME: u32 = 604_800;
/// Encoding version of [`TicketState`].
const STATE_VERSION: u8 = 3;
/// The encoding before tickets carried the client's identity (still
/// opened, as a session whose client did not authenticate).
const STATE_VERSION_NO_CLIENT_IDENTITY: u8 = 2;
/// The encoding before tickets carried `max_early_data` (still opened,
/// as allowing no early data).
const STATE_VERSION_NO_EARLY_DATA: u8 = 1;
const NONCE_LEN: usize = 12;
const TAG_LEN: usize = 16;
/// Largest ticket we seal or try to open: what NewSessionTicket's
/// `opaque ticket<1..2^16-1>` holds. A usual one is ~150 bytes; one with
/// the client's certificate chain a few KB. A state that would not fit
/// is not sealed ([`TicketState::too_large`]).
const MAX_TICKET_LEN: usize = 0xffff;
/// What sealing adds to the state: period, nonce, tag.
const SEAL_OVERHEAD: usize = 8 + NONCE_LEN + TAG_LEN;
/// A TLS 1.2 master secret's length (RFC 5246 section 8.1).
const TLS12_MASTER_LEN: usize = 48;

/// Seals and opens session tickets under a rotating key derived from one
/// random master secret.
pub struct Ticketer {
    master: Zeroizing<[u8; 32]>,
    lifetime: u32,
}

impl fmt::Debug for Ticketer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Ticketer").field("lifetime", &self.lifetime).finish_non_exhaustive()
    }
}

impl Ticketer {
    /// A ticketer with a fresh master secret from `rng` and a lifetime of
    /// [`DEFAULT_TICKET_LIFETIME`] seconds.
    ///
    /// # Errors
    /// [`Error::Crypto`] when the generator fails.
    pub fn new(rng: &mut (impl CryptoRng + ?Sized)) -> Result<Self, Error> {
        let mut master = Zeroizing::new([0u8; 32]);
        rng.try_fill_bytes(&mut *master)?;
        Ok(Self { master, lifetime: DEFAULT_TICKET_LIFETIME })
    }

    /// As [`Ticketer::new`] with the operating system's generator.
    ///
    /// # Errors
    /// As [`Ticketer::new`].
    #[cfg(feature = "std")]
    pub fn from_os() -> Result<Self, Error> {
        Self::new(&mut crate::rng::OsRng)
    }

    /// Sets the advertised lifetime and key period (1 s to 7 days).
    ///
    /// # Errors
    /// [`Error::Config`] outside that range.
    pub fn with_lifetime(mut self, seconds: u32) -> Result<Self, Error> {
        if !(1..=MAX_TICKET_LIFETIME).contains(&seconds) {
            return Err(Error::Config { what: "ticket lifetime must be 1..=604800 seconds" });
        }
        self.lifetime = seconds;
        Ok(self)
    }

    /// The lifetime advertised in NewSessionTicket, seconds.
    #[must_use]
    pub fn lifetime(&self) -> u32 {
        self.lifetime
    }

    fn period(&self, now_unix: u64) -> u64 {
        now_unix / u64::from(self.lifetime)
    }

    fn key(&self, period: u64) -> Result<AesGcm, Error> {
        let mut info = b"purecrypto ticket key".to_vec();
        info.extend_from_slice(&period.to_be_bytes());
        let mut key = Zeroizing::new([0u8; 32]);
        crate::kdf::hkdf_expand(HashAlgorithm::Sha256, &*self.master, &info, &mut *key)?;
        Ok(AesGcm::new(&*key)?)
    }

    /// `period || nonce || AES-256-GCM(state)`, the period as associated
    /// data.
    pub(crate) fn seal(
        &self,
        state: &TicketState,
        now_unix: u64,
        rng: &mut (impl CryptoRng + ?Sized),
    ) -> Result<Vec<u8>, Error> {
        let period = self.period(now_unix).to_be_bytes();
        let mut nonce = [0u8; NONCE_LEN];
        rng.try_fill_bytes(&mut nonce)?;
        let plain = Zeroizing::new(state.encode());
        let sealed = self.key(self.period(now_unix))?.encrypt(&nonce, &period, &plain)?;
        let mut out = Vec::with_capacity(SEAL_OVERHEAD + sealed.len());
        out.extend_from_slice(&period);
        out.extend_from_slice(&nonce);
        out.extend_from_slice(&sealed);
        if out.len() > MAX_TICKET_LEN {
            return Err(Error::Config { what: "ticket state too large" });
        }
        Ok(out)
    }

    /// The state inside `ticket`, or `None` for anything this ticketer
    /// did not seal in the current or the previous key period (a forged,
    /// corrupted, foreign or too old ticket: all mean "full handshake").
    pub(crate) fn open(&self, ticket: &[u8], now_unix: u64) -> Option<TicketState> {
        if ticket.len() > MAX_TICKET_LEN || ticket.len() < SEAL_OVERHEAD {
            return None;
        }
        let (period_bytes, rest) = ticket.split_at(8);
        let (nonce, sealed) = rest.split_at(NONCE_LEN);
        let period = u64::from_be_bytes(period_bytes.try_into().ok()?);
        let current = self.period(now_unix);
        if period != current && Some(period) != current.checked_sub(1) {
            return None;
        }
        let plain = Zeroizing::new(self.key(period).ok()?.decrypt(nonce, period_bytes, sealed).ok()?);
        TicketState::decode(&plain).ok()
    }
}

/// What a ticket carries: enough to rebuild the PSK and check the
/// resumption is consistent with the original connection.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct TicketState {
    pub(crate) suite: CipherSuite,
    /// Server time of issue, Unix seconds.
    pub(crate) issued: u64,
    pub(crate) age_add: u32,
    pub(crate) lifetime: u32,
    /// TLS 1.3: the resumption PSK; TLS 1.2 (a 1.2 `suite`): the
    /// 48-byte (extended) master secret.
    pub(crate) psk: Zeroizing<Vec<u8>>,
    pub(crate) server_name: Option<Vec<u8>>,
    pub(crate) alpn: Option<Vec<u8>>,
    /// TLS 1.3: the `max_early_data_size` the NewSessionTicket advertised
    /// (0: no 0-RTT with this ticket). Kept so that a later change of
    /// configuration cannot raise what an old ticket allows.
    pub(crate) max_early_data: u32,
    /// The client's certificate chain as verified in the full handshake
    /// (empty: it sent none, or a raw key), so a resumed connection still
    /// reports who the client is.
    pub(crate) peer_chain: Vec<Vec<u8>>,
    /// The client's raw public key (SPKI DER, RFC 7250), likewise.
    pub(crate) peer_raw_key: Option<Vec<u8>>,
}

impl fmt::Debug for TicketState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TicketState").field("suite", &self.suite).field("issued", &self.issued).finish_non_exhaustive()
    }
}

impl TicketState {
    pub(crate) fn encode(&self) -> Vec<u8> {
        let mut out = alloc::vec![STATE_VERSION];
        put_u16(&mut out, self.suite.0);
        out.extend_from_slice(&self.issued.to_be_bytes());
        out.extend_from_slice(&self.age_add.to_be_bytes());
        out.extend_from_slice(&self.lifetime.to_be_bytes());
        put_vec8(&mut out, &self.psk);
        put_option16(&mut out, self.server_name.as_deref());
        put_option16(&mut out, self.alpn.as_deref());
        out.extend_from_slice(&self.max_early_data.to_be_bytes());
        encode_certificate(&self.peer_chain, &mut out);
        put_option16(&mut out, self.peer_raw_key.as_deref());
        out
    }

    /// Whether the sealed state would exceed what a ticket can hold (a
    /// client chain of tens of KB): such a session gets no ticket.
    pub(crate) fn too_large(&self) -> bool {
        self.encode().len() + SEAL_OVERHEAD > MAX_TICKET_LEN
    }

    /// Decodes a state; strict (trailing bytes, bad version or lengths
    /// are errors), as the fuzz target checks.
    pub(crate) fn decode(bytes: &[u8]) -> Result<Self, Error> {
        let mut r = Reader::new(bytes, "ticket state");
        let version = r.u8()?;
        if ![STATE_VERSION, STATE_VERSION_NO_CLIENT_IDENTITY, STATE_VERSION_NO_EARLY_DATA].contains(&version) {
            return Err(Error::Decode { what: "ticket state version" });
        }
        let suite = CipherSuite(r.u16()?);
        let issued = u64::from_be_bytes(r.array()?);
        let age_add = r.u32()?;
        let lifetime = r.u32()?;
        let psk = Zeroizing::new(r.vec8()?.to_vec());
        let server_name = r.option16("ticket state option")?.map(<[u8]>::to_vec);
        let alpn = r.option16("ticket state option")?.map(<[u8]>::to_vec);
        let max_early_data = if version == STATE_VERSION_NO_EARLY_DATA { 0 } else { r.u32()? };
        let (peer_chain, peer_raw_key) = if version == STATE_VERSION {
            let chain = read_certificate_list(&mut r)?;
            let raw = r.option16("ticket state option")?.map(<[u8]>::to_vec);
            if !chain.is_empty() && raw.is_some() {
                return Err(Error::Decode { what: "ticket state with a chain and a raw key" });
            }
            (chain, raw)
        } else {
            (Vec::new(), None)
        };
        r.finish()?;
        let secret_len =
            if suite.is_tls12() { TLS12_MASTER_LEN } else { suite.hash().map_or(0, HashAlgorithm::output_len) };
        if !(suite.is_tls13() || suite.is_tls12()) || psk.len() != secret_len {
            return Err(Error::Decode { what: "ticket state" });
        }
        Ok(Self { suite, issued, age_add, lifetime, psk, server_name, alpn, max_early_data, peer_chain, peer_raw_key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls::tests::rng;

    fn state() -> TicketState {
        TicketState {
            suite: CipherSuite::TLS_AES_128_GCM_SHA256,
            issued: 1000,
            age_add: 7,
            lifetime: 3600,
            psk: Zeroizing::new(alloc::vec![5; 32]),
            server_name: Some(b"localhost".to_vec()),
            alpn: None,
            max_early_data: 1000,
            peer_chain: alloc::vec![alloc::vec![0x30, 1, 2]],
            peer_raw_key: None,
        }
    }

    #[test]
    fn tickets_open_in_two_periods_only_and_never_when_touched() {
        let mut r = rng(9);
        let t = Ticketer::new(&mut *r).unwrap().with_lifetime(3600).unwrap();
        let ticket = t.seal(&state(), 3600 * 10 + 5, &mut *r).unwrap();
        assert_eq!(t.open(&ticket, 3600 * 10 + 100), Some(state()));
        assert_eq!(t.open(&ticket, 3600 * 11 + 100), Some(state()));
        assert_eq!(t.open(&ticket, 3600 * 12 + 100), None);
        assert_eq!(t.open(&ticket, 3600 * 9), None);
        for i in 0..ticket.len() {
            let mut bad = ticket.clone();
            bad[i] ^= 0x40;
            assert_eq!(t.open(&bad, 3600 * 10 + 100), None, "byte {i}");
        }
        let other = Ticketer::new(&mut *rng(10)).unwrap().with_lifetime(3600).unwrap();
        assert_eq!(other.open(&ticket, 3600 * 10 + 100), None);
        assert!(Ticketer::new(&mut *r).unwrap().with_lifetime(0).is_err());
        assert!(Ticketer::new(&mut *r).unwrap().with_lifetime(MAX_TICKET_LIFETIME + 1).is_err());
    }

    #[test]
    fn state_codec_is_strict() {
        let bytes = state().encode();
        assert_eq!(TicketState::decode(&bytes).unwrap(), state());
        for cut in 0..bytes.len() {
            assert!(TicketState::decode(&bytes[..cut]).is_err());
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(TicketState::decode(&long).is_err());
        let mut v4 = bytes.clone();
        v4[0] = 4;
        assert!(TicketState::decode(&v4).is_err());
        // A raw key round-trips; a chain and a raw key together do not
        // decode.
        let raw = TicketState { peer_chain: Vec::new(), peer_raw_key: Some(alloc::vec![0x30, 0]), ..state() };
        assert_eq!(TicketState::decode(&raw.encode()).unwrap(), raw);
        let both = TicketState { peer_raw_key: Some(alloc::vec![0x30, 0]), ..state() };
        assert!(TicketState::decode(&both.encode()).is_err());
        // Version 2 had no client identity: it opens without one.
        let identity_len = 3 + 3 + 3 + 1;
        let mut v2 = bytes[..bytes.len() - identity_len].to_vec();
        v2[0] = STATE_VERSION_NO_CLIENT_IDENTITY;
        let back = TicketState::decode(&v2).unwrap();
        assert_eq!((back.max_early_data, back.peer_chain.len(), back.peer_raw_key), (1000, 0, None));
        // Version 1 had no max_early_data either: it opens as "no 0-RTT".
        let mut v1 = v2[..v2.len() - 4].to_vec();
        v1[0] = STATE_VERSION_NO_EARLY_DATA;
        assert_eq!(TicketState::decode(&v1).unwrap().max_early_data, 0);
        // A state too large for a ticket says so and is not sealed.
        let huge = TicketState { peer_chain: alloc::vec![alloc::vec![0x30; 0x10000]], ..state() };
        assert!(huge.too_large() && !state().too_large());
        assert!(Ticketer::new(&mut *rng(3)).unwrap().seal(&huge, 0, &mut *rng(4)).is_err());
    }
}
