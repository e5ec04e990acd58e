//! The progress meter on stderr: curl's default table of sizes, speeds
//! and times, or the `-#` bar.
//!
//! Entry point: [`Meter`]: `update` at most once a second, `finish` at the
//! end. Formatting is separate from time ([`line`] takes the numbers), and
//! the "Current Speed" window ([`CurrentSpeed`]) takes its times as
//! arguments, so both are tested without a clock.

use std::collections::VecDeque;
use std::io::Write;
use std::time::{Duration, Instant};

/// The two header lines of the default meter.
pub(crate) const HEADER: &str = "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n                                 Dload  Upload   Total   Spent    Left  Speed\n";

/// A size in five columns with k/M/G suffixes, as curl prints sizes.
pub(crate) fn size5(v: u64) -> String {
    const K: u64 = 1024;
    const M: u64 = K * K;
    const G: u64 = M * K;
    if v < 100_000 {
        format!("{v:>5}")
    } else if v < 10_000 * K {
        format!("{:>4}k", v / K)
    } else if v < 100 * M {
        format!("{:>2}.{}M", v / M, (v % M) * 10 / M)
    } else if v < 10_000 * M {
        format!("{:>4}M", v / M)
    } else if v < 100 * G {
        format!("{:>2}.{}G", v / G, (v % G) * 10 / G)
    } else {
        format!("{:>4}G", v / G)
    }
}

/// A duration in eight columns; `--:--:--` when unknown or zero.
pub(crate) fn time8(secs: Option<u64>) -> String {
    match secs {
        Some(s) if s > 0 => {
            if s < 100 * 3600 {
                format!("{:>2}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
            } else if s < 1000 * 86400 {
                format!("{:>3}d {:02}h", s / 86400, (s / 3600) % 24)
            } else {
                format!("{:>7}d", s / 86400)
            }
        }
        _ => "--:--:--".to_owned(),
    }
}

/// Numbers one meter line shows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Sample {
    pub(crate) dl_total: Option<u64>,
    pub(crate) dl_now: u64,
    pub(crate) ul_total: u64,
    pub(crate) ul_now: u64,
    pub(crate) elapsed: Duration,
    /// The "Current Speed" column; `None` shows the average (download
    /// plus upload), as curl does in the first second.
    pub(crate) current: Option<u64>,
}

/// curl's "Current Speed": bytes moved (both directions) per second over
/// the last five seconds, from samples taken once per second of the
/// transfer plus one at the end; the average until there are two samples.
#[derive(Debug, Default)]
pub(crate) struct CurrentSpeed {
    samples: VecDeque<(u64, Duration)>,
    last_second: Option<u64>,
}

/// Samples kept: the newest and the one five seconds before it.
const SPEED_SAMPLES: usize = 6;

impl CurrentSpeed {
    /// Records `bytes` at `at` if a new second of the transfer has begun
    /// (or `force`, for the final line).
    pub(crate) fn record(&mut self, bytes: u64, at: Duration, force: bool) {
        let second = at.as_secs();
        if !force && self.last_second == Some(second) {
            return;
        }
        self.last_second = Some(second);
        if self.samples.len() == SPEED_SAMPLES {
            self.samples.pop_front();
        }
        self.samples.push_back((bytes, at));
    }

    /// Bytes per second over the window; `None` before two samples.
    pub(crate) fn speed(&self) -> Option<u64> {
        let (&(old_bytes, old_at), &(new_bytes, new_at)) = (self.samples.front()?, self.samples.back()?);
        if self.samples.len() < 2 {
            return None;
        }
        let ms = new_at.saturating_sub(old_at).as_millis().max(1);
        Some(u64::try_from(u128::from(new_bytes.saturating_sub(old_bytes)) * 1000 / ms).unwrap_or(u64::MAX))
    }
}

fn percent(now: u64, total: Option<u64>) -> u64 {
    match total {
        Some(t) if t > 0 => now.saturating_mul(100) / t,
        _ => 0,
    }
}

/// One line of the default meter (without the leading `\r`).
pub(crate) fn line(s: &Sample) -> String {
    let secs = s.elapsed.as_secs_f64();
    let dl_speed = if secs > 0.0 { (s.dl_now as f64 / secs) as u64 } else { 0 };
    let ul_speed = if secs > 0.0 { (s.ul_now as f64 / secs) as u64 } else { 0 };
    let total = s.dl_total.map_or(s.ul_total, |d| d + s.ul_total);
    let now = s.dl_now + s.ul_now;
    let total_secs = match s.dl_total {
        Some(t) if dl_speed > 0 => Some(t / dl_speed),
        _ => None,
    };
    let left = total_secs.map(|t| t.saturating_sub(s.elapsed.as_secs()));
    format!(
        "{:>3} {}  {:>3} {}  {:>3} {}  {}  {} {} {} {} {}",
        percent(now, Some(total).filter(|t| *t > 0)),
        size5(total),
        percent(s.dl_now, s.dl_total),
        size5(s.dl_now),
        percent(s.ul_now, Some(s.ul_total)),
        size5(s.ul_now),
        size5(dl_speed),
        size5(ul_speed),
        time8(total_secs),
        time8(Some(s.elapsed.as_secs())),
        time8(left),
        size5(s.current.unwrap_or(dl_speed.saturating_add(ul_speed))),
    )
}

