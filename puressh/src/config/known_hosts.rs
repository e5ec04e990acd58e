//! OpenSSH `known_hosts` files: plain host patterns with wildcards and
//! `!` negation, `[host]:port`, `@cert-authority` and `@revoked` markers,
//! and hashed `|1|salt|hash` entries.
//!
//! Entry points: [`KnownHosts::parse`] and [`KnownHosts::check`]. Hashed
//! entries are matched through the [`HmacSha1`] trait (the caller passes
//! purecrypto's HMAC-SHA1); without one, a hashed entry can neither match
//! nor be ruled out, and [`Entry::matches_host`] says so with `None`.

use crate::error::{KnownHostsError, KnownHostsErrorKind};
use crate::wire::Reader;
use subtle::ConstantTimeEq;

/// Longest line accepted (a 16384-bit RSA key is about 2.8 KB of base64).
pub const MAX_LINE_LEN: usize = 64 * 1024;

/// HMAC-SHA1, which hashed host names need (`HashKnownHosts`).
pub trait HmacSha1 {
    /// HMAC-SHA1 of `message` under `key`.
    fn hmac_sha1(&self, key: &[u8], message: &[u8]) -> [u8; 20];
}

/// A line's marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Marker {
    /// `@cert-authority`: the key signs host certificates for these hosts.
    CertAuthority,
    /// `@revoked`: the key must never be accepted.
    Revoked,
}

/// The host field of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Hosts {
    /// Comma-separated patterns (`*`, `?`, `!`, `[host]:port`).
    Patterns(Vec<String>),
    /// `|1|salt|hash`: HMAC-SHA1 of the host name keyed by the salt.
    Hashed {
        /// The salt (HMAC key).
        salt: Vec<u8>,
        /// HMAC-SHA1(salt, name).
        hash: [u8; 20],
    },
}

/// One key line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number.
    pub line: usize,
    /// `@cert-authority` or `@revoked`, if present.
    pub marker: Option<Marker>,
    /// Which hosts the line is for.
    pub hosts: Hosts,
    /// Key type field, e.g. `ssh-ed25519`.
    pub key_type: String,
    /// The decoded public key blob.
    pub key: Vec<u8>,
    /// Trailing comment, if any.
    pub comment: Option<String>,
}

/// The name OpenSSH looks up: `host` for port 22, `[host]:port` otherwise.
#[must_use]
pub fn lookup_name(host: &str, port: u16) -> String {
    if port == 22 { host.to_owned() } else { format!("[{host}]:{port}") }
}

/// The hashed form `|1|base64(salt)|base64(HMAC-SHA1(salt, name))` that
/// `ssh-keygen -H` and `HashKnownHosts yes` write; `name` is the lookup
/// name ([`lookup_name`]) and `salt` 20 random bytes.
#[must_use]
pub fn hash_host(name: &str, salt: &[u8], hmac: &dyn HmacSha1) -> String {
    let hash = hmac.hmac_sha1(salt, name.as_bytes());
    format!("|1|{}|{}", crate::base64::encode(salt), crate::base64::encode(&hash))
}

impl Entry {
    /// Whether this entry is for `host` on `port`: `Some(true)` or
    /// `Some(false)`, or `None` for a hashed entry when no HMAC is given.
    #[must_use]
    pub fn matches_host(&self, host: &str, port: u16, hmac: Option<&dyn HmacSha1>) -> Option<bool> {
        let name = lookup_name(host, port);
        match &self.hosts {
            Hosts::Patterns(patterns) => {
                let mut hit = false;
                for pattern in patterns {
                    if let Some(negated) = pattern.strip_prefix('!') {
                        if crate::pattern::wildcard_match(negated, &name, true) {
                            return Some(false);
                        }
                    } else if crate::pattern::wildcard_match(pattern, &name, true) {
                        hit = true;
                    }
                }
                Some(hit)
            }
            Hosts::Hashed { salt, hash } => {
                let computed = hmac?.hmac_sha1(salt, name.as_bytes());
                Some(bool::from(computed.ct_eq(hash)))
            }
        }
    }
}

/// What `known_hosts` says about a host key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// A plain entry for this host holds exactly this key.
    Trusted {
        /// Its line.
        line: usize,
    },
    /// The key is marked `@revoked`.
    Revoked {
        /// Its line.
        line: usize,
    },
    /// Entries for this host exist with this key type but another key:
    /// the host key changed (or an attack is under way).
    Changed {
        /// The first such line.
        line: usize,
    },
    /// No entry for this host and key type.
    Unknown,
}

/// A parsed `known_hosts` file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KnownHosts {
    entries: Vec<Entry>,
}

