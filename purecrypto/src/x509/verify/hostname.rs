//! Server identity checks (RFC 6125 / RFC 9525): DNS names against the
//! leaf's dNSName SANs, IP literals against its iPAddress SANs.
//!
//! Rules: comparison is ASCII case-insensitive; a wildcard is accepted
//! only as the whole left-most label (`*.example.com`), matches exactly
//! one non-empty label, never matches an IP literal, and needs at least
//! two labels after it; one trailing dot on the *reference* name is the
//! absolute form of the same name and is removed, while a presented name
//! with a trailing dot, or a reference with empty labels, never matches.
//! The common name is never consulted (RFC 9525 section 6.3).
//!
//! Entry points: [`matches_host`], [`parse_ip`].

use alloc::vec::Vec;

use super::super::general_name::GeneralName;

/// Parses an IPv4 dotted quad or an IPv6 address (with `::`, without zone
/// or embedded IPv4) into 4 or 16 bytes.
#[must_use]
pub fn parse_ip(text: &str) -> Option<Vec<u8>> {
    if !text.contains(':') {
        let parts: Vec<&str> = text.split('.').collect();
        if parts.len() != 4 {
            return None;
        }
        return parts
            .iter()
            .map(|p| {
                if p.is_empty()
                    || p.len() > 3
                    || !p.bytes().all(|b| b.is_ascii_digit())
                    || (p.len() > 1 && p.starts_with('0'))
                {
                    return None;
                }
                p.parse::<u8>().ok()
            })
            .collect();
    }
    let groups = |s: &str| -> Option<Vec<u16>> {
        if s.is_empty() {
            return Some(Vec::new());
        }
        s.split(':').map(|g| if g.is_empty() || g.len() > 4 { None } else { u16::from_str_radix(g, 16).ok() }).collect()
    };
    let words: Vec<u16> = match text.split_once("::") {
        Some((head, tail)) => {
            let (h, t) = (groups(head)?, groups(tail)?);
            if h.len() + t.len() > 7 || tail.contains("::") {
                return None;
            }
            let mut w = h;
            w.resize(8 - t.len(), 0);
            w.extend(t);
            w
        }
        None => groups(text)?,
    };
    if words.len() != 8 {
        return None;
    }
    Some(words.iter().flat_map(|w| w.to_be_bytes()).collect())
}

fn dns_pattern_matches(pattern: &str, host: &str) -> bool {
    if pattern.ends_with('.') || pattern.is_empty() {
        return false;
    }
    match pattern.strip_prefix("*.") {
        Some(rest) => {
            // At least two labels after the wildcard, no other `*`.
            if rest.contains('*') || rest.split('.').count() < 2 || rest.split('.').any(str::is_empty) {
                return false;
            }
            match host.split_once('.') {
                Some((first, host_rest)) => !first.is_empty() && host_rest.eq_ignore_ascii_case(rest),
                None => false,
            }
        }
        None => !pattern.contains('*') && pattern.eq_ignore_ascii_case(host),
    }
}

/// Whether `reference` (a DNS name or IP literal) is among `sans`.
#[must_use]
pub fn matches_host(sans: Option<&Vec<GeneralName<'_>>>, reference: &str) -> bool {
    let sans = sans.map(Vec::as_slice).unwrap_or_default();
    if let Some(ip) = parse_ip(reference.trim_start_matches('[').trim_end_matches(']')) {
        return sans.iter().any(|n| matches!(n, GeneralName::Ip(b) if *b == ip.as_slice()));
    }
    let host = reference.strip_suffix('.').unwrap_or(reference);
    if host.is_empty() || host.split('.').any(str::is_empty) || !host.is_ascii() {
        return false;
    }
    sans.iter().any(|n| matches!(n, GeneralName::Dns(p) if dns_pattern_matches(p, host)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::vec;

    #[test]
    fn wildcards_and_ips() {
        let sans = vec![
            GeneralName::Dns("*.example.com"),
            GeneralName::Dns("Exact.Example.org"),
            GeneralName::Ip(&[127, 0, 0, 1]),
        ];
        let s = Some(&sans);
        assert!(matches_host(s, "www.example.com"));
        assert!(matches_host(s, "WWW.EXAMPLE.COM"));
        assert!(matches_host(s, "www.example.com."));
        assert!(!matches_host(s, "www.example.com.."));
        assert!(!matches_host(s, "example.com"));
        assert!(!matches_host(s, "a.b.example.com"));
        assert!(matches_host(s, "exact.example.org"));
        assert!(matches_host(s, "127.0.0.1"));
        assert!(!matches_host(s, "127.0.0.2"));
        assert!(!dns_pattern_matches("*.com", "example.com"));
        assert!(!dns_pattern_matches("f*.example.com", "foo.example.com"));
        assert!(!dns_pattern_matches("*.example.com", "1.2.3.4"), "no wildcard for IPs is enforced by the IP path");
        assert_eq!(parse_ip("::1").unwrap(), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert_eq!(parse_ip("2001:db8::").unwrap().len(), 16);
        assert!(parse_ip("1.2.3").is_none());
        assert!(parse_ip("01.2.3.4").is_none());
    }
}
