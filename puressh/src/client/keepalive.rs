//! `ServerAliveInterval` / `ServerAliveCountMax`, sans-I/O: after each
//! interval with nothing from the server, probe it with a
//! `keepalive@openssh.com` global request (wanting a reply, so a live
//! server answers even with nothing else to say); give up when more
//! intervals than the count have passed in a row without a packet.
//!
//! Entry point: [`Keepalive`], owned by the `Session`: `received` on
//! every byte read, `deadline` for the caller's wait, `on_timeout` when
//! it passes. OpenSSH counts the same way (it gives up once the silent
//! intervals exceed `ServerAliveCountMax`), so a count of 3 with an
//! interval of 15 s gives up after about 60 s of silence.

use std::time::{Duration, Instant};

/// The global request name OpenSSH's `ssh` sends.
pub(super) const KEEPALIVE_REQUEST: &str = "keepalive@openssh.com";

/// What to do when the deadline has passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Verdict {
    /// Not yet due.
    Wait,
    /// Send a keepalive request.
    Probe,
    /// Too many silent intervals: the server is gone.
    GiveUp,
}

/// The keepalive state of one connection.
#[derive(Debug, Clone)]
pub(super) struct Keepalive {
    interval: Duration,
    count_max: u32,
    /// Intervals passed in a row without a packet.
    missed: u32,
    deadline: Instant,
}

impl Keepalive {
    /// Starts counting at `now`.
    pub(super) fn new(interval: Duration, count_max: u32, now: Instant) -> Self {
        Self { interval, count_max, missed: 0, deadline: now + interval }
    }

    /// The server sent something: it is alive.
    pub(super) fn received(&mut self, now: Instant) {
        self.missed = 0;
        self.deadline = now + self.interval;
    }

    /// When [`Self::on_timeout`] has something to do.
    pub(super) const fn deadline(&self) -> Instant {
        self.deadline
    }

    /// Decides at `now`: wait, probe (and wait one more interval), or
    /// give up.
    pub(super) fn on_timeout(&mut self, now: Instant) -> Verdict {
        if now < self.deadline {
            return Verdict::Wait;
        }
        self.missed = self.missed.saturating_add(1);
        if self.missed > self.count_max {
            return Verdict::GiveUp;
        }
        self.deadline = now + self.interval;
        Verdict::Probe
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gives_up_after_count_max_silent_intervals_as_openssh() {
        let start = Instant::now();
        let second = Duration::from_secs(1);
        let mut k = Keepalive::new(second, 3, start);
        assert_eq!(k.on_timeout(start), Verdict::Wait);
        assert_eq!(k.deadline(), start + second);
        // Three probes, one per silent interval, then the fourth gives up.
        for n in 1..=3 {
            assert_eq!(k.on_timeout(start + second * n), Verdict::Probe, "interval {n}");
            assert_eq!(k.on_timeout(start + second * n), Verdict::Wait);
        }
        assert_eq!(k.on_timeout(start + second * 4), Verdict::GiveUp);
    }

    #[test]
    fn any_packet_resets_the_count() {
        let start = Instant::now();
        let second = Duration::from_secs(1);
        let mut k = Keepalive::new(second, 1, start);
        assert_eq!(k.on_timeout(start + second), Verdict::Probe);
        k.received(start + second * 3 / 2);
        assert_eq!(k.on_timeout(start + second * 2), Verdict::Wait);
        assert_eq!(k.on_timeout(start + second * 5 / 2), Verdict::Probe);
        assert_eq!(k.on_timeout(start + second * 7 / 2), Verdict::GiveUp);
        // A count of 0 gives up at the first silent interval.
        let mut k = Keepalive::new(second, 0, start);
        assert_eq!(k.on_timeout(start + second), Verdict::GiveUp);
    }
}
