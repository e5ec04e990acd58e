//! The files an OpenSSL-style CA keeps: the `index.txt` database (one
//! line per issued certificate: status `V`/`R`/`E`, expiry, revocation
//! time and reason, serial in hex, file name, subject in `/C=../CN=..`
//! form, tab-separated), its `.attr` companion (`unique_subject`), and
//! the hex serial and CRL number counters. Files are replaced the way
//! `openssl ca` replaces them: the previous content is kept as `.old`.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use super::super::CliError;
use crate::x509::RevocationReason;
use crate::x509::time::{civil_from_unix, parse_time};

/// One `index.txt` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    /// `V` (valid), `R` (revoked) or `E` (expired).
    pub(crate) status: char,
    /// `notAfter`, Unix seconds.
    pub(crate) expiry: i64,
    /// For `R`: when, and the reason if one was given.
    pub(crate) revoked: Option<(i64, Option<RevocationReason>)>,
    /// Upper-case hex, as the serial file holds it.
    pub(crate) serial: String,
    /// The subject in OpenSSL's `/C=US/CN=host` form.
    pub(crate) subject: String,
}

/// The reason words `openssl ca -crl_reason` takes and writes.
pub(crate) const REASON_WORDS: [(&str, RevocationReason); 9] = [
    ("unspecified", RevocationReason::Unspecified),
    ("keyCompromise", RevocationReason::KeyCompromise),
    ("CACompromise", RevocationReason::CaCompromise),
    ("affiliationChanged", RevocationReason::AffiliationChanged),
    ("superseded", RevocationReason::Superseded),
    ("cessationOfOperation", RevocationReason::CessationOfOperation),
    ("certificateHold", RevocationReason::CertificateHold),
    ("removeFromCRL", RevocationReason::RemoveFromCrl),
    ("privilegeWithdrawn", RevocationReason::PrivilegeWithdrawn),
];

/// An ASN.1 time as `index.txt` writes it: UTCTime `YYMMDDHHMMSSZ`
/// through 2049, GeneralizedTime `YYYYMMDDHHMMSSZ` after.
pub(crate) fn index_time(t: i64) -> String {
    let (y, mo, d, h, mi, s) = civil_from_unix(t);
    if (1950..2050).contains(&y) {
        format!("{:02}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z", y % 100)
    } else {
        format!("{y:04}{mo:02}{d:02}{h:02}{mi:02}{s:02}Z")
    }
}

fn read_index_time(text: &str, line: usize) -> Result<i64, CliError> {
    let utc = text.len() == 13;
    parse_time(text.as_bytes(), utc).map_err(|_| bad(line, "bad time"))
}

fn bad(line: usize, what: &str) -> CliError {
    CliError::usage(format!("index.txt line {line}: {what}"))
}

/// Parses `index.txt`.
pub(crate) fn parse_index(text: &str) -> Result<Vec<Entry>, CliError> {
    let mut entries = Vec::new();
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.is_empty()) {
        let n = i + 1;
        let fields: Vec<&str> = line.split('\t').collect();
        let [status, expiry, revoked, serial, _file, subject] = fields[..] else {
            return Err(bad(n, "expected 6 tab-separated fields"));
        };
        let status = match status {
            "V" | "R" | "E" => status.chars().next().unwrap_or('V'),
            _ => return Err(bad(n, "status must be V, R or E")),
        };
        let revoked = match (status, revoked) {
            ('R', text) => {
                let (when, reason) = match text.split_once(',') {
                    Some((when, word)) => {
                        let reason = REASON_WORDS
                            .iter()
                            .find(|(w, _)| w.eq_ignore_ascii_case(word))
                            .map(|(_, r)| *r)
                            .ok_or_else(|| bad(n, "unknown revocation reason"))?;
                        (when, Some(reason))
                    }
                    None => (text, None),
                };
                Some((read_index_time(when, n)?, reason))
            }
            (_, "") => None,
            _ => return Err(bad(n, "revocation time on an entry that is not revoked")),
        };
        if serial.is_empty() || !serial.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(bad(n, "serial must be hex"));
        }
        entries.push(Entry {
            status,
            expiry: read_index_time(expiry, n)?,
            revoked,
            serial: serial.to_ascii_uppercase(),
            subject: subject.to_string(),
        });
    }
    Ok(entries)
}

