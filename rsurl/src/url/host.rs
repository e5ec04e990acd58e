//! The host part of a URL: registered names, IPv4 (with the shorthand and
//! hex/octal forms curl accepts) and bracketed IPv6 literals with zone ids.
//!
//! Entry point: [`Host::parse`].

use core::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use crate::error::UrlError;

/// A URL host, normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Host {
    /// A registered name, lower-cased (IDN is not converted yet).
    Name(String),
    /// An IPv4 address, however it was written.
    V4(Ipv4Addr),
    /// An IPv6 literal and its zone id (RFC 6874), without the `%25`.
    V6(Ipv6Addr, Option<String>),
}

impl Host {
    /// Parses the authority's host text (brackets included for IPv6).
    ///
    /// # Errors
    /// [`UrlError::BadHost`] for anything that is not a name or address.
    pub fn parse(s: &str) -> Result<Self, UrlError> {
        if let Some(inner) = s.strip_prefix('[') {
            let inner = inner.strip_suffix(']').ok_or(UrlError::BadHost)?;
            let (addr, zone) = match inner.split_once('%') {
                // RFC 6874 writes the zone as `%25zone`; curl also takes `%zone`.
                Some((a, z)) => (a, Some(z.strip_prefix("25").filter(|z| !z.is_empty()).unwrap_or(z))),
                None => (inner, None),
            };
            let addr: Ipv6Addr = addr.parse().map_err(|_| UrlError::BadHost)?;
            if let Some(z) = zone {
                if z.is_empty()
                    || !z.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
                {
                    return Err(UrlError::BadHost);
                }
            }
            return Ok(Self::V6(addr, zone.map(str::to_owned)));
        }
        if s.is_empty() {
            return Err(UrlError::NoHost);
        }
        let converted;
        let s = if s.is_ascii() {
            s
        } else {
            converted = super::idn::to_ascii(s).ok_or(UrlError::BadHost)?;
            converted.as_str()
        };
        if let Some(v4) = parse_ipv4(s) {
            return Ok(Self::V4(v4));
        }
        let ok = s.bytes().all(|b| {
            b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'~' | b'%' | b'!' | b'$' | b'&' | b'\'')
                || matches!(b, b'(' | b')' | b'*' | b'+' | b',' | b';' | b'=')
        });
        if !ok {
            return Err(UrlError::BadHost);
        }
        Ok(Self::Name(s.to_ascii_lowercase()))
    }

    /// The host as a connect-time name: no brackets, no zone.
    #[must_use]
    pub fn connect_name(&self) -> String {
        match self {
            Self::Name(n) => n.clone(),
            Self::V4(a) => a.to_string(),
            Self::V6(a, _) => a.to_string(),
        }
    }
}

impl fmt::Display for Host {
    /// The host as written in a URL or `Host:` header.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Name(n) => f.write_str(n),
            Self::V4(a) => write!(f, "{a}"),
            Self::V6(a, None) => write!(f, "[{a}]"),
            Self::V6(a, Some(z)) => write!(f, "[{a}%25{z}]"),
        }
    }
}

/// One IPv4 part in decimal, `0x` hex or leading-zero octal.
fn ipv4_part(p: &str) -> Option<u64> {
    if p.is_empty() || p.len() > 12 {
        return None;
    }
    if let Some(h) = p.strip_prefix("0x").or_else(|| p.strip_prefix("0X")) {
        if h.is_empty() {
            return Some(0);
        }
        return u64::from_str_radix(h, 16).ok();
    }
    if p.len() > 1 && p.starts_with('0') {
        return u64::from_str_radix(p.get(1..)?, 8).ok();
    }
    if !p.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    p.parse().ok()
}

/// IPv4 in the forms `a.b.c.d`, `a.b.c`, `a.b` and `a` (each part decimal,
/// hex or octal), as inet_aton and curl read them. `None` when the text is
/// not numeric at all (then it is a name).
fn parse_ipv4(s: &str) -> Option<Ipv4Addr> {
    let s = s.strip_suffix('.').unwrap_or(s);
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() > 4 {
        return None;
    }
    let mut nums = Vec::with_capacity(4);
    for p in &parts {
        nums.push(ipv4_part(p)?);
    }
    let (last, head) = nums.split_last()?;
    if head.iter().any(|&n| n > 255) {
        return None;
    }
    let shift = 8 * (4 - head.len() as u32);
    if shift < 64 && *last >= (1u64 << shift) {
        return None;
    }
    let mut v: u64 = *last;
    for (i, n) in head.iter().enumerate() {
        v |= n << (24 - 8 * i as u32);
    }
    u32::try_from(v).ok().map(Ipv4Addr::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_forms() {
        assert_eq!(Host::parse("127.1").unwrap(), Host::V4(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(Host::parse("0x7f.0.0.1").unwrap(), Host::V4(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(Host::parse("2130706433").unwrap(), Host::V4(Ipv4Addr::new(127, 0, 0, 1)));
        assert_eq!(Host::parse("010.0.0.1").unwrap(), Host::V4(Ipv4Addr::new(8, 0, 0, 1)));
        assert!(matches!(Host::parse("256.1.1.1").unwrap(), Host::Name(_)));
        assert_eq!(Host::parse("Example.COM").unwrap(), Host::Name("example.com".into()));
        assert_eq!(Host::parse("Bücher.example").unwrap(), Host::Name("xn--bcher-kva.example".into()));
    }

    #[test]
    fn ipv6_with_zones() {
        let h = Host::parse("[fe80::1%25eth0]").unwrap();
        assert_eq!(h.to_string(), "[fe80::1%25eth0]");
        assert_eq!(Host::parse("[fe80::1%eth0]").unwrap(), h);
        assert_eq!(Host::parse("[::1]").unwrap().to_string(), "[::1]");
        assert_eq!(Host::parse("[::1"), Err(UrlError::BadHost));
        assert_eq!(Host::parse("[zz::1]"), Err(UrlError::BadHost));
        assert_eq!(Host::parse("[::1%]"), Err(UrlError::BadHost));
        assert_eq!(Host::parse("a b"), Err(UrlError::BadHost));
    }
}
