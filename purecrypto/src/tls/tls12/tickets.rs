//! The server's side of TLS 1.2 session tickets (RFC 5077): which
//! offered ticket may resume, and the NewSessionTicket to send. The
//! tickets are sealed by the same [`Ticketer`](crate::tls::Ticketer) as
//! TLS 1.3's, the state holding the master secret and a TLS 1.2 suite
//! (so neither version's code accepts the other's tickets).

use alloc::vec::Vec;

use zeroize::Zeroizing;

use super::keys::MasterSecret;
use super::msgs::NewSessionTicket12;
use crate::tls::config::ServerConfig;
use crate::tls::conn::Core;
use crate::tls::error::Error;
use crate::tls::msgs::ClientHello;
use crate::tls::suites::CipherSuite;
use crate::tls::ticket::TicketState;

/// A ticket the server can resume: its suite and master secret.
pub(crate) struct Resumable {
    pub(crate) suite: CipherSuite,
    pub(crate) master: MasterSecret,
}

/// The session in `ch`'s ticket when it opens under our ticketer, is a
/// TLS 1.2 one within its lifetime, its suite is still enabled and
/// offered, and SNI and ALPN (`alpn`, as just negotiated) are the
/// original connection's. Anything else means a full handshake.
pub(crate) fn resumable(config: &ServerConfig, ch: &ClientHello, alpn: Option<&[u8]>, now: u64) -> Option<Resumable> {
    let ticketer = config.ticketer.as_ref()?;
    let ticket = ch.session_ticket.as_deref().filter(|t| !t.is_empty())?;
    let state = ticketer.open(ticket, now)?;
    let fits = state.suite.is_tls12()
        && config.cipher_suites.contains(&state.suite)
        && ch.cipher_suites.contains(&state.suite)
        && now.checked_sub(state.issued).is_some_and(|age| age < u64::from(state.lifetime))
        && state.server_name == ch.server_name
        && state.alpn.as_deref() == alpn;
    let master: [u8; 48] = state.psk.as_slice().try_into().ok()?;
    fits.then(|| Resumable { suite: state.suite, master: Zeroizing::new(master) })
}

/// Whether the ServerHello promises a ticket: we have a ticketer and the
/// client sent the (possibly empty) extension.
pub(crate) fn will_issue(config: &ServerConfig, ch: &ClientHello) -> bool {
    config.ticketer.is_some() && ch.session_ticket.is_some() && ch.server_name.as_ref().is_none_or(|n| n.len() <= 255)
}

/// A NewSessionTicket sealing `master` for this connection.
pub(crate) fn new_ticket(
    config: &ServerConfig,
    core: &mut Core,
    suite: CipherSuite,
    master: &MasterSecret,
) -> Result<NewSessionTicket12, Error> {
    let ticketer = config.ticketer.as_ref().ok_or(Error::Config { what: "no ticketer" })?;
    let state = TicketState {
        suite,
        issued: core.now_unix,
        age_add: 0,
        lifetime: ticketer.lifetime(),
        psk: Zeroizing::new(Vec::from(&master[..])),
        server_name: core.negotiated.server_name.clone(),
        alpn: core.negotiated.alpn.clone(),
    };
    let now = core.now_unix;
    let ticket = ticketer.seal(&state, now, core.rng())?;
    Ok(NewSessionTicket12 { lifetime_hint: state.lifetime, ticket })
}
