//! The URL scheme table: every scheme rsurl knows, as data.
//!
//! Entry points: [`SCHEMES`] and [`lookup`]. Each protocol handler hangs
//! off its row; a scheme missing here, or whose handler is not built yet,
//! is "unsupported protocol" (curl exit code 1).

use crate::transfer::Handler;

/// One URL scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Scheme {
    /// Lower-case scheme name as written in URLs.
    pub name: &'static str,
    /// Port used when the URL names none (0 when the scheme has no port).
    pub default_port: u16,
    /// Whether the connection is TLS (or DTLS/QUIC) from its first byte.
    pub tls: bool,
    /// The protocol handler that runs transfers for this scheme.
    pub(crate) handler: Handler,
}

const fn row(name: &'static str, default_port: u16, tls: bool) -> Scheme {
    Scheme { name, default_port, tls, handler: Handler::Unsupported }
}

const fn with(name: &'static str, default_port: u16, tls: bool, handler: Handler) -> Scheme {
    Scheme { name, default_port, tls, handler }
}

/// Every scheme, with the IANA / protocol-standard default ports curl uses.
pub static SCHEMES: &[Scheme] = &[
    with("http", 80, false, Handler::Http),
    with("https", 443, true, Handler::Http),
    row("ws", 80, false),
    row("wss", 443, true),
    row("ftp", 21, false),
    row("ftps", 990, true),
    row("sftp", 22, false),
    row("scp", 22, false),
    row("imap", 143, false),
    row("imaps", 993, true),
    row("pop3", 110, false),
    row("pop3s", 995, true),
    row("smtp", 25, false),
    row("smtps", 465, true),
    row("ldap", 389, false),
    row("ldaps", 636, true),
    row("mqtt", 1883, false),
    row("dict", 2628, false),
    row("gopher", 70, false),
    row("gophers", 70, true),
    row("rtsp", 554, false),
    row("tftp", 69, false),
    row("telnet", 23, false),
    with("file", 0, false, Handler::File),
];

/// Finds a scheme by name, ignoring ASCII case (URL schemes are
/// case-insensitive, RFC 3986 §3.1).
#[must_use]
pub fn lookup(name: &str) -> Option<&'static Scheme> {
    SCHEMES.iter().find(|s| s.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_is_case_insensitive_and_exact() {
        assert_eq!(lookup("HtTp").map(|s| s.default_port), Some(80));
        assert_eq!(lookup("ldaps").map(|s| (s.default_port, s.tls)), Some((636, true)));
        assert!(lookup("htt").is_none());
        assert!(lookup("https2").is_none());
    }

    #[test]
    fn names_are_unique_lowercase_and_tls_ports_match_their_plain_twin() {
        for (i, s) in SCHEMES.iter().enumerate() {
            assert_eq!(s.name, s.name.to_ascii_lowercase());
            assert!(SCHEMES.iter().skip(i + 1).all(|t| t.name != s.name), "duplicate {}", s.name);
        }
        // Schemes whose secure twin shares the port (upgrade in-band or
        // same registered port) versus those with a dedicated TLS port.
        assert_eq!(lookup("gophers").map(|s| s.default_port), lookup("gopher").map(|s| s.default_port));
        assert_ne!(lookup("imaps").map(|s| s.default_port), lookup("imap").map(|s| s.default_port));
    }
}
