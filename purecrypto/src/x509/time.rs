//! X.509 `Time`: `UTCTime` (years 1950-2049) and `GeneralizedTime`, both
//! restricted by RFC 5280 section 4.1.2.5 to seconds precision in UTC
//! (`Z`), converted to and from Unix seconds.
//!
//! Entry points: [`read_time`], [`write_time`], [`civil_from_unix`].

use alloc::format;
use alloc::string::String;

use crate::Error;
use crate::asn1::der::{Reader, Writer};

/// `UTCTime`.
pub(crate) const TAG_UTC_TIME: u8 = 0x17;
/// `GeneralizedTime`.
pub(crate) const TAG_GENERALIZED_TIME: u8 = 0x18;

fn malformed(reason: &'static str) -> Error {
    Error::Malformed { what: "X.509 time", reason }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`, which needs no tables and no loops).
const fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date and time of a Unix timestamp:
/// `(year, month, day, hour, minute, second)`.
#[must_use]
pub fn civil_from_unix(t: i64) -> (i64, u32, u32, u32, u32, u32) {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Every value below is bounded by the arithmetic above.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (year, month as u32, day as u32, (secs / 3600) as u32, (secs / 60 % 60) as u32, (secs % 60) as u32)
}

/// Parses `digits` ASCII digits into a number.
fn number(bytes: &[u8]) -> Result<i64, Error> {
    bytes.iter().try_fold(0i64, |acc, &b| {
        if b.is_ascii_digit() { Ok(acc * 10 + i64::from(b - b'0')) } else { Err(malformed("non-digit")) }
    })
}

/// Decodes the contents of a `UTCTime` (`utc == true`) or
/// `GeneralizedTime` into Unix seconds.
///
/// # Errors
/// [`Error::Malformed`] unless the value is `YYMMDDHHMMSSZ` /
/// `YYYYMMDDHHMMSSZ` with in-range fields.
pub fn parse_time(contents: &[u8], utc: bool) -> Result<i64, Error> {
    let (year, rest) = if utc {
        let (yy, rest) = contents.split_at_checked(2).ok_or(malformed("truncated"))?;
        let yy = number(yy)?;
        (if yy >= 50 { 1900 + yy } else { 2000 + yy }, rest)
    } else {
        let (yyyy, rest) = contents.split_at_checked(4).ok_or(malformed("truncated"))?;
        (number(yyyy)?, rest)
    };
    let [m0, m1, d0, d1, h0, h1, n0, n1, s0, s1, b'Z'] = rest else {
        return Err(malformed("not YYMMDDHHMMSSZ / YYYYMMDDHHMMSSZ"));
    };
    let month = number(&[*m0, *m1])?;
    let day = number(&[*d0, *d1])?;
    let hour = number(&[*h0, *h1])?;
    let minute = number(&[*n0, *n1])?;
    let second = number(&[*s0, *s1])?;
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(malformed("month out of range")),
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return Err(malformed("field out of range"));
    }
    Ok(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second)
}

/// Reads one `Time` CHOICE.
///
/// # Errors
/// [`Error::Malformed`] for any other value or a bad time.
pub fn read_time(r: &mut Reader<'_>) -> Result<i64, Error> {
    match r.peek_tag() {
        Some(TAG_UTC_TIME) => parse_time(r.expect(TAG_UTC_TIME, "UTCTime")?, true),
        Some(TAG_GENERALIZED_TIME) => parse_time(r.expect(TAG_GENERALIZED_TIME, "GeneralizedTime")?, false),
        _ => Err(malformed("neither UTCTime nor GeneralizedTime")),
    }
}

/// Writes a `Time` as RFC 5280 requires: `UTCTime` through 2049,
/// `GeneralizedTime` from 2050.
pub fn write_time(w: &mut Writer, t: i64) {
    let (year, month, day, hour, minute, second) = civil_from_unix(t);
    if (1950..2050).contains(&year) {
        let text = format!("{:02}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z", year % 100);
        w.tlv(TAG_UTC_TIME, text.as_bytes());
    } else {
        let text = format!("{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z");
        w.tlv(TAG_GENERALIZED_TIME, text.as_bytes());
    }
}

/// The time as OpenSSL prints it: `Jan  2 03:04:05 2026 GMT`.
#[must_use]
pub fn openssl_display(t: i64) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let (year, month, day, hour, minute, second) = civil_from_unix(t);
    let name = MONTHS.get(month.saturating_sub(1) as usize).copied().unwrap_or("???");
    format!("{name} {day:>2} {hour:02}:{minute:02}:{second:02} {year} GMT")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_rejects() {
        assert_eq!(parse_time(b"700101000000Z", true).unwrap(), 0);
        assert_eq!(parse_time(b"20380119031408Z", false).unwrap(), 2_147_483_648);
        assert_eq!(parse_time(b"491231235959Z", true).unwrap(), parse_time(b"20491231235959Z", false).unwrap());
        assert!(parse_time(b"700101000000", true).is_err());
        assert!(parse_time(b"700230000000Z", true).is_err());
        assert!(parse_time(b"7001010000000Z", true).is_err());
        assert!(parse_time(b"700101000000+0100", true).is_err());
        for t in [0i64, 951_782_400, 2_524_608_000, 4_102_444_800, -631_152_000] {
            let mut w = Writer::new();
            write_time(&mut w, t);
            let der = w.finish();
            assert_eq!(read_time(&mut Reader::new(&der)).unwrap(), t);
        }
        assert_eq!(openssl_display(0), "Jan  1 00:00:00 1970 GMT");
    }
}