impl KnownHosts {
    /// Parses a whole file; blank lines and `#` comments are skipped.
    ///
    /// # Errors
    /// [`KnownHostsError`] with the 1-based line number of the first bad line.
    pub fn parse(text: &str) -> Result<Self, KnownHostsError> {
        let mut entries = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line = index + 1;
            let err = |kind| KnownHostsError { line, kind };
            if raw.len() > MAX_LINE_LEN {
                return Err(err(KnownHostsErrorKind::TooLong));
            }
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            entries.push(parse_line(trimmed, line).map_err(err)?);
        }
        Ok(Self { entries })
    }

    /// Every entry, in file order.
    #[must_use]
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The `@cert-authority` entries that apply to `host` on `port`.
    pub fn cert_authorities<'s>(
        &'s self,
        host: &'s str,
        port: u16,
        hmac: Option<&'s dyn HmacSha1>,
    ) -> impl Iterator<Item = &'s Entry> + 's {
        self.entries
            .iter()
            .filter(move |e| e.marker == Some(Marker::CertAuthority) && e.matches_host(host, port, hmac) == Some(true))
    }

    /// The line of a `@revoked` entry for this key blob, if any (whatever
    /// its host field says).
    #[must_use]
    pub fn revoked_line(&self, key: &[u8]) -> Option<usize> {
        self.entries.iter().find(|e| e.marker == Some(Marker::Revoked) && e.key == key).map(|e| e.line)
    }

    /// Looks up a server's host key. A revoked key is refused whatever its
    /// host field says; otherwise plain entries for the host and key type
    /// decide between trusted, changed and unknown.
    #[must_use]
    pub fn check(&self, host: &str, port: u16, key_type: &str, key: &[u8], hmac: Option<&dyn HmacSha1>) -> Verdict {
        if let Some(line) = self.revoked_line(key) {
            return Verdict::Revoked { line };
        }
        let mut changed = None;
        for e in self.entries.iter().filter(|e| e.marker.is_none() && e.matches_host(host, port, hmac) == Some(true)) {
            if e.key == key {
                return Verdict::Trusted { line: e.line };
            }
            if e.key_type == key_type && changed.is_none() {
                changed = Some(e.line);
            }
        }
        changed.map_or(Verdict::Unknown, |line| Verdict::Changed { line })
    }
}

fn parse_line(text: &str, line: usize) -> Result<Entry, KnownHostsErrorKind> {
    let mut fields = text.split_ascii_whitespace();
    let mut first = fields.next().ok_or(KnownHostsErrorKind::MissingFields)?;
    let marker = match first {
        "@cert-authority" => Some(Marker::CertAuthority),
        "@revoked" => Some(Marker::Revoked),
        m if m.starts_with('@') => return Err(KnownHostsErrorKind::UnknownMarker(m.to_owned())),
        _ => None,
    };
    if marker.is_some() {
        first = fields.next().ok_or(KnownHostsErrorKind::MissingFields)?;
    }
    let hosts = parse_hosts(first)?;
    let key_type = fields.next().ok_or(KnownHostsErrorKind::MissingFields)?.to_owned();
    let key_text = fields.next().ok_or(KnownHostsErrorKind::MissingFields)?;
    let key = crate::base64::decode(key_text).ok_or(KnownHostsErrorKind::BadBase64)?;
    let blob_type = Reader::new(&key).utf8("key type").unwrap_or_default();
    if blob_type != key_type {
        return Err(KnownHostsErrorKind::KeyTypeMismatch { field: key_type, blob: blob_type.to_owned() });
    }
    let rest: Vec<&str> = fields.collect();
    let comment = if rest.is_empty() { None } else { Some(rest.join(" ")) };
    Ok(Entry { line, marker, hosts, key_type, key, comment })
}

fn parse_hosts(field: &str) -> Result<Hosts, KnownHostsErrorKind> {
    if let Some(rest) = field.strip_prefix("|1|") {
        let (salt, hash) = rest.split_once('|').ok_or(KnownHostsErrorKind::BadHash)?;
        let salt = crate::base64::decode(salt).filter(|s| !s.is_empty()).ok_or(KnownHostsErrorKind::BadHash)?;
        let hash = crate::base64::decode(hash).ok_or(KnownHostsErrorKind::BadHash)?;
        let hash: [u8; 20] = hash.try_into().map_err(|_| KnownHostsErrorKind::BadHash)?;
        return Ok(Hosts::Hashed { salt, hash });
    }
    let mut patterns = Vec::new();
    for pattern in field.split(',') {
        let bare = pattern.strip_prefix('!').unwrap_or(pattern);
        if bare.is_empty() {
            return Err(KnownHostsErrorKind::BadHostPort(pattern.to_owned()));
        }
        if let Some(inner) = bare.strip_prefix('[') {
            let (host, port) =
                inner.split_once("]:").ok_or_else(|| KnownHostsErrorKind::BadHostPort(pattern.to_owned()))?;
            let port_ok = port.parse::<u16>().is_ok()
                || (!port.is_empty() && port.bytes().all(|b| b.is_ascii_digit() || b == b'*' || b == b'?'));
            if host.is_empty() || !port_ok {
                return Err(KnownHostsErrorKind::BadHostPort(pattern.to_owned()));
            }
        }
        patterns.push(pattern.to_owned());
    }
    Ok(Hosts::Patterns(patterns))
}

#[cfg(test)]
mod tests;
