//! HTTP and cookie dates: parsing the forms servers send and writing
//! IMF-fixdate (RFC 9110 §5.6.7).
//!
//! Entry points: [`parse`], [`format_http`], [`format_iso_basic`] and
//! [`format_store`] / [`parse_store`] (curl's HSTS and alt-svc files).
//! Times are Unix seconds.

/// Days from 1970-01-01 to a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses the cookie date forms servers send (RFC 6265 §5.1.1 tokens:
/// a time `hh:mm:ss`, a day, a month name, a year), as Unix seconds.
pub(crate) fn parse(s: &str) -> Option<u64> {
    let (mut time, mut day, mut month, mut year) = (None, None, None, None);
    const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    for tok in s.split(|c: char| !c.is_ascii_alphanumeric() && c != ':').filter(|t| !t.is_empty()) {
        if time.is_none() && tok.contains(':') {
            let parts: Vec<u32> = tok.split(':').filter_map(|p| p.parse().ok()).collect();
            if let [h, m, s] = parts.as_slice() {
                time = Some((*h, *m, *s));
                continue;
            }
        }
        let lower = tok.to_ascii_lowercase();
        if month.is_none() {
            if let Some(i) = MONTHS.iter().position(|m| lower.starts_with(m)) {
                month = Some(i as u32 + 1);
                continue;
            }
        }
        if let Ok(n) = tok.parse::<u32>() {
            if day.is_none() && tok.len() <= 2 {
                day = Some(n);
            } else if year.is_none() && (tok.len() == 2 || tok.len() == 4) {
                year = Some(match n {
                    0..=69 => n + 2000,
                    70..=99 => n + 1900,
                    _ => n,
                });
            }
        }
    }
    let ((h, mi, sec), d, mo, y) = (time?, day?, month?, year?);
    if !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 59 || y < 1601 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    u64::try_from(days * 86_400 + i64::from(h * 3600 + mi * 60 + sec)).ok()
}

/// The civil date (year, month, day) of a day count since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for Unix seconds.
pub(crate) fn format_http(secs: u64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    let wd = DAYS.get((days % 7) as usize).copied().unwrap_or("Thu");
    let mon = MONTHS.get(m.saturating_sub(1) as usize).copied().unwrap_or("Jan");
    format!("{wd}, {d:02} {mon} {y} {:02}:{:02}:{:02} GMT", rem / 3600, (rem / 60) % 60, rem % 60)
}

/// `20150830T123600Z` (ISO 8601 basic, UTC) for Unix seconds: the
/// timestamp AWS Signature Version 4 signs.
pub(crate) fn format_iso_basic(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02}T{:02}{:02}{:02}Z", rem / 3600, (rem / 60) % 60, rem % 60)
}

/// The last second a 4-digit year can write (9999-12-31 23:59:59 UTC):
/// the HSTS and alt-svc files hold no later time.
pub(crate) const MAX_STORE_TIME: u64 = 253_402_300_799;

/// `20261128 12:41:55` (UTC) for Unix seconds: the date form of curl's
/// HSTS and alt-svc cache files. Times past year 9999 are clamped to it.
pub(crate) fn format_store(secs: u64) -> String {
    let secs = secs.min(MAX_STORE_TIME);
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}{m:02}{d:02} {:02}:{:02}:{:02}", rem / 3600, (rem / 60) % 60, rem % 60)
}

/// Parses [`format_store`]'s form exactly (`YYYYMMDD HH:MM:SS`, UTC).
pub(crate) fn parse_store(s: &str) -> Option<u64> {
    let (date, time) = s.split_once(' ')?;
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if date.len() != 8 || !digits(date) {
        return None;
    }
    let num = |r: core::ops::Range<usize>| date.get(r).and_then(|t| t.parse::<u32>().ok());
    let (y, mo, d) = (num(0..4)?, num(4..6)?, num(6..8)?);
    let hms: Vec<&str> = time.split(':').collect();
    let [h, mi, sec] = hms.as_slice() else { return None };
    if ![h, mi, sec].iter().all(|t| t.len() == 2 && digits(t)) {
        return None;
    }
    let (h, mi, sec) = (h.parse::<u32>().ok()?, mi.parse::<u32>().ok()?, sec.parse::<u32>().ok()?);
    if !(1..=12).contains(&mo) || !(1..=31).contains(&d) || h > 23 || mi > 59 || sec > 59 || y < 1970 {
        return None;
    }
    let days = days_from_civil(i64::from(y), mo, d);
    u64::try_from(days * 86_400 + i64::from(h * 3600 + mi * 60 + sec)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(parse("Wed, 21 Oct 2037 07:28:00 GMT"), Some(2_139_722_880));
        assert_eq!(parse("Thu, 01-Jan-1970 00:00:10 GMT"), Some(10));
        assert_eq!(parse("Sun Nov  6 08:49:37 1994"), Some(784_111_777));
        assert_eq!(parse("garbage"), None);
    }

    #[test]
    fn iso_basic() {
        assert_eq!(format_iso_basic(1_440_938_160), "20150830T123600Z");
        assert_eq!(format_iso_basic(0), "19700101T000000Z");
    }

    #[test]
    fn store_dates() {
        assert_eq!(format_store(1_795_869_715), "20261128 12:41:55");
        assert_eq!(parse_store("20261128 12:41:55"), Some(1_795_869_715));
        assert_eq!(format_store(u64::MAX), "99991231 23:59:59");
        assert_eq!(parse_store("99991231 23:59:59"), Some(MAX_STORE_TIME));
        for bad in ["2026112 12:41:55", "20261328 12:41:55", "20261128 24:00:00", "20261128 1:41:55", "x", ""] {
            assert_eq!(parse_store(bad), None, "{bad}");
        }
    }

    #[test]
    fn format_round_trips() {
        assert_eq!(format_http(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
        assert_eq!(format_http(2_139_722_880), "Wed, 21 Oct 2037 07:28:00 GMT");
        assert_eq!(format_http(0), "Thu, 01 Jan 1970 00:00:00 GMT");
        for t in [0u64, 951_782_400, 1_709_210_096, 4_102_444_799] {
            assert_eq!(parse(&format_http(t)), Some(t));
        }
    }
}
