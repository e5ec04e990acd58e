//! The server's side of TLS 1.2 resumption: which offered session may
//! resume, from a session ticket (RFC 5077) or a cached session ID (RFC
//! 5246 section 7.4.1.2), the NewSessionTicket to send and the cache
//! entry to keep. Both hold the same [`TicketState`]: tickets sealed by
//! the same [`Ticketer`](crate::tls::Ticketer) as TLS 1.3's, cache
//! entries as its plain encoding. The state names a TLS 1.2 suite and
//! holds the master secret, so neither version's code accepts the
//! other's sessions.
//!
//! The state carries the client's identity (its chain or raw key) from
//! the full handshake, which a resumed connection reports. On a server
//! that insists on client authentication only sessions whose client
//! authenticated resume (older states carry no identity).

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::keys::MasterSecret;
use super::msgs::NewSessionTicket12;
use crate::tls::config::ServerConfig;
use crate::tls::conn::Core;
use crate::tls::error::Error;
use crate::tls::msgs::ClientHello;
use crate::tls::suites::CipherSuite;
use crate::tls::ticket::{DEFAULT_TICKET_LIFETIME, TicketState};

/// A ticket the server can resume: its suite and master secret, and the
/// client's identity then.
pub(crate) struct Resumable {
    pub(crate) suite: CipherSuite,
    pub(crate) master: MasterSecret,
    pub(crate) peer_chain: Vec<Vec<u8>>,
    pub(crate) peer_raw_key: Option<Vec<u8>>,
}

/// The session in `ch`'s ticket or, failing that, the cached session
/// under its session ID, when [`fits`] says it may resume. Anything else
/// means a full handshake.
pub(crate) fn resumable(config: &ServerConfig, ch: &ClientHello, alpn: Option<&[u8]>, now: u64) -> Option<Resumable> {
    if !may_resume(ch) {
        return None;
    }
    let from_ticket = || {
        let ticket = ch.session_ticket.as_deref().filter(|t| !t.is_empty())?;
        fits(config, ch, alpn, now, config.ticketer.as_ref()?.open(ticket, now)?)
    };
    let from_cache = || {
        let id = Some(ch.session_id.as_slice()).filter(|id| !id.is_empty())?;
        let state = TicketState::decode(&config.session_cache.as_ref()?.get(id)?).ok()?;
        fits(config, ch, alpn, now, state)
    };
    from_ticket().or_else(from_cache)
}

/// `state` as a session to resume when it is a TLS 1.2 one within its
/// lifetime, its suite is still enabled and offered, SNI and ALPN
/// (`alpn`, as just negotiated) are the original connection's, and its
/// client authenticated if this server insists on it.
fn fits(
    config: &ServerConfig,
    ch: &ClientHello,
    alpn: Option<&[u8]>,
    now: u64,
    state: TicketState,
) -> Option<Resumable> {
    let fits = state.suite.is_tls12()
        && config.cipher_suites.contains(&state.suite)
        && ch.cipher_suites.contains(&state.suite)
        && now.checked_sub(state.issued).is_some_and(|age| age < u64::from(state.lifetime))
        && state.server_name == ch.server_name
        && state.alpn.as_deref() == alpn
        && config.resumes_identity(&state.peer_chain, state.peer_raw_key.as_deref());
    let master: [u8; 48] = state.psk.as_slice().try_into().ok()?;
    fits.then(|| Resumable {
        suite: state.suite,
        master: Zeroizing::new(master),
        peer_chain: state.peer_chain,
        peer_raw_key: state.peer_raw_key,
    })
}

/// Whether the ServerHello promises a ticket: we have a ticketer and the
/// client sent the (possibly empty) extension.
pub(crate) fn will_issue(config: &ServerConfig, ch: &ClientHello) -> bool {
    config.ticketer.is_some() && ch.session_ticket.is_some() && may_resume(ch)
}

/// Whether a full handshake that issues no ticket chooses a session ID
/// and caches the session once the client's Finished checks out.
pub(crate) fn will_cache(config: &ServerConfig, ch: &ClientHello, issue_ticket: bool) -> bool {
    config.session_cache.is_some() && !issue_ticket && may_resume(ch)
}

/// Whether sessions with this client may be resumed at all: not under a
/// server name longer than the state's encoding holds.
fn may_resume(ch: &ClientHello) -> bool {
    ch.server_name.as_ref().is_none_or(|n| n.len() <= 255)
}

/// The state to seal or cache for this connection's session.
fn state(core: &Core, lifetime: u32, suite: CipherSuite, master: &MasterSecret) -> TicketState {
    TicketState {
        suite,
        issued: core.now_unix,
        age_add: 0,
        lifetime,
        psk: Zeroizing::new(Vec::from(&master[..])),
        server_name: core.negotiated.server_name.clone(),
        alpn: core.negotiated.alpn.clone(),
        // TLS 1.2 has no 0-RTT.
        max_early_data: 0,
        peer_chain: core.negotiated.peer_chain.clone(),
        peer_raw_key: core.negotiated.peer_raw_key.clone(),
    }
}

/// A NewSessionTicket sealing `master` for this connection.
pub(crate) fn new_ticket(
    config: &ServerConfig,
    core: &mut Core,
    suite: CipherSuite,
    master: &MasterSecret,
) -> Result<NewSessionTicket12, Error> {
    let ticketer = config.ticketer.as_ref().ok_or(Error::Config { what: "no ticketer" })?;
    let state = state(core, ticketer.lifetime(), suite, master);
    // RFC 5077 section 3.3: a server that promised a ticket but will not
    // issue one (a client chain too large for it) sends an empty one.
    if state.too_large() {
        return Ok(NewSessionTicket12 { lifetime_hint: 0, ticket: Vec::new() });
    }
    let now = core.now_unix;
    let ticket = ticketer.seal(&state, now, core.rng())?;
    Ok(NewSessionTicket12 { lifetime_hint: state.lifetime, ticket })
}

/// Keeps this connection's session under `id` in the config's cache.
/// Cached sessions live as long as tickets would: the ticketer's lifetime
/// or, without one, [`DEFAULT_TICKET_LIFETIME`].
pub(crate) fn cache(config: &ServerConfig, core: &Core, id: &[u8], suite: CipherSuite, master: &MasterSecret) {
    let Some(cache) = &config.session_cache else { return };
    let lifetime = config.ticketer.as_ref().map_or(DEFAULT_TICKET_LIFETIME, |t| t.lifetime());
    cache.put(id, Zeroizing::new(state(core, lifetime, suite, master).encode()));
}
