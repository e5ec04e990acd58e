//! Happy Eyeballs (RFC 8305) as curl 7.88 runs it: the addresses of the
//! first address's family are tried in order; the other family starts
//! after `--happy-eyeballs-timeout-ms` (200 ms by default), or at once
//! when the first family has run out; the first connection up wins and
//! the others are dropped. Within a family an attempt that has more
//! addresses behind it gets half the time left, so one black hole does
//! not eat the whole connect timeout.
//!
//! Entry point: [`race`]. The sockets themselves come from [`super::socket`].

use std::collections::VecDeque;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::socket::{Attempt, LocalBind, wait_writable};
use crate::error::Error;

/// curl's default `--happy-eyeballs-timeout-ms`.
pub(crate) const DEFAULT_DELAY: Duration = Duration::from_millis(200);

/// How a race ended without a connection.
#[derive(Debug)]
pub(crate) enum Lost {
    /// Every address failed.
    Failed,
    /// The deadline passed with attempts still pending.
    TimedOut,
    /// The local side could not be bound (exit 45).
    Fatal(Error),
}

/// What a race reports as it goes, for curl's `-v` lines.
#[derive(Debug)]
pub(crate) enum Note {
    /// An attempt starts (`Trying ADDR...`).
    Trying(SocketAddr),
    /// An attempt failed (`connect to IP port P failed: ...`).
    Failed(SocketAddr, io::Error),
    /// An attempt used its share of the time and the next address starts
    /// (`ipv4 connect timeout after N ms, move on!`).
    MoveOn(SocketAddr, Duration),
}

/// One address family's queue and its attempt in flight (with the time
/// the attempt gives up, and the share of time it had).
#[derive(Debug, Default)]
struct Family {
    queue: VecDeque<SocketAddr>,
    current: Option<(Attempt, Instant, Duration)>,
    started: bool,
}

impl Family {
    /// Starts the next address that does not fail at once.
    fn next(&mut self, local: &LocalBind, deadline: Instant, note: &mut dyn FnMut(Note)) -> Result<(), Error> {
        self.started = true;
        self.current = None;
        while let Some(addr) = self.queue.pop_front() {
            note(Note::Trying(addr));
            match Attempt::start(addr, local)? {
                Ok(a) => {
                    let now = Instant::now();
                    let left = deadline.saturating_duration_since(now);
                    let budget = if self.queue.is_empty() { left } else { left / 2 };
                    self.current = Some((a, now + budget, budget));
                    return Ok(());
                }
                Err(e) => note(Note::Failed(addr, e)),
            }
        }
        Ok(())
    }

    /// Nothing in flight and nothing left to try.
    fn exhausted(&self) -> bool {
        self.current.is_none() && self.queue.is_empty()
    }
}

/// Connects to the first of `addrs` that answers, racing the two address
/// families; `note` hears each attempt start, fail or time out.
pub(crate) fn race(
    addrs: &[SocketAddr],
    local: &LocalBind,
    delay: Duration,
    deadline: Instant,
    note: &mut dyn FnMut(Note),
) -> Result<TcpStream, Lost> {
    let Some(first) = addrs.first() else { return Err(Lost::Failed) };
    let mut fams = [Family::default(), Family::default()];
    for a in addrs {
        let i = usize::from(a.is_ipv4() != first.is_ipv4());
        if let Some(f) = fams.get_mut(i) {
            f.queue.push_back(*a);
        }
    }
    let [primary, secondary] = &mut fams;
    let second_at = Instant::now() + delay;
    primary.next(local, deadline, note).map_err(Lost::Fatal)?;
    loop {
        let now = Instant::now();
        if !secondary.started && !secondary.queue.is_empty() && (now >= second_at || primary.exhausted()) {
            secondary.next(local, deadline, note).map_err(Lost::Fatal)?;
        }
        // Attempts past their share of the time give way to the next address.
        for fam in [&mut *primary, &mut *secondary] {
            if let Some((a, until, budget)) = fam.current.as_ref().filter(|_| !fam.queue.is_empty()) {
                if now >= *until {
                    note(Note::MoveOn(a.addr, *budget));
                    fam.next(local, deadline, note).map_err(Lost::Fatal)?;
                }
            }
        }
        if primary.exhausted() && secondary.exhausted() {
            return Err(Lost::Failed);
        }
        if now >= deadline {
            return Err(Lost::TimedOut);
        }
        let mut wake = deadline;
        if !secondary.started && !secondary.queue.is_empty() {
            wake = wake.min(second_at);
        }
        for fam in [&*primary, &*secondary] {
            if let Some((_, until, _)) = fam.current.as_ref().filter(|_| !fam.queue.is_empty()) {
                wake = wake.min(*until);
            }
        }
        let live: Vec<&Attempt> =
            [&*primary, &*secondary].into_iter().filter_map(|f| f.current.as_ref()).map(|(a, _, _)| a).collect();
        let ready = wait_writable(&live, wake.saturating_duration_since(now)).map_err(|_| Lost::Failed)?;
        let ready_addrs: Vec<SocketAddr> = ready.iter().filter_map(|i| live.get(*i)).map(|a| a.addr).collect();
        for fam in [&mut *primary, &mut *secondary] {
            let is_ready = fam.current.as_ref().is_some_and(|(a, _, _)| ready_addrs.contains(&a.addr));
            if !is_ready {
                continue;
            }
            if let Some((a, _, _)) = fam.current.take() {
                let addr = a.addr;
                match a.finish() {
                    Ok(stream) => return Ok(stream),
                    Err(e) => note(Note::Failed(addr, e)),
                }
            }
            fam.next(local, deadline, note).map_err(Lost::Fatal)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;

    fn race_all(addrs: &[SocketAddr], delay: Duration) -> (Result<TcpStream, Lost>, Vec<SocketAddr>) {
        let mut tried = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(5);
        let r = race(addrs, &LocalBind::default(), delay, deadline, &mut |n| {
            if let Note::Trying(a) = n {
                tried.push(a);
            }
        });
        (r, tried)
    }

    #[test]
    fn refused_addresses_fall_through_to_one_that_listens() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let good = listener.local_addr().unwrap();
        let dead = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
        let (r, tried) = race_all(&[dead, good], DEFAULT_DELAY);
        assert_eq!(r.unwrap().peer_addr().unwrap(), good);
        assert_eq!(tried, [dead, good]);
        let (r, _) = race_all(&[dead], DEFAULT_DELAY);
        assert!(matches!(r, Err(Lost::Failed)));
    }

    #[test]
    fn the_second_family_starts_when_the_first_runs_out() {
        // An IPv6 address nothing listens on (if the host has IPv6
        // loopback at all; otherwise it fails at once, which is the same
        // for the race), then IPv4 that listens.
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let good = listener.local_addr().unwrap();
        let v6: SocketAddr = format!("[::1]:{}", good.port()).parse().unwrap();
        let started = Instant::now();
        let (r, tried) = race_all(&[v6, good], Duration::from_secs(3));
        assert_eq!(r.unwrap().peer_addr().unwrap(), good);
        assert_eq!(tried, [v6, good]);
        assert!(started.elapsed() < Duration::from_secs(2), "did not wait for the delay");
    }
}