/// The text of `index.txt`.
pub(crate) fn format_index(entries: &[Entry]) -> String {
    let mut out = String::new();
    for e in entries {
        let revoked = match e.revoked {
            Some((when, Some(reason))) => {
                let word = REASON_WORDS.iter().find(|(_, r)| *r == reason).map_or("unspecified", |(w, _)| w);
                format!("{},{word}", index_time(when))
            }
            Some((when, None)) => index_time(when),
            None => String::new(),
        };
        out.push_str(&format!(
            "{}\t{}\t{revoked}\t{}\tunknown\t{}\n",
            e.status,
            index_time(e.expiry),
            e.serial,
            e.subject
        ));
    }
    out
}

/// Replaces `path` with `contents`, keeping the old file as `path.old`.
pub(crate) fn replace_file(path: &str, contents: &[u8]) -> Result<(), CliError> {
    let new = format!("{path}.new");
    std::fs::write(&new, contents).map_err(CliError::io(new.clone()))?;
    if std::path::Path::new(path).exists() {
        std::fs::rename(path, format!("{path}.old")).map_err(CliError::io(path.to_string()))?;
    }
    std::fs::rename(&new, path).map_err(CliError::io(path.to_string()))
}

/// Reads a hex counter file (`serial`, `crlnumber`): its big-endian bytes.
pub(crate) fn read_counter(path: &str) -> Result<Vec<u8>, CliError> {
    let text = std::fs::read_to_string(path).map_err(CliError::io(path.to_string()))?;
    let hex = text.trim();
    if hex.is_empty() || hex.len() > 40 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
        return Err(CliError::usage(format!("{path}: expected a hex number of at most 20 bytes")));
    }
    hex_bytes(hex)
}

/// Hex of any length as big-endian bytes (an odd digit count gets a
/// leading zero), as `index.txt` and the counter files write serials.
pub(crate) fn hex_bytes(hex: &str) -> Result<Vec<u8>, CliError> {
    let padded = if hex.len() % 2 == 1 { format!("0{hex}") } else { hex.to_string() };
    super::super::unhex(&padded)
}

/// `counter + 1` in hex as OpenSSL writes it (upper case, even length).
pub(crate) fn next_counter(counter: &[u8]) -> String {
    let mut bytes = counter.to_vec();
    let mut carry = true;
    for b in bytes.iter_mut().rev() {
        let (v, c) = b.overflowing_add(u8::from(carry));
        *b = v;
        carry = c;
    }
    if carry {
        bytes.insert(0, 1);
    }
    hex_upper(&bytes)
}

/// Upper-case hex with leading zero bytes dropped (one kept for zero).
pub(crate) fn hex_upper(bytes: &[u8]) -> String {
    let start = bytes.iter().position(|&b| b != 0).unwrap_or(bytes.len().saturating_sub(1));
    bytes.get(start..).unwrap_or_default().iter().map(|b| format!("{b:02X}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines `openssl ca` 3.0 wrote.
    const OPENSSL_INDEX: &str = "R\t261227135424Z\t261127135424Z,keyCompromise\t1000\tunknown\t/CN=leaf.example\n\
                                 V\t261227140000Z\t\t1001\tunknown\t/C=US/O=Org/CN=other\n";

    #[test]
    fn index_round_trips() {
        let entries = parse_index(OPENSSL_INDEX).unwrap();
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].revoked.unwrap().1, Some(RevocationReason::KeyCompromise));
        assert_eq!(entries[1].subject, "/C=US/O=Org/CN=other");
        assert_eq!(format_index(&entries), OPENSSL_INDEX);
        assert_eq!(index_time(2_556_057_600), "20501231000000Z");
        assert_eq!(index_time(2_524_521_600), "491231000000Z");
    }

    #[test]
    fn bad_lines_are_typed_errors() {
        for bad in [
            "X\t261227135424Z\t\t10\tunknown\t/CN=a",
            "V\t2612\t\t10\tunknown\t/CN=a",
            "V\t261227135424Z\t\tzz\tunknown\t/CN=a",
            "V\tx",
            "R\t261227135424Z\t261127135424Z,nope\t10\tunknown\t/CN=a",
            "V\t261227135424Z\t261127135424Z\t10\tunknown\t/CN=a",
        ] {
            assert!(parse_index(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn counters() {
        assert_eq!(next_counter(&[0x10, 0x00]), "1001");
        assert_eq!(next_counter(&[0xff]), "0100");
        assert_eq!(next_counter(&[0x01]), "02");
        assert_eq!(hex_upper(&[0, 0, 0x12]), "12");
    }

    proptest::proptest! {
        /// Any text is refused or round-trips through the writer.
        #[test]
        fn index_parses_round_trips_or_is_refused(text in "[VRE0-9A-Za-z,/=\t\n]{0,200}") {
            if let Ok(entries) = parse_index(&text) {
                proptest::prop_assert_eq!(parse_index(&format_index(&entries)).ok(), Some(entries));
            }
        }
    }
}