/// A `-#` bar line for `width` columns.
pub(crate) fn bar(now: u64, total: Option<u64>, width: usize) -> String {
    let room = width.saturating_sub(8).max(1);
    match total {
        Some(t) if t > 0 => {
            let frac = (now as f64 / t as f64).min(1.0);
            let n = (frac * room as f64) as usize;
            format!("{}{} {:5.1}%", "#".repeat(n), " ".repeat(room - n), frac * 100.0)
        }
        _ => format!("{:<room$}", "#".repeat(((now / 65536) as usize % room) + 1)),
    }
}

/// Which meter, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Off,
    Table,
    Bar,
}

/// A live meter writing to stderr.
#[derive(Debug)]
pub(crate) struct Meter {
    style: Style,
    started: Instant,
    last: Option<Instant>,
    speed: CurrentSpeed,
    pub(crate) sample: Sample,
}

impl Meter {
    pub(crate) fn new(style: Style) -> Self {
        Self { style, started: Instant::now(), last: None, speed: CurrentSpeed::default(), sample: Sample::default() }
    }

    fn draw(&mut self, err: &mut dyn Write, last: bool) {
        self.sample.elapsed = self.started.elapsed();
        self.speed.record(self.sample.dl_now + self.sample.ul_now, self.sample.elapsed, last);
        self.sample.current = self.speed.speed();
        let text = match self.style {
            Style::Off => return,
            Style::Table => {
                let head = if self.last.is_none() { HEADER } else { "" };
                format!("{head}\r{}", line(&self.sample))
            }
            Style::Bar => format!("\r{}", bar(self.sample.dl_now + self.sample.ul_now, self.sample.dl_total, 79)),
        };
        self.last = Some(Instant::now());
        // The meter is best effort: a closed stderr must not fail the transfer.
        let _ = err.write_all(text.as_bytes());
    }

    /// Redraws if a second has passed since the last draw (or never drawn).
    pub(crate) fn update(&mut self, err: &mut dyn Write) {
        if self.last.is_none_or(|l| l.elapsed() >= Duration::from_secs(1)) {
            self.draw(err, false);
        }
    }

    /// Draws the final state and ends the line (nothing if the meter
    /// never started: curl shows none for a transfer that never began).
    pub(crate) fn finish(&mut self, err: &mut dyn Write) {
        if self.style == Style::Off || self.last.is_none() {
            return;
        }
        self.draw(err, true);
        let _ = err.write_all(b"\n");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_match_curl_columns() {
        assert_eq!(size5(3), "    3");
        assert_eq!(size5(99_999), "99999");
        assert_eq!(size5(100_000), "  97k");
        assert_eq!(size5(15 * 1024 * 1024 + 512 * 1024), "15.5M");
        assert_eq!(time8(None), "--:--:--");
        assert_eq!(time8(Some(0)), "--:--:--");
        assert_eq!(time8(Some(3661)), " 1:01:01");
        let s = Sample { dl_total: Some(3), dl_now: 3, elapsed: Duration::from_millis(1000), ..Sample::default() };
        assert_eq!(line(&s), "100     3  100     3    0     0      3      0  0:00:01  0:00:01 --:--:--     3");
        let zero = Sample::default();
        assert_eq!(line(&zero), "  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0");
        assert_eq!(line(&zero).len(), 78);
    }

    #[test]
    fn current_speed_is_the_last_five_seconds() {
        let secs = |ms: u64| Duration::from_millis(ms);
        let mut c = CurrentSpeed::default();
        c.record(0, secs(10), false);
        assert_eq!(c.speed(), None, "one sample: the meter shows the average");
        c.record(500, secs(600), false);
        assert_eq!(c.speed(), None, "same second: not sampled");
        // 1000 bytes a second for 10 s, then 100 bytes a second.
        for t in 1..=10 {
            c.record(t * 1000, secs(t * 1000 + 10), false);
        }
        assert_eq!(c.speed(), Some(1000));
        for t in 11..=15 {
            c.record(10_000 + (t - 10) * 100, secs(t * 1000 + 10), false);
        }
        assert_eq!(c.speed(), Some(100), "only the last five seconds count");
        c.record(10_550, secs(15_510), true);
        assert_eq!(c.speed(), Some(550 * 1000 / 5500), "the final sample is forced");
        let s = Sample { dl_now: 3, elapsed: secs(1000), current: Some(123_456), ..Sample::default() };
        assert!(line(&s).ends_with(" 120k"), "{}", line(&s));
    }

    #[test]
    fn bar_fills() {
        assert_eq!(bar(50, Some(100), 20), "######        50.0%");
        assert!(bar(100, Some(100), 20).ends_with("100.0%"));
    }
}
